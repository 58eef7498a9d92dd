//! `gainsay rules check [DIR]` and `gainsay rules list [DIR]`.

use super::ingest::count;
use super::{Context, Outcome};
use crate::rules::Rules;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub action: RulesAction,
}

#[derive(Debug, clap::Subcommand)]
pub enum RulesAction {
    /// Validate rule files; every problem as path:line:col: message (exit 2).
    Check {
        /// Rules directory (default: the built-in rules, or --rules).
        dir: Option<PathBuf>,
    },
    /// List the cues of a rule set: id, stance, kind, word forms.
    List {
        /// Rules directory (default: the built-in rules, or --rules).
        dir: Option<PathBuf>,
    },
}

pub fn run(ctx: &Context, args: RulesArgs) -> anyhow::Result<Outcome> {
    let (dir, list) = match args.action {
        RulesAction::Check { dir } => (dir, false),
        RulesAction::List { dir } => (dir, true),
    };
    let dir = dir.or_else(|| ctx.rules_dir.clone());
    let loaded = match &dir {
        Some(d) => Rules::load_dir(d),
        None => Rules::builtin(),
    };
    let label = dir
        .as_ref()
        .map_or("built-in rules".to_string(), |d| d.display().to_string());
    let rules = match loaded {
        Ok(rules) => rules,
        Err(e) => {
            // One `path:line:col: message` per line, at the start of the line,
            // so that editors and CI can jump to each place.
            let mut err = std::io::stderr().lock();
            for problem in &e.0 {
                writeln!(err, "{problem}")?;
            }
            anyhow::bail!("{label}: {}", count(e.0.len(), "problem"));
        }
    };
    let mut out = std::io::stdout().lock();
    if list {
        for c in &rules.cues {
            let forms: Vec<String> = c.forms.iter().map(|f| f.join(" ")).collect();
            writeln!(
                out,
                "{}\t{}\t{:?}\t{}",
                c.id,
                c.stance,
                c.kind,
                forms.join(", ")
            )?;
        }
    } else {
        let failures = crate::rule_examples::run(&rules);
        if !failures.is_empty() {
            let mut err = std::io::stderr().lock();
            for f in &failures {
                writeln!(err, "{f}")?;
            }
            anyhow::bail!("{label}: {} failed", count(failures.len(), "rule example"));
        }
        writeln!(
            out,
            "{label}: ok ({} cues, {} examples)",
            rules.cues.len(),
            rules.examples.len()
        )?;
    }
    Ok(Outcome::Done)
}
