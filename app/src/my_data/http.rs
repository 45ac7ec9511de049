//! The copy as a download: one ZIP that streams out as it is written (the report, the JSON,
//! then every file), so a large folder never sits in memory. Routes: `POST
//! /app/profile/my-data` (a person's own copy) and `POST /office/customers/{id}/my-data` (the
//! office's, for a customer); the REST API's `GET /api/v1/customers/{external_id}/export`
//! calls [`produce`] too. Producing a copy is in the audit trail.

use std::io::Write;
use std::net::IpAddr;

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use tokio::sync::mpsc;

use super::report;
use super::ssr::{collect, holder_of, Export, Subject};
use crate::audit::ssr::{record, Actor, Target};
use crate::documents::store::BlobStore;
use crate::error::{AppError, Result};
use crate::i18n::Locale;
use crate::ids::CustomerId;
use crate::request::RequestCtx;
use crate::state::AppState;
use crate::tenancy::Broker;

/// `POST /app/profile/my-data`: the signed-in person's own copy.
pub async fn own(State(state): State<AppState>, Extension(ctx): Extension<RequestCtx>) -> Response {
    let result = async {
        let user = ctx.user.as_ref().ok_or(AppError::Unauthenticated)?;
        if user.role.is_staff() {
            return Err(AppError::Forbidden);
        }
        let subject = Subject::person(user);
        let actor = Actor::Customer(user.id);
        produce(&state, &ctx.broker, subject, ctx.locale, actor, ctx.ip).await
    }
    .await;
    result.unwrap_or_else(|error| error.problem(ctx.locale))
}

/// `POST /office/customers/{id}/my-data`: the office's copy for one of its customers, in the
/// customer's language.
pub async fn for_customer(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestCtx>,
    Path(id): Path<CustomerId>,
) -> Response {
    let result = async {
        let user = ctx.user.as_ref().ok_or(AppError::Unauthenticated)?;
        if !user.role.is_staff() {
            return Err(AppError::Forbidden);
        }
        let mut conn = state.db.pool.acquire().await?;
        crate::customers::ssr::staff_may_open(&mut conn, ctx.broker.id, user.role, id).await?;
        drop(conn);
        produce_for_folder(&state, &ctx.broker, id, ctx.locale, Actor::Staff(user.id), ctx.ip).await
    }
    .await;
    result.unwrap_or_else(|error| error.problem(ctx.locale))
}

/// The copy of a folder, for the office and broker systems: with its holder's account, in the
/// holder's language (else `fallback`).
pub async fn produce_for_folder(
    state: &AppState,
    broker: &Broker,
    folder: CustomerId,
    fallback: Locale,
    actor: Actor,
    ip: Option<IpAddr>,
) -> Result<Response> {
    let holder = holder_of(&mut *state.db.pool.acquire().await?, broker.id, folder).await?;
    let locale =
        holder.as_ref().and_then(|h| h.locale.as_deref()).and_then(Locale::parse).unwrap_or(fallback);
    produce(state, broker, Subject::of_folder(folder, holder.map(|h| h.id)), locale, actor, ip).await
}

/// Gathers the subject's data, records that a copy was made, and streams the ZIP.
pub async fn produce(
    state: &AppState,
    broker: &Broker,
    subject: Subject,
    locale: Locale,
    actor: Actor,
    ip: Option<IpAddr>,
) -> Result<Response> {
    let now = crate::db::now();
    let mut tx = state.db.begin().await?;
    let export = collect(&mut tx, broker, &subject, locale, now).await?;
    let target = match (subject.folder, subject.account) {
        (Some(folder), _) => Target::Customer(folder),
        (None, Some(user)) => Target::User(user),
        (None, None) => return Err(AppError::NotFound),
    };
    record(&mut tx, broker.id, actor, "data.exported", Some(target), ip).await?;
    tx.commit().await?;

    let json = serde_json::to_vec_pretty(&export).map_err(AppError::internal)?;
    let html = report::render(&export);
    let blobs = BlobStore::new(&state.config.data_dir);
    let (sender, receiver) = mpsc::channel::<std::io::Result<Bytes>>(4);
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let mut out = ChannelWriter { sender: sender.clone(), buffer: Vec::with_capacity(CHUNK) };
        if let Err(error) = write_zip(&mut out, &runtime, &blobs, &export, &json, &html) {
            tracing::warn!(%error, "a copy of a person's data stopped half-way");
            // The download fails visibly instead of ending as a short, broken file.
            let _ = sender.blocking_send(Err(error));
        }
    });
    let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|chunk| (chunk, receiver))
    });
    let mut response = Body::from_stream(stream).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/zip"));
    let name = format!("{}-{}.zip", super::texts::texts(locale).file_stem, crate::db::today());
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(response)
}

const CHUNK: usize = 64 * 1024;

/// The ZIP's bytes, sent on to the response in chunks as they are written.
struct ChannelWriter {
    sender: mpsc::Sender<std::io::Result<Bytes>>,
    buffer: Vec<u8>,
}

impl ChannelWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK)));
        self.sender
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the download was cancelled"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

fn write_zip(
    out: &mut ChannelWriter,
    runtime: &tokio::runtime::Handle,
    blobs: &BlobStore,
    export: &Export,
    json: &[u8],
    html: &str,
) -> std::io::Result<()> {
    use zip::write::SimpleFileOptions;
    use zip::CompressionMethod;
    let mut zip = zip::ZipWriter::new_stream(&mut *out);
    let text = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    // PDFs and photos are compressed already.
    let file = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    zip.start_file("report.html", text)?;
    zip.write_all(html.as_bytes())?;
    zip.start_file("data.json", text)?;
    zip.write_all(json)?;
    for document in &export.documents {
        let opened = runtime.block_on(blobs.open(&document.blob)).map_err(std::io::Error::other)?;
        let mut source = runtime.block_on(opened.into_std());
        zip.start_file(document.file.as_str(), file)?;
        std::io::copy(&mut source, &mut zip)?;
    }
    zip.finish()?;
    out.flush()
}
