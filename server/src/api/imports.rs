//! `/api/v1/imports`: a portfolio file from a broker system (multipart: `file`, `format` =
//! `gdv` or `csv`, `dry_run`, `encoding`), imported whole or not at all; answers the report.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiError, ApiKey, ApiResult, MultipartBody, ProblemDoc};
use app::audit::ssr::Actor;
use app::documents::http::text;
use app::error::{AppError, Problem};
use app::imports::http::file_bytes;
use app::imports::{Format, Report};
use app::state::AppState;

/// The character set of a GDV file.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum ImportEncoding {
    Latin1,
    Latin9,
    Cp850,
}

/// The multipart form of an import.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ImportUpload {
    /// The file, at most 100 MB.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    #[schema(value_type = app::imports::Format)]
    format: String,
    /// `true`: report what would change and write nothing.
    dry_run: Option<bool>,
    /// GDV only; `latin1` when absent.
    encoding: Option<ImportEncoding>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LineErrorOut {
    pub line: usize,
    pub column: usize,
    pub field: String,
    pub detail: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SkippedOut {
    pub line: usize,
    /// `invalid`, `ambiguous`, `unsafe`, `unknown_line`, `customer_skipped`,
    /// `other_customer`, `no_policyholder` or `locked`.
    pub reason: String,
    pub field: String,
}

/// What an import did (or, for a dry run, would do).
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReport {
    /// Absent for a dry run.
    pub id: Option<i64>,
    pub format: String,
    pub encoding: String,
    /// `previewed` (dry run), `done` or `failed` (the file cannot be read; see `errors`).
    pub state: String,
    pub customers_new: u32,
    pub customers_updated: u32,
    pub customers_unchanged: u32,
    pub contracts_new: u32,
    pub contracts_changed: u32,
    pub contracts_unchanged: u32,
    pub contracts_ended: u32,
    pub skipped: Vec<SkippedOut>,
    pub errors: Vec<LineErrorOut>,
}

impl From<Report> for ImportReport {
    fn from(r: Report) -> Self {
        ImportReport {
            id: r.id.map(|i| i.0),
            format: r.format.map_or("", Format::as_str).to_owned(),
            encoding: r.encoding,
            state: r.state,
            customers_new: r.customers_new,
            customers_updated: r.customers_updated,
            customers_unchanged: r.customers_unchanged,
            contracts_new: r.contracts_new,
            contracts_changed: r.contracts_changed,
            contracts_unchanged: r.contracts_unchanged,
            contracts_ended: r.contracts_ended,
            skipped: r
                .skipped
                .into_iter()
                .map(|s| SkippedOut {
                    line: s.line,
                    reason: serde_json::to_value(s.reason)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default(),
                    field: s.field,
                })
                .collect(),
            errors: r
                .errors
                .into_iter()
                .map(|e| LineErrorOut { line: e.line, column: e.column, field: e.field, detail: e.detail })
                .collect(),
        }
    }
}

#[utoipa::path(post, path = "/api/v1/imports", request_body(content = ImportUpload, content_type = "multipart/form-data"),
    responses((status = 200, body = ImportReport, description = "imported, or (dry run) what would change"),
        (status = 422, description = "the file cannot be read (a report whose `errors` name line, column and field; nothing was imported), or the form lacks `file` or `format` (a problem document)",
            content((ImportReport = "application/json"), (ProblemDoc = "application/problem+json"))),
        (status = 401, body = ProblemDoc, content_type = "application/problem+json"),
        (status = 413, body = ProblemDoc, content_type = "application/problem+json")))]
pub async fn post_import(
    State(state): State<AppState>,
    key: ApiKey,
    MultipartBody(mut multipart): MultipartBody,
) -> ApiResult<Response> {
    let (mut file, mut name, mut format, mut dry_run, mut encoding) =
        (None, String::new(), String::new(), String::new(), String::new());
    while let Some(field) =
        multipart.next_field().await.map_err(|_| ApiError(AppError::field("file", Problem::FileInvalid)))?
    {
        match field.name().unwrap_or_default() {
            "file" => {
                name = field.file_name().unwrap_or("import").chars().take(200).collect();
                file = Some(file_bytes(field).await?);
            }
            "format" => format = text(field).await?,
            "dry_run" => dry_run = text(field).await?,
            "encoding" => encoding = text(field).await?,
            _ => {}
        }
    }
    let bytes = file.ok_or(ApiError(AppError::field("file", Problem::Required)))?;
    let format = Format::parse(&format).ok_or(ApiError(AppError::field("format", Problem::InvalidChoice)))?;
    let dry_run = match dry_run.trim() {
        "" | "false" | "0" => false,
        "true" | "1" => true,
        _ => return Err(ApiError(AppError::field("dry_run", Problem::InvalidChoice))),
    };
    let encoding: gdv::Encoding = match encoding.trim() {
        "" => gdv::Encoding::default(),
        e => e.parse().map_err(|_| ApiError(AppError::field("encoding", Problem::InvalidChoice)))?,
    };
    let report = app::imports::ssr::import_now(
        &state.db,
        key.broker_id,
        Actor::ApiKey(key.key_id),
        format,
        encoding,
        &name,
        &bytes,
        dry_run,
    )
    .await?;
    let status = if report.readable() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, Json(ImportReport::from(report))).into_response())
}
