//! `tp_sleep [THREADS]`: THREADS threads (default 1, the main thread included)
//! each blocked in `nanosleep` for an hour at a time. Prints `ready` once all
//! threads exist.

fn sleep_forever() -> ! {
    loop {
        let ts = libc::timespec {
            tv_sec: 3600,
            tv_nsec: 0,
        };
        // SAFETY: valid timespec; the remainder pointer may be null.
        unsafe { libc::nanosleep(&ts, std::ptr::null_mut()) };
    }
}

fn main() {
    ptrail_testprogs::die_with_parent();
    let args = ptrail_testprogs::args();
    let threads: usize = args.first().map_or(1, |s| s.parse().expect("THREADS"));
    for _ in 1..threads {
        std::thread::spawn(|| sleep_forever());
    }
    ptrail_testprogs::ready();
    sleep_forever();
}
