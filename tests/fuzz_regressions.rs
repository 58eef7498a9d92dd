//! Inputs on which the fuzz targets (`fuzz/`) once crashed, kept as they
//! were found in `tests/fuzz/<target>-<what>.txt`. Each must now run clean
//! through the same checks as its target.

use gainsay::extract::Extractor;
use gainsay::model::Document;
use gainsay::rules::Rules;
use std::path::Path;

/// A crash input as a `&str` target sees it: its longest valid UTF-8
/// prefix (what `arbitrary` makes of the bytes).
fn input(name: &str) -> String {
    let bytes = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fuzz")
            .join(name),
    )
    .unwrap();
    let valid = match std::str::from_utf8(&bytes) {
        Ok(_) => bytes.len(),
        Err(e) => e.valid_up_to(),
    };
    String::from_utf8(bytes[..valid].to_vec()).unwrap()
}

/// The extract target's checks: no panic, excerpts point at the text.
fn extract(text: &str) {
    let rules = Rules::builtin().unwrap();
    let doc = Document {
        key: "fuzz.txt".into(),
        title: None,
        outlet: None,
        url: None,
        published: Some("2019-02-07".into()),
        text: text.to_string(),
    };
    let chars: Vec<char> = text.chars().collect();
    for c in Extractor::new(&rules).extract(&doc) {
        for e in [&c.sentence, &c.content] {
            let at: String = chars[e.start..e.end].iter().collect();
            assert_eq!(at, e.text);
        }
    }
}

/// "According to officials," at the very end of a sentence's tokens: the
/// source search read the token after the sentence.
#[test]
fn extract_according_to_with_nothing_after_the_comma() {
    extract(&input("extract-according-to-comma-end.txt"));
}
