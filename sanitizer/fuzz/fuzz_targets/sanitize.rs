//! Any bytes: `sanitize` must not panic, what it accepts must come through a second time
//! unchanged, and a JPEG it accepts (whose decode proof may be the scan check alone) must
//! decode with the `image` crate.

#![no_main]

use libfuzzer_sys::fuzz_target;
use sanitizer::{sanitize, Limits, MediaType};

fuzz_target!(|data: &[u8]| {
    // Small enough that decoding a lying header stays fast.
    let limits = Limits { max_pixels: 4_000_000, max_dimension: 4_096, max_bytes: 1 << 20, max_alloc: 64 << 20 };
    if let Ok(clean) = sanitize(data, &limits) {
        // The minimal EXIF may make the output a few bytes larger than the input.
        let again = sanitize(&clean.bytes, &Limits { max_bytes: usize::MAX, ..limits })
            .expect("a sanitized image must pass again");
        assert_eq!(again, clean, "sanitizing must change nothing the second time");
        if clean.media_type == MediaType::Jpeg {
            image::load_from_memory_with_format(&clean.bytes, image::ImageFormat::Jpeg)
                .expect("an accepted JPEG must decode");
        }
    }
});
