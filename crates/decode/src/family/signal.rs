//! Decoders for signal handling calls: rt_sigaction, rt_sigprocmask,
//! rt_sigreturn, rt_sigsuspend, sigaltstack, signalfd and the rt_sig*
//! queueing calls.

use super::{int, sigset_at, sigset_bytes, timespec_at, ulong};
use crate::ctx::{flags, le64, signal, st, Ctx};
use crate::tables::xlat::*;
use crate::value::Value;

/// A struct sigaction (kernel layout: handler, flags, restorer, mask).
fn sigaction_at(c: &Ctx<'_>, addr: u64, sigsetsize: u64) -> Value {
    if addr == 0 {
        return Value::Addr(0);
    }
    let masklen = if sigsetsize == 0 || sigsetsize > 128 {
        8
    } else {
        sigsetsize as usize
    };
    let i386 = c.call.abi == crate::Abi::I386;
    let head = if i386 { 12 } else { 24 };
    c.struct_at(addr, head + masklen, |_, b| {
        let word = |o: usize| {
            if i386 {
                crate::ctx::le32(b, o / 2) as u64
            } else {
                le64(b, o)
            }
        };
        let h = word(0);
        let fl = word(8);
        let handler = match h {
            0 => Value::Sym("SIG_DFL"),
            1 => Value::Sym("SIG_IGN"),
            u64::MAX | 0xffff_ffff => Value::Sym("SIG_ERR"),
            _ => Value::Addr(h),
        };
        let mut f = vec![
            ("sa_handler", handler),
            ("sa_mask", sigset_bytes(&b[head..])),
            ("sa_flags", flags(SA_FLAGS, fl, "SA_???")),
        ];
        if fl & 0x4000000 != 0 {
            f.push(("sa_restorer", Value::Addr(word(16))));
        }
        st(f)
    })
}

pub(crate) fn rt_sigaction(c: &mut Ctx<'_>) {
    if c.entering() {
        let v = [signal(c.int(0) as i64), sigaction_at(c, c.arg(1), c.arg(3))];
        c.args.extend(v);
        c.defer();
    } else {
        let v = if c.failed() && c.arg(2) != 0 {
            c.addr(2)
        } else {
            sigaction_at(c, c.arg(2), c.arg(3))
        };
        c.push(v);
        c.push(ulong(c, 3));
    }
}

pub(crate) fn rt_sigprocmask(c: &mut Ctx<'_>) {
    if c.entering() {
        let v = [
            crate::ctx::xval(SIG_HOW, c.arg(0) & 0xffff_ffff, "SIG_???"),
            sigset_at(c, c.arg(1), c.arg(3)),
        ];
        c.args.extend(v);
        c.defer();
    } else {
        let v = if c.failed() && c.arg(2) != 0 {
            c.addr(2)
        } else {
            sigset_at(c, c.arg(2), c.arg(3))
        };
        c.push(v);
        c.push(ulong(c, 3));
    }
}

pub(crate) fn rt_sigreturn(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        // The saved mask lives in the signal frame's ucontext; its place
        // depends on the stack pointer, which decoders do not see.
        c.push(Value::Raw("{mask=?}".into()));
    }
}

pub(crate) fn rt_sigsuspend(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [sigset_at(c, c.arg(0), c.arg(1)), ulong(c, 1)];
        c.args.extend(v);
    }
}

pub(crate) fn rt_sigpending(c: &mut Ctx<'_>) {
    if c.entering() {
        c.defer();
    } else {
        let v = if c.failed() {
            c.addr(0)
        } else {
            super::sigset_at_upto(c, c.arg(0), c.arg(1))
        };
        c.push(v);
        c.push(ulong(c, 1));
    }
}

fn stack_t(c: &Ctx<'_>, addr: u64) -> Value {
    c.struct_at(addr, 24, |_, b| {
        st(vec![
            ("ss_sp", Value::Addr(le64(b, 0))),
            (
                "ss_flags",
                flags(SS_FLAGS, crate::ctx::le32(b, 8) as u64, "SS_???"),
            ),
            ("ss_size", Value::UInt(le64(b, 16))),
        ])
    })
}

pub(crate) fn sigaltstack(c: &mut Ctx<'_>) {
    if c.entering() {
        let v = stack_t(c, c.arg(0));
        c.push(v);
        c.defer();
    } else {
        let v = if c.failed() && c.arg(1) != 0 {
            c.addr(1)
        } else {
            stack_t(c, c.arg(1))
        };
        c.push(v);
    }
}

pub(crate) fn signalfd4(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.fd(0),
            sigset_at(c, c.arg(1), c.arg(2)),
            ulong(c, 2),
            flags(SFD_FLAGS, c.arg(3) & 0xffff_ffff, "SFD_???"),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn signalfd(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.fd(0), sigset_at(c, c.arg(1), c.arg(2)), ulong(c, 2)];
        c.args.extend(v);
    }
}

pub(crate) fn rt_sigtimedwait(c: &mut Ctx<'_>) {
    if c.entering() {
        let v = sigset_at(c, c.arg(0), c.arg(3));
        c.push(v);
        c.defer();
    } else {
        let info = if c.failed() || c.arg(1) == 0 {
            c.addr(1)
        } else {
            c.struct_at(c.arg(1), 128, |c, b| {
                Value::Raw(crate::siginfo::format_bytes(b, c.ptr_size() == 8))
            })
        };
        c.push(info);
        let t = timespec_at(c, c.arg(2));
        c.push(t);
        c.push(ulong(c, 3));
        if !c.failed() {
            let r = c.retval();
            c.set_ret(crate::value::RetValue::Commented(
                Box::new(crate::value::RetValue::Int(r)),
                crate::signal_name(r as i32).into_owned(),
            ));
        }
    }
}

fn siginfo_arg(c: &Ctx<'_>, addr: u64) -> Value {
    c.struct_at(addr, 128, |c, b| {
        Value::Raw(crate::siginfo::format_bytes(b, c.ptr_size() == 8))
    })
}

pub(crate) fn rt_sigqueueinfo(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [int(c, 0), signal(c.int(1) as i64), siginfo_arg(c, c.arg(2))];
        c.args.extend(v);
    }
}

pub(crate) fn rt_tgsigqueueinfo(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            int(c, 0),
            int(c, 1),
            signal(c.int(2) as i64),
            siginfo_arg(c, c.arg(3)),
        ];
        c.args.extend(v);
    }
}
