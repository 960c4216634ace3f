//! Bench inputs shared by the benches: the corpus samples of
//! `../shared/eval/corpus` (official legal texts, not copyrightable; see
//! that folder's README) when present, else the bundled sample page
//! repeated, cut to three sizes to show that cost grows linearly.

#![allow(dead_code)]

use std::path::PathBuf;

/// The sizes every bench runs at, in bytes.
pub const SIZES: [usize; 3] = [4 << 10, 256 << 10, 4 << 20];

fn corpus(name: &str) -> String {
    // `../shared/eval` beside the workspace, from zhclean's benches or from
    // a workspace member's (bench-peers).
    let dir = std::env::var_os("ZHCLEAN_EVAL_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
            let beside = |p: &std::path::Path| p.join("../shared/eval");
            match here.parent() {
                Some(up) if !beside(&here).is_dir() => beside(up),
                _ => beside(&here),
            }
        });
    std::fs::read_to_string(dir.join("corpus").join(name)).unwrap_or_else(|_| {
        eprintln!(
            "bench: {name} not found under {}; using examples/page.txt",
            dir.display()
        );
        include_str!("../../examples/page.txt").to_string()
    })
}

/// `text` repeated and cut (at a character boundary) to about `size` bytes.
pub fn sized(text: &str, size: usize) -> String {
    let mut s = String::with_capacity(size + 4);
    while s.len() < size {
        s.push_str(text);
    }
    let mut end = size.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.truncate(end);
    s
}

/// Simplified Chinese prose as it comes (a few half-width commas between
/// Han and trailing spaces: not quite clean).
pub fn hans() -> String {
    corpus("zh_hans.sample.txt")
}

/// Traditional Chinese prose as it comes.
pub fn hant() -> String {
    corpus("zh_hant.sample.txt")
}

/// Clean text: the corpus once normalized, so a fixed point of normalize.
pub fn clean(text: &str) -> String {
    zhclean::normalize::normalize(text).into_owned()
}

/// Simplified prose full of what normalize fixes: one defect every ~40
/// characters (references, NBSP, zero-width, full-width letters, half-width
/// commas between Han, CRLF, trailing spaces).
pub fn dirty_hans() -> String {
    const DEFECTS: [&str; 10] = [
        "&nbsp;",
        "\u{A0}",
        "\u{200B}",
        "ＡＢＣ１２３",
        ",",
        "&#x4E2D;",
        "\u{FEFF}",
        "  \r\n",
        "&amp;",
        "\u{3000}\n",
    ];
    let mut out = String::new();
    for (i, c) in hans().chars().enumerate() {
        out.push(c);
        if i % 40 == 39 && c != '\n' {
            out.push_str(DEFECTS[(i / 40) % DEFECTS.len()]);
        }
    }
    out
}

/// `text` with every `every`-th line misread, alternately as windows-1252
/// (`ä¸­æ–‡`) and as GBK (`涓枃`); with `every == 1`, every line misread as
/// windows-1252 (a whole damaged document).
pub fn damaged(text: &str, every: usize) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if i % every != every - 1 {
            out.push_str(line);
            continue;
        }
        let wrong = if every == 1 || (i / every).is_multiple_of(2) {
            encoding_rs::WINDOWS_1252
        } else {
            encoding_rs::GBK
        };
        out.push_str(&wrong.decode_without_bom_handling(line.as_bytes()).0);
    }
    out
}

/// The repair benches' inputs, before sizing: clean Simplified and
/// Traditional prose (nothing to repair), the Simplified prose with one line
/// in 20 damaged, and a whole damaged document.
pub fn repair_inputs() -> Vec<(&'static str, String)> {
    let hans = hans();
    vec![
        ("clean-hans", hans.clone()),
        ("clean-hant", hant()),
        ("one-line-in-20", damaged(&hans, 20)),
        ("damaged-doc", damaged(&hans, 1)),
    ]
}
