//! Test images: small pictures encoded in code, then stuffed by hand with what phones and photo
//! editors write around the pixels (the JPEG pieces live in `corpus`, which the benchmark shares).
//! Every planted string is listed in `SECRETS`.

use image::{ExtendedColorType, ImageEncoder};

pub use crate::corpus::{
    dress_as_phone, exif_app1, exif_tiff, icc_profile, insert_after_soi, pixels, segment, thumbnail_jpeg,
    tiny_jpeg,
};

/// Strings planted in the metadata of the test images; none may survive sanitizing.
pub const SECRETS: &[&str] = &[
    "PhoneMaker",
    "Pixelphone 9",
    "Erika Mustermann",
    "2024:05:17",
    "SN-4711",
    "MAKERNOTE-SECRET",
    "GPS",
    "ThumbMaker",
    "http://ns.adobe.com/xap",
    "http://ns.adobe.com/xmp/extension",
    "XMP-SECRET",
    "Photoshop 3.0",
    "IPTC-SECRET",
    "COMMENT-SECRET",
    "MPF",
    "SECOND-IMAGE",
    "TRAILING-SECRET",
    "Author",
    "TEXT-SECRET",
    "XML:com.adobe.xmp",
    "tIME",
    "zTXt",
    "PRIVATE-CHUNK",
];

pub const WIDTH: u32 = 40;
pub const HEIGHT: u32 = 24;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JpegKind {
    Baseline,
    Progressive,
    /// RST markers every MCU.
    Restart,
    /// Four channels, with an Adobe APP14 segment that says so.
    Cmyk,
    Gray,
}

pub const JPEG_KINDS: [JpegKind; 5] =
    [JpegKind::Baseline, JpegKind::Progressive, JpegKind::Restart, JpegKind::Cmyk, JpegKind::Gray];

/// Pixels only, plus the encoder's JFIF, ICC (in two APP2 chunks) and, for CMYK, Adobe segments.
pub fn plain_jpeg(kind: JpegKind, icc: Option<&[u8]>) -> Vec<u8> {
    use jpeg_encoder::{ColorType, Encoder};
    let mut out = Vec::new();
    let mut encoder = Encoder::new(&mut out, 90);
    match kind {
        JpegKind::Progressive => encoder.set_progressive(true),
        JpegKind::Restart => encoder.set_restart_interval(1),
        _ => {}
    }
    if let Some(icc) = icc {
        encoder.add_icc_profile(icc).unwrap();
    }
    let (color, channels) = match kind {
        JpegKind::Cmyk => (ColorType::Cmyk, 4),
        JpegKind::Gray => (ColorType::Luma, 1),
        _ => (ColorType::Rgb, 3),
    };
    let (width, height) = (u16::try_from(WIDTH).unwrap(), u16::try_from(HEIGHT).unwrap());
    encoder.encode(&pixels(WIDTH, HEIGHT, channels), width, height, color).unwrap();
    out
}

/// A JPEG with everything a phone and an editor put around the pixels, and more after its end.
pub fn phone_jpeg(kind: JpegKind, orientation: u16, little_endian: bool) -> Vec<u8> {
    let exif = exif_tiff("PhoneMaker", orientation, Some(&thumbnail_jpeg(&tiny_jpeg())), little_endian);
    dress_as_phone(&plain_jpeg(kind, Some(&icc_profile(70_000))), &exif, &tiny_jpeg())
}

/// The APP2 ICC_PROFILE segments of a JPEG, in file order.
pub fn icc_segments(jpeg: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut pos = 2;
    while jpeg[pos] == 0xFF && jpeg[pos + 1] != 0xDA {
        let length = usize::from(u16::from_be_bytes([jpeg[pos + 2], jpeg[pos + 3]]));
        let segment = &jpeg[pos..pos + 2 + length];
        if segment[1] == 0xE2 && segment[4..].starts_with(b"ICC_PROFILE\0") {
            out.push(segment.to_vec());
        }
        pos += 2 + length;
    }
    out
}

pub fn png_chunk(kind: [u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
    out.extend_from_slice(&kind);
    out.extend_from_slice(data);
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(&kind);
    hasher.update(data);
    out.extend_from_slice(&hasher.finalize().to_be_bytes());
    out
}

/// zlib with stored (uncompressed) blocks, enough for zTXt and iCCP.
pub fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = data.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        out.push(u8::from(i + 1 == blocks.len()));
        let len = u16::try_from(block.len()).unwrap();
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    out.extend_from_slice(&((b << 16) | a).to_be_bytes());
    out
}

pub fn plain_png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(&pixels(width, height, 4), width, height, ExtendedColorType::Rgba8)
        .unwrap();
    out
}

/// The iCCP chunk body: profile name, compression method, zlib data.
pub fn iccp_body(icc: &[u8]) -> Vec<u8> {
    [b"Display P3\0\0".as_slice(), &zlib_stored(icc)].concat()
}

/// A PNG with text, XMP, EXIF, time, an ICC profile, a private chunk, and junk after IEND.
pub fn phone_png(orientation: u16) -> Vec<u8> {
    let png = plain_png(WIDTH, HEIGHT);
    let (head, rest) = png.split_at(33); // signature and IHDR
    let mut out = head.to_vec();
    out.extend(png_chunk(*b"tEXt", b"Author\0Erika Mustermann"));
    out.extend(png_chunk(*b"iCCP", &iccp_body(&icc_profile(3_000))));
    out.extend(png_chunk(*b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta>XMP-SECRET</x:xmpmeta>"));
    out.extend(png_chunk(*b"zTXt", &[b"Comment\0\0".as_slice(), &zlib_stored(b"TEXT-SECRET")].concat()));
    out.extend(png_chunk(*b"eXIf", &exif_tiff("PhoneMaker", orientation, None, false)));
    out.extend(png_chunk(*b"tIME", &[0x07, 0xE8, 5, 17, 10, 11, 12]));
    out.extend(png_chunk(*b"pHYs", &[0, 0, 0x0B, 0x13, 0, 0, 0x0B, 0x13, 1]));
    out.extend(png_chunk(*b"prVt", b"PRIVATE-CHUNK"));
    out.extend_from_slice(rest);
    out.extend_from_slice(b"TRAILING-SECRET");
    out
}

pub fn riff_chunk(fourcc: [u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = fourcc.to_vec();
    out.extend_from_slice(&u32::try_from(data.len()).unwrap().to_le_bytes());
    out.extend_from_slice(data);
    if data.len() % 2 == 1 {
        out.push(0);
    }
    out
}

pub fn riff(chunks: &[Vec<u8>]) -> Vec<u8> {
    let body = chunks.concat();
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&u32::try_from(body.len() + 4).unwrap().to_le_bytes());
    out.extend_from_slice(b"WEBP");
    out.extend_from_slice(&body);
    out
}

/// A simple lossless WebP (RIFF with a single VP8L chunk).
pub fn plain_webp(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::webp::WebPEncoder::new_lossless(&mut out)
        .write_image(&pixels(width, height, 4), width, height, ExtendedColorType::Rgba8)
        .unwrap();
    out
}

/// The VP8L chunk (header and data) out of `plain_webp`.
pub fn vp8l_chunk(width: u32, height: u32) -> Vec<u8> {
    let webp = plain_webp(width, height);
    let start = webp.windows(4).position(|w| w == b"VP8L").unwrap();
    let size = usize::try_from(u32::from_le_bytes(webp[start + 4..start + 8].try_into().unwrap())).unwrap();
    riff_chunk(*b"VP8L", &webp[start + 8..start + 8 + size])
}

pub fn vp8x_chunk(flags: u8, width: u32, height: u32) -> Vec<u8> {
    let mut data = vec![flags, 0, 0, 0];
    data.extend_from_slice(&(width - 1).to_le_bytes()[..3]);
    data.extend_from_slice(&(height - 1).to_le_bytes()[..3]);
    riff_chunk(*b"VP8X", &data)
}

/// An extended WebP with ICC profile, EXIF, XMP, a private chunk, and junk after the RIFF.
pub fn phone_webp(orientation: u16) -> Vec<u8> {
    let mut out = riff(&[
        vp8x_chunk(0x20 | 0x10 | 0x08 | 0x04, WIDTH, HEIGHT),
        riff_chunk(*b"ICCP", &icc_profile(1_001)),
        vp8l_chunk(WIDTH, HEIGHT),
        riff_chunk(
            *b"EXIF",
            &exif_tiff("PhoneMaker", orientation, Some(&thumbnail_jpeg(&tiny_jpeg())), true),
        ),
        riff_chunk(*b"XMP ", b"<x:xmpmeta xmlns:x='http://ns.adobe.com/xap/1.0/'>XMP-SECRET</x:xmpmeta>"),
        riff_chunk(*b"PRIV", b"PRIVATE-CHUNK"),
    ]);
    out.extend_from_slice(b"TRAILING-SECRET");
    out
}

/// Steps a xorshift64 generator: cheap, deterministic numbers for the tests that damage files.
pub fn xorshift(state: &mut u64) {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
}
