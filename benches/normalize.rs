//! normalize: clean text (the quick scan alone) and dirty text (the rewrite),
//! at three sizes.
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use zhclean::normalize::Normalizer;

#[path = "common/mod.rs"]
mod inputs;

fn bench(c: &mut Criterion) {
    let n = Normalizer::default();
    let mut g = c.benchmark_group("normalize");
    for (name, text) in [
        ("clean-hans", inputs::clean(&inputs::hans())),
        ("clean-hant", inputs::clean(&inputs::hant())),
        ("raw-hans", inputs::hans()),
        ("dirty-hans", inputs::dirty_hans()),
    ] {
        for size in inputs::SIZES {
            let input = inputs::sized(&text, size);
            g.throughput(Throughput::Bytes(input.len() as u64));
            g.bench_with_input(BenchmarkId::new(name, size), &input, |b, s| {
                b.iter(|| n.normalize(s).len())
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
