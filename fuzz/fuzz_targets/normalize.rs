#![no_main]
//! normalize: every switch, any text; never panics, idempotent, and the
//! report replays to the output.
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use zhclean::normalize::{NormalizeConfig, Normalizer};
use zhclean::{Report, Stage};

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    text: &'a str,
    switches: u16,
    max_blank_lines: Option<u8>,
}

fuzz_target!(|inp: Input| {
    let bit = |i: u16| inp.switches & (1 << i) != 0;
    let mut c = NormalizeConfig::default();
    c.line_endings = bit(0);
    c.controls = bit(1);
    c.invisible = bit(2);
    c.spaces = bit(3);
    c.trailing_whitespace = bit(4);
    c.html_entities = bit(5);
    c.fullwidth_alnum = bit(6);
    c.cjk_punctuation = bit(7);
    c.compat_ideographs = bit(8);
    c.nfc = bit(9);
    c.max_blank_lines = inp.max_blank_lines.map(usize::from);
    let n = Normalizer::new(c);
    let mut report = Report::new();
    let out = n.normalize_with_report(inp.text, &mut report);
    assert_eq!(report.replay(Stage::Normalize, inp.text).as_deref(), Some(&*out));
    assert_eq!(n.normalize(inp.text), out);
    if inp.switches & 0x3FF == 0x3FF {
        // With every rule on, a second pass changes nothing.
        assert_eq!(n.normalize(&out), out);
    }
});
