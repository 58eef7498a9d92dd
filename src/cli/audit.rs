//! `gainsay audit [SOURCE]`: who alleges, who denies, what stands unanswered.
//!
//! Without a SOURCE: one row per canonical source (aliases and people who
//! spoke for it, claims by stance, denials issued and of whose claims, how
//! often it was contradicted and by whom, unanswered allegations, the
//! channels and outlets that carried it, first and last claim dates). With a
//! SOURCE: its row, then its full record claim by claim. Dismissed pairs do
//! not count (see [`crate::audit`]).

use super::{Context, Outcome};
use crate::audit::{audit, record, ClaimDocuments, RecordEntry, SourceAudit};
use crate::report::{clip, Format, Listing};
use crate::store::PairFilter;
use std::io::Write;

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
    /// Order of the rows, largest first (name: alphabetical).
    #[arg(long, value_enum, default_value = "claims")]
    pub sort: SortBy,
}

const HEADERS: &[&str] = &[
    "source",
    "aliases",
    "people",
    "claims",
    "asserts",
    "alleges",
    "denies",
    "reports",
    "denials issued",
    "denied",
    "contradicted",
    "contradicted by",
    "unanswered",
    "carried by",
    "first",
    "last",
];

const RECORD_HEADERS: &[&str] = &[
    "id",
    "date",
    "outlet",
    "channel",
    "as",
    "stance",
    "cue",
    "content",
    "opposes",
    "opposed by",
    "unanswered",
];

/// Orders audit rows; ties keep name order.
pub fn sort(rows: &mut [SourceAudit], by: SortBy) {
    match by {
        SortBy::Name => rows.sort_by_key(|a| a.source.to_lowercase()),
        SortBy::Contradicted => rows.sort_by_key(|a| std::cmp::Reverse(a.contradicted)),
        SortBy::Denials => rows.sort_by_key(|a| std::cmp::Reverse(a.denials_issued)),
        SortBy::Unanswered => rows.sort_by_key(|a| std::cmp::Reverse(a.unanswered.len())),
        SortBy::Claims => rows.sort_by_key(|a| std::cmp::Reverse(a.claims)),
    }
}

pub fn run(ctx: &Context, args: AuditArgs) -> anyhow::Result<Outcome> {
    let store = ctx.open_existing_store()?;
    let claims = store.all_claims()?;
    let pairs = store.pairs(&PairFilter::default())?;
    let docs: ClaimDocuments = store.claim_documents()?.into_iter().collect();
    let mut rows: Vec<SourceAudit> = audit(&claims, &pairs, &docs);
    if let Some(s) = &args.source {
        let needle = s.to_lowercase();
        // An exact canonical key wins over substrings of other sources.
        if rows.iter().any(|a| a.source.to_lowercase() == needle) {
            rows.retain(|a| a.source.to_lowercase() == needle);
        } else {
            rows.retain(|a| {
                a.source.to_lowercase().contains(&needle)
                    || a.names.iter().any(|n| n.to_lowercase().contains(&needle))
            });
        }
        if rows.is_empty() {
            eprintln!("gainsay: no source matching '{s}'");
            return Ok(Outcome::NothingFound);
        }
    }
    sort(&mut rows, args.sort);
    let table = ctx.format == Format::Table;
    let list = |v: &[String]| {
        if table {
            clip(&v.join("; "), 40)
        } else {
            v.join("; ")
        }
    };
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let out_rows = rows
        .iter()
        .map(|a| {
            vec![
                a.source.clone(),
                list(&a.aliases),
                list(&a.people),
                a.claims.to_string(),
                a.asserts.to_string(),
                a.alleges.to_string(),
                a.denies.to_string(),
                a.reports.to_string(),
                a.denials_issued.to_string(),
                list(&a.denied),
                a.contradicted.to_string(),
                list(&a.contradicted_by),
                a.unanswered.len().to_string(),
                list(&a.carried_by()),
                opt(&a.first_date),
                opt(&a.last_date),
            ]
        })
        .collect();
    let mut out = std::io::stdout().lock();
    let one = args.source.is_some() && rows.len() == 1;
    if !one {
        Listing {
            headers: HEADERS,
            rows: out_rows,
            records: &rows,
        }
        .write(ctx.format, &mut out)?;
        return Ok(Outcome::Done);
    }
    // One source: its row, then its full record claim by claim. JSON gives
    // one object (the row with a `record` array); CSV and HTML, whose output
    // is one table, give the record alone.
    let entries = record(&rows[0].source, &claims, &pairs, &docs);
    match ctx.format {
        Format::Json => {
            #[derive(serde::Serialize)]
            struct Full<'a> {
                #[serde(flatten)]
                audit: &'a SourceAudit,
                record: &'a [RecordEntry],
            }
            serde_json::to_writer(
                &mut out,
                &Full {
                    audit: &rows[0],
                    record: &entries,
                },
            )?;
            writeln!(out)?;
        }
        Format::Csv | Format::Html => write_record(&entries, ctx.format, &mut out)?,
        Format::Table | Format::Markdown => {
            Listing {
                headers: HEADERS,
                rows: out_rows,
                records: &rows,
            }
            .write(ctx.format, &mut out)?;
            writeln!(
                out,
                "
Record of {}, claim by claim:
",
                rows[0].source
            )?;
            write_record(&entries, ctx.format, &mut out)?;
        }
    }
    Ok(Outcome::Done)
}

fn write_record(
    entries: &[RecordEntry],
    format: Format,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let table = format == Format::Table;
    let width = |n: usize| if table { n } else { usize::MAX };
    let rows = entries
        .iter()
        .map(|e| {
            vec![
                e.id.clone(),
                e.date.clone().unwrap_or_default(),
                e.outlet.clone().unwrap_or_default(),
                e.channel.clone().unwrap_or_default(),
                clip(&e.name, width(30)),
                e.stance.to_string(),
                e.cue.clone().unwrap_or_default(),
                clip(&e.content, width(70)),
                e.opposes.join("; "),
                e.opposed_by.join("; "),
                if e.unanswered {
                    "yes".into()
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    Listing {
        headers: RECORD_HEADERS,
        rows,
        records: entries,
    }
    .write(format, out)
}
