//! Source audits: per canonical source, what it claimed and how, whom it
//! denied, who contradicted it, which of its allegations nobody answered,
//! and the outlets that carried it.

use crate::model::{ClaimRecord, PairKind, PairRecord, Stance};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// One source's record.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct SourceAudit {
    pub source: String,
    /// Names and mentions it appeared under.
    pub names: Vec<String>,
    pub claims: usize,
    pub asserts: usize,
    pub alleges: usize,
    pub denies: usize,
    pub reports: usize,
    /// Pairs in which this source's claim opposes an earlier one (denials, refutations).
    pub denials_issued: usize,
    /// Sources whose claims it opposed.
    pub opposed: Vec<String>,
    /// Pairs in which this source's claim is opposed.
    pub contradicted: usize,
    /// Sources that opposed it.
    pub contradicted_by: Vec<String>,
    /// Ids of its allegations no pair answers.
    pub unanswered: Vec<String>,
    pub channels: Vec<String>,
    pub docs: Vec<String>,
}

fn key(c: &ClaimRecord) -> String {
    c.source
        .as_ref()
        .map_or_else(|| "(unattributed)".to_string(), |s| s.canonical.clone())
}

/// Allegations that no pair answers, in claim order.
pub fn unanswered(claims: &[ClaimRecord], pairs: &[PairRecord]) -> Vec<ClaimRecord> {
    let answered: HashSet<&str> = pairs
        .iter()
        .flat_map(|p| [p.a.id.as_str(), p.b.id.as_str()])
        .collect();
    claims
        .iter()
        .filter(|c| c.stance == Stance::Alleges && !answered.contains(c.id.as_str()))
        .cloned()
        .collect()
}

/// Audits of every source, in name order.
pub fn audit(claims: &[ClaimRecord], pairs: &[PairRecord]) -> Vec<SourceAudit> {
    let mut by: BTreeMap<String, SourceAudit> = BTreeMap::new();
    let mut names: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut channels: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut docs: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for c in claims {
        let k = key(c);
        let a = by.entry(k.clone()).or_insert_with(|| SourceAudit {
            source: k.clone(),
            ..SourceAudit::default()
        });
        a.claims += 1;
        match c.stance {
            Stance::Asserts => a.asserts += 1,
            Stance::Alleges => a.alleges += 1,
            Stance::Denies => a.denies += 1,
            Stance::Reports => a.reports += 1,
        }
        if let Some(s) = &c.source {
            names.entry(k.clone()).or_default().insert(s.text.clone());
            if let Some(m) = &s.mention {
                names.entry(k.clone()).or_default().insert(m.text.clone());
            }
        }
        if let Some(ch) = &c.channel {
            channels.entry(k.clone()).or_default().insert(ch.clone());
        }
        docs.entry(k).or_default().insert(c.doc.clone());
    }
    let mut opposed: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut by_whom: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for p in pairs {
        let (ka, kb) = (key(&p.a), key(&p.b));
        let denial = matches!(p.kind, PairKind::Denial | PairKind::Refutation);
        if let Some(b) = by.get_mut(&kb) {
            if denial {
                b.denials_issued += 1;
            }
        }
        if let Some(a) = by.get_mut(&ka) {
            a.contradicted += 1;
        }
        opposed.entry(kb.clone()).or_default().insert(ka.clone());
        by_whom.entry(ka).or_default().insert(kb);
    }
    for c in unanswered(claims, pairs) {
        if let Some(a) = by.get_mut(&key(&c)) {
            a.unanswered.push(c.id.clone());
        }
    }
    for (k, a) in by.iter_mut() {
        a.names = names
            .remove(k)
            .map(|s| s.into_iter().collect())
            .unwrap_or_default();
        a.channels = channels
            .remove(k)
            .map(|s| s.into_iter().collect())
            .unwrap_or_default();
        a.docs = docs
            .remove(k)
            .map(|s| s.into_iter().collect())
            .unwrap_or_default();
        a.opposed = opposed
            .remove(k)
            .map(|s| s.into_iter().collect())
            .unwrap_or_default();
        a.contradicted_by = by_whom
            .remove(k)
            .map(|s| s.into_iter().collect())
            .unwrap_or_default();
    }
    by.into_values().collect()
}
