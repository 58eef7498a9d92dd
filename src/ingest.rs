//! Reading documents and running the whole pipeline into the store.
//!
//! Inputs: plain text and Markdown files, JSON Lines files (`.jsonl`, one
//! `{"id", "title"?, "outlet"?, "url"?, "published"?, "text"}` per line) and
//! `-` for stdin (JSON Lines when it starts with `{`, text otherwise). A
//! text file's first line is its title when it looks like a headline; a date
//! `YYYY-MM-DD` in a file name is its publication date.
//!
//! [`ingest`] stores a batch in one transaction: documents (each once, by
//! the hash of its text), their claims and blocking terms, and the pairs
//! their claims form with every claim already stored. Any error rolls the
//! whole batch back, so the store never holds half a batch.

use crate::blocking::{self, BlockIndex, Claims, FoundPair, FrameStore};
use crate::extract::Extractor;
use crate::matcher::{prefixed_key, Frame, Key, Matcher, MIN_SCORE};
use crate::model::{ClaimRecord, Document, Evidence};
use crate::rules::Rules;
use crate::store::{
    Batch, DocumentAdded, DocumentClaims, Filing, NewPair, Store, StoreError, RUN_CLAIMS,
};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;
use std::collections::hash_map::Entry;
use std::io::Read;
use std::path::Path;

/// The largest document accepted, in bytes: a text file, standard input, or
/// the `text` of one JSON line. Past it the input is refused before it is
/// parsed or extracted.
pub const MAX_DOCUMENT_BYTES: usize = 64 * 1024 * 1024;

/// The longest JSON line accepted, in bytes: a document at its limit plus
/// room for its escapes and other fields. A longer line is refused before
/// it is parsed, so a feed without line breaks cannot be parsed as one huge
/// value.
pub const MAX_LINE_BYTES: usize = MAX_DOCUMENT_BYTES + MAX_DOCUMENT_BYTES / 4;

#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{path}: {message}")]
    File { path: String, message: String },
    #[error("{path}:{line}: {message}")]
    Line {
        path: String,
        line: usize,
        message: String,
    },
}

impl InputError {
    fn file(path: &str, message: impl Into<String>) -> InputError {
        InputError::File {
            path: path.to_string(),
            message: message.into(),
        }
    }
}

/// One JSON line. Fields beyond these (author, tags, ...) are ignored:
/// real feeds carry many, and refusing them would refuse the feed.
#[derive(Debug, Deserialize)]
struct JsonDocument {
    id: serde_json::Value,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    outlet: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    published: Option<String>,
    text: String,
}

/// Reads every document named by `path` ("-" for stdin).
pub fn read_documents(path: &str) -> Result<Vec<Document>, InputError> {
    let bytes = if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .take(MAX_DOCUMENT_BYTES as u64 + 1)
            .read_to_end(&mut buf)
            .map_err(|e| InputError::file("<stdin>", format!("cannot read: {e}")))?;
        if buf.len() > MAX_DOCUMENT_BYTES {
            // Stdin is read whole, so it has the limit of one document even
            // for JSON Lines; a JSON Lines file has no overall limit.
            return Err(InputError::file(
                "<stdin>",
                format!(
                    "more than {} MiB on standard input; save it to a file and ingest that",
                    MAX_DOCUMENT_BYTES >> 20
                ),
            ));
        }
        buf
    } else {
        let meta = std::fs::metadata(path).map_err(|e| InputError::file(path, io_message(&e)))?;
        if meta.is_dir() {
            return Err(InputError::file(path, "is a directory"));
        }
        if !is_jsonl_path(path) && meta.len() > MAX_DOCUMENT_BYTES as u64 {
            return Err(too_large(path));
        }
        std::fs::read(path).map_err(|e| InputError::file(path, io_message(&e)))?
    };
    let name = if path == "-" { "<stdin>" } else { path };
    let jsonl = is_jsonl_path(path) || path == "-" && starts_like_json(&bytes);
    if jsonl {
        return read_jsonl(name, &bytes);
    }
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(too_large(name));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        InputError::file(
            name,
            format!("not valid UTF-8 (at byte {at}); convert it to UTF-8 first"),
        )
    })?;
    let text = match text.strip_prefix(BOM) {
        Some(rest) => rest.to_string(),
        None => text,
    };
    check_text(name, &text)?;
    let key = if path == "-" {
        "-".to_string()
    } else {
        path.to_string()
    };
    Ok(vec![document_from_text(&key, text)])
}

/// The documents named on a command line, read as a stream: text files
/// and standard input whole (each within [`MAX_DOCUMENT_BYTES`]), JSON Lines
/// files a line at a time, so that a file of any size is read in chunks.
pub struct Inputs {
    sources: std::collections::VecDeque<Source>,
}

enum Source {
    /// Read whole: a text file, or standard input.
    Read(std::vec::IntoIter<Document>),
    Jsonl(Box<JsonlReader<std::io::BufReader<std::fs::File>>>),
}

impl Inputs {
    /// Opens every input and checks what can be checked before the store
    /// is touched: text files and stdin are read and checked whole, JSON
    /// Lines files are opened and their first document read (so a missing,
    /// empty or malformed-from-the-start file is refused here).
    pub fn open(paths: &[String]) -> Result<Inputs, InputError> {
        let mut sources = std::collections::VecDeque::new();
        for path in paths {
            if path == "-" || !is_jsonl_path(path) {
                sources.push_back(Source::Read(read_documents(path)?.into_iter()));
                continue;
            }
            let mut reader = JsonlReader::open(path)?;
            reader.peek()?;
            sources.push_back(Source::Jsonl(Box::new(reader)));
        }
        Ok(Inputs { sources })
    }

    /// The next documents, in input order: at most `max_documents`, and no
    /// more text than `max_bytes` past the first. Empty when all are read.
    pub fn chunk(
        &mut self,
        max_documents: usize,
        max_bytes: usize,
    ) -> Result<Vec<Document>, InputError> {
        let mut out = Vec::new();
        let mut bytes = 0usize;
        while out.len() < max_documents.max(1) && (out.is_empty() || bytes < max_bytes) {
            let Some(source) = self.sources.front_mut() else {
                break;
            };
            let next = match source {
                Source::Read(docs) => docs.next(),
                Source::Jsonl(reader) => reader.next_document()?,
            };
            match next {
                Some(d) => {
                    bytes += d.text.len();
                    out.push(d);
                }
                None => {
                    self.sources.pop_front();
                }
            }
        }
        Ok(out)
    }
}

/// The documents of a JSON Lines stream, read a batch of lines at a time
/// and parsed in parallel; a line is never held past [`MAX_LINE_BYTES`].
/// The one streaming reader: `ingest` and `gainsay bench` both use it. As
/// an iterator it yields each document with the length in bytes of the
/// line it was read from; a line's error comes in its place, after the
/// documents of the lines before it.
pub struct JsonlReader<R> {
    reader: R,
    name: String,
    /// Lines read so far.
    line: usize,
    /// Documents yielded so far.
    documents: usize,
    /// What the lines parsed and not yet yielded hold, in order: documents
    /// with their lines' lengths, and errors (blank lines hold nothing).
    ahead: std::collections::VecDeque<Result<(Document, usize), InputError>>,
    /// Lines read while the batch before them was parsed.
    read_ahead: Option<RawLines>,
    /// The buffer of the batch parsed last, to read into again.
    spare: Vec<u8>,
    /// Every line has been read and parsed.
    ended: bool,
}

/// Bytes of lines read and parsed together, about (a batch ends with the
/// line that reaches it). Parsing a line costs some three times reading
/// it, so a batch is parsed on the rayon pool while the next is read: a
/// Reuters-21578 file (19 MB) took 37 ms on one thread.
const BATCH_BYTES: usize = 1 << 21;

/// Lines of a batch below which it is parsed on the calling thread.
const PARALLEL_LINES: usize = 64;

impl JsonlReader<std::io::BufReader<std::fs::File>> {
    /// Opens a JSON Lines file, with the same checks as [`read_documents`].
    pub fn open(path: &str) -> Result<Self, InputError> {
        let meta = std::fs::metadata(path).map_err(|e| InputError::file(path, io_message(&e)))?;
        if meta.is_dir() {
            return Err(InputError::file(path, "is a directory"));
        }
        let file = std::fs::File::open(path).map_err(|e| InputError::file(path, io_message(&e)))?;
        Ok(JsonlReader::new(
            std::io::BufReader::with_capacity(1 << 20, file),
            path,
        ))
    }
}

impl<R: std::io::BufRead + Send> JsonlReader<R> {
    pub fn new(reader: R, name: &str) -> Self {
        JsonlReader {
            reader,
            name: name.to_string(),
            line: 0,
            documents: 0,
            ahead: std::collections::VecDeque::new(),
            read_ahead: None,
            spare: Vec::new(),
            ended: false,
        }
    }

    /// Reads the first document ahead, so that a file without one fails
    /// now. Lines are read one at a time until then: a file that is opened
    /// only to be checked is not read further.
    fn peek(&mut self) -> Result<(), InputError> {
        while self.ahead.is_empty() && !self.ended {
            self.read_batch(1);
        }
        match self.ahead.pop_front() {
            Some(Err(e)) => Err(e),
            Some(first) => {
                self.ahead.push_front(first);
                Ok(())
            }
            None => Err(InputError::file(
                &self.name,
                "no documents (the file is empty)",
            )),
        }
    }

    fn next_document(&mut self) -> Result<Option<Document>, InputError> {
        Ok(self.next_with_length()?.map(|(d, _)| d))
    }

    fn next_with_length(&mut self) -> Result<Option<(Document, usize)>, InputError> {
        while self.ahead.is_empty() && !self.ended {
            self.read_batch(BATCH_BYTES);
        }
        match self.ahead.pop_front() {
            Some(Ok(d)) => {
                self.documents += 1;
                Ok(Some(d))
            }
            Some(Err(e)) => Err(e),
            None if self.documents == 0 => Err(InputError::file(
                &self.name,
                "no documents (the file is empty)",
            )),
            None => Ok(None),
        }
    }

    /// Parses the next batch of lines (read now, or ahead by the call
    /// before) and queues what they hold. A batch of `BATCH_BYTES` is
    /// parsed on the rayon pool while the one after it is read.
    fn read_batch(&mut self, bytes: usize) {
        let raw = match self.read_ahead.take() {
            Some(raw) => raw,
            None => RawLines::read(
                &mut self.reader,
                &self.name,
                &mut self.line,
                bytes,
                Vec::new(),
            ),
        };
        let parsed = if raw.lines.len() >= PARALLEL_LINES && raw.failed.is_none() && !raw.ended {
            let spare = std::mem::take(&mut self.spare);
            let (reader, line, name) = (&mut self.reader, &mut self.line, self.name.as_str());
            let (parsed, next) = rayon::join(
                || raw.parse(name, true),
                || RawLines::read(reader, name, line, bytes, spare),
            );
            self.read_ahead = Some(next);
            parsed
        } else {
            raw.parse(&self.name, raw.lines.len() >= PARALLEL_LINES)
        };
        self.ahead.extend(parsed);
        self.ended = raw.ended;
        self.ahead.extend(raw.failed.map(Err));
        self.spare = raw.buf;
    }
}

/// Lines of a JSON Lines stream read together, not yet parsed.
struct RawLines {
    /// The lines, back to back.
    buf: Vec<u8>,
    /// Each line's number, its place in `buf` and its length as read.
    lines: Vec<(usize, std::ops::Range<usize>, usize)>,
    /// The error of a line that could not be read; nothing is read past it.
    failed: Option<InputError>,
    /// The stream ended with these lines (or with the failed one).
    ended: bool,
}

impl RawLines {
    /// Reads lines from `reader` (named `name`) into `buf` (emptied
    /// first) until they hold `bytes` or the stream ends; `line` counts the
    /// lines read.
    fn read<R: std::io::BufRead>(
        reader: &mut R,
        name: &str,
        line: &mut usize,
        bytes: usize,
        mut buf: Vec<u8>,
    ) -> RawLines {
        use std::io::BufRead;
        if buf.capacity() > 1 << 24 {
            // Do not keep a huge line's buffer for the rest of the file.
            buf = Vec::new();
        }
        buf.clear();
        let mut raw = RawLines {
            buf,
            lines: Vec::new(),
            failed: None,
            ended: false,
        };
        while raw.buf.len() < bytes {
            let start = raw.buf.len();
            let read = reader
                .take(MAX_LINE_BYTES as u64 + 1)
                .read_until(b'\n', &mut raw.buf);
            match read {
                Ok(0) => {
                    raw.ended = true;
                    break;
                }
                Ok(n) => {
                    *line += 1;
                    let end = raw.buf.len() - usize::from(raw.buf.ends_with(b"\n"));
                    raw.lines.push((*line, start..end, n));
                }
                Err(e) => {
                    raw.failed = Some(InputError::Line {
                        path: name.to_string(),
                        line: *line + 1,
                        message: format!("cannot read: {e}"),
                    });
                    raw.ended = true;
                    break;
                }
            }
        }
        raw
    }

    /// What each line holds, in order: its document with its length, or
    /// its error; blank lines hold nothing.
    fn parse(&self, name: &str, parallel: bool) -> Vec<Result<(Document, usize), InputError>> {
        let parse = |(no, at, n): &(usize, std::ops::Range<usize>, usize)| {
            parse_json_line(name, *no, &self.buf[at.clone()]).map(|d| d.map(|d| (d, *n)))
        };
        let parsed: Vec<Result<Option<(Document, usize)>, InputError>> = if parallel {
            self.lines.par_iter().map(parse).collect()
        } else {
            self.lines.iter().map(parse).collect()
        };
        parsed.into_iter().filter_map(Result::transpose).collect()
    }
}

impl<R: std::io::BufRead + Send> Iterator for JsonlReader<R> {
    type Item = Result<(Document, usize), InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_with_length().transpose()
    }
}

fn is_jsonl_path(path: &str) -> bool {
    path.ends_with(".jsonl") || path.ends_with(".ndjson")
}

fn too_large(name: &str) -> InputError {
    InputError::file(
        name,
        format!(
            "larger than the {} MiB document limit",
            MAX_DOCUMENT_BYTES >> 20
        ),
    )
}

/// Whether stdin holds JSON Lines: its first character, after a byte-order
/// mark and white space, is `{`.
fn starts_like_json(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(bytes);
    bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => format!("cannot read: {e}"),
    }
}

fn check_text(name: &str, text: &str) -> Result<(), InputError> {
    if text.trim().is_empty() {
        return Err(InputError::file(name, "empty document (no text to read)"));
    }
    if text.contains('\0') {
        return Err(InputError::file(
            name,
            "contains NUL bytes: not a text document",
        ));
    }
    Ok(())
}

/// The UTF-8 byte-order mark, dropped from the start of an input.
const BOM: char = '\u{FEFF}';

/// A serde_json message without its "at line 1 column N" suffix (each JSON
/// Lines record is one line, so the line number is the file's, given by the
/// caller), keeping the column when there is one.
fn json_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let text = match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    };
    if e.column() > 0 {
        format!("{text} (column {})", e.column())
    } else {
        text
    }
}

/// Parses JSON Lines `bytes` read from `name` (used in messages) into
/// documents, with the same checks as [`read_documents`] on a `.jsonl` file.
pub fn parse_jsonl(name: &str, bytes: &[u8]) -> Result<Vec<Document>, InputError> {
    read_jsonl(name, bytes)
}

fn read_jsonl(name: &str, bytes: &[u8]) -> Result<Vec<Document>, InputError> {
    let mut out = Vec::new();
    for (n, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if let Some(d) = parse_json_line(name, n + 1, line)? {
            out.push(d);
        }
    }
    if out.is_empty() {
        return Err(InputError::file(name, "no documents (the file is empty)"));
    }
    Ok(out)
}

/// One line of a JSON Lines file (`line_no` counts from 1): the document it
/// holds, `None` for a blank line, or an error naming file and line. The
/// one reader of JSON lines: `ingest` and `gainsay bench` both use it.
pub fn parse_json_line(
    name: &str,
    line_no: usize,
    line: &[u8],
) -> Result<Option<Document>, InputError> {
    let err = |message: String| InputError::Line {
        path: name.to_string(),
        line: line_no,
        message,
    };
    if line.len() > MAX_LINE_BYTES {
        return Err(err(format!(
            "line longer than the {} MiB limit (is this JSON Lines?)",
            MAX_LINE_BYTES >> 20
        )));
    }
    let line = std::str::from_utf8(line).map_err(|e| {
        err(format!(
            "not valid UTF-8 (at byte {} of the line)",
            e.valid_up_to() + 1
        ))
    })?;
    // A byte-order mark some editors write at the start of the file.
    let line = if line_no == 1 {
        line.strip_prefix(BOM).unwrap_or(line)
    } else {
        line
    };
    let line = line.trim();
    if line.is_empty() {
        return Ok(None);
    }
    // An object is read straight into the fields (a derived struct would
    // also take an array, field by field: hence the brace). A line that
    // fails is read again through a generic value, whose errors say what
    // is wrong, and which keeps the last of repeated keys.
    let direct = match line.starts_with('{') {
        true => serde_json::from_str::<JsonDocument>(line).ok(),
        false => None,
    };
    let d = match direct {
        Some(d) => d,
        None => {
            let value: serde_json::Value = serde_json::from_str(line)
                .map_err(|e| err(format!("malformed JSON line: {}", json_message(&e))))?;
            if !value.is_object() {
                return Err(err(
                    "malformed JSON line: expected an object {\"id\": ..., \"text\": ...}".into(),
                ));
            }
            serde_json::from_value::<JsonDocument>(value)
                .map_err(|e| err(format!("malformed JSON line: {}", json_message(&e))))?
        }
    };
    let id = match d.id {
        serde_json::Value::String(s) if !s.trim().is_empty() => s,
        serde_json::Value::Number(n) => n.to_string(),
        _ => return Err(err("'id' must be a non-empty string or a number".into())),
    };
    if d.text.trim().is_empty() {
        return Err(err(format!("document '{id}' has an empty 'text'")));
    }
    if d.text.len() > MAX_DOCUMENT_BYTES {
        return Err(err(format!(
            "document '{id}' is larger than the {} MiB limit",
            MAX_DOCUMENT_BYTES >> 20
        )));
    }
    // NUL in any field would be stored and cut short by C-string readers.
    let fields = [
        ("text", Some(&d.text)),
        ("id", Some(&id)),
        ("title", d.title.as_ref()),
        ("outlet", d.outlet.as_ref()),
        ("url", d.url.as_ref()),
        ("published", d.published.as_ref()),
    ];
    for (field, value) in fields {
        if value.is_some_and(|v| v.contains('\0')) {
            return Err(err(format!(
                "document '{}' contains NUL characters in '{field}'",
                id.replace('\0', "\\0")
            )));
        }
    }
    Ok(Some(Document {
        key: id,
        title: d.title,
        outlet: d.outlet,
        url: d.url,
        published: d.published,
        text: d.text,
    }))
}

/// A text document: title from a headline-like first line, date and outlet
/// from a `outlet-name-YYYY-MM-DD-slug` file name.
pub fn document_from_text(key: &str, text: String) -> Document {
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    let first = first.trim_start_matches('#').trim();
    let headline =
        !first.is_empty() && first.len() <= 160 && !first.ends_with(['.', ',', ';', ':']);
    let title = headline.then(|| first.to_string());
    let stem = Path::new(key)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (outlet, published) = outlet_and_date(&stem);
    Document {
        key: key.to_string(),
        title,
        outlet,
        url: None,
        published,
        text,
    }
}

fn outlet_and_date(stem: &str) -> (Option<String>, Option<String>) {
    let b = stem.as_bytes();
    for i in 0..b.len().saturating_sub(9) {
        let candidate = &stem[i..i + 10];
        let looks = candidate.bytes().enumerate().all(|(k, c)| {
            if k == 4 || k == 7 {
                c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
        if looks && chrono::NaiveDate::parse_from_str(candidate, "%Y-%m-%d").is_ok() {
            let prefix = stem[..i].trim_end_matches(['-', '_']);
            let outlet = (!prefix.is_empty()).then(|| {
                prefix
                    .split(['-', '_'])
                    .filter(|w| !w.is_empty())
                    .map(|w| {
                        let mut c = w.chars();
                        c.next()
                            .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                            .unwrap_or_default()
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            });
            return (outlet, Some(candidate.to_string()));
        }
    }
    (None, None)
}

/// What happened to one document of a batch.
#[derive(Debug, Clone, PartialEq)]
pub enum DocumentOutcome {
    Added { key: String, claims: usize },
    AlreadyStored { key: String, stored_as: String },
}

/// Documents whose outcomes an ingest lists one by one, at most. Past
/// them it only counts, so that memory does not grow with the input: a
/// listed outcome holds a key or two, some 120 bytes a document, which
/// for a gigabyte of short documents came to hundreds of megabytes.
pub const LISTED_DOCUMENTS: usize = 10_000;

/// What an ingest did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IngestSummary {
    /// The outcomes of the first [`LISTED_DOCUMENTS`] documents, in the
    /// order they were stored.
    pub documents: Vec<DocumentOutcome>,
    /// Documents whose claims were stored, listed or not.
    pub documents_added: usize,
    /// Documents found already stored, listed or not.
    pub documents_already_stored: usize,
    pub claims: usize,
    /// Candidate pairs the matcher compared.
    pub pairs_considered: usize,
    pub pairs_new: usize,
    pub pairs_updated: usize,
    pub pairs_suppressed: usize,
}

impl IngestSummary {
    /// Counts a document's outcome, and lists it while fewer than
    /// [`LISTED_DOCUMENTS`] are.
    pub fn record(&mut self, outcome: DocumentOutcome) {
        match outcome {
            DocumentOutcome::Added { .. } => self.documents_added += 1,
            DocumentOutcome::AlreadyStored { .. } => self.documents_already_stored += 1,
        }
        if self.documents.len() < LISTED_DOCUMENTS {
            self.documents.push(outcome);
        }
    }

    /// Documents read, listed or not.
    pub fn document_count(&self) -> usize {
        self.documents_added + self.documents_already_stored
    }
}

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Extracts, stores and matches a batch of documents in one transaction.
/// `claims_for` lets a caller supply claims (for standalone statements);
/// by default they are extracted.
pub fn ingest(
    store: &mut Store,
    rules: &Rules,
    docs: Vec<(Document, Option<Vec<ClaimRecord>>)>,
) -> Result<IngestSummary, IngestError> {
    let mut run = Ingest::begin(store, rules)?;
    run.add(docs)?;
    run.commit()
}

/// Documents of a streamed ingest handed to extraction and matching at a
/// time, at most: what [`ingest_inputs`] holds in memory.
pub const CHUNK_DOCUMENTS: usize = 32768;

/// Bytes of document text per chunk, at most (a chunk always takes at least
/// one document).
pub const CHUNK_BYTES: usize = 32 << 20;

/// Ingests everything `inputs` yields in one transaction, a chunk at a
/// time, so that memory follows the chunk and not the input. An input error
/// anywhere (a bad line at the end of a large file) rolls everything back.
pub fn ingest_inputs(
    store: &mut Store,
    rules: &Rules,
    inputs: &mut Inputs,
) -> Result<IngestSummary, IngestError> {
    let mut run = Ingest::begin(store, rules)?;
    loop {
        let chunk = inputs.chunk(CHUNK_DOCUMENTS, CHUNK_BYTES)?;
        if chunk.is_empty() {
            break;
        }
        run.add(chunk.into_iter().map(|d| (d, None)).collect())?;
    }
    run.commit()
}

/// Stored claims kept read and framed while a chunk is matched, at most
/// (more only when one group of new claims needs more).
const STORED_CACHE: usize = 16 * 1024;

/// A document, its claims with their frames, each claim's terms, and
/// each claim's blocking keys ([`blocking_keys`]).
type Extracted = (
    Document,
    Vec<Box<ClaimRecord>>,
    Vec<Box<Frame>>,
    Vec<Vec<Key>>,
    Vec<BlockingKeys>,
);

/// A claim's blocking keys: those used alone, and those a common one is
/// combined with.
type BlockingKeys = (Vec<String>, Vec<String>);

/// Bytes of document text extracted while the part before is stored, about.
/// Small enough that the last part, stored while the pool has nothing left
/// to extract, is short.
const PART_BYTES: usize = 1 << 18;

/// Parts being extracted while one is stored, at most: with one, the pool
/// idled whenever it finished a part before this thread had stored the one
/// before. With the pool's threads nicer than this one (`main.rs`), the
/// pool works when this thread does not need the core, and is given more
/// parts ahead so that it does not run out (with two, its threads ran out
/// of work some 140 times in a Reuters ingest).
const PARTS_AHEAD: usize = 6;

/// New claims whose stored candidates are read together, in row order.
const MATCH_GROUP: usize = 1024;

/// One ingest run: a write transaction that documents are added to in
/// chunks, then committed. Dropping it unfinished stores nothing.
///
/// Each chunk's new claims are matched with one another in memory, and with
/// the claims stored before the chunk (earlier runs and earlier chunks of
/// this one) through the store's inverted index, reading each stored
/// candidate once per chunk.
pub struct Ingest<'s, 'r> {
    batch: Batch<'s>,
    extractor: Extractor<'r>,
    matcher: Matcher<'r>,
    summary: IngestSummary,
}

/// A claim of the chunk being matched, with its frame and row id.
/// Boxed: the chunk's claims are gathered by part and then joined (below),
/// and a box moves as a pointer where a claim with its frame is some 700
/// bytes.
struct NewClaim {
    claim: Box<ClaimRecord>,
    frame: Box<Frame>,
    rowid: i64,
}

impl Claims for [NewClaim] {
    fn count(&self) -> usize {
        self.len()
    }
    fn get(&self, i: usize) -> Option<std::borrow::Cow<'_, ClaimRecord>> {
        <[NewClaim]>::get(self, i).map(|c| std::borrow::Cow::Borrowed(&*c.claim))
    }
    fn frame(&self, i: usize) -> Option<&Frame> {
        <[NewClaim]>::get(self, i).map(|c| &*c.frame)
    }
}

impl<'s, 'r> Ingest<'s, 'r> {
    /// Starts the write transaction.
    pub fn begin(store: &'s mut Store, rules: &'r Rules) -> Result<Self, IngestError> {
        Ok(Ingest {
            batch: store.begin()?,
            extractor: Extractor::new(rules),
            matcher: Matcher::new(rules),
            summary: IngestSummary::default(),
        })
    }

    /// Extracts (unless claims are given), stores and matches a chunk.
    pub fn add(
        &mut self,
        docs: Vec<(Document, Option<Vec<ClaimRecord>>)>,
    ) -> Result<(), IngestError> {
        // Oldest first, so that claim ids follow publication and the earlier
        // claim of a pair is its side a (within a chunk, when streaming).
        let mut docs = docs;
        docs.sort_by(|(a, _), (b, _)| {
            a.published
                .is_none()
                .cmp(&b.published.is_none())
                .then_with(|| a.published.cmp(&b.published))
        });
        // Extraction, framing and blocking terms run in parallel, a part at
        // a time; results keep input order. While this thread stores one
        // part in SQLite, the next is extracted on the pool.
        let mut parts: Vec<Vec<(Document, Option<Vec<ClaimRecord>>)>> = Vec::new();
        let mut bytes = usize::MAX;
        for d in docs {
            if bytes >= PART_BYTES {
                parts.push(Vec::new());
                bytes = 0;
            }
            bytes += d.0.text.len();
            parts.last_mut().expect("a part was pushed").push(d);
        }
        // Blocking keys look up stored claims only (the chunk's own claims
        // meet in memory): with none stored before the chunk, as in a new
        // store's first, they are not made, and each claim's are empty.
        let stored_before = self.batch.term_count("")? > 0;
        let Ingest {
            batch,
            extractor,
            matcher,
            summary,
        } = self;
        let (extractor, matcher) = (&*extractor, &*matcher);
        let extract = move |part: Vec<(Document, Option<Vec<ClaimRecord>>)>| -> Vec<Extracted> {
            part.into_par_iter()
                .map(|(d, given)| {
                    let claims = given.unwrap_or_else(|| extractor.extract(&d));
                    let frames: Vec<Box<Frame>> =
                        claims.iter().map(|c| Box::new(matcher.frame(c))).collect();
                    let terms = frames.iter().map(|f| stored_terms(f)).collect();
                    let keys = if stored_before {
                        frames.iter().map(|f| blocking_keys(f)).collect()
                    } else {
                        vec![BlockingKeys::default(); frames.len()]
                    };
                    // Boxed here, on the pool, rather than by the thread
                    // that stores them: their first touch of fresh memory
                    // then costs that thread nothing.
                    let claims = claims.into_iter().map(Box::new).collect();
                    (d, claims, frames, terms, keys)
                })
                .collect()
        };
        // Each part's claims are kept apart and joined once their number is
        // known, rather than copied at each doubling of one vector.
        let mut new_parts: Vec<Vec<NewClaim>> = Vec::new();
        let mut keys: Vec<BlockingKeys> = Vec::new();
        // The parts' claims are filed under their terms once, at the end:
        // a term met in every part is then looked up and written once.
        let mut filing = Filing::default();
        std::thread::scope(|scope| -> Result<(), IngestError> {
            let mut parts = parts.into_iter();
            let mut pending = std::collections::VecDeque::with_capacity(PARTS_AHEAD);
            loop {
                while pending.len() < PARTS_AHEAD {
                    let Some(p) = parts.next() else { break };
                    pending.push_back(scope.spawn(move || extract(p)));
                }
                let Some(next) = pending.pop_front() else {
                    break;
                };
                let done = next
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                // The pool always has a part to extract while this one is
                // stored.
                if let Some(p) = parts.next() {
                    pending.push_back(scope.spawn(move || extract(p)));
                }
                let mut part = Vec::new();
                Self::store_part(batch, summary, done, &mut part, &mut keys, &mut filing)?;
                new_parts.push(part);
            }
            Ok(())
        })?;
        let mut new = Vec::with_capacity(new_parts.iter().map(Vec::len).sum());
        for part in new_parts {
            new.extend(part);
        }
        // While this thread files the claims, another interns the chunk's
        // frames for matching it in memory and lists the terms whose counts
        // matching needs, each once; filing counts most of them, the rest
        // are read after.
        let batch = &self.batch;
        let (filed, framed) = std::thread::scope(|scope| {
            let framing = scope.spawn(|| {
                let frames =
                    FrameStore::from_frames(new.iter().map(|c| (&*c.frame, c.claim.doc.as_str())));
                let mut seen: FxHashSet<&str> = FxHashSet::default();
                let wanted: Vec<&str> = matching_terms(&keys).filter(|t| seen.insert(t)).collect();
                (frames, wanted)
            });
            let mut totals: FxHashMap<String, usize> = FxHashMap::default();
            let filed = batch
                .file(filing, &mut totals)
                .and_then(|()| {
                    // Interning takes longer: what the commit would write
                    // is written meanwhile.
                    batch.write_out()
                })
                .map(|()| TermCounts {
                    counts: totals,
                    filed: new.len(),
                });
            (filed, framing.join())
        });
        let (frames, wanted) = framed.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let mut counts = filed?;
        counts.prefill(batch, wanted.into_iter())?;
        let matched = self.match_chunk(&new, &mut keys, counts, frames);
        // Freeing the chunk's claims, frames and keys is a twentieth of an
        // ingest's instructions.
        drop_meanwhile((new, keys));
        matched
    }

    /// Stores a part's documents and the claims of those not stored
    /// before, adds the claims to `new` with their frames and row ids and
    /// their blocking keys to `keys`, and their postings to `filing`.
    fn store_part(
        batch: &Batch<'_>,
        summary: &mut IngestSummary,
        extracted: Vec<Extracted>,
        new: &mut Vec<NewClaim>,
        keys: &mut Vec<BlockingKeys>,
        filing: &mut Filing,
    ) -> Result<(), IngestError> {
        let mut kept = Vec::new();
        for (doc, claims, frames, terms, doc_keys) in extracted {
            match batch.add_document(&doc)? {
                DocumentAdded::AlreadyStored { key } => {
                    summary.record(DocumentOutcome::AlreadyStored {
                        key: doc.key,
                        stored_as: key,
                    })
                }
                DocumentAdded::New { id } => {
                    summary.claims += claims.len();
                    summary.record(DocumentOutcome::Added {
                        key: doc.key,
                        claims: claims.len(),
                    });
                    kept.push((id, claims, frames, terms, doc_keys));
                }
            }
        }
        let mut writes: Vec<DocumentClaims<'_, Box<ClaimRecord>, Key>> = kept
            .iter_mut()
            .map(|(id, claims, _, terms, _)| (*id, claims.as_mut_slice(), terms.as_slice()))
            .collect();
        batch.insert_claims(&mut writes, filing)?;
        drop(writes);
        let count: usize = kept.iter().map(|(_, claims, ..)| claims.len()).sum();
        new.reserve(count);
        keys.reserve(count);
        for (_, claims, frames, _, claim_keys) in kept {
            for ((claim, frame), k) in claims.into_iter().zip(frames).zip(claim_keys) {
                let rowid = claim_order(&claim) as i64;
                new.push(NewClaim {
                    claim,
                    frame,
                    rowid,
                });
                keys.push(k);
            }
        }
        Ok(())
    }

    /// Matches the chunk's new claims (row ids ascending, all above those
    /// stored before) with each other and with the stored claims; `keys`
    /// are their blocking keys, `counts` holds the store's counts of the
    /// terms [`matching_terms`] lists, and `frames` are the claims' frames
    /// interned.
    ///
    /// With each other in memory, through the blocking index the bench
    /// measures ([`crate::blocking`]: the same pairs as brute force), with
    /// the rarity rule counted over the whole store. With stored claims
    /// through SQLite: what the store must answer is asked in term order (posting-list
    /// lengths, the posting lists of keys used alone, the conjunctions of
    /// common keys) and stored claims are read in row order, a group of new
    /// claims at a time: pages are then read once each, not at random.
    fn match_chunk(
        &mut self,
        new: &[NewClaim],
        keys: &mut [BlockingKeys],
        mut counts: TermCounts,
        mut frames: FrameStore,
    ) -> Result<(), IngestError> {
        let Some(first) = new.first() else {
            return Ok(());
        };
        let below = first.rowid;
        let batch = &self.batch;
        let matcher = &self.matcher;
        let summary = &mut self.summary;
        let claims = counts.get(batch, "")?;
        let any_stored = claims > new.len();
        // The keys look up stored claims only (the chunk's own meet through
        // the in-memory index below).
        if any_stored && rarity::applies(false, claims) {
            // Every stored claim is of another document, so the rarity rule
            // applies to every pair with one: whatever the kind, the two
            // share a content participant at least this rare. A common key
            // is combined only with such participants, whose posting lists
            // are short, instead of walking two long lists.
            let least = rarity::CROSS_DOCUMENT_RARITY.min(rarity::NUMBER_RARITY) - 1e-9;
            for (_, with) in keys.iter_mut() {
                with.retain(|p| {
                    rarity::is_content(p)
                        && counts
                            .cached(p)
                            .is_some_and(|df| rarity::rarity(df, claims) >= least)
                });
            }
        }
        // The store's posting lists and conjunctions below the chunk.
        let mut alone: FxHashMap<&str, Vec<i64>> = FxHashMap::default();
        let mut both: FxHashMap<(&str, &str), Vec<i64>> = FxHashMap::default();
        if any_stored {
            let mut singles: Vec<&str> = Vec::new();
            let mut pairs: Vec<(&str, &str)> = Vec::new();
            for (keys, with) in keys.iter() {
                for key in keys {
                    let n = counts.get(batch, key)?;
                    if n <= COMMON_KEY {
                        singles.push(key);
                        continue;
                    }
                    for other in with {
                        // Walk the shorter posting list, probe the other.
                        if counts.get(batch, other)? < n {
                            pairs.push((other, key));
                        } else {
                            pairs.push((key, other));
                        }
                    }
                }
            }
            singles.sort_unstable();
            singles.dedup();
            for key in singles {
                alone.insert(key, batch.postings(key, below)?);
            }
            // By the probed (longer) list: one whose runs the walked lists
            // would mostly visit anyway is read whole, once, rather than
            // sought for each walked claim. Walked lists are kept while
            // short: a rare word is walked against several common keys.
            pairs.sort_unstable_by(|a, b| (a.1, a.0).cmp(&(b.1, b.0)));
            pairs.dedup();
            let mut walks: FxHashMap<&str, Vec<i64>> = FxHashMap::default();
            for group in pairs.chunk_by(|a, b| a.1 == b.1) {
                let probe = group[0].1;
                let mut walked = 0;
                for &(walk, _) in group {
                    walked += match walks.get(walk) {
                        Some(ids) => ids.len(),
                        None => counts.get(batch, walk)?,
                    };
                }
                let whole = walked >= counts.get(batch, probe)?.div_ceil(RUN_CLAIMS);
                let probed = if whole {
                    Some(batch.postings(probe, below)?)
                } else {
                    None
                };
                for &(walk, _) in group {
                    let read;
                    let ids = match walks.get(walk) {
                        Some(ids) => ids,
                        None => {
                            read = batch.postings(walk, below)?;
                            if read.len() <= KEPT_WALK {
                                walks.insert(walk, read.clone());
                            }
                            &read
                        }
                    };
                    let under = match &probed {
                        Some(list) => ids
                            .iter()
                            .copied()
                            .filter(|id| list.binary_search(id).is_ok())
                            .collect(),
                        None => batch.filed_under(ids, probe)?,
                    };
                    both.insert((walk, probe), under);
                }
            }
        }
        // The chunk's claims with each other, in memory: the blocking index
        // of `crate::blocking`, the rarity rule counted over the store.
        for term in frames.filed_terms() {
            counts.get(batch, term)?;
        }
        frames.count_over(claims, |term| counts.cached(term).unwrap_or(0));
        let index = BlockIndex::build(&frames);
        // The pairs are kept with the evidence made when they were judged.
        let found = blocking::match_blocked_with_evidence(matcher, new, &frames, &index);
        summary.pairs_considered += found.considered as usize;
        let mut pairs: Vec<(FoundPair, Evidence)> =
            found.pairs.into_iter().zip(found.evidence).collect();
        // In claim order of side a, then b: the order the pairs are numbered in.
        pairs.sort_by_key(|(p, _)| (p.a, p.b));
        // Both claims are new: no pair of them is stored yet.
        let rows: Vec<NewPair<'_>> = pairs
            .iter()
            .map(|(fp, evidence)| NewPair {
                a: new[fp.a as usize].rowid,
                b: new[fp.b as usize].rowid,
                kind: fp.kind,
                score: fp.score,
                evidence,
            })
            .collect();
        batch.insert_new_pairs(&rows)?;
        summary.pairs_new += rows.len();
        drop(rows);
        drop(pairs);
        drop_meanwhile((frames, index));
        if !any_stored {
            return Ok(());
        }
        let mut rarity = Rarity::new(claims);
        let profiles = new
            .iter()
            .map(|c| rarity.profile(batch, &mut counts, &c.frame))
            .collect::<Result<Vec<_>, _>>()?;
        // Stored claims read so far, with frame and profile.
        type Read = Option<(ClaimRecord, Frame, Vec<(u32, f64)>)>;
        let mut stored: FxHashMap<i64, Read> = FxHashMap::default();
        // Stored claims' document keys and known terms, for pruning.
        type Sketch = Option<(String, Vec<(u32, f64)>)>;
        let mut sketches: FxHashMap<i64, Sketch> = FxHashMap::default();
        for group in (0..new.len()).collect::<Vec<_>>().chunks(MATCH_GROUP) {
            // Candidates of each claim of the group: the same keys over the
            // chunk and over the store.
            let mut candidates: Vec<Vec<i64>> = Vec::with_capacity(group.len());
            for &i in group {
                let (singles, with) = &keys[i];
                let mut ids: Vec<i64> = Vec::new();
                for key in singles {
                    let n = counts.get(batch, key)?;
                    let common = n > COMMON_KEY;
                    if !common {
                        ids.extend(alone.get(key.as_str()).into_iter().flatten());
                        continue;
                    }
                    for other in with {
                        let pair = if counts.get(batch, other)? < n {
                            (other.as_str(), key.as_str())
                        } else {
                            (key.as_str(), other.as_str())
                        };
                        ids.extend(both.get(&pair).into_iter().flatten());
                    }
                }
                ids.sort_unstable();
                ids.dedup();
                candidates.push(ids);
            }
            // Across documents, claims pair only through shared words rare
            // enough (below); the terms a stored claim is filed under include
            // every word it could share, so one that cannot pass is dropped
            // before it is read and framed.
            if any_stored && rarity.informative() {
                let mut ask: Vec<i64> = candidates
                    .iter()
                    .flat_map(|ids| ids.iter().copied())
                    .filter(|&id| id < below && !stored.contains_key(&id))
                    .filter(|id| !sketches.contains_key(id))
                    .collect();
                ask.sort_unstable();
                ask.dedup();
                if sketches.len() + ask.len() > 4 * STORED_CACHE {
                    sketches.clear();
                }
                batch.claims_terms(&ask, |id, key, terms| {
                    let mut known: Vec<(u32, f64)> =
                        terms.iter().filter_map(|t| rarity.known(t)).collect();
                    known.sort_unstable_by_key(|&(id, _)| id);
                    sketches.insert(id, Some((key.to_string(), known)));
                })?;
                for id in ask {
                    // Not stored (any more): not asked about again.
                    sketches.entry(id).or_insert(None);
                }
                for (&i, ids) in group.iter().zip(candidates.iter_mut()) {
                    let c = &new[i];
                    let figures = !c.frame.numbers.is_empty() || !c.frame.dates.is_empty();
                    ids.retain(|id| match sketches.get(id) {
                        Some(Some((key, terms))) => {
                            *key == c.claim.doc || Rarity::may_pass(&profiles[i], terms, figures)
                        }
                        _ => true,
                    });
                }
            }
            // The stored candidates of the group, read in row order.
            let mut needed: Vec<i64> = candidates
                .iter()
                .flatten()
                .copied()
                .filter(|&id| id < below)
                .collect();
            needed.sort_unstable();
            needed.dedup();
            if stored.len() + needed.len() > STORED_CACHE {
                // Keep memory to the group's, whatever the store's size.
                stored.retain(|id, _| needed.binary_search(id).is_ok());
            }
            for &id in &needed {
                if let Entry::Vacant(e) = stored.entry(id) {
                    let read = match batch.claim_by_rowid(id)? {
                        Some(o) => {
                            let f = matcher.frame(&o);
                            let p = rarity.profile(batch, &mut counts, &f)?;
                            Some((o, f, p))
                        }
                        None => None,
                    };
                    e.insert(read);
                }
            }
            for (&i, ids) in group.iter().zip(&candidates) {
                let (c, profile) = (&new[i], &profiles[i]);
                for &other_id in ids {
                    if other_id == c.rowid {
                        continue;
                    }
                    let Some(Some((other, fo, po))) = stored.get(&other_id) else {
                        continue;
                    };
                    summary.pairs_considered += 1;
                    // The stored claim is the earlier one: side a (the
                    // claim being opposed).
                    let ((a, fa), (b, fb)) = ((other, fo), (&c.claim, &c.frame));
                    // Across documents, claims must share something rare:
                    // words every other story uses ("people", "issue",
                    // "rise") do not make two stories one, nor do figures
                    // that are not about the same named thing.
                    let cross = a.doc != b.doc && rarity.informative();
                    if cross {
                        // Spare the comparison when no kind could pass: a
                        // number or date conflict needs figures or dates on
                        // both sides and shared words of some weight, every
                        // other kind the higher bar.
                        let Some((rarest, sum)) = Rarity::shared(profile, po) else {
                            continue;
                        };
                        let figures = !fa.numbers.is_empty() && !fb.numbers.is_empty()
                            || !fa.dates.is_empty() && !fb.dates.is_empty();
                        let may = figures && sum >= 1.0 || rarity::rare_for_a_story(rarest, sum);
                        if !may {
                            continue;
                        }
                    }
                    let Some(p) = matcher.pair(a, fa, b, fb) else {
                        continue;
                    };
                    if p.score < MIN_SCORE {
                        continue;
                    }
                    if cross && !rarity::admits(p.kind, fa, fb, claims, |t| counts.get(batch, t))? {
                        continue;
                    }
                    // Claim b is new: no pair of it is stored yet.
                    batch.insert_new_pair(other_id, c.rowid, p.kind, p.score, &p.evidence)?;
                    summary.pairs_new += 1;
                }
            }
        }
        Ok(())
    }

    /// Makes the run's writes permanent and says what it did.
    pub fn commit(self) -> Result<IngestSummary, IngestError> {
        self.batch.commit()?;
        Ok(self.summary)
    }
}

/// Frees `value` on a thread of its own, as nothing waits for it. Should
/// no thread be had, it is freed here.
fn drop_meanwhile<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}

/// The terms whose counts matching a chunk asks for: the number of claims
/// (the empty term) and the chunk's blocking keys, participants among them
/// (a claim's `with` keys are its frame's participants).
fn matching_terms(keys: &[BlockingKeys]) -> impl Iterator<Item = &str> {
    let each = keys
        .iter()
        .flat_map(|(singles, with)| singles.iter().chain(with).map(String::as_str));
    std::iter::once("").chain(each)
}

/// Posting-list lengths, read from the store once per chunk (those of the
/// chunk's own terms come from filing them).
struct TermCounts {
    counts: FxHashMap<String, usize>,
    /// The claims filing counted, this chunk's.
    filed: usize,
}

impl TermCounts {
    /// Reads the counts of `terms` not known yet, in one statement and in
    /// term order (the table's order). Most are known: filing counted the
    /// chunk's terms.
    fn prefill<'t>(
        &mut self,
        batch: &Batch<'_>,
        terms: impl Iterator<Item = &'t str>,
    ) -> Result<(), StoreError> {
        let mut missing: Vec<&str> = Vec::new();
        for t in terms {
            if !self.counts.contains_key(t) {
                // None unless the store files claims under it (below); a
                // term listed again is then known.
                self.counts.insert(t.to_string(), 0);
                missing.push(t);
            }
        }
        // When every claim of the store is one filing counted (a new
        // store's first chunk), a term it did not count has none.
        let claims = self.counts.get("").copied();
        if missing.is_empty() || claims == Some(self.filed) {
            return Ok(());
        }
        missing.sort_unstable();
        batch.term_counts(&missing, &mut self.counts)
    }

    /// A count read before.
    fn cached(&self, term: &str) -> Option<usize> {
        self.counts.get(term).copied()
    }

    fn get(&mut self, batch: &Batch<'_>, term: &str) -> Result<usize, StoreError> {
        if let Some(&n) = self.counts.get(term) {
            return Ok(n);
        }
        let n = batch.term_count(term)?;
        self.counts.insert(term.to_string(), n);
        Ok(n)
    }
}

use crate::rarity::{self, MIN_CLAIMS_FOR_RARITY};

/// Rarity of terms in the store: ln(N / df) / ln(N), over the claims stored
/// when a chunk is matched.
struct Rarity {
    claims: usize,
    /// Term ids and rarities of the content participants met so far.
    terms: FxHashMap<String, (u32, f64)>,
}

impl Rarity {
    fn new(claims: usize) -> Rarity {
        Rarity {
            claims,
            terms: FxHashMap::default(),
        }
    }

    /// Rarity means something only over a corpus: a store of a few
    /// hundred claims or more.
    fn informative(&self) -> bool {
        self.claims >= MIN_CLAIMS_FOR_RARITY
    }

    /// A frame's content participants (figures and groups say little about
    /// the story) as (term id, rarity), ascending by id.
    fn profile(
        &mut self,
        batch: &Batch<'_>,
        counts: &mut TermCounts,
        f: &Frame,
    ) -> Result<Vec<(u32, f64)>, StoreError> {
        let mut out = Vec::new();
        for term in f.participants.iter().filter(|t| rarity::is_content(t)) {
            let entry = match self.terms.get(&**term) {
                Some(&e) => e,
                None => {
                    let df = counts.get(batch, term)?;
                    let e = (self.terms.len() as u32, rarity::rarity(df, self.claims));
                    self.terms.insert(term.to_string(), e);
                    e
                }
            };
            out.push(entry);
        }
        out.sort_unstable_by_key(|&(id, _)| id);
        Ok(out)
    }

    /// The id and rarity of `term` if it is a content participant of a
    /// frame profiled so far.
    fn known(&self, term: &str) -> Option<(u32, f64)> {
        self.terms.get(term).copied()
    }

    /// Whether a claim with `profile`, and with figures or dates if
    /// `figures`, can pass the rule across documents with a claim filed
    /// under (at most) `terms`: the words they share are among `terms`, so
    /// rarities over `terms` bound those over what they share. A number or
    /// date conflict needs shared words whose rarities sum to 1, every
    /// other kind [`Rarity::passes`].
    fn may_pass(profile: &[(u32, f64)], terms: &[(u32, f64)], figures: bool) -> bool {
        let shared = Rarity::shared(profile, terms);
        Rarity::passes(shared) || figures && shared.is_some_and(|(_, sum)| sum >= 1.0)
    }

    /// Whether what two claims share, `(rarest, sum)` or nothing exactly,
    /// passes the bar of every kind but number and date conflicts: one very
    /// rare shared word, or two fairly rare ones.
    fn passes(shared: Option<(f64, f64)>) -> bool {
        shared.is_some_and(|(rarest, sum)| rarity::rare_for_a_story(rarest, sum))
    }

    /// The rarity of the rarest participant two profiles share exactly, and
    /// the sum over the shared ones; `None` when they share none exactly.
    fn shared(a: &[(u32, f64)], b: &[(u32, f64)]) -> Option<(f64, f64)> {
        let (mut i, mut j) = (0, 0);
        let (mut best, mut sum, mut any) = (0.0f64, 0.0, false);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    best = best.max(a[i].1);
                    sum += a[i].1;
                    any = true;
                    i += 1;
                    j += 1;
                }
            }
        }
        any.then_some((best, sum))
    }
}

/// Walked posting lists kept for the next probed list, at most this long.
const KEPT_WALK: usize = 4096;

/// Posting-list length above which an event key is looked up only together
/// with a participant key (as in [`crate::blocking`]).
pub const COMMON_KEY: usize = 256;

/// A frame's blocking keys for the store: (keys used alone when not common,
/// participant keys to combine a common one with). Every pair the matcher
/// makes shares an event key or an opposite rule, and a participant; the
/// one exception, a refutation sharing only participants, is covered by
/// looking refuting claims up by their participants too. Across documents
/// the rarity rule wants words shared exactly, so a participant met only
/// loosely (a compound, a variant spelling) pairs within a document, where
/// every claim of a window is a candidate (`blocking::DOC_WINDOW`).
fn blocking_keys(f: &Frame) -> (Vec<String>, Vec<String>) {
    let with: Vec<String> = f.participants.iter().map(|p| p.to_string()).collect();
    // Sized once; equal strings are alike, so an unstable sort (which
    // needs no buffer) leaves the same list.
    let mut singles: Vec<String> =
        Vec::with_capacity(f.events.len() + f.opposites.len() + with.len());
    singles.extend(f.events.iter().map(|e| e.to_string()));
    singles.extend(
        f.opposites
            .iter()
            .map(|(id, _, _)| prefixed_key("opp:", id)),
    );
    if f.refuters.is_empty() {
        singles.extend(with.iter().map(|p| prefixed_key("ref:", p)));
    } else {
        singles.extend(with.iter().cloned());
    }
    singles.sort_unstable();
    singles.dedup();
    (singles, with)
}

/// The terms a claim is filed under: its frame's index terms, and for a
/// claim with refuting words its participants again as `ref:<participant>`,
/// so that a plain claim finds the refutations of its participants.
fn stored_terms(f: &Frame) -> Vec<Key> {
    let mut terms = f.index_terms();
    if !f.refuters.is_empty() {
        terms.reserve(f.participants.len());
        terms.extend(
            f.participants
                .iter()
                .map(|p| Key::from(prefixed_key("ref:", p))),
        );
    }
    terms
}

/// Claim ids are `c<N>` in insertion order.
fn claim_order(c: &ClaimRecord) -> u64 {
    c.id.trim_start_matches('c').parse().unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Past [`LISTED_DOCUMENTS`], outcomes are counted and not kept.
    #[test]
    fn outcomes_past_the_listed_ones_are_counted_not_kept() {
        let mut summary = IngestSummary::default();
        for i in 0..LISTED_DOCUMENTS + 30 {
            summary.record(if i % 10 == 3 {
                DocumentOutcome::AlreadyStored {
                    key: format!("doc-{i}"),
                    stored_as: "doc-0".into(),
                }
            } else {
                DocumentOutcome::Added {
                    key: format!("doc-{i}"),
                    claims: 2,
                }
            });
        }
        assert_eq!(summary.documents.len(), LISTED_DOCUMENTS);
        assert_eq!(summary.document_count(), LISTED_DOCUMENTS + 30);
        assert_eq!(summary.documents_already_stored, LISTED_DOCUMENTS / 10 + 3);
        assert_eq!(
            summary.documents_added,
            LISTED_DOCUMENTS + 30 - summary.documents_already_stored
        );
        // The first ones are the ones listed, in order.
        assert_eq!(
            summary.documents[LISTED_DOCUMENTS - 1],
            DocumentOutcome::Added {
                key: format!("doc-{}", LISTED_DOCUMENTS - 1),
                claims: 2,
            }
        );
    }

    /// Claims ingested into a store of others pair with them (through the
    /// store's posting lists, the pruning by filed terms and the claims
    /// read back) and with each other exactly as every pair put through
    /// the matcher and the rarity rule over all the claims would.
    #[test]
    fn a_later_ingest_finds_what_matching_every_pair_finds() {
        let rules = Rules::builtin().unwrap();
        let matcher = Matcher::new(&rules);
        let extractor = Extractor::new(&rules);
        let base: Vec<ClaimRecord> = crate::sample::documents()
            .iter()
            .flat_map(|d| extractor.extract(d))
            .collect();
        // Enough claims for the rarity rule, with names, figures and dates
        // swapped and statements negated, denied and refuted.
        let generated = crate::generate::generate(&rules, &base, 1200, 11);
        let mut docs: Vec<(String, Vec<ClaimRecord>)> = Vec::new();
        for c in generated {
            match docs.iter_mut().find(|(key, _)| *key == c.doc) {
                Some((_, claims)) => claims.push(c),
                None => docs.push((c.doc.clone(), vec![c])),
            }
        }
        // In the order ingest stores them: row id i + 1 is claims[i].
        let claims: Vec<ClaimRecord> = docs.iter().flat_map(|(_, c)| c.clone()).collect();
        let batch = |docs: &[(String, Vec<ClaimRecord>)]| {
            docs.iter()
                .map(|(key, claims)| {
                    let text = format!("generated document {key}");
                    (document_from_text(key, text), Some(claims.clone()))
                })
                .collect::<Vec<_>>()
        };
        let (first, second) = docs.split_at(docs.len() / 2);
        let later = first.iter().map(|(_, c)| c.len()).sum::<usize>();
        assert!(later >= MIN_CLAIMS_FOR_RARITY && claims.len() - later > 300);

        let mut store = crate::store::Store::open_in_memory().unwrap();
        ingest(&mut store, &rules, batch(first)).unwrap();
        let summary = ingest(&mut store, &rules, batch(second)).unwrap();
        assert_eq!(summary.claims, claims.len() - later);
        let stored: std::collections::BTreeSet<(usize, usize, String)> = store
            .pairs(&crate::store::PairFilter::default())
            .unwrap()
            .into_iter()
            .map(|p| {
                let index = |id: &str| claim_order_of(id) - 1;
                let (a, b) = (index(&p.a.id), index(&p.b.id));
                (a.min(b), a.max(b), p.kind.as_str().to_string())
            })
            .filter(|&(_, b, _)| b >= later)
            .collect();
        let expected: std::collections::BTreeSet<(usize, usize, String)> =
            crate::blocking::match_exhaustive(&matcher, &claims)
                .into_iter()
                .map(|p| {
                    let (a, b) = (p.a as usize, p.b as usize);
                    (a.min(b), a.max(b), p.kind.as_str().to_string())
                })
                .filter(|&(_, b, _)| b >= later)
                .collect();
        let across = expected.iter().filter(|&&(a, _, _)| a < later).count();
        assert!(across > 20, "{across} pairs across the two ingests");
        assert_eq!(stored, expected);
    }

    fn claim_order_of(id: &str) -> usize {
        id.trim_start_matches('c').parse().unwrap()
    }

    #[test]
    fn json_lines_keep_known_fields_and_ignore_others() {
        let feed = b"{\"id\": 7, \"title\": \"Dam report\", \"author\": \"A. Writer\", \"tags\": [\"flood\"], \"published\": \"2025-03-04\", \"text\": \"The dam held, officials said.\"}\n\n{\"id\": \"b\", \"text\": \"Second.\"}\n";
        let docs = read_jsonl("feed.jsonl", feed).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].key, "7");
        assert_eq!(docs[0].title.as_deref(), Some("Dam report"));
        assert_eq!(docs[0].published.as_deref(), Some("2025-03-04"));
        assert_eq!(docs[1].key, "b");
    }

    #[test]
    fn a_line_is_an_object_and_its_last_repeated_key_counts() {
        let repeated = br#"{"id": "r", "text": "First draft.", "text": "Final text."}"#;
        let d = parse_json_line("feed.jsonl", 3, repeated).unwrap().unwrap();
        assert_eq!(d.text, "Final text.");
        // An array in the fields' order is not a document.
        let array = br#"["a", "Title", null, null, null, "Some text."]"#;
        let e = parse_json_line("feed.jsonl", 4, array)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("feed.jsonl:4") && e.contains("expected an object"),
            "{e}"
        );
        let missing = br#"{"id": "m", "title": "No text"}"#;
        let e = parse_json_line("feed.jsonl", 5, missing)
            .unwrap_err()
            .to_string();
        assert!(e.contains("missing field `text`"), "{e}");
    }

    #[test]
    fn a_bad_line_is_named_by_file_and_line() {
        let feed = b"{\"id\": 1, \"text\": \"ok\"}\n{\"id\": 2, \"text\": }\n";
        let err = read_jsonl("feed.jsonl", feed).unwrap_err().to_string();
        assert!(
            err.starts_with("feed.jsonl:2: malformed JSON line"),
            "{err}"
        );
        let err = read_jsonl("feed.jsonl", b"{\"title\": \"no id\", \"text\": \"x\"}\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("feed.jsonl:1:"), "{err}");
    }

    #[test]
    fn a_stream_yields_its_documents_in_order_up_to_the_first_bad_line() {
        // Hundreds of lines, blank ones among them, then a bad line and a
        // good one after it: some 3 MB, read and parsed in two batches.
        let filler = "x".repeat(5000);
        let mut feed = String::new();
        let mut lengths = Vec::new();
        let lines = 600;
        for i in 0..lines {
            if i % 100 == 7 {
                feed.push('\n');
                continue;
            }
            let line = format!("{{\"id\": \"d{i}\", \"text\": \"{filler} {i}\"}}\n");
            lengths.push((format!("d{i}"), line.len()));
            feed.push_str(&line);
        }
        feed.push_str("{\"id\": \"bad\", \"text\": }\n{\"id\": \"late\", \"text\": \"x\"}\n");
        let mut reader = JsonlReader::new(feed.as_bytes(), "feed.jsonl");
        let read: Vec<(String, usize)> = reader
            .by_ref()
            .take(lengths.len())
            .map(|d| d.map(|(d, n)| (d.key, n)))
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(read, lengths);
        let err = reader.next().unwrap().unwrap_err().to_string();
        assert!(
            err.starts_with(&format!("feed.jsonl:{}: malformed JSON line", lines + 1)),
            "{err}"
        );
        // The error stands in for its line alone.
        let (late, _) = reader.next().unwrap().unwrap();
        assert_eq!(late.key, "late");
        assert!(reader.next().is_none());
    }

    #[test]
    fn outlet_and_date_come_from_a_dated_file_name() {
        let d = document_from_text(
            "data/kessel-courier-2025-03-07-flood-toll.txt",
            "Headline here\n\nBody.".into(),
        );
        assert_eq!(d.outlet.as_deref(), Some("Kessel Courier"));
        assert_eq!(d.published.as_deref(), Some("2025-03-07"));
        assert_eq!(d.title.as_deref(), Some("Headline here"));
        let d = document_from_text("notes.txt", "A sentence that ends.\nMore.".into());
        assert_eq!((d.outlet, d.published, d.title), (None, None, None));
    }
}
