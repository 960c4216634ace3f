//! Fuzzes the `convert` stage: every config, arbitrary input, with and
//! without a report, plus a user dictionary built from the input.
//!
//! Deps: libfuzzer-sys 0.4, zhclean (path = "..").
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhclean::convert::{detect_script, Config, Converter, ConverterBuilder};
use zhclean::{Report, Stage};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let config = Config::ALL[selector as usize % Config::ALL.len()];
    let converter = Converter::new(config);

    let out = converter.convert(&text);
    let mut report = Report::new();
    let reported = converter.convert_with_report(&text, &mut report);
    assert_eq!(out, reported);
    assert_eq!(report.replay(Stage::Convert, &text).as_deref(), Some(&*out));
    let mut buf = String::new();
    converter.convert_into(&text, &mut buf);
    assert_eq!(buf, out);
    let _ = detect_script(&text);

    // The first line of the input, used as a user dictionary (errors are fine).
    if selector & 0x80 != 0 {
        let (dict, body) = text.split_once('\n').unwrap_or((&text, ""));
        if let Ok(b) = ConverterBuilder::new(config).user_dict_str(dict) {
            let c = b.build();
            let out = c.convert(body);
            let mut report = Report::new();
            let reported = c.convert_with_report(body, &mut report);
            assert_eq!(out, reported);
            assert_eq!(report.replay(Stage::Convert, body).as_deref(), Some(&*out));
        }
    }
});
