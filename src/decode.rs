//! Bytes to text: BOM sniffing, a zero-copy UTF-8 fast path, and legacy
//! encoding detection.
//!
//! The order is fixed:
//!
//! 1. a byte order mark (UTF-8, UTF-16LE, UTF-16BE) decides, and is removed;
//! 2. a forced encoding (a WHATWG label, see [`DecodeConfig::encoding`]) decides;
//! 3. valid UTF-8 is borrowed as it is, without running the detector;
//! 4. *mostly* UTF-8 (a few malformed bytes among many well-formed multi-byte
//!    sequences) is decoded as UTF-8 with U+FFFD for the malformed bytes and
//!    flagged, rather than re-detected as a legacy encoding;
//! 5. anything else goes to [chardetng], the detector Firefox uses, and is
//!    decoded by [encoding_rs] (GBK/GB18030, Big5, Shift_JIS, EUC-KR,
//!    windows-125x, …).
//!
//! Decoding never fails and never drops text silently: malformed sequences
//! become U+FFFD and [`Decoded::had_errors`] says so.
//!
//! ```
//! use zhclean::decode::{decode, Source};
//!
//! // "中文" in GBK.
//! let d = decode(&[0xD6, 0xD0, 0xCE, 0xC4, b'!']);
//! assert_eq!(d.text, "中文!");
//! assert_eq!(d.encoding.name(), "GBK");
//! assert_eq!(d.source, Source::Detected);
//!
//! // Valid UTF-8 is borrowed.
//! let d = decode("中文".as_bytes());
//! assert!(matches!(d.text, std::borrow::Cow::Borrowed(_)));
//! ```
//!
//! [chardetng]: https://docs.rs/chardetng
//! [encoding_rs]: https://docs.rs/encoding_rs

use std::borrow::Cow;
use std::fmt;

use crate::report::{Flag, Report, Span, Stage};
use crate::Error;

/// A character encoding, as named by the WHATWG Encoding Standard.
///
/// A thin handle: it does not expose the decoder zhclean uses.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Encoding(&'static encoding_rs::Encoding);

impl Encoding {
    /// UTF-8.
    pub const UTF_8: Encoding = Encoding(encoding_rs::UTF_8);

    /// Looks up a WHATWG label (`"gbk"`, `"big5"`, `"shift_jis"`,
    /// `"utf-16le"`, `"latin1"`, …), ignoring case and surrounding spaces.
    pub fn for_label(label: &str) -> Option<Encoding> {
        encoding_rs::Encoding::for_label(label.trim().as_bytes()).map(Encoding)
    }

    /// The canonical name, e.g. `"GBK"`, `"Big5"`, `"UTF-16LE"`.
    pub fn name(self) -> &'static str {
        self.0.name()
    }
}

impl fmt::Debug for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Encoding({})", self.name())
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How the encoding was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Source {
    /// A byte order mark.
    Bom,
    /// The caller forced it.
    Forced,
    /// The input is UTF-8 (valid, or with a few malformed bytes).
    Utf8,
    /// The detector guessed it.
    Detected,
}

/// The result of [`decode`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<'a> {
    /// The text; borrowed from the input when it was valid UTF-8 without BOM.
    pub text: Cow<'a, str>,
    /// The encoding used.
    pub encoding: Encoding,
    /// How it was chosen.
    pub source: Source,
    /// Whether malformed sequences were replaced by U+FFFD.
    pub had_errors: bool,
}

/// Options of the decode stage.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
#[non_exhaustive]
pub struct DecodeConfig {
    /// Force this encoding (a WHATWG label) instead of detecting one. A BOM
    /// still wins, as in browsers. Default: `None`.
    pub encoding: Option<String>,
    /// How many bytes the detector looks at (a prefix of longer input).
    /// Default: 64 KiB. chardetng reads a few MB/s, so the prefix bounds the
    /// cost of detection; a page's first 64 KiB decide its encoding.
    pub detect_limit: usize,
    /// Largest share of malformed bytes, in thousandths of the non-ASCII
    /// bytes, for which input is still taken as damaged UTF-8 instead of a
    /// legacy encoding. Default: 50 (5 %).
    pub utf8_error_permille: u32,
}

impl Default for DecodeConfig {
    fn default() -> DecodeConfig {
        DecodeConfig {
            encoding: None,
            detect_limit: 64 << 10,
            utf8_error_permille: 50,
        }
    }
}

impl DecodeConfig {
    /// Forces an encoding by WHATWG label.
    pub fn with_encoding(mut self, label: impl Into<String>) -> DecodeConfig {
        self.encoding = Some(label.into());
        self
    }
}

/// A configured decoder. Cheap to clone, `Send + Sync`.
#[derive(Debug, Clone, Default)]
pub struct Decoder {
    config: DecodeConfig,
    forced: Option<Encoding>,
}

/// Decodes bytes with the default configuration. See the [module docs](self).
pub fn decode(bytes: &[u8]) -> Decoded<'_> {
    Decoder::default().decode(bytes)
}

impl Decoder {
    /// Builds a decoder; fails on an unknown forced encoding label or a zero
    /// `detect_limit`.
    pub fn new(config: DecodeConfig) -> Result<Decoder, Error> {
        let forced = match &config.encoding {
            None => None,
            Some(label) => {
                Some(Encoding::for_label(label).ok_or_else(|| Error::unknown_encoding(label))?)
            }
        };
        if config.detect_limit == 0 {
            return Err(Error::invalid_option("detect_limit", "must be positive"));
        }
        if config.utf8_error_permille > 1000 {
            return Err(Error::invalid_option(
                "utf8_error_permille",
                "must be at most 1000",
            ));
        }
        Ok(Decoder { config, forced })
    }

    /// The configuration.
    pub fn config(&self) -> &DecodeConfig {
        &self.config
    }

    /// Decodes `bytes`.
    pub fn decode<'a>(&self, bytes: &'a [u8]) -> Decoded<'a> {
        self.run(bytes, None)
    }

    /// Decodes `bytes`, recording what was found: the legacy encoding used,
    /// and each run of malformed bytes (spans are byte offsets in `bytes`).
    pub fn decode_with_report<'a>(&self, bytes: &'a [u8], report: &mut Report) -> Decoded<'a> {
        self.run(bytes, Some(report))
    }

    pub(crate) fn run<'a>(&self, bytes: &'a [u8], report: Option<&mut Report>) -> Decoded<'a> {
        let whole = Span::new(0, bytes.len());
        if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
            let body = &bytes[bom_len..];
            let (text, had_errors) = if enc == encoding_rs::UTF_8 {
                utf8_lossy(body, bom_len, report)
            } else {
                legacy(enc, body, whole, Source::Bom, report)
            };
            return Decoded {
                text,
                encoding: Encoding(enc),
                source: Source::Bom,
                had_errors,
            };
        }
        if let Some(forced) = self.forced {
            let (text, had_errors) = if forced.0 == encoding_rs::UTF_8 {
                utf8_lossy(bytes, 0, report)
            } else {
                legacy(forced.0, bytes, whole, Source::Forced, report)
            };
            return Decoded {
                text,
                encoding: forced,
                source: Source::Forced,
                had_errors,
            };
        }
        if let Ok(s) = std::str::from_utf8(bytes) {
            return Decoded {
                text: Cow::Borrowed(s),
                encoding: Encoding::UTF_8,
                source: Source::Utf8,
                had_errors: false,
            };
        }
        if self.mostly_utf8(bytes) {
            let (text, had_errors) = utf8_lossy(bytes, 0, report);
            return Decoded {
                text,
                encoding: Encoding::UTF_8,
                source: Source::Utf8,
                had_errors,
            };
        }
        let enc = self.detect(bytes);
        let (text, had_errors) = if enc == encoding_rs::UTF_8 {
            utf8_lossy(bytes, 0, report)
        } else {
            legacy(enc, bytes, whole, Source::Detected, report)
        };
        Decoded {
            text,
            encoding: Encoding(enc),
            source: Source::Detected,
            had_errors,
        }
    }

    /// Whether invalid UTF-8 is damaged UTF-8 rather than a legacy encoding:
    /// at least one well-formed multi-byte sequence, and malformed bytes at
    /// most `utf8_error_permille` of the non-ASCII bytes.
    fn mostly_utf8(&self, bytes: &[u8]) -> bool {
        let mut bad = 0usize;
        let mut good_multibyte = 0usize;
        let mut non_ascii = 0usize;
        for chunk in bytes.utf8_chunks() {
            let valid = chunk.valid();
            let ascii = valid.bytes().filter(|b| b.is_ascii()).count();
            good_multibyte += valid.chars().filter(|c| !c.is_ascii()).count();
            non_ascii += valid.len() - ascii + chunk.invalid().len();
            bad += chunk.invalid().len();
        }
        good_multibyte > 0
            && (bad as u64) * 1000
                <= (non_ascii as u64) * u64::from(self.config.utf8_error_permille)
    }

    fn detect(&self, bytes: &[u8]) -> &'static encoding_rs::Encoding {
        let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        let limit = self.config.detect_limit.min(bytes.len());
        det.feed(&bytes[..limit], limit == bytes.len());
        det.guess(None, chardetng::Utf8Detection::Allow)
    }
}

/// UTF-8 with U+FFFD for malformed bytes (the WHATWG/`from_utf8_lossy`
/// rule: one U+FFFD per maximal malformed subpart). `offset` is where `body`
/// starts in the stage's input, for the spans of the flags.
fn utf8_lossy<'a>(
    body: &'a [u8],
    offset: usize,
    report: Option<&mut Report>,
) -> (Cow<'a, str>, bool) {
    let text = String::from_utf8_lossy(body);
    let had_errors = matches!(text, Cow::Owned(_));
    if had_errors {
        if let Some(r) = report {
            let mut at = offset;
            for chunk in body.utf8_chunks() {
                at += chunk.valid().len();
                let n = chunk.invalid().len();
                if n > 0 {
                    // Merge adjacent runs into one flag.
                    match r.flags.last_mut() {
                        Some(f) if f.kind == "malformed-utf8" && f.span.end == at => {
                            f.span.end += n
                        }
                        _ => r.push_flag(Flag::new(
                            Stage::Decode,
                            "malformed-utf8",
                            Span::new(at, at + n),
                        )),
                    }
                }
                at += n;
            }
        }
    }
    (text, had_errors)
}

fn legacy<'a>(
    enc: &'static encoding_rs::Encoding,
    body: &'a [u8],
    whole: Span,
    source: Source,
    report: Option<&mut Report>,
) -> (Cow<'a, str>, bool) {
    let (text, had_errors) = enc.decode_without_bom_handling(body);
    if let Some(r) = report {
        let how = match source {
            Source::Bom => "byte order mark",
            Source::Forced => "forced",
            Source::Utf8 => "utf-8",
            Source::Detected => "detected",
        };
        if enc != encoding_rs::UTF_16LE && enc != encoding_rs::UTF_16BE || source != Source::Bom {
            r.push_flag(
                Flag::new(Stage::Decode, "legacy-encoding", whole)
                    .with_detail(format!("{} ({how})", enc.name())),
            );
        }
        if had_errors {
            r.push_flag(
                Flag::new(Stage::Decode, "malformed-input", whole).with_detail(format!(
                    "malformed {} sequences replaced by U+FFFD",
                    enc.name()
                )),
            );
        }
    }
    (text, had_errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(label: &str, text: &str) -> Vec<u8> {
        let e = encoding_rs::Encoding::for_label(label.as_bytes()).unwrap();
        let (bytes, _, unmappable) = e.encode(text);
        assert!(!unmappable, "{label} cannot encode {text:?}");
        bytes.into_owned()
    }

    const HANS: &str = "当前位置：首页。中华人民共和国成立于一九四九年，首都北京。我们的经济持续发展，人民生活水平不断提高。";
    const HANT: &str = "當前位置：首頁。中華民國憲法第一條規定，中華民國基於三民主義，為民有民治民享之民主共和國。";

    #[test]
    fn valid_utf8_is_borrowed() {
        let d = decode(HANS.as_bytes());
        assert!(matches!(d.text, Cow::Borrowed(_)));
        assert_eq!(d.source, Source::Utf8);
        assert!(!d.had_errors);
    }

    #[test]
    fn gbk_and_big5_are_detected() {
        let gbk = enc("gbk", HANS);
        let d = decode(&gbk);
        assert_eq!(d.text, HANS);
        assert_eq!(d.encoding.name(), "GBK");
        let big5 = enc("big5", HANT);
        let d = decode(&big5);
        assert_eq!(d.text, HANT);
        assert_eq!(d.encoding.name(), "Big5");
    }

    #[test]
    fn bom_wins() {
        let mut b = vec![0xFF, 0xFE];
        for u in HANS.encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&b);
        assert_eq!(d.text, HANS);
        assert_eq!(d.source, Source::Bom);
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice(HANS.as_bytes());
        let d = decode(&b);
        assert_eq!(d.text, HANS);
        assert_eq!(d.source, Source::Bom);
    }

    #[test]
    fn mostly_utf8_is_not_redetected() {
        let mut b = HANS.as_bytes().to_vec();
        b.insert(9, 0xFF);
        let mut r = Report::new();
        let d = Decoder::default().decode_with_report(&b, &mut r);
        assert_eq!(d.encoding, Encoding::UTF_8);
        assert!(d.had_errors);
        assert_eq!(d.text.matches('\u{FFFD}').count(), 1);
        assert_eq!(r.flags.len(), 1);
        assert_eq!(r.flags[0].span, Span::new(9, 10));
    }

    #[test]
    fn forced_label() {
        let dec = Decoder::new(DecodeConfig::default().with_encoding("big5")).unwrap();
        let big5 = enc("big5", HANT);
        let d = dec.decode(&big5);
        assert_eq!(d.text, HANT);
        assert_eq!(d.source, Source::Forced);
        let err = Decoder::new(DecodeConfig::default().with_encoding("no-such")).unwrap_err();
        assert!(matches!(
            err.kind(),
            crate::ErrorKind::UnknownEncoding { .. }
        ));
    }

    #[test]
    fn truncated_sequences_are_replaced_not_dropped() {
        let b = &HANS.as_bytes()[..HANS.len() - 1];
        let d = decode(b);
        assert!(d.had_errors);
        assert!(d.text.ends_with('\u{FFFD}'));
        assert!(d.text.starts_with("当前位置"));
    }
}
