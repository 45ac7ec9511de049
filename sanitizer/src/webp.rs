//! WebP: rebuilds the RIFF container from the image chunks alone. A simple file keeps its one
//! VP8/VP8L chunk; an extended (VP8X) file keeps ICCP, ALPH and the bitstream, gets its flags
//! and sizes recomputed, and an EXIF chunk holding only the orientation when that is not 1.

use crate::{detect, orientation, SanitizeError, Stripped};

const FLAG_ICC: u8 = 0x20;
const FLAG_ALPHA: u8 = 0x10;
const FLAG_EXIF: u8 = 0x08;
const FLAG_ANIMATION: u8 = 0x02;

struct Chunk<'a> {
    fourcc: [u8; 4],
    data: &'a [u8],
}

pub fn strip(input: &[u8]) -> Result<Stripped, SanitizeError> {
    let riff_size = usize::try_from(le_u32(input, 4)?).map_err(|_| SanitizeError::Invalid)?;
    // Bytes past the RIFF size are not part of the file and are dropped.
    let end = riff_size.checked_add(8).ok_or(SanitizeError::Invalid)?;
    let chunks = chunks(input.get(12..end).ok_or(SanitizeError::Invalid)?)?;
    let (first, rest) = chunks.split_first().ok_or(SanitizeError::Invalid)?;
    match &first.fourcc {
        b"VP8 " | b"VP8L" => {
            let (width, height) = bitstream_size(first)?;
            Ok(Stripped { bytes: riff(&[first]), width, height, orientation: 1 })
        }
        b"VP8X" => extended(first.data, rest),
        _ => Err(SanitizeError::Invalid),
    }
}

fn extended(vp8x: &[u8], rest: &[Chunk<'_>]) -> Result<Stripped, SanitizeError> {
    let &[flags, _, _, _, w0, w1, w2, h0, h1, h2, ..] = vp8x else {
        return Err(SanitizeError::Invalid);
    };
    let animated = flags & FLAG_ANIMATION != 0 || rest.iter().any(|c| matches!(&c.fourcc, b"ANIM" | b"ANMF"));
    if animated {
        return Err(SanitizeError::Unsupported { detected: Some(detect::ANIMATED_WEBP) });
    }
    let width = u32::from_le_bytes([w0, w1, w2, 0]) + 1;
    let height = u32::from_le_bytes([h0, h1, h2, 0]) + 1;

    let mut icc = None;
    let mut alpha = None;
    let mut bitstream: Option<&Chunk<'_>> = None;
    let mut orientation = None;
    for chunk in rest {
        match &chunk.fourcc {
            b"ICCP" if icc.is_none() => icc = Some(chunk),
            // Alpha for a lossy bitstream comes before it.
            b"ALPH" if alpha.is_none() && bitstream.is_none() => alpha = Some(chunk),
            b"VP8 " | b"VP8L" => {
                if bitstream.is_some() {
                    return Err(SanitizeError::Invalid);
                }
                bitstream = Some(chunk);
            }
            b"EXIF" if orientation.is_none() => orientation = Some(orientation::read(chunk.data)),
            // XMP, further ICCP/EXIF and unknown chunks.
            _ => {}
        }
    }
    let bitstream = bitstream.ok_or(SanitizeError::Invalid)?;
    bitstream_size(bitstream)?;
    let lossless = bitstream.fourcc == *b"VP8L";
    let orientation = orientation.unwrap_or(1);

    let mut header = vec![flags & FLAG_ALPHA, 0, 0, 0, w0, w1, w2, h0, h1, h2];
    if icc.is_some() {
        header[0] |= FLAG_ICC;
    }
    let exif = (orientation != 1).then(|| orientation::minimal_tiff(orientation));
    if exif.is_some() {
        header[0] |= FLAG_EXIF;
    }
    let header = Chunk { fourcc: *b"VP8X", data: &header };
    let exif = exif.as_deref().map(|data| Chunk { fourcc: *b"EXIF", data });
    let mut kept = vec![&header];
    kept.extend(icc);
    // A lossless bitstream carries its own alpha.
    kept.extend(alpha.filter(|_| !lossless));
    kept.push(bitstream);
    kept.extend(exif.as_ref());
    Ok(Stripped { bytes: riff(&kept), width, height, orientation })
}

/// The chunks of a RIFF body; each is padded to an even length (the last pad byte may be missing).
fn chunks(mut body: &[u8]) -> Result<Vec<Chunk<'_>>, SanitizeError> {
    let mut chunks = Vec::new();
    while !body.is_empty() {
        let fourcc: [u8; 4] = body.get(..4).and_then(|f| f.try_into().ok()).ok_or(SanitizeError::Invalid)?;
        let size = usize::try_from(le_u32(body, 4)?).map_err(|_| SanitizeError::Invalid)?;
        let end = size.checked_add(8).ok_or(SanitizeError::Invalid)?;
        let data = body.get(8..end).ok_or(SanitizeError::Invalid)?;
        chunks.push(Chunk { fourcc, data });
        body = body.get(end + size % 2..).unwrap_or_default();
    }
    Ok(chunks)
}

fn riff(chunks: &[&Chunk<'_>]) -> Vec<u8> {
    let body: usize = chunks.iter().map(|c| 8 + c.data.len() + c.data.len() % 2).sum();
    let mut out = Vec::with_capacity(12 + body);
    out.extend_from_slice(b"RIFF");
    // Never larger than the input's own RIFF size plus a minimal EXIF chunk.
    out.extend_from_slice(&u32::try_from(4 + body).unwrap_or(u32::MAX).to_le_bytes());
    out.extend_from_slice(b"WEBP");
    for chunk in chunks {
        out.extend_from_slice(&chunk.fourcc);
        out.extend_from_slice(&u32::try_from(chunk.data.len()).unwrap_or(u32::MAX).to_le_bytes());
        out.extend_from_slice(chunk.data);
        if chunk.data.len() % 2 == 1 {
            out.push(0);
        }
    }
    out
}

/// Width and height from the start of a VP8 (lossy) or VP8L (lossless) bitstream.
fn bitstream_size(chunk: &Chunk<'_>) -> Result<(u32, u32), SanitizeError> {
    match (&chunk.fourcc, chunk.data) {
        // Frame tag (bit 0 clear on a key frame), start code, then 14-bit sizes with 2 scale bits.
        (b"VP8 ", &[tag, _, _, 0x9D, 0x01, 0x2A, w0, w1, h0, h1, ..]) if tag & 1 == 0 => Ok((
            u32::from(u16::from_le_bytes([w0, w1]) & 0x3FFF),
            u32::from(u16::from_le_bytes([h0, h1]) & 0x3FFF),
        )),
        // Signature, then width - 1 and height - 1 in 14 bits each.
        (b"VP8L", &[0x2F, b0, b1, b2, b3, ..]) => {
            let bits = u32::from_le_bytes([b0, b1, b2, b3]);
            Ok(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1))
        }
        _ => Err(SanitizeError::Invalid),
    }
}

fn le_u32(bytes: &[u8], at: usize) -> Result<u32, SanitizeError> {
    let end = at.checked_add(4).ok_or(SanitizeError::Invalid)?;
    match bytes.get(at..end) {
        Some(&[a, b, c, d]) => Ok(u32::from_le_bytes([a, b, c, d])),
        _ => Err(SanitizeError::Invalid),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vp8(data: &[u8]) -> Result<(u32, u32), SanitizeError> {
        bitstream_size(&Chunk { fourcc: *b"VP8 ", data })
    }

    #[test]
    fn lossy_key_frames_give_their_size() {
        // 640 × 480, the scale bits (top two) set, which do not count.
        let header = [0x50, 0x2A, 0x00, 0x9D, 0x01, 0x2A, 0x80, 0x42, 0xE0, 0xC1, 0, 0];
        assert_eq!(vp8(&header), Ok((640, 480)));
        let mut inter_frame = header;
        inter_frame[0] |= 1;
        assert_eq!(vp8(&inter_frame), Err(SanitizeError::Invalid));
        assert_eq!(vp8(&header[..9]), Err(SanitizeError::Invalid));
    }

    #[test]
    fn an_unpadded_last_chunk_is_accepted() {
        let found = chunks(b"ABCD\x01\0\0\0x\0EFGH\x01\0\0\0y").unwrap();
        assert_eq!(found.len(), 2);
        assert_eq!(found[1].data, b"y");
        assert!(chunks(b"ABCD\x09\0\0\0x").is_err());
    }
}
