//! Unicode, width, punctuation, whitespace and control-character cleanup.
//!
//! Every rule is a named, switchable option of [`NormalizeConfig`]; the names
//! below are the `rule` of each [`Change`] in a report.
//!
//! | rule | default | what it does |
//! |---|---|---|
//! | `line-ending` | on | `\r\n`, `\r`, U+0085, U+2028, U+2029 → `\n` |
//! | `control` | on | C0/C1 control characters and DEL removed (`\t` and `\n` kept) |
//! | `invisible` | on | zero-width space, soft hyphen, stray BOM, word joiner, bidi controls removed; ZWJ/ZWNJ kept between emoji or letters they join, variation selectors kept after a base character |
//! | `space` | on | NBSP and the other Unicode spaces → ASCII space (U+3000 is kept) |
//! | `trailing-whitespace` | on | spaces, tabs and U+3000 at line ends removed |
//! | `blank-lines` | at most 1 | runs of blank lines collapsed |
//! | `html-entity` | on | well-formed references (`&nbsp;` `&amp;` `&#x4E2D;` `&#20013;`) decoded; a reference to `&` that would form a new reference is kept, so the stage stays idempotent |
//! | `fullwidth-alnum` | on | full-width Latin letters and digits (ＡＢＣ１２３) → ASCII |
//! | `cjk-punctuation` | on | `,` `;` `:` `?` `!` between Chinese characters, and `(…)` around Chinese text → full-width |
//! | `compat-ideograph` | on | CJK compatibility ideographs (U+F900–U+FAFF, U+2F800–U+2FA1F) → their unified forms |
//! | `nfc` | on | Unicode NFC (never NFKC) |
//!
//! **Invariant:** clean, well-formed text — Chinese with full-width
//! punctuation ，。、；：？！「」『』（）《》 included — comes back byte-identical
//! and borrowed. Full-width punctuation is never turned into ASCII.
//!
//! ```
//! use zhclean::normalize::normalize;
//! use std::borrow::Cow;
//!
//! assert_eq!(normalize("广东,支持企业&nbsp;ＡＢＣ１２３  \r\n"), "广东，支持企业 ABC123\n");
//! let clean = "当前位置：首页。价格为1,000元（含税）。";
//! assert!(matches!(normalize(clean), Cow::Borrowed(_)));
//! ```
//!
//! # Cost
//!
//! A byte scan finds the first place that may need work; text with none is
//! returned borrowed without allocating. From the line holding that place
//! on, one left-to-right pass rewrites the text. Both are linear in the input.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use unicode_normalization::char::{canonical_combining_class, decompose_canonical};
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::chars::{
    is_cjk_open, is_cjk_punct, is_cjk_text, is_emoji_like, is_han, is_variation_selector,
};
use crate::report::{Change, Report, Span, Stage};

/// The switches of the normalize stage. See the [module docs](self) for the
/// rule each switch controls.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
#[non_exhaustive]
pub struct NormalizeConfig {
    /// `line-ending`: CRLF, CR, NEL, LS and PS become `\n`.
    pub line_endings: bool,
    /// `control`: control characters other than `\t` and `\n` are removed.
    pub controls: bool,
    /// `invisible`: zero-width and bidi format characters are removed where
    /// they join or select nothing.
    pub invisible: bool,
    /// `space`: Unicode spaces other than U+3000 become ASCII space.
    pub spaces: bool,
    /// `trailing-whitespace`: whitespace at line ends is removed.
    pub trailing_whitespace: bool,
    /// `blank-lines`: the most blank lines kept in a row; `None` keeps all.
    pub max_blank_lines: Option<usize>,
    /// `html-entity`: well-formed HTML character references are decoded.
    pub html_entities: bool,
    /// `fullwidth-alnum`: full-width ASCII letters and digits become ASCII.
    pub fullwidth_alnum: bool,
    /// `cjk-punctuation`: half-width punctuation in Chinese context becomes
    /// full-width.
    pub cjk_punctuation: bool,
    /// `compat-ideograph`: CJK compatibility ideographs become unified ones.
    /// (NFC maps them too: turning this off matters only with `nfc` off.)
    pub compat_ideographs: bool,
    /// `nfc`: Unicode Normalization Form C.
    pub nfc: bool,
}

impl Default for NormalizeConfig {
    fn default() -> NormalizeConfig {
        NormalizeConfig {
            line_endings: true,
            controls: true,
            invisible: true,
            spaces: true,
            trailing_whitespace: true,
            max_blank_lines: Some(1),
            html_entities: true,
            fullwidth_alnum: true,
            cjk_punctuation: true,
            compat_ideographs: true,
            nfc: true,
        }
    }
}

impl NormalizeConfig {
    /// A config with every rule off; switch on the ones you want.
    pub fn none() -> NormalizeConfig {
        NormalizeConfig {
            line_endings: false,
            controls: false,
            invisible: false,
            spaces: false,
            trailing_whitespace: false,
            max_blank_lines: None,
            html_entities: false,
            fullwidth_alnum: false,
            cjk_punctuation: false,
            compat_ideographs: false,
            nfc: false,
        }
    }
}

/// A configured normalizer. Cheap to clone, `Send + Sync`.
#[derive(Debug, Clone, Default)]
pub struct Normalizer {
    config: NormalizeConfig,
}

/// Normalizes `text` with the default configuration.
pub fn normalize(text: &str) -> Cow<'_, str> {
    Normalizer::default().normalize(text)
}

impl Normalizer {
    /// A normalizer with the given rules.
    pub fn new(config: NormalizeConfig) -> Normalizer {
        Normalizer { config }
    }

    /// The configuration.
    pub fn config(&self) -> &NormalizeConfig {
        &self.config
    }

    /// Normalizes `text`; borrowed when nothing changed.
    pub fn normalize<'a>(&self, text: &'a str) -> Cow<'a, str> {
        self.run(text, None)
    }

    /// Normalizes `text`, appending every change to `report`.
    pub fn normalize_with_report<'a>(&self, text: &'a str, report: &mut Report) -> Cow<'a, str> {
        self.run(text, Some(report))
    }

    /// Appends the normalized `text` to `out`.
    pub fn normalize_into(&self, text: &str, out: &mut String) {
        out.push_str(&self.normalize(text));
    }

    pub(crate) fn run<'a>(&self, text: &'a str, report: Option<&mut Report>) -> Cow<'a, str> {
        match first_suspect(text.as_bytes(), self.config.max_blank_lines, 0) {
            None => Cow::Borrowed(text),
            Some(at) => {
                let line_start =
                    memchr::memrchr(b'\n', &text.as_bytes()[..at]).map_or(0, |p| p + 1);
                self.slow(text, line_start, report)
            }
        }
    }

    /// The rewriting pass, from `start` (a line start) on.
    fn slow<'a>(&self, text: &'a str, start: usize, report: Option<&mut Report>) -> Cow<'a, str> {
        self.rewrite(text, start, report, true)
    }

    fn rewrite<'a>(
        &self,
        text: &'a str,
        start: usize,
        report: Option<&mut Report>,
        skip_clean_lines: bool,
    ) -> Cow<'a, str> {
        let mut e = Engine::new(&self.config, text, start, report.is_some());
        e.skip = skip_clean_lines;
        e.run();
        if !e.changed {
            return Cow::Borrowed(text);
        }
        if let (Some(r), Some(changes)) = (report, e.changes) {
            r.extend_changes(changes);
        }
        Cow::Owned(e.out)
    }

    /// The rewriting pass over the whole text, without the quick scan: the
    /// reference the fast path is tested against.
    #[doc(hidden)]
    pub fn normalize_slow<'a>(&self, text: &'a str) -> Cow<'a, str> {
        self.rewrite(text, 0, None, false)
    }
}

// ---------------------------------------------------------------------------
// The quick scan.

/// The first byte that may need work, conservatively: `None` means the text
/// passes through unchanged under any configuration.
///
/// `max_blank_lines` is the configured limit, and `carried_blanks` the blank
/// lines that end just before `b` (which starts at a line start).
fn first_suspect(b: &[u8], max_blank_lines: Option<usize>, carried_blanks: usize) -> Option<usize> {
    let n = b.len();
    let mut i = 0;
    while i < n {
        let x = b[i];
        if x < 0x80 {
            match x {
                b'\t' | b' ' => {
                    // Whitespace is only work at a line end.
                    let mut j = i + 1;
                    while j < n && (b[j] == b' ' || b[j] == b'\t') {
                        j += 1;
                    }
                    if j == n || b[j] == b'\n' || b[j] == b'\r' || is_ideographic_space(b, j) {
                        return Some(i);
                    }
                    i = j;
                    continue;
                }
                b'\n' => {
                    // Blank lines in this run of newlines: each newline after
                    // the first ends one (each, at the start of `b`). Stop
                    // counting past the limit, so that a scan started inside
                    // a long run costs no more than the limit.
                    let (mut blanks, mut j) = if i == 0 {
                        (carried_blanks + 1, 1)
                    } else {
                        (0, i + 1)
                    };
                    let limit = max_blank_lines.unwrap_or(usize::MAX);
                    while j < n && b[j] == b'\n' && blanks <= limit {
                        blanks += 1;
                        j += 1;
                    }
                    if blanks > limit {
                        return Some(i);
                    }
                    i = j;
                    continue;
                }
                0..=0x1F | 0x7F | b'&' => return Some(i),
                b',' | b';' | b':' | b'?' | b'!' if near_cjk(b, i) => {
                    return Some(i);
                }
                b'(' => {
                    // Converted when its content holds Chinese text.
                    let window = &b[i + 1..(i + 257).min(n)];
                    let end = window
                        .iter()
                        .position(|&x| x == b')' || x == b'\n')
                        .unwrap_or(window.len());
                    if window[..end].iter().any(|&x| x >= 0x80) {
                        return Some(i);
                    }
                }
                _ => {}
            }
            i += 1;
            continue;
        }
        match x {
            // U+4000–U+9FFF: ideographs, nothing to do.
            0xE4..=0xE9 => i += 3,
            0xEF => {
                let y = b.get(i + 1).copied().unwrap_or(0);
                let z = b.get(i + 2).copied().unwrap_or(0);
                match (y, z) {
                    // Full-width digits and letters.
                    (0xBC, 0x90..=0x99) | (0xBC, 0xA1..=0xBA) | (0xBD, 0x81..=0x9A) => {
                        return Some(i)
                    }
                    // Other full-width forms and half-width katakana: stable.
                    (0xBC..=0xBF, _) if y != 0xBB => i += 3,
                    _ => {
                        if char_needs_work(b, i) {
                            return Some(i);
                        }
                        i += 3;
                    }
                }
            }
            0xE3 => {
                if b.get(i + 1) == Some(&0x80) && b.get(i + 2) == Some(&0x80) {
                    // U+3000: work only at a line end.
                    let mut j = i;
                    while j < n && (b[j] == b' ' || b[j] == b'\t' || is_ideographic_space(b, j)) {
                        j += if b[j] < 0x80 { 1 } else { 3 };
                    }
                    if j == n || b[j] == b'\n' || b[j] == b'\r' {
                        return Some(i);
                    }
                    i = j;
                    continue;
                }
                let y = b.get(i + 1).copied().unwrap_or(0);
                let z = b.get(i + 2).copied().unwrap_or(0);
                let work = match y {
                    // U+3001–U+303F: CJK punctuation; U+302A–U+302F combine.
                    0x80 => (0xAA..=0xAF).contains(&z),
                    // Kana; U+3099 and U+309A combine.
                    0x81..=0x83 => y == 0x82 && (z == 0x99 || z == 0x9A),
                    // Bopomofo, enclosed and squared CJK, Extension A: stable.
                    0x84..=0xBF => false,
                    _ => char_needs_work(b, i),
                };
                if work {
                    return Some(i);
                }
                i += 3;
            }
            // U+2000–U+2FFF: general punctuation, symbols, radicals.
            0xE2 => {
                let y = b.get(i + 1).copied().unwrap_or(0);
                let z = b.get(i + 2).copied().unwrap_or(0);
                let work = match y {
                    // Spaces, zero-width and bidi controls, LS/PS, NNBSP; the
                    // dashes, quotes and ellipsis between them are stable.
                    0x80 => (0x80..=0x8F).contains(&z) || (0xA8..=0xAF).contains(&z),
                    0x81 => (0x9F..=0xAF).contains(&z),
                    // Combining marks for symbols.
                    0x83 => z >= 0x90,
                    // Letterlike symbols, angle brackets, and the blocks that
                    // hold combining marks: check each character.
                    0x84 | 0x8C | 0xAB | 0xB3 | 0xB5 | 0xB7 => char_needs_work(b, i),
                    _ => false,
                };
                if work {
                    return Some(i);
                }
                i += 3;
            }
            // U+0080–U+00FF: C1 controls, NBSP and soft hyphen need work.
            0xC2 => {
                let y = b.get(i + 1).copied().unwrap_or(0);
                if y < 0xA1 || y == 0xAD {
                    return Some(i);
                }
                i += 2;
            }
            0xC3 => i += 2,
            _ => {
                if char_needs_work(b, i) {
                    return Some(i);
                }
                i += utf8_len(x);
            }
        }
    }
    None
}

#[inline]
fn is_ideographic_space(b: &[u8], i: usize) -> bool {
    b.get(i..i + 3) == Some(&[0xE3, 0x80, 0x80])
}

#[inline]
fn utf8_len(lead: u8) -> usize {
    match lead {
        0..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

fn char_at(b: &[u8], i: usize) -> char {
    let end = (i + utf8_len(b[i])).min(b.len());
    std::str::from_utf8(&b[i..end])
        .ok()
        .and_then(|s| s.chars().next())
        .unwrap_or('\u{FFFD}')
}

/// Whether the (non-ASCII) character at `i` is one that some rule rewrites,
/// or one that NFC may touch.
fn char_needs_work(b: &[u8], i: usize) -> bool {
    let c = char_at(b, i);
    is_special(c) || !nfc_stable_starter(c)
}

/// Characters that some context-free or context-dependent rule looks at.
fn is_special(c: char) -> bool {
    matches!(c,
        '\u{80}'..='\u{A0}' | '\u{AD}'
        | '\u{061C}' | '\u{1680}' | '\u{180E}'
        | '\u{2000}'..='\u{200F}' | '\u{2028}'..='\u{202F}' | '\u{205F}'..='\u{206F}'
        | '\u{FEFF}' | '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}'
        | '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}'
        | '\u{F900}'..='\u{FAFF}' | '\u{2F800}'..='\u{2FA1F}')
}

/// A character that NFC leaves alone whatever surrounds it: a starter that
/// is NFC_QC=Yes.
fn nfc_stable_starter(c: char) -> bool {
    c < '\u{300}'
        || (canonical_combining_class(c) == 0
            && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes)
}

/// Whether a half-width mark at `i` has a Chinese character beside it.
fn near_cjk(b: &[u8], i: usize) -> bool {
    let prev = std::str::from_utf8(&b[i.saturating_sub(4)..i])
        .ok()
        .or_else(|| std::str::from_utf8(&b[i.saturating_sub(3)..i]).ok())
        .or_else(|| std::str::from_utf8(&b[i.saturating_sub(2)..i]).ok())
        .and_then(|s| s.chars().next_back());
    let next = if i + 1 < b.len() && b[i + 1] >= 0x80 {
        Some(char_at(b, i + 1))
    } else {
        None
    };
    prev.is_some_and(|c| !c.is_ascii()) || next.is_some_and(|c| !c.is_ascii())
}

// ---------------------------------------------------------------------------
// HTML character references.

fn named_entities() -> &'static HashMap<&'static str, char> {
    static TABLE: OnceLock<HashMap<&'static str, char>> = OnceLock::new();
    TABLE.get_or_init(|| {
        include_str!("../data/normalize/html-entities.txt")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let (name, hex) = l.split_once('\t')?;
                let c = char::from_u32(u32::from_str_radix(hex.trim(), 16).ok()?)?;
                Some((name, c))
            })
            .collect()
    })
}

/// A well-formed character reference at the start of `s`: its length and
/// the character it stands for.
fn parse_entity(s: &str) -> Option<(usize, char)> {
    let (len, c) = parse_entity_body(s.strip_prefix('&')?)?;
    Some((len + 1, c))
}

/// The part of a reference after its `&`: `name;`, `#123;` or `#x7B;`.
fn parse_entity_body(s: &str) -> Option<(usize, char)> {
    let semi = s.bytes().take(33).position(|x| x == b';')?;
    let body = &s[..semi];
    let c = if let Some(num) = body.strip_prefix('#') {
        let v = if let Some(hex) = num.strip_prefix(['x', 'X']) {
            if hex.is_empty() || hex.len() > 6 || !hex.bytes().all(|x| x.is_ascii_hexdigit()) {
                return None;
            }
            u32::from_str_radix(hex, 16).ok()?
        } else {
            if num.is_empty() || num.len() > 7 || !num.bytes().all(|x| x.is_ascii_digit()) {
                return None;
            }
            num.parse::<u32>().ok()?
        };
        if v == 0 {
            return None;
        }
        char::from_u32(v)?
    } else {
        if body.is_empty() || !body.bytes().all(|x| x.is_ascii_alphanumeric()) {
            return None;
        }
        *named_entities().get(body)?
    };
    Some((semi + 1, c))
}

/// A reference at `s` (which starts with `&`) that the stage decodes: its
/// length in `s` and the character it stands for.
///
/// Characters the stage removes anyway (controls, invisibles) are skipped
/// inside the reference, so that removing them can never create a reference
/// that a second pass would decode. An `&` that would start another
/// reference is not decoded, for the same reason.
fn decodable_entity(cfg: &NormalizeConfig, s: &str) -> Option<(usize, char)> {
    let (len, c) = entity_skipping(cfg, s, false)?;
    if c == '&' && entity_skipping(cfg, &s[len..], true).is_some() {
        return None;
    }
    Some((len, c))
}

/// Whether the stage removes `c` wherever it stands.
fn removable(cfg: &NormalizeConfig, c: char) -> bool {
    (cfg.controls && is_control(c) && !(cfg.line_endings && is_line_separator(c)))
        || (cfg.invisible && is_invisible(c))
}

/// A reference at the start of `s` once removable characters are skipped;
/// with `implied_amp`, `s` is taken to follow an `&`.
fn entity_skipping(cfg: &NormalizeConfig, s: &str, implied_amp: bool) -> Option<(usize, char)> {
    let mut kept = String::with_capacity(40);
    let mut ends: Vec<usize> = Vec::with_capacity(40);
    if implied_amp {
        kept.push('&');
        ends.push(0);
    }
    for (i, c) in s.char_indices() {
        if removable(cfg, c) {
            continue;
        }
        if !c.is_ascii() || kept.len() >= 36 {
            break;
        }
        kept.push(c);
        ends.push(i + 1);
        if c == ';' {
            break;
        }
    }
    let (len, c) = parse_entity(&kept)?;
    // All kept characters are ASCII: `len` counts them.
    Some((ends[len - 1], c))
}

// ---------------------------------------------------------------------------
// The rewriting pass.

/// Unicode spaces that become an ASCII space (not U+3000).
fn is_space(c: char) -> bool {
    matches!(
        c,
        '\u{A0}' | '\u{1680}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}'
    )
}

fn is_line_separator(c: char) -> bool {
    matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_control(c: char) -> bool {
    (c < ' ' && c != '\t' && c != '\n' && c != '\r') || ('\u{7F}'..='\u{9F}').contains(&c)
}

/// Format characters removed wherever they are.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}' | '\u{200E}' | '\u{200F}'
        | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}')
}

fn fullwidth_alnum(c: char) -> Option<char> {
    match c {
        '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
            char::from_u32(c as u32 - 0xFEE0)
        }
        _ => None,
    }
}

fn compat_ideograph(c: char) -> Option<char> {
    if !matches!(c, '\u{F900}'..='\u{FAFF}' | '\u{2F800}'..='\u{2FA1F}') {
        return None;
    }
    let mut out = None;
    let mut n = 0;
    decompose_canonical(c, |d| {
        out = Some(d);
        n += 1;
    });
    out.filter(|&d| n == 1 && d != c)
}

/// A letter or mark that ZWJ/ZWNJ can join (Arabic, Indic, Latin ligatures…),
/// as opposed to Han, kana, punctuation or space.
fn is_joinable_letter(c: char) -> bool {
    (c.is_alphabetic() || canonical_combining_class(c) != 0) && !is_han(c) && !is_cjk_text(c)
}

fn full_width_of(c: char) -> char {
    match c {
        ',' => '，',
        ';' => '；',
        ':' => '：',
        '?' => '？',
        '!' => '！',
        '(' => '（',
        ')' => '）',
        _ => c,
    }
}

struct Engine<'c, 'i> {
    cfg: &'c NormalizeConfig,
    input: &'i str,
    pos: usize,
    out: String,
    changes: Option<Vec<Change>>,
    changed: bool,
    /// Start (output, input) of the whitespace run at the end of the output.
    ws_run: Option<(usize, usize)>,
    /// Start (output, input) of the current NFC cluster, and whether it may
    /// need composing.
    cluster: (usize, usize),
    nfc_dirty: bool,
    /// Blank lines just emitted in a row.
    blank_run: usize,
    /// Input position of the `)` that closes a converted `(`.
    pending_close: Option<usize>,
    /// Whether to copy lines that need no work in bulk.
    skip: bool,
}

impl<'c, 'i> Engine<'c, 'i> {
    fn new(cfg: &'c NormalizeConfig, input: &'i str, start: usize, report: bool) -> Self {
        let prefix = &input[..start];
        let trailing_newlines = prefix.len() - prefix.trim_end_matches('\n').len();
        let blank_run = if trailing_newlines == prefix.len() {
            trailing_newlines
        } else {
            trailing_newlines.saturating_sub(1)
        };
        let mut out = String::with_capacity(input.len() + input.len() / 8);
        out.push_str(prefix);
        Engine {
            cfg,
            input,
            pos: start,
            cluster: (out.len(), start),
            out,
            changes: report.then(Vec::new),
            changed: false,
            ws_run: None,
            nfc_dirty: false,
            blank_run,
            pending_close: None,
            skip: true,
        }
    }

    fn run(&mut self) {
        let input = self.input;
        while let Some(c) = input[self.pos..].chars().next() {
            let start = self.pos;
            if self.skip
                && start > 0
                && input.as_bytes()[start - 1] == b'\n'
                && self.skip_clean_lines()
            {
                continue;
            }
            if c == '&' && self.cfg.html_entities {
                if let Some((len, d)) = decodable_entity(self.cfg, &input[start..]) {
                    self.pos = start + len;
                    self.unit(Span::new(start, start + len), d, true);
                    continue;
                }
            }
            if c == '\r' && self.cfg.line_endings {
                let len = if input[start + 1..].starts_with('\n') {
                    2
                } else {
                    1
                };
                self.pos = start + len;
                self.newline(Span::new(start, start + len), "line-ending");
                continue;
            }
            self.pos = start + c.len_utf8();
            self.unit(Span::new(start, self.pos), c, false);
        }
        let end = input.len();
        self.finish_cluster(end);
        self.trim_trailing(end);
    }

    /// At a line start, copies the lines up to the next one that may need
    /// work; returns whether it moved. All line state is reset here: the
    /// newline that ended the previous line closed the cluster, trimmed the
    /// whitespace run and dropped any pending parenthesis.
    fn skip_clean_lines(&mut self) -> bool {
        let rest = &self.input[self.pos..];
        let end = match first_suspect(rest.as_bytes(), self.cfg.max_blank_lines, self.blank_run) {
            None => rest.len(),
            Some(at) => memchr::memrchr(b'\n', &rest.as_bytes()[..at]).map_or(0, |p| p + 1),
        };
        if end == 0 {
            return false;
        }
        let chunk = &rest[..end];
        let trailing = chunk.len() - chunk.trim_end_matches('\n').len();
        self.blank_run = if trailing == chunk.len() {
            self.blank_run + trailing
        } else {
            trailing.saturating_sub(1)
        };
        self.out.push_str(chunk);
        self.pos += end;
        self.cluster = (self.out.len(), self.pos);
        true
    }

    /// One unit of input (a character, or a reference standing for `c`).
    fn unit(&mut self, span: Span, c: char, entity: bool) {
        let rule_if_entity = |r: &'static str| if entity { "html-entity" } else { r };
        if c == '\n' || (is_line_separator(c) && self.cfg.line_endings) {
            let rule = rule_if_entity("line-ending");
            return self.newline(span, rule);
        }
        // Context decisions below look at the previous output character as
        // NFC will leave it: compose the pending cluster first (a starter
        // ends it anyway).
        if nfc_stable_starter(c) {
            self.finish_cluster(span.start);
        }
        let cfg = self.cfg;
        let mapped: Option<(Option<char>, &'static str)> = if cfg.controls && is_control(c) {
            Some((None, "control"))
        } else if cfg.invisible && is_invisible(c) {
            Some((None, "invisible"))
        } else if cfg.invisible && (c == '\u{200C}' || c == '\u{200D}') {
            let prev = self.out.chars().next_back();
            let next = self.peek_next();
            let joins =
                |x: Option<char>| x.is_some_and(|x| is_emoji_like(x) || is_joinable_letter(x));
            if joins(prev) && joins(next) {
                None
            } else {
                Some((None, "invisible"))
            }
        } else if cfg.invisible && is_variation_selector(c) {
            let prev = self.out.chars().next_back();
            let selects = prev
                .is_some_and(|p| !p.is_whitespace() && !is_control(p) && !is_variation_selector(p));
            if selects {
                None
            } else {
                Some((None, "invisible"))
            }
        } else if cfg.spaces && is_space(c) {
            Some((Some(' '), "space"))
        } else if let (true, Some(a)) = (cfg.fullwidth_alnum, fullwidth_alnum(c)) {
            Some((Some(a), "fullwidth-alnum"))
        } else if let (true, Some(u)) = (cfg.compat_ideographs, compat_ideograph(c)) {
            Some((Some(u), "compat-ideograph"))
        } else if cfg.cjk_punctuation && matches!(c, ',' | ';' | ':' | '?' | '!' | '(' | ')') {
            if self.punct_in_cjk_context(c, span) {
                Some((Some(full_width_of(c)), "cjk-punctuation"))
            } else {
                None
            }
        } else {
            None
        };
        match mapped {
            None if !entity => self.push_kept(c, span.start),
            None => self.push_changed(span, Some(c), "html-entity"),
            Some((to, rule)) => self.push_changed(span, to, rule_if_entity(rule)),
        }
    }

    fn punct_in_cjk_context(&mut self, c: char, span: Span) -> bool {
        let prev = self.out.chars().next_back();
        let before = prev.is_some_and(|p| is_cjk_text(p) || is_cjk_punct(p));
        match c {
            ',' | ';' | ':' => before && self.next_opens_cjk(),
            '?' | '!' => {
                before
                    && match self.peek_next() {
                        None | Some('\n') => true,
                        Some('?' | '!') => true,
                        Some(_) if self.next_opens_cjk() => true,
                        // Whitespace that will be trimmed before a line end.
                        Some(_) => {
                            self.cfg.trailing_whitespace && self.only_whitespace_to_line_end()
                        }
                    }
            }
            '(' => match self.matching_close(span.end) {
                Some(close) => {
                    self.pending_close = Some(close);
                    true
                }
                None => false,
            },
            ')' if self.pending_close == Some(span.start) => {
                self.pending_close = None;
                true
            }
            _ => false,
        }
    }

    /// The `)` closing a `(` whose content (up to 64 characters, one line, no
    /// nesting) holds Chinese text and no Latin letters.
    fn matching_close(&self, from: usize) -> Option<usize> {
        let mut has_cjk = false;
        for (c, at) in EffectiveChars::new(self.cfg, self.input, from).take(64) {
            match c {
                ')' => return has_cjk.then_some(at),
                // Nested brackets, in either width, are left alone: after a
                // first pass the inner pair is full-width.
                '(' | '（' | '）' | '\n' | '\r' => return None,
                _ if c.is_ascii_alphabetic() || (c.is_alphabetic() && !is_cjk_text(c)) => {
                    return None
                }
                _ => has_cjk |= is_cjk_text(c),
            }
        }
        None
    }

    /// Whether the next character is Chinese text or an opening bracket,
    /// including a `(` that this stage will turn full-width.
    fn next_opens_cjk(&self) -> bool {
        match EffectiveChars::new(self.cfg, self.input, self.pos).next() {
            Some(('(', at)) => self.matching_close(at + 1).is_some(),
            Some((n, _)) => is_cjk_text(n) || is_cjk_open(n),
            None => false,
        }
    }

    /// Whether nothing but whitespace lies between here and the line end.
    fn only_whitespace_to_line_end(&self) -> bool {
        for (c, _) in EffectiveChars::new(self.cfg, self.input, self.pos) {
            match c {
                '\n' => return true,
                ' ' | '\t' | '\u{3000}' => {}
                _ if self.cfg.spaces && is_space(c) => {}
                _ => return false,
            }
        }
        true
    }

    fn peek_next(&self) -> Option<char> {
        EffectiveChars::new(self.cfg, self.input, self.pos)
            .next()
            .map(|(c, _)| c)
    }

    /// Emits an unchanged character.
    fn push_kept(&mut self, c: char, in_pos: usize) {
        self.track(c, in_pos);
        self.out.push(c);
    }

    /// Emits the replacement `to` (or nothing) for the input at `span`.
    fn push_changed(&mut self, span: Span, to: Option<char>, rule: &'static str) {
        self.changed = true;
        // Tracking may close an NFC cluster and merge the changes before
        // this one: it comes first.
        if let Some(c) = to {
            self.track(c, span.start);
        }
        if let Some(changes) = self.changes.as_mut() {
            let mut after = String::new();
            after.extend(to);
            changes.push(Change::new(
                Stage::Normalize,
                rule,
                span,
                &self.input[span.range()],
                after,
            ));
        }
        if let Some(c) = to {
            self.out.push(c);
        }
    }

    /// Updates the whitespace-run and NFC-cluster state before `c` is pushed.
    fn track(&mut self, c: char, in_pos: usize) {
        // Composing the previous cluster may shorten the output: first.
        if nfc_stable_starter(c) {
            self.finish_cluster(in_pos);
            self.cluster = (self.out.len(), in_pos);
        } else {
            self.nfc_dirty = true;
        }
        if matches!(c, ' ' | '\t' | '\u{3000}') {
            if self.ws_run.is_none() {
                self.ws_run = Some((self.out.len(), in_pos));
            }
        } else {
            self.ws_run = None;
        }
    }

    /// Composes the current cluster if it needs it; `in_end` is where its
    /// input ends.
    fn finish_cluster(&mut self, in_end: usize) {
        if !self.nfc_dirty {
            return;
        }
        self.nfc_dirty = false;
        if !self.cfg.nfc {
            return;
        }
        let (out_start, in_start) = self.cluster;
        let seg = &self.out[out_start..];
        let composed: String = seg.nfc().collect();
        if composed != seg {
            self.out.truncate(out_start);
            self.out.push_str(&composed);
            self.merge_since(in_start, in_end, composed, "nfc");
        }
    }

    /// Replaces every change recorded since input position `in_start` by one
    /// change of `input[in_start..in_end]` into `after`.
    fn merge_since(&mut self, in_start: usize, in_end: usize, after: String, rule: &'static str) {
        self.changed = true;
        if let Some(changes) = self.changes.as_mut() {
            let keep = changes
                .iter()
                .rposition(|ch| ch.span.start < in_start)
                .map_or(0, |p| p + 1);
            let merged: Vec<String> = changes
                .drain(keep..)
                .map(|ch| ch.rule.into_owned())
                .collect();
            let mut ch = Change::new(
                Stage::Normalize,
                rule,
                Span::new(in_start, in_end),
                &self.input[in_start..in_end],
                after,
            );
            if !merged.is_empty() {
                ch = ch.with_detail(format!("includes {}", merged.join(", ")));
            }
            changes.push(ch);
        }
    }

    /// Removes the whitespace run at the end of the output (a line end).
    fn trim_trailing(&mut self, in_end: usize) {
        if let (true, Some((out_start, in_start))) = (self.cfg.trailing_whitespace, self.ws_run) {
            self.out.truncate(out_start);
            self.merge_since(in_start, in_end, String::new(), "trailing-whitespace");
        }
        self.ws_run = None;
    }

    /// A line break at `span`; `rule` names the change if it is not `\n`.
    fn newline(&mut self, span: Span, rule: &'static str) {
        self.finish_cluster(span.start);
        self.trim_trailing(span.start);
        self.pending_close = None;
        let line_empty = self.out.is_empty() || self.out.ends_with('\n');
        if line_empty {
            self.blank_run += 1;
        } else {
            self.blank_run = 0;
        }
        let before = &self.input[span.range()];
        if line_empty
            && self
                .cfg
                .max_blank_lines
                .is_some_and(|max| self.blank_run > max)
        {
            self.push_changed(span, None, "blank-lines");
        } else if before == "\n" {
            self.out.push('\n');
        } else {
            self.push_changed(span, Some('\n'), rule);
        }
        self.cluster = (self.out.len(), span.end);
    }
}

/// The characters that follow a position once references are decoded and
/// the characters that will be removed are skipped: what the next emitted
/// character will be, for context decisions.
struct EffectiveChars<'c, 'i> {
    cfg: &'c NormalizeConfig,
    input: &'i str,
    pos: usize,
}

impl<'c, 'i> EffectiveChars<'c, 'i> {
    fn new(cfg: &'c NormalizeConfig, input: &'i str, pos: usize) -> Self {
        EffectiveChars { cfg, input, pos }
    }
}

impl Iterator for EffectiveChars<'_, '_> {
    /// A character and the input position where it starts.
    type Item = (char, usize);

    fn next(&mut self) -> Option<(char, usize)> {
        loop {
            let at = self.pos;
            let rest = &self.input[at..];
            let mut c = rest.chars().next()?;
            self.pos += c.len_utf8();
            if c == '&' && self.cfg.html_entities {
                if let Some((len, d)) = decodable_entity(self.cfg, rest) {
                    self.pos = at + len;
                    c = d;
                }
            }
            if self.cfg.line_endings && (c == '\r' || is_line_separator(c)) {
                return Some(('\n', at));
            }
            let removed = (self.cfg.controls && is_control(c))
                || (self.cfg.invisible && (is_invisible(c) || c == '\u{200C}' || c == '\u{200D}'));
            if removed {
                continue;
            }
            if self.cfg.fullwidth_alnum {
                c = fullwidth_alnum(c).unwrap_or(c);
            }
            return Some((c, at));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> String {
        let fast = normalize(s).into_owned();
        let slow = Normalizer::default().normalize_slow(s).into_owned();
        assert_eq!(fast, slow, "fast and slow paths differ on {s:?}");
        assert_eq!(normalize(&fast), fast, "not idempotent on {s:?}");
        fast
    }

    fn borrowed(s: &str) -> bool {
        matches!(normalize(s), Cow::Borrowed(_))
    }

    #[test]
    fn clean_chinese_is_borrowed() {
        for s in [
            "当前位置：首页。价格为1,000元（含税）。",
            "「你好」『世界』，《书名》；问题？感叹！",
            "中文　空格在中间。\n第二行\n\n第三段",
            "Mixed 中英 text, with commas: fine. 1,000 and http://a.b/c?d=e!",
            "emoji 👨\u{200D}💻 and ☺\u{FE0F}",
            "",
        ] {
            assert!(borrowed(s), "{s:?}");
        }
    }

    #[test]
    fn line_endings_and_controls() {
        assert_eq!(n("a\r\nb\rc\u{85}d\u{2028}e"), "a\nb\nc\nd\ne");
        assert_eq!(n("a\u{0}b\u{7}c\u{1b}d\u{7f}e\u{9f}f\tg"), "abcdef\tg");
    }

    #[test]
    fn invisibles() {
        assert_eq!(n("中\u{200B}文\u{AD}字\u{FEFF}"), "中文字");
        assert_eq!(n("\u{202E}abc\u{202C}"), "abc");
        // ZWJ between Han joins nothing; between emoji it stays.
        assert_eq!(n("中\u{200D}文"), "中文");
        assert_eq!(n("👨\u{200D}💻"), "👨\u{200D}💻");
        // ZWNJ inside a Persian word stays.
        assert_eq!(n("می\u{200C}خواهم"), "می\u{200C}خواهم");
        // A variation selector after a base stays; a stray one goes.
        assert_eq!(n("葛\u{E0100}"), "葛\u{E0100}");
        assert_eq!(n(" \u{FE0F}x"), " x");
    }

    #[test]
    fn spaces_and_trailing_whitespace() {
        assert_eq!(n("a\u{A0}b\u{2003}c\u{3000}d"), "a b c\u{3000}d");
        assert_eq!(n("标题　　\n正文 \t\n"), "标题\n正文\n");
        assert_eq!(n("end  "), "end");
        assert_eq!(n("a \u{200B}\nb"), "a\nb");
    }

    #[test]
    fn blank_lines() {
        assert_eq!(n("a\n\n\n\nb"), "a\n\nb");
        assert_eq!(n("a\n \n\t\n\nb"), "a\n\nb");
        assert_eq!(n("\n\n\na"), "\na");
        let keep_all = Normalizer::new(NormalizeConfig {
            max_blank_lines: None,
            ..NormalizeConfig::default()
        });
        assert_eq!(keep_all.normalize("a\n\n\n\nb"), "a\n\n\n\nb");
    }

    #[test]
    fn html_entities() {
        assert_eq!(n("A&amp;B&nbsp;C&#x4E2D;&#20013;&lt;"), "A&B C中中<");
        // Malformed or unknown references stay.
        assert_eq!(
            n("&nbsp &amp &#xZZ; &bogus; &#0; &#x110000;"),
            "&nbsp &amp &#xZZ; &bogus; &#0; &#x110000;"
        );
        // An escaped reference stays escaped: decoding it twice would change meaning.
        assert_eq!(n("&amp;lt;"), "&amp;lt;");
        assert_eq!(n("&amp;&amp;"), "&&");
        // Removed characters inside a reference do not hide it (found by fuzzing).
        assert_eq!(n("&#\u{0}\u{1}\u{7}1\u{b};x"), "x");
        assert_eq!(n("&am\u{200B}p;\u{1}lt;"), "&amp;lt;");
    }

    #[test]
    fn fullwidth_alnum_and_compat() {
        assert_eq!(n("ＡＢＣ１２３ｘｙｚ，。"), "ABC123xyz，。");
        assert_eq!(n("\u{F900}\u{2F800}"), "\u{8C48}\u{4E3D}");
        // U+FA0E is a unified ideograph in the compatibility block: kept.
        assert_eq!(n("\u{FA0E}"), "\u{FA0E}");
    }

    #[test]
    fn cjk_punctuation() {
        assert_eq!(n("广东,支持企业;推动:发展"), "广东，支持企业；推动：发展");
        assert_eq!(n("你好吗?我很好!"), "你好吗？我很好！");
        assert_eq!(n("真的吗?!"), "真的吗？！");
        assert_eq!(n("中国(北京)市"), "中国（北京）市");
        assert_eq!(n("(一)总则"), "（一）总则");
        // Nested pairs: the inner one only (found by fuzzing: converting the
        // outer pair on a second pass broke idempotence).
        assert_eq!(n("(甲(乙)丙)"), "(甲（乙）丙)");
        // The mark before `?` is judged after NFC (U+0387 becomes U+00B7).
        assert_eq!(n(",\u{387}?"), ",·？");
        // Numbers, URLs, code, Latin text and glosses are left alone.
        for s in [
            "价格1,000元",
            "见http://example.com/a,b?x=1!",
            "调用f(1, 0, 2)返回",
            "长(cháng)江",
            "中文, English",
            "时间:12:00",
            "Hello,world",
        ] {
            assert_eq!(n(s), s);
        }
    }

    #[test]
    fn nfc() {
        assert_eq!(n("e\u{301}"), "\u{E9}");
        assert_eq!(n("Ｅ\u{301}"), "\u{C9}");
        assert_eq!(n("e\u{200B}\u{301}"), "\u{E9}");
        // Hangul jamo compose.
        assert_eq!(n("\u{1100}\u{1161}"), "\u{AC00}");
    }

    #[test]
    fn report_replays() {
        let inputs = [
            "广东,支持&nbsp;ＡＢＣ  \r\n\n\n\n中\u{200B}文 e\u{301} \u{A0}",
            "a \u{200B}\nb",
            "x&#x301;",
        ];
        for s in inputs {
            let mut r = Report::new();
            let out = Normalizer::default().normalize_with_report(s, &mut r);
            assert_eq!(
                r.replay(Stage::Normalize, s).as_deref(),
                Some(&*out),
                "{s:?}: {r:#?}"
            );
            assert!(!r.changes.is_empty());
        }
    }

    #[test]
    fn switches_turn_rules_off() {
        let none = Normalizer::new(NormalizeConfig::none());
        let s = "广东,支持&nbsp;ＡＢＣ  \r\n\n\n\n中\u{200B}文\u{F900}";
        assert!(matches!(none.normalize(s), Cow::Borrowed(_)));
    }
}
