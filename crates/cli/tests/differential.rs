//! Differential test: real commands traced by `/usr/bin/strace -f` and by
//! `ptrail -f`, both writing to a file (`-o`), compared line by line.
//!
//! Before comparing, both traces are normalised: pids become `P1`, `P2`...
//! (numbered in creation order), long hex addresses become `0xADDR`,
//! timestamps and CPU times become `N`, random bytes are hidden, split
//! `<unfinished ...>` / `<... resumed>` pairs are joined back (their split
//! depends on scheduling, not on the tracer) and the padding before ` = ` is
//! squeezed. The score of a command is the share of strace's lines that
//! ptrail printed identically (as a multiset, so the interleaving of
//! processes does not matter).
//!
//! The table goes to stderr and to `target/differential-report.txt`, with
//! a few differing lines per command. The test asserts a floor that the
//! decoder reaches today; raise `FLOOR` as decoding improves.
//!
//! Without strace installed the test is skipped, unless
//! `PTRAIL_REQUIRE_STRACE` is set (as in CI).

mod common;
#[path = "common/normalise.rs"]
mod normalise;

use common::*;
use normalise::*;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Share of strace's lines (all commands together) that ptrail must match.
const FLOOR: f64 = 0.98;

struct Case {
    name: &'static str,
    argv: Vec<String>,
}

fn cases(data: &Path) -> Vec<Case> {
    let file = data.join("lines.txt").to_string_lossy().into_owned();
    let mut v = vec![
        Case {
            name: "true",
            argv: vec!["true".into()],
        },
        Case {
            name: "echo",
            argv: vec!["echo".into(), "hello".into(), "world".into()],
        },
        Case {
            name: "ls",
            argv: vec!["ls".into(), "/".into()],
        },
        Case {
            name: "cat",
            argv: vec!["cat".into(), file.clone()],
        },
        Case {
            name: "head",
            argv: vec!["head".into(), "-n".into(), "2".into(), file.clone()],
        },
        Case {
            name: "wc",
            argv: vec!["wc".into(), "-l".into(), file.clone()],
        },
        Case {
            name: "date",
            argv: vec!["date".into(), "-u".into(), "-d".into(), "@0".into()],
        },
        Case {
            name: "env",
            argv: vec!["env".into()],
        },
        Case {
            name: "sh pipeline",
            argv: vec!["sh".into(), "-c".into(), format!("cat {file} | wc -l")],
        },
        Case {
            name: "sh sequence",
            argv: vec![
                "sh".into(),
                "-c".into(),
                "ls / > /dev/null; echo done".into(),
            ],
        },
        Case {
            name: "sh exit 3",
            argv: vec!["sh".into(), "-c".into(), "exit 3".into()],
        },
        Case {
            name: "ls missing",
            argv: vec!["ls".into(), "/nonexistent-ptrail".into()],
        },
        // Options that change decoding or layout (given to both tracers).
        Case {
            name: "cat -s 8",
            argv: vec!["-s".into(), "8".into(), "cat".into(), file.clone()],
        },
        Case {
            name: "echo -x",
            argv: vec!["-x".into(), "echo".into(), "h\u{e9}llo".into()],
        },
        Case {
            name: "echo -xx",
            argv: vec!["-xx".into(), "echo".into(), "hello".into()],
        },
        Case {
            name: "ls -l -v",
            argv: vec!["-v".into(), "ls".into(), "-l".into(), "/".into()],
        },
        Case {
            name: "wc -a 20",
            argv: vec![
                "-a".into(),
                "20".into(),
                "wc".into(),
                "-l".into(),
                file.clone(),
            ],
        },
    ];
    if Path::new("/usr/bin/python3").exists() {
        v.push(Case {
            name: "python3",
            argv: vec!["python3".into(), "-c".into(), "print(6 * 7)".into()],
        });
    }
    v
}

/// Runs `tracer -f -o OUT argv...` (argv may start with more tracer
/// options) and returns the trace and exit code.
fn trace(tracer: &Path, out: &Path, argv: &[String]) -> (String, Option<i32>) {
    trace_to_file(tracer, out, argv, |cmd| {
        cmd.env("LC_ALL", "C");
    })
}

fn report_path() -> PathBuf {
    target_dir().join("differential-report.txt")
}

#[test]
fn normalisation() {
    let text = "100   execve(\"/bin/sh\", [\"sh\"], 0x7ffc5d2c5748 /* 35 vars */) = 0\n\
                100   wait4(-1,  <unfinished ...>\n\
                101   exit_group(0)                     = ?\n\
                100   <... wait4 resumed>NULL, 0, NULL) = 101\n\
                100   --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=101, si_uid=0, si_status=0, si_utime=3, si_stime=1 /* 0.01 s */} ---\n";
    let got = normalise(text);
    assert_eq!(
        got,
        vec![
            "P1 execve(\"/bin/sh\", [\"sh\"], 0xADDR /* 35 vars */) = 0",
            "P1 wait4(-1, NULL, 0, NULL) = P2",
            "P2 exit_group(0) = ?",
            "P1 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=P2, si_uid=0, si_status=0, si_utime=N, si_stime=N /* T */} ---",
        ]
    );
    // Pids that wrapped at pid_max during the trace still come after the
    // command's own, in creation order.
    let text = "32760 execve(\"/bin/sh\", [\"sh\"], 0x7ffc5d2c5748 /* 35 vars */) = 0\n\
                32760 clone(child_stack=NULL, flags=SIGCHLD) = 32767\n\
                32767 exit_group(0)                     = ?\n\
                32760 clone(child_stack=NULL, flags=SIGCHLD) = 300\n\
                300   exit_group(0)                     = ?\n";
    assert_eq!(
        normalise(text),
        vec![
            "P1 execve(\"/bin/sh\", [\"sh\"], 0xADDR /* 35 vars */) = 0",
            "P1 clone(child_stack=NULL, flags=SIGCHLD) = P2",
            "P2 exit_group(0) = ?",
            "P1 clone(child_stack=NULL, flags=SIGCHLD) = P3",
            "P3 exit_group(0) = ?",
        ]
    );
}

#[test]
fn ptrail_matches_strace_on_common_commands() {
    if !have_strace() {
        return;
    }
    let dir = TempDir::new("differential");
    std::fs::write(dir.path().join("lines.txt"), "alpha\nbeta\ngamma\ndelta\n").unwrap();
    let ptrail_bin = PathBuf::from(env!("CARGO_BIN_EXE_ptrail"));

    let mut scores = Vec::new();
    for (i, case) in cases(dir.path()).into_iter().enumerate() {
        let (s_text, s_code) = trace(
            Path::new(STRACE),
            &dir.path().join(format!("{i}.strace")),
            &case.argv,
        );
        let (p_text, p_code) = trace(
            &ptrail_bin,
            &dir.path().join(format!("{i}.ptrail")),
            &case.argv,
        );
        let want = normalise(&s_text);
        let got = normalise(&p_text);
        scores.push(compare(case.name, &want, &got, (s_code, p_code)));
    }

    let mut table = String::new();
    let _ = writeln!(
        table,
        "ptrail vs strace -f: share of strace's lines printed identically (after normalisation)\n"
    );
    let _ = writeln!(
        table,
        "{:<14} {:>7} {:>7} {:>7} {:>7}  exit(strace/ptrail)",
        "command", "strace", "ptrail", "same", "share"
    );
    let (mut total, mut same) = (0, 0);
    for s in &scores {
        let share = if s.strace_lines == 0 {
            0.0
        } else {
            s.same as f64 / s.strace_lines as f64
        };
        let _ = writeln!(
            table,
            "{:<14} {:>7} {:>7} {:>7} {:>6.1}%  {:?}/{:?}",
            s.name,
            s.strace_lines,
            s.ptrail_lines,
            s.same,
            share * 100.0,
            s.status.0,
            s.status.1
        );
        total += s.strace_lines;
        same += s.same;
    }
    let overall = if total == 0 {
        0.0
    } else {
        same as f64 / total as f64
    };
    let _ = writeln!(
        table,
        "{:<14} {:>7} {:>7} {:>7} {:>6.1}%",
        "TOTAL",
        total,
        "",
        same,
        overall * 100.0
    );
    let mut details = String::new();
    for s in &scores {
        let _ = writeln!(
            details,
            "\n== {}: first differing lines (strace / ptrail)",
            s.name
        );
        for l in s.missing.iter().take(10) {
            let _ = writeln!(details, "- {l}");
        }
        for l in s.extra.iter().take(10) {
            let _ = writeln!(details, "+ {l}");
        }
    }
    eprintln!("{table}");
    let _ = std::fs::write(report_path(), format!("{table}{details}"));

    for s in &scores {
        assert_eq!(s.status.0, s.status.1, "{}: exit status differs", s.name);
        assert!(s.ptrail_lines > 0, "{}: ptrail printed nothing", s.name);
    }
    assert!(
        overall >= FLOOR,
        "identical share {:.1}% fell below the floor {:.1}%\n{table}",
        overall * 100.0,
        FLOOR * 100.0
    );
}
