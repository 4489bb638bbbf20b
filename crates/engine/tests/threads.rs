//! job-control.md sequences 7 (threads) and 8 (PTRACE_INTERRUPT, as the
//! engine uses it to attach): one Signal(SIGSTOP) per process, one
//! GroupStop and one Continued per thread, a single Signal(SIGCONT); an
//! attached busy tracee keeps running; a tracee blocked in read() is
//! interrupted by the attach and its read restarts transparently.

mod common;
use common::*;
use ptrail_engine::{ChildKind, Event, Tid, TracerBuilder};
use std::time::Duration;

/// Drive one stop/continue cycle on a traced `threads`-thread process whose
/// threads are in `run_state`, then kill it.
fn cycle(c: &Ctl, pid: Tid, threads: usize, run_state: &str) {
    wait_all_tasks(pid, run_state);
    c.kill(pid, SIGSTOP);
    c.wait_count("GroupStop per thread", threads, is_stop);
    wait_all_tasks(pid, "t");
    c.assert_quiet(Duration::from_millis(100), "while group-stopped");
    c.kill(pid, SIGCONT);
    c.wait_count("Continued per thread", threads, is_cont);
    c.wait_count("Signal(SIGCONT)", 1, is_sig(SIGCONT));
    wait_all_tasks(pid, run_state);
    if run_state == "R" {
        assert_threads_get_cpu(pid);
    }
    c.kill(pid, SIGKILL);
}

/// Per-thread check: exactly one Signal(SIGSTOP) and one Signal(SIGCONT) in
/// the whole process, and each thread saw Attached, GroupStop, Continued,
/// Killed in that order.
fn check_threads(recs: &[Rec], threads: usize, attached_flag: bool) {
    check_invariants(recs);
    let tids = attached(recs);
    assert_eq!(tids.len(), threads, "log:\n{}", dump(recs));
    assert_eq!(count(recs, is_sig(SIGSTOP)), 1, "log:\n{}", dump(recs));
    assert_eq!(count(recs, is_sig(SIGCONT)), 1, "log:\n{}", dump(recs));
    for t in tids {
        let got: Vec<J> = jc(recs, t)
            .into_iter()
            .filter(|j| !matches!(j, J::Sig(_) | J::New(..) | J::Exec(_)))
            .collect();
        assert_eq!(
            got,
            vec![
                J::Att(attached_flag),
                J::Stop(SIGSTOP),
                J::Cont,
                J::Kill(SIGKILL)
            ],
            "tid {t}\nlog:\n{}",
            dump(recs)
        );
        // The Signal(SIGSTOP) of the thread that got it comes before its GroupStop.
        let full = jc(recs, t);
        if let Some(i) = full.iter().position(|j| *j == J::Sig(SIGSTOP)) {
            assert!(i < full.iter().position(|j| *j == J::Stop(SIGSTOP)).unwrap());
        }
    }
}

fn attach_threads(prog: &str, threads: usize, run_state: &'static str, trace_syscalls: bool) {
    let mut h = Harness::new();
    let pid = h.start_threads(prog, threads);
    let mut tracer = seize(pid, trace_syscalls);
    h.run(&mut tracer, no_hook, |c| {
        c.wait_count("Attached per thread", threads, is_att);
        cycle(c, pid, threads, run_state);
    });
    check_threads(&h.recs(), threads, false);
}

#[test]
fn seq07_four_busy_threads() {
    attach_threads("tp_spin", 4, "R", false);
}

#[test]
fn seq07_four_busy_threads_syscall_tracing() {
    attach_threads("tp_spin", 4, "R", true);
}

#[test]
fn seq07_four_sleeping_threads_syscall_tracing() {
    attach_threads("tp_sleep", 4, "S", true);
}

/// Threads created under tracing (follow_forks): each starts with its own
/// Attached, the creator reports NewChild{Clone}; then a stop/cont cycle.
#[test]
fn seq07_spawned_threads_followed() {
    let h = Harness::new();
    let mut tracer = follower(false);
    let pid = h.spawn(&mut tracer, &["tp_spin", "4"]);
    h.run(&mut tracer, no_hook, |c| {
        c.wait_count("Attached per thread", 4, is_att);
        poll("4 threads", WAIT, || (tasks(pid).len() == 4).then_some(()));
        cycle(c, pid, 4, "R");
    });
    let recs = h.recs();
    check_threads(&recs, 4, false);
    let news: Vec<Tid> = recs
        .iter()
        .filter_map(|r| match r.ev {
            Event::NewChild {
                child,
                kind: ChildKind::Clone,
            } if r.tid == pid => Some(child),
            _ => None,
        })
        .collect();
    let mut others: Vec<Tid> = attached(&recs).into_iter().filter(|&t| t != pid).collect();
    let mut news_sorted = news.clone();
    news_sorted.sort_unstable();
    others.sort_unstable();
    assert_eq!(news_sorted, others, "log:\n{}", dump(&recs));
}

/// Seq 8: attaching (SEIZE + INTERRUPT) to a busy tracee: Attached only, and
/// it keeps getting CPU (no LISTEN on the interrupt's ES(SIGTRAP)).
#[test]
fn seq08_attach_busy_keeps_running() {
    let mut h = Harness::new();
    let (pid, mut tracer) = h.start_seized("tp_spin", true);
    assert_eq!(tracer.tracee_count(), 1);
    h.run(&mut tracer, no_hook, |c| {
        c.wait_attached(pid, "R");
        assert_gets_cpu(pid);
        c.assert_quiet(Duration::from_millis(100), "from a busy tracee");
        assert_eq!(tracer_pid(pid), Some(c.tracer_tid));
        c.kill(pid, SIGKILL);
    });
    let recs = h.checked_recs();
    assert_eq!(
        all(&recs, pid),
        vec![J::Att(false), J::Kill(SIGKILL)],
        "log:\n{}",
        dump(&recs)
    );
}

/// Seq 8: attaching to a tracee blocked in read(): the read restarts
/// transparently (no EINTR), data still flows, EOF makes it exit 0.
fn attach_reader(trace_syscalls: bool) {
    let mut h = Harness::new();
    let mut p = h.start("tp_read", &[]);
    let pid = p.pid;
    wait_state(pid, "S");
    let mut tracer = seize(pid, trace_syscalls);
    h.run(&mut tracer, no_hook, |c| {
        c.wait_attached(pid, "S");
        p.write(b"abc");
        assert_eq!(p.read_line(), "got 3\n");
        wait_state(pid, "S");
        p.write(b"hello");
        assert_eq!(p.read_line(), "got 5\n");
        p.stdin = None; // EOF: the tracee exits 0
    });
    let recs = h.checked_recs();
    let got = jc(&recs, pid);
    assert_eq!(
        got,
        vec![J::Att(false), J::Exit(0)],
        "log:\n{}",
        dump(&recs)
    );
    if trace_syscalls {
        let rd = libc::SYS_read as u64;
        let v = all(&recs, pid);
        assert!(v.contains(&J::Leave(rd, 3)), "log:\n{}", dump(&recs));
        assert!(v.contains(&J::Leave(rd, 5)), "log:\n{}", dump(&recs));
        assert!(v.contains(&J::Leave(rd, 0)), "log:\n{}", dump(&recs));
    }
}

#[test]
fn seq08_attach_blocked_read_restarts() {
    attach_reader(false);
}

#[test]
fn seq08_attach_blocked_read_restarts_syscall_tracing() {
    attach_reader(true);
}

/// Job control while threads come and go: a process that keeps creating
/// and joining short-lived threads (followed) gets 200 random
/// SIGSTOP/SIGCONT, then a final SIGCONT. Per thread: Attached first,
/// GroupStop/Continued alternate, every live thread is reported continued
/// after the final SIGCONT (never miss a continue), and after SIGKILL every
/// thread that got Attached got its Exited/Killed.
#[test]
fn threads_churn_under_stop_cont() {
    let h = Harness::new();
    let mut tracer = follower(false);
    let pid = h.spawn(&mut tracer, &["tp_threads", "3", "churn"]);
    let mut rng = Rng::from_time();
    eprintln!("seed {}", rng.0);
    h.run(&mut tracer, no_hook, |c| {
        c.wait_count("some threads", 10, is_att);
        for _ in 0..200 {
            let r = rng.next();
            c.kill(pid, if r & 1 == 0 { SIGSTOP } else { SIGCONT });
            std::thread::sleep(Duration::from_micros((r >> 1) % 1000));
        }
        c.kill(pid, SIGCONT);
        // Every thread that is alive now and was ever reported stopped must
        // be reported continued.
        c.wait_log("every live thread continued", |recs| {
            tasks(pid).into_iter().all(|t| {
                let seq = jc(recs, t);
                let last = seq.iter().rposition(|j| matches!(j, J::Stop(_) | J::Cont));
                !matches!(last.map(|i| &seq[i]), Some(J::Stop(_)))
            })
        });
        wait_state(pid, "RS");
        c.kill(pid, SIGKILL);
    });
    let recs = h.checked_recs();
    let tids = attached(&recs);
    assert!(tids.len() > 10);
    eprintln!(
        "{} threads, {} GroupStop, {} Continued",
        tids.len(),
        count(&recs, is_stop),
        count(&recs, is_cont)
    );
    for t in tids {
        let last = jc(&recs, t).last().cloned();
        assert!(
            matches!(last, Some(J::Exit(_) | J::Kill(_))),
            "tid {t} lost its exit (last {last:?})\nlog:\n{}",
            dump(&recs)
        );
    }
}

/// A new thread killed before its first ptrace-stop was seen: SIGKILL is
/// sent from the creator's NewChild callback (the creator is held at its
/// PTRACE_EVENT_CLONE stop). The new thread must still get Attached (its
/// first event, as for every thread) and then Killed.
#[test]
fn thread_killed_right_after_clone() {
    let h = Harness::new();
    let mut tracer = follower(false);
    let pid = h.spawn(&mut tracer, &["tp_threads", "1", "join"]);
    let hook = |_: &mut ptrail_engine::Tracee<'_>, e: &Event, c: &Ctl| {
        if let Event::NewChild { .. } = e {
            c.kill(pid, SIGKILL);
        }
    };
    h.run(&mut tracer, hook, |_| ());
    let recs = h.recs();
    eprintln!("log:\n{}", dump(&recs));
    let child = recs
        .iter()
        .find_map(|r| match r.ev {
            Event::NewChild { child, .. } => Some(child),
            _ => None,
        })
        .expect("NewChild");
    assert_jc(&recs, child, vec![J::Att(false), J::Kill(SIGKILL)]);
    assert_eq!(jc(&recs, pid).last(), Some(&J::Kill(SIGKILL)));
    check_invariants(&recs);
}

/// Attach to a process whose leader already exited (SYS_exit; a zombie
/// leader) while 2 other threads spin: the live threads must be traced and
/// stop/continue per thread as usual (PTRACE_SEIZE of the zombie leader
/// itself fails with EPERM; that must not make the attach fail).
#[test]
fn attach_process_with_exited_leader() {
    let mut h = Harness::new();
    let pid = h.start("tp_spin", &["3", "leader-exits"]).pid;
    poll("zombie leader", WAIT, || {
        (state(pid) == Some('Z')).then_some(())
    });
    let live: Vec<Tid> = tasks(pid).into_iter().filter(|&t| t != pid).collect();
    assert_eq!(live.len(), 2);
    let mut tracer = TracerBuilder::new().trace_syscalls(false).build();
    tracer
        .attach(pid)
        .expect("attach to a process with a zombie leader");
    h.run(&mut tracer, no_hook, |c| {
        c.wait_log("Attached for both live threads", |recs| {
            live.iter()
                .all(|&t| recs.iter().any(|r| r.tid == t && is_att(r)))
        });
        c.kill(pid, SIGSTOP);
        c.wait_log("GroupStop for both live threads", |recs| {
            live.iter()
                .all(|&t| recs.iter().any(|r| r.tid == t && is_stop(r)))
        });
        for &t in &live {
            poll("live thread `t`", WAIT, || {
                (task_state(pid, t) == Some('t')).then_some(())
            });
        }
        c.kill(pid, SIGCONT);
        c.wait_log("Continued for both live threads", |recs| {
            live.iter()
                .all(|&t| recs.iter().any(|r| r.tid == t && is_cont(r)))
        });
        for &t in &live {
            let before = task_cpu(pid, t).expect("task stat");
            poll("live thread to run", WAIT, || {
                (task_cpu(pid, t)? > before).then_some(())
            });
        }
        c.kill(pid, SIGKILL);
    });
    let recs = h.checked_recs();
    assert_threads_jc(
        &recs,
        live,
        |j| !matches!(j, J::Sig(_)),
        vec![J::Att(false), J::Stop(SIGSTOP), J::Cont, J::Kill(SIGKILL)],
    );
}
