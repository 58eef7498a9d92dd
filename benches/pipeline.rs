//! Criterion benchmarks of the three stages on the bundled sample articles
//! (`data/`, compiled in as `gainsay::sample`): segmentation, extraction,
//! matching every pair of the samples' claims, and blocked matching of 2,000
//! claims generated from them. Throughput is in bytes of article text
//! (segmentation, extraction), of claim content (matching) and in claims
//! (generated).
//!
//! `cargo bench --bench pipeline`; `gainsay bench CORPUS.jsonl` measures a
//! real corpus.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use gainsay::blocking::{match_blocked, BlockIndex, FrameStore};
use gainsay::extract::Extractor;
use gainsay::matcher::{Frame, Matcher, MIN_SCORE};
use gainsay::model::ClaimRecord;
use gainsay::rules::Rules;
use gainsay::text::Segmented;
use std::hint::black_box;

fn stages(c: &mut Criterion) {
    let rules = Rules::builtin().expect("built-in rules");
    let docs = gainsay::sample::documents();
    let text_bytes: u64 = docs.iter().map(|d| d.text.len() as u64).sum();

    let mut g = c.benchmark_group("samples");
    g.throughput(Throughput::Bytes(text_bytes));
    g.bench_function("segmentation", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| Segmented::new(black_box(&d.text), &rules).sentences.len())
                .sum::<usize>()
        })
    });
    let extractor = Extractor::new(&rules);
    g.bench_function("extraction", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| extractor.extract(black_box(d)).len())
                .sum::<usize>()
        })
    });
    g.finish();

    let claims: Vec<ClaimRecord> = docs.iter().flat_map(|d| extractor.extract(d)).collect();
    let matcher = Matcher::new(&rules);
    let content_bytes: u64 = claims.iter().map(|c| c.content.text.len() as u64).sum();
    let mut g = c.benchmark_group("matching");
    g.throughput(Throughput::Bytes(content_bytes));
    g.bench_function("frames", |b| {
        b.iter(|| {
            claims
                .iter()
                .map(|c| matcher.frame(black_box(c)).events.len())
                .sum::<usize>()
        })
    });
    let frames: Vec<Frame> = claims.iter().map(|c| matcher.frame(c)).collect();
    g.bench_function("all_pairs", |b| {
        b.iter(|| {
            let mut found = 0usize;
            for i in 0..claims.len() {
                for j in 0..i {
                    if matcher
                        .pair(&claims[j], &frames[j], &claims[i], &frames[i])
                        .is_some_and(|p| p.score >= MIN_SCORE)
                    {
                        found += 1;
                    }
                }
            }
            found
        })
    });
    g.finish();

    let generated = gainsay::generate::generate(&rules, &claims, 2000, 6);
    let mut g = c.benchmark_group("generated");
    g.throughput(Throughput::Elements(generated.len() as u64));
    g.bench_function("blocked_2000", |b| {
        b.iter(|| {
            let frames = FrameStore::build(&matcher, &generated[..]);
            let index = BlockIndex::build(&frames);
            match_blocked(&matcher, &generated[..], &frames, &index, false).found
        })
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
