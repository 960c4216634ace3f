//! zhclean turns dirty Chinese web text into clean text.
//!
//! Text pulled out of web crawls is damaged in recurring ways: legacy
//! encodings, mojibake, HTML references and invisible characters left by
//! extraction, half-width punctuation in Chinese sentences, page boilerplate,
//! mixed Simplified and Traditional script. zhclean repairs, strips and
//! converts all of this as one pipeline or stage by stage, and says what it
//! changed and why.
//!
//! # Quick start
//!
//! ```
//! use zhclean::Cleaner;
//!
//! // Build once (it validates options and compiles tables), share everywhere.
//! let cleaner = Cleaner::new();
//! let dirty = "当前位置:首页\u{200B}&nbsp;\r\n广东,支持企业发展ＡＩ产业。  \r\n";
//! assert_eq!(cleaner.clean(dirty), "当前位置：首页\n广东，支持企业发展AI产业。\n");
//!
//! // Clean text is returned borrowed: no allocation, no copy.
//! let clean = "中华人民共和国，简称“中国”。";
//! assert!(matches!(cleaner.clean(clean), std::borrow::Cow::Borrowed(_)));
//! ```
//!
//! # Stages
//!
//! Each stage is a module with a plain function, a configurable engine and a
//! report, usable alone or through the [`Cleaner`]:
//!
//! | stage | module | entry point |
//! |---|---|---|
//! | bytes → text | [`decode`] | [`decode::decode`], [`decode::Decoder`] |
//! | Unicode, width, punctuation, whitespace, controls | [`normalize`] | [`normalize::normalize`], [`normalize::Normalizer`] |
//!
//! # Explain mode
//!
//! Every stage can fill a [`Report`]: each edit as a [`Change`] (stage, rule
//! name, byte span, before, after) and each finding that edits nothing as a
//! [`Flag`]. See the [`report`] module for what spans refer to and how a
//! report replays.
//!
//! # Untrusted input
//!
//! zhclean is meant to run on anything a crawler brings back. No input makes
//! it panic; every stage runs in time linear in its input and memory
//! proportional to it (no backtracking, bounded look-ahead). Malformed bytes
//! become U+FFFD and are flagged, never dropped silently. A stage that cannot
//! decide leaves the text as it was.
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
