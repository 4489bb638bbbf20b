//! `siginfo_t` formatting as strace prints it in `--- SIGX {...} ---` lines
//! and in waitid/rt_sigtimedwait/rt_sigqueueinfo arguments. The union
//! member shown depends on the signal and si_code, as in the kernel.

use crate::ctx::{le32, le64};
use crate::SigInfoFields;

const SI_CODES: &[(i32, &str)] = &[
    (0, "SI_USER"),
    (0x80, "SI_KERNEL"),
    (-1, "SI_QUEUE"),
    (-2, "SI_TIMER"),
    (-3, "SI_MESGQ"),
    (-4, "SI_ASYNCIO"),
    (-5, "SI_SIGIO"),
    (-6, "SI_TKILL"),
    (-7, "SI_DETHREAD"),
    (-60, "SI_ASYNCNL"),
];

fn sig_code_names(signo: i32) -> &'static [&'static str] {
    match signo {
        4 => &[
            "ILL_ILLOPC",
            "ILL_ILLOPN",
            "ILL_ILLADR",
            "ILL_ILLTRP",
            "ILL_PRVOPC",
            "ILL_PRVREG",
            "ILL_COPROC",
            "ILL_BADSTK",
            "ILL_BADIADDR",
        ],
        8 => &[
            "FPE_INTDIV",
            "FPE_INTOVF",
            "FPE_FLTDIV",
            "FPE_FLTOVF",
            "FPE_FLTUND",
            "FPE_FLTRES",
            "FPE_FLTINV",
            "FPE_FLTSUB",
            "FPE_FLTUNK",
            "FPE_CONDTRAP",
        ],
        11 => &[
            "SEGV_MAPERR",
            "SEGV_ACCERR",
            "SEGV_BNDERR",
            "SEGV_PKUERR",
            "SEGV_ACCADI",
            "SEGV_ADIDERR",
            "SEGV_ADIPERR",
            "SEGV_MTEAERR",
            "SEGV_MTESERR",
            "SEGV_CPERR",
        ],
        7 => &[
            "BUS_ADRALN",
            "BUS_ADRERR",
            "BUS_OBJERR",
            "BUS_MCEERR_AR",
            "BUS_MCEERR_AO",
        ],
        5 => &[
            "TRAP_BRKPT",
            "TRAP_TRACE",
            "TRAP_BRANCH",
            "TRAP_HWBKPT",
            "TRAP_UNK",
            "TRAP_PERF",
        ],
        17 => &[
            "CLD_EXITED",
            "CLD_KILLED",
            "CLD_DUMPED",
            "CLD_TRAPPED",
            "CLD_STOPPED",
            "CLD_CONTINUED",
        ],
        29 => &[
            "POLL_IN", "POLL_OUT", "POLL_MSG", "POLL_ERR", "POLL_PRI", "POLL_HUP",
        ],
        31 => &["SYS_SECCOMP", "SYS_USER_DISPATCH"],
        _ => &[],
    }
}

/// The si_code's name for a signal, or the number.
pub(crate) fn code_name(signo: i32, code: i32) -> String {
    if code > 0 && code != 0x80 {
        if let Some(n) = sig_code_names(signo).get(code as usize - 1) {
            return n.to_string();
        }
    }
    match SI_CODES.iter().find(|c| c.0 == code) {
        Some(c) => c.1.to_string(),
        None => {
            if code < 0 {
                format!("{code}")
            } else {
                format!("{code:#x}")
            }
        }
    }
}

fn addr(a: u64) -> String {
    if a == 0 {
        "NULL".into()
    } else {
        format!("{a:#x}")
    }
}

/// Clock ticks (1/100 s) with strace's seconds comment when non-zero.
fn ticks(t: i64) -> String {
    if t == 0 {
        "0".into()
    } else {
        format!("{t} /* {}.{:02} s */", t / 100, (t % 100).abs())
    }
}

/// Formats the fields.
pub(crate) fn format(i: &SigInfoFields) -> String {
    format_common(i).unwrap_or_else(|| format_general(i))
}

/// The most frequent shapes, a child's SIGCHLD and a signal sent with
/// kill/tkill, without the formatting machinery; `None` for the others.
fn format_common(i: &SigInfoFields) -> Option<String> {
    if i.errno != 0 {
        return None;
    }
    let child = i.signo == 17 && i.code > 0 && i.code != 0x80;
    let sent = i.code == 0 || i.code == -6;
    if !(sent || (child && i.utime == 0 && i.stime == 0)) {
        return None;
    }
    let code = if child {
        sig_code_names(17).get(i.code as usize - 1).copied()?
    } else {
        SI_CODES.iter().find(|c| c.0 == i.code)?.1
    };
    let mut s = String::with_capacity(112);
    let mut num = itoa::Buffer::new();
    s.push_str("{si_signo=");
    s.push_str(&crate::signal_name(i.signo));
    s.push_str(", si_code=");
    s.push_str(code);
    s.push_str(", si_pid=");
    s.push_str(num.format(i.pid));
    s.push_str(", si_uid=");
    s.push_str(num.format(i.uid));
    if child {
        s.push_str(", si_status=");
        if i.code == 1 {
            s.push_str(num.format(i.status));
        } else {
            s.push_str(&crate::signal_name(i.status));
        }
        s.push_str(", si_utime=0, si_stime=0");
    }
    s.push('}');
    Some(s)
}

/// [`format()`] for every shape.
fn format_general(i: &SigInfoFields) -> String {
    let sig = crate::signal_name(i.signo);
    let mut s = format!("{{si_signo={sig}, si_code={}", code_name(i.signo, i.code));
    if i.errno != 0 {
        let e = match crate::errno_name(i.errno) {
            Some((n, _)) => n.to_string(),
            None => i.errno.to_string(),
        };
        s.push_str(&format!(", si_errno={e}"));
    }
    let is_fault = matches!(i.signo, 4 | 5 | 7 | 8 | 11);
    if i.code <= 0 {
        // sent by a process
        match i.code {
            -2 => s.push_str(&format!(
                ", si_timerid={}, si_overrun={}, si_int={}, si_ptr={}",
                addr(i.int1 as u32 as u64).replace("NULL", "0"),
                i.int2 as i32,
                i.value as i32,
                addr(i.value)
            )),
            -1 | -3 => s.push_str(&format!(
                ", si_pid={}, si_uid={}, si_int={}, si_ptr={}",
                i.pid,
                i.uid,
                i.value as i32,
                addr(i.value)
            )),
            0 | -6 => s.push_str(&format!(", si_pid={}, si_uid={}", i.pid, i.uid)),
            _ => {}
        }
    } else if i.code == 0x80 {
        if is_fault {
            s.push_str(&format!(", si_addr={}", addr(i.addr)));
        }
    } else {
        match i.signo {
            17 => {
                let status = if i.code == 1 {
                    i.status.to_string()
                } else {
                    crate::signal_name(i.status).into_owned()
                };
                s.push_str(&format!(
                    ", si_pid={}, si_uid={}, si_status={status}, si_utime={}, si_stime={}",
                    i.pid,
                    i.uid,
                    ticks(i.utime),
                    ticks(i.stime)
                ));
            }
            29 => s.push_str(&format!(", si_band={}, si_fd={}", i.value as i64, i.int1)),
            31 => {
                let name = crate::syscall_name(crate::Abi::X86_64, i.int1 as u32 as u64);
                let nr = if name.starts_with("syscall_") {
                    i.int1.to_string()
                } else {
                    format!("__NR_{name}")
                };
                let arch = match i.int2 {
                    0xc000003e => "AUDIT_ARCH_X86_64".to_string(),
                    0x40000003 => "AUDIT_ARCH_I386".to_string(),
                    a => format!("{a:#x}"),
                };
                s.push_str(&format!(
                    ", si_call_addr={}, si_syscall={nr}, si_arch={arch}",
                    addr(i.addr)
                ));
            }
            _ if is_fault => s.push_str(&format!(", si_addr={}", addr(i.addr))),
            _ => s.push_str(&format!(", si_pid={}, si_uid={}", i.pid, i.uid)),
        }
    }
    s.push('}');
    s
}

/// Parses a raw `siginfo_t` (128 bytes; `is64` for the x86_64 layout).
pub(crate) fn parse(b: &[u8], is64: bool) -> SigInfoFields {
    let signo = le32(b, 0) as i32;
    let code = le32(b, 8) as i32;
    let u = if is64 { 16 } else { 12 };
    let word = |o: usize| if is64 { le64(b, o) } else { le32(b, o) as u64 };
    let mut f = SigInfoFields {
        signo,
        errno: le32(b, 4) as i32,
        code,
        ..Default::default()
    };
    f.pid = le32(b, u) as i32;
    f.uid = le32(b, u + 4);
    if code == -2 {
        f.int1 = le32(b, u) as i32;
        f.int2 = le32(b, u + 4);
        f.value = word(u + 8);
    } else if code <= 0 {
        f.value = word(u + 8);
    } else {
        match signo {
            17 => {
                f.status = le32(b, u + 8) as i32;
                let p = if is64 { u + 16 } else { u + 12 };
                f.utime = if is64 {
                    le64(b, p) as i64
                } else {
                    le32(b, p) as i32 as i64
                };
                f.stime = if is64 {
                    le64(b, p + 8) as i64
                } else {
                    le32(b, p + 4) as i32 as i64
                };
            }
            29 => {
                f.value = word(u);
                f.int1 = le32(b, u + if is64 { 8 } else { 4 }) as i32;
            }
            31 => {
                f.addr = word(u);
                let o = u + if is64 { 8 } else { 4 };
                f.int1 = le32(b, o) as i32;
                f.int2 = le32(b, o + 4);
            }
            _ => f.addr = word(u),
        }
    }
    if code == 0x80 {
        f.addr = word(u);
    }
    f
}

/// Formats a raw `siginfo_t`.
pub(crate) fn format_bytes(b: &[u8], is64: bool) -> String {
    format(&parse(b, is64))
}

#[cfg(test)]
mod fast_path_tests {
    use super::*;

    #[test]
    fn common_shapes_match_the_general_form() {
        let mut seen = 0;
        for signo in 1..=64 {
            for code in [-6, -1, 0, 1, 2, 3, 4, 5, 6, 7, 0x80] {
                for (pid, uid, status) in
                    [(1, 0, 0), (4242, 1000, 9), (2147483647, 4294967295, 255)]
                {
                    for (utime, stime, errno) in [(0, 0, 0), (12, 0, 0), (0, 3, 0), (0, 0, 2)] {
                        let f = SigInfoFields {
                            signo,
                            code,
                            pid,
                            uid,
                            status,
                            utime,
                            stime,
                            errno,
                            ..SigInfoFields::default()
                        };
                        if let Some(fast) = format_common(&f) {
                            seen += 1;
                            assert_eq!(fast, format_general(&f), "{signo} {code}");
                        }
                    }
                }
            }
        }
        assert!(seen > 300, "{seen}");
    }
}
