//! The serialized form of a [`super::trie::Trie`] (version 5), and its
//! writer.
//!
//! A trie is read in place: loading one checks the header and the lengths
//! of its parts and copies nothing, so that the first conversion after
//! process start touches only the pages it reads (a copy of the 2.4 MB
//! `s2t` table, and building its two-character table, cost about 4 ms of
//! page faults and stores). Every read is checked where it happens, so that
//! a damaged table gives wrong matches, never a panic; a test checks every
//! embedded table in full (`Trie::check`).
//!
//! Little-endian throughout:
//!
//! * a header of [`HEADER_WORDS`] `u32` words: `magic "ZHCT", version,
//!   ranks, nodes, children, value_bytes, pair_slots, filter_bytes,
//!   gate_bytes`;
//! * `nodes × [first_child, child_count, value_offset, meta]` (`u32` each;
//!   node 0 is the root, nodes are numbered breadth-first; `meta` bit 31
//!   ([`HAS_VALUE`]) = a key ends here, bits 24..31 = its rank, bits 0..24 =
//!   the value's byte length);
//! * `children` code points (`u32`), each node's children contiguous and
//!   sorted, then the `children` node numbers in the same order;
//! * `pair_slots` slots of the two-character table ([`PAIR_SLOT_BYTES`]
//!   each): an open-addressing hash table from [`pair_key`] to
//!   `key << 22 | node` (the prefix's node if it has children, else 0;
//!   [`PAIR_LOOK_UP`] if the number does not fit; [`PAIR_EMPTY`] for a
//!   free slot), then the prefix node's `value_offset` and `meta` — key and
//!   node in one slot, four slots to a cache line, instead of a binary
//!   search among a common character's many children;
//! * `filter_bytes` bytes of a Bloom-style filter of the two-character
//!   prefixes (bit [`filter_bit`] of each set), which answers most "no"s
//!   with one probe, where a search of the table would go on to a free
//!   slot;
//! * `gate_bytes` bytes of the gate ([`super::gate`]).
//!
//! The UTF-8 text of all values is separate (`*.values`, embedded with
//! `include_str!`), `value_bytes` long.
//!
//! This file is also compiled into `xtask` (with `#[path]`), which writes the
//! embedded tables with [`write()`]; user dictionaries are written with it
//! too, so there is one reader for both.

use std::collections::{BTreeMap, HashMap};

use super::gate;

/// The first four bytes of a serialized trie.
pub(crate) const MAGIC: [u8; 4] = *b"ZHCT";
/// The version [`write()`] writes.
pub(crate) const VERSION: u32 = 5;
/// `u32` words of the header.
pub(crate) const HEADER_WORDS: usize = 9;
/// Bytes of a node.
pub(crate) const NODE_BYTES: usize = 16;
/// Bytes of a slot of the two-character table.
pub(crate) const PAIR_SLOT_BYTES: usize = 16;
/// In a node's `meta`: a key ends here.
pub(crate) const HAS_VALUE: u32 = 1 << 31;
/// The longest value a trie can hold (its length has 24 bits).
pub(crate) const MAX_VALUE_LEN: usize = (1 << 24) - 1;
/// A free slot of the two-character table.
pub(crate) const PAIR_EMPTY: u64 = u64::MAX;
/// Node number of a two-character slot meaning "find the node from the
/// root" (the number does not fit in 22 bits).
pub(crate) const PAIR_LOOK_UP: u64 = (1 << 22) - 1;

/// The key of two-character prefix `c1 c2` in the two-character table.
#[inline(always)]
pub(crate) fn pair_key(c1: u32, c2: u32) -> u64 {
    u64::from(c1) << 21 | u64::from(c2)
}

/// Slots of the two-character table of a trie with `pairs` two-character
/// prefixes: a power of two, at most three quarters full.
pub(crate) fn pair_slots(pairs: usize) -> usize {
    (pairs * 4 / 3 + 1).next_power_of_two().max(16)
}

/// The shift that turns a hash into a slot of a table of `slots` slots (a
/// power of two, at least 16).
pub(crate) fn pair_shift(slots: usize) -> u32 {
    64 - slots.trailing_zeros()
}

/// The first slot to probe for `key`, with the table's [`pair_shift`].
#[inline(always)]
pub(crate) fn pair_home(key: u64, shift: u32) -> usize {
    (key.wrapping_mul(0xD6E8_FEB8_6659_FD93) >> shift) as usize
}

/// Bytes of the filter of a trie with `pairs` two-character prefixes:
/// about 16 bits per prefix, a power of two from 128 bytes to 256 KiB.
pub(crate) fn filter_bytes(pairs: usize) -> usize {
    (pairs * 16).next_power_of_two().clamp(1 << 10, 1 << 21) / 8
}

/// The filter bit of the two-character prefix with [`pair_key`] `key`, in
/// a filter of `bytes` bytes (a power of two).
#[inline(always)]
pub(crate) fn filter_bit(key: u64, bytes: usize) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as usize & (bytes * 8 - 1)
}

/// A node while the trie is built.
struct Build<'a> {
    children: BTreeMap<char, usize>,
    /// Rank and value of the key that ends here.
    value: Option<(u8, &'a str)>,
}

impl Build<'_> {
    fn new() -> Self {
        Build {
            children: BTreeMap::new(),
            value: None,
        }
    }
}

/// Serializes the trie of `(key, value, rank)` entries given in priority
/// order (a key's first entry wins), for a dictionary group of `ranks`
/// dictionaries: the trie's bytes and the text of its values. Empty keys,
/// and values longer than [`MAX_VALUE_LEN`] (which callers reject first),
/// are left out; ranks above 127 count as 127.
pub(crate) fn write<'a>(
    entries: impl IntoIterator<Item = (&'a str, &'a str, u8)>,
    ranks: u32,
) -> (Vec<u8>, String) {
    let mut build = vec![Build::new()];
    for (key, value, rank) in entries {
        if key.is_empty() || value.len() > MAX_VALUE_LEN {
            continue;
        }
        let mut at = 0;
        for c in key.chars() {
            at = match build[at].children.get(&c) {
                Some(&n) => n,
                None => {
                    build.push(Build::new());
                    let n = build.len() - 1;
                    build[at].children.insert(c, n);
                    n
                }
            };
        }
        if build[at].value.is_none() {
            build[at].value = Some((rank.min(127), value));
        }
    }

    // Breadth-first numbering keeps siblings contiguous.
    let mut order = vec![0usize];
    let mut new_id = vec![0u32; build.len()];
    let mut i = 0;
    while i < order.len() {
        for &child in build[order[i]].children.values() {
            new_id[child] = order.len() as u32;
            order.push(child);
        }
        i += 1;
    }

    let mut values = String::new();
    let mut value_at: HashMap<&str, u32> = HashMap::new();
    // Node words, then the nodes' value offset and meta by build index.
    let mut node_words: Vec<u32> = Vec::with_capacity(order.len() * 4);
    let mut value_of = vec![(0u32, 0u32); build.len()];
    let (mut cps, mut ids) = (Vec::new(), Vec::new());
    for &n in &order {
        let node = &build[n];
        let first_child = cps.len() as u32;
        for (&c, &child) in &node.children {
            cps.push(c as u32);
            ids.push(new_id[child]);
        }
        if let Some((rank, v)) = node.value {
            let off = *value_at.entry(v).or_insert_with(|| {
                values.push_str(v);
                (values.len() - v.len()) as u32
            });
            value_of[n] = (off, HAS_VALUE | u32::from(rank) << 24 | v.len() as u32);
        }
        let (off, meta) = value_of[n];
        node_words.extend([first_child, node.children.len() as u32, off, meta]);
    }

    // The two-character table and the gate.
    let pairs = || {
        build[0].children.iter().flat_map(|(&c1, &n1)| {
            build[n1]
                .children
                .iter()
                .map(move |(&c2, &n2)| (c1 as u32, c2 as u32, n2))
        })
    };
    let n_pairs = pairs().count();
    let slots = pair_slots(n_pairs);
    let shift = pair_shift(slots);
    let mut table = vec![(PAIR_EMPTY, 0u32, 0u32); slots];
    let mut filter = vec![0u8; filter_bytes(n_pairs)];
    let mut gate_bytes = vec![0u8; gate::gate_len(n_pairs)];
    for (c1, c2, n2) in pairs() {
        let key = pair_key(c1, c2);
        let mut slot = pair_home(key, shift);
        while table[slot].0 != PAIR_EMPTY {
            slot = (slot + 1) & (slots - 1);
        }
        let node = &build[n2];
        let id = match u64::from(new_id[n2]) {
            _ if node.children.is_empty() => 0,
            id if id < PAIR_LOOK_UP => id,
            _ => PAIR_LOOK_UP,
        };
        let (off, meta) = value_of[n2];
        table[slot] = (key << 22 | id, off, meta);
        let bit = filter_bit(key, filter.len());
        filter[bit / 8] |= 1 << (bit % 8);
        let c3s = node.children.keys().map(|&c| c as u32);
        gate::add_prefix(&mut gate_bytes, c1, c2, node.value.is_some(), c3s);
    }

    let header = [
        u32::from_le_bytes(MAGIC),
        VERSION,
        ranks,
        order.len() as u32,
        cps.len() as u32,
        values.len() as u32,
        slots as u32,
        filter.len() as u32,
        gate_bytes.len() as u32,
    ];
    let mut bytes = Vec::new();
    for w in header.iter().chain(&node_words).chain(&cps).chain(&ids) {
        bytes.extend(w.to_le_bytes());
    }
    for (key_id, off, meta) in table {
        bytes.extend(key_id.to_le_bytes());
        bytes.extend(off.to_le_bytes());
        bytes.extend(meta.to_le_bytes());
    }
    bytes.extend(filter);
    bytes.extend(gate_bytes);
    (bytes, values)
}
