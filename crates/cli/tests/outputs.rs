//! Output modes against strace 6 (the oracle) and against their documented
//! schema: timestamps and durations (`-t`, `-tt`, `-ttt`,
//! `--absolute-timestamps`, `-r`, `-T`, `-i`), the `-c` summary (same rows,
//! calls and errors as strace), `--json` (every line of the differential
//! corpus parsed with an independent re-declaration of schema v1, and the
//! `jq` one-liners of docs/json.md), `-o '|command'`, `--color`, and the
//! last line of `-o` when ptrail is killed by SIGTERM.
//!
//! Tests that need strace (or jq) are skipped without it, unless
//! `PTRAIL_REQUIRE_STRACE` is set (as in CI).

mod common;
#[path = "common/normalise.rs"]
mod normalise;

use common::*;
use regex::Regex;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

fn have(tool: &str) -> bool {
    if Path::new(tool).exists() {
        return true;
    }
    assert!(
        std::env::var_os("PTRAIL_REQUIRE_STRACE").is_none(),
        "{tool} is required"
    );
    false
}

/// Runs `tracer OPTIONS -o OUT argv` and returns the output file's text.
fn traced(tracer: &mut Command, out: &Path, opts: &[&str], argv: &[&str]) -> String {
    let _ = std::fs::remove_file(out);
    tracer
        .args(opts)
        .arg("-o")
        .arg(out)
        .args(argv)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .env("LC_ALL", "C");
    let res = run(tracer);
    assert!(res.status.code().is_some(), "tracer died: {:?}", res.status);
    std::fs::read_to_string(out).unwrap_or_default()
}

/// The syscall name of a trace line (after any prefixes), if it is one.
fn call_name(rest: &str) -> Option<&str> {
    let end = rest.find('(')?;
    let name = &rest[..end];
    name.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_')
        .then_some(name)
        .filter(|n| !n.is_empty())
}

#[test]
fn timestamp_and_duration_forms_match_strace() {
    if !have(STRACE) {
        return;
    }
    let dir = TempDir::new("outputs-ts");
    let file = dir.path().join("in.txt");
    std::fs::write(&file, "a\nb\n").unwrap();
    let file = file.to_str().unwrap().to_owned();
    let argv = ["cat", file.as_str()];
    // (options, pattern every line must start with, pattern of the end of
    // every line with a return value other than `?`)
    let cases: &[(&[&str], &str, &str)] = &[
        (&["-t"], r"^\d\d:\d\d:\d\d ", ""),
        (&["-tt"], r"^\d\d:\d\d:\d\d\.\d{6} ", ""),
        (&["-ttt"], r"^\d{10}\.\d{6} ", ""),
        (&["--absolute-timestamps"], r"^\d\d:\d\d:\d\d ", ""),
        (&["--absolute-timestamps=unix,ns"], r"^\d{10}\.\d{9} ", ""),
        (
            &["--absolute-timestamps=format:time,precision:ms"],
            r"^\d\d:\d\d:\d\d\.\d{3} ",
            "",
        ),
        (&["--timestamps=unix"], r"^\d{10} ", ""),
        (&["-r"], r"^ *\d+\.\d{6} ", ""),
        (&["--relative-timestamps=ns"], r"^ *\d+\.\d{9} ", ""),
        (&["-t", "-r"], r"^\d\d:\d\d:\d\d \(\+ *\d+\.\d{6}\) ", ""),
        (&["-T"], "", r" <\d+\.\d{6}>$"),
        (&["--syscall-times=ms"], "", r" <\d+\.\d{3}>$"),
        (&["-i"], r"^\[(?:[0-9a-f]{16}|\?{16})\] ", ""),
        (
            &["-tt", "-T", "-i"],
            r"^\d\d:\d\d:\d\d\.\d{6} \[(?:[0-9a-f]{16}|\?{16})\] ",
            r" <\d+\.\d{6}>$",
        ),
    ];
    let duration_re = Regex::new(r" <\d+\.\d+>$").unwrap();
    for (opts, start, end) in cases {
        let start_re = Regex::new(start).unwrap();
        let end_re = Regex::new(end).unwrap();
        let mut names: Vec<Vec<String>> = Vec::new();
        for (who, mut cmd) in [("strace", Command::new(STRACE)), ("ptrail", ptrail())] {
            let out = dir.path().join(format!("{who}.txt"));
            let text = traced(&mut cmd, &out, opts, &argv);
            assert!(text.lines().count() > 5, "{who} {opts:?}: {text}");
            let mut calls = Vec::new();
            for line in text.lines() {
                let m = start_re
                    .find(line)
                    .unwrap_or_else(|| panic!("{who} {opts:?}: no {start:?} in {line:?}"));
                let rest = &line[m.end()..];
                let returns = rest.contains(" = ") && !rest.ends_with("= ?");
                if returns && !end.is_empty() {
                    assert!(
                        end_re.is_match(rest),
                        "{who} {opts:?}: no {end:?} in {line:?}"
                    );
                }
                if end.is_empty() {
                    assert!(!duration_re.is_match(rest), "{who} {opts:?}: {line:?}");
                }
                if let Some(name) = call_name(rest) {
                    calls.push(name.to_owned());
                }
            }
            names.push(calls);
        }
        assert_eq!(
            names[0], names[1],
            "{opts:?}: the same calls in the same order"
        );
    }
    // Errors as strace words them.
    for (opts, err) in [
        (
            &["-t", "--absolute-timestamps=unix"][..],
            "-t and --absolute-timestamps cannot be provided simultaneously",
        ),
        (
            &["--absolute-timestamps=bogus"][..],
            "invalid --absolute-timestamps argument: 'bogus'",
        ),
        (
            &["--relative-timestamps=xx"][..],
            "invalid --relative-timestamps argument: 'xx'",
        ),
        (
            &["--syscall-times=bad"][..],
            "invalid --syscall-times argument: 'bad'",
        ),
        (
            &["-c", "-C"][..],
            "-c/--summary-only and -C/--summary are mutually exclusive",
        ),
        (&["-c", "-S", "bogus"][..], "invalid sortby: 'bogus'"),
        (&["-c", "-U", "bad"][..], "unknown column name: 'bad'"),
    ] {
        let out = run(ptrail().args(opts).arg("true"));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{opts:?}");
        assert!(stderr.contains(err), "{opts:?}: {stderr}");
    }
}

/// The rows of a `-c` table: name -> (calls, errors).
fn summary_rows(text: &str) -> BTreeMap<String, (u64, u64)> {
    let mut rows = BTreeMap::new();
    let mut seen_header = false;
    for line in text.lines() {
        if line.starts_with("% time") {
            seen_header = true;
            continue;
        }
        if !seen_header || line.starts_with("------") {
            continue;
        }
        let f: Vec<&str> = line.split_whitespace().collect();
        // % time, seconds, usecs/call, calls, [errors], name
        let (calls, errors) = match f.len() {
            5 => (f[3], "0"),
            6 => (f[3], f[4]),
            _ => continue,
        };
        rows.insert(
            f[f.len() - 1].to_owned(),
            (calls.parse().unwrap(), errors.parse().unwrap()),
        );
    }
    rows
}

#[test]
fn summary_counts_match_strace() {
    if !have(STRACE) {
        return;
    }
    let dir = TempDir::new("outputs-c");
    // Sequential commands only: a clone interrupted by a concurrent child's
    // SIGCHLD (ERESTARTNOINTR, counted as an error) depends on timing.
    let script = "ls /nonexistent-ptrail; cat /etc/hostname /nonexistent >/dev/null; wc -c /etc/hostname; true";
    for opts in [
        &["-c", "-f"][..],
        &["-c", "-f", "-w"][..],
        &["-c", "-f", "-S", "calls"][..],
    ] {
        let mut tables = Vec::new();
        for (who, mut cmd) in [("strace", Command::new(STRACE)), ("ptrail", ptrail())] {
            let out = dir.path().join(format!("{who}.txt"));
            let text = traced(&mut cmd, &out, opts, &["sh", "-c", script]);
            assert!(text.starts_with("% time     seconds  usecs/call     calls    errors syscall\n------ ----------- ----------- --------- --------- ----------------\n"), "{who}: {text}");
            let last = text.lines().last().unwrap_or("");
            assert!(
                last.starts_with("100.00 ") && last.ends_with(" total"),
                "{who}: {last:?}"
            );
            tables.push(summary_rows(&text));
        }
        assert!(tables[0].len() > 10, "{:?}", tables[0]);
        assert_eq!(
            tables[0], tables[1],
            "{opts:?}: strace's rows (left) vs ptrail's"
        );
    }
    // -U and -S: the same header and the same order of names.
    let opts = [
        "-c",
        "-U",
        "name,calls,errors,max-time,min-time",
        "-S",
        "name",
    ];
    let mut texts = Vec::new();
    for (who, mut cmd) in [("strace", Command::new(STRACE)), ("ptrail", ptrail())] {
        let out = dir.path().join(format!("{who}.txt"));
        texts.push(traced(&mut cmd, &out, &opts, &["true"]));
    }
    let shape = |t: &str| -> Vec<String> {
        t.lines()
            .map(|l| {
                Regex::new(r"\d+\.\d{6}")
                    .unwrap()
                    .replace_all(l, "T.TTTTTT")
                    .into_owned()
            })
            .collect()
    };
    assert_eq!(shape(&texts[0]), shape(&texts[1]));
    // -C: the trace, then the table.
    let out = dir.path().join("C.txt");
    let text = traced(&mut ptrail(), &out, &["-C"], &["true"]);
    let table = text.find("% time").expect("table");
    assert!(
        text[..table].contains("execve(") && text[..table].contains("+++ exited with 0 +++"),
        "{text}"
    );
}

// ---- JSON schema v1, declared again independently of the renderer ----

#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[allow(dead_code)]
enum Event {
    Syscall {
        v: u32,
        pid: i32,
        tid: i32,
        timestamp: u64,
        name: String,
        args: Vec<serde_json::Value>,
        retval: Option<serde_json::Number>,
        errno: Option<String>,
        comment: Option<String>,
        duration: Option<u64>,
        unfinished: Option<bool>,
        resumed: Option<bool>,
    },
    Signal {
        v: u32,
        pid: i32,
        tid: i32,
        timestamp: u64,
        signal: String,
        info: String,
    },
    Stopped {
        v: u32,
        pid: i32,
        tid: i32,
        timestamp: u64,
        signal: String,
    },
    Continued {
        v: u32,
        pid: i32,
        tid: i32,
        timestamp: u64,
    },
    Exit {
        v: u32,
        pid: i32,
        tid: i32,
        timestamp: u64,
        code: i32,
    },
    Killed {
        v: u32,
        pid: i32,
        tid: i32,
        timestamp: u64,
        signal: String,
        core_dumped: bool,
    },
    Attached {
        v: u32,
        pid: i32,
        tid: i32,
        timestamp: u64,
        process: i32,
        threads: usize,
    },
    Detached {
        v: u32,
        pid: i32,
        tid: i32,
        timestamp: u64,
    },
    HandedOver {
        v: u32,
        pid: i32,
        tid: i32,
        timestamp: u64,
        tracer: i32,
    },
    Exec {
        v: u32,
        pid: i32,
        tid: i32,
        timestamp: u64,
        old_tid: i32,
    },
    Dump {
        v: u32,
        pid: i32,
        tid: i32,
        timestamp: u64,
        text: String,
    },
}

/// Checks an argument value against the documented shapes.
fn check_value(v: &serde_json::Value, line: &str) {
    use serde_json::Value as J;
    match v {
        J::Null | J::Number(_) | J::Bool(_) => {}
        J::String(s) => {
            if s.starts_with("0x") && s.len() > 2 {
                assert!(
                    u64::from_str_radix(&s[2..], 16).is_ok() || s.contains(['|', ' ', '<']),
                    "{s}: {line}"
                );
            }
        }
        J::Array(items) => items.iter().for_each(|i| check_value(i, line)),
        J::Object(map) => {
            let keys: Vec<&str> = map.keys().map(|k| k.as_str()).collect();
            let has = |k: &str| map.contains_key(k);
            if has("fd") && has("path") && keys.len() == 2 {
                assert!(map["fd"].is_i64() && map["path"].is_string(), "{line}");
            } else if has("bytes") {
                let ok = map["bytes"]
                    .as_array()
                    .is_some_and(|b| b.iter().all(|x| x.as_u64().is_some_and(|n| n < 256)));
                assert!(
                    ok && keys.iter().all(|k| ["bytes", "truncated"].contains(k)),
                    "{line}"
                );
            } else if has("str") {
                assert!(
                    map["str"].is_string()
                        && map.get("truncated") == Some(&J::Bool(true))
                        && keys.len() == 2,
                    "{line}"
                );
            } else if has("unavailable") {
                assert!(keys.len() == 1 && map["unavailable"].is_string(), "{line}");
            } else if has("not") {
                assert!(keys.len() == 1 && map["not"].is_array(), "{line}");
            } else if has("comment") && has("value") {
                assert!(keys.len() == 2 && map["comment"].is_string(), "{line}");
                check_value(&map["value"], line);
            } else if has("before") && has("after") {
                assert_eq!(keys.len(), 2, "{line}");
                check_value(&map["before"], line);
                check_value(&map["after"], line);
            } else {
                // A structure (or a name=value pair): any field names.
                if let Some(more) = map.get("...") {
                    assert_eq!(more, &J::Bool(true), "{line}");
                }
                map.values().for_each(|x| check_value(x, line));
            }
        }
    }
}

/// The differential corpus's commands (crates/cli/tests/differential.rs).
fn corpus(data: &Path) -> Vec<Vec<String>> {
    let file = data.join("lines.txt");
    std::fs::write(&file, "one\ntwo\nthree\n").unwrap();
    let file = file.to_string_lossy().into_owned();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let mut v = vec![
        s(&["true"]),
        s(&["echo", "hello", "world"]),
        s(&["ls", "/"]),
        s(&["cat", &file]),
        s(&["head", "-n", "2", &file]),
        s(&["wc", "-l", &file]),
        s(&["date", "-u", "-d", "@0"]),
        s(&["env"]),
        s(&["sh", "-c", &format!("cat {file} | wc -l")]),
        s(&["sh", "-c", "ls / > /dev/null; echo done"]),
        s(&["sh", "-c", "exit 3"]),
        s(&["ls", "/nonexistent-ptrail"]),
        s(&["-s", "8", "cat", &file]),
        s(&["-x", "echo", "h\u{e9}llo"]),
        s(&["-xx", "echo", "hello"]),
        s(&["-v", "ls", "-l", "/"]),
        s(&[
            "sh",
            "-c",
            "(sleep 0.3; kill -CONT $$) & kill -STOP $$; kill -KILL $$",
        ]),
    ];
    if Path::new("/usr/bin/python3").exists() {
        v.push(s(&["python3", "-c", "print(6 * 7)"]));
    }
    v
}

fn json_trace(out: &Path, argv: &[String]) -> String {
    let _ = std::fs::remove_file(out);
    let mut cmd = ptrail();
    cmd.args(["-f", "--json", "-o"])
        .arg(out)
        .args(argv)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .env("LC_ALL", "C");
    run(&mut cmd);
    std::fs::read_to_string(out).unwrap()
}

#[test]
fn json_lines_follow_schema_v1() {
    let dir = TempDir::new("outputs-json");
    let mut kinds = BTreeMap::new();
    for argv in corpus(dir.path()) {
        let out = dir.path().join("trace.jsonl");
        let text = json_trace(&out, &argv);
        assert!(text.ends_with('\n'), "{argv:?}");
        for line in text.lines() {
            let ev: Event =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{argv:?}: {e}: {line}"));
            let raw: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(raw["v"], 1, "{line}");
            let kind = raw["type"].as_str().unwrap().to_owned();
            *kinds.entry(kind).or_insert(0) += 1;
            if let Event::Syscall {
                args,
                retval,
                errno,
                ..
            } = &ev
            {
                args.iter().for_each(|a| check_value(a, line));
                if errno.is_some() {
                    assert_eq!(retval.as_ref().and_then(|r| r.as_i64()), Some(-1), "{line}");
                }
            }
        }
    }
    for kind in [
        "syscall",
        "signal",
        "stopped",
        "continued",
        "exit",
        "killed",
        "attached",
    ] {
        assert!(
            kinds.contains_key(kind),
            "no {kind} event in the corpus: {kinds:?}"
        );
    }
    // Entry and exit are one object: read's buffer is in the same args.
    let out = dir.path().join("cat.jsonl");
    let file = dir.path().join("lines.txt").to_string_lossy().into_owned();
    let text = json_trace(&out, &["cat".into(), file]);
    let read = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["name"] == "read" && v["retval"] == 14)
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(read["args"][1], "one\ntwo\nthree\n");
    assert!(read["duration"].is_u64());
    // -y: descriptors carry their path.
    let text = json_trace(&out, &["-y", "cat", "/etc/hostname"].map(String::from));
    assert!(
        text.contains(r#"{"fd":3,"path":"/etc/hostname"}"#),
        "{text}"
    );
    // Calls shown only at exit (-e status=) are whole, not "resumed".
    let text = json_trace(
        &out,
        &["-e", "status=failed", "ls", "/nonexistent-ptrail"].map(String::from),
    );
    let failed: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|v: &serde_json::Value| v["type"] == "syscall")
        .collect();
    assert!(!failed.is_empty(), "{text}");
    for v in &failed {
        assert!(v["errno"].is_string() && v.get("resumed").is_none(), "{v}");
        assert!(v["duration"].is_u64(), "{v}");
    }
}

#[test]
fn json_jq_one_liners_from_the_docs_work() {
    if !have("/usr/bin/jq") {
        return;
    }
    let dir = TempDir::new("outputs-jq");
    let out = dir.path().join("trace.jsonl");
    json_trace(
        &out,
        &[
            "sh",
            "-c",
            "cat /etc/hostname /nonexistent > /dev/null; ls /nonexistent-ptrail; exit 0",
        ]
        .map(String::from),
    );
    let docs = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/json.md");
    let docs = std::fs::read_to_string(docs).unwrap();
    let lines: Vec<&str> = docs.lines().filter(|l| l.starts_with("jq ")).collect();
    assert!(lines.len() >= 4, "{lines:?}");
    for jq in lines {
        let script = jq.replace("trace.jsonl", &out.to_string_lossy());
        let res = run(Command::new("sh").arg("-c").arg(&script));
        let stdout = String::from_utf8_lossy(&res.stdout);
        assert!(
            res.status.success(),
            "{jq}: {}",
            String::from_utf8_lossy(&res.stderr)
        );
        assert!(
            !stdout.trim().is_empty() && stdout.trim() != "[]",
            "{jq}: no output"
        );
    }
}

#[test]
fn sigterm_leaves_a_complete_last_line() {
    let dir = TempDir::new("outputs-term");
    let line = Regex::new(r"^\d+ +.*(\) += .+|<detached \.\.\.>|\+\+\+|---)$").unwrap();
    for (i, opts) in [&["-I2"][..], &["-I1", "-tt", "-T"][..]].iter().enumerate() {
        let out = dir.path().join(format!("t{i}.txt"));
        let mut g = Guard::spawn(
            ptrail()
                .args(*opts)
                .args(["-f", "-o"])
                .arg(&out)
                .args(["sh", "-c", "while :; do echo x > /dev/null; done"])
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        );
        wait_until("the trace grows", || {
            std::fs::metadata(&out)
                .map(|m| m.len() > 100_000)
                .unwrap_or(false)
        });
        kill(g.pid(), libc::SIGTERM);
        g.wait(LIMIT);
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(
            text.ends_with('\n'),
            "{opts:?}: unterminated: {:?}",
            &text[text.len() - 200..]
        );
        let last = text.lines().last().unwrap();
        assert!(line.is_match(last), "{opts:?}: last line {last:?}");
        // The loop was not left running.
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn output_to_a_pipe_command() {
    let dir = TempDir::new("outputs-pipe");
    let file = dir.path().join("piped.txt");
    for mark in ['|', '!'] {
        let _ = std::fs::remove_file(&file);
        let res = run(ptrail()
            .arg("-o")
            .arg(format!("{mark}cat > '{}'", file.display()))
            .args(["echo", "hi"]));
        assert!(res.status.success());
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            text.starts_with("execve(\"") && text.ends_with("+++ exited with 0 +++\n"),
            "{text}"
        );
    }
}

#[test]
fn color_marks_names_errors_and_keeps_the_column() {
    let res = run(ptrail()
        .args([
            "--color=always",
            "-e",
            "trace=openat,exit_group",
            "cat",
            "/nonexistent-ptrail",
        ])
        .stdout(Stdio::null()));
    let text = String::from_utf8_lossy(&res.stderr);
    let line = text
        .lines()
        .find(|l| l.contains("nonexistent-ptrail") && l.contains("openat"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(line.starts_with("\x1b[1mopenat\x1b[0m("), "{line:?}");
    assert!(line.contains(" = \x1b[31m-1 ENOENT"), "{line:?}");
    let plain = line
        .replace("\x1b[1m", "")
        .replace("\x1b[31m", "")
        .replace("\x1b[0m", "");
    assert!(plain.find(" = ").unwrap() >= 39, "{plain:?}");
    let res = run(ptrail().args(["--color=never", "true"]));
    assert!(!String::from_utf8_lossy(&res.stderr).contains('\x1b'));
}

#[test]
fn man_page_and_completions() {
    let man = run(ptrail().arg("--man"));
    let man = String::from_utf8_lossy(&man.stdout);
    assert!(man.starts_with(".TH PTRAIL 1"), "{man}");
    let help = run(ptrail().arg("--help"));
    let help = String::from_utf8_lossy(&help.stdout);
    // Every long option of --help is in the man page and the completions.
    let long = Regex::new(r"--[a-z][a-z0-9-]+").unwrap();
    let names: Vec<&str> = long.find_iter(&help).map(|m| m.as_str()).collect();
    assert!(names.len() > 30);
    for shell in ["bash", "zsh", "fish"] {
        let out = run(ptrail().args(["--completions", shell]));
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout);
        for n in &names {
            let bare = n.trim_start_matches('-');
            assert!(
                text.contains(n) || text.contains(&format!("-l {bare} ")),
                "{shell}: {n}"
            );
            assert!(man.contains(&n.replace('-', "\\-")), "man: {n}");
        }
    }
}

/// Normalised lines (pids, addresses, split calls joined: see
/// common/normalise.rs) with pipe and socket inodes hidden, sorted (the
/// order of a parent's and a child's lines depends on scheduling).
fn fd_lines(text: &str) -> Vec<String> {
    let inodes = Regex::new(r":\[\d+\]").unwrap();
    let mut v: Vec<String> = normalise::normalise(text)
        .into_iter()
        .filter(|l| !l.contains("SIGCHLD"))
        .map(|l| inodes.replace_all(&l, ":[N]").into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn decode_fds_matches_strace() {
    if !have(STRACE) {
        return;
    }
    let dir = TempDir::new("outputs-y");
    // Descriptors reused after close, dup2 over an open one, exec, pipes,
    // a device, the current directory (AT_FDCWD) after chdir.
    let script = "exec 3</etc/hostname; exec 3</etc/passwd; cat /dev/null <&3; \
                  exec 4>/dev/null 3>&4; echo x >&3; cd /tmp; cat /etc/hostname | wc -c; \
                  exec 3<&-; exec 3</dev/zero; head -c1 <&3 >/dev/null";
    let trace = "trace=openat,read,write,close,dup2,fcntl,pipe2,execve";
    for y in ["-y", "-yy", "--decode-fds=path", "--decode-fds=all"] {
        let mut outs = Vec::new();
        for (who, mut cmd) in [("strace", Command::new(STRACE)), ("ptrail", ptrail())] {
            let out = dir.path().join(format!("{who}.txt"));
            let text = traced(
                &mut cmd,
                &out,
                &["-f", y, "-e", trace],
                &["sh", "-c", script],
            );
            outs.push(text);
        }
        assert!(outs[1].contains("</etc/passwd>"), "{}", outs[1]);
        let (a, b) = (fd_lines(&outs[0]), fd_lines(&outs[1]));
        let only_strace: Vec<&String> = a.iter().filter(|l| !b.contains(l)).collect();
        let only_ptrail: Vec<&String> = b.iter().filter(|l| !a.contains(l)).collect();
        assert!(
            only_strace.is_empty() && only_ptrail.is_empty() && a.len() == b.len(),
            "{y}: strace only: {only_strace:#?}\nptrail only: {only_ptrail:#?}"
        );
    }
}

/// `-y` paths are escaped as strace escapes them: as a quoted string's
/// contents (octal, named escapes, `\"`, `\\`, all hex with -x when a
/// byte needs it, always with -xx), with `<` and `>` in octal too.
#[test]
fn decode_fds_escape_paths_as_strace() {
    if !have(STRACE) {
        return;
    }
    let dir = TempDir::new("outputs-y-names");
    let names = [
        "a>b", "g<h", "o>1x", "c\"d", "e\\f", "tab\tx", "d\u{ef}r", "sp ace",
    ];
    let paths: Vec<String> = names
        .iter()
        .map(|n| {
            let p = dir.path().join(n);
            std::fs::write(&p, "x").unwrap();
            p.to_str().unwrap().to_owned()
        })
        .collect();
    let mut argv = vec!["cat"];
    argv.extend(paths.iter().map(String::as_str));
    for x in [None, Some("-x"), Some("-xx")] {
        let mut outs = Vec::new();
        for (who, mut cmd) in [("strace", Command::new(STRACE)), ("ptrail", ptrail())] {
            let out = dir.path().join(format!("{who}.txt"));
            let mut opts = vec!["-y", "-e", "trace=read", "-e", "signal=none"];
            opts.extend(x);
            outs.push(traced(&mut cmd, &out, &opts, &argv));
        }
        let (a, b) = (fd_lines(&outs[0]), fd_lines(&outs[1]));
        let ours: Vec<&String> = b
            .iter()
            .filter(|l| l.contains("read(3<") && l.contains(", 131072)"))
            .collect();
        assert_eq!(ours.len(), 2 * names.len(), "{x:?}: {b:#?}");
        assert_eq!(a, b, "{x:?}");
    }
}

#[test]
fn decode_fds_sockets_match_strace() {
    if !have(STRACE) || !Path::new("/usr/bin/python3").exists() {
        return;
    }
    let dir = TempDir::new("outputs-yy");
    let unix_path = dir.path().join("u.sock");
    let script = format!(
        "import socket, os\n\
         s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(1)\n\
         c = socket.socket(); c.connect(s.getsockname()); a, _ = s.accept()\n\
         c.send(b'x'); a.recv(1)\n\
         r, w = os.pipe(); os.write(w, b'y'); os.close(r)\n\
         e = os.eventfd(0); os.close(e)\n\
         p = os.pidfd_open(os.getpid()); os.close(p)\n\
         a.close(); c.close(); s.close(); os.close(w)\n\
         x, y = socket.socketpair(); x.send(b'1'); x.close(); y.close()\n\
         d1, d2 = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM); d1.send(b'2')\n\
         d2.close(); d1.close()\n\
         l = socket.socket(socket.AF_UNIX); l.bind('{0}'); l.listen(1)\n\
         k = socket.socket(socket.AF_UNIX); k.connect('{0}'); m, _ = l.accept()\n\
         k.send(b'3'); m.recv(1); m.close(); k.close(); l.close(); os.unlink('{0}')\n\
         os._exit(0)\n",
        unix_path.display()
    );
    // bind/connect change what a socket is: ptrail must not show a stale
    // description (strace looks them up again); at listen a TCP socket is
    // bound but not listening yet (not in /proc/net/tcp: inet_diag).
    let trace = "trace=socket,socketpair,bind,listen,connect,accept4,sendto,recvfrom,write,\
                 close,pipe2,eventfd2,pidfd_open";
    // Ports and inodes differ from run to run.
    let numbers = Regex::new(r"(:\[|:|->|htons\(|pidfd_open\()\d+").unwrap();
    let unix = Regex::new(r#"<UNIX-STREAM:\[\d+->\d+,"[^"]*u\.sock"\]>"#).unwrap();
    for y in ["-y", "-yy"] {
        let mut outs = Vec::new();
        for (who, mut cmd) in [("strace", Command::new(STRACE)), ("ptrail", ptrail())] {
            let out = dir.path().join(format!("{who}.txt"));
            outs.push(traced(
                &mut cmd,
                &out,
                &[y, "-e", trace],
                // Debian's interpreter, isolated and writing no bytecode:
                // the first run on a fresh machine must trace what the
                // second does (a pyenv shim or a .pyc write would not).
                &["/usr/bin/python3", "-I", "-B", "-c", &script],
            ));
        }
        // (sorted again once normalised: the order fd_lines sorts in
        // depends on the inode numbers, which differ between the runs)
        let shape = |t: &str| -> Vec<String> {
            let mut v: Vec<String> = fd_lines(t)
                .into_iter()
                .map(|l| numbers.replace_all(&l, "${1}N").into_owned())
                .collect();
            v.sort();
            v
        };
        let (a, b) = (shape(&outs[0]), shape(&outs[1]));
        let only_strace: Vec<&String> = a.iter().filter(|l| !b.contains(l)).collect();
        let only_ptrail: Vec<&String> = b.iter().filter(|l| !a.contains(l)).collect();
        assert!(
            a == b,
            "{y}: strace only: {only_strace:#?}\nptrail only: {only_ptrail:#?}\n\
             strace ({} lines):\n{}\nptrail ({} lines):\n{}",
            a.len(),
            outs[0],
            b.len(),
            outs[1]
        );
        if y == "-yy" {
            assert!(outs[1].contains("<TCP:[127.0.0.1:"), "{}", outs[1]);
            assert!(outs[1].contains("<pid:"), "{}", outs[1]);
            // sock_diag: peers of a pair, a bound path, an accepted socket.
            assert!(
                outs[1].contains("<UNIX:[") && unix.is_match(&outs[1]),
                "{}",
                outs[1]
            );
        }
    }
}

#[test]
fn summary_has_a_table_per_personality_like_strace() {
    if !have(STRACE) {
        return;
    }
    let dir = TempDir::new("outputs-c32");
    let src = dir.path().join("m32.c");
    let bin = dir.path().join("m32");
    std::fs::write(
        &src,
        "#include <unistd.h>\nint main(void) { getppid(); return 0; }\n",
    )
    .unwrap();
    let built = Command::new("gcc")
        .args(["-m32", "-static", "-o"])
        .arg(&bin)
        .arg(&src)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !built {
        // gcc-multilib is installed in CI (.ci/run).
        assert!(
            std::env::var_os("PTRAIL_REQUIRE_STRACE").is_none(),
            "gcc -m32 failed"
        );
        return;
    }
    let script = format!("{}; true", bin.display());
    let mut parts = Vec::new();
    for (who, mut cmd) in [("strace", Command::new(STRACE)), ("ptrail", ptrail())] {
        let out = dir.path().join(format!("{who}.txt"));
        let text = traced(&mut cmd, &out, &["-c", "-f"], &["sh", "-c", &script]);
        let (native, compat) = text
            .split_once("System call usage summary for 32 bit mode:\n")
            .unwrap_or_else(|| panic!("{who}: no 32-bit table: {text}"));
        parts.push((summary_rows(native), summary_rows(compat)));
    }
    assert!(parts[0].1.contains_key("getppid"), "{:?}", parts[0].1);
    assert_eq!(parts[0], parts[1], "strace's (left) and ptrail's tables");
}
