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
//! - `X` empty (met only through a loose match, a group or a figure): the
//!   pair counts as moderately rare ([`LOOSE_RARITY`]);
//! - a number or date conflict, which already needs the same counted thing
//!   of the same event: the rarest of `X` at least 0.4;
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

/// The rarest shared term a number or date conflict needs.
pub const NUMBER_RARITY: f64 = 0.4;

/// One shared term this rare is enough for any kind.
pub const VERY_RARE: f64 = 0.8;

/// The rarity given to a pair that shares no content word exactly.
pub const LOOSE_RARITY: f64 = 0.7;

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
/// `(rarest, sum)` (`None` when they share none) is rare enough.
pub fn rare_enough(kind: PairKind, shared: Option<(f64, f64)>) -> bool {
    let (rarest, sum) = shared.unwrap_or((LOOSE_RARITY, LOOSE_RARITY));
    match kind {
        PairKind::NumberConflict | PairKind::DateConflict => rarest >= NUMBER_RARITY,
        _ => rare_for_a_story(rarest, sum),
    }
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
    for term in fa.participants.intersection(&fb.participants) {
        if !is_content(term) {
            continue;
        }
        let r = rarity(df(term)?, claims);
        let (best, sum) = shared.unwrap_or((0.0, 0.0));
        shared = Some((best.max(r), sum + r));
    }
    Ok(rare_enough(kind, shared))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(participants: &[&str]) -> Frame {
        Frame {
            participants: participants.iter().map(|p| p.to_string()).collect(),
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
        // Only a group in common: moderately rare, enough for a figure.
        let (a, b) = (frame(&["group:force", "x"]), frame(&["group:force", "y"]));
        assert_eq!(admits(PairKind::NumberConflict, &a, &b, n, df), Ok(true));
        assert_eq!(admits(PairKind::Negation, &a, &b, n, df), Ok(false));
        // One fairly rare word is not enough alone; two are.
        let (a, b) = (frame(&["dam"]), frame(&["dam"]));
        assert_eq!(admits(PairKind::Negation, &a, &b, n, df), Ok(false));
        assert!(rarity(40, n) > CROSS_DOCUMENT_RARITY);
        assert!(!applies(true, n) && !applies(false, 299) && applies(false, 300));
    }
}
