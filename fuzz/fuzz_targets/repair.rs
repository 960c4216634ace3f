//! Fuzz target for the repair stage: never panics, replays its report, and
//! leaves ASCII-only text alone.
//!
//! Dependencies (fuzz/Cargo.toml): `libfuzzer-sys = "0.4"`,
//! `arbitrary = { version = "1", features = ["derive"] }`, `zhclean = { path = ".." }`.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use zhclean::repair::{Codec, RepairConfig, Repairer};
use zhclean::{Report, Stage};

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    text: &'a str,
    codecs: u16,
    legacy: bool,
    lines: bool,
    fragments: bool,
    pinyin: bool,
    c1: bool,
    max_rounds: u8,
}

fuzz_target!(|input: Input<'_>| {
    let codecs = Codec::ALL
        .iter()
        .enumerate()
        .filter(|(i, _)| input.codecs >> i & 1 == 1)
        .map(|(_, &c)| c)
        .collect();
    let config = RepairConfig {
        codecs,
        legacy_as_single_byte: input.legacy,
        lines: input.lines,
        fragments: input.fragments,
        pinyin_annotations: input.pinyin,
        c1_controls: input.c1,
        flag_damage: true,
        max_rounds: 1 + input.max_rounds % 4,
    };
    let r = Repairer::new(config).expect("valid config");
    let mut report = Report::new();
    let out = r.repair_with_report(input.text, &mut report);
    assert_eq!(
        report.replay(Stage::Repair, input.text).as_deref(),
        Some(out.as_ref())
    );
    assert_eq!(r.repair(input.text), out);
    if input.text.is_ascii() && !input.text.contains('(') {
        assert_eq!(out, input.text);
    }
});
