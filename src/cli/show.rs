//! `gainsay show ID`: a claim (`c12`) or a pair (`p3`) in full.
//!
//! A pair shows both claims in their sentences with some context around
//! them (the content between `»` and `«`, the words that oppose in
//! `*stars*`, shared terms in `_underscores_`), each document's title,
//! outlet and date, the claim dates, the evidence and the review status
//! with its note, then every field of both claims.

use super::{Context, Outcome};
use crate::audit::claim_date;
use crate::highlight::{in_context, plain, CONTEXT_CHARS};
use crate::model::{ClaimRecord, Evidence, PairRecord};
use crate::report::{describe_claim, document_line, source_label, Format};
use crate::store::Store;
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
    if id.starts_with('p') {
        if let Some(p) = store.pair(&id)? {
            if json {
                serde_json::to_writer(&mut out, &p)?;
                writeln!(out)?;
            } else {
                describe_pair_in_full(&store, &p, &mut out)?;
            }
            return Ok(Outcome::Done);
        }
    } else if let Some(c) = store.claim(&id)? {
        if json {
            serde_json::to_writer(&mut out, &c)?;
            writeln!(out)?;
        } else {
            side(&store, "claim", &c, None, &mut out)?;
            writeln!(out)?;
            let document = store.document_for_claim(&c.id)?.map(|d| document_line(&d));
            describe_claim(&c, document.as_deref(), &mut out)?;
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

/// One claim: who, how, where and when, then its sentence in context.
fn side(
    store: &Store,
    label: &str,
    c: &ClaimRecord,
    evidence: Option<&Evidence>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let doc = store.document_for_claim(&c.id)?;
    write!(out, "{label} {}: {} {}", c.id, source_label(c), c.stance)?;
    if let Some(q) = &c.cue {
        write!(out, " via \u{201C}{}\u{201D}", q.text)?;
    }
    if let Some(ch) = &c.channel {
        write!(out, ", channel: {ch}")?;
    }
    writeln!(out)?;
    if let Some(d) = &doc {
        let mut line = vec![d.title.clone().unwrap_or_else(|| d.key.clone())];
        line.extend(d.outlet.clone());
        line.extend(d.published.clone());
        writeln!(out, "  in:      {}", line.join(" \u{2014} "))?;
        if let Some(u) = &d.url {
            writeln!(out, "  url:     {u}")?;
        }
    }
    if let Some(date) = claim_date(c, doc.as_ref().and_then(|d| d.published.as_deref())) {
        writeln!(out, "  claimed: {date}")?;
    }
    let ctx = in_context(
        c,
        doc.as_ref().map(|d| d.text.as_str()),
        evidence,
        CONTEXT_CHARS,
    );
    writeln!(out, "  text:    {}", plain(&ctx))?;
    Ok(())
}

fn describe_pair_in_full(store: &Store, p: &PairRecord, out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(out, "pair {}: {} (score {:.2})", p.id, p.kind, p.score)?;
    let at = store.reviewed_at(&p.id)?;
    writeln!(
        out,
        "review: {}{}{}",
        p.status.as_str(),
        at.map_or(String::new(), |t| format!(" at {t}")),
        p.note
            .as_ref()
            .map_or(String::new(), |n| format!(" \u{2014} note: {n}"))
    )?;
    writeln!(out, "why: {}", p.evidence.reason)?;
    if !p.evidence.shared.is_empty() {
        writeln!(out, "shared: {}", p.evidence.shared.join(", "))?;
    }
    if !p.evidence.opposing.is_empty() {
        writeln!(out, "opposing: {}", p.evidence.opposing.join(" | "))?;
    }
    if !p.evidence.rules.is_empty() {
        writeln!(out, "rules: {}", p.evidence.rules.join(", "))?;
    }
    writeln!(out)?;
    side(store, "A", &p.a, Some(&p.evidence), out)?;
    writeln!(out)?;
    side(store, "B", &p.b, Some(&p.evidence), out)?;
    writeln!(out, "\nSIDE A IN DETAIL")?;
    describe_claim(&p.a, None, out)?;
    writeln!(out, "\nSIDE B IN DETAIL")?;
    describe_claim(&p.b, None, out)?;
    Ok(())
}
