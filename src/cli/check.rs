//! `gainsay check "CLAIM" [FILES…]` and `gainsay check --pairs FILE.jsonl`:
//! does anything contradict, support or relay a claim?
//!
//! `--pairs` reads lines `{"id", "claim", "text"}` and writes lines
//! `{"id", "relation", "score", "evidence"}` (relation: contradicts,
//! supports, reports, unrelated), in input order. With `--related`, or
//! `"related": true` on a line, the text is known to be about its claim
//! (as in a stance data set): the relation is then one of contradicts,
//! supports and reports, decided from the same cues
//! ([`Matcher::relate_known`]).

use super::{Context, Outcome};
use crate::extract::{ExtractOptions, Extractor};
use crate::ingest::read_documents;
use crate::matcher::{Idf, Matcher, TextView};
use crate::model::{ClaimRecord, Document, Evidence, Excerpt, Relation};
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
    /// With --pairs: every text is known to be about its claim, as in a
    /// stance data set, so none is answered `unrelated`: the relation is
    /// contradicts, supports or reports, from the same cues. Where the
    /// words do not show the text is about the claim, the evidence names
    /// the rule matcher/known-related. A line's own "related": true does
    /// the same for that pair.
    #[arg(long)]
    pub related: bool,
}

#[derive(Debug, Deserialize)]
struct PairLine {
    id: serde_json::Value,
    claim: String,
    text: String,
    /// The text is known to be about the claim.
    #[serde(default)]
    related: bool,
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

/// The claim as one record. A claim written in several sentences (a
/// headline such as "Shocking! Parents sell their son to pay for ...", or
/// "Willie Nelson dead? Another death hoax makes the rounds") is read
/// whole: the record of the sentence with the most topic terms gives the
/// frame, and all of its sentences are the record's sentence, so that
/// relatedness and cue words see everything the claim says.
pub fn claim_record(
    extractor: &Extractor<'_>,
    matcher: &Matcher<'_>,
    claim: &str,
) -> Option<ClaimRecord> {
    let claims = claims_of(extractor, "claim", claim);
    if claims.len() < 2 {
        return claims.into_iter().next();
    }
    let topic_terms = |c: &ClaimRecord| {
        let mut terms = matcher.terms(&c.content.text);
        terms.sort_unstable();
        terms.dedup();
        terms.len()
    };
    // The first of the records with the most terms.
    let mut best = claims
        .iter()
        .rev()
        .max_by_key(|c| topic_terms(c))
        .cloned()?;
    let mut sentences: Vec<&Excerpt> = claims.iter().map(|c| &c.sentence).collect();
    sentences.sort_by_key(|s| s.start);
    sentences.dedup_by_key(|s| s.start);
    if sentences.len() > 1 {
        let text: Vec<&str> = sentences.iter().map(|s| s.text.as_str()).collect();
        best.sentence = Excerpt {
            text: text.join(" "),
            start: sentences[0].start,
            end: sentences.iter().map(|s| s.end).max().unwrap_or(0),
        };
    }
    Some(best)
}

/// Relation of a text to a claim: the one code path `check --pairs` and the
/// FNC-1 / Emergent evaluations use. `view` is the text read by
/// [`read_text`]; `idf` weighs terms over every text being compared;
/// `known_related`: the text is known to be about the claim
/// ([`Matcher::relate_known`]).
pub fn relate_text(
    extractor: &Extractor<'_>,
    matcher: &Matcher<'_>,
    idf: &Idf,
    claim: &str,
    view: &TextView,
    known_related: bool,
) -> (Relation, f64, Evidence) {
    let Some(c) = claim_record(extractor, matcher, claim) else {
        return (Relation::Unrelated, 0.0, Evidence::default());
    };
    matcher.relate_known(&c, view, idf, known_related)
}

/// A text read once, to relate any number of claims to it.
pub fn read_text(extractor: &Extractor<'_>, matcher: &Matcher<'_>, text: &str) -> TextView {
    matcher.view(claims_of(extractor, "text", text))
}

/// Relations for (claim, text) pairs, in order: each distinct text is read
/// once, and terms are weighed over all claims and texts given.
/// `known_related(i)`: the text of pair `i` is known to be about its claim.
pub fn relate_pairs(
    extractor: &Extractor<'_>,
    matcher: &Matcher<'_>,
    pairs: &[(&str, &str)],
    known_related: impl Fn(usize) -> bool + Sync,
) -> Vec<(Relation, f64, Evidence)> {
    use rayon::prelude::*;
    let mut texts: Vec<&str> = pairs.iter().map(|(_, t)| *t).collect();
    texts.sort_unstable();
    texts.dedup();
    let mut claims: Vec<&str> = pairs.iter().map(|(c, _)| *c).collect();
    claims.sort_unstable();
    claims.dedup();
    let idf = Idf::from_texts(matcher, texts.iter().chain(&claims).copied());
    let views: std::collections::HashMap<&str, TextView> = texts
        .par_iter()
        .map(|t| (*t, read_text(extractor, matcher, t)))
        .collect();
    pairs
        .par_iter()
        .enumerate()
        .map(|(i, (c, t))| relate_text(extractor, matcher, &idf, c, &views[t], known_related(i)))
        .collect()
}

pub fn run(ctx: &Context, args: CheckArgs) -> anyhow::Result<Outcome> {
    let rules = ctx.rules()?;
    let extractor = Extractor::with_options(&rules, ExtractOptions { statements: true });
    let matcher = Matcher::new(&rules);
    if args.related && args.pairs.is_none() {
        anyhow::bail!("--related applies to --pairs FILE: a claim checked against a store or files is matched claim by claim");
    }
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
        let texts: Vec<(&str, &str)> = lines
            .iter()
            .map(|p| (p.claim.as_str(), p.text.as_str()))
            .collect();
        let related = relate_pairs(&extractor, &matcher, &texts, |i| {
            args.related || lines[i].related
        });
        let results: Vec<PairResult> = lines
            .iter()
            .zip(related)
            .map(|(p, (relation, score, evidence))| PairResult {
                id: p.id.clone(),
                relation,
                score,
                evidence,
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
    let Some(claim) = claim_record(&extractor, &matcher, &claim_text) else {
        anyhow::bail!("the claim is empty");
    };
    let candidates: Vec<ClaimRecord> = if args.files.is_empty() {
        let store = ctx.open_existing_store()?;
        let terms: Vec<String> = matcher
            .frame(&claim)
            .index_terms()
            .iter()
            .map(|t| t.to_string())
            .collect();
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
    // Terms are weighed over the claim and every candidate sentence.
    let idf = Idf::from_texts(
        &matcher,
        std::iter::once(claim.sentence.text.as_str())
            .chain(candidates.iter().map(|c| c.sentence.text.as_str())),
    );
    let mut found: Vec<(Relation, f64, Evidence, ClaimRecord)> = candidates
        .into_iter()
        .filter_map(|c| {
            let view = matcher.view(vec![c.clone()]);
            let (r, s, e) = matcher.relate(&claim, &view, &idf);
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
