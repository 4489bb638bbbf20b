//! Syscall decoders grouped by family, one function per syscall, plus the
//! shapes several families share (timespecs, signal sets, ...). Every
//! decoder is called at entry and again at exit with a [`Ctx`]; it pushes
//! what strace prints in that phase.

pub(crate) mod admin;
pub(crate) mod extra;
pub(crate) mod fs;
pub(crate) mod futex;
pub(crate) mod i386;
pub(crate) mod io;
pub(crate) mod mem;
pub(crate) mod misc;
pub(crate) mod net;
pub(crate) mod poll;
pub(crate) mod process;
pub(crate) mod signal;
pub(crate) mod stat;
pub(crate) mod time;

use crate::ctx::{le64, st, Ctx};
use crate::tables::signals;
use crate::value::Value;

/// `{tv_sec=1, tv_nsec=0}` from 16 bytes.
pub(crate) fn timespec_bytes(b: &[u8]) -> Value {
    st(vec![
        ("tv_sec", Value::Int(le64(b, 0) as i64)),
        // strace prints the fraction unsigned (-1 is 18446744073709551615).
        ("tv_nsec", Value::UInt(le64(b, 8))),
    ])
}

/// `{tv_sec=1, tv_usec=0}` from 16 bytes.
pub(crate) fn timeval_bytes(b: &[u8]) -> Value {
    st(vec![
        ("tv_sec", Value::Int(le64(b, 0) as i64)),
        ("tv_usec", Value::UInt(le64(b, 8))),
    ])
}

/// A struct timespec at `addr`.
pub(crate) fn timespec_at(c: &Ctx<'_>, addr: u64) -> Value {
    c.struct_at(addr, 16, |_, b| timespec_bytes(b))
}

/// A struct timeval at `addr`.
pub(crate) fn timeval_at(c: &Ctx<'_>, addr: u64) -> Value {
    c.struct_at(addr, 16, |_, b| timeval_bytes(b))
}

/// A signal set from its bytes: `[INT TERM]`, or `~[...]` when more than
/// half of the signals are set (as strace does).
pub(crate) fn sigset_bytes(b: &[u8]) -> Value {
    let nbits = (b.len() * 8).min(64);
    let mut set = 0u64;
    for (i, &byte) in b.iter().take(8).enumerate() {
        set |= (byte as u64) << (8 * i);
    }
    let count = (0..nbits).filter(|&i| set & (1 << i) != 0).count();
    let negated = count * 2 > nbits;
    let mut items = Vec::new();
    for i in 0..nbits {
        let member = set & (1 << i) != 0;
        if member != negated {
            let sig = i as i64 + 1;
            items.push(match signals::short(sig) {
                Some(n) => Value::Sym(n),
                None => Value::Int(sig),
            });
        }
    }
    Value::Set { negated, items }
}

/// A sigset_t of `size` bytes at `addr` (address if unreadable or the
/// size is not a plausible sigset size).
pub(crate) fn sigset_at(c: &Ctx<'_>, addr: u64, size: u64) -> Value {
    if addr == 0 {
        return Value::Addr(0);
    }
    // On x86_64 strace decodes only a full 8-byte set (a wrong size is
    // the kernel's EINVAL and shows as the address).
    if size == 0 || size > 128 || (size != 8 && c.call.abi == crate::Abi::X86_64) {
        return Value::Unavailable(addr);
    }
    c.struct_at(addr, size as usize, |_, b| sigset_bytes(b))
}

/// rt_sigpending's set: the kernel fills any size up to 8 bytes, and
/// strace decodes such shorter sets too.
pub(crate) fn sigset_at_upto(c: &Ctx<'_>, addr: u64, size: u64) -> Value {
    if addr != 0 && (1..8).contains(&size) {
        return c.struct_at(addr, size as usize, |_, b| sigset_bytes(b));
    }
    sigset_at(c, addr, size)
}

/// A plain `int` argument.
pub(crate) fn int(c: &Ctx<'_>, i: usize) -> Value {
    Value::Int(c.int(i) as i64)
}

/// A `long` argument (signed, register width).
pub(crate) fn long(c: &Ctx<'_>, i: usize) -> Value {
    match c.call.abi {
        crate::Abi::X86_64 => Value::Int(c.arg(i) as i64),
        _ => Value::Int(c.arg(i) as u32 as i32 as i64),
    }
}

/// An unsigned `long`/`size_t` argument.
pub(crate) fn ulong(c: &Ctx<'_>, i: usize) -> Value {
    Value::UInt(c.arg(i))
}

/// A uid/gid: `-1` for the all-ones value, else unsigned.
pub(crate) fn id(c: &Ctx<'_>, i: usize) -> Value {
    let v = c.arg(i) as u32;
    if v == u32::MAX {
        Value::Int(-1)
    } else {
        Value::UInt(v as u64)
    }
}

/// An array printed like strace's print_array: at most `-s` elements, then
/// `...`.
pub(crate) fn limited(c: &Ctx<'_>, mut items: Vec<Value>) -> Value {
    let limit = c.elem_limit() as usize;
    let more = items.len() > limit;
    items.truncate(limit);
    Value::Array { items, more }
}

/// A pair of fds written by the kernel (pipe, socketpair), `-s`-limited.
pub(crate) fn fd_pair_at(c: &Ctx<'_>, addr: u64) -> Value {
    c.struct_at(addr, 8, |c, b| {
        limited(
            c,
            (0..2)
                .map(|i| Value::Fd(crate::ctx::le32(b, i * 4) as i32))
                .collect(),
        )
    })
}

/// An int array of `n` elements at `addr`: `[3, 4]`.
pub(crate) fn int_array_at(c: &Ctx<'_>, addr: u64, n: usize) -> Value {
    c.struct_at(addr, n * 4, |_, b| Value::Array {
        items: (0..n)
            .map(|i| Value::Int(crate::ctx::le32(b, i * 4) as i32 as i64))
            .collect(),
        more: false,
    })
}

/// An array of `n` elements of `size` bytes at `addr`, at most -s of them
/// printed, each decoded with `f`; the address if unreadable.
pub(crate) fn array_at(
    c: &Ctx<'_>,
    addr: u64,
    n: u64,
    size: usize,
    f: impl Fn(&Ctx<'_>, &[u8]) -> Value,
) -> Value {
    if addr == 0 {
        return Value::Addr(0);
    }
    let limit = c.elem_limit();
    let shown = n
        .min(limit)
        .min((crate::ctx::MAX_READ / size.max(1)) as u64);
    let mut items = Vec::new();
    for i in 0..shown {
        match c.read_bytes(addr.wrapping_add(i * size as u64), size) {
            Some(b) => items.push(f(c, &b)),
            None => {
                if i == 0 {
                    return Value::Unavailable(addr);
                }
                items.push(Value::Unavailable(addr.wrapping_add(i * size as u64)));
                return Value::Array { items, more: false };
            }
        }
    }
    Value::Array {
        items,
        more: n > shown,
    }
}

/// An iovec array whose data is shown up to `total` bytes overall (shared
/// with the io family).
pub(crate) fn io_iov_total(c: &Ctx<'_>, addr: u64, cnt: u64, total: u64) -> Value {
    io::iov_total(c, addr, cnt, total)
}
