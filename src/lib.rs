//! zhclean: turn dirty Chinese web text into clean text.
//!
//! (Crate documentation is completed as stages land.)
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod boilerplate;
pub mod error;
pub mod report;

pub use error::{Error, ErrorKind};
pub use report::{Change, Flag, Report, Span, Stage, REPORT_FORMAT_VERSION};
