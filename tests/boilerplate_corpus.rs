//! Corpus mode: lines repeated across the pages of a site are found in a
//! first pass and removed in a second. The corpus is generated from the dev
//! pages of the boilerplate eval set: each dev page lends its head and tail
//! (a site template) to several pages whose bodies come from other dev pages.

mod common;

use std::path::PathBuf;
use std::sync::Arc;

use zhclean::boilerplate::{RepeatedLines, StripConfig, Stripper};
use zhclean::{Report, Stage};

fn eval_dir() -> Option<PathBuf> {
    common::eval_dir("boilerplate/dev.jsonl")
}

/// The `"input"` string of each JSON line (a minimal JSON string reader, to
/// keep serde out of the default test build).
fn inputs(jsonl: &str) -> Vec<String> {
    let key = "\"input\": \"";
    let mut pages = Vec::new();
    for line in jsonl.lines() {
        let Some(at) = line.find(key) else { continue };
        let mut out = String::new();
        let mut chars = line[at + key.len()..].chars();
        while let Some(c) = chars.next() {
            match c {
                '"' => break,
                '\\' => match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some('r') => out.push('\r'),
                    Some('u') => {
                        let hex: String = chars.by_ref().take(4).collect();
                        let cp = u32::from_str_radix(&hex, 16).unwrap_or(0xFFFD);
                        out.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
                    }
                    Some(other) => out.push(other),
                    None => break,
                },
                c => out.push(c),
            }
        }
        pages.push(out);
    }
    pages
}

#[test]
fn repeated_template_lines_are_removed() {
    let Some(dir) = eval_dir() else { return };
    let text = std::fs::read_to_string(dir.join("boilerplate/dev.jsonl")).unwrap();
    let pages = inputs(&text);
    assert!(pages.len() >= 20, "dev set too small");
    let lines: Vec<Vec<&str>> = pages.iter().map(|p| p.lines().collect()).collect();

    // Sites: the first 10 and last 10 lines of a dev page are its template;
    // each site has 4 pages whose bodies are the middle lines of other pages.
    const SITES: usize = 10;
    const PAGES_PER_SITE: usize = 4;
    let mut corpus: Vec<(usize, String, Vec<String>)> = Vec::new();
    for site in 0..SITES {
        let t = &lines[site];
        if t.len() < 40 {
            continue;
        }
        let (head, tail) = (&t[..10], &t[t.len() - 10..]);
        for k in 0..PAGES_PER_SITE {
            let src = &lines[SITES + (site * PAGES_PER_SITE + k) % (lines.len() - SITES)];
            let body: Vec<String> = src[src.len() / 3..2 * src.len() / 3]
                .iter()
                .map(|s| s.to_string())
                .collect();
            let mut page = String::new();
            for l in head
                .iter()
                .map(|s| s.to_string())
                .chain(body.iter().cloned())
                .chain(tail.iter().map(|s| s.to_string()))
            {
                page.push_str(&l);
                page.push('\n');
            }
            corpus.push((site, page, body));
        }
    }
    assert!(corpus.len() >= 20);

    // First pass.
    let mut rep = RepeatedLines::new(3, RepeatedLines::DEFAULT_CAPACITY);
    for (_, page, _) in &corpus {
        rep.add_document(page);
    }
    let rep = Arc::new(rep);
    let stripper = Stripper::new(StripConfig::default()).with_repeated_lines(rep.clone());

    // Second pass.
    let mut body_chars = 0usize;
    let mut body_kept = 0usize;
    for (site, page, body) in &corpus {
        let t = &lines[*site];
        let template: Vec<&str> = t[..10].iter().chain(&t[t.len() - 10..]).copied().collect();
        let mut report = Report::new();
        let out = stripper.strip_with_report(page, &mut report);
        assert_eq!(
            report.replay(Stage::Boilerplate, page).as_deref(),
            Some(&*out)
        );
        let out_lines: std::collections::HashSet<&str> = out.lines().collect();
        for l in &template {
            let in_body = body.iter().any(|b| b.trim() == l.trim());
            if l.trim().chars().count() >= 2 && !in_body {
                assert!(rep.is_repeated(l), "template line not counted: {l:?}");
                assert!(!out_lines.contains(l), "template line kept: {l:?}");
            }
        }
        assert!(report
            .changes
            .iter()
            .any(|c| c.detail.as_deref() == Some("repeated")));
        for b in body {
            let n = b.chars().count();
            body_chars += n;
            if out.contains(b.as_str()) {
                body_kept += n;
            }
        }
    }
    // Bodies are not template lines: most of their text survives (the page
    // classifier may still drop body lines that look like navigation).
    assert!(
        body_kept * 100 >= body_chars * 80,
        "kept {body_kept} of {body_chars} body chars"
    );
}
