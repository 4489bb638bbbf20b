//! Helpers for the black-box tests of the `ptrail` binary: run it with
//! bounded waits, follow its stderr line by line, look at processes through
//! /proc, and kill whatever a test started when it ends (also on panic);
//! for the differential tests, trace a command with strace or ptrail into a
//! file; for the randomised ones, a seeded generator.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

/// The binary under test.
pub fn ptrail() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ptrail"))
}

/// Upper bound of every wait in the tests.
pub const LIMIT: Duration = Duration::from_secs(20);

/// A child process that is killed (and reaped) when dropped.
pub struct Guard {
    pub child: Child,
}

impl Guard {
    pub fn spawn(cmd: &mut Command) -> Guard {
        Guard {
            child: cmd.spawn().expect("spawn"),
        }
    }
    pub fn pid(&self) -> i32 {
        self.child.id() as i32
    }
    /// Waits for the exit, at most `limit`; panics (and kills) after that.
    pub fn wait(&mut self, limit: Duration) -> ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            if start.elapsed() > limit {
                let _ = self.child.kill();
                panic!("process {} still running after {limit:?}", self.child.id());
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Runs `cmd` to completion (stdin closed), killing it after `LIMIT`.
pub fn run(cmd: &mut Command) -> Output {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut guard = Guard::spawn(cmd);
    let stdout = guard.child.stdout.take().unwrap();
    let stderr = guard.child.stderr.take().unwrap();
    let out = std::thread::spawn(move || read_all(stdout));
    let err = std::thread::spawn(move || read_all(stderr));
    let status = guard.wait(LIMIT);
    Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

fn read_all(mut r: impl std::io::Read) -> Vec<u8> {
    let mut v = Vec::new();
    let _ = r.read_to_end(&mut v);
    v
}

/// Lines of a child's stream, as they come.
pub struct Lines {
    rx: Receiver<String>,
    pub seen: Vec<String>,
}

impl Lines {
    pub fn new(stream: impl std::io::Read + Send + 'static) -> Lines {
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Lines {
            rx,
            seen: Vec::new(),
        }
    }

    /// Waits (bounded) for a line matching `pred`; returns it.
    pub fn wait_for(&mut self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + LIMIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if pred(&line) {
                        return line;
                    }
                }
                Err(_) => panic!(
                    "no line {what} within {LIMIT:?}; got:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }

    /// Everything until the stream ends (bounded).
    pub fn rest(&mut self) -> Vec<String> {
        let deadline = Instant::now() + LIMIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(line) => self.seen.push(line),
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return self.seen.clone(),
                Err(_) => panic!("stream still open after {LIMIT:?}"),
            }
        }
    }
}

/// The state letter of /proc/PID/stat (`R`, `S`, `t`, `T`, `Z`...), if any.
pub fn proc_state(pid: i32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = &stat[stat.rfind(')')? + 2..];
    after.chars().next()
}

/// A field of /proc/PID/status (`TracerPid`, `State` ...).
pub fn proc_status(pid: i32, field: &str) -> Option<String> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix(field).and_then(|r| r.strip_prefix(':')))
        .map(|v| v.trim().to_owned())
}

/// The syscall number PID is blocked in (first field of /proc/PID/syscall).
pub fn proc_syscall(pid: i32) -> Option<i64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/syscall")).ok()?;
    text.split_whitespace().next()?.parse().ok()
}

/// Polls `cond` every few milliseconds for at most `LIMIT`.
pub fn wait_until(what: &str, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        if start.elapsed() > LIMIT {
            panic!("timed out waiting for {what}");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The children of process `pid`.
pub fn children(pid: i32) -> Vec<i32> {
    let mut out = Vec::new();
    if let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) {
        for task in tasks.flatten() {
            if let Ok(text) = std::fs::read_to_string(task.path().join("children")) {
                out.extend(
                    text.split_whitespace()
                        .filter_map(|s| s.parse::<i32>().ok()),
                );
            }
        }
    }
    out
}

/// The single child of `pid`, waiting for it to appear.
pub fn child_of(pid: i32) -> i32 {
    let mut found = 0;
    wait_until("a child process", || {
        found = children(pid).first().copied().unwrap_or(0);
        found != 0
    });
    found
}

/// A fresh, empty directory for one test, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        let base = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
        let dir = base.join(format!("{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("mkdir");
        TempDir(dir)
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Sends a signal.
pub fn kill(pid: i32, sig: i32) {
    let _ = nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pid),
        nix::sys::signal::Signal::try_from(sig).expect("signal"),
    );
}

/// Asserts the "one error line, exit 1" contract.
pub fn assert_usage_error(out: &Output, starts: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "status {:?}, stderr: {err}",
        out.status
    );
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "want one line, got: {err}");
    assert!(lines[0].starts_with("ptrail: "), "{err}");
    assert!(lines[0].starts_with(starts), "want {starts:?}, got {err}");
    assert!(!err.contains("panicked"), "{err}");
}

/// SIGKILLs a process the test did not spawn itself (e.g. ptrail's
/// tracee) when dropped, so that nothing is left behind on failure.
pub struct PidGuard(pub i32);

impl Drop for PidGuard {
    fn drop(&mut self) {
        if std::path::Path::new(&format!("/proc/{}", self.0)).exists() {
            kill(self.0, libc::SIGKILL);
        }
    }
}

/// A tiny xorshift generator for the randomised tests: random but
/// reproducible from its seed.
pub struct Rng(pub u64);

impl Rng {
    /// Seeded from `STRESS_SEED` (to repeat a run), else from the clock (a
    /// new seed each run). The caller prints the seed (`rng.0`).
    pub fn from_env() -> Rng {
        let seed = std::env::var("STRESS_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
                    | 1
            });
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// A number in 0..n.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    /// An index in 0..n.
    pub fn index(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The reference tracer of the differential tests.
pub const STRACE: &str = "/usr/bin/strace";

/// Whether [`STRACE`] is installed; without it a test is skipped (this says
/// so on stderr), unless `PTRAIL_REQUIRE_STRACE` is set: then it fails.
pub fn have_strace() -> bool {
    if Path::new(STRACE).exists() {
        return true;
    }
    assert!(
        std::env::var_os("PTRAIL_REQUIRE_STRACE").is_none(),
        "{STRACE} is required"
    );
    eprintln!("skipped: {STRACE} is not installed");
    false
}

/// The target directory (`target/`), where reports go.
pub fn target_dir() -> PathBuf {
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().unwrap_or(&tmp).to_path_buf()
}

/// Runs `tracer -f -o OUT ARGV...` (strace or ptrail: the same options)
/// with stdout to /dev/null, after `setup` (work directory, environment)
/// on the command; returns the text of OUT (empty if none) and the exit
/// code.
pub fn trace_to_file<S: AsRef<OsStr>>(
    tracer: &Path,
    out: &Path,
    argv: &[S],
    setup: impl FnOnce(&mut Command),
) -> (String, Option<i32>) {
    let mut cmd = Command::new(tracer);
    cmd.arg("-f")
        .arg("-o")
        .arg(out)
        .args(argv)
        .stdout(Stdio::null());
    setup(&mut cmd);
    let res = run(&mut cmd);
    let text = std::fs::read_to_string(out).unwrap_or_default();
    (text, res.status.code())
}
