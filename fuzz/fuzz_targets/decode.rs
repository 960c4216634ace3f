#![no_main]
//! decode: any bytes, any forced label from a small set; never panics, and
//! valid UTF-8 comes back exact.
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use zhclean::decode::{DecodeConfig, Decoder};

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    bytes: &'a [u8],
    forced: Option<u8>,
    detect_limit: u16,
}

const LABELS: &[&str] = &["gbk", "gb18030", "big5", "shift_jis", "euc-kr", "utf-16le", "utf-16be", "windows-1252", "utf-8"];

fuzz_target!(|inp: Input| {
    let mut config = DecodeConfig::default();
    config.encoding = inp.forced.map(|i| LABELS[i as usize % LABELS.len()].to_string());
    config.detect_limit = usize::from(inp.detect_limit).max(1);
    let dec = Decoder::new(config).expect("valid config");
    let d = dec.decode(inp.bytes);
    if inp.forced.is_none() && !inp.bytes.starts_with(&[0xEF, 0xBB, 0xBF]) && !inp.bytes.starts_with(&[0xFF, 0xFE]) && !inp.bytes.starts_with(&[0xFE, 0xFF]) {
        if let Ok(s) = std::str::from_utf8(inp.bytes) {
            assert_eq!(&*d.text, s);
        }
    }
});
