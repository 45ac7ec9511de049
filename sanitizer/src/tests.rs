//! What a user of `sanitize` observes: no metadata left, the same pixels, the same orientation,
//! the colour profile intact, and a clear refusal for everything else.

use std::io::Cursor;

use exif::{In, Tag};
use image::{GenericImageView, ImageEncoder};

use crate::testing::*;
use crate::{
    detect, sanitize, sanitize_file, strip_metadata, thumbnail, Clean, Exceeded, Limits, MediaType,
    SanitizeError,
};

fn clean(input: &[u8]) -> Clean {
    sanitize(input, &Limits::default()).unwrap_or_else(|e| panic!("sanitize failed: {e:?}"))
}

fn refusal(input: &[u8]) -> SanitizeError {
    sanitize(input, &Limits::default()).expect_err("sanitize should refuse this")
}

fn assert_no_secrets(bytes: &[u8]) {
    for secret in SECRETS {
        let found = bytes.windows(secret.len()).any(|w| w == secret.as_bytes());
        assert!(!found, "{secret:?} survived");
    }
}

/// A metadata reader finds nothing but the orientation, and that only when it is not 1.
fn assert_only_orientation(bytes: &[u8], orientation: u16) {
    match exif::Reader::new().read_from_container(&mut Cursor::new(bytes)) {
        Ok(exif) => {
            let fields: Vec<_> = exif.fields().map(|f| (f.tag, f.ifd_num)).collect();
            assert_eq!(fields, [(Tag::Orientation, In::PRIMARY)]);
            let value = exif.get_field(Tag::Orientation, In::PRIMARY).and_then(|f| f.value.get_uint(0));
            assert_eq!(value, Some(u32::from(orientation)));
            assert_ne!(orientation, 1, "an upright image needs no EXIF at all");
        }
        Err(exif::Error::NotFound(_)) => assert_eq!(orientation, 1, "orientation {orientation} was lost"),
        Err(e) => panic!("unreadable EXIF left behind: {e}"),
    }
}

fn decoded(bytes: &[u8]) -> image::DynamicImage {
    image::load_from_memory(bytes).unwrap()
}

fn assert_same_pixels(input: &[u8], output: &[u8]) {
    let (before, after) = (decoded(input), decoded(output));
    assert_eq!(
        (before.width(), before.height(), before.color()),
        (after.width(), after.height(), after.color())
    );
    assert!(before.as_bytes() == after.as_bytes(), "pixels changed");
}

/// Sanitizing the output again changes nothing.
fn assert_idempotent(clean: &Clean) {
    let again = sanitize(&clean.bytes, &Limits::default()).unwrap();
    assert_eq!(&again, clean);
}

fn displayed(orientation: u16) -> (u32, u32) {
    if orientation >= 5 {
        (HEIGHT, WIDTH)
    } else {
        (WIDTH, HEIGHT)
    }
}

/// The secrets the test images must carry, or the tests above them prove nothing.
#[test]
fn the_test_images_carry_what_must_go() {
    let contains = |bytes: &[u8], secret: &str| bytes.windows(secret.len()).any(|w| w == secret.as_bytes());
    let jpeg = phone_jpeg(JpegKind::Baseline, 6, false);
    let png = phone_png(6);
    let webp = phone_webp(6);
    for secret in
        ["PhoneMaker", "ThumbMaker", "GPS", "SN-4711", "MAKERNOTE-SECRET", "XMP-SECRET", "Photoshop 3.0"]
            .iter()
            .chain(&[
                "COMMENT-SECRET",
                "MPF",
                "SECOND-IMAGE",
                "TRAILING-SECRET",
                "http://ns.adobe.com/xmp/extension",
            ])
    {
        assert!(contains(&jpeg, secret), "JPEG lacks {secret}");
    }
    for secret in
        ["PhoneMaker", "Author", "TEXT-SECRET", "XML:com.adobe.xmp", "tIME", "zTXt", "PRIVATE-CHUNK"]
    {
        assert!(contains(&png, secret), "PNG lacks {secret}");
    }
    for secret in ["PhoneMaker", "ThumbMaker", "XMP-SECRET", "PRIVATE-CHUNK", "TRAILING-SECRET"] {
        assert!(contains(&webp, secret), "WebP lacks {secret}");
    }
    for input in [&jpeg, &png, &webp] {
        let exif = exif::Reader::new().read_from_container(&mut Cursor::new(input)).unwrap();
        for (tag, ifd) in [
            (Tag::GPSLatitude, In::PRIMARY),
            (Tag::BodySerialNumber, In::PRIMARY),
            (Tag::MakerNote, In::PRIMARY),
            (Tag::Artist, In::PRIMARY),
        ] {
            assert!(exif.get_field(tag, ifd).is_some(), "{tag} missing");
        }
    }
    // The scans need the careful reading: stuffed 0xFF bytes, restart markers, several scans.
    let scan_bytes = |jpeg: &[u8], pair: [u8; 2]| jpeg.windows(2).filter(|w| *w == pair).count();
    assert!(scan_bytes(&jpeg, [0xFF, 0x00]) > 0);
    assert!(scan_bytes(&phone_jpeg(JpegKind::Restart, 1, false), [0xFF, 0xD0]) > 0);
    assert!(scan_bytes(&phone_jpeg(JpegKind::Progressive, 1, false), [0xFF, 0xDA]) > 2);
    // Reading the input as it is: the same pictures, with everything around them.
    assert_eq!(
        (decoded(&jpeg).width(), decoded(&png).width(), decoded(&webp).width()),
        (WIDTH, WIDTH, WIDTH)
    );
}

#[test]
fn jpeg_keeps_pixels_icc_and_orientation_and_nothing_else() {
    for kind in JPEG_KINDS {
        let input = phone_jpeg(kind, 6, false);
        let clean = clean(&input);
        assert_eq!(clean.media_type, MediaType::Jpeg);
        assert_no_secrets(&clean.bytes);
        assert_only_orientation(&clean.bytes, 6);
        assert_same_pixels(&input, &clean.bytes);
        assert_eq!(icc_segments(&clean.bytes), icc_segments(&input), "{kind:?}");
        assert_eq!(icc_segments(&clean.bytes).len(), 2);
        assert!(clean.bytes.ends_with(&[0xFF, 0xD9]), "nothing after EOI");
        assert_idempotent(&clean);
    }
}

#[test]
fn jpeg_in_cmyk_keeps_its_adobe_segment() {
    let input = phone_jpeg(JpegKind::Cmyk, 1, true);
    let adobe = input.windows(7).position(|w| w[..2] == [0xFF, 0xEE] && &w[4..] == b"Ado").unwrap();
    let length = usize::from(u16::from_be_bytes([input[adobe + 2], input[adobe + 3]]));
    let segment = &input[adobe..adobe + 2 + length];
    let clean = clean(&input);
    assert!(clean.bytes.windows(segment.len()).any(|w| w == segment));
    assert_same_pixels(&input, &clean.bytes);
}

#[test]
fn jpeg_orientation_survives_in_both_byte_orders() {
    for little_endian in [false, true] {
        for orientation in 1..=8 {
            let clean = clean(&phone_jpeg(JpegKind::Baseline, orientation, little_endian));
            assert_eq!(clean.orientation, orientation);
            assert_eq!((clean.width, clean.height), displayed(orientation));
            assert_only_orientation(&clean.bytes, orientation);
            assert_idempotent(&clean);
        }
    }
}

#[test]
fn jpeg_without_metadata_comes_out_unchanged() {
    for kind in JPEG_KINDS {
        let input = plain_jpeg(kind, None);
        assert_eq!(clean(&input).bytes, input, "{kind:?}");
    }
}

#[test]
fn jpeg_jfif_loses_its_thumbnail_but_keeps_its_density() {
    let plain = plain_jpeg(JpegKind::Baseline, None);
    let jfif_end = 4 + usize::from(plain[5]);
    let mut jfif = b"JFIF\0\x01\x02\x01\x01\x2C\x01\x2C\x02\x01".to_vec(); // 300 dpi, 2 × 1 thumbnail
    jfif.extend_from_slice(b"GPS-TH");
    let input = [&plain[..2], &segment(0xE0, &jfif), &plain[jfif_end..]].concat();
    let clean = clean(&input);
    let expected = segment(0xE0, b"JFIF\0\x01\x02\x01\x01\x2C\x01\x2C\0\0");
    assert_eq!(clean.bytes[2..20], expected);
    assert_no_secrets(&clean.bytes);
    assert_same_pixels(&input, &clean.bytes);
}

#[test]
fn png_keeps_pixels_icc_and_orientation_and_nothing_else() {
    let input = phone_png(8);
    let clean = clean(&input);
    assert_eq!(clean.media_type, MediaType::Png);
    assert_no_secrets(&clean.bytes);
    assert_only_orientation(&clean.bytes, 8);
    assert_same_pixels(&input, &clean.bytes);
    let iccp = png_chunk(*b"iCCP", &iccp_body(&icc_profile(3_000)));
    assert!(clean.bytes.windows(iccp.len()).any(|w| w == iccp), "iCCP chunk changed");
    assert!(clean.bytes.ends_with(&png_chunk(*b"IEND", b"")), "nothing after IEND");
    assert!(!clean.bytes.windows(4).any(|w| w == b"pHYs"));
    assert_idempotent(&clean);
}

#[test]
fn png_orientation_survives() {
    for orientation in 1..=8 {
        let clean = clean(&phone_png(orientation));
        assert_eq!(clean.orientation, orientation);
        assert_eq!((clean.width, clean.height), displayed(orientation));
        assert_only_orientation(&clean.bytes, orientation);
        assert_idempotent(&clean);
    }
}

#[test]
fn png_with_a_bad_crc_is_invalid() {
    let mut input = phone_png(1);
    // Inside the tEXt chunk, which would be dropped anyway.
    input[33 + 10] ^= 1;
    assert_eq!(refusal(&input), SanitizeError::Invalid);
}

#[test]
fn webp_keeps_pixels_icc_and_orientation_and_nothing_else() {
    let input = phone_webp(5);
    let clean = clean(&input);
    assert_eq!(clean.media_type, MediaType::Webp);
    assert_no_secrets(&clean.bytes);
    assert_only_orientation(&clean.bytes, 5);
    assert_same_pixels(&input, &clean.bytes);
    let iccp = riff_chunk(*b"ICCP", &icc_profile(1_001));
    assert!(clean.bytes.windows(iccp.len()).any(|w| w == iccp), "ICCP chunk changed");
    // Flags: ICC, alpha and EXIF (no XMP); the RIFF size covers exactly the file.
    assert_eq!(clean.bytes[20], 0x20 | 0x10 | 0x08);
    let riff_size = u32::from_le_bytes(clean.bytes[4..8].try_into().unwrap());
    assert_eq!(usize::try_from(riff_size).unwrap() + 8, clean.bytes.len());
    assert_idempotent(&clean);
}

#[test]
fn webp_orientation_survives() {
    for orientation in 1..=8 {
        let clean = clean(&phone_webp(orientation));
        assert_eq!(clean.orientation, orientation);
        assert_eq!((clean.width, clean.height), displayed(orientation));
        assert_only_orientation(&clean.bytes, orientation);
        assert_eq!(clean.bytes[20] & 0x08 != 0, orientation != 1, "EXIF flag");
        assert_idempotent(&clean);
    }
}

#[test]
fn simple_webp_loses_what_follows_the_riff() {
    let plain = plain_webp(WIDTH, HEIGHT);
    let mut input = plain.clone();
    input.extend_from_slice(b"TRAILING-SECRET");
    let clean = clean(&input);
    assert_eq!(clean.bytes, plain);
    assert_eq!((clean.width, clean.height, clean.orientation), (WIDTH, HEIGHT, 1));
}

#[test]
fn other_formats_are_named_in_the_refusal() {
    let cases: [(&[u8], Option<&str>); 12] = [
        (b"\0\0\0\x18ftypheic\0\0\0\0mif1heic", Some(detect::HEIC)),
        (b"\0\0\0\x18ftypmif1\0\0\0\0mif1heic", Some(detect::HEIC)),
        (b"\0\0\0\x14ftypmif1\0\0\0\0mif1", Some(detect::HEIF)),
        (b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf", Some(detect::AVIF)),
        (b"\0\0\0\x14ftypisom\0\0\0\0isom", Some(detect::VIDEO)),
        (b"II*\0\x08\0\0\0", Some(detect::TIFF)),
        (b"MM\0*\0\0\0\x08", Some(detect::TIFF)),
        (b"GIF89a\x01\0\x01\0", Some(detect::GIF)),
        (b"%PDF-1.7\n%\xE2\xE3\xCF\xD3", Some(detect::PDF)),
        (
            b"\xEF\xBB\xBF  <?xml version='1.0'?>\n<svg xmlns='http://www.w3.org/2000/svg'/>",
            Some(detect::SVG),
        ),
        (b"<?xml version='1.0'?><note/>", Some(detect::XML)),
        (b"\x13\x37 random bytes that are no image at all", None),
    ];
    for (input, detected) in cases {
        assert_eq!(refusal(input), SanitizeError::Unsupported { detected }, "{input:?}");
    }
    let heic = refusal(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic").to_string();
    assert!(heic.contains("Maximale Kompatibilität"), "{heic}");
}

#[test]
fn empty_and_truncated_files_are_invalid() {
    assert_eq!(refusal(b""), SanitizeError::Invalid);
    let files =
        [plain_jpeg(JpegKind::Progressive, None), plain_png(WIDTH, HEIGHT), plain_webp(WIDTH, HEIGHT)];
    for file in files {
        // Every cut that keeps the magic bytes (a file cut before them is just not an image).
        for len in 12..file.len() {
            assert_eq!(refusal(&file[..len]), SanitizeError::Invalid, "cut at {len} of {}", file.len());
        }
    }
}

#[test]
fn animations_are_refused() {
    let png = plain_png(WIDTH, HEIGHT);
    let mut apng = png[..33].to_vec();
    apng.extend(png_chunk(*b"acTL", &[0, 0, 0, 2, 0, 0, 0, 0]));
    apng.extend_from_slice(&png[33..]);
    assert_eq!(refusal(&apng), SanitizeError::Unsupported { detected: Some(detect::APNG) });

    let frame = [vec![0; 16], vp8l_chunk(WIDTH, HEIGHT)].concat();
    let animated =
        riff(&[vp8x_chunk(0x02, WIDTH, HEIGHT), riff_chunk(*b"ANIM", &[0; 6]), riff_chunk(*b"ANMF", &frame)]);
    assert_eq!(refusal(&animated), SanitizeError::Unsupported { detected: Some(detect::ANIMATED_WEBP) });
    assert!(refusal(&animated).to_string().starts_with("Animierte Bilder"));
}

/// A PNG whose header claims `width` × `height`, with a real (small) image behind it.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let png = plain_png(WIDTH, HEIGHT);
    let mut ihdr = png[16..29].to_vec();
    ihdr[..4].copy_from_slice(&width.to_be_bytes());
    ihdr[4..8].copy_from_slice(&height.to_be_bytes());
    [&png[..8], &png_chunk(*b"IHDR", &ihdr), &png[33..]].concat()
}

#[test]
fn huge_headers_are_refused_before_decoding() {
    let expected = Exceeded::Dimension { width: 100_000, height: 100_000, max: 12_000 };
    assert_eq!(refusal(&png_claiming(100_000, 100_000)), SanitizeError::TooLarge(expected));
    assert_eq!(
        refusal(&png_claiming(10_000, 10_000)),
        SanitizeError::TooLarge(Exceeded::Pixels { pixels: 100_000_000, max: 50_000_000 })
    );

    let mut jpeg = plain_jpeg(JpegKind::Baseline, None);
    let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    jpeg[sof + 5..sof + 9].copy_from_slice(&[0xEA, 0x60, 0xEA, 0x60]); // 60000 × 60000
    let expected = Exceeded::Dimension { width: 60_000, height: 60_000, max: 12_000 };
    assert_eq!(refusal(&jpeg), SanitizeError::TooLarge(expected));

    let webp = riff(&[vp8x_chunk(0, 100_000, 100_000), vp8l_chunk(WIDTH, HEIGHT)]);
    let expected = Exceeded::Dimension { width: 100_000, height: 100_000, max: 12_000 };
    assert_eq!(refusal(&webp), SanitizeError::TooLarge(expected));
}

#[test]
fn the_other_limits_hold() {
    let input = phone_jpeg(JpegKind::Baseline, 1, false);
    let small = Limits { max_bytes: 1_000, ..Limits::default() };
    let size = input.len() as u64;
    assert_eq!(sanitize(&input, &small), Err(SanitizeError::TooLarge(Exceeded::Bytes { size, max: 1_000 })));
    let tight = Limits { max_alloc: 100, ..Limits::default() };
    assert_eq!(sanitize(&input, &tight), Err(SanitizeError::TooLarge(Exceeded::Memory { max: 100 })));
}

#[test]
fn damaged_files_never_panic_and_what_passes_is_stable() {
    // A cheap, deterministic stand-in for the fuzzer: flip bytes all over the test images.
    let files = [phone_jpeg(JpegKind::Restart, 6, false), phone_png(3), phone_webp(7)];
    let mut state = 0x2545_F491_4F6C_DD1D_u64;
    for file in files {
        for _ in 0..300 {
            let mut damaged = file.clone();
            for _ in 0..3 {
                xorshift(&mut state);
                let at = usize::try_from(state % damaged.len() as u64).unwrap();
                damaged[at] = damaged[at].wrapping_add(u8::try_from(state >> 56).unwrap() | 1);
            }
            if let Ok(clean) = sanitize(&damaged, &Limits::default()) {
                assert_idempotent(&clean);
            }
        }
    }
}

#[test]
fn sanitize_file_writes_the_clean_image_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("IMG_0001.jpg");
    let output = dir.path().join("clean.jpg");
    std::fs::write(&input, phone_jpeg(JpegKind::Baseline, 3, false)).unwrap();
    let clean = sanitize_file(&input, &output, &Limits::default()).unwrap();
    assert_eq!(std::fs::read(&output).unwrap(), clean.bytes);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2, "a temporary file was left behind");
}

#[test]
fn sanitize_file_leaves_no_output_on_refusal() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("scan.pdf");
    let output = dir.path().join("clean.jpg");
    std::fs::write(&input, b"%PDF-1.7\n").unwrap();
    let error = sanitize_file(&input, &output, &Limits::default()).unwrap_err();
    assert!(matches!(error, crate::SanitizeFileError::Image(SanitizeError::Unsupported { .. })));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "something was written");

    // Refused only by the decode proof, after the stripped bytes went to a temporary file.
    let whole = plain_jpeg(JpegKind::Baseline, None);
    let mut cut = whole[..whole.len() * 2 / 3].to_vec();
    if cut.last() == Some(&0xFF) {
        cut.pop();
    }
    cut.extend_from_slice(&[0xFF, 0xD9]);
    let input = dir.path().join("cut.jpg");
    std::fs::write(&input, &cut).unwrap();
    assert!(strip_metadata(&cut, &Limits::default()).is_ok(), "the strip alone takes it");
    let error = sanitize_file(&input, &output, &Limits::default()).unwrap_err();
    assert!(matches!(error, crate::SanitizeFileError::Image(SanitizeError::Invalid)), "{error}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2, "something was left behind");

    let missing = dir.path().join("missing.jpg");
    let error = sanitize_file(&missing, &output, &Limits::default()).unwrap_err();
    assert!(error.to_string().starts_with("cannot read"), "{error}");
}

#[test]
fn strip_metadata_is_sanitize_without_the_decode_proof() {
    for input in [phone_jpeg(JpegKind::Progressive, 6, true), phone_png(3), phone_webp(8)] {
        assert_eq!(strip_metadata(&input, &Limits::default()), Ok(clean(&input)));
    }
    // Only the decode finds that the scan cannot be read: here its Huffman tables are missing.
    let plain = plain_jpeg(JpegKind::Baseline, None);
    let dht = plain.windows(2).position(|w| w == [0xFF, 0xC4]).unwrap();
    let length = usize::from(u16::from_be_bytes([plain[dht + 2], plain[dht + 3]]));
    let broken = [&plain[..dht], &plain[dht + 2 + length..]].concat();
    assert!(strip_metadata(&broken, &Limits::default()).is_ok());
    assert_eq!(refusal(&broken), SanitizeError::Invalid);
    assert_eq!(strip_metadata(b"%PDF-1.7", &Limits::default()), Err(refusal(b"%PDF-1.7")));
}

fn small(clean: &[u8], max_side: u32) -> image::DynamicImage {
    let bytes = thumbnail(clean, max_side, &Limits::default()).unwrap_or_else(|e| panic!("thumbnail: {e:?}"));
    assert_no_secrets(&bytes);
    assert_only_orientation(&bytes, 1);
    assert!(!jpeg_markers(&bytes).contains(&0xE1), "an APP1 segment in the thumbnail");
    let image = image::load_from_memory_with_format(&bytes, image::ImageFormat::Jpeg).unwrap();
    assert_eq!(image.color(), image::ColorType::Rgb8);
    image
}

/// The markers of a JPEG's segments up to its first scan.
fn jpeg_markers(jpeg: &[u8]) -> Vec<u8> {
    let mut markers = Vec::new();
    let mut pos = 2;
    while jpeg[pos] == 0xFF && jpeg[pos + 1] != 0xDA {
        markers.push(jpeg[pos + 1]);
        pos += 2 + usize::from(u16::from_be_bytes([jpeg[pos + 2], jpeg[pos + 3]]));
    }
    markers
}

#[test]
fn thumbnails_fit_keep_the_aspect_ratio_and_are_never_enlarged() {
    for (orientation, size) in [(1, (20, 12)), (3, (20, 12)), (6, (12, 20)), (8, (12, 20))] {
        let clean = clean(&phone_jpeg(JpegKind::Baseline, orientation, false));
        let image = small(&clean.bytes, 20);
        assert_eq!((image.width(), image.height()), size, "orientation {orientation}");
        let image = small(&clean.bytes, 1_000);
        assert_eq!((image.width(), image.height()), (clean.width, clean.height), "orientation {orientation}");
    }
}

/// A 64 × 32 grey JPEG, red in its top left 16 × 16 pixels, stored with `orientation`.
fn red_corner_jpeg(orientation: u16) -> Vec<u8> {
    let (width, height) = (64u16, 32u16);
    let mut rgb = Vec::new();
    for y in 0..height {
        for x in 0..width {
            rgb.extend_from_slice(if x < 16 && y < 16 { &[255, 0, 0] } else { &[128, 128, 128] });
        }
    }
    let mut jpeg = Vec::new();
    jpeg_encoder::Encoder::new(&mut jpeg, 95)
        .encode(&rgb, width, height, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    insert_after_soi(&jpeg, &[exif_app1(&exif_tiff("PhoneMaker", orientation, None, false))])
}

#[test]
fn thumbnails_stand_upright() {
    // Where the stored top left corner is shown: EXIF 6 turns clockwise, 8 counter-clockwise.
    let cases = [(1, (32, 16), (0, 0)), (3, (32, 16), (1, 1)), (6, (16, 32), (1, 0)), (8, (16, 32), (0, 1))];
    for (orientation, size, red_corner) in cases {
        let image = small(&clean(&red_corner_jpeg(orientation)).bytes, 32).to_rgb8();
        assert_eq!(image.dimensions(), size, "orientation {orientation}");
        for corner in [(0, 0), (1, 0), (0, 1), (1, 1)] {
            // Two pixels in from the corner, clear of the edge.
            let x = if corner.0 == 0 { 2 } else { image.width() - 3 };
            let y = if corner.1 == 0 { 2 } else { image.height() - 3 };
            let pixel = image.get_pixel(x, y).0;
            let red = pixel[0] > 200 && pixel[1] < 60 && pixel[2] < 60;
            assert_eq!(red, corner == red_corner, "orientation {orientation}, corner {corner:?}: {pixel:?}");
        }
    }
}

#[test]
fn thumbnails_of_png_and_webp_lay_transparency_onto_white() {
    let png = clean(&phone_png(8));
    assert_eq!(small(&png.bytes, 20).dimensions(), (12, 20));
    let webp = clean(&phone_webp(5));
    assert_eq!(small(&webp.bytes, 20).dimensions(), (12, 20));

    let mut transparent = Vec::new();
    image::codecs::png::PngEncoder::new(&mut transparent)
        .write_image(&[0; 16 * 8 * 4], 16, 8, image::ExtendedColorType::Rgba8)
        .unwrap();
    let image = small(&clean(&transparent).bytes, 8).to_rgb8();
    assert_eq!(image.dimensions(), (8, 4));
    assert!(image.pixels().all(|p| p.0.iter().all(|&c| c > 250)), "not white");
}

#[test]
fn thumbnails_of_broken_files_are_refused() {
    let limits = Limits::default();
    let jpeg = clean(&phone_jpeg(JpegKind::Baseline, 6, false)).bytes;
    assert_eq!(thumbnail(&jpeg[..jpeg.len() / 2], 64, &limits), Err(SanitizeError::Invalid));
    assert_eq!(thumbnail(b"", 64, &limits), Err(SanitizeError::Invalid));
    assert!(matches!(thumbnail(b"GIF89a\x01\0\x01\0", 64, &limits), Err(SanitizeError::Unsupported { .. })));
    let tight = Limits { max_alloc: 100, ..limits };
    assert_eq!(thumbnail(&jpeg, 64, &tight), Err(SanitizeError::TooLarge(Exceeded::Memory { max: 100 })));
    // Flipped bytes: an error or a thumbnail, never a panic.
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    for _ in 0..200 {
        let mut damaged = jpeg.clone();
        xorshift(&mut state);
        let at = usize::try_from(state % damaged.len() as u64).unwrap();
        damaged[at] ^= u8::try_from(state >> 56).unwrap() | 1;
        let _ = thumbnail(&damaged, 16, &limits);
    }
}

#[test]
fn the_corpus_photo_carries_everything_and_sanitizes_clean() {
    let photo = crate::corpus::photo(1, 96, 64);
    for secret in
        ["PhoneMaker", "ThumbMaker", "GPS", "XMP-SECRET", "IPTC-SECRET", "SECOND-IMAGE", "TRAILING-SECRET"]
    {
        assert!(photo.windows(secret.len()).any(|w| w == secret.as_bytes()), "corpus lacks {secret}");
    }
    let clean = clean(&photo);
    assert_no_secrets(&clean.bytes);
    assert_only_orientation(&clean.bytes, crate::corpus::orientation(1));
    assert_eq!((clean.width, clean.height), (64, 96));
    assert_eq!(strip_metadata(&photo, &Limits::default()), Ok(clean));
}

/// Seeds for the fuzzer: `cargo test -p sanitizer -- --ignored write_fuzz_seeds` writes the test
/// images to `fuzz/corpus/sanitize/` (not committed).
#[test]
#[ignore = "writes files for the fuzzer"]
fn write_fuzz_seeds() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/sanitize");
    std::fs::create_dir_all(&dir).unwrap();
    for kind in JPEG_KINDS {
        std::fs::write(dir.join(format!("{kind:?}.jpg")), phone_jpeg(kind, 6, false)).unwrap();
    }
    std::fs::write(dir.join("phone.png"), phone_png(8)).unwrap();
    std::fs::write(dir.join("phone.webp"), phone_webp(5)).unwrap();
    std::fs::write(dir.join("plain.webp"), plain_webp(WIDTH, HEIGHT)).unwrap();
}
