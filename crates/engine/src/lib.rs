//! ptrail-engine: a ptrace tracing core built on PTRACE_SEIZE that gets job
//! control exactly right.
//!
//! A [`Tracer`] starts a command ([`Tracer::spawn`]) or attaches to running
//! processes ([`Tracer::attach`]), then [`Tracer::run`] turns every
//! ptrace-stop into an [`Event`] delivered to a [`Sink`] while the thread
//! is still held, so the sink can read its memory or change the signal it
//! is about to receive.
//!
//! Job control (see the project's docs/job-control.md):
//! - every group-stop of every thread is reported ([`Event::GroupStop`]) and
//!   the thread is held with PTRACE_LISTEN, so it never runs while stopped;
//! - the end of a reported stop is always reported ([`Event::Continued`]);
//!   stop/continue pairs that happen while a thread is held may collapse;
//! - detaching leaves each process stopped or running exactly as it would
//!   be without a tracer, with no signal lost.
//!
//! ```no_run
//! use ptrail_engine::{Event, Sink, Spawn, Tracee, TracerBuilder};
//! use std::sync::atomic::AtomicBool;
//!
//! struct Print;
//! impl Sink for Print {
//!     fn event(&mut self, t: &mut Tracee<'_>, e: &Event) {
//!         println!("{} {:?}", t.tid(), e);
//!     }
//! }
//! let mut tracer = TracerBuilder::new().follow_forks(true).build();
//! tracer.spawn(&Spawn::new("/bin/true", ["true"])).unwrap();
//! tracer.run(&mut Print, &AtomicBool::new(false)).unwrap();
//! ```
#![deny(missing_docs)]

mod event;
mod seccomp;
pub mod signals;
mod sys;
mod tidmap;
mod tracer;

pub use event::*;
pub use nix::errno::Errno;
pub use seccomp::SeccompFilter;
pub use tidmap::TidMap;
pub use tracer::{Error, Sink, Spawn, Tracee, Tracer, TracerBuilder};
