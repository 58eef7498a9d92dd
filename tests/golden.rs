//! Golden tests: the claim records and pairs the pipeline makes from every
//! sample article, diffed against `data/golden/`. After a reviewed change,
//! rewrite the expectations with `GAINSAY_BLESS=1 cargo test --test golden`.

use gainsay::extract::Extractor;
use gainsay::ingest::ingest;
use gainsay::rules::Rules;
use gainsay::sample;
use gainsay::store::{PairFilter, Store};
use std::path::Path;

fn compare(name: &str, actual: &str) -> Option<String> {
    let path = Path::new("data/golden").join(name);
    if std::env::var_os("GAINSAY_BLESS").is_some() {
        std::fs::create_dir_all("data/golden").unwrap();
        std::fs::write(&path, actual).unwrap();
        return None;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if expected == actual {
        return None;
    }
    let mut diff = format!(
        "{} differs (GAINSAY_BLESS=1 rewrites it after review):\n",
        path.display()
    );
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    for i in 0..e.len().max(a.len()) {
        match (e.get(i), a.get(i)) {
            (Some(x), Some(y)) if x == y => {}
            (x, y) => {
                if let Some(x) = x {
                    diff.push_str(&format!("- {x}\n"));
                }
                if let Some(y) = y {
                    diff.push_str(&format!("+ {y}\n"));
                }
            }
        }
    }
    Some(diff)
}

#[test]
fn claims_of_every_sample_article_match_their_golden_file() {
    let rules = Rules::builtin().unwrap();
    let extractor = Extractor::new(&rules);
    let mut failures = Vec::new();
    for doc in sample::documents() {
        let mut out = String::new();
        for c in extractor.extract(&doc) {
            out.push_str(&serde_json::to_string(&c).unwrap());
            out.push('\n');
        }
        let stem = Path::new(&doc.key)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        failures.extend(compare(&format!("{stem}.claims.jsonl"), &out));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn pairs_of_the_sample_match_their_golden_file() {
    let rules = Rules::builtin().unwrap();
    let mut store = Store::open_in_memory().unwrap();
    ingest(
        &mut store,
        &rules,
        sample::documents().into_iter().map(|d| (d, None)).collect(),
    )
    .unwrap();
    let mut out = String::new();
    for p in store.pairs(&PairFilter::default()).unwrap() {
        out.push_str(&format!(
            "{} {:.2} {} | {} | {} <> {} | {}\n",
            p.kind,
            p.score,
            p.a.id,
            p.b.id,
            p.a.content.text.replace('\n', " "),
            p.b.content.text.replace('\n', " "),
            p.evidence.reason
        ));
    }
    if let Some(diff) = compare("pairs.txt", &out) {
        panic!("{diff}");
    }
}
