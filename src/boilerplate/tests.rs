//! Unit tests: each rule with lines it must remove and lines it must keep.

use super::*;

const BODY: &str = "春节后首个工作日，全市召开深化作风建设优化营商环境推进会，部署全年重点工作。\n\
会议强调，要进一步优化营商环境，推动惠企政策真正落地落实，为企业解难点、止痛点。\n\
与会代表表示，将以实际行动迎接新的一年，奋力推动高质量发展再上新台阶。\n";

/// Another article body, for pages that need more prose than [`BODY`]
/// (identical long lines in one page are removed as duplicates).
fn body(n: usize) -> String {
    BODY.lines().map(|l| format!("第{n}部分：{l}\n")).collect()
}

fn removed(page: &str) -> Vec<(String, &'static str)> {
    let mut report = Report::new();
    Stripper::default().strip_with_report(page, &mut report);
    report
        .changes
        .iter()
        .filter(|c| c.rule != "rejoin")
        .map(|c| {
            let cat = Category::ALL_NAMES
                .iter()
                .copied()
                .find(|n| Some(*n) == c.detail.as_deref())
                .unwrap_or("?");
            (c.before.trim_end().to_string(), cat)
        })
        .collect()
}

/// Asserts that `line`, placed after the article body, is removed as `cat`.
fn assert_removed_after_body(line: &str, cat: &str) {
    let page = format!("{BODY}{line}\n");
    let r = removed(&page);
    assert!(
        r.iter().any(|(l, c)| l == line && *c == cat),
        "{line:?} not removed as {cat}: {r:?}"
    );
}

/// Asserts that `line`, placed inside the article body, is kept.
fn assert_kept_in_body(line: &str) {
    let page = format!("{BODY}{line}\n{BODY}");
    let out = strip(&page);
    assert!(
        out.lines().any(|l| l.contains(line)),
        "{line:?} was removed: {out}"
    );
}

impl Category {
    const ALL_NAMES: [&'static str; 18] = [
        "menu",
        "breadcrumb",
        "toolbar",
        "share",
        "related",
        "comments",
        "tags",
        "byline",
        "caption",
        "copyright",
        "contact",
        "icp",
        "powered-by",
        "summary",
        "spam",
        "outside",
        "repeated",
        "blank",
    ];
}

#[test]
fn pure_article_is_borrowed() {
    assert!(matches!(strip(BODY), Cow::Borrowed(_)));
    assert!(matches!(strip(""), Cow::Borrowed(_)));
    assert!(matches!(strip("一行。"), Cow::Borrowed(_)));
}

#[test]
fn icp_and_permits() {
    assert_removed_after_body("粤ICP备12345678号-1", "icp");
    assert_removed_after_body("京公网安备 11010502030143号", "icp");
    assert_removed_after_body(
        "互联网新闻信息服务许可证32120170004 视听节目许可证1008318号",
        "icp",
    );
}

#[test]
fn copyright() {
    assert_removed_after_body(
        "Copyright © 1998 - 2016 Tencent. All Rights Reserved",
        "copyright",
    );
    assert_removed_after_body("版權所有 江蘇揚子晚報有限公司", "copyright");
    assert_kept_in_body(
        "他认为，音乐版权保护的关键在于让创作者获得合理回报，而不是简单地封堵传播渠道。",
    );
}

#[test]
fn powered_by() {
    assert_removed_after_body("Powered by Discuz! X3.4", "powered-by");
}

#[test]
fn breadcrumbs() {
    assert_removed_after_body("您的位置：首页 > 生活 >", "breadcrumb");
    assert_removed_after_body("當前位置：首頁 > 新聞", "breadcrumb");
    assert_removed_after_body("科技 > 要闻 > THE NEXT WEB > 正文", "breadcrumb");
}

#[test]
fn toolbars_and_share_bars() {
    assert_removed_after_body("分享到 微信 微博 QQ空间", "share");
    assert_removed_after_body("簡體版|繁體版", "toolbar");
    assert_removed_after_body("字体：大 中 小", "toolbar");
    assert_kept_in_body("不少市民通过微信和微博反映，新开通的公交线路大大方便了日常出行。");
}

#[test]
fn bylines_and_datelines() {
    assert_removed_after_body("2022-01-28 14:56 来源：新华网", "byline");
    assert_removed_after_body("责任编辑：王小明", "byline");
    assert_removed_after_body("（責任編輯：陳大文）", "byline");
    assert_kept_in_body("记者从市政府获悉，今年全市将新建改建中小学校二十所，新增学位两万个。");
}

#[test]
fn tags_line() {
    assert_removed_after_body("关键词：营商环境 作风建设", "tags");
    assert_removed_after_body("標籤：旅遊 美食", "tags");
}

#[test]
fn contact_line() {
    assert_removed_after_body(
        "地址：南京市建邺区江东中路369号 邮编：210092 联系我们：025-96096",
        "contact",
    );
}

#[test]
fn captions() {
    assert_removed_after_body("图为会议现场。", "caption");
    assert_removed_after_body("本版图片来源：视觉中国", "caption");
}

#[test]
fn link_lists() {
    assert_removed_after_body("首页 | 时事 | 生活 | 财经 | 法律 | 文体", "menu");
    assert_removed_after_body("搜狐首页 - 新闻 - 体育 - 娱乐 - 财经 - IT", "menu");
}

#[test]
fn menus_before_the_article() {
    let page = format!("首页\n新闻\n体育\n娱乐\n财经\n{BODY}");
    let out = strip(&page);
    assert_eq!(out, BODY);
}

#[test]
fn headings_inside_the_article_stay() {
    let page = format!("{BODY}打造更具吸引力的营商环境\n{}", body(2));
    assert_eq!(strip(&page), page);
}

#[test]
fn title_before_the_article_stays() {
    let page = format!(
        "首页\n新闻\n体育\n娱乐\n书记市长这一周：奋马扬鞭争春色\n2022-02-13 20:04:17\n{BODY}"
    );
    let out = strip(&page);
    assert!(out.starts_with("书记市长这一周"), "{out}");
    assert!(!out.contains("2022-02-13"));
}

#[test]
fn spam_header_is_removed_and_flagged() {
    let page = format!("日本av,无码视频,在线观看,百家乐,时时彩,真人娱乐,开户送彩金\n{BODY}");
    let mut report = Report::new();
    let out = Stripper::default().strip_with_report(&page, &mut report);
    assert_eq!(out, BODY);
    assert!(report.has_flag("seo-spam"));
    // One mention in a sentence is not spam.
    let page =
        format!("{BODY}警方近日破获一起网络赌博案件，涉案的百家乐平台已被关停，多名嫌疑人落网。\n");
    assert!(matches!(strip(&page), Cow::Borrowed(_)));
}

#[test]
fn end_marker_cuts_comments() {
    let page = format!(
        "{BODY}{BODY}发表评论\n这篇文章写得很好，我完全同意作者的观点，希望以后多写一些这样的文章。\n"
    );
    let out = strip(&page);
    assert!(!out.contains("完全同意"), "{out}");
    assert!(out.contains("与会代表表示"));
}

#[test]
fn rejoin_across_caption() {
    let page = "一九八九年四月，我在湖南张家界开一个全省教学研究\n图为张家界风光\n会议。按照惯例，会议安排了一天时间，让与会者去风景点游玩观赏。\n";
    let mut report = Report::new();
    let out = Stripper::default().strip_with_report(page, &mut report);
    assert_eq!(
        out,
        "一九八九年四月，我在湖南张家界开一个全省教学研究会议。按照惯例，会议安排了一天时间，让与会者去风景点游玩观赏。\n"
    );
    assert_eq!(
        report.replay(Stage::Boilerplate, page).as_deref(),
        Some(&*out)
    );
    assert!(report.changes.iter().any(|c| c.rule == "rejoin"));
}

#[test]
fn complete_sentences_stay_separate() {
    assert!(matches!(strip(BODY), Cow::Borrowed(_)));
}

#[test]
fn summary_box_repeating_the_body() {
    let page =
        format!("核心提示：春节后首个工作日，全市召开深化作风建设优化营商环境推进会。\n{BODY}");
    let r = removed(&page);
    assert!(r.iter().any(|(_, c)| *c == "summary"), "{r:?}");
    // A summary that is not repeated stays (an abstract is content).
    let page = format!("摘要：本文研究了城市营商环境的评价方法，提出一种新的指标体系。\n{BODY}");
    assert!(strip(&page).contains("摘要"));
}

#[test]
fn repeated_lines_are_removed() {
    let mut rep = RepeatedLines::new(2, 1000);
    let a = format!("网站导航条目甲乙丙\n{BODY}");
    let b = "网站导航条目甲乙丙\n另一篇文章的内容，讲述了完全不同的事情，与前一篇毫无关系。\n";
    rep.add_document(&a);
    rep.add_document(b);
    let s = Stripper::default().with_repeated_lines(Arc::new(rep));
    let mut report = Report::new();
    let out = s.strip_with_report(&a, &mut report);
    assert_eq!(out, BODY);
    assert_eq!(report.changes[0].detail.as_deref(), Some("repeated"));
}

#[test]
fn report_replays_on_a_messy_page() {
    let page = format!(
        "首页\r\n新闻\r\n体育\r\n您的位置：首页 > 新闻\r\n{}分享到 微信 微博\r\n粤ICP备12345678号",
        BODY.replace('\n', "\r\n")
    );
    let mut report = Report::new();
    let out = Stripper::default().strip_with_report(&page, &mut report);
    assert_eq!(
        report.replay(Stage::Boilerplate, &page).as_deref(),
        Some(&*out)
    );
    assert!(report
        .changes
        .iter()
        .all(|c| c.line.is_some() && c.detail.is_some()));
}

#[test]
fn stripper_is_send_sync_clone() {
    fn check<T: Send + Sync + Clone>() {}
    check::<Stripper>();
    let mut out = String::from("x");
    Stripper::new(StripConfig::strict()).strip_into(BODY, &mut out);
    assert_eq!(out, format!("x{BODY}"));
}

#[test]
fn teasers_and_indexes() {
    assert_removed_after_body(
        "·富夫妻望子成龙假离婚 三月后丈夫另娶妻子傻眼（2005-04-03 17:19PM）",
        "related",
    );
    assert_removed_after_body(
        "第六届中国经济学年会专家访谈——姚洋教授采访录(2006-12-18)[793]",
        "related",
    );
    assert_removed_after_body(
        "3. 吴宗宪的女儿和张铁林的女儿，你们觉得谁的更漂亮呢(6210)",
        "related",
    );
    assert_removed_after_body(
        "[2005-08-21] 为什么总要面对呢，可有谁知道我已经身心疲惫？",
        "related",
    );
    assert_removed_after_body(
        "杨月仙怎么也想不明白，17岁的女儿智商只有42，被邻居...... [全文]",
        "related",
    );
    assert_removed_after_body(
        "延伸阅读：57岁小学肄业 广西骗子演绎25亿美元惊天骗局",
        "related",
    );
    // A subtitle in brackets with a date is not a teaser; a reference mark
    // is not a count.
    assert_kept_in_body("（2004年12月11－12日，南开大学）");
    assert_kept_in_body("[1]");
}

#[test]
fn button_rows_and_decoration() {
    assert_removed_after_body(
        "页面功能 【我来说两句】【我要“揪”错】【推荐】【字体：大 中 小】【打印】 【关闭】",
        "toolbar",
    );
    assert_removed_after_body("------------------------------", "menu");
    // Punctuation left over from a broken paragraph is not decoration.
    let page = format!("{BODY}他说：“这是我们的责任\n。”\n{BODY}");
    assert!(strip(&page).contains("。”"));
}

#[test]
fn informal_prose_without_punctuation_is_kept() {
    // Blogs that use spaces for commas.
    let page = "一波波接續性低溫寒流報到 已將新竹尖石鄉後山一帶層層山巒披上嫣紅的彩衣\n\
                玉峰道路一路上雲氣山嵐滯留山頭 順路下切蜿蜒道路後不久即抵達來到玉峰國小\n\
                營區水電方便 水槽也很有特色\n\
                這次選擇左側地勢高些以防午夜下雨泥濘\n\
                美樹民宿有開設餐廳 室內簡單佈置提供伙食餐飲\n\
                這兩間是民宿房間 跟著民宿主人聊起來還提到日後將改變成兩層木屋\n";
    assert_eq!(strip(page), page);
}

#[test]
fn a_signature_and_date_after_a_letter_stay() {
    let page = format!("首页\n新闻\n体育\n{BODY}某某市人民政府\n2022年1月5日\n粤ICP备12345678号\n");
    let out = strip(&page);
    assert!(out.ends_with("某某市人民政府\n2022年1月5日\n"), "{out}");
}

#[test]
fn copyright_words_in_prose_are_kept() {
    assert_kept_in_body("美国唱片工会表示，播客在使用其它音乐时，一定要获得版权所有者或制作人的许可，否则可能引发法律纠纷。");
    assert_kept_in_body("这些照片的版权所有者是谁？");
}

#[test]
fn rejoin_hard_wrapped_text_but_not_headings() {
    // Text wrapped at 40 columns: every full line ends mid-sentence.
    let page = "会议。按照惯例，会议安排了一天时间，让与\n\
                会者去风景点游玩观赏。那一天正好是四月十\n\
                五日，后来我们才知道，这是在中国历史上刻\n\
                下深深痕迹的一天。\n\
                3.1. 淘宝网物流配送的服务质量差\n\
                服务质量的问题是电子商务在物流方面一个非常突出的问题。\n";
    let out = strip(page);
    assert_eq!(
        out,
        "会议。按照惯例，会议安排了一天时间，让与会者去风景点游玩观赏。那一天正好是四月十五日，后来我们才知道，这是在中国历史上刻下深深痕迹的一天。\n\
         3.1. 淘宝网物流配送的服务质量差\n\
         服务质量的问题是电子商务在物流方面一个非常突出的问题。\n"
    );
}

#[test]
fn caption_splitting_a_sentence() {
    let page = format!(
        "{BODY}一九八九年四月，我在湖南张家界开一个全省教学研究会议，会议为期三天，按照惯例安排了参观游览\n张家界风光\n会议。按照惯例，会议安排了一天时间，让与会者去风景点游玩观赏。\n{BODY}"
    );
    let out = strip(&page);
    assert!(out.contains("参观游览会议。按照惯例"), "{out}");
    assert!(!out.contains("张家界风光"));
}

#[test]
fn spam_joined_by_underscores() {
    let page = format!("澳门新葡京_百家乐官网_真人娱乐_时时彩开户送彩金\n{BODY}");
    let mut report = Report::new();
    assert_eq!(
        Stripper::default().strip_with_report(&page, &mut report),
        BODY
    );
    assert!(report.has_flag("seo-spam"));
}

#[test]
fn inline_related_box_does_not_cut_a_long_article() {
    let page = format!(
        "{BODY}相关阅读\n·另一篇新闻的标题\n{}{}{}",
        body(2),
        body(3),
        body(4)
    );
    let out = strip(&page);
    assert_eq!(out.matches("与会代表表示").count(), 4, "{out}");
}

#[test]
fn second_copy_of_a_paragraph_is_removed() {
    let page = format!("{BODY}{BODY}");
    let r = removed(&page);
    assert_eq!(r.len(), 3, "{r:?}");
    assert!(r.iter().all(|(_, c)| *c == "repeated"));
    assert_eq!(strip(&page), BODY);
}
