//! Throughput of the `convert` stage, in MB/s of input.
//!
//! Inputs: the eval corpus samples repeated 12 times (~12 MB; Simplified for
//! configs from Simplified, Traditional for the others), the same at three
//! sizes to show linear cost, and a web-like mix of HTML/ASCII and Chinese.
//! The samples are read from `$ZHCLEAN_EVAL_DIR/corpus` or
//! `../shared/eval/corpus`; without them a small built-in text is repeated.
//!
//! `cargo bench --bench convert`

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use zhclean::convert::{Config, Converter};

const FALLBACK_HANS: &str = "中华人民共和国民法典第一条为了保护民事主体的合法权益，调整民事关系，\
维护社会和经济秩序，适应中国特色社会主义发展要求，弘扬社会主义核心价值观，根据宪法，制定本法。\n";
const FALLBACK_HANT: &str = "中華民國憲法第一條中華民國基於三民主義，為民有民治民享之民主共和國。\
第二條中華民國之主權屬於國民全體。第三條具有中華民國國籍者為中華民國國民。\n";

fn sample(name: &str, fallback: &str) -> String {
    let dir = std::env::var_os("ZHCLEAN_EVAL_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/eval"));
    match std::fs::read_to_string(dir.join("corpus").join(name)) {
        Ok(s) => s,
        Err(_) => {
            eprintln!(
                "{name} not found under {}; using built-in text",
                dir.display()
            );
            fallback.repeat(1_000_000 / fallback.len() + 1)
        }
    }
}

/// Web-like text: each corpus line wrapped in markup, links and ASCII noise.
fn web_mix(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for (i, line) in text.lines().enumerate() {
        out.push_str(&format!(
            "<div class=\"post\" id=\"p{i}\"><a href=\"https://example.com/thread/{i}?page=2&amp;ref=home\">"
        ));
        out.push_str(line);
        out.push_str(
            "</a> <span class=\"meta\">posted 2024-05-01 12:00 | views 1234 | reply</span></div>\n",
        );
    }
    out
}

fn bench(c: &mut Criterion) {
    let hans = sample("zh_hans.sample.txt", FALLBACK_HANS);
    let hant = sample("zh_hant.sample.txt", FALLBACK_HANT);
    let input_for = |config: Config| {
        if config.name().starts_with('s') {
            &hans
        } else {
            &hant
        }
    };

    let mut group = c.benchmark_group("convert-12MB");
    group.sample_size(10);
    for config in [
        Config::S2t,
        Config::T2s,
        Config::S2twp,
        Config::S2tw,
        Config::Tw2sp,
    ] {
        let input = input_for(config).repeat(12);
        let converter = Converter::new(config);
        let mut out = String::with_capacity(input.len() * 2);
        group.throughput(Throughput::Bytes(input.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(config), &input, |b, input| {
            b.iter(|| {
                out.clear();
                converter.convert_into(black_box(input), &mut out);
                black_box(out.len())
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("convert-sizes-s2twp");
    let converter = Converter::new(Config::S2twp);
    for size in [4_000usize, 100_000, 1_000_000] {
        let mut end = size.min(hans.len());
        while !hans.is_char_boundary(end) {
            end -= 1;
        }
        let input = &hans[..end];
        let mut out = String::with_capacity(input.len() * 2);
        group.throughput(Throughput::Bytes(input.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(size), input, |b, input| {
            b.iter(|| {
                out.clear();
                converter.convert_into(black_box(input), &mut out);
                black_box(out.len())
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("convert-web-mix");
    group.sample_size(20);
    for config in [Config::S2t, Config::T2s, Config::S2twp] {
        let input = web_mix(input_for(config));
        let converter = Converter::new(config);
        let mut out = String::with_capacity(input.len() * 2);
        group.throughput(Throughput::Bytes(input.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(config), &input, |b, input| {
            b.iter(|| {
                out.clear();
                converter.convert_into(black_box(input), &mut out);
                black_box(out.len())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
