//! `/api/v1/…/documents`: upload a document to a contract or a customer (multipart: `file`,
//! `title`, `kind`), read its metadata and its content. The same checks as the office's
//! upload: type from the content, images through the sanitizer, the quota.

use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use super::customers::internal_id;
use super::{fmt_timestamp, ApiError, ApiKey, ApiResult, MultipartBody, ProblemDoc};
use app::audit::ssr::Actor;
use app::documents::http::{file_response, parse_meta, receive, Received};
use app::documents::ssr::{insert, stored, NewDocument};
use app::error::{AppError, Problem};
use app::ids::{BrokerId, ContractId, CustomerId, DocumentId};
use app::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentOut {
    pub id: i64,
    pub customer_external_id: Option<String>,
    pub contract_external_id: Option<String>,
    pub title: String,
    /// `policy`, `amendment`, `invoice`, `letter`, `mandate` or `other`.
    pub kind: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub created_at: String,
}

/// The multipart form of an upload.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct DocumentUpload {
    /// PDF, JPEG, PNG or WebP, at most 25 MB; recognised by content.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    #[schema(min_length = 1)]
    title: String,
    #[schema(value_type = app::documents::Kind)]
    kind: String,
}

async fn read(state: &AppState, mut multipart: Multipart) -> ApiResult<(String, String, Option<Received>)> {
    let (mut title, mut kind, mut file) = (String::new(), String::new(), None);
    while let Some(field) =
        multipart.next_field().await.map_err(|_| ApiError(AppError::field("file", Problem::FileInvalid)))?
    {
        match field.name().unwrap_or_default() {
            "file" if file.is_none() => file = Some(receive(state, field).await?),
            "title" => {
                title = field
                    .text()
                    .await
                    .map_err(|_| ApiError(AppError::field("title", Problem::InvalidChoice)))?;
            }
            "kind" => {
                kind = field
                    .text()
                    .await
                    .map_err(|_| ApiError(AppError::field("kind", Problem::InvalidChoice)))?;
            }
            _ => {}
        }
    }
    Ok((title, kind, file))
}

async fn store(
    state: &AppState,
    key: ApiKey,
    customer_id: CustomerId,
    contract_id: Option<ContractId>,
    multipart: Multipart,
) -> ApiResult<Response> {
    let (title, kind, file) = read(state, multipart).await?;
    let (title, kind, _) = parse_meta(&title, &kind, "")?;
    let file = file.ok_or(ApiError(AppError::field("file", Problem::Required)))?;
    let doc = NewDocument::filed(customer_id, contract_id, &title, kind, file.media_type);
    let id = insert(state, key.broker_id, Actor::ApiKey(key.key_id), None, doc, file.blob).await?;
    app::documents::preview::after_upload(state, key.broker_id, id, file.media_type);
    let mut conn = state.db.pool.acquire().await?;
    Ok((StatusCode::CREATED, Json(metadata(&mut conn, key.broker_id, id).await?)).into_response())
}

#[utoipa::path(post, path = "/api/v1/contracts/{external_id}/documents", params(("external_id" = String, Path)),
    request_body(content = DocumentUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = DocumentOut), (status = 401, body = ProblemDoc), (status = 404, body = ProblemDoc),
        (status = 413, body = ProblemDoc, description = "storage quota exhausted"), (status = 422, body = ProblemDoc)))]
pub async fn post_contract_document(
    State(state): State<AppState>,
    key: ApiKey,
    Path(external_id): Path<String>,
    MultipartBody(multipart): MultipartBody,
) -> ApiResult<Response> {
    let found = {
        let mut conn = state.db.pool.acquire().await?;
        app::contracts::ssr::by_external_id(&mut conn, key.broker_id, &external_id).await?
    };
    let (contract_id, customer_id) = found.ok_or(ApiError(AppError::NotFound))?;
    store(&state, key, customer_id, Some(contract_id), multipart).await
}

#[utoipa::path(post, path = "/api/v1/customers/{external_id}/documents", params(("external_id" = String, Path)),
    request_body(content = DocumentUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = DocumentOut), (status = 401, body = ProblemDoc), (status = 404, body = ProblemDoc),
        (status = 413, body = ProblemDoc, description = "storage quota exhausted"), (status = 422, body = ProblemDoc)))]
pub async fn post_customer_document(
    State(state): State<AppState>,
    key: ApiKey,
    Path(external_id): Path<String>,
    MultipartBody(multipart): MultipartBody,
) -> ApiResult<Response> {
    let customer_id = {
        let mut conn = state.db.pool.acquire().await?;
        internal_id(&mut conn, key.broker_id, &external_id).await?
    };
    store(&state, key, customer_id, None, multipart).await
}

async fn metadata(
    conn: &mut sqlx::AnyConnection,
    broker_id: BrokerId,
    id: DocumentId,
) -> ApiResult<DocumentOut> {
    let doc = stored(conn, broker_id, id).await?.ok_or(ApiError(AppError::NotFound))?;
    let customer = app::customers::ssr::get(conn, broker_id, doc.customer_id).await?;
    let contract_external_id = match doc.contract_id {
        Some(contract) => app::contracts::ssr::api_rows(conn, broker_id, Some(doc.customer_id), None)
            .await?
            .into_iter()
            .find(|c| c.id == contract)
            .and_then(|c| c.external_id),
        None => None,
    };
    Ok(DocumentOut {
        id: doc.id.0,
        customer_external_id: customer.external_id,
        contract_external_id,
        title: doc.title,
        kind: doc.kind,
        media_type: doc.media_type,
        size_bytes: doc.size_bytes,
        created_at: fmt_timestamp(doc.created_at),
    })
}

#[utoipa::path(get, path = "/api/v1/documents/{id}", params(("id" = i64, Path)),
    responses((status = 200, body = DocumentOut), (status = 401, body = ProblemDoc), (status = 404, body = ProblemDoc)))]
pub async fn get_document(
    State(state): State<AppState>,
    key: ApiKey,
    Path(id): Path<String>,
) -> ApiResult<Json<DocumentOut>> {
    let id = app::ids::parse_id::<DocumentId>(&id).ok_or(ApiError(AppError::NotFound))?;
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(metadata(&mut conn, key.broker_id, id).await?))
}

#[utoipa::path(get, path = "/api/v1/documents/{id}/content", params(("id" = i64, Path)),
    responses((status = 200, description = "the file, as stored (images without metadata)"),
        (status = 401, body = ProblemDoc), (status = 404, body = ProblemDoc)))]
pub async fn get_content(
    State(state): State<AppState>,
    key: ApiKey,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let id = app::ids::parse_id::<DocumentId>(&id).ok_or(ApiError(AppError::NotFound))?;
    let mut conn = state.db.pool.acquire().await?;
    let doc = stored(&mut conn, key.broker_id, id).await?.ok_or(ApiError(AppError::NotFound))?;
    Ok(file_response(&state, &doc, true).await?)
}
