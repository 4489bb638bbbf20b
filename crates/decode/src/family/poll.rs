//! Decoders for I/O multiplexing: poll, ppoll, select, pselect6 and epoll.
//! Their return values carry strace's comments (`0 (Timeout)`,
//! `1 ([{fd=3, revents=POLLIN}])`, `2 (in [0 1], left {...})`).

use super::{int, sigset_at, timespec_at, timeval_at, ulong};
use crate::ctx::{flags, le32, le64, st, xval, Ctx};
use crate::tables::xlat::*;
use crate::text::value_to_string;
use crate::value::{RetValue, Value};

fn pollfds(c: &Ctx<'_>, addr: u64, n: u64) -> Value {
    if addr == 0 {
        return Value::Addr(0);
    }
    let n = n.min(c.elem_limit() + 1).min(4096);
    let Some(b) = c.read_bytes(addr, n as usize * 8) else {
        return Value::Unavailable(addr);
    };
    let mut items = Vec::new();
    let limit = c.elem_limit() as usize;
    for i in 0..n as usize {
        let fd = le32(&b, i * 8) as i32;
        let ev = crate::ctx::le16(&b, i * 8 + 4) as u64;
        // strace leaves out the events of an entry with a negative fd.
        items.push(if fd < 0 {
            st(vec![("fd", Value::Fd(fd))])
        } else {
            st(vec![
                ("fd", Value::Fd(fd)),
                ("events", flags(POLL_EVENTS, ev, "POLL???")),
            ])
        });
    }
    let more = items.len() > limit;
    items.truncate(limit);
    Value::Array { items, more }
}

/// The comment of a successful poll/ppoll, built as strace's
/// decode_poll_exit does: the entries with nonzero revents, at most `-s`
/// of them (unless -v) and at most what fits its 1024-byte buffer, then
/// `...`; an unreadable entry ends the list with its address.
fn revents_str(c: &Ctx<'_>, addr: u64, nfds: u64) -> String {
    // strace: end_outstr - (2 + 2 * sizeof(long) + sizeof(", ], ...")).
    const ROOM: usize = 1024 - (2 + 16 + 9);
    const CHUNK: u64 = 512;
    let max_printed = if c.opts.verbose {
        usize::MAX
    } else {
        c.opts.string_limit
    };
    let mask = if c.call.abi == crate::Abi::X86_64 {
        u64::MAX
    } else {
        0xffff_ffff
    };
    let nfds = nfds.min(1 << 16);
    let mut out = String::new();
    let mut printed = 0usize;
    let mut i = 0u64;
    'scan: while i < nfds {
        let n = (nfds - i).min(CHUNK);
        let start = addr.wrapping_add(i * 8) & mask;
        let chunk = c.read_bytes(start, n as usize * 8);
        for k in 0..n {
            let cur = addr.wrapping_add((i + k) * 8) & mask;
            let entry = match &chunk {
                Some(b) => Some(b[k as usize * 8..k as usize * 8 + 8].to_vec()),
                None => c.read_bytes(cur, 8),
            };
            let Some(e) = entry else {
                out.push_str(if out.is_empty() { "[" } else { ", " });
                out.push_str(&format!("{cur:#x}"));
                break 'scan;
            };
            let fd = le32(&e, 0) as i32;
            let rev = crate::ctx::le16(&e, 6) as u64;
            if rev == 0 {
                continue;
            }
            out.push_str(if out.is_empty() { "[" } else { ", " });
            if printed >= max_printed {
                out.push_str("...");
                break 'scan;
            }
            let fdstr = format!("{{fd={fd}, revents=");
            let flagstr = value_to_string(&flags(POLL_EVENTS, rev, "POLL???"), c.opts);
            if out.len() + fdstr.len() + flagstr.len() + 1 >= ROOM {
                out.push_str("...");
                break 'scan;
            }
            out.push_str(&fdstr);
            out.push_str(&flagstr);
            out.push('}');
            printed += 1;
        }
        i += n;
    }
    if !out.is_empty() {
        out.push(']');
    }
    out
}

fn poll_ret(c: &mut Ctx<'_>, left: Option<Value>) {
    if c.failed() {
        return;
    }
    let r = c.retval();
    if r == 0 {
        c.set_ret(RetValue::Commented(
            Box::new(RetValue::Int(0)),
            "Timeout".into(),
        ));
        return;
    }
    let (addr, nfds) = (c.arg(0), c.arg(1) & 0xffff_ffff);
    if addr == 0 || nfds == 0 {
        return;
    }
    let mut s = revents_str(c, addr, nfds);
    if let Some(l) = left {
        s.push_str(if s.is_empty() { "left " } else { ", left " });
        s.push_str(&value_to_string(&l, c.opts));
    }
    if !s.is_empty() {
        c.set_ret(RetValue::Commented(Box::new(RetValue::Int(r)), s));
    }
}

pub(crate) fn poll(c: &mut Ctx<'_>) {
    if c.entering() {
        let v = [
            pollfds(c, c.arg(0), c.arg(1)),
            Value::UInt(c.arg(1) & 0xffff_ffff),
            int(c, 2),
        ];
        c.args.extend(v);
    } else {
        poll_ret(c, None);
    }
}

pub(crate) fn ppoll(c: &mut Ctx<'_>) {
    if c.entering() {
        let v = [
            pollfds(c, c.arg(0), c.arg(1)),
            Value::UInt(c.arg(1) & 0xffff_ffff),
            timespec_at(c, c.arg(2)),
            sigset_at(c, c.arg(3), c.arg(4)),
            ulong(c, 4),
        ];
        c.args.extend(v);
    } else {
        let left = if c.arg(2) != 0 && c.retval() > 0 {
            Some(timespec_at(c, c.arg(2)))
        } else {
            None
        };
        poll_ret(c, left);
    }
}

/// An fd_set of `nfds` bits: `[0 1]`.
fn fdset(c: &Ctx<'_>, addr: u64, nfds: i32) -> Value {
    if addr == 0 {
        return Value::Addr(0);
    }
    if nfds < 0 {
        return Value::Addr(addr);
    }
    let nfds = nfds.clamp(0, 1024 * 64) as usize;
    let bytes = nfds.div_ceil(64) * 8;
    if bytes == 0 {
        return Value::Set {
            negated: false,
            items: vec![],
        };
    }
    match c.read_bytes(addr, bytes) {
        Some(b) => Value::Set {
            negated: false,
            items: (0..nfds)
                .filter(|i| b[i / 8] & (1 << (i % 8)) != 0)
                .map(|i| Value::UInt(i as u64))
                .collect(),
        },
        None => Value::Unavailable(addr),
    }
}

fn select_common(c: &mut Ctx<'_>, six: bool) {
    let nfds = c.int(0);
    if c.entering() {
        let mut v = vec![
            int(c, 0),
            fdset(c, c.arg(1), nfds),
            fdset(c, c.arg(2), nfds),
            fdset(c, c.arg(3), nfds),
        ];
        v.push(if six {
            timespec_at(c, c.arg(4))
        } else {
            timeval_at(c, c.arg(4))
        });
        if six {
            let a = c.arg(5);
            v.push(if a == 0 {
                Value::Addr(0)
            } else {
                c.struct_at(a, 16, |c, b| {
                    let set = sigset_at(c, le64(b, 0), le64(b, 8));
                    st(vec![
                        ("sigmask", set),
                        ("sigsetsize", Value::UInt(le64(b, 8))),
                    ])
                })
            });
        }
        c.args.extend(v);
        return;
    }
    if c.failed() {
        return;
    }
    let r = c.retval();
    if r == 0 {
        c.set_ret(RetValue::Commented(
            Box::new(RetValue::Int(0)),
            "Timeout".into(),
        ));
        return;
    }
    let mut parts = Vec::new();
    for (i, name) in [(1, "in"), (2, "out"), (3, "except")] {
        if c.arg(i) != 0 {
            if let Value::Set { items, .. } = fdset(c, c.arg(i), nfds) {
                if !items.is_empty() {
                    parts.push(format!(
                        "{name} {}",
                        value_to_string(
                            &Value::Set {
                                negated: false,
                                items
                            },
                            c.opts
                        )
                    ));
                }
            }
        }
    }
    if c.arg(4) != 0 {
        let t = if six {
            timespec_at(c, c.arg(4))
        } else {
            timeval_at(c, c.arg(4))
        };
        parts.push(format!("left {}", value_to_string(&t, c.opts)));
    }
    c.set_ret(RetValue::Commented(
        Box::new(RetValue::Int(r)),
        parts.join(", "),
    ));
}

pub(crate) fn select(c: &mut Ctx<'_>) {
    select_common(c, false)
}

pub(crate) fn pselect6(c: &mut Ctx<'_>) {
    select_common(c, true)
}

pub(crate) fn epoll_create(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        c.push(int(c, 0));
    }
}

pub(crate) fn epoll_create1(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        c.push(flags(
            EPOLL_CREATE_FLAGS,
            c.arg(0) & 0xffff_ffff,
            "EPOLL_???",
        ));
    }
}

fn epoll_event(b: &[u8]) -> Value {
    let ev = le32(b, 0) as u64;
    let data = le64(b, 4);
    st(vec![
        ("events", flags(EPOLL_EVENTS, ev, "EPOLL???")),
        (
            "data",
            st(vec![
                ("u32", Value::UInt(data & 0xffff_ffff)),
                ("u64", Value::UInt(data)),
            ]),
        ),
    ])
}

pub(crate) fn epoll_ctl(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let op = c.arg(1) & 0xffff_ffff;
        let ev = if op == 2 && c.arg(3) == 0 {
            Value::Addr(0)
        } else {
            c.struct_at(c.arg(3), 12, |_, b| epoll_event(b))
        };
        let v = [c.fd(0), xval(EPOLL_CTL, op, "EPOLL_CTL_???"), c.fd(2), ev];
        c.args.extend(v);
    }
}

fn epoll_wait_common(c: &mut Ctx<'_>, tail: u8) {
    if c.entering() {
        c.push(c.fd(0));
        c.defer();
        return;
    }
    let evs = if c.failed() {
        c.addr(1)
    } else {
        super::array_at(c, c.arg(1), c.retval().max(0) as u64, 12, |_, b| {
            epoll_event(b)
        })
    };
    c.push(evs);
    c.push(int(c, 2));
    match tail {
        0 => c.push(int(c, 3)),
        1 => {
            c.push(int(c, 3));
            // strace shows the mask of a failed epoll_pwait as its address.
            let s = if c.failed() {
                c.addr(4)
            } else {
                sigset_at(c, c.arg(4), c.arg(5))
            };
            c.push(s);
            c.push(ulong(c, 5));
        }
        _ => {
            let t = timespec_at(c, c.arg(3));
            c.push(t);
            let s = sigset_at(c, c.arg(4), c.arg(5));
            c.push(s);
            c.push(ulong(c, 5));
        }
    }
}

pub(crate) fn epoll_wait(c: &mut Ctx<'_>) {
    epoll_wait_common(c, 0)
}

pub(crate) fn epoll_pwait(c: &mut Ctx<'_>) {
    epoll_wait_common(c, 1)
}

pub(crate) fn epoll_pwait2(c: &mut Ctx<'_>) {
    epoll_wait_common(c, 2)
}
