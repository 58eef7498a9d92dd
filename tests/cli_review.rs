//! `gainsay review`: verdicts with timestamps that later ingests and
//! re-matching never overwrite.

mod common;

use common::*;
use gainsay::matcher::Matcher;
use gainsay::rules::Rules;
use gainsay::store::{PairUpsert, Store};

fn status(f: &Fixture, id: &str) -> serde_json::Value {
    let out = f.ok(&["show", id, "--format", "json"]);
    serde_json::from_str(out.trim()).unwrap()
}

#[test]
fn a_verdict_is_recorded_with_a_timestamp_and_a_note() {
    let f = Fixture::new();
    let id = f.pair_id(PATROL_A, PATROL_B);
    let out = f.ok(&[
        "review",
        &id,
        "--confirm",
        "--note",
        "On the record: VOA email",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["id"], id.as_str());
    assert_eq!(v["status"], "confirmed");
    assert_eq!(v["note"], "On the record: VOA email");
    let at = v["reviewed_at"].as_str().unwrap();
    assert!(
        at.len() == 20 && at.ends_with('Z') && at.as_bytes()[10] == b'T',
        "{at}"
    );
    // `show` gives the verdict, its time and its note.
    let shown = f.ok(&["show", &id]);
    assert!(
        shown.contains(&format!(
            "review: confirmed at {at} \u{2014} note: On the record: VOA email"
        )),
        "{shown}"
    );
    // A verdict without a note keeps the note.
    f.ok(&["review", &id, "--reopen"]);
    assert_eq!(status(&f, &id)["note"], "On the record: VOA email");
    assert_eq!(status(&f, &id)["status"], "open");
}

#[test]
fn unknown_pairs_and_missing_verdicts_are_refused() {
    let f = Fixture::new();
    let out = f.run(&["review", "p999", "--confirm"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no pair with id 'p999'"));
    let out = f.run(&["review", "p1"]);
    assert_eq!(out.status.code(), Some(2));
    let out = f.run(&["review", "p1", "--confirm", "--dismiss"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn verdicts_survive_reingest_new_documents_and_rematching() {
    let f = Fixture::new();
    let confirmed = f.pair_id(PATROL_A, PATROL_B);
    let dismissed = f.pair_id("The gates were opened at 2 a.m.", "were opened at 11 p.m.");
    f.ok(&["review", &confirmed, "--confirm", "--note", "real"]);
    f.ok(&[
        "review",
        &dismissed,
        "--dismiss",
        "--note",
        "not the same gates",
    ]);
    let before = (status(&f, &confirmed), status(&f, &dismissed));
    let stamp = |id: &str| {
        let store = Store::open(&f.db).unwrap();
        store.reviewed_at(id).unwrap().unwrap()
    };
    let stamps = (stamp(&confirmed), stamp(&dismissed));

    // 1. The same files again: already stored, nothing changes.
    let mut args = vec!["ingest"];
    let files = data_files();
    args.extend(files.iter().map(String::as_str));
    f.ok(&args);
    // 2. A new article that answers the same allegation: new pairs are made
    //    against the reviewed claims, the reviewed pairs keep their verdicts.
    let n = f.pairs(&[]).len();
    let follow = f.file("follow.jsonl", FOLLOW_UP);
    f.ok(&["ingest", &follow]);
    let after_pairs = f.pairs(&[]);
    assert!(after_pairs.len() > n, "the follow-up made no pair");
    assert!(after_pairs
        .iter()
        .any(|p| p["a"]["content"]["text"] == PATROL_A && p["b"]["doc"] == "wire-2019-02-08"));
    assert_eq!(status(&f, &confirmed), before.0);
    assert_eq!(status(&f, &dismissed), before.1);

    // 3. Re-matching the reviewed claims (what any later ingest does for a
    //    pair it meets again) refreshes evidence but never the verdict.
    let rules = Rules::builtin().unwrap();
    let matcher = Matcher::new(&rules);
    let mut store = Store::open(&f.db).unwrap();
    let mut outcomes = Vec::new();
    for id in [&confirmed, &dismissed] {
        let p = store.pair(id).unwrap().unwrap();
        let (fa, fb) = (matcher.frame(&p.a), matcher.frame(&p.b));
        let again = matcher.pair(&p.a, &fa, &p.b, &fb).expect("still a pair");
        let batch = store.begin().unwrap();
        outcomes.push(
            batch
                .upsert_pair(&p.a.id, &p.b.id, again.kind, again.score, &again.evidence)
                .unwrap(),
        );
        batch.commit().unwrap();
    }
    assert_eq!(outcomes[0], PairUpsert::Updated(confirmed.clone()));
    assert_eq!(outcomes[1], PairUpsert::Suppressed(dismissed.clone()));
    drop(store);
    assert_eq!(status(&f, &confirmed), before.0);
    assert_eq!(status(&f, &dismissed), before.1);
    assert_eq!((stamp(&confirmed), stamp(&dismissed)), stamps);

    // The dismissed pair is not proposed: `--status open` and the report
    // leave it out, `--status dismissed` finds it.
    let open: Vec<String> = f
        .pairs(&["--status", "open"])
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect();
    assert!(!open.contains(&dismissed) && !open.contains(&confirmed));
    let gone = f.pairs(&["--status", "dismissed"]);
    assert_eq!(gone.len(), 1);
    assert_eq!(gone[0]["id"], dismissed.as_str());
    let page = f.dir.path().join("r.html");
    f.ok(&["report", "--html", page.to_str().unwrap()]);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(!html.contains(&format!("id=\"{dismissed}\"")));
    assert!(html.contains(&format!("id=\"{confirmed}\"")));
}
