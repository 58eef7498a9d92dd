//! Scoring the pipeline against the project's own gold annotations in
//! `data/gold/<stem>.toml` (format in `data/README.md`): claims found with
//! the right source and stance, pairs found with the right kind, pairs that
//! must not be made, and allegations that must stand unanswered.
//!
//! Gold strings are exact substrings of the article; they are located in
//! the text and compared with predicted spans by overlap (at least half of
//! the shorter span), the same convention as the PolNeAR evaluation.

use super::EvalError;
use crate::audit::unanswered;
use crate::ingest::{document_from_text, ingest};
use crate::model::{ClaimRecord, Document, PairRecord};
use crate::rules::Rules;
use crate::store::{ClaimFilter, PairFilter, Store};
use serde::Deserialize;
use std::fmt;
use std::path::Path;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GoldFile {
    #[serde(default)]
    claim: Vec<GoldClaim>,
    #[serde(default)]
    pair: Vec<GoldPair>,
    #[serde(default)]
    not_pair: Vec<GoldPair>,
    #[serde(default)]
    unanswered: Vec<GoldUnanswered>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoldClaim {
    pub content: String,
    pub source: Option<String>,
    pub resolved: Option<String>,
    pub cue: Option<String>,
    pub stance: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoldPair {
    pub a: String,
    pub a_doc: String,
    pub b: String,
    pub b_doc: String,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub why: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoldUnanswered {
    pub content: String,
}

/// Figures and the misses behind them.
#[derive(Debug, Default, Clone)]
pub struct GoldReport {
    pub claims: usize,
    pub claims_found: usize,
    pub sources_right: usize,
    pub stances_right: usize,
    pub pairs: usize,
    pub pairs_found: usize,
    pub kinds_right: usize,
    pub predicted_pairs: usize,
    pub predicted_pairs_matching_gold: usize,
    pub not_pairs: usize,
    pub not_pairs_made: usize,
    pub unanswered: usize,
    pub unanswered_found: usize,
    /// Human-readable lines for every miss.
    pub misses: Vec<String>,
}

impl GoldReport {
    pub fn pair_recall(&self) -> f64 {
        super::ratio(self.pairs_found, self.pairs)
    }
    pub fn claim_recall(&self) -> f64 {
        super::ratio(self.claims_found, self.claims)
    }
}

impl fmt::Display for GoldReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "claims found          {}/{} ({:.2})",
            self.claims_found,
            self.claims,
            self.claim_recall()
        )?;
        writeln!(
            f,
            "  source right        {}/{}",
            self.sources_right, self.claims_found
        )?;
        writeln!(
            f,
            "  stance right        {}/{}",
            self.stances_right, self.claims_found
        )?;
        writeln!(
            f,
            "pairs found           {}/{} ({:.2})",
            self.pairs_found,
            self.pairs,
            self.pair_recall()
        )?;
        writeln!(
            f,
            "  kind right          {}/{}",
            self.kinds_right, self.pairs_found
        )?;
        writeln!(
            f,
            "predicted pairs       {} ({} are gold pairs)",
            self.predicted_pairs, self.predicted_pairs_matching_gold
        )?;
        writeln!(
            f,
            "not-pairs made        {}/{}",
            self.not_pairs_made, self.not_pairs
        )?;
        writeln!(
            f,
            "unanswered found      {}/{}",
            self.unanswered_found, self.unanswered
        )?;
        for m in &self.misses {
            writeln!(f, "  - {m}")?;
        }
        Ok(())
    }
}

/// Every `*.txt` in `dir` with its gold file `dir/gold/<stem>.toml`.
pub fn load(dir: &Path) -> Result<Vec<(Document, Option<String>)>, EvalError> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| EvalError::io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for p in paths {
        let text = std::fs::read_to_string(&p).map_err(|e| EvalError::io(&p, e))?;
        let key = p.display().to_string();
        let stem = p
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let gold_path = dir.join("gold").join(format!("{stem}.toml"));
        let gold = std::fs::read_to_string(&gold_path).ok();
        out.push((document_from_text(&key, text), gold));
    }
    Ok(out)
}

fn stem_of(key: &str) -> String {
    Path::new(key)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Character span of `needle` in `hay`, if present.
fn find_chars(hay: &str, needle: &str) -> Option<(usize, usize)> {
    let b = hay.find(needle)?;
    let start = hay[..b].chars().count();
    Some((start, start + needle.chars().count()))
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    let inter = a.1.min(b.1).saturating_sub(a.0.max(b.0));
    let shorter = (a.1 - a.0).min(b.1 - b.0).max(1);
    inter * 2 >= shorter
}

/// Runs the whole pipeline over `dir` in an in-memory store and scores it.
pub fn evaluate(dir: &Path, rules: &Rules) -> Result<GoldReport, EvalError> {
    let docs = load(dir)?;
    let mut store = Store::open_in_memory().map_err(|e| EvalError::Prediction(e.to_string()))?;
    let batch: Vec<(Document, Option<Vec<ClaimRecord>>)> =
        docs.iter().map(|(d, _)| (d.clone(), None)).collect();
    ingest(&mut store, rules, batch).map_err(|e| EvalError::Prediction(e.to_string()))?;
    let claims = store
        .claims(&ClaimFilter::default())
        .map_err(|e| EvalError::Prediction(e.to_string()))?;
    let pairs = store
        .pairs(&PairFilter::default())
        .map_err(|e| EvalError::Prediction(e.to_string()))?;
    let mut report = GoldReport {
        predicted_pairs: pairs.len(),
        ..GoldReport::default()
    };
    let text_of = |stem: &str| {
        docs.iter()
            .find(|(d, _)| stem_of(&d.key) == stem)
            .map(|(d, _)| d)
    };
    let locate = |stem: &str, s: &str| -> Option<(String, (usize, usize))> {
        let d = text_of(stem)?;
        find_chars(&d.text, s).map(|span| (d.key.clone(), span))
    };
    let claim_at = |doc: &str, span: (usize, usize)| -> Option<&ClaimRecord> {
        claims
            .iter()
            .filter(|c| c.doc == doc && overlaps((c.content.start, c.content.end), span))
            .min_by_key(|c| (c.content.end - c.content.start).abs_diff(span.1 - span.0))
    };
    let pair_of =
        |a: (String, (usize, usize)), b: (String, (usize, usize))| -> Option<&PairRecord> {
            let hit = |c: &ClaimRecord, x: &(String, (usize, usize))| {
                c.doc == x.0 && overlaps((c.content.start, c.content.end), x.1)
            };
            pairs
                .iter()
                .find(|p| hit(&p.a, &a) && hit(&p.b, &b) || hit(&p.a, &b) && hit(&p.b, &a))
        };
    let mut gold_pair_ids = std::collections::HashSet::new();
    for (doc, gold) in &docs {
        let Some(gold) = gold else { continue };
        let stem = stem_of(&doc.key);
        let g: GoldFile = toml::from_str(gold).map_err(|e| EvalError::Malformed {
            path: dir.join("gold").join(format!("{stem}.toml")),
            line: e
                .span()
                .map_or(0, |s| crate::rules::line_col(gold, s.start).0 as u64),
            message: e.message().to_string(),
        })?;
        for c in &g.claim {
            report.claims += 1;
            let Some((key, span)) = locate(&stem, &c.content) else {
                report
                    .misses
                    .push(format!("{stem}: gold claim not in text: {:?}", c.content));
                continue;
            };
            let Some(p) = claim_at(&key, span) else {
                report
                    .misses
                    .push(format!("{stem}: claim not found: {:?}", clip(&c.content)));
                continue;
            };
            report.claims_found += 1;
            let want = c.resolved.as_deref().or(c.source.as_deref()).unwrap_or("");
            let head = want.split_whitespace().last().unwrap_or("").to_lowercase();
            let got = p
                .source
                .as_ref()
                .map(|s| {
                    format!(
                        "{} {} {}",
                        s.text,
                        s.canonical,
                        s.mention.as_ref().map_or("", |m| m.text.as_str())
                    )
                    .to_lowercase()
                })
                .unwrap_or_default();
            if head.is_empty() || got.contains(&head) {
                report.sources_right += 1;
            } else {
                report.misses.push(format!(
                    "{stem}: source of {:?}: want {want:?}, got {got:?}",
                    clip(&c.content)
                ));
            }
            if c.stance.as_deref().is_none_or(|s| s == p.stance.as_str()) {
                report.stances_right += 1;
            } else {
                report.misses.push(format!(
                    "{stem}: stance of {:?}: want {}, got {}",
                    clip(&c.content),
                    c.stance.as_deref().unwrap_or(""),
                    p.stance
                ));
            }
        }
        for gp in &g.pair {
            report.pairs += 1;
            let (Some(a), Some(b)) = (locate(&gp.a_doc, &gp.a), locate(&gp.b_doc, &gp.b)) else {
                report.misses.push(format!(
                    "{stem}: gold pair not in text: {:?} / {:?}",
                    gp.a, gp.b
                ));
                continue;
            };
            match pair_of(a, b) {
                Some(p) => {
                    report.pairs_found += 1;
                    gold_pair_ids.insert(p.id.clone());
                    if gp.kind.as_deref().is_none_or(|k| k == p.kind.as_str()) {
                        report.kinds_right += 1;
                    } else {
                        report.misses.push(format!(
                            "{stem}: pair {:?} / {:?}: kind {} (gold {})",
                            clip(&gp.a),
                            clip(&gp.b),
                            p.kind,
                            gp.kind.as_deref().unwrap_or("")
                        ));
                    }
                }
                None => report.misses.push(format!(
                    "{stem}: pair not found ({}): {:?} / {:?}",
                    gp.kind.as_deref().unwrap_or("?"),
                    clip(&gp.a),
                    clip(&gp.b)
                )),
            }
        }
        for np in &g.not_pair {
            report.not_pairs += 1;
            if let (Some(a), Some(b)) = (locate(&np.a_doc, &np.a), locate(&np.b_doc, &np.b)) {
                if let Some(p) = pair_of(a, b) {
                    report.not_pairs_made += 1;
                    report.misses.push(format!(
                        "{stem}: paired but must not be ({}): {:?} / {:?}",
                        p.id,
                        clip(&np.a),
                        clip(&np.b)
                    ));
                }
            }
        }
        let open = unanswered(&claims, &pairs);
        for u in &g.unanswered {
            report.unanswered += 1;
            let Some((key, span)) = locate(&stem, &u.content) else {
                continue;
            };
            if open
                .iter()
                .any(|c| c.doc == key && overlaps((c.content.start, c.content.end), span))
            {
                report.unanswered_found += 1;
            } else {
                report.misses.push(format!(
                    "{stem}: not listed as unanswered: {:?}",
                    clip(&u.content)
                ));
            }
        }
    }
    report.predicted_pairs_matching_gold = gold_pair_ids.len();
    for p in &pairs {
        if !gold_pair_ids.contains(&p.id) {
            report.misses.push(format!(
                "extra pair {} ({}): {:?} / {:?}",
                p.id,
                p.kind,
                clip(&p.a.content.text),
                clip(&p.b.content.text)
            ));
        }
    }
    Ok(report)
}

fn clip(s: &str) -> String {
    crate::report::clip(s, 70)
}
