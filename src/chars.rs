//! Character classes shared by the stages.

/// A Han ideograph: the unified blocks (URO, Extensions A–I), the
/// compatibility ideographs, and U+3007 〇.
pub(crate) fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{3007}'
        | '\u{20000}'..='\u{2FA1F}'
        | '\u{30000}'..='\u{323AF}')
}

/// Kana (Hiragana, Katakana and its phonetic extensions).
pub(crate) fn is_kana(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}')
}

/// CJK punctuation and full-width punctuation: U+3001–U+303F (not the
/// ideographic space) and the full-width ASCII punctuation U+FF01–U+FF0F,
/// U+FF1A–U+FF20, U+FF3B–U+FF40, U+FF5B–U+FF65.
pub(crate) fn is_cjk_punct(c: char) -> bool {
    matches!(c,
        '\u{3001}'..='\u{303F}'
        | '\u{FF01}'..='\u{FF0F}'
        | '\u{FF1A}'..='\u{FF20}'
        | '\u{FF3B}'..='\u{FF40}'
        | '\u{FF5B}'..='\u{FF65}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{2014}' | '\u{2026}' | '\u{00B7}' | '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}')
}

/// Opening CJK brackets and quotes, which can follow converted punctuation.
pub(crate) fn is_cjk_open(c: char) -> bool {
    matches!(
        c,
        '「' | '『' | '（' | '《' | '〈' | '【' | '〔' | '〖' | '“' | '‘' | '［' | '｛'
    )
}

/// Text in which a half-width mark reads as a Chinese punctuation mark.
pub(crate) fn is_cjk_text(c: char) -> bool {
    is_han(c) || is_kana(c)
}

/// Looks like part of an emoji sequence (Extended_Pictographic and the
/// characters that build emoji sequences), approximately.
pub(crate) fn is_emoji_like(c: char) -> bool {
    matches!(c,
        '\u{1F000}'..='\u{1FAFF}'
        | '\u{2600}'..='\u{27BF}'
        | '\u{2300}'..='\u{23FF}'
        | '\u{2B00}'..='\u{2BFF}'
        | '\u{2190}'..='\u{21FF}'
        | '\u{FE0F}' | '\u{20E3}'
        | '\u{E0020}'..='\u{E007F}'
        | '\u{00A9}' | '\u{00AE}' | '\u{203C}' | '\u{2049}' | '\u{2122}' | '\u{2139}'
        | '\u{3030}' | '\u{303D}' | '\u{3297}' | '\u{3299}')
}

/// A variation selector (VS1–VS256).
pub(crate) fn is_variation_selector(c: char) -> bool {
    matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert!(is_han('中') && is_han('𠀀') && is_han('〇'));
        assert!(!is_han('a') && !is_han('，'));
        assert!(is_cjk_punct('，') && is_cjk_punct('。') && is_cjk_punct('」'));
        assert!(!is_cjk_punct('\u{3000}') && !is_cjk_punct(','));
        assert!(is_emoji_like('😀') && !is_emoji_like('中'));
        assert!(is_variation_selector('\u{FE0F}'));
    }
}
