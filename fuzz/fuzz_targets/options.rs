//! Fuzzes ptrail's command-line parser in-process: the real
//! `crates/cli/src/options.rs` and its `-e` expression parser
//! (`filter.rs`), compiled into this target with `#[path]` (the cli crate
//! has no library). The input is split at NUL bytes into arguments, so any
//! byte sequence, UTF-8 or not, is one command line.
//!
//! Checked: no panic; every error is one non-empty line when the input has
//! no newline; `-s` and `-a` values that parse are in strace's range.
#![no_main]
#![allow(dead_code)]

use libfuzzer_sys::fuzz_target;
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

#[path = "../../crates/cli/src/filter.rs"]
mod filter;
#[path = "../../crates/cli/src/options.rs"]
mod options;
#[path = "../../crates/cli/src/qualify.rs"]
mod qualify;

fuzz_target!(|data: &[u8]| {
    let args: Vec<OsString> = data
        .split(|&b| b == 0)
        .map(|a| OsString::from_vec(a.to_vec()))
        .collect();
    match options::parse(args) {
        Ok(options::Request::Run(o)) => {
            assert!(o.string_limit.is_none_or(|n| n < 1 << 30));
            assert!(o.column.is_none_or(|n| n <= i32::MAX as usize));
            assert!(o.pids.iter().all(|&p| p > 0));
        }
        Ok(_) => {}
        Err(msg) => {
            assert!(!msg.is_empty());
            if !data.contains(&b'\n') && !data.contains(&b'\r') {
                assert!(!msg.contains('\n'), "multi-line error: {msg:?}");
            }
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let mut pids = Vec::new();
        if options::parse_pids(text, &mut pids).is_ok() {
            assert!(pids.iter().all(|&p| p > 0));
        }
        let mut f = filter::Filter::default();
        let _ = f.parse_expr(text);
    }
});
