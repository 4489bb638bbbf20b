//! Decoders for sockets: socket, connect/bind, accept, get*name,
//! socketpair, send*/recv*, sockopts and shutdown, with socket address
//! decoding for AF_UNIX, AF_INET, AF_INET6 and AF_NETLINK.

use super::{int, int_array_at, ulong};
use crate::ctx::{flags, le16, le32, lookup, st, xval, Ctx};
use crate::tables::xlat::*;
use crate::value::Value;

fn family(v: u64) -> Value {
    xval(AF, v, "AF_???")
}

/// A socket type: `SOCK_STREAM|SOCK_CLOEXEC`. Unknown bits after a known
/// type get strace's `/* SOCK_??? */`, as does an unknown type without
/// flags (`0x77 /* SOCK_??? */`); with flags it stays in the leftover bits.
fn sock_type(ty: u64) -> Value {
    let flag_bits = SOCK_FLAGS.iter().fold(0, |a, &(b, _)| a | b);
    match lookup(SOCK_TYPES, ty & 0xf) {
        Some(base) => {
            let rest = ty & !0xf;
            let mut s = base.to_string();
            if rest != 0 {
                s.push('|');
                s.push_str(&crate::ctx::flags_tail(SOCK_FLAGS, rest));
                if rest & !flag_bits != 0 {
                    s.push_str(" /* SOCK_??? */");
                }
            }
            Value::Raw(s)
        }
        None if ty & flag_bits == 0 => Value::Raw(format!("{ty:#x} /* SOCK_??? */")),
        None => Value::Raw(crate::ctx::flags_tail(SOCK_FLAGS, ty)),
    }
}

/// A socket address of `len` bytes at `addr`.
pub(crate) fn sockaddr(c: &Ctx<'_>, addr: u64, len: u64) -> Value {
    if addr == 0 {
        return Value::Addr(0);
    }
    let len = len.min(128) as usize;
    if len < 2 {
        return Value::Unavailable(addr);
    }
    let Some(b) = c.read_bytes(addr, len) else {
        return Value::Unavailable(addr);
    };
    let fam = le16(&b, 0) as u64;
    let mut f = vec![("sa_family", family(fam))];
    match fam {
        1 => {
            let path = &b[2..];
            if path.is_empty() {
                return st(f);
            }
            if path[0] == 0 && path.len() > 1 {
                let name = path[1..].to_vec();
                let mut s = String::from("@");
                crate::text::write_quoted(&mut s, &name, c.opts.hex_strings, false);
                f.push(("sun_path", Value::Raw(s)));
            } else {
                let end = path.iter().position(|&x| x == 0).unwrap_or(path.len());
                f.push((
                    "sun_path",
                    Value::Str {
                        bytes: path[..end].to_vec(),
                        truncated: false,
                    },
                ));
            }
        }
        2 if len >= 8 => {
            let port = u16::from_be_bytes([b[2], b[3]]);
            f.push(("sin_port", Value::Raw(format!("htons({port})"))));
            let ip = format!("{}.{}.{}.{}", b[4], b[5], b[6], b[7]);
            let mut q = String::new();
            crate::text::write_quoted(&mut q, ip.as_bytes(), c.opts.hex_strings, false);
            f.push(("sin_addr", Value::Raw(format!("inet_addr({q})"))));
        }
        10 if len >= 24 => {
            let port = u16::from_be_bytes([b[2], b[3]]);
            let flow = u32::from_be_bytes([b[4], b[5], b[6], b[7]]);
            let mut a = [0u8; 16];
            a.copy_from_slice(&b[8..24]);
            let ip = std::net::Ipv6Addr::from(a);
            f.push(("sin6_port", Value::Raw(format!("htons({port})"))));
            f.push(("sin6_flowinfo", Value::Raw(format!("htonl({flow})"))));
            f.push((
                "",
                Value::Raw({
                    let mut q = String::new();
                    crate::text::write_quoted(
                        &mut q,
                        ip.to_string().as_bytes(),
                        c.opts.hex_strings,
                        false,
                    );
                    format!("inet_pton(AF_INET6, {q}, &sin6_addr)")
                }),
            ));
            if len >= 28 {
                f.push(("sin6_scope_id", Value::UInt(le32(&b, 24) as u64)));
            }
        }
        16 if len >= 12 => {
            f.push(("nl_pid", Value::Int(le32(&b, 4) as i32 as i64)));
            f.push(("nl_groups", Value::Raw(format!("{:08x}", le32(&b, 8)))));
        }
        _ => {
            f.push((
                "sa_data",
                Value::Str {
                    bytes: b[2..].to_vec(),
                    truncated: false,
                },
            ));
        }
    }
    st(f)
}

pub(crate) fn socket(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let fam = c.arg(0) & 0xffff_ffff;
        let ty = c.arg(1) & 0xffff_ffff;
        let tyv = sock_type(ty);
        let proto = c.arg(2) & 0xffff_ffff;
        let pv = match fam {
            2 | 10 => xval(IPPROTO, proto, "IPPROTO_???"),
            16 => xval(
                &[
                    (0, "NETLINK_ROUTE"),
                    (4, "NETLINK_SOCK_DIAG"),
                    (9, "NETLINK_AUDIT"),
                    (15, "NETLINK_KOBJECT_UEVENT"),
                    (16, "NETLINK_GENERIC"),
                ],
                proto,
                "NETLINK_???",
            ),
            _ => Value::UInt(c.arg(2)),
        };
        let v = [family(fam), tyv, pv];
        c.args.extend(v);
    }
}

pub(crate) fn connect(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.fd(0),
            sockaddr(c, c.arg(1), c.arg(2) & 0xffff_ffff),
            int(c, 2),
        ];
        c.args.extend(v);
    }
}
pub(crate) use connect as bind;

pub(crate) fn listen(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.fd(0), int(c, 1)];
        c.args.extend(v);
    }
}

pub(crate) fn shutdown(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.fd(0), xval(SHUT, c.arg(1) & 0xffff_ffff, "SHUT_???")];
        c.args.extend(v);
    }
}

/// accept/getsockname style: (fd, addr, addrlen*) with addr at exit and
/// `[in => out]` length.
fn addr_out(c: &mut Ctx<'_>, a: usize) {
    if c.entering() {
        c.push(c.fd(0));
        // saved: the length before the call, or u64::MAX if unreadable
        let inlen = if c.arg(a + 1) != 0 {
            c.read_u32(c.arg(a + 1)).map_or(u64::MAX, u64::from)
        } else {
            0
        };
        c.saved.push(inlen);
        c.defer();
        return;
    }
    addr_out_exit(c, a);
}

/// The exit half of [`addr_out`]: the address and `[in => out]` length.
fn addr_out_exit(c: &mut Ctx<'_>, a: usize) {
    let lenp = c.arg(a + 1);
    let inlen = c.saved(0);
    if c.failed() {
        let l = if lenp == 0 || inlen == u64::MAX {
            Value::Addr(lenp)
        } else {
            Value::Array {
                items: vec![Value::UInt(inlen)],
                more: false,
            }
        };
        let v = [c.addr(a), l];
        c.args.extend(v);
        return;
    }
    let outlen = if lenp != 0 {
        c.read_u32(lenp).map(u64::from)
    } else {
        None
    };
    let sa = sockaddr(c, c.arg(a), outlen.unwrap_or(0).min(inlen));
    c.push(sa);
    let l = match outlen {
        None => Value::Addr(lenp),
        Some(o) if o == inlen => Value::Array {
            items: vec![Value::UInt(o)],
            more: false,
        },
        Some(o) => Value::Array {
            items: vec![Value::Changed(
                Box::new(Value::UInt(inlen)),
                Box::new(Value::UInt(o)),
            )],
            more: false,
        },
    };
    c.push(l);
}

pub(crate) fn accept(c: &mut Ctx<'_>) {
    addr_out(c, 1)
}
pub(crate) use accept as getsockname;
pub(crate) use accept as getpeername;

pub(crate) fn accept4(c: &mut Ctx<'_>) {
    addr_out(c, 1);
    if !c.entering() {
        c.push(flags(SOCK_FLAGS, c.arg(3) & 0xffff_ffff, "SOCK_???"));
    }
}

pub(crate) fn socketpair(c: &mut Ctx<'_>) {
    if c.entering() {
        let ty = c.arg(1) & 0xffff_ffff;
        let v = [
            family(c.arg(0) & 0xffff_ffff),
            sock_type(ty),
            Value::UInt(c.arg(2)),
        ];
        c.args.extend(v);
        c.defer();
    } else {
        let v = if c.failed() {
            c.addr(3)
        } else {
            super::fd_pair_at(c, c.arg(3))
        };
        c.push(v);
    }
}

fn msg_flags(v: u64) -> Value {
    flags(MSG_FLAGS, v & 0xffff_ffff, "MSG_???")
}

pub(crate) fn sendto(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.fd(0),
            c.buf(1, c.arg(2)),
            ulong(c, 2),
            msg_flags(c.arg(3)),
            sockaddr(c, c.arg(4), c.arg(5) & 0xffff_ffff),
            int(c, 5),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn recvfrom(c: &mut Ctx<'_>) {
    if c.entering() {
        c.push(c.fd(0));
        let inlen = if c.arg(5) != 0 {
            c.read_u32(c.arg(5)).map_or(u64::MAX, u64::from)
        } else {
            0
        };
        c.saved.push(inlen);
        c.defer();
        return;
    }
    let b = c.out_buf(1);
    c.push(b);
    c.push(ulong(c, 2));
    c.push(msg_flags(c.arg(3)));
    if c.arg(4) == 0 {
        let v = [Value::Addr(0), c.addr(5)];
        c.args.extend(v);
        return;
    }
    addr_out_exit(c, 4);
}

fn level(v: u64) -> Value {
    xval(SOL, v, "SOL_??")
}

fn optname(lvl: u64, v: u64) -> Value {
    match lvl {
        1 => xval(SO, v, "SO_???"),
        6 => xval(TCP_OPTS, v, "TCP_???"),
        _ => Value::UInt(v),
    }
}

fn optval(c: &Ctx<'_>, lvl: u64, name: u64, addr: u64, len: u64) -> Value {
    if lvl == 1 && name == 13 && len >= 8 {
        return c.struct_at(addr, 8, |_, b| {
            st(vec![
                ("l_onoff", Value::Int(le32(b, 0) as i32 as i64)),
                ("l_linger", Value::Int(le32(b, 4) as i32 as i64)),
            ])
        });
    }
    if len == 4 {
        int_array_at(c, addr, 1)
    } else {
        c.buf_at(addr, len)
    }
}

pub(crate) fn setsockopt(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let lvl = c.arg(1) & 0xffff_ffff;
        let len = c.arg(4) & 0xffff_ffff;
        let v = [
            c.fd(0),
            level(lvl),
            optname(lvl, c.arg(2) & 0xffff_ffff),
            optval(c, lvl, c.arg(2) & 0xffff_ffff, c.arg(3), len),
            int(c, 4),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn getsockopt(c: &mut Ctx<'_>) {
    let lvl = c.arg(1) & 0xffff_ffff;
    if c.entering() {
        let v = [c.fd(0), level(lvl), optname(lvl, c.arg(2) & 0xffff_ffff)];
        c.args.extend(v);
        c.defer();
        return;
    }
    if c.failed() {
        // The length is still shown: the kernel read it.
        let v = [c.addr(3), int_array_at(c, c.arg(4), 1)];
        c.args.extend(v);
        return;
    }
    let len = c.read_u32(c.arg(4)).unwrap_or(0) as u64;
    let v = [
        optval(c, lvl, c.arg(2) & 0xffff_ffff, c.arg(3), len),
        int_array_at(c, c.arg(4), 1),
    ];
    c.args.extend(v);
}

fn msghdr(c: &Ctx<'_>, addr: u64, data: Option<u64>) -> Value {
    c.struct_at(addr, 56, |c, b| {
        let name = crate::ctx::le64(b, 0);
        let namelen = le32(b, 8) as u64;
        let iov = crate::ctx::le64(b, 16);
        let iovlen = crate::ctx::le64(b, 24);
        let ctl = crate::ctx::le64(b, 32);
        let ctllen = crate::ctx::le64(b, 40);
        let fl = le32(b, 48) as u64;
        let mut items = Vec::new();
        let limit = c.elem_limit();
        let mut left = data.unwrap_or(u64::MAX);
        let mut iovv = Value::Unavailable(iov);
        if iov == 0 {
            iovv = Value::Addr(0);
        } else if let Some(ib) = c.read_bytes(iov, (iovlen.min(limit).min(1024) * 16) as usize) {
            for i in 0..iovlen.min(limit).min(1024) as usize {
                let base = crate::ctx::le64(&ib, i * 16);
                let len = crate::ctx::le64(&ib, i * 16 + 8);
                let s = left.min(len);
                left -= s;
                items.push(st(vec![
                    ("iov_base", c.buf_at(base, s)),
                    ("iov_len", Value::UInt(len)),
                ]));
            }
            iovv = Value::Array {
                items,
                more: iovlen > limit,
            };
        }
        let mut f = vec![
            ("msg_name", sockaddr(c, name, namelen)),
            ("msg_namelen", Value::UInt(namelen)),
            ("msg_iov", iovv),
            ("msg_iovlen", Value::UInt(iovlen)),
        ];
        if ctllen != 0 {
            f.push(("msg_control", cmsgs(c, ctl, ctllen)));
        }
        f.push(("msg_controllen", Value::UInt(ctllen)));
        f.push(("msg_flags", msg_flags(fl)));
        st(f)
    })
}

pub(crate) fn sendmsg(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.fd(0), msghdr(c, c.arg(1), None), msg_flags(c.arg(2))];
        c.args.extend(v);
    }
}

pub(crate) fn recvmsg(c: &mut Ctx<'_>) {
    if c.entering() {
        c.push(c.fd(0));
        c.defer();
    } else {
        // A failed recvmsg shows only the name length it was given.
        let m = if c.failed() {
            c.struct_at(c.arg(1), 56, |_, b| {
                st(vec![("msg_namelen", Value::UInt(le32(b, 8) as u64))])
            })
        } else {
            msghdr(c, c.arg(1), Some(c.retval().max(0) as u64))
        };
        c.push(m);
        c.push(msg_flags(c.arg(2)));
    }
}

/// The control messages of a msghdr: `[{cmsg_len=20, cmsg_level=SOL_SOCKET,
/// cmsg_type=SCM_RIGHTS, cmsg_data=[3]}]`.
fn cmsgs(c: &Ctx<'_>, addr: u64, len: u64) -> Value {
    let len = len.min(4096) as usize;
    let Some(b) = c.read_bytes(addr, len) else {
        return Value::Unavailable(addr);
    };
    let mut items = Vec::new();
    let mut off = 0usize;
    while off + 16 <= b.len() {
        let clen = crate::ctx::le64(&b, off) as usize;
        let level = le32(&b, off + 8) as u64;
        let ty = le32(&b, off + 12) as u64;
        let mut f = vec![
            ("cmsg_len", Value::UInt(clen as u64)),
            ("cmsg_level", level_value(level)),
        ];
        let data_end = (off + clen).min(b.len());
        let data = if clen >= 16 {
            &b[off + 16..data_end]
        } else {
            &b[0..0]
        };
        if level == 1 {
            f.push((
                "cmsg_type",
                xval(
                    &[
                        (1, "SCM_RIGHTS"),
                        (2, "SCM_CREDENTIALS"),
                        (3, "SCM_SECURITY"),
                        (4, "SCM_PIDFD"),
                    ],
                    ty,
                    "SCM_???",
                ),
            ));
            match ty {
                1 => f.push((
                    "cmsg_data",
                    Value::Array {
                        items: data
                            .chunks_exact(4)
                            .map(|x| Value::Fd(le32(x, 0) as i32))
                            .collect(),
                        more: false,
                    },
                )),
                2 if data.len() >= 12 => f.push((
                    "cmsg_data",
                    st(vec![
                        ("pid", Value::Int(le32(data, 0) as i32 as i64)),
                        ("uid", Value::UInt(le32(data, 4) as u64)),
                        ("gid", Value::UInt(le32(data, 8) as u64)),
                    ]),
                )),
                _ => {}
            }
        } else {
            f.push(("cmsg_type", Value::Hex(ty)));
        }
        items.push(st(f));
        if clen < 16 {
            break;
        }
        off += (clen + 7) & !7;
    }
    super::limited(c, items)
}

fn level_value(v: u64) -> Value {
    xval(SOL, v, "SOL_???")
}
