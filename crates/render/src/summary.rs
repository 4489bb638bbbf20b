//! The `-c` / `-C` summary: calls, errors and time per syscall, printed at
//! the end as strace's table:
//!
//! ```text
//! % time     seconds  usecs/call     calls    errors syscall
//! ------ ----------- ----------- --------- --------- ----------------
//!  58.53    0.003767        1883         2         1 wait4
//! ------ ----------- ----------- --------- --------- ----------------
//! 100.00    0.006436          30       212        36 total
//! ```
//!
//! Columns (`-U`) and order (`-S`) follow strace. Time is the CPU time the
//! process spent in each call (`Meta::cpu_ns`), or with `-w` the wall-clock
//! time between entry and exit (`Meta::duration_ns`). Counting costs one
//! hash lookup per syscall exit and no allocation after a syscall's first
//! call.

use crate::{Meta, Record, Renderer, TextRenderer, Tid};
use ptrail_decode::RetValue;
use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::fmt::Write as _;
use std::io;

/// A column of the table (`-U`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// `% time`
    TimePercent,
    /// `seconds`
    TotalTime,
    /// `shortest`
    MinTime,
    /// `longest`
    MaxTime,
    /// `usecs/call`
    AvgTime,
    /// `calls`
    Calls,
    /// `errors`
    Errors,
    /// `syscall`
    Name,
}

impl Column {
    /// Parses one `-U` name (strace's names and aliases).
    pub fn parse(text: &str) -> Option<Column> {
        Some(match text {
            "time-percent" | "time" | "percent" | "time_percent" => Column::TimePercent,
            "total-time" | "total_time" | "seconds" => Column::TotalTime,
            "min-time" | "min_time" | "shortest" => Column::MinTime,
            "max-time" | "max_time" | "longest" => Column::MaxTime,
            "avg-time" | "avg_time" | "usecs/call" => Column::AvgTime,
            "calls" | "count" => Column::Calls,
            "errors" | "error" => Column::Errors,
            "name" | "syscall" | "syscall_name" => Column::Name,
            _ => return None,
        })
    }

    fn header(self) -> (&'static str, usize) {
        match self {
            Column::TimePercent => ("% time", 6),
            Column::TotalTime => ("seconds", 11),
            Column::MinTime => ("shortest", 8),
            Column::MaxTime => ("longest", 8),
            Column::AvgTime => ("usecs/call", 11),
            Column::Calls => ("calls", 9),
            Column::Errors => ("errors", 9),
            Column::Name => ("syscall", 16),
        }
    }
}

/// The order of the rows (`-S`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    /// Total time, largest first (default).
    Time,
    /// Shortest call, largest first.
    MinTime,
    /// Longest call, largest first.
    MaxTime,
    /// Average, largest first.
    AvgTime,
    /// Calls, most first.
    Calls,
    /// Errors, most first.
    Errors,
    /// Name, alphabetically.
    Name,
    /// Syscall number order.
    Nothing,
}

impl SortBy {
    /// Parses a `-S` value (strace's names and aliases).
    pub fn parse(text: &str) -> Option<SortBy> {
        Some(match text {
            "time" | "time-percent" | "time_percent" | "percent" | "total-time" | "total_time" => {
                SortBy::Time
            }
            "min-time" | "min_time" | "shortest" => SortBy::MinTime,
            "max-time" | "max_time" | "longest" => SortBy::MaxTime,
            "avg-time" | "avg_time" => SortBy::AvgTime,
            "calls" | "count" => SortBy::Calls,
            "errors" | "error" => SortBy::Errors,
            "name" | "syscall" | "syscall_name" => SortBy::Name,
            "nothing" | "none" => SortBy::Nothing,
            _ => return None,
        })
    }
}

/// What the summary shows.
#[derive(Debug, Clone)]
pub struct SummaryOptions {
    /// `-C`: print the trace too (otherwise only notes and the table).
    pub with_trace: bool,
    /// `-w`: wall-clock time instead of CPU time.
    pub wall_clock: bool,
    /// `-S`
    pub sort: SortBy,
    /// `-U`; the name column is added at the end if missing.
    pub columns: Vec<Column>,
    /// `-q` count (notes are hidden from 1).
    pub quiet: u8,
}

impl Default for SummaryOptions {
    fn default() -> Self {
        SummaryOptions {
            with_trace: false,
            wall_clock: false,
            sort: SortBy::Time,
            columns: vec![
                Column::TimePercent,
                Column::TotalTime,
                Column::AvgTime,
                Column::Calls,
                Column::Errors,
                Column::Name,
            ],
            quiet: 0,
        }
    }
}

/// Counts of one syscall.
#[derive(Debug, Clone, Copy, Default)]
struct Stat {
    calls: u64,
    errors: u64,
    total_ns: u64,
    min_ns: u64,
    max_ns: u64,
}

/// Counts syscalls and prints strace's summary table at the end; with
/// `-C` it also passes every record on to the text printer.
pub struct SummaryRenderer {
    opts: SummaryOptions,
    text: TextRenderer,
    /// Counts per personality (x86_64, i386, x32): rows by name, and
    /// where each name's row is.
    stats: [Vec<(String, Stat)>; 3],
    rows: [HashMap<String, usize>; 3],
    /// The personality and row of the last call counted: a program's
    /// syscalls repeat, so most calls need no lookup.
    last: (usize, usize),
    /// The last call's name when it came from the syscall tables, so that
    /// a repeat is recognised by its address rather than by comparing text.
    last_static: &'static str,
    /// Maps names to syscall numbers for the order of equal rows.
    number: fn(u8, &str) -> u64,
}

/// Whether a return value is a failure (strace counts `ERESTART*` too).
fn is_error(ret: &RetValue) -> bool {
    match ret {
        RetValue::Error(_) => true,
        RetValue::Commented(inner, _) => is_error(inner),
        _ => false,
    }
}

impl SummaryRenderer {
    /// A summary printing its table (and with `-C` the trace) through
    /// `text`; `number` gives a syscall's number (equal rows are listed in
    /// number order, as strace does).
    pub fn new(opts: SummaryOptions, text: TextRenderer, number: fn(u8, &str) -> u64) -> Self {
        let mut opts = opts;
        if !opts.columns.contains(&Column::Name) {
            opts.columns.push(Column::Name);
        }
        SummaryRenderer {
            opts,
            text,
            stats: Default::default(),
            rows: Default::default(),
            last: (0, usize::MAX),
            last_static: "",
            number,
        }
    }

    #[allow(clippy::ptr_arg)] // a Borrowed (static) name is recognised by address
    fn count(&mut self, name: &Cow<'static, str>, ret: &RetValue, meta: &Meta) {
        let ns = if self.opts.wall_clock {
            meta.duration_ns
        } else {
            meta.cpu_ns
        }
        .unwrap_or(0);
        let p = usize::from(meta.personality.min(2));
        let stats = &mut self.stats[p];
        let same_static = matches!(name, Cow::Borrowed(s) if std::ptr::eq(*s, self.last_static));
        let row = match self.last {
            (lp, row)
                if lp == p && (same_static || stats.get(row).is_some_and(|r| r.0 == *name)) =>
            {
                row
            }
            _ => match self.rows[p].get(name.as_ref()) {
                Some(&row) => row,
                None => {
                    stats.push((name.to_string(), Stat::default()));
                    self.rows[p].insert(name.to_string(), stats.len() - 1);
                    stats.len() - 1
                }
            },
        };
        self.last = (p, row);
        self.last_static = match name {
            Cow::Borrowed(s) => s,
            Cow::Owned(_) => "",
        };
        let stat = &mut stats[row].1;
        if stat.calls == 0 || ns < stat.min_ns {
            stat.min_ns = ns;
        }
        stat.max_ns = stat.max_ns.max(ns);
        stat.calls += 1;
        stat.total_ns += ns;
        if is_error(ret) {
            stat.errors += 1;
        }
    }

    /// The tables as strace prints them: one per personality that made
    /// syscalls, the 32-bit and x32 ones titled (empty if no syscall was
    /// counted).
    pub fn table(&self) -> String {
        let mut out = String::new();
        for p in 0..3u8 {
            let table = self.personality_table(p);
            if !table.is_empty() {
                match p {
                    1 => out.push_str("System call usage summary for 32 bit mode:\n"),
                    2 => out.push_str("System call usage summary for x32 mode:\n"),
                    _ => {}
                }
                out.push_str(&table);
            }
        }
        out
    }

    fn personality_table(&self, personality: u8) -> String {
        let mut rows: Vec<(&str, Stat)> = self.stats[usize::from(personality)]
            .iter()
            .filter(|(_, s)| s.calls > 0)
            .map(|(n, s)| (n.as_str(), *s))
            .collect();
        if rows.is_empty() {
            return String::new();
        }
        let number = self.number;
        rows.sort_by(|a, b| {
            number(personality, a.0)
                .cmp(&number(personality, b.0))
                .then(a.0.cmp(b.0))
        });
        let avg = |s: &Stat| s.total_ns / s.calls.max(1);
        match self.opts.sort {
            SortBy::Time => rows.sort_by_key(|r| std::cmp::Reverse(r.1.total_ns)),
            SortBy::MinTime => rows.sort_by_key(|r| std::cmp::Reverse(r.1.min_ns)),
            SortBy::MaxTime => rows.sort_by_key(|r| std::cmp::Reverse(r.1.max_ns)),
            SortBy::AvgTime => rows.sort_by_key(|r| std::cmp::Reverse(avg(&r.1))),
            SortBy::Calls => rows.sort_by_key(|r| std::cmp::Reverse(r.1.calls)),
            SortBy::Errors => rows.sort_by_key(|r| std::cmp::Reverse(r.1.errors)),
            SortBy::Name => rows.sort_by(|a, b| a.0.cmp(b.0)),
            SortBy::Nothing => {}
        }
        let mut total = Stat {
            min_ns: u64::MAX,
            ..Stat::default()
        };
        for (_, s) in &rows {
            total.calls += s.calls;
            total.errors += s.errors;
            total.total_ns += s.total_ns;
            total.min_ns = total.min_ns.min(s.min_ns);
            total.max_ns = total.max_ns.max(s.max_ns);
        }
        let cols = &self.opts.columns;
        let last = cols.len() - 1;
        let mut out = String::new();
        let line = |out: &mut String, cell: &dyn Fn(Column, usize, &mut String)| {
            for (i, &c) in cols.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                let (_, width) = c.header();
                cell(
                    c,
                    if i == last && c == Column::Name {
                        0
                    } else {
                        width
                    },
                    out,
                );
            }
            out.push('\n');
        };
        line(&mut out, &|c, w, out| {
            let (h, _) = c.header();
            if matches!(c, Column::Name | Column::TimePercent) {
                let _ = write!(out, "{h:<w$}");
            } else {
                let _ = write!(out, "{h:>w$}");
            }
        });
        let dashes = |out: &mut String| {
            for (i, &c) in cols.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(&"-".repeat(c.header().1));
            }
            out.push('\n');
        };
        dashes(&mut out);
        let total_ns = total.total_ns;
        let secs = |ns: u64| format!("{}.{:06}", ns / 1_000_000_000, ns % 1_000_000_000 / 1000);
        let cell = |name: &str, s: &Stat, c: Column, w: usize, out: &mut String| {
            let _ = match c {
                Column::TimePercent => {
                    let pct = if name == "total" {
                        100.0
                    } else if total_ns == 0 {
                        0.0
                    } else {
                        s.total_ns as f64 * 100.0 / total_ns as f64
                    };
                    write!(out, "{pct:>w$.2}")
                }
                Column::TotalTime => write!(out, "{:>w$}", secs(s.total_ns)),
                Column::MinTime => write!(out, "{:>w$}", secs(s.min_ns)),
                Column::MaxTime => write!(out, "{:>w$}", secs(s.max_ns)),
                Column::AvgTime => write!(out, "{:>w$}", avg(s) / 1000),
                Column::Calls => write!(out, "{:>w$}", s.calls),
                Column::Errors if s.errors == 0 => write!(out, "{:w$}", ""),
                Column::Errors => write!(out, "{:>w$}", s.errors),
                Column::Name => write!(out, "{name:<w$}"),
            };
        };
        for (name, s) in &rows {
            line(&mut out, &|c, w, out| cell(name, s, c, w, out));
        }
        dashes(&mut out);
        line(&mut out, &|c, w, out| cell("total", &total, c, w, out));
        out
    }
}

impl Renderer for SummaryRenderer {
    fn record(&mut self, tid: Tid, record: &Record<'_>) -> io::Result<()> {
        self.record_meta(tid, record, &Meta::default())
    }

    fn record_meta(&mut self, tid: Tid, record: &Record<'_>, meta: &Meta) -> io::Result<()> {
        if let Record::SyscallExited { name, exited, .. } = record {
            self.count(name, &exited.ret, meta);
        }
        if self.opts.with_trace {
            return self.text.record_meta(tid, record, meta);
        }
        // -c: only ptrail's notes, as strace prints them.
        if self.opts.quiet > 0 {
            return Ok(());
        }
        match *record {
            Record::Attached {
                announce: true,
                process,
                threads,
            } => {
                if threads > 1 {
                    self.text.message(&format!(
                        "Process {process} attached with {threads} threads"
                    ))
                } else {
                    self.text.message(&format!("Process {process} attached"))
                }
            }
            Record::Detached => self.text.message(&format!("Process {tid} detached")),
            _ => Ok(()),
        }
    }

    fn message(&mut self, text: &str) -> io::Result<()> {
        self.text.message(text)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.text.flush()
    }

    fn finish(&mut self) -> io::Result<()> {
        self.text.flush()?;
        let table = self.table();
        if !table.is_empty() {
            self.text.write_raw(&table)?;
        }
        self.text.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Output, TextOptions};
    use ptrail_decode::{Entered, Exited};

    fn exit(r: &mut SummaryRenderer, name: &str, ret: RetValue, ns: u64) {
        let e = Entered::default();
        let x = Exited { args: vec![], ret };
        let meta = Meta {
            cpu_ns: Some(ns),
            ..Meta::default()
        };
        let name = Cow::Owned(name.to_owned());
        let rec = Record::SyscallExited {
            name: &name,
            entered: &e,
            exited: &x,
        };
        r.record_meta(1, &rec, &meta).unwrap();
    }

    fn number(_: u8, name: &str) -> u64 {
        match name {
            "read" => 0,
            "openat" => 257,
            _ => 999,
        }
    }

    #[test]
    fn strace_table() {
        let text = TextRenderer::new(TextOptions::default(), Output::Stream(Box::new(io::sink())));
        let mut r = SummaryRenderer::new(SummaryOptions::default(), text, number);
        exit(&mut r, "openat", RetValue::Error(2), 3_000);
        exit(&mut r, "openat", RetValue::Int(3), 5_000);
        exit(&mut r, "read", RetValue::Int(3), 2_000);
        assert_eq!(
            r.table(),
            "% time     seconds  usecs/call     calls    errors syscall\n\
             ------ ----------- ----------- --------- --------- ----------------\n\
            \x2080.00    0.000008           4         2         1 openat\n\
            \x2020.00    0.000002           2         1           read\n\
             ------ ----------- ----------- --------- --------- ----------------\n\
             100.00    0.000010           3         3         1 total\n"
        );
        r.opts.columns = vec![Column::Calls, Column::Name, Column::Errors];
        r.opts.sort = SortBy::Name;
        assert_eq!(
            r.table(),
            "    calls syscall             errors\n\
             --------- ---------------- ---------\n\
            \x20       2 openat                   1\n\
            \x20       1 read                      \n\
             --------- ---------------- ---------\n\
            \x20       3 total                    1\n"
        );
    }

    /// Rows are found by name whether the name is a table (static) one or
    /// an owned one, however they alternate.
    #[test]
    fn static_and_owned_names_share_rows() {
        let text = TextRenderer::new(TextOptions::default(), Output::Stream(Box::new(io::sink())));
        let mut r = SummaryRenderer::new(SummaryOptions::default(), text, number);
        let e = Entered::default();
        let x = Exited {
            args: vec![],
            ret: RetValue::Int(0),
        };
        let meta = Meta::default();
        let names = [
            Cow::Borrowed("read"),
            Cow::Owned("read".to_owned()),
            Cow::Borrowed("openat"),
            Cow::Owned("syscall_0x1ba".to_owned()),
            Cow::Owned("syscall_0x1bb".to_owned()),
            Cow::Borrowed("openat"),
            Cow::Borrowed("read"),
        ];
        for name in &names {
            let rec = Record::SyscallExited {
                name,
                entered: &e,
                exited: &x,
            };
            r.record_meta(1, &rec, &meta).unwrap();
        }
        let calls: Vec<(String, u64)> = r.stats[0]
            .iter()
            .map(|(n, s)| (n.clone(), s.calls))
            .collect();
        assert_eq!(
            calls,
            [
                ("read".to_owned(), 3),
                ("openat".to_owned(), 2),
                ("syscall_0x1ba".to_owned(), 1),
                ("syscall_0x1bb".to_owned(), 1)
            ]
        );
    }
}
