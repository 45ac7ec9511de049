//! What the middleware learned about a request (tenant, signed-in user, client, locale),
//! and the checks every server function starts with.

use std::net::IpAddr;

use leptos::prelude::*;

use crate::auth::{Role, SessionUser};
use crate::error::{AppError, Result};
use crate::i18n::Locale;
use crate::state::AppState;
use crate::tenancy::Broker;

#[derive(Clone, Debug)]
pub struct RequestCtx {
    pub broker: Broker,
    pub user: Option<SessionUser>,
    /// A session cookie came with the request but named no live session.
    pub session_expired: bool,
    pub ip: Option<IpAddr>,
    pub request_id: String,
    pub locale: Locale,
    /// The Host header without port, as the browser sent it.
    pub host: String,
    /// True when the browser talks to us over loopback without TLS (local development).
    pub local: bool,
}

impl RequestCtx {
    /// Base URL for links in mails: the host the person is using right now.
    pub fn base_url(&self, state: &AppState) -> String {
        crate::tenancy::base_url(&self.host, state.config.local_port)
    }
}

/// The address of the person behind a request. Behind a reverse proxy the connection comes
/// from the proxy, which names the client in `X-Forwarded-For`; that header is only believed
/// when the connection comes from a proxy in `trusted`, and then its last address that is not
/// itself a trusted proxy counts (anything further left the client could have written).
pub fn client_ip(peer: Option<IpAddr>, forwarded_for: Option<&str>, trusted: &[IpAddr]) -> Option<IpAddr> {
    let peer = peer?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let forwarded = forwarded_for.unwrap_or_default().split(',').rev().map(|a| a.trim().parse::<IpAddr>());
    for address in forwarded {
        match address {
            Ok(ip) if trusted.contains(&ip) => {}
            Ok(ip) => return Some(ip),
            Err(_) => break,
        }
    }
    Some(peer)
}

fn parts() -> Option<http::request::Parts> {
    use_context::<http::request::Parts>()
}

/// What the person of this request uses, coarsely ("Chrome · Android", [`device_label`]); kept
/// with a session so they recognise their devices. Read only when a session starts.
pub fn device() -> Option<String> {
    parts()?.headers.get(http::header::USER_AGENT)?.to_str().ok().and_then(device_label)
}

pub fn request_ctx() -> Result<RequestCtx> {
    parts()
        .and_then(|p| p.extensions.get::<RequestCtx>().cloned())
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("request without tenant context")))
}

pub fn app_state() -> Result<AppState> {
    use_context::<AppState>()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("no application state in context")))
}

pub fn current_request_id() -> String {
    parts()
        .and_then(|p| p.extensions.get::<RequestCtx>().map(|c| c.request_id.clone()))
        .unwrap_or_else(crate::auth::tokens::short_id)
}

pub fn require_user() -> Result<(RequestCtx, SessionUser)> {
    let ctx = request_ctx()?;
    let user = ctx.user.clone().ok_or(AppError::Unauthenticated)?;
    Ok((ctx, user))
}

pub fn require_staff() -> Result<(RequestCtx, SessionUser)> {
    let (ctx, user) = require_user()?;
    if user.role.is_staff() {
        Ok((ctx, user))
    } else {
        Err(AppError::Forbidden)
    }
}

pub fn require_owner() -> Result<(RequestCtx, SessionUser)> {
    let (ctx, user) = require_user()?;
    if user.role == Role::Owner {
        Ok((ctx, user))
    } else {
        Err(AppError::Forbidden)
    }
}

/// How long a proof of identity (the password, with the second factor where there is one)
/// counts for sensitive actions: inviting staff, domains, API keys, the brand, resets of a
/// second factor, the sign-in rule.
pub const PROOF_FRESH_SECS: i64 = 600;

/// Refuses a sensitive action when the person last proved who they are too long ago.
pub fn require_recent_proof(user: &SessionUser) -> Result<()> {
    if crate::db::now() - user.proved_at > PROOF_FRESH_SECS {
        return Err(AppError::ProofNeeded);
    }
    Ok(())
}

/// An owner who proved who they are within the last ten minutes.
pub fn require_owner_proved() -> Result<(RequestCtx, SessionUser)> {
    let (ctx, user) = require_owner()?;
    require_recent_proof(&user)?;
    Ok((ctx, user))
}

/// A cookie of this request by name.
pub fn cookie(name: &str) -> Option<String> {
    let parts = parts()?;
    parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, value)| *n == name && !value.is_empty())
        .map(|(_, value)| value.to_owned())
}

/// Gives an error its HTTP status for script clients. A plain form post (no wasm yet)
/// keeps leptos' redirect back to the form, which then shows the error.
pub fn respond<T>(result: Result<T>) -> Result<T> {
    if let Err(error) = &result {
        let plain_form = parts().is_some_and(|p| {
            p.headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("text/html"))
        });
        if !plain_form {
            if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
                options.set_status(error.status());
            }
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::client_ip;
    use std::net::IpAddr;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let proxy = ip("127.0.0.1");
        let client = "203.0.113.7";
        // No proxy configured: the header is whatever the client wrote.
        assert_eq!(client_ip(Some(proxy), Some(client), &[]), Some(proxy));
        assert_eq!(client_ip(Some(ip("198.51.100.1")), Some(client), &[proxy]), Some(ip("198.51.100.1")));
        // Through the proxy: the address it saw.
        assert_eq!(client_ip(Some(proxy), Some(client), &[proxy]), Some(ip(client)));
        // What the client wrote itself stands further left and is ignored.
        assert_eq!(client_ip(Some(proxy), Some("1.2.3.4, 203.0.113.7"), &[proxy]), Some(ip(client)));
        // Two proxies in a row.
        let inner = ip("10.0.0.2");
        assert_eq!(client_ip(Some(proxy), Some("203.0.113.7, 10.0.0.2"), &[proxy, inner]), Some(ip(client)));
        // Nothing usable: the proxy itself.
        assert_eq!(client_ip(Some(proxy), Some("garbage"), &[proxy]), Some(proxy));
        assert_eq!(client_ip(Some(proxy), None, &[proxy]), Some(proxy));
        assert_eq!(client_ip(None, Some(client), &[proxy]), None);
    }
}

/// A coarse name of the browser and system behind a `User-Agent` ("Firefox · Windows"), or
/// `None` when neither is recognised. Nothing finer (versions, models) is kept.
pub fn device_label(user_agent: &str) -> Option<String> {
    let ua = user_agent;
    let browser = if ua.contains("Edg/") {
        Some("Edge")
    } else if ua.contains("OPR/") {
        Some("Opera")
    } else if ua.contains("SamsungBrowser/") {
        Some("Samsung Internet")
    } else if ua.contains("Firefox/") || ua.contains("FxiOS/") {
        Some("Firefox")
    } else if ua.contains("Chrome/") || ua.contains("CriOS/") || ua.contains("Chromium/") {
        Some("Chrome")
    } else if ua.contains("Safari/") {
        Some("Safari")
    } else {
        None
    };
    let system = if ua.contains("iPhone") {
        Some("iPhone")
    } else if ua.contains("iPad") {
        Some("iPad")
    } else if ua.contains("Android") {
        Some("Android")
    } else if ua.contains("Windows") {
        Some("Windows")
    } else if ua.contains("Mac OS X") || ua.contains("Macintosh") {
        Some("macOS")
    } else if ua.contains("CrOS") {
        Some("ChromeOS")
    } else if ua.contains("Linux") {
        Some("Linux")
    } else {
        None
    };
    match (browser, system) {
        (Some(b), Some(s)) => Some(format!("{b} · {s}")),
        (Some(one), None) | (None, Some(one)) => Some(one.to_owned()),
        (None, None) => None,
    }
}

#[cfg(test)]
mod device_tests {
    use super::device_label;

    #[test]
    fn devices_are_named_coarsely() {
        let android = "Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36";
        assert_eq!(device_label(android).as_deref(), Some("Chrome · Android"));
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1";
        assert_eq!(device_label(iphone).as_deref(), Some("Safari · iPhone"));
        let edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0";
        assert_eq!(device_label(edge).as_deref(), Some("Edge · Windows"));
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
        assert_eq!(device_label(firefox).as_deref(), Some("Firefox · Linux"));
        assert_eq!(device_label("curl/8.5.0"), None);
        assert_eq!(device_label(""), None);
    }
}
