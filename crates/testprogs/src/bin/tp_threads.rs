//! `tp_threads N join|exit`: starts N threads.
//! - `join`: each thread makes one syscall (getppid) and returns; main joins
//!   them all and exits 0.
//! - `exit`: each thread blocks in `pause`; once all N are running, main calls
//!   `exit(3)`, so exit_group takes every thread down at once.
//! - `exit-now`: starts the N threads (each blocks in `pause`) and calls
//!   `exit(3)` at once, while they are still starting.
//! - `churn`: forever: start N short-lived threads (one getppid each), join
//!   them, repeat; prints `ready` after the first round.

use std::sync::atomic::{AtomicUsize, Ordering};

static RUNNING: AtomicUsize = AtomicUsize::new(0);

fn main() {
    ptrail_testprogs::die_with_parent();
    let args = ptrail_testprogs::args();
    let n: usize = args.first().map_or(100, |s| s.parse().expect("N"));
    let exit_mode = args.get(1).is_some_and(|m| m == "exit" || m == "exit-now");
    let exit_now = args.get(1).is_some_and(|m| m == "exit-now");
    if args.get(1).is_some_and(|m| m == "churn") {
        for round in 0u64.. {
            let hs: Vec<_> = (0..n)
                .map(|_| {
                    std::thread::spawn(|| {
                        // SAFETY: getppid has no preconditions.
                        unsafe { libc::getppid() };
                    })
                })
                .collect();
            for h in hs {
                h.join().expect("join");
            }
            if round == 0 {
                ptrail_testprogs::ready();
            }
        }
    }
    let mut handles = Vec::new();
    for _ in 0..n {
        handles.push(std::thread::spawn(move || {
            // SAFETY: getppid and pause have no preconditions.
            unsafe { libc::getppid() };
            RUNNING.fetch_add(1, Ordering::SeqCst);
            if exit_mode {
                loop {
                    unsafe { libc::pause() };
                }
            }
        }));
    }
    if exit_now {
        std::process::exit(3);
    }
    if exit_mode {
        while RUNNING.load(Ordering::SeqCst) < n {
            std::thread::yield_now();
        }
        std::process::exit(3);
    }
    for h in handles {
        h.join().expect("join");
    }
}
