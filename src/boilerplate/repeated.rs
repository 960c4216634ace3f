//! Lines repeated across a corpus: the building block of corpus mode
//! (`zhclean jsonl --repeated-lines N`).
//!
//! Site templates repeat their menus, footers and disclaimers on every page.
//! A first pass over the corpus counts, for each distinct line, the number of
//! **documents** that contain it ([`RepeatedLines::add_document`]); a second
//! pass strips each document with a [`Stripper`](super::Stripper) that knows
//! the counts ([`Stripper::with_repeated_lines`](super::Stripper::with_repeated_lines))
//! and removes every line found in at least `min_docs` documents.
//!
//! Memory is bounded: lines are kept as 64-bit hashes in a map of at most
//! `capacity` entries. Once it is full, lines not yet seen are no longer
//! counted (they can only be under-counted, never over-counted, so a line is
//! never removed for a count it did not reach; with 64-bit hashes an
//! accidental collision is negligible). About 24 bytes per entry: a capacity
//! of 4 million lines takes roughly 100 MB.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, Hasher};

/// Counts lines over a corpus, then answers whether a line is repeated.
#[derive(Debug, Clone)]
pub struct RepeatedLines {
    counts: HashMap<u64, u32, FixedState>,
    capacity: usize,
    min_docs: u32,
    min_chars: usize,
    seen_in_doc: HashSet<u64, FixedState>,
    dropped: u64,
}

/// A deterministic hasher state (the same line hashes the same in every
/// process, so counts can be compared across runs).
#[derive(Debug, Clone, Copy, Default)]
struct FixedState;

impl BuildHasher for FixedState {
    type Hasher = Fnv;
    fn build_hasher(&self) -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

/// FNV-1a, used only to spread already-random 64-bit keys... and to hash
/// lines: it is simple, deterministic and fast on short inputs.
/// The final avalanche of splitmix64: mixes every bit of `z` into the low
/// bits, so that table indices taken from them are well spread.
pub(super) fn avalanche(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[derive(Debug, Clone, Copy)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        avalanche(self.0)
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

/// The key of a line: its hash, with surrounding whitespace ignored.
fn key(line: &str) -> u64 {
    let mut h = FixedState.build_hasher();
    h.write(line.trim().as_bytes());
    h.finish()
}

impl RepeatedLines {
    /// Default number of distinct lines tracked.
    pub const DEFAULT_CAPACITY: usize = 1 << 22;

    /// A counter that treats lines found in at least `min_docs` documents as
    /// repeated, tracking at most `capacity` distinct lines. Lines shorter
    /// than 2 visible characters are never counted (a lone `|` or digit is
    /// left to the page classifier).
    pub fn new(min_docs: u32, capacity: usize) -> RepeatedLines {
        RepeatedLines {
            counts: HashMap::with_hasher(FixedState),
            capacity,
            min_docs: min_docs.max(2),
            min_chars: 2,
            seen_in_doc: HashSet::with_hasher(FixedState),
            dropped: 0,
        }
    }

    /// Counts the distinct lines of one document (first pass).
    pub fn add_document(&mut self, text: &str) {
        self.seen_in_doc.clear();
        for line in text.lines() {
            let t = line.trim();
            if t.chars()
                .filter(|c| !c.is_whitespace())
                .take(self.min_chars)
                .count()
                < self.min_chars
            {
                continue;
            }
            let k = key(t);
            if !self.seen_in_doc.insert(k) {
                continue;
            }
            if let Some(c) = self.counts.get_mut(&k) {
                *c = c.saturating_add(1);
            } else if self.counts.len() < self.capacity {
                self.counts.insert(k, 1);
            } else {
                self.dropped += 1;
            }
        }
    }

    /// Whether `line` was found in at least `min_docs` documents.
    pub fn is_repeated(&self, line: &str) -> bool {
        self.count(line) >= self.min_docs
    }

    /// In how many documents `line` was found (0 if not tracked).
    pub fn count(&self, line: &str) -> u32 {
        self.counts.get(&key(line)).copied().unwrap_or(0)
    }

    /// The document threshold.
    pub fn min_docs(&self) -> u32 {
        self.min_docs
    }

    /// Distinct lines tracked.
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    /// Whether no line is tracked.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// Line occurrences not counted because the table was full.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_documents_not_occurrences() {
        let mut r = RepeatedLines::new(2, 100);
        r.add_document("首页\n首页\n正文一。");
        assert_eq!(r.count("首页"), 1);
        r.add_document("首页\n正文二。");
        assert_eq!(r.count("首页"), 2);
        assert!(r.is_repeated(" 首页 "));
        assert!(!r.is_repeated("正文一。"));
    }

    #[test]
    fn capacity_bounds_memory_and_never_overcounts() {
        let mut r = RepeatedLines::new(2, 3);
        for d in 0..10 {
            r.add_document(&format!("行{d}\n公共行"));
        }
        assert!(r.len() <= 3);
        assert!(r.dropped() > 0);
        for d in 3..10 {
            assert!(!r.is_repeated(&format!("行{d}")));
        }
    }
}
