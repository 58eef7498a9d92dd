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
//!
//! `check` relates a claim to a whole text ([`Matcher::relate`]): the text is
//! related when the IDF-weighted share of the claim's terms it covers (in
//! its best sentence and overall) is high enough; then the sentences that
//! carry the claim decide, through the same structural comparison, a
//! refuting or retracting word, a denial or a dismissing word governing a
//! report noun or a that-clause ("shoots down claims", "doubt that"), an
//! answer ("No,", "Probably not."), a negator whose scope reaches the
//! claim's words or whose short clause has one of them as its subject
//! ("Paul Rudd is not the hero"), an elided negation ("but won't"), a word
//! opposite to one of the claim's (`rules/opposites.toml`), or hedged and
//! relayed wording (`reports`) against a plain assertion (`supports`); a
//! headline in which the claim's own speaker says it again asserts it. In
//! a headline-length text every sentence decides. A long text with refuting
//! words in three or more sentences debunks the story (contradicting a
//! claim that states it, supporting one that denies it, and discussing
//! one that asks or hedges it: `reports`); one with refuting
//! words in fewer sentences presents it as disputed (`reports`), and one
//! with hedging words in three or more sentences, or with hedging or
//! relaying words in two sentences of its lead, tells it as unconfirmed
//! (`reports`) however plainly its lead states it. A long text that
//! opposes or states a claim which is only relayed (hedged, attributed or
//! asked: "Sources: X arrested") discusses the report (`reports`) unless
//! it debunks the story, and so does a headline that states plainly what
//! a claim hedges or asks ("X reportedly resigned" / "X resigns"); one
//! that states plainly what a claim plainly attributes ("Pope says dogs
//! go to heaven") supports it. A claim that itself
//! calls a story false or denies it is supported, not contradicted, by a
//! text that does the same; a text that attributes the story it calls
//! false ("residents claim"), or hedges it throughout, relays it.

use crate::model::{ClaimRecord, Evidence, PairKind, Polarity, Relation, Stance};
use crate::rules::{LexiconRole, Rules};
use crate::text::{tokenize, TokenKind};
use rustc_hash::FxHashMap;
use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, PoisonError};

/// Pairs scoring below this are not reported.
pub const MIN_SCORE: f64 = 0.5;

/// A frame's key: shared with the word facts it came from, so that a
/// frame takes its keys without copying them (most of a frame's words
/// were framed before).
pub type Key = std::sync::Arc<str>;

/// A frame's set of keys: sorted and distinct, in a vector of its own
/// size. A frame's sets hold a few keys each, and a B-tree set takes a node
/// for eleven however few it holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeySet(Vec<Key>);

impl KeySet {
    /// Adds `key` unless it is there; whether it was added.
    pub fn insert(&mut self, key: Key) -> bool {
        match self.0.binary_search(&key) {
            Ok(_) => false,
            Err(at) => {
                self.0.insert(at, key);
                true
            }
        }
    }

    pub fn contains(&self, key: &str) -> bool {
        self.0.binary_search_by(|k| (**k).cmp(key)).is_ok()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Key> {
        self.0.iter()
    }

    /// The keys of both, in order.
    pub fn intersection<'a>(&'a self, other: &'a KeySet) -> impl Iterator<Item = &'a Key> + 'a {
        let (mut a, mut b) = (self.0.iter().peekable(), other.0.iter().peekable());
        std::iter::from_fn(move || loop {
            let (x, y) = (a.peek()?, b.peek()?);
            match x.cmp(y) {
                std::cmp::Ordering::Less => {
                    a.next();
                }
                std::cmp::Ordering::Greater => {
                    b.next();
                }
                std::cmp::Ordering::Equal => {
                    b.next();
                    return a.next();
                }
            }
        })
    }

    /// The keys of either, in order, each once.
    pub fn union<'a>(&'a self, other: &'a KeySet) -> impl Iterator<Item = &'a Key> + 'a {
        let (mut a, mut b) = (self.0.iter().peekable(), other.0.iter().peekable());
        std::iter::from_fn(move || match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => match x.cmp(y) {
                std::cmp::Ordering::Less => a.next(),
                std::cmp::Ordering::Greater => b.next(),
                std::cmp::Ordering::Equal => {
                    b.next();
                    a.next()
                }
            },
            (Some(_), None) => a.next(),
            (None, _) => b.next(),
        })
    }
}

impl<'a> IntoIterator for &'a KeySet {
    type Item = &'a Key;
    type IntoIter = std::slice::Iter<'a, Key>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl From<Vec<Key>> for KeySet {
    /// The distinct keys of `keys`.
    fn from(mut keys: Vec<Key>) -> Self {
        keys.sort_unstable();
        keys.dedup();
        KeySet(keys)
    }
}

impl FromIterator<Key> for KeySet {
    fn from_iter<I: IntoIterator<Item = Key>>(iter: I) -> Self {
        KeySet::from(iter.into_iter().collect::<Vec<Key>>())
    }
}

/// What the matcher knows about one claim.
#[derive(Debug, Clone, Default)]
pub struct Frame {
    /// Event keys: predicate and event-noun term keys, and `group:<id>` keys.
    pub events: KeySet,
    /// Participant keys: content words outside the event, names folded by alias.
    pub participants: KeySet,
    /// Participants written with a capital (names weigh more).
    pub names: KeySet,
    /// Opposite rules the predicate takes part in: (rule id, side, word).
    pub opposites: Vec<(String, bool, String)>,
    /// Numbers with the key of the noun they count.
    pub numbers: Vec<(f64, Key, String)>,
    /// Dates in the content (ISO).
    pub dates: Vec<String>,
    /// Negative after taking a denial's stance into account.
    pub negative: bool,
    /// The negator or denial cue that made it negative.
    pub negator: Option<String>,
    /// Keys of the words a negator in the content scopes over: the next
    /// two content words after it, up to a punctuation mark, light verbs
    /// not counted ("did not face any confrontation"), with their groups.
    /// What a negation denies.
    pub negated: KeySet,
    /// Refuting words in the content ("hoax", "false").
    pub refuters: Vec<String>,
    /// Hedging: alleges / reports / hedge words.
    pub hedged: bool,
    pub stance: Stance,
    /// Each topic word's key, with where its first occurrence is written
    /// in the claim's content (byte start and end), sorted by key: for
    /// evidence a reader can check ([`Frame::written`]). Keys first
    /// written as themselves ("police") are left out.
    pub surface: Vec<(Key, u32, u32)>,
}

/// A key of a kind: `group:`, `name:`, `ref:` and the like before a word.
/// Not made with `format!`: its machinery costs several times the copy,
/// and frames make such keys for most of their words.
pub fn prefixed_key(prefix: &str, rest: &str) -> String {
    let mut key = String::with_capacity(prefix.len() + rest.len());
    key.push_str(prefix);
    key.push_str(rest);
    key
}

impl Frame {
    /// How key `k` is written in `content`, the text this frame was made
    /// from (the claim's content), if the frame has it: not for a key
    /// written as itself, nor for one not in the content.
    pub fn written<'t>(&self, k: &str, content: &'t str) -> Option<&'t str> {
        let at = self
            .surface
            .binary_search_by(|(key, ..)| (**key).cmp(k))
            .ok()?;
        let (_, start, end) = &self.surface[at];
        content.get(*start as usize..*end as usize)
    }

    /// Blocking keys for the store's inverted index: every event and
    /// participant key, and the opposite rules.
    pub fn index_terms(&self) -> Vec<Key> {
        let mut out: Vec<Key> =
            Vec::with_capacity(self.events.len() + self.participants.len() + self.opposites.len());
        // Both sets are sorted: merged, they need no sort unless opposite
        // rules are added.
        let (mut e, mut p) = (
            self.events.iter().peekable(),
            self.participants.iter().peekable(),
        );
        loop {
            let next = match (e.peek(), p.peek()) {
                (Some(a), Some(b)) if a == b => {
                    p.next();
                    e.next()
                }
                (Some(a), Some(b)) if a < b => e.next(),
                (Some(_), None) => e.next(),
                (_, Some(_)) => p.next(),
                (None, None) => break,
            };
            out.extend(next.cloned());
        }
        if !self.opposites.is_empty() {
            for (id, _, _) in &self.opposites {
                out.push(prefixed_key("opp:", id).into());
            }
            out.sort_unstable();
            out.dedup();
        }
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
    /// Word caches for [`Matcher::frame`]: each call takes one (or starts
    /// one) and puts it back, so threads framing at once never wait on
    /// each other for long.
    words: Mutex<Vec<WordCache>>,
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

/// What [`Matcher::frame`] asks about a lowercase word. A claim's words are
/// mostly words seen before, and keying one (alias, irregular form, stem,
/// groups) and asking its roles costs several times a hash look-up, so the
/// answers are kept per distinct word ([`WordCache`]).
struct WordFacts {
    /// The value of a number word ("two", "dozens").
    number: Option<f64>,
    /// A negator, or a word ending in "n't".
    negator: bool,
    /// A negative implicative ("failed"): a negator before "to".
    implicative: bool,
    refuter: bool,
    light_verb: bool,
    stopword: bool,
    /// A day or month name ([`crate::text::TIME_WORDS`]).
    time_word: bool,
    sentence_starter: bool,
    /// [`Rules::term_key`] of the word.
    term: Key,
    /// The key the frame files it under: its alias's `name:` key, else `term`.
    alias: Option<Key>,
    /// `group:<id>` keys of the key's groups: event groups first, then,
    /// from `event_groups` on, groups of things.
    groups: Box<[Key]>,
    event_groups: usize,
}

impl WordFacts {
    fn key(&self) -> &Key {
        self.alias.as_ref().unwrap_or(&self.term)
    }
}

/// Facts of words framed before, by lowercase word, and the slots of the
/// claim being framed. A matcher's caches are filled from its own rules
/// only, so a cached answer is the one the rules would give.
#[derive(Default)]
struct WordCache {
    index: FxHashMap<Box<str>, usize>,
    facts: Vec<WordFacts>,
    /// For each token of the claim being framed, its word's index in
    /// `facts` (unused for other tokens).
    slots: Vec<usize>,
}

/// Distinct words a [`WordCache`] keeps at most: it is emptied when full,
/// so that memory stays bounded on any input (all the text of
/// Reuters-21578 has some 46,000; its claims fewer).
const WORD_CACHE: usize = 1 << 17;

impl<'r> Matcher<'r> {
    pub fn new(rules: &'r Rules) -> Matcher<'r> {
        Matcher {
            rules,
            words: Mutex::new(Vec::new()),
        }
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
            .and_then(|s| crate::text::find_early(content, s).map(|p| p + subject_len))
            .unwrap_or(0);
        let predicate_at = claim.predicate.as_ref().and_then(|p| {
            crate::text::find_early(&content[subject_end.min(content.len())..], p)
                .map(|x| x + subject_end)
        });
        let tokens = tokenize(content);
        let lower = content.to_ascii_lowercase();
        let mut cache = self
            .words
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop()
            .unwrap_or_default();
        self.word_slots(&tokens, &lower, &mut cache);
        let WordCache { facts, slots, .. } = &cache;
        // A phrasal predicate's key and the key of a word in it, reused.
        let mut phrase = String::new();
        let mut after_negator = false;
        // Content words a negator still scopes over, and the keys it does.
        let mut negation_scope = 0;
        let mut negated_keys = Vec::new();
        let mut prev_number: Option<f64> = None;
        // The frame's key sets, gathered with repeats and made sets once.
        let (mut events, mut participants, mut names) = (Vec::new(), Vec::new(), Vec::new());
        for (i, t) in tokens.iter().enumerate() {
            let word = t.span.of(content);
            if t.kind == TokenKind::Number {
                prev_number = word.replace(',', "").parse::<f64>().ok();
                continue;
            }
            if !t.is_word() {
                after_negator = false;
                negation_scope = 0;
                continue;
            }
            let w = &facts[slots[i]];
            if let Some(n) = w.number {
                prev_number = Some(n);
                continue;
            }
            // "No." before a figure abbreviates "number": no negation, no topic.
            if word.len() == 2 && crate::text::is_numbered_no(&tokens, content, i) {
                continue;
            }
            // "failed to pass": the implicative negates the verb after "to".
            let implicative = w.implicative && self.implicative_at(&tokens, &lower, i);
            if w.negator || implicative {
                after_negator = true;
                negation_scope = NEGATED_WORDS;
                f.negator.get_or_insert_with(|| word.to_string());
                continue;
            }
            // "is no hoax", "not fake": a negated refuting word refutes
            // nothing (as in [`Matcher::cues`]).
            // Asked only of refuting words: this loop runs over every word
            // framed.
            if w.refuter {
                let negated = (1..=2)
                    .any(|k| i >= k && tokens[i - k].is_word() && facts[slots[i - k]].negator);
                let next = tokens
                    .get(i + 1)
                    .filter(|n| n.is_word())
                    .map(|n| (n.span.of(&lower), n.capitalised));
                if !negated && !self.refutes_nothing(t.span.of(&lower), next) {
                    f.refuters.push(word.to_string());
                }
            }
            // A copula's complement is the predicate ("the reporter was
            // alive", "the plant is unsafe").
            if predicate_at.is_some_and(|p| t.span.start == p) && w.light_verb {
                let complement = (i + 1..tokens.len())
                    .take(3)
                    .take_while(|&j| tokens[j].is_word())
                    .find_map(|j| {
                        let found = self.rules.opposites_of(&facts[slots[j]].term);
                        (!found.is_empty()).then(|| (found, tokens[j].span.of(content)))
                    });
                if let Some((found, shown)) = complement {
                    for (id, side) in found {
                        f.opposites.push((id.clone(), *side, shown.to_string()));
                    }
                }
            }
            // Function words carry no topic; day and month names are dates, not topics.
            if w.stopword || t.capitalised && w.time_word {
                continue;
            }
            let key = w.key();
            f.surface
                .push((key.clone(), t.span.start as u32, t.span.end as u32));
            if let Some(n) = prev_number.take() {
                f.numbers.push((n, key.clone(), word.to_string()));
                // The same figure on both sides is strong evidence of one topic.
                participants.push(format!("num:{}", fmt_num(n)).into());
            }
            let in_subject = t.span.end <= subject_end && predicate_at.is_some();
            // After a negative implicative the verb is the predicate negated
            // ("failed to pass": extraction takes "failed" for the predicate).
            let negated_by_implicative = i >= 2
                && tokens[i - 2].is_word()
                && facts[slots[i - 2]].implicative
                && self.implicative_at(&tokens, &lower, i - 2);
            let is_predicate =
                predicate_at.is_some_and(|p| t.span.start == p) || negated_by_implicative;
            let (groups, thing_groups) = w.groups.split_at(w.event_groups);
            // An event word after "to" is planned or hypothetical ("agreed to
            // confront"), not an event the claim says happened.
            let irrealis = !is_predicate && i > 0 && tokens[i - 1].span.of(&lower) == "to";
            let eventive = !irrealis
                && (is_predicate
                    || !groups.is_empty() && !in_subject
                    || after_negator && !in_subject);
            if is_predicate {
                // A phrasal predicate first ("keep the mine open"), then the verb alone.
                let phrasal = (i + 1..tokens.len())
                    .take(8)
                    .filter(|&j| tokens[j].is_word())
                    .find_map(|j| {
                        phrase.clear();
                        phrase.push_str(key);
                        phrase.push(' ');
                        phrase.push_str(&facts[slots[j]].term);
                        let found = self.rules.opposites_of(&phrase);
                        (!found.is_empty()).then(|| {
                            let shown = tokens[j].span.of(content);
                            (found, format!("{word} \u{2026} {shown}"))
                        })
                    });
                let (found, shown) =
                    phrasal.unwrap_or((self.rules.opposites_of(key), word.to_string()));
                for (id, side) in found {
                    f.opposites.push((id.clone(), *side, shown.clone()));
                }
            }
            if eventive && (is_predicate || !groups.is_empty()) && !w.light_verb {
                events.push(key.clone());
                for g in groups {
                    events.push(g.clone());
                }
            } else if !(is_predicate && w.light_verb) {
                if t.capitalised && (i > 0 || !w.sentence_starter) {
                    names.push(key.clone());
                }
                participants.push(key.clone());
                // Groups of participant words (troops / forces) count as shared too.
                for g in groups.iter().chain(thing_groups) {
                    participants.push(g.clone());
                }
            }
            if negation_scope > 0 {
                negated_keys.push(key.clone());
                negated_keys.extend(w.groups.iter().cloned());
                if !w.light_verb {
                    negation_scope -= 1;
                }
            }
            after_negator = false;
        }
        self.words
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(cache);
        f.events = KeySet::from(events);
        f.participants = KeySet::from(participants);
        f.names = KeySet::from(names);
        f.negated = KeySet::from(negated_keys);
        // By key, each key's first occurrence kept (the sort is stable);
        // then only those not written as their key ("police"), which
        // evidence shows as the key.
        f.surface.sort_by(|a, b| a.0.cmp(&b.0));
        f.surface.dedup_by(|later, first| later.0 == first.0);
        f.surface.retain(|(key, start, end)| {
            content.get(*start as usize..*end as usize) != Some(&**key) || key.contains(':')
        });
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
            .map(|(c, _)| prefixed_key("name:", &c.to_lowercase()))
    }

    /// Points each word token of a claim at its word's facts in `cache`,
    /// working out those of words not seen before.
    fn word_slots(&self, tokens: &[crate::text::Token], lower: &str, cache: &mut WordCache) {
        if cache.facts.len() >= WORD_CACHE {
            cache.index.clear();
            cache.facts.clear();
        }
        let WordCache {
            index,
            facts,
            slots,
        } = cache;
        slots.clear();
        slots.extend(tokens.iter().map(|t| {
            if !t.is_word() {
                return usize::MAX;
            }
            let lw = t.span.of(lower);
            if let Some(&at) = index.get(lw) {
                return at;
            }
            let at = facts.len();
            facts.push(self.word_facts(lw));
            index.insert(lw.into(), at);
            at
        }));
    }

    /// The facts of a lowercase word, as [`Matcher::frame`] asked them
    /// word by word before they were kept.
    fn word_facts(&self, lw: &str) -> WordFacts {
        let rules = self.rules;
        let term = rules.term_key(lw);
        let alias = self.alias_key(lw);
        let key = alias.as_deref().unwrap_or(&term);
        let (thing_groups, groups): (Vec<&str>, Vec<&str>) = rules
            .groups_of(key)
            .into_iter()
            .partition(|g| rules.is_thing_group(g));
        let event_groups = groups.len();
        let groups = groups
            .into_iter()
            .chain(thing_groups)
            .map(|g| Key::from(prefixed_key("group:", g)))
            .collect();
        WordFacts {
            number: NUMBER_WORDS.iter().find(|(w, _)| *w == lw).map(|(_, n)| *n),
            negator: rules.is(LexiconRole::Negator, lw)
                || lw.ends_with("n't")
                || lw.ends_with("n\u{2019}t"),
            implicative: rules.is(LexiconRole::NegativeImplicative, lw),
            refuter: rules.is(LexiconRole::Refuter, lw),
            light_verb: rules.is(LexiconRole::LightVerb, lw),
            stopword: rules.is(LexiconRole::Stopword, lw),
            time_word: crate::text::TIME_WORDS.contains(&lw),
            sentence_starter: rules.is(LexiconRole::SentenceStarter, lw),
            term: term.into(),
            alias: alias.map(Key::from),
            groups,
            event_groups,
        }
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
        let mut p = self.oppose(fa, fb, &a.content.text)?;
        p.evidence.reason = who_opposes_whom(a, b, &p);
        Some(p)
    }

    /// The structural comparison shared by `pair` and `relate`.
    /// `ta` is the content `fa` was made from.
    fn oppose(&self, fa: &Frame, fb: &Frame, ta: &str) -> Option<Pairing> {
        let shared_events: Vec<Key> = fa.events.intersection(&fb.events).cloned().collect();
        let shared_part: Vec<Key> = self.shared_participants(fa, fb);
        let topic = self.topic(fa, fb, &shared_part);
        if shared_part.is_empty() {
            return None;
        }
        let mut rules: Vec<String> = shared_events
            .iter()
            .filter_map(|e| e.strip_prefix("group:"))
            .map(|g| g.to_string())
            .collect();
        // Every shared key is one of claim a's (above): shown as a wrote it.
        let show = |k: &Key| {
            fa.written(k, ta)
                .map_or_else(|| display_key(k), str::to_string)
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
        // 1. Opposite polarity about the same event: a denial or a negation,
        // when what is denied is what the other side states: a denial cue
        // denies the whole content; a negator, the words in its scope
        // ("76% didn't examine their supply chains" denies no reporting).
        let (neg, pos) = if fb.negative { (fb, fa) } else { (fa, fb) };
        let denies_what_is_stated = neg.stance == Stance::Denies
            || neg
                .negated
                .iter()
                .any(|k| pos.events.contains(k) || pos.participants.contains(k));
        if !shared_events.is_empty() && fa.negative != fb.negative && denies_what_is_stated {
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
        let units: Vec<&Key> = fa.numbers.iter().map(|(_, k, _)| k).collect();
        let other_topic = shared_part
            .iter()
            .any(|p| !p.starts_with("num:") && !units.contains(&p));
        // A figure in a unit or scale ("91.6 mln dlrs", "3 pct") measures
        // something named elsewhere: two of them conflict only about a
        // name both sides give ("Velmark's profit"), not about a kind of
        // thing ("hog prices", "the company's sales").
        let shared_name = fa.names.intersection(&fb.names).next().is_some();
        let counts =
            |w: &str| shared_name || !self.rules.is(LexiconRole::MeasureUnit, &w.to_lowercase());
        for (na, ka, wa) in fa
            .numbers
            .iter()
            .filter(|(_, _, w)| other_topic && counts(w))
        {
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
    fn shared_participants(&self, fa: &Frame, fb: &Frame) -> Vec<Key> {
        let mut out: Vec<Key> = fa
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
    fn topic(&self, fa: &Frame, fb: &Frame, shared: &[Key]) -> f64 {
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

    /// The topic terms of a text: content-word keys (aliases folded, light
    /// lemmas), figures as `num:<n>`, and the event groups words belong to.
    /// Function words, negators, hedges and refuting words carry no topic;
    /// a hyphenated compound that is not a known name counts as its parts.
    pub fn terms(&self, text: &str) -> Vec<String> {
        self.terms_as_written(text)
            .into_iter()
            .map(|(k, _)| k)
            .collect()
    }

    /// [`Matcher::terms`] with each key's word as written.
    fn terms_as_written(&self, text: &str) -> Vec<(String, String)> {
        let lower = text.to_lowercase();
        let mut out = Vec::new();
        let topical = |w: &str| {
            w.chars().count() >= 2
                && !self.rules.is(LexiconRole::Stopword, w)
                && !self.rules.is(LexiconRole::Negator, w)
                && !self.rules.is(LexiconRole::Hedge, w)
                && !self.rules.is(LexiconRole::Refuter, w)
        };
        for t in tokenize(text) {
            let lw = t.span.of(&lower);
            if t.kind == TokenKind::Number {
                if let Ok(n) = lw.replace(',', "").parse::<f64>() {
                    out.push((format!("num:{}", fmt_num(n)), lw.to_string()));
                }
                continue;
            }
            if !t.is_word() || !topical(lw) {
                continue;
            }
            // A hyphenated compound that is no known name is read as its
            // parts: "Al-Shabab" meets "Al Shabab", "bird-dropping" meets
            // "a bird dropping".
            let written = t.span.of(text);
            let parts: Vec<(&str, &str)> = if lw.contains('-') && self.alias_key(lw).is_none() {
                lw.split('-')
                    .zip(written.split('-'))
                    .filter(|(p, _)| topical(p))
                    .collect()
            } else {
                vec![(lw, written)]
            };
            for (part, shown) in parts {
                let key = self
                    .alias_key(part)
                    .unwrap_or_else(|| self.rules.term_key(part));
                for g in self.rules.groups_of(&key) {
                    out.push((format!("group:{g}"), g.to_string()));
                }
                out.push((key, shown.to_string()));
            }
        }
        out
    }

    /// A text read once for [`Matcher::relate`]: its claims, their frames,
    /// the topic terms of each claim's sentence and the cues in it.
    pub fn view(&self, claims: Vec<ClaimRecord>) -> TextView {
        let mut all = HashSet::new();
        let mut items = Vec::with_capacity(claims.len());
        for claim in claims {
            let frame = self.frame(&claim);
            let sentence = claim.sentence.text.as_str();
            let terms: HashSet<String> = self.terms(sentence).into_iter().collect();
            all.extend(terms.iter().cloned());
            let cues = self.cues(sentence);
            items.push(ViewItem {
                claim,
                frame,
                terms,
                cues,
            });
        }
        let mut starts: Vec<usize> = items.iter().map(|it| it.claim.sentence.start).collect();
        starts.sort_unstable();
        starts.dedup();
        TextView {
            items,
            all,
            sentences: starts.len(),
        }
    }

    /// The refuting words of a text, each once, in order.
    fn refuting_words(&self, view: &TextView) -> Vec<String> {
        distinct_words(view, |cues| &cues.refuters)
    }

    /// The hedging words of a text, each once, in order.
    fn hedge_words(&self, view: &TextView) -> Vec<String> {
        distinct_words(view, |cues| &cues.hedges)
    }

    /// Whether `sentence` rejects a story: a refuting word, a denial, a
    /// dismissed report ("shoot down rumors") or an answer ("No, ...").
    pub fn rejects(&self, sentence: &str) -> bool {
        let c = self.cues(sentence);
        !c.refuters.is_empty() || !c.denials.is_empty()
    }

    /// Refuting, hedging and relaying words of a sentence, as written.
    fn cues(&self, sentence: &str) -> SentenceCues {
        let lower = sentence.to_lowercase();
        let tokens = tokenize(sentence);
        let words: Vec<&str> = tokens
            .iter()
            .filter(|t| t.is_word())
            .map(|t| t.span.of(&lower))
            .collect();
        // Each word's token, to see the numbers beside it.
        let word_tokens: Vec<usize> = (0..tokens.len()).filter(|&k| tokens[k].is_word()).collect();
        let number_at = |k: Option<usize>| {
            k.and_then(|k| tokens.get(k))
                .is_some_and(|t| t.kind == crate::text::TokenKind::Number)
        };
        let number_after = |i: usize| number_at(Some(word_tokens[i] + 1));
        // A month name that is also a hedge ("May") is the date after a
        // preposition of time or before a number ("in May", "May 5"); after
        // one it is the modal all the same ("iOS 8.2 may launch").
        let a_date = |i: usize| {
            crate::text::TIME_WORDS.contains(&words[i])
                && (number_after(i)
                    || i > 0 && self.rules.is(LexiconRole::TimePreposition, words[i - 1]))
        };
        // A verb of measure before a quantity states the measure
        // ("weighing 280 pounds"), not a prospect ("weighing a bid").
        let a_measure =
            |i: usize| self.rules.is(LexiconRole::MeasureVerb, words[i]) && number_after(i);
        let mut c = SentenceCues {
            question: self.asks(sentence, &words),
            ..SentenceCues::default()
        };
        // "Amazon to open a store in Manhattan: DJ": a headline ending in a
        // colon and a short name credits what it says to that source.
        // The colon must be followed by a space: "http://..." credits no one.
        let credit = sentence
            .trim_end()
            .rfind(": ")
            .filter(|&colon| self.credits_a_source(sentence, colon));
        if let Some(colon) = credit {
            let tail: Vec<&crate::text::Token> = tokens
                .iter()
                .filter(|t| t.span.start > colon && t.span.of(sentence) != ".")
                .collect();
            let before = tokens
                .iter()
                .filter(|t| t.span.end <= colon && t.is_word())
                .count();
            if (1..=3).contains(&tail.len()) && tail.iter().all(|t| t.is_word()) && before >= 3 {
                let credited: Vec<&str> = tail.iter().map(|t| t.span.of(sentence)).collect();
                c.says.push(credited.join(" "));
            }
        }
        // "GOP Rep: At least ten fighters caught", "Officials: ...": a
        // headline opening with a short speaker and a colon credits what
        // follows to that speaker.
        if let Some(colon) = sentence.find(": ") {
            let lead: Vec<&str> = tokens
                .iter()
                .filter(|t| t.span.end <= colon && t.is_word())
                .map(|t| t.span.of(&lower))
                .collect();
            let speaker = (1..=4).contains(&lead.len())
                && lead.iter().any(|w| {
                    self.rules.is(LexiconRole::Role, w)
                        || self.rules.is(LexiconRole::Title, w)
                        || self.rules.is(LexiconRole::UnnamedSource, w)
                });
            if speaker {
                c.says.push(sentence[..colon].trim().to_string());
            }
        }
        // "No, X did not ...", "X dead? Nope": an answer word standing
        // alone (before a comma or at a sentence end) refutes.
        for (i, t) in tokens.iter().enumerate() {
            let w = t.span.of(&lower);
            if t.is_word() && self.rules.is(LexiconRole::Answer, w) {
                let next = tokens.get(i + 1).map(|n| n.span.of(sentence));
                if matches!(next, None | Some("," | "." | "!" | ":"))
                    && !crate::text::is_numbered_no(&tokens, sentence, i)
                {
                    c.refuters.push(t.span.of(sentence).to_string());
                }
            }
        }
        // "Probably not.", "Not really.": a short sentence of a negator and
        // adverbs answers what was asked before it.
        if (1..=3).contains(&words.len())
            && words.iter().any(|w| self.is_negator(w))
            && words.iter().all(|w| {
                self.is_negator(w) || w.ends_with("ly") || self.rules.is(LexiconRole::Answer, w)
            })
        {
            c.refuters.push(words.join(" "));
        }
        // "Officials shoot down claims ...", "Scientists doubt that ...": a
        // dismissing word governing a report noun or a that/whether clause
        // denies the story, as a denial cue does.
        let mut i = 0;
        while i < words.len() {
            let Some(len) = self.phrase_at(LexiconRole::Dismissal, &words, i) else {
                i += 1;
                continue;
            };
            let after = &words[i + len..];
            let clause = after
                .first()
                .is_some_and(|w| matches!(*w, "that" | "whether"));
            let object = after
                .iter()
                .take(DISMISSED_OBJECT)
                .position(|w| self.rules.is(LexiconRole::ReportNoun, w));
            // "refuses to confirm or deny reports": a denial not made.
            let unmade = i > 0 && matches!(words[i - 1], "to" | "or" | "nor");
            if (clause || object.is_some()) && !unmade {
                let end = i + len + object.map_or(1, |k| k + 1);
                let shown = words[i..end.min(words.len())].join(" ");
                c.denials.push(shown.clone());
                c.dismissals.push(shown);
            }
            i += len;
        }
        let mut unnamed: Vec<usize> = Vec::new();
        let mut spoken = false;
        for (i, w) in words.iter().enumerate() {
            // "Fake-News Report": a refuting word inside a compound counts.
            // ... unless negated ("no hoax", "not fake").
            let negated = words[i.saturating_sub(2)..i]
                .iter()
                .any(|p| self.is_negator(p));
            if (self.rules.is(LexiconRole::Refuter, w)
                || w.contains('-') && w.split('-').any(|p| self.rules.is(LexiconRole::Refuter, p)))
                && !negated
                && !self.locates(w, words.get(i + 1).copied())
            {
                c.refuters.push((*w).to_string());
            }
            if self.rules.is(LexiconRole::Hedge, w) && !a_date(i) && !a_measure(i) {
                c.hedges.push((*w).to_string());
            }
            if self.rules.is(LexiconRole::UnnamedSource, w) {
                unnamed.push(i);
            }
            if self.rules.is(LexiconRole::Retraction, w) {
                c.retractions.push((*w).to_string());
            }
            for role in [LexiconRole::Refuter, LexiconRole::Hedge] {
                for ph in self.rules.phrases(role) {
                    if ph.len() > 1
                        && words.len() >= i + ph.len()
                        && ph.iter().zip(&words[i..]).all(|(a, b)| a == b)
                    {
                        let shown = ph.join(" ");
                        match role {
                            LexiconRole::Refuter => c.refuters.push(shown),
                            _ => c.hedges.push(shown),
                        }
                    }
                }
            }
            // A cue counts where one of its forms is written out: "said"
            // starts "said to be" (alleging) but is a plain "say" alone.
            let mut written: Vec<usize> = self
                .rules
                .word(w)
                .cue_forms()
                .iter()
                .filter(|&&(ci, fi)| {
                    let form = &self.rules.cues[ci].forms[fi];
                    words.len() >= i + form.len()
                        && form.iter().zip(&words[i..]).all(|(a, b)| a == b)
                })
                .map(|&(ci, _)| ci)
                .collect();
            written.dedup();
            for ci in written {
                let cue = &self.rules.cues[ci];
                spoken = true;
                if matches!(cue.stance, Stance::Alleges | Stance::Reports) {
                    c.relays.push((*w).to_string());
                }
                // "refuses to confirm or deny": a denial not made.
                let unmade = i > 0 && matches!(words[i - 1], "to" | "or" | "nor");
                if cue.stance == Stance::Denies && !unmade {
                    c.denials.push((*w).to_string());
                }
                // Rule ids carry their file stem: the "say" cue is `cues/say`.
                if cue.id == "cues/say" {
                    c.says.push((*w).to_string());
                }
            }
        }
        // An unnamed source ("officials", "experts") attributes what the
        // sentence says when a cue goes with it ("officials say", "according
        // to sources", "officials denied") or when it closes the
        // sentence as a credit set off by a comma or a dash ("..., sources",
        // "... - senior officials"); elsewhere it is a participant
        // ("puzzles experts", "officials threatened").
        let closing = |i: usize| {
            let k = word_tokens[i];
            let set_off = |j: usize| {
                tokens.get(j).is_some_and(|t| {
                    matches!(
                        t.span.of(sentence),
                        "," | "-" | "\u{2013}" | "\u{2014}" | ":"
                    )
                })
            };
            i + 1 == words.len() && (k >= 1 && set_off(k - 1) || k >= 2 && set_off(k - 2))
        };
        for i in unnamed {
            if spoken || closing(i) {
                c.says.push(words[i].to_string());
            }
        }
        // A negated verifying word ("could not confirm", "has not been
        // independently verified", "declined to confirm") leaves what the
        // sentence says unconfirmed: a hedge, as "unconfirmed" is.
        for (k, t) in tokens.iter().enumerate() {
            let w = t.span.of(&lower);
            // Any negative implicative before "to": the one that negates a
            // word of knowing ("declined to confirm") negates no event
            // ([`Rules::implicative_negates`]) but leaves it unconfirmed.
            let implicative = self.rules.is(LexiconRole::NegativeImplicative, w)
                && tokens.get(k + 1).is_some_and(|n| n.span.of(&lower) == "to");
            if !t.is_word() || !self.is_negator(w) && !implicative {
                continue;
            }
            if let Some(v) = self
                .rules
                .verifying_after(Self::words_after(&tokens, &lower, k))
            {
                c.hedges.push(format!("{w} {v}"));
            }
        }
        c.relays.dedup();
        c.denials.dedup();
        // A question asks whether the story is false ("Real or hoax?"): it
        // relays the doubt without settling it.
        if c.question && !c.refuters.is_empty() {
            let asked = std::mem::take(&mut c.refuters);
            c.hedges.extend(asked);
        }
        c
    }

    /// Whether a sentence asks a question itself: it ends with a question
    /// mark that does not close a question someone is reported asking
    /// ("Teen wakes up mid-surgery and asks doctors How's it going?").
    /// One opening with an auxiliary or a question word asks all the same
    /// ("Has the mayor asked for a recount?").
    fn asks(&self, sentence: &str, lower_words: &[&str]) -> bool {
        let inverted = lower_words
            .first()
            .is_some_and(|w| self.rules.is(LexiconRole::QuestionOpener, w));
        sentence.trim_end().ends_with('?')
            && (inverted
                || !lower_words
                    .iter()
                    .any(|w| self.rules.is(LexiconRole::AskingVerb, w)))
    }

    /// The length in words of an entry of `role` starting at `words[i]`
    /// (the longest, phrases first), if one does.
    fn phrase_at(&self, role: LexiconRole, words: &[&str], i: usize) -> Option<usize> {
        let phrase = self
            .rules
            .phrases(role)
            .iter()
            .filter(|ph| {
                ph.len() > 1
                    && words.len() >= i + ph.len()
                    && ph.iter().zip(&words[i..]).all(|(a, b)| a == b)
            })
            .map(Vec::len)
            .max();
        phrase.or_else(|| self.rules.is(role, words[i]).then_some(1))
    }

    fn is_negator(&self, lower: &str) -> bool {
        self.rules.is(LexiconRole::Negator, lower)
            || lower.ends_with("n't")
            || lower.ends_with("n\u{2019}t")
    }

    /// Whether a verb of position before a place preposition says where
    /// something is ("the answer lies in the figures"): it then calls
    /// nothing false. `word` and `next` (the word after it) are lowercase.
    fn locates(&self, word: &str, next: Option<&str>) -> bool {
        next.is_some_and(|n| {
            self.rules.is(LexiconRole::PositionVerb, word)
                && self.rules.is(LexiconRole::PlacePreposition, n)
        })
    }

    /// Whether the refuting word `word` in a claim's content, followed by
    /// `next` (the token after it, if a word), calls nothing false:
    /// - before a common noun, written in lowercase, that names neither a
    ///   report nor a medium it qualifies that thing ("fake passports",
    ///   "false accounting entries", "a lie detector");
    /// - a verb of position before a place preposition ([`Matcher::locates`]).
    ///
    /// Before a report noun ("false claims"), a medium ("fake video",
    /// "hoax tweet"), a name ("Fake Fox News account", and any word of a
    /// title-case headline), a function word ("debunked the claim") or
    /// nothing ("the photo was fake") it refutes.
    fn refutes_nothing(&self, word: &str, next: Option<(&str, bool)>) -> bool {
        let Some((n, capitalised)) = next else {
            return false;
        };
        self.locates(word, Some(n))
            || !capitalised
                && !self.rules.is(LexiconRole::Stopword, n)
                && !self.rules.is(LexiconRole::ReportNoun, n)
                && !self.rules.is(LexiconRole::MediumNoun, n)
                && !self.rules.is(LexiconRole::ClauseOpener, n)
    }

    /// Whether token `i` negates the verb phrase after it: a predicate
    /// negator ("not", "never", "-n't") or a negative implicative before
    /// "to" ("failed to pass", "refused to resign").
    fn negates_verb_at(&self, tokens: &[crate::text::Token], lower: &str, i: usize) -> bool {
        let w = tokens[i].span.of(lower);
        w.ends_with("n't")
            || w.ends_with("n\u{2019}t")
            || self.rules.is(LexiconRole::PredicateNegator, w)
            || self.implicative_at(tokens, lower, i)
    }

    /// Whether token `i` is a negative implicative before "to" negating
    /// the verb after it ([`Rules::implicative_negates`]).
    fn implicative_at(&self, tokens: &[crate::text::Token], lower: &str, i: usize) -> bool {
        let at = |k: usize| tokens.get(k).map(|t| t.span.of(lower));
        self.rules
            .implicative_negates(tokens[i].span.of(lower), at(i + 1), at(i + 2))
    }

    /// Keys of the words in the scope of a negator in `sentence`.
    fn negated_keys(&self, sentence: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.scan_negations(sentence, |_, _, key| {
            out.push(key.to_string());
            false
        });
        out
    }

    /// A negator in `sentence` whose scope (the next few words, up to a
    /// clause break) reaches one of the claim's terms that the claim does
    /// not negate itself (`except`): the negator and the word.
    fn negated_term(
        &self,
        sentence: &str,
        claim: &[(String, f64)],
        except: &HashSet<String>,
    ) -> Option<Vec<String>> {
        let mut found = None;
        self.scan_negations(sentence, |neg, word, key| {
            if !except.contains(key) && claim.iter().any(|(k, _)| k == key) {
                found = Some(vec![neg.to_string(), word.to_string()]);
                return true;
            }
            false
        });
        found
    }

    /// A word of `sentence` on one side of an opposite rule when the claim
    /// has a word on the other side and none on this one: (rule id, the
    /// claim's word, the sentence's word).
    fn antonym(&self, claim: &str, sentence: &str) -> Option<(String, String, String)> {
        let sides = |text: &str| {
            let lower = text.to_lowercase();
            let mut out: Vec<(String, bool, String)> = Vec::new();
            for t in tokenize(text).iter().filter(|t| t.is_word()) {
                let key = self.rules.term_key(t.span.of(&lower));
                for (id, side) in self.rules.opposites_of(&key) {
                    out.push((id.clone(), *side, t.span.of(text).to_string()));
                }
            }
            out
        };
        let ours = sides(claim);
        let theirs = sides(sentence);
        for (id, side, word) in &theirs {
            let has = |s: bool| ours.iter().find(|(i, s2, _)| i == id && *s2 == s);
            if let (Some((_, _, mine)), None) = (has(!side), has(*side)) {
                return Some((id.clone(), mine.clone(), word.clone()));
            }
        }
        None
    }

    /// Whether the words after the colon at `colon` can name a source: in
    /// a headline written in title case every word is capitalised, so only
    /// a source noun, a report noun, a known alias or an acronym ("DJ")
    /// does; elsewhere a capitalised word does too.
    fn credits_a_source(&self, sentence: &str, colon: usize) -> bool {
        let words = |text: &str| -> Vec<String> {
            tokenize(text)
                .iter()
                .filter(|t| t.is_word())
                .map(|t| t.span.of(text).to_string())
                .collect()
        };
        let before = words(&sentence[..colon]);
        let tail = words(&sentence[colon + 1..]);
        let capital = |w: &String| w.chars().next().is_some_and(char::is_uppercase);
        let long: Vec<&String> = before.iter().filter(|w| w.len() > 3).collect();
        let title_case =
            !long.is_empty() && long.iter().filter(|w| capital(w)).count() * 10 >= long.len() * 7;
        tail.iter().any(|w| {
            let lower = w.to_lowercase();
            let acronym = w.len() >= 2 && w.chars().all(|c| c.is_ascii_uppercase());
            self.rules.is(LexiconRole::UnnamedSource, &lower)
                || self.rules.is(LexiconRole::OutletNoun, &lower)
                || self.rules.is(LexiconRole::ReportNoun, &lower)
                || self.alias_key(&lower).is_some()
                || acronym
                || !title_case && capital(w)
        })
    }

    /// Whether two attributed claims have the same speaker: the head word
    /// of one source (its last content word) is among the other's words
    /// ("A Saudi cleric" / "Saudi cleric"; not "A Lorvik bishop" / "Lorvik
    /// councillor").
    fn same_speaker(&self, a: &ClaimRecord, b: &ClaimRecord) -> bool {
        let (Some(sa), Some(sb)) = (&a.source, &b.source) else {
            return false;
        };
        let (ka, kb) = (
            self.terms(Self::head_phrase(&sa.text)),
            self.terms(Self::head_phrase(&sb.text)),
        );
        let heads = |k: &[String], other: &[String]| k.last().is_some_and(|h| other.contains(h));
        heads(&ka, &kb) || heads(&kb, &ka)
    }

    /// A source's noun phrase without the clause describing it: "A
    /// Catholic priest who was declared clinically dead" is a priest.
    fn head_phrase(source: &str) -> &str {
        let lower = source.to_ascii_lowercase();
        [" who ", " which ", " that ", ", "]
            .iter()
            .filter_map(|m| lower.find(m))
            .min()
            .map_or(source, |k| &source[..k])
    }

    /// The saying word by which `b`, read without an attribution (a
    /// title-case headline's "Claims" is not taken for a cue), has `a`'s
    /// speaker say something: "Catholic Priest Claims God Is Female" for
    /// "A priest who ... says he met God".
    fn speaker_relays(&self, a: &ClaimRecord, b: &ClaimRecord) -> Option<String> {
        let sa = a.source.as_ref()?;
        if b.source.is_some() {
            return None;
        }
        let head = self.terms(Self::head_phrase(&sa.text)).pop()?;
        let text = &b.sentence.text;
        let lower = text.to_lowercase();
        let tokens = tokenize(text);
        let mut seen_head = false;
        for t in tokens.iter().filter(|t| t.is_word()) {
            let w = t.span.of(&lower);
            let speaks = self.rules.cues_starting(w).iter().any(|&ci| {
                matches!(
                    self.rules.cues[ci].stance,
                    Stance::Asserts | Stance::Alleges
                )
            });
            if speaks && seen_head {
                return Some(w.to_string());
            }
            if self.terms(w).first() == Some(&head) {
                seen_head = true;
            }
        }
        None
    }

    /// Whether a negator after `before` is hedged: "may not", "may or may
    /// not" settle nothing; an adverb ("probably not") does not hedge it.
    fn hedged_negation(&self, before: &[crate::text::Token], lower: &str) -> bool {
        let mut prev = before.iter().rev().filter(|p| p.is_word());
        let Some(p) = prev.next().map(|p| p.span.of(lower)) else {
            return false;
        };
        p == "or" || self.rules.is(LexiconRole::Hedge, p) && !p.ends_with("ly")
    }

    /// Whether the negator at token `i` focuses what follows rather than
    /// negating it ("not only": [`crate::text::is_focusing_negator`]).
    /// "Not" after a conjunction still negates the words it governs ("took
    /// on a godson, but not to keep a werewolf at bay").
    fn focusing_negator(tokens: &[crate::text::Token], lower: &str, i: usize) -> bool {
        crate::text::is_focusing_negator(tokens.get(i + 1).map(|t| t.span.of(lower)))
    }

    /// The lowercase words after token `i`.
    fn words_after<'s>(
        tokens: &'s [crate::text::Token],
        lower: &'s str,
        i: usize,
    ) -> impl Iterator<Item = &'s str> + 's {
        tokens[i + 1..]
            .iter()
            .filter(|t| t.is_word())
            .map(move |t| t.span.of(lower))
    }

    /// Whether the negator at `i` denies no event: it negates knowing or
    /// telling about it ("isn't sure how", "won't say if": an indirect
    /// question after the word it negates).
    fn negates_no_event(&self, tokens: &[crate::text::Token], i: usize, lower: &str) -> bool {
        // "has not been verified": unconfirmed, not denied.
        if self
            .rules
            .verifying_after(Self::words_after(tokens, lower, i))
            .is_some()
        {
            return true;
        }
        // The one word of knowing or telling stands between, after an
        // adverb or not ("won't immediately say whether"): "won't when it
        // ships" elides a verb phrase before a clause of time, and "is
        // not the hero who" goes on with a relative clause.
        let after: Vec<&str> = tokens[i + 1..]
            .iter()
            .filter(|t| t.is_word())
            .map(|t| t.span.of(lower))
            .take(3)
            .collect();
        let verb = usize::from(after.first().is_some_and(|w| w.ends_with("ly")));
        // Only a word of knowing or telling: "wasn't killed when the bomb
        // went off" denies the killing.
        after
            .get(verb)
            .is_some_and(|w| self.rules.is(LexiconRole::KnowingWord, w))
            && after
                .get(verb + 1)
                .is_some_and(|w| self.rules.is(LexiconRole::Interrogative, w))
    }

    /// A negated predicate in `sentence` about the claim, when the negator
    /// scopes over no claim word: the clause before the negator names one
    /// of the claim's terms ("Paul Rudd is not the hero who ..."), or the
    /// negated verb phrase is elided ("... but won't when it ships", "No
    /// he wasn't"). Returns the clause words up to the negator, as written.
    fn negated_predicate(&self, sentence: &str, claim: &[(String, f64)]) -> Option<Vec<String>> {
        let lower = sentence.to_lowercase();
        let tokens = tokenize(sentence);
        for (i, t) in tokens.iter().enumerate() {
            let lw = t.span.of(&lower);
            if !t.is_word()
                || !self.negates_verb_at(&tokens, &lower, i)
                || self.hedged_negation(&tokens[..i], &lower)
                || self.negates_no_event(&tokens, i, &lower)
                || Self::focusing_negator(&tokens, &lower, i)
            {
                continue;
            }
            // The clause the negator sits in: back to a punctuation mark, a
            // word opening a clause or a cue ("insists", "says").
            let start = tokens[..i]
                .iter()
                .rposition(|p| {
                    let w = p.span.of(&lower);
                    !p.is_word() && p.kind != TokenKind::Number
                        || self.rules.is(LexiconRole::ClauseOpener, w)
                        || !self.rules.cues_starting(w).is_empty()
                })
                .map_or(0, |k| k + 1);
            let subject = &tokens[start..i];
            // A subject and its auxiliary: a longer stretch holds a verb of
            // its own, and the negation belongs to another clause.
            let short = subject.iter().filter(|p| p.is_word()).count() <= SUBJECT_WORDS;
            let names_claim = short
                && subject.iter().filter(|p| p.is_word()).any(|p| {
                    let w = p.span.of(&lower);
                    let key = self.alias_key(w).unwrap_or_else(|| self.rules.term_key(w));
                    claim.iter().any(|(k, _)| *k == key)
                });
            // Nothing follows but the end or a new clause: an elided verb
            // phrase, negating what the sentence said before.
            let elided = lw.ends_with("n't") || lw.ends_with("n\u{2019}t");
            let elided = elided
                && tokens[i + 1..]
                    .iter()
                    .find(|p| p.is_word())
                    .is_none_or(|p| self.rules.is(LexiconRole::ClauseOpener, p.span.of(&lower)));
            if names_claim || elided {
                let shown: Vec<String> = tokens[start..=i]
                    .iter()
                    .filter(|p| p.is_word())
                    .map(|p| p.span.of(sentence).to_string())
                    .collect();
                return Some(shown);
            }
        }
        None
    }

    /// Calls `hit(negator, word, key)` for each word in a negator's scope
    /// until it returns true.
    fn scan_negations(&self, sentence: &str, mut hit: impl FnMut(&str, &str, &str) -> bool) {
        let lower = sentence.to_lowercase();
        let tokens = tokenize(sentence);
        let scope = NEGATION_SCOPE;
        for (i, t) in tokens.iter().enumerate() {
            let lw = t.span.of(&lower);
            if !t.is_word() || !self.is_negator(lw) && !self.implicative_at(&tokens, &lower, i) {
                continue;
            }
            if self.hedged_negation(&tokens[..i], &lower)
                || self.negates_no_event(&tokens, i, &lower)
                || Self::focusing_negator(&tokens, &lower, i)
            {
                continue;
            }
            let (mut seen, mut content) = (0, 0);
            for t2 in &tokens[i + 1..] {
                if !t2.is_word() {
                    if t2.kind == TokenKind::Number {
                        continue;
                    }
                    break;
                }
                let w2 = t2.span.of(&lower);
                // A new clause ends the scope.
                if self.rules.is(LexiconRole::ClauseOpener, w2) {
                    break;
                }
                // The negated words are the first content words: function
                // words, light verbs and adverbs ("not personally") are
                // passed over; "no idea how the company truck ..." negates
                // "idea", not "company".
                if self.rules.is(LexiconRole::Stopword, w2)
                    || self.rules.is(LexiconRole::LightVerb, w2)
                    || w2.ends_with("ly")
                {
                    seen += 1;
                    if seen >= scope {
                        break;
                    }
                    continue;
                }
                let key = self
                    .alias_key(w2)
                    .unwrap_or_else(|| self.rules.term_key(w2));
                if hit(t.span.of(sentence), t2.span.of(sentence), &key) {
                    return;
                }
                content += 1;
                if content >= NEGATED_WORDS {
                    break;
                }
            }
        }
    }

    /// How much of the claim's topic `terms` cover, weighted by `idf`, in [0, 1].
    fn coverage(claim: &[(String, f64)], total: f64, terms: &HashSet<String>) -> f64 {
        if total <= 0.0 {
            return 0.0;
        }
        claim
            .iter()
            .filter(|(k, _)| terms.contains(k))
            .map(|(_, w)| w)
            .sum::<f64>()
            / total
    }

    /// How a text (read into `view`) relates to `claim`: the relation, its
    /// score and evidence. Used by `check` and the FNC-1 / Emergent
    /// evaluations.
    ///
    /// Relatedness is the IDF-weighted share of the claim's topic terms found
    /// in the best-matching sentence and in the whole text; sharing common
    /// words is not enough. Among related texts, the sentences that match the
    /// claim best decide: the structural comparison ([`Matcher::oppose`], the
    /// one `contradictions` uses) or a refuting, denying or retracting word in
    /// them makes it `contradicts`; hedged or relayed wording makes it
    /// `reports`; a plain assertion `supports`.
    pub fn relate(
        &self,
        claim: &ClaimRecord,
        view: &TextView,
        idf: &Idf,
    ) -> (Relation, f64, Evidence) {
        self.relate_known(claim, view, idf, false)
    }

    /// [`Matcher::relate`], told whether the text is known to be about the
    /// claim (`known_related`: as in a stance data set, where each text was
    /// collected as one about its claim). A known-related text is never
    /// `unrelated`: where its words do not align with the claim's enough
    /// to show it is about it, it is taken to be, its sentences are read as
    /// the ones carrying the claim (a headline's all, a long text's lead),
    /// and the same cues decide among contradicts, reports and supports.
    /// The evidence then names the rule [`ASSUMED_RELATED_RULE`] and its
    /// reason says the relation was decided under that assumption. A text
    /// with no sentence at all stays `unrelated`.
    pub fn relate_known(
        &self,
        claim: &ClaimRecord,
        view: &TextView,
        idf: &Idf,
        known_related: bool,
    ) -> (Relation, f64, Evidence) {
        let mut assumed = false;
        let (relation, score, mut evidence) =
            self.relate_inner(claim, view, idf, known_related, &mut assumed);
        if assumed && relation != Relation::Unrelated {
            evidence.rules.push(ASSUMED_RELATED_RULE.into());
            evidence.reason = format!(
                "{} (the text is known to be about the claim; its words do not show it)",
                evidence.reason
            );
        }
        (relation, score, evidence)
    }

    fn relate_inner(
        &self,
        claim: &ClaimRecord,
        view: &TextView,
        idf: &Idf,
        known_related: bool,
        assumed: &mut bool,
    ) -> (Relation, f64, Evidence) {
        let fc = self.frame(claim);
        let claim_text = claim.sentence.text.as_str();
        let mut keys: Vec<(String, String)> = self.terms_as_written(claim_text);
        keys.sort();
        keys.dedup_by(|a, b| a.0 == b.0);
        let surface: HashMap<String, String> = keys.iter().cloned().collect();
        let weighted: Vec<(String, f64)> = keys
            .into_iter()
            .map(|(k, _)| {
                let w = idf.weight(&k) * if k.starts_with("group:") { 0.5 } else { 1.0 };
                (k, w)
            })
            .collect();
        let total: f64 = weighted.iter().map(|(_, w)| w).sum();
        let unrelated = |score: f64| (Relation::Unrelated, score, Evidence::default());
        if view.items.is_empty() || total <= 0.0 && !known_related {
            return unrelated(0.0);
        }
        let covs: Vec<f64> = view
            .items
            .iter()
            .map(|it| Self::coverage(&weighted, total, &it.terms))
            .collect();
        let best = covs.iter().copied().fold(0.0, f64::max);
        let whole = Self::coverage(&weighted, total, &view.all);
        let related = RELATED_BEST * best + (1.0 - RELATED_BEST) * whole;
        let short = view.sentences <= SHORT_SENTENCES;
        let min = if short {
            RELATED_MIN_SHORT
        } else {
            RELATED_MIN
        };
        if related < min && !known_related {
            return unrelated(related);
        }
        *assumed = related < min;
        let shared: Vec<String> = weighted
            .iter()
            .filter(|(k, _)| view.all.contains(k) && !k.starts_with("group:"))
            .map(|(k, _)| surface.get(k).cloned().unwrap_or_else(|| display_key(k)))
            .collect();
        // The sentences that carry the claim's topic (in a headline-length
        // text, its best sentence always does).
        let focus: Vec<usize> = (0..view.items.len())
            .filter(|&i| {
                covs[i] > 0.0 && covs[i] >= FOCUS_SHARE * best && (covs[i] >= FOCUS_MIN || short)
            })
            .collect();
        // A text known to be about the claim whose words do not show it:
        // in a headline every sentence speaks of the claim, in a long
        // text its lead does.
        let focus: Vec<usize> = if *assumed && focus.is_empty() {
            (0..view.items.len().min(if short { usize::MAX } else { LEAD })).collect()
        } else {
            focus
        };
        // In a long text, a cue decides only in its lead; refuting words
        // further on count towards a debunking (5b.) or a dispute (5.).
        let long = view.items.len() > LEAD;
        let in_lead = |i: usize| !long || i < LEAD;
        let claim_cues = self.cues(claim_text);
        let claim_refutes = !claim_cues.refuters.is_empty() || !fc.refuters.is_empty();
        let text_refutes = view
            .items
            .iter()
            .any(|it| !it.cues.refuters.is_empty() || !it.cues.denials.is_empty());
        // A claim that itself calls the story false or denies it ("police
        // deny reports of ...") agrees with a text calling the story false
        // rather than contradicting it. (A negation alone is no denial of a
        // story: "a panel that didn't include women".)
        let claim_denies =
            claim_refutes || !claim_cues.denials.is_empty() || fc.stance == Stance::Denies;
        let denial_agreed = claim_denies && text_refutes;
        // A claim that refutes, denies or negates ("Culkin death hoax", "No,
        // Banksy hasn't been arrested") agrees with a text that refutes or
        // denies too: their opposition to the story is shared.
        let claim_negates = claim_denies || fc.negative;
        let shared_denial = claim_negates && text_refutes;
        // A claim that is only relayed (hedged, attributed to a source or
        // asked: "X reportedly ...", "Sources: ...", "X arrested?") is
        // neither contradicted by a long text that opposes it somewhere nor
        // supported by one that states it: the text takes up a report and
        // discusses it (5.), unless it debunks the story (5b.).
        // A hedging word counts wherever it stands, also where the claim
        // record has none ("ISIS Reportedly Beheads ...", in title case).
        let hedge_words = !claim_cues.hedges.is_empty();
        let claim_relayed = fc.hedged
            || hedge_words
            || claim.source.is_some()
            || !claim_cues.says.is_empty()
            || claim_text.contains('?');
        let relayed_disputed = long && claim_relayed;
        let mut disputing: Vec<String> = Vec::new();
        // A text whose sentences carrying the story attribute it ("X
        // claims", "it was reported"), or a long one hedging sentence after
        // sentence, does not state the story: it relays it (3., 5.).
        let relays_story = focus.iter().any(|&i| {
            matches!(
                view.items[i].claim.stance,
                Stance::Alleges | Stance::Reports
            )
        }) || long
            && sentences_with(view, |cues| &cues.hedges) >= HEDGED_SENTENCES;
        // 1. Structural opposition in a focus sentence.
        for &i in &focus {
            let it = &view.items[i];
            if !in_lead(i) || shared_denial {
                continue;
            }
            if let Some(p) = self.oppose(&fc, &it.frame, &claim.content.text) {
                // In a long text another figure or date is mostly about a
                // detail (an earlier count, a later step), not the claim's.
                let detail = matches!(p.kind, PairKind::NumberConflict | PairKind::DateConflict);
                if p.score >= MIN_SCORE && !(long && detail) && relayed_disputed {
                    disputing.extend(p.evidence.opposing);
                } else if p.score >= MIN_SCORE && !(long && detail) {
                    return (
                        Relation::Contradicts,
                        p.score.min(related.max(0.5)),
                        p.evidence,
                    );
                }
            }
        }
        // A long text that calls something false in many of its sentences
        // is a debunking of the story it tells: it agrees with a claim that
        // denies or negates the story, and opposes one that states it (5b.).
        let refuting_sentences = sentences_with(view, |cues| &cues.refuters);
        let debunks = long && refuting_sentences >= DEBUNKING_SENTENCES;
        if debunks && claim_negates {
            let words = self.refuting_words(view);
            return (
                Relation::Supports,
                related,
                Evidence {
                    reason: format!(
                        "calls the story false throughout ({}), as the claim does, about {}",
                        words.join(", "),
                        topic(&shared)
                    ),
                    shared,
                    opposing: words,
                    rules: vec!["matcher/shared-denial".into()],
                },
            );
        }
        // 2. A refuting, denying or retracting word in a focus sentence.
        // In a headline-length text every sentence speaks of the claim
        // ("Culkin Dead? Another Death Hoax Circulates").
        let deciding: Vec<usize> = if short {
            (0..view.items.len()).collect()
        } else {
            focus.clone()
        };
        // What the claim itself negates ("a panel that didn't include
        // women") is no opposition when the text negates it too.
        let claim_negated: HashSet<String> = self.negated_keys(claim_text).into_iter().collect();
        // A claim that denies the story is not contradicted by a text that
        // calls it false: 4. finds their shared denial.
        if !claim_refutes && !denial_agreed {
            for &i in &deciding {
                let it = &view.items[i];
                if !in_lead(i) {
                    continue;
                }
                // A long text that relays a party's denial discusses the claim.
                let denials: &[String] = if long { &[] } else { &it.cues.denials };
                let words: Vec<String> = it
                    .cues
                    .refuters
                    .iter()
                    .chain(denials)
                    .chain(&it.cues.retractions)
                    .cloned()
                    .collect();
                if !words.is_empty() && relayed_disputed {
                    disputing.extend(words);
                    continue;
                }
                if !words.is_empty() {
                    let rule = if !it.cues.refuters.is_empty() {
                        "lexicon/refuters"
                    } else if !denials.is_empty()
                        && denials.iter().all(|d| it.cues.dismissals.contains(d))
                    {
                        "lexicon/dismissals"
                    } else if !denials.is_empty() {
                        "cues/deny"
                    } else {
                        "lexicon/retractions"
                    };
                    return (
                        Relation::Contradicts,
                        related,
                        Evidence {
                            reason: format!(
                                "called {} in a sentence about {}: \u{201C}{}\u{201D}",
                                words.join(", "),
                                topic(&shared),
                                crate::report::clip(&it.claim.sentence.text, 160)
                            ),
                            shared: shared.clone(),
                            opposing: words,
                            rules: vec![rule.into()],
                        },
                    );
                }
                // A negator whose scope reaches a word of the claim, when
                // the claim negates nothing itself: a negative claim and a
                // negative text say the same ("students not among the
                // bodies" / "the bodies are not the students").
                if !long {
                    let claim_positive = !fc.negative && claim_negated.is_empty();
                    let negated = claim_positive
                        .then(|| {
                            self.negated_term(&it.claim.sentence.text, &weighted, &claim_negated)
                        })
                        .flatten();
                    if let Some(neg) = negated {
                        return (
                            Relation::Contradicts,
                            related,
                            Evidence {
                                reason: format!(
                                    "negates what the claim states about {}: \u{201C}{}\u{201D}",
                                    topic(&shared),
                                    neg.join(" \u{2026} ")
                                ),
                                shared: shared.clone(),
                                opposing: neg,
                                rules: vec!["lexicon/negators".into()],
                            },
                        );
                    }
                    // A negated predicate whose subject is the claim's
                    // ("Paul Rudd is not the hero"), or an elided one.
                    if claim_negated.is_empty() && !fc.negative {
                        if let Some(words) =
                            self.negated_predicate(&it.claim.sentence.text, &weighted)
                        {
                            return (
                                Relation::Contradicts,
                                related,
                                Evidence {
                                    reason: format!(
                                        "negates what it says of {}: \u{201C}{}\u{201D}",
                                        topic(&shared),
                                        words.join(" ")
                                    ),
                                    shared: shared.clone(),
                                    opposing: words,
                                    rules: vec!["lexicon/negators".into()],
                                },
                            );
                        }
                    }
                    // A word opposite to one of the claim's ("captured" /
                    // "safe", "killed" / "alive").
                    if let Some((rule, ours, theirs)) =
                        self.antonym(claim_text, &it.claim.sentence.text)
                    {
                        return (
                            Relation::Contradicts,
                            related,
                            Evidence {
                                reason: format!(
                                    "states the opposite of the claim about {}: \u{201C}{theirs}\u{201D} against \u{201C}{ours}\u{201D}",
                                    topic(&shared)
                                ),
                                shared: shared.clone(),
                                opposing: vec![ours, theirs],
                                rules: vec![rule],
                            },
                        );
                    }
                }
            }
        }
        // 3. The claim calls false what the text states, and nothing in the
        // text refutes or denies it ("X is a hoax" against a report of X).
        if claim_refutes && !text_refutes && !focus.is_empty() && !relays_story {
            let mut words = claim_cues.refuters.clone();
            if words.is_empty() {
                words = fc.refuters.clone();
            }
            return (
                Relation::Contradicts,
                related,
                Evidence {
                    reason: format!(
                        "states what the claim calls {} about {}",
                        words.join(", "),
                        topic(&shared)
                    ),
                    shared,
                    opposing: words,
                    rules: vec!["lexicon/refuters".into()],
                },
            );
        }
        // 4. The claim and a sentence carrying it both call the story false
        // or deny it: the text supports the claim's denial.
        if shared_denial {
            let agreeing = deciding.iter().find_map(|&i| {
                let it = &view.items[i];
                let words: Vec<String> = it
                    .cues
                    .refuters
                    .iter()
                    .chain(&it.cues.denials)
                    .cloned()
                    .collect();
                (in_lead(i) && !words.is_empty()).then_some((it, words))
            });
            if let Some((it, words)) = agreeing {
                let mut ours = claim_cues.refuters.clone();
                ours.extend(claim_cues.denials.iter().cloned());
                ours.extend(fc.negator.iter().cloned());
                ours.dedup();
                return (
                    Relation::Supports,
                    related,
                    Evidence {
                        reason: format!(
                            "denies or refutes what the claim does (\u{201C}{}\u{201D} / \u{201C}{}\u{201D}) about {}: \u{201C}{}\u{201D}",
                            ours.join(", "),
                            words.join(", "),
                            topic(&shared),
                            crate::report::clip(&it.claim.sentence.text, 160)
                        ),
                        shared,
                        opposing: words,
                        rules: vec!["matcher/shared-denial".into()],
                    },
                );
            }
        }
        // 5b. A debunking text (above) opposes a claim stating the story;
        // a claim that asks whether it is true ("Banksy arrested?") is
        // answered, not contradicted, and one that hedges it ("audio may
        // have captured the shooting", "Batmobile reportedly stolen")
        // states no story to oppose: the text discusses the report (5.).
        if debunks
            && !claim_negates
            && !claim_cues.question
            && !claim_text.contains('?')
            && !hedge_words
        {
            let words = self.refuting_words(view);
            return (
                Relation::Contradicts,
                related,
                Evidence {
                    reason: format!(
                        "calls the story about {} false in {} sentences ({})",
                        topic(&shared),
                        refuting_sentences,
                        words.join(", ")
                    ),
                    shared,
                    opposing: words,
                    rules: vec!["matcher/debunking".into()],
                },
            );
        }
        // 5. Hedged or relayed wording: reports; a plain assertion: supports.
        let mut hedges: Vec<String> = Vec::new();
        // In a long text whose lead tells the story, hedging decides there,
        // as other cues do: further on a text hedges details as it goes.
        let lead_tells = focus.iter().any(|&i| in_lead(i));
        for &i in &focus {
            let it = &view.items[i];
            if lead_tells && !in_lead(i) {
                continue;
            }
            // The claim is itself what someone said ("a cleric declared
            // that ..."): a headline of the same speaker saying it again
            // asserts the claim (a long text relays as it goes).
            if !long && self.same_speaker(claim, &it.claim) {
                continue;
            }
            // ... and one without an attribution in which the claim's
            // speaker says it again: the saying word relays nothing, other
            // hedging still does.
            let spoken = if long {
                None
            } else {
                self.speaker_relays(claim, &it.claim)
            };
            let said_again = |w: &&String| spoken.as_deref() != Some(w.to_lowercase().as_str());
            hedges.extend(it.cues.hedges.iter().filter(said_again).cloned());
            hedges.extend(it.cues.relays.iter().filter(said_again).cloned());
            if it.cues.question {
                hedges.push("?".into());
            }
            // A headline-length text, or the lead of a long one, that
            // attributes the claim ("X says", "sources") relays it; further
            // on, a long text attributes as it goes.
            if !long || in_lead(i) {
                hedges.extend(it.cues.says.iter().filter(said_again).cloned());
            }
            if matches!(it.claim.stance, Stance::Alleges | Stance::Reports) {
                if let Some(c) = &it.claim.cue {
                    hedges.push(c.text.to_lowercase());
                }
            }
        }
        // A long text that calls something false in a sentence or two,
        // without debunking the story (5b.), presents it as disputed.
        if long && !claim_negates && refuting_sentences > 0 {
            hedges.extend(self.refuting_words(view));
        }
        // A long text that hedges in sentence after sentence ("may",
        // "allegedly", "unconfirmed") tells the story as unconfirmed, even
        // when the sentences carrying the claim are worded plainly.
        if long
            && hedges.is_empty()
            && sentences_with(view, |cues| &cues.hedges) >= HEDGED_SENTENCES
        {
            hedges.extend(self.hedge_words(view));
        }
        // So does one whose lead hedges or relays in two sentences or more.
        if long && hedges.is_empty() {
            let lead_items = &view.items[..LEAD.min(view.items.len())];
            let mut starts: Vec<usize> = lead_items
                .iter()
                .filter(|it| !it.cues.hedges.is_empty() || !it.cues.relays.is_empty())
                .map(|it| it.claim.sentence.start)
                .collect();
            starts.dedup();
            if starts.len() >= LEAD_HEDGED_SENTENCES {
                for it in lead_items {
                    hedges.extend(it.cues.hedges.iter().cloned());
                    hedges.extend(it.cues.relays.iter().cloned());
                }
            }
        }
        hedges.sort();
        hedges.dedup();
        let lead = focus
            .iter()
            .copied()
            .max_by(|&a, &b| covs[a].total_cmp(&covs[b]).then(b.cmp(&a)))
            .map(|i| crate::report::clip(&view.items[i].claim.sentence.text, 160))
            .unwrap_or_default();
        // A claim that denies or negates the story, and a text that calls
        // it false or denies it somewhere without attributing it where it
        // tells it: their opposition to the story is shared, whatever
        // hedging goes with it.
        if !hedges.is_empty() && claim_negates && text_refutes && !relays_story {
            let mut words = self.refuting_words(view);
            words.extend(distinct_words(view, |cues| &cues.denials));
            return (
                Relation::Supports,
                related,
                Evidence {
                    reason: format!(
                        "calls the story false or denies it ({}), as the claim does, about {}",
                        words.join(", "),
                        topic(&shared)
                    ),
                    shared,
                    opposing: words,
                    rules: vec!["matcher/shared-denial".into()],
                },
            );
        }
        if !hedges.is_empty() {
            return (
                Relation::Reports,
                related,
                Evidence {
                    reason: format!(
                        "relays the claim about {} without endorsing it ({}): \u{201C}{lead}\u{201D}",
                        topic(&shared),
                        hedges.join(", ")
                    ),
                    shared,
                    opposing: hedges,
                    rules: vec!["matcher/hedged".into()],
                },
            );
        }
        // A long text about a claim that is only relayed, neither hedging
        // nor refuting it, takes up the report: it discusses it.
        // A claim that says who said it, plainly ("Pope says dogs can go
        // to heaven"), is about the saying: a text that reports it without
        // hedging or disputing it asserts the claim.
        let attributed_plainly = claim.source.is_some()
            && !fc.hedged
            && !claim_text.contains('?')
            && claim_cues.hedges.is_empty()
            && claim_cues.relays.is_empty();
        // So does a headline-length text stating plainly what the claim
        // hedges or asks ("X reportedly beheaded" / "IS beheads X").
        let claim_hedged = fc.hedged || claim_cues.question || hedge_words;
        let takes_up = relayed_disputed || !long && claim_hedged;
        if takes_up && !(attributed_plainly && disputing.is_empty()) {
            disputing.dedup();
            let reason = if disputing.is_empty() {
                let mut relaying: Vec<String> = claim_cues
                    .hedges
                    .iter()
                    .chain(&claim_cues.relays)
                    .chain(&claim_cues.says)
                    .cloned()
                    .collect();
                if claim_text.contains('?') {
                    relaying.push("?".into());
                }
                relaying.dedup();
                disputing = relaying;
                format!(
                    "takes up a claim about {} that is only relayed ({}): \u{201C}{lead}\u{201D}",
                    topic(&shared),
                    disputing.join(", ")
                )
            } else {
                format!(
                    "takes up a claim about {} that is only relayed and disputes it ({}): \u{201C}{lead}\u{201D}",
                    topic(&shared),
                    disputing.join(", ")
                )
            };
            return (
                Relation::Reports,
                related,
                Evidence {
                    reason,
                    shared,
                    opposing: disputing,
                    rules: vec!["matcher/relayed-claim".into()],
                },
            );
        }
        (
            Relation::Supports,
            related,
            Evidence {
                reason: format!(
                    "asserts the claim about {}: \u{201C}{lead}\u{201D}",
                    topic(&shared)
                ),
                shared,
                opposing: Vec::new(),
                rules: vec!["matcher/asserted".into()],
            },
        )
    }
}

/// The evidence rule of a relation decided for a text known to be about
/// the claim ([`Matcher::relate_known`]) whose words do not show it.
pub const ASSUMED_RELATED_RULE: &str = "matcher/known-related";

/// Weight of the best sentence (against the whole text) in relatedness.
const RELATED_BEST: f64 = 0.5;
/// Relatedness below this is `unrelated`. A text that retells a claim in
/// its own words shares only its names and a few others ("came first in
/// the singing competition" for "take the carol contest trophy"); on FNC-1
/// 0.26 separates such texts from unrelated ones better than 0.3 did.
const RELATED_MIN: f64 = 0.26;
/// ... and for a headline (at most [`SHORT_SENTENCES`] sentences), where
/// one shared name is already a large share of what both say.
const RELATED_MIN_SHORT: f64 = 0.1;
const SHORT_SENTENCES: usize = 3;
/// In a text longer than this many claims, a cue decides only in its first
/// [`LEAD`] claims (the lead).
const LEAD: usize = 3;
/// Function words, light verbs and adverbs passed over after a negator
/// before giving up on finding the word it negates.
const NEGATION_SCOPE: usize = 4;
/// Words of a negated clause before its negator (a subject and an
/// auxiliary: "Pope Francis did not").
const SUBJECT_WORDS: usize = 4;
/// Words after a dismissing word within which its report noun stands
/// ("shoot down congressman's claims").
const DISMISSED_OBJECT: usize = 4;
/// Content words after a negator that it negates ("no ISIL fighters").
const NEGATED_WORDS: usize = 2;
/// A focus sentence covers at least this share of the best sentence's coverage...
const FOCUS_SHARE: f64 = 0.7;
/// ... and at least this much of the claim.
const FOCUS_MIN: f64 = 0.2;
/// A long text with refuting words in this many sentences debunks the
/// story it tells.
const DEBUNKING_SENTENCES: usize = 3;
/// A long text with hedging words in this many sentences tells the story
/// as unconfirmed...
const HEDGED_SENTENCES: usize = 3;
/// ... and so does one with hedging or relaying words in this many
/// sentences of its lead.
const LEAD_HEDGED_SENTENCES: usize = 2;

/// Inverse document frequencies of topic terms over the texts being
/// compared (FNC-1 bodies and headlines, the lines of `check --pairs`, the
/// files given to `check`): a word most texts use says little about whether
/// two of them share a topic.
#[derive(Debug, Clone, Default)]
pub struct Idf {
    df: HashMap<String, u32>,
    docs: u32,
}

impl Idf {
    /// Document frequencies over `texts` (each counted once per text).
    pub fn from_texts<'a>(matcher: &Matcher<'_>, texts: impl IntoIterator<Item = &'a str>) -> Idf {
        let mut idf = Idf::default();
        for t in texts {
            let mut terms = matcher.terms(t);
            terms.sort();
            terms.dedup();
            for k in terms {
                *idf.df.entry(k).or_insert(0) += 1;
            }
            idf.docs += 1;
        }
        idf
    }

    /// The weight of a term: `ln((N + 1) / (df + 1)) + 1`; 1 for every term
    /// when fewer than two texts were counted.
    pub fn weight(&self, key: &str) -> f64 {
        if self.docs < 2 {
            return 1.0;
        }
        let df = f64::from(self.df.get(key).copied().unwrap_or(0));
        ((f64::from(self.docs) + 1.0) / (df + 1.0)).ln() + 1.0
    }
}

/// How many distinct sentences of a text carry one kind of cue word.
fn sentences_with(view: &TextView, kind: impl Fn(&SentenceCues) -> &Vec<String>) -> usize {
    let mut starts: Vec<usize> = view
        .items
        .iter()
        .filter(|it| !kind(&it.cues).is_empty())
        .map(|it| it.claim.sentence.start)
        .collect();
    starts.sort_unstable();
    starts.dedup();
    starts.len()
}

/// One kind of cue word of a text's sentences, each word once (ignoring
/// case), in order.
fn distinct_words(view: &TextView, kind: impl Fn(&SentenceCues) -> &Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in view.items.iter().flat_map(|it| kind(&it.cues)) {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(w)) {
            out.push(w.clone());
        }
    }
    out
}

/// Cue words found in one sentence.
#[derive(Debug, Clone, Default)]
struct SentenceCues {
    refuters: Vec<String>,
    hedges: Vec<String>,
    relays: Vec<String>,
    denials: Vec<String>,
    /// The denials made by a dismissing word ("shoots down rumors").
    dismissals: Vec<String>,
    retractions: Vec<String>,
    /// Plain attribution: a "say" cue or an unnamed source ("sources").
    says: Vec<String>,
    question: bool,
}

#[derive(Debug, Clone)]
struct ViewItem {
    claim: ClaimRecord,
    frame: Frame,
    terms: HashSet<String>,
    cues: SentenceCues,
}

/// A text read once for [`Matcher::relate`] (see [`Matcher::view`]).
#[derive(Debug, Clone, Default)]
pub struct TextView {
    items: Vec<ViewItem>,
    all: HashSet<String>,
    /// Distinct sentences the claims were read from.
    sentences: usize,
}

/// The reason of a stored pair in words naming both sides: "US-led
/// coalition denies what IMIS media accounts and Press TV allege (“denied”):
/// shared IMIS, confrontation".
fn who_opposes_whom(a: &ClaimRecord, b: &ClaimRecord, p: &Pairing) -> String {
    let name = |c: &ClaimRecord| {
        c.source
            .as_ref()
            .map(|s| s.canonical.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|| "the article".to_string())
    };
    // Coordinated sources ("X and Y") take the plural verb.
    let how = |c: &ClaimRecord| {
        let plural = name(c).contains(" and ");
        match (c.stance, plural) {
            (Stance::Asserts, false) => "states",
            (Stance::Asserts, true) => "state",
            (Stance::Alleges, false) => "alleges",
            (Stance::Alleges, true) => "allege",
            (Stance::Denies, false) => "denies",
            (Stance::Denies, true) => "deny",
            (Stance::Reports, false) => "reports",
            (Stance::Reports, true) => "report",
        }
    };
    // The side that denies or negates speaks second in the sentence.
    let negative = |c: &ClaimRecord| c.stance == Stance::Denies || c.polarity == Polarity::Negative;
    let (a, b) = match p.kind {
        PairKind::Denial | PairKind::Negation if negative(a) && !negative(b) => (b, a),
        _ => (a, b),
    };
    let (na, nb) = (name(a), name(b));
    let words = p.evidence.opposing.join("\u{201D}, \u{201C}");
    let shared = p.evidence.shared.join(", ");
    match p.kind {
        PairKind::Denial => format!(
            "{nb} denies what {na} {} (\u{201C}{words}\u{201D}); both about {shared}",
            how(a)
        ),
        PairKind::Negation => format!(
            "{nb} negates what {na} {} (\u{201C}{words}\u{201D}); both about {shared}",
            how(a)
        ),
        PairKind::Opposition => format!(
            "opposing positions: {na} \u{201C}{}\u{201D}, {nb} \u{201C}{}\u{201D}; both about {shared}",
            p.evidence.opposing.first().map_or("", String::as_str),
            p.evidence.opposing.get(1).map_or("", String::as_str)
        ),
        PairKind::NumberConflict => format!(
            "different numbers: {na} {}, {nb} {}; both about {shared}",
            p.evidence.opposing.first().map_or("", String::as_str),
            p.evidence.opposing.get(1).map_or("", String::as_str)
        ),
        PairKind::DateConflict => format!(
            "different dates: {na} {}, {nb} {}; both about {shared}",
            p.evidence.opposing.first().map_or("", String::as_str),
            p.evidence.opposing.get(1).map_or("", String::as_str)
        ),
        PairKind::Refutation => {
            format!("{nb} calls \u{201C}{words}\u{201D} what {na} {}; both about {shared}", how(a))
        }
    }
}

/// The shared terms a reason names, or "the same story" where there
/// are none (a text known to be about the claim: [`Matcher::relate_known`]).
fn topic(shared: &[String]) -> String {
    if shared.is_empty() {
        "the same story".into()
    } else {
        shared.join(", ")
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

#[cfg(test)]
mod tests {
    use super::{Key, KeySet};
    use std::collections::BTreeSet;

    /// Words of a sentence as keys, repeats and all.
    fn keys(words: &str) -> Vec<Key> {
        words.split_whitespace().map(Key::from).collect()
    }

    #[test]
    fn a_key_set_answers_as_a_btree_set_does() {
        let sides = [
            (
                "the patrol was stopped by the militia near the base",
                "militia denied the patrol was stopped",
            ),
            ("", "no confrontation at all"),
            ("a a a b", "b b c"),
        ];
        for (x, y) in sides {
            let (mut ka, mut ba) = (KeySet::default(), BTreeSet::new());
            for k in keys(x) {
                assert_eq!(ka.insert(k.clone()), ba.insert(k), "{x}");
            }
            let kb: KeySet = keys(y).into_iter().collect();
            let bb: BTreeSet<Key> = keys(y).into_iter().collect();
            assert_eq!(ka.iter().collect::<Vec<_>>(), ba.iter().collect::<Vec<_>>());
            assert_eq!(kb.iter().collect::<Vec<_>>(), bb.iter().collect::<Vec<_>>());
            assert_eq!(ka.len(), ba.len());
            assert_eq!(ka.is_empty(), ba.is_empty());
            assert_eq!(
                ka.intersection(&kb).collect::<Vec<_>>(),
                ba.intersection(&bb).collect::<Vec<_>>()
            );
            assert_eq!(
                ka.union(&kb).collect::<Vec<_>>(),
                ba.union(&bb).collect::<Vec<_>>()
            );
            for w in keys("patrol militia nothing b c") {
                assert_eq!(ka.contains(&w), ba.contains(&w), "{w} in {x}");
            }
        }
    }
}
