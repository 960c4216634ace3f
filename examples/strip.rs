//! Strips one page read from stdin and writes the result to stdout.
//!
//! `cargo run --release --example strip [--strict] [--report] < page.txt`
use std::io::{Read, Write};

use zhclean::boilerplate::{StripConfig, Stripper};
use zhclean::Report;

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = if args.iter().any(|a| a == "--strict") {
        StripConfig::strict()
    } else {
        StripConfig::default()
    };
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input)?;
    let stripper = Stripper::new(config);
    let mut report = Report::new();
    let out = stripper.strip_with_report(&input, &mut report);
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(out.as_bytes())?;
    if args.iter().any(|a| a == "--report") {
        for c in &report.changes {
            eprintln!(
                "{}\t{}\t{}\t{}",
                c.line.unwrap_or(0),
                c.rule,
                c.detail.as_deref().unwrap_or(""),
                c.before.trim_end()
            );
        }
        for f in &report.flags {
            eprintln!("flag\t{}", f.kind);
        }
    }
    Ok(())
}
