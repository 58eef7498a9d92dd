//! The bundled sample articles in `data/`, compiled in so that `gainsay demo`
//! runs anywhere. The seed is a real article (Baghdad Post, 2019-02-07); the
//! others are fiction written for gainsay (see `data/README.md`).

use crate::ingest::document_from_text;
use crate::model::Document;

/// The founding example's file stem.
pub const SEED: &str = "baghdadpost-2019-02-07";

/// (file name, text) of every sample article, oldest first.
pub const ARTICLES: &[(&str, &str)] = &[
    (
        "data/baghdadpost-2019-02-07.txt",
        include_str!("../data/baghdadpost-2019-02-07.txt"),
    ),
    (
        "data/valdoria-herald-2025-03-04-kessel-flood.txt",
        include_str!("../data/valdoria-herald-2025-03-04-kessel-flood.txt"),
    ),
    (
        "data/kessel-courier-2025-03-07-flood-toll.txt",
        include_str!("../data/kessel-courier-2025-03-07-flood-toll.txt"),
    ),
    (
        "data/lindau-observer-2025-03-12-flood-inquiry.txt",
        include_str!("../data/lindau-observer-2025-03-12-flood-inquiry.txt"),
    ),
    (
        "data/eastport-tribune-2025-04-10-velmark-mine.txt",
        include_str!("../data/eastport-tribune-2025-04-10-velmark-mine.txt"),
    ),
    (
        "data/brenn-ledger-2025-04-14-velmark-reversal.txt",
        include_str!("../data/brenn-ledger-2025-04-14-velmark-reversal.txt"),
    ),
];

/// The sample articles as documents.
pub fn documents() -> Vec<Document> {
    ARTICLES
        .iter()
        .map(|(name, text)| {
            let mut d = document_from_text(name, (*text).to_string());
            if name.contains(SEED) {
                d.outlet = Some("Baghdad Post".into());
            }
            d
        })
        .collect()
}
