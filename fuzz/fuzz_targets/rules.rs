//! The rule loader on any text: a rule set or a list of errors, never a
//! panic. A rule set that loads also runs its own examples, so that odd but
//! valid rules (empty words, long phrases) go through the extractor.
#![no_main]

use gainsay::rules::Rules;
use libfuzzer_sys::fuzz_target;

/// The file names the built-in rules use; the first byte picks one.
const NAMES: &[&str] = &[
    "rules/cues.toml",
    "rules/lexicon.toml",
    "rules/events.toml",
    "rules/opposites.toml",
    "rules/aliases.toml",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let name = NAMES[pick as usize % NAMES.len()];
    match Rules::from_sources(&[(name.to_string(), text.to_string())]) {
        Ok(rules) => {
            let _ = gainsay::rule_examples::run(&rules);
        }
        Err(errors) => {
            for e in &errors.0 {
                assert!(e.line >= 1 && e.col >= 1, "{e}");
            }
        }
    }
});
