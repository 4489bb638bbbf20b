//! Per-syscall work of the filtering and tampering options, called by the
//! trace sink at syscall entry and exit: which calls are shown (`-e trace=`,
//! `-P`), `-e inject=`/`-e fault=` (counting invocations per thread and
//! syscall, changing registers through the engine, delays, signals),
//! `-e raw=`, the ` (INJECTED)` / ` (DELAYED)` markers, `-e status=` and
//! `--syscall-limit`.
//!
//! Nothing here allocates on the path of a syscall that is neither
//! injected nor path-traced.

use crate::filter::{status, Filter};
use crate::pathtrace::PathTrace;
use ptrail_decode::{syscall_nargs, Abi, Call, Entered, Exited, RetValue, Value};
use ptrail_engine::{SyscallEnter, SyscallExit, Tid, Tracee};
use rustc_hash::FxHashMap as HashMap;
use std::time::Duration;

/// The call's return value was injected.
const INJECTED: u8 = 1;
/// The call was delayed.
const DELAYED: u8 = 2;

/// What was done at a syscall's entry, for its exit.
#[derive(Debug, Default, Clone, Copy)]
struct Pending {
    ret: Option<i64>,
    delay_exit: Option<Duration>,
    marks: u8,
}

/// The state of the filtering and tampering options.
pub struct Tamper {
    /// (thread, syscall number) -> invocations seen (only for injected calls).
    counts: HashMap<(Tid, u64), u32>,
    /// Threads inside an injected call.
    pending: HashMap<Tid, Pending>,
    /// `-P`
    paths: Option<PathTrace>,
    /// Syscalls shown so far (for `--syscall-limit`).
    shown: u64,
    /// Whether anything is injected at all.
    injecting: bool,
    /// `--seccomp-bpf`: check at the first syscall that the filter is in force.
    seccomp_check: bool,
}

impl Tamper {
    /// The state for `filter`; returns notes to print before tracing.
    pub fn new(filter: &Filter) -> (Tamper, Vec<String>) {
        let (paths, notes) = if filter.paths.is_empty() {
            (None, Vec::new())
        } else {
            let (p, notes) = PathTrace::new(&filter.paths);
            (Some(p), notes)
        };
        (
            Tamper {
                counts: HashMap::default(),
                pending: HashMap::default(),
                paths,
                shown: 0,
                injecting: !filter.injects.is_empty(),
                seccomp_check: false,
            },
            notes,
        )
    }

    /// At syscall entry: injects what `-e inject` asks for and says
    /// whether the call is shown.
    #[inline]
    pub fn at_entry(
        &mut self,
        filter: &Filter,
        tracee: &mut Tracee<'_>,
        abi: Abi,
        e: &SyscallEnter,
        inject: bool,
    ) -> bool {
        if self.injecting && inject {
            self.inject_entry(filter, tracee, abi, e.nr);
        }
        if self.seccomp_check {
            self.seccomp_check = false;
            if !seccomp_in_force(tracee.tid()) {
                use std::io::Write;
                let _ = std::io::stderr()
                    .write_all(b"ptrail: seccomp filter is requested but unavailable\n");
            }
        }
        let mut shown = filter.traces(abi, e.nr);
        if shown {
            if let Some(p) = &mut self.paths {
                shown = p.matches(tracee, abi, e.nr, &e.args);
            }
        }
        shown
    }

    fn inject_entry(&mut self, filter: &Filter, tracee: &mut Tracee<'_>, abi: Abi, nr: u64) {
        let Some((_, inj)) = filter.inject_for(abi, nr) else {
            return;
        };
        let tid = tracee.tid();
        let n = self.counts.entry((tid, nr)).or_insert(0);
        *n = n.saturating_add(1);
        if !inj.applies(*n) {
            return;
        }
        let mut p = Pending::default();
        let replacement = match (inj.syscall, abi) {
            (None, _) => -1,
            (Some((_, i386)), Abi::I386) => i386,
            (Some((x86_64, _)), _) => x86_64,
        };
        if inj.tampers() && tracee.set_syscall_nr(replacement) {
            p.ret = Some(match inj.error {
                Some(errno) => -(errno as i64),
                None => inj.retval.unwrap_or(0) as i64,
            });
            p.marks |= INJECTED;
        }
        if let Some(sig) = inj.signal {
            tracee.inject_signal(sig);
        }
        if let Some(d) = inj.delay_enter {
            std::thread::sleep(d);
            p.marks |= DELAYED;
        }
        if let Some(d) = inj.delay_exit {
            p.delay_exit = Some(d);
            p.marks |= DELAYED;
        }
        if p.marks != 0 {
            self.pending.insert(tid, p);
        }
    }

    /// At syscall exit: sets an injected return value and waits out a
    /// delay. Returns the return value as the tracee sees it and the
    /// markers for [`Tamper::finish`].
    #[inline]
    pub fn at_exit(&mut self, tracee: &mut Tracee<'_>, abi: Abi, x: &SyscallExit) -> (i64, u8) {
        let mut ret = x.ret;
        let mut marks = 0;
        if !self.pending.is_empty() {
            if let Some(p) = self.pending.remove(&tracee.tid()) {
                if let Some(r) = p.ret {
                    if tracee.set_return(r) {
                        ret = r;
                    }
                }
                if let Some(d) = p.delay_exit {
                    std::thread::sleep(d);
                }
                marks = p.marks;
            }
        }
        if let Some(paths) = &mut self.paths {
            paths.after(tracee.pid(), abi, x.nr, &x.args, ret);
        }
        (ret, marks)
    }

    /// Adds the markers and `-e raw=` formatting to an exit. Returns false
    /// if `-e status=` hides the call.
    #[inline]
    pub fn finish(&mut self, filter: &Filter, call: &Call, exited: &mut Exited, marks: u8) -> bool {
        if filter.raw.contains(call.abi, call.nr) {
            if let RetValue::Int(v) = exited.ret {
                exited.ret = RetValue::Hex(v as u64);
            }
        }
        if filter.by_status() {
            let outcome = match exited.ret {
                RetValue::Error(_) => status::FAILED,
                RetValue::Unknown => status::UNAVAILABLE,
                _ => status::SUCCESSFUL,
            };
            if filter.status & outcome == 0 {
                return false;
            }
        }
        if marks & INJECTED != 0 {
            let ret = std::mem::replace(&mut exited.ret, RetValue::Unknown);
            exited.ret = RetValue::Commented(Box::new(ret), "INJECTED".into());
        }
        if marks & DELAYED != 0 {
            let ret = std::mem::replace(&mut exited.ret, RetValue::Unknown);
            exited.ret = RetValue::Commented(Box::new(ret), "DELAYED".into());
        }
        true
    }

    /// Counts a shown syscall; true when `--syscall-limit` is reached.
    pub fn count_shown(&mut self, filter: &Filter) -> bool {
        self.shown += 1;
        filter.syscall_limit.is_some_and(|n| self.shown == n)
    }

    /// Whether nothing is to be done at any syscall: no injection, no
    /// `-P`, no `--syscall-limit`, no pending seccomp check (then
    /// [`Self::at_entry`] is `filter.traces`, [`Self::at_exit`] the plain
    /// return value and [`Self::finish`] of an unmarked call without
    /// `raw=`/`status=` changes nothing).
    pub fn idle(&self, filter: &Filter) -> bool {
        !self.injecting
            && self.paths.is_none()
            && !self.seccomp_check
            && self.pending.is_empty()
            && filter.syscall_limit.is_none()
    }

    /// `--seccomp-bpf` is in use: say so at the first syscall if the
    /// kernel refused the filter (the engine then stops at every syscall).
    pub fn expect_seccomp(&mut self) {
        self.seccomp_check = true;
    }

    /// Forgets a thread that is gone.
    pub fn forget(&mut self, tid: Tid) {
        if self.injecting {
            self.pending.remove(&tid);
            self.counts.retain(|&(t, _), _| t != tid);
        }
    }

    /// Forgets the descriptors of a process that exec'd or is gone.
    pub fn forget_process(&mut self, pid: Tid) {
        if let Some(p) = &mut self.paths {
            p.forget(pid);
        }
    }
}

/// Whether a seccomp filter is in force for `tid` (/proc/TID/status).
fn seccomp_in_force(tid: Tid) -> bool {
    std::fs::read_to_string(format!("/proc/{tid}/status"))
        .map(|s| {
            s.lines()
                .any(|l| l.starts_with("Seccomp:") && l.trim_end().ends_with('2'))
        })
        .unwrap_or(true)
}

/// `-e raw=`: the arguments as hex numbers.
pub fn raw_entered(call: &Call) -> Entered {
    let n = syscall_nargs(call.abi, call.nr).min(6);
    Entered {
        args: call.args[..n].iter().map(|&a| Value::Hex(a)).collect(),
        complete: true,
        saved: Vec::new(),
        exit_glue: None,
    }
}

/// Whether a call left unfinished at a thread's end is shown under
/// `-e status=` (`detached`: ptrail let go of the thread).
pub fn unfinished_shown(filter: &Filter, detached: bool) -> bool {
    let bit = if detached {
        status::DETACHED
    } else {
        status::UNFINISHED
    };
    filter.status & bit != 0
}
