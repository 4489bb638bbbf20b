//! The tracer's per-thread table: a vector with an index by thread id and
//! a hint at the thread looked up last, checked before hashing. A
//! syscall's entry and exit are mostly consecutive stops of one thread, so
//! the common lookup costs one compare instead of a hash probe.

use crate::event::Tid;
use rustc_hash::FxHashMap as HashMap;

/// Up to this many threads, a lookup that misses the hint scans the
/// vector instead of hashing (the index is kept either way).
const SCAN_MAX: usize = 8;

/// Per-thread values; the hint is checked before use, so never wrong.
#[derive(Debug)]
pub(crate) struct TidTable<T> {
    /// Where each thread's value is in `items`.
    index: HashMap<Tid, usize>,
    items: Vec<(Tid, T)>,
    /// The position of the last thread looked up (maybe stale).
    last: usize,
}

impl<T> Default for TidTable<T> {
    fn default() -> Self {
        TidTable {
            index: HashMap::default(),
            items: Vec::new(),
            last: 0,
        }
    }
}

impl<T> TidTable<T> {
    /// Whether the hint points at `tid`.
    #[inline(always)]
    fn hinted(&self, tid: Tid) -> bool {
        matches!(self.items.get(self.last), Some((t, _)) if *t == tid)
    }

    #[inline(always)]
    fn find(&self, tid: Tid) -> Option<usize> {
        match self.items.get(self.last) {
            Some((t, _)) if *t == tid => Some(self.last),
            _ => self.find_slow(tid),
        }
    }

    /// [`Self::find`] when the hint is stale: a scan of a few threads,
    /// the index for more.
    #[inline(never)]
    fn find_slow(&self, tid: Tid) -> Option<usize> {
        // A few threads: comparing each is cheaper than hashing.
        if self.items.len() <= SCAN_MAX {
            return self.items.iter().position(|(t, _)| *t == tid);
        }
        self.index.get(&tid).copied()
    }

    /// How many threads have a value.
    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether no thread has a value.
    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Whether `tid` has a value.
    pub(crate) fn contains_key(&self, tid: &Tid) -> bool {
        self.find(*tid).is_some()
    }

    /// `tid`'s value.
    pub(crate) fn get(&self, tid: &Tid) -> Option<&T> {
        let i = self.find(*tid)?;
        Some(&self.items[i].1)
    }

    /// `tid`'s value, to change (and the hint now points at it).
    #[inline(always)]
    pub(crate) fn get_mut(&mut self, tid: &Tid) -> Option<&mut T> {
        if self.hinted(*tid) {
            // (the same checked index: one bounds check)
            return self.items.get_mut(self.last).map(|(_, v)| v);
        }
        let i = self.find_slow(*tid)?;
        self.last = i;
        Some(&mut self.items[i].1)
    }

    /// Sets `tid`'s value (replacing any).
    pub(crate) fn insert(&mut self, tid: Tid, value: T) {
        match self.find(tid) {
            Some(i) => self.items[i].1 = value,
            None => {
                self.add(tid, value);
            }
        }
    }

    fn add(&mut self, tid: Tid, value: T) -> usize {
        let i = self.items.len();
        self.items.push((tid, value));
        self.index.insert(tid, i);
        i
    }

    /// `tid`'s value, made by `f` if it has none.
    pub(crate) fn get_or_insert_with(&mut self, tid: Tid, f: impl FnOnce() -> T) -> &mut T {
        let i = match self.find(tid) {
            Some(i) => i,
            None => self.add(tid, f()),
        };
        &mut self.items[i].1
    }

    /// Takes `tid`'s value out.
    pub(crate) fn remove(&mut self, tid: &Tid) -> Option<T> {
        let i = self.index.remove(tid)?;
        let (_, value) = self.items.swap_remove(i);
        if let Some((moved, _)) = self.items.get(i) {
            self.index.insert(*moved, i);
        }
        Some(value)
    }

    /// Forgets every thread.
    pub(crate) fn clear(&mut self) {
        self.index.clear();
        self.items.clear();
    }

    /// The threads and their values.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&Tid, &T)> {
        self.items.iter().map(|(t, v)| (t, v))
    }

    /// The threads.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &Tid> {
        self.items.iter().map(|(t, _)| t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_a_hash_map() {
        // random inserts, lookups and removals against std's map
        let mut t: TidTable<u32> = TidTable::default();
        let mut m = std::collections::HashMap::new();
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for step in 0..20_000u32 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // (few keys: mostly the scan; more: the index; both: crossings)
            let keys = if step < 10_000 { 40 } else { 10 };
            let tid = (x % keys) as Tid;
            match (x >> 8) % 7 {
                0 => assert_eq!(t.remove(&tid), m.remove(&tid)),
                1 => {
                    t.insert(tid, step);
                    m.insert(tid, step);
                }
                2 => {
                    *t.get_or_insert_with(tid, || step) += 1;
                    *m.entry(tid).or_insert(step) += 1;
                }
                3 => assert_eq!(t.get_mut(&tid).copied(), m.get(&tid).copied()),
                4 => assert_eq!(t.contains_key(&tid), m.contains_key(&tid)),
                5 if step % 997 == 0 => {
                    t.clear();
                    m.clear();
                }
                _ => assert_eq!(t.get(&tid), m.get(&tid)),
            }
            assert_eq!(t.len(), m.len());
            assert_eq!(t.is_empty(), m.is_empty());
            let mut a: Vec<(Tid, u32)> = t.iter().map(|(&k, &v)| (k, v)).collect();
            let mut b: Vec<(Tid, u32)> = m.iter().map(|(&k, &v)| (k, v)).collect();
            a.sort_unstable();
            b.sort_unstable();
            assert_eq!(a, b);
            assert_eq!(t.keys().count(), m.len());
        }
    }
}
