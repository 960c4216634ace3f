#![no_main]
//! Fuzz target of the boilerplate stage: no panic, output made of input
//! lines, report replays. Deps: libfuzzer-sys 0.4, arbitrary 1 (derive),
//! zhclean.

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use zhclean::boilerplate::{StripConfig, Stripper};
use zhclean::{Report, Stage};

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    strict: bool,
    rejoin: bool,
    keep_title: bool,
    end_marker_share: u8,
    menu_run: u8,
    text: &'a str,
}

fuzz_target!(|input: Input<'_>| {
    let mut config = if input.strict {
        StripConfig::strict()
    } else {
        StripConfig::default()
    };
    config.rejoin = input.rejoin;
    config.keep_title = input.keep_title;
    config.end_marker_share = usize::from(input.end_marker_share % 101);
    config.menu_run = usize::from(input.menu_run % 8);
    let stripper = Stripper::new(config);
    let mut report = Report::new();
    let out = stripper.strip_with_report(input.text, &mut report);
    assert_eq!(
        report.replay(Stage::Boilerplate, input.text).as_deref(),
        Some(&*out)
    );
    assert!(out.len() <= input.text.len());
    assert_eq!(stripper.strip(input.text), out);
});
