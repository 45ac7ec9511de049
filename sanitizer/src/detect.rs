//! Recognises a file by its first bytes, never by its name or declared type, and names the
//! well-known formats that are refused so the user can be told what to do instead.

use crate::{MediaType, SanitizeError};

pub const HEIC: &str = "HEIC";
pub const HEIF: &str = "HEIF";
pub const AVIF: &str = "AVIF";
pub const VIDEO: &str = "Video";
pub const TIFF: &str = "TIFF";
pub const GIF: &str = "GIF";
pub const PDF: &str = "PDF";
pub const SVG: &str = "SVG";
pub const XML: &str = "XML";
pub const APNG: &str = "APNG";
pub const ANIMATED_WEBP: &str = "animiertes WebP";

pub const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

pub fn media_type(input: &[u8]) -> Result<MediaType, SanitizeError> {
    if input.is_empty() {
        return Err(SanitizeError::Invalid);
    }
    if input.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok(MediaType::Jpeg)
    } else if input.starts_with(&PNG_SIGNATURE) {
        Ok(MediaType::Png)
    } else if input.starts_with(b"RIFF") && input.get(8..12) == Some(b"WEBP") {
        Ok(MediaType::Webp)
    } else {
        Err(SanitizeError::Unsupported { detected: other_format(input) })
    }
}

fn other_format(input: &[u8]) -> Option<&'static str> {
    if input.get(4..8) == Some(b"ftyp") {
        Some(iso_media(input))
    } else if input.starts_with(b"II*\0") || input.starts_with(b"MM\0*") {
        Some(TIFF)
    } else if input.starts_with(b"GIF87a") || input.starts_with(b"GIF89a") {
        Some(GIF)
    } else if input.starts_with(b"%PDF-") {
        Some(PDF)
    } else {
        markup(input)
    }
}

/// ISO base media files (HEIF, AVIF, MP4, MOV) list their brands in the leading `ftyp` box.
fn iso_media(input: &[u8]) -> &'static str {
    let size = input.get(0..4).map_or(0, |b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
    let end = usize::try_from(size).unwrap_or(usize::MAX).min(input.len()).min(256);
    // The major brand, then (after the minor version) the compatible ones.
    let brands: Vec<&[u8]> =
        input.get(8..12).into_iter().chain(input.get(16..end).unwrap_or_default().chunks_exact(4)).collect();
    let has = |wanted: &[&[u8; 4]]| brands.iter().any(|brand| wanted.iter().any(|w| *brand == w.as_slice()));
    if has(&[b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"]) {
        HEIC
    } else if has(&[b"avif", b"avis"]) {
        AVIF
    } else if has(&[b"mif1", b"msf1"]) {
        HEIF
    } else {
        VIDEO
    }
}

fn markup(input: &[u8]) -> Option<&'static str> {
    let text = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let start = text.iter().position(|b| !b.is_ascii_whitespace())?;
    let head = text.get(start..text.len().min(start + 4096))?;
    if !head.starts_with(b"<") {
        return None;
    }
    if head.windows(4).any(|w| w.eq_ignore_ascii_case(b"<svg")) {
        Some(SVG)
    } else if head.starts_with(b"<?xml") {
        Some(XML)
    } else {
        None
    }
}
