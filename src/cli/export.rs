//! `gainsay export --claimreview [filters]`: confirmed pairs as schema.org
//! ClaimReview JSON-LD, one object per line, one per contradicted claim.
//!
//! # Shape
//! ```json
//! {"@context": "https://schema.org", "@type": "ClaimReview",
//!  "identifier": "gainsay:c6",
//!  "datePublished": "2025-05-01",          // when the verdict was recorded
//!  "author": {"@type": "Organization", "name": "<--author>"},
//!  "url": "<--url>#c6",                     // only with --url
//!  "claimReviewed": "the IMIS militia stopping a US patrol",
//!  "itemReviewed": {"@type": "Claim",
//!     "author": {"@type": "Organization" | "Person", "name": …},
//!     "datePublished": "2019-02-07",        // the claim's date
//!     "appearance": [{"@type": "CreativeWork", "url"?: …, "headline"?: …,
//!                     "datePublished"?: …, "publisher"?: {"@type": "Organization", "name": …}}]},
//!  "reviewRating": {"@type": "Rating", "alternateName": "Contradicted",
//!                   "ratingExplanation": "<why, per pair>"},
//!  "reviewBody": "<the reviewers' notes>",
//!  "isBasedOn": [{"@type": "Claim", "identifier": "gainsay:c8", "text": …,
//!                 "author": …, "datePublished": …, "appearance": […]}]}
//! ```
//! The contradicting claims are the review's evidence: `isBasedOn` (a
//! CreativeWork property whose range includes CreativeWork, of which Claim
//! is one) lists them as `Claim`s with their own authors and appearances.
//! The rating is textual (`alternateName`), as fact-checkers publish it.
//! A source is a `Person` when it has a role ("a spokesperson", "Governor")
//! or reads like a personal name, else an `Organization`.

use super::contradictions::{select, ContradictionsArgs};
use super::{Context, Outcome};
use crate::audit::{claim_date_in, ClaimDocuments};
use crate::model::{ClaimRecord, PairRecord, ReviewStatus};
use crate::store::Store;
use serde_json::{json, Map, Value};
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// schema.org ClaimReview JSON-LD (the only export so far).
    #[arg(long, required = true)]
    pub claimreview: bool,
    /// The reviewing organisation, the ClaimReview's author.
    #[arg(long, default_value = "gainsay")]
    pub author: String,
    /// The page the reviews are published on; each review's url is URL#<claim id>.
    #[arg(long)]
    pub url: Option<String>,
    #[command(flatten)]
    pub filters: ContradictionsArgs,
}

/// Words that mark a source as a body rather than a person.
const BODY_WORDS: &[&str] = &[
    "accounts",
    "agency",
    "alliance",
    "association",
    "authority",
    "bank",
    "broadcaster",
    "channel",
    "coalition",
    "committee",
    "company",
    "council",
    "court",
    "department",
    "federation",
    "government",
    "group",
    "inquiry",
    "institute",
    "media",
    "ministry",
    "news",
    "office",
    "officials",
    "parties",
    "police",
    "press",
    "radio",
    "service",
    "station",
    "tv",
    "union",
    "analysts",
    "residents",
    "army",
    "forces",
    "party",
    "minerals",
];

/// `Person` or `Organization` for a claim's source.
fn author(c: &ClaimRecord) -> Value {
    let Some(s) = &c.source else {
        return json!({"@type": "Organization", "name": "unattributed"});
    };
    let name = s.text.split_whitespace().collect::<Vec<_>>().join(" ");
    let words: Vec<String> = name
        .split(|ch: char| !ch.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let body = words.iter().any(|w| BODY_WORDS.contains(&w.as_str()));
    let capitalised = name
        .split_whitespace()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    let person = s.role.is_some() || (!body && !s.unnamed && capitalised >= 2);
    let mut a = Map::new();
    a.insert(
        "@type".into(),
        json!(if person { "Person" } else { "Organization" }),
    );
    a.insert("name".into(), json!(name));
    let canonical = s.canonical.split_whitespace().collect::<Vec<_>>().join(" ");
    if person {
        if let Some(r) = &s.role {
            a.insert("jobTitle".into(), json!(r));
        }
        let employer = s
            .affiliation
            .clone()
            .or_else(|| (!name.contains(&canonical)).then(|| canonical.clone()));
        if let Some(e) = employer {
            a.insert(
                "worksFor".into(),
                json!({"@type": "Organization", "name": e}),
            );
        }
    } else if canonical != name {
        a.insert("alternateName".into(), json!(canonical));
    }
    Value::Object(a)
}

fn appearance(c: &ClaimRecord, docs: &ClaimDocuments) -> Value {
    let mut w = Map::new();
    w.insert("@type".into(), json!("CreativeWork"));
    if let Some(d) = docs.get(&c.id) {
        if let Some(u) = &d.url {
            w.insert("url".into(), json!(u));
        }
        if let Some(t) = &d.title {
            w.insert("headline".into(), json!(t));
        }
        if let Some(p) = &d.published {
            w.insert("datePublished".into(), json!(p));
        }
        if let Some(o) = &d.outlet {
            w.insert(
                "publisher".into(),
                json!({"@type": "Organization", "name": o}),
            );
        }
    }
    json!([Value::Object(w)])
}

fn claim(c: &ClaimRecord, docs: &ClaimDocuments) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("@type".into(), json!("Claim"));
    m.insert("identifier".into(), json!(format!("gainsay:{}", c.id)));
    m.insert("author".into(), author(c));
    if let Some(d) = claim_date_in(c, docs) {
        m.insert("datePublished".into(), json!(d));
    }
    m.insert("appearance".into(), appearance(c, docs));
    m
}

/// The ClaimReviews of confirmed `pairs`, one per contradicted claim (side a),
/// in the order of each claim's strongest pair.
pub fn claim_reviews(
    store: &Store,
    pairs: &[PairRecord],
    docs: &ClaimDocuments,
    reviewer: &str,
    url: Option<&str>,
) -> anyhow::Result<Vec<Value>> {
    let mut order: Vec<&str> = Vec::new();
    for p in pairs {
        if p.status == ReviewStatus::Confirmed && !order.contains(&p.a.id.as_str()) {
            order.push(&p.a.id);
        }
    }
    let mut out = Vec::new();
    for id in order {
        let group: Vec<&PairRecord> = pairs
            .iter()
            .filter(|p| p.status == ReviewStatus::Confirmed && p.a.id == id)
            .collect();
        let a = &group[0].a;
        let mut reviewed: Vec<String> = Vec::new();
        for p in &group {
            if let Some(t) = store.reviewed_at(&p.id)? {
                reviewed.push(t.get(..10).unwrap_or(&t).to_string());
            }
        }
        let mut r = Map::new();
        r.insert("@context".into(), json!("https://schema.org"));
        r.insert("@type".into(), json!("ClaimReview"));
        r.insert("identifier".into(), json!(format!("gainsay:{id}")));
        if let Some(d) = reviewed.iter().max() {
            r.insert("datePublished".into(), json!(d));
        }
        r.insert(
            "author".into(),
            json!({"@type": "Organization", "name": reviewer}),
        );
        if let Some(u) = url {
            r.insert("url".into(), json!(format!("{u}#{id}")));
        }
        r.insert("claimReviewed".into(), json!(a.content.text));
        r.insert("itemReviewed".into(), Value::Object(claim(a, docs)));
        let why: Vec<String> = group
            .iter()
            .map(|p| format!("{} ({}): {}", p.b.content.text, p.kind, p.evidence.reason))
            .collect();
        r.insert(
            "reviewRating".into(),
            json!({"@type": "Rating", "alternateName": "Contradicted",
                   "ratingExplanation": format!("Contradicted by: {}", why.join("; "))}),
        );
        let notes: Vec<&str> = group.iter().filter_map(|p| p.note.as_deref()).collect();
        if !notes.is_empty() {
            r.insert("reviewBody".into(), json!(notes.join(" ")));
        }
        let evidence: Vec<Value> = group
            .iter()
            .map(|p| {
                let mut b = claim(&p.b, docs);
                b.insert("text".into(), json!(p.b.content.text));
                Value::Object(b)
            })
            .collect();
        r.insert("isBasedOn".into(), Value::Array(evidence));
        out.push(Value::Object(r));
    }
    Ok(out)
}

pub fn run(ctx: &Context, args: ExportArgs) -> anyhow::Result<Outcome> {
    if args
        .filters
        .status
        .is_some_and(|s| s != ReviewStatus::Confirmed)
    {
        anyhow::bail!("export --claimreview publishes confirmed pairs only; drop --status");
    }
    let store = ctx.open_existing_store()?;
    let mut filters = args.filters.clone();
    filters.status = Some(ReviewStatus::Confirmed);
    let (pairs, docs) = select(&store, &filters)?;
    let mut out = std::io::stdout().lock();
    for r in claim_reviews(&store, &pairs, &docs, &args.author, args.url.as_deref())? {
        serde_json::to_writer(&mut out, &r)?;
        writeln!(out)?;
    }
    if pairs.is_empty() {
        eprintln!("gainsay: no confirmed pairs to export (confirm some with `gainsay review ID --confirm`)");
    }
    Ok(Outcome::Done)
}
