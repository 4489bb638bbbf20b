//! The value grammars of `-e` qualifiers: syscall sets (names, numbers,
//! `%class`, `/regex`, `?optional`, `!` negation, `all`/`none`), signal
//! sets, descriptor sets, keyword sets (status=, quiet=), and the
//! `inject=`/`fault=` tampering specifications with their `when=` ranges.
//!
//! Everything is resolved at parse time into fixed-size bit tables indexed
//! by syscall number, so the per-syscall checks of the tracing hot path are
//! a couple of shifts and masks.

use ptrail_decode::{
    classes, errno_name, signal_number, syscall_class, syscall_list, syscall_number, Abi,
};
use std::time::Duration;

/// The ABIs a syscall set covers, in table order.
pub const ABIS: [Abi; 3] = [Abi::X86_64, Abi::I386, Abi::X32];
/// Syscall numbers per ABI held in the bit tables.
const NRS: usize = 1024;
const WORDS: usize = NRS / 64;
const X32_BIT: u64 = 1 << 30;

/// A set of syscalls of every ABI.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SysSet {
    bits: [[u64; WORDS]; 3],
    /// Whether numbers beyond the tables (unknown syscalls) are in the set.
    rest: bool,
}

impl std::fmt::Debug for SysSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n: u32 = self.bits.iter().flatten().map(|w| w.count_ones()).sum();
        write!(f, "SysSet({n} numbers, rest: {})", self.rest)
    }
}

impl Default for SysSet {
    fn default() -> Self {
        SysSet::NONE
    }
}

fn abi_index(abi: Abi) -> usize {
    match abi {
        Abi::X86_64 => 0,
        Abi::I386 => 1,
        Abi::X32 => 2,
    }
}

impl SysSet {
    /// No syscall.
    pub const NONE: SysSet = SysSet {
        bits: [[0; WORDS]; 3],
        rest: false,
    };
    /// Every syscall.
    pub const ALL: SysSet = SysSet {
        bits: [[u64::MAX; WORDS]; 3],
        rest: true,
    };

    /// Whether syscall `nr` of `abi` is in the set (the hot-path check).
    #[inline]
    pub fn contains(&self, abi: Abi, nr: u64) -> bool {
        let n = if abi == Abi::X32 { nr & !X32_BIT } else { nr } as usize;
        match self.bits[abi_index(abi)].get(n / 64) {
            Some(w) => w & (1 << (n % 64)) != 0,
            None => self.rest,
        }
    }

    fn insert(&mut self, abi: Abi, nr: u64) {
        let n = if abi == Abi::X32 { nr & !X32_BIT } else { nr } as usize;
        if n < NRS {
            self.bits[abi_index(abi)][n / 64] |= 1 << (n % 64);
        }
    }

    /// Takes syscall `nr` of `abi` out of the set.
    pub fn remove(&mut self, abi: Abi, nr: u64) {
        let n = if abi == Abi::X32 { nr & !X32_BIT } else { nr } as usize;
        if n < NRS {
            self.bits[abi_index(abi)][n / 64] &= !(1 << (n % 64));
        }
    }

    fn invert(&mut self) {
        for w in self.bits.iter_mut().flatten() {
            *w = !*w;
        }
        self.rest = !self.rest;
    }

    /// The syscalls in either set.
    pub fn union(&self, other: &SysSet) -> SysSet {
        let mut out = *self;
        for (a, b) in out
            .bits
            .iter_mut()
            .flatten()
            .zip(other.bits.iter().flatten())
        {
            *a |= b;
        }
        out.rest |= other.rest;
        out
    }

    /// Whether every syscall is in the set.
    pub fn is_all(&self) -> bool {
        *self == SysSet::ALL
    }

    /// Whether no syscall is in the set.
    pub fn is_empty(&self) -> bool {
        *self == SysSet::NONE
    }

    /// The known syscall numbers of `abi` in the set (x32 with bit 30).
    pub fn numbers(&self, abi: Abi) -> Vec<u64> {
        let base = if abi == Abi::X32 { X32_BIT } else { 0 };
        syscall_list(abi)
            .map(|(nr, _)| nr | base)
            .filter(|&nr| self.contains(abi, nr))
            .collect()
    }
}

/// `%name` classes (and the old names without `%` that strace still takes).
fn class_bits(name: &str, legacy: bool) -> Option<u32> {
    let bits = match name {
        "file" => classes::FILE,
        "desc" => classes::DESC,
        "process" => classes::PROCESS,
        "network" => classes::NETWORK,
        "signal" => classes::SIGNAL,
        "ipc" => classes::IPC,
        "memory" => classes::MEMORY,
        _ if legacy => return None,
        "net" => classes::NETWORK,
        "creds" => classes::CREDS,
        "clock" => classes::CLOCK,
        "stat" => classes::STAT,
        "lstat" => classes::LSTAT,
        "fstat" => classes::FSTAT,
        "%stat" => classes::STAT_LIKE,
        "statfs" => classes::STATFS,
        "fstatfs" => classes::FSTATFS,
        "%statfs" => classes::STATFS_LIKE,
        "pure" => classes::PURE,
        _ => return None,
    };
    Some(bits)
}

fn add_class(set: &mut SysSet, bits: u32) {
    for abi in ABIS {
        for (nr, _) in syscall_list(abi) {
            if syscall_class(abi, nr) & bits != 0 {
                set.insert(abi, nr);
            }
        }
    }
}

fn add_name(set: &mut SysSet, name: &str) -> bool {
    let mut found = false;
    for abi in ABIS {
        for (nr, n) in syscall_list(abi) {
            if n == name {
                set.insert(abi, nr);
                found = true;
            }
        }
    }
    found
}

fn add_number(set: &mut SysSet, text: &str) -> bool {
    let Ok(nr) = text.parse::<u64>() else {
        return false;
    };
    let mut found = false;
    for abi in ABIS {
        let len = syscall_list(abi).map(|(n, _)| n + 1).max().unwrap_or(0);
        if nr < len {
            set.insert(abi, nr);
            found = true;
        }
    }
    found
}

/// A one-line reason for a bad regular expression, in the words of the
/// POSIX regcomp messages strace passes on.
fn regex_reason(pattern: &str) -> &'static str {
    let (mut parens, mut brackets) = (0i32, false);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '[' if !brackets => brackets = true,
            ']' if brackets => brackets = false,
            '(' if !brackets => parens += 1,
            ')' if !brackets => parens -= 1,
            _ => {}
        }
    }
    if brackets {
        "Unmatched [, [^, [:, [., or [="
    } else if parens > 0 {
        "Unmatched ( or \\("
    } else if parens < 0 {
        "Unmatched ) or \\)"
    } else {
        "Invalid regular expression"
    }
}

fn add_regex(set: &mut SysSet, pattern: &str) -> Result<bool, String> {
    let re = regex::Regex::new(pattern)
        .map_err(|_| format!("regcomp: {pattern}: {}", regex_reason(pattern)))?;
    let mut found = false;
    for abi in ABIS {
        for (nr, name) in syscall_list(abi) {
            if re.is_match(name) {
                set.insert(abi, nr);
                found = true;
            }
        }
    }
    Ok(found)
}

/// Strips strace's leading `!`s (each one toggles negation).
fn negation(value: &str) -> (bool, &str) {
    let mut rest = value;
    let mut invert = false;
    while let Some(r) = rest.strip_prefix('!') {
        invert = !invert;
        rest = r;
    }
    (invert, rest)
}

/// Parses a syscall set as `-e trace=` takes it.
pub fn parse_syscall_set(value: &str) -> Result<SysSet, String> {
    let bad = |tok: &str| format!("invalid system call '{tok}'");
    let (invert, list) = negation(value);
    if list.is_empty() {
        return Err(bad(value));
    }
    let mut set = SysSet::NONE;
    if list != "none" {
        for token in list.split(',').filter(|t| !t.is_empty()) {
            if token == "all" {
                set = SysSet::ALL;
                continue;
            }
            let (optional, name) = match token.strip_prefix('?') {
                Some(rest) => (true, rest),
                None => (false, token),
            };
            let found = if let Some(pattern) = name.strip_prefix('/') {
                add_regex(&mut set, pattern)?
            } else if let Some(class) = name.strip_prefix('%') {
                match class_bits(class, false) {
                    Some(bits) => {
                        add_class(&mut set, bits);
                        true
                    }
                    None => false,
                }
            } else if name.bytes().all(|b| b.is_ascii_digit()) && !name.is_empty() {
                add_number(&mut set, name)
            } else if add_name(&mut set, name) {
                true
            } else if let Some(bits) = class_bits(name, true) {
                add_class(&mut set, bits);
                true
            } else {
                false
            };
            if !found && !optional {
                return Err(bad(token));
            }
        }
    }
    if invert {
        set.invert();
    }
    Ok(set)
}

/// The highest signal number.
pub const SIGMAX: i32 = 64;

/// A set of signals, bit N for signal N.
pub type SigSet = u128;

/// All signals.
pub const ALL_SIGNALS: SigSet = (1u128 << (SIGMAX + 1)) - 2;

fn signal_of(token: &str) -> Option<i32> {
    if let Ok(n) = token.parse::<i32>() {
        return (1..=SIGMAX).contains(&n).then_some(n);
    }
    let upper = token.to_ascii_uppercase();
    signal_number(&upper).filter(|&n| n <= SIGMAX)
}

/// Parses a signal set (`-e signal=`).
pub fn parse_signal_set(value: &str) -> Result<SigSet, String> {
    let (invert, list) = negation(value);
    let bad = |tok: &str| format!("invalid signal '{tok}'");
    if list.is_empty() {
        return Err(bad(value));
    }
    let mut set: SigSet = 0;
    if list == "all" {
        set = ALL_SIGNALS;
    } else if list != "none" {
        for token in list.split(',').filter(|t| !t.is_empty()) {
            match signal_of(token) {
                Some(n) => set |= 1 << n,
                None => return Err(bad(token)),
            }
        }
    }
    Ok(if invert { !set & ALL_SIGNALS } else { set })
}

/// A signal by name or number, for `signal=` of inject.
pub fn parse_signal(token: &str) -> Option<i32> {
    signal_of(token)
}

/// Parses a set of keywords (`status=`, `quiet=`): bit i for `words[i]`;
/// aliases share a bit. `all` and `none` only stand alone.
pub fn parse_keyword_set(
    value: &str,
    words: &[(&str, u32)],
    what: &str,
    allow_all: bool,
) -> Result<u32, String> {
    let (invert, list) = negation(value);
    let bad = |tok: &str| format!("invalid {what} '{tok}'");
    if list.is_empty() {
        return Err(bad(value));
    }
    let every = words.iter().fold(0, |a, (_, b)| a | b);
    let mut set = 0;
    if list == "all" && allow_all {
        set = every;
    } else if list != "none" {
        for token in list.split(',').filter(|t| !t.is_empty()) {
            match words.iter().find(|(w, _)| *w == token) {
                Some((_, bit)) => set |= bit,
                None => return Err(bad(token)),
            }
        }
    }
    Ok(if invert { !set & every } else { set })
}

/// A set of file descriptors (`-e read=`, `-e write=`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FdSet {
    /// The listed descriptors.
    pub fds: Vec<i32>,
    /// The set is everything except `fds`.
    pub invert: bool,
}

impl FdSet {
    /// Whether `fd` is in the set.
    pub fn contains(&self, fd: i64) -> bool {
        (fd >= 0 && self.fds.iter().any(|&f| f as i64 == fd)) != self.invert
    }
    /// Whether no descriptor is in the set.
    pub fn is_empty(&self) -> bool {
        self.fds.is_empty() && !self.invert
    }
}

/// Parses a descriptor set.
pub fn parse_fd_set(value: &str) -> Result<FdSet, String> {
    let (invert, list) = negation(value);
    let bad = |tok: &str| format!("invalid descriptor '{tok}'");
    if list.is_empty() {
        return Err(bad(value));
    }
    let mut set = FdSet::default();
    if list == "all" {
        set.invert = true;
    } else if list != "none" {
        for token in list.split(',').filter(|t| !t.is_empty()) {
            match token.parse::<i32>() {
                Ok(fd) if fd >= 0 => set.fds.push(fd),
                _ => return Err(bad(token)),
            }
        }
    }
    if invert {
        set.invert = !set.invert;
    }
    Ok(set)
}

/// What to do to one syscall (`-e inject=`, `-e fault=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inject {
    /// `error=`: make it fail with this errno.
    pub error: Option<u16>,
    /// `retval=`: make it return this.
    pub retval: Option<u64>,
    /// `signal=`: deliver this signal on entry.
    pub signal: Option<i32>,
    /// `delay_enter=`
    pub delay_enter: Option<Duration>,
    /// `delay_exit=`
    pub delay_exit: Option<Duration>,
    /// `syscall=`: run this pure syscall instead of skipping the call
    /// (numbers for x86_64 and i386, -1 where it does not exist).
    pub syscall: Option<(i64, i64)>,
    /// `when=`: first invocation (1-based), last, step.
    pub first: u16,
    /// Last invocation injected.
    pub last: u16,
    /// Step between injected invocations.
    pub step: u16,
}

impl Inject {
    /// Whether invocation number `n` (1-based) is injected.
    pub fn applies(&self, n: u32) -> bool {
        n >= self.first as u32
            && n <= self.last as u32
            && (n - self.first as u32).is_multiple_of(self.step.max(1) as u32)
    }
    /// Whether the call is replaced (error or retval).
    pub fn tampers(&self) -> bool {
        self.error.is_some() || self.retval.is_some()
    }
}

/// strace's `when=` grammar: `first[..last][+[step]]`.
fn parse_when(text: &str) -> Option<(u16, u16, u16)> {
    let num = |s: &str, max: u32| -> Option<u16> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n: u32 = s.parse().ok()?;
        (1..=max).contains(&n).then_some(n as u16)
    };
    let (range, step) = match text.split_once('+') {
        Some((r, "")) => (r, Some(1)),
        Some((r, s)) => (r, Some(num(s, 65535)?)),
        None => (text, None),
    };
    let (first, last) = match range.split_once("..") {
        Some((f, l)) => {
            let (f, l) = (num(f, 65535)?, num(l, 65534)?);
            if l < f {
                return None;
            }
            (f, Some(l))
        }
        None => (num(range, 65535)?, None),
    };
    Some(match (last, step) {
        (None, None) => (first, first, 1),
        (None, Some(step)) => (first, u16::MAX, step),
        (Some(last), step) => (first, last, step.unwrap_or(1)),
    })
}

/// strace's time format: a decimal number with an optional unit (`s`,
/// `ms`, `us`, `ns`; microseconds by default).
pub fn parse_time(text: &str) -> Option<Duration> {
    let (num, scale) = [("ns", 1e-9), ("us", 1e-6), ("ms", 1e-3), ("s", 1.0)]
        .iter()
        .find_map(|(suffix, scale)| text.strip_suffix(suffix).map(|n| (n, *scale)))
        .unwrap_or((text, 1e-6));
    if num.is_empty() || !num.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let v: f64 = num.parse().ok()?;
    let secs = v * scale;
    (secs.is_finite() && secs < 1e9).then(|| Duration::from_secs_f64(secs))
}

fn parse_errno(text: &str) -> Option<u16> {
    if let Ok(n) = text.parse::<u32>() {
        return (1..=4095).contains(&n).then_some(n as u16);
    }
    (1..=4095u16).find(|&n| errno_name(n as i32).is_some_and(|(name, _)| name == text))
}

/// Parses `SET:opt=val:...` of `-e inject=` (`fault` = true for `-e fault=`).
/// Returns the set and the action, plus a warning to print if any.
pub fn parse_inject(value: &str, fault: bool) -> Result<(SysSet, Inject, Option<String>), String> {
    let what = if fault { "fault" } else { "inject" };
    let bad = || format!("invalid {what} argument '{value}'");
    let mut parts = value.split(':');
    let set = parse_syscall_set(parts.next().unwrap_or(""))?;
    let mut inj = Inject {
        error: None,
        retval: None,
        signal: None,
        delay_enter: None,
        delay_exit: None,
        syscall: None,
        first: 1,
        last: u16::MAX,
        step: 1,
    };
    let mut warning = None;
    for part in parts {
        let (key, val) = part.split_once('=').ok_or_else(bad)?;
        match key {
            "when" => {
                let (f, l, s) = parse_when(val).ok_or_else(bad)?;
                (inj.first, inj.last, inj.step) = (f, l, s);
            }
            "error" if inj.error.is_none() && inj.retval.is_none() => {
                inj.error = Some(parse_errno(val).ok_or_else(bad)?);
            }
            "retval" if !fault && inj.error.is_none() && inj.retval.is_none() => {
                let v = match val.parse::<u64>() {
                    Ok(v) => v,
                    Err(_) => val.parse::<i64>().map_err(|_| bad())? as u64,
                };
                if (v as i64) < 0 && (v as i64) >= -4095 {
                    warning = Some(format!(
                        "Inadvertent injection of error {} is possible for retval={v}",
                        -(v as i64)
                    ));
                }
                inj.retval = Some(v);
            }
            "signal" if !fault && inj.signal.is_none() => {
                inj.signal = Some(parse_signal(val).ok_or_else(bad)?);
            }
            "delay_enter" if !fault && inj.delay_enter.is_none() => {
                inj.delay_enter = Some(parse_time(val).ok_or_else(bad)?);
            }
            "syscall" if !fault && inj.syscall.is_none() => {
                let nr = |abi| {
                    syscall_number(abi, val)
                        .filter(|&n| syscall_class(abi, n) & classes::PURE != 0)
                        .map_or(-1, |n| n as i64)
                };
                let (x, i) = (nr(Abi::X86_64), nr(Abi::I386));
                if x < 0 && i < 0 {
                    return Err(bad());
                }
                inj.syscall = Some((x, i));
            }
            "delay_exit" if !fault && inj.delay_exit.is_none() => {
                inj.delay_exit = Some(parse_time(val).ok_or_else(bad)?);
            }
            _ => return Err(bad()),
        }
    }
    if fault && inj.error.is_none() {
        inj.error = Some(libc::ENOSYS as u16);
    }
    if inj.syscall.is_some() && !inj.tampers() {
        return Err(bad());
    }
    if !inj.tampers()
        && inj.signal.is_none()
        && inj.delay_enter.is_none()
        && inj.delay_exit.is_none()
    {
        return Err(bad());
    }
    Ok((set, inj, warning))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nr(name: &str) -> u64 {
        ptrail_decode::syscall_number(Abi::X86_64, name).unwrap()
    }

    #[test]
    fn syscall_sets() {
        let s = parse_syscall_set("open,close").unwrap();
        assert!(s.contains(Abi::X86_64, nr("close")));
        assert!(!s.contains(Abi::X86_64, nr("read")));
        let s = parse_syscall_set("!close").unwrap();
        assert!(!s.contains(Abi::X86_64, nr("close")));
        assert!(s.contains(Abi::X86_64, 5000));
        let s = parse_syscall_set("%file").unwrap();
        assert!(s.contains(Abi::X86_64, nr("openat")));
        assert!(!s.contains(Abi::X86_64, nr("read")));
        let s = parse_syscall_set("/^mm").unwrap();
        assert!(s.contains(Abi::X86_64, nr("mmap")));
        assert!(parse_syscall_set("none").unwrap().is_empty());
        assert!(parse_syscall_set("!none").unwrap().is_all());
        assert!(parse_syscall_set("close,all").unwrap().is_all());
        assert!(parse_syscall_set("?").unwrap().is_empty());
        assert!(parse_syscall_set("/").unwrap().contains(Abi::X86_64, 0));
        assert_eq!(
            parse_syscall_set("opne").unwrap_err(),
            "invalid system call 'opne'"
        );
        assert_eq!(
            parse_syscall_set("all,!close").unwrap_err(),
            "invalid system call '!close'"
        );
        assert_eq!(
            parse_syscall_set("/^(open").unwrap_err(),
            "regcomp: ^(open: Unmatched ( or \\("
        );
        assert!(parse_syscall_set("?nosuch,close").is_ok());
        assert!(parse_syscall_set("1000").is_err());
        assert!(parse_syscall_set("3").unwrap().contains(Abi::X86_64, 3));
    }

    #[test]
    fn when_ranges() {
        assert_eq!(parse_when("3"), Some((3, 3, 1)));
        assert_eq!(parse_when("3+"), Some((3, u16::MAX, 1)));
        assert_eq!(parse_when("3+2"), Some((3, u16::MAX, 2)));
        assert_eq!(parse_when("2..5"), Some((2, 5, 1)));
        assert_eq!(parse_when("2..6+2"), Some((2, 6, 2)));
        assert_eq!(parse_when("0"), None);
        assert_eq!(parse_when("3..2"), None);
        assert_eq!(parse_when("1..65535"), None);
        let (first, last, step) = parse_when("2..6+2").unwrap();
        let inj = Inject {
            first,
            last,
            step,
            ..parse_inject("close:error=EIO", false).unwrap().1
        };
        let hits: Vec<u32> = (1..10).filter(|&n| inj.applies(n)).collect();
        assert_eq!(hits, [2, 4, 6]);
    }

    #[test]
    fn injections() {
        let (_, i, _) = parse_inject("openat:error=ENOENT:when=3", false).unwrap();
        assert_eq!((i.error, i.first, i.last), (Some(2), 3, 3));
        let (_, i, _) = parse_inject("getpid", true).unwrap();
        assert_eq!(i.error, Some(libc::ENOSYS as u16));
        assert!(parse_inject("getpid", false).is_err());
        assert!(parse_inject("getpid:error=EIO:retval=1", false).is_err());
        assert!(parse_inject("getpid:retval=1", true).is_err());
        assert!(parse_inject("getppid:syscall=getpid", false).is_err());
        assert!(parse_inject("getppid:syscall=openat:error=EIO", false).is_err());
        let (_, i, _) = parse_inject("getppid:syscall=getpid:error=EIO", false).unwrap();
        assert_eq!(i.syscall, Some((39, 20)));
        let (_, i, _) = parse_inject("getpid:delay_enter=1.5ms", false).unwrap();
        assert_eq!(i.delay_enter, Some(Duration::from_micros(1500)));
        assert_eq!(
            parse_inject("openat:error=ENOENTX", false).unwrap_err(),
            "invalid inject argument 'openat:error=ENOENTX'"
        );
    }

    #[test]
    fn other_sets() {
        assert_eq!(parse_signal_set("SIGUSR1,2").unwrap(), (1 << 10) | (1 << 2));
        assert_eq!(parse_signal_set("usr1").unwrap(), 1 << 10);
        assert_eq!(parse_signal_set("!all").unwrap(), 0);
        assert_eq!(
            parse_signal_set("SIGFOO").unwrap_err(),
            "invalid signal 'SIGFOO'"
        );
        let fds = parse_fd_set("3,5").unwrap();
        assert!(fds.contains(3) && !fds.contains(4));
        assert!(parse_fd_set("all").unwrap().contains(7));
        assert_eq!(parse_fd_set("x").unwrap_err(), "invalid descriptor 'x'");
    }
}
