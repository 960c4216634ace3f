//! Throughput of the whole `Cleaner` (default stages plus s2t) on web-like
//! damaged text, at three sizes, with no report, a full report and a
//! counting report (`Report::counting`, what `zhclean jsonl` uses).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use zhclean::convert::Config;
use zhclean::{Cleaner, Report};

mod common;

fn bench(c: &mut Criterion) {
    let cleaner = Cleaner::builder()
        .convert(Config::from_name("s2t").expect("s2t is a config"))
        .build()
        .expect("the default stages build");
    // Normalization damage, and one line in 20 misread as windows-1252 or GBK.
    let input = common::damaged(&common::dirty_hans(), 20);
    let mut group = c.benchmark_group("clean-s2t");
    for size in common::SIZES {
        let text = common::sized(&input, size);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::new("no-report", size), &text, |b, t| {
            b.iter(|| black_box(cleaner.clean(t)).len())
        });
        group.bench_with_input(BenchmarkId::new("full-report", size), &text, |b, t| {
            b.iter(|| black_box(cleaner.clean_with_report(t)).0.len())
        });
        group.bench_with_input(BenchmarkId::new("counting-report", size), &text, |b, t| {
            let mut report = Report::counting();
            b.iter(|| {
                report.clear();
                black_box(cleaner.clean_reporting(t, &mut report)).len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
