//! Photo sanitizer: takes an uploaded JPEG, PNG or WebP and returns the same pixels with every
//! piece of metadata gone (GPS, camera, owner, thumbnails, XMP, IPTC, comments, trailing data).
//! The container is rewritten and the pixels are never re-encoded; only the EXIF orientation
//! survives, in a minimal EXIF of its own, so that photos keep standing upright.
//!
//! [`sanitize`] is the one entry point for uploads. [`strip_metadata`] is the same minus the
//! decode proof, for measuring the strip alone; [`thumbnail`] makes a small, upright, re-encoded
//! preview of a sanitized image.
//!
//! Animated images (APNG, animated WebP) are refused: Folio takes photos, and a frame of an
//! animation cannot be cut out losslessly.

mod detect;
mod error;
mod jpeg;
mod orientation;
mod png;
mod scan;
mod thumbnail;
mod webp;

/// Phone-like photos made in code, for the benchmarks and `examples/sanitize_dir.rs`.
#[cfg(any(test, feature = "corpus"))]
pub mod corpus;
#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests;

use std::fs::File;
use std::io::{Cursor, Read, Write};
use std::path::Path;

pub use error::{Exceeded, SanitizeError, SanitizeFileError};

/// How much an upload may weigh and measure. Checked from the headers before anything is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Width times height.
    pub max_pixels: u64,
    /// The longer side, in pixels.
    pub max_dimension: u32,
    /// The size of the uploaded file.
    pub max_bytes: usize,
    /// Memory the decoder may use to prove the cleaned image is whole.
    pub max_alloc: u64,
}

impl Default for Limits {
    /// Generous enough for a 48-megapixel phone photo at full resolution.
    fn default() -> Self {
        Self {
            max_pixels: 50_000_000,
            max_dimension: 12_000,
            max_bytes: 40 * 1024 * 1024,
            max_alloc: 512 * 1024 * 1024,
        }
    }
}

impl Limits {
    fn check_dimensions(&self, width: u32, height: u32) -> Result<(), SanitizeError> {
        if width == 0 || height == 0 {
            return Err(SanitizeError::Invalid);
        }
        if width.max(height) > self.max_dimension {
            return Err(SanitizeError::TooLarge(Exceeded::Dimension {
                width,
                height,
                max: self.max_dimension,
            }));
        }
        let pixels = u64::from(width) * u64::from(height);
        if pixels > self.max_pixels {
            return Err(SanitizeError::TooLarge(Exceeded::Pixels { pixels, max: self.max_pixels }));
        }
        Ok(())
    }
}

/// The image formats that come out (and may go in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaType {
    Jpeg,
    Png,
    Webp,
}

impl MediaType {
    pub fn mime(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Webp => "image/webp",
        }
    }

    /// Without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::Webp => "webp",
        }
    }

    fn image_format(self) -> image::ImageFormat {
        match self {
            Self::Jpeg => image::ImageFormat::Jpeg,
            Self::Png => image::ImageFormat::Png,
            Self::Webp => image::ImageFormat::WebP,
        }
    }
}

/// A cleaned image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clean {
    pub bytes: Vec<u8>,
    pub media_type: MediaType,
    /// As displayed: for orientations 5 to 8 the stored width and height are swapped.
    pub width: u32,
    pub height: u32,
    /// The EXIF orientation, 1 to 8, kept in `bytes` when it is not 1.
    pub orientation: u16,
}

/// What a container walk gives: the rewritten file and what its headers say.
struct Stripped {
    bytes: Vec<u8>,
    /// As stored, before orientation.
    width: u32,
    height: u32,
    orientation: u16,
}

impl Stripped {
    fn into_clean(self, media_type: MediaType) -> Clean {
        let (width, height) =
            if self.orientation >= 5 { (self.height, self.width) } else { (self.width, self.height) };
        Clean { bytes: self.bytes, media_type, width, height, orientation: self.orientation }
    }
}

/// Strips all metadata from a JPEG, PNG or WebP, keeping pixels, colour profile and orientation.
///
/// The result is proven to be a whole image under `limits` (see `prove_whole`). Uploads go
/// through this function, never through [`strip_metadata`] alone.
pub fn sanitize(input: &[u8], limits: &Limits) -> Result<Clean, SanitizeError> {
    let (media_type, stripped) = strip(input, limits)?;
    prove_whole(&stripped, media_type, limits)?;
    Ok(stripped.into_clean(media_type))
}

/// Proves that the cleaned image decodes whole. A sequential JPEG, which is what phones write,
/// has its scans Huffman-decoded to the last block ([`scan`]): that is the part of decoding that
/// can fail, at a fraction of the cost of a full decode (about 21 ms for a 12-megapixel photo,
/// where the full decode took 150–165 ms), and it also refuses scans cut short, which decoders
/// paint grey. Every other image is decoded with the `image` crate.
fn prove_whole(stripped: &Stripped, media_type: MediaType, limits: &Limits) -> Result<(), SanitizeError> {
    if media_type == MediaType::Jpeg {
        // The proof itself holds a few tables, but which proof runs must not change what is
        // accepted: the pixels that a full decode would hold (three bytes each) must fit.
        if u64::from(stripped.width) * u64::from(stripped.height) * 3 > limits.max_alloc {
            return Err(SanitizeError::TooLarge(Exceeded::Memory { max: limits.max_alloc }));
        }
        if scan::prove(&stripped.bytes)? == scan::Proof::Whole {
            return Ok(());
        }
    }
    decode(stripped, media_type, limits).map(drop)
}

/// [`sanitize`] without the decode proof: the size limit, the container rewrite and the limits
/// on what the headers claim, nothing more.
///
/// A file can pass this and still be truncated or corrupt inside its pixel data, so it is not
/// for uploads. It exists so that the strip can be measured on its own: on a 12-megapixel phone
/// photo the decode proof costs more than a hundred times as much as the strip.
pub fn strip_metadata(input: &[u8], limits: &Limits) -> Result<Clean, SanitizeError> {
    let (media_type, stripped) = strip(input, limits)?;
    Ok(stripped.into_clean(media_type))
}

/// A small upright JPEG of an image that came out of [`sanitize`], for previews.
///
/// The image is decoded under `limits`, scaled down (never up) to fit within `max_side` ×
/// `max_side` pixels (at least one), turned as its EXIF orientation says, laid onto white where
/// it is transparent, and encoded as a baseline JPEG with no metadata at all, not even the
/// orientation, since the pixels already stand upright. The colour profile is not carried over:
/// thumbnails are meant to be small.
///
/// Any upload works too: the container is stripped (and checked) first, so nothing the original
/// carried reaches the thumbnail.
pub fn thumbnail(clean: &[u8], max_side: u32, limits: &Limits) -> Result<Vec<u8>, SanitizeError> {
    let (media_type, stripped) = strip(clean, limits)?;
    let image = decode(&stripped, media_type, limits)?;
    thumbnail::encode(image, max_side, stripped.orientation)
}

/// Size limit, format, container rewrite, and the limits on what the headers claim.
fn strip(input: &[u8], limits: &Limits) -> Result<(MediaType, Stripped), SanitizeError> {
    if input.len() > limits.max_bytes {
        return Err(SanitizeError::TooLarge(Exceeded::Bytes {
            size: input.len() as u64,
            max: limits.max_bytes as u64,
        }));
    }
    let media_type = detect::media_type(input)?;
    let stripped = match media_type {
        MediaType::Jpeg => jpeg::strip(input)?,
        MediaType::Png => png::strip(input)?,
        MediaType::Webp => webp::strip(input)?,
    };
    limits.check_dimensions(stripped.width, stripped.height)?;
    Ok((media_type, stripped))
}

/// Decodes the cleaned bytes, so that only a whole image is ever handed out.
fn decode(
    stripped: &Stripped,
    media_type: MediaType,
    limits: &Limits,
) -> Result<image::DynamicImage, SanitizeError> {
    let mut reader = image::ImageReader::with_format(Cursor::new(&stripped.bytes), media_type.image_format());
    let mut decode_limits = image::Limits::default();
    decode_limits.max_image_width = Some(limits.max_dimension);
    decode_limits.max_image_height = Some(limits.max_dimension);
    decode_limits.max_alloc = Some(limits.max_alloc);
    reader.limits(decode_limits);
    match reader.decode() {
        Ok(decoded) if decoded.width() == stripped.width && decoded.height() == stripped.height => {
            Ok(decoded)
        }
        Err(image::ImageError::Limits(_)) => {
            Err(SanitizeError::TooLarge(Exceeded::Memory { max: limits.max_alloc }))
        }
        // Corrupt, or not the size its headers promise.
        _ => Err(SanitizeError::Invalid),
    }
}

/// Sanitizes the file `input` into `output` (the command `folio sanitize IN OUT`).
///
/// `output` appears whole or not at all: the image goes to a temporary file beside it, which is
/// synced and then renamed. Like any temporary file it is readable by its owner only. Writing
/// and syncing run on a second thread while the decode proof runs: the stripped bytes carry no
/// metadata any more, and if the proof refuses them the temporary file is deleted unrenamed.
pub fn sanitize_file(input: &Path, output: &Path, limits: &Limits) -> Result<Clean, SanitizeFileError> {
    let bytes = read_limited(input, limits.max_bytes)?;
    let (media_type, stripped) = strip(&bytes, limits)?;
    drop(bytes);
    let write_error = |source| SanitizeFileError::Io { action: "write", path: output.to_owned(), source };
    let (proof, temp) = std::thread::scope(|scope| {
        let writer = std::thread::Builder::new()
            .name("sanitize-write".into())
            .spawn_scoped(scope, || write_synced_temp(output, &stripped.bytes));
        let proof = prove_whole(&stripped, media_type, limits);
        let temp = match writer {
            // The writer only fails by returning an error; a panic there is a bug to pass on.
            Ok(writer) => writer.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            // No second thread to be had: one after the other, and no write for a refusal.
            Err(_) if proof.is_ok() => write_synced_temp(output, &stripped.bytes),
            Err(error) => Err(error),
        };
        (proof, temp)
    });
    proof?;
    persist_synced(temp.map_err(write_error)?, output).map_err(write_error)?;
    Ok(stripped.into_clean(media_type))
}

fn read_limited(path: &Path, max_bytes: usize) -> Result<Vec<u8>, SanitizeFileError> {
    let io_error = |source| SanitizeFileError::Io { action: "read", path: path.to_owned(), source };
    let file = File::open(path).map_err(io_error)?;
    let size = file.metadata().map_err(io_error)?.len();
    let max = max_bytes as u64;
    if size > max {
        return Err(SanitizeError::TooLarge(Exceeded::Bytes { size, max }).into());
    }
    // The file may grow while it is read; one byte over the limit is enough to refuse it.
    let mut bytes = Vec::with_capacity(usize::try_from(size).map_or(0, |size| size.saturating_add(1)));
    file.take(max.saturating_add(1)).read_to_end(&mut bytes).map_err(io_error)?;
    Ok(bytes)
}

/// A temporary file beside `path` holding `bytes`, synced; deleted when dropped unpersisted.
fn write_synced_temp(path: &Path, bytes: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    let mut temp = tempfile::Builder::new().prefix(".sanitize-").tempfile_in(parent_dir(path))?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    Ok(temp)
}

/// Renames `temp` to `path`, durably.
fn persist_synced(temp: tempfile::NamedTempFile, path: &Path) -> std::io::Result<()> {
    temp.persist(path).map_err(|e| e.error)?;
    // The rename is durable only once the directory itself is synced.
    #[cfg(unix)]
    File::open(parent_dir(path))?.sync_all()?;
    Ok(())
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}
