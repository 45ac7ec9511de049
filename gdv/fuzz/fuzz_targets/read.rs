//! Any bytes, in each encoding: `read` must not panic, and every error it reports must point
//! at a real line and column.

#![no_main]

use gdv::{read, Encoding, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let lines = data.split(|&b| b == b'\n').count() + 1;
    for encoding in [Encoding::Latin1, Encoding::Latin9, Encoding::Cp850] {
        if let Err(errors) = read(data, &Options { encoding }) {
            assert!(!errors.is_empty() && errors.len() <= gdv::MAX_ERRORS);
            for error in errors {
                assert!(error.line >= 1 && error.line <= lines, "line {} of {lines}", error.line);
                assert!(error.column >= 1 && error.column <= 257, "column {}", error.column);
            }
        }
    }
});
