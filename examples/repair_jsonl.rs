//! Dev harness for the repair stage: reads `{"id", "text"}` JSON lines on
//! stdin and writes them back with `text` repaired.
//!
//! ```sh
//! cargo build --release --example repair_jsonl
//! python3 ../shared/eval/mojibake/score.py ../shared/eval/mojibake/dev.jsonl \
//!     --jsonl-cmd target/release/examples/repair_jsonl
//! ```

use std::io::{BufRead, BufWriter, Write};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let repairer = zhclean::repair::Repairer::new(zhclean::repair::RepairConfig::default())?;
    let stdin = std::io::stdin();
    let mut out = BufWriter::new(std::io::stdout().lock());
    for line in stdin.lock().lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let mut v: serde_json::Value = serde_json::from_str(&line)?;
        if let Some(t) = v.get("text").and_then(|t| t.as_str()) {
            let fixed = repairer.repair(t).into_owned();
            v["text"] = serde_json::Value::String(fixed);
        }
        serde_json::to_writer(&mut out, &v)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}
