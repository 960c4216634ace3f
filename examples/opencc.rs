//! Converts standard input with an OpenCC config, like the `opencc` tool.
//!
//! ```text
//! cargo run --release --example opencc -- s2twp < input.txt > output.txt
//! cargo run --release --example opencc -- s2twp --timing < input.txt > /dev/null
//! ```
//!
//! With `--timing`, prints to standard error how long the first conversion of
//! a short text took, measured from the start of `main` (so it includes
//! loading the config's tables), and the throughput on the input (best of five runs).

use std::io::{Read, Write};
use std::time::Instant;

use zhclean::convert::{Config, Converter};

fn main() {
    let start = Instant::now();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(name) = args.first() else {
        eprintln!("usage: opencc CONFIG [--timing] < input > output");
        std::process::exit(2);
    };
    let config = match Config::from_name(name) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let timing = args.iter().any(|a| a == "--timing");
    let converter = Converter::new(config);
    let first = converter.convert("汉字轉換 first call");
    let first_call = start.elapsed();
    std::hint::black_box(first);

    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("reading standard input: {e}");
        std::process::exit(1);
    }
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    // With --timing, the best of five runs (robust on a busy machine).
    let mut elapsed = std::time::Duration::MAX;
    for _ in 0..if timing { 5 } else { 1 } {
        out.clear();
        let t = Instant::now();
        converter.convert_into(&input, &mut out);
        elapsed = elapsed.min(t.elapsed());
    }
    if timing {
        eprintln!(
            "{}: first conversion {:.2} ms after start of main; {} bytes in {:.1} ms = {:.1} MB/s",
            config,
            first_call.as_secs_f64() * 1e3,
            input.len(),
            elapsed.as_secs_f64() * 1e3,
            input.len() as f64 / elapsed.as_secs_f64() / 1e6
        );
    }
    if let Err(e) = std::io::stdout().write_all(out.as_bytes()) {
        eprintln!("writing standard output: {e}");
        std::process::exit(1);
    }
}
