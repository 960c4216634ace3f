//! Traditional/Simplified Chinese conversion, exactly as OpenCC 1.4.2 does it.
//!
//! All 16 configs OpenCC 1.4.2 ships are built in ([`Config`]). For every
//! config and every input the output is byte for byte the output of OpenCC
//! 1.4.2 (the C++ library, as in PyPI `opencc==1.4.2`), with one deliberate
//! exception: OpenCC truncates a segment at a NUL character in the configs
//! that segment text (`s2tw`, `tw2s`, `s2hk`, …), silently losing the rest
//! of that segment; zhclean treats NUL as an ordinary character.
//!
//! The dictionaries are OpenCC's own (`data/opencc/`, Apache-2.0), compiled
//! into tables embedded in the binary (`cargo run -p xtask -- gen-opencc`);
//! a config's tables are read in place from the binary on first use (the
//! first conversion after process start takes about 1–3 ms: what a load
//! still builds is a per-character table or two), and shared by all
//! converters.
//!
//! ```
//! use zhclean::convert::{Config, Converter};
//!
//! let s2twp = Converter::new(Config::S2twp);
//! assert_eq!(s2twp.convert("鼠标和软件"), "滑鼠和軟體");
//! assert_eq!(zhclean::convert::convert("汉字", Config::S2t), "漢字");
//! // Text that needs nothing is returned borrowed (ASCII without a look
//! // at the tables).
//! assert!(matches!(s2twp.convert("plain ASCII"), std::borrow::Cow::Borrowed(_)));
//! ```
//!
//! # How OpenCC converts
//!
//! A config is a normalization pre-pass (CJK compatibility ideographs to
//! their unified forms), an optional segmentation (forward maximum matching
//! with a phrase dictionary; characters where no phrase matches accumulate
//! into one segment) and a chain of conversions applied to each segment in
//! turn, each one forward maximum matching inside the segment. Dictionary
//! groups have a match policy: `short_circuit` takes the first dictionary
//! that matches at all (a phrase dictionary before a character dictionary),
//! `union` the longest key of any. Where an entry lists several candidates,
//! the first is used. A complete ideographic description sequence
//! (`⿰氵发`) is never converted. Newlines are ordinary characters; since no
//! dictionary key contains one, converting a text line by line gives the
//! same result as converting it whole, except where an ideographic
//! description sequence spans the line break (`⿲发⏎鼠` is one sequence).
//!
//! # Properties
//!
//! Conversion is not invertible (`s2t` then `t2s` does not give the input
//! back: several Simplified characters share one Traditional form and vice
//! versa) and not idempotent in general: `s2t` maps some characters to
//! characters that `s2t` itself maps again. What holds, and is tested: no
//! input panics; ASCII text comes back borrowed; converting line by line
//! equals converting the whole text (with the exception above); on single
//! characters the Traditional-variant configs (`t2tw`, `tw2t`, `t2hk`,
//! `hk2t`, `t2jp`, `jp2t`) are idempotent, and `s2t`/`t2s` are except for
//! one character each (`苎`→`苧`→`薴`, `薴`→`苧`→`苎`).

mod detect;
mod engine;
mod gate;
mod layout;
#[rustfmt::skip]
#[path = "generated/index.rs"]
mod generated;
mod tables;
mod trie;

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use crate::error::{Error, ErrorKind};
use crate::report::{Change, Report, Span, Stage};

pub use detect::{detect_script, Script, ScriptDetection, SCRIPT_THRESHOLD};

use engine::{convert_segment, fused_into, fused_segments, segment, step, Sink, StringSink};
use trie::Trie;

/// A conversion config of OpenCC 1.4.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Config {
    /// Simplified Chinese to Traditional Chinese (OpenCC standard).
    S2t,
    /// Traditional Chinese (OpenCC standard) to Simplified Chinese.
    T2s,
    /// Simplified Chinese to Traditional Chinese (Taiwan standard).
    S2tw,
    /// Traditional Chinese (Taiwan standard) to Simplified Chinese.
    Tw2s,
    /// Simplified Chinese to Traditional Chinese (Hong Kong variant).
    S2hk,
    /// Traditional Chinese (Hong Kong variant) to Simplified Chinese.
    Hk2s,
    /// Simplified Chinese to Traditional Chinese (Taiwan standard, with
    /// Taiwan phrases).
    S2twp,
    /// Traditional Chinese (Taiwan standard) to Simplified Chinese (with
    /// Mainland phrases).
    Tw2sp,
    /// Traditional Chinese (OpenCC standard) to Taiwan standard.
    T2tw,
    /// Traditional Chinese (Hong Kong variant) to OpenCC standard.
    Hk2t,
    /// Traditional Chinese (OpenCC standard) to Hong Kong variant.
    T2hk,
    /// Traditional Chinese characters (Kyūjitai) to New Japanese Kanji
    /// (Shinjitai).
    T2jp,
    /// New Japanese Kanji (Shinjitai) to Traditional Chinese characters
    /// (Kyūjitai).
    Jp2t,
    /// Traditional Chinese (Taiwan standard) to OpenCC standard.
    Tw2t,
    /// Simplified Chinese to Traditional Chinese (Hong Kong variant, with
    /// Hong Kong phrases).
    S2hkp,
    /// Traditional Chinese (Hong Kong variant) to Simplified Chinese (with
    /// Mainland phrases).
    Hk2sp,
}

impl Config {
    /// Every config, in a fixed order.
    pub const ALL: [Config; 16] = [
        Config::S2t,
        Config::T2s,
        Config::S2tw,
        Config::Tw2s,
        Config::S2hk,
        Config::Hk2s,
        Config::S2twp,
        Config::Tw2sp,
        Config::T2tw,
        Config::Hk2t,
        Config::T2hk,
        Config::T2jp,
        Config::Jp2t,
        Config::Tw2t,
        Config::S2hkp,
        Config::Hk2sp,
    ];

    fn index(self) -> usize {
        self as usize
    }

    /// The config's OpenCC name, e.g. `"s2twp"`.
    pub fn name(self) -> &'static str {
        tables::config_spec(self.index()).name
    }

    /// OpenCC's description of the config, e.g. "Simplified Chinese to
    /// Traditional Chinese (Taiwan Standard, with Taiwan Phrases)".
    pub fn description(self) -> &'static str {
        tables::config_spec(self.index()).description
    }

    /// The dictionaries the config applies, in order: normalization,
    /// segmentation (marked `segmentation: `), then each conversion of the
    /// chain, e.g. `short_circuit[TSPhrases, TSCharactersExt, TSCharacters]`.
    pub fn dictionaries(self) -> Vec<String> {
        let spec = tables::config_spec(self.index());
        let name = |i: usize| tables::table_source(i).spec;
        let mut out: Vec<String> = spec
            .normalization
            .iter()
            .map(|&i| name(i).to_string())
            .collect();
        if spec.segmentation.is_some() {
            out.push(format!("segmentation: {}", spec.segmentation_spec));
        }
        out.extend(spec.chain.iter().map(|&i| name(i).to_string()));
        out
    }

    /// Parses a config name as OpenCC accepts it: `"s2t"` or `"s2t.json"`
    /// (ASCII case-insensitive).
    pub fn from_name(name: &str) -> Result<Config, Error> {
        let stem = name.strip_suffix(".json").unwrap_or(name);
        Config::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(stem))
            .ok_or_else(|| {
                Error::new(ErrorKind::UnknownConfig {
                    name: name.to_string(),
                })
            })
    }
}

impl FromStr for Config {
    type Err = Error;
    fn from_str(s: &str) -> Result<Config, Error> {
        Config::from_name(s)
    }
}

impl fmt::Display for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A config's tables, resolved.
struct Tables {
    normalization: Vec<&'static Trie>,
    /// Where the normalization tables' keys may begin, for a quick scan;
    /// `None`: anywhere (then every text is normalized).
    normalization_scan: Option<LeadScan>,
    /// The segmentation table, and whether only its rank-0 keys segment.
    segmentation: Option<(&'static Trie, bool)>,
    chain: Vec<&'static Trie>,
    /// Names of the dictionaries of each rank of the last chain table (for
    /// reports of unsegmented configs).
    chain_ranks: &'static [&'static str],
    /// Some table has a key made of ASCII only.
    ascii_can_change: bool,
    /// Segmentation is fused with the first conversion.
    fused: bool,
    /// For a fused config with a chain of two: the composed per-character
    /// entries of both conversions.
    composed: Option<&'static tables::Composed>,
}

impl Tables {
    fn load(config: Config) -> Tables {
        Tables::load_with(config, true)
    }

    /// `allow_fusing` false always segments separately (for tests that
    /// check the fused pass against the plain one).
    fn load_with(config: Config, allow_fusing: bool) -> Tables {
        let spec = tables::config_spec(config.index());
        let normalization: Vec<_> = spec
            .normalization
            .iter()
            .map(|&i| tables::table(i))
            .collect();
        let chain: Vec<_> = spec.chain.iter().map(|&i| tables::table(i)).collect();
        let fused = allow_fusing && spec.fused && spec.segmentation.is_some() && !chain.is_empty();
        // A fused segmentation uses the first conversion's table instead.
        let segmentation = if fused {
            None
        } else {
            // Unfused, a fused config's table serves by its rank 0 only.
            spec.segmentation.map(|i| (tables::table(i), spec.fused))
        };
        let chain_ranks = spec
            .chain
            .last()
            .map(|&i| tables::table_source(i).ranks)
            .unwrap_or(&[]);
        let ascii_can_change = normalization
            .iter()
            .chain(segmentation.iter().map(|(t, _)| t))
            .chain(chain.iter())
            .any(|t| t.has_ascii_key());
        let composed = match chain.as_slice() {
            [first, second] if fused => Some(tables::composed(config.index(), first, second)),
            _ => None,
        };
        Tables {
            normalization_scan: LeadScan::of(&normalization),
            normalization,
            segmentation,
            chain,
            chain_ranks,
            ascii_can_change,
            fused,
            composed,
        }
    }
}

struct Inner {
    config: Config,
    tables: Tables,
    user: Option<Trie>,
}

/// Converts text with one [`Config`], plus an optional user dictionary.
///
/// Cheap to clone (an `Arc` inside), `Send + Sync`: build one and share it.
#[derive(Clone)]
pub struct Converter {
    inner: Arc<Inner>,
}

impl fmt::Debug for Converter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Converter")
            .field("config", &self.inner.config)
            .field("user_dict", &self.inner.user.is_some())
            .finish()
    }
}

/// Longest user value the tries can store.
const MAX_USER_VALUE: usize = (1 << 24) - 1;

/// Builds a [`Converter`] with a user dictionary layered over a config.
///
/// The user dictionary has the highest priority: the text is first split by
/// forward maximum matching with the user's keys; a matched key is replaced
/// by its value verbatim, and the text between matches is converted by the
/// config as usual (each stretch on its own, so a config phrase never spans
/// a user key).
///
/// ```
/// use zhclean::convert::{Config, ConverterBuilder};
///
/// let c = ConverterBuilder::new(Config::S2t)
///     .user_dict_str("# my terms\n自由软件\t自由軟體\n")?
///     .build();
/// assert_eq!(c.convert("自由软件和汉字"), "自由軟體和漢字");
/// # Ok::<(), zhclean::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ConverterBuilder {
    config: Config,
    user: Vec<(String, String)>,
}

impl ConverterBuilder {
    /// A builder for `config` with no user dictionary.
    pub fn new(config: Config) -> ConverterBuilder {
        ConverterBuilder {
            config,
            user: Vec::new(),
        }
    }

    /// Adds a phrase table in OpenCC's text format: one entry per line,
    /// `key<TAB>value`, where several space-separated values may follow (the
    /// first is used); lines starting with `#` and empty lines are skipped.
    /// Entries added earlier win over later ones with the same key.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidDictionary`] with the one-based line number for a
    /// line without a tab, with an empty key, or with an empty value or one
    /// longer than 16 MiB.
    pub fn user_dict_str(mut self, text: &str) -> Result<ConverterBuilder, Error> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        for (i, line) in text.lines().enumerate() {
            let invalid = |message: &str| {
                Error::new(ErrorKind::InvalidDictionary {
                    line: i + 1,
                    message: message.to_string(),
                })
            };
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let (key, values) = line
                .split_once('\t')
                .ok_or_else(|| invalid("no tab between key and value"))?;
            if key.is_empty() {
                return Err(invalid("empty key"));
            }
            let value = values.split(' ').next().unwrap_or("");
            if value.is_empty() {
                return Err(invalid("empty value"));
            }
            if value.len() > MAX_USER_VALUE {
                return Err(invalid("value longer than 16 MiB"));
            }
            self.user.push((key.to_string(), value.to_string()));
        }
        Ok(self)
    }

    /// Adds one phrase (`key` becomes `value`; an empty value deletes the
    /// key's text).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidDictionary`] (line 0) if `key` is empty or
    /// `value` is longer than 16 MiB.
    pub fn phrase(mut self, key: &str, value: &str) -> Result<ConverterBuilder, Error> {
        let invalid = |message: &str| {
            Err(Error::new(ErrorKind::InvalidDictionary {
                line: 0,
                message: message.to_string(),
            }))
        };
        if key.is_empty() {
            return invalid("empty key");
        }
        if value.len() > MAX_USER_VALUE {
            return invalid("value longer than 16 MiB");
        }
        self.user.push((key.to_string(), value.to_string()));
        Ok(self)
    }

    /// Builds the converter.
    pub fn build(self) -> Converter {
        let user = if self.user.is_empty() {
            None
        } else {
            Some(Trie::from_entries(
                self.user.iter().map(|(k, v)| (k.as_str(), v.as_str(), 0)),
            ))
        };
        Converter {
            inner: Arc::new(Inner {
                config: self.config,
                tables: Tables::load(self.config),
                user,
            }),
        }
    }
}

/// Converts `text` with `config` (a shortcut for
/// `Converter::new(config).convert(text)`; the tables are shared, so this is
/// cheap after the first call).
pub fn convert(text: &str, config: Config) -> Cow<'_, str> {
    Converter::new(config).convert(text)
}

impl Converter {
    /// A converter for `config`. Loads the config's tables on first use.
    pub fn new(config: Config) -> Converter {
        ConverterBuilder::new(config).build()
    }

    /// The config.
    pub fn config(&self) -> Config {
        self.inner.config
    }

    /// Converts `text`. Returns it borrowed if nothing changes; ASCII text
    /// (which no config changes) is recognized without converting.
    pub fn convert<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if self.passes_through(text) {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len() + text.len() / 8);
        self.convert_into(text, &mut out);
        if out == text {
            Cow::Borrowed(text)
        } else {
            Cow::Owned(out)
        }
    }

    /// Whether `text` is certainly left as it is (cheap check).
    fn passes_through(&self, text: &str) -> bool {
        self.inner.user.is_none() && !self.inner.tables.ascii_can_change && text.is_ascii()
    }

    /// Appends the conversion of `text` to `out`.
    pub fn convert_into(&self, text: &str, out: &mut String) {
        if self.passes_through(text) {
            out.push_str(text);
            return;
        }
        let mut scratch = Scratch::default();
        match &self.inner.user {
            None => self.run(text, &mut StringSink(out), &mut scratch),
            Some(user) => {
                let mut between = |s: &str, sink: &mut StringSink<'_>| {
                    self.run(s, sink, &mut scratch);
                };
                let mut sink = StringSink(out);
                with_user_dict(user, text, &mut sink, &mut between);
            }
        }
    }

    /// Converts `text`, recording each change in `report`: one
    /// [`Change`] per converted segment (per dictionary match in configs
    /// without segmentation) whose output differs from its input, with rule
    /// the config's name (`"user-dict"` for user phrases) and, where known,
    /// the dictionary as detail. Spans are byte offsets into `text`, and the
    /// changes replay to the output ([`Report::replay`]).
    pub fn convert_with_report<'a>(&self, text: &'a str, report: &mut Report) -> Cow<'a, str> {
        if self.passes_through(text) {
            return Cow::Borrowed(text);
        }
        let mut sink = ReportSink {
            original: text,
            base: 0,
            map: Vec::new(),
            out: String::with_capacity(text.len() + text.len() / 8),
            report,
            rule: self.inner.config.name(),
            ranks: self.inner.tables.chain_ranks,
        };
        let mut scratch = Scratch::default();
        match &self.inner.user {
            None => self.run(text, &mut sink, &mut scratch),
            Some(user) => {
                let mut between = |s: &str, sink: &mut ReportSink<'_, '_>| {
                    sink.base = s.as_ptr() as usize - text.as_ptr() as usize;
                    self.run(s, sink, &mut scratch);
                };
                with_user_dict(user, text, &mut sink, &mut between);
            }
        }
        if sink.out == text {
            Cow::Borrowed(text)
        } else {
            Cow::Owned(sink.out)
        }
    }

    /// Normalization, segmentation and the chain over `text`.
    fn run<S: Sink + Normalizing>(&self, text: &str, sink: &mut S, scratch: &mut Scratch) {
        let t = &self.inner.tables;
        let mut normalized = None;
        if !t.normalization.is_empty()
            && needs_normalization(&t.normalization, t.normalization_scan, text)
        {
            let mut cur = text.to_string();
            for n in &t.normalization {
                let mut next = String::with_capacity(cur.len());
                if S::TRACKS_OFFSETS {
                    let mut mapper = OffsetSink {
                        out: &mut next,
                        map: sink.offset_map(),
                    };
                    step(n, &cur, &mut mapper);
                } else {
                    step(n, &cur, &mut StringSink(&mut next));
                }
                cur = next;
            }
            normalized = Some(cur);
        }
        let text = normalized.as_deref().unwrap_or(text);
        match t.segmentation {
            None if t.fused && t.composed.is_some() && sink.string().is_some() => {
                if let (Some(out), Some(composed)) = (sink.string(), t.composed) {
                    fused_into(
                        t.chain[0],
                        t.chain[1],
                        composed,
                        text,
                        out,
                        &mut scratch.run,
                    );
                }
            }
            None if t.fused => {
                let mut out = std::mem::take(&mut scratch.out);
                let mut run = std::mem::take(&mut scratch.run);
                let rest = &t.chain[1..];
                let bufs = &mut scratch.bufs;
                fused_segments(t.chain[0], text, &mut run, |s, e, first_out| {
                    sink.replace_with(text, s, e, &mut out, |o| {
                        convert_segment(rest, first_out, o, bufs)
                    });
                });
                scratch.out = out;
                scratch.run = run;
            }
            None => match t.chain.as_slice() {
                [] => sink.keep(text, 0, text.len()),
                [only] => step(only, text, sink),
                chain => {
                    let mut out = std::mem::take(&mut scratch.out);
                    out.clear();
                    convert_segment(chain, text, &mut out, &mut scratch.bufs);
                    sink.replace(text, 0, text.len(), &out, None);
                    scratch.out = out;
                }
            },
            Some((seg, rank0_only)) => {
                let mut out = std::mem::take(&mut scratch.out);
                let bufs = &mut scratch.bufs;
                segment(seg, rank0_only, text, |s, e| {
                    sink.replace_with(text, s, e, &mut out, |o| {
                        convert_segment(&t.chain, &text[s..e], o, bufs)
                    });
                });
                scratch.out = out;
            }
        }
        sink.end_normalized();
    }
}

#[derive(Default)]
struct Scratch {
    out: String,
    run: String,
    bufs: [String; 2],
}

/// The first two UTF-8 bytes that keys of some tables can begin with, when
/// they are all four-byte or three-byte characters led by 0xF0 or 0xEF
/// (so it is for the shipped normalization table, CJK compatibility
/// ideographs: `EF A4..AB`, `F0 AF`): a range of second bytes for each
/// lead byte. A scan for such pairs is a loop the compiler vectorizes.
#[derive(Clone, Copy, Debug)]
struct LeadScan {
    /// For lead bytes 0xEF and 0xF0: the lowest second byte, and how many
    /// more follow it (`(0, 0)` for none: no second byte is 0 in UTF-8).
    ef: (u8, u8),
    f0: (u8, u8),
}

impl LeadScan {
    /// The scan for the first characters of `tables`, if they allow one.
    fn of(tables: &[&Trie]) -> Option<LeadScan> {
        let (mut ef, mut f0) = (None::<(u8, u8)>, None::<(u8, u8)>);
        for cp in tables.iter().flat_map(|t| t.key_starts()) {
            let mut buf = [0; 4];
            let bytes = char::from_u32(cp)?.encode_utf8(&mut buf).as_bytes();
            let range = match bytes[0] {
                0xEF => &mut ef,
                0xF0 => &mut f0,
                _ => return None,
            };
            let (lo, hi) = range.get_or_insert((bytes[1], bytes[1]));
            (*lo, *hi) = ((*lo).min(bytes[1]), (*hi).max(bytes[1]));
        }
        let span = |r: Option<(u8, u8)>| r.map_or((0, 0), |(lo, hi)| (lo, hi - lo));
        Some(LeadScan {
            ef: span(ef),
            f0: span(f0),
        })
    }

    /// Whether bytes `a b` may begin a key.
    #[inline(always)]
    fn hit(self, a: u8, b: u8) -> bool {
        (a == 0xEF) & (b.wrapping_sub(self.ef.0) <= self.ef.1)
            | (a == 0xF0) & (b.wrapping_sub(self.f0.0) <= self.f0.1)
    }
}

/// Whether some character of `text` begins a key of a normalization table
/// (`scan` being where they can begin).
fn needs_normalization(tables: &[&Trie], scan: Option<LeadScan>, text: &str) -> bool {
    let Some(scan) = scan else {
        return true;
    };
    let b = text.as_bytes();
    // `b[i]` is 0xEF or 0xF0, a lead byte: a character begins there.
    let is_key = |i: usize| {
        let (cp, _) = trie::decode(&b[i..]);
        tables.iter().any(|t| t.starts_with_char(cp))
    };
    let mut i = 0;
    while let Some(c) = b.get(i..i + 65).and_then(|c| <&[u8; 65]>::try_from(c).ok()) {
        // Without an early exit: vector code over the 64 pairs.
        if (0..64).fold(false, |any, k| any | scan.hit(c[k], c[k + 1]))
            && (0..64).any(|k| scan.hit(c[k], c[k + 1]) && is_key(i + k))
        {
            return true;
        }
        i += 64;
    }
    (i..b.len()).any(|k| scan.hit(b[k], b.get(k + 1).copied().unwrap_or(0)) && is_key(k))
}

/// Splits `text` by the user dictionary; user keys become their values,
/// the text between them goes to `between`.
fn with_user_dict<S: Normalizing>(
    user: &Trie,
    text: &str,
    sink: &mut S,
    between: &mut impl FnMut(&str, &mut S),
) {
    let b = text.as_bytes();
    let mut i = 0;
    let mut run = 0;
    while i < b.len() {
        if b[i] < 0x80 && !user.ascii_starts(b[i]) {
            i += 1;
            continue;
        }
        match user.longest(&b[i..]) {
            Some(m) => {
                if run < i {
                    between(&text[run..i], sink);
                }
                sink.user(text, i, i + m.len, m.value);
                i += m.len;
                run = i;
            }
            None => i += trie::char_len(b[i]),
        }
    }
    if run < b.len() {
        between(&text[run..], sink);
    }
}

/// What a sink needs beyond [`Sink`] for normalization and user phrases.
trait Normalizing: Sink {
    /// Whether the sink maps spans back through the normalization.
    const TRACKS_OFFSETS: bool;
    /// Where to record normalization offsets (`(normalized_end,
    /// original_end)` after each replaced character).
    fn offset_map(&mut self) -> &mut Vec<(usize, usize)>;
    /// The current normalized stretch is done.
    fn end_normalized(&mut self);
    /// A user phrase: `text[start..end]` (of the whole input) becomes `out`.
    fn user(&mut self, text: &str, start: usize, end: usize, out: &str);
}

impl Normalizing for StringSink<'_> {
    const TRACKS_OFFSETS: bool = false;
    fn offset_map(&mut self) -> &mut Vec<(usize, usize)> {
        unreachable!("StringSink does not track offsets")
    }
    fn end_normalized(&mut self) {}
    fn user(&mut self, _: &str, _: usize, _: usize, out: &str) {
        self.0.push_str(out);
    }
}

/// Collects normalization output and the offset map.
struct OffsetSink<'a> {
    out: &'a mut String,
    map: &'a mut Vec<(usize, usize)>,
}

impl Sink for OffsetSink<'_> {
    fn keep(&mut self, text: &str, start: usize, end: usize) {
        self.out.push_str(&text[start..end]);
    }
    fn replace(&mut self, _: &str, _: usize, end: usize, out: &str, _: Option<u8>) {
        self.out.push_str(out);
        self.map.push((self.out.len(), end));
    }
}

/// Records changes while collecting the output.
struct ReportSink<'r, 't> {
    original: &'t str,
    /// Offset of the current stretch in `original`.
    base: usize,
    /// `(normalized_end, original_end)` pairs of the current stretch.
    map: Vec<(usize, usize)>,
    out: String,
    report: &'r mut Report,
    rule: &'static str,
    ranks: &'static [&'static str],
}

impl ReportSink<'_, '_> {
    /// Maps an offset of the normalized stretch to an offset of `original`.
    fn map(&self, at: usize) -> usize {
        let i = self.map.partition_point(|&(n, _)| n <= at);
        let delta = if i == 0 {
            0isize
        } else {
            let (n, o) = self.map[i - 1];
            o as isize - n as isize
        };
        self.base + (at as isize + delta) as usize
    }

    fn record(&mut self, start: usize, end: usize, out: &str, detail: Option<&str>) {
        let (s, e) = (self.map(start), self.map(end));
        let before = &self.original[s..e];
        if before != out {
            if self.report.is_counting() {
                // Converted segments are many and small: count them without
                // copying texts a counting report would drop.
                self.report.count_change(Stage::Convert, self.rule);
                return;
            }
            let mut c = Change::new(Stage::Convert, self.rule, Span::new(s, e), before, out);
            if let Some(d) = detail {
                c = c.with_detail(d);
            }
            self.report.push_change(c);
        }
    }
}

impl Sink for ReportSink<'_, '_> {
    fn keep(&mut self, text: &str, start: usize, end: usize) {
        let piece = &text[start..end];
        self.out.push_str(piece);
        if !self.map.is_empty() {
            self.record(start, end, piece, Some("normalization"));
        }
    }
    fn replace(&mut self, _: &str, start: usize, end: usize, out: &str, rank: Option<u8>) {
        self.out.push_str(out);
        let detail = rank.and_then(|r| self.ranks.get(r as usize).copied());
        self.record(start, end, out, detail);
    }
}

impl Normalizing for ReportSink<'_, '_> {
    const TRACKS_OFFSETS: bool = true;
    fn offset_map(&mut self) -> &mut Vec<(usize, usize)> {
        &mut self.map
    }
    fn end_normalized(&mut self) {
        self.map.clear();
    }
    fn user(&mut self, text: &str, start: usize, end: usize, out: &str) {
        self.out.push_str(out);
        if &text[start..end] != out {
            self.report.push_change(Change::new(
                Stage::Convert,
                "user-dict",
                Span::new(start, end),
                &text[start..end],
                out,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for c in Config::ALL {
            assert_eq!(Config::from_name(c.name()).unwrap(), c);
            assert_eq!(format!("{}.json", c.name()).parse::<Config>().unwrap(), c);
        }
        assert_eq!(tables::N_CONFIGS, Config::ALL.len());
        let e = Config::from_name("s2x").unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::UnknownConfig { name } if name == "s2x"));
    }

    #[test]
    fn normalization_keys_begin_with_ef_or_f0() {
        for c in Config::ALL {
            for &i in tables::config_spec(c.index()).normalization {
                tables::table(i).for_each_entry(|k, _, _| {
                    assert!(matches!(k.as_bytes()[0], 0xEF | 0xF0), "{k}");
                });
            }
        }
    }

    #[test]
    fn normalization_scan_finds_every_key_at_every_offset() {
        let config = Config::from_name("s2t").unwrap();
        let t = Tables::load(config);
        let scan = t.normalization_scan;
        assert!(scan.is_some(), "the shipped table allows a quick scan");
        let clean = "，。中文：“引号”（括号）１２３ＡＢＣ";
        for key in ['\u{F900}', '\u{FA6D}', '\u{2F800}', '\u{2FA1D}'] {
            for pad in 0..140 {
                let text = format!(
                    "{}{key}{clean}",
                    "中a，".repeat(pad / 5) + &"x".repeat(pad % 5)
                );
                assert!(
                    needs_normalization(&t.normalization, scan, &text),
                    "{pad} {key:?}"
                );
            }
        }
        for pad in 0..140 {
            let text = clean.repeat(pad / 10 + 1) + &"a".repeat(pad % 10);
            assert!(!needs_normalization(&t.normalization, scan, &text));
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        /// The fused segmentation pass gives what separate segmentation and
        /// conversion give.
        #[test]
        fn fused_equals_separate(s in "([发展头髮理干杯鼠标软件计算机云后里面台湾SQLPN注入攻击⿰⿲氵 a\n]|[\u{4e00}-\u{9fff}]){0,40}") {
            for config in Config::ALL {
                if !tables::config_spec(config.index()).fused {
                    continue;
                }
                let plain = Converter {
                    inner: Arc::new(Inner {
                        config,
                        tables: Tables::load_with(config, false),
                        user: None,
                    }),
                };
                let fused = Converter::new(config);
                proptest::prop_assert!(fused.inner.tables.fused && !plain.inner.tables.fused);
                proptest::prop_assert_eq!(fused.convert(&s), plain.convert(&s));
            }
        }
    }

    #[test]
    fn converter_is_send_sync_clone() {
        fn check<T: Send + Sync + Clone + 'static>() {}
        check::<Converter>();
    }
}
