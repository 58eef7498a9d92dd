//! Evaluation against labelled corpora: PolNeAR for extraction ([`polnear`]),
//! FNC-1 ([`fnc1`]) and Emergent ([`emergent`]) for claim-versus-text stance.
//!
//! The evaluators never call gainsay's extractor or matcher themselves: they
//! take the predictor as a closure, so they can be tested with fake
//! predictors and cannot be tuned to one implementation. The scoring
//! conventions are those of `../shared/data/README.md`; each submodule
//! documents how it applies them.
//!
//! Shared here: [`EvalError`], which names the file and line of bad input,
//! and [`Confusion`], the gold × predicted count matrix with per-class
//! precision, recall and F1 that both stance evaluators report.

pub mod emergent;
pub mod fnc1;
pub mod gold;
pub mod polnear;

use std::fmt;
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

/// Why an evaluation could not run.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// A file or directory could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Input that was read but does not follow the format, at a 1-based line.
    #[error("{}:{line}: {message}", path.display())]
    Malformed {
        path: PathBuf,
        line: u64,
        message: String,
    },
    /// Something the evaluation needs is absent (no annotations, no CSV pair).
    #[error("{}: {message}", path.display())]
    Missing { path: PathBuf, message: String },
    /// The predictor returned something that cannot be scored (a span outside
    /// the text, the wrong number of labels).
    #[error("prediction: {0}")]
    Prediction(String),
}

impl EvalError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> EvalError {
        EvalError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    pub(crate) fn malformed(path: &Path, line: u64, message: impl Into<String>) -> EvalError {
        EvalError::Malformed {
            path: path.to_path_buf(),
            line,
            message: message.into(),
        }
    }

    /// A CSV error, placed at its line when the csv crate knows it.
    pub(crate) fn csv(path: &Path, err: csv::Error) -> EvalError {
        let line = err.position().map(|p| p.line()).unwrap_or(0);
        match err.into_kind() {
            csv::ErrorKind::Io(source) => EvalError::io(path, source),
            kind => EvalError::malformed(path, line, format!("{kind:?}")),
        }
    }
}

/// `part / whole`, and 0 when there is nothing to divide.
pub fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// Harmonic mean of precision and recall; 0 when both are 0.
pub fn f1(precision: f64, recall: f64) -> f64 {
    if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    }
}

/// A closed set of class labels, in the order reports print them.
pub trait Label: Copy + Eq + 'static {
    /// Every label, in display order.
    const ALL: &'static [Self];
    /// The dataset's spelling of the label. A gold and a predicted label are
    /// the same class exactly when their names are equal.
    fn name(self) -> &'static str;

    /// Position in [`Label::ALL`].
    fn index(self) -> usize {
        Self::ALL
            .iter()
            .position(|&l| l == self)
            .expect("Label::ALL lists every label")
    }
}

/// Precision, recall and F1 of one class.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClassScores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Gold items of the class.
    pub support: usize,
}

/// Counts of gold label `G` (rows) against predicted label `P` (columns).
///
/// `P` may have labels `G` lacks (Emergent's `unrelated` prediction): such a
/// column is always wrong. Classes are matched by [`Label::name`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confusion<G: Label, P: Label = G> {
    /// Row-major: `counts[g.index() * P::ALL.len() + p.index()]`.
    counts: Vec<usize>,
    labels: PhantomData<(G, P)>,
}

impl<G: Label, P: Label> Default for Confusion<G, P> {
    fn default() -> Self {
        Confusion {
            counts: vec![0; G::ALL.len() * P::ALL.len()],
            labels: PhantomData,
        }
    }
}

impl<G: Label, P: Label> Confusion<G, P> {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, gold: G, predicted: P) {
        self.counts[gold.index() * P::ALL.len() + predicted.index()] += 1;
    }

    pub fn count(&self, gold: G, predicted: P) -> usize {
        self.counts[gold.index() * P::ALL.len() + predicted.index()]
    }

    pub fn total(&self) -> usize {
        self.counts.iter().sum()
    }

    /// Items whose predicted label has the gold label's name.
    pub fn correct(&self) -> usize {
        G::ALL
            .iter()
            .flat_map(|&g| P::ALL.iter().map(move |&p| (g, p)))
            .filter(|(g, p)| g.name() == p.name())
            .map(|(g, p)| self.count(g, p))
            .sum()
    }

    pub fn accuracy(&self) -> f64 {
        ratio(self.correct(), self.total())
    }

    /// Gold items of class `gold`.
    pub fn gold_count(&self, gold: G) -> usize {
        P::ALL.iter().map(|&p| self.count(gold, p)).sum()
    }

    /// Items predicted as `predicted`.
    pub fn predicted_count(&self, predicted: P) -> usize {
        G::ALL.iter().map(|&g| self.count(g, predicted)).sum()
    }

    /// Precision, recall and F1 of the gold class `class`. A class no
    /// predicted label names has precision and recall 0.
    pub fn class_scores(&self, class: G) -> ClassScores {
        let support = self.gold_count(class);
        let (tp, predicted) = match P::ALL.iter().find(|p| p.name() == class.name()) {
            Some(&p) => (self.count(class, p), self.predicted_count(p)),
            None => (0, 0),
        };
        let precision = ratio(tp, predicted);
        let recall = ratio(tp, support);
        ClassScores {
            precision,
            recall,
            f1: f1(precision, recall),
            support,
        }
    }

    /// Unweighted mean F1 over the gold classes.
    pub fn macro_f1(&self) -> f64 {
        let sum: f64 = G::ALL.iter().map(|&g| self.class_scores(g).f1).sum();
        sum / G::ALL.len() as f64
    }
}

/// The matrix (gold rows, predicted columns), then one line of scores per
/// gold class, then accuracy and macro F1.
impl<G: Label, P: Label> fmt::Display for Confusion<G, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let width = G::ALL
            .iter()
            .map(|g| g.name().len())
            .chain(P::ALL.iter().map(|p| p.name().len()))
            .max()
            .unwrap_or(0)
            .max(9);
        write!(f, "{:>width$}", "gold\\pred")?;
        for p in P::ALL {
            write!(f, " {:>width$}", p.name())?;
        }
        writeln!(f)?;
        for &g in G::ALL {
            write!(f, "{:>width$}", g.name())?;
            for &p in P::ALL {
                write!(f, " {:>width$}", self.count(g, p))?;
            }
            writeln!(f)?;
        }
        writeln!(f)?;
        writeln!(
            f,
            "{:>width$} {:>9} {:>9} {:>9} {:>9}",
            "class", "precision", "recall", "f1", "support"
        )?;
        for &g in G::ALL {
            let s = self.class_scores(g);
            writeln!(
                f,
                "{:>width$} {:>9.3} {:>9.3} {:>9.3} {:>9}",
                g.name(),
                s.precision,
                s.recall,
                s.f1,
                s.support
            )?;
        }
        writeln!(f)?;
        writeln!(
            f,
            "accuracy {:.3} ({} of {}), macro F1 {:.3}",
            self.accuracy(),
            self.correct(),
            self.total(),
            self.macro_f1()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Gold {
        A,
        B,
    }
    impl Label for Gold {
        const ALL: &'static [Self] = &[Gold::A, Gold::B];
        fn name(self) -> &'static str {
            match self {
                Gold::A => "a",
                Gold::B => "b",
            }
        }
    }
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Pred {
        A,
        B,
        X,
    }
    impl Label for Pred {
        const ALL: &'static [Self] = &[Pred::A, Pred::B, Pred::X];
        fn name(self) -> &'static str {
            match self {
                Pred::A => "a",
                Pred::B => "b",
                Pred::X => "x",
            }
        }
    }

    #[test]
    fn per_class_scores_and_accuracy() {
        let mut c = Confusion::<Gold, Pred>::new();
        c.add(Gold::A, Pred::A);
        c.add(Gold::A, Pred::A);
        c.add(Gold::A, Pred::B);
        c.add(Gold::B, Pred::A);
        c.add(Gold::B, Pred::X);
        assert_eq!(c.total(), 5);
        assert_eq!(c.correct(), 2);
        let a = c.class_scores(Gold::A);
        assert!((a.precision - 2.0 / 3.0).abs() < 1e-9);
        assert!((a.recall - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(a.support, 3);
        let b = c.class_scores(Gold::B);
        assert_eq!((b.precision, b.recall, b.f1), (0.0, 0.0, 0.0));
        let shown = c.to_string();
        assert!(shown.contains("gold\\pred"), "{shown}");
        assert!(shown.contains("accuracy 0.400 (2 of 5)"), "{shown}");
    }

    #[test]
    fn errors_name_file_and_line() {
        let e = EvalError::malformed(Path::new("train_stances.csv"), 17, "unknown stance 'maybe'");
        assert_eq!(
            e.to_string(),
            "train_stances.csv:17: unknown stance 'maybe'"
        );
    }

    /// Runs every evaluator on the development data with trivial predictors,
    /// to check that everything reads. Needs `../shared/data` (or
    /// `GAINSAY_DATA`): `cargo test --lib eval::tests::real_data -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn real_data() {
        let data = std::env::var_os("GAINSAY_DATA")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
        if !data.is_dir() {
            eprintln!("no data at {}: skipped", data.display());
            return;
        }
        for split in ["dev", "train"] {
            let report =
                polnear::evaluate(&data.join("polnear").join(split), said_baseline).unwrap();
            println!("{split}\n{report}");
            assert!(report.all.gold > 1000);
        }
        let fnc =
            fnc1::evaluate(&data.join("fnc1"), |_, _| crate::model::Relation::Unrelated).unwrap();
        println!("{fnc}");
        assert_eq!(fnc.pairs(), 42_690);
        let emergent = emergent::evaluate(&data.join("emergent/emergent_train.csv"), |_, _| {
            crate::model::Relation::Reports
        })
        .unwrap();
        println!("{emergent}");
        assert_eq!(emergent.pairs(), 2_060);
    }

    /// Every sentence containing the word "said" is a claim whose content is
    /// the whole sentence, with "said" as its cue and no source. (Matching
    /// the literal `" said "` instead misses "he said." and "said," and
    /// gives dev speech content F1 0.44 rather than 0.60.)
    fn said_baseline(doc: &crate::model::Document) -> Vec<crate::model::ClaimRecord> {
        use crate::model::{ClaimRecord, Excerpt, Polarity, QuoteKind, Stance};
        let chars: Vec<char> = doc.text.chars().collect();
        let excerpt = |start: usize, end: usize| Excerpt {
            text: chars[start..end].iter().collect(),
            start,
            end,
        };
        let mut sentences = Vec::new();
        let mut start = 0;
        for i in 0..chars.len() {
            let next_blank = chars.get(i + 1).is_none_or(|c| c.is_whitespace());
            if chars[i] == '\n' || (matches!(chars[i], '.' | '!' | '?') && next_blank) {
                sentences.push((start, i + 1));
                start = i + 1;
            }
        }
        sentences.push((start, chars.len()));
        let mut claims = Vec::new();
        for (start, end) in sentences {
            let sentence: String = chars[start..end].iter().collect();
            let Some(byte) = sentence.match_indices("said").map(|(b, _)| b).find(|&b| {
                let before = sentence[..b].chars().next_back();
                let after = sentence[b + 4..].chars().next();
                before.is_none_or(|c| !c.is_alphanumeric())
                    && after.is_none_or(|c| !c.is_alphanumeric())
            }) else {
                continue;
            };
            let said = start + sentence[..byte].chars().count();
            let lead = sentence.chars().take_while(|c| c.is_whitespace()).count();
            let content = excerpt(start + lead, end);
            claims.push(ClaimRecord {
                id: format!("{}#{}", doc.key, claims.len() + 1),
                doc: doc.key.clone(),
                sentence: content.clone(),
                content,
                source: None,
                cue: Some(excerpt(said, said + 4)),
                subject: None,
                predicate: None,
                object: None,
                stance: Stance::Asserts,
                polarity: Polarity::Positive,
                hedges: Vec::new(),
                quote: QuoteKind::Indirect,
                channel: None,
                times: Vec::new(),
            });
        }
        claims
    }
}
