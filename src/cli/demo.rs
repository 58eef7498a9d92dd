//! `gainsay demo`: the whole pipeline on the bundled sample articles, in a
//! fresh in-memory store: claims, contradictions, unanswered allegations.

use super::{Context, Outcome};
use crate::audit::unanswered;
use crate::ingest::ingest;
use crate::report::{write_claims, write_pairs, Format};
use crate::sample;
use crate::store::{ClaimFilter, PairFilter, Store};
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// Also list every extracted claim.
    #[arg(long)]
    pub claims: bool,
}

pub fn run(ctx: &Context, args: DemoArgs) -> anyhow::Result<Outcome> {
    let rules = ctx.rules()?;
    let mut store = Store::open_in_memory()?;
    let docs = sample::documents();
    let n = docs.len();
    let summary = ingest(
        &mut store,
        &rules,
        docs.into_iter().map(|d| (d, None)).collect(),
    )?;
    let mut out = std::io::stdout().lock();
    if ctx.format == Format::Html {
        // One page, as `report --html` makes it, rather than one per listing.
        let filters = super::contradictions::ContradictionsArgs::default();
        let (page, _, _) =
            super::report::build(&store, &filters, "gainsay demo: the sample articles")?;
        out.write_all(page.as_bytes())?;
        return Ok(Outcome::Done);
    }
    let table = ctx.format == Format::Table;
    if table {
        writeln!(
            out,
            "gainsay demo: {n} sample articles from data/, {} claims, {} opposing pairs\n",
            summary.claims, summary.pairs_new
        )?;
    }
    let claims = store.claims(&ClaimFilter::default())?;
    if args.claims {
        if table {
            writeln!(out, "CLAIMS")?;
        }
        write_claims(&claims, ctx.format, &mut out)?;
    }
    let pairs = store.pairs(&PairFilter::default())?;
    // The founding example first, then the fictional stories, each strongest first.
    let (seed, others): (Vec<_>, Vec<_>) = pairs
        .iter()
        .cloned()
        .partition(|p| p.a.doc.contains(sample::SEED) || p.b.doc.contains(sample::SEED));
    if table {
        writeln!(
            out,
            "CONTRADICTIONS IN THE FOUNDING EXAMPLE ({}), strongest first",
            sample::SEED
        )?;
    }
    write_pairs(&seed, ctx.format, &mut out)?;
    if table {
        writeln!(
            out,
            "\nCONTRADICTIONS ACROSS THE OTHER SAMPLE ARTICLES (fiction), strongest first"
        )?;
    }
    write_pairs(&others, ctx.format, &mut out)?;
    if table {
        writeln!(
            out,
            "\n(`gainsay ingest data/*.txt` then `gainsay show p1` explains a pair in full.)"
        )?;
    }
    let open = unanswered(&claims, &pairs);
    if table {
        writeln!(
            out,
            "\nUNANSWERED ALLEGATIONS (alleged, and nothing in the texts answers them)"
        )?;
    }
    write_claims(&open, ctx.format, &mut out)?;
    Ok(Outcome::Done)
}
