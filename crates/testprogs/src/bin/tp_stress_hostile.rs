//! `tp_stress_hostile`: makes raw syscalls with hostile arguments for the
//! tracer's decoders: bad pointers, huge lengths, strings without a NUL that
//! run into unmapped memory, argv arrays without a terminating NULL, iovec
//! counts of 2^31, structures that cross into an unmapped page. Every call
//! fails (or is harmless) in the kernel; the point is what a tracer reads.
//!
//! The hostile calls sit between `write(-1, "HOSTILE-BEGIN", 13)` and
//! `write(-1, "HOSTILE-END", 11)` (both fail with EBADF), so a test can
//! compare just that part of two traces. Exits 0.

use libc::{c_long, syscall};

fn sys(nr: c_long, a: [u64; 6]) -> c_long {
    // SAFETY: every call below is made with arguments the kernel checks
    // (it returns EFAULT/EINVAL/...); none of them can write to memory we
    // use or change the process in a way that matters.
    unsafe { syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]) }
}

fn main() {
    // SAFETY: plain prctl with integer arguments.
    unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) };
    let page = 4096u64;
    // Two pages; the second is unmapped again, so `edge` is the first
    // address that faults.
    // SAFETY: anonymous private mapping, checked below.
    let base = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            2 * page as usize,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        )
    };
    assert_ne!(base, libc::MAP_FAILED);
    let base = base as u64;
    // SAFETY: unmapping the second page of our own mapping.
    unsafe { libc::munmap((base + page) as *mut libc::c_void, page as usize) };
    let edge = base + page;
    // The page is all 'A': no NUL anywhere before the unmapped page.
    // SAFETY: the first page is mapped and writable.
    unsafe { std::ptr::write_bytes(base as *mut u8, b'A', page as usize) };
    let devnull = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/null")
        .expect("/dev/null");
    let null = std::os::fd::AsRawFd::as_raw_fd(&devnull) as u64;
    let bad = 0xdead_0000u64;
    let kernel = 0xffff_ffff_ff60_0000u64;
    let huge = 1u64 << 62;

    let begin = b"HOSTILE-BEGIN";
    sys(
        libc::SYS_write,
        [u64::MAX, begin.as_ptr() as u64, 13, 0, 0, 0],
    );

    // write: bad buffer, kernel address, huge length, buffer crossing the edge
    sys(libc::SYS_write, [null, bad, 100, 0, 0, 0]);
    sys(libc::SYS_write, [null, kernel, 100, 0, 0, 0]);
    sys(libc::SYS_write, [null, base, huge, 0, 0, 0]);
    sys(libc::SYS_write, [null, edge - 10, 100, 0, 0, 0]);
    sys(libc::SYS_write, [null, base, page, 0, 0, 0]);
    // read into bad memory
    sys(libc::SYS_read, [null, bad, huge, 0, 0, 0]);
    // paths without NUL, NULL, at the very edge, kernel address
    sys(libc::SYS_openat, [libc::AT_FDCWD as u64, base, 0, 0, 0, 0]);
    sys(
        libc::SYS_openat,
        [libc::AT_FDCWD as u64, edge - 2, 0, 0, 0, 0],
    );
    sys(libc::SYS_openat, [libc::AT_FDCWD as u64, 0, 0, 0, 0, 0]);
    sys(
        libc::SYS_openat,
        [libc::AT_FDCWD as u64, kernel, 0, 0, 0, 0],
    );
    sys(
        libc::SYS_newfstatat,
        [libc::AT_FDCWD as u64, base, bad, 0, 0, 0],
    );
    sys(
        libc::SYS_mkdirat,
        [libc::AT_FDCWD as u64, edge - 1, 0o700, 0, 0, 0],
    );
    // iovecs: count 2^31, bad array, array crossing the edge, huge lengths
    sys(libc::SYS_readv, [null, base, 1 << 31, 0, 0, 0]);
    sys(libc::SYS_writev, [null, bad, 1024, 0, 0, 0]);
    sys(libc::SYS_writev, [null, edge - 16, 4, 0, 0, 0]);
    let iov: [u64; 8] = [bad, huge, base, huge, edge - 1, 1, 0, 0];
    sys(libc::SYS_writev, [null, iov.as_ptr() as u64, 4, 0, 0, 0]);
    sys(
        libc::SYS_preadv,
        [null, iov.as_ptr() as u64, 1 << 31, 0, 0, 0],
    );
    // execve: path without NUL, argv without NULL running into the edge
    // (a page of pointers to "A...": never terminated), bad envp
    let argv_page = base;
    sys(libc::SYS_execve, [base, bad, bad, 0, 0, 0]);
    sys(
        libc::SYS_execve,
        [
            c"/nonexistent/x".as_ptr() as u64,
            argv_page,
            argv_page,
            0,
            0,
            0,
        ],
    );
    // SAFETY: fill the page with pointers into itself (no NULL at all).
    unsafe {
        let p = base as *mut u64;
        for i in 0..(page / 8) as usize {
            *p.add(i) = base + 8;
        }
    }
    sys(
        libc::SYS_execve,
        [
            c"/nonexistent/y".as_ptr() as u64,
            argv_page,
            edge - 8,
            0,
            0,
            0,
        ],
    );
    // SAFETY: back to all 'A'.
    unsafe { std::ptr::write_bytes(base as *mut u8, b'A', page as usize) };
    // sockets: bad msghdr, msghdr with 2^31 iovecs, address lengths
    // SAFETY: plain socket call.
    let sock = unsafe { libc::socket(libc::AF_UNIX, libc::SOCK_DGRAM, 0) } as u64;
    sys(libc::SYS_sendmsg, [sock, bad, 0, 0, 0, 0]);
    let msg: [u64; 7] = [base, 110, base, 1 << 31, edge - 4, huge, 0];
    sys(libc::SYS_sendmsg, [sock, msg.as_ptr() as u64, 0, 0, 0, 0]);
    sys(
        libc::SYS_recvmsg,
        [sock, edge - 8, libc::MSG_DONTWAIT as u64, 0, 0, 0],
    );
    sys(libc::SYS_connect, [sock, base, 1 << 31, 0, 0, 0]);
    sys(libc::SYS_connect, [sock, edge - 3, 110, 0, 0, 0]);
    sys(libc::SYS_sendto, [sock, bad, huge, 0, edge - 2, 16]);
    sys(
        libc::SYS_setsockopt,
        [
            sock,
            libc::SOL_SOCKET as u64,
            libc::SO_RCVBUF as u64,
            bad,
            1 << 31,
            0,
        ],
    );
    sys(
        libc::SYS_getsockopt,
        [
            sock,
            libc::SOL_SOCKET as u64,
            libc::SO_RCVBUF as u64,
            bad,
            bad,
            0,
        ],
    );
    // poll/select/epoll with bad arrays and huge counts
    sys(libc::SYS_poll, [bad, 1 << 20, 0, 0, 0, 0]);
    sys(libc::SYS_poll, [edge - 8, 4, 0, 0, 0, 0]);
    sys(libc::SYS_ppoll, [base, 1 << 31, bad, bad, 8, 0]);
    sys(libc::SYS_select, [1024, bad, bad, bad, bad, 0]);
    sys(libc::SYS_pselect6, [1 << 20, edge - 8, 0, 0, bad, bad]);
    sys(libc::SYS_epoll_wait, [u64::MAX, bad, 1 << 31, 0, 0, 0]);
    // signals, time, futex
    sys(
        libc::SYS_rt_sigaction,
        [libc::SIGUSR1 as u64, bad, bad, 8, 0, 0],
    );
    sys(
        libc::SYS_rt_sigaction,
        [libc::SIGUSR1 as u64, edge - 8, 0, 8, 0, 0],
    );
    sys(
        libc::SYS_rt_sigprocmask,
        [libc::SIG_BLOCK as u64, edge - 4, bad, 8, 0, 0],
    );
    sys(
        libc::SYS_rt_sigprocmask,
        [libc::SIG_BLOCK as u64, base, 0, huge, 0, 0],
    );
    sys(libc::SYS_nanosleep, [bad, bad, 0, 0, 0, 0]);
    sys(libc::SYS_clock_nanosleep, [0, 0, edge - 8, bad, 0, 0]);
    sys(libc::SYS_futex, [bad, 0, 1, bad, 0, 0]);
    sys(
        libc::SYS_futex,
        [edge - 2, 0x7fff_ffff, 1, edge - 8, bad, u64::MAX],
    );
    // directories, cwd, ioctl, prctl, clone3, uname, sysinfo
    sys(libc::SYS_getdents64, [null, bad, 1 << 30, 0, 0, 0]);
    sys(libc::SYS_getcwd, [bad, 1 << 31, 0, 0, 0, 0]);
    sys(libc::SYS_ioctl, [null, libc::TCGETS, bad, 0, 0, 0]);
    sys(libc::SYS_ioctl, [null, 0xc018_ae85, edge - 1, 0, 0, 0]);
    sys(libc::SYS_prctl, [libc::PR_SET_NAME as u64, bad, 0, 0, 0, 0]);
    sys(libc::SYS_clone3, [bad, 1 << 20, 0, 0, 0, 0]);
    sys(libc::SYS_clone3, [edge - 8, 88, 0, 0, 0, 0]);
    sys(libc::SYS_uname, [bad, 0, 0, 0, 0, 0]);
    sys(libc::SYS_sysinfo, [edge - 4, 0, 0, 0, 0, 0]);
    sys(libc::SYS_getrlimit, [u64::MAX, bad, 0, 0, 0, 0]);
    sys(libc::SYS_wait4, [u64::MAX, bad, 0xffff, bad, 0, 0]);
    sys(
        libc::SYS_mmap,
        [bad, huge, 7, libc::MAP_PRIVATE as u64, u64::MAX, huge],
    );
    sys(
        libc::SYS_readlinkat,
        [libc::AT_FDCWD as u64, base, bad, huge, 0, 0],
    );
    sys(
        libc::SYS_statx,
        [libc::AT_FDCWD as u64, edge - 1, 0xffff, 0xfff, bad, 0],
    );
    sys(libc::SYS_sched_setaffinity, [0, 1 << 31, bad, 0, 0, 0]);
    sys(libc::SYS_getrandom, [bad, huge, 0, 0, 0, 0]);
    sys(libc::SYS_io_uring_setup, [1 << 31, bad, 0, 0, 0, 0]);
    sys(libc::SYS_bpf, [u64::MAX, bad, 1 << 31, 0, 0, 0]);

    let end = b"HOSTILE-END";
    sys(
        libc::SYS_write,
        [u64::MAX, end.as_ptr() as u64, 11, 0, 0, 0],
    );
    drop(devnull);
    std::process::exit(0);
}
