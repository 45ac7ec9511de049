//! The REST API for broker management systems (R2.10): `/api/v1`, JSON, authenticated by a
//! broker's API key (`Authorization: Bearer fk_…`), errors as `application/problem+json`.
//! The key decides the broker, whatever the host; ids of another broker are simply not found.

mod contracts;
mod customers;
mod documents;
mod grants;
mod imports;
mod messages;

use axum::extract::{DefaultBodyLimit, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use utoipa::OpenApi;

use app::error::{AppError, Problem};
use app::i18n::Locale;
use app::ids::{ApiKeyId, BrokerId};
use app::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Folio API", version = "1", description = "Customers, contracts, documents, access grants and mailbox of one broker, for the broker's management system. Authenticate with `Authorization: Bearer <API key>` (from `folio apikey create`). Errors are RFC 9457 problem documents."),
    paths(
        customers::put_customer, customers::get_customer, customers::list_customers, customers::customer_contracts,
        customers::export_customer,
        contracts::put_contract, contracts::get_contract,
        documents::post_contract_document, documents::post_customer_document, documents::get_document,
        documents::get_content, messages::list_messages, messages::get_attachment,
        grants::put_grant, grants::get_grant, grants::delete_grant, grants::list_grants,
        imports::post_import,
    ),
    components(schemas(
        customers::CustomerIn, customers::CustomerOut, customers::CustomerPage,
        contracts::ContractIn, contracts::ContractOut, contracts::CatalogueRef, app::contracts::Status,
        app::contracts::Interval, app::documents::Kind, app::access::rules::GrantRole,
        app::access::rules::Signature, app::imports::Format, imports::ImportEncoding,
        documents::DocumentOut, documents::DocumentUpload, ProblemDoc, FieldProblem,
        messages::MessagesPage, messages::ConversationOut, messages::MessageOut, messages::AttachmentOut,
        grants::GrantIn, grants::GrantOut, grants::PersonIn, grants::PersonOut, grants::ContractsIn,
        imports::ImportUpload, imports::ImportReport, imports::SkippedOut, imports::LineErrorOut,
    )),
    modifiers(&Conventions),
    security(("api_key" = [])),
)]
struct ApiDoc;

/// What holds for every operation: the bearer key, and errors (4xx, 5xx) answered as
/// `application/problem+json`, as `ApiError` sends them.
struct Conventions;

impl utoipa::Modify for Conventions {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        use utoipa::openapi::RefOr;
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        for item in openapi.paths.paths.values_mut() {
            let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete];
            for operation in operations.into_iter().flatten() {
                for (status, response) in &mut operation.responses.responses {
                    let RefOr::T(response) = response else { continue };
                    if !status.starts_with(['4', '5']) {
                        continue;
                    }
                    let problem = response.content.get("application/json").is_some_and(|content| {
                        matches!(&content.schema, Some(RefOr::Ref(r)) if r.ref_location.ends_with("/ProblemDoc"))
                    });
                    if problem {
                        if let Some(content) = response.content.shift_remove("application/json") {
                            response.content.insert("application/problem+json".to_owned(), content);
                        }
                    }
                }
            }
        }
    }
}

/// An error as the API describes it (RFC 9457).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct ProblemDoc {
    title: String,
    status: u16,
    errors: Option<Vec<FieldProblem>>,
}

#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct FieldProblem {
    field: String,
    /// e.g. `required`, `invalid_choice`, `invalid_date`, `file_unsupported`.
    problem: String,
    detail: String,
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/customers", get(customers::list_customers))
        .route("/customers/{external_id}", put(customers::put_customer).get(customers::get_customer))
        .route("/customers/{external_id}/contracts", get(customers::customer_contracts))
        .route("/customers/{external_id}/export", get(customers::export_customer))
        .route("/customers/{external_id}/grants", get(grants::list_grants))
        .route(
            "/customers/{external_id}/grants/{grant_id}",
            put(grants::put_grant).get(grants::get_grant).delete(grants::delete_grant),
        )
        .route(
            "/customers/{external_id}/documents",
            post(documents::post_customer_document)
                .layer(DefaultBodyLimit::max(app::documents::http::MAX_BODY_BYTES)),
        )
        .route("/contracts/{external_id}", put(contracts::put_contract).get(contracts::get_contract))
        .route(
            "/contracts/{external_id}/documents",
            post(documents::post_contract_document)
                .layer(DefaultBodyLimit::max(app::documents::http::MAX_BODY_BYTES)),
        )
        .route("/documents/{id}", get(documents::get_document))
        .route("/documents/{id}/content", get(documents::get_content))
        .route(
            "/imports",
            post(imports::post_import)
                .layer(DefaultBodyLimit::max(app::imports::ssr::MAX_FILE_BYTES + 64 * 1024)),
        )
        .route("/messages", get(messages::list_messages))
        .route("/messages/{id}/attachments/{n}", get(messages::get_attachment))
        .fallback(|| async { ApiError(AppError::NotFound) })
}

async fn openapi() -> Response {
    Json(ApiDoc::openapi()).into_response()
}

/// The broker an API key belongs to, and the key (for the audit trail).
#[derive(Clone, Copy, Debug)]
pub struct ApiKey {
    pub broker_id: BrokerId,
    pub key_id: ApiKeyId,
}

impl FromRequestParts<AppState> for ApiKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let key = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or(ApiError(AppError::Unauthenticated))?;
        match app::api_keys::ssr::verify(&state.db, key).await? {
            Some(key) => Ok(ApiKey { broker_id: key.broker_id, key_id: key.id }),
            None => Err(ApiError(AppError::Unauthenticated)),
        }
    }
}

/// An `AppError` answered as a problem document in English (machines read the codes).
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        ApiError(error)
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        ApiError(AppError::internal(error))
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(error: anyhow::Error) -> Self {
        ApiError(AppError::internal(error))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = self.0.problem(Locale::En);
        if self.0 == AppError::Unauthenticated {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// Query parameters that cannot be read (`limit=abc`) become a 422 naming the parameter,
/// not a plain-text 400.
pub struct QueryParams<T>(pub T);

impl<T: serde::de::DeserializeOwned> FromRequestParts<AppState> for QueryParams<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &AppState) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::try_from_uri(&parts.uri) {
            Ok(axum::extract::Query(value)) => Ok(QueryParams(value)),
            Err(rejection) => {
                // axum names the parameter in its message: "…query string: limit: invalid digit…".
                let text = rejection.body_text();
                let field = text
                    .split_once("query string: ")
                    .and_then(|(_, rest)| rest.split_once(':'))
                    .map(|(field, _)| field)
                    .filter(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
                Err(ApiError(AppError::field(field.unwrap_or("query"), Problem::InvalidChoice)))
            }
        }
    }
}

/// A multipart body that cannot be read (no multipart content type, no boundary) becomes a
/// 422 naming the body, not a plain-text 400.
pub struct MultipartBody(pub axum::extract::Multipart);

impl axum::extract::FromRequest<AppState> for MultipartBody {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &AppState) -> Result<Self, Self::Rejection> {
        axum::extract::Multipart::from_request(req, state)
            .await
            .map(MultipartBody)
            .map_err(|_| ApiError(AppError::field("body", Problem::InvalidChoice)))
    }
}

/// A JSON body that could not be read becomes a 422 naming the body, not a plain-text 400.
pub struct JsonBody<T>(pub T);

impl<T: serde::de::DeserializeOwned> axum::extract::FromRequest<AppState> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &AppState) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(JsonBody(value)),
            Err(rejection) => {
                // axum reports "<path>: <what>" or "missing field `x`" / "unknown field `x`".
                let text = rejection.body_text();
                let detail = text.split_once("target type: ").map_or(text.as_str(), |(_, d)| d);
                let named = detail
                    .strip_prefix("missing field `")
                    .or_else(|| detail.strip_prefix("unknown field `"))
                    .and_then(|rest| rest.split('`').next());
                let field = named
                    .or_else(|| detail.split_once(": ").map(|(path, _)| path))
                    .filter(|f| {
                        !f.is_empty() && f.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
                    })
                    .filter(|f| *f != ".")
                    .unwrap_or("body")
                    .to_owned();
                let problem = if detail.starts_with("missing field") {
                    Problem::Required
                } else {
                    Problem::InvalidChoice
                };
                Err(ApiError(AppError::field(&field, problem)))
            }
        }
    }
}

/// A string of one of these formats, or matching one of these patterns.
fn string_of(formats: &[utoipa::openapi::KnownFormat], patterns: &[&str]) -> utoipa::openapi::Schema {
    use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, SchemaFormat, Type};
    let formats = formats.iter().map(|f| {
        ObjectBuilder::new().schema_type(Type::String).format(Some(SchemaFormat::KnownFormat(f.clone())))
    });
    let patterns = patterns.iter().map(|p| ObjectBuilder::new().schema_type(Type::String).pattern(Some(*p)));
    formats.chain(patterns).fold(OneOfBuilder::new(), OneOfBuilder::item).into()
}

/// What `parse_timestamp` reads: an RFC 3339 time or a date.
pub fn timestamp_schema() -> utoipa::openapi::Schema {
    use utoipa::openapi::KnownFormat;
    string_of(&[KnownFormat::DateTime, KnownFormat::Date], &[])
}

/// What `parse_since` reads: Unix seconds or an RFC 3339 time (empty: from the start).
pub fn since_schema() -> utoipa::openapi::Schema {
    string_of(&[utoipa::openapi::KnownFormat::DateTime], &["^[0-9]{1,15}$", "^$"])
}

/// Reads `2026-01-31` or `2026-01-31T12:00:00Z` / `…+01:00` as Unix seconds.
pub fn parse_timestamp(input: &str) -> Option<i64> {
    let text = input.trim();
    let (date, time) = text.split_once(['T', ' ']).unwrap_or((text, "00:00:00Z"));
    let (year, month, day) = app::i18n::parse_iso_date(date)?;
    let (clock, offset_secs) = if let Some(clock) = time.strip_suffix('Z') {
        (clock, 0)
    } else if let Some(i) = time.rfind(['+', '-']).filter(|&i| i >= 5) {
        let sign = if &time[i..=i] == "-" { -1 } else { 1 };
        let (offset_hours, offset_minutes) = time[i + 1..].split_once(':')?;
        (
            &time[..i],
            sign * (offset_hours.parse::<i64>().ok()? * 3600 + offset_minutes.parse::<i64>().ok()? * 60),
        )
    } else {
        (time, 0)
    };
    let mut parts = clock.split(':');
    let hours: i64 = parts.next()?.parse().ok()?;
    let minutes: i64 = parts.next()?.parse().ok()?;
    let seconds: i64 = parts.next().map_or(Some(0), |p| p.split('.').next()?.parse().ok())?;
    if hours > 23 || minutes > 59 || seconds > 60 {
        return None;
    }
    let days = app::i18n::days_since_epoch(year, month, day);
    Some(days * 86_400 + hours * 3600 + minutes * 60 + seconds - offset_secs)
}

/// Unix seconds as `2026-01-31T12:00:00Z`.
pub fn fmt_timestamp(unix: i64) -> String {
    let (y, m, d) = app::i18n::date_of_days(unix.div_euclid(86_400));
    let secs = unix.rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs % 3600 / 60, secs % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_read_iso_8601() {
        assert_eq!(parse_timestamp("1970-01-02"), Some(86_400));
        assert_eq!(parse_timestamp("2026-01-15T12:00:00Z"), Some(1_768_478_400));
        assert_eq!(parse_timestamp("2026-01-15T13:00:00+01:00"), Some(1_768_478_400));
        assert_eq!(parse_timestamp("2026-01-15T12:00:00.123Z"), Some(1_768_478_400));
        for bad in ["", "gestern", "2026-13-01", "2026-01-15T25:00:00Z"] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
        assert_eq!(fmt_timestamp(1_768_478_400), "2026-01-15T12:00:00Z");
    }
}
