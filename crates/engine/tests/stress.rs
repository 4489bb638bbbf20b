//! Stress: 500 random SIGSTOP/SIGCONT, sent from a helper thread at random
//! moments, to a traced 4-thread busy process. Per thread the events
//! alternate GroupStop/Continued starting with GroupStop; once the engine
//! settles every thread is stopped iff the last signal was SIGSTOP; after
//! detaching the process is `T` iff the last signal was SIGSTOP, else it runs.

mod common;
use common::*;
use ptrail_engine::{Event, Tid};
use std::time::Duration;

/// The last GroupStop/Continued event of `tid`: Some(true) = stopped.
fn stopped(recs: &[Rec], tid: Tid) -> Option<bool> {
    jc(recs, tid).into_iter().rev().find_map(|j| match j {
        J::Stop(_) => Some(true),
        J::Cont => Some(false),
        _ => None,
    })
}

fn stress(trace_syscalls: bool) {
    const THREADS: usize = 4;
    const SIGNALS: usize = 500;
    let mut h = Harness::new();
    let pid = h.start_threads("tp_spin", THREADS);
    let mut tracer = seize(pid, trace_syscalls);
    let mut rng = Rng::from_time();
    eprintln!("stress seed {}", rng.0);
    let last = h.run(&mut tracer, no_hook, |c| {
        c.wait_all_attached(pid, THREADS, "R");
        let mut last = SIGCONT;
        for _ in 0..SIGNALS {
            let r = rng.next();
            last = if r & 1 == 0 { SIGSTOP } else { SIGCONT };
            c.kill(pid, last);
            match (r >> 1) % 8 {
                0 => std::thread::yield_now(),
                1 => std::thread::sleep(Duration::from_micros(500)),
                _ => {
                    // a short random busy pause (0-100 µs)
                    let until = std::time::Instant::now() + Duration::from_micros((r >> 8) % 100);
                    while std::time::Instant::now() < until {
                        std::hint::spin_loop();
                    }
                }
            }
        }
        let tids = tasks(pid);
        assert_eq!(tids.len(), THREADS);
        // Settle: every thread's last job-control event matches the last signal.
        let want_stopped = last == SIGSTOP;
        c.wait_log(
            &format!(
                "every thread to settle {}",
                if want_stopped { "stopped" } else { "running" }
            ),
            |recs| {
                tids.iter().all(|&t| {
                    let s = stopped(recs, t);
                    if want_stopped {
                        s == Some(true)
                    } else {
                        s != Some(true)
                    }
                })
            },
        );
        if want_stopped {
            wait_all_tasks(pid, "t");
        } else {
            wait_all_tasks(pid, "R");
        }
        c.detach_all_and_wait();
        last
    });
    let recs = h.checked_recs();
    let tids = attached(&recs);
    assert_eq!(tids.len(), THREADS);
    let stops = count(&recs, |r| matches!(r.ev, Event::GroupStop { .. }));
    eprintln!("{stops} GroupStop events; last signal {last}");
    for &t in &tids {
        assert!(
            matches!(jc(&recs, t).last(), Some(J::Det(_))),
            "tid {t} not detached\nlog:\n{}",
            dump(&recs)
        );
        assert_eq!(task_tracer_pid(pid, t), Some(0), "tid {t} still traced");
    }
    if last == SIGSTOP {
        wait_all_tasks(pid, "T");
        // and it stays stopped
        std::thread::sleep(Duration::from_millis(100));
        wait_all_tasks(pid, "T");
        assert_eq!(state(pid), Some('T'));
    } else {
        wait_all_tasks(pid, "R");
        assert_gets_cpu(pid);
        for t in tasks(pid) {
            let before = task_cpu(pid, t).expect("task stat");
            poll(&format!("thread {t} to run"), WAIT, || {
                (task_cpu(pid, t)? > before).then_some(())
            });
        }
    }
}

#[test]
fn stress_500_random_stop_cont_4_threads() {
    stress(false);
}

#[test]
fn stress_500_random_stop_cont_4_threads_syscall_tracing() {
    stress(true);
}

/// Detach in the middle of the action: a random burst (1-40 signals) is
/// sent to a traced 4-thread busy process and the engine is told to detach
/// right after the last one, while stops and continues are still in flight.
/// No signal may be lost: afterwards every thread is `T` iff the last
/// signal was SIGSTOP, else all run. 25 rounds, each on a fresh process.
#[test]
fn stress_detach_mid_burst() {
    const THREADS: usize = 4;
    let mut rng = Rng::from_time();
    eprintln!("seed {}", rng.0);
    for round in 0..25 {
        let mut h = Harness::new();
        let pid = h.start_threads("tp_spin", THREADS);
        let mut tracer = seize(pid, round % 2 == 0);
        let n = 1 + rng.next() % 40;
        let mut sent = Vec::new();
        let last = h.run(&mut tracer, no_hook, |c| {
            c.wait_all_attached(pid, THREADS, "R");
            let mut last = SIGCONT;
            for _ in 0..n {
                let r = rng.next();
                last = if r & 1 == 0 { SIGSTOP } else { SIGCONT };
                sent.push(if last == SIGSTOP { 'S' } else { 'C' });
                c.kill(pid, last);
                if (r >> 1).is_multiple_of(4) {
                    std::thread::yield_now();
                }
            }
            c.detach_all_and_wait();
            last
        });
        let recs = h.recs();
        let sent: String = sent.into_iter().collect();
        let ctx = format!("round {round}, signals {sent}\nlog:\n{}", dump(&recs));
        check_invariants(&recs);
        for t in attached(&recs) {
            assert!(
                matches!(jc(&recs, t).last(), Some(J::Det(_))),
                "tid {t} not detached; {ctx}"
            );
            assert_eq!(task_tracer_pid(pid, t), Some(0), "tid {t}; {ctx}");
        }
        if last == SIGSTOP {
            wait_all_tasks(pid, "T");
        } else {
            wait_all_tasks(pid, "R");
            for t in tasks(pid) {
                let before = task_cpu(pid, t).expect("task stat");
                poll(&format!("thread {t} to run; {ctx}"), WAIT, || {
                    (task_cpu(pid, t)? > before).then_some(())
                });
            }
            for t in tasks(pid) {
                assert_ne!(task_state(pid, t), Some('T'), "thread {t} stopped; {ctx}");
            }
        }
    }
}

/// Detach while threads come and go: a process that keeps creating and
/// joining short-lived threads is attached with follow_forks, gets a random
/// burst of SIGSTOP/SIGCONT, and the engine detaches right after the last
/// one. Afterwards no thread is traced (threads born during the detach
/// included), and the process is `T` iff the last signal was SIGSTOP, else
/// it keeps running and creating threads. 10 rounds.
#[test]
fn stress_detach_during_thread_churn() {
    let mut rng = Rng::from_time();
    eprintln!("seed {}", rng.0);
    for round in 0..10 {
        let mut h = Harness::new();
        let pid = h.start("tp_threads", &["3", "churn"]).pid;
        let mut tracer = follower(round % 2 == 1);
        tracer.attach(pid).expect("attach");
        let n = 1 + rng.next() % 30;
        let mut sent = String::new();
        let last = h.run(&mut tracer, no_hook, |c| {
            c.wait_count("20 new threads", 20, |r| {
                matches!(r.ev, Event::NewChild { .. })
            });
            let mut last = SIGCONT;
            for _ in 0..n {
                let r = rng.next();
                last = if r & 1 == 0 { SIGSTOP } else { SIGCONT };
                sent.push(if last == SIGSTOP { 'S' } else { 'C' });
                c.kill(pid, last);
                std::thread::sleep(Duration::from_micros((r >> 1) % 300));
            }
            c.detach_all_and_wait();
            last
        });
        let recs = h.recs();
        let ctx = format!("round {round}, signals {sent}\nlog:\n{}", dump(&recs));
        check_invariants(&recs);
        assert_eq!(tracer.tracee_count(), 0, "{ctx}");
        if last == SIGSTOP {
            wait_all_tasks(pid, "T");
            for t in tasks(pid) {
                assert_eq!(task_tracer_pid(pid, t), Some(0), "tid {t}; {ctx}");
            }
        } else {
            // It keeps making new, untraced threads and gets CPU.
            let seen = tasks(pid);
            poll(&format!("new untraced threads; {ctx}"), WAIT, || {
                let now = tasks(pid);
                let fresh: Vec<Tid> = now.into_iter().filter(|t| !seen.contains(t)).collect();
                (!fresh.is_empty()
                    && fresh
                        .iter()
                        .all(|&t| task_tracer_pid(pid, t).is_none_or(|p| p == 0)))
                .then_some(())
            });
            assert_gets_cpu(pid);
            for t in tasks(pid) {
                let s = task_state(pid, t);
                assert!(
                    !matches!(s, Some('t' | 'T')),
                    "thread {t} is {s:?} after detach; {ctx}"
                );
            }
        }
    }
}
