//! The records gainsay produces and stores: documents, claim records and
//! contradiction pairs.
//!
//! These are the staged, plain types every other stage shares. Extraction
//! works on byte spans ([`crate::text::Span`]); everything here that points
//! into a document uses **character offsets** (Unicode scalar values,
//! end-exclusive), because that is what the JSON contract promises and what
//! other tools (PolNeAR, editors, JavaScript) count in.
//!
//! # JSON contract
//! A claim line (`gainsay extract --format json`, `gainsay claims --format json`)
//! is a serialised [`ClaimRecord`]; a pair line (`gainsay contradictions
//! --format json`) is a serialised [`PairRecord`]. Field names and enum
//! spellings (`snake_case`) are part of the contract: add fields, never rename
//! or remove them. Optional fields are `null`, never absent.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A document as read from a file, a JSON line or stdin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// The document's name: the path as given, or the JSON Lines `id`.
    pub key: String,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub url: Option<String>,
    /// Publication date as written in the input (ISO `YYYY-MM-DD` when known).
    pub published: Option<String>,
    pub text: String,
}

impl Document {
    /// Hex SHA-256 of the text: the identity under which a document is stored once.
    pub fn content_hash(&self) -> String {
        use sha2::{Digest, Sha256};
        to_hex(&Sha256::digest(self.text.as_bytes()))
    }
}

/// Bytes as lowercase hex, two digits each.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(2 * bytes.len());
    for &b in bytes {
        hex.push(char::from(DIGITS[usize::from(b >> 4)]));
        hex.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    hex
}

/// A stretch of a document: its text as written and its character offsets
/// (Unicode scalar values) into the document text, end-exclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Excerpt {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// How a source put a claim.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    /// Said it as fact: "said", "told", "added".
    #[default]
    Asserts,
    /// Put it forward as unproven: "claimed", "alleged", "allegedly".
    Alleges,
    /// Rejected it: "denied", "dismissed", "refuted".
    Denies,
    /// Relayed it: "reported", "according to".
    Reports,
}

impl Stance {
    pub const ALL: [Stance; 4] = [
        Stance::Asserts,
        Stance::Alleges,
        Stance::Denies,
        Stance::Reports,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Asserts => "asserts",
            Stance::Alleges => "alleges",
            Stance::Denies => "denies",
            Stance::Reports => "reports",
        }
    }

    pub fn parse(s: &str) -> Option<Stance> {
        Stance::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for Stance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether the content, as stated, affirms or negates its predicate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    Positive,
    Negative,
}

impl Polarity {
    pub fn as_str(self) -> &'static str {
        match self {
            Polarity::Positive => "positive",
            Polarity::Negative => "negative",
        }
    }
    pub fn parse(s: &str) -> Option<Polarity> {
        match s {
            "positive" => Some(Polarity::Positive),
            "negative" => Some(Polarity::Negative),
            _ => None,
        }
    }
}

impl fmt::Display for Polarity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether the content is quoted verbatim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteKind {
    /// Entirely inside quotation marks.
    Direct,
    /// Reported speech without quotation marks.
    Indirect,
    /// Reported speech with a quoted fragment inside.
    Mixed,
    /// Not attributed speech at all (a plain statement of the document).
    None,
}

impl QuoteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteKind::Direct => "direct",
            QuoteKind::Indirect => "indirect",
            QuoteKind::Mixed => "mixed",
            QuoteKind::None => "none",
        }
    }
    pub fn parse(s: &str) -> Option<QuoteKind> {
        match s {
            "direct" => Some(QuoteKind::Direct),
            "indirect" => Some(QuoteKind::Indirect),
            "mixed" => Some(QuoteKind::Mixed),
            "none" => Some(QuoteKind::None),
            _ => None,
        }
    }
}

impl fmt::Display for QuoteKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who made a claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRef {
    /// The source as named (for a pronoun: the name it was resolved to, as
    /// written where that name appears).
    pub text: String,
    /// Character offsets of `text` in the document.
    pub start: usize,
    pub end: usize,
    /// Canonical key that groups aliases and a body's spokespeople together,
    /// e.g. `us-led coalition` for "the coalition" and its spokesperson.
    pub canonical: String,
    /// Role from an apposition or title: "spokesperson", "Ambassador to Iraq".
    pub role: Option<String>,
    /// Affiliation from an apposition or possessive: "the US-led coalition".
    pub affiliation: Option<String>,
    /// The source as written in this sentence when it differs from `text`:
    /// a pronoun or description it was resolved from ("he", "the coalition
    /// spokesperson", a bare surname), or the name with its apposition
    /// ("Col. Sean Ryan, a spokesperson for the US-led coalition,").
    pub mention: Option<Excerpt>,
    /// True for unnamed sources: "officials said", "a source close to ...".
    pub unnamed: bool,
}

/// A time expression inside a claim or its attribution ("on Monday").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeExpr {
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// The calendar date it resolves to against the document's date, if any.
    pub date: Option<String>,
}

/// One claim: who claimed what, how, and where it is written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimRecord {
    /// `c<N>` in a store; `<doc>#<n>` from `extract`.
    pub id: String,
    /// The document's key.
    pub doc: String,
    /// The sentence (or sentences) the claim is written in.
    pub sentence: Excerpt,
    /// The content as stated.
    pub content: Excerpt,
    pub source: Option<SourceRef>,
    pub cue: Option<Excerpt>,
    pub subject: Option<String>,
    pub predicate: Option<String>,
    pub object: Option<String>,
    pub stance: Stance,
    pub polarity: Polarity,
    pub hedges: Vec<String>,
    pub quote: QuoteKind,
    /// The outlet or medium the claim came through ("VOA", "Voice of America").
    pub channel: Option<String>,
    pub times: Vec<TimeExpr>,
}

/// Why two claims were paired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PairKind {
    /// One side denies the event or proposition the other asserts or alleges.
    Denial,
    /// The same proposition stated with opposite polarity.
    Negation,
    /// Opposing predicates or positions (withdraw / stay).
    Opposition,
    /// Different numbers for the same quantity of the same event.
    NumberConflict,
    /// Different dates for the same event.
    DateConflict,
    /// One side calls the other's event false, fake, a hoax, debunked.
    Refutation,
}

impl PairKind {
    pub const ALL: [PairKind; 6] = [
        PairKind::Denial,
        PairKind::Negation,
        PairKind::Opposition,
        PairKind::NumberConflict,
        PairKind::DateConflict,
        PairKind::Refutation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PairKind::Denial => "denial",
            PairKind::Negation => "negation",
            PairKind::Opposition => "opposition",
            PairKind::NumberConflict => "number_conflict",
            PairKind::DateConflict => "date_conflict",
            PairKind::Refutation => "refutation",
        }
    }

    pub fn parse(s: &str) -> Option<PairKind> {
        PairKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for PairKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The grounds for a pairing, in words a reader can check.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Evidence {
    /// One sentence saying why: "Coalition denies the encounter IMIS media allege".
    pub reason: String,
    /// Normalised terms and event groups both sides share.
    pub shared: Vec<String>,
    /// The words that carry the opposition (a denial cue, a negator, the two
    /// opposing predicates, the two numbers).
    pub opposing: Vec<String>,
    /// Ids of the rules that fired, e.g. `cues/deny`, `opposites/withdraw-stay`.
    pub rules: Vec<String>,
}

/// A human verdict on a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    Open,
    Confirmed,
    Dismissed,
}

impl ReviewStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewStatus::Open => "open",
            ReviewStatus::Confirmed => "confirmed",
            ReviewStatus::Dismissed => "dismissed",
        }
    }
    pub fn parse(s: &str) -> Option<ReviewStatus> {
        match s {
            "open" => Some(ReviewStatus::Open),
            "confirmed" => Some(ReviewStatus::Confirmed),
            "dismissed" => Some(ReviewStatus::Dismissed),
            _ => None,
        }
    }
}

/// Two opposing claims and why they were paired.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairRecord {
    /// `p<N>` in a store.
    pub id: String,
    pub kind: PairKind,
    /// Strength of the opposition in [0, 1].
    pub score: f64,
    /// The claim being opposed (the earlier or the allegation).
    pub a: ClaimRecord,
    /// The opposing claim (the denial, the negation, the other position).
    pub b: ClaimRecord,
    pub evidence: Evidence,
    pub status: ReviewStatus,
    pub note: Option<String>,
}

/// How a text relates to a claim, as `gainsay check` decides it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// The text denies, refutes or asserts the opposite of the claim.
    Contradicts,
    /// The text asserts the claim.
    Supports,
    /// The text relays the claim without endorsing it.
    Reports,
    /// The text is not about the claim's event.
    Unrelated,
}

impl Relation {
    pub const ALL: [Relation; 4] = [
        Relation::Contradicts,
        Relation::Supports,
        Relation::Reports,
        Relation::Unrelated,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Contradicts => "contradicts",
            Relation::Supports => "supports",
            Relation::Reports => "reports",
            Relation::Unrelated => "unrelated",
        }
    }
}

impl fmt::Display for Relation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_two_lowercase_digits_a_byte() {
        assert_eq!(to_hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
        assert_eq!(to_hex(&[]), "");
        // The SHA-256 of "abc", as every implementation prints it.
        let doc = Document {
            key: "abc.txt".to_string(),
            title: None,
            outlet: None,
            url: None,
            published: None,
            text: "abc".to_string(),
        };
        assert_eq!(
            doc.content_hash(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
