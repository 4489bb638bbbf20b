//! Trace normalisation shared by the differential tests (differential.rs,
//! corpus.rs): pids become `P1`, `P2`... (numbered in creation order), long
//! hex addresses become `0xADDR`, timestamps and CPU times become `N`,
//! random bytes are hidden, split `<unfinished ...>` / `<... resumed>` pairs
//! are joined back and the padding before ` = ` is squeezed; then a
//! multiset comparison of strace's lines with ptrail's.
#![allow(dead_code)]

use std::collections::{BTreeSet, HashMap};

pub fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Replaces whole-word decimal numbers found in `map`.
pub fn replace_pids(line: &str, map: &HashMap<String, String>) -> String {
    let bytes = line.as_bytes();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() && (i == 0 || !is_word_byte(bytes[i - 1])) {
            let mut j = i;
            while j < bytes.len() && bytes[j].is_ascii_digit() {
                j += 1;
            }
            let word = &line[i..j];
            if j == bytes.len() || !is_word_byte(bytes[j]) {
                if let Some(label) = map.get(word) {
                    out.push_str(label);
                    i = j;
                    continue;
                }
            }
            out.push_str(word);
            i = j;
            continue;
        }
        out.push(bytes[i] as char);
        i += 1;
    }
    out
}

/// `0x` followed by at least 6 hex digits becomes `0xADDR`.
pub fn mask_addresses(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find("0x") {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 2..];
        let n = tail.bytes().take_while(|b| b.is_ascii_hexdigit()).count();
        if n >= 6 {
            out.push_str("0xADDR");
        } else {
            out.push_str(&rest[at..at + 2 + n]);
        }
        rest = &tail[n..];
    }
    out.push_str(rest);
    out
}

/// Every `key` of `keys` followed by a value (a run of bytes `value`
/// accepts) becomes `keyN`.
pub fn mask_values(line: &str, keys: &[&str], value: impl Fn(u8) -> bool) -> String {
    let mut line = line.to_owned();
    for key in keys {
        let mut from = 0;
        while let Some(at) = line[from..].find(key).map(|i| i + from) {
            let start = at + key.len();
            let n = line[start..].bytes().take_while(|&b| value(b)).count();
            if n > 0 {
                line.replace_range(start..start + n, "N");
            }
            from = start;
        }
    }
    line
}

/// `key=123` becomes `key=N` for keys whose values change from run to run.
pub fn mask_fields(line: &str) -> String {
    const KEYS: &[&str] = &[
        "tv_sec=",
        "tv_nsec=",
        "tv_usec=",
        "si_utime=",
        "si_stime=",
        "st_atime=",
        "st_mtime=",
        "st_ctime=",
        "st_atime_nsec=",
        "st_mtime_nsec=",
        "st_ctime_nsec=",
        "stx_atime=",
        "stx_mtime=",
        "stx_ctime=",
        "stx_btime=",
    ];
    let mut line = mask_values(line, KEYS, |b| b.is_ascii_digit() || b == b'-');
    // Comments with dates or durations: `/* 2024-01-01T00:00:00+0000 */`, `/* 0.01 s */`.
    let mut from = 0;
    while let Some(at) = line[from..].find("/* ").map(|i| i + from) {
        let Some(end) = line[at..].find(" */").map(|e| e + at + 3) else {
            break;
        };
        let inner = &line[at + 3..end - 3];
        if inner.starts_with(|c: char| c.is_ascii_digit())
            && (inner.ends_with(" s") || inner.contains(':'))
        {
            line.replace_range(at..end, "/* T */");
            from = at + "/* T */".len();
        } else {
            from = end;
        }
    }
    // The tracer's own pid (the command's parent) and machine state.
    if let Some(at) = line.find("getppid() = ") {
        line.truncate(at + "getppid() = ".len());
        line.push_str("PPID");
    }
    if let Some(at) = line.find("sysinfo({") {
        if let Some(end) = line[at..].find("}) = ").map(|e| e + at) {
            line.replace_range(at + "sysinfo({".len()..end, "...");
        }
    }
    // Random bytes.
    if let Some(at) = line.find("getrandom(\"") {
        if let Some(end) = line[at + 11..].find('"').map(|e| e + at + 11) {
            line.replace_range(at + 11..end, "RANDOM");
        }
    }
    line
}

/// Splits `PID  rest` (strace's `%-5d ` prefix).
pub fn split_prefix(line: &str) -> Option<(&str, &str)> {
    let (pid, rest) = line.split_once(' ')?;
    if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((pid, rest.trim_start_matches(' ')))
}

/// Normalised lines of one trace.
pub fn normalise(text: &str) -> Vec<String> {
    // Pids in creation order: from the first line's (the traced command,
    // created before every other) pids only grow, until they wrap at
    // pid_max (a busy CI machine wraps within one trace): a pid below the
    // first was made after the wrap.
    let mut pids: Vec<i64> = text
        .lines()
        .filter_map(|l| split_prefix(l).and_then(|(p, _)| p.parse().ok()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let first: Option<i64> = text
        .lines()
        .find_map(|l| split_prefix(l).and_then(|(p, _)| p.parse().ok()));
    let pid_max: i64 = std::fs::read_to_string("/proc/sys/kernel/pid_max")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(1 << 22);
    pids.sort_by_key(|&p| match first {
        Some(f) if p < f => p + pid_max,
        _ => p,
    });
    let map: HashMap<String, String> = pids
        .iter()
        .enumerate()
        .map(|(i, p)| (p.to_string(), format!("P{}", i + 1)))
        .collect();

    // Join unfinished/resumed pairs per pid.
    let mut open: HashMap<String, usize> = HashMap::new();
    let mut lines: Vec<Option<(String, String)>> = Vec::new();
    for raw in text.lines() {
        let Some((pid, rest)) = split_prefix(raw) else {
            lines.push(Some((String::new(), raw.to_owned())));
            continue;
        };
        if let Some(head) = rest.strip_suffix(" <unfinished ...>") {
            open.insert(pid.to_owned(), lines.len());
            lines.push(Some((pid.to_owned(), head.to_owned())));
            continue;
        }
        if rest.starts_with("<... ") {
            if let (Some(idx), Some(end)) = (open.remove(pid), rest.find(" resumed>")) {
                let tail = &rest[end + " resumed>".len()..];
                if let Some(Some((_, head))) = lines.get_mut(idx) {
                    head.push_str(tail);
                }
                continue;
            }
        }
        lines.push(Some((pid.to_owned(), rest.to_owned())));
    }
    lines
        .into_iter()
        .flatten()
        .map(|(pid, body)| {
            // Squeeze the alignment padding before ` = `.
            let body = match body.rfind(") ") {
                Some(at) if body[at + 1..].trim_start().starts_with("= ") => {
                    format!("{} {}", &body[..at + 1], body[at + 1..].trim_start())
                }
                _ => body,
            };
            let line = format!("{pid} {body}");
            mask_fields(&mask_addresses(&replace_pids(&line, &map)))
        })
        .collect()
}

pub struct Score {
    pub name: &'static str,
    pub strace_lines: usize,
    pub ptrail_lines: usize,
    pub same: usize,
    pub status: (Option<i32>, Option<i32>),
    pub missing: Vec<String>,
    pub extra: Vec<String>,
}

pub fn compare(
    name: &'static str,
    want: &[String],
    got: &[String],
    status: (Option<i32>, Option<i32>),
) -> Score {
    let mut pool: HashMap<&str, usize> = HashMap::new();
    for l in got {
        *pool.entry(l.as_str()).or_default() += 1;
    }
    let mut same = 0;
    let mut missing = Vec::new();
    for l in want {
        match pool.get_mut(l.as_str()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                same += 1;
            }
            _ => missing.push(l.clone()),
        }
    }
    let mut extra: Vec<String> = Vec::new();
    for l in got {
        if let Some(n) = pool.get_mut(l.as_str()) {
            if *n > 0 {
                *n -= 1;
                extra.push(l.clone());
            }
        }
    }
    Score {
        name,
        strace_lines: want.len(),
        ptrail_lines: got.len(),
        same,
        status,
        missing,
        extra,
    }
}
