//! Rendering listings: claims, pairs, documents and source audits as a
//! terminal table (comfy-table), JSON Lines, CSV, Markdown or an HTML page.
//!
//! JSON output is the contract described in [`crate::model`]: one serialised
//! record per line. CSV and Markdown flatten the same records into the
//! columns below ([`CLAIM_HEADERS`], [`PAIR_HEADERS`]), unclipped; both paste
//! into spreadsheets and newsroom CMSs. The terminal table shows fewer,
//! clipped columns ([`CLAIM_TABLE_HEADERS`], [`PAIR_TABLE_HEADERS`]) so that
//! it reads at 100 columns; its width is the terminal's, else `$COLUMNS`,
//! else [`DEFAULT_WIDTH`]. Write errors stay `io::Error`s of their kind, so a
//! closed pipe is recognised and ends the command quietly. Markdown
//! cells escape `|`, `<` and `>` so article text cannot break the table or
//! inject markup.

use crate::model::{ClaimRecord, PairRecord};
use comfy_table::{presets, ContentArrangement, Table};
use serde::Serialize;
use std::io::{self, Write};

/// Output formats every listing accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
    Markdown,
    // A self-contained HTML page with a sortable table (see `crate::html`).
    Html,
}

/// A listing as rows of named columns, plus the records for JSON.
pub struct Listing<'a, T: Serialize> {
    pub headers: &'a [&'a str],
    pub rows: Vec<Vec<String>>,
    pub records: &'a [T],
}

impl<T: Serialize> Listing<'_, T> {
    pub fn write(&self, format: Format, out: &mut dyn Write) -> io::Result<()> {
        match format {
            Format::Json => {
                for r in self.records {
                    // Serialised first, so that a write error (a closed pipe)
                    // reaches the caller as the io::Error it is.
                    let mut line = serde_json::to_vec(r).map_err(io::Error::other)?;
                    line.push(b'\n');
                    out.write_all(&line)?;
                }
                Ok(())
            }
            Format::Csv => {
                let mut w = csv::Writer::from_writer(&mut *out);
                w.write_record(self.headers).map_err(csv_io)?;
                for row in &self.rows {
                    w.write_record(row).map_err(csv_io)?;
                }
                w.flush()
            }
            Format::Markdown => {
                writeln!(out, "| {} |", self.headers.join(" | "))?;
                writeln!(
                    out,
                    "|{}|",
                    self.headers
                        .iter()
                        .map(|_| "---")
                        .collect::<Vec<_>>()
                        .join("|")
                )?;
                for row in &self.rows {
                    let cells: Vec<String> = row.iter().map(|c| markdown_cell(c)).collect();
                    writeln!(out, "| {} |", cells.join(" | "))?;
                }
                Ok(())
            }
            Format::Html => out
                .write_all(crate::html::table_page("gainsay", self.headers, &self.rows).as_bytes()),
            Format::Table => {
                let mut t = Table::new();
                t.load_preset(presets::UTF8_FULL_CONDENSED)
                    .set_content_arrangement(ContentArrangement::Dynamic)
                    .set_header(self.headers.to_vec());
                if t.width().is_none() {
                    t.set_width(fallback_width());
                }
                for row in &self.rows {
                    t.add_row(row.clone());
                }
                writeln!(out, "{t}")
            }
        }
    }
}

/// The table width when stdout is not a terminal: `$COLUMNS` when set,
/// else [`DEFAULT_WIDTH`]. (On a terminal comfy-table measures it.)
fn fallback_width() -> u16 {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok())
        .filter(|&w| w >= 40)
        .unwrap_or(DEFAULT_WIDTH)
}

/// Width of a table written to a pipe or file without `$COLUMNS`.
pub const DEFAULT_WIDTH: u16 = 100;

/// A CSV error as the io::Error it wraps, if any, so that a closed pipe
/// stays recognisable.
fn csv_io(e: csv::Error) -> io::Error {
    if e.is_io_error() {
        match e.into_kind() {
            csv::ErrorKind::Io(io) => io,
            other => io::Error::other(format!("{other:?}")),
        }
    } else {
        io::Error::other(e)
    }
}

/// Escapes a Markdown table cell: pipes, angle brackets, line breaks.
pub fn markdown_cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace(['\n', '\r'], " ")
}

/// Shortens text for table cells, on a character boundary.
pub fn clip(s: &str, max: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= max {
        return s;
    }
    let cut: String = s.chars().take(max.saturating_sub(1)).collect();
    format!("{cut}\u{2026}")
}

pub fn source_label(c: &ClaimRecord) -> String {
    match &c.source {
        None => "(unattributed)".into(),
        Some(s) => {
            let mut label = s.text.clone();
            if !s.canonical.is_empty() && !s.text.contains(&s.canonical) {
                label = format!("{label} [{}]", s.canonical);
            }
            if let Some(m) = &s.mention {
                label = format!("{label} (as \u{201C}{}\u{201D})", m.text);
            }
            label
        }
    }
}

pub const CLAIM_HEADERS: &[&str] = &[
    "id",
    "doc",
    "source",
    "canonical",
    "stance",
    "cue",
    "content",
    "channel",
    "polarity",
    "quote",
];

/// Rows under [`CLAIM_HEADERS`], unclipped (CSV and Markdown).
pub fn claim_rows(claims: &[ClaimRecord]) -> Vec<Vec<String>> {
    claims
        .iter()
        .map(|c| {
            vec![
                c.id.clone(),
                c.doc.clone(),
                c.source
                    .as_ref()
                    .map(|s| s.text.clone())
                    .unwrap_or_default(),
                c.source
                    .as_ref()
                    .map(|s| s.canonical.clone())
                    .unwrap_or_default(),
                c.stance.to_string(),
                c.cue.as_ref().map(|q| q.text.clone()).unwrap_or_default(),
                c.content.text.clone(),
                c.channel.clone().unwrap_or_default(),
                c.polarity.to_string(),
                c.quote.to_string(),
            ]
        })
        .collect()
}

/// Columns of a pair in CSV and Markdown: each side's claim id, source,
/// canonical source, stance and content in columns of their own.
pub const PAIR_HEADERS: &[&str] = &[
    "id",
    "kind",
    "score",
    "claim",
    "source",
    "canonical",
    "stance",
    "content",
    "opposing claim",
    "opposing source",
    "opposing canonical",
    "opposing stance",
    "opposing content",
    "why",
    "status",
];

/// Rows under [`PAIR_HEADERS`], unclipped.
pub fn pair_rows(pairs: &[PairRecord]) -> Vec<Vec<String>> {
    let side = |c: &ClaimRecord| {
        [
            c.id.clone(),
            c.source
                .as_ref()
                .map(|s| s.text.clone())
                .unwrap_or_default(),
            c.source
                .as_ref()
                .map(|s| s.canonical.clone())
                .unwrap_or_default(),
            c.stance.to_string(),
            c.content.text.clone(),
        ]
    };
    pairs
        .iter()
        .map(|p| {
            let mut row = vec![p.id.clone(), p.kind.to_string(), format!("{:.2}", p.score)];
            row.extend(side(&p.a));
            row.extend(side(&p.b));
            row.push(p.evidence.reason.clone());
            row.push(p.status.as_str().to_string());
            row
        })
        .collect()
}

/// Columns of the claims table on a terminal: fewer than CSV and Markdown
/// carry, so that it reads at 100 columns.
pub const CLAIM_TABLE_HEADERS: &[&str] = &["id", "source", "stance", "content", "doc"];

/// Rows under [`CLAIM_TABLE_HEADERS`].
pub fn claim_table_rows(claims: &[ClaimRecord]) -> Vec<Vec<String>> {
    claims
        .iter()
        .map(|c| {
            let mut source = clip(&source_label(c), 40);
            if let Some(ch) = &c.channel {
                source = format!("{source}, via {}", clip(ch, 24));
            }
            let stance = match &c.cue {
                Some(q) => format!("{} ({})", c.stance, clip(&q.text, 20)),
                None => c.stance.to_string(),
            };
            vec![
                c.id.clone(),
                source,
                stance,
                clip(&c.content.text, 110),
                clip(&short_doc(&c.doc), 28),
            ]
        })
        .collect()
}

/// A document key as a table shows it: a path without its directories and
/// extension (JSON Lines ids and URLs as they are).
fn short_doc(key: &str) -> String {
    if key.contains("://") || !(key.contains('/') || key.contains('.')) {
        return key.to_string();
    }
    let path = std::path::Path::new(key);
    path.file_stem()
        .map_or_else(|| key.to_string(), |s| s.to_string_lossy().into_owned())
}

/// Columns of the pairs table on a terminal.
pub const PAIR_TABLE_HEADERS: &[&str] = &["id", "kind", "claim", "opposed by", "why"];

/// One side of a pair in a table cell: who, how, what, and the claim id.
fn side_cell(c: &ClaimRecord) -> String {
    format!(
        "{} {}: {} ({})",
        clip(&source_label(c), 34),
        c.stance,
        clip(&c.content.text, 80),
        c.id
    )
}

/// Rows under [`PAIR_TABLE_HEADERS`].
pub fn pair_table_rows(pairs: &[PairRecord]) -> Vec<Vec<String>> {
    pairs
        .iter()
        .map(|p| {
            let mut kind = format!("{} {:.2}", p.kind, p.score);
            if p.status != crate::model::ReviewStatus::Open {
                kind = format!("{kind} {}", p.status.as_str());
            }
            vec![
                p.id.clone(),
                kind,
                side_cell(&p.a),
                side_cell(&p.b),
                clip(&p.evidence.reason, 60),
            ]
        })
        .collect()
}

pub fn write_claims(claims: &[ClaimRecord], format: Format, out: &mut dyn Write) -> io::Result<()> {
    let (headers, rows) = match format {
        Format::Table => (CLAIM_TABLE_HEADERS, claim_table_rows(claims)),
        _ => (CLAIM_HEADERS, claim_rows(claims)),
    };
    Listing {
        headers,
        rows,
        records: claims,
    }
    .write(format, out)
}

pub fn write_pairs(pairs: &[PairRecord], format: Format, out: &mut dyn Write) -> io::Result<()> {
    let (headers, rows) = match format {
        Format::Table => (PAIR_TABLE_HEADERS, pair_table_rows(pairs)),
        _ => (PAIR_HEADERS, pair_rows(pairs)),
    };
    Listing {
        headers,
        rows,
        records: pairs,
    }
    .write(format, out)
}

/// One claim in its sentence, for `show`: the content marked with » «.
pub fn claim_in_context(c: &ClaimRecord) -> String {
    let s = &c.sentence.text;
    let rel_start = c.content.start.saturating_sub(c.sentence.start);
    let rel_end = c.content.end.saturating_sub(c.sentence.start);
    let chars: Vec<char> = s.chars().collect();
    if rel_end <= chars.len() && rel_start <= rel_end {
        let before: String = chars[..rel_start].iter().collect();
        let inner: String = chars[rel_start..rel_end].iter().collect();
        let after: String = chars[rel_end..].iter().collect();
        format!("{before}\u{00BB}{inner}\u{00AB}{after}")
    } else {
        s.clone()
    }
}

/// A claim described in full, for `show`. `document` describes where it
/// was published (title, outlet, date), when known.
pub fn describe_claim(
    c: &ClaimRecord,
    document: Option<&str>,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(out, "claim {}  ({})", c.id, c.doc)?;
    if let Some(d) = document {
        writeln!(out, "  document:  {d}")?;
    }
    writeln!(
        out,
        "  sentence:  {}",
        claim_in_context(c)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    )?;
    writeln!(out, "  content:   {}", c.content.text)?;
    match &c.source {
        Some(s) => {
            write!(out, "  source:    {}", s.text)?;
            if let Some(m) = &s.mention {
                write!(out, " (mentioned as \u{201C}{}\u{201D})", m.text)?;
            }
            writeln!(out)?;
            writeln!(out, "  canonical: {}", s.canonical)?;
            if let Some(r) = &s.role {
                writeln!(out, "  role:      {r}")?;
            }
            if let Some(a) = &s.affiliation {
                writeln!(out, "  affiliation: {a}")?;
            }
            if s.unnamed {
                writeln!(out, "  (unnamed source)")?;
            }
        }
        None => writeln!(out, "  source:    (none named)")?,
    }
    writeln!(
        out,
        "  stance:    {} via {}",
        c.stance,
        c.cue.as_ref().map_or("(no cue)".to_string(), |q| format!(
            "\u{201C}{}\u{201D}",
            q.text
        ))
    )?;
    if let Some(ch) = &c.channel {
        writeln!(out, "  channel:   {ch}")?;
    }
    writeln!(out, "  polarity:  {}   quote: {}", c.polarity, c.quote)?;
    if !c.hedges.is_empty() {
        writeln!(out, "  hedges:    {}", c.hedges.join(", "))?;
    }
    if let (Some(s), Some(p)) = (&c.subject, &c.predicate) {
        writeln!(
            out,
            "  s/p/o:     {s} | {p} | {}",
            c.object.as_deref().unwrap_or("")
        )?;
    }
    for t in &c.times {
        writeln!(
            out,
            "  time:      {}{}",
            t.text,
            t.date.as_ref().map_or(String::new(), |d| format!(" = {d}"))
        )?;
    }
    Ok(())
}

/// A pair described in full, for `show`: why it was paired, then each side
/// with its document (`documents`, as in [`describe_claim`]).
pub fn describe_pair(
    p: &PairRecord,
    documents: [Option<&str>; 2],
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(
        out,
        "pair {}: {} (score {:.2}, {})",
        p.id,
        p.kind,
        p.score,
        p.status.as_str()
    )?;
    writeln!(out, "why: {}", p.evidence.reason)?;
    if !p.evidence.shared.is_empty() {
        writeln!(out, "shared: {}", p.evidence.shared.join(", "))?;
    }
    if !p.evidence.opposing.is_empty() {
        writeln!(out, "opposing: {}", p.evidence.opposing.join(" | "))?;
    }
    if !p.evidence.rules.is_empty() {
        writeln!(out, "rules: {}", p.evidence.rules.join(", "))?;
    }
    if let Some(n) = &p.note {
        writeln!(out, "note: {n}")?;
    }
    writeln!(out, "\nSIDE A (the claim)")?;
    describe_claim(&p.a, documents[0], out)?;
    writeln!(out, "\nSIDE B (opposed by)")?;
    describe_claim(&p.b, documents[1], out)
}

/// A document in one line: "title — outlet, date", from what is known.
pub fn document_line(d: &crate::model::Document) -> String {
    let mut line = d.title.clone().unwrap_or_else(|| d.key.clone());
    let meta: Vec<&str> = [d.outlet.as_deref(), d.published.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if !meta.is_empty() {
        line = format!("{line} \u{2014} {}", meta.join(", "));
    }
    if let Some(u) = &d.url {
        line = format!("{line} <{u}>");
    }
    line
}
