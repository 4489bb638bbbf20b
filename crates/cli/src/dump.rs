//! `-e read=FD` / `-e write=FD`: hex dumps of the data a syscall read or
//! wrote, in strace's layout:
//!
//! ```text
//!  | 00000  68 65 6c 6c 6f 20 77 6f  72 6c 64 2c 20 74 68 69  hello world, thi |
//! ```
//!
//! Vectored calls print ` * N bytes in buffer I` before each buffer.

use crate::filter::Filter;
use ptrail_decode::{Abi, Line, TraceeMemory};
use std::fmt::Write;

/// The most bytes dumped of one buffer.
const MAX_DUMP: usize = 1 << 24;

/// Appends the dump lines of `data`.
pub fn hexdump(out: &mut Line, data: &[u8]) {
    for (line, chunk) in data.chunks(16).enumerate() {
        let _ = write!(out, " | {:05x}  ", line * 16);
        for i in 0..16 {
            match chunk.get(i) {
                Some(b) => {
                    let _ = write!(out, "{b:02x} ");
                }
                None => out.push_str("   "),
            }
            if i == 7 {
                out.push(' ');
            }
        }
        out.push(' ');
        for i in 0..16 {
            out.push_byte(match chunk.get(i) {
                Some(&b) if (0x20..0x7f).contains(&b) => b,
                Some(_) => b'.',
                None => b' ',
            });
        }
        out.push_str(" |\n");
    }
}

fn read(mem: &dyn TraceeMemory, addr: u64, len: u64) -> Vec<u8> {
    let mut buf = vec![0u8; (len as usize).min(MAX_DUMP)];
    let n = mem.read(addr, &mut buf).unwrap_or(0);
    buf.truncate(n);
    buf
}

/// Dumps iovecs at `iov` (`count` of them), at most `limit` bytes in all.
fn dump_iov(out: &mut Line, mem: &dyn TraceeMemory, abi: Abi, iov: u64, count: u64, limit: u64) {
    let (size, wide) = if abi == Abi::X86_64 {
        (16, true)
    } else {
        (8, false)
    };
    let mut left = limit;
    for i in 0..count.min(1024) {
        if left == 0 {
            break;
        }
        let mut raw = [0u8; 16];
        let got = mem
            .read(iov + i * size, &mut raw[..size as usize])
            .unwrap_or(0);
        if got < size as usize {
            break;
        }
        let (base, len) = if wide {
            (
                u64::from_ne_bytes(raw[0..8].try_into().unwrap_or_default()),
                u64::from_ne_bytes(raw[8..16].try_into().unwrap_or_default()),
            )
        } else {
            (
                u32::from_ne_bytes(raw[0..4].try_into().unwrap_or_default()) as u64,
                u32::from_ne_bytes(raw[4..8].try_into().unwrap_or_default()) as u64,
            )
        };
        let n = len.min(left);
        left -= n;
        let _ = writeln!(out, " * {n} bytes in buffer {i}");
        hexdump(out, &read(mem, base, n));
    }
}

/// The dump lines for a syscall that returned `ret` (nothing for errors
/// or calls and descriptors not selected).
pub fn dump(
    filter: &Filter,
    abi: Abi,
    name: &str,
    args: &[u64; 6],
    ret: i64,
    mem: &dyn TraceeMemory,
) -> Option<Line> {
    if ret < 0 {
        return None;
    }
    let fd = if abi == Abi::X86_64 {
        args[0] as i64
    } else {
        args[0] as u32 as i32 as i64
    };
    let mut out = Line::new();
    match name {
        "read" | "pread64" | "recvfrom" | "recv" if filter.read.contains(fd) => {
            hexdump(&mut out, &read(mem, args[1], ret as u64));
        }
        "readv" | "preadv" | "preadv2" if filter.read.contains(fd) => {
            dump_iov(&mut out, mem, abi, args[1], args[2], ret as u64);
        }
        "write" | "pwrite64" | "sendto" | "send" if filter.write.contains(fd) => {
            hexdump(&mut out, &read(mem, args[1], args[2]));
        }
        "writev" | "pwritev" | "pwritev2" if filter.write.contains(fd) => {
            dump_iov(&mut out, mem, abi, args[1], args[2], u64::MAX);
        }
        _ => return None,
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_matches_strace() {
        let mut s = Line::new();
        hexdump(
            &mut s,
            b"hello world, this is a longer line of text\n\x01\x02",
        );
        assert_eq!(
            s,
            " | 00000  68 65 6c 6c 6f 20 77 6f  72 6c 64 2c 20 74 68 69  hello world, thi |\n \
             | 00010  73 20 69 73 20 61 20 6c  6f 6e 67 65 72 20 6c 69  s is a longer li |\n \
             | 00020  6e 65 20 6f 66 20 74 65  78 74 0a 01 02           ne of text...    |\n"
        );
    }
}
