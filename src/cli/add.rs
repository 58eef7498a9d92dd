//! `gainsay add --source S [--date D] "STATEMENT"`: a standalone statement.

use super::{Context, Outcome};
use crate::extract::{ExtractOptions, Extractor};
use crate::ingest::{ingest, DocumentOutcome};
use crate::model::{Document, SourceRef, Stance};

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// Who said it: "Name" or "Name, Affiliation".
    #[arg(long, value_name = "WHO")]
    pub source: String,
    /// When it was said.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// How it was said, when the text does not say (default: asserts).
    #[arg(long, value_parser = super::claims::parse_stance)]
    pub stance: Option<Stance>,
    /// Where it was said: an outlet or a URL.
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// The statement, in quotes.
    pub statement: String,
}

pub fn run(ctx: &Context, args: AddArgs) -> anyhow::Result<Outcome> {
    let rules = ctx.rules()?;
    let text = args.statement.trim().to_string();
    if text.is_empty() {
        anyhow::bail!("the statement is empty");
    }
    if let Some(d) = &args.date {
        chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map_err(|_| anyhow::anyhow!("--date '{d}': expected YYYY-MM-DD"))?;
    }
    let (name, affiliation) = match args.source.split_once(',') {
        Some((n, a)) => (n.trim().to_string(), Some(a.trim().to_string())),
        None => (args.source.trim().to_string(), None),
    };
    let key = format!(
        "statement:{}:{}",
        name,
        args.date.as_deref().unwrap_or("undated")
    );
    let doc = Document {
        key,
        title: None,
        outlet: None,
        url: args.url.clone(),
        published: args.date.clone(),
        text: text.clone(),
    };
    // The statement itself, sentence by sentence, is the source's claim;
    // attributions inside it ("X denied that …") keep their own stance.
    let extractor = Extractor::with_options(&rules, ExtractOptions { statements: true });
    let mut claims = extractor.extract(&doc);
    let source = SourceRef {
        text: name.clone(),
        start: 0,
        end: 0,
        canonical: affiliation.clone().unwrap_or_else(|| name.clone()),
        role: None,
        affiliation,
        mention: None,
        unnamed: false,
    };
    for c in &mut claims {
        if c.source.is_none() {
            c.source = Some(source.clone());
            c.stance = args.stance.unwrap_or(
                if c.polarity == crate::model::Polarity::Negative && c.cue.is_none() {
                    Stance::Asserts
                } else {
                    c.stance
                },
            );
        }
    }
    let mut store = ctx.open_store()?;
    let summary = ingest(&mut store, &rules, vec![(doc, Some(claims))])?;
    for d in &summary.documents {
        if let DocumentOutcome::AlreadyStored { stored_as, .. } = d {
            eprintln!(
                "gainsay: this statement is already stored (as {stored_as}); nothing changed"
            );
            return Ok(Outcome::Done);
        }
    }
    eprintln!(
        "gainsay: {} added; {} new ({})",
        super::ingest::count(summary.claims, "claim"),
        super::ingest::count(summary.pairs_new, "pair"),
        ctx.db.display()
    );
    Ok(Outcome::Done)
}
