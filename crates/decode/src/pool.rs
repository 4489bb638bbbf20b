//! Recycled byte buffers (and lists of flag names), so that decoding strings in steady state does
//! not allocate: [`Ctx`](crate::ctx::Ctx) reads take a buffer from the
//! pool, and [`recycle`](crate::recycle) gives the buffers of printed
//! values back. The pool is per thread and bounded (a few dozen buffers of
//! at most 64 KiB each), so it never holds more than a few megabytes.

use std::cell::RefCell;

/// Buffers kept at most.
const KEEP: usize = 32;
/// Largest capacity kept (a `-s` huge read is freed instead).
const KEEP_CAPACITY: usize = (1 << 16) + 1;

thread_local! {
    static POOL: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
    static NAMES: RefCell<Vec<Vec<&'static str>>> = const { RefCell::new(Vec::new()) };
}

/// An empty list for the names of a flag set, recycled if one is available.
pub(crate) fn take_names() -> Vec<&'static str> {
    NAMES.with(|p| p.borrow_mut().pop()).unwrap_or_default()
}

/// Gives a list of flag names back to the pool.
pub(crate) fn give_names(mut names: Vec<&'static str>) {
    if names.capacity() == 0 || names.capacity() > 64 {
        return;
    }
    names.clear();
    NAMES.with(|p| {
        let mut p = p.borrow_mut();
        if p.len() < KEEP {
            p.push(names);
        }
    });
}

/// An empty buffer, recycled if one is available.
pub(crate) fn take() -> Vec<u8> {
    POOL.with(|p| p.borrow_mut().pop()).unwrap_or_default()
}

/// Gives a buffer back to the pool.
pub(crate) fn give(mut buf: Vec<u8>) {
    if buf.capacity() == 0 || buf.capacity() > KEEP_CAPACITY {
        return;
    }
    buf.clear();
    POOL.with(|p| {
        let mut p = p.borrow_mut();
        if p.len() < KEEP {
            p.push(buf);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_and_reused() {
        for _ in 0..100 {
            give(Vec::with_capacity(10));
        }
        assert_eq!(POOL.with(|p| p.borrow().len()), KEEP);
        give(Vec::with_capacity(KEEP_CAPACITY + 1));
        assert_eq!(POOL.with(|p| p.borrow().len()), KEEP);
        let b = take();
        assert!(b.is_empty() && b.capacity() >= 10);
    }
}
