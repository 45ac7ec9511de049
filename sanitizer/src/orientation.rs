//! EXIF orientation: read from whatever EXIF a file carried, and written back as a TIFF
//! structure that holds nothing else.

use exif::{In, Tag};

const EXIF_PREFIX: &[u8] = b"Exif\0\0";

/// The orientation (1 to 8) in a TIFF-structured EXIF block; 1 when there is none or it is
/// unreadable. PNG and WebP writers sometimes keep JPEG's `Exif\0\0` prefix, which is skipped.
pub fn read(tiff: &[u8]) -> u16 {
    let tiff = tiff.strip_prefix(EXIF_PREFIX).unwrap_or(tiff);
    let exif = match exif::Reader::new().continue_on_error(true).read_raw(tiff.to_vec()) {
        Ok(exif) => exif,
        Err(error) => match error.distill_partial_result(|_| {}) {
            Ok(exif) => exif,
            Err(_) => return 1,
        },
    };
    exif.get_field(Tag::Orientation, In::PRIMARY)
        .and_then(|field| field.value.get_uint(0))
        .and_then(|value| u16::try_from(value).ok())
        .filter(|value| (1..=8).contains(value))
        .unwrap_or(1)
}

/// A big-endian TIFF header and IFD0 with the single Orientation entry and no next IFD.
pub fn minimal_tiff(orientation: u16) -> Vec<u8> {
    let mut tiff = Vec::with_capacity(26);
    tiff.extend_from_slice(b"MM\0\x2A");
    tiff.extend_from_slice(&8u32.to_be_bytes()); // IFD0 follows the header
    tiff.extend_from_slice(&1u16.to_be_bytes()); // one entry
    tiff.extend_from_slice(&0x0112u16.to_be_bytes()); // Orientation
    tiff.extend_from_slice(&3u16.to_be_bytes()); // SHORT
    tiff.extend_from_slice(&1u32.to_be_bytes()); // one value, stored in the entry itself
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0]);
    tiff.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
    tiff
}

/// `minimal_tiff` behind JPEG's `Exif\0\0` identifier, the body of an APP1 segment.
pub fn minimal_app1_body(orientation: u16) -> Vec<u8> {
    let mut body = EXIF_PREFIX.to_vec();
    body.extend_from_slice(&minimal_tiff(orientation));
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_minimal_tiff_reads_back() {
        for orientation in 1..=8 {
            assert_eq!(read(&minimal_tiff(orientation)), orientation);
            assert_eq!(read(&minimal_app1_body(orientation)), orientation);
        }
    }

    #[test]
    fn garbage_and_odd_values_mean_upright() {
        assert_eq!(read(b""), 1);
        assert_eq!(read(b"MM\0\x2A\xFF\xFF\xFF\xFF"), 1);
        assert_eq!(read(&minimal_tiff(0)), 1);
        assert_eq!(read(&minimal_tiff(9)), 1);
    }
}
