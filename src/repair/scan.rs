//! The fast path: a byte scan that finds nothing suspicious in clean text.
//!
//! It looks for the fingerprints of the damage the stage handles, and nothing
//! else:
//!
//! * Latin-1 letters and C1 controls (`Ã`, `æ`, U+0081: UTF-8 or GBK bytes
//!   read with windows-1252 or latin-1), other two-byte letters (`Р`, `Ă`:
//!   other code pages) and math symbols (`√`: Mac OS Roman),
//! * private-use characters, U+FFFD, half-width katakana and `€` (common in
//!   GBK, Big5 and Shift_JIS readings of UTF-8),
//! * the hanzi that a GBK, Big5 or Shift_JIS decoder makes of a UTF-8 lead
//!   byte followed by a continuation byte (lead 0xE2..=0xE9 or 0xEF, trail
//!   0x80..=0xBF; `鈥` for `“`, `锛` for `，`, `涓` for `中`): every wrong
//!   decode of two or more UTF-8 hanzi or Chinese punctuation contains one,
//!   and they are rare in clean text (GB2312 level 2, GBK/Big5 extensions;
//!   Traditional characters of ordinary frequency are left out),
//! * `锟`, `烫`, `屯` (flagged damage), and `(` when the pinyin rule is on.

use std::sync::OnceLock;

use super::codec::Codec;
use super::tables::{hanzi_cost, trad_pinyin};

const SET_START: u32 = 0x3400;
const SET_END: u32 = 0xA000;

fn suspect_hanzi() -> &'static [u64] {
    static SET: OnceLock<Vec<u64>> = OnceLock::new();
    SET.get_or_init(|| {
        let mut bits = vec![0u64; ((SET_END - SET_START) as usize).div_ceil(64)];
        let trad = trad_pinyin();
        let costs = hanzi_cost();
        let mut set = |c: char, gbk: bool| {
            let cp = c as u32;
            // Common characters stay out so that clean text stays on the
            // fast path: Traditional ones that GBK puts in these rows, and
            // any that Big5 or Shift_JIS put there (网, 站 are JIS level 2).
            let cost = costs.get(c).unwrap_or(u8::MAX);
            if (trad.contains_key(&c) && cost <= 13) || (!gbk && cost < 15) {
                return;
            }
            if (SET_START..SET_END).contains(&cp) {
                let i = (cp - SET_START) as usize;
                bits[i / 64] |= 1 << (i % 64);
            }
        };
        let mut buf = Vec::new();
        for (enc, codec) in [
            (encoding_rs::GBK, Codec::Gbk),
            (encoding_rs::BIG5, Codec::Big5),
            (encoding_rs::SHIFT_JIS, Codec::ShiftJis),
        ] {
            for lead in (0xE2u8..=0xE9).chain([0xEF]) {
                for trail in 0x80u8..=0xBF {
                    buf.clear();
                    buf.extend_from_slice(&[lead, trail]);
                    if let Some(s) = enc.decode_without_bom_handling_and_without_replacement(&buf) {
                        if let Some(c) = s.chars().next() {
                            set(c, codec == Codec::Gbk);
                        }
                    }
                }
            }
        }
        for c in ['锟', '烫', '屯'] {
            set(c, true);
        }
        bits
    })
}

/// For each three-byte UTF-8 sequence `E? yy zz`: a bit mask over `zz & 0x3F`,
/// indexed by `(E? & 0x0F) << 6 | (yy & 0x3F)`. A set bit marks a suspicious
/// character: a suspect hanzi, `€`, a private-use character, U+FFFD or
/// half-width katakana.
fn three_byte_masks() -> &'static [u64; 1024] {
    static MASKS: OnceLock<Box<[u64; 1024]>> = OnceLock::new();
    MASKS.get_or_init(|| {
        let set = suspect_hanzi();
        let mut m = Box::new([0u64; 1024]);
        for cp in 0x800u32..0x10000 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let suspicious = match cp {
                0x20AC | 0xE000..=0xF8FF | 0xFFFD | 0xFF61..=0xFF9F => true,
                // What Mac OS Roman makes of UTF-8 lead bytes: `√`, `‚`, `◊`.
                0x2200..=0x22FF | 0x201A | 0x25CA | 0xFB01 | 0xFB02 => true,
                SET_START..SET_END => {
                    let k = (cp - SET_START) as usize;
                    set[k / 64] >> (k % 64) & 1 == 1
                }
                _ => false,
            };
            if suspicious {
                let mut buf = [0u8; 4];
                let e = c.encode_utf8(&mut buf).as_bytes();
                let idx = (usize::from(e[0] & 0x0F) << 6) | usize::from(e[1] & 0x3F);
                m[idx] |= 1 << (e[2] & 0x3F);
            }
        }
        m
    })
}

/// What a scan found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Findings {
    /// A fingerprint of mojibake or destroyed text.
    pub mojibake: bool,
    /// An ASCII `(` (a pinyin annotation may follow).
    pub paren: bool,
}

/// Whether `text` holds anything the slow path should look at (with
/// `pinyin`, an ASCII `(` counts too).
pub(crate) fn is_suspicious(text: &str, pinyin: bool) -> bool {
    next_suspicious(text, 0).is_some()
        || (pinyin && memchr::memchr(b'(', text.as_bytes()).is_some())
}

/// Byte offsets of the first suspicious characters of `text`; `false` if
/// there are more than `limit`.
pub(crate) fn suspicious_positions(text: &str, limit: usize, out: &mut Vec<usize>) -> bool {
    let mut from = 0;
    while let Some(p) = next_suspicious(text, from) {
        if out.len() == limit {
            return false;
        }
        out.push(p);
        from = p + text[p..].chars().next().map_or(1, char::len_utf8);
    }
    true
}

/// Byte offset of the first suspicious character at or after `from` (a
/// character boundary): C1 controls, letters from U+00C0 to U+07FF, and the
/// three-byte characters marked in [`three_byte_masks`].
pub(crate) fn next_suspicious(text: &str, from: usize) -> Option<usize> {
    let masks = three_byte_masks();
    let b = text.as_bytes();
    let n = b.len();
    let mut i = from;
    // The common case, three-byte characters with room for their bytes,
    // without bounds checks.
    while i + 2 < n {
        let x = b[i];
        if x & 0xF0 == 0xE0 {
            let (y, z) = (b[i + 1], b[i + 2]);
            let idx = (usize::from(x & 0x0F) << 6) | usize::from(y & 0x3F);
            if masks[idx] >> (z & 0x3F) & 1 == 1 {
                return Some(i);
            }
            i += 3;
        } else if x < 0x80 {
            i += 1;
        } else if x == 0xC2 {
            if b[i + 1] < 0xA0 {
                return Some(i);
            }
            i += 2;
        } else if x < 0xE0 {
            return Some(i);
        } else {
            i += 4;
        }
    }
    // The last two bytes.
    while i < n {
        let x = b[i];
        if (0xE0..0xF0).contains(&x) {
            // `text` is UTF-8: a three-byte lead has its two bytes.
            let (Some(&y), Some(&z)) = (b.get(i + 1), b.get(i + 2)) else {
                return None;
            };
            let idx = ((usize::from(x & 0x0F) << 6) | usize::from(y & 0x3F)) & 1023;
            if masks[idx] >> (z & 0x3F) & 1 == 1 {
                return Some(i);
            }
            i += 3;
            continue;
        }
        if x < 0x80 {
            i += 1;
            continue;
        }
        match x {
            // C1 controls U+0080..=U+009F.
            0xC2 => {
                if b.get(i + 1).is_some_and(|&y| y < 0xA0) {
                    return Some(i);
                }
                i += 2;
            }
            // Latin-1 letters U+00C0..=U+00FF, and the letters other code
            // pages make of UTF-8 (`Р`, `Ă`, `Î`): Latin Extended, Greek,
            // Cyrillic, ... Chinese text rarely holds them (pinyin does).
            0xC3..=0xDF => return Some(i),
            _ => i += 4,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_chinese_is_not_suspicious() {
        assert!(!is_suspicious(
            "在美国人的心目中，华尔街是一个依靠贸易的象征。",
            true
        ));
        assert!(!is_suspicious(
            "該小鎮位於布萊克伍德河流入弗林德斯灣的河口旁。",
            true
        ));
        assert!(!is_suspicious(
            "古斯塔夫·克林姆，1988年11月15日（星期二）",
            false
        ));
    }

    #[test]
    fn mojibake_is_suspicious() {
        assert!(is_suspicious("涓枃", false));
        assert!(is_suspicious("ä¸\u{AD}æ–‡", false));
        assert!(is_suspicious("ÖÐÎÄ", false));
        assert!(is_suspicious("abc\u{FFFD}", false));
        assert!(is_suspicious("發(fā)展", true));
    }
}
