//! Peer converters and mojibake repairers behind one interface each, for
//! `benches/peers.rs` and `benches/repair.rs`.
//!
//! Not published; exists so that the peers (zhconv is GPL, plsfix pulls in
//! ICU) stay out of zhclean's own dependency tree.

use std::borrow::Cow;

use zhclean::convert::Config;

/// A converter under test.
pub trait Peer {
    /// Short name for reports.
    fn name(&self) -> &'static str;
    /// Converts `text`.
    fn convert(&self, text: &str) -> String;
}

/// zhclean's own converter.
pub struct Zhclean(pub zhclean::convert::Converter);

impl Peer for Zhclean {
    fn name(&self) -> &'static str {
        "zhclean"
    }
    fn convert(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + text.len() / 8);
        self.0.convert_into(text, &mut out);
        out
    }
}

/// zhconv 0.4.2 with its OpenCC tables only (no MediaWiki tables). It has no
/// per-config choice: Traditional is `zh-Hant`, Simplified `zh-Hans`, Taiwan
/// with phrases `zh-TW`; `s2tw` is not offered.
pub struct Zhconv(pub zhconv::Variant);

impl Peer for Zhconv {
    fn name(&self) -> &'static str {
        "zhconv"
    }
    fn convert(&self, text: &str) -> String {
        zhconv::zhconv(text, self.0)
    }
}

/// ferrous-opencc (pure Rust).
pub struct Ferrous(pub ferrous_opencc::OpenCC);

impl Peer for Ferrous {
    fn name(&self) -> &'static str {
        "ferrous-opencc"
    }
    fn convert(&self, text: &str) -> String {
        self.0.convert(text)
    }
}

/// opencc-fmmseg (pure Rust).
pub struct Fmmseg(pub opencc_fmmseg::OpenCC, pub &'static str);

impl Peer for Fmmseg {
    fn name(&self) -> &'static str {
        "opencc-fmmseg"
    }
    fn convert(&self, text: &str) -> String {
        self.0.convert(text, self.1, false)
    }
}

/// opencc-rust (the C++ OpenCC from the system's libopencc).
#[cfg(feature = "opencc-rust")]
pub struct OpenccRust(pub opencc_rust::OpenCC);

#[cfg(feature = "opencc-rust")]
impl Peer for OpenccRust {
    fn name(&self) -> &'static str {
        "opencc-rust"
    }
    fn convert(&self, text: &str) -> String {
        self.0.convert(text)
    }
}

/// Every peer that offers `config`.
pub fn peers(config: Config) -> Vec<Box<dyn Peer>> {
    let mut out: Vec<Box<dyn Peer>> =
        vec![Box::new(Zhclean(zhclean::convert::Converter::new(config)))];
    let variant = match config {
        Config::S2t => Some(zhconv::Variant::ZhHant),
        Config::T2s | Config::Tw2sp => Some(zhconv::Variant::ZhHans),
        Config::S2twp => Some(zhconv::Variant::ZhTW),
        _ => None,
    };
    if let Some(v) = variant {
        out.push(Box::new(Zhconv(v)));
    }
    use ferrous_opencc::config::BuiltinConfig as B;
    let builtin = match config {
        Config::S2t => Some(B::S2t),
        Config::T2s => Some(B::T2s),
        Config::S2tw => Some(B::S2tw),
        Config::S2twp => Some(B::S2twp),
        Config::Tw2sp => Some(B::Tw2sp),
        _ => None,
    };
    if let Some(b) = builtin {
        if let Ok(c) = ferrous_opencc::OpenCC::from_config(b) {
            out.push(Box::new(Ferrous(c)));
        }
    }
    out.push(Box::new(Fmmseg(
        opencc_fmmseg::OpenCC::new(),
        config.name(),
    )));
    #[cfg(feature = "opencc-rust")]
    {
        use opencc_rust::DefaultConfig as D;
        let d = match config {
            Config::S2t => Some(D::S2T),
            Config::T2s => Some(D::T2S),
            Config::S2tw => Some(D::S2TW),
            Config::S2twp => Some(D::S2TWP),
            Config::Tw2sp => Some(D::TW2SP),
            _ => None,
        };
        if let Some(d) = d {
            if let Ok(c) = opencc_rust::OpenCC::new(d) {
                out.push(Box::new(OpenccRust(c)));
            }
        }
    }
    out
}

/// A mojibake repairer under test.
pub trait RepairPeer {
    /// Short name for reports.
    fn name(&self) -> &'static str;
    /// Repairs `text` (borrowed if the peer can tell nothing changed).
    fn repair<'a>(&self, text: &'a str) -> Cow<'a, str>;
}

impl RepairPeer for zhclean::repair::Repairer {
    fn name(&self) -> &'static str {
        "zhclean"
    }
    fn repair<'a>(&self, text: &'a str) -> Cow<'a, str> {
        zhclean::repair::Repairer::repair(self, text)
    }
}

/// plsfix 0.1.8 with the steps of ftfy's `fix_encoding` only (no quote
/// uncurling, width folding or normalization, which would change clean
/// Chinese text): the like-for-like peer of zhclean's repair.
pub struct Plsfix(plsfix::TextFixerConfig);

impl Plsfix {
    /// The `fix_encoding` configuration.
    pub fn fix_encoding() -> Plsfix {
        Plsfix(plsfix::TextFixerConfig {
            unescape_html: Some(false),
            remove_terminal_escapes: false,
            fix_latin_ligatures: false,
            fix_character_width: false,
            uncurl_quotes: false,
            fix_line_breaks: false,
            remove_control_chars: false,
            normalization: None,
            ..plsfix::TextFixerConfig::default()
        })
    }
}

impl RepairPeer for Plsfix {
    fn name(&self) -> &'static str {
        "plsfix"
    }
    fn repair<'a>(&self, text: &'a str) -> Cow<'a, str> {
        Cow::Owned(plsfix::fix_text(text, Some(&self.0)))
    }
}

/// zhclean's repair (default configuration) and plsfix.
pub fn repair_peers() -> Vec<Box<dyn RepairPeer>> {
    let mut out: Vec<Box<dyn RepairPeer>> = Vec::new();
    if let Ok(r) = zhclean::repair::Repairer::new(zhclean::repair::RepairConfig::default()) {
        out.push(Box::new(r));
    }
    out.push(Box::new(Plsfix::fix_encoding()));
    out
}
