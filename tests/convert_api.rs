//! The public API of the convert stage: configs, reports, user dictionaries,
//! script detection.

use std::borrow::Cow;

use zhclean::convert::{convert, detect_script, Config, Converter, ConverterBuilder, Script};
use zhclean::{ErrorKind, Report, Stage};

#[test]
fn config_names() {
    assert_eq!(Config::ALL.len(), 16);
    for c in Config::ALL {
        assert_eq!(Config::from_name(c.name()).unwrap(), c);
        assert_eq!(Config::from_name(&format!("{c}.json")).unwrap(), c);
        assert!(!c.description().is_empty());
        assert!(!c.dictionaries().is_empty());
    }
    assert_eq!("s2twp".parse::<Config>().unwrap(), Config::S2twp);
    assert!(matches!(
        Config::from_name("zh2en").unwrap_err().kind(),
        ErrorKind::UnknownConfig { name } if name == "zh2en"
    ));
    assert_eq!(
        Config::S2twp.dictionaries()[1],
        "segmentation: union[STPhrases, STPhrases_GeneratedFromRegionalPhrases]"
    );
}

#[test]
fn conversions() {
    assert_eq!(convert("汉字", Config::S2t), "漢字");
    assert_eq!(convert("漢字", Config::T2s), "汉字");
    assert_eq!(convert("鼠标", Config::S2twp), "滑鼠");
    assert_eq!(convert("滑鼠", Config::Tw2sp), "鼠标");
    // Compatibility ideograph U+F901 is normalized to U+66F4 first.
    assert_eq!(convert("\u{F901}", Config::T2tw), "\u{66F4}");
    assert!(matches!(convert("", Config::S2t), Cow::Borrowed("")));
    assert!(matches!(convert("的", Config::S2t), Cow::Borrowed("的")));
}

#[test]
fn report_per_match_and_per_segment() {
    let mut r = Report::new();
    let text = "我的头发和汉字";
    let out = Converter::new(Config::S2t).convert_with_report(text, &mut r);
    assert_eq!(out, "我的頭髮和漢字");
    let changes: Vec<_> = r.changes_of(Stage::Convert).collect();
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0].rule, "s2t");
    assert_eq!(
        (changes[0].before.as_str(), changes[0].after.as_str()),
        ("头发", "頭髮")
    );
    assert_eq!(
        changes[0].detail.as_deref(),
        Some("STPhrases.txt+STPhrases_GeneratedFromRegionalPhrases.txt")
    );
    assert_eq!(changes[1].detail.as_deref(), Some("STCharacters.txt"));
    assert_eq!(r.replay(Stage::Convert, text).as_deref(), Some(&*out));

    // Segmented config: one change per segment that changes.
    let mut r = Report::new();
    let text = "我的鼠标和头发";
    let out = Converter::new(Config::S2twp).convert_with_report(text, &mut r);
    assert_eq!(out, "我的滑鼠和頭髮");
    assert_eq!(r.replay(Stage::Convert, text).as_deref(), Some(&*out));
    assert!(r.changes.iter().all(|c| c.rule == "s2twp"));

    // Normalization changes are mapped back to the original text.
    let mut r = Report::new();
    let text = "a\u{F901}b\u{2F800}汉";
    let out = Converter::new(Config::S2tw).convert_with_report(text, &mut r);
    assert_eq!(r.replay(Stage::Convert, text).as_deref(), Some(&*out));
    assert!(!out.contains('\u{F901}'));
}

#[test]
fn user_dictionary() {
    let c = ConverterBuilder::new(Config::S2t)
        .user_dict_str("# comment\n\n自由软件\t自由軟體 自由軟件\n汉\t汗\n")
        .unwrap()
        .phrase("字", "牸")
        .unwrap()
        .build();
    assert_eq!(c.convert("自由软件的汉字说明"), "自由軟體的汗牸說明");
    let mut r = Report::new();
    let text = "用自由软件";
    let out = c.convert_with_report(text, &mut r);
    assert_eq!(out, "用自由軟體");
    assert_eq!(r.changes[0].rule, "user-dict");
    assert_eq!(r.replay(Stage::Convert, text).as_deref(), Some(&*out));

    // Earlier entries win.
    let c = ConverterBuilder::new(Config::S2t)
        .user_dict_str("汉\tA\n汉\tB")
        .unwrap()
        .build();
    assert_eq!(c.convert("汉"), "A");

    let long = format!("k\t{}", "x".repeat(1 << 24));
    assert!(ConverterBuilder::new(Config::S2t)
        .user_dict_str(&long)
        .is_err());
    assert!(ConverterBuilder::new(Config::S2t)
        .phrase("k", &long[2..])
        .is_err());
    // An empty value deletes.
    let c = ConverterBuilder::new(Config::S2t)
        .phrase("删", "")
        .unwrap()
        .build();
    assert_eq!(c.convert("删除"), "除");

    for (dict, line) in [
        ("a\tb\nno tab here", 2),
        ("\tx", 1),
        ("k\t", 1),
        ("k\t x", 1),
    ] {
        let e = ConverterBuilder::new(Config::S2t)
            .user_dict_str(dict)
            .unwrap_err();
        assert!(
            matches!(e.kind(), ErrorKind::InvalidDictionary { line: l, .. } if *l == line),
            "{dict:?}: {e}"
        );
    }
}

#[test]
fn script_detection() {
    let d = detect_script("简体中文的网页内容，包括汉字转换。");
    assert_eq!(d.script, Script::Simplified);
    assert!(d.simplified_only >= 5 && d.traditional_only == 0);
    let d = detect_script("繁體中文的網頁內容，包括漢字轉換。");
    assert_eq!(d.script, Script::Traditional);
    assert_eq!(detect_script("English only").script, Script::Neither);
    assert_eq!(detect_script("汉字漢字").script, Script::Mixed);
    // Every converted Simplified text of the corpus kind reads Traditional.
    let t = convert("简体中文的网页内容，包括汉字转换。", Config::S2t);
    assert_eq!(detect_script(&t).script, Script::Traditional);
}
