//! `gainsay extract FILES…`: claim records without a store.

use super::{Context, Outcome};
use crate::extract::{ExtractOptions, Extractor};
use crate::ingest::read_documents;
use crate::report::write_claims;

#[derive(Debug, clap::Args)]
pub struct ExtractArgs {
    /// Text, Markdown or JSON Lines files; `-` reads stdin.
    #[arg(required = true)]
    pub files: Vec<String>,
    /// Also list sentences without an attribution, as unattributed statements.
    #[arg(long)]
    pub statements: bool,
}

pub fn run(ctx: &Context, args: ExtractArgs) -> anyhow::Result<Outcome> {
    let rules = ctx.rules()?;
    let extractor = Extractor::with_options(
        &rules,
        ExtractOptions {
            statements: args.statements,
        },
    );
    let mut out = std::io::stdout().lock();
    for f in &args.files {
        for doc in read_documents(f)? {
            let claims = extractor.extract(&doc);
            write_claims(&claims, ctx.format, &mut out)?;
        }
    }
    Ok(Outcome::Done)
}
