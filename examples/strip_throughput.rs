//! Strips every page of a file of pages (separated by form feeds, `\x0c`)
//! several times and prints the throughput: a quick single-thread check
//! outside criterion.
//!
//! `cargo run --release --example strip_throughput -- pages.txt [rounds]`
use std::time::Instant;

use zhclean::boilerplate::Stripper;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: strip_throughput PAGES_FILE [ROUNDS]");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(path).expect("readable UTF-8 file");
    let rounds: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(10);
    let pages: Vec<&str> = text.split('\x0c').collect();
    let stripper = Stripper::default();
    let start = Instant::now();
    let mut out_bytes = 0;
    for _ in 0..rounds {
        for p in &pages {
            out_bytes += stripper.strip(p).len();
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let mb = (text.len() * rounds) as f64 / 1e6;
    println!(
        "{} pages, {:.1} MB in {:.3} s: {:.0} MB/s (kept {:.1}%)",
        pages.len(),
        mb,
        secs,
        mb / secs,
        100.0 * out_bytes as f64 / (text.len() * rounds) as f64
    );
}
