//! The office's routes that carry import files: the upload that previews a file (`POST
//! /office/imports`), the CSV template and a report to download.

use axum::extract::multipart::Field;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;

use super::ssr::{prepare, store, MAX_FILE_BYTES};
use super::{texts, Format};
use crate::audit::ssr::Actor;
use crate::documents::http::{accepts_html, text};
use crate::error::{AppError, Problem, Result};
use crate::ids::ImportId;
use crate::request::RequestCtx;
use crate::state::AppState;

/// A whole file field, at most [`MAX_FILE_BYTES`].
pub async fn file_bytes(mut field: Field<'_>) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|_| AppError::field("file", Problem::FileInvalid))? {
        if bytes.len() + chunk.len() > MAX_FILE_BYTES {
            return Err(AppError::field("file", Problem::FileTooLarge));
        }
        bytes.extend_from_slice(&chunk);
    }
    if bytes.is_empty() {
        return Err(AppError::field("file", Problem::Required));
    }
    Ok(bytes)
}

/// `POST /office/imports`: reads and previews a file (fields `file`, optional `format` and
/// `encoding`); nothing is imported yet. Answers 201 with the import's id and report, or
/// for a form posted without JS a redirect to the preview.
pub async fn upload(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestCtx>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let plain_form = accepts_html(&headers);
    let result = async {
        let user = ctx.user.as_ref().ok_or(AppError::Unauthenticated)?;
        if !user.role.is_staff() {
            return Err(AppError::Forbidden);
        }
        let (mut file, mut file_name, mut format, mut encoding) =
            (None, String::new(), String::new(), String::new());
        while let Some(field) =
            multipart.next_field().await.map_err(|_| AppError::field("file", Problem::FileInvalid))?
        {
            match field.name().unwrap_or_default() {
                "file" => {
                    file_name = field.file_name().unwrap_or("import").chars().take(200).collect();
                    file = Some(file_bytes(field).await?);
                }
                "format" => format = text(field).await?,
                "encoding" => encoding = text(field).await?,
                _ => {}
            }
        }
        let bytes = file.ok_or_else(|| AppError::field("file", Problem::Required))?;
        let format = match format.trim() {
            "" | "auto" => Format::of_file(&file_name, &bytes),
            f => Format::parse(f).ok_or_else(|| AppError::field("format", Problem::InvalidChoice))?,
        };
        let encoding: gdv::Encoding = match encoding.trim() {
            "" => gdv::Encoding::default(),
            e => e.parse().map_err(|_| AppError::field("encoding", Problem::InvalidChoice))?,
        };
        let mut conn = state.db.pool.acquire().await?;
        let plan = prepare(&mut conn, ctx.broker.id, format, encoding, &bytes).await?;
        let mut report = plan.report;
        let actor = Actor::Staff(user.id);
        store(&mut conn, ctx.broker.id, actor, format, encoding, &file_name, &bytes, true, &mut report)
            .await?;
        Ok::<_, AppError>(report)
    }
    .await;
    match result {
        Ok(report) if plain_form => {
            Redirect::to(&format!("/office/import?id={}", report.id.unwrap_or_default())).into_response()
        }
        Ok(report) => (StatusCode::CREATED, axum::Json(report)).into_response(),
        Err(error) => error.problem(ctx.locale),
    }
}

/// `GET /office/import/template.csv`: the documented columns with an example row.
#[allow(clippy::unused_async)]
pub async fn template(Extension(ctx): Extension<RequestCtx>) -> Response {
    if !ctx.user.as_ref().is_some_and(|u| u.role.is_staff()) {
        return AppError::Forbidden.problem(ctx.locale);
    }
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"folio-import-vorlage.csv\""),
        ],
        format!("\u{feff}{}", super::records::CSV_TEMPLATE),
    )
        .into_response()
}

/// `GET /office/imports/{id}/report.txt`: the report of an import, as text.
pub async fn report(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestCtx>,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        if !ctx.user.as_ref().is_some_and(|u| u.role.is_staff()) {
            return Err(AppError::Forbidden);
        }
        let mut conn = state.db.pool.acquire().await?;
        let status = super::ssr::status_of(&mut conn, ctx.broker.id, ImportId(id)).await?;
        Ok::<_, AppError>(texts::report_text(&status.report, ctx.locale))
    }
    .await;
    match result {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, "text/plain; charset=utf-8".to_owned()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"import-{id}.txt\"")),
            ],
            body,
        )
            .into_response(),
        Err(error) => error.problem(ctx.locale),
    }
}
