//! The pinyin-annotation artifact: `發(fā)展` → `發展`.
//!
//! Some sites (and some converters) write a Traditional character followed by
//! its dictionary reading in ASCII parentheses, `當(dāng)前位置`. The rule
//! removes such an annotation only when
//!
//! * the character is Traditional and its Simplified form differs (a
//!   pedagogical gloss is written after Simplified characters, `长(cháng)江`,
//!   and is kept),
//! * the parentheses hold exactly one syllable, lower-case, with a tone mark,
//!   and it is one of the character's readings, and
//! * a polyphonic character is only stripped when the same text holds at
//!   least one other annotation of the artifact's shape (a lone gloss on a
//!   character with several readings, `長(zhǎng)`, is more likely meant).

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

fn has_tone_mark(s: &str) -> bool {
    s.chars()
        .any(|c| !c.is_ascii_lowercase() && c != 'ü' && c != 'ê')
}

/// Finds the annotations to remove in `text`.
pub(crate) fn find(text: &str, out: &mut Vec<Annotation>) {
    let table = trad_pinyin();
    let mut found: Vec<(Annotation, bool)> = Vec::new();
    let mut prev: Option<char> = None;
    let bytes = text.as_bytes();
    let mut iter = text.char_indices();
    while let Some((i, c)) = iter.next() {
        if c == '(' {
            if let Some(p) = prev {
                if let Some(readings) = table.get(&p) {
                    if let Some(close) = bytes[i + 1..].iter().take(24).position(|&b| b == b')') {
                        let syl = &text[i + 1..i + 1 + close];
                        if !syl.is_empty()
                            && syl.chars().all(is_pinyin_letter)
                            && has_tone_mark(syl)
                            && readings.split(',').any(|r| r == syl)
                        {
                            let end = i + 1 + close + 1;
                            found.push((Annotation { start: i, end }, readings.contains(',')));
                            // Skip past the annotation.
                            while let Some((j, _)) = iter.clone().next() {
                                if j >= end {
                                    break;
                                }
                                iter.next();
                            }
                            prev = Some(')');
                            continue;
                        }
                    }
                }
            }
        }
        prev = Some(c);
    }
    let many = found.len() >= 2;
    out.extend(
        found
            .into_iter()
            .filter(|&(_, poly)| many || !poly)
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
    }

    #[test]
    fn keeps_real_glosses() {
        for s in [
            "“长”是多音字：长(cháng)江的长，成长(zhǎng)的长。",
            "这个字读作“翀(chōng)”，意思是向上直飞。",
            "長(zhǎng)輩",
            "發(fa)展",
            "發(xyz)展",
            "Fā (fā) is a syllable.",
        ] {
            assert_eq!(strip(s), s);
        }
    }
}
