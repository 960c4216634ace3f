//! The crate's error type.
//!
//! Cleaning text never fails: a stage that cannot decide leaves the text as it
//! was. Errors come from building things: an unknown encoding label or
//! conversion config, a malformed user dictionary, an invalid option value.

use std::fmt;

/// An error from building a stage or the [`crate::Cleaner`].
///
/// Opaque on purpose (as in `aho-corasick`): inspect it with [`Error::kind`].
/// It never exposes the types of the crates zhclean is built on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// An encoding label that the WHATWG Encoding Standard does not know.
    UnknownEncoding {
        /// The label as given.
        label: String,
    },
    /// A stage name that is not one of `decode`, `repair`, `normalize`,
    /// `boilerplate`, `convert`.
    UnknownStage {
        /// The name as given.
        name: String,
    },
    /// A conversion config name that zhclean does not ship.
    UnknownConfig {
        /// The name as given.
        name: String,
    },
    /// A dictionary or table in text form could not be read.
    InvalidDictionary {
        /// One-based line number of the offending line.
        line: usize,
        /// What was wrong with it.
        message: String,
    },
    /// An option has a value outside its domain.
    InvalidOption {
        /// The option's name.
        option: &'static str,
        /// What was wrong with the value.
        message: String,
    },
}

impl Error {
    /// Creates an error of the given kind.
    pub fn new(kind: ErrorKind) -> Error {
        Error { kind }
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    pub(crate) fn unknown_encoding(label: &str) -> Error {
        Error::new(ErrorKind::UnknownEncoding {
            label: label.to_string(),
        })
    }

    pub(crate) fn unknown_stage(name: &str) -> Error {
        Error::new(ErrorKind::UnknownStage {
            name: name.to_string(),
        })
    }

    pub(crate) fn invalid_option(option: &'static str, message: impl Into<String>) -> Error {
        Error::new(ErrorKind::InvalidOption {
            option,
            message: message.into(),
        })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::UnknownEncoding { label } => {
                write!(f, "unknown encoding label {label:?} (expected a WHATWG label such as \"gbk\", \"big5\", \"shift_jis\", \"utf-16le\")")
            }
            ErrorKind::UnknownStage { name } => write!(
                f,
                "unknown stage {name:?} (expected decode, repair, normalize, boilerplate or convert)"
            ),
            ErrorKind::UnknownConfig { name } => {
                write!(f, "unknown conversion config {name:?}")
            }
            ErrorKind::InvalidDictionary { line, message } => {
                write!(f, "invalid dictionary at line {line}: {message}")
            }
            ErrorKind::InvalidOption { option, message } => {
                write!(f, "invalid value for option {option}: {message}")
            }
        }
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_bad_value() {
        let e = Error::unknown_encoding("klingon");
        assert!(e.to_string().contains("klingon"));
        assert!(matches!(e.kind(), ErrorKind::UnknownEncoding { .. }));
        let e = Error::invalid_option("max_blank_lines", "too large");
        assert!(e.to_string().contains("max_blank_lines"));
    }
}
