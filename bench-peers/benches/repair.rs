//! zhclean's repair next to plsfix 0.1.8 (the Rust port of ftfy), MB/s of
//! input, single thread, in one criterion group: clean Chinese prose, one
//! damaged line in 20, a whole damaged document, each at three sizes (the
//! inputs of zhclean's own `benches/repair.rs`).
//!
//! `cargo bench -p bench-peers --bench repair`. Also prints, per input, how
//! many lines each peer gives back exactly as they were before the damage.

use std::hint::black_box;

use bench_peers::repair_peers;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

#[path = "../../benches/common/mod.rs"]
mod inputs;

fn bench(c: &mut Criterion) {
    let original = inputs::hans();
    let peers = repair_peers();
    let mut g = c.benchmark_group("repair-peers");
    g.sample_size(10);
    for (name, text) in inputs::repair_inputs() {
        let truth = if name == "clean-hant" {
            inputs::hant()
        } else {
            original.clone()
        };
        for peer in &peers {
            let out = peer.repair(&text);
            let (mut lines, mut same) = (0, 0);
            for (a, b) in out.lines().zip(truth.lines()) {
                lines += 1;
                same += usize::from(a == b);
            }
            let borrowed = matches!(out, std::borrow::Cow::Borrowed(_));
            eprintln!(
                "{name} {}: {same} of {lines} lines as before the damage{}",
                peer.name(),
                if borrowed { " (borrowed)" } else { "" }
            );
        }
        for size in inputs::SIZES {
            let input = inputs::sized(&text, size);
            g.throughput(Throughput::Bytes(input.len() as u64));
            for peer in &peers {
                g.bench_with_input(
                    BenchmarkId::new(format!("{}/{name}", peer.name()), size),
                    &input,
                    |b, t| b.iter(|| black_box(peer.repair(black_box(t))).len()),
                );
            }
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
