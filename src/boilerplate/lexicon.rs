//! Cue lexicons: data files in `data/boilerplate/`, one category per file,
//! compiled once into a single Aho-Corasick automaton.
//!
//! A lexicon hit is a cue, never a verdict: `classify.rs` combines hits with
//! the shape of the line and of the page.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind};

/// The lexicon a cue comes from. Several map to one reported
/// [`Category`](super::Category) (e.g. `Disclaimer` is reported as copyright).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lex {
    Breadcrumb,
    Toolbar,
    Share,
    Related,
    Comments,
    Tags,
    Byline,
    Caption,
    Copyright,
    Disclaimer,
    Contact,
    Icp,
    Powered,
    Summary,
    Spam,
}

/// Number of lexicons.
pub(crate) const LEX_COUNT: usize = 15;

const SOURCES: [(Lex, &str, &str); LEX_COUNT] = [
    (
        Lex::Breadcrumb,
        "breadcrumb.txt",
        include_str!("../../data/boilerplate/breadcrumb.txt"),
    ),
    (
        Lex::Toolbar,
        "toolbar.txt",
        include_str!("../../data/boilerplate/toolbar.txt"),
    ),
    (
        Lex::Share,
        "share.txt",
        include_str!("../../data/boilerplate/share.txt"),
    ),
    (
        Lex::Related,
        "related.txt",
        include_str!("../../data/boilerplate/related.txt"),
    ),
    (
        Lex::Comments,
        "comments.txt",
        include_str!("../../data/boilerplate/comments.txt"),
    ),
    (
        Lex::Tags,
        "tags.txt",
        include_str!("../../data/boilerplate/tags.txt"),
    ),
    (
        Lex::Byline,
        "byline.txt",
        include_str!("../../data/boilerplate/byline.txt"),
    ),
    (
        Lex::Caption,
        "caption.txt",
        include_str!("../../data/boilerplate/caption.txt"),
    ),
    (
        Lex::Copyright,
        "copyright.txt",
        include_str!("../../data/boilerplate/copyright.txt"),
    ),
    (
        Lex::Disclaimer,
        "disclaimer.txt",
        include_str!("../../data/boilerplate/disclaimer.txt"),
    ),
    (
        Lex::Contact,
        "contact.txt",
        include_str!("../../data/boilerplate/contact.txt"),
    ),
    (
        Lex::Icp,
        "icp.txt",
        include_str!("../../data/boilerplate/icp.txt"),
    ),
    (
        Lex::Powered,
        "powered.txt",
        include_str!("../../data/boilerplate/powered.txt"),
    ),
    (
        Lex::Summary,
        "summary.txt",
        include_str!("../../data/boilerplate/summary.txt"),
    ),
    (
        Lex::Spam,
        "spam.txt",
        include_str!("../../data/boilerplate/spam.txt"),
    ),
];

/// One pattern's meaning.
#[derive(Debug, Clone, Copy)]
struct Entry {
    lex: Lex,
    /// Only counts at the start of the line (the `^` prefix).
    anchored: bool,
}

/// The compiled lexicons.
#[derive(Debug)]
pub(crate) struct Lexicon {
    automaton: AhoCorasick,
    entries: Vec<Entry>,
}

/// Per-line lexicon hits, by lexicon.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Hits {
    /// Number of (non-overlapping) hits.
    pub count: [u8; LEX_COUNT],
    /// Bytes covered by hits.
    pub covered: [u16; LEX_COUNT],
    /// Byte offset (from the line's lead) of the first hit, `u16::MAX` if none.
    pub first: [u16; LEX_COUNT],
    /// Bytes between the end of the last hit and the end of the line,
    /// `u16::MAX` if none.
    pub last: [u16; LEX_COUNT],
}

impl Hits {
    fn empty() -> Hits {
        Hits {
            count: [0; LEX_COUNT],
            covered: [0; LEX_COUNT],
            first: [u16::MAX; LEX_COUNT],
            last: [u16::MAX; LEX_COUNT],
        }
    }

    /// Whether `lex` has at least one hit.
    pub fn has(&self, lex: Lex) -> bool {
        self.count[lex as usize] > 0
    }

    /// Hits of `lex`.
    pub fn count(&self, lex: Lex) -> usize {
        usize::from(self.count[lex as usize])
    }

    /// Bytes after the last hit of `lex` to the end of the line.
    pub fn last(&self, lex: Lex) -> Option<usize> {
        let f = self.last[lex as usize];
        (f != u16::MAX).then_some(usize::from(f))
    }

    /// Bytes covered by hits of `lex`.
    pub fn covered(&self, lex: Lex) -> usize {
        usize::from(self.covered[lex as usize])
    }

    /// Byte offset from the lead of the first hit of `lex`.
    pub fn first(&self, lex: Lex) -> Option<usize> {
        let f = self.first[lex as usize];
        (f != u16::MAX).then_some(usize::from(f))
    }
}

/// Lines longer than this are only scanned in their first
/// [`SCAN_PREFIX`] bytes: cues of boilerplate lines sit near their start,
/// and this bounds the cost of huge lines.
const SCAN_ALL_BELOW: usize = 4096;
const SCAN_PREFIX: usize = 1024;

impl Lexicon {
    /// The shared lexicon, built on first use.
    pub fn get() -> &'static Lexicon {
        static LEXICON: OnceLock<Lexicon> = OnceLock::new();
        LEXICON.get_or_init(Lexicon::build)
    }

    fn build() -> Lexicon {
        let mut patterns: Vec<&'static str> = Vec::new();
        let mut entries = Vec::new();
        for (lex, _name, text) in SOURCES {
            for (pattern, anchored) in parse(text) {
                patterns.push(pattern);
                entries.push(Entry { lex, anchored });
            }
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)
            // The patterns are compiled-in data, checked by a unit test; a
            // failure here is a bug in the data, not in the input.
            .expect("boilerplate lexicon compiles");
        Lexicon { automaton, entries }
    }

    /// Scans `line` (whose content starts after `lead` bytes of blanks and
    /// bullets) for cues. With `full == false` only the first and last
    /// [`WINDOW`] bytes are scanned: the caller knows the line is long prose,
    /// where only a cue that opens or closes the line can matter.
    pub fn scan(&self, line: &str, lead: usize, full: bool) -> Hits {
        let mut hits = Hits::empty();
        let len = line.len();
        if full || len <= 4 * WINDOW {
            let end = if len < SCAN_ALL_BELOW {
                len
            } else {
                floor_boundary(line, SCAN_PREFIX)
            };
            self.scan_range(line, 0..end, lead, &mut hits);
        } else {
            let head = floor_boundary(line, WINDOW);
            let tail = floor_boundary(line, len - WINDOW);
            self.scan_range(line, 0..head, lead, &mut hits);
            self.scan_range(line, tail..len, lead, &mut hits);
        }
        hits
    }

    fn scan_range(&self, line: &str, range: std::ops::Range<usize>, lead: usize, hits: &mut Hits) {
        let input = Input::new(line.as_bytes()).range(range);
        for m in self.automaton.find_iter(input) {
            let e = self.entries[m.pattern().as_usize()];
            if e.anchored && m.start() != lead {
                continue;
            }
            let i = e.lex as usize;
            hits.count[i] = hits.count[i].saturating_add(1);
            let len = u16::try_from(m.len()).unwrap_or(u16::MAX);
            hits.covered[i] = hits.covered[i].saturating_add(len);
            let after = line.len().saturating_sub(m.end());
            hits.last[i] = u16::try_from(after).unwrap_or(u16::MAX - 1);
            if hits.first[i] == u16::MAX {
                let at = m.start().saturating_sub(lead);
                hits.first[i] = u16::try_from(at).unwrap_or(u16::MAX - 1);
            }
        }
    }
}

/// Bytes scanned at each end of a long prose line.
pub(crate) const WINDOW: usize = 60;

/// The largest char boundary of `s` at or below `i`.
fn floor_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Parses a lexicon file: one pattern per line, `#` comments, `^` anchors.
fn parse(text: &'static str) -> impl Iterator<Item = (&'static str, bool)> {
    text.lines().filter_map(|raw| {
        // A `#` starts a comment at the start of a line or after whitespace
        // (so `# re:` needs its `^`: `^# re:` is a pattern).
        let line = match raw.find(" #").or_else(|| raw.find("\t#")) {
            Some(i) => &raw[..i],
            None => raw,
        };
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return None;
        }
        match line.strip_prefix('^') {
            Some(rest) if !rest.is_empty() => Some((rest, true)),
            _ => Some((line, false)),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Lexicon {
        fn scan_all(&self, line: &str, lead: usize) -> Hits {
            self.scan(line, lead, true)
        }
    }

    #[test]
    fn long_lines_are_scanned_at_both_ends() {
        let lex = Lexicon::get();
        let body = "正文".repeat(200);
        let line = format!("版权所有{body}粤ICP备1号");
        let h = lex.scan(&line, 0, false);
        assert!(h.has(Lex::Copyright) && h.has(Lex::Icp));
        let line = format!("{body}责任编辑{body}");
        assert!(!lex.scan(&line, 0, false).has(Lex::Byline));
        assert!(lex.scan(&line, 0, true).has(Lex::Byline));
    }

    #[test]
    fn every_lexicon_loads_and_is_non_empty() {
        for (_, name, text) in SOURCES {
            let n = parse(text).count();
            assert!(n > 0, "{name} is empty");
            for (p, _) in parse(text) {
                assert!(!p.trim().is_empty(), "{name}: blank pattern");
            }
        }
        let lex = Lexicon::get();
        assert_eq!(lex.entries.len(), lex.automaton.patterns_len());
    }

    #[test]
    fn anchored_cues_only_count_at_the_start() {
        let lex = Lexicon::get();
        assert!(lex.scan_all("记者 王小明", 0).has(Lex::Byline));
        let h = lex.scan_all("他对记者说", 0);
        assert!(!h.has(Lex::Byline));
        assert!(lex.scan_all("·记者 王小明", "·".len()).has(Lex::Byline));
    }

    #[test]
    fn both_scripts_are_listed() {
        let lex = Lexicon::get();
        assert!(lex.scan_all("当前位置：首页", 0).has(Lex::Breadcrumb));
        assert!(lex.scan_all("當前位置：首頁", 0).has(Lex::Breadcrumb));
        assert!(lex.scan_all("粤ICP备12345678号", 0).has(Lex::Icp));
        assert!(lex.scan_all("責任編輯：王", 0).has(Lex::Byline));
        assert!(lex.scan_all("powered BY discuz", 0).has(Lex::Powered));
    }
}
