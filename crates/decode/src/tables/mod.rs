//! Static data tables: syscalls per ABI, errnos, signals and the named
//! constants (flags and enums) decoders print. Kept as data in one place
//! each so they can be checked against libc in tests.

pub(crate) mod errno;
pub(crate) mod signals;
pub(crate) mod syscalls_i386;
pub(crate) mod syscalls_x86_64;
pub(crate) mod xlat;

use crate::ctx::Ctx;
use crate::Abi;

/// A decoder: called at entry and again at exit with the same context type.
pub(crate) type DecodeFn = fn(&mut Ctx<'_>);

/// One syscall table row.
#[derive(Clone, Copy)]
pub(crate) struct SysEnt {
    /// The name strace prints ("" for an unassigned number).
    pub name: &'static str,
    /// How many argument registers are printed.
    pub nargs: u8,
    /// `classes` bits.
    pub class: u32,
    /// The decoder, if any.
    pub dec: Option<DecodeFn>,
}

const HOLE: SysEnt = SysEnt {
    name: "",
    nargs: 6,
    class: 0,
    dec: None,
};

/// Builds a row (used by the generated tables).
pub(crate) const fn r(
    nr: usize,
    name: &'static str,
    nargs: u8,
    class: u32,
    dec: Option<DecodeFn>,
) -> (usize, SysEnt) {
    (
        nr,
        SysEnt {
            name,
            nargs,
            class,
            dec,
        },
    )
}

/// Places rows at their numbers, leaving holes for unassigned numbers.
pub(crate) const fn build<const N: usize>(rows: &[(usize, SysEnt)]) -> [SysEnt; N] {
    let mut t = [HOLE; N];
    let mut i = 0;
    while i < rows.len() {
        t[rows[i].0] = rows[i].1;
        i += 1;
    }
    t
}

/// The table of an ABI (x32 uses the x86_64 names once bit 30 is stripped).
#[inline]
pub(crate) fn table(abi: Abi) -> &'static [SysEnt] {
    match abi {
        Abi::X86_64 | Abi::X32 => &syscalls_x86_64::X86_64,
        Abi::I386 => &syscalls_i386::I386,
    }
}

/// The number as an index into the ABI's table.
#[inline]
pub(crate) fn index(abi: Abi, nr: u64) -> u64 {
    match abi {
        Abi::X32 => nr & !(1 << 30),
        _ => nr,
    }
}

/// x32-only numbers 512..=547 (compat versions of x86_64 calls), by name.
const X32_COMPAT: [&str; 36] = [
    "rt_sigaction",
    "rt_sigreturn",
    "ioctl",
    "readv",
    "writev",
    "recvfrom",
    "sendmsg",
    "recvmsg",
    "execve",
    "ptrace",
    "rt_sigpending",
    "rt_sigtimedwait",
    "rt_sigqueueinfo",
    "sigaltstack",
    "timer_create",
    "mq_notify",
    "kexec_load",
    "waitid",
    "set_robust_list",
    "get_robust_list",
    "vmsplice",
    "move_pages",
    "preadv",
    "pwritev",
    "rt_tgsigqueueinfo",
    "recvmmsg",
    "sendmmsg",
    "process_vm_readv",
    "process_vm_writev",
    "setsockopt",
    "getsockopt",
    "io_setup",
    "io_submit",
    "execveat",
    "preadv2",
    "pwritev2",
];

/// The row of a syscall, if the number is assigned.
#[inline]
pub(crate) fn lookup(abi: Abi, nr: u64) -> Option<&'static SysEnt> {
    let t = table(abi);
    let i = index(abi, nr);
    if abi == Abi::X32 && (512..512 + X32_COMPAT.len() as u64).contains(&i) {
        let name = X32_COMPAT[(i - 512) as usize];
        return t.iter().find(|e| e.name == name);
    }
    if i < t.len() as u64 && !t[i as usize].name.is_empty() {
        Some(&t[i as usize])
    } else {
        None
    }
}

/// i386 calls whose x86_64 decoder reads nothing ABI-dependent (only
/// scalars, strings and pointer-sized arrays), so it is reused for i386.
const ABI_NEUTRAL: &[&str] = &[
    "read",
    "write",
    "open",
    "openat",
    "creat",
    "close",
    "access",
    "faccessat",
    "faccessat2",
    "chdir",
    "fchdir",
    "mkdir",
    "mkdirat",
    "rmdir",
    "unlink",
    "unlinkat",
    "rename",
    "renameat",
    "renameat2",
    "link",
    "linkat",
    "symlink",
    "symlinkat",
    "chmod",
    "fchmod",
    "fchmodat",
    "readlink",
    "readlinkat",
    "getcwd",
    "umask",
    "dup",
    "dup2",
    "dup3",
    "pipe",
    "pipe2",
    "exit",
    "exit_group",
    "kill",
    "tkill",
    "tgkill",
    "brk",
    "munmap",
    "mprotect",
    "madvise",
    "execve",
    "fsync",
    "fdatasync",
    "memfd_create",
    "inotify_init1",
    "inotify_add_watch",
    "inotify_rm_watch",
    "eventfd",
    "eventfd2",
    "connect",
    "bind",
    "listen",
    "shutdown",
    "socket",
    "setuid",
    "setgid",
    "setpgid",
    "getpgid",
    "getsid",
    "set_tid_address",
    "flock",
    "alarm",
    "epoll_create",
    "epoll_create1",
    "close_range",
    "pidfd_open",
    "pidfd_getfd",
    "getrandom",
    "sched_yield",
    "rt_sigprocmask",
    "rt_sigaction",
    "uname",
    "set_robust_list",
    "rseq",
    "prlimit64",
    "statx",
    "getdents64",
    "getrlimit",
    "setrlimit",
    "sethostname",
    "umount2",
    "mount",
    "unshare",
    "setns",
    "memfd_secret",
    "userfaultfd",
    "wait4",
    "kill",
    "ptrace",
    "readv",
    "writev",
];

/// i386 calls decoded like an x86_64 call of another name: the time64
/// variants use 64-bit time structures as x86_64 does, and the 32-bit uid
/// calls are the x86_64 ones.
const I386_ALIASES: &[(&str, &str)] = &[
    ("clock_gettime64", "clock_gettime"),
    ("clock_settime64", "clock_settime"),
    ("clock_getres_time64", "clock_getres"),
    ("clock_nanosleep_time64", "clock_nanosleep"),
    ("futex_time64", "futex"),
    ("utimensat_time64", "utimensat"),
    ("timerfd_settime64", "timerfd_settime"),
    ("timerfd_gettime64", "timerfd_gettime"),
    ("timer_settime64", "timer_settime"),
    ("timer_gettime64", "timer_gettime"),
    ("ppoll_time64", "ppoll"),
    ("ugetrlimit", "getrlimit"),
    ("setuid32", "setuid"),
    ("setgid32", "setgid"),
    ("setreuid32", "setreuid"),
    ("setregid32", "setregid"),
    ("setresuid32", "setresuid"),
    ("setresgid32", "setresgid"),
    ("getresuid32", "getresuid"),
    ("getresgid32", "getresgid"),
    ("chown32", "chown"),
    ("lchown32", "lchown"),
    ("fchown32", "fchown"),
    ("getgroups32", "getgroups"),
    ("setgroups32", "setgroups"),
];

/// The decoder for a row of an ABI: its own, or for i386 the x86_64 one of
/// the same name when that is ABI-neutral.
#[inline]
pub(crate) fn decoder(abi: Abi, nr: u64, ent: &SysEnt) -> Option<DecodeFn> {
    if abi == Abi::X86_64 {
        return ent.dec;
    }
    decoder_compat(abi, nr, ent)
}

/// [`decoder`] for the 32-bit ABIs.
#[inline(never)]
fn decoder_compat(abi: Abi, nr: u64, ent: &SysEnt) -> Option<DecodeFn> {
    if abi == Abi::X32 && index(abi, nr) >= 512 {
        // compat layouts (32-bit pointers in structures): printed raw
        return None;
    }
    if ent.dec.is_some() || abi != Abi::I386 {
        return ent.dec;
    }
    let name = match I386_ALIASES.iter().find(|a| a.0 == ent.name) {
        Some(&(_, to)) => to,
        None if ABI_NEUTRAL.contains(&ent.name) => ent.name,
        None => return None,
    };
    syscalls_x86_64::X86_64
        .iter()
        .find(|e| e.name == name)
        .and_then(|e| e.dec)
}
