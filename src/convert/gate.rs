//! The gate of a trie: a Bloom-style filter, over the UTF-8 bytes of the
//! text, of the places where a key of two or more characters can match.
//!
//! It is an array of 64-bit words. Every two-character prefix of a key
//! picks one word by a hash of its bytes; in that word it sets one bit if
//! it is a key itself (by more bits of the same hash), and one bit for each
//! character that follows it in a longer key (by a hash of the first three
//! characters' bytes). A position of the text whose two bits in its word
//! are both clear begins no key longer than one character, so a pass can
//! output that character's own value without walking the trie; that takes
//! one load. A set bit may lie, and then the walk decides. In Chinese text
//! converted with `s2t` about 7 % of positions begin such a key, and about
//! 12 % pass the gate (11 % with two independent bits, which cost two
//! loads).
//!
//! This file is also compiled into `xtask` (with `#[path]`), whose writer
//! (`super::layout`) stores the gate with each embedded table, read in place
//! at load; a test checks that the stored gates are the ones built here.

/// Bytes of the gate of a trie with `pairs` distinct two-character
/// prefixes: about 32 bits per prefix, a power of two from 1 KiB to
/// 256 KiB (2^15 words).
pub(crate) fn gate_len(pairs: usize) -> usize {
    (pairs * 32).next_power_of_two().clamp(1 << 13, 1 << 21) / 8
}

/// The word of a two-character prefix whose UTF-8 bytes are `w`, read as a
/// little-endian number, in a gate of `words` words (a power of two, at
/// most 2^15), and the bit in it that says the prefix is a key. (Constant
/// shifts and a mask: cheaper in a hot loop than a shift by a variable.)
#[inline(always)]
pub(crate) fn word2(w: u64, words: usize) -> (usize, u32) {
    let h = w.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    ((h >> 49) as usize & (words - 1), (h >> 43) as u32 & 63)
}

/// The bit, in the word of its first two characters, of a three-character
/// prefix whose UTF-8 bytes are `lo` (the first eight, little-endian) and
/// `hi` (the rest).
#[inline(always)]
pub(crate) fn bit3(lo: u64, hi: u64) -> u32 {
    ((lo.wrapping_mul(0xD6E8_FEB8_6659_FD93) ^ hi).wrapping_mul(0xFF51_AFD7_ED55_8CCD) >> 58) as u32
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
    let (w1, len1) = utf8_bits(c1);
    let (w2, len2) = utf8_bits(c2);
    let two = w1 | w2 << (8 * len1);
    let (word, bit2) = word2(two as u64, gate.len() / 8);
    let mut bits = 0u64;
    if is_key {
        bits |= 1 << bit2;
    }
    for c3 in c3s {
        let three = two | utf8_bits(c3).0 << (8 * (len1 + len2));
        bits |= 1 << bit3(three as u64, (three >> 64) as u64);
    }
    if let Some(bytes) = gate.get_mut(word * 8..word * 8 + 8) {
        for (byte, b) in bytes.iter_mut().zip(bits.to_le_bytes()) {
            *byte |= b;
        }
    }
}
