//! Shared scaffolding for the engine's integration tests.
//!
//! Every test runs in its own process (cargo-nextest) and builds its own
//! [`Tracer`] on the test's thread: ptrace ties tracees to the tracing
//! thread and the engine's `waitpid(-1)` reaps for the whole process.
//!
//! - [`helper`] finds the `tp_*` programs of `ptrail-testprogs` in the
//!   workspace target dir (build them first: `cargo build -p ptrail-testprogs`).
//! - [`Harness`] owns a watchdog (SIGKILLs everything the test started and
//!   fails the test after [`WATCHDOG`]), the stop flag, and a Drop guard that
//!   kills every registered process on every path.
//! - [`Harness::run`] runs `Tracer::run` on the test thread with a recording
//!   sink (plus an optional hook called while the tracee is held in its
//!   stop) and a *driver* closure on a helper thread that only sends signals,
//!   waits on the event stream and polls /proc.
//! - [`Harness::start_seized`] / [`Harness::start_threads`] /
//!   [`Harness::spawn`] start a test program and trace it; the `is_*`
//!   predicates, [`assert_jc`] and [`assert_threads_jc`] check the log.
//! - No sleeps for synchronisation: waits are bounded polls of /proc or of
//!   the event log.
#![allow(dead_code)]

use ptrail_engine::{
    ChildKind, DetachState, Event, Sink, Spawn, Tid, Tracee, Tracer, TracerBuilder,
};
use std::io::{BufRead, BufReader, Write};
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, RecvTimeoutError, Sender};
use std::sync::{Arc, Condvar, Mutex, Once};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The watchdog kills everything and fails the test after this long.
pub const WATCHDOG: Duration = Duration::from_secs(30);
/// After the watchdog fired, the test process is aborted if the test thread
/// is still stuck this much later.
pub const GRACE: Duration = Duration::from_secs(10);
/// One bounded wait (for an event or a /proc state) gives up after this long.
pub const WAIT: Duration = Duration::from_secs(10);

pub const SIGSTOP: i32 = libc::SIGSTOP;
pub const SIGCONT: i32 = libc::SIGCONT;
pub const SIGKILL: i32 = libc::SIGKILL;
pub const SIGTSTP: i32 = libc::SIGTSTP;
pub const SIGWINCH: i32 = libc::SIGWINCH;

// ---------------------------------------------------------------- helpers

/// Path of the test program `name` (e.g. "tp_spin") from ptrail-testprogs.
pub fn helper(name: &str) -> PathBuf {
    let mut candidates = Vec::new();
    if let Some(dir) = std::env::var_os("PTRAIL_TESTPROGS_DIR") {
        candidates.push(PathBuf::from(dir).join(name));
    }
    // target/<profile>/deps/<test-binary> -> target/<profile>/
    if let Ok(exe) = std::env::current_exe() {
        if let Some(dir) = exe.parent().and_then(Path::parent) {
            candidates.push(dir.join(name));
        }
    }
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        candidates.push(PathBuf::from(dir).join("debug").join(name));
    }
    candidates.push(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../target/debug")
            .join(name),
    );
    for c in &candidates {
        if c.is_file() {
            return c.clone();
        }
    }
    panic!(
        "test program {name} not found (looked at {candidates:?}): \
         build helpers with cargo build -p ptrail-testprogs"
    );
}

/// `helper(name)` as a string, for `Spawn::new`.
pub fn helper_str(name: &str) -> String {
    helper(name).to_str().expect("utf-8 path").to_owned()
}

// ---------------------------------------------------------------- /proc

/// Fields of a stat line after the `(comm)`: index 0 is the state (field 3).
fn stat_fields(path: &str) -> Option<Vec<String>> {
    let s = std::fs::read_to_string(path).ok()?;
    let (_, rest) = s.rsplit_once(')')?;
    Some(rest.split_whitespace().map(str::to_owned).collect())
}

/// State letter of the process (its leader) in /proc/PID/stat.
pub fn state(pid: Tid) -> Option<char> {
    stat_fields(&format!("/proc/{pid}/stat"))?[0].chars().next()
}

/// State letter of one thread.
pub fn task_state(pid: Tid, tid: Tid) -> Option<char> {
    stat_fields(&format!("/proc/{pid}/task/{tid}/stat"))?[0]
        .chars()
        .next()
}

fn ticks(fields: &[String]) -> Option<u64> {
    // utime is field 14, stime field 15 (indexes 11 and 12 here).
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

/// utime+stime of the whole process, in clock ticks.
pub fn cpu(pid: Tid) -> Option<u64> {
    ticks(&stat_fields(&format!("/proc/{pid}/stat"))?)
}

/// utime+stime of one thread, in clock ticks.
pub fn task_cpu(pid: Tid, tid: Tid) -> Option<u64> {
    ticks(&stat_fields(&format!("/proc/{pid}/task/{tid}/stat"))?)
}

/// Precise run time of one thread in ns (first field of schedstat), if the
/// kernel has it.
pub fn task_runtime_ns(pid: Tid, tid: Tid) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/task/{tid}/schedstat")).ok()?;
    s.split_whitespace().next()?.parse().ok()
}

/// TracerPid from /proc/PID/status.
pub fn tracer_pid(pid: Tid) -> Option<Tid> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines()
        .find_map(|l| l.strip_prefix("TracerPid:"))
        .and_then(|v| v.trim().parse().ok())
}

/// TracerPid of one thread.
pub fn task_tracer_pid(pid: Tid, tid: Tid) -> Option<Tid> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/task/{tid}/status")).ok()?;
    s.lines()
        .find_map(|l| l.strip_prefix("TracerPid:"))
        .and_then(|v| v.trim().parse().ok())
}

/// Thread ids of a process.
pub fn tasks(pid: Tid) -> Vec<Tid> {
    let mut v: Vec<Tid> = std::fs::read_dir(format!("/proc/{pid}/task"))
        .map(|d| {
            d.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    v.sort_unstable();
    v
}

/// Bounded poll: call `f` every millisecond until it returns Some, or fail
/// with a message naming `what` after `timeout`.
pub fn poll<T>(what: &str, timeout: Duration, mut f: impl FnMut() -> Option<T>) -> T {
    let end = Instant::now() + timeout;
    loop {
        if let Some(v) = f() {
            return v;
        }
        if Instant::now() > end {
            panic!("timed out after {timeout:?} waiting for {what}");
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Wait until the process state is one of `states`; returns it.
pub fn wait_state(pid: Tid, states: &str) -> char {
    let mut last = None;
    let end = Instant::now() + WAIT;
    loop {
        last = state(pid).or(last);
        if let Some(c) = last {
            if states.contains(c) {
                return c;
            }
        }
        if Instant::now() > end {
            panic!("pid {pid}: state {last:?} never became one of {states:?}");
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Wait until every thread of `pid` is in one of `states`.
pub fn wait_all_tasks(pid: Tid, states: &str) {
    let end = Instant::now() + WAIT;
    loop {
        let t = tasks(pid);
        let st: Vec<(Tid, Option<char>)> = t.iter().map(|&t| (t, task_state(pid, t))).collect();
        if !st.is_empty()
            && st
                .iter()
                .all(|(_, s)| s.is_some_and(|c| states.contains(c)))
        {
            return;
        }
        if Instant::now() > end {
            panic!("pid {pid}: thread states {st:?} never all in {states:?}");
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Wait until process `pid` has `threads` threads.
pub fn wait_threads(pid: Tid, threads: usize) {
    poll("all threads", WAIT, || {
        (tasks(pid).len() == threads).then_some(())
    });
}

/// Check that each thread of `pid` gets CPU time again.
pub fn assert_threads_get_cpu(pid: Tid) {
    for t in tasks(pid) {
        let before = task_cpu(pid, t).expect("task stat");
        poll(&format!("thread {t} to run again"), WAIT, || {
            (task_cpu(pid, t)? > before).then_some(())
        });
    }
}

/// Check that `pid` keeps getting CPU time: its utime+stime grows.
pub fn assert_gets_cpu(pid: Tid) {
    let before = cpu(pid).expect("stat");
    poll(
        &format!("pid {pid} to get CPU time (not frozen)"),
        WAIT,
        || (cpu(pid)? > before).then_some(()),
    );
}

pub fn kill(pid: Tid, sig: i32) {
    // SAFETY: plain kill(2).
    let r = unsafe { libc::kill(pid, sig) };
    assert_eq!(
        r,
        0,
        "kill({pid}, {sig}): {}",
        std::io::Error::last_os_error()
    );
}

/// As the real parent: wait for a status change of child `pid` with
/// `flags | WNOHANG`, polling; returns the raw status.
pub fn reap(pid: Tid, flags: i32) -> i32 {
    poll(&format!("waitpid({pid}, {flags:#x})"), WAIT, || {
        let mut status = 0;
        // SAFETY: waitpid with a valid status pointer.
        let r = unsafe { libc::waitpid(pid, &mut status, flags | libc::WNOHANG) };
        assert!(
            r >= 0,
            "waitpid({pid}): {}",
            std::io::Error::last_os_error()
        );
        (r == pid).then_some(status)
    })
}

/// As the real parent: nothing to reap right now for `pid`.
pub fn assert_nothing_to_reap(pid: Tid) {
    let mut status = 0;
    // SAFETY: waitpid with a valid status pointer.
    let r = unsafe {
        libc::waitpid(
            pid,
            &mut status,
            libc::WUNTRACED | libc::WCONTINUED | libc::WNOHANG,
        )
    };
    assert_eq!(r, 0, "unexpected wait status {status:#x} for {pid}");
}

/// A tiny xorshift generator (tests print their seed).
pub struct Rng(pub u64);
impl Rng {
    pub fn from_time() -> Rng {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64);
        Rng(t | 1)
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
}

// ---------------------------------------------------------------- events

/// One recorded event.
#[derive(Clone, Debug)]
pub struct Rec {
    pub tid: Tid,
    pub pid: Tid,
    pub ev: Event,
}

/// A compact view of an event, for comparing sequences.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum J {
    Att(bool),
    Sig(i32),
    Stop(i32),
    Cont,
    Exit(i32),
    Kill(i32),
    Det(DetachState),
    Exec(Tid),
    New(Tid, ChildKind),
    Enter(u64),
    Leave(u64, i64),
}

impl J {
    pub fn of(ev: &Event) -> J {
        match *ev {
            Event::Attached { already_stopped } => J::Att(already_stopped),
            Event::SyscallEnter(e) => J::Enter(e.nr),
            Event::SyscallExit(e) => J::Leave(e.nr, e.ret),
            Event::Signal(si) => J::Sig(si.signo()),
            Event::GroupStop { sig } => J::Stop(sig),
            Event::Continued => J::Cont,
            Event::NewChild { child, kind } => J::New(child, kind),
            Event::Exec { old_tid } => J::Exec(old_tid),
            Event::Exited { code } => J::Exit(code),
            Event::Killed { sig, .. } => J::Kill(sig),
            Event::Detached(d) => J::Det(d),
        }
    }
    pub fn is_syscall(&self) -> bool {
        matches!(self, J::Enter(_) | J::Leave(..))
    }
    pub fn is_final(&self) -> bool {
        matches!(self, J::Exit(_) | J::Kill(_) | J::Det(_))
    }
}

/// The event log shared by the sink (test thread) and the driver.
#[derive(Default)]
pub struct Log {
    recs: Mutex<Vec<Rec>>,
    cv: Condvar,
}

impl Log {
    pub fn push(&self, r: Rec) {
        self.recs.lock().unwrap().push(r);
        self.cv.notify_all();
    }
    pub fn snapshot(&self) -> Vec<Rec> {
        self.recs.lock().unwrap().clone()
    }
    pub fn len(&self) -> usize {
        self.recs.lock().unwrap().len()
    }
}

/// Events of one thread, without syscalls.
pub fn jc(recs: &[Rec], tid: Tid) -> Vec<J> {
    recs.iter()
        .filter(|r| r.tid == tid)
        .map(|r| J::of(&r.ev))
        .filter(|j| !j.is_syscall())
        .collect()
}

/// All events of one thread.
pub fn all(recs: &[Rec], tid: Tid) -> Vec<J> {
    recs.iter()
        .filter(|r| r.tid == tid)
        .map(|r| J::of(&r.ev))
        .collect()
}

/// How many events match.
pub fn count(recs: &[Rec], f: impl Fn(&Rec) -> bool) -> usize {
    recs.iter().filter(|r| f(r)).count()
}

/// Thread ids that got `Attached`, in order.
pub fn attached(recs: &[Rec]) -> Vec<Tid> {
    recs.iter()
        .filter(|r| matches!(r.ev, Event::Attached { .. }))
        .map(|r| r.tid)
        .collect()
}

/// The whole log, one line per event, for failure messages.
pub fn dump(recs: &[Rec]) -> String {
    let mut s = String::new();
    for (i, r) in recs.iter().enumerate() {
        s.push_str(&format!(
            "  #{i} tid {} (pid {}): {:?}\n",
            r.tid, r.pid, r.ev
        ));
    }
    s
}

/// Event predicates for [`count`] and [`Ctl::wait_count`].
pub fn is_sig(sig: i32) -> impl Fn(&Rec) -> bool {
    move |r| matches!(r.ev, Event::Signal(si) if si.signo() == sig)
}
pub fn is_stop(r: &Rec) -> bool {
    matches!(r.ev, Event::GroupStop { .. })
}
pub fn is_cont(r: &Rec) -> bool {
    matches!(r.ev, Event::Continued)
}
pub fn is_att(r: &Rec) -> bool {
    matches!(r.ev, Event::Attached { .. })
}

/// The events of `tid` without syscalls ([`jc`]) are exactly `want`.
#[track_caller]
pub fn assert_jc(recs: &[Rec], tid: Tid, want: Vec<J>) {
    assert_eq!(jc(recs, tid), want, "log:\n{}", dump(recs));
}

/// For every thread in `tids`: its events without syscalls, of those
/// `keep` keeps, are exactly `want`.
#[track_caller]
pub fn assert_threads_jc(
    recs: &[Rec],
    tids: impl IntoIterator<Item = Tid>,
    keep: impl Fn(&J) -> bool,
    want: Vec<J>,
) {
    for t in tids {
        let got: Vec<J> = jc(recs, t).into_iter().filter(|j| keep(j)).collect();
        assert_eq!(got, want, "tid {t}\nlog:\n{}", dump(recs));
    }
}

/// Per-thread API guarantees: `Attached` first, nothing after a final
/// event (Exited/Killed/Detached), GroupStop/Continued alternate starting
/// with GroupStop.
pub fn check_invariants(recs: &[Rec]) {
    let mut tids: Vec<Tid> = recs.iter().map(|r| r.tid).collect();
    tids.sort_unstable();
    tids.dedup();
    for tid in tids {
        let seq = all(recs, tid);
        assert!(
            matches!(seq.first(), Some(J::Att(_))),
            "tid {tid}: first event is not Attached: {seq:?}\nlog:\n{}",
            dump(recs)
        );
        if let Some(i) = seq.iter().position(J::is_final) {
            assert_eq!(
                i + 1,
                seq.len(),
                "tid {tid}: events after its final event: {seq:?}\nlog:\n{}",
                dump(recs)
            );
        }
        let mut stopped = false;
        for j in &seq {
            match j {
                J::Stop(_) => {
                    assert!(
                        !stopped,
                        "tid {tid}: two GroupStops without Continued: {seq:?}\nlog:\n{}",
                        dump(recs)
                    );
                    stopped = true;
                }
                J::Cont => {
                    assert!(
                        stopped,
                        "tid {tid}: Continued without GroupStop: {seq:?}\nlog:\n{}",
                        dump(recs)
                    );
                    stopped = false;
                }
                _ => {}
            }
        }
    }
}

/// A tracer (syscall tracing iff `trace_syscalls`) that has seized `pid`.
pub fn seize(pid: Tid, trace_syscalls: bool) -> Tracer {
    let mut tracer = TracerBuilder::new().trace_syscalls(trace_syscalls).build();
    tracer.attach(pid).expect("attach");
    tracer
}

/// A tracer that follows forks and clones (syscall tracing iff
/// `trace_syscalls`).
pub fn follower(trace_syscalls: bool) -> Tracer {
    TracerBuilder::new()
        .follow_forks(true)
        .trace_syscalls(trace_syscalls)
        .build()
}

// ---------------------------------------------------------------- harness

extern "C" fn on_kick(_: libc::c_int) {}

/// SIGUSR2 interrupts the engine's waitpid (no SA_RESTART) so it sees the
/// stop flag.
fn install_kick_handler() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: installs an async-signal-safe no-op handler.
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = on_kick as *const () as usize;
            sa.sa_flags = 0;
            libc::sigemptyset(&mut sa.sa_mask);
            libc::sigaction(libc::SIGUSR2, &sa, std::ptr::null_mut());
        }
    });
}

/// What the driver thread and the sink hook can use.
#[derive(Clone)]
pub struct Ctl {
    pub log: Arc<Log>,
    pub stop: Arc<AtomicBool>,
    pub pids: Arc<Mutex<Vec<Tid>>>,
    pub run_done: Arc<AtomicBool>,
    pub timed_out: Arc<AtomicBool>,
    thread: libc::pthread_t,
    /// Kernel thread id of the test thread (the tracer: /proc TracerPid).
    pub tracer_tid: Tid,
}

impl Ctl {
    /// Send `sig` to process `pid`.
    pub fn kill(&self, pid: Tid, sig: i32) {
        kill(pid, sig);
    }

    /// SIGKILL everything the test registered.
    pub fn kill_all(&self) {
        for &p in self.pids.lock().unwrap().iter() {
            // SAFETY: plain kill(2).
            unsafe { libc::kill(p, libc::SIGKILL) };
        }
    }

    /// Interrupt the test thread's waitpid.
    pub fn kick(&self) {
        // SAFETY: the test thread outlives the driver (scoped) and the
        // watchdog (joined by the harness before the test thread ends).
        unsafe { libc::pthread_kill(self.thread, libc::SIGUSR2) };
    }

    /// Ask the engine to detach everything (stop flag) and wait until
    /// `Tracer::run` has returned.
    pub fn detach_all_and_wait(&self) {
        self.stop.store(true, Ordering::SeqCst);
        let end = Instant::now() + WAIT;
        while !self.run_done.load(Ordering::SeqCst) {
            self.kick();
            if Instant::now() > end {
                panic!(
                    "Tracer::run did not return within {WAIT:?} after the stop flag was set\nlog:\n{}",
                    dump(&self.log.snapshot())
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Wait until `pred` holds on the event log; returns the log then.
    pub fn wait_log(&self, what: &str, pred: impl Fn(&[Rec]) -> bool) -> Vec<Rec> {
        let end = Instant::now() + WAIT;
        let mut recs = self.log.recs.lock().unwrap();
        loop {
            if pred(&recs) {
                return recs.clone();
            }
            let now = Instant::now();
            if now > end || self.run_done.load(Ordering::SeqCst) {
                let why = if now > end {
                    "timed out"
                } else {
                    "Tracer::run returned"
                };
                let d = dump(&recs);
                drop(recs);
                panic!("{why} while waiting for {what}\nlog:\n{d}");
            }
            recs = self
                .log
                .cv
                .wait_timeout(recs, Duration::from_millis(50))
                .unwrap()
                .0;
        }
    }

    /// Wait for the Attached of a single-threaded tracee, then for it to be
    /// in one of `states`.
    pub fn wait_attached(&self, pid: Tid, states: &str) {
        self.wait_count("Attached", 1, is_att);
        wait_state(pid, states);
    }

    /// Wait for the Attached of each of the `threads` threads of `pid`,
    /// then for all of them to be in one of `states`.
    pub fn wait_all_attached(&self, pid: Tid, threads: usize, states: &str) {
        self.wait_count("Attached per thread", threads, is_att);
        wait_all_tasks(pid, states);
    }

    /// Wait for `n` events matching `f`.
    pub fn wait_count(&self, what: &str, n: usize, f: impl Fn(&Rec) -> bool) -> Vec<Rec> {
        self.wait_log(what, |recs| count(recs, &f) >= n)
    }

    /// Check that no new event arrives for `quiet` (a bounded negative check).
    pub fn assert_quiet(&self, quiet: Duration, what: &str) {
        let n = self.log.len();
        let end = Instant::now() + quiet;
        while Instant::now() < end {
            std::thread::sleep(Duration::from_millis(5));
            let recs = self.log.snapshot();
            assert_eq!(
                recs.len(),
                n,
                "unexpected event(s) {what}\nlog:\n{}",
                dump(&recs)
            );
        }
    }
}

/// Per-test scaffolding: watchdog, kill-everything guard, driver thread.
pub struct Harness {
    pub ctl: Ctl,
    watchdog: Option<(Sender<()>, JoinHandle<()>)>,
    children: Vec<Child>,
}

impl Harness {
    pub fn new() -> Harness {
        install_kick_handler();
        let ctl = Ctl {
            log: Arc::default(),
            stop: Arc::default(),
            pids: Arc::default(),
            run_done: Arc::default(),
            timed_out: Arc::default(),
            // SAFETY: pthread_self has no preconditions.
            thread: unsafe { libc::pthread_self() },
            // SAFETY: gettid has no preconditions.
            tracer_tid: unsafe { libc::gettid() },
        };
        let (tx, rx) = channel::<()>();
        let wctl = ctl.clone();
        let jh = std::thread::spawn(move || {
            if let Err(RecvTimeoutError::Timeout) = rx.recv_timeout(WATCHDOG) {
                eprintln!("watchdog: test still running after {WATCHDOG:?}, killing everything");
                wctl.timed_out.store(true, Ordering::SeqCst);
                wctl.kill_all();
                wctl.stop.store(true, Ordering::SeqCst);
                // Keep kicking until the harness is dropped; if the test
                // thread stays stuck (e.g. the engine blocks in waitpid
                // ignoring EINTR), abort the whole test process.
                let end = Instant::now() + GRACE;
                loop {
                    wctl.kick();
                    match rx.recv_timeout(Duration::from_millis(50)) {
                        Err(RecvTimeoutError::Timeout) => {}
                        _ => break,
                    }
                    if Instant::now() > end {
                        eprintln!(
                            "watchdog: test thread still stuck {GRACE:?} after killing \
                             everything (run_done={}); aborting\nlog:\n{}",
                            wctl.run_done.load(Ordering::SeqCst),
                            dump(&wctl.log.snapshot())
                        );
                        std::process::abort();
                    }
                }
            }
        });
        Harness {
            ctl,
            watchdog: Some((tx, jh)),
            children: Vec::new(),
        }
    }

    /// Kill `pid` (SIGKILL) when the test ends or fails.
    pub fn register(&self, pid: Tid) {
        self.ctl.pids.lock().unwrap().push(pid);
    }

    /// Start test program `name` as a child of the test process (its own
    /// process group, so SIGTSTP is not discarded as for an orphaned group),
    /// with piped stdin/stdout, and wait for its `ready` line.
    pub fn start(&mut self, name: &str, args: &[&str]) -> Proc {
        use std::os::unix::process::CommandExt;
        let mut child = Command::new(helper(name))
            .args(args)
            .process_group(0)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("start {name}: {e}"));
        let pid = child.id() as Tid;
        self.register(pid);
        let stdin = child.stdin.take();
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        self.children.push(child);
        let mut line = String::new();
        stdout.read_line(&mut line).expect("read ready line");
        assert_eq!(line, "ready\n", "{name} did not start");
        Proc { pid, stdin, stdout }
    }

    /// [`Harness::start`] test program `name` with no arguments and seize
    /// it with a tracer that traces syscalls iff `trace_syscalls`.
    pub fn start_seized(&mut self, name: &str, trace_syscalls: bool) -> (Tid, Tracer) {
        let pid = self.start(name, &[]).pid;
        (pid, seize(pid, trace_syscalls))
    }

    /// [`Harness::start`] test program `name` with `threads` threads (its
    /// first argument) and wait until they all exist.
    pub fn start_threads(&mut self, name: &str, threads: usize) -> Tid {
        let n = threads.to_string();
        let pid = self.start(name, &[&n]).pid;
        wait_threads(pid, threads);
        pid
    }

    /// Spawn test program `argv[0]` (with `argv`) under `tracer` and
    /// register it.
    pub fn spawn(&self, tracer: &mut Tracer, argv: &[&str]) -> Tid {
        let pid = tracer
            .spawn(&Spawn::new(helper_str(argv[0]), argv))
            .expect("spawn");
        self.register(pid);
        pid
    }

    /// Run the tracer on this (the test) thread with a recording sink and
    /// `hook` (called for every event while the thread is held), and
    /// `driver` on a helper thread. Returns the driver's result; panics if
    /// run fails, the driver panics, or the watchdog fired.
    pub fn run<R: Send>(
        &self,
        tracer: &mut Tracer,
        hook: impl FnMut(&mut Tracee<'_>, &Event, &Ctl),
        driver: impl FnOnce(&Ctl) -> R + Send,
    ) -> R {
        let ctl = &self.ctl;
        let (res, dr) = std::thread::scope(|s| {
            let dctl = ctl.clone();
            let jh = s.spawn(move || {
                let r = catch_unwind(AssertUnwindSafe(|| driver(&dctl)));
                if r.is_err() {
                    dctl.kill_all();
                }
                r
            });
            let mut sink = RecSink {
                ctl: ctl.clone(),
                hook,
            };
            let res = tracer.run(&mut sink, &ctl.stop);
            ctl.run_done.store(true, Ordering::SeqCst);
            if res.is_err() {
                ctl.kill_all();
            }
            let dr = jh.join().expect("driver thread");
            (res, dr)
        });
        let recs = ctl.log.snapshot();
        assert!(
            !ctl.timed_out.load(Ordering::SeqCst),
            "watchdog fired after {WATCHDOG:?}\nlog:\n{}",
            dump(&recs)
        );
        let v = match dr {
            Ok(v) => v,
            Err(p) => {
                eprintln!("driver failed; log:\n{}", dump(&recs));
                resume_unwind(p)
            }
        };
        if let Err(e) = res {
            panic!("Tracer::run failed: {e:?}\nlog:\n{}", dump(&recs));
        }
        v
    }

    /// A recording sink without hook, for `detach_all` / `detach` outside `run`.
    pub fn sink(&self) -> impl Sink + '_ {
        RecSink {
            ctl: self.ctl.clone(),
            hook: no_hook,
        }
    }

    /// The recorded events so far.
    pub fn recs(&self) -> Vec<Rec> {
        self.ctl.log.snapshot()
    }

    /// The recorded events so far, after [`check_invariants`] on them.
    pub fn checked_recs(&self) -> Vec<Rec> {
        let recs = self.recs();
        check_invariants(&recs);
        recs
    }
}

impl Default for Harness {
    fn default() -> Self {
        Harness::new()
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        if let Some((tx, jh)) = self.watchdog.take() {
            let _ = tx.send(());
            let _ = jh.join();
        }
        let pids = self.ctl.pids.lock().unwrap().clone();
        for &p in &pids {
            // SAFETY: plain kill(2).
            unsafe { libc::kill(p, libc::SIGKILL) };
        }
        // Reap what is ours (bounded).
        for &p in &pids {
            let end = Instant::now() + Duration::from_secs(2);
            loop {
                let mut st = 0;
                // SAFETY: waitpid with a valid status pointer.
                let r = unsafe { libc::waitpid(p, &mut st, libc::WNOHANG | libc::__WALL) };
                if r != 0 || Instant::now() > end {
                    break;
                }
                std::thread::sleep(Duration::from_millis(1));
            }
        }
    }
}

struct RecSink<H> {
    ctl: Ctl,
    hook: H,
}

impl<H: FnMut(&mut Tracee<'_>, &Event, &Ctl)> Sink for RecSink<H> {
    fn event(&mut self, tracee: &mut Tracee<'_>, event: &Event) {
        self.ctl.log.push(Rec {
            tid: tracee.tid(),
            pid: tracee.pid(),
            ev: *event,
        });
        (self.hook)(tracee, event, &self.ctl);
    }
}

/// A hook that does nothing.
pub fn no_hook(_: &mut Tracee<'_>, _: &Event, _: &Ctl) {}

/// A test program started with [`Harness::start`].
pub struct Proc {
    pub pid: Tid,
    pub stdin: Option<ChildStdin>,
    pub stdout: BufReader<ChildStdout>,
}

impl Proc {
    pub fn write(&mut self, data: &[u8]) {
        let w = self.stdin.as_mut().expect("stdin");
        w.write_all(data).expect("write to tracee");
        w.flush().expect("flush");
    }
    pub fn read_line(&mut self) -> String {
        let mut line = String::new();
        self.stdout.read_line(&mut line).expect("read from tracee");
        line
    }
}
