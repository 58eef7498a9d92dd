//! PolNeAR extraction evaluation: does the extractor find who said what?
//!
//! # Input
//! A split directory holds `text/<stem>.txt` and `attributions/<stem>_<annotator>.ann`
//! (BRAT standoff). Offsets count **characters** (Unicode scalar values),
//! end-exclusive, and a span may be discontinuous (`T3\tContent 10 20;25 40\t...`).
//! `T` lines give Source, Cue and Content spans (`Content2` and further
//! numbered roles are more pieces of the content); `E` lines tie them into one
//! attribution, any part of which may be missing. Comment lines (`#`), other
//! standoff kinds, unused span types (`Discard`, `Discuss`) and the
//! continuation lines of span texts that contain a line break are skipped.
//!
//! Some articles were annotated by several annotators: the `.ann` file whose
//! name sorts first is the gold standard, the others are ignored. Texts
//! without any `.ann` file are skipped (there is nothing to score them
//! against), and attributions without a content span are not counted.
//!
//! # Scoring (`../shared/data/README.md`)
//! - A gold attribution is **found** when a predicted claim's content span
//!   overlaps the gold content by at least half of the shorter of the two (in
//!   characters; a discontinuous gold content counts the union of its
//!   pieces). Exactly half counts. Matching is not one-to-one: one prediction
//!   may find several gold attributions.
//! - A prediction is **correct** when it overlaps any gold content that way.
//! - On found attributions, the **source** is right when the gold source's
//!   head word (its last token, possessive `'s` removed) lies inside the
//!   predicted `source.start..source.end` or inside `source.mention`; the
//!   **cue** is right when the gold cue's last token lies inside the predicted
//!   cue. The prediction used is the one that overlaps the gold content most.
//!   Attributions without a gold source (or cue) are left out of that
//!   accuracy.
//! - **Exact** matching compares the predicted content span with the gold
//!   content's extent after trimming whitespace and punctuation (quotes,
//!   commas, periods, dashes) from both ends of each.
//! - The **speech subset** holds the attributions whose cue contains a word of
//!   [`SPEECH_WORDS`] (see [`speech_cue`]). Its recall is over speech gold
//!   attributions; its precision counts a prediction right when it overlaps a
//!   speech gold content, and leaves out (as neither right nor wrong) the
//!   predictions that overlap only non-speech attributions such as thoughts
//!   and feelings, which the subset does not judge. [`Scores::ignored`] counts
//!   those, so the stricter figure can be computed.

use super::{f1, ratio, EvalError};
use crate::model::{ClaimRecord, Document};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

/// Words that make a cue an act of saying, reporting, claiming or denying:
/// the speech subset. A fixed list owned by the evaluation, deliberately
/// independent of gainsay's own cue rules, so improving the rules cannot move
/// the yardstick. Lowercase, sorted (checked by a test).
pub const SPEECH_WORDS: &[&str] = &[
    "according",
    "accuse",
    "accused",
    "acknowledge",
    "acknowledged",
    "add",
    "added",
    "adds",
    "allege",
    "alleged",
    "allegedly",
    "announce",
    "announced",
    "argue",
    "argued",
    "ask",
    "asked",
    "assert",
    "asserted",
    "call",
    "called",
    "charge",
    "charged",
    "claim",
    "claimed",
    "comment",
    "commented",
    "complain",
    "complained",
    "conclude",
    "concluded",
    "confirm",
    "confirmed",
    "contend",
    "contended",
    "continue",
    "continued",
    "declare",
    "declared",
    "denied",
    "denies",
    "deny",
    "describe",
    "described",
    "dismiss",
    "dismissed",
    "emphasize",
    "emphasized",
    "explain",
    "explained",
    "insist",
    "insisted",
    "maintain",
    "maintained",
    "note",
    "noted",
    "predict",
    "predicted",
    "promise",
    "promised",
    "quote",
    "quoted",
    "recall",
    "recalled",
    "refute",
    "refuted",
    "reject",
    "rejected",
    "remark",
    "remarked",
    "replied",
    "reply",
    "report",
    "reported",
    "reports",
    "respond",
    "responded",
    "said",
    "say",
    "saying",
    "says",
    "state",
    "stated",
    "stress",
    "stressed",
    "suggest",
    "suggested",
    "tell",
    "telling",
    "tells",
    "testify",
    "told",
    "tweet",
    "tweeted",
    "urge",
    "urged",
    "vow",
    "vowed",
    "warn",
    "warned",
    "write",
    "wrote",
];

/// True when any word of `cue` (letters only, lowercased) is in [`SPEECH_WORDS`].
pub fn speech_cue(cue: &str) -> bool {
    cue.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .any(|w| {
            SPEECH_WORDS
                .binary_search(&w.to_lowercase().as_str())
                .is_ok()
        })
}

/// Character offsets into a document text, end-exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CharSpan {
    pub start: usize,
    pub end: usize,
}

impl CharSpan {
    pub fn len(self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    fn contains(self, other: CharSpan) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    fn intersection(self, other: CharSpan) -> usize {
        self.end
            .min(other.end)
            .saturating_sub(self.start.max(other.start))
    }
}

/// One gold attribution. Each part is a list of pieces in text order;
/// `content` is merged (no overlapping pieces) and never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldAttribution {
    /// The `E` id in the `.ann` file.
    pub id: String,
    pub source: Vec<CharSpan>,
    pub cue: Vec<CharSpan>,
    pub content: Vec<CharSpan>,
    /// Whether the cue is an act of speech ([`speech_cue`]).
    pub speech: bool,
}

impl GoldAttribution {
    fn content_len(&self) -> usize {
        self.content.iter().map(|s| s.len()).sum()
    }

    /// Characters of the content inside `span`.
    fn overlap(&self, span: CharSpan) -> usize {
        self.content.iter().map(|s| s.intersection(span)).sum()
    }

    /// The scoring rule: overlap of at least half the shorter span.
    pub fn found_by(&self, span: CharSpan) -> bool {
        let overlap = self.overlap(span);
        let shorter = self.content_len().min(span.len());
        overlap > 0 && 2 * overlap >= shorter
    }

    fn extent(&self) -> CharSpan {
        CharSpan {
            start: self.content[0].start,
            end: self.content[self.content.len() - 1].end,
        }
    }
}

/// A text with its gold attributions.
#[derive(Debug, Clone)]
pub struct AnnotatedDocument {
    pub document: Document,
    /// The `.ann` file the gold comes from.
    pub annotation: PathBuf,
    pub attributions: Vec<GoldAttribution>,
}

/// Reads a split directory (`text/`, `attributions/`), documents in key order.
pub fn load(dir: &Path) -> Result<Vec<AnnotatedDocument>, EvalError> {
    let texts = files_with_extension(&dir.join("text"), "txt")?;
    let anns = files_with_extension(&dir.join("attributions"), "ann")?;
    // stem -> first .ann (names sorted, so the first annotator wins)
    let mut chosen: BTreeMap<&str, &PathBuf> = BTreeMap::new();
    for (stem, path) in &anns {
        let text_stem = match stem.rsplit_once('_') {
            Some((prefix, _)) if texts.contains_key(prefix) => prefix,
            _ if texts.contains_key(stem.as_str()) => stem.as_str(),
            _ => {
                return Err(EvalError::Missing {
                    path: path.clone(),
                    message: "no text file for this annotation".into(),
                })
            }
        };
        chosen.entry(text_stem).or_insert(path);
    }
    if chosen.is_empty() {
        return Err(EvalError::Missing {
            path: dir.join("attributions"),
            message: "no .ann files".into(),
        });
    }
    let mut documents = Vec::with_capacity(chosen.len());
    for (stem, ann_path) in chosen {
        let text_path = &texts[stem];
        let text = std::fs::read_to_string(text_path).map_err(|e| EvalError::io(text_path, e))?;
        let ann = std::fs::read_to_string(ann_path).map_err(|e| EvalError::io(ann_path, e))?;
        let chars: Vec<char> = text.chars().collect();
        let attributions = parse_ann(ann_path, &ann, &chars)?;
        documents.push(AnnotatedDocument {
            document: document(stem, text),
            annotation: ann_path.clone(),
            attributions,
        });
    }
    Ok(documents)
}

/// Stem → path of the files in `dir` with extension `ext`, sorted by name.
fn files_with_extension(dir: &Path, ext: &str) -> Result<BTreeMap<String, PathBuf>, EvalError> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).map_err(|e| EvalError::io(dir, e))? {
        let path = entry.map_err(|e| EvalError::io(dir, e))?.path();
        if path.extension().and_then(|e| e.to_str()) != Some(ext) {
            continue;
        }
        if let Some(stem) = path.file_stem().and_then(|s| s.to_str()) {
            out.insert(stem.to_string(), path.clone());
        }
    }
    Ok(out)
}

/// The document handed to the extractor. PolNeAR stems read
/// `<outlet>_<YYYY-MM-DD>_<slug>`; outlet and date are filled from them.
fn document(stem: &str, text: String) -> Document {
    let mut parts = stem.splitn(3, '_');
    let outlet = parts.next().filter(|s| !s.is_empty()).map(str::to_string);
    let published = parts
        .next()
        .filter(|d| d.len() == 10 && d.as_bytes()[4] == b'-' && d.as_bytes()[7] == b'-')
        .map(str::to_string);
    Document {
        key: stem.to_string(),
        title: None,
        outlet: published.as_ref().and(outlet),
        url: None,
        published,
        text,
    }
}

/// Parses BRAT standoff against the text's characters. `path` is only for
/// error messages.
pub fn parse_ann(path: &Path, ann: &str, text: &[char]) -> Result<Vec<GoldAttribution>, EvalError> {
    let mut spans: HashMap<&str, Vec<CharSpan>> = HashMap::new();
    let mut events: Vec<(u64, &str, &str)> = Vec::new();
    for (i, line) in ann.lines().enumerate() {
        let lineno = i as u64 + 1;
        let Some((id, rest)) = line.split_once('\t') else {
            continue; // continuation of a multi-line span text
        };
        let mut id_chars = id.chars();
        let kind = id_chars.next();
        if id.len() < 2 || !id_chars.all(|c| c.is_ascii_digit()) {
            continue; // comment (`#1`) or continuation text containing a tab
        }
        match kind {
            Some('T') => {
                let desc = rest.split('\t').next().unwrap_or("");
                let Some((_kind, offsets)) = desc.split_once(' ') else {
                    return Err(EvalError::malformed(
                        path,
                        lineno,
                        format!("no offsets in '{desc}'"),
                    ));
                };
                let mut pieces = Vec::new();
                for piece in offsets.split(';') {
                    let bounds: Vec<usize> = piece
                        .split(' ')
                        .map(str::parse)
                        .collect::<Result<_, _>>()
                        .map_err(|_| {
                            EvalError::malformed(path, lineno, format!("bad offsets '{piece}'"))
                        })?;
                    let [start, end] = bounds[..] else {
                        return Err(EvalError::malformed(
                            path,
                            lineno,
                            format!("bad offsets '{piece}'"),
                        ));
                    };
                    if start > end || end > text.len() {
                        return Err(EvalError::malformed(
                            path,
                            lineno,
                            format!(
                                "span {start}..{end} outside the text ({} characters)",
                                text.len()
                            ),
                        ));
                    }
                    pieces.push(CharSpan { start, end });
                }
                spans.insert(id, pieces);
            }
            Some('E') => events.push((lineno, id, rest)),
            _ => {} // attributes, relations, notes: not scored
        }
    }

    let mut attributions = Vec::new();
    for (lineno, id, rest) in events {
        let mut gold = GoldAttribution {
            id: id.to_string(),
            source: Vec::new(),
            cue: Vec::new(),
            content: Vec::new(),
            speech: false,
        };
        // The first argument is the trigger (`Attribution:T4`).
        for arg in rest.split_whitespace().skip(1) {
            let Some((role, target)) = arg.split_once(':') else {
                return Err(EvalError::malformed(
                    path,
                    lineno,
                    format!("bad argument '{arg}'"),
                ));
            };
            let pieces = spans.get(target).ok_or_else(|| {
                EvalError::malformed(path, lineno, format!("unknown span '{target}'"))
            })?;
            let part = match role.trim_end_matches(|c: char| c.is_ascii_digit()) {
                "Source" => &mut gold.source,
                "Cue" => &mut gold.cue,
                "Content" => &mut gold.content,
                _ => {
                    return Err(EvalError::malformed(
                        path,
                        lineno,
                        format!("unknown role '{role}'"),
                    ))
                }
            };
            part.extend(pieces.iter().copied());
        }
        for part in [&mut gold.source, &mut gold.cue, &mut gold.content] {
            *part = merge(std::mem::take(part));
        }
        if gold.content.is_empty() {
            continue;
        }
        gold.speech = speech_cue(&join(text, &gold.cue));
        attributions.push(gold);
    }
    Ok(attributions)
}

/// Sorts pieces, drops empty ones and merges those that overlap or touch.
fn merge(mut pieces: Vec<CharSpan>) -> Vec<CharSpan> {
    pieces.retain(|s| !s.is_empty());
    pieces.sort();
    let mut out: Vec<CharSpan> = Vec::with_capacity(pieces.len());
    for s in pieces {
        match out.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// The text of `pieces`, joined by spaces.
fn join(text: &[char], pieces: &[CharSpan]) -> String {
    let parts: Vec<String> = pieces
        .iter()
        .map(|s| text[s.start..s.end].iter().collect())
        .collect();
    parts.join(" ")
}

/// The last token of `pieces`: the last whitespace-separated word, trimmed
/// of punctuation, without a possessive `'s`.
pub fn head_word(text: &[char], pieces: &[CharSpan]) -> Option<CharSpan> {
    let piece = pieces.last()?;
    let chars = &text[piece.start..piece.end];
    let mut end = chars.len();
    while end > 0 && !chars[end - 1].is_alphanumeric() {
        end -= 1;
    }
    let mut start = end;
    while start > 0 && !chars[start - 1].is_whitespace() {
        start -= 1;
    }
    while start < end && !chars[start].is_alphanumeric() {
        start += 1;
    }
    if start == end {
        return None;
    }
    if end - start > 2 && chars[end - 1] == 's' && matches!(chars[end - 2], '\'' | '’') {
        end -= 2;
    }
    Some(CharSpan {
        start: piece.start + start,
        end: piece.start + end,
    })
}

fn trimmed(text: &[char], span: CharSpan) -> CharSpan {
    let strip = |c: char| {
        c.is_whitespace()
            || c.is_ascii_punctuation()
            || matches!(c, '“' | '”' | '‘' | '’' | '«' | '»' | '—' | '–' | '…')
    };
    let (mut start, mut end) = (span.start, span.end);
    while start < end && strip(text[start]) {
        start += 1;
    }
    while end > start && strip(text[end - 1]) {
        end -= 1;
    }
    CharSpan { start, end }
}

/// Counts for one set of gold attributions (all, or the speech subset).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scores {
    /// Gold attributions.
    pub gold: usize,
    /// Predictions scored for precision.
    pub predicted: usize,
    /// Predictions left out of precision: they overlap only attributions
    /// outside this subset (always 0 for all attributions).
    pub ignored: usize,
    /// Gold attributions found.
    pub found: usize,
    /// Predictions that overlap a gold content of this set.
    pub correct: usize,
    /// Found attributions with a gold source head, and those whose source was right.
    pub source_scored: usize,
    pub source_right: usize,
    /// Found attributions with a gold cue head, and those whose cue was right.
    pub cue_scored: usize,
    pub cue_right: usize,
    /// Gold attributions whose trimmed content a prediction equals.
    pub exact_found: usize,
    /// Predictions whose trimmed content equals a gold content.
    pub exact_correct: usize,
}

impl Scores {
    pub fn content_precision(&self) -> f64 {
        ratio(self.correct, self.predicted)
    }
    pub fn content_recall(&self) -> f64 {
        ratio(self.found, self.gold)
    }
    pub fn content_f1(&self) -> f64 {
        f1(self.content_precision(), self.content_recall())
    }
    /// Share of found attributions (with a gold source) whose source is right.
    pub fn source_accuracy(&self) -> f64 {
        ratio(self.source_right, self.source_scored)
    }
    /// Share of found attributions (with a gold cue) whose cue is right.
    pub fn cue_accuracy(&self) -> f64 {
        ratio(self.cue_right, self.cue_scored)
    }
    pub fn exact_precision(&self) -> f64 {
        ratio(self.exact_correct, self.predicted)
    }
    pub fn exact_recall(&self) -> f64 {
        ratio(self.exact_found, self.gold)
    }
    pub fn exact_f1(&self) -> f64 {
        f1(self.exact_precision(), self.exact_recall())
    }
}

/// Results over a split: every attribution, and the speech subset.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PolnearReport {
    pub documents: usize,
    pub all: Scores,
    pub speech: Scores,
}

/// Reads the split in `dir`, runs `extract` on each document and scores it.
pub fn evaluate(
    dir: &Path,
    extract: impl Fn(&Document) -> Vec<ClaimRecord> + Sync,
) -> Result<PolnearReport, EvalError> {
    let mut report = PolnearReport::default();
    for doc in load(dir)? {
        let predictions = extract(&doc.document);
        score_document(&doc, &predictions, &mut report)?;
    }
    Ok(report)
}

/// Adds one document's counts to `report`.
pub fn score_document(
    doc: &AnnotatedDocument,
    predictions: &[ClaimRecord],
    report: &mut PolnearReport,
) -> Result<(), EvalError> {
    let text: Vec<char> = doc.document.text.chars().collect();
    let span = |start: usize, end: usize, what: &str| {
        if start <= end && end <= text.len() {
            Ok(CharSpan { start, end })
        } else {
            Err(EvalError::Prediction(format!(
                "{}: {what} span {start}..{end} outside the text ({} characters)",
                doc.document.key,
                text.len()
            )))
        }
    };
    let contents = predictions
        .iter()
        .map(|p| span(p.content.start, p.content.end, "content"))
        .collect::<Result<Vec<_>, _>>()?;
    let trimmed_contents: Vec<CharSpan> = contents.iter().map(|&s| trimmed(&text, s)).collect();
    let gold_exact: Vec<CharSpan> = doc
        .attributions
        .iter()
        .map(|g| trimmed(&text, g.extent()))
        .collect();

    report.documents += 1;
    for (gold, &exact) in doc.attributions.iter().zip(&gold_exact) {
        let best = contents
            .iter()
            .enumerate()
            .filter(|(_, &s)| gold.found_by(s))
            .max_by_key(|(i, &s)| (gold.overlap(s), std::cmp::Reverse(*i)))
            .map(|(i, _)| &predictions[i]);
        let exact_found = trimmed_contents.contains(&exact);
        let mut sets = vec![&mut report.all];
        if gold.speech {
            sets.push(&mut report.speech);
        }
        for scores in sets {
            scores.gold += 1;
            scores.exact_found += usize::from(exact_found);
            let Some(prediction) = best else { continue };
            scores.found += 1;
            if let Some(head) = head_word(&text, &gold.source) {
                scores.source_scored += 1;
                let right = prediction.source.as_ref().is_some_and(|s| {
                    CharSpan {
                        start: s.start,
                        end: s.end,
                    }
                    .contains(head)
                        || s.mention.as_ref().is_some_and(|m| {
                            CharSpan {
                                start: m.start,
                                end: m.end,
                            }
                            .contains(head)
                        })
                });
                scores.source_right += usize::from(right);
            }
            if let Some(head) = head_word(&text, &gold.cue) {
                scores.cue_scored += 1;
                let right = prediction.cue.as_ref().is_some_and(|c| {
                    CharSpan {
                        start: c.start,
                        end: c.end,
                    }
                    .contains(head)
                });
                scores.cue_right += usize::from(right);
            }
        }
    }

    let speech_exact: HashSet<CharSpan> = doc
        .attributions
        .iter()
        .zip(&gold_exact)
        .filter(|(g, _)| g.speech)
        .map(|(_, &s)| s)
        .collect();
    let all_exact: HashSet<CharSpan> = gold_exact.iter().copied().collect();
    for (&content, trim) in contents.iter().zip(&trimmed_contents) {
        let hits_any = doc.attributions.iter().any(|g| g.found_by(content));
        let hits_speech = doc
            .attributions
            .iter()
            .any(|g| g.speech && g.found_by(content));
        report.all.predicted += 1;
        report.all.correct += usize::from(hits_any);
        report.all.exact_correct += usize::from(all_exact.contains(trim));
        if hits_any && !hits_speech {
            report.speech.ignored += 1;
        } else {
            report.speech.predicted += 1;
            report.speech.correct += usize::from(hits_speech);
            report.speech.exact_correct += usize::from(speech_exact.contains(trim));
        }
    }
    Ok(())
}

/// A rate the report table prints.
type Rate = fn(&Scores) -> f64;

impl fmt::Display for PolnearReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (a, s) = (&self.all, &self.speech);
        writeln!(f, "PolNeAR: {} documents", self.documents)?;
        writeln!(f, "{:<28} {:>10} {:>10}", "", "all", "speech")?;
        let counts: [(&str, usize, usize); 5] = [
            ("gold attributions", a.gold, s.gold),
            ("predictions scored", a.predicted, s.predicted),
            ("predictions ignored", a.ignored, s.ignored),
            ("gold found", a.found, s.found),
            ("predictions correct", a.correct, s.correct),
        ];
        for (name, x, y) in counts {
            writeln!(f, "{name:<28} {x:>10} {y:>10}")?;
        }
        let rates: [(&str, Rate); 8] = [
            ("content precision", Scores::content_precision),
            ("content recall", Scores::content_recall),
            ("content F1", Scores::content_f1),
            ("source accuracy (found)", Scores::source_accuracy),
            ("cue accuracy (found)", Scores::cue_accuracy),
            ("exact precision", Scores::exact_precision),
            ("exact recall", Scores::exact_recall),
            ("exact F1", Scores::exact_f1),
        ];
        for (name, rate) in rates {
            writeln!(f, "{name:<28} {:>10.3} {:>10.3}", rate(a), rate(s))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Excerpt, Polarity, QuoteKind, SourceRef, Stance};

    const TEXT: &str = "«Zoë» Müller said the café was closed. Ana thinks it will rain. \
                        The café “never closed,” the owner’s aide denied.";

    /// Character offsets of the first `needle` in TEXT.
    fn at(needle: &str) -> CharSpan {
        let byte = TEXT.find(needle).expect(needle);
        let start = TEXT[..byte].chars().count();
        CharSpan {
            start,
            end: start + needle.chars().count(),
        }
    }

    fn t(id: &str, kind: &str, needle: &str) -> String {
        let s = at(needle);
        format!("{id}\t{kind} {} {}\t{needle}\n", s.start, s.end)
    }

    /// Three attributions: a plain speech one, a thought, and a denial whose
    /// content is discontinuous (and wraps over a line, as in the corpus).
    fn ann() -> String {
        let (a, b) = (at("The café"), at("never closed"));
        let mut s = String::new();
        s += &t("T1", "Source", "«Zoë» Müller");
        s += &t("T2", "Cue", "said");
        s += &t("T3", "Content", "the café was closed");
        s += &t("T4", "Attribution", "said");
        s += "E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3\n";
        s += &t("T5", "Source", "Ana");
        s += &t("T6", "Cue", "thinks");
        s += &t("T7", "Content", "it will rain");
        s += &t("T8", "Attribution", "thinks");
        s += "E2\tAttribution:T8 Content:T7 Cue:T6 Source:T5\n";
        s += &format!(
            "T9\tContent {} {};{} {}\tThe café\nnever closed\n",
            a.start, a.end, b.start, b.end
        );
        s += "\n";
        s += &t("T10", "Source", "the owner’s aide");
        s += &t("T11", "Cue", "denied");
        s += &t("T12", "Attribution-no-source", "denied");
        s += &t("T13", "Discard", "Ana");
        s += "E3\tAttribution:T12 Content:T9 Cue:T11 Source:T10\n";
        s += "E4\tAttribution-no-source:T12 \n";
        s += "#1\tAnnotatorNotes T9\tis this right?\n";
        s
    }

    fn chars() -> Vec<char> {
        TEXT.chars().collect()
    }

    fn excerpt(span: CharSpan) -> Excerpt {
        Excerpt {
            text: chars()[span.start..span.end].iter().collect(),
            start: span.start,
            end: span.end,
        }
    }

    fn claim(content: CharSpan, source: Option<CharSpan>, cue: Option<CharSpan>) -> ClaimRecord {
        ClaimRecord {
            id: "doc#1".into(),
            doc: "doc".into(),
            sentence: excerpt(content),
            content: excerpt(content),
            source: source.map(|s| SourceRef {
                text: excerpt(s).text,
                start: s.start,
                end: s.end,
                canonical: String::new(),
                role: None,
                affiliation: None,
                mention: None,
                unnamed: false,
            }),
            cue: cue.map(excerpt),
            subject: None,
            predicate: None,
            object: None,
            stance: Stance::Asserts,
            polarity: Polarity::Positive,
            hedges: Vec::new(),
            quote: QuoteKind::Indirect,
            channel: None,
            times: Vec::new(),
        }
    }

    /// A split directory with the fixture, plus a second annotator's file
    /// (with no attributions) that must be ignored.
    fn split() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("text")).unwrap();
        std::fs::create_dir(dir.path().join("attributions")).unwrap();
        let stem = "nyt_2016-01-02_cafe-story";
        std::fs::write(dir.path().join(format!("text/{stem}.txt")), TEXT).unwrap();
        std::fs::write(
            dir.path().join(format!("attributions/{stem}_00aa.ann")),
            ann(),
        )
        .unwrap();
        std::fs::write(dir.path().join(format!("attributions/{stem}_ffff.ann")), "").unwrap();
        dir
    }

    #[test]
    fn parses_char_offsets_and_discontinuous_spans() {
        let text = chars();
        let gold = parse_ann(Path::new("x.ann"), &ann(), &text).unwrap();
        let ids: Vec<&str> = gold.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(ids, ["E1", "E2", "E3"], "E4 has no content");
        assert_eq!(join(&text, &gold[0].source), "«Zoë» Müller");
        assert_eq!(join(&text, &gold[0].content), "the café was closed");
        assert_eq!(gold[2].content.len(), 2);
        assert_eq!(join(&text, &gold[2].content), "The café never closed");
        assert_eq!(join(&text, &gold[2].cue), "denied");
        let speech: Vec<bool> = gold.iter().map(|g| g.speech).collect();
        assert_eq!(speech, [true, false, true]);
    }

    #[test]
    fn head_words() {
        let text = chars();
        let head = |needle| {
            let s = head_word(&text, &[at(needle)]).unwrap();
            text[s.start..s.end].iter().collect::<String>()
        };
        assert_eq!(head("«Zoë» Müller"), "Müller");
        assert_eq!(head("the owner’s"), "owner");
        assert_eq!(head("the owner’s aide denied."), "denied");
        assert_eq!(head_word(&text, &[]), None);
    }

    #[test]
    fn malformed_standoff_names_the_line() {
        let text = chars();
        let err = parse_ann(
            Path::new("a.ann"),
            "T1\tCue 1 2\tx\nT2\tContent 5 x\ty\n",
            &text,
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "a.ann:2: bad offsets '5 x'");
        let err = parse_ann(Path::new("a.ann"), "T1\tCue 1 9999\tx\n", &text).unwrap_err();
        assert!(
            err.to_string().starts_with("a.ann:1: span 1..9999 outside"),
            "{err}"
        );
        let err = parse_ann(Path::new("a.ann"), "E1\tAttribution:T4 Cue:T9\n", &text).unwrap_err();
        assert_eq!(err.to_string(), "a.ann:1: unknown span 'T9'");
    }

    #[test]
    fn overlap_of_exactly_half_the_shorter_span_counts() {
        let gold = |content: Vec<CharSpan>| GoldAttribution {
            id: "E1".into(),
            source: vec![],
            cue: vec![],
            content,
            speech: true,
        };
        let span = |start, end| CharSpan { start, end };
        let g = gold(vec![span(0, 10)]);
        assert!(g.found_by(span(5, 25)), "5 of 10: exactly half");
        assert!(!g.found_by(span(6, 25)), "4 of 10: less than half");
        assert!(g.found_by(span(2, 4)), "the shorter span is the prediction");
        assert!(!g.found_by(span(10, 10)), "an empty span finds nothing");
        // A discontinuous gold content counts the union of its pieces (8 chars).
        let g = gold(vec![span(0, 4), span(10, 14)]);
        assert!(g.found_by(span(2, 12)), "2 + 2 of min(8, 10)");
        assert!(!g.found_by(span(3, 11)), "1 + 1 of 8");
    }

    #[test]
    fn speech_words() {
        assert!(
            SPEECH_WORDS.windows(2).all(|w| w[0] < w[1]),
            "sorted, no duplicates"
        );
        assert!(speech_cue("said"));
        assert!(speech_cue("According to"));
        assert!(speech_cue("has DENIED"));
        assert!(speech_cue("told reporters"));
        assert!(!speech_cue("thinks"));
        assert!(!speech_cue("has learned"));
        assert!(!speech_cue(""));
    }

    #[test]
    fn perfect_predictor_scores_one() {
        let dir = split();
        let text = chars();
        let gold = parse_ann(Path::new("x.ann"), &ann(), &text).unwrap();
        let report = evaluate(dir.path(), |doc| {
            assert_eq!(doc.key, "nyt_2016-01-02_cafe-story");
            assert_eq!(doc.published.as_deref(), Some("2016-01-02"));
            assert_eq!(doc.outlet.as_deref(), Some("nyt"));
            let extent = |p: &[CharSpan]| {
                p.first().map(|f| CharSpan {
                    start: f.start,
                    end: p.last().unwrap().end,
                })
            };
            gold.iter()
                .map(|g| claim(g.extent(), extent(&g.source), extent(&g.cue)))
                .collect()
        })
        .unwrap();
        assert_eq!(report.documents, 1, "the second annotator is ignored");
        for (scores, n) in [(report.all, 3), (report.speech, 2)] {
            assert_eq!((scores.gold, scores.found, scores.predicted), (n, n, n));
            assert_eq!(scores.content_f1(), 1.0);
            assert_eq!(scores.source_accuracy(), 1.0);
            assert_eq!(scores.cue_accuracy(), 1.0);
            assert_eq!(scores.exact_f1(), 1.0);
        }
        assert_eq!(report.speech.ignored, 1, "the thought is not judged");
        let shown = report.to_string();
        assert!(shown.contains("content F1"), "{shown}");
    }

    #[test]
    fn empty_predictor_finds_nothing() {
        let report = evaluate(split().path(), |_| Vec::new()).unwrap();
        assert_eq!(report.all.gold, 3);
        assert_eq!(report.all.content_recall(), 0.0);
        assert_eq!(report.speech.content_recall(), 0.0);
        assert_eq!(report.all.content_f1(), 0.0);
    }

    #[test]
    fn partial_predictions() {
        // Content found but source wrong; exact match only after trimming; one
        // prediction on nothing at all.
        let report = evaluate(split().path(), |_| {
            vec![
                claim(
                    at("said the café was closed."),
                    Some(at("«Zoë»")),
                    Some(at("said")),
                ),
                claim(at("“never closed,”"), None, Some(at("aide denied"))),
                claim(at("Ana thinks"), None, None),
            ]
        })
        .unwrap();
        let s = report.speech;
        assert_eq!((s.gold, s.found, s.predicted, s.correct), (2, 2, 3, 2));
        assert_eq!((s.source_scored, s.source_right), (2, 0));
        assert_eq!((s.cue_scored, s.cue_right), (2, 2));
        assert_eq!((s.exact_found, s.exact_correct), (0, 0));
        let a = report.all;
        assert_eq!((a.gold, a.found, a.correct), (3, 2, 2));
        let report = evaluate(split().path(), |_| {
            vec![claim(at("the café was closed."), None, None)]
        })
        .unwrap();
        assert_eq!((report.all.exact_found, report.all.exact_correct), (1, 1));
    }

    #[test]
    fn out_of_bounds_prediction_is_an_error() {
        let err = evaluate(split().path(), |_| {
            let mut c = claim(at("Ana"), None, None);
            c.content.end = 10_000;
            vec![c]
        })
        .unwrap_err();
        assert!(matches!(err, EvalError::Prediction(_)), "{err}");
    }
}
