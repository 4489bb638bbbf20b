//! Recycled buffers (string bytes, texts, structure fields), so that
//! decoding in steady state does not allocate: [`Ctx`](crate::ctx::Ctx)
//! reads and the formatters take a buffer from a pool, and
//! [`recycle`](crate::recycle) gives the buffers of printed values back.
//! The pools are per thread and bounded (a few dozen buffers of at most
//! 64 KiB each), so they never hold more than a few megabytes.

use crate::Value;
use std::cell::{Cell, RefCell};
use std::thread::LocalKey;

/// Buffers kept at most, per pool.
const KEEP: usize = 32;
/// Largest byte buffer kept (a `-s` huge read is freed instead).
const KEEP_BYTES: usize = (1 << 16) + 1;

type Pool<T> = RefCell<Vec<Vec<T>>>;

thread_local! {
    static BYTES: Pool<u8> = const { RefCell::new(Vec::new()) };
    static FIELDS: Pool<(&'static str, Value)> = const { RefCell::new(Vec::new()) };
    static TEXT: Pool<u8> = const { RefCell::new(Vec::new()) };
    /// The byte buffer given back last, in front of [`BYTES`]: in steady
    /// state a call's string goes back and is taken again by the next
    /// read, here without the pool's bookkeeping (an empty vector when
    /// there is none).
    static LAST_BYTES: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
}

/// Longest text buffer kept.
const KEEP_TEXT: usize = 4096;

/// Longest list of structure fields kept.
const KEEP_FIELDS: usize = 32;

#[inline]
fn take_from<T: 'static>(pool: &'static LocalKey<Pool<T>>) -> Vec<T> {
    pool.with(|p| p.borrow_mut().pop()).unwrap_or_default()
}

#[inline]
fn give_to<T: 'static>(pool: &'static LocalKey<Pool<T>>, mut buf: Vec<T>, max: usize) {
    if buf.capacity() == 0 || buf.capacity() > max {
        return;
    }
    buf.clear();
    pool.with(|p| {
        let mut p = p.borrow_mut();
        if p.len() < KEEP {
            p.push(buf);
        }
    });
}

/// An empty byte buffer, recycled if one is available.
#[inline]
pub(crate) fn take() -> Vec<u8> {
    let last = LAST_BYTES.take();
    if last.capacity() != 0 {
        return last;
    }
    take_from(&BYTES)
}

/// Gives a byte buffer back. (Out of line: inlined into the loop that
/// recycles values, it makes every value be copied out first.)
#[inline(never)]
pub(crate) fn give(mut buf: Vec<u8>) {
    if buf.capacity() == 0 || buf.capacity() > KEEP_BYTES {
        return;
    }
    buf.clear();
    let older = LAST_BYTES.replace(buf);
    if older.capacity() != 0 {
        give_to(&BYTES, older, KEEP_BYTES);
    }
}

/// An empty string for a value's text (`Value::Raw`, comments), recycled
/// if one is available. (A pool apart from the byte buffers, so that
/// these small buffers do not end up where memory is read into.)
#[inline]
pub(crate) fn take_text() -> String {
    // (an empty buffer is valid UTF-8: nothing to check)
    String::from_utf8(take_from(&TEXT)).unwrap_or_default()
}

/// Gives a string buffer back.
#[inline]
pub(crate) fn give_text(s: String) {
    give_to(&TEXT, s.into_bytes(), KEEP_TEXT);
}

/// An empty list for the fields of a structure.
pub(crate) fn take_fields() -> Vec<(&'static str, Value)> {
    take_from(&FIELDS)
}

/// Gives a list of structure fields back (its values already recycled).
pub(crate) fn give_fields(fields: Vec<(&'static str, Value)>) {
    give_to(&FIELDS, fields, KEEP_FIELDS);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_and_reused() {
        for _ in 0..100 {
            give(Vec::with_capacity(10));
        }
        assert_eq!(BYTES.with(|p| p.borrow().len()), KEEP);
        give(Vec::with_capacity(KEEP_BYTES + 1));
        assert_eq!(BYTES.with(|p| p.borrow().len()), KEEP);
        // the last one given back is taken first, then the pool's
        let mut last = Vec::with_capacity(20);
        last.push(1);
        give(last);
        let t = take();
        assert!(t.is_empty() && t.capacity() == 20);
        let b = take();
        assert!(b.is_empty() && b.capacity() >= 10);
    }
}
