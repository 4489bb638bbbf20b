//! Self-checking helpers: one C program per syscall family
//! (tests/selfcheck/*.c, built here with gcc into the target directory)
//! makes exact raw syscalls, also with bad pointers, odd flags, long and
//! non-printable strings, and records for each the exact line strace
//! prints for it. The test traces the helper with ptrail and compares the
//! lines between the helper's two marker calls with the helper's list.
//!
//! Second oracle: when strace is installed, the helper is traced by strace
//! too and strace's lines must equal the helper's expectations as well, so
//! the expectations are strace's format and not ptrail's.
//!
//! Without gcc the tests are skipped with a message, except in CI
//! (`CI=true`), where they fail. Without strace the second oracle is
//! skipped unless `PTRAIL_REQUIRE_STRACE` is set.

mod common;

use common::*;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/selfcheck");
const BEGIN: &str = "\"ptrail-selfcheck-begin\"";
const END: &str = "\"ptrail-selfcheck-end\"";

/// Compiles tests/selfcheck/FAMILY.c; `Err` (with the reason) without gcc.
fn build(family: &str) -> Result<PathBuf, String> {
    let out_dir = target_dir().join("selfcheck");
    std::fs::create_dir_all(&out_dir).map_err(|e| e.to_string())?;
    let bin = out_dir.join(family);
    let res = Command::new("gcc")
        .args(["-O1", "-Wall", "-o"])
        .arg(&bin)
        .arg(Path::new(DIR).join(format!("{family}.c")))
        .stdin(Stdio::null())
        .output();
    match res {
        Ok(o) if o.status.success() => Ok(bin),
        Ok(o) => panic!(
            "gcc failed on {family}.c:\n{}",
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(e) => Err(format!("cannot run gcc: {e}")),
    }
}

/// The line with the alignment padding before ` = ` squeezed to one space.
fn squeeze(body: &str) -> String {
    match body.rfind(" = ") {
        Some(at) => format!("{} = {}", body[..at].trim_end(), &body[at + 3..]),
        None => body.to_owned(),
    }
}

/// Splits strace's `-o FILE` pid prefix (`1234  rest`).
fn split_pid(line: &str) -> (&str, &str) {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && line[digits..].starts_with(' ') {
        (&line[..digits], line[digits..].trim_start_matches(' '))
    } else {
        ("", line)
    }
}

/// The lines strictly between the markers, as `(pid, line)` with split
/// `<unfinished ...>` / `<... resumed>` pairs joined per pid and the
/// padding squeezed.
fn checked_part(trace: &str) -> Result<Vec<(String, String)>, String> {
    let lines: Vec<&str> = trace.lines().collect();
    let begin = lines
        .iter()
        .position(|l| l.contains(BEGIN))
        .ok_or("no begin marker")?;
    let end = lines
        .iter()
        .rposition(|l| l.contains(END))
        .ok_or("no end marker")?;
    if end <= begin {
        return Err("markers out of order".into());
    }
    let mut out: Vec<(String, String)> = Vec::new();
    let mut open: HashMap<String, usize> = HashMap::new();
    for raw in &lines[begin + 1..end] {
        let (pid, rest) = split_pid(raw);
        if let Some(head) = rest.strip_suffix(" <unfinished ...>") {
            open.insert(pid.to_owned(), out.len());
            out.push((pid.to_owned(), head.to_owned()));
            continue;
        }
        if rest.starts_with("<... ") {
            if let (Some(idx), Some(at)) = (open.remove(pid), rest.find(" resumed>")) {
                out[idx].1.push_str(&rest[at + " resumed>".len()..]);
                continue;
            }
        }
        out.push((pid.to_owned(), rest.to_owned()));
    }
    Ok(out
        .into_iter()
        .map(|(pid, body)| (pid, squeeze(&body)))
        .collect())
}

/// Runs the helper under `tracer`; returns (trace, expectations).
fn trace(tracer: &Path, family: &str, bin: &Path, follow: bool) -> (String, String) {
    let dir = TempDir::new(&format!("selfcheck-{family}-{}", tracer_name(tracer)));
    let work = dir.path().join("work");
    std::fs::create_dir_all(&work).expect("mkdir");
    let out = dir.path().join("trace.txt");
    let expected = dir.path().join("expected.txt");
    let mut cmd = Command::new(tracer);
    if follow {
        cmd.arg("-f");
    }
    cmd.arg("-o")
        .arg(&out)
        .arg(bin)
        .arg(&expected)
        .current_dir(&work)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("LC_ALL", "C")
        .env("TZ", "UTC");
    let res = run(&mut cmd);
    let text = std::fs::read_to_string(&out).unwrap_or_default();
    assert!(
        res.status.success(),
        "{} {family}: exit {:?}\nstderr: {}\ntrace:\n{text}",
        tracer.display(),
        res.status,
        String::from_utf8_lossy(&res.stderr)
    );
    let want = std::fs::read_to_string(&expected).expect("the helper wrote no expectations");
    (text, want)
}

fn tracer_name(tracer: &Path) -> String {
    tracer
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Compares per pid (the order between processes is the scheduler's);
/// `Err` with a readable diff.
fn compare(who: &str, trace: &str, expected: &str) -> Result<usize, String> {
    let got = checked_part(trace).map_err(|e| format!("{who}: {e}\n{trace}"))?;
    let want: Vec<(String, String)> = expected
        .lines()
        .map(|l| {
            let (pid, rest) = split_pid(l);
            (pid.to_owned(), squeeze(rest))
        })
        .collect();
    if want.is_empty() {
        return Err(format!("{who}: the helper expected no lines"));
    }
    let mut pids: Vec<&str> = want.iter().map(|(p, _)| p.as_str()).collect();
    pids.extend(got.iter().map(|(p, _)| p.as_str()));
    pids.sort();
    pids.dedup();
    let mut report = String::new();
    for pid in pids {
        let w: Vec<&str> = want
            .iter()
            .filter(|(p, _)| p == pid)
            .map(|(_, l)| l.as_str())
            .collect();
        let g: Vec<&str> = got
            .iter()
            .filter(|(p, _)| p == pid)
            .map(|(_, l)| l.as_str())
            .collect();
        let tag = if pid.is_empty() {
            String::new()
        } else {
            format!("pid {pid} ")
        };
        for i in 0..w.len().max(g.len()) {
            let (a, b) = (w.get(i), g.get(i));
            if a != b {
                let _ = writeln!(
                    report,
                    "{tag}line {}:\n  expected: {}\n  {who:>8}: {}",
                    i + 1,
                    a.unwrap_or(&"(none)"),
                    b.unwrap_or(&"(none)")
                );
            }
        }
    }
    if report.is_empty() {
        Ok(want.len())
    } else {
        Err(format!("{who} differs from the helper's lines:\n{report}"))
    }
}

fn selfcheck(family: &str, follow: bool) {
    let bin = match build(family) {
        Ok(bin) => bin,
        Err(why) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI: the self-checking helpers must build: {why}"
            );
            eprintln!("skipped: {why}");
            return;
        }
    };
    let ptrail = PathBuf::from(env!("CARGO_BIN_EXE_ptrail"));
    let (text, want) = trace(&ptrail, family, &bin, follow);
    let ptrail_result = compare("ptrail", &text, &want);

    let strace_result = if Path::new(STRACE).exists() {
        let (text, want) = trace(Path::new(STRACE), family, &bin, follow);
        Some(compare("strace", &text, &want))
    } else {
        assert!(
            std::env::var_os("PTRAIL_REQUIRE_STRACE").is_none(),
            "{STRACE} is required"
        );
        eprintln!(
            "{family}: strace is not installed, the helper's lines are not checked against it"
        );
        None
    };
    let mut failures = String::new();
    if let Some(Err(e)) = &strace_result {
        failures.push_str(e);
    }
    match ptrail_result {
        Ok(n) => eprintln!("{family}: {n} lines checked"),
        Err(e) => failures.push_str(&e),
    }
    assert!(failures.is_empty(), "{family}:\n{failures}");
}

#[test]
fn selfcheck_fs() {
    selfcheck("fs", false);
}

#[test]
fn selfcheck_io() {
    selfcheck("io", false);
}

#[test]
fn selfcheck_mem() {
    selfcheck("mem", false);
}

#[test]
fn selfcheck_signal() {
    selfcheck("signal", false);
}

#[test]
fn selfcheck_time() {
    selfcheck("time", false);
}

#[test]
fn selfcheck_poll() {
    selfcheck("poll", false);
}

#[test]
fn selfcheck_futex() {
    selfcheck("futex", false);
}

#[test]
fn selfcheck_misc() {
    selfcheck("misc", false);
}

#[test]
fn selfcheck_net() {
    selfcheck("net", false);
}

#[test]
fn selfcheck_process() {
    selfcheck("process", true);
}
