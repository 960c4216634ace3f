#![no_main]
//! Cleaner::clean and clean_bytes over any input and any set of stages.
use libfuzzer_sys::fuzz_target;
use zhclean::cleaner::AVAILABLE_STAGES;
use zhclean::convert::Config;
use zhclean::{Cleaner, Stage};

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
        let _ = cleaner.clean(s);
    }
});
