//! The futex decoder: which arguments are printed depends on the
//! operation, as strace does (e.g. FUTEX_WAKE prints three).

use super::timespec_at;
use crate::ctx::{lookup, Ctx};
use crate::tables::xlat::FUTEX_OPS;
use crate::value::Value;

fn op_name(op: u64) -> Value {
    let cmd = op & 0x7f;
    let Some(base) = lookup(FUTEX_OPS, cmd) else {
        return Value::Commented(Box::new(Value::Hex(op)), "FUTEX_???".into());
    };
    let mut s = base.to_string();
    if op & 128 != 0 {
        s.push_str("_PRIVATE");
    }
    if op & 256 != 0 {
        s.push_str("|FUTEX_CLOCK_REALTIME");
    }
    let rest = op & !0x1ff;
    if rest != 0 {
        s.push_str(&format!("|{rest:#x}"));
    }
    Value::Raw(s)
}

fn bitset(v: u64) -> Value {
    if v & 0xffff_ffff == 0xffff_ffff {
        Value::Sym("FUTEX_BITSET_MATCH_ANY")
    } else {
        Value::Hex(v & 0xffff_ffff)
    }
}

pub(crate) fn futex(c: &mut Ctx<'_>) {
    if !c.entering() {
        return;
    }
    let op = c.arg(1) & 0xffff_ffff;
    let val = Value::UInt(c.arg(2) & 0xffff_ffff);
    let mut v = vec![c.addr(0), op_name(op)];
    let val2 = Value::UInt(c.arg(3) & 0xffff_ffff);
    match op & 0x7f {
        0 => {
            v.push(val);
            v.push(timespec_at(c, c.arg(3)));
        }
        1 | 2 => v.push(val),
        3 => {
            v.push(val);
            v.push(val2);
            v.push(c.addr(4));
        }
        4 | 12 => {
            v.push(val);
            v.push(val2);
            v.push(c.addr(4));
            v.push(Value::UInt(c.arg(5) & 0xffff_ffff));
        }
        5 => {
            v.push(val);
            v.push(val2);
            v.push(c.addr(4));
            v.push(Value::Hex(c.arg(5) & 0xffff_ffff));
        }
        6 | 13 => v.push(timespec_at(c, c.arg(3))),
        7 | 8 => {}
        9 => {
            v.push(val);
            v.push(timespec_at(c, c.arg(3)));
            v.push(bitset(c.arg(5)));
        }
        10 => {
            v.push(val);
            v.push(bitset(c.arg(5)));
        }
        11 => {
            v.push(val);
            v.push(timespec_at(c, c.arg(3)));
            v.push(c.addr(4));
        }
        _ => {
            v.push(val);
            for i in 3..6 {
                v.push(Value::Hex(c.arg(i)));
            }
        }
    }
    c.args.extend(v);
}
