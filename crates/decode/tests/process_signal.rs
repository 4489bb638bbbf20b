//! Exact-output tests for the process, memory, signal, time, poll,
//! network and futex decoders, against strace 6.1 lines.

mod common;
use common::*;
use ptrail_decode::{decode_siginfo, DecodeOptions, SigInfoFields};

#[test]
fn mem_family() {
    let m = Mem::new();
    assert_eq!(
        line("brk", &[0], 0x557c9ef72000, &m),
        "brk(NULL) = 0x557c9ef72000"
    );
    assert_eq!(
        line("brk", &[0x557c9ef93000], 0x557c9ef93000, &m),
        "brk(0x557c9ef93000) = 0x557c9ef93000"
    );
    assert_eq!(
        line(
            "mmap",
            &[0, 8192, 3, 0x22, -1i64 as u64, 0],
            0x7f0ca9d6c000,
            &m
        ),
        "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0ca9d6c000"
    );
    assert_eq!(
        line("mmap", &[0x7f0ca9d3c000, 110592, 5, 0x812, 3, 0x7000], 0x7f0ca9d3c000, &m),
        "mmap(0x7f0ca9d3c000, 110592, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x7000) = 0x7f0ca9d3c000"
    );
    assert_eq!(
        line("mmap", &[0, 4096, 0x100, 0x40000000, -1i64 as u64, 0], -9, &m),
        "mmap(NULL, 4096, 0x100 /* PROT_??? */, MAP_FILE|16<<MAP_HUGE_SHIFT, -1, 0) = -1 EBADF (Bad file descriptor)"
    );
    assert_eq!(
        line("mmap", &[0, 4096, 7 | 0x100, 0x22 | 0x200000 | 0x40000 | (21 << 26), -1i64 as u64, 0], -12, &m),
        "mmap(NULL, 4096, PROT_READ|PROT_WRITE|PROT_EXEC|0x100, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|0x200000|21<<MAP_HUGE_SHIFT, -1, 0) = -1 ENOMEM (Cannot allocate memory)"
    );
    assert_eq!(
        line("mmap", &[0, 4096, 0, 0, -1i64 as u64, 0], -9, &m),
        "mmap(NULL, 4096, PROT_NONE, MAP_FILE, -1, 0) = -1 EBADF (Bad file descriptor)"
    );
    assert_eq!(
        line("mprotect", &[0x7f0ca9d22000, 16384, 1], 0, &m),
        "mprotect(0x7f0ca9d22000, 16384, PROT_READ) = 0"
    );
    assert_eq!(
        line("munmap", &[0x7f0ca9d63000, 33699], 0, &m),
        "munmap(0x7f0ca9d63000, 33699) = 0"
    );
    assert_eq!(
        line("madvise", &[0, 0, 4], 0, &m),
        "madvise(NULL, 0, MADV_DONTNEED) = 0"
    );
    assert_eq!(
        line("madvise", &[0, 0, 999], -22, &m),
        "madvise(NULL, 0, 0x3e7 /* MADV_??? */) = -1 EINVAL (Invalid argument)"
    );
    assert_eq!(
        line(
            "mremap",
            &[0x7fe8d774b000, 4096, 8192, 1],
            0x7fe8d7749000,
            &m
        ),
        "mremap(0x7fe8d774b000, 4096, 8192, MREMAP_MAYMOVE) = 0x7fe8d7749000"
    );
}

#[test]
fn process_family() {
    let mut m = Mem::new();
    let path = m.cstr("/usr/bin/ls");
    let a0 = m.cstr("ls");
    let a1 = m.cstr("/");
    let argv = m.ptrs(&[a0, a1]);
    let envs: Vec<u64> = (0..35).map(|i| m.cstr(&format!("V{i}=x"))).collect();
    let envp = m.ptrs(&envs);
    assert_eq!(
        line("execve", &[path, argv, envp], 0, &m),
        format!(r#"execve("/usr/bin/ls", ["ls", "/"], {envp:#x} /* 35 vars */) = 0"#)
    );
    let one = m.ptrs(&[envs[0]]);
    let long = m.cstr("echo hi; cat /etc/hostname >/dev/null; true | cat");
    let argv2 = m.ptrs(&[a0, long]);
    assert_eq!(
        line("execve", &[path, argv2, one], -2, &m),
        format!(
            r#"execve("/usr/bin/ls", ["ls", "echo hi; cat /etc/hostname >/dev"...], {one:#x} /* 1 var */) = -1 ENOENT (No such file or directory)"#
        )
    );
    let v = DecodeOptions {
        verbose: true,
        ..Default::default()
    };
    assert_eq!(
        line_opts(&v, "execve", &[path, argv, one], 0, &m),
        r#"execve("/usr/bin/ls", ["ls", "/"], ["V0=x"]) = 0"#
    );
    assert_eq!(line("exit_group", &[0], 0, &m), "exit_group(0) = ?");
    let st = m.put(&0u32.to_le_bytes());
    assert_eq!(
        line("wait4", &[-1i64 as u64, st, 0, 0], 3690, &m),
        "wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 3690"
    );
    let stopped = m.put(&0x137fu32.to_le_bytes());
    assert_eq!(
        line("wait4", &[9698, stopped, 2, 0], 9698, &m),
        "wait4(9698, [{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}], WSTOPPED, NULL) = 9698"
    );
    let ev = m.put(&0x80057fu32.to_le_bytes());
    assert_eq!(
        line("wait4", &[9698, ev, 0x40000000, 0], 9698, &m),
        "wait4(9698, [{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP}|PTRACE_EVENT_STOP<<16], __WALL, NULL) = 9698"
    );
    let sysgood = m.put(&0x857fu32.to_le_bytes());
    assert_eq!(
        line("wait4", &[9698, sysgood, 0, 0], 9698, &m),
        "wait4(9698, [{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP | 0x80}], 0, NULL) = 9698"
    );
    let group = m.put(&0x80137fu32.to_le_bytes());
    assert_eq!(
        line("wait4", &[-1i64 as u64, group, 0x40000000, 0], 9698, &m),
        "wait4(-1, [{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}|PTRACE_EVENT_STOP<<16], __WALL, NULL) = 9698"
    );
    let killed = m.put(&9u32.to_le_bytes());
    assert_eq!(
        line("wait4", &[9699, killed, 0, 0], 9699, &m),
        "wait4(9699, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}], 0, NULL) = 9699"
    );
    assert_eq!(
        line("wait4", &[-1i64 as u64, 0x7ffc0000, 1, 0], -10, &m),
        "wait4(-1, 0x7ffc0000, WNOHANG, NULL) = -1 ECHILD (No child processes)"
    );
    assert_eq!(
        line("clone", &[0x1200011, 0, 0, 0x7fe8d755ea10, 0], 9698, &m),
        "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7fe8d755ea10) = 9698"
    );
    let args = B::default()
        .u64(0x3d0f00)
        .u64(0)
        .u64(0x7fe8d755d990)
        .u64(0x7fe8d755d990)
        .u64(0)
        .u64(0x7fe8d6d5d000)
        .u64(0x7fff80)
        .u64(0x7fe8d755d6c0)
        .pad(24)
        .0;
    m.at(0x7fe8d755d990, &9697u32.to_le_bytes());
    let ca = m.put(&args);
    assert_eq!(
        line("clone3", &[ca, 88], 9697, &m),
        "clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7fe8d755d990, parent_tid=0x7fe8d755d990, exit_signal=0, stack=0x7fe8d6d5d000, stack_size=0x7fff80, tls=0x7fe8d755d6c0} => {parent_tid=[9697]}, 88) = 9697"
    );
    assert_eq!(line("kill", &[9698, 18], 0, &m), "kill(9698, SIGCONT) = 0");
    assert_eq!(
        line("kill", &[2147483647, 34], -3, &m),
        "kill(2147483647, SIGRT_2) = -1 ESRCH (No such process)"
    );
    assert_eq!(
        line("kill", &[2147483647, 65], -3, &m),
        "kill(2147483647, 65) = -1 ESRCH (No such process)"
    );
    assert_eq!(
        line("tgkill", &[9698, 9698, 19], 0, &m),
        "tgkill(9698, 9698, SIGSTOP) = 0"
    );
    assert_eq!(
        line("arch_prctl", &[0x1002, 0x7f0ca9ab6800], 0, &m),
        "arch_prctl(ARCH_SET_FS, 0x7f0ca9ab6800) = 0"
    );
    assert_eq!(
        line("set_tid_address", &[0x7f0ca9ab6ad0], 3667, &m),
        "set_tid_address(0x7f0ca9ab6ad0) = 3667"
    );
    assert_eq!(
        line("set_robust_list", &[0x7f0ca9ab6ae0, 24], 0, &m),
        "set_robust_list(0x7f0ca9ab6ae0, 24) = 0"
    );
    assert_eq!(
        line("rseq", &[0x7f0ca9ab7120, 0x20, 0, 0x53053053], 0, &m),
        "rseq(0x7f0ca9ab7120, 0x20, 0, 0x53053053) = 0"
    );
    let rl = m.put(&B::default().u64(8192 * 1024).u64(u64::MAX).0);
    assert_eq!(
        line("prlimit64", &[0, 3, 0, rl], 0, &m),
        "prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0"
    );
    let rl2 = m.put(&B::default().u64(1024).u64(4096).0);
    assert_eq!(
        line("prlimit64", &[0, 7, rl2, 0], 0, &m),
        "prlimit64(0, RLIMIT_NOFILE, {rlim_cur=1024, rlim_max=4*1024}, NULL) = 0"
    );
    let grnd = m.put(b"\x10\x8c\x2b\x64\x0c\x3e\x67\xcd");
    assert_eq!(
        line("getrandom", &[grnd, 8, 1], 8, &m),
        r#"getrandom("\x10\x8c\x2b\x64\x0c\x3e\x67\xcd", 8, GRND_NONBLOCK) = 8"#
    );
    let mut u = vec![0u8; 390];
    u[..5].copy_from_slice(b"Linux");
    u[65..67].copy_from_slice(b"vm");
    let ua = m.put(&u);
    assert_eq!(
        line("uname", &[ua], 0, &m),
        r#"uname({sysname="Linux", nodename="vm", ...}) = 0"#
    );
    let foo = m.cstr("foo");
    assert_eq!(
        line("prctl", &[15, foo], 0, &m),
        r#"prctl(PR_SET_NAME, "foo") = 0"#
    );
    assert_eq!(
        line("prctl", &[3], 1, &m),
        "prctl(PR_GET_DUMPABLE) = 1 (SUID_DUMP_USER)"
    );
    let cpus = m.put(
        &[3u8; 1]
            .iter()
            .chain([0u8; 127].iter())
            .copied()
            .collect::<Vec<_>>(),
    );
    assert_eq!(
        line("sched_getaffinity", &[0, 128, cpus], 32, &m),
        "sched_getaffinity(0, 128, [0 1]) = 32"
    );
    let si = B::default()
        .u64(728)
        .u64(1664)
        .u64(3840)
        .u64(672)
        .u64(25276063744)
        .u64(24642609152)
        .u64(9166848)
        .u64(2654208)
        .u64(0)
        .u64(0)
        .u16(83)
        .pad(6)
        .u64(0)
        .u64(0)
        .u32(1)
        .pad(4)
        .0;
    let sa = m.put(&si);
    assert_eq!(
        line("sysinfo", &[sa], 0, &m),
        "sysinfo({uptime=728, loads=[1664, 3840, 672], totalram=25276063744, freeram=24642609152, sharedram=9166848, bufferram=2654208, totalswap=0, freeswap=0, procs=83, totalhigh=0, freehigh=0, mem_unit=1}) = 0"
    );
    assert_eq!(line("getpid", &[], 9696, &m), "getpid() = 9696");
    assert_eq!(line("setuid", &[0], 0, &m), "setuid(0) = 0");
}

#[test]
fn signal_family() {
    let mut m = Mem::new();
    let act = m.put(
        &B::default()
            .u64(0x558789b35597)
            .u64(0x4000000 | 0x8000000 | 4)
            .u64(0x7fe8d759d050)
            .u64(1 << 14)
            .0,
    );
    assert_eq!(
        line("rt_sigaction", &[12, act, 0, 8], 0, &m),
        "rt_sigaction(SIGUSR2, {sa_handler=0x558789b35597, sa_mask=[TERM], sa_flags=SA_RESTORER|SA_ONSTACK|SA_SIGINFO, sa_restorer=0x7fe8d759d050}, NULL, 8) = 0"
    );
    let old = m.put(&B::default().u64(0).u64(0).u64(0).u64(0).0);
    assert_eq!(
        line("rt_sigaction", &[2, 0, old, 8], 0, &m),
        "rt_sigaction(SIGINT, NULL, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0"
    );
    let full = !((1u64 << 31) | (1 << 32));
    let chld = m.put(
        &B::default()
            .u64(0x55550000)
            .u64(0x4000000)
            .u64(0x7f0000001000)
            .u64(full)
            .0,
    );
    assert_eq!(
        line("rt_sigaction", &[17, chld, 0, 8], 0, &m),
        "rt_sigaction(SIGCHLD, {sa_handler=0x55550000, sa_mask=~[RTMIN RT_1], sa_flags=SA_RESTORER, sa_restorer=0x7f0000001000}, NULL, 8) = 0"
    );
    let empty = m.put(&0u64.to_le_bytes());
    let nokill = m.put(&(!((1u64 << 8) | (1 << 18) | (1 << 31) | (1 << 32))).to_le_bytes());
    assert_eq!(
        line("rt_sigprocmask", &[2, empty, nokill, 8], 0, &m),
        "rt_sigprocmask(SIG_SETMASK, [], ~[KILL STOP RTMIN RT_1], 8) = 0"
    );
    let all = m.put(&(!0u64).to_le_bytes());
    assert_eq!(
        line("rt_sigprocmask", &[0, all, empty, 8], 0, &m),
        "rt_sigprocmask(SIG_BLOCK, ~[], [], 8) = 0"
    );
    let ch = m.put(&(1u64 << 16).to_le_bytes());
    assert_eq!(
        line("rt_sigprocmask", &[0, ch, empty, 8], 0, &m),
        "rt_sigprocmask(SIG_BLOCK, [CHLD], [], 8) = 0"
    );
    assert_eq!(
        line("rt_sigprocmask", &[77, ch, 0, 8], -22, &m),
        "rt_sigprocmask(0x4d /* SIG_??? */, [CHLD], NULL, 8) = -1 EINVAL (Invalid argument)"
    );
    assert_eq!(
        line("rt_sigprocmask", &[0, 8, 0, 8], -14, &m),
        "rt_sigprocmask(SIG_BLOCK, 0x8, NULL, 8) = -1 EFAULT (Bad address)"
    );
    assert_eq!(
        line("rt_sigprocmask", &[0, ch, 0, 7], -22, &m),
        format!("rt_sigprocmask(SIG_BLOCK, {ch:#x}, NULL, 7) = -1 EINVAL (Invalid argument)")
    );
    let usr1 = m.put(&(1u64 << 9).to_le_bytes());
    assert_eq!(
        line("signalfd4", &[-1i64 as u64, usr1, 8, 0o2000000], 15, &m),
        "signalfd4(-1, [USR1], 8, SFD_CLOEXEC) = 15"
    );
}

#[test]
fn time_poll_net_futex() {
    let mut m = Mem::new();
    let ts = m.put(&B::default().u64(0).u64(1000).0);
    assert_eq!(
        line("clock_nanosleep", &[0, 0, ts, 0], 0, &m),
        "clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=0, tv_nsec=1000}, NULL) = 0"
    );
    assert_eq!(
        line("nanosleep", &[ts, 0], 0, &m),
        "nanosleep({tv_sec=0, tv_nsec=1000}, NULL) = 0"
    );
    let now = m.put(&B::default().u64(727).u64(652967988).0);
    assert_eq!(
        line("clock_gettime", &[1, now], 0, &m),
        "clock_gettime(CLOCK_MONOTONIC, {tv_sec=727, tv_nsec=652967988}) = 0"
    );
    let its = m.put(&B::default().u64(0).u64(0).u64(1).u64(0).0);
    assert_eq!(
        line("timerfd_settime", &[13, 0, its, 0], 0, &m),
        "timerfd_settime(13, 0, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=1, tv_nsec=0}}, NULL) = 0"
    );
    assert_eq!(
        line("timerfd_create", &[1, 0o2000000], 13, &m),
        "timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC) = 13"
    );
    let pfd = m.put(&B::default().u32(0).u16(1).u16(1).u32(1).u16(4).u16(4).0);
    assert_eq!(
        line("poll", &[pfd, 2, 0], 2, &m),
        "poll([{fd=0, events=POLLIN}, {fd=1, events=POLLOUT}], 2, 0) = 2 ([{fd=0, revents=POLLIN}, {fd=1, revents=POLLOUT}])"
    );
    assert_eq!(
        line("poll", &[pfd, 2, 0], 0, &m),
        "poll([{fd=0, events=POLLIN}, {fd=1, events=POLLOUT}], 2, 0) = 0 (Timeout)"
    );
    let set = m.put(&B::default().u64(3).0);
    let tmo = m.put(&B::default().u64(0).u64(10000).0);
    // the kernel updates the timeout; the fake memory keeps the entry value
    assert_eq!(
        line("pselect6", &[2, set, 0, 0, tmo, 0], 2, &m),
        "pselect6(2, [0 1], NULL, NULL, {tv_sec=0, tv_nsec=10000}, NULL) = 2 (in [0 1], left {tv_sec=0, tv_nsec=10000})"
    );
    assert_eq!(
        line("epoll_create1", &[0o2000000], 3, &m),
        "epoll_create1(EPOLL_CLOEXEC) = 3"
    );
    let ev = m.put(&B::default().u32(1).u64(5).0);
    assert_eq!(
        line("epoll_ctl", &[3, 1, 0, ev], -1, &m),
        "epoll_ctl(3, EPOLL_CTL_ADD, 0, {events=EPOLLIN, data={u32=5, u64=5}}) = -1 EPERM (Operation not permitted)"
    );
    let evs = m.put(&[0u8; 48]);
    assert_eq!(
        line("epoll_wait", &[3, evs, 4, 0], 0, &m),
        "epoll_wait(3, [], 4, 0) = 0"
    );
    assert_eq!(
        line("socket", &[1, 1 | 0o2000000, 0], 4, &m),
        "socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0) = 4"
    );
    assert_eq!(
        line("socket", &[2, 2, 17], 5, &m),
        "socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 5"
    );
    assert_eq!(
        line("socket", &[10, 1, 0], 6, &m),
        "socket(AF_INET6, SOCK_STREAM, IPPROTO_IP) = 6"
    );
    assert_eq!(
        line("socket", &[2, 1 | 0o2004000, 0], 7, &m),
        "socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK, IPPROTO_IP) = 7"
    );
    let mut sun = B::default().u16(1).bytes(b"/tmp/nosock").0;
    sun.resize(110, 0);
    let su = m.put(&sun);
    assert_eq!(
        line("connect", &[4, su, 110], -2, &m),
        r#"connect(4, {sa_family=AF_UNIX, sun_path="/tmp/nosock"}, 110) = -1 ENOENT (No such file or directory)"#
    );
    let sin = m.put(&B::default().u16(2).bytes(&[0, 53, 127, 0, 0, 1]).pad(8).0);
    assert_eq!(
        line("connect", &[5, sin, 16], 0, &m),
        r#"connect(5, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("127.0.0.1")}, 16) = 0"#
    );
    let mut s6 = B::default()
        .u16(10)
        .bytes(&[0, 80])
        .u32(0)
        .pad(15)
        .u8(1)
        .u32(0)
        .0;
    s6.truncate(28);
    let s6a = m.put(&s6);
    assert_eq!(
        line("bind", &[6, s6a, 28], 0, &m),
        r#"bind(6, {sa_family=AF_INET6, sin6_port=htons(80), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = 0"#
    );
    let gs = m.put(
        &B::default()
            .u16(2)
            .bytes(&[0x9d, 0xc4, 127, 0, 0, 1])
            .pad(8)
            .0,
    );
    let gl = m.put(&16u32.to_le_bytes());
    assert_eq!(
        line("getsockname", &[5, gs, gl], 0, &m),
        r#"getsockname(5, {sa_family=AF_INET, sin_port=htons(40388), sin_addr=inet_addr("127.0.0.1")}, [16]) = 0"#
    );
    let hi = m.put(b"hi");
    assert_eq!(
        line("sendto", &[5, hi, 2, 0x40, 0, 0], 2, &m),
        r#"sendto(5, "hi", 2, MSG_DONTWAIT, NULL, 0) = 2"#
    );
    let fds = m.put(&B::default().u32(9).u32(11).0);
    assert_eq!(
        line("socketpair", &[1, 1 | 0o4000, 0, fds], 0, &m),
        "socketpair(AF_UNIX, SOCK_STREAM|SOCK_NONBLOCK, 0, [9, 11]) = 0"
    );
    assert_eq!(
        line("accept4", &[-1i64 as u64, 0, 0, 0o2004000], -9, &m),
        "accept4(-1, NULL, NULL, SOCK_CLOEXEC|SOCK_NONBLOCK) = -1 EBADF (Bad file descriptor)"
    );
    assert_eq!(
        line("futex", &[0x7f95b0f90a4c, 129, 2147483647], 0, &m),
        "futex(0x7f95b0f90a4c, FUTEX_WAKE_PRIVATE, 2147483647) = 0"
    );
    assert_eq!(
        line("futex", &[0x7ffea2ca7abc, 128, 32769, 0], -11, &m),
        "futex(0x7ffea2ca7abc, FUTEX_WAIT_PRIVATE, 32769, NULL) = -1 EAGAIN (Resource temporarily unavailable)"
    );
    let one = m.put(&B::default().u64(1).u64(0).0);
    assert_eq!(
        line("futex", &[0x7ffea2ca7abc, 9 | 128 | 256, 32769, one, 0, 0xffffffff], -11, &m),
        "futex(0x7ffea2ca7abc, FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME, 32769, {tv_sec=1, tv_nsec=0}, FUTEX_BITSET_MATCH_ANY) = -1 EAGAIN (Resource temporarily unavailable)"
    );
}

#[test]
fn siginfo_layouts() {
    let chld = SigInfoFields {
        signo: 17,
        code: 1,
        pid: 3690,
        ..Default::default()
    };
    assert_eq!(
        decode_siginfo(&chld),
        "{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=3690, si_uid=0, si_status=0, si_utime=0, si_stime=0}"
    );
    let killed = SigInfoFields {
        signo: 17,
        code: 2,
        pid: 9699,
        status: 9,
        ..Default::default()
    };
    assert_eq!(
        decode_siginfo(&killed),
        "{si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=9699, si_uid=0, si_status=SIGKILL, si_utime=0, si_stime=0}"
    );
    let stop = SigInfoFields {
        signo: 19,
        code: -6,
        pid: 9698,
        ..Default::default()
    };
    assert_eq!(
        decode_siginfo(&stop),
        "{si_signo=SIGSTOP, si_code=SI_TKILL, si_pid=9698, si_uid=0}"
    );
    let user = SigInfoFields {
        signo: 18,
        code: 0,
        pid: 9696,
        ..Default::default()
    };
    assert_eq!(
        decode_siginfo(&user),
        "{si_signo=SIGCONT, si_code=SI_USER, si_pid=9696, si_uid=0}"
    );
    let segv = SigInfoFields {
        signo: 11,
        code: 1,
        addr: 0x10,
        ..Default::default()
    };
    assert_eq!(
        decode_siginfo(&segv),
        "{si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x10}"
    );
    let ill = SigInfoFields {
        signo: 4,
        code: 0x80,
        ..Default::default()
    };
    assert_eq!(
        decode_siginfo(&ill),
        "{si_signo=SIGILL, si_code=SI_KERNEL, si_addr=NULL}"
    );
    let q = SigInfoFields {
        signo: 10,
        code: -1,
        pid: 15117,
        value: 0x7f710000002a,
        ..Default::default()
    };
    assert_eq!(
        decode_siginfo(&q),
        "{si_signo=SIGUSR1, si_code=SI_QUEUE, si_pid=15117, si_uid=0, si_int=42, si_ptr=0x7f710000002a}"
    );
    let t = SigInfoFields {
        signo: 14,
        code: -2,
        value: 7,
        ..Default::default()
    };
    assert_eq!(
        decode_siginfo(&t),
        "{si_signo=SIGALRM, si_code=SI_TIMER, si_timerid=0, si_overrun=0, si_int=7, si_ptr=0x7}"
    );
    let io = SigInfoFields {
        signo: 29,
        code: 1,
        value: 5,
        int1: 3,
        ..Default::default()
    };
    assert_eq!(
        decode_siginfo(&io),
        "{si_signo=SIGIO, si_code=POLL_IN, si_band=5, si_fd=3}"
    );
    let sys = SigInfoFields {
        signo: 31,
        code: 1,
        addr: 0x7f00,
        int1: 39,
        int2: 0xc000003e,
        ..Default::default()
    };
    assert_eq!(
        decode_siginfo(&sys),
        "{si_signo=SIGSYS, si_code=SYS_SECCOMP, si_call_addr=0x7f00, si_syscall=__NR_getpid, si_arch=AUDIT_ARCH_X86_64}"
    );
}

/// argv/envp arrays are read a page-bounded chunk at a time: the count is
/// right across page boundaries, an array that ends at the last word of a
/// readable page is complete, and one that runs into unreadable memory
/// before its NULL prints as its address.
#[test]
fn pointer_arrays_across_pages() {
    let mut m = Mem::new();
    let path = m.cstr("/bin/x");
    let s = m.cstr("V=1");
    // 300 pointers starting 24 bytes before a page end, NULL included
    let mut words: Vec<u8> = Vec::new();
    for _ in 0..300 {
        words.extend_from_slice(&s.to_le_bytes());
    }
    words.extend_from_slice(&0u64.to_le_bytes());
    let many = m.at(0x80_0000 - 24, &words);
    assert_eq!(
        line("execve", &[path, 0, many], 0, &m),
        format!(r#"execve("/bin/x", NULL, {many:#x} /* 300 vars */) = 0"#)
    );
    // the NULL is the last word of the page; nothing is mapped after it
    let mut tail = Vec::new();
    for _ in 0..3 {
        tail.extend_from_slice(&s.to_le_bytes());
    }
    tail.extend_from_slice(&0u64.to_le_bytes());
    let edge = m.at(0x90_0000 - 32, &tail);
    assert_eq!(
        line("execve", &[path, edge, edge], 0, &m),
        format!(r#"execve("/bin/x", ["V=1", "V=1", "V=1"], {edge:#x} /* 3 vars */) = 0"#)
    );
    // no NULL before the page ends and nothing mapped after it
    let cut = m.at(0xa0_0000 - 16, &tail[..16]);
    assert_eq!(
        line("execve", &[path, cut, cut], 0, &m),
        format!(r#"execve("/bin/x", {cut:#x}, {cut:#x}) = 0"#)
    );
}
