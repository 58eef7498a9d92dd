//! `gainsay bench CORPUS.jsonl`: throughput of every stage on a corpus, and
//! matching at scale on generated claims (`--generate 10000,100000`).
//!
//! Results go to stdout, one stage a line as it finishes; a progress bar
//! goes to stderr when it is a terminal.

use super::{Context, Outcome};
use crate::bench::{self, Pass};
use crate::blocking::DEFAULT_COMMON;
use crate::matcher::Matcher;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// A JSON Lines corpus (`{"id", "text", …}` per line).
    pub corpus: PathBuf,
    /// Threads of the parallel passes (default: one per core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Documents per chunk of the ingest (one transaction, as `gainsay ingest`).
    #[arg(long, default_value_t = crate::ingest::CHUNK_DOCUMENTS)]
    pub batch: usize,
    /// Skip the end-to-end ingest into SQLite.
    #[arg(long)]
    pub no_ingest: bool,
    /// Also match generated claim sets of these sizes (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub generate: Vec<usize>,
    /// Compare with brute force all-pairs at this generated size.
    #[arg(long, default_value_t = 10_000)]
    pub brute_force: usize,
    /// Posting lists longer than this are used only in conjunctions.
    #[arg(long, default_value_t = DEFAULT_COMMON)]
    pub common: usize,
    /// Seed of the generator.
    #[arg(long, default_value_t = 6)]
    pub seed: u64,
}

fn mib(bytes: Option<u64>) -> String {
    bytes.map_or("n/a".into(), |b| format!("{:.0} MiB", b as f64 / 1048576.0))
}

fn throughput(p: &Pass) -> String {
    format!(
        "{:>8.2} MB/s {:>9.1} docs/s  ({} docs, {:.1} MB in {:.2} s)",
        p.mb_per_s(),
        p.docs_per_s(),
        p.docs,
        p.bytes as f64 / 1e6,
        p.seconds
    )
}

pub fn run(ctx: &Context, args: BenchArgs) -> anyhow::Result<Outcome> {
    let rules = ctx.rules()?;
    let matcher = Matcher::new(&rules);
    let one = bench::pool(1)?;
    let all = bench::pool(args.threads)?;
    let n = all.current_num_threads();
    let mut out = std::io::stdout().lock();
    let path = &args.corpus;
    writeln!(out, "corpus    {}", path.display())?;

    let read = bench::read_pass(path)?;
    writeln!(out, "read+parse  1 thread  {}", throughput(&read))?;
    let seg1 = bench::segment_pass(path, &rules, &one)?;
    writeln!(out, "segment     1 thread  {}", throughput(&seg1))?;
    let segn = bench::segment_pass(path, &rules, &all)?;
    writeln!(out, "segment   {n:>2} threads {}", throughput(&segn))?;

    let mut claims = Vec::new();
    let (ex1, busiest) = bench::extract_pass(path, &rules, &one, Some(&mut claims))?;
    writeln!(
        out,
        "extract     1 thread  {}  {} claims, {:.0} claims/s",
        throughput(&ex1),
        ex1.claims,
        ex1.claims_per_s()
    )?;
    let (exn, _) = bench::extract_pass(path, &rules, &all, None)?;
    let same = ex1.digest == exn.digest;
    writeln!(
        out,
        "extract   {n:>2} threads {}  speed-up {:.2}x; claims {} (sha256 {})",
        throughput(&exn),
        ex1.seconds / exn.seconds,
        if same {
            "identical, same order"
        } else {
            "DIFFER"
        },
        exn.digest.map_or(String::new(), |d| hex(&d[..8]))
    )?;
    writeln!(
        out,
        "            extraction on 1 thread runs at {:.4}x the read+parse baseline",
        ex1.mb_per_s() / read.mb_per_s()
    )?;

    if !args.no_ingest {
        let (ing, pairs) = bench::ingest_pass(path, &rules, &all, args.batch)?;
        writeln!(
            out,
            "ingest    {n:>2} threads {}  {} claims, {:.0} claims/s, {} pairs (end to end into SQLite as `gainsay ingest`, chunks of {} docs)",
            throughput(&ing),
            ing.claims,
            ing.claims_per_s(),
            pairs,
            args.batch
        )?;
    }

    let (m, _, _, _) = bench::match_pass(&matcher, &claims, &all, args.common);
    writeln!(
        out,
        "match     {n:>2} threads {} claims: frames {:.2} s, blocking+pairing {:.2} s; {} pairs considered ({:.0}/s), {} pairs ≥ 0.5",
        m.claims, m.frame_seconds, m.match_seconds, m.considered, m.considered_per_s(), m.pairs
    )?;
    writeln!(out, "peak memory (VmHWM) {}", mib(bench::peak_memory()))?;
    out.flush()?;

    let mut sizes = args.generate.clone();
    sizes.sort_unstable();
    for size in sizes {
        bench::reset_peak_memory();
        let t = Instant::now();
        let generated = crate::generate::generate(&claims, size, args.seed);
        let gen_s = t.elapsed().as_secs_f64();
        let (m, outcome, frames, index) =
            bench::match_pass(&matcher, &generated, &all, args.common);
        let peak = bench::peak_memory();
        writeln!(
            out,
            "generated {size:>8}: made in {gen_s:.2} s; matched in {:.2} s (frames {:.2} s, blocking+pairing {:.2} s) on {n} threads; {} considered ({:.0}/s), {} pairs ≥ 0.5, {} index entries; peak memory {}",
            m.total_seconds(), m.frame_seconds, m.match_seconds, m.considered, m.considered_per_s(), m.pairs, m.index_entries, mib(peak)
        )?;
        if let Some(doc) = &busiest {
            let a = bench::new_article(&rules, &index, &generated, &frames, doc);
            writeln!(
                out,
                "          one new article ({}, {} claims) against {size} claims: {:.1} ms, {} considered, {} pairs",
                doc.key,
                a.claims,
                a.seconds * 1e3,
                a.considered,
                a.pairs
            )?;
        }
        if size == args.brute_force {
            let b = bench::brute_check(&matcher, &generated, &frames, &outcome.pairs, &all);
            let verdict = if b.lost.is_empty() && b.extra.is_empty() {
                "IDENTICAL to blocking".to_string()
            } else {
                format!(
                    "DIFFERS: {} lost by blocking, {} extra",
                    b.lost.len(),
                    b.extra.len()
                )
            };
            writeln!(
                out,
                "          brute force all-pairs: {:.2} s ({:.1}x blocking+pairing), {} considered ({:.1}x), {} pairs ≥ 0.5: {verdict}",
                b.seconds,
                b.seconds / m.match_seconds,
                b.considered,
                b.considered as f64 / m.considered.max(1) as f64,
                b.pairs
            )?;
            for p in b.lost.iter().take(5) {
                writeln!(
                    out,
                    "          lost: c{} c{} {:?} {:.3}",
                    p.a, p.b, p.kind, p.score
                )?;
            }
        }
        out.flush()?;
    }
    Ok(Outcome::Done)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
