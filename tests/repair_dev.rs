//! The repair stage on the mojibake development set
//! (`../shared/eval/mojibake/dev.jsonl`, or `$ZHCLEAN_EVAL_DIR/mojibake`).
//!
//! Scores each kind as `score.py` does and asserts that no negative case is
//! changed and that the macro score stays at the level reached. Skipped when
//! the set is absent, unless `ZHCLEAN_REQUIRE_EVAL` is set.

mod common;

use std::collections::BTreeMap;

use zhclean::repair::{RepairConfig, Repairer};
use zhclean::{Report, Stage};

/// The macro score this stage reached on the set (0.9859); the floor leaves
/// a little room for harmless changes of tie-breaking.
const MACRO_FLOOR: f64 = 0.98;

fn eval_dir() -> Option<std::path::PathBuf> {
    common::eval_dir("mojibake/dev.jsonl")
}

#[test]
fn dev_set_scores_and_no_false_change() {
    let Some(dir) = eval_dir() else { return };
    let text = std::fs::read_to_string(dir.join("mojibake/dev.jsonl")).unwrap();
    let r = Repairer::new(RepairConfig::default()).unwrap();
    let mut per: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut changed_negatives = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let c: serde_json::Value = serde_json::from_str(line).unwrap();
        let kind = c["kind"].as_str().unwrap().to_string();
        let damaged = c["damaged"].as_str().unwrap();
        let expected = c["expected"].as_str().unwrap();
        let mut report = Report::new();
        let out = r.repair_with_report(damaged, &mut report);
        // The report replays to the output.
        assert_eq!(
            report.replay(Stage::Repair, damaged).as_deref(),
            Some(out.as_ref()),
            "replay of {}",
            c["id"]
        );
        let flag_only = kind == "legacy-as-utf8-replace" || kind == "replacement-kunjinkao";
        let ok = if kind.starts_with("negative-") || flag_only {
            out == damaged
        } else {
            out == expected
                || (c["repairable"] == false && c["partial"].as_str() == Some(out.as_ref()))
        };
        if flag_only {
            assert!(!report.flags.is_empty(), "no damage flag for {}", c["id"]);
        }
        if kind.starts_with("negative-") && !ok {
            changed_negatives.push(c["id"].to_string());
        }
        let e = per.entry(kind).or_default();
        e.0 += usize::from(ok);
        e.1 += 1;
    }
    let damaged: Vec<f64> = per
        .iter()
        .filter(|(k, _)| !k.starts_with("negative-"))
        .map(|(_, &(ok, n))| ok as f64 / n as f64)
        .collect();
    let macro_score = damaged.iter().sum::<f64>() / damaged.len() as f64;
    for (k, (ok, n)) in &per {
        eprintln!(
            "{k:32} {n:5} {ok:5} {:6.1}%",
            100.0 * *ok as f64 / *n as f64
        );
    }
    eprintln!("macro={macro_score:.4}");
    assert!(
        changed_negatives.is_empty(),
        "false changes: {changed_negatives:?}"
    );
    assert!(
        macro_score >= MACRO_FLOOR,
        "macro {macro_score:.4} < {MACRO_FLOOR}"
    );
}

#[test]
fn clean_corpus_samples_are_unchanged() {
    let Some(dir) = eval_dir() else { return };
    let r = Repairer::new(RepairConfig::default()).unwrap();
    for name in ["zh_hans", "zh_hant"] {
        let path = dir.join(format!("corpus/{name}.sample.txt"));
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let out = r.repair(&text);
        assert!(
            matches!(out, std::borrow::Cow::Borrowed(_)),
            "{name} was changed or copied"
        );
    }
}
