//! zhclean's conversion next to other converters, MB/s of input, single
//! thread, on the eval corpus samples repeated 12 times (~12 MB).
//!
//! `cargo bench -p bench-peers` (add `--features opencc-rust` with
//! libopencc-dev installed). Also prints how far each peer's output is from
//! OpenCC 1.4.2 (zhclean's, which is exact): the share of differing lines.

use std::hint::black_box;
use std::path::PathBuf;

use bench_peers::peers;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use zhclean::convert::{Config, Converter};

fn sample(name: &str) -> Option<String> {
    let dir = std::env::var_os("ZHCLEAN_EVAL_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/eval"));
    std::fs::read_to_string(dir.join("corpus").join(name)).ok()
}

fn bench(c: &mut Criterion) {
    let (Some(hans), Some(hant)) = (sample("zh_hans.sample.txt"), sample("zh_hant.sample.txt"))
    else {
        eprintln!("eval corpus not found; set ZHCLEAN_EVAL_DIR");
        return;
    };
    for config in [
        Config::S2t,
        Config::T2s,
        Config::S2twp,
        Config::S2tw,
        Config::Tw2sp,
    ] {
        let sample = if config.name().starts_with('s') {
            &hans
        } else {
            &hant
        };
        let exact = Converter::new(config).convert(sample).into_owned();
        let input = sample.repeat(12);
        let mut group = c.benchmark_group(format!("peers-{config}"));
        group.sample_size(10);
        group.throughput(Throughput::Bytes(input.len() as u64));
        for peer in peers(config) {
            let out = peer.convert(sample);
            let (mut lines, mut differ) = (0, 0);
            for (a, b) in out.lines().zip(exact.lines()) {
                lines += 1;
                differ += usize::from(a != b);
            }
            eprintln!(
                "{config} {}: {differ} of {lines} lines differ from OpenCC 1.4.2",
                peer.name()
            );
            group.bench_with_input(
                BenchmarkId::from_parameter(peer.name()),
                &input,
                |b, input| b.iter(|| black_box(peer.convert(black_box(input))).len()),
            );
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
