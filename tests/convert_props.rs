//! Properties of the conversion that hold for every input.

use std::borrow::Cow;

use proptest::prelude::*;
use zhclean::convert::{Config, Converter};
use zhclean::{Report, Stage};

/// Text mixing dictionary-relevant Chinese, ASCII, newlines, IDS operators,
/// compatibility ideographs and arbitrary characters.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[汉漢发發展干乾幹后後台臺颱里裏裡面麵鼠标標软軟件體滑鼠计算機机云雲说說為为着著]{1,6}",
        // Characters whose Traditional forms begin Taiwan and Hong Kong
        // phrases (the look-ahead of the fused configs).
        3 => "[服务器网络信息设置项目支持内存程序优化对象通过门户用的市数据质量缓存]{1,8}",
        2 => "[ -~]{1,8}",
        1 => Just("\n".to_string()),
        1 => "[⿰⿱⿲⿾氵发木口]{1,5}",
        1 => "[\u{F900}-\u{FAD9}\u{2F800}-\u{2FA1D}]",
        1 => any::<String>(),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

fn converters() -> Vec<Converter> {
    Config::ALL.into_iter().map(Converter::new).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn never_panics_and_report_replays(s in text()) {
        for c in converters() {
            let out = c.convert(&s);
            let mut report = Report::new();
            let out2 = c.convert_with_report(&s, &mut report);
            prop_assert_eq!(&out, &out2);
            let replayed = report.replay(Stage::Convert, &s);
            prop_assert_eq!(replayed.as_deref(), Some(&*out));
            let mut buf = String::from("prefix");
            c.convert_into(&s, &mut buf);
            prop_assert_eq!(&buf["prefix".len()..], &*out);
        }
    }

    #[test]
    fn ascii_passes_through_borrowed(s in "[\\x00-\\x7f]{0,64}") {
        for c in converters() {
            prop_assert!(matches!(c.convert(&s), Cow::Borrowed(x) if x == s));
        }
    }

    /// Holds because no dictionary key contains a newline; the one exception
    /// is an ideographic description sequence that spans a line break
    /// (`⿲发\n鼠` is one sequence, left unconverted), so the operators are
    /// taken out of the text here (rather than rejecting such text, which
    /// most long texts are) and that case is covered by `ids_across_lines`
    /// below.
    #[test]
    fn line_by_line_equals_whole(s in text().prop_map(|mut s| {
        s.retain(|c| !('\u{2FF0}'..='\u{2FFF}').contains(&c));
        s
    })) {
        for c in converters() {
            let whole = c.convert(&s);
            let mut pieces = String::new();
            for line in s.split_inclusive('\n') {
                c.convert_into(line, &mut pieces);
            }
            prop_assert_eq!(&pieces, &*whole);
        }
    }

    #[test]
    fn unchanged_output_is_borrowed(s in text()) {
        for c in converters() {
            let out = c.convert(&s);
            prop_assert_eq!(matches!(out, Cow::Borrowed(_)), *out == *s);
        }
    }
}

#[test]
fn ids_across_lines() {
    // OpenCC 1.4.2 gives the same: the sequence swallows the newline.
    let c = Converter::new(Config::S2t);
    assert_eq!(c.convert("⿲发\n鼠发"), "⿲发\n鼠發");
    assert_eq!(c.convert("⿲发\n"), "⿲發\n");
}

/// Idempotence is a property of the tables, not of the algorithm: on single
/// characters (all CJK unified ideographs of the BMP and the compatibility
/// block), the Traditional-variant configs are idempotent, while `s2t` and
/// `t2s` each have exactly one chain of length two (苎→苧→薴, 薴→苧→苎) and the
/// Taiwan and Hong Kong configs a few more. On phrases nothing is promised
/// (`s2t` is not idempotent on the corpus sample).
#[test]
fn single_character_idempotence_is_as_the_tables_make_it() {
    let expected: &[(Config, &[char])] = &[
        (Config::T2tw, &[]),
        (Config::Tw2t, &[]),
        (Config::T2hk, &[]),
        (Config::Hk2t, &[]),
        (Config::T2jp, &[]),
        (Config::Jp2t, &[]),
        (Config::T2s, &['薴']),
        (Config::S2t, &['苎']),
        (Config::Hk2s, &['薴']),
        (Config::S2hk, &['苎']),
        (Config::Tw2s, &['薴', '麼', '麽']),
        (Config::S2tw, &['幺', '苎']),
    ];
    let chars: Vec<char> = (0x3400..0xA000u32)
        .chain(0xF900..0xFB00)
        .filter_map(char::from_u32)
        .collect();
    for &(config, exceptions) in expected {
        let c = Converter::new(config);
        let mut buf = [0u8; 4];
        let not_idempotent: Vec<char> = chars
            .iter()
            .copied()
            .filter(|ch| {
                let once = c.convert(ch.encode_utf8(&mut buf)).into_owned();
                c.convert(&once) != once
            })
            .collect();
        assert_eq!(not_idempotent, exceptions, "{config}");
    }
}

#[test]
fn converter_is_send_sync() {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<Converter>();
    // And usable from several threads at once.
    let c = Converter::new(Config::S2t);
    std::thread::scope(|s| {
        for _ in 0..2 {
            let c = c.clone();
            s.spawn(move || assert_eq!(c.convert("汉字"), "漢字"));
        }
    });
}
