//! Property test: every syscall's entry and exit decoders, fed random
//! registers and random, partial or absent memory, never panic and produce
//! bounded output.

use proptest::prelude::*;
use ptrail_decode::{
    decode_enter, decode_exit, syscall_name, text, Abi, Call, DecodeOptions, TraceeMemory,
};

/// Memory whose content is a hash of the address; `holes` makes some pages
/// unreadable and `zero_rate` controls how often a byte is NUL.
struct RandMem {
    seed: u64,
    mode: u8,
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
        match self.mode {
            0 => return None,
            1 if mix(self.seed ^ (addr >> 12)).is_multiple_of(3) => return None,
            _ => {}
        }
        // short reads at page boundaries, like process_vm_readv
        let to_page = (4096 - addr % 4096) as usize;
        let n = buf.len().min(to_page);
        for (i, b) in buf[..n].iter_mut().enumerate() {
            let h = mix(self.seed ^ addr.wrapping_add(i as u64));
            *b = if self.mode == 3 || h.is_multiple_of(16) {
                0
            } else {
                (h >> 8) as u8
            };
        }
        Some(n)
    }
}

fn interesting() -> impl Strategy<Value = u64> {
    prop_oneof![
        any::<u64>(),
        0u64..16,
        Just(0u64),
        Just(u64::MAX),
        Just(-100i64 as u64),
        (0u64..0x1000).prop_map(|x| 0x7ffd_0000_0000 + x * 8),
        any::<u32>().prop_map(u64::from),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]
    #[test]
    fn decoders_never_panic(
        abi in prop_oneof![Just(Abi::X86_64), Just(Abi::I386), Just(Abi::X32)],
        nr in 0u64..560,
        args in proptest::array::uniform6(interesting()),
        ret in prop_oneof![any::<i64>(), -4095i64..4096, Just(0i64)],
        seed in any::<u64>(),
        mode in 0u8..4,
        limit in prop_oneof![Just(32usize), 0usize..5, Just(4096usize)],
        hex in 0u8..3,
        verbose in any::<bool>(),
    ) {
        let nr = if abi == Abi::X32 { nr | (1 << 30) } else { nr };
        let opts = DecodeOptions { string_limit: limit, hex_strings: hex, verbose };
        let mem = RandMem { seed, mode };
        let call = Call { abi, nr, args };
        let e = decode_enter(&opts, &call, &mem);
        let x = decode_exit(&opts, &call, &e, ret, &mem);
        let line = text::format_call(&syscall_name(abi, nr), &e, &x, &opts);
        prop_assert!(line.len() < 4 << 20, "{} bytes", line.len());
        prop_assert!(e.args.len() <= 8 && x.args.len() <= 8);
    }
}

/// Runs `f` on every number of every table (x32's compat calls end at
/// 547) with fixed register patterns, four kinds of memory and two option
/// sets.
fn each_fixed_case(mut f: impl FnMut(&Call, &RandMem, &DecodeOptions)) {
    for abi in [Abi::X86_64, Abi::I386, Abi::X32] {
        for nr in 0..560u64 {
            let nr = if abi == Abi::X32 { nr | (1 << 30) } else { nr };
            for mode in 0..4 {
                for args in [
                    [0u64; 6],
                    [u64::MAX; 6],
                    [1, 2, 3, 4, 5, 6],
                    [0x7ffd_0000_1000; 6],
                    [3, 0x7ffd_0000_2000, 0o100 | 2, 0o644, 1, 0],
                ] {
                    let mem = RandMem {
                        seed: nr ^ args[0],
                        mode,
                    };
                    for opts in [
                        DecodeOptions::default(),
                        DecodeOptions {
                            string_limit: 4096,
                            hex_strings: 1 + (nr % 2) as u8,
                            verbose: true,
                        },
                    ] {
                        f(&Call { abi, nr, args }, &mem, &opts);
                    }
                }
            }
        }
    }
}

#[test]
fn every_syscall_with_fixed_patterns() {
    each_fixed_case(|call, mem, opts| {
        let e = decode_enter(opts, call, mem);
        for ret in [0, 1, -2, 4096, -512] {
            let x = decode_exit(opts, call, &e, ret, mem);
            let line = text::format_call(&syscall_name(call.abi, call.nr), &e, &x, opts);
            assert!(line.len() < 4 << 20);
        }
    });
}

/// A call whose entry says its exit adds nothing (decode_enter_into returns
/// false: no decoder, or one that declared itself entry-only) must really
/// print nothing at exit but the plain return value, whatever the
/// registers, memory and return value: the exit is decoded anyway here
/// and compared.
#[test]
fn entry_only_calls_print_nothing_at_exit() {
    use ptrail_decode::{decode_enter_into, Entered, RetValue};
    let mut skipped = 0;
    each_fixed_case(|call, mem, opts| {
        let mut e = Entered::default();
        if decode_enter_into(opts, call, mem, &mut e) {
            return;
        }
        skipped += 1;
        for ret in [0, 1, 3, -1, -2, -14, -512, 4096, 0x7f00_0000_0000] {
            let x = decode_exit(opts, call, &e, ret, mem);
            assert!(
                x.args.is_empty() && x.ret == RetValue::from_raw(ret),
                "{} ({:?} {}) prints {x:?} at exit for {ret}",
                syscall_name(call.abi, call.nr),
                call.abi,
                call.nr
            );
        }
    });
    // the check covers the calls that skip their exit
    assert!(skipped > 1000, "{skipped}");
}
