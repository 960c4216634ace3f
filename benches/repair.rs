//! Throughput of the repair stage (MB/s of input).
//!
//! Inputs, each at three sizes to show linear cost:
//! * `clean-hans` / `clean-hant`: clean Chinese prose (the corpus samples in
//!   `../shared/eval/corpus`, or a built-in paragraph when they are absent),
//! * `one-line-in-20`: the same text with every 20th line misread
//!   (alternately as windows-1252 and as GBK),
//! * `damaged-doc`: every line misread as windows-1252.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;

const FALLBACK: &str = "第一条 为了规范口岸开放，提高口岸通关效率，保障口岸安全畅通，促进对外开放和经济社会发展，根据国家有关法律、行政法规的规定，结合本市实际，制定本条例。\n該小鎮位於布萊克伍德河流入弗林德斯灣的河口旁。古代，奧塞提亞語曾採用希臘字母拼寫。\n";

fn corpus(name: &str) -> String {
    let dir = std::env::var("ZHCLEAN_EVAL_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/eval").to_string());
    std::fs::read_to_string(format!("{dir}/corpus/{name}.sample.txt"))
        .unwrap_or_else(|_| FALLBACK.repeat(4000))
}

/// The first `n` bytes of `s`, cut at a line end.
fn prefix(s: &str, n: usize) -> String {
    let mut out = String::new();
    while out.len() < n {
        for line in s.split_inclusive('\n') {
            out.push_str(line);
            if out.len() >= n {
                break;
            }
        }
    }
    out
}

fn as_cp1252(s: &str) -> String {
    encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(s.as_bytes())
        .0
        .into_owned()
}

fn damage_lines(s: &str, every: usize) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for (i, line) in s.split_inclusive('\n').enumerate() {
        if every == 1 || i % every == every - 1 {
            if (i / every).is_multiple_of(2) || every == 1 {
                out.push_str(&as_cp1252(line));
            } else {
                out.push_str(
                    &encoding_rs::GBK
                        .decode_without_bom_handling(line.as_bytes())
                        .0,
                );
            }
        } else {
            out.push_str(line);
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let r = zhclean::repair::Repairer::new(zhclean::repair::RepairConfig::default()).unwrap();
    let hans = corpus("zh_hans");
    let hant = corpus("zh_hant");
    let sizes = [10_000usize, 100_000, 1_000_000];
    let mut g = c.benchmark_group("repair");
    g.sample_size(10);
    for &n in &sizes {
        let inputs = [
            ("clean-hans", prefix(&hans, n)),
            ("clean-hant", prefix(&hant, n)),
            ("one-line-in-20", damage_lines(&prefix(&hans, n), 20)),
            ("damaged-doc", damage_lines(&prefix(&hans, n / 2), 1)),
        ];
        for (name, text) in inputs {
            g.throughput(Throughput::Bytes(text.len() as u64));
            g.bench_with_input(BenchmarkId::new(name, n), &text, |b, t| {
                b.iter(|| black_box(r.repair(black_box(t))).len())
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
