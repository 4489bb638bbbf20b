//! Tracing tracers: `ptrail -f` follows programs that use ptrace
//! themselves (strace, gdb, ptrail) by handing their tracees over to them
//! (README, "Tracing tracers"), and decodes the inner tracer's ptrace and
//! wait4 calls. Real binaries, bounded waits; everything a test starts is
//! killed when it ends. strace and gdb are skipped when missing, unless
//! `PTRAIL_REQUIRE_STRACE` is set (as in CI, which installs both).

mod common;

use common::*;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};

/// Whether `tool` can be run; if not, the test is skipped (or fails in CI).
fn have(tool: &str) -> bool {
    let found = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join(tool).is_file()))
        .unwrap_or(false);
    if !found {
        assert!(
            std::env::var_os("PTRAIL_REQUIRE_STRACE").is_none(),
            "{tool} is required"
        );
        eprintln!("skipped: {tool} is not installed");
    }
    found
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The inner tracer's ptrace calls must not have been refused.
fn assert_no_eperm(log: &str) {
    for line in log.lines() {
        assert!(
            !(line.contains("ptrace(PTRACE_") && line.contains("EPERM")),
            "inner ptrace call refused: {line}\n{log}"
        );
    }
}

#[test]
fn strace_f_under_ptrail_f() {
    if !have("strace") {
        return;
    }
    let dir = TempDir::new("tracers-strace");
    let log = dir.path().join("log");
    let out = run(ptrail().arg("-f").arg("-o").arg(&log).args([
        "strace",
        "-f",
        "-o",
        "/dev/null",
        "sh",
        "-c",
        "echo ok",
    ]));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "ok\n",
        "stderr: {err}"
    );
    assert_eq!(out.status.code(), Some(0), "stderr: {err}");
    let log = read(&log);
    assert_no_eperm(&log);
    for want in [
        // strace's startup probes and its own child, handed over to it
        "ptrace(PTRACE_TRACEME",
        "ptrace(PTRACE_SEIZE, ",
        "PTRACE_O_TRACESYSGOOD|PTRACE_O_TRACEFORK|PTRACE_O_TRACEVFORK|PTRACE_O_TRACECLONE|PTRACE_O_TRACEEXEC|PTRACE_O_TRACEEXIT",
        "handed over to tracer ",
        "ptrace(PTRACE_INTERRUPT, ",
        // what its wait4 calls return (whether strace's child is still in
        // its startup stop then, and so LISTENed, depends on timing)
        "}|PTRACE_EVENT_STOP<<16], __WALL, NULL) = ",
        "[{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP | 0x80}], __WALL, NULL) = ",
        "[{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP}|PTRACE_EVENT_EXEC<<16], __WALL, NULL) = ",
        "[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], __WALL, NULL) = ",
        // and what it asks about its tracees
        "ptrace(PTRACE_GET_SYSCALL_INFO, ",
        "{op=PTRACE_SYSCALL_INFO_ENTRY, arch=AUDIT_ARCH_X86_64, ",
        "entry={nr=__NR_execve, args=[",
        "exit={rval=0, is_error=0}}) = ",
        "ptrace(PTRACE_GETSIGINFO, ",
        "{si_signo=SIGCONT, si_code=SI_USER, ",
        "ptrace(PTRACE_GETEVENTMSG, ",
        "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_TRAPPED, ",
    ] {
        assert!(log.contains(want), "log lacks {want:?}:\n{log}");
    }
}

#[test]
fn ptrail_f_under_ptrail_f() {
    let dir = TempDir::new("tracers-ptrail");
    let outer = dir.path().join("outer.log");
    let inner = dir.path().join("inner.log");
    let out = run(ptrail()
        .arg("-f")
        .arg("-o")
        .arg(&outer)
        .arg(env!("CARGO_BIN_EXE_ptrail"))
        .arg("-f")
        .arg("-o")
        .arg(&inner)
        .arg("/bin/true"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr: {err}");
    let (outer, inner) = (read(&outer), read(&inner));
    let first = inner.lines().next().unwrap_or_default();
    assert!(
        first.contains(r#"execve("/bin/true", ["/bin/true"], "#) && first.ends_with(" = 0"),
        "inner log:\n{inner}"
    );
    assert!(
        inner.trim_end().ends_with("+++ exited with 0 +++"),
        "inner log:\n{inner}"
    );
    assert_no_eperm(&outer);
    assert!(outer.contains("ptrace(PTRACE_SEIZE, "), "{outer}");
    assert!(outer.contains("handed over to tracer "), "{outer}");
    assert!(
        outer.trim_end().ends_with("+++ exited with 0 +++"),
        "{outer}"
    );
}

#[test]
fn ptrail_under_strace_without_f() {
    if !have("strace") {
        return;
    }
    let dir = TempDir::new("tracers-under-strace");
    let outer = dir.path().join("outer.log");
    let inner = dir.path().join("inner.log");
    let out = run(Command::new("strace")
        .arg("-o")
        .arg(&outer)
        .arg(env!("CARGO_BIN_EXE_ptrail"))
        .arg("-f")
        .arg("-o")
        .arg(&inner)
        .args(["sh", "-c", "echo ok"]));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "ok\n",
        "stderr: {err}"
    );
    assert_eq!(out.status.code(), Some(0), "stderr: {err}");
    let (outer, inner) = (read(&outer), read(&inner));
    assert!(inner.contains("+++ exited with 0 +++"), "{inner}");
    assert!(
        outer.contains("ptrace(PTRACE_SEIZE, ") && outer.contains("ptrace(PTRACE_LISTEN, "),
        "{outer}"
    );
    assert_no_eperm(&outer);
}

#[test]
fn gdb_under_ptrail_f() {
    if !have("gdb") {
        return;
    }
    let dir = TempDir::new("tracers-gdb");
    let log = dir.path().join("log");
    let out = run(ptrail().arg("-f").arg("-o").arg(&log).args([
        "gdb",
        "-nx",
        "-batch",
        "-ex",
        "run",
        "--args",
        "/bin/true",
    ]));
    let text = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("exited normally"),
        "stdout: {text}\nstderr: {err}"
    );
    assert_eq!(out.status.code(), Some(0), "stderr: {err}");
    let log = read(&log);
    assert!(log.contains("ptrace(PTRACE_TRACEME"), "{log}");
    assert!(log.contains("handed over to tracer "), "{log}");
}

/// The seed's case: ptrail traces strace tracing `sleep`; SIGSTOP and
/// SIGCONT come from outside. strace keeps tracing (and reports the stop),
/// ptrail keeps tracing strace and shows how it sees the stop.
#[test]
fn job_control_of_a_tracee_of_a_traced_strace() {
    if !have("strace") {
        return;
    }
    let dir = TempDir::new("tracers-jobctl");
    let outer = dir.path().join("outer.log");
    let inner = dir.path().join("inner.log");
    let mut guard = Guard::spawn(
        ptrail()
            .arg("-f")
            .arg("-o")
            .arg(&outer)
            .args(["strace", "-o"])
            .arg(&inner)
            .args(["sleep", "1000"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null()),
    );
    let strace = child_of(guard.pid());
    let _strace_guard = PidGuard(strace);
    // Wait until sleep sleeps, traced by strace (not by ptrail). strace
    // forks short-lived probes first: the child that matters runs sleep.
    let mut sleep = 0;
    let mut _sleep_guard = None;
    wait_until("sleep asleep under strace", || {
        if sleep == 0 {
            sleep = children(strace)
                .into_iter()
                .find(|&c| {
                    std::fs::read_to_string(format!("/proc/{c}/comm"))
                        .is_ok_and(|comm| comm.trim() == "sleep")
                })
                .unwrap_or(0);
            if sleep != 0 {
                _sleep_guard = Some(PidGuard(sleep));
            }
        }
        sleep != 0
            && proc_status(sleep, "TracerPid").as_deref() == Some(&strace.to_string())
            && proc_state(sleep) == Some('S')
    });
    assert_eq!(
        proc_status(strace, "TracerPid").as_deref(),
        Some(guard.pid().to_string().as_str())
    );

    kill(sleep, libc::SIGSTOP);
    wait_until("strace reports the stop", || {
        std::fs::read_to_string(&inner).is_ok_and(|t| t.contains("--- stopped by SIGSTOP ---"))
    });
    assert_eq!(proc_state(sleep), Some('t'));
    kill(sleep, libc::SIGCONT);
    wait_until("sleep sleeps again", || {
        std::fs::read_to_string(&inner).is_ok_and(|t| t.contains("--- SIGCONT "))
            && proc_state(sleep) == Some('S')
    });
    kill(sleep, libc::SIGTERM);
    let status = guard.wait(LIMIT);
    // strace dies by the signal that killed sleep, and ptrail by strace's.
    assert_eq!(status.signal(), Some(libc::SIGTERM), "{status:?}");

    let inner = read(&inner);
    for want in [
        "--- SIGSTOP {si_signo=SIGSTOP, si_code=SI_USER, ",
        "--- stopped by SIGSTOP ---",
        "--- SIGCONT {si_signo=SIGCONT, si_code=SI_USER, ",
        "+++ killed by SIGTERM +++",
    ] {
        assert!(inner.contains(want), "inner log lacks {want:?}:\n{inner}");
    }
    let outer = read(&outer);
    assert_no_eperm(&outer);
    // strace's view of the stop, as ptrail decodes it: the signal, then
    // the group-stop it LISTENs at, then the end of the stop.
    let me = std::process::id();
    let tail = outer
        .split_once(&format!(
            "ptrace(PTRACE_GETSIGINFO, {sleep}, NULL, {{si_signo=SIGSTOP, si_code=SI_USER, si_pid={me}, "
        ))
        .unwrap_or_else(|| panic!("no GETSIGINFO of the SIGSTOP:\n{outer}"))
        .1;
    let stop = format!(
        "[{{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}}|PTRACE_EVENT_STOP<<16], __WALL, NULL) = {sleep}"
    );
    let listen = format!("ptrace(PTRACE_LISTEN, {sleep})");
    let cont = format!(
        "[{{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP}}|PTRACE_EVENT_STOP<<16], __WALL, NULL) = {sleep}"
    );
    let at = |what: &str, from: usize| -> usize {
        from + tail[from..]
            .find(what)
            .unwrap_or_else(|| panic!("no {what:?} after the SIGSTOP:\n{outer}"))
    };
    let a = at(&stop, 0);
    let b = at(&listen, a);
    at(&cont, b);
    assert!(
        outer.contains(&format!(
            "ptrail: Process {sleep} handed over to tracer {strace}"
        )),
        "{outer}"
    );
    assert!(
        outer.trim_end().ends_with("+++ killed by SIGTERM +++"),
        "{outer}"
    );
}

/// The command ptrail started is itself handed over (a process that has a
/// tracer attach to it, as crash handlers do with gdb -p): ptrail still
/// exits with its status.
#[test]
fn command_handed_over_keeps_its_exit_status() {
    if !have("strace") {
        return;
    }
    let dir = TempDir::new("tracers-command");
    let log = dir.path().join("log");
    // sh waits (builtins only) until strace is its tracer, then exits 3.
    let script = r#"traced() { while read -r k v; do [ "$k" = TracerPid: ] && [ "$v" = "$1" ] && return 0; done < /proc/$$/status; return 1; }
strace -o /dev/null -p $$ & s=$!
until traced $s; do :; done
exit 3"#;
    let out = run(ptrail()
        .arg("-f")
        .arg("-o")
        .arg(&log)
        .args(["sh", "-c", script]));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "stderr: {err}");
    let log = read(&log);
    assert_no_eperm(&log);
    assert!(log.contains("handed over to tracer "), "{log}");
}
