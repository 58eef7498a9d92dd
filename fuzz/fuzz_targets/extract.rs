//! The extractor on any UTF-8 text: no panic, every excerpt's character
//! offsets point at its text, and each claim's JSON parses back.
#![no_main]

use gainsay::extract::Extractor;
use gainsay::model::{ClaimRecord, Document, Excerpt};
use gainsay::rules::Rules;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| Rules::builtin().expect("built-in rules load"))
}

fn check(chars: &[char], e: &Excerpt) {
    assert!(e.start <= e.end && e.end <= chars.len(), "{e:?}");
    let at: String = chars[e.start..e.end].iter().collect();
    assert_eq!(at, e.text, "offsets do not point at the text");
}

fuzz_target!(|text: &str| {
    let doc = Document {
        key: "fuzz.txt".into(),
        title: None,
        outlet: None,
        url: None,
        published: Some("2019-02-07".into()),
        text: text.to_string(),
    };
    let chars: Vec<char> = text.chars().collect();
    for c in Extractor::new(rules()).extract(&doc) {
        check(&chars, &c.sentence);
        check(&chars, &c.content);
        if let Some(q) = &c.cue {
            check(&chars, q);
        }
        if let Some(m) = c.source.as_ref().and_then(|s| s.mention.as_ref()) {
            check(&chars, m);
        }
        let json = serde_json::to_string(&c).unwrap();
        let back: ClaimRecord = serde_json::from_str(&json).unwrap();
        assert_eq!(back, c);
    }
});
