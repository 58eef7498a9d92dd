//! `gainsay eval polnear DIR | fnc1 DIR | emergent FILE`: quality figures.

use super::check::relate_pairs;
use super::{Context, Outcome};
use crate::eval::{emergent, fnc1, polnear};
use crate::extract::{ExtractOptions, Extractor};
use crate::matcher::Matcher;
use crate::model::Relation;
use rayon::prelude::*;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    #[command(subcommand)]
    pub set: EvalSet,
}

#[derive(Debug, clap::Subcommand)]
pub enum EvalSet {
    /// PolNeAR split directory (text/ and attributions/): attribution extraction.
    Polnear {
        dir: PathBuf,
        /// Fail (exit 2) when speech-subset content F1 is below this.
        #[arg(long)]
        min_speech_f1: Option<f64>,
        /// Fail when all-attribution content F1 is below this.
        #[arg(long)]
        min_all_f1: Option<f64>,
    },
    /// FNC-1 directory (*_stances.csv, *_bodies.csv): stance of body to headline.
    Fnc1 {
        dir: PathBuf,
        #[arg(long)]
        min_score: Option<f64>,
        #[arg(long)]
        min_disagree_f1: Option<f64>,
    },
    /// The project's own gold annotations (data/ with data/gold/*.toml).
    Gold {
        #[arg(default_value = "data")]
        dir: PathBuf,
    },
    /// Emergent CSV: stance of a headline to a claim (each headline is known
    /// to be about its claim, as with check --pairs --related).
    Emergent {
        file: PathBuf,
        #[arg(long)]
        min_accuracy: Option<f64>,
        #[arg(long)]
        min_against_f1: Option<f64>,
    },
}

fn floor(name: &str, value: f64, min: Option<f64>) -> anyhow::Result<()> {
    if let Some(m) = min {
        if value + 1e-9 < m {
            anyhow::bail!("{name} {value:.3} is below the floor {m:.3}");
        }
    }
    Ok(())
}

/// Writes a report to stdout; a closed pipe is an error the caller ends
/// quietly on ([`crate::cli::is_broken_pipe`]), where `println!` panics.
fn show(report: &dyn std::fmt::Display) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{report}")?;
    out.flush()
}

pub fn run(ctx: &Context, args: EvalArgs) -> anyhow::Result<Outcome> {
    let rules = ctx.rules()?;
    match args.set {
        EvalSet::Polnear {
            dir,
            min_speech_f1,
            min_all_f1,
        } => {
            let extractor = Extractor::new(&rules);
            let docs = polnear::load(&dir)?;
            let predictions: Vec<_> = docs
                .par_iter()
                .map(|d| extractor.extract(&d.document))
                .collect();
            let mut report = polnear::PolnearReport::default();
            for (d, p) in docs.iter().zip(&predictions) {
                polnear::score_document(d, p, &mut report)?;
            }
            show(&report)?;
            floor(
                "speech content F1",
                report.speech.content_f1(),
                min_speech_f1,
            )?;
            floor("all content F1", report.all.content_f1(), min_all_f1)?;
        }
        EvalSet::Fnc1 {
            dir,
            min_score,
            min_disagree_f1,
        } => {
            let extractor = Extractor::with_options(&rules, ExtractOptions { statements: true });
            let matcher = Matcher::new(&rules);
            let data = fnc1::load(&dir)?;
            let start = std::time::Instant::now();
            let pairs: Vec<(&str, &str)> = data
                .pairs
                .iter()
                .map(|p| (p.headline.as_str(), data.body(p)))
                .collect();
            // FNC-1 has an unrelated class: relatedness is for gainsay to find.
            let predictions: Vec<Relation> = relate_pairs(&extractor, &matcher, &pairs, |_| false)
                .into_iter()
                .map(|r| r.0)
                .collect();
            let elapsed = start.elapsed();
            let report = fnc1::score(&data, &predictions)?;
            show(&report)?;
            eprintln!(
                "gainsay: classified {} pairs in {:.1} s",
                data.pairs.len(),
                elapsed.as_secs_f64()
            );
            floor("FNC-1 weighted score", report.weighted_score(), min_score)?;
            floor(
                "disagree F1",
                report.class(fnc1::FncStance::Disagree).f1,
                min_disagree_f1,
            )?;
        }
        EvalSet::Gold { dir } => {
            let report = crate::eval::gold::evaluate(&dir, &rules)?;
            show(&report)?;
        }
        EvalSet::Emergent {
            file,
            min_accuracy,
            min_against_f1,
        } => {
            let extractor = Extractor::with_options(&rules, ExtractOptions { statements: true });
            let matcher = Matcher::new(&rules);
            let pairs = emergent::load(&file)?;
            let texts: Vec<(&str, &str)> = pairs
                .iter()
                .map(|p| (p.claim.as_str(), p.headline.as_str()))
                .collect();
            // Emergent's headlines were collected as articles about their
            // claim: each pair is related by construction.
            let predictions: Vec<Relation> = relate_pairs(&extractor, &matcher, &texts, |_| true)
                .into_iter()
                .map(|r| r.0)
                .collect();
            let report = emergent::score(&pairs, &predictions)?;
            show(&format_args!(
                "{report}\n(each headline known to be about its claim, as in check --pairs --related)"
            ))?;
            floor("Emergent accuracy", report.accuracy(), min_accuracy)?;
            floor(
                "against F1",
                report.class(emergent::EmergentStance::Against).f1,
                min_against_f1,
            )?;
        }
    }
    let _ = ctx;
    Ok(Outcome::Done)
}
