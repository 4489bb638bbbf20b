//! Timestamps and durations in strace's forms: `-t`/`-tt`/`-ttt`
//! (`--absolute-timestamps`), `-r` (`--relative-timestamps`), `-T`
//! (`--syscall-times`) and `-i` (`--instruction-pointer`).
//!
//! Lines start with `[pid N] `, then the absolute time (`20:28:29.337442 `),
//! then the relative one (`     0.000741 `, or `(+     0.000741) ` after an
//! absolute time), then `[00007f3aee3374e7] `; `-T` appends ` <0.000015>`
//! after the return value.

use crate::Meta;
use ptrail_decode::Line;
use std::fmt::Write as _;

/// How many digits follow the seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    /// Whole seconds.
    S,
    /// Milliseconds (3 digits).
    Ms,
    /// Microseconds (6 digits).
    Us,
    /// Nanoseconds (9 digits).
    Ns,
}

impl Precision {
    /// Parses `s`, `ms`, `us`, `ns`.
    pub fn parse(text: &str) -> Option<Precision> {
        Some(match text {
            "s" => Precision::S,
            "ms" => Precision::Ms,
            "us" => Precision::Us,
            "ns" => Precision::Ns,
            _ => return None,
        })
    }

    fn digits(self) -> usize {
        match self {
            Precision::S => 0,
            Precision::Ms => 3,
            Precision::Us => 6,
            Precision::Ns => 9,
        }
    }
}

/// The absolute timestamp's form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeFormat {
    /// None (the default).
    None,
    /// Local time of day, `20:28:29`.
    Time,
    /// Seconds since the epoch, `1795897709`.
    Unix,
}

/// The timing options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// `-t` and its variants.
    pub absolute: TimeFormat,
    /// Digits of the absolute time.
    pub absolute_precision: Precision,
    /// `-r`: time since the previous line.
    pub relative: Option<Precision>,
    /// `-T`: time spent in each syscall.
    pub syscall_times: Option<Precision>,
    /// `-i`: the instruction pointer.
    pub ip: bool,
    /// Seconds east of UTC, for [`TimeFormat::Time`].
    pub utc_offset: i64,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            absolute: TimeFormat::None,
            absolute_precision: Precision::S,
            relative: None,
            syscall_times: None,
            ip: false,
            utc_offset: 0,
        }
    }
}

impl Timing {
    /// Whether any line prefix is printed.
    pub fn prefixes(&self) -> bool {
        self.absolute != TimeFormat::None || self.relative.is_some() || self.ip
    }

    /// Whether events need a clock reading.
    pub fn needs_clock(&self) -> bool {
        self.absolute != TimeFormat::None || self.relative.is_some() || self.syscall_times.is_some()
    }

    /// Appends the line prefix for an event at `meta`; `last_ns` is the time
    /// of the previous line (for `-r`), updated.
    pub fn write_prefix(&self, out: &mut Line, meta: &Meta, last_ns: &mut u64) {
        let now = meta.time_ns;
        match self.absolute {
            TimeFormat::None => {}
            TimeFormat::Time => {
                let secs = (now / 1_000_000_000) as i64 + self.utc_offset;
                let day = secs.rem_euclid(86_400);
                let _ = write!(
                    out,
                    "{:02}:{:02}:{:02}",
                    day / 3600,
                    day / 60 % 60,
                    day % 60
                );
                write_frac(out, now % 1_000_000_000, self.absolute_precision);
                out.push(' ');
            }
            TimeFormat::Unix => {
                let _ = write!(out, "{}", now / 1_000_000_000);
                write_frac(out, now % 1_000_000_000, self.absolute_precision);
                out.push(' ');
            }
        }
        if let Some(p) = self.relative {
            let delta = if *last_ns == 0 {
                0
            } else {
                now.saturating_sub(*last_ns)
            };
            *last_ns = now;
            let paren = self.absolute != TimeFormat::None;
            out.push_str(if paren { "(+" } else { "" });
            let _ = write!(out, "{:6}", delta / 1_000_000_000);
            write_frac(out, delta % 1_000_000_000, p);
            out.push_str(if paren { ") " } else { " " });
        }
        if self.ip {
            match meta.ip {
                Some(ip) => {
                    let _ = write!(out, "[{ip:016x}] ");
                }
                None => out.push_str("[????????????????] "),
            }
        }
    }

    /// Appends ` <0.000015>` for `-T` if the duration is known.
    #[inline]
    pub fn write_duration(&self, out: &mut Line, meta: &Meta) {
        if let (Some(p), Some(d)) = (self.syscall_times, meta.duration_ns) {
            write_duration(out, d, p);
        }
    }
}

/// ` <0.000015>`: `d` nanoseconds with `p`'s digits.
fn write_duration(out: &mut Line, d: u64, p: Precision) {
    let _ = write!(out, " <{}", d / 1_000_000_000);
    write_frac(out, d % 1_000_000_000, p);
    out.push('>');
}

/// `.NNN` with the precision's digits (truncated), nothing for seconds.
pub fn write_frac(out: &mut Line, ns: u64, p: Precision) {
    let digits = p.digits();
    if digits == 0 {
        return;
    }
    let value = ns / 10u64.pow(9 - digits as u32);
    let _ = write!(out, ".{value:0digits$}");
}

/// The local time zone's offset from UTC at `now` (seconds since the
/// epoch), from `$TZ` or `/etc/localtime` (TZif files); 0 if unknown.
/// Read once at startup, not per event.
pub fn local_utc_offset(now: i64) -> i64 {
    let path = match std::env::var("TZ") {
        Ok(tz) if !tz.is_empty() => {
            let tz = tz.trim_start_matches(':');
            if tz.starts_with('/') {
                tz.to_owned()
            } else {
                format!("/usr/share/zoneinfo/{tz}")
            }
        }
        _ => "/etc/localtime".to_owned(),
    };
    std::fs::read(path)
        .ok()
        .and_then(|data| tzif_offset(&data, now))
        .unwrap_or(0)
}

/// The UTC offset a TZif file gives for `now`: that of the last transition
/// not after `now` (the POSIX rule of the footer is not evaluated).
fn tzif_offset(d: &[u8], now: i64) -> Option<i64> {
    let be32 =
        |o: usize| -> Option<u32> { Some(u32::from_be_bytes(d.get(o..o + 4)?.try_into().ok()?)) };
    let be64 =
        |o: usize| -> Option<i64> { Some(i64::from_be_bytes(d.get(o..o + 8)?.try_into().ok()?)) };
    let header = |at: usize| -> Option<[usize; 6]> {
        if d.get(at..at + 4)? != b"TZif" {
            return None;
        }
        let mut c = [0usize; 6];
        for (i, v) in c.iter_mut().enumerate() {
            *v = be32(at + 20 + 4 * i)? as usize;
        }
        Some(c) // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
    };
    let [isut, isstd, leap, timecnt, typecnt, charcnt] = header(0)?;
    let version = *d.get(4)?;
    let (at, width, [_, _, _, timecnt, typecnt, _]) = if version >= b'2' {
        let v2 = 44 + timecnt * 5 + typecnt * 6 + charcnt + leap * 8 + isstd + isut;
        (v2, 8, header(v2)?)
    } else {
        (0, 4, [isut, isstd, leap, timecnt, typecnt, charcnt])
    };
    if typecnt == 0 {
        return None;
    }
    let times = at + 44;
    let idx = times + timecnt * width;
    let types = idx + timecnt;
    let mut ty = 0usize;
    for i in 0..timecnt {
        let t = if width == 8 {
            be64(times + 8 * i)?
        } else {
            be32(times + 4 * i)? as i32 as i64
        };
        if t > now {
            break;
        }
        ty = *d.get(idx + i)? as usize;
    }
    Some(be32(types + 6 * ty)? as i32 as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(ns: u64) -> Meta {
        Meta {
            time_ns: ns,
            ..Meta::default()
        }
    }

    #[test]
    fn strace_forms() {
        let t = Timing {
            absolute: TimeFormat::Time,
            absolute_precision: Precision::Us,
            relative: Some(Precision::Us),
            ip: true,
            ..Timing::default()
        };
        let mut s = Line::new();
        let mut last = 0;
        let ns = 1_795_897_709_337_442_123u64;
        t.write_prefix(&mut s, &meta(ns), &mut last);
        let mut m = meta(ns + 741_000);
        m.ip = Some(0x7f3a_ee33_74e7);
        t.write_prefix(&mut s, &m, &mut last);
        assert_eq!(
            s,
            "20:28:29.337442 (+     0.000000) [????????????????] \
             20:28:29.338183 (+     0.000741) [00007f3aee3374e7] "
        );
        let t = Timing {
            absolute: TimeFormat::Unix,
            absolute_precision: Precision::Ms,
            syscall_times: Some(Precision::Ns),
            ..Timing::default()
        };
        s.clear();
        t.write_prefix(&mut s, &meta(ns), &mut last);
        let mut m = meta(0);
        m.duration_ns = Some(15_000);
        t.write_duration(&mut s, &m);
        assert_eq!(s, "1795897709.337  <0.000015000>");
    }
}
