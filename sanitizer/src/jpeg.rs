//! JPEG: copies the segments that define the picture and the entropy-coded scans byte for byte,
//! up to the first EOI, and nothing else. The orientation comes back as a minimal APP1 Exif
//! segment after SOI (after a JFIF APP0, reduced to its density, when the file had one).

use crate::{orientation, SanitizeError, Stripped};

const SOI: u8 = 0xD8;
const EOI: u8 = 0xD9;
const SOS: u8 = 0xDA;
const DQT: u8 = 0xDB;
const DNL: u8 = 0xDC;
const DRI: u8 = 0xDD;
const DHP: u8 = 0xDE;
const EXP: u8 = 0xDF;
const DHT: u8 = 0xC4;
const JPG: u8 = 0xC8;
const DAC: u8 = 0xCC;
const APP0: u8 = 0xE0;
const APP1: u8 = 0xE1;
const APP2: u8 = 0xE2;
const APP14: u8 = 0xEE;
const TEM: u8 = 0x01;

pub fn strip(input: &[u8]) -> Result<Stripped, SanitizeError> {
    if !input.starts_with(&[0xFF, SOI]) {
        return Err(SanitizeError::Invalid);
    }
    let mut kept = Vec::with_capacity(input.len());
    let mut frame: Option<(u32, u32)> = None;
    let mut orientation: Option<u16> = None;
    let mut jfif: Option<[u8; 14]> = None;
    let mut scans = 0usize;
    let mut pos = 2;
    loop {
        // A marker is 0xFF and a code; any number of 0xFF may pad before it.
        if input.get(pos) != Some(&0xFF) {
            return Err(SanitizeError::Invalid);
        }
        while input.get(pos) == Some(&0xFF) {
            pos += 1;
        }
        let marker = *input.get(pos).ok_or(SanitizeError::Invalid)?;
        pos += 1;
        match marker {
            EOI if scans > 0 => break,
            EOI | SOI | 0x00 => return Err(SanitizeError::Invalid),
            // Markers without a length; meaningless outside a scan.
            TEM | 0xD0..=0xD7 => continue,
            _ => {}
        }
        let length = usize::from(u16::from_be_bytes(be_pair(input, pos)?));
        let end = pos.checked_add(length).ok_or(SanitizeError::Invalid)?;
        let body = input.get(pos + 2..end).ok_or(SanitizeError::Invalid)?;
        let segment = input.get(pos - 2..end).ok_or(SanitizeError::Invalid)?;
        match marker {
            // Its presence tells decoders that three channels are YCbCr, so it stays, minus its
            // thumbnail.
            APP0 if jfif.is_none() && body.starts_with(b"JFIF\0") => jfif = Some(minimal_jfif(body)),
            // Like viewers, only an Exif segment before the first scan counts.
            APP1 if orientation.is_none() && scans == 0 && body.starts_with(b"Exif\0\0") => {
                orientation = Some(orientation::read(body));
            }
            APP2 if body.starts_with(b"ICC_PROFILE\0") => kept.extend_from_slice(segment),
            // Says whether three channels are YCbCr or RGB, four CMYK or YCCK.
            APP14 if body.starts_with(b"Adobe") => kept.extend_from_slice(segment),
            DQT | DHT | DAC | DRI | DNL | DHP | EXP => kept.extend_from_slice(segment),
            0xC0..=0xCF if marker != DHT && marker != JPG && marker != DAC => {
                if frame.is_some() {
                    return Err(SanitizeError::Invalid);
                }
                frame = Some(frame_size(body)?);
                kept.extend_from_slice(segment);
            }
            SOS => {
                if frame.is_none() {
                    return Err(SanitizeError::Invalid);
                }
                kept.extend_from_slice(segment);
                let scan_end = entropy_end(input, end)?;
                kept.extend_from_slice(input.get(end..scan_end).ok_or(SanitizeError::Invalid)?);
                pos = scan_end;
                scans += 1;
                continue;
            }
            // Every other APPn (Exif, XMP, MPF, IPTC, JFIF thumbnails …), COM and unknown markers.
            _ => {}
        }
        pos = end;
    }
    let (width, height) = frame.ok_or(SanitizeError::Invalid)?;
    let orientation = orientation.unwrap_or(1);

    let mut bytes = Vec::with_capacity(kept.len() + 40);
    bytes.extend_from_slice(&[0xFF, SOI]);
    if let Some(jfif) = jfif {
        bytes.extend_from_slice(&[0xFF, APP0, 0, 16]);
        bytes.extend_from_slice(&jfif);
    }
    if orientation != 1 {
        let body = orientation::minimal_app1_body(orientation);
        let length = u16::try_from(body.len() + 2).map_err(|_| SanitizeError::Invalid)?;
        bytes.extend_from_slice(&[0xFF, APP1]);
        bytes.extend_from_slice(&length.to_be_bytes());
        bytes.extend_from_slice(&body);
    }
    bytes.extend_from_slice(&kept);
    bytes.extend_from_slice(&[0xFF, EOI]);
    Ok(Stripped { bytes, width, height, orientation })
}

/// A JFIF body with the original version and pixel density, and no thumbnail.
fn minimal_jfif(body: &[u8]) -> [u8; 14] {
    let mut jfif = *b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0";
    if let (Some(kept), Some(found)) = (jfif.get_mut(5..12), body.get(5..12)) {
        kept.copy_from_slice(found);
    }
    jfif
}

fn be_pair(input: &[u8], at: usize) -> Result<[u8; 2], SanitizeError> {
    match input.get(at..at.checked_add(2).ok_or(SanitizeError::Invalid)?) {
        Some(&[a, b]) => Ok([a, b]),
        _ => Err(SanitizeError::Invalid),
    }
}

/// Width and height from a SOF body (precision, height, width, components …).
fn frame_size(body: &[u8]) -> Result<(u32, u32), SanitizeError> {
    let height = u16::from_be_bytes(be_pair(body, 1)?);
    let width = u16::from_be_bytes(be_pair(body, 3)?);
    // Height 0 defers it to a DNL marker, which hardly any decoder supports.
    if height == 0 || width == 0 {
        return Err(SanitizeError::Invalid);
    }
    Ok((width.into(), height.into()))
}

/// The offset of the marker that ends the entropy-coded data starting at `start`. Inside it,
/// 0xFF is followed by 0x00 (a stuffed data byte), by RST0–7, or by more 0xFF padding.
fn entropy_end(input: &[u8], start: usize) -> Result<usize, SanitizeError> {
    let mut i = start;
    loop {
        let rest = input.get(i..).ok_or(SanitizeError::Invalid)?;
        i += rest.iter().position(|&b| b == 0xFF).ok_or(SanitizeError::Invalid)?;
        match input.get(i + 1) {
            None => return Err(SanitizeError::Invalid),
            Some(0x00 | 0xD0..=0xD7) => i += 2,
            Some(0xFF) => i += 1,
            Some(_) => return Ok(i),
        }
    }
}
