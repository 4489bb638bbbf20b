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
        let v = [
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
        let v = [c.fd(0), Value::Int(off)];
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
        let v = [c.dirfd(0), c.path(1)];
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
    c.entry_only();
    if c.entering() {
        let v = [clk(c), timespec32_at(c, c.arg(1))];
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
        let v = [
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

/// Runs decoder `f` on the same call with other argument registers (the
/// i386 argument orders and split 64-bit values that differ from x86_64's).
fn with_args(c: &mut Ctx<'_>, args: [u64; 6], f: fn(&mut Ctx<'_>)) {
    let call = crate::Call { args, ..*c.call };
    let mut inner = Ctx::new(c.opts, &call, c.mem, c.exit, c.saved_in, c.args, c.saved);
    f(&mut inner);
    let (ret, deferred, glue) = (inner.ret.take(), inner.deferred, inner.glue);
    if ret.is_some() {
        c.ret = ret;
    }
    c.deferred |= deferred;
    if glue.is_some() {
        c.glue = glue;
    }
}

/// i386 clone(flags, stack, parent_tid, tls, child_tid): x86_64 swaps the
/// last two.
pub(crate) fn clone(c: &mut Ctx<'_>) {
    let a = c.call.args;
    with_args(
        c,
        [a[0], a[1], a[2], a[4], a[3], a[5]],
        crate::family::process::clone,
    );
}

/// waitpid(pid, status, options): wait4 without the rusage argument.
pub(crate) fn waitpid(c: &mut Ctx<'_>) {
    let a = c.call.args;
    let entering = c.entering();
    with_args(
        c,
        [a[0], a[1], a[2], 0, 0, 0],
        crate::family::process::wait4,
    );
    if !entering {
        c.args.truncate(2);
    }
}

/// pread64/pwrite64: the 64-bit offset is split over two registers.
pub(crate) fn pread64(c: &mut Ctx<'_>) {
    crate::family::io::read(c);
    if !c.entering() {
        let off = (c.arg(3) | c.arg(4) << 32) as i64;
        c.push(Value::Int(off));
    }
}

/// See [`pread64`].
pub(crate) fn pwrite64(c: &mut Ctx<'_>) {
    crate::family::io::write(c);
    if c.entering() {
        let off = (c.arg(3) | c.arg(4) << 32) as i64;
        c.push(Value::Int(off));
    }
}

/// fcntl64: as fcntl, except that the lock commands (whose struct flock
/// layouts are 32-bit ones) show the structure's address.
pub(crate) fn fcntl64(c: &mut Ctx<'_>) {
    let cmd = c.arg(1) & 0xffff_ffff;
    if matches!(cmd, 5..=7 | 12..=14 | 36..=38) {
        if c.entering() {
            let f = c.fd(0);
            c.push(f);
            c.push(xval(FCNTL_CMDS, cmd, "F_???"));
            c.push(c.addr(2));
        }
        return;
    }
    crate::family::io::fcntl(c);
}

/// The socketcall subcalls ptrail decodes (those whose x86_64 decoder
/// reads nothing ABI-dependent), as (name, argument count, decoder).
type Sub = (&'static str, usize, Option<fn(&mut Ctx<'_>)>);
const SOCKETCALLS: [Sub; 21] = {
    use crate::family::net;
    [
        ("socketcall", 2, None),
        ("socket", 3, Some(net::socket)),
        ("bind", 3, Some(net::bind)),
        ("connect", 3, Some(net::connect)),
        ("listen", 2, Some(net::listen)),
        ("accept", 3, Some(net::accept)),
        ("getsockname", 3, Some(net::getsockname)),
        ("getpeername", 3, Some(net::getpeername)),
        ("socketpair", 4, Some(net::socketpair)),
        ("send", 4, Some(net::sendto)),
        ("recv", 4, Some(net::recvfrom)),
        ("sendto", 6, Some(net::sendto)),
        ("recvfrom", 6, Some(net::recvfrom)),
        ("shutdown", 2, Some(net::shutdown)),
        ("setsockopt", 5, Some(net::setsockopt)),
        ("getsockopt", 5, Some(net::getsockopt)),
        ("sendmsg", 3, None),
        ("recvmsg", 3, None),
        ("accept4", 4, Some(net::accept4)),
        ("recvmmsg", 5, None),
        ("sendmmsg", 4, None),
    ]
};

/// The name strace prints for socketcall(call, args): the subcall's.
pub(crate) fn socketcall_name(call: u64) -> Option<&'static str> {
    SOCKETCALLS
        .get(call as usize)
        .filter(|_| call != 0)
        .map(|s| s.0)
}

/// socketcall(call, args): strace shows the subcall with the arguments
/// read from the array at `args`, or the raw pair if unreadable.
pub(crate) fn socketcall(c: &mut Ctx<'_>) {
    let sub = c.arg(0);
    let Some(&(_, n, dec)) = SOCKETCALLS.get(sub as usize).filter(|_| sub != 0) else {
        if c.entering() {
            let v = [Value::UInt(sub), c.addr(1)];
            c.args.extend(v);
        }
        return;
    };
    let raw = c.read_bytes(c.arg(1), n * 4);
    let mut args = [0u64; 6];
    match (&raw, dec) {
        (Some(b), Some(dec)) => {
            for (i, a) in args.iter_mut().enumerate().take(n) {
                *a = le32(b, i * 4) as u64;
            }
            let entering = c.entering();
            let before = c.args.len();
            with_args(c, args, dec);
            // send/recv are sendto/recvfrom without the address pair.
            let keep = match (sub, entering) {
                (9, true) => Some(4),
                (10, false) => Some(3),
                _ => None,
            };
            if let Some(k) = keep {
                c.args.truncate(before + k);
            }
        }
        (Some(b), None) => {
            if c.entering() {
                for i in 0..n {
                    c.push(Value::Hex(le32(b, i * 4) as u64));
                }
            }
        }
        (None, _) => {
            if c.entering() {
                let v = [Value::UInt(sub), c.addr(1)];
                c.args.extend(v);
            }
        }
    }
}
