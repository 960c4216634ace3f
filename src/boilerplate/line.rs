//! Shape of one line: lengths, punctuation, separators, dates, cue hits.

use super::lexicon::{Hits, Lexicon};

/// What one input line looks like.
#[derive(Debug, Clone)]
pub(crate) struct Line<'a> {
    /// The line without its line ending.
    pub text: &'a str,
    /// Byte offset of the line in the page.
    pub start: usize,
    /// Byte offset just past the line ending (the next line's start).
    pub next: usize,
    /// Bytes of leading blanks and bullets.
    pub lead: usize,
    /// Characters other than whitespace.
    pub chars: usize,
    /// CJK ideographs (and kana/hangul).
    pub cjk: usize,
    /// Display width in columns (ASCII 1, other characters 2), for telling
    /// text wrapped at a fixed width.
    pub cols: usize,
    /// Sentence punctuation of any kind: `，。！？；：、` and ASCII `,!?;`
    /// and `.` before a space or the end.
    pub punct: usize,
    /// Blanks between ideographs counted in `punct` (informal text that puts
    /// spaces for commas).
    pub soft: usize,
    /// Sentence ends: `。！？…` and ASCII `!?` and `.` before a space or the end.
    pub stops: usize,
    /// ASCII digits.
    pub digits: usize,
    /// Segments when split on whitespace and list separators (`|` `｜`
    /// `/` `•` `·` ` - `).
    pub segments: usize,
    /// Explicit list separators (`|` `｜` `丨` `•` and ` - `, ` / `).
    pub seps: usize,
    /// Path separators (`>` `›` `»` `→` `->` `＞`).
    pub arrows: usize,
    /// The last non-blank character.
    pub last: Option<char>,
    /// Whether the line contains a date (`2022-01-28`, `2005年3月11日`,
    /// `7/5/2005`) or a clock time (`14:56`).
    pub dated: bool,
    /// Cue hits.
    pub hits: Hits,
}

/// Whether `c` is a CJK ideograph, kana or hangul syllable.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{AC00}'..='\u{D7AF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3134F}')
}

/// Bullets and list marks that may open a line.
fn is_bullet(c: char) -> bool {
    matches!(
        c,
        '·' | '•'
            | '■'
            | '□'
            | '◆'
            | '◇'
            | '●'
            | '○'
            | '★'
            | '☆'
            | '▲'
            | '△'
            | '▶'
            | '►'
            | '▪'
            | '-'
            | '*'
            | '>'
            | '》'
            | '【'
            | '['
            | '［'
            | '('
            | '（'
            | '〖'
            | '「'
    ) || c.is_whitespace()
}

/// Characters that end a sentence.
pub(crate) fn is_stop(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?' | '…' | '．' | '｡')
}

/// Characters after which a line is complete (a sentence or clause end).
pub(crate) fn is_terminal(c: char) -> bool {
    is_stop(c) || matches!(c, '.' | '；' | ';' | '：' | ':')
}

/// Closing quotes and brackets, which end a line as completely as the
/// character before them.
pub(crate) fn is_closer(c: char) -> bool {
    matches!(
        c,
        '”' | '’' | '」' | '』' | '）' | ')' | '】' | ']' | '》' | '〉' | '"' | '\'' | '］' | '〗'
    )
}

impl<'a> Line<'a> {
    /// Measures `text` (a line without its ending) found at `start`.
    pub fn measure(text: &'a str, start: usize, next: usize, lexicon: &Lexicon) -> Line<'a> {
        let lead = text
            .char_indices()
            .find(|&(_, c)| !is_bullet(c))
            .map_or(text.len(), |(i, _)| i);
        let mut chars = 0;
        let mut cjk = 0;
        let mut cols = 0;
        let mut punct = 0;
        let mut stops = 0;
        let mut digits = 0;
        let mut seps = 0;
        let mut arrows = 0;
        let mut segments = 0;
        let mut in_segment = false;
        // Byte offset of the last visible character.
        let mut last_at = usize::MAX;
        // The previous character if ASCII, else 0x80.
        let mut prev = b' ';
        // Blanks between two CJK characters: in informal writing (blogs,
        // forums) they often stand for commas.
        let mut soft = 0;
        let mut last_visible_cjk = false;
        let mut gap = false;
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let x = bytes[i];
            // Fast path: a three-byte character U+4000..U+9FFF, almost
            // always an ideograph and never punctuation or a separator.
            if (0xE4..=0xE9).contains(&x) && i + 2 < bytes.len() {
                let cp = (u32::from(x & 0x0F) << 12)
                    | (u32::from(bytes[i + 1] & 0x3F) << 6)
                    | u32::from(bytes[i + 2] & 0x3F);
                // All of U+4000..U+9FFF is CJK (is_cjk) but the Yijing
                // hexagrams U+4DC0..U+4DFF.
                let ideograph = !(0x4DC0..0x4E00).contains(&cp);
                if gap && ideograph && last_visible_cjk {
                    soft += 1;
                }
                gap = false;
                last_visible_cjk = ideograph;
                in_segment = true;
                chars += 1;
                cjk += usize::from(ideograph);
                last_at = i;
                prev = 0x80;
                cols += 2;
                i += 3;
                continue;
            }
            let Some(c) = text[i..].chars().next() else {
                break;
            };
            let width = c.len_utf8();
            cols += if c.is_ascii() { 1 } else { 2 };
            let next_c = || text[i + width..].chars().next();
            let white = c.is_whitespace();
            let boundary = white
                || matches!(c, '|' | '｜' | '丨' | '•' | '/' | '／')
                || (c == '-' && prev == b' ' && next_c() == Some(' '));
            if boundary {
                if in_segment {
                    segments += 1;
                    in_segment = false;
                }
                if !white {
                    seps += 1;
                }
            } else {
                in_segment = true;
            }
            if white {
                gap = true;
            } else {
                let ideograph = is_cjk(c);
                if gap && ideograph && last_visible_cjk {
                    soft += 1;
                }
                gap = false;
                last_visible_cjk = ideograph;
                chars += 1;
                last_at = i;
                if ideograph {
                    cjk += 1;
                } else if c.is_ascii_digit() {
                    digits += 1;
                }
                match c {
                    '，' | '；' | '：' | '、' | ',' | ';' => punct += 1,
                    '。' | '！' | '？' | '!' | '?' | '…' | '｡' => {
                        punct += 1;
                        stops += 1;
                    }
                    '.' | '．' if prev != b'.' && next_c().is_none_or(char::is_whitespace) => {
                        punct += 1;
                        stops += 1;
                    }
                    '>' | '›' | '»' | '→' | '＞' if prev != b'<' => arrows += 1,
                    _ => {}
                }
            }
            prev = if c.is_ascii() { c as u8 } else { 0x80 };
            i += width;
        }
        if in_segment {
            segments += 1;
        }
        let last = text.get(last_at..).and_then(|t| t.chars().next());
        // Count them as punctuation when the pieces are clause-long (not
        // the one- to four-character items of a menu).
        if soft > 0 && seps == 0 && chars >= 5 * (soft + 1) {
            punct += soft;
        } else {
            soft = 0;
        }
        // Long prose (several sentences) can only be a cue line through a
        // cue at its start or end (a notice, an ICP number); spam headers
        // have no sentence ends and are scanned whole.
        let full = chars <= 60 || stops == 0;
        let hits = lexicon.scan(text, lead, full);
        Line {
            text,
            start,
            next,
            lead,
            chars,
            cjk,
            cols,
            punct,
            soft,
            stops,
            digits,
            segments,
            seps,
            arrows,
            last,
            // Only short lines are judged by their dates.
            // (every date and time starts with an ASCII digit).
            dated: chars <= 90 && digits > 0 && has_date_or_time(text),
            hits,
        }
    }

    /// Whether the line has no visible characters.
    pub fn is_blank(&self) -> bool {
        self.chars == 0
    }

    /// Whether the line ends a sentence or clause (looking through closing
    /// quotes and brackets).
    pub fn ends_complete(&self) -> bool {
        let mut rev = self.text.trim_end().chars().rev();
        loop {
            match rev.next() {
                None => return true,
                Some(c) if is_closer(c) => continue,
                Some(c) => return is_terminal(c),
            }
        }
    }
}

/// Whether `s` contains a date such as `2022-01-28`, `2022/1/28`,
/// `2005年3月11日`, `7/5/2005`, `3月11日`, or a clock time `12:30`.
pub(crate) fn has_date_or_time(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let n = i - start;
        let rest = &s[i..];
        // 12:30 (a clock time: 1-2 digits, colon, 2 digits)
        if (1..=2).contains(&n) && (rest.starts_with(':') || rest.starts_with('：')) {
            let after = &rest.as_bytes()[rest.chars().next().map_or(1, char::len_utf8)..];
            if after.len() >= 2 && after[0].is_ascii_digit() && after[1].is_ascii_digit() {
                return true;
            }
        }
        // 2022-01-28, 2022/1/28, 2022.1.28, 7/5/2005
        if (1..=4).contains(&n)
            && (rest.starts_with('-') || rest.starts_with('/') || rest.starts_with('.'))
        {
            let sep = rest.as_bytes()[0];
            let r = &rest.as_bytes()[1..];
            let d1 = r.iter().take_while(|c| c.is_ascii_digit()).count();
            if (1..=2).contains(&d1) && r.get(d1) == Some(&sep) {
                let d2 = r[d1 + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .count();
                if (1..=4).contains(&d2) && (n == 4 || d2 == 4) {
                    return true;
                }
            }
        }
        // 2005年3月11日 / 3月11日
        if (1..=4).contains(&n) && (rest.starts_with('年') || rest.starts_with('月')) {
            let unit = rest.chars().next().map_or(3, char::len_utf8);
            let r = &rest[unit..];
            let d = r.bytes().take_while(u8::is_ascii_digit).count();
            if (1..=2).contains(&d) && (r[d..].starts_with('月') || r[d..].starts_with('日')) {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times() {
        for s in [
            "2022-01-28 14:56 来源:新华网",
            "发布日期： 7/5/2005",
            "2005年3月11日",
            "更新于3月11日",
            "12:30",
            "2022.1.8",
        ] {
            assert!(has_date_or_time(s), "{s}");
        }
        for s in ["共有3000人参加", "第1/2页", "比分3:1", "1.5倍", "2022年"] {
            assert!(!has_date_or_time(s), "{s}");
        }
    }

    #[test]
    fn fast_path_agrees_with_is_cjk() {
        for cp in 0x4000..=0x9FFF_u32 {
            let c = char::from_u32(cp).unwrap();
            let mut buf = [0; 4];
            let l = Line::measure(c.encode_utf8(&mut buf), 0, 0, Lexicon::get());
            assert_eq!(l.cjk == 1, is_cjk(c), "{cp:X}");
        }
    }

    #[test]
    fn shape_counts() {
        let lex = Lexicon::get();
        let l = Line::measure("首页 | 新闻 | 体育 | 娱乐", 0, 0, lex);
        assert_eq!(l.segments, 4);
        assert_eq!(l.seps, 3);
        assert_eq!(l.punct, 0);
        let l = Line::measure("他说：“好。”", 0, 0, lex);
        assert_eq!(l.stops, 1);
        assert!(l.ends_complete());
        let l = Line::measure(
            "一九八九年四月，我在湖南张家界开一个全省教学研究",
            0,
            0,
            lex,
        );
        assert!(!l.ends_complete());
        let l = Line::measure("· 标题", 0, 0, lex);
        assert_eq!(l.lead, "· ".len());
    }
}
