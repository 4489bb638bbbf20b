//! Exec from a non-leader thread and a 100-thread process, followed with
//! follow_forks: no exit event is lost. Every thread that got Attached ends
//! with Exited/Killed, or (the thread that exec'd from a non-leader)
//! vanishes through the process's Exec{old_tid} event.

mod common;
use common::*;
use ptrail_engine::{ChildKind, Event, Tid};

fn run_spawned(argv: &[&str], trace_syscalls: bool) -> (Tid, Vec<Rec>) {
    let h = Harness::new();
    let mut tracer = follower(trace_syscalls);
    let pid = h.spawn(&mut tracer, argv);
    h.run(&mut tracer, no_hook, |_| ());
    assert_eq!(tracer.tracee_count(), 0);
    let recs = h.checked_recs();
    (pid, recs)
}

/// Every attached thread ends with Exited/Killed, except `vanished` ones,
/// which must have no final event.
fn check_all_ended(recs: &[Rec], vanished: &[Tid]) {
    for t in attached(recs) {
        let seq = jc(recs, t);
        let last = seq.last().cloned();
        if vanished.contains(&t) {
            assert!(
                !matches!(last, Some(J::Exit(_) | J::Kill(_) | J::Det(_))),
                "tid {t} exec'd (became the leader) but got a final event {last:?}\nlog:\n{}",
                dump(recs)
            );
        } else {
            assert!(
                matches!(last, Some(J::Exit(_) | J::Kill(_))),
                "tid {t}: lost its exit event (last {last:?})\nlog:\n{}",
                dump(recs)
            );
        }
    }
}

/// The Exec event(s) from a thread other than the leader: (old_tid).
fn non_leader_execs(recs: &[Rec], pid: Tid) -> Vec<Tid> {
    recs.iter()
        .filter_map(|r| match r.ev {
            Event::Exec { old_tid } if old_tid != pid => {
                assert_eq!(r.tid, pid, "Exec must be reported on the process id");
                Some(old_tid)
            }
            _ => None,
        })
        .collect()
}

fn exec_from_thread(leader_exits: bool, trace_syscalls: bool, idle: usize) {
    let mut argv = vec!["tp_exec_thread", "/bin/true"];
    if leader_exits {
        argv.push("leader-exits");
    }
    let idle_arg = format!("idle={idle}");
    argv.push(&idle_arg);
    let (pid, recs) = run_spawned(&argv, trace_syscalls);
    let tids = attached(&recs);
    let news = count(&recs, |r| matches!(r.ev, Event::NewChild { .. }));
    assert_eq!(news, idle + 1, "NewChild per thread\nlog:\n{}", dump(&recs));
    assert_eq!(
        tids.len(),
        idle + 2,
        "leader + idle + exec thread\nlog:\n{}",
        dump(&recs)
    );
    let execs = non_leader_execs(&recs, pid);
    assert_eq!(
        execs.len(),
        1,
        "one exec from a non-leader\nlog:\n{}",
        dump(&recs)
    );
    let old = execs[0];
    assert!(tids.contains(&old) && old != pid);
    check_all_ended(&recs, &[old]);
    // The process (now /bin/true) exits 0 under the leader's id.
    assert_eq!(
        jc(&recs, pid).last(),
        Some(&J::Exit(0)),
        "log:\n{}",
        dump(&recs)
    );
    // Nothing is reported for the old tid after the Exec.
    let exec_at = recs
        .iter()
        .position(|r| matches!(r.ev, Event::Exec { old_tid } if old_tid == old))
        .unwrap();
    assert!(
        recs[exec_at..].iter().all(|r| r.tid != old),
        "events for {old} after its exec\nlog:\n{}",
        dump(&recs)
    );
    if trace_syscalls {
        // /bin/true ran traced: its exit_group is seen under the leader's id.
        let eg = libc::SYS_exit_group as u64;
        assert!(
            all(&recs[exec_at..], pid).contains(&J::Enter(eg)),
            "log:\n{}",
            dump(&recs)
        );
    }
}

#[test]
fn exec_from_non_leader_thread() {
    exec_from_thread(false, true, 1);
}

#[test]
fn exec_from_non_leader_thread_no_syscalls() {
    exec_from_thread(false, false, 1);
}

#[test]
fn exec_from_non_leader_thread_after_leader_exited() {
    exec_from_thread(true, true, 1);
}

/// 20 idle threads started right before the exec: de_thread kills some of
/// them before their first stop was seen; they still need Attached first
/// and an exit event.
#[test]
fn exec_from_non_leader_thread_with_starting_siblings() {
    exec_from_thread(false, false, 20);
}

fn hundred(mode: &str, trace_syscalls: bool) {
    let (pid, recs) = run_spawned(&["tp_threads", "100", mode], trace_syscalls);
    let tids = attached(&recs);
    assert_eq!(tids.len(), 101, "log:\n{}", dump(&recs));
    let news = count(&recs, |r| {
        r.tid == pid
            && matches!(
                r.ev,
                Event::NewChild {
                    kind: ChildKind::Clone,
                    ..
                }
            )
    });
    assert_eq!(news, 100, "NewChild per thread\nlog:\n{}", dump(&recs));
    check_all_ended(&recs, &[]);
    let want = if mode == "join" { 0 } else { 3 };
    assert_eq!(jc(&recs, pid).last(), Some(&J::Exit(want)));
    if mode == "join" {
        for t in tids {
            assert_eq!(jc(&recs, t).last(), Some(&J::Exit(0)), "tid {t}");
        }
    }
}

#[test]
fn hundred_threads_join() {
    hundred("join", true);
}

#[test]
fn hundred_threads_join_no_syscalls() {
    hundred("join", false);
}

#[test]
fn hundred_threads_exit_group() {
    hundred("exit", true);
}

/// exit(3) while 100 threads are still starting (some killed before their
/// first ptrace-stop was seen): each still gets Attached first (checked by
/// check_invariants) and an exit event.
#[test]
fn hundred_threads_exit_group_while_starting() {
    hundred("exit-now", false);
}
