//! Property tests of the foundation: decode, normalize, the Cleaner and the
//! JSON Lines record path.

use std::borrow::Cow;

use proptest::prelude::*;
use zhclean::decode::{decode, Source};
use zhclean::normalize::{normalize, Normalizer};
use zhclean::{Cleaner, Report, Stage};

/// Clean Chinese text: Han, full-width punctuation, ASCII words and numbers
/// with single spaces, single newlines.
fn clean_cjk() -> impl Strategy<Value = String> {
    clean_cjk_from("[\u{4E00}-\u{9FA5}]{1,12}")
}

/// Clean Chinese text of common characters. Runs of rare hanzi are what
/// GBK mojibake looks like (涓枃 is 中文 misread), so the repair stage may
/// rightly act on them; common text must pass every character stage.
fn clean_common_cjk() -> impl Strategy<Value = String> {
    clean_cjk_from("[的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话]{1,12}")
}

fn clean_cjk_from(han: &'static str) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        6 => han,
        3 => prop::sample::select(vec!["，", "。", "、", "；", "：", "？", "！", "「", "」", "『", "』", "（", "）", "《", "》", "“", "”", "…"]).prop_map(String::from),
        1 => "[A-Za-z]{1,8}",
        1 => "[0-9]{1,3}(,[0-9]{3})?",
        1 => Just("\u{3000}".to_string()),
    ];
    // A line ends in Han or a full stop: whitespace at a line end is work.
    let line = (prop::collection::vec(piece, 1..12), "[\u{4E00}-\u{9FA5}。]")
        .prop_map(|(v, end)| v.concat() + &end);
    prop::collection::vec(line, 1..6).prop_map(|lines| lines.join("\n"))
}

/// Text full of things the stages touch.
fn dirty() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[\u{4E00}-\u{4E2F}]{1,3}",
        "[a-z0-9 ]{1,4}",
        prop::sample::select(vec![
            ",",
            ";",
            ":",
            "?",
            "!",
            "(",
            ")",
            "&amp;",
            "&nbsp;",
            "&#20013;",
            "&#x4E2D;",
            "&lt;",
            "&amp;lt;",
            "&bogus;",
            "\r\n",
            "\r",
            "\n",
            "\n\n\n",
            " ",
            "\t",
            "\u{3000}",
            "\u{A0}",
            "\u{200B}",
            "\u{200D}",
            "\u{200C}",
            "\u{FE0F}",
            "\u{FEFF}",
            "\u{AD}",
            "\u{202E}",
            "\u{0}",
            "\u{1B}",
            "\u{85}",
            "\u{2028}",
            "Ａ",
            "１",
            "\u{F900}",
            "e\u{301}",
            "\u{301}",
            "\u{1100}\u{1161}",
            "😀",
            "，",
            "。",
            "（",
            "）",
        ])
        .prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn normalize_never_panics(s in any::<String>()) {
        let _ = normalize(&s);
    }

    #[test]
    fn normalize_is_idempotent(s in dirty()) {
        let once = normalize(&s).into_owned();
        let twice = normalize(&once);
        prop_assert_eq!(&*twice, &*once);
        prop_assert!(matches!(twice, Cow::Borrowed(_)), "second pass allocated");
    }

    #[test]
    fn normalize_is_idempotent_on_any_string(s in any::<String>()) {
        let once = normalize(&s).into_owned();
        prop_assert_eq!(&*normalize(&once), &*once);
    }

    #[test]
    fn fast_path_equals_slow_path(s in dirty()) {
        let n = Normalizer::default();
        prop_assert_eq!(n.normalize(&s), n.normalize_slow(&s));
    }

    #[test]
    fn clean_cjk_passes_normalize_borrowed(s in clean_cjk()) {
        prop_assert!(matches!(normalize(&s), Cow::Borrowed(_)), "changed: {:?} -> {:?}", s, normalize(&s));
    }

    #[test]
    fn clean_common_cjk_passes_the_character_stages_borrowed(s in clean_common_cjk()) {
        // The text stages that edit characters leave clean text alone (the
        // boilerplate stage decides about whole lines: short generated lines
        // can look like menus, so it is tested on pages of its own).
        let cleaner = Cleaner::builder()
            .stages(&[Stage::Decode, Stage::Repair, Stage::Normalize])
            .build()
            .unwrap();
        prop_assert!(matches!(cleaner.clean(&s), Cow::Borrowed(_)));
    }

    #[test]
    fn normalize_report_replays(s in dirty()) {
        let mut r = Report::new();
        let out = Normalizer::default().normalize_with_report(&s, &mut r);
        prop_assert_eq!(r.replay(Stage::Normalize, &s), Some(out.into_owned()));
    }

    #[test]
    fn decode_valid_utf8_is_borrowed_and_exact(s in any::<String>()) {
        // A BOM at the start is a BOM, not text.
        prop_assume!(!s.starts_with('\u{FEFF}'));
        let d = decode(s.as_bytes());
        prop_assert!(matches!(d.text, Cow::Borrowed(_)));
        prop_assert_eq!(&*d.text, s.as_str());
        prop_assert_eq!(d.source, Source::Utf8);
    }

    #[test]
    fn decode_never_panics(b in prop::collection::vec(any::<u8>(), 0..512)) {
        let d = decode(&b);
        // Nothing silently lost: every input byte is accounted for by text.
        prop_assert!(!d.text.is_empty() || b.len() <= 3);
    }

    #[test]
    fn cleaner_bytes_never_panic(b in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = Cleaner::new().clean_bytes_with_report(&b);
    }

    #[test]
    fn counting_report_counts_what_a_full_report_records(s in dirty()) {
        let cleaner = Cleaner::builder()
            .convert(zhclean::convert::Config::from_name("s2t").unwrap())
            .build()
            .unwrap();
        let mut counting = Report::counting();
        let counted = cleaner.clean_reporting(&s, &mut counting).into_owned();
        let (out, full) = cleaner.clean_with_report(&s);
        prop_assert_eq!(&counted, &*out);
        prop_assert!(counting.changes.is_empty());
        prop_assert_eq!(counting.change_counts(), full.change_counts());
        prop_assert_eq!(&counting.flags, &full.flags);
    }
}

#[cfg(feature = "jsonl")]
proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn jsonl_keeps_every_record(lines in prop::collection::vec(prop_oneof![
        dirty().prop_map(|t| serde_json::json!({"id": 1, "text": t}).to_string()),
        dirty().prop_map(|t| serde_json::json!({"other": t}).to_string()),
        Just(r#"{"text": 5}"#.to_string()),
        "[^\n]{0,20}",
    ], 0..30)) {
        let cleaner = Cleaner::new();
        let mut out = String::new();
        let mut outputs = Vec::new();
        for l in &lines {
            zhclean::jsonl::clean_record(&cleaner, l, "text", false, &mut out);
            prop_assert!(!out.contains('\n'));
            outputs.push(out.clone());
        }
        prop_assert_eq!(outputs.len(), lines.len());
        for (i, o) in lines.iter().zip(&outputs) {
            // Records that are valid JSON stay valid JSON.
            if serde_json::from_str::<serde_json::Value>(i).is_ok() {
                prop_assert!(serde_json::from_str::<serde_json::Value>(o).is_ok());
            }
        }
    }
}
