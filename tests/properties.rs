//! Properties that hold for any input: segmentation and extraction never
//! panic, every span is in bounds and on character boundaries, every
//! excerpt's character offsets point at its text, and every claim's JSON
//! parses back to the same record.

use gainsay::extract::{ExtractOptions, Extractor};
use gainsay::model::{ClaimRecord, Document, Excerpt};
use gainsay::rules::Rules;
use gainsay::text::{Segmented, Span};
use proptest::prelude::*;
use std::sync::OnceLock;

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| Rules::builtin().expect("built-in rules load"))
}

/// Words, cues, names, quotes, punctuation, breaks and awkward characters,
/// so that random texts contain attributions and quotations.
const PIECES: &[&str] = &[
    "said",
    "told",
    "denied",
    "claimed",
    "allegedly",
    "reportedly",
    "according to",
    "that",
    "not",
    "no",
    "never",
    "Col.",
    "Mr.",
    "U.S.",
    "Feb.",
    "J.",
    "3.5",
    "200",
    "Monday",
    "the",
    "coalition",
    "patrol",
    "militia",
    "IMIS",
    "Sean Ryan",
    "a spokesperson for",
    "confrontation",
    "withdraw",
    "stay",
    "\"",
    "\u{201C}",
    "\u{201D}",
    "'",
    "\u{2019}",
    ",",
    ".",
    "?",
    "!",
    ":",
    ";",
    "-",
    "\u{2014}",
    "(",
    ")",
    "\n",
    "\n\n",
    "\r\n",
    "\t",
    "  ",
    "é",
    "ß",
    "İ",
    "ﬁ",
    "日本",
    "🙂",
    "\u{200B}",
    "\u{202E}",
    "\u{FEFF}",
    "\u{0301}",
    "#",
    "*",
    "|",
    "<b>",
    "&amp;",
];

fn newsy() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..80).prop_map(|ps| {
        let mut s = String::new();
        for (i, p) in ps.iter().enumerate() {
            if i > 0 && i % 3 != 0 {
                s.push(' ');
            }
            s.push_str(p);
        }
        s
    })
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), newsy(), "[ -~\n\"“”‘’.]{0,300}"]
}

fn check_span(text: &str, span: Span, what: &str) -> Result<(), TestCaseError> {
    prop_assert!(span.start <= span.end, "{what}: {span:?} reversed");
    prop_assert!(
        span.end <= text.len(),
        "{what}: {span:?} past {}",
        text.len()
    );
    prop_assert!(text.is_char_boundary(span.start), "{what}: {span:?} start");
    prop_assert!(text.is_char_boundary(span.end), "{what}: {span:?} end");
    Ok(())
}

fn check_excerpt(chars: &[char], e: &Excerpt, what: &str) -> Result<(), TestCaseError> {
    prop_assert!(e.start <= e.end, "{what}: {e:?} reversed");
    prop_assert!(e.end <= chars.len(), "{what}: {e:?} past {}", chars.len());
    let at: String = chars[e.start..e.end].iter().collect();
    prop_assert_eq!(&at, &e.text, "{}: offsets do not point at the text", what);
    Ok(())
}

fn check_claim(text: &str, c: &ClaimRecord) -> Result<(), TestCaseError> {
    let chars: Vec<char> = text.chars().collect();
    check_excerpt(&chars, &c.sentence, "sentence")?;
    check_excerpt(&chars, &c.content, "content")?;
    if let Some(q) = &c.cue {
        check_excerpt(&chars, q, "cue")?;
    }
    if let Some(s) = &c.source {
        // An empty span marks a source given from outside the text.
        if s.end > s.start {
            let e = Excerpt {
                text: s.text.clone(),
                start: s.start,
                end: s.end,
            };
            check_excerpt(&chars, &e, "source")?;
        }
        if let Some(m) = &s.mention {
            check_excerpt(&chars, m, "source mention")?;
        }
    }
    for t in &c.times {
        let e = Excerpt {
            text: t.text.clone(),
            start: t.start,
            end: t.end,
        };
        check_excerpt(&chars, &e, "time")?;
    }
    let json = serde_json::to_string(c).unwrap();
    let back: ClaimRecord =
        serde_json::from_str(&json).map_err(|e| TestCaseError::fail(format!("{e}: {json}")))?;
    prop_assert_eq!(&back, c);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 384, ..ProptestConfig::default() })]

    #[test]
    fn segmentation_spans_are_in_bounds(text in any_text()) {
        let seg = Segmented::new(&text, rules());
        for t in &seg.tokens {
            check_span(&text, t.span, "token")?;
        }
        let mut last_end = 0;
        for s in &seg.sentences {
            check_span(&text, s.span, "sentence")?;
            prop_assert!(s.span.start >= last_end, "sentences overlap: {:?}", seg.sentences);
            prop_assert!(s.tokens.end <= seg.tokens.len());
            last_end = s.span.end;
        }
        for q in &seg.quotations {
            check_span(&text, q.inner, "quotation")?;
            prop_assert!(q.open < seg.tokens.len() && q.close <= seg.tokens.len());
        }
    }

    #[test]
    fn extraction_never_panics_and_points_at_its_text(
        text in any_text(),
        statements in any::<bool>(),
    ) {
        let doc = Document {
            key: "doc".into(),
            title: None,
            outlet: None,
            url: None,
            published: Some("2019-02-07".into()),
            text: text.clone(),
        };
        let extractor = Extractor::with_options(rules(), ExtractOptions { statements });
        for c in extractor.extract(&doc) {
            check_claim(&text, &c)?;
        }
    }
}

/// The properties on a few texts that are known to yield claims, so that a
/// strategy that stops producing attributions cannot hide a regression.
#[test]
fn the_checks_see_real_claims() {
    let text = "Col. Sean Ryan, a spokesperson for the U.S.-led coalition, told VOA on \
                Monday: \u{201C}There was no confrontation.\u{201D}\n\nIMIS media \
                reportedly showed the militia stopping a patrol, officials said. \
                日本 officials denied that 200 troops would withdraw.";
    let doc = Document {
        key: "doc".into(),
        title: None,
        outlet: None,
        url: None,
        published: Some("2019-02-07".into()),
        text: text.into(),
    };
    let claims = Extractor::new(rules()).extract(&doc);
    assert!(claims.len() >= 2, "{claims:#?}");
    for c in &claims {
        check_claim(text, c).unwrap();
    }
}

/// Found by the property test: a cue at the very end of the text left an
/// empty content range for the dateline check to read past.
#[test]
fn cues_at_the_end_of_the_text_leave_no_empty_content_to_read_past() {
    for text in [
        "said said said\n according to said,",
        "according to",
        "X said that",
        "\"Quote,\" said",
    ] {
        let claims = Extractor::new(rules()).extract(&Document {
            key: "t".into(),
            title: None,
            outlet: None,
            url: None,
            published: None,
            text: text.into(),
        });
        for c in &claims {
            check_claim(text, c).unwrap();
        }
    }
}

/// A quote mark alone at a sentence's end, the quotation it opens in the
/// next: the case a random run found (an inverted content span), checked
/// every run rather than only when the regressions file is read.
#[test]
fn a_quotation_opening_past_its_sentence_gives_no_inverted_claim() {
    for text in [
        "said said saidsaid said .\u{201C} \n \u{201C}",
        "The minister said the dam held. \u{201C}\n\u{201C}It held,\u{201D} she said.",
    ] {
        let doc = Document {
            key: "doc".into(),
            title: None,
            outlet: None,
            url: None,
            published: None,
            text: text.into(),
        };
        for statements in [false, true] {
            let extractor = Extractor::with_options(rules(), ExtractOptions { statements });
            let claims = extractor.extract(&doc);
            assert!(!claims.is_empty(), "{text:?}");
            for c in &claims {
                assert!(c.content.start < c.content.end, "{text:?}: {c:?}");
                check_claim(text, c).unwrap();
            }
        }
    }
}
