//! FNC-1 stance evaluation: does a body disagree with, agree with, discuss,
//! or have nothing to do with a headline's claim?
//!
//! A directory holds one or more CSV pairs `<name>_stances.csv` (columns
//! `Headline`, `Body ID`, `Stance`) and `<name>_bodies.csv` (`Body ID`,
//! `articleBody`; bodies span lines inside quoted fields). Every pair found
//! is read; body ids are resolved within their own pair.
//!
//! gainsay's [`Relation`] maps onto the FNC-1 stances as
//! contradicts → disagree, supports → agree, reports → discuss,
//! unrelated → unrelated.
//!
//! The report gives per-class precision, recall and F1 (disagree is 1.7 % of
//! the data: accuracy alone says little), the confusion matrix, and the
//! official weighted score normalised to [0, 1]: each pair earns 0.25 when
//! gold and prediction agree on related versus unrelated, and 0.75 more when
//! the gold stance is related and the prediction names it exactly; the sum
//! is divided by the best possible sum.

use super::{Confusion, EvalError, Label};
use crate::model::Relation;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// An FNC-1 stance label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FncStance {
    Agree,
    Disagree,
    Discuss,
    Unrelated,
}

impl Label for FncStance {
    const ALL: &'static [Self] = &[
        FncStance::Agree,
        FncStance::Disagree,
        FncStance::Discuss,
        FncStance::Unrelated,
    ];
    fn name(self) -> &'static str {
        match self {
            FncStance::Agree => "agree",
            FncStance::Disagree => "disagree",
            FncStance::Discuss => "discuss",
            FncStance::Unrelated => "unrelated",
        }
    }
}

impl FncStance {
    pub fn parse(s: &str) -> Option<FncStance> {
        FncStance::ALL.iter().copied().find(|l| l.name() == s)
    }

    /// The stance a predicted [`Relation`] stands for.
    pub fn from_relation(relation: Relation) -> FncStance {
        match relation {
            Relation::Contradicts => FncStance::Disagree,
            Relation::Supports => FncStance::Agree,
            Relation::Reports => FncStance::Discuss,
            Relation::Unrelated => FncStance::Unrelated,
        }
    }

    pub fn is_related(self) -> bool {
        self != FncStance::Unrelated
    }
}

/// One labelled (headline, body) pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FncPair {
    pub headline: String,
    /// Index into [`FncData::bodies`].
    pub body: usize,
    pub stance: FncStance,
}

/// Every pair of a directory, with the bodies stored once.
#[derive(Debug, Clone, Default)]
pub struct FncData {
    pub bodies: Vec<String>,
    pub pairs: Vec<FncPair>,
}

impl FncData {
    /// The body text of `pair`.
    pub fn body(&self, pair: &FncPair) -> &str {
        &self.bodies[pair.body]
    }
}

/// Reads every `*_stances.csv` / `*_bodies.csv` pair in `dir`.
pub fn load(dir: &Path) -> Result<FncData, EvalError> {
    let mut stance_files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| EvalError::io(dir, e))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with("_stances.csv"))
        })
        .collect();
    stance_files.sort();
    if stance_files.is_empty() {
        return Err(EvalError::Missing {
            path: dir.to_path_buf(),
            message: "no *_stances.csv file".into(),
        });
    }
    let mut data = FncData::default();
    for stances in stance_files {
        let name = stances.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let bodies = stances.with_file_name(name.replace("_stances.csv", "_bodies.csv"));
        if !bodies.is_file() {
            return Err(EvalError::Missing {
                path: bodies,
                message: format!("no bodies file beside {name}"),
            });
        }
        let ids = read_bodies(&bodies, &mut data.bodies)?;
        read_stances(&stances, &ids, &mut data.pairs)?;
    }
    Ok(data)
}

fn open_csv(path: &Path) -> Result<(csv::Reader<std::fs::File>, csv::StringRecord), EvalError> {
    let mut reader = csv::Reader::from_path(path).map_err(|e| EvalError::csv(path, e))?;
    let headers = reader
        .headers()
        .map_err(|e| EvalError::csv(path, e))?
        .clone();
    Ok((reader, headers))
}

fn column(path: &Path, headers: &csv::StringRecord, name: &str) -> Result<usize, EvalError> {
    headers
        .iter()
        .position(|h| h.trim_start_matches('\u{feff}') == name)
        .ok_or_else(|| EvalError::malformed(path, 1, format!("no column '{name}'")))
}

/// Appends the bodies to `bodies`; returns body id → index.
fn read_bodies(path: &Path, bodies: &mut Vec<String>) -> Result<HashMap<String, usize>, EvalError> {
    let (mut reader, headers) = open_csv(path)?;
    let id_col = column(path, &headers, "Body ID")?;
    let body_col = column(path, &headers, "articleBody")?;
    let mut ids = HashMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| EvalError::csv(path, e))?;
        let line = record.position().map_or(0, |p| p.line());
        let (Some(id), Some(body)) = (record.get(id_col), record.get(body_col)) else {
            return Err(EvalError::malformed(path, line, "missing field"));
        };
        if ids.insert(id.trim().to_string(), bodies.len()).is_some() {
            return Err(EvalError::malformed(
                path,
                line,
                format!("duplicate Body ID '{id}'"),
            ));
        }
        bodies.push(body.to_string());
    }
    Ok(ids)
}

fn read_stances(
    path: &Path,
    ids: &HashMap<String, usize>,
    pairs: &mut Vec<FncPair>,
) -> Result<(), EvalError> {
    let (mut reader, headers) = open_csv(path)?;
    let headline_col = column(path, &headers, "Headline")?;
    let id_col = column(path, &headers, "Body ID")?;
    let stance_col = column(path, &headers, "Stance")?;
    for record in reader.records() {
        let record = record.map_err(|e| EvalError::csv(path, e))?;
        let line = record.position().map_or(0, |p| p.line());
        let (Some(headline), Some(id), Some(stance)) = (
            record.get(headline_col),
            record.get(id_col),
            record.get(stance_col),
        ) else {
            return Err(EvalError::malformed(path, line, "missing field"));
        };
        let stance = FncStance::parse(stance.trim()).ok_or_else(|| {
            EvalError::malformed(path, line, format!("unknown stance '{stance}'"))
        })?;
        let body = *ids
            .get(id.trim())
            .ok_or_else(|| EvalError::malformed(path, line, format!("unknown Body ID '{id}'")))?;
        pairs.push(FncPair {
            headline: headline.to_string(),
            body,
            stance,
        });
    }
    Ok(())
}

/// Scores one prediction per pair, in the order of `data.pairs`.
pub fn score(data: &FncData, predictions: &[Relation]) -> Result<StanceReport, EvalError> {
    if predictions.len() != data.pairs.len() {
        return Err(EvalError::Prediction(format!(
            "{} predictions for {} pairs",
            predictions.len(),
            data.pairs.len()
        )));
    }
    let mut confusion = Confusion::new();
    for (pair, &relation) in data.pairs.iter().zip(predictions) {
        confusion.add(pair.stance, FncStance::from_relation(relation));
    }
    Ok(StanceReport { confusion })
}

/// Reads `dir` and classifies every (headline, body) pair in turn. To
/// classify in parallel, call [`load`], classify `data.pairs` yourself and
/// pass the results to [`score`].
pub fn evaluate(
    dir: &Path,
    classify: impl Fn(&str, &str) -> Relation + Sync,
) -> Result<StanceReport, EvalError> {
    let data = load(dir)?;
    let predictions: Vec<Relation> = data
        .pairs
        .iter()
        .map(|p| classify(&p.headline, data.body(p)))
        .collect();
    score(&data, &predictions)
}

/// FNC-1 results: the confusion matrix and everything derived from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StanceReport {
    pub confusion: Confusion<FncStance>,
}

impl StanceReport {
    pub fn pairs(&self) -> usize {
        self.confusion.total()
    }

    pub fn accuracy(&self) -> f64 {
        self.confusion.accuracy()
    }

    /// Precision, recall and F1 of one stance.
    pub fn class(&self, stance: FncStance) -> super::ClassScores {
        self.confusion.class_scores(stance)
    }

    /// The FNC-1 weighted score as (earned, best possible).
    pub fn weighted_points(&self) -> (f64, f64) {
        let mut earned = 0.0;
        let mut best = 0.0;
        for &gold in FncStance::ALL {
            let weight = if gold.is_related() { 1.0 } else { 0.25 };
            best += weight * self.confusion.gold_count(gold) as f64;
            for &pred in FncStance::ALL {
                let n = self.confusion.count(gold, pred) as f64;
                if gold.is_related() == pred.is_related() {
                    earned += 0.25 * n;
                }
                if gold.is_related() && gold == pred {
                    earned += 0.75 * n;
                }
            }
        }
        (earned, best)
    }

    /// The FNC-1 weighted score divided by its maximum, in [0, 1].
    pub fn weighted_score(&self) -> f64 {
        let (earned, best) = self.weighted_points();
        if best == 0.0 {
            0.0
        } else {
            earned / best
        }
    }
}

impl fmt::Display for StanceReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (earned, best) = self.weighted_points();
        writeln!(f, "FNC-1: {} pairs", self.pairs())?;
        writeln!(f)?;
        write!(f, "{}", self.confusion)?;
        writeln!(
            f,
            "FNC-1 weighted score {:.4} ({earned:.2} of {best:.2})",
            self.weighted_score()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_fixture(dir: &Path, stances: &str) {
        std::fs::write(
            dir.join("train_bodies.csv"),
            "Body ID,articleBody\n\
             1,\"The minister denied it.\n\nHe said so on Monday.\"\n\
             2,\"A cat won a prize.\"\n",
        )
        .unwrap();
        std::fs::write(dir.join("train_stances.csv"), stances).unwrap();
    }

    const STANCES: &str = "Headline,Body ID,Stance\n\
        Minister resigns,1,disagree\n\
        Minister resigns,2,unrelated\n\
        Minister resigns again,1,agree\n\
        \"Minister, resigned\",1,discuss\n";

    #[test]
    fn reads_bodies_with_newlines_and_maps_relations() {
        let dir = tempfile::tempdir().unwrap();
        write_fixture(dir.path(), STANCES);
        let data = load(dir.path()).unwrap();
        assert_eq!(data.pairs.len(), 4);
        assert_eq!(
            data.body(&data.pairs[0]),
            "The minister denied it.\n\nHe said so on Monday."
        );
        assert_eq!(data.pairs[3].headline, "Minister, resigned");
        let perfect = [
            Relation::Contradicts,
            Relation::Unrelated,
            Relation::Supports,
            Relation::Reports,
        ];
        let report = score(&data, &perfect).unwrap();
        assert_eq!(report.accuracy(), 1.0);
        assert_eq!(report.weighted_score(), 1.0);
    }

    #[test]
    fn weighted_score_by_hand() {
        let dir = tempfile::tempdir().unwrap();
        write_fixture(dir.path(), STANCES);
        let data = load(dir.path()).unwrap();
        // gold: disagree, unrelated, agree, discuss. Best = 1 + 0.25 + 1 + 1 = 3.25.
        // disagree→agree: related right, class wrong: 0.25
        // unrelated→discuss: 0
        // agree→agree: 1
        // discuss→unrelated: 0
        let predicted = [
            Relation::Supports,
            Relation::Reports,
            Relation::Supports,
            Relation::Unrelated,
        ];
        let report = score(&data, &predicted).unwrap();
        assert_eq!(report.weighted_points(), (1.25, 3.25));
        assert!((report.weighted_score() - 1.25 / 3.25).abs() < 1e-12);
        assert_eq!(
            report
                .confusion
                .count(FncStance::Disagree, FncStance::Agree),
            1
        );
        let agree = report.class(FncStance::Agree);
        assert_eq!((agree.precision, agree.recall), (0.5, 1.0));
        let shown = report.to_string();
        assert!(shown.contains("FNC-1 weighted score 0.3846"), "{shown}");
    }

    #[test]
    fn evaluate_calls_the_classifier_with_headline_and_body() {
        let dir = tempfile::tempdir().unwrap();
        write_fixture(dir.path(), STANCES);
        let report = evaluate(dir.path(), |headline, body| {
            if body.contains("denied") && headline == "Minister resigns" {
                Relation::Contradicts
            } else {
                Relation::Unrelated
            }
        })
        .unwrap();
        assert_eq!(report.pairs(), 4);
        assert_eq!(report.class(FncStance::Disagree).f1, 1.0);
    }

    #[test]
    fn unknown_stance_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        write_fixture(
            dir.path(),
            "Headline,Body ID,Stance\nA,1,agree\nB,2,maybe\n",
        );
        let err = load(dir.path()).unwrap_err().to_string();
        assert!(
            err.ends_with("train_stances.csv:3: unknown stance 'maybe'"),
            "{err}"
        );
    }

    #[test]
    fn unknown_body_and_wrong_prediction_count_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        write_fixture(dir.path(), "Headline,Body ID,Stance\nA,9,agree\n");
        let err = load(dir.path()).unwrap_err().to_string();
        assert!(
            err.ends_with("train_stances.csv:2: unknown Body ID '9'"),
            "{err}"
        );
        write_fixture(dir.path(), STANCES);
        let data = load(dir.path()).unwrap();
        assert!(matches!(
            score(&data, &[Relation::Supports]),
            Err(EvalError::Prediction(_))
        ));
    }
}
