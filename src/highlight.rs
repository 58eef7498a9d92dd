//! A claim in its sentence with a little context around it, cut into
//! segments that say what to mark: the claim's content, and the words the
//! pairing rests on (the opposing words, the shared terms).
//!
//! Renderers stay dumb: `show` prints the segments with `»content«`,
//! `*opposing*` and `_shared_`; the HTML report wraps them in `<mark>`,
//! `<b>` and `<u>` after escaping the text. Everything here works in
//! characters (Unicode scalar values), like the offsets in
//! [`crate::model`].

use crate::model::{ClaimRecord, Evidence};

/// How a word of the text takes part in a pairing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Word {
    /// A word the opposition rests on: "denied", "no", "close", "12".
    Opposing,
    /// A term both claims share: "patrol", "floodgates".
    Shared,
}

/// A run of text with the same marks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub text: String,
    /// Inside the claim's content.
    pub content: bool,
    pub word: Option<Word>,
}

/// A claim in its setting: context before the sentence, the sentence in
/// segments, context after. `before` and `after` are cut at word boundaries
/// and start or end with `…` where text was left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InContext {
    pub before: String,
    pub sentence: Vec<Segment>,
    pub after: String,
}

/// How many characters of context `in_context` keeps on either side.
pub const CONTEXT_CHARS: usize = 120;

/// The claim's sentence in segments, with up to `context` characters of the
/// document on either side. `doc_text` may be `None` (the document is not
/// at hand); the sentence is then shown alone.
pub fn in_context(
    claim: &ClaimRecord,
    doc_text: Option<&str>,
    evidence: Option<&Evidence>,
    context: usize,
) -> InContext {
    let sentence = segments(claim, evidence);
    let (mut before, mut after) = (String::new(), String::new());
    if let Some(text) = doc_text {
        let chars: Vec<char> = text.chars().collect();
        let (s, e) = (claim.sentence.start, claim.sentence.end);
        // Only trust offsets that agree with the stored sentence.
        let agrees = e <= chars.len()
            && s <= e
            && chars[s..e].iter().collect::<String>() == claim.sentence.text;
        if agrees {
            before = cut_before(&chars[s.saturating_sub(context)..s], s > context);
            after = cut_after(
                &chars[e..(e + context).min(chars.len())],
                e + context < chars.len(),
            );
        }
    }
    InContext {
        before,
        sentence,
        after,
    }
}

fn cut_before(chars: &[char], cut: bool) -> String {
    let s: String = chars.iter().collect();
    if !cut {
        return s;
    }
    match s.find(char::is_whitespace) {
        Some(i) => format!("\u{2026}{}", s[i..].trim_start_matches(char::is_whitespace)),
        None => s,
    }
}

fn cut_after(chars: &[char], cut: bool) -> String {
    let s: String = chars.iter().collect();
    if !cut {
        return s;
    }
    match s.rfind(char::is_whitespace) {
        Some(i) => format!("{}\u{2026}", s[..i].trim_end()),
        None => s,
    }
}

/// The claim's sentence cut into runs of equal marks.
pub fn segments(claim: &ClaimRecord, evidence: Option<&Evidence>) -> Vec<Segment> {
    let chars: Vec<char> = claim.sentence.text.chars().collect();
    let rel = |offset: usize| offset.saturating_sub(claim.sentence.start).min(chars.len());
    let (cs, ce) = (rel(claim.content.start), rel(claim.content.end));
    let mut marks: Vec<Option<Word>> = vec![None; chars.len()];
    if let Some(ev) = evidence {
        // Opposing words win over shared terms where both apply.
        mark_terms(&chars, &ev.shared, Word::Shared, &mut marks);
        mark_terms(&chars, &ev.opposing, Word::Opposing, &mut marks);
    }
    let mut out: Vec<Segment> = Vec::new();
    for (i, c) in chars.iter().enumerate() {
        let content = i >= cs && i < ce;
        let word = marks[i];
        match out.last_mut() {
            Some(last) if last.content == content && last.word == word => last.text.push(*c),
            _ => out.push(Segment {
                text: c.to_string(),
                content,
                word,
            }),
        }
    }
    out
}

/// Words of `chars` as (start, end) character ranges: runs of letters and
/// digits.
fn words(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in chars.iter().enumerate() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, chars.len()));
    }
    out
}

/// Whether a word of the text counts as the evidence term `term` (both
/// lower case): equal, or sharing a stem ("opened" and "open", "floods" and
/// "flood"). Short words must match exactly, so "no" marks only "no".
fn same_word(text: &str, term: &str) -> bool {
    if text == term {
        return true;
    }
    let (a, b) = (text.chars().count(), term.chars().count());
    if a.min(b) < 4 {
        return false;
    }
    let common = text
        .chars()
        .zip(term.chars())
        .take_while(|(x, y)| x == y)
        .count();
    common >= 4 && common + 3 >= a.max(b)
}

/// Marks every occurrence of each term. A term is split into words and
/// matched as a sequence; `…` separates independent parts ("keep … open").
fn mark_terms(chars: &[char], terms: &[String], mark: Word, marks: &mut [Option<Word>]) {
    let spans = words(chars);
    let lower: Vec<String> = spans
        .iter()
        .map(|&(s, e)| chars[s..e].iter().collect::<String>().to_lowercase())
        .collect();
    for term in terms {
        for part in term.split('\u{2026}') {
            let part: Vec<char> = part.to_lowercase().chars().collect();
            let pattern: Vec<String> = words(&part)
                .into_iter()
                .map(|(s, e)| part[s..e].iter().collect())
                .collect();
            if pattern.is_empty() || pattern.len() > lower.len() {
                continue;
            }
            for i in 0..=(lower.len() - pattern.len()) {
                if pattern
                    .iter()
                    .enumerate()
                    .all(|(j, p)| same_word(&lower[i + j], p))
                {
                    let (s, e) = (spans[i].0, spans[i + pattern.len() - 1].1);
                    for m in &mut marks[s..e] {
                        *m = Some(mark);
                    }
                }
            }
        }
    }
}

/// Plain-text rendering for the terminal: `»content«`, `*opposing*`,
/// `_shared_`, whitespace (hard-wrapped copy) folded to single spaces.
pub fn plain(c: &InContext) -> String {
    let mut s = String::new();
    s.push_str(&c.before);
    let mut in_content = false;
    for seg in &c.sentence {
        if seg.content != in_content {
            s.push(if seg.content { '\u{00BB}' } else { '\u{00AB}' });
            in_content = seg.content;
        }
        match seg.word {
            Some(Word::Opposing) => s.push_str(&format!("*{}*", seg.text)),
            Some(Word::Shared) => s.push_str(&format!("_{}_", seg.text)),
            None => s.push_str(&seg.text),
        }
    }
    if in_content {
        s.push('\u{00AB}');
    }
    s.push_str(&c.after);
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Excerpt, Polarity, QuoteKind, Stance};

    fn claim(doc: &str, sentence: &str, content: &str) -> ClaimRecord {
        let s = doc.find(sentence).unwrap();
        let c = sentence.find(content).unwrap();
        let chars = |b: &str, i: usize| b[..i].chars().count();
        let s_start = chars(doc, s);
        let c_start = s_start + chars(sentence, c);
        ClaimRecord {
            id: "c1".into(),
            doc: "d".into(),
            sentence: Excerpt {
                text: sentence.into(),
                start: s_start,
                end: s_start + sentence.chars().count(),
            },
            content: Excerpt {
                text: content.into(),
                start: c_start,
                end: c_start + content.chars().count(),
            },
            source: None,
            cue: None,
            subject: None,
            predicate: None,
            object: None,
            stance: Stance::Denies,
            polarity: Polarity::Positive,
            hedges: vec![],
            quote: QuoteKind::Indirect,
            channel: None,
            times: vec![],
        }
    }

    fn evidence(shared: &[&str], opposing: &[&str]) -> Evidence {
        Evidence {
            reason: String::new(),
            shared: shared.iter().map(|s| s.to_string()).collect(),
            opposing: opposing.iter().map(|s| s.to_string()).collect(),
            rules: vec![],
        }
    }

    #[test]
    fn marks_content_opposing_and_shared_words() {
        let doc = "Intro. The coalition denied that it opened the gates. Outro.";
        let c = claim(
            doc,
            "The coalition denied that it opened the gates.",
            "it opened the gates",
        );
        let ev = evidence(&["open", "gates"], &["denied"]);
        let ctx = in_context(&c, Some(doc), Some(&ev), 100);
        assert_eq!(
            plain(&ctx),
            "Intro. The coalition *denied* that »it _opened_ the _gates_«. Outro."
        );
    }

    #[test]
    fn split_phrases_and_short_words_match_exactly() {
        let doc = "We will keep the mine open, not close it; no notice.";
        let c = claim(doc, doc, "keep the mine open");
        let ev = evidence(&[], &["keep \u{2026} open", "no"]);
        let text = plain(&in_context(&c, Some(doc), Some(&ev), 10));
        assert_eq!(
            text,
            "We will »*keep* the mine *open*«, not close it; *no* notice."
        );
    }

    #[test]
    fn context_is_cut_at_word_boundaries_and_offsets_are_checked() {
        let doc = format!("{}The sentence. {}", "word ".repeat(50), "tail ".repeat(50));
        let c = claim(&doc, "The sentence.", "sentence");
        let ctx = in_context(&c, Some(&doc), None, 20);
        assert!(
            ctx.before.starts_with('\u{2026}') && ctx.before.ends_with("word "),
            "{:?}",
            ctx.before
        );
        assert!(ctx.after.ends_with('\u{2026}') && ctx.after.starts_with(" tail"));
        // A document whose text does not agree with the offsets gives no context.
        let ctx = in_context(&c, Some("something else entirely"), None, 20);
        assert!(ctx.before.is_empty() && ctx.after.is_empty());
    }

    #[test]
    fn multibyte_text_keeps_character_offsets() {
        let doc = "„Zitat“ — Ümit said the dam’s gates opened.";
        let c = claim(doc, doc, "the dam’s gates opened");
        let ev = evidence(&["gates"], &[]);
        assert_eq!(
            plain(&in_context(&c, Some(doc), Some(&ev), 5)),
            "„Zitat“ — Ümit said »the dam’s _gates_ opened«."
        );
    }
}
