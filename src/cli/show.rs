//! `gainsay show ID`: a claim (`c12`) or a pair (`p3`) in full.

use super::{Context, Outcome};
use crate::report::{describe_claim, describe_pair, document_line, Format};
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// A claim id (c12) or a pair id (p3).
    pub id: String,
}

pub fn run(ctx: &Context, args: ShowArgs) -> anyhow::Result<Outcome> {
    let store = ctx.open_existing_store()?;
    let mut out = std::io::stdout().lock();
    let json = ctx.format == Format::Json;
    let id = args.id.trim().to_ascii_lowercase();
    let document = |claim: &str| -> anyhow::Result<Option<String>> {
        Ok(store.document_for_claim(claim)?.map(|d| document_line(&d)))
    };
    if id.starts_with('p') {
        if let Some(p) = store.pair(&id)? {
            if json {
                writeln!(out, "{}", serde_json::to_string(&p)?)?;
            } else {
                let (a, b) = (document(&p.a.id)?, document(&p.b.id)?);
                describe_pair(&p, [a.as_deref(), b.as_deref()], &mut out)?;
            }
            return Ok(Outcome::Done);
        }
    } else if let Some(c) = store.claim(&id)? {
        if json {
            writeln!(out, "{}", serde_json::to_string(&c)?)?;
        } else {
            describe_claim(&c, document(&c.id)?.as_deref(), &mut out)?;
        }
        return Ok(Outcome::Done);
    }
    eprintln!(
        "gainsay: no claim or pair with id '{}' in {} (ids look like c12 or p3)",
        args.id,
        ctx.db.display()
    );
    Ok(Outcome::NothingFound)
}
