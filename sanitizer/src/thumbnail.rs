//! Thumbnails: a decoded image scaled down, turned upright and encoded as a JPEG that carries
//! nothing but pixels. Scaling comes first, so turning and flattening touch only the small image.

use image::codecs::jpeg::JpegEncoder;
use image::metadata::Orientation;
use image::{DynamicImage, Rgb, RgbImage};

use crate::SanitizeError;

/// Good enough for a preview, and about a third of the size of quality 95.
const QUALITY: u8 = 80;

pub fn encode(image: DynamicImage, max_side: u32, orientation: u16) -> Result<Vec<u8>, SanitizeError> {
    let (width, height) = fit(image.width(), image.height(), max_side);
    let mut small = if (width, height) == (image.width(), image.height()) {
        image
    } else {
        // Each source pixel counts once: an area average, fast and free of aliasing.
        image.thumbnail_exact(width, height)
    };
    if let Some(orientation) = u8::try_from(orientation).ok().and_then(Orientation::from_exif) {
        small.apply_orientation(orientation);
    }
    let rgb = flatten_onto_white(&small);
    let mut out = Vec::new();
    // Writes a JFIF header (version and density) and no EXIF, ICC or comment.
    JpegEncoder::new_with_quality(&mut out, QUALITY)
        .encode_image(&rgb)
        .map_err(|_| SanitizeError::Invalid)?;
    Ok(out)
}

/// The largest size within `max_side` × `max_side` (and within the image) with the same aspect
/// ratio, rounded to whole pixels and never below one.
fn fit(width: u32, height: u32, max_side: u32) -> (u32, u32) {
    let longer = width.max(height);
    let max_side = max_side.max(1);
    if longer <= max_side {
        return (width, height);
    }
    let scale = |side: u32| {
        let scaled = (u64::from(side) * u64::from(max_side) + u64::from(longer) / 2) / u64::from(longer);
        u32::try_from(scaled).unwrap_or(max_side).clamp(1, max_side)
    };
    (scale(width), scale(height))
}

/// RGB with transparent parts laid onto white, as a page would show them.
fn flatten_onto_white(image: &DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.to_rgb8();
    }
    let rgba = image.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over_white = |c: u8| {
            let blended = (u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a)) + 127) / 255;
            u8::try_from(blended).unwrap_or(u8::MAX)
        };
        Rgb([over_white(r), over_white(g), over_white(b)])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fitting_keeps_the_aspect_ratio_and_never_enlarges() {
        assert_eq!(fit(4000, 3000, 320), (320, 240));
        assert_eq!(fit(3000, 4000, 320), (240, 320));
        assert_eq!(fit(4000, 4000, 320), (320, 320));
        assert_eq!(fit(200, 100, 320), (200, 100));
        assert_eq!(fit(10_000, 10, 100), (100, 1));
        assert_eq!(fit(40, 24, 0), (1, 1));
        assert_eq!(fit(u32::MAX, u32::MAX - 1, 64), (64, 64));
    }

    #[test]
    fn transparency_becomes_white() {
        let mut image = image::RgbaImage::new(2, 1);
        image.put_pixel(0, 0, image::Rgba([0, 0, 0, 0]));
        image.put_pixel(1, 0, image::Rgba([10, 20, 30, 255]));
        let flat = flatten_onto_white(&DynamicImage::ImageRgba8(image));
        assert_eq!(flat.get_pixel(0, 0).0, [255, 255, 255]);
        assert_eq!(flat.get_pixel(1, 0).0, [10, 20, 30]);
    }
}
