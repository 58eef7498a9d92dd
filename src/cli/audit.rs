//! `gainsay audit [SOURCE]`: who alleges, who denies, what stands unanswered.

use super::{Context, Outcome};
use crate::audit::{audit, SourceAudit};
use crate::report::{clip, write_claims, Format, Listing};
use crate::store::{ClaimFilter, PairFilter};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SortBy {
    Name,
    Contradicted,
    Denials,
    Unanswered,
    Claims,
}

#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    /// One source (canonical key or name, case-insensitive substring): its full record.
    pub source: Option<String>,
    #[arg(long, value_enum, default_value = "claims")]
    pub sort: SortBy,
}

pub fn run(ctx: &Context, args: AuditArgs) -> anyhow::Result<Outcome> {
    let store = ctx.open_existing_store()?;
    let claims = store.all_claims()?;
    let pairs = store.pairs(&PairFilter::default())?;
    let mut rows: Vec<SourceAudit> = audit(&claims, &pairs);
    if let Some(s) = &args.source {
        let needle = s.to_lowercase();
        rows.retain(|a| {
            a.source.to_lowercase().contains(&needle)
                || a.names.iter().any(|n| n.to_lowercase().contains(&needle))
        });
        if rows.is_empty() {
            eprintln!("gainsay: no source matching '{s}'");
            return Ok(Outcome::NothingFound);
        }
    }
    match args.sort {
        SortBy::Name => {}
        SortBy::Contradicted => rows.sort_by_key(|a| std::cmp::Reverse(a.contradicted)),
        SortBy::Denials => rows.sort_by_key(|a| std::cmp::Reverse(a.denials_issued)),
        SortBy::Unanswered => rows.sort_by_key(|a| std::cmp::Reverse(a.unanswered.len())),
        SortBy::Claims => rows.sort_by_key(|a| std::cmp::Reverse(a.claims)),
    }
    let table = ctx.format == Format::Table;
    let list = |v: &[String]| {
        if table {
            clip(&v.join("; "), 40)
        } else {
            v.join("; ")
        }
    };
    let out_rows = rows
        .iter()
        .map(|a| {
            vec![
                a.source.clone(),
                list(&a.names),
                a.claims.to_string(),
                a.asserts.to_string(),
                a.alleges.to_string(),
                a.denies.to_string(),
                a.reports.to_string(),
                a.denials_issued.to_string(),
                list(&a.opposed),
                a.contradicted.to_string(),
                list(&a.contradicted_by),
                a.unanswered.len().to_string(),
                list(&a.channels),
            ]
        })
        .collect();
    let mut out = std::io::stdout().lock();
    Listing {
        headers: &[
            "source",
            "names",
            "claims",
            "asserts",
            "alleges",
            "denies",
            "reports",
            "denials issued",
            "opposed",
            "contradicted",
            "contradicted by",
            "unanswered",
            "channels",
        ],
        rows: out_rows,
        records: &rows,
    }
    .write(ctx.format, &mut out)?;
    if args.source.is_some() && rows.len() == 1 {
        let own = store.claims(&ClaimFilter {
            source: Some(rows[0].source.clone()),
            ..ClaimFilter::default()
        })?;
        write_claims(&own, ctx.format, &mut out)?;
    }
    Ok(Outcome::Done)
}
