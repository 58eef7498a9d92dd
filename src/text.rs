//! Tokens, sentences, paragraphs and quotations of news prose.
//!
//! Everything carries a byte [`Span`] into the original text; nothing is
//! copied. Segmentation is built for wire copy and web news:
//! - abbreviations and titles (`Col.`, `U.S.`, `Feb.`), initials and decimals
//!   do not end sentences (the abbreviation list comes from the rules);
//! - a single line break is not a sentence end (wire copy wraps mid-sentence),
//!   but a blank line, or a line break followed by an indented line, starts a
//!   paragraph, and a short line without final punctuation before a paragraph
//!   or capitalised line is a headline and a sentence of its own;
//! - quotation marks, straight or curly, are paired per paragraph, and a
//!   paragraph that opens a quote without closing it continues it into the
//!   next paragraph that opens with a quote mark (the news convention).
//!
//! Invariants: tokens are in text order and do not overlap; sentences are in
//! text order, do not overlap, and each covers a non-empty run of tokens.

use std::ops::Range;

/// Day and month names (lowercase, with abbreviations): time expressions,
/// not topics.
pub const TIME_WORDS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "yesterday",
    "today",
    "tomorrow",
    "tonight",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];

/// Byte offsets into a text, end-exclusive, always on character boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    /// A span of `text`. Panics only on a programming error (start > end);
    /// callers build spans from positions they scanned themselves.
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end, "span start {start} after end {end}");
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    pub fn of<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.start..self.end).unwrap_or("")
    }

    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// What a token is, decided from its characters alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters, possibly with inner apostrophes, hyphens or abbreviation dots.
    Word,
    /// Digits, possibly with inner `,` or `.`.
    Number,
    /// A quotation mark; `open` tells which way it faces.
    Quote { open: bool, double: bool },
    /// Any other single character.
    Punct,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
    /// Line breaks in the whitespace before this token.
    pub breaks_before: u8,
    /// True when this token starts a paragraph.
    pub para_start: bool,
    /// The first character is uppercase.
    pub capitalised: bool,
    /// [`filter_key`] of the token's text (the same as of its lowercase
    /// form), worked out while tokenizing.
    pub key: u16,
}

/// The key of a word in a filter of words (`rules::WordFilter`): the low
/// five bits of its first and last bytes and its length up to 15. ASCII
/// letters differ from their capitals only above those bits, so a word and
/// its ASCII lowercase form have one key.
#[inline]
pub fn filter_key(b: &[u8]) -> u16 {
    match (b.first(), b.last()) {
        (Some(&first), Some(&last)) => filter_key_of(first, last, b.len()),
        _ => NO_FILTER_KEY,
    }
}

/// [`filter_key`] of a non-empty word from its first and last bytes and
/// its length.
#[inline]
fn filter_key_of(first: u8, last: u8, len: usize) -> u16 {
    u16::from(first & 31) << 9 | u16::from(last & 31) << 4 | len.min(15) as u16
}

/// The key of the empty word, which no filter contains.
pub const NO_FILTER_KEY: u16 = u16::MAX;

impl Token {
    pub fn is_word(&self) -> bool {
        self.kind == TokenKind::Word
    }
    pub fn is_quote(&self) -> bool {
        matches!(self.kind, TokenKind::Quote { .. })
    }
}

/// A sentence: a run of tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub span: Span,
    pub tokens: Range<usize>,
    pub paragraph: usize,
}

/// A quotation: from an opening mark to its closing mark (inclusive), or to
/// the end of the paragraph chain when it never closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quotation {
    /// Token index of the opening mark.
    pub open: usize,
    /// Token index of the closing mark, or one past the last token of the
    /// quotation when it is left open.
    pub close: usize,
    pub closed: bool,
    /// Byte span of the words inside the marks.
    pub inner: Span,
}

/// Whether token `i` is "No." before a figure ("reached No. 48"): the
/// abbreviation of "number", neither a negation nor an answer.
pub fn is_numbered_no(tokens: &[Token], text: &str, i: usize) -> bool {
    tokens
        .get(i)
        .is_some_and(|t| t.span.of(text).eq_ignore_ascii_case("no"))
        && tokens.get(i + 1).is_some_and(|t| t.span.of(text) == ".")
        && tokens
            .get(i + 2)
            .is_some_and(|t| t.kind == TokenKind::Number)
}

/// Whether a negator focuses what follows it rather than negating it:
/// "not only resigned but also left", "not just", "not merely", "not
/// least". `next` is the lowercase token after it.
pub fn is_focusing_negator(next: Option<&str>) -> bool {
    matches!(next, Some("only" | "just" | "merely" | "least"))
}

/// Whether the negator `negator` (lowercase), by the words beside it,
/// leaves its clause's predicate positive: it focuses
/// ([`is_focusing_negator`]), or "not" after a conjunction or a comma
/// negates only the alternative it sets against what was said ("the dam
/// burst, not the levee"). `prev` and `next` are the lowercase tokens
/// beside it in its sentence.
pub fn is_idle_negator(prev: Option<&str>, negator: &str, next: Option<&str>) -> bool {
    let contrastive = matches!(prev, Some("and" | "but" | "or" | ",")) && negator == "not";
    contrastive || is_focusing_negator(next)
}

/// A segmented text. `lower` is an ASCII-lowercased copy with the same byte
/// offsets, so a token's lowercase form is `&lower[span]` without allocating.
#[derive(Debug, Clone)]
pub struct Segmented<'t> {
    pub text: &'t str,
    pub lower: String,
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
    pub paragraphs: Vec<Range<usize>>,
    pub quotations: Vec<Quotation>,
}

/// The abbreviation knowledge segmentation needs (from `rules/`).
pub trait Abbreviations {
    /// `word` is lowercase, without the final dot.
    fn is_abbreviation(&self, word: &str) -> bool;
    /// Capitalised words that start sentences after an ambiguous dot.
    fn is_sentence_starter(&self, word: &str) -> bool;
}

impl<'t> Segmented<'t> {
    pub fn new(text: &'t str, abbreviations: &dyn Abbreviations) -> Segmented<'t> {
        let lower = text.to_ascii_lowercase();
        let mut marks = Marks::with_capacity_for(text.len());
        let tokens = tokenize_marking(text, &mut marks);
        let paragraphs = paragraphs(&marks.paragraph_starts, tokens.len());
        let sentences = sentences(
            text,
            &lower,
            &tokens,
            &paragraphs,
            &marks.may_end_sentence,
            abbreviations,
        );
        let quotations = quotations(&tokens, &paragraphs, &marks.double_quotes);
        Segmented {
            text,
            lower,
            tokens,
            sentences,
            paragraphs,
            quotations,
        }
    }

    /// The token's text as written.
    pub fn word(&self, i: usize) -> &'t str {
        self.tokens[i].span.of(self.text)
    }

    /// The token's text, ASCII-lowercased.
    pub fn lower(&self, i: usize) -> &str {
        self.tokens[i].span.of(&self.lower)
    }

    /// Byte span covering tokens `range` (empty span at the next token when empty).
    pub fn span_of(&self, range: Range<usize>) -> Span {
        if range.start >= range.end || range.start >= self.tokens.len() {
            let at = self
                .tokens
                .get(range.start)
                .map(|t| t.span.start)
                .unwrap_or(self.text.len());
            return Span::new(at, at);
        }
        let end = range.end.min(self.tokens.len());
        Span::new(
            self.tokens[range.start].span.start,
            self.tokens[end - 1].span.end,
        )
    }

    /// The quotation containing token `i`, if any (innermost by position).
    pub fn quotation_at(&self, i: usize) -> Option<&Quotation> {
        // Quotations are sorted by their opening mark and do not overlap:
        // only the last one opening before `i` can hold it.
        let k = self.quotations.partition_point(|q| q.open < i);
        self.quotations[..k].last().filter(|q| i < q.close)
    }

    /// The quotation whose opening mark is token `i`.
    pub fn quotation_opening_at(&self, i: usize) -> Option<&Quotation> {
        let k = self.quotations.partition_point(|q| q.open < i);
        self.quotations.get(k).filter(|q| q.open == i)
    }

    /// The quotation whose closing mark is token `i`.
    pub fn quotation_closing_at(&self, i: usize) -> Option<&Quotation> {
        let k = self.quotations.partition_point(|q| q.open < i);
        self.quotations[..k].last().filter(|q| q.close == i)
    }

    /// Indices of the tokens lying inside `span`, found by binary search.
    pub fn tokens_in(&self, span: Span) -> Range<usize> {
        let start = self.tokens.partition_point(|t| t.span.start < span.start);
        let end = self.tokens.partition_point(|t| t.span.end <= span.end);
        start..end.max(start)
    }

    /// The quotations whose inner text starts inside `span` (in order),
    /// and the one before them, which may enclose `span`.
    pub fn quotations_near(&self, span: Span) -> &[Quotation] {
        let start = self
            .quotations
            .partition_point(|q| q.inner.start < span.start);
        let end = self
            .quotations
            .partition_point(|q| q.inner.start <= span.end);
        &self.quotations[start.saturating_sub(1)..end.max(start)]
    }
}

fn is_quote_char(c: char) -> bool {
    matches!(
        c,
        '"' | '\u{201C}'
            | '\u{201D}'
            | '\u{201E}'
            | '\u{00AB}'
            | '\u{00BB}'
            | '\''
            | '\u{2018}'
            | '\u{2019}'
    )
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// What a byte says about continuing a word (see [`scan_word`]).
const WORD_ALNUM: u8 = 1;
/// An ASCII byte that ends a word: neither a letter, a digit nor a joiner.
const WORD_END: u8 = 2;
/// A joiner (`'`, `-`, `&`, `.`) or a byte of a non-ASCII character:
/// the character and what follows decide.
const WORD_ASK: u8 = 0;

/// [`scan_word`]'s verdict on each byte, so that the common case (a run of
/// ASCII letters and the space after it) costs one table load per byte.
static WORD_BYTES: [u8; 256] = {
    let mut t = [WORD_ASK; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_alphanumeric() {
            WORD_ALNUM
        } else if matches!(c, b'\'' | b'-' | b'&' | b'.') {
            WORD_ASK
        } else {
            WORD_END
        };
        b += 1;
    }
    t
};

/// The end of a word whose first letter ends before byte `i`: its run of
/// ASCII letters and digits, here; only a joiner or a non-ASCII byte after
/// it needs [`scan_word`].
#[inline]
fn word_end(text: &str, i: usize) -> usize {
    let bytes = text.as_bytes();
    let i = i + ascii_alnum_run(&bytes[i..]);
    if i < bytes.len() && WORD_BYTES[usize::from(bytes[i])] == WORD_ASK {
        return scan_word(text, i);
    }
    i
}

/// The length of the run of ASCII letters and digits that `bytes` starts
/// with, eight bytes at a time: the bytes that [`WORD_BYTES`] calls
/// [`WORD_ALNUM`].
#[inline]
fn ascii_alnum_run(bytes: &[u8]) -> usize {
    let mut n = 0;
    while let Some(chunk) = bytes.get(n..n + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let others = !ascii_alnum_bytes(u64::from_le_bytes(word)) & HIGH_BITS;
        if others != 0 {
            // Little-endian: the first such byte is the lowest.
            return n + (others.trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    while n < bytes.len() && WORD_BYTES[usize::from(bytes[n])] == WORD_ALNUM {
        n += 1;
    }
    n
}

/// The high bit of each byte of a `u64`.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `w` that is an ASCII letter or digit, the
/// other bits clear. Each byte is tested on its own: with the high bit
/// cleared first, adding at most 0x80 to a byte never carries into the next.
#[inline]
fn ascii_alnum_bytes(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // The high bit of each byte of `x` (all below 0x80) that is at least `lo`.
    let at_least = |x: u64, lo: u8| x + ONES * u64::from(0x80 - lo);
    let low7 = w & !HIGH_BITS;
    // Setting 0x20 maps 'A'..='Z' onto 'a'..='z' and no other byte into it.
    let folded = low7 | (ONES * 0x20);
    let letter = at_least(folded, b'a') & !at_least(folded, b'z' + 1);
    let digit = at_least(low7, b'0') & !at_least(low7, b'9' + 1);
    // Bytes with the high bit set (non-ASCII) are neither.
    (letter | digit) & !w & HIGH_BITS
}

/// Splits text into tokens. Never fails; every non-space character belongs
/// to exactly one token.
pub fn tokenize(text: &str) -> Vec<Token> {
    tokenize_marking(text, &mut Marks::default())
}

/// The few tokens that segmentation looks at, noted while tokenizing so
/// that paragraphs, sentences and quotations need not visit every token.
/// Each list is in increasing order, without repeats.
#[derive(Debug, Default)]
struct Marks {
    /// Tokens after the first that start a paragraph ([`Token::para_start`]).
    paragraph_starts: Vec<usize>,
    /// Tokens where [`sentences`] may end a sentence: a terminator
    /// ([`is_terminator`]), a word of more than two bytes ending in a dot,
    /// or a token followed by exactly one line break. At any other token
    /// `sentences` does nothing.
    may_end_sentence: Vec<usize>,
    /// Double quotation marks: the only tokens [`quotations`] pairs.
    double_quotes: Vec<usize>,
}

impl Marks {
    /// Room for the marks of most texts of `len` bytes, so that the lists
    /// seldom grow (news has a sentence every hundred bytes or so).
    fn with_capacity_for(len: usize) -> Marks {
        Marks {
            paragraph_starts: Vec::with_capacity(len / 256 + 4),
            may_end_sentence: Vec::with_capacity(len / 32 + 4),
            double_quotes: Vec::with_capacity(len / 128 + 4),
        }
    }

    /// Notes token `k`, a word ending at `end`, when it ends in a dot.
    #[inline]
    fn word(&mut self, k: usize, bytes: &[u8], start: usize, end: usize) {
        // Few words end in a dot: one test of the last byte for the rest.
        if bytes[end - 1] == b'.' {
            self.dotted_word(k, start, end);
        }
    }

    #[cold]
    fn dotted_word(&mut self, k: usize, start: usize, end: usize) {
        if end - start > 2 {
            self.may_end(k);
        }
    }

    /// Notes token `k` as one where a sentence may end.
    #[inline]
    fn may_end(&mut self, k: usize) {
        if self.may_end_sentence.last() != Some(&k) {
            self.may_end_sentence.push(k);
        }
    }

    /// Notes what the line breaks before token `k` tell: a paragraph
    /// start, or a single break where a sentence may end before it.
    #[inline]
    fn breaks(&mut self, k: usize, token: &Token) {
        if token.breaks_before == 0 && !token.para_start || k == 0 {
            return;
        }
        if token.para_start {
            self.paragraph_starts.push(k);
        }
        if token.breaks_before == 1 {
            self.may_end(k - 1);
        }
    }
}

/// [`tokenize`], noting in `marks` the tokens segmentation looks at.
fn tokenize_marking(text: &str, marks: &mut Marks) -> Vec<Token> {
    // News has a token every five or six bytes: room for one every four
    // spares most texts a copy of the tokens as the list grows.
    let mut tokens = Vec::with_capacity(text.len() / 4 + 4);
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut gap = Gap {
        at_start: true,
        ..Gap::default()
    };
    while i < text.len() {
        // ASCII, most of news text, is decided from the byte alone.
        let b = bytes[i];
        if b == b' ' {
            // The most common byte of all, decided first.
            if gap.breaks > 0 {
                gap.indent_after_break = true;
            }
            i += 1;
            continue;
        }
        if b.is_ascii_alphabetic() {
            // The next most common: an ASCII letter starts a word.
            let end = word_end(text, i + 1);
            let key = filter_key_of(b, bytes[end - 1], end - i);
            let capitalised = b.is_ascii_uppercase();
            let token = gap.token(Span::new(i, end), TokenKind::Word, capitalised, key);
            marks.breaks(tokens.len(), &token);
            marks.word(tokens.len(), bytes, i, end);
            tokens.push(token);
            i = end;
            // The bulk of prose: words after single spaces. A gap starts
            // clean after a token and a single space leaves it so: these
            // words start no line and no paragraph.
            while bytes.get(i) == Some(&b' ') {
                i += 1;
                let Some(&b) = bytes.get(i).filter(|b| b.is_ascii_alphabetic()) else {
                    break;
                };
                let end = word_end(text, i + 1);
                marks.word(tokens.len(), bytes, i, end);
                tokens.push(Token {
                    span: Span::new(i, end),
                    kind: TokenKind::Word,
                    breaks_before: 0,
                    para_start: false,
                    capitalised: b.is_ascii_uppercase(),
                    key: filter_key_of(b, bytes[end - 1], end - i),
                });
                i = end;
            }
            continue;
        }
        let c = if b.is_ascii() {
            char::from(b)
        } else {
            match text[i..].chars().next() {
                Some(c) => c,
                None => break,
            }
        };
        let clen = c.len_utf8();
        if c.is_whitespace() {
            if c == '\n' {
                gap.breaks = gap.breaks.saturating_add(1);
                gap.indent_after_break = false;
            } else if gap.breaks > 0 && (c == ' ' || c == '\t') {
                gap.indent_after_break = true;
            }
            i += clen;
            continue;
        }
        let start = i;
        let kind;
        if c.is_alphabetic() {
            i += clen;
            i = scan_word(text, i);
            kind = TokenKind::Word;
        } else if c.is_ascii_digit() {
            i += 1;
            while i < text.len() {
                let b = bytes[i];
                if b.is_ascii_digit() {
                    i += 1;
                } else if (b == b',' || b == b'.')
                    && i + 1 < text.len()
                    && bytes[i + 1].is_ascii_digit()
                {
                    i += 2;
                } else if b.is_ascii_alphabetic() {
                    // "1980s", "3rd", "10km"
                    i = scan_word(text, i + 1);
                } else {
                    break;
                }
            }
            kind = TokenKind::Number;
        } else if is_quote_char(c) {
            i += clen;
            let prev_space = start == 0
                || text[..start]
                    .chars()
                    .next_back()
                    .is_some_and(|p| p.is_whitespace() || "([{-\u{2014}\u{2013}".contains(p));
            let next_space = text[i..].chars().next().is_none_or(|n| n.is_whitespace());
            let open = match c {
                '\u{201C}' | '\u{2018}' | '\u{201E}' | '\u{00AB}' => true,
                '\u{201D}' | '\u{2019}' | '\u{00BB}' => false,
                _ => prev_space && !next_space,
            };
            let double = !matches!(c, '\'' | '\u{2018}' | '\u{2019}');
            kind = TokenKind::Quote { open, double };
        } else {
            i += clen;
            kind = TokenKind::Punct;
        }
        let key = filter_key(&bytes[start..i]);
        let token = gap.token(Span::new(start, i), kind, c.is_uppercase(), key);
        let k = tokens.len();
        marks.breaks(k, &token);
        match kind {
            TokenKind::Quote { double: true, .. } => marks.double_quotes.push(k),
            // A punctuation token is one character: `is_terminator` by it.
            TokenKind::Punct if matches!(c, '.' | '!' | '?' | '\u{2026}') => marks.may_end(k),
            TokenKind::Word => marks.word(k, bytes, start, i),
            _ => {}
        }
        tokens.push(token);
    }
    tokens
}

/// The whitespace since the last token: what the next token learns about
/// the line and the paragraph it starts.
#[derive(Debug, Default)]
struct Gap {
    /// Line breaks so far.
    breaks: u8,
    /// A space or tab after the last line break.
    indent_after_break: bool,
    /// No token yet.
    at_start: bool,
}

impl Gap {
    /// The token after this gap; the gap starts over.
    #[inline]
    fn token(&mut self, span: Span, kind: TokenKind, capitalised: bool, key: u16) -> Token {
        // Most tokens follow a gap without line breaks: decided first.
        let para_start = (self.breaks > 0 || self.at_start)
            && (self.at_start || self.breaks >= 2 || (self.breaks == 1 && self.indent_after_break));
        let token = Token {
            span,
            kind,
            breaks_before: self.breaks,
            para_start,
            capitalised,
            key,
        };
        *self = Gap::default();
        token
    }
}

/// The character at byte `i` (a char boundary) and its length; decoded from
/// the byte alone when it is ASCII.
fn char_at(text: &str, i: usize) -> Option<char> {
    match text.as_bytes().get(i) {
        Some(&b) if b.is_ascii() => Some(char::from(b)),
        Some(_) => text[i..].chars().next(),
        None => None,
    }
}

/// Continues a word from byte `i`: letters, digits, marks, and inner
/// apostrophes, hyphens and abbreviation dots ("U.S.", "al-Qaddo", "Iraq's").
#[inline]
fn scan_word(text: &str, mut i: usize) -> usize {
    let bytes = text.as_bytes();
    while i < text.len() {
        // The common cases: a run of ASCII letters and digits, ended by an
        // ASCII space or punctuation mark that joins nothing.
        match WORD_BYTES[usize::from(bytes[i])] {
            WORD_ALNUM => {
                i += 1;
                continue;
            }
            WORD_END => break,
            _ => {}
        }
        let Some(c) = char_at(text, i) else {
            break;
        };
        if c.is_alphanumeric() || is_mark(c) {
            i += c.len_utf8();
            continue;
        }
        // Only these join what follows to the word.
        if !matches!(c, '\'' | '\u{2019}' | '-' | '\u{2010}' | '&' | '.') {
            break;
        }
        let next = char_at(text, i + c.len_utf8());
        if (is_apostrophe(c) || c == '-' || c == '\u{2010}' || c == '&')
            && next.is_some_and(|n| n.is_alphanumeric())
        {
            i += c.len_utf8();
            continue;
        }
        if c == '.' && next.is_some_and(|n| n.is_alphabetic()) {
            // "U.S." / "e.g.": a dot followed by a letter and then another dot.
            let after = i + 1 + next.map_or(0, char::len_utf8);
            if after < text.len() && bytes[after] == b'.' && single_letter_before(text, i) {
                i = after + 1;
                continue;
            }
        }
        break;
    }
    i
}

fn single_letter_before(text: &str, dot: usize) -> bool {
    let mut it = text[..dot].chars().rev();
    let last = it.next();
    let before = it.next();
    last.is_some_and(char::is_alphabetic) && before.is_none_or(|b| !b.is_alphanumeric())
        || before == Some('.')
}

fn is_mark(c: char) -> bool {
    // Combining marks (accents written separately) stay inside words.
    matches!(c as u32, 0x0300..=0x036F | 0x0610..=0x061A | 0x064B..=0x065F)
}

/// Paragraphs of `len` tokens, the second and later starting at `starts`
/// (increasing, all above zero).
fn paragraphs(starts: &[usize], len: usize) -> Vec<Range<usize>> {
    let mut out = Vec::with_capacity(starts.len() + 1);
    let mut start = 0;
    for &i in starts {
        out.push(start..i);
        start = i;
    }
    if start < len {
        out.push(start..len);
    }
    out
}

const TERMINATORS: &[&str] = &[".", "!", "?", "\u{2026}"];

/// Sentences of each paragraph. Only the tokens in `may_end` (see
/// [`Marks::may_end_sentence`]) are looked at: at any other token no
/// sentence ends.
fn sentences(
    text: &str,
    lower: &str,
    tokens: &[Token],
    paragraphs: &[Range<usize>],
    may_end: &[usize],
    abbreviations: &dyn Abbreviations,
) -> Vec<Sentence> {
    let mut out = Vec::with_capacity(may_end.len() / 2 + paragraphs.len());
    let mut candidates = may_end.iter().copied().peekable();
    for (p, para) in paragraphs.iter().enumerate() {
        let mut start = para.start;
        let mut i = para.start;
        while i < para.end {
            // The next token where a sentence may end, at or after `i`.
            while candidates.next_if(|&c| c < i).is_some() {}
            match candidates.peek() {
                Some(&c) if c < para.end => i = c,
                _ => break,
            }
            let t = &tokens[i];
            let mut end_here = false;
            let mut last = i;
            if t.kind == TokenKind::Punct && is_terminator(text, t.span) {
                // Swallow runs of terminators and closing quotes/brackets.
                while last + 1 < para.end {
                    let n = &tokens[last + 1];
                    let nw = n.span.of(text);
                    let closing = matches!(n.kind, TokenKind::Quote { open: false, .. })
                        || nw == ")"
                        || nw == "]"
                        || (n.kind == TokenKind::Punct && is_terminator(text, n.span));
                    if closing && n.breaks_before == 0 {
                        last += 1;
                    } else {
                        break;
                    }
                }
                end_here = dot_ends_sentence(text, lower, tokens, i, last, para.end, abbreviations);
            } else if t.kind == TokenKind::Word
                && t.span.len() > 2
                && text.as_bytes()[t.span.end - 1] == b'.'
            {
                // "U.S." at a sentence end: only before an unmistakable starter.
                if let Some(n) = tokens.get(i + 1).filter(|_| i + 1 < para.end) {
                    let nl = n.span.of(lower);
                    end_here = n.capitalised
                        && (n.breaks_before > 0 || abbreviations.is_sentence_starter(nl));
                }
            }
            if !end_here && last + 1 < para.end && tokens[last + 1].breaks_before == 1 {
                end_here = headline_line_ends(text, lower, tokens, start, last, para.end);
            }
            if end_here {
                out.push(make_sentence(tokens, start..last + 1, p));
                start = last + 1;
            }
            i = last + 1;
        }
        if start < para.end {
            out.push(make_sentence(tokens, start..para.end, p));
        }
    }
    out
}

/// Whether the span's text is one of [`TERMINATORS`], decided from its
/// bytes (this is asked of every punctuation mark).
fn is_terminator(text: &str, span: Span) -> bool {
    match text.as_bytes().get(span.start..span.end) {
        Some([b'.' | b'!' | b'?']) => true,
        Some(b) if b.len() == 3 => span.of(text) == "\u{2026}",
        _ => false,
    }
}

fn make_sentence(tokens: &[Token], range: Range<usize>, paragraph: usize) -> Sentence {
    let span = Span::new(
        tokens[range.start].span.start,
        tokens[range.end - 1].span.end,
    );
    Sentence {
        span,
        tokens: range,
        paragraph,
    }
}

fn dot_ends_sentence(
    text: &str,
    lower: &str,
    tokens: &[Token],
    dot: usize,
    last: usize,
    para_end: usize,
    abbreviations: &dyn Abbreviations,
) -> bool {
    let Some(next) = tokens.get(last + 1).filter(|_| last + 1 < para_end) else {
        return true;
    };
    let punct = tokens[dot].span.of(text);
    if punct != "." {
        // "?" and "!" end a sentence unless a lowercase word follows inside a quote.
        return next.capitalised || !next.is_word();
    }
    let prev = dot.checked_sub(1).map(|p| &tokens[p]);
    let attached = prev.is_some_and(|p| p.span.end == tokens[dot].span.start);
    if attached && last == dot {
        let p = prev.expect("attached implies a previous token");
        let pw = p.span.of(lower);
        let is_initial = p.is_word() && p.capitalised && p.span.len() == 1;
        if abbreviations.is_abbreviation(pw) || is_initial {
            // "Col. Ryan", "J. Smith", "Feb. 4": an abbreviation ends a
            // sentence only before a word that usually starts one.
            let nl = next.span.of(lower);
            return next.capitalised && abbreviations.is_sentence_starter(nl) && !is_initial;
        }
    }
    next.capitalised
        || next.kind == TokenKind::Number
        || matches!(next.kind, TokenKind::Quote { open: true, .. })
        || (next.kind == TokenKind::Punct
            && matches!(next.span.of(text), "(" | "[" | "-" | "\u{2014}"))
}

/// A single line break ends a sentence when the line before is a headline:
/// short, without final punctuation, not ending in a function word, and the
/// next line starts with a capital.
fn headline_line_ends(
    text: &str,
    lower: &str,
    tokens: &[Token],
    start: usize,
    last: usize,
    para_end: usize,
) -> bool {
    let next = &tokens[last + 1];
    if last + 1 >= para_end || !next.capitalised {
        return false;
    }
    let t = &tokens[last];
    if t.kind == TokenKind::Punct && ",;:-&".contains(t.span.of(text)) {
        return false;
    }
    // The line: from the first token after the last line break to `last`.
    let mut line_start = last;
    while line_start > start && tokens[line_start].breaks_before == 0 {
        line_start -= 1;
    }
    let line_len = tokens[last].span.end - tokens[line_start].span.start;
    let word = t.span.of(text);
    let function_word = matches!(
        t.span.of(lower),
        "the"
            | "a"
            | "an"
            | "of"
            | "and"
            | "or"
            | "to"
            | "in"
            | "on"
            | "for"
            | "with"
            | "by"
            | "at"
            | "from"
    );
    line_len < 60 && !function_word && !TERMINATORS.contains(&word)
}

/// Pairs quotation marks within paragraphs, carrying an unclosed quotation
/// into following paragraphs that open with a quote mark. `double_quotes`
/// are the double quotation marks among `tokens`, in order.
fn quotations(
    tokens: &[Token],
    paragraphs: &[Range<usize>],
    double_quotes: &[usize],
) -> Vec<Quotation> {
    let mut out = Vec::new();
    let mut quotes = double_quotes.iter().copied().peekable();
    let mut carried: Option<usize> = None; // opening mark of a quotation left open
    for para in paragraphs {
        let mut open: Option<usize> = None;
        let mut skip_first = false;
        if let Some(o) = carried.take() {
            if matches!(
                tokens[para.start].kind,
                TokenKind::Quote {
                    open: true,
                    double: true
                }
            ) {
                // The news convention: the quotation goes on in this paragraph.
                open = Some(o);
                skip_first = true;
            } else {
                out.push(open_ended(tokens, o, para.start));
            }
        }
        while let Some(i) = quotes.next_if(|&q| q < para.end) {
            let TokenKind::Quote {
                open: is_open,
                double: true,
            } = tokens[i].kind
            else {
                continue;
            };
            if skip_first && i == para.start {
                continue;
            }
            let straight = tokens[i].span.len() == 1;
            match open {
                None if is_open || straight => open = Some(i),
                None => {} // a stray closing mark
                Some(o) if straight || !is_open => {
                    out.push(Quotation {
                        open: o,
                        close: i,
                        closed: true,
                        inner: inner_span(tokens, o, i),
                    });
                    open = None;
                }
                Some(o) => {
                    // A second opening mark: the first was never closed.
                    out.push(open_ended(tokens, o, i));
                    open = Some(i);
                }
            }
        }
        carried = open;
    }
    if let Some(o) = carried {
        out.push(open_ended(tokens, o, tokens.len()));
    }
    out.sort_by_key(|q| q.open);
    out
}

fn open_ended(tokens: &[Token], open: usize, end: usize) -> Quotation {
    Quotation {
        open,
        close: end,
        closed: false,
        inner: inner_span(tokens, open, end),
    }
}

fn inner_span(tokens: &[Token], open: usize, close: usize) -> Span {
    if open + 1 >= close {
        let at = tokens[open].span.end;
        return Span::new(at, at);
    }
    Span::new(tokens[open + 1].span.start, tokens[close - 1].span.end)
}

/// Character offset of byte offset `byte` in `text` (clamped to the text).
pub fn char_offset(text: &str, byte: usize) -> usize {
    let byte = byte.min(text.len());
    text.get(..byte)
        .map(|s| s.chars().count())
        .unwrap_or_else(|| text.char_indices().take_while(|(b, _)| *b < byte).count())
}

/// The length of the run of ASCII bytes that `b` starts with, checked 64
/// bytes at a time.
fn ascii_prefix_len(b: &[u8]) -> usize {
    let mut n = 0;
    while b.get(n..n + 64).is_some_and(<[u8]>::is_ascii) {
        n += 64;
    }
    n + b[n..]
        .iter()
        .position(|c| !c.is_ascii())
        .unwrap_or(b.len() - n)
}

/// Converts many byte offsets to character offsets in one pass.
/// `bytes` need not be sorted; the result is in the same order.
pub fn char_offsets(text: &str, bytes: &[usize]) -> Vec<usize> {
    // Up to the first non-ASCII byte, bytes and characters are one and the
    // same: most news texts are ASCII throughout, or up to the offsets
    // asked for, and need neither the sort nor the count below.
    let ascii_prefix = ascii_prefix_len(text.as_bytes());
    if bytes.iter().all(|&b| b <= ascii_prefix) {
        return bytes.to_vec();
    }
    let mut order: Vec<usize> = (0..bytes.len()).collect();
    order.sort_unstable_by_key(|&i| bytes[i]);
    let mut out = vec![0; bytes.len()];
    // Counting starts where the ASCII prefix ends.
    let (mut pos, mut chars) = (ascii_prefix, ascii_prefix);
    for i in order {
        let target = bytes[i].min(text.len());
        if target <= ascii_prefix {
            out[i] = target;
            continue;
        }
        if target > pos {
            // Characters starting before `target`: every byte but UTF-8
            // continuation bytes (0b10xx_xxxx) starts one. Offsets on
            // character boundaries (all of them, from spans) are counted
            // by the standard library, a word at a time.
            chars += text.get(pos..target).map_or_else(
                || {
                    text.as_bytes()[pos..target]
                        .iter()
                        .filter(|&&b| (b as i8) >= -0x40)
                        .count()
                },
                |s| s.chars().count(),
            );
            pos = target;
        }
        out[i] = chars;
    }
    out
}

/// `text.find(part)`, without setting up a substring search when `part`
/// starts the text, after any white space, as a claim's subject and
/// predicate mostly do. No match can start in that white space unless
/// `part` starts with some.
pub fn find_early(text: &str, part: &str) -> Option<usize> {
    let at = text.len() - text.trim_start().len();
    if part.starts_with(|c: char| !c.is_whitespace()) && text[at..].starts_with(part) {
        return Some(at);
    }
    text.find(part)
}

/// A text sliced by character offsets (Unicode scalar values), as
/// excerpts give them. Up to its first non-ASCII byte a character is a
/// byte; past it, the byte offset of each character is looked up in a table
/// built at the first slice that reaches there, so that any number of
/// slices cost one pass over the text.
pub struct CharSlicer<'t> {
    text: &'t str,
    ascii_prefix: usize,
    /// The byte offset of each character from the end of the ASCII prefix
    /// on, and of the text's end.
    starts: std::cell::OnceCell<Vec<usize>>,
}

impl<'t> CharSlicer<'t> {
    pub fn new(text: &'t str) -> Self {
        CharSlicer {
            text,
            ascii_prefix: ascii_prefix_len(text.as_bytes()),
            starts: std::cell::OnceCell::new(),
        }
    }

    /// The text sliced.
    pub fn text(&self) -> &'t str {
        self.text
    }

    /// The byte offset of character offset `c`, if the text has that many
    /// characters.
    fn byte(&self, c: usize) -> Option<usize> {
        if c <= self.ascii_prefix {
            return Some(c);
        }
        let starts = self.starts.get_or_init(|| {
            let rest = &self.text[self.ascii_prefix..];
            rest.char_indices()
                .map(|(b, _)| self.ascii_prefix + b)
                .chain(std::iter::once(self.text.len()))
                .collect()
        });
        starts.get(c - self.ascii_prefix).copied()
    }

    /// The characters from `start` to `end` (end-exclusive), or `None`
    /// when they are not in the text.
    pub fn slice(&self, start: usize, end: usize) -> Option<&'t str> {
        if start > end {
            return None;
        }
        self.text.get(self.byte(start)?..self.byte(end)?)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn ascii_alnum_run_is_the_byte_table_run() {
        let table_run = |b: &[u8]| {
            b.iter()
                .take_while(|&&c| WORD_BYTES[usize::from(c)] == WORD_ALNUM)
                .count()
        };
        // Every byte value at every place of a 17-byte run of letters.
        for c in 0..=255u8 {
            for at in 0..17 {
                let mut b = *b"abcdefghijklmnopq";
                b[at] = c;
                assert_eq!(ascii_alnum_run(&b), table_run(&b), "byte {c} at {at}");
                assert_eq!(ascii_alnum_run(&b[at..]), table_run(&b[at..]));
            }
        }
        assert_eq!(ascii_alnum_run(b""), 0);
        assert_eq!(ascii_alnum_run(b"Zz09 x"), 4);
    }

    use super::*;

    struct Abbr;
    impl Abbreviations for Abbr {
        fn is_abbreviation(&self, w: &str) -> bool {
            matches!(w, "col" | "mr" | "gen" | "feb" | "dr" | "st")
        }
        fn is_sentence_starter(&self, w: &str) -> bool {
            matches!(w, "the" | "he" | "she" | "it" | "but")
        }
    }

    fn sents(text: &str) -> Vec<&str> {
        let s = Segmented::new(text, &Abbr);
        s.sentences.iter().map(|x| x.span.of(text)).collect()
    }

    #[test]
    fn titles_initials_decimals_and_abbreviations_do_not_split() {
        let t =
            "Col. Sean Ryan said the U.S. spent 3.5 billion on Feb. 4 in Iraq. J. R. Smith agreed.";
        assert_eq!(
            sents(t),
            vec![
                "Col. Sean Ryan said the U.S. spent 3.5 billion on Feb. 4 in Iraq.",
                "J. R. Smith agreed."
            ]
        );
    }

    #[test]
    fn hard_wrapped_lines_join_and_headlines_stand_alone() {
        let t = "MINISTER QUITS OVER PORT DEAL\n    The minister resigned on\nTuesday after a row, aides\nsaid. Talks\nwill resume.\n\nNext story";
        assert_eq!(
            sents(t),
            vec![
                "MINISTER QUITS OVER PORT DEAL",
                "The minister resigned on\nTuesday after a row, aides\nsaid.",
                "Talks\nwill resume.",
                "Next story"
            ]
        );
    }

    #[test]
    fn quotes_close_sentences_and_pair_across_paragraphs() {
        let t = "\u{201C}We will stay. We will not leave,\u{201D} she said.\n\n\"First part.\n\n\"Second part,\" he added.";
        let s = Segmented::new(t, &Abbr);
        let got: Vec<&str> = s.sentences.iter().map(|x| x.span.of(t)).collect();
        assert_eq!(
            got,
            vec![
                "\u{201C}We will stay.",
                "We will not leave,\u{201D} she said.",
                "\"First part.",
                "\"Second part,\" he added."
            ]
        );
        assert_eq!(s.quotations.len(), 2);
        assert_eq!(
            s.quotations[0].inner.of(t),
            "We will stay. We will not leave,"
        );
        assert!(s.quotations[1].closed);
        assert_eq!(s.quotations[1].inner.of(t), "First part.\n\n\"Second part,");
    }

    #[test]
    fn words_keep_apostrophes_hyphens_and_abbreviation_dots() {
        let t = "Iraq's al-Qaddo didn't say U.S.-led.";
        let toks: Vec<&str> = tokenize(t).iter().map(|k| k.span.of(t)).collect();
        assert_eq!(
            toks,
            vec!["Iraq's", "al-Qaddo", "didn't", "say", "U.S.-led", "."]
        );
    }

    /// `scan_word` as it was before the byte table: character by character.
    fn scan_word_by_chars(text: &str, mut i: usize) -> usize {
        while let Some(c) = text[i..].chars().next() {
            if c.is_alphanumeric() || is_mark(c) {
                i += c.len_utf8();
                continue;
            }
            if !matches!(c, '\'' | '\u{2019}' | '-' | '\u{2010}' | '&' | '.') {
                break;
            }
            let next = text[i + c.len_utf8()..].chars().next();
            if (is_apostrophe(c) || c == '-' || c == '\u{2010}' || c == '&')
                && next.is_some_and(|n| n.is_alphanumeric())
            {
                i += c.len_utf8();
                continue;
            }
            if c == '.' && next.is_some_and(|n| n.is_alphabetic()) {
                let after = i + 1 + next.map_or(0, char::len_utf8);
                if text.as_bytes().get(after) == Some(&b'.') && single_letter_before(text, i) {
                    i = after + 1;
                    continue;
                }
            }
            break;
        }
        i
    }

    #[test]
    fn byte_table_scans_words_as_characters_do() {
        let mut texts: Vec<String> = (0u8..128).map(|b| format!("ab{}cd e", b as char)).collect();
        texts.extend(
            [
                "AT&T's U.S.-led e.g. al-Qaddo",
                "Caf\u{e9}-bar na\u{ef}ve \u{2018}x\u{2019}s Iraq\u{2019}s",
                "1980s 3rd 10km 2.5.6 a-- b&& c'' d..",
                "x\u{301}y \u{645}\u{64e}z q\u{2010}r",
            ]
            .map(String::from),
        );
        for t in &texts {
            for (i, _) in t.char_indices() {
                assert_eq!(scan_word(t, i), scan_word_by_chars(t, i), "{t:?} at {i}");
            }
        }
    }

    #[test]
    fn words_from_an_ascii_letter_end_where_scan_word_ends_them() {
        let mut texts: Vec<String> = (0u8..128).map(|b| format!("ab{}cd e", b as char)).collect();
        texts.extend(
            [
                "AT&T's U.S.-led e.g. al-Qaddo x",
                "Caf\u{e9}-bar na\u{ef}ve Iraq\u{2019}s q\u{2010}r x\u{301}y",
                "a1980s b-- c&& d'' e.. f.g.h. Z",
            ]
            .map(String::from),
        );
        let mut words = 0;
        for t in &texts {
            for tok in tokenize(t) {
                if tok.is_word() && t.as_bytes()[tok.span.start].is_ascii_alphabetic() {
                    words += 1;
                    let end = scan_word(t, tok.span.start + 1);
                    assert_eq!(tok.span.end, end, "{t:?} at {}", tok.span.start);
                }
            }
        }
        assert!(words > 300, "{words}");
    }

    #[test]
    fn marks_are_the_tokens_segmentation_would_find_by_visiting_all() {
        let texts = [
            "Col. Sean Ryan said the U.S. spent 3.5 billion on Feb. 4 in Iraq. J. R. Smith agreed.",
            "MINISTER QUITS OVER PORT DEAL\n    The minister resigned on\nTuesday, aides\nsaid. Talks\nwill resume.\n\nNext story",
            "\u{201C}We will stay. We will not leave,\u{201D} she said.\n\n\"First part.\n\n\"Second part,\" he added!",
            "\n\n  Why? Because\u{2026} caf\u{e9}. na\u{ef}ve\u{2026}\n'quoted' e.g. x.\n\t\"a\" (b) ... !? \u{2018}c\u{2019}",
            "",
            ".",
        ];
        for text in texts {
            let mut marks = Marks::default();
            let tokens = tokenize_marking(text, &mut marks);
            assert_eq!(tokens, tokenize(text));
            let n = tokens.len();
            let may_end: Vec<usize> = (0..n)
                .filter(|&i| {
                    let t = &tokens[i];
                    t.kind == TokenKind::Punct && is_terminator(text, t.span)
                        || t.kind == TokenKind::Word
                            && t.span.len() > 2
                            && text.as_bytes()[t.span.end - 1] == b'.'
                        || tokens.get(i + 1).is_some_and(|n| n.breaks_before == 1)
                })
                .collect();
            let starts: Vec<usize> = (1..n).filter(|&i| tokens[i].para_start).collect();
            let quotes: Vec<usize> = (0..n)
                .filter(|&i| matches!(tokens[i].kind, TokenKind::Quote { double: true, .. }))
                .collect();
            assert_eq!(marks.may_end_sentence, may_end, "{text:?}");
            assert_eq!(marks.paragraph_starts, starts, "{text:?}");
            assert_eq!(marks.double_quotes, quotes, "{text:?}");
        }
    }

    #[test]
    fn terminators_are_told_by_their_bytes() {
        let t = "a. b! c? d\u{2026} e\u{2014} f, \u{201C}g\u{201D} (h) .. !? \u{2025}";
        for tok in tokenize(t) {
            let w = tok.span.of(t);
            assert_eq!(
                is_terminator(t, tok.span),
                TERMINATORS.contains(&w),
                "{w:?}"
            );
        }
    }

    #[test]
    fn char_slicer_slices_by_characters_before_and_after_non_ascii() {
        for t in [
            "Mr. Smith said no.",
            "Z\u{fc}rich officials said the bank failed.",
            "\u{201C}\u{e9}\u{201D} ab",
        ] {
            let chars: Vec<char> = t.chars().collect();
            let slicer = CharSlicer::new(t);
            for start in 0..=chars.len() {
                for end in start..=chars.len() {
                    let want: String = chars[start..end].iter().collect();
                    assert_eq!(
                        slicer.slice(start, end),
                        Some(want.as_str()),
                        "{t} {start} {end}"
                    );
                }
            }
            assert_eq!(slicer.slice(0, chars.len() + 1), None);
            assert_eq!(slicer.slice(2, 1), None);
        }
    }

    #[test]
    fn char_offsets_count_scalar_values() {
        let t = "“é” ab";
        let b = t.find("ab").unwrap();
        assert_eq!(char_offset(t, b), 4);
        assert_eq!(char_offsets(t, &[b, 0, t.len()]), vec![4, 0, 6]);
    }

    #[test]
    fn char_offsets_agree_with_char_offset_before_and_after_non_ascii() {
        // ASCII only; non-ASCII after the offsets asked for; non-ASCII first.
        for t in [
            "Mr. Smith said no.",
            "ab cd \u{201C}é\u{201D} ef",
            "\u{201C}é\u{201D} ab",
        ] {
            let all: Vec<usize> = (0..=t.len())
                .filter(|&b| t.is_char_boundary(b))
                .rev()
                .collect();
            let one: Vec<usize> = all.iter().map(|&b| char_offset(t, b)).collect();
            assert_eq!(char_offsets(t, &all), one, "{t}");
            for &b in &all {
                assert_eq!(
                    char_offsets(t, &[b, 0]),
                    vec![char_offset(t, b), 0],
                    "{t} {b}"
                );
            }
        }
    }
}
