//! The bridge between the engine and the printers: a [`Sink`] that decodes
//! each event with `ptrail-decode` (reading the stopped tracee's memory),
//! applies the `-e` filter and hands [`Record`]s to a [`Renderer`].
//!
//! It also remembers how the command ptrail started ended, for the exit
//! status.

use crate::filter::Filter;
use crate::handover;
use crate::qualify::{SysSet, ABIS};
use ptrail_decode::{
    decode_enter, decode_enter_into, decode_exit, decode_exit_with, decode_siginfo,
    decode_sigreturn, reset_entered, syscall_name, Abi, Call, DecodeOptions, Entered, Exited,
    RetValue, SigInfoFields, TraceeMemory, Value,
};
use ptrail_engine::{Arch, Event, SigInfo, Sink, SyscallEnter, SyscallExit, Tid, Tracee};
use ptrail_render::{Meta, Record, Renderer, TidMap};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::borrow::Cow;
use std::io;

/// How the started command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// `exit(code)`
    Exited(i32),
    /// Killed by a signal.
    Killed(i32),
}

/// A thread's syscall: the one between entry and exit, or the last one.
/// Kept in place from call to call, so that its argument vectors (and the
/// string buffers of the values, through the decoder's pools) are reused.
#[derive(Default)]
struct InFlight {
    call: Call,
    entered: Entered,
    name: Cow<'static, str>,
    shown: bool,
    /// Entry time (ns), CPU clock of the process (ns) and instruction
    /// pointer, when the output options need them.
    t0: u64,
    cpu0: u64,
    ip: u64,
    /// An emptied vector for the arguments decoded at exit.
    exit_args: Vec<Value>,
    /// Whether the exit is decoded (false: the call has no decoder and
    /// the plain return value is all there is).
    exit_decoder: bool,
}

/// What the sink remembers of one thread: one map lookup per event.
#[derive(Default)]
struct ThreadState {
    /// The thread's current or last syscall (its name is the last one the
    /// thread entered, which restart_syscall names).
    call: InFlight,
    /// Whether `call` has been entered and has not returned.
    live: bool,
    /// The personality of its last syscall (0: x86_64), for strace's note
    /// when it changes.
    personality: u8,
}

impl ThreadState {
    /// An empty state that keeps this one's vectors (their capacity), for
    /// a thread to come: a new thread's argument vectors then do not grow
    /// again during its first calls. The values' buffers go back to the
    /// decoder's pools.
    fn into_spare(mut self) -> ThreadState {
        let f = &mut self.call;
        reset_entered(&mut f.entered);
        ptrail_decode::recycle(&mut f.exit_args);
        ThreadState {
            call: InFlight {
                entered: Entered {
                    args: std::mem::take(&mut f.entered.args),
                    saved: std::mem::take(&mut f.entered.saved),
                    ..Entered::default()
                },
                exit_args: std::mem::take(&mut f.exit_args),
                ..InFlight::default()
            },
            ..ThreadState::default()
        }
    }
}

/// How many finished threads' states are kept, emptied, for new threads
/// (see [`ThreadState::into_spare`]): a few, for processes and threads
/// that come and go (each holds a few small vectors).
const SPARE_STATES: usize = 4;

/// Where records go, and the first output error.
struct Out<'r> {
    renderer: &'r mut dyn Renderer,
    error: Option<io::Error>,
}

impl Out<'_> {
    fn emit(&mut self, tid: Tid, record: &Record<'_>, now: &Meta) {
        if self.error.is_some() {
            return;
        }
        let res = self.renderer.record_meta(tid, record, now);
        self.check(res);
    }

    /// The entry part of `f`'s line.
    fn emit_entry(&mut self, tid: Tid, f: &InFlight, now: &Meta) {
        let record = Record::SyscallEntered {
            name: &f.name,
            entered: &f.entered,
        };
        self.emit(tid, &record, now);
    }

    /// The exit part (or the whole line) of `f`, which returned `exited`.
    fn emit_exit(&mut self, tid: Tid, f: &InFlight, exited: &Exited, now: &Meta) {
        let record = Record::SyscallExited {
            name: &f.name,
            entered: &f.entered,
            exited,
        };
        self.emit(tid, &record, now);
    }

    #[inline(always)]
    fn check(&mut self, res: io::Result<()>) {
        if let Err(e) = res {
            self.failed(e);
        }
    }

    /// An output error: the first one is kept and stops tracing.
    #[cold]
    #[inline(never)]
    fn failed(&mut self, e: io::Error) {
        if self.error.is_none() {
            let sig = if e.kind() == io::ErrorKind::BrokenPipe {
                libc::SIGPIPE
            } else {
                libc::SIGTERM
            };
            self.error = Some(e);
            crate::signals::request_stop(sig);
        }
    }
}

/// What the output options need measured per event (see [`Meta`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Measure {
    /// One wall-clock reading per event (timestamps, -T, -w, --json).
    pub clock: bool,
    /// The instruction pointer (-i).
    pub ip: bool,
    /// The process CPU clock at syscall entry and exit (-c without -w).
    pub cpu: bool,
    /// -c: count only, decode nothing.
    pub count_only: bool,
}

/// Wall-clock time in ns since the epoch (clock_gettime via the vDSO).
fn now_ns() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

/// Reads tracee memory for the decoders.
struct Memory<'a, 'b>(&'a Tracee<'b>);

impl TraceeMemory for Memory<'_, '_> {
    fn read(&self, addr: u64, buf: &mut [u8]) -> Option<usize> {
        self.0.read_memory(addr, buf)
    }
}

/// The personality of a syscall as [`Meta::personality`] counts it.
fn personality(arch: Arch) -> u8 {
    match arch {
        Arch::I386 => 1,
        Arch::X32 => 2,
        Arch::X86_64 | Arch::Other(_) => 0,
    }
}

/// The engine's ABI name as the decoder's.
pub fn abi_of(arch: Arch) -> Abi {
    match arch {
        Arch::X86_64 | Arch::Other(_) => Abi::X86_64,
        Arch::I386 => Abi::I386,
        Arch::X32 => Abi::X32,
    }
}

/// The engine's raw siginfo as the fields the decoder prints, picking the
/// union member the signal and code say is in use.
pub fn siginfo_fields(info: &SigInfo) -> SigInfoFields {
    let signo = info.signo();
    let code = info.code();
    let from_kernel = code > 0;
    let mut f = SigInfoFields {
        signo,
        errno: info.errno(),
        code,
        pid: info.pid(),
        uid: info.uid(),
        status: info.status(),
        utime: info.utime(),
        stime: info.stime(),
        value: info.value(),
        ..SigInfoFields::default()
    };
    match signo {
        _ if code == libc::SI_TIMER => {
            f.int1 = info.timerid();
            f.int2 = info.overrun() as u32;
        }
        libc::SIGSEGV | libc::SIGBUS | libc::SIGILL | libc::SIGFPE | libc::SIGTRAP
            if from_kernel =>
        {
            f.addr = info.addr();
        }
        libc::SIGPOLL if from_kernel => {
            f.addr = info.band() as u64;
            f.int1 = info.fd();
        }
        libc::SIGSYS if from_kernel => {
            f.addr = info.call_addr();
            f.int1 = info.syscall();
            f.int2 = info.arch();
        }
        _ => {}
    }
    f
}

/// The CLI's engine sink.
pub struct TraceSink<'r> {
    out: Out<'r>,
    decode: DecodeOptions,
    filter: Filter,
    /// Injection, -P, status= and --syscall-limit state (inject.rs).
    tamper: crate::inject::Tamper,
    threads: TidMap<ThreadState>,
    /// Emptied states of finished threads, for new ones (at most
    /// [`SPARE_STATES`]).
    spare: Vec<ThreadState>,
    /// The command ptrail started, if any.
    spawned: Option<Tid>,
    /// Threads seized by `-p`: their process and its thread count.
    attach_groups: HashMap<Tid, (Tid, usize)>,
    /// `-p` processes already announced.
    announced: HashSet<Tid>,
    /// `-b execve`: detach from processes when they execve (except the
    /// command's own first one, which `skip_exec` stands for).
    detach_on_execve: bool,
    skip_exec: bool,
    /// The started command's first syscall (its execve) is still to come.
    startup_exec: bool,
    /// strace's `[ Process PID=N runs in 32 bit mode. ]` (not with
    /// `-e quiet=personality`).
    personality_note: bool,
    /// Hand-overs under way (tracing tracers, see handover.rs): the
    /// thread or process handed over -> (the thread whose ptrace call
    /// asked for it, the new tracer). Cleared when that call returns.
    handing: HashMap<Tid, (Tid, Tid)>,
    /// How it ended, once it did.
    pub ending: Option<Ending>,
    /// What to measure per event, and the current event's measures.
    measure: Measure,
    now: Meta,
    /// `-y`: the descriptor cache the text printer reads.
    fds: Option<std::rc::Rc<crate::fds::FdCache>>,
    /// Nothing is tampered with, filtered by outcome, shown raw or dumped:
    /// syscall stops skip those steps (see [`Self::refresh_plain`]).
    untampered: bool,
    /// Untampered, and nothing is measured, counted (-c) or tracked for
    /// `-y`: syscall stops skip those steps too.
    plain: bool,
    /// The syscalls whose entries take the short path of [`Self::on_enter`]:
    /// in the plain case, the shown ones that need nothing of their own
    /// (not ptrace, the sigreturns or restart_syscall); else none.
    fast: SysSet,
}

/// Syscalls the sink treats on their own at entry: a tracee's `ptrace`
/// (hand-overs), the sigreturns (mask in the signal frame) and
/// restart_syscall (names the call it resumes).
const SPECIAL_CALLS: [&str; 4] = ["ptrace", "rt_sigreturn", "sigreturn", "restart_syscall"];

impl<'r> TraceSink<'r> {
    /// A sink printing through `renderer`.
    pub fn new(renderer: &'r mut dyn Renderer, decode: DecodeOptions, filter: Filter) -> Self {
        let mut sink = TraceSink {
            out: Out {
                renderer,
                error: None,
            },
            decode,
            tamper: crate::inject::Tamper::new(&filter).0,
            filter,
            threads: TidMap::default(),
            spare: Vec::new(),
            spawned: None,
            detach_on_execve: false,
            personality_note: true,
            skip_exec: false,
            startup_exec: false,
            attach_groups: HashMap::default(),
            announced: HashSet::default(),
            handing: HashMap::default(),
            ending: None,
            measure: Measure::default(),
            now: Meta::default(),
            fds: None,
            untampered: false,
            plain: false,
            fast: SysSet::NONE,
        };
        sink.refresh_plain();
        sink
    }

    /// Works out [`Self::untampered`] and [`Self::plain`] again after an
    /// option changed (before tracing starts). In the plain case the
    /// event's measures keep their defaults, so they are reset here once
    /// rather than per event.
    fn refresh_plain(&mut self) {
        let m = self.measure;
        self.untampered = self.tamper.idle(&self.filter)
            && self.filter.raw.is_empty()
            && !self.filter.by_status()
            && !self.filter.dumps();
        self.plain =
            self.untampered && !(m.clock || m.ip || m.cpu || m.count_only) && self.fds.is_none();
        self.now = Meta::default();
        self.fast = SysSet::NONE;
        if self.plain {
            self.fast = self.filter.trace;
            for abi in ABIS {
                for name in SPECIAL_CALLS {
                    if let Some(nr) = ptrail_decode::syscall_number(abi, name) {
                        self.fast.remove(abi, nr);
                    }
                }
            }
        }
    }

    /// `-y`: the descriptor cache to keep right (dropped per process when
    /// its descriptors change).
    pub fn set_fd_cache(&mut self, fds: std::rc::Rc<crate::fds::FdCache>) {
        self.fds = Some(fds);
        self.refresh_plain();
    }

    /// What the output options need measured (timestamps, -T, -i, -c).
    pub fn set_measure(&mut self, m: Measure) {
        self.measure = m;
        self.refresh_plain();
    }

    /// Tells the sink which process is the started command.
    pub fn set_spawned(&mut self, pid: Tid) {
        self.spawned = Some(pid);
        self.skip_exec = true;
        self.startup_exec = true;
    }

    /// `--seccomp-bpf` is used: warn if the kernel refuses the filter.
    pub fn expect_seccomp(&mut self) {
        self.tamper.expect_seccomp();
        self.refresh_plain();
    }

    /// `-b execve`.
    pub fn set_detach_on_execve(&mut self, yes: bool) {
        self.detach_on_execve = yes;
    }

    /// Whether to print strace's note when a thread's syscalls change
    /// personality (`-e quiet=personality` turns it off).
    pub fn set_personality_note(&mut self, yes: bool) {
        self.personality_note = yes;
    }

    /// Tells the sink that `-p pid` was attached together with `threads`
    /// (its thread ids, `pid` included).
    pub fn set_attached(&mut self, pid: Tid, threads: &[Tid]) {
        let n = threads.len().max(1);
        for &tid in threads.iter().chain(std::iter::once(&pid)) {
            self.attach_groups.insert(tid, (pid, n));
        }
    }

    /// A diagnostic line in order with the trace.
    pub fn message(&mut self, text: &str) {
        let res = self.out.renderer.message(text);
        self.out.check(res);
    }

    /// Writes out buffered output.
    pub fn flush(&mut self) {
        let res = self.out.renderer.flush();
        self.out.check(res);
    }

    /// The first output error (tracing was stopped when it happened).
    pub fn take_error(&mut self) -> Option<io::Error> {
        self.out.error.take()
    }

    fn emit(&mut self, tid: Tid, record: &Record<'_>) {
        self.out.emit(tid, record, &self.now);
    }

    /// A syscall entry: tampering, decoding and the entry part of its line.
    #[inline]
    fn on_enter(&mut self, tracee: &mut Tracee<'_>, e: &SyscallEnter) {
        let tid = tracee.tid();
        let abi = abi_of(e.arch);
        let st = self.threads.entry(tid);
        // The call is written once, where it is kept until its exit.
        st.call.call = Call {
            abi,
            nr: e.nr,
            args: e.args,
        };
        let personality = personality(e.arch);
        if self.fast.contains(abi, e.nr) && personality == st.personality {
            // The plain case of what follows: shown, untampered, nothing
            // measured, no note, nothing of its own to do.
            let f = &mut st.call;
            f.name = ptrail_decode::call_name(&f.call);
            f.exit_decoder =
                decode_enter_into(&self.decode, &f.call, &Memory(tracee), &mut f.entered);
            self.now.personality = personality;
            self.out.emit_entry(tid, f, &self.now);
            f.shown = true;
            st.live = true;
            return;
        }
        let call = &st.call.call;
        let name = ptrail_decode::call_name(call);
        if !self.plain {
            self.now.ip = self.measure.ip.then_some(e.ip);
        }
        let shown = if self.untampered {
            self.filter.traces(abi, e.nr)
        } else {
            // Like strace, the started command's own execve (its first
            // visible syscall) is not tampered with (nothing is when
            // untampered).
            let startup = self.startup_exec && self.spawned == Some(tid);
            self.startup_exec &= !startup;
            self.tamper.at_entry(&self.filter, tracee, abi, e, !startup)
        };
        self.now.personality = personality;
        // strace's note when a thread's syscalls switch ABI (a
        // 32-bit program after execve).
        if self.personality_note && self.now.personality != st.personality {
            st.personality = self.now.personality;
            let bits = match self.now.personality {
                1 => 32,
                2 => 0,
                _ => 64,
            };
            self.out.emit(tid, &Record::Personality { bits }, &self.now);
        }
        if name == "ptrace" {
            hand_over(&mut self.handing, tracee, &e.args);
        }
        // The thread's previous call is decoded over in place (its vectors
        // reused, its strings given back to the decoder's pools).
        let f = &mut st.call;
        f.exit_decoder = true;
        if !shown || (!self.plain && self.measure.count_only) {
            reset_entered(&mut f.entered);
        } else if matches!(&*name, "rt_sigreturn" | "sigreturn") {
            // The restored mask lives in the signal frame on the stack.
            f.entered = decode_sigreturn(&self.decode, &f.call, e.sp, &Memory(tracee));
        } else if !self.untampered && self.filter.raw.contains(abi, e.nr) {
            f.entered = crate::inject::raw_entered(&f.call);
        } else {
            f.exit_decoder =
                decode_enter_into(&self.decode, &f.call, &Memory(tracee), &mut f.entered);
        }
        let entered = &mut f.entered;
        // restart_syscall names the call it resumes; only the
        // thread's history knows it (strace says "read" when it
        // does not know, e.g. right after attaching).
        let previous = std::mem::replace(&mut f.name, name);
        if f.name == "restart_syscall" && entered.args.is_empty() {
            let resumed = if previous.is_empty() {
                "read"
            } else {
                &previous
            };
            entered.args.push(Value::Raw(format!(
                "<... resuming interrupted {resumed} ...>"
            )));
        }
        // -c prints no lines: only exits are counted.
        if shown && (self.plain || !self.filter.by_status() && !self.measure.count_only) {
            self.out.emit_entry(tid, f, &self.now);
        }
        f.shown = shown;
        // (what the exit measures from; nothing is in the plain case)
        if !self.plain {
            f.t0 = self.now.time_ns;
            f.cpu0 = if self.measure.cpu {
                tracee.sys_time_ns().unwrap_or(0)
            } else {
                0
            };
            f.ip = e.ip;
        }
        st.live = true;
    }

    /// A syscall exit: the rest of its line (or all of it).
    #[inline]
    fn on_exit(&mut self, tracee: &mut Tracee<'_>, e: &SyscallExit) {
        let tid = tracee.tid();
        let st = self.threads.get_mut(&tid).filter(|s| s.live);
        let f = st.map(|s| {
            s.live = false;
            &mut s.call
        });
        if let Some(fds) = &self.fds {
            let name = f.as_ref().map(|f| &*f.name);
            if name.is_some_and(crate::fds::changes_fds) {
                fds.forget_process(tracee.pid());
                if name == Some("socket") {
                    fds.note_socket(tracee.pid(), e.ret, e.args[0], e.args[1]);
                }
            }
        }
        if !self.handing.is_empty() {
            self.handing.retain(|_, &mut (caller, _)| caller != tid);
        }
        let (ret, marks) = if self.untampered {
            (e.ret, 0)
        } else {
            self.tamper.at_exit(tracee, abi_of(e.arch), e)
        };
        let mem = Memory(tracee);
        match f {
            Some(f) if !f.shown => {}
            Some(f) => {
                if !self.plain {
                    if self.measure.clock {
                        self.now.duration_ns = Some(self.now.time_ns.saturating_sub(f.t0));
                    }
                    if self.measure.cpu {
                        let t = mem.0.sys_time_ns().unwrap_or(0);
                        self.now.cpu_ns = Some(t.saturating_sub(f.cpu0));
                    }
                    self.now.ip = self.measure.ip.then_some(f.ip);
                }
                self.now.personality = personality(e.arch);
                let parts = Parts {
                    out: &mut self.out,
                    decode: &self.decode,
                    filter: &self.filter,
                    tamper: &mut self.tamper,
                    measure: self.measure,
                    untampered: self.untampered,
                    now: &self.now,
                };
                parts.exit_shown(tid, f, ret, marks, &mem)
            }
            None => self.exit_unseen(mem.0, e),
        }
    }

    /// The exit of a call whose entry was not seen: its line whole.
    #[inline(never)]
    fn exit_unseen(&mut self, tracee: &Tracee<'_>, e: &SyscallExit) {
        let abi = abi_of(e.arch);
        let name = syscall_name(abi, e.nr);
        if self.filter.traces(abi, e.nr) {
            let call = Call {
                abi,
                nr: e.nr,
                args: e.args,
            };
            let mem = Memory(tracee);
            let entered = decode_enter(&self.decode, &call, &mem);
            let exited = decode_exit(&self.decode, &call, &entered, e.ret, &mem);
            self.emit(
                tracee.tid(),
                &Record::SyscallExited {
                    name: &name,
                    entered: &entered,
                    exited: &exited,
                },
            );
        }
    }

    /// Events other than syscall stops (out of line: the hot path is
    /// [`Self::on_enter`] and [`Self::on_exit`]).
    #[inline(never)]
    fn on_event(&mut self, tracee: &mut Tracee<'_>, event: &Event) {
        let tid = tracee.tid();
        match *event {
            Event::Attached { .. } => {
                // A new thread (its first event): a spare state saves its
                // vectors' growing.
                if !self.threads.contains_key(&tid) {
                    if let Some(st) = self.spare.pop() {
                        self.threads.insert(tid, st);
                    }
                }
                // The threads of a `-p` process are announced once, with the
                // first of them to report ("Process P attached with N threads").
                let (announce, process, threads) = match self.attach_groups.remove(&tid) {
                    Some((pid, n)) => (self.announced.insert(pid), pid, n),
                    None => (self.spawned != Some(tid), tid, 1),
                };
                self.emit(
                    tid,
                    &Record::Attached {
                        announce,
                        process,
                        threads,
                    },
                );
            }
            // syscall stops go to on_enter/on_exit (see Sink::event)
            Event::SyscallEnter(_) | Event::SyscallExit(_) => {}
            Event::Signal(info) if !self.filter.shows_signal(info.signo()) => {}
            Event::Signal(info) => {
                let text = decode_siginfo(&siginfo_fields(&info));
                self.emit(
                    tid,
                    &Record::Signal {
                        sig: info.signo(),
                        info: &text,
                    },
                );
            }
            Event::GroupStop { sig } => self.emit(tid, &Record::Stopped { sig }),
            Event::Continued => self.emit(tid, &Record::Continued),
            Event::NewChild { .. } => {}
            Event::Exec { old_tid } => {
                if let Some(fds) = &self.fds {
                    fds.forget_process(tracee.pid());
                }
                self.tamper.forget_process(tracee.pid());
                if self.detach_on_execve {
                    if self.skip_exec && self.spawned == Some(tid) {
                        self.skip_exec = false;
                    } else {
                        tracee.hand_over(tid);
                    }
                }
                if old_tid != tid {
                    // The exec'ing thread now carries the process id.
                    self.forget(tid);
                    if let Some(st) = self.threads.remove(&old_tid) {
                        self.threads.insert(tid, st);
                    }
                    self.emit(tid, &Record::ExecSuperseded { old_tid });
                }
            }
            Event::Exited { code } => {
                if let Some(fds) = self.fds.as_ref().filter(|_| tid == tracee.pid()) {
                    fds.forget_process(tid);
                }
                self.unfinished(tid, false);
                self.forget(tid);
                if self.spawned == Some(tid) {
                    self.ending = Some(Ending::Exited(code));
                }
                self.emit(tid, &Record::Exited { code });
            }
            Event::Killed { sig, core_dumped } => {
                self.unfinished(tid, false);
                self.forget(tid);
                if self.spawned == Some(tid) {
                    self.ending = Some(Ending::Killed(sig));
                }
                self.emit(tid, &Record::Killed { sig, core_dumped });
            }
            Event::Detached(_) => {
                let handed = self
                    .handing
                    .get(&tid)
                    .or_else(|| self.handing.get(&tracee.pid()))
                    .copied();
                self.unfinished(tid, true);
                self.forget(tid);
                match handed {
                    Some((_, tracer)) => self.emit(tid, &Record::HandedOver { tracer }),
                    None => self.emit(tid, &Record::Detached),
                }
            }
        }
    }

    /// Under `-e status=`: a shown syscall the thread never returned from
    /// is printed when the thread ends (`= ?`), if `unfinished` (or
    /// `detached`) is selected.
    fn unfinished(&mut self, tid: Tid, detached: bool) {
        self.tamper.forget(tid);
        if !self.filter.by_status() || !crate::inject::unfinished_shown(&self.filter, detached) {
            return;
        }
        let st = self.threads.get_mut(&tid).filter(|s| s.live);
        if let Some(f) = st.map(|s| {
            s.live = false;
            &s.call
        }) {
            if f.shown {
                self.out.emit_entry(tid, f, &self.now);
            }
        }
    }

    /// Drops what is remembered of a thread that is gone.
    fn forget(&mut self, tid: Tid) {
        if let Some(st) = self.threads.remove(&tid) {
            if self.spare.len() < SPARE_STATES {
                self.spare.push(st.into_spare());
            }
        }
        if !self.handing.is_empty() {
            self.handing.retain(|_, &mut (caller, _)| caller != tid);
        }
    }
}

/// The sink's parts that print a syscall's exit, borrowed apart from the
/// thread map (which holds the syscall).
struct Parts<'a, 'r> {
    out: &'a mut Out<'r>,
    decode: &'a DecodeOptions,
    filter: &'a Filter,
    tamper: &'a mut crate::inject::Tamper,
    measure: Measure,
    /// [`TraceSink::untampered`]: nothing to change or add at exit.
    untampered: bool,
    now: &'a Meta,
}

impl Parts<'_, '_> {
    /// The exit of a shown syscall (`ret` as the tracee sees it, after
    /// injection): markers, -e raw=, status=, hex dumps, --syscall-limit.
    #[inline(always)]
    fn exit_shown(self, tid: Tid, f: &mut InFlight, ret: i64, marks: u8, mem: &Memory<'_, '_>) {
        if self.untampered && (self.measure.count_only || !f.exit_decoder) {
            // Untampered, a call without exit decoding (or -c, which
            // decodes nothing): its return value as a number.
            let exited = Exited {
                args: Vec::new(),
                ret: RetValue::from_raw(ret),
            };
            self.out.emit_exit(tid, f, &exited, self.now);
            // Neither an empty vector nor a number owns memory: nothing to
            // drop (spares the out-of-line drop of the return value).
            std::mem::forget(exited);
            return;
        }
        let mut exited = if self.measure.count_only || !f.exit_decoder {
            Exited {
                args: Vec::new(),
                ret: RetValue::from_raw(ret),
            }
        } else {
            // Only a call whose entry was incomplete has exit arguments.
            let args = if f.entered.complete {
                Vec::new()
            } else {
                std::mem::take(&mut f.exit_args)
            };
            decode_exit_with(self.decode, &f.call, &f.entered, ret, mem, args)
        };
        if self.untampered {
            // What the general case below comes to without tampering,
            // raw=, status=, dumps or a syscall limit.
            self.out.emit_exit(tid, f, &exited, self.now);
        } else if self.tamper.finish(self.filter, &f.call, &mut exited, marks) {
            self.out.emit_exit(tid, f, &exited, self.now);
            if self.filter.dumps() {
                let dump =
                    crate::dump::dump(self.filter, f.call.abi, &f.name, &f.call.args, ret, mem);
                if let Some(text) = dump {
                    self.out.emit(
                        tid,
                        &Record::Dump {
                            text: text.as_bytes(),
                        },
                        self.now,
                    );
                }
            }
            if self.tamper.count_shown(self.filter) {
                crate::signals::request_detach();
            }
        }
        // The exit vector serves the thread's next call (the entry one is
        // emptied at the next entry).
        if exited.args.capacity() > 0 {
            ptrail_decode::recycle(&mut exited.args);
            f.exit_args = exited.args;
        }
    }
}

/// At the entry of a tracee's `ptrace` call: if it makes the tracee (or
/// its parent) the tracer of something ptrail traces, ptrail lets go of
/// that before the call runs (see handover.rs). `handing` remembers it.
fn hand_over(handing: &mut HashMap<Tid, (Tid, Tid)>, tracee: &mut Tracee<'_>, args: &[u64; 6]) {
    let tid = tracee.tid();
    if let Some(h) = handover::at_ptrace_entry(tid, tracee.pid(), args) {
        handing.insert(h.target, (tid, h.tracer));
        tracee.hand_over(h.target);
    }
}

impl Sink for TraceSink<'_> {
    fn event(&mut self, tracee: &mut Tracee<'_>, event: &Event) {
        // (field by field: only what the previous event may have set;
        // in the plain case nothing sets the measures)
        self.now.pid = tracee.pid();
        self.now.personality = 0;
        if !self.plain {
            self.now.time_ns = if self.measure.clock { now_ns() } else { 0 };
            self.now.ip = None;
            self.now.duration_ns = None;
            self.now.cpu_ns = None;
            if self.measure.ip && matches!(event, Event::Signal(_)) {
                self.now.ip = tracee.regs().map(|r| r.rip);
            }
        }
        match event {
            Event::SyscallEnter(e) => self.on_enter(tracee, e),
            Event::SyscallExit(e) => self.on_exit(tracee, e),
            _ => self.on_event(tracee, event),
        }
    }

    fn idle(&mut self) {
        if ptrail_engine::signals::flush_due() {
            self.flush();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siginfo_layouts() {
        let mut raw = [0u8; 128];
        raw[0..4].copy_from_slice(&libc::SIGSEGV.to_ne_bytes());
        raw[8..12].copy_from_slice(&1i32.to_ne_bytes()); // SEGV_MAPERR
        raw[16..24].copy_from_slice(&0xdead_u64.to_ne_bytes());
        let f = siginfo_fields(&SigInfo { raw });
        assert_eq!((f.signo, f.code, f.addr), (libc::SIGSEGV, 1, 0xdead));

        let mut raw = [0u8; 128];
        raw[0..4].copy_from_slice(&libc::SIGCHLD.to_ne_bytes());
        raw[8..12].copy_from_slice(&1i32.to_ne_bytes()); // CLD_EXITED
        raw[16..20].copy_from_slice(&42i32.to_ne_bytes());
        raw[24..28].copy_from_slice(&3i32.to_ne_bytes());
        let f = siginfo_fields(&SigInfo { raw });
        assert_eq!((f.pid, f.status, f.addr), (42, 3, 0));
    }
}
