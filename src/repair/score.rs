//! The plausibility model: how surprising a piece of text is.
//!
//! Each character gets a cost in bits, roughly `-log2` of its probability in
//! Chinese web text. Hanzi take their cost from a frequency list derived from
//! jieba's dictionary; everything else is grouped into classes. Mojibake is
//! expensive because it is made of rare hanzi (the UTF-8 lead bytes land in
//! the level-2 rows of GB2312), private-use characters, C1 controls,
//! half-width katakana or runs of Latin-1 symbols, and because it takes more
//! characters than the text it hides. A repair must lower the cost clearly.

use super::tables::hanzi_cost;

/// Cost of a hanzi missing from the frequency list.
const UNKNOWN_HANZI: f32 = 22.0;

/// The cost of one character, in bits: a table lookup in the Basic
/// Multilingual Plane (every cost is a whole number of bits below 128).
#[cfg(test)]
fn char_cost(c: char) -> f32 {
    cost_of(bmp_table(), c)
}

/// In [`bmp_table`]: the character is [forbidden](is_forbidden_output).
const FORBIDDEN: u8 = 0x80;

#[inline]
fn cost_of(bmp: &[u8; 0x10000], c: char) -> f32 {
    match bmp.get(c as usize) {
        Some(&v) => f32::from(v & !FORBIDDEN),
        None => computed_cost(c),
    }
}

/// Cost and whether a repair may produce `c`, in one lookup: `None` if it
/// may not (see [`is_forbidden_output`]).
pub(crate) struct Costs(&'static [u8; 0x10000]);

impl Costs {
    /// The table (built on first use).
    #[inline]
    pub(crate) fn get() -> Costs {
        Costs(bmp_table())
    }

    /// The cost of `c` in bits, `None` if a repair must not produce it.
    #[inline]
    pub(crate) fn allowed_cost(&self, c: char) -> Option<f32> {
        match self.0.get(c as usize) {
            Some(&v) if v & FORBIDDEN != 0 => None,
            Some(&v) => Some(f32::from(v)),
            None if is_forbidden_output(c) => None,
            None => Some(computed_cost(c)),
        }
    }

    /// The cost of `c` in bits.
    #[inline]
    pub(crate) fn cost(&self, c: char) -> f32 {
        cost_of(self.0, c)
    }
}

/// [`computed_cost`] of every BMP character, with [`FORBIDDEN`] set for
/// [forbidden](is_forbidden_output) ones; built on first use.
fn bmp_table() -> &'static [u8; 0x10000] {
    static T: std::sync::OnceLock<Box<[u8; 0x10000]>> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        let mut t = Box::new([0u8; 0x10000]);
        for (cp, slot) in t.iter_mut().enumerate() {
            // Surrogates are no characters; they keep 0 and are never
            // looked up.
            if let Some(c) = char::from_u32(cp as u32) {
                let cost = computed_cost(c) as u8;
                debug_assert!(cost < FORBIDDEN);
                *slot = cost | if is_forbidden_output(c) { FORBIDDEN } else { 0 };
            }
        }
        t
    })
}

/// The cost of one character by its class (and, for hanzi, its frequency).
fn computed_cost(c: char) -> f32 {
    let cp = c as u32;
    match cp {
        0x0A | 0x0D | 0x09 => 2.0,
        0x20..=0x7E => 3.0,
        0x00..=0x1F | 0x7F => 20.0,
        0x80..=0x9F => 24.0,
        // No-break space: common in Latin text (`SELKÄ\u{A0}EDELLÄ`).
        0xA0 => 4.0,
        0xB7 => 8.0,
        0xD7 | 0xF7 => 11.0,
        0xC0..=0xFF => 9.0,
        0xA1..=0xBF => 11.0,
        // Curly quotes, dashes, ellipsis: common in Chinese text.
        0x2014 | 0x2018 | 0x2019 | 0x201C | 0x201D | 0x2026 => 7.0,
        0x0100..=0x024F => 11.0,
        // Trademark sign: common after product names (`AHÅ™`).
        0x2122 => 11.0,
        // Vietnamese letters.
        0x1E00..=0x1EFF => 12.0,
        // Thai.
        0x0E00..=0x0E7F => 16.0,
        0x0250..=0x07FF => 16.0,
        0x0800..=0x1FFF => 18.0,
        0x3000..=0x303F => 6.0,
        0xFF01..=0xFF5E => 7.0,
        0xFF61..=0xFF9F => 18.0,
        0x3040..=0x30FF => 12.0,
        0xAC00..=0xD7A3 => 12.0,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF => {
            match hanzi_cost().get(c) {
                Some(v) => v as f32,
                None if (0x4E00..=0x9FFF).contains(&cp) => UNKNOWN_HANZI,
                None => UNKNOWN_HANZI + 4.0,
            }
        }
        0xE000..=0xF8FF | 0xF0000..=0x10FFFF => 28.0,
        0xFFFD => 8.0,
        _ => 14.0,
    }
}

/// The cost of a string.
#[cfg(test)]
pub(crate) fn text_cost(s: &str) -> f32 {
    text_cost_after(None, s)
}

/// The cost of a string that follows the character `prev`.
pub(crate) fn text_cost_after(prev: Option<char>, s: &str) -> f32 {
    let costs = Costs::get();
    let mut pair = Pair {
        prev: prev.unwrap_or_default(),
    };
    s.chars().map(|c| costs.cost(c) + pair.next(c)).sum()
}

/// The cost of a string by its characters alone (no [`PAIR_COST`]).
pub(crate) fn chars_cost(s: &str) -> f32 {
    let costs = Costs::get();
    s.chars().map(|c| costs.cost(c)).sum()
}

/// Extra cost of a Latin-1 letter from `Â` to `ß` (lead bytes of
/// two-byte UTF-8 read as windows-1252) followed by a windows-1252 symbol
/// (a continuation byte): `AÃ‘OS`, `Ä°stanbul`, `RÄ«ga`, `RÎ³c`; of `Ã`
/// followed by a no-break space (`à`: `GÃ\u{A0}idhlig`); and of `Ã`, `Å`,
/// `Î`, `Ð` or `Ù` followed by a space (byte A0 turned into a space:
/// `Ã quele`, `Ð Ñƒ`) — not enough alone to repair a line. Real text, Latin or
/// Chinese, seldom has a symbol right after such a letter; left out are what
/// does follow letters: other no-break spaces (`SELKÄ\u{A0}EDELLÄ`), `’`
/// (`Ã’s`), dashes, the ellipsis (`10 Å—`) and `™`, `®`, `©`.
const PAIR_COST: f32 = 8.0;

/// Extra cost of `Ã` right after a small letter (`voilÃ`): in real text it
/// starts words in capitals.
const LOWER_THEN_A_TILDE_COST: f32 = 4.0;

/// Whether `c` is a windows-1252 symbol that [`PAIR_COST`] counts.
fn pair_symbol(c: char) -> bool {
    !matches!(
        c,
        '\u{A0}' | '\u{2019}' | '\u{2013}' | '\u{2014}' | '\u{2026}' | '™' | '®' | '©'
    ) && (matches!(c, '\u{A1}'..='\u{BF}')
        || super::codec::windows1252_byte(c).is_some_and(|b| (0x80..0xA0).contains(&b)))
}

/// Tracks the previous character for [`PAIR_COST`].
#[derive(Default)]
pub(crate) struct Pair {
    prev: char,
}

impl Pair {
    /// The extra cost of `c` after the characters seen so far.
    #[inline(always)]
    pub(crate) fn next(&mut self, c: char) -> f32 {
        let prev = std::mem::replace(&mut self.prev, c);
        // The common case first, inline: no lead letter before.
        if !('\u{C2}'..='\u{DF}').contains(&prev) {
            return if c == 'Ã' && prev.is_ascii_lowercase() {
                LOWER_THEN_A_TILDE_COST
            } else {
                0.0
            };
        }
        Pair::after_lead(prev, c)
    }

    /// The extra cost of `c` after the lead letter `prev`.
    #[inline(never)]
    fn after_lead(prev: char, c: char) -> f32 {
        // Beyond Latin-1's own leads, not the inverted marks that follow
        // words in Spanish and Portuguese (`SÉ¡`), nor `×£`.
        let symbol = if prev <= '\u{C5}' {
            pair_symbol(c)
        } else {
            prev != '×' && !matches!(c, '¡' | '¿') && pair_symbol(c)
        };
        let space = c == ' ' && matches!(prev, 'Ã' | 'Å' | 'Î' | 'Ð' | 'Ù');
        if symbol || (prev == 'Ã' && c == '\u{A0}') || space {
            PAIR_COST
        } else {
            0.0
        }
    }
}

/// Characters a repair must never produce: controls other than tab and
/// newlines, C1 controls, private-use characters, and the scripts a wrong
/// decode of rare hanzi produces but Chinese web text does not contain:
/// Hangul (`麆篁磛儫` read back through Big5 gives `창hꨒh`), Syriac to NKo,
/// Ethiopic and Cherokee, Canadian syllabics, and the small scripts of
/// U+A000–U+ABFF (Yi, Vai, Cham, Javanese…). Mojibake of Korean text is
/// therefore left as it is: zhclean does not guess on it.
#[inline]
pub(crate) fn is_forbidden_output(c: char) -> bool {
    let cp = c as u32;
    matches!(cp, 0x00..=0x08 | 0x0B | 0x0C | 0x0E..=0x1F | 0x7F..=0x9F
        | 0x0700..=0x08FF | 0x1100..=0x13FF | 0x1400..=0x167F | 0x3130..=0x318F
        | 0xA000..=0xABFF | 0xAC00..=0xD7FF
        | 0xE000..=0xF8FF | 0xF0000..=0x10FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_agrees_with_classes() {
        for c in [
            'a', '\n', '\u{85}', 'Ã', '中', '鐨', '\u{E000}', '\u{FFFD}', '𰻞', '😂',
        ] {
            assert_eq!(char_cost(c), computed_cost(c), "{c:?}");
            let allowed = Costs::get().allowed_cost(c);
            assert_eq!(allowed.is_none(), is_forbidden_output(c), "{c:?}");
        }
    }

    #[test]
    fn mojibake_costs_more_than_its_repair() {
        assert!(text_cost("涓枃") > text_cost("中文") + 10.0);
        assert!(text_cost("ä¸\u{AD}æ–‡") > text_cost("中文") + 10.0);
        assert!(text_cost("ÖÐÎÄ") > text_cost("中文") + 10.0);
    }

    #[test]
    fn rare_hanzi_are_not_read_back_into_foreign_scripts() {
        // Found by the Cleaner's property test: these read back through
        // Big5 or GBK as Hangul, Cham or Canadian syllabics mixed with ASCII.
        for s in [
            "麆篁磛儫一",
            "锆顖荋簔釖泀陋",
            "礃艁浠杴欤抣艿箣鴡藎",
            "鍦肀浠涬嚘莶橸鈤蛜幠",
        ] {
            assert_eq!(crate::repair::repair(s), s);
        }
    }
}
