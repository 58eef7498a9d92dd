//! Emergent stance evaluation: does a news headline assert (for), deny
//! (against) or only report (observing) a rumoured claim?
//!
//! The input is one CSV file with the columns `claimHeadline`,
//! `articleHeadline` and `articleHeadlineStance` (`for`, `against`,
//! `observing`); other columns are ignored.
//!
//! gainsay's [`Relation`] maps as contradicts → against, supports → for,
//! reports → observing. Emergent's headlines were collected as articles
//! about their claim: every pair is related by construction, so `gainsay
//! eval emergent` relates them in the known-related mode (`check --pairs
//! --related`, [`crate::matcher::Matcher::relate_known`]), which decides
//! among contradicts, supports and reports only, and says so in its output.
//! An `unrelated` prediction (only for a headline with nothing to read, or
//! from a caller of [`score`] that does not use the mode) has no gold
//! counterpart: it is kept as its own predicted label and always counts as
//! wrong. The confusion matrix is therefore 3 gold rows × 4 predicted
//! columns.

use super::{ClassScores, Confusion, EvalError, Label};
use crate::model::Relation;
use std::fmt;
use std::path::Path;

/// A gold Emergent stance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EmergentStance {
    For,
    Against,
    Observing,
}

impl Label for EmergentStance {
    const ALL: &'static [Self] = &[
        EmergentStance::For,
        EmergentStance::Against,
        EmergentStance::Observing,
    ];
    fn name(self) -> &'static str {
        match self {
            EmergentStance::For => "for",
            EmergentStance::Against => "against",
            EmergentStance::Observing => "observing",
        }
    }
}

impl EmergentStance {
    pub fn parse(s: &str) -> Option<EmergentStance> {
        EmergentStance::ALL.iter().copied().find(|l| l.name() == s)
    }
}

/// A predicted label: a gold stance, or `unrelated`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EmergentPrediction {
    For,
    Against,
    Observing,
    Unrelated,
}

impl Label for EmergentPrediction {
    const ALL: &'static [Self] = &[
        EmergentPrediction::For,
        EmergentPrediction::Against,
        EmergentPrediction::Observing,
        EmergentPrediction::Unrelated,
    ];
    fn name(self) -> &'static str {
        match self {
            EmergentPrediction::For => "for",
            EmergentPrediction::Against => "against",
            EmergentPrediction::Observing => "observing",
            EmergentPrediction::Unrelated => "unrelated",
        }
    }
}

impl EmergentPrediction {
    pub fn from_relation(relation: Relation) -> EmergentPrediction {
        match relation {
            Relation::Contradicts => EmergentPrediction::Against,
            Relation::Supports => EmergentPrediction::For,
            Relation::Reports => EmergentPrediction::Observing,
            Relation::Unrelated => EmergentPrediction::Unrelated,
        }
    }
}

/// One labelled (claim, headline) pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmergentPair {
    pub claim: String,
    pub headline: String,
    pub stance: EmergentStance,
}

/// Reads the pairs of an Emergent CSV file.
pub fn load(file: &Path) -> Result<Vec<EmergentPair>, EvalError> {
    let mut reader = csv::Reader::from_path(file).map_err(|e| EvalError::csv(file, e))?;
    let headers = reader
        .headers()
        .map_err(|e| EvalError::csv(file, e))?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
            .ok_or_else(|| EvalError::malformed(file, 1, format!("no column '{name}'")))
    };
    let claim_col = column("claimHeadline")?;
    let headline_col = column("articleHeadline")?;
    let stance_col = column("articleHeadlineStance")?;
    let mut pairs = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| EvalError::csv(file, e))?;
        let line = record.position().map_or(0, |p| p.line());
        let (Some(claim), Some(headline), Some(stance)) = (
            record.get(claim_col),
            record.get(headline_col),
            record.get(stance_col),
        ) else {
            return Err(EvalError::malformed(file, line, "missing field"));
        };
        let stance = EmergentStance::parse(stance.trim()).ok_or_else(|| {
            EvalError::malformed(file, line, format!("unknown stance '{stance}'"))
        })?;
        pairs.push(EmergentPair {
            claim: claim.to_string(),
            headline: headline.to_string(),
            stance,
        });
    }
    Ok(pairs)
}

/// Scores one prediction per pair, in order.
pub fn score(
    pairs: &[EmergentPair],
    predictions: &[Relation],
) -> Result<EmergentReport, EvalError> {
    if predictions.len() != pairs.len() {
        return Err(EvalError::Prediction(format!(
            "{} predictions for {} pairs",
            predictions.len(),
            pairs.len()
        )));
    }
    let mut confusion = Confusion::new();
    for (pair, &relation) in pairs.iter().zip(predictions) {
        confusion.add(pair.stance, EmergentPrediction::from_relation(relation));
    }
    Ok(EmergentReport { confusion })
}

/// Reads `file` and classifies each (claim, headline) pair in turn.
pub fn evaluate(
    file: &Path,
    classify: impl Fn(&str, &str) -> Relation + Sync,
) -> Result<EmergentReport, EvalError> {
    let pairs = load(file)?;
    let predictions: Vec<Relation> = pairs
        .iter()
        .map(|p| classify(&p.claim, &p.headline))
        .collect();
    score(&pairs, &predictions)
}

/// Emergent results: accuracy, per-class scores and the 3 × 4 matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmergentReport {
    pub confusion: Confusion<EmergentStance, EmergentPrediction>,
}

impl EmergentReport {
    pub fn pairs(&self) -> usize {
        self.confusion.total()
    }

    pub fn accuracy(&self) -> f64 {
        self.confusion.accuracy()
    }

    pub fn class(&self, stance: EmergentStance) -> ClassScores {
        self.confusion.class_scores(stance)
    }
}

impl fmt::Display for EmergentReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Emergent: {} pairs", self.pairs())?;
        writeln!(f)?;
        write!(f, "{}", self.confusion)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "id,claimHeadline,articleHeadline,articleHeadlineStance,articleId,claimId\n\
        0,Apple will sell 19 million watches,\"BMO forecasts 19M sales, holiday\",observing,a,c\n\
        1,A burger lasted 20 years,World's oldest burger,for,b,d\n\
        2,A burger lasted 20 years,Burger story is a hoax,against,e,d\n\
        3,A burger lasted 20 years,Men keep burger,for,f,d\n";

    #[test]
    fn confusion_counts_with_unrelated_column() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("emergent.csv");
        std::fs::write(&file, CSV).unwrap();
        let report = evaluate(&file, |_claim, headline| {
            if headline.contains("hoax") {
                Relation::Contradicts
            } else if headline.contains("oldest") {
                Relation::Supports
            } else if headline.contains("BMO") {
                Relation::Unrelated
            } else {
                Relation::Reports
            }
        })
        .unwrap();
        let c = &report.confusion;
        assert_eq!(report.pairs(), 4);
        assert_eq!(c.count(EmergentStance::For, EmergentPrediction::For), 1);
        assert_eq!(
            c.count(EmergentStance::For, EmergentPrediction::Observing),
            1
        );
        assert_eq!(
            c.count(EmergentStance::Against, EmergentPrediction::Against),
            1
        );
        assert_eq!(
            c.count(EmergentStance::Observing, EmergentPrediction::Unrelated),
            1
        );
        assert_eq!(report.accuracy(), 0.5);
        let observing = report.class(EmergentStance::Observing);
        assert_eq!((observing.precision, observing.recall), (0.0, 0.0));
        let for_ = report.class(EmergentStance::For);
        assert_eq!((for_.precision, for_.recall), (1.0, 0.5));
        let shown = report.to_string();
        assert!(shown.contains("unrelated"), "{shown}");
    }

    #[test]
    fn unknown_stance_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("emergent.csv");
        std::fs::write(
            &file,
            "claimHeadline,articleHeadline,articleHeadlineStance\na,b,for\na,c,maybe\n",
        )
        .unwrap();
        let err = load(&file).unwrap_err().to_string();
        assert!(
            err.ends_with("emergent.csv:3: unknown stance 'maybe'"),
            "{err}"
        );
    }
}
