//! JPEG: copies the segments that define the picture and the entropy-coded scans byte for byte,
//! up to the first EOI, and nothing else. The orientation comes back as a minimal APP1 Exif
//! segment after SOI (after a JFIF APP0, reduced to its density, when the file had one).

use std::ops::Range;

use crate::{orientation, SanitizeError, Stripped};

// Marker codes (the byte after 0xFF); the scan proof uses them too.
pub(crate) const SOI: u8 = 0xD8;
pub(crate) const EOI: u8 = 0xD9;
pub(crate) const SOS: u8 = 0xDA;
pub(crate) const DQT: u8 = 0xDB;
pub(crate) const DNL: u8 = 0xDC;
pub(crate) const DRI: u8 = 0xDD;
pub(crate) const DHP: u8 = 0xDE;
pub(crate) const EXP: u8 = 0xDF;
pub(crate) const DHT: u8 = 0xC4;
const JPG: u8 = 0xC8;
pub(crate) const DAC: u8 = 0xCC;
const APP0: u8 = 0xE0;
const APP1: u8 = 0xE1;
const APP2: u8 = 0xE2;
pub(crate) const APP14: u8 = 0xEE;
const TEM: u8 = 0x01;

pub fn strip(input: &[u8]) -> Result<Stripped, SanitizeError> {
    let walk = walk(input)?;
    let (width, height) = walk.frame.ok_or(SanitizeError::Invalid)?;
    let mut bytes = walk.out;
    bytes.extend_from_slice(&[0xFF, EOI]);
    Ok(Stripped { bytes, width, height, orientation: walk.orientation.unwrap_or(1) })
}

/// What the walk over the segments found.
#[derive(Default)]
struct Walk {
    /// Before the first scan: the parts of the input that are kept, in order; neighbours are
    /// merged.
    kept: Vec<Range<usize>>,
    /// From the first scan on: SOI, the new JFIF and Exif segments, the parts kept before it,
    /// then everything kept, copied as the walk goes (one allocation, one pass over the scans).
    out: Vec<u8>,
    frame: Option<(u32, u32)>,
    orientation: Option<u16>,
    jfif: Option<[u8; 14]>,
}

impl Walk {
    fn keep(&mut self, input: &[u8], range: Range<usize>) -> Result<(), SanitizeError> {
        if !self.out.is_empty() {
            self.out.extend_from_slice(input.get(range).ok_or(SanitizeError::Invalid)?);
            return Ok(());
        }
        match self.kept.last_mut() {
            Some(last) if last.end == range.start => last.end = range.end,
            _ => self.kept.push(range),
        }
        Ok(())
    }

    /// At the first scan, when the orientation and JFIF are known (only segments before it
    /// count): starts the output.
    fn start_output(&mut self, input: &[u8]) -> Result<(), SanitizeError> {
        let mut out = Vec::with_capacity(input.len() + 64);
        out.extend_from_slice(&[0xFF, SOI]);
        if let Some(jfif) = self.jfif {
            out.extend_from_slice(&[0xFF, APP0, 0, 16]);
            out.extend_from_slice(&jfif);
        }
        let orientation = self.orientation.unwrap_or(1);
        if orientation != 1 {
            let body = orientation::minimal_app1_body(orientation);
            let length = u16::try_from(body.len() + 2).map_err(|_| SanitizeError::Invalid)?;
            out.extend_from_slice(&[0xFF, APP1]);
            out.extend_from_slice(&length.to_be_bytes());
            out.extend_from_slice(&body);
        }
        for range in self.kept.drain(..) {
            out.extend_from_slice(input.get(range).ok_or(SanitizeError::Invalid)?);
        }
        self.out = out;
        Ok(())
    }
}

/// Reads the segments up to the first EOI and copies what is kept.
fn walk(input: &[u8]) -> Result<Walk, SanitizeError> {
    if !input.starts_with(&[0xFF, SOI]) {
        return Err(SanitizeError::Invalid);
    }
    let mut walk = Walk::default();
    let mut scans = 0usize;
    let mut pos = 2;
    loop {
        let marker;
        (marker, pos) = marker_at(input, pos)?;
        match marker {
            EOI if scans > 0 => return Ok(walk),
            EOI | SOI | 0x00 => return Err(SanitizeError::Invalid),
            // Markers without a length; meaningless outside a scan.
            TEM | 0xD0..=0xD7 => continue,
            _ => {}
        }
        let (body, end) = segment_body(input, pos)?;
        // The marker and its segment, without any padding before it.
        let segment = pos - 2..end;
        match marker {
            // Its presence tells decoders that three channels are YCbCr, so it stays, minus its
            // thumbnail.
            APP0 if walk.jfif.is_none() && scans == 0 && body.starts_with(b"JFIF\0") => {
                walk.jfif = Some(minimal_jfif(body));
            }
            // Like viewers, only an Exif segment before the first scan counts.
            APP1 if walk.orientation.is_none() && scans == 0 && body.starts_with(b"Exif\0\0") => {
                walk.orientation = Some(orientation::read(body));
            }
            APP2 if body.starts_with(b"ICC_PROFILE\0") => walk.keep(input, segment)?,
            // Says whether three channels are YCbCr or RGB, four CMYK or YCCK.
            APP14 if body.starts_with(b"Adobe") => walk.keep(input, segment)?,
            DQT | DHT | DAC | DRI | DNL | DHP | EXP => walk.keep(input, segment)?,
            0xC0..=0xCF if marker != DHT && marker != JPG && marker != DAC => {
                if walk.frame.is_some() {
                    return Err(SanitizeError::Invalid);
                }
                walk.frame = Some(frame_size(body)?);
                walk.keep(input, segment)?;
            }
            SOS => {
                if walk.frame.is_none() {
                    return Err(SanitizeError::Invalid);
                }
                if walk.out.is_empty() {
                    walk.start_output(input)?;
                }
                walk.keep(input, segment)?;
                pos = copy_entropy_coded(input, end, &mut walk.out)?;
                scans += 1;
                continue;
            }
            // Every other APPn (Exif, XMP, MPF, IPTC, JFIF thumbnails …), COM and unknown markers.
            _ => {}
        }
        pos = end;
    }
}

/// The marker code at `pos` (0xFF, any number of 0xFF padding, the code) and where what follows
/// it starts.
pub(crate) fn marker_at(input: &[u8], mut pos: usize) -> Result<(u8, usize), SanitizeError> {
    if input.get(pos) != Some(&0xFF) {
        return Err(SanitizeError::Invalid);
    }
    while input.get(pos) == Some(&0xFF) {
        pos += 1;
    }
    let marker = *input.get(pos).ok_or(SanitizeError::Invalid)?;
    Ok((marker, pos + 1))
}

/// The body of the segment whose length field starts at `pos`, and where the segment ends.
pub(crate) fn segment_body(input: &[u8], pos: usize) -> Result<(&[u8], usize), SanitizeError> {
    let length = usize::from(u16::from_be_bytes(be_pair(input, pos)?));
    let end = pos.checked_add(length).ok_or(SanitizeError::Invalid)?;
    let body = input.get(pos + 2..end).ok_or(SanitizeError::Invalid)?;
    Ok((body, end))
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

/// Bytes of entropy-coded data looked at together: enough for the compiler to compare them 16
/// at a time with one test per block, few enough that a block with a restart marker costs
/// little to read again byte by byte. (256 measured 15 % faster than 64 on the benchmark.)
const BLOCK: usize = 256;

/// Bytes of entropy-coded data checked before they are copied together: few enough that they
/// are still in the first-level cache for the copy.
const CHUNK: usize = 8192;

/// Copies the entropy-coded data starting at `start` to `out`, up to the marker that ends it,
/// and returns that marker's offset. Inside it, 0xFF is followed by 0x00 (a stuffed data byte),
/// by RST0–7, or by more 0xFF padding.
///
/// This is where the strip spends its time. A phone photo has a 0xFF about every 80 bytes,
/// nearly all of them stuffed, so searching for each one (`memchr`) pays a search's start-up
/// cost tens of thousands of times; checking whole blocks for a 0xFF followed by anything but
/// 0x00 lets only the blocks with restart markers or the end take the slow path. Checking a
/// chunk and then copying it while it is in the cache makes the check and copy nearly one pass.
fn copy_entropy_coded(input: &[u8], start: usize, out: &mut Vec<u8>) -> Result<usize, SanitizeError> {
    let data = input.get(start..).ok_or(SanitizeError::Invalid)?;
    let mut copied = 0;
    let mut from = 0;
    // Each block with the byte after it, so that a 0xFF at its end is judged too.
    while let Some(window) = data.get(from..=from + BLOCK).and_then(|w| <&[u8; BLOCK + 1]>::try_from(w).ok())
    {
        if may_hold_a_marker(&window[..BLOCK], &window[1..]) {
            if let Some(end) = first_marker(data, from..from + BLOCK)? {
                out.extend_from_slice(&data[copied..end]);
                return Ok(start + end);
            }
        }
        from += BLOCK;
        if from - copied >= CHUNK {
            out.extend_from_slice(&data[copied..from]);
            copied = from;
        }
    }
    let end = first_marker(data, from..data.len())?.ok_or(SanitizeError::Invalid)?;
    out.extend_from_slice(&data[copied..end]);
    Ok(start + end)
}

/// Whether some 0xFF in `block` is followed (in `next`, the same bytes one further on) by
/// something other than a stuffed 0x00. No early exit, so that it compiles to vector compares:
/// the byte after each 0xFF, masked by one compare, is or-ed into `found`.
fn may_hold_a_marker(block: &[u8], next: &[u8]) -> bool {
    let found = block
        .iter()
        .zip(next)
        .fold(0u8, |found, (&byte, &after)| found | (after & u8::from(byte == 0xFF).wrapping_neg()));
    found != 0
}

/// The first marker in `range` of `data` that is not a restart marker or padding, byte by byte.
fn first_marker(data: &[u8], range: Range<usize>) -> Result<Option<usize>, SanitizeError> {
    for at in range {
        if data.get(at) == Some(&0xFF) {
            match data.get(at + 1) {
                None => return Err(SanitizeError::Invalid),
                Some(0x00 | 0xD0..=0xD7 | 0xFF) => {}
                Some(_) => return Ok(Some(at)),
            }
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::xorshift;

    /// The same answers as the plain byte-by-byte rule, wherever the marker falls in a block or
    /// a chunk, and exactly the bytes before it copied.
    #[test]
    fn the_block_scan_finds_what_a_byte_scan_finds() {
        let mut state = 0x2545_F491_4F6C_DD1D_u64;
        let mut next = move || {
            xorshift(&mut state);
            usize::try_from(state % 1_000_003).unwrap()
        };
        let check = |data: &[u8]| {
            let expected =
                first_marker(data, 1..data.len()).and_then(|end| end.ok_or(SanitizeError::Invalid));
            let mut out = vec![7];
            let found = copy_entropy_coded(data, 1, &mut out);
            assert_eq!(found, expected, "{data:02X?}");
            if let Ok(end) = found {
                assert_eq!(out[1..], data[1..end]);
            }
        };
        for len in [0, 1, 2, 63, 64, 65, 127, 128, 129, 300] {
            for _ in 0..50 {
                // Mostly 0xFF 0x00 pairs and 0xFF padding, sometimes RST or a marker.
                let mut data: Vec<u8> =
                    (0..len).map(|_| [0xFF, 0x00, 0x00, 0x12, 0xFF, 0xD3, 0xD9][next() % 7]).collect();
                data.insert(0, 0x42);
                check(&data);
            }
        }
        // Long data with stuffed bytes and restart markers, a marker somewhere or none.
        for len in [4095, 4096, 4097, 8191, 8193, 20_000] {
            for _ in 0..20 {
                let mut data: Vec<u8> = (0..len).map(|_| [0x12, 0xFF, 0x00, 0x34][next() % 4]).collect();
                for at in 0..len - 1 {
                    if data[at] == 0xFF && data[at + 1] != 0xFF {
                        data[at + 1] = if next() % 500 == 0 { 0xD5 } else { 0x00 };
                    }
                }
                let marker = next() % (len + 100);
                if marker > 0 && marker + 1 < len && data[marker - 1] != 0xFF {
                    data[marker..marker + 2].copy_from_slice(&[0xFF, 0xD9]);
                }
                data.insert(0, 0x42);
                check(&data);
            }
        }
        assert_eq!(copy_entropy_coded(&[0xFF], 2, &mut Vec::new()), Err(SanitizeError::Invalid));
    }
}
