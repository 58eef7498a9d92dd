//! Rendering listings: claims, pairs, documents and source audits as a
//! terminal table (comfy-table), JSON Lines, CSV, Markdown or an HTML page.
//!
//! JSON output is the contract described in [`crate::model`]: one serialised
//! record per line. CSV and Markdown flatten the same records into the
//! columns below; both paste into spreadsheets and newsroom CMSs. Markdown
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
    /// A self-contained HTML page with a sortable table (see [`crate::html`]).
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
                    serde_json::to_writer(&mut *out, r).map_err(io::Error::other)?;
                    out.write_all(b"\n")?;
                }
                Ok(())
            }
            Format::Csv => {
                let mut w = csv::Writer::from_writer(&mut *out);
                w.write_record(self.headers).map_err(io::Error::other)?;
                for row in &self.rows {
                    w.write_record(row).map_err(io::Error::other)?;
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
                    t.set_width(160);
                }
                for row in &self.rows {
                    t.add_row(row.clone());
                }
                writeln!(out, "{t}")
            }
        }
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

pub fn claim_rows(claims: &[ClaimRecord], table: bool) -> Vec<Vec<String>> {
    claims
        .iter()
        .map(|c| {
            let content = if table {
                clip(&c.content.text, 90)
            } else {
                c.content.text.clone()
            };
            vec![
                c.id.clone(),
                c.doc.clone(),
                if table {
                    clip(&source_label(c), 40)
                } else {
                    c.source
                        .as_ref()
                        .map(|s| s.text.clone())
                        .unwrap_or_default()
                },
                c.source
                    .as_ref()
                    .map(|s| s.canonical.clone())
                    .unwrap_or_default(),
                c.stance.to_string(),
                c.cue.as_ref().map(|q| q.text.clone()).unwrap_or_default(),
                content,
                c.channel.clone().unwrap_or_default(),
                c.polarity.to_string(),
                c.quote.to_string(),
            ]
        })
        .collect()
}

pub const PAIR_HEADERS: &[&str] = &[
    "id",
    "kind",
    "score",
    "claim",
    "source",
    "opposed by",
    "source ",
    "why",
    "status",
];

pub fn pair_rows(pairs: &[PairRecord], table: bool) -> Vec<Vec<String>> {
    let width = if table { 60 } else { usize::MAX };
    pairs
        .iter()
        .map(|p| {
            vec![
                p.id.clone(),
                p.kind.to_string(),
                format!("{:.2}", p.score),
                clip(
                    &format!("{} ({}, {})", p.a.content.text, p.a.stance, p.a.id),
                    width,
                ),
                clip(&source_label(&p.a), if table { 34 } else { usize::MAX }),
                clip(
                    &format!("{} ({}, {})", p.b.content.text, p.b.stance, p.b.id),
                    width,
                ),
                clip(&source_label(&p.b), if table { 34 } else { usize::MAX }),
                clip(&p.evidence.reason, if table { 50 } else { usize::MAX }),
                p.status.as_str().to_string(),
            ]
        })
        .collect()
}

pub fn write_claims(claims: &[ClaimRecord], format: Format, out: &mut dyn Write) -> io::Result<()> {
    Listing {
        headers: CLAIM_HEADERS,
        rows: claim_rows(claims, format == Format::Table),
        records: claims,
    }
    .write(format, out)
}

pub fn write_pairs(pairs: &[PairRecord], format: Format, out: &mut dyn Write) -> io::Result<()> {
    Listing {
        headers: PAIR_HEADERS,
        rows: pair_rows(pairs, format == Format::Table),
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

/// A claim described in full, for `show`.
pub fn describe_claim(c: &ClaimRecord, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "claim {}  ({})", c.id, c.doc)?;
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

/// A pair described in full, for `show`.
pub fn describe_pair(p: &PairRecord, out: &mut dyn Write) -> io::Result<()> {
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
    writeln!(out, "\nSIDE A")?;
    describe_claim(&p.a, out)?;
    writeln!(out, "\nSIDE B")?;
    describe_claim(&p.b, out)
}
