//! Times the repair of a file's lines (dev aid): `repair_time FILE [REPEAT]`.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let text = std::fs::read_to_string(&args[1]).expect("readable file");
    let repeat: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10);
    let r = zhclean::repair::Repairer::new(zhclean::repair::RepairConfig::default()).unwrap();
    let _ = r.repair(&text); // builds the tables
    let t = std::time::Instant::now();
    let mut n = 0;
    for _ in 0..repeat {
        n += r.repair(&text).len();
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{} bytes x {repeat}: {:.1} MB/s ({n})",
        text.len(),
        (text.len() * repeat) as f64 / secs / 1e6
    );
}
