//! `gainsay show ID`: a claim (`c12`) or a pair (`p3`) in full.

use super::{Context, Outcome};
use crate::report::{describe_claim, describe_pair, Format};
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
    if args.id.starts_with('p') {
        if let Some(p) = store.pair(&args.id)? {
            if json {
                serde_json::to_writer(&mut out, &p)?;
                writeln!(out)?;
            } else {
                for side in [&p.a, &p.b] {
                    if let Some(d) = store.document_for_claim(&side.id)? {
                        writeln!(
                            out,
                            "{}: {} {} {}",
                            side.id,
                            d.title.unwrap_or_else(|| d.key.clone()),
                            d.outlet.map(|o| format!("— {o}")).unwrap_or_default(),
                            d.published.unwrap_or_default()
                        )?;
                    }
                }
                describe_pair(&p, &mut out)?;
            }
            return Ok(Outcome::Done);
        }
    } else if let Some(c) = store.claim(&args.id)? {
        if json {
            serde_json::to_writer(&mut out, &c)?;
            writeln!(out)?;
        } else {
            describe_claim(&c, &mut out)?;
        }
        return Ok(Outcome::Done);
    }
    eprintln!(
        "gainsay: no claim or pair with id '{}' in {}",
        args.id,
        ctx.db.display()
    );
    Ok(Outcome::NothingFound)
}
