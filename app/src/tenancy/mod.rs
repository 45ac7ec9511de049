//! Brokers are tenants. A request belongs to the broker whose custom domain it names,
//! or whose slug is the first label under the base domain; no other host sees any data.

use serde::{Deserialize, Serialize};

use crate::ids::BrokerId;

#[cfg(feature = "ssr")]
pub mod ssr;

/// A broker as the server knows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Broker {
    pub id: BrokerId,
    pub slug: String,
    pub name: String,
    pub primary_color: String,
    pub accent_color: String,
    /// When the logo last changed; 0 without a logo.
    pub logo_version: i64,
    pub imprint_url: Option<String>,
    pub privacy_url: Option<String>,
}

/// What the browser may know about the broker whose site it shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct BrokerInfo {
    pub name: String,
    pub primary_color: String,
    /// The logo's URL, when there is a logo.
    pub logo: Option<String>,
    pub imprint_url: Option<String>,
    pub privacy_url: Option<String>,
}

impl From<&Broker> for BrokerInfo {
    fn from(b: &Broker) -> Self {
        BrokerInfo {
            name: b.name.clone(),
            primary_color: b.primary_color.clone(),
            logo: (b.logo_version > 0).then(|| format!("/brand/logo.png?v={}", b.logo_version)),
            imprint_url: b.imprint_url.clone(),
            privacy_url: b.privacy_url.clone(),
        }
    }
}

/// The host a request names, lower-cased and without port.
pub fn normalize_host(host: &str) -> String {
    let host = host.trim().trim_end_matches('.');
    let without_port =
        if let Some(rest) = host.strip_prefix('[') {
            rest.split(']').next().unwrap_or(rest)
        } else {
            host.rsplit_once(':').map_or(host, |(h, port)| {
                if port.chars().all(|c| c.is_ascii_digit()) {
                    h
                } else {
                    host
                }
            })
        };
    without_port.to_ascii_lowercase()
}

/// The slug a host names under the base domain (`mueller.folio.example` → `mueller`).
pub fn slug_of_host<'a>(host: &'a str, base_domain: &str) -> Option<&'a str> {
    let label = host.strip_suffix(base_domain)?.strip_suffix('.')?;
    (!label.is_empty() && !label.contains('.')).then_some(label)
}

/// Loopback hosts where the browser talks plain http during development.
pub fn is_local_host(host: &str) -> bool {
    host == "localhost" || host.ends_with(".localhost") || host == "127.0.0.1" || host == "::1"
}

/// The base URL people use for a host: http with the port on loopback, https elsewhere.
pub fn base_url(host: &str, local_port: u16) -> String {
    if is_local_host(host) {
        format!("http://{host}:{local_port}")
    } else {
        format!("https://{host}")
    }
}

/// A slug: lower-case letters, digits and inner hyphens, usable as a DNS label.
pub fn valid_slug(slug: &str) -> bool {
    valid_label(slug, 40)
}

/// One DNS label of at most `max_len` characters: lower-case letters, digits, inner hyphens.
pub fn valid_label(label: &str, max_len: usize) -> bool {
    (1..=max_len).contains(&label.len())
        && label.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_lose_port_and_case() {
        assert_eq!(normalize_host("Mueller.Localhost:3000"), "mueller.localhost");
        assert_eq!(normalize_host("portal.makler.de."), "portal.makler.de");
        assert_eq!(normalize_host("[::1]:3000"), "::1");
        assert_eq!(normalize_host("localhost"), "localhost");
    }

    #[test]
    fn slugs_come_from_one_label_under_the_base_domain() {
        assert_eq!(slug_of_host("demo.localhost", "localhost"), Some("demo"));
        assert_eq!(slug_of_host("a.b.localhost", "localhost"), None);
        assert_eq!(slug_of_host("localhost", "localhost"), None);
        assert_eq!(slug_of_host("evilocalhost", "localhost"), None);
        assert_eq!(slug_of_host("x.folio.example", "folio.example"), Some("x"));
    }

    #[test]
    fn slugs_are_dns_labels() {
        assert!(valid_slug("mueller-partner"));
        assert!(!valid_slug("Mueller"));
        assert!(!valid_slug("-x"));
        assert!(!valid_slug(""));
        assert!(!valid_slug("a.b"));
    }

    #[test]
    fn links_use_https_except_on_loopback() {
        assert_eq!(base_url("demo.localhost", 3000), "http://demo.localhost:3000");
        assert_eq!(base_url("portal.makler.de", 3000), "https://portal.makler.de");
    }
}
