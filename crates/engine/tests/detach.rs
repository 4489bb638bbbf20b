//! job-control.md sequence 11: detaching leaves every process exactly as
//! stopped or running as it would be without the tracer, with no signal
//! lost: stopped before attach, stopped while traced (LISTENing, or held at
//! its group-stop), running (busy, sleeping), held in the signal-delivery-
//! stop of SIGSTOP, and 4 threads. Afterwards TracerPid is 0, the state is
//! `T` or running, and the real parent (the test process: the tracee is its
//! child) can still reap WIFSTOPPED / WIFCONTINUED.

mod common;
use common::*;
use ptrail_engine::{DetachState, Event, Tid, Tracee, TracerBuilder};
use std::time::Duration;

/// After a detach that must leave `pid` stopped: TracerPid 0 on every
/// thread, every thread `T` (and staying so), the real parent reaps
/// WIFSTOPPED(SIGSTOP); then SIGCONT -> WIFCONTINUED and it runs.
fn check_left_stopped(pid: Tid, run_state: &str) {
    check_left_stopped_by(pid, run_state, SIGSTOP);
}

fn check_left_stopped_by(pid: Tid, run_state: &str, sig: i32) {
    for t in tasks(pid) {
        assert_eq!(task_tracer_pid(pid, t), Some(0), "tid {t} still traced");
    }
    wait_all_tasks(pid, "T");
    let st = reap(pid, libc::WUNTRACED);
    assert!(
        libc::WIFSTOPPED(st) && libc::WSTOPSIG(st) == sig,
        "real parent got status {st:#x}, want WIFSTOPPED({sig})"
    );
    wait_all_tasks(pid, "T");
    kill(pid, SIGCONT);
    let st = reap(pid, libc::WCONTINUED);
    assert!(
        libc::WIFCONTINUED(st),
        "real parent got status {st:#x}, want WIFCONTINUED"
    );
    wait_all_tasks(pid, run_state);
    if run_state == "R" {
        assert_gets_cpu(pid);
    }
}

/// After a detach that must leave `pid` running: TracerPid 0, running,
/// nothing for the real parent to reap.
fn check_left_running(pid: Tid, run_state: &str) {
    for t in tasks(pid) {
        assert_eq!(task_tracer_pid(pid, t), Some(0), "tid {t} still traced");
    }
    wait_all_tasks(pid, run_state);
    if run_state == "R" {
        assert_gets_cpu(pid);
    }
    assert_nothing_to_reap(pid);
}

fn last_detached(recs: &[Rec], tid: Tid) -> DetachState {
    match jc(recs, tid).last() {
        Some(J::Det(d)) => *d,
        other => panic!(
            "tid {tid}: last event {other:?} is not Detached\nlog:\n{}",
            dump(recs)
        ),
    }
}

fn detach_stopped_before_attach(sig: i32) {
    let mut h = Harness::new();
    let pid = h.start("tp_spin", &[]).pid;
    kill(pid, sig);
    wait_state(pid, "T");
    let mut tracer = seize(pid, false);
    h.run(&mut tracer, no_hook, |c| {
        c.wait_count("GroupStop", 1, is_stop);
        wait_state(pid, "t");
        c.assert_quiet(Duration::from_millis(100), "while group-stopped");
        c.detach_all_and_wait();
    });
    let recs = h.checked_recs();
    assert_jc(
        &recs,
        pid,
        vec![J::Att(true), J::Stop(sig), J::Det(DetachState::Stopped)],
    );
    assert_eq!(tracer.tracee_count(), 0);
    check_left_stopped_by(pid, "R", sig);
}

#[test]
fn seq11_detach_stopped_before_attach() {
    detach_stopped_before_attach(SIGSTOP);
}

#[test]
fn seq11_detach_stopped_by_sigtstp_before_attach() {
    detach_stopped_before_attach(SIGTSTP);
}

/// Stopped while traced; the engine is LISTENing when asked to detach
/// (DETACH fails with ESRCH there: INTERRUPT -> ES(SIGSTOP) -> DETACH).
fn detach_stopped_while_traced(threads: usize, trace_syscalls: bool, prog: &str, run_state: &str) {
    let mut h = Harness::new();
    let pid = h.start_threads(prog, threads);
    let mut tracer = seize(pid, trace_syscalls);
    h.run(&mut tracer, no_hook, |c| {
        c.wait_all_attached(pid, threads, run_state);
        c.kill(pid, SIGSTOP);
        c.wait_count("GroupStop per thread", threads, is_stop);
        wait_all_tasks(pid, "t");
        c.assert_quiet(Duration::from_millis(100), "while group-stopped");
        c.detach_all_and_wait();
    });
    let recs = h.checked_recs();
    let tids = attached(&recs);
    assert_eq!(tids.len(), threads);
    assert_threads_jc(
        &recs,
        tids,
        |j| !matches!(j, J::Sig(_)),
        vec![
            J::Att(false),
            J::Stop(SIGSTOP),
            J::Det(DetachState::Stopped),
        ],
    );
    assert_eq!(count(&recs, is_sig(SIGSTOP)), 1);
    check_left_stopped(pid, run_state);
}

#[test]
fn seq11_detach_stopped_while_listening() {
    detach_stopped_while_traced(1, false, "tp_spin", "R");
}

#[test]
fn seq11_detach_stopped_while_listening_syscall_tracing() {
    detach_stopped_while_traced(1, true, "tp_sleep", "S");
}

#[test]
fn seq11_detach_stopped_4_threads() {
    detach_stopped_while_traced(4, false, "tp_spin", "R");
}

/// The stop flag is set from the GroupStop callback: detach straight from
/// the ES(SIGSTOP), before any LISTEN. DETACH(0) there leaves it `T`.
#[test]
fn seq11_detach_at_group_stop() {
    let mut h = Harness::new();
    let (pid, mut tracer) = h.start_seized("tp_spin", false);
    let hook = |_: &mut Tracee<'_>, e: &Event, c: &Ctl| {
        if let Event::GroupStop { .. } = e {
            c.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        }
    };
    h.run(&mut tracer, hook, |c| {
        c.wait_attached(pid, "R");
        c.kill(pid, SIGSTOP);
        c.wait_count("GroupStop", 1, is_stop);
    });
    let recs = h.checked_recs();
    assert_jc(
        &recs,
        pid,
        vec![
            J::Att(false),
            J::Sig(SIGSTOP),
            J::Stop(SIGSTOP),
            J::Det(DetachState::Stopped),
        ],
    );
    check_left_stopped(pid, "R");
}

/// Running tracee: DETACH gives ESRCH; the engine must INTERRUPT, take the
/// first stop and detach from there; it keeps running and nothing is left
/// for the real parent.
fn detach_running(prog: &str, run_state: &'static str, trace_syscalls: bool) {
    let mut h = Harness::new();
    let (pid, mut tracer) = h.start_seized(prog, trace_syscalls);
    h.run(&mut tracer, no_hook, |c| {
        c.wait_attached(pid, run_state);
        c.assert_quiet(Duration::from_millis(50), "from an idle tracee");
        c.detach_all_and_wait();
    });
    let recs = h.checked_recs();
    assert_jc(
        &recs,
        pid,
        vec![J::Att(false), J::Det(DetachState::Running)],
    );
    check_left_running(pid, run_state);
}

#[test]
fn seq11_detach_running_busy() {
    detach_running("tp_spin", "R", false);
}

#[test]
fn seq11_detach_running_busy_syscall_tracing() {
    detach_running("tp_spin", "R", true);
}

#[test]
fn seq11_detach_running_sleeping_syscall_tracing() {
    detach_running("tp_sleep", "S", true);
}

/// Seize a busy tracee whose Signal(SIGSTOP) callback is `hook` (it lets
/// go of the tracee), send SIGSTOP, and check it was detached as stopped
/// or with SIGSTOP. Returns the harness (which still owns the tracee), its
/// pid and the events.
fn let_go_in_sigstop_delivery_stop(
    hook: impl FnMut(&mut Tracee<'_>, &Event, &Ctl),
) -> (Harness, Tid, Vec<Rec>) {
    let mut h = Harness::new();
    let (pid, mut tracer) = h.start_seized("tp_spin", false);
    h.run(&mut tracer, hook, |c| {
        c.wait_attached(pid, "R");
        c.kill(pid, SIGSTOP);
        c.wait_count("Signal(SIGSTOP)", 1, is_sig(SIGSTOP));
    });
    let recs = h.checked_recs();
    let d = last_detached(&recs, pid);
    assert!(
        matches!(
            d,
            DetachState::Stopped | DetachState::WithSignal(libc::SIGSTOP)
        ),
        "detached as {d:?}\nlog:\n{}",
        dump(&recs)
    );
    (h, pid, recs)
}

/// Detach while held in SD(SIGSTOP) (stop flag set from the
/// Signal(SIGSTOP) callback): DETACH(0) would lose the stop; the engine
/// must pass SIGSTOP, leaving it `T`.
#[test]
fn seq11_detach_in_sigstop_delivery_stop() {
    let hook = |_: &mut Tracee<'_>, e: &Event, c: &Ctl| {
        if let Event::Signal(si) = e {
            if si.signo() == SIGSTOP {
                c.stop.store(true, std::sync::atomic::Ordering::SeqCst);
            }
        }
    };
    let (_h, pid, recs) = let_go_in_sigstop_delivery_stop(hook);
    assert_eq!(jc(&recs, pid)[..2], [J::Att(false), J::Sig(SIGSTOP)]);
    check_left_stopped(pid, "R");
}

/// Same, through `Tracee::hand_over` from the Signal(SIGSTOP) callback.
#[test]
fn seq11_hand_over_in_sigstop_delivery_stop() {
    let hook = |t: &mut Tracee<'_>, e: &Event, _: &Ctl| {
        if let Event::Signal(si) = e {
            if si.signo() == SIGSTOP {
                let tid = t.tid();
                t.hand_over(tid);
            }
        }
    };
    let (_h, pid, _) = let_go_in_sigstop_delivery_stop(hook);
    check_left_stopped(pid, "R");
}

/// attach + detach_all without ever running the wait loop: the pending
/// INTERRUPT stop must be consumed and the tracee left running; a stopped
/// process left stopped.
#[test]
fn seq11_detach_all_right_after_attach() {
    let mut h = Harness::new();
    let running = h.start("tp_spin", &[]).pid;
    let stopped = h.start("tp_spin", &[]).pid;
    kill(stopped, SIGSTOP);
    wait_state(stopped, "T");
    let mut tracer = TracerBuilder::new().trace_syscalls(false).build();
    tracer.attach(running).expect("attach");
    tracer.attach(stopped).expect("attach");
    let mut sink = h.sink();
    tracer.detach_all(&mut sink).expect("detach_all");
    assert_eq!(tracer.tracee_count(), 0);
    let recs = h.recs();
    eprintln!("log:\n{}", dump(&recs));
    check_invariants(&recs);
    assert!(matches!(
        jc(&recs, running).last(),
        Some(J::Det(DetachState::Running))
    ));
    assert!(matches!(jc(&recs, stopped).last(), Some(J::Det(_))));
    check_left_running(running, "R");
    check_left_stopped(stopped, "R");
}

/// Detach from a tracee blocked in read() under syscall tracing (the
/// INTERRUPT shows up as SC-EXIT(-512)): the read must restart
/// transparently after the detach (no EINTR), data still flows.
#[test]
fn seq11_detach_blocked_reader_syscall_tracing() {
    let mut h = Harness::new();
    let mut p = h.start("tp_read", &[]);
    let pid = p.pid;
    wait_state(pid, "S");
    let mut tracer = seize(pid, true);
    h.run(&mut tracer, no_hook, |c| {
        c.wait_attached(pid, "S");
        c.detach_all_and_wait();
    });
    let recs = h.checked_recs();
    assert!(
        matches!(jc(&recs, pid).last(), Some(J::Det(DetachState::Running))),
        "log:\n{}",
        dump(&recs)
    );
    check_left_running(pid, "S");
    p.write(b"abcd");
    assert_eq!(
        p.read_line(),
        "got 4\n",
        "read did not restart transparently"
    );
}

/// No signal lost on detach: a fatal SIGTERM held in its signal-delivery-stop
/// when the engine lets go (hand_over from the Signal callback, or the stop
/// flag) must still kill the process; the real parent reaps
/// WIFSIGNALED(SIGTERM).
fn detach_at_fatal_signal(use_hand_over: bool) {
    let mut h = Harness::new();
    let (pid, mut tracer) = h.start_seized("tp_spin", false);
    let hook = |t: &mut Tracee<'_>, e: &Event, c: &Ctl| {
        if let Event::Signal(si) = e {
            if si.signo() == libc::SIGTERM {
                if use_hand_over {
                    let tid = t.tid();
                    t.hand_over(tid);
                } else {
                    c.stop.store(true, std::sync::atomic::Ordering::SeqCst);
                }
            }
        }
    };
    h.run(&mut tracer, hook, |c| {
        c.wait_attached(pid, "R");
        c.kill(pid, libc::SIGTERM);
        c.wait_count("Signal(SIGTERM)", 1, is_sig(libc::SIGTERM));
    });
    let recs = h.checked_recs();
    let last = jc(&recs, pid).last().cloned();
    assert!(
        matches!(
            last,
            Some(J::Det(DetachState::WithSignal(libc::SIGTERM)) | J::Kill(libc::SIGTERM))
        ),
        "last event {last:?}\nlog:\n{}",
        dump(&recs)
    );
    if matches!(last, Some(J::Det(_))) {
        let st = reap(pid, 0);
        assert!(
            libc::WIFSIGNALED(st) && libc::WTERMSIG(st) == libc::SIGTERM,
            "status {st:#x}: SIGTERM lost on detach\nlog:\n{}",
            dump(&recs)
        );
    }
}

#[test]
fn seq11_hand_over_at_fatal_signal_delivers_it() {
    detach_at_fatal_signal(true);
}

#[test]
fn seq11_detach_at_fatal_signal_delivers_it() {
    detach_at_fatal_signal(false);
}

/// A fatal signal sent right before detaching (still pending, or already
/// dequeued into a signal-delivery-stop): either way it must not be lost.
/// 10 rounds.
#[test]
fn seq11_detach_with_pending_fatal_signal() {
    for round in 0..10 {
        let mut h = Harness::new();
        let pid = h.start("tp_spin", &["2"]).pid;
        let mut tracer = seize(pid, round % 2 == 0);
        h.run(&mut tracer, no_hook, |c| {
            c.wait_count("Attached", 2, is_att);
            wait_all_tasks(pid, "R");
            c.kill(pid, libc::SIGTERM);
            c.detach_all_and_wait();
        });
        let recs = h.checked_recs();
        // Either the engine saw the death (it reaps: it is the tracer and
        // the test is the real parent) or the real parent reaps it now.
        match jc(&recs, pid).last() {
            Some(J::Kill(libc::SIGTERM)) => {}
            Some(J::Det(_)) => {
                let st = reap(pid, 0);
                assert!(
                    libc::WIFSIGNALED(st) && libc::WTERMSIG(st) == libc::SIGTERM,
                    "round {round}: status {st:#x}: SIGTERM lost on detach\nlog:\n{}",
                    dump(&recs)
                );
            }
            other => {
                let mut st = 0;
                // SAFETY: waitpid with a valid status pointer.
                let r = unsafe { libc::waitpid(pid, &mut st, libc::WNOHANG) };
                let e = std::io::Error::last_os_error();
                panic!(
                    "round {round}: leader {pid} has no final event (last {other:?}); \
                     real parent's waitpid -> {r} status {st:#x} ({e})\nlog:\n{}",
                    dump(&recs)
                )
            }
        }
    }
}
