//! Why an upload was refused. `Display` gives the German sentence shown to the user.

use std::fmt;
use std::path::PathBuf;

use crate::detect;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SanitizeError {
    /// Not JPEG, PNG or WebP; `detected` names the format when it is a well-known one.
    #[error("{}", unsupported_message(*detected))]
    Unsupported { detected: Option<&'static str> },
    /// Truncated, corrupt, or not an image at all although it starts like one.
    #[error("Die Datei ist kein gültiges Bild (beschädigt oder unvollständig).")]
    Invalid,
    #[error("{0}")]
    TooLarge(Exceeded),
}

fn unsupported_message(detected: Option<&'static str>) -> String {
    const ALLOWED: &str = "Erlaubt sind Fotos als JPEG, PNG oder WebP.";
    match detected {
        Some(detect::HEIC | detect::HEIF) => "HEIC-Fotos (iPhone) werden nicht unterstützt. Bitte stellen Sie in \
            den iPhone-Einstellungen unter Kamera › Formate „Maximale Kompatibilität“ ein oder teilen Sie das \
            Foto als JPEG."
            .to_owned(),
        Some(name @ (detect::APNG | detect::ANIMATED_WEBP)) => {
            format!("Animierte Bilder ({name}) werden nicht unterstützt. {ALLOWED}")
        }
        Some(name) => format!("Dieses Dateiformat ({name}) wird nicht unterstützt. {ALLOWED}"),
        None => format!("Dieses Dateiformat wird nicht unterstützt. {ALLOWED}"),
    }
}

/// The limit an upload went over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exceeded {
    Bytes {
        size: u64,
        max: u64,
    },
    Dimension {
        width: u32,
        height: u32,
        max: u32,
    },
    Pixels {
        pixels: u64,
        max: u64,
    },
    /// The decoder would need more memory than `max` bytes.
    Memory {
        max: u64,
    },
}

impl fmt::Display for Exceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const MIB: u64 = 1024 * 1024;
        match *self {
            Self::Bytes { size, max } => write!(
                f,
                "Die Datei ist zu groß ({} MB). Erlaubt sind höchstens {} MB.",
                decimal(size, MIB),
                decimal(max, MIB)
            ),
            Self::Dimension { width, height, max } => write!(
                f,
                "Das Bild ist zu groß ({} × {} Pixel). Erlaubt sind höchstens {} Pixel je Seite.",
                grouped(width.into()),
                grouped(height.into()),
                grouped(max.into())
            ),
            Self::Pixels { pixels, max } => write!(
                f,
                "Das Bild hat zu viele Pixel ({} Megapixel). Erlaubt sind höchstens {} Megapixel.",
                decimal(pixels, 1_000_000),
                decimal(max, 1_000_000)
            ),
            Self::Memory { max } => write!(
                f,
                "Das Bild braucht zum Prüfen zu viel Arbeitsspeicher. Erlaubt sind höchstens {} MB.",
                decimal(max, MIB)
            ),
        }
    }
}

/// `value / unit` with one decimal (German comma), rounded up so that a size just over a limit
/// never reads as the limit itself.
fn decimal(value: u64, unit: u64) -> String {
    let tenths = u128::from(value).saturating_mul(10).div_ceil(u128::from(unit.max(1)));
    if tenths.is_multiple_of(10) {
        format!("{}", tenths / 10)
    } else {
        format!("{},{}", tenths / 10, tenths % 10)
    }
}

/// Thousands separated by dots, as German readers expect.
fn grouped(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(digit);
    }
    out
}

/// [`crate::sanitize_file`] failed: the image was refused, or a file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum SanitizeFileError {
    #[error(transparent)]
    Image(#[from] SanitizeError),
    #[error("cannot {action} {}: {source}", path.display())]
    Io { action: &'static str, path: PathBuf, source: std::io::Error },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_the_german_way() {
        assert_eq!(decimal(40 * 1024 * 1024, 1024 * 1024), "40");
        assert_eq!(decimal(40 * 1024 * 1024 + 1, 1024 * 1024), "40,1");
        assert_eq!(decimal(48_000_000, 1_000_000), "48");
        assert_eq!(grouped(12_000), "12.000");
        assert_eq!(grouped(100_000), "100.000");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000_000), "1.000.000");
    }

    #[test]
    fn messages_name_what_is_allowed() {
        let heic = SanitizeError::Unsupported { detected: Some(detect::HEIC) }.to_string();
        assert!(heic.contains("Maximale Kompatibilität"), "{heic}");
        assert!(heic.contains("JPEG"), "{heic}");
        let gif = SanitizeError::Unsupported { detected: Some(detect::GIF) }.to_string();
        assert_eq!(
            gif,
            "Dieses Dateiformat (GIF) wird nicht unterstützt. Erlaubt sind Fotos als JPEG, PNG oder WebP."
        );
        let unknown = SanitizeError::Unsupported { detected: None }.to_string();
        assert_eq!(
            unknown,
            "Dieses Dateiformat wird nicht unterstützt. Erlaubt sind Fotos als JPEG, PNG oder WebP."
        );
        let large =
            SanitizeError::TooLarge(Exceeded::Dimension { width: 100_000, height: 100_000, max: 12_000 });
        assert_eq!(
            large.to_string(),
            "Das Bild ist zu groß (100.000 × 100.000 Pixel). Erlaubt sind höchstens 12.000 Pixel je Seite."
        );
    }
}
