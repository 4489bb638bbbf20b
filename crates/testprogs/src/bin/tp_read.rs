//! `tp_read`: prints `ready`, then blocks in `read(0)`. For every chunk it
//! reads it prints `got N`; a failed read prints `err ERRNO` and exits 1
//! (a restart that was not transparent); end of input exits 0.

use std::io::Write;

fn main() {
    ptrail_testprogs::die_with_parent();
    ptrail_testprogs::ready();
    let mut buf = [0u8; 256];
    loop {
        // SAFETY: reading into a local buffer of the given length.
        let n = unsafe { libc::read(0, buf.as_mut_ptr().cast(), buf.len()) };
        let mut out = std::io::stdout().lock();
        match n {
            0 => std::process::exit(0),
            n if n < 0 => {
                let e = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
                let _ = writeln!(out, "err {e}");
                let _ = out.flush();
                std::process::exit(1);
            }
            n => {
                let _ = writeln!(out, "got {n}");
                let _ = out.flush();
            }
        }
    }
}
