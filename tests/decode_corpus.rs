//! decode on real Chinese text encoded in legacy encodings, and on broken
//! bytes. The texts are the corpus samples of `../shared/eval/corpus`.

mod common;

use std::borrow::Cow;
use std::path::PathBuf;

use zhclean::decode::{decode, DecodeConfig, Decoder, Source};

fn eval_dir() -> Option<PathBuf> {
    common::eval_dir("corpus")
}

/// The first `n` bytes of a corpus sample, cut at a line end, keeping only
/// the characters `label` can encode (the test is about decoding, not about
/// what a legacy repertoire lacks).
fn sample(name: &str, n: usize, label: &str) -> Option<String> {
    let text = std::fs::read_to_string(eval_dir()?.join("corpus").join(name)).ok()?;
    let enc = encoding_rs::Encoding::for_label(label.as_bytes()).unwrap();
    let mut out = String::new();
    for line in text.lines() {
        if out.len() > n {
            break;
        }
        for c in line.chars() {
            let mut buf = [0u8; 4];
            if !enc.encode(c.encode_utf8(&mut buf)).2 {
                out.push(c);
            }
        }
        out.push('\n');
    }
    Some(out)
}

fn round_trip(name: &str, label: &str, expect_name: &str) {
    let Some(text) = sample(name, 64 << 10, label) else {
        return;
    };
    let enc = encoding_rs::Encoding::for_label(label.as_bytes()).unwrap();
    let (bytes, _, unmappable) = enc.encode(&text);
    assert!(!unmappable);
    let d = decode(&bytes);
    assert_eq!(d.encoding.name(), expect_name, "{name} as {label}");
    assert_eq!(d.source, Source::Detected);
    assert!(!d.had_errors);
    assert!(d.text == text, "{name} as {label}: text differs");
}

#[test]
fn gbk_simplified() {
    round_trip("zh_hans.sample.txt", "gbk", "GBK");
}

#[test]
fn gb18030_is_read_as_its_gbk_subset() {
    // Text inside GBK's repertoire is byte-identical in GB18030; WHATWG's
    // GBK decoder is GB18030's, so the result is exact either way.
    let Some(text) = sample("zh_hans.sample.txt", 64 << 10, "gb18030") else {
        return;
    };
    let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
    let d = decode(&bytes);
    assert!(d.encoding.name() == "GBK" || d.encoding.name() == "gb18030");
    assert!(d.text == text);
}

#[test]
fn big5_traditional() {
    round_trip("zh_hant.sample.txt", "big5", "Big5");
}

#[test]
fn shift_jis() {
    // Japanese prose written for this test (Shift_JIS is Japanese).
    let text = "本日は晴天なり。東京都の天気予報によると、明日は雨が降るでしょう。\
                日本語の文章をシフトJISで符号化して、正しく復号できるか確かめます。\n"
        .repeat(40);
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&text);
    assert!(!unmappable);
    let d = decode(&bytes);
    assert_eq!(d.encoding.name(), "Shift_JIS");
    assert_eq!(d.text, text);
}

#[test]
fn utf16_with_bom() {
    let Some(text) = sample("zh_hant.sample.txt", 16 << 10, "utf-8") else {
        return;
    };
    for le in [true, false] {
        let mut bytes = if le {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for u in text.encode_utf16() {
            bytes.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        let d = decode(&bytes);
        assert_eq!(d.source, Source::Bom);
        assert_eq!(d.text, text);
    }
}

#[test]
fn utf16_lone_surrogates_and_odd_length_become_replacements() {
    // "中" then a lone low surrogate, a lone high surrogate, "文", and a
    // dangling odd byte.
    let units: [u16; 4] = [0x4E2D, 0xDC00, 0xD800, 0x6587];
    let mut bytes = vec![0xFF, 0xFE];
    for u in units {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    bytes.push(0x41);
    let d = decode(&bytes);
    assert!(d.had_errors);
    assert_eq!(d.text, "中\u{FFFD}\u{FFFD}文\u{FFFD}");
}

#[test]
fn forced_encoding_wins_over_detection() {
    let text = "中文";
    let (bytes, _, _) = encoding_rs::BIG5.encode(text);
    let dec = Decoder::new(DecodeConfig::default().with_encoding("big5")).unwrap();
    let d = dec.decode(&bytes);
    assert_eq!(d.text, text);
    assert_eq!(d.source, Source::Forced);
}

#[test]
fn valid_utf8_is_zero_copy() {
    let Some(text) = sample("zh_hans.sample.txt", 256 << 10, "utf-8") else {
        return;
    };
    let d = decode(text.as_bytes());
    match d.text {
        Cow::Borrowed(s) => assert!(std::ptr::eq(s.as_ptr(), text.as_ptr())),
        Cow::Owned(_) => panic!("valid UTF-8 was copied"),
    }
}

#[test]
fn truncated_and_garbage_bytes() {
    let text = "中华人民共和国宪法";
    let b = text.as_bytes();
    for cut in 1..b.len() {
        let d = decode(&b[..cut]);
        // Never more characters than bytes; never an empty result.
        assert!(!d.text.is_empty());
        assert!(d.text.chars().count() <= cut);
    }
    let garbage: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
    let d = decode(&garbage);
    assert!(!d.text.is_empty());
    let nul = vec![0u8; 1000];
    assert_eq!(decode(&nul).text.len(), 1000);
}
