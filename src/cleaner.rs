//! The [`Cleaner`]: the stages run in pipeline order, built once, shared.
//!
//! The cleaner owns no cleaning logic: it holds one configured engine per
//! enabled stage and passes the text from one to the next, borrowing for as
//! long as no stage changes anything.

use std::borrow::Cow;
use std::sync::Arc;

use crate::boilerplate::{RepeatedLines, StripConfig, Stripper};
use crate::convert::{Config as ConvertConfig, Converter};
use crate::decode::{DecodeConfig, Decoder};
use crate::normalize::{NormalizeConfig, Normalizer};
use crate::repair::{RepairConfig, Repairer};
use crate::report::{Report, Stage};
use crate::Error;

/// Version of the serialized [`CleanerConfig`] shape.
pub const CONFIG_FORMAT_VERSION: u32 = 1;

/// Everything a [`Cleaner`] is built from: which stages run and each stage's
/// configuration. Serializable with the `serde` feature, so a pipeline can be
/// stored and rebuilt elsewhere (e.g. on a worker).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
#[non_exhaustive]
pub struct CleanerConfig {
    /// [`CONFIG_FORMAT_VERSION`] of the code that wrote the config.
    pub format_version: u32,
    /// The enabled stages (order does not matter: they always run in
    /// pipeline order).
    pub stages: Vec<Stage>,
    /// Options of the decode stage.
    pub decode: DecodeConfig,
    /// Options of the repair stage.
    pub repair: RepairConfig,
    /// Options of the normalize stage.
    pub normalize: NormalizeConfig,
    /// Options of the boilerplate stage.
    pub boilerplate: StripConfig,
    /// The conversion config of the convert stage (e.g. `s2t`); the stage
    /// needs one.
    pub convert: Option<ConvertConfig>,
}

impl Default for CleanerConfig {
    fn default() -> CleanerConfig {
        CleanerConfig {
            format_version: CONFIG_FORMAT_VERSION,
            stages: DEFAULT_STAGES.to_vec(),
            decode: DecodeConfig::default(),
            repair: RepairConfig::default(),
            normalize: NormalizeConfig::default(),
            boilerplate: StripConfig::default(),
            convert: None,
        }
    }
}

/// The stages a default [`Cleaner`] runs: all but convert, which runs when
/// given a conversion config.
pub const DEFAULT_STAGES: &[Stage] = &[
    Stage::Decode,
    Stage::Repair,
    Stage::Normalize,
    Stage::Boilerplate,
];

/// The stages this build of zhclean implements.
pub const AVAILABLE_STAGES: &[Stage] = &Stage::ALL;

/// A text stage as the cleaner drives it.
pub(crate) trait TextStage:
    Send + Sync + std::panic::RefUnwindSafe + std::panic::UnwindSafe
{
    fn apply<'a>(&self, text: &'a str, report: Option<&mut Report>) -> Cow<'a, str>;
}

impl TextStage for Normalizer {
    fn apply<'a>(&self, text: &'a str, report: Option<&mut Report>) -> Cow<'a, str> {
        self.run(text, report)
    }
}

impl TextStage for Repairer {
    fn apply<'a>(&self, text: &'a str, report: Option<&mut Report>) -> Cow<'a, str> {
        match report {
            Some(r) => self.repair_with_report(text, r),
            None => self.repair(text),
        }
    }
}

impl TextStage for Stripper {
    fn apply<'a>(&self, text: &'a str, report: Option<&mut Report>) -> Cow<'a, str> {
        match report {
            Some(r) => self.strip_with_report(text, r),
            None => self.strip(text),
        }
    }
}

impl TextStage for Converter {
    fn apply<'a>(&self, text: &'a str, report: Option<&mut Report>) -> Cow<'a, str> {
        match report {
            Some(r) => self.convert_with_report(text, r),
            None => self.convert(text),
        }
    }
}

/// Runs the enabled stages in pipeline order: decode → repair → normalize →
/// boilerplate → convert.
///
/// Built once (it compiles tables and validates options), then shared:
/// `Cleaner` is `Send + Sync` and cloning it is a reference-count increment.
///
/// ```
/// use zhclean::Cleaner;
///
/// let cleaner = Cleaner::new();
/// assert_eq!(cleaner.clean("广东,支持企业&nbsp;发展\r\n"), "广东，支持企业 发展\n");
///
/// let (text, report) = cleaner.clean_with_report("ＡＢＣ");
/// assert_eq!(text, "ABC");
/// assert_eq!(report.changes[0].rule, "fullwidth-alnum");
/// ```
#[derive(Clone)]
pub struct Cleaner {
    inner: Arc<Inner>,
}

struct Inner {
    config: CleanerConfig,
    decoder: Option<Decoder>,
    /// The text stages, in pipeline order.
    stages: Vec<Box<dyn TextStage>>,
}

impl std::fmt::Debug for Cleaner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cleaner")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl Default for Cleaner {
    fn default() -> Cleaner {
        Cleaner::new()
    }
}

impl Cleaner {
    /// A cleaner with the default stages and options.
    pub fn new() -> Cleaner {
        Cleaner::builder()
            .build()
            .expect("the default configuration is valid")
    }

    /// A builder, starting from the default configuration.
    pub fn builder() -> CleanerBuilder {
        CleanerBuilder::from_config(CleanerConfig::default())
    }

    /// Builds a cleaner from a complete configuration.
    pub fn from_config(config: CleanerConfig) -> Result<Cleaner, Error> {
        CleanerBuilder::from_config(config).build()
    }

    /// The configuration the cleaner was built from.
    pub fn config(&self) -> &CleanerConfig {
        &self.inner.config
    }

    /// Cleans text; borrowed when no stage changed anything. The decode
    /// stage does not apply to text (see [`Cleaner::clean_bytes`]).
    pub fn clean<'a>(&self, text: &'a str) -> Cow<'a, str> {
        self.run(Cow::Borrowed(text), None)
    }

    /// Cleans text and says what changed.
    pub fn clean_with_report<'a>(&self, text: &'a str) -> (Cow<'a, str>, Report) {
        let mut report = Report::new();
        let out = self.run(Cow::Borrowed(text), Some(&mut report));
        (out, report)
    }

    /// Cleans text, adding what changed to `report`: one report can serve
    /// many calls, and a counting one ([`Report::counting`]) only counts the
    /// changes per rule, which costs much less than recording them.
    ///
    /// ```
    /// use zhclean::{Cleaner, Report, Stage};
    ///
    /// let cleaner = Cleaner::new();
    /// let mut counts = Report::counting();
    /// cleaner.clean_reporting("ＡＢ中文,测试", &mut counts);
    /// cleaner.clean_reporting("Ｃ", &mut counts);
    /// assert_eq!(counts.change_counts(), [(Stage::Normalize, "fullwidth-alnum", 3), (Stage::Normalize, "cjk-punctuation", 1)]);
    /// ```
    pub fn clean_reporting<'a>(&self, text: &'a str, report: &mut Report) -> Cow<'a, str> {
        self.run(Cow::Borrowed(text), Some(report))
    }

    /// Appends the cleaned text to `out`, so one buffer serves many calls.
    pub fn clean_into(&self, text: &str, out: &mut String) {
        out.push_str(&self.clean(text));
    }

    /// Decodes bytes (when the decode stage is on; otherwise as UTF-8 with
    /// U+FFFD for malformed bytes) and cleans the text.
    pub fn clean_bytes<'a>(&self, bytes: &'a [u8]) -> Cow<'a, str> {
        let text = self.decode(bytes, None);
        self.run(text, None)
    }

    /// [`Cleaner::clean_bytes`] with a report; the decode stage's flags come
    /// first, with spans in `bytes`.
    pub fn clean_bytes_with_report<'a>(&self, bytes: &'a [u8]) -> (Cow<'a, str>, Report) {
        let mut report = Report::new();
        let text = self.decode(bytes, Some(&mut report));
        let out = self.run(text, Some(&mut report));
        (out, report)
    }

    fn decode<'a>(&self, bytes: &'a [u8], report: Option<&mut Report>) -> Cow<'a, str> {
        match &self.inner.decoder {
            Some(d) => d.run(bytes, report).text,
            None => String::from_utf8_lossy(bytes),
        }
    }

    fn run<'a>(&self, text: Cow<'a, str>, mut report: Option<&mut Report>) -> Cow<'a, str> {
        let mut cur = text;
        for stage in &self.inner.stages {
            cur = match cur {
                Cow::Borrowed(s) => stage.apply(s, report.as_deref_mut()),
                Cow::Owned(s) => match stage.apply(&s, report.as_deref_mut()) {
                    Cow::Borrowed(_) => Cow::Owned(s),
                    Cow::Owned(o) => Cow::Owned(o),
                },
            };
        }
        cur
    }
}

/// Configures and builds a [`Cleaner`].
#[derive(Debug, Clone)]
pub struct CleanerBuilder {
    config: CleanerConfig,
    converter: Option<Converter>,
    repeated: Option<Arc<RepeatedLines>>,
}

impl CleanerBuilder {
    /// A builder starting from `config`.
    pub fn from_config(config: CleanerConfig) -> CleanerBuilder {
        CleanerBuilder {
            config,
            converter: None,
            repeated: None,
        }
    }

    /// Runs exactly these stages (in pipeline order, whatever the order
    /// given).
    pub fn stages(mut self, stages: &[Stage]) -> CleanerBuilder {
        self.config.stages = stages.to_vec();
        self
    }

    /// Runs the stages named in a comma-separated list such as
    /// `"decode,normalize"`.
    pub fn stage_names(self, names: &str) -> Result<CleanerBuilder, Error> {
        let stages = names
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| Stage::from_name(s).ok_or_else(|| Error::unknown_stage(s)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(self.stages(&stages))
    }

    /// Switches one stage on or off.
    pub fn stage(mut self, stage: Stage, on: bool) -> CleanerBuilder {
        self.config.stages.retain(|&s| s != stage);
        if on {
            self.config.stages.push(stage);
        }
        self
    }

    /// Sets the decode stage's options.
    pub fn decode_config(mut self, config: DecodeConfig) -> CleanerBuilder {
        self.config.decode = config;
        self
    }

    /// Sets the normalize stage's options.
    pub fn normalize_config(mut self, config: NormalizeConfig) -> CleanerBuilder {
        self.config.normalize = config;
        self
    }

    /// Sets the repair stage's options.
    pub fn repair_config(mut self, config: RepairConfig) -> CleanerBuilder {
        self.config.repair = config;
        self
    }

    /// Sets the boilerplate stage's options.
    pub fn boilerplate_config(mut self, config: StripConfig) -> CleanerBuilder {
        self.config.boilerplate = config;
        self
    }

    /// Converts the script with `config` (e.g. `s2t`), switching the convert
    /// stage on.
    pub fn convert(mut self, config: ConvertConfig) -> CleanerBuilder {
        self.config.convert = Some(config);
        self.stage(Stage::Convert, true)
    }

    /// Converts with a converter built elsewhere (e.g. with a user
    /// dictionary), switching the convert stage on. The converter is not
    /// part of the serializable [`CleanerConfig`] beyond its config name.
    pub fn converter(mut self, converter: Converter) -> CleanerBuilder {
        self.config.convert = Some(converter.config());
        self.converter = Some(converter);
        self.stage(Stage::Convert, true)
    }

    /// Removes lines that recur across a corpus (corpus mode of the
    /// boilerplate stage): see [`RepeatedLines`].
    pub fn repeated_lines(mut self, repeated: Arc<RepeatedLines>) -> CleanerBuilder {
        self.repeated = Some(repeated);
        self
    }

    /// The configuration so far.
    pub fn config(&self) -> &CleanerConfig {
        &self.config
    }

    /// Validates the options and builds the stages.
    pub fn build(self) -> Result<Cleaner, Error> {
        let CleanerBuilder {
            mut config,
            converter,
            repeated,
        } = self;
        config.stages.sort();
        config.stages.dedup();
        if let Some(&s) = config.stages.iter().find(|s| !AVAILABLE_STAGES.contains(s)) {
            return Err(Error::invalid_option(
                "stages",
                format!("the {s} stage is not part of this build of zhclean"),
            ));
        }
        let on = |s: Stage| config.stages.contains(&s);
        let decoder = if on(Stage::Decode) {
            Some(Decoder::new(config.decode.clone())?)
        } else {
            None
        };
        let mut stages: Vec<Box<dyn TextStage>> = Vec::new();
        if on(Stage::Repair) {
            stages.push(Box::new(Repairer::new(config.repair.clone())?));
        }
        if on(Stage::Normalize) {
            stages.push(Box::new(Normalizer::new(config.normalize.clone())));
        }
        if on(Stage::Boilerplate) {
            let mut stripper = Stripper::new(config.boilerplate.clone());
            if let Some(r) = repeated {
                stripper = stripper.with_repeated_lines(r);
            }
            stages.push(Box::new(stripper));
        }
        if on(Stage::Convert) {
            let converter = match (converter, config.convert) {
                (Some(c), _) => c,
                (None, Some(cfg)) => Converter::new(cfg),
                (None, None) => {
                    return Err(Error::invalid_option(
                        "convert",
                        "the convert stage needs a conversion config (e.g. s2t)",
                    ))
                }
            };
            stages.push(Box::new(converter));
        }
        Ok(Cleaner {
            inner: Arc::new(Inner {
                config,
                decoder,
                stages,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_names_parse() {
        let c = Cleaner::builder()
            .stage_names("normalize, decode")
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(c.config().stages, vec![Stage::Decode, Stage::Normalize]);
        let e = Cleaner::builder().stage_names("decode,bogus").unwrap_err();
        assert!(e.to_string().contains("bogus"));
    }

    #[test]
    fn stages_can_be_switched_off() {
        let c = Cleaner::builder()
            .stage(Stage::Normalize, false)
            .build()
            .unwrap();
        assert!(matches!(c.clean("ＡＢＣ"), Cow::Borrowed("ＡＢＣ")));
    }

    #[test]
    fn counting_reports_count_what_full_reports_record() {
        let cleaner = Cleaner::builder()
            .convert(ConvertConfig::from_name("s2t").unwrap())
            .build()
            .unwrap();
        let mut counting = Report::counting();
        let mut full = Report::new();
        for text in [
            "广东,支持企业&nbsp;发展  \n首页 > 新闻中心 > 正文\n",
            "ＡＢＣ\u{3000}\n\n\n\n软件和硬件",
            "鍏抽棴 涓枃",
            "",
        ] {
            let a = cleaner.clean_reporting(text, &mut counting);
            let b = cleaner.clean_reporting(text, &mut full);
            assert_eq!(a, b);
        }
        assert!(counting.changes.is_empty() && !full.changes.is_empty());
        assert_eq!(counting.change_counts(), full.change_counts());
        assert_eq!(counting.flags, full.flags);
        counting.clear();
        assert!(counting.is_empty() && counting.is_counting());
    }

    #[test]
    fn bytes_are_decoded_then_cleaned() {
        // "中文,测试" in GBK with a CRLF.
        let (bytes, _, _) = encoding_rs::GBK.encode("中文,测试\r\n");
        let (text, report) = Cleaner::new().clean_bytes_with_report(&bytes);
        assert_eq!(text, "中文，测试\n");
        assert!(report.has_flag("legacy-encoding"));
    }
}
