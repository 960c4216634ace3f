//! Hostile input: huge lines, NULs, endless replacement characters and
//! repetitions. Nothing may panic, and nothing may be lost silently. (Time is
//! not asserted here: the benches show linear cost.)

use zhclean::normalize::normalize;
use zhclean::{Cleaner, Report};

#[test]
fn a_100_mb_line() {
    let unit = "中华人民共和国宪法，Ｌａｗ&amp;1,000。";
    let line = unit.repeat(100_000_000 / unit.len());
    assert!(line.len() >= 99_000_000);
    let out = Cleaner::new().clean(&line);
    // Every unit was rewritten the same way; nothing vanished.
    let fixed = normalize(unit).into_owned();
    assert_eq!(out.len(), fixed.len() * (line.len() / unit.len()));
}

#[test]
fn nul_bytes_are_removed_and_reported() {
    let s = "中\0文\0\0字";
    let (out, report) = Cleaner::new().clean_with_report(s);
    assert_eq!(out, "中文字");
    assert_eq!(report.changes.len(), 3);
    assert!(report
        .changes
        .iter()
        .all(|c| c.rule == "control" && c.before == "\0"));
}

#[test]
fn endless_replacement_characters_and_repetitions() {
    let fffd = "\u{FFFD}".repeat(1_000_000);
    assert_eq!(Cleaner::new().clean(&fffd), fffd);
    let spaces = " ".repeat(1_000_000) + "x";
    assert_eq!(normalize(&spaces), spaces);
    let trailing = "x".to_string() + &" ".repeat(1_000_000);
    assert_eq!(normalize(&trailing), "x");
    let newlines = "\n".repeat(1_000_000);
    assert_eq!(normalize(&newlines), "\n");
    let amps = "&".repeat(1_000_000);
    assert_eq!(normalize(&amps), amps);
    let open = "中(".repeat(200_000);
    assert_eq!(normalize(&open), open);
    let combining = "e".to_string() + &"\u{301}".repeat(100_000);
    let mut r = Report::new();
    let out = zhclean::normalize::Normalizer::default().normalize_with_report(&combining, &mut r);
    assert_eq!(out.chars().count(), 100_000);
}

#[test]
fn invalid_utf8_bytes_are_replaced_and_flagged() {
    let mut b = "中文".repeat(1000).into_bytes();
    // Break the lead byte of one character: the byte and its two orphaned
    // continuation bytes each become U+FFFD (the WHATWG rule), in one flag.
    b[3000] = 0xFF;
    let (out, report) = Cleaner::new().clean_bytes_with_report(&b);
    assert_eq!(out.matches('\u{FFFD}').count(), 3);
    assert_eq!(out.chars().count(), 2000 - 1 + 3);
    let flag = &report.flags[0];
    assert_eq!(
        (flag.kind.as_ref(), flag.span.start, flag.span.end),
        ("malformed-utf8", 3000, 3003)
    );
}
