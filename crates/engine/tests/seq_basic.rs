//! job-control.md sequences 1, 2, 3, 4, 6, 10 and 12 on real tracees, plus
//! SIGTSTP and a tracee that blocks SIGCONT: the engine's event sequence and
//! the /proc state (`t` while stopped under tracing, running afterwards).

mod common;
use common::*;
use ptrail_engine::{Event, Tid, TracerBuilder};
use std::time::Duration;

/// Seq 1: <SIGx> -> Signal(SIGx) -> GroupStop{SIGx} -> (frozen, `t`) ->
/// <SIGCONT> -> Continued -> Signal(SIGCONT) -> runs again.
fn stop_cont(prog: &str, run_state: &'static str, sig: i32, trace_syscalls: bool) {
    let mut h = Harness::new();
    let (pid, mut tracer) = h.start_seized(prog, trace_syscalls);
    h.run(&mut tracer, no_hook, |c| {
        c.wait_attached(pid, run_state);
        c.kill(pid, sig);
        c.wait_count("GroupStop", 1, is_stop);
        assert_eq!(wait_state(pid, "tT"), 't', "stopped tracee must be `t`");
        c.assert_quiet(Duration::from_millis(100), "while group-stopped");
        assert_eq!(state(pid), Some('t'));
        c.kill(pid, SIGCONT);
        c.wait_count("Signal(SIGCONT)", 1, is_sig(SIGCONT));
        wait_state(pid, run_state);
        if run_state == "R" {
            assert_gets_cpu(pid);
        }
        c.kill(pid, SIGKILL);
    });
    let recs = h.checked_recs();
    assert_jc(
        &recs,
        pid,
        vec![
            J::Att(false),
            J::Sig(sig),
            J::Stop(sig),
            J::Cont,
            J::Sig(SIGCONT),
            J::Kill(SIGKILL),
        ],
    );
}

#[test]
fn seq01_stop_cont_busy() {
    stop_cont("tp_spin", "R", SIGSTOP, false);
}

#[test]
fn seq01_stop_cont_busy_syscall_tracing() {
    stop_cont("tp_spin", "R", SIGSTOP, true);
}

#[test]
fn seq01_stop_cont_sleeping() {
    stop_cont("tp_sleep", "S", SIGSTOP, false);
}

#[test]
fn seq01_sigtstp_stop_cont_busy() {
    stop_cont("tp_spin", "R", SIGTSTP, false);
}

const NR_NANOSLEEP: u64 = libc::SYS_nanosleep as u64;
const NR_CLOCK_NANOSLEEP: u64 = libc::SYS_clock_nanosleep as u64;
const NR_RESTART_SYSCALL: u64 = libc::SYS_restart_syscall as u64;

fn is_sleep_enter(r: &Rec) -> bool {
    matches!(r.ev, Event::SyscallEnter(e) if e.nr == NR_NANOSLEEP || e.nr == NR_CLOCK_NANOSLEEP)
}

/// The events of `pid` from its first nanosleep entry on.
fn from_sleep(recs: &[Rec], pid: Tid) -> Vec<J> {
    let v = all(recs, pid);
    let i = v
        .iter()
        .position(|j| matches!(j, J::Enter(nr) if *nr == NR_NANOSLEEP || *nr == NR_CLOCK_NANOSLEEP))
        .unwrap_or_else(|| panic!("no nanosleep entry\nlog:\n{}", dump(recs)));
    v[i..].to_vec()
}

/// Seq 2, the classic case: spawned tracee blocked in nanosleep under
/// syscall tracing: SC-ENTER -> <SIGSTOP> -> SC-EXIT(-516) -> Signal(SIGSTOP)
/// -> GroupStop -> <SIGCONT> -> Continued -> Signal(SIGCONT) ->
/// SC-ENTER(restart_syscall).
#[test]
fn seq02_nanosleep_under_syscall_tracing() {
    let h = Harness::new();
    let mut tracer = TracerBuilder::new().trace_syscalls(true).build();
    let pid = h.spawn(&mut tracer, &["tp_sleep"]);
    h.run(&mut tracer, no_hook, |c| {
        c.wait_count("SyscallEnter(nanosleep)", 1, is_sleep_enter);
        wait_state(pid, "S");
        c.kill(pid, SIGSTOP);
        c.wait_count("GroupStop", 1, is_stop);
        assert_eq!(wait_state(pid, "tT"), 't');
        c.assert_quiet(Duration::from_millis(100), "while group-stopped");
        c.kill(pid, SIGCONT);
        c.wait_count(
            "SyscallEnter(restart_syscall)",
            1,
            |r| matches!(r.ev, Event::SyscallEnter(e) if e.nr == NR_RESTART_SYSCALL),
        );
        wait_state(pid, "S");
        c.kill(pid, SIGKILL);
    });
    let recs = h.checked_recs();
    let ns = from_sleep(&recs, pid);
    let nr = match ns[0] {
        J::Enter(nr) => nr,
        _ => unreachable!(),
    };
    assert_eq!(
        ns,
        vec![
            J::Enter(nr),
            J::Leave(nr, -516),
            J::Sig(SIGSTOP),
            J::Stop(SIGSTOP),
            J::Cont,
            J::Sig(SIGCONT),
            J::Enter(NR_RESTART_SYSCALL),
            J::Kill(SIGKILL)
        ],
        "log:\n{}",
        dump(&recs)
    );
    assert_eq!(jc(&recs, pid).first(), Some(&J::Att(false)));
}

/// Seq 3: SIGCONT sent while the tracee is still held in its group-stop
/// (from the GroupStop callback, before the engine LISTENs): nothing lost.
fn cont_before_listen(trace_syscalls: bool) {
    let mut h = Harness::new();
    let (pid, mut tracer) = h.start_seized("tp_spin", trace_syscalls);
    let hook = |_: &mut ptrail_engine::Tracee<'_>, e: &Event, c: &Ctl| {
        if let Event::GroupStop { .. } = e {
            c.kill(pid, SIGCONT);
        }
    };
    h.run(&mut tracer, hook, |c| {
        c.wait_attached(pid, "R");
        c.kill(pid, SIGSTOP);
        c.wait_count("Signal(SIGCONT)", 1, is_sig(SIGCONT));
        wait_state(pid, "R");
        assert_gets_cpu(pid);
        c.kill(pid, SIGKILL);
    });
    let recs = h.checked_recs();
    assert_jc(
        &recs,
        pid,
        vec![
            J::Att(false),
            J::Sig(SIGSTOP),
            J::Stop(SIGSTOP),
            J::Cont,
            J::Sig(SIGCONT),
            J::Kill(SIGKILL),
        ],
    );
}

#[test]
fn seq03_cont_before_listen() {
    cont_before_listen(false);
}

#[test]
fn seq03_cont_before_listen_syscall_tracing() {
    cont_before_listen(true);
}

/// Seq 4: SIGCONT while the tracee sits in SD(SIGSTOP): the injected SIGSTOP
/// does not stop it: Signal(SIGSTOP) -> Signal(SIGCONT), no GroupStop, and
/// the tracee keeps running.
#[test]
fn seq04_cont_during_sigstop_delivery() {
    let mut h = Harness::new();
    let (pid, mut tracer) = h.start_seized("tp_spin", false);
    let hook = |_: &mut ptrail_engine::Tracee<'_>, e: &Event, c: &Ctl| {
        if let Event::Signal(si) = e {
            if si.signo() == SIGSTOP {
                c.kill(pid, SIGCONT);
            }
        }
    };
    h.run(&mut tracer, hook, |c| {
        c.wait_attached(pid, "R");
        c.kill(pid, SIGSTOP);
        c.wait_count("Signal(SIGCONT)", 1, is_sig(SIGCONT));
        wait_state(pid, "R");
        assert_gets_cpu(pid);
        c.kill(pid, SIGKILL);
    });
    let recs = h.checked_recs();
    assert_jc(
        &recs,
        pid,
        vec![
            J::Att(false),
            J::Sig(SIGSTOP),
            J::Sig(SIGCONT),
            J::Kill(SIGKILL),
        ],
    );
}

/// Seq 6: SIGCONT to a seized tracee that was never stopped: only
/// Signal(SIGCONT), no Continued.
#[test]
fn seq06_cont_without_stop() {
    let mut h = Harness::new();
    let (pid, mut tracer) = h.start_seized("tp_spin", false);
    h.run(&mut tracer, no_hook, |c| {
        c.wait_attached(pid, "R");
        c.kill(pid, SIGCONT);
        c.wait_count("Signal(SIGCONT)", 1, is_sig(SIGCONT));
        wait_state(pid, "R");
        assert_gets_cpu(pid);
        c.kill(pid, SIGKILL);
    });
    let recs = h.checked_recs();
    assert_jc(
        &recs,
        pid,
        vec![J::Att(false), J::Sig(SIGCONT), J::Kill(SIGKILL)],
    );
}

/// Seq 10 (never LISTEN on ES(SIGTRAP)): after attach (INTERRUPT) and after
/// every Continued the tracee really runs, and each new SIGSTOP gives a new
/// GroupStop. Three cycles.
#[test]
fn seq10_runs_after_attach_and_after_each_continue() {
    let mut h = Harness::new();
    let (pid, mut tracer) = h.start_seized("tp_spin", false);
    h.run(&mut tracer, no_hook, |c| {
        c.wait_attached(pid, "R");
        assert_gets_cpu(pid);
        for i in 1..=3 {
            c.kill(pid, SIGSTOP);
            c.wait_count(&format!("GroupStop #{i}"), i, is_stop);
            wait_state(pid, "t");
            c.kill(pid, SIGCONT);
            c.wait_count(&format!("Signal(SIGCONT) #{i}"), i, is_sig(SIGCONT));
            wait_state(pid, "R");
            assert_gets_cpu(pid);
        }
        c.kill(pid, SIGKILL);
    });
    let recs = h.checked_recs();
    let mut want = vec![J::Att(false)];
    for _ in 0..3 {
        want.extend([J::Sig(SIGSTOP), J::Stop(SIGSTOP), J::Cont, J::Sig(SIGCONT)]);
    }
    want.push(J::Kill(SIGKILL));
    assert_jc(&recs, pid, want);
}

/// Seq 12: attaching to an already-stopped process reports
/// Attached{already_stopped} + GroupStop without any SIGSTOP delivery; it
/// stays frozen until SIGCONT. Also with 4 threads.
fn attach_stopped(threads: usize, sig: i32) {
    let mut h = Harness::new();
    let pid = h.start_threads("tp_spin", threads);
    kill(pid, sig);
    wait_all_tasks(pid, "T");
    let mut tracer = seize(pid, false);
    h.run(&mut tracer, no_hook, |c| {
        c.wait_count("GroupStop per thread", threads, is_stop);
        wait_all_tasks(pid, "t");
        c.assert_quiet(Duration::from_millis(100), "while group-stopped");
        c.kill(pid, SIGCONT);
        c.wait_count("Continued per thread", threads, is_cont);
        c.wait_count("Signal(SIGCONT)", 1, is_sig(SIGCONT));
        wait_all_tasks(pid, "R");
        assert_gets_cpu(pid);
        c.kill(pid, SIGKILL);
    });
    let recs = h.checked_recs();
    let tids = attached(&recs);
    assert_eq!(tids.len(), threads, "log:\n{}", dump(&recs));
    assert_eq!(count(&recs, is_sig(sig)), 0, "log:\n{}", dump(&recs));
    assert_eq!(count(&recs, is_sig(SIGCONT)), 1, "log:\n{}", dump(&recs));
    assert_threads_jc(
        &recs,
        tids,
        |j| *j != J::Sig(SIGCONT),
        vec![J::Att(true), J::Stop(sig), J::Cont, J::Kill(SIGKILL)],
    );
}

#[test]
fn seq12_attach_already_stopped() {
    attach_stopped(1, SIGSTOP);
}

#[test]
fn seq12_attach_already_stopped_by_sigtstp() {
    attach_stopped(1, SIGTSTP);
}

#[test]
fn seq12_attach_already_stopped_4_threads() {
    attach_stopped(4, SIGSTOP);
}

/// A tracee that blocks SIGCONT: the stop still ends and must be reported as
/// Continued although no Signal(SIGCONT) ever comes.
#[test]
fn continued_reported_when_sigcont_blocked() {
    let mut h = Harness::new();
    let pid = h.start("tp_spin", &["1", "block-sigcont"]).pid;
    let mut tracer = seize(pid, false);
    h.run(&mut tracer, no_hook, |c| {
        c.wait_attached(pid, "R");
        c.kill(pid, SIGSTOP);
        c.wait_count("GroupStop", 1, is_stop);
        wait_state(pid, "t");
        c.kill(pid, SIGCONT);
        c.wait_count("Continued", 1, is_cont);
        wait_state(pid, "R");
        assert_gets_cpu(pid);
        c.kill(pid, SIGKILL);
    });
    let recs = h.checked_recs();
    assert_jc(
        &recs,
        pid,
        vec![
            J::Att(false),
            J::Sig(SIGSTOP),
            J::Stop(SIGSTOP),
            J::Cont,
            J::Kill(SIGKILL),
        ],
    );
}

/// "At SD(stop signal) inject the signal, unless the user asked to suppress
/// it": a sink that suppresses SIGSTOP (set_signal(None)) gets no GroupStop
/// and the tracee keeps running.
#[test]
fn suppressed_sigstop_does_not_stop() {
    let mut h = Harness::new();
    let (pid, mut tracer) = h.start_seized("tp_spin", false);
    let hook = |t: &mut ptrail_engine::Tracee<'_>, e: &Event, _: &Ctl| {
        if let Event::Signal(si) = e {
            if si.signo() == SIGSTOP {
                t.set_signal(None);
            }
        }
    };
    h.run(&mut tracer, hook, |c| {
        c.wait_attached(pid, "R");
        c.kill(pid, SIGSTOP);
        c.wait_count("Signal(SIGSTOP)", 1, is_sig(SIGSTOP));
        wait_state(pid, "R");
        assert_gets_cpu(pid);
        c.assert_quiet(Duration::from_millis(100), "after a suppressed SIGSTOP");
        c.kill(pid, SIGKILL);
    });
    let recs = h.checked_recs();
    assert_jc(
        &recs,
        pid,
        vec![J::Att(false), J::Sig(SIGSTOP), J::Kill(SIGKILL)],
    );
}
