//! The gate of a trie: a Bloom-style filter, over the UTF-8 bytes of the
//! text, of the places where a key of two or more characters can match.
//!
//! It holds one bit for every key of exactly two characters and one for the
//! first three characters of every longer key, set by two hash functions
//! over the bytes of those prefixes. A position of the text whose two bits
//! are both clear begins no key longer than one character, so a pass can
//! output that character's own value without walking the trie; a set bit
//! may lie (about 2 % each at the largest size), and then the walk decides.
//! In Chinese text converted with `s2t` about 7 % of positions begin such a
//! key, and about 11 % pass the gate.
//!
//! This file is also compiled into `xtask` (with `#[path]`), which stores the
//! gates of the embedded tables next to them, so that loading a table only
//! copies its gate into words; a test checks that the stored gates are the
//! ones built here.

/// Bytes of the gate of a trie with `pairs` distinct two-character
/// prefixes: about 32 bits per prefix, a power of two from 128 bytes to
/// 256 KiB.
pub(crate) fn gate_len(pairs: usize) -> usize {
    (pairs * 32).next_power_of_two().clamp(1 << 10, 1 << 21) / 8
}

/// The shift that turns a 64-bit hash into a bit number of a gate of `len`
/// bytes (a power of two).
pub(crate) fn gate_shift(len: usize) -> u32 {
    64 - (len * 8).trailing_zeros()
}

/// The bit of a two-character prefix whose UTF-8 bytes are `w`, read as a
/// little-endian number.
#[inline(always)]
pub(crate) fn bit2(w: u64, shift: u32) -> usize {
    (w.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> shift) as usize
}

/// The bit of a three-character prefix whose UTF-8 bytes are `lo` (the
/// first eight, little-endian) and `hi` (the rest).
#[inline(always)]
pub(crate) fn bit3(lo: u64, hi: u64, shift: u32) -> usize {
    let h = (lo.wrapping_mul(0xD6E8_FEB8_6659_FD93) ^ hi).wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    (h >> shift) as usize
}

/// The UTF-8 bytes of code point `cp` as a little-endian number, and their
/// count (U+FFFD's for a value that is no character).
pub(crate) fn utf8_bits(cp: u32) -> (u128, usize) {
    if (0x800..0x1_0000).contains(&cp) && !(0xD800..0xE000).contains(&cp) {
        let w = (0xE0 | cp >> 12) | (0x80 | (cp >> 6 & 0x3F)) << 8 | (0x80 | (cp & 0x3F)) << 16;
        return (u128::from(w), 3);
    }
    let mut buf = [0u8; 16];
    let len = char::from_u32(cp)
        .unwrap_or('\u{fffd}')
        .encode_utf8(&mut buf)
        .len();
    (u128::from_le_bytes(buf), len)
}

/// Sets in `gate` the bits of the prefix `c1 c2`: its own if it is a key
/// (`is_key`), and those of its extensions by each character of `c3s`.
pub(crate) fn add_prefix(
    gate: &mut [u8],
    c1: u32,
    c2: u32,
    is_key: bool,
    c3s: impl IntoIterator<Item = u32>,
) {
    let shift = gate_shift(gate.len());
    let mut set = |bit: usize| {
        if let Some(byte) = gate.get_mut(bit >> 3) {
            *byte |= 1 << (bit & 7);
        }
    };
    let (w1, len1) = utf8_bits(c1);
    let (w2, len2) = utf8_bits(c2);
    let two = w1 | w2 << (8 * len1);
    if is_key {
        set(bit2(two as u64, shift));
    }
    for c3 in c3s {
        let three = two | utf8_bits(c3).0 << (8 * (len1 + len2));
        set(bit3(three as u64, (three >> 64) as u64, shift));
    }
}
