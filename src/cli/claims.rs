//! `gainsay claims`: list stored claims, filtered.

use super::{Context, Outcome};
use crate::model::Stance;
use crate::report::write_claims;
use crate::store::ClaimFilter;

#[derive(Debug, clap::Args)]
pub struct ClaimsArgs {
    /// Source text or canonical key (case-insensitive substring).
    #[arg(long, value_name = "TEXT")]
    pub source: Option<String>,
    /// Document key (exact, or a substring).
    #[arg(long, value_name = "KEY")]
    pub doc: Option<String>,
    /// asserts, alleges, denies or reports.
    #[arg(long, value_name = "STANCE", value_parser = parse_stance)]
    pub stance: Option<Stance>,
    /// At most this many claims.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
}

pub fn parse_stance(s: &str) -> Result<Stance, String> {
    Stance::parse(s)
        .ok_or_else(|| format!("unknown stance '{s}' (asserts, alleges, denies, reports)"))
}

pub fn run(ctx: &Context, args: ClaimsArgs) -> anyhow::Result<Outcome> {
    let store = ctx.open_existing_store()?;
    let claims = store.claims(&ClaimFilter {
        source: args.source,
        doc: args.doc,
        stance: args.stance,
        limit: args.limit,
    })?;
    write_claims(&claims, ctx.format, &mut std::io::stdout().lock())?;
    Ok(Outcome::Done)
}
