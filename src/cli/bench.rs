//! `gainsay bench CORPUS.jsonl`: throughput of every stage on a corpus, and
//! matching at scale on generated claims (`--generate 10000,100000`).
//!
//! Results go to stdout, one stage a line as it finishes; a progress bar
//! goes to stderr when it is a terminal.

use super::{Context, Outcome};
use crate::bench::{self, Pass};
use crate::matcher::Matcher;
use crate::model::to_hex;
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
    /// At the brute-force size, also pair every claim with every other
    /// straight through the matcher, without compact frames or cheap checks
    /// (slow: the check that those lose nothing either).
    #[arg(long)]
    pub exhaustive: bool,
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

    let read = bench::read_pass(path, &all)?;
    writeln!(out, "read+parse{n:>2} threads {}", throughput(&read))?;
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
        exn.digest.map_or(String::new(), |d| to_hex(&d[..8]))
    )?;
    writeln!(
        out,
        "            extraction on 1 thread runs at {:.4}x the read+parse baseline",
        ex1.mb_per_s() / read.mb_per_s()
    )?;

    if !args.no_ingest {
        let (ing, pairs) = bench::ingest_pass(path, &rules, &all, args.batch)?;
        // MB/s above are of document text; the file also holds the JSON
        // around it (ids, titles, escapes).
        let file_mb = std::fs::metadata(path).map_or(0.0, |m| m.len() as f64 / 1e6);
        writeln!(
            out,
            "ingest    {n:>2} threads {}  {:.2} MB/s of the file ({:.1} MB); {} claims, {:.0} claims/s, {} pairs (end to end into SQLite as `gainsay ingest`, chunks of {} docs)",
            throughput(&ing),
            file_mb / ing.seconds,
            file_mb,
            ing.claims,
            ing.claims_per_s(),
            pairs,
            args.batch
        )?;
        // The machine's speed drifts (by some 30% here): ratios to passes
        // run minutes apart in the same process compare across runs.
        writeln!(
            out,
            "            ingest runs at {:.4}x the read+parse baseline, {:.3}x extraction on 1 thread",
            ing.mb_per_s() / read.mb_per_s(),
            ing.mb_per_s() / ex1.mb_per_s()
        )?;
    }

    let (m, found, _, _) = bench::match_pass(&matcher, &claims[..], &all, false);
    writeln!(
        out,
        "match     {n:>2} threads {} claims: frames {:.2} s, index {:.2} s, pairing {:.2} s; {} pairs considered, {} scored, {} pairs",
        m.claims, m.frame_seconds, m.index_seconds, m.pair_seconds, found.considered, found.scored, found.found
    )?;
    writeln!(out, "peak memory (VmHWM) {}", mib(bench::peak_memory()))?;
    out.flush()?;

    let mut sizes = args.generate.clone();
    sizes.sort_unstable();
    for size in sizes {
        bench::reset_peak_memory();
        let t = Instant::now();
        let generated = crate::generate::Generator::new(&rules, &claims, size, args.seed);
        let plan_s = t.elapsed().as_secs_f64();
        let brute = size == args.brute_force;
        let (m, outcome, mut frames, index) = bench::match_pass(&matcher, &generated, &all, brute);
        let peak = bench::peak_memory();
        writeln!(
            out,
            "generated {size:>8}: matched in {:.2} s on {n} threads, {:.1} CPU s (made and framed {:.2} s / {:.1} CPU s, index {:.2} s / {:.1}, pairing {:.2} s / {:.1}; plan {plan_s:.2} s); {} pairs found ({:.3} a claim: {}; {} within families); {} considered ({:.1} a claim), {} scored; {} index entries; compact frames {} + index {}; peak memory {}",
            m.total_seconds(),
            m.cpu_seconds(),
            m.frame_seconds,
            m.frame_cpu,
            m.index_seconds,
            m.index_cpu,
            m.pair_seconds,
            m.pair_cpu,
            outcome.found,
            outcome.found as f64 / size.max(1) as f64,
            kinds(&outcome.by_kind),
            outcome.within_groups,
            outcome.considered,
            outcome.considered as f64 / size.max(1) as f64,
            outcome.scored,
            m.index_entries,
            mib(Some(m.frame_bytes as u64)),
            mib(Some(m.index_bytes as u64)),
            mib(peak)
        )?;
        out.flush()?;
        if let Some(doc) = &busiest {
            let a = bench::new_article(&rules, &index, &generated, &mut frames, doc);
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
        if brute {
            let b = bench::brute_check(&matcher, &generated, &frames, &outcome.pairs, &all);
            writeln!(
                out,
                "          brute force all-pairs, same pair rule: {:.2} s ({:.1}x blocked pairing), {} considered ({:.0}x), {} scored, {} pairs: {}",
                b.seconds,
                b.seconds / m.pair_seconds,
                b.outcome.considered,
                b.outcome.considered as f64 / outcome.considered.max(1) as f64,
                b.outcome.scored,
                b.outcome.found,
                verdict(&b.lost, &b.extra)
            )?;
            write_lost(&mut out, &b.lost)?;
            out.flush()?;
            if args.exhaustive {
                let held: Vec<_> = (0..size).filter_map(|i| generated.claim(i)).collect();
                let (secs, pairs, lost, extra) =
                    bench::exhaustive_check(&matcher, &held, &outcome.pairs, &all);
                writeln!(
                    out,
                    "          exhaustive all-pairs through the matcher alone: {secs:.2} s, {pairs} pairs: {}",
                    verdict(&lost, &extra)
                )?;
                write_lost(&mut out, &lost)?;
            }
        }
        out.flush()?;
    }
    Ok(Outcome::Done)
}

/// The first few pairs blocking lost, one line each.
fn write_lost(out: &mut impl Write, lost: &[crate::blocking::FoundPair]) -> std::io::Result<()> {
    for p in lost.iter().take(5) {
        writeln!(
            out,
            "          lost: c{} c{} {:?} {:.3}",
            p.a, p.b, p.kind, p.score
        )?;
    }
    Ok(())
}

fn verdict(lost: &[crate::blocking::FoundPair], extra: &[crate::blocking::FoundPair]) -> String {
    if lost.is_empty() && extra.is_empty() {
        "IDENTICAL to blocking".to_string()
    } else {
        format!(
            "DIFFERS: {} lost by blocking, {} extra",
            lost.len(),
            extra.len()
        )
    }
}

/// Pairs by kind, the kinds found.
fn kinds(by_kind: &[u64; 6]) -> String {
    crate::model::PairKind::ALL
        .iter()
        .zip(by_kind)
        .filter(|(_, &n)| n > 0)
        .map(|(k, n)| format!("{n} {k}"))
        .collect::<Vec<_>>()
        .join(", ")
}
