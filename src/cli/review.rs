//! `gainsay review ID --confirm|--dismiss|--reopen [--note TEXT]`: a human
//! verdict on a pair, stamped with the time (UTC).
//!
//! The store keeps verdicts across later ingests: re-matching refreshes a
//! pair's evidence but never its status, and a dismissed pair stays
//! dismissed unless its evidence changes (see
//! [`crate::store::PairUpsert`]).

use super::{Context, Outcome};
use crate::model::ReviewStatus;
use crate::report::Format;
use std::io::Write;

#[derive(Debug, clap::Args)]
#[command(group(
    clap::ArgGroup::new("verdict")
        .required(true)
        .args(["confirm", "dismiss", "reopen"])
))]
pub struct ReviewArgs {
    /// The pair (p3).
    pub id: String,
    /// The claims do contradict each other.
    #[arg(long)]
    pub confirm: bool,
    /// Not a contradiction: it will not be proposed again unless its evidence changes.
    #[arg(long)]
    pub dismiss: bool,
    /// Back to open, undoing a verdict.
    #[arg(long)]
    pub reopen: bool,
    /// A note kept with the verdict (a previous note is kept when omitted).
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(serde::Serialize)]
struct Verdict<'a> {
    id: &'a str,
    status: ReviewStatus,
    note: Option<&'a str>,
    reviewed_at: Option<&'a str>,
}

pub fn run(ctx: &Context, args: ReviewArgs) -> anyhow::Result<Outcome> {
    let store = ctx.open_existing_store()?;
    if store.pair(&args.id)?.is_none() {
        eprintln!(
            "gainsay: no pair with id '{}' in {}",
            args.id,
            ctx.db.display()
        );
        return Ok(Outcome::NothingFound);
    }
    let status = if args.confirm {
        ReviewStatus::Confirmed
    } else if args.dismiss {
        ReviewStatus::Dismissed
    } else {
        ReviewStatus::Open
    };
    let pair = store.review(&args.id, status, args.note.as_deref())?;
    let at = store.reviewed_at(&pair.id)?;
    let mut out = std::io::stdout().lock();
    if ctx.format == Format::Json {
        serde_json::to_writer(
            &mut out,
            &Verdict {
                id: &pair.id,
                status: pair.status,
                note: pair.note.as_deref(),
                reviewed_at: at.as_deref(),
            },
        )?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "{} {} at {}{}",
            pair.id,
            pair.status.as_str(),
            at.as_deref().unwrap_or("?"),
            pair.note
                .as_ref()
                .map_or(String::new(), |n| format!(" \u{2014} {n}"))
        )?;
    }
    Ok(Outcome::Done)
}
