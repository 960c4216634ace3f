//! What a stage changed and what it noticed: the explain mode.
//!
//! Every stage can run with a [`Report`]. It then records each edit as a
//! [`Change`] (stage, rule name, byte span, text before and after) and each
//! finding that edits nothing as a [`Flag`] (for example irreparable damage).
//!
//! # Spans
//!
//! A span is a half-open byte range into **the text that entered the stage
//! that made the record**. For the first text stage of a pipeline that is the
//! caller's input; later stages see the output of earlier ones. Records are
//! appended in pipeline order, and within one stage in input order, so a
//! reader can replay a report stage by stage: applying the changes of one
//! stage, in order, to that stage's input gives its output.
//!
//! Reports carry [`REPORT_FORMAT_VERSION`]; with the `serde` feature they
//! serialize to a stable JSON shape.

use std::borrow::Cow;
use std::fmt;

/// Version of the report's serialized shape. It is bumped whenever a field is
/// renamed, removed or changes meaning.
pub const REPORT_FORMAT_VERSION: u32 = 1;

/// A pipeline stage, in pipeline order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Stage {
    /// Bytes to text ([`crate::decode`]).
    Decode,
    /// Mojibake and converter artifacts.
    Repair,
    /// Unicode, width, punctuation, whitespace and controls ([`crate::normalize`]).
    Normalize,
    /// Line-level removal of page boilerplate and spam.
    Boilerplate,
    /// Script conversion.
    Convert,
}

impl Stage {
    /// All stages in pipeline order.
    pub const ALL: [Stage; 5] = [
        Stage::Decode,
        Stage::Repair,
        Stage::Normalize,
        Stage::Boilerplate,
        Stage::Convert,
    ];

    /// The stage's lower-case name, as used by the CLI (`--stages`).
    pub fn name(self) -> &'static str {
        match self {
            Stage::Decode => "decode",
            Stage::Repair => "repair",
            Stage::Normalize => "normalize",
            Stage::Boilerplate => "boilerplate",
            Stage::Convert => "convert",
        }
    }

    /// Parses a stage name as produced by [`Stage::name`].
    pub fn from_name(name: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.name() == name)
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A half-open byte range `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The span as a range, for slicing.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start..self.end
    }

    /// Length in bytes.
    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether the span covers no bytes.
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
}

/// One edit made by a stage.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Change {
    /// The stage that made the edit.
    pub stage: Stage,
    /// The rule's name, e.g. `"html-entity"`. Stable across patch releases.
    pub rule: Cow<'static, str>,
    /// Bytes of the stage's input that were replaced.
    pub span: Span,
    /// The replaced text (equal to `input[span]`).
    pub before: String,
    /// The replacement.
    pub after: String,
    /// Zero-based line of the stage's input where the span starts, for
    /// line-level stages; `None` otherwise.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub line: Option<usize>,
    /// Free-form explanation (e.g. the codec chain of a repair, or the
    /// category of a removed line).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub detail: Option<String>,
}

impl Change {
    /// A change of `before` (at `span`) into `after`, made by `rule` of `stage`.
    pub fn new(
        stage: Stage,
        rule: impl Into<Cow<'static, str>>,
        span: Span,
        before: impl Into<String>,
        after: impl Into<String>,
    ) -> Change {
        Change {
            stage,
            rule: rule.into(),
            span,
            before: before.into(),
            after: after.into(),
            line: None,
            detail: None,
        }
    }

    /// Sets the line number.
    pub fn with_line(mut self, line: usize) -> Change {
        self.line = Some(line);
        self
    }

    /// Sets the explanation.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Change {
        self.detail = Some(detail.into());
        self
    }
}

/// A finding that changes nothing, e.g. irreparable damage or a spam page.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Flag {
    /// The stage that raised it.
    pub stage: Stage,
    /// What was found, e.g. `"malformed-utf8"`. Stable across patch releases.
    pub kind: Cow<'static, str>,
    /// Where, in the stage's input. Page-level flags span the whole input.
    pub span: Span,
    /// Free-form explanation.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub detail: Option<String>,
}

impl Flag {
    /// A flag of `kind` raised by `stage` over `span`.
    pub fn new(stage: Stage, kind: impl Into<Cow<'static, str>>, span: Span) -> Flag {
        Flag {
            stage,
            kind: kind.into(),
            span,
            detail: None,
        }
    }

    /// Sets the explanation.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Flag {
        self.detail = Some(detail.into());
        self
    }
}

/// Everything the stages changed and flagged, in pipeline order.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Report {
    /// [`REPORT_FORMAT_VERSION`] of the code that wrote the report.
    pub format_version: u32,
    /// Edits, in pipeline order and, within a stage, in input order.
    pub changes: Vec<Change>,
    /// Findings that changed nothing.
    pub flags: Vec<Flag>,
    /// Changes per stage and rule, in first-seen order, for a counting
    /// report (which keeps them instead of `changes`).
    #[cfg_attr(feature = "serde", serde(skip))]
    counts: Option<Vec<(Stage, Cow<'static, str>, u64)>>,
}

impl Default for Report {
    fn default() -> Report {
        Report::new()
    }
}

impl Report {
    /// An empty report.
    pub fn new() -> Report {
        Report {
            format_version: REPORT_FORMAT_VERSION,
            changes: Vec::new(),
            flags: Vec::new(),
            counts: None,
        }
    }

    /// A report that only counts the changes per stage and rule (see
    /// [`Report::change_counts`]) and keeps `changes` empty; flags are kept
    /// as usual. Much cheaper when the edits themselves are not read, e.g.
    /// for a summary of a large corpus; it cannot be replayed.
    pub fn counting() -> Report {
        Report {
            counts: Some(Vec::new()),
            ..Report::new()
        }
    }

    /// Whether this is a counting report ([`Report::counting`]).
    pub fn is_counting(&self) -> bool {
        self.counts.is_some()
    }

    /// How many changes each rule of each stage made, in the order the rules
    /// first occurred; the same for a counting report and a full one.
    pub fn change_counts(&self) -> Vec<(Stage, &str, u64)> {
        match &self.counts {
            Some(counts) => counts.iter().map(|(s, r, n)| (*s, &**r, *n)).collect(),
            None => {
                let mut counts: Vec<(Stage, &str, u64)> = Vec::new();
                for c in &self.changes {
                    match counts
                        .iter_mut()
                        .find(|(s, r, _)| *s == c.stage && *r == c.rule)
                    {
                        Some((_, _, n)) => *n += 1,
                        None => counts.push((c.stage, &c.rule, 1)),
                    }
                }
                counts
            }
        }
    }

    /// Whether nothing was changed or flagged.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
            && self.flags.is_empty()
            && self.counts.as_ref().is_none_or(Vec::is_empty)
    }

    /// Empties the report, keeping its allocations (and its kind).
    pub fn clear(&mut self) {
        self.changes.clear();
        self.flags.clear();
        if let Some(counts) = &mut self.counts {
            counts.clear();
        }
    }

    /// Records an edit (a counting report only counts it).
    pub fn push_change(&mut self, change: Change) {
        match &mut self.counts {
            None => self.changes.push(change),
            Some(_) => self.count_change(change.stage, change.rule),
        }
    }

    /// Counts one edit of `rule` in a counting report without building its
    /// [`Change`] (a stage that makes many small edits checks
    /// [`Report::is_counting`] first and skips copying texts nobody reads).
    /// Does nothing to a full report.
    pub(crate) fn count_change(&mut self, stage: Stage, rule: impl Into<Cow<'static, str>>) {
        let Some(counts) = &mut self.counts else {
            return;
        };
        let rule = rule.into();
        match counts
            .iter_mut()
            .find(|(s, r, _)| *s == stage && *r == rule)
        {
            Some((_, _, n)) => *n += 1,
            None => counts.push((stage, rule, 1)),
        }
    }

    /// Records edits in order (a counting report only counts them).
    pub fn extend_changes(&mut self, changes: impl IntoIterator<Item = Change>) {
        for c in changes {
            self.push_change(c);
        }
    }

    /// Records a finding.
    pub fn push_flag(&mut self, flag: Flag) {
        self.flags.push(flag);
    }

    /// Whether some stage raised a flag of `kind`.
    pub fn has_flag(&self, kind: &str) -> bool {
        self.flags.iter().any(|f| f.kind == kind)
    }

    /// The changes made by one stage.
    pub fn changes_of(&self, stage: Stage) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.stage == stage)
    }

    /// Applies the changes of `stage` to that stage's `input`, giving the
    /// stage's output. This is how a report is replayed; it returns `None` if
    /// the changes do not fit `input` (wrong input, overlapping spans, or a
    /// `before` that does not match).
    pub fn replay(&self, stage: Stage, input: &str) -> Option<String> {
        let mut out = String::with_capacity(input.len());
        let mut at = 0;
        for c in self.changes_of(stage) {
            if c.span.start < at || c.span.end > input.len() {
                return None;
            }
            if input.get(c.span.range())? != c.before {
                return None;
            }
            out.push_str(input.get(at..c.span.start)?);
            out.push_str(&c.after);
            at = c.span.end;
        }
        out.push_str(input.get(at..)?);
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_names_round_trip() {
        for s in Stage::ALL {
            assert_eq!(Stage::from_name(s.name()), Some(s));
        }
        assert_eq!(Stage::from_name("nope"), None);
    }

    #[test]
    fn replay_applies_changes_in_order() {
        let mut r = Report::new();
        r.push_change(Change::new(
            Stage::Normalize,
            "a",
            Span::new(0, 1),
            "a",
            "A",
        ));
        r.push_change(Change::new(Stage::Normalize, "c", Span::new(2, 3), "c", ""));
        assert_eq!(r.replay(Stage::Normalize, "abcd").as_deref(), Some("Abd"));
        // A report does not fit another text.
        assert_eq!(r.replay(Stage::Normalize, "xbcd"), None);
        // Changes of other stages are not applied.
        assert_eq!(r.replay(Stage::Repair, "abcd").as_deref(), Some("abcd"));
    }
}
