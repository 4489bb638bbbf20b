//! strace-compatible text output.
//!
//! Lines look exactly like strace's: `name(args) = ret` with ` = ` placed at
//! the `-a` column, `--- SIGCHLD {...} ---` for signals, `+++ exited with 0 +++`
//! for exits, and a `[pid N] ` or `N ` prefix when several threads share one
//! stream. A syscall's entry is printed when it happens; if another line has
//! to be printed before that syscall returns, its line is closed with
//! ` <unfinished ...>` and the exit later starts a new line with
//! `<... name resumed>`. With one file per thread (`-ff`) lines never
//! interleave, so no such splitting happens.
//!
//! On top of strace, a reported job-control stop ends with `--- continued ---`.

use crate::{Meta, Record, Renderer, Tid, TidMap, Timing};
use ptrail_decode::{signal_name, text as dtext, DecodeOptions, Line};
use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, Write};
use std::path::PathBuf;
use std::rc::Rc;

/// `-y`: what the descriptors of a process refer to.
pub trait FdResolver {
    /// Appends strace's `<...>` for descriptor `fd` of process `pid`
    /// (`fd` -100: its current directory), or nothing when unknown.
    fn write_fd(&self, pid: Tid, fd: i32, out: &mut Line);
}

/// Binds a resolver to one process for the value formatter.
struct AtPid<'a>(&'a dyn FdResolver, Tid);

impl dtext::FdNames for AtPid<'_> {
    fn write_fd(&self, out: &mut Line, fd: i32) {
        self.0.write_fd(self.1, fd, out);
    }
}

/// Syscalls whose return value is a new descriptor (strace's RVAL_FD).
pub fn returns_fd(name: &str) -> bool {
    matches!(
        name,
        "open"
            | "openat"
            | "openat2"
            | "creat"
            | "dup"
            | "dup2"
            | "dup3"
            | "socket"
            | "accept"
            | "accept4"
            | "epoll_create"
            | "epoll_create1"
            | "eventfd"
            | "eventfd2"
            | "signalfd"
            | "signalfd4"
            | "timerfd_create"
            | "inotify_init"
            | "inotify_init1"
            | "fanotify_init"
            | "memfd_create"
            | "memfd_secret"
            | "pidfd_open"
            | "pidfd_getfd"
            | "userfaultfd"
            | "perf_event_open"
            | "open_by_handle_at"
            | "fsopen"
            | "fsmount"
            | "fspick"
            | "open_tree"
            | "io_uring_setup"
            | "landlock_create_ruleset"
            | "mq_open"
    )
}

/// Buffered bytes beyond which a file output is written out.
const FILE_FLUSH_BYTES: usize = 32 * 1024;

/// Which prefix tells the lines of different threads apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PidPrefix {
    /// No prefix (`-ff` files: one thread per file).
    Never,
    /// `[pid  1234] ` while more than one thread is traced (output on stderr).
    WhenSeveral,
    /// `1234  ` on every line (`-o FILE` with `-f`, or several `-p`).
    Always,
}

/// How the text looks.
#[derive(Debug, Clone)]
pub struct TextOptions {
    /// `-a N`: the column where ` = ` of a return value starts (default 40).
    pub column: usize,
    /// The thread prefix rule.
    pub prefix: PidPrefix,
    /// `-q` count: 1 hides attach/detach notes, 2 also exit lines, 3 also
    /// "superseded by execve" lines.
    pub quiet: u8,
    /// Options of the value formatter (`-x`, `-s` ...).
    pub decode: DecodeOptions,
    /// The name that starts diagnostic lines (`ptrail`).
    pub program: String,
    /// Timestamps, durations and instruction pointers (`-t`, `-r`, `-T`, `-i`).
    pub timing: Timing,
    /// `--color`: syscall names in bold, failed return values in red,
    /// signal lines in yellow, exit lines dimmed (ANSI SGR codes; the
    /// ` = ` column ignores them).
    pub color: bool,
}

/// ANSI codes of `--color`.
const BOLD: &str = "\x1b[1m";
const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

impl Default for TextOptions {
    fn default() -> Self {
        TextOptions {
            column: 40,
            prefix: PidPrefix::WhenSeveral,
            quiet: 0,
            decode: DecodeOptions::default(),
            program: "ptrail".into(),
            timing: Timing::default(),
            color: false,
        }
    }
}

/// Where the trace goes.
pub enum Output {
    /// Standard error, shared by all threads and by ptrail's own notes;
    /// written out after every event so it interleaves with the tracees'
    /// own output as it happens.
    Stderr,
    /// One stream (a `-o` file) shared by all threads, written in blocks.
    Stream(Box<dyn Write>),
    /// One file per thread, named `BASE.TID` (`-ff -o BASE`).
    PerThread(PathBuf),
}

/// A buffered destination.
struct Dest {
    /// Lines not written out yet.
    buf: Line,
    w: Box<dyn Write>,
}

impl Dest {
    fn new(w: Box<dyn Write>) -> Dest {
        Dest {
            buf: Line::with_capacity(4096),
            w,
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        if !self.buf.is_empty() {
            let res = self.w.write_all(self.buf.as_bytes());
            self.buf.clear();
            res?;
        }
        self.w.flush()
    }
}

/// Spaces to pad with.
const SPACES: &str = "                                                                ";

/// Appends `n` spaces (one copy from a constant, not a loop of pushes).
#[inline]
fn pad(s: &mut Line, n: usize) {
    match SPACES.get(..n) {
        Some(spaces) => s.push_str(spaces),
        None => pad_long(s, n),
    }
}

/// [`SPACES`] followed by the ` = ` before a return value.
const SPACES_EQUALS: &str = "                                                                 = ";

/// Appends `n` spaces and ` = ` (one copy from a constant).
#[inline]
fn pad_equals(s: &mut Line, n: usize) {
    match SPACES.len().checked_sub(n) {
        Some(from) => s.push_str(&SPACES_EQUALS[from..]),
        None => {
            pad_long(s, n);
            s.push_str(" = ");
        }
    }
}

/// [`pad`] beyond the constant's length (`-a` over 64).
#[cold]
fn pad_long(s: &mut Line, mut n: usize) {
    while n > 0 {
        let k = n.min(SPACES.len());
        s.push_str(&SPACES[..k]);
        n -= k;
    }
}

/// Where the lines go besides [`TextRenderer::shared`].
enum Dests {
    /// All to the shared stream.
    Shared {
        /// Whether that is stderr.
        is_stderr: bool,
    },
    /// Each thread's to its own file (the shared stream is unused).
    PerThread {
        base: PathBuf,
        files: HashMap<Tid, Dest>,
    },
}

/// What the printer remembers of one thread.
#[derive(Debug, Default)]
struct ThreadLine {
    /// With one file per thread: characters on this thread's unfinished
    /// line (0: no open line). A shared stream keeps this in
    /// [`TextRenderer::open_col`].
    col: usize,
    /// The syscall entered and not yet returned.
    pending: Option<Pending>,
    /// The pending syscall's name (a table's name is not copied).
    name: Cow<'static, str>,
}

#[derive(Debug)]
struct Pending {
    complete: bool,
}

/// Remembers a syscall's name: a table's name by reference, another one
/// (an unknown number's `syscall_0x...`) copied.
// (a `&Cow`, not a `&str`: a borrowed name is kept as the `'static` reference)
#[allow(clippy::ptr_arg)]
#[inline(always)]
fn keep_name(kept: &mut Cow<'static, str>, name: &Cow<'static, str>) {
    match (name, &mut *kept) {
        // (the common case: a reference replaces one, nothing to drop)
        (Cow::Borrowed(s), Cow::Borrowed(k)) => *k = s,
        (Cow::Borrowed(s), _) => *kept = Cow::Borrowed(s),
        (Cow::Owned(s), _) => *kept = Cow::Owned(s.clone()),
    }
}

/// The threads' [`ThreadLine`]s.
type Threads = TidMap<ThreadLine>;

/// The strace-compatible line printer.
pub struct TextRenderer {
    opts: TextOptions,
    /// The shared stream (kept outside [`Dests`], so that the common case
    /// reaches its buffer without a match).
    shared: Dest,
    dests: Dests,
    threads: Threads,
    /// The thread that printed last on the shared stream.
    current: Option<Tid>,
    /// Characters on the shared stream's unfinished line, which is always
    /// the current thread's (0: no open line).
    open_col: usize,
    /// A line buffer reused for every line that is built apart.
    line: Line,
    /// Whether lines start with a timestamp or instruction pointer.
    time_prefix: bool,
    /// `-y`: what descriptors refer to.
    fds: Option<Rc<dyn FdResolver>>,
    /// The time of the previous line (`-r`).
    last_ns: u64,
    /// Line heads of the plain short paths.
    heads: HeadCache,
    /// The last thread prefix written.
    prefix: PrefixCache,
    /// One shared stream, no colour, no timestamps or durations, no `-y`:
    /// a syscall's line can take the short paths ([`Self::entered_plain`],
    /// [`Self::exited_plain`]).
    plain: bool,
    /// The shared stream's buffered bytes below which an event needs no
    /// write: [`FILE_FLUSH_BYTES`] for a file, 0 for stderr (written out
    /// after every event) and with one file per thread (whose buffers
    /// [`Self::after_record`] checks).
    flush_below: usize,
    /// The thread whose call's line [`Self::entered_plain`] left open at
    /// the end of the shared stream. That call's name and completeness are
    /// kept here ([`Self::open_name`], [`Self::open_complete`]) instead of
    /// in the thread's [`ThreadLine`], so that [`Self::exited_plain`] needs
    /// no lookup; any other event first moves them there
    /// ([`Self::settle`]).
    open_call: Option<Tid>,
    /// The name of [`Self::open_call`]'s call.
    open_name: Cow<'static, str>,
    /// Whether [`Self::open_call`]'s entry was decoded completely.
    open_complete: bool,
}

/// The buffer that `tid`'s lines go to (a free function, so that the
/// printer's other fields stay usable while it is borrowed).
#[inline(always)]
fn dest_buf<'a>(shared: &'a mut Dest, dests: &'a mut Dests, tid: Tid) -> io::Result<&'a mut Line> {
    match dests {
        Dests::Shared { .. } => Ok(&mut shared.buf),
        Dests::PerThread { base, files } => thread_buf(base, files, tid),
    }
}

/// The buffer of `tid`'s own file (`-ff`), created at its first line.
#[cold]
fn thread_buf<'a>(
    base: &std::path::Path,
    files: &'a mut HashMap<Tid, Dest>,
    tid: Tid,
) -> io::Result<&'a mut Line> {
    let dest = match files.entry(tid) {
        Entry::Occupied(e) => e.into_mut(),
        Entry::Vacant(e) => {
            let mut name = base.as_os_str().to_owned();
            name.push(format!(".{tid}"));
            let file = File::create(&name).map_err(|err| {
                let shown = PathBuf::from(&name);
                io::Error::new(
                    err.kind(),
                    format!("Can't fopen '{}': {err}", shown.display()),
                )
            })?;
            e.insert(Dest::new(Box::new(file)))
        }
    };
    Ok(&mut dest.buf)
}

/// Thread prefixes kept formatted, in a small direct-mapped table by
/// thread id (lines of a few threads interleave; each keeps its own).
struct PrefixCache {
    /// The kind of prefix the slots hold.
    kind: PidPrefix,
    /// Threads that the lines need for a prefix: 0 (always), 2 (when
    /// several) or never (`usize::MAX`).
    min_threads: usize,
    /// Each slot holds the prefix of some thread (at first thread 0's).
    slots: [(Tid, Line); PREFIX_SLOTS],
}

/// Slots of [`PrefixCache`] (a power of two).
const PREFIX_SLOTS: usize = 16;

/// Writes the thread prefix of a line of `tid` (`[pid  N] ` or `N     `).
#[inline(always)]
fn write_prefix(threads: usize, tid: Tid, cache: &mut PrefixCache, out: &mut Line) {
    if threads >= cache.min_threads {
        out.push_bytes(cache.get(tid));
    }
}

impl PrefixCache {
    /// A table of prefixes of kind `kind`.
    fn new(kind: PidPrefix) -> PrefixCache {
        let mut cache = PrefixCache {
            kind,
            min_threads: match kind {
                PidPrefix::Always => 0,
                PidPrefix::WhenSeveral => 2,
                PidPrefix::Never => usize::MAX,
            },
            slots: Default::default(),
        };
        for i in 0..PREFIX_SLOTS {
            cache.set(0, i);
        }
        cache
    }

    /// `tid`'s prefix, formatted if its slot holds another thread's.
    #[inline(always)]
    fn get(&mut self, tid: Tid) -> &[u8] {
        let i = tid as usize & (PREFIX_SLOTS - 1);
        if self.slots[i].0 != tid {
            self.set(tid, i);
        }
        self.slots[i].1.as_bytes()
    }

    /// Formats `tid`'s prefix into slot `i`.
    #[cold]
    fn set(&mut self, tid: Tid, i: usize) {
        let (owner, text) = &mut self.slots[i];
        *owner = tid;
        text.clear();
        let mut digits = itoa::Buffer::new();
        let id = digits.format(tid);
        if self.kind == PidPrefix::Always {
            text.push_str(id);
            pad(text, 6usize.saturating_sub(id.len()).max(1));
        } else {
            text.push_str("[pid ");
            pad(text, 5usize.saturating_sub(id.len()));
            text.push_str(id);
            text.push_str("] ");
        }
    }
}

/// Line heads kept formatted for the plain short paths: a thread's prefix
/// followed by `name(` (an entry) or `<... name resumed>` (an exit whose
/// entry line was left unfinished), so that a line starts with one copy
/// instead of three. Only table (static) names are kept, keyed by their
/// address, in a small direct-mapped table by name and thread.
struct HeadCache {
    slots: Box<[Head; HEAD_SLOTS]>,
}

/// One [`HeadCache`] slot.
#[derive(Default)]
struct Head {
    /// The name's address and length, the thread and the kind
    /// (`HEAD_*`): what the text was made of (address 0: nothing yet).
    name: (usize, usize),
    tid: Tid,
    kind: u8,
    text: Line,
}

/// Slots of [`HeadCache`] (a power of two).
const HEAD_SLOTS: usize = 64;
/// Room made in each slot at the start (4 KiB in all): enough for the
/// longest head (`[pid 4194304] <... name resumed>` of the longest
/// name), so that filling a slot (at each new thread's calls) never
/// grows its buffer.
const HEAD_BYTES: usize = 64;
/// [`Head::kind`]: `name(` or `<... name resumed>`, with or without the
/// thread prefix.
const HEAD_ENTRY: u8 = 0;
const HEAD_RESUMED: u8 = 1;
const HEAD_PREFIXED: u8 = 2;

impl HeadCache {
    fn new() -> HeadCache {
        HeadCache {
            slots: Box::new(std::array::from_fn(|_| Head {
                text: Line::with_capacity(HEAD_BYTES),
                ..Head::default()
            })),
        }
    }

    /// The head of kind `kind` of `tid`'s line for the call `name`,
    /// formatted if its slot holds another.
    #[inline(always)]
    fn get(&mut self, kind: u8, tid: Tid, name: &'static str, prefix: &mut PrefixCache) -> &[u8] {
        let key = (name.as_ptr() as usize, name.len());
        let i =
            ((key.0 >> 2) ^ (tid as usize).wrapping_mul(5) ^ usize::from(kind)) & (HEAD_SLOTS - 1);
        let h = &self.slots[i];
        if h.name != key || h.tid != tid || h.kind != kind {
            self.set(i, kind, tid, name, prefix);
        }
        self.slots[i].text.as_bytes()
    }

    /// Formats a head into slot `i`.
    #[cold]
    #[inline(never)]
    fn set(&mut self, i: usize, kind: u8, tid: Tid, name: &'static str, prefix: &mut PrefixCache) {
        let h = &mut self.slots[i];
        h.name = (name.as_ptr() as usize, name.len());
        h.tid = tid;
        h.kind = kind;
        h.text.clear();
        if kind & HEAD_PREFIXED != 0 {
            h.text.push_bytes(prefix.get(tid));
        }
        if kind & HEAD_RESUMED != 0 {
            h.text.push_str("<... ");
            h.text.push_str(name);
            h.text.push_str(" resumed>");
        } else {
            h.text.push_str(name);
            h.text.push('(');
        }
    }
}

impl TextRenderer {
    /// Starts a line of `tid` on the shared stream in the plain case: the
    /// thread prefix if shown, then `name(` or `<... name resumed>`
    /// (`kind`), from [`HeadCache`] when the name is a table one.
    #[allow(clippy::ptr_arg)] // a table name is recognised by address
    #[inline(always)]
    fn put_head(&mut self, kind: u8, tid: Tid, name: &Cow<'static, str>) {
        let prefixed = self.threads.len() >= self.prefix.min_threads;
        let buf = &mut self.shared.buf;
        match name {
            Cow::Borrowed(n) => {
                let kind = kind | if prefixed { HEAD_PREFIXED } else { 0 };
                buf.push_bytes(self.heads.get(kind, tid, n, &mut self.prefix));
            }
            Cow::Owned(n) => {
                if prefixed {
                    buf.push_bytes(self.prefix.get(tid));
                }
                if kind == HEAD_RESUMED {
                    buf.push_str("<... ");
                    buf.push_str(n);
                    buf.push_str(" resumed>");
                } else {
                    buf.push_str(n);
                    buf.push('(');
                }
            }
        }
    }

    /// A printer writing to `output`.
    pub fn new(opts: TextOptions, output: Output) -> TextRenderer {
        let (shared, dests) = match output {
            Output::Stderr => (
                Dest::new(Box::new(io::stderr())),
                Dests::Shared { is_stderr: true },
            ),
            Output::Stream(w) => (Dest::new(w), Dests::Shared { is_stderr: false }),
            Output::PerThread(base) => (
                Dest::new(Box::new(io::sink())),
                Dests::PerThread {
                    base,
                    files: HashMap::default(),
                },
            ),
        };
        let prefix = opts.prefix;
        TextRenderer {
            time_prefix: opts.timing.prefixes(),
            opts,
            shared,
            dests,
            threads: Threads::default(),
            current: None,
            open_col: 0,
            line: Line::with_capacity(256),
            fds: None,
            last_ns: 0,
            prefix: PrefixCache::new(prefix),
            heads: HeadCache::new(),
            plain: false,
            flush_below: 0,
            open_call: None,
            open_name: Cow::Borrowed(""),
            open_complete: false,
        }
        .with_plain()
    }

    /// Works out [`Self::plain`] from the options.
    fn with_plain(mut self) -> Self {
        self.plain = matches!(self.dests, Dests::Shared { .. })
            && !self.opts.color
            && !self.time_prefix
            && self.opts.timing.syscall_times.is_none()
            && self.fds.is_none();
        if let Dests::Shared { is_stderr: false } = self.dests {
            self.flush_below = FILE_FLUSH_BYTES;
        }
        self
    }

    /// `-y`: decorate descriptors through `fds`.
    pub fn set_fd_resolver(&mut self, fds: Rc<dyn FdResolver>) {
        self.settle();
        self.fds = Some(fds);
        self.plain = false;
    }

    /// Threads currently known to the printer.
    pub fn thread_count(&self) -> usize {
        self.threads.len()
    }

    /// Characters on `tid`'s unfinished line (0: none). On a shared
    /// stream only the current thread can have one, so the common case
    /// needs no lookup.
    #[inline(always)]
    fn col(&self, tid: Tid) -> usize {
        match self.dests {
            Dests::PerThread { .. } => self.threads.get(&tid).map_or(0, |t| t.col),
            Dests::Shared { .. } if self.current == Some(tid) => self.open_col,
            Dests::Shared { .. } => 0,
        }
    }

    /// Sets `tid`'s column; on a shared stream `tid` becomes the thread
    /// whose line is at the end of the stream.
    #[inline(always)]
    fn set_col(&mut self, tid: Tid, col: usize) {
        match self.dests {
            Dests::PerThread { .. } => self.threads.entry(tid).col = col,
            Dests::Shared { .. } => {
                self.current = Some(tid);
                self.open_col = col;
            }
        }
    }

    /// Whether `tid`'s line is the open end of its stream, so that more of
    /// the same syscall can be appended to it.
    fn line_open(&self, tid: Tid) -> bool {
        self.col(tid) > 0
    }

    /// Appends text to `tid`'s line and keeps its column count. A text
    /// either continues the line or ends with the newline that closes it
    /// (escaped values never hold a raw newline; hex dumps are whole lines).
    fn put(&mut self, tid: Tid, text: &[u8]) -> io::Result<()> {
        dest_buf(&mut self.shared, &mut self.dests, tid)?.push_bytes(text);
        let col = if text.ends_with(b"\n") {
            0
        } else {
            self.col(tid) + text.len()
        };
        self.set_col(tid, col);
        Ok(())
    }

    /// Ends the line open on `tid`'s stream (another thread's, or its own)
    /// with ` <unfinished ...>`.
    #[inline]
    fn close_open_line(&mut self, tid: Tid) -> io::Result<()> {
        match self.dests {
            // Only the current thread has a line open (`open_col` is 0
            // when there is no current thread).
            // (what `put` of the text to the current thread does, without
            // its column bookkeeping: the line ends, the column is 0)
            Dests::Shared { .. } => {
                if self.current.is_some() && self.open_col > 0 {
                    self.shared.buf.push_str(" <unfinished ...>\n");
                    self.open_col = 0;
                }
                Ok(())
            }
            Dests::PerThread { .. } => {
                if self.col(tid) > 0 {
                    self.put(tid, b" <unfinished ...>\n")?;
                }
                Ok(())
            }
        }
    }

    /// Starts a new line for `tid`: closes whatever line is open on the
    /// same stream with ` <unfinished ...>`, then writes the prefix.
    fn begin_line(&mut self, tid: Tid, meta: &Meta) -> io::Result<()> {
        let start = self.start_line(tid, meta)?;
        let col = dest_buf(&mut self.shared, &mut self.dests, tid)?.len() - start;
        self.set_col(tid, col);
        Ok(())
    }

    /// Closes the line open on `tid`'s stream and writes `tid`'s prefix;
    /// returns where the new line starts in the buffer (the caller writes
    /// the rest and sets the column).
    #[inline(always)]
    fn start_line(&mut self, tid: Tid, meta: &Meta) -> io::Result<usize> {
        self.close_open_line(tid)?;
        let buf = dest_buf(&mut self.shared, &mut self.dests, tid)?;
        let start = buf.len();
        write_prefix(self.threads.len(), tid, &mut self.prefix, buf);
        if self.time_prefix {
            self.opts.timing.write_prefix(buf, meta, &mut self.last_ns);
        }
        Ok(start)
    }

    /// Ends a line with ` = RET`, ` = ` starting at the `-a` column.
    fn put_ret(&mut self, tid: Tid, line: &mut Line, ret: &str) -> io::Result<()> {
        let col = self.col(tid) + line.len();
        let target = self.opts.column.saturating_sub(1);
        if col < target {
            pad(line, target - col);
        }
        line.push_str(" = ");
        line.push_str(ret);
        line.push('\n');
        self.put(tid, line.as_bytes())
    }

    /// A syscall that will never return (the thread is gone): `) = ?`.
    fn finish_unreturned(&mut self, tid: Tid, meta: &Meta) -> io::Result<()> {
        let Some(pending) = self.threads.get_mut(&tid).and_then(|t| t.pending.take()) else {
            return Ok(());
        };
        let mut line = std::mem::take(&mut self.line);
        line.clear();
        if !self.line_open(tid) {
            self.begin_line(tid, meta)?;
            let name = self.threads.get(&tid).map_or("", |t| &*t.name);
            let _ = write!(line, "<... {name} resumed>");
        }
        if !pending.complete {
            line.push_str(" <unfinished ...>");
        }
        line.push(')');
        let r = self.put_ret(tid, &mut line, "?");
        self.line = line;
        r
    }

    fn whole_line(&mut self, tid: Tid, meta: &Meta, text: &[u8]) -> io::Result<()> {
        self.begin_line(tid, meta)?;
        self.put(tid, text)
    }

    /// [`Self::whole_line`] of the pieces joined, the last of which ends
    /// the line (`"\n"`): written straight after the prefix, without the
    /// formatting machinery or a copy.
    fn whole_line_of(&mut self, tid: Tid, meta: &Meta, pieces: &[&str]) -> io::Result<()> {
        debug_assert!(pieces.last().is_some_and(|p| p.ends_with('\n')));
        self.start_line(tid, meta)?;
        let buf = dest_buf(&mut self.shared, &mut self.dests, tid)?;
        pieces.iter().for_each(|p| buf.push_str(p));
        // (the line is complete: nothing is open on the stream)
        self.set_col(tid, 0);
        Ok(())
    }

    fn forget(&mut self, tid: Tid) -> io::Result<()> {
        self.threads.remove(&tid);
        if self.current == Some(tid) {
            self.current = None;
            self.open_col = 0;
        }
        if let Dests::PerThread { files, .. } = &mut self.dests {
            if let Some(mut dest) = files.remove(&tid) {
                dest.flush()?;
            }
        }
        Ok(())
    }

    fn after_record(&mut self, urgent: bool) -> io::Result<()> {
        match &mut self.dests {
            Dests::Shared { is_stderr } => {
                if *is_stderr || urgent || self.shared.buf.len() >= FILE_FLUSH_BYTES {
                    self.shared.flush()?;
                }
            }
            Dests::PerThread { files, .. } => {
                for dest in files.values_mut() {
                    if urgent || dest.buf.len() >= FILE_FLUSH_BYTES {
                        dest.flush()?;
                    }
                }
            }
        }
        Ok(())
    }

    fn note(&mut self, text: &str) -> io::Result<()> {
        let line = format!("{}: {text}\n", self.opts.program);
        match &mut self.dests {
            Dests::Shared { is_stderr: true } => {
                self.shared.buf.push_str(&line);
                self.shared.flush()
            }
            _ => io::stderr().write_all(line.as_bytes()),
        }
    }

    #[inline(always)]
    fn render(&mut self, tid: Tid, record: &Record<'_>, meta: &Meta) -> io::Result<bool> {
        match *record {
            Record::SyscallEntered { name, entered } => {
                if !(self.plain && self.entered_plain(tid, name, entered)) {
                    self.settle();
                    self.entered(tid, name, entered, meta)?;
                }
                Ok(false)
            }
            Record::SyscallExited {
                name,
                entered,
                exited,
            } => {
                if self.open_call == Some(tid) {
                    self.exited_plain(entered, exited);
                } else if !(self.plain && self.resumed_plain(tid, name, entered, exited)) {
                    self.settle();
                    self.exited(tid, name, entered, exited, meta)?;
                }
                Ok(false)
            }
            _ => {
                self.settle();
                self.render_other(tid, record, meta)
            }
        }
    }

    /// Moves the state of [`Self::open_call`] into its thread's
    /// [`ThreadLine`], where the paths other than the short ones expect it.
    #[inline(always)]
    fn settle(&mut self) {
        if let Some(tid) = self.open_call {
            self.settle_open_call(tid);
        }
    }

    /// [`Self::settle`] when there is a call to move.
    #[inline(never)]
    fn settle_open_call(&mut self, tid: Tid) {
        self.open_call = None;
        let t = self.threads.entry(tid);
        t.pending = Some(Pending {
            complete: self.open_complete,
        });
        t.name = std::mem::take(&mut self.open_name);
    }

    /// [`Self::entered`] in the plain case (see [`Self::plain`]) when no
    /// line is open on the stream and the thread has no call pending: the
    /// line is started at the end of the stream, and the call becomes
    /// [`Self::open_call`]. False (nothing written) in the other cases.
    #[allow(clippy::ptr_arg)] // the name is kept as it is (see keep_name)
    #[inline(always)]
    fn entered_plain(
        &mut self,
        tid: Tid,
        name: &Cow<'static, str>,
        entered: &ptrail_decode::Entered,
    ) -> bool {
        if self.open_col != 0 {
            if self.current == Some(tid) {
                // (its own line: a call that never returned)
                return false;
            }
            self.unfinish_other();
        }
        let t = self.threads.entry(tid);
        if t.pending.is_some() {
            return false;
        }
        keep_name(&mut self.open_name, name);
        self.open_complete = entered.complete;
        self.open_call = Some(tid);
        let start = self.shared.buf.len();
        self.put_head(HEAD_ENTRY, tid, name);
        let buf = &mut self.shared.buf;
        dtext::write_entry_fds(buf, entered, &self.opts.decode, None);
        self.current = Some(tid);
        self.open_col = buf.len() - start;
        true
    }

    /// [`Self::exited`] of [`Self::open_call`] (whose line is the open
    /// end of the shared stream): the line is finished.
    #[inline(always)]
    fn exited_plain(&mut self, entered: &ptrail_decode::Entered, exited: &ptrail_decode::Exited) {
        self.open_call = None;
        let opts = &self.opts;
        let buf = &mut self.shared.buf;
        let start = buf.len();
        dtext::write_exit_fds(buf, entered, exited, &opts.decode, None);
        buf.push(')');
        let col = self.open_col + buf.len() - start;
        pad_equals(buf, opts.column.saturating_sub(1).saturating_sub(col));
        dtext::write_ret(buf, &exited.ret);
        buf.push('\n');
        self.open_col = 0;
    }

    /// In the plain case, ends the line another thread left open on the
    /// shared stream with ` <unfinished ...>` (its call stays pending in
    /// its [`ThreadLine`]).
    #[inline(always)]
    fn unfinish_other(&mut self) {
        self.settle();
        self.shared.buf.push_str(" <unfinished ...>\n");
        self.open_col = 0;
    }

    /// [`Self::exited`] in the plain case (see [`Self::plain`]) of a call
    /// whose entry line was left unfinished: a `<... name resumed>` line
    /// (after ending any line another thread left open). False (nothing
    /// changed) in the other cases.
    #[inline(always)]
    #[allow(clippy::ptr_arg)] // a table name is recognised by address
    fn resumed_plain(
        &mut self,
        tid: Tid,
        name: &Cow<'static, str>,
        entered: &ptrail_decode::Entered,
        exited: &ptrail_decode::Exited,
    ) -> bool {
        if self.open_col != 0 && self.current == Some(tid) {
            // (its own line is open: the general path)
            return false;
        }
        match self.threads.get_mut(&tid) {
            Some(t) if t.pending.is_some() => t.pending = None,
            _ => return false,
        }
        if self.open_col != 0 {
            self.unfinish_other();
        }
        let start = self.shared.buf.len();
        self.put_head(HEAD_RESUMED, tid, name);
        let opts = &self.opts;
        let buf = &mut self.shared.buf;
        dtext::write_exit_fds(buf, entered, exited, &opts.decode, None);
        buf.push(')');
        let col = buf.len() - start;
        pad_equals(buf, opts.column.saturating_sub(1).saturating_sub(col));
        dtext::write_ret(buf, &exited.ret);
        buf.push('\n');
        self.current = Some(tid);
        true
    }

    /// A syscall entry: `name(args` (the line stays open).
    #[allow(clippy::ptr_arg)] // the name is kept as it is (see keep_name)
    fn entered(
        &mut self,
        tid: Tid,
        name: &Cow<'static, str>,
        entered: &ptrail_decode::Entered,
        meta: &Meta,
    ) -> io::Result<()> {
        // One lookup in the common case: the thread has no call
        // pending, and now has this one.
        let t = self.threads.entry(tid);
        let unreturned = t.pending.is_some();
        if !unreturned {
            keep_name(&mut t.name, name);
            t.pending = Some(Pending {
                complete: entered.complete,
            });
        } else {
            self.finish_unreturned(tid, meta)?;
            if let Some(t) = self.threads.get_mut(&tid) {
                keep_name(&mut t.name, name);
                t.pending = Some(Pending {
                    complete: entered.complete,
                });
            }
        }
        // The line is written straight into the output buffer.
        let start = self.start_line(tid, meta)?;
        let pid = if meta.pid != 0 { meta.pid } else { tid };
        let at = self.fds.as_deref().map(|r| AtPid(r, pid));
        let fds = at.as_ref().map(|a| a as &dyn dtext::FdNames);
        let buf = dest_buf(&mut self.shared, &mut self.dests, tid)?;
        let mut hidden = 0;
        if self.opts.color {
            buf.push_str(BOLD);
            buf.push_str(name);
            buf.push_str(RESET);
            hidden = BOLD.len() + RESET.len();
        } else {
            buf.push_str(name);
        }
        buf.push('(');
        dtext::write_entry_fds(buf, entered, &self.opts.decode, fds);
        let col = buf.len() - start - hidden;
        self.set_col(tid, col);
        Ok(())
    }

    /// A syscall exit: the rest of the line, `) = RET`.
    fn exited(
        &mut self,
        tid: Tid,
        name: &str,
        entered: &ptrail_decode::Entered,
        exited: &ptrail_decode::Exited,
        meta: &Meta,
    ) -> io::Result<()> {
        let pending = self.threads.get_mut(&tid).and_then(|t| t.pending.take());
        // The call's line is still open (its entry is the end of the stream).
        let col0 = if pending.is_some() { self.col(tid) } else { 0 };
        let open = col0 > 0;
        let start = if open {
            dest_buf(&mut self.shared, &mut self.dests, tid)?.len()
        } else {
            self.start_line(tid, meta)?
        };
        let pid = if meta.pid != 0 { meta.pid } else { tid };
        let resolver = self.fds.as_deref();
        let at = resolver.map(|r| AtPid(r, pid));
        let fds = at.as_ref().map(|a| a as &dyn dtext::FdNames);
        let opts = &self.opts;
        let buf = dest_buf(&mut self.shared, &mut self.dests, tid)?;
        if !open {
            if pending.is_none() {
                // A whole call whose entry was not seen (attached
                // mid-call).
                buf.push_str(name);
                buf.push('(');
                dtext::write_entry_fds(buf, entered, &opts.decode, fds);
            } else {
                buf.push_str("<... ");
                buf.push_str(name);
                buf.push_str(" resumed>");
            }
        }
        dtext::write_exit_fds(buf, entered, exited, &opts.decode, fds);
        buf.push(')');
        let col = col0 + buf.len() - start;
        let target = opts.column.saturating_sub(1);
        pad_equals(buf, target.saturating_sub(col));
        if opts.color && ret_failed(&exited.ret) {
            buf.push_str(RED);
            dtext::write_ret(buf, &exited.ret);
            buf.push_str(RESET);
        } else {
            dtext::write_ret(buf, &exited.ret);
        }
        if let (Some(r), ptrail_decode::RetValue::Int(fd @ 0..=0x7fff_ffff)) =
            (resolver, &exited.ret)
        {
            let dupfd = matches!(name, "fcntl" | "fcntl64")
                && matches!(
                    entered.args.get(1),
                    Some(ptrail_decode::Value::Sym("F_DUPFD" | "F_DUPFD_CLOEXEC"))
                );
            if dupfd || returns_fd(name) {
                r.write_fd(pid, *fd as i32, buf);
            }
        }
        opts.timing.write_duration(buf, meta);
        buf.push('\n');
        self.set_col(tid, 0);
        Ok(())
    }

    /// The records other than syscalls.
    #[inline(never)]
    fn render_other(&mut self, tid: Tid, record: &Record<'_>, meta: &Meta) -> io::Result<bool> {
        let mut urgent = false;
        match *record {
            Record::Attached {
                announce,
                process,
                threads,
            } => {
                self.threads.entry(tid);
                if announce && self.opts.quiet < 1 {
                    if threads > 1 {
                        self.note(&format!(
                            "Process {process} attached with {threads} threads"
                        ))?;
                    } else {
                        self.note(&format!("Process {process} attached"))?;
                    }
                }
            }
            Record::Signal { sig, info } => {
                let (on, off) = self.paint(YELLOW);
                let name = signal_name(sig);
                self.whole_line_of(
                    tid,
                    meta,
                    &[on, "--- ", &name, " ", info, " ---", off, "\n"],
                )?;
            }
            Record::Stopped { sig } => {
                let (on, off) = self.paint(YELLOW);
                self.whole_line(
                    tid,
                    meta,
                    format!("{on}--- stopped by {} ---{off}\n", signal_name(sig)).as_bytes(),
                )?;
                urgent = true;
            }
            Record::Continued => {
                self.whole_line(tid, meta, b"--- continued ---\n")?;
            }
            Record::Personality { bits } => {
                if self.opts.quiet < 1 {
                    let line = if bits == 0 {
                        format!("[ Process PID={tid} runs in x32 mode. ]\n")
                    } else {
                        format!("[ Process PID={tid} runs in {bits} bit mode. ]\n")
                    };
                    self.whole_line(tid, meta, line.as_bytes())?;
                }
            }
            Record::ExecSuperseded { old_tid } => {
                // The old leader vanishes inside whatever it was doing.
                self.finish_unreturned(tid, meta)?;
                if old_tid != tid {
                    if self.line_open(old_tid) {
                        self.put(old_tid, format!(" <pid changed to {tid} ...>\n").as_bytes())?;
                    }
                    let mut moved = self.threads.remove(&old_tid).unwrap_or_default();
                    moved.col = 0;
                    if self.current == Some(old_tid) {
                        self.current = None;
                        self.open_col = 0;
                    }
                    if let Dests::PerThread { files, .. } = &mut self.dests {
                        if let Some(mut dest) = files.remove(&old_tid) {
                            dest.flush()?;
                        }
                    }
                    self.threads.insert(tid, moved);
                    if self.opts.quiet < 3 {
                        self.whole_line(
                            tid,
                            meta,
                            format!("+++ superseded by execve in pid {old_tid} +++\n").as_bytes(),
                        )?;
                    }
                }
            }
            Record::Exited { code } => {
                self.finish_unreturned(tid, meta)?;
                if self.opts.quiet < 2 {
                    let (on, off) = self.paint(DIM);
                    let mut num = itoa::Buffer::new();
                    let code = num.format(code);
                    self.whole_line_of(
                        tid,
                        meta,
                        &[on, "+++ exited with ", code, " +++", off, "\n"],
                    )?;
                }
                self.forget(tid)?;
            }
            Record::Killed { sig, core_dumped } => {
                self.finish_unreturned(tid, meta)?;
                if self.opts.quiet < 2 {
                    let core = if core_dumped { " (core dumped)" } else { "" };
                    let (on, off) = self.paint(RED);
                    self.whole_line(
                        tid,
                        meta,
                        format!("{on}+++ killed by {}{core} +++{off}\n", signal_name(sig))
                            .as_bytes(),
                    )?;
                }
                self.forget(tid)?;
            }
            Record::Detached => {
                if self.opts.quiet < 1 {
                    self.note(&format!("Process {tid} detached"))?;
                }
                if self.line_open(tid) {
                    self.put(tid, b" <detached ...>\n")?;
                }
                self.forget(tid)?;
                urgent = true;
            }
            Record::Dump { text } => {
                self.put(tid, text)?;
            }
            Record::HandedOver { tracer } => {
                if self.line_open(tid) {
                    self.put(tid, b" <detached ...>\n")?;
                }
                // The thread's last line, so kept (like the exit lines)
                // until -qq; in the trace itself when that is a file, so
                // that the log says why this thread's trace ends.
                if self.opts.quiet < 2 {
                    let text = format!("Process {tid} handed over to tracer {tracer}");
                    if matches!(self.dests, Dests::Shared { is_stderr: true }) {
                        self.note(&text)?;
                    } else {
                        let line = format!("{}: {text}\n", self.opts.program);
                        self.whole_line(tid, meta, line.as_bytes())?;
                    }
                }
                self.forget(tid)?;
                urgent = true;
            }
            // `render` prints these itself and never passes them here.
            Record::SyscallEntered { .. } | Record::SyscallExited { .. } => {}
        }
        Ok(urgent)
    }
}

/// Whether a return value is a failure (`-1 E...`, `? ERESTART...`).
fn ret_failed(ret: &ptrail_decode::RetValue) -> bool {
    match ret {
        ptrail_decode::RetValue::Error(_) => true,
        ptrail_decode::RetValue::Commented(inner, _) => ret_failed(inner),
        _ => false,
    }
}

impl TextRenderer {
    /// The codes around a colored line (empty without `--color`).
    fn paint(&self, on: &'static str) -> (&'static str, &'static str) {
        if self.opts.color {
            (on, RESET)
        } else {
            ("", "")
        }
    }

    /// Writes `text` as it is to the shared stream (the `-c` table after
    /// the trace), or to stderr with one file per thread.
    pub fn write_raw(&mut self, text: &str) -> io::Result<()> {
        match &mut self.dests {
            Dests::Shared { .. } => {
                self.shared.buf.push_str(text);
                self.shared.flush()
            }
            Dests::PerThread { .. } => io::stderr().write_all(text.as_bytes()),
        }
    }
}

impl Renderer for TextRenderer {
    fn record(&mut self, tid: Tid, record: &Record<'_>) -> io::Result<()> {
        let urgent = self.render(tid, record, &Meta::default())?;
        self.after_record(urgent)
    }

    fn record_meta(&mut self, tid: Tid, record: &Record<'_>, meta: &Meta) -> io::Result<()> {
        let urgent = self.render(tid, record, meta)?;
        // The common case, without a call: a file's buffer not yet full.
        if !urgent && self.shared.buf.len() < self.flush_below {
            return Ok(());
        }
        self.after_record(urgent)
    }

    fn message(&mut self, text: &str) -> io::Result<()> {
        self.note(text)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.after_record(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::Shared;
    use ptrail_decode::{Entered, Exited, RetValue, Value};

    fn printer(prefix: PidPrefix) -> (TextRenderer, Shared) {
        let out = Shared::default();
        let opts = TextOptions {
            prefix,
            quiet: 1,
            ..TextOptions::default()
        };
        let p = TextRenderer::new(opts, Output::Stream(Box::new(out.clone())));
        (p, out)
    }

    fn text(out: &Shared) -> String {
        out.text()
    }

    fn entered(args: Vec<Value>, complete: bool) -> Entered {
        Entered {
            args,
            complete,
            ..Entered::default()
        }
    }

    fn exited(args: Vec<Value>, ret: RetValue) -> Exited {
        Exited { args, ret }
    }

    /// Feeds records to a printer, one thread at a time.
    struct Feed<'a>(&'a mut TextRenderer);

    impl Feed<'_> {
        fn attach(&mut self, tid: Tid) {
            let rec = Record::Attached {
                announce: false,
                process: tid,
                threads: 1,
            };
            self.0.record(tid, &rec).unwrap();
        }
        fn enter(&mut self, tid: Tid, name: &str, e: &Entered) {
            let name = Cow::Owned(name.to_owned());
            let rec = Record::SyscallEntered {
                name: &name,
                entered: e,
            };
            self.0.record(tid, &rec).unwrap();
        }
        fn exit(&mut self, tid: Tid, name: &str, e: &Entered, x: &Exited) {
            let name = Cow::Owned(name.to_owned());
            let rec = Record::SyscallExited {
                name: &name,
                entered: e,
                exited: x,
            };
            self.0.record(tid, &rec).unwrap();
        }
        fn rec(&mut self, tid: Tid, rec: Record<'_>) {
            self.0.record(tid, &rec).unwrap();
        }
    }

    #[test]
    fn prefixes_of_interleaved_and_colliding_threads() {
        let mut c = PrefixCache::new(PidPrefix::WhenSeveral);
        // 100 and 116 share a slot, 101 has its own
        for _ in 0..3 {
            for (tid, text) in [
                (100, "[pid   100] "),
                (116, "[pid   116] "),
                (101, "[pid   101] "),
                (0, "[pid     0] "),
                (16, "[pid    16] "),
            ] {
                assert_eq!(c.get(tid), text.as_bytes());
            }
        }
        assert_eq!(c.get(1234567 + 16), b"[pid 1234583] ");
        let mut c = PrefixCache::new(PidPrefix::Always);
        assert_eq!(c.get(7), b"7     ");
        assert_eq!(c.get(1234567), b"1234567 ");
        assert_eq!(c.get(0), b"0     ");
    }

    /// The plain short paths (line heads from the cache, interleaved
    /// threads' unfinished and resumed lines) print what the general
    /// paths print: random interleavings of several threads (ids that
    /// share prefix and head slots), table and owned names, calls decoded
    /// at entry or at exit, signals, exits and new threads, rendered once
    /// with the short paths and once without.
    #[test]
    fn plain_paths_match_the_general_ones() {
        const NAMES: [&str; 5] = ["read", "futex", "getpid", "openat", "close"];
        for prefix in [PidPrefix::WhenSeveral, PidPrefix::Always, PidPrefix::Never] {
            let (mut fast, out_fast) = printer(prefix);
            let (mut slow, out_slow) = printer(prefix);
            assert!(fast.plain);
            slow.plain = false;
            let mut x = 0x9e37_79b9_7f4a_7c15u64 ^ prefix as u64;
            // (tid, the call it is in: name and whether complete at entry)
            type InCall = Option<(Cow<'static, str>, bool)>;
            let mut threads: Vec<(Tid, InCall)> = Vec::new();
            let mut next_tid: Tid = 100;
            for step in 0..4000 {
                x = xorshift(x);
                if threads.is_empty() || (x.is_multiple_of(23) && threads.len() < 6) {
                    let tid = next_tid;
                    // ids 64 and 16 apart share head and prefix slots
                    next_tid += if x.is_multiple_of(2) { 64 } else { 16 };
                    threads.push((tid, None));
                    for p in [&mut fast, &mut slow] {
                        Feed(p).attach(tid);
                    }
                    continue;
                }
                let i = (x >> 8) as usize % threads.len();
                let tid = threads[i].0;
                let rec: Box<dyn Fn(&mut TextRenderer)> = match (&threads[i].1, (x >> 16) % 16) {
                    (None, 0) => {
                        threads.remove(i);
                        Box::new(move |p| Feed(p).rec(tid, Record::Exited { code: 0 }))
                    }
                    (_, 1) => Box::new(move |p| {
                        let info = "{si_signo=SIGCHLD}";
                        Feed(p).rec(tid, Record::Signal { sig: 17, info })
                    }),
                    (None, k) => {
                        let name: Cow<'static, str> = if k == 2 {
                            Cow::Owned(format!("syscall_0x{step:x}"))
                        } else {
                            Cow::Borrowed(NAMES[k as usize % NAMES.len()])
                        };
                        let complete = k % 3 != 0;
                        threads[i].1 = Some((name.clone(), complete));
                        Box::new(move |p| {
                            let e = entered(vec![Value::Int(i64::from(tid))], complete);
                            let rec = Record::SyscallEntered {
                                name: &name,
                                entered: &e,
                            };
                            p.record(tid, &rec).unwrap();
                        })
                    }
                    (Some(_), _) => {
                        let (name, complete) = threads[i].1.take().unwrap();
                        Box::new(move |p| {
                            let e = entered(vec![Value::Int(i64::from(tid))], complete);
                            let args = if complete {
                                vec![]
                            } else {
                                vec![Value::UInt(7)]
                            };
                            let x = exited(args, RetValue::Int(i64::from(step)));
                            let rec = Record::SyscallExited {
                                name: &name,
                                entered: &e,
                                exited: &x,
                            };
                            p.record(tid, &rec).unwrap();
                        })
                    }
                };
                rec(&mut fast);
                rec(&mut slow);
            }
            fast.flush().unwrap();
            slow.flush().unwrap();
            let (a, b) = (text(&out_fast), text(&out_slow));
            assert!(a.contains("resumed>") && a.contains("<unfinished ...>"));
            assert_eq!(a, b, "{prefix:?}");
        }
    }

    /// A xorshift step (the test's random numbers).
    fn xorshift(mut x: u64) -> u64 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    }

    #[test]
    fn pad_equals_is_pad_then_equals() {
        for n in 0..200 {
            let (mut a, mut b) = (Line::new(), Line::new());
            a.push('x');
            b.push('x');
            pad_equals(&mut a, n);
            pad(&mut b, n);
            b.push_str(" = ");
            assert_eq!(a, b, "{n}");
        }
    }

    #[test]
    fn long_column_pads_beyond_64() {
        let out = Shared::default();
        let opts = TextOptions {
            column: 100,
            prefix: PidPrefix::Never,
            quiet: 1,
            ..TextOptions::default()
        };
        let mut p = TextRenderer::new(opts, Output::Stream(Box::new(out.clone())));
        let mut f = Feed(&mut p);
        let e = entered(vec![Value::Int(-1)], true);
        f.attach(1);
        f.enter(1, "close", &e);
        f.exit(1, "close", &e, &exited(vec![], RetValue::Error(9)));
        p.flush().unwrap();
        assert_eq!(
            text(&out),
            format!(
                "close(-1){} = -1 EBADF (Bad file descriptor)\n",
                " ".repeat(90)
            )
        );
    }

    #[test]
    fn aligns_return_at_column_40() {
        let (mut p, out) = printer(PidPrefix::WhenSeveral);
        let mut f = Feed(&mut p);
        let e = entered(vec![], true);
        f.attach(1);
        f.enter(1, "getuid", &e);
        f.exit(1, "getuid", &e, &exited(vec![], RetValue::Int(0)));
        p.flush().unwrap();
        assert_eq!(text(&out), format!("getuid(){} = 0\n", " ".repeat(31)));
    }

    #[test]
    fn interleaving_splits_lines() {
        let (mut p, out) = printer(PidPrefix::WhenSeveral);
        let mut f = Feed(&mut p);
        f.attach(10);
        f.attach(11);
        let wait = entered(vec![Value::Int(-1)], false);
        f.enter(10, "wait4", &wait);
        f.enter(11, "exit_group", &entered(vec![Value::Int(0)], true));
        f.rec(11, Record::Exited { code: 0 });
        f.exit(
            10,
            "wait4",
            &wait,
            &exited(vec![Value::Int(0)], RetValue::Int(11)),
        );
        p.flush().unwrap();
        assert_eq!(
            text(&out),
            "[pid    10] wait4(-1,  <unfinished ...>\n\
             [pid    11] exit_group(0)               = ?\n\
             [pid    11] +++ exited with 0 +++\n\
             <... wait4 resumed>0)                   = 11\n"
        );
    }

    #[test]
    fn open_call_kept_by_the_short_path_survives_other_records() {
        // (the short path keeps an open call apart from its thread's state:
        // every other record must see it as pending)
        let (mut p, out) = printer(PidPrefix::Always);
        let mut f = Feed(&mut p);
        f.attach(5);
        f.attach(6);
        let read = entered(vec![Value::Int(0)], false);
        f.enter(5, "read", &read);
        f.rec(
            5,
            Record::Signal {
                sig: 17,
                info: "{si_signo=SIGCHLD}",
            },
        );
        f.exit(5, "read", &read, &exited(vec![], RetValue::Int(0)));
        let sleep = entered(vec![], true);
        f.enter(6, "nanosleep", &sleep);
        f.rec(
            6,
            Record::Killed {
                sig: 9,
                core_dumped: false,
            },
        );
        f.enter(5, "getpid", &sleep);
        f.enter(5, "getppid", &sleep);
        f.exit(5, "getppid", &sleep, &exited(vec![], RetValue::Int(1)));
        p.flush().unwrap();
        assert_eq!(
            text(&out),
            "5     read(0,  <unfinished ...>\n\
             5     --- SIGCHLD {si_signo=SIGCHLD} ---\n\
             5     <... read resumed>)               = 0\n\
             6     nanosleep()                       = ?\n\
             6     +++ killed by SIGKILL +++\n\
             5     getpid()                          = ?\n\
             5     getppid()                         = 1\n"
        );
    }

    #[test]
    fn exit_glue_joins_entry_and_exit_arguments() {
        let (mut p, out) = printer(PidPrefix::Never);
        let mut f = Feed(&mut p);
        f.attach(5);
        let mut e = entered(vec![Value::Raw("{flags=0}".into())], false);
        e.exit_glue = Some(" => ");
        f.enter(5, "clone3", &e);
        let x = exited(
            vec![Value::Raw("{parent_tid=[6]}".into()), Value::UInt(88)],
            RetValue::Int(6),
        );
        f.exit(5, "clone3", &e, &x);
        p.flush().unwrap();
        assert_eq!(
            text(&out),
            "clone3({flags=0} => {parent_tid=[6]}, 88) = 6\n"
        );
    }

    #[test]
    fn always_prefix_and_signals() {
        let (mut p, out) = printer(PidPrefix::Always);
        let mut f = Feed(&mut p);
        f.attach(42);
        f.rec(42, Record::Stopped { sig: 19 });
        f.rec(42, Record::Continued);
        f.rec(
            42,
            Record::Killed {
                sig: 11,
                core_dumped: true,
            },
        );
        p.flush().unwrap();
        let t = text(&out);
        assert!(t.starts_with("42    --- stopped by SIGSTOP ---\n"), "{t}");
        assert!(t.contains("42    --- continued ---\n"), "{t}");
        assert!(
            t.ends_with("42    +++ killed by SIGSEGV (core dumped) +++\n"),
            "{t}"
        );
    }

    #[test]
    fn exec_in_a_thread_and_detach() {
        let (mut p, out) = printer(PidPrefix::Always);
        let mut f = Feed(&mut p);
        f.attach(7);
        f.attach(8);
        let none = entered(vec![], true);
        f.enter(7, "futex", &none);
        f.enter(8, "execve", &none);
        f.rec(7, Record::ExecSuperseded { old_tid: 8 });
        f.exit(7, "execve", &none, &exited(vec![], RetValue::Int(0)));
        f.enter(7, "read", &entered(vec![Value::Int(0)], false));
        f.rec(7, Record::Detached);
        assert_eq!(p.thread_count(), 0);
        assert_eq!(
            text(&out),
            "7     futex( <unfinished ...>\n\
             8     execve( <unfinished ...>\n\
             7     <... futex resumed>)              = ?\n\
             7     +++ superseded by execve in pid 8 +++\n\
             7     <... execve resumed>)             = 0\n\
             7     read(0,  <detached ...>\n"
        );
    }

    #[test]
    fn handed_over_ends_the_thread_in_the_file() {
        let (mut p, out) = printer(PidPrefix::Always);
        let mut f = Feed(&mut p);
        f.attach(7);
        let traceme = entered(vec![Value::Raw("PTRACE_TRACEME".into())], true);
        f.enter(7, "ptrace", &traceme);
        f.rec(7, Record::HandedOver { tracer: 6 });
        assert_eq!(p.thread_count(), 0);
        assert_eq!(
            text(&out),
            "7     ptrace(PTRACE_TRACEME <detached ...>\n\
             7     ptrail: Process 7 handed over to tracer 6\n"
        );
    }

    #[test]
    fn one_file_per_thread() {
        let dir = std::env::temp_dir().join(format!("ptrail-render-ff-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let opts = TextOptions {
            prefix: PidPrefix::Never,
            ..TextOptions::default()
        };
        let mut p = TextRenderer::new(opts, Output::PerThread(dir.join("t")));
        let mut f = Feed(&mut p);
        f.attach(3);
        f.attach(4);
        let wait = entered(vec![Value::Int(-1)], false);
        f.enter(3, "wait4", &wait);
        f.rec(4, Record::Exited { code: 0 });
        f.exit(
            3,
            "wait4",
            &wait,
            &exited(vec![Value::Int(0)], RetValue::Int(4)),
        );
        f.rec(3, Record::Exited { code: 0 });
        p.flush().unwrap();
        let three = std::fs::read_to_string(dir.join("t.3")).unwrap();
        let four = std::fs::read_to_string(dir.join("t.4")).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        let line = format!("wait4(-1, 0){} = 4\n", " ".repeat(27));
        assert_eq!(three, format!("{line}+++ exited with 0 +++\n"));
        assert_eq!(four, "+++ exited with 0 +++\n");
    }
}
