//! Character tries with OpenCC's prefix-match semantics.
//!
//! A [`Trie`] answers one question: at this position of the text, which
//! dictionary key matches? It encodes one OpenCC dictionary, which may be a
//! group of text dictionaries:
//!
//! * a `union` group behaves as one dictionary holding all keys (the longest
//!   key wins; of equal keys the one of the earlier dictionary);
//! * a `short_circuit` group asks its dictionaries in order and takes the
//!   answer of the first one that matches at all, even if a later one would
//!   match a longer key.
//!
//! Both are folded into one trie: every dictionary of a short-circuit group
//! gets a *rank* (its position), each key keeps the value of its
//! lowest-ranked dictionary, and a walk along the text prefers a lower rank
//! over a longer key. Only the first candidate of a multi-candidate entry is
//! stored, since that is the only one OpenCC outputs.
//!
//! # Serialized form (version 4)
//!
//! Little-endian `u32` words: a header `magic "ZHCT", version, ranks, nodes,
//! children, value_bytes, gate_bytes`, then `nodes × [first_child, child_count,
//! value_offset, meta]` (node 0 is the root; `meta` bit 31 = a key ends here,
//! bits 24..31 = its rank, bits 0..24 = the value's byte length), then
//! `children × [code_point, node]` (each node's children contiguous and
//! sorted by code point), then the `gate_bytes` bytes of the trie's gate
//! ([`super::gate`]). The UTF-8 text of all values is a separate file
//! (`*.values`, embedded with `include_str!`), `value_bytes` long.
//! `cargo run -p xtask -- gen-opencc` writes these files.

use std::borrow::Cow;
use std::fmt;

use super::gate;

const MAGIC: [u8; 4] = *b"ZHCT";
const HAS_VALUE: u32 = 1 << 31;
/// A trie with fewer first characters than this gets a skip bitmap.
const SPARSE_FIRST_CHARS: u32 = 2048;
const EMPTY: u64 = u64::MAX;
/// Rank of "no match": worse than every rank.
pub(crate) const NO_RANK: u32 = 0xFF;

/// Bits of a [`Trie`]'s per-character entries (`Trie::first_entry`).
pub(crate) mod first {
    /// A one-character key whose value is one character: the value's code
    /// point is in bits 0..21, its rank at [`RANK_SHIFT`].
    pub(crate) const ONE: u64 = 1 << 21;
    /// Longer keys begin with this character.
    pub(crate) const MULTI: u64 = 1 << 22;
    /// Anything else (a value of other length, or one character whose UTF-8
    /// is longer or shorter than the key's, an ideographic description
    /// operator, a character beyond the BMP): take the general path.
    pub(crate) const SLOW: u64 = 1 << 23;
    pub(crate) const RANK_SHIFT: u32 = 24;
    pub(crate) const CHAR_MASK: u64 = (1 << 21) - 1;
    /// Only in the entries of a fused config ([`crate::convert`]'s composed
    /// tables): the first conversion's output here may begin a key of more
    /// than one character of the second conversion (or needs its general
    /// path).
    pub(crate) const SECOND_SLOW: u64 = 1 << 31;
    /// Bits 32..64: bit [`follower_bit`]`(c2)` is set if some key begins
    /// with this character followed by `c2` (a filter: set bits may lie).
    pub(crate) const FOLLOWERS_SHIFT: u32 = 32;

    /// The follower-filter bit of a second character.
    #[inline(always)]
    pub(crate) fn follower_bit(c2: u32) -> u32 {
        c2.wrapping_mul(0x9E37_79B9) >> 27
    }

    /// Whether the follower filter of entry `e` lets `c2` through (some key
    /// may begin with the entry's character followed by `c2`).
    #[inline(always)]
    pub(crate) fn may_follow(e: u64, c2: u32) -> bool {
        e >> (FOLLOWERS_SHIFT + follower_bit(c2)) & 1 != 0
    }

    /// The rank bits of entry `e` (the rank of its one-character key).
    #[inline(always)]
    pub(crate) fn rank(e: u64) -> u32 {
        (e >> RANK_SHIFT) as u32 & 0x7F
    }

    /// What the character `cp` with entry `e` becomes on its own: the value
    /// of its one-character key if it has one ([`ONE`]), else itself.
    #[inline(always)]
    pub(crate) fn image(e: u64, cp: u32) -> u32 {
        if e & ONE != 0 {
            (e & CHAR_MASK) as u32
        } else {
            cp
        }
    }
}

/// Per-character entries of every BMP code point (indexing with a `u16`
/// needs no bounds check).
pub(crate) type FirstTable = [u64; 0x1_0000];

/// A trie's gate ([`super::gate`]) by itself.
#[derive(Clone, Copy)]
pub(crate) struct Gate<'t> {
    words: &'t [u64],
}

impl Gate<'_> {
    /// Whether the two-character prefix with bytes `two`, or the
    /// three-character prefix with bytes `lo3`, `hi3`, may begin a key
    /// ([`super::gate`]).
    #[inline(always)]
    fn may_match(self, two: u64, lo3: u64, hi3: u64) -> bool {
        let (word, bit2) = gate::word2(two, self.words.len());
        // `word` < the words (a power of two: the mask makes it so).
        self.words
            .get(word)
            .is_none_or(|&w| (w >> bit2 | w >> gate::bit3(lo3, hi3)) & 1 != 0)
    }

    /// [`Trie::may_match_long3`].
    #[inline(always)]
    pub(crate) fn may_match_long3(self, lo: u64, hi: u64) -> bool {
        self.may_match(lo & 0xFFFF_FFFF_FFFF, lo, hi & 0xFF)
    }
}

/// Whether the eight bytes `lo` (little-endian) that begin with a
/// three-byte character go on with two more: bytes 3 and 6 lead
/// three-byte characters too (most of Chinese text).
#[inline(always)]
pub(crate) fn starts_three3(lo: u64) -> bool {
    lo & 0x00F0_0000_F000_0000 == 0x00E0_0000_E000_0000
}

/// The [`images_of`] all BMP code points (indexing with a `u16` needs no
/// bounds check).
pub(crate) type Images = [u32; 0x1_0000];

/// In an [`images_of`] word: longer keys begin with the character.
pub(crate) const IMAGE_MULTI: u32 = 1 << 24;
/// In an [`images_of`] word: take the general path.
pub(crate) const IMAGE_SLOW: u32 = 1 << 25;
/// In an [`images_of`] word of composed entries, with [`IMAGE_SLOW`]: the
/// entry is [`first::SECOND_SLOW`] only, and bits 0..24 hold the first
/// conversion's output.
pub(crate) const IMAGE_SECOND: u32 = 1 << 26;

/// For each BMP code point of three UTF-8 bytes (`entries` being 0 but for
/// the characters `keyed`), what the character becomes
/// on its own (its one-character key's value, else itself) as UTF-8 bytes in
/// bits 0..24, with [`IMAGE_MULTI`] if longer keys begin with it and
/// [`IMAGE_SLOW`] if its entry is [`first::SLOW`] (or, composed,
/// [`first::SECOND_SLOW`]); [`IMAGE_SLOW`] for other
/// code points. Half the size of the entries and no encoding at use: the
/// table the hot loops read.
pub(crate) fn images_of(entries: &[u64], keyed: impl Iterator<Item = u32>) -> Box<Images> {
    let utf8 = |cp: u32| 0x0080_80E0 | cp >> 12 | (cp >> 6 & 0x3F) << 8 | (cp & 0x3F) << 16;
    // Every character as itself (a loop that compiles to vector code), then
    // the few with an entry.
    let mut images: Vec<u32> = (0..0x1_0000).map(utf8).collect();
    images[..0x800].fill(IMAGE_SLOW);
    for cp in keyed {
        let (Some(slot), Some(&e)) = (images.get_mut(cp as usize), entries.get(cp as usize)) else {
            continue;
        };
        let image = first::image(e, cp);
        if e & first::SLOW != 0 || cp < 0x800 || !(0x800..0x1_0000).contains(&image) {
            *slot = IMAGE_SLOW;
            continue;
        }
        let multi = if e & first::MULTI != 0 {
            IMAGE_MULTI
        } else {
            0
        };
        let second = if e & first::SECOND_SLOW != 0 {
            IMAGE_SLOW | IMAGE_SECOND
        } else {
            0
        };
        *slot = utf8(image) | multi | second;
    }
    table_box(images)
}

/// A per-code-point table of `0x1_0000` entries as a fixed-size array.
fn table_box<T>(v: Vec<T>) -> Box<[T; 0x1_0000]> {
    match v.into_boxed_slice().try_into() {
        Ok(table) => table,
        // Every caller passes exactly `0x1_0000` entries.
        Err(_) => unreachable!(),
    }
}

/// A table of zeros (allocated zeroed: no pages touched until written).
fn zeroed_table<T: Clone + Default>() -> Box<[T; 0x1_0000]> {
    table_box(vec![T::default(); 0x1_0000])
}

#[inline(always)]
fn pair_key(c1: u32, c2: u32) -> u64 {
    u64::from(c1) << 21 | u64::from(c2)
}

#[derive(Clone, Copy, Debug)]
#[repr(align(16))]
struct Node {
    first_child: u32,
    child_count: u32,
    value_offset: u32,
    meta: u32,
}

/// A slot of the two-character prefix table: 16 bytes, four to a cache
/// line.
#[derive(Clone, Copy, Debug)]
struct L2Entry {
    /// `pair_key(c1, c2) << 22 | id`, where `id` is the prefix's node if it
    /// has children ([`L2_LOOK_UP`] if the number does not fit), else 0;
    /// `EMPTY` for a free slot.
    key_id: u64,
    /// The prefix node's value offset and meta.
    value_offset: u32,
    meta: u32,
}

/// Node number of an [`L2Entry`] meaning "find the node from the root".
const L2_LOOK_UP: u64 = (1 << 22) - 1;

/// A dictionary match at some position of the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Match<'t> {
    /// Byte length of the matched key.
    pub(crate) len: usize,
    /// The replacement (first candidate).
    pub(crate) value: &'t str,
    /// Which dictionary of the group it came from.
    pub(crate) rank: u8,
}

/// A compiled dictionary (see the module docs).
pub(crate) struct Trie {
    nodes: Vec<Node>,
    values: Cow<'static, str>,
    /// Root children by code point: `pages[cp >> 8]` is 0 or a block number
    /// plus one; `blocks[block * 256 + (cp & 0xff)]` is the node of that
    /// first character (0 if none).
    pages: Vec<u16>,
    blocks: Vec<u32>,
    /// For tries with few first characters: bit `cp` set if BMP code point
    /// `cp` begins some key, for [`Trie::skip_unmatchable`]. Empty for tries
    /// where most characters begin a key.
    bmp_starts: Vec<u64>,
    /// The children's code points and nodes, split for cache-friendly search.
    child_cps: Vec<u32>,
    child_ids: Vec<u32>,
    /// Bloom-style filter of the first two characters of keys of two or more
    /// characters: most positions of a text begin no phrase, and this tells
    /// so with one probe.
    pairs: Vec<u64>,
    pair_shift: u32,
    /// Where a key of two or more characters can match (see
    /// [`super::gate`] and [`Trie::may_match_long`]): stored with the
    /// embedded tables, built for others.
    gate: Vec<u64>,
    /// The nodes of two-character prefixes: an open-addressing hash table
    /// from `first << 21 | second` to a copy of the node (`EMPTY` marks a
    /// free slot); one probe, key and node in one cache line, instead of a
    /// binary search among a common character's many children.
    l2: Vec<L2Entry>,
    l2_shift: u32,
    /// Per BMP code point, how keys begin there ([`first`] bits): one load
    /// tells the common cases apart (no key, a one-character key only, or
    /// longer keys too).
    first: Box<FirstTable>,
    /// Per BMP code point, what the hot loop of a pass needs
    /// ([`images_of`]).
    images: Box<Images>,
    /// Bit `b` set: ASCII byte `b` begins some key.
    ascii_starts: u128,
    /// Some key consists of ASCII only.
    has_ascii_key: bool,
    /// Characters of the longest key, computed on first use.
    max_key_chars: std::sync::OnceLock<usize>,
}

impl fmt::Debug for Trie {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Trie")
            .field("nodes", &self.nodes.len())
            .field("value_bytes", &self.values.len())
            .finish()
    }
}

/// Why a serialized trie was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FormatError(pub(crate) &'static str);

fn word(bytes: &[u8], i: usize) -> Result<u32, FormatError> {
    bytes
        .get(i * 4..i * 4 + 4)
        .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
        .ok_or(FormatError("truncated"))
}

/// Decodes the character starting at `b[0]` of valid UTF-8.
#[inline(always)]
pub(crate) fn decode(b: &[u8]) -> (u32, usize) {
    match *b {
        [c0, ..] if c0 < 0x80 => (u32::from(c0), 1),
        [c0, c1, c2, ..] if (0xE0..0xF0).contains(&c0) => (decode3(c0, c1, c2), 3),
        [c0, c1, ..] if c0 < 0xE0 => ((u32::from(c0 & 0x1F) << 6) | u32::from(c1 & 0x3F), 2),
        [c0, c1, c2, c3, ..] => (
            (u32::from(c0 & 0x07) << 18)
                | (u32::from(c1 & 0x3F) << 12)
                | (u32::from(c2 & 0x3F) << 6)
                | u32::from(c3 & 0x3F),
            4,
        ),
        // Not reached for valid UTF-8; a code point no table has.
        _ => (u32::MAX, 1),
    }
}

/// The code point of a three-byte UTF-8 sequence.
#[inline(always)]
pub(crate) fn decode3(c0: u8, c1: u8, c2: u8) -> u32 {
    (u32::from(c0 & 0x0F) << 12) | (u32::from(c1 & 0x3F) << 6) | u32::from(c2 & 0x3F)
}

/// The bytes of a gate as little-endian words (so that byte `k`, bit `j` is
/// bit `8k + j` of the whole).
fn gate_words(bytes: &[u8]) -> Vec<u64> {
    bytes
        .chunks_exact(8)
        .map(|w| u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]))
        .collect()
}

/// The little-endian `u64` of `b[at..at + 8]` (0 past the end).
#[inline(always)]
pub(crate) fn u64_at(b: &[u8], at: usize) -> u64 {
    b.get(at..at + 8)
        .and_then(|w| w.try_into().ok())
        .map_or(0, u64::from_le_bytes)
}

/// Byte length of the UTF-8 character whose first byte is `b`, without
/// branches (`b` is a first byte, not a continuation byte).
#[inline(always)]
fn utf8_len(b: u8) -> usize {
    1 + usize::from(b >= 0xC0) + usize::from(b >= 0xE0) + usize::from(b >= 0xF0)
}

/// Byte length of the UTF-8 character whose first byte is `b`.
#[inline(always)]
pub(crate) fn char_len(b: u8) -> usize {
    match b {
        0..=0x7F => 1,
        0x80..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

impl Node {
    const EMPTY: Node = Node {
        first_child: 0,
        child_count: 0,
        value_offset: 0,
        meta: 0,
    };
}

impl Trie {
    /// Reads a serialized trie, checking magic, version and every index.
    pub(crate) fn from_bytes(
        bytes: &[u8],
        values: &'static str,
        version: u32,
    ) -> Result<Trie, FormatError> {
        if bytes.get(..4) != Some(&MAGIC[..]) {
            return Err(FormatError("bad magic"));
        }
        if word(bytes, 1)? != version {
            return Err(FormatError("unsupported version"));
        }
        let n_nodes = word(bytes, 3)? as usize;
        let n_children = word(bytes, 4)? as usize;
        let value_len = word(bytes, 5)? as usize;
        let gate_len = word(bytes, 6)? as usize;
        let nodes_at = 7;
        let children_at = nodes_at + n_nodes * 4;
        let gate_at = (children_at + n_children * 2) * 4;
        if bytes.len() != gate_at + gate_len || values.len() != value_len || n_nodes == 0 {
            return Err(FormatError("bad length"));
        }
        let le = |w: &[u8]| u32::from_le_bytes([w[0], w[1], w[2], w[3]]);
        let nodes: Vec<Node> = bytes[nodes_at * 4..children_at * 4]
            .chunks_exact(16)
            .map(|n| Node {
                first_child: le(&n[0..4]),
                child_count: le(&n[4..8]),
                value_offset: le(&n[8..12]),
                meta: le(&n[12..16]),
            })
            .collect();
        let (child_cps, child_ids) = bytes[children_at * 4..gate_at]
            .chunks_exact(8)
            .map(|c| (le(&c[0..4]), le(&c[4..8])))
            .unzip();
        let gate = &bytes[gate_at..];
        Trie::from_parts(
            nodes,
            child_cps,
            child_ids,
            Cow::Borrowed(values),
            Some(gate),
        )
    }

    /// Builds a trie from `(key, value, rank)` entries in priority order: the
    /// first entry of a key wins. Used for user dictionaries.
    pub(crate) fn from_entries<'a>(
        entries: impl IntoIterator<Item = (&'a str, &'a str, u8)>,
    ) -> Trie {
        struct BuildNode {
            children: std::collections::BTreeMap<char, usize>,
            value: Option<(u8, usize, usize)>,
        }
        let mut build = vec![BuildNode {
            children: Default::default(),
            value: None,
        }];
        let mut values = String::new();
        for (key, value, rank) in entries {
            let mut at = 0;
            for c in key.chars() {
                at = match build[at].children.get(&c) {
                    Some(&n) => n,
                    None => {
                        build.push(BuildNode {
                            children: Default::default(),
                            value: None,
                        });
                        let n = build.len() - 1;
                        build[at].children.insert(c, n);
                        n
                    }
                };
            }
            if at != 0 && build[at].value.is_none() {
                build[at].value = Some((rank.min(127), values.len(), value.len().min(0xFF_FFFF)));
                values.push_str(value);
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
        let mut nodes = Vec::with_capacity(order.len());
        let (mut child_cps, mut child_ids) = (Vec::new(), Vec::new());
        for &n in &order {
            let first_child = child_cps.len() as u32;
            for (&c, &child) in &build[n].children {
                child_cps.push(c as u32);
                child_ids.push(new_id[child]);
            }
            let (value_offset, meta) = match build[n].value {
                Some((rank, off, len)) => {
                    (off as u32, HAS_VALUE | (u32::from(rank) << 24) | len as u32)
                }
                None => (0, 0),
            };
            nodes.push(Node {
                first_child,
                child_count: build[n].children.len() as u32,
                value_offset,
                meta,
            });
        }
        Trie::from_parts(nodes, child_cps, child_ids, Cow::Owned(values), None)
            .expect("a trie built here is consistent")
    }

    fn from_parts(
        nodes: Vec<Node>,
        child_cps: Vec<u32>,
        child_ids: Vec<u32>,
        values: Cow<'static, str>,
        gate: Option<&[u8]>,
    ) -> Result<Trie, FormatError> {
        // Validate every index so that lookups cannot go out of bounds
        // (values are sliced with `get` at use, which also checks character
        // boundaries).
        for n in &nodes {
            let end = n.first_child as usize + n.child_count as usize;
            if end > child_cps.len() {
                return Err(FormatError("child range out of bounds"));
            }
            if n.meta & HAS_VALUE != 0 {
                let (off, len) = (n.value_offset as usize, (n.meta & 0xFF_FFFF) as usize);
                if off + len > values.len() {
                    return Err(FormatError("value out of bounds"));
                }
            }
            let kids = &child_cps[n.first_child as usize..end];
            if kids.windows(2).any(|w| w[0] >= w[1]) {
                return Err(FormatError("children not sorted"));
            }
        }
        if child_ids
            .iter()
            .any(|&n| n == 0 || n as usize >= nodes.len())
            || child_cps.iter().any(|&c| c > 0x10_FFFF)
        {
            return Err(FormatError("bad child"));
        }
        let mut trie = Trie {
            nodes,
            values,
            pages: vec![0; 0x1100],
            blocks: Vec::new(),
            bmp_starts: Vec::new(),
            child_cps,
            child_ids,
            pairs: Vec::new(),
            pair_shift: 63,
            gate: Vec::new(),
            l2: Vec::new(),
            l2_shift: 63,
            first: zeroed_table(),
            images: zeroed_table(),
            ascii_starts: 0,
            has_ascii_key: false,
            max_key_chars: std::sync::OnceLock::new(),
        };
        let root = trie.nodes[0];
        if root.child_count < SPARSE_FIRST_CHARS {
            trie.bmp_starts = vec![0; 1024];
        }
        for i in root.first_child..root.first_child + root.child_count {
            let (cp, node) = (trie.child_cps[i as usize], trie.child_ids[i as usize]);
            if let Some(bits) = trie.bmp_starts.get_mut((cp >> 6) as usize) {
                *bits |= 1 << (cp & 63);
            }
            if cp < 128 {
                trie.ascii_starts |= 1 << cp;
            }
            let page = (cp >> 8) as usize;
            if trie.pages[page] == 0 {
                trie.blocks.extend(std::iter::repeat_n(0, 256));
                trie.pages[page] = (trie.blocks.len() / 256) as u16;
            }
            let block = trie.pages[page] as usize - 1;
            trie.blocks[block * 256 + (cp & 0xFF) as usize] = node;
        }
        // Pair filter: about 16 bits per pair, at least 1 Kibit.
        let mut n_pairs = 0;
        for i in root.first_child..root.first_child + root.child_count {
            n_pairs += trie.nodes[trie.child_ids[i as usize] as usize].child_count as usize;
        }
        let bits = (n_pairs * 16).next_power_of_two().clamp(1 << 10, 1 << 21);
        trie.pair_shift = 64 - bits.trailing_zeros();
        trie.pairs = vec![0; bits / 64];
        let l2_size = (n_pairs * 4 / 3 + 1).next_power_of_two().max(16);
        trie.l2_shift = 64 - l2_size.trailing_zeros();
        trie.l2 = vec![
            L2Entry {
                key_id: EMPTY,
                value_offset: 0,
                meta: 0,
            };
            l2_size
        ];
        let built;
        let gate = match gate {
            Some(stored) => stored,
            None => {
                built = trie.built_gate();
                &built
            }
        };
        if !gate.len().is_power_of_two() || gate.len() < 1 << 10 || gate.len() > 1 << 18 {
            return Err(FormatError("bad gate length"));
        }
        trie.gate = gate_words(gate);
        for i in root.first_child..root.first_child + root.child_count {
            let (c1, node) = (trie.child_cps[i as usize], trie.child_ids[i as usize]);
            let n = trie.nodes[node as usize];
            for j in n.first_child..n.first_child + n.child_count {
                let (c2, child) = (trie.child_cps[j as usize], trie.child_ids[j as usize]);
                let cn = trie.nodes[child as usize];
                let bit = trie.pair_bit(c1, c2);
                trie.pairs[bit >> 6] |= 1 << (bit & 63);
                let key = pair_key(c1, c2);
                let mut slot = trie.l2_slot(key);
                while trie.l2[slot].key_id != EMPTY {
                    slot = (slot + 1) & (l2_size - 1);
                }
                let id = match u64::from(child) {
                    _ if cn.child_count == 0 => 0,
                    id if id < L2_LOOK_UP => id,
                    _ => L2_LOOK_UP,
                };
                trie.l2[slot] = L2Entry {
                    key_id: key << 22 | id,
                    value_offset: cn.value_offset,
                    meta: cn.meta,
                };
            }
        }
        trie.has_ascii_key = trie.ascii_key_from(0);
        trie.first = trie.first_table();
        trie.images = images_of(&trie.first[..], trie.first_chars());
        Ok(trie)
    }

    /// The gate of this trie, built from its nodes ([`super::gate`]).
    fn built_gate(&self) -> Vec<u8> {
        let root = self.nodes[0];
        let children = |n: Node| {
            let range = n.first_child as usize..(n.first_child + n.child_count) as usize;
            self.child_cps[range.clone()]
                .iter()
                .zip(&self.child_ids[range])
                .map(|(&c, &id)| (c, self.nodes[id as usize]))
        };
        let n_pairs = children(root).map(|(_, n)| n.child_count as usize).sum();
        let mut bytes = vec![0; gate::gate_len(n_pairs)];
        for (c1, n1) in children(root) {
            for (c2, n2) in children(n1) {
                let c3s = children(n2).map(|(c, _)| c);
                gate::add_prefix(&mut bytes, c1, c2, n2.meta & HAS_VALUE != 0, c3s);
            }
        }
        bytes
    }

    /// Whether the stored gate is the one [`Trie::built_gate`] makes.
    #[cfg(test)]
    pub(crate) fn gate_is_current(&self) -> bool {
        self.gate == gate_words(&self.built_gate())
    }

    /// Whether a key of two or more characters may match at byte `i` of
    /// `text` (valid UTF-8, `i` a character boundary, the character there
    /// `len1` bytes long). A `false` is exact; a `true` may lie, and is
    /// always the answer within 16 bytes of the end.
    #[inline(always)]
    pub(crate) fn may_match_long(&self, text: &[u8], i: usize, len1: usize) -> bool {
        let Some(w) = text.get(i..i + 16) else {
            return true;
        };
        let (lo, hi) = (u64_at(w, 0), u64_at(w, 8));
        if len1 == 3 && starts_three3(lo) {
            return self.may_match_long3(lo, hi);
        }
        // Three characters of at most four bytes each: within `w`.
        let len2 = len1 + utf8_len(w[len1 & 15]);
        let len3 = len2 + utf8_len(w[len2 & 15]);
        let two = lo & (u64::MAX >> (64 - 8 * len2));
        let (lo3, hi3) = if len3 <= 8 {
            (lo & (u64::MAX >> (64 - 8 * len3)), 0)
        } else {
            (lo, hi & (u64::MAX >> (128 - 8 * len3)))
        };
        self.gate().may_match(two, lo3, hi3)
    }

    /// The gate, to be copied into a hot loop.
    #[inline(always)]
    pub(crate) fn gate(&self) -> Gate<'_> {
        Gate { words: &self.gate }
    }

    /// [`Trie::may_match_long`] where the 16 bytes from the position,
    /// little-endian `lo` and `hi`, begin with three three-byte characters
    /// ([`starts_three3`]`(lo)`).
    #[inline(always)]
    pub(crate) fn may_match_long3(&self, lo: u64, hi: u64) -> bool {
        self.gate().may_match_long3(lo, hi)
    }

    /// The depth of the trie: the characters of its longest key
    /// (`usize::MAX` unless the nodes are numbered breadth-first, as both
    /// builders number them).
    fn depth(&self) -> usize {
        let mut depth = vec![0u32; self.nodes.len()];
        let mut max = 0;
        for (id, n) in self.nodes.iter().enumerate() {
            let d = depth[id];
            max = max.max(d);
            for &child in &self.child_ids[n.first_child as usize..][..n.child_count as usize] {
                if child as usize <= id {
                    return usize::MAX;
                }
                depth[child as usize] = d + 1;
            }
        }
        max as usize
    }

    /// Whether some key begins with `prefix` (valid UTF-8, at least two
    /// characters).
    pub(crate) fn has_prefix(&self, prefix: &[u8]) -> bool {
        let (c1, l1) = decode(prefix);
        let Some(rest) = prefix.get(l1..).filter(|r| !r.is_empty()) else {
            return self.root(c1).is_some();
        };
        let (c2, l2) = decode(rest);
        let Some(pair) = self.l2_child(c1, c2) else {
            return false;
        };
        let mut at = l1 + l2;
        if at < prefix.len() && pair.key_id & L2_LOOK_UP == 0 {
            return false;
        }
        let mut node = Node::EMPTY;
        if at < prefix.len() {
            match self.nodes.get(self.l2_node(pair, c1, c2) as usize) {
                Some(&n) => node = n,
                None => return false,
            }
        }
        while at < prefix.len() {
            let (c, l) = decode(&prefix[at..]);
            let id = self.child(node, c);
            match self.nodes.get(id as usize) {
                Some(&n) if id != 0 => node = n,
                _ => return false,
            }
            at += l;
        }
        true
    }

    /// Characters of the longest key.
    #[inline]
    pub(crate) fn max_key_chars(&self) -> usize {
        *self.max_key_chars.get_or_init(|| self.depth())
    }

    /// The [`first`] entry of every BMP code point.
    fn first_table(&self) -> Box<FirstTable> {
        let mut table: Box<FirstTable> = zeroed_table();
        table[0x2FF0..=0x2FFF].fill(first::SLOW);
        let root = self.nodes[0];
        for i in root.first_child..root.first_child + root.child_count {
            let (cp, id) = (self.child_cps[i as usize], self.child_ids[i as usize]);
            let Some(slot) = table.get_mut(cp as usize) else {
                continue;
            };
            let n = self.nodes[id as usize];
            let mut e = *slot;
            if n.child_count != 0 {
                e |= first::MULTI;
                for &c2 in &self.child_cps[n.first_child as usize..][..n.child_count as usize] {
                    e |= 1 << (first::FOLLOWERS_SHIFT + first::follower_bit(c2));
                }
            }
            if n.meta & HAS_VALUE != 0 {
                let off = n.value_offset as usize;
                let value = self
                    .values
                    .get(off..off + (n.meta & 0xFF_FFFF) as usize)
                    .unwrap_or("");
                let mut chars = value.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None)
                        if char::from_u32(cp).map(char::len_utf8) == Some(c.len_utf8()) =>
                    {
                        e |= first::ONE
                            | u64::from(c as u32)
                            | u64::from((n.meta >> 24) & 0x7F) << first::RANK_SHIFT;
                    }
                    _ => e |= first::SLOW,
                }
            }
            *slot = e;
        }
        table
    }

    /// The BMP code points whose [`first`] entry is not 0: the first
    /// characters of keys and the ideographic description operators.
    pub(crate) fn first_chars(&self) -> impl Iterator<Item = u32> + '_ {
        let root = self.nodes[0];
        self.child_cps[root.first_child as usize..][..root.child_count as usize]
            .iter()
            .copied()
            .chain(0x2FF0..=0x2FFF)
            .filter(|&cp| cp < 0x1_0000)
    }

    /// The [`images_of`] its per-character entries: 0x1_0000 words.
    #[inline(always)]
    pub(crate) fn images(&self) -> &Images {
        &self.images
    }

    /// The [`first`] entry of BMP code point `cp` (0 for others).
    #[inline(always)]
    pub(crate) fn first_entry(&self, cp: u32) -> u64 {
        self.first.get(cp as usize).copied().unwrap_or(first::SLOW)
    }

    fn ascii_key_from(&self, node: u32) -> bool {
        let n = self.nodes[node as usize];
        if node != 0 && n.meta & HAS_VALUE != 0 {
            return true;
        }
        let range = n.first_child as usize..(n.first_child + n.child_count) as usize;
        self.child_cps[range.clone()]
            .iter()
            .zip(&self.child_ids[range])
            .any(|(&c, &child)| c < 128 && self.ascii_key_from(child))
    }

    /// Skips, from byte `i` of `text`, three-byte characters that begin no
    /// key (and are no ideographic description operator), returning where
    /// the scan stopped. A cheap pre-pass for tries with few first
    /// characters (see [`Trie::is_sparse`]).
    #[inline(always)]
    pub(crate) fn skip_unmatchable(&self, text: &[u8], mut i: usize) -> usize {
        while let Some(&[b0, b1, b2]) = text.get(i..i + 3) {
            if !(0xE0..0xF0).contains(&b0) {
                break;
            }
            let cp =
                (u32::from(b0 & 0x0F) << 12) | (u32::from(b1 & 0x3F) << 6) | u32::from(b2 & 0x3F);
            let bits = self
                .bmp_starts
                .get((cp >> 6) as usize)
                .copied()
                .unwrap_or(!0);
            let starts = bits & (1 << (cp & 63)) != 0;
            if starts || (0x2FF0..=0x2FFF).contains(&cp) {
                break;
            }
            i += 3;
        }
        i
    }

    /// Whether the trie has few first characters (and a skip bitmap).
    #[inline(always)]
    pub(crate) fn is_sparse(&self) -> bool {
        !self.bmp_starts.is_empty()
    }

    /// Whether ASCII byte `b` begins some key.
    #[inline(always)]
    pub(crate) fn ascii_starts(&self, b: u8) -> bool {
        b < 128 && self.ascii_starts & (1u128 << b) != 0
    }

    /// The set of ASCII bytes that begin some key (bit `b` for byte `b`).
    #[inline(always)]
    pub(crate) fn ascii_start_set(&self) -> u128 {
        self.ascii_starts
    }

    /// Whether some key is made of ASCII characters only (then ASCII text
    /// can change).
    pub(crate) fn has_ascii_key(&self) -> bool {
        self.has_ascii_key
    }

    /// Whether some key begins with code point `cp`.
    #[inline(always)]
    pub(crate) fn starts_with_char(&self, cp: u32) -> bool {
        self.root(cp).is_some()
    }

    /// The node of first character `cp`, if some key begins with it.
    #[inline(always)]
    fn root(&self, cp: u32) -> Option<Node> {
        let p = *self.pages.get((cp >> 8) as usize)?;
        if p == 0 {
            return None;
        }
        let id = *self
            .blocks
            .get((p as usize - 1) * 256 + (cp & 0xFF) as usize)?;
        let n = *self.nodes.get(id as usize).filter(|_| id != 0)?;
        if n.meta == 0 && n.child_count == 0 {
            None
        } else {
            Some(n)
        }
    }

    #[inline(always)]
    fn l2_slot(&self, key: u64) -> usize {
        (key.wrapping_mul(0xD6E8_FEB8_6659_FD93) >> self.l2_shift) as usize
    }

    /// The slot of the two-character prefix `c1 c2`, if any.
    #[inline(always)]
    fn l2_child(&self, c1: u32, c2: u32) -> Option<&L2Entry> {
        let key = pair_key(c1, c2);
        let mask = self.l2.len() - 1;
        let mut slot = self.l2_slot(key);
        loop {
            match self.l2.get(slot) {
                Some(e) if e.key_id >> 22 == key => return Some(e),
                Some(e) if e.key_id != EMPTY => slot = (slot + 1) & mask,
                _ => return None,
            }
        }
    }

    /// The node of the prefix of an [`L2Entry`] if it has children, else 0.
    #[inline(always)]
    fn l2_node(&self, e: &L2Entry, c1: u32, c2: u32) -> u32 {
        match e.key_id & L2_LOOK_UP {
            L2_LOOK_UP => self.root(c1).map_or(0, |n| self.child(n, c2)),
            id => id as u32,
        }
    }

    #[inline(always)]
    fn pair_bit(&self, c1: u32, c2: u32) -> usize {
        let key = u64::from(c1) << 21 | u64::from(c2);
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.pair_shift) as usize
    }

    #[inline(always)]
    fn child(&self, node: Node, cp: u32) -> u32 {
        let start = node.first_child as usize;
        let end = start + node.child_count as usize;
        let cps = &self.child_cps[start..end];
        let i = if cps.len() <= 4 {
            match cps.iter().position(|&c| c == cp) {
                Some(i) => i,
                None => return 0,
            }
        } else {
            match cps.binary_search(&cp) {
                Ok(i) => i,
                Err(_) => return 0,
            }
        };
        self.child_ids[start + i]
    }

    /// The match at the start of `text` (non-empty, valid UTF-8, starting at
    /// a character boundary): the lowest-ranked dictionary that matches at
    /// all, and its longest key.
    #[inline(always)]
    pub(crate) fn longest<'t>(&'t self, text: &[u8]) -> Option<Match<'t>> {
        let (c1, len1) = decode(text);
        let node = self.root(c1)?;
        let has_value = node.meta & HAS_VALUE != 0;
        if node.child_count != 0 && self.may_match_long(text, 0, len1) {
            let rank1 = if has_value {
                (node.meta >> 24) & 0x7F
            } else {
                NO_RANK
            };
            if let Some(m) = self.longer(text, c1, len1, rank1) {
                return Some(m);
            }
        }
        has_value.then(|| self.match_of(node, len1))
    }

    fn match_of(&self, node: Node, len: usize) -> Match<'_> {
        let off = node.value_offset as usize;
        let vlen = (node.meta & 0xFF_FFFF) as usize;
        Match {
            len,
            value: self.values.get(off..off + vlen).unwrap_or(""),
            rank: ((node.meta >> 24) & 0x7F) as u8,
        }
    }

    /// Where `text` begins with character `c1` of `len1` bytes: the longest
    /// key of two or more characters that the rank rules prefer to a
    /// one-character key of rank `rank1` ([`NO_RANK`] if there is none),
    /// if any.
    #[inline(always)]
    pub(crate) fn longer<'t>(
        &'t self,
        text: &[u8],
        c1: u32,
        len1: usize,
        rank1: u32,
    ) -> Option<Match<'t>> {
        let rest = text.get(len1..).filter(|r| !r.is_empty())?;
        let (c2, len2) = decode(rest);
        let bit = self.pair_bit(c1, c2);
        if self.pairs[bit >> 6] & (1 << (bit & 63)) == 0 {
            return None;
        }
        self.longer_pair(text, c1, len1, c2, len2, rank1)
    }

    /// [`Trie::longer`] with the second character `c2` (of `len2` bytes)
    /// decoded.
    #[inline(always)]
    pub(crate) fn longer_pair<'t>(
        &'t self,
        text: &[u8],
        c1: u32,
        len1: usize,
        c2: u32,
        len2: usize,
        rank1: u32,
    ) -> Option<Match<'t>> {
        let pair = self.l2_child(c1, c2)?;
        let mut at = len1 + len2;
        let (mut best_at, mut best_offset, mut best_meta) = (0, 0, 0);
        let mut best_rank = rank1;
        let rank = (pair.meta >> 24) & 0x7F;
        if pair.meta & HAS_VALUE != 0 && rank <= best_rank {
            (best_at, best_offset, best_meta, best_rank) = (at, pair.value_offset, pair.meta, rank);
        }
        let mut id = if pair.key_id & L2_LOOK_UP == 0 || at >= text.len() {
            0
        } else {
            self.l2_node(pair, c1, c2)
        };
        while id != 0 && at < text.len() {
            let Some(&node) = self.nodes.get(id as usize) else {
                break;
            };
            let (cp, len) = decode(&text[at..]);
            id = self.child(node, cp);
            let Some(&n) = self.nodes.get(id as usize).filter(|_| id != 0) else {
                break;
            };
            at += len;
            let rank = (n.meta >> 24) & 0x7F;
            if n.meta & HAS_VALUE != 0 && rank <= best_rank {
                (best_at, best_offset, best_meta, best_rank) = (at, n.value_offset, n.meta, rank);
            }
            if n.child_count == 0 {
                break;
            }
        }
        (best_at != 0).then(|| {
            self.match_of(
                Node {
                    first_child: 0,
                    child_count: 0,
                    value_offset: best_offset,
                    meta: best_meta,
                },
                best_at,
            )
        })
    }

    /// Calls `f(key, value, rank)` for every key, in no particular order.
    #[cfg(test)]
    pub(crate) fn for_each_entry(&self, mut f: impl FnMut(&str, &str, u8)) {
        let mut stack: Vec<(u32, String)> = vec![(0, String::new())];
        while let Some((id, key)) = stack.pop() {
            let n = self.nodes[id as usize];
            if id != 0 && n.meta & HAS_VALUE != 0 {
                let off = n.value_offset as usize;
                let len = (n.meta & 0xFF_FFFF) as usize;
                f(
                    &key,
                    &self.values[off..off + len],
                    ((n.meta >> 24) & 0x7F) as u8,
                );
            }
            let range = n.first_child as usize..(n.first_child + n.child_count) as usize;
            for (&c, &child) in self.child_cps[range.clone()]
                .iter()
                .zip(&self.child_ids[range])
            {
                let mut k = key.clone();
                k.push(char::from_u32(c).unwrap_or('\u{fffd}'));
                stack.push((child, k));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_circuit_prefers_rank_over_length() {
        // rank 0 has "ab", rank 1 has "abc" and "a".
        let t = Trie::from_entries([("ab", "X", 0), ("abc", "Y", 1), ("a", "Z", 1)]);
        let m = t.longest(b"abcd").unwrap();
        assert_eq!((m.len, m.value, m.rank), (2, "X", 0));
        // Only rank 1 matches here.
        let m = t.longest(b"ac").unwrap();
        assert_eq!((m.len, m.value), (1, "Z"));
        assert!(t.longest(b"b").is_none());
    }

    #[test]
    fn gate_never_hides_a_longer_match() {
        let t = Trie::from_entries([
            ("发展", "發展", 0),
            ("发展中国家", "x", 0),
            ("中国人民", "y", 0),
            ("a发", "z", 0),
            ("\u{20000}中", "w", 0),
            ("é中文", "v", 0),
        ]);
        let text =
            "发展中国家a发展\u{20000}中国人民发展中 é中文 发展中国人民 and more padding at the end";
        let b = text.as_bytes();
        let mut longer = 0;
        for (i, c) in text.char_indices() {
            let gated = t.may_match_long(b, i, c.len_utf8());
            if t.longest(&b[i..]).is_some_and(|m| m.len > c.len_utf8()) {
                assert!(gated, "a key at {i} is hidden");
                longer += 1;
            }
        }
        assert_eq!(longer, 9);
        // Positions with no key at all mostly fail the gate.
        assert!(!t.may_match_long("人民人民人民人民人民".as_bytes(), 0, 3));
    }

    #[test]
    fn union_takes_longest_and_first_of_equal_keys() {
        let t = Trie::from_entries([("ab", "1", 0), ("abcd", "2", 0), ("ab", "3", 0)]);
        assert_eq!(t.longest(b"abcde").unwrap().value, "2");
        assert_eq!(t.longest(b"abc").unwrap().value, "1");
    }

    #[test]
    fn skip_stops_where_a_key_or_ids_may_begin() {
        let t = Trie::from_entries([("发展", "發展", 0)]);
        assert!(t.is_sparse());
        let text = "我们的发展".as_bytes();
        assert_eq!(t.skip_unmatchable(text, 0), 9);
        let text = "我⿰氵发".as_bytes();
        assert_eq!(t.skip_unmatchable(text, 0), 3);
        let text = "我a的".as_bytes();
        assert_eq!(t.skip_unmatchable(text, 0), 3);
        assert_eq!(t.skip_unmatchable(b"", 0), 0);
    }

    #[test]
    fn rejects_garbage() {
        assert!(Trie::from_bytes(b"nope", "", 2).is_err());
        assert!(Trie::from_bytes(b"ZHCT\x02\0\0\0", "", 2).is_err());
    }
}
