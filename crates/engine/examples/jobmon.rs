//! jobmon: watch job control of a process.
//!
//! `cargo run -p ptrail-engine --example jobmon -- PID` attaches to PID;
//! `... -- /path/to/prog [ARGS...]` starts it traced. Prints stopped /
//! continued / exit events of every thread (follows forks and threads);
//! Ctrl-C detaches, leaving each process as stopped or running as it was.

use ptrail_engine::{Event, Sink, Spawn, Tracee, TracerBuilder};
use std::sync::atomic::{AtomicBool, Ordering};

static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn on_sigint(_: libc::c_int) {
    STOP.store(true, Ordering::SeqCst);
}

struct Print;

impl Sink for Print {
    fn event(&mut self, t: &mut Tracee<'_>, e: &Event) {
        let (pid, tid) = (t.pid(), t.tid());
        match e {
            Event::Attached { already_stopped } => {
                println!("[{pid}/{tid}] attached (already stopped: {already_stopped})")
            }
            Event::GroupStop { sig } => println!("[{pid}/{tid}] stopped by signal {sig}"),
            Event::Continued => println!("[{pid}/{tid}] continued"),
            Event::Exited { code } => println!("[{pid}/{tid}] exited with {code}"),
            Event::Killed { sig, .. } => println!("[{pid}/{tid}] killed by signal {sig}"),
            Event::Detached(how) => println!("[{pid}/{tid}] detached: {how:?}"),
            _ => {}
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let first = args
        .first()
        .ok_or("usage: jobmon PID | jobmon PROGRAM [ARGS...]")?;
    // SAFETY: the handler only stores to an atomic; no SA_RESTART, so the
    // engine's waitpid returns EINTR and sees STOP.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = on_sigint as *const () as usize;
        libc::sigaction(libc::SIGINT, &sa, std::ptr::null_mut());
    }
    let mut tracer = TracerBuilder::new()
        .follow_forks(true)
        .trace_syscalls(false)
        .build();
    match first.parse::<i32>() {
        Ok(pid) => tracer.attach(pid)?,
        Err(_) => drop(tracer.spawn(&Spawn::new(first, &args))?),
    }
    tracer.run(&mut Print, &STOP)?;
    Ok(())
}
