//! The JSON Lines reader on any bytes: documents or an error naming the
//! line, never a panic; every document has an id and text, without NUL.
#![no_main]

use gainsay::ingest::{parse_jsonl, InputError};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match parse_jsonl("fuzz.jsonl", data) {
        Ok(docs) => {
            assert!(!docs.is_empty());
            for d in docs {
                assert!(!d.key.trim().is_empty());
                assert!(!d.text.trim().is_empty());
                assert!(!d.text.contains('\0'));
            }
        }
        Err(InputError::Line { line, .. }) => assert!(line >= 1),
        Err(InputError::File { .. }) => {}
    }
});
