//! The segmenter on any UTF-8 text: no panic, and every token, sentence and
//! quotation span in bounds and on character boundaries.
#![no_main]

use gainsay::rules::Rules;
use gainsay::text::{Segmented, Span};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| Rules::builtin().expect("built-in rules load"))
}

fn check(text: &str, span: Span) {
    assert!(span.start <= span.end && span.end <= text.len(), "{span:?}");
    assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
}

fuzz_target!(|text: &str| {
    let seg = Segmented::new(text, rules());
    for t in &seg.tokens {
        check(text, t.span);
    }
    for s in &seg.sentences {
        check(text, s.span);
        assert!(s.tokens.end <= seg.tokens.len());
    }
});
