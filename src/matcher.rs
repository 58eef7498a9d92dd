//! Pairing opposing claims, and relating a claim to a text.
//!
//! Each claim is read into a [`Frame`]: the event it is about (its predicate,
//! the event nouns governed by it, and the event groups these belong to),
//! its participants (the other content words and names, with aliases folded
//! to one key), its numbers and dates, and its effective polarity (a denial
//! of a positive statement is negative). Two claims are about the same event
//! when their event sets meet (directly or through a group, or a group one
//! implies) and they share a participant; words in a claim's subject do not
//! make an event, so "military confrontation will not serve the people"
//! is not about a confrontation that happened.
//!
//! Opposition is then found from structure, in this order: a denial whose
//! scope covers the event; the same event with opposite polarity; opposing
//! predicates about the same participants; different numbers or dates for
//! the same event; a refuting word ("hoax", "false") attached to it. Every
//! pair carries its kind, a score in [0, 1] and its evidence, including the
//! rule ids that fired. The same code serves the store (`contradictions`)
//! and `check`.

use crate::model::{ClaimRecord, Evidence, PairKind, Polarity, Relation, Stance};
use crate::rules::{LexiconRole, Rules};
use crate::text::{tokenize, TokenKind};
use std::collections::BTreeSet;

/// Pairs scoring below this are not reported.
pub const MIN_SCORE: f64 = 0.5;

/// What the matcher knows about one claim.
#[derive(Debug, Clone, Default)]
pub struct Frame {
    /// Event keys: predicate and event-noun term keys, and `group:<id>` keys.
    pub events: BTreeSet<String>,
    /// The event words as written, for evidence.
    pub event_words: Vec<String>,
    /// Participant keys: content words outside the event, names folded by alias.
    pub participants: BTreeSet<String>,
    /// Participants written with a capital (names weigh more).
    pub names: BTreeSet<String>,
    /// Opposite rules the predicate takes part in: (rule id, side, word).
    pub opposites: Vec<(String, bool, String)>,
    /// Numbers with the key of the noun they count.
    pub numbers: Vec<(f64, String, String)>,
    /// Dates in the content (ISO).
    pub dates: Vec<String>,
    /// Negative after taking a denial's stance into account.
    pub negative: bool,
    /// The negator or denial cue that made it negative.
    pub negator: Option<String>,
    /// Refuting words in the content ("hoax", "false").
    pub refuters: Vec<String>,
    /// Hedging: alleges / reports / hedge words.
    pub hedged: bool,
    pub stance: Stance,
    /// Key → the word as written (first seen), for evidence a reader can check.
    pub surface: std::collections::BTreeMap<String, String>,
}

impl Frame {
    /// Blocking keys for the store's inverted index: every event and
    /// participant key, and the opposite rules.
    pub fn index_terms(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .events
            .iter()
            .chain(self.participants.iter())
            .cloned()
            .collect();
        for (id, _, _) in &self.opposites {
            out.push(format!("opp:{id}"));
        }
        out.sort();
        out.dedup();
        out
    }
}

/// A proposed pairing.
#[derive(Debug, Clone)]
pub struct Pairing {
    pub kind: PairKind,
    pub score: f64,
    pub evidence: Evidence,
}

/// Reads claims into frames and compares them.
pub struct Matcher<'r> {
    rules: &'r Rules,
}

const NUMBER_WORDS: &[(&str, f64)] = &[
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("thirteen", 13.0),
    ("fourteen", 14.0),
    ("fifteen", 15.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("hundred", 100.0),
    ("dozen", 12.0),
    ("dozens", 24.0),
    ("hundreds", 200.0),
    ("thousands", 2000.0),
];

impl<'r> Matcher<'r> {
    pub fn new(rules: &'r Rules) -> Matcher<'r> {
        Matcher { rules }
    }

    /// The frame of a claim record.
    pub fn frame(&self, claim: &ClaimRecord) -> Frame {
        let content = claim.content.text.as_str();
        let mut f = Frame {
            stance: claim.stance,
            hedged: matches!(claim.stance, Stance::Alleges | Stance::Reports)
                || !claim.hedges.is_empty(),
            ..Frame::default()
        };
        // Which words are in the subject (before the predicate) and which
        // govern the event (the predicate and what follows it).
        let subject_len = claim.subject.as_ref().map_or(0, |s| s.len());
        let subject_end = claim
            .subject
            .as_ref()
            .and_then(|s| content.find(s.as_str()).map(|p| p + subject_len))
            .unwrap_or(0);
        let predicate_at = claim.predicate.as_ref().and_then(|p| {
            content[subject_end.min(content.len())..]
                .find(p.as_str())
                .map(|x| x + subject_end)
        });
        let tokens = tokenize(content);
        let lower = content.to_ascii_lowercase();
        let mut after_negator = false;
        let mut prev_number: Option<f64> = None;
        for (i, t) in tokens.iter().enumerate() {
            let word = t.span.of(content);
            let lw = t.span.of(&lower);
            if t.kind == TokenKind::Number {
                prev_number = word.replace(',', "").parse::<f64>().ok();
                continue;
            }
            if !t.is_word() {
                after_negator = false;
                continue;
            }
            if let Some(n) = NUMBER_WORDS.iter().find(|(w, _)| *w == lw).map(|(_, n)| *n) {
                prev_number = Some(n);
                continue;
            }
            if self.rules.is(LexiconRole::Negator, lw)
                || lw.ends_with("n't")
                || lw.ends_with("n\u{2019}t")
            {
                after_negator = true;
                f.negator.get_or_insert_with(|| word.to_string());
                continue;
            }
            if self.rules.is(LexiconRole::Refuter, lw) {
                f.refuters.push(word.to_string());
            }
            // Function words carry no topic; day and month names are dates, not topics.
            if self.rules.is(LexiconRole::Stopword, lw)
                || t.capitalised && crate::text::TIME_WORDS.contains(&lw)
            {
                continue;
            }
            let key = self
                .alias_key(lw)
                .unwrap_or_else(|| self.rules.term_key(lw));
            f.surface
                .entry(key.clone())
                .or_insert_with(|| word.to_string());
            if let Some(n) = prev_number.take() {
                f.numbers.push((n, key.clone(), word.to_string()));
                // The same figure on both sides is strong evidence of one topic.
                f.participants.insert(format!("num:{}", fmt_num(n)));
            }
            let in_subject = t.span.end <= subject_end && predicate_at.is_some();
            let is_predicate = predicate_at.is_some_and(|p| t.span.start == p);
            let all_groups = self.rules.groups_of(&key);
            let (thing_groups, groups): (Vec<&str>, Vec<&str>) = all_groups
                .into_iter()
                .partition(|g| self.rules.is_thing_group(g));
            // An event word after "to" is planned or hypothetical ("agreed to
            // confront"), not an event the claim says happened.
            let irrealis = !is_predicate && i > 0 && tokens[i - 1].span.of(&lower) == "to";
            let eventive = !irrealis
                && (is_predicate
                    || !groups.is_empty() && !in_subject
                    || after_negator && !in_subject);
            if is_predicate {
                // A phrasal predicate first ("keep the mine open"), then the verb alone.
                let phrasal = tokens[i + 1..]
                    .iter()
                    .take(8)
                    .filter(|t| t.is_word())
                    .find_map(|t2| {
                        let k2 = format!("{key} {}", self.rules.term_key(t2.span.of(&lower)));
                        let found = self.rules.opposites_of(&k2);
                        (!found.is_empty())
                            .then(|| (found, format!("{word} \u{2026} {}", t2.span.of(content))))
                    });
                let (found, shown) =
                    phrasal.unwrap_or((self.rules.opposites_of(&key), word.to_string()));
                for (id, side) in found {
                    f.opposites.push((id.clone(), *side, shown.clone()));
                }
            }
            if eventive
                && (is_predicate || !groups.is_empty())
                && !self.rules.is(LexiconRole::LightVerb, lw)
            {
                f.events.insert(key.clone());
                f.event_words.push(word.to_string());
                for g in groups {
                    f.events.insert(format!("group:{g}"));
                }
            } else if !(is_predicate && self.rules.is(LexiconRole::LightVerb, lw)) {
                if t.capitalised && i > 0 {
                    f.names.insert(key.clone());
                }
                if t.capitalised && i == 0 && !self.rules.is(LexiconRole::SentenceStarter, lw) {
                    f.names.insert(key.clone());
                }
                f.participants.insert(key.clone());
                // Groups of participant words (troops / forces) count as shared too.
                for g in groups.into_iter().chain(thing_groups.iter().copied()) {
                    f.participants.insert(format!("group:{g}"));
                }
            }
            after_negator = false;
        }
        for t in &claim.times {
            if t.start >= claim.content.start && t.end <= claim.content.end {
                if let Some(d) = &t.date {
                    f.dates.push(d.clone());
                }
            }
        }
        let negative = claim.polarity == Polarity::Negative;
        let denial = claim.stance == Stance::Denies;
        f.negative = negative != denial;
        if denial {
            f.negator = claim.cue.as_ref().map(|c| c.text.clone()).or(f.negator);
        }
        f
    }

    fn alias_key(&self, lower: &str) -> Option<String> {
        self.rules
            .alias(lower)
            .map(|(c, _)| format!("name:{}", c.to_lowercase()))
    }

    /// Whether and how claim `b` opposes claim `a`.
    pub fn pair(
        &self,
        a: &ClaimRecord,
        fa: &Frame,
        b: &ClaimRecord,
        fb: &Frame,
    ) -> Option<Pairing> {
        // The same source does not contradict itself here; nested claims
        // (a claim and the claim relaying it) are one statement.
        if let (Some(sa), Some(sb)) = (&a.source, &b.source) {
            if sa.canonical.eq_ignore_ascii_case(&sb.canonical) {
                return None;
            }
        }
        if a.doc == b.doc
            && (a.content.start <= b.content.start && b.content.end <= a.content.end
                || b.content.start <= a.content.start && a.content.end <= b.content.end)
        {
            return None;
        }
        self.oppose(fa, fb, &a.content.text, &b.content.text)
    }

    /// The structural comparison shared by `pair` and `relate`.
    fn oppose(&self, fa: &Frame, fb: &Frame, _ta: &str, _tb: &str) -> Option<Pairing> {
        let shared_events: Vec<String> = fa.events.intersection(&fb.events).cloned().collect();
        let shared_part: Vec<String> = self.shared_participants(fa, fb);
        let topic = self.topic(fa, fb, &shared_part);
        if shared_part.is_empty() {
            return None;
        }
        let mut rules: Vec<String> = shared_events
            .iter()
            .filter_map(|e| e.strip_prefix("group:"))
            .map(|g| g.to_string())
            .collect();
        let show = |k: &String| {
            fa.surface
                .get(k)
                .or_else(|| fb.surface.get(k))
                .cloned()
                .unwrap_or_else(|| display_key(k))
        };
        let mut shared: Vec<String> = shared_part.iter().map(show).collect();
        shared.extend(shared_events.iter().map(show));
        shared.sort();
        shared.dedup();
        let hedge_penalty = if fa.hedged && fb.hedged { 0.1 } else { 0.0 };

        // 0. One side calls the other's proposition false ("the claim that
        // ... is false", "reports of ... are a hoax").
        let one_refutes = fa.refuters.is_empty() != fb.refuters.is_empty();
        if one_refutes && !shared_events.is_empty() {
            let refuting = if fa.refuters.is_empty() { fb } else { fa };
            rules.push("lexicon/refuters".into());
            return Some(self.finish(
                PairKind::Refutation,
                0.6 + 0.38 * topic,
                shared,
                refuting.refuters.clone(),
                rules,
            ));
        }
        // 1. Opposite polarity about the same event: a denial or a negation.
        if !shared_events.is_empty() && fa.negative != fb.negative {
            let (neg, pos) = if fb.negative { (fb, fa) } else { (fa, fb) };
            let denial = neg.stance == Stance::Denies
                || matches!(pos.stance, Stance::Alleges | Stance::Reports);
            let kind = if denial {
                PairKind::Denial
            } else {
                PairKind::Negation
            };
            if neg.stance == Stance::Denies {
                rules.push("cues/deny".into());
            } else {
                rules.push("lexicon/negators".into());
            }
            let opposing = vec![neg.negator.clone().unwrap_or_else(|| "not".into())];
            let base = if denial { 0.62 } else { 0.58 };
            return Some(self.finish(
                kind,
                base + 0.38 * topic - hedge_penalty,
                shared,
                opposing,
                rules,
            ));
        }
        // 2. Opposing predicates with the same polarity: opposing positions,
        // about a participant named on both sides (not only a kind of thing).
        let concrete = shared_part.iter().any(|p| !p.starts_with("group:"));
        if fa.negative == fb.negative && concrete {
            for (id, side, word) in &fa.opposites {
                if let Some((_, _, other)) =
                    fb.opposites.iter().find(|(i, s, _)| i == id && s != side)
                {
                    rules.push(id.clone());
                    let base = 0.55;
                    return Some(self.finish(
                        PairKind::Opposition,
                        base + 0.4 * topic - hedge_penalty,
                        shared,
                        vec![word.clone(), other.clone()],
                        rules,
                    ));
                }
            }
        }
        if shared_events.is_empty() {
            // 5. A refuting word about what the other side states.
            let refuting = if fa.refuters.is_empty() { fb } else { fa };
            let one_sided = fa.refuters.is_empty() != fb.refuters.is_empty();
            if one_sided && topic >= 0.5 {
                rules.push("lexicon/refuters".into());
                return Some(self.finish(
                    PairKind::Refutation,
                    0.5 + 0.4 * topic,
                    shared,
                    refuting.refuters.clone(),
                    rules,
                ));
            }
            return None;
        }
        // 3. Different numbers for the same counted thing of the same event.
        // ... and something shared besides the counted unit and the figures.
        let units: Vec<&String> = fa.numbers.iter().map(|(_, k, _)| k).collect();
        let other_topic = shared_part
            .iter()
            .any(|p| !p.starts_with("num:") && !units.contains(&p));
        for (na, ka, wa) in fa.numbers.iter().filter(|_| other_topic) {
            if let Some((nb, _, wb)) = fb
                .numbers
                .iter()
                .find(|(nb, kb, _)| kb == ka && (nb - na).abs() > f64::EPSILON)
            {
                let _ = nb;
                rules.push("matcher/number".into());
                return Some(self.finish(
                    PairKind::NumberConflict,
                    0.55 + 0.4 * topic - hedge_penalty,
                    shared,
                    vec![
                        format!("{} {}", fmt_num(*na), wa),
                        format!("{} {}", fmt_num(*nb), wb),
                    ],
                    rules,
                ));
            }
        }
        // 4. Different dates for the same event (with more in common than a count).
        if let (true, Some(da), Some(db)) = (other_topic, fa.dates.first(), fb.dates.first()) {
            if da != db {
                rules.push("matcher/date".into());
                return Some(self.finish(
                    PairKind::DateConflict,
                    0.55 + 0.4 * topic - hedge_penalty,
                    shared,
                    vec![da.clone(), db.clone()],
                    rules,
                ));
            }
        }
        // 5. Refutation of the same event.
        let (refuting, other) = if !fb.refuters.is_empty() {
            (fb, fa)
        } else {
            (fa, fb)
        };
        if !refuting.refuters.is_empty() && other.refuters.is_empty() {
            rules.push("lexicon/refuters".into());
            return Some(self.finish(
                PairKind::Refutation,
                0.58 + 0.38 * topic,
                shared,
                refuting.refuters.clone(),
                rules,
            ));
        }
        None
    }

    fn finish(
        &self,
        kind: PairKind,
        score: f64,
        shared: Vec<String>,
        opposing: Vec<String>,
        rules: Vec<String>,
    ) -> Pairing {
        let mut rules: Vec<String> = rules
            .into_iter()
            .map(|r| {
                if r.contains('/') {
                    r
                } else {
                    format!("events/{r}")
                }
            })
            .collect();
        rules.sort();
        rules.dedup();
        let reason = match kind {
            PairKind::Denial => format!(
                "one side denies what the other states (\u{201C}{}\u{201D}) about {}",
                opposing.join(", "),
                shared.join(", ")
            ),
            PairKind::Negation => format!(
                "the same proposition about {} with opposite polarity (\u{201C}{}\u{201D})",
                shared.join(", "),
                opposing.join(", ")
            ),
            PairKind::Opposition => format!(
                "opposing positions on {}: \u{201C}{}\u{201D} against \u{201C}{}\u{201D}",
                shared.join(", "),
                opposing.first().map_or("", String::as_str),
                opposing.get(1).map_or("", String::as_str)
            ),
            PairKind::NumberConflict => format!(
                "different numbers for {}: {}",
                shared.join(", "),
                opposing.join(" vs ")
            ),
            PairKind::DateConflict => format!(
                "different dates for {}: {}",
                shared.join(", "),
                opposing.join(" vs ")
            ),
            PairKind::Refutation => {
                format!("called {} about {}", opposing.join(", "), shared.join(", "))
            }
        };
        Pairing {
            kind,
            score: score.clamp(0.0, 1.0),
            evidence: Evidence {
                reason,
                shared,
                opposing,
                rules,
            },
        }
    }

    /// Participants both frames share, names matched loosely ("al-Qaddo" ~ "Qaddo").
    fn shared_participants(&self, fa: &Frame, fb: &Frame) -> Vec<String> {
        let mut out: Vec<String> = fa
            .participants
            .intersection(&fb.participants)
            .cloned()
            .collect();
        // Compounds meet their head or modifier: "floodgates" ~ "gates", "floodwaters" ~ "floods".
        for pa in &fa.participants {
            if out.contains(pa) || pa.contains(':') {
                continue;
            }
            if fb
                .participants
                .iter()
                .any(|pb| !pb.contains(':') && compound_match(pa, pb))
            {
                out.push(pa.clone());
            }
        }
        for na in &fa.names {
            if out.contains(na) {
                continue;
            }
            if fb.names.iter().any(|nb| names_match(na, nb)) {
                out.push(na.clone());
            }
        }
        out
    }

    /// How strongly two frames are about the same thing, in [0, 1].
    fn topic(&self, fa: &Frame, fb: &Frame, shared: &[String]) -> f64 {
        let mut weight = 0.0;
        for s in shared {
            weight += if fa.names.contains(s) || fb.names.contains(s) || s.starts_with("name:") {
                1.0
            } else if s.starts_with("group:") {
                0.6
            } else {
                0.7
            };
        }
        let events = fa
            .events
            .intersection(&fb.events)
            .filter(|e| !e.starts_with("group:"))
            .count() as f64
            * 0.5
            + fa.events
                .intersection(&fb.events)
                .filter(|e| e.starts_with("group:"))
                .count()
                .min(1) as f64
                * 0.5;
        let smaller = fa.participants.len().min(fb.participants.len()).max(1) as f64;
        ((weight + events) / (1.0 + smaller.sqrt())).min(1.0)
    }

    /// How `text_claims` (claims read from a text) relate to `claim`: the
    /// strongest relation found, its score and evidence. Used by `check`.
    pub fn relate(
        &self,
        claim: &ClaimRecord,
        text_claims: &[ClaimRecord],
    ) -> (Relation, f64, Evidence) {
        let fc = self.frame(claim);
        let mut best: Option<(Relation, f64, Evidence)> = None;
        for t in text_claims {
            let ft = self.frame(t);
            let shared = self.shared_participants(&fc, &ft);
            let topic = self.topic(&fc, &ft, &shared);
            if let Some(p) = self.oppose(&fc, &ft, &claim.content.text, &t.content.text) {
                let score = p.score;
                if best
                    .as_ref()
                    .is_none_or(|(r, s, _)| *r != Relation::Contradicts || score > *s)
                {
                    best = Some((Relation::Contradicts, score, p.evidence));
                }
                continue;
            }
            let same_event = fc.events.intersection(&ft.events).next().is_some();
            if (same_event && !shared.is_empty()) || topic >= 0.6 {
                let relation = if matches!(t.stance, Stance::Alleges | Stance::Reports)
                    || !t.hedges.is_empty()
                {
                    Relation::Reports
                } else {
                    Relation::Supports
                };
                let better = best
                    .as_ref()
                    .is_none_or(|(r, s, _)| *r != Relation::Contradicts && topic > *s);
                if better {
                    best = Some((
                        relation,
                        topic,
                        Evidence {
                            reason: format!(
                                "about the same {}",
                                shared
                                    .iter()
                                    .map(|s| display_key(s))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                            shared: shared.iter().map(|s| display_key(s)).collect(),
                            opposing: Vec::new(),
                            rules: Vec::new(),
                        },
                    ));
                }
            }
        }
        best.unwrap_or((Relation::Unrelated, 0.0, Evidence::default()))
    }
}

fn display_key(k: &str) -> String {
    k.strip_prefix("group:")
        .map(|g| g.rsplit('/').next().unwrap_or(g).to_string())
        .or_else(|| k.strip_prefix("name:").map(str::to_string))
        .or_else(|| k.strip_prefix("num:").map(str::to_string))
        .unwrap_or_else(|| k.to_string())
}

fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// One word is the other with a compound part added ("floodgat" / "gat").
fn compound_match(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    short.len() >= 3
        && long.len() >= short.len() + 3
        && (long.starts_with(short) || long.ends_with(short))
}

/// Loose name equality: "al-qaddo" ~ "qaddo", small spelling variants.
fn names_match(a: &str, b: &str) -> bool {
    let strip = |s: &str| {
        s.trim_start_matches("al-")
            .trim_start_matches("el-")
            .to_string()
    };
    let (a, b) = (strip(a), strip(b));
    a.len() >= 4 && b.len() >= 4 && (a == b || strsim::jaro_winkler(&a, &b) >= 0.93)
}
