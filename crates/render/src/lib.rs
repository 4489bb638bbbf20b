//! ptrail-render: the printers that turn decoded trace events into output.
//!
//! The CLI decodes what the engine reports (with `ptrail-decode`) into
//! [`Record`]s and hands them, one thread at a time, to a [`Renderer`].
//! Renderers own every byte ptrail writes about tracees: where it goes (a
//! shared stream, one file per thread), how lines interleave between
//! threads (`<unfinished ...>` / `<... name resumed>`), and when it is
//! flushed. [`TextRenderer`] prints strace's lines, [`JsonRenderer`] JSON
//! lines (`--json`, schema in [`json`]), [`SummaryRenderer`] strace's `-c`
//! table (and with `-C` the text too); all are fed the same records, with
//! their timing in [`Meta`] ([`timefmt`] prints `-t`/`-r`/`-T`/`-i`).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod json;
pub mod summary;
pub mod text;
pub mod timefmt;

/// What the printers' unit tests share.
#[cfg(test)]
mod testutil {
    use std::io::{self, Write};
    use std::sync::{Arc, Mutex};

    /// An output the test keeps a handle on while the printer owns a clone.
    #[derive(Clone, Default)]
    pub struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Shared {
        /// Everything written so far, as text.
        pub fn text(&self) -> String {
            String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
        }
    }

    impl Write for Shared {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
}

pub use json::JsonRenderer;
/// Per-thread state found without hashing (the engine's map, re-exported).
pub use ptrail_engine::TidMap;
pub use summary::{SummaryOptions, SummaryRenderer};
pub use text::{FdResolver, Output, PidPrefix, TextOptions, TextRenderer};
pub use timefmt::{Precision, TimeFormat, Timing};

use ptrail_decode::{Entered, Exited};
use std::borrow::Cow;
use std::io;

/// A thread id, as the engine reports it.
pub type Tid = i32;

/// One decoded event of one thread, as renderers consume it.
#[derive(Debug, Clone, Copy)]
pub enum Record<'a> {
    /// The thread is now traced. `announce` asks for strace's
    /// "Process N attached" note (for `-p` and followed children, not for
    /// the command ptrail started itself).
    Attached {
        /// Whether to say so (before `-q` is applied).
        announce: bool,
        /// The id the note names: the thread itself, or for the threads of
        /// a process attached with `-p`, that process.
        process: Tid,
        /// How many threads the note counts ("Process N attached with 3
        /// threads"); 1 for a single thread.
        threads: usize,
    },
    /// A syscall entry, with what could be decoded before it ran.
    SyscallEntered {
        /// The syscall's name (a printer that remembers it until the exit
        /// keeps a table's name without copying it).
        name: &'a Cow<'static, str>,
        /// What the decoder made of it at entry.
        entered: &'a Entered,
    },
    /// The matching syscall exit (or, when its entry was not seen, a whole
    /// call: then `entered` is what decoding the entry now gives).
    SyscallExited {
        /// The syscall's name (for `<... name resumed>`).
        name: &'a Cow<'static, str>,
        /// The entry part, as given with `SyscallEntered`.
        entered: &'a Entered,
        /// The exit part: arguments not known at entry and the return value.
        exited: &'a Exited,
    },
    /// A signal is being delivered: `--- SIGCHLD {...} ---`.
    Signal {
        /// Signal number.
        sig: i32,
        /// The siginfo in strace's `{si_signo=..., ...}` form.
        info: &'a str,
    },
    /// The thread entered a group-stop: `--- stopped by SIGSTOP ---`.
    Stopped {
        /// The stopping signal.
        sig: i32,
    },
    /// A reported group-stop ended: `--- continued ---`.
    Continued,
    /// The thread's syscalls switched ABI: `[ Process PID=N runs in 32 bit
    /// mode. ]` (strace's personality note; hidden by `-q`).
    Personality {
        /// 64 (x86_64), 32 (i386) or 0 for x32 (`runs in x32 mode`).
        bits: u32,
    },
    /// An execve succeeded in the non-leader thread `old_tid` of this
    /// process; the record's tid is the process id, which that thread now
    /// carries.
    ExecSuperseded {
        /// The thread that called execve.
        old_tid: Tid,
    },
    /// The thread exited: `+++ exited with N +++`.
    Exited {
        /// Exit code.
        code: i32,
    },
    /// The thread was killed: `+++ killed by SIGSEGV (core dumped) +++`.
    Killed {
        /// The signal.
        sig: i32,
        /// Whether it dumped core.
        core_dumped: bool,
    },
    /// ptrail stopped tracing the thread ("Process N detached").
    Detached,
    /// ptrail stopped tracing the thread so that a tracer it traces can
    /// trace it (the thread called `ptrace(PTRACE_TRACEME)`, or `tracer`
    /// called PTRACE_SEIZE/PTRACE_ATTACH on it): "Process N handed over to
    /// tracer M". Like `Detached`, the thread's last record.
    HandedOver {
        /// The new tracer: the thread that attached, or for
        /// PTRACE_TRACEME the parent process.
        tracer: Tid,
    },
    /// Lines that follow a syscall's line as they are, without prefix:
    /// the `-e read=`/`-e write=` hex dumps. Each line ends with `\n`.
    Dump {
        /// The lines (ASCII text).
        text: &'a [u8],
    },
}

/// When and where an event happened: what the timing options (`-t`, `-r`,
/// `-T`, `-i`, `-c`, `--json`) print. The CLI fills in only what the
/// chosen options need (one clock read per event, none without them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Meta {
    /// The process (thread group) of the thread.
    pub pid: Tid,
    /// Wall-clock time of the event in nanoseconds since the epoch (0:
    /// not measured).
    pub time_ns: u64,
    /// The instruction pointer (`-i`); `None` prints `[????????????????]`.
    pub ip: Option<u64>,
    /// For a syscall exit: the time between entry and exit (`-T`, `-w`),
    /// in nanoseconds.
    pub duration_ns: Option<u64>,
    /// For a syscall exit: the CPU time the process spent in the call
    /// (`-c` without `-w`), in nanoseconds.
    pub cpu_ns: Option<u64>,
    /// The syscall's personality: 0 x86_64, 1 i386 (32 bit), 2 x32; `-c`
    /// prints one table per personality, as strace does.
    pub personality: u8,
}

/// Something that consumes decoded events. Implementations must cope with
/// events of many threads interleaving in any order.
pub trait Renderer {
    /// One event of thread `tid`.
    fn record(&mut self, tid: Tid, record: &Record<'_>) -> io::Result<()>;
    /// One event of thread `tid` with its timing; renderers that print no
    /// timing need not implement it.
    fn record_meta(&mut self, tid: Tid, record: &Record<'_>, meta: &Meta) -> io::Result<()> {
        let _ = meta;
        self.record(tid, record)
    }
    /// Tracing is over: print what is printed at the end (the `-c`
    /// table) and write everything out.
    fn finish(&mut self) -> io::Result<()> {
        self.flush()
    }
    /// A diagnostic line for the user (`ptrail: ...`, no newline), kept in
    /// order with the trace when both go to the same stream.
    fn message(&mut self, text: &str) -> io::Result<()>;
    /// Writes out everything buffered.
    fn flush(&mut self) -> io::Result<()>;
}
