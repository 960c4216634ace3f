//! Throughput of the boilerplate stage: the dev pages concatenated (when the
//! eval data is present) and a synthetic corpus at three sizes.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use zhclean::boilerplate::Stripper;

/// A synthetic page: menu, breadcrumb, title, dateline, prose, share bar,
/// related list, footer. Deterministic.
fn synthetic_page(seed: usize) -> String {
    let mut s = String::new();
    for item in [
        "首页", "新闻", "体育", "娱乐", "财经", "科技", "汽车", "房产",
    ] {
        s.push_str(item);
        s.push('\n');
    }
    s.push_str("您的位置：首页 > 新闻 > 正文\n");
    s.push_str(&format!("第{seed}号文章的标题：营商环境再升级\n"));
    s.push_str("2022-01-28 14:56 来源：新华网\n");
    let sentences = [
        "春节后首个工作日，全市召开深化作风建设优化营商环境推进会，部署全年重点工作。",
        "会议强调，要进一步优化营商环境，推动惠企政策真正落地落实，为企业解难点、止痛点。",
        "与会代表表示，将以实际行动迎接新的一年，奋力推动高质量发展再上新台阶。",
        "据介绍，今年全市将新建改建中小学校二十所，新增学位两万个，缓解入学压力",
    ];
    for p in 0..12 {
        for k in 0..3 {
            s.push_str(sentences[(seed + p + k) % sentences.len()]);
        }
        s.push('\n');
    }
    s.push_str("分享到 微信 微博 QQ空间\n相关阅读\n");
    for k in 0..6 {
        s.push_str(&format!("·相关新闻标题第{k}条 (2022-01-2{k} 10:00)\n"));
    }
    s.push_str("Copyright © 2022 Example Inc. All Rights Reserved\n粤ICP备12345678号\n");
    s
}

fn synthetic_corpus(bytes: usize) -> Vec<String> {
    let mut pages = Vec::new();
    let mut total = 0;
    let mut seed = 0;
    while total < bytes {
        let p = synthetic_page(seed);
        total += p.len();
        pages.push(p);
        seed += 1;
    }
    pages
}

fn dev_pages() -> Option<Vec<String>> {
    let dir = std::env::var_os("ZHCLEAN_EVAL_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/eval"));
    let text = std::fs::read_to_string(dir.join("boilerplate/dev.jsonl")).ok()?;
    // Extract the "input" field without a JSON dependency in benches: the
    // dev file is one object per line; use a tiny unescaper.
    let mut pages = Vec::new();
    for line in text.lines() {
        let start = line.find("\"input\": \"")? + "\"input\": \"".len();
        let mut out = String::new();
        let mut chars = line[start..].chars();
        while let Some(c) = chars.next() {
            match c {
                '"' => break,
                '\\' => match chars.next()? {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    'u' => {
                        let hex: String = chars.by_ref().take(4).collect();
                        let cp = u32::from_str_radix(&hex, 16).ok()?;
                        out.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
                    }
                    other => out.push(other),
                },
                c => out.push(c),
            }
        }
        pages.push(out);
    }
    Some(pages)
}

fn bench(c: &mut Criterion) {
    let stripper = Stripper::default();
    let mut group = c.benchmark_group("boilerplate");
    if let Some(pages) = dev_pages() {
        let bytes: usize = pages.iter().map(String::len).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function("dev-pages", |b| {
            b.iter(|| {
                for p in &pages {
                    black_box(stripper.strip(black_box(p)));
                }
            })
        });
    } else {
        eprintln!("boilerplate bench: dev data not found, skipping dev-pages");
    }
    for size in [64 << 10, 1 << 20, 8 << 20] {
        let pages = synthetic_corpus(size);
        let bytes: usize = pages.iter().map(String::len).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_with_input(BenchmarkId::new("synthetic", size), &pages, |b, pages| {
            b.iter(|| {
                for p in pages {
                    black_box(stripper.strip(black_box(p)));
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
