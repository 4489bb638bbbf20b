//! Exact-output tests of the decoder fixes found by the differential
//! corpus (crates/cli/tests/corpus.rs), against strace 6.1's lines.

mod common;
use common::*;

#[test]
fn poll_revents_scan_every_entry_and_stop_after_32() {
    // 64 pollfds: fds 0..64, revents POLLNVAL (0x20) except fd 0 (none).
    let mut m = Mem::new();
    let mut b = Vec::new();
    for fd in 0..64u32 {
        b.extend_from_slice(&fd.to_le_bytes());
        b.extend_from_slice(&5u16.to_le_bytes());
        b.extend_from_slice(&(if fd == 0 { 0u16 } else { 0x20 }).to_le_bytes());
    }
    let p = m.put(&b);
    let l = line("poll", &[p, 64, 0], 63, &m);
    let ret = &l[l.find(") = 63 (").unwrap()..];
    let mut want = String::from(") = 63 ([");
    for fd in 1..=32 {
        want.push_str(&format!("{{fd={fd}, revents=POLLNVAL}}, "));
    }
    want.push_str("...])");
    assert_eq!(ret, want);
    // Only entries with nonzero revents count: a lone one past the first 32.
    let mut b = vec![0u8; 64 * 8];
    b[40 * 8..40 * 8 + 4].copy_from_slice(&7u32.to_le_bytes());
    b[40 * 8 + 6] = 1;
    let p = m.put(&b);
    assert!(line("poll", &[p, 64, 0], 1, &m).ends_with(" = 1 ([{fd=7, revents=POLLIN}])"));
}

#[test]
fn ficlone_takes_an_fd() {
    let m = Mem::new();
    assert_eq!(
        line("ioctl", &[4, 0x40049409, 3], -95, &m),
        "ioctl(4, BTRFS_IOC_CLONE or FICLONE, 3) = -1 EOPNOTSUPP (Operation not supported)"
    );
}
