//! Tests for ptrace, POSIX timers, sigreturn, i386 decoding, return value
//! forms and string edge cases.

mod common;
use common::*;
use ptrail_decode::{
    decode_enter, decode_sigreturn, text, Abi, Call, DecodeOptions, Line, RetValue, SigInfoFields,
    Value,
};

#[test]
fn ptrace_requests() {
    let mut m = Mem::new();
    assert_eq!(line("ptrace", &[0], 0, &m), "ptrace(PTRACE_TRACEME) = 0");
    assert_eq!(
        line("ptrace", &[0x4207, 23494], 0, &m),
        "ptrace(PTRACE_INTERRUPT, 23494) = 0"
    );
    assert_eq!(
        line("ptrace", &[0x4206, 23494, 0, 0], 0, &m),
        "ptrace(PTRACE_SEIZE, 23494, NULL, 0) = 0"
    );
    assert_eq!(
        line("ptrace", &[0x4206, 23494, 0, 0x5f], 0, &m),
        "ptrace(PTRACE_SEIZE, 23494, NULL, PTRACE_O_TRACESYSGOOD|PTRACE_O_TRACEFORK|PTRACE_O_TRACEVFORK|PTRACE_O_TRACECLONE|PTRACE_O_TRACEEXEC|PTRACE_O_TRACEEXIT) = 0"
    );
    assert_eq!(
        line("ptrace", &[24, 23494, 0, 0], 0, &m),
        "ptrace(PTRACE_SYSCALL, 23494, NULL, 0) = 0"
    );
    assert_eq!(
        line("ptrace", &[24, 23494, 0, 18], 0, &m),
        "ptrace(PTRACE_SYSCALL, 23494, NULL, SIGCONT) = 0"
    );
    let msg = m.put(&23495u64.to_le_bytes());
    assert_eq!(
        line("ptrace", &[0x4201, 23494, 0, msg], 0, &m),
        "ptrace(PTRACE_GETEVENTMSG, 23494, NULL, [23495]) = 0"
    );
    let si = m.put(
        &B::default()
            .u32(18)
            .u32(0)
            .u32(0)
            .u32(0)
            .u32(23493)
            .u32(0)
            .pad(104)
            .0,
    );
    assert_eq!(
        line("ptrace", &[0x4202, 23494, 0, si], 0, &m),
        "ptrace(PTRACE_GETSIGINFO, 23494, NULL, {si_signo=SIGCONT, si_code=SI_USER, si_pid=23493, si_uid=0}) = 0"
    );
    let info = m.put(
        &B::default()
            .u8(1)
            .pad(3)
            .u32(0xc000003e)
            .u64(0x7fcb1bf6a829)
            .u64(0x7fffd7a334a8)
            .u64(80)
            .u64(0x5573fe0c2c81)
            .u64(0xbad1fed1)
            .u64(0xbad2fed2)
            .u64(0xbad3fed3)
            .u64(0xbad4fed4)
            .u64(0xbad5fed5)
            .pad(8)
            .0,
    );
    assert_eq!(
        line("ptrace", &[0x420e, 23493, 88, info], 80, &m),
        "ptrace(PTRACE_GET_SYSCALL_INFO, 23493, 88, {op=PTRACE_SYSCALL_INFO_ENTRY, arch=AUDIT_ARCH_X86_64, instruction_pointer=0x7fcb1bf6a829, stack_pointer=0x7fffd7a334a8, entry={nr=__NR_chdir, args=[0x5573fe0c2c81, 0xbad1fed1, 0xbad2fed2, 0xbad3fed3, 0xbad4fed4, 0xbad5fed5]}}) = 80"
    );
    let ex = m.put(
        &B::default()
            .u8(2)
            .pad(3)
            .u32(0xc000003e)
            .u64(0x7fcb1bf6a829)
            .u64(0x7fffd7a334a8)
            .u64(-2i64 as u64)
            .u8(1)
            .pad(7)
            .0,
    );
    assert_eq!(
        line("ptrace", &[0x420e, 23493, 88, ex], 33, &m),
        "ptrace(PTRACE_GET_SYSCALL_INFO, 23493, 88, {op=PTRACE_SYSCALL_INFO_EXIT, arch=AUDIT_ARCH_X86_64, instruction_pointer=0x7fcb1bf6a829, stack_pointer=0x7fffd7a334a8, exit={rval=-ENOENT, is_error=1}}) = 33"
    );
    // A debugger's requests (gdb): struct user offsets, peeked words as
    // pointers, registers (strace 6.1 lines).
    let word = m.put(&0x33u64.to_le_bytes());
    let zero = m.put(&0u64.to_le_bytes());
    for (off, shown, w, v) in [
        (0x88, "8*CS", word, "0x33"),
        (0xb8, "8*SS+24", zero, "NULL"),
        (216, "offsetof(struct user, u_fpvalid)", zero, "NULL"),
        (
            848 + 56,
            "offsetof(struct user, u_debugreg)+56",
            zero,
            "NULL",
        ),
        (912, "sizeof(struct user)", zero, "NULL"),
    ] {
        assert_eq!(
            line("ptrace", &[3, 31095, off, w], 0, &m),
            format!("ptrace(PTRACE_PEEKUSER, 31095, {shown}, [{v}]) = 0")
        );
    }
    assert_eq!(
        line("ptrace", &[3, 31095, 2000, 0x7ffc32a99048], -5, &m),
        "ptrace(PTRACE_PEEKUSER, 31095, 0x7d0, 0x7ffc32a99048) = -1 EIO (Input/output error)"
    );
    assert_eq!(
        line("ptrace", &[6, 31095, 848, 0], 0, &m),
        "ptrace(PTRACE_POKEUSER, 31095, offsetof(struct user, u_debugreg), NULL) = 0"
    );
    let mut regs = B::default();
    for i in 0..27u64 {
        regs = regs.u64(if i == 17 { 0x33 } else { i % 2 });
    }
    let regs = m.put(&regs.0);
    let shown = "{r15=0, r14=0x1, r13=0, r12=0x1, rbp=0, rbx=0x1, r11=0, r10=0x1, r9=0, r8=0x1, rax=0, rcx=0x1, rdx=0, rsi=0x1, rdi=0, orig_rax=0x1, rip=0, cs=0x33, eflags=0, rsp=0x1, ss=0, fs_base=0x1, gs_base=0, ds=0x1, es=0, fs=0x1, gs=0}";
    assert_eq!(
        line("ptrace", &[12, 31095, 0, regs], 0, &m),
        format!("ptrace(PTRACE_GETREGS, 31095, {shown}) = 0")
    );
    assert_eq!(
        line("ptrace", &[13, 31095, 0, regs], 0, &m),
        format!("ptrace(PTRACE_SETREGS, 31095, {shown}) = 0")
    );
    assert_eq!(
        line("ptrace", &[12, 31095, 0, 0], -14, &m),
        "ptrace(PTRACE_GETREGS, 31095, NULL) = -1 EFAULT (Bad address)"
    );
    let iov = m.put(&B::default().u64(regs).u64(216).0);
    assert_eq!(
        line("ptrace", &[0x4204, 31095, 1, iov], 0, &m),
        format!(
            "ptrace(PTRACE_GETREGSET, 31095, NT_PRSTATUS, {{iov_base={shown}, iov_len=216}}) = 0"
        )
    );
    let iov = m.put(&B::default().u64(0x7ffc32a990c0).u64(576).0);
    assert_eq!(
        line("ptrace", &[0x4204, 31095, 0x202, iov], 0, &m),
        "ptrace(PTRACE_GETREGSET, 31095, NT_X86_XSTATE, {iov_base=0x7ffc32a990c0, iov_len=576}) = 0"
    );
}

#[test]
fn timers() {
    let mut m = Mem::new();
    let se = m.put(&B::default().u64(7).u32(14).u32(0).pad(48).0);
    let id = m.put(&0u32.to_le_bytes());
    assert_eq!(
        line("timer_create", &[1, se, id], 0, &m),
        "timer_create(CLOCK_MONOTONIC, {sigev_value={sival_int=7, sival_ptr=0x7}, sigev_signo=SIGALRM, sigev_notify=SIGEV_SIGNAL}, [0]) = 0"
    );
    let its = m.put(&B::default().u64(0).u64(0).u64(0).u64(1000).0);
    assert_eq!(
        line("timer_settime", &[0, 0, its, 0], 0, &m),
        "timer_settime(0, 0, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=0, tv_nsec=1000}}, NULL) = 0"
    );
}

#[test]
fn siginfo_child_times() {
    let f = SigInfoFields {
        signo: 17,
        code: 1,
        pid: 23494,
        stime: 1,
        ..Default::default()
    };
    assert_eq!(
        ptrail_decode::decode_siginfo(&f),
        "{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=23494, si_uid=0, si_status=0, si_utime=0, si_stime=1 /* 0.01 s */}"
    );
    let s = SigInfoFields {
        signo: 17,
        code: 5,
        pid: 23494,
        status: 0,
        ..Default::default()
    };
    assert_eq!(
        ptrail_decode::decode_siginfo(&s),
        "{si_signo=SIGCHLD, si_code=CLD_STOPPED, si_pid=23494, si_uid=0, si_status=0, si_utime=0, si_stime=0}"
    );
}

#[test]
fn waitid_info() {
    let mut m = Mem::new();
    let si = m.put(
        &B::default()
            .u32(17)
            .u32(0)
            .u32(1)
            .u32(0)
            .u32(9700)
            .u32(0)
            .u32(1)
            .u32(0)
            .u64(0)
            .u64(0)
            .pad(80)
            .0,
    );
    assert_eq!(
        line("waitid", &[1, 9700, si, 4, 0], 0, &m),
        "waitid(P_PID, 9700, {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=9700, si_uid=0, si_status=1, si_utime=0, si_stime=0}, WEXITED, NULL) = 0"
    );
}

#[test]
fn sigreturn_mask() {
    let mut m = Mem::new();
    let sp = 0x7ffd_0000_0000u64;
    let mut frame = vec![0u8; 512];
    frame[296..304].copy_from_slice(&(1u64 << 1).to_le_bytes());
    m.at(sp, &frame);
    let call = Call {
        abi: Abi::X86_64,
        nr: 15,
        args: [0; 6],
    };
    let e = decode_sigreturn(&DecodeOptions::default(), &call, sp, &m);
    assert_eq!(
        text::value_to_string(&e.args[0], &DecodeOptions::default()),
        "{mask=[INT]}"
    );
}

#[test]
fn i386_reuses_neutral_decoders() {
    let mut m = Mem::new();
    let p = m.cstr("/etc/passwd");
    let opts = DecodeOptions::default();
    let call = Call {
        abi: Abi::I386,
        nr: 5,
        args: [p, 0o2000000, 0, 0, 0, 0],
    };
    let e = decode_enter(&opts, &call, &m);
    let mut s = Line::new();
    text::write_args(&mut s, &e.args, &opts);
    assert_eq!(s, r#""/etc/passwd", O_RDONLY|O_CLOEXEC"#);
    // i386 layouts of their own: stat64
    let call = Call {
        abi: Abi::I386,
        nr: 195,
        args: [p, 0x1000, 0, 0, 0, 0],
    };
    let e = decode_enter(&opts, &call, &m);
    let mut s = Line::new();
    text::write_args(&mut s, &e.args, &opts);
    assert_eq!(s, r#""/etc/passwd""#);
    assert!(!e.complete);
    // raw for calls without a decoder (ioperm)
    let call = Call {
        abi: Abi::I386,
        nr: 101,
        args: [p, 0x1000, 0, 0, 0, 0],
    };
    let e = decode_enter(&opts, &call, &m);
    let mut s = Line::new();
    text::write_args(&mut s, &e.args, &opts);
    assert_eq!(s, format!("{p:#x}, 0x1000, 0"));
}

#[test]
fn return_values() {
    let r = |v: RetValue| text::ret_to_string(&v);
    assert_eq!(
        r(RetValue::from_raw(-2)),
        "-1 ENOENT (No such file or directory)"
    );
    assert_eq!(
        r(RetValue::from_raw(-512)),
        "? ERESTARTSYS (To be restarted if SA_RESTART is set)"
    );
    assert_eq!(
        r(RetValue::from_raw(-513)),
        "? ERESTARTNOINTR (To be restarted)"
    );
    assert_eq!(
        r(RetValue::from_raw(-514)),
        "? ERESTARTNOHAND (To be restarted if no handler)"
    );
    assert_eq!(
        r(RetValue::from_raw(-516)),
        "? ERESTART_RESTARTBLOCK (Interrupted by signal)"
    );
    assert_eq!(
        r(RetValue::from_raw(-4000)),
        "-1 ERRNO_4000 (Unknown error 4000)"
    );
    assert_eq!(r(RetValue::Hex(0x5581)), "0x5581");
    assert_eq!(r(RetValue::Unknown), "?");
    assert_eq!(
        r(RetValue::Commented(
            Box::new(RetValue::Int(0)),
            "Timeout".into()
        )),
        "0 (Timeout)"
    );
}

#[test]
fn strings() {
    let o = DecodeOptions::default();
    let v = |bytes: &[u8], truncated| {
        text::value_to_string(
            &Value::Str {
                bytes: bytes.to_vec(),
                truncated,
            },
            &o,
        )
    };
    assert_eq!(
        v(b"/nonexist\n\t\"\\\x01\x7f\xff9abc", false),
        r#""/nonexist\n\t\"\\\1\177\3779abc""#
    );
    assert_eq!(v(b"\x1b7\x1b8\x1b9\x017", false), r#""\0337\338\339\0017""#);
    assert_eq!(v(b"\r\x0b\x0c", true), r#""\r\v\f"..."#);
    let mut m = Mem::new();
    let exact = m.cstr(&"x".repeat(32));
    let long = m.cstr(&"x".repeat(33));
    let a0 = m.ptrs(&[exact, long]);
    let p = m.cstr("/bin/x");
    let env = m.ptrs(&[]);
    assert_eq!(
        line("execve", &[p, a0, env], 0, &m),
        format!(
            r#"execve("/bin/x", ["{x32}", "{x32}"...], {env:#x} /* 0 vars */) = 0"#,
            x32 = "x".repeat(32)
        )
    );
    // a string crossing into unreadable memory prints its address
    let mut m = Mem::new();
    let edge = m.at(0x20000 - 3, b"abc");
    assert_eq!(
        line("chdir", &[edge], 0, &m),
        format!("chdir({edge:#x}) = 0")
    );
    // page-boundary crossing into readable memory is fine
    m.at(0x20000, b"def\0");
    assert_eq!(line("chdir", &[edge], 0, &m), r#"chdir("abcdef") = 0"#);
}

#[test]
fn termios_verbose() {
    let mut m = Mem::new();
    let cc = [
        3u8, 0x1c, 0x7f, 0x15, 4, 0, 1, 0, 0x11, 0x13, 0x1a, 0, 0x12, 0xf, 0x17, 0x16, 0, 0, 0,
    ];
    let tio = m.put(
        &B::default()
            .u32(0x500)
            .u32(0x5)
            .u32(0xbf)
            .u32(0x8a3b)
            .u8(0)
            .bytes(&cc)
            .0,
    );
    let v = DecodeOptions {
        verbose: true,
        ..Default::default()
    };
    assert_eq!(
        line_opts(&v, "ioctl", &[0, 0x5401, tio], 0, &m),
        "ioctl(0, TCGETS, {c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, c_line=N_TTY, c_cc=[[VINTR]=0x3, [VQUIT]=0x1c, [VERASE]=0x7f, [VKILL]=0x15, [VEOF]=0x4, [VTIME]=0, [VMIN]=0x1, [VSWTC]=0, [VSTART]=0x11, [VSTOP]=0x13, [VSUSP]=0x1a, [VEOL]=0, [VREPRINT]=0x12, [VDISCARD]=0xf, [VWERASE]=0x17, [VLNEXT]=0x16, [VEOL2]=0, [17]=0, [18]=0]}) = 0"
    );
}

#[test]
fn array_limits_follow_s_unless_verbose() {
    let mut m = Mem::new();
    let p = m.cstr("/nonexistent");
    let names = ["a", "bb", "ccc", "dddd", "eeeee", "ffffff"];
    let ptrs: Vec<u64> = names.iter().map(|n| m.cstr(n)).collect();
    let argv = m.ptrs(&ptrs);
    let x = m.cstr("X=1");
    let y = m.cstr("Y=2");
    let envp = m.ptrs(&[x, y]);
    let s2 = DecodeOptions {
        string_limit: 2,
        ..Default::default()
    };
    assert_eq!(
        line_opts(&s2, "execve", &[p, argv, envp], -2, &m),
        format!(
            r#"execve("/nonexistent", ["a", "bb", ...], {envp:#x} /* 2 vars */) = -1 ENOENT (No such file or directory)"#
        )
    );
    let s4v = DecodeOptions {
        string_limit: 4,
        verbose: true,
        ..Default::default()
    };
    assert_eq!(
        line_opts(&s4v, "execve", &[p, argv, envp], -2, &m),
        r#"execve("/nonexistent", ["a", "bb", "ccc", "dddd", "eeee"..., "ffff"...], ["X=1", "Y=2"]) = -1 ENOENT (No such file or directory)"#
    );
    let fds = m.put(&B::default().u32(9).u32(11).0);
    let s1 = DecodeOptions {
        string_limit: 1,
        ..Default::default()
    };
    assert_eq!(
        line_opts(&s1, "pipe2", &[fds, 0], 0, &m),
        "pipe2([9, ...], 0) = 0"
    );
    let s0 = DecodeOptions {
        string_limit: 0,
        ..Default::default()
    };
    assert_eq!(
        line_opts(&s0, "write", &[1, 0x10, 10], -14, &m),
        "write(1, 0x10, 10) = -1 EFAULT (Bad address)"
    );
}
