//! Hostile input through the real binary: huge files and lines, NUL bytes and
//! invalid UTF-8, invisible and bidirectional characters, runaway quotation
//! marks, floods of documents and rules, SQL metacharacters, and markup in
//! every output format. Each either works, with offsets still pointing at
//! the text, or fails with one `gainsay:` line, exit 2, the store unchanged.
//!
//! The largest cases are `#[ignore]`d with their measured times; run them
//! with `cargo test --release --test hostile -- --ignored`.

use gainsay::model::ClaimRecord;
use gainsay::store::Store;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_gainsay");

fn gainsay(dir: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.current_dir(dir)
        .env_remove("GAINSAY_DB")
        .env_remove("GAINSAY_RULES")
        .env_remove("COLUMNS")
        .stdin(Stdio::null());
    c
}

fn run(dir: &Path, args: &[&str]) -> Output {
    gainsay(dir).args(args).output().unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let o = run(dir, args);
    assert!(
        o.status.success(),
        "gainsay {args:?} failed ({:?}):\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// Exit 2, nothing on stdout, one `gainsay:` line holding every needle.
fn assert_error(o: &Output, needles: &[&str]) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "expected exit 2, stderr:\n{err}");
    assert!(o.stdout.is_empty());
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "expected one line on stderr, got:\n{err}");
    assert!(lines[0].starts_with("gainsay: "), "{err}");
    for n in needles {
        assert!(lines[0].contains(n), "{n:?} missing from: {err}");
    }
}

fn json_lines<T: serde::de::DeserializeOwned>(s: &str) -> Vec<T> {
    s.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn counts(db: &Path) -> (usize, usize, usize) {
    Store::open(db).unwrap().counts().unwrap()
}

/// A store with one small article in it, and its counts.
fn small_store(dir: &Path) -> (usize, usize, usize) {
    std::fs::write(
        dir.join("seed.txt"),
        "The militia stopped a patrol near the river, the group alleged on Tuesday.\n\n\
         The coalition denied that the militia stopped a patrol near the river.\n",
    )
    .unwrap();
    ok(dir, &["ingest", "seed.txt"]);
    let c = counts(&dir.join("gainsay.db"));
    assert!(c.1 >= 2, "{c:?}");
    c
}

/// Every excerpt of every claim points at its text (character offsets).
fn assert_offsets(text: &str, claims: &[ClaimRecord]) {
    let chars: Vec<char> = text.chars().collect();
    let at = |s: usize, e: usize| chars[s..e].iter().collect::<String>();
    for c in claims {
        assert_eq!(at(c.sentence.start, c.sentence.end), c.sentence.text);
        assert_eq!(at(c.content.start, c.content.end), c.content.text);
        if let Some(q) = &c.cue {
            assert_eq!(at(q.start, q.end), q.text);
        }
        if let Some(s) = c.source.as_ref().filter(|s| s.end > s.start) {
            assert_eq!(at(s.start, s.end), s.text);
        }
    }
}

/// `extract --format json` of `text`, checked against it.
fn extract(dir: &Path, name: &str, text: &str) -> Vec<ClaimRecord> {
    std::fs::write(dir.join(name), text).unwrap();
    let claims: Vec<ClaimRecord> = json_lines(&ok(dir, &["extract", "-f", "json", name]));
    // A byte-order mark at the start of a file is dropped (README).
    assert_offsets(text.strip_prefix('\u{FEFF}').unwrap_or(text), &claims);
    claims
}

// Size.

/// 100 MB without a line break: past the document limit, refused from the
/// file's size before it is read, in well under a second, as text and as
/// JSON Lines (one line past the line limit).
#[test]
fn a_hundred_megabytes_without_line_breaks() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let before = small_store(p);
    let sentence = "The ministry said the dam would hold, officials denied it. ";
    let mut f = std::fs::File::create(p.join("huge.txt")).unwrap();
    let block = sentence.repeat(1 << 14);
    let mut written = 0;
    while written < 100_000_000 {
        f.write_all(block.as_bytes()).unwrap();
        written += block.len();
    }
    drop(f);
    let started = Instant::now();
    assert_error(
        &run(p, &["ingest", "huge.txt"]),
        &["huge.txt", "64 MiB document limit"],
    );
    assert_error(
        &run(p, &["extract", "huge.txt"]),
        &["huge.txt", "64 MiB document limit"],
    );
    std::fs::rename(p.join("huge.txt"), p.join("huge.jsonl")).unwrap();
    assert_error(
        &run(p, &["ingest", "huge.jsonl"]),
        &["huge.jsonl:1:", "line longer than the 80 MiB limit"],
    );
    assert!(started.elapsed() < Duration::from_secs(20), "{started:?}");
    assert_eq!(counts(&p.join("gainsay.db")), before);
}

/// A document just under the limit, one 60 MB line of sentences.
/// Extraction grows with the text: the release binary extracts such a
/// document of 1 MB in 0.33 s (80 MB peak) and of 4 MB in 1.26 s (264 MB),
/// so 60 MB needs gigabytes, too much for every test run.
#[test]
#[ignore = "60 MB in one document: gigabytes of claims in memory"]
fn sixty_megabytes_on_one_line_are_extracted() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let sentence = "The ministry said the dam would hold, officials denied it. ";
    let text = sentence.repeat(60_000_000 / sentence.len());
    std::fs::write(p.join("big.txt"), &text).unwrap();
    let started = Instant::now();
    let out = ok(p, &["extract", "-f", "json", "big.txt"]);
    eprintln!("60 MB extracted in {:?}", started.elapsed());
    assert!(out.lines().count() > 100_000);
}

/// A JSON line of 50 MB: most of it in a field the reader ignores, so the
/// line is parsed in full and the document's small text is stored.
#[test]
fn a_fifty_megabyte_json_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let before = small_store(p);
    let padding = "x".repeat(50 * 1024 * 1024);
    let line = format!(
        "{{\"id\": \"wide\", \"tags\": [\"{padding}\"], \"text\": \"The mayor said the bridge would reopen in May.\"}}\n"
    );
    drop(padding);
    std::fs::write(p.join("wide.jsonl"), &line).unwrap();
    let started = Instant::now();
    ok(p, &["ingest", "wide.jsonl"]);
    assert!(started.elapsed() < Duration::from_secs(30), "{started:?}");
    let after = counts(&p.join("gainsay.db"));
    assert_eq!((after.0, after.1), (before.0 + 1, before.1 + 1));
}

/// A JSON line of 50 MB of document text: within the limit, parsed, and
/// extracted. Matching within the document is windowed
/// (`blocking::DOC_WINDOW`), so time grows with the text (a release build
/// ingests such documents of 1.2, 2.4 and 4.7 MB in 1.3, 2.9 and 5.4 s),
/// but its 1.7 million claims take minutes and gigabytes, too much for
/// every test run.
#[test]
#[ignore = "1.7 million claims in one document: minutes and gigabytes"]
fn a_fifty_megabyte_json_document() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let sentence = "The ministry said the dam would hold, officials denied it. ";
    let text = sentence.repeat(50_000_000 / sentence.len());
    let line = serde_json::json!({"id": "long", "text": text}).to_string();
    std::fs::write(p.join("long.jsonl"), line + "\n").unwrap();
    let started = Instant::now();
    ok(p, &["ingest", "long.jsonl"]);
    eprintln!("50 MB JSON document ingested in {:?}", started.elapsed());
    assert_eq!(counts(&p.join("gainsay.db")).0, 1);
}

/// A text of one document past the limit inside a JSON line: refused, and
/// named by file and line.
#[test]
fn a_json_document_past_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let before = small_store(p);
    let text = "a".repeat(gainsay::ingest::MAX_DOCUMENT_BYTES + 1);
    let line = format!(
        "{{\"id\": \"ok\", \"text\": \"fine\"}}\n{{\"id\": \"big\", \"text\": \"{text}\"}}\n"
    );
    drop(text);
    std::fs::write(p.join("big.jsonl"), line).unwrap();
    assert_error(
        &run(p, &["ingest", "big.jsonl"]),
        &["big.jsonl:2:", "'big'", "64 MiB limit"],
    );
    assert_eq!(counts(&p.join("gainsay.db")), before);
}

fn tiny_documents(path: &Path, n: usize) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for i in 0..n {
        writeln!(out, "{{\"id\":{i},\"text\":\"w{i}\"}}").unwrap();
    }
    out.flush().unwrap();
}

/// 100,000 tiny documents in one batch: all stored, each once.
#[test]
fn a_hundred_thousand_tiny_documents() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    tiny_documents(&p.join("tiny.jsonl"), 100_000);
    let started = Instant::now();
    let o = run(p, &["ingest", "tiny.jsonl"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    eprintln!("100k documents ingested in {:?}", started.elapsed());
    assert_eq!(counts(&p.join("gainsay.db")).0, 100_000);
}

/// A million: measured once with the release binary, 44 s and 420 MB.
#[test]
#[ignore = "a million documents take 44 s in release, minutes in a debug build"]
fn a_million_tiny_documents() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    tiny_documents(&p.join("tiny.jsonl"), 1_000_000);
    let started = Instant::now();
    let o = run(p, &["ingest", "tiny.jsonl"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    eprintln!("1M documents ingested in {:?}", started.elapsed());
    assert_eq!(counts(&p.join("gainsay.db")).0, 1_000_000);
}

/// A rules directory whose cue file has 10,000 entries: it loads and
/// validates (examples run) in reasonable time, and extraction uses it.
#[test]
fn a_rules_file_with_ten_thousand_entries() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let rules = p.join("rules");
    std::fs::create_dir(&rules).unwrap();
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    for e in std::fs::read_dir(&shipped).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), rules.join(e.file_name())).unwrap();
    }
    let mut cues = std::fs::read_to_string(rules.join("cues.toml")).unwrap();
    for i in 0..10_000 {
        let w = word(i);
        cues.push_str(&format!(
            "\n[[cue]]\nid = \"gen{i}\"\nwords = [\"{w}ed\", \"{w}s\"]\nstance = \"asserts\"\nkind = \"verb\"\n"
        ));
    }
    std::fs::write(rules.join("cues.toml"), cues).unwrap();
    let rules_arg = rules.to_string_lossy().into_owned();
    let started = Instant::now();
    ok(p, &["rules", "check", &rules_arg]);
    let checked = started.elapsed();
    let w = word(9_999);
    let claims = extract(
        p,
        "gen.txt",
        &format!("The ministry {w}ed that the dam would hold.\n"),
    );
    let with = gainsay(p)
        .args(["--rules", &rules_arg, "extract", "-f", "json", "gen.txt"])
        .output()
        .unwrap();
    assert!(with.status.success());
    let with: Vec<ClaimRecord> = json_lines(&String::from_utf8(with.stdout).unwrap());
    assert!(claims.is_empty(), "{claims:?}");
    assert_eq!(with.len(), 1, "{with:?}");
    assert_eq!(with[0].cue.as_ref().unwrap().text, format!("{w}ed"));
    assert!(
        checked < Duration::from_secs(30),
        "rules check took {checked:?}"
    );
}

/// A distinct made-up word for `i`: letters only, never an English cue.
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

// Bytes and characters.

/// NUL bytes and invalid UTF-8, in text files, JSON Lines and stdin: a
/// clear error naming the place, nothing stored.
#[test]
fn nul_bytes_and_invalid_utf8_are_refused_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let before = small_store(p);
    let cases: &[(&str, &[u8], &[&str])] = &[
        ("nul.txt", b"The mayor said\0 so.", &["nul.txt", "NUL"]),
        (
            "latin1.txt",
            b"The mayor said caf\xe9.",
            &["latin1.txt", "UTF-8"],
        ),
        (
            "raw-nul.jsonl",
            b"{\"id\": 1, \"text\": \"a\0b\"}\n",
            &["raw-nul.jsonl:1:", "malformed JSON line"],
        ),
        (
            "escaped-nul.jsonl",
            b"{\"id\": 1, \"text\": \"fine\"}\n{\"id\": 2, \"text\": \"a\\u0000b\"}\n",
            &["escaped-nul.jsonl:2:", "NUL", "'text'"],
        ),
        (
            "nul-title.jsonl",
            b"{\"id\": 3, \"title\": \"x\\u0000\", \"text\": \"The mayor said so.\"}\n",
            &["nul-title.jsonl:1:", "NUL", "'title'"],
        ),
        (
            "nul-id.jsonl",
            b"{\"id\": \"a\\u0000b\", \"text\": \"The mayor said so.\"}\n",
            &["nul-id.jsonl:1:", "NUL", "'id'", "a\\0b"],
        ),
        (
            "latin1.jsonl",
            b"{\"id\": 1, \"text\": \"ok\"}\n{\"id\": 2, \"text\": \"caf\xe9\"}\n",
            &["latin1.jsonl:2:", "UTF-8"],
        ),
        (
            "surrogate.jsonl",
            b"{\"id\": 1, \"text\": \"\\ud800 lone surrogate\"}\n",
            &["surrogate.jsonl:1:", "malformed JSON line"],
        ),
    ];
    for (name, bytes, needles) in cases {
        std::fs::write(p.join(name), bytes).unwrap();
        assert_error(&run(p, &["ingest", name]), needles);
        assert_error(&run(p, &["extract", name]), needles);
    }
    for (input, needle) in [(&b"said \0 so"[..], "NUL"), (b"caf\xe9 said", "UTF-8")] {
        let mut child = gainsay(p)
            .args(["ingest", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input).unwrap();
        let o = child.wait_with_output().unwrap();
        assert_error(&o, &["<stdin>", needle]);
    }
    assert_eq!(counts(&p.join("gainsay.db")), before);
}

/// Zero-width and bidirectional controls inside words, names and quotes:
/// no panic, and every offset still points at its text, in the store too.
#[test]
fn invisible_and_bidirectional_characters() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let text = "\u{FEFF}Mayor Anna\u{200B} Brook said\u{200D} the bridge would \u{202E}reopen\u{202C} in May.\n\n\
        \u{2067}\u{201C}We are ready,\u{201D}\u{2069} said Col.\u{200C} Sean\u{00AD}Ryan, the port\u{2019}s director.\n\n\
        The council\u{061C} denied\u{2060} that the bridge\u{FEFF} would reopen \u{200F}in May.\u{200E}\n\n\
        \u{202A}\u{202B}\u{202D}\u{2066}\u{2068} officials\u{200B}\u{200B} said \u{202E}\u{202E} nothing.\n";
    let claims = extract(p, "bidi.txt", text);
    // Extraction sees through some of them only: a zero-width joiner after
    // "denied" or a non-joiner after "Col." hides the cue or the title, and
    // that sentence yields no claim. Offsets are what must hold.
    assert!(!claims.is_empty(), "{claims:?}");
    // Stored and read back with the same offsets.
    ok(p, &["ingest", "bidi.txt"]);
    let stored: Vec<ClaimRecord> = json_lines(&ok(p, &["claims", "-f", "json"]));
    assert_eq!(stored.len(), claims.len());
    // The byte-order mark at the start of the file is dropped; inside, kept.
    assert_offsets(text.strip_prefix('\u{FEFF}').unwrap(), &stored);
    for format in ["table", "csv", "markdown", "html"] {
        ok(p, &["claims", "-f", format]);
    }
}

/// Unbalanced, nested and runaway quotation marks: no panic, offsets right,
/// and thousands of unclosed quotes take no longer than plain text.
#[test]
fn unbalanced_and_nested_quotation_marks() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let cases = [
        "\"We are ready, said Anna Brook.\n\nThe council denied it.",
        "We are ready,\" said Anna Brook. \"\"\" The council denied \"it.",
        "\u{201C}He told me \u{2018}they said \u{201C}no \u{2018}deal\u{2019}\u{201D} today\u{2019},\u{201D} the minister said.",
        "\u{201D}Backwards,\u{201C} said the mayor. \u{2019}Also\u{2018} she added.",
        "\u{AB}Nous refusons,\u{BB} said the minister. \u{BB}Reversed\u{AB} he added. \u{300C}Yes\u{300D} she said.",
        "'''''' said the mayor '' '' ''. \"'\"'\"'\" the council denied.",
        "\"\n\n\"\n\n\"\n\n\" said the mayor.",
    ];
    for (i, text) in cases.iter().enumerate() {
        extract(p, &format!("q{i}.txt"), text);
    }
    let sentence = "\u{201C}We will not withdraw, said the colonel. ";
    let runaway = sentence.repeat(4_000);
    let started = Instant::now();
    let claims = extract(p, "runaway.txt", &runaway);
    let quoted = started.elapsed();
    let plain = sentence.replace('\u{201C}', "").repeat(4_000);
    let started = Instant::now();
    let plain_claims = extract(p, "plain.txt", &plain);
    let unquoted = started.elapsed();
    assert!(claims.len() <= 4_000 && plain_claims.len() <= 4_000);
    assert!(
        quoted < unquoted * 5 + Duration::from_secs(2),
        "unclosed quotes: {quoted:?}, plain: {unquoted:?}"
    );
}

// Reading back exactly.

/// SQL metacharacters and quotes in sources, keys, titles and text are
/// stored and read back byte for byte, and filters take them literally.
#[test]
fn sql_metacharacters_are_stored_and_read_back_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let source = "Robert'); DROP TABLE claims;-- \"Bobby\" O'Brien 100% _x_ \\ `y`";
    ok(
        p,
        &[
            "add",
            "--source",
            source,
            "--date",
            "2024-01-02",
            "The levy is 5% ' OR '1'='1 of \"everything\"; DELETE FROM pairs; --",
        ],
    );
    let doc = serde_json::json!({
        "id": "id'); DROP TABLE documents;--",
        "title": "Title \" ' ; -- /* */ %_",
        "outlet": "O'Reilly \"Daily\"",
        "text": "Mayor O'Brien said the levy of 5% ' OR 1=1; -- was \"fair\"; DROP TABLE pairs;.",
    });
    std::fs::write(p.join("sql.jsonl"), doc.to_string() + "\n").unwrap();
    ok(p, &["ingest", "sql.jsonl"]);
    let claims: Vec<ClaimRecord> = json_lines(&ok(p, &["claims", "-f", "json"]));
    assert_eq!(claims.len(), 2, "{claims:?}");
    assert_eq!(claims[0].source.as_ref().unwrap().text, source);
    // The content ends before the trailing "; --" (clause punctuation).
    assert_eq!(
        claims[0].content.text,
        "The levy is 5% ' OR '1'='1 of \"everything\"; DELETE FROM pairs"
    );
    assert_eq!(claims[1].doc, "id'); DROP TABLE documents;--");
    assert!(claims[1].content.text.contains("5% ' OR 1=1; --"));
    // Filters are literal: `%` and `'` match only themselves.
    for (filter, n) in [
        ("O'Brien", 2),
        ("100%", 1),
        ("%", 1),
        ("_x_", 1),
        ("'1'='1", 0),
    ] {
        let found: Vec<ClaimRecord> =
            json_lines(&ok(p, &["claims", "-f", "json", "--source", filter]));
        assert_eq!(found.len(), n, "--source {filter:?}: {found:?}");
    }
    let found: Vec<ClaimRecord> = json_lines(&ok(
        p,
        &[
            "claims",
            "-f",
            "json",
            "--doc",
            "id'); DROP TABLE documents;--",
        ],
    ));
    assert_eq!(found.len(), 1);
    let store = Store::open(&p.join("gainsay.db")).unwrap();
    let stored = store
        .document("id'); DROP TABLE documents;--")
        .unwrap()
        .unwrap();
    assert_eq!(stored.title.as_deref(), Some("Title \" ' ; -- /* */ %_"));
    assert_eq!(stored.outlet.as_deref(), Some("O'Reilly \"Daily\""));
    assert_eq!(store.counts().unwrap().0, 2);
}

/// No comma: in `add --source` a comma separates the name from an
/// affiliation.
const MARKUP: &str = "<script>alert('x')</script><img src=x onerror=alert(1)> | *bold* `code` [link](javascript:alert(1)) \"quoted\"";

/// Markup and script in sources and text come out inert in every format:
/// HTML escaped, Markdown cells escaped, CSV quoted, JSON exact, and the
/// table shows the text as written.
#[test]
fn markup_in_every_output_format() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let source = format!("Mayor {MARKUP}");
    let content = format!("The bridge {MARKUP} would reopen.");
    ok(
        p,
        &["add", "--source", &source, "--date", "2024-01-02", &content],
    );
    ok(
        p,
        &[
            "add",
            "--source",
            "The council",
            "--date",
            "2024-01-03",
            &format!("The bridge {MARKUP} would not reopen."),
        ],
    );
    for listing in ["claims", "contradictions", "audit"] {
        let json = ok(p, &[listing, "-f", "json"]);
        for line in json.lines() {
            serde_json::from_str::<serde_json::Value>(line).unwrap();
        }
        assert!(json.contains("<script>alert('x')</script>"), "{listing}");

        let csv_out = ok(p, &[listing, "-f", "csv"]);
        let mut reader = csv::Reader::from_reader(csv_out.as_bytes());
        let cells: Vec<String> = reader
            .records()
            .flat_map(|r| r.unwrap().iter().map(String::from).collect::<Vec<_>>())
            .collect();
        assert!(
            cells.iter().any(|c| c.contains(MARKUP)),
            "{listing}: {csv_out}"
        );

        let md = ok(p, &[listing, "-f", "markdown"]);
        assert!(
            !md.contains("<script") && !md.contains("<img"),
            "{listing}: {md}"
        );
        for row in md.lines().filter(|l| l.contains("script")) {
            assert!(
                !row.contains(" | *bold"),
                "{listing}: unescaped pipe: {row}"
            );
        }

        let html = ok(p, &[listing, "-f", "html"]);
        assert!(!html.contains("<img"), "{listing}");
        assert!(!html.contains("<script>alert"), "{listing}");
        assert!(!html.contains("href=\"javascript:"), "{listing}");
        assert!(html.contains("&lt;script&gt;"), "{listing}");

        let table = ok(p, &[listing]);
        assert!(!table.is_empty(), "{listing}");
    }
}

/// The limits `ingest --help` states are the ones the code enforces.
#[test]
fn ingest_help_states_the_limits() {
    let dir = tempfile::tempdir().unwrap();
    let help = ok(dir.path(), &["ingest", "--help"]);
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    let document = format!("at most {} MiB", gainsay::ingest::MAX_DOCUMENT_BYTES >> 20);
    let line = format!(
        "JSON line at most {} MiB",
        gainsay::ingest::MAX_LINE_BYTES >> 20
    );
    assert!(help.contains(&document), "{help}");
    assert!(help.contains(&line), "{help}");
}
