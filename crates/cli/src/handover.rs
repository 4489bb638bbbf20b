//! Tracing tracers: when a tracee is about to become the tracer of
//! something ptrail traces, ptrail steps aside at the entry of that
//! `ptrace` call so that the call succeeds (a thread has one tracer).
//!
//! - `ptrace(PTRACE_TRACEME)`: the calling thread is detached; its parent
//!   becomes its tracer. Not when that parent is ptrail itself (a command
//!   ptrail started that checks for a debugger): the call then fails with
//!   EPERM, as under strace.
//! - `ptrace(PTRACE_SEIZE | PTRACE_ATTACH, pid)`: that thread is detached,
//!   and every thread of the process when `pid` is a process id. Not when
//!   `pid` is in the caller's own process (the call fails anyway).
//!
//! The engine does the detaching ([`ptrail_engine::Tracee::hand_over`]),
//! keeping job-control state and pending signals: a process stopped in a
//! group-stop (e.g. strace's child waiting in its startup SIGSTOP) stays
//! stopped, so the new tracer finds it as it expects.

use ptrail_engine::Tid;

/// `ptrace` requests that make the caller (or its parent) a tracer.
pub const PTRACE_TRACEME: u64 = 0;
/// See [`PTRACE_TRACEME`].
pub const PTRACE_ATTACH: u64 = 16;
/// See [`PTRACE_TRACEME`].
pub const PTRACE_SEIZE: u64 = 0x4206;

/// A hand-over to carry out before the calling thread resumes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HandOver {
    /// The thread (or, a process id, the process) ptrail stops tracing.
    pub target: Tid,
    /// Its tracer from then on.
    pub tracer: Tid,
}

/// What the entry of `ptrace(args...)` by thread `caller` of process
/// `caller_pid` asks of ptrail, if anything.
pub fn at_ptrace_entry(caller: Tid, caller_pid: Tid, args: &[u64; 6]) -> Option<HandOver> {
    match args[0] & 0xffff_ffff {
        PTRACE_TRACEME => {
            let parent = proc_field(caller, "PPid:")?;
            (parent > 0 && parent != std::process::id() as Tid).then_some(HandOver {
                target: caller,
                tracer: parent,
            })
        }
        PTRACE_ATTACH | PTRACE_SEIZE => {
            let target = args[1] as u32 as i32; // pid_t
            if target <= 0 || proc_field(target, "Tgid:")? == caller_pid {
                return None;
            }
            Some(HandOver {
                target,
                tracer: caller,
            })
        }
        _ => None,
    }
}

/// A numeric field of /proc/TID/status.
fn proc_field(tid: Tid, field: &str) -> Option<Tid> {
    let status = std::fs::read_to_string(format!("/proc/{tid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(req: u64, pid: u64) -> [u64; 6] {
        [req, pid, 0, 0, 0, 0]
    }

    #[test]
    fn requests() {
        let me = std::process::id() as Tid;
        // PTRACE_TRACEME from a process whose parent is not ptrail.
        let parent = proc_field(me, "PPid:").unwrap();
        assert_eq!(
            at_ptrace_entry(me, me, &args(PTRACE_TRACEME, 0)),
            Some(HandOver {
                target: me,
                tracer: parent
            })
        );
        // SEIZE/ATTACH of another process (our parent exists).
        for req in [
            PTRACE_SEIZE,
            PTRACE_ATTACH,
            PTRACE_SEIZE | 0xffff_ffff_0000_0000,
        ] {
            assert_eq!(
                at_ptrace_entry(me, me, &args(req, parent as u64)),
                Some(HandOver {
                    target: parent,
                    tracer: me
                })
            );
        }
        // Own process, no process, other requests: nothing.
        assert_eq!(
            at_ptrace_entry(me, me, &args(PTRACE_SEIZE, me as u64)),
            None
        );
        assert_eq!(at_ptrace_entry(me, me, &args(PTRACE_ATTACH, 0)), None);
        assert_eq!(
            at_ptrace_entry(me, me, &args(PTRACE_ATTACH, u32::MAX as u64)),
            None
        );
        assert_eq!(at_ptrace_entry(me, me, &args(0x4207, parent as u64)), None);
    }
}
