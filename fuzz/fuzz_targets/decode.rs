//! Fuzzes every syscall decoder of ptrail-decode with fuzzer-chosen
//! registers, return value, options and tracee memory (a window of
//! fuzzer bytes at a fixed address, unreadable elsewhere, with short reads
//! at page boundaries as process_vm_readv gives), plus the siginfo
//! decoder. Checked: no panic, bounded output.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ptrail_decode::{
    decode_enter, decode_exit, decode_siginfo, syscall_name, text, Abi, Call, DecodeOptions,
    SigInfoFields, TraceeMemory,
};

const BASE: u64 = 0x7ffd_0000_0000;

struct Mem<'a> {
    bytes: &'a [u8],
    /// The window is mapped at BASE + shift, so pointers land anywhere in it.
    shift: u64,
}

impl TraceeMemory for Mem<'_> {
    fn read(&self, addr: u64, buf: &mut [u8]) -> Option<usize> {
        let start = BASE + self.shift;
        let off = addr.checked_sub(start)? as usize;
        if off >= self.bytes.len() {
            return None;
        }
        let to_page = (4096 - addr % 4096) as usize;
        let n = buf.len().min(to_page).min(self.bytes.len() - off);
        buf[..n].copy_from_slice(&self.bytes[off..off + n]);
        Some(n)
    }
}

struct Input<'a>(&'a [u8]);

impl Input<'_> {
    fn u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        let n = self.0.len().min(8);
        b[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        u64::from_le_bytes(b)
    }
    fn byte(&mut self) -> u8 {
        self.u64() as u8
    }
}

fuzz_target!(|data: &[u8]| {
    let mut inp = Input(data);
    let head = inp.u64();
    let abi = match head % 3 {
        0 => Abi::X86_64,
        1 => Abi::I386,
        _ => Abi::X32,
    };
    let mut nr = (head >> 8) % 512;
    if abi == Abi::X32 {
        nr |= 1 << 30;
    }
    let mut args = [0u64; 6];
    for a in &mut args {
        let raw = inp.u64();
        // Most arguments point into (or just around) the memory window.
        *a = match raw % 4 {
            0 => raw,
            1 => raw % 64,
            _ => BASE + (raw >> 8) % 0x3000,
        };
    }
    let ret = match inp.byte() % 3 {
        0 => -((inp.u64() % 4096) as i64),
        1 => (inp.u64() % 0x10000) as i64,
        _ => inp.u64() as i64,
    };
    let limit = match inp.byte() % 4 {
        0 => 32,
        1 => (inp.u64() % 8) as usize,
        2 => (inp.u64() % 70_000) as usize,
        _ => i32::MAX as usize,
    };
    let flags = inp.byte();
    let opts = DecodeOptions {
        string_limit: limit,
        hex_strings: flags % 3,
        verbose: flags & 4 != 0,
    };
    let shift = inp.u64() % 0x2000;
    let mem = Mem {
        bytes: inp.0,
        shift,
    };
    let call = Call { abi, nr, args };
    let e = decode_enter(&opts, &call, &mem);
    let x = decode_exit(&opts, &call, &e, ret, &mem);
    let line = text::format_call(&syscall_name(abi, nr), &e, &x, &opts);
    assert!(line.len() < 64 << 20, "{} bytes", line.len());

    let f = SigInfoFields {
        signo: (args[0] % 80) as i32,
        code: args[1] as i32,
        errno: args[2] as i32,
        pid: args[3] as i32,
        uid: args[4] as u32,
        status: args[5] as i32,
        addr: ret as u64,
        ..SigInfoFields::default()
    };
    let _ = decode_siginfo(&f);
});
