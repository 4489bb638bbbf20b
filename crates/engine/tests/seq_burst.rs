//! job-control.md sequence 5: bursts of SIGSTOP/SIGCONT sent while the
//! tracee is held in a ptrace-stop. The tracee is held in the
//! signal-delivery-stop of a harmless SIGWINCH (the burst is sent from the
//! sink callback), in a syscall-entry stop, or is LISTENing in a group-stop.
//! Whole stop/cont pairs may vanish; a continue after a reported stop never
//! does.

mod common;
use common::*;
use ptrail_engine::{Event, Tracee, TracerBuilder};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Attach to a busy tracee, send SIGWINCH; while it is held in
/// SD(SIGWINCH) the callback sends `burst`. `after` continues the driver
/// once the Signal(SIGWINCH) was seen. Returns the events (no syscalls).
fn burst_in_signal_stop(burst: &'static [i32], after: impl FnOnce(&Ctl, i32) + Send) -> Vec<J> {
    let mut h = Harness::new();
    let (pid, mut tracer) = h.start_seized("tp_spin", false);
    let hook = move |_: &mut Tracee<'_>, e: &Event, c: &Ctl| {
        if let Event::Signal(si) = e {
            if si.signo() == SIGWINCH {
                for &s in burst {
                    c.kill(pid, s);
                }
            }
        }
    };
    h.run(&mut tracer, hook, |c| {
        c.wait_attached(pid, "R");
        c.kill(pid, SIGWINCH);
        c.wait_count("Signal(SIGWINCH)", 1, is_sig(SIGWINCH));
        after(c, pid);
        c.kill(pid, SIGKILL);
    });
    let recs = h.checked_recs();
    eprintln!("log:\n{}", dump(&recs));
    jc(&recs, pid)
}

/// The burst leaves SIGCONT pending: the tracee must end up running with
/// one Signal(SIGCONT) and no stop reported.
fn ends_running(c: &Ctl, pid: i32) {
    c.wait_count("Signal(SIGCONT)", 1, is_sig(SIGCONT));
    wait_state(pid, "R");
    assert_gets_cpu(pid);
    c.assert_quiet(Duration::from_millis(100), "after the burst");
}

#[test]
fn seq05_burst_stop_cont_stop_cont() {
    let got = burst_in_signal_stop(&[SIGSTOP, SIGCONT, SIGSTOP, SIGCONT], ends_running);
    assert_eq!(
        got,
        vec![
            J::Att(false),
            J::Sig(SIGWINCH),
            J::Sig(SIGCONT),
            J::Kill(SIGKILL)
        ]
    );
}

#[test]
fn seq05_burst_cont_cont() {
    let got = burst_in_signal_stop(&[SIGCONT, SIGCONT], ends_running);
    assert_eq!(
        got,
        vec![
            J::Att(false),
            J::Sig(SIGWINCH),
            J::Sig(SIGCONT),
            J::Kill(SIGKILL)
        ]
    );
}

/// STOP,CONT,STOP -> Signal(SIGSTOP) -> GroupStop; no Signal(SIGCONT). Then
/// a real SIGCONT ends it.
#[test]
fn seq05_burst_stop_cont_stop() {
    let got = burst_in_signal_stop(&[SIGSTOP, SIGCONT, SIGSTOP], |c, pid| {
        c.wait_count("GroupStop", 1, is_stop);
        wait_state(pid, "t");
        c.assert_quiet(Duration::from_millis(100), "while group-stopped");
        assert_eq!(count(&c.log.snapshot(), is_sig(SIGCONT)), 0);
        c.kill(pid, SIGCONT);
        c.wait_count("Signal(SIGCONT)", 1, is_sig(SIGCONT));
        wait_state(pid, "R");
        assert_gets_cpu(pid);
    });
    assert_eq!(
        got,
        vec![
            J::Att(false),
            J::Sig(SIGWINCH),
            J::Sig(SIGSTOP),
            J::Stop(SIGSTOP),
            J::Cont,
            J::Sig(SIGCONT),
            J::Kill(SIGKILL)
        ]
    );
}

/// SIGSTOP to a tracee already group-stopped and LISTENing: no event; the
/// SIGCONT then gives exactly one Continued and the tracee runs (the second
/// SIGSTOP was flushed, it must not stop again).
#[test]
fn seq05_stop_while_listening() {
    let mut h = Harness::new();
    let (pid, mut tracer) = h.start_seized("tp_spin", false);
    h.run(&mut tracer, no_hook, |c| {
        c.wait_attached(pid, "R");
        c.kill(pid, SIGSTOP);
        c.wait_count("GroupStop", 1, is_stop);
        wait_state(pid, "t");
        c.assert_quiet(Duration::from_millis(100), "while group-stopped");
        c.kill(pid, SIGSTOP);
        c.assert_quiet(
            Duration::from_millis(200),
            "after SIGSTOP to a stopped tracee",
        );
        assert_eq!(state(pid), Some('t'));
        c.kill(pid, SIGCONT);
        c.wait_count("Signal(SIGCONT)", 1, is_sig(SIGCONT));
        wait_state(pid, "R");
        assert_gets_cpu(pid);
        c.assert_quiet(Duration::from_millis(100), "after SIGCONT");
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

/// STOP,CONT,STOP,CONT while held in the syscall-entry stop of nanosleep:
/// SC-EXIT(-516) -> Signal(SIGCONT) -> SC-ENTER(restart_syscall); no stop.
#[test]
fn seq05_burst_in_syscall_stop() {
    let h = Harness::new();
    let mut tracer = TracerBuilder::new().trace_syscalls(true).build();
    let pid = h.spawn(&mut tracer, &["tp_sleep"]);
    let ns = [libc::SYS_nanosleep as u64, libc::SYS_clock_nanosleep as u64];
    let done = AtomicBool::new(false);
    let hook = |_: &mut Tracee<'_>, e: &Event, c: &Ctl| {
        if let Event::SyscallEnter(s) = e {
            if ns.contains(&s.nr) && !done.swap(true, Ordering::SeqCst) {
                for sig in [SIGSTOP, SIGCONT, SIGSTOP, SIGCONT] {
                    c.kill(pid, sig);
                }
            }
        }
    };
    let restart = libc::SYS_restart_syscall as u64;
    h.run(&mut tracer, hook, |c| {
        c.wait_count(
            "SyscallEnter(restart_syscall)",
            1,
            |r| matches!(r.ev, Event::SyscallEnter(e) if e.nr == restart),
        );
        wait_state(pid, "S");
        c.kill(pid, SIGKILL);
    });
    let recs = h.checked_recs();
    let v = all(&recs, pid);
    let i = v
        .iter()
        .position(|j| matches!(j, J::Enter(nr) if ns.contains(nr)))
        .expect("nanosleep entry");
    let nr = ns.iter().copied().find(|&n| v[i] == J::Enter(n)).unwrap();
    assert_eq!(
        v[i..].to_vec(),
        vec![
            J::Enter(nr),
            J::Leave(nr, -516),
            J::Sig(SIGCONT),
            J::Enter(restart),
            J::Kill(SIGKILL)
        ],
        "log:\n{}",
        dump(&recs)
    );
}

/// Attach to a busy tracee; `hook_on(event)` fires once, from the callback
/// of the first matching event, and sends `burst`. The driver sends one
/// SIGSTOP, then `rest` finishes. Returns the events (no syscalls).
fn burst_from_hook(
    first: fn(&Event) -> bool,
    burst: &'static [i32],
    rest: impl FnOnce(&Ctl, i32) + Send,
) -> Vec<J> {
    let mut h = Harness::new();
    let (pid, mut tracer) = h.start_seized("tp_spin", false);
    let fired = AtomicBool::new(false);
    let hook = |_: &mut Tracee<'_>, e: &Event, c: &Ctl| {
        if first(e) && !fired.swap(true, Ordering::SeqCst) {
            for &s in burst {
                c.kill(pid, s);
            }
        }
    };
    h.run(&mut tracer, hook, |c| {
        c.wait_attached(pid, "R");
        c.kill(pid, SIGSTOP);
        rest(c, pid);
        c.kill(pid, SIGKILL);
    });
    let recs = h.checked_recs();
    eprintln!("log:\n{}", dump(&recs));
    jc(&recs, pid)
}

/// End a stop with a real SIGCONT and check the tracee runs.
fn cont_and_run(c: &Ctl, pid: i32, stops: usize) {
    c.wait_count("GroupStops", stops, is_stop);
    wait_state(pid, "t");
    c.assert_quiet(Duration::from_millis(100), "while group-stopped");
    c.kill(pid, SIGCONT);
    c.wait_count("Signal(SIGCONT)", 1, is_sig(SIGCONT));
    wait_state(pid, "R");
    assert_gets_cpu(pid);
}

/// STOP,CONT,STOP sent while held at the group-stop (before LISTEN): the
/// stop ended (Continued) and a fresh one began; no Signal(SIGCONT).
#[test]
fn seq05_burst_in_group_stop() {
    let got = burst_from_hook(
        |e| matches!(e, Event::GroupStop { .. }),
        &[SIGSTOP, SIGCONT, SIGSTOP],
        |c, pid| cont_and_run(c, pid, 2),
    );
    assert_eq!(
        got,
        vec![
            J::Att(false),
            J::Sig(SIGSTOP),
            J::Stop(SIGSTOP),
            J::Cont,
            J::Sig(SIGSTOP),
            J::Stop(SIGSTOP),
            J::Cont,
            J::Sig(SIGCONT),
            J::Kill(SIGKILL)
        ]
    );
}

/// SIGSTOP sent while held at the ES(SIGTRAP) that ended a stop (the
/// Continued callback): it cancels the pending SIGCONT, so Continued is
/// followed by a fresh Signal(SIGSTOP) + GroupStop, no Signal(SIGCONT).
#[test]
fn seq05_stop_while_held_at_continued() {
    let got = burst_from_hook(
        |e| matches!(e, Event::Continued),
        &[SIGSTOP],
        |c, pid| {
            c.wait_count("GroupStop", 1, is_stop);
            wait_state(pid, "t");
            c.kill(pid, SIGCONT);
            cont_and_run(c, pid, 2);
        },
    );
    assert_eq!(
        got,
        vec![
            J::Att(false),
            J::Sig(SIGSTOP),
            J::Stop(SIGSTOP),
            J::Cont,
            J::Sig(SIGSTOP),
            J::Stop(SIGSTOP),
            J::Cont,
            J::Sig(SIGCONT),
            J::Kill(SIGKILL)
        ]
    );
}
