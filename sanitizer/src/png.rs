//! PNG: keeps the critical chunks and the ancillary ones that only describe colour, checks every
//! chunk's CRC, and stops at IEND. The orientation comes back as a minimal eXIf after IHDR.

use crate::detect::{self, PNG_SIGNATURE};
use crate::{orientation, SanitizeError, Stripped};

/// Ancillary chunks that change how the pixels look; every other ancillary chunk is dropped
/// (text, time, eXIf, pHYs, bKGD, sPLT and whatever may be invented later).
const COLOUR_CHUNKS: [&[u8; 4]; 7] = [b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"cICP"];

/// The largest chunk length PNG allows.
const MAX_CHUNK_LENGTH: usize = 0x7FFF_FFFF;

pub fn strip(input: &[u8]) -> Result<Stripped, SanitizeError> {
    let mut pos = PNG_SIGNATURE.len();
    let mut header: Option<(&[u8], u32, u32)> = None;
    let mut kept: Vec<&[u8]> = Vec::new();
    let mut orientation: Option<u16> = None;
    let mut has_data = false;
    loop {
        let chunk = next_chunk(input, pos)?;
        pos += chunk.whole.len();
        if header.is_none() && chunk.kind != *b"IHDR" {
            return Err(SanitizeError::Invalid);
        }
        match &chunk.kind {
            b"IHDR" => {
                if header.is_some() || chunk.data.len() != 13 {
                    return Err(SanitizeError::Invalid);
                }
                header = Some((chunk.whole, be_u32(chunk.data, 0)?, be_u32(chunk.data, 4)?));
            }
            b"IEND" => {
                kept.push(chunk.whole);
                break;
            }
            b"IDAT" => {
                has_data = true;
                kept.push(chunk.whole);
            }
            b"PLTE" => kept.push(chunk.whole),
            b"eXIf" => {
                if orientation.is_none() {
                    orientation = Some(orientation::read(chunk.data));
                }
            }
            b"acTL" => return Err(SanitizeError::Unsupported { detected: Some(detect::APNG) }),
            kind if COLOUR_CHUNKS.contains(&kind) => kept.push(chunk.whole),
            // An unknown critical chunk: the PNG rules say a decoder must give up.
            kind if kind[0].is_ascii_uppercase() => return Err(SanitizeError::Invalid),
            _ => {}
        }
    }
    let (ihdr, width, height) = header.ok_or(SanitizeError::Invalid)?;
    if !has_data {
        return Err(SanitizeError::Invalid);
    }
    let orientation = orientation.unwrap_or(1);

    let mut bytes = Vec::with_capacity(input.len());
    bytes.extend_from_slice(&PNG_SIGNATURE);
    bytes.extend_from_slice(ihdr);
    if orientation != 1 {
        write_chunk(&mut bytes, *b"eXIf", &orientation::minimal_tiff(orientation));
    }
    for chunk in kept {
        bytes.extend_from_slice(chunk);
    }
    Ok(Stripped { bytes, width, height, orientation })
}

struct Chunk<'a> {
    kind: [u8; 4],
    data: &'a [u8],
    /// Length, type, data and CRC, as found.
    whole: &'a [u8],
}

fn next_chunk(input: &[u8], pos: usize) -> Result<Chunk<'_>, SanitizeError> {
    let length = usize::try_from(be_u32(input, pos)?).map_err(|_| SanitizeError::Invalid)?;
    if length > MAX_CHUNK_LENGTH {
        return Err(SanitizeError::Invalid);
    }
    let end = pos.checked_add(12).and_then(|n| n.checked_add(length)).ok_or(SanitizeError::Invalid)?;
    let whole = input.get(pos..end).ok_or(SanitizeError::Invalid)?;
    let (kind_and_data, crc) =
        whole.get(4..).and_then(|rest| rest.split_at_checked(length + 4)).ok_or(SanitizeError::Invalid)?;
    let kind: [u8; 4] =
        kind_and_data.get(..4).and_then(|k| k.try_into().ok()).ok_or(SanitizeError::Invalid)?;
    if !kind.iter().all(u8::is_ascii_alphabetic) || crc32fast::hash(kind_and_data).to_be_bytes() != crc {
        return Err(SanitizeError::Invalid);
    }
    Ok(Chunk { kind, data: kind_and_data.get(4..).unwrap_or_default(), whole })
}

fn write_chunk(out: &mut Vec<u8>, kind: [u8; 4], data: &[u8]) {
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(&kind);
    hasher.update(data);
    // Only ever called with the few bytes of a minimal eXIf.
    out.extend_from_slice(&u32::try_from(data.len()).unwrap_or(u32::MAX).to_be_bytes());
    out.extend_from_slice(&kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&hasher.finalize().to_be_bytes());
}

fn be_u32(bytes: &[u8], at: usize) -> Result<u32, SanitizeError> {
    let end = at.checked_add(4).ok_or(SanitizeError::Invalid)?;
    match bytes.get(at..end) {
        Some(&[a, b, c, d]) => Ok(u32::from_be_bytes([a, b, c, d])),
        _ => Err(SanitizeError::Invalid),
    }
}
