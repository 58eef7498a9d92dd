//! The rarity rule: across documents, two claims are paired only when they
//! share something rare. Words every other story uses ("people", "issue",
//! "rise") do not make two stories one.
//!
//! Rarity of a term is `ln(N / df) / ln(N)` over `N` claims, `df` of which
//! carry the term among their event or participant keys (what the store
//! files a claim under). One rule serves the store (document frequencies
//! from the store's `terms`) and the in-memory matcher of [`crate::blocking`]
//! (document frequencies counted once over the set): both call
//! [`admits`] with their own way of counting.
//!
//! The rule, for a pair of kind `kind` whose frames share the content
//! participants `X` exactly (figures and groups left out):
//!
//! - no rule below [`MIN_CLAIMS_FOR_RARITY`] claims, or within a document;
//! - `X` empty (met only through a loose match, a group or a figure): never;
//! - a number or date conflict: the same named thing, a name written with a
//!   capital on both sides with rarity at least [`NUMBER_RARITY`], and the
//!   rarities of `X` summing to at least 1. Two stories that share a unit
//!   and an event word ("sales rose 15 pct", "exports rose 3.5 pct") are
//!   about different things unless they name the same one;
//! - any other kind: one very rare shared word (≥ 0.8), or the rarities of
//!   `X` summing to at least 1 with the rarest ≥ [`CROSS_DOCUMENT_RARITY`].

use crate::matcher::Frame;
use crate::model::PairKind;

/// How rare (in [0, 1]) the rarest participant two claims of different
/// documents share must be for them to be paired.
pub const CROSS_DOCUMENT_RARITY: f64 = 0.55;

/// Below this many claims, every shared word looks common: the rarity rule
/// waits for a corpus.
pub const MIN_CLAIMS_FOR_RARITY: usize = 300;

/// The rarest shared name a number or date conflict needs.
pub const NUMBER_RARITY: f64 = 0.55;

/// One shared term this rare is enough for any kind.
pub const VERY_RARE: f64 = 0.8;

/// `ln(N / df) / ln(N)`, with `N` at least 2 and `df` at least 1.
pub fn rarity(df: usize, claims: usize) -> f64 {
    let n = claims.max(2) as f64;
    (n / df.max(1) as f64).ln() / n.ln()
}

/// Whether a term counts towards rarity: content words and names, not
/// figures (`num:`) or groups (`group:`).
pub fn is_content(term: &str) -> bool {
    !term.starts_with("num:") && !term.starts_with("group:")
}

/// Whether the rule applies at all: different documents, and a corpus.
pub fn applies(same_document: bool, claims: usize) -> bool {
    !same_document && claims >= MIN_CLAIMS_FOR_RARITY
}

/// Whether a pair of `kind` whose shared content words have rarities
/// `(rarest, sum)` (`None` when they share none), and whose rarest shared
/// name has rarity `name` (0 without one), is rare enough.
pub fn rare_enough(kind: PairKind, shared: Option<(f64, f64)>, name: f64) -> bool {
    let Some((rarest, sum)) = shared else {
        return false;
    };
    match kind {
        PairKind::NumberConflict | PairKind::DateConflict => figures_enough(name, sum),
        _ => rare_for_a_story(rarest, sum),
    }
}

/// The bar of number and date conflicts: a shared name at least
/// [`NUMBER_RARITY`] rare, and shared content words whose rarities sum to
/// at least 1.
pub fn figures_enough(name: f64, sum: f64) -> bool {
    name >= NUMBER_RARITY && sum >= 1.0
}

/// The bar of every kind but number and date conflicts, over the shared
/// content words' rarities: one very rare word, or fairly rare ones whose
/// rarities sum to at least 1.
pub fn rare_for_a_story(rarest: f64, sum: f64) -> bool {
    rarest >= VERY_RARE || sum >= 1.0 && rarest >= CROSS_DOCUMENT_RARITY
}

/// The rule for two frames of different documents among `claims` claims:
/// `df` gives the document frequency of a term. The store calls it with a
/// query, the in-memory matcher with a table.
pub fn admits<E>(
    kind: PairKind,
    fa: &Frame,
    fb: &Frame,
    claims: usize,
    mut df: impl FnMut(&str) -> Result<usize, E>,
) -> Result<bool, E> {
    let mut shared: Option<(f64, f64)> = None;
    let mut name = 0.0f64;
    for term in fa.participants.intersection(&fb.participants) {
        if !is_content(term) {
            continue;
        }
        let r = rarity(df(term)?, claims);
        let (best, sum) = shared.unwrap_or((0.0, 0.0));
        shared = Some((best.max(r), sum + r));
        if fa.names.contains(term) && fb.names.contains(term) {
            name = name.max(r);
        }
    }
    Ok(rare_enough(kind, shared, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A frame of these participants; those written with a capital are
    /// names.
    fn frame(participants: &[&str]) -> Frame {
        let key = |p: &&str| crate::matcher::Key::from(p.to_lowercase());
        Frame {
            participants: participants.iter().map(key).collect(),
            names: participants
                .iter()
                .filter(|p| p.starts_with(char::is_uppercase))
                .map(key)
                .collect(),
            ..Frame::default()
        }
    }

    #[test]
    fn rare_words_pair_stories_and_common_ones_do_not() {
        let df = |t: &str| -> Result<usize, ()> {
            Ok(match t {
                "kessel" => 2,
                "dam" => 40,
                "peopl" => 5000,
                _ => 1,
            })
        };
        let n = 10_000;
        let (a, b) = (
            frame(&["kessel", "peopl"]),
            frame(&["kessel", "peopl", "x"]),
        );
        assert_eq!(admits(PairKind::Denial, &a, &b, n, df), Ok(true));
        let (a, b) = (frame(&["peopl", "num:3"]), frame(&["peopl", "num:3"]));
        assert_eq!(admits(PairKind::Denial, &a, &b, n, df), Ok(false));
        assert_eq!(admits(PairKind::NumberConflict, &a, &b, n, df), Ok(false));
        // Only a group in common: nothing shared exactly, no pair.
        let (a, b) = (frame(&["group:force", "x"]), frame(&["group:force", "y"]));
        assert_eq!(admits(PairKind::NumberConflict, &a, &b, n, df), Ok(false));
        assert_eq!(admits(PairKind::Negation, &a, &b, n, df), Ok(false));
        // Figures need the same named thing: a rare word written in
        // lower case on one side is not a name both give.
        let (a, b) = (frame(&["Kessel", "dam"]), frame(&["Kessel", "dam"]));
        assert_eq!(admits(PairKind::NumberConflict, &a, &b, n, df), Ok(true));
        assert_eq!(admits(PairKind::DateConflict, &a, &b, n, df), Ok(true));
        let (a, b) = (frame(&["kessel", "dam"]), frame(&["Kessel", "dam"]));
        assert_eq!(admits(PairKind::NumberConflict, &a, &b, n, df), Ok(false));
        // A name, but too little in common besides it.
        let (a, b) = (frame(&["Dam", "peopl"]), frame(&["Dam", "peopl"]));
        assert_eq!(admits(PairKind::NumberConflict, &a, &b, n, df), Ok(false));
        // One fairly rare word is not enough alone; two are.
        let (a, b) = (frame(&["dam"]), frame(&["dam"]));
        assert_eq!(admits(PairKind::Negation, &a, &b, n, df), Ok(false));
        assert!(rarity(40, n) > CROSS_DOCUMENT_RARITY);
        assert!(!applies(true, n) && !applies(false, 299) && applies(false, 300));
    }
}
