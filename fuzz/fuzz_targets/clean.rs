#![no_main]
//! Cleaner::clean, clean_bytes and clean_reporting over any input and any
//! set of stages; a counting report counts what a full report records.
use libfuzzer_sys::fuzz_target;
use zhclean::cleaner::AVAILABLE_STAGES;
use zhclean::convert::Config;
use zhclean::{Cleaner, Report, Stage};

fuzz_target!(|data: (u8, &[u8])| {
    let (mask, bytes) = data;
    let stages: Vec<_> = AVAILABLE_STAGES
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, &s)| s)
        .collect();
    let mut builder = Cleaner::builder().stages(&stages);
    if stages.contains(&Stage::Convert) {
        builder = builder.convert(Config::ALL[usize::from(mask >> 5) % Config::ALL.len()]);
    }
    let cleaner = builder.build().expect("available stages build");
    let (_, _report) = cleaner.clean_bytes_with_report(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        let (out, full) = cleaner.clean_with_report(s);
        assert_eq!(cleaner.clean(s), out);
        let mut counting = Report::counting();
        assert_eq!(cleaner.clean_reporting(s, &mut counting), out);
        assert!(counting.changes.is_empty());
        assert_eq!(counting.change_counts(), full.change_counts());
        assert_eq!(counting.flags, full.flags);
    }
});
