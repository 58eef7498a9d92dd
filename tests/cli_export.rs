//! `gainsay export --claimreview`: confirmed pairs as schema.org
//! ClaimReview JSON-LD, checked field by field.

mod common;

use common::*;
use serde_json::Value;

fn is_date(v: &Value) -> bool {
    v.as_str().is_some_and(|s| s.len() == 10 && chrono_like(s))
}

fn chrono_like(s: &str) -> bool {
    s.bytes().enumerate().all(|(i, b)| {
        if i == 4 || i == 7 {
            b == b'-'
        } else {
            b.is_ascii_digit()
        }
    })
}

fn check_author(a: &Value) {
    let t = a["@type"].as_str().unwrap();
    assert!(t == "Person" || t == "Organization", "{a}");
    assert!(!a["name"].as_str().unwrap().is_empty());
}

fn check_claim(c: &Value) {
    assert_eq!(c["@type"], "Claim");
    check_author(&c["author"]);
    assert!(is_date(&c["datePublished"]), "{c}");
    let appearances = c["appearance"].as_array().unwrap();
    assert!(!appearances.is_empty());
    for w in appearances {
        assert_eq!(w["@type"], "CreativeWork");
    }
}

#[test]
fn nothing_confirmed_exports_nothing() {
    let f = Fixture::new();
    assert_eq!(f.ok(&["export", "--claimreview"]), "");
    let out = f.run(&["export", "--claimreview", "--status", "open"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn confirmed_pairs_become_one_claimreview_per_contradicted_claim() {
    let f = Fixture::new();
    let follow = f.file("follow.jsonl", FOLLOW_UP);
    f.ok(&["ingest", &follow]);
    let patrol = f.pair_id(PATROL_A, PATROL_B);
    let wire = f.pair_id(PATROL_A, "the IMIS militia stopped a US patrol near Mosul");
    let toll = f.pair_id("killed 12 people", "Three people died");
    let open = f.pair_id("The tap water in Lindau is safe", "not safe");
    f.ok(&[
        "review",
        &patrol,
        "--confirm",
        "--note",
        "Coalition on the record.",
    ]);
    f.ok(&["review", &wire, "--confirm"]);
    f.ok(&["review", &toll, "--confirm"]);
    let _ = open;
    let out = f.ok(&[
        "export",
        "--claimreview",
        "--author",
        "Example Checks",
        "--url",
        "https://example.org/checks",
    ]);
    let reviews = json_lines(&out);
    // Two contradicted claims: the patrol allegation (two confirmed pairs)
    // and the flood toll.
    assert_eq!(reviews.len(), 2, "{out}");
    for r in &reviews {
        assert_eq!(r["@context"], "https://schema.org");
        assert_eq!(r["@type"], "ClaimReview");
        assert!(!r["claimReviewed"].as_str().unwrap().is_empty());
        assert!(is_date(&r["datePublished"]), "{r}");
        assert_eq!(r["author"]["@type"], "Organization");
        assert_eq!(r["author"]["name"], "Example Checks");
        assert!(r["url"]
            .as_str()
            .unwrap()
            .starts_with("https://example.org/checks#c"));
        check_claim(&r["itemReviewed"]);
        assert_eq!(r["reviewRating"]["@type"], "Rating");
        assert_eq!(r["reviewRating"]["alternateName"], "Contradicted");
        for b in r["isBasedOn"].as_array().unwrap() {
            check_claim(b);
            assert!(!b["text"].as_str().unwrap().is_empty());
        }
    }
    let patrol_review = reviews
        .iter()
        .find(|r| r["claimReviewed"] == PATROL_A)
        .unwrap();
    let evidence = patrol_review["isBasedOn"].as_array().unwrap();
    assert_eq!(evidence.len(), 2);
    assert_eq!(patrol_review["reviewBody"], "Coalition on the record.");
    assert_eq!(
        patrol_review["itemReviewed"]["author"]["@type"],
        "Organization"
    );
    // The spokesperson is a Person working for the coalition; the wire
    // article's URL is its appearance.
    let ryan = evidence
        .iter()
        .find(|b| b["text"].as_str().unwrap().starts_with(PATROL_B))
        .unwrap();
    assert_eq!(ryan["author"]["@type"], "Person");
    assert_eq!(ryan["author"]["name"], "Col. Sean Ryan");
    assert_eq!(ryan["author"]["worksFor"]["name"], "US-led coalition");
    let on_wire = evidence
        .iter()
        .find(|b| b["appearance"][0]["url"] == "https://example.com/wire/patrol")
        .expect("the wire article's URL");
    assert_eq!(on_wire["appearance"][0]["publisher"]["name"], "Wire");
    let toll_review = reviews.iter().find(|r| r != &patrol_review).unwrap();
    assert_eq!(toll_review["itemReviewed"]["author"]["@type"], "Person");
    // Filters narrow the export.
    let only = json_lines(&f.ok(&["export", "--claimreview", "--kind", "number_conflict"]));
    assert_eq!(only.len(), 1);
}
