//! Reliability under load, faults and hostile tracees: black-box tests of
//! the real `ptrail` binary on real processes (helpers `tp_stress_load` and
//! `tp_stress_hostile` from crates/testprogs).
//!
//! Every scenario prints what it checked and appends the same lines to
//! `target/stress-report.txt`. Every wait is bounded; whatever a test
//! starts runs in a process group that is SIGKILLed when the test ends,
//! also on failure.
//!
//! The helpers print one line `T TID EXPECT` per process/thread they make,
//! so the set of tids a trace must account for is known exactly.

mod common;

use common::{kill, proc_state, proc_status, Guard, Rng, TempDir};
use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// Watchdog bound of one traced run.
const RUN_LIMIT: Duration = Duration::from_secs(120);

// ---------------------------------------------------------------- helpers

fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target dir")
        .to_path_buf()
}

/// A helper program next to the ptrail binary (built by ./scripts/test).
fn tp(name: &str) -> PathBuf {
    let p = Path::new(env!("CARGO_BIN_EXE_ptrail"))
        .parent()
        .unwrap()
        .join(name);
    assert!(
        p.exists(),
        "{} missing: run `cargo build --workspace --bins` first",
        p.display()
    );
    p
}

/// Prints a scenario's figures and appends them to target/stress-report.txt.
fn report(scenario: &str, lines: &[String]) {
    let mut text = String::new();
    for l in lines {
        text.push_str(&format!("[{scenario}] {l}\n"));
    }
    print!("{text}");
    let path = target_dir().join("stress-report.txt");
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = f.write_all(text.as_bytes()); // one write: lines stay together
    }
}

/// A process started in its own process group; the whole group is
/// SIGKILLed (and the leader reaped) on drop.
struct Group {
    guard: Guard,
}

impl Group {
    fn spawn(cmd: &mut Command) -> Group {
        cmd.process_group(0);
        Group {
            guard: Guard::spawn(cmd),
        }
    }
    fn pid(&self) -> i32 {
        self.guard.pid()
    }
    fn wait(&mut self, limit: Duration) -> ExitStatus {
        let pgid = self.pid();
        let start = Instant::now();
        loop {
            if let Some(status) = self.guard.child.try_wait().expect("try_wait") {
                return status;
            }
            if start.elapsed() > limit {
                kill(-pgid, libc::SIGKILL);
                panic!("watchdog: process group {pgid} still running after {limit:?}; killed");
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        kill(-self.pid(), libc::SIGKILL);
    }
}

/// Processes of process group `pgid` (from /proc).
fn group_members(pgid: i32) -> Vec<i32> {
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        let Some((_, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        let f: Vec<&str> = rest.split_whitespace().collect();
        if f.get(2).and_then(|s| s.parse::<i32>().ok()) == Some(pgid) {
            out.push(pid);
        }
    }
    out
}

fn threads(pid: i32) -> Vec<i32> {
    std::fs::read_dir(format!("/proc/{pid}/task"))
        .map(|d| {
            d.flatten()
                .filter_map(|e| e.file_name().to_str().and_then(|s| s.parse().ok()))
                .collect()
        })
        .unwrap_or_default()
}

fn tracer_of(tid: i32) -> Option<i32> {
    proc_status(tid, "TracerPid").and_then(|s| s.parse().ok())
}

/// Bounded polling (the condition is read from /proc or a file).
fn poll(what: &str, limit: Duration, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Reads a child's stdout in a thread: the `T TID EXPECT` lines.
struct TidLines {
    rx: std::sync::mpsc::Receiver<String>,
    all: Vec<String>,
}

impl TidLines {
    fn new(out: impl Read + Send + 'static) -> TidLines {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut r = std::io::BufReader::new(out);
            let mut line = String::new();
            while std::io::BufRead::read_line(&mut r, &mut line).unwrap_or(0) > 0 {
                if tx.send(line.trim_end().to_owned()).is_err() {
                    break;
                }
                line.clear();
            }
        });
        TidLines {
            rx,
            all: Vec::new(),
        }
    }
    /// Waits (bounded) until at least `n` lines came.
    fn at_least(&mut self, n: usize) {
        let deadline = Instant::now() + RUN_LIMIT;
        while self.all.len() < n {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(l) => self.all.push(l),
                Err(_) => panic!("only {} helper lines: {:?}", self.all.len(), self.all),
            }
        }
    }
    /// Everything until EOF (bounded).
    fn rest(&mut self) -> Vec<String> {
        let deadline = Instant::now() + RUN_LIMIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(l) => self.all.push(l),
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return self.all.clone(),
                Err(_) => panic!("helper output still open"),
            }
        }
    }
    /// tid -> expected final line kind.
    fn expected(&self) -> BTreeMap<i32, String> {
        let mut m = BTreeMap::new();
        for l in &self.all {
            let mut w = l.split_whitespace();
            match w.next() {
                Some("T") => {
                    let tid: i32 = w.next().unwrap().parse().unwrap();
                    let what: Vec<&str> = w.collect();
                    let prev = m.insert(tid, what.join(" "));
                    assert!(prev.is_none(), "helper reported tid {tid} twice");
                }
                Some("E") => panic!("helper failed: {l}"),
                _ => panic!("unexpected helper line {l:?}"),
            }
        }
        m
    }
}

/// What a `-f -o FILE` trace says, per thread.
#[derive(Default, Debug)]
struct Trace {
    lines: usize,
    syscalls: usize,
    unfinished: usize,
    resumed: usize,
    signals: usize,
    /// tid -> its `+++ ... +++` lines.
    finals: BTreeMap<i32, Vec<String>>,
    /// leader tid -> the thread whose execve superseded it.
    superseded: BTreeMap<i32, i32>,
    /// tid -> a syscall still `<unfinished ...>` when the trace ended.
    open: BTreeMap<i32, String>,
    errors: Vec<String>,
    longest: usize,
}

/// Parses a `-f -o FILE` trace (every line `TID  text`) and checks its
/// shape: a line is a complete call (`... = RET`), or `<unfinished ...>`
/// resumed later by `<... NAME resumed>` on the same thread (or ended by
/// the thread's death), and nothing follows a thread's `+++` line.
fn parse_trace(text: &str) -> Trace {
    let mut t = Trace::default();
    let mut pending: HashMap<i32, String> = HashMap::new();
    for (n, line) in text.lines().enumerate() {
        t.lines += 1;
        t.longest = t.longest.max(line.len());
        let mut err = |msg: &str| {
            if t.errors.len() < 20 {
                t.errors.push(format!("line {}: {msg}: {line:?}", n + 1));
            }
        };
        if line.starts_with("ptrail: ") {
            continue;
        }
        let Some((tid, rest)) = line.split_once(' ') else {
            err("no pid prefix");
            continue;
        };
        let Ok(tid) = tid.parse::<i32>() else {
            err("no pid prefix");
            continue;
        };
        let rest = rest.trim_start();
        if t.finals.get(&tid).is_some_and(|f| !f.is_empty()) {
            err("line after the thread's +++ line");
        }
        if let Some(by) = rest.strip_prefix("+++ superseded by execve in pid ") {
            // strace's line for a leader replaced by a thread's execve: the
            // leader's id lives on; the exec'ing thread's lines go on under it.
            let by = by.trim_end_matches(" +++").parse().unwrap_or(0);
            if t.superseded.insert(tid, by).is_some() {
                err("superseded twice");
            }
            pending.remove(&by);
            continue;
        }
        if rest.starts_with("+++ ") {
            t.finals.entry(tid).or_default().push(rest.to_owned());
            if let Some(p) = pending.remove(&tid) {
                t.open.insert(tid, p);
            }
            if !rest.ends_with(" +++") {
                err("truncated +++ line");
            }
            continue;
        }
        t.finals.entry(tid).or_default();
        if rest.starts_with("--- ") {
            t.signals += 1;
            if !rest.ends_with(" ---") {
                err("truncated signal line");
            }
            continue;
        }
        let unfinished = rest.ends_with(" <unfinished ...>");
        if let Some(r) = rest.strip_prefix("<... ") {
            t.resumed += 1;
            let name = r.split(" resumed>").next().unwrap_or("");
            match pending.remove(&tid) {
                Some(p) if p == name => {}
                // execve in another thread resumes under the leader's id
                None if name.starts_with("execve") => {}
                p => err(&format!("resumed {name} but pending {p:?}")),
            }
        } else {
            t.syscalls += 1;
            if pending.contains_key(&tid) {
                err("new call while another is unfinished");
            }
            if !rest.contains('(') {
                err("not a syscall line");
            }
        }
        if unfinished {
            t.unfinished += 1;
            let name = rest
                .strip_prefix("<... ")
                .map(|r| r.split(" resumed>").next().unwrap_or(""))
                .unwrap_or_else(|| rest.split('(').next().unwrap_or(""));
            pending.insert(tid, name.to_owned());
        } else if !rest.contains(" = ") {
            err("neither complete nor <unfinished ...>");
        }
    }
    for (tid, p) in pending {
        t.open.insert(tid, p);
    }
    t
}

/// Checks every helper-reported tid against the trace: exactly one `+++`
/// line of the expected kind. Returns (checked, problems).
fn check_expected(trace: &Trace, expected: &BTreeMap<i32, String>) -> (usize, Vec<String>) {
    let mut problems = Vec::new();
    for (tid, want) in expected {
        if want == "becomes-leader" {
            // its own id ends with the execve; the leader's line says so
            if !trace.superseded.values().any(|by| by == tid) {
                problems.push(format!(
                    "tid {tid}: no 'superseded by execve in pid {tid}' line"
                ));
            }
            if trace.finals.get(tid).is_some_and(|f| !f.is_empty()) {
                problems.push(format!("tid {tid}: +++ line after its execve"));
            }
            continue;
        }
        let finals = trace.finals.get(tid).cloned().unwrap_or_default();
        let ok_kind = |f: &str| match want.as_str() {
            "any" => f.starts_with("+++ exited with ") || f.starts_with("+++ killed by "),
            w if w.starts_with("exited ") => f == format!("+++ exited with {} +++", &w[7..]),
            w if w.starts_with("killed ") => f == format!("+++ killed by {} +++", &w[7..]),
            w => panic!("bad expectation {w}"),
        };
        if finals.len() != 1 || !ok_kind(&finals[0]) {
            problems.push(format!("tid {tid}: want {want}, got {finals:?}"));
        }
    }
    (expected.len(), problems)
}

/// Processes of group `pgid` still alive (not zombies), and those of them
/// in a tracing stop or traced.
fn leftovers(pgid: i32) -> (usize, usize) {
    let mut alive = 0;
    let mut stuck = 0;
    for pid in group_members(pgid) {
        if proc_state(pid).is_some_and(|s| s != 'Z' && s != 'X') {
            alive += 1;
            if threads(pid)
                .into_iter()
                .any(|t| proc_state(t) == Some('t') || tracer_of(t).unwrap_or(0) != 0)
            {
                stuck += 1;
            }
        }
    }
    (alive, stuck)
}

fn status_text(s: &ExitStatus) -> String {
    match (s.code(), s.signal()) {
        (Some(c), _) => format!("exit {c}"),
        (_, Some(sig)) => format!("killed by signal {sig}"),
        _ => format!("{s:?}"),
    }
}

/// Runs `ptrail -f -o FILE tp_stress_load ARGS` and checks the whole
/// trace against the helper's own list of tids.
fn load_scenario(name: &str, args: &[&str], want_status: Option<i32>) {
    let dir = TempDir::new(&format!("stress-{name}"));
    let out = dir.path().join("trace");
    let start = Instant::now();
    let mut g = Group::spawn(
        common::ptrail()
            .arg("-f")
            .arg("-o")
            .arg(&out)
            .arg(tp("tp_stress_load"))
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped()),
    );
    let mut lines = TidLines::new(g.guard.child.stdout.take().unwrap());
    let mut err = g.guard.child.stderr.take().unwrap();
    let errt = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let status = g.wait(RUN_LIMIT);
    let elapsed = start.elapsed();
    lines.rest();
    let stderr = errt.join().unwrap();
    let expected = lines.expected();
    let text = std::fs::read_to_string(&out).expect("trace file");
    let trace = parse_trace(&text);
    let (checked, problems) = check_expected(&trace, &expected);
    let extra: Vec<i32> = trace
        .finals
        .keys()
        .filter(|t| !expected.contains_key(t))
        .copied()
        .collect();
    let no_final: Vec<i32> = trace
        .finals
        .iter()
        .filter(|(t, f)| f.len() != 1 && expected.get(t).is_none_or(|w| w != "becomes-leader"))
        .map(|(t, _)| *t)
        .collect();
    let (alive, stuck) = leftovers(g.pid());
    let processes = expected.iter().filter(|(_, w)| !w.is_empty()).count();
    report(
        name,
        &[
            format!(
                "ptrail -f -o FILE tp_stress_load {}: {} in {:.1}s",
                args.join(" "),
                status_text(&status),
                elapsed.as_secs_f64()
            ),
            format!(
                "threads/processes reported by the helper: {processes}; with exactly one right +++ line: {}; problems: {}",
                checked - problems.len(),
                problems.len()
            ),
            format!(
                "trace: {} lines, {} calls, {} <unfinished ...>, {} resumed, {} signals, {} tids, calls left unfinished at death: {}, shape errors: {}",
                trace.lines,
                trace.syscalls,
                trace.unfinished,
                trace.resumed,
                trace.signals,
                trace.finals.len(),
                trace.open.len(),
                trace.errors.len()
            ),
            format!("tids in trace the helper did not report: {}; tids without exactly one +++ line: {}; leaders superseded by a thread's execve: {}", extra.len(), no_final.len(), trace.superseded.len()),
            format!("left after ptrail exited: {alive} processes alive, {stuck} traced or in tracing stop"),
        ],
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(trace.errors.is_empty(), "{:#?}", trace.errors);
    assert!(
        extra.is_empty(),
        "tids not reported by the helper: {extra:?}"
    );
    assert!(
        no_final.is_empty(),
        "tids without one +++ line: {no_final:?}"
    );
    assert_eq!((alive, stuck), (0, 0));
    if let Some(code) = want_status {
        assert_eq!(
            status.code(),
            Some(code),
            "ptrail's status; stderr: {stderr}"
        );
    }
    // open calls at death are only those a thread died in
    for (tid, call) in &trace.open {
        assert!(
            matches!(
                call.as_str(),
                "exit"
                    | "exit_group"
                    | "execve"
                    | "getppid"
                    | "futex"
                    | "wait4"
                    | "write"
                    | "read"
                    | "nanosleep"
                    | "clone"
                    | "clone3"
            ),
            "tid {tid} left {call} unfinished"
        );
    }
}

// ------------------------------------------------------------------- load

#[test]
fn load_fork_storm_1111_processes_3_levels() {
    load_scenario("fork storm", &["forkstorm", "3", "10"], None);
}

#[test]
fn load_200_threads_start_and_end() {
    load_scenario("200 threads", &["threads", "200", "50"], Some(0));
}

#[test]
fn load_vfork_chain() {
    load_scenario("vfork chain", &["vfork", "40"], Some(10 + 40));
}

#[test]
fn load_clone3_odd_flags() {
    load_scenario("clone3 odd flags", &["clone3"], Some(0));
}

#[test]
fn load_exec_from_non_leader_thread_while_threads_run() {
    load_scenario("exec in thread", &["execthread", "8"], Some(5));
}

#[test]
fn load_zombie_leader_with_live_threads() {
    load_scenario("zombie leader", &["zombie", "8"], Some(9));
}

// ----------------------------------------------------------------- faults

/// A spinning multi-threaded process (not traced), in its own group.
fn spinner(threads: usize) -> Group {
    let mut g = Group::spawn(
        Command::new(tp("tp_stress_load"))
            .args(["spin", &threads.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null()),
    );
    let pid = g.pid();
    poll("spinner threads", RUN_LIMIT, || {
        threads_of_len(pid) == threads + 1
    });
    let _ = &mut g;
    g
}

fn threads_of_len(pid: i32) -> usize {
    threads(pid).len()
}

/// Every thread of `pid`: (untraced, state letter).
fn thread_states(pid: i32) -> Vec<(i32, Option<i32>, Option<char>)> {
    threads(pid)
        .into_iter()
        .map(|t| (t, tracer_of(t), proc_state(t)))
        .collect()
}

#[test]
fn fault_tracees_sigkilled_at_random_moments() {
    let mut rng = Rng::from_env();
    let seed = rng.0;
    let dir = TempDir::new("stress-kill");
    let out = dir.path().join("trace");
    let start = Instant::now();
    let mut g = Group::spawn(
        common::ptrail()
            .args(["-f", "-o"])
            .arg(&out)
            .arg(tp("tp_stress_load"))
            .args(["busy", "8"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null()),
    );
    let ptrail_pid = g.pid();
    let mut lines = TidLines::new(g.guard.child.stdout.take().unwrap());
    // busy: 1 + 8 processes, 2 of them with 4 more threads
    lines.at_least(1 + 8 + 8);
    let top = ptrail_pid_child(ptrail_pid);
    let mut victims: Vec<i32> = common::children(top);
    assert_eq!(victims.len(), 8, "busy's children: {victims:?}");
    let (mut plain, mut mid_stop, mut grandchildren) = (0, 0, 0);
    let mut killed = Vec::new();
    let mut stop_timeouts = Vec::new();
    let mut max_stop_wait = Duration::ZERO;
    while !victims.is_empty() {
        let i = rng.below(victims.len() as u64) as usize;
        let v = victims.swap_remove(i);
        // random moment: spin a random number of microseconds first
        let until = Instant::now() + Duration::from_micros(rng.below(20_000));
        while Instant::now() < until {
            std::hint::spin_loop();
        }
        // sometimes also a grandchild of the fork loop, mid-fork/exit
        for gc in common::children(v) {
            if rng.below(2) == 0 {
                kill(gc, libc::SIGKILL);
                grandchildren += 1;
            }
        }
        if rng.below(3) == 0 {
            // mid-stop: SIGSTOP, wait until every thread is in its stop
            kill(v, libc::SIGSTOP);
            let t0 = Instant::now();
            let deadline = t0 + Duration::from_secs(10);
            let all_stopped = || {
                let states: Vec<_> = threads(v).iter().map(|&t| proc_state(t)).collect();
                states.iter().all(|s| *s == Some('t'))
            };
            while !all_stopped() {
                if Instant::now() > deadline {
                    let states: Vec<_> = threads(v)
                        .iter()
                        .map(|&t| (t, proc_state(t), tracer_of(t)))
                        .collect();
                    stop_timeouts.push(format!(
                        "{v}: {states:?} {:?}",
                        std::fs::read_to_string(format!("/proc/{v}/cmdline")).unwrap_or_default()
                    ));
                    break;
                }
                std::thread::sleep(Duration::from_millis(1));
            }
            max_stop_wait = max_stop_wait.max(t0.elapsed());
            mid_stop += 1;
        } else {
            plain += 1;
        }
        kill(v, libc::SIGKILL);
        killed.push(v);
    }
    let status = g.wait(RUN_LIMIT);
    let elapsed = start.elapsed();
    lines.rest();
    let expected = lines.expected();
    let trace = parse_trace(&std::fs::read_to_string(&out).unwrap());
    let (checked, problems) = check_expected(&trace, &expected);
    let mut wrong_kill = Vec::new();
    for v in &killed {
        let f = trace.finals.get(v).cloned().unwrap_or_default();
        if f != ["+++ killed by SIGKILL +++"] {
            wrong_kill.push(format!("{v}: {f:?}"));
        }
    }
    let multi: Vec<_> = trace.finals.iter().filter(|(_, f)| f.len() > 1).collect();
    let (alive, stuck) = leftovers(ptrail_pid);
    report(
        "random SIGKILL",
        &[
            format!("seed {seed} (STRESS_SEED=... to repeat); ptrail -f -o FILE tp_stress_load busy 8: {} in {:.1}s", status_text(&status), elapsed.as_secs_f64()),
            format!("killed {} processes ({plain} running, {mid_stop} in a SIGSTOP stop; exec loops among them) and {grandchildren} fork-loop children", killed.len()),
            format!("SIGSTOP seen as a tracing stop of every thread within {:.3}s at most; not within 10s: {}", max_stop_wait.as_secs_f64(), stop_timeouts.len()),
            format!("helper tids: {checked}, with exactly one +++ line: {}; killed processes reported 'killed by SIGKILL': {}/{}", checked - problems.len(), killed.len() - wrong_kill.len(), killed.len()),
            format!("trace: {} lines, {} tids, {} calls left unfinished at death, shape errors {}, tids with several +++ lines {}", trace.lines, trace.finals.len(), trace.open.len(), trace.errors.len(), multi.len()),
            format!("left after ptrail exited: {alive} processes alive, {stuck} traced or in tracing stop"),
        ],
    );
    assert_eq!(
        status.code(),
        Some(0),
        "busy exits 0 once its children are gone"
    );
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(wrong_kill.is_empty(), "{wrong_kill:#?}");
    assert!(trace.errors.is_empty(), "{:#?}", trace.errors);
    assert!(multi.is_empty(), "{multi:?}");
    assert_eq!((alive, stuck), (0, 0));
}

/// The command ptrail started (its only child).
fn ptrail_pid_child(ptrail: i32) -> i32 {
    common::child_of(ptrail)
}

/// `ptrail -f -p A,B,C` during a burst gets `sig`; every -p process must be
/// detached exactly as it was: A (a busy tree) running, B (stopped before
/// the attach) and C (stopped while traced) stopped, none traced.
fn signal_during_burst(sig: i32, name: &str) {
    let dir = TempDir::new(&format!("stress-sig{sig}"));
    let out = dir.path().join("trace");
    let mut a = Group::spawn(
        Command::new(tp("tp_stress_load"))
            .args(["busy", "4"])
            .stdin(Stdio::null())
            .stdout(Stdio::null()),
    );
    let b = spinner(3);
    let c = spinner(3);
    poll("busy's children", RUN_LIMIT, || {
        common::children(a.pid()).len() == 4
    });
    kill(b.pid(), libc::SIGSTOP);
    poll("B stopped", RUN_LIMIT, || {
        threads(b.pid()).iter().all(|&t| proc_state(t) == Some('T'))
    });
    let pids = format!("{},{},{}", a.pid(), b.pid(), c.pid());
    let mut p = Group::spawn(
        common::ptrail()
            .args(["-f", "-o"])
            .arg(&out)
            .args(["-p", &pids])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped()),
    );
    let me = p.pid();
    for pid in [a.pid(), b.pid(), c.pid()] {
        poll("attached", RUN_LIMIT, || {
            threads(pid).iter().all(|&t| tracer_of(t) == Some(me))
        });
    }
    kill(c.pid(), libc::SIGSTOP);
    poll("C in its group-stop", RUN_LIMIT, || {
        threads(c.pid()).iter().all(|&t| proc_state(t) == Some('t'))
            && std::fs::read_to_string(&out)
                .unwrap_or_default()
                .lines()
                .filter(|l| l.contains("--- stopped by SIGSTOP ---"))
                .count()
                >= 4 + 4
    });
    // the burst: A's tree forks, execs and spins right now
    let before = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    kill(me, sig);
    let status = p.wait(RUN_LIMIT);
    let mut err = String::new();
    let _ = p
        .guard
        .child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err);
    let after = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    // A's whole tree (as it is now), B, C: every thread untraced
    let mut bad = Vec::new();
    let mut counted = (0, 0);
    let a_members = group_members(a.pid());
    for pid in &a_members {
        for (t, tracer, state) in thread_states(*pid) {
            counted.0 += 1;
            if tracer.unwrap_or(0) != 0 || matches!(state, Some('t') | Some('T')) {
                bad.push(format!(
                    "A tree {pid}/{t}: TracerPid {tracer:?} state {state:?}"
                ));
            }
        }
    }
    for (label, g) in [("B", &b), ("C", &c)] {
        for (t, tracer, state) in thread_states(g.pid()) {
            counted.1 += 1;
            if tracer.unwrap_or(0) != 0 || state != Some('T') {
                bad.push(format!(
                    "{label} {t}: TracerPid {tracer:?} state {state:?} (want T)"
                ));
            }
        }
    }
    // no continue lost either: SIGCONT makes B and C run again
    for g in [&b, &c] {
        kill(g.pid(), libc::SIGCONT);
    }
    let mut resumed = true;
    for g in [&b, &c] {
        let deadline = Instant::now() + Duration::from_secs(20);
        while threads(g.pid()).iter().any(|&t| proc_state(t) == Some('T')) {
            if Instant::now() > deadline {
                resumed = false;
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }
    report(
        name,
        &[
            format!("ptrail -f -p A,B,C got signal {sig} with {} bytes of trace written ({} at the end): {}", before, after, status_text(&status)),
            format!("A (busy tree, running): {} processes / {} threads checked; B and C (stopped): {} threads checked", a_members.len(), counted.0, counted.1),
            format!("threads left traced or in the wrong state: {}; B and C run again after SIGCONT: {resumed}", bad.len()),
        ],
    );
    assert!(!err.contains("panicked"), "{err}");
    assert!(bad.is_empty(), "{bad:#?}");
    assert!(resumed, "B or C still stopped after SIGCONT");
    assert_eq!(
        status.signal(),
        Some(sig),
        "ptrail dies of the signal; stderr {err}"
    );
    drop(a.guard.child.stdout.take());
    let _ = &mut a;
}

#[test]
fn fault_sigint_during_burst_detaches_p_tracees_in_their_state() {
    signal_during_burst(libc::SIGINT, "SIGINT during -p burst");
}

#[test]
fn fault_sigterm_during_burst_detaches_p_tracees_in_their_state() {
    signal_during_burst(libc::SIGTERM, "SIGTERM during -p burst");
}

#[test]
fn fault_sighup_during_burst_detaches_p_tracees_in_their_state() {
    signal_during_burst(libc::SIGHUP, "SIGHUP during -p burst");
}

#[test]
fn fault_ptrail_sigkilled_started_die_attached_run_on() {
    let dir = TempDir::new("stress-kill9");
    let out = dir.path().join("trace");
    let p_target = spinner(3);
    let mut p = Group::spawn(
        common::ptrail()
            .args(["-f", "-o"])
            .arg(&out)
            .args(["-p", &p_target.pid().to_string()])
            .arg(tp("tp_stress_load"))
            .args(["busy", "4"])
            // only EXITKILL may end the started tree
            .env("TP_NO_PDEATHSIG", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null()),
    );
    let me = p.pid();
    let mut lines = TidLines::new(p.guard.child.stdout.take().unwrap());
    lines.at_least(1 + 4 + 4);
    poll("-p target attached", RUN_LIMIT, || {
        threads(p_target.pid())
            .iter()
            .all(|&t| tracer_of(t) == Some(me))
    });
    let started: Vec<i32> = group_members(me).into_iter().filter(|&x| x != me).collect();
    kill(me, libc::SIGKILL);
    let status = p.wait(RUN_LIMIT);
    // the started tree dies (reaped by init, or a zombie until then)
    let mut survivors: Vec<i32>;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        survivors = group_members(me)
            .into_iter()
            .filter(|&x| proc_state(x).is_some_and(|s| s != 'Z' && s != 'X'))
            .collect();
        if survivors.is_empty() || Instant::now() > deadline {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let states = thread_states(p_target.pid());
    let bad: Vec<_> = states
        .iter()
        .filter(|(_, tr, st)| tr.unwrap_or(0) != 0 || !matches!(st, Some('R') | Some('S')))
        .collect();
    report(
        "ptrail SIGKILLed",
        &[
            format!(
                "ptrail -f -p P tp_stress_load busy 4, SIGKILLed: {}",
                status_text(&status)
            ),
            format!(
                "started processes at the kill: {}; still alive after it: {}",
                started.len(),
                survivors.len()
            ),
            format!(
                "-p process: {} threads, traced or stopped after the kill: {}",
                states.len(),
                bad.len()
            ),
        ],
    );
    assert!(
        survivors.is_empty(),
        "started processes survived ptrail: {survivors:?}"
    );
    assert!(bad.is_empty(), "{bad:?}");
    assert!(!started.is_empty());
}

/// Output that cannot be written: /dev/full as -o, or stderr to a pipe
/// that closes. ptrail must say so, release every tracee and end.
fn output_failure(name: &str, dev_full: bool) {
    let p_target = spinner(2);
    let mut cmd = common::ptrail();
    cmd.arg("-f");
    if dev_full {
        cmd.args(["-o", "/dev/full"]);
    }
    cmd.args(["-p", &p_target.pid().to_string()])
        .arg(tp("tp_stress_load"))
        .args(["busy", "2"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let mut p = Group::spawn(&mut cmd);
    let me = p.pid();
    let mut err = p.guard.child.stderr.take().unwrap();
    // The started tree inherits stderr and may outlive ptrail: read in a
    // thread, never wait for EOF.
    let shared = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    if !dev_full {
        // read a little of the trace, then close the pipe
        let mut buf = [0u8; 4096];
        let n = err.read(&mut buf).unwrap_or(0);
        assert!(n > 0, "no trace on stderr");
        drop(err);
    } else {
        let sink = shared.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
    }
    let status = p.wait(RUN_LIMIT);
    let elapsed = start.elapsed();
    if dev_full {
        poll("ptrail's error line", Duration::from_secs(20), || {
            shared.lock().unwrap().ends_with('\n')
        });
    }
    let text = shared.lock().unwrap().clone();
    let (alive, stuck) = leftovers(me);
    let states = thread_states(p_target.pid());
    let bad: Vec<_> = states
        .iter()
        .filter(|(_, tr, st)| tr.unwrap_or(0) != 0 || !matches!(st, Some('R') | Some('S')))
        .collect();
    report(
        name,
        &[
            format!("ptrail ended: {} after {:.1}s; stderr: {:?}", status_text(&status), elapsed.as_secs_f64(), text.trim()),
            format!("started tree: {alive} processes alive after ptrail, {stuck} of them traced or in tracing stop"),
            format!("-p process: {} threads, traced or stopped: {}", states.len(), bad.len()),
        ],
    );
    assert!(!text.contains("panicked"), "{text}");
    if dev_full {
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 1, "one error line: {text}");
        assert!(
            lines[0].starts_with("ptrail: ") && lines[0].contains("No space left on device"),
            "{text}"
        );
    }
    assert_eq!(stuck, 0, "started processes left traced");
    assert!(bad.is_empty(), "{bad:?}");
}

#[test]
fn fault_output_on_dev_full() {
    output_failure("-o /dev/full", true);
}

#[test]
fn fault_trace_pipe_closed() {
    output_failure("stderr pipe closed", false);
}

// ------------------------------------------------------- hostile tracees

/// (name, return value) of each call between the helper's markers.
fn hostile_calls(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        // the markers: write(-1, "HOSTILE-BEGIN"/"HOSTILE-END") (hex with -xx)
        if line.starts_with("write(-1, ") {
            if inside {
                break;
            }
            inside = true;
            continue;
        }
        if inside && !line.starts_with("---") {
            let name = line.split('(').next().unwrap_or("").to_owned();
            let ret = line
                .rsplit_once(" = ")
                .map(|(_, r)| r.to_owned())
                .unwrap_or_default();
            out.push((name, ret));
        }
    }
    out
}

fn hostile_run(opts: &[&str]) -> (String, Duration, ExitStatus, String) {
    let dir = TempDir::new("stress-hostile");
    let out = dir.path().join("trace");
    let start = Instant::now();
    let mut g = Group::spawn(
        common::ptrail()
            .args(opts)
            .arg("-o")
            .arg(&out)
            .arg(tp("tp_stress_hostile"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped()),
    );
    let mut err = g.guard.child.stderr.take().unwrap();
    let errt = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let status = g.wait(Duration::from_secs(60));
    let elapsed = start.elapsed();
    let text = std::fs::read_to_string(&out).unwrap_or_default();
    (text, elapsed, status, errt.join().unwrap())
}

#[test]
fn hostile_tracee_memory_bad_pointers_huge_lengths() {
    let mut lines = Vec::new();
    let mut reference = None;
    if std::path::Path::new("/usr/bin/strace").exists() {
        let dir = TempDir::new("stress-hostile-strace");
        let out = dir.path().join("trace");
        let o = common::run(
            Command::new("/usr/bin/strace")
                .arg("-o")
                .arg(&out)
                .arg(tp("tp_stress_hostile")),
        );
        assert!(o.status.success());
        reference = Some(hostile_calls(&std::fs::read_to_string(&out).unwrap()));
    }
    for opts in [
        &[][..],
        &["-v", "-xx", "-s", "1073741823"][..],
        &["-s", "0"][..],
    ] {
        let (text, elapsed, status, err) = hostile_run(opts);
        let calls = hostile_calls(&text);
        let longest = text.lines().map(str::len).max().unwrap_or(0);
        let bad_addr = text.matches("0xdead0000").count();
        let incomplete: Vec<&str> = text
            .lines()
            .filter(|l| !l.starts_with("+++") && !l.starts_with("---") && !l.contains(" = "))
            .collect();
        let mut mismatches = Vec::new();
        if let Some(r) = &reference {
            if r.len() != calls.len() {
                mismatches.push(format!("{} calls vs strace's {}", calls.len(), r.len()));
            }
            for (a, b) in calls.iter().zip(r) {
                if a != b {
                    mismatches.push(format!("ptrail {a:?} strace {b:?}"));
                }
            }
        }
        lines.push(format!(
            "ptrail {} -o FILE tp_stress_hostile: {} in {:.2}s; {} hostile calls, 0xdead0000 shown {} times, longest line {} bytes, incomplete lines {}, (name, return) differing from strace: {}",
            opts.join(" "),
            status_text(&status),
            elapsed.as_secs_f64(),
            calls.len(),
            bad_addr,
            longest,
            incomplete.len(),
            if reference.is_some() { mismatches.len().to_string() } else { "strace missing".into() }
        ));
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(status.code(), Some(0), "{err}");
        assert!(calls.len() >= 60, "only {} calls", calls.len());
        assert!(bad_addr >= 10, "bad pointers not shown as addresses");
        assert!(incomplete.is_empty(), "{incomplete:#?}");
        assert!(
            elapsed < Duration::from_secs(20),
            "reads not bounded: {elapsed:?}"
        );
        // -s bounds strings; nothing else may grow a line without limit
        assert!(longest < 1 << 20, "line of {longest} bytes");
        assert!(mismatches.is_empty(), "{mismatches:#?}");
    }
    report("hostile memory", &lines);
}

// --------------------------------------------------------------- security

#[test]
fn security_u_user_drops_privileges_like_strace() {
    let probe = "grep -E '^(Uid|Gid|Groups|CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs):' /proc/self/status; id -u; id -g";
    let dir = TempDir::new("stress-user");
    let run = |tool: &str| -> (String, String) {
        let out = dir
            .path()
            .join(format!("trace-{}", tool.rsplit('/').next().unwrap()));
        let o = common::run(
            Command::new(tool)
                .args(["-f", "-u", "nobody", "-o"])
                .arg(&out)
                .args(["/bin/sh", "-c", probe]),
        );
        assert!(
            o.status.success(),
            "{tool}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        (
            String::from_utf8_lossy(&o.stdout).into_owned(),
            std::fs::read_to_string(&out).unwrap_or_default(),
        )
    };
    let (ours, trace) = run(env!("CARGO_BIN_EXE_ptrail"));
    let nobody = nix::unistd::User::from_name("nobody")
        .unwrap()
        .expect("user nobody");
    let uid = nobody.uid.as_raw();
    let field = |name: &str| {
        ours.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    let mut lines = vec![format!(
        "ptrail -u nobody /bin/sh -c ...: Uid {:?} Gid {:?} Groups {:?} CapEff {:?} CapPrm {:?}",
        field("Uid:"),
        field("Gid:"),
        field("Groups:"),
        field("CapEff:"),
        field("CapPrm:")
    )];
    assert_eq!(field("Uid:"), vec![uid.to_string(); 4], "{ours}");
    assert_eq!(
        field("Gid:"),
        vec![nobody.gid.as_raw().to_string(); 4],
        "{ours}"
    );
    assert_eq!(field("CapEff:"), vec!["0000000000000000"], "{ours}");
    assert_eq!(field("CapPrm:"), vec!["0000000000000000"], "{ours}");
    assert!(
        trace.contains("execve(\"/bin/sh\""),
        "the command is traced: {trace}"
    );
    if std::path::Path::new("/usr/bin/strace").exists() {
        let (theirs, _) = run("/usr/bin/strace");
        lines.push(format!(
            "same /proc/self/status lines and id output as strace -u nobody: {}",
            ours == theirs
        ));
        assert_eq!(ours, theirs, "ptrail vs strace");
    }
    report("-u USER", &lines);
}
