//! `gainsay check "CLAIM" [FILES…]` and `gainsay check --pairs FILE.jsonl`:
//! does anything contradict, support or relay a claim?
//!
//! `--pairs` reads lines `{"id", "claim", "text"}` and writes lines
//! `{"id", "relation", "score", "evidence"}` (relation: contradicts,
//! supports, reports, unrelated), in input order.

use super::{Context, Outcome};
use crate::extract::{ExtractOptions, Extractor};
use crate::ingest::read_documents;
use crate::matcher::Matcher;
use crate::model::{ClaimRecord, Document, Evidence, Relation};
use crate::report::{clip, source_label, Format, Listing};
use serde::{Deserialize, Serialize};
use std::io::{BufRead, Write};

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The claim to check (omit with --pairs).
    pub claim: Option<String>,
    /// Articles to check it against; without files, every claim in the store.
    pub files: Vec<String>,
    /// JSON Lines of {"id", "claim", "text"} ("-" for stdin).
    #[arg(long, conflicts_with = "claim")]
    pub pairs: Option<String>,
}

#[derive(Debug, Deserialize)]
struct PairLine {
    id: serde_json::Value,
    claim: String,
    text: String,
}

#[derive(Debug, Serialize)]
struct PairResult {
    id: serde_json::Value,
    relation: Relation,
    score: f64,
    evidence: Evidence,
}

/// A claim or text read as claims: attributions, plus every other sentence
/// as an unattributed statement.
pub fn claims_of(extractor: &Extractor<'_>, key: &str, text: &str) -> Vec<ClaimRecord> {
    let doc = Document {
        key: key.to_string(),
        title: None,
        outlet: None,
        url: None,
        published: None,
        text: text.to_string(),
    };
    extractor.extract(&doc)
}

/// The claim as one record: its first claim (or the whole text).
pub fn claim_record(extractor: &Extractor<'_>, claim: &str) -> Option<ClaimRecord> {
    claims_of(extractor, "claim", claim).into_iter().next()
}

/// Relation of a text to a claim: the one code path `check --pairs` and the
/// FNC-1 / Emergent evaluations use.
pub fn relate_text(
    extractor: &Extractor<'_>,
    matcher: &Matcher<'_>,
    claim: &str,
    text: &str,
) -> (Relation, f64, Evidence) {
    let Some(c) = claim_record(extractor, claim) else {
        return (Relation::Unrelated, 0.0, Evidence::default());
    };
    let t = claims_of(extractor, "text", text);
    matcher.relate(&c, &t)
}

pub fn run(ctx: &Context, args: CheckArgs) -> anyhow::Result<Outcome> {
    let rules = ctx.rules()?;
    let extractor = Extractor::with_options(&rules, ExtractOptions { statements: true });
    let matcher = Matcher::new(&rules);
    let mut out = std::io::stdout().lock();
    if let Some(path) = &args.pairs {
        let reader: Box<dyn BufRead> = if path == "-" {
            Box::new(std::io::stdin().lock())
        } else {
            Box::new(std::io::BufReader::new(
                std::fs::File::open(path).map_err(|e| anyhow::anyhow!("{path}: {e}"))?,
            ))
        };
        let mut lines = Vec::new();
        for (n, line) in reader.lines().enumerate() {
            let line = line.map_err(|e| anyhow::anyhow!("{path}:{}: {e}", n + 1))?;
            if line.trim().is_empty() {
                continue;
            }
            let p: PairLine = serde_json::from_str(&line)
                .map_err(|e| anyhow::anyhow!("{path}:{}: malformed JSON line: {e}", n + 1))?;
            lines.push(p);
        }
        use rayon::prelude::*;
        let results: Vec<PairResult> = lines
            .into_par_iter()
            .map(|p| {
                let (relation, score, evidence) =
                    relate_text(&extractor, &matcher, &p.claim, &p.text);
                PairResult {
                    id: p.id,
                    relation,
                    score,
                    evidence,
                }
            })
            .collect();
        for r in results {
            serde_json::to_writer(&mut out, &r)?;
            writeln!(out)?;
        }
        return Ok(Outcome::Done);
    }
    let Some(claim_text) = args.claim else {
        anyhow::bail!("give a claim to check, or --pairs FILE");
    };
    let Some(claim) = claim_record(&extractor, &claim_text) else {
        anyhow::bail!("the claim is empty");
    };
    let candidates: Vec<ClaimRecord> = if args.files.is_empty() {
        let store = ctx.open_existing_store()?;
        let terms = matcher.frame(&claim).index_terms();
        store.candidates(&terms, None)?
    } else {
        let mut v = Vec::new();
        for f in &args.files {
            for d in read_documents(f)? {
                v.extend(extractor.extract(&d));
            }
        }
        v
    };
    let mut found: Vec<(Relation, f64, Evidence, ClaimRecord)> = candidates
        .into_iter()
        .filter_map(|c| {
            let (r, s, e) = matcher.relate(&claim, std::slice::from_ref(&c));
            (r != Relation::Unrelated).then_some((r, s, e, c))
        })
        .collect();
    found.sort_by(|a, b| {
        (a.0 != Relation::Contradicts)
            .cmp(&(b.0 != Relation::Contradicts))
            .then(b.1.total_cmp(&a.1))
    });
    if found.is_empty() {
        eprintln!("gainsay: nothing found that contradicts, supports or reports this claim");
        return Ok(Outcome::NothingFound);
    }
    #[derive(Serialize)]
    struct Row<'a> {
        relation: Relation,
        score: f64,
        evidence: &'a Evidence,
        claim: &'a ClaimRecord,
    }
    let records: Vec<Row> = found
        .iter()
        .map(|(r, s, e, c)| Row {
            relation: *r,
            score: *s,
            evidence: e,
            claim: c,
        })
        .collect();
    let table = ctx.format == Format::Table;
    let rows = found
        .iter()
        .map(|(r, s, e, c)| {
            vec![
                r.to_string(),
                format!("{s:.2}"),
                if table {
                    clip(&source_label(c), 36)
                } else {
                    source_label(c)
                },
                if table {
                    clip(&c.content.text, 80)
                } else {
                    c.content.text.clone()
                },
                c.id.clone(),
                e.reason.clone(),
            ]
        })
        .collect();
    Listing {
        headers: &[
            "relation", "score", "source", "content", "claim", "evidence",
        ],
        rows,
        records: &records,
    }
    .write(ctx.format, &mut out)?;
    Ok(Outcome::Done)
}
