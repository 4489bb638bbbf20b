//! i386 compat: a static 32-bit helper (tests/m32/syscalls.c, built here
//! with `gcc -m32 -static` into the target directory) traced with `-f` by
//! strace and by ptrail. Its syscalls must carry their i386 names
//! (getuid32, _llseek, fcntl64, mmap2, sigreturn ...) and decode as
//! strace's do: the normalised traces are compared line by line (report in
//! `target/corpus-m32-report.txt`).
//!
//! Without a working `gcc -m32` the test is skipped with a message, except
//! in CI (`CI=true`), where it fails. Without strace it is skipped unless
//! `PTRAIL_REQUIRE_STRACE` is set.

mod common;
#[path = "common/normalise.rs"]
mod normalise;

use common::*;
use normalise::*;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const SOURCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/m32/syscalls.c");
/// Share of strace's lines ptrail must print identically.
const FLOOR: f64 = 0.97;

/// The i386 names the helper's calls must be printed with.
const I386_NAMES: &[&str] = &[
    "getuid32",
    "getgid32",
    "geteuid32",
    "_llseek",
    "fcntl64",
    "mmap2",
    "sigreturn",
    "waitpid",
    "clock_gettime64",
    "set_thread_area",
    "ugetrlimit",
];

/// Compiles the helper; `None` (with the reason) if gcc -m32 cannot.
fn build_helper() -> Result<PathBuf, String> {
    let out_dir = target_dir().join("m32");
    std::fs::create_dir_all(&out_dir).map_err(|e| e.to_string())?;
    let bin = out_dir.join("syscalls");
    let res = Command::new("gcc")
        .args(["-m32", "-static", "-O1", "-Wall", "-o"])
        .arg(&bin)
        .arg(SOURCE)
        .stdin(Stdio::null())
        .output();
    match res {
        Ok(o) if o.status.success() => Ok(bin),
        Ok(o) => Err(format!(
            "gcc -m32 -static failed (is gcc-multilib installed?): {}",
            String::from_utf8_lossy(&o.stderr)
        )),
        Err(e) => Err(format!("cannot run gcc: {e}")),
    }
}

fn trace(tracer: &Path, out: &Path, work: &Path, bin: &Path) -> (String, Option<i32>) {
    let _ = std::fs::remove_dir_all(work);
    std::fs::create_dir_all(work).expect("mkdir");
    trace_to_file(tracer, out, &[bin], |cmd| {
        cmd.current_dir(work)
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("LC_ALL", "C");
    })
}

/// The syscall name of a normalised line (`P1 name(...`), if it is one.
fn name_of(line: &str) -> Option<&str> {
    let body = line.split_once(' ')?.1;
    let end = body.find('(')?;
    let name = &body[..end];
    name.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        .then_some(name)
        .filter(|n| !n.is_empty())
}

fn helper_or_skip() -> Option<PathBuf> {
    match build_helper() {
        Ok(bin) => Some(bin),
        Err(why) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI: the i386 helper must build: {why}"
            );
            eprintln!("skipped: {why}");
            None
        }
    }
}

#[test]
fn i386_helper_traced_like_strace() {
    let Some(bin) = helper_or_skip() else { return };
    if !have_strace() {
        return;
    }
    let dir = TempDir::new("corpus-m32");
    let work = dir.path().join("work");
    let (s_text, s_code) = trace(Path::new(STRACE), &dir.path().join("s"), &work, &bin);
    let (p_text, p_code) = trace(
        Path::new(env!("CARGO_BIN_EXE_ptrail")),
        &dir.path().join("p"),
        &work,
        &bin,
    );
    let want = normalise(&s_text);
    let got = normalise(&p_text);
    let score = compare("m32", &want, &got, (s_code, p_code));
    let share = score.same as f64 / score.strace_lines.max(1) as f64;

    let mut report = String::new();
    let _ = writeln!(
        report,
        "i386 helper: strace {} lines, ptrail {} lines, identical {:.1}%, exit {:?}/{:?}",
        score.strace_lines,
        score.ptrail_lines,
        share * 100.0,
        s_code,
        p_code
    );
    for l in &score.missing {
        let _ = writeln!(report, "- {l}");
    }
    for l in &score.extra {
        let _ = writeln!(report, "+ {l}");
    }
    eprintln!("{report}");
    let _ = std::fs::write(target_dir().join("corpus-m32-report.txt"), &report);

    assert_eq!(s_code, Some(0), "strace run failed:\n{s_text}");
    assert_eq!(p_code, s_code, "exit status differs");
    // Same calls with the same names, in the same order per process.
    let names = |lines: &[String]| -> Vec<String> {
        let mut v: Vec<String> = lines
            .iter()
            .filter_map(|l| Some(format!("{} {}", l.split_once(' ')?.0, name_of(l)?)))
            .collect();
        v.sort_by(|a, b| a.split(' ').next().cmp(&b.split(' ').next()));
        v
    };
    assert_eq!(names(&got), names(&want), "syscall names differ\n{report}");
    for n in I386_NAMES {
        let call = format!(" {n}(");
        assert!(
            want.iter().any(|l| l.contains(&call)),
            "strace shows no {n}: the helper changed?"
        );
        assert!(
            got.iter().any(|l| l.contains(&call)),
            "ptrail shows no {n}\n{report}"
        );
    }
    assert!(
        share >= FLOOR,
        "identical share {:.1}% < {:.0}%\n{report}",
        share * 100.0,
        FLOOR * 100.0
    );
}

/// strace 6.1 says `[ Process PID=N runs in 32 bit mode. ]` (after the
/// execve line, with the line prefix) when a tracee switches to i386,
/// unless quiet: `-q`, or `-o FILE` with a command (implied -q, which an
/// explicit `-e quiet=` replaces), or `-e quiet=personality`.
#[test]
fn personality_switch_message_like_strace() {
    let Some(bin) = helper_or_skip() else { return };
    let dir = TempDir::new("corpus-m32-pers");
    let work = dir.path().join("work");
    std::fs::create_dir_all(&work).expect("mkdir");
    let mut cmd = ptrail();
    cmd.arg(&bin).current_dir(&work);
    let out = run(&mut cmd);
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err.lines().collect();
    assert!(lines[0].starts_with("execve("), "{err}");
    let note = |l: &str| l.starts_with("[ Process PID=") && l.ends_with(" runs in 32 bit mode. ]");
    assert!(note(lines[1]), "{err}");
    // With -o FILE: hidden (implied -q), shown again by -e quiet=none,
    // hidden by -e quiet=personality.
    for (expr, shown) in [
        (None, false),
        (Some("quiet=none"), true),
        (Some("quiet=personality"), false),
    ] {
        let log = dir.path().join("log");
        let mut cmd = ptrail();
        cmd.arg("-o").arg(&log);
        if let Some(e) = expr {
            cmd.args(["-e", e]);
        }
        cmd.arg(&bin).current_dir(&work);
        let out = run(&mut cmd);
        assert!(out.status.success(), "{expr:?}");
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        assert_eq!(text.lines().any(note), shown, "{expr:?}:\n{text}");
    }
}
