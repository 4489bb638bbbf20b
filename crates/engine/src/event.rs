//! The typed events the engine reports, one per ptrace-stop or exit that
//! matters to a consumer. Raw wait statuses never leave the engine.

/// A kernel thread id (what `gettid()` returns). A process id is the thread
/// id of its thread-group leader.
pub type Tid = i32;

/// The syscall ABI a tracee used for one syscall.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Arch {
    /// The native 64-bit x86_64 ABI.
    X86_64,
    /// The i386 compat ABI (32-bit binaries, or `int 0x80`).
    I386,
    /// The x32 ABI (syscall numbers carry `__X32_SYSCALL_BIT`).
    X32,
    /// Any other `AUDIT_ARCH_*` value, as the kernel reported it.
    Other(u32),
}

/// A syscall entry: the tracee is about to execute syscall `nr`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyscallEnter {
    /// ABI of this syscall.
    pub arch: Arch,
    /// Syscall number in that ABI (x32 numbers keep their high bit).
    pub nr: u64,
    /// The six raw argument registers.
    pub args: [u64; 6],
    /// Instruction pointer at the syscall.
    pub ip: u64,
    /// Stack pointer at the syscall.
    pub sp: u64,
}

/// A syscall exit, paired with the entry of the same thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyscallExit {
    /// ABI of this syscall (from the matching entry).
    pub arch: Arch,
    /// Syscall number from the matching entry.
    pub nr: u64,
    /// Arguments from the matching entry (registers may be clobbered now).
    pub args: [u64; 6],
    /// Raw return value (`-errno` on failure).
    pub ret: i64,
    /// The kernel's own error flag for `ret`.
    pub is_error: bool,
}

/// What the kernel told about a signal being delivered (a copy of `siginfo_t`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SigInfo {
    /// The raw 128 bytes of `siginfo_t` as x86_64 lays them out.
    pub raw: [u8; 128],
}

impl SigInfo {
    fn i32_at(&self, off: usize) -> i32 {
        i32::from_ne_bytes(self.raw[off..off + 4].try_into().unwrap_or([0; 4]))
    }
    fn u64_at(&self, off: usize) -> u64 {
        u64::from_ne_bytes(self.raw[off..off + 8].try_into().unwrap_or([0; 8]))
    }
    /// `si_signo`.
    pub fn signo(&self) -> i32 {
        self.i32_at(0)
    }
    /// `si_errno`.
    pub fn errno(&self) -> i32 {
        self.i32_at(4)
    }
    /// `si_code`.
    pub fn code(&self) -> i32 {
        self.i32_at(8)
    }
    /// `si_pid` (kill, rt, chld layouts).
    pub fn pid(&self) -> i32 {
        self.i32_at(16)
    }
    /// `si_uid` (kill, rt, chld layouts).
    pub fn uid(&self) -> u32 {
        self.i32_at(20) as u32
    }
    /// `si_status` (SIGCHLD).
    pub fn status(&self) -> i32 {
        self.i32_at(24)
    }
    /// `si_utime` (SIGCHLD), in clock ticks.
    pub fn utime(&self) -> i64 {
        self.u64_at(32) as i64
    }
    /// `si_stime` (SIGCHLD), in clock ticks.
    pub fn stime(&self) -> i64 {
        self.u64_at(40) as i64
    }
    /// `si_value` (rt and timer layouts), as the raw pointer-sized value.
    pub fn value(&self) -> u64 {
        self.u64_at(24)
    }
    /// `si_addr` (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP).
    pub fn addr(&self) -> u64 {
        self.u64_at(16)
    }
    /// `si_timerid` (POSIX timers).
    pub fn timerid(&self) -> i32 {
        self.i32_at(16)
    }
    /// `si_overrun` (POSIX timers).
    pub fn overrun(&self) -> i32 {
        self.i32_at(20)
    }
    /// `si_band` (SIGPOLL).
    pub fn band(&self) -> i64 {
        self.u64_at(16) as i64
    }
    /// `si_fd` (SIGPOLL).
    pub fn fd(&self) -> i32 {
        self.i32_at(24)
    }
    /// `si_call_addr` (SIGSYS).
    pub fn call_addr(&self) -> u64 {
        self.u64_at(16)
    }
    /// `si_syscall` (SIGSYS).
    pub fn syscall(&self) -> i32 {
        self.i32_at(24)
    }
    /// `si_arch` (SIGSYS).
    pub fn arch(&self) -> u32 {
        self.i32_at(28) as u32
    }
}

impl std::fmt::Debug for SigInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigInfo")
            .field("signo", &self.signo())
            .field("code", &self.code())
            .field("pid", &self.pid())
            .finish()
    }
}

/// How a new tracee came to be created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChildKind {
    /// `fork()` (or clone without CLONE_VM/CLONE_VFORK).
    Fork,
    /// `vfork()` or clone with CLONE_VFORK.
    Vfork,
    /// `clone()`/`clone3()` (threads and other clones).
    Clone,
}

/// How a tracee was left when the engine detached from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetachState {
    /// Left running (or about to run).
    Running,
    /// Left in group-stop (`T` in /proc), as it would be without a tracer.
    Stopped,
    /// Released with a pending signal that it will now receive.
    WithSignal(i32),
}

/// One thing that happened to a tracee.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// The engine now traces this thread (spawned, attached with `-p`, or
    /// auto-attached after fork/clone). For auto-attached ones, `NewChild` on
    /// the parent may come before or after this.
    Attached {
        /// Whether the thread was found already stopped (job control) when
        /// attached; a `GroupStop` event follows.
        already_stopped: bool,
    },
    /// Syscall entry.
    SyscallEnter(SyscallEnter),
    /// Syscall exit.
    SyscallExit(SyscallExit),
    /// A signal is about to be delivered (signal-delivery-stop). The sink
    /// may suppress or replace it with [`Tracee::set_signal`](crate::Tracee::set_signal).
    Signal(SigInfo),
    /// The thread entered a group-stop (job-control stop) by `sig`
    /// (SIGSTOP, SIGTSTP, SIGTTIN or SIGTTOU). It does not run until
    /// `Continued` is reported for it.
    GroupStop {
        /// The stopping signal.
        sig: i32,
    },
    /// A group-stop reported earlier for this thread has ended (SIGCONT).
    Continued,
    /// This thread created a new traced thread or process.
    NewChild {
        /// The new thread id.
        child: Tid,
        /// fork, vfork or clone.
        kind: ChildKind,
    },
    /// This process completed an `execve`. If the exec happened in a
    /// non-leader thread, `old_tid` is that thread's former id; the other
    /// threads are gone and the event's tid is the process id.
    Exec {
        /// The tid that called execve.
        old_tid: Tid,
    },
    /// The thread exited (`_exit`/`exit_group`) with this status code.
    Exited {
        /// Exit code (0..=255).
        code: i32,
    },
    /// The thread was killed by a signal.
    Killed {
        /// The fatal signal.
        sig: i32,
        /// Whether a core was dumped.
        core_dumped: bool,
    },
    /// The engine stopped tracing this thread.
    Detached(DetachState),
}
