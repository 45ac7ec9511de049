//! The decode proof for sequential Huffman JPEGs (what phones write): every block of every
//! component is Huffman-decoded from the scans, without the inverse DCT, upsampling and colour
//! conversion that follow. Those steps turn any set of coefficients into pixels and cannot fail
//! once the colour transform fits the components (checked here too), so a file that passes here
//! decodes whole; the tests and the fuzz target hold the `image` crate to that.
//!
//! It is also stricter than a decoder: a scan whose data ends before its last block is refused,
//! where decoders (zune-jpeg, jpeg-decoder, libjpeg) quietly fill the rest of the picture with
//! grey. Layouts this module does not take up (progressive, lossless, arithmetic coding, 12-bit,
//! unusual sampling) are [`Proof::Unsupported`], and the caller decodes them fully instead.

use crate::jpeg::{marker_at, segment_body, APP14, DAC, DHP, DHT, DNL, DQT, DRI, EOI, EXP, SOI, SOS};
use crate::SanitizeError;

/// What [`prove`] found.
#[derive(Debug, PartialEq, Eq)]
pub enum Proof {
    /// Every block of every component decodes.
    Whole,
    /// A layout this module does not check; decode the image to prove it.
    Unsupported,
}

/// Baseline and extended sequential Huffman frames.
const SOF0: u8 = 0xC0;
const SOF1: u8 = 0xC1;

/// Proves that the JPEG `bytes` (a stripped file: SOI, segments, scans, EOI) decodes whole.
pub fn prove(bytes: &[u8]) -> Result<Proof, SanitizeError> {
    let mut state = State::default();
    let mut pos = 2;
    if !bytes.starts_with(&[0xFF, SOI]) {
        return Err(SanitizeError::Invalid);
    }
    loop {
        let (marker, body, end) = segment(bytes, pos)?;
        match marker {
            EOI => {
                let frame = state.frame.as_ref().ok_or(SanitizeError::Invalid)?;
                // Every component must have been in a scan.
                if !frame.components.iter().all(|c| c.scanned) {
                    return Err(SanitizeError::Invalid);
                }
                // Colour transforms that fit the components: three YCbCr or RGB, four CMYK or
                // YCCK. Decoders differ on the rest (refuse, guess or decode as separate bands).
                let fits = |transform: &Option<u8>| {
                    matches!((frame.components.len(), transform), (3, Some(0 | 1)) | (4, Some(0 | 2)))
                };
                return Ok(if state.adobe.iter().all(fits) { Proof::Whole } else { Proof::Unsupported });
            }
            SOF0 | SOF1 => {
                if state.frame.is_some() {
                    return Err(SanitizeError::Invalid);
                }
                match Frame::parse(body)? {
                    Some(frame) => state.frame = Some(frame),
                    None => return Ok(Proof::Unsupported),
                }
            }
            DHT => state.define_huffman(body)?,
            DQT => state.define_quantization(body)?,
            DRI => {
                let &[high, low] = body else {
                    return Err(SanitizeError::Invalid);
                };
                state.restart_interval = usize::from(u16::from_be_bytes([high, low]));
            }
            // The colour transform, after "Adobe", a version and two flag words.
            APP14 if body.starts_with(b"Adobe") => state.adobe.push(body.get(11).copied()),
            // Progressive, lossless, hierarchical or arithmetic-coded frames, arithmetic
            // conditioning, a height given after the first scan: rare, and not checked here.
            0xC2 | 0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF | DAC | DNL | DHP | EXP => {
                return Ok(Proof::Unsupported);
            }
            SOS => {
                pos = state.scan(bytes, body, end)?;
                continue;
            }
            // The minimal JFIF and Exif segments and ICC profile chunks the stripper keeps.
            _ => {}
        }
        pos = end;
    }
}

/// The marker at `pos`, its body and where the segment ends. EOI has no body.
fn segment(bytes: &[u8], pos: usize) -> Result<(u8, &[u8], usize), SanitizeError> {
    let (marker, pos) = marker_at(bytes, pos)?;
    if marker == EOI {
        return Ok((marker, &[], pos));
    }
    let (body, end) = segment_body(bytes, pos)?;
    Ok((marker, body, end))
}

#[derive(Default)]
struct State {
    frame: Option<Frame>,
    /// DC tables 0–3, then AC tables 0–3.
    tables: [Option<Box<Huffman>>; 8],
    quantization: [bool; 4],
    restart_interval: usize,
    /// The colour transform of each Adobe segment (`None` when it is too short to hold one).
    adobe: Vec<Option<u8>>,
}

struct Frame {
    width: usize,
    height: usize,
    components: Vec<Component>,
    max_h: usize,
    max_v: usize,
}

struct Component {
    id: u8,
    h: usize,
    v: usize,
    quantization: usize,
    scanned: bool,
}

impl Frame {
    /// `None` for what this module leaves to a full decode: 12-bit samples, a height that a
    /// DNL marker gives later, two components, sampling factors other than 1 and 2.
    fn parse(body: &[u8]) -> Result<Option<Frame>, SanitizeError> {
        let [precision, h1, h0, w1, w0, count, rest @ ..] = body else {
            return Err(SanitizeError::Invalid);
        };
        let height = usize::from(u16::from_be_bytes([*h1, *h0]));
        let width = usize::from(u16::from_be_bytes([*w1, *w0]));
        let count = usize::from(*count);
        if rest.len() != 3 * count || count == 0 {
            return Err(SanitizeError::Invalid);
        }
        if *precision != 8 || height == 0 || width == 0 || !matches!(count, 1 | 3 | 4) {
            return Ok(None);
        }
        let mut components: Vec<Component> = Vec::with_capacity(count);
        for spec in rest.chunks_exact(3) {
            let (h, v, quantization) =
                (usize::from(spec[1] >> 4), usize::from(spec[1] & 15), usize::from(spec[2]));
            if quantization > 3 || components.iter().any(|c| c.id == spec[0]) {
                return Err(SanitizeError::Invalid);
            }
            if !(1..=2).contains(&h) || !(1..=2).contains(&v) {
                return Ok(None);
            }
            components.push(Component { id: spec[0], h, v, quantization, scanned: false });
        }
        let max_h = components.iter().map(|c| c.h).max().unwrap_or(1);
        let max_v = components.iter().map(|c| c.v).max().unwrap_or(1);
        // Decoders handle subsampled chroma, not a subsampled luma beside full-size chroma.
        if components.len() > 1 && (components[0].h != max_h || components[0].v != max_v) {
            return Ok(None);
        }
        Ok(Some(Frame { width, height, components, max_h, max_v }))
    }
}

impl State {
    fn define_quantization(&mut self, mut body: &[u8]) -> Result<(), SanitizeError> {
        while let [info, rest @ ..] = body {
            let size = if info >> 4 == 0 { 64 } else { 128 };
            let id = usize::from(info & 15);
            if id > 3 || rest.len() < size {
                return Err(SanitizeError::Invalid);
            }
            self.quantization[id] = true;
            body = &rest[size..];
        }
        Ok(())
    }

    fn define_huffman(&mut self, mut body: &[u8]) -> Result<(), SanitizeError> {
        while let [info, rest @ ..] = body {
            let (class, id) = (usize::from(info >> 4), usize::from(info & 15));
            if class > 1 || id > 3 || rest.len() < 16 {
                return Err(SanitizeError::Invalid);
            }
            let counts: [u8; 16] = rest[..16].try_into().map_err(|_| SanitizeError::Invalid)?;
            let total = counts.iter().map(|&n| usize::from(n)).sum::<usize>();
            let values = rest.get(16..16 + total).ok_or(SanitizeError::Invalid)?;
            // A DC value is the size of a difference; decoders refuse tables with larger ones.
            if class == 0 && values.iter().any(|&size| size > 15) {
                return Err(SanitizeError::Invalid);
            }
            self.tables[class * 4 + id] = Some(Box::new(Huffman::new(&counts, values, class == 1)?));
            body = &rest[16 + total..];
        }
        Ok(())
    }

    /// Checks the scan whose header is `header` and whose data starts at `start`; returns where
    /// the marker after it starts.
    fn scan(&mut self, bytes: &[u8], header: &[u8], start: usize) -> Result<usize, SanitizeError> {
        let frame = self.frame.as_mut().ok_or(SanitizeError::Invalid)?;
        let [count, rest @ ..] = header else {
            return Err(SanitizeError::Invalid);
        };
        let count = usize::from(*count);
        if !(1..=4).contains(&count) || rest.len() != 2 * count + 3 {
            return Err(SanitizeError::Invalid);
        }
        // Spectral selection 0–63 and no successive approximation: a sequential scan.
        if rest[2 * count..] != [0, 63, 0] {
            return Err(SanitizeError::Invalid);
        }
        let mut members = Vec::with_capacity(count);
        for spec in rest[..2 * count].chunks_exact(2) {
            let index =
                frame.components.iter().position(|c| c.id == spec[0]).ok_or(SanitizeError::Invalid)?;
            let component = &mut frame.components[index];
            if component.scanned || !self.quantization[component.quantization] {
                return Err(SanitizeError::Invalid);
            }
            component.scanned = true;
            let (dc, ac) = (usize::from(spec[1] >> 4), usize::from(spec[1] & 15));
            if dc > 3 || ac > 3 {
                return Err(SanitizeError::Invalid);
            }
            let (Some(dc), Some(ac)) = (self.tables[dc].as_deref(), self.tables[4 + ac].as_deref()) else {
                return Err(SanitizeError::Invalid);
            };
            members.push(Member { h: component.h, v: component.v, index, dc, ac });
        }
        // One component alone is coded in its own 8×8 blocks, whatever its sampling; several
        // together in MCUs of each one's h × v blocks.
        let (mcus_x, mcus_y) = if count == 1 {
            let member = &mut members[0];
            let component = &frame.components[member.index];
            let x = (frame.width * component.h).div_ceil(frame.max_h).div_ceil(8);
            let y = (frame.height * component.v).div_ceil(frame.max_v).div_ceil(8);
            (member.h, member.v) = (1, 1);
            (x, y)
        } else {
            (frame.width.div_ceil(8 * frame.max_h), frame.height.div_ceil(8 * frame.max_v))
        };
        let mcus = mcus_x * mcus_y;
        let interval = if self.restart_interval == 0 { mcus } else { self.restart_interval };

        let mut pos = start;
        let mut done = 0;
        let mut restarts = 0u8;
        while done < mcus {
            let in_this_interval = interval.min(mcus - done);
            let mut bits = Bits::new(bytes, pos);
            for _ in 0..in_this_interval {
                for member in &members {
                    for _ in 0..member.h * member.v {
                        bits.block(member.dc, member.ac)?;
                    }
                }
            }
            if bits.overrun() {
                // The data ended before the last block.
                return Err(SanitizeError::Invalid);
            }
            // Any bytes the bits still hold lie before the marker; start looking a little
            // before them (a stuffed byte pair counts once in the buffer).
            let (end, next) =
                next_marker(bytes, bits.marker.unwrap_or(bits.pos.saturating_sub(16).max(pos)))?;
            done += in_this_interval;
            match next {
                // A restart marker, and the right one, only between intervals.
                Some(code) if done < mcus && code == 0xD0 + restarts => {
                    restarts = (restarts + 1) % 8;
                    pos = end + 2;
                }
                None if done == mcus => return Ok(end),
                _ => return Err(SanitizeError::Invalid),
            }
        }
        Err(SanitizeError::Invalid)
    }
}

struct Member<'t> {
    h: usize,
    v: usize,
    index: usize,
    dc: &'t Huffman,
    ac: &'t Huffman,
}

/// The first marker at or after `from` in entropy-coded data (skipping stuffed 0xFF 0x00 pairs):
/// where it starts and, for a restart marker, its code.
fn next_marker(bytes: &[u8], from: usize) -> Result<(usize, Option<u8>), SanitizeError> {
    let mut pos = from;
    loop {
        let offset = bytes.get(pos..).and_then(|rest| rest.iter().position(|&b| b == 0xFF));
        let at = pos + offset.ok_or(SanitizeError::Invalid)?;
        let mut code_at = at + 1;
        match bytes.get(code_at) {
            Some(0x00) => pos = at + 2,
            Some(_) => {
                while bytes.get(code_at) == Some(&0xFF) {
                    code_at += 1;
                }
                let code = *bytes.get(code_at).ok_or(SanitizeError::Invalid)?;
                return Ok(match code {
                    0xD0..=0xD7 => (code_at - 1, Some(code)),
                    _ => (at, None),
                });
            }
            None => return Err(SanitizeError::Invalid),
        }
    }
}

/// A canonical Huffman table: a lookup of the first `LOOKUP` bits for the short codes (nearly
/// all of them), and the classic per-length limits for the longer ones.
struct Huffman {
    /// The length and value of the code starting with these bits; length 0 when it is longer.
    fast: [[u8; 2]; 1 << LOOKUP],
    /// The whole step for a code starting with these bits, when the code and the extra bits that
    /// follow it fit in `LOOKUP` bits: how many bits to skip, and how far the coefficient index
    /// moves (`END_OF_BLOCK` for an end of block); `[0, 0]` when they do not fit.
    steps: [[u8; 2]; 1 << LOOKUP],
    /// Per length 1–16: one past its largest code (0 when it has none), and where its values
    /// start minus its first code (wrapping).
    end_code: [u32; 17],
    offset: [u32; 17],
    values: Vec<u8>,
}

const LOOKUP: u32 = 10;
const END_OF_BLOCK: u8 = 0xFF;

impl Huffman {
    /// A table of DC (`ac == false`) or AC codes.
    fn new(counts: &[u8; 16], values: &[u8], ac: bool) -> Result<Huffman, SanitizeError> {
        let mut table = Huffman {
            fast: [[0; 2]; 1 << LOOKUP],
            steps: [[0; 2]; 1 << LOOKUP],
            end_code: [0; 17],
            offset: [0; 17],
            values: values.to_vec(),
        };
        let mut code = 0u32;
        let mut index = 0u32;
        for (length, &count) in (1..=16u8).zip(counts) {
            let (bits, count) = (u32::from(length), u32::from(count));
            // More codes of this length than the bits allow, or one of all ones: not a valid table.
            if count > 0 && code + count >= (1 << bits) {
                return Err(SanitizeError::Invalid);
            }
            if count > 0 {
                table.offset[usize::from(length)] = index.wrapping_sub(code);
                table.end_code[usize::from(length)] = code + count;
                if bits <= LOOKUP {
                    for (c, &value) in (code..code + count).zip(&values[index as usize..]) {
                        let first = (c as usize) << (LOOKUP - bits);
                        let fill = first..first + (1 << (LOOKUP - bits));
                        table.fast[fill.clone()].fill([length, value]);
                        let step = match (ac, value >> 4, value & 15) {
                            // A DC difference of up to 11 bits.
                            (false, _, _) if value <= 11 => Some((value, 1)),
                            // Sixteen zeros; an end of block.
                            (true, 15, 0) => Some((0, 16)),
                            (true, _, 0) => Some((0, END_OF_BLOCK)),
                            // A run of zeros and a coefficient of up to 10 bits.
                            (true, run, size) if size <= 10 => Some((size, run + 1)),
                            _ => None,
                        };
                        if let Some((extra, advance)) =
                            step.filter(|&(extra, _)| bits + u32::from(extra) <= LOOKUP)
                        {
                            // Each index of the fill shares the code's bits, not the extra bits
                            // after it, so the step is the same for all of them.
                            table.steps[fill].fill([length + extra, advance]);
                        }
                    }
                }
            }
            index += count;
            code = (code + count) << 1;
        }
        Ok(table)
    }
}

/// Reads bits, most significant first, from entropy-coded data in place: a stuffed 0xFF 0x00
/// gives 0xFF; at the marker that ends the data it reads zeros and remembers that it did.
struct Bits<'d> {
    bytes: &'d [u8],
    /// The next byte to load.
    pos: usize,
    /// The next bits, from the top.
    buffer: u64,
    /// How many bits of `buffer` are loaded.
    count: u32,
    /// Where the marker that ends the data starts, once reached.
    marker: Option<usize>,
    /// Zero bytes loaded after it.
    padding: usize,
}

/// Whether any byte of `word` is 0xFF.
fn has_ff(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    (!word).wrapping_sub(ONES) & word & (ONES << 7) != 0
}

impl<'d> Bits<'d> {
    fn new(bytes: &'d [u8], pos: usize) -> Self {
        Bits { bytes, pos, buffer: 0, count: 0, marker: None, padding: 0 }
    }

    /// At least 56 bits loaded afterwards.
    #[inline]
    fn refill(&mut self) {
        // Eight bytes without a 0xFF (nearly always): no stuffing and no marker among them.
        if let Some(word) = self.bytes.get(self.pos..self.pos + 8) {
            let word = u64::from_be_bytes(word.try_into().unwrap_or_default());
            if !has_ff(word) {
                self.buffer |= word >> self.count;
                self.pos += ((63 - self.count) >> 3) as usize;
                // Now 56 to 63 bits.
                self.count |= 0x38;
                return;
            }
        }
        while self.count <= 56 {
            let byte = match (self.marker, self.bytes.get(self.pos), self.bytes.get(self.pos + 1)) {
                (None, Some(0xFF), Some(0x00)) => {
                    self.pos += 2;
                    0xFF
                }
                (None, Some(&byte), _) if byte != 0xFF => {
                    self.pos += 1;
                    byte
                }
                // A marker, or the end of the bytes (which the scan's caller refuses).
                _ => {
                    self.marker.get_or_insert(self.pos);
                    self.padding += 1;
                    0
                }
            };
            self.buffer |= u64::from(byte) << (56 - self.count);
            self.count += 8;
        }
    }

    #[inline]
    fn skip(&mut self, bits: u32) {
        self.buffer <<= bits;
        self.count -= bits;
    }

    /// The next Huffman-coded value; needs 16 bits loaded.
    #[inline]
    fn symbol(&mut self, table: &Huffman) -> Result<u8, SanitizeError> {
        let [length, value] = table.fast[(self.buffer >> (64 - LOOKUP)) as usize];
        if length != 0 {
            self.skip(u32::from(length));
            return Ok(value);
        }
        for length in LOOKUP + 1..=16 {
            // At most 16 bits.
            let code = u32::try_from(self.buffer >> (64 - length)).map_err(|_| SanitizeError::Invalid)?;
            if code < table.end_code[length as usize] {
                self.skip(length);
                let index = table.offset[length as usize].wrapping_add(code);
                return table.values.get(index as usize).copied().ok_or(SanitizeError::Invalid);
            }
        }
        Err(SanitizeError::Invalid)
    }

    /// One 8×8 block: a DC difference and up to 63 AC coefficients, decoded and dropped.
    #[inline]
    fn block(&mut self, dc: &Huffman, ac: &Huffman) -> Result<(), SanitizeError> {
        self.refill();
        let [bits, _] = dc.steps[(self.buffer >> (64 - LOOKUP)) as usize];
        if bits != 0 {
            self.skip(u32::from(bits));
        } else {
            let size = self.symbol(dc)?;
            // Differences of 8-bit samples need at most 11 bits.
            if size > 11 {
                return Err(SanitizeError::Invalid);
            }
            self.skip(u32::from(size));
        }
        let mut k = 1;
        while k < 64 {
            // A code and its extra bits take at most 16 + 10.
            if self.count < 26 {
                self.refill();
            }
            let [bits, advance] = ac.steps[(self.buffer >> (64 - LOOKUP)) as usize];
            if bits != 0 {
                self.skip(u32::from(bits));
                if advance == END_OF_BLOCK {
                    return Ok(());
                }
                k += usize::from(advance);
                if k > 64 {
                    return Err(SanitizeError::Invalid);
                }
                continue;
            }
            let run_size = self.symbol(ac)?;
            let (run, size) = (run_size >> 4, run_size & 15);
            if size == 0 {
                match run {
                    15 => k += 16,
                    _ => return Ok(()),
                }
            } else {
                if size > 10 {
                    return Err(SanitizeError::Invalid);
                }
                k += usize::from(run);
                self.skip(u32::from(size));
                k += 1;
            }
            if k > 64 {
                return Err(SanitizeError::Invalid);
            }
        }
        Ok(())
    }

    /// Whether more bits were used than the data holds: some of the zeros after it.
    fn overrun(&self) -> bool {
        self.padding * 8 > self.count as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{plain_jpeg, xorshift, JpegKind, JPEG_KINDS};

    /// Whole, in the size its header gives.
    fn decodes(jpeg: &[u8]) -> bool {
        image::load_from_memory(jpeg).is_ok()
    }

    /// Where the first scan's data starts and where the EOI is.
    fn scan_data(jpeg: &[u8]) -> (usize, usize) {
        let sos = jpeg.windows(2).position(|w| w == [0xFF, SOS]).unwrap();
        let length = usize::from(u16::from_be_bytes([jpeg[sos + 2], jpeg[sos + 3]]));
        (sos + 2 + length, jpeg.len() - 2)
    }

    #[test]
    fn sequential_jpegs_are_proven_and_progressive_ones_left_to_the_decoder() {
        for kind in JPEG_KINDS {
            let expected = if kind == JpegKind::Progressive { Proof::Unsupported } else { Proof::Whole };
            assert_eq!(prove(&plain_jpeg(kind, None)), Ok(expected), "{kind:?}");
        }
        // 4:2:0 in MCUs of 16 × 16 that the picture does not fill, among phone metadata.
        let photo = crate::corpus::photo(0, 1000, 750);
        assert_eq!(prove(&photo), Ok(Proof::Whole));
    }

    /// The case that decoders let through: the data stops and an EOI follows at once. They paint
    /// the missing blocks grey; the proof refuses it, at every cut.
    #[test]
    fn a_scan_that_ends_early_is_refused_although_decoders_take_it() {
        for kind in [JpegKind::Baseline, JpegKind::Gray, JpegKind::Cmyk] {
            let jpeg = plain_jpeg(kind, None);
            let (start, end) = scan_data(&jpeg);
            let mut decoded_anyway = 0;
            for cut in start..end - 1 {
                // A cut inside a stuffed 0xFF 0x00 would leave a marker-like pair; keep it whole.
                if jpeg[cut - 1] == 0xFF {
                    continue;
                }
                let short = [&jpeg[..cut], &[0xFF, EOI][..]].concat();
                assert_eq!(prove(&short), Err(SanitizeError::Invalid), "{kind:?} cut at {cut} of {end}");
                decoded_anyway += usize::from(decodes(&short));
            }
            assert!(decoded_anyway > 0, "{kind:?}: the decoder refuses short scans by itself now");
        }
    }

    #[test]
    fn restart_markers_must_come_in_order_and_none_may_be_missing() {
        let jpeg = plain_jpeg(JpegKind::Restart, None);
        let markers: Vec<usize> = jpeg
            .windows(2)
            .enumerate()
            .filter(|(_, w)| w[0] == 0xFF && (0xD0..=0xD7).contains(&w[1]))
            .map(|(at, _)| at)
            .collect();
        assert!(markers.len() > 8, "{} restart markers", markers.len());

        let mut swapped = jpeg.clone();
        swapped[markers[2] + 1] = 0xD5;
        assert_eq!(prove(&swapped), Err(SanitizeError::Invalid));

        let dropped = [&jpeg[..markers[3]], &jpeg[markers[3] + 2..]].concat();
        assert_eq!(prove(&dropped), Err(SanitizeError::Invalid));
    }

    #[test]
    fn tables_must_be_defined_before_the_scan_uses_them() {
        let jpeg = plain_jpeg(JpegKind::Baseline, None);
        let dht = jpeg.windows(2).position(|w| w == [0xFF, DHT]).unwrap();
        let length = usize::from(u16::from_be_bytes([jpeg[dht + 2], jpeg[dht + 3]]));
        let without = [&jpeg[..dht], &jpeg[dht + 2 + length..]].concat();
        assert_eq!(prove(&without), Err(SanitizeError::Invalid));
    }

    /// Decoders refuse an unknown transform and disagree on ones that do not fit the components;
    /// the full decode decides those.
    #[test]
    fn colour_transforms_that_do_not_fit_the_components_are_left_to_the_decoder() {
        let jpeg = plain_jpeg(JpegKind::Cmyk, None);
        let adobe = jpeg.windows(9).position(|w| w[..2] == [0xFF, APP14] && &w[4..9] == b"Adobe").unwrap();
        for (transform, expected) in
            [(0, Proof::Whole), (2, Proof::Whole), (1, Proof::Unsupported), (57, Proof::Unsupported)]
        {
            let mut changed = jpeg.clone();
            changed[adobe + 4 + 11] = transform;
            assert_eq!(prove(&changed), Ok(expected), "transform {transform}");
        }
    }

    #[test]
    fn a_restart_interval_segment_holds_exactly_the_interval() {
        let jpeg = plain_jpeg(JpegKind::Restart, None);
        let dri = jpeg.windows(4).position(|w| w == [0xFF, DRI, 0, 4]).unwrap();
        let longer = [&jpeg[..dri + 3], &[5], &jpeg[dri + 4..dri + 6], &[0], &jpeg[dri + 6..]].concat();
        assert_eq!(prove(&longer), Err(SanitizeError::Invalid));
    }

    /// What the proof passes, a decoder decodes: bytes changed all over sequential JPEGs.
    #[test]
    fn whatever_passes_decodes() {
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut passed = 0;
        for kind in [JpegKind::Baseline, JpegKind::Restart, JpegKind::Gray, JpegKind::Cmyk] {
            let jpeg = plain_jpeg(kind, None);
            let (start, _) = scan_data(&jpeg);
            for _ in 0..2000 {
                let mut damaged = jpeg.clone();
                for _ in 0..2 {
                    xorshift(&mut state);
                    // Mostly in the scan, where the proof does its work.
                    let from = if state.is_multiple_of(4) { 2 } else { start };
                    let at = from + usize::try_from(state % (damaged.len() - 2 - from) as u64).unwrap();
                    damaged[at] ^= u8::try_from(state >> 56).unwrap() | 1;
                }
                if prove(&damaged) == Ok(Proof::Whole) {
                    passed += 1;
                    assert!(decodes(&damaged), "{kind:?}: passed the proof, but does not decode");
                }
            }
        }
        // A changed bit in the data mostly gives other coefficients, not an error.
        assert!(passed > 100, "only {passed} damaged files passed");
    }
}
