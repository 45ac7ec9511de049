//! White label: the broker's name, colours, logo, contact details and domains, and what
//! makes Folio an app under the broker's name on a phone's home screen (manifest, icons,
//! service worker, offline page). Customers never see the vendor.

// The settings form posts its nine fields flat, so a plain form (no wasm yet) works too; the
// `#[server]` macro copies them into functions an item-level allow does not reach.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[cfg(feature = "ssr")]
pub mod http;
#[cfg(feature = "ssr")]
pub mod icons;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod texts;

/// The brand as the owner edits it, every field a text (empty: not given). The form names
/// `name`, `phone` and `email` `broker_name`, `contact_phone` and `contact_email`, so they
/// differ from the other forms on the settings page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct BrandFields {
    pub name: String,
    pub primary_color: String,
    pub accent_color: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub opening_hours: String,
    pub imprint_url: String,
    pub privacy_url: String,
}

/// What the settings page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct BrandSettings {
    #[serde(flatten)]
    pub fields: BrandFields,
    pub has_logo: bool,
    /// The host every broker has under Folio's base domain: the target of a CNAME.
    pub slug_host: String,
    /// Where customers sign in: the first custom domain, else the slug host.
    pub login_url: String,
    pub domains: Vec<DomainRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainRow {
    pub domain: String,
    pub dns: DnsStatus,
}

/// Whether a custom domain already reaches Folio.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DnsStatus {
    /// It resolves to the addresses of the broker's host here.
    PointsHere,
    /// It resolves, but somewhere else.
    Elsewhere,
    /// There is no such name in DNS (yet).
    Missing,
}

/// The broker's contact details as customers see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Contact {
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub opening_hours: Option<String>,
}

/// A colour as `#rrggbb` in lower case, from `#RRGGBB`, `rrggbb` or `#rgb`.
pub fn parse_color(input: &str) -> Option<String> {
    let hex = input.trim().trim_start_matches('#');
    if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let full = match hex.len() {
        6 => hex.to_ascii_lowercase(),
        3 => hex.chars().flat_map(|c| [c, c]).collect::<String>().to_ascii_lowercase(),
        _ => return None,
    };
    Some(format!("#{full}"))
}

/// The red, green and blue of a `#rrggbb` colour.
pub fn rgb(color: &str) -> Option<[u8; 3]> {
    let hex = parse_color(color)?;
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([byte(1)?, byte(3)?, byte(5)?])
}

/// WCAG 2 relative luminance.
fn luminance([r, g, b]: [u8; 3]) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

/// WCAG 2 contrast ratio of two colours, 1 to 21; 1 when either is not a colour.
pub fn contrast(a: &str, b: &str) -> f64 {
    match (rgb(a), rgb(b)) {
        (Some(a), Some(b)) => {
            let (la, lb) = (luminance(a), luminance(b));
            (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
        }
        _ => 1.0,
    }
}

/// What normal text needs against its background (WCAG AA).
pub const AA_CONTRAST: f64 = 4.5;

pub const WHITE: &str = "#ffffff";
/// The dark text colour of the interface (Tailwind slate-900).
pub const INK: &str = "#0f172a";

/// The text colour that reads best on a background: white or the dark ink.
pub fn text_on(background: &str) -> &'static str {
    if contrast(WHITE, background) >= contrast(INK, background) {
        WHITE
    } else {
        INK
    }
}

/// What the owner is warned about for a pair of colours: labels on the primary colour
/// (header, buttons), the primary colour as text on white (links), labels on the accent.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ContrastCheck {
    pub on_primary: f64,
    pub primary_on_white: f64,
    pub on_accent: f64,
}

impl ContrastCheck {
    pub fn of(primary: &str, accent: &str) -> Self {
        ContrastCheck {
            on_primary: contrast(text_on(primary), primary),
            primary_on_white: contrast(primary, WHITE),
            on_accent: contrast(text_on(accent), accent),
        }
    }
}

/// One or two letters for an icon without a logo: the first letters of the first two words
/// ("Sommer & Partner" → "SP").
pub fn initials(name: &str) -> String {
    let letters: String = name
        .split_whitespace()
        .filter_map(|word| word.chars().find(|c| c.is_alphanumeric()))
        .take(2)
        .flat_map(char::to_uppercase)
        .collect();
    if letters.is_empty() {
        "?".to_owned()
    } else {
        letters
    }
}

/// The name under the icon on a home screen: the name when it is short, else its first word
/// (at most 12 characters, as launchers show).
pub fn short_name(name: &str) -> String {
    let name = name.trim();
    if name.chars().count() <= 12 {
        return name.to_owned();
    }
    let first = name.split_whitespace().next().unwrap_or(name);
    first.chars().take(12).collect()
}

/// A custom domain a broker may add: a DNS name of at least two labels, not an IP address.
pub fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    domain.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| crate::tenancy::valid_label(l, 63))
        && labels.last().is_some_and(|tld| tld.chars().any(|c| c.is_ascii_lowercase()))
}

/// A link to the broker's own pages: `https://` (or `http://`) with a host, nothing that
/// could run script (`javascript:`) or hold spaces.
pub fn valid_link(url: &str) -> bool {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        !host.is_empty() && host.contains('.') && !url.chars().any(|c| c.is_whitespace() || c.is_control())
    })
}

/// Text made safe for HTML, in element content and in quoted attributes.
pub fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

/// HTML for the broker's own homepage: a link to the sign-in page in the broker's colours.
/// Inline styles, because it lands on pages Folio does not control.
pub fn homepage_snippet(login_url: &str, label: &str, primary: &str) -> String {
    format!(
        "<a href=\"{}\" style=\"display:inline-block;padding:12px 20px;border-radius:8px;background:{primary};\
         color:{};font:600 16px/1.2 system-ui,sans-serif;text-decoration:none\">{}</a>",
        html_escape(login_url),
        text_on(primary),
        html_escape(label),
    )
}

#[server(endpoint = "brand/settings")]
pub async fn load_brand_settings() -> Result<BrandSettings, AppError> {
    crate::request::respond(ssr::settings().await)
}

#[server(endpoint = "brand/save")]
pub async fn save_brand(
    broker_name: String,
    primary_color: String,
    accent_color: String,
    contact_phone: String,
    contact_email: String,
    address: String,
    opening_hours: String,
    imprint_url: String,
    privacy_url: String,
) -> Result<(), AppError> {
    let form = BrandFields {
        name: broker_name,
        primary_color,
        accent_color,
        phone: contact_phone,
        email: contact_email,
        address,
        opening_hours,
        imprint_url,
        privacy_url,
    };
    crate::request::respond(ssr::save(form).await)
}

#[server(endpoint = "brand/add-domain")]
pub async fn add_domain(domain: String) -> Result<(), AppError> {
    crate::request::respond(ssr::add_domain(domain).await)
}

#[server(endpoint = "brand/remove-domain")]
pub async fn remove_domain(domain: String) -> Result<(), AppError> {
    crate::request::respond(ssr::remove_domain(domain).await)
}

#[server(endpoint = "brand/remove-logo")]
pub async fn remove_logo() -> Result<(), AppError> {
    crate::request::respond(ssr::remove_logo().await)
}

/// The broker's contact details, for the customer's profile page.
#[server(endpoint = "brand/contact")]
pub async fn broker_contact() -> Result<Contact, AppError> {
    crate::request::respond(ssr::contact().await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_read_in_the_usual_spellings() {
        assert_eq!(parse_color("#1D4ED8").as_deref(), Some("#1d4ed8"));
        assert_eq!(parse_color(" 1d4ed8 ").as_deref(), Some("#1d4ed8"));
        assert_eq!(parse_color("#fa0").as_deref(), Some("#ffaa00"));
        for bad in ["", "#12345", "#ggggggg", "red", "#1234567", "url(x)"] {
            assert_eq!(parse_color(bad), None, "{bad}");
        }
    }

    #[test]
    fn contrast_follows_wcag() {
        assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 1e-9);
        assert!((contrast("#ffffff", "#ffffff") - 1.0).abs() < 1e-9);
        // The well-known borderline grey: #777 on white fails AA, #767676 passes.
        assert!(contrast("#777777", WHITE) < AA_CONTRAST);
        assert!(contrast("#767676", WHITE) >= AA_CONTRAST);
    }

    #[test]
    fn text_on_a_colour_is_the_more_readable_of_white_and_ink() {
        assert_eq!(text_on("#1d4ed8"), WHITE);
        assert_eq!(text_on("#fde047"), INK);
        let pale = ContrastCheck::of("#fef9c3", "#f59e0b");
        assert!(pale.on_primary >= AA_CONTRAST, "dark text on a pale colour reads fine");
        assert!(pale.primary_on_white < AA_CONTRAST, "but the pale colour as link text does not");
        let mid = ContrastCheck::of("#777777", "#777777");
        assert!(mid.on_primary < AA_CONTRAST, "neither white nor ink reaches AA on this grey");
    }

    #[test]
    fn initials_and_short_names() {
        assert_eq!(initials("Sommer & Partner Versicherungsmakler"), "SP");
        assert_eq!(initials("özdemir finanz"), "ÖF");
        assert_eq!(initials("Nordlicht"), "N");
        assert_eq!(initials("  "), "?");
        assert_eq!(short_name("Nordlicht Finanz"), "Nordlicht");
        assert_eq!(short_name("Makler Ost"), "Makler Ost");
        assert_eq!(short_name("Versicherungsmaklerbüro Schmidt"), "Versicherung");
    }

    #[test]
    fn custom_domains_are_dns_names() {
        assert!(valid_domain("portal.makler-mueller.de"));
        assert!(valid_domain("kunden.example"));
        for bad in
            ["localhost", "127.0.0.1", "-a.de", "a..de", "Portal.de", "a.de/x", "xn--.de", "a_b.de", ""]
        {
            assert!(!valid_domain(bad), "{bad}");
        }
    }

    #[test]
    fn links_are_web_addresses_only() {
        assert!(valid_link("https://www.makler-mueller.de/impressum"));
        assert!(valid_link("http://makler.example/datenschutz#cookies"));
        for bad in [
            "javascript:alert(1)",
            "https://",
            "ftp://x.de",
            "https://x.de/a b",
            "www.x.de",
            "https://localhost",
        ] {
            assert!(!valid_link(bad), "{bad}");
        }
    }

    #[test]
    fn the_snippet_escapes_and_uses_the_brand() {
        let html = homepage_snippet("https://portal.x.de/login?a=1&b=2", "Zum \"Portal\"", "#fde047");
        assert!(html.starts_with("<a href=\"https://portal.x.de/login?a=1&amp;b=2\""));
        assert!(html.contains("background:#fde047"));
        assert!(html.contains("color:#0f172a"));
        assert!(html.contains(">Zum &quot;Portal&quot;</a>"));
    }
}
