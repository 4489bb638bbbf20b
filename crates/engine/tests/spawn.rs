//! Tracer::spawn: no startup noise (Attached, then SyscallEnter(execve)),
//! exit codes and fatal signals reported as the thread's last event, and a
//! failed exec reported as an error.

mod common;
use common::*;
use ptrail_engine::{Spawn, Tid, TracerBuilder};

fn run_spawned(argv: &[&str]) -> (Tid, Vec<Rec>) {
    let h = Harness::new();
    let mut tracer = TracerBuilder::new().trace_syscalls(true).build();
    let pid = h.spawn(&mut tracer, argv);
    h.run(&mut tracer, no_hook, |_| ());
    let recs = h.checked_recs();
    (pid, recs)
}

#[test]
fn spawn_starts_with_attached_then_execve() {
    let (pid, recs) = run_spawned(&["tp_exit", "7"]);
    let v = all(&recs, pid);
    assert_eq!(
        v[..2],
        [J::Att(false), J::Enter(libc::SYS_execve as u64)],
        "log:\n{}",
        dump(&recs)
    );
    assert_eq!(v.last(), Some(&J::Exit(7)), "log:\n{}", dump(&recs));
    assert!(
        !v.iter()
            .any(|j| matches!(j, J::Sig(_) | J::Stop(_) | J::Cont)),
        "startup noise\nlog:\n{}",
        dump(&recs)
    );
}

#[test]
fn spawn_killed_by_signal() {
    let (pid, recs) = run_spawned(&["tp_exit", "kill", "15"]);
    let v = jc(&recs, pid);
    assert_eq!(
        v[v.len() - 2..],
        [J::Sig(libc::SIGTERM), J::Kill(libc::SIGTERM)],
        "log:\n{}",
        dump(&recs)
    );
}

/// The API promises `Err` from `spawn` when the exec fails. If the engine
/// returns a pid instead, run it to the end and show what was reported.
#[test]
fn spawn_missing_program_fails() {
    let h = Harness::new();
    let mut tracer = TracerBuilder::new().build();
    let r = tracer.spawn(&Spawn::new("/nonexistent/ptrail-test", ["x"]));
    if let Ok(pid) = r {
        h.register(pid);
        h.run(&mut tracer, no_hook, |_| ());
        panic!(
            "spawn of a missing program returned Ok({pid}); events:\n{}",
            dump(&h.recs())
        );
    }
    assert_eq!(tracer.tracee_count(), 0);
}
