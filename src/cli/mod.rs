//! The command line: arguments parsed into one struct, turned into a checked
//! [`Context`] (rules loaded, output format decided), then one module per
//! subcommand, each with a `run`.
//!
//! # Exit codes
//! - `0`: success, including a listing with no rows and an ingest whose
//!   documents were all stored already.
//! - `1`: a lookup found nothing: `show` of an unknown id, `check` with no
//!   related claim, `audit SOURCE` with no such source.
//! - `2`: an error: bad input (a missing, unreadable, empty or non-UTF-8
//!   file, a malformed JSON line), bad rules, a store that cannot be used
//!   (locked past the busy timeout, corrupt, another program's), bad
//!   arguments (clap's usage errors exit 2 too).
//!
//! # Output
//! Results go to stdout; diagnostics and progress go to stderr, one line
//! each, starting `gainsay:` and naming the file (and line, for JSON Lines)
//! they are about. A closed pipe (`gainsay claims | head`) ends the command
//! quietly with exit 0.
//!
//! # Writes
//! `ingest` and `add` read and check every input before opening the store
//! and write the whole batch in one transaction: on any error the store is
//! left as it was. A store locked by another writer is waited for up to 5
//! seconds (SQLite's busy timeout), then the command fails with exit 2.

mod add;
mod audit;
mod bench;
mod check;
mod claims;
mod contradictions;
mod demo;
mod eval;
mod export;
mod extract;
mod ingest;
mod report;
mod review;
mod rules;
mod show;

use crate::report::Format;
use crate::rules::Rules;
use crate::store::Store;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

const AFTER_HELP: &str = "\
Start with `gainsay demo`, then:
  gainsay ingest data/*.txt        read articles into ./gainsay.db
  gainsay contradictions           opposing pairs, strongest first
  gainsay show p1                  one pair in full: both sides, sources, why

Exit codes: 0 success, 1 nothing found (show, check, audit SOURCE), 2 error.
Results go to stdout, diagnostics to stderr.";

const INGEST_HELP: &str = "\
Inputs: text or Markdown files; JSON Lines (.jsonl, .ndjson), one
{\"id\", \"title\"?, \"outlet\"?, \"url\"?, \"published\"?, \"text\"} per line; `-` for stdin.
A document is stored once, keyed by the hash of its text: ingesting it again
changes nothing. Every input is opened before the store is (text files read
and checked whole, JSON Lines checked line by line as they stream), and the
batch is written in one transaction: a failed ingest, a bad line at the end
of a large file included, leaves the store as it was.

Limits: a document (a text file, standard input, or the \"text\" of one JSON
line) is at most 64 MiB, and a JSON line at most 80 MiB; larger inputs are
refused with the file (and line) named. NUL characters and invalid UTF-8 are
refused, never stored. JSON Lines are read, extracted and matched in chunks
of 32 MiB of text (a chunk is held in memory; text files are read whole);
SQLite's page cache is --cache-mib (64 MiB). Another writer's lock is waited
for up to 5 seconds.";

#[derive(Debug, Parser)]
#[command(
    name = "gainsay",
    version,
    about = "Claim-and-denial contradiction tracker: who claimed what, and who denies it",
    after_help = AFTER_HELP
)]
pub struct Args {
    /// SQLite store to use (created by `ingest` and `add`).
    #[arg(
        long,
        global = true,
        env = "GAINSAY_DB",
        default_value = "gainsay.db",
        value_name = "PATH",
        help_heading = "Global options"
    )]
    pub db: PathBuf,
    /// Rules directory replacing the built-in rules.
    #[arg(
        long,
        global = true,
        env = "GAINSAY_RULES",
        value_name = "DIR",
        help_heading = "Global options"
    )]
    pub rules: Option<PathBuf>,
    /// SQLite page cache, in MiB: writes of a large batch stay in memory
    /// up to this much.
    #[arg(
        long,
        global = true,
        env = "GAINSAY_CACHE_MIB",
        default_value_t = crate::store::DEFAULT_CACHE_MIB,
        value_parser = clap::value_parser!(u32).range(1..=65536),
        value_name = "MIB",
        help_heading = "Global options"
    )]
    pub cache_mib: u32,
    /// Output format of listings [default: table].
    #[arg(
        long,
        short = 'f',
        global = true,
        value_enum,
        value_name = "FORMAT",
        help_heading = "Global options"
    )]
    pub format: Option<Format>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the whole pipeline on the bundled sample articles (in memory)
    #[command(
        after_help = "Ingests the articles of data/ into a fresh in-memory store and lists their \
        contradictions and the allegations nothing answers. Writes no file."
    )]
    Demo(demo::DemoArgs),
    /// Read articles into the store and pair their claims
    #[command(after_help = INGEST_HELP)]
    Ingest(ingest::IngestArgs),
    /// Add a standalone statement by a named source
    #[command(
        after_help = "Example:\n  gainsay add --source \"Col. Sean Ryan, US-led coalition\" --date 2019-02-04 \\\n      \"There was no confrontation.\""
    )]
    Add(add::AddArgs),
    /// List stored claims, filtered by source, document or stance
    Claims(claims::ClaimsArgs),
    /// List opposing pairs, strongest first.
    Contradictions(contradictions::ContradictionsArgs),
    /// Show a claim (c12) or a pair (p3) in full.
    Show(show::ShowArgs),
    /// Extract claim records from files, without a store
    Extract(extract::ExtractArgs),
    /// Does anything contradict, support or relay this claim?
    Check(check::CheckArgs),
    /// Per-source audit: stances, denials, contradictions, unanswered allegations.
    Audit(audit::AuditArgs),
    /// Validate rule files, or list their cues
    Rules(rules::RulesArgs),
    /// Record a verdict on a pair: --confirm, --dismiss or --reopen, with a note.
    Review(review::ReviewArgs),
    /// Write the HTML report: contradictions, source audit, each pair in full.
    Report(report::ReportArgs),
    /// Export confirmed pairs (--claimreview: schema.org ClaimReview JSON-LD).
    Export(export::ExportArgs),
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
    pub cache_mib: u32,
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
        if self.db.is_dir() {
            anyhow::bail!("{}: is a directory, not a database file", self.db.display());
        }
        let parent = self.db.parent().filter(|p| !p.as_os_str().is_empty());
        if let Some(dir) = parent.filter(|p| !p.is_dir()) {
            anyhow::bail!(
                "{}: cannot create the database: no such directory {}",
                self.db.display(),
                dir.display()
            );
        }
        let store = Store::open(&self.db)?;
        store.set_cache_mib(self.cache_mib)?;
        Ok(store)
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
        cache_mib: args.cache_mib,
    };
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
        Command::Review(a) => review::run(&ctx, a),
        Command::Report(a) => report::run(&ctx, a),
        Command::Export(a) => export::run(&ctx, a),
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
