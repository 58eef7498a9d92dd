//! Attribution extraction: who claimed what, through which cue, and how.
//!
//! Works sentence by sentence over a [`Segmented`] text, driven entirely by
//! the cue and lexicon rules. The forms handled (general patterns of news
//! prose, not sentences):
//! - `SOURCE CUE [object] [time] [that] CONTENT` ("X said on Monday that ...",
//!   "X told VOA that ...", "X denied the report");
//! - `CONTENT, SOURCE CUE.` and `CONTENT, CUE SOURCE.` (trailing and inverted
//!   attribution), with appositions ("X, a spokesperson for Y, said");
//! - `"QUOTE," SOURCE CUE` and `SOURCE CUE: "QUOTE"`, with quotations that run
//!   over several sentences and paragraphs;
//! - `according to SOURCE, CONTENT` and `CONTENT, according to SOURCE`;
//! - `..., adding that CONTENT` / `saying that`: a further claim by the same source;
//! - `SOURCE released a video allegedly showing CONTENT` (media verbs with
//!   hedging adverbs) and hedging adverbs on their own ("reportedly");
//! - an unattributed quotation following an attributed one continues it.
//!
//! Sources are resolved after the pass: pronouns and descriptions ("he", "the
//! coalition spokesperson", a bare surname) to the nearest compatible named
//! source, keeping the mention; spokespeople are keyed by the body they speak
//! for; outlets relaying a claim become its channel.

use crate::model::{
    ClaimRecord, Document, Excerpt, Polarity, QuoteKind, SourceRef, Stance, TimeExpr,
};
use crate::rules::{AliasKind, CueKind, KeySet, LexiconRole, Rules, Word, WordFilter};
use crate::text::{char_offsets, is_numbered_no, Segmented, Span, TokenKind, TIME_WORDS};
use rustc_hash::FxHashMap;
use std::cell::{Cell, OnceCell};
use std::ops::{Deref, Range};
use std::sync::OnceLock;

/// An attribution found in the text, in byte spans (the internal stage
/// before [`ClaimRecord`]).
#[derive(Debug, Clone)]
pub struct Attribution {
    pub sentence: Span,
    pub paragraph: usize,
    pub content: Span,
    pub source: Option<Source>,
    pub cue: Option<Span>,
    /// Index into `Rules::cues`.
    pub cue_rule: Option<usize>,
    pub stance: Stance,
    pub polarity: Polarity,
    pub hedges: Vec<String>,
    pub quote: QuoteKind,
    pub channel: Option<String>,
    pub times: Vec<Span>,
    pub subject: Option<Span>,
    pub predicate: Option<Span>,
    pub object: Option<Span>,
}

/// A source as found, before and after resolution.
#[derive(Debug, Clone)]
pub struct Source {
    /// The mention in the sentence.
    pub mention: Span,
    /// The named source it resolves to (itself when already named).
    pub named: Span,
    pub name: String,
    pub role: Option<String>,
    pub affiliation: Option<String>,
    pub canonical: String,
    pub unnamed: bool,
    /// A pronoun or description that still needs resolving.
    pub anaphoric: bool,
    pub is_outlet: bool,
    /// Named by a person's name ("Col. Sean Ryan"), not a body.
    pub person: bool,
}

/// Options for extraction.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExtractOptions {
    /// Also emit every sentence without an attribution as an unattributed
    /// statement (quote kind `none`): what `check` compares claims against.
    pub statements: bool,
}

/// The extractor: rules plus options. Cheap to construct; holds no state
/// between documents.
pub struct Extractor<'r> {
    rules: &'r Rules,
    options: ExtractOptions,
}

const SUBORDINATORS: &[&str] = &[
    "that", "as", "while", "when", "because", "but", "although", "though", "if", "since", "after",
    "before", "where", "which", "who", "whom", "so", "and", "or", "than", "until", "unless",
    "whereas", "once",
];
const AUXILIARIES: &[&str] = &[
    "has",
    "have",
    "had",
    "also",
    "later",
    "previously",
    "then",
    "again",
    "repeatedly",
    "would",
    "will",
    "did",
    "does",
    "do",
    "once",
    "earlier",
    "publicly",
    "privately",
    "recently",
    "reportedly",
    "allegedly",
    "flatly",
    "strongly",
    "firmly",
    "quickly",
    "is",
    "was",
    "were",
    "are",
    "been",
    "being",
    "had",
    "not",
    "never",
];
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "his", "her", "its", "their", "our", "my",
    "your", "some", "any", "no", "every", "each",
];

/// How many earlier attributions a pronoun or description is resolved among.
const RESOLVE_WINDOW: usize = 64;

/// Closed word classes of the lists above, one bit each.
const DETERMINER: u8 = 1;
const AUXILIARY: u8 = 2;
const SUBORDINATOR: u8 = 4;
/// In [`TIME_WORDS`] as written.
const TIME: u8 = 8;
/// In [`TIME_WORDS`] once final dots are dropped ("feb." as well as "feb").
const TIME_UNDOTTED: u8 = 16;
/// Set once a token's classes in [`Doc`] are known.
const CLASSES_KNOWN: u8 = 64;
/// Set once a token's rule entry in [`Doc`] has been looked up.
const RULE_KNOWN: u8 = 128;

/// The closed classes by word, a filter of their words, and a filter of
/// [`TIME_WORDS`] alone.
fn class_table() -> &'static (FxHashMap<&'static str, u8>, WordFilter, WordFilter) {
    static CLASSES: OnceLock<(FxHashMap<&'static str, u8>, WordFilter, WordFilter)> =
        OnceLock::new();
    CLASSES.get_or_init(|| {
        let mut map: FxHashMap<&'static str, u8> = FxHashMap::default();
        let mut filter = WordFilter::default();
        for (list, class) in [
            (DETERMINERS, DETERMINER),
            (AUXILIARIES, AUXILIARY),
            (SUBORDINATORS, SUBORDINATOR),
            (TIME_WORDS, TIME),
        ] {
            for w in list {
                *map.entry(w).or_default() |= class;
                filter.insert(w);
            }
        }
        let mut time = WordFilter::default();
        for w in TIME_WORDS {
            time.insert(w);
        }
        (map, filter, time)
    })
}

/// The keys of the tokens that may start a time expression (see
/// [`may_start_time`]).
fn time_start_keys() -> &'static KeySet {
    static KEYS: OnceLock<KeySet> = OnceLock::new();
    KEYS.get_or_init(|| KeySet::new(|key| may_start_time(key, &class_table().2)))
}

/// False when a token of filter key `key` surely starts no time
/// expression: it is neither a day or month name (with or without final
/// dots) nor a four-letter word starting like "last", "next" or "this".
/// The filter key stands for the word unless it ends in a dot. Decided
/// from the key alone, which may let through a few more words.
fn may_start_time(key: u16, time_words: &WordFilter) -> bool {
    time_words.has_key(key)
        || WordFilter::key_may_end_with(key, b'.')
        || WordFilter::key_len(key) == 4
            && (WordFilter::key_may_start_with(key, b'l')
                || WordFilter::key_may_start_with(key, b'n')
                || WordFilter::key_may_start_with(key, b't'))
}

/// The classes of a lowercase word.
fn classes(lower: &str) -> u8 {
    let (map, filter, _) = class_table();
    if !filter.may_contain(lower) {
        return 0;
    }
    map.get(lower).copied().unwrap_or(0)
}

/// A segmented text with what the rules and the closed classes say about
/// each token, looked up at most once: the extractor asks about the same
/// tokens many times. Entries are filled on first use, since most tokens
/// are only ever asked whether they start a cue (a filter answers that).
struct Doc<'a> {
    seg: &'a Segmented<'a>,
    rules: &'a Rules,
    words: Vec<Cell<TokenWords<'a>>>,
    /// The filters asked about nearly every token, found once: with each
    /// token's filter key they answer most questions without its text.
    negators: &'a WordFilter,
    /// Negative implicatives ("failed", "refused"), which negate before "to".
    implicatives: &'a WordFilter,
    hedges: &'a WordFilter,
    cue_starts: &'a WordFilter,
}

#[derive(Debug, Clone, Copy, Default)]
struct TokenWords<'r> {
    rule: Word<'r>,
    classes: u8,
}

impl<'a> Doc<'a> {
    fn new(seg: &'a Segmented<'a>, rules: &'a Rules) -> Doc<'a> {
        Doc {
            seg,
            rules,
            words: vec![Cell::new(TokenWords::default()); seg.tokens.len()],
            negators: rules.role_filter(LexiconRole::Negator),
            implicatives: rules.role_filter(LexiconRole::NegativeImplicative),
            hedges: rules.role_filter(LexiconRole::Hedge),
            cue_starts: rules.cue_filter(),
        }
    }

    /// Token `k`'s [`WordFilter`] key.
    #[inline]
    fn key(&self, k: usize) -> u16 {
        self.seg.tokens[k].key
    }

    /// What the rules say about token `k`.
    #[inline]
    fn rule(&self, k: usize) -> Word<'a> {
        let known = self.words[k].get();
        if known.classes & RULE_KNOWN != 0 {
            return known.rule;
        }
        self.look_up_rule(k)
    }

    /// [`Doc::rule`] the first time it is asked about token `k`.
    #[inline(never)]
    fn look_up_rule(&self, k: usize) -> Word<'a> {
        let mut known = self.words[k].get();
        known.rule = self.rules.word(self.seg.lower(k));
        known.classes |= RULE_KNOWN;
        self.words[k].set(known);
        known.rule
    }

    /// The closed classes of token `k`.
    #[inline]
    fn classes(&self, k: usize) -> u8 {
        let known = self.words[k].get();
        if known.classes & CLASSES_KNOWN != 0 {
            return known.classes;
        }
        self.work_out_classes(k)
    }

    /// [`Doc::classes`] the first time it is asked about token `k`.
    #[inline(never)]
    fn work_out_classes(&self, k: usize) -> u8 {
        let mut known = self.words[k].get();
        let w = self.seg.lower(k);
        let mut c = CLASSES_KNOWN;
        let listed = w.ends_with('.') || class_table().1.has_key(self.key(k));
        if listed {
            c |= classes(w);
            let undotted = if w.ends_with('.') {
                let bare = w.trim_end_matches('.');
                !bare.is_empty() && classes(bare) & TIME != 0
            } else {
                c & TIME != 0
            };
            if undotted {
                c |= TIME_UNDOTTED;
            }
        }
        known.classes |= c;
        self.words[k].set(known);
        known.classes
    }

    /// Whether token `k`'s lowercase form has the lexicon role.
    #[inline]
    fn is(&self, role: LexiconRole, k: usize) -> bool {
        self.rules.role_filter(role).has_key(self.key(k)) && self.rule(k).is(role)
    }

    /// Whether token `k` is a hedge word.
    #[inline]
    fn is_hedge(&self, k: usize) -> bool {
        self.hedges.has_key(self.key(k)) && self.rule(k).is(LexiconRole::Hedge)
    }

    /// Like [`Doc::is`], for the form without final dots ("col." as "col").
    fn is_undotted(&self, role: LexiconRole, k: usize) -> bool {
        let w = self.seg.lower(k);
        if w.ends_with('.') {
            self.rules.is(role, w.trim_end_matches('.'))
        } else {
            self.is(role, k)
        }
    }

    /// Token `k`'s lowercase bytes (token spans are in bounds).
    #[inline]
    fn lower_bytes(&self, k: usize) -> &[u8] {
        let span = self.seg.tokens[k].span;
        &self.seg.lower.as_bytes()[span.start..span.end]
    }

    /// False when token `k` is surely no negator: neither a word of the
    /// role nor a form ending in "n't" (see [`Extractor::negates`]).
    #[inline]
    fn may_negate(&self, k: usize) -> bool {
        if self.negators.has_key(self.key(k)) || self.implicatives.has_key(self.key(k)) {
            return true;
        }
        // "n't" and "n’t" end in "t", which the key tells.
        if !WordFilter::key_may_end_with(self.key(k), b't') {
            return false;
        }
        let b = self.lower_bytes(k);
        b.ends_with(b"n't") || b.ends_with("n\u{2019}t".as_bytes())
    }

    /// False when token `k` surely starts no time expression (see
    /// [`may_start_time`]).
    #[cfg(test)]
    fn may_start_time(&self, k: usize, time_words: &WordFilter) -> bool {
        may_start_time(self.key(k), time_words)
    }

    /// What the rules say about token `k` if it may start a cue; nothing
    /// when surely not. Asks the cue filter's second key before looking
    /// the word up: many common words share a first key with a cue word
    /// ("and" with "add").
    #[inline(always)]
    fn cue_rule(&self, k: usize) -> Word<'a> {
        // Most tokens are turned away by their key, here, inline.
        if !self.cue_starts.has_key(self.key(k)) {
            return Word::default();
        }
        self.cue_rule_of_candidate(k)
    }

    /// [`Doc::cue_rule`] of a token whose key may start a cue.
    #[inline(never)]
    fn cue_rule_of_candidate(&self, k: usize) -> Word<'a> {
        let known = self.words[k].get();
        if known.classes & RULE_KNOWN != 0 {
            return known.rule;
        }
        if !self.cue_starts.may_contain_inner(self.lower_bytes(k)) {
            return Word::default();
        }
        self.look_up_rule(k)
    }

    /// Cue forms starting at token `k` (see [`Word::cue_forms`]).
    #[inline]
    fn cue_forms(&self, k: usize) -> &'a [(usize, usize)] {
        self.cue_rule(k).cue_forms()
    }

    /// Cues with a form starting at token `k`.
    #[inline]
    fn cues(&self, k: usize) -> &'a [usize] {
        self.cue_rule(k).cues()
    }

    /// Whether token `k` is in one of the closed classes `class`.
    #[inline]
    fn class(&self, k: usize, class: u8) -> bool {
        self.classes(k) & class != 0
    }
}

impl<'a> Deref for Doc<'a> {
    type Target = Segmented<'a>;
    fn deref(&self) -> &Segmented<'a> {
        self.seg
    }
}

impl<'r> Extractor<'r> {
    pub fn new(rules: &'r Rules) -> Extractor<'r> {
        Extractor {
            rules,
            options: ExtractOptions::default(),
        }
    }

    pub fn with_options(rules: &'r Rules, options: ExtractOptions) -> Extractor<'r> {
        Extractor { rules, options }
    }

    pub fn rules(&self) -> &Rules {
        self.rules
    }

    /// Claim records of one document, in text order, ids `<doc>#<n>`.
    pub fn extract(&self, doc: &Document) -> Vec<ClaimRecord> {
        let seg = Segmented::new(&doc.text, self.rules);
        let found = self.attributions(&seg);
        self.records(doc, &seg, found)
    }

    /// Attributions of a segmented text, sources resolved.
    pub fn attributions(&self, seg: &Segmented<'_>) -> Vec<Attribution> {
        let doc = Doc::new(seg, self.rules);
        let seg = &doc;
        let mut out = Vec::new();
        for (si, s) in seg.sentences.iter().enumerate() {
            let before = out.len();
            self.sentence(seg, si, &mut out);
            if out.len() == before {
                self.continuation(seg, si, &mut out);
            }
            if out.len() == before && self.options.statements {
                let content = trim_span(seg, s.tokens.clone());
                if !content.is_empty() {
                    out.push(self.make(seg, si, content, None, None, None, Stance::Asserts));
                    if let Some(a) = out.last_mut() {
                        a.quote = QuoteKind::None;
                    }
                }
            }
        }
        self.resolve(seg, &mut out);
        out
    }

    /// Attributions whose cue sits in sentence `si`.
    fn sentence(&self, seg: &Doc<'_>, si: usize, out: &mut Vec<Attribution>) {
        let s = &seg.sentences[si];
        let hits = self.cue_hits(seg, s.tokens.clone());
        if hits.is_empty() {
            return;
        }
        let first_new = out.len();
        // Sources are found first for every hit so that a content can stop
        // where the next attribution's source begins.
        let mut plans: Vec<Plan> = Vec::with_capacity(hits.len());
        for (h, hit) in hits.iter().enumerate() {
            if let Some(p) = self.plan(seg, si, hit, &hits[..h], &plans) {
                plans.push(p);
            }
        }
        for p in 0..plans.len() {
            // An attribution whose source opens this one's content is nested
            // in it ("X says he believes ..."): the content runs over it.
            let from = match plans[p].content {
                ContentPlan::After(from) => Some(from),
                ContentPlan::Span(_) => None,
            };
            let nested = |q: &Plan| {
                from.is_some_and(|f| q.source_tokens.as_ref().is_some_and(|r| r.start == f))
            };
            let next_start = plans[p + 1..]
                .iter()
                .filter(|q| !nested(q))
                .filter_map(|q| {
                    q.source_tokens
                        .as_ref()
                        .map(|r| r.start)
                        .or(Some(q.cue.start))
                })
                .find(|&st| st > plans[p].cue.end);
            let plan = &plans[p];
            let content_tokens = match &plan.content {
                ContentPlan::Span(r) => r.clone(),
                ContentPlan::After(from) => {
                    let end = next_start
                        .map(|n| n.saturating_sub(0))
                        .unwrap_or(s.tokens.end)
                        .min(s.tokens.end);
                    let mut end = end;
                    // Stop before ", adding that" and similar continuations.
                    if let Some(q) = plans[p + 1..]
                        .iter()
                        .find(|q| !nested(q) && q.cue.start > *from && q.cue.start < end)
                    {
                        end = end.min(q.cue.start);
                    }
                    // Stop before a trailing adverbial clause: ", as officials revised ...".
                    if let Some(k) = (*from..end).find(|&k| {
                        seg.word(k) == ","
                            && k + 1 < end
                            && matches!(
                                seg.lower(k + 1),
                                "as" | "while"
                                    | "whereas"
                                    | "although"
                                    | "though"
                                    | "because"
                                    | "despite"
                                    | "even"
                            )
                            && seg.quotation_at(k).is_none()
                    }) {
                        end = k;
                    }
                    *from..end
                }
            };
            let content_tokens =
                skip_dateline(seg, content_tokens.start, content_tokens.end)..content_tokens.end;
            let mut content = trim_span(seg, content_tokens.clone());
            let mut sentence_span = s.span;
            // A quotation that opens right at the content and runs past the
            // sentence: the content is the whole quotation.
            if let Some(q) = seg
                .quotation_opening_at(content_tokens.start.saturating_sub(1))
                .filter(|q| q.open + 1 == content_tokens.start)
                .or_else(|| seg.quotation_opening_at(content_tokens.start))
            {
                if q.inner.end > content.end || q.inner.start >= content.start {
                    content = trim_end_punct(seg.text, q.inner);
                    // The last sentence starting inside the quotation
                    // (sentences are in text order).
                    let last = seg
                        .sentences
                        .partition_point(|x| x.span.start <= q.inner.end.saturating_sub(1))
                        .checked_sub(1);
                    if let Some(l) = last {
                        sentence_span = sentence_span.cover(seg.sentences[l].span);
                    }
                }
            }
            if content.is_empty() {
                continue;
            }
            let cue_span = seg.span_of(plan.cue.clone());
            let stance = self.stance_in(seg, plan, content);
            let source = plan
                .source_tokens
                .clone()
                .map(|r| self.source(seg, r, plan.appos.clone()));
            let mut a = self.make(
                seg,
                si,
                content,
                source,
                Some(cue_span),
                Some(plan.rule),
                stance,
            );
            a.sentence = sentence_span.cover(content);
            if let Some(ch) = &plan.channel {
                a.channel = Some(ch.clone());
            }
            out.push(a);
        }
        // Continuations ("adding that") take the source of the attribution before them.
        for i in first_new..out.len() {
            if out[i].source.is_none() && i > first_new {
                let prev = out[i - 1].source.clone();
                out[i].source = prev;
            }
        }
    }

    /// Cue occurrences in a token range, outside quotations, longest form first.
    fn cue_hits(&self, seg: &Doc<'_>, range: Range<usize>) -> Vec<Hit> {
        let mut hits = Vec::new();
        let cue_starts = seg.cue_starts.keys();
        let mut i = range.start;
        while i < range.end {
            // Most tokens start no cue, which their filter keys tell: they
            // are skipped in one run.
            i += seg.tokens[i..range.end]
                .iter()
                .position(|t| cue_starts.has(t.key))
                .unwrap_or(range.end - i);
            if i == range.end {
                break;
            }
            let t = &seg.tokens[i];
            // Most tokens start no cue: that is asked first, from the table.
            let forms = if t.is_word() { seg.cue_forms(i) } else { &[] };
            if forms.is_empty()
                || seg
                    .quotation_at(i)
                    .is_some_and(|q| q.closed || q.open >= range.start)
            {
                i += 1;
                continue;
            }
            // Only the forms starting with this word; its first word is this token.
            let mut best: Option<(usize, usize)> = None; // (cue index, length)
            for &(ci, fi) in forms {
                let form = &self.rules.cues[ci].forms[fi];
                let len = form.len();
                if i + len > range.end {
                    continue;
                }
                if form[1..]
                    .iter()
                    .enumerate()
                    .all(|(k, w)| seg.lower(i + 1 + k) == w)
                    && best.is_none_or(|(_, l)| len > l)
                {
                    best = Some((ci, len));
                }
            }
            if let Some((ci, len)) = best {
                let cue = &self.rules.cues[ci];
                let capital_inside = seg.tokens[i].capitalised && i > range.start;
                if capital_inside
                    || cue.kind == CueKind::Verb && !self.verb_position(seg, i, range.start)
                    || cue.kind == CueKind::Verb && self.passive_complement(seg, i, len, &range)
                {
                    i += 1;
                    continue;
                }
                hits.push(Hit {
                    rule: ci,
                    tokens: i..i + len,
                });
                i += len;
            } else {
                i += 1;
            }
        }
        hits
    }

    /// A cue verb in the passive followed by a complement of its object
    /// ("a priest who was declared clinically dead says ...", "the
    /// results were confirmed genuine") reports nothing: its subject is
    /// what was declared, not a speaker. "It was reported that", "was told
    /// by", "was accused of" are left as they are.
    fn passive_complement(
        &self,
        seg: &Doc<'_>,
        i: usize,
        len: usize,
        range: &Range<usize>,
    ) -> bool {
        let after = i + len;
        let w = seg.lower(i);
        // A regular participle, or an irregular form of the lexicon.
        let participle = w.ends_with("ed") || self.rules.is_irregular_form(w);
        participle
            && i > range.start
            && matches!(
                seg.lower(i - 1),
                "is" | "are" | "was" | "were" | "be" | "been" | "being"
            )
            && after < range.end
            && seg.tokens[after].is_word()
            && !seg.is(LexiconRole::Stopword, after)
            && !seg.is(LexiconRole::Negator, after)
    }

    /// A cue verb form is a verb here, not a noun ("the report", "his claims").
    fn verb_position(&self, seg: &Doc<'_>, i: usize, start: usize) -> bool {
        if i == start {
            return seg
                .tokens
                .get(i + 1)
                .is_some_and(|n| n.capitalised || seg.lower(i + 1) == "that");
        }
        // After a determiner or possessive it is a noun: "the report", "his claims".
        if seg.class(i - 1, DETERMINER) {
            return false;
        }
        let next = seg
            .tokens
            .get(i + 1)
            .map(|_| seg.lower(i + 1))
            .unwrap_or("");
        // "reports of", "claims of", "claims that were" read as nouns.
        !(matches!(next, "of" | "were" | "are" | "was" | "is") && seg.lower(i).ends_with('s'))
    }

    fn plan(
        &self,
        seg: &Doc<'_>,
        si: usize,
        hit: &Hit,
        earlier: &[Hit],
        plans: &[Plan],
    ) -> Option<Plan> {
        let s = &seg.sentences[si];
        let (lo, hi) = (s.tokens.start, s.tokens.end);
        let cue = &self.rules.cues[hit.rule];
        let (cs, ce) = (hit.tokens.start, hit.tokens.end);
        let lo = earlier.last().map_or(lo, |h| h.tokens.end.max(lo));
        match cue.kind {
            // "X is said to have resigned": a passive report without a source.
            CueKind::Participle => {
                let passive = cs > s.tokens.start
                    && matches!(seg.lower(cs - 1), "is" | "are" | "was" | "were")
                    && plans.is_empty();
                passive.then(|| Plan {
                    rule: hit.rule,
                    cue: hit.tokens.clone(),
                    source_tokens: None,
                    appos: None,
                    content: ContentPlan::Span(s.tokens.clone()),
                    channel: None,
                })
            }
            CueKind::Preposition => {
                // "according to SOURCE, CONTENT" or "CONTENT, according to SOURCE".
                let src_end = (ce..hi)
                    .find(|&k| seg.word(k) == ",")
                    .unwrap_or_else(|| clause_end(seg, ce, hi));
                let source_tokens = ce..src_end;
                if source_tokens.is_empty() {
                    return None;
                }
                let content = if src_end < hi && seg.word(src_end) == "," && cs == s.tokens.start {
                    ContentPlan::After(src_end + 1)
                } else {
                    ContentPlan::Span(s.tokens.start..cs)
                };
                Some(Plan {
                    rule: hit.rule,
                    cue: hit.tokens.clone(),
                    source_tokens: Some(source_tokens),
                    appos: None,
                    content,
                    channel: None,
                })
            }
            CueKind::Adverb => self.adverb_plan(seg, si, hit, plans),
            CueKind::Verb => self.verb_plan(seg, si, hit, lo, hi, plans),
        }
    }

    fn verb_plan(
        &self,
        seg: &Doc<'_>,
        si: usize,
        hit: &Hit,
        lo: usize,
        hi: usize,
        plans: &[Plan],
    ) -> Option<Plan> {
        let s = &seg.sentences[si];
        let (cs, ce) = (hit.tokens.start, hit.tokens.end);
        let prev = if cs > lo { seg.word(cs - 1) } else { "" };
        let prev_is_close_quote = cs > lo
            && matches!(
                seg.tokens[cs - 1].kind,
                TokenKind::Quote { open: false, .. }
            );
        // Continuation: ", adding that ..." / ", saying ...": same source as before.
        if prev == "," && seg.lower(cs).ends_with("ing") {
            let from = skip_that(seg, ce, hi);
            let source_tokens = if plans.is_empty() {
                self.clause_subject(seg, s.tokens.start, cs)
            } else {
                None
            };
            return Some(Plan {
                rule: hit.rule,
                cue: hit.tokens.clone(),
                source_tokens,
                appos: None,
                content: ContentPlan::After(from),
                channel: None,
            });
        }
        // Inverted: "..., said Col. Ryan." / "\"...\" claimed X."
        let after_cap = ce < hi && (seg.tokens[ce].capitalised || seg.class(ce, DETERMINER));
        let apposition_reading = prev == ","
            && self
                .source_before(seg, lo, cs)
                .is_some_and(|(src, appos, _)| {
                    appos.is_some() && seg.tokens[src.start].capitalised
                });
        if (prev == "," && !apposition_reading || prev_is_close_quote) && after_cap {
            let end = clause_end(seg, ce, hi);
            let appos = if end < hi && seg.word(end) == "," {
                let ae = clause_end(seg, end + 1, hi);
                Some(end + 1..ae)
            } else {
                None
            };
            if end > ce && end - ce <= 12 {
                let content = self.content_before(seg, s.tokens.start.max(s.tokens.start), cs);
                return Some(Plan {
                    rule: hit.rule,
                    cue: hit.tokens.clone(),
                    source_tokens: Some(ce..end),
                    appos,
                    content,
                    channel: None,
                });
            }
        }
        // "X praised Y and said ...": the subject of the first verb speaks.
        let mut a = cs;
        while a > lo && seg.class(a - 1, AUXILIARY) {
            a -= 1;
        }
        if a > lo + 1 && seg.lower(a - 1) == "and" && !seg.tokens[a - 2].capitalised {
            let subject = plans
                .last()
                .and_then(|p| p.source_tokens.clone())
                .or_else(|| self.clause_subject(seg, s.tokens.start, a - 1));
            let (object_end, channel) = self.cue_object(seg, hit, ce, hi);
            let from = skip_that(seg, object_end, hi);
            if let Some(src) = subject.filter(|_| from + 1 < hi) {
                return Some(Plan {
                    rule: hit.rule,
                    cue: hit.tokens.clone(),
                    source_tokens: Some(src),
                    appos: None,
                    content: ContentPlan::After(from),
                    channel,
                });
            }
        }
        // Source before the cue.
        let (source_tokens, appos, src_lo) = self.source_before(seg, lo, cs)?;
        // "It was reported that ...": a passive report names no source.
        if source_tokens.len() == 1
            && seg.lower(source_tokens.start) == "it"
            && (source_tokens.end..cs).any(|k| matches!(seg.lower(k), "is" | "was" | "been"))
        {
            let (object_end, channel) = self.cue_object(seg, hit, ce, hi);
            let from = skip_that(seg, object_end, hi);
            return (from + 1 < hi).then(|| Plan {
                rule: hit.rule,
                cue: hit.tokens.clone(),
                source_tokens: None,
                appos: None,
                content: ContentPlan::After(from),
                channel,
            });
        }
        // Trailing attribution: "CONTENT, SOURCE CUE [object] ." or a quotation before the source.
        let before = seg
            .quotations
            .partition_point(|q| q.open < source_tokens.start);
        let quote_before = seg.quotations[..before].iter().rev().take(2).find(|q| {
            q.closed
                && q.close < src_lo.max(source_tokens.start)
                && q.close + 2 >= source_tokens.start
                && !(q.close + 1..=source_tokens.start)
                    .any(|k| seg.tokens.get(k).is_some_and(|t| t.para_start))
        });
        // Words after the cue up to the end of its clause ("said on Wednesday, ending ...").
        let tail_len = (ce..clause_end(seg, ce, hi))
            .filter(|&k| !is_final(seg, k))
            .count();
        let comma_before = source_tokens.start > s.tokens.start
            && matches!(seg.word(source_tokens.start - 1), "," | "\u{2014}" | "-");
        let (object_end, channel) = self.cue_object(seg, hit, ce, hi);
        // "X said: ...", "X said that ...", "X said, \"...\"".
        let forward = object_end < hi
            && (seg.lower(object_end) == "that"
                || seg.word(object_end) == ":"
                || seg.word(object_end) == ","
                    && seg
                        .tokens
                        .get(object_end + 1)
                        .is_some_and(|t| matches!(t.kind, TokenKind::Quote { open: true, .. })));
        if let Some(q) = quote_before.filter(|_| !forward && tail_len <= 8) {
            return Some(Plan {
                rule: hit.rule,
                cue: hit.tokens.clone(),
                source_tokens: Some(source_tokens),
                appos,
                content: ContentPlan::Span(q.open + 1..q.close),
                channel,
            });
        }
        if comma_before && !forward && (tail_len <= 6 || object_end >= hi.saturating_sub(1)) {
            let content = self.content_before(seg, s.tokens.start, source_tokens.start - 1);
            return Some(Plan {
                rule: hit.rule,
                cue: hit.tokens.clone(),
                source_tokens: Some(source_tokens),
                appos,
                content,
                channel,
            });
        }
        // Forward: "SOURCE CUE [object] [time] [that|:] CONTENT".
        let from = skip_that(seg, object_end, hi);
        if from >= hi || (from + 1 >= hi && is_final(seg, from)) {
            return None;
        }
        Some(Plan {
            rule: hit.rule,
            cue: hit.tokens.clone(),
            source_tokens: Some(source_tokens),
            appos,
            content: ContentPlan::After(from),
            channel,
        })
    }

    /// "told VOA in an email", "told reporters on Monday": where the object
    /// of the cue ends, and the outlet it names as a channel.
    fn cue_object(
        &self,
        seg: &Doc<'_>,
        hit: &Hit,
        ce: usize,
        hi: usize,
    ) -> (usize, Option<String>) {
        let lemma_tell = self.rules.cues[hit.rule].id.ends_with("/tell");
        let mut k = ce;
        let mut channel = None;
        if lemma_tell && k < hi && seg.tokens[k].is_word() && seg.lower(k) != "that" {
            let start = k;
            // "told VOA", "told reporters", "told the committee", "told Mohamed al-Hakim".
            let described = seg.class(start, DETERMINER);
            while k < hi
                && k < start + 5
                && seg.tokens[k].is_word()
                && (seg.tokens[k].capitalised || k == start || described)
                && !matches!(
                    seg.lower(k),
                    "that" | "in" | "on" | "at" | "during" | "via" | "by"
                )
                && !seg.class(k, TIME)
            {
                k += 1;
            }
            let name = seg.span_of(start..k).of(seg.text);
            if let Some((canon, AliasKind::Outlet)) = self.rules.alias(&name.to_lowercase()) {
                channel = Some(canon.clone());
            } else if self.looks_like_outlet(seg, start..k) {
                channel = Some(name.to_string());
            }
        }
        // "in an email", "in a statement", "on Monday", "Monday".
        loop {
            if k < hi && seg.class(k, TIME) {
                k += 1;
                continue;
            }
            if k + 1 < hi
                && matches!(
                    seg.lower(k),
                    "in" | "on"
                        | "at"
                        | "during"
                        | "via"
                        | "through"
                        | "to"
                        | "last"
                        | "this"
                        | "earlier"
                )
            {
                let mut j = k + 1;
                while j < hi && j < k + 5 && seg.tokens[j].is_word() && seg.lower(j) != "that" {
                    j += 1;
                }
                if j < hi
                    && (seg.lower(j) == "that"
                        || seg.word(j) == ":"
                        || is_final(seg, j)
                        || seg.word(j) == ",")
                {
                    k = j;
                    continue;
                }
                if seg.class(k + 1, TIME) || seg.lower(k) == "last" || seg.lower(k) == "this" {
                    k += 2;
                    continue;
                }
            }
            break;
        }
        (k, channel)
    }

    fn looks_like_outlet(&self, seg: &Doc<'_>, r: Range<usize>) -> bool {
        r.clone().any(|k| seg.is(LexiconRole::OutletNoun, k))
            && r.clone()
                .skip_while(|&k| seg.class(k, DETERMINER))
                .all(|k| seg.tokens[k].capitalised)
    }

    fn adverb_plan(&self, seg: &Doc<'_>, si: usize, hit: &Hit, plans: &[Plan]) -> Option<Plan> {
        let s = &seg.sentences[si];
        if !plans.is_empty() {
            return None; // the adverb hedges an attribution already found
        }
        let (cs, ce) = (hit.tokens.start, hit.tokens.end);
        // "SOURCE released a video allegedly showing CONTENT".
        let media = (s.tokens.start..cs)
            .rev()
            .take(6)
            .find(|&k| seg.is(LexiconRole::MediaVerb, k));
        let mut cue_end = ce;
        if ce < s.tokens.end && seg.is(LexiconRole::MediaVerb, ce) {
            cue_end = ce + 1;
        }
        if let Some(m) = media {
            if let Some((src, appos, _)) = self.source_before(seg, s.tokens.start, m) {
                return Some(Plan {
                    rule: hit.rule,
                    cue: cs..cue_end,
                    source_tokens: Some(src),
                    appos,
                    content: ContentPlan::After(skip_that(seg, cue_end, s.tokens.end)),
                    channel: None,
                });
            }
        }
        Some(Plan {
            rule: hit.rule,
            cue: cs..ce,
            source_tokens: None,
            appos: None,
            content: ContentPlan::Span(s.tokens.clone()),
            channel: None,
        })
    }

    /// The noun phrase naming the source right before the cue at `cs`,
    /// with an apposition if one stands between them ("X, a spokesperson
    /// for Y, said"). Returns (source tokens, apposition, lowest index used).
    fn source_before(
        &self,
        seg: &Doc<'_>,
        lo: usize,
        cs: usize,
    ) -> Option<(Range<usize>, Option<Range<usize>>, usize)> {
        let mut end = cs;
        // Auxiliaries, adverbs and a time between source and cue: "X has
        // also said", "X on Thursday denied", "X last week said".
        loop {
            if end > lo && seg.class(end - 1, AUXILIARY) {
                end -= 1;
            } else if end > lo + 1 && seg.class(end - 1, TIME) && seg.tokens[end - 1].capitalised {
                end -= 1;
                if matches!(
                    seg.lower(end - 1),
                    "on" | "last" | "this" | "early" | "late" | "since"
                ) {
                    end -= 1;
                }
            } else {
                break;
            }
        }
        let mut appos: Option<Range<usize>> = None;
        if end > lo && seg.word(end - 1) == "," {
            let ae = end - 1;
            let k = (lo..ae).rev().find(|&k| seg.word(k) == ",")?;
            if ae - k > 24 || ae == k + 1 {
                return None;
            }
            appos = Some(k + 1..ae);
            end = k;
        }
        let mut start = self.np_start(seg, lo, end);
        // A relative clause whose subject is the pronoun belongs to the noun
        // it describes: "residents who fled the town say", "the agency
        // which runs the port said". The source is the noun phrase with
        // its clause, not the clause alone. When the clause has a subject
        // of its own ("a charge which the administration denies", "a
        // situation which critics say"), that subject is the source.
        if appos.is_none()
            && start < end
            && start > lo + 1
            && matches!(seg.lower(start - 1), "who" | "whom" | "which")
            && self.clause_without_subject(seg, start..end)
        {
            let relative = start - 1;
            let head = self.np_start(seg, lo, relative);
            if head < relative && seg.tokens[relative - 1].is_word() {
                start = head;
            }
        }
        // Appositions in a row: "Marley Anderson, 21, a junior from Las Vegas,
        // said", "Greg Raiff, chief executive of X, an aviation firm, said".
        // What was taken for the source is itself an apposition when it opens
        // with a number or a lowercase word and a name stands before its comma.
        for _ in 0..2 {
            let Some(a) = appos.clone() else { break };
            if start <= lo + 1 || seg.word(start - 1) != "," || !self.appositive_like(seg, start) {
                break;
            }
            let s2 = self.np_start(seg, lo, start - 1);
            if !self.name_like(seg, s2..start - 1) {
                break;
            }
            appos = Some(start..a.end);
            end = start - 1;
            start = s2;
        }
        if start >= end || end - start > 16 {
            return None;
        }
        Some((start..end, appos, start))
    }

    /// Where the noun phrase ending at `end` starts: back to a subordinator,
    /// a quotation mark or punctuation other than a name's own.
    fn np_start(&self, seg: &Doc<'_>, lo: usize, end: usize) -> usize {
        let mut start = end;
        while start > lo {
            let k = start - 1;
            let t = &seg.tokens[k];
            let w = seg.lower(k);
            let stop = match t.kind {
                TokenKind::Word => {
                    seg.class(k, SUBORDINATOR)
                        && !(w == "and" && self.coordinated_source(seg, k, end))
                }
                TokenKind::Number => false,
                // A plural possessive belongs to the name: "the Residents' Association".
                TokenKind::Quote {
                    open: false,
                    double: false,
                } => {
                    !(k > lo
                        && seg.tokens[k - 1].span.end == t.span.start
                        && seg.lower(k - 1).ends_with('s'))
                }
                TokenKind::Quote { .. } => true,
                TokenKind::Punct => !matches!(seg.word(k), "-" | "&" | "." | "'"),
            };
            if stop {
                break;
            }
            start = k;
        }
        start
    }

    /// Whether the words after a relative pronoun read as a predicate
    /// ("fled the town", "runs the port", "was arrested") rather than as a
    /// subject of their own: they open with a lowercase word that is no
    /// determiner or quantifier, and name no pronoun, unnamed source, role
    /// or title.
    fn clause_without_subject(&self, seg: &Doc<'_>, clause: Range<usize>) -> bool {
        // Quantifiers open a noun phrase too ("which many analysts say").
        const QUANTIFIERS: &[&str] = &[
            "many", "most", "several", "few", "all", "both", "other", "such",
        ];
        let first = clause.start;
        seg.tokens[first].is_word()
            && !seg.tokens[first].capitalised
            && !seg.class(first, DETERMINER)
            && !QUANTIFIERS.contains(&seg.lower(first))
            && !clause.clone().any(|k| {
                [
                    LexiconRole::Pronoun,
                    LexiconRole::UnnamedSource,
                    LexiconRole::Role,
                    LexiconRole::Title,
                ]
                .into_iter()
                .any(|role| seg.is(role, k))
            })
    }

    /// A phrase that describes rather than names: an age ("21"), or a
    /// lowercase start ("a junior from ...", "chief executive of ...").
    fn appositive_like(&self, seg: &Doc<'_>, k: usize) -> bool {
        let t = &seg.tokens[k];
        t.kind == TokenKind::Number || t.is_word() && !t.capitalised && seg.lower(k) != "and"
    }

    /// A short run of capitalised words that is not a sentence opener:
    /// "Greg Raiff", "Rep. Jim Clyburn", "Hanin al-Qaddo".
    fn name_like(&self, seg: &Doc<'_>, r: Range<usize>) -> bool {
        !r.is_empty()
            && r.len() <= 7
            && seg.tokens[r.start].capitalised
            && !seg.is(LexiconRole::SentenceStarter, r.start)
            && !seg.is(LexiconRole::Stopword, r.start)
            && r.clone().all(|k| {
                let t = &seg.tokens[k];
                t.capitalised
                    || t.kind == TokenKind::Punct && matches!(seg.word(k), "." | "-")
                    || seg.lower(k).starts_with("al-")
                    || matches!(seg.lower(k), "al" | "de" | "van" | "von" | "bin")
            })
    }

    /// "IMIS media accounts and Iran's news channel Press TV said": an "and"
    /// joining two nominal sources (both sides start with a capital).
    fn coordinated_source(&self, seg: &Doc<'_>, and: usize, end: usize) -> bool {
        and + 1 < end && seg.tokens[and + 1].capitalised && and > 0 && seg.tokens[and - 1].is_word()
    }

    /// The subject at the start of a clause: "However, Salih slammed ..." → "Salih".
    fn clause_subject(&self, seg: &Doc<'_>, start: usize, end: usize) -> Option<Range<usize>> {
        let mut k = start;
        // Skip "However," and similar openers, and an opening adverbial
        // ("In an interview on Thursday, ...").
        let opener = start < end
            && seg.is(LexiconRole::Stopword, start)
            && !seg.class(start, DETERMINER)
            && !seg.is(LexiconRole::Pronoun, start);
        let reach = if opener { 16 } else { 3 };
        if let Some(c) = (start..end.min(start + reach)).find(|&j| seg.word(j) == ",") {
            k = c + 1;
        }
        if k < end && seg.class(k, SUBORDINATOR) {
            k += 1;
        }
        let first = k;
        while k < end
            && (seg.tokens[k].is_word()
                && (seg.tokens[k].capitalised
                    || seg.class(k, DETERMINER)
                    || seg.lower(k).ends_with("'s")
                    || seg.lower(k).ends_with("\u{2019}s"))
                || k > first && seg.word(k) == "." && seg.tokens[k - 1].capitalised)
        {
            k += 1;
        }
        (k > first).then_some(first..k)
    }

    fn content_before(&self, seg: &Doc<'_>, start: usize, end: usize) -> ContentPlan {
        let mut end = end;
        while end > start && matches!(seg.word(end - 1), "," | "\u{2014}" | "-") {
            end -= 1;
        }
        ContentPlan::Span(start..end)
    }

    fn stance_in(&self, seg: &Doc<'_>, plan: &Plan, content: Span) -> Stance {
        let base = self.rules.cues[plan.rule].stance;
        if base != Stance::Asserts {
            return base;
        }
        // "X said the video allegedly shows ...": the hedging adverb decides.
        for i in seg.tokens_in(content) {
            for &ci in seg.cues(i) {
                let c = &self.rules.cues[ci];
                if c.kind == CueKind::Adverb && c.forms.iter().any(|f| f.len() == 1) {
                    return c.stance;
                }
            }
        }
        base
    }

    /// An unattributed sentence inside or right after a quotation whose
    /// speaker was named just before: it continues that speaker's quote.
    fn continuation(&self, seg: &Doc<'_>, si: usize, out: &mut Vec<Attribution>) {
        let s = &seg.sentences[si];
        let Some(prev) = out.last() else { return };
        if prev.content.contains(s.span) || prev.sentence.contains(s.span) {
            return;
        }
        let Some(q) = seg.quotation_at(s.tokens.start + 1) else {
            return;
        };
        let starts_quote = q.open == s.tokens.start || q.open + 1 == s.tokens.start;
        let recent = s.paragraph <= prev.paragraph + 1;
        if !(starts_quote && recent && prev.source.is_some()) {
            return;
        }
        if prev.content.end >= q.inner.end {
            return;
        }
        // A quotation whose own attribution follows it ("\"... . ...,\" X
        // said") is that attribution's, not a continuation of the last one.
        // Sentences cover the tokens in order, without gaps.
        let closing =
            Some(seg.sentences.partition_point(|x| x.tokens.end <= q.close)).filter(|&c| {
                c >= si
                    && seg
                        .sentences
                        .get(c)
                        .is_some_and(|x| x.tokens.contains(&q.close))
            });
        if let Some(c) = closing.filter(|&c| c > si) {
            let t = &seg.sentences[c].tokens;
            let after = q.close + 1..t.end;
            if !self.cue_hits(seg, after).is_empty() {
                return;
            }
        }
        let (start, end) = (
            seg.tokens[s.tokens.start].span.start.max(q.inner.start),
            q.inner.end.min(s.span.end),
        );
        // A quotation that opens only where the sentence ends (a quote mark
        // alone, the quoted words in the next sentence) carries nothing of it.
        if start >= end {
            return;
        }
        let content = Span::new(start, end);
        let mut a = self.make(
            seg,
            si,
            content,
            prev.source.clone(),
            None,
            None,
            prev.stance,
        );
        a.channel = prev.channel.clone();
        out.push(a);
    }

    #[allow(clippy::too_many_arguments)]
    fn make(
        &self,
        seg: &Doc<'_>,
        si: usize,
        content: Span,
        source: Option<Source>,
        cue: Option<Span>,
        cue_rule: Option<usize>,
        stance: Stance,
    ) -> Attribution {
        let s = &seg.sentences[si];
        // The sentence's tokens and those after it that lie inside the
        // content: a contiguous run, found by binary search.
        let inside = seg.tokens_in(content);
        let tokens = inside.start.max(s.tokens.start)..inside.end.max(s.tokens.start);
        let mut polarity = Polarity::Positive;
        let mut hedges = Vec::new();
        // Participle cues ("said to be") found in the content: hedges too,
        // after the hedge words.
        let mut participles: Vec<&[String]> = Vec::new();
        let (negators, implicatives, hedge_words, cue_starts) = (
            seg.negators.keys(),
            seg.implicatives.keys(),
            seg.hedges.keys(),
            seg.cue_starts.keys(),
        );
        for (i, t) in tokens.clone().zip(&seg.tokens[tokens.clone()]) {
            // Most words are neither negators ("not", "isn't"), hedges nor
            // cues, which their filter keys tell without their text.
            let key = t.key;
            if !negators.has(key)
                && !implicatives.has(key)
                && !WordFilter::key_may_end_with(key, b't')
                && !hedge_words.has(key)
                && !cue_starts.has(key)
            {
                continue;
            }
            if seg.may_negate(i) && self.negates(seg, tokens.clone(), i) {
                polarity = Polarity::Negative;
            }
            // A capitalised hedge inside a sentence is a name ("May", the month).
            let name_like = t.capitalised && i > tokens.start;
            if !name_like && seg.is_hedge(i) {
                let w = seg.lower(i);
                if !hedges.iter().any(|h: &String| h == w) {
                    hedges.push(w.to_string());
                }
            }
            for &(ci, fi) in seg.cue_forms(i) {
                let c = &self.rules.cues[ci];
                if c.kind == CueKind::Participle {
                    let f = &c.forms[fi];
                    if f[1..]
                        .iter()
                        .enumerate()
                        .all(|(k, w)| i + 1 + k < seg.tokens.len() && seg.lower(i + 1 + k) == w)
                    {
                        participles.push(f);
                    }
                }
            }
        }
        for f in participles {
            let h = f.join(" ");
            if !hedges.contains(&h) {
                hedges.push(h);
            }
        }
        let quote = quote_kind(seg, content, cue.is_some() || source.is_some());
        let times = time_expressions(seg, s.span.cover(content));
        let (subject, predicate, object) = self.svo(seg, tokens);
        Attribution {
            sentence: s.span.cover(content),
            paragraph: s.paragraph,
            content,
            source,
            cue,
            cue_rule,
            stance,
            polarity,
            hedges,
            quote,
            channel: None,
            times,
            subject,
            predicate,
            object,
        }
    }

    /// Whether the negator at token `i` of the run `tokens` negates the
    /// claim: not a contrastive tail ("politically and not militarily",
    /// "X, not Y"), not "not only" / "not just", and not "No." before a
    /// figure.
    fn negates(&self, seg: &Doc<'_>, tokens: Range<usize>, i: usize) -> bool {
        let w = seg.lower(i);
        let prev = (i > tokens.start).then(|| seg.lower(i - 1));
        let next = (i + 1 < tokens.end).then(|| seg.lower(i + 1));
        // "failed to pass", "refused to resign": the complement did not happen.
        let after = (i + 2 < tokens.end).then(|| seg.lower(i + 2));
        let implicative = self.rules.implicative_negates(w, next, after);
        let negator = implicative
            || seg.is(LexiconRole::Negator, i)
            || w.ends_with("n't")
            || w.ends_with("n\u{2019}t");
        if !negator {
            return false;
        }
        let numbered = i + 2 < tokens.end && is_numbered_no(&seg.tokens, seg.text, i);
        // "has not been verified" leaves the content unconfirmed, not denied.
        let unverified = self
            .rules
            .verifying_after(
                (i + 1..tokens.end)
                    .filter(|&k| seg.seg.tokens[k].is_word())
                    .map(|k| seg.lower(k)),
            )
            .is_some();
        !(crate::text::is_idle_negator(prev, w, next) || numbered || unverified)
    }

    /// Subject, predicate and object of a content, by position around the
    /// first verb-like token (a word after a modal or auxiliary, a cue or
    /// event verb, or an -ed / irregular past form).
    fn svo(
        &self,
        seg: &Doc<'_>,
        tokens: Range<usize>,
    ) -> (Option<Span>, Option<Span>, Option<Span>) {
        // The word and number tokens, on the stack for most contents.
        let mut stack = [0usize; 64];
        let mut heap = Vec::new();
        let buf: &mut [usize] = if tokens.len() <= stack.len() {
            &mut stack
        } else {
            heap.resize(tokens.len(), 0);
            &mut heap
        };
        let n = keep_into(
            tokens,
            |i| seg.tokens[i].is_word() || seg.tokens[i].kind == TokenKind::Number,
            buf,
        );
        let words = &buf[..n];
        let skip = usize::from(words.first().is_some_and(|&i| seg.lower(i) == "that"));
        let words = &words[skip..];
        // Whether a word's term key takes part in an opposite rule, the key
        // built in one buffer for all the words asked about.
        let mut key = String::new();
        let mut has_opposites = |w: &str| {
            self.rules.term_key_into(w, &mut key);
            !self.rules.opposites_of(&key).is_empty()
        };
        let mut pred: Option<(usize, usize)> = None; // positions in `words`
        for (p, &i) in words.iter().enumerate() {
            let w = seg.lower(i);
            if p == 0 {
                continue;
            }
            let is_aux = matches!(
                w,
                "is" | "are"
                    | "was"
                    | "were"
                    | "has"
                    | "have"
                    | "had"
                    | "will"
                    | "would"
                    | "can"
                    | "could"
                    | "must"
                    | "should"
                    | "may"
                    | "might"
                    | "did"
                    | "does"
                    | "do"
                    | "shall"
            ) || w.ends_with("n't")
                || w.ends_with("n\u{2019}t");
            if is_aux {
                // Predicate: the next non-negator, non-adverb word ("has to withdraw", "will not serve").
                let mut q = p + 1;
                while q < words.len()
                    && matches!(
                        seg.lower(words[q]),
                        "not"
                            | "never"
                            | "to"
                            | "be"
                            | "been"
                            | "also"
                            | "only"
                            | "still"
                            | "already"
                            | "just"
                            | "n't"
                    )
                {
                    q += 1;
                }
                let copula = matches!(w, "is" | "are" | "was" | "were");
                let participle = |i: usize| {
                    let x = seg.lower(i);
                    x.ends_with("ed")
                        || x.ends_with("ing")
                        || x.ends_with("en")
                        || self.rules.key_differs_from_stem(x)
                };
                let end = if q < words.len()
                    && self.verbish(seg, words[q])
                    && (!copula || participle(words[q]))
                {
                    q
                } else {
                    p
                };
                pred = Some((p, end));
                break;
            }
            if !seg.tokens[i].capitalised
                && !seg.class(words[p - 1], DETERMINER)
                && self.verbish(seg, i)
                && (w.ends_with("ed")
                    || w.ends_with("ing")
                    || self.rules.key_differs_from_stem(w)
                    || w.ends_with('s') && has_opposites(w))
            {
                pred = Some((p, p));
                break;
            }
        }
        let Some((ps, pe)) = pred else {
            return (None, None, None);
        };
        let span = |a: usize, b: usize| -> Option<Span> {
            (a < b).then(|| {
                Span::new(
                    seg.tokens[words[a]].span.start,
                    seg.tokens[words[b - 1]].span.end,
                )
            })
        };
        (span(0, ps), span(pe, pe + 1), span(pe + 1, words.len()))
    }

    fn verbish(&self, seg: &Doc<'_>, i: usize) -> bool {
        let w = seg.lower(i);
        !seg.is(LexiconRole::Stopword, i)
            || matches!(
                w,
                "is" | "was" | "were" | "are" | "be" | "has" | "have" | "had"
            )
    }

    fn source(&self, seg: &Doc<'_>, tokens: Range<usize>, appos: Option<Range<usize>>) -> Source {
        let mut tokens = tokens;
        // Trim determiners and trailing punctuation.
        while tokens.start < tokens.end
            && matches!(seg.word(tokens.end - 1), "," | "." | ":" | "\u{2014}")
        {
            tokens.end -= 1;
        }
        // A dateline run into the source ("Valdoria - Prime Minister X"): keep what follows the dash.
        if let Some(d) = tokens.clone().rev().find(|&k| {
            seg.tokens[k].kind == TokenKind::Punct
                && matches!(seg.word(k), "-" | "\u{2014}" | "\u{2013}")
        }) {
            if d + 1 < tokens.end {
                tokens.start = d + 1;
            }
        }
        let mention = seg.span_of(tokens.clone());
        let text = mention.of(seg.text);
        let is_pronoun = tokens.len() == 1 && seg.is(LexiconRole::Pronoun, tokens.start);
        let core = self.core_np(seg, tokens.clone());
        let core_text = seg.span_of(core.clone()).of(seg.text);
        let has_name = core.clone().any(|k| {
            seg.tokens[k].capitalised
                && !seg.is(LexiconRole::Title, k)
                && !seg.is(LexiconRole::UnnamedSource, k)
                && (k > core.start || !seg.class(k, DETERMINER))
        });
        let definite = tokens.start < seg.tokens.len() && seg.class(tokens.start, DETERMINER);
        let unnamed = !has_name
            && tokens
                .clone()
                .any(|k| seg.is(LexiconRole::UnnamedSource, k));
        // Possessive affiliation: "Fatah Alliance's Hanin al-Qaddo", "Iran's Ambassador ...".
        let mut affiliation = None;
        let mut name_tokens = core.clone();
        let coordinated_name = self.coordinated_canonical(seg, core.clone());
        let coordinated = coordinated_name.is_some();
        if let Some(p) = core
            .clone()
            .filter(|_| !coordinated)
            .find(|&k| seg.lower(k).ends_with("'s") || seg.lower(k).ends_with("\u{2019}s"))
        {
            if p + 1 < core.end {
                let aff = seg.span_of(core.start..p + 1).of(seg.text);
                affiliation = Some(strip_possessive(aff).to_string());
                name_tokens = p + 1..core.end;
            }
        }
        // Titles and roles before the name: "Ambassador to Iraq Iraj Masjedi".
        let mut role_words = Vec::new();
        let mut k = name_tokens.start;
        while k < name_tokens.end && seg.class(k, DETERMINER) {
            k += 1;
        }
        while k < name_tokens.end {
            let w = seg.lower(k);
            let w = w.trim_end_matches('.');
            if seg.is_undotted(LexiconRole::Title, k) || seg.is_undotted(LexiconRole::Role, k) {
                role_words.push(k);
                k += 1;
                // "of State", "to Iraq", "of the Fatah Alliance"
                if k + 1 < name_tokens.end && matches!(seg.lower(k), "of" | "to" | "for") {
                    role_words.push(k);
                    k += 1;
                    while k < name_tokens.end && seg.class(k, DETERMINER) {
                        k += 1;
                    }
                    if k + 2 < name_tokens.end
                        || k + 1 < name_tokens.end && !seg.tokens[k + 1].capitalised
                    {
                        role_words.push(k);
                        k += 1;
                    }
                }
                continue;
            }
            if matches!(w, "us" | "u.s" | "iraq's" | "state-backed")
                || !seg.tokens[k].capitalised && k + 1 < name_tokens.end
            {
                k += 1;
                continue;
            }
            break;
        }
        let person_name = if k < name_tokens.end
            && name_tokens.end - k <= 4
            && (k..name_tokens.end).all(|j| {
                seg.tokens[j].capitalised || seg.lower(j).starts_with("al-") || seg.lower(j) == "al"
            }) {
            Some(seg.span_of(k..name_tokens.end).of(seg.text).to_string())
        } else {
            None
        };
        let role = if role_words.is_empty() {
            None
        } else {
            Some(
                seg.span_of(role_words[0]..role_words[role_words.len() - 1] + 1)
                    .of(seg.text)
                    .to_string(),
            )
        };
        let mut role = role;
        // "Her campaign manager, Robby Mook, said": the apposition names the
        // source the phrase before it describes.
        let mut person_name = person_name;
        let mut named = seg.span_of(tokens.clone());
        let appos_name = appos
            .clone()
            .filter(|a| person_name.is_none() && !is_pronoun && a.len() <= 5)
            .filter(|a| self.name_like(seg, a.clone()));
        if let Some(a) = appos_name {
            named = seg.span_of(a.clone());
            // The name without its titles: "Dr. Lena Morrow" -> "Lena Morrow".
            let mut n = a.start;
            while n + 1 < a.end && (seg.is_undotted(LexiconRole::Title, n) || seg.word(n) == ".") {
                n += 1;
            }
            person_name = Some(seg.span_of(n..a.end).of(seg.text).to_string());
            role = Some(strip_determiner(core_text).to_string());
        } else if let Some(a) = &appos {
            // "a spokesperson for the US-led coalition": role, then affiliation after for/of/at/with.
            let words: Vec<usize> = a.clone().collect();
            if let Some(p) = words
                .iter()
                .position(|&j| matches!(seg.lower(j), "for" | "of" | "at" | "with" | "from"))
            {
                let r = seg.span_of(words[0]..words[p]).of(seg.text);
                role = Some(strip_determiner(r).to_string());
                let aff = seg.span_of(words[p] + 1..a.end).of(seg.text);
                affiliation = Some(strip_determiner(aff).to_string());
            } else {
                role = Some(strip_determiner(seg.span_of(a.clone()).of(seg.text)).to_string());
            }
        }
        let name = person_name
            .clone()
            .unwrap_or_else(|| strip_determiner(core_text).to_string());
        let is_spokes = role.as_deref().is_some_and(|r| {
            with_lowercase(r, |r| r.contains("spokes") || r.contains("representative"))
        });
        let alias = with_lowercase(&name, |l| self.rules.alias(l))
            .or_else(|| with_lowercase(strip_determiner(text), |l| self.rules.alias(l)));
        let is_outlet = alias.is_some_and(|(_, k)| *k == AliasKind::Outlet)
            || self.looks_like_outlet(seg, core.clone());
        let canonical = if is_spokes && affiliation.is_some() {
            affiliation.clone().unwrap_or_default()
        } else if let Some((c, _)) = alias {
            c.clone()
        } else {
            coordinated_name.unwrap_or_else(|| name.clone())
        };
        let anaphoric = named == mention && (is_pronoun || (definite && !has_name && !unnamed));
        let person = person_name.is_some() && !is_outlet && !coordinated && alias.is_none();
        // The mention is the source as written here, appositions included:
        // "Marley Anderson, 21, a junior from Las Vegas".
        let mention = match &appos {
            Some(a) if !a.is_empty() => mention.cover(trim_span(seg, a.clone())),
            _ => mention,
        };
        Source {
            person,
            mention,
            named,
            name,
            role,
            affiliation,
            canonical,
            unnamed,
            anaphoric,
            is_outlet,
        }
    }

    /// The head noun phrase of a source: determiners kept, trailing
    /// modifiers cut ("The US-led coalition fighting against ISIS" →
    /// "The US-led coalition").
    fn core_np(&self, seg: &Doc<'_>, tokens: Range<usize>) -> Range<usize> {
        let mut end = tokens.start;
        for k in tokens.clone() {
            let w = seg.lower(k);
            let t = &seg.tokens[k];
            if k > tokens.start
                && !t.capitalised
                && (w.ends_with("ing")
                    || matches!(
                        w,
                        "who" | "which" | "in" | "at" | "from" | "fighting" | "with" | "on"
                    ))
            {
                break;
            }
            if k > tokens.start && matches!(w, "of" | "to" | "for") && !self.title_before(seg, k) {
                break;
            }
            end = k + 1;
        }
        tokens.start..end.max(tokens.start + 1).min(tokens.end)
    }

    fn title_before(&self, seg: &Doc<'_>, k: usize) -> bool {
        k > 0 && (seg.is(LexiconRole::Title, k - 1) || seg.is(LexiconRole::Role, k - 1))
    }

    /// "IMIS media accounts and Iran's state-backed news channel Press TV"
    /// → "IMIS media accounts and Press TV": each conjunct by its name.
    fn coordinated_canonical(&self, seg: &Doc<'_>, core: Range<usize>) -> Option<String> {
        let and = core.clone().find(|&k| seg.lower(k) == "and")?;
        let left = strip_determiner(seg.span_of(core.start..and).of(seg.text)).to_string();
        // Right conjunct: its trailing run of capitalised words.
        let mut s = core.end;
        while s > and + 1 && seg.tokens[s - 1].capitalised {
            s -= 1;
        }
        let right = if s < core.end {
            seg.span_of(s..core.end).of(seg.text)
        } else {
            strip_determiner(seg.span_of(and + 1..core.end).of(seg.text))
        };
        Some(format!("{left} and {right}"))
    }

    /// Resolves pronouns, descriptions and bare surnames to earlier named
    /// sources, and spreads outlet channels over their paragraph.
    fn resolve(&self, seg: &Doc<'_>, found: &mut [Attribution]) {
        // What the look-back asks of each source's name, worked out once per
        // attribution instead of once per later attribution looking back,
        // and only for those looked back at: by then each is resolved and
        // final, since attributions are resolved in order.
        let facts: Vec<OnceCell<NameFacts>> = found.iter().map(|_| OnceCell::new()).collect();
        // "canonical name affiliation" of each source, lowercased, built on
        // the first description that looks back at it.
        let mut hays: Vec<Option<String>> = vec![None; found.len()];
        for i in 0..found.len() {
            let Some(src) = found[i].source.as_ref() else {
                continue;
            };
            let surname = !src.anaphoric
                && src.name.split_whitespace().count() == 1
                && src.name.chars().next().is_some_and(char::is_uppercase);
            if !src.anaphoric && !surname {
                continue; // named already
            }
            // Only the mention is kept from the source: the rest is read
            // in place, without a copy.
            let mention = src.mention;
            // Resolution is local: the nearest compatible source among the
            // last attributions (a bounded window keeps long texts linear).
            let lo = i.saturating_sub(RESOLVE_WINDOW);
            let lower = src.name.to_lowercase();
            let lower_chars = lower.chars().count();
            let resolved: Option<Source> = if src.anaphoric {
                let pronoun = self.rules.is(LexiconRole::Pronoun, &lower);
                if pronoun {
                    let person = matches!(lower.as_str(), "he" | "she" | "him" | "her");
                    // The nearest earlier source; for "he" / "she" a named
                    // person or a description by role ("the port director").
                    (lo..i)
                        .rev()
                        .filter_map(|j| NameFacts::of(self.rules, found, &facts, j))
                        .filter(|(s, f)| !s.unnamed && !f.pronoun)
                        .find(|(s, f)| {
                            let by_role = s.anaphoric && f.role_word;
                            if s.anaphoric && !by_role {
                                return false;
                            }
                            (s.person || by_role) == person
                        })
                        .map(|(s, _)| s.clone())
                } else {
                    // "the coalition", "the coalition spokesperson": a description
                    // whose words name an earlier source or its affiliation.
                    let words: Vec<&str> = lower
                        .split_whitespace()
                        .filter(|w| {
                            !self.rules.is(LexiconRole::Role, w)
                                && !self.rules.is(LexiconRole::Title, w)
                        })
                        .collect();
                    let role_word = lower
                        .split_whitespace()
                        .find(|w| self.rules.is(LexiconRole::Role, w))
                        .map(str::to_string);
                    // Named sources, nearest first.
                    (lo..i)
                        .rev()
                        .filter_map(|j| found[j].source.as_ref().map(|s| (j, s)))
                        .filter(|(_, s)| !s.anaphoric && !s.unnamed)
                        .find(|&(j, s)| {
                            // Earlier sources are final here: each is
                            // resolved before any later one looks back.
                            let hay = hays[j].get_or_insert_with(|| {
                                format!(
                                    "{} {} {}",
                                    s.canonical,
                                    s.name,
                                    s.affiliation.as_deref().unwrap_or_default()
                                )
                                .to_lowercase()
                            });
                            let words_ok =
                                !words.is_empty() && words.iter().all(|w| hay.contains(w));
                            // The words first: they spare lowercasing the role.
                            let role_ok = role_word.as_ref().is_none_or(|r| {
                                words_ok
                                    || s.role
                                        .as_deref()
                                        .unwrap_or("")
                                        .to_lowercase()
                                        .contains(r.as_str())
                            });
                            (words_ok && role_ok)
                                || (words.is_empty()
                                    && role_word.is_some()
                                    && role_ok
                                    && s.role.is_some())
                        })
                        .map(|(_, s)| s.clone())
                }
            } else if surname {
                // A bare surname: "Qaddo" ~ "Hanin al-Qaddo".
                (lo..i)
                    .rev()
                    .filter(|&j| {
                        found[j]
                            .source
                            .as_ref()
                            .is_some_and(|s| !s.anaphoric && !s.unnamed)
                    })
                    .filter_map(|j| NameFacts::of(self.rules, found, &facts, j))
                    .find(|(s, f)| {
                        let last = &s.name[f.last_word.clone()];
                        let last_bare = last.trim_start_matches("al-").trim_start_matches("el-");
                        s.name != src.name
                            && (last_bare.eq_ignore_ascii_case(&src.name)
                                || jaro_winkler_may_exceed_0_9(f.last_word_chars, lower_chars)
                                    && with_lowercase(last, |l| {
                                        shares_enough_for_jaro_winkler_0_9(l, &lower)
                                            && strsim::jaro_winkler(l, &lower) > 0.9
                                    }))
                    })
                    .map(|(s, _)| s.clone())
            } else {
                None
            };
            if let Some(r) = resolved {
                let mut s = r;
                s.mention = mention;
                s.anaphoric = false;
                found[i].source = Some(s);
            }
        }
        // A claim inside another claim's content came through the outer source.
        for i in 0..found.len() {
            if found[i].channel.is_some() {
                continue;
            }
            // Nested claims sit next to each other in text order.
            let near = i.saturating_sub(8)..(i + 9).min(found.len());
            let outer = near.into_iter().find(|&j| {
                j != i
                    && found[j].content.contains(found[i].content)
                    && found[j].content != found[i].content
            });
            if let Some(j) = outer {
                found[i].channel = found[j].source.as_ref().map(|s| s.canonical.clone());
            }
        }
        // A paragraph that closes with an outlet's report: the outlet is the
        // channel of the paragraph's other claims.
        for i in 0..found.len() {
            let is_report = found[i].stance == Stance::Reports
                && found[i].source.as_ref().is_some_and(|s| s.is_outlet);
            if !is_report {
                continue;
            }
            let Some(canonical) = found[i].source.as_ref().map(|s| s.canonical.clone()) else {
                continue;
            };
            let para = found[i].paragraph;
            // Claims are in text order: the paragraph's claims are neighbours.
            let lo = (0..i)
                .rev()
                .take_while(|&j| found[j].paragraph == para)
                .last()
                .unwrap_or(i);
            let hi = (i..found.len())
                .take_while(|&j| found[j].paragraph == para)
                .last()
                .unwrap_or(i)
                + 1;
            for (j, other) in found.iter_mut().enumerate().take(hi).skip(lo) {
                if j != i
                    && other.paragraph == para
                    && other.channel.is_none()
                    && other
                        .source
                        .as_ref()
                        .is_some_and(|s| s.canonical != canonical)
                {
                    other.channel = Some(canonical.clone());
                }
            }
        }
        let _ = seg;
    }

    /// Attributions → claim records with character offsets.
    pub fn records(
        &self,
        doc: &Document,
        seg: &Segmented<'_>,
        found: Vec<Attribution>,
    ) -> Vec<ClaimRecord> {
        let text = seg.text;
        // Parsed on the first time expression: most documents have none.
        let published = OnceCell::new();
        let mut bytes = Vec::with_capacity(found.len() * 12);
        for a in &found {
            bytes.extend([
                a.sentence.start,
                a.sentence.end,
                a.content.start,
                a.content.end,
            ]);
            let (ss, se, ms, me) = a.source.as_ref().map_or((0, 0, 0, 0), |s| {
                (s.named.start, s.named.end, s.mention.start, s.mention.end)
            });
            bytes.extend([ss, se, ms, me]);
            let c = a.cue.unwrap_or_default();
            bytes.extend([c.start, c.end]);
            for t in &a.times {
                bytes.extend([t.start, t.end]);
            }
        }
        let chars = char_offsets(text, &bytes);
        let mut it = chars.into_iter();
        let mut next = move || it.next().unwrap_or(0);
        let excerpt = |span: Span, s: usize, e: usize| Excerpt {
            text: span.of(text).to_string(),
            start: s,
            end: e,
        };
        let mut out = Vec::with_capacity(found.len());
        for (n, a) in found.into_iter().enumerate() {
            let (s0, s1, c0, c1) = (next(), next(), next(), next());
            let (n0, n1, m0, m1) = (next(), next(), next(), next());
            let (q0, q1) = (next(), next());
            let times: Vec<TimeExpr> = a
                .times
                .iter()
                .map(|t| {
                    let (t0, t1) = (next(), next());
                    TimeExpr {
                        text: t.of(text).to_string(),
                        start: t0,
                        end: t1,
                        date: published
                            .get_or_init(|| published_date(doc.published.as_deref()))
                            .and_then(|p| resolve_date_on(t.of(text), p)),
                    }
                })
                .collect();
            let source = a.source.map(|s| SourceRef {
                text: s.named.of(text).to_string(),
                start: n0,
                end: n1,
                canonical: s.canonical,
                role: s.role,
                affiliation: s.affiliation,
                mention: (s.mention != s.named).then(|| excerpt(s.mention, m0, m1)),
                unnamed: s.unnamed,
            });
            out.push(ClaimRecord {
                id: claim_id(&doc.key, n + 1),
                doc: doc.key.clone(),
                sentence: excerpt(a.sentence, s0, s1),
                content: excerpt(a.content, c0, c1),
                source,
                cue: a.cue.map(|c| excerpt(c, q0, q1)),
                subject: a.subject.map(|s| s.of(text).to_string()),
                predicate: a.predicate.map(|s| s.of(text).to_string()),
                object: a.object.map(|s| s.of(text).to_string()),
                stance: a.stance,
                polarity: a.polarity,
                hedges: a.hedges,
                quote: a.quote,
                channel: a.channel,
                times,
            });
        }
        out
    }
}

/// `<doc>#<n>`, without the formatting machinery (one per claim).
fn claim_id(doc: &str, n: usize) -> String {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    let mut id = String::with_capacity(doc.len() + 1 + digits.len() - at);
    id.push_str(doc);
    id.push('#');
    id.extend(digits[at..].iter().map(|&d| char::from(d)));
    id
}

/// What resolution asks of a source's name, lowercased once.
struct NameFacts {
    /// The whole name is a pronoun.
    pronoun: bool,
    /// One of its words is a role ("the port director").
    role_word: bool,
    /// Where its last word is in the name, as written.
    last_word: Range<usize>,
    /// Characters in the last word lowercased (what Jaro-Winkler counts).
    last_word_chars: usize,
}

impl NameFacts {
    /// The source of attribution `j` and its facts, worked out on the
    /// first call.
    fn of<'f>(
        rules: &Rules,
        found: &'f [Attribution],
        facts: &'f [OnceCell<NameFacts>],
        j: usize,
    ) -> Option<(&'f Source, &'f NameFacts)> {
        let s = found[j].source.as_ref()?;
        Some((s, facts[j].get_or_init(|| NameFacts::new(rules, &s.name))))
    }

    fn new(rules: &Rules, name: &str) -> NameFacts {
        // The last of `name.split_whitespace()`, found from the end.
        let trimmed = name.trim_end();
        let last = trimmed.rsplit(char::is_whitespace).next().unwrap_or("");
        let last_start = trimmed.len() - last.len();
        NameFacts {
            pronoun: is_lowercased(rules, LexiconRole::Pronoun, name),
            role_word: name
                .split_whitespace()
                .any(|w| is_lowercased(rules, LexiconRole::Role, w)),
            last_word: last_start..trimmed.len(),
            last_word_chars: if last.is_ascii() {
                last.len()
            } else {
                last.to_lowercase().chars().count()
            },
        }
    }
}

/// Whether `word` lowercased has the lexicon role. An ASCII word has the
/// filter key of its lowercase form, so the role's filter turns most words
/// away before they are lowercased.
fn is_lowercased(rules: &Rules, role: LexiconRole, word: &str) -> bool {
    if word.is_ascii() && !rules.may_be(role, word) {
        return false;
    }
    with_lowercase(word, |l| rules.is(role, l))
}

/// Calls `f` with `s` lowercased as [`str::to_lowercase`] does it, without
/// allocating when `s` is short and ASCII (most names and words).
fn with_lowercase<R>(s: &str, f: impl FnOnce(&str) -> R) -> R {
    let mut buf = [0u8; 64];
    match buf.get_mut(..s.len()) {
        Some(b) if s.is_ascii() => {
            b.copy_from_slice(s.as_bytes());
            b.make_ascii_lowercase();
            f(std::str::from_utf8(b).unwrap_or_default())
        }
        _ => f(&s.to_lowercase()),
    }
}

/// False when Jaro-Winkler similarity of two strings of `a` and `b`
/// characters cannot exceed 0.9, whatever the characters. Jaro is at most
/// (2 + shorter / longer) / 3 and the Winkler boost at most 0.4 of the
/// rest, so above 0.9 needs shorter / longer above 1/2; strictly below it,
/// the bound stays clear of 0.9 by more than rounding.
fn jaro_winkler_may_exceed_0_9(a: usize, b: usize) -> bool {
    2 * a.min(b) >= a.max(b)
}

/// False when Jaro-Winkler similarity of two ASCII strings cannot exceed
/// 0.9 for the characters they share. Jaro's matching characters are at
/// most the `shared` characters of both (counted with repeats), so Jaro is
/// at most (shared / a + shared / b + 1) / 3, and Jaro-Winkler at most
/// 0.4 + 0.6 Jaro; above 0.9 needs Jaro above 5/6, that is
/// `2 * shared * (a + b) >= 3 * a * b`. Strictly below it, the bound stays
/// clear of 0.9 by at least 0.1 / (a b), far beyond rounding. Other
/// strings are let through.
fn shares_enough_for_jaro_winkler_0_9(a: &str, b: &str) -> bool {
    if !a.is_ascii() || !b.is_ascii() {
        return true;
    }
    let mut counts = [0u32; 128];
    for &c in a.as_bytes() {
        counts[usize::from(c)] += 1;
    }
    let mut shared = 0;
    for &c in b.as_bytes() {
        if counts[usize::from(c)] > 0 {
            counts[usize::from(c)] -= 1;
            shared += 1;
        }
    }
    let (a, b) = (a.len(), b.len());
    2 * shared * (a + b) >= 3 * a * b
}

#[derive(Debug, Clone)]
struct Hit {
    rule: usize,
    tokens: Range<usize>,
}

#[derive(Debug, Clone)]
enum ContentPlan {
    /// Exactly these tokens.
    Span(Range<usize>),
    /// From this token to the end of the clause.
    After(usize),
}

#[derive(Debug, Clone)]
struct Plan {
    rule: usize,
    cue: Range<usize>,
    source_tokens: Option<Range<usize>>,
    appos: Option<Range<usize>>,
    content: ContentPlan,
    channel: Option<String>,
}

/// Skips a wire dateline ("EASTPORT, Valdoria \u{2014} ", "LINDAU (Reuters) - ")
/// at the start of a content: an all-capitals word, then a dash within six tokens.
fn skip_dateline(seg: &Segmented<'_>, start: usize, end: usize) -> usize {
    // An empty content ("According to officials," at the text's end) may
    // start past the last token.
    if start >= end.min(seg.tokens.len()) {
        return start;
    }
    let first = seg.word(start);
    let caps = first.len() >= 3 && first.chars().all(|c| !c.is_lowercase());
    if !caps {
        return start;
    }
    (start + 1..end.min(start + 7))
        .find(|&k| {
            matches!(seg.word(k), "\u{2014}" | "-" | "\u{2013}")
                && seg.tokens[k].kind == TokenKind::Punct
        })
        .map_or(start, |k| k + 1)
}

/// The first comma from `from`, or the sentence's closing stop.
fn clause_end(seg: &Segmented<'_>, from: usize, hi: usize) -> usize {
    (from..hi)
        .find(|&k| seg.word(k) == "," || k + 1 == hi && is_final(seg, k))
        .unwrap_or(hi)
}

fn is_final(seg: &Segmented<'_>, k: usize) -> bool {
    seg.tokens[k].kind == TokenKind::Punct && matches!(seg.word(k), "." | "!" | "?" | "\u{2026}")
}

/// Skips "that" and a colon after a cue.
fn skip_that(seg: &Segmented<'_>, mut k: usize, hi: usize) -> usize {
    while k < hi && (seg.lower(k) == "that" || seg.word(k) == ":" || seg.word(k) == ",") {
        k += 1;
    }
    k
}

/// Byte span of tokens `r`, without surrounding punctuation (commas, final
/// stops) but keeping quotation marks that belong to a quote inside.
fn trim_span(seg: &Segmented<'_>, r: Range<usize>) -> Span {
    let (mut a, mut b) = (r.start, r.end.min(seg.tokens.len()));
    while a < b && seg.tokens[a].kind == TokenKind::Punct {
        a += 1;
    }
    while a < b
        && (seg.tokens[b - 1].kind == TokenKind::Punct
            && matches!(seg.word(b - 1), "," | "." | ";" | ":" | "\u{2014}" | "-"))
    {
        b -= 1;
    }
    // A lone opening or closing quote mark at an edge belongs to no quote here.
    if a < b && seg.tokens[a].is_quote() && seg.quotation_opening_at(a).is_none_or(|q| q.close >= b)
    {
        a += 1;
    }
    while a < b
        && seg.tokens[b - 1].is_quote()
        && seg.quotation_closing_at(b - 1).is_none_or(|q| q.open < a)
    {
        b -= 1;
        while a < b && matches!(seg.word(b - 1), "," | ".") {
            b -= 1;
        }
    }
    seg.span_of(a..b)
}

/// Drops trailing commas, stops and semicolons that close a quotation's inner text.
fn trim_end_punct(text: &str, span: Span) -> Span {
    let inner = span.of(text);
    let trimmed = inner.trim_end_matches([',', '.', ';', ':', ' ']);
    Span::new(span.start, span.start + trimmed.len())
}

fn quote_kind(seg: &Segmented<'_>, content: Span, attributed: bool) -> QuoteKind {
    if !attributed {
        return QuoteKind::None;
    }
    let near = seg.quotations_near(content);
    let inside = near
        .iter()
        .any(|q| q.inner.contains(content) || q.inner == content);
    if inside {
        return QuoteKind::Direct;
    }
    let has = near
        .iter()
        .any(|q| content.contains(q.inner) && !q.inner.is_empty());
    if has {
        QuoteKind::Mixed
    } else {
        QuoteKind::Indirect
    }
}

/// "on Monday", "Monday", "last week", "Feb. 4", "March 3, 2019".
fn time_expressions(seg: &Doc<'_>, within: Span) -> Vec<Span> {
    let mut out = Vec::new();
    // The tokens are a contiguous run: position p is token idx(p).
    let tokens = seg.tokens_in(within);
    let (first, len) = (tokens.start, tokens.len());
    let idx = |p: usize| first + p;
    let time_words = &class_table().2;
    let starts = time_start_keys();
    let mut p = 0;
    while p < len {
        // Most tokens surely start no time expression, which their keys
        // tell: they are skipped in one run.
        p += seg.tokens[first + p..first + len]
            .iter()
            .position(|t| starts.has(t.key))
            .unwrap_or(len - p);
        if p == len {
            break;
        }
        let i = idx(p);
        let lower = seg.lower(i);
        let w = lower.trim_end_matches('.');
        // Only a day or month name, or "last" / "next" / "this" (dots
        // dropped), starts an expression: most words are turned away here,
        // by the filter of day and month names.
        let relative_word = matches!(w, "last" | "next" | "this");
        if !relative_word && !time_words.may_contain(w) {
            p += 1;
            continue;
        }
        let capital = seg.tokens[i].capitalised;
        let is_day_month = seg.class(i, TIME_UNDOTTED)
            && (capital || matches!(w, "yesterday" | "today" | "tomorrow" | "tonight"));
        let relative = relative_word
            && p + 1 < len
            && matches!(
                seg.lower(idx(p + 1)),
                "week" | "month" | "year" | "weekend" | "morning" | "night"
            );
        // "May" is a month only before a day number ("May 4").
        let may_month = w != "may"
            || seg
                .tokens
                .get(i + 1)
                .is_some_and(|t| t.kind == TokenKind::Number);
        if is_day_month && may_month || relative {
            let mut start = i;
            if p > 0 && matches!(seg.lower(idx(p - 1)), "on" | "since" | "until" | "by") {
                start = idx(p - 1);
            }
            let mut end = if relative { idx(p + 1) } else { i };
            // "Feb. 4", "March 3, 2019"
            let mut q = p + 1;
            if q < len && seg.word(idx(q)) == "." {
                q += 1;
            }
            if q < len && seg.tokens[idx(q)].kind == TokenKind::Number {
                end = idx(q);
                if q + 2 < len
                    && seg.word(idx(q + 1)) == ","
                    && seg.tokens[idx(q + 2)].kind == TokenKind::Number
                {
                    end = idx(q + 2);
                }
            }
            out.push(seg.span_of(start..end + 1));
            p = end - first + 1;
            continue;
        }
        p += 1;
    }
    out
}

/// Writes the items of `items` that pass `keep` to the front of `out`, in
/// order, and returns how many there were. `out` must be long enough for
/// all of them.
fn keep_into(
    items: impl Iterator<Item = usize>,
    keep: impl Fn(usize) -> bool,
    out: &mut [usize],
) -> usize {
    let mut n = 0;
    for i in items {
        if keep(i) {
            out[n] = i;
            n += 1;
        }
    }
    n
}

fn strip_determiner(s: &str) -> &str {
    for d in ["the ", "The ", "a ", "A ", "an ", "An "] {
        if let Some(r) = s.strip_prefix(d) {
            return r;
        }
    }
    s
}

fn strip_possessive(s: &str) -> &str {
    s.strip_suffix("'s")
        .or_else(|| s.strip_suffix("\u{2019}s"))
        .unwrap_or(s)
}

/// Resolves a weekday or month-day expression against the document's date
/// (`YYYY-MM-DD`): "Monday" is the latest Monday on or before publication.
pub fn resolve_date(expr: &str, published: Option<&str>) -> Option<String> {
    resolve_date_on(expr, published_date(published)?)
}

/// A document's publication date (`YYYY-MM-DD`, anything after ignored).
fn published_date(published: Option<&str>) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(published?.get(..10)?, "%Y-%m-%d").ok()
}

/// [`resolve_date`] against a publication date already parsed.
fn resolve_date_on(expr: &str, published: chrono::NaiveDate) -> Option<String> {
    use chrono::{Datelike, NaiveDate};
    let lower = expr.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    const DAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    for w in &words {
        if let Some(d) = DAYS.iter().position(|x| x == w) {
            let back = (published.weekday().num_days_from_monday() as i64 - d as i64).rem_euclid(7);
            return Some(
                (published - chrono::Duration::days(back))
                    .format("%Y-%m-%d")
                    .to_string(),
            );
        }
        match *w {
            "yesterday" => {
                return Some(
                    (published - chrono::Duration::days(1))
                        .format("%Y-%m-%d")
                        .to_string(),
                )
            }
            "today" | "tonight" => return Some(published.format("%Y-%m-%d").to_string()),
            _ => {}
        }
    }
    let month = words
        .iter()
        .find_map(|w| MONTHS.iter().position(|m| w.starts_with(m) && w.len() >= 3))?;
    let day: u32 = words
        .iter()
        .find_map(|w| w.parse().ok().filter(|d: &u32| (1..=31).contains(d)))?;
    let year = words
        .iter()
        .find_map(|w| w.parse::<i32>().ok().filter(|y| *y > 1900))
        .unwrap_or(published.year());
    NaiveDate::from_ymd_opt(year, month as u32 + 1, day).map(|d| d.format("%Y-%m-%d").to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn keep_into_writes_the_kept_items_in_order() {
        let mut out = [usize::MAX; 6];
        let n = super::keep_into(3..9, |i| i % 2 == 1, &mut out);
        assert_eq!(n, 3);
        assert_eq!(out[..n], [3, 5, 7]);
        assert_eq!(out[n], usize::MAX);
        assert_eq!(super::keep_into(0..0, |_| true, &mut []), 0);
    }

    use super::*;

    #[test]
    fn token_prefilters_never_turn_away_a_negator_or_time_word() {
        let rules = Rules::builtin().unwrap();
        let text = "Officials did not deny it; he didn't, she couldn\u{2019}t, nor never \
                    NO none Not. On Monday, last week, next month, this year, Feb. 4, \
                    Sept. 3, March 3, 2019, may May 4 tonight Tomorrow the lost note \
                    tent jan. dec Dec. yesterday... e.g. U.S. a. n't";
        let seg = Segmented::new(text, &rules);
        let doc = Doc::new(&seg, &rules);
        let time_words = &class_table().2;
        let (mut negators, mut times) = (0, 0);
        for k in 0..seg.tokens.len() {
            let w = seg.lower(k);
            let negator =
                doc.is(LexiconRole::Negator, k) || w.ends_with("n't") || w.ends_with("n\u{2019}t");
            if negator {
                negators += 1;
                assert!(doc.may_negate(k), "{w}");
            }
            let bare = w.trim_end_matches('.');
            let relative = bare.len() == 4 && matches!(bare.as_bytes()[0], b'l' | b'n' | b't');
            if relative || time_words.may_contain(bare) {
                times += 1;
                assert!(doc.may_start_time(k, time_words), "{w}");
            }
        }
        assert!(negators >= 6 && times >= 15, "{negators} {times}");
        assert!(!doc.may_negate(0) && !doc.may_start_time(0, time_words));
    }

    #[test]
    fn time_start_keys_are_may_start_time() {
        let time_words = &class_table().2;
        let keys = time_start_keys();
        // Every key a word can have (below 1 << 14), and the empty word's.
        for key in (0..1u16 << 14).chain([WordFilter::NO_KEY]) {
            assert_eq!(keys.has(key), may_start_time(key, time_words), "{key}");
        }
    }

    #[test]
    fn cue_filter_second_key_never_turns_away_a_cue_word() {
        let rules = Rules::builtin().unwrap();
        let filter = rules.cue_filter();
        for cue in &rules.cues {
            for form in &cue.forms {
                let w = form[0].as_str();
                assert!(filter.may_contain(w), "{w}");
                assert!(filter.may_contain_inner(w.to_uppercase().as_bytes()), "{w}");
            }
        }
        // The point of it: "and" shares its first key with "add".
        assert!(filter.has_key(WordFilter::key("and")));
        assert!(!filter.may_contain("and"));
    }

    #[test]
    fn claim_ids_are_doc_hash_number() {
        for n in [0, 1, 9, 10, 99, 100, 12_345, usize::MAX] {
            assert_eq!(claim_id("a/b.txt", n), format!("a/b.txt#{n}"));
        }
    }

    #[test]
    fn lowercase_on_the_stack_is_to_lowercase() {
        let long = "A".repeat(65);
        for s in [
            "",
            "Sean RYAN",
            "al-Qaddo's",
            "\u{130}stanbul",
            "\u{39F}\u{394}\u{3A3}",
            &long,
        ] {
            assert_eq!(with_lowercase(s, str::to_string), s.to_lowercase(), "{s}");
        }
    }

    #[test]
    fn jaro_winkler_shared_characters_bound_never_turns_away_a_match() {
        let mut words: Vec<String> = Vec::new();
        for stem in ["abcdefghij", "qaddoqaddo", "masjedi", "aabbaabbcc", "ryan"] {
            for n in 0..=stem.len() {
                words.push(stem[..n].to_string());
                words.push(stem[n..].to_string());
                // One character changed, and two swapped.
                let mut changed = stem.as_bytes().to_vec();
                if n < changed.len() {
                    changed[n] = b'x';
                    words.push(String::from_utf8(changed.clone()).unwrap());
                }
                if n + 1 < changed.len() {
                    changed.swap(n, n + 1);
                    words.push(String::from_utf8(changed).unwrap());
                }
            }
        }
        let (mut turned_away, mut matches) = (0, 0);
        for a in &words {
            for b in &words {
                let jw = strsim::jaro_winkler(a, b);
                if jw > 0.9 {
                    matches += 1;
                }
                if !shares_enough_for_jaro_winkler_0_9(a, b) {
                    turned_away += 1;
                    assert!(jw <= 0.9, "{a} / {b}: {jw}");
                }
            }
        }
        assert!(turned_away > words.len() && matches > words.len());
    }

    #[test]
    fn jaro_winkler_length_bound_never_turns_away_a_match() {
        // Prefixes share the Winkler boost in full: the closest strings of
        // each pair of lengths.
        let stems = [
            "abcdefghijklmnopqrst",
            "aaaaaaaaaaaaaaaaaaaa",
            "qaddoqaddoqaddoqaddo",
        ];
        let mut words: Vec<String> = Vec::new();
        for stem in stems {
            for n in 0..=stem.len() {
                words.push(stem[..n].to_string());
            }
        }
        words.push("masjedi".into());
        words.push("masjed\u{ef}".into());
        let mut turned_away = 0;
        for a in &words {
            for b in &words {
                let (ca, cb) = (a.chars().count(), b.chars().count());
                if !jaro_winkler_may_exceed_0_9(ca, cb) {
                    turned_away += 1;
                    assert!(strsim::jaro_winkler(a, b) <= 0.9, "{a} / {b}");
                }
            }
        }
        assert!(turned_away > 0);
        assert!(!jaro_winkler_may_exceed_0_9(3, 7));
        assert!(jaro_winkler_may_exceed_0_9(4, 8) && jaro_winkler_may_exceed_0_9(7, 7));
    }
}
