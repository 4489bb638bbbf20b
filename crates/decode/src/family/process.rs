//! Decoders for process and credential management: execve, exit, wait4,
//! waitid, clone/clone3, kill family, arch_prctl, rlimits, uname, prctl,
//! affinity, sysinfo, getrandom and the uid/gid setters.

use super::{id, int, timeval_bytes, ulong};
use crate::ctx::{flags, le32, le64, lookup, signal, st, xval, Ctx};
use crate::tables::xlat::*;
use crate::value::{RetValue, Value};

/// Most pointers followed in an argv/envp array.
const MAX_ARGV: u64 = 4096;

/// Visits the pointers of a NULL-terminated array, at most `max` of them,
/// reading it a page-bounded chunk at a time. Returns how many were
/// visited and whether the terminator was seen, or None if unreadable.
fn ptr_array(c: &Ctx<'_>, addr: u64, max: u64, mut each: impl FnMut(u64)) -> Option<(u64, bool)> {
    let ps = c.ptr_size();
    let mut words = [0u64; 64];
    let mut seen = 0u64;
    let mut a = addr;
    while seen < max {
        let n = c.read_words(a, ps, &mut words)?;
        for &p in &words[..n] {
            if p == 0 {
                return Some((seen, true));
            }
            each(p);
            seen += 1;
            if seen == max {
                return Some((seen, false));
            }
        }
        a = a.checked_add((n * ps) as u64)?;
    }
    Some((seen, false))
}

fn argv(c: &Ctx<'_>, addr: u64) -> Value {
    if addr == 0 {
        return Value::Addr(0);
    }
    let limit = c.elem_limit();
    let mut ptrs = Vec::with_capacity(8);
    match ptr_array(c, addr, limit + 1, |p| ptrs.push(p)) {
        None => Value::Unavailable(addr),
        Some((n, _)) => {
            let more = n > limit;
            let items = ptrs
                .iter()
                .take(limit as usize)
                .map(|&p| c.cstr_at(p))
                .collect();
            Value::Array { items, more }
        }
    }
}

fn envp(c: &Ctx<'_>, addr: u64) -> Value {
    if c.opts.verbose {
        return argv(c, addr);
    }
    if addr == 0 {
        return Value::Addr(0);
    }
    match ptr_array(c, addr, MAX_ARGV, |_| {}) {
        None => Value::Unavailable(addr),
        Some((n, _)) => Value::Commented(Box::new(Value::Addr(addr)), {
            let mut t = crate::pool::take_text();
            crate::text::push_uint(&mut t, n);
            t.push_str(if n == 1 { " var" } else { " vars" });
            t
        }),
    }
}

pub(crate) fn execve(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.path(0), argv(c, c.arg(1)), envp(c, c.arg(2))];
        c.args.extend(v);
    }
}

pub(crate) fn execveat(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.dirfd(0),
            c.path(1),
            argv(c, c.arg(2)),
            envp(c, c.arg(3)),
            flags(AT_FLAGS, c.arg(4) & 0xffff_ffff, "AT_???"),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn exit(c: &mut Ctx<'_>) {
    if c.entering() {
        c.push(int(c, 0));
    } else {
        c.set_ret(RetValue::Unknown);
    }
}
pub(crate) use exit as exit_group;

/// A wait status: `{WIFEXITED(s) && WEXITSTATUS(s) == 0}`, appended.
pub(crate) fn wait_status(out: &mut String, s: u32) {
    use crate::text::push_uint;
    let sig = |out: &mut String, n: u32| out.push_str(&crate::signal_name(n as i32));
    let low = s & 0x7f;
    out.push('{');
    if s & 0xff == 0x7f {
        // A syscall stop under PTRACE_O_TRACESYSGOOD: `SIGTRAP | 0x80`.
        let stopsig = (s >> 8) & 0xff;
        out.push_str("WIFSTOPPED(s) && WSTOPSIG(s) == ");
        sig(out, stopsig & 0x7f);
        if stopsig & 0x80 != 0 {
            out.push_str(" | 0x80");
        }
    } else if s == 0xffff {
        out.push_str("WIFCONTINUED(s)");
    } else if low == 0 {
        out.push_str("WIFEXITED(s) && WEXITSTATUS(s) == ");
        push_uint(out, u64::from((s >> 8) & 0xff));
    } else {
        out.push_str("WIFSIGNALED(s) && WTERMSIG(s) == ");
        sig(out, low);
        if s & 0x80 != 0 {
            out.push_str(" && WCOREDUMP(s)");
        }
    }
    out.push('}');
    let ev = s >> 16;
    if ev != 0 {
        let name = match ev {
            1 => "PTRACE_EVENT_FORK",
            2 => "PTRACE_EVENT_VFORK",
            3 => "PTRACE_EVENT_CLONE",
            4 => "PTRACE_EVENT_EXEC",
            5 => "PTRACE_EVENT_VFORK_DONE",
            6 => "PTRACE_EVENT_EXIT",
            7 => "PTRACE_EVENT_SECCOMP",
            0x80 => "PTRACE_EVENT_STOP",
            _ => "",
        };
        out.push('|');
        if name.is_empty() {
            crate::text::write_hex(out, u64::from(ev) << 16);
        } else {
            out.push_str(name);
            out.push_str("<<16");
        }
    }
}

fn rusage_bytes(c: &Ctx<'_>, b: &[u8]) -> Value {
    let mut f = vec![
        ("ru_utime", timeval_bytes(&b[0..16])),
        ("ru_stime", timeval_bytes(&b[16..32])),
    ];
    if !c.opts.verbose {
        return Value::Struct {
            fields: f,
            more: true,
        };
    }
    let names = [
        "ru_maxrss",
        "ru_ixrss",
        "ru_idrss",
        "ru_isrss",
        "ru_minflt",
        "ru_majflt",
        "ru_nswap",
        "ru_inblock",
        "ru_oublock",
        "ru_msgsnd",
        "ru_msgrcv",
        "ru_nsignals",
        "ru_nvcsw",
        "ru_nivcsw",
    ];
    for (i, n) in names.iter().enumerate() {
        f.push((n, Value::Int(le64(b, 32 + i * 8) as i64)));
    }
    st(f)
}

fn rusage(c: &Ctx<'_>, addr: u64) -> Value {
    c.struct_at(addr, 144, rusage_bytes)
}

pub(crate) fn wait4(c: &mut Ctx<'_>) {
    if c.entering() {
        c.push(int(c, 0));
        c.defer();
        return;
    }
    let a = c.arg(1);
    let status = if a == 0 {
        Value::Addr(0)
    } else if c.failed() || c.retval() == 0 {
        Value::Addr(a)
    } else {
        match c.read_u32(a) {
            Some(s) => {
                let mut t = crate::pool::take_text();
                t.push('[');
                wait_status(&mut t, s);
                t.push(']');
                Value::Raw(t)
            }
            None => Value::Unavailable(a),
        }
    };
    c.push(status);
    c.push(flags(WAIT_OPTIONS, c.arg(2) & 0xffff_ffff, "W???"));
    let r = if c.failed() && c.arg(3) != 0 {
        c.addr(3)
    } else {
        rusage(c, c.arg(3))
    };
    c.push(r);
}

pub(crate) fn waitid(c: &mut Ctx<'_>) {
    if c.entering() {
        let v = [xval(P_TYPES, c.arg(0) & 0xffff_ffff, "P_???"), int(c, 1)];
        c.args.extend(v);
        c.defer();
        return;
    }
    let info = if c.failed() {
        c.addr(2)
    } else {
        c.struct_at(c.arg(2), 128, |c, b| {
            if le32(b, 0) == 0 {
                return Value::Raw("{}".into());
            }
            Value::Raw(crate::siginfo::format_bytes(b, c.ptr_size() == 8))
        })
    };
    c.push(info);
    c.push(flags(WAIT_OPTIONS, c.arg(3) & 0xffff_ffff, "W???"));
    let r = if c.failed() && c.arg(4) != 0 {
        c.addr(4)
    } else {
        rusage(c, c.arg(4))
    };
    c.push(r);
}

/// clone flags with the exit signal in the low byte.
fn clone_flags(v: u64) -> Value {
    let sig = v & 0xff;
    let f = flags(CLONE_FLAGS, v & !0xff, "CLONE_???");
    if sig == 0 {
        return f;
    }
    let s = crate::signal_name(sig as i32).into_owned();
    match f {
        Value::Hex(0) => Value::Raw(s),
        other => {
            let mut t = crate::text::value_to_string(&other, &crate::DecodeOptions::default());
            t.push('|');
            t.push_str(&s);
            Value::Raw(t)
        }
    }
}

pub(crate) fn clone(c: &mut Ctx<'_>) {
    // x86_64: clone(flags, stack, parent_tid, child_tid, tls)
    let f = c.arg(0);
    if c.entering() {
        let v = [
            Value::Named("child_stack", Box::new(c.addr(1))),
            Value::Named("flags", Box::new(clone_flags(f))),
        ];
        c.args.extend(v);
        c.defer();
        c.glue = Some(", ");
        return;
    }
    if f & (0x100000 | 0x1000) != 0 {
        let p = c.arg(2);
        let v = if c.failed() { c.addr(2) } else { int_ptr(c, p) };
        c.push(Value::Named("parent_tid", Box::new(v)));
    }
    if f & 0x80000 != 0 {
        c.push(Value::Named("tls", Box::new(c.addr(4))));
    }
    if f & 0x1200000 != 0 {
        c.push(Value::Named("child_tidptr", Box::new(c.addr(3))));
    }
}

fn int_ptr(c: &Ctx<'_>, p: u64) -> Value {
    if p == 0 {
        return Value::Addr(0);
    }
    match c.read_u32(p) {
        Some(v) => Value::Array {
            items: vec![Value::Int(v as i32 as i64)],
            more: false,
        },
        None => Value::Unavailable(p),
    }
}

pub(crate) fn clone3(c: &mut Ctx<'_>) {
    let size = c.arg(1);
    let addr = c.arg(0);
    if c.entering() {
        let v = if size < 64 {
            c.addr(0)
        } else {
            c.struct_at(addr, 88.min(size as usize), |c, b| {
                let f = le64(b, 0);
                let mut fields = vec![("flags", flags(CLONE_FLAGS, f, "CLONE_???"))];
                let ptr = |o| Value::Addr(le64(b, o));
                if f & 0x1000 != 0 {
                    fields.push(("pidfd", ptr(8)));
                }
                if f & 0x1200000 != 0 {
                    fields.push(("child_tid", ptr(16)));
                }
                if f & 0x100000 != 0 {
                    fields.push(("parent_tid", ptr(24)));
                }
                let es = le64(b, 32);
                fields.push((
                    "exit_signal",
                    if es == 0 {
                        Value::UInt(0)
                    } else {
                        signal(es as i64)
                    },
                ));
                fields.push(("stack", ptr(40)));
                fields.push(("stack_size", Value::Hex(le64(b, 48))));
                if f & 0x80000 != 0 {
                    fields.push(("tls", ptr(56)));
                }
                if b.len() >= 80 && le64(b, 72) != 0 {
                    fields.push(("set_tid", ptr(64)));
                    fields.push(("set_tid_size", Value::UInt(le64(b, 72))));
                }
                if b.len() >= 88 && f & 0x200000000 != 0 {
                    fields.push(("cgroup", Value::UInt(le64(b, 80))));
                }
                let _ = c;
                st(fields)
            })
        };
        c.push(v);
        c.saved.push(if size >= 64 {
            c.read_u64(addr).unwrap_or(0)
        } else {
            0
        });
        c.defer();
        // The exit part is either ` => {parent_tid=[42]}, 88` or `, 88`;
        // both are spelled out below, so nothing goes between.
        c.glue = Some("");
        return;
    }
    let f = c.saved(0);
    if !c.failed() && size >= 64 && f & 0x1100000 != 0 {
        let mut fields = Vec::new();
        if f & 0x1000 != 0 {
            if let Some(p) = c.read_u64(addr.wrapping_add(8)) {
                fields.push(("pidfd", int_ptr(c, p)));
            }
        }
        if f & 0x100000 != 0 {
            if let Some(p) = c.read_u64(addr.wrapping_add(24)) {
                fields.push(("parent_tid", int_ptr(c, p)));
            }
        }
        if !fields.is_empty() {
            let changed = crate::text::value_to_string(&st(fields), c.opts);
            c.push(Value::Raw(format!(" => {changed}")));
            c.push(Value::UInt(size));
            return;
        }
    }
    c.push(Value::Raw(format!(", {size}")));
}

pub(crate) fn kill(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [int(c, 0), signal(c.int(1) as i64)];
        c.args.extend(v);
    }
}
pub(crate) use kill as tkill;

pub(crate) fn tgkill(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [int(c, 0), int(c, 1), signal(c.int(2) as i64)];
        c.args.extend(v);
    }
}

pub(crate) fn arch_prctl(c: &mut Ctx<'_>) {
    let code = c.arg(0) & 0xffff_ffff;
    if c.entering() {
        c.push(xval(ARCH_PRCTL, code, "ARCH_???"));
        if code == 0x1003 || code == 0x1004 {
            c.defer();
        } else {
            c.push(Value::Hex(c.arg(1)));
        }
        return;
    }
    let a = c.arg(1);
    let v = if c.failed() {
        c.addr(1)
    } else {
        match c.read_u64(a) {
            Some(x) => Value::Array {
                items: vec![Value::Hex(x)],
                more: false,
            },
            None => Value::Unavailable(a),
        }
    };
    c.push(v);
}

pub(crate) fn set_tid_address(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        c.push(c.addr(0));
    }
}

pub(crate) fn set_robust_list(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.addr(0), ulong(c, 1)];
        c.args.extend(v);
    }
}

pub(crate) fn rseq(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.addr(0),
            Value::Hex(c.arg(1) & 0xffff_ffff),
            Value::Hex(c.arg(2) & 0xffff_ffff),
            Value::Hex(c.arg(3) & 0xffff_ffff),
        ];
        c.args.extend(v);
    }
}

fn rlim(v: u64) -> Value {
    if v == u64::MAX {
        Value::Sym("RLIM64_INFINITY")
    } else if v > 1024 && v & 1023 == 0 {
        let mut t = crate::pool::take_text();
        crate::text::push_uint(&mut t, v / 1024);
        t.push_str("*1024");
        Value::Raw(t)
    } else {
        Value::UInt(v)
    }
}

/// A 32-bit struct rlimit (i386 getrlimit/setrlimit/ugetrlimit).
fn rlimit32_at(c: &Ctx<'_>, addr: u64) -> Value {
    c.struct_at(addr, 8, |_, b| {
        let r = |o| match le32(b, o) {
            u32::MAX => Value::Sym("RLIM_INFINITY"),
            v => rlim(v as u64),
        };
        st(vec![("rlim_cur", r(0)), ("rlim_max", r(4))])
    })
}

/// struct rlimit of the call's ABI.
fn rlimit_abi(c: &Ctx<'_>, addr: u64) -> Value {
    if c.call.abi == crate::Abi::I386 {
        rlimit32_at(c, addr)
    } else {
        rlimit_at(c, addr)
    }
}

fn rlimit_at(c: &Ctx<'_>, addr: u64) -> Value {
    c.struct_at(addr, 16, |_, b| {
        st(vec![
            ("rlim_cur", rlim(le64(b, 0))),
            ("rlim_max", rlim(le64(b, 8))),
        ])
    })
}

fn resource(c: &Ctx<'_>, i: usize) -> Value {
    xval(RLIMIT, c.arg(i) & 0xffff_ffff, "RLIMIT_???")
}

pub(crate) fn prlimit64(c: &mut Ctx<'_>) {
    if c.entering() {
        let v = [int(c, 0), resource(c, 1), rlimit_at(c, c.arg(2))];
        c.args.extend(v);
        c.defer();
    } else {
        let v = if c.failed() && c.arg(3) != 0 {
            c.addr(3)
        } else {
            rlimit_at(c, c.arg(3))
        };
        c.push(v);
    }
}

pub(crate) fn getrlimit(c: &mut Ctx<'_>) {
    if c.entering() {
        c.push(resource(c, 0));
        c.defer();
    } else {
        let v = if c.failed() {
            c.addr(1)
        } else {
            rlimit_abi(c, c.arg(1))
        };
        c.push(v);
    }
}

pub(crate) fn setrlimit(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [resource(c, 0), rlimit_abi(c, c.arg(1))];
        c.args.extend(v);
    }
}

pub(crate) fn uname(c: &mut Ctx<'_>) {
    if c.entering() {
        c.defer();
        return;
    }
    let verbose = c.opts.verbose;
    let v = c.out_struct(0, 390, |_, b| {
        let field = |i: usize| {
            let s = &b[i * 65..i * 65 + 65];
            let end = s.iter().position(|&x| x == 0).unwrap_or(65);
            Value::Str {
                bytes: s[..end].to_vec(),
                truncated: false,
            }
        };
        if verbose {
            st(vec![
                ("sysname", field(0)),
                ("nodename", field(1)),
                ("release", field(2)),
                ("version", field(3)),
                ("machine", field(4)),
                ("domainname", field(5)),
            ])
        } else {
            Value::Struct {
                fields: vec![("sysname", field(0)), ("nodename", field(1))],
                more: true,
            }
        }
    });
    c.push(v);
}

pub(crate) fn prctl(c: &mut Ctx<'_>) {
    let op = c.arg(0) & 0xffff_ffff;
    if c.entering() {
        c.push(xval(PR_OPTIONS, op, "PR_???"));
        match op {
            // no arguments
            3 | 7 | 21 | 25 | 30 | 37 | 39 | 42 | 46 | 19 | 27 | 5 | 9 | 11 | 13 | 34 | 58 => {}
            // one int
            4 | 8 | 29 | 36 | 14 => c.push(ulong(c, 1)),
            1 => c.push(signal(c.int(1) as i64)),
            23 | 24 => c.push(xval(CAPS, c.arg(1), "CAP_???")),
            47 => {
                let sub = c.arg(1);
                c.push(xval(
                    &[
                        (1, "PR_CAP_AMBIENT_IS_SET"),
                        (2, "PR_CAP_AMBIENT_RAISE"),
                        (3, "PR_CAP_AMBIENT_LOWER"),
                        (4, "PR_CAP_AMBIENT_CLEAR_ALL"),
                    ],
                    sub,
                    "PR_CAP_AMBIENT_???",
                ));
                if sub != 4 {
                    c.push(xval(CAPS, c.arg(2), "CAP_???"));
                }
            }
            2 | 40 => c.defer(),
            15 => {
                let s = c.cstr(1);
                c.push(s);
            }
            16 => c.defer(),
            // PR_SET_NO_NEW_PRIVS: the flag and the unused three, decimal
            38 => {
                for i in 1..5 {
                    c.push(ulong(c, i));
                }
            }
            _ => {
                for i in 1..5 {
                    c.push(Value::Hex(c.arg(i)));
                }
            }
        }
        return;
    }
    match op {
        16 => {
            let v = if c.failed() { c.addr(1) } else { c.cstr(1) };
            c.push(v);
        }
        2 => {
            let a = c.arg(1);
            let v = if c.failed() {
                c.addr(1)
            } else {
                match c.read_u32(a) {
                    Some(s) => Value::Array {
                        items: vec![signal(s as i32 as i64)],
                        more: false,
                    },
                    None => Value::Unavailable(a),
                }
            };
            c.push(v);
        }
        40 => {
            let a = c.arg(1);
            let v = if c.failed() {
                c.addr(1)
            } else {
                match c.read_u64(a) {
                    Some(x) => Value::Array {
                        items: vec![Value::Addr(x)],
                        more: false,
                    },
                    None => Value::Unavailable(a),
                }
            };
            c.push(v);
        }
        3 if !c.failed() => {
            let r = c.retval();
            let n = ["SUID_DUMP_DISABLE", "SUID_DUMP_USER", "SUID_DUMP_ROOT"];
            if (0..3).contains(&r) {
                c.set_ret(RetValue::Commented(
                    Box::new(RetValue::Int(r)),
                    n[r as usize].into(),
                ));
            }
        }
        _ => {}
    }
}

fn cpu_set(c: &Ctx<'_>, addr: u64, size: u64) -> Value {
    if addr == 0 {
        return Value::Addr(0);
    }
    let n = size.min(8192) as usize;
    c.struct_at(addr, n, |_, b| {
        let mut items = Vec::new();
        for (i, &byte) in b.iter().enumerate() {
            for bit in 0..8 {
                if byte & (1 << bit) != 0 {
                    items.push(Value::UInt((i * 8 + bit) as u64));
                }
            }
        }
        Value::Set {
            negated: false,
            items,
        }
    })
}

pub(crate) fn sched_getaffinity(c: &mut Ctx<'_>) {
    if c.entering() {
        let v = [int(c, 0), Value::UInt(c.arg(1) & 0xffff_ffff)];
        c.args.extend(v);
        c.defer();
    } else {
        let v = if c.failed() {
            c.addr(2)
        } else {
            cpu_set(c, c.arg(2), c.retval() as u64)
        };
        c.push(v);
    }
}

pub(crate) fn sched_setaffinity(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            int(c, 0),
            Value::UInt(c.arg(1) & 0xffff_ffff),
            cpu_set(c, c.arg(2), c.arg(1) & 0xffff_ffff),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn sysinfo(c: &mut Ctx<'_>) {
    if c.entering() {
        c.defer();
        return;
    }
    let v = c.out_struct(0, 112, |c, b| {
        let u = |o| Value::UInt(le64(b, o));
        st(vec![
            ("uptime", Value::Int(le64(b, 0) as i64)),
            ("loads", super::limited(c, vec![u(8), u(16), u(24)])),
            ("totalram", u(32)),
            ("freeram", u(40)),
            ("sharedram", u(48)),
            ("bufferram", u(56)),
            ("totalswap", u(64)),
            ("freeswap", u(72)),
            ("procs", Value::UInt(crate::ctx::le16(b, 80) as u64)),
            ("totalhigh", u(88)),
            ("freehigh", u(96)),
            ("mem_unit", Value::UInt(le32(b, 104) as u64)),
        ])
    });
    c.push(v);
}

pub(crate) fn getrandom(c: &mut Ctx<'_>) {
    if c.entering() {
        c.defer();
        return;
    }
    let v = if c.failed() {
        c.addr(0)
    } else {
        match c.buf(0, c.retval().max(0) as u64) {
            Value::Str { bytes, truncated } => Value::HexStr { bytes, truncated },
            other => other,
        }
    };
    c.push(v);
    c.push(ulong(c, 1));
    c.push(flags(GRND, c.arg(2) & 0xffff_ffff, "GRND_???"));
}

/// One uid/gid argument.
pub(crate) fn setuid(c: &mut Ctx<'_>) {
    if c.entering() {
        c.push(id(c, 0));
    }
}
pub(crate) use setuid as setgid;
pub(crate) use setuid as setfsuid;
pub(crate) use setuid as setfsgid;

pub(crate) fn setreuid(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [id(c, 0), id(c, 1)];
        c.args.extend(v);
    }
}
pub(crate) use setreuid as setregid;

pub(crate) fn setresuid(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [id(c, 0), id(c, 1), id(c, 2)];
        c.args.extend(v);
    }
}
pub(crate) use setresuid as setresgid;

pub(crate) fn getresuid(c: &mut Ctx<'_>) {
    if c.entering() {
        c.defer();
        return;
    }
    for i in 0..3 {
        let v = if c.failed() {
            c.addr(i)
        } else {
            uint_ptr(c, c.arg(i))
        };
        c.push(v);
    }
}
pub(crate) use getresuid as getresgid;

fn uint_ptr(c: &Ctx<'_>, p: u64) -> Value {
    if p == 0 {
        return Value::Addr(0);
    }
    match c.read_u32(p) {
        Some(v) => Value::Array {
            items: vec![Value::UInt(v as u64)],
            more: false,
        },
        None => Value::Unavailable(p),
    }
}

pub(crate) fn setpgid(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [int(c, 0), int(c, 1)];
        c.args.extend(v);
    }
}

pub(crate) fn getpgid(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        c.push(int(c, 0));
    }
}
pub(crate) use getpgid as getsid;

static PERSONA_FLAGS: Xlat = &[
    (0x20000, "UNAME26"),
    (0x40000, "ADDR_NO_RANDOMIZE"),
    (0x80000, "FDPIC_FUNCPTRS"),
    (0x100000, "MMAP_PAGE_ZERO"),
    (0x200000, "ADDR_COMPAT_LAYOUT"),
    (0x400000, "READ_IMPLIES_EXEC"),
    (0x800000, "ADDR_LIMIT_32BIT"),
    (0x1000000, "SHORT_INODE"),
    (0x2000000, "WHOLE_SECONDS"),
    (0x4000000, "STICKY_TIMEOUTS"),
    (0x8000000, "ADDR_LIMIT_3GB"),
];

/// `PER_LINUX|ADDR_NO_RANDOMIZE`.
fn persona(p: u64) -> String {
    let dom = match lookup(PERSONALITY, p & 0xff) {
        Some(n) => n.to_string(),
        None => format!("{:#x} /* PER_??? */", p & 0xff),
    };
    let rest = p & !0xff;
    if rest == 0 {
        dom
    } else {
        format!("{dom}|{}", crate::ctx::flags_tail(PERSONA_FLAGS, rest))
    }
}

pub(crate) fn personality(c: &mut Ctx<'_>) {
    if c.entering() {
        let p = c.arg(0) & 0xffff_ffff;
        let v = if p == 0xffff_ffff {
            Value::Hex(p)
        } else {
            Value::Raw(persona(p))
        };
        c.push(v);
    } else if !c.failed() {
        let r = c.retval() as u64 & 0xffff_ffff;
        c.set_ret(RetValue::Commented(Box::new(RetValue::Hex(r)), persona(r)));
    }
}

pub(crate) fn pidfd_open(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            int(c, 0),
            flags(
                &[(0o4000, "PIDFD_NONBLOCK")],
                c.arg(1) & 0xffff_ffff,
                "PIDFD_???",
            ),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn pidfd_send_signal(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.fd(0),
            signal(c.int(1) as i64),
            c.addr(2),
            Value::UInt(c.arg(3) & 0xffff_ffff),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn pidfd_getfd(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [c.fd(0), int(c, 1), Value::Hex(c.arg(2) & 0xffff_ffff)];
        c.args.extend(v);
    }
}

fn gid_list(c: &Ctx<'_>, addr: u64, n: u64) -> Value {
    super::array_at(c, addr, n, 4, |_, b| Value::UInt(le32(b, 0) as u64))
}

pub(crate) fn getgroups(c: &mut Ctx<'_>) {
    if c.entering() {
        c.push(int(c, 0));
        c.defer();
    } else {
        let n = (c.int(0).max(0) as u64).min(c.retval().max(0) as u64);
        let v = if c.failed() {
            c.addr(1)
        } else {
            gid_list(c, c.arg(1), n)
        };
        c.push(v);
    }
}

pub(crate) fn setgroups(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let n = c.int(0);
        let list = if n < 0 {
            c.addr(1)
        } else {
            gid_list(c, c.arg(1), n as u64)
        };
        let v = [int(c, 0), list];
        c.args.extend(v);
    }
}

pub(crate) fn getrusage(c: &mut Ctx<'_>) {
    if c.entering() {
        // Known values are signed (RUSAGE_CHILDREN is -1), unknown ones
        // are printed as a 32-bit hex number: `0xfffffffb /* RUSAGE_??? */`.
        let who = c.int(0);
        c.push(match lookup(RUSAGE_WHO, who as i64 as u64) {
            Some(n) => Value::Sym(n),
            None => Value::Commented(Box::new(Value::Hex(who as u32 as u64)), "RUSAGE_???".into()),
        });
        c.defer();
    } else {
        let v = if c.failed() {
            c.addr(1)
        } else {
            rusage(c, c.arg(1))
        };
        c.push(v);
    }
}

pub(crate) fn sched_yield(_c: &mut Ctx<'_>) {}

pub(crate) fn getpriority(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            xval(PRIO_WHICH, c.arg(0) & 0xffff_ffff, "PRIO_???"),
            int(c, 1),
        ];
        c.args.extend(v);
    }
}

pub(crate) fn setpriority(c: &mut Ctx<'_>) {
    getpriority(c);
    if c.entering() {
        c.push(int(c, 2));
    }
}

static UNSHARE_FLAGS: Xlat = &[
    (0x80, "CLONE_NEWTIME"),
    (0x100, "CLONE_VM"),
    (0x200, "CLONE_FS"),
    (0x400, "CLONE_FILES"),
    (0x800, "CLONE_SIGHAND"),
    (0x10000, "CLONE_THREAD"),
    (0x20000, "CLONE_NEWNS"),
    (0x40000, "CLONE_SYSVSEM"),
    (0x2000000, "CLONE_NEWCGROUP"),
    (0x4000000, "CLONE_NEWUTS"),
    (0x8000000, "CLONE_NEWIPC"),
    (0x10000000, "CLONE_NEWUSER"),
    (0x20000000, "CLONE_NEWPID"),
    (0x40000000, "CLONE_NEWNET"),
];

static SETNS_FLAGS: Xlat = &[
    (0x80, "CLONE_NEWTIME"),
    (0x20000, "CLONE_NEWNS"),
    (0x2000000, "CLONE_NEWCGROUP"),
    (0x4000000, "CLONE_NEWUTS"),
    (0x8000000, "CLONE_NEWIPC"),
    (0x10000000, "CLONE_NEWUSER"),
    (0x20000000, "CLONE_NEWPID"),
    (0x40000000, "CLONE_NEWNET"),
];

pub(crate) fn unshare(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        c.push(flags(UNSHARE_FLAGS, c.arg(0) & 0xffff_ffff, "CLONE_???"));
    }
}

pub(crate) fn setns(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [
            c.fd(0),
            flags(SETNS_FLAGS, c.arg(1) & 0xffff_ffff, "CLONE_???"),
        ];
        c.args.extend(v);
    }
}

fn sched_param(c: &Ctx<'_>, addr: u64) -> Value {
    c.struct_at(addr, 4, |_, b| {
        st(vec![(
            "sched_priority",
            Value::Int(le32(b, 0) as i32 as i64),
        )])
    })
}

fn policy(v: u64) -> Value {
    let v = v & 0xffff_ffff;
    match lookup(SCHED_POLICIES, v & !0x40000000) {
        Some(n) if v & 0x40000000 != 0 => Value::Raw(format!("{n}|SCHED_RESET_ON_FORK")),
        Some(n) => Value::Sym(n),
        None => Value::Commented(Box::new(Value::Hex(v)), "SCHED_???".into()),
    }
}

pub(crate) fn sched_getscheduler(c: &mut Ctx<'_>) {
    if c.entering() {
        c.push(int(c, 0));
    } else if !c.failed() {
        let r = c.retval() as u64;
        if let Value::Sym(n) = policy(r) {
            c.set_ret(RetValue::Commented(
                Box::new(RetValue::Int(r as i64)),
                n.into(),
            ));
        }
    }
}

pub(crate) fn sched_setscheduler(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [int(c, 0), policy(c.arg(1)), sched_param(c, c.arg(2))];
        c.args.extend(v);
    }
}

pub(crate) fn sched_getparam(c: &mut Ctx<'_>) {
    if c.entering() {
        c.push(int(c, 0));
        c.defer();
    } else {
        let v = if c.failed() {
            c.addr(1)
        } else {
            sched_param(c, c.arg(1))
        };
        c.push(v);
    }
}

pub(crate) fn sched_setparam(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        let v = [int(c, 0), sched_param(c, c.arg(1))];
        c.args.extend(v);
    }
}

pub(crate) fn sched_get_priority_max(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        c.push(policy(c.arg(0)));
    }
}
pub(crate) use sched_get_priority_max as sched_get_priority_min;

pub(crate) fn sched_rr_get_interval(c: &mut Ctx<'_>) {
    if c.entering() {
        c.push(int(c, 0));
        c.defer();
    } else {
        let v = if c.failed() {
            c.addr(1)
        } else {
            super::timespec_at(c, c.arg(1))
        };
        c.push(v);
    }
}

pub(crate) fn mlockall(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        c.push(flags(
            &[(1, "MCL_CURRENT"), (2, "MCL_FUTURE"), (4, "MCL_ONFAULT")],
            c.arg(0) & 0xffff_ffff,
            "MCL_???",
        ));
    }
}
