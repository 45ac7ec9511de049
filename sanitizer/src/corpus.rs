//! Photos made in code, wrapped in everything phones and photo editors write around the pixels:
//! the metadata pieces for the unit tests' small images, and (feature `corpus`) 12-megapixel
//! phone-like JPEGs for the benchmark and `examples/sanitize_dir.rs`. Nothing here reads input;
//! a panic means a bug in the generator.

use std::io::Cursor;

use exif::experimental::Writer;
use exif::{Field, In, Rational, Tag, Value};
use jpeg_encoder::{ColorType, Encoder, SamplingFactor};

/// The size of a corpus photo: 12 megapixels, 4:3, as most phones take them.
pub const PHOTO_WIDTH: u32 = 4000;
pub const PHOTO_HEIGHT: u32 = 3000;

/// The orientations the corpus cycles through: upright, and the three a turned phone writes.
const ORIENTATIONS: [u16; 4] = [1, 6, 3, 8];

/// The EXIF orientation of photo `index`.
pub fn orientation(index: u32) -> u16 {
    ORIENTATIONS[index as usize % ORIENTATIONS.len()]
}

/// Photo `index` of the corpus: [`PHOTO_WIDTH`] × [`PHOTO_HEIGHT`], quality 90 with 4:2:0
/// chroma like a phone's camera app, 3–5 MB, with phone metadata (see [`photo`]).
pub fn phone_photo(index: u32) -> Vec<u8> {
    photo(index, PHOTO_WIDTH, PHOTO_HEIGHT)
}

/// Photo `index` at any size up to 65,535 pixels a side: a smooth scene with sensor-like noise,
/// an ICC profile, a full phone EXIF (GPS, camera, serial, maker note, and a 160 × 120
/// thumbnail with an EXIF of its own), XMP, IPTC, a comment, MPF with a second image after the
/// first, and bytes after that. The orientation cycles through 1, 6, 3, 8.
pub fn photo(index: u32, width: u32, height: u32) -> Vec<u8> {
    let primary = encode(&scene(index, width, height), width, height, 90, Some(&icc_profile(3_144)));
    let thumbnail = thumbnail_jpeg(&encode(&scene(index, 160, 120), 160, 120, 70, None));
    let exif = exif_tiff("PhoneMaker", orientation(index), Some(&thumbnail), index.is_multiple_of(2));
    let (second_width, second_height) = ((width / 6).max(8), (height / 6).max(8));
    let second =
        encode(&scene(index + 1, second_width, second_height), second_width, second_height, 80, None);
    dress_as_phone(&primary, &exif, &second)
}

/// Interleaved RGB: a sky-like vertical gradient, slow waves across and down, their product for
/// some texture, and uniform noise of ±12 per channel, which is what makes the file as large as
/// a phone's (a clean gradient would compress to a fraction).
fn scene(index: u32, width: u32, height: u32) -> Vec<u8> {
    let phase = f64::from(index) * 0.7;
    let wave = |len: u32, cycles: f64, shift: f64| -> Vec<f64> {
        (0..len)
            .map(|i| (f64::from(i) / f64::from(len.max(1)) * cycles * std::f64::consts::TAU + shift).sin())
            .collect()
    };
    let across = wave(width, 3.0, phase);
    let down = wave(height, 2.0, phase * 1.3);
    let fine_across = wave(width, 37.0, phase * 0.5);
    let fine_down = wave(height, 29.0, phase * 0.9);
    let mut noise = XorShift(0x9E37_79B9_7F4A_7C15 ^ u64::from(index).wrapping_mul(0xD1B5_4A32_D192_ED03));
    let mut out = Vec::with_capacity(width as usize * height as usize * 3);
    for (y, (down, fine_down)) in (0..height).zip(down.iter().zip(&fine_down)) {
        let sky = f64::from(y) / f64::from(height.max(1));
        for (across, fine_across) in across.iter().zip(&fine_across) {
            let light = 40.0 * across + 30.0 * down + 12.0 * fine_across * fine_down;
            let base = [90.0 + 100.0 * sky, 120.0 + 60.0 * sky, 200.0 - 90.0 * sky];
            let random = noise.next().to_le_bytes();
            for (c, base) in base.iter().enumerate() {
                out.push(to_byte(base + light * [1.0, 0.8, 0.6][c] + f64::from(random[c] % 25) - 12.0));
            }
        }
    }
    out
}

#[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "clamped to a byte first")]
fn to_byte(value: f64) -> u8 {
    value.clamp(0.0, 255.0) as u8
}

/// xorshift64: fast, deterministic, and plenty for noise.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// A baseline JFIF JPEG of interleaved RGB with 4:2:0 chroma.
fn encode(rgb: &[u8], width: u32, height: u32, quality: u8, icc: Option<&[u8]>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = Encoder::new(&mut out, quality);
    encoder.set_sampling_factor(SamplingFactor::R_4_2_0);
    if let Some(icc) = icc {
        encoder.add_icc_profile(icc).expect("the ICC profile fits in 255 segments");
    }
    let side = |side: u32| u16::try_from(side).expect("JPEG sides fit in 16 bits");
    encoder.encode(rgb, side(width), side(height), ColorType::Rgb).expect("a JPEG encodes into memory");
    out
}

/// A picture with gradients and hard edges, so the entropy-coded data has plenty of 0xFF bytes.
pub fn pixels(width: u32, height: u32, channels: u32) -> Vec<u8> {
    let mut out = Vec::new();
    for y in 0..height {
        for x in 0..width {
            for c in 0..channels {
                let value = (x * 7 + y * 13 + c * 50) ^ (x * y * (c + 1));
                out.push(u8::try_from(value % 256).expect("below 256"));
            }
        }
    }
    out
}

fn ascii(tag: Tag, text: &str) -> Field {
    Field { tag, ifd_num: In::PRIMARY, value: Value::Ascii(vec![text.as_bytes().to_vec()]) }
}

fn rationals(tag: Tag, values: &[(u32, u32)]) -> Field {
    let value = Value::Rational(values.iter().map(|&(num, denom)| Rational { num, denom }).collect());
    Field { tag, ifd_num: In::PRIMARY, value }
}

/// A TIFF-structured EXIF block as a phone writes it: camera, owner, time, serial number, a 4 KB
/// maker note, GPS position and, when given, a JPEG thumbnail in IFD1.
pub fn exif_tiff(make: &str, orientation: u16, thumbnail: Option<&[u8]>, little_endian: bool) -> Vec<u8> {
    let mut maker_note = b"MAKERNOTE-SECRET".to_vec();
    maker_note.resize(4_096, 0x5A);
    let fields = [
        ascii(Tag::Make, make),
        ascii(Tag::Model, "Pixelphone 9 Pro"),
        Field { tag: Tag::Orientation, ifd_num: In::PRIMARY, value: Value::Short(vec![orientation]) },
        ascii(Tag::Artist, "Erika Mustermann"),
        ascii(Tag::DateTime, "2024:05:17 10:11:12"),
        ascii(Tag::BodySerialNumber, "SN-4711-0815"),
        Field { tag: Tag::MakerNote, ifd_num: In::PRIMARY, value: Value::Undefined(maker_note, 0) },
        ascii(Tag::GPSLatitudeRef, "N"),
        rationals(Tag::GPSLatitude, &[(52, 1), (31, 1), (1234, 100)]),
        ascii(Tag::GPSLongitudeRef, "E"),
        rationals(Tag::GPSLongitude, &[(13, 1), (24, 1), (56, 1)]),
        Field {
            tag: Tag::GPSProcessingMethod,
            ifd_num: In::PRIMARY,
            value: Value::Undefined(b"ASCII\0\0\0GPS-FUSED".to_vec(), 0),
        },
    ];
    let mut writer = Writer::new();
    for field in &fields {
        writer.push_field(field);
    }
    if let Some(thumbnail) = thumbnail {
        writer.set_jpeg(thumbnail, In::THUMBNAIL);
    }
    let mut out = Cursor::new(Vec::new());
    writer.write(&mut out, little_endian).expect("the EXIF fields are well-formed");
    out.into_inner()
}

/// A JPEG segment: marker, length, body.
pub fn segment(marker: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![0xFF, marker];
    out.extend_from_slice(&u16::try_from(body.len() + 2).expect("a segment holds 64 KB").to_be_bytes());
    out.extend_from_slice(body);
    out
}

pub fn exif_app1(tiff: &[u8]) -> Vec<u8> {
    segment(0xE1, &[b"Exif\0\0".as_slice(), tiff].concat())
}

pub fn insert_after_soi(jpeg: &[u8], segments: &[Vec<u8>]) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    for segment in segments {
        out.extend_from_slice(segment);
    }
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// A made-up ICC profile: a plausible header, a copyright tag, and patterned bytes up to `len`.
pub fn icc_profile(len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len);
    out.extend_from_slice(&u32::try_from(len).expect("an ICC profile is under 4 GB").to_be_bytes());
    out.extend_from_slice(b"lcms");
    out.extend_from_slice(&[4, 0x30, 0, 0]);
    out.extend_from_slice(b"mntrRGB XYZ ");
    out.extend_from_slice(&[0x07, 0xE8, 0, 5, 0, 17, 0, 10, 0, 11, 0, 12]);
    out.extend_from_slice(b"acsp");
    while out.len() < len {
        out.push(u8::try_from(out.len() % 251).expect("below 251"));
    }
    // A tag table with a copyright text, so that readers (exiftool) take it for a profile and
    // keep it.
    let text = b"text\0\0\0\0Made in code by Folio\0";
    let mut table = 1u32.to_be_bytes().to_vec();
    table.extend_from_slice(b"cprt");
    table.extend_from_slice(&144u32.to_be_bytes());
    table.extend_from_slice(&u32::try_from(text.len()).expect("a short text").to_be_bytes());
    table.extend_from_slice(text);
    if let Some(place) = out.get_mut(128..128 + table.len()) {
        place.copy_from_slice(&table);
    }
    out
}

/// A small JPEG with an EXIF of its own (camera and GPS), as phones embed thumbnails.
pub fn thumbnail_jpeg(jpeg: &[u8]) -> Vec<u8> {
    insert_after_soi(jpeg, &[exif_app1(&exif_tiff("ThumbMaker", 1, None, true))])
}

/// A tiny JPEG of the test pattern.
pub fn tiny_jpeg() -> Vec<u8> {
    encode(&pixels(8, 8, 3), 8, 8, 50, None)
}

/// `jpeg` with `exif` (a TIFF block), XMP and extended XMP, MPF, IPTC, a comment and a private
/// APPn after its SOI, then `second` (with a comment of its own) and junk after its EOI.
pub fn dress_as_phone(jpeg: &[u8], exif: &[u8], second: &[u8]) -> Vec<u8> {
    let mut xmp = b"http://ns.adobe.com/xap/1.0/\0<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?>\
        <x:xmpmeta xmlns:x='adobe:ns:meta/'>XMP-SECRET <tiff:Orientation>1</tiff:Orientation>\
        </x:xmpmeta>"
        .to_vec();
    // Editors leave room to grow the packet in place.
    xmp.resize(xmp.len() + 2_048, b' ');
    xmp.extend_from_slice(b"<?xpacket end='w'?>");
    let extended_xmp = b"http://ns.adobe.com/xmp/extension/\x000123456789ABCDEF0123456789ABCDEF\
        \0\0\0\x10\0\0\0\0XMP-SECRET-MORE";
    let iptc = b"Photoshop 3.0\x008BIM\x04\x04\0\0\0\0\0\x13\x1C\x02\x78\0\x0FIPTC-SECRET-CAP\0";
    let mpf = b"MPF\0MM\0\x2A\0\0\0\x08\0\0\0\0\0\0";
    let segments = [
        exif_app1(exif),
        segment(0xE1, &xmp),
        segment(0xE1, extended_xmp),
        segment(0xE2, mpf),
        segment(0xED, iptc),
        segment(0xFE, b"COMMENT-SECRET"),
        segment(0xE9, b"SOMETHING-ELSE PRIVATE-CHUNK"),
    ];
    let mut out = insert_after_soi(jpeg, &segments);
    out.extend_from_slice(&insert_after_soi(second, &[segment(0xFE, b"SECOND-IMAGE")]));
    out.extend_from_slice(b"TRAILING-SECRET");
    out
}
