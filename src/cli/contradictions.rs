//! `gainsay contradictions`: opposing pairs, strongest first.
//!
//! The filters here are shared by `report` and `export` ([`select`]).
//! `--since`/`--until` compare claim dates ([`crate::audit::claim_date`]):
//! a claim's resolved attribution date ("denied Monday"), else its
//! document's publication date.

use super::{Context, Outcome};
use crate::audit::{retain_in_range, ClaimDocuments};
use crate::model::{PairKind, PairRecord, ReviewStatus};
use crate::report::{write_pairs, Format};
use crate::store::{PairFilter, Store};
use std::collections::HashMap;

#[derive(Debug, Clone, Default, clap::Args)]
pub struct ContradictionsArgs {
    /// Source text or canonical key on either side.
    #[arg(long, value_name = "TEXT")]
    pub source: Option<String>,
    /// Document key on either side.
    #[arg(long, value_name = "KEY")]
    pub doc: Option<String>,
    /// denial, negation, opposition, number_conflict, date_conflict, refutation.
    #[arg(long, value_parser = parse_kind)]
    pub kind: Option<PairKind>,
    /// Only pairs scoring at least this (0 to 1).
    #[arg(long, value_name = "SCORE")]
    pub min_score: Option<f64>,
    /// open, confirmed or dismissed.
    #[arg(long, value_parser = parse_status)]
    pub status: Option<ReviewStatus>,
    /// Only pairs with a claim made on or after this date (YYYY, YYYY-MM or
    /// YYYY-MM-DD): its resolved attribution date, else its document's date.
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only pairs with a claim made on or before this date.
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// At most this many pairs.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
}

fn parse_kind(s: &str) -> Result<PairKind, String> {
    PairKind::parse(s).ok_or_else(|| {
        let all: Vec<&str> = PairKind::ALL.iter().map(|k| k.as_str()).collect();
        format!("unknown kind '{s}' ({})", all.join(", "))
    })
}

fn parse_status(s: &str) -> Result<ReviewStatus, String> {
    ReviewStatus::parse(s)
        .ok_or_else(|| format!("unknown status '{s}' (open, confirmed, dismissed)"))
}

/// The pairs the filters select, strongest first, and the document of every
/// claim (for dates, outlets and titles).
pub fn select(
    store: &Store,
    args: &ContradictionsArgs,
) -> anyhow::Result<(Vec<PairRecord>, ClaimDocuments)> {
    let docs: ClaimDocuments = store.claim_documents()?.into_iter().collect();
    // Dates and the limit are applied here, after the store's filters, since
    // claim dates come from the claims' times as well as their documents.
    let mut pairs = store.pairs(&PairFilter {
        source: args.source.clone(),
        doc: args.doc.clone(),
        kind: args.kind,
        min_score: args.min_score,
        status: args.status,
        since: None,
        until: None,
        limit: None,
    })?;
    retain_in_range(
        &mut pairs,
        &docs,
        args.since.as_deref(),
        args.until.as_deref(),
    );
    if let Some(n) = args.limit {
        pairs.truncate(n);
    }
    Ok((pairs, docs))
}

/// The filters in words, for page headers: `source "coalition", since 2019-02`.
pub fn describe(args: &ContradictionsArgs) -> String {
    let mut parts = Vec::new();
    let mut add = |name: &str, v: Option<String>| {
        if let Some(v) = v {
            parts.push(format!("{name} {v}"));
        }
    };
    add("source", args.source.as_ref().map(|s| format!("\"{s}\"")));
    add("doc", args.doc.as_ref().map(|s| format!("\"{s}\"")));
    add("kind", args.kind.map(|k| k.to_string()));
    add("min score", args.min_score.map(|s| s.to_string()));
    add("status", args.status.map(|s| s.as_str().to_string()));
    add("since", args.since.clone());
    add("until", args.until.clone());
    add("limit", args.limit.map(|n| n.to_string()));
    parts.join(", ")
}

/// The HTML page of `pairs`: the report without the audit sections.
pub fn html_page(
    store: &Store,
    pairs: &[PairRecord],
    docs: &ClaimDocuments,
    title: &str,
    filters: &str,
    audits: Option<&[crate::audit::SourceAudit]>,
    unanswered: Option<&[crate::model::ClaimRecord]>,
) -> anyhow::Result<String> {
    let mut texts = HashMap::new();
    let mut reviewed = HashMap::new();
    for p in pairs {
        for c in [&p.a, &p.b] {
            if let Some(d) = docs.get(&c.id) {
                if !texts.contains_key(&d.key) {
                    if let Some(doc) = store.document_for_claim(&c.id)? {
                        texts.insert(d.key.clone(), doc.text);
                    }
                }
            }
        }
        if let Some(t) = store.reviewed_at(&p.id)? {
            reviewed.insert(p.id.clone(), t);
        }
    }
    let generated = chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string();
    Ok(crate::html::Report {
        title,
        generated: &generated,
        filters,
        pairs,
        audits,
        unanswered,
        docs,
        texts: &texts,
        reviewed: &reviewed,
        counts: store.counts()?,
    }
    .render())
}

pub fn run(ctx: &Context, args: ContradictionsArgs) -> anyhow::Result<Outcome> {
    let store = ctx.open_existing_store()?;
    let (pairs, docs) = select(&store, &args)?;
    let mut out = std::io::stdout().lock();
    if ctx.format == Format::Html {
        let page = html_page(
            &store,
            &pairs,
            &docs,
            "gainsay: contradictions",
            &describe(&args),
            None,
            None,
        )?;
        std::io::Write::write_all(&mut out, page.as_bytes())?;
    } else {
        write_pairs(&pairs, ctx.format, &mut out)?;
    }
    Ok(Outcome::Done)
}
