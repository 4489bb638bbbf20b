//! Safe helpers for a tracer process's own signals: stop handlers that
//! make [`crate::Tracer::run`] detach and return, ignoring or blocking
//! signals around the wait loop, and dying by a tracee's fatal signal so a
//! shell sees the same exit status as without the tracer.

use crate::sys;
use nix::errno::Errno;
use std::sync::atomic::AtomicBool;

/// Installs handlers for `sigs` (e.g. SIGINT, SIGTERM, SIGHUP) and returns
/// the flag they set, to pass to [`crate::Tracer::run`]. The handlers do
/// not restart system calls, so a waiting tracer notices at once.
pub fn stop_on(sigs: &[i32]) -> Result<&'static AtomicBool, Errno> {
    sys::install_stop_handler(sigs)?;
    Ok(&sys::STOP)
}

/// The signal that last set the stop flag (0 if none).
pub fn stop_signal() -> i32 {
    sys::stop_signal()
}

/// Ignores `sig` (`true`) or restores its default action.
pub fn ignore(sig: i32, yes: bool) -> Result<(), Errno> {
    sys::set_ignored(sig, yes)
}

/// Blocks (`true`) or unblocks `sigs` in the calling thread.
pub fn block(sigs: &[i32], yes: bool) -> Result<(), Errno> {
    sys::block_signals(sigs, yes)
}

/// Terminates this process by `sig` (no core dump), so that its parent
/// sees "killed by sig" exactly as for the tracee.
pub fn die_by(sig: i32) -> ! {
    sys::die_by_signal(sig)
}

/// Sends `sig` to process `pid` (kill(2)).
pub fn send(pid: i32, sig: i32) -> Result<(), Errno> {
    sys::kill(pid, sig)
}

/// Starts a periodic timer (every `period_us` microseconds) so that a
/// tracer that buffers its output can flush it while it waits: each tick
/// interrupts [`crate::Tracer::run`]'s wait, which then calls
/// [`crate::Sink::idle`], and makes [`flush_due`] return true once.
pub fn flush_every(period_us: u64) -> Result<(), Errno> {
    sys::start_flush_timer(period_us)
}

/// Whether a flush tick happened since the last call (clears it).
pub fn flush_due() -> bool {
    sys::FLUSH_DUE.swap(false, std::sync::atomic::Ordering::Relaxed)
}
