//! The command line: arguments parsed into one struct, turned into a checked
//! [`Context`] (rules loaded, output format decided), then one module per
//! subcommand, each with a `run`.
//!
//! Exit codes: 0 success; 1 a lookup found nothing (`show` of an unknown id,
//! `check` with no related claim); 2 an error (bad input, bad rules, a store
//! that cannot be opened). Results go to stdout, diagnostics to stderr with
//! a `gainsay:` prefix; a closed pipe (`| head`) ends quietly.

mod add;
mod audit;
mod bench;
mod check;
mod claims;
mod contradictions;
mod demo;
mod eval;
mod extract;
mod ingest;
mod rules;
mod show;

use crate::report::Format;
use crate::rules::Rules;
use crate::store::Store;
use clap::{Parser, Subcommand};
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "gainsay",
    version,
    about = "Claim-and-denial contradiction tracker: who claimed what, and who denies it"
)]
pub struct Args {
    /// SQLite store to use.
    #[arg(long, global = true, env = "GAINSAY_DB", default_value = "gainsay.db")]
    pub db: PathBuf,
    /// Rules directory replacing the built-in rules.
    #[arg(long, global = true, env = "GAINSAY_RULES")]
    pub rules: Option<PathBuf>,
    /// Output format of listings (default: table).
    #[arg(long, short = 'f', global = true, value_enum)]
    pub format: Option<Format>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the whole pipeline on the bundled sample articles (in memory).
    Demo(demo::DemoArgs),
    /// Read articles (text, Markdown, JSON Lines, `-` for stdin) into the store and match their claims.
    Ingest(ingest::IngestArgs),
    /// Add a standalone statement by a named source.
    Add(add::AddArgs),
    /// List stored claims.
    Claims(claims::ClaimsArgs),
    /// List opposing pairs, strongest first.
    Contradictions(contradictions::ContradictionsArgs),
    /// Show a claim (c12) or a pair (p3) in full.
    Show(show::ShowArgs),
    /// Extract claim records from files without a store.
    Extract(extract::ExtractArgs),
    /// Does anything contradict, support or relay this claim?
    Check(check::CheckArgs),
    /// Per-source audit: stances, denials, contradictions, unanswered allegations.
    Audit(audit::AuditArgs),
    /// Validate and list rule files.
    Rules(rules::RulesArgs),
    /// Measure quality on annotated data (PolNeAR, FNC-1, Emergent).
    Eval(eval::EvalArgs),
    /// Measure throughput on a JSON Lines corpus, and matching at scale.
    Bench(bench::BenchArgs),
}

/// What every command runs on: checked options, rules loaded.
pub struct Context {
    pub db: PathBuf,
    pub rules_dir: Option<PathBuf>,
    pub format: Format,
}

impl Context {
    pub fn rules(&self) -> anyhow::Result<Rules> {
        let r = match &self.rules_dir {
            Some(d) => Rules::load_dir(d),
            None => Rules::builtin(),
        };
        r.map_err(|e| anyhow::anyhow!("invalid rules:\n{e}"))
    }

    pub fn open_store(&self) -> anyhow::Result<Store> {
        Ok(Store::open(&self.db)?)
    }

    /// Opens the store only if the file exists (read commands must not create one).
    pub fn open_existing_store(&self) -> anyhow::Result<Store> {
        if !self.db.exists() {
            anyhow::bail!(
                "{}: no such store (run `gainsay ingest FILES` first, or pass --db)",
                self.db.display()
            );
        }
        self.open_store()
    }
}

/// The outcome of a command, mapped to an exit code by `main`.
pub enum Outcome {
    Done,
    NothingFound,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let format = args.format.unwrap_or(Format::Table);
    let ctx = Context {
        db: args.db,
        rules_dir: args.rules,
        format,
    };
    let _ = std::io::stdout().is_terminal();
    match args.command {
        Command::Demo(a) => demo::run(&ctx, a),
        Command::Ingest(a) => ingest::run(&ctx, a),
        Command::Add(a) => add::run(&ctx, a),
        Command::Claims(a) => claims::run(&ctx, a),
        Command::Contradictions(a) => contradictions::run(&ctx, a),
        Command::Show(a) => show::run(&ctx, a),
        Command::Extract(a) => extract::run(&ctx, a),
        Command::Check(a) => check::run(&ctx, a),
        Command::Audit(a) => audit::run(&ctx, a),
        Command::Rules(a) => rules::run(&ctx, a),
        Command::Eval(a) => eval::run(&ctx, a),
        Command::Bench(a) => bench::run(&ctx, a),
    }
}

/// Whether an error is a closed pipe, which ends a command quietly.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
