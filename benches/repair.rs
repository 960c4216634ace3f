//! repair, MB/s of input, at three sizes: clean Chinese prose (the quick
//! scan alone, returned borrowed), one damaged line in 20, and a whole
//! damaged document (see `common::repair_inputs`). The same inputs next to
//! plsfix (ftfy's Rust port): `cargo bench -p bench-peers --bench repair`.
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use zhclean::repair::{RepairConfig, Repairer};

#[path = "common/mod.rs"]
mod inputs;

fn bench(c: &mut Criterion) {
    let r = Repairer::new(RepairConfig::default()).expect("default config");
    let mut g = c.benchmark_group("repair");
    g.sample_size(10);
    for (name, text) in inputs::repair_inputs() {
        for size in inputs::SIZES {
            let input = inputs::sized(&text, size);
            g.throughput(Throughput::Bytes(input.len() as u64));
            g.bench_with_input(BenchmarkId::new(name, size), &input, |b, t| {
                b.iter(|| black_box(r.repair(black_box(t))).len())
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
