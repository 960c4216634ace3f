//! Property tests of the boilerplate stage: it only removes and joins whole
//! lines, never edits or invents text, never panics, and its report replays.

use std::borrow::Cow;

use proptest::prelude::*;
use zhclean::boilerplate::{strip, StripConfig, Stripper};
use zhclean::{Report, Stage};

/// Lines that look like web pages: prose, menu items, widgets, cues, spam,
/// blanks, odd characters.
fn page_line() -> impl Strategy<Value = String> {
    prop_oneof![
        "[\\u4e00-\\u9fa5]{10,60}[，。！？]",
        "[\\u4e00-\\u9fa5]{5,30}，[\\u4e00-\\u9fa5]{5,30}",
        "[\\u4e00-\\u9fa5]{1,6}",
        Just("首页 | 新闻 | 体育".to_string()),
        Just("分享到 微信 微博 QQ空间".to_string()),
        Just("粤ICP备12345678号".to_string()),
        Just("2022-01-28 14:56 来源：新华网".to_string()),
        Just("责任编辑：王小明".to_string()),
        Just("相关阅读".to_string()),
        Just("图为会议现场".to_string()),
        Just("日本av,无码视频,在线观看,百家乐,时时彩".to_string()),
        Just(String::new()),
        Just("   ".to_string()),
        "\\PC{0,40}",
    ]
}

fn page() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(page_line(), 0..40),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(lines, crlf, trailing)| {
            let sep = if crlf { "\r\n" } else { "\n" };
            let mut s = lines.join(sep);
            if trailing {
                s.push_str(sep);
            }
            s
        })
}

/// Every output line is an input line, or several input lines (in order, with
/// only removed lines between them) joined without separator; output lines
/// follow the input order.
fn check_lines_come_from_input(input: &str, output: &str) -> Result<(), TestCaseError> {
    let in_lines: Vec<&str> = input
        .split('\n')
        .map(|l| l.trim_end_matches('\r'))
        .collect();
    let mut at = 0;
    for out in output.split('\n').map(|l| l.trim_end_matches('\r')) {
        if out.is_empty() {
            continue;
        }
        let mut found = None;
        'start: for s in at..in_lines.len() {
            if in_lines[s].is_empty() || !out.starts_with(in_lines[s]) {
                continue;
            }
            let mut rest = &out[in_lines[s].len()..];
            let mut k = s + 1;
            while !rest.is_empty() {
                let mut matched = false;
                while k < in_lines.len() {
                    let l = in_lines[k];
                    k += 1;
                    if !l.is_empty() && rest.starts_with(l) {
                        rest = &rest[l.len()..];
                        matched = true;
                        break;
                    }
                }
                if !matched {
                    continue 'start;
                }
            }
            found = Some(k.max(s + 1));
            break;
        }
        prop_assert!(
            found.is_some(),
            "output line {:?} is not made of input lines",
            out
        );
        at = found.unwrap_or(at);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn never_invents_or_edits_text(input in page()) {
        for config in [StripConfig::default(), StripConfig::strict()] {
            let out = Stripper::new(config).strip(&input);
            check_lines_come_from_input(&input, &out)?;
        }
    }

    #[test]
    fn report_replays(input in page()) {
        let mut report = Report::new();
        let out = Stripper::default().strip_with_report(&input, &mut report);
        let replayed = report.replay(Stage::Boilerplate, &input);
        prop_assert_eq!(replayed.as_deref(), Some(&*out));
        for c in &report.changes {
            prop_assert!(c.line.is_some());
            prop_assert!(c.detail.is_some());
        }
        // Without a report the result is the same.
        prop_assert_eq!(Stripper::default().strip(&input), out);
    }

    #[test]
    fn no_panic_on_arbitrary_text(
        input in "\\PC{0,400}",
        bytes in prop::collection::vec(any::<u8>(), 0..400),
    ) {
        let _ = strip(&input);
        let lossy = String::from_utf8_lossy(&bytes);
        let _ = Stripper::new(StripConfig::strict()).strip(&lossy);
    }

    #[test]
    fn pure_article_text_is_unchanged(
        paras in prop::collection::vec("[\\u4e00-\\u9fa5]{8,40}，[\\u4e00-\\u9fa5]{8,40}。", 1..12)
    ) {
        let text = paras.join("\n");
        prop_assert!(matches!(strip(&text), Cow::Borrowed(_)));
        let text = format!("{text}\n");
        prop_assert!(matches!(strip(&text), Cow::Borrowed(_)));
    }
}

#[test]
fn empty_and_one_line_pages() {
    assert_eq!(strip(""), "");
    assert_eq!(strip("\n"), "\n");
    assert_eq!(
        strip("一行正文，没有别的东西。"),
        "一行正文，没有别的东西。"
    );
    // A lone short line: nothing to tell it from text, it stays.
    assert_eq!(strip("首页"), "首页");
    assert_eq!(strip("粤ICP备12345678号\n"), "");
}

#[test]
fn huge_line_and_endless_repetition() {
    let line = "很长的一行文字，".repeat(200_000);
    assert!(matches!(strip(&line), Cow::Borrowed(_)));
    let many = "首页\n".repeat(100_000);
    assert_eq!(strip(&many), "");
}

#[test]
fn many_summary_boxes_stay_linear() {
    let page = "核心提示：这是一段很长的摘要文字，后面并没有重复出现在正文里面。\n".repeat(50_000);
    let t = std::time::Instant::now();
    let _ = strip(&page);
    assert!(t.elapsed().as_secs() < 20, "took {:?}", t.elapsed());
}
