//! The tracer: starts or attaches tracees with PTRACE_SEIZE, runs the wait
//! loop, keeps per-thread state and turns each ptrace-stop into an [`Event`]
//! for a [`Sink`]. Job control follows ../shared/docs/job-control.md:
//! every group-stop is restarted with PTRACE_LISTEN (a stopped tracee never
//! runs), the ES(SIGTRAP) that ends a reported stop becomes `Continued`, and
//! detaching leaves each process as stopped or running as it would be
//! without us.

use crate::event::*;
use crate::seccomp::SeccompFilter;
use crate::sys;
use crate::tidmap::TidMap;
use nix::errno::Errno;
use std::ffi::{CString, OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::sync::atomic::{AtomicBool, Ordering};

const PTRACE_EVENT_STOP: i32 = 128;

/// How many stops between two passes that collect every pending status
/// (fairness among many busy tracees, see [`Tracer::run`]).
const DRAIN_EVERY: u32 = 32;

/// Errors of the engine. `Errno` values are the kernel's own.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// fork/exec of the command failed.
    #[error("spawn {program}: {}", .errno.desc())]
    Spawn {
        /// The program.
        program: String,
        /// Why.
        errno: Errno,
    },
    /// PTRACE_SEIZE of a process failed (EPERM, ESRCH ...).
    #[error("attach: ptrace(PTRACE_SEIZE, {pid}): {}", .errno.desc())]
    Attach {
        /// The process.
        pid: Tid,
        /// Why.
        errno: Errno,
    },
    /// waitpid failed for another reason than "no tracees".
    #[error("wait: {}", .0.desc())]
    Wait(Errno),
    /// A string for exec contained a NUL byte.
    #[error("argument contains a NUL byte")]
    NulByte,
}

/// Consumes events. Called while the thread is held in its ptrace-stop
/// (except for exits), so the callback may read its memory.
pub trait Sink {
    /// One event of one thread.
    fn event(&mut self, tracee: &mut Tracee<'_>, event: &Event);

    /// Called when the tracer's wait was interrupted by a signal of its own
    /// (e.g. the [`crate::signals::flush_every`] timer) with nothing to
    /// report: a good moment to flush buffered output.
    fn idle(&mut self) {}
}

/// The thread an event is about, as seen from inside [`Sink::event`].
pub struct Tracee<'a> {
    tid: Tid,
    pid: Tid,
    stopped: bool,
    req: &'a mut Requests,
}

/// What the sink asked for during one callback.
#[derive(Debug, Default)]
struct Requests {
    /// Signal to restart the thread with (signal-delivery-stops).
    signal: i32,
    /// Threads or processes to detach before the thread resumes.
    detach: Vec<Tid>,
    /// System time of the reporting task at this stop (ns), if measured.
    sys_time_ns: Option<u64>,
}

impl Tracee<'_> {
    /// Thread id.
    pub fn tid(&self) -> Tid {
        self.tid
    }
    /// Process id (thread-group id).
    pub fn pid(&self) -> Tid {
        self.pid
    }
    /// Reads tracee memory at `addr` into `buf`; returns how many bytes
    /// were read (short at an unmapped page), or `None` if none could be.
    pub fn read_memory(&self, addr: u64, buf: &mut [u8]) -> Option<usize> {
        if !self.stopped {
            return None;
        }
        match sys::read_memory(self.tid, addr, buf) {
            Ok(0) | Err(_) => None,
            Ok(n) => Some(n),
        }
    }
    /// The general registers, if the thread is held in a stop.
    pub fn regs(&self) -> Option<libc::user_regs_struct> {
        if self.stopped {
            sys::regs(self.tid).ok()
        } else {
            None
        }
    }
    /// For [`Event::Signal`]: deliver `Some(sig)` instead, or suppress with `None`.
    pub fn set_signal(&mut self, sig: Option<i32>) {
        self.req.signal = sig.unwrap_or(0);
    }
    /// At a syscall stop: deliver `sig` when the thread resumes (signal
    /// injection; the kernel queues it with si_code SI_KERNEL).
    pub fn inject_signal(&mut self, sig: i32) {
        self.req.signal = sig;
    }
    /// At syscall entry: replace the syscall number; `-1` skips the call
    /// (it then returns -ENOSYS unless [`Tracee::set_return`] changes that
    /// at exit). False if the registers could not be changed.
    pub fn set_syscall_nr(&mut self, nr: i64) -> bool {
        self.edit_regs(|r| r.orig_rax = nr as u64)
    }
    /// At syscall exit: make the call return `value` (`-errno` for an error).
    pub fn set_return(&mut self, value: i64) -> bool {
        self.edit_regs(|r| r.rax = value as u64)
    }
    fn edit_regs(&mut self, f: impl FnOnce(&mut libc::user_regs_struct)) -> bool {
        if !self.stopped {
            return false;
        }
        match sys::regs(self.tid) {
            Ok(mut regs) => {
                f(&mut regs);
                sys::set_regs(self.tid, &regs).is_ok()
            }
            Err(_) => false,
        }
    }
    /// The system CPU time (ns) the kernel reported with this stop, when the
    /// tracer was built with [`TracerBuilder::measure_sys_time`] (from
    /// wait4's rusage: no extra syscall). The difference between a syscall's
    /// entry and exit is the time spent in it, as `strace -c` counts.
    pub fn sys_time_ns(&self) -> Option<u64> {
        self.req.sys_time_ns
    }
    /// The signal that will be delivered when the thread resumes (0 = none).
    pub fn signal(&self) -> i32 {
        self.req.signal
    }
    /// Stop tracing `tid` before this thread resumes: this thread itself
    /// (detached from the current stop, e.g. at the entry of its
    /// `ptrace(PTRACE_TRACEME)` so that the call succeeds), or another traced
    /// process, all of whose threads are detached (e.g. the target of a
    /// tracee's PTRACE_SEIZE). Job-control state and pending signals are
    /// kept; each detached thread gets an [`Event::Detached`].
    pub fn hand_over(&mut self, tid: Tid) {
        if !self.req.detach.contains(&tid) {
            self.req.detach.push(tid);
        }
    }
}

/// A command to start under tracing.
#[derive(Debug, Clone)]
pub struct Spawn {
    program: OsString,
    args: Vec<OsString>,
    env: Option<Vec<OsString>>,
    user: Option<(u32, u32, Vec<u32>)>,
}

impl Spawn {
    /// `program` is a path (no PATH search); `args` is the whole argv, `argv[0]` included.
    pub fn new<P: AsRef<OsStr>, I: IntoIterator<Item = S>, S: AsRef<OsStr>>(
        program: P,
        args: I,
    ) -> Spawn {
        Spawn {
            program: program.as_ref().to_owned(),
            args: args.into_iter().map(|a| a.as_ref().to_owned()).collect(),
            env: None,
            user: None,
        }
    }
    /// The complete environment, as `KEY=VALUE` strings (default: inherit).
    pub fn env(&mut self, env: Vec<OsString>) -> &mut Spawn {
        self.env = Some(env);
        self
    }
    /// Run the command as this user, group and supplementary groups.
    pub fn user(&mut self, uid: u32, gid: u32, groups: Vec<u32>) -> &mut Spawn {
        self.user = Some((uid, gid, groups));
        self
    }
}

/// Builds a [`Tracer`].
#[derive(Debug, Clone)]
pub struct TracerBuilder {
    sys_time: bool,
    follow_forks: bool,
    trace_syscalls: bool,
    seccomp: Option<SeccompFilter>,
}

impl Default for TracerBuilder {
    fn default() -> Self {
        TracerBuilder {
            sys_time: false,
            follow_forks: false,
            trace_syscalls: true,
            seccomp: None,
        }
    }
}

impl TracerBuilder {
    /// Defaults: syscalls traced, children not followed.
    pub fn new() -> TracerBuilder {
        TracerBuilder::default()
    }
    /// Follow fork, vfork and clone (threads and processes).
    pub fn follow_forks(mut self, yes: bool) -> Self {
        self.follow_forks = yes;
        self
    }
    /// Report syscall entries and exits (otherwise only signals, job control, exits).
    pub fn trace_syscalls(mut self, yes: bool) -> Self {
        self.trace_syscalls = yes;
        self
    }
    /// Stop only at the syscalls of `filter` in commands started by
    /// [`Tracer::spawn`] (seccomp-BPF, inherited by all their threads and
    /// children). If the kernel refuses the filter, every syscall stops as
    /// usual; [`Tracer::seccomp_active`] tells which happened.
    pub fn seccomp_filter(mut self, filter: Option<SeccompFilter>) -> Self {
        self.seccomp = filter;
        self
    }
    /// Report each stop's system CPU time ([`Tracee::sys_time_ns`]), taken
    /// from wait4's rusage.
    pub fn measure_sys_time(mut self, yes: bool) -> Self {
        self.sys_time = yes;
        self
    }
    /// The tracer.
    pub fn build(self) -> Tracer {
        Tracer {
            cfg: self,
            threads: TidMap::default(),
            req: Requests::default(),
            info: sys::SyscallInfoBuf::new(),
            detaching: Vec::new(),
            queue: std::collections::VecDeque::new(),
            spawned: Vec::new(),
            reaped: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Started by us: swallow the startup SIGSTOP/SIGCONT dance.
    Starting,
    /// Started by us, installing its seccomp filter: hidden until execve.
    Filtering,
    /// Seized, first stop not seen yet.
    Attaching,
    /// Normal tracing.
    Traced,
}

#[derive(Debug, Clone, Copy)]
struct Thread {
    pid: Tid,
    phase: Phase,
    /// A group-stop was reported and its end not yet.
    group_stopped: bool,
    /// Restarted with PTRACE_LISTEN (held in group-stop).
    listening: bool,
    /// The syscall entered and not yet exited.
    in_syscall: Option<SyscallEnter>,
    /// Report Attached{already_stopped} at the first stop.
    announce: bool,
    /// A seccomp filter of ours is in force: restart with PTRACE_CONT
    /// outside syscalls.
    seccomp: bool,
}

impl Thread {
    fn new(pid: Tid, phase: Phase) -> Thread {
        Thread {
            pid,
            phase,
            group_stopped: false,
            listening: false,
            in_syscall: None,
            announce: true,
            seccomp: false,
        }
    }
}

/// What one wait status turned out to be.
#[derive(Debug, Clone, Copy)]
enum Stop {
    Exited(i32),
    Killed(i32, bool),
    Syscall,
    Group(i32),
    Trap,
    PtraceEvent(i32),
    Signal(i32),
}

fn classify(status: i32) -> Stop {
    if libc::WIFEXITED(status) {
        return Stop::Exited(libc::WEXITSTATUS(status));
    }
    if libc::WIFSIGNALED(status) {
        return Stop::Killed(libc::WTERMSIG(status), libc::WCOREDUMP(status));
    }
    let sig = libc::WSTOPSIG(status);
    let event = status >> 16;
    if sig == libc::SIGTRAP | 0x80 {
        Stop::Syscall
    } else if event == PTRACE_EVENT_STOP {
        if is_stop_signal(sig) {
            Stop::Group(sig)
        } else {
            Stop::Trap
        }
    } else if event != 0 {
        Stop::PtraceEvent(event)
    } else {
        Stop::Signal(sig)
    }
}

/// Whether `status` is what [`classify`] calls [`Stop::Syscall`]: stopped
/// (low 7 bits all set: neither exited nor killed) with WSTOPSIG ==
/// SIGTRAP|0x80. One mask and compare.
#[inline(always)]
fn is_syscall_stop(status: i32) -> bool {
    status & 0xff7f == ((libc::SIGTRAP | 0x80) << 8) | 0x7f
}

/// Whether `status` is a PTRACE_EVENT_SECCOMP stop (a syscall entry
/// reported by our seccomp filter).
#[inline(always)]
fn is_seccomp_stop(status: i32) -> bool {
    status == (libc::PTRACE_EVENT_SECCOMP << 16) | (libc::SIGTRAP << 8) | 0x7f
}

fn is_stop_signal(sig: i32) -> bool {
    matches!(
        sig,
        libc::SIGSTOP | libc::SIGTSTP | libc::SIGTTIN | libc::SIGTTOU
    )
}

fn arch_of(audit: u32, nr: u64) -> Arch {
    const AUDIT_ARCH_X86_64: u32 = 0xc000_003e;
    const AUDIT_ARCH_I386: u32 = 0x4000_0003;
    match audit {
        AUDIT_ARCH_X86_64 if nr & 0x4000_0000 != 0 => Arch::X32,
        AUDIT_ARCH_X86_64 => Arch::X86_64,
        AUDIT_ARCH_I386 => Arch::I386,
        other => Arch::Other(other),
    }
}

fn tgid_of(tid: Tid) -> Tid {
    std::fs::read_to_string(format!("/proc/{tid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Tgid:"))
                .and_then(|v| v.trim().parse().ok())
        })
        .unwrap_or(tid)
}

fn cstring(s: &OsStr) -> Result<CString, Error> {
    CString::new(s.as_bytes()).map_err(|_| Error::NulByte)
}

/// The ptrace engine. All ptrace requests are made from the thread that
/// created the tracees (the kernel ties tracees to it), so a `Tracer` must
/// be used from one thread.
pub struct Tracer {
    cfg: TracerBuilder,
    threads: TidMap<Thread>,
    req: Requests,
    /// Reused PTRACE_GET_SYSCALL_INFO buffer of syscall stops.
    info: sys::SyscallInfoBuf,
    /// Threads interrupted for detaching: their next stop detaches them.
    detaching: Vec<Tid>,
    /// Commands started by [`Tracer::spawn`] (our own children).
    spawned: Vec<Tid>,
    /// Wait statuses of spawned commands that ended while not traced by
    /// us (handed over to another tracer), reaped by our wait loop.
    reaped: Vec<(Tid, i32)>,
    /// Statuses collected ahead, served in order before waiting again.
    queue: std::collections::VecDeque<(Tid, i32, Option<u64>)>,
}

impl Tracer {
    fn options(&self, exit_kill: bool) -> u32 {
        let mut o = libc::PTRACE_O_TRACESYSGOOD | libc::PTRACE_O_TRACEEXEC;
        if self.cfg.follow_forks {
            o |= libc::PTRACE_O_TRACEFORK | libc::PTRACE_O_TRACEVFORK | libc::PTRACE_O_TRACECLONE;
        }
        if exit_kill {
            o |= libc::PTRACE_O_EXITKILL;
        }
        if self.cfg.seccomp.is_some() {
            o |= libc::PTRACE_O_TRACESECCOMP;
        }
        o as u32
    }

    /// Whether a seccomp filter of ours is in force for thread `tid`
    /// (`None` if it is not traced).
    pub fn seccomp_active(&self, tid: Tid) -> Option<bool> {
        self.threads.get(&tid).map(|t| t.seccomp)
    }

    /// Threads currently traced.
    pub fn tracee_count(&self) -> usize {
        self.threads.len()
    }

    /// The wait status of a command started by [`Tracer::spawn`] that
    /// ended after it was detached (e.g. handed over with
    /// [`Tracee::hand_over`]) and was reaped by the wait loop; `None` if
    /// it was not (then the caller can still wait for it itself).
    pub fn take_exit_status(&mut self, pid: Tid) -> Option<i32> {
        let i = self.reaped.iter().position(|&(p, _)| p == pid)?;
        Some(self.reaped.swap_remove(i).1)
    }

    /// Starts `spawn` as a seized tracee. Its first reported events are
    /// `Attached` and the entry of its execve.
    pub fn spawn(&mut self, spawn: &Spawn) -> Result<Tid, Error> {
        let program = spawn.program.to_string_lossy().into_owned();
        // Report a program that cannot be executed here, before tracing
        // anything (other exec failures show up in the trace, as in strace).
        if let Err(errno) =
            nix::unistd::access(spawn.program.as_os_str(), nix::unistd::AccessFlags::X_OK)
        {
            return Err(Error::Spawn { program, errno });
        }
        let plan = sys::ExecPlan {
            path: cstring(&spawn.program)?,
            argv: spawn
                .args
                .iter()
                .map(|a| cstring(a))
                .collect::<Result<_, _>>()?,
            envp: match &spawn.env {
                Some(env) => Some(env.iter().map(|e| cstring(e)).collect::<Result<_, _>>()?),
                None => None,
            },
            creds: spawn.user.clone(),
            filter: self.cfg.seccomp.as_ref().map(SeccompFilter::program),
        };
        let pid = sys::fork_stopped_exec(&plan).map_err(|errno| Error::Spawn {
            program: program.clone(),
            errno,
        })?;
        if let Err(errno) = sys::seize(pid, self.options(true)) {
            let _ = sys::kill(pid, libc::SIGKILL);
            let _ = sys::wait(pid, 0);
            return Err(Error::Spawn { program, errno });
        }
        self.threads.insert(pid, Thread::new(pid, Phase::Starting));
        self.spawned.push(pid);
        // The child sits in a group-stop it put itself in; let it go. The
        // resulting ES(SIGSTOP)/ES(SIGTRAP)/SD(SIGCONT) are swallowed.
        let _ = sys::kill(pid, libc::SIGCONT);
        Ok(pid)
    }

    /// Seizes every thread of process `pid` (PTRACE_SEIZE + PTRACE_INTERRUPT,
    /// no signal injected). Threads that appear meanwhile are seized too. A
    /// zombie leader (exited with live threads) is skipped; the attach fails
    /// only if no thread could be seized.
    pub fn attach(&mut self, pid: Tid) -> Result<(), Error> {
        let first = self.attach_thread_of(pid, pid);
        let mut any = first.is_ok();
        loop {
            let mut added = false;
            let Ok(dir) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
                break;
            };
            for tid in dir
                .flatten()
                .filter_map(|e| e.file_name().to_str().and_then(|s| s.parse::<Tid>().ok()))
            {
                if !self.threads.contains_key(&tid) && self.attach_thread_of(tid, pid).is_ok() {
                    added = true;
                    any = true;
                }
            }
            if !added {
                break;
            }
        }
        match first {
            Err(errno) if !any => Err(Error::Attach { pid, errno }),
            _ => Ok(()),
        }
    }

    /// Seizes one thread only (strace's `-p TID` without `-f`).
    pub fn attach_thread(&mut self, tid: Tid) -> Result<(), Error> {
        self.attach_thread_of(tid, tgid_of(tid))
            .map_err(|errno| Error::Attach { pid: tid, errno })
    }

    fn attach_thread_of(&mut self, tid: Tid, pid: Tid) -> Result<(), Errno> {
        sys::seize(tid, self.options(false))?;
        self.threads.insert(tid, Thread::new(pid, Phase::Attaching));
        let _ = sys::interrupt(tid);
        Ok(())
    }

    /// Runs the wait loop until no tracee is left. When `stop` becomes true
    /// (e.g. set by a SIGINT handler; checked after each event and when
    /// waitpid is interrupted), every tracee is detached and `run` returns.
    pub fn run<S: Sink + ?Sized>(&mut self, sink: &mut S, stop: &AtomicBool) -> Result<(), Error> {
        let mut since_drain = 0u32;
        while !self.threads.is_empty() {
            if stop.load(Ordering::Relaxed) {
                return self.detach_all(sink);
            }
            // Statuses collected ahead first; otherwise wait for the next.
            let (tid, status, ns, waited) = match self.queue.pop_front() {
                Some((tid, status, ns)) => (tid, status, ns, false),
                None => match self.wait_one(0) {
                    Ok(Some((tid, status, ns))) => (tid, status, ns, true),
                    Ok(None) => continue,
                    Err(e) => {
                        self.wait_failed(sink, e)?;
                        continue;
                    }
                },
            };
            // One call site, so that the inlined fast path exists once.
            self.req.sys_time_ns = ns;
            self.handle(sink, tid, status);
            // waitpid(-1) always reports the first ready tracee in the
            // kernel's list: with many busy tracees the later ones could
            // starve. Now and then take every pending status and serve
            // them in turn (one extra wait per DRAIN_EVERY stops, not per
            // stop). (With one tracee there is no one to starve.)
            if waited && self.threads.len() > 1 {
                since_drain += 1;
                if since_drain >= DRAIN_EVERY {
                    since_drain = 0;
                    self.drain();
                }
            }
        }
        Ok(())
    }

    /// Queues every status that is ready now (see [`Tracer::run`]).
    #[inline(never)]
    fn drain(&mut self) {
        while let Ok(Some(item)) = self.wait_one(libc::WNOHANG) {
            self.queue.push_back(item);
        }
    }

    /// A failed wait of [`Tracer::run`]: EINTR is the sink's idle moment,
    /// ECHILD means nothing is left; anything else ends the run.
    #[cold]
    #[inline(never)]
    fn wait_failed<S: Sink + ?Sized>(&mut self, sink: &mut S, e: Errno) -> Result<(), Error> {
        match e {
            Errno::EINTR => sink.idle(),
            Errno::ECHILD => {
                // Nothing left to wait for: whatever we thought we
                // traced is gone.
                self.threads.clear();
            }
            e => return Err(Error::Wait(e)),
        }
        Ok(())
    }

    /// One waitpid(-1) (wait4 with rusage when system time is measured).
    #[inline(always)]
    fn wait_one(&mut self, flags: i32) -> Result<Option<(Tid, i32, Option<u64>)>, Errno> {
        if self.cfg.sys_time {
            sys::wait_rusage(-1, flags).map(|r| r.map(|(tid, status, ns)| (tid, status, Some(ns))))
        } else {
            sys::wait(-1, flags).map(|r| r.map(|(tid, status)| (tid, status, None)))
        }
    }

    /// Handles one wait status and restarts the thread as needed. The
    /// common case (a syscall-stop of a plainly traced thread) is handled
    /// inline; everything else goes to [`Tracer::handle_slow`].
    #[inline(always)]
    fn handle<S: Sink + ?Sized>(&mut self, sink: &mut S, tid: Tid, status: i32) {
        if is_syscall_stop(status) && self.syscall_fast_path(sink, tid, false) {
            return;
        }
        if is_seccomp_stop(status) && self.syscall_fast_path(sink, tid, true) {
            return;
        }
        self.handle_slow(sink, tid, status);
    }

    /// [`Tracer::handle`] for every stop the fast path does not take.
    #[inline(never)]
    fn handle_slow<S: Sink + ?Sized>(&mut self, sink: &mut S, tid: Tid, status: i32) {
        let stop = classify(status);
        if !self.detaching.is_empty() && self.detaching.contains(&tid) {
            if let Some(th) = self.threads.get(&tid).copied() {
                return self.detach_at(sink, tid, th, stop);
            }
            self.detaching.retain(|&t| t != tid);
        }
        let mut th = match self.threads.get(&tid) {
            Some(th) => *th,
            None => match stop {
                // Statuses of tids we don't know: an auto-attached child
                // whose parent's fork event has not been seen yet, or a
                // command we started and no longer trace (kept for
                // take_exit_status).
                Stop::Exited(_) | Stop::Killed(..) => {
                    if self.spawned.contains(&tid) {
                        self.reaped.push((tid, status));
                    }
                    return;
                }
                _ => {
                    let mut th = Thread::new(tgid_of(tid), Phase::Attaching);
                    th.seccomp = self.cfg.seccomp.is_some() && proc_seccomp(tid);
                    th
                }
            },
        };
        th.listening = false;
        if matches!(stop, Stop::Exited(_) | Stop::Killed(..)) {
            self.announce(sink, tid, &mut th, false, false);
        }
        match stop {
            Stop::Exited(code) => {
                self.threads.remove(&tid);
                emit(
                    sink,
                    &mut self.req,
                    tid,
                    th.pid,
                    false,
                    &Event::Exited { code },
                );
                return;
            }
            Stop::Killed(sig, core_dumped) => {
                self.threads.remove(&tid);
                emit(
                    sink,
                    &mut self.req,
                    tid,
                    th.pid,
                    false,
                    &Event::Killed { sig, core_dumped },
                );
                return;
            }
            _ => {}
        }
        let mut sig = 0;
        let mut listen = false;
        // A command we started is hidden until it reaches its execve: the
        // SIGSTOP/SIGCONT it used to wait for us, and its seccomp setup.
        let hidden = match (th.phase, stop) {
            (Phase::Starting, Stop::Group(_)) => {
                listen = true;
                true
            }
            (Phase::Starting, Stop::Trap) => true,
            (Phase::Starting, Stop::Signal(libc::SIGCONT)) => {
                th.phase = if self.cfg.seccomp.is_some() {
                    Phase::Filtering
                } else {
                    Phase::Traced
                };
                true
            }
            (Phase::Filtering, Stop::Syscall) => !is_exec_entry(tid),
            _ => false,
        };
        if !hidden {
            if th.phase == Phase::Filtering {
                th.seccomp = proc_seccomp(tid);
            }
            th.phase = Phase::Traced;
            if th.announce {
                th.announce = false;
                let already_stopped = matches!(stop, Stop::Group(_));
                emit(
                    sink,
                    &mut self.req,
                    tid,
                    th.pid,
                    true,
                    &Event::Attached { already_stopped },
                );
            }
            (sig, listen) = self.traced_stop(sink, tid, &mut th, stop);
        }
        if !self.req.detach.is_empty() && self.hand_over(sink, tid, th, sig, listen) {
            return;
        }
        let r = if listen {
            th.listening = true;
            sys::listen(tid)
        } else if self.cfg.trace_syscalls && !(th.seccomp && th.in_syscall.is_none()) {
            sys::syscall(tid, sig)
        } else {
            sys::cont(tid, sig)
        };
        match r {
            // ESRCH: killed under us; its exit status follows.
            Ok(()) | Err(_) => {
                if let Some(slot) = self.threads.get_mut(&tid) {
                    *slot = th;
                } else {
                    self.threads.insert(tid, th);
                }
            }
        }
    }

    /// The common case, handled in place (one lookup, no copy of the
    /// thread's state): a syscall-stop of a thread that is traced, announced
    /// and not being detached. Returns false if the stop is not that case.
    #[inline(always)]
    fn syscall_fast_path<S: Sink + ?Sized>(
        &mut self,
        sink: &mut S,
        tid: Tid,
        seccomp: bool,
    ) -> bool {
        if !self.detaching.is_empty() || !self.req.detach.is_empty() {
            return false;
        }
        let Some(th) = self.threads.get_mut(&tid) else {
            return false;
        };
        // A seccomp stop is the entry of a syscall (not one in progress).
        if th.phase != Phase::Traced || th.announce || (seccomp && th.in_syscall.is_some()) {
            return false;
        }
        th.listening = false;
        let sig = syscall_stop(sink, &mut self.req, &mut self.info, tid, th);
        let resume_syscall = self.cfg.trace_syscalls && !(th.seccomp && th.in_syscall.is_none());
        if !self.req.detach.is_empty() {
            // The sink asked for a detach (a hand-over): the general path.
            let copy = *th;
            if self.hand_over(sink, tid, copy, sig, false) {
                return true;
            }
        }
        // ESRCH: killed under us; its exit status follows.
        let _ = if resume_syscall {
            sys::syscall(tid, sig)
        } else {
            sys::cont(tid, sig)
        };
        true
    }

    /// The meaning of one stop of a traced thread. Returns the signal to
    /// restart with and whether to LISTEN instead.
    fn traced_stop<S: Sink + ?Sized>(
        &mut self,
        sink: &mut S,
        tid: Tid,
        th: &mut Thread,
        stop: Stop,
    ) -> (i32, bool) {
        let pid = th.pid;
        match stop {
            Stop::Syscall => {
                return (
                    syscall_stop(sink, &mut self.req, &mut self.info, tid, th),
                    false,
                )
            }
            Stop::Group(sig) => {
                if !th.group_stopped {
                    th.group_stopped = true;
                    emit(
                        sink,
                        &mut self.req,
                        tid,
                        pid,
                        true,
                        &Event::GroupStop { sig },
                    );
                }
                return (0, true);
            }
            Stop::Trap => {
                if th.group_stopped {
                    th.group_stopped = false;
                    emit(sink, &mut self.req, tid, pid, true, &Event::Continued);
                }
            }
            Stop::PtraceEvent(ev) => {
                // A seccomp stop is a syscall entry: the sink may inject a signal.
                self.req.signal = 0;
                self.ptrace_event(sink, tid, th, ev);
                return (std::mem::take(&mut self.req.signal), false);
            }
            Stop::Signal(sig) => {
                if let Ok(raw) = sys::siginfo(tid) {
                    self.req.signal = sig;
                    let mut tracee = Tracee {
                        tid,
                        pid,
                        stopped: true,
                        req: &mut self.req,
                    };
                    sink.event(&mut tracee, &Event::Signal(SigInfo { raw }));
                    return (self.req.signal, false);
                }
                return (sig, false);
            }
            Stop::Exited(_) | Stop::Killed(..) => {}
        }
        (0, false)
    }

    fn ptrace_event<S: Sink + ?Sized>(&mut self, sink: &mut S, tid: Tid, th: &mut Thread, ev: i32) {
        let pid = th.pid;
        match ev {
            libc::PTRACE_EVENT_FORK | libc::PTRACE_EVENT_VFORK | libc::PTRACE_EVENT_CLONE => {
                let Ok(child) = sys::event_msg(tid) else {
                    return;
                };
                let child = child as Tid;
                let kind = match ev {
                    libc::PTRACE_EVENT_FORK => ChildKind::Fork,
                    libc::PTRACE_EVENT_VFORK => ChildKind::Vfork,
                    _ => ChildKind::Clone,
                };
                let seccomp = th.seccomp;
                self.threads.get_or_insert_with(child, || {
                    let cpid = if kind == ChildKind::Clone {
                        tgid_of(child)
                    } else {
                        child
                    };
                    let mut new = Thread::new(cpid, Phase::Attaching);
                    new.seccomp = seccomp;
                    new
                });
                emit(
                    sink,
                    &mut self.req,
                    tid,
                    pid,
                    true,
                    &Event::NewChild { child, kind },
                );
            }
            libc::PTRACE_EVENT_SECCOMP if th.in_syscall.is_none() => {
                if let Ok(sys::SyscallInfo::Seccomp(info)) = sys::syscall_info(tid) {
                    let e = entry_of(&info);
                    th.in_syscall = Some(e);
                    emit(sink, &mut self.req, tid, pid, true, &Event::SyscallEnter(e));
                }
            }
            libc::PTRACE_EVENT_EXEC => {
                let old_tid = sys::event_msg(tid).map(|m| m as Tid).unwrap_or(tid);
                if old_tid != tid {
                    // Exec from a non-leader thread: it now has the leader's
                    // id and carries its own syscall state; the leader's
                    // former incarnation is gone without an exit status.
                    if let Some(old) = self.threads.remove(&old_tid) {
                        th.in_syscall = old.in_syscall;
                        th.group_stopped = old.group_stopped;
                    }
                }
                emit(
                    sink,
                    &mut self.req,
                    tid,
                    pid,
                    true,
                    &Event::Exec { old_tid },
                );
            }
            _ => {}
        }
    }

    /// Carries out [`Tracee::hand_over`] requests made while `tid` was held.
    /// Returns true if `tid` itself was detached.
    fn hand_over<S: Sink + ?Sized>(
        &mut self,
        sink: &mut S,
        tid: Tid,
        th: Thread,
        sig: i32,
        listen: bool,
    ) -> bool {
        self.threads.insert(tid, th);
        let mut list = std::mem::take(&mut self.req.detach);
        let mut self_too = false;
        for &target in &list {
            if target == tid {
                self_too = true;
                continue;
            }
            let tids: Vec<Tid> = self
                .threads
                .iter()
                .filter(|(&t, th)| t != tid && (t == target || th.pid == target))
                .map(|(&t, _)| t)
                .collect();
            self.detach_tids(sink, &tids);
        }
        list.clear();
        self.req.detach = list;
        if !self_too {
            return false;
        }
        self.threads.remove(&tid);
        let state = if listen {
            DetachState::Stopped
        } else if sig != 0 {
            DetachState::WithSignal(sig)
        } else {
            DetachState::Running
        };
        match sys::detach(tid, if listen { 0 } else { sig }) {
            Ok(()) => emit(
                sink,
                &mut self.req,
                tid,
                th.pid,
                false,
                &Event::Detached(state),
            ),
            Err(_) => {
                // Dying: its exit status is still ours to report.
                self.threads.insert(tid, th);
            }
        }
        true
    }

    /// Detaches one thread, leaving it stopped or running as it would be
    /// without a tracer (job-control.md item 11).
    pub fn detach<S: Sink + ?Sized>(&mut self, tid: Tid, sink: &mut S) -> Result<(), Error> {
        self.detach_tids(sink, &[tid]);
        Ok(())
    }

    /// Detaches every tracee (Ctrl-C on `-p`, SIGTERM ...).
    pub fn detach_all<S: Sink + ?Sized>(&mut self, sink: &mut S) -> Result<(), Error> {
        // Repeat for children that appear while detaching.
        while !self.threads.is_empty() {
            let tids: Vec<Tid> = self.threads.keys().copied().collect();
            self.detach_tids(sink, &tids);
        }
        Ok(())
    }

    /// Interrupts `tids` and detaches each at its next stop. Statuses of
    /// other tracees that arrive meanwhile are handled as usual. Never
    /// waits on one tid alone: a dying thread group reports its leader
    /// only after its other threads are reaped.
    fn detach_tids<S: Sink + ?Sized>(&mut self, sink: &mut S, tids: &[Tid]) {
        let mut mine: Vec<Tid> = Vec::new();
        for &tid in tids {
            if self.threads.contains_key(&tid) && !self.detaching.contains(&tid) {
                let _ = sys::interrupt(tid);
                self.detaching.push(tid);
                mine.push(tid);
            }
        }
        loop {
            mine.retain(|t| self.detaching.contains(t));
            if mine.is_empty() {
                return;
            }
            if let Some((tid, status, ns)) = self.queue.pop_front() {
                self.req.sys_time_ns = ns;
                self.handle(sink, tid, status);
                continue;
            }
            match sys::wait(-1, libc::WNOHANG) {
                Ok(Some((tid, status))) => self.handle(sink, tid, status),
                Ok(None) => {
                    // Nothing to report yet. A zombie leader waiting for
                    // live threads that are no longer ours never reports
                    // again: let it go.
                    for &tid in &mine {
                        if is_zombie_or_gone(tid) && !self.exit_status_due(tid) {
                            self.detaching.retain(|&t| t != tid);
                            self.threads.remove(&tid);
                        }
                    }
                    std::thread::sleep(std::time::Duration::from_micros(200));
                }
                Err(Errno::EINTR) => {}
                Err(_) => {
                    // ECHILD: nothing left to wait for.
                    for tid in mine.drain(..) {
                        self.detaching.retain(|&t| t != tid);
                        self.threads.remove(&tid);
                    }
                }
            }
        }
    }

    /// One stop of a thread being detached: detach it from there, passing
    /// on a signal it was about to receive.
    fn detach_at<S: Sink + ?Sized>(&mut self, sink: &mut S, tid: Tid, mut th: Thread, stop: Stop) {
        let exiting = matches!(stop, Stop::Exited(_) | Stop::Killed(..));
        self.announce(sink, tid, &mut th, !exiting, matches!(stop, Stop::Group(_)));
        let (sig, state) = match stop {
            Stop::Exited(code) => {
                self.forget(tid);
                return emit(
                    sink,
                    &mut self.req,
                    tid,
                    th.pid,
                    false,
                    &Event::Exited { code },
                );
            }
            Stop::Killed(sig, core_dumped) => {
                self.forget(tid);
                return emit(
                    sink,
                    &mut self.req,
                    tid,
                    th.pid,
                    false,
                    &Event::Killed { sig, core_dumped },
                );
            }
            Stop::Group(sig) => {
                if !th.group_stopped && th.phase != Phase::Starting {
                    emit(
                        sink,
                        &mut self.req,
                        tid,
                        th.pid,
                        true,
                        &Event::GroupStop { sig },
                    );
                }
                (0, DetachState::Stopped)
            }
            Stop::Trap => {
                if th.group_stopped {
                    emit(sink, &mut self.req, tid, th.pid, true, &Event::Continued);
                }
                (0, DetachState::Running)
            }
            Stop::Signal(sig) => (sig, DetachState::WithSignal(sig)),
            Stop::PtraceEvent(ev) => {
                // A child created right now is traced too: detach it later.
                if matches!(
                    ev,
                    libc::PTRACE_EVENT_FORK | libc::PTRACE_EVENT_VFORK | libc::PTRACE_EVENT_CLONE
                ) {
                    if let Ok(child) = sys::event_msg(tid) {
                        let child = child as Tid;
                        self.threads.get_or_insert_with(child, || {
                            Thread::new(tgid_of(child), Phase::Attaching)
                        });
                    }
                }
                (0, DetachState::Running)
            }
            Stop::Syscall => (0, DetachState::Running),
        };
        self.forget(tid);
        match sys::detach(tid, sig) {
            Ok(()) => emit(
                sink,
                &mut self.req,
                tid,
                th.pid,
                false,
                &Event::Detached(state),
            ),
            // Died between its stop and our detach: its exit status is
            // still ours to report.
            Err(_) => {
                self.threads.insert(tid, th);
            }
        }
    }

    /// Whether a zombie's exit status will still be reported to us: each
    /// other thread of its group is traced by us (and will report) or dying.
    fn exit_status_due(&self, tid: Tid) -> bool {
        match std::fs::read_dir(format!("/proc/{tid}/task")) {
            Ok(dir) => dir
                .flatten()
                .filter_map(|e| e.file_name().to_str().and_then(|s| s.parse::<Tid>().ok()))
                .all(|t| t == tid || self.threads.contains_key(&t) || is_dying(t)),
            Err(_) => false,
        }
    }

    fn forget(&mut self, tid: Tid) {
        self.threads.remove(&tid);
        self.detaching.retain(|&t| t != tid);
    }

    /// Reports `Attached` for a thread whose first event this is.
    fn announce<S: Sink + ?Sized>(
        &mut self,
        sink: &mut S,
        tid: Tid,
        th: &mut Thread,
        stopped: bool,
        already_stopped: bool,
    ) {
        if th.announce {
            th.announce = false;
            emit(
                sink,
                &mut self.req,
                tid,
                th.pid,
                stopped,
                &Event::Attached { already_stopped },
            );
        }
    }
}

/// State letter and flags (PF_*) of a thread from /proc/TID/stat; `None`
/// if it is gone.
fn proc_state(tid: Tid) -> Option<(char, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{tid}/stat")).ok()?;
    let mut fields = stat.rsplit_once(')')?.1.split_whitespace();
    let state = fields.next()?.chars().next()?;
    // Fields after the state: ppid pgrp session tty_nr tpgid flags.
    let flags = fields.nth(5)?.parse().ok()?;
    Some((state, flags))
}

/// Whether `tid` is a zombie or gone.
fn is_zombie_or_gone(tid: Tid) -> bool {
    !matches!(proc_state(tid), Some((s, _)) if s != 'Z' && s != 'X')
}

/// Whether thread `tid` is on its way out: zombie, gone, PF_EXITING, or
/// with a SIGKILL pending (as every thread of a group that is exiting).
fn is_dying(tid: Tid) -> bool {
    const PF_EXITING: u64 = 0x4;
    match proc_state(tid) {
        None => true,
        Some((s, flags)) if s == 'Z' || s == 'X' || flags & PF_EXITING != 0 => true,
        Some(_) => std::fs::read_to_string(format!("/proc/{tid}/status"))
            .ok()
            .and_then(|st| {
                st.lines()
                    .find_map(|l| l.strip_prefix("SigPnd:"))
                    .and_then(|v| u64::from_str_radix(v.trim(), 16).ok())
            })
            .is_some_and(|pending| pending & (1 << (libc::SIGKILL - 1)) != 0),
    }
}

fn is_exec_entry(tid: Tid) -> bool {
    match sys::syscall_info(tid) {
        Ok(sys::SyscallInfo::Entry(sys::EntryInfo { arch, nr, .. })) => match arch_of(arch, nr) {
            Arch::X86_64 => nr == 59 || nr == 322,
            Arch::I386 => nr == 11 || nr == 358,
            _ => false,
        },
        _ => false,
    }
}

/// Whether a seccomp filter is in force for `tid` (/proc/TID/status).
fn proc_seccomp(tid: Tid) -> bool {
    std::fs::read_to_string(format!("/proc/{tid}/status"))
        .map(|s| {
            s.lines()
                .any(|l| l.starts_with("Seccomp:") && l.trim_end().ends_with('2'))
        })
        .unwrap_or(false)
}

fn entry_from_regs(tid: Tid) -> Option<SyscallEnter> {
    let r = sys::regs(tid).ok()?;
    let arch = if r.cs == 0x23 {
        Arch::I386
    } else {
        arch_of(0xc000_003e, r.orig_rax)
    };
    let args = if arch == Arch::I386 {
        [r.rbx, r.rcx, r.rdx, r.rsi, r.rdi, r.rbp]
    } else {
        [r.rdi, r.rsi, r.rdx, r.r10, r.r8, r.r9]
    };
    Some(SyscallEnter {
        arch,
        nr: r.orig_rax,
        args,
        ip: r.rip,
        sp: r.rsp,
    })
}

/// The entry event of what PTRACE_GET_SYSCALL_INFO read.
fn entry_of(info: &sys::EntryInfo) -> SyscallEnter {
    SyscallEnter {
        arch: arch_of(info.arch, info.nr),
        nr: info.nr,
        args: info.args,
        ip: info.ip,
        sp: info.sp,
    }
}

/// A syscall-stop of a traced thread: reads the syscall's state and
/// reports its entry or exit. Returns the signal to restart with.
#[inline(always)]
fn syscall_stop<S: Sink + ?Sized>(
    sink: &mut S,
    req: &mut Requests,
    info: &mut sys::SyscallInfoBuf,
    tid: Tid,
    th: &mut Thread,
) -> i32 {
    let pid = th.pid;
    match sys::syscall_info_in(tid, info) {
        Ok(sys::SyscallInfo::Entry(info)) | Ok(sys::SyscallInfo::Seccomp(info)) => {
            let e = entry_of(&info);
            th.in_syscall = Some(e);
            req.signal = 0;
            emit(sink, req, tid, pid, true, &Event::SyscallEnter(e));
            std::mem::take(&mut req.signal)
        }
        Ok(sys::SyscallInfo::Exit { rval, is_error }) => {
            // The exit is built from the kept entry in place (not taken
            // out of the thread first).
            let exit_of = |e: &SyscallEnter| SyscallExit {
                arch: e.arch,
                nr: e.nr,
                args: e.args,
                ret: rval,
                is_error,
            };
            let x = match &th.in_syscall {
                Some(e) => Event::SyscallExit(exit_of(e)),
                None => match entry_from_regs(tid) {
                    Some(e) => Event::SyscallExit(exit_of(&e)),
                    None => return 0,
                },
            };
            th.in_syscall = None;
            req.signal = 0;
            emit(sink, req, tid, pid, true, &x);
            std::mem::take(&mut req.signal)
        }
        Ok(sys::SyscallInfo::None) | Err(_) => 0,
    }
}

fn emit<S: Sink + ?Sized>(
    sink: &mut S,
    req: &mut Requests,
    tid: Tid,
    pid: Tid,
    stopped: bool,
    event: &Event,
) {
    let mut tracee = Tracee {
        tid,
        pid,
        stopped,
        req,
    };
    sink.event(&mut tracee, event);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syscall_stop_test_matches_classify() {
        for low in 0..=0xffff_i32 {
            for high in [0, 1, PTRACE_EVENT_STOP, 0x7fff, -1] {
                let status = (high << 16) | low;
                assert_eq!(
                    is_syscall_stop(status),
                    matches!(classify(status), Stop::Syscall),
                    "status {status:#x}"
                );
            }
        }
    }
}
