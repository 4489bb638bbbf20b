//! `tp_exit CODE` exits with CODE; `tp_exit kill SIG` kills itself with
//! signal SIG (default disposition restored first).

fn main() {
    ptrail_testprogs::die_with_parent();
    let args = ptrail_testprogs::args();
    match args.first().map(String::as_str) {
        Some("kill") => {
            let sig: i32 = args.get(1).expect("SIG").parse().expect("SIG");
            // SAFETY: restoring the default action and raising a signal.
            unsafe {
                libc::signal(sig, libc::SIG_DFL);
                libc::raise(sig);
            }
            std::process::exit(98);
        }
        Some(code) => std::process::exit(code.parse().expect("CODE")),
        None => std::process::exit(0),
    }
}
