//! `-e` qualifier expressions and the options that filter or tamper with
//! what is traced (`-P`, `-z`/`-Z`, `--syscall-limit`).
//!
//! strace's grammar is `-e [QUALIFIER=][!]VALUE[,VALUE...]`, where a missing
//! qualifier means `trace`. [`Filter::parse_expr`] splits off the qualifier
//! and hands the value to the grammars of [`crate::qualify`]. A later
//! `-e` of the same qualifier replaces the earlier one (as in strace),
//! except `inject=`/`fault=` and `-P`, which add up.
//!
//! Everything is resolved at startup into bit tables, so the checks made
//! for every syscall ([`Filter::traces`] and friends) are cheap and do not
//! allocate.

use crate::qualify::{
    self, parse_fd_set, parse_inject, parse_keyword_set, parse_signal_set, parse_syscall_set,
    FdSet, Inject, SigSet, SysSet, ALL_SIGNALS,
};
use ptrail_decode::Abi;

/// `-e status=` bits.
pub mod status {
    /// Returned without error.
    pub const SUCCESSFUL: u32 = 1;
    /// Returned an error.
    pub const FAILED: u32 = 2;
    /// Never returned (the thread died in it, or exit/execve).
    pub const UNFINISHED: u32 = 4;
    /// Returned, but the return value could not be fetched.
    pub const UNAVAILABLE: u32 = 8;
    /// ptrail detached while it ran.
    pub const DETACHED: u32 = 16;
    /// Everything.
    pub const ALL: u32 = 31;
}

/// `-e quiet=` bits.
pub mod quiet {
    /// Attach and detach notes.
    pub const ATTACH: u32 = 1;
    /// `+++ exited with` lines.
    pub const EXIT: u32 = 2;
    /// "Requested path resolved into" notes.
    pub const PATH_RESOLUTION: u32 = 4;
    /// Personality change notes.
    pub const PERSONALITY: u32 = 8;
    /// `+++ superseded by execve` lines.
    pub const THREAD_EXECVE: u32 = 16;
}

const STATUS_WORDS: &[(&str, u32)] = &[
    ("successful", status::SUCCESSFUL),
    ("failed", status::FAILED),
    ("unfinished", status::UNFINISHED),
    ("unavailable", status::UNAVAILABLE),
    ("detached", status::DETACHED),
];

const QUIET_WORDS: &[(&str, u32)] = &[
    ("attach", quiet::ATTACH),
    ("exit", quiet::EXIT),
    ("exits", quiet::EXIT),
    ("path-resolution", quiet::PATH_RESOLUTION),
    ("personality", quiet::PERSONALITY),
    ("thread-execve", quiet::THREAD_EXECVE),
    ("superseded", quiet::THREAD_EXECVE),
];

/// Everything `-e` options (and -P, -z, -Z) selected.
#[derive(Debug, Clone)]
pub struct Filter {
    /// `-e trace=`: the syscalls shown.
    pub trace: SysSet,
    /// Whether `-e trace=` was given at all.
    pub trace_given: bool,
    /// `-e signal=`: the signals whose `--- SIG ---` lines are shown.
    pub signals: SigSet,
    /// `-e status=` (`-z`, `-Z`): which outcomes are shown.
    pub status: u32,
    /// `-e quiet=`, if given.
    pub quiet: Option<u32>,
    /// `-e abbrev=`: the syscalls printed abbreviated (all by default).
    pub abbrev: SysSet,
    /// `-e verbose=`: the syscalls whose structures are decoded.
    pub verbose: SysSet,
    /// `-e raw=`: the syscalls printed with raw hex arguments.
    pub raw: SysSet,
    /// `-e read=`: descriptors whose data read is dumped in hex.
    pub read: FdSet,
    /// `-e write=`: descriptors whose data written is dumped in hex.
    pub write: FdSet,
    /// `-e inject=` and `-e fault=`, in order (later ones win).
    pub injects: Vec<(SysSet, Inject)>,
    /// `-P PATH`, as given.
    pub paths: Vec<String>,
    /// `-e decode-fds=`, as given (decoding itself is `-y`'s job).
    pub decode_fds: Option<String>,
    /// `--syscall-limit=N`
    pub syscall_limit: Option<u64>,
    /// Warnings to print before tracing starts.
    pub warnings: Vec<String>,
}

impl Default for Filter {
    fn default() -> Self {
        Filter {
            trace: SysSet::ALL,
            trace_given: false,
            signals: ALL_SIGNALS,
            status: status::ALL,
            quiet: None,
            abbrev: SysSet::ALL,
            verbose: SysSet::ALL,
            raw: SysSet::NONE,
            read: FdSet::default(),
            write: FdSet::default(),
            injects: Vec::new(),
            paths: Vec::new(),
            decode_fds: None,
            syscall_limit: None,
            warnings: Vec::new(),
        }
    }
}

/// The qualifiers of `-e`, with strace's aliases.
const QUALIFIERS: &[&str] = &[
    "trace",
    "t",
    "abbrev",
    "a",
    "verbose",
    "v",
    "raw",
    "x",
    "signal",
    "signals",
    "s",
    "read",
    "reads",
    "r",
    "write",
    "writes",
    "w",
    "fault",
    "inject",
    "status",
    "quiet",
    "silent",
    "silence",
    "q",
    "decode-fds",
    "decode-fd",
    "decode-pids",
    "decode-pid",
    "kvm",
    "trace-fds",
    "trace-fd",
    "fd",
    "fds",
];

impl Filter {
    /// Applies one `-e EXPR`.
    pub fn parse_expr(&mut self, expr: &str) -> Result<(), String> {
        let (qualifier, value) = match expr.split_once('=') {
            Some((q, v)) if QUALIFIERS.contains(&q) => (q, v),
            _ => ("trace", expr),
        };
        self.qualify(qualifier, value)
    }

    /// Applies `QUALIFIER=VALUE` (also the long options `--trace=` ...).
    pub fn qualify(&mut self, qualifier: &str, value: &str) -> Result<(), String> {
        match qualifier {
            "trace" | "t" => {
                self.trace = parse_syscall_set(value)?;
                self.trace_given = true;
            }
            "abbrev" | "a" => self.abbrev = parse_syscall_set(value)?,
            "verbose" | "v" => self.verbose = parse_syscall_set(value)?,
            "raw" | "x" => self.raw = parse_syscall_set(value)?,
            "signal" | "signals" | "s" => self.signals = parse_signal_set(value)?,
            "read" | "reads" | "r" => self.read = parse_fd_set(value)?,
            "write" | "writes" | "w" => self.write = parse_fd_set(value)?,
            "status" => self.status = parse_keyword_set(value, STATUS_WORDS, "status", true)?,
            "quiet" | "silent" | "silence" | "q" => {
                self.quiet = Some(parse_keyword_set(value, QUIET_WORDS, "quiet", true)?)
            }
            "inject" | "fault" => {
                let (set, inj, warning) = parse_inject(value, qualifier == "fault")?;
                self.warnings.extend(warning);
                self.injects.push((set, inj));
            }
            "decode-fds" | "decode-fd" => {
                const WORDS: &[(&str, u32)] = &[
                    ("path", 1),
                    ("socket", 2),
                    ("dev", 4),
                    ("pidfd", 8),
                    ("signalfd", 16),
                ];
                parse_keyword_set(value, WORDS, "decode-fds", true)?;
                self.decode_fds = Some(value.to_owned());
            }
            other => {
                return Err(format!(
                    "-e {other}=...: this qualifier is not supported yet"
                ))
            }
        }
        Ok(())
    }

    /// `-z` / `-Z` (`successful` = true for -z).
    pub fn only_status(&mut self, successful: bool, seen_other: bool) {
        if seen_other {
            self.warnings.push(
                "Only the last of -z/--successful-only/-Z/--failed-only options will take \
                 effect. See status qualifier for more complex filters."
                    .into(),
            );
        }
        self.status = if successful {
            status::SUCCESSFUL
        } else {
            status::FAILED
        };
    }

    /// The syscall numbers to stop at when only some are traced (for a
    /// seccomp filter), or `None` when every syscall has to stop. Injected
    /// syscalls stop too, and `-P` needs every fd and path syscall.
    pub fn seccomp_filter(&self) -> Option<ptrail_engine::SeccompFilter> {
        let mut stop = self.trace;
        if stop.is_all() {
            return None;
        }
        for (set, _) in &self.injects {
            stop = stop.union(set);
        }
        if stop.is_all() {
            return None;
        }
        Some(ptrail_engine::SeccompFilter {
            x86_64: stop.numbers(Abi::X86_64),
            i386: stop.numbers(Abi::I386),
        })
    }

    /// Whether syscall `nr` is to be shown (before -P and status=).
    #[inline]
    pub fn traces(&self, abi: Abi, nr: u64) -> bool {
        self.trace.contains(abi, nr)
    }

    /// Whether the `--- SIG ---` line (and `+++ killed by SIG`) of `sig` is shown.
    #[inline]
    pub fn shows_signal(&self, sig: i32) -> bool {
        (0..=qualify::SIGMAX).contains(&sig) && self.signals & (1 << sig) != 0
    }

    /// Whether lines wait for the syscall's outcome (status= filtering).
    #[inline]
    pub fn by_status(&self) -> bool {
        self.status != status::ALL
    }

    /// The injection for syscall `nr`, if any (the last `-e inject` naming it).
    #[inline]
    pub fn inject_for(&self, abi: Abi, nr: u64) -> Option<(usize, &Inject)> {
        self.injects
            .iter()
            .enumerate()
            .rev()
            .find(|(_, (set, _))| set.contains(abi, nr))
            .map(|(i, (_, inj))| (i, inj))
    }

    /// `-e abbrev=none`: everything unabbreviated, as with `-v`.
    pub fn unabbreviated(&self) -> bool {
        self.abbrev == SysSet::NONE
    }

    /// Whether anything is dumped in hex.
    pub fn dumps(&self) -> bool {
        !self.read.is_empty() || !self.write.is_empty()
    }

    /// strace's `-q` level the `quiet=` set amounts to, combined with `-q`s.
    pub fn quiet_level(&self, q: u8) -> u8 {
        let Some(set) = self.quiet else {
            return q;
        };
        let level = if set & quiet::ATTACH == 0 {
            0
        } else if set & quiet::EXIT == 0 {
            1
        } else if set & quiet::THREAD_EXECVE == 0 {
            2
        } else {
            3
        };
        level.max(q)
    }
}

/// The `-y` level of a `decode-fds` set (checked by [`Filter::qualify`]):
/// 1 for paths only, 2 when sockets, devices or pidfds are asked for.
pub fn decode_fds_level(set: &str) -> u8 {
    let (invert, list) = set.split_at(set.len() - set.trim_start_matches('!').len());
    let level = list.split(',').fold(0, |level, word| match word {
        "none" => level,
        "path" => level.max(1),
        _ => 2,
    });
    if invert.len() % 2 == 1 {
        // Everything but these: more than paths unless only paths were excluded.
        if level == 2 {
            1
        } else {
            2
        }
    } else {
        level
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nr(name: &str) -> u64 {
        ptrail_decode::syscall_number(Abi::X86_64, name).unwrap()
    }

    #[test]
    fn qualifiers() {
        let mut f = Filter::default();
        assert!(f.traces(Abi::X86_64, nr("read")));
        f.parse_expr("trace=none").unwrap();
        assert!(!f.traces(Abi::X86_64, nr("read")));
        f.parse_expr("close").unwrap();
        assert!(f.traces(Abi::X86_64, nr("close")));
        assert!(!f.traces(Abi::X86_64, nr("read")));
        assert_eq!(
            f.parse_expr("foo=bar").unwrap_err(),
            "invalid system call 'foo=bar'"
        );
        f.parse_expr("signal=!SIGCHLD").unwrap();
        assert!(!f.shows_signal(libc::SIGCHLD) && f.shows_signal(libc::SIGINT));
        f.parse_expr("status=failed").unwrap();
        assert_eq!(f.status, status::FAILED);
        assert_eq!(
            f.parse_expr("status=foo").unwrap_err(),
            "invalid status 'foo'"
        );
        assert_eq!(
            f.parse_expr("quiet=exit,all").unwrap_err(),
            "invalid quiet 'all'"
        );
        f.parse_expr("quiet=attach,exit").unwrap();
        assert_eq!(f.quiet_level(0), 2);
        f.parse_expr("inject=read:error=EIO:when=2").unwrap();
        f.parse_expr("fault=read:when=5").unwrap();
        let (i, inj) = f.inject_for(Abi::X86_64, nr("read")).unwrap();
        assert_eq!((i, inj.first, inj.error), (1, 5, Some(libc::ENOSYS as u16)));
        assert!(f.inject_for(Abi::X86_64, nr("write")).is_none());
        f.parse_expr("decode-fds=path").unwrap();
        assert_eq!(decode_fds_level(f.decode_fds.as_deref().unwrap()), 1);
        assert_eq!(decode_fds_level("all"), 2);
        assert_eq!(decode_fds_level("none"), 0);
        assert!(f.parse_expr("decode-fds=foo").is_err());
    }

    #[test]
    fn seccomp_numbers() {
        let mut f = Filter::default();
        assert!(f.seccomp_filter().is_none());
        f.parse_expr("trace=%file").unwrap();
        let s = f.seccomp_filter().unwrap();
        assert!(s.x86_64.contains(&nr("openat")));
        assert!(!s.x86_64.contains(&nr("getppid")));
        f.parse_expr("inject=getppid:retval=1").unwrap();
        let s = f.seccomp_filter().unwrap();
        assert!(s.x86_64.contains(&nr("getppid")));
        f.parse_expr("trace=!close").unwrap();
        assert!(!f.seccomp_filter().unwrap().x86_64.contains(&nr("close")));
    }
}
