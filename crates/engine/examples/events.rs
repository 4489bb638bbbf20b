//! Prints every engine event of a command: `cargo run --example events -- /bin/ls /`.
use ptrail_engine::{Event, Sink, Spawn, Tracee, TracerBuilder};
use std::sync::atomic::AtomicBool;

struct Print;
impl Sink for Print {
    fn event(&mut self, t: &mut Tracee<'_>, e: &Event) {
        println!("[{} {}] {:?}", t.pid(), t.tid(), e);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // SECCOMP=1,3 traces only those x86_64 syscall numbers.
    let filter = std::env::var("SECCOMP")
        .ok()
        .map(|v| ptrail_engine::SeccompFilter {
            x86_64: v.split(',').filter_map(|n| n.parse().ok()).collect(),
            i386: vec![],
        });
    let mut tracer = TracerBuilder::new()
        .follow_forks(true)
        .seccomp_filter(filter)
        .build();
    if let Some(pid) = args.first().and_then(|a| a.strip_prefix("-p")) {
        tracer.attach(pid.parse().expect("pid")).expect("attach");
    } else {
        tracer.spawn(&Spawn::new(&args[0], &args)).expect("spawn");
    }
    tracer
        .run(&mut Print, &AtomicBool::new(false))
        .expect("run");
}
