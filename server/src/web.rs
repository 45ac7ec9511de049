//! The HTTP side: tenant and session middleware, security headers, health, the per-broker
//! stylesheet, and the Leptos routes and server functions.

use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::Duration;

use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::serve::ListenerExt;
use axum::{Json, Router};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes, ResponseOptions};
use tower::ServiceExt;
use tower_http::services::ServeDir;

use app::auth::{sessions, tokens};
use app::brand;
use app::db::now;
use app::documents;
use app::i18n::Locale;
use app::request::RequestCtx;
use app::state::AppState;
use app::tenancy::{self, is_local_host, normalize_host};
use app::{shell, App};

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    let tenant_routes = Router::new()
        .route("/brand.css", get(brand::http::brand_css))
        .route("/manifest.webmanifest", get(brand::http::manifest))
        .route("/sw.js", get(brand::http::service_worker))
        .route("/offline", get(brand::http::offline))
        .route("/assets/{version}/{*file}", get(asset))
        .route("/brand/logo.png", get(brand::http::logo))
        .route(
            "/brand/logo",
            post(brand::http::upload_logo)
                .layer(DefaultBodyLimit::max(brand::icons::LOGO_MAX_BYTES + 64 * 1024)),
        )
        .route("/brand/{file}", get(brand::http::icon))
        .route(
            "/files/upload",
            post(documents::http::upload).layer(DefaultBodyLimit::max(documents::http::MAX_BODY_BYTES)),
        )
        .route(
            "/office/grants",
            post(app::access::http::create).layer(DefaultBodyLimit::max(documents::http::MAX_BODY_BYTES)),
        )
        .route("/office/mandate-form", post(app::access::http::mandate_form))
        .route(
            "/office/imports",
            post(app::imports::http::upload)
                .layer(DefaultBodyLimit::max(app::imports::ssr::MAX_FILE_BYTES + 64 * 1024)),
        )
        .route("/office/import/template.csv", get(app::imports::http::template))
        .route("/office/imports/{id}/report.txt", get(app::imports::http::report))
        .route("/app/profile/my-data", post(app::my_data::http::own))
        .route("/office/customers/{id}/my-data", post(app::my_data::http::for_customer))
        .route("/files/{id}", get(documents::http::download))
        .route("/files/{id}/preview", get(documents::http::preview))
        .leptos_routes_with_context(&state, routes, page_csp, move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(page_csp, shell))
        .layer(middleware::from_fn_with_state(state.clone(), tenant))
        .layer(middleware::from_fn(same_origin_only));
    Router::new()
        .route("/healthz", get(healthz))
        .route("/tls/ask", get(brand::http::tls_ask))
        .nest("/api/v1", crate::api::router())
        .merge(tenant_routes)
        .layer(middleware::from_fn(security_headers))
        .with_state(state)
}

pub async fn serve(state: AppState, addr: SocketAddr) -> anyhow::Result<()> {
    spawn_housekeeping(state.clone());
    app::mailbox::notices::spawn(state.clone());
    // TCP_NODELAY: a page streams out in several writes; with Nagle's algorithm the last one
    // waited for the browser's delayed ACK, 40 ms on every page of a kept-alive connection.
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?
        .tap_io(|tcp| {
            if let Err(error) = tcp.set_nodelay(true) {
                tracing::debug!(%error, "cannot set TCP_NODELAY");
            }
        });
    tracing::info!("listening on http://{}", axum::serve::Listener::local_addr(&listener)?);
    axum::serve(listener, router(state).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = terminate => {} }
}

/// Hourly: every periodic job (`app::housekeeping`).
fn spawn_housekeeping(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_hours(1));
        loop {
            tick.tick().await;
            app::housekeeping::run_once(&state, now()).await;
        }
    });
}

/// `/assets/{version}/{file}`: the front end's files (`pkg/…`, and the site's own scripts such
/// as `passkeys.js`) under their build's version, which browsers keep for a year; brotli or gzip where the browser takes it (the release build
/// writes a `.br` and a `.gz` beside each file). A page of an older build asking for its
/// version gets today's file, for revalidation only.
async fn asset(
    State(state): State<AppState>,
    Path((version, _)): Path<(String, String)>,
    req: Request,
) -> Response {
    static FILES: OnceLock<ServeDir> = OnceLock::new();
    let options = &state.leptos_options;
    let files =
        FILES.get_or_init(|| ServeDir::new(&*options.site_root).precompressed_br().precompressed_gzip());
    let current = version == brand::http::asset_version(options);
    let (mut parts, body) = req.into_parts();
    let prefix_len = parts.uri.path().match_indices('/').nth(2).map_or(0, |(i, _)| i);
    let Ok(uri) = parts.uri.path()[prefix_len..].parse() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    parts.uri = uri;
    let Ok(res) = files.clone().oneshot(Request::from_parts(parts, body)).await;
    let mut res = res.map(Body::new);
    let cache =
        if current && res.status().is_success() { "public, max-age=31536000, immutable" } else { "no-cache" };
    let h = res.headers_mut();
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    res
}

/// CSP for rendered pages: scripts only from our origin or with this response's nonce.
fn page_csp() {
    if let (Some(nonce), Some(response)) = (leptos::nonce::use_nonce(), use_context::<ResponseOptions>()) {
        let policy = format!(
            "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
             img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
             form-action 'self'; frame-ancestors 'self'"
        );
        if let Ok(value) = HeaderValue::from_str(&policy) {
            response.insert_header(header::CONTENT_SECURITY_POLICY, value);
        }
    }
}

async fn security_headers(req: Request, next: Next) -> Response {
    let is_asset = req.uri().path().starts_with("/pkg/") || req.uri().path().starts_with("/assets/");
    // Every host but loopback is served over https (behind the proxy that ends TLS), so the
    // browser is told to use nothing else for it.
    let https = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|h| !is_local_host(&normalize_host(h)));
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if https {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("SAMEORIGIN"));
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static("default-src 'none'; frame-ancestors 'self'"));
    if !is_asset {
        h.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    }
    res
}

/// Refuses (403) a state-changing request that a browser sent from another site, before it
/// reaches a tenant: a broker's homepage may share the site with the portal, so SameSite
/// cookies alone would let it post a form here. `/api/v1` is outside (API keys, no cookies).
async fn same_origin_only(req: Request, next: Next) -> Response {
    if from_elsewhere(&req) {
        return (StatusCode::FORBIDDEN, "403: a request from another site is refused.").into_response();
    }
    next.run(req).await
}

/// Whether a request may not change state here, by its headers (see [`from_this_origin`]);
/// logged when so.
fn from_elsewhere(req: &Request) -> bool {
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    let refused = !from_this_origin(req.method(), header("sec-fetch-site"), header("origin"), header("host"));
    if refused {
        tracing::info!(path = req.uri().path(), origin = header("origin"), "cross-origin request refused");
    }
    refused
}

/// Whether a request may change state here: reading always may; a browser says where a
/// request comes from (`Sec-Fetch-Site`, or else `Origin`), and only this origin (or the
/// person typing the address) counts. A request with neither header comes from no browser
/// (a script, a test client), which no other site can make a person's browser send.
fn from_this_origin(
    method: &axum::http::Method,
    fetch_site: Option<&str>,
    origin: Option<&str>,
    host: Option<&str>,
) -> bool {
    if method.is_safe() {
        return true;
    }
    if let Some(site) = fetch_site {
        return matches!(site, "same-origin" | "none");
    }
    match origin {
        None => true,
        Some(origin) => {
            let origin_host = origin.split_once("://").map(|(_, rest)| rest);
            matches!((origin_host, host), (Some(o), Some(h)) if o.eq_ignore_ascii_case(h))
        }
    }
}

/// Finds the broker for the Host, loads the session, picks the language.
/// An unknown host gets a neutral page and touches no tenant data.
async fn tenant(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let request_id = tokens::short_id();
    let host =
        req.headers().get(header::HOST).and_then(|h| h.to_str().ok()).map(normalize_host).unwrap_or_default();
    let broker = match tenancy::ssr::find_by_host(&state.db, &host, &state.config.base_domain).await {
        Ok(Some(broker)) => broker,
        Ok(None) => return unknown_host(),
        Err(e) => return internal(&request_id, &e),
    };
    let local = is_local_host(&host);
    let secret = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| sessions::secret_from_cookie_header(v, local).map(str::to_owned));
    let (user, session_expired) = match &secret {
        None => (None, false),
        Some(secret) => {
            let c = &state.config;
            match sessions::load(
                &state.db,
                broker.id,
                secret,
                now(),
                c.session_idle_secs,
                c.session_absolute_secs,
            )
            .await
            {
                Ok(Some(user)) => (Some(user), false),
                Ok(None) => (None, true),
                Err(e) => return internal(&request_id, &e),
            }
        }
    };
    let locale = user
        .as_ref()
        .and_then(|u| u.locale)
        .or_else(|| {
            req.headers()
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Locale::from_accept_language)
        })
        .unwrap_or_default();
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let forwarded = req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok());
    let ip = app::request::client_ip(peer, forwarded, &state.config.trusted_proxies);
    req.extensions_mut().insert(RequestCtx {
        broker,
        user,
        session_expired,
        ip,
        request_id,
        locale,
        host,
        local,
    });
    let mut res = next.run(req).await;
    if session_expired {
        if let Ok(v) = HeaderValue::from_str(&sessions::clearing_cookie(local)) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
        res.headers_mut()
            .insert(sessions::CLEAR_SITE_DATA, HeaderValue::from_static(sessions::CLEAR_STORAGE));
    }
    res
}

fn unknown_host() -> Response {
    let body = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>404</title></head>\
                <body><h1>404</h1><p>Not found.</p></body></html>";
    let mut res = (StatusCode::NOT_FOUND, Body::from(body)).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    res
}

fn internal(request_id: &str, error: &dyn std::fmt::Display) -> Response {
    tracing::error!(request_id, error = %error, "request failed");
    (StatusCode::INTERNAL_SERVER_ERROR, format!("Internal error (request {request_id})")).into_response()
}

async fn healthz(State(state): State<AppState>) -> Response {
    let database = state.db.ping().await;
    let status = if database { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    let body = serde_json::json!({
        "status": if database { "ok" } else { "degraded" },
        "database": database,
        "version": env!("CARGO_PKG_VERSION"),
    });
    (status, Json(body)).into_response()
}

#[cfg(test)]
mod tests {
    use axum::http::Method;

    use super::from_this_origin;

    #[test]
    fn only_this_origin_may_change_state() {
        let host = Some("demo.localhost:3000");
        let post = &Method::POST;
        // What browsers send for a form or fetch from the portal itself.
        assert!(from_this_origin(post, Some("same-origin"), Some("http://demo.localhost:3000"), host));
        assert!(from_this_origin(post, None, Some("http://Demo.localhost:3000"), host));
        assert!(from_this_origin(post, Some("none"), None, host));
        // From another site, a sibling on the same site, or an opaque origin.
        assert!(!from_this_origin(post, Some("cross-site"), Some("https://evil.example"), host));
        assert!(!from_this_origin(post, Some("same-site"), Some("http://www.localhost:3000"), host));
        assert!(!from_this_origin(post, None, Some("https://evil.example"), host));
        assert!(!from_this_origin(post, None, Some("http://demo.localhost:3001"), host));
        assert!(!from_this_origin(post, None, Some("null"), host));
        assert!(!from_this_origin(&Method::DELETE, None, Some("https://evil.example"), host));
        // Reading is never refused; a client that is no browser says nothing.
        assert!(from_this_origin(&Method::GET, Some("cross-site"), Some("https://evil.example"), host));
        assert!(from_this_origin(post, None, None, host));
    }
}
