//! `tp_exec_thread PROGRAM [leader-exits] [idle=N]`: starts N idle threads
//! (default 1, blocked in `pause`) and then a thread that `execv`s PROGRAM
//! (no arguments) at once, so the
//! exec happens in a non-leader thread while a sibling is alive. The main
//! thread blocks in `pause`; with `leader-exits` it instead leaves with
//! SYS_exit (a zombie leader) and the exec waits until the leader is a zombie.

use std::ffi::CString;

fn leader_is_zombie() -> bool {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    stat.rsplit_once(')')
        .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z'))
}

fn main() {
    ptrail_testprogs::die_with_parent();
    let args = ptrail_testprogs::args();
    let prog = CString::new(args.first().expect("PROGRAM").as_str()).expect("path");
    let leader_exits = args.get(1).is_some_and(|a| a == "leader-exits");
    let idle: usize = args
        .iter()
        .find_map(|a| a.strip_prefix("idle="))
        .map_or(1, |n| n.parse().expect("idle=N"));
    for _ in 0..idle {
        std::thread::spawn(|| loop {
            // SAFETY: pause has no preconditions.
            unsafe { libc::pause() };
        });
    }
    std::thread::spawn(move || {
        if leader_exits {
            for _ in 0..20_000 {
                if leader_is_zombie() {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
        }
        let argv = [prog.as_ptr(), std::ptr::null()];
        // SAFETY: NUL-terminated path and argv array.
        unsafe { libc::execv(prog.as_ptr(), argv.as_ptr()) };
        std::process::exit(127);
    });
    if leader_exits {
        // SAFETY: ends only the calling (leader) thread.
        unsafe { libc::syscall(libc::SYS_exit, 0) };
    }
    loop {
        // SAFETY: pause has no preconditions.
        unsafe { libc::pause() };
    }
}
