//! `/api/v1/customers`: create or update a customer by the broker system's own id, read
//! one, list those changed since a moment (paged), and a customer's contracts.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::contracts::{contracts_of, ContractOut};
use super::{fmt_timestamp, parse_timestamp, ApiError, ApiKey, ApiResult, JsonBody, QueryParams};
use app::audit::ssr::Actor;
use app::customers::ssr::{self as customers, Stored};
use app::customers::{CustomerFields, CustomerInput};
use app::error::{AppError, FormErrors, Problem};
use app::i18n::Locale;
use app::ids::{BrokerId, CustomerId};
use app::state::AppState;

/// A person (first and last name) or a company (`company_name`).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerIn {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// ISO 8601 date, e.g. `1984-05-17`.
    #[schema(format = Date)]
    pub birth_date: Option<String>,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    /// ISO 3166 alpha-2, e.g. `DE`.
    pub country: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerOut {
    pub external_id: String,
    pub first_name: String,
    pub last_name: String,
    pub company_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub birth_date: Option<String>,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    /// ISO 8601, UTC.
    pub updated_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerPage {
    pub items: Vec<CustomerOut>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only customers changed at or after this moment (ISO 8601).
    #[param(schema_with = super::timestamp_schema)]
    pub updated_since: Option<String>,
    /// From the previous page's `next_cursor`.
    #[param(pattern = r"^[0-9]{1,15}\.[0-9]{1,15}$")]
    pub cursor: Option<String>,
    /// Page size.
    #[param(minimum = 1, maximum = 500, default = 100)]
    pub limit: Option<i64>,
}

const MAX_EXTERNAL_ID: usize = 100;

pub fn check_external_id(external_id: &str) -> Result<(), ApiError> {
    let ok = !external_id.is_empty()
        && external_id.len() <= MAX_EXTERNAL_ID
        && external_id.chars().all(|c| c.is_ascii_alphanumeric() || "-_.:".contains(c));
    if ok {
        Ok(())
    } else {
        Err(ApiError(AppError::field("external_id", Problem::InvalidChoice)))
    }
}

impl CustomerIn {
    fn fields(&self) -> CustomerFields {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        CustomerFields {
            first_name: text(&self.first_name),
            last_name: text(&self.last_name),
            company_name: text(&self.company_name),
            email: text(&self.email),
            phone: text(&self.phone),
            birth_date: text(&self.birth_date),
            street: text(&self.street),
            postal_code: text(&self.postal_code),
            city: text(&self.city),
            country: text(&self.country),
        }
    }
}

impl From<Stored> for CustomerOut {
    fn from(c: Stored) -> Self {
        CustomerOut {
            external_id: c.external_id.unwrap_or_default(),
            first_name: c.first_name,
            last_name: c.last_name,
            company_name: c.company_name,
            email: c.email,
            phone: c.phone,
            birth_date: c.birth_date,
            street: c.street,
            postal_code: c.postal_code,
            city: c.city,
            country: c.country,
            updated_at: fmt_timestamp(c.updated_at),
        }
    }
}

/// Creates or updates the customer with this external id.
#[utoipa::path(put, path = "/api/v1/customers/{external_id}", request_body = CustomerIn,
    params(("external_id" = String, Path, description = "The broker system's id (letters, digits, - _ . :)")),
    responses((status = 201, body = CustomerOut, description = "created"), (status = 200, body = CustomerOut, description = "updated"),
        (status = 401, body = ProblemDoc), (status = 422, body = ProblemDoc)))]
pub async fn put_customer(
    State(state): State<AppState>,
    key: ApiKey,
    Path(external_id): Path<String>,
    JsonBody(input): JsonBody<CustomerIn>,
) -> ApiResult<Response> {
    check_external_id(&external_id)?;
    let customer = CustomerInput::parse(&input.fields(), FormErrors::default(), &app::db::today())?;
    let mut tx = state.db.begin().await?;
    let actor = Actor::ApiKey(key.key_id);
    let (_, created) =
        customers::save(&mut tx, key.broker_id, actor, None, Some(&external_id), &customer).await?;
    let out = fetch(&mut tx, key.broker_id, &external_id).await?;
    tx.commit().await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(out)).into_response())
}

async fn fetch(
    conn: &mut sqlx::AnyConnection,
    broker_id: BrokerId,
    external_id: &str,
) -> ApiResult<CustomerOut> {
    let found = customers::find_external(conn, broker_id, external_id).await?;
    Ok(found.ok_or(ApiError(AppError::NotFound))?.into())
}

/// The internal id of a customer by external id, within the key's broker.
pub async fn internal_id(
    conn: &mut sqlx::AnyConnection,
    broker_id: BrokerId,
    external_id: &str,
) -> ApiResult<CustomerId> {
    let found = customers::find_external(conn, broker_id, external_id).await?;
    Ok(found.ok_or(ApiError(AppError::NotFound))?.id)
}

#[utoipa::path(get, path = "/api/v1/customers/{external_id}",
    params(("external_id" = String, Path)),
    responses((status = 200, body = CustomerOut), (status = 401, body = ProblemDoc), (status = 404, body = ProblemDoc)))]
pub async fn get_customer(
    State(state): State<AppState>,
    key: ApiKey,
    Path(external_id): Path<String>,
) -> ApiResult<Json<CustomerOut>> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(fetch(&mut conn, key.broker_id, &external_id).await?))
}

/// Everything stored about a customer, with each datum's origin (Art. 15 GDPR): a ZIP with
/// `report.html` (readable, in the customer's language), `data.json` (the same content) and
/// the files under `documents/`. It streams; producing it is in the audit trail.
#[utoipa::path(get, path = "/api/v1/customers/{external_id}/export",
    params(("external_id" = String, Path)),
    responses((status = 200, content_type = "application/zip", body = Vec<u8>, description = "The ZIP"),
        (status = 401, body = ProblemDoc), (status = 404, body = ProblemDoc)))]
pub async fn export_customer(
    State(state): State<AppState>,
    key: ApiKey,
    Path(external_id): Path<String>,
) -> ApiResult<Response> {
    let id = internal_id(&mut *state.db.pool.acquire().await?, key.broker_id, &external_id).await?;
    let broker =
        app::tenancy::ssr::find_by_id(&state.db, key.broker_id).await?.ok_or(ApiError(AppError::NotFound))?;
    let actor = Actor::ApiKey(key.key_id);
    Ok(app::my_data::http::produce_for_folder(&state, &broker, id, Locale::De, actor, None).await?)
}

/// Customers (with an external id) changed since a moment, oldest change first.
#[utoipa::path(get, path = "/api/v1/customers", params(ListQuery),
    responses((status = 200, body = CustomerPage), (status = 401, body = ProblemDoc), (status = 422, body = ProblemDoc)))]
pub async fn list_customers(
    State(state): State<AppState>,
    key: ApiKey,
    QueryParams(query): QueryParams<ListQuery>,
) -> ApiResult<Json<CustomerPage>> {
    let since = match query.updated_since.as_deref() {
        None => 0,
        Some(s) => {
            parse_timestamp(s).ok_or(ApiError(AppError::field("updated_since", Problem::InvalidDate)))?
        }
    };
    // The cursor is the last item's (updated_at, id): stable while rows change.
    let (after_time, after_id) = match query.cursor.as_deref() {
        None => (since, 0),
        Some(c) => c
            .split_once('.')
            .and_then(|(t, i)| Some((t.parse::<i64>().ok()?, i.parse::<i64>().ok()?)))
            .ok_or(ApiError(AppError::field("cursor", Problem::InvalidChoice)))?,
    };
    let limit = query.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(ApiError(AppError::field("limit", Problem::InvalidChoice)));
    }
    let mut conn = state.db.pool.acquire().await?;
    let mut rows = customers::changed_since(
        &mut conn,
        key.broker_id,
        since,
        (after_time, CustomerId(after_id)),
        limit + 1,
    )
    .await?;
    let more = rows.len() > usize::try_from(limit).unwrap_or(usize::MAX);
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next_cursor = if more { rows.last().map(|r| format!("{}.{}", r.updated_at, r.id)) } else { None };
    let items = rows.into_iter().map(CustomerOut::from).collect();
    Ok(Json(CustomerPage { items, next_cursor }))
}

#[utoipa::path(get, path = "/api/v1/customers/{external_id}/contracts",
    params(("external_id" = String, Path)),
    responses((status = 200, body = Vec<ContractOut>), (status = 401, body = ProblemDoc), (status = 404, body = ProblemDoc)))]
pub async fn customer_contracts(
    State(state): State<AppState>,
    key: ApiKey,
    Path(external_id): Path<String>,
) -> ApiResult<Json<Vec<ContractOut>>> {
    let mut conn = state.db.pool.acquire().await?;
    let id = internal_id(&mut conn, key.broker_id, &external_id).await?;
    Ok(Json(contracts_of(&mut conn, key.broker_id, Some(id), None).await?))
}

use super::ProblemDoc;
