//! A map of per-thread state keyed by thread id that finds a thread
//! without hashing in the common cases: a vector with an index by thread
//! id, a hint at the thread looked up last (checked first: a syscall's
//! entry and exit are mostly consecutive stops of one thread) and a small
//! direct-mapped table of hints by the thread id's low bits (checked next:
//! when several threads' stops interleave, each keeps its own slot, as
//! thread ids are mostly consecutive). So the common lookup costs one or
//! two compares instead of a hash probe. The tracer keeps its threads in
//! one; sinks and printers can keep theirs in one too (ptrail's sink and
//! text printer do).

use crate::event::Tid;
use rustc_hash::FxHashMap as HashMap;

/// Up to this many threads, a lookup that misses its hint scans the
/// vector instead of hashing (the index is kept either way).
const SCAN_MAX: usize = 8;

/// Hint slots (a power of two).
const HINTS: usize = 32;

/// Per-thread values in a vector, with an index by thread id and hints
/// at where threads were last found (checked before use, so never wrong).
#[derive(Debug)]
pub struct TidMap<T> {
    /// Where each thread's value is in `items`.
    index: HashMap<Tid, usize>,
    items: Vec<(Tid, T)>,
    /// The position of the last thread looked up (maybe stale): the
    /// first check.
    last: usize,
    /// Per slot (`tid % HINTS`), the position of the last thread of that
    /// slot looked up (maybe stale): the second.
    hints: [u32; HINTS],
}

impl<T> Default for TidMap<T> {
    fn default() -> Self {
        TidMap {
            index: HashMap::default(),
            items: Vec::new(),
            last: 0,
            hints: [0; HINTS],
        }
    }
}

/// `tid`'s hint slot.
#[inline(always)]
fn slot(tid: Tid) -> usize {
    tid as u32 as usize % HINTS
}

impl<T> TidMap<T> {
    /// Whether the last lookup was of `tid`.
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

    /// [`Self::find`] when the last lookup was of another thread: the
    /// thread's slot, else a scan of a few threads or the index.
    #[inline(never)]
    fn find_slow(&self, tid: Tid) -> Option<usize> {
        let i = self.hints[slot(tid)] as usize;
        if matches!(self.items.get(i), Some((t, _)) if *t == tid) {
            return Some(i);
        }
        // A few threads: comparing each is cheaper than hashing.
        if self.items.len() <= SCAN_MAX {
            return self.items.iter().position(|(t, _)| *t == tid);
        }
        self.index.get(&tid).copied()
    }

    /// Points the hints at position `i` for `tid`.
    #[inline(always)]
    fn hint(&mut self, tid: Tid, i: usize) {
        self.last = i;
        self.hints[slot(tid)] = i as u32;
    }

    /// How many threads have a value.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether no thread has a value.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Whether `tid` has a value.
    pub fn contains_key(&self, tid: &Tid) -> bool {
        self.find(*tid).is_some()
    }

    /// `tid`'s value.
    pub fn get(&self, tid: &Tid) -> Option<&T> {
        let i = self.find(*tid)?;
        Some(&self.items[i].1)
    }

    /// `tid`'s value, to change (and the hints now point at it).
    #[inline(always)]
    pub fn get_mut(&mut self, tid: &Tid) -> Option<&mut T> {
        if self.hinted(*tid) {
            // (the same checked index: one bounds check)
            return self.items.get_mut(self.last).map(|(_, v)| v);
        }
        let i = self.find_slow(*tid)?;
        self.hint(*tid, i);
        Some(&mut self.items[i].1)
    }

    /// Sets `tid`'s value (replacing any).
    pub fn insert(&mut self, tid: Tid, value: T) {
        match self.find(tid) {
            Some(i) => self.items[i].1 = value,
            None => {
                self.add(tid, value);
            }
        }
    }

    #[cold]
    fn add(&mut self, tid: Tid, value: T) -> usize {
        let i = self.items.len();
        self.items.push((tid, value));
        self.index.insert(tid, i);
        self.hint(tid, i);
        i
    }

    /// `tid`'s value, made by `f` if it has none.
    pub fn get_or_insert_with(&mut self, tid: Tid, f: impl FnOnce() -> T) -> &mut T {
        let i = match self.find(tid) {
            Some(i) => i,
            None => self.add(tid, f()),
        };
        &mut self.items[i].1
    }

    /// Takes `tid`'s value out.
    pub fn remove(&mut self, tid: &Tid) -> Option<T> {
        let i = self.index.remove(tid)?;
        let (_, value) = self.items.swap_remove(i);
        if let Some((moved, _)) = self.items.get(i) {
            self.index.insert(*moved, i);
        }
        Some(value)
    }

    /// Forgets every thread.
    pub fn clear(&mut self) {
        self.index.clear();
        self.items.clear();
    }

    /// The threads and their values.
    pub fn iter(&self) -> impl Iterator<Item = (&Tid, &T)> {
        self.items.iter().map(|(t, v)| (t, v))
    }

    /// The threads.
    pub fn keys(&self) -> impl Iterator<Item = &Tid> {
        self.items.iter().map(|(t, _)| t)
    }
}

impl<T: Default> TidMap<T> {
    /// `tid`'s value, created (default) if new (and the hints now point
    /// at it).
    #[inline(always)]
    pub fn entry(&mut self, tid: Tid) -> &mut T {
        if self.hinted(tid) {
            // (the same checked index: one bounds check)
            let last = self.last;
            return &mut self.items[last].1;
        }
        let i = match self.find_slow(tid) {
            Some(i) => i,
            None => self.add(tid, T::default()),
        };
        self.hint(tid, i);
        &mut self.items[i].1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_threads_apart_through_removals() {
        let mut t: TidMap<usize> = TidMap::default();
        for tid in [10, 11, 12] {
            *t.entry(tid) = tid as usize;
        }
        assert_eq!(t.len(), 3);
        // the hints point at 12; removing 10 moves 12 into its place
        assert_eq!(t.remove(&10), Some(10));
        assert!(t.remove(&10).is_none());
        assert!(t.get(&10).is_none());
        assert_eq!(t.get(&12), Some(&12));
        assert_eq!(t.get_mut(&11).copied(), Some(11));
        t.insert(12, 7);
        assert_eq!(t.len(), 2);
        assert_eq!(t.get(&12), Some(&7));
        assert_eq!(*t.entry(13), 0);
        assert_eq!(t.remove(&13), Some(0));
        assert_eq!(t.remove(&11), Some(11));
        assert_eq!(t.remove(&12), Some(7));
        assert!(t.is_empty());
        assert!(t.get(&11).is_none() && t.get_mut(&12).is_none());
    }

    #[test]
    fn agrees_with_a_hash_map() {
        // random inserts, lookups and removals against std's map
        let mut t: TidMap<u32> = TidMap::default();
        let mut m = std::collections::HashMap::new();
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for step in 0..20_000u32 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // (few keys: mostly the scan; more: the index; both: crossings)
            let keys = if step < 10_000 { 40 } else { 10 };
            let tid = (x % keys) as Tid;
            match (x >> 8) % 8 {
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
                5 => {
                    *t.entry(tid) += 1;
                    *m.entry(tid).or_default() += 1;
                }
                6 if step % 997 == 0 => {
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
