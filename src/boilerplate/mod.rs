//! Boilerplate and spam removal on plain text, one block per line (as in
//! Common Crawl WET files).
//!
//! Given the text of one crawled page, [`Stripper::strip`] keeps the article
//! (title, headings, paragraphs, a letter's signature and date) and drops
//! everything else: menus and link lists, breadcrumbs, toolbars, share bars,
//! related-article lists and teasers, tag lines, datelines and bylines,
//! captions, copyright and contact blocks, ICP numbers, "Powered by" lines and
//! the SEO spam header of hacked pages. Paragraphs that the page layout broke
//! mid-sentence are joined again. Characters inside lines are never changed:
//! every output line is an input line or several consecutive input lines
//! joined.
//!
//! # How lines are judged
//!
//! The classifier looks at the whole page, not one line at a time (see the
//! `classify` module's docs): cue rules (lexicons in `data/boilerplate/`, one
//! category per file, plus the line's shape), end markers (`相关阅读`,
//! `（责任编辑：…）`, `【打印】` after most of the prose), and the article
//! region (the contiguous block with the most long punctuated text). Each
//! removed line is reported with a [`Category`] and a rule name.
//!
//! # Rules
//!
//! Rule names (the `rule` of a [`Change`]) and what they remove:
//!
//! | rule | category | removes |
//! | --- | --- | --- |
//! | `spam-header` | spam | comma-joined porn/gambling search phrases, no sentence |
//! | `icp-permit` | icp | `粤ICP备…号`, `京公网安备…`, permit numbers |
//! | `copyright-notice`, `disclaimer` | copyright | `版权所有`, `All Rights Reserved`, `不得转载` notices |
//! | `powered-by` | powered-by | `Powered by …`, `技术支持：`, browser advice |
//! | `breadcrumb-cue`, `breadcrumb-path` | breadcrumb | `您的位置：首页 > …`, `A > B > C` |
//! | `tags-line` | tags | `关键词：…`, `標籤：…` |
//! | `summary-box` | summary | `核心提示：…` whose text recurs just below |
//! | `editor-line` | byline | `（责任编辑：…）` (also an end marker) |
//! | `byline`, `dateline` | byline | `2022-01-28 14:56 来源：…`, `記者 …`, a bare date before/after the article |
//! | `comments` | comments | comment box headers (end marker) |
//! | `related-header`, `teaser` | related | `相关阅读` (end marker), `…[全文]`, list items ending in a date or count |
//! | `caption` | caption | `图为…`, `本版图片来源：…`, `（图）` |
//! | `contact` | contact | address/phone/e-mail lines |
//! | `share-bar`, `toolbar`, `button-row` | share, toolbar | lines made of widget words, `【打印】【关闭】` rows |
//! | `decoration` | menu | rules and box drawing (`-----`) |
//! | `link-list` | menu | links joined by vertical bars or spaces on one line |
//! | `menu-run` | menu | runs of short unpunctuated lines |
//! | `outside-article` | outside | short lines outside the article region |
//! | `after-end-marker` | related/comments/… | prose after an end marker |
//! | `repeated-line` | repeated | lines found in many documents (corpus mode) |
//! | `duplicate-line` | repeated | a second copy of a line of 20+ characters in the page |
//! | `blank-between-removed` | blank | blank lines left between removed lines |
//! | `rejoin` | — | the line break inside a broken paragraph |
//!
//! Kept on purpose: the title (and a kicker) just before the article, single
//! short lines inside it (headings), a signature and date right after it
//! (落款), dates inside it, and any page without prose (nothing to decide
//! with: only cue rules and menu runs apply).
//!
//! # Corpus mode
//!
//! [`RepeatedLines`] counts in a first pass how many documents contain each
//! line (memory-bounded), and [`Stripper::with_repeated_lines`] removes lines
//! found in at least `min_docs` documents in a second pass:
//!
//! ```
//! use std::sync::Arc;
//! use zhclean::boilerplate::{RepeatedLines, StripConfig, Stripper};
//!
//! let docs = ["网站导航 新闻中心\n第一篇正文，讲了一件事。\n",
//!             "网站导航 新闻中心\n第二篇正文，讲了另一件事。\n",
//!             "网站导航 新闻中心\n第三篇正文，讲了第三件事。\n"];
//! let mut counts = RepeatedLines::new(3, RepeatedLines::DEFAULT_CAPACITY);
//! for d in docs {
//!     counts.add_document(d);
//! }
//! let stripper = Stripper::new(StripConfig::default()).with_repeated_lines(Arc::new(counts));
//! assert_eq!(stripper.strip(docs[0]), "第一篇正文，讲了一件事。\n");
//! ```
//!
//! # Presets
//!
//! The default preset is conservative, recall first: losing article text is
//! worse than keeping a menu line. Long punctuated lines outside the article
//! region are kept unless a cue rule or an end marker removes them.
//! [`StripConfig::strict`] also removes them and treats two short bare lines
//! in a row as a menu.
//!
//! # Report
//!
//! With [`Stripper::strip_with_report`], every removed line is a
//! [`Change`] (rule, `line`, `detail` = category name, span = the line and
//! its line ending, after = ""), every rejoin is a change of the line ending
//! into "" (rule `rejoin`), and a hacked page raises the page-level flag
//! `seo-spam`. Changes are in input order and do not overlap, so
//! [`Report::replay`] gives the output back.
//!
//! ```
//! use zhclean::boilerplate::strip;
//!
//! let page = "首页\n新闻\n体育\n娱乐\n财经\n\
//!             春节后首个工作日，全市召开优化营商环境推进会，部署全年重点工作。\n\
//!             会议强调，要进一步优化营商环境，推动惠企政策真正落地落实。\n\
//!             责任编辑：王小明\n\
//!             粤ICP备12345678号";
//! let out = strip(page);
//! assert!(out.starts_with("春节后首个工作日"));
//! assert!(!out.contains("ICP"));
//! ```

use std::borrow::Cow;
use std::sync::Arc;

use crate::report::{Change, Flag, Report, Span, Stage};

mod classify;
mod lexicon;
mod line;
mod repeated;

pub use repeated::RepeatedLines;

use classify::{classify, Verdict};
use lexicon::Lexicon;
use line::Line;

/// Why a line was removed. The name ([`Category::name`]) is the `detail` of
/// the line's [`Change`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
#[non_exhaustive]
pub enum Category {
    /// Navigation: a run of short unpunctuated lines, or a link list on one line.
    Menu,
    /// A "you are here" path.
    Breadcrumb,
    /// Page tools: print, close, font size, script switch, login.
    Toolbar,
    /// A share bar.
    Share,
    /// Related-article headers, lists and teasers.
    Related,
    /// Comment boxes and comments.
    Comments,
    /// Keyword/tag lines.
    Tags,
    /// Dateline, source, author, editor, reporter lines.
    Byline,
    /// Photo captions and credits.
    Caption,
    /// Copyright and disclaimer notices.
    Copyright,
    /// Addresses, phone numbers, e-mail, report hotlines.
    Contact,
    /// ICP filing and permit numbers.
    Icp,
    /// "Powered by" and site-builder credits, browser advice.
    PoweredBy,
    /// A summary box repeating a paragraph of the body.
    Summary,
    /// SEO spam of a hacked page.
    Spam,
    /// A short line outside the article region.
    Outside,
    /// A line found in many documents of the corpus ([`RepeatedLines`]), or
    /// the second copy of a long line in the page.
    Repeated,
    /// A blank line between removed lines.
    Blank,
}

impl Category {
    /// The category's name, e.g. `"powered-by"`.
    pub fn name(self) -> &'static str {
        match self {
            Category::Menu => "menu",
            Category::Breadcrumb => "breadcrumb",
            Category::Toolbar => "toolbar",
            Category::Share => "share",
            Category::Related => "related",
            Category::Comments => "comments",
            Category::Tags => "tags",
            Category::Byline => "byline",
            Category::Caption => "caption",
            Category::Copyright => "copyright",
            Category::Contact => "contact",
            Category::Icp => "icp",
            Category::PoweredBy => "powered-by",
            Category::Summary => "summary",
            Category::Spam => "spam",
            Category::Outside => "outside",
            Category::Repeated => "repeated",
            Category::Blank => "blank",
        }
    }
}

/// Switches of the boilerplate stage. [`Default`] is the conservative
/// preset; [`StripConfig::strict`] the strict one.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
#[non_exhaustive]
pub struct StripConfig {
    /// Remove SEO spam header lines and flag the page (`seo-spam`).
    pub remove_spam: bool,
    /// Remove photo captions and credits.
    pub remove_captions: bool,
    /// Join paragraphs broken mid-sentence.
    pub rejoin: bool,
    /// Keep the title (and a kicker) just before the article.
    pub keep_title: bool,
    /// Treat prose after an end marker (`相关阅读`, `发表评论`,
    /// `（责任编辑：…）`, `【打印】`) as comments/teasers, when the marker
    /// comes after at least [`end_marker_share`](Self::end_marker_share)
    /// percent of the page's prose and no block of prose after it is as long
    /// as the prose before it (so a "related" box inside an article does not
    /// cut the article).
    pub cut_after_end_markers: bool,
    /// See [`cut_after_end_markers`](Self::cut_after_end_markers); 0–100.
    pub end_marker_share: usize,
    /// This many short unpunctuated lines in a row are a menu, even inside
    /// the article.
    pub menu_run: usize,
    /// Also remove long punctuated lines outside the article region.
    pub strict: bool,
}

impl Default for StripConfig {
    fn default() -> StripConfig {
        StripConfig {
            remove_spam: true,
            remove_captions: true,
            rejoin: true,
            keep_title: true,
            cut_after_end_markers: true,
            end_marker_share: 33,
            menu_run: 3,
            strict: false,
        }
    }
}

impl StripConfig {
    /// The conservative preset (the default): recall first.
    pub fn conservative() -> StripConfig {
        StripConfig::default()
    }

    /// The strict preset: also drops prose outside the article region, cuts
    /// at end markers after a fifth of the prose (default: a third), and
    /// treats two short bare lines in a row as a menu. Better precision, some risk to articles
    /// split by large widgets.
    pub fn strict() -> StripConfig {
        StripConfig {
            end_marker_share: 20,
            menu_run: 2,
            strict: true,
            ..StripConfig::default()
        }
    }
}

/// The boilerplate stripper. Cheap to clone, `Send + Sync`.
#[derive(Debug, Clone)]
pub struct Stripper {
    config: Arc<StripConfig>,
    repeated: Option<Arc<RepeatedLines>>,
    lexicon: &'static Lexicon,
}

/// Strips `text` with the default (conservative) configuration.
pub fn strip(text: &str) -> Cow<'_, str> {
    static DEFAULT: std::sync::OnceLock<Stripper> = std::sync::OnceLock::new();
    DEFAULT
        .get_or_init(|| Stripper::new(StripConfig::default()))
        .strip(text)
}

impl Default for Stripper {
    fn default() -> Stripper {
        Stripper::new(StripConfig::default())
    }
}

impl Stripper {
    /// A stripper with `config`.
    pub fn new(config: StripConfig) -> Stripper {
        Stripper {
            config: Arc::new(config),
            repeated: None,
            lexicon: Lexicon::get(),
        }
    }

    /// Also removes lines that `repeated` counts as repeated across the
    /// corpus (category `repeated`). Build `repeated` in a first pass with
    /// [`RepeatedLines::add_document`].
    pub fn with_repeated_lines(mut self, repeated: Arc<RepeatedLines>) -> Stripper {
        self.repeated = Some(repeated);
        self
    }

    /// The configuration.
    pub fn config(&self) -> &StripConfig {
        &self.config
    }

    /// Strips one page. Returns the input unchanged (borrowed) when nothing
    /// is removed or joined.
    pub fn strip<'a>(&self, text: &'a str) -> Cow<'a, str> {
        self.run(text, None)
    }

    /// Strips one page, recording every removed line and every rejoin as a
    /// [`Change`] and a spam header as the page-level [`Flag`] `seo-spam`.
    pub fn strip_with_report<'a>(&self, text: &'a str, report: &mut Report) -> Cow<'a, str> {
        self.run(text, Some(report))
    }

    /// Strips one page and appends the result to `out`.
    pub fn strip_into(&self, text: &str, out: &mut String) {
        out.push_str(&self.strip(text));
    }

    fn run<'a>(&self, text: &'a str, mut report: Option<&mut Report>) -> Cow<'a, str> {
        let lines = split_lines(text, self.lexicon);
        let c = classify(&lines, text, &self.config, self.repeated.as_deref());
        if c.spam {
            if let Some(r) = report.as_deref_mut() {
                r.push_flag(
                    Flag::new(Stage::Boilerplate, "seo-spam", Span::new(0, text.len()))
                        .with_detail("SEO spam header lines (porn/gambling search terms)"),
                );
            }
        }
        let unchanged =
            c.verdicts.iter().all(|v| *v == Verdict::Keep) && !c.join.iter().any(|j| *j);
        if unchanged {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        for (i, l) in lines.iter().enumerate() {
            match c.verdicts[i] {
                Verdict::Remove(category, rule) => {
                    if let Some(r) = report.as_deref_mut() {
                        let span = Span::new(l.start, l.next);
                        r.push_change(
                            Change::new(Stage::Boilerplate, rule, span, &text[span.range()], "")
                                .with_line(i)
                                .with_detail(category.name()),
                        );
                    }
                }
                Verdict::Keep => {
                    let content_end = l.start + l.text.len();
                    out.push_str(l.text);
                    if c.join[i] {
                        if let Some(r) = report.as_deref_mut() {
                            let span = Span::new(content_end, l.next);
                            r.push_change(
                                Change::new(
                                    Stage::Boilerplate,
                                    "rejoin",
                                    span,
                                    &text[span.range()],
                                    "",
                                )
                                .with_line(i)
                                .with_detail("paragraph broken mid-sentence"),
                            );
                        }
                    } else {
                        out.push_str(&text[content_end..l.next]);
                    }
                }
            }
        }
        Cow::Owned(out)
    }
}

/// Splits a page into measured lines. A line ends at `\n`; a `\r` before it
/// belongs to the line ending.
fn split_lines<'a>(text: &'a str, lexicon: &Lexicon) -> Vec<Line<'a>> {
    let mut lines = Vec::with_capacity(text.len() / 64 + 1);
    let mut start = 0;
    for nl in memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len())) {
        if nl == text.len() && start == text.len() {
            break;
        }
        let next = if nl < text.len() { nl + 1 } else { nl };
        let mut body = &text[start..nl];
        if let Some(b) = body.strip_suffix('\r') {
            body = b;
        }
        lines.push(Line::measure(body, start, next, lexicon));
        start = next;
    }
    lines
}

#[cfg(test)]
mod tests;
