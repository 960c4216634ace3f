//! zhclean against zhconv (or every peer), interleaved: each round converts
//! the input once with every converter in turn, so that load from other
//! processes falls on all of them alike; prints the best and the median of
//! the rounds in MB/s and zhclean's ratio to each peer.
//!
//! ```text
//! cargo run --release -p bench-peers --example ratio -- [ROUNDS] [--all] [CONFIG...]
//! ```
//!
//! Input: the eval corpus samples repeated 12 times (~12 MB; Simplified for
//! configs from Simplified), as in `benches/peers.rs`. Without `--all` only
//! zhclean and zhconv run.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use bench_peers::peers;
use zhclean::convert::Config;

fn sample(name: &str) -> String {
    let dir = std::env::var_os("ZHCLEAN_EVAL_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/eval"));
    let path = dir.join("corpus").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("{}: {e} (set ZHCLEAN_EVAL_DIR)", path.display());
        std::process::exit(2)
    })
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rounds: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(15);
    let all = args.iter().any(|a| a == "--all");
    let mut configs: Vec<Config> = args
        .iter()
        .filter_map(|a| Config::from_name(a).ok())
        .collect();
    if configs.is_empty() {
        configs = vec![Config::S2t, Config::T2s, Config::S2twp, Config::Tw2sp];
    }
    let hans = sample("zh_hans.sample.txt").repeat(12);
    let hant = sample("zh_hant.sample.txt").repeat(12);
    println!("{rounds} interleaved rounds, MB/s (10^6 bytes/s): best / median");
    for config in configs {
        let input = if config.name().starts_with('s') {
            &hans
        } else {
            &hant
        };
        let peers: Vec<_> = peers(config)
            .into_iter()
            .filter(|p| all || matches!(p.name(), "zhclean" | "zhconv"))
            .collect();
        let mut times = vec![Vec::with_capacity(rounds); peers.len()];
        for _ in 0..rounds {
            for (peer, t) in peers.iter().zip(&mut times) {
                let start = Instant::now();
                black_box(peer.convert(black_box(input)).len());
                t.push(start.elapsed().as_secs_f64());
            }
        }
        let mb = input.len() as f64 / 1e6;
        let stats: Vec<(f64, f64)> = times
            .iter_mut()
            .map(|t| {
                t.sort_by(f64::total_cmp);
                (mb / t[0], mb / t[t.len() / 2])
            })
            .collect();
        for (peer, &(best, median)) in peers.iter().zip(&stats) {
            let (zb, zm) = stats[0];
            println!(
                "{config:6} {:15} {best:7.1} / {median:7.1}   zhclean ratio {:.2} / {:.2}",
                peer.name(),
                zb / best,
                zm / median
            );
        }
    }
}
