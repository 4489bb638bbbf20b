//! The engine with a sink that does nothing: what the engine alone costs
//! per syscall, for comparison with bench/floor (the bare ptrace floor)
//! and with ptrail. Options are ignored up to the command, so that
//! `bench/compare.sh target/release/examples/noop` works.
use ptrail_engine::{Event, Sink, Spawn, Tracee, TracerBuilder};
use std::sync::atomic::AtomicBool;

struct Noop;
impl Sink for Noop {
    fn event(&mut self, _: &mut Tracee<'_>, _: &Event) {}
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    while args.first().is_some_and(|a| a.starts_with('-')) {
        if matches!(args[0].as_str(), "-o" | "-e") {
            args.remove(0);
        }
        args.remove(0);
    }
    let mut tracer = TracerBuilder::new().follow_forks(true).build();
    tracer.spawn(&Spawn::new(&args[0], &args)).expect("spawn");
    tracer.run(&mut Noop, &AtomicBool::new(false)).expect("run");
}
