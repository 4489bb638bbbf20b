//! Decoders for i386-only calls (or i386 layouts of shared calls):
//! mmap2 and the old mmap, _llseek and the stat64 family. Calls whose
//! x86_64 decoder is layout-neutral are reused through the table.

use super::ulong;
use crate::ctx::{flags, le32, xval, Ctx};
use crate::family::mem::{map_flags, prot};
use crate::family::stat::stat64_bytes;
use crate::tables::xlat::*;
use crate::value::Value;

pub(crate) fn mmap2(c: &mut Ctx<'_>) {
    if c.entering() {
        let v = vec![
            c.addr(0),
            ulong(c, 1),
            prot(c.arg(2)),
            map_flags(c.arg(3)),
            c.fd(4),
            Value::Hex(c.arg(5).wrapping_mul(4096)),
        ];
        c.args.extend(v);
    } else {
        c.ret_hex();
    }
}

/// The old i386 mmap: its six arguments are in a struct.
pub(crate) fn mmap(c: &mut Ctx<'_>) {
    if c.entering() {
        let v = match c.read_bytes(c.arg(0), 24) {
            Some(b) => {
                let a = |i: usize| le32(&b, i * 4) as u64;
                vec![
                    Value::Addr(a(0)),
                    Value::UInt(a(1)),
                    prot(a(2)),
                    map_flags(a(3)),
                    Value::Fd(a(4) as i32),
                    Value::Hex(a(5)),
                ]
            }
            None => vec![c.addr(0)],
        };
        c.args.extend(v);
    } else {
        c.ret_hex();
    }
}

pub(crate) fn _llseek(c: &mut Ctx<'_>) {
    if c.entering() {
        let off = (c.arg(1) << 32 | c.arg(2)) as i64;
        let v = vec![c.fd(0), Value::Int(off)];
        c.args.extend(v);
        c.defer();
    } else {
        let a = c.arg(3);
        let r = if c.failed() || a == 0 {
            Value::Addr(a)
        } else {
            match c.read_u64(a) {
                Some(v) => Value::Array {
                    items: vec![Value::Int(v as i64)],
                    more: false,
                },
                None => Value::Unavailable(a),
            }
        };
        c.push(r);
        c.push(xval(SEEK, c.arg(4), "SEEK_???"));
    }
}

fn out_stat64(c: &mut Ctx<'_>, i: usize) {
    let v = c.out_struct(i, 96, stat64_bytes);
    c.push(v);
}

pub(crate) fn stat64(c: &mut Ctx<'_>) {
    if c.entering() {
        let p = c.path(0);
        c.push(p);
        c.defer();
    } else {
        out_stat64(c, 1);
    }
}
pub(crate) use stat64 as lstat64;

pub(crate) fn fstat64(c: &mut Ctx<'_>) {
    if c.entering() {
        c.push(c.fd(0));
        c.defer();
    } else {
        out_stat64(c, 1);
    }
}

pub(crate) fn fstatat64(c: &mut Ctx<'_>) {
    if c.entering() {
        let v = vec![c.dirfd(0), c.path(1)];
        c.args.extend(v);
        c.defer();
    } else {
        out_stat64(c, 2);
        c.push(flags(AT_FLAGS, c.arg(3), "AT_???"));
    }
}

/// A 32-bit struct timespec (old i386 time_t).
fn timespec32_at(c: &Ctx<'_>, addr: u64) -> Value {
    c.struct_at(addr, 8, |_, b| {
        crate::ctx::st(vec![
            ("tv_sec", Value::Int(le32(b, 0) as i32 as i64)),
            ("tv_nsec", Value::Int(le32(b, 4) as i32 as i64)),
        ])
    })
}

fn clk(c: &Ctx<'_>) -> Value {
    crate::family::time::clockid(c.int(0))
}

pub(crate) fn clock_gettime(c: &mut Ctx<'_>) {
    if c.entering() {
        c.push(clk(c));
        c.defer();
    } else {
        let v = if c.failed() {
            c.addr(1)
        } else {
            timespec32_at(c, c.arg(1))
        };
        c.push(v);
    }
}
pub(crate) use clock_gettime as clock_getres;

pub(crate) fn clock_settime(c: &mut Ctx<'_>) {
    if c.entering() {
        let v = vec![clk(c), timespec32_at(c, c.arg(1))];
        c.args.extend(v);
    }
}

fn rem32(c: &Ctx<'_>, i: usize) -> Value {
    let a = c.arg(i);
    if a != 0 && c.failed() {
        timespec32_at(c, a)
    } else {
        Value::Addr(a)
    }
}

pub(crate) fn nanosleep(c: &mut Ctx<'_>) {
    if c.entering() {
        c.push(timespec32_at(c, c.arg(0)));
        c.defer();
    } else {
        let v = rem32(c, 1);
        c.push(v);
    }
}

pub(crate) fn clock_nanosleep(c: &mut Ctx<'_>) {
    if c.entering() {
        let v = vec![
            clk(c),
            flags(TIMER_FLAGS, c.arg(1), "TIMER_???"),
            timespec32_at(c, c.arg(2)),
        ];
        c.args.extend(v);
        c.defer();
    } else {
        let v = rem32(c, 3);
        c.push(v);
    }
}
