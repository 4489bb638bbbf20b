//! Tiny helper programs for ptrail's integration tests (the `tp_*` binaries),
//! plus the few lines they share. Each program is documented at its top.
//!
//! Every program dies with its parent (`PR_SET_PDEATHSIG`), so a crashed test
//! leaves no spinning process behind.

use std::io::Write;

/// Kill this process when its parent dies.
pub fn die_with_parent() {
    // SAFETY: plain prctl with integer arguments.
    unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) };
    if std::os::unix::process::parent_id() == 1 {
        std::process::exit(99);
    }
}

/// Tell the test we are set up: the line `ready` on stdout.
pub fn ready() {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(b"ready\n");
    let _ = out.flush();
}

/// The program's arguments after `argv[0]`.
pub fn args() -> Vec<String> {
    std::env::args().skip(1).collect()
}

/// Spin on the CPU forever without making a syscall.
pub fn spin() -> ! {
    let mut x: u64 = 0;
    loop {
        x = std::hint::black_box(x.wrapping_add(1));
    }
}

/// Block `sig` in the calling thread (threads created later inherit it).
pub fn block_signal(sig: i32) {
    // SAFETY: the set is initialised by sigemptyset before use.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, sig);
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
    }
}
