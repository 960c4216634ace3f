//! The pinyin-annotation artifact: `發(fā)展` → `發展`.
//!
//! Some sites (and some converters) write a Traditional character followed by
//! its dictionary reading in ASCII parentheses, `當(dāng)前位置`. The rule
//! removes such an annotation only when
//!
//! * the character is Traditional and its Simplified form differs (a
//!   pedagogical gloss is written after Simplified characters, `长(cháng)江`,
//!   and is kept),
//! * the parentheses hold exactly one syllable, lower-case, with its tone
//!   mark (none for a neutral-tone reading such as 們 `men`), and it is one of
//!   the character's readings, and
//! * a reading other than the character's most common one is only stripped
//!   when the same text holds at least one other annotation of the artifact's
//!   shape (a lone gloss on a less common reading, `長(zhǎng)`, is more likely
//!   meant); a reading that differs only in tone (dictionaries disagree on
//!   some characters) likewise.

use super::tables::trad_pinyin;

/// One removable annotation: byte range of `(…)` in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Annotation {
    pub start: usize,
    pub end: usize,
}

/// Whether `c` is a letter of tone-marked pinyin.
fn is_pinyin_letter(c: char) -> bool {
    c.is_ascii_lowercase() || "āáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿêê̄ế".contains(c)
}

/// The syllable without tone marks (`zhǎng` → `zhang`, `lǜ` → `lü`).
fn toneless(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'ā' | 'á' | 'ǎ' | 'à' => 'a',
            'ē' | 'é' | 'ě' | 'è' | 'ế' => 'e',
            'ī' | 'í' | 'ǐ' | 'ì' => 'i',
            'ō' | 'ó' | 'ǒ' | 'ò' => 'o',
            'ū' | 'ú' | 'ǔ' | 'ù' => 'u',
            'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' => 'ü',
            'ń' | 'ň' | 'ǹ' => 'n',
            'ḿ' => 'm',
            c => c,
        })
        .collect()
}

/// How an annotation matches the character's readings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Match {
    /// The only reading, or the most common one.
    Main,
    /// Another reading: a lone one may be a real gloss.
    Other,
    /// The right syllable with another tone (dictionaries disagree): only
    /// removed next to exact matches.
    ToneOnly,
}

/// Whether `text` may hold an annotation: an ASCII `(` right after a
/// non-ASCII character and before a pinyin letter. (Cheap; [`find`] finds
/// nothing where this is `false`.)
pub(crate) fn may_hold(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr_iter(b'(', b).any(|i| {
        i > 0 && b[i - 1] >= 0x80 && text[i + 1..].chars().next().is_some_and(is_pinyin_letter)
    })
}

/// Finds the annotations to remove in `text`.
///
/// An annotation with [`Match::Main`] is removed on its own; the others only
/// when the text holds at least two exactly matching annotations, which marks
/// it as carrying the artifact.
pub(crate) fn find(text: &str, out: &mut Vec<Annotation>) {
    let table = trad_pinyin();
    let mut found: Vec<(Annotation, Match)> = Vec::new();
    let mut prev: Option<char> = None;
    let bytes = text.as_bytes();
    let mut iter = text.char_indices();
    while let Some((i, c)) = iter.next() {
        if c == '(' {
            if let Some(readings) = prev.and_then(|p| table.get(&p)) {
                if let Some(close) = bytes[i + 1..].iter().take(24).position(|&b| b == b')') {
                    let syl = &text[i + 1..i + 1 + close];
                    let m = if syl.is_empty() || !syl.chars().all(is_pinyin_letter) {
                        None
                    } else if readings.split(',').next() == Some(syl) {
                        Some(Match::Main)
                    } else if readings.split(',').any(|r| r == syl) {
                        Some(Match::Other)
                    } else {
                        let t = toneless(syl);
                        readings
                            .split(',')
                            .any(|r| toneless(r) == t)
                            .then_some(Match::ToneOnly)
                    };
                    if let Some(m) = m {
                        let end = i + 1 + close + 1;
                        found.push((Annotation { start: i, end }, m));
                        while iter.clone().next().is_some_and(|(j, _)| j < end) {
                            iter.next();
                        }
                        prev = Some(')');
                        continue;
                    }
                }
            }
        }
        prev = Some(c);
    }
    let exact = found.iter().filter(|(_, m)| *m != Match::ToneOnly).count();
    out.extend(
        found
            .into_iter()
            .filter(|&(_, m)| m == Match::Main || exact >= 2)
            .map(|(a, _)| a),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strip(text: &str) -> String {
        let mut a = Vec::new();
        find(text, &mut a);
        let mut s = String::new();
        let mut at = 0;
        for x in a {
            s.push_str(&text[at..x.start]);
            at = x.end;
        }
        s.push_str(&text[at..]);
        s
    }

    #[test]
    fn strips_the_artifact() {
        assert_eq!(strip("當(dāng)前位置"), "當前位置");
        assert_eq!(strip("發(fā)展"), "發展");
        assert_eq!(strip("本島(dǎo)東(dōng)部"), "本島東部");
        assert_eq!(strip("是來自於(yú)一個"), "是來自於一個");
        // Another tone than the table's, next to exact annotations.
        assert_eq!(strip("杳無(wú)蹤跡(jì)，東(dōng)"), "杳無蹤跡，東");
    }

    #[test]
    fn may_hold_is_false_only_where_nothing_is_found() {
        for s in [
            "當(dāng)前",
            "們(men)",
            "(dāng)",
            "當()",
            "當(一)",
            "a(b)",
            "當 (dāng)",
            "當(",
        ] {
            let mut a = Vec::new();
            find(s, &mut a);
            assert!(may_hold(s) || a.is_empty(), "{s}");
        }
        assert!(may_hold("當(dāng)前") && may_hold("們(men)"));
        assert!(!may_hold("第(一)條") && !may_hold("f(x)") && !may_hold("當("));
    }

    #[test]
    fn keeps_real_glosses() {
        for s in [
            "“长”是多音字：长(cháng)江的长，成长(zhǎng)的长。",
            "这个字读作“翀(chōng)”，意思是向上直飞。",
            "長(cháng)江",
            "發(fa)展",
            "發(xyz)展",
            "Fā (fā) is a syllable.",
        ] {
            assert_eq!(strip(s), s);
        }
    }
}
