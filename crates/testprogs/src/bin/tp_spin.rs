//! `tp_spin [THREADS] [block-sigcont] [leader-exits]`: burn CPU in THREADS
//! threads (default 1, the main thread included), never making a syscall
//! once set up. With `block-sigcont`, SIGCONT is blocked in every thread: a
//! SIGCONT still ends a stop, but is never delivered. With `leader-exits`,
//! the main thread leaves with SYS_exit after `ready` (a zombie leader; the
//! other THREADS-1 threads spin on). Prints `ready` once all threads exist.

fn main() {
    ptrail_testprogs::die_with_parent();
    let args = ptrail_testprogs::args();
    let threads: usize = args.first().map_or(1, |s| s.parse().expect("THREADS"));
    if args.iter().any(|a| a == "block-sigcont") {
        ptrail_testprogs::block_signal(libc::SIGCONT);
    }
    for _ in 1..threads {
        std::thread::spawn(|| ptrail_testprogs::spin());
    }
    ptrail_testprogs::ready();
    if args.iter().any(|a| a == "leader-exits") {
        // SAFETY: ends only the calling (leader) thread.
        unsafe { libc::syscall(libc::SYS_exit, 0) };
    }
    ptrail_testprogs::spin();
}
