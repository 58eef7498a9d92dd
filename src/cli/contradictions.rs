//! `gainsay contradictions`: opposing pairs, strongest first.

use super::{Context, Outcome};
use crate::model::{PairKind, ReviewStatus};
use crate::report::write_pairs;
use crate::store::PairFilter;

#[derive(Debug, clap::Args)]
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
    /// Only pairs with a document published on or after this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only pairs with a document published on or before this date.
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

pub fn run(ctx: &Context, args: ContradictionsArgs) -> anyhow::Result<Outcome> {
    let store = ctx.open_existing_store()?;
    let pairs = store.pairs(&PairFilter {
        source: args.source,
        doc: args.doc,
        kind: args.kind,
        min_score: args.min_score,
        status: args.status,
        since: args.since,
        until: args.until,
        limit: args.limit,
    })?;
    write_pairs(&pairs, ctx.format, &mut std::io::stdout().lock())?;
    Ok(Outcome::Done)
}
