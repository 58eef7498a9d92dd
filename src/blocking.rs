//! An in-memory blocking index for matching many claims at once, and the
//! brute-force all-pairs baseline it must agree with.
//!
//! [`Matcher::pair`] only ever pairs two frames that share something
//! exactly, apart from one case (below):
//!
//! - refutation of the same event, denial, negation, number and date
//!   conflicts need a shared *event key* (`fa.events ∩ fb.events`);
//! - opposing positions need a shared *opposite rule* (`opp:<id>`);
//! - every pair needs a shared *participant* (`shared_participants` is not
//!   empty), exactly or loosely (a compound part, a name spelt a little
//!   differently);
//! - the one pairing without an event or opposite in common is a refutation
//!   ("... is a hoax") where exactly one side carries a refuting word and the
//!   participants are shared.
//!
//! So each claim is compared only with the earlier claims that share one of
//! its *blocking keys*:
//!
//! - every event key and opposite rule, alone, when at most `common` claims
//!   carry it; a more common one (`group:…/conflict`, `say`, `increas`) is used
//!   only together with a participant key, as the conjunction
//!   `event ∧ participant`, since a pair through that event also needs a
//!   participant in common. This is what keeps the cost near-linear;
//! - for the refutation without a shared event: a participant key, between a
//!   claim with refuting words and one without.
//!
//! Participant keys are the frame's participants plus each name with an
//! `al-`/`el-` prefix removed, plus every participant of the whole set that
//! the matcher would match loosely with one of the claim's own (a compound
//! and its part, two spellings of a name): a claim is filed and looked up
//! under all of them, so a loose match meets under the partner's own key.
//! With that, no pair at or above [`MIN_SCORE`] is lost by construction;
//! the tests and `gainsay bench --generate` check it against brute force. [`match_blocked`] with `common =
//! usize::MAX` never uses conjunctions; [`match_brute_force`] compares every
//! pair; `gainsay bench --generate` checks that all three agree.

use crate::matcher::{Frame, Matcher, MIN_SCORE};
use crate::model::{ClaimRecord, PairKind};
use rayon::prelude::*;
use std::collections::HashMap;
use std::ops::Range;

/// The default posting-list length above which an event key is used only in
/// conjunction with a participant key.
pub const DEFAULT_COMMON: usize = 256;

/// One pair at or above [`MIN_SCORE`]: indices into the claims, `a < b`
/// (the earlier claim is side a, as in the store).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FoundPair {
    pub a: u32,
    pub b: u32,
    pub kind: PairKind,
    pub score: f64,
}

/// What a matching run did.
#[derive(Debug, Clone, Default)]
pub struct MatchOutcome {
    /// Claim pairs handed to [`Matcher::pair`].
    pub considered: u64,
    /// Pairs scoring at least [`MIN_SCORE`], ordered by `b`, then `a`.
    pub pairs: Vec<FoundPair>,
}

// Key tags in the top two bits of a block key.
const SINGLE: u64 = 0;
const CONJ: u64 = 1 << 62;
const REFUTING: u64 = 2 << 62;
const PLAIN: u64 = 3 << 62;

/// A claim's keys, interned.
#[derive(Debug, Default)]
struct ClaimKeys {
    /// Event keys and `opp:` rules.
    events: Vec<u32>,
    /// Participant keys, folded names, and the participants of the whole
    /// set that the matcher would match loosely with one of these.
    participants: Vec<u32>,
    /// Carries a refuting word.
    refutes: bool,
}

/// A static inverted index from block keys to the claims carrying them,
/// each posting list in claim order.
pub struct BlockIndex {
    terms: HashMap<String, u32>,
    /// How many claims carry each event-side term.
    df: Vec<u32>,
    common: usize,
    postings: HashMap<u64, Range<u32>>,
    flat: Vec<u32>,
    loose: Loose,
}

/// The participant words and names seen, for finding the loose partners of
/// a refuting claim's participants (what `Matcher::pair` matches beyond
/// equal keys: a compound and its part, two spellings of a name).
#[derive(Default)]
struct Loose {
    /// Participant words without a `:` prefix, by their term id.
    words: HashMap<String, u32>,
    /// Longer words by a proper prefix or suffix (at least 3 bytes, and 3
    /// bytes shorter than the word): the other half of `compound_match`.
    affixes: HashMap<String, Vec<u32>>,
    /// Every name with its term id and a letter histogram for a cheap bound.
    names: Vec<(String, u32, ([u16; 27], usize))>,
}

/// Loose name equality, as in the matcher: `al-`/`el-` stripped, at least
/// four bytes each, equal or Jaro–Winkler ≥ 0.93.
fn names_match(a: &str, b: &str) -> bool {
    let (a, b) = (strip_name(a), strip_name(b));
    a.len() >= 4 && b.len() >= 4 && (a == b || strsim::jaro_winkler(a, b) >= 0.93)
}

fn strip_name(s: &str) -> &str {
    s.trim_start_matches("al-").trim_start_matches("el-")
}

/// Letter counts of a stripped name (other characters in one bucket), and
/// its length in characters.
fn histogram(s: &str) -> ([u16; 27], usize) {
    let mut h = [0u16; 27];
    let mut n = 0;
    for c in strip_name(s).chars() {
        let i = if c.is_ascii_lowercase() {
            (c as u8 - b'a') as usize
        } else {
            26
        };
        h[i] = h[i].saturating_add(1);
        n += 1;
    }
    (h, n)
}

/// A cheap necessary condition for [`names_match`]. Jaro–Winkler adds at
/// most 0.4 of the rest to Jaro, so ≥ 0.93 needs Jaro ≥ 0.883, hence
/// `m/|a| + m/|b| ≥ 1.65` for the `m` matching characters, and `m` is at
/// most the characters the two have in common.
fn may_match_names(ha: &([u16; 27], usize), hb: &([u16; 27], usize)) -> bool {
    let common: usize =
        ha.0.iter()
            .zip(&hb.0)
            .map(|(x, y)| (*x).min(*y) as usize)
            .sum();
    let (la, lb) = (ha.1.max(1) as f64, hb.1.max(1) as f64);
    common as f64 / la + common as f64 / lb >= 1.64
}

impl Loose {
    fn new(frames: &[Frame], terms: &HashMap<String, u32>) -> Loose {
        let mut loose = Loose::default();
        let mut names = std::collections::BTreeSet::new();
        for f in frames {
            for p in f.participants.iter().filter(|p| !p.contains(':')) {
                if !loose.words.contains_key(p) {
                    loose.words.insert(p.clone(), terms[p]);
                }
            }
            names.extend(f.names.iter().filter(|n| f.participants.contains(*n)));
        }
        for (w, &id) in &loose.words {
            for k in 3..=w.len().saturating_sub(3) {
                for piece in [w.get(..k), w.get(w.len() - k..)].into_iter().flatten() {
                    loose.affixes.entry(piece.to_string()).or_default().push(id);
                }
            }
        }
        for ids in loose.affixes.values_mut() {
            ids.sort_unstable();
            ids.dedup();
        }
        loose.names = names
            .into_iter()
            .map(|n| (n.clone(), terms[n], histogram(n)))
            .collect();
        loose
    }

    /// Term ids of participants another frame may carry that `Matcher`
    /// would match loosely with one of `f`'s.
    fn partners(&self, f: &Frame, cache: &mut HashMap<String, Vec<u32>>, out: &mut Vec<u32>) {
        for p in f.participants.iter().filter(|p| !p.contains(':')) {
            for k in 3..=p.len().saturating_sub(3) {
                for piece in [p.get(..k), p.get(p.len() - k..)].into_iter().flatten() {
                    out.extend(self.words.get(piece));
                }
            }
            out.extend(self.affixes.get(p).into_iter().flatten());
        }
        for n in &f.names {
            let found = cache.entry(n.clone()).or_insert_with(|| {
                let h = histogram(n);
                self.names
                    .iter()
                    .filter(|(m, _, hm)| may_match_names(&h, hm) && names_match(n, m))
                    .map(|(_, id, _)| *id)
                    .collect()
            });
            out.extend(found.iter().copied());
        }
    }
}

fn event_terms(f: &Frame) -> impl Iterator<Item = String> + '_ {
    f.events
        .iter()
        .cloned()
        .chain(f.opposites.iter().map(|(id, _, _)| format!("opp:{id}")))
}

fn participant_terms(f: &Frame) -> impl Iterator<Item = String> + '_ {
    f.participants
        .iter()
        .cloned()
        .chain(f.names.iter().map(|n| {
            let folded = n.trim_start_matches("al-").trim_start_matches("el-");
            format!("fold:{folded}")
        }))
}

impl BlockIndex {
    /// Builds the index over `frames` (claim `i` has frame `i`).
    pub fn build(frames: &[Frame], common: usize) -> BlockIndex {
        let mut terms: HashMap<String, u32> = HashMap::new();
        fn intern(t: String, terms: &mut HashMap<String, u32>) -> u32 {
            let n = terms.len() as u32;
            *terms.entry(t).or_insert(n)
        }
        let keys: Vec<ClaimKeys> = frames
            .iter()
            .map(|f| {
                let mut k = ClaimKeys {
                    events: event_terms(f).map(|t| intern(t, &mut terms)).collect(),
                    participants: participant_terms(f)
                        .map(|t| intern(t, &mut terms))
                        .collect(),
                    refutes: !f.refuters.is_empty(),
                };
                k.events.sort_unstable();
                k.events.dedup();
                k.participants.sort_unstable();
                k.participants.dedup();
                k
            })
            .collect();
        let loose = Loose::new(frames, &terms);
        let mut cache = HashMap::new();
        let mut keys = keys;
        for (k, f) in keys.iter_mut().zip(frames) {
            loose.partners(f, &mut cache, &mut k.participants);
            k.participants.sort_unstable();
            k.participants.dedup();
        }
        let mut df = vec![0u32; terms.len()];
        for k in &keys {
            for &e in &k.events {
                df[e as usize] += 1;
            }
        }
        let mut index = BlockIndex {
            terms,
            df,
            common,
            postings: HashMap::new(),
            flat: Vec::new(),
            loose,
        };
        let mut entries: Vec<(u64, u32)> = Vec::new();
        for (i, k) in keys.iter().enumerate() {
            let before = entries.len();
            index.block_keys(k, &mut |key| entries.push((key, i as u32)));
            // Store-side keys: a refuting claim is found by plain ones and back.
            for &p in &k.participants {
                let side = if k.refutes { REFUTING } else { PLAIN };
                entries.push((side | p as u64, i as u32));
            }
            // A claim's own keys are distinct; keep them so.
            entries[before..].sort_unstable();
        }
        drop(keys);
        entries.sort_unstable();
        entries.dedup();
        index.flat = Vec::with_capacity(entries.len());
        let mut start = 0usize;
        while start < entries.len() {
            let key = entries[start].0;
            let from = index.flat.len() as u32;
            let mut end = start;
            while end < entries.len() && entries[end].0 == key {
                index.flat.push(entries[end].1);
                end += 1;
            }
            index.postings.insert(key, from..index.flat.len() as u32);
            start = end;
        }
        index
    }

    /// The keys under which a claim is stored and looked up (without the
    /// refutation side keys, which differ between storing and looking up).
    fn block_keys(&self, k: &ClaimKeys, out: &mut impl FnMut(u64)) {
        for &e in &k.events {
            if (self.df[e as usize] as usize) <= self.common {
                out(SINGLE | e as u64);
            } else {
                for &p in &k.participants {
                    out(CONJ | (e as u64) << 31 | p as u64);
                }
            }
        }
    }

    /// Interned keys of a frame, leaving out terms the index has never seen.
    fn keys_of(&self, f: &Frame) -> ClaimKeys {
        let look = |t: String| self.terms.get(&t).copied();
        let mut k = ClaimKeys {
            events: event_terms(f).filter_map(look).collect(),
            participants: participant_terms(f).filter_map(look).collect(),
            refutes: !f.refuters.is_empty(),
        };
        self.loose
            .partners(f, &mut HashMap::new(), &mut k.participants);
        k.participants.sort_unstable();
        k.participants.dedup();
        k
    }

    /// Indexed claims below `below` that share a blocking key with `f`,
    /// ascending and without repeats.
    pub fn candidates(&self, f: &Frame, below: u32) -> Vec<u32> {
        let k = self.keys_of(f);
        let mut out: Vec<u32> = Vec::new();
        let mut take = |key: u64| {
            if let Some(r) = self.postings.get(&key) {
                let list = &self.flat[r.start as usize..r.end as usize];
                let n = list.partition_point(|&j| j < below);
                out.extend_from_slice(&list[..n]);
            }
        };
        self.block_keys(&k, &mut take);
        for &p in &k.participants {
            let other = if k.refutes { PLAIN } else { REFUTING };
            take(other | p as u64);
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Entries in all posting lists (a measure of the index's size).
    pub fn entries(&self) -> usize {
        self.flat.len()
    }
}

/// Pairs every claim with the earlier claims that share a blocking key,
/// in parallel on the current rayon pool. Returns the index as well, for
/// matching new claims against it.
pub fn match_blocked(
    matcher: &Matcher<'_>,
    claims: &[ClaimRecord],
    frames: &[Frame],
    common: usize,
) -> (MatchOutcome, BlockIndex) {
    let index = BlockIndex::build(frames, common);
    let per_claim: Vec<(u64, Vec<FoundPair>)> = (0..claims.len())
        .into_par_iter()
        .map(|i| {
            let cands = index.candidates(&frames[i], i as u32);
            let found = cands
                .iter()
                .filter_map(|&j| pair_at(matcher, claims, frames, j, i as u32))
                .collect();
            (cands.len() as u64, found)
        })
        .collect();
    let mut out = MatchOutcome::default();
    for (n, found) in per_claim {
        out.considered += n;
        out.pairs.extend(found);
    }
    (out, index)
}

/// Compares every claim with every earlier claim, in parallel on the
/// current rayon pool: the baseline blocking must agree with.
pub fn match_brute_force(
    matcher: &Matcher<'_>,
    claims: &[ClaimRecord],
    frames: &[Frame],
) -> MatchOutcome {
    let per_claim: Vec<Vec<FoundPair>> = (0..claims.len() as u32)
        .into_par_iter()
        .map(|i| {
            (0..i)
                .filter_map(|j| pair_at(matcher, claims, frames, j, i))
                .collect()
        })
        .collect();
    let n = claims.len() as u64;
    MatchOutcome {
        considered: n * n.saturating_sub(1) / 2,
        pairs: per_claim.into_iter().flatten().collect(),
    }
}

/// Matches `new` claims (not in the index) against every indexed claim.
pub fn match_new(
    matcher: &Matcher<'_>,
    index: &BlockIndex,
    claims: &[ClaimRecord],
    frames: &[Frame],
    new: &[ClaimRecord],
) -> MatchOutcome {
    let mut out = MatchOutcome::default();
    for (n, c) in new.iter().enumerate() {
        let f = matcher.frame(c);
        for j in index.candidates(&f, u32::MAX) {
            out.considered += 1;
            let (a, fa) = (&claims[j as usize], &frames[j as usize]);
            if let Some(p) = matcher.pair(a, fa, c, &f) {
                if p.score >= MIN_SCORE {
                    out.pairs.push(FoundPair {
                        a: j,
                        b: n as u32,
                        kind: p.kind,
                        score: p.score,
                    });
                }
            }
        }
    }
    out
}

fn pair_at(
    matcher: &Matcher<'_>,
    claims: &[ClaimRecord],
    frames: &[Frame],
    a: u32,
    b: u32,
) -> Option<FoundPair> {
    let (ai, bi) = (a as usize, b as usize);
    matcher
        .pair(&claims[ai], &frames[ai], &claims[bi], &frames[bi])
        .filter(|p| p.score >= MIN_SCORE)
        .map(|p| FoundPair {
            a,
            b,
            kind: p.kind,
            score: p.score,
        })
}

/// Pairs in `expected` missing from `got` (or found there with another kind
/// or score), and pairs in `got` not expected.
pub fn differences(expected: &[FoundPair], got: &[FoundPair]) -> (Vec<FoundPair>, Vec<FoundPair>) {
    let by_ends = |ps: &[FoundPair]| -> HashMap<(u32, u32), FoundPair> {
        ps.iter().map(|p| ((p.a, p.b), *p)).collect()
    };
    let (want, have) = (by_ends(expected), by_ends(got));
    let lost = expected
        .iter()
        .filter(|p| have.get(&(p.a, p.b)) != Some(*p))
        .copied()
        .collect();
    let extra = got
        .iter()
        .filter(|g| !want.contains_key(&(g.a, g.b)))
        .copied()
        .collect();
    (lost, extra)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Extractor;
    use crate::rules::Rules;

    fn sample_claims(rules: &Rules) -> Vec<ClaimRecord> {
        let ex = Extractor::new(rules);
        crate::sample::documents()
            .iter()
            .flat_map(|d| ex.extract(d))
            .collect()
    }

    #[test]
    fn blocking_finds_every_pair_brute_force_finds_on_the_samples() {
        let rules = Rules::builtin().unwrap();
        let m = Matcher::new(&rules);
        let claims = sample_claims(&rules);
        let frames: Vec<Frame> = claims.iter().map(|c| m.frame(c)).collect();
        let brute = match_brute_force(&m, &claims, &frames);
        assert!(!brute.pairs.is_empty(), "the samples hold contradictions");
        for common in [usize::MAX, 2, 0] {
            let (blocked, _) = match_blocked(&m, &claims, &frames, common);
            assert_eq!(blocked.pairs, brute.pairs, "common = {common}");
            assert!(blocked.considered <= brute.considered);
        }
    }

    #[test]
    fn blocking_agrees_with_brute_force_on_generated_claims() {
        let rules = Rules::builtin().unwrap();
        let m = Matcher::new(&rules);
        let base = sample_claims(&rules);
        let claims = crate::generate::generate(&base, 1500, 7);
        let frames: Vec<Frame> = claims.iter().map(|c| m.frame(c)).collect();
        let brute = match_brute_force(&m, &claims, &frames);
        assert!(brute.pairs.len() > 50, "{} pairs", brute.pairs.len());
        let (blocked, _) = match_blocked(&m, &claims, &frames, 8);
        let (lost, extra) = differences(&brute.pairs, &blocked.pairs);
        assert!(
            lost.is_empty() && extra.is_empty(),
            "lost {lost:?} extra {extra:?}"
        );
        assert!(blocked.considered < brute.considered / 4);
    }

    #[test]
    fn new_claims_meet_the_indexed_claims_they_oppose() {
        let rules = Rules::builtin().unwrap();
        let m = Matcher::new(&rules);
        let claims = sample_claims(&rules);
        let (old, new) = claims.split_at(claims.len() / 2);
        let frames: Vec<Frame> = old.iter().map(|c| m.frame(c)).collect();
        let (_, index) = match_blocked(&m, old, &frames, 2);
        let found = match_new(&m, &index, old, &frames, new);
        // The same pairs as comparing each new claim with every old one.
        let mut expected = 0;
        for c in new {
            let f = m.frame(c);
            for (a, fa) in old.iter().zip(&frames) {
                if m.pair(a, fa, c, &f).is_some_and(|p| p.score >= MIN_SCORE) {
                    expected += 1;
                }
            }
        }
        assert_eq!(found.pairs.len(), expected);
    }
}
