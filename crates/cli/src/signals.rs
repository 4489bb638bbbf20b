//! ptrail's own signals, per strace's `-I` levels, on top of the engine's
//! safe helpers ([`ptrail_engine::signals`]).
//!
//! Fatal signals (Ctrl-C, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE) set the stop
//! flag that `Tracer::run` checks after each event and whenever its wait is
//! interrupted (the handlers do not restart syscalls); the engine then
//! detaches every tracee and returns. The CLI forwards the signal to the
//! command it started, reaps it and leaves with its status; with only `-p`
//! tracees ptrail dies of the signal itself, as strace does.

use ptrail_engine::signals as esig;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::OnceLock;

/// The signals that end tracing (strace's set).
const FATAL: [i32; 5] = [
    libc::SIGHUP,
    libc::SIGINT,
    libc::SIGQUIT,
    libc::SIGPIPE,
    libc::SIGTERM,
];

static STOP: OnceLock<&'static AtomicBool> = OnceLock::new();
static FALLBACK_STOP: AtomicBool = AtomicBool::new(false);
/// A stop requested by ptrail itself (output failure), as a signal number.
static SELF_STOP: AtomicI32 = AtomicI32::new(0);

/// Sets up signal handling for `-I level` (1 and 2: fatal signals stop
/// tracing; 3: they are blocked; 4: SIGTSTP too) and returns the stop flag
/// for `Tracer::run`. Blocking rather than ignoring keeps the command's
/// dispositions intact: the engine clears the mask before exec.
pub fn install(level: u8) -> Result<&'static AtomicBool, String> {
    let flag = esig::stop_on(&FATAL).map_err(|e| format!("sigaction: {}", e.desc()))?;
    if level >= 3 {
        esig::block(&FATAL, true).map_err(|e| format!("sigprocmask: {}", e.desc()))?;
    }
    if level >= 4 {
        esig::block(&[libc::SIGTSTP], true).map_err(|e| format!("sigprocmask: {}", e.desc()))?;
    }
    let _ = STOP.set(flag);
    Ok(flag)
}

/// Ends tracing as if `sig` had arrived (used when output fails).
pub fn request_stop(sig: i32) {
    let _ = SELF_STOP.compare_exchange(0, sig, Ordering::SeqCst, Ordering::SeqCst);
    STOP.get()
        .copied()
        .unwrap_or(&FALLBACK_STOP)
        .store(true, Ordering::SeqCst);
}

/// Ends tracing without a signal (`--syscall-limit` reached): every
/// tracee is detached and left running.
pub fn request_detach() {
    STOP.get()
        .copied()
        .unwrap_or(&FALLBACK_STOP)
        .store(true, Ordering::SeqCst);
}

/// The fatal signal that ended tracing, if any.
pub fn stop_signal() -> Option<i32> {
    match esig::stop_signal() {
        0 => match SELF_STOP.load(Ordering::SeqCst) {
            0 => None,
            sig => Some(sig),
        },
        sig => Some(sig),
    }
}

/// Sends `sig` to `pid`, ignoring a process that is already gone.
pub fn send(pid: i32, sig: i32) {
    let _ = esig::send(pid, sig);
}

/// Dies of `sig` (no core dump), so the shell sees what it would have seen
/// for the command itself.
pub fn die_by_signal(sig: i32) -> ! {
    esig::die_by(sig)
}
