//! strace's text form of values, argument lists and return values.

use crate::{DecodeOptions, RetValue, Value};

/// Appends one value as strace prints it.
pub fn write_value(out: &mut String, v: &Value, opts: &DecodeOptions) {
    use std::fmt::Write;
    let _ = opts;
    let _ = match v {
        Value::Int(i) => write!(out, "{i}"),
        Value::UInt(u) => write!(out, "{u}"),
        Value::Hex(u) => write!(out, "{u:#x}"),
        Value::Oct(u) => write!(out, "{u:#o}"),
        Value::Addr(0) => write!(out, "NULL"),
        Value::Addr(a) | Value::Unavailable(a) => write!(out, "{a:#x}"),
        Value::Fd(fd) => write!(out, "{fd}"),
        other => write!(out, "{other:?}"),
    };
}

/// Appends `a, b, c` (no parentheses).
pub fn write_args(out: &mut String, args: &[Value], opts: &DecodeOptions) {
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_value(out, a, opts);
    }
}

/// Appends the return value as after ` = `: `0`, `0x7f...`,
/// `-1 ENOENT (No such file or directory)`, `? ERESTARTSYS (To be restarted if SA_RESTART is set)`.
pub fn write_ret(out: &mut String, r: &RetValue) {
    use std::fmt::Write;
    let _ = match r {
        RetValue::Int(i) => write!(out, "{i}"),
        RetValue::Hex(u) => write!(out, "{u:#x}"),
        RetValue::Error(e) => write!(out, "-1 errno {e}"),
        RetValue::Unknown => write!(out, "?"),
        RetValue::Commented(v, c) => {
            write_ret(out, v);
            write!(out, " ({c})")
        }
    };
}
