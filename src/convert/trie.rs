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
//! The serialized form, read in place, is described in [`super::layout`];
//! `cargo run -p xtask -- gen-opencc` writes the embedded tables.

use std::borrow::Cow;
use std::fmt;

use super::gate;
use super::layout::{self, pair_key, HAS_VALUE, PAIR_EMPTY, PAIR_LOOK_UP};

/// A trie with fewer first characters than this gets a skip bitmap.
const SPARSE_FIRST_CHARS: u32 = 2048;
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
    /// Little-endian words (byte `k`, bit `j` of the stored gate is bit
    /// `8k + j` of the whole).
    words: &'t [[u8; 8]],
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
            .map(|&w| u64::from_le_bytes(w))
            .is_none_or(|w| (w >> bit2 | w >> gate::bit3(lo3, hi3)) & 1 != 0)
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

#[derive(Clone, Copy, Debug)]
struct Node {
    first_child: u32,
    child_count: u32,
    value_offset: u32,
    meta: u32,
}

/// A slot of the two-character table ([`layout`]).
#[derive(Clone, Copy, Debug)]
struct PairSlot {
    /// `pair_key(c1, c2) << 22 | node`, or [`PAIR_EMPTY`].
    key_id: u64,
    /// The prefix node's value offset and meta.
    value_offset: u32,
    meta: u32,
}

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
///
/// The parts of the serialized form ([`layout`]) are read in place: for an
/// embedded table they borrow the binary's bytes.
pub(crate) struct Trie {
    /// The nodes, [`layout::NODE_BYTES`] each.
    nodes: Cow<'static, [u8]>,
    /// The children's code points and node numbers (`u32` each), split
    /// for cache-friendly search.
    child_cps: Cow<'static, [u8]>,
    child_ids: Cow<'static, [u8]>,
    /// The two-character table, [`layout::PAIR_SLOT_BYTES`] a slot.
    pairs: Cow<'static, [u8]>,
    pair_shift: u32,
    /// The filter of two-character prefixes ([`layout::filter_bit`]).
    filter: Cow<'static, [u8]>,
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
    /// Where a key of two or more characters can match (see
    /// [`super::gate`] and [`Trie::may_match_long`]), read in place.
    gate: Cow<'static, [u8]>,
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
            .field("nodes", &self.n_nodes())
            .field("value_bytes", &self.values.len())
            .finish()
    }
}

/// Why a serialized trie was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FormatError(pub(crate) &'static str);

/// The little-endian `u32` at word `i` of `b`, if `b` has it.
#[inline(always)]
fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    b.get(i * 4..i * 4 + 4)
        .and_then(|w| w.try_into().ok())
        .map(u32::from_le_bytes)
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
    /// Reads a serialized trie ([`layout`]) in place, checking its header
    /// and the lengths of its parts (every later read is checked where it
    /// happens).
    pub(crate) fn from_bytes(
        bytes: &'static [u8],
        values: &'static str,
        version: u32,
    ) -> Result<Trie, FormatError> {
        Trie::from_parts(bytes, Cow::Borrowed(values), version, |r| {
            Cow::Borrowed(&bytes[r])
        })
    }

    /// Builds a trie from `(key, value, rank)` entries in priority order: the
    /// first entry of a key wins. Used for user dictionaries (whose values
    /// are at most [`layout::MAX_VALUE_LEN`] bytes).
    pub(crate) fn from_entries<'a>(
        entries: impl IntoIterator<Item = (&'a str, &'a str, u8)>,
    ) -> Trie {
        let entries: Vec<_> = entries.into_iter().collect();
        let ranks = entries
            .iter()
            .map(|e| u32::from(e.2) + 1)
            .max()
            .unwrap_or(1);
        let (bytes, values) = layout::write(entries, ranks);
        match Trie::from_parts(&bytes, Cow::Owned(values), layout::VERSION, |r| {
            Cow::Owned(bytes[r].to_vec())
        }) {
            Ok(trie) => trie,
            // `layout::write` writes what `from_parts` reads.
            Err(e) => unreachable!("a trie written here is readable: {e:?}"),
        }
    }

    /// Reads serialized `bytes`, taking each part (a checked range of
    /// `bytes`) with `part`.
    fn from_parts(
        bytes: &[u8],
        values: Cow<'static, str>,
        version: u32,
        part: impl Fn(std::ops::Range<usize>) -> Cow<'static, [u8]>,
    ) -> Result<Trie, FormatError> {
        let word = |i| u32_at(bytes, i).ok_or(FormatError("truncated"));
        if bytes.get(..4) != Some(&layout::MAGIC[..]) {
            return Err(FormatError("bad magic"));
        }
        if word(1)? != version {
            return Err(FormatError("unsupported version"));
        }
        let [n_nodes, n_children, value_len, slots, filter_len, gate_len] =
            [word(3)?, word(4)?, word(5)?, word(6)?, word(7)?, word(8)?].map(|w| w as usize);
        // Offsets of the parts, checked (a damaged header must not wrap
        // around on 32-bit targets).
        let mut ends = [layout::HEADER_WORDS * 4, 0, 0, 0, 0, 0, 0];
        let sizes = [
            n_nodes.checked_mul(layout::NODE_BYTES),
            n_children.checked_mul(4),
            n_children.checked_mul(4),
            slots.checked_mul(layout::PAIR_SLOT_BYTES),
            Some(filter_len),
            Some(gate_len),
        ];
        for (k, size) in sizes.into_iter().enumerate() {
            ends[k + 1] = size
                .and_then(|n| ends[k].checked_add(n))
                .ok_or(FormatError("bad length"))?;
        }
        let [nodes_at, cps_at, ids_at, pairs_at, filter_at, gate_at, end] = ends;
        if bytes.len() != end || values.len() != value_len || n_nodes == 0 {
            return Err(FormatError("bad length"));
        }
        if !slots.is_power_of_two() || slots < 16 || !filter_len.is_power_of_two() {
            return Err(FormatError("bad two-character table length"));
        }
        if !gate_len.is_power_of_two() || !(1 << 10..=1 << 18).contains(&gate_len) {
            return Err(FormatError("bad gate length"));
        }
        let mut trie = Trie {
            nodes: part(nodes_at..cps_at),
            child_cps: part(cps_at..ids_at),
            child_ids: part(ids_at..pairs_at),
            pairs: part(pairs_at..filter_at),
            filter: part(filter_at..gate_at),
            pair_shift: layout::pair_shift(slots),
            values,
            pages: Vec::new(),
            blocks: Vec::new(),
            bmp_starts: Vec::new(),
            gate: part(gate_at..end),
            first: zeroed_table(),
            images: zeroed_table(),
            ascii_starts: 0,
            has_ascii_key: false,
            max_key_chars: std::sync::OnceLock::new(),
        };
        let root = trie.node(0).unwrap_or(Node::EMPTY);
        let (mut pages, mut blocks) = (vec![0u16; 0x1100], Vec::new());
        let mut bmp_starts = if root.child_count < SPARSE_FIRST_CHARS {
            vec![0; 1024]
        } else {
            Vec::new()
        };
        let mut ascii_starts = 0;
        for (cp, node) in trie.children(root) {
            if let Some(bits) = bmp_starts.get_mut((cp >> 6) as usize) {
                *bits |= 1 << (cp & 63);
            }
            if cp < 128 {
                ascii_starts |= 1 << cp;
            }
            let Some(page) = pages.get_mut((cp >> 8) as usize) else {
                continue;
            };
            if *page == 0 {
                blocks.extend(std::iter::repeat_n(0, 256));
                *page = (blocks.len() / 256) as u16;
            }
            blocks[(*page as usize - 1) * 256 + (cp & 0xFF) as usize] = node;
        }
        (trie.pages, trie.blocks, trie.bmp_starts) = (pages, blocks, bmp_starts);
        trie.ascii_starts = ascii_starts;
        trie.has_ascii_key = trie.ascii_key();
        trie.first = trie.first_table();
        trie.images = images_of(&trie.first[..], trie.first_chars());
        Ok(trie)
    }

    /// Number of nodes.
    fn n_nodes(&self) -> usize {
        self.nodes.len() / layout::NODE_BYTES
    }

    /// Node `id`, if the trie has it.
    #[inline(always)]
    fn node(&self, id: u32) -> Option<Node> {
        let b = self
            .nodes
            .as_chunks::<{ layout::NODE_BYTES }>()
            .0
            .get(id as usize)?;
        let w = |k: usize| u32::from_le_bytes([b[k], b[k + 1], b[k + 2], b[k + 3]]);
        Some(Node {
            first_child: w(0),
            child_count: w(4),
            value_offset: w(8),
            meta: w(12),
        })
    }

    /// The children of `node`: code point and node number of each, in
    /// code point order.
    fn children(&self, node: Node) -> impl Iterator<Item = (u32, u32)> + '_ {
        let range =
            node.first_child as usize..node.first_child as usize + node.child_count as usize;
        let cps = self.child_cps.as_chunks::<4>().0.get(range.clone());
        let ids = self.child_ids.as_chunks::<4>().0.get(range);
        cps.unwrap_or_default()
            .iter()
            .zip(ids.unwrap_or_default())
            .map(|(&c, &i)| (u32::from_le_bytes(c), u32::from_le_bytes(i)))
    }

    /// Checks every part of the trie: child ranges and values in bounds,
    /// children sorted and numbered after their parent (breadth-first), and
    /// the two-character table and the gate agreeing with the nodes. The
    /// embedded tables are checked by a test; reads are checked anyway.
    #[cfg(test)]
    pub(crate) fn check(&self) -> Result<(), FormatError> {
        let n = self.n_nodes() as u32;
        for id in 0..n {
            let node = self.node(id).ok_or(FormatError("node"))?;
            let end = node.first_child as usize + node.child_count as usize;
            if end * 4 > self.child_cps.len() {
                return Err(FormatError("child range out of bounds"));
            }
            if node.meta & HAS_VALUE != 0 {
                let (off, len) = (node.value_offset as usize, (node.meta & 0xFF_FFFF) as usize);
                if self.values.get(off..off + len).is_none() {
                    return Err(FormatError("value out of bounds"));
                }
            }
            let kids: Vec<(u32, u32)> = self.children(node).collect();
            if kids.windows(2).any(|w| w[0].0 >= w[1].0) {
                return Err(FormatError("children not sorted"));
            }
            if kids
                .iter()
                .any(|&(c, k)| k <= id || k >= n || char::from_u32(c).is_none())
            {
                return Err(FormatError("bad child"));
            }
        }
        let root = self.node(0).ok_or(FormatError("root"))?;
        for (c1, n1) in self.children(root) {
            for (c2, n2) in self.children(self.node(n1).ok_or(FormatError("node"))?) {
                let node = self.node(n2).ok_or(FormatError("node"))?;
                let slot = self.pair(c1, c2).ok_or(FormatError("pair missing"))?;
                let resolved = if node.child_count == 0 { 0 } else { n2 };
                if (slot.value_offset, slot.meta) != (node.value_offset, node.meta)
                    || self.pair_node(slot, c1, c2) != resolved
                {
                    return Err(FormatError("pair slot disagrees"));
                }
            }
        }
        if *self.gate != *self.built_gate() {
            return Err(FormatError("stale gate"));
        }
        Ok(())
    }

    /// The gate of this trie, built from its nodes ([`super::gate`]).
    #[cfg(test)]
    fn built_gate(&self) -> Vec<u8> {
        let node = |id| self.node(id).unwrap_or(Node::EMPTY);
        let pairs: Vec<_> = self
            .children(node(0))
            .flat_map(|(c1, n1)| self.children(node(n1)).map(move |(c2, n2)| (c1, c2, n2)))
            .collect();
        let mut bytes = vec![0; gate::gate_len(pairs.len())];
        for (c1, c2, n2) in pairs {
            let n2 = node(n2);
            let c3s = self.children(n2).map(|(c, _)| c);
            gate::add_prefix(&mut bytes, c1, c2, n2.meta & HAS_VALUE != 0, c3s);
        }
        bytes
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
        Gate {
            words: self.gate.as_chunks::<8>().0,
        }
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
        let n = self.n_nodes();
        let mut depth = vec![0u32; n];
        let mut max = 0;
        for id in 0..n {
            let d = depth[id];
            max = max.max(d);
            for (_, child) in self.children(self.node(id as u32).unwrap_or(Node::EMPTY)) {
                match depth.get_mut(child as usize) {
                    Some(slot) if child as usize > id => *slot = d + 1,
                    _ => return usize::MAX,
                }
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
        let Some(pair) = self.pair(c1, c2) else {
            return false;
        };
        let mut at = l1 + l2;
        let mut id = if at < prefix.len() {
            self.pair_node(pair, c1, c2)
        } else {
            return true;
        };
        while at < prefix.len() {
            let Some(node) = self.node(id).filter(|_| id != 0) else {
                return false;
            };
            let (c, l) = decode(&prefix[at..]);
            id = self.child(node, c);
            at += l;
        }
        id != 0
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
        for (cp, id) in self.children(self.node(0).unwrap_or(Node::EMPTY)) {
            let (Some(slot), Some(n)) = (table.get_mut(cp as usize), self.node(id)) else {
                continue;
            };
            let mut e = *slot;
            if n.child_count != 0 {
                e |= first::MULTI;
                for (c2, _) in self.children(n) {
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

    /// The first characters of keys (of every plane), in code point order.
    pub(crate) fn key_starts(&self) -> impl Iterator<Item = u32> + '_ {
        self.children(self.node(0).unwrap_or(Node::EMPTY))
            .map(|(cp, _)| cp)
    }

    /// The BMP code points whose [`first`] entry is not 0: the first
    /// characters of keys and the ideographic description operators.
    pub(crate) fn first_chars(&self) -> impl Iterator<Item = u32> + '_ {
        self.key_starts()
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

    /// Whether some key consists of ASCII only.
    fn ascii_key(&self) -> bool {
        let mut stack = vec![0u32];
        while let Some(id) = stack.pop() {
            let Some(n) = self.node(id) else {
                continue;
            };
            if id != 0 && n.meta & HAS_VALUE != 0 {
                return true;
            }
            // Children are numbered after their parent: the walk ends.
            stack.extend(
                self.children(n)
                    .filter(|&(c, child)| c < 128 && child > id)
                    .map(|(_, child)| child),
            );
        }
        false
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
        let n = self.node(id).filter(|_| id != 0)?;
        if n.meta == 0 && n.child_count == 0 {
            None
        } else {
            Some(n)
        }
    }

    /// The two-character table's slot of prefix `c1 c2`, if some key
    /// begins with it.
    #[inline(always)]
    fn pair(&self, c1: u32, c2: u32) -> Option<PairSlot> {
        let key = pair_key(c1, c2);
        let table = self.pairs.as_chunks::<{ layout::PAIR_SLOT_BYTES }>().0;
        let mut slot = layout::pair_home(key, self.pair_shift);
        // At most one round (a full table, which the writer never makes,
        // ends the search too).
        for _ in 0..table.len() {
            let (k, rest) = table.get(slot)?.split_first_chunk::<8>()?;
            let key_id = u64::from_le_bytes(*k);
            if key_id >> 22 == key {
                let (offset, rest) = rest.split_first_chunk::<4>()?;
                let (meta, _) = rest.split_first_chunk::<4>()?;
                return Some(PairSlot {
                    key_id,
                    value_offset: u32::from_le_bytes(*offset),
                    meta: u32::from_le_bytes(*meta),
                });
            }
            if key_id == PAIR_EMPTY {
                return None;
            }
            slot = (slot + 1) & (table.len() - 1);
        }
        None
    }

    /// The node of the prefix of a [`PairSlot`] if it has children, else 0.
    #[inline(always)]
    fn pair_node(&self, e: PairSlot, c1: u32, c2: u32) -> u32 {
        match e.key_id & PAIR_LOOK_UP {
            PAIR_LOOK_UP => self.root(c1).map_or(0, |n| self.child(n, c2)),
            id => id as u32,
        }
    }

    /// The child of `node` for code point `cp` (0 if none).
    #[inline(always)]
    fn child(&self, node: Node, cp: u32) -> u32 {
        let start = node.first_child as usize;
        let n = node.child_count as usize;
        let Some(cps) = self.child_cps.as_chunks::<4>().0.get(start..start + n) else {
            return 0;
        };
        let found = if n <= 4 {
            cps.iter().position(|&c| u32::from_le_bytes(c) == cp)
        } else {
            cps.binary_search_by(|&c| u32::from_le_bytes(c).cmp(&cp))
                .ok()
        };
        let Some(k) = found else {
            return 0;
        };
        self.child_ids
            .as_chunks::<4>()
            .0
            .get(start + k)
            .map_or(0, |&i| u32::from_le_bytes(i))
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
        let bit = layout::filter_bit(pair_key(c1, c2), self.filter.len());
        if self
            .filter
            .get(bit / 8)
            .is_none_or(|&b| b >> (bit % 8) & 1 == 0)
        {
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
        let pair = self.pair(c1, c2)?;
        let mut at = len1 + len2;
        let (mut best_at, mut best_offset, mut best_meta) = (0, 0, 0);
        let mut best_rank = rank1;
        let rank = (pair.meta >> 24) & 0x7F;
        if pair.meta & HAS_VALUE != 0 && rank <= best_rank {
            (best_at, best_offset, best_meta, best_rank) = (at, pair.value_offset, pair.meta, rank);
        }
        let mut id = if pair.key_id & PAIR_LOOK_UP == 0 || at >= text.len() {
            0
        } else {
            self.pair_node(pair, c1, c2)
        };
        while id != 0 && at < text.len() {
            let Some(node) = self.node(id) else {
                break;
            };
            let (cp, len) = decode(&text[at..]);
            id = self.child(node, cp);
            let Some(n) = self.node(id).filter(|_| id != 0) else {
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
            let Some(n) = self.node(id) else {
                continue;
            };
            if id != 0 && n.meta & HAS_VALUE != 0 {
                let m = self.match_of(n, key.len());
                f(&key, m.value, m.rank);
            }
            for (c, child) in self.children(n) {
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
    fn written_tries_pass_the_full_check() {
        let t = Trie::from_entries([
            ("发展", "發展", 0),
            ("发展中国家", "x", 0),
            ("a", "b", 1),
            ("\u{20000}中", "w", 0),
        ]);
        assert_eq!(t.check(), Ok(()));
        assert!(t.has_prefix("发展中".as_bytes()));
        assert!(!t.has_prefix("发展中国人".as_bytes()));
        assert_eq!(t.max_key_chars(), 5);
    }

    #[test]
    fn damaged_tables_never_panic() {
        let (bytes, values) = layout::write([("发展", "發展", 0), ("中国人民", "y", 0)], 1);
        let text = "发展中国人民发展".as_bytes();
        // Flip every byte in turn (header words past the version too):
        // loading may refuse, lookups may answer wrongly, but nothing
        // panics or loops.
        for i in 8..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0xA5;
            let Ok(t) = Trie::from_parts(&b, Cow::Owned(values.clone()), layout::VERSION, |r| {
                Cow::Owned(b[r].to_vec())
            }) else {
                continue;
            };
            for at in 0..text.len() {
                if let Some(rest) = text.get(at..).filter(|r| r[0] & 0xC0 != 0x80) {
                    let _ = t.longest(rest);
                    let _ = t.has_prefix(rest);
                }
            }
            let _ = t.max_key_chars();
            let _ = t.check();
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
        /// Any user dictionary is written into a trie that passes the full
        /// check, and every key is found where the text begins with it:
        /// either itself (a key's first entry wins) or a longer key.
        #[test]
        fn written_tries_are_consistent(
            entries in proptest::collection::vec(
                ("[ab发展中国\u{20000}é]{1,5}", "[xy發展]{0,3}", 0u8..3),
                1..40,
            )
        ) {
            let t = Trie::from_entries(entries.iter().map(|(k, v, r)| (k.as_str(), v.as_str(), *r)));
            proptest::prop_assert_eq!(t.check(), Ok(()));
            for (key, _, _) in &entries {
                let m = t.longest(key.as_bytes());
                proptest::prop_assert!(m.is_some(), "{} not found", key);
                let first = entries.iter().find(|e| &e.0 == key).map(|e| (e.1.as_str(), e.2));
                let m = m.unwrap();
                if m.len == key.len() {
                    proptest::prop_assert_eq!(Some((m.value, m.rank)), first);
                }
            }
        }
    }

    #[test]
    fn rejects_garbage() {
        assert!(Trie::from_bytes(b"nope", "", 2).is_err());
        assert!(Trie::from_bytes(b"ZHCT\x02\0\0\0", "", 2).is_err());
    }
}
