//! Peer converters behind one interface, for `benches/peers.rs`.
//!
//! Not published; exists so that the peers (zhconv is GPL) stay out of
//! zhclean's own dependency tree.

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
