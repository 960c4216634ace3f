//! The page-level line classifier.
//!
//! Three passes over the page's lines:
//!
//! 1. **Cue rules** ([`cue_rule`]): a lexicon hit plus the right shape makes a
//!    line boilerplate on its own (an ICP number, a `来源：` dateline, a
//!    breadcrumb, a share bar, a spam header, …). Each rule guards against
//!    content sentences that merely mention the cue (length, sentence
//!    punctuation, position of the cue in the line, share of the line the
//!    cues cover).
//! 2. **End markers**: a related/comments header, an editor line or a print
//!    button that comes after most of the page's prose ends the article; the
//!    prose lines after it are comments or teasers.
//! 3. **Article region**: every other line is *good* (long and punctuated),
//!    *short* or blank. The article is the contiguous region with the most
//!    good text (a maximum-sum segment: good lines add their length, short
//!    unpunctuated lines and cue lines subtract). Short lines outside it are
//!    navigation, except the title just before it and a signature/date
//!    (落款) just after it; inside it, runs of short unpunctuated lines are
//!    menus, single ones are headings and stay.
//!
//! Recall comes first: a long punctuated line is only dropped by a cue rule
//! or an end marker, never for its position alone (unless the strict preset
//! asks for it).

use super::lexicon::Lex;
use super::line::{is_cjk, Line};
use super::repeated::RepeatedLines;
use super::{Category, StripConfig};

/// What happens to one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// The line stays.
    Keep,
    /// The line goes, for this category and rule.
    Remove(Category, &'static str),
}

/// How a line looks to the region pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Blank,
    /// Long enough and punctuated: prose.
    Good,
    /// Short; `bare` when it has no sentence punctuation at all.
    Short {
        bare: bool,
    },
    /// Already removed by a cue rule.
    Cue,
}

/// The classification of a page.
#[derive(Debug, Default)]
pub(crate) struct Classified {
    pub verdicts: Vec<Verdict>,
    /// `join[i]`: line `i` is joined to the next kept line.
    pub join: Vec<bool>,
    /// Whether a spam header was found.
    pub spam: bool,
}

/// Classifies every line of a page.
pub(crate) fn classify(
    lines: &[Line<'_>],
    page: &str,
    config: &StripConfig,
    repeated: Option<&RepeatedLines>,
) -> Classified {
    let n = lines.len();
    let mut verdicts = vec![Verdict::Keep; n];
    let mut end_marker = vec![false; n];
    let mut spam = false;

    // Pass 1: cue rules and repeated lines.
    for (i, line) in lines.iter().enumerate() {
        if line.is_blank() {
            continue;
        }
        if let Some(r) = repeated {
            if r.is_repeated(line.text) {
                verdicts[i] = Verdict::Remove(Category::Repeated, "repeated-line");
                continue;
            }
        }
        if let Some(cue) = cue_rule(line, page, config) {
            if cue.category == Category::Spam {
                if !config.remove_spam {
                    continue;
                }
                spam = true;
            }
            verdicts[i] = Verdict::Remove(cue.category, cue.rule);
            end_marker[i] = cue.ends_article;
        }
    }

    let kinds: Vec<Kind> = lines
        .iter()
        .zip(&verdicts)
        .map(|(l, v)| kind(l, *v))
        .collect();

    // Pass 2: end markers. A marker ends the article when enough prose
    // precedes it and no block of prose after it is as long as what precedes
    // it (an inline "related" box inside a long article is skipped).
    if config.cut_after_end_markers {
        let total: usize = good_chars(lines, &kinds, 0..n);
        let later_block = longest_block_after(lines, &kinds);
        let mut seen = 0;
        for i in 0..n {
            if kinds[i] == Kind::Good {
                seen += lines[i].chars;
            }
            if !end_marker[i]
                || seen < 200
                || seen * 100 < total * config.end_marker_share
                || later_block[i] >= seen
            {
                continue;
            }
            let category = match verdicts[i] {
                Verdict::Remove(c, _) => c,
                Verdict::Keep => Category::Related,
            };
            for j in i + 1..n {
                if kinds[j] == Kind::Good {
                    verdicts[j] = Verdict::Remove(category, "after-end-marker");
                }
            }
            break;
        }
    }
    let kinds: Vec<Kind> = lines
        .iter()
        .zip(&verdicts)
        .map(|(l, v)| kind(l, *v))
        .collect();

    // Pass 3: the article region.
    let menu = menu_runs(lines, &kinds, config.menu_run);
    let (core_start, core_end) = core(lines, &kinds);
    let (core_start, core_end) = extend_core(lines, &kinds, &menu, core_start, core_end);
    for i in 0..n {
        let inside = i >= core_start && i < core_end;
        // A bare date inside the article is text (a date in a letter, a
        // verse reference), not a dateline.
        if inside && verdicts[i] == Verdict::Remove(Category::Byline, "dateline") {
            verdicts[i] = Verdict::Keep;
            continue;
        }
        if verdicts[i] != Verdict::Keep {
            continue;
        }
        verdicts[i] = match kinds[i] {
            Kind::Blank | Kind::Cue => Verdict::Keep,
            Kind::Good if inside => Verdict::Keep,
            // Outside the article, a line whose only punctuation is spaces
            // is more likely a row of links than informal prose.
            Kind::Good if lines[i].punct <= lines[i].soft => {
                Verdict::Remove(Category::Outside, "outside-article")
            }
            Kind::Good if !config.strict => Verdict::Keep,
            Kind::Good => Verdict::Remove(Category::Outside, "outside-article"),
            Kind::Short { bare } if inside => {
                if bare && menu[i] {
                    Verdict::Remove(Category::Menu, "menu-run")
                } else {
                    Verdict::Keep
                }
            }
            Kind::Short { .. } if menu[i] => Verdict::Remove(Category::Menu, "menu-run"),
            // No article region: the page has no prose to tell navigation
            // from text, so isolated short lines stay.
            Kind::Short { .. } if core_end == core_start => Verdict::Keep,
            Kind::Short { .. } => Verdict::Remove(Category::Outside, "outside-article"),
        };
    }
    if core_end > core_start {
        if config.keep_title {
            keep_title(lines, &kinds, &mut verdicts, core_start);
        }
        keep_signature(lines, &kinds, &mut verdicts, core_end);
        if config.remove_captions {
            split_captions(lines, &mut verdicts, core_start, core_end);
        }
    }

    drop_duplicates(lines, &mut verdicts);
    // Blank lines go with removed neighbours.
    drop_orphan_blanks(lines, &mut verdicts);

    let join = if config.rejoin {
        rejoin(lines, &verdicts)
    } else {
        vec![false; n]
    };
    Classified {
        verdicts,
        join,
        spam,
    }
}

/// For each line, the characters of the longest block of consecutive good
/// lines (blank lines allowed) that starts after it.
fn longest_block_after(lines: &[Line<'_>], kinds: &[Kind]) -> Vec<usize> {
    let n = lines.len();
    let mut out = vec![0; n];
    let mut best = 0;
    let mut run = 0;
    // Walk backwards: `run` is the block starting at `i + 1`.
    for i in (0..n).rev() {
        out[i] = best;
        match kinds[i] {
            Kind::Good => {
                run += lines[i].chars;
                best = best.max(run);
            }
            Kind::Blank => {}
            _ => run = 0,
        }
    }
    out
}

fn good_chars(lines: &[Line<'_>], kinds: &[Kind], range: std::ops::Range<usize>) -> usize {
    range
        .filter(|&i| kinds[i] == Kind::Good)
        .map(|i| lines[i].chars)
        .sum()
}

fn kind(line: &Line<'_>, verdict: Verdict) -> Kind {
    if verdict != Verdict::Keep {
        return Kind::Cue;
    }
    if line.is_blank() {
        return Kind::Blank;
    }
    if is_good(line) {
        Kind::Good
    } else {
        Kind::Short {
            bare: line.punct == 0,
        }
    }
}

/// Prose: long and punctuated, or very long.
fn is_good(l: &Line<'_>) -> bool {
    (l.chars >= 20 && l.punct >= 2) || (l.chars >= 40 && l.punct >= 1) || l.chars >= 100
}

/// The maximum-sum segment of lines: good lines add their length, short
/// unpunctuated and cue lines subtract. Returns `start..end` (empty when
/// there is no good line).
fn core(lines: &[Line<'_>], kinds: &[Kind]) -> (usize, usize) {
    let mut best = (0i64, 0usize, 0usize);
    let mut sum = 0i64;
    let mut start = 0;
    for (i, (l, k)) in lines.iter().zip(kinds).enumerate() {
        let chars = i64::try_from(l.chars).unwrap_or(i64::MAX / 4);
        let score = match k {
            Kind::Blank => 0,
            Kind::Good => chars,
            Kind::Short { bare: false } => chars / 3,
            Kind::Short { bare: true } if l.chars >= ITEM_CHARS => 0,
            Kind::Short { bare: true } => -(5 + chars / 2),
            Kind::Cue => -(3 + chars / 2),
        };
        if sum <= 0 {
            sum = 0;
            start = i;
        }
        sum = sum.saturating_add(score);
        if sum > best.0 {
            best = (sum, start, i + 1);
        }
    }
    if best.0 <= 0 {
        return (0, 0);
    }
    // Trim: the segment starts and ends at a good line.
    let (mut s, mut e) = (best.1, best.2);
    while s < e && kinds[s] != Kind::Good {
        s += 1;
    }
    while e > s && kinds[e - 1] != Kind::Good {
        e -= 1;
    }
    (s, e)
}

/// Widens the article region over short complete sentences next to it (a
/// one-line closing paragraph, a short lead), passing at most one
/// heading-like line between two of them; cue lines, menu items and prose
/// that does not end a sentence stop it.
fn extend_core(
    lines: &[Line<'_>],
    kinds: &[Kind],
    menu: &[bool],
    start: usize,
    end: usize,
) -> (usize, usize) {
    if start >= end {
        return (start, end);
    }
    let sentence = |k: usize| {
        matches!(kinds[k], Kind::Short { bare: false })
            && lines[k].chars >= 6
            && lines[k].stops >= 1
            && lines[k].ends_complete()
    };
    let heading = |k: usize| {
        matches!(kinds[k], Kind::Short { .. }) && !menu[k] && (4..=40).contains(&lines[k].chars)
    };
    let mut new_end = end;
    let mut pending = false;
    for (k, kind) in kinds.iter().enumerate().skip(end) {
        match kind {
            Kind::Blank => continue,
            _ if sentence(k) => {
                new_end = k + 1;
                pending = false;
            }
            _ if !pending && heading(k) => pending = true,
            _ => break,
        }
    }
    let mut new_start = start;
    let mut pending = false;
    for (k, kind) in kinds.iter().enumerate().take(start).rev() {
        match kind {
            Kind::Blank => continue,
            _ if sentence(k) => {
                new_start = k;
                pending = false;
            }
            _ if !pending && heading(k) => pending = true,
            _ => break,
        }
    }
    (new_start, new_end)
}

/// Lines shorter than this (and without punctuation) look like menu items;
/// longer unpunctuated lines may be headings, verse or informal prose.
const ITEM_CHARS: usize = 12;

/// Marks short lines that sit in a run of at least `min_run` menu-item-like
/// lines (short, no punctuation); cue lines and blanks inside the run do not
/// break it, and longer unpunctuated lines neither break nor count.
fn menu_runs(lines: &[Line<'_>], kinds: &[Kind], min_run: usize) -> Vec<bool> {
    let n = lines.len();
    let mut menu = vec![false; n];
    let mut i = 0;
    while i < n {
        if !matches!(kinds[i], Kind::Short { bare: true }) {
            i += 1;
            continue;
        }
        let mut j = i;
        let mut bare = 0;
        while j < n {
            match kinds[j] {
                Kind::Short { bare: true } if lines[j].chars < ITEM_CHARS => bare += 1,
                Kind::Short { bare: true } | Kind::Cue | Kind::Blank => {}
                _ => break,
            }
            j += 1;
        }
        if bare >= min_run.max(1) {
            for (k, m) in menu.iter_mut().enumerate().take(j).skip(i) {
                *m = matches!(kinds[k], Kind::Short { bare: true }) && lines[k].chars < ITEM_CHARS;
            }
        }
        i = j.max(i + 1);
    }
    menu
}

/// Keeps the title (and a kicker/subtitle) just before the article: up to
/// two short lines of at least 5 characters among the 5 lines before it,
/// skipping cue lines (datelines, share bars) and stopping at a menu item.
fn keep_title(lines: &[Line<'_>], kinds: &[Kind], verdicts: &mut [Verdict], core_start: usize) {
    let mut kept = 0;
    let mut looked = 0;
    for i in (0..core_start).rev() {
        match kinds[i] {
            Kind::Blank => continue,
            Kind::Cue => {
                looked += 1;
            }
            Kind::Good => break,
            Kind::Short { .. } => {
                let l = &lines[i];
                if l.chars < 5 || l.segments >= 4 || l.seps >= 2 || l.arrows > 0 {
                    break;
                }
                verdicts[i] = Verdict::Keep;
                kept += 1;
                looked += 1;
            }
        }
        if kept >= 2 || looked >= 5 {
            break;
        }
    }
}

/// Keeps a signature and date (落款) right after the article: up to two
/// short lines, or date lines, directly after the last paragraph.
fn keep_signature(lines: &[Line<'_>], kinds: &[Kind], verdicts: &mut [Verdict], core_end: usize) {
    let mut kept = 0;
    for i in core_end..lines.len() {
        match (kinds[i], verdicts[i]) {
            (Kind::Blank, _) => continue,
            (Kind::Short { .. }, _) if lines[i].chars >= 2 && lines[i].segments <= 3 => {
                verdicts[i] = Verdict::Keep;
            }
            (Kind::Cue, Verdict::Remove(Category::Byline, "dateline")) => {
                verdicts[i] = Verdict::Keep;
            }
            _ => break,
        }
        kept += 1;
        if kept >= 2 {
            break;
        }
    }
}

/// Removes a short unpunctuated line that splits a sentence: the kept line
/// before it ends mid-sentence and the kept line after it continues that
/// sentence. Inside an article this is a photo caption or credit that the
/// layout dropped into the paragraph.
fn split_captions(lines: &[Line<'_>], verdicts: &mut [Verdict], start: usize, end: usize) {
    let wrap = wrap_width(lines, verdicts);
    let kept = |v: &Verdict| *v == Verdict::Keep;
    let mut prev: Option<usize> = None;
    let mut i = start;
    while i < end {
        if !kept(&verdicts[i]) || lines[i].is_blank() {
            i += 1;
            continue;
        }
        let x = &lines[i];
        let candidate = x.chars <= 20 && x.punct == 0;
        if let (true, Some(a)) = (candidate, prev) {
            // The next kept line, directly after (blank lines break it).
            let b = (i + 1..end).find(|&k| kept(&verdicts[k]) || lines[k].is_blank());
            if let Some(b) = b.filter(|&b| !lines[b].is_blank()) {
                let (a, b) = (&lines[a], &lines[b]);
                // A long line with real punctuation, cut after an
                // ideograph or a clause mark, at the wrap width if the page
                // is hard-wrapped.
                let cut = a
                    .last
                    .is_some_and(|c| is_cjk(c) || matches!(c, '，' | '、'));
                let long = match wrap {
                    Some(w) => a.cols + 3 >= w && a.cols <= w + 1,
                    None => a.chars >= 40,
                };
                let opens_mid = long && a.punct >= a.soft + 2 && !a.ends_complete() && cut;
                let continues = b.lead == 0
                    && is_good(b)
                    && b.text.chars().next().is_some_and(|c| {
                        is_cjk(c) || matches!(c, '，' | '。' | '、' | '；' | '”' | '」' | '）')
                    });
                if opens_mid && continues {
                    verdicts[i] = Verdict::Remove(Category::Caption, "caption-split");
                    i += 1;
                    continue;
                }
            }
        }
        prev = Some(i);
        i += 1;
    }
}

/// Removes the later copies of a kept line of 20 or more characters that
/// occurs twice in the page (a printer-friendly or mobile copy of the
/// article, a summary repeated verbatim). The first copy stays.
fn drop_duplicates(lines: &[Line<'_>], verdicts: &mut [Verdict]) {
    let mut seen: std::collections::HashSet<&str, SampleState> =
        std::collections::HashSet::with_hasher(SampleState);
    for (l, v) in lines.iter().zip(verdicts.iter_mut()) {
        if *v != Verdict::Keep || l.chars < 20 {
            continue;
        }
        if !seen.insert(l.text.trim()) {
            *v = Verdict::Remove(Category::Repeated, "duplicate-line");
        }
    }
}

/// Hashes a string by its length and its first and last 16 bytes: equal
/// strings hash equal, and lines that differ only in their middle are rare
/// enough that the full comparison on collision costs little.
#[derive(Clone, Copy, Default)]
struct SampleState;

impl std::hash::BuildHasher for SampleState {
    type Hasher = SampleHasher;
    fn build_hasher(&self) -> SampleHasher {
        SampleHasher(0x9E37_79B9_7F4A_7C15)
    }
}

struct SampleHasher(u64);

impl std::hash::Hasher for SampleHasher {
    fn finish(&self) -> u64 {
        super::repeated::avalanche(self.0)
    }
    fn write(&mut self, bytes: &[u8]) {
        let n = bytes.len();
        let head = &bytes[..n.min(16)];
        let tail = &bytes[n.saturating_sub(16)..];
        self.0 = (self.0 ^ n as u64).wrapping_mul(0x0000_0100_0000_01b3);
        for &b in head.iter().chain(tail) {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

/// Removes blank lines whose nearest non-blank neighbours are both removed
/// (or absent), so removing a block does not leave a hole of blank lines.
fn drop_orphan_blanks(lines: &[Line<'_>], verdicts: &mut [Verdict]) {
    let n = lines.len();
    let mut prev_removed = true;
    let mut i = 0;
    while i < n {
        if !lines[i].is_blank() {
            prev_removed = verdicts[i] != Verdict::Keep;
            i += 1;
            continue;
        }
        let mut j = i;
        while j < n && lines[j].is_blank() {
            j += 1;
        }
        let next_removed = j == n || verdicts[j] != Verdict::Keep;
        // Leading blank lines of a page with content after them stay.
        if prev_removed && next_removed && !(i == 0 && j == n) {
            for v in &mut verdicts[i..j] {
                *v = Verdict::Remove(Category::Blank, "blank-between-removed");
            }
        }
        i = j;
    }
}

/// Decides which kept lines join the next kept line: the first ends
/// mid-sentence (no terminal punctuation, long enough not to be a heading)
/// and the next one continues it, with only a hard break or removed
/// captions/widgets between them. Joins are never made across a blank line
/// or between two Latin-script ends (that would glue words).
fn rejoin(lines: &[Line<'_>], verdicts: &[Verdict]) -> Vec<bool> {
    let n = lines.len();
    let mut join = vec![false; n];
    let wrap = wrap_width(lines, verdicts);
    let mut i = 0;
    while i < n {
        if verdicts[i] != Verdict::Keep || lines[i].is_blank() {
            i += 1;
            continue;
        }
        // Next kept line, with only removable interruptions between.
        let mut j = i + 1;
        let mut ok = true;
        while j < n && verdicts[j] != Verdict::Keep {
            if !matches!(
                verdicts[j],
                Verdict::Remove(
                    Category::Caption
                        | Category::Share
                        | Category::Toolbar
                        | Category::Menu
                        | Category::Outside
                        | Category::Repeated,
                    _
                )
            ) {
                ok = false;
            }
            j += 1;
        }
        if ok && j < n && continues(&lines[i], &lines[j], wrap, j > i + 1) {
            join[i] = true;
        }
        i = j;
    }
    join
}

/// The column at which the page's text was hard-wrapped, if it was: the
/// most common display width of kept lines that end mid-sentence, when at
/// least 3 lines and a third of such lines share it.
fn wrap_width(lines: &[Line<'_>], verdicts: &[Verdict]) -> Option<usize> {
    const MAX: usize = 240;
    let mut hist = [0u32; MAX + 1];
    let mut open = 0u32;
    for (l, v) in lines.iter().zip(verdicts) {
        if *v == Verdict::Keep && l.cols >= 30 && l.cols <= MAX && !l.ends_complete() {
            hist[l.cols] += 1;
            open += 1;
        }
    }
    let (w, &count) = hist.iter().enumerate().max_by_key(|&(w, c)| (*c, w))?;
    (count >= 3 && count * 3 >= open).then_some(w)
}

/// Whether `b` continues the sentence that `a` leaves open. `a` must end in
/// an open clause mark (`，`, `、`, an opening quote), or end in a word at the
/// page's wrap width, or have been split by removed lines (a caption) while
/// being a long line.
fn continues(a: &Line<'_>, b: &Line<'_>, wrap: Option<usize>, interrupted: bool) -> bool {
    // `a` must use real punctuation: in informal text that puts spaces
    // for commas, lines without a final stop are whole paragraphs.
    if a.is_blank() || b.is_blank() || a.chars < 15 || a.punct <= a.soft || a.ends_complete() {
        return false;
    }
    let (Some(last), Some(first)) = (a.text.trim_end().chars().last(), b.text.chars().next())
    else {
        return false;
    };
    if first.is_whitespace() || b.lead > 0 && !matches!(first, '（' | '(' | '「' | '“') {
        // An indented or bulleted line starts a paragraph or list item.
        return false;
    }
    let cjk_seam = is_cjk(last)
        || is_cjk(first)
        || matches!(first, '，' | '、' | '。' | '；' | '：' | '」' | '”' | '）');
    if !cjk_seam {
        return false;
    }
    if matches!(last, '，' | '、' | '“' | '「' | '（' | '《' | '—') {
        return true;
    }
    let word_end = is_cjk(last) || last.is_ascii_alphanumeric();
    let at_wrap = wrap.is_some_and(|w| a.cols + 3 >= w && a.cols <= w + 1);
    word_end && (at_wrap || (interrupted && a.chars >= 20))
}

/// A cue rule's verdict.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cue {
    pub category: Category,
    pub rule: &'static str,
    /// The line ends the article: what follows is comments or teasers.
    pub ends_article: bool,
}

fn cue(category: Category, rule: &'static str) -> Option<Cue> {
    Some(Cue {
        category,
        rule,
        ends_article: false,
    })
}

fn end(category: Category, rule: &'static str) -> Option<Cue> {
    Some(Cue {
        category,
        rule,
        ends_article: true,
    })
}

/// Non-blank bytes of the line (for coverage ratios).
fn visible_bytes(l: &Line<'_>) -> usize {
    l.text.bytes().filter(|b| !b.is_ascii_whitespace()).count()
}

/// The rules that decide a line from its own shape and cues.
pub(crate) fn cue_rule(l: &Line<'_>, page: &str, config: &StripConfig) -> Option<Cue> {
    let h = &l.hits;
    let short = l.chars <= 30;

    // Spam header: several porn/gambling terms, no sentence, joined by
    // commas or spaces.
    if h.count(Lex::Spam) >= 3 && l.stops == 0 {
        let covered = h.covered(Lex::Spam);
        let joints = l
            .text
            .chars()
            .filter(|c| matches!(c, ',' | '，' | '、' | '_' | '|' | '-' | ' ' | '　'))
            .count();
        if covered * 10 >= visible_bytes(l) * 3 && joints >= 2 {
            return cue(Category::Spam, "spam-header");
        }
    }
    if h.has(Lex::Icp) && l.chars <= 200 {
        return cue(Category::Icp, "icp-permit");
    }
    // Long lines need the notice to open the line or several cues: a
    // sentence about 版权所有者 is prose.
    let notice_opens = h.first(Lex::Copyright).is_some_and(|f| f <= 12);
    let notice_closes = h.last(Lex::Copyright).is_some_and(|f| f <= 12);
    if h.has(Lex::Copyright)
        && (l.chars <= 25 || notice_opens || notice_closes || h.count(Lex::Copyright) >= 2)
    {
        // A short sentence that mentions 版权所有 in passing is rare; a
        // notice line rarely ends in a question.
        if !(l.chars > 12 && l.last.is_some_and(|c| matches!(c, '？' | '?'))) {
            return cue(Category::Copyright, "copyright-notice");
        }
    }
    if h.count(Lex::Disclaimer) >= 2 && l.chars <= 60 && l.stops <= 1 {
        return cue(Category::Copyright, "disclaimer");
    }
    let powered_opens = h.first(Lex::Powered).is_some_and(|f| f <= 3);
    if h.has(Lex::Powered) && l.chars <= 80 && (l.stops == 0 || (powered_opens && l.stops <= 1)) {
        return cue(Category::PoweredBy, "powered-by");
    }
    // Breadcrumb: a "you are here" cue near the start, or a path of short
    // segments joined by arrows.
    if l.stops == 0 && l.chars <= 120 {
        if h.first(Lex::Breadcrumb).is_some_and(|f| f <= 12) {
            return cue(Category::Breadcrumb, "breadcrumb-cue");
        }
        if l.arrows >= 2 && l.chars <= 12 * (l.arrows + 1) {
            return cue(Category::Breadcrumb, "breadcrumb-path");
        }
    }
    if h.first(Lex::Tags) == Some(0) && l.chars <= 150 && l.stops <= 1 {
        return cue(Category::Tags, "tags-line");
    }
    if h.first(Lex::Summary) == Some(0) && l.chars >= 20 && repeats_later(l, page) {
        return cue(Category::Summary, "summary-box");
    }
    // Editor line, often the last line of a news article.
    if h.has(Lex::Byline) && l.chars <= 60 && l.stops == 0 {
        let editor = l.text.contains("责任编辑")
            || l.text.contains("責任編輯")
            || l.text.contains("责编")
            || l.text.contains("責編");
        if editor {
            return end(Category::Byline, "editor-line");
        }
    }
    // Comment boxes end the article.
    if h.has(Lex::Comments)
        && l.chars <= 60
        && l.stops <= 1
        && (short || h.first(Lex::Comments) == Some(0))
    {
        return end(Category::Comments, "comments");
    }
    // Related-article headers end the article; teasers are cut short.
    if h.has(Lex::Related) && l.stops <= 1 {
        let cover = h.covered(Lex::Related) * 100 / visible_bytes(l).max(1);
        if l.chars <= 12 || cover >= 40 {
            return end(Category::Related, "related-header");
        }
        // `延伸阅读：<teaser title>`
        let opens = h.first(Lex::Related) == Some(0);
        let rest = &l.text[l.lead..];
        let colon = rest
            .char_indices()
            .take(8)
            .any(|(_, c)| c == '：' || c == ':');
        if opens && colon && l.chars <= 60 {
            return end(Category::Related, "related-header");
        }
    }
    if is_teaser(l) {
        return cue(Category::Related, "teaser");
    }
    // Byline / dateline.
    if h.has(Lex::Byline) && l.stops == 0 {
        let at_start = h.first(Lex::Byline).is_some_and(|f| f <= 3);
        if (at_start && l.chars <= 40) || (l.chars <= 80 && (l.dated || h.count(Lex::Byline) >= 2))
        {
            return cue(Category::Byline, "byline");
        }
        if l.chars <= 40 && l.punct <= 2 && !at_start && l.dated {
            return cue(Category::Byline, "byline");
        }
    }
    if l.dated && l.stops == 0 && l.chars <= 30 && l.punct <= 1 && l.cjk <= 12 {
        return cue(Category::Byline, "dateline");
    }
    if config.remove_captions && h.has(Lex::Caption) {
        let at_start = h.first(Lex::Caption).is_some_and(|f| f <= 3);
        if (at_start && l.chars <= 80 && l.stops <= 1) || (l.chars <= 40 && l.stops <= 1) {
            return cue(Category::Caption, "caption");
        }
    }
    if h.has(Lex::Contact) && l.chars <= 120 && l.stops <= 1 {
        let digits_or_mail = l.digits >= 5 || l.text.contains('@');
        if digits_or_mail || (short && h.count(Lex::Contact) >= 2) {
            return cue(Category::Contact, "contact");
        }
    }
    // Share bars and toolbars: lines made mostly of widget words.
    let widget = h.covered(Lex::Share) + h.covered(Lex::Toolbar) + h.covered(Lex::Comments);
    if widget > 0 && l.stops == 0 && l.chars <= 60 {
        let vis = visible_bytes(l).max(1);
        if widget * 2 >= vis || (h.count(Lex::Share) + h.count(Lex::Toolbar) >= 2 && short) {
            let cat = if h.covered(Lex::Share) >= h.covered(Lex::Toolbar) {
                Category::Share
            } else {
                Category::Toolbar
            };
            let ends = cat == Category::Toolbar
                && ["打印", "列印", "关闭", "關閉"]
                    .iter()
                    .any(|w| l.text.contains(w));
            return Some(Cue {
                category: cat,
                rule: if cat == Category::Share {
                    "share-bar"
                } else {
                    "toolbar"
                },
                ends_article: ends,
            });
        }
    }
    // A row of bracketed buttons: `【推荐】【字体：大 中 小】【打印】【关闭】`.
    if l.stops == 0
        && l.chars <= 80
        && l.text.contains(['【', '[', '［'])
        && bracketed_buttons(l.text) >= 3
    {
        return end(Category::Toolbar, "button-row");
    }
    // Decoration: rules and box-drawing without a letter, digit or ideograph.
    if l.text
        .chars()
        .all(|c| c.is_whitespace() || is_decoration(c))
    {
        return cue(Category::Menu, "decoration");
    }
    // A link list on one line: many short segments between separators.
    if l.stops == 0 && l.punct <= 1 && l.segments >= 4 {
        let seg_chars = (l.chars - l.seps) as f32 / l.segments as f32;
        if (l.seps >= 2 && seg_chars <= 8.0) || seg_chars <= 4.0 {
            return cue(Category::Menu, "link-list");
        }
    }
    None
}

/// A teaser of another article: a bulleted or numbered item that ends in a
/// date, a count or a "full text" link, or a text cut short with `...`.
fn is_teaser(l: &Line<'_>) -> bool {
    let t = l.text.trim_end();
    if l.chars > 90 {
        return false;
    }
    for tail in [
        "[全文]",
        "[详细]",
        "[詳細]",
        "[详情]",
        "[詳情]",
        "【全文】",
        "【详细】",
        "全文>>",
        "详细>>",
        "...",
    ] {
        if t.ends_with(tail) && l.chars > tail.chars().count() {
            return true;
        }
    }
    // Ranked list item: `3. 标题(6210)`.
    let numbered = t.chars().next().is_some_and(|c| c.is_ascii_digit())
        && t.trim_start_matches(|c: char| c.is_ascii_digit())
            .starts_with(['.', '、', '．']);
    if (numbered || l.lead > 0) && l.stops <= 1 && ends_with_count(t) {
        return true;
    }
    // Item ending in a bracketed date, maybe followed by a count:
    // `…（2005-04-03 17:19PM）`, `…(2006-12-18)[793]`; or opening with one:
    // `[2005-08-21] 标题`.
    // Thread and archive indexes: a title, then a date or time near the end
    // of the line, closed by a bracket (`…08-11 16:06 298字 [4321/87]`).
    let ends_bracket = l.last.is_some_and(|c| matches!(c, ')' | '）' | ']' | '］'));
    if ends_bracket && l.stops == 0 && l.chars <= 60 {
        let tail_start = t.char_indices().rev().nth(24).map_or(0, |(i, _)| i);
        let titled = trailing_bracket(t).is_some_and(|(before, _)| title_chars(before) >= 4);
        if titled && super::line::has_date_or_time(&t[tail_start..]) {
            return true;
        }
    }
    if l.stops <= 1 && l.chars <= 60 {
        let t = strip_count(t);
        if let Some((before, date)) = trailing_bracket(t) {
            if is_bare_date(date) && title_chars(before) >= 4 {
                return true;
            }
        }
        if let Some((date, after)) = leading_bracket(t.trim_start()) {
            if is_bare_date(date) && title_chars(after) >= 4 {
                return true;
            }
        }
    }
    false
}

/// `t` without a final bracketed count (`[793]`, `(15)`).
fn strip_count(t: &str) -> &str {
    match trailing_bracket(t) {
        Some((before, inner)) if !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit()) => {
            before.trim_end()
        }
        _ => t,
    }
}

/// Splits `…(inner)` into the text before the bracket and `inner`.
fn trailing_bracket(t: &str) -> Option<(&str, &str)> {
    let close = t.chars().last()?;
    let open = match close {
        ')' => '(',
        '）' => '（',
        ']' => '[',
        '］' => '［',
        '】' => '【',
        _ => return None,
    };
    let body = &t[..t.len() - close.len_utf8()];
    let at = body.rfind(open)?;
    Some((&body[..at], &body[at + open.len_utf8()..]))
}

/// Splits `(inner)…` into `inner` and the text after the bracket.
fn leading_bracket(t: &str) -> Option<(&str, &str)> {
    let open = t.chars().next()?;
    let close = match open {
        '(' => ')',
        '（' => '）',
        '[' => ']',
        '［' => '］',
        '【' => '】',
        _ => return None,
    };
    let body = &t[open.len_utf8()..];
    let at = body.find(close)?;
    Some((&body[..at], &body[at + close.len_utf8()..]))
}

/// Whether `s` is nothing but a date and/or time (`2005-04-03 17:19PM`,
/// `2006年12月18日`, `12/18`).
fn is_bare_date(s: &str) -> bool {
    let s = s.trim();
    !s.is_empty()
        && super::line::has_date_or_time(s)
        && s.chars().all(|c| {
            c.is_ascii_digit()
                || matches!(
                    c,
                    '-' | '/'
                        | '.'
                        | ':'
                        | '：'
                        | ' '
                        | '年'
                        | '月'
                        | '日'
                        | 'A'
                        | 'P'
                        | 'M'
                        | 'a'
                        | 'p'
                        | 'm'
                )
        })
}

/// Ideographs, letters and digits in `s`.
fn title_chars(s: &str) -> usize {
    s.chars()
        .filter(|c| is_cjk(*c) || c.is_alphanumeric())
        .count()
}

/// Whether `t` ends in a bracketed number: `(6210)`, `[793]`, `（15）`.
fn ends_with_count(t: &str) -> bool {
    let Some(inner) = t
        .strip_suffix(')')
        .or_else(|| t.strip_suffix('）'))
        .or_else(|| t.strip_suffix(']'))
    else {
        return false;
    };
    let digits = inner.bytes().rev().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return false;
    }
    let before = &inner[..inner.len() - digits];
    let title = before
        .strip_suffix('(')
        .or_else(|| before.strip_suffix('（'))
        .or_else(|| before.strip_suffix('['));
    // Something must precede the count: a bare `[1]` is a reference mark.
    title.is_some_and(|t| {
        t.chars()
            .filter(|c| is_cjk(*c) || c.is_alphanumeric())
            .count()
            >= 4
    })
}

/// Rules, dashes, box drawing, arrows and bullets.
fn is_decoration(c: char) -> bool {
    matches!(
        c,
        '-' | '='
            | '_'
            | '*'
            | '~'
            | '#'
            | '+'
            | '.'
            | '·'
            | '•'
            | '－'
            | '＝'
            | '—'
            | '～'
            | '※'
            | '○'
            | '●'
            | '◆'
            | '◇'
            | '■'
            | '□'
            | '★'
            | '☆'
    ) || ('\u{2190}'..='\u{21FF}').contains(&c)
        || ('\u{2500}'..='\u{257F}').contains(&c)
}

/// Number of `【…】` / `[…]` groups that hold at most 10 characters.
fn bracketed_buttons(t: &str) -> usize {
    let mut n = 0;
    let mut inside: Option<usize> = None;
    for c in t.chars() {
        match c {
            '【' | '[' | '［' => inside = Some(0),
            '】' | ']' | '］' => {
                if inside.is_some_and(|k| (1..=10).contains(&k)) {
                    n += 1;
                }
                inside = None;
            }
            _ => {
                if let Some(k) = inside.as_mut() {
                    *k += 1;
                }
            }
        }
    }
    n
}

/// Bytes after a summary box searched for the paragraph it repeats.
const SUMMARY_WINDOW: usize = 32 * 1024;

/// Whether the text after a summary cue (`核心提示：…`) occurs again later in
/// the page: a summary box repeating a paragraph of the body.
fn repeats_later(l: &Line<'_>, page: &str) -> bool {
    let body = l.text[l.lead..]
        .split_once(['：', ':'])
        .map_or("", |(_, rest)| rest.trim());
    // A probe of ~12 characters from the start of the summary.
    let probe_end = body.char_indices().nth(12).map_or(body.len(), |(i, _)| i);
    let probe = &body[..probe_end];
    if probe.chars().count() < 8 {
        return false;
    }
    // The body paragraph follows the box closely; a bounded window keeps a
    // page of a million summary lines linear.
    let after = page.as_bytes().get(l.next..).unwrap_or(&[]);
    let window = &after[..after.len().min(SUMMARY_WINDOW)];
    memchr::memmem::find(window, probe.as_bytes()).is_some()
}
