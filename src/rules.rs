//! Lexicons and patterns as data: the TOML files in `rules/`.
//!
//! Every file may hold entries of a closed set of kinds, each a TOML array of
//! tables:
//! - `[[cue]]`: reporting cues (`words`, multi-word allowed) with the
//!   `stance` they signal and their `kind` (`verb`, `adverb`, `preposition`,
//!   `noun`);
//! - `[[lexicon]]`: closed word lists with a `role` (negator, hedge, refuter,
//!   title, role, abbreviation, sentence_starter, stopword, pronoun,
//!   unnamed_source, outlet_noun, light_verb, modal, retraction, media_verb,
//!   irregular);
//! - `[[group]]`: words that name the same kind of event or thing, with the
//!   groups it `implies` (blocking a patrol is an encounter);
//! - `[[opposite]]`: two lists of predicates that cannot both hold (`a`, `b`);
//! - `[[alias]]`: names of one source (`canonical`, `aliases`, `kind`).
//!
//! An entry's rule id is `<file stem>/<id>`, e.g. `cues/deny`. Entries carry
//! `examples` that must match and `counter_examples` that must not; one test
//! (`tests/rule_examples.rs`) runs them all through the real pipeline.
//!
//! Loading validates everything up front and collects every problem as
//! `path:line:col: message`; a user editing a rule never gets a panic or a
//! silent no-op. The files under `rules/` are compiled into the binary as the
//! defaults; `--rules DIR` replaces them.

use crate::model::Stance;
use crate::text::Abbreviations;
use rustc_hash::FxHashMap;
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The rule files built into the binary, as (file name, contents).
pub const BUILTIN: &[(&str, &str)] = &[
    ("aliases.toml", include_str!("../rules/aliases.toml")),
    ("cues.toml", include_str!("../rules/cues.toml")),
    ("events.toml", include_str!("../rules/events.toml")),
    ("lexicon.toml", include_str!("../rules/lexicon.toml")),
    ("opposites.toml", include_str!("../rules/opposites.toml")),
];

/// One problem in a rule file, with its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub path: String,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path, self.line, self.col, self.message
        )
    }
}

/// All problems found while loading a rule set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleErrors(pub Vec<RuleError>);

impl fmt::Display for RuleErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RuleErrors {}

/// Words after a negator within which a verifying word it negates stands
/// ([`Rules::verifying_after`]).
const VERIFYING_REACH: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CueKind {
    /// A verb whose subject is the source: "X said", "said X", "X denied".
    Verb,
    /// An adverb that marks the claim it sits in: "allegedly", "reportedly".
    Adverb,
    /// A preposition introducing the source: "according to X".
    Preposition,
    /// A participle phrase inside content: "claimed to be", "said to be".
    Participle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LexiconRole {
    Negator,
    Hedge,
    Refuter,
    Title,
    Role,
    Abbreviation,
    SentenceStarter,
    Stopword,
    Pronoun,
    UnnamedSource,
    OutletNoun,
    LightVerb,
    Modal,
    Retraction,
    MediaVerb,
    Irregular,
    Answer,
    Dismissal,
    ReportNoun,
    ClauseOpener,
    PredicateNegator,
    /// Opens a question: "Has the mayor asked ...?", "Who ...?".
    QuestionOpener,
    /// Reports someone asking: "... and asks doctors How's it going?".
    AskingVerb,
    /// Opens an indirect question after a verb of knowing or telling: a
    /// negation before it is of the knowing ("isn't sure how", "won't say
    /// if"), not of the event asked about.
    Interrogative,
    /// Knowing or telling, which an indirect question can follow ("sure",
    /// "say", "know"): negated, it denies no event.
    KnowingWord,
    /// Before a month name, makes it a date ("in May", "since May"): the
    /// month is no hedge.
    TimePreposition,
    /// A verb of measure: before a quantity it states the measure ("a
    /// catfish weighing 280 pounds"), not a prospect ("weighing a bid").
    MeasureVerb,
    /// A verb of position that is also a refuting noun ("lies"): before a
    /// place preposition it says where something is ("the answer lies in
    /// the figures"), not that something is false.
    PositionVerb,
    /// Prepositions and adverbs of place that follow a verb of position.
    PlacePreposition,
    /// A verb that, before "to", says its complement did not happen
    /// ("failed to pass the bill", "refused to resign").
    NegativeImplicative,
    /// Verifying ("confirm", "verify"): negated, it leaves what follows
    /// unconfirmed, a hedge ("could not be independently verified").
    VerifyingWord,
    /// A medium a story travels in ("video", "tweet", "website"): a
    /// refuting word before it calls the story false ("fake video").
    MediumNoun,
    /// A unit or scale a figure is written in ("mln", "pct", "dlrs"):
    /// the thing measured is named elsewhere, so two figures in it
    /// conflict only about a name both sides give.
    MeasureUnit,
}

impl LexiconRole {
    /// The role's bit in [`WordEntry::roles`]: 64 roles fit (33 are used).
    fn bit(self) -> u64 {
        1 << (self as u32)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AliasKind {
    Outlet,
    Organisation,
    Person,
    Place,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    cue: Vec<RawCue>,
    #[serde(default)]
    lexicon: Vec<RawLexicon>,
    #[serde(default)]
    group: Vec<RawGroup>,
    #[serde(default)]
    opposite: Vec<RawOpposite>,
    #[serde(default)]
    alias: Vec<RawAlias>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCue {
    id: Spanned<String>,
    words: Spanned<Vec<String>>,
    stance: Stance,
    kind: CueKind,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    counter_examples: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLexicon {
    id: Spanned<String>,
    role: LexiconRole,
    words: Spanned<Vec<String>>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    counter_examples: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    id: Spanned<String>,
    words: Spanned<Vec<String>>,
    #[serde(default)]
    implies: Vec<String>,
    /// A group of things (troops, forces), not of events: it makes claims
    /// share a participant, never an event.
    #[serde(default)]
    thing: bool,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    examples: Vec<[String; 2]>,
    #[serde(default)]
    counter_examples: Vec<[String; 2]>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOpposite {
    id: Spanned<String>,
    a: Spanned<Vec<String>>,
    b: Spanned<Vec<String>>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    examples: Vec<[String; 2]>,
    #[serde(default)]
    counter_examples: Vec<[String; 2]>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAlias {
    id: Spanned<String>,
    canonical: String,
    aliases: Spanned<Vec<String>>,
    kind: AliasKind,
    #[serde(default)]
    note: Option<String>,
}

/// A reporting cue, ready to match.
#[derive(Debug, Clone)]
pub struct Cue {
    pub id: String,
    pub stance: Stance,
    pub kind: CueKind,
    /// Each form as lowercase words.
    pub forms: Vec<Vec<String>>,
}

/// What the rules know about a word, stored once per distinct word.
#[derive(Debug, Clone, Default)]
struct WordEntry {
    /// Lexicon roles, one bit per [`LexiconRole`].
    roles: u64,
    /// Indices into `Rules::cues` of the cues with a form starting here.
    cues: Vec<usize>,
    /// The forms starting here, as (index into `Rules::cues`, index into
    /// that cue's forms), in cue and then form order.
    forms: Vec<(usize, usize)>,
}

/// The answer of [`Rules::word`]: a word's lexicon roles and the cues it
/// starts, looked up once and asked many times.
#[derive(Debug, Clone, Copy, Default)]
pub struct Word<'r>(Option<&'r WordEntry>);

impl<'r> Word<'r> {
    pub fn is(&self, role: LexiconRole) -> bool {
        self.0.is_some_and(|e| e.roles & role.bit() != 0)
    }

    /// Indices into `Rules::cues` of the cues with a form starting here.
    pub fn cues(&self) -> &'r [usize] {
        self.0.map_or(&[], |e| e.cues.as_slice())
    }

    /// The cue forms starting with this word, as (index into `Rules::cues`,
    /// index into the cue's forms): the form's first word need not be
    /// compared again.
    pub fn cue_forms(&self) -> &'r [(usize, usize)] {
        self.0.map_or(&[], |e| e.forms.as_slice())
    }
}

/// A set of words as a filter on first byte, last byte and length: most
/// words outside the set are turned away without hashing them. No false
/// negatives; a false positive costs one look-up.
///
/// A second filter on the second and second-to-last bytes and the length
/// ([`WordFilter::may_contain_inner`]) turns away most words that share a
/// key with one in the set ("and" with "add"), for callers that have the
/// word's bytes at hand.
#[derive(Debug, Clone, Default)]
pub struct WordFilter {
    keys: Vec<u64>,
    inner: Vec<u64>,
}

impl WordFilter {
    const BITS: usize = 1 << 14;
    /// The key of the empty word, which no filter contains.
    pub const NO_KEY: u16 = crate::text::NO_FILTER_KEY;

    /// The word's place in any filter: callers asking many filters about
    /// one word work it out once.
    pub fn key(word: &str) -> u16 {
        WordFilter::key_of_bytes(word.as_bytes())
    }

    /// [`WordFilter::key`] of a word's bytes.
    #[inline]
    pub fn key_of_bytes(b: &[u8]) -> u16 {
        crate::text::filter_key(b)
    }

    pub fn insert(&mut self, word: &str) {
        let key = WordFilter::key(word);
        if key != WordFilter::NO_KEY {
            if self.keys.is_empty() {
                self.keys = vec![0; WordFilter::BITS / 64];
                self.inner = vec![0; WordFilter::BITS / 64];
            }
            let bit = usize::from(key);
            self.keys[bit / 64] |= 1 << (bit % 64);
            let bit = usize::from(WordFilter::inner_key(word.as_bytes()));
            self.inner[bit / 64] |= 1 << (bit % 64);
        }
    }

    /// The key of the second filter: like [`crate::text::filter_key`], of
    /// the second and second-to-last bytes (the first and last of a word
    /// of one byte). Like it, the same for a word and its ASCII lowercase
    /// form.
    #[inline]
    fn inner_key(b: &[u8]) -> u16 {
        let n = b.len();
        match (b.get(1.min(n.wrapping_sub(1))), b.get(n.saturating_sub(2))) {
            (Some(&second), Some(&before_last)) => {
                u16::from(second & 31) << 9 | u16::from(before_last & 31) << 4 | n.min(15) as u16
            }
            _ => WordFilter::NO_KEY,
        }
    }

    /// False when the word of bytes `b` is surely not in the set, by the
    /// second filter alone: for words whose [`WordFilter::key`] the caller
    /// has already asked about.
    #[inline]
    pub fn may_contain_inner(&self, b: &[u8]) -> bool {
        FilterKeys(&self.inner).has(WordFilter::inner_key(b))
    }

    /// False when no word with this key is in the set.
    pub fn has_key(&self, key: u16) -> bool {
        self.keys().has(key)
    }

    /// The filter as a plain view, for loops asking it about many keys:
    /// a copy held in registers, not reloaded for each key.
    #[inline]
    pub fn keys(&self) -> FilterKeys<'_> {
        FilterKeys(&self.keys)
    }

    /// False when `word` is surely not in the set.
    pub fn may_contain(&self, word: &str) -> bool {
        self.has_key(WordFilter::key(word)) && self.may_contain_inner(word.as_bytes())
    }

    /// False when the word of `key` surely does not end with byte `b`
    /// (the key keeps the last byte's low five bits).
    #[inline]
    pub fn key_may_end_with(key: u16, b: u8) -> bool {
        key != WordFilter::NO_KEY && (key >> 4) & 31 == u16::from(b & 31)
    }

    /// False when the word of `key` surely does not start with byte `b`.
    #[inline]
    pub fn key_may_start_with(key: u16, b: u8) -> bool {
        key != WordFilter::NO_KEY && key >> 9 == u16::from(b & 31)
    }

    /// The length of the word of `key` in bytes, or 15 for 15 and more.
    #[inline]
    pub fn key_len(key: u16) -> usize {
        usize::from(key & 15)
    }
}

/// A view of a [`WordFilter`]'s keys (see [`WordFilter::keys`]).
#[derive(Debug, Clone, Copy)]
pub struct FilterKeys<'f>(&'f [u64]);

impl FilterKeys<'_> {
    /// False when no word with this key is in the set.
    #[inline]
    pub fn has(self, key: u16) -> bool {
        let bit = usize::from(key);
        self.0
            .get(bit / 64)
            .is_some_and(|w| w & (1 << (bit % 64)) != 0)
    }
}

/// The filter keys (see [`WordFilter::key`]) for which a predicate holds,
/// worked out once: a question that a token's key alone answers, asked of
/// every token, costs one bit test. [`WordFilter::NO_KEY`] is in no set.
#[derive(Debug, Clone)]
pub struct KeySet(Vec<u64>);

impl KeySet {
    pub fn new(holds: impl Fn(u16) -> bool) -> KeySet {
        let mut bits = vec![0u64; WordFilter::BITS / 64];
        for key in 0..WordFilter::BITS {
            if holds(key as u16) {
                bits[key / 64] |= 1 << (key % 64);
            }
        }
        KeySet(bits)
    }

    #[inline]
    pub fn has(&self, key: u16) -> bool {
        FilterKeys(&self.0).has(key)
    }
}

/// A rule's examples, kept for the example test.
#[derive(Debug, Clone)]
pub struct RuleExample {
    pub rule: String,
    pub place: String,
    pub kind: ExampleKind,
    pub must_match: bool,
}

#[derive(Debug, Clone)]
pub enum ExampleKind {
    /// A sentence in which the cue must (not) be found.
    Cue(String),
    /// A sentence in which the lexicon word must (not) take its role.
    Lexicon(LexiconRole, String),
    /// Two sentences that must (not) be paired by this group or opposite.
    Pair(String, String),
}

/// A loaded, validated rule set. Lookups are by lowercase word or stem.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    pub cues: Vec<Cue>,
    /// Word → its lexicon roles and the cues it starts: one hash look-up
    /// answers `is` for any role and `cues_starting` (the extractor asks
    /// for every token, once per document, through [`Rules::word`]).
    words: FxHashMap<String, WordEntry>,
    /// The keys of `words`, the first words of cue forms, and the words of
    /// each lexicon role: filters that answer most questions about a word
    /// outside them without hashing it.
    word_filter: WordFilter,
    cue_filter: WordFilter,
    role_filters: Vec<WordFilter>,
    /// Multi-word lexicon entries by role, as word lists.
    phrases: FxHashMap<LexiconRole, Vec<Vec<String>>>,
    /// Stem → (group rule id) for event/term groups.
    groups: FxHashMap<String, Vec<String>>,
    /// Group id → implied group ids.
    implies: FxHashMap<String, Vec<String>>,
    /// Ids of groups of things rather than events.
    thing_groups: HashSet<String>,
    /// Stem → (opposite rule id, side).
    opposites: FxHashMap<String, Vec<(String, bool)>>,
    /// Lowercase alias → (canonical, kind).
    aliases: FxHashMap<String, (String, AliasKind)>,
    /// Irregular form → lemma, and a filter of the forms.
    irregular: FxHashMap<String, String>,
    irregular_filter: WordFilter,
    pub examples: Vec<RuleExample>,
    /// Where the rules came from: "built-in" or the directory.
    pub origin: String,
}

impl Rules {
    /// The rule files compiled into the binary.
    pub fn builtin() -> Result<Rules, RuleErrors> {
        let files: Vec<(String, String)> = BUILTIN
            .iter()
            .map(|(n, c)| (format!("rules/{n}"), (*c).to_string()))
            .collect();
        let mut r = Rules::from_sources(&files)?;
        r.origin = "built-in".into();
        Ok(r)
    }

    /// Every `*.toml` file in `dir`, in name order.
    pub fn load_dir(dir: &Path) -> Result<Rules, RuleErrors> {
        let place = dir.display().to_string();
        let entries = std::fs::read_dir(dir).map_err(|e| {
            RuleErrors(vec![RuleError {
                path: place.clone(),
                line: 0,
                col: 0,
                message: format!("cannot read rules directory: {e}"),
            }])
        })?;
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        if paths.is_empty() {
            return Err(RuleErrors(vec![RuleError {
                path: place,
                line: 0,
                col: 0,
                message: "no .toml rule files in this directory".into(),
            }]));
        }
        let mut files = Vec::new();
        let mut errors = Vec::new();
        for p in paths {
            match std::fs::read_to_string(&p) {
                Ok(c) => files.push((p.display().to_string(), c)),
                Err(e) => errors.push(RuleError {
                    path: p.display().to_string(),
                    line: 0,
                    col: 0,
                    message: format!("cannot read: {e}"),
                }),
            }
        }
        if !errors.is_empty() {
            return Err(RuleErrors(errors));
        }
        let mut r = Rules::from_sources(&files)?;
        r.origin = dir.display().to_string();
        Ok(r)
    }

    /// Parses and validates rule files given as (path, contents).
    pub fn from_sources(files: &[(String, String)]) -> Result<Rules, RuleErrors> {
        let mut rules = Rules::default();
        let mut errors = Vec::new();
        let mut seen_ids: HashMap<String, String> = HashMap::new();
        for (path, text) in files {
            let stem = Path::new(path)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let raw: RawFile = match toml::from_str(text) {
                Ok(r) => r,
                Err(e) => {
                    let (line, col) = e.span().map_or((1, 1), |s| line_col(text, s.start));
                    errors.push(RuleError {
                        path: path.clone(),
                        line,
                        col,
                        message: e.message().trim().replace('`', "'"),
                    });
                    continue;
                }
            };
            let mut ctx = FileCtx {
                path,
                text,
                stem: &stem,
                errors: &mut errors,
                seen: &mut seen_ids,
                cursor: (0, 1, 0),
            };
            rules.add_file(raw, &mut ctx);
        }
        if errors.is_empty() {
            Ok(rules)
        } else {
            Err(RuleErrors(errors))
        }
    }

    fn add_file(&mut self, raw: RawFile, ctx: &mut FileCtx<'_>) {
        for c in raw.cue {
            let id = ctx.rule_id(&c.id);
            // Check the word list even when the id is bad, to report every problem.
            if id.is_none() {
                let _ = ctx.words(&c.words);
            }
            let Some(id) = id else {
                continue;
            };
            let forms = ctx.words(&c.words);
            let ci = self.cues.len();
            for (fi, f) in forms.iter().enumerate() {
                let entry = self.word_entry(&f[0]);
                entry.cues.push(ci);
                entry.forms.push((ci, fi));
                self.cue_filter.insert(&f[0]);
            }
            let _ = c.note;
            self.push_examples(&id, ctx, c.examples, c.counter_examples, ExampleKind::Cue);
            self.cues.push(Cue {
                id,
                stance: c.stance,
                kind: c.kind,
                forms,
            });
        }
        for l in raw.lexicon {
            let id = ctx.rule_id(&l.id);
            // Check the word list even when the id is bad, to report every problem.
            if id.is_none() {
                let _ = ctx.words(&l.words);
            }
            let Some(id) = id else {
                continue;
            };
            let forms = ctx.words(&l.words);
            let _ = l.note;
            for f in forms {
                if l.role == LexiconRole::Irregular {
                    // "kept keep": an irregular form, then its lemma.
                    if f.len() == 2 {
                        self.irregular_filter.insert(&f[0]);
                        self.irregular.insert(f[0].clone(), f[1].clone());
                    } else {
                        ctx.error(
                            l.words.span().start,
                            format!("irregular entry '{}' must be 'form lemma'", f.join(" ")),
                        );
                    }
                } else if f.len() == 1 {
                    self.word_entry(&f[0]).roles |= l.role.bit();
                    let r = l.role as usize;
                    if self.role_filters.len() <= r {
                        self.role_filters.resize_with(r + 1, WordFilter::default);
                    }
                    self.role_filters[r].insert(&f[0]);
                } else {
                    self.phrases.entry(l.role).or_default().push(f);
                }
            }
            let role = l.role;
            self.push_examples(&id, ctx, l.examples, l.counter_examples, |s| {
                ExampleKind::Lexicon(role, s)
            });
        }
        for g in raw.group {
            let id = ctx.rule_id(&g.id);
            // Check the word list even when the id is bad, to report every problem.
            if id.is_none() {
                let _ = ctx.words(&g.words);
            }
            let Some(id) = id else {
                continue;
            };
            for f in ctx.words(&g.words) {
                let key = self.term_key(&f.join(" "));
                self.groups.entry(key).or_default().push(id.clone());
            }
            let implied: Vec<String> = g
                .implies
                .iter()
                .map(|s| {
                    if s.contains('/') {
                        s.clone()
                    } else {
                        format!("{}/{}", ctx.stem, s)
                    }
                })
                .collect();
            if !implied.is_empty() {
                self.implies.insert(id.clone(), implied);
            }
            if g.thing {
                self.thing_groups.insert(id.clone());
            }
            let _ = g.note;
            self.push_examples(&id, ctx, g.examples, g.counter_examples, |[a, b]| {
                ExampleKind::Pair(a, b)
            });
        }
        for o in raw.opposite {
            let id = ctx.rule_id(&o.id);
            // Check the word list even when the id is bad, to report every problem.
            if id.is_none() {
                let _ = ctx.words(&o.a);
            }
            let Some(id) = id else {
                continue;
            };
            for (side, words) in [(true, &o.a), (false, &o.b)] {
                for f in ctx.words(words) {
                    let key = self.term_key(&f.join(" "));
                    self.opposites
                        .entry(key)
                        .or_default()
                        .push((id.clone(), side));
                }
            }
            let _ = o.note;
            self.push_examples(&id, ctx, o.examples, o.counter_examples, |[a, b]| {
                ExampleKind::Pair(a, b)
            });
        }
        for a in raw.alias {
            let id = ctx.rule_id(&a.id);
            // Check the word list even when the id is bad, to report every problem.
            if id.is_none() {
                let _ = ctx.words(&a.aliases);
            }
            let Some(_id) = id else {
                continue;
            };
            let _ = a.note;
            let canonical = a.canonical.trim().to_string();
            if canonical.is_empty() {
                ctx.error(
                    a.id.span().start,
                    "alias entry has an empty 'canonical'".into(),
                );
                continue;
            }
            self.aliases
                .insert(canonical.to_lowercase(), (canonical.clone(), a.kind));
            for f in ctx.words(&a.aliases) {
                self.aliases
                    .insert(f.join(" "), (canonical.clone(), a.kind));
            }
        }
    }

    /// Keeps a rule's examples (must match) and counter-examples (must not).
    fn push_examples<T>(
        &mut self,
        rule: &str,
        ctx: &FileCtx<'_>,
        examples: Vec<T>,
        counter_examples: Vec<T>,
        kind: impl Fn(T) -> ExampleKind,
    ) {
        let tagged = examples
            .into_iter()
            .map(|e| (e, true))
            .chain(counter_examples.into_iter().map(|e| (e, false)));
        for (example, must_match) in tagged {
            self.examples.push(RuleExample {
                rule: rule.to_string(),
                place: ctx.path.to_string(),
                kind: kind(example),
                must_match,
            });
        }
    }

    fn word_entry(&mut self, lower: &str) -> &mut WordEntry {
        self.word_filter.insert(lower);
        self.words.entry(lower.to_string()).or_default()
    }

    /// Everything the rules say about one lowercase word: its lexicon roles
    /// and the cues it starts.
    pub fn word(&self, lower: &str) -> Word<'_> {
        // The first key alone: most words asked about are in the map.
        if !self.word_filter.has_key(WordFilter::key(lower)) {
            return Word::default();
        }
        Word(self.words.get(lower))
    }

    /// False when no cue form starts with `lower`; true when one may (then
    /// [`Rules::cues_starting`] tells). Cheaper than a look-up.
    pub fn may_start_cue(&self, lower: &str) -> bool {
        self.cue_filter.may_contain(lower)
    }

    /// Cue candidates whose first word is `lower`.
    pub fn cues_starting(&self, lower: &str) -> &[usize] {
        if !self.may_start_cue(lower) {
            return &[];
        }
        self.word(lower).cues()
    }

    pub fn is(&self, role: LexiconRole, lower: &str) -> bool {
        self.may_be(role, lower) && self.word(lower).is(role)
    }

    /// The verifying word a negator governs, given the words after it
    /// (lowercase, in order): the first past function words, light verbs
    /// and adverbs, within four words ("not been independently verified").
    /// Such a negation leaves what follows unconfirmed, a hedge; it denies
    /// no event.
    pub fn verifying_after<'w>(&self, after: impl IntoIterator<Item = &'w str>) -> Option<&'w str> {
        after
            .into_iter()
            .take(VERIFYING_REACH)
            .find(|w| {
                !self.is(LexiconRole::Stopword, w)
                    && !self.is(LexiconRole::LightVerb, w)
                    && !w.ends_with("ly")
            })
            .filter(|w| self.is(LexiconRole::VerifyingWord, w))
    }

    /// Whether `word`, followed by `next` and `after` (lowercase), is a
    /// negative implicative negating the verb after "to" ("failed to
    /// pass", "refused to resign"). One before a word of knowing or telling
    /// ("declined to comment", "refused to say") negates no event.
    pub fn implicative_negates(&self, word: &str, next: Option<&str>, after: Option<&str>) -> bool {
        next == Some("to")
            && self.is(LexiconRole::NegativeImplicative, word)
            && !after.is_some_and(|a| self.is(LexiconRole::KnowingWord, a))
    }

    /// False when `lower` surely lacks the role; cheaper than [`Rules::is`].
    pub fn may_be(&self, role: LexiconRole, lower: &str) -> bool {
        self.role_filter(role).may_contain(lower)
    }

    /// The filter of a role's single words (see [`WordFilter::key`]).
    pub fn role_filter(&self, role: LexiconRole) -> &WordFilter {
        static EMPTY: WordFilter = WordFilter {
            keys: Vec::new(),
            inner: Vec::new(),
        };
        self.role_filters.get(role as usize).unwrap_or(&EMPTY)
    }

    /// The filter of the first words of cue forms.
    pub fn cue_filter(&self) -> &WordFilter {
        &self.cue_filter
    }

    /// Multi-word entries of a role.
    pub fn phrases(&self, role: LexiconRole) -> &[Vec<String>] {
        self.phrases.get(&role).map_or(&[], Vec::as_slice)
    }

    /// The words of one role, for listings.
    pub fn words(&self, role: LexiconRole) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .words
            .iter()
            .filter(|(_, e)| e.roles & role.bit() != 0)
            .map(|(w, _)| w.as_str())
            .collect();
        v.sort_unstable();
        v
    }

    /// The groups a term belongs to, with the groups they imply.
    pub fn groups_of(&self, key: &str) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        if let Some(gs) = self.groups.get(key) {
            for g in gs {
                if !out.contains(&g.as_str()) {
                    out.push(g);
                }
                if let Some(imp) = self.implies.get(g) {
                    for i in imp {
                        if !out.contains(&i.as_str()) {
                            out.push(i);
                        }
                    }
                }
            }
        }
        out
    }

    /// Whether a group names things rather than events.
    pub fn is_thing_group(&self, id: &str) -> bool {
        self.thing_groups.contains(id)
    }

    /// Whether the term is in any group.
    pub fn in_group(&self, key: &str) -> bool {
        self.groups.contains_key(key)
    }

    /// The opposite rules a term takes part in, with its side.
    pub fn opposites_of(&self, key: &str) -> &[(String, bool)] {
        self.opposites.get(key).map_or(&[], Vec::as_slice)
    }

    /// Canonical name and kind for an alias (lowercase lookup).
    pub fn alias(&self, lower: &str) -> Option<&(String, AliasKind)> {
        self.aliases.get(lower)
    }

    /// Whether a lowercase word is an irregular form of the lexicon
    /// ("told", "written", "was").
    pub fn is_irregular_form(&self, lower: &str) -> bool {
        self.irregular_filter.may_contain(lower) && self.irregular.contains_key(lower)
    }

    /// Whether `term_key(word)` differs from `stem(word)` (an irregular
    /// form, a possessive, a capital), without building either string for
    /// the common case of a plain lowercase ASCII word.
    pub fn key_differs_from_stem(&self, word: &str) -> bool {
        let plain = word
            .bytes()
            .all(|b| b.is_ascii() && !b.is_ascii_uppercase() && b != b' ')
            && !word.ends_with("'s");
        if plain {
            return self.irregular_filter.may_contain(word)
                && self
                    .irregular
                    .get(word)
                    .is_some_and(|lemma| stem(lemma) != stem(word));
        }
        self.term_key(word) != stem(word)
    }

    /// Normalised key for comparing terms across inflections: lowercase,
    /// irregular forms mapped to their lemma, then a light suffix strip so
    /// that "stopped", "stopping" and "stops" meet "stop", and "faced" meets
    /// "face". Multi-word terms are keyed word by word.
    pub fn term_key(&self, word: &str) -> String {
        let mut key = String::new();
        self.term_key_into(word, &mut key);
        key
    }

    /// [`Rules::term_key`] written into `key` (cleared first): a caller
    /// keying many words reuses one buffer instead of allocating per word.
    pub fn term_key_into(&self, word: &str, key: &mut String) {
        key.clear();
        if word.contains(' ') {
            let mut part = String::new();
            for (n, w) in word.split(' ').filter(|w| !w.is_empty()).enumerate() {
                self.term_key_into(w, &mut part);
                if n > 0 {
                    key.push(' ');
                }
                key.push_str(&part);
            }
            return;
        }
        // A word without capitals is its own lowercase form: only words
        // with them are copied.
        let lower = if word
            .bytes()
            .any(|b| !b.is_ascii() || b.is_ascii_uppercase())
        {
            Cow::Owned(word.to_lowercase())
        } else {
            Cow::Borrowed(word)
        };
        // A possessive's "'s" goes (a literal pattern: `trim_end_matches`
        // with a string sets up a substring searcher at every call).
        let mut lower: &str = &lower;
        while let Some(rest) = lower.strip_suffix("'s") {
            lower = rest;
        }
        while let Some(rest) = lower.strip_suffix("\u{2019}s") {
            lower = rest;
        }
        if let Some(lemma) = self.irregular.get(lower) {
            return stem_into(lemma, key);
        }
        stem_into(lower, key)
    }
}

/// Light suffix stripping (not a full stemmer): enough to meet inflections
/// of one lemma. Both sides of every comparison go through it.
pub fn stem(w: &str) -> String {
    let mut s = String::new();
    stem_into(w, &mut s);
    s
}

/// [`stem`] written into `s` (cleared first), allocating only when `s` is
/// too short for the stem.
pub fn stem_into(w: &str, s: &mut String) {
    s.clear();
    let n = w.chars().count();
    if n <= 3 || !w.is_ascii() {
        s.push_str(w);
        return;
    }
    // The stem is a prefix of the word, with a final "y" for "-ies" and
    // "-ied".
    let (base, y) = if let Some(b) = w.strip_suffix("ies") {
        (b, true)
    } else if let Some(b) = w.strip_suffix("ied") {
        (b, true)
    } else if let Some(b) = w.strip_suffix("ing").filter(|b| b.len() >= 3) {
        (b, false)
    } else if let Some(b) = w.strip_suffix("ed").filter(|b| b.len() >= 3) {
        (b, false)
    } else if let Some(b) = w.strip_suffix("es").filter(|b| {
        b.ends_with("ss")
            || b.ends_with('x')
            || b.ends_with("ch")
            || b.ends_with("sh")
            || b.ends_with('z')
    }) {
        (b, false)
    } else if let Some(b) = w
        .strip_suffix('s')
        .filter(|b| !b.ends_with('s') && !b.ends_with('u') && !b.ends_with('i'))
    {
        (b, false)
    } else {
        (w, false)
    };
    s.push_str(base);
    if y {
        s.push('y');
    }
    // Undo consonant doubling ("stopp" → "stop") and drop a final silent e
    // ("face" / "fac") so both sides meet.
    let bytes = s.as_bytes();
    let len = bytes.len();
    if len >= 4 && bytes[len - 1] == bytes[len - 2] && !b"aeiouls".contains(&bytes[len - 1]) {
        s.pop();
    }
    if s.len() >= 4 && s.ends_with('e') && !s.ends_with("ee") {
        s.pop();
    }
}

impl Abbreviations for Rules {
    fn is_abbreviation(&self, word: &str) -> bool {
        // Titles end with a dot only in their short forms ("Col.", "Gov."),
        // never "director." at a sentence end.
        self.is(LexiconRole::Abbreviation, word)
            || word.len() <= 4 && self.is(LexiconRole::Title, word)
    }
    fn is_sentence_starter(&self, word: &str) -> bool {
        self.is(LexiconRole::SentenceStarter, word)
    }
}

struct FileCtx<'a> {
    path: &'a str,
    text: &'a str,
    stem: &'a str,
    errors: &'a mut Vec<RuleError>,
    seen: &'a mut HashMap<String, String>,
    /// Where [`FileCtx::place`] last stopped: byte offset, its line and the
    /// offset that line starts at.
    cursor: (usize, usize, usize),
}

impl FileCtx<'_> {
    /// [`line_col`] of `at`, counting on from the last place asked for when
    /// `at` is past it: rule ids come in file order, so a file of N entries
    /// is scanned once, not N times (10,000 entries took minutes).
    fn place(&mut self, at: usize) -> (usize, usize) {
        let at = at.min(self.text.len());
        let (from, line, line_start) = if at >= self.cursor.0 {
            self.cursor
        } else {
            (0, 1, 0)
        };
        let (Some(part), true) = (self.text.get(from..at), self.text.is_char_boundary(at)) else {
            return line_col(self.text, at);
        };
        let line = line + part.matches('\n').count();
        let line_start = part.rfind('\n').map_or(line_start, |i| from + i + 1);
        self.cursor = (at, line, line_start);
        (line, self.text[line_start..at].chars().count() + 1)
    }

    fn error(&mut self, at: usize, message: String) {
        let (line, col) = line_col(self.text, at);
        self.errors.push(RuleError {
            path: self.path.to_string(),
            line,
            col,
            message,
        });
    }

    /// The entry's full rule id, or None (with an error) when it is not a
    /// valid, unique id.
    fn rule_id(&mut self, id: &Spanned<String>) -> Option<String> {
        let raw = id.get_ref().trim();
        let valid = !raw.is_empty()
            && raw
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !valid {
            self.error(
                id.span().start,
                format!("invalid id '{raw}': use lowercase letters, digits, '-' and '_'"),
            );
            return None;
        }
        let full = format!("{}/{}", self.stem, raw);
        if let Some(prev) = self.seen.get(&full) {
            let prev = prev.clone();
            self.error(
                id.span().start,
                format!("duplicate rule id '{full}' (first defined at {prev})"),
            );
            return None;
        }
        let (line, col) = self.place(id.span().start);
        self.seen
            .insert(full.clone(), format!("{}:{line}:{col}", self.path));
        Some(full)
    }

    /// Lowercase word lists; reports empty lists and empty entries.
    fn words(&mut self, words: &Spanned<Vec<String>>) -> Vec<Vec<String>> {
        if words.get_ref().is_empty() {
            self.error(words.span().start, "empty word list".into());
        }
        let mut out = Vec::new();
        for w in words.get_ref() {
            let parts: Vec<String> = w.split_whitespace().map(str::to_lowercase).collect();
            if parts.is_empty() {
                self.error(words.span().start, "empty word in list".into());
            } else {
                out.push(parts);
            }
        }
        out
    }
}

/// 1-based line and column (in characters) of byte offset `at`.
pub fn line_col(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let before = text.get(..at).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn place_counts_on_as_line_col_does() {
        let text = "a = 1\n\n[[cue]]\nid = \"é\"\r\nx\n";
        let (mut errors, mut seen) = (Vec::new(), HashMap::new());
        let mut ctx = FileCtx {
            path: "t.toml",
            text,
            stem: "t",
            errors: &mut errors,
            seen: &mut seen,
            cursor: (0, 1, 0),
        };
        for at in [0, 3, 6, 7, 9, 16, 18, 19, 22, 5, 23, 99] {
            assert_eq!(ctx.place(at), line_col(text, at), "at {at}");
        }
    }

    fn load(text: &str) -> Result<Rules, RuleErrors> {
        Rules::from_sources(&[("rules/test.toml".into(), text.into())])
    }

    #[test]
    fn builtin_rules_load() {
        let r = Rules::builtin().expect("built-in rules are valid");
        assert!(!r.cues.is_empty());
        assert!(r.is(LexiconRole::Negator, "not"));
    }

    #[test]
    fn cue_forms_are_the_forms_starting_with_the_word() {
        let r = Rules::builtin().unwrap();
        let mut listed = 0;
        for (ci, cue) in r.cues.iter().enumerate() {
            for (fi, f) in cue.forms.iter().enumerate() {
                let word = r.word(&f[0]);
                assert!(word.cue_forms().contains(&(ci, fi)), "{f:?}");
                assert!(word.cues().contains(&ci), "{f:?}");
                for &(c, g) in word.cue_forms() {
                    assert_eq!(r.cues[c].forms[g][0], f[0]);
                }
                // In cue and then form order.
                assert!(word.cue_forms().windows(2).all(|w| w[0] < w[1]));
                listed += 1;
            }
        }
        assert!(listed > 100);
        assert!(r.word("the").cue_forms().is_empty());
    }

    #[test]
    fn unknown_field_is_reported_with_place() {
        let e =
            load("[[cue]]\nid = \"say\"\nwords = [\"said\"]\nstnace = \"asserts\"\n").unwrap_err();
        let s = e.to_string();
        assert!(
            s.starts_with("rules/test.toml:4:1: unknown field 'stnace'"),
            "{s}"
        );
    }

    #[test]
    fn bad_stance_and_duplicate_ids_are_reported() {
        let e = load(
            "[[cue]]\nid = \"say\"\nwords = [\"said\"]\nstance = \"shouts\"\nkind = \"verb\"\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("rules/test.toml:4:"), "{e}");
        assert!(e.to_string().contains("shouts"), "{e}");
        let e = load(
            "[[lexicon]]\nid = \"neg\"\nrole = \"negator\"\nwords = [\"not\"]\n[[lexicon]]\nid = \"neg\"\nrole = \"hedge\"\nwords = []\n",
        )
        .unwrap_err();
        assert_eq!(e.0.len(), 2, "{e}");
        assert_eq!(e.0[0].line, 6);
        assert!(e.0[0].message.contains("duplicate rule id 'test/neg'"));
    }

    #[test]
    fn stems_meet_across_inflections() {
        for (a, b) in [
            ("stopped", "stop"),
            ("stopping", "stops"),
            ("faced", "face"),
            ("denies", "denied"),
            ("troops", "troop"),
        ] {
            assert_eq!(stem(a), stem(b), "{a} / {b}");
        }
        assert_ne!(stem("keep"), stem("kept"));
        let r = Rules::builtin().unwrap();
        assert_eq!(r.term_key("kept"), r.term_key("keeping"));
        // Possessives key as their noun, in either apostrophe.
        assert_eq!(r.term_key("Nineveh's"), r.term_key("nineveh"));
        assert_eq!(r.term_key("coalition\u{2019}s"), r.term_key("coalition"));
        assert_eq!(r.term_key("o's"), "o");
    }
}
