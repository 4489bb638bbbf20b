//! Decoders for calls that fit no larger family: ptrace (by request),
//! POSIX timers, interval timers and io_uring_setup.

use super::{int, timeval_bytes, ulong};
use crate::ctx::{flags, le32, le64, st, xval, xval_dec, Ctx};
use crate::family::time::{clockid, itimerspec_at};
use crate::tables::xlat::*;
use crate::value::{RetValue, Value};

static PTRACE_OPTIONS: Xlat = &[
    (0x1, "PTRACE_O_TRACESYSGOOD"),
    (0x2, "PTRACE_O_TRACEFORK"),
    (0x4, "PTRACE_O_TRACEVFORK"),
    (0x8, "PTRACE_O_TRACECLONE"),
    (0x10, "PTRACE_O_TRACEEXEC"),
    (0x20, "PTRACE_O_TRACEVFORKDONE"),
    (0x40, "PTRACE_O_TRACEEXIT"),
    (0x80, "PTRACE_O_TRACESECCOMP"),
    (0x100000, "PTRACE_O_EXITKILL"),
    (0x200000, "PTRACE_O_SUSPEND_SECCOMP"),
];

fn word_out(c: &Ctx<'_>, i: usize) -> Value {
    let a = c.arg(i);
    if c.failed() || a == 0 {
        return Value::Addr(a);
    }
    match c.read_ptr(a) {
        Some(v) => Value::Array {
            items: vec![Value::Addr(v)],
            more: false,
        },
        None => Value::Unavailable(a),
    }
}

/// x86_64 `struct user_regs_struct` field names, in order.
const REGS_X86_64: [&str; 27] = [
    "r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8", "rax", "rcx", "rdx", "rsi",
    "rdi", "orig_rax", "rip", "cs", "eflags", "rsp", "ss", "fs_base", "gs_base", "ds", "es", "fs",
    "gs",
];

/// i386 `struct user_regs_struct` field names, in order.
const REGS_I386: [&str; 17] = [
    "ebx", "ecx", "edx", "esi", "edi", "ebp", "eax", "xds", "xes", "xfs", "xgs", "orig_eax", "eip",
    "xcs", "eflags", "esp", "xss",
];

/// The general registers at `addr` (PTRACE_GETREGS, NT_PRSTATUS), as
/// strace prints them: `{r15=0x..., ..., gs=0}`; of the tracer's ABI.
fn regs_at(c: &Ctx<'_>, addr: u64) -> Value {
    let wide = c.ptr_size() == 8;
    let (names, size): (&[&str], usize) = if wide {
        (&REGS_X86_64, 8)
    } else {
        (&REGS_I386, 4)
    };
    c.struct_at(addr, names.len() * size, |_, b| {
        st(names
            .iter()
            .enumerate()
            .map(|(i, &n)| {
                let v = if wide {
                    le64(b, i * 8)
                } else {
                    le32(b, i * 4) as u64
                };
                (n, Value::Hex(v))
            })
            .collect())
    })
}

/// A PTRACE_PEEKUSER/POKEUSER offset into x86_64 `struct user`, named as
/// strace does (`8*RIP`, `offsetof(struct user, u_debugreg)+8`).
fn user_offset(c: &Ctx<'_>, off: u64) -> Value {
    const FIELDS: [(u64, &str); 15] = [
        (216, "u_fpvalid"),
        (224, "i387"),
        (736, "u_tsize"),
        (744, "u_dsize"),
        (752, "u_ssize"),
        (760, "start_code"),
        (768, "start_stack"),
        (776, "signal"),
        (784, "reserved"),
        (792, "u_ar0"),
        (800, "u_fpstate"),
        (808, "magic"),
        (816, "u_comm"),
        (848, "u_debugreg"),
        (912, ""),
    ];
    if c.ptr_size() != 8 || off > 912 {
        return Value::Hex(off);
    }
    if off == 912 {
        return Value::Sym("sizeof(struct user)");
    }
    let (base, name) = if off < 216 {
        let i = (off / 8).min(20);
        (
            i * 8,
            format!("8*{}", REGS_X86_64[i as usize].to_uppercase()),
        )
    } else {
        let &(base, field) = FIELDS
            .iter()
            .rev()
            .find(|f| f.0 <= off)
            .unwrap_or(&FIELDS[0]);
        (base, format!("offsetof(struct user, {field})"))
    };
    if off == base {
        Value::Raw(name)
    } else {
        Value::Raw(format!("{name}+{}", off - base))
    }
}

fn syscall_info(c: &Ctx<'_>, addr: u64, len: usize) -> Value {
    let len = len.min(88);
    if len < 24 {
        return Value::Addr(addr);
    }
    c.struct_at(addr, len, |c, b| {
        let op = b[0];
        let arch = le32(b, 4);
        let archv = match arch {
            0xc000003e => Value::Sym("AUDIT_ARCH_X86_64"),
            0x40000003 => Value::Sym("AUDIT_ARCH_I386"),
            a => Value::Hex(a as u64),
        };
        let opv = match op {
            0 => Value::Sym("PTRACE_SYSCALL_INFO_NONE"),
            1 => Value::Sym("PTRACE_SYSCALL_INFO_ENTRY"),
            2 => Value::Sym("PTRACE_SYSCALL_INFO_EXIT"),
            3 => Value::Sym("PTRACE_SYSCALL_INFO_SECCOMP"),
            o => Value::Hex(o as u64),
        };
        let mut f = vec![
            ("op", opv),
            ("arch", archv),
            ("instruction_pointer", Value::Addr(le64(b, 8))),
            ("stack_pointer", Value::Addr(le64(b, 16))),
        ];
        let abi = if arch == 0x40000003 {
            crate::Abi::I386
        } else {
            crate::Abi::X86_64
        };
        if (op == 1 || op == 3) && b.len() >= 80 {
            let nr = le64(b, 24);
            let name = crate::syscall_name(abi, nr);
            let nrv = if name.starts_with("syscall_") {
                Value::UInt(nr)
            } else {
                Value::Raw(format!("__NR_{name}"))
            };
            let args = (0..6).map(|i| Value::Hex(le64(b, 32 + i * 8))).collect();
            let mut e = vec![
                ("nr", nrv),
                (
                    "args",
                    Value::Array {
                        items: args,
                        more: false,
                    },
                ),
            ];
            if op == 3 && b.len() >= 84 {
                e.push(("ret_data", Value::UInt(le32(b, 80) as u64)));
            }
            f.push((if op == 1 { "entry" } else { "seccomp" }, st(e)));
        } else if op == 2 && b.len() >= 33 {
            let rval = le64(b, 24) as i64;
            let is_err = b[32];
            let rv = if is_err != 0 {
                match crate::errno_name((-rval) as i32) {
                    Some((n, _)) => Value::Raw(format!("-{n}")),
                    None => Value::Int(rval),
                }
            } else {
                Value::Int(rval)
            };
            f.push((
                "exit",
                st(vec![("rval", rv), ("is_error", Value::UInt(is_err as u64))]),
            ));
        }
        let _ = c;
        st(f)
    })
}

pub(crate) fn ptrace(c: &mut Ctx<'_>) {
    let req = c.arg(0) & 0xffff_ffff;
    if c.entering() {
        c.push(xval(PTRACE_REQS, req, "PTRACE_???"));
        if req == 0 {
            return;
        }
        c.push(int(c, 1));
        match req {
            0x4207 | 0x4208 | 16 | 8 => {}
            1..=3 => {
                let off = if req == 3 {
                    user_offset(c, c.arg(2))
                } else {
                    c.addr(2)
                };
                c.push(off);
                c.defer();
            }
            4..=6 => {
                let off = if req == 6 {
                    user_offset(c, c.arg(2))
                } else {
                    c.addr(2)
                };
                let v = [off, Value::Addr(c.arg(3))];
                c.args.extend(v);
            }
            // PTRACE_GETREGS: the registers at exit; addr is not printed.
            12 => c.defer(),
            13 => {
                let v = regs_at(c, c.arg(3));
                c.push(v);
            }
            7 | 9 | 17 | 24 | 31 | 32 | 33 => {
                let v = [c.addr(2), crate::ctx::signal(c.arg(3) as i32 as i64)];
                c.args.extend(v);
            }
            0x4200 | 0x4206 => {
                let v = [c.addr(2), flags(PTRACE_OPTIONS, c.arg(3), "PTRACE_O_???")];
                c.args.extend(v);
            }
            0x4201 | 0x4202 => {
                c.push(c.addr(2));
                c.defer();
            }
            0x4203 => {
                let si = c.struct_at(c.arg(3), 128, |c, b| {
                    Value::Raw(crate::siginfo::format_bytes(b, c.ptr_size() == 8))
                });
                let v = [c.addr(2), si];
                c.args.extend(v);
            }
            0x420e => {
                c.push(ulong(c, 2));
                c.defer();
            }
            0x4204 | 0x4205 => {
                let nt = xval(
                    &[
                        (1, "NT_PRSTATUS"),
                        (2, "NT_PRFPREG"),
                        (0x202, "NT_X86_XSTATE"),
                        (0x200, "NT_386_TLS"),
                    ],
                    c.arg(2),
                    "NT_???",
                );
                c.push(nt);
                c.defer();
            }
            _ => {
                let v = [c.addr(2), Value::Hex(c.arg(3))];
                c.args.extend(v);
            }
        }
        return;
    }
    match req {
        1..=3 => {
            let v = word_out(c, 3);
            c.push(v);
        }
        12 => {
            let v = if c.failed() {
                c.addr(3)
            } else {
                regs_at(c, c.arg(3))
            };
            c.push(v);
        }
        0x4201 => {
            let v = word_out(c, 3);
            let v = match v {
                Value::Array { items, more } => Value::Array {
                    items: items
                        .into_iter()
                        .map(|x| match x {
                            Value::Addr(h) => Value::UInt(h),
                            o => o,
                        })
                        .collect(),
                    more,
                },
                o => o,
            };
            c.push(v);
        }
        0x4202 => {
            let v = if c.failed() {
                c.addr(3)
            } else {
                c.struct_at(c.arg(3), 128, |c, b| {
                    Value::Raw(crate::siginfo::format_bytes(b, c.ptr_size() == 8))
                })
            };
            c.push(v);
        }
        0x420e => {
            let v = if c.failed() {
                c.addr(3)
            } else {
                syscall_info(
                    c,
                    c.arg(3),
                    (c.retval().max(0) as u64).min(c.arg(2)) as usize,
                )
            };
            c.push(v);
        }
        0x4204 | 0x4205 => {
            // struct iovec: two pointer-sized words; the general registers
            // (NT_PRSTATUS of the full size) are shown.
            let ps = c.ptr_size();
            let prstatus = c.arg(2) == 1 && !c.failed();
            let v = c.struct_at(c.arg(3), 2 * ps, |c, b| {
                let word = |i: usize| {
                    if ps == 8 {
                        le64(b, i * 8)
                    } else {
                        le32(b, i * 4) as u64
                    }
                };
                let (base, len) = (word(0), word(1));
                let full = if ps == 8 { 27 * 8 } else { 17 * 4 };
                let regs = if prstatus && len == full {
                    regs_at(c, base)
                } else {
                    Value::Addr(base)
                };
                st(vec![("iov_base", regs), ("iov_len", Value::UInt(len))])
            });
            c.push(v);
        }
        _ => {}
    }
    if (1..=3).contains(&req) && !c.failed() {
        c.set_ret(RetValue::Int(0));
    }
}

fn sigevent_at(c: &Ctx<'_>, addr: u64) -> Value {
    c.struct_at(addr, 64, |_, b| {
        let val = le64(b, 0);
        let signo = le32(b, 8) as i32;
        let notify = le32(b, 12);
        let nv = xval_dec(
            &[
                (0, "SIGEV_SIGNAL"),
                (1, "SIGEV_NONE"),
                (2, "SIGEV_THREAD"),
                (4, "SIGEV_THREAD_ID"),
            ],
            notify as i64,
            "SIGEV_???",
        );
        let mut f = Vec::new();
        if val != 0 {
            f.push((
                "sigev_value",
                st(vec![
                    ("sival_int", Value::Int(val as i32 as i64)),
                    ("sival_ptr", Value::Addr(val)),
                ]),
            ));
        }
        f.push(("sigev_signo", crate::ctx::signal(signo as i64)));
        f.push(("sigev_notify", nv));
        if notify == 4 {
            f.push((
                "sigev_notify_thread_id",
                Value::Int(le32(b, 16) as i32 as i64),
            ));
        }
        st(f)
    })
}

pub(crate) fn timer_create(c: &mut Ctx<'_>) {
    if c.entering() {
        let v = [clockid(c.int(0)), sigevent_at(c, c.arg(1))];
        c.args.extend(v);
        c.defer();
    } else {
        let v = if c.failed() {
            c.addr(2)
        } else {
            super::int_array_at(c, c.arg(2), 1)
        };
        c.push(v);
    }
}

pub(crate) fn timer_settime(c: &mut Ctx<'_>) {
    if c.entering() {
        let v = [
            int(c, 0),
            flags(TIMER_FLAGS, c.arg(1) & 0xffff_ffff, "TIMER_???"),
            itimerspec_at(c, c.arg(2)),
        ];
        c.args.extend(v);
        c.defer();
    } else {
        let v = if c.failed() && c.arg(3) != 0 {
            c.addr(3)
        } else {
            itimerspec_at(c, c.arg(3))
        };
        c.push(v);
    }
}

pub(crate) fn timer_gettime(c: &mut Ctx<'_>) {
    if c.entering() {
        c.push(int(c, 0));
        c.defer();
    } else {
        let v = if c.failed() {
            c.addr(1)
        } else {
            itimerspec_at(c, c.arg(1))
        };
        c.push(v);
    }
}

pub(crate) fn timer_delete(c: &mut Ctx<'_>) {
    c.entry_only();
    if c.entering() {
        c.push(int(c, 0));
    }
}
pub(crate) use timer_delete as timer_getoverrun;

fn itimerval_at(c: &Ctx<'_>, addr: u64) -> Value {
    c.struct_at(addr, 32, |_, b| {
        st(vec![
            ("it_interval", timeval_bytes(&b[0..16])),
            ("it_value", timeval_bytes(&b[16..32])),
        ])
    })
}

fn which(c: &Ctx<'_>) -> Value {
    crate::ctx::xval(ITIMERS, c.arg(0) & 0xffff_ffff, "ITIMER_???")
}

pub(crate) fn getitimer(c: &mut Ctx<'_>) {
    if c.entering() {
        c.push(which(c));
        c.defer();
    } else {
        let v = if c.failed() {
            c.addr(1)
        } else {
            itimerval_at(c, c.arg(1))
        };
        c.push(v);
    }
}

pub(crate) fn setitimer(c: &mut Ctx<'_>) {
    if c.entering() {
        let v = [which(c), itimerval_at(c, c.arg(1))];
        c.args.extend(v);
        c.defer();
    } else {
        let v = if c.failed() && c.arg(2) != 0 {
            c.addr(2)
        } else {
            itimerval_at(c, c.arg(2))
        };
        c.push(v);
    }
}

pub(crate) fn io_uring_setup(c: &mut Ctx<'_>) {
    if c.entering() {
        c.push(Value::UInt(c.arg(0) & 0xffff_ffff));
        c.defer();
        return;
    }
    let v = if c.failed() {
        c.addr(1)
    } else {
        c.struct_at(c.arg(1), 120, |_, b| {
            let u = |o| Value::UInt(le32(b, o) as u64);
            let fl = le32(b, 8) as u64;
            let mut f = vec![
                (
                    "flags",
                    flags(
                        &[
                            (1, "IORING_SETUP_IOPOLL"),
                            (2, "IORING_SETUP_SQPOLL"),
                            (4, "IORING_SETUP_SQ_AFF"),
                            (8, "IORING_SETUP_CQSIZE"),
                            (16, "IORING_SETUP_CLAMP"),
                            (32, "IORING_SETUP_ATTACH_WQ"),
                            (64, "IORING_SETUP_R_DISABLED"),
                            (128, "IORING_SETUP_SUBMIT_ALL"),
                            (256, "IORING_SETUP_COOP_TASKRUN"),
                            (512, "IORING_SETUP_TASKRUN_FLAG"),
                            (1024, "IORING_SETUP_SQE128"),
                            (2048, "IORING_SETUP_CQE32"),
                            (4096, "IORING_SETUP_SINGLE_ISSUER"),
                            (8192, "IORING_SETUP_DEFER_TASKRUN"),
                        ],
                        fl,
                        "IORING_SETUP_???",
                    ),
                ),
                ("sq_thread_cpu", u(12)),
                ("sq_thread_idle", u(16)),
            ];
            if fl & 32 != 0 {
                f.push(("wq_fd", Value::Fd(le32(b, 24) as i32)));
            }
            f.push(("sq_entries", u(0)));
            f.push(("cq_entries", u(4)));
            f.push((
                "features",
                flags(
                    &[
                        (1, "IORING_FEAT_SINGLE_MMAP"),
                        (2, "IORING_FEAT_NODROP"),
                        (4, "IORING_FEAT_SUBMIT_STABLE"),
                        (8, "IORING_FEAT_RW_CUR_POS"),
                        (16, "IORING_FEAT_CUR_PERSONALITY"),
                        (32, "IORING_FEAT_FAST_POLL"),
                        (64, "IORING_FEAT_POLL_32BITS"),
                        (128, "IORING_FEAT_SQPOLL_NONFIXED"),
                        (256, "IORING_FEAT_EXT_ARG"),
                        (512, "IORING_FEAT_NATIVE_WORKERS"),
                        (1024, "IORING_FEAT_RSRC_TAGS"),
                        (2048, "IORING_FEAT_CQE_SKIP"),
                        (4096, "IORING_FEAT_LINKED_FILE"),
                    ],
                    le32(b, 20) as u64,
                    "IORING_FEAT_???",
                ),
            ));
            let sq = [
                "head",
                "tail",
                "ring_mask",
                "ring_entries",
                "flags",
                "dropped",
                "array",
            ];
            f.push((
                "sq_off",
                st(sq
                    .iter()
                    .enumerate()
                    .map(|(i, n)| (*n, u(40 + i * 4)))
                    .collect()),
            ));
            let cq = [
                "head",
                "tail",
                "ring_mask",
                "ring_entries",
                "overflow",
                "cqes",
                "flags",
            ];
            f.push((
                "cq_off",
                st(cq
                    .iter()
                    .enumerate()
                    .map(|(i, n)| (*n, u(80 + i * 4)))
                    .collect()),
            ));
            st(f)
        })
    };
    c.push(v);
}
