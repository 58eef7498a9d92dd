//! Crash safety and concurrency with real processes: an ingest killed with
//! SIGKILL part-way leaves a sound store holding the batch or nothing, and
//! the same ingest run again ends where an uninterrupted one does; two
//! ingests at once both complete; readers read while a writer writes.

mod common;

use common::{json_lines, Fixture, BIN, PATROL_A, PATROL_B};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A made-up word for `i`, so that each document has its own vocabulary.
fn word(i: usize) -> String {
    let mut s = String::from("zq");
    let mut n = i;
    loop {
        s.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
        if n == 0 {
            break;
        }
    }
    s
}

/// A JSON Lines batch of `n` documents, each with its own id, date and
/// words: an allegation, its denial and a quotation. Their claims pair
/// within a document, not across (documents sharing words pair with each
/// other, which makes a batch's matching quadratic: 300 copies of one
/// story make 90,000 pairs).
fn batch(path: &Path, n: usize, tag: &str) {
    let mut out = String::new();
    for i in 0..n {
        let x = format!("{}{tag}", word(i));
        let text = format!(
            "The {x}ian {x}port\n\nThe {x}ian guild said the {x}port {x}ers would {x}ify. \
             The {x}ian council denied that the {x}port {x}ers would {x}ify.\n\n\
             \"We are {x}y,\" said Mira {x}son, the {x}ian director.\n"
        );
        let doc = serde_json::json!({
            "id": format!("{tag}-{i}"),
            "published": format!("2024-{:02}-{:02}", i % 12 + 1, i % 28 + 1),
            "text": text,
        });
        out.push_str(&doc.to_string());
        out.push('\n');
    }
    std::fs::write(path, out).unwrap();
}

fn spawn(db: &Path, args: &[&str]) -> Child {
    Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("GAINSAY_DB")
        .env_remove("GAINSAY_RULES")
        // A page cache this small spills the write transaction's pages into
        // the WAL long before it commits: what the kills below land in.
        .env("GAINSAY_CACHE_MIB", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn integrity(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

/// Claims per document key.
fn claims_per_document(db: &Path) -> Vec<(String, usize)> {
    let store = gainsay::store::Store::open(db).unwrap();
    store
        .documents()
        .unwrap()
        .into_iter()
        .map(|d| (d.key, d.claims))
        .collect()
}

/// The store as the listings show it: every claim and every pair, as JSON.
fn contents(f: &Fixture) -> (String, String) {
    (
        f.ok(&["claims", "--format", "json"]),
        f.ok(&["contradictions", "--format", "json"]),
    )
}

/// A store of the sample articles with a confirmed and a dismissed pair.
fn reviewed() -> (Fixture, String, String) {
    let f = Fixture::new();
    let confirmed = f.pair_id(PATROL_A, PATROL_B);
    f.ok(&["review", &confirmed, "--confirm", "--note", "on the record"]);
    let dismissed = f
        .pairs(&[])
        .into_iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .find(|id| *id != confirmed)
        .expect("a second pair");
    f.ok(&["review", &dismissed, "--dismiss", "--note", "not the same"]);
    (f, confirmed, dismissed)
}

fn verdict(f: &Fixture, id: &str) -> (String, String) {
    let p = &json_lines(&f.ok(&["show", id, "--format", "json"]))[0];
    (
        p["status"].as_str().unwrap().to_string(),
        p["note"].as_str().unwrap_or("").to_string(),
    )
}

const DOCS: usize = 2500;

/// Kills `gainsay ingest` with SIGKILL at several points of one large batch
/// (while reading and extracting, and once the transaction is writing), then
/// checks the store after each kill and finishes the ingest.
#[test]
fn a_killed_ingest_leaves_the_batch_or_nothing() {
    // The reference: the same ingest, uninterrupted.
    let (reference, ..) = reviewed();
    let feed = reference.dir.path().join("batch.jsonl");
    batch(&feed, DOCS, "d");
    let feed_arg = feed.to_str().unwrap();
    let started = Instant::now();
    reference.ok(&["ingest", feed_arg]);
    let whole = started.elapsed();
    let expected = contents(&reference);
    let expected_docs = claims_per_document(&reference.db);

    let (f, confirmed, dismissed) = reviewed();
    let verdicts = (verdict(&f, &confirmed), verdict(&f, &dismissed));
    let before = contents(&f);
    let before_docs = claims_per_document(&f.db);
    let wal = f.db.with_extension("db-wal");
    let base_wal = std::fs::metadata(&wal).map_or(0, |m| m.len());

    // Kill early (reading, extracting), then once the write transaction has
    // spilled pages into the WAL.
    let mut killed_writing = false;
    for round in 0..4 {
        let mut child = spawn(&f.db, &["ingest", feed_arg]);
        let t0 = Instant::now();
        loop {
            std::thread::sleep(Duration::from_millis(20));
            if child.try_wait().unwrap().is_some() {
                break;
            }
            let grown = std::fs::metadata(&wal).map_or(0, |m| m.len()) > base_wal + 256 * 1024;
            let early = round == 0 && t0.elapsed() > whole / 4;
            if grown || early {
                killed_writing |= grown;
                child.kill().unwrap();
                break;
            }
        }
        let status = child.wait().unwrap();
        assert!(
            !status.success(),
            "round {round}: the ingest finished before it was killed ({whole:?} uninterrupted); \
             make the batch larger"
        );
        assert_eq!(integrity(&f.db), "ok", "round {round}");
        // One transaction: nothing of the batch is visible.
        assert_eq!(claims_per_document(&f.db), before_docs, "round {round}");
        assert_eq!(contents(&f), before, "round {round}");
        assert_eq!((verdict(&f, &confirmed), verdict(&f, &dismissed)), verdicts);
    }
    assert!(killed_writing, "no kill landed in the write transaction");

    // The same ingest again completes and ends as the uninterrupted run.
    f.ok(&["ingest", feed_arg]);
    assert_eq!(integrity(&f.db), "ok");
    assert_eq!(claims_per_document(&f.db), expected_docs);
    let got = contents(&f);
    assert!(
        got.0 == expected.0,
        "claims differ from the uninterrupted run"
    );
    assert!(
        got.1 == expected.1,
        "pairs differ from the uninterrupted run"
    );
    assert_eq!((verdict(&f, &confirmed), verdict(&f, &dismissed)), verdicts);
}

/// The first ingest into a store it creates writes under a rollback journal
/// (`src/store.rs`), its spilled pages straight into the file. Killed once
/// the file has grown with them, it leaves a sound store holding nothing,
/// and the same ingest run again ends as an uninterrupted one does.
#[test]
fn a_killed_first_ingest_leaves_the_new_store_empty() {
    let empty = || {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("gainsay.db");
        Fixture { dir, db }
    };
    let reference = empty();
    let feed = reference.dir.path().join("batch.jsonl");
    batch(&feed, DOCS, "n");
    let feed_arg = feed.to_str().unwrap();
    let started = Instant::now();
    reference.ok(&["ingest", feed_arg]);
    let whole = started.elapsed();
    let expected = contents(&reference);

    let f = empty();
    let mut child = spawn(&f.db, &["ingest", feed_arg]);
    let mut grown = false;
    while child.try_wait().unwrap().is_none() {
        std::thread::sleep(Duration::from_millis(10));
        if std::fs::metadata(&f.db).map_or(0, |m| m.len()) > 1 << 20 {
            grown = true;
            child.kill().unwrap();
            break;
        }
    }
    let status = child.wait().unwrap();
    assert!(
        grown && !status.success(),
        "the ingest finished before its pages reached the file ({whole:?} uninterrupted)"
    );
    assert!(
        f.db.with_extension("db-journal").exists(),
        "no journal left"
    );
    assert_eq!(integrity(&f.db), "ok");
    assert!(claims_per_document(&f.db).is_empty());

    f.ok(&["ingest", feed_arg]);
    assert_eq!(integrity(&f.db), "ok");
    assert!(
        contents(&f) == expected,
        "the store differs from the uninterrupted run's"
    );
}

/// Two large ingests into one store at once both complete: the second
/// waits for the first one's write lock (up to the 5 s busy timeout; past
/// it, it fails with a clear message and writes nothing). Readers list claims and pairs the
/// whole time, never blocked and never seeing half a batch.
#[test]
fn two_ingests_at_once_both_complete_while_readers_read() {
    let f = Fixture::new();
    let (docs0, claims0, _) = gainsay::store::Store::open(&f.db)
        .unwrap()
        .counts()
        .unwrap();
    let (one, two) = (
        f.dir.path().join("one.jsonl"),
        f.dir.path().join("two.jsonl"),
    );
    batch(&one, 600, "one");
    batch(&two, 600, "two");
    let a = spawn(&f.db, &["ingest", one.to_str().unwrap()]);
    let b = spawn(&f.db, &["ingest", two.to_str().unwrap()]);
    let (mut a, mut b) = (Some(a), Some(b));
    let mut outputs = Vec::new();
    let mut reads = 0;
    let mut seen_counts = std::collections::BTreeSet::new();
    while a.is_some() || b.is_some() {
        for slot in [&mut a, &mut b] {
            if let Some(child) = slot {
                if child.try_wait().unwrap().is_some() {
                    outputs.push(slot.take().unwrap().wait_with_output().unwrap());
                }
            }
        }
        let started = Instant::now();
        let claims = json_lines(&f.ok(&["claims", "--format", "json"]));
        f.ok(&["contradictions", "--format", "json"]);
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "a reader waited {:?}",
            started.elapsed()
        );
        seen_counts.insert(claims.len());
        reads += 1;
    }
    // Both complete; or, if the first one's write outlasted the busy
    // timeout, the second fails with one clear line and stores nothing.
    let failed: Vec<_> = outputs.iter().filter(|o| !o.status.success()).collect();
    assert!(failed.len() <= 1, "both ingests failed");
    for o in &failed {
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2));
        assert!(
            err.starts_with("gainsay: ") && err.contains("locked"),
            "{err}"
        );
    }
    assert!(reads >= 2, "the ingests ended before any read");
    let (docs, claims, _) = gainsay::store::Store::open(&f.db)
        .unwrap()
        .counts()
        .unwrap();
    assert_eq!(docs, docs0 + 600 * (2 - failed.len()));
    // Readers saw the store before, between and after the batches, never
    // part of one.
    let after_one = claims_per_document(&f.db)
        .iter()
        .filter(|(k, _)| k.starts_with("one-"))
        .map(|(_, n)| n)
        .sum::<usize>();
    let allowed = [claims0, claims0 + after_one, claims - after_one, claims];
    for n in &seen_counts {
        assert!(
            allowed.contains(n),
            "a reader saw {n} claims, not one of {allowed:?}"
        );
    }
    assert_eq!(integrity(&f.db), "ok");
}
