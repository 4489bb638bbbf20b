//! The only place in ptrail that talks to the kernel with `unsafe`: thin
//! wrappers over ptrace(2), waitpid(2), process_vm_readv(2), kill(2) and
//! fork/exec. Everything above this module is safe Rust working with
//! [`Errno`] results. PTRACE_LISTEN and PTRACE_GET_SYSCALL_INFO are not
//! wrapped by nix, so all requests go through one `ptrace` helper here.

use crate::event::Tid;
use nix::errno::Errno;
use std::ffi::CString;

/// The kernel's raw return value as a result: -4095..-1 are errnos.
#[inline(always)]
fn raw_result(r: usize) -> Result<usize, Errno> {
    if r > -4096isize as usize {
        Err(Errno::from_raw(-(r as isize) as i32))
    } else {
        Ok(r)
    }
}

/// A syscall with up to four arguments, issued inline (the `syscalls`
/// crate's `syscall` instruction, no libc wrapper): the kernel's result, or
/// its errno (errno itself is left alone). The per-stop requests (waitpid,
/// PTRACE_GET_SYSCALL_INFO, PTRACE_SYSCALL) use it; the kernel sees exactly
/// the same calls as through libc's wrappers.
#[inline(always)]
fn syscall4(nr: libc::c_long, a1: usize, a2: usize, a3: usize, a4: usize) -> Result<usize, Errno> {
    // SAFETY: the arguments are plain integers or pointers to live,
    // correctly sized buffers owned by the caller for the whole call.
    raw_result(unsafe { syscalls::raw::syscall4(nr as usize, a1, a2, a3, a4) })
}

/// A raw ptrace request: returns the kernel's result or the errno. Not
/// for the PEEK requests, whose data may be -1 and which libc's wrapper
/// handles differently (none is used: memory is read with
/// process_vm_readv).
#[inline(always)]
fn ptrace(req: libc::c_uint, tid: Tid, addr: usize, data: usize) -> Result<libc::c_long, Errno> {
    // The kernel takes the pid as an int: pass it sign-extended, as libc does.
    syscall4(
        libc::SYS_ptrace,
        req as usize,
        tid as isize as usize,
        addr,
        data,
    )
    .map(|r| r as libc::c_long)
}

/// PTRACE_SEIZE with the given options.
pub fn seize(tid: Tid, options: u32) -> Result<(), Errno> {
    ptrace(libc::PTRACE_SEIZE, tid, 0, options as usize).map(drop)
}

/// PTRACE_INTERRUPT.
pub fn interrupt(tid: Tid) -> Result<(), Errno> {
    ptrace(libc::PTRACE_INTERRUPT, tid, 0, 0).map(drop)
}

/// PTRACE_LISTEN: restart a group-stopped tracee without letting it run.
#[inline(always)]
pub fn listen(tid: Tid) -> Result<(), Errno> {
    ptrace(libc::PTRACE_LISTEN, tid, 0, 0).map(drop)
}

/// PTRACE_SYSCALL with a signal to deliver (0 for none).
#[inline(always)]
pub fn syscall(tid: Tid, sig: i32) -> Result<(), Errno> {
    ptrace(libc::PTRACE_SYSCALL, tid, 0, sig as usize).map(drop)
}

/// PTRACE_CONT with a signal to deliver (0 for none).
#[inline(always)]
pub fn cont(tid: Tid, sig: i32) -> Result<(), Errno> {
    ptrace(libc::PTRACE_CONT, tid, 0, sig as usize).map(drop)
}

/// PTRACE_DETACH passing a signal (0 for none).
pub fn detach(tid: Tid, sig: i32) -> Result<(), Errno> {
    ptrace(libc::PTRACE_DETACH, tid, 0, sig as usize).map(drop)
}

/// PTRACE_GETEVENTMSG.
pub fn event_msg(tid: Tid) -> Result<u64, Errno> {
    let mut msg: libc::c_ulong = 0;
    ptrace(
        libc::PTRACE_GETEVENTMSG,
        tid,
        0,
        &mut msg as *mut libc::c_ulong as usize,
    )?;
    Ok(msg as u64)
}

/// PTRACE_GETSIGINFO, as the raw 128 bytes.
pub fn siginfo(tid: Tid) -> Result<[u8; 128], Errno> {
    let mut buf = [0u8; 128];
    ptrace(libc::PTRACE_GETSIGINFO, tid, 0, buf.as_mut_ptr() as usize)?;
    Ok(buf)
}

/// PTRACE_GETREGS.
pub fn regs(tid: Tid) -> Result<libc::user_regs_struct, Errno> {
    // SAFETY: user_regs_struct is plain old data; all-zero is a valid value.
    let mut regs: libc::user_regs_struct = unsafe { std::mem::zeroed() };
    ptrace(libc::PTRACE_GETREGS, tid, 0, &mut regs as *mut _ as usize)?;
    Ok(regs)
}

/// PTRACE_SETREGS.
pub fn set_regs(tid: Tid, regs: &libc::user_regs_struct) -> Result<(), Errno> {
    // SAFETY: `regs` is a live, correctly sized user_regs_struct; the
    // kernel only reads it.
    ptrace(
        libc::PTRACE_SETREGS,
        tid,
        0,
        regs as *const libc::user_regs_struct as usize,
    )
    .map(drop)
}

/// What PTRACE_GET_SYSCALL_INFO said about a syscall stop.
#[derive(Debug, Clone, Copy)]
pub enum SyscallInfo {
    /// Not a syscall stop.
    None,
    /// Entry.
    Entry(EntryInfo),
    /// Exit: return value and error flag.
    Exit { rval: i64, is_error: bool },
    /// A seccomp stop (PTRACE_EVENT_SECCOMP), with the syscall's entry data.
    Seccomp(EntryInfo),
}

/// A syscall's entry as PTRACE_GET_SYSCALL_INFO reports it.
#[derive(Debug, Clone, Copy)]
pub struct EntryInfo {
    /// AUDIT_ARCH_* of the call.
    pub arch: u32,
    /// Instruction and stack pointer.
    pub ip: u64,
    pub sp: u64,
    /// Number and arguments.
    pub nr: u64,
    pub args: [u64; 6],
}

/// A buffer for PTRACE_GET_SYSCALL_INFO, zeroed once and reused for every
/// syscall stop (the tracer keeps one) instead of zeroing a fresh one each
/// time. Bytes left from an earlier call are never read as new data: the
/// kernel always writes the header and the whole union member that `op`
/// names, the only one read.
pub struct SyscallInfoBuf(libc::ptrace_syscall_info);

impl SyscallInfoBuf {
    /// An all-zero buffer.
    pub fn new() -> SyscallInfoBuf {
        // SAFETY: ptrace_syscall_info is plain old data; all-zero is valid.
        SyscallInfoBuf(unsafe { std::mem::zeroed() })
    }
}

impl Default for SyscallInfoBuf {
    fn default() -> Self {
        SyscallInfoBuf::new()
    }
}

/// PTRACE_GET_SYSCALL_INFO with a fresh buffer (for the rare callers).
pub fn syscall_info(tid: Tid) -> Result<SyscallInfo, Errno> {
    syscall_info_in(tid, &mut SyscallInfoBuf::new())
}

/// PTRACE_GET_SYSCALL_INFO into a reused buffer.
#[inline(always)]
pub fn syscall_info_in(tid: Tid, buf: &mut SyscallInfoBuf) -> Result<SyscallInfo, Errno> {
    let info = &mut buf.0;
    let size = std::mem::size_of::<libc::ptrace_syscall_info>();
    ptrace(
        libc::PTRACE_GET_SYSCALL_INFO,
        tid,
        size,
        info as *mut libc::ptrace_syscall_info as usize,
    )?;
    let (arch, ip, sp) = (info.arch, info.instruction_pointer, info.stack_pointer);
    // SAFETY: the kernel filled the union member that `op` names; we read
    // only that member.
    Ok(unsafe {
        match info.op {
            libc::PTRACE_SYSCALL_INFO_ENTRY => {
                let e = info.u.entry;
                SyscallInfo::Entry(EntryInfo {
                    arch,
                    ip,
                    sp,
                    nr: e.nr,
                    args: e.args,
                })
            }
            libc::PTRACE_SYSCALL_INFO_EXIT => {
                let x = info.u.exit;
                SyscallInfo::Exit {
                    rval: x.sval,
                    is_error: x.is_error != 0,
                }
            }
            libc::PTRACE_SYSCALL_INFO_SECCOMP => {
                let s = info.u.seccomp;
                SyscallInfo::Seccomp(EntryInfo {
                    arch,
                    ip,
                    sp,
                    nr: s.nr,
                    args: s.args,
                })
            }
            _ => SyscallInfo::None,
        }
    })
}

/// waitpid(tid, __WALL | flags). `Ok(None)` when WNOHANG found nothing.
#[inline(always)]
pub fn wait(tid: Tid, flags: i32) -> Result<Option<(Tid, i32)>, Errno> {
    let mut status: libc::c_int = 0;
    // waitpid(2) is wait4(2) without rusage, as in libc.
    match wait4(tid, &mut status, libc::__WALL | flags, 0)? {
        0 => Ok(None),
        pid => Ok(Some((pid, status))),
    }
}

/// The raw wait4 syscall; `rusage` is 0 or the address of a live
/// `libc::rusage`. Returns the pid (0 for WNOHANG with nothing ready).
#[inline(always)]
fn wait4(tid: Tid, status: &mut libc::c_int, flags: i32, rusage: usize) -> Result<Tid, Errno> {
    syscall4(
        libc::SYS_wait4,
        tid as isize as usize,
        status as *mut libc::c_int as usize,
        flags as isize as usize,
        rusage,
    )
    .map(|pid| pid as Tid)
}

/// wait4(tid, __WALL | flags) with the stopped or dead task's resource
/// usage: returns its system time in ns along with the status.
#[inline(always)]
pub fn wait_rusage(tid: Tid, flags: i32) -> Result<Option<(Tid, i32, u64)>, Errno> {
    let mut status = 0;
    // SAFETY: rusage is plain old data; all-zero is a valid value.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    let ru_addr = &mut ru as *mut libc::rusage as usize;
    match wait4(tid, &mut status, libc::__WALL | flags, ru_addr)? {
        0 => Ok(None),
        pid => {
            let st = ru.ru_stime;
            Ok(Some((
                pid,
                status,
                st.tv_sec as u64 * 1_000_000_000 + st.tv_usec as u64 * 1000,
            )))
        }
    }
}

/// Reads tracee memory with one process_vm_readv call; returns bytes read.
pub fn read_memory(tid: Tid, addr: u64, buf: &mut [u8]) -> Result<usize, Errno> {
    if buf.is_empty() {
        return Ok(0);
    }
    let local = libc::iovec {
        iov_base: buf.as_mut_ptr().cast(),
        iov_len: buf.len(),
    };
    let remote = libc::iovec {
        iov_base: addr as *mut libc::c_void,
        iov_len: buf.len(),
    };
    // SAFETY: `local` describes `buf`, which we own mutably, and both
    // iovecs live across the call; the remote iovec is only interpreted by
    // the kernel in the tracee's address space.
    raw_result(unsafe {
        syscalls::raw::syscall6(
            libc::SYS_process_vm_readv as usize,
            tid as isize as usize,
            &local as *const libc::iovec as usize,
            1,
            &remote as *const libc::iovec as usize,
            1,
            0,
        )
    })
}

/// kill(2).
pub fn kill(pid: Tid, sig: i32) -> Result<(), Errno> {
    // SAFETY: kill takes plain integers.
    Errno::result(unsafe { libc::kill(pid, sig) }).map(drop)
}

/// Everything the forked child needs, prepared before fork so that the
/// child only makes async-signal-safe calls.
pub struct ExecPlan {
    pub path: CString,
    pub argv: Vec<CString>,
    pub envp: Option<Vec<CString>>,
    /// (uid, gid, supplementary groups) to switch to before exec.
    pub creds: Option<(u32, u32, Vec<libc::gid_t>)>,
    /// A seccomp-BPF program to install right before exec.
    pub filter: Option<Vec<libc::sock_filter>>,
}

/// Forks a child that stops itself with SIGSTOP and then execs the plan.
/// Returns the child's pid once it is stopped (not yet traced).
pub fn fork_stopped_exec(plan: &ExecPlan) -> Result<Tid, Errno> {
    let mut argv: Vec<*const libc::c_char> = plan.argv.iter().map(|a| a.as_ptr()).collect();
    argv.push(std::ptr::null());
    let envp: Option<Vec<*const libc::c_char>> = plan.envp.as_ref().map(|env| {
        let mut v: Vec<_> = env.iter().map(|e| e.as_ptr()).collect();
        v.push(std::ptr::null());
        v
    });
    // SAFETY: fork in a (possibly multi-threaded) process: the child below
    // only calls async-signal-safe functions on memory prepared before fork.
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        return Err(Errno::last());
    }
    if pid == 0 {
        // SAFETY: child side of fork; async-signal-safe calls only, then
        // execve or _exit. Pointers refer to CStrings kept alive by `plan`.
        unsafe {
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            libc::sigprocmask(libc::SIG_SETMASK, &set, std::ptr::null_mut());
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
            if let Some((uid, gid, groups)) = &plan.creds {
                if libc::setgroups(groups.len(), groups.as_ptr()) != 0
                    || libc::setgid(*gid) != 0
                    || libc::setuid(*uid) != 0
                {
                    libc::_exit(126);
                }
            }
            libc::kill(libc::getpid(), libc::SIGSTOP);
            if let Some(filter) = &plan.filter {
                let prog = libc::sock_fprog {
                    len: filter.len() as libc::c_ushort,
                    filter: filter.as_ptr() as *mut libc::sock_filter,
                };
                if libc::geteuid() != 0 {
                    libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
                }
                // Failure is detected by the tracer (/proc/PID/status Seccomp).
                libc::prctl(
                    libc::PR_SET_SECCOMP,
                    libc::SECCOMP_MODE_FILTER,
                    &prog as *const libc::sock_fprog,
                );
            }
            match &envp {
                Some(envp) => libc::execve(plan.path.as_ptr(), argv.as_ptr(), envp.as_ptr()),
                None => libc::execv(plan.path.as_ptr(), argv.as_ptr()),
            };
            // Like strace: say why on stderr and exit 1 (the failed execve
            // itself was traced).
            let why: &[u8] = match *libc::__errno_location() {
                libc::ENOENT => b"No such file or directory",
                libc::EACCES => b"Permission denied",
                libc::ENOEXEC => b"Exec format error",
                libc::E2BIG => b"Argument list too long",
                libc::ENOMEM => b"Cannot allocate memory",
                libc::ETXTBSY => b"Text file busy",
                libc::ELOOP => b"Too many levels of symbolic links",
                libc::ENOTDIR => b"Not a directory",
                libc::EISDIR => b"Is a directory",
                libc::EPERM => b"Operation not permitted",
                libc::ENAMETOOLONG => b"File name too long",
                _ => b"exec failed",
            };
            for part in [&b"ptrail: exec: "[..], why, b"\n"] {
                libc::write(2, part.as_ptr().cast(), part.len());
            }
            libc::_exit(1);
        }
    }
    // Wait until the child has stopped itself (it is not traced yet).
    loop {
        match wait(pid, libc::WUNTRACED) {
            Ok(Some((_, status))) if libc::WIFSTOPPED(status) => return Ok(pid),
            Ok(Some(_)) => return Err(Errno::ECHILD),
            Ok(None) => continue,
            Err(Errno::EINTR) => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Set by [`install_stop_handler`]'s handler: the last signal received.
static STOP_SIGNAL: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(0);
/// True once one of the stop signals arrived.
pub static STOP: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

extern "C" fn on_stop_signal(sig: libc::c_int) {
    STOP_SIGNAL.store(sig, std::sync::atomic::Ordering::Relaxed);
    STOP.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Installs a handler (without SA_RESTART, so a blocking waitpid returns
/// EINTR) that records the signal and sets [`STOP`].
pub fn install_stop_handler(sigs: &[i32]) -> Result<(), Errno> {
    for &sig in sigs {
        // SAFETY: sigaction is plain data; the handler only stores to atomics,
        // which is async-signal-safe.
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = on_stop_signal as *const () as usize;
            libc::sigemptyset(&mut sa.sa_mask);
            sa.sa_flags = 0;
            Errno::result(libc::sigaction(sig, &sa, std::ptr::null_mut()))?;
        }
    }
    Ok(())
}

/// The last signal recorded by the stop handler (0 if none).
pub fn stop_signal() -> i32 {
    STOP_SIGNAL.load(std::sync::atomic::Ordering::Relaxed)
}

/// Sets `sig` to be ignored (`true`) or back to its default action.
pub fn set_ignored(sig: i32, ignore: bool) -> Result<(), Errno> {
    // SAFETY: SIG_IGN / SIG_DFL are valid dispositions; no handler code runs.
    let r = unsafe { libc::signal(sig, if ignore { libc::SIG_IGN } else { libc::SIG_DFL }) };
    if r == libc::SIG_ERR {
        Err(Errno::last())
    } else {
        Ok(())
    }
}

/// Blocks or unblocks signals for the calling thread.
pub fn block_signals(sigs: &[i32], block: bool) -> Result<(), Errno> {
    // SAFETY: sigset_t is plain data initialised by sigemptyset.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for &s in sigs {
            libc::sigaddset(&mut set, s);
        }
        let how = if block {
            libc::SIG_BLOCK
        } else {
            libc::SIG_UNBLOCK
        };
        Errno::result(libc::sigprocmask(how, &set, std::ptr::null_mut())).map(drop)
    }
}

/// Ends this process by `sig` as if it had received it, without a core
/// dump: default disposition, signal unblocked, raised.
pub fn die_by_signal(sig: i32) -> ! {
    let no_core = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: setrlimit reads a valid struct; signal/raise take plain ints.
    unsafe {
        libc::setrlimit(libc::RLIMIT_CORE, &no_core);
        libc::signal(sig, libc::SIG_DFL);
    }
    let _ = block_signals(&[sig], false);
    let _ = kill(std::process::id() as Tid, sig);
    std::process::exit(128 + sig)
}

/// Set by the SIGALRM handler of [`start_flush_timer`].
pub static FLUSH_DUE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

extern "C" fn on_alarm(_: libc::c_int) {
    FLUSH_DUE.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// A periodic ITIMER_REAL whose SIGALRM (handled without SA_RESTART) sets
/// [`FLUSH_DUE`] and interrupts a blocking waitpid.
pub fn start_flush_timer(period_us: u64) -> Result<(), Errno> {
    let tv = libc::timeval {
        tv_sec: (period_us / 1_000_000) as libc::time_t,
        tv_usec: (period_us % 1_000_000) as libc::suseconds_t,
    };
    let timer = libc::itimerval {
        it_interval: tv,
        it_value: tv,
    };
    // SAFETY: the handler only stores to an atomic; itimerval is a valid
    // struct read by the kernel.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = on_alarm as *const () as usize;
        libc::sigemptyset(&mut sa.sa_mask);
        Errno::result(libc::sigaction(libc::SIGALRM, &sa, std::ptr::null_mut()))?;
        Errno::result(libc::setitimer(
            libc::ITIMER_REAL,
            &timer,
            std::ptr::null_mut(),
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_syscall_errors_are_the_kernels_errno() {
        // Not our tracee: ptrace requests fail with ESRCH.
        let me = std::process::id() as Tid;
        assert_eq!(syscall(me, 0), Err(Errno::ESRCH));
        assert_eq!(syscall_info(me).err(), Some(Errno::ESRCH));
        // A pid that cannot exist.
        assert_eq!(wait(i32::MAX, libc::WNOHANG), Err(Errno::ECHILD));
        assert_eq!(
            wait_rusage(i32::MAX, libc::WNOHANG).err(),
            Some(Errno::ECHILD)
        );
    }
}
