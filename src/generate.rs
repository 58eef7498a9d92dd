//! Synthetic claim sets of any size, made from real extracted claims, for
//! measuring matching at scale.
//!
//! Claims come in *families*: a base claim drawn from the corpus, restated
//! by two to four sources, some of whom negate it, deny it, give another
//! figure or another date. True contradictions therefore exist at every
//! size, within families and, where names and events meet by chance, across
//! them.
//!
//! A family rewrites its base claim so that families stay different stories
//! however often a base claim is drawn (a million claims from ten thousand
//! base claims draw each a hundred times): most names are replaced by names
//! drawn from the whole corpus (so a name recurs in unrelated families, as
//! it does in an archive), and about half of the other content words by
//! content words drawn from the corpus. Function words, negators, hedges
//! and the other words the rules give a role are kept, so that the claim
//! still reads the way its base did. Without the word swaps, families of
//! one base claim would all pair with each other and the pairs would grow
//! with the square of the set.
//!
//! Generation is deterministic for a seed, and random-access: a
//! [`Generator`] keeps a few bytes per family and makes claim `i` on
//! demand ([`Generator::claim`]), so a million claims need not be held at
//! once. Every claim gets its own id (`c<N>`), document (`g<N>`) and
//! source, so that neither the same-source nor the nested-claim rule of
//! [`crate::matcher::Matcher::pair`] hides a pair; the sentence text is
//! dropped (the matcher reads the content, subject, predicate, cue and
//! times).

use crate::model::{ClaimRecord, Polarity, Stance};
use crate::rules::{LexiconRole, Rules};
use std::collections::BTreeSet;

/// A small deterministic generator (SplitMix64): reproducible runs without a
/// dependency.
struct Rng(u64);

impl Rng {
    /// A generator for one stream (a family, a member) of a seed.
    fn stream(seed: u64, a: u64, b: u64) -> Rng {
        let mut r = Rng(seed
            ^ a.wrapping_mul(0xA24B_AED4_963E_E407)
            ^ b.wrapping_mul(0x9FB2_1C65_1E98_DF25));
        r.next();
        r
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// How a family member restates its family's claim.
#[derive(Clone, Copy)]
enum Variant {
    Same,
    Negated,
    Denied,
    OtherNumber,
    OtherDate,
}

/// Share of names a family replaces, in percent.
const NAME_SWAP: u64 = 100;
/// Share of other content words a family replaces, in percent.
const WORD_SWAP: u64 = 80;

/// One family: its first claim and its base claim.
#[derive(Clone, Copy)]
struct Family {
    first: u32,
    base: u32,
}

/// A base claim without its sentence text, and the words a family may
/// swap in it (each once, in order; `true` for a name).
struct Base {
    claim: ClaimRecord,
    slots: Vec<(String, bool)>,
}

/// A claim set of a given size, made on demand.
pub struct Generator {
    base: Vec<Base>,
    names: Vec<String>,
    words: Vec<String>,
    families: Vec<Family>,
    seed: u64,
    len: usize,
}

impl Generator {
    /// A set of `n` claims made from `base` (none when `base` has no claim
    /// with content).
    pub fn new(rules: &Rules, base: &[ClaimRecord], n: usize, seed: u64) -> Generator {
        let base: Vec<&ClaimRecord> = base
            .iter()
            .filter(|c| !c.content.text.trim().is_empty())
            .collect();
        let kept = |w: &str| ALL_ROLES.iter().any(|&r| rules.is(r, w));
        let mut names = BTreeSet::new();
        let mut words = BTreeSet::new();
        let base: Vec<Base> = base
            .into_iter()
            .map(|c| {
                let mut slots: Vec<(String, bool)> = Vec::new();
                let text = &c.content.text;
                for w in names_in(text) {
                    if !slots.iter().any(|(s, _)| *s == w) {
                        names.insert(w.clone());
                        slots.push((w, true));
                    }
                }
                for (_, w) in words_of(text) {
                    if is_plain(w) && !kept(w) && !slots.iter().any(|(s, _)| s == w) {
                        words.insert(w.to_string());
                        slots.push((w.to_string(), false));
                    }
                }
                let mut claim = c.clone();
                claim.sentence.text = String::new();
                Base { claim, slots }
            })
            .collect();
        let mut families = Vec::new();
        let mut rng = Rng(seed);
        let mut first = 0usize;
        if !base.is_empty() {
            while first < n {
                families.push(Family {
                    first: first as u32,
                    base: rng.below(base.len()) as u32,
                });
                first += 2 + rng.below(3);
            }
        }
        Generator {
            len: if base.is_empty() { 0 } else { n },
            base,
            names: names.into_iter().collect(),
            words: words.into_iter().collect(),
            families,
            seed,
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The family of claim `i` (numbered from 0).
    pub fn family(&self, i: usize) -> Option<usize> {
        (i < self.len).then(|| self.families.partition_point(|f| f.first as usize <= i) - 1)
    }

    /// Claim `i` (`c<i>`), or `None` past the end.
    pub fn claim(&self, i: usize) -> Option<ClaimRecord> {
        let f = self.family(i)?;
        let family = self.families[f];
        let b = &self.base[family.base as usize];
        let mut rng = Rng::stream(self.seed, f as u64, 0);
        let mut map: Vec<(&str, &str)> = Vec::with_capacity(b.slots.len());
        for (w, name) in &b.slots {
            let (pool, percent) = if *name {
                (&self.names, NAME_SWAP)
            } else {
                (&self.words, WORD_SWAP)
            };
            if rng.chance(percent) && !pool.is_empty() {
                map.push((w, &pool[rng.below(pool.len())]));
            }
        }
        let k = i - family.first as usize;
        let mut rng = Rng::stream(self.seed, f as u64, k as u64 + 1);
        let variant = if k == 0 {
            Variant::Same
        } else {
            match rng.below(10) {
                0..=2 => Variant::Same,
                3 | 4 => Variant::Negated,
                5 | 6 => Variant::Denied,
                7 | 8 => Variant::OtherNumber,
                _ => Variant::OtherDate,
            }
        };
        Some(member(&b.claim, &map, variant, i, f, k, &mut rng))
    }
}

/// `n` claims made from `base`, all at once.
pub fn generate(rules: &Rules, base: &[ClaimRecord], n: usize, seed: u64) -> Vec<ClaimRecord> {
    let g = Generator::new(rules, base, n, seed);
    (0..g.len()).filter_map(|i| g.claim(i)).collect()
}

const ALL_ROLES: [LexiconRole; 16] = [
    LexiconRole::Negator,
    LexiconRole::Hedge,
    LexiconRole::Refuter,
    LexiconRole::Title,
    LexiconRole::Role,
    LexiconRole::Abbreviation,
    LexiconRole::SentenceStarter,
    LexiconRole::Stopword,
    LexiconRole::Pronoun,
    LexiconRole::UnnamedSource,
    LexiconRole::OutletNoun,
    LexiconRole::LightVerb,
    LexiconRole::Modal,
    LexiconRole::Retraction,
    LexiconRole::MediaVerb,
    LexiconRole::Irregular,
];

/// A lower-case word of four letters or more: a content word unless the
/// rules give it a role.
fn is_plain(w: &str) -> bool {
    w.len() >= 4 && w.bytes().all(|c| c.is_ascii_lowercase())
}

fn member(
    b: &ClaimRecord,
    map: &[(&str, &str)],
    variant: Variant,
    i: usize,
    family: usize,
    k: usize,
    rng: &mut Rng,
) -> ClaimRecord {
    let mut c = b.clone();
    c.id = format!("c{i}");
    c.doc = format!("g{i}");
    c.content.text = replace_words(&c.content.text, map);
    for s in [&mut c.subject, &mut c.predicate, &mut c.object]
        .into_iter()
        .flatten()
    {
        *s = replace_words(s, map);
    }
    if let Some(src) = &mut c.source {
        src.canonical = format!("{} ~{family}.{k}", src.canonical);
    }
    match variant {
        Variant::Same => {}
        Variant::Negated => c.polarity = flip(c.polarity),
        Variant::Denied => {
            if c.stance == Stance::Denies {
                c.stance = Stance::Asserts;
            } else {
                c.stance = Stance::Denies;
            }
        }
        Variant::OtherNumber => match other_number(&c.content.text, rng) {
            Some(t) => c.content.text = t,
            None => c.polarity = flip(c.polarity),
        },
        Variant::OtherDate => {
            let (start, end) = (c.content.start, c.content.end);
            let dated = c
                .times
                .iter_mut()
                .find(|t| t.start >= start && t.end <= end && t.date.is_some());
            match dated.and_then(|t| t.date.as_mut().map(|d| (d, rng.below(27) + 1))) {
                Some((d, days)) => *d = shift_date(d, days as i64),
                None => c.polarity = flip(c.polarity),
            }
        }
    }
    c
}

fn flip(p: Polarity) -> Polarity {
    match p {
        Polarity::Negative => Polarity::Positive,
        Polarity::Positive => Polarity::Negative,
    }
}

/// Capitalised words after the first: the names a claim is about.
fn names_in(text: &str) -> Vec<String> {
    words_of(text)
        .skip(1)
        .map(|(_, w)| w)
        .filter(|w| {
            let b = w.as_bytes();
            b.len() >= 3
                && b[0].is_ascii_uppercase()
                && b[1..].iter().all(|c| c.is_ascii_lowercase())
        })
        .map(str::to_string)
        .collect()
}

/// The maximal runs of ASCII letters in `text`, with their byte offsets.
fn words_of(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let b = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() && !b[i].is_ascii_alphabetic() {
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_alphabetic() {
            i += 1;
        }
        Some((start, &text[start..i]))
    })
}

/// `text` with whole words replaced by `map`.
fn replace_words(text: &str, map: &[(&str, &str)]) -> String {
    if map.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut at = 0;
    for (start, w) in words_of(text) {
        if let Some((_, r)) = map.iter().find(|(from, _)| *from == w) {
            out.push_str(&text[at..start]);
            out.push_str(r);
            at = start + w.len();
        }
    }
    out.push_str(&text[at..]);
    out
}

/// `text` with its first figure changed, if it has one.
fn other_number(text: &str, rng: &mut Rng) -> Option<String> {
    let b = text.as_bytes();
    let start = b.iter().position(u8::is_ascii_digit)?;
    let end = b[start..]
        .iter()
        .position(|c| !c.is_ascii_digit())
        .map_or(b.len(), |p| start + p);
    let n: u64 = text[start..end].parse().ok()?;
    let other = n + 1 + rng.below(9) as u64 * (n / 10 + 1);
    Some(format!("{}{other}{}", &text[..start], &text[end..]))
}

fn shift_date(iso: &str, days: i64) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(|d| (d + chrono::Duration::days(days)).to_string())
        .unwrap_or_else(|_| format!("{iso}+{days}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_replaced_whole() {
        assert_eq!(
            replace_words("Kessel's mayor and Kesselton", &[("Kessel", "Brenn")]),
            "Brenn's mayor and Kesselton"
        );
    }

    #[test]
    fn figures_change() {
        let mut rng = Rng(1);
        let t = other_number("at least 12 people died", &mut rng).unwrap();
        assert_ne!(t, "at least 12 people died");
        assert!(t.starts_with("at least ") && t.ends_with(" people died"));
        assert_eq!(other_number("no figure", &mut rng), None);
    }

    #[test]
    fn generation_is_deterministic_and_sized() {
        let rules = crate::rules::Rules::builtin().unwrap();
        let ex = crate::extract::Extractor::new(&rules);
        let base: Vec<ClaimRecord> = crate::sample::documents()
            .iter()
            .flat_map(|d| ex.extract(d))
            .collect();
        let a = generate(&rules, &base, 500, 3);
        assert_eq!(a.len(), 500);
        assert_eq!(a, generate(&rules, &base, 500, 3));
        assert_eq!(a[499].id, "c499");
        assert!(generate(&rules, &[], 10, 3).is_empty());
        // Random access gives the claims made all at once.
        let g = Generator::new(&rules, &base, 500, 3);
        assert_eq!(g.claim(123).as_ref(), Some(&a[123]));
        assert_eq!(g.claim(500), None);
    }
}
