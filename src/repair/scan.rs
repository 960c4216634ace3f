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

use super::codec::{Codec, Unit};
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

/// Entries of [`three_byte_masks`].
const MASKS_LEN: usize = 0x2000;

/// The index in [`three_byte_masks`] of the sequence that starts with bytes
/// `x` and `y`: `(x & 0x1F) << 8 | (y & 0x3F)`, which is
/// `u16::from_be_bytes([x, y]) & 0x1F3F`.
#[inline(always)]
fn mask_index(x: u8, y: u8) -> usize {
    usize::from(u16::from_be_bytes([x, y]) & 0x1F3F)
}

/// For each three-byte UTF-8 sequence `E? yy zz`: a bit mask over `zz & 0x3F`,
/// at [`mask_index`]`(E?, yy)`. A set bit marks a suspicious character: a
/// suspect hanzi, `€`, a private-use character, U+FFFD or half-width
/// katakana. The masks of a four-byte lead `F? yy` in place of `E?` have
/// every bit set, so that [`next_suspicious`]'s eight-character step stops
/// at it; the entries between rows (`yy & 0x3F` only goes to 63) are unused.
fn three_byte_masks() -> &'static [u64; MASKS_LEN] {
    static MASKS: OnceLock<Box<[u64; MASKS_LEN]>> = OnceLock::new();
    MASKS.get_or_init(|| {
        let set = suspect_hanzi();
        let mut m = Box::new([0u64; MASKS_LEN]);
        for x in 0xF0..=0xFF {
            for y in 0x80..=0xBF {
                m[mask_index(x, y)] = u64::MAX;
            }
        }
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
                m[mask_index(e[0], e[1])] |= 1 << (e[2] & 0x3F);
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

#[cfg(test)]
/// Whether `text` holds anything the slow path should look at (with
/// `pinyin`, an ASCII `(` counts too).
pub(crate) fn is_suspicious(text: &str, pinyin: bool) -> bool {
    next_suspicious(text, 0).is_some()
        || (pinyin && memchr::memchr(b'(', text.as_bytes()).is_some())
}

/// Writes the byte offsets of the suspicious characters of `text` to `out`
/// and returns how many there are; `None` if there are more than `out`
/// holds.
pub(crate) fn suspicious_positions(text: &str, out: &mut [usize]) -> Option<usize> {
    let mut from = 0;
    let mut n = 0;
    while let Some(p) = next_suspicious(text, from) {
        *out.get_mut(n)? = p;
        n += 1;
        from = p + text[p..].chars().next().map_or(1, char::len_utf8);
    }
    Some(n)
}

/// Three-byte characters the fast loop of [`next_suspicious`] looks at per
/// step.
const LANES: usize = 8;

/// Byte offset of the first suspicious character at or after `from` (a
/// character boundary): C1 controls, letters from U+00C0 to U+07FF, and the
/// three-byte characters marked in [`three_byte_masks`].
///
/// Chinese text is mostly three-byte characters: runs of them are checked
/// [`LANES`] at a time, without a branch per character (in valid UTF-8 a
/// lead byte `E?` is followed by its two continuation bytes, so eight leads
/// at a stride of three mean eight whole characters); ASCII runs are skipped
/// eight bytes at a time. The cost per byte does not depend on the length.
pub(crate) fn next_suspicious(text: &str, from: usize) -> Option<usize> {
    let masks = three_byte_masks();
    let b = text.as_bytes();
    let mut i = from;
    loop {
        while let Some(c) = b.get(i..).and_then(<[u8]>::first_chunk::<{ 3 * LANES }>) {
            let mut all = 0xFFu8;
            for k in 0..LANES {
                all &= c[3 * k];
            }
            // Every lead is `111xxxxx`: `1110xxxx` or, caught by the masks,
            // `1111xxxx`.
            if all & 0xE0 != 0xE0 {
                break;
            }
            // Bit 0 of `hit` is set if a lane is suspicious (or a four-byte
            // lead); the loop below finds which.
            let mut hit = 0u64;
            for k in 0..LANES {
                let (x, y, z) = (c[3 * k], c[3 * k + 1], c[3 * k + 2]);
                hit |= masks[mask_index(x, y)] >> (z & 0x3F);
            }
            if hit & 1 != 0 {
                break;
            }
            i += 3 * LANES;
        }
        // One character at a time, up to and including the next one that is
        // not three bytes long.
        loop {
            let x = *b.get(i)?;
            if x & 0xF0 == 0xE0 {
                // `text` is UTF-8: a three-byte lead has its two bytes.
                let &[_, y, z] = b.get(i..)?.first_chunk::<3>()?;
                if masks[mask_index(x, y)] >> (z & 0x3F) & 1 == 1 {
                    return Some(i);
                }
                i += 3;
                continue;
            }
            match x {
                0x00..=0x7F => i = skip_ascii(b, i + 1),
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
                0x80..=0xDF => return Some(i),
                _ => i += 4,
            }
            break;
        }
    }
}

/// The end of the run of ASCII bytes starting at `i`.
#[inline]
fn skip_ascii(b: &[u8], mut i: usize) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(w) = b.get(i..).and_then(<[u8]>::first_chunk::<8>) {
        let high = u64::from_le_bytes(*w) & HIGH;
        if high != 0 {
            return i + (high.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while b.get(i).is_some_and(|&x| x < 0x80) {
        i += 1;
    }
    i
}

/// Byte offset of the first *trace* of damage at or after `from` (a
/// character boundary): a suspicious character ([`next_suspicious`]) other
/// than a suspect hanzi, or a suspect hanzi that one of the CJK `codecs` may
/// have made of UTF-8 ([`may_be_misread_utf8`]). A suspect hanzi that no
/// wrong decode can have produced where it stands is clean text (`逾期`,
/// `閱覽`), and its line need not be searched.
pub(crate) fn next_trace(text: &str, mut from: usize, codecs: &[Codec]) -> Option<usize> {
    loop {
        let p = next_suspicious(text, from)?;
        let c = text[p..].chars().next()?;
        let hanzi = (SET_START..SET_END).contains(&(c as u32)) && !FLAGGED.contains(&c);
        if !hanzi {
            return Some(p);
        }
        let around = Around::new(text, p);
        if codecs
            .iter()
            .any(|&x| !x.is_single_byte() && may_be_misread_utf8(&around, x))
        {
            return Some(p);
        }
        from = p + c.len_utf8();
    }
}

/// The hanzi of flagged damage (`锟斤拷`, `烫烫烫`, `屯屯屯`): always traces.
const FLAGGED: [char; 3] = ['锟', '烫', '屯'];

/// Characters looked at before a suspect hanzi by [`may_be_misread_utf8`].
const BACK_CHARS: usize = 8;
/// Units looked at after it.
const AHEAD_UNITS: usize = 24;
/// Units of the window: two per character before, the hanzi's, those after
/// (the last character may pass the limit by two).
const WINDOW: usize = 2 * BACK_CHARS + 2 + AHEAD_UNITS + 2;

/// A suspect hanzi and the characters around it on its line (a U+FFFD, `?`
/// or `€` kept as `None`).
struct Around {
    /// The characters before it, nearest first: up to one more than the
    /// window holds.
    back: [Option<char>; BACK_CHARS + 1],
    nback: usize,
    hanzi: char,
    /// The characters after it, up to the end of the line: one more than
    /// the window can hold (each has a unit at least).
    ahead: [Option<char>; AHEAD_UNITS + 1],
    nahead: usize,
    /// Whether the line goes on after `ahead`.
    more_text: bool,
}

impl Around {
    fn new(text: &str, p: usize) -> Around {
        let keep = |c: char| (!matches!(c, '\u{FFFD}' | '?' | '€')).then_some(c);
        let mut a = Around {
            back: [None; BACK_CHARS + 1],
            nback: 0,
            hanzi: '\0',
            ahead: [None; AHEAD_UNITS + 1],
            nahead: 0,
            more_text: false,
        };
        for c in text[..p].chars().rev().take(BACK_CHARS + 1) {
            if c == '\n' {
                break;
            }
            a.back[a.nback] = keep(c);
            a.nback += 1;
        }
        let mut it = text[p..].chars();
        a.hanzi = it.next().unwrap_or('\0');
        for c in it {
            if a.nahead == AHEAD_UNITS + 1 {
                a.more_text = true;
                break;
            }
            a.ahead[a.nahead] = keep(c);
            a.nahead += 1;
            if c == '\n' {
                break;
            }
        }
        a
    }
}

/// Whether the suspect hanzi of `around` may belong to UTF-8 that `codec`
/// misread, judged by the characters around it on its line: whether the
/// bytes `codec` decoded them from read as UTF-8 from a character boundary
/// through the hanzi, or up to it, or from its end, holding two multi-byte
/// sequences or more (what a repair of a fragment needs), or one that makes
/// up the whole line. (A wrong decoder that dropped bytes after the hanzi
/// leaves damage on one side of it only, hence "up to" and "from its end".)
///
/// Errs on the side of `true`: a U+FFFD, `?` or `€` nearby (lost bytes, or
/// bytes GBK decoders disagree on), or a reading that runs past either end
/// of the window, counts as possible.
fn may_be_misread_utf8(around: &Around, codec: Codec) -> bool {
    let codec = codec.encoder();
    let Some((u, n)) = codec.units(around.hanzi) else {
        return false;
    };
    let mut units = [0 as Unit; WINDOW];
    // Whether a unit index is a character boundary.
    let mut boundary = [false; WINDOW + 1];
    let mut len = 0;
    // The characters before, back to the start of the line or of the wrong
    // decoder's run, or as many as the window holds (`cut`).
    let mut back = [([0 as Unit; 2], 0); BACK_CHARS];
    let (mut nback, mut cut, mut line_start) = (0, false, true);
    for &c in &around.back[..around.nback] {
        let Some(c) = c else { return true };
        let Some(u) = codec.units(c) else {
            line_start = false;
            break;
        };
        if nback == BACK_CHARS {
            (cut, line_start) = (true, false);
            break;
        }
        back[nback] = u;
        nback += 1;
    }
    for &(u, n) in back[..nback].iter().rev() {
        boundary[len] = true;
        units[len..len + 2].copy_from_slice(&u);
        len += n;
    }
    let (c_start, c_end) = (len, len + n);
    boundary[len] = true;
    units[len..len + 2].copy_from_slice(&u);
    len += n;
    // The characters after, up to the end of the line or of the run, or as
    // many as the window holds (`more`).
    let (mut more, mut line_end) = (around.more_text, !around.more_text);
    for &c in &around.ahead[..around.nahead] {
        let Some(c) = c else { return true };
        boundary[len] = true;
        let Some((u, n)) = codec.units(c) else {
            (more, line_end) = (false, false);
            break;
        };
        if len >= c_end + AHEAD_UNITS {
            (more, line_end) = (true, false);
            break;
        }
        units[len..len + 2].copy_from_slice(&u);
        len += n;
    }
    boundary[len] = true;
    let units = &units[..len];
    let boundary = &boundary[..=len];
    let possible = |r: &Reading, whole: bool| {
        r.multi >= 2
            || (r.open && more)
            || (whole && r.multi == 1 && r.last >= c_end && r.at_end && line_end)
    };
    // Through the hanzi or up to it.
    for s in (0..=c_start).filter(|&s| boundary[s]) {
        // (A reading that cannot start stops short of the hanzi.)
        if s < c_start && units[s] >= 0x80 && super::mojibake::seq_len(units[s]) == 0 {
            continue;
        }
        let r = read_utf8(units, boundary, s);
        if r.last >= c_start && (possible(&r, s == 0 && line_start) || (s == 0 && cut)) {
            return true;
        }
    }
    // From its end.
    possible(&read_utf8(units, boundary, c_end), false)
}

/// What reading units as UTF-8 from a character boundary found.
struct Reading {
    /// The last character boundary reached.
    last: usize,
    /// Multi-byte sequences read up to it.
    multi: usize,
    /// Whether `last` is the end of the units.
    at_end: bool,
    /// Whether the reading ran into the end of the units (the last sequence
    /// may be cut short there).
    open: bool,
}

/// Reads `units` as UTF-8 from `s` until a byte cannot be what UTF-8 holds
/// there or the units end.
fn read_utf8(units: &[Unit], boundary: &[bool], s: usize) -> Reading {
    use super::mojibake::{is_cont, second_ok, seq_len, two_byte_ok};
    let mut r = Reading {
        last: s,
        multi: 0,
        at_end: false,
        open: false,
    };
    let (mut i, mut multi) = (s, 0);
    loop {
        if boundary[i] {
            (r.last, r.multi, r.at_end) = (i, multi, i == units.len());
        }
        let Some(&lead) = units.get(i) else {
            r.open = true;
            return r;
        };
        if lead < 0x80 {
            i += 1;
            continue;
        }
        let n = seq_len(lead);
        if n == 0 {
            return r;
        }
        let Some(rest) = units.get(i + 1..i + n) else {
            r.open = true;
            return r;
        };
        if !rest.iter().all(|&v| is_cont(v)) || !second_ok(lead, rest[0]) {
            return r;
        }
        // Only characters of the wrong decoders' own repertoire have two
        // bytes (as in `mojibake`'s scan of a CJK reading).
        if n == 2 {
            let cp = (u32::from(lead & 0x1F) << 6) | u32::from(rest[0] & 0x3F);
            if !char::from_u32(cp).is_some_and(two_byte_ok) {
                return r;
            }
        }
        multi += 1;
        i += n;
    }
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

    /// The definition [`next_suspicious`] implements, a character at a time.
    fn next_suspicious_slow(text: &str, from: usize) -> Option<usize> {
        let masks = three_byte_masks();
        text[from..]
            .char_indices()
            .map(|(i, c)| (from + i, c))
            .find_map(|(i, c)| {
                let b = &text.as_bytes()[i..];
                let hit = match c.len_utf8() {
                    2 => b[0] != 0xC2 || b[1] < 0xA0,
                    3 => masks[mask_index(b[0], b[1])] >> (b[2] & 0x3F) & 1 == 1,
                    _ => false,
                };
                hit.then_some(i)
            })
    }

    #[test]
    fn fast_scan_finds_what_a_char_by_char_scan_finds() {
        // Runs of hanzi of every length around each kind of character, at
        // every offset.
        let fillers = [
            "", "a", "ab\n", "é", "·", "\u{85}", "😀", "，", "涓", "€", "中文",
        ];
        for run in 0..20 {
            for f in fillers {
                for g in fillers {
                    let text = format!("{f}{}{g}{}{f}", "中".repeat(run), "華".repeat(run % 9));
                    let mut from = 0;
                    loop {
                        let want = next_suspicious_slow(&text, from);
                        assert_eq!(next_suspicious(&text, from), want, "{text:?} from {from}");
                        match want {
                            Some(p) => {
                                from = p + text[p..].chars().next().map_or(1, char::len_utf8)
                            }
                            None => break,
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn clean_suspect_hanzi_are_no_trace() {
        let all = Codec::ALL;
        // `逾` (Shift_JIS E7 A5) and `閱` (GBK E9 86) in clean text.
        for s in ["其期限不得逾三個月。", "內容請參閱相關圖表", "已逾退休限齡"]
        {
            assert!(next_suspicious(s, 0).is_some(), "{s}");
            assert_eq!(next_trace(s, 0, &all), None, "{s}");
        }
        // The same hanzi as the trace of a wrong decode: `闆朵笁骞` is 零三年
        // read as GBK, its last byte dropped (`骞` is E5 B9).
        for s in [
            "一百闆朵笁骞一月",
            "褰撳墠浣嶇疆",
            "鏄?啋闄╂父鎴忕殑",
            "应鎻闇蹭笅列",
        ] {
            assert!(next_trace(s, 0, &all).is_some(), "{s}");
        }
        // Only CJK codecs read hanzi.
        assert_eq!(next_trace("涓枃", 0, &[Codec::Windows1252]), None);
        // Other suspicious characters are always traces.
        assert_eq!(next_trace("abc\u{85}", 0, &[]), Some(3));
    }
}
