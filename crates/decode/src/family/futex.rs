//! The futex decoder: which arguments are printed depends on the
//! operation, as strace does (e.g. FUTEX_WAKE prints three).

use super::timespec_at;
use crate::ctx::{lookup, Ctx};
use crate::tables::xlat::FUTEX_OPS;
use crate::value::Value;

fn op_name(op: u64) -> Value {
    let cmd = op & 0x7f;
    // Bits beyond the command, PRIVATE and CLOCK_REALTIME make strace
    // print the whole operation as unknown.
    let known = if op & !0x1ff == 0 {
        lookup(FUTEX_OPS, cmd)
    } else {
        None
    };
    let Some(base) = known else {
        return Value::Commented(Box::new(Value::Hex(op)), "FUTEX_???".into());
    };
    match (op & 128 != 0, op & 256 != 0) {
        (false, false) => Value::Sym(base),
        // the common case (glibc's futexes are private): no string built
        (true, false) => Value::Sym(PRIVATE_OPS.get(cmd as usize).copied().unwrap_or(base)),
        (private, true) => {
            let mut s = base.to_string();
            if private {
                s.push_str("_PRIVATE");
            }
            s.push_str("|FUTEX_CLOCK_REALTIME");
            Value::Raw(s)
        }
    }
}

/// The `_PRIVATE` names of the operations, by command number.
const PRIVATE_OPS: [&str; 14] = [
    "FUTEX_WAIT_PRIVATE",
    "FUTEX_WAKE_PRIVATE",
    "FUTEX_FD_PRIVATE",
    "FUTEX_REQUEUE_PRIVATE",
    "FUTEX_CMP_REQUEUE_PRIVATE",
    "FUTEX_WAKE_OP_PRIVATE",
    "FUTEX_LOCK_PI_PRIVATE",
    "FUTEX_UNLOCK_PI_PRIVATE",
    "FUTEX_TRYLOCK_PI_PRIVATE",
    "FUTEX_WAIT_BITSET_PRIVATE",
    "FUTEX_WAKE_BITSET_PRIVATE",
    "FUTEX_WAIT_REQUEUE_PI_PRIVATE",
    "FUTEX_CMP_REQUEUE_PI_PRIVATE",
    "FUTEX_LOCK_PI2_PRIVATE",
];

fn bitset(v: u64) -> Value {
    if v & 0xffff_ffff == 0xffff_ffff {
        Value::Sym("FUTEX_BITSET_MATCH_ANY")
    } else {
        Value::Hex(v & 0xffff_ffff)
    }
}

/// FUTEX_WAKE_OP's encoded operation, spelled out as strace does:
/// `FUTEX_OP_ADD<<28|0x1<<12|FUTEX_OP_CMP_GT<<24|0`.
fn wake_op(v: u32) -> Value {
    const OPS: [&str; 5] = ["SET", "ADD", "OR", "ANDN", "XOR"];
    const CMPS: [&str; 6] = ["EQ", "NE", "LT", "LE", "GT", "GE"];
    let hex = |n: u32| {
        if n == 0 {
            "0".to_string()
        } else {
            format!("{n:#x}")
        }
    };
    let op = (v >> 28) & 7;
    let cmp = (v >> 24) & 0xf;
    let mut s = String::new();
    if v & (8 << 28) != 0 {
        s.push_str("FUTEX_OP_OPARG_SHIFT<<28|");
    }
    match OPS.get(op as usize) {
        Some(n) => s.push_str(&format!("FUTEX_OP_{n}<<28|")),
        None => s.push_str(&format!("{}<<28 /* FUTEX_OP_??? */|", hex(op))),
    }
    s.push_str(&format!("{}<<12|", hex((v >> 12) & 0xfff)));
    match CMPS.get(cmp as usize) {
        Some(n) => s.push_str(&format!("FUTEX_OP_CMP_{n}<<24|")),
        None => s.push_str(&format!("{}<<24 /* FUTEX_OP_CMP_??? */|", hex(cmp))),
    }
    s.push_str(&hex(v & 0xfff));
    Value::Raw(s)
}

pub(crate) fn futex(c: &mut Ctx<'_>) {
    if !c.entering() {
        return;
    }
    c.entry_only();
    let op = c.arg(1) & 0xffff_ffff;
    // (built where pushed: an unused value would be dropped through the
    // general drop of Value at every call)
    let (a2, a3) = (c.arg(2), c.arg(3));
    let val = || Value::UInt(a2 & 0xffff_ffff);
    let val2 = || Value::UInt(a3 & 0xffff_ffff);
    let mut v = std::mem::take(c.args);
    v.push(c.addr(0));
    v.push(op_name(op));
    match op & 0x7f {
        0 => {
            v.push(val());
            v.push(timespec_at(c, c.arg(3)));
        }
        1 | 2 => v.push(val()),
        3 => {
            v.push(val());
            v.push(val2());
            v.push(c.addr(4));
        }
        4 | 12 => {
            v.push(val());
            v.push(val2());
            v.push(c.addr(4));
            v.push(Value::UInt(c.arg(5) & 0xffff_ffff));
        }
        5 => {
            v.push(val());
            v.push(val2());
            v.push(c.addr(4));
            v.push(wake_op(c.arg(5) as u32));
        }
        6 | 13 => v.push(timespec_at(c, c.arg(3))),
        7 | 8 => {}
        9 => {
            v.push(val());
            v.push(timespec_at(c, c.arg(3)));
            v.push(bitset(c.arg(5)));
        }
        10 => {
            v.push(val());
            v.push(bitset(c.arg(5)));
        }
        11 => {
            v.push(val());
            v.push(timespec_at(c, c.arg(3)));
            v.push(c.addr(4));
        }
        _ => {
            v.push(val());
            v.push(c.addr(3));
            v.push(c.addr(4));
            v.push(Value::Hex(c.arg(5) & 0xffff_ffff));
        }
    }
    *c.args = v;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_names_follow_the_table() {
        for (cmd, name) in FUTEX_OPS.iter() {
            assert_eq!(PRIVATE_OPS[*cmd as usize], format!("{name}_PRIVATE"));
        }
    }
}
