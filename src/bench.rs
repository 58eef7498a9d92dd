//! Throughput measurements over a JSON Lines corpus, behind `gainsay bench`.
//!
//! Each stage streams the corpus (one line at a time through a `BufRead`,
//! in chunks of documents), so that memory follows the chunk, not the file:
//!
//! 1. a baseline: reading and parsing the JSON Lines and scanning the text;
//! 2. segmentation alone, and segmentation + extraction, on a rayon pool of
//!    one thread and then on a pool of all threads, with a SHA-256 over the
//!    claims in order to show both give the same claims in the same order;
//! 3. [`ingest`] end to end into a temporary SQLite file, batch by batch;
//! 4. matching the corpus's claims with the blocking index;
//! 5. optionally, generated claim sets of given sizes ([`crate::generate`],
//!    made on demand, not held): matching time, pairs, peak memory, one new
//!    article against the whole set, and brute force at one size as the
//!    baseline blocking must equal.
//!
//! Figures are wall-clock; MB are 10^6 bytes of document text.

use crate::blocking::{self, BlockIndex, Claims, FoundPair, FrameStore, MatchOutcome};
use crate::extract::Extractor;
use crate::ingest::{Ingest, IngestError, InputError, Inputs, JsonlReader, CHUNK_BYTES};
use crate::matcher::Matcher;
use crate::model::{ClaimRecord, Document};
use crate::rules::Rules;
use crate::store::Store;
use crate::text::Segmented;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use rayon::ThreadPool;
use sha2::{Digest, Sha256};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Documents handed to the pool at a time.
pub const CHUNK_DOCS: usize = 256;

/// The process's peak resident memory (VmHWM), in bytes, where Linux tells it.
pub fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// CPU time the process has used (user and system, all threads), in
/// seconds, where Linux tells it: on a busy machine, a measure the other
/// processes do not inflate.
pub fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

/// Resets the peak to the current resident memory (Linux ≥ 4.0), so that
/// each stage reports its own peak. Returns whether it could.
pub fn reset_peak_memory() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// A progress bar on stderr when it is a terminal; hidden otherwise.
pub fn progress(total: u64, what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    let style = ProgressStyle::with_template(
        "{prefix:>12} [{bar:40}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .progress_chars("=> ");
    bar.set_style(style);
    bar.set_prefix(what.to_string());
    bar
}

/// One pass over the corpus.
#[derive(Debug, Clone, Default)]
pub struct Pass {
    pub threads: usize,
    pub docs: usize,
    /// Bytes of document text.
    pub bytes: u64,
    pub claims: usize,
    /// Time in the measured work, reading excluded unless said otherwise.
    pub seconds: f64,
    /// SHA-256 over the claims as JSON, in order (extraction passes).
    pub digest: Option<[u8; 32]>,
}

impl Pass {
    pub fn mb_per_s(&self) -> f64 {
        self.bytes as f64 / 1e6 / self.seconds
    }
    pub fn docs_per_s(&self) -> f64 {
        self.docs as f64 / self.seconds
    }
    pub fn claims_per_s(&self) -> f64 {
        self.claims as f64 / self.seconds
    }
}

fn bar_for(path: &Path, what: &str) -> ProgressBar {
    let total = std::fs::metadata(path).map_or(0, |m| m.len());
    progress(total, what)
}

/// The baseline: read the JSON Lines and parse them on `pool` (as ingest
/// does), and touch every byte of text (counting sentence-ending dots),
/// timed end to end.
pub fn read_pass(path: &Path, pool: &ThreadPool) -> Result<Pass, InputError> {
    let bar = bar_for(path, "read");
    let t = Instant::now();
    let mut pass = Pass {
        threads: pool.current_num_threads(),
        ..Pass::default()
    };
    let mut dots = 0usize;
    pool.install(|| -> Result<(), InputError> {
        for d in JsonlReader::open(&path.display().to_string())? {
            let (d, line) = d?;
            dots += d.text.bytes().filter(|&b| b == b'.').count();
            pass.docs += 1;
            pass.bytes += d.text.len() as u64;
            bar.inc(line as u64);
        }
        Ok(())
    })?;
    pass.claims = dots;
    pass.seconds = t.elapsed().as_secs_f64();
    bar.finish_and_clear();
    Ok(pass)
}

/// Segmentation alone, on `pool`.
pub fn segment_pass(path: &Path, rules: &Rules, pool: &ThreadPool) -> Result<Pass, InputError> {
    let bar = bar_for(path, "segment");
    let mut pass = Pass {
        threads: pool.current_num_threads(),
        ..Pass::default()
    };
    let mut docs = JsonlReader::open(&path.display().to_string())?;
    loop {
        let chunk: Vec<(Document, usize)> =
            docs.by_ref().take(CHUNK_DOCS).collect::<Result<_, _>>()?;
        if chunk.is_empty() {
            break;
        }
        let t = Instant::now();
        let sentences: usize = pool.install(|| {
            chunk
                .par_iter()
                .map(|(d, _)| Segmented::new(&d.text, rules).sentences.len())
                .sum()
        });
        pass.seconds += t.elapsed().as_secs_f64();
        pass.claims += sentences;
        pass.docs += chunk.len();
        for (d, line) in &chunk {
            pass.bytes += d.text.len() as u64;
            bar.inc(*line as u64);
        }
    }
    bar.finish_and_clear();
    Ok(pass)
}

/// Segmentation + extraction on `pool`. Claims are appended to `keep` when
/// given, and the document with the most claims is returned with the pass.
pub fn extract_pass(
    path: &Path,
    rules: &Rules,
    pool: &ThreadPool,
    mut keep: Option<&mut Vec<ClaimRecord>>,
) -> Result<(Pass, Option<Document>), InputError> {
    let bar = bar_for(path, "extract");
    let extractor = Extractor::new(rules);
    let mut pass = Pass {
        threads: pool.current_num_threads(),
        ..Pass::default()
    };
    let mut digest = Sha256::new();
    let mut busiest: Option<(usize, Document)> = None;
    let mut docs = JsonlReader::open(&path.display().to_string())?;
    loop {
        let chunk: Vec<(Document, usize)> =
            docs.by_ref().take(CHUNK_DOCS).collect::<Result<_, _>>()?;
        if chunk.is_empty() {
            break;
        }
        let t = Instant::now();
        let claims: Vec<Vec<ClaimRecord>> = pool.install(|| {
            chunk
                .par_iter()
                .map(|(d, _)| extractor.extract(d))
                .collect()
        });
        pass.seconds += t.elapsed().as_secs_f64();
        for ((d, line), cs) in chunk.into_iter().zip(claims) {
            for c in &cs {
                digest.update(serde_json::to_vec(c).unwrap_or_default());
                digest.update(b"\n");
            }
            digest.update(b"\x1e");
            pass.docs += 1;
            pass.bytes += d.text.len() as u64;
            pass.claims += cs.len();
            bar.inc(line as u64);
            if busiest.as_ref().is_none_or(|(n, _)| cs.len() > *n) {
                busiest = Some((cs.len(), d));
            }
            if let Some(k) = keep.as_deref_mut() {
                k.extend(cs);
            }
        }
    }
    pass.digest = Some(digest.finalize().into());
    bar.finish_and_clear();
    Ok((pass, busiest.map(|(_, d)| d)))
}

/// [`ingest`] into a new SQLite file as `gainsay ingest` does it (one
/// transaction, the file streamed in chunks of at most `batch` documents),
/// timed end to end (reading, extraction, storing, matching). The file is
/// removed afterwards.
pub fn ingest_pass(
    path: &Path,
    rules: &Rules,
    pool: &ThreadPool,
    batch: usize,
) -> Result<(Pass, usize), IngestError> {
    let db = temp_store_path();
    let bar = bar_for(path, "ingest");
    let t = Instant::now();
    let mut pass = Pass {
        threads: pool.current_num_threads(),
        ..Pass::default()
    };
    let mut pairs = 0usize;
    let result = (|| -> Result<(), IngestError> {
        let mut store = Store::open(&db)?;
        let mut inputs = Inputs::open(&[path.display().to_string()])?;
        // The whole run on the pool: extraction's parallel part uses it.
        let summary = pool.install(|| -> Result<_, IngestError> {
            let mut run = Ingest::begin(&mut store, rules)?;
            loop {
                let chunk = inputs.chunk(batch.max(1), CHUNK_BYTES)?;
                if chunk.is_empty() {
                    break;
                }
                let mut batch_docs = Vec::with_capacity(chunk.len());
                for d in chunk {
                    pass.docs += 1;
                    pass.bytes += d.text.len() as u64;
                    bar.inc(d.text.len() as u64);
                    batch_docs.push((d, None));
                }
                run.add(batch_docs)?;
            }
            run.commit()
        })?;
        pass.claims += summary.claims;
        pairs += summary.pairs_new;
        Ok(())
    })();
    pass.seconds = t.elapsed().as_secs_f64();
    bar.finish_and_clear();
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = db.clone().into_os_string();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
    result?;
    Ok((pass, pairs))
}

fn temp_store_path() -> PathBuf {
    std::env::temp_dir().join(format!("gainsay-bench-{}.db", std::process::id()))
}

/// A matching run over a set of claims.
#[derive(Debug, Clone, Default)]
pub struct MatchRun {
    pub claims: usize,
    /// Framing every claim into compact frames (and making the claims,
    /// when they are generated on demand).
    pub frame_seconds: f64,
    /// Building the blocking index.
    pub index_seconds: f64,
    /// Candidates, cheap checks and the matcher.
    pub pair_seconds: f64,
    /// CPU seconds of the three, all threads.
    pub frame_cpu: f64,
    pub index_cpu: f64,
    pub pair_cpu: f64,
    /// Bytes of the compact frames and of the index (estimates).
    pub frame_bytes: usize,
    pub index_bytes: usize,
    pub index_entries: usize,
}

impl MatchRun {
    pub fn total_seconds(&self) -> f64 {
        self.frame_seconds + self.index_seconds + self.pair_seconds
    }
    pub fn cpu_seconds(&self) -> f64 {
        self.frame_cpu + self.index_cpu + self.pair_cpu
    }
}

/// Frames, blocks and pairs `claims` on `pool`; `keep` keeps the pairs.
pub fn match_pass<C: Claims + ?Sized>(
    matcher: &Matcher<'_>,
    claims: &C,
    pool: &ThreadPool,
    keep: bool,
) -> (MatchRun, MatchOutcome, FrameStore, BlockIndex) {
    pool.install(|| {
        let cpu = || cpu_seconds().unwrap_or(0.0);
        let (t, c0) = (Instant::now(), cpu());
        let frames = FrameStore::build(matcher, claims);
        let (frame_seconds, c1) = (t.elapsed().as_secs_f64(), cpu());
        let t = Instant::now();
        let index = BlockIndex::build(&frames);
        let (index_seconds, c2) = (t.elapsed().as_secs_f64(), cpu());
        let t = Instant::now();
        let outcome = blocking::match_blocked(matcher, claims, &frames, &index, keep);
        let run = MatchRun {
            claims: frames.len(),
            frame_seconds,
            index_seconds,
            pair_seconds: t.elapsed().as_secs_f64(),
            frame_cpu: c1 - c0,
            index_cpu: c2 - c1,
            pair_cpu: cpu() - c2,
            frame_bytes: frames.bytes(),
            index_bytes: index.bytes(),
            index_entries: index.entries(),
        };
        (run, outcome, frames, index)
    })
}

/// One new article matched against an indexed claim set: extraction,
/// frames, candidates and pairing.
#[derive(Debug, Clone, Default)]
pub struct NewArticle {
    pub claims: usize,
    pub considered: u64,
    pub pairs: u64,
    pub seconds: f64,
}

pub fn new_article<C: Claims + ?Sized>(
    rules: &Rules,
    index: &BlockIndex,
    claims: &C,
    frames: &mut FrameStore,
    doc: &Document,
) -> NewArticle {
    let t = Instant::now();
    let extracted = Extractor::new(rules).extract(doc);
    let matcher = Matcher::new(rules);
    let found = blocking::match_new(&matcher, index, claims, frames, &extracted);
    NewArticle {
        claims: extracted.len(),
        considered: found.considered,
        pairs: found.found,
        seconds: t.elapsed().as_secs_f64(),
    }
}

/// Brute force against blocking on one claim set.
#[derive(Debug, Clone, Default)]
pub struct BruteCheck {
    pub claims: usize,
    pub seconds: f64,
    pub outcome: MatchOutcome,
    /// Brute-force pairs that blocking did not find (or found otherwise).
    pub lost: Vec<FoundPair>,
    /// Blocked pairs brute force did not find.
    pub extra: Vec<FoundPair>,
}

/// Every pair of `claims` through the same pair rule as blocking, compared
/// with the pairs blocking found (`blocked`, kept).
pub fn brute_check<C: Claims + ?Sized>(
    matcher: &Matcher<'_>,
    claims: &C,
    frames: &FrameStore,
    blocked: &[FoundPair],
    pool: &ThreadPool,
) -> BruteCheck {
    let t = Instant::now();
    let brute = pool.install(|| blocking::match_brute_force(matcher, claims, frames, true));
    let seconds = t.elapsed().as_secs_f64();
    let (lost, extra) = blocking::differences(&brute.pairs, blocked);
    BruteCheck {
        claims: frames.len(),
        seconds,
        outcome: brute,
        lost,
        extra,
    }
}

/// Every pair straight through the matcher and the rarity rule, without
/// compact frames or cheap checks ([`blocking::match_exhaustive`]),
/// compared with `blocked`: (seconds, pairs, lost, extra).
pub fn exhaustive_check(
    matcher: &Matcher<'_>,
    claims: &[ClaimRecord],
    blocked: &[FoundPair],
    pool: &ThreadPool,
) -> (f64, usize, Vec<FoundPair>, Vec<FoundPair>) {
    let t = Instant::now();
    let all = pool.install(|| blocking::match_exhaustive(matcher, claims));
    let seconds = t.elapsed().as_secs_f64();
    let (lost, extra) = blocking::differences(&all, blocked);
    (seconds, all.len(), lost, extra)
}

/// The pass through `ingest`'s own pool: a pool of `threads` threads
/// (`0` for one per core).
pub fn pool(threads: usize) -> Result<ThreadPool, rayon::ThreadPoolBuildError> {
    rayon::ThreadPoolBuilder::new().num_threads(threads).build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_streams_documents_and_names_bad_lines() {
        let input = "{\"id\": 1, \"text\": \"One.\"}\n\n{\"id\": \"b\", \"text\": \"Two.\", \"extra\": 1}\n{oops\n";
        let mut docs = JsonlReader::new(input.as_bytes(), "x.jsonl");
        let (a, len) = docs.next().unwrap().unwrap();
        assert_eq!((a.key.as_str(), a.text.as_str(), len), ("1", "One.", 26));
        assert_eq!(docs.next().unwrap().unwrap().0.key, "b");
        let e = docs.next().unwrap().unwrap_err().to_string();
        assert!(e.starts_with("x.jsonl:4: malformed JSON line"), "{e}");
    }

    #[test]
    fn one_thread_and_many_give_the_same_claims_in_order() {
        let dir = std::env::temp_dir().join(format!("gainsay-bench-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("sample.jsonl");
        let lines: Vec<String> = crate::sample::documents()
            .iter()
            .map(|d| {
                serde_json::json!({"id": d.key, "published": d.published, "text": d.text})
                    .to_string()
            })
            .collect();
        std::fs::write(&path, lines.join("\n")).unwrap();
        let rules = Rules::builtin().unwrap();
        let (one, _) = extract_pass(&path, &rules, &pool(1).unwrap(), None).unwrap();
        let (many, busiest) = extract_pass(&path, &rules, &pool(3).unwrap(), None).unwrap();
        assert!(one.claims > 0);
        assert_eq!(one.digest, many.digest);
        assert_eq!((one.docs, one.claims), (many.docs, many.claims));
        assert!(busiest.is_some());
        let (ingested, _) = ingest_pass(&path, &rules, &pool(2).unwrap(), 2).unwrap();
        assert_eq!(ingested.claims, one.claims);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn peak_memory_is_read_on_linux() {
        if cfg!(target_os = "linux") {
            assert!(peak_memory().unwrap() > 0);
        }
    }
}
