//! `gainsay rules check [DIR]` and `gainsay rules list [DIR]`.

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
    /// List the cues of a rule set.
    List { dir: Option<PathBuf> },
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
    let rules = loaded.map_err(|e| anyhow::anyhow!("{} problem(s) in rules:\n{e}", e.0.len()))?;
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
            let lines: Vec<String> = failures.iter().map(|f| f.to_string()).collect();
            anyhow::bail!(
                "{} rule example(s) failed:\n{}",
                failures.len(),
                lines.join("\n")
            );
        }
        writeln!(
            out,
            "{}: ok ({} cues, {} examples)",
            dir.map_or("built-in rules".to_string(), |d| d.display().to_string()),
            rules.cues.len(),
            rules.examples.len()
        )?;
    }
    Ok(Outcome::Done)
}
