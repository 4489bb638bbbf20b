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

fn line_i386(name: &str, args: &[u64], ret: i64, mem: &Mem) -> String {
    use ptrail_decode::{decode_enter, decode_exit, syscall_number, text, Abi, Call};
    let opts = ptrail_decode::DecodeOptions::default();
    let nr = syscall_number(Abi::I386, name).expect("i386 syscall");
    let mut a = [0u64; 6];
    a[..args.len()].copy_from_slice(args);
    let call = Call {
        abi: Abi::I386,
        nr,
        args: a,
    };
    let e = decode_enter(&opts, &call, mem);
    let x = decode_exit(&opts, &call, &e, ret, mem);
    text::format_call(name, &e, &x, &opts)
}

#[test]
fn i386_thread_area() {
    // As strace 6.1 printed it for a static i386 glibc program (the kernel
    // wrote entry_number 12 back; the fake memory holds the exit state).
    let mut m = Mem::new();
    let desc = B::default()
        .u32(12)
        .u32(0x85d6380)
        .u32(0xfffff)
        .u32(0b101_0001)
        .0;
    let p = m.put(&desc);
    assert_eq!(
        line_i386("set_thread_area", &[p], 0, &m),
        "set_thread_area({entry_number=12, base_addr=0x85d6380, limit=0x0fffff, seg_32bit=1, \
         contents=0, read_exec_only=0, limit_in_pages=1, seg_not_present=0, useable=1}) \
         = 0 (entry_number=12)"
    );
    assert_eq!(
        line_i386("set_thread_area", &[p], -22, &m),
        "set_thread_area({entry_number=12, base_addr=0x85d6380, limit=0x0fffff, seg_32bit=1, \
         contents=0, read_exec_only=0, limit_in_pages=1, seg_not_present=0, useable=1}) \
         = -1 EINVAL (Invalid argument)"
    );
    assert_eq!(
        line_i386("get_thread_area", &[p], -14, &m),
        format!("get_thread_area({p:#x}) = -1 EFAULT (Bad address)")
    );
}
