//! Running the examples kept beside every rule through the real pipeline.
//!
//! A cue's examples must yield a claim through that cue, its counter-examples
//! must not; a lexicon entry's examples must show its role in the claim
//! record (a negator makes a claim negative, a hedge is listed, a refuter is
//! seen by the matcher, an answer or a dismissal makes the matcher read the
//! sentence as rejecting a story); a group's or opposite's examples are sentence pairs
//! that must be paired with that rule among the evidence. `gainsay rules
//! check` and `tests/rule_examples.rs` both run them.

use crate::extract::{ExtractOptions, Extractor};
use crate::matcher::Matcher;
use crate::model::{ClaimRecord, Document, Polarity};
use crate::rules::{CueKind, ExampleKind, LexiconRole, RuleExample, Rules};
use std::fmt;

/// An example that did not behave as its rule says.
#[derive(Debug, Clone)]
pub struct ExampleFailure {
    pub place: String,
    pub rule: String,
    pub message: String,
}

impl fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.place, self.rule, self.message)
    }
}

fn claims(extractor: &Extractor<'_>, text: &str) -> Vec<ClaimRecord> {
    claims_in(extractor, "example", text)
}

fn claims_in(extractor: &Extractor<'_>, key: &str, text: &str) -> Vec<ClaimRecord> {
    extractor.extract(&Document {
        key: key.into(),
        title: None,
        outlet: None,
        url: None,
        published: None,
        text: text.to_string(),
    })
}

/// Runs every example of `rules`; returns the failures.
pub fn run(rules: &Rules) -> Vec<ExampleFailure> {
    let extractor = Extractor::new(rules);
    let statements = Extractor::with_options(rules, ExtractOptions { statements: true });
    let matcher = Matcher::new(rules);
    let mut failures = Vec::new();
    for ex in &rules.examples {
        if let Some(message) = check(rules, &extractor, &statements, &matcher, ex) {
            failures.push(ExampleFailure {
                place: ex.place.clone(),
                rule: ex.rule.clone(),
                message,
            });
        }
    }
    failures
}

fn check(
    rules: &Rules,
    extractor: &Extractor<'_>,
    statements: &Extractor<'_>,
    matcher: &Matcher<'_>,
    ex: &RuleExample,
) -> Option<String> {
    let want = ex.must_match;
    let verb = if want { "should" } else { "should not" };
    match &ex.kind {
        ExampleKind::Cue(sentence) => {
            let cue = rules.cues.iter().find(|c| c.id == ex.rule)?;
            // Participle cues hedge a statement; others make an attribution.
            let reader = if cue.kind == CueKind::Participle {
                statements
            } else {
                extractor
            };
            let found = claims(reader, sentence).iter().any(|c| {
                if cue.kind == CueKind::Participle {
                    return cue.forms.iter().any(|f| c.hedges.contains(&f.join(" ")));
                }
                let text = c
                    .cue
                    .as_ref()
                    .map(|q| q.text.to_lowercase())
                    .unwrap_or_default();
                cue.forms.iter().any(|f| text.starts_with(&f.join(" ")))
            });
            (found != want).then(|| format!("{sentence:?} {verb} yield a claim through this cue"))
        }
        ExampleKind::Lexicon(role, sentence) => {
            let cs = claims(statements, sentence);
            let shows = match role {
                LexiconRole::Negator => cs.iter().any(|c| c.polarity == Polarity::Negative),
                LexiconRole::Hedge => cs.iter().any(|c| !c.hedges.is_empty()),
                LexiconRole::Refuter => cs.iter().any(|c| !matcher.frame(c).refuters.is_empty()),
                // Answers and dismissals show in how the matcher reads the
                // sentence: it refutes or denies a story.
                LexiconRole::Answer | LexiconRole::Dismissal => matcher.rejects(sentence),
                _ => return None,
            };
            (shows != want).then(|| format!("{sentence:?} {verb} show this {role:?} in its claim"))
        }
        ExampleKind::Pair(a, b) => {
            let ca = claims_in(statements, "example-a", a);
            let cb = claims_in(statements, "example-b", b);
            let paired = ca.iter().any(|x| {
                cb.iter().any(|y| {
                    let (fx, fy) = (matcher.frame(x), matcher.frame(y));
                    let shares = fx
                        .events
                        .intersection(&fy.events)
                        .any(|e| e.ends_with(&ex.rule))
                        || fx
                            .participants
                            .intersection(&fy.participants)
                            .any(|e| e.ends_with(&ex.rule));
                    let pair = matcher.pair(x, &fx, y, &fy);
                    shares || pair.is_some_and(|p| p.evidence.rules.iter().any(|r| r == &ex.rule))
                })
            });
            (paired != want).then(|| format!("{a:?} / {b:?} {verb} be matched by this rule"))
        }
    }
}
