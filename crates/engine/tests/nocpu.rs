//! A group-stopped tracee never runs (job-control.md sequence 9: restarting
//! a group-stop with CONT/SYSCALL instead of LISTEN lets it run): a busy
//! tracee (1 and 4 threads, with and without syscall tracing) gets no CPU
//! time between GroupStop and Continued, per thread and for the process,
//! measured in /proc/PID[/task/TID]/stat ticks and schedstat nanoseconds.

mod common;
use common::*;
use ptrail_engine::Tid;
use std::time::{Duration, Instant};

#[derive(Debug, PartialEq, Eq, Clone)]
struct Sample {
    process: Option<u64>,
    threads: Vec<(Tid, Option<u64>, Option<u64>)>,
}

fn sample(pid: Tid) -> Sample {
    Sample {
        process: cpu(pid),
        threads: tasks(pid)
            .into_iter()
            .map(|t| (t, task_cpu(pid, t), task_runtime_ns(pid, t)))
            .collect(),
    }
}

fn no_cpu_while_stopped(threads: usize, trace_syscalls: bool) {
    let mut h = Harness::new();
    let pid = h.start_threads("tp_spin", threads);
    let mut tracer = seize(pid, trace_syscalls);
    h.run(&mut tracer, no_hook, |c| {
        c.wait_all_attached(pid, threads, "R");
        assert_gets_cpu(pid);
        c.kill(pid, SIGSTOP);
        c.wait_count("GroupStop per thread", threads, is_stop);
        wait_all_tasks(pid, "t");
        // Baseline: wait (bounded) for two equal samples 20 ms apart, which
        // lets the last switch-out settle; a thread that runs never settles.
        let mut prev = sample(pid);
        let base = poll(
            "CPU time to stop growing after GroupStop",
            Duration::from_secs(2),
            || {
                std::thread::sleep(Duration::from_millis(20));
                let s = sample(pid);
                let same = s == prev;
                prev = s.clone();
                same.then_some(s)
            },
        );
        // Watch for 500 ms: still `t`, no Continued, same CPU time.
        let end = Instant::now() + Duration::from_millis(500);
        while Instant::now() < end {
            std::thread::yield_now();
            for t in tasks(pid) {
                assert_eq!(task_state(pid, t), Some('t'), "thread {t} left its stop");
            }
        }
        let after = sample(pid);
        assert_eq!(count(&c.log.snapshot(), is_cont), 0);
        assert_eq!(
            base, after,
            "a group-stopped tracee got CPU time between GroupStop and Continued"
        );
        c.kill(pid, SIGCONT);
        c.wait_count("Continued per thread", threads, is_cont);
        wait_all_tasks(pid, "R");
        assert_threads_get_cpu(pid);
        c.kill(pid, SIGKILL);
    });
    let recs = h.checked_recs();
    assert_threads_jc(
        &recs,
        attached(&recs),
        |j| !matches!(j, J::Sig(_)),
        vec![J::Att(false), J::Stop(SIGSTOP), J::Cont, J::Kill(SIGKILL)],
    );
}

#[test]
fn seq09_busy_gets_no_cpu_while_stopped() {
    no_cpu_while_stopped(1, false);
}

#[test]
fn seq09_busy_gets_no_cpu_while_stopped_syscall_tracing() {
    no_cpu_while_stopped(1, true);
}

#[test]
fn seq09_four_busy_threads_get_no_cpu_while_stopped() {
    no_cpu_while_stopped(4, false);
}

#[test]
fn seq09_four_busy_threads_get_no_cpu_while_stopped_syscall_tracing() {
    no_cpu_while_stopped(4, true);
}
