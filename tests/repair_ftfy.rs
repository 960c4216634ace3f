//! The repair stage on ftfy's own test cases
//! (`../shared/eval/mojibake/ftfy-cases/`, Latin, Greek and Cyrillic
//! mojibake from the wild, synthetic cases and negatives; see the README
//! there).
//!
//! A case passes when the repair gives what ftfy's `fix_encoding` is expected
//! to give (`fixed-encoding`, else `fixed`), as ftfy's own test asserts.
//! ftfy 6.3.1 passes every case outside `known-failures.json`. The test
//! prints the count per file and asserts floors at the counts this stage
//! reached, so that a change cannot lose cases unnoticed.
//! `cargo test --release --test repair_ftfy -- --nocapture` lists the cases
//! that fail.

mod common;

use zhclean::repair::{RepairConfig, Repairer};

/// Files, with the least number of cases that must pass.
const FLOORS: [(&str, usize); 5] = [
    ("in-the-wild", 70),
    ("synthetic", 30),
    ("language-names", 20),
    ("negative", 31),
    ("known-failures", 3),
];

#[test]
fn ftfy_cases_pass_counts() {
    let Some(dir) = common::eval_dir("mojibake/ftfy-cases/in-the-wild.json") else {
        return;
    };
    let r = Repairer::new(RepairConfig::default()).unwrap();
    let mut short = Vec::new();
    for (file, floor) in FLOORS {
        let path = dir.join(format!("mojibake/ftfy-cases/{file}.json"));
        let text = std::fs::read_to_string(&path).unwrap();
        let cases: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
        let mut pass = 0;
        for c in &cases {
            let original = c["original"].as_str().unwrap();
            let expected = c
                .get("fixed-encoding")
                .unwrap_or(&c["fixed"])
                .as_str()
                .unwrap();
            let out = r.repair(original);
            if out == expected {
                pass += 1;
            } else {
                eprintln!(
                    "  fail {file}: {}\n    in:  {original:?}\n    out: {out:?}\n    exp: {expected:?}",
                    c["label"]
                );
            }
        }
        eprintln!("{file}: {pass}/{}", cases.len());
        if pass < floor {
            short.push(format!("{file}: {pass} < {floor}"));
        }
    }
    assert!(short.is_empty(), "below the floors: {short:?}");
}
