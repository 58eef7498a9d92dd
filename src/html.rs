//! The HTML report: one self-contained page a fact-checker can open, print or
//! publish from. No network (a Content-Security-Policy forbids it), inline
//! CSS, and a few lines of inline JavaScript that sort table columns.
//!
//! The page holds a short summary, the contradiction table (strongest first),
//! the source audit, the unanswered allegations, and every pair side by side:
//! each claim in its sentence with some context, its content marked, and the
//! words the pairing rests on highlighted.
//!
//! # Escaping
//! Every piece of article text (claims, sentences, names, titles, outlets,
//! notes, evidence) goes through [`escape`], which also makes it safe inside
//! quoted attribute values; links are written only for `http(s)` URLs. On
//! top of that the CSP allows just the page's own script (by its SHA-256),
//! so even a missed escape could not run injected code.

use crate::audit::{claim_date_in, ClaimDocuments, SourceAudit};
use crate::highlight::{in_context, Segment, Word, CONTEXT_CHARS};
use crate::model::{ClaimRecord, PairRecord, ReviewStatus};
use crate::report::{clip, source_label};
use std::collections::HashMap;
use std::fmt::Write;

/// Escapes text for HTML content and for quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `url` if it is a plain `http` or `https` URL, the only links the page
/// writes (no `javascript:`, `data:` or relative surprises).
pub fn safe_url(url: &str) -> Option<&str> {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then_some(url.trim())
}

/// The sorting script. Its SHA-256 goes into the CSP, so it must not change
/// between hashing and writing; it is a constant.
const SCRIPT: &str = r#"
function gsSort(th, dir) {
  var table = th.closest('table'), body = table.tBodies[0];
  var i = Array.prototype.indexOf.call(th.parentNode.children, th);
  var asc = dir ? dir === 'asc' : th.getAttribute('aria-sort') !== 'ascending';
  var num = th.getAttribute('data-type') === 'number';
  var key = function (r) { var c = r.cells[i]; return c.hasAttribute('data-sort') ? c.getAttribute('data-sort') : c.textContent; };
  var rows = Array.prototype.slice.call(body.rows);
  rows.sort(function (a, b) {
    var x = key(a), y = key(b);
    var d = num ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y);
    return asc ? d : -d;
  });
  rows.forEach(function (r) { body.appendChild(r); });
  Array.prototype.forEach.call(th.parentNode.children, function (h) { h.removeAttribute('aria-sort'); });
  th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
}
document.querySelectorAll('table.sortable th').forEach(function (th) {
  th.addEventListener('click', function () { gsSort(th); });
});
var gsHash = /^#sort=([A-Za-z-]+):([0-9]+):(asc|desc)$/.exec(location.hash);
if (gsHash) {
  var gsTable = document.getElementById(gsHash[1]);
  if (gsTable) { gsSort(gsTable.tHead.rows[0].cells[+gsHash[2]], gsHash[3]); }
}
document.documentElement.setAttribute('data-ready', 'yes');
"#;

const STYLE: &str = r#"
body { font: 14px/1.35 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 1400px; padding: 12px 20px; color: #1b1b1b; }
h1 { font-size: 22px; margin: 4px 0; }
h2 { font-size: 17px; margin: 22px 0 6px; border-bottom: 1px solid #ccc; }
.summary { margin: 2px 0 8px; color: #333; }
.filters { color: #666; font-size: 12px; }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; }
th, td { border-bottom: 1px solid #e2e2e2; padding: 2px 5px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; cursor: pointer; user-select: none; white-space: nowrap; position: sticky; top: 0; }
th[aria-sort=ascending]::after { content: " \25B2"; }
th[aria-sort=descending]::after { content: " \25BC"; }
td.num { text-align: right; white-space: nowrap; }
tr:hover td { background: #fafaf0; }
.kind { white-space: nowrap; }
.status { font-size: 12px; padding: 0 5px; border-radius: 3px; white-space: nowrap; }
.status.open { background: #eef; }
.status.confirmed { background: #d9f2d9; }
.status.dismissed { background: #eee; color: #777; text-decoration: line-through; }
.src { color: #555; }
.pair { border: 1px solid #ddd; border-radius: 6px; margin: 12px 0; padding: 8px 12px; }
.pair h3 { font-size: 15px; margin: 2px 0 4px; }
.sides { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; }
.side h4 { margin: 4px 0; font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: #555; }
.side p { margin: 3px 0; }
blockquote { margin: 6px 0; padding: 6px 10px; background: #fafafa; border-left: 3px solid #bbb; }
.ctx { color: #777; }
mark { background: #fff1a8; }
b.opp { color: #a40000; background: #ffd9d9; }
u.shared { text-decoration: underline 2px #3b6fd8; }
.evidence, .note { font-size: 13px; color: #333; margin: 4px 0; }
.legend { font-size: 12px; color: #555; }
.glance { background: #f7f7fb; border: 1px solid #dde; border-radius: 6px; padding: 6px 12px; margin: 6px 0 4px; font-size: 13px; }
.glance ul { margin: 4px 0; padding-left: 18px; }
.scroll { overflow-x: auto; }
"#;

/// Everything the report shows.
pub struct Report<'a> {
    /// The page title and heading.
    pub title: &'a str,
    /// When it was made (shown under the heading).
    pub generated: &'a str,
    /// The filters applied, in words; empty for none.
    pub filters: &'a str,
    /// Pairs in the order shown (strongest first).
    pub pairs: &'a [PairRecord],
    /// The source audit; `None` leaves the section out.
    pub audits: Option<&'a [SourceAudit]>,
    /// Allegations nothing answers; `None` leaves the section out.
    pub unanswered: Option<&'a [ClaimRecord]>,
    /// The document of every claim, by claim id.
    pub docs: &'a ClaimDocuments,
    /// Document texts by document key, for context around sentences.
    pub texts: &'a HashMap<String, String>,
    /// When each reviewed pair got its verdict, by pair id.
    pub reviewed: &'a HashMap<String, String>,
    /// Numbers of stored documents, claims and pairs.
    pub counts: (usize, usize, usize),
}

/// The SHA-256 of `s`, base64, as a CSP source expression wants it.
fn sha256_base64(s: &str) -> String {
    use sha2::{Digest, Sha256};
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let digest = Sha256::digest(s.as_bytes());
    let mut out = String::new();
    for chunk in digest.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn head(title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'sha256-{hash}'; base-uri 'none'; form-action 'none'\">\n\
         <meta name=\"generator\" content=\"gainsay\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        hash = sha256_base64(SCRIPT),
        title = escape(title),
    )
}

fn tail() -> String {
    format!("<script>{SCRIPT}</script>\n</body>\n</html>\n")
}

/// A column of a sortable table.
struct Column<'a> {
    name: &'a str,
    numeric: bool,
}

/// A cell: its HTML (already escaped), and an optional sort key.
struct Cell {
    html: String,
    sort: Option<String>,
    class: Option<&'static str>,
}

impl Cell {
    fn text(s: &str) -> Cell {
        Cell {
            html: escape(s),
            sort: None,
            class: None,
        }
    }
    /// Text clipped to `max` characters, the full text in a tooltip.
    fn clipped(s: &str, max: usize) -> Cell {
        let short = clip(s, max);
        let html = if short.chars().count() < s.chars().count() {
            format!("<span title=\"{}\">{}</span>", escape(s), escape(&short))
        } else {
            escape(&short)
        };
        Cell {
            html,
            sort: Some(s.to_string()),
            class: None,
        }
    }
    fn number(n: impl ToString) -> Cell {
        let s = n.to_string();
        Cell {
            html: escape(&s),
            sort: Some(s),
            class: Some("num"),
        }
    }
}

fn sortable_table(id: &str, columns: &[Column], rows: Vec<Vec<Cell>>) -> String {
    let mut h = format!(
        "<table class=\"sortable\" id=\"{}\">\n<thead><tr>",
        escape(id)
    );
    for c in columns {
        let kind = if c.numeric { "number" } else { "text" };
        let _ = write!(h, "<th data-type=\"{kind}\">{}</th>", escape(c.name));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        h.push_str("<tr>");
        for cell in row {
            h.push_str("<td");
            if let Some(c) = cell.class {
                let _ = write!(h, " class=\"{c}\"");
            }
            if let Some(s) = &cell.sort {
                let _ = write!(h, " data-sort=\"{}\"", escape(s));
            }
            let _ = write!(h, ">{}</td>", cell.html);
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n");
    h
}

/// A whole page holding one sortable table of plain text cells: what
/// `--format html` gives for listings other than the contradictions.
pub fn table_page(title: &str, headers: &[&str], rows: &[Vec<String>]) -> String {
    let numeric: Vec<bool> = (0..headers.len())
        .map(|i| {
            !rows.is_empty()
                && rows
                    .iter()
                    .all(|r| r.get(i).is_some_and(|c| c.parse::<f64>().is_ok()))
        })
        .collect();
    let columns: Vec<Column> = headers
        .iter()
        .zip(&numeric)
        .map(|(name, &numeric)| Column { name, numeric })
        .collect();
    let body = rows
        .iter()
        .map(|r| {
            r.iter()
                .zip(&numeric)
                .map(|(c, &n)| if n { Cell::number(c) } else { Cell::text(c) })
                .collect()
        })
        .collect();
    format!(
        "{}<h1>{}</h1>\n{}{}",
        head(title),
        escape(title),
        sortable_table("listing", &columns, body),
        tail()
    )
}

fn id_number(id: &str) -> String {
    id.trim_start_matches(|c: char| c.is_ascii_alphabetic())
        .to_string()
}

fn status_badge(s: ReviewStatus) -> String {
    format!("<span class=\"status {0}\">{0}</span>", s.as_str())
}

impl Report<'_> {
    /// The page.
    pub fn render(&self) -> String {
        let mut h = head(self.title);
        let _ = writeln!(h, "<h1>{}</h1>", escape(self.title));
        h.push_str(&self.summary());
        h.push_str(&self.glance());
        h.push_str(&self.pair_table());
        if let Some(a) = self.audits {
            h.push_str(&audit_table(a));
        }
        if let Some(u) = self.unanswered {
            h.push_str(&self.unanswered_list(u));
        }
        h.push_str(&self.pair_details());
        h.push_str(&tail());
        h
    }

    fn summary(&self) -> String {
        let count = |s: ReviewStatus| self.pairs.iter().filter(|p| p.status == s).count();
        let (docs, claims, _) = self.counts;
        let mut h = format!(
            "<p class=\"summary\"><strong>{} contradiction{}</strong> ({} confirmed, {} open, {} dismissed) \
             among {claims} claims in {docs} documents. Strongest first; click a column \
             heading to sort, an id to see both sides.</p>\n",
            self.pairs.len(),
            if self.pairs.len() == 1 { "" } else { "s" },
            count(ReviewStatus::Confirmed),
            count(ReviewStatus::Open),
            count(ReviewStatus::Dismissed),
        );
        let _ = writeln!(
            h,
            "<p class=\"filters\">Generated {} by gainsay{}.</p>",
            escape(self.generated),
            if self.filters.is_empty() {
                String::new()
            } else {
                format!("; filters: {}", escape(self.filters))
            }
        );
        h
    }

    /// The strongest pair of each story, a story being the documents that
    /// pairs connect: one line per story, so that every story's headline
    /// contradiction is on the first screen however many pairs a busier one
    /// has.
    fn glance(&self) -> String {
        let stories = stories(self.pairs);
        if stories.len() < 2 {
            return String::new();
        }
        let mut h = String::from(
            "<div class=\"glance\"><strong>At a glance</strong>: the strongest contradiction of each story\n<ul>\n",
        );
        for story in stories {
            let p = &self.pairs[story.strongest];
            let outlets: Vec<String> = story
                .docs
                .iter()
                .map(|d| {
                    self.docs
                        .values()
                        .find(|s| &s.key == d)
                        .and_then(|s| s.outlet.clone())
                        .unwrap_or_else(|| d.clone())
                })
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            let _ = writeln!(
                h,
                "<li><a href=\"#{id}\">{id}</a> {kind} {score:.2}: <span class=\"src\">{sa}:</span> \
                 \u{201C}{ca}\u{201D} \u{27F7} <span class=\"src\">{sb}:</span> \u{201C}{cb}\u{201D} \
                 <span class=\"src\">({n} pair{s} in {outlets})</span></li>",
                id = escape(&p.id),
                kind = escape(p.kind.as_str()),
                score = p.score,
                sa = escape(&clip(&source_label(&p.a), 40)),
                ca = escape(&clip(&p.a.content.text, 70)),
                sb = escape(&clip(&source_label(&p.b), 40)),
                cb = escape(&clip(&p.b.content.text, 70)),
                n = story.pairs,
                s = if story.pairs == 1 { "" } else { "s" },
                outlets = escape(&outlets.join(", ")),
            );
        }
        h.push_str("</ul></div>\n");
        h
    }

    fn date(&self, c: &ClaimRecord) -> String {
        claim_date_in(c, self.docs).unwrap_or_default()
    }

    fn pair_table(&self) -> String {
        let columns = [
            Column {
                name: "id",
                numeric: true,
            },
            Column {
                name: "kind",
                numeric: false,
            },
            Column {
                name: "score",
                numeric: true,
            },
            Column {
                name: "status",
                numeric: false,
            },
            Column {
                name: "claim",
                numeric: false,
            },
            Column {
                name: "claimed by",
                numeric: false,
            },
            Column {
                name: "opposed by",
                numeric: false,
            },
            Column {
                name: "opposing source",
                numeric: false,
            },
            Column {
                name: "dates",
                numeric: false,
            },
        ];
        let rows = self
            .pairs
            .iter()
            .map(|p| {
                let dates = format!("{} \u{2192} {}", self.date(&p.a), self.date(&p.b));
                vec![
                    Cell {
                        html: format!("<a href=\"#{0}\">{0}</a>", escape(&p.id)),
                        sort: Some(id_number(&p.id)),
                        class: Some("num"),
                    },
                    Cell {
                        class: Some("kind"),
                        ..Cell::text(p.kind.as_str())
                    },
                    Cell::number(format!("{:.2}", p.score)),
                    Cell {
                        html: status_badge(p.status),
                        sort: Some(p.status.as_str().to_string()),
                        class: None,
                    },
                    Cell::clipped(&p.a.content.text, 90),
                    Cell::clipped(&source_label(&p.a), 45),
                    Cell::clipped(&p.b.content.text, 90),
                    Cell::clipped(&source_label(&p.b), 45),
                    Cell {
                        class: Some("num"),
                        ..Cell::text(&dates)
                    },
                ]
            })
            .collect();
        format!(
            "<h2 id=\"contradictions\">Contradictions</h2>\n{}",
            sortable_table("pairs", &columns, rows)
        )
    }

    fn unanswered_list(&self, claims: &[ClaimRecord]) -> String {
        let mut h = String::from(
            "<h2 id=\"unanswered\">Unanswered allegations</h2>\n<ul class=\"unanswered\">\n",
        );
        if claims.is_empty() {
            h.push_str("<li>None.</li>\n");
        }
        for c in claims {
            let _ = writeln!(
                h,
                "<li><strong>{}</strong>: \u{201C}{}\u{201D} <span class=\"src\">({}, {}{})</span></li>",
                escape(&c.id),
                escape(&c.content.text),
                escape(&source_label(c)),
                escape(&self.doc_line(c)),
                c.channel
                    .as_ref()
                    .map_or(String::new(), |ch| format!(", via {}", escape(ch)))
            );
        }
        h.push_str("</ul>\n");
        h
    }

    /// "Title — Outlet — 2019-02-07" for a claim's document, as text.
    fn doc_line(&self, c: &ClaimRecord) -> String {
        match self.docs.get(&c.id) {
            Some(d) => [
                Some(d.title.clone().unwrap_or_else(|| d.key.clone())),
                d.outlet.clone(),
                d.published.clone(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" \u{2014} "),
            None => c.doc.clone(),
        }
    }

    fn pair_details(&self) -> String {
        let mut h = String::from(
            "<h2 id=\"pairs-in-full\">Each pair in full</h2>\n<p class=\"legend\">\
             <mark>content of the claim</mark> \u{b7} <b class=\"opp\">words that oppose</b> \
             \u{b7} <u class=\"shared\">terms both sides share</u></p>\n",
        );
        for p in self.pairs {
            let _ = writeln!(
                h,
                "<section class=\"pair\" id=\"{id}\">\n<h3><a href=\"#{id}\">{id}</a> \
                 {kind} \u{b7} score {score:.2} \u{b7} {status}</h3>\n<p class=\"why\">{why}</p>\n\
                 <div class=\"sides\">\n{a}{b}</div>",
                id = escape(&p.id),
                kind = escape(p.kind.as_str()),
                score = p.score,
                status = status_badge(p.status),
                why = escape(&p.evidence.reason),
                a = self.side("Claim", &p.a, p),
                b = self.side("Opposed by", &p.b, p),
            );
            let ev = &p.evidence;
            let mut parts = Vec::new();
            if !ev.shared.is_empty() {
                parts.push(format!("shared: {}", escape(&ev.shared.join(", "))));
            }
            if !ev.opposing.is_empty() {
                parts.push(format!("opposing: {}", escape(&ev.opposing.join(" | "))));
            }
            if !ev.rules.is_empty() {
                parts.push(format!("rules: {}", escape(&ev.rules.join(", "))));
            }
            if !parts.is_empty() {
                let _ = writeln!(h, "<p class=\"evidence\">{}</p>", parts.join(" \u{b7} "));
            }
            if p.status != ReviewStatus::Open || p.note.is_some() {
                let _ = writeln!(
                    h,
                    "<p class=\"note\">Review: {}{}{}</p>",
                    p.status.as_str(),
                    self.reviewed
                        .get(&p.id)
                        .map_or(String::new(), |t| format!(" on {}", escape(t))),
                    p.note
                        .as_ref()
                        .map_or(String::new(), |n| format!(" \u{2014} {}", escape(n)))
                );
            }
            h.push_str("</section>\n");
        }
        h
    }

    fn side(&self, label: &str, c: &ClaimRecord, p: &PairRecord) -> String {
        let doc = self.docs.get(&c.id);
        let text = doc.and_then(|d| self.texts.get(&d.key)).map(String::as_str);
        let ctx = in_context(c, text, Some(&p.evidence), CONTEXT_CHARS);
        let mut who = escape(&source_label(c));
        let _ = write!(who, " \u{b7} {}", c.stance);
        if let Some(q) = &c.cue {
            let _ = write!(who, " via \u{201C}{}\u{201D}", escape(&q.text));
        }
        if let Some(ch) = &c.channel {
            let _ = write!(who, " \u{b7} channel: {}", escape(ch));
        }
        let date = self.date(c);
        let mut where_ = escape(&self.doc_line(c));
        if let Some(url) = doc.and_then(|d| d.url.as_deref()).and_then(safe_url) {
            let _ = write!(
                where_,
                " \u{b7} <a href=\"{}\" rel=\"noreferrer\">link</a>",
                escape(url)
            );
        }
        if !date.is_empty() {
            let _ = write!(where_, " \u{b7} claimed {}", escape(&date));
        }
        format!(
            "<div class=\"side\">\n<h4>{label} <small>{id}</small></h4>\n<p>{who}</p>\n\
             <p class=\"src\">{where_}</p>\n<blockquote><span class=\"ctx\">{before}</span>{sentence}\
             <span class=\"ctx\">{after}</span></blockquote>\n</div>\n",
            label = escape(label),
            id = escape(&c.id),
            before = escape(&ctx.before),
            sentence = segments_html(&ctx.sentence),
            after = escape(&ctx.after),
        )
    }
}

/// Pairs connected through their documents.
struct Story {
    /// Index of its strongest pair in the report's pairs.
    strongest: usize,
    pairs: usize,
    docs: Vec<String>,
}

/// The stories of `pairs`, strongest first (pairs come strongest first, so
/// a story's first pair is its strongest).
fn stories(pairs: &[PairRecord]) -> Vec<Story> {
    let mut parent: HashMap<String, String> = HashMap::new();
    fn find(parent: &mut HashMap<String, String>, k: &str) -> String {
        let p = parent
            .entry(k.to_string())
            .or_insert_with(|| k.to_string())
            .clone();
        if p == k {
            return p;
        }
        let root = find(parent, &p);
        parent.insert(k.to_string(), root.clone());
        root
    }
    for p in pairs {
        let (ra, rb) = (find(&mut parent, &p.a.doc), find(&mut parent, &p.b.doc));
        if ra != rb {
            parent.insert(rb, ra);
        }
    }
    let mut out: Vec<Story> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (i, p) in pairs.iter().enumerate() {
        let root = find(&mut parent, &p.a.doc);
        let at = *index.entry(root).or_insert_with(|| {
            out.push(Story {
                strongest: i,
                pairs: 0,
                docs: Vec::new(),
            });
            out.len() - 1
        });
        let story = &mut out[at];
        story.pairs += 1;
        for d in [&p.a.doc, &p.b.doc] {
            if !story.docs.contains(d) {
                story.docs.push(d.clone());
            }
        }
    }
    out
}

fn segments_html(segments: &[Segment]) -> String {
    let mut h = String::new();
    let mut in_content = false;
    for s in segments {
        if s.content != in_content {
            h.push_str(if s.content { "<mark>" } else { "</mark>" });
            in_content = s.content;
        }
        let text = escape(&s.text);
        match s.word {
            Some(Word::Opposing) => {
                let _ = write!(h, "<b class=\"opp\">{text}</b>");
            }
            Some(Word::Shared) => {
                let _ = write!(h, "<u class=\"shared\">{text}</u>");
            }
            None => h.push_str(&text),
        }
    }
    if in_content {
        h.push_str("</mark>");
    }
    h
}

fn audit_table(audits: &[SourceAudit]) -> String {
    let text = |n: &'static str| Column {
        name: n,
        numeric: false,
    };
    let num = |n: &'static str| Column {
        name: n,
        numeric: true,
    };
    let columns = [
        text("source"),
        text("aliases"),
        text("people"),
        num("claims"),
        num("asserts"),
        num("alleges"),
        num("denies"),
        num("reports"),
        num("denials issued"),
        text("denied"),
        num("contradicted"),
        text("contradicted by"),
        num("unanswered"),
        text("carried by"),
        text("first"),
        text("last"),
    ];
    let rows = audits
        .iter()
        .map(|a| {
            vec![
                Cell::text(&a.source),
                Cell::clipped(&a.aliases.join("; "), 60),
                Cell::clipped(&a.people.join("; "), 60),
                Cell::number(a.claims),
                Cell::number(a.asserts),
                Cell::number(a.alleges),
                Cell::number(a.denies),
                Cell::number(a.reports),
                Cell::number(a.denials_issued),
                Cell::clipped(&a.denied.join("; "), 60),
                Cell::number(a.contradicted),
                Cell::clipped(&a.contradicted_by.join("; "), 60),
                Cell::number(a.unanswered.len()),
                Cell::clipped(&a.carried_by().join("; "), 60),
                Cell::text(a.first_date.as_deref().unwrap_or("")),
                Cell::text(a.last_date.as_deref().unwrap_or("")),
            ]
        })
        .collect();
    format!(
        "<h2 id=\"audit\">Sources</h2>\n<div class=\"scroll\">{}</div>\n",
        sortable_table("sources", &columns, rows)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_content_and_attributes() {
        assert_eq!(
            escape(r#""><img src=x onerror='a()'>&"#),
            "&quot;&gt;&lt;img src=x onerror=&#39;a()&#39;&gt;&amp;"
        );
    }

    #[test]
    fn only_web_links_are_written() {
        assert_eq!(safe_url(" https://x.org/a "), Some("https://x.org/a"));
        assert_eq!(safe_url("JavaScript:alert(1)"), None);
        assert_eq!(safe_url("data:text/html,<b>"), None);
    }

    #[test]
    fn base64_of_the_script_hash_is_standard() {
        // printf 'abc' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            sha256_base64("abc"),
            "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
        );
    }

    #[test]
    fn table_page_escapes_every_cell_and_sorts_numbers_as_numbers() {
        let rows = vec![
            vec!["<script>x</script>".to_string(), "10".to_string()],
            vec!["\"a\" & 'b'".to_string(), "9".to_string()],
        ];
        let page = table_page("t <i>", &["name", "n"], &rows);
        assert!(!page.contains("<script>x"));
        assert!(!page.contains("<i>"));
        assert!(page.contains("data-type=\"number\">n</th>"));
        assert_eq!(page.matches("<script>").count(), 1);
    }
}
