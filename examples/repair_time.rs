//! Times the repair of a file's lines (dev aid): `repair_time FILE [REPEAT]`.
//! Prints MB/s of wall-clock time and, on Linux, MB per CPU-second of the
//! process (less disturbed by other processes on a busy machine).
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let text = std::fs::read_to_string(&args[1]).expect("readable file");
    let repeat: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10);
    let r = zhclean::repair::Repairer::new(zhclean::repair::RepairConfig::default()).unwrap();
    let _ = r.repair(&text); // builds the tables
    let cpu = cpu_seconds();
    let t = std::time::Instant::now();
    let mut n = 0;
    for _ in 0..repeat {
        n += r.repair(&text).len();
    }
    let secs = t.elapsed().as_secs_f64();
    let mb = (text.len() * repeat) as f64 / 1e6;
    let per_cpu = match (cpu, cpu_seconds()) {
        (Some(a), Some(b)) if b > a => format!(", {:.1} MB per CPU-second", mb / (b - a)),
        _ => String::new(),
    };
    println!(
        "{} bytes x {repeat}: {:.1} MB/s{per_cpu} ({n})",
        text.len(),
        mb / secs
    );
}

/// User + system CPU time of this process, from `/proc/self/stat` (Linux).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces): state is
    // field 3, utime 14, stime 15, in clock ticks (100 per second on Linux).
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}
