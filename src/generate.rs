//! Synthetic claim sets of any size, made from real extracted claims, for
//! measuring matching at scale.
//!
//! Claims come in *families*: a base claim drawn from the corpus, its names
//! replaced by names drawn from the whole corpus (so that families are about
//! different people and places, and a name recurs in unrelated families as
//! it does in an archive), then restated by two to four sources, some of
//! whom negate it, deny it, give another figure or another date. True
//! contradictions therefore exist at every size, within families and, where
//! names and events meet by chance, across them.
//!
//! Generation is deterministic for a seed. Every claim gets its own id
//! (`c<N>`), document (`g<N>`) and source, so that neither the same-source
//! nor the nested-claim rule of [`crate::matcher::Matcher::pair`] hides a
//! pair; the sentence text is dropped to keep a million claims in memory
//! (the matcher reads the content, subject, predicate, cue and times).

use crate::model::{ClaimRecord, Excerpt, Polarity, Stance};
use std::collections::{BTreeSet, HashMap};

/// A small deterministic generator (SplitMix64): reproducible runs without a
/// dependency.
struct Rng(u64);

impl Rng {
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

/// `n` claims made from `base` (which must not be empty for `n > 0`).
pub fn generate(base: &[ClaimRecord], n: usize, seed: u64) -> Vec<ClaimRecord> {
    let base: Vec<&ClaimRecord> = base
        .iter()
        .filter(|c| !c.content.text.trim().is_empty())
        .collect();
    let mut out = Vec::with_capacity(n);
    if base.is_empty() {
        return out;
    }
    let names: Vec<String> = base
        .iter()
        .flat_map(|c| names_in(&c.content.text))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut rng = Rng(seed);
    let mut family = 0usize;
    while out.len() < n {
        let b = base[rng.below(base.len())];
        // Most names are replaced, some kept, so families overlap a little.
        let map: HashMap<String, String> = names_in(&b.content.text)
            .into_iter()
            .filter_map(|w| {
                rng.chance(80)
                    .then(|| (w, names[rng.below(names.len())].clone()))
            })
            .collect();
        let members = 2 + rng.below(3);
        for k in 0..members {
            if out.len() == n {
                break;
            }
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
            let i = out.len();
            out.push(member(b, &map, variant, i, family, k, &mut rng));
        }
        family += 1;
    }
    out
}

fn member(
    b: &ClaimRecord,
    map: &HashMap<String, String>,
    variant: Variant,
    i: usize,
    family: usize,
    k: usize,
    rng: &mut Rng,
) -> ClaimRecord {
    let mut c = b.clone();
    c.id = format!("c{i}");
    c.doc = format!("g{i}");
    c.sentence = Excerpt {
        text: String::new(),
        start: c.sentence.start,
        end: c.sentence.end,
    };
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
    words(text)
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
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
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
fn replace_words(text: &str, map: &HashMap<String, String>) -> String {
    if map.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut at = 0;
    for (start, w) in words(text) {
        if let Some(r) = map.get(w) {
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
        let map: HashMap<String, String> = [("Kessel".to_string(), "Brenn".to_string())].into();
        assert_eq!(
            replace_words("Kessel's mayor and Kesselton", &map),
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
        let a = generate(&base, 500, 3);
        assert_eq!(a.len(), 500);
        assert_eq!(a, generate(&base, 500, 3));
        assert_eq!(a[499].id, "c499");
        assert!(generate(&[], 10, 3).is_empty());
    }
}
