//! The wrong decoders that make mojibake, run backwards.
//!
//! Repairing `涓枃` means finding the bytes a wrong decoder (here GBK) turned
//! into those characters, then decoding the bytes correctly (here as UTF-8).
//! This module holds the first half: for each [`Codec`], a table from a
//! character back to the bytes it was decoded from. The tables are built once
//! from encoding_rs's decoders (decoding every byte pair), so they agree with
//! the WHATWG decoders that browsers use; the few characters that other
//! decoders (Windows, Python) produce for the same bytes are added by hand or,
//! for GB18030-2000's private-use mappings, from `data/repair/`.

use std::sync::OnceLock;

/// See `data/repair/README.md`.
const GB18030_2000_PUA: &str = include_str!("../../data/repair/gb18030_2000_pua.txt");
/// See `data/repair/README.md`.
const CP437: &str = include_str!("../../data/repair/cp437.txt");

/// A unit of a re-encoded stream: a byte (`0..=255`) or a hole (lost bytes).
pub(crate) type Unit = u16;

/// Exactly one byte was lost here (the decoder emitted U+FFFD for one byte).
pub(crate) const HOLE_1: Unit = 0x100;
/// One or two bytes were lost here.
pub(crate) const HOLE_12: Unit = 0x101;
/// Exactly two bytes were lost here (a CP936 `?` that ate the next byte).
pub(crate) const HOLE_2: Unit = 0x102;

/// Whether a unit is a hole.
#[inline]
pub(crate) fn is_hole(u: Unit) -> bool {
    u >= HOLE_1
}

/// The least and the most bytes a unit stands for.
#[inline]
pub(crate) fn unit_bytes(u: Unit) -> (usize, usize) {
    match u {
        HOLE_1 => (1, 1),
        HOLE_12 => (1, 2),
        HOLE_2 => (2, 2),
        _ => (1, 1),
    }
}

/// A wrong decoder whose output the repair stage can undo.
///
/// Each names the decoder that was *wrongly* applied to bytes in another
/// encoding (UTF-8, or for [`Codec::Windows1252`] also GBK and Big5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
#[non_exhaustive]
pub enum Codec {
    /// Windows-1252 or ISO-8859-1 (latin-1). The bytes windows-1252 leaves
    /// undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) are taken back from the C1
    /// controls that Windows and browsers keep for them, so one table serves
    /// both code pages.
    Windows1252,
    /// GBK and GB18030 as browsers decode them (WHATWG), including Windows
    /// CP936, whose `?` for an invalid pair swallowed the next byte.
    Gbk,
    /// Big5 (WHATWG, a superset of CP950).
    Big5,
    /// Shift_JIS (WHATWG; also the private-use characters CP932 gives to
    /// 0xA0 and 0xFD..=0xFF).
    ShiftJis,
    /// Windows-1250 (Central European), undefined bytes as C1 controls.
    Windows1250,
    /// Windows-1251 (Cyrillic), undefined bytes as C1 controls.
    Windows1251,
    /// Windows-1253 (Greek), undefined bytes as C1 controls.
    Windows1253,
    /// Windows-1257 (Baltic), undefined bytes as C1 controls.
    Windows1257,
    /// ISO-8859-2 (Latin-2).
    Iso8859_2,
    /// Mac OS Roman.
    MacRoman,
    /// IBM PC code page 437, as DOS and Windows consoles decode (`╨┐` for
    /// `п`, `─î` for `Č`).
    Cp437,
}

impl Codec {
    /// All codecs.
    pub const ALL: [Codec; 11] = [
        Codec::Windows1252,
        Codec::Gbk,
        Codec::Big5,
        Codec::ShiftJis,
        Codec::Windows1250,
        Codec::Windows1251,
        Codec::Windows1253,
        Codec::Windows1257,
        Codec::Iso8859_2,
        Codec::MacRoman,
        Codec::Cp437,
    ];

    /// Whether the codec is a single-byte code page.
    pub fn is_single_byte(self) -> bool {
        !matches!(self, Codec::Gbk | Codec::Big5 | Codec::ShiftJis)
    }

    /// The encoding_rs decoder of a single-byte code page other than
    /// windows-1252.
    fn single_byte_encoding(self) -> Option<&'static encoding_rs::Encoding> {
        Some(match self {
            Codec::Windows1250 => encoding_rs::WINDOWS_1250,
            Codec::Windows1251 => encoding_rs::WINDOWS_1251,
            Codec::Windows1253 => encoding_rs::WINDOWS_1253,
            Codec::Windows1257 => encoding_rs::WINDOWS_1257,
            Codec::Iso8859_2 => encoding_rs::ISO_8859_2,
            Codec::MacRoman => encoding_rs::MACINTOSH,
            _ => return None,
        })
    }

    /// The codec's name as used in reports.
    pub fn name(self) -> &'static str {
        match self {
            Codec::Windows1252 => "windows-1252",
            Codec::Gbk => "gbk",
            Codec::Big5 => "big5",
            Codec::ShiftJis => "shift_jis",
            Codec::Windows1250 => "windows-1250",
            Codec::Windows1251 => "windows-1251",
            Codec::Windows1253 => "windows-1253",
            Codec::Windows1257 => "windows-1257",
            Codec::Iso8859_2 => "iso-8859-2",
            Codec::MacRoman => "macintosh",
            Codec::Cp437 => "cp437",
        }
    }

    /// The hole a U+FFFD of this decoder stands for.
    pub(crate) fn replacement_hole(self) -> Unit {
        // GB18030 (WHATWG and Python) and windows-1252 lose one byte per
        // U+FFFD; WHATWG Big5 and Shift_JIS lose two when the bad trail byte
        // is not ASCII (Python's decoders, one).
        match self {
            Codec::Big5 | Codec::ShiftJis => HOLE_12,
            _ => HOLE_1,
        }
    }

    /// Pushes the units `c` was decoded from; `false` if this decoder
    /// never produces `c`.
    #[inline]
    pub(crate) fn encode_char(self, c: char, out: &mut Vec<Unit>) -> bool {
        match self.units(c) {
            Some((u, n)) => {
                out.extend_from_slice(&u[..n]);
                true
            }
            None => false,
        }
    }

    /// The units `c` was decoded from (one or two), or `None` if this
    /// decoder never produces `c`.
    #[inline]
    pub(crate) fn units(self, c: char) -> Option<([Unit; 2], usize)> {
        match self {
            Codec::Windows1252 if c == '\u{FFFD}' => Some(([self.replacement_hole(), 0], 1)),
            Codec::Windows1252 => windows1252_byte(c).map(|b| ([Unit::from(b), 0], 1)),
            _ => self.encoder().units(c),
        }
    }

    /// The table lookup of [`Codec::units`] for a codec other than
    /// windows-1252, fetched once for many characters.
    pub(crate) fn encoder(self) -> Encoder {
        Encoder {
            table: self.table(),
            hole: self.replacement_hole(),
        }
    }

    /// The character a single-byte code page other than windows-1252
    /// decodes byte `b` (`0x80..=0xFF`) to; undefined bytes give the C1
    /// control (or latin-1 letter) of the same value, as sloppy decoders
    /// keep them.
    fn single_byte_char(self, b: u8) -> Option<char> {
        let c = if self == Codec::Cp437 {
            cp437_high()
                .get(usize::from(b.wrapping_sub(0x80)))
                .copied()
                .flatten()
        } else {
            self.single_byte_encoding()?
                .decode_without_bom_handling_and_without_replacement(&[b])
                .and_then(|s| s.chars().next())
        };
        Some(c.unwrap_or(char::from(b)))
    }

    fn table(self) -> &'static [u32] {
        static SINGLE: [OnceLock<Vec<u32>>; 7] = [const { OnceLock::new() }; 7];
        let slot = match self {
            Codec::Windows1250 => Some(0),
            Codec::Windows1251 => Some(1),
            Codec::Windows1253 => Some(2),
            Codec::Windows1257 => Some(3),
            Codec::Iso8859_2 => Some(4),
            Codec::MacRoman => Some(5),
            Codec::Cp437 => Some(6),
            Codec::Windows1252 | Codec::Gbk | Codec::Big5 | Codec::ShiftJis => None,
        };
        if let Some(slot) = slot {
            return SINGLE[slot].get_or_init(|| {
                let mut t = vec![0u32; 0x10000];
                for b in 0x80u8..=0xFF {
                    let Some(c) = self.single_byte_char(b) else {
                        continue;
                    };
                    if (c as u32) < 0x10000 && t[c as usize] == 0 {
                        t[c as usize] = (1 << 16) | u32::from(b);
                    }
                }
                t
            });
        }
        static GBK: OnceLock<Vec<u32>> = OnceLock::new();
        static BIG5: OnceLock<Vec<u32>> = OnceLock::new();
        static SJIS: OnceLock<Vec<u32>> = OnceLock::new();
        match self {
            Codec::Gbk => GBK.get_or_init(|| {
                let mut t = vec![0u32; 0x10000];
                t[0x20AC] = (1 << 16) | 0x80;
                fill_pairs(&mut t, encoding_rs::GBK, 0x81..=0xFE, |b| {
                    (0x40..=0xFE).contains(&b) && b != 0x7F
                });
                // Private-use characters of GB18030-2000 decoders.
                for (cp, pair) in hex_pairs(GB18030_2000_PUA) {
                    if let Some(slot) = t.get_mut(cp as usize).filter(|s| **s == 0) {
                        *slot = (2 << 16) | pair;
                    }
                }
                t
            }),
            Codec::Big5 => BIG5.get_or_init(|| {
                let mut t = vec![0u32; 0x10000];
                // Standard Big5 first: a character that the HKSCS rows repeat
                // maps back to its CP950 bytes.
                let trail = |b: u32| (0x40..=0x7E).contains(&b) || (0xA1..=0xFE).contains(&b);
                fill_pairs(&mut t, encoding_rs::BIG5, 0xA1..=0xF9, trail);
                fill_pairs(&mut t, encoding_rs::BIG5, 0x81..=0xA0, trail);
                fill_pairs(&mut t, encoding_rs::BIG5, 0xFA..=0xFE, trail);
                t
            }),
            _ => SJIS.get_or_init(|| {
                let mut t = vec![0u32; 0x10000];
                for b in 0xA1u32..=0xDF {
                    t[(0xFF61 + b - 0xA1) as usize] = (1 << 16) | b;
                }
                t[0x80] = (1 << 16) | 0x80;
                t[0xF8F0] = (1 << 16) | 0xA0;
                t[0xF8F1] = (1 << 16) | 0xFD;
                t[0xF8F2] = (1 << 16) | 0xFE;
                t[0xF8F3] = (1 << 16) | 0xFF;
                fill_pairs(&mut t, encoding_rs::SHIFT_JIS, 0x81..=0xFC, |b| {
                    (0x40..=0x7E).contains(&b) || (0x80..=0xFC).contains(&b)
                });
                t
            }),
        }
    }
}

/// Codepage 437's characters for bytes 0x80..=0xFF, from `data/repair/`.
fn cp437_high() -> &'static [Option<char>; 128] {
    static T: OnceLock<[Option<char>; 128]> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = [None; 128];
        for (byte, cp) in hex_pairs(CP437) {
            if let (Ok(b @ 0x80..=0xFF), Some(c)) = (u8::try_from(byte), char::from_u32(cp)) {
                t[usize::from(b - 0x80)] = Some(c);
            }
        }
        t
    })
}

/// The lines `HEX<TAB>HEX` of a table in `data/repair/` (lines starting
/// with `#` are comments; malformed lines are skipped).
fn hex_pairs(table: &'static str) -> impl Iterator<Item = (u32, u32)> {
    table
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .filter_map(|(a, b)| {
            Some((
                u32::from_str_radix(a, 16).ok()?,
                u32::from_str_radix(b, 16).ok()?,
            ))
        })
}

/// The bytes a codec other than windows-1252 decoded characters from: see
/// [`Codec::encoder`].
#[derive(Clone, Copy)]
pub(crate) struct Encoder {
    table: &'static [u32],
    hole: Unit,
}

impl Encoder {
    /// The units `c` was decoded from (one or two), or `None`.
    #[inline]
    pub(crate) fn units(self, c: char) -> Option<([Unit; 2], usize)> {
        let cp = c as u32;
        if cp < 0x80 {
            return Some(([cp as Unit, 0], 1));
        }
        if c == '\u{FFFD}' {
            return Some(([self.hole, 0], 1));
        }
        let v = *self.table.get(cp as usize)?;
        match v >> 16 {
            0 => None,
            1 => Some(([(v & 0xFF) as Unit, 0], 1)),
            _ => Some(([((v >> 8) & 0xFF) as Unit, (v & 0xFF) as Unit], 2)),
        }
    }
}

/// The character a GBK or Big5 byte pair decodes to (WHATWG), if it is one
/// non-ASCII character; from a table built on first use.
pub(crate) fn decode_pair(
    enc: &'static encoding_rs::Encoding,
    lead: u8,
    trail: u8,
) -> Option<char> {
    static GBK: OnceLock<Vec<char>> = OnceLock::new();
    static BIG5: OnceLock<Vec<char>> = OnceLock::new();
    let build = |enc: &'static encoding_rs::Encoding| {
        let mut t = vec!['\0'; 0x8000];
        for lead in 0x80u16..=0xFF {
            for trail in 0x00u16..=0xFF {
                let pair = [lead as u8, trail as u8];
                if let Some(s) = enc.decode_without_bom_handling_and_without_replacement(&pair) {
                    let mut it = s.chars();
                    if let (Some(c), None) = (it.next(), it.next()) {
                        if !c.is_ascii() {
                            t[usize::from(((lead - 0x80) << 8) | trail)] = c;
                        }
                    }
                }
            }
        }
        t
    };
    if lead < 0x80 {
        return None;
    }
    let t = if enc == encoding_rs::BIG5 {
        BIG5.get_or_init(|| build(encoding_rs::BIG5))
    } else {
        GBK.get_or_init(|| build(encoding_rs::GBK))
    };
    let c = t[(usize::from(lead - 0x80) << 8) | usize::from(trail)];
    (c != '\0').then_some(c)
}

/// Decodes every byte pair `lead, trail` and records the first pair that
/// gives each BMP character.
fn fill_pairs(
    t: &mut [u32],
    enc: &'static encoding_rs::Encoding,
    leads: std::ops::RangeInclusive<u32>,
    trail_ok: impl Fn(u32) -> bool,
) {
    for lead in leads {
        if enc == encoding_rs::SHIFT_JIS && (0xA0..=0xDF).contains(&lead) {
            continue;
        }
        for trail in 0x40u32..=0xFE {
            if !trail_ok(trail) {
                continue;
            }
            let bytes = [lead as u8, trail as u8];
            let Some(s) = enc.decode_without_bom_handling_and_without_replacement(&bytes) else {
                continue;
            };
            let mut it = s.chars();
            let (Some(c), None) = (it.next(), it.next()) else {
                continue;
            };
            let cp = c as usize;
            if !(0x80..=0xFFFF).contains(&cp) || t[cp] != 0 {
                continue;
            }
            t[cp] = (2 << 16) | (lead << 8) | trail;
        }
    }
}

/// The characters windows-1252 decodes bytes 0x80..=0x9F to, its undefined
/// bytes as the C1 controls of the same value (see [`windows1252_byte`]).
pub(crate) const WINDOWS1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
];

/// The windows-1252 byte of each character `E2 80 xx` (U+2000..=U+203F) at
/// `xx & 0x3F`, 0 where there is none.
pub(crate) const WINDOWS1252_E2_80: [u8; 64] = {
    let mut t = [0u8; 64];
    let mut k = 0;
    while k < 32 {
        let cp = WINDOWS1252_HIGH[k] as u32;
        if cp >= 0x2000 && cp < 0x2040 {
            t[(cp & 0x3F) as usize] = 0x80 + k as u8;
        }
        k += 1;
    }
    t
};

/// The windows-1252 byte of each two-byte character `xx yy` from U+0100 up
/// (`Œ`, `ƒ`, `ˆ`...) at `[xx - 0xC4][yy & 0x3F]`, 0 where there is none.
pub(crate) const WINDOWS1252_TWO_BYTE: [[u8; 64]; 28] = {
    let mut t = [[0u8; 64]; 28];
    let mut k = 0;
    while k < 32 {
        let cp = WINDOWS1252_HIGH[k] as u32;
        if cp >= 0x100 && cp < 0x800 {
            t[((cp >> 6) - 4) as usize][(cp & 0x3F) as usize] = 0x80 + k as u8;
        }
        k += 1;
    }
    t
};

/// windows-1252 with undefined bytes as C1 controls, united with latin-1:
/// the byte a character was decoded from.
#[inline]
pub(crate) fn windows1252_byte(c: char) -> Option<u8> {
    let cp = c as u32;
    if cp < 0x100 {
        return Some(cp as u8);
    }
    Some(match c {
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(codec: Codec, s: &str) -> Option<Vec<Unit>> {
        let mut out = Vec::new();
        for c in s.chars() {
            if !codec.encode_char(c, &mut out) {
                return None;
            }
        }
        Some(out)
    }

    #[test]
    fn gbk_units_of_classic_mojibake() {
        // 中文 in UTF-8 is E4 B8 AD E6 96 87; GBK reads 涓 枃 and a PUA char.
        let (s, _, _) = encoding_rs::GBK.decode(&[0xE4, 0xB8, 0xAD, 0xE6, 0x96, 0x87]);
        let u = enc(Codec::Gbk, &s).unwrap();
        assert_eq!(u, vec![0xE4, 0xB8, 0xAD, 0xE6, 0x96, 0x87]);
        assert_eq!(enc(Codec::Gbk, "€").unwrap(), vec![0x80]);
    }

    #[test]
    fn windows1252_tables_agree() {
        for (k, &c) in WINDOWS1252_HIGH.iter().enumerate() {
            assert_eq!(windows1252_byte(c), Some(0x80 + k as u8), "{c:?}");
        }
        for cp in 0x2000..0x2040 {
            let c = char::from_u32(cp).unwrap();
            let b = WINDOWS1252_E2_80[(cp & 0x3F) as usize];
            assert_eq!(windows1252_byte(c), (b != 0).then_some(b), "{c:?}");
        }
        for cp in 0x100..0x800 {
            let c = char::from_u32(cp).unwrap();
            let b = WINDOWS1252_TWO_BYTE[(cp >> 6) as usize - 4][(cp & 0x3F) as usize];
            assert_eq!(windows1252_byte(c), (b != 0).then_some(b), "{c:?}");
        }
        let specials = (0x100..0x10000)
            .filter_map(char::from_u32)
            .filter(|&c| windows1252_byte(c).is_some())
            .count();
        assert_eq!(specials, 27);
    }

    #[test]
    fn windows1252_covers_c1_and_specials() {
        assert_eq!(windows1252_byte('\u{81}'), Some(0x81));
        assert_eq!(windows1252_byte('€'), Some(0x80));
        assert_eq!(windows1252_byte('中'), None);
    }

    #[test]
    fn cp437_box_drawing_and_letters() {
        // `╨┐` is D0 BF, `п` in UTF-8.
        assert_eq!(enc(Codec::Cp437, "╨┐").unwrap(), vec![0xD0, 0xBF]);
        assert_eq!(
            enc(Codec::Cp437, "ÇßΣ■\u{A0}").unwrap(),
            vec![0x80, 0xE1, 0xE4, 0xFE, 0xFF]
        );
    }

    #[test]
    fn shift_jis_katakana_and_cp932_extras() {
        assert_eq!(enc(Codec::ShiftJis, "ｱ").unwrap(), vec![0xB1]);
        assert_eq!(enc(Codec::ShiftJis, "\u{F8F0}").unwrap(), vec![0xA0]);
        assert!(enc(Codec::Big5, "中").is_some());
        assert!(enc(Codec::Big5, "\u{10000}").is_none());
    }
}
