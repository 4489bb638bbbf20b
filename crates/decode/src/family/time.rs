//! Decoders for clocks, sleeps and timers: nanosleep, clock_*, gettimeofday,
//! time, alarm, the timerfd calls and adjtimex/clock_adjtime.

use super::{timespec_at, timespec_bytes, timeval_at, timeval_bytes};
use crate::ctx::{flags, le32, le64, lookup, st, xval, Ctx};
use crate::tables::xlat::*;
use crate::value::{RetValue, Value};

/// A clock id: `CLOCK_MONOTONIC`, or a CPU clock of a process/thread.
pub(crate) fn clockid(v: i32) -> Value {
    xval(CLOCKS, v as u32 as u64, "CLOCK_???")
}

/// An output timespec at exit: its address if the call failed.
fn out_ts(c: &Ctx<'_>, i: usize) -> Value {
    if c.failed() {
        c.addr(i)
    } else {
        timespec_at(c, c.arg(i))
    }
}

/// `rem` of a sleep: printed only when the sleep was interrupted.
fn rem(c: &Ctx<'_>, i: usize) -> Value {
    let a = c.arg(i);
    // EINTR or one of the kernel's restart codes; other errors (EINVAL,
    // EFAULT) leave it unwritten and strace prints its address.
    let interrupted = matches!(c.retval(), -4 | -512 | -513 | -514 | -516);
    if a != 0 && interrupted {
        timespec_at(c, a)
    } else {
        Value::Addr(a)
    }
}

pub(crate) fn nanosleep(c: &mut Ctx<'_>) {
    if c.entering() {
        let v = timespec_at(c, c.arg(0));
        c.push(v);
        c.defer();
    } else {
        let v = rem(c, 1);
        c.push(v);
    }
}

pub(crate) fn clock_nanosleep(c: &mut Ctx<'_>) {
    if c.entering() {
        let v = [
            clockid(c.int(0)),
            flags(TIMER_FLAGS, c.arg(1) & 0xffff_ffff, "TIMER_???"),
            timespec_at(c, c.arg(2)),
        ];
        c.args.extend(v);
        c.defer();
    } else {
        let v = rem(c, 3);
        c.push(v);
    }
}

pub(crate) fn clock_gettime(c: &mut Ctx<'_>) {
    if c.entering() {
        c.push(clockid(c.int(0)));
        c.defer();
    } else {
        let v = out_ts(c, 1);
        c.push(v);
    }
}
pub(crate) use clock_gettime as clock_getres;

pub(crate) fn clock_settime(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [clockid(c.int(0)), timespec_at(c, c.arg(1))];
        c.args.extend(v);
    }
}

pub(crate) fn gettimeofday(c: &mut Ctx<'_>) {
    if c.entering() {
        c.defer();
        return;
    }
    let tv = if c.failed() {
        c.addr(0)
    } else {
        timeval_at(c, c.arg(0))
    };
    c.push(tv);
    let tz = if c.failed() {
        c.addr(1)
    } else {
        c.struct_at(c.arg(1), 8, |_, b| {
            st(vec![
                ("tz_minuteswest", Value::Int(le32(b, 0) as i32 as i64)),
                ("tz_dsttime", Value::Int(le32(b, 4) as i32 as i64)),
            ])
        })
    };
    c.push(tz);
}

pub(crate) fn time(c: &mut Ctx<'_>) {
    if c.entering() {
        c.defer();
        return;
    }
    let a = c.arg(0);
    let v = if a == 0 || c.failed() {
        Value::Addr(a)
    } else {
        match c.read_u64(a) {
            Some(t) => Value::Array {
                items: vec![Value::Commented(
                    Box::new(Value::Int(t as i64)),
                    crate::family::stat::time_comment(t as i64, 0),
                )],
                more: false,
            },
            None => Value::Unavailable(a),
        }
    };
    c.push(v);
    if !c.failed() {
        let r = c.retval();
        c.set_ret(crate::value::RetValue::Commented(
            Box::new(crate::value::RetValue::Int(r)),
            crate::family::stat::time_comment(r, 0),
        ));
    }
}

pub(crate) fn alarm(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        c.push(Value::UInt(c.arg(0) & 0xffff_ffff));
    }
}

/// struct itimerspec.
pub(crate) fn itimerspec_at(c: &Ctx<'_>, addr: u64) -> Value {
    c.struct_at(addr, 32, |_, b| {
        st(vec![
            ("it_interval", timespec_bytes(&b[0..16])),
            ("it_value", timespec_bytes(&b[16..32])),
        ])
    })
}

pub(crate) fn timerfd_create(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            clockid(c.int(0)),
            flags(TFD_FLAGS, c.arg(1) & 0xffff_ffff, "TFD_???"),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn timerfd_settime(c: &mut Ctx<'_>) {
    if c.entering() {
        let v = [
            c.fd(0),
            flags(TFD_FLAGS, c.arg(1) & 0xffff_ffff, "TFD_???"), // strace 6.1 says TFD_???
            itimerspec_at(c, c.arg(2)),
        ];
        c.args.extend(v);
        c.defer();
    } else {
        let v = if c.failed() && c.arg(3) != 0 {
            c.addr(3)
        } else {
            itimerspec_at(c, c.arg(3))
        };
        c.push(v);
    }
}

pub(crate) fn timerfd_gettime(c: &mut Ctx<'_>) {
    if c.entering() {
        c.push(c.fd(0));
        c.defer();
    } else {
        let v = if c.failed() {
            c.addr(1)
        } else {
            itimerspec_at(c, c.arg(1))
        };
        c.push(v);
    }
}

/// Size of the x86_64 struct timex (with its reserved tail).
const TIMEX_SIZE: usize = 208;

/// A struct timex, every field (strace shows them all, with or without -v).
fn timex_bytes(b: &[u8]) -> Value {
    let long = |off: usize| Value::Int(le64(b, off) as i64);
    let int = |off: usize| Value::Int(le32(b, off) as i32 as i64);
    st(vec![
        ("modes", flags(ADJ_MODES, le32(b, 0) as u64, "ADJ_???")),
        ("offset", long(8)),
        ("freq", long(16)),
        ("maxerror", long(24)),
        ("esterror", long(32)),
        ("status", flags(STA_FLAGS, le32(b, 40) as u64, "STA_???")),
        ("constant", long(48)),
        ("precision", long(56)),
        ("tolerance", long(64)),
        ("time", timeval_bytes(&b[72..88])),
        ("tick", long(88)),
        ("ppsfreq", long(96)),
        ("jitter", long(104)),
        ("shift", int(112)),
        ("stabil", long(120)),
        ("jitcnt", long(128)),
        ("calcnt", long(136)),
        ("errcnt", long(144)),
        ("stbcnt", long(152)),
        ("tai", int(160)),
    ])
}

/// The timex argument `i` at exit (its address if the call failed) and the
/// clock state the call returned (`5 (TIME_ERROR)`).
fn timex_exit(c: &mut Ctx<'_>, i: usize) {
    let v = c.out_struct(i, TIMEX_SIZE, |_, b| timex_bytes(b));
    c.push(v);
    if !c.failed() {
        let r = c.retval();
        if let Some(name) = lookup(TIME_STATES, r as u64) {
            c.set_ret(RetValue::Commented(Box::new(RetValue::Int(r)), name.into()));
        }
    }
}

pub(crate) fn adjtimex(c: &mut Ctx<'_>) {
    if c.entering() {
        c.defer();
    } else {
        timex_exit(c, 0);
    }
}

pub(crate) fn clock_adjtime(c: &mut Ctx<'_>) {
    if c.entering() {
        c.push(clockid(c.int(0)));
        c.defer();
    } else {
        timex_exit(c, 1);
    }
}
