//! The SQLite store: documents, the claims extracted from them, the blocking
//! index the matcher searches, and the contradiction pairs with their review
//! verdicts.
//!
//! # Schema
//! - `documents`: one row per distinct text. `hash` is
//!   [`Document::content_hash`] and is `UNIQUE`, so a text is stored once
//!   whatever its key; `key` is the name it was first ingested under.
//! - `claims`: one row per [`ClaimRecord`], one column per field. Excerpts are
//!   flattened into `<field>_text`, `<field>_start`, `<field>_end` (character
//!   offsets, as in the model); the optional source and cue are all-`NULL` when
//!   absent; the source mention, the hedges and the time expressions are JSON.
//!   Enums are stored in their `as_str` spelling and parsed back on read; an
//!   unknown spelling is a [`StoreError::BadRecord`], never a panic.
//! - `terms`: each term the claims are filed under, numbered once, with
//!   how many claims carry it (the length of its posting list), kept by
//!   [`Batch::add_claims`]; the empty term `''` counts every claim. Blocking
//!   and the rarity of shared words read the count instead of counting
//!   posting lists.
//! - `posting_runs`: the inverted index the matcher blocks on
//!   ([`Store::candidates`] returns the claims that share at least one
//!   term). A term's posting list is cut into runs of up to [`RUN_CLAIMS`]
//!   claim ids, ascending, each run a row keyed `(term, first)` (its first
//!   claim id) in a table without rowid, its ids in one blob of 8-byte
//!   big-endian integers. New claims always have the highest ids, so filing
//!   them fills the term's last run and appends new ones: one b-tree write
//!   per term and run, not per posting, which was half of what storing a
//!   claim cost. There is no foreign key: claims are never deleted. A
//!   claim's own terms are in its row (`claims.terms`, a JSON array).
//! - `pairs`: two claims, the kind, score and evidence (JSON) of the pairing,
//!   an `evidence_hash`, and the human review (`status`, `note`,
//!   `reviewed_at`). A pair of claims is stored once, in either orientation.
//!
//! Public ids are the row ids with a prefix: claims are `c<rowid>`, pairs
//! `p<rowid>`. [`ClaimRecord::doc`] holds the document key.
//!
//! # Verdicts outlive re-runs
//! [`Batch::upsert_pair`] never overwrites a verdict. A dismissed pair comes
//! back only when its grounds change: the `evidence_hash` covers the kind and
//! the shared terms, opposing words and rules (each as a sorted set), but not
//! the wording of the reason, so rephrasing a reason template does not reopen
//! everything a reviewer dismissed.
//!
//! # Migrations
//! [`MIGRATIONS`] is an append-only list of SQL scripts; `PRAGMA user_version`
//! records how many have been applied, and `PRAGMA application_id` marks the
//! file as gainsay's. Opening applies the missing scripts in one transaction,
//! so a database is either at its old version or fully upgraded. Never remove
//! or edit a migration entry: add a new one.
//!
//! Before writing anything, [`Store::open`] checks that the file is a SQLite
//! database, that it is gainsay's (or empty), and that its schema is not newer
//! than this build knows. A file that fails a check is left byte-identical.

use crate::model::{
    ClaimRecord, Document, Evidence, Excerpt, PairKind, PairRecord, Polarity, QuoteKind,
    ReviewStatus, SourceRef, Stance, TimeExpr,
};
use rayon::prelude::*;
use rusqlite::types::Type;
use rusqlite::{
    named_params, params, Connection, ErrorCode, OptionalExtension, Row, Transaction,
    TransactionBehavior,
};
use rustc_hash::FxHashMap;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::borrow::BorrowMut;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// `PRAGMA application_id` of a gainsay database: "gain" in ASCII.
pub const APPLICATION_ID: i32 = 0x6761_696e;

/// The schema, one script per version. Append only: never remove or edit an
/// entry, since `user_version` counts the entries a database has applied.
const MIGRATIONS: &[&str] = &[
    // 1: documents, claims, the blocking index and pairs.
    r#"
    CREATE TABLE documents (
        id          INTEGER PRIMARY KEY,
        key         TEXT NOT NULL,
        hash        TEXT NOT NULL UNIQUE,
        title       TEXT,
        outlet      TEXT,
        url         TEXT,
        published   TEXT,
        text        TEXT NOT NULL,
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX documents_key ON documents (key);

    CREATE TABLE claims (
        id                 INTEGER PRIMARY KEY,
        document           INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        sentence_text      TEXT NOT NULL,
        sentence_start     INTEGER NOT NULL,
        sentence_end       INTEGER NOT NULL,
        content_text       TEXT NOT NULL,
        content_start      INTEGER NOT NULL,
        content_end        INTEGER NOT NULL,
        source_text        TEXT,
        source_start       INTEGER,
        source_end         INTEGER,
        source_canonical   TEXT,
        source_role        TEXT,
        source_affiliation TEXT,
        source_mention     TEXT,    -- JSON Excerpt
        source_unnamed     INTEGER,
        cue_text           TEXT,
        cue_start          INTEGER,
        cue_end            INTEGER,
        subject            TEXT,
        predicate          TEXT,
        object             TEXT,
        stance             TEXT NOT NULL,
        polarity           TEXT NOT NULL,
        hedges             TEXT NOT NULL,  -- JSON array of strings
        quote              TEXT NOT NULL,
        channel            TEXT,
        times              TEXT NOT NULL   -- JSON array of TimeExpr
    );
    CREATE INDEX claims_document ON claims (document, sentence_start, content_start);
    CREATE INDEX claims_source ON claims (source_canonical);
    CREATE INDEX claims_stance ON claims (stance);

    CREATE TABLE claim_terms (
        claim INTEGER NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
        term  TEXT NOT NULL,
        UNIQUE (claim, term)
    );
    CREATE INDEX claim_terms_term ON claim_terms (term);

    CREATE TABLE pairs (
        id            INTEGER PRIMARY KEY,
        a             INTEGER NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
        b             INTEGER NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
        kind          TEXT NOT NULL,
        score         REAL NOT NULL,
        evidence      TEXT NOT NULL,   -- JSON Evidence
        evidence_hash TEXT NOT NULL,
        status        TEXT NOT NULL DEFAULT 'open',
        note          TEXT,
        reviewed_at   TEXT,
        created_at    TEXT NOT NULL,
        UNIQUE (a, b),
        CHECK (a <> b)
    );
    CREATE INDEX pairs_b ON pairs (b);
    CREATE INDEX pairs_score ON pairs (score DESC, id);
    CREATE INDEX pairs_status ON pairs (status, score DESC);
    "#,
    // 2: posting lists read from the index alone, and their lengths kept in
    // a table, so that blocking and rarity cost no COUNT over a posting list.
    r#"
    CREATE INDEX claim_terms_postings ON claim_terms (term, claim);
    DROP INDEX claim_terms_term;

    CREATE TABLE term_counts (
        term   TEXT PRIMARY KEY,
        claims INTEGER NOT NULL
    ) WITHOUT ROWID;
    INSERT INTO term_counts (term, claims)
        SELECT term, count(*) FROM claim_terms WHERE term <> '' GROUP BY term;
    INSERT INTO term_counts (term, claims) VALUES ('', (SELECT count(*) FROM claims));
    "#,
    // 3: terms numbered once, and posting lists of integers in one b-tree
    // without a rowid or a foreign key: filing a claim under a term was
    // three b-tree writes keyed by text plus a parent lookup in `claims`.
    r#"
    CREATE TABLE terms (
        id     INTEGER PRIMARY KEY,
        term   TEXT NOT NULL UNIQUE,
        claims INTEGER NOT NULL
    );
    INSERT INTO terms (term, claims) SELECT term, claims FROM term_counts ORDER BY term;
    INSERT OR IGNORE INTO terms (term, claims)
        SELECT term, count(*) FROM claim_terms GROUP BY term;

    CREATE TABLE postings (
        term  INTEGER NOT NULL,
        claim INTEGER NOT NULL,
        PRIMARY KEY (term, claim)
    ) WITHOUT ROWID;
    INSERT INTO postings (term, claim)
        SELECT terms.id, claim_terms.claim FROM claim_terms
        JOIN terms ON terms.term = claim_terms.term ORDER BY 1, 2;

    ALTER TABLE claims ADD COLUMN terms TEXT NOT NULL DEFAULT '[]';
    UPDATE claims SET terms =
        (SELECT json_group_array(term) FROM claim_terms WHERE claim = claims.id);

    DROP TABLE claim_terms;
    DROP TABLE term_counts;
    "#,
    // 4: posting lists in runs of up to 64 claim ids (RUN_CLAIMS) a row, the
    // ids a blob of 8-byte big-endian integers: a b-tree entry per posting
    // was half the cost of storing a claim.
    r#"
    CREATE TABLE posting_runs (
        term   INTEGER NOT NULL,
        first  INTEGER NOT NULL,
        claims BLOB NOT NULL,
        PRIMARY KEY (term, first)
    ) WITHOUT ROWID;
    INSERT INTO posting_runs (term, first, claims)
        SELECT term, min(claim),
               unhex(group_concat(printf('%016X', claim), '' ORDER BY claim))
        FROM (SELECT term, claim,
                     (row_number() OVER (PARTITION BY term ORDER BY claim) - 1) / 64 AS run
              FROM postings)
        GROUP BY term, run
        ORDER BY term, run;
    DROP TABLE postings;
    "#,
    // 5: no index on a claim's source or stance. No query could use them
    // (sources are matched by substring, a stance filter is optional), and
    // they were two of the four b-trees every stored claim was written to.
    r#"
    DROP INDEX claims_source;
    DROP INDEX claims_stance;
    "#,
    // 6: a claim's texts that are its document's text at their offsets (as
    // extracted ones are, in a document of up to DERIVED_DOCUMENT_BYTES)
    // are not stored a second time: a bit of `derived_texts` (DerivedText)
    // marks each, its text column holds '' (sentence, content) or NULL, and
    // it is read as a substring of the document (claim_from_row). The
    // subject, predicate and object get offsets for it. Rows stored before
    // are converted the same way (SQLite's instr, length and substr count
    // characters, as the offsets do); a text found different is kept.
    r#"
    ALTER TABLE claims ADD COLUMN derived_texts INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE claims ADD COLUMN subject_start INTEGER;
    ALTER TABLE claims ADD COLUMN subject_end INTEGER;
    ALTER TABLE claims ADD COLUMN predicate_start INTEGER;
    ALTER TABLE claims ADD COLUMN predicate_end INTEGER;
    ALTER TABLE claims ADD COLUMN object_start INTEGER;
    ALTER TABLE claims ADD COLUMN object_end INTEGER;

    UPDATE claims SET
        subject_start = content_start + instr(content_text, subject) - 1,
        subject_end = content_start + instr(content_text, subject) - 1 + length(subject),
        predicate_start = content_start + instr(content_text, predicate) - 1,
        predicate_end = content_start + instr(content_text, predicate) - 1 + length(predicate),
        object_start = content_start + instr(content_text, object) - 1,
        object_end = content_start + instr(content_text, object) - 1 + length(object);

    UPDATE claims SET derived_texts =
          ((sentence_text = substr(d.text, sentence_start + 1, sentence_end - sentence_start)) IS 1)
        + ((content_text = substr(d.text, content_start + 1, content_end - content_start)) IS 1) * 2
        + ((source_text = substr(d.text, source_start + 1, source_end - source_start)) IS 1) * 4
        + ((cue_text = substr(d.text, cue_start + 1, cue_end - cue_start)) IS 1) * 8
        + ((subject = substr(d.text, subject_start + 1, subject_end - subject_start)) IS 1) * 16
        + ((predicate = substr(d.text, predicate_start + 1, predicate_end - predicate_start)) IS 1) * 32
        + ((object = substr(d.text, object_start + 1, object_end - object_start)) IS 1) * 64
    FROM (SELECT id, text FROM documents WHERE length(CAST(text AS BLOB)) <= 12288) AS d
    WHERE d.id = claims.document;

    UPDATE claims SET
        sentence_text = CASE WHEN derived_texts & 1 THEN '' ELSE sentence_text END,
        content_text = CASE WHEN derived_texts & 2 THEN '' ELSE content_text END,
        source_text = CASE WHEN derived_texts & 4 THEN NULL ELSE source_text END,
        cue_text = CASE WHEN derived_texts & 8 THEN NULL ELSE cue_text END,
        subject = CASE WHEN derived_texts & 16 THEN NULL ELSE subject END,
        predicate = CASE WHEN derived_texts & 32 THEN NULL ELSE predicate END,
        object = CASE WHEN derived_texts & 64 THEN NULL ELSE object END,
        subject_start = CASE WHEN derived_texts & 16 THEN subject_start END,
        subject_end = CASE WHEN derived_texts & 16 THEN subject_end END,
        predicate_start = CASE WHEN derived_texts & 32 THEN predicate_start END,
        predicate_end = CASE WHEN derived_texts & 32 THEN predicate_end END,
        object_start = CASE WHEN derived_texts & 64 THEN object_start END,
        object_end = CASE WHEN derived_texts & 64 THEN object_end END;
    "#,
];

/// A claim text that may be read from its document rather than stored:
/// the bit of `derived_texts` that says so, its text column, and the
/// columns of its character offsets into the document, each with its
/// position in [`CLAIM_SELECT`].
struct DerivedText {
    bit: i64,
    text: Col,
    start: Col,
    end: Col,
}

/// A column of [`CLAIM_SELECT`]: its position, by which [`claim_from_row`]
/// reads it (rusqlite finds a column by name by comparing the name with
/// each column's, which took half the time of listing claims), and its
/// name, for SQL and messages.
#[derive(Clone, Copy)]
struct Col {
    at: usize,
    name: &'static str,
}

const fn col(at: usize, name: &'static str) -> Col {
    Col { at, name }
}

/// A claim text whose text, start and end columns stand at `at`, `at + 1`
/// and `at + 2` in [`CLAIM_SELECT`].
const fn derived(bit: i64, at: usize, [text, start, end]: [&'static str; 3]) -> DerivedText {
    DerivedText {
        bit,
        text: col(at, text),
        start: col(at + 1, start),
        end: col(at + 2, end),
    }
}

const SENTENCE: DerivedText = derived(1, 4, ["sentence_text", "sentence_start", "sentence_end"]);
const CONTENT: DerivedText = derived(2, 7, ["content_text", "content_start", "content_end"]);
const SOURCE: DerivedText = derived(4, 10, ["source_text", "source_start", "source_end"]);
const CUE: DerivedText = derived(8, 18, ["cue_text", "cue_start", "cue_end"]);
const SUBJECT: DerivedText = derived(16, 21, ["subject", "subject_start", "subject_end"]);
const PREDICATE: DerivedText = derived(32, 24, ["predicate", "predicate_start", "predicate_end"]);
const OBJECT: DerivedText = derived(64, 27, ["object", "object_start", "object_end"]);

/// Bytes of a document's text up to which its claims' texts are read from
/// it ([`StoredTexts`]): reading a claim then reads its document's text
/// too, which in a larger one would cost more than the copy saves (in a
/// new store's 16 KiB pages, a document of up to this much stays on its
/// row's page, with no overflow pages to follow).
const DERIVED_DOCUMENT_BYTES: usize = 12 * 1024;

impl DerivedText {
    /// SQL for this text of claim row `claim` whose document row is `doc`
    /// (for conditions on it; [`claim_from_row`] reads it in Rust): the
    /// document's characters at the claim's offsets where the bit is set
    /// (SQLite's substr counts characters, as excerpt offsets do), the
    /// stored text otherwise.
    fn read_sql(&self, claim: &str, doc: &str) -> String {
        let (bit, text, start, end) = (self.bit, self.text.name, self.start.name, self.end.name);
        format!(
            "CASE WHEN {claim}.derived_texts & {bit} \
             THEN substr({doc}.text, {claim}.{start} + 1, {claim}.{end} - {claim}.{start}) \
             ELSE {claim}.{text} END"
        )
    }
}

/// How a claim's texts are stored: the bits of those read from the
/// document ([`DerivedText`]) and the character offsets of its subject,
/// predicate and object in the document, where found.
struct StoredTexts {
    derived: i64,
    parts: [Option<(usize, usize)>; 3],
}

impl StoredTexts {
    /// Which of `claim`'s texts are `doc`'s characters at their offsets
    /// (none of a document longer than [`DERIVED_DOCUMENT_BYTES`]). The
    /// subject, predicate and object are looked for in the content when
    /// that is the document's.
    fn of(claim: &ClaimRecord, doc: &crate::text::CharSlicer<'_>) -> StoredTexts {
        if doc.text().len() > DERIVED_DOCUMENT_BYTES {
            return StoredTexts {
                derived: 0,
                parts: [None; 3],
            };
        }
        let is_doc = |text: &str, start: usize, end: usize| doc.slice(start, end) == Some(text);
        let mut derived = 0;
        let mut mark = |d: &DerivedText, text: &str, start: usize, end: usize| {
            if is_doc(text, start, end) {
                derived |= d.bit;
            }
        };
        mark(
            &SENTENCE,
            &claim.sentence.text,
            claim.sentence.start,
            claim.sentence.end,
        );
        mark(
            &CONTENT,
            &claim.content.text,
            claim.content.start,
            claim.content.end,
        );
        if let Some(s) = &claim.source {
            mark(&SOURCE, &s.text, s.start, s.end);
        }
        if let Some(c) = &claim.cue {
            mark(&CUE, &c.text, c.start, c.end);
        }
        let mut parts = [None; 3];
        if derived & CONTENT.bit != 0 {
            let content = &claim.content;
            // Each part is looked for where the one before it ends first
            // (a subject starts the content, a predicate follows it, an
            // object the predicate), then anywhere: a substring search
            // costs more to set up than the whole check.
            let mut after = 0;
            let mut found = |part: &Option<String>| -> Option<(usize, usize)> {
                let part = part.as_deref()?;
                let rest = content.text.get(after..)?;
                let at = match crate::text::find_early(rest, part) {
                    Some(p) => after + p,
                    None => content.text.find(part)?,
                };
                after = at + part.len();
                let start = content.start + crate::text::char_offset(&content.text, at);
                let end = start + part.chars().count();
                is_doc(part, start, end).then_some((start, end))
            };
            for (i, (d, part)) in [
                (&SUBJECT, &claim.subject),
                (&PREDICATE, &claim.predicate),
                (&OBJECT, &claim.object),
            ]
            .into_iter()
            .enumerate()
            {
                parts[i] = found(part);
                if parts[i].is_some() {
                    derived |= d.bit;
                }
            }
        }
        StoredTexts { derived, parts }
    }

    /// `text` as its column stores it: NULL where read from the document.
    fn kept<'a>(&self, d: &DerivedText, text: Option<&'a str>) -> Option<&'a str> {
        text.filter(|_| self.derived & d.bit == 0)
    }

    /// `text` as its required column stores it: '' where read from the
    /// document.
    fn required<'a>(&self, d: &DerivedText, text: &'a str) -> &'a str {
        self.kept(d, Some(text)).unwrap_or("")
    }
}

/// Claim ids in a row of `posting_runs` at most: 512 bytes, well inside
/// the part of a 4 KiB page a row of a table without rowid may take before
/// it spills to an overflow page. Migration 4 cuts runs at the same length.
pub const RUN_CLAIMS: usize = 64;

/// A run's claim ids as stored: 8-byte big-endian integers, ascending.
fn encode_run(ids: &[i64]) -> Vec<u8> {
    ids.iter().flat_map(|id| id.to_be_bytes()).collect()
}

/// The claim ids of a stored run; a blob that is not whole 8-byte ids is
/// an unreadable record, never a panic.
fn decode_run(blob: &[u8]) -> rusqlite::Result<impl Iterator<Item = i64> + '_> {
    if !blob.len().is_multiple_of(8) {
        return Err(rusqlite::Error::FromSqlConversionFailure(
            0,
            Type::Blob,
            format!(
                "a posting run of {} bytes, not whole 8-byte claim ids",
                blob.len()
            )
            .into(),
        ));
    }
    Ok(blob
        .chunks_exact(8)
        .map(|b| i64::from_be_bytes(b.try_into().expect("chunks of 8"))))
}

/// The schema version this build writes: the number of migrations.
const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Tables whose presence marks a database as gainsay's even without an
/// application id.
const GAINSAY_TABLES: &[&str] = &[
    "documents",
    "claims",
    "claim_terms",
    "postings",
    "posting_runs",
    "pairs",
];

/// SQLite's page cache per connection, in MiB, unless set otherwise: a
/// batch's writes stay in memory until the cache is full, instead of being
/// spilled to the WAL and read back (on Reuters, ingest took 40% less time
/// with 64 MiB than with SQLite's 2 MiB). Pages are allocated as they are
/// used, so a small store never takes this much.
pub const DEFAULT_CACHE_MIB: u32 = 64;

/// How long to wait for another process's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Page size of a new database file, in bytes. Claims (some 600 bytes) and
/// documents (often several KiB) are large rows: SQLite's 4 KiB default
/// fits few of them to a page, and a Reuters ingest committed in about a
/// quarter less time with 16 KiB pages.
const PAGE_SIZE: i64 = 16 * 1024;

/// The first 16 bytes of every SQLite 3 database file.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// What can go wrong with the store. Every message is one line that starts
/// with the database path (`:memory:` for an in-memory store).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: not a gainsay database ({reason})")]
    Foreign { path: String, reason: String },
    #[error("{path}: made by a newer gainsay (schema {found}, this build knows {known})")]
    TooNew {
        path: String,
        found: i64,
        known: i64,
    },
    /// Another connection held the write lock past the busy timeout.
    #[error("{path}: database is locked by another process; try again when it is done")]
    Locked { path: String },
    #[error("{path}: file is not a database")]
    NotADatabase { path: String },
    #[error("{path}: database file is corrupt")]
    Corrupt { path: String },
    #[error("{path}: cannot upgrade to schema {version}: {error}")]
    Migration {
        path: String,
        version: i64,
        error: rusqlite::Error,
    },
    #[error("{path}: unreadable record: {message}")]
    BadRecord { path: String, message: String },
    #[error("{path}: no claim {id}")]
    NoSuchClaim { path: String, id: String },
    #[error("{path}: no pair {id}")]
    NoSuchPair { path: String, id: String },
    #[error("{path}: no document with id {id}")]
    NoSuchDocument { path: String, id: i64 },
    #[error("{path}: {message}")]
    InvalidInput { path: String, message: String },
    #[error("{path}: {error}")]
    Io { path: String, error: std::io::Error },
    #[error("{path}: {error}")]
    Sqlite {
        path: String,
        error: rusqlite::Error,
    },
}

/// Turns a SQLite error into a [`StoreError`] naming `path`, picking out the
/// cases a user can act on (locked, not a database, corrupt, bad record).
fn wrap(path: &str, error: rusqlite::Error) -> StoreError {
    let path = path.to_string();
    match error.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Locked { path },
        Some(ErrorCode::NotADatabase) => StoreError::NotADatabase { path },
        Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt { path },
        _ => match error {
            rusqlite::Error::FromSqlConversionFailure(_, _, cause) => StoreError::BadRecord {
                path,
                message: cause.to_string(),
            },
            error => StoreError::Sqlite { path, error },
        },
    }
}

/// A stored value that does not read back as its field.
#[derive(Debug, thiserror::Error)]
enum BadColumn {
    #[error("{column} holds {value:?}, which is not a valid value")]
    Value { column: &'static str, value: String },
    #[error("{column} is not valid JSON: {error}")]
    Json {
        column: &'static str,
        error: serde_json::Error,
    },
}

fn bad_column(row: &Row, column: &'static str, cause: BadColumn) -> rusqlite::Error {
    let index = row.as_ref().column_index(column).unwrap_or(0);
    rusqlite::Error::FromSqlConversionFailure(index, Type::Text, Box::new(cause))
}

/// Whether a document was written by [`Batch::add_document`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentAdded {
    /// Stored under this row id; pass it to [`Batch::add_claims`].
    New { id: i64 },
    /// A document with the same text is already stored under `key`; nothing
    /// was written.
    AlreadyStored { key: String },
}

/// What [`Batch::upsert_pair`] did. Each variant carries the pair id (`p<N>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PairUpsert {
    /// A new open pair.
    Inserted(String),
    /// An open or confirmed pair: kind, score and evidence refreshed, the
    /// status left as it was.
    Updated(String),
    /// A dismissed pair whose evidence changed: open again, note kept.
    Reopened(String),
    /// A dismissed pair with unchanged evidence: nothing written.
    Suppressed(String),
}

/// The claims of one stored document and their blocking terms, for
/// [`Batch::add_claims_of`]: (document row id, claims, `terms[i]` of
/// `claims[i]`). The claims may be boxed (`C` = `Box<ClaimRecord>`), and
/// the terms shared (`T` = `Arc<str>`, a [`Term`]), as ingest has them.
pub type DocumentClaims<'a, C = ClaimRecord, T = String> = (i64, &'a mut [C], &'a [Vec<T>]);

/// A term a claim is filed under, as the caller holds it: a `String`, or
/// an `Arc<str>` shared with the frame it came from (filed without a copy).
pub trait Term: AsRef<str> {
    /// The term, to keep.
    fn shared(&self) -> Arc<str>;
}

impl Term for String {
    fn shared(&self) -> Arc<str> {
        Arc::from(self.as_str())
    }
}

impl Term for Arc<str> {
    fn shared(&self) -> Arc<str> {
        Arc::clone(self)
    }
}

/// Terms written as a JSON array of strings, whatever holds them.
struct TermList<'a, T>(&'a [T]);

impl<T: AsRef<str>> Serialize for TermList<'_, T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(AsRef::<str>::as_ref))
    }
}

/// Pairs from which [`Batch::insert_new_pairs`] makes their evidence's JSON
/// on the rayon pool: for one pair at a time (as matching with stored
/// claims writes them) the hand-over would cost more than the work.
const PAIRS_ON_THE_POOL: usize = 64;

/// A pair of claims for [`Batch::insert_new_pairs`]: claim `b` (a row id,
/// added in this batch) opposes claim `a`.
pub struct NewPair<'e> {
    pub a: i64,
    pub b: i64,
    pub kind: PairKind,
    pub score: f64,
    pub evidence: &'e Evidence,
}

/// The postings of claims stored by [`Batch::insert_claims`] and not yet
/// filed under their terms ([`Batch::file`]): each term's new claim ids in
/// row order, and how many claims were stored.
#[derive(Debug, Default)]
pub struct Filing {
    postings: FxHashMap<Arc<str>, Vec<i64>>,
    claims: usize,
}

/// One line of [`Store::documents`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentSummary {
    pub key: String,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    /// Number of claims stored for the document.
    pub claims: usize,
}

/// Which claims [`Store::claims`] returns. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClaimFilter {
    /// Case-insensitive substring of the source as named or its canonical key.
    /// (Case folding of the stored text is ASCII-only, SQLite's `lower`.)
    pub source: Option<String>,
    /// Document key: an exact match if one exists, else a substring.
    pub doc: Option<String>,
    pub stance: Option<Stance>,
    pub limit: Option<usize>,
}

/// Which pairs [`Store::pairs`] returns. Empty fields do not filter; `source`
/// and `doc` match either claim, as in [`ClaimFilter`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PairFilter {
    pub source: Option<String>,
    pub doc: Option<String>,
    pub kind: Option<PairKind>,
    pub min_score: Option<f64>,
    pub status: Option<ReviewStatus>,
    /// ISO date (`2020`, `2020-01`, `2020-01-05`): keep pairs where either
    /// document was published on or after it. Compared at the precision
    /// given, so `until: 2020-01` includes all of January.
    pub since: Option<String>,
    /// ISO date: keep pairs where either document was published on or before
    /// it (and on or after `since`, when both are given).
    pub until: Option<String>,
    pub limit: Option<usize>,
}

/// An open gainsay database.
pub struct Store {
    conn: Connection,
    /// The path as given, for messages.
    path: String,
    /// A read-only handle on the database file, for [`Batch::write_out`]
    /// to sync through while SQLite goes on; none in memory. Declared
    /// after `conn`, so closed after it: closing any handle on a file drops
    /// every POSIX lock the process holds on it, SQLite's among them, so
    /// this one stays open as long as the connection.
    file: Option<Arc<std::fs::File>>,
}

impl Store {
    /// Opens or creates the database at `path`, upgrading its schema.
    ///
    /// Refuses, without writing anything, a file that is not a SQLite
    /// database, a database of another program and one made by a newer
    /// gainsay.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let label = path.display().to_string();
        check_header(path, &label)?;
        let conn = Connection::open(path).map_err(|e| wrap(&label, e))?;
        let mut store = Store::init(conn, label, true)?;
        // Without it, a batch's pages are synced by the commit alone.
        store.file = std::fs::File::open(path).ok().map(Arc::new);
        Ok(store)
    }

    /// A fresh database in memory, for tests and one-off runs.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        let label = ":memory:".to_string();
        let conn = Connection::open_in_memory().map_err(|e| wrap(&label, e))?;
        Store::init(conn, label, false)
    }

    fn init(mut conn: Connection, path: String, file: bool) -> Result<Store, StoreError> {
        let err = |e: rusqlite::Error| wrap(&path, e);
        conn.busy_timeout(BUSY_TIMEOUT).map_err(err)?;
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(err)?;
        // In WAL mode, a commit that syncs at checkpoints only: a crash can
        // lose the last transaction, never corrupt the file or keep half of one.
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(err)?;
        conn.pragma_update(None, "cache_size", -(DEFAULT_CACHE_MIB as i64 * 1024))
            .map_err(err)?;
        // Everything above is per connection; the checks only read. The first
        // write to the file comes after them.
        check_owner(&conn, &path)?;
        // Takes effect only on a file without tables: a new one.
        conn.pragma_update(None, "page_size", PAGE_SIZE)
            .map_err(err)?;
        // Migrate before switching to WAL: the switch rewrites the header, so
        // a migration that fails must come first to leave the file as it was.
        let created = migrate(&mut conn, &path)?;
        if file && created {
            // A store this run creates stays in rollback-journal mode until
            // it is next opened: its first batch is then written once, into
            // the file, where WAL would write it twice (into the log, then
            // the file at the checkpoint). That batch journals only the few
            // pages that held the empty schema. The commit syncs in full:
            // NORMAL is not crash-proof with a rollback journal. Until then
            // other processes cannot read the store while a batch is being
            // written; there is nothing in it for them to read yet.
            conn.pragma_update(None, "synchronous", "FULL")
                .map_err(err)?;
        } else if file {
            conn.pragma_update_and_check(None, "journal_mode", "wal", |row| {
                row.get::<_, String>(0)
            })
            .map_err(err)?;
        }
        Ok(Store {
            conn,
            path,
            file: None,
        })
    }

    /// Sets SQLite's page cache to `mib` MiB (at least 1).
    pub fn set_cache_mib(&self, mib: u32) -> Result<(), StoreError> {
        let kib = -(i64::from(mib.max(1)) * 1024);
        self.conn
            .pragma_update(None, "cache_size", kib)
            .map_err(|e| self.wrap(e))
    }

    /// Starts a write transaction. Nothing is written until
    /// [`Batch::commit`]; dropping the batch rolls it back.
    pub fn begin(&mut self) -> Result<Batch<'_>, StoreError> {
        let Store { conn, path, file } = self;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| wrap(path, e))?;
        Ok(Batch {
            tx,
            path,
            file: file.as_ref(),
            syncing: SyncAhead::default(),
        })
    }

    /// The claims sharing at least one of `terms`, except those of
    /// `exclude_doc`, in document then position order.
    pub fn candidates(
        &self,
        terms: &[String],
        exclude_doc: Option<i64>,
    ) -> Result<Vec<ClaimRecord>, StoreError> {
        query_candidates(&self.conn, terms, exclude_doc).map_err(|e| self.wrap(e))
    }

    /// Ids (`c<N>`) of the claims that share a blocking key: every `single`
    /// key (events, opposite rules) whose posting list holds at most `cap`
    /// claims, and a more common one only together with one of `with`
    /// (participants). Cost grows with the short lists, not the store.
    pub fn candidate_ids(
        &self,
        singles: &[String],
        with: &[String],
        cap: usize,
    ) -> Result<Vec<String>, StoreError> {
        query_candidate_ids(&self.conn, singles, with, cap, i64::MAX)
            .map(|v| v.into_iter().map(|id| format!("c{id}")).collect())
            .map_err(|e| self.wrap(e))
    }

    /// The claims matching `filter`, in document then position order.
    pub fn claims(&self, filter: &ClaimFilter) -> Result<Vec<ClaimRecord>, StoreError> {
        self.query_claims(filter).map_err(|e| self.wrap(e))
    }

    /// Every claim, in document then position order.
    pub fn all_claims(&self) -> Result<Vec<ClaimRecord>, StoreError> {
        self.claims(&ClaimFilter::default())
    }

    /// The claim with id `c<N>`; `None` if there is none (or `id` is not a
    /// claim id).
    pub fn claim(&self, id: &str) -> Result<Option<ClaimRecord>, StoreError> {
        match parse_id('c', id) {
            Some(rowid) => query_claim(&self.conn, rowid).map_err(|e| self.wrap(e)),
            None => Ok(None),
        }
    }

    /// The pairs matching `filter`, highest score first, then by id.
    pub fn pairs(&self, filter: &PairFilter) -> Result<Vec<PairRecord>, StoreError> {
        self.query_pairs(filter).map_err(|e| self.wrap(e))
    }

    /// The pair with id `p<N>`; `None` if there is none.
    pub fn pair(&self, id: &str) -> Result<Option<PairRecord>, StoreError> {
        match parse_id('p', id) {
            Some(rowid) => query_pair(&self.conn, rowid).map_err(|e| self.wrap(e)),
            None => Ok(None),
        }
    }

    /// The document stored under `key` (the latest one, if the key was used
    /// for several texts).
    pub fn document(&self, key: &str) -> Result<Option<Document>, StoreError> {
        let sql = "SELECT * FROM documents WHERE key = ?1 ORDER BY id DESC LIMIT 1";
        self.conn
            .query_row(sql, [key], document_from_row)
            .optional()
            .map_err(|e| self.wrap(e))
    }

    /// The document a claim was extracted from.
    pub fn document_for_claim(&self, claim_id: &str) -> Result<Option<Document>, StoreError> {
        let Some(rowid) = parse_id('c', claim_id) else {
            return Ok(None);
        };
        let sql = "SELECT documents.* FROM documents
                   JOIN claims ON claims.document = documents.id WHERE claims.id = ?1";
        self.conn
            .query_row(sql, [rowid], document_from_row)
            .optional()
            .map_err(|e| self.wrap(e))
    }

    /// Every stored document with its claim count, in ingest order.
    pub fn documents(&self) -> Result<Vec<DocumentSummary>, StoreError> {
        let sql = "SELECT d.key, d.title, d.outlet, d.url, d.published, count(c.id) AS claims
                   FROM documents d LEFT JOIN claims c ON c.document = d.id
                   GROUP BY d.id ORDER BY d.id";
        let summary = |row: &Row| -> rusqlite::Result<DocumentSummary> {
            Ok(DocumentSummary {
                key: row.get("key")?,
                title: row.get("title")?,
                outlet: row.get("outlet")?,
                url: row.get("url")?,
                published: row.get("published")?,
                claims: row.get("claims")?,
            })
        };
        let run = || -> rusqlite::Result<Vec<DocumentSummary>> {
            let mut stmt = self.conn.prepare(sql)?;
            let rows = stmt.query_map([], summary)?;
            rows.collect()
        };
        run().map_err(|e| self.wrap(e))
    }

    /// Records a verdict on a pair, stamping `reviewed_at` with the current
    /// UTC time. `note: None` keeps the pair's existing note.
    pub fn review(
        &self,
        pair_id: &str,
        status: ReviewStatus,
        note: Option<&str>,
    ) -> Result<PairRecord, StoreError> {
        let no_such_pair = || StoreError::NoSuchPair {
            path: self.path.clone(),
            id: pair_id.to_string(),
        };
        let rowid = parse_id('p', pair_id).ok_or_else(no_such_pair)?;
        let changed = self
            .conn
            .execute(
                "UPDATE pairs SET status = ?2, note = coalesce(?3, note), reviewed_at = ?4
                 WHERE id = ?1",
                params![rowid, status.as_str(), note, now()],
            )
            .map_err(|e| self.wrap(e))?;
        if changed == 0 {
            return Err(no_such_pair());
        }
        query_pair(&self.conn, rowid)
            .map_err(|e| self.wrap(e))?
            .ok_or_else(no_such_pair)
    }

    /// Numbers of stored documents, claims and pairs.
    pub fn counts(&self) -> Result<(usize, usize, usize), StoreError> {
        let sql = "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM claims),
                          (SELECT count(*) FROM pairs)";
        self.conn
            .query_row(sql, [], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .map_err(|e| self.wrap(e))
    }

    fn wrap(&self, error: rusqlite::Error) -> StoreError {
        wrap(&self.path, error)
    }

    fn query_claims(&self, filter: &ClaimFilter) -> rusqlite::Result<Vec<ClaimRecord>> {
        let sql = format!(
            "{CLAIM_SELECT}
             WHERE (:source IS NULL
                    OR instr(lower({source}), :source) > 0
                    OR instr(lower(claims.source_canonical), :source) > 0)
               AND (:doc IS NULL OR {doc_matches})
               AND (:stance IS NULL OR claims.stance = :stance)
             ORDER BY {CLAIM_ORDER}
             LIMIT :limit",
            source = SOURCE.read_sql("claims", "documents"),
            doc_matches = doc_matches("documents"),
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(
            named_params! {
                ":source": filter.source.as_deref().map(str::to_lowercase),
                ":doc": filter.doc,
                ":stance": filter.stance.map(Stance::as_str),
                ":limit": sql_limit(filter.limit),
            },
            claim_from_row,
        )?;
        rows.collect()
    }

    fn query_pairs(&self, filter: &PairFilter) -> rusqlite::Result<Vec<PairRecord>> {
        let source_matches = |claim: &str, doc: &str| {
            format!(
                "instr(lower({source}), :source) > 0
                 OR instr(lower({claim}.source_canonical), :source) > 0",
                source = SOURCE.read_sql(claim, doc)
            )
        };
        let published_in_range = |doc: &str| {
            format!(
                "({doc}.published IS NOT NULL
                  AND (:since IS NULL OR substr({doc}.published, 1, length(:since)) >= :since)
                  AND (:until IS NULL OR substr({doc}.published, 1, length(:until)) <= :until))"
            )
        };
        let sql = format!(
            "SELECT pairs.id FROM pairs
             JOIN claims ca ON ca.id = pairs.a JOIN documents da ON da.id = ca.document
             JOIN claims cb ON cb.id = pairs.b JOIN documents db ON db.id = cb.document
             WHERE (:source IS NULL OR {source_a} OR {source_b})
               AND (:doc IS NULL OR {doc_a} OR {doc_b})
               AND (:kind IS NULL OR pairs.kind = :kind)
               AND (:min_score IS NULL OR pairs.score >= :min_score)
               AND (:status IS NULL OR pairs.status = :status)
               AND ((:since IS NULL AND :until IS NULL) OR {range_a} OR {range_b})
             ORDER BY pairs.score DESC, pairs.id
             LIMIT :limit",
            source_a = source_matches("ca", "da"),
            source_b = source_matches("cb", "db"),
            doc_a = doc_matches("da"),
            doc_b = doc_matches("db"),
            range_a = published_in_range("da"),
            range_b = published_in_range("db"),
        );
        let ids = {
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(
                named_params! {
                    ":source": filter.source.as_deref().map(str::to_lowercase),
                    ":doc": filter.doc,
                    ":kind": filter.kind.map(PairKind::as_str),
                    ":min_score": filter.min_score,
                    ":status": filter.status.map(ReviewStatus::as_str),
                    ":since": filter.since,
                    ":until": filter.until,
                    ":limit": sql_limit(filter.limit),
                },
                |row| row.get::<_, i64>(0),
            )?;
            rows.collect::<rusqlite::Result<Vec<i64>>>()?
        };
        let mut pairs = Vec::with_capacity(ids.len());
        for id in ids {
            // The pair was just selected inside the same connection, so it is
            // there unless another process deleted it in between.
            if let Some(pair) = query_pair(&self.conn, id)? {
                pairs.push(pair);
            }
        }
        Ok(pairs)
    }
}

/// The writes of one ingest run, in one transaction.
pub struct Batch<'s> {
    tx: Transaction<'s>,
    path: &'s str,
    file: Option<&'s Arc<std::fs::File>>,
    syncing: SyncAhead,
}

/// The thread [`Batch::write_out`] syncs the database file on, joined
/// before the commit and when the batch is dropped: it holds a handle on
/// the file, which must not outlive the store's (see [`Store`]).
#[derive(Default)]
struct SyncAhead(std::sync::Mutex<Option<std::thread::JoinHandle<()>>>);

impl SyncAhead {
    fn join(&self) {
        let handle = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        if let Some(h) = handle {
            // A sync that failed or panicked is the commit's to redo.
            let _ = h.join();
        }
    }
}

impl Drop for SyncAhead {
    fn drop(&mut self) {
        self.join();
    }
}

impl Batch<'_> {
    /// Stores a document unless one with the same text is already stored.
    pub fn add_document(&self, doc: &Document) -> Result<DocumentAdded, StoreError> {
        let run = || -> rusqlite::Result<DocumentAdded> {
            let hash = doc.content_hash();
            // Inserted unless its text is stored: the look-up is then only
            // made for a document stored before, not for every new one.
            let inserted = self
                .tx
                .prepare_cached(
                    "INSERT INTO documents
                         (key, hash, title, outlet, url, published, text, ingested_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                     ON CONFLICT (hash) DO NOTHING",
                )?
                .execute(params![
                    doc.key,
                    hash,
                    doc.title,
                    doc.outlet,
                    doc.url,
                    doc.published,
                    doc.text,
                    now()
                ])?;
            if inserted == 0 {
                let key: String = self
                    .tx
                    .prepare_cached("SELECT key FROM documents WHERE hash = ?1")?
                    .query_row([&hash], |row| row.get(0))?;
                return Ok(DocumentAdded::AlreadyStored { key });
            }
            Ok(DocumentAdded::New {
                id: self.tx.last_insert_rowid(),
            })
        };
        run().map_err(|e| self.wrap(e))
    }

    /// Stores the claims of document `doc_id` with their blocking terms
    /// (`terms[i]` belongs to `claims[i]`), and sets each claim's `id` and
    /// `doc`.
    pub fn add_claims(
        &self,
        doc_id: i64,
        claims: &mut [ClaimRecord],
        terms: &[Vec<String>],
    ) -> Result<(), StoreError> {
        self.add_claims_of(&mut [(doc_id, claims, terms)], &mut FxHashMap::default())
    }

    /// [`Batch::add_claims`] for several documents at once: the claims
    /// stored, then filed under their terms ([`Batch::file`]). `totals`
    /// gets each term's number of claims once these are filed (the empty
    /// term: every claim), as [`Batch::term_count`] would now answer.
    pub fn add_claims_of(
        &self,
        docs: &mut [DocumentClaims<'_>],
        totals: &mut FxHashMap<String, usize>,
    ) -> Result<(), StoreError> {
        let mut filing = Filing::default();
        self.insert_claims(docs, &mut filing)?;
        self.file(filing, totals)
    }

    /// Stores the claims of several documents, setting each claim's `id`
    /// and `doc`, and gathers their postings in `filing`. They are found
    /// under their terms once [`Batch::file`] has filed them: a caller
    /// storing claims in parts files them once, for all parts.
    pub fn insert_claims<C: BorrowMut<ClaimRecord>, T: Term>(
        &self,
        docs: &mut [DocumentClaims<'_, C, T>],
        filing: &mut Filing,
    ) -> Result<(), StoreError> {
        // Taken from the statement cache once, not once a claim: the cache
        // is keyed by the statement's text.
        let mut insert = self
            .tx
            .prepare_cached(INSERT_CLAIM)
            .map_err(|e| self.wrap(e))?;
        for (doc_id, claims, terms) in docs.iter_mut() {
            let (doc_id, terms) = (*doc_id, *terms);
            if claims.len() != terms.len() {
                return Err(self.invalid(format!(
                    "{} claims but {} lists of terms",
                    claims.len(),
                    terms.len()
                )));
            }
            // The text as stored: a claim text found there is read from it.
            let doc: Option<(String, String)> = self
                .tx
                .prepare_cached("SELECT key, text FROM documents WHERE id = ?1")
                .and_then(|mut stmt| {
                    stmt.query_row([doc_id], |row| Ok((row.get(0)?, row.get(1)?)))
                        .optional()
                })
                .map_err(|e| self.wrap(e))?;
            let Some((key, text)) = doc else {
                return Err(StoreError::NoSuchDocument {
                    path: self.path.to_string(),
                    id: doc_id,
                });
            };
            let text = crate::text::CharSlicer::new(&text);
            for (claim, terms) in claims.iter_mut().zip(terms) {
                let claim: &mut ClaimRecord = claim.borrow_mut();
                let texts = StoredTexts::of(claim, &text);
                let rowid = self
                    .insert_claim(&mut insert, doc_id, claim, &texts, terms)
                    .map_err(|e| self.wrap(e))?;
                claim.id = format!("c{rowid}");
                claim.doc = key.clone();
                for t in terms {
                    match filing.postings.get_mut(t.as_ref()) {
                        Some(ids) => ids.push(rowid),
                        None => {
                            filing.postings.insert(t.shared(), vec![rowid]);
                        }
                    }
                }
            }
            filing.claims += claims.len();
        }
        Ok(())
    }

    /// Writes the batch's changed pages out now (to the file, or to the
    /// log in WAL mode), as the commit would: for a caller whose thread
    /// would otherwise wait, so that the commit has less left to write.
    /// Pages changed again later are written again.
    ///
    /// The file is then synced on a thread of its own while the caller goes
    /// on, so that the commit's own sync has only what was written since to
    /// wait for (a new store's Reuters-21578 batch: 51 MB). So is the log
    /// in WAL mode, which the checkpoint at the commit syncs (bbc into a
    /// Reuters store: 15 ms of it). Syncing early is always safe: SQLite
    /// writes a page to the file only once the journal allows it, and it
    /// syncs again at the commit. The log is synced through a handle opened
    /// for it and closed: SQLite locks the database file and the WAL index
    /// (`-shm`), never the log, so closing it drops no lock of SQLite's.
    pub fn write_out(&self) -> Result<(), StoreError> {
        self.tx.cache_flush().map_err(|e| self.wrap(e))?;
        if let Some(file) = self.file {
            let file = Arc::clone(file);
            let wal = self.tx.path().map(|p| format!("{p}-wal"));
            let sync = std::thread::Builder::new().spawn(move || {
                let _ = file.sync_data();
                if let Some(w) = wal.and_then(|w| std::fs::File::open(w).ok()) {
                    let _ = w.sync_data();
                }
            });
            if let Ok(handle) = sync {
                self.syncing.join();
                *self
                    .syncing
                    .0
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(handle);
            }
        }
        Ok(())
    }

    /// Files the claims gathered in `filing` under their terms and adds
    /// them to the terms' counts; `totals` gets each term's count after. The
    /// terms are written in term order, so that the index on terms is
    /// written page after page rather than at random: what keeps a large
    /// batch from thrashing the page cache.
    pub fn file(
        &self,
        filing: Filing,
        totals: &mut FxHashMap<String, usize>,
    ) -> Result<(), StoreError> {
        // The distinct terms are sorted, not every posting.
        let mut rows: Vec<(Arc<str>, Vec<i64>)> = filing.postings.into_iter().collect();
        rows.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
        for (_, claims) in &mut rows {
            // In row order already; a term listed twice for a claim once.
            claims.dedup();
        }
        self.insert_terms(&rows, filing.claims, totals)
            .map_err(|e| self.wrap(e))
    }

    /// Files new claims under terms (`rows` by term, sorted, each with its
    /// claims without repeats) and adds them to the terms' counts, with
    /// `claims` new claims under the empty term.
    fn insert_terms(
        &self,
        rows: &[(Arc<str>, Vec<i64>)],
        claims: usize,
        totals: &mut FxHashMap<String, usize>,
    ) -> rusqlite::Result<()> {
        // The terms stored before, read in one statement (a look-up each
        // cost more than the insert); then an insert or an update by row id
        // each: an upsert with RETURNING costs twice as much.
        let mut stored: FxHashMap<String, (i64, i64)> = FxHashMap::default();
        {
            // With the empty term: the count of claims.
            let terms: Vec<&str> = std::iter::once("")
                .chain(rows.iter().map(|(t, _)| &**t))
                .collect();
            let list = to_json(&terms)?;
            let mut find = self.tx.prepare_cached(
                "SELECT terms.term, terms.id, terms.claims FROM json_each(?1) AS wanted
                 JOIN terms ON terms.term = wanted.value",
            )?;
            let mut found = find.query([list])?;
            while let Some(row) = found.next()? {
                stored.insert(row.get(0)?, (row.get(1)?, row.get(2)?));
            }
        }
        let mut add = self
            .tx
            .prepare_cached("INSERT INTO terms (term, claims) VALUES (?1, ?2)")?;
        let mut more = self
            .tx
            .prepare_cached("UPDATE terms SET claims = claims + ?2 WHERE id = ?1")?;
        // The term's id, and whether it was known before.
        let mut count = |term: &str, n: usize| -> rusqlite::Result<(i64, bool)> {
            let found = stored.get(term).copied();
            let (id, before) = match found {
                Some((id, before)) => {
                    more.execute(params![id, n as i64])?;
                    (id, Some(before.max(0) as usize))
                }
                None => {
                    add.execute(params![term, n as i64])?;
                    (self.tx.last_insert_rowid(), None)
                }
            };
            totals.insert(term.to_string(), before.unwrap_or(0) + n);
            Ok((id, before.is_some()))
        };
        let mut last = self.tx.prepare_cached(
            "SELECT first, claims FROM posting_runs
             WHERE term = ?1 ORDER BY first DESC LIMIT 1",
        )?;
        // The run is rewritten whole: `||` on blobs gives text.
        let mut extend = self
            .tx
            .prepare_cached("UPDATE posting_runs SET claims = ?3 WHERE term = ?1 AND first = ?2")?;
        let mut insert = self
            .tx
            .prepare_cached("INSERT INTO posting_runs (term, first, claims) VALUES (?1, ?2, ?3)")?;
        count("", claims)?;
        for (term, ids) in rows {
            if term.is_empty() {
                continue;
            }
            let (id, known) = count(term, ids.len())?;
            // The claims are new, with ids above every stored one: they go
            // at the end of the term's list, filling its last run first.
            let mut rest = ids.as_slice();
            if known {
                let open = last
                    .query_row([id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))
                    .optional()?;
                if let Some((first, mut run)) = open {
                    let held = decode_run(&run)?.count();
                    let room = RUN_CLAIMS.saturating_sub(held);
                    let (fill, after) = rest.split_at(room.min(rest.len()));
                    if !fill.is_empty() {
                        run.extend(encode_run(fill));
                        extend.execute(params![id, first, run])?;
                    }
                    rest = after;
                }
            }
            for run in rest.chunks(RUN_CLAIMS) {
                insert.execute(params![id, run[0], encode_run(run)])?;
            }
        }
        Ok(())
    }

    fn insert_claim<T: AsRef<str>>(
        &self,
        insert: &mut rusqlite::CachedStatement<'_>,
        doc_id: i64,
        claim: &ClaimRecord,
        texts: &StoredTexts,
        terms: &[T],
    ) -> rusqlite::Result<i64> {
        let source = claim.source.as_ref();
        let mention = source
            .and_then(|s| s.mention.as_ref())
            .map(to_json)
            .transpose()?;
        let cue = claim.cue.as_ref();
        let [subject, predicate, object] = texts.parts;
        insert
            // Positional, in the order of INSERT_CLAIM's columns: binding by
            // name looks each of 35 names up among 35.
            .execute(params![
                doc_id,
                texts.required(&SENTENCE, &claim.sentence.text),
                claim.sentence.start,
                claim.sentence.end,
                texts.required(&CONTENT, &claim.content.text),
                claim.content.start,
                claim.content.end,
                texts.kept(&SOURCE, source.map(|s| s.text.as_str())),
                source.map(|s| s.start),
                source.map(|s| s.end),
                source.map(|s| &s.canonical),
                source.and_then(|s| s.role.as_ref()),
                source.and_then(|s| s.affiliation.as_ref()),
                mention,
                source.map(|s| s.unnamed),
                texts.kept(&CUE, cue.map(|c| c.text.as_str())),
                cue.map(|c| c.start),
                cue.map(|c| c.end),
                texts.kept(&SUBJECT, claim.subject.as_deref()),
                texts.kept(&PREDICATE, claim.predicate.as_deref()),
                texts.kept(&OBJECT, claim.object.as_deref()),
                claim.stance.as_str(),
                claim.polarity.as_str(),
                to_json(&claim.hedges)?,
                claim.quote.as_str(),
                claim.channel,
                to_json(&claim.times)?,
                to_json(&TermList(terms))?,
                texts.derived,
                subject.map(|p| p.0),
                subject.map(|p| p.1),
                predicate.map(|p| p.0),
                predicate.map(|p| p.1),
                object.map(|p| p.0),
                object.map(|p| p.1),
            ])?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Records that claim `b_id` opposes claim `a_id`, keeping any verdict a
    /// reviewer gave (see [`PairUpsert`]). The pair is found in either
    /// orientation; whenever its evidence is written, `a` and `b` take the
    /// orientation given here.
    pub fn upsert_pair(
        &self,
        a_id: &str,
        b_id: &str,
        kind: PairKind,
        score: f64,
        evidence: &Evidence,
    ) -> Result<PairUpsert, StoreError> {
        let a = self.claim_rowid(a_id)?;
        let b = self.claim_rowid(b_id)?;
        self.check_pair(a, b, score)?;
        self.write_pair(a, b, kind, score, evidence)
            .map_err(|e| self.wrap(e))
    }

    /// Records that claim `b` (a row id) opposes claim `a`, where `b` was
    /// added in this batch, so that no pair of it can be stored yet and
    /// no verdict can be overwritten: one insert, without the look-ups of
    /// [`Batch::upsert_pair`]. What ingest uses for the pairs of new claims.
    /// A pair stored already is an error, as is a missing claim.
    pub fn insert_new_pair(
        &self,
        a: i64,
        b: i64,
        kind: PairKind,
        score: f64,
        evidence: &Evidence,
    ) -> Result<(), StoreError> {
        self.insert_new_pairs(&[NewPair {
            a,
            b,
            kind,
            score,
            evidence,
        }])
    }

    /// [`Batch::insert_new_pair`] for many pairs, in the order given: their
    /// evidence is written as JSON and hashed on the rayon pool first
    /// (a third of the work of an insert), and one timestamp serves them
    /// all. An invalid pair anywhere is refused before any is written.
    pub fn insert_new_pairs(&self, pairs: &[NewPair<'_>]) -> Result<(), StoreError> {
        for p in pairs {
            self.check_pair(p.a, p.b, p.score)?;
        }
        let made = |p: &NewPair<'_>| Ok((to_json(p.evidence)?, evidence_hash(p.kind, p.evidence)?));
        // A few are made here: handing them to the pool costs more.
        let rows: rusqlite::Result<Vec<(String, String)>> = if pairs.len() >= PAIRS_ON_THE_POOL {
            pairs.par_iter().map(made).collect()
        } else {
            pairs.iter().map(made).collect()
        };
        let rows: Vec<(String, String)> = rows.map_err(|e| self.wrap(e))?;
        let created_at = now();
        let run = || {
            for (p, (json, hash)) in pairs.iter().zip(&rows) {
                self.insert_pair_row(p, json, hash, &created_at)?;
            }
            Ok(())
        };
        run().map_err(|e| self.wrap(e))
    }

    /// A pair joins two claims and has a finite score.
    fn check_pair(&self, a: i64, b: i64, score: f64) -> Result<(), StoreError> {
        if a == b {
            return Err(self.invalid(format!("cannot pair claim c{a} with itself")));
        }
        if !score.is_finite() {
            return Err(self.invalid(format!("pair score {score} is not a finite number")));
        }
        Ok(())
    }

    /// Inserts pair `p` with its evidence's JSON and hash.
    fn insert_pair_row(
        &self,
        p: &NewPair<'_>,
        json: &str,
        hash: &str,
        created_at: &str,
    ) -> rusqlite::Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO pairs (a, b, kind, score, evidence, evidence_hash, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                p.a,
                p.b,
                p.kind.as_str(),
                p.score,
                json,
                hash,
                created_at
            ])?;
        Ok(())
    }

    fn write_pair(
        &self,
        a: i64,
        b: i64,
        kind: PairKind,
        score: f64,
        evidence: &Evidence,
    ) -> rusqlite::Result<PairUpsert> {
        let hash = evidence_hash(kind, evidence)?;
        let json = to_json(evidence)?;
        let existing = self
            .tx
            .prepare_cached(
                "SELECT id, status, evidence_hash FROM pairs
                 WHERE (a = ?1 AND b = ?2) OR (a = ?2 AND b = ?1)",
            )?
            .query_row([a, b], |row| {
                let status = enum_column(row, "status", "status", ReviewStatus::parse)?;
                Ok((
                    row.get::<_, i64>("id")?,
                    status,
                    row.get::<_, String>("evidence_hash")?,
                ))
            })
            .optional()?;
        let Some((id, status, old_hash)) = existing else {
            let pair = NewPair {
                a,
                b,
                kind,
                score,
                evidence,
            };
            self.insert_pair_row(&pair, &json, &hash, &now())?;
            return Ok(PairUpsert::Inserted(format!(
                "p{}",
                self.tx.last_insert_rowid()
            )));
        };
        let pair_id = format!("p{id}");
        let new_status = match status {
            ReviewStatus::Dismissed if old_hash == hash => {
                return Ok(PairUpsert::Suppressed(pair_id))
            }
            ReviewStatus::Dismissed => ReviewStatus::Open,
            kept => kept,
        };
        self.tx
            .prepare_cached(
                "UPDATE pairs SET a = ?2, b = ?3, kind = ?4, score = ?5, evidence = ?6,
                                  evidence_hash = ?7, status = ?8
                 WHERE id = ?1",
            )?
            .execute(params![
                id,
                a,
                b,
                kind.as_str(),
                score,
                json,
                hash,
                new_status.as_str()
            ])?;
        Ok(if status == ReviewStatus::Dismissed {
            PairUpsert::Reopened(pair_id)
        } else {
            PairUpsert::Updated(pair_id)
        })
    }

    /// As [`Store::candidates`], seeing this batch's uncommitted writes.
    pub fn candidates(
        &self,
        terms: &[String],
        exclude_doc: Option<i64>,
    ) -> Result<Vec<ClaimRecord>, StoreError> {
        query_candidates(&self.tx, terms, exclude_doc).map_err(|e| self.wrap(e))
    }

    /// Row ids below `below` of the claims filed under `term`, ascending.
    pub fn postings(&self, term: &str, below: i64) -> Result<Vec<i64>, StoreError> {
        query_postings(&self.tx, term, below).map_err(|e| self.wrap(e))
    }

    /// Row ids below `below` of the claims filed under both `walk` and
    /// `probe`, ascending: `walk`'s posting list read, each claim of it
    /// looked up under `probe`, so `walk` should be the shorter list.
    pub fn conjunction(&self, walk: &str, probe: &str, below: i64) -> Result<Vec<i64>, StoreError> {
        query_conjunction(&self.tx, walk, probe, below).map_err(|e| self.wrap(e))
    }

    /// The claims of `walked` (row ids, ascending) filed under `probe`:
    /// [`Batch::conjunction`] with the walked list already read.
    pub fn filed_under(&self, walked: &[i64], probe: &str) -> Result<Vec<i64>, StoreError> {
        query_filed_under(&self.tx, walked, probe).map_err(|e| self.wrap(e))
    }

    /// How many claims carry `term` (its posting-list length); the empty
    /// term gives the number of claims. For blocking and for weighting
    /// shared terms by rarity.
    pub fn term_count(&self, term: &str) -> Result<usize, StoreError> {
        term_count(&self.tx, term).map_err(|e| self.wrap(e))
    }

    /// [`Batch::term_count`] of many terms in one statement: `out` gets
    /// the count of each term under which a claim is filed (a term not
    /// listed has none). Terms in the table's order are read page after page.
    pub fn term_counts(
        &self,
        terms: &[&str],
        out: &mut FxHashMap<String, usize>,
    ) -> Result<(), StoreError> {
        let mut run = || -> rusqlite::Result<()> {
            let list = to_json(terms)?;
            let mut stmt = self.tx.prepare_cached(
                "SELECT terms.term, terms.claims FROM json_each(?1) AS wanted
                 JOIN terms ON terms.term = wanted.value",
            )?;
            let mut rows = stmt.query([list])?;
            while let Some(row) = rows.next()? {
                out.insert(row.get(0)?, row.get::<_, i64>(1)?.max(0) as usize);
            }
            Ok(())
        };
        run().map_err(|e| self.wrap(e))
    }

    /// The claim with row id `rowid` as this batch sees it.
    pub fn claim_by_rowid(&self, rowid: i64) -> Result<Option<ClaimRecord>, StoreError> {
        query_claim(&self.tx, rowid).map_err(|e| self.wrap(e))
    }

    /// The document key and the terms each of many claims is filed under
    /// (less than reading and framing them), in one statement: `each` gets
    /// each stored one's row id, document key and terms, borrowed from the
    /// row where the stored JSON allows. Row ids ascending read pages in order.
    pub fn claims_terms(
        &self,
        ids: &[i64],
        mut each: impl FnMut(i64, &str, &[std::borrow::Cow<'_, str>]),
    ) -> Result<(), StoreError> {
        /// A claim's terms as stored, borrowed unless escaped.
        #[derive(serde::Deserialize)]
        struct Terms<'a>(#[serde(borrow)] Vec<std::borrow::Cow<'a, str>>);
        let mut run = || -> rusqlite::Result<()> {
            let mut stmt = self.tx.prepare_cached(
                "SELECT claims.id, documents.key, claims.terms FROM json_each(?1) AS wanted
                 JOIN claims ON claims.id = wanted.value
                 JOIN documents ON documents.id = claims.document",
            )?;
            let mut rows = stmt.query([to_json(ids)?])?;
            while let Some(row) = rows.next()? {
                let json = row.get_ref(2)?.as_str()?;
                let Terms(terms) = serde_json::from_str(json).map_err(|error| {
                    let column = "terms";
                    bad_column(row, column, BadColumn::Json { column, error })
                })?;
                each(row.get(0)?, row.get_ref(1)?.as_str()?, &terms);
            }
            Ok(())
        };
        run().map_err(|e| self.wrap(e))
    }

    /// The largest claim row id (0 in an empty store): claims stored later
    /// in the batch have larger ones.
    pub fn last_claim_rowid(&self) -> Result<i64, StoreError> {
        self.tx
            .prepare_cached("SELECT coalesce(max(id), 0) FROM claims")
            .and_then(|mut stmt| stmt.query_row([], |r| r.get(0)))
            .map_err(|e| self.wrap(e))
    }

    /// The claim `c<N>` as this batch sees it.
    pub fn claim(&self, id: &str) -> Result<Option<ClaimRecord>, StoreError> {
        match parse_id('c', id) {
            Some(rowid) => query_claim(&self.tx, rowid).map_err(|e| self.wrap(e)),
            None => Ok(None),
        }
    }

    /// Makes the batch's writes permanent.
    pub fn commit(self) -> Result<(), StoreError> {
        let Batch {
            tx, path, syncing, ..
        } = self;
        syncing.join();
        tx.commit().map_err(|e| wrap(path, e))
    }

    /// The row id of an existing claim `c<N>`.
    fn claim_rowid(&self, id: &str) -> Result<i64, StoreError> {
        let no_such_claim = || StoreError::NoSuchClaim {
            path: self.path.to_string(),
            id: id.to_string(),
        };
        let rowid = parse_id('c', id).ok_or_else(no_such_claim)?;
        let exists = self
            .tx
            .prepare_cached("SELECT 1 FROM claims WHERE id = ?1")
            .and_then(|mut stmt| stmt.exists([rowid]))
            .map_err(|e| self.wrap(e))?;
        if exists {
            Ok(rowid)
        } else {
            Err(no_such_claim())
        }
    }

    fn invalid(&self, message: String) -> StoreError {
        StoreError::InvalidInput {
            path: self.path.to_string(),
            message,
        }
    }

    fn wrap(&self, error: rusqlite::Error) -> StoreError {
        wrap(self.path, error)
    }
}

/// Refuses a non-empty file that does not start like a SQLite database,
/// before SQLite sees it.
fn check_header(path: &Path, label: &str) -> Result<(), StoreError> {
    let io_error = |error| StoreError::Io {
        path: label.to_string(),
        error,
    };
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_error(e)),
    };
    let mut header = Vec::with_capacity(SQLITE_MAGIC.len());
    file.take(SQLITE_MAGIC.len() as u64)
        .read_to_end(&mut header)
        .map_err(io_error)?;
    // SQLite treats an empty file as a new database.
    if header.is_empty() || header == SQLITE_MAGIC {
        Ok(())
    } else {
        Err(StoreError::NotADatabase {
            path: label.to_string(),
        })
    }
}

/// Refuses a database of another program or of a newer gainsay. Only reads.
fn check_owner(conn: &Connection, path: &str) -> Result<(), StoreError> {
    let err = |e: rusqlite::Error| wrap(path, e);
    let foreign = |reason: &str| StoreError::Foreign {
        path: path.to_string(),
        reason: reason.to_string(),
    };
    let app_id: i32 = conn
        .query_row(
            "SELECT application_id FROM pragma_application_id",
            [],
            |r| r.get(0),
        )
        .map_err(err)?;
    let version = user_version(conn).map_err(err)?;
    if app_id != APPLICATION_ID {
        if app_id != 0 {
            return Err(foreign(&format!(
                "its application_id {app_id:#010x} belongs to another program"
            )));
        }
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
            .and_then(|mut stmt| stmt.query_map([], |row| row.get(0))?.collect())
            .map_err(err)?;
        let ours = tables.iter().any(|t| GAINSAY_TABLES.contains(&t.as_str()));
        if !ours && !tables.is_empty() {
            return Err(foreign("it has tables of another program"));
        }
        if !ours && version != 0 {
            return Err(foreign("another program set its schema version"));
        }
    }
    if version > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: path.to_string(),
            found: version,
            known: SCHEMA_VERSION,
        });
    }
    if version < 0 {
        return Err(foreign("its schema version is negative"));
    }
    Ok(())
}

fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT user_version FROM pragma_user_version", [], |r| {
        r.get(0)
    })
}

/// Applies the migrations the database lacks, all in one transaction, and
/// says whether they created the schema: whether the store is new.
fn migrate(conn: &mut Connection, path: &str) -> Result<bool, StoreError> {
    let err = |e: rusqlite::Error| wrap(path, e);
    // An up-to-date database needs no write lock.
    if user_version(conn).map_err(err)? == SCHEMA_VERSION {
        return Ok(false);
    }
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(err)?;
    // Read again under the lock: another process may have upgraded meanwhile.
    let version = user_version(&tx).map_err(err)?;
    let applied = usize::try_from(version).unwrap_or(usize::MAX);
    if applied > MIGRATIONS.len() {
        return Err(StoreError::TooNew {
            path: path.to_string(),
            found: version,
            known: SCHEMA_VERSION,
        });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(applied) {
        tx.execute_batch(sql)
            .map_err(|error| StoreError::Migration {
                path: path.to_string(),
                version: index as i64 + 1,
                error,
            })?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)
        .map_err(err)?;
    tx.pragma_update(None, "application_id", APPLICATION_ID)
        .map_err(err)?;
    tx.commit().map_err(err)?;
    Ok(applied == 0)
}

/// What every claim query selects, in this order, so that
/// [`claim_from_row`] reads any by position ([`Col`]): the claim's id, its
/// document's key, its document's text where a claim text is read from it
/// ([`StoredTexts`]), then the claim's columns.
const CLAIM_SELECT: &str = "SELECT claims.id, documents.key,
            CASE WHEN claims.derived_texts <> 0 THEN documents.text END,
            claims.derived_texts,
            claims.sentence_text, claims.sentence_start, claims.sentence_end,
            claims.content_text, claims.content_start, claims.content_end,
            claims.source_text, claims.source_start, claims.source_end,
            claims.source_canonical, claims.source_role, claims.source_affiliation,
            claims.source_mention, claims.source_unnamed,
            claims.cue_text, claims.cue_start, claims.cue_end,
            claims.subject, claims.subject_start, claims.subject_end,
            claims.predicate, claims.predicate_start, claims.predicate_end,
            claims.object, claims.object_start, claims.object_end,
            claims.stance, claims.polarity, claims.hedges, claims.quote, claims.channel,
            claims.times
     FROM claims JOIN documents ON documents.id = claims.document";

/// The columns of [`CLAIM_SELECT`] that are not [`DerivedText`]s'.
const CLAIM_ID: usize = 0;
const CLAIM_DOC: usize = 1;
const CLAIM_DOC_TEXT: usize = 2;
const CLAIM_DERIVED: usize = 3;
const SOURCE_CANONICAL: usize = 13;
const SOURCE_ROLE: usize = 14;
const SOURCE_AFFILIATION: usize = 15;
const SOURCE_MENTION: Col = col(16, "source_mention");
const SOURCE_UNNAMED: usize = 17;
const STANCE: Col = col(30, "stance");
const POLARITY: Col = col(31, "polarity");
const HEDGES: Col = col(32, "hedges");
const QUOTE: Col = col(33, "quote");
const CHANNEL: usize = 34;
const TIMES: Col = col(35, "times");

/// Document, then position in the document.
const CLAIM_ORDER: &str = "claims.document, claims.sentence_start, claims.content_start, claims.id";

const INSERT_CLAIM: &str = "INSERT INTO claims (
        document, sentence_text, sentence_start, sentence_end,
        content_text, content_start, content_end,
        source_text, source_start, source_end, source_canonical, source_role,
        source_affiliation, source_mention, source_unnamed,
        cue_text, cue_start, cue_end, subject, predicate, object,
        stance, polarity, hedges, quote, channel, times, terms,
        derived_texts, subject_start, subject_end, predicate_start, predicate_end,
        object_start, object_end
    ) VALUES (
        ?1, ?2, ?3, ?4,
        ?5, ?6, ?7,
        ?8, ?9, ?10, ?11, ?12,
        ?13, ?14, ?15,
        ?16, ?17, ?18, ?19, ?20, ?21,
        ?22, ?23, ?24, ?25, ?26, ?27, ?28,
        ?29, ?30, ?31, ?32, ?33,
        ?34, ?35
    )";

/// SQL condition: the document aliased `doc` has key `:doc`, or, when no
/// document has that exact key, a key containing it.
fn doc_matches(doc: &str) -> String {
    format!(
        "({doc}.key = :doc
          OR (instr({doc}.key, :doc) > 0
              AND NOT EXISTS (SELECT 1 FROM documents exact WHERE exact.key = :doc)))"
    )
}

fn query_candidates(
    conn: &Connection,
    terms: &[String],
    exclude_doc: Option<i64>,
) -> rusqlite::Result<Vec<ClaimRecord>> {
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let mut ids: Vec<i64> = Vec::new();
    for term in terms {
        ids.extend(query_postings(conn, term, i64::MAX)?);
    }
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // The ids go in as one JSON array, so one cached statement serves any
    // number of them.
    let sql = format!(
        "{CLAIM_SELECT}
         WHERE claims.id IN (SELECT value FROM json_each(:ids))
           AND (:exclude IS NULL OR claims.document <> :exclude)
         ORDER BY {CLAIM_ORDER}"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(
        named_params! { ":ids": to_json(&ids)?, ":exclude": exclude_doc },
        claim_from_row,
    )?;
    rows.collect()
}

/// Ids below `below` of the claims that share a blocking key with a
/// claim, cheaply: each `single` key by its posting list when at most `cap`
/// claims carry it, and a more common one only together with one of `with`
/// (the conjunction `single ∧ with`), as [`crate::blocking`] does in memory.
/// Posting lists are read run by run (`posting_runs`); a conjunction walks
/// the shorter list and probes the other.
fn query_candidate_ids(
    conn: &Connection,
    singles: &[String],
    with: &[String],
    cap: usize,
    below: i64,
) -> rusqlite::Result<Vec<i64>> {
    let mut ids = Vec::new();
    for key in singles {
        let n = term_count(conn, key)?;
        if n <= cap {
            ids.extend(query_postings(conn, key, below)?);
            continue;
        }
        for other in with {
            let m = term_count(conn, other)?;
            let (walk, probe) = if m < n { (other, key) } else { (key, other) };
            ids.extend(query_conjunction(conn, walk, probe, below)?);
        }
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Ids below `below` of the claims filed under `term`, ascending.
fn query_postings(conn: &Connection, term: &str, below: i64) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT claims FROM posting_runs
         WHERE term = (SELECT id FROM terms WHERE term = ?1) AND first < ?2
         ORDER BY first",
    )?;
    let mut rows = stmt.query(params![term, below])?;
    let mut ids = Vec::new();
    while let Some(row) = rows.next()? {
        let blob = row.get_ref(0)?.as_blob()?;
        ids.extend(decode_run(blob)?.take_while(|&id| id < below));
    }
    Ok(ids)
}

/// Ids below `below` of the claims filed under both `walk` and `probe`,
/// ascending: `walk`'s list read, then [`query_filed_under`].
fn query_conjunction(
    conn: &Connection,
    walk: &str,
    probe: &str,
    below: i64,
) -> rusqlite::Result<Vec<i64>> {
    let walked = query_postings(conn, walk, below)?;
    query_filed_under(conn, &walked, probe)
}

/// The claims of `walked` (ascending) filed under `probe`, each looked for
/// in the run of `probe`'s list that would hold it (one seek, then a binary
/// search; consecutive claims often fall in the same run).
fn query_filed_under(conn: &Connection, walked: &[i64], probe: &str) -> rusqlite::Result<Vec<i64>> {
    let probe_id: Option<i64> = conn
        .prepare_cached("SELECT id FROM terms WHERE term = ?1")?
        .query_row([probe], |r| r.get(0))
        .optional()?;
    let Some(probe_id) = probe_id else {
        return Ok(Vec::new());
    };
    let mut holder = conn.prepare_cached(
        "SELECT claims FROM posting_runs
         WHERE term = ?1 AND first <= ?2 ORDER BY first DESC LIMIT 1",
    )?;
    let mut run: Vec<i64> = Vec::new();
    let mut both = Vec::new();
    for &id in walked {
        let held = run.first().is_some_and(|&f| f <= id) && run.last().is_some_and(|&l| id <= l);
        if !held {
            run.clear();
            let mut rows = holder.query(params![probe_id, id])?;
            if let Some(row) = rows.next()? {
                run.extend(decode_run(row.get_ref(0)?.as_blob()?)?);
            }
        }
        if run.binary_search(&id).is_ok() {
            both.push(id);
        }
    }
    Ok(both)
}

/// How many claims carry `term`; the empty term counts every claim.
fn term_count(conn: &Connection, term: &str) -> rusqlite::Result<usize> {
    let n: Option<i64> = conn
        .prepare_cached("SELECT claims FROM terms WHERE term = ?1")?
        .query_row([term], |r| r.get(0))
        .optional()?;
    Ok(n.unwrap_or(0).max(0) as usize)
}

fn query_claim(conn: &Connection, rowid: i64) -> rusqlite::Result<Option<ClaimRecord>> {
    conn.prepare_cached(&format!("{CLAIM_SELECT} WHERE claims.id = ?1"))?
        .query_row([rowid], claim_from_row)
        .optional()
}

fn query_pair(conn: &Connection, rowid: i64) -> rusqlite::Result<Option<PairRecord>> {
    let row = conn
        .prepare_cached("SELECT * FROM pairs WHERE id = ?1")?
        .query_row([rowid], |row| {
            Ok((
                row.get::<_, i64>("a")?,
                row.get::<_, i64>("b")?,
                enum_column(row, "kind", "kind", PairKind::parse)?,
                row.get::<_, f64>("score")?,
                json_column::<Evidence>(row, "evidence", "evidence")?,
                enum_column(row, "status", "status", ReviewStatus::parse)?,
                row.get::<_, Option<String>>("note")?,
            ))
        })
        .optional()?;
    let Some((a, b, kind, score, evidence, status, note)) = row else {
        return Ok(None);
    };
    // Foreign keys guarantee both claims exist.
    let claim = |rowid| {
        conn.prepare_cached(&format!("{CLAIM_SELECT} WHERE claims.id = ?1"))?
            .query_row([rowid], claim_from_row)
    };
    Ok(Some(PairRecord {
        id: format!("p{rowid}"),
        kind,
        score,
        a: claim(a)?,
        b: claim(b)?,
        evidence,
        status,
        note,
    }))
}

fn claim_from_row(row: &Row) -> rusqlite::Result<ClaimRecord> {
    // A text marked in `derived_texts` is the document's characters at its
    // offsets; any other is its column's. An optional excerpt is absent
    // when its start is NULL.
    let derived: i64 = row.get(CLAIM_DERIVED)?;
    let doc = row
        .get_ref(CLAIM_DOC_TEXT)?
        .as_str_or_null()?
        .map(crate::text::CharSlicer::new);
    let text = |d: &DerivedText| -> rusqlite::Result<Option<String>> {
        if derived & d.bit == 0 {
            return row.get(d.text.at);
        }
        let (start, end): (Option<usize>, Option<usize>) =
            (row.get(d.start.at)?, row.get(d.end.at)?);
        let (Some(start), Some(end)) = (start, end) else {
            return Ok(None);
        };
        match doc.as_ref().and_then(|doc| doc.slice(start, end)) {
            Some(text) => Ok(Some(text.to_string())),
            None => Err(bad_column(
                row,
                d.start.name,
                BadColumn::Value {
                    column: d.start.name,
                    value: format!("{start}..{end}, not in the document's text"),
                },
            )),
        }
    };
    let excerpt = |d: &DerivedText| -> rusqlite::Result<Option<Excerpt>> {
        text(d)?
            .map(|text| {
                Ok(Excerpt {
                    text,
                    start: row.get(d.start.at)?,
                    end: row.get(d.end.at)?,
                })
            })
            .transpose()
    };
    let required = |d: &DerivedText| -> rusqlite::Result<Excerpt> {
        Ok(Excerpt {
            text: text(d)?.unwrap_or_default(),
            start: row.get(d.start.at)?,
            end: row.get(d.end.at)?,
        })
    };
    let sentence = required(&SENTENCE)?;
    let content = required(&CONTENT)?;
    let source = match excerpt(&SOURCE)? {
        None => None,
        Some(named) => Some(SourceRef {
            text: named.text,
            start: named.start,
            end: named.end,
            canonical: row.get(SOURCE_CANONICAL)?,
            role: row.get(SOURCE_ROLE)?,
            affiliation: row.get(SOURCE_AFFILIATION)?,
            mention: optional_json_column(row, SOURCE_MENTION.at, SOURCE_MENTION.name)?,
            unnamed: row.get(SOURCE_UNNAMED)?,
        }),
    };
    Ok(ClaimRecord {
        id: format!("c{}", row.get::<_, i64>(CLAIM_ID)?),
        doc: row.get(CLAIM_DOC)?,
        sentence,
        content,
        source,
        cue: excerpt(&CUE)?,
        subject: text(&SUBJECT)?,
        predicate: text(&PREDICATE)?,
        object: text(&OBJECT)?,
        stance: enum_column(row, STANCE.at, STANCE.name, Stance::parse)?,
        polarity: enum_column(row, POLARITY.at, POLARITY.name, Polarity::parse)?,
        hedges: json_column::<Vec<String>>(row, HEDGES.at, HEDGES.name)?,
        quote: enum_column(row, QUOTE.at, QUOTE.name, QuoteKind::parse)?,
        channel: row.get(CHANNEL)?,
        times: json_column::<Vec<TimeExpr>>(row, TIMES.at, TIMES.name)?,
    })
}

fn document_from_row(row: &Row) -> rusqlite::Result<Document> {
    Ok(Document {
        key: row.get("key")?,
        title: row.get("title")?,
        outlet: row.get("outlet")?,
        url: row.get("url")?,
        published: row.get("published")?,
        text: row.get("text")?,
    })
}

/// The value of the column at `at` (a position or a name), named
/// `column`, parsed by `parse`.
fn enum_column<T>(
    row: &Row,
    at: impl rusqlite::RowIndex,
    column: &'static str,
    parse: fn(&str) -> Option<T>,
) -> rusqlite::Result<T> {
    let value: String = row.get(at)?;
    match parse(&value) {
        Some(parsed) => Ok(parsed),
        None => Err(bad_column(row, column, BadColumn::Value { column, value })),
    }
}

fn json_column<T: DeserializeOwned>(
    row: &Row,
    at: impl rusqlite::RowIndex,
    column: &'static str,
) -> rusqlite::Result<T> {
    let value: String = row.get(at)?;
    serde_json::from_str(&value)
        .map_err(|error| bad_column(row, column, BadColumn::Json { column, error }))
}

fn optional_json_column<T: DeserializeOwned>(
    row: &Row,
    at: impl rusqlite::RowIndex,
    column: &'static str,
) -> rusqlite::Result<Option<T>> {
    match row.get::<_, Option<String>>(at)? {
        None => Ok(None),
        Some(value) => serde_json::from_str(&value)
            .map(Some)
            .map_err(|error| bad_column(row, column, BadColumn::Json { column, error })),
    }
}

fn to_json<T: Serialize + ?Sized>(value: &T) -> rusqlite::Result<String> {
    serde_json::to_string(value).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}

/// Hex SHA-256 of what a pairing rests on: its kind and the shared terms,
/// opposing words and rules, each as a sorted set. The reason's wording is
/// left out on purpose (see the module docs).
fn evidence_hash(kind: PairKind, evidence: &Evidence) -> rusqlite::Result<String> {
    use sha2::{Digest, Sha256};
    let as_set = |items: &[String]| {
        let mut items = items.to_vec();
        items.sort();
        items.dedup();
        items
    };
    let grounds = (
        kind.as_str(),
        as_set(&evidence.shared),
        as_set(&evidence.opposing),
        as_set(&evidence.rules),
    );
    Ok(crate::model::to_hex(&Sha256::digest(
        to_json(&grounds)?.as_bytes(),
    )))
}

/// The row id in `c12` / `p12`, if `id` has that form.
fn parse_id(prefix: char, id: &str) -> Option<i64> {
    let digits = id.strip_prefix(prefix)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// SQLite's `LIMIT`: -1 means no limit.
fn sql_limit(limit: Option<usize>) -> i64 {
    limit.map_or(-1, |n| i64::try_from(n).unwrap_or(i64::MAX))
}

/// The current time, RFC 3339 in UTC to the second.
fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Read-only lookups for the review views (audit dates and outlets, review
/// timestamps). Kept in their own block so they stay additive.
impl Store {
    /// Every claim id (`c<N>`) with a summary of its document, in claim id
    /// order: what audits need for outlets and dates without loading texts.
    pub fn claim_documents(&self) -> Result<Vec<(String, DocumentSummary)>, StoreError> {
        let sql = "SELECT claims.id AS claim, d.key, d.title, d.outlet, d.url, d.published,
                          (SELECT count(*) FROM claims other WHERE other.document = d.id) AS claims
                   FROM claims JOIN documents d ON d.id = claims.document
                   ORDER BY claims.id";
        let run = || -> rusqlite::Result<Vec<(String, DocumentSummary)>> {
            let mut stmt = self.conn.prepare(sql)?;
            let rows = stmt.query_map([], |row| {
                Ok((
                    format!("c{}", row.get::<_, i64>("claim")?),
                    DocumentSummary {
                        key: row.get("key")?,
                        title: row.get("title")?,
                        outlet: row.get("outlet")?,
                        url: row.get("url")?,
                        published: row.get("published")?,
                        claims: row.get("claims")?,
                    },
                ))
            })?;
            rows.collect()
        };
        run().map_err(|e| self.wrap(e))
    }

    /// When the pair's verdict was recorded (RFC 3339, UTC); `None` for a
    /// pair never reviewed or an unknown id.
    pub fn reviewed_at(&self, pair_id: &str) -> Result<Option<String>, StoreError> {
        let Some(rowid) = parse_id('p', pair_id) else {
            return Ok(None);
        };
        self.conn
            .query_row(
                "SELECT reviewed_at FROM pairs WHERE id = ?1",
                [rowid],
                |row| row.get::<_, Option<String>>(0),
            )
            .optional()
            .map(Option::flatten)
            .map_err(|e| self.wrap(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(key: &str, text: &str, published: Option<&str>) -> Document {
        Document {
            key: key.to_string(),
            title: Some(format!("Title of {key}")),
            outlet: Some("Voice of America".to_string()),
            url: Some(format!("https://example.org/{key}")),
            published: published.map(str::to_string),
            text: text.to_string(),
        }
    }

    /// A claim with every field filled.
    fn full_claim() -> ClaimRecord {
        ClaimRecord {
            id: String::new(),
            doc: String::new(),
            sentence: Excerpt {
                text: "A coalition spokesman, Col. Myles Caggins, on Monday denied that \
                       an airstrike had killed 12 civilians in Hajin."
                    .to_string(),
                start: 120,
                end: 231,
            },
            content: Excerpt {
                text: "an airstrike had killed 12 civilians in Hajin".to_string(),
                start: 185,
                end: 230,
            },
            source: Some(SourceRef {
                text: "Col. Myles Caggins".to_string(),
                start: 143,
                end: 161,
                canonical: "us-led coalition".to_string(),
                role: Some("spokesman".to_string()),
                affiliation: Some("the US-led coalition".to_string()),
                mention: Some(Excerpt {
                    text: "A coalition spokesman".to_string(),
                    start: 120,
                    end: 141,
                }),
                unnamed: false,
            }),
            cue: Some(Excerpt {
                text: "denied".to_string(),
                start: 173,
                end: 179,
            }),
            subject: Some("airstrike".to_string()),
            predicate: Some("kill".to_string()),
            object: Some("12 civilians".to_string()),
            stance: Stance::Denies,
            polarity: Polarity::Positive,
            hedges: vec!["reportedly".to_string(), "possibly".to_string()],
            quote: QuoteKind::Indirect,
            channel: Some("VOA".to_string()),
            times: vec![TimeExpr {
                text: "on Monday".to_string(),
                start: 162,
                end: 171,
                date: Some("2018-11-12".to_string()),
            }],
        }
    }

    /// A bare claim: no source, cue or optional fields.
    fn claim(content: &str, start: usize, stance: Stance) -> ClaimRecord {
        ClaimRecord {
            id: String::new(),
            doc: String::new(),
            sentence: Excerpt {
                text: content.to_string(),
                start,
                end: start + content.chars().count(),
            },
            content: Excerpt {
                text: content.to_string(),
                start,
                end: start + content.chars().count(),
            },
            source: None,
            cue: None,
            subject: None,
            predicate: None,
            object: None,
            stance,
            polarity: Polarity::Positive,
            hedges: Vec::new(),
            quote: QuoteKind::None,
            channel: None,
            times: Vec::new(),
        }
    }

    fn sourced(mut claim: ClaimRecord, text: &str, canonical: &str) -> ClaimRecord {
        claim.source = Some(SourceRef {
            text: text.to_string(),
            start: 0,
            end: text.chars().count(),
            canonical: canonical.to_string(),
            role: None,
            affiliation: None,
            mention: None,
            unnamed: false,
        });
        claim
    }

    fn terms(list: &[&str]) -> Vec<String> {
        list.iter().map(|t| t.to_string()).collect()
    }

    fn evidence(reason: &str, shared: &[&str]) -> Evidence {
        Evidence {
            reason: reason.to_string(),
            shared: terms(shared),
            opposing: terms(&["denied"]),
            rules: terms(&["cues/deny"]),
        }
    }

    /// Stores one document with its claims (no terms) and returns the claim ids.
    fn store_doc(store: &mut Store, doc: &Document, claims: Vec<ClaimRecord>) -> Vec<String> {
        let mut claims = claims;
        let batch = store.begin().unwrap();
        let DocumentAdded::New { id } = batch.add_document(doc).unwrap() else {
            panic!("document {} already stored", doc.key);
        };
        let no_terms = vec![Vec::new(); claims.len()];
        batch.add_claims(id, &mut claims, &no_terms).unwrap();
        batch.commit().unwrap();
        claims.into_iter().map(|c| c.id).collect()
    }

    /// Two claims in two documents, paired.
    fn store_with_pair() -> (Store, String) {
        let mut store = Store::open_in_memory().unwrap();
        let a = store_doc(
            &mut store,
            &document(
                "a.txt",
                "Media said the strike killed 12.",
                Some("2018-11-10"),
            ),
            vec![claim("the strike killed 12", 11, Stance::Asserts)],
        );
        let b = store_doc(
            &mut store,
            &document("b.txt", "The coalition denied it.", Some("2018-11-12")),
            vec![claim("the strike killed 12", 0, Stance::Denies)],
        );
        let batch = store.begin().unwrap();
        let upsert = batch
            .upsert_pair(
                &a[0],
                &b[0],
                PairKind::Denial,
                0.8,
                &evidence("r", &["strike"]),
            )
            .unwrap();
        batch.commit().unwrap();
        let PairUpsert::Inserted(id) = upsert else {
            panic!("expected a new pair, got {upsert:?}");
        };
        (store, id)
    }

    /// Deterministic noise (xorshift), so the test needs no extra crate.
    fn random_bytes(n: usize) -> Vec<u8> {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect()
    }

    fn header_pragma(path: &Path, pragma: &str) -> i64 {
        let conn = Connection::open(path).unwrap();
        conn.query_row(&format!("SELECT * FROM pragma_{pragma}"), [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn new_database_is_marked_and_versioned() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(user_version(&store.conn).unwrap(), SCHEMA_VERSION);
        let app_id: i32 = store
            .conn
            .query_row("SELECT * FROM pragma_application_id", [], |r| r.get(0))
            .unwrap();
        assert_eq!(app_id, APPLICATION_ID);
        assert_eq!(store.counts().unwrap(), (0, 0, 0));
    }

    #[test]
    fn migrations_are_idempotent_on_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gainsay.db");
        {
            let mut store = Store::open(&path).unwrap();
            store_doc(
                &mut store,
                &document("a.txt", "Officials said so.", None),
                vec![claim("so", 15, Stance::Asserts)],
            );
        }
        for _ in 0..2 {
            let store = Store::open(&path).unwrap();
            assert_eq!(store.counts().unwrap(), (1, 1, 0));
        }
        assert_eq!(header_pragma(&path, "user_version"), SCHEMA_VERSION);
        assert_eq!(
            header_pragma(&path, "application_id"),
            i64::from(APPLICATION_ID)
        );
        let mode: String = Connection::open(&path)
            .unwrap()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn a_new_store_is_filled_under_a_rollback_journal_then_opened_in_wal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gainsay.db");
        let mode = |conn: &Connection| -> String {
            conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))
                .unwrap()
        };
        {
            let mut store = Store::open(&path).unwrap();
            assert_eq!(mode(&store.conn), "delete");
            store_doc(
                &mut store,
                &document("a.txt", "Officials said so.", None),
                vec![claim("so", 15, Stance::Asserts)],
            );
        }
        // No log beside the file: the batch went straight into it.
        assert!(!dir.path().join("gainsay.db-wal").exists());
        assert_eq!(header_pragma(&path, "page_size"), PAGE_SIZE);
        let store = Store::open(&path).unwrap();
        assert_eq!(mode(&store.conn), "wal");
        assert_eq!(store.counts().unwrap(), (1, 1, 0));
    }

    #[test]
    fn pages_written_out_mid_batch_are_undone_by_a_dropped_batch() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gainsay.db");
        let mut store = Store::open(&path).unwrap();
        // Enough text that the written pages are many, beyond the schema's.
        let text = "The ministry denied the report. ".repeat(4000);
        for round in 0..2 {
            let batch = store.begin().unwrap();
            let doc = document(&format!("d{round}.txt"), &format!("{round} {text}"), None);
            let DocumentAdded::New { id } = batch.add_document(&doc).unwrap() else {
                panic!("a new text is stored already");
            };
            let mut claims = vec![claim("the report", 13, Stance::Denies)];
            batch
                .add_claims(id, &mut claims, &[terms(&["report"])])
                .unwrap();
            batch.write_out().unwrap();
            assert!(std::fs::metadata(&path).unwrap().len() > 100_000);
            if round == 0 {
                // Dropped: nothing of it stays, although its pages were
                // in the file.
                drop(batch);
                assert_eq!(store.counts().unwrap(), (0, 0, 0));
            } else {
                batch.commit().unwrap();
            }
        }
        drop(store);
        let store = Store::open(&path).unwrap();
        assert_eq!(store.counts().unwrap(), (1, 1, 0));
        assert!(store.document("d1.txt").unwrap().is_some());
        assert_eq!(store.document("d0.txt").unwrap(), None);
    }

    #[test]
    fn duplicate_document_is_already_stored_and_nothing_written() {
        let mut store = Store::open_in_memory().unwrap();
        let text = "The ministry denied the report.";
        store_doc(&mut store, &document("first.txt", text, None), vec![]);
        let batch = store.begin().unwrap();
        let added = batch
            .add_document(&document("second.txt", text, Some("2020-01-01")))
            .unwrap();
        batch.commit().unwrap();
        assert_eq!(
            added,
            DocumentAdded::AlreadyStored {
                key: "first.txt".to_string()
            }
        );
        assert_eq!(store.counts().unwrap(), (1, 0, 0));
        assert_eq!(store.document("second.txt").unwrap(), None);
    }

    #[test]
    fn claims_round_trip_exactly() {
        let mut store = Store::open_in_memory().unwrap();
        let doc = document("voa/hajin.txt", "…the full article…", Some("2018-11-12"));
        let mut claims = vec![full_claim(), claim("a bare claim", 300, Stance::Reports)];
        let batch = store.begin().unwrap();
        let DocumentAdded::New { id } = batch.add_document(&doc).unwrap() else {
            panic!("new store already has the document");
        };
        let term_lists = vec![terms(&["airstrike", "hajin"]), vec![]];
        batch.add_claims(id, &mut claims, &term_lists).unwrap();
        batch.commit().unwrap();

        for stored in &claims {
            assert!(stored.id.starts_with('c'), "id {}", stored.id);
            assert_eq!(stored.doc, "voa/hajin.txt");
            assert_eq!(store.claim(&stored.id).unwrap().as_ref(), Some(stored));
        }
        let mut expected = full_claim();
        expected.id = claims[0].id.clone();
        expected.doc = "voa/hajin.txt".to_string();
        assert_eq!(claims[0], expected);
        assert_eq!(store.all_claims().unwrap(), claims);
        assert_eq!(store.document("voa/hajin.txt").unwrap(), Some(doc.clone()));
        assert_eq!(store.document_for_claim(&claims[1].id).unwrap(), Some(doc));
        assert_eq!(store.claim("c999").unwrap(), None);
        assert_eq!(store.claim("x1").unwrap(), None);
    }

    #[test]
    fn claims_filter_by_source_doc_and_stance() {
        let mut store = Store::open_in_memory().unwrap();
        store_doc(
            &mut store,
            &document("a.txt", "text of a", None),
            vec![
                sourced(
                    claim("no strike happened", 40, Stance::Denies),
                    "Col. Myles Caggins",
                    "us-led coalition",
                ),
                sourced(
                    claim("a strike happened", 5, Stance::Alleges),
                    "IMIS media",
                    "imis",
                ),
            ],
        );
        store_doc(
            &mut store,
            &document("data.txt", "text of data", None),
            vec![claim("a third claim", 0, Stance::Asserts)],
        );
        let contents = |filter: ClaimFilter| -> Vec<String> {
            let claims = store.claims(&filter).unwrap();
            claims.into_iter().map(|c| c.content.text).collect()
        };

        // Document then position order.
        assert_eq!(
            contents(ClaimFilter::default()),
            ["a strike happened", "no strike happened", "a third claim"]
        );
        let by_source = |s: &str| ClaimFilter {
            source: Some(s.to_string()),
            ..ClaimFilter::default()
        };
        assert_eq!(contents(by_source("CAGGINS")), ["no strike happened"]);
        assert_eq!(contents(by_source("led coal")), ["no strike happened"]);
        assert_eq!(contents(by_source("imis")), ["a strike happened"]);
        assert!(contents(by_source("nobody")).is_empty());

        let by_doc = |d: &str| ClaimFilter {
            doc: Some(d.to_string()),
            ..ClaimFilter::default()
        };
        // An exact key wins over the substring it also is of "data.txt".
        assert_eq!(
            contents(by_doc("a.txt")),
            ["a strike happened", "no strike happened"]
        );
        assert_eq!(contents(by_doc("data")), ["a third claim"]);
        assert_eq!(contents(by_doc(".txt")).len(), 3);

        let by_stance = ClaimFilter {
            stance: Some(Stance::Denies),
            ..ClaimFilter::default()
        };
        assert_eq!(contents(by_stance), ["no strike happened"]);
        let limited = ClaimFilter {
            limit: Some(1),
            ..ClaimFilter::default()
        };
        assert_eq!(contents(limited), ["a strike happened"]);

        let docs = store.documents().unwrap();
        let summary: Vec<(&str, usize)> = docs.iter().map(|d| (d.key.as_str(), d.claims)).collect();
        assert_eq!(summary, [("a.txt", 2), ("data.txt", 1)]);
    }

    #[test]
    fn pairs_are_ordered_by_score_and_filtered() {
        let mut store = Store::open_in_memory().unwrap();
        let a = store_doc(
            &mut store,
            &document("a.txt", "text a", Some("2018-11-10")),
            vec![
                sourced(claim("x", 0, Stance::Alleges), "IMIS media", "imis"),
                claim("y", 10, Stance::Asserts),
                claim("z", 20, Stance::Asserts),
            ],
        );
        let b = store_doc(
            &mut store,
            &document("b.txt", "text b", Some("2018-12-01T09:00:00Z")),
            vec![claim("not x", 0, Stance::Denies)],
        );
        let batch = store.begin().unwrap();
        let ev = evidence("r", &["strike"]);
        batch
            .upsert_pair(&a[0], &b[0], PairKind::Denial, 0.5, &ev)
            .unwrap();
        batch
            .upsert_pair(&a[1], &b[0], PairKind::Negation, 0.9, &ev)
            .unwrap();
        batch
            .upsert_pair(&a[2], &b[0], PairKind::Opposition, 0.7, &ev)
            .unwrap();
        batch.commit().unwrap();

        let scores = |filter: PairFilter| -> Vec<f64> {
            store
                .pairs(&filter)
                .unwrap()
                .into_iter()
                .map(|p| p.score)
                .collect()
        };
        assert_eq!(scores(PairFilter::default()), [0.9, 0.7, 0.5]);
        let min = PairFilter {
            min_score: Some(0.6),
            ..PairFilter::default()
        };
        assert_eq!(scores(min), [0.9, 0.7]);
        let kind = PairFilter {
            kind: Some(PairKind::Denial),
            ..PairFilter::default()
        };
        assert_eq!(scores(kind), [0.5]);
        let source = PairFilter {
            source: Some("Imis".to_string()),
            ..PairFilter::default()
        };
        assert_eq!(scores(source), [0.5]);
        let doc = PairFilter {
            doc: Some("b.txt".to_string()),
            limit: Some(2),
            ..PairFilter::default()
        };
        assert_eq!(scores(doc), [0.9, 0.7]);
        let open = PairFilter {
            status: Some(ReviewStatus::Open),
            ..PairFilter::default()
        };
        assert_eq!(scores(open).len(), 3);

        let dates = |since: Option<&str>, until: Option<&str>| PairFilter {
            since: since.map(str::to_string),
            until: until.map(str::to_string),
            ..PairFilter::default()
        };
        // Either document's date counts, at the precision of the bound.
        assert_eq!(scores(dates(Some("2018-11-11"), None)).len(), 3);
        assert_eq!(scores(dates(None, Some("2018-11"))).len(), 3);
        assert_eq!(
            scores(dates(Some("2018-12-01"), Some("2018-12-01"))).len(),
            3
        );
        assert!(scores(dates(Some("2019"), None)).is_empty());
        assert!(scores(dates(Some("2018-11-11"), Some("2018-11-30"))).is_empty());
    }

    #[test]
    fn verdict_survives_upsert() {
        let (mut store, id) = store_with_pair();
        let pair = store.pair(&id).unwrap().unwrap();
        store
            .review(&id, ReviewStatus::Confirmed, Some("checked the footage"))
            .unwrap();
        let batch = store.begin().unwrap();
        let again = batch
            .upsert_pair(
                &pair.a.id,
                &pair.b.id,
                PairKind::Refutation,
                0.95,
                &evidence("new reason", &["strike", "hajin"]),
            )
            .unwrap();
        batch.commit().unwrap();
        assert_eq!(again, PairUpsert::Updated(id.clone()));
        let after = store.pair(&id).unwrap().unwrap();
        assert_eq!(after.status, ReviewStatus::Confirmed);
        assert_eq!(after.note.as_deref(), Some("checked the footage"));
        assert_eq!(after.kind, PairKind::Refutation);
        assert_eq!(after.score, 0.95);
    }

    #[test]
    fn open_pair_is_refreshed_in_either_orientation() {
        let (mut store, id) = store_with_pair();
        let pair = store.pair(&id).unwrap().unwrap();
        let batch = store.begin().unwrap();
        let ev = evidence("r", &["strike"]);
        let again = batch
            .upsert_pair(&pair.b.id, &pair.a.id, PairKind::Denial, 0.6, &ev)
            .unwrap();
        batch.commit().unwrap();
        assert_eq!(again, PairUpsert::Updated(id.clone()));
        let after = store.pair(&id).unwrap().unwrap();
        assert_eq!((after.a.id, after.b.id), (pair.b.id, pair.a.id));
        assert_eq!(after.score, 0.6);
        assert_eq!(store.counts().unwrap().2, 1);
    }

    #[test]
    fn dismissed_pair_is_suppressed_unless_evidence_changes() {
        let (mut store, id) = store_with_pair();
        let pair = store.pair(&id).unwrap().unwrap();
        store
            .review(&id, ReviewStatus::Dismissed, Some("different strikes"))
            .unwrap();

        // Same grounds, reworded reason and reordered lists: still dismissed.
        let mut same = evidence("a reworded reason", &["strike"]);
        same.opposing.reverse();
        let batch = store.begin().unwrap();
        let again = batch
            .upsert_pair(&pair.a.id, &pair.b.id, PairKind::Denial, 0.9, &same)
            .unwrap();
        batch.commit().unwrap();
        assert_eq!(again, PairUpsert::Suppressed(id.clone()));
        let after = store.pair(&id).unwrap().unwrap();
        assert_eq!(after.status, ReviewStatus::Dismissed);
        assert_eq!(after.score, 0.8);

        // New shared terms: open again, with the old note.
        let batch = store.begin().unwrap();
        let changed = evidence("r", &["strike", "hajin"]);
        let again = batch
            .upsert_pair(&pair.a.id, &pair.b.id, PairKind::Denial, 0.9, &changed)
            .unwrap();
        batch.commit().unwrap();
        assert_eq!(again, PairUpsert::Reopened(id.clone()));
        let after = store.pair(&id).unwrap().unwrap();
        assert_eq!(after.status, ReviewStatus::Open);
        assert_eq!(after.note.as_deref(), Some("different strikes"));
        assert_eq!(after.evidence, changed);
    }

    #[test]
    fn review_records_time_and_rejects_unknown_pairs() {
        let (store, id) = store_with_pair();
        let reviewed = store.review(&id, ReviewStatus::Dismissed, None).unwrap();
        assert_eq!(reviewed.status, ReviewStatus::Dismissed);
        assert_eq!(reviewed.note, None);
        let stamp: String = store
            .conn
            .query_row("SELECT reviewed_at FROM pairs", [], |r| r.get(0))
            .unwrap();
        assert!(
            chrono::DateTime::parse_from_rfc3339(&stamp).is_ok(),
            "{stamp}"
        );
        for missing in ["p999", "c1", "nonsense"] {
            let err = store.review(missing, ReviewStatus::Confirmed, None);
            assert!(
                matches!(err, Err(StoreError::NoSuchPair { .. })),
                "{missing}: {err:?}"
            );
        }
    }

    #[test]
    fn upsert_rejects_unknown_and_identical_claims() {
        let (mut store, id) = store_with_pair();
        let pair = store.pair(&id).unwrap().unwrap();
        let batch = store.begin().unwrap();
        let ev = Evidence::default();
        let unknown = batch.upsert_pair(&pair.a.id, "c999", PairKind::Denial, 0.5, &ev);
        assert!(matches!(unknown, Err(StoreError::NoSuchClaim { .. })));
        let itself = batch.upsert_pair(&pair.a.id, &pair.a.id, PairKind::Denial, 0.5, &ev);
        assert!(matches!(itself, Err(StoreError::InvalidInput { .. })));
        let nan = batch.upsert_pair(&pair.a.id, &pair.b.id, PairKind::Denial, f64::NAN, &ev);
        assert!(matches!(nan, Err(StoreError::InvalidInput { .. })));
    }

    #[test]
    fn dropped_batch_leaves_nothing() {
        let mut store = Store::open_in_memory().unwrap();
        {
            let batch = store.begin().unwrap();
            let DocumentAdded::New { id } = batch
                .add_document(&document("a.txt", "Officials said so.", None))
                .unwrap()
            else {
                panic!("new store already has the document");
            };
            let mut claims = vec![claim("so", 15, Stance::Asserts)];
            batch
                .add_claims(id, &mut claims, &[terms(&["so"])])
                .unwrap();
        }
        assert_eq!(store.counts().unwrap(), (0, 0, 0));
        assert!(store.candidates(&terms(&["so"]), None).unwrap().is_empty());
    }

    #[test]
    fn candidates_share_a_term() {
        let mut store = Store::open_in_memory().unwrap();
        let batch = store.begin().unwrap();
        let mut ids = Vec::new();
        for (key, claim_terms) in [
            ("a.txt", vec!["strike", "hajin"]),
            ("b.txt", vec!["strike", "strike", "civilians"]),
            ("c.txt", vec!["election"]),
        ] {
            let DocumentAdded::New { id } = batch
                .add_document(&document(key, &format!("text of {key}"), None))
                .unwrap()
            else {
                panic!("distinct texts");
            };
            ids.push(id);
            let mut claims = vec![claim(key, 0, Stance::Asserts)];
            batch
                .add_claims(id, &mut claims, &[terms(&claim_terms)])
                .unwrap();
        }
        // Inside the batch, before commit.
        let found = batch.candidates(&terms(&["strike"]), None).unwrap();
        assert_eq!(found.len(), 2);
        batch.commit().unwrap();

        let docs_of = |query: &[&str], exclude: Option<i64>| -> Vec<String> {
            let found = store.candidates(&terms(query), exclude).unwrap();
            found.into_iter().map(|c| c.doc).collect()
        };
        assert_eq!(docs_of(&["strike", "hajin"], None), ["a.txt", "b.txt"]);
        assert_eq!(docs_of(&["strike"], Some(ids[0])), ["b.txt"]);
        assert_eq!(
            docs_of(&["election", "civilians"], None),
            ["b.txt", "c.txt"]
        );
        assert!(docs_of(&["nothing"], None).is_empty());
        assert!(docs_of(&[], None).is_empty());
    }

    /// Files `n` one-claim documents named `{prefix}{i}`, claim `i` under
    /// "every" and, when `i` is a multiple of 3, "third"; returns the row ids.
    fn file_numbered(store: &mut Store, prefix: &str, n: usize) -> Vec<i64> {
        let batch = store.begin().unwrap();
        let mut rowids = Vec::new();
        for i in 0..n {
            let key = format!("{prefix}{i}.txt");
            let DocumentAdded::New { id } = batch
                .add_document(&document(&key, &format!("text of {key}"), None))
                .unwrap()
            else {
                panic!("distinct texts");
            };
            let mut claims = vec![claim(&key, 0, Stance::Asserts)];
            let mut filed = vec!["every"];
            if i % 3 == 0 {
                filed.push("third");
            }
            batch.add_claims(id, &mut claims, &[terms(&filed)]).unwrap();
            rowids.push(claims[0].id[1..].parse::<i64>().unwrap());
        }
        batch.commit().unwrap();
        rowids
    }

    #[test]
    fn posting_lists_span_runs_and_batches() {
        let mut store = Store::open_in_memory().unwrap();
        // 150 claims make runs of 64, 64 and 22; 50 more fill the last run
        // to 64 and start a fifth.
        let mut all = file_numbered(&mut store, "a", 150);
        all.extend(file_numbered(&mut store, "b", 50));
        let runs: Vec<usize> = store
            .conn
            .prepare(
                "SELECT length(claims) / 8 FROM posting_runs
                 WHERE term = (SELECT id FROM terms WHERE term = 'every') ORDER BY first",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(runs, [64, 64, 64, 8]);
        let third: Vec<i64> = all.iter().copied().step_by(3).collect();
        let batch = store.begin().unwrap();
        assert_eq!(batch.postings("every", i64::MAX).unwrap(), all);
        assert_eq!(batch.postings("every", all[100]).unwrap(), all[..100]);
        assert_eq!(batch.term_count("every").unwrap(), 200);
        // Many counts in one statement: a term without claims is left out,
        // one with quotes or brackets is a term like any other.
        let mut counts = FxHashMap::default();
        batch
            .term_counts(&["", "every", "nowhere", "th\"ird]", "third"], &mut counts)
            .unwrap();
        let mut counts: Vec<(String, usize)> = counts.into_iter().collect();
        counts.sort();
        assert_eq!(
            counts,
            [
                (String::new(), 200),
                ("every".to_string(), 200),
                ("third".to_string(), 67)
            ]
        );
        // Walking either list gives the claims under both.
        assert_eq!(
            batch.conjunction("third", "every", i64::MAX).unwrap(),
            third
        );
        assert_eq!(
            batch.conjunction("every", "third", i64::MAX).unwrap(),
            third
        );
        let below: Vec<i64> = third.iter().copied().filter(|&id| id < all[130]).collect();
        assert_eq!(
            batch.conjunction("every", "third", all[130]).unwrap(),
            below
        );
        assert!(batch
            .conjunction("every", "nowhere", i64::MAX)
            .unwrap()
            .is_empty());
        assert!(batch.postings("nowhere", i64::MAX).unwrap().is_empty());
        drop(batch);
        assert_eq!(
            store.candidates(&terms(&["third"]), None).unwrap().len(),
            67
        );
    }

    /// Claims extracted from `text` (a document keyed `key`), stored in a
    /// new store, with the claims as extracted.
    fn stored_extraction(key: &str, text: &str) -> (Store, Vec<ClaimRecord>) {
        let rules = crate::rules::Rules::builtin().unwrap();
        let doc = document(key, text, None);
        let extracted = crate::extract::Extractor::new(&rules).extract(&doc);
        assert!(!extracted.is_empty(), "nothing extracted from {text:?}");
        let mut store = Store::open_in_memory().unwrap();
        crate::ingest::ingest(&mut store, &rules, vec![(doc, None)]).unwrap();
        (store, extracted)
    }

    /// What a claim says and where, without the ids a store gives it.
    fn texts(c: &ClaimRecord) -> String {
        let mut c = c.clone();
        c.id.clear();
        c.doc.clear();
        serde_json::to_string(&c).unwrap()
    }

    #[test]
    fn extracted_texts_are_read_from_the_document_not_stored_twice() {
        // Non-ASCII before and inside the excerpts: offsets count characters.
        let text = "Z\u{fc}rich officials said the bank had failed. \
                    \u{201C}The guarantees are worthless,\u{201D} Mayor Ren\u{e9}e M\u{fc}ller told reporters on Monday. \
                    The bank denied that its reserves were gone.";
        let (store, extracted) = stored_extraction("zurich", text);
        let stored = store.all_claims().unwrap();
        assert_eq!(
            stored.iter().map(texts).collect::<Vec<_>>(),
            extracted.iter().map(texts).collect::<Vec<_>>()
        );
        assert!(stored
            .iter()
            .any(|c| c.subject.is_some() && c.source.is_some()));
        // Each text is in the document once: the rows hold '' or NULL.
        let mut stmt = store
            .conn
            .prepare("SELECT derived_texts, sentence_text || content_text, source_text, subject FROM claims")
            .unwrap();
        let mut rows = stmt.query([]).unwrap();
        let mut n = 0;
        while let Some(r) = rows.next().unwrap() {
            n += 1;
            let both = SENTENCE.bit | CONTENT.bit;
            assert_eq!(r.get::<_, i64>(0).unwrap() & both, both);
            assert_eq!(r.get::<_, String>(1).unwrap(), "");
            assert_eq!(r.get::<_, Option<String>>(2).unwrap(), None);
            assert_eq!(r.get::<_, Option<String>>(3).unwrap(), None);
        }
        assert_eq!(n, extracted.len());
        // A source is still found by the words of its name.
        let filter = ClaimFilter {
            source: Some("m\u{fc}ller".into()),
            ..ClaimFilter::default()
        };
        let by_source = store.claims(&filter).unwrap();
        assert!(!by_source.is_empty());
        assert!(by_source
            .iter()
            .all(|c| c.source.as_ref().unwrap().text.contains("M\u{fc}ller")));
    }

    #[test]
    fn migration_6_converts_documents_up_to_the_same_size() {
        let bound = format!("length(CAST(text AS BLOB)) <= {DERIVED_DOCUMENT_BYTES})");
        assert!(MIGRATIONS[5].contains(&bound), "{bound}");
    }

    #[test]
    fn claim_columns_are_where_claim_select_puts_them() {
        let store = Store::open_in_memory().unwrap();
        let stmt = store.conn.prepare(CLAIM_SELECT).unwrap();
        let mut cols = vec![SOURCE_MENTION, STANCE, POLARITY, HEDGES, QUOTE, TIMES];
        for d in [
            &SENTENCE, &CONTENT, &SOURCE, &CUE, &SUBJECT, &PREDICATE, &OBJECT,
        ] {
            cols.extend([d.text, d.start, d.end]);
        }
        for c in cols {
            assert_eq!(stmt.column_name(c.at).unwrap(), c.name);
        }
        for (at, name) in [
            (CLAIM_ID, "id"),
            (CLAIM_DOC, "key"),
            (CLAIM_DERIVED, "derived_texts"),
            (SOURCE_CANONICAL, "source_canonical"),
            (SOURCE_ROLE, "source_role"),
            (SOURCE_AFFILIATION, "source_affiliation"),
            (SOURCE_UNNAMED, "source_unnamed"),
            (CHANNEL, "channel"),
        ] {
            assert_eq!(stmt.column_name(at).unwrap(), name);
        }
        assert_eq!(stmt.column_count(), TIMES.at + 1);
    }

    #[test]
    fn a_text_not_in_the_document_is_stored_as_given() {
        // As `add` names a statement's source: a name, not a span of the text.
        let mut store = Store::open_in_memory().unwrap();
        let text = "The patrol was routine and there was no confrontation.";
        let mut c = claim(text, 0, Stance::Asserts);
        c.source = Some(SourceRef {
            text: "Coalition spokesperson".into(),
            start: 0,
            end: 0,
            canonical: "Coalition".into(),
            role: None,
            affiliation: None,
            mention: None,
            unnamed: false,
        });
        c.subject = Some("The patrol".into());
        c.object = Some("no patrol at all".into());
        let before = texts(&c);
        let batch = store.begin().unwrap();
        let DocumentAdded::New { id } = batch
            .add_document(&document("statement", text, None))
            .unwrap()
        else {
            panic!("a new document");
        };
        batch
            .add_claims(id, std::slice::from_mut(&mut c), &[vec![]])
            .unwrap();
        batch.commit().unwrap();
        let stored = store.all_claims().unwrap();
        assert_eq!(stored.iter().map(texts).collect::<Vec<_>>(), [before]);
        let (derived, source, object): (i64, Option<String>, Option<String>) = store
            .conn
            .query_row(
                "SELECT derived_texts, source_text, object FROM claims",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(derived, SENTENCE.bit | CONTENT.bit | SUBJECT.bit);
        assert_eq!(source.as_deref(), Some("Coalition spokesperson"));
        assert_eq!(object.as_deref(), Some("no patrol at all"));
    }

    #[test]
    fn the_texts_of_a_long_document_are_stored() {
        let filler = "Officials met again on Tuesday to review the figures. ".repeat(250);
        let text = format!("{filler}The ministry said the dam had held.");
        assert!(text.len() > DERIVED_DOCUMENT_BYTES);
        let (store, extracted) = stored_extraction("long", &text);
        let stored = store.all_claims().unwrap();
        assert_eq!(
            stored.iter().map(texts).collect::<Vec<_>>(),
            extracted.iter().map(texts).collect::<Vec<_>>()
        );
        let derived: i64 = store
            .conn
            .query_row("SELECT max(derived_texts) FROM claims", [], |r| r.get(0))
            .unwrap();
        assert_eq!(derived, 0);
    }

    #[test]
    fn a_derived_text_outside_its_document_is_a_bad_record() {
        let (store, _) = stored_extraction("short", "The ministry said the dam had held.");
        store
            .conn
            .execute("UPDATE claims SET sentence_end = 500", [])
            .unwrap();
        let err = store.all_claims().unwrap_err().to_string();
        assert!(
            err.contains("sentence_start") && err.contains("not in the document"),
            "{err}"
        );
    }

    #[test]
    fn migration_4_cuts_posting_lists_into_runs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("schema-3.db");
        let every: Vec<i64> = (1..=150).map(|i| i * 7).collect();
        {
            let conn = Connection::open(&path).unwrap();
            for sql in &MIGRATIONS[..3] {
                conn.execute_batch(sql).unwrap();
            }
            conn.pragma_update(None, "user_version", 3).unwrap();
            conn.pragma_update(None, "application_id", APPLICATION_ID)
                .unwrap();
            conn.execute_batch(
                "INSERT INTO terms (id, term, claims) VALUES (10, 'every', 150), (11, 'few', 2)",
            )
            .unwrap();
            // Out of order on purpose: the runs must come out ascending.
            for &id in every.iter().rev() {
                conn.execute("INSERT INTO postings (term, claim) VALUES (10, ?1)", [id])
                    .unwrap();
            }
            conn.execute_batch("INSERT INTO postings (term, claim) VALUES (11, 700), (11, 14)")
                .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let runs: Vec<(i64, i64, usize)> = store
            .conn
            .prepare(
                "SELECT term, first, length(claims) / 8 FROM posting_runs ORDER BY term, first",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            runs,
            [
                (10, 7, 64),
                (10, 65 * 7, 64),
                (10, 129 * 7, 22),
                (11, 14, 2)
            ]
        );
        assert_eq!(
            query_postings(&store.conn, "every", i64::MAX).unwrap(),
            every
        );
        assert_eq!(
            query_postings(&store.conn, "few", i64::MAX).unwrap(),
            [14, 700]
        );
        assert_eq!(
            query_conjunction(&store.conn, "few", "every", i64::MAX).unwrap(),
            [14, 700]
        );
        let old: i64 = store
            .conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'postings'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(old, 0);
    }

    #[test]
    fn the_terms_of_many_claims_are_read_in_one_go() {
        let mut store = Store::open_in_memory().unwrap();
        let ids = file_numbered(&mut store, "a", 4);
        // A term with a quote is stored escaped, so it is read owned.
        store
            .conn
            .execute(
                "UPDATE claims SET terms = '[\"every\",\"say \\\"no\\\"\"]' WHERE id = ?1",
                [ids[1]],
            )
            .unwrap();
        let batch = store.begin().unwrap();
        let mut read = Vec::new();
        let asked = [ids[0], ids[1], ids[3], ids[3] + 100];
        batch
            .claims_terms(&asked, |id, key, terms| {
                read.push((id, key.to_string(), terms.join("|")));
            })
            .unwrap();
        assert_eq!(
            read,
            [
                (ids[0], "a0.txt".to_string(), "every|third".to_string()),
                (ids[1], "a1.txt".to_string(), "every|say \"no\"".to_string()),
                (ids[3], "a3.txt".to_string(), "every|third".to_string()),
            ]
        );
        drop(batch);
        store
            .conn
            .execute(
                "UPDATE claims SET terms = '[\"every\"' WHERE id = ?1",
                [ids[3]],
            )
            .unwrap();
        let batch = store.begin().unwrap();
        let err = batch.claims_terms(&ids, |_, _, _| {}).unwrap_err();
        assert!(matches!(err, StoreError::BadRecord { .. }), "{err:?}");
        assert!(err.to_string().contains("terms"), "{err}");
    }

    #[test]
    fn a_damaged_posting_run_is_an_error_not_a_panic() {
        let mut store = Store::open_in_memory().unwrap();
        file_numbered(&mut store, "a", 3);
        store
            .conn
            .execute("UPDATE posting_runs SET claims = x'0102'", [])
            .unwrap();
        let err = store.candidates(&terms(&["every"]), None).unwrap_err();
        assert!(matches!(err, StoreError::BadRecord { .. }), "{err:?}");
        assert!(err.to_string().contains("posting run of 2 bytes"), "{err}");
    }

    #[test]
    fn bad_stored_values_are_errors_not_panics() {
        let mut store = Store::open_in_memory().unwrap();
        let ids = store_doc(
            &mut store,
            &document("a.txt", "text", None),
            vec![claim("x", 0, Stance::Asserts)],
        );
        store
            .conn
            .execute("UPDATE claims SET stance = 'shrugs'", [])
            .unwrap();
        let err = store.claim(&ids[0]).unwrap_err();
        assert!(matches!(err, StoreError::BadRecord { .. }), "{err:?}");
        assert!(err.to_string().contains("stance"), "{err}");
        store
            .conn
            .execute("UPDATE claims SET stance = 'asserts', hedges = '[1'", [])
            .unwrap();
        let err = store.all_claims().unwrap_err();
        assert!(err.to_string().contains("hedges"), "{err}");
    }

    #[test]
    fn add_claims_checks_its_arguments() {
        let mut store = Store::open_in_memory().unwrap();
        let batch = store.begin().unwrap();
        let mut claims = vec![claim("x", 0, Stance::Asserts)];
        let missing = batch.add_claims(42, &mut claims, &[vec![]]);
        assert!(matches!(
            missing,
            Err(StoreError::NoSuchDocument { id: 42, .. })
        ));
        let DocumentAdded::New { id } = batch
            .add_document(&document("a.txt", "text", None))
            .unwrap()
        else {
            panic!("new store already has the document");
        };
        let mismatch = batch.add_claims(id, &mut claims, &[]);
        assert!(matches!(mismatch, Err(StoreError::InvalidInput { .. })));
    }

    #[test]
    fn foreign_database_is_refused_and_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gainsay.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(
                "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL);
                 INSERT INTO invoices (total) VALUES (12.5);",
            )
            .unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let err = Store::open(&path).err().unwrap();
        assert!(matches!(err, StoreError::Foreign { .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            format!(
                "{}: not a gainsay database (it has tables of another program)",
                path.display()
            )
        );
        assert_eq!(std::fs::read(&path).unwrap(), before);

        // Another program's application id, even with no tables.
        let other = dir.path().join("other.db");
        Connection::open(&other)
            .unwrap()
            .pragma_update(None, "application_id", 0x1234_5678)
            .unwrap();
        let before = std::fs::read(&other).unwrap();
        let err = Store::open(&other).err().unwrap();
        assert!(matches!(err, StoreError::Foreign { .. }), "{err:?}");
        assert_eq!(std::fs::read(&other).unwrap(), before);
    }

    #[test]
    fn non_database_files_are_refused_and_untouched() {
        let dir = tempfile::tempdir().unwrap();
        for (name, bytes) in [
            ("random.db", random_bytes(8192)),
            ("short.db", b"hello".to_vec()),
            ("notes.db", b"# notes\nnot a database at all\n".repeat(50)),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, &bytes).unwrap();
            let err = Store::open(&path).err().unwrap();
            assert!(matches!(err, StoreError::NotADatabase { .. }), "{err:?}");
            assert_eq!(
                err.to_string(),
                format!("{}: file is not a database", path.display())
            );
            assert_eq!(std::fs::read(&path).unwrap(), bytes);
        }
    }

    #[test]
    fn corrupt_file_with_a_sqlite_header_is_refused_and_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gainsay.db");
        let mut bytes = SQLITE_MAGIC.to_vec();
        bytes.extend(random_bytes(8192));
        std::fs::write(&path, &bytes).unwrap();
        let err = Store::open(&path).err().unwrap();
        assert!(
            matches!(
                err,
                StoreError::NotADatabase { .. } | StoreError::Corrupt { .. }
            ),
            "{err:?}"
        );
        assert_eq!(std::fs::read(&path).unwrap(), bytes);
    }

    #[test]
    fn newer_schema_is_refused_and_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gainsay.db");
        drop(Store::open(&path).unwrap());
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "user_version", 7)
            .unwrap();
        let before = std::fs::read(&path).unwrap();
        let err = Store::open(&path).err().unwrap();
        assert!(
            matches!(err, StoreError::TooNew { found: 7, .. }),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            format!(
                "{}: made by a newer gainsay (schema 7, this build knows {SCHEMA_VERSION})",
                path.display()
            )
        );
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }

    #[test]
    fn a_held_write_lock_is_reported_as_locked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gainsay.db");
        let mut first = Store::open(&path).unwrap();
        let mut second = Store::open(&path).unwrap();
        second.conn.busy_timeout(Duration::from_millis(50)).unwrap();
        let _held = first.begin().unwrap();
        let err = second.begin().err().unwrap();
        assert!(matches!(err, StoreError::Locked { .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            format!(
                "{}: database is locked by another process; try again when it is done",
                path.display()
            )
        );
    }

    #[test]
    fn ids_parse_strictly() {
        assert_eq!(parse_id('c', "c12"), Some(12));
        assert_eq!(parse_id('c', "p12"), None);
        assert_eq!(parse_id('c', "c"), None);
        assert_eq!(parse_id('c', "c+1"), None);
        assert_eq!(parse_id('c', "c99999999999999999999"), None);
    }
}
