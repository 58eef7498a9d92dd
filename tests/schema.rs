//! Schema versions: every released schema has a fixture database in
//! `tests/fixtures/schema-N.db` (made by the gainsay of that schema from two
//! sample articles, with a confirmed pair), and this build must open each
//! one, upgrade it in one transaction and read back every record as it was
//! (`schema-N.claims.json`, `schema-N.pairs.json`: the listings when the
//! fixture was made). Add a fixture whenever a migration is added; never
//! edit an old one.
//!
//! A database this build cannot upgrade (newer, another program's, or a
//! migration that fails) is refused and left byte-identical; tests/cli.rs
//! and the store's unit tests cover the newer and foreign cases through the
//! binary and the library, this file covers the failed migration.

use gainsay::store::{Store, APPLICATION_ID};
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_gainsay");

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The released schemas with a fixture.
const RELEASED: &[i64] = &[1, 2, 3, 4, 5, 6];

fn gainsay(db: &Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("GAINSAY_DB")
        .env_remove("GAINSAY_RULES")
        .output()
        .unwrap()
}

fn ok(db: &Path, args: &[&str]) -> String {
    let o = gainsay(db, args);
    assert!(
        o.status.success(),
        "gainsay {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

fn pragma(db: &Path, name: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(&format!("SELECT * FROM pragma_{name}"), [], |r| r.get(0))
        .unwrap()
}

fn values(s: &str) -> Vec<serde_json::Value> {
    s.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A copy of a fixture in a temporary directory (tests never write to the
/// fixture itself).
fn copy(version: i64) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("gainsay.db");
    std::fs::copy(fixtures().join(format!("schema-{version}.db")), &db).unwrap();
    (dir, db)
}

#[test]
fn every_released_schema_opens_upgrades_and_reads_back() {
    for &version in RELEASED {
        let (_dir, db) = copy(version);
        assert_eq!(pragma(&db, "user_version"), version, "fixture {version}");
        // Reading first: the listings equal those of the gainsay that made it.
        let claims = values(&ok(&db, &["claims", "--format", "json"]));
        let pairs = values(&ok(&db, &["contradictions", "--format", "json"]));
        let expected = |what: &str| {
            let path = fixtures().join(format!("schema-{version}.{what}.json"));
            values(&std::fs::read_to_string(path).unwrap())
        };
        assert_eq!(claims, expected("claims"), "schema {version}: claims");
        assert_eq!(pairs, expected("pairs"), "schema {version}: pairs");
        assert!(claims.len() > 10 && !pairs.is_empty());
        assert!(pairs.iter().any(|p| p["status"] == "confirmed"));

        // Writing: an ingest upgrades it and adds to what is there.
        let more = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("data/kessel-courier-2025-03-07-flood-toll.txt");
        ok(&db, &["ingest", more.to_str().unwrap()]);
        assert!(pragma(&db, "user_version") >= version);
        assert_eq!(pragma(&db, "application_id"), i64::from(APPLICATION_ID));
        // An existing store keeps its pages, and its log.
        assert_eq!(pragma(&db, "page_size"), 4096, "schema {version}");
        let conn = rusqlite::Connection::open(&db).unwrap();
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal", "schema {version}");
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
        let after = values(&ok(&db, &["claims", "--format", "json"]));
        assert!(after.len() > claims.len());
        for c in &claims {
            assert!(after.contains(c), "lost {}", c["id"]);
        }
        let after = values(&ok(&db, &["contradictions", "--format", "json"]));
        let confirmed: Vec<_> = pairs
            .iter()
            .filter(|p| p["status"] == "confirmed")
            .collect();
        for p in confirmed {
            let now = after.iter().find(|q| q["id"] == p["id"]).unwrap();
            assert_eq!((&now["status"], &now["note"]), (&p["status"], &p["note"]));
        }
    }
}

/// The newest fixture is the current schema, so a new migration cannot be
/// added without a fixture of the schema before it.
#[test]
fn the_newest_fixture_is_the_current_schema() {
    let newest = *RELEASED.last().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("fresh.db");
    drop(Store::open(&fresh).unwrap());
    assert_eq!(
        pragma(&fresh, "user_version"),
        newest,
        "a migration was added: add tests/fixtures/schema-{newest}.db's successor \
         (see this file's header)"
    );
}

/// A migration that fails part-way rolls back: the file is left as it was,
/// and the message names the schema version it could not reach.
#[test]
fn a_failed_migration_leaves_the_file_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("gainsay.db");
    {
        // Schema 0 with one of gainsay's tables already there (say, made by
        // hand): migration 1's CREATE TABLE documents fails after others ran.
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "CREATE TABLE claim_terms (x); CREATE TABLE pairs (y); INSERT INTO pairs VALUES (1);",
        )
        .unwrap();
    }
    let before = std::fs::read(&db).unwrap();
    let o = gainsay(&db, &["claims"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.starts_with("gainsay: ") && err.contains("cannot upgrade to schema 1"),
        "{err}"
    );
    assert_eq!(std::fs::read(&db).unwrap(), before);
}
