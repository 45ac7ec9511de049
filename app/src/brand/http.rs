//! The routes that make each broker's host its own app: the colours as CSS, the web app
//! manifest, icons, the logo and its upload, the service worker and the offline page it
//! falls back to, and the question a TLS proxy asks before it gets a certificate.

use std::path::Path as FsPath;
use std::sync::OnceLock;

use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::icons::{self, Icon, LOGO_MAX_BYTES};
use super::{html_escape, short_name, text_on, texts::texts};
use crate::audit::ssr::Actor;
use crate::auth::Role;
use crate::error::{AppError, Problem, Result};
use crate::request::RequestCtx;
use crate::state::AppState;
use crate::tenancy::{self, normalize_host, Broker};
use leptos::config::LeptosOptions;

fn with_headers(mut response: Response, headers: &[(header::HeaderName, &'static str)]) -> Response {
    for (name, value) in headers {
        response.headers_mut().insert(name.clone(), HeaderValue::from_static(value));
    }
    response
}

/// `/brand.css`: the broker's colours as CSS variables, so pages need no inline styles.
#[allow(clippy::unused_async)] // an axum handler
pub async fn brand_css(Extension(ctx): Extension<RequestCtx>) -> Response {
    let b = &ctx.broker;
    let css = format!(
        ":root{{--color-brand:{};--color-on-brand:{};--color-accent:{};--color-on-accent:{};}}\n",
        b.primary_color,
        text_on(&b.primary_color),
        b.accent_color,
        text_on(&b.accent_color),
    );
    with_headers(
        css.into_response(),
        &[(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")],
    )
}

/// A short token that changes when the icons change (name, colour or logo).
fn icon_version(b: &Broker) -> String {
    let digest = Sha256::digest(format!("{}\n{}\n{}", b.name, b.primary_color, b.logo_version));
    hex::encode(&digest[..4])
}

/// `/manifest.webmanifest`: what a phone needs to install the broker's app.
#[allow(clippy::unused_async)] // an axum handler
pub async fn manifest(Extension(ctx): Extension<RequestCtx>) -> Response {
    let b = &ctx.broker;
    let v = icon_version(b);
    let icon = |file: &str, size: u32, purpose: &str| {
        serde_json::json!({
            "src": format!("/brand/{file}?v={v}"),
            "sizes": format!("{size}x{size}"),
            "type": "image/png",
            "purpose": purpose,
        })
    };
    let body = serde_json::json!({
        "id": "/",
        "name": b.name,
        "short_name": short_name(&b.name),
        "lang": ctx.locale.code(),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": b.primary_color,
        "background_color": "#ffffff",
        "icons": [icon("icon-192.png", 192, "any"), icon("icon-512.png", 512, "any"), icon("maskable-512.png", 512, "maskable")],
    });
    with_headers(
        body.to_string().into_response(),
        &[(header::CONTENT_TYPE, "application/manifest+json"), (header::CACHE_CONTROL, "no-cache")],
    )
}

/// `/brand/{file}`: the icons of the manifest, the apple-touch-icon and the favicon.
pub async fn icon(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestCtx>,
    Path(file): Path<String>,
) -> Response {
    let Some(kind) = Icon::from_file_name(&file) else { return AppError::NotFound.problem(ctx.locale) };
    let result = async {
        let logo = if ctx.broker.logo_version > 0 {
            super::ssr::logo(&state.db, ctx.broker.id).await?
        } else {
            None
        };
        let (name, primary) = (ctx.broker.name.clone(), ctx.broker.primary_color.clone());
        tokio::task::spawn_blocking(move || icons::icon(kind, &name, &primary, logo.as_deref()))
            .await
            .map_err(|e| AppError::internal(anyhow::anyhow!("icon task failed: {e}")))
    }
    .await;
    match result {
        Ok(png) => png_response(png),
        Err(error) => error.problem(ctx.locale),
    }
}

fn png_response(png: Vec<u8>) -> Response {
    with_headers(
        png.into_response(),
        &[(header::CONTENT_TYPE, "image/png"), (header::CACHE_CONTROL, "no-cache")],
    )
}

/// `/brand/logo.png`: the broker's logo, public like everything on the sign-in page.
pub async fn logo(State(state): State<AppState>, Extension(ctx): Extension<RequestCtx>) -> Response {
    match super::ssr::logo(&state.db, ctx.broker.id).await {
        Ok(Some(png)) => png_response(png),
        Ok(None) => AppError::NotFound.problem(ctx.locale),
        Err(error) => error.problem(ctx.locale),
    }
}

/// How long turning an upload into the stored logo may take before the owner hears it is
/// too elaborate (the drawing itself then ends in the background).
const LOGO_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(5);

/// `POST /brand/logo`: the owner uploads a logo from the settings page (a plain form, so it
/// works before the page's script has loaded). Answers with a redirect back to the page,
/// carrying the outcome.
pub async fn upload_logo(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestCtx>,
    multipart: Multipart,
) -> Response {
    let result = async {
        let user = ctx.user.as_ref().ok_or(AppError::Unauthenticated)?;
        if user.role != Role::Owner {
            return Err(AppError::Forbidden);
        }
        let bytes = read_logo(multipart).await?;
        let drawing = tokio::task::spawn_blocking(move || icons::logo_from_upload(&bytes));
        let png = tokio::time::timeout(LOGO_TIME_LIMIT, drawing)
            .await
            .map_err(|_| AppError::field("logo", Problem::SvgTooComplex))?
            .map_err(|e| AppError::internal(anyhow::anyhow!("logo task failed: {e}")))?
            .map_err(|problem| AppError::field("logo", problem))?;
        super::ssr::set_logo(&state.db, ctx.broker.id, Some(png), Actor::Staff(user.id), ctx.ip).await
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/office/settings?logo=saved#logo").into_response(),
        Err(AppError::Invalid(errors)) => {
            let problem = errors.first().map_or(Problem::FileInvalid, |e| e.problem);
            let code = serde_json::to_value(problem)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            Redirect::to(&format!("/office/settings?logo_error={code}#logo")).into_response()
        }
        Err(error) => error.problem(ctx.locale),
    }
}

async fn read_logo(mut multipart: Multipart) -> Result<Vec<u8>> {
    let broken = || AppError::field("logo", Problem::FileInvalid);
    while let Some(mut field) = multipart.next_field().await.map_err(|_| broken())? {
        if field.name() != Some("logo") || field.file_name() == Some("") {
            continue;
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| broken())? {
            if bytes.len() + chunk.len() > LOGO_MAX_BYTES {
                return Err(AppError::field("logo", Problem::FileTooLarge));
            }
            bytes.extend_from_slice(&chunk);
        }
        return Ok(bytes);
    }
    Err(AppError::field("logo", Problem::Required))
}

/// What the service worker keeps for offline use: the offline page and the files that
/// style it and start the app, never a page or a file with someone's data.
struct Shell {
    version: String,
    /// `/assets/{version}`.
    root: String,
    assets: Vec<String>,
}

/// The app shell of this build, read once: its version changes whenever a file of the
/// front end does, so a new build installs a new service worker, and the files are served
/// under it (`/assets/{version}/pkg/…`), which lets browsers keep them for a year.
fn shell(options: &LeptosOptions) -> &'static Shell {
    static SHELL: OnceLock<Shell> = OnceLock::new();
    SHELL.get_or_init(|| {
        let dir = FsPath::new(&*options.site_root).join(&*options.site_pkg_dir);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| {
                        p.is_file() && p.extension().is_some_and(|x| x == "js" || x == "wasm" || x == "css")
                    })
                    .filter_map(|p| p.file_name().map(std::ffi::OsStr::to_os_string))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        let names: Vec<String> = files.into_iter().map(|n| n.to_string_lossy().into_owned()).collect();
        let mut hasher = Sha256::new();
        hasher.update(env!("CARGO_PKG_VERSION"));
        for name in &names {
            hasher.update(name);
            hasher.update(std::fs::read(dir.join(name)).unwrap_or_default());
        }
        // The office's bundle counts for the version too, but a customer's worker never
        // fetches it.
        for ext in ["js", "wasm"] {
            let file = dir.join(OFFICE_BUNDLE).join(format!("{}.{ext}", options.output_name));
            hasher.update(std::fs::read(file).unwrap_or_default());
        }
        let version = hex::encode(&hasher.finalize()[..8]);
        let mut assets = vec!["/offline".to_owned(), "/brand.css".to_owned()];
        let root = format!("/assets/{version}");
        assets.extend(names.iter().map(|name| format!("{root}/{}/{name}", options.site_pkg_dir)));
        Shell { version, root, assets }
    })
}

/// The folder of the office's bundle inside the site's `pkg/` (see `scripts/lib.sh`).
pub const OFFICE_BUNDLE: &str = "office";

/// The options whose hydration scripts start the right bundle for a page: the office's on
/// `/office/…`, the customer's (without the office's code) everywhere else.
pub fn bundle_for(mut options: LeptosOptions, path: &str) -> LeptosOptions {
    if path == "/office" || path.starts_with("/office/") {
        options.site_pkg_dir = format!("{}/{OFFICE_BUNDLE}", options.site_pkg_dir).into();
    }
    options
}

/// Where the pages load the front end's files from: `/assets/{version}`, without a slash at
/// the end (the root of the page's stylesheet and of `StartFrontEnd` in `lib.rs`).
pub fn asset_root(options: &LeptosOptions) -> &'static str {
    &shell(options).root
}

/// The version of this build's front end, which its files are served under.
pub fn asset_version(options: &LeptosOptions) -> &'static str {
    &shell(options).version
}

/// `/sw.js`: the service worker, the same for every broker (each host gets its own copy).
#[allow(clippy::unused_async)] // an axum handler
pub async fn service_worker(State(state): State<AppState>) -> Response {
    let shell = shell(&state.leptos_options);
    let assets = serde_json::to_string(&shell.assets).unwrap_or_else(|_| "[]".into());
    let script = SERVICE_WORKER.replace("__VERSION__", &shell.version).replace("__ASSETS__", &assets);
    with_headers(
        script.into_response(),
        &[
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
            (header::CONTENT_SECURITY_POLICY, "default-src 'self'"),
        ],
    )
}

const SERVICE_WORKER: &str = r"// Offline support for the installed app. It keeps only the offline page and the
// files of the app itself; pages, documents and messages are never written to a cache.
const VERSION = '__VERSION__';
const CACHE = 'shell-' + VERSION;
const SHELL = __ASSETS__;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(SHELL.map((url) => new Request(url, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(fetch(request).catch(() => caches.match('/offline')));
    return;
  }
  if (SHELL.includes(url.pathname) && url.search === '') {
    // Network first, so colours and code are always current while online.
    event.respondWith(fetch(request).catch(() => caches.match(url.pathname)));
  }
});
";

/// `/offline`: what the installed app shows without a connection, in the broker's name.
#[allow(clippy::unused_async)] // an axum handler
pub async fn offline(State(state): State<AppState>, Extension(ctx): Extension<RequestCtx>) -> Response {
    let t = texts(ctx.locale);
    let b = &ctx.broker;
    let name = html_escape(&b.name);
    let html = format!(
        r#"<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · {name}</title><meta name="theme-color" content="{color}">
<link rel="stylesheet" href="/brand.css"><link rel="stylesheet" href="{root}/pkg/site.css"></head>
<body class="bg-slate-50 text-slate-900 antialiased">
<header class="border-b-4 border-accent bg-brand px-4 py-3 text-on-brand"><p class="mx-auto max-w-2xl font-semibold">{name}</p></header>
<main class="mx-auto max-w-md px-4 py-16 text-center">
<h1 class="mb-2 text-2xl font-semibold">{title}</h1>
<p class="mb-6 text-slate-700">{text}</p>
<a href="/" class="inline-flex items-center justify-center rounded-lg bg-brand px-4 py-2 font-medium text-on-brand">{retry}</a>
</main></body></html>"#,
        lang = ctx.locale.code(),
        root = asset_root(&state.leptos_options),
        title = t.offline_title,
        text = t.offline_text,
        retry = t.offline_retry,
        color = b.primary_color,
    );
    with_headers(
        html.into_response(),
        &[
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'self'",
            ),
        ],
    )
}

#[derive(Deserialize, Serialize)]
pub struct AskQuery {
    domain: Option<String>,
}

/// `GET /tls/ask?domain=…`, answered on any host: 200 when the domain is a broker's (a
/// custom domain or a slug host), else 404. A TLS proxy such as Caddy asks this before it
/// requests a certificate on demand, so nobody can make it fetch certificates for others.
pub async fn tls_ask(State(state): State<AppState>, Query(query): Query<AskQuery>) -> Response {
    let domain = normalize_host(query.domain.as_deref().unwrap_or_default());
    match tenancy::ssr::find_by_host(&state.db, &domain, &state.config.base_domain).await {
        Ok(Some(_)) => StatusCode::OK.into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => AppError::internal(e).into_response(),
    }
}
