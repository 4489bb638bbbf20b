//! `tp_stress_load MODE ARGS...`: load generators for the stress tests
//! (crates/cli/tests/stress.rs). Every process and thread it creates writes
//! one line `T TID EXPECT` to stdout with a single write(2) (atomic on a
//! pipe), where EXPECT is the status ptrail must report for that thread:
//! `exited N`, `killed SIG`, `becomes-leader` (a thread that execs), or `any`. So the test knows the
//! exact set of tids without guessing.
//!
//! Modes:
//! - `forkstorm DEPTH FANOUT`: a tree of fork()ed processes; each exits with
//!   `pid % 100` after reaping its children.
//! - `threads N WAVE`: N threads in waves of WAVE, each makes a few syscalls
//!   and returns; main exits 0.
//! - `vfork N`: a chain of N vfork()s; each child either execs this program
//!   again one level down, or (every third level) `_exit`s at once.
//! - `clone3`: children made by raw clone3 with odd flags (CLONE_PIDFD,
//!   CLONE_CLEAR_SIGHAND, exit_signal 0, CLONE_PARENT_SETTID, CLONE_NEWPID).
//! - `execthread N`: N threads loop on getppid while one non-leader thread
//!   execs `report 5` (this program again).
//! - `zombie N`: the leader leaves with SYS_exit while N threads go on; the
//!   last thread calls exit_group(9).
//! - `spin N`: N threads and main loop on getppid forever.
//! - `report CODE`: writes its own line and exits with CODE.
//! - `busy N`: N processes that loop forever on syscalls, execs and forks
//!   (for kill-at-random tests); prints `T` lines for each.
//!
//! The program dies with its parent (PR_SET_PDEATHSIG) so nothing is left
//! behind by a crashed test, unless TP_NO_PDEATHSIG is set.

use std::ffi::CString;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

fn die_with_parent() {
    if std::env::var_os("TP_NO_PDEATHSIG").is_some() {
        return;
    }
    // SAFETY: plain prctl with integer arguments.
    unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) };
}

/// One line on stdout with one write(2), never buffered (safe after fork).
fn say(line: &str) {
    let mut s = line.to_owned();
    s.push('\n');
    // SAFETY: valid buffer of the given length.
    unsafe { libc::write(1, s.as_ptr().cast(), s.len()) };
}

fn gettid() -> i32 {
    // SAFETY: gettid has no preconditions.
    unsafe { libc::syscall(libc::SYS_gettid) as i32 }
}

fn getpid() -> i32 {
    // SAFETY: getpid has no preconditions.
    unsafe { libc::getpid() }
}

fn exit_now(code: i32) -> ! {
    // SAFETY: ends the process without running atexit handlers.
    unsafe { libc::_exit(code) }
}

fn wait_all() {
    loop {
        let mut status = 0;
        // SAFETY: waits for any child, status is a valid pointer.
        let r = unsafe { libc::waitpid(-1, &mut status, libc::__WALL) };
        if r < 0 {
            let e = std::io::Error::last_os_error().raw_os_error();
            if e == Some(libc::EINTR) {
                continue;
            }
            return;
        }
    }
}

fn self_exe() -> CString {
    CString::new("/proc/self/exe").unwrap()
}

fn exec_self(args: &[&str]) -> ! {
    let prog = self_exe();
    let mut owned = vec![CString::new("tp_stress_load").unwrap()];
    owned.extend(args.iter().map(|a| CString::new(*a).unwrap()));
    let mut argv: Vec<*const libc::c_char> = owned.iter().map(|a| a.as_ptr()).collect();
    argv.push(std::ptr::null());
    // SAFETY: NUL-terminated strings and a NULL-terminated argv.
    unsafe { libc::execv(prog.as_ptr(), argv.as_ptr()) };
    exit_now(127)
}

fn forkstorm(depth: u32, fanout: u32) -> ! {
    for _ in 0..fanout {
        if depth == 0 {
            break;
        }
        // SAFETY: single-threaded program; the child only makes syscalls
        // and recurses into this function.
        let pid = unsafe { libc::fork() };
        if pid == 0 {
            let me = getpid();
            say(&format!("T {me} exited {}", me % 100));
            forkstorm_child(depth - 1, fanout);
        }
    }
    wait_all();
    let me = getpid();
    exit_now(me % 100)
}

fn forkstorm_child(depth: u32, fanout: u32) -> ! {
    forkstorm(depth, fanout)
}

fn threads(n: usize, wave: usize) -> ! {
    let mut started = 0;
    while started < n {
        let batch = wave.min(n - started);
        let handles: Vec<_> = (0..batch)
            .map(|_| {
                std::thread::spawn(|| {
                    say(&format!("T {} exited 0", gettid()));
                    // SAFETY: getppid has no preconditions.
                    unsafe { libc::getppid() };
                })
            })
            .collect();
        for h in handles {
            let _ = h.join();
        }
        started += batch;
    }
    exit_now(0)
}

/// Starts this program with `args` through posix_spawn, which glibc
/// implements with clone(CLONE_VM|CLONE_VFORK): a vfork the tracer sees.
fn vfork_spawn(args: &[&str]) -> i32 {
    let prog = self_exe();
    let mut owned = vec![CString::new("tp_stress_load").unwrap()];
    owned.extend(args.iter().map(|a| CString::new(*a).unwrap()));
    let mut argv: Vec<*mut libc::c_char> = owned.iter().map(|a| a.as_ptr() as *mut _).collect();
    argv.push(std::ptr::null_mut());
    let env: [*mut libc::c_char; 1] = [std::ptr::null_mut()];
    let mut pid = 0;
    // SAFETY: valid NUL-terminated path, argv and (empty) envp arrays.
    let r = unsafe {
        libc::posix_spawn(
            &mut pid,
            prog.as_ptr(),
            std::ptr::null(),
            std::ptr::null(),
            argv.as_ptr(),
            env.as_ptr(),
        )
    };
    if r != 0 {
        say(&format!("E posix_spawn failed: {r}"));
        return -1;
    }
    pid
}

fn vfork_chain(n: u32) -> ! {
    if n > 0 {
        if n.is_multiple_of(3) {
            // a side branch that only reports and exits
            vfork_spawn(&["report", "7"]);
        }
        vfork_spawn(&["vfork", &(n - 1).to_string()]);
        wait_all();
    }
    let me = getpid();
    say(&format!("T {me} exited {}", 10 + n % 50));
    exit_now(10 + (n % 50) as i32)
}

#[repr(C)]
#[derive(Default)]
struct CloneArgs {
    flags: u64,
    pidfd: u64,
    child_tid: u64,
    parent_tid: u64,
    exit_signal: u64,
    stack: u64,
    stack_size: u64,
    tls: u64,
    set_tid: u64,
    set_tid_size: u64,
    cgroup: u64,
}

fn clone3_modes() -> ! {
    let variants: [(u64, u64); 6] = [
        (libc::CLONE_PIDFD as u64, libc::SIGCHLD as u64),
        (
            0x1_0000_0000, /* CLONE_CLEAR_SIGHAND */
            libc::SIGCHLD as u64,
        ),
        (libc::CLONE_PIDFD as u64 | 0x1_0000_0000, 0),
        (libc::CLONE_PARENT_SETTID as u64, libc::SIGURG as u64),
        (
            libc::CLONE_NEWPID as u64 | libc::CLONE_PIDFD as u64,
            libc::SIGCHLD as u64,
        ),
        (
            libc::CLONE_CHILD_SETTID as u64 | libc::CLONE_CHILD_CLEARTID as u64,
            0,
        ),
    ];
    for (i, (flags, sig)) in variants.into_iter().enumerate() {
        let mut pidfd: i32 = -1;
        let mut ptid: i32 = 0;
        let mut ctid: i32 = 0;
        let args = CloneArgs {
            flags,
            pidfd: &mut pidfd as *mut i32 as u64,
            child_tid: &mut ctid as *mut i32 as u64,
            parent_tid: &mut ptid as *mut i32 as u64,
            exit_signal: sig,
            ..CloneArgs::default()
        };
        // SAFETY: clone3 without CLONE_VM and without a stack behaves like
        // fork; the child only makes syscalls and exits.
        let pid = unsafe {
            libc::syscall(
                libc::SYS_clone3,
                &args as *const CloneArgs,
                std::mem::size_of::<CloneArgs>(),
            )
        };
        if pid == 0 {
            // SAFETY: getppid has no preconditions.
            unsafe { libc::getppid() };
            exit_now(20 + i as i32);
        }
        if pid < 0 {
            say(&format!(
                "E clone3 variant {i} failed: {}",
                std::io::Error::last_os_error()
            ));
            continue;
        }
        say(&format!("T {pid} exited {}", 20 + i));
        if flags & libc::CLONE_PIDFD as u64 != 0 {
            let mut fds = libc::pollfd {
                fd: pidfd,
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd.
            unsafe { libc::poll(&mut fds, 1, 10_000) };
            // SAFETY: closing our own descriptor.
            unsafe { libc::close(pidfd) };
        }
        let mut status = 0;
        // SAFETY: valid status pointer.
        unsafe { libc::waitpid(pid as i32, &mut status, libc::__WALL) };
    }
    exit_now(0)
}

fn spin_syscalls(stop: &AtomicUsize) {
    while stop.load(Ordering::Relaxed) == 0 {
        // SAFETY: getppid has no preconditions.
        unsafe { libc::getppid() };
    }
}

fn execthread(n: usize) -> ! {
    let stop = Arc::new(AtomicUsize::new(0));
    let ready = Arc::new(AtomicUsize::new(0));
    for _ in 0..n {
        let stop = stop.clone();
        let ready = ready.clone();
        std::thread::spawn(move || {
            say(&format!("T {} any", gettid()));
            ready.fetch_add(1, Ordering::SeqCst);
            spin_syscalls(&stop);
        });
    }
    while ready.load(Ordering::SeqCst) < n {
        std::thread::yield_now();
    }
    let leader = getpid();
    std::thread::spawn(move || {
        // The exec'ing thread's tid is superseded, the process goes on
        // under the leader's pid.
        say(&format!("T {} becomes-leader", gettid()));
        say(&format!("T {leader} exited 5"));
        exec_self(&["report-quiet", "5"]);
    });
    loop {
        spin_syscalls(&AtomicUsize::new(0));
    }
}

fn zombie(n: usize) -> ! {
    let left = Arc::new(AtomicUsize::new(n));
    let ready = Arc::new(AtomicUsize::new(0));
    let leader = getpid();
    say(&format!("T {leader} exited 9"));
    for _ in 0..n {
        let left = left.clone();
        let ready = ready.clone();
        std::thread::spawn(move || {
            // Wait (bounded) for the leader to be a zombie, then work.
            ready.fetch_add(1, Ordering::SeqCst);
            for _ in 0..200_000 {
                let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
                if stat
                    .rsplit_once(')')
                    .is_some_and(|(_, r)| r.trim_start().starts_with('Z'))
                {
                    break;
                }
                std::thread::yield_now();
            }
            for _ in 0..50 {
                // SAFETY: getppid has no preconditions.
                unsafe { libc::getppid() };
            }
            let tid = gettid();
            if left.fetch_sub(1, Ordering::SeqCst) == 1 {
                say(&format!("T {tid} exited 9"));
                exit_now(9);
            }
            say(&format!("T {tid} exited 0"));
            // SAFETY: ends only this thread.
            unsafe { libc::syscall(libc::SYS_exit, 0) };
        });
    }
    while ready.load(Ordering::SeqCst) < n {
        std::thread::yield_now();
    }
    // SAFETY: ends only the leader thread; the others go on.
    unsafe { libc::syscall(libc::SYS_exit, 0) };
    unreachable!()
}

/// Endless work for the kill tests: syscalls, short-lived children, execs.
fn busy(n: usize) -> ! {
    for i in 0..n {
        // SAFETY: single-threaded at this point; the child runs its loop.
        let pid = unsafe { libc::fork() };
        if pid == 0 {
            say(&format!("T {} any", getpid()));
            busy_child(i);
        }
    }
    wait_all();
    exit_now(0)
}

fn busy_child(i: usize) -> ! {
    match i % 4 {
        // exec loop: each exec is a chance to be killed mid-exec
        0 => exec_self(&["busy-exec"]),
        // threads making syscalls
        1 => {
            let stop = Arc::new(AtomicUsize::new(0));
            for _ in 0..4 {
                let stop = stop.clone();
                std::thread::spawn(move || {
                    say(&format!("T {} any", gettid()));
                    spin_syscalls(&stop);
                });
            }
            spin_syscalls(&stop);
            exit_now(0)
        }
        // fork loop
        2 => loop {
            // SAFETY: single-threaded; the child exits at once.
            let pid = unsafe { libc::fork() };
            if pid == 0 {
                exit_now(3);
            }
            let mut status = 0;
            // SAFETY: valid status pointer.
            unsafe { libc::waitpid(pid, &mut status, 0) };
        },
        // blocking syscalls
        _ => loop {
            let ts = libc::timespec {
                tv_sec: 0,
                tv_nsec: 1_000_000,
            };
            // SAFETY: valid timespec.
            unsafe { libc::nanosleep(&ts, std::ptr::null_mut()) };
        },
    }
}

fn main() {
    die_with_parent();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let num =
        |i: usize, d: usize| -> usize { args.get(i).and_then(|s| s.parse().ok()).unwrap_or(d) };
    match args.first().map(String::as_str) {
        Some("forkstorm") => {
            let me = getpid();
            say(&format!("T {me} exited {}", me % 100));
            forkstorm(num(1, 3) as u32, num(2, 10) as u32)
        }
        Some("threads") => {
            say(&format!("T {} exited 0", getpid()));
            threads(num(1, 200), num(2, 50))
        }
        Some("vfork") => {
            // every level prints its own line when it leaves
            vfork_chain(num(1, 30) as u32)
        }
        Some("clone3") => {
            say(&format!("T {} exited 0", getpid()));
            clone3_modes()
        }
        Some("execthread") => execthread(num(1, 8)),
        Some("zombie") => zombie(num(1, 8)),
        Some("report") => {
            let code = num(1, 0) as i32;
            say(&format!("T {} exited {code}", getpid()));
            exit_now(code)
        }
        Some("report-quiet") => exit_now(num(1, 0) as i32),
        Some("busy") => {
            say(&format!("T {} any", getpid()));
            busy(num(1, 8))
        }
        Some("spin") => {
            let stop = Arc::new(AtomicUsize::new(0));
            for _ in 0..num(1, 3) {
                let stop = stop.clone();
                std::thread::spawn(move || spin_syscalls(&stop));
            }
            spin_syscalls(&stop);
            exit_now(0)
        }
        Some("busy-exec") => {
            // a few syscalls, then exec again
            for _ in 0..20 {
                // SAFETY: getppid has no preconditions.
                unsafe { libc::getppid() };
            }
            exec_self(&["busy-exec"])
        }
        _ => {
            eprintln!("usage: tp_stress_load MODE ARGS...");
            exit_now(2)
        }
    }
}
