//! Test helpers: a fake tracee memory made of byte regions, and a way to
//! decode a call and render it as one strace line.
#![allow(dead_code)]

use ptrail_decode::{
    decode_enter, decode_exit, syscall_number, text, Abi, Call, DecodeOptions, TraceeMemory,
};

/// Memory regions; reads stop at the end of a region.
#[derive(Default)]
pub struct Mem {
    pub regions: Vec<(u64, Vec<u8>)>,
    next: u64,
}

impl Mem {
    pub fn new() -> Self {
        Mem {
            regions: Vec::new(),
            next: 0x10000,
        }
    }
    /// Places bytes at a fresh address and returns it.
    pub fn put(&mut self, bytes: &[u8]) -> u64 {
        let a = self.next;
        self.regions.push((a, bytes.to_vec()));
        self.next += (bytes.len() as u64 + 0x1000) & !0xfff;
        self.next += 0x1000;
        a
    }
    /// A NUL-terminated string.
    pub fn cstr(&mut self, s: &str) -> u64 {
        let mut b = s.as_bytes().to_vec();
        b.push(0);
        self.put(&b)
    }
    /// Places bytes at a chosen address.
    pub fn at(&mut self, addr: u64, bytes: &[u8]) -> u64 {
        self.regions.push((addr, bytes.to_vec()));
        addr
    }
    /// An array of pointers followed by NULL.
    pub fn ptrs(&mut self, p: &[u64]) -> u64 {
        let mut b = Vec::new();
        for x in p {
            b.extend_from_slice(&x.to_le_bytes());
        }
        b.extend_from_slice(&0u64.to_le_bytes());
        self.put(&b)
    }
}

impl TraceeMemory for Mem {
    fn read(&self, addr: u64, buf: &mut [u8]) -> Option<usize> {
        for (a, b) in &self.regions {
            if addr >= *a && addr < a + b.len() as u64 {
                let off = (addr - a) as usize;
                let n = buf.len().min(b.len() - off);
                buf[..n].copy_from_slice(&b[off..off + n]);
                return Some(n);
            }
        }
        None
    }
}

/// Decodes `name(args)` returning `ret` and renders the whole line.
pub fn line_opts(opts: &DecodeOptions, name: &str, args: &[u64], ret: i64, mem: &Mem) -> String {
    let nr = syscall_number(Abi::X86_64, name).unwrap_or_else(|| panic!("no syscall {name}"));
    let mut a = [0u64; 6];
    a[..args.len()].copy_from_slice(args);
    let call = Call {
        abi: Abi::X86_64,
        nr,
        args: a,
    };
    let e = decode_enter(opts, &call, mem);
    let x = decode_exit(opts, &call, &e, ret, mem);
    text::format_call(
        ptrail_decode::syscall_name(Abi::X86_64, nr).as_ref(),
        &e,
        &x,
        opts,
    )
}

pub fn line(name: &str, args: &[u64], ret: i64, mem: &Mem) -> String {
    line_opts(&DecodeOptions::default(), name, args, ret, mem)
}

/// Little-endian struct builder.
#[derive(Default)]
pub struct B(pub Vec<u8>);
impl B {
    pub fn u8(mut self, v: u8) -> Self {
        self.0.push(v);
        self
    }
    pub fn u16(mut self, v: u16) -> Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    pub fn u32(mut self, v: u32) -> Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    pub fn u64(mut self, v: u64) -> Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    pub fn bytes(mut self, v: &[u8]) -> Self {
        self.0.extend_from_slice(v);
        self
    }
    pub fn pad(mut self, n: usize) -> Self {
        self.0.extend(std::iter::repeat_n(0, n));
        self
    }
}

pub const AT_FDCWD: u64 = -100i64 as u64;
pub fn neg(e: i64) -> i64 {
    -e
}
