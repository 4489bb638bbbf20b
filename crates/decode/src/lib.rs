//! ptrail-decode: turns a syscall's raw registers and the tracee's memory
//! into a tree of values ([`Value`]), and formats values, return values,
//! signals and errnos the way strace prints them.
//!
//! This crate does no I/O of its own: tracee memory is read through the
//! [`TraceeMemory`] trait, so decoders can be tested against a fake memory.
//!
//! The API used by the rest of ptrail (keep these signatures stable):
//! [`Abi`], [`Call`], [`DecodeOptions`], [`TraceeMemory`], [`decode_enter`],
//! [`decode_exit`], [`syscall_name`], [`syscall_number`], [`syscall_class`],
//! [`signal_name`], [`errno_name`], [`SigInfoFields`], [`decode_siginfo`], and
//! the formatting functions in [`text`].
//!
//! Additions on top of that API: [`decode_sigreturn`] (rt_sigreturn needs
//! the stack pointer), [`call_name`] (socketcall's subcall names),
//! [`syscall_nargs`], [`syscall_list`],
//! [`signal_number`], [`Entered::exit_glue`] with [`text::write_entry`] /
//! [`text::write_exit`] / [`text::format_call`] (how entry and exit parts
//! join), the [`Value`] variants `Named`, `Set` and `HexStr`, and
//! [`RetValue::Oct`].
//!
//! Layout: `tables` holds the data (syscall tables per ABI, errnos,
//! signals, named constants); `ctx` the decoding context and the bounded
//! memory-reading helpers; `family/*` one decoder function per syscall;
//! `siginfo` the `siginfo_t` printer; [`text`] the strace text form.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod text;
pub mod value;

mod ctx;
mod family;
mod line;
mod pool;
mod siginfo;
mod tables;

pub use line::Line;
pub use value::{RetValue, Value};

use std::borrow::Cow;

/// The syscall ABI of one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Abi {
    /// x86_64 native.
    #[default]
    X86_64,
    /// i386 (compat on x86_64).
    I386,
    /// x32 (numbers carry bit 30).
    X32,
}

/// Reads the memory of the stopped tracee.
pub trait TraceeMemory {
    /// Reads up to `buf.len()` bytes at `addr`. Returns how many bytes were
    /// read from the start of `buf` (a short count when the range crosses
    /// into unmapped memory), or `None` if nothing could be read.
    fn read(&self, addr: u64, buf: &mut [u8]) -> Option<usize>;
}

/// User choices that change decoding (strace's -s, -x, -v, ...).
#[derive(Debug, Clone)]
pub struct DecodeOptions {
    /// `-s N`: the most bytes of a string to print (default 32).
    pub string_limit: usize,
    /// `-x` = 1 (non-ASCII as hex), `-xx` = 2 (all as hex); 0 by default.
    pub hex_strings: u8,
    /// `-v`: unabbreviated structures, argv/envp and arrays.
    pub verbose: bool,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        DecodeOptions {
            string_limit: 32,
            hex_strings: 0,
            verbose: false,
        }
    }
}

/// One syscall as the engine saw it at entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Call {
    /// Its ABI.
    pub abi: Abi,
    /// Its number in that ABI.
    pub nr: u64,
    /// The six raw argument registers.
    pub args: [u64; 6],
}

/// What could be decoded at syscall entry.
#[derive(Debug, Clone, Default)]
pub struct Entered {
    /// The arguments decoded at entry, in order.
    pub args: Vec<Value>,
    /// False if more arguments are only known at exit (e.g. read's buffer):
    /// [`decode_exit`] then returns them.
    pub complete: bool,
    /// Decoder-private state carried from entry to exit (e.g. a value that
    /// the syscall will overwrite).
    pub saved: Vec<u64>,
    /// How the exit arguments join the entry ones when `complete` is false.
    /// `None` (almost every call): the entry part ends with `", "` (strace
    /// prints `read(3, ` then `"..."..., 832)`). `Some(glue)`: the entry part
    /// ends right after the last entry argument and, if there are exit
    /// arguments, `glue` comes before them: clone prints
    /// `clone(child_stack=NULL, flags=SIGCHLD` then `, child_tidptr=0x...)`,
    /// clone3 prints `clone3({...}` then ` => {parent_tid=[42]}, 88)`.
    /// [`text::write_entry`] and [`text::write_exit`] apply this rule.
    pub exit_glue: Option<&'static str>,
}

/// What is decoded at syscall exit.
#[derive(Debug, Clone)]
pub struct Exited {
    /// The arguments not yet printed at entry (empty if `Entered::complete`).
    pub args: Vec<Value>,
    /// The return value, formatted the syscall's way.
    pub ret: RetValue,
}

/// Decodes what is known at entry.
pub fn decode_enter(opts: &DecodeOptions, call: &Call, mem: &dyn TraceeMemory) -> Entered {
    let mut e = Entered::default();
    decode_enter_into(opts, call, mem, &mut e);
    e
}

/// [`decode_enter`] into `e`, in place: what `e` held is dropped (its
/// string buffers recycled) and its vectors are reused, so that decoding
/// a thread's calls one after another neither allocates nor moves them.
/// Returns whether [`decode_exit`] can print more than the plain return
/// value: false for calls without a decoder and for those whose decoder
/// does nothing at exit (then the caller may use [`RetValue::from_raw`]).
pub fn decode_enter_into(
    opts: &DecodeOptions,
    call: &Call,
    mem: &dyn TraceeMemory,
    e: &mut Entered,
) -> bool {
    reset_entered(e);
    let ent = tables::lookup(call.abi, call.nr);
    let dec = ent.and_then(|x| tables::decoder(call.abi, call.nr, x));
    if dec.is_none() && ent.is_some_and(|x| x.nargs == 0) {
        // getpid() and the like: nothing to read or format.
        return false;
    }
    let mut c = ctx::Ctx::new(opts, call, mem, None, &[], &mut e.args, &mut e.saved);
    match (ent, dec) {
        (_, Some(dec)) => dec(&mut c),
        (Some(ent), None) => raw_args(&mut c, ent.nargs as usize),
        (None, None) => raw_args(&mut c, 6),
    }
    let (complete, glue, entry_only) = (!c.deferred, c.glue, c.entry_only);
    e.complete = complete;
    e.exit_glue = glue;
    dec.is_some() && !(entry_only && complete)
}

/// Empties `e` (a call with no arguments), keeping its vectors' capacity
/// and giving its string buffers back.
#[inline(always)]
pub fn reset_entered(e: &mut Entered) {
    recycle(&mut e.args);
    e.saved.clear();
    e.complete = true;
    e.exit_glue = None;
}

/// Decodes rt_sigreturn (and i386 sigreturn) at entry: strace prints the
/// signal mask being restored, `{mask=[INT]}`, which lives in the signal
/// frame on the tracee's stack. `sp` is the stack pointer at syscall entry.
/// The CLI should use this instead of [`decode_enter`] for these calls
/// (decode_enter prints `{mask=?}` since it does not see the stack pointer).
pub fn decode_sigreturn(
    opts: &DecodeOptions,
    call: &Call,
    sp: u64,
    mem: &dyn TraceeMemory,
) -> Entered {
    let (mut args, mut saved) = (Vec::new(), Vec::new());
    let c = ctx::Ctx::new(opts, call, mem, None, &[], &mut args, &mut saved);
    // x86_64: sp points at the ucontext (pretcode popped); uc_sigmask is at
    // offset 40 + sizeof(struct sigcontext) = 296. i386 rt_sigreturn: sp is
    // the rt_sigframe + 4; the ucontext starts 140 bytes later and its
    // uc_sigmask 108 bytes into it. i386 sigreturn: sp is the sigframe + 8,
    // i.e. the sigcontext, whose oldmask (low 32 signals) is at offset 80.
    let name = syscall_name(call.abi, call.nr);
    let (addr, len) = match (call.abi, name.as_ref()) {
        (Abi::I386, "sigreturn") => (sp.wrapping_add(80), 4),
        (Abi::I386, _) => (sp.wrapping_add(248), 8),
        _ => (sp.wrapping_add(296), 8),
    };
    let mask = match c.read_bytes(
        addr & if call.abi == Abi::X86_64 {
            u64::MAX
        } else {
            0xffff_ffff
        },
        len,
    ) {
        Some(b) => family::sigset_bytes(&b),
        None => Value::Unavailable(addr),
    };
    Entered {
        args: vec![Value::Struct {
            fields: vec![("mask", mask)],
            more: false,
        }],
        complete: true,
        saved: Vec::new(),
        exit_glue: None,
    }
}

/// Prints `n` arguments in hex, as strace does for syscalls it does not decode.
fn raw_args(c: &mut ctx::Ctx<'_>, n: usize) {
    for i in 0..n.min(6) {
        let v = c.arg(i);
        c.push(Value::Hex(v));
    }
}

/// Decodes the rest at exit. `ret` is the raw return value (`-errno` on error).
pub fn decode_exit(
    opts: &DecodeOptions,
    call: &Call,
    entered: &Entered,
    ret: i64,
    mem: &dyn TraceeMemory,
) -> Exited {
    decode_exit_with(opts, call, entered, ret, mem, Vec::new())
}

/// [`decode_exit`] filling `args` (an empty vector, e.g. one emptied by
/// [`recycle`]), so that steady-state decoding does not allocate.
pub fn decode_exit_with(
    opts: &DecodeOptions,
    call: &Call,
    entered: &Entered,
    ret: i64,
    mem: &dyn TraceeMemory,
    args: Vec<Value>,
) -> Exited {
    let Some(dec) =
        tables::lookup(call.abi, call.nr).and_then(|e| tables::decoder(call.abi, call.nr, e))
    else {
        // No decoder: nothing is printed at exit but the return value.
        return Exited {
            args,
            ret: RetValue::from_raw(ret),
        };
    };
    let mut args = args;
    // (exit decoders save nothing: this stays unallocated)
    let mut saved = Vec::new();
    let mut c = ctx::Ctx::new(
        opts,
        call,
        mem,
        Some(ret),
        &entered.saved,
        &mut args,
        &mut saved,
    );
    dec(&mut c);
    let r = c.ret.take();
    if entered.complete {
        recycle(&mut args);
    }
    Exited {
        args,
        ret: r.unwrap_or_else(|| RetValue::from_raw(ret)),
    }
}

/// Gives the buffers of decoded values back for reuse (the bytes of
/// strings) and empties `values`, keeping its capacity: passed to
/// [`decode_exit_with`] next, it makes decoding
/// in steady state free of allocations.
#[inline(always)]
pub fn recycle(values: &mut Vec<Value>) {
    if values.is_empty() {
        return;
    }
    for v in values.drain(..) {
        recycle_one(v);
    }
}

/// Recycles one value: nothing to do for the scalars (most arguments and
/// fields), a string goes back to its pool, the rest out of line.
#[inline(always)]
fn recycle_one(v: Value) {
    match v {
        Value::Int(_)
        | Value::UInt(_)
        | Value::Hex(_)
        | Value::Oct(_)
        | Value::Addr(_)
        | Value::Fd(_)
        | Value::Sym(_)
        | Value::FlagBits { .. }
        | Value::Unavailable(_) => {
            // (a scalar owns nothing; dropping it would be an
            // out-of-line call to Value's drop glue)
            std::mem::forget(v)
        }
        Value::Str { bytes, .. } | Value::HexStr { bytes, .. } => pool::give(bytes),
        v => recycle_value(v),
    }
}

#[inline(never)]
fn recycle_value(v: Value) {
    match v {
        Value::Str { bytes, .. } | Value::HexStr { bytes, .. } => pool::give(bytes),
        Value::Struct { mut fields, .. } => {
            fields.drain(..).for_each(|(_, f)| recycle_one(f));
            pool::give_fields(fields);
        }
        Value::Array { items, .. } | Value::Set { items, .. } => {
            items.into_iter().for_each(recycle_one)
        }
        Value::Raw(s) => pool::give_text(s),
        Value::Commented(v, s) => {
            recycle_one(*v);
            pool::give_text(s);
        }
        Value::Named(_, v) => recycle_one(*v),
        Value::Changed(a, b) => {
            recycle_one(*a);
            recycle_one(*b);
        }
        _ => {}
    }
}

/// The name strace prints for a syscall, `syscall_0x1ba` when unknown.
#[inline]
pub fn syscall_name(abi: Abi, nr: u64) -> Cow<'static, str> {
    match tables::lookup(abi, nr) {
        Some(e) => Cow::Borrowed(e.name),
        None => Cow::Owned(format!("syscall_{nr:#x}")),
    }
}

/// The name strace prints for this call: [`syscall_name`], except for the
/// i386 multiplexer socketcall(2), which strace shows as its subcall
/// (`socketpair(...)`, `send(...)`); use it rather than `syscall_name`
/// when the arguments are known.
#[inline]
pub fn call_name(call: &Call) -> Cow<'static, str> {
    if call.abi == Abi::I386 && call.nr == 102 {
        if let Some(n) = family::i386::socketcall_name(call.args[0] & 0xffff_ffff) {
            return Cow::Borrowed(n);
        }
    }
    syscall_name(call.abi, call.nr)
}

/// The number of a syscall by name, if this ABI has it.
pub fn syscall_number(abi: Abi, name: &str) -> Option<u64> {
    let base = if abi == Abi::X32 { 1 << 30 } else { 0 };
    tables::table(abi)
        .iter()
        .position(|e| !e.name.is_empty() && e.name == name)
        .map(|i| i as u64 | base)
}

/// Class bits of a syscall (what `-e trace=%file` selects): see [`classes`].
pub fn syscall_class(abi: Abi, nr: u64) -> u32 {
    tables::lookup(abi, nr).map_or(0, |e| e.class)
}

/// How many arguments a syscall takes (6 when unknown).
#[inline]
pub fn syscall_nargs(abi: Abi, nr: u64) -> usize {
    tables::lookup(abi, nr).map_or(6, |e| e.nargs as usize)
}

/// Every known syscall of an ABI as `(number, name)`, in number order.
pub fn syscall_list(abi: Abi) -> impl Iterator<Item = (u64, &'static str)> {
    tables::table(abi)
        .iter()
        .enumerate()
        .filter(|(_, e)| !e.name.is_empty())
        .map(|(i, e)| (i as u64, e.name))
}

/// Syscall classes, as bits.
pub mod classes {
    /// %file: takes a file name.
    pub const FILE: u32 = 1 << 0;
    /// %desc: takes or returns a file descriptor.
    pub const DESC: u32 = 1 << 1;
    /// %process: process management.
    pub const PROCESS: u32 = 1 << 2;
    /// %network.
    pub const NETWORK: u32 = 1 << 3;
    /// %signal.
    pub const SIGNAL: u32 = 1 << 4;
    /// %ipc.
    pub const IPC: u32 = 1 << 5;
    /// %memory.
    pub const MEMORY: u32 = 1 << 6;
    /// %creds.
    pub const CREDS: u32 = 1 << 7;
    /// %clock.
    pub const CLOCK: u32 = 1 << 8;
    /// %stat.
    pub const STAT: u32 = 1 << 9;
    /// %lstat.
    pub const LSTAT: u32 = 1 << 10;
    /// %fstat.
    pub const FSTAT: u32 = 1 << 11;
    /// %%stat: any stat variant.
    pub const STAT_LIKE: u32 = 1 << 12;
    /// %statfs.
    pub const STATFS: u32 = 1 << 13;
    /// %fstatfs.
    pub const FSTATFS: u32 = 1 << 14;
    /// %%statfs.
    pub const STATFS_LIKE: u32 = 1 << 15;
    /// %pure: no arguments, always succeeds.
    pub const PURE: u32 = 1 << 16;
}

/// `SIGINT`, `SIGRTMIN` (32), `SIGRT_3` (35), or the number as text when
/// unknown (strace numbers real-time signals from the kernel's 32).
pub fn signal_name(sig: i32) -> Cow<'static, str> {
    match tables::signals::full(sig as i64) {
        Some(n) => Cow::Borrowed(n),
        None => Cow::Owned(format!("{sig}")),
    }
}

/// The number of a signal name, with or without `SIG` (`"INT"`, `"SIGRT_3"`).
pub fn signal_number(name: &str) -> Option<i32> {
    let short = name.strip_prefix("SIG").unwrap_or(name);
    tables::signals::SHORT
        .iter()
        .skip(1)
        .position(|n| *n == short)
        .map(|i| i as i32 + 1)
}

/// The errno's name and strerror text, e.g. `("ENOENT", "No such file or directory")`,
/// including the kernel-internal restart codes (ERESTARTSYS ...).
pub fn errno_name(errno: i32) -> Option<(&'static str, &'static str)> {
    tables::errno::lookup(errno).map(|e| (e.name(), e.message()))
}

/// The fields of a `siginfo_t` that strace prints.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SigInfoFields {
    /// si_signo
    pub signo: i32,
    /// si_errno
    pub errno: i32,
    /// si_code
    pub code: i32,
    /// si_pid (kill/rt/chld)
    pub pid: i32,
    /// si_uid (kill/rt/chld)
    pub uid: u32,
    /// si_status (chld)
    pub status: i32,
    /// si_utime (chld)
    pub utime: i64,
    /// si_stime (chld)
    pub stime: i64,
    /// si_value (rt/timer), si_addr (faults), si_band (poll), si_call_addr (sys): the first
    /// pointer-sized field of the union at offset 16 or 24 as the layout needs.
    pub value: u64,
    /// si_addr (faults), si_band (poll), si_call_addr (sys)
    pub addr: u64,
    /// si_timerid (timer) / si_fd (poll) / si_syscall (sys)
    pub int1: i32,
    /// si_overrun (timer) / si_arch (sys)
    pub int2: u32,
}

/// Formats a siginfo as strace does inside `--- SIGX {...} ---`, e.g.
/// `{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=42, si_uid=0, si_status=0, si_utime=0, si_stime=0}`.
pub fn decode_siginfo(info: &SigInfoFields) -> String {
    siginfo::format(info)
}

/// The pseudo-random sequence of the crate's randomised unit tests
/// (xorshift64: fixed seeds, so a failure repeats).
#[cfg(test)]
pub(crate) mod test_rng {
    /// Advances `x` to the next value of the sequence.
    pub(crate) fn step(x: &mut u64) {
        *x ^= *x << 13;
        *x ^= *x >> 7;
        *x ^= *x << 17;
    }

    /// `len` bytes, each `pick` of the next value of the sequence.
    pub(crate) fn bytes(x: &mut u64, len: usize, pick: impl Fn(u64) -> u8) -> Vec<u8> {
        (0..len)
            .map(|_| {
                step(x);
                pick(*x)
            })
            .collect()
    }
}
