//! zhclean turns dirty Chinese web text into clean text.
//!
//! Text pulled out of web crawls is damaged in recurring ways: legacy
//! encodings, mojibake (`涓枃` for 中文, `ä¸­æ–‡` too), HTML references and
//! invisible characters left by extraction, half-width punctuation in Chinese
//! sentences, page boilerplate and SEO spam, mixed Simplified and Traditional
//! script. zhclean repairs, strips and converts all of this as one pipeline
//! or stage by stage, and says what it changed and why.
//!
//! # Quick start
//!
//! ```
//! use zhclean::{Cleaner, convert::Config};
//!
//! // Build once (it validates options and loads tables), share everywhere.
//! let cleaner = Cleaner::builder().convert(Config::S2t).build()?;
//! let page = "您的位置:首页 > 新闻\r\n\
//!             褰撳墠浣嶇疆鐨勬柊闂荤ǹ\r\n\
//!             广东,支持企业发展ＡＩ产业&nbsp;。\r\n\
//!             版权所有 粤ICP备00000000号\r\n";
//! let (text, report) = cleaner.clean_with_report(page);
//! assert!(text.contains("廣東，支持企業發展AI產業 。"));
//! assert!(!text.contains("ICP"));
//! for change in &report.changes {
//!     println!("{} {}: {:?} -> {:?}", change.stage, change.rule, change.before, change.after);
//! }
//!
//! // Clean text is returned borrowed: no allocation, no copy.
//! let plain = Cleaner::new();
//! let clean = "中华人民共和国，简称“中国”，是位于东亚的国家。";
//! assert!(matches!(plain.clean(clean), std::borrow::Cow::Borrowed(_)));
//! # Ok::<(), zhclean::Error>(())
//! ```
//!
//! # Stages
//!
//! Each stage is a module with a plain function, a configurable engine and a
//! report, usable alone or through the [`Cleaner`], which runs them in this
//! order:
//!
//! | stage | module | entry points |
//! |---|---|---|
//! | bytes → text | [`decode`] | [`decode::decode`], [`decode::Decoder`] |
//! | mojibake, converter artifacts, damage flags | [`repair`] | [`repair::repair`], [`repair::Repairer`] |
//! | Unicode, width, punctuation, whitespace, controls | [`normalize`] | [`normalize::normalize`], [`normalize::Normalizer`] |
//! | page boilerplate, spam, paragraph rejoin | [`boilerplate`] | [`boilerplate::strip`], [`boilerplate::Stripper`] |
//! | OpenCC 1.4.2-exact script conversion, script detection | [`convert`] | [`convert::convert`], [`convert::Converter`], [`convert::detect_script`] |
//!
//! # Explain mode
//!
//! Every stage can fill a [`Report`]: each edit as a [`Change`] (stage, rule
//! name, byte span, before, after) and each finding that edits nothing as a
//! [`Flag`] (irreparable damage, a spam page). See the [`report`] module for
//! what spans refer to and how a report replays.
//!
//! # Untrusted input
//!
//! zhclean is meant to run on anything a crawler brings back. No input makes
//! it panic (property tests and cargo-fuzz targets cover every entry point);
//! every stage runs in time linear in its input, with bounded look-ahead and
//! a bounded number of repair rounds, and memory proportional to it.
//! Malformed bytes become U+FFFD and are flagged, never dropped silently. A
//! stage that cannot decide leaves the text as it was.
//!
//! # Performance
//!
//! Every stage first scans for anything to do without allocating; clean text
//! comes back borrowed. Tables (conversion dictionaries, the character
//! frequency model, lexicons) are embedded and loaded lazily, once per
//! process. The README lists measured throughput.
//!
//! # Features
//!
//! - `serde`: serialize [`Report`], [`CleanerConfig`] and the stage configs.
//! - `jsonl`: the JSON Lines record path ([`jsonl`]), used by the CLI.
//! - `cli`: the `zhclean` command-line program.
//!
//! The default build is pure Rust and needs no system library.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod boilerplate;
mod chars;
pub mod cleaner;
pub mod convert;
pub mod decode;
pub mod error;
#[cfg(feature = "jsonl")]
pub mod jsonl;
pub mod normalize;
pub mod repair;
pub mod report;

pub use cleaner::{Cleaner, CleanerBuilder, CleanerConfig};
pub use error::{Error, ErrorKind};
pub use report::{Change, Flag, Report, Span, Stage, REPORT_FORMAT_VERSION};
