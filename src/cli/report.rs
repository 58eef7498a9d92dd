//! `gainsay report --html OUT.html [filters]`: the page a fact-checker
//! publishes from (see [`crate::html`]): a summary, the contradiction table,
//! the source audit, the unanswered allegations and each pair in full.
//!
//! Takes the filters of `contradictions`. Without `--status`, dismissed
//! pairs are left out: a reviewer has said they are not contradictions.
//! With filters, the audit keeps the sources of the pairs shown.

use super::contradictions::{describe, html_page, select, ContradictionsArgs};
use super::{Context, Outcome};
use crate::audit::{audit, source_key, ClaimDocuments};
use crate::model::{ReviewStatus, Stance};
use crate::store::{PairFilter, Store};
use anyhow::Context as _;
use std::collections::HashSet;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Where to write the page.
    #[arg(long, value_name = "OUT.html", required = true)]
    pub html: PathBuf,
    /// The page's title.
    #[arg(long, default_value = "gainsay: contradictions and source audit")]
    pub title: String,
    #[command(flatten)]
    pub filters: ContradictionsArgs,
}

/// The report page of a store: (page, pairs shown, sources audited).
/// `demo --format html` uses it too.
pub fn build(
    store: &Store,
    filters: &ContradictionsArgs,
    title: &str,
) -> anyhow::Result<(String, usize, usize)> {
    let (mut pairs, docs): (_, ClaimDocuments) = select(store, filters)?;
    if filters.status.is_none() {
        pairs.retain(|p| p.status != ReviewStatus::Dismissed);
    }
    let claims = store.all_claims()?;
    let all_pairs = store.pairs(&PairFilter::default())?;
    let mut audits = audit(&claims, &all_pairs, &docs);
    let filtered = !describe(filters).is_empty();
    if filtered {
        let shown: HashSet<String> = pairs
            .iter()
            .flat_map(|p| [source_key(&p.a), source_key(&p.b)])
            .collect();
        audits.retain(|a| shown.contains(&a.source));
    }
    audits.sort_by_key(|a| std::cmp::Reverse(a.contradicted + a.denials_issued));
    let unanswered_ids: HashSet<&String> = audits.iter().flat_map(|a| &a.unanswered).collect();
    let unanswered: Vec<_> = claims
        .iter()
        .filter(|c| c.stance == Stance::Alleges && unanswered_ids.contains(&c.id))
        .cloned()
        .collect();
    let page = html_page(
        store,
        &pairs,
        &docs,
        title,
        &describe(filters),
        Some(&audits),
        Some(&unanswered),
    )?;
    Ok((page, pairs.len(), audits.len()))
}

pub fn run(ctx: &Context, args: ReportArgs) -> anyhow::Result<Outcome> {
    let store = ctx.open_existing_store()?;
    let (page, pairs, sources) = build(&store, &args.filters, &args.title)?;
    std::fs::write(&args.html, page)
        .with_context(|| format!("{}: cannot write the report", args.html.display()))?;
    eprintln!(
        "gainsay: {}: {pairs} pairs, {sources} sources",
        args.html.display()
    );
    Ok(Outcome::Done)
}
