//! The routes that carry document bytes: the streaming upload (multipart; the office's and
//! the customer's), the download and a photo's preview, all behind the session of the
//! tenant's host. Images pass the sanitizer
//! in memory before anything touches the disk; PDFs stream to a temporary file. Every
//! other type is refused by its content, whatever its name or declared type says.

use axum::body::Body;
use axum::extract::multipart::Field;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use serde::Deserialize;

use super::ssr::{insert, stored, upload_key, NewDocument, Stored};
use super::store::{BlobStore, TempBlob};
use super::{Kind, TITLE_MAX_CHARS};
use crate::audit::ssr::{record, Actor, Target};
use crate::error::{AppError, FormErrors, Problem, Result};
use crate::ids::{parse_id, ContractId, CustomerId, DocumentId};
use crate::request::RequestCtx;
use crate::state::AppState;

/// The largest file a single upload may carry.
pub const MAX_FILE_BYTES: u64 = 25 * 1024 * 1024;
/// What the route lets through: one file plus its form fields.
pub const MAX_BODY_BYTES: usize = 26 * 1024 * 1024;
const TEXT_FIELD_MAX_BYTES: usize = 4096;

/// Images read and decoded at once: one per core, at least two. A decode may take up to
/// 50 megapixels × 4 bytes, so this bounds the memory uploads can take.
static DECODES: std::sync::LazyLock<tokio::sync::Semaphore> = std::sync::LazyLock::new(|| {
    tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get().max(2)))
});

/// Uploads one person may make per [`UPLOAD_WINDOW_SECS`]: a customer (a claim with many
/// photos fits), and the office (a day's filing fits).
const CUSTOMER_UPLOADS: i64 = 60;
const STAFF_UPLOADS: i64 = 600;
const UPLOAD_WINDOW_SECS: i64 = 600;

/// Refuses an upload once a person has made their share of the window; says when to retry.
async fn within_upload_limit(state: &AppState, ctx: &RequestCtx, actor: Actor, staff: bool) -> Result<()> {
    let now = crate::db::now();
    let mut conn = state.db.pool.acquire().await?;
    let (done, oldest) = crate::audit::ssr::recent(
        &mut conn,
        ctx.broker.id,
        actor,
        "document.uploaded",
        now - UPLOAD_WINDOW_SECS,
    )
    .await?;
    let limit = if staff { STAFF_UPLOADS } else { CUSTOMER_UPLOADS };
    if done >= limit {
        let free_at = oldest.unwrap_or(now) + UPLOAD_WINDOW_SECS;
        return Err(AppError::TooManyUploads { retry_after_secs: crate::db::secs_until(free_at, now) });
    }
    Ok(())
}

/// A file that has arrived whole (and, if an image, clean).
pub struct Received {
    pub blob: TempBlob,
    pub media_type: &'static str,
}

/// Reads an uploaded file: PDFs stream to disk, images are cleaned in memory first.
pub async fn receive(state: &AppState, mut field: Field<'_>) -> Result<Received> {
    let mut head = Vec::new();
    while head.len() < 8 {
        match field.chunk().await.map_err(|_| AppError::field("file", Problem::FileInvalid))? {
            Some(chunk) => head.extend_from_slice(&chunk),
            None => break,
        }
    }
    if head.is_empty() {
        return Err(AppError::field("file", Problem::Required));
    }
    let blobs = BlobStore::new(&state.config.data_dir);
    if head.starts_with(b"%PDF-") {
        let mut writer = blobs.temp_writer().await?;
        writer.write(&head).await?;
        let mut size = head.len() as u64;
        while let Some(chunk) =
            field.chunk().await.map_err(|_| AppError::field("file", Problem::FileInvalid))?
        {
            size += chunk.len() as u64;
            if size > MAX_FILE_BYTES {
                return Err(AppError::field("file", Problem::FileTooLarge));
            }
            writer.write(&chunk).await?;
        }
        return Ok(Received { blob: writer.finish().await?, media_type: "application/pdf" });
    }
    // Images (and everything else, which the sanitizer names and refuses) stay in memory:
    // the original bytes of a photo never reach the disk. Only a few are read and decoded
    // at a time, so parallel uploads cannot exhaust the server's memory; the rest wait.
    let _turn = DECODES.acquire().await.map_err(AppError::internal)?;
    let mut bytes = head;
    while let Some(chunk) = field.chunk().await.map_err(|_| AppError::field("file", Problem::FileInvalid))? {
        if (bytes.len() + chunk.len()) as u64 > MAX_FILE_BYTES {
            return Err(AppError::field("file", Problem::FileTooLarge));
        }
        bytes.extend_from_slice(&chunk);
    }
    let clean = sanitize(bytes).await?;
    Ok(Received { blob: blobs.temp_from_bytes(&clean.bytes).await?, media_type: clean.media_type.mime() })
}

/// Runs the image sanitizer off the async threads and turns its refusal into a field error.
pub async fn sanitize(bytes: Vec<u8>) -> Result<sanitizer::Clean> {
    let limits = sanitizer::Limits {
        max_bytes: usize::try_from(MAX_FILE_BYTES).unwrap_or(usize::MAX),
        ..Default::default()
    };
    let result = tokio::task::spawn_blocking(move || sanitizer::sanitize(&bytes, &limits))
        .await
        .map_err(|e| AppError::internal(anyhow::anyhow!("sanitizer task failed: {e}")))?;
    result.map_err(|e| AppError::field("file", refusal(e)))
}

/// What a person reads when the sanitizer refuses an image.
pub fn refusal(error: sanitizer::SanitizeError) -> Problem {
    use sanitizer::{Exceeded, SanitizeError as E};
    match error {
        E::Unsupported { detected: Some("HEIC" | "HEIF") } => Problem::FileHeic,
        E::Unsupported { .. } => Problem::FileUnsupported,
        E::Invalid => Problem::FileInvalid,
        E::TooLarge(Exceeded::Bytes { .. }) => Problem::FileTooLarge,
        E::TooLarge(_) => Problem::ImageTooLarge,
    }
}

/// A text field of a multipart form, at most 4 KB.
pub async fn text(mut field: Field<'_>) -> Result<String> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|_| AppError::field("file", Problem::FileInvalid))? {
        bytes.extend_from_slice(&chunk);
        if bytes.len() > TEXT_FIELD_MAX_BYTES {
            let name = field.name().unwrap_or_default().to_owned();
            return Err(AppError::field(&name, Problem::TooLong));
        }
    }
    String::from_utf8(bytes)
        .map_err(|_| AppError::field(field.name().unwrap_or_default(), Problem::InvalidChoice))
}

/// The fields of an upload form, as sent.
#[derive(Default)]
struct UploadForm {
    customer_id: String,
    contract_id: String,
    title: String,
    kind: String,
    upload_key: String,
    /// "1" when the file is for a message being written.
    for_message: String,
    /// What the file was called on the device (only for a title when none is given).
    file_name: String,
    file: Option<Received>,
}

async fn read_form(state: &AppState, mut multipart: Multipart) -> Result<UploadForm> {
    let mut form = UploadForm::default();
    while let Some(field) =
        multipart.next_field().await.map_err(|_| AppError::field("file", Problem::FileInvalid))?
    {
        match field.name().unwrap_or_default() {
            // A file input nothing was chosen in still sends an empty part without a name.
            "file" if field.file_name() == Some("") => {}
            "file" if form.file.is_none() => {
                form.file_name = field.file_name().unwrap_or_default().to_owned();
                form.file = Some(receive(state, field).await?);
            }
            "customer_id" => form.customer_id = text(field).await?,
            "contract_id" => form.contract_id = text(field).await?,
            "title" => form.title = text(field).await?,
            "kind" => form.kind = text(field).await?,
            "upload_key" => form.upload_key = text(field).await?,
            "for_message" => form.for_message = text(field).await?,
            _ => {}
        }
    }
    Ok(form)
}

/// The title of a customer's upload without one: "Foto vom 23.11.2026, 14:05".
fn default_title(media_type: &str, locale: crate::i18n::Locale) -> String {
    let texts = super::texts::texts(locale);
    let what = if media_type.starts_with("image/") { texts.photo } else { texts.document };
    format!("{what} {} {}", texts.of_date, crate::i18n::fmt_datetime(crate::db::now(), locale))
}

/// A file attached to a message is called what it was called on the device (a PDF's name
/// says what it is), a photo "Foto vom …".
fn attachment_title(file_name: &str, media_type: &str, locale: crate::i18n::Locale) -> String {
    let stem = file_name.rsplit_once('.').map_or(file_name, |(stem, _)| stem).trim();
    if media_type == "application/pdf" && !stem.is_empty() {
        stem.chars().take(TITLE_MAX_CHARS).collect()
    } else {
        default_title(media_type, locale)
    }
}

/// Checks title, kind and contract; all problems at once.
pub fn parse_meta(title: &str, kind: &str, contract_id: &str) -> Result<(String, Kind, Option<ContractId>)> {
    let mut errors = FormErrors::default();
    let title = errors.required("title", title, TITLE_MAX_CHARS);
    let kind_value = Kind::parse(kind.trim());
    if kind_value.is_none() {
        errors.push("kind", if kind.trim().is_empty() { Problem::Required } else { Problem::InvalidChoice });
    }
    let contract_id = match contract_id.trim() {
        "" => Some(None),
        s => {
            let id = parse_id::<ContractId>(s);
            if id.is_none() {
                errors.push("contract_id", Problem::InvalidChoice);
            }
            id.map(Some)
        }
    };
    errors.finish(kind_value.zip(contract_id).map(|(kind, contract)| (title, kind, contract)))
}

/// `POST /files/upload`: one file. The office names the customer, title, type and optional
/// contract; a customer always uploads into their own folder, and may leave the title out.
/// Answers 201 with the new id as JSON (the same id again for a retry with the same
/// `upload_key`), a problem document, or for a form posted without JS a redirect back.
pub async fn upload(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestCtx>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let plain_form = accepts_html(&headers);
    let result = async {
        let user = ctx.user.as_ref().ok_or(AppError::Unauthenticated)?;
        // On the customer's side, files go into the folder looked at, and only from whoever
        // acts for its holder (a person with a grant for some contracts sends none).
        let own_folder = if user.role.is_staff() {
            None
        } else {
            let folder = user.folder()?;
            if !folder.acts_for_holder() {
                return Err(AppError::Forbidden);
            }
            Some(folder.customer_id)
        };
        let actor = Actor::user(user.role, user.id);
        within_upload_limit(&state, &ctx, actor, user.role.is_staff()).await?;
        let form = read_form(&state, multipart).await?;
        let customer_id = if let Some(id) = own_folder {
            id
        } else {
            let id = parse_id::<CustomerId>(&form.customer_id).ok_or(AppError::NotFound)?;
            let mut conn = state.db.pool.acquire().await?;
            crate::customers::ssr::staff_may_open(&mut conn, ctx.broker.id, user.role, id).await?;
            id
        };
        let file = form.file.ok_or_else(|| AppError::field("file", Problem::Required))?;
        let held = form.for_message.trim() == "1";
        let (title, kind) = match own_folder {
            _ if held && form.title.trim().is_empty() => {
                (attachment_title(&form.file_name, file.media_type, ctx.locale), "other")
            }
            Some(_) if form.title.trim().is_empty() => (default_title(file.media_type, ctx.locale), "other"),
            Some(_) => (form.title, "other"),
            None if held => (form.title, "other"),
            None => (form.title, form.kind.as_str()),
        };
        let (title, kind, contract_id) = parse_meta(&title, kind, &form.contract_id)?;
        let doc = NewDocument {
            upload_key: upload_key(&form.upload_key),
            from_customer: own_folder.is_some(),
            held,
            ..NewDocument::filed(customer_id, contract_id, &title, kind, file.media_type)
        };
        let id = insert(&state, ctx.broker.id, actor, ctx.ip, doc, file.blob).await?;
        super::preview::after_upload(&state, ctx.broker.id, id, file.media_type);
        // Where a form posted without JS goes back to.
        let back = match own_folder {
            Some(_) => "/app/documents".to_owned(),
            None => format!("/office/customers/{customer_id}"),
        };
        Ok::<_, AppError>((back, id))
    }
    .await;
    match result {
        Ok((back, _)) if plain_form => Redirect::to(&format!("{back}?uploaded=1")).into_response(),
        Ok((_, id)) => (StatusCode::CREATED, axum::Json(serde_json::json!({ "id": id }))).into_response(),
        Err(error) => error.problem(ctx.locale),
    }
}

/// A form posted by the browser without JS (it wants a page back, not JSON).
pub fn accepts_html(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"))
}

#[derive(Deserialize)]
pub struct DownloadQuery {
    download: Option<String>,
}

/// `GET /files/{id}`: the file, to the office of its broker and to the customer it belongs
/// to; to everyone else a 404, as if it did not exist. Every opening is in the audit trail.
pub async fn download(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestCtx>,
    Path(id): Path<DocumentId>,
    Query(query): Query<DownloadQuery>,
) -> Response {
    let attachment = query.download.is_some();
    let result = async {
        let mut conn = state.db.pool.acquire().await?;
        let (actor, doc) = readable(&mut conn, &ctx, id).await?;
        let response = file_response(&state, &doc, attachment).await?;
        drop(conn);
        let target = Some(Target::Customer(doc.customer_id));
        let mut tx = state.db.begin().await?;
        record(&mut tx, ctx.broker.id, actor, "document.opened", target, ctx.ip).await?;
        tx.commit().await?;
        Ok::<_, AppError>(response)
    }
    .await;
    result.unwrap_or_else(|error| error.problem(ctx.locale))
}

/// A document the signed-in user may open, and who they are for the audit trail: the
/// broker's office opens any of the broker's documents, a person on the customer's side what
/// the access decision allows. To everyone else it does not exist.
async fn readable(
    conn: &mut sqlx::AnyConnection,
    ctx: &RequestCtx,
    id: DocumentId,
) -> Result<(Actor, Stored)> {
    let user = ctx.user.as_ref().ok_or(AppError::Unauthenticated)?;
    let doc = stored(conn, ctx.broker.id, id).await?.ok_or(AppError::NotFound)?;
    if !user.reader().may_read(doc.customer_id, doc.item()) {
        return Err(AppError::NotFound);
    }
    if user.role.is_staff() {
        crate::customers::ssr::staff_opens(user.role, doc.folder_locked_at)?;
    }
    Ok((Actor::user(user.role, user.id), doc))
}

/// `GET /files/{id}/preview`: the small copy of a photo, to whoever may open the photo. Not
/// written to the audit trail: lists show previews of documents nobody opened.
pub async fn preview(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestCtx>,
    Path(id): Path<DocumentId>,
) -> Response {
    let result = async {
        let (_, doc) = readable(&mut *state.db.pool.acquire().await?, &ctx, id).await?;
        let blob =
            super::preview::ensure(&state, ctx.broker.id, id, &doc).await?.ok_or(AppError::NotFound)?;
        let preview = Stored { media_type: "image/jpeg".to_owned(), blob, preview_blob: None, ..doc };
        file_response(&state, &preview, false).await
    }
    .await;
    result.unwrap_or_else(|error| error.problem(ctx.locale))
}

/// A stored document as a streamed response (for the office, the customer and the API):
/// its type and length, its title as the file name, and a policy under which nothing runs.
pub async fn file_response(state: &AppState, doc: &Stored, attachment: bool) -> Result<Response> {
    let file = BlobStore::new(&state.config.data_dir).open(&doc.blob).await?;
    // The file's own length: a preview is not as long as its document.
    let length = file.metadata().await.map_err(AppError::internal)?.len();
    let mut response = Body::from_stream(tokio_util::io::ReaderStream::new(file)).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&doc.media_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    if let Ok(v) = HeaderValue::from_str(&content_disposition(&doc.title, &doc.media_type, attachment)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    // Shown inside the browser's own viewer: nothing may run, nothing may load from elsewhere.
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; img-src 'self'; object-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'",
        ),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(response)
}

/// The file name extension of a stored type.
pub fn extension_of(media_type: &str) -> &'static str {
    match media_type {
        "application/pdf" => "pdf",
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/webp" => "webp",
        _ => "bin",
    }
}

/// `inline` or `attachment`, with the title as the file name (ASCII fallback plus RFC 5987).
pub fn content_disposition(title: &str, media_type: &str, attachment: bool) -> String {
    let extension = extension_of(media_type);
    let stem: String = title
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | '"' | ':' | '*' | '?' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let stem = stem.trim();
    let stem = if stem.is_empty() { "Dokument" } else { stem };
    let name = format!("{stem}.{extension}");
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_graphic() || c == ' ' { c } else { '_' }).collect();
    let encoded = crate::ui::percent_encode(&name);
    let disposition = if attachment { "attachment" } else { "inline" };
    format!("{disposition}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_come_from_the_title_and_cannot_break_the_header() {
        assert_eq!(
            content_disposition("Police Hausrat 2026", "application/pdf", false),
            "inline; filename=\"Police Hausrat 2026.pdf\"; filename*=UTF-8''Police%20Hausrat%202026.pdf"
        );
        let tricky = content_disposition("Schäden \"neu\"\r\n/../x", "image/jpeg", true);
        assert!(tricky.starts_with("attachment; filename=\"Sch_den _neu____.._x.jpg\""), "{tricky}");
        assert!(tricky.ends_with("filename*=UTF-8''Sch%C3%A4den%20_neu____.._x.jpg"), "{tricky}");
        assert!(!tricky.contains('\r') && !tricky.contains('\n'));
        assert!(content_disposition("  ", "application/pdf", true).contains("Dokument.pdf"));
    }

    #[test]
    fn upload_metadata_reports_every_problem() {
        let Err(AppError::Invalid(errors)) = parse_meta(" ", "Police", "x") else { panic!("must fail") };
        let fields: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.problem)).collect();
        assert_eq!(
            fields,
            [
                ("title", Problem::Required),
                ("kind", Problem::InvalidChoice),
                ("contract_id", Problem::InvalidChoice)
            ]
        );
        assert_eq!(parse_meta(" Police ", "policy", "").unwrap(), ("Police".into(), Kind::Policy, None));
        assert_eq!(
            parse_meta("Brief", "letter", "7").unwrap(),
            ("Brief".into(), Kind::Letter, Some(ContractId(7)))
        );
    }
}
