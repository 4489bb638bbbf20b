//! Bad input, in-process and fast: the real option parser
//! (`src/options.rs` with its `-e` parser `src/filter.rs`, compiled into
//! this test with `#[path]`: the cli crate has no library) fed random
//! command lines, and every syscall decoder fed random registers and random
//! tracee memory. A short run for CI; the long runs are the cargo-fuzz
//! targets in fuzz/ (see fuzz/README.md). Set STRESS_CASES to run longer and
//! STRESS_SEED to repeat a run.
#![allow(dead_code)]

mod common;

#[path = "../src/filter.rs"]
mod filter;
#[path = "../src/options.rs"]
mod options;
#[path = "../src/qualify.rs"]
mod qualify;

use ptrail_decode::{
    decode_enter, decode_exit, syscall_name, text, Abi, Call, DecodeOptions, TraceeMemory,
};
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

use common::Rng;

/// The shared generator, its seed printed so that STRESS_SEED repeats the run.
fn new_rng() -> Rng {
    let rng = Rng::from_env();
    println!("STRESS_SEED={}", rng.0);
    rng
}

fn cases(default: usize) -> usize {
    std::env::var("STRESS_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

const WORDS: &[&str] = &[
    "-f",
    "-ff",
    "-p",
    "-o",
    "-e",
    "-s",
    "-a",
    "-I",
    "-u",
    "-E",
    "-q",
    "-qq",
    "-v",
    "-x",
    "-xx",
    "-D",
    "-A",
    "-F",
    "-h",
    "-V",
    "-c",
    "-t",
    "--",
    "-",
    "--attach",
    "--output",
    "--expr",
    "--string-limit=",
    "--columns",
    "--user",
    "--env",
    "--follow-forks",
    "--seccomp-bpf",
    "trace=",
    "trace=read,write",
    "trace=!open",
    "trace=%file",
    "trace=/^read",
    "signal=all",
    "abbrev=none",
    "1",
    "0",
    "-1",
    "2147483647",
    "2147483648",
    "1073741824",
    "18446744073709551616",
    "1,2",
    "1 2",
    ",",
    "nobody",
    "A=B",
    "=",
    "ls",
    "/bin/true",
    "\u{feff}",
    "é",
    "x=",
    "%",
];

fn random_arg(rng: &mut Rng) -> OsString {
    match rng.index(6) {
        0..=2 => OsString::from(WORDS[rng.index(WORDS.len())]),
        3 => {
            // glued word: -s64, -fo, -etrace=...
            let a = WORDS[rng.index(WORDS.len())];
            let b = WORDS[rng.index(WORDS.len())];
            OsString::from(format!("{a}{}", b.trim_start_matches('-')))
        }
        _ => {
            let n = rng.index(12);
            let bytes: Vec<u8> = (0..n)
                .map(|_| match rng.index(4) {
                    0 => b'-',
                    1 => b",=!%/0123456789"[rng.index(15)],
                    _ => rng.next() as u8,
                })
                .collect();
            OsString::from_vec(bytes)
        }
    }
}

#[test]
fn option_parser_random_command_lines() {
    let mut rng = new_rng();
    let n = cases(30_000);
    let (mut ok, mut errors) = (0, 0);
    for _ in 0..n {
        let argc = rng.index(8);
        let args: Vec<OsString> = (0..argc).map(|_| random_arg(&mut rng)).collect();
        let shown = format!("{args:?}");
        let res = std::panic::catch_unwind(|| options::parse(args.clone()));
        match res {
            Err(_) => panic!("parser panicked on {shown}"),
            Ok(Ok(options::Request::Run(o))) => {
                ok += 1;
                assert!(o.string_limit.is_none_or(|s| s < 1 << 30), "{shown}");
                assert!(o.column.is_none_or(|c| c <= i32::MAX as usize), "{shown}");
                assert!(o.pids.iter().all(|&p| p > 0), "{shown}");
            }
            Ok(Ok(_)) => ok += 1,
            Ok(Err(msg)) => {
                errors += 1;
                assert!(!msg.is_empty(), "{shown}");
                let raw: Vec<u8> = args
                    .iter()
                    .flat_map(|a| a.as_encoded_bytes().to_vec())
                    .collect();
                if !raw.contains(&b'\n') {
                    assert!(!msg.contains('\n'), "multi-line error for {shown}: {msg}");
                }
            }
        }
    }
    println!("option parser: {n} random command lines, {ok} accepted, {errors} refused, 0 panics");
}

/// Memory whose content is a hash of the address, with holes and short
/// reads at page ends (like process_vm_readv).
struct RandMem {
    seed: u64,
    mode: u64,
}

fn mix(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51afd7ed558ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ceb9fe1a85ec53);
    x ^ (x >> 33)
}

impl TraceeMemory for RandMem {
    fn read(&self, addr: u64, buf: &mut [u8]) -> Option<usize> {
        if self.mode == 0 || (self.mode == 1 && mix(self.seed ^ (addr >> 12)).is_multiple_of(3)) {
            return None;
        }
        let n = buf.len().min((4096 - addr % 4096) as usize);
        for (i, b) in buf[..n].iter_mut().enumerate() {
            let h = mix(self.seed ^ addr.wrapping_add(i as u64));
            *b = if self.mode == 3 && h.is_multiple_of(7) {
                0
            } else {
                (h >> 8) as u8
            };
        }
        Some(n)
    }
}

#[test]
fn decoders_random_registers_and_memory() {
    let mut rng = new_rng();
    let n = cases(5_000);
    let mut longest = 0;
    for _ in 0..n {
        let abi = [Abi::X86_64, Abi::I386, Abi::X32][rng.index(3)];
        let mut nr = rng.index(480) as u64;
        if abi == Abi::X32 {
            nr |= 1 << 30;
        }
        let mut args = [0u64; 6];
        for a in &mut args {
            *a = match rng.index(5) {
                0 => rng.next(),
                1 => rng.index(16) as u64,
                2 => 1 << 31,
                _ => 0x7ffd_0000_0000 + rng.index(0x4000) as u64,
            };
        }
        let ret = match rng.index(3) {
            0 => -(rng.index(4096) as i64),
            1 => rng.index(1 << 20) as i64,
            _ => rng.next() as i64,
        };
        let opts = DecodeOptions {
            // Huge -s values are covered by the hostile-tracee scenario of
            // stress.rs on the real binary; here they made a debug build
            // format gigabyte strings from the always-readable fake memory.
            string_limit: [0, 4, 32, 4096, 1 << 16][rng.index(5)],
            hex_strings: rng.index(3) as u8,
            verbose: rng.index(2) == 0,
        };
        let mem = RandMem {
            seed: rng.next(),
            mode: rng.index(4) as u64,
        };
        let call = Call { abi, nr, args };
        let e = decode_enter(&opts, &call, &mem);
        let x = decode_exit(&opts, &call, &e, ret, &mem);
        let line = text::format_call(&syscall_name(abi, nr), &e, &x, &opts);
        longest = longest.max(line.len());
        // What the options allow: argv and envp of up to 4096 (-v) or -s
        // strings of up to -s bytes, each byte escaped in at most 4.
        let elems = if opts.verbose {
            4096
        } else {
            opts.string_limit
        };
        let bound = (64usize << 20).max(2 * elems * (4 * opts.string_limit + 16) + (1 << 20));
        assert!(line.len() < bound, "{call:?}: {} bytes", line.len());
    }
    println!("decoders: {n} random calls (3 ABIs, -s up to 65536, holes and short reads), longest line {longest} bytes, 0 panics");
}
