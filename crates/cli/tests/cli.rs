//! Black-box tests of the `ptrail` binary: options, errors, exit status,
//! output files, attaching and detaching, job control.
//!
//! Expectations that depend on how far syscall decoding has come (names,
//! errno names) are computed with `ptrail-decode` itself, so these tests
//! check the CLI's behaviour and line structure, not the decoder's tables.

mod common;

use common::*;
use ptrail_decode::{signal_name, syscall_name, syscall_number, text, Abi, RetValue};
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};

fn stderr_text(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn sc(nr: u64) -> String {
    syscall_name(Abi::X86_64, nr).into_owned()
}

/// A pid that no process has right now.
fn free_pid() -> i32 {
    let max: i32 = std::fs::read_to_string("/proc/sys/kernel/pid_max")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(32768);
    (1000..max)
        .rev()
        .find(|p| !std::path::Path::new(&format!("/proc/{p}")).exists())
        .expect("a free pid")
}

#[test]
fn help_lists_options_and_version_prints() {
    for flag in ["-h", "--help"] {
        let out = run(ptrail().arg(flag));
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout);
        for opt in [
            "-f,", "-p,", "-o,", "-e,", "-q,", "-s,", "-v,", "-x ", "-a,", "-I,", "-D,", "-u,",
            "-E,", "-h,", "-V,",
        ] {
            assert!(text.contains(opt), "help lacks {opt}:\n{text}");
        }
    }
    for flag in ["-V", "--version"] {
        let out = run(ptrail().arg(flag));
        assert!(out.status.success());
        assert!(String::from_utf8_lossy(&out.stdout).starts_with("ptrail -- version "));
    }
}

#[test]
fn usage_errors_are_one_line_and_exit_1() {
    let cases: Vec<(Vec<String>, String)> = vec![
        (
            vec!["-j".into(), "true".into()],
            "ptrail: invalid option -- 'j'".into(),
        ),
        (
            vec!["-k".into(), "true".into()],
            "ptrail: -k: not supported yet".into(),
        ),
        (
            vec!["--bogus".into()],
            "ptrail: unrecognized option '--bogus'".into(),
        ),
        (
            vec!["-p".into(), "x".into()],
            "ptrail: Invalid process id: 'x'".into(),
        ),
        (
            vec!["-p".into(), "0".into()],
            "ptrail: Invalid process id: '0'".into(),
        ),
        (
            vec!["-p".into(), "12,3x".into()],
            "ptrail: Invalid process id: '3x'".into(),
        ),
        (vec![], "ptrail: must have PROG [ARGS] or -p PID".into()),
        (
            vec!["-f".into()],
            "ptrail: must have PROG [ARGS] or -p PID".into(),
        ),
        (
            vec!["nosuch-program-ptrail".into()],
            "ptrail: Can't stat 'nosuch-program-ptrail': No such file or directory".into(),
        ),
        (
            vec!["./nosuch/prog".into()],
            "ptrail: Can't stat './nosuch/prog': No such file or directory".into(),
        ),
        (
            vec!["-s".into(), "x".into(), "true".into()],
            "ptrail: invalid -s argument: 'x'".into(),
        ),
        (
            vec!["-a".into(), "-1".into(), "true".into()],
            "ptrail: invalid -a argument: '-1'".into(),
        ),
        (
            vec!["-I".into(), "9".into(), "true".into()],
            "ptrail: invalid -I argument: '9'".into(),
        ),
        (
            vec!["-o".into()],
            "ptrail: option requires an argument".into(),
        ),
        (
            vec!["-e".into(), "signal=SIGFOO".into(), "true".into()],
            "ptrail: invalid signal 'SIGFOO'".into(),
        ),
        (
            vec!["-e".into(), "trace=%foo".into(), "true".into()],
            "ptrail: invalid system call '%foo'".into(),
        ),
        (
            vec!["-u".into(), "nosuchuser-ptrail".into(), "true".into()],
            "ptrail: Cannot find user 'nosuchuser-ptrail'".into(),
        ),
        (
            vec!["-o".into(), "/nonexistent-dir/x".into(), "true".into()],
            "ptrail: Can't fopen '/nonexistent-dir/x': No such file or directory".into(),
        ),
    ];
    for (args, want) in cases {
        let out = run(ptrail().args(&args));
        assert_usage_error(&out, &want);
    }
}

#[test]
fn attach_errors() {
    let pid = free_pid();
    let out = run(ptrail().arg("-p").arg(pid.to_string()));
    assert_usage_error(
        &out,
        &format!("ptrail: attach: ptrace(PTRACE_SEIZE, {pid}): No such process"),
    );

    // Kernel threads cannot be traced, not even by root.
    if std::fs::read_to_string("/proc/2/comm").is_ok_and(|c| c.trim() == "kthreadd") {
        let out = run(ptrail().args(["-p", "2"]));
        assert_usage_error(
            &out,
            "ptrail: attach: ptrace(PTRACE_SEIZE, 2): Operation not permitted",
        );
    }
}

#[test]
fn exit_status_is_the_commands() {
    let out = run(ptrail().args(["-q", "sh", "-c", "exit 7"]));
    assert_eq!(out.status.code(), Some(7), "{}", stderr_text(&out));
    assert!(stderr_text(&out).ends_with("+++ exited with 7 +++\n"));

    let out = run(ptrail().args(["sh", "-c", "kill -TERM $$"]));
    assert_eq!(out.status.signal(), Some(libc::SIGTERM), "{:?}", out.status);
    let want = format!("+++ killed by {} +++\n", signal_name(libc::SIGTERM));
    assert!(stderr_text(&out).ends_with(&want), "{}", stderr_text(&out));

    let out = run(ptrail().args(["sh", "-c", "kill -SEGV $$"]));
    assert_eq!(out.status.signal(), Some(libc::SIGSEGV), "{:?}", out.status);
    assert!(
        !out.status.core_dumped(),
        "ptrail itself must not dump core"
    );
    assert!(stderr_text(&out).contains(&format!("+++ killed by {}", signal_name(libc::SIGSEGV))));
}

#[test]
fn output_file_single_process() {
    let dir = TempDir::new("out-single");
    let file = dir.path().join("trace");
    let out = run(ptrail().arg("-o").arg(&file).args(["sh", "-c", "exit 0"]));
    assert!(out.status.success());
    assert_eq!(stderr_text(&out), "", "the trace goes to the file");
    let text = std::fs::read_to_string(&file).unwrap();
    let first = text.lines().next().unwrap();
    assert!(
        first.starts_with(&format!("{}(", sc(59))),
        "no prefix without -f: {first}"
    );
    assert_eq!(text.lines().last(), Some("+++ exited with 0 +++"));
    // -A appends instead of truncating.
    let out = run(ptrail()
        .arg("-A")
        .arg("-o")
        .arg(&file)
        .args(["sh", "-c", "exit 0"]));
    assert!(out.status.success());
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        text.lines()
            .filter(|l| *l == "+++ exited with 0 +++")
            .count(),
        2
    );
}

fn pid_prefix(line: &str) -> Option<i32> {
    let (pid, rest) = line.split_once(' ')?;
    if pid.len() < 5 && !rest.starts_with(&" ".repeat(5 - pid.len())) {
        return None;
    }
    pid.parse().ok()
}

#[test]
fn follow_with_output_file_prefixes_pids() {
    let dir = TempDir::new("out-follow");
    let file = dir.path().join("trace");
    // Bundled: -f -o FILE; with -o and a command, notes are off (implied -q).
    let out = run(ptrail()
        .arg("-fo")
        .arg(&file)
        .args(["sh", "-c", "/bin/true; /bin/true"]));
    assert!(out.status.success(), "{}", stderr_text(&out));
    assert_eq!(stderr_text(&out), "");
    let text = std::fs::read_to_string(&file).unwrap();
    let mut pids = std::collections::BTreeSet::new();
    for line in text.lines() {
        let pid = pid_prefix(line).unwrap_or_else(|| panic!("no `PID  ` prefix: {line:?}"));
        pids.insert(pid);
    }
    assert!(pids.len() >= 3, "sh and two children: {pids:?}");
    for pid in &pids {
        let exit = format!("{pid:<5} +++ exited with 0 +++");
        assert!(text.lines().any(|l| l == exit), "missing {exit:?}");
    }
}

#[test]
fn ff_writes_one_file_per_process() {
    let dir = TempDir::new("out-ff");
    let base = dir.path().join("trace");
    let out =
        run(ptrail()
            .args(["-ff", "-o"])
            .arg(&base)
            .args(["sh", "-c", "/bin/true; /bin/true"]));
    assert!(out.status.success(), "{}", stderr_text(&out));
    let mut files: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    assert!(files.len() >= 3, "{files:?}");
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let pid = name.strip_prefix("trace.").expect("FILE.PID");
        assert!(pid.parse::<i32>().is_ok(), "{name}");
        let text = std::fs::read_to_string(f).unwrap();
        assert_eq!(
            text.lines().last(),
            Some("+++ exited with 0 +++"),
            "{name}:\n{text}"
        );
        assert!(!text.contains("[pid"), "{name}");
        assert!(
            text.lines().all(|l| pid_prefix(l).is_none()),
            "no prefixes in -ff files: {name}"
        );
    }
}

#[test]
fn stderr_output_marks_other_processes_and_splits_lines() {
    let out = run(ptrail().args(["-f", "sh", "-c", "/bin/true; /bin/true"]));
    assert!(out.status.success());
    let text = stderr_text(&out);
    // As in strace, notes may land in the middle of an unfinished line.
    let attached: Vec<&str> = text
        .lines()
        .filter_map(|l| l.find("ptrail: Process ").map(|at| &l[at..]))
        .collect();
    assert!(attached.iter().any(|l| l.ends_with(" attached")), "{text}");
    let child: i32 = attached[0]["ptrail: Process ".len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let tag = format!("[pid {child:>5}] ");
    assert!(
        text.lines().any(|l| l.starts_with(&tag)),
        "want {tag:?} lines:\n{text}"
    );
    assert!(
        text.contains(&format!("{tag}+++ exited with 0 +++")),
        "{text}"
    );
    // Every `<... X resumed>` follows an earlier `X(... <unfinished ...>`.
    let lines: Vec<&str> = text.lines().collect();
    for (i, l) in lines.iter().enumerate() {
        if let Some(pos) = l.find("<... ") {
            let name = l[pos + 5..].split(' ').next().unwrap();
            // The entry's line ends with ` <unfinished ...>`, or a note cut
            // it and the marker starts the next line.
            let opened = (0..i).any(|k| {
                lines[k].contains(&format!("{name}("))
                    && (lines[k].ends_with(" <unfinished ...>")
                        || lines.get(k + 1) == Some(&" <unfinished ...>"))
            });
            assert!(opened, "resumed without unfinished: {l}\n{text}");
        }
    }
    // -q: no notes.
    let out = run(ptrail().args(["-q", "-f", "sh", "-c", "/bin/true; /bin/true"]));
    assert!(
        !stderr_text(&out).contains("ptrail: Process"),
        "{}",
        stderr_text(&out)
    );
    // -qq: no exit lines either.
    let out = run(ptrail().args(["-qq", "-f", "sh", "-c", "/bin/true; /bin/true"]));
    assert!(
        !stderr_text(&out).contains("+++ exited"),
        "{}",
        stderr_text(&out)
    );
}

#[test]
fn return_values_align_at_the_column() {
    for (args, column) in [
        (vec![], 40usize),
        (vec!["-a", "60"], 60),
        (vec!["-a60"], 60),
    ] {
        let out = run(ptrail().args(&args).args(["sh", "-c", "exit 0"]));
        let text = stderr_text(&out);
        let mut checked = 0;
        for line in text
            .lines()
            .filter(|l| !l.starts_with("---") && !l.starts_with("+++"))
        {
            let Some(at) = line.rfind(") = ").map(|i| i + 1) else {
                continue;
            };
            if at < column - 1 {
                panic!("` = ` before column {column}: {line:?}");
            } else if at > column - 1 {
                assert!(
                    !line[..at].ends_with(' '),
                    "padded past the column: {line:?}"
                );
            }
            checked += 1;
        }
        assert!(checked > 5, "{text}");
    }
}

#[test]
fn environment_user_and_accepted_options() {
    let out = run(ptrail().args([
        "-q",
        "-E",
        "PTRAIL_T=yes",
        "-E",
        "HOME",
        "sh",
        "-c",
        "echo \"$PTRAIL_T-${HOME-unset}\"",
    ]));
    assert!(out.status.success(), "{}", stderr_text(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "yes-unset\n");

    if nix::unistd::User::from_name("nobody")
        .ok()
        .flatten()
        .is_some()
    {
        let out = run(ptrail().args(["-u", "nobody", "id", "-u"]));
        assert!(out.status.success(), "{}", stderr_text(&out));
        let uid = nix::unistd::User::from_name("nobody")
            .unwrap()
            .unwrap()
            .uid
            .as_raw();
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), uid.to_string());
    }

    for args in [
        vec!["-s64", "-xx", "-v", "true"],
        vec!["-s", "0", "-x", "true"],
        vec!["-I", "1", "true"],
        vec!["-I4", "true"],
        vec!["-D", "-q", "true"],
        vec!["-e", "trace=all", "true"],
        vec!["--", "true"],
    ] {
        let out = run(ptrail().args(&args));
        assert!(out.status.success(), "{args:?}: {}", stderr_text(&out));
    }
}

#[test]
fn trace_filter_by_name() {
    let out = run(ptrail().args(["-e", "trace=write", "sh", "-c", "echo hi"]));
    if syscall_number(Abi::X86_64, "write").is_none() {
        // The decoder has no name table yet: names are refused.
        assert_usage_error(&out, "ptrail: invalid system call 'write'");
        return;
    }
    assert!(out.status.success(), "{}", stderr_text(&out));
    let text = stderr_text(&out);
    for line in text.lines() {
        assert!(
            line.starts_with("write(") || line.starts_with("+++"),
            "{line}\n{text}"
        );
    }
    assert!(text.starts_with("write(1, "), "{text}");
    let out = run(ptrail().args(["-e", "trace=nosuchcall", "true"]));
    assert_usage_error(&out, "ptrail: invalid system call 'nosuchcall'");
}

/// `sleep` under `ptrail -p`, then Ctrl-C on ptrail: it detaches, says so
/// and dies of SIGINT like strace; the sleep goes on sleeping, untraced.
#[test]
fn attach_then_sigint_detaches_and_leaves_tracee_running() {
    let sleeper = Guard::spawn(Command::new("sleep").arg("100"));
    let pid = sleeper.pid();
    wait_until("sleep to sleep", || proc_state(pid) == Some('S'));
    let mut tracer = Guard::spawn(
        ptrail()
            .arg("-p")
            .arg(pid.to_string())
            .stderr(Stdio::piped()),
    );
    let mut err = Lines::new(tracer.child.stderr.take().unwrap());
    err.wait_for("attached", |l| {
        l == format!("ptrail: Process {pid} attached")
    });
    wait_until("TracerPid set", || {
        proc_status(pid, "TracerPid").is_some_and(|t| t != "0")
    });
    kill(tracer.pid(), libc::SIGINT);
    let status = tracer.wait(LIMIT);
    assert_eq!(status.signal(), Some(libc::SIGINT), "{status:?}");
    let lines = err.rest();
    assert!(
        // As in strace, the note may land in the middle of an unfinished line.
        lines
            .iter()
            .any(|l| l.ends_with(&format!("ptrail: Process {pid} detached"))),
        "{lines:?}"
    );
    assert_eq!(proc_status(pid, "TracerPid").as_deref(), Some("0"));
    wait_until("sleep back to sleeping", || proc_state(pid) == Some('S'));
}

/// Several pids in one -p list, and -o FILE prefixing lines with pids.
#[test]
fn attach_pid_list() {
    let a = Guard::spawn(Command::new("sleep").arg("100"));
    let b = Guard::spawn(Command::new("sleep").arg("100"));
    let dir = TempDir::new("pid-list");
    let file = dir.path().join("trace");
    let list = format!("{},{}", a.pid(), b.pid());
    let mut tracer = Guard::spawn(
        ptrail()
            .arg("-p")
            .arg(&list)
            .arg("-o")
            .arg(&file)
            .stderr(Stdio::piped()),
    );
    let mut err = Lines::new(tracer.child.stderr.take().unwrap());
    for _ in 0..2 {
        err.wait_for("attached", |l| {
            l.starts_with("ptrail: Process ") && l.ends_with(" attached")
        });
    }
    for pid in [a.pid(), b.pid()] {
        let note = format!("ptrail: Process {pid} attached");
        assert!(err.seen.contains(&note), "{:?}", err.seen);
    }
    kill(tracer.pid(), libc::SIGTERM);
    assert_eq!(tracer.wait(LIMIT).signal(), Some(libc::SIGTERM));
    let lines = err.rest();
    for pid in [a.pid(), b.pid()] {
        assert!(
            lines
                .iter()
                .any(|l| l.ends_with(&format!("ptrail: Process {pid} detached"))),
            "{lines:?}"
        );
        assert_eq!(proc_status(pid, "TracerPid").as_deref(), Some("0"));
        assert_ne!(proc_state(pid), Some('t'));
    }
    let text = std::fs::read_to_string(&file).unwrap();
    for line in text.lines() {
        let p = pid_prefix(line).unwrap_or_else(|| panic!("no pid prefix: {line:?}"));
        assert!(p == a.pid() || p == b.pid(), "{line}");
    }
}

/// Ctrl-C while ptrail runs a command: the command gets the signal too and
/// ptrail leaves with the command's status.
#[test]
fn sigint_on_started_command_ends_both() {
    let mut tracer = Guard::spawn(ptrail().args(["sleep", "100"]).stderr(Stdio::piped()));
    let mut err = Lines::new(tracer.child.stderr.take().unwrap());
    let child = child_of(tracer.pid());
    let _child_guard = PidGuard(child);
    err.wait_for("execve", |l| l.starts_with(&format!("{}(", sc(59))));
    wait_until("sleep blocked", || proc_state(child) == Some('S'));
    kill(tracer.pid(), libc::SIGINT);
    let status = tracer.wait(LIMIT);
    assert_eq!(
        status.signal(),
        Some(libc::SIGINT),
        "{status:?} {:?}",
        err.seen
    );
    assert!(
        !std::path::Path::new(&format!("/proc/{child}")).exists(),
        "child reaped"
    );
}

/// The job-control sequence of a sleep stopped and continued by a third
/// party, in order: the interrupted sleep returns ERESTART_RESTARTBLOCK,
/// SIGSTOP is delivered, the stop is reported, then its end, then SIGCONT,
/// and the sleep resumes with restart_syscall.
#[test]
fn stop_and_continue_are_reported_in_order() {
    let mut tracer = Guard::spawn(ptrail().args(["sleep", "2"]).stderr(Stdio::piped()));
    let mut err = Lines::new(tracer.child.stderr.take().unwrap());
    let child = child_of(tracer.pid());
    let _child_guard = PidGuard(child);
    let sleeps = [35i64, 230];
    wait_until("sleep in nanosleep", || {
        proc_state(child) == Some('S') && proc_syscall(child).is_some_and(|n| sleeps.contains(&n))
    });
    let nanosleep = sc(proc_syscall(child).unwrap() as u64);
    kill(child, libc::SIGSTOP);
    let stopped = format!("--- stopped by {} ---", signal_name(libc::SIGSTOP));
    err.wait_for("stopped", |l| l == stopped);
    wait_until("tracee held", || proc_state(child) == Some('t'));
    kill(child, libc::SIGCONT);
    let status = tracer.wait(LIMIT);
    assert!(status.success(), "{status:?}");
    let lines = err.rest();

    let restart = text::ret_to_string(&RetValue::from_raw(-516));
    let interrupted = format!(" = {restart}");
    let sig_stop = format!("--- {} ", signal_name(libc::SIGSTOP));
    let sig_cont = format!("--- {} ", signal_name(libc::SIGCONT));
    let restart_call = format!("{}(", sc(219));
    type Check<'a> = Box<dyn Fn(&str) -> bool + 'a>;
    let expect: Vec<(&str, Check)> = vec![
        (
            "interrupted sleep",
            Box::new(|l: &str| {
                l.starts_with(&format!("{nanosleep}(")) && l.ends_with(&interrupted)
            }),
        ),
        (
            "SIGSTOP delivery",
            Box::new(|l: &str| l.starts_with(&sig_stop)),
        ),
        ("stopped", Box::new(|l: &str| l == stopped)),
        ("continued", Box::new(|l: &str| l == "--- continued ---")),
        (
            "SIGCONT delivery",
            Box::new(|l: &str| l.starts_with(&sig_cont)),
        ),
        (
            "restart_syscall",
            Box::new(|l: &str| l.starts_with(&restart_call)),
        ),
        ("exit", Box::new(|l: &str| l == "+++ exited with 0 +++")),
    ];
    let mut at = 0;
    for (what, check) in &expect {
        let Some(i) = lines[at..].iter().position(|l| check(l)) else {
            panic!("missing {what} after line {at}:\n{}", lines.join("\n"));
        };
        at += i + 1;
    }
}

/// A thread other than the leader calls execve: the leader's line says it
/// was superseded and the execve returns under the process id, as in strace.
#[test]
fn execve_in_a_thread_supersedes_the_leader() {
    if !std::path::Path::new("/usr/bin/python3").exists() {
        eprintln!("skipped: no python3");
        return;
    }
    let dir = TempDir::new("thread-exec");
    let file = dir.path().join("trace");
    let script = "import os, threading, time\n\
                  threading.Thread(target=os.execv, args=('/bin/true', ['true'])).start()\n\
                  time.sleep(20)\n";
    let out = run(ptrail()
        .arg("-f")
        .arg("-o")
        .arg(&file)
        .args(["/usr/bin/python3", "-c", script]));
    assert!(out.status.success(), "{}", stderr_text(&out));
    let text = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("+++ superseded by execve in pid "))
        .unwrap_or_else(|| panic!("no superseded line:\n{text}"));
    let leader = pid_prefix(lines[at]).unwrap();
    let thread: i32 = lines[at]
        .rsplit("in pid ")
        .next()
        .unwrap()
        .trim_end_matches(" +++")
        .parse()
        .unwrap();
    assert_ne!(leader, thread);
    let execve = sc(59);
    let called = format!("{execve}(");
    assert!(
        lines[..at]
            .iter()
            .any(|l| pid_prefix(l) == Some(thread) && l.contains(&called)),
        "{text}"
    );
    let resumed = format!("<... {execve} resumed>)");
    assert!(
        lines[at + 1].starts_with(&format!("{leader:<5} {resumed}"))
            && lines[at + 1].ends_with(" = 0"),
        "{}",
        lines[at + 1]
    );
    assert_eq!(
        lines.last().copied(),
        Some(format!("{leader:<5} +++ exited with 0 +++").as_str())
    );
}

/// `-o FILE COMMAND` implies strace's `-I3`: ptrail's fatal signals are
/// blocked, so a SIGTERM to ptrail does not end tracing; the command's own
/// fate decides.
#[test]
fn output_file_with_command_blocks_fatal_signals() {
    let dir = TempDir::new("interruptible");
    let file = dir.path().join("trace");
    let mut tracer = Guard::spawn(ptrail().arg("-o").arg(&file).args(["sleep", "100"]));
    let child = child_of(tracer.pid());
    let _child_guard = PidGuard(child);
    wait_until("sleep blocked", || {
        proc_state(child) == Some('S') && proc_syscall(child).is_some_and(|n| n == 35 || n == 230)
    });
    kill(tracer.pid(), libc::SIGTERM);
    // Still tracing: a stop of the tracee is reported (the file is flushed at stops).
    kill(child, libc::SIGSTOP);
    let stopped = format!("--- stopped by {} ---", signal_name(libc::SIGSTOP));
    wait_until("the stop in the trace", || {
        std::fs::read_to_string(&file).is_ok_and(|t| t.lines().any(|l| l == stopped))
    });
    kill(child, libc::SIGKILL);
    let status = tracer.wait(LIMIT);
    assert_eq!(status.signal(), Some(libc::SIGKILL), "{status:?}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        text.lines().last(),
        Some(format!("+++ killed by {} +++", signal_name(libc::SIGKILL)).as_str())
    );
}

/// `-f -p` on a multi-threaded process: one note for the process, as
/// strace prints it, and every thread detached on Ctrl-C.
#[test]
fn attach_threads_of_a_process() {
    if !std::path::Path::new("/usr/bin/python3").exists() {
        eprintln!("skipped: no python3");
        return;
    }
    let script = "import threading, time\n\
                  threading.Thread(target=time.sleep, args=(100,)).start()\n\
                  time.sleep(100)\n";
    let py = Guard::spawn(Command::new("/usr/bin/python3").args(["-c", script]));
    let pid = py.pid();
    let tasks = || std::fs::read_dir(format!("/proc/{pid}/task")).map_or(0, |d| d.count());
    wait_until("two threads", || tasks() == 2);
    let mut tracer = Guard::spawn(
        ptrail()
            .arg("-f")
            .arg("-p")
            .arg(pid.to_string())
            .stderr(Stdio::piped()),
    );
    let mut err = Lines::new(tracer.child.stderr.take().unwrap());
    err.wait_for("attached", |l| {
        l.ends_with(&format!("ptrail: Process {pid} attached with 2 threads"))
    });
    kill(tracer.pid(), libc::SIGINT);
    assert_eq!(tracer.wait(LIMIT).signal(), Some(libc::SIGINT));
    let lines = err.rest();
    let detached = lines
        .iter()
        .filter(|l| l.contains("ptrail: Process ") && l.ends_with(" detached"))
        .count();
    assert_eq!(detached, 2, "{lines:?}");
    assert!(!lines.iter().any(|l| l.ends_with(" attached")), "{lines:?}");
    assert_eq!(proc_status(pid, "TracerPid").as_deref(), Some("0"));
}

/// Ctrl-Z and `fg` under an interactive shell (bash on a pseudo-terminal
/// made by `script`): ptrail stops with its job while its tracee stays
/// held, and both go on after `fg`.
#[test]
fn ctrl_z_and_fg_under_an_interactive_shell() {
    use std::io::Write;
    if !std::path::Path::new("/usr/bin/script").exists()
        || !std::path::Path::new("/bin/bash").exists()
    {
        eprintln!("skipped: needs script(1) and bash");
        return;
    }
    let dir = TempDir::new("ctrl-z");
    let file = dir.path().join("trace");
    let mut shell = Guard::spawn(
        Command::new("/usr/bin/script")
            .args(["-qfec", "/bin/bash --norc --noprofile -i", "/dev/null"])
            .env("TERM", "dumb")
            .env("PS1", "$ ")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped()),
    );
    let mut input = shell.child.stdin.take().unwrap();
    let mut output = Lines::new(shell.child.stdout.take().unwrap());
    let mut say = |text: &str| {
        input.write_all(text.as_bytes()).unwrap();
        input.flush().unwrap();
    };
    say(&format!(
        "{} -o {} sleep 3\n",
        env!("CARGO_BIN_EXE_ptrail"),
        file.display()
    ));

    // Find ptrail (by its unique output file) and its tracee.
    let needle = file.to_string_lossy().into_owned();
    let mut tracer = 0;
    wait_until("ptrail to start", || {
        tracer = std::fs::read_dir("/proc")
            .unwrap()
            .flatten()
            .filter_map(|e| e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()))
            .find(|pid| {
                std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|c| {
                    let c = String::from_utf8_lossy(&c);
                    c.starts_with(env!("CARGO_BIN_EXE_ptrail")) && c.contains(&needle)
                })
            })
            .unwrap_or(0);
        tracer != 0
    });
    let _tracer_guard = PidGuard(tracer);
    let child = child_of(tracer);
    let _child_guard = PidGuard(child);
    wait_until("sleep in nanosleep", || {
        proc_state(child) == Some('S') && proc_syscall(child).is_some_and(|n| n == 35 || n == 230)
    });

    say("\x1a");
    wait_until("ptrail stopped with its job", || {
        proc_state(tracer) == Some('T')
    });
    wait_until("the tracee held", || proc_state(child) == Some('t'));
    output.wait_for("the shell's report", |l| l.contains("Stopped"));

    say("fg\n");
    wait_until("ptrail to finish", || {
        !matches!(proc_state(tracer), Some('S' | 'R' | 'T' | 't'))
    });
    say("echo RC=$?\n");
    output.wait_for("the exit status", |l| {
        l.contains("RC=") && !l.contains("RC=$?")
    });
    let status_line = output.seen.last().unwrap().clone();
    say("exit\n");
    assert!(
        status_line.contains("RC=0"),
        "{status_line:?}\n{:?}",
        output.seen
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text.lines().last(), Some("+++ exited with 0 +++"), "{text}");
    let _ = shell.wait(LIMIT);
}

/// `--seccomp-bpf` with `-f -e trace=NAMES`: the command runs under a
/// seccomp filter (inherited by its children) and only those syscalls show.
#[test]
fn seccomp_bpf_filters_in_the_kernel() {
    let out = run(ptrail().args([
        "-f",
        "--seccomp-bpf",
        "-e",
        "trace=write",
        "sh",
        "-c",
        "echo hi; grep Seccomp: /proc/self/status",
    ]));
    assert!(out.status.success(), "{}", stderr_text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Seccomp:\t2"),
        "the child runs filtered: {stdout}"
    );
    let text = stderr_text(&out);
    for line in text.lines() {
        let body = line.split_once("] ").map_or(line, |(_, b)| b);
        assert!(
            body.starts_with("write(")
                || body.starts_with("+++ ")
                || body.starts_with("--- SIGCHLD")
                || line.starts_with("ptrail: Process "),
            "{line}\n{text}"
        );
    }
    assert_eq!(text.matches("write(1, ").count(), 2, "{text}");

    // Without -f it is refused with a note and tracing goes on normally.
    let out = run(ptrail().args(["--seccomp-bpf", "-e", "trace=write", "echo", "hi"]));
    assert!(out.status.success());
    let text = stderr_text(&out);
    assert!(
        text.starts_with(
            "ptrail: --seccomp-bpf cannot be used without -f/--follow-forks, disabling\n"
        ),
        "{text}"
    );
    assert!(text.contains("write(1, \"hi\\n\", 3)"), "{text}");
}

/// `-b execve`: children are let go when they execve; the command's own
/// first execve does not count.
#[test]
fn detach_on_execve() {
    let out = run(ptrail().args([
        "-f",
        "-b",
        "execve",
        "sh",
        "-c",
        "/bin/true; /bin/true; exit 4",
    ]));
    assert_eq!(out.status.code(), Some(4), "{}", stderr_text(&out));
    let text = stderr_text(&out);
    let detached: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("ptrail: Process ") && l.ends_with(" detached"))
        .collect();
    assert_eq!(detached.len(), 2, "{text}");
    assert_eq!(
        text.matches("+++ exited with").count(),
        1,
        "only sh exits traced:\n{text}"
    );
    assert!(text.ends_with("+++ exited with 4 +++\n"), "{text}");
}
