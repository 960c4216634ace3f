//! Where a `Cleaner` spends its time on a JSONL file's `text` fields (dev
//! aid for the wheel's benchmark): the records are read into memory first,
//! then each pass runs over all of them on one thread.
//!
//! ```sh
//! cargo build --release --example batch_profile
//! target/release/examples/batch_profile FILE.jsonl [PASS] [REPEAT] [STAGES]
//! ```
//!
//! `PASS` is one of `all` (the default: every pass below, best of `REPEAT`
//! rounds), or one pass alone, run once (for `valgrind --tool=callgrind`):
//! `repair` (the repair stage alone), `convert` (s2t alone, on the repaired
//! texts) or `clean` (the whole cleaner). The set-up repairs every text
//! once too, so under callgrind count only the pass, e.g.
//! `valgrind --tool=callgrind --toggle-collect='*Cleaner::run*' … clean`.
//! `STAGES` is a comma-separated stage list (default `repair`); the cleaner
//! always adds s2t conversion.

use std::borrow::Cow;
use std::time::Instant;

use zhclean::convert::{Config, Converter};
use zhclean::repair::{RepairConfig, Repairer};
use zhclean::Cleaner;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .get(1)
        .ok_or("usage: batch_profile FILE.jsonl [PASS] [REPEAT] [STAGES]")?;
    let pass = args.get(2).map_or("all", String::as_str);
    let repeat: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(3);
    let stages = args.get(4).map_or("repair", String::as_str);

    let mut texts = Vec::new();
    for line in std::fs::read_to_string(path)?.lines() {
        let record: serde_json::Value = serde_json::from_str(line)?;
        if let Some(t) = record.get("text").and_then(|t| t.as_str()) {
            texts.push(t.to_owned());
        }
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    let s2t = Config::from_name("s2t")?;
    let repairer = Repairer::new(RepairConfig::default())?;
    let converter = Converter::new(s2t);
    let cleaner = Cleaner::builder()
        .stage_names(stages)?
        .convert(s2t)
        .build()?;
    let repaired: Vec<String> = texts
        .iter()
        .map(|t| repairer.repair(t).into_owned())
        .collect();

    // Each pass returns how many texts it changed.
    let passes: [(&str, &dyn Fn() -> usize); 3] = [
        ("repair", &|| {
            texts
                .iter()
                .filter(|t| matches!(repairer.repair(t), Cow::Owned(_)))
                .count()
        }),
        ("convert", &|| {
            repaired
                .iter()
                .filter(|t| matches!(converter.convert(t), Cow::Owned(_)))
                .count()
        }),
        ("clean", &|| {
            texts
                .iter()
                .filter(|t| matches!(cleaner.clean(t), Cow::Owned(_)))
                .count()
        }),
    ];
    println!(
        "{} records, {:.1} MB of text, stages {stages} + s2t",
        texts.len(),
        bytes as f64 / 1e6
    );
    for (name, run) in passes {
        if pass != "all" && pass != name {
            continue;
        }
        let rounds = if pass == "all" { repeat.max(1) } else { 1 };
        let mut best = f64::INFINITY;
        let mut changed = 0;
        for _ in 0..rounds {
            let t = Instant::now();
            changed = run();
            best = best.min(t.elapsed().as_secs_f64());
        }
        println!(
            "{name:>12}: {:7.1} MB/s ({:.3} s, best of {rounds}; {changed} of {} texts changed)",
            bytes as f64 / 1e6 / best,
            best,
            texts.len()
        );
    }
    Ok(())
}
