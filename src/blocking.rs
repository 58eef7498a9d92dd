//! Matching many claims at once: compact frames, an inverted index of
//! blocking keys, and the brute-force all-pairs baseline it must agree with.
//!
//! Three stages, each cheaper than the next is costly:
//!
//! 1. [`FrameStore`] reads every claim into its [`Frame`] once and keeps it
//!    compact: every string interned to a `u32`, the sets as sorted id
//!    runs, all claims in one arena. A frame is rebuilt only for a pair
//!    that reaches the matcher.
//! 2. [`BlockIndex`] files each claim under its *blocking keys* and hands
//!    a claim only the earlier claims that share one.
//! 3. [`PairRule`] first checks, on the compact frames, what every pair the
//!    matcher would report must have (below), then asks
//!    [`Matcher::pair`] and applies the rarity rule ([`crate::rarity`]) as
//!    `ingest` does. Blocking and brute force both go through it, so that
//!    "identical to brute force" means blocking loses nothing.
//!
//! What a reported pair needs, read off [`Matcher::pair`]: a shared
//! participant; and either a shared event key with opposite polarity, a
//! refuting word on one side only, an opposite rule taken from both sides,
//! or a shared event with different figures for one counted thing or
//! different first dates. Across documents in a set of at least
//! [`rarity::MIN_CLAIMS_FOR_RARITY`] claims the rarity rule adds: a shared
//! content word with rarity ≥ 0.55 for every kind but number and date
//! conflicts, which need a shared name with rarity ≥ 0.55.
//!
//! So the keys, each a conjunction with a rare word `p` the pair must share:
//!
//! | key                         | filed with | meets               |
//! |-----------------------------|------------|---------------------|
//! | event ∧ `p` (rarity ≥ 0.55) | polarity   | the other polarity  |
//! | opposite rule ∧ `p` (≥ 0.55)| side       | the other side      |
//! | `p` (≥ 0.55)                | refuting   | the other           |
//! | event ∧ unit ∧ name (≥ 0.55)| figures    | the same            |
//! | event ∧ name (≥ 0.55)       | dates      | the same            |
//!
//! Claims of one document all meet (the rarity rule does not apply within
//! a document), and below the rarity threshold every claim meets every
//! other. Rare words have short posting lists by definition (df ≤ N^0.45),
//! and the conjunctions shorten them further: the cost stays near N log N.

use crate::matcher::{Frame, Key, Matcher, MIN_SCORE};
use crate::model::{ClaimRecord, Evidence, PairKind, Stance};
use crate::rarity;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::Arc;

/// Where the claims come from: held in memory, or made on demand.
pub trait Claims: Sync {
    fn count(&self) -> usize;
    /// Claim `i`, for `i < count()`.
    fn get(&self, i: usize) -> Option<Cow<'_, ClaimRecord>>;
    /// The group claim `i` was made in, when the claims were made in
    /// groups (a generated family): pairs are counted within and across.
    fn group(&self, _i: usize) -> Option<usize> {
        None
    }
    /// Claim `i`'s frame, when the caller holds it already: pairing then
    /// borrows it instead of making it again from the compact frames.
    fn frame(&self, _i: usize) -> Option<&Frame> {
        None
    }
}

impl Claims for [ClaimRecord] {
    fn count(&self) -> usize {
        self.len()
    }
    fn get(&self, i: usize) -> Option<Cow<'_, ClaimRecord>> {
        <[ClaimRecord]>::get(self, i).map(Cow::Borrowed)
    }
}

impl Claims for crate::generate::Generator {
    fn count(&self) -> usize {
        self.len()
    }
    fn get(&self, i: usize) -> Option<Cow<'_, ClaimRecord>> {
        self.claim(i).map(Cow::Owned)
    }
    fn group(&self, i: usize) -> Option<usize> {
        self.family(i)
    }
}

/// One pair at or above [`MIN_SCORE`]: indices into the claims, `a < b`
/// (the earlier claim is side a, as in the store).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FoundPair {
    pub a: u32,
    pub b: u32,
    pub kind: PairKind,
    pub score: f64,
}

/// What a matching run did. Pairs are counted and hashed as they are
/// found; they are kept only when asked (memory stays bounded otherwise).
#[derive(Debug, Clone, Default)]
pub struct MatchOutcome {
    /// Claim pairs blocking handed over (every pair, for brute force).
    pub considered: u64,
    /// Pairs that passed the cheap checks and went to [`Matcher::pair`].
    pub scored: u64,
    /// Pairs reported (at or above [`MIN_SCORE`], rare enough).
    pub found: u64,
    /// Reported pairs by kind, in the order of [`PairKind::ALL`].
    pub by_kind: [u64; 6],
    /// Reported pairs within one group (see [`Claims::group`]).
    pub within_groups: u64,
    /// A hash of the reported pairs, independent of the order found.
    pub digest: u64,
    /// The reported pairs, ordered by `b`, then `a`, when kept.
    pub pairs: Vec<FoundPair>,
    /// Each kept pair's evidence, in the order of `pairs`, when asked for
    /// ([`match_blocked_with_evidence`]).
    pub evidence: Vec<Evidence>,
}

/// What a matching run keeps of the pairs it finds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// Counts and a hash only.
    Counts,
    Pairs,
    /// The pairs with their evidence.
    Evidence,
}

impl Keep {
    fn pairs(keep: bool) -> Keep {
        if keep {
            Keep::Pairs
        } else {
            Keep::Counts
        }
    }
}

impl MatchOutcome {
    fn add(&mut self, p: FoundPair, evidence: Evidence, keep: Keep) {
        self.found += 1;
        let k = PairKind::ALL.iter().position(|&k| k == p.kind).unwrap_or(0);
        self.by_kind[k] += 1;
        let h = mix(mix(mix(u64::from(p.a)) ^ u64::from(p.b)) ^ k as u64 ^ p.score.to_bits());
        self.digest = self.digest.wrapping_add(h);
        match keep {
            Keep::Counts => {}
            Keep::Pairs => self.pairs.push(p),
            Keep::Evidence => {
                self.pairs.push(p);
                self.evidence.push(evidence);
            }
        }
    }

    fn merge(mut self, other: MatchOutcome) -> MatchOutcome {
        self.considered += other.considered;
        self.scored += other.scored;
        self.found += other.found;
        self.within_groups += other.within_groups;
        for (a, b) in self.by_kind.iter_mut().zip(other.by_kind) {
            *a += b;
        }
        self.digest = self.digest.wrapping_add(other.digest);
        self.pairs.extend(other.pairs);
        self.evidence.extend(other.evidence);
        self
    }

    fn finish(mut self) -> MatchOutcome {
        if self.evidence.is_empty() {
            self.pairs.sort_by_key(|p| (p.b, p.a));
        } else {
            let mut both: Vec<(FoundPair, Evidence)> =
                self.pairs.drain(..).zip(self.evidence.drain(..)).collect();
            both.sort_by_key(|(p, _)| (p.b, p.a));
            (self.pairs, self.evidence) = both.into_iter().unzip();
        }
        self
    }
}

/// SplitMix64's finaliser: a cheap, well-spread hash of a `u64`.
fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Interned strings: each distinct string once, by a dense `u32` id.
#[derive(Default)]
struct Terms {
    ids: FxHashMap<Box<str>, u32>,
    strings: Vec<Box<str>>,
    /// Frame keys met before, by address, with the id of their string:
    /// most of a set's keys are shared by many frames ([`Key`]), and an
    /// address is found without hashing or comparing the string. Each key
    /// is held, so that its address cannot be taken by another string.
    keys: FxHashMap<usize, (Key, u32)>,
}

impl Terms {
    /// [`Terms::intern`] for a frame's key, by its address once seen.
    /// (Asking whether a key is shared before keeping it reads the key's
    /// count from memory the look-up by address never touches, and cost
    /// more than the look-up saved.)
    fn intern_key(&mut self, k: &Key) -> u32 {
        let at = Key::as_ptr(k) as *const u8 as usize;
        if let Some(&(_, id)) = self.keys.get(&at) {
            return id;
        }
        let id = self.intern(k);
        self.keys.insert(at, (Key::clone(k), id));
        id
    }

    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.strings.len() as u32;
        self.strings.push(s.into());
        self.ids.insert(s.into(), id);
        id
    }

    fn id(&self, s: &str) -> Option<u32> {
        self.ids.get(s).copied()
    }

    fn str(&self, id: u32) -> &str {
        self.strings.get(id as usize).map_or("", |s| s)
    }
}

/// No string (a frame without a negator).
const NONE: u32 = u32::MAX;
/// Words of a frame's header in the arena (see [`FrameStore::push`]).
const HEADER: usize = 12;

/// Every claim's frame, strings interned, in one arena of `u32`s; with the
/// document frequency of every term over the set.
///
/// A frame's run in the arena: a header (document, flags, negator, then
/// the lengths of the nine sections), then events (sorted ids),
/// participants (sorted), names (sorted), opposite rules
/// (rule, side, word), numbers (value as two words, key, word), dates,
/// refuting words, surface forms (key, start, end), negated keys (sorted).
#[derive(Default)]
pub struct FrameStore {
    terms: Terms,
    data: Vec<u32>,
    starts: Vec<u64>,
    /// Claims carrying each term among their events or participants.
    df: Vec<u32>,
    /// Each term's rarity over the set (below 0 for figures and groups,
    /// which do not count).
    rarity: Vec<f64>,
    /// The claims the rarity rule counts over, when more than the set's
    /// (see [`FrameStore::count_over`]).
    corpus: Option<usize>,
}

/// The parts of a compact frame the cheap checks and the keys read.
#[derive(Clone, Copy)]
struct View<'a> {
    doc: u32,
    negative: bool,
    refutes: bool,
    events: &'a [u32],
    participants: &'a [u32],
    names: &'a [u32],
    /// (rule, side, word) triples.
    opposites: &'a [u32],
    /// (value low, value high, key, word) quadruples.
    numbers: &'a [u32],
    dates: &'a [u32],
}

/// Claims framed at a time: frames are made in parallel, a chunk at a
/// time, and interned in order.
const CHUNK: usize = 1 << 14;

impl FrameStore {
    /// Frames every claim of `claims` on the current rayon pool.
    pub fn build<C: Claims + ?Sized>(matcher: &Matcher<'_>, claims: &C) -> FrameStore {
        let n = claims.count();
        let mut fs = FrameStore {
            starts: vec![0],
            ..FrameStore::default()
        };
        // Frame the next chunk while interning this one.
        let frame_chunk = |from: usize| -> Vec<(Frame, String)> {
            (from..(from + CHUNK).min(n))
                .into_par_iter()
                .map(|i| match claims.get(i) {
                    Some(c) => (matcher.frame(&c), c.doc.clone()),
                    None => (Frame::default(), String::new()),
                })
                .collect()
        };
        let mut pending: Vec<(Frame, String)> = Vec::new();
        let mut at = 0;
        loop {
            let (next, ()) = rayon::join(
                || frame_chunk(at),
                || {
                    for (f, doc) in &pending {
                        fs.push(f, doc);
                    }
                },
            );
            if next.is_empty() {
                break;
            }
            pending = next;
            at += CHUNK;
        }
        fs.count_terms();
        fs
    }

    /// A store of frames already made (as `ingest` has them), in order,
    /// each with its claim's document.
    pub fn from_frames<'f>(frames: impl IntoIterator<Item = (&'f Frame, &'f str)>) -> FrameStore {
        let mut fs = FrameStore {
            starts: vec![0],
            ..FrameStore::default()
        };
        for (f, doc) in frames {
            fs.push(f, doc);
        }
        fs.count_terms();
        fs
    }

    /// Counts the rarity rule over a corpus the set is part of: `claims`
    /// claims in all, `df(term)` of them carrying a term. `ingest` matches
    /// a chunk of new claims this way with the store's counts, so that a
    /// word common in the store is common in the chunk too.
    /// The terms are counted in parallel.
    pub fn count_over(&mut self, claims: usize, df: impl Fn(&str) -> usize + Sync) {
        self.corpus = Some(claims);
        self.terms
            .strings
            .par_iter()
            .zip(self.df.par_iter_mut())
            .zip(self.rarity.par_iter_mut())
            .for_each(|((s, n), r)| {
                // A term no claim of the set is filed under (a surface
                // form, a figure's word) is not asked about.
                let d = if *n == 0 { 0 } else { df(s) };
                *n = u32::try_from(d).unwrap_or(u32::MAX);
                if rarity::is_content(s) {
                    *r = rarity::rarity(d, claims);
                }
            });
    }

    /// The claims the rarity rule counts over: the set's, unless
    /// [`FrameStore::count_over`] named a larger corpus.
    pub fn corpus(&self) -> usize {
        self.corpus.unwrap_or_else(|| self.len())
    }

    /// The terms some claim of the set is filed under (a count above 0).
    pub fn filed_terms(&self) -> impl Iterator<Item = &str> {
        self.terms
            .strings
            .iter()
            .zip(&self.df)
            .filter(|(_, &n)| n > 0)
            .map(|(s, _)| &**s)
    }

    /// Claims in the store.
    pub fn len(&self) -> usize {
        self.starts.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes held by the arena and the term tables (an estimate).
    pub fn bytes(&self) -> usize {
        self.data.len() * 4
            + self.starts.len() * 8
            + self.df.len() * 12
            + self
                .terms
                .strings
                .iter()
                .map(|s| 2 * s.len() + 48)
                .sum::<usize>()
    }

    fn push(&mut self, f: &Frame, doc: &str) {
        // Every field, so that a new one cannot be left out unnoticed.
        let Frame {
            events,
            participants,
            names,
            opposites,
            numbers,
            dates,
            negative,
            negator,
            refuters,
            hedged,
            stance,
            surface,
            negated,
        } = f;
        let t = &mut self.terms;
        let stance = Stance::ALL.iter().position(|s| s == stance).unwrap_or(0) as u32;
        let flags = u32::from(*negative) | u32::from(*hedged) << 1 | stance << 2;
        let header = [
            t.intern(doc),
            flags,
            negator.as_deref().map_or(NONE, |w| t.intern(w)),
            events.len() as u32,
            participants.len() as u32,
            names.len() as u32,
            opposites.len() as u32,
            numbers.len() as u32,
            dates.len() as u32,
            refuters.len() as u32,
            surface.len() as u32,
            negated.len() as u32,
        ];
        let d = &mut self.data;
        d.extend_from_slice(&header);
        let sorted = |d: &mut Vec<u32>, t: &mut Terms, set: &crate::matcher::KeySet| {
            let from = d.len();
            d.extend(set.iter().map(|s| t.intern_key(s)));
            d[from..].sort_unstable();
        };
        sorted(d, t, events);
        sorted(d, t, participants);
        sorted(d, t, names);
        for (rule, side, word) in opposites {
            d.extend([t.intern(rule), u32::from(*side), t.intern(word)]);
        }
        for (value, key, word) in numbers {
            let bits = value.to_bits();
            d.extend([
                bits as u32,
                (bits >> 32) as u32,
                t.intern_key(key),
                t.intern(word),
            ]);
        }
        d.extend(dates.iter().map(|x| t.intern(x)));
        d.extend(refuters.iter().map(|x| t.intern(x)));
        for (key, start, end) in surface {
            d.extend([t.intern_key(key), *start, *end]);
        }
        sorted(d, t, negated);
        self.starts.push(d.len() as u64);
    }

    /// Document frequencies and rarities over the set.
    fn count_terms(&mut self) {
        let mut df = vec![0u32; self.terms.strings.len()];
        for i in 0..self.len() {
            let v = self.view(i);
            // Both runs are sorted: count their union once.
            let (mut x, mut y) = (0, 0);
            let (e, p) = (v.events, v.participants);
            while x < e.len() || y < p.len() {
                let t = match (e.get(x), p.get(y)) {
                    (Some(&a), Some(&b)) if a == b => {
                        x += 1;
                        y += 1;
                        a
                    }
                    (Some(&a), Some(&b)) if a < b => {
                        x += 1;
                        a
                    }
                    (Some(&a), None) => {
                        x += 1;
                        a
                    }
                    (_, Some(&b)) => {
                        y += 1;
                        b
                    }
                    (None, None) => break,
                };
                df[t as usize] += 1;
            }
        }
        let n = self.len();
        self.rarity = df
            .iter()
            .zip(&self.terms.strings)
            .map(|(&d, s)| {
                if rarity::is_content(s) {
                    rarity::rarity(d as usize, n)
                } else {
                    -1.0
                }
            })
            .collect();
        self.df = df;
    }

    fn run(&self, i: usize) -> &[u32] {
        let (from, to) = (self.starts[i] as usize, self.starts[i + 1] as usize);
        &self.data[from..to]
    }

    fn view(&self, i: usize) -> View<'_> {
        let r = self.run(i);
        let len = |k: usize| r[3 + k] as usize;
        let mut at = HEADER;
        let mut take = |n: usize| {
            let s = &r[at..at + n];
            at += n;
            s
        };
        let events = take(len(0));
        let participants = take(len(1));
        let names = take(len(2));
        let opposites = take(3 * len(3));
        let numbers = take(4 * len(4));
        let dates = take(len(5));
        View {
            doc: r[0],
            negative: r[1] & 1 != 0,
            refutes: len(6) > 0,
            events,
            participants,
            names,
            opposites,
            numbers,
            dates,
        }
    }

    /// The frame of claim `i` as the matcher made it.
    pub fn frame(&self, i: usize) -> Frame {
        let r = self.run(i);
        let s = |id: u32| self.terms.str(id).to_string();
        let k = |id: u32| Key::from(self.terms.str(id));
        let len = |k: usize| r[3 + k] as usize;
        let mut at = HEADER;
        let mut take = |n: usize| {
            let x = &r[at..at + n];
            at += n;
            x
        };
        let events = take(len(0)).iter().map(|&t| k(t)).collect();
        let participants = take(len(1)).iter().map(|&t| k(t)).collect();
        let names = take(len(2)).iter().map(|&t| k(t)).collect();
        let opposites = take(3 * len(3))
            .chunks_exact(3)
            .map(|o| (s(o[0]), o[1] != 0, s(o[2])))
            .collect();
        let numbers = take(4 * len(4))
            .chunks_exact(4)
            .map(|x| {
                let bits = u64::from(x[0]) | u64::from(x[1]) << 32;
                (f64::from_bits(bits), k(x[2]), s(x[3]))
            })
            .collect();
        let dates = take(len(5)).iter().map(|&t| s(t)).collect();
        let refuters = take(len(6)).iter().map(|&t| s(t)).collect();
        let surface = take(3 * len(7))
            .chunks_exact(3)
            .map(|x| (k(x[0]), x[1], x[2]))
            .collect();
        let negated = take(len(8)).iter().map(|&t| k(t)).collect();
        Frame {
            events,
            participants,
            names,
            opposites,
            numbers,
            dates,
            negative: r[1] & 1 != 0,
            negator: (r[2] != NONE).then(|| s(r[2])),
            refuters,
            hedged: r[1] & 2 != 0,
            stance: Stance::ALL
                .get((r[1] >> 2) as usize & 3)
                .copied()
                .unwrap_or_default(),
            surface,
            negated,
        }
    }

    /// Drops the claims from `n` on and the terms from `terms` on.
    fn truncate(&mut self, n: usize, terms: usize) {
        if n < self.len() {
            self.data.truncate(self.starts[n] as usize);
            self.starts.truncate(n + 1);
        }
        for s in self.terms.strings.iter().skip(terms) {
            self.terms.ids.remove(s);
        }
        self.terms.strings.truncate(terms);
        self.df.truncate(terms);
        self.rarity.truncate(terms);
    }

    /// The document frequency of a term over the set (0 if unseen).
    pub fn df(&self, term: &str) -> usize {
        self.terms
            .id(term)
            .map_or(0, |t| self.df[t as usize] as usize)
    }
}

/// Slack for comparing rarities summed in another order than the rule's.
const SLACK: f64 = 1e-9;

/// Whether two sorted id runs share an element.
fn meet(a: &[u32], b: &[u32]) -> bool {
    let (mut x, mut y) = (0, 0);
    while x < a.len() && y < b.len() {
        match a[x].cmp(&b[y]) {
            std::cmp::Ordering::Less => x += 1,
            std::cmp::Ordering::Greater => y += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// The pair rule: the cheap checks on compact frames, then the matcher and
/// the rarity rule.
pub struct PairRule<'a, C: ?Sized> {
    matcher: &'a Matcher<'a>,
    claims: &'a C,
    frames: &'a FrameStore,
    /// Whether the rarity rule applies to pairs across documents.
    rare: bool,
}

impl<'a, C: Claims + ?Sized> PairRule<'a, C> {
    pub fn new(matcher: &'a Matcher<'a>, claims: &'a C, frames: &'a FrameStore) -> Self {
        PairRule {
            matcher,
            claims,
            frames,
            rare: rarity::applies(false, frames.corpus()),
        }
    }

    /// What every pair the matcher reports and the rarity rule lets
    /// through has, checked on the compact frames: a necessary condition,
    /// never a sufficient one.
    fn may_pair(&self, a: View<'_>, b: View<'_>) -> bool {
        let shared_event = meet(a.events, b.events);
        let other = a.refutes != b.refutes
            || shared_event && a.negative != b.negative
            || a.opposites.chunks_exact(3).any(|x| {
                b.opposites
                    .chunks_exact(3)
                    .any(|y| x[0] == y[0] && x[1] != y[1])
            });
        let figures = shared_event
            && (a.numbers.chunks_exact(4).any(|x| {
                b.numbers
                    .chunks_exact(4)
                    .any(|y| x[2] == y[2] && (x[0], x[1]) != (y[0], y[1]))
            }) || matches!((a.dates.first(), b.dates.first()), (Some(x), Some(y)) if x != y));
        if !(other || figures) {
            return false;
        }
        if !self.rare || a.doc == b.doc {
            return true;
        }
        let (mut best, mut sum, mut any) = (0.0f64, 0.0f64, false);
        let (mut x, mut y) = (0, 0);
        let (pa, pb) = (a.participants, b.participants);
        while x < pa.len() && y < pb.len() {
            match pa[x].cmp(&pb[y]) {
                std::cmp::Ordering::Less => x += 1,
                std::cmp::Ordering::Greater => y += 1,
                std::cmp::Ordering::Equal => {
                    let r = self.frames.rarity[pa[x] as usize];
                    if r >= 0.0 {
                        any = true;
                        best = best.max(r);
                        sum += r;
                    }
                    x += 1;
                    y += 1;
                }
            }
        }
        if !any {
            return false;
        }
        figures
            && best >= rarity::NUMBER_RARITY - SLACK
            && sum >= 1.0 - SLACK
            && meet(a.names, b.names)
            || other
                && (best >= rarity::VERY_RARE - SLACK
                    || sum >= 1.0 - SLACK && best >= rarity::CROSS_DOCUMENT_RARITY - SLACK)
    }

    /// The matcher's verdict on claims `a < b`, when reported.
    fn judge(
        &self,
        (a, ca, fa): (usize, &ClaimRecord, &Frame),
        (b, cb, fb): (usize, &ClaimRecord, &Frame),
    ) -> Option<(FoundPair, Evidence)> {
        let p = self.matcher.pair(ca, fa, cb, fb)?;
        if p.score < MIN_SCORE {
            return None;
        }
        let n = self.frames.corpus();
        if rarity::applies(ca.doc == cb.doc, n) {
            let df = |t: &str| Ok::<_, std::convert::Infallible>(self.frames.df(t));
            if !rarity::admits(p.kind, fa, fb, n, df).unwrap_or(false) {
                return None;
            }
        }
        let found = FoundPair {
            a: a as u32,
            b: b as u32,
            kind: p.kind,
            score: p.score,
        };
        Some((found, p.evidence))
    }

    /// Claim `i` with its frame, made once while it is recent.
    fn made(&self, i: usize, recent: &mut Recent<'a>) -> Option<Made<'a>> {
        if let Some((_, m)) = recent.slots.iter().find(|(j, _)| *j == i) {
            return Some(m.clone());
        }
        let frame = match self.claims.frame(i) {
            Some(held) => Cow::Borrowed(held),
            None => Cow::Owned(self.frames.frame(i)),
        };
        let m: Made<'a> = Arc::new((self.claims.get(i)?, frame));
        if recent.slots.len() < RECENT {
            recent.slots.push((i, m.clone()));
        } else {
            recent.slots[recent.next] = (i, m.clone());
            recent.next = (recent.next + 1) % RECENT;
        }
        Some(m)
    }

    /// Claim `b` against the earlier claims `cands` (ascending).
    fn pair_with(
        &self,
        b: usize,
        cands: &[u32],
        keep: Keep,
        out: &mut MatchOutcome,
        recent: &mut Recent<'a>,
    ) {
        out.considered += cands.len() as u64;
        let vb = self.frames.view(b);
        let mut mb: Option<Made<'a>> = None;
        for &a in cands {
            let a = a as usize;
            if !self.may_pair(self.frames.view(a), vb) {
                continue;
            }
            out.scored += 1;
            if mb.is_none() {
                mb = self.made(b, recent);
            }
            let (Some(mb), Some(ma)) = (&mb, self.made(a, recent)) else {
                continue;
            };
            if let Some((p, evidence)) = self.judge((a, &ma.0, &ma.1), (b, &mb.0, &mb.1)) {
                let group = self.claims.group(b);
                if group.is_some() && group == self.claims.group(a) {
                    out.within_groups += 1;
                }
                out.add(p, evidence, keep);
            }
        }
    }
}

/// A claim and its frame, shared between the pairs that need them.
type Made<'c> = Arc<(Cow<'c, ClaimRecord>, Cow<'c, Frame>)>;

/// The claims made last on one thread: pairs fall mostly within a family
/// of neighbouring claims, so each is made about once.
#[derive(Default)]
struct Recent<'c> {
    slots: Vec<(usize, Made<'c>)>,
    next: usize,
}

const RECENT: usize = 8;

// Key tags.
const DOC: u64 = 1;
const ALL: u64 = 2;
const NEG: u64 = 3;
const OPP: u64 = 4;
const REF: u64 = 5;
const NUM: u64 = 6;
const DATE: u64 = 7;
/// The bit that tells the two sides of an asymmetric key apart.
const SIDE: u64 = 1 << 63;

fn key(tag: u64, a: u32, b: u32, c: u32) -> u64 {
    mix(mix(mix(tag << 32 | u64::from(a)) ^ u64::from(b)) ^ u64::from(c)) & !SIDE
}

/// Whether a claim takes the keys of figures: a shared event with
/// figures or dates.
fn figured(v: &View<'_>) -> bool {
    !v.events.is_empty() && (!v.numbers.is_empty() || !v.dates.is_empty())
}

/// A static inverted index from blocking keys to the claims filed under
/// them: one sorted array of `key | claim` words, found through a
/// directory on the keys' top bits.
pub struct BlockIndex {
    entries: Vec<u64>,
    /// `dir[b]`: the first entry whose top `DIR_BITS` bits are ≥ `b`.
    dir: Vec<u32>,
    claim_bits: u32,
    /// Claims in the set (the rarity rule's `N`).
    claims: usize,
    /// Each claim's window of [`DOC_WINDOW`] claims within its document.
    windows: Vec<u32>,
    /// Claims of each document (by id), for the windows of claims looked
    /// up from outside the set.
    doc_claims: FxHashMap<u32, u32>,
}

const DIR_BITS: u32 = 20;

/// Within a document every claim is a candidate of every later one, however
/// loosely they share a word, but only within a window: a claim is
/// compared with the claims of its window of this many and of the window
/// before. A news article has a few hundred claims at most; a book-length
/// document would otherwise cost the square of its claims.
pub const DOC_WINDOW: u32 = 512;

impl BlockIndex {
    /// Files every claim of `fs` under its keys, in parallel.
    pub fn build(fs: &FrameStore) -> BlockIndex {
        let n = fs.len();
        let claim_bits = (usize::BITS - n.max(2).leading_zeros()).max(1);
        let mut doc_claims: FxHashMap<u32, u32> = FxHashMap::default();
        let windows = (0..n)
            .map(|i| {
                let before = doc_claims.entry(fs.view(i).doc).or_insert(0);
                *before += 1;
                (*before - 1) / DOC_WINDOW
            })
            .collect();
        let mut index = BlockIndex {
            entries: Vec::new(),
            dir: Vec::new(),
            claim_bits,
            claims: fs.corpus(),
            windows,
            doc_claims,
        };
        let mask = (1u64 << claim_bits) - 1;
        let mut entries: Vec<u64> = (0..n)
            .into_par_iter()
            .fold(Vec::new, |mut out, i| {
                index.keys(fs, &fs.view(i), i, Role::File, &mut |k| {
                    out.push(k & !mask | i as u64)
                });
                out
            })
            .reduce(Vec::new, |mut a, mut b| {
                a.append(&mut b);
                a
            });
        entries.par_sort_unstable();
        entries.dedup();
        let mut dir = Vec::with_capacity((1 << DIR_BITS) + 1);
        let mut at = 0usize;
        for b in 0..=(1u64 << DIR_BITS) {
            while at < entries.len() && entries[at] >> (64 - DIR_BITS) < b {
                at += 1;
            }
            dir.push(at as u32);
        }
        index.entries = entries;
        index.dir = dir;
        index
    }

    /// Entries in all posting lists (a measure of the index's size).
    pub fn entries(&self) -> usize {
        self.entries.len()
    }

    /// Bytes the index holds (an estimate).
    pub fn bytes(&self) -> usize {
        self.entries.len() * 8 + self.dir.len() * 4
    }

    /// The window within its document of claim `i` (of the set, or past it:
    /// a claim looked up from outside comes after the document's claims).
    fn window(&self, i: usize, doc: u32) -> u32 {
        self.windows
            .get(i)
            .copied()
            .unwrap_or_else(|| self.doc_claims.get(&doc).copied().unwrap_or(0) / DOC_WINDOW)
    }

    /// The keys of claim `i` (viewed as `v`), filed (`Role::File`) or
    /// looked up.
    fn keys(&self, fs: &FrameStore, v: &View<'_>, i: usize, role: Role, out: &mut impl FnMut(u64)) {
        if !rarity::applies(false, self.claims) {
            out(key(ALL, 0, 0, 0));
            return;
        }
        let window = self.window(i, v.doc);
        out(key(DOC, v.doc, window, 0));
        if role == Role::Look && window > 0 {
            out(key(DOC, v.doc, window - 1, 0));
        }
        let flip = |side: bool| {
            if side != (role == Role::Look) {
                SIDE
            } else {
                0
            }
        };
        let rare = |min: f64| {
            v.participants
                .iter()
                .copied()
                .filter(move |&p| fs.rarity[p as usize] >= min - SLACK)
        };
        for p in rare(rarity::CROSS_DOCUMENT_RARITY) {
            for &e in v.events {
                out(key(NEG, e, p, 0) | flip(v.negative));
            }
            for o in v.opposites.chunks_exact(3) {
                out(key(OPP, o[0], p, 0) | flip(o[1] != 0));
            }
            out(key(REF, p, 0, 0) | flip(v.refutes));
        }
        if !figured(v) {
            return;
        }
        let units: BTreeSet<u32> = v.numbers.chunks_exact(4).map(|x| x[2]).collect();
        let dated = !v.dates.is_empty();
        for p in rare(rarity::NUMBER_RARITY).filter(|p| v.names.binary_search(p).is_ok()) {
            for &e in v.events {
                for &u in &units {
                    out(key(NUM, e, u, p));
                }
                if dated {
                    out(key(DATE, e, p, 0));
                }
            }
        }
    }

    /// Claims below `below` filed under a key `v` looks up, ascending and
    /// without repeats.
    fn candidates(&self, fs: &FrameStore, v: &View<'_>, below: usize, out: &mut Vec<u32>) {
        out.clear();
        let mask = (1u64 << self.claim_bits) - 1;
        self.keys(fs, v, below, Role::Look, &mut |k| {
            let k = k & !mask;
            let b = (k >> (64 - DIR_BITS)) as usize;
            let (from, to) = (self.dir[b] as usize, self.dir[b + 1] as usize);
            let bucket = &self.entries[from..to];
            let mut at = bucket.partition_point(|&e| e < k);
            while at < bucket.len() && bucket[at] & !mask == k {
                let j = (bucket[at] & mask) as usize;
                if j >= below {
                    break;
                }
                out.push(j as u32);
                at += 1;
            }
        });
        out.sort_unstable();
        out.dedup();
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Role {
    File,
    Look,
}

/// Pairs every claim with the earlier claims that share a blocking key,
/// in parallel on the current rayon pool. `keep` keeps the pairs found
/// (otherwise they are only counted and hashed).
pub fn match_blocked<C: Claims + ?Sized>(
    matcher: &Matcher<'_>,
    claims: &C,
    frames: &FrameStore,
    index: &BlockIndex,
    keep: bool,
) -> MatchOutcome {
    blocked(matcher, claims, frames, index, Keep::pairs(keep))
}

/// [`match_blocked`], keeping the pairs found with their evidence
/// ([`MatchOutcome::evidence`]), as made when they were judged: what
/// `ingest` stores.
pub fn match_blocked_with_evidence<C: Claims + ?Sized>(
    matcher: &Matcher<'_>,
    claims: &C,
    frames: &FrameStore,
    index: &BlockIndex,
) -> MatchOutcome {
    blocked(matcher, claims, frames, index, Keep::Evidence)
}

fn blocked<C: Claims + ?Sized>(
    matcher: &Matcher<'_>,
    claims: &C,
    frames: &FrameStore,
    index: &BlockIndex,
    keep: Keep,
) -> MatchOutcome {
    let rule = PairRule::new(matcher, claims, frames);
    (0..frames.len())
        .into_par_iter()
        .fold(
            || (MatchOutcome::default(), Vec::new(), Recent::default()),
            |(mut out, mut cands, mut recent), b| {
                index.candidates(frames, &frames.view(b), b, &mut cands);
                rule.pair_with(b, &cands, keep, &mut out, &mut recent);
                (out, cands, recent)
            },
        )
        .map(|(out, _, _)| out)
        .reduce(MatchOutcome::default, MatchOutcome::merge)
        .finish()
}

/// Compares every claim with every earlier claim through the same
/// [`PairRule`], in parallel on the current rayon pool: the baseline
/// blocking must agree with.
pub fn match_brute_force<C: Claims + ?Sized>(
    matcher: &Matcher<'_>,
    claims: &C,
    frames: &FrameStore,
    keep: bool,
) -> MatchOutcome {
    let rule = PairRule::new(matcher, claims, frames);
    let all: Vec<u32> = (0..frames.len() as u32).collect();
    (0..frames.len())
        .into_par_iter()
        .fold(
            || (MatchOutcome::default(), Recent::default()),
            |(mut out, mut recent), b| {
                rule.pair_with(b, &all[..b], Keep::pairs(keep), &mut out, &mut recent);
                (out, recent)
            },
        )
        .map(|(out, _)| out)
        .reduce(MatchOutcome::default, MatchOutcome::merge)
        .finish()
}

/// Every pair straight through [`Matcher::pair`] and the rarity rule, with
/// frames and document frequencies made afresh: no compact frames, no cheap
/// checks, no blocking. Slow; the reference the others are tested against.
pub fn match_exhaustive(matcher: &Matcher<'_>, claims: &[ClaimRecord]) -> Vec<FoundPair> {
    let frames: Vec<Frame> = claims.par_iter().map(|c| matcher.frame(c)).collect();
    let mut df: FxHashMap<&str, usize> = FxHashMap::default();
    for f in &frames {
        for t in f.events.union(&f.participants) {
            *df.entry(t).or_insert(0) += 1;
        }
    }
    let n = claims.len();
    let mut pairs: Vec<FoundPair> = (0..n)
        .into_par_iter()
        .flat_map_iter(|b| {
            let (frames, df) = (&frames, &df);
            (0..b).filter_map(move |a| {
                let p = matcher.pair(&claims[a], &frames[a], &claims[b], &frames[b])?;
                let count = |t: &str| Ok::<_, ()>(df.get(t).copied().unwrap_or(0));
                let rare = !rarity::applies(claims[a].doc == claims[b].doc, n)
                    || rarity::admits(p.kind, &frames[a], &frames[b], n, count).unwrap_or(false);
                (p.score >= MIN_SCORE && rare).then_some(FoundPair {
                    a: a as u32,
                    b: b as u32,
                    kind: p.kind,
                    score: p.score,
                })
            })
        })
        .collect();
    pairs.sort_by_key(|p| (p.b, p.a));
    pairs
}

/// Matches `new` claims (not in the set) against every claim of the set;
/// `b` of each pair is the index into `new`. The new claims' frames join
/// `frames` only while their keys are looked up: the set is as it was
/// afterwards.
pub fn match_new<C: Claims + ?Sized>(
    matcher: &Matcher<'_>,
    index: &BlockIndex,
    claims: &C,
    frames: &mut FrameStore,
    new: &[ClaimRecord],
) -> MatchOutcome {
    let (n, terms) = (frames.len(), frames.terms.strings.len());
    let framed: Vec<Frame> = new.iter().map(|c| matcher.frame(c)).collect();
    for (f, c) in framed.iter().zip(new) {
        frames.push(f, &c.doc);
    }
    // A term new to the set is as rare as can be.
    let added: Vec<f64> = frames.terms.strings[terms..]
        .iter()
        .map(|s| if rarity::is_content(s) { 1.0 } else { -1.0 })
        .collect();
    frames.rarity.extend(added);
    let cands: Vec<Vec<u32>> = (0..new.len())
        .map(|b| {
            let mut c = Vec::new();
            index.candidates(frames, &frames.view(n + b), n, &mut c);
            c
        })
        .collect();
    frames.truncate(n, terms);
    let mut out = MatchOutcome::default();
    let rule = PairRule::new(matcher, claims, frames);
    for (b, ((c, fb), cands)) in new.iter().zip(&framed).zip(&cands).enumerate() {
        out.considered += cands.len() as u64;
        for &a in cands {
            out.scored += 1;
            let a = a as usize;
            let Some(ca) = claims.get(a) else { continue };
            let fa = frames.frame(a);
            if let Some((p, evidence)) = rule.judge((a, &ca, &fa), (b, c, fb)) {
                out.add(p, evidence, Keep::Pairs);
            }
        }
    }
    out.finish()
}

/// Pairs in `expected` missing from `got` (or found there with another kind
/// or score), and pairs in `got` not expected.
pub fn differences(expected: &[FoundPair], got: &[FoundPair]) -> (Vec<FoundPair>, Vec<FoundPair>) {
    let by_ends = |ps: &[FoundPair]| -> FxHashMap<(u32, u32), FoundPair> {
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
    fn compact_frames_are_the_matchers_frames() {
        let rules = Rules::builtin().unwrap();
        let m = Matcher::new(&rules);
        let claims = sample_claims(&rules);
        let fs = FrameStore::build(&m, &claims[..]);
        assert_eq!(fs.len(), claims.len());
        for (i, c) in claims.iter().enumerate() {
            assert_eq!(format!("{:?}", fs.frame(i)), format!("{:?}", m.frame(c)));
        }
    }

    /// The matcher keeps what it learnt of each word for later claims: a
    /// claim's frame must not depend on the claims framed before it.
    #[test]
    fn a_frame_does_not_depend_on_the_claims_framed_before() {
        let rules = Rules::builtin().unwrap();
        let claims = sample_claims(&rules);
        let show = |f: Frame| format!("{f:?}");
        let fresh: Vec<String> = claims
            .iter()
            .map(|c| show(Matcher::new(&rules).frame(c)))
            .collect();
        let m = Matcher::new(&rules);
        let forward: Vec<String> = claims.iter().map(|c| show(m.frame(c))).collect();
        let m = Matcher::new(&rules);
        let mut backward: Vec<String> = claims.iter().rev().map(|c| show(m.frame(c))).collect();
        backward.reverse();
        assert_eq!(forward, fresh);
        assert_eq!(backward, fresh);
    }

    #[test]
    fn blocking_finds_every_pair_brute_force_finds_on_the_samples() {
        let rules = Rules::builtin().unwrap();
        let m = Matcher::new(&rules);
        let claims = sample_claims(&rules);
        let fs = FrameStore::build(&m, &claims[..]);
        let reference = match_exhaustive(&m, &claims);
        assert!(!reference.is_empty(), "the samples hold contradictions");
        let brute = match_brute_force(&m, &claims[..], &fs, true);
        assert_eq!(brute.pairs, reference);
        let blocked = match_blocked(&m, &claims[..], &fs, &BlockIndex::build(&fs), true);
        assert_eq!(blocked.pairs, reference);
        assert_eq!((blocked.found, blocked.digest), (brute.found, brute.digest));
    }

    /// Pairs found with their evidence are the pairs found without it, each
    /// with the evidence the matcher gives when asked about the pair alone.
    #[test]
    fn pairs_kept_with_evidence_carry_the_evidence_the_matcher_gives() {
        let rules = Rules::builtin().unwrap();
        let m = Matcher::new(&rules);
        let claims = sample_claims(&rules);
        let fs = FrameStore::build(&m, &claims[..]);
        let index = BlockIndex::build(&fs);
        let plain = match_blocked(&m, &claims[..], &fs, &index, true);
        let with = match_blocked_with_evidence(&m, &claims[..], &fs, &index);
        assert_eq!(with.pairs, plain.pairs);
        assert!(plain.evidence.is_empty());
        assert_eq!(with.evidence.len(), with.pairs.len());
        for (p, evidence) in with.pairs.iter().zip(&with.evidence) {
            let (a, b) = (&claims[p.a as usize], &claims[p.b as usize]);
            let made = m.pair(a, &m.frame(a), b, &m.frame(b)).unwrap();
            assert_eq!(*evidence, made.evidence, "pair {} {}", a.id, b.id);
        }
    }

    /// A document of a thousand claims and more: claims within a window of
    /// each other still meet without a shared key, claims windows apart no
    /// longer do, so the comparisons grow with the claims, not their square.
    #[test]
    fn a_long_document_is_compared_window_by_window() {
        let rules = Rules::builtin().unwrap();
        let m = Matcher::new(&rules);
        let text = "The ministry said the Harlow dam collapsed in March. \
                    The engineers said the Harlow dam did not collapse in March. "
            .repeat(700);
        let claims =
            Extractor::new(&rules).extract(&crate::ingest::document_from_text("long", text));
        let n = claims.len();
        assert_eq!(n, 1400);
        let fs = FrameStore::build(&m, &claims[..]);
        let index = BlockIndex::build(&fs);
        let blocked = match_blocked(&m, &claims[..], &fs, &index, true);
        let brute = match_brute_force(&m, &claims[..], &fs, true);
        let window = |i: u32| i / DOC_WINDOW;
        let near: Vec<&FoundPair> = brute
            .pairs
            .iter()
            .filter(|p| window(p.b) - window(p.a) <= 1)
            .collect();
        assert!(
            near.len() < brute.pairs.len(),
            "some pairs are windows apart"
        );
        let found: Vec<&FoundPair> = blocked.pairs.iter().collect();
        assert_eq!(found.len(), near.len());
        for (f, b) in found.iter().zip(&near) {
            assert_eq!((f.a, f.b, f.kind), (b.a, b.b, b.kind));
        }
        // Neighbours always meet; each claim is compared with at most two
        // windows of claims.
        assert!(found.iter().any(|p| p.b - p.a == 1));
        assert!(blocked.considered <= (n as u64) * 2 * u64::from(DOC_WINDOW));
    }

    #[test]
    fn blocking_agrees_with_brute_force_on_generated_claims() {
        let rules = Rules::builtin().unwrap();
        let m = Matcher::new(&rules);
        let base = sample_claims(&rules);
        // Above the rarity rule's threshold, so that it applies.
        let claims = crate::generate::generate(&rules, &base, 1200, 7);
        let fs = FrameStore::build(&m, &claims[..]);
        let reference = match_exhaustive(&m, &claims);
        assert!(reference.len() > 50, "{} pairs", reference.len());
        let brute = match_brute_force(&m, &claims[..], &fs, true);
        let blocked = match_blocked(&m, &claims[..], &fs, &BlockIndex::build(&fs), true);
        for got in [&brute.pairs, &blocked.pairs] {
            let (lost, extra) = differences(&reference, got);
            assert!(
                lost.is_empty() && extra.is_empty(),
                "lost {lost:?} extra {extra:?}"
            );
        }
        assert!(blocked.considered < brute.considered / 20);
        // Made on demand or held, the same pairs.
        let g = crate::generate::Generator::new(&rules, &base, 1200, 7);
        let lazy = match_blocked(&m, &g, &fs, &BlockIndex::build(&fs), false);
        assert_eq!((lazy.found, lazy.digest), (blocked.found, blocked.digest));
    }

    #[test]
    fn new_claims_meet_the_claims_they_oppose() {
        let rules = Rules::builtin().unwrap();
        let m = Matcher::new(&rules);
        let claims = sample_claims(&rules);
        let (old, new) = claims.split_at(claims.len() / 2);
        let mut fs = FrameStore::build(&m, old);
        let index = BlockIndex::build(&fs);
        let (terms, arena) = (fs.terms.strings.len(), fs.data.len());
        let found = match_new(&m, &index, old, &mut fs, new);
        assert_eq!((fs.len(), fs.terms.strings.len()), (old.len(), terms));
        assert_eq!((fs.data.len(), fs.terms.ids.len()), (arena, terms));
        // The same pairs as comparing each new claim with every old one.
        let mut expected = 0;
        for c in new {
            let f = m.frame(c);
            for (a, fa) in old.iter().map(|a| (a, m.frame(a))) {
                if m.pair(a, &fa, c, &f).is_some_and(|p| p.score >= MIN_SCORE) {
                    expected += 1;
                }
            }
        }
        assert_eq!(found.found, expected);
    }
}
