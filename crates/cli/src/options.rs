//! strace's command line, parsed with lexopt.
//!
//! Every option ptrail knows is one row of [`OPTIONS`]: its short and long
//! names, the name of its argument and its help text. The parser looks
//! options up there, `--help` is printed from it, and a man page or shell
//! completions can be generated from it later. Parsing follows strace:
//! short options bundle (`-ff`, `-fo FILE`, `-s64`), and the first
//! non-option argument starts the command, whose own options are left alone.

use crate::filter::Filter;
use lexopt::{Arg, Parser};
use ptrail_render::summary::{Column, SortBy};
use ptrail_render::{Precision, TimeFormat, Timing};
use std::ffi::OsString;
use std::fmt::Write;
use std::path::PathBuf;

/// What an option does; the rows of [`OPTIONS`] map names to these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opt {
    AbsTime,
    Append,
    Color,
    Completions,
    DecodeFds,
    InstrPtr,
    Json,
    Man,
    RelTime,
    SortBy,
    Summary(u8),
    SummaryColumns,
    SyscallTimes,
    WallClock,
    Column,
    Detach,
    DetachOn,
    Env,
    Expr,
    Follow,
    Help,
    Hex,
    Interruptible,
    NotYet,
    Output,
    Pid,
    /// A long option that is an `-e` qualifier (`--trace=SET` ...).
    Qual(&'static str),
    Quiet,
    Seccomp,
    StringLimit,
    /// `-z` (true) / `-Z` (false)
    StatusOnly(bool),
    SyscallLimit,
    TracePath,
    User,
    XlatStyle,
    Verbose,
    Version,
}

/// One option of the table.
pub struct OptSpec {
    /// `-f`
    pub short: Option<char>,
    /// `--follow-forks`
    pub long: Option<&'static str>,
    /// The argument's name in help text, if the option takes one.
    pub value: Option<&'static str>,
    /// What it does.
    pub id: Opt,
    /// One line of help.
    pub help: &'static str,
}

const fn opt(
    short: Option<char>,
    long: Option<&'static str>,
    value: Option<&'static str>,
    id: Opt,
    help: &'static str,
) -> OptSpec {
    OptSpec {
        short,
        long,
        value,
        id,
        help,
    }
}

/// All options, in the order `--help` lists them.
pub static OPTIONS: &[OptSpec] = &[
    opt(Some('f'), Some("follow-forks"), None, Opt::Follow, "trace child processes and threads too; -ff with -o: one file per thread"),
    opt(Some('p'), Some("attach"), Some("PID"), Opt::Pid, "attach to process PID (repeatable; PID may be a list: 1,2 or \"1 2\")"),
    opt(Some('o'), Some("output"), Some("FILE"), Opt::Output, "write the trace to FILE instead of standard error"),
    opt(Some('e'), Some("expr"), Some("EXPR"), Opt::Expr, "qualify: trace=, signal=, status=, quiet=, raw=, abbrev=, verbose=, read=, write=, inject=, fault=, decode-fds= (strace's grammar)"),
    opt(Some('q'), Some("quiet"), None, Opt::Quiet, "no attach/detach notes; -qq: no exit status lines either"),
    opt(Some('s'), Some("string-limit"), Some("N"), Opt::StringLimit, "print at most N bytes of each string (default 32)"),
    opt(Some('v'), Some("no-abbrev"), None, Opt::Verbose, "print structures, arrays and environments in full"),
    opt(Some('x'), None, None, Opt::Hex, "print non-ASCII string bytes in hex; -xx: all of them"),
    opt(Some('a'), Some("columns"), Some("COLUMN"), Opt::Column, "align return values at COLUMN (default 40)"),
    opt(Some('I'), Some("interruptible"), Some("N"), Opt::Interruptible, "when signals interrupt ptrail: 1 always, 2 (default), 3 never (default with -o FILE COMMAND), 4 never, nor Ctrl-Z"),
    opt(Some('D'), Some("daemonize"), None, Opt::Detach, "run the tracer as a detached grandchild (accepted; not implemented yet)"),
    opt(Some('u'), Some("user"), Some("USER"), Opt::User, "run COMMAND as USER (its uid, gid and groups)"),
    opt(Some('E'), Some("env"), Some("VAR[=VAL]"), Opt::Env, "set VAR to VAL in COMMAND's environment, or remove VAR"),
    opt(Some('b'), Some("detach-on"), Some("SYSCALL"), Opt::DetachOn, "detach from a process when it calls SYSCALL (only execve; not the command's own first execve)"),
    opt(Some('A'), Some("output-append-mode"), None, Opt::Append, "append to the -o file instead of truncating it"),
    opt(Some('F'), None, None, Opt::Follow, "same as -f (obsolete in strace too)"),
    opt(None, Some("seccomp-bpf"), None, Opt::Seccomp, "with -f and -e trace=NAMES: only those syscalls stop the command (seccomp-bpf); the rest run at full speed"),
    opt(Some('P'), Some("trace-path"), Some("PATH"), Opt::TracePath, "trace only syscalls that access PATH (also through descriptors); repeatable"),
    opt(Some('z'), Some("successful-only"), None, Opt::StatusOnly(true), "print only syscalls that succeed (-e status=successful)"),
    opt(Some('Z'), Some("failed-only"), None, Opt::StatusOnly(false), "print only syscalls that fail (-e status=failed)"),
    opt(Some('X'), Some("const-print-style"), Some("FORMAT"), Opt::XlatStyle, "constants: raw, abbrev or verbose (accepted; ptrail prints them abbreviated)"),
    opt(None, Some("trace"), Some("SET"), Opt::Qual("trace"), "same as -e trace=SET: names, %class, /regex, ?name, !negation, all, none"),
    opt(None, Some("signal"), Some("SET"), Opt::Qual("signal"), "same as -e signal=SET: which signals are shown"),
    opt(None, Some("status"), Some("SET"), Opt::Qual("status"), "same as -e status=SET: successful, failed, unfinished, unavailable, detached"),
    opt(None, Some("abbrev"), Some("SET"), Opt::Qual("abbrev"), "same as -e abbrev=SET"),
    opt(None, Some("verbose"), Some("SET"), Opt::Qual("verbose"), "same as -e verbose=SET"),
    opt(None, Some("raw"), Some("SET"), Opt::Qual("raw"), "same as -e raw=SET: print these syscalls' arguments in hex"),
    opt(None, Some("read"), Some("FDS"), Opt::Qual("read"), "same as -e read=FDS: hex dump of data read from FDS"),
    opt(None, Some("write"), Some("FDS"), Opt::Qual("write"), "same as -e write=FDS: hex dump of data written to FDS"),
    opt(None, Some("inject"), Some("SPEC"), Opt::Qual("inject"), "same as -e inject=SET:error=E|retval=N|signal=S|delay_enter=T|delay_exit=T[:when=EXPR]"),
    opt(None, Some("fault"), Some("SPEC"), Opt::Qual("fault"), "same as -e fault=SET[:error=E][:when=EXPR] (default error ENOSYS)"),
    opt(None, Some("syscall-limit"), Some("N"), Opt::SyscallLimit, "detach from everything after N syscalls were shown"),
    opt(Some('t'), Some("absolute-timestamps"), Some("[=FORMAT]"), Opt::AbsTime, "prefix lines with the time of day; -tt: with microseconds; -ttt: UNIX time with microseconds; FORMAT: [[format:]none|time|unix][,[precision:]s|ms|us|ns]"),
    opt(None, Some("timestamps"), Some("[=FORMAT]"), Opt::AbsTime, "same as --absolute-timestamps"),
    opt(Some('r'), Some("relative-timestamps"), Some("[=PRECISION]"), Opt::RelTime, "prefix lines with the time since the previous line (PRECISION s, ms, us (default) or ns)"),
    opt(Some('T'), Some("syscall-times"), Some("[=PRECISION]"), Opt::SyscallTimes, "print the time spent in each syscall at the end of its line: <0.000123>"),
    opt(Some('i'), Some("instruction-pointer"), None, Opt::InstrPtr, "print the instruction pointer at each syscall: [00007f...]"),
    opt(Some('c'), Some("summary-only"), None, Opt::Summary(1), "count time, calls and errors per syscall and print a summary table at the end instead of the trace"),
    opt(Some('C'), Some("summary"), None, Opt::Summary(2), "like -c, and print the trace too"),
    opt(Some('w'), Some("summary-wall-clock"), None, Opt::WallClock, "summarise wall-clock time between entry and exit (default: CPU time)"),
    opt(Some('S'), Some("summary-sort-by"), Some("SORTBY"), Opt::SortBy, "sort the summary by time (default), min-time, max-time, avg-time, calls, errors, name or nothing"),
    opt(Some('U'), Some("summary-columns"), Some("COLUMNS"), Opt::SummaryColumns, "summary columns: time-percent,total-time,min-time,max-time,avg-time,calls,errors,name"),
    opt(Some('y'), Some("decode-fds"), Some("[=SET]"), Opt::DecodeFds, "print what file descriptors refer to: 3</etc/passwd>; -yy or --decode-fds=all: also socket addresses and devices (SET: path,socket,dev,pidfd,all)"),
    opt(None, Some("json"), None, Opt::Json, "write JSON lines (one object per event, see docs/json.md) to standard output or the -o file"),
    opt(None, Some("color"), Some("[=WHEN]"), Opt::Color, "color syscall names, errors and signals: auto (on a terminal, default with no WHEN), always or never"),
    opt(None, Some("man"), None, Opt::Man, "print the manual page (roff) and exit"),
    opt(None, Some("completions"), Some("SHELL"), Opt::Completions, "print shell completions for bash, zsh or fish and exit"),
    opt(Some('h'), Some("help"), None, Opt::Help, "print this help and exit"),
    opt(Some('V'), Some("version"), None, Opt::Version, "print the version and exit"),
    // strace options that ptrail knows but does not implement yet: refused
    // with a clear message rather than "invalid option".

    opt(Some('d'), Some("debug"), None, Opt::NotYet, "debug output of the tracer itself"),
    opt(Some('k'), Some("stack-traces"), None, Opt::NotYet, "print a stack trace at each syscall"),
    opt(Some('n'), Some("syscall-number"), None, Opt::NotYet, "print syscall numbers"),
    opt(Some('O'), Some("summary-syscall-overhead"), Some("OVERHEAD"), Opt::NotYet, "tracing overhead for -c"),
    opt(Some('Y'), Some("decode-pids"), None, Opt::NotYet, "print command names of pids"),

];

/// A change to the command's environment (`-E`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvChange {
    /// `-E VAR=VAL`
    Set(OsString),
    /// `-E VAR`
    Unset(OsString),
}

/// The parsed command line of a tracing run.
#[derive(Debug, Default)]
pub struct Options {
    /// `-f` count (1: follow, 2: one file per thread with -o).
    pub follow: u8,
    /// `-o FILE`
    pub output: Option<PathBuf>,
    /// `-A`: append to the -o file.
    pub append: bool,
    /// `--seccomp-bpf`
    pub seccomp: bool,
    /// `-b execve`
    pub detach_on_execve: bool,
    /// `-q` count.
    pub quiet: u8,
    /// `-s N`
    pub string_limit: Option<usize>,
    /// `-v`
    pub verbose: bool,
    /// `-x` count.
    pub hex: u8,
    /// `-a N`
    pub column: Option<usize>,
    /// `-I N`
    pub interruptible: Option<u8>,
    /// `-D`
    pub daemonize: bool,
    /// `-u USER`
    pub user: Option<String>,
    /// `-E ...`, in order.
    pub env: Vec<EnvChange>,
    /// `-e ...`
    pub filter: Filter,
    /// Whether -z or -Z was given already.
    pub status_only_seen: bool,
    /// `-p ...`, in order, without duplicates.
    pub pids: Vec<i32>,
    /// `-t` count.
    pub tflag: u8,
    /// `--absolute-timestamps` given.
    pub abs_given: bool,
    /// Timestamps, durations, instruction pointers (`-t`, `-r`, `-T`, `-i`).
    pub timing: Timing,
    /// 1: `-c`, 2: `-C`.
    pub summary: u8,
    /// `-w`, `-S`, `-U`.
    pub wall_clock: bool,
    /// `-S`
    pub sort_by: Option<SortBy>,
    /// `-U`
    pub columns: Option<Vec<Column>>,
    /// `-y` level: 1 paths, 2 also sockets and devices.
    pub decode_fds: u8,
    /// `--json`
    pub json: bool,
    /// `--color`: None = never, Some(false) = auto, Some(true) = always.
    pub color: Option<bool>,
    /// COMMAND [ARG...]
    pub command: Vec<OsString>,
}

/// What the command line asks for.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // parsed once
pub enum Request {
    /// Trace.
    Run(Options),
    /// `-h`
    Help,
    /// `-V`
    Version,
    /// `--man`
    Man,
    /// `--completions SHELL`
    Completions(String),
}

fn lookup_short(c: char) -> Option<&'static OptSpec> {
    OPTIONS.iter().find(|o| o.short == Some(c))
}

fn lookup_long(name: &str) -> Option<&'static OptSpec> {
    OPTIONS.iter().find(|o| o.long == Some(name))
}

fn number<T: std::str::FromStr>(flag: char, value: &str) -> Result<T, String> {
    value
        .trim()
        .parse()
        .map_err(|_| format!("invalid -{flag} argument: '{value}'"))
}

/// A number in `0..=max` (strace's `string_to_uint_upto`).
fn upto(flag: char, value: &str, max: usize) -> Result<usize, String> {
    match number::<usize>(flag, value)? {
        n if n <= max => Ok(n),
        _ => Err(format!("invalid -{flag} argument: '{value}'")),
    }
}

/// `s`, `ms`, `us`, `ns` (default `us`) for `-r` and `-T`.
fn precision(value: Option<String>, option: &str) -> Result<Precision, String> {
    match value {
        None => Ok(Precision::Us),
        Some(v) => Precision::parse(&v).ok_or_else(|| format!("invalid {option} argument: '{v}'")),
    }
}

/// `--absolute-timestamps=[[format:]none|time|unix][,[precision:]s|ms|us|ns]`.
fn parse_absolute(value: &str, t: &mut Timing) -> Option<()> {
    t.absolute = TimeFormat::Time;
    t.absolute_precision = Precision::S;
    for token in value.split(',') {
        let (kind, v) = match token.split_once(':') {
            Some((k @ ("format" | "precision"), v)) => (Some(k), v),
            Some(_) => return None,
            None => (None, token),
        };
        let format = match v {
            "none" => Some(TimeFormat::None),
            "time" => Some(TimeFormat::Time),
            "unix" => Some(TimeFormat::Unix),
            _ => None,
        };
        match (kind, format, Precision::parse(v)) {
            (None | Some("format"), Some(f), _) => t.absolute = f,
            (None | Some("precision"), _, Some(p)) => t.absolute_precision = p,
            _ => return None,
        }
    }
    Some(())
}

/// Parses `-p` values: one or more ids separated by commas or spaces.
pub fn parse_pids(value: &str, into: &mut Vec<i32>) -> Result<(), String> {
    for part in value.split(|c: char| c == ',' || c.is_ascii_whitespace()) {
        if part.is_empty() {
            continue;
        }
        match part.parse::<i32>() {
            Ok(pid) if pid > 0 => {
                if !into.contains(&pid) {
                    into.push(pid);
                }
            }
            _ => return Err(format!("Invalid process id: '{part}'")),
        }
    }
    Ok(())
}

/// Parses the arguments after the program name. Errors are the text of the
/// `ptrail: ...` line.
pub fn parse<I>(args: I) -> Result<Request, String>
where
    I: IntoIterator,
    I::Item: Into<OsString>,
{
    let mut parser = Parser::from_args(args);
    let mut o = Options::default();
    loop {
        let arg = parser.next().map_err(|e| e.to_string())?;
        let (spec, shown) = match arg {
            None => break,
            Some(Arg::Short(c)) => match lookup_short(c) {
                Some(spec) => (spec, format!("-{c}")),
                None => return Err(format!("invalid option -- '{c}'")),
            },
            Some(Arg::Long(name)) => match lookup_long(name) {
                Some(spec) => (spec, format!("--{name}")),
                None => return Err(format!("unrecognized option '--{name}'")),
            },
            Some(Arg::Value(first)) => {
                o.command.push(first);
                o.command
                    .extend(parser.raw_args().map_err(|e| e.to_string())?);
                break;
            }
        };
        if spec.id == Opt::NotYet {
            return Err(format!("{shown}: not supported yet ({})", spec.help));
        }
        let value = match spec.value {
            Some(v) if v.starts_with('[') => match shown.starts_with("--") {
                true => parser.optional_value(),
                false => None,
            },
            Some(_) => {
                let v = parser.value().map_err(|_| {
                    format!(
                        "option requires an argument -- '{}'",
                        shown.trim_start_matches('-')
                    )
                })?;
                Some(v)
            }
            None => None,
        };
        let text = || -> Result<String, String> {
            let v = value.clone().unwrap_or_default();
            v.into_string()
                .map_err(|v| format!("invalid {shown} argument: '{}'", v.to_string_lossy()))
        };
        let flag = spec.short.unwrap_or('?');
        match spec.id {
            Opt::Help => return Ok(Request::Help),
            Opt::Man => return Ok(Request::Man),
            Opt::Completions => return Ok(Request::Completions(text()?)),
            Opt::AbsTime if value.is_none() && !shown.starts_with("--") => {
                if o.abs_given {
                    return Err(
                        "-t and --absolute-timestamps cannot be provided simultaneously".into(),
                    );
                }
                o.tflag = o.tflag.saturating_add(1);
                let t = &mut o.timing;
                (t.absolute, t.absolute_precision) = match o.tflag {
                    1 => (TimeFormat::Time, Precision::S),
                    2 => (TimeFormat::Time, Precision::Us),
                    _ => (TimeFormat::Unix, Precision::Us),
                };
            }
            Opt::AbsTime => {
                if o.tflag > 0 {
                    return Err(
                        "-t and --absolute-timestamps cannot be provided simultaneously".into(),
                    );
                }
                o.abs_given = true;
                let t = if value.is_some() {
                    text()?
                } else {
                    "time".into()
                };
                parse_absolute(&t, &mut o.timing)
                    .ok_or_else(|| format!("invalid --absolute-timestamps argument: '{t}'"))?;
            }
            Opt::RelTime => {
                o.timing.relative = Some(precision(
                    value.is_some().then(text).transpose()?,
                    "--relative-timestamps",
                )?);
            }
            Opt::SyscallTimes => {
                o.timing.syscall_times = Some(precision(
                    value.is_some().then(text).transpose()?,
                    "--syscall-times",
                )?);
            }
            Opt::InstrPtr => o.timing.ip = true,
            Opt::Summary(n) => {
                if o.summary != 0 && o.summary != n {
                    return Err("-c/--summary-only and -C/--summary are mutually exclusive".into());
                }
                o.summary = n;
            }
            Opt::WallClock => o.wall_clock = true,
            Opt::SortBy => {
                let t = text()?;
                o.sort_by =
                    Some(SortBy::parse(&t).ok_or_else(|| format!("invalid sortby: '{t}'"))?);
            }
            Opt::SummaryColumns => {
                let t = text()?;
                let mut cols = Vec::new();
                for name in t.split(',') {
                    let c = Column::parse(name)
                        .ok_or_else(|| format!("unknown column name: '{name}'"))?;
                    if !cols.contains(&c) {
                        cols.push(c);
                    }
                }
                o.columns = Some(cols);
            }
            Opt::DecodeFds => match value.is_some().then(text).transpose()? {
                None => o.decode_fds = o.decode_fds.saturating_add(1).min(2),
                Some(set) => {
                    o.decode_fds = 1;
                    for part in set.split(',') {
                        match part {
                            "all" | "socket" | "dev" | "pidfd" => o.decode_fds = 2,
                            "path" => {}
                            "none" => o.decode_fds = 0,
                            _ => return Err(format!("invalid decode-fds '{part}'")),
                        }
                    }
                }
            },
            Opt::Json => o.json = true,
            Opt::Color => {
                o.color = match value.is_some().then(text).transpose()?.as_deref() {
                    None | Some("auto") => Some(false),
                    Some("always") => Some(true),
                    Some("never") => None,
                    Some(other) => return Err(format!("invalid --color argument: '{other}'")),
                }
            }
            Opt::Version => return Ok(Request::Version),
            Opt::Follow => o.follow = o.follow.saturating_add(1),
            Opt::Append => o.append = true,
            Opt::Seccomp => o.seccomp = true,
            Opt::DetachOn => match text()?.as_str() {
                "execve" => o.detach_on_execve = true,
                other => return Err(format!("-b {other}: only -b execve is supported")),
            },
            Opt::NotYet => unreachable!("refused above"),
            Opt::Quiet => match shown.starts_with("--") {
                true => match parser.optional_value() {
                    Some(v) => {
                        let v = v.into_string().map_err(|_| "invalid quiet ''".to_owned())?;
                        o.filter.qualify("quiet", &v)?
                    }
                    None => o.quiet = o.quiet.saturating_add(1),
                },
                false => o.quiet = o.quiet.saturating_add(1),
            },
            Opt::Qual(q) => o.filter.qualify(q, &text()?)?,
            Opt::TracePath => {
                let t = text()?;
                if t.is_empty() {
                    return Err("invalid -P argument: ''".into());
                }
                o.filter.paths.push(t)
            }
            Opt::StatusOnly(ok) => {
                o.filter.only_status(ok, o.status_only_seen);
                o.status_only_seen = true;
            }
            Opt::XlatStyle => match text()?.as_str() {
                "raw" | "abbrev" | "verbose" => {}
                other => return Err(format!("invalid -X argument: '{other}'")),
            },
            Opt::SyscallLimit => {
                let t = text()?;
                match t.parse::<u64>() {
                    Ok(n) if n > 0 => o.filter.syscall_limit = Some(n),
                    _ => return Err(format!("invalid --syscall-limit argument: '{t}'")),
                }
            }
            Opt::Hex => o.hex = o.hex.saturating_add(1),
            Opt::Verbose => o.verbose = true,
            Opt::Detach => o.daemonize = true,
            Opt::Output => o.output = value.map(PathBuf::from),
            // strace's bounds: a larger -s or -a is refused, not obeyed
            // (2^64-1 made the printers panic or write gigabytes per line).
            Opt::StringLimit => o.string_limit = Some(upto(flag, &text()?, (1 << 30) - 1)?),
            Opt::Column => o.column = Some(upto(flag, &text()?, i32::MAX as usize)?),
            Opt::Interruptible => {
                let t = text()?;
                match number::<u8>(flag, &t)? {
                    n @ 1..=4 => o.interruptible = Some(n),
                    _ => return Err(format!("invalid -I argument: '{t}'")),
                }
            }
            Opt::User => o.user = Some(text()?),
            Opt::Env => {
                let v = value.unwrap_or_default();
                if v.is_empty() {
                    return Err("invalid -E argument: ''".into());
                }
                if v.as_encoded_bytes().contains(&b'=') {
                    o.env.push(EnvChange::Set(v));
                } else {
                    o.env.push(EnvChange::Unset(v));
                }
            }
            Opt::Expr => o.filter.parse_expr(&text()?)?,
            Opt::Pid => parse_pids(&text()?, &mut o.pids)?,
        }
    }
    Ok(Request::Run(o))
}

/// The `--help` text, generated from [`OPTIONS`].
pub fn help() -> String {
    let mut s = String::new();
    s.push_str(
        "ptrail: trace the system calls and signals of a command or of running processes\n\n",
    );
    s.push_str("Usage: ptrail [OPTIONS] COMMAND [ARG...]\n");
    s.push_str("       ptrail [OPTIONS] -p PID[,PID...] [COMMAND [ARG...]]\n\nOptions:\n");
    let row = |o: &OptSpec| {
        let mut names = Vec::new();
        if let Some(c) = o.short {
            names.push(format!("-{c}"));
        }
        if let Some(l) = o.long {
            names.push(format!("--{l}"));
        }
        let mut left = names.join(", ");
        if let Some(v) = o.value {
            if !v.starts_with('[') {
                left.push(' ');
            }
            left.push_str(v);
        }
        (left, o.help)
    };
    let rows: Vec<(String, &str)> = OPTIONS
        .iter()
        .filter(|o| o.id != Opt::NotYet)
        .map(row)
        .collect();
    let later: Vec<(String, &str)> = OPTIONS
        .iter()
        .filter(|o| o.id == Opt::NotYet)
        .map(row)
        .collect();
    // Names longer than the column get their help on the next line.
    let width = rows
        .iter()
        .chain(&later)
        .map(|(l, _)| l.len())
        .filter(|&n| n <= 32)
        .max()
        .unwrap_or(0);
    let line = |s: &mut String, left: &str, help: &str| {
        if left.len() > width {
            let _ = writeln!(s, "  {left}\n  {:width$}  {help}", "");
        } else {
            let _ = writeln!(s, "  {left:<width$}  {help}");
        }
    };
    for (left, help) in rows {
        line(&mut s, &left, help);
    }
    s.push_str("\nstrace options not supported yet:\n");
    for (left, help) in later {
        line(&mut s, &left, help);
    }
    s.push_str("\nOutput follows strace's format; see README.md for what differs.\n");
    s
}

/// Escapes text for roff.
fn roff(text: &str) -> String {
    let t = text.replace('\\', "\\e").replace('-', "\\-");
    if t.starts_with('.') || t.starts_with('\'') {
        format!("\\&{t}")
    } else {
        t
    }
}

/// The manual page (roff, `man 1`), generated from [`OPTIONS`].
pub fn man() -> String {
    let mut s = String::new();
    s.push_str(".TH PTRAIL 1 \"\" \"ptrail ");
    s.push_str(env!("CARGO_PKG_VERSION"));
    s.push_str("\" \"User Commands\"\n");
    s.push_str(".SH NAME\nptrail \\- trace system calls and signals, strace\\-compatible, with exact job control\n");
    s.push_str(".SH SYNOPSIS\n.B ptrail\n[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARG\\fR...]\n.br\n.B ptrail\n[\\fIOPTIONS\\fR] \\fB\\-p\\fR \\fIPID\\fR[,\\fIPID\\fR...] [\\fICOMMAND\\fR [\\fIARG\\fR...]]\n");
    s.push_str(".SH DESCRIPTION\nptrail runs COMMAND (or attaches to running processes) and prints every system call \
                it makes, every signal it receives and how it ends, in the format of strace(1). \
                A process stopped by job control stays stopped and ptrail says when it continues.\n");
    s.push_str(".SH OPTIONS\n");
    for o in OPTIONS {
        s.push_str(".TP\n");
        let mut names = Vec::new();
        if let Some(c) = o.short {
            names.push(format!("\\fB\\-{c}\\fR"));
        }
        if let Some(l) = o.long {
            names.push(format!("\\fB\\-\\-{}\\fR", roff(l)));
        }
        s.push_str(&names.join(", "));
        if let Some(v) = o.value {
            if !v.starts_with('[') {
                s.push(' ');
            }
            let _ = write!(s, "\\fI{}\\fR", roff(v));
        }
        s.push('\n');
        if o.id == Opt::NotYet {
            s.push_str("(strace option, not supported yet) ");
        }
        s.push_str(&roff(o.help));
        s.push('\n');
    }
    s.push_str(".SH EXIT STATUS\nThe exit status of COMMAND; if it was killed by a signal, ptrail kills itself with the same signal. \
                Errors before tracing starts exit with status 1.\n");
    s.push_str(".SH SEE ALSO\nstrace(1), ptrace(2)\n");
    s
}

/// Shell completions for `bash`, `zsh` or `fish`, generated from [`OPTIONS`].
pub fn completions(shell: &str) -> Result<String, String> {
    let mut s = String::new();
    let words: Vec<String> = OPTIONS
        .iter()
        .flat_map(|o| {
            let short = o.short.map(|c| format!("-{c}"));
            let long = o.long.map(|l| format!("--{l}"));
            short.into_iter().chain(long)
        })
        .collect();
    match shell {
        "bash" => {
            s.push_str("# bash completion for ptrail (generated by `ptrail --completions bash`)\n");
            s.push_str("_ptrail() {\n    local cur=\"${COMP_WORDS[COMP_CWORD]}\"\n");
            s.push_str("    if [[ \"$cur\" == -* ]]; then\n        COMPREPLY=($(compgen -W \"");
            s.push_str(&words.join(" "));
            s.push_str("\" -- \"$cur\"))\n    else\n        COMPREPLY=($(compgen -c -- \"$cur\"))\n    fi\n}\n");
            s.push_str("complete -F _ptrail -o default ptrail\n");
        }
        "zsh" => {
            s.push_str("#compdef ptrail\n# zsh completion for ptrail (generated by `ptrail --completions zsh`)\n");
            s.push_str("_arguments -s -S \\\n");
            for o in OPTIONS {
                let help = o
                    .help
                    .replace('\'', "'\\''")
                    .replace('[', "\\[")
                    .replace(']', "\\]")
                    .replace(':', "\\:");
                let arg = match o.value {
                    Some(v) if !v.starts_with('[') => format!(":{}:_default", v.to_lowercase()),
                    _ => String::new(),
                };
                if let Some(c) = o.short {
                    let _ = writeln!(s, "  '-{c}[{help}]{arg}' \\");
                }
                if let Some(l) = o.long {
                    let eq = if o.value.is_some_and(|v| v.starts_with('[')) {
                        "=-"
                    } else {
                        ""
                    };
                    let _ = writeln!(s, "  '--{l}{eq}[{help}]{arg}' \\");
                }
            }
            s.push_str("  '*::command:_normal'\n");
        }
        "fish" => {
            s.push_str("# fish completion for ptrail (generated by `ptrail --completions fish`)\n");
            for o in OPTIONS {
                let mut line = String::from("complete -c ptrail");
                if let Some(c) = o.short {
                    let _ = write!(line, " -s {c}");
                }
                if let Some(l) = o.long {
                    let _ = write!(line, " -l {l}");
                }
                if o.value.is_some_and(|v| !v.starts_with('[')) {
                    line.push_str(" -r");
                }
                let _ = write!(line, " -d '{}'", o.help.replace('\'', "\\'"));
                s.push_str(&line);
                s.push('\n');
            }
        }
        other => {
            return Err(format!(
                "--completions: unknown shell '{other}' (bash, zsh or fish)"
            ))
        }
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn man_page_and_completions_list_every_option() {
        let man = man();
        let bash = completions("bash").unwrap();
        let zsh = completions("zsh").unwrap();
        let fish = completions("fish").unwrap();
        let bash_words: Vec<&str> = bash.split([' ', '"']).collect();
        for o in OPTIONS {
            if let Some(c) = o.short {
                assert!(man.contains(&format!("\\fB\\-{c}\\fR")), "man: -{c}");
                assert!(bash_words.contains(&format!("-{c}").as_str()), "bash: -{c}");
                assert!(zsh.contains(&format!("'-{c}[")), "zsh: -{c}");
                assert!(fish.contains(&format!(" -s {c}")), "fish: -{c}");
            }
            if let Some(l) = o.long {
                assert!(
                    man.contains(&format!("\\-\\-{}\\fR", roff(l))),
                    "man: --{l}"
                );
                assert!(
                    bash_words.contains(&format!("--{l}").as_str()),
                    "bash: --{l}"
                );
                assert!(zsh.contains(&format!("'--{l}")), "zsh: --{l}");
                assert!(fish.contains(&format!(" -l {l} ")), "fish: --{l}");
            }
        }
        assert!(completions("tcsh").is_err());
    }

    #[test]
    fn timing_options() {
        let o = run(&["-tt", "-T", "-r", "-i", "true"]);
        assert_eq!(o.timing.absolute, TimeFormat::Time);
        assert_eq!(o.timing.absolute_precision, Precision::Us);
        assert_eq!(o.timing.syscall_times, Some(Precision::Us));
        assert!(o.timing.ip && o.timing.relative.is_some());
        let o = run(&[
            "--absolute-timestamps=format:unix,precision:ns",
            "--syscall-times=ms",
            "true",
        ]);
        assert_eq!(
            (o.timing.absolute, o.timing.absolute_precision),
            (TimeFormat::Unix, Precision::Ns)
        );
        assert_eq!(o.timing.syscall_times, Some(Precision::Ms));
        let o = run(&["--timestamps=ms", "true"]);
        assert_eq!(
            (o.timing.absolute, o.timing.absolute_precision),
            (TimeFormat::Time, Precision::Ms)
        );
        assert!(parse(["-t", "--timestamps=ns", "true"]).is_err());
        assert!(parse(["--absolute-timestamps=bogus", "true"]).is_err());
        assert!(parse(["-c", "-C", "true"]).is_err());
        let o = run(&["-c", "-S", "calls", "-U", "name,calls", "-w", "true"]);
        assert_eq!(
            (o.summary, o.wall_clock, o.sort_by),
            (1, true, Some(SortBy::Calls))
        );
        assert_eq!(o.columns, Some(vec![Column::Name, Column::Calls]));
        let o = run(&["-yy", "--json", "--color=always", "true"]);
        assert_eq!((o.decode_fds, o.json, o.color), (2, true, Some(true)));
    }

    fn run(args: &[&str]) -> Options {
        match parse(args.iter().copied()) {
            Ok(Request::Run(o)) => o,
            other => panic!("{args:?}: {other:?}"),
        }
    }

    #[test]
    fn bundles_like_strace() {
        let o = run(&["-fffo", "x", "ls", "-l"]);
        assert_eq!(o.follow, 3);
        assert_eq!(o.output, Some(PathBuf::from("x")));
        assert_eq!(o.command, vec![OsString::from("ls"), OsString::from("-l")]);
        let o = run(&["-s64", "-xx", "-qq", "-a", "20", "true"]);
        assert_eq!(
            (o.string_limit, o.hex, o.quiet, o.column),
            (Some(64), 2, 2, Some(20))
        );
        let o = run(&["-ff", "-o", "x", "true"]);
        assert_eq!(o.follow, 2);
    }

    #[test]
    fn pid_lists() {
        let o = run(&["-p", "1,2", "-p", "3 4", "-p5"]);
        assert_eq!(o.pids, vec![1, 2, 3, 4, 5]);
        for bad in ["x", "0", "-3", "2x"] {
            let err = parse(["-p", bad]).unwrap_err();
            assert!(err.starts_with("Invalid process id: '"), "{err}");
        }
    }

    #[test]
    fn stops_at_the_command() {
        let o = run(&["-f", "sh", "-c", "-f"]);
        assert_eq!(o.follow, 1);
        assert_eq!(o.command.len(), 3);
    }

    #[test]
    fn errors() {
        assert_eq!(parse(["-j"]).unwrap_err(), "invalid option -- 'j'");
        assert!(parse(["-k", "true"])
            .unwrap_err()
            .starts_with("-k: not supported yet"));
        assert!(parse(["--stack-traces", "true"])
            .unwrap_err()
            .starts_with("--stack-traces: not supported yet"));
        assert_eq!(parse(["-s", "x"]).unwrap_err(), "invalid -s argument: 'x'");
        assert_eq!(parse(["-I", "9"]).unwrap_err(), "invalid -I argument: '9'");
        assert!(parse(["-s", "1073741823", "true"]).is_ok());
        assert_eq!(
            parse(["-s", "1073741824"]).unwrap_err(),
            "invalid -s argument: '1073741824'"
        );
        assert_eq!(
            parse(["-a", "2147483648"]).unwrap_err(),
            "invalid -a argument: '2147483648'"
        );
        assert!(parse(["-o"]).unwrap_err().contains("requires an argument"));
    }

    #[test]
    fn help_lists_every_option() {
        let h = help();
        for o in OPTIONS {
            assert!(h.contains(o.help));
        }
    }
}
