//! Source audits: per canonical source, what it claimed and how, whom it
//! denied, who contradicted it, which of its allegations nobody answered,
//! the outlets that carried it and when it spoke.
//!
//! A pair a reviewer dismissed is not a contradiction: [`audit`] and
//! [`record`] leave dismissed pairs out, so an allegation whose only answer
//! was dismissed counts as unanswered again.
//!
//! # Dates
//! A claim's date ([`claim_date`]) is when it was made: the resolved date of
//! a time expression in its attribution, outside the content ("denied
//! Monday", "said on Sunday"), else its document's publication date. A date
//! inside the content ("opened on March 1") is about the event, not the
//! claim. Extraction resolves relative dates against the document's date
//! (`times[].date`), so these are calendar dates.

use crate::model::{ClaimRecord, PairKind, PairRecord, ReviewStatus, Stance};
use crate::store::DocumentSummary;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// The document of every claim, by claim id (from
/// [`crate::store::Store::claim_documents`]).
pub type ClaimDocuments = HashMap<String, DocumentSummary>;

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
    /// Names it went by, without pronouns and without `people`.
    pub aliases: Vec<String>,
    /// Named people who spoke for it (a source with a role: "Col. Sean Ryan").
    pub people: Vec<String>,
    /// Sources whose claims its denials and refutations answered.
    pub denied: Vec<String>,
    /// Outlets of the documents its claims appeared in.
    pub outlets: Vec<String>,
    /// Its earliest and latest claim dates (see [`claim_date`]).
    pub first_date: Option<String>,
    pub last_date: Option<String>,
}

impl SourceAudit {
    /// Channels and document outlets together: everything that carried it.
    pub fn carried_by(&self) -> Vec<String> {
        let all: BTreeSet<&String> = self.channels.iter().chain(&self.outlets).collect();
        all.into_iter().cloned().collect()
    }
}

/// When a claim was made (see the module docs); `published` is its
/// document's date. ISO `YYYY-MM-DD` when the inputs are.
pub fn claim_date(c: &ClaimRecord, published: Option<&str>) -> Option<String> {
    let in_content = |start: usize, end: usize| start >= c.content.start && end <= c.content.end;
    c.times
        .iter()
        .find(|t| t.date.is_some() && !in_content(t.start, t.end))
        .and_then(|t| t.date.clone())
        .or_else(|| published.map(|p| p.get(..10).unwrap_or(p).to_string()))
}

/// The date of a claim, looked up in `docs`.
pub fn claim_date_in(c: &ClaimRecord, docs: &ClaimDocuments) -> Option<String> {
    claim_date(c, docs.get(&c.id).and_then(|d| d.published.as_deref()))
}

/// Whether an ISO date lies in `[since, until]`, each compared at the
/// precision given (`2019`, `2019-02`, `2019-02-04`), so `until: 2019-02`
/// includes all of February.
pub fn in_range(date: &str, since: Option<&str>, until: Option<&str>) -> bool {
    let at = |bound: &str| date.get(..bound.len()).unwrap_or(date).to_string();
    since.is_none_or(|s| at(s).as_str() >= s) && until.is_none_or(|u| at(u).as_str() <= u)
}

/// Keeps the pairs where either claim's date (see [`claim_date`]) lies in
/// `[since, until]`. Without bounds, keeps everything; with bounds, a pair
/// with no dated claim is left out.
pub fn retain_in_range(
    pairs: &mut Vec<PairRecord>,
    docs: &ClaimDocuments,
    since: Option<&str>,
    until: Option<&str>,
) {
    if since.is_none() && until.is_none() {
        return;
    }
    pairs.retain(|p| {
        [&p.a, &p.b]
            .iter()
            .any(|c| claim_date_in(c, docs).is_some_and(|d| in_range(&d, since, until)))
    });
}

/// Whitespace folded, so hard-wrapped names ("Jonas\nFeld") compare equal.
fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

const PRONOUNS: &[&str] = &[
    "he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "us",
];

fn is_pronoun(s: &str) -> bool {
    PRONOUNS.contains(&s.to_lowercase().as_str())
}

/// The key a claim's source is audited under: its canonical key, or
/// `(unattributed)`.
pub fn source_key(c: &ClaimRecord) -> String {
    key(c)
}

fn key(c: &ClaimRecord) -> String {
    c.source
        .as_ref()
        .map_or_else(|| "(unattributed)".to_string(), |s| fold(&s.canonical))
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
/// Dismissed pairs are left out (see the module docs); `docs` gives outlets
/// and dates, and claims missing from it simply lack them.
pub fn audit(
    claims: &[ClaimRecord],
    pairs: &[PairRecord],
    docs: &ClaimDocuments,
) -> Vec<SourceAudit> {
    let pairs: Vec<PairRecord> = pairs
        .iter()
        .filter(|p| p.status != ReviewStatus::Dismissed)
        .cloned()
        .collect();
    let pairs = pairs.as_slice();
    let mut aliases: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut people: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut outlets: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut dates: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for c in claims {
        let k = key(c);
        if let Some(s) = &c.source {
            let name = fold(&s.text);
            if s.role.is_some() {
                people.entry(k.clone()).or_default().insert(name);
            } else {
                aliases.entry(k.clone()).or_default().insert(name);
            }
            if let Some(m) = &s.mention {
                let m = fold(&m.text);
                if !is_pronoun(&m) {
                    aliases.entry(k.clone()).or_default().insert(m);
                }
            }
        }
        if let Some(o) = docs.get(&c.id).and_then(|d| d.outlet.clone()) {
            outlets.entry(k.clone()).or_default().insert(o);
        }
        if let Some(d) = claim_date_in(c, docs) {
            dates.entry(k).or_default().insert(d);
        }
    }
    let mut denied: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for p in pairs {
        if matches!(p.kind, PairKind::Denial | PairKind::Refutation) {
            denied.entry(key(&p.b)).or_default().insert(key(&p.a));
        }
    }
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
        let own_people = people.remove(k).unwrap_or_default();
        a.aliases = aliases
            .remove(k)
            .unwrap_or_default()
            .into_iter()
            .filter(|n| !own_people.contains(n))
            .collect();
        a.people = own_people.into_iter().collect();
        a.denied = denied
            .remove(k)
            .map(|s| s.into_iter().collect())
            .unwrap_or_default();
        a.outlets = outlets
            .remove(k)
            .map(|s| s.into_iter().collect())
            .unwrap_or_default();
        let d = dates.remove(k).unwrap_or_default();
        a.first_date = d.first().cloned();
        a.last_date = d.last().cloned();
    }
    by.into_values().collect()
}

/// One claim of a source's full record ([`record`]).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RecordEntry {
    pub id: String,
    pub date: Option<String>,
    pub doc: String,
    pub outlet: Option<String>,
    pub channel: Option<String>,
    /// The source as named in this claim.
    pub name: String,
    pub stance: Stance,
    pub cue: Option<String>,
    pub content: String,
    /// Pairs in which this claim opposes another: `p3 denial of c6 (IMIS media …)`.
    pub opposes: Vec<String>,
    /// Pairs in which another claim opposes this one: `p3 denial by c8 (US-led coalition)`.
    pub opposed_by: Vec<String>,
    /// An allegation nothing answers.
    pub unanswered: bool,
}

/// The claims of the source with canonical key `source`, in date order
/// (undated last), each with the pairs it takes part in. Dismissed pairs are
/// left out.
pub fn record(
    source: &str,
    claims: &[ClaimRecord],
    pairs: &[PairRecord],
    docs: &ClaimDocuments,
) -> Vec<RecordEntry> {
    let pairs: Vec<&PairRecord> = pairs
        .iter()
        .filter(|p| p.status != ReviewStatus::Dismissed)
        .collect();
    let mut out: Vec<RecordEntry> = claims
        .iter()
        .filter(|c| key(c) == source)
        .map(|c| {
            let mut opposes = Vec::new();
            let mut opposed_by = Vec::new();
            for p in &pairs {
                if p.b.id == c.id {
                    opposes.push(format!("{} {} of {} ({})", p.id, p.kind, p.a.id, key(&p.a)));
                }
                if p.a.id == c.id {
                    opposed_by.push(format!("{} {} by {} ({})", p.id, p.kind, p.b.id, key(&p.b)));
                }
            }
            let unanswered =
                c.stance == Stance::Alleges && opposes.is_empty() && opposed_by.is_empty();
            RecordEntry {
                id: c.id.clone(),
                date: claim_date_in(c, docs),
                doc: c.doc.clone(),
                outlet: docs.get(&c.id).and_then(|d| d.outlet.clone()),
                channel: c.channel.clone(),
                name: c.source.as_ref().map(|s| fold(&s.text)).unwrap_or_default(),
                stance: c.stance,
                cue: c.cue.as_ref().map(|q| q.text.clone()),
                content: c.content.text.clone(),
                opposes,
                opposed_by,
                unanswered,
            }
        })
        .collect();
    out.sort_by(|x, y| {
        x.date
            .is_none()
            .cmp(&y.date.is_none())
            .then_with(|| x.date.cmp(&y.date))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Excerpt, Polarity, QuoteKind, TimeExpr};

    fn claim_with_times(times: Vec<TimeExpr>) -> ClaimRecord {
        let ex = |text: &str, start, end| Excerpt {
            text: text.into(),
            start,
            end,
        };
        ClaimRecord {
            id: "c1".into(),
            doc: "d".into(),
            sentence: ex(
                "The coalition denied Monday that it faced IMIS on Sunday.",
                0,
                57,
            ),
            content: ex("it faced IMIS on Sunday", 33, 56),
            source: None,
            cue: None,
            subject: None,
            predicate: None,
            object: None,
            stance: Stance::Denies,
            polarity: Polarity::Positive,
            hedges: vec![],
            quote: QuoteKind::Indirect,
            channel: None,
            times,
        }
    }

    fn time(text: &str, start: usize, date: Option<&str>) -> TimeExpr {
        TimeExpr {
            text: text.into(),
            start,
            end: start + text.len(),
            date: date.map(str::to_string),
        }
    }

    #[test]
    fn a_claim_is_dated_by_its_attribution_not_by_its_content() {
        let c = claim_with_times(vec![
            time("on Sunday", 47, Some("2019-02-03")),
            time("Monday", 21, Some("2019-02-04")),
        ]);
        assert_eq!(
            claim_date(&c, Some("2019-02-07")).as_deref(),
            Some("2019-02-04")
        );
        // Only a date inside the content: the document's date.
        let c = claim_with_times(vec![time("on Sunday", 47, Some("2019-02-03"))]);
        assert_eq!(
            claim_date(&c, Some("2019-02-07")).as_deref(),
            Some("2019-02-07")
        );
        // An unresolved attribution time does not count.
        let c = claim_with_times(vec![time("Monday", 21, None)]);
        assert_eq!(claim_date(&c, None), None);
    }

    #[test]
    fn ranges_compare_at_the_precision_given() {
        assert!(in_range("2019-02-04", Some("2019-02"), Some("2019-02")));
        assert!(in_range("2019-02-04", Some("2019-02-04"), Some("2019")));
        assert!(!in_range("2019-02-04", Some("2019-02-05"), None));
        assert!(!in_range("2019-02-04", None, Some("2019-01")));
        assert!(in_range("2019-02-04", None, None));
    }
}
