//! Repair: undo wrong decodes (mojibake), remove converter artifacts, flag
//! what cannot be recovered. Clean text passes through byte-identical.
//!
//! # What is repaired
//!
//! * **Single-byte wrong decodes**: UTF-8 read as windows-1252 or latin-1
//!   (`ä¸­æ–‡` → `中文`), once or several times, whether the whole text, one
//!   line or a fragment inside a clean line is damaged; also windows-1250,
//!   -1251, -1253, -1257, ISO-8859-2, Mac OS Roman and codepage 437 (see
//!   [`Codec`]). Bytes that were lost (windows-1252's undefined bytes turned
//!   into U+FFFD, `?` or dropped) leave one U+FFFD per lost character. As
//!   ftfy does, a space that stands for byte A0 (a no-break space turned
//!   into an ASCII one: `Ã ` for `à`, `Ã quele` for `àquele`) is put back,
//!   and so are CESU-8 emoji (`í\u{A0}½í¸\u{8D}` for `😍`) and a U+FFFD
//!   misread as `ï¿½`.
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
    /// Replace C1 controls outside other repairs with the windows-1252
    /// characters they stand for (`\u{93}` → `“`). Default on.
    pub c1_controls: bool,
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
            c1_controls: true,
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

/// The edits of a text, in text order, and the text they put in.
struct Edits {
    list: Vec<Edit>,
    /// The replacements, one after the other (see [`Edit::after`]).
    afters: String,
}

impl Edits {
    /// The replacement of `e`.
    fn after(&self, e: &Edit) -> &str {
        &self.afters[e.after.clone()]
    }
}

/// One edit, in stage-input byte offsets.
struct Edit {
    start: usize,
    end: usize,
    /// Where its replacement is in [`Edits::afters`] (one buffer for all,
    /// rather than one allocation per edit).
    after: std::ops::Range<usize>,
    rule: &'static str,
    /// The wrong decodes undone (outermost first) and the characters lost.
    undid: Option<(Vec<mojibake::Step>, usize)>,
    line: usize,
}

impl Edit {
    /// The report's detail: what was undone.
    fn detail(&self) -> Option<String> {
        let (chain, lost) = self.undid.as_ref()?;
        let chain: Vec<String> = chain.iter().map(|s| s.describe()).collect();
        let lossy = if *lost > 0 {
            format!("; {lost} lost character(s) marked U+FFFD")
        } else {
            String::new()
        };
        Some(format!("undid: {}{lossy}", chain.join(", then ")))
    }
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
                lost_only: config.lines,
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
                for e in &edits.list {
                    let mut c = Change::new(
                        Stage::Repair,
                        e.rule,
                        Span::new(e.start, e.end),
                        &text[e.start..e.end],
                        edits.after(e).to_string(),
                    )
                    .with_line(e.line);
                    if let Some(d) = e.detail() {
                        c = c.with_detail(d);
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
    ///
    /// One scan runs over the whole text; only the lines holding something
    /// suspicious (or a `(` for the pinyin rule) are looked at further.
    fn edits(&self, text: &str, mut report: Option<&mut Report>) -> Option<Edits> {
        let cfg = &*self.config;
        let want_flags = cfg.flag_damage && report.is_some();
        let bytes = text.as_bytes();
        let paren_from = |from: usize| {
            if cfg.pinyin_annotations {
                memchr::memchr(b'(', &bytes[from..]).map(|i| from + i)
            } else {
                None
            }
        };
        let codecs = &self.params.codecs;
        let mut next_moji = scan::next_trace(text, 0, codecs);
        let mut next_paren = paren_from(0);
        let mut edits: Vec<Edit> = Vec::new();
        let mut afters = String::new();
        let mut cands: Vec<Candidate> = Vec::new();
        let mut from = 0;
        // Line numbers are counted only for a report, and only up to lines
        // that get an edit or a flag: clean text with a few suspicious
        // characters is not counted through.
        let mut lines = LineCounter::default();
        loop {
            if next_moji.is_some_and(|p| p < from) {
                next_moji = scan::next_trace(text, from, codecs);
            }
            if next_paren.is_some_and(|p| p < from) {
                next_paren = paren_from(from);
            }
            let at = match (next_moji, next_paren) {
                (Some(a), Some(b)) => a.min(b),
                (Some(a), None) | (None, Some(a)) => a,
                (None, None) => break,
            };
            let base = memchr::memrchr(b'\n', &bytes[from..at]).map_or(from, |i| from + i + 1);
            let end = memchr::memchr(b'\n', &bytes[at..]).map_or(text.len(), |i| at + i + 1);
            from = end;
            let line = &text[base..end];
            let found = scan::Findings {
                mojibake: next_moji.is_some_and(|p| p < end),
                paren: next_paren.is_some_and(|p| p < end) && pinyin::may_hold(line),
            };
            let first_edit = edits.len();
            if found.mojibake && (cfg.lines || cfg.fragments) && !self.params.codecs.is_empty() {
                cands.clear();
                mojibake::line_candidates(line, &self.params, self.config.max_rounds, &mut cands);
                mojibake::choose(line, &mut cands, &self.params.levels);
                if afters.capacity() == 0 && !cands.is_empty() {
                    // Repairs mostly make text shorter: the rest of the
                    // text is about what they put in, at most.
                    afters.reserve(text.len() - base);
                }
                for c in cands.drain(..) {
                    let at = afters.len();
                    afters.push_str(&c.replacement);
                    edits.push(Edit {
                        start: base + c.start,
                        end: base + c.end,
                        after: at..afters.len(),
                        rule: if c.chain.iter().any(|s| s.is_legacy()) {
                            "legacy-as-single-byte"
                        } else {
                            "mojibake"
                        },
                        undid: Some((c.chain, c.lost)),
                        line: 0,
                    });
                }
            }
            if found.mojibake && cfg.c1_controls {
                c1_controls(line, base, &mut edits, &mut afters, first_edit);
            }
            if found.paren {
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
                        after: afters.len()..afters.len(),
                        rule: "pinyin-annotation",
                        undid: None,
                        line: 0,
                    });
                }
                edits[first_edit..].sort_by_key(|e| e.start);
            }
            if want_flags && found.mojibake {
                let mut dmg = Vec::new();
                flags::find(line, &mut dmg);
                if let Some(r) = report.as_deref_mut() {
                    for d in dmg {
                        let (s, e) = (base + d.start, base + d.end);
                        if edits[first_edit..].iter().any(|x| s < x.end && x.start < e) {
                            continue;
                        }
                        r.push_flag(
                            Flag::new(Stage::Repair, d.kind, Span::new(s, e)).with_detail(format!(
                                "line {}: {} occurrence(s)",
                                lines.at(bytes, base),
                                d.count
                            )),
                        );
                    }
                }
            }
            if edits.len() > first_edit && report.is_some() {
                let line_no = lines.at(bytes, base);
                for e in &mut edits[first_edit..] {
                    e.line = line_no;
                }
            }
        }
        (!edits.is_empty()).then_some(Edits {
            list: edits,
            afters,
        })
    }
}

/// The number of the line starting at a byte offset, counted on demand from
/// the last one asked for (offsets asked for never decrease).
#[derive(Default)]
struct LineCounter {
    counted: usize,
    line_no: usize,
}

impl LineCounter {
    /// The number of the line that starts at `base`.
    fn at(&mut self, bytes: &[u8], base: usize) -> usize {
        self.line_no += memchr::memchr_iter(b'\n', &bytes[self.counted..base]).count();
        self.counted = base;
        self.line_no
    }
}

/// C1 controls left outside the line's repairs are windows-1252 bytes read
/// as latin-1 (`\u{93}` for `“`): real text never holds them. Replaces each
/// that windows-1252 defines; keeps the line's edits in order.
fn c1_controls(line: &str, base: usize, edits: &mut Vec<Edit>, afters: &mut String, first: usize) {
    let before = edits.len();
    let b = line.as_bytes();
    // The stretches between the line's repairs (which are in text order).
    let mut from = 0;
    for k in first..=before {
        let g0 = from;
        let g1 = if k < before {
            from = edits[k].end - base;
            edits[k].start - base
        } else {
            line.len()
        };
        // A C1 control is `C2 80..=9F` in UTF-8.
        for i in memchr::memchr_iter(0xC2, &b[g0..g1]).map(|i| g0 + i) {
            let Some(&second) = b.get(i + 1).filter(|&&x| x < 0xA0) else {
                continue;
            };
            let byte = [second];
            let Some(w) = encoding_rs::WINDOWS_1252
                .decode_without_bom_handling_and_without_replacement(&byte)
            else {
                continue;
            };
            if w.chars().eq(std::iter::once(char::from(second))) {
                continue; // undefined in windows-1252
            }
            edits.push(Edit {
                start: base + i,
                end: base + i + 2,
                after: {
                    let at = afters.len();
                    afters.push_str(&w);
                    at..afters.len()
                },
                rule: "c1-control",
                undid: None,
                line: 0,
            });
        }
    }
    if edits.len() > before {
        edits[first..].sort_by_key(|e| e.start);
    }
}

fn apply(text: &str, edits: &Edits) -> String {
    let mut out = String::with_capacity(text.len());
    apply_into(text, edits, &mut out);
    out
}

fn apply_into(text: &str, edits: &Edits, out: &mut String) {
    let mut at = 0;
    for e in &edits.list {
        out.push_str(&text[at..e.start]);
        out.push_str(edits.after(e));
        at = e.end;
    }
    out.push_str(&text[at..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(s: &str) -> String {
        repair(s).into_owned()
    }

    fn gbk(s: &str) -> String {
        encoding_rs::GBK
            .decode_without_bom_handling(s.as_bytes())
            .0
            .into_owned()
    }

    fn cp1252(s: &str) -> String {
        encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(s.as_bytes())
            .0
            .into_owned()
    }

    #[test]
    fn single_byte_misreadings() {
        assert_eq!(fix("ä¸\u{AD}æ–‡"), "中文");
        assert_eq!(fix("cafÃ©"), "café");
        // latin-1: C1 controls instead of windows-1252's punctuation.
        let latin1: String = "原驼是南美洲最大的野生哺乳动物"
            .bytes()
            .map(char::from)
            .collect();
        assert_eq!(fix(&latin1), "原驼是南美洲最大的野生哺乳动物");
        // Two rounds.
        assert_eq!(
            fix(&cp1252(&cp1252("这情况，轻一些说"))),
            "这情况，轻一些说"
        );
        // A private-use character (no repair may produce one) keeps the
        // line from being repaired whole, not by segments.
        assert_eq!(
            fix(&cp1252("第十二条 市、区人民政府应当建立\u{E5F9}")),
            "第十二条 市、区人民政府应当建立î—¹"
        );
    }

    #[test]
    fn other_code_pages() {
        let as_1251 = encoding_rs::WINDOWS_1251
            .decode_without_bom_handling("Привет, как дела?".as_bytes())
            .0;
        assert_eq!(fix(&as_1251), "Привет, как дела?");
        let as_mac = encoding_rs::MACINTOSH
            .decode_without_bom_handling("Le Vigne di Zamò, crème brûlée".as_bytes())
            .0;
        assert_eq!(fix(&as_mac), "Le Vigne di Zamò, crème brûlée");
        for clean in ["Привет, как дела?", "Καλημέρα σας", "Łódź i Kraków"]
        {
            assert_eq!(fix(clean), clean);
        }
    }

    #[test]
    fn single_byte_lossy_gets_one_fffd_per_lost_char() {
        // 名 is E5 90 8D: windows-1252 leaves 0x90 and 0x8D undefined;
        // a lossy decoder dropped both.
        assert_eq!(fix("æ—©å¹´æ²’æœ‰è¡—åï¼Œç•¶åœ°"), "早年沒有街\u{FFFD}，當地");
    }

    /// `out` is `original` with some characters replaced by one U+FFFD each.
    fn assert_partial(out: &str, original: &str) {
        let (a, b): (Vec<char>, Vec<char>) = (out.chars().collect(), original.chars().collect());
        assert_eq!(a.len(), b.len(), "{out} vs {original}");
        for (x, y) in a.iter().zip(&b) {
            assert!(x == y || *x == '\u{FFFD}', "{out} vs {original}");
        }
        assert!(a.iter().zip(&b).filter(|(x, y)| x == y).count() * 2 > b.len());
    }

    #[test]
    fn cjk_misreadings() {
        // 中文: E4 B8 AD E6 96 87; GBK gives 涓, U+E15F (AD E6), 枃.
        assert_eq!(gbk("中文"), "涓\u{E15F}枃");
        assert_eq!(fix(&gbk("中文")), "中文");
        let original = "以下資料於2008年清明節為準";
        assert_partial(&fix(&gbk(original)), original);
        let original = "卡拉胶是食品添加剂的一种";
        let sjis = encoding_rs::SHIFT_JIS
            .decode_without_bom_handling(original.as_bytes())
            .0;
        assert_partial(&fix(&sjis), original);
    }

    #[test]
    fn gbk_misreadings_whole_and_fragment() {
        let clean = "学校亦于1956年成立了香港的第一队香港红十字会青年团";
        assert_eq!(fix(&gbk(clean)), clean);
        // A fragment inside a clean line.
        let frag = format!(
            "墨爾本在服飾、藝術、音樂、電視製作、電{}流文化領域引領澳洲。",
            gbk("影及舞蹈等潮")
        );
        assert_eq!(
            fix(&frag),
            "墨爾本在服飾、藝術、音樂、電視製作、電影及舞蹈等潮流文化領域引領澳洲。"
        );
        // One damaged line among clean ones.
        let line = "这场战役于1553年12月25日发生在智利";
        let doc = format!("第一行是干净的文字。\n{}\n第三行也是。", gbk(line));
        let out = fix(&doc);
        let mid: Vec<&str> = out.split('\n').collect();
        assert_eq!(mid[0], "第一行是干净的文字。");
        assert_eq!(mid[2], "第三行也是。");
        assert_partial(mid[1], line);
    }

    #[test]
    fn lost_bytes_become_one_fffd_each() {
        // GBK (WHATWG) lost a byte where an odd run met ASCII: 在 is lost.
        let damaged = gbk("都在100米");
        assert!(damaged.contains('\u{FFFD}'));
        assert_partial(&fix(&damaged), "都在100米");
        // CP936 `?`: the invalid pair ate the following byte (and with it
        // the start of 冒): 是 and 冒 are lost.
        assert_eq!(
            fix("鏄?啋闄╂父鎴忕殑鍒嗘敮"),
            "\u{FFFD}\u{FFFD}险游戏的分支"
        );
    }

    #[test]
    fn legacy_bytes_read_as_latin1() {
        assert_eq!(fix("ÖÐÎÄ×Ö·û´®"), "中文字符串");
        assert_eq!(fix("Ê§°Ü: ÎÄ¼þ²»´æÔÚ"), "失败: 文件不存在");
    }

    #[test]
    fn c1_controls_become_windows_1252() {
        let s = "\u{84}Handwerk bringt dich überall hin\u{93}: Von der YOU bis nach Monaco";
        assert_eq!(
            fix(s),
            "„Handwerk bringt dich überall hin“: Von der YOU bis nach Monaco"
        );
        let off = Repairer::new(RepairConfig {
            c1_controls: false,
            ..RepairConfig::default()
        })
        .unwrap();
        assert_eq!(off.repair(s), s);
        // Next to a repair of the rest of the line.
        assert_eq!(
            fix("Assangeâ\u{80}\u{99} is likely\u{85}"),
            "Assange’ is likely…"
        );
    }

    #[test]
    fn lossy_single_byte_question_mark_is_one_lost_byte() {
        // `”` is E2 80 9D; windows-1252 has no 0x9D and a lossy decoder
        // wrote `?` for it.
        assert_eq!(
            fix("The ICR has been upgraded to â€œbb+â€? from â€œbbâ€?"),
            "The ICR has been upgraded to “bb+\u{FFFD} from “bb\u{FFFD}"
        );
        // A question mark after a Latin-1 letter stays.
        assert_eq!(fix("Où est-il? Ça va?"), "Où est-il? Ça va?");
    }

    #[test]
    fn latin1_lead_and_symbol_pairs() {
        assert_eq!(fix("Ä°stanbul"), "İstanbul");
        assert_eq!(fix("DOS AÃ‘OS"), "DOS AÑOS");
        assert_eq!(fix("HÃ”TEL"), "HÔTEL");
        assert_eq!(fix("CÃ\u{A0}nan nan GÃ\u{A0}idheal"), "Cànan nan Gàidheal");
        // Read as windows-1257 (with byte A0 turned into a space), not as
        // Big5 bytes read as windows-1252.
        assert_eq!(
            fix("Å iaip ÄÆdomu, kaip ÄÆsivaizduoji. VisÅ³ pirma tam reikia laiko."),
            "Šiaip įdomu, kaip įsivaizduoji. Visų pirma tam reikia laiko."
        );
        // A lead letter and a symbol inside a word (Greek γ).
        assert_eq!(fix("IL2RÎ³cKO.NOD"), "IL2RγcKO.NOD");
        for s in [
            "a radius of 10 Å—",
            "There are a lot of Ã’s in mojibake text",
            "SELKÄ\u{A0}EDELLÄ",
            "NESTLÉ® requiere contratar personal",
            "AHÅ© the new sofa",
            "AHÅ™, the new sofa from IKEA",
            "!YO SÉ¡",
            "Offering 5×£35 pin ups",
            // One such pair alone may be Latin-1 text or Mac OS Roman.
            "Bremer/Mccoy – DrÃ¥ber",
        ] {
            assert_eq!(fix(s), s);
        }
    }

    #[test]
    fn byte_a0_turned_into_a_space() {
        // `à` as a word: its A0 and the space after it merged.
        assert_eq!(
            fix("Ã perturber la rÃ©flexion jusqu'Ã nos jours"),
            "à perturber la réflexion jusqu'à nos jours"
        );
        assert_eq!(fix("voilÃ le travail"), "voilà le travail");
        assert_eq!(fix("voilÃ  le travail"), "voilà le travail");
        // `Ã s ` is `às`, `Ã quele` is `àquele`: the space was the A0.
        assert_eq!(
            fix("atenÃ§Ã£o Ã s crianÃ§as, semelhante Ã quele"),
            "atenção às crianças, semelhante àquele"
        );
        // Other leads: Cyrillic Р, Thai ภ, a no-break space.
        assert_eq!(fix("Ð ÑƒÑ\u{81}Ñ\u{81}ÐºÐ¸Ð¹"), "Русский");
        assert_eq!(fix("à¸ à¸²à¸©à¸²à¹„à¸—à¸¢"), "ภาษาไทย");
        assert_eq!(
            fix("namedÂ â€žscarsÂ´ stonesâ€ś"),
            "named\u{A0}„scars´ stones“"
        );
        // Capitals before a space stay where nothing else is damaged.
        for s in ["SÃO PAULO É A MAIOR", "IRMÃ E IRMÃO", "PÅ SKOLEN"] {
            assert_eq!(fix(s), s);
        }
    }

    #[test]
    fn cesu8_and_misread_replacement_characters() {
        assert_eq!(fix("Hi guys í\u{A0}½í¸\u{8D}"), "Hi guys 😍");
        assert_eq!(
            fix("hihi RT username: â\u{98}ºí\u{A0}½í¸\u{98}"),
            "hihi RT username: ☺😘"
        );
        assert_eq!(
            fix("in the newspaper ï¿½ email"),
            "in the newspaper \u{FFFD} email"
        );
        // A GBK reading of U+FFFD stays: it is flagged, not repaired.
        assert_eq!(fix("锟斤拷锟斤拷"), "锟斤拷锟斤拷");
    }

    #[test]
    fn lossy_question_marks_and_dropped_bytes() {
        // `?` for a byte a lossy decoder could not decode, in a two-byte
        // sequence after `Ã` or in the middle of a three-byte one.
        assert_eq!(
            fix("ItÃ?Â¢â?¬â?¢s classic."),
            "It\u{FFFD}¢\u{FFFD}\u{FFFD}s classic."
        );
        // A lone lead byte is a cut sequence only before one that goes on:
        // correct `çã` in inconsistent mojibake stays.
        assert_eq!(
            fix("III DivisÃ£o - SÃ©rie F > Jornadas Classificação"),
            "III Divisão - Série F > Jornadas Classificação"
        );
    }

    #[test]
    fn more_code_pages() {
        // Codepage 437 (DOS consoles).
        assert_eq!(fix("#╨┐╤Ç╨░╨▓╨╕╨╗╤î╨╜╨╛╨╡"), "#правильное");
        assert_eq!(fix("─îe┼ítina"), "Čeština");
        assert_eq!(fix("Tiß║┐ng Viß╗çt"), "Tiếng Việt");
        // Mac OS Roman: `√` inside a word, `‚Ä¶` for `…`, three rounds.
        assert_eq!(fix("wei√ü"), "weiß");
        assert_eq!(fix("profiter‚Ä¶"), "profiter…");
        assert_eq!(fix("t‚Äö√†√∂¬¨¬©l‚Äö√†√∂¬¨¬©charger"), "télécharger");
        // ISO-8859-2, whose C1 controls windows-1250 does not have.
        assert_eq!(
            fix("MĂĄm dost tĹ\u{99}etĂ\u{AD}ho tisĂ\u{AD}ciletĂ\u{AD}"),
            "Mám dost třetího tisíciletí"
        );
        // Hangul from a single-byte reading, two syllables or more.
        assert_eq!(fix("í•œêµ\u{AD}ì–´"), "한국어");
        assert_eq!(fix("Charlotte Brontë…”"), "Charlotte Brontë…”");
        // Words of letters cased as words stay.
        for s in ["ВІКІ is Ukrainian for WIKI", "HÅØYA ER BLÅØYD"] {
            assert_eq!(fix(s), s);
        }
    }

    #[test]
    fn characters_lost_but_for_their_lead() {
        // `č` (C4 8D) and `”` (E2 80 9D) read by a windows-1252 decoder that
        // wrote U+FFFD for the byte it does not define: one lost character
        // each, as ftfy has it.
        assert_eq!(fix("SlovenÄ\u{FFFD}ina"), "Sloven\u{FFFD}ina");
        assert_eq!(fix("quoted â€\u{FFFD} end"), "quoted \u{FFFD} end");
        assert_eq!(fix("â€œ引号â€\u{FFFD}中文"), "“引号\u{FFFD}中文");
        // Not a whole sequence with one U+FFFD for one byte, a U+FFFD next
        // to it, or a fragment that gains too little: left as it is.
        for s in [
            "Café\u{FFFD}",
            "Ärger\u{FFFD} hier",
            "Ä\u{FFFD}\u{FFFD}",
            "é\u{FFFD}\u{FFFD}x",
            "Größe Ä\u{FFFD} foo",
            "\u{FFFD}Ӧ\u{FFFD}ã\u{FFFD}\u{FFFD}Լ\u{FFFD}",
        ] {
            assert_eq!(fix(s), s);
        }
    }

    #[test]
    fn pieces_of_a_longer_garble_stay() {
        // ftfy's "absolutely hopeless garble": `â€™`, `â‚¬` and `â€š` read
        // as UTF-8, but what surrounds them does not.
        for s in [
            "ã†â€™ãƒâ€ ã¢â‚¬â„¢ãƒæ’ã‚â¢ãƒâ¢ã¢â‚¬å¡ã‚â¬ãƒâ€šã‚â",
            "ãƒæ’ã‚â¢ã¢â‚¬å¡ã‚â¬ãƒâ€",
        ] {
            assert_eq!(fix(s), s);
        }
        // Repairs that explain their stretch, or most of it, are made.
        assert_eq!(fix("naÃ¯ve cafÃ© «Ã©tÃ©»"), "naïve café «été»");
        assert_eq!(fix("Â»Ã©tÃ©Â«"), "»été«");
        assert_eq!(fix("中文â€œ引号â€\u{9D}中文"), "中文“引号”中文");
    }

    #[test]
    fn pinyin_annotations() {
        assert_eq!(fix("當(dāng)前位置：首頁"), "當前位置：首頁");
        assert_eq!(
            fix("“长”是多音字：长(cháng)江的长"),
            "“长”是多音字：长(cháng)江的长"
        );
    }

    #[test]
    fn negatives_stay_byte_identical() {
        for s in [
            "涓涓细流汇成江河，点点星光照亮夜空。",
            "乱码“锟斤拷”的成因：GBK 编码把 UTF-8 的替换字符 EF BF BD 读成了两个汉字。",
            "L'été dernier, nous avons visité Besançon et Orléans ; c'était très agréable.",
            "Tiếng Việt là ngôn ngữ chính thức của Việt Nam.",
            "陕西的𰻞𰻞面以宽厚著称，“𰻞”字笔画多达五十余画。",
            "今天天气真好😂，我们去公园散步吧！",
            "ＡＢＣ公司２０２４年营收增长１５％。",
            "仙女座星 Xiānnǚzuòxīng是一个常见词。",
            "使用 PostgreSQL 时，请先运行 `pip install go`。",
            "古斯塔夫·克林姆 × 1988年 — “引号” …",
            "價格：€15，約合人民幣120元。",
        ] {
            assert!(
                matches!(repair(s), Cow::Borrowed(x) if x == s),
                "changed: {s}"
            );
        }
    }

    #[test]
    fn destroyed_text_is_flagged_not_edited() {
        let r = Repairer::new(RepairConfig::default()).unwrap();
        for (s, kind) in [
            ("12��4��_���F�v�����}ĥ���A", "replacement-characters"),
            ("锟斤拷锟斤拷锟�55平锟斤拷锟斤拷锟斤", "kunjinkao"),
            ("buffer: 烫烫烫烫烫烫", "uninitialized-memory"),
        ] {
            let mut report = Report::new();
            assert_eq!(r.repair_with_report(s, &mut report), s);
            assert!(report.has_flag(kind), "{kind} not flagged in {s}");
            assert!(report.changes.is_empty());
        }
    }

    #[test]
    fn report_records_chain_and_replays() {
        let r = Repairer::new(RepairConfig::default()).unwrap();
        let input = format!("ok 中文\n{}\n發(fā)展", cp1252(&gbk("错误的编码方式了")));
        let mut report = Report::new();
        let out = r.repair_with_report(&input, &mut report);
        assert_eq!(out, "ok 中文\n错误的编码方式了\n發展");
        assert_eq!(
            report.replay(Stage::Repair, &input).as_deref(),
            Some(out.as_ref())
        );
        let first = &report.changes[0];
        assert_eq!(first.rule, "mojibake");
        assert_eq!(first.line, Some(1));
        assert_eq!(
            first.detail.as_deref(),
            Some("undid: utf-8 read as windows-1252, then utf-8 read as gbk")
        );
        assert_eq!(report.changes[1].rule, "pinyin-annotation");
    }

    #[test]
    fn config_switches() {
        let no_pinyin = Repairer::new(RepairConfig {
            pinyin_annotations: false,
            ..RepairConfig::default()
        })
        .unwrap();
        assert_eq!(no_pinyin.repair("發(fā)展"), "發(fā)展");
        let lines_only = Repairer::new(RepairConfig {
            fragments: false,
            ..RepairConfig::default()
        })
        .unwrap();
        let frag = format!("電視製作、電{}流文化", gbk("影及舞蹈等潮"));
        assert_eq!(lines_only.repair(&frag), frag);
        let only_gbk = Repairer::new(RepairConfig {
            codecs: vec![Codec::Gbk],
            ..RepairConfig::default()
        })
        .unwrap();
        assert_eq!(only_gbk.repair("ä¸\u{AD}æ–‡"), "ä¸\u{AD}æ–‡");
        assert!(Repairer::new(RepairConfig {
            max_rounds: 0,
            ..RepairConfig::default()
        })
        .is_err());
        let mut out = String::from(">");
        only_gbk.repair_into("涓枃", &mut out);
        assert!(out.starts_with('>'));
    }

    #[test]
    fn repairer_is_send_sync_clone() {
        fn check<T: Send + Sync + Clone>() {}
        check::<Repairer>();
    }
}
