//! Replays recorded syscalls of real programs (registers, return value and
//! the tracee memory the decoders read) and checks that each renders to the
//! exact line strace 6.1 printed. See tests/fixtures/strace_traces.txt.

use ptrail_decode::{
    decode_enter, decode_exit, syscall_name, text, Abi, Call, DecodeOptions, TraceeMemory,
};

#[derive(Default)]
struct Replay(Vec<(u64, Vec<u8>)>);

impl TraceeMemory for Replay {
    fn read(&self, addr: u64, buf: &mut [u8]) -> Option<usize> {
        // the latest recording of an address wins
        for (a, b) in self.0.iter().rev() {
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

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap())
        .collect()
}

#[test]
fn recorded_traces_match_strace() {
    let data = include_str!("fixtures/strace_traces.txt");
    let opts = DecodeOptions::default();
    let mut lines = data.lines().filter(|l| !l.starts_with('#'));
    let mut n = 0;
    let mut bad = Vec::new();
    while let Some(c) = lines.next() {
        let want = lines
            .next()
            .expect("W line")
            .strip_prefix("W ")
            .expect("W prefix");
        let mut f = c.split(' ').skip(1);
        let mut num = || f.next().unwrap().parse::<u64>().unwrap();
        let nr = num();
        let mut args = [0u64; 6];
        for a in &mut args {
            *a = num();
        }
        let ret: i64 = c.split(' ').nth(8).unwrap().parse().unwrap();
        let (mut entry, mut exit) = (Replay::default(), Replay::default());
        for r in c.split(' ').skip(9) {
            let (a, h) = r[1..].split_once(':').unwrap();
            let rec = (u64::from_str_radix(a, 16).unwrap(), unhex(h));
            if r.starts_with('E') {
                entry.0.push(rec);
            } else {
                exit.0.push(rec);
            }
        }
        let abi = if c.starts_with('I') {
            Abi::I386
        } else {
            Abi::X86_64
        };
        let call = Call { abi, nr, args };
        let e = decode_enter(&opts, &call, &entry);
        let x = decode_exit(&opts, &call, &e, ret, &exit);
        let got = text::format_call(&syscall_name(abi, nr), &e, &x, &opts);
        if got != want {
            bad.push(format!("want {want}\n got {got}"));
        }
        n += 1;
    }
    assert!(n > 1000, "only {n} cases");
    assert!(
        bad.is_empty(),
        "{} of {n} differ:\n{}",
        bad.len(),
        bad.join("\n")
    );
}
