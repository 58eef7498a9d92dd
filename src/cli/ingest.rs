//! `gainsay ingest FILES…`: read documents into the store and match them.

use super::{Context, Outcome};
use crate::ingest::{ingest_inputs, DocumentOutcome, Inputs};
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct IngestArgs {
    /// Text, Markdown or JSON Lines files; `-` reads stdin.
    #[arg(required = true)]
    pub files: Vec<String>,
}

pub fn run(ctx: &Context, args: IngestArgs) -> anyhow::Result<Outcome> {
    let rules = ctx.rules()?;
    // Open and check every input before touching the store; JSON Lines
    // files are then read a chunk at a time, all in one transaction.
    let mut inputs = Inputs::open(&args.files)?;
    let mut store = ctx.open_store()?;
    let summary = ingest_inputs(&mut store, &rules, &mut inputs)?;
    // A line a document: buffered, or each line is several writes.
    let mut err = std::io::BufWriter::new(std::io::stderr().lock());
    for d in &summary.documents {
        match d {
            DocumentOutcome::Added { key, claims } => {
                writeln!(err, "gainsay: {key}: {}", count(*claims, "claim"))?
            }
            DocumentOutcome::AlreadyStored { key, stored_as } if key == stored_as => {
                writeln!(err, "gainsay: {key}: already stored; nothing changed")?
            }
            DocumentOutcome::AlreadyStored { key, stored_as } => writeln!(
                err,
                "gainsay: {key}: already stored (as {stored_as}); nothing changed"
            )?,
        }
    }
    let unlisted = summary.document_count() - summary.documents.len();
    if unlisted > 0 {
        let listed_added = summary
            .documents
            .iter()
            .filter(|d| matches!(d, DocumentOutcome::Added { .. }))
            .count();
        let added = summary.documents_added - listed_added;
        writeln!(
            err,
            "gainsay: {}, not listed: {added} added, {} already stored",
            count(unlisted, "more document"),
            unlisted - added
        )?;
    }
    writeln!(
        err,
        "gainsay: {} stored; {} new, {} updated, {} kept dismissed ({})",
        count(summary.claims, "claim"),
        count(summary.pairs_new, "pair"),
        summary.pairs_updated,
        summary.pairs_suppressed,
        ctx.db.display()
    )?;
    err.flush()?;
    Ok(Outcome::Done)
}

/// "1 claim", "2 claims".
pub(crate) fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
