//! Repair: undo wrong decodes (mojibake), remove converter artifacts, flag
//! what cannot be recovered. Clean text passes through byte-identical.
//!
//! # What is repaired
//!
//! * **Single-byte wrong decodes**: UTF-8 read as windows-1252 or latin-1
//!   (`ä¸­æ–‡` → `中文`), once or several times, whether the whole text, one
//!   line or a fragment inside a clean line is damaged. Bytes that were lost
//!   (windows-1252's undefined bytes turned into U+FFFD or dropped) leave one
//!   U+FFFD per lost character.
//! * **CJK wrong decodes**: UTF-8 read as GBK/GB18030 (`涓枃` → `中文`, also
//!   the Windows CP936 flavour that wrote `?` for an invalid pair and
//!   swallowed the next byte), Big5 or Shift_JIS. These decoders lose bytes;
//!   what survives is decoded and each lost character becomes one U+FFFD.
//! * **Legacy bytes read as a code page**: GBK or Big5 text read as
//!   windows-1252/latin-1 (`ÖÐÎÄ` → `中文`).
//! * **Pinyin annotations**: `發(fā)展` → `發展` (see the `pinyin` rule).
//!
//! # What is only flagged
//!
//! U+FFFD runs (legacy bytes decoded as UTF-8: the bytes are gone), `锟斤拷`
//! and `烫烫烫`/`屯屯屯` are reported as [`Flag`]s and left as they are.
//!
//! # How it decides
//!
//! A fast byte scan looks for the fingerprints of damage; text without them
//! is returned as [`Cow::Borrowed`]. Suspicious lines are re-encoded with each
//! wrong decoder and decoded correctly, segment by segment; a segment is
//! repaired only if a plausibility model (character frequencies derived from
//! jieba's dictionary, plus classes for everything else) finds the result
//! clearly less surprising than the input. When undecided the text stays as
//! it was. Every step is linear in the input length.

use std::borrow::Cow;

use crate::error::Error;
use crate::report::{Change, Flag, Report, Span, Stage};

mod codec;
mod flags;
mod mojibake;
mod pinyin;
mod scan;
mod score;
mod tables;

pub use codec::Codec;

use mojibake::{Candidate, Params};

/// What the repair stage does.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct RepairConfig {
    /// Wrong decoders of UTF-8 to undo. Default: all of [`Codec::ALL`].
    pub codecs: Vec<Codec>,
    /// Also undo GBK and Big5 bytes read as windows-1252/latin-1. Default on.
    pub legacy_as_single_byte: bool,
    /// Repair damage that covers a whole line (and so whole documents,
    /// line by line). Default on.
    pub lines: bool,
    /// Repair damaged fragments inside otherwise clean lines. Default on.
    pub fragments: bool,
    /// Remove pinyin annotations after Traditional characters. Default on.
    pub pinyin_annotations: bool,
    /// Flag unrecoverable damage in reports. Default on.
    pub flag_damage: bool,
    /// Most rounds of wrong decoding undone in one place (1..=4). Default 3.
    pub max_rounds: u8,
}

impl Default for RepairConfig {
    fn default() -> RepairConfig {
        RepairConfig {
            codecs: Codec::ALL.to_vec(),
            legacy_as_single_byte: true,
            lines: true,
            fragments: true,
            pinyin_annotations: true,
            flag_damage: true,
            max_rounds: 3,
        }
    }
}

/// The repair engine: built once, shared freely (`Send + Sync`, cheap clone).
#[derive(Debug, Clone)]
pub struct Repairer {
    config: std::sync::Arc<RepairConfig>,
    params: std::sync::Arc<Params>,
}

/// Repairs `text` with the default configuration.
///
/// ```
/// assert_eq!(zhclean::repair::repair("ä¸\u{AD}æ–‡"), "中文");
/// assert_eq!(zhclean::repair::repair("涓涓细流汇成江河"), "涓涓细流汇成江河");
/// ```
pub fn repair(text: &str) -> Cow<'_, str> {
    default_repairer().repair(text)
}

fn default_repairer() -> &'static Repairer {
    static R: std::sync::OnceLock<Repairer> = std::sync::OnceLock::new();
    R.get_or_init(|| Repairer::new(RepairConfig::default()).expect("default config is valid"))
}

/// One edit, in stage-input byte offsets.
struct Edit {
    start: usize,
    end: usize,
    after: String,
    rule: &'static str,
    detail: Option<String>,
    line: usize,
}

impl Repairer {
    /// Builds a repairer; fails if `max_rounds` is not in `1..=4`.
    pub fn new(config: RepairConfig) -> Result<Repairer, Error> {
        if !(1..=4).contains(&config.max_rounds) {
            return Err(Error::invalid_option(
                "max_rounds",
                "must be between 1 and 4",
            ));
        }
        let mut codecs = config.codecs.clone();
        codecs.dedup();
        let params = Params {
            codecs,
            legacy: config.legacy_as_single_byte,
            levels: mojibake::Levels {
                lines: config.lines,
                fragments: config.fragments,
            },
        };
        Ok(Repairer {
            config: std::sync::Arc::new(config),
            params: std::sync::Arc::new(params),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &RepairConfig {
        &self.config
    }

    /// Repairs `text`; returns it borrowed if nothing changed.
    pub fn repair<'a>(&self, text: &'a str) -> Cow<'a, str> {
        match self.edits(text, None) {
            None => Cow::Borrowed(text),
            Some(edits) => Cow::Owned(apply(text, &edits)),
        }
    }

    /// Repairs `text` and records each change (rule, codec chain, span,
    /// before/after) and each flag in `report`.
    pub fn repair_with_report<'a>(&self, text: &'a str, report: &mut Report) -> Cow<'a, str> {
        match self.edits(text, Some(report)) {
            None => Cow::Borrowed(text),
            Some(edits) => {
                for e in &edits {
                    let mut c = Change::new(
                        Stage::Repair,
                        e.rule,
                        Span::new(e.start, e.end),
                        &text[e.start..e.end],
                        e.after.clone(),
                    )
                    .with_line(e.line);
                    if let Some(d) = &e.detail {
                        c = c.with_detail(d.clone());
                    }
                    report.push_change(c);
                }
                Cow::Owned(apply(text, &edits))
            }
        }
    }

    /// Appends the repair of `text` to `out`.
    pub fn repair_into(&self, text: &str, out: &mut String) {
        match self.edits(text, None) {
            None => out.push_str(text),
            Some(edits) => apply_into(text, &edits, out),
        }
    }

    /// The edits for `text` (`None` if there are none); flags go to `report`.
    fn edits(&self, text: &str, mut report: Option<&mut Report>) -> Option<Vec<Edit>> {
        let cfg = &*self.config;
        let want_flags = cfg.flag_damage && report.is_some();
        if !scan::is_suspicious(text, cfg.pinyin_annotations) {
            return None;
        }
        let mut edits: Vec<Edit> = Vec::new();
        let mut cands: Vec<Candidate> = Vec::new();
        let mut line_start = 0;
        for (line_no, line) in text.split_inclusive('\n').enumerate() {
            let base = line_start;
            line_start += line.len();
            if !scan::is_suspicious(line, cfg.pinyin_annotations) {
                continue;
            }
            let first_edit = edits.len();
            if (cfg.lines || cfg.fragments) && !self.params.codecs.is_empty() {
                cands.clear();
                mojibake::candidates(line, &self.params, cfg.max_rounds, &mut cands);
                let extent = mojibake::non_ascii_extent(line);
                let chosen = mojibake::select(std::mem::take(&mut cands), |c| {
                    mojibake::acceptable(extent, c, &self.params.levels)
                });
                for c in chosen {
                    let lossy = if c.lost > 0 {
                        format!("; {} lost character(s) marked U+FFFD", c.lost)
                    } else {
                        String::new()
                    };
                    let chain: Vec<String> = c.chain.iter().map(|s| s.describe()).collect();
                    edits.push(Edit {
                        start: base + c.start,
                        end: base + c.end,
                        after: c.replacement,
                        rule: if c.chain.iter().any(|s| s.is_legacy()) {
                            "legacy-as-single-byte"
                        } else {
                            "mojibake"
                        },
                        detail: Some(format!("undid: {}{lossy}", chain.join(", then "))),
                        line: line_no,
                    });
                }
            }
            if cfg.pinyin_annotations {
                let mut ann = Vec::new();
                pinyin::find(line, &mut ann);
                for a in ann {
                    let (s, e) = (base + a.start, base + a.end);
                    if edits[first_edit..].iter().any(|x| s < x.end && x.start < e) {
                        continue;
                    }
                    edits.push(Edit {
                        start: s,
                        end: e,
                        after: String::new(),
                        rule: "pinyin-annotation",
                        detail: None,
                        line: line_no,
                    });
                }
                edits[first_edit..].sort_by_key(|e| e.start);
            }
            if want_flags {
                let mut dmg = Vec::new();
                flags::find(line, &mut dmg);
                if let Some(r) = report.as_deref_mut() {
                    for d in dmg {
                        let (s, e) = (base + d.start, base + d.end);
                        if edits[first_edit..].iter().any(|x| s < x.end && x.start < e) {
                            continue;
                        }
                        r.push_flag(
                            Flag::new(Stage::Repair, d.kind, Span::new(s, e))
                                .with_detail(format!("line {line_no}: {} occurrence(s)", d.count)),
                        );
                    }
                }
            }
        }
        (!edits.is_empty()).then_some(edits)
    }
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    apply_into(text, edits, &mut out);
    out
}

fn apply_into(text: &str, edits: &[Edit], out: &mut String) {
    let mut at = 0;
    for e in edits {
        out.push_str(&text[at..e.start]);
        out.push_str(&e.after);
        at = e.end;
    }
    out.push_str(&text[at..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repairs_basic_mojibake() {
        assert_eq!(repair("ä¸\u{AD}æ–‡"), "中文");
        assert_eq!(repair("娑擃厽鏋"), "娑擃厽鏋");
    }

    #[test]
    fn repairer_is_send_sync() {
        fn check<T: Send + Sync + Clone>() {}
        check::<Repairer>();
    }
}
