#![no_main]
//! The JSON Lines record path: any line; never panics, never adds a line
//! break, and an input that is not a JSON object comes back unchanged.
use libfuzzer_sys::fuzz_target;
use zhclean::jsonl::{clean_record, Status};
use zhclean::Cleaner;

fuzz_target!(|data: (bool, &str)| {
    let (with_report, line) = data;
    if line.contains('\n') {
        return;
    }
    let cleaner = Cleaner::new();
    let mut out = String::new();
    let st = clean_record(&cleaner, line, "text", with_report, &mut out);
    assert!(!out.contains('\n'));
    if st.is_skipped() || st == Status::Blank {
        assert_eq!(out, line);
    }
});
