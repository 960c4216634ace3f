//! decode: valid UTF-8 (the zero-copy path) and legacy encodings (detection
//! and decoding), at three sizes.
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use zhclean::decode::decode;

#[path = "common/mod.rs"]
mod inputs;

fn encode(label: &str, text: &str) -> Vec<u8> {
    let enc = encoding_rs::Encoding::for_label(label.as_bytes()).expect("a known label");
    enc.encode(text).0.into_owned()
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("decode");
    let hans = inputs::hans();
    let hant = inputs::hant();
    for size in inputs::SIZES {
        let utf8 = inputs::sized(&hans, size).into_bytes();
        let gbk = encode("gbk", &inputs::sized(&hans, size));
        let big5 = encode("big5", &inputs::sized(&hant, size));
        for (name, bytes) in [("utf8", utf8), ("gbk", gbk), ("big5", big5)] {
            g.throughput(Throughput::Bytes(bytes.len() as u64));
            g.bench_with_input(BenchmarkId::new(name, size), &bytes, |b, s| {
                b.iter(|| decode(s).text.len())
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
