//! `/api/v1/customers`: create or update a customer by the broker system's own id, read
//! one, list those changed since a moment (paged), and a customer's contracts.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use utoipa::{IntoParams, ToSchema};

use super::contracts::{contracts_of, ContractOut};
use super::{fmt_timestamp, parse_timestamp, ApiError, ApiKey, ApiResult, JsonBody};
use app::audit::ssr::{record, Actor, Target};
use app::db::now;
use app::error::{AppError, FormErrors, Problem, NAME_MAX_CHARS};
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
pub struct ListQuery {
    /// Only customers changed at or after this moment (ISO 8601).
    pub updated_since: Option<String>,
    /// From the previous page's `next_cursor`.
    pub cursor: Option<String>,
    /// Page size, 1 to 500 (default 100).
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

/// A text that may be absent or empty (then `None`), at most `max` characters.
fn optional(errors: &mut FormErrors, field: &str, value: Option<&String>, max: usize) -> Option<String> {
    Some(errors.optional(field, value.map_or("", String::as_str), max)).filter(|v| !v.is_empty())
}

struct Customer {
    first_name: String,
    last_name: String,
    company_name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    birth_date: Option<String>,
    street: Option<String>,
    postal_code: Option<String>,
    city: Option<String>,
    country: Option<String>,
}

fn validate(input: &CustomerIn) -> Result<Customer, ApiError> {
    let mut errors = FormErrors::default();
    let company_name = optional(&mut errors, "company_name", input.company_name.as_ref(), 200);
    let first_name = optional(&mut errors, "first_name", input.first_name.as_ref(), NAME_MAX_CHARS);
    let last_name = optional(&mut errors, "last_name", input.last_name.as_ref(), NAME_MAX_CHARS);
    if company_name.is_none() {
        if first_name.is_none() {
            errors.push("first_name", Problem::Required);
        }
        if last_name.is_none() {
            errors.push("last_name", Problem::Required);
        }
    }
    let email = input
        .email
        .as_ref()
        .filter(|e| !e.trim().is_empty())
        .and_then(|e| errors.email("email", e))
        .map(|e| e.as_str().to_owned());
    let phone = optional(&mut errors, "phone", input.phone.as_ref(), 40);
    let birth_date = errors.date("birth_date", input.birth_date.as_deref().unwrap_or(""));
    let street = optional(&mut errors, "street", input.street.as_ref(), 200);
    let postal_code = optional(&mut errors, "postal_code", input.postal_code.as_ref(), 20);
    let city = optional(&mut errors, "city", input.city.as_ref(), 100);
    let country = optional(&mut errors, "country", input.country.as_ref(), 2).map(|c| c.to_ascii_uppercase());
    if country.as_ref().is_some_and(|c| c.len() != 2 || !c.chars().all(|ch| ch.is_ascii_alphabetic())) {
        errors.push("country", Problem::InvalidChoice);
    }
    let customer = Customer {
        first_name: first_name.unwrap_or_default(),
        last_name: last_name.unwrap_or_default(),
        company_name,
        email,
        phone,
        birth_date,
        street,
        postal_code,
        city,
        country,
    };
    Ok(errors.finish(Some(customer))?)
}

const COLUMNS: &str = "external_id, first_name, last_name, company_name, email, phone, birth_date, street,
     postal_code, city, country, updated_at, id";

fn customer_of(row: &sqlx::any::AnyRow) -> Result<CustomerOut, sqlx::Error> {
    Ok(CustomerOut {
        external_id: row.try_get(0)?,
        first_name: row.try_get(1)?,
        last_name: row.try_get(2)?,
        company_name: row.try_get(3)?,
        email: row.try_get(4)?,
        phone: row.try_get(5)?,
        birth_date: row.try_get(6)?,
        street: row.try_get(7)?,
        postal_code: row.try_get(8)?,
        city: row.try_get(9)?,
        country: row.try_get(10)?,
        updated_at: fmt_timestamp(row.try_get(11)?),
    })
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
    let c = validate(&input)?;
    let now = now();
    let mut tx = state.db.begin().await?;
    // Only to answer 201 or 200; the upsert below is one statement either way.
    let existing = match internal_id(&mut tx, key.broker_id, &external_id).await {
        Ok(_) => true,
        Err(ApiError(AppError::NotFound)) => false,
        Err(e) => return Err(e),
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO customers (broker_id, external_id, first_name, last_name, company_name, email, phone,
             birth_date, street, postal_code, city, country, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)
         ON CONFLICT (broker_id, external_id) DO UPDATE SET first_name = excluded.first_name,
             last_name = excluded.last_name, company_name = excluded.company_name, email = excluded.email,
             phone = excluded.phone, birth_date = excluded.birth_date, street = excluded.street,
             postal_code = excluded.postal_code, city = excluded.city, country = excluded.country,
             updated_at = excluded.updated_at
         RETURNING id",
    )
    .bind(key.broker_id)
    .bind(&external_id)
    .bind(&c.first_name)
    .bind(&c.last_name)
    .bind(c.company_name.as_deref())
    .bind(c.email.as_deref())
    .bind(c.phone.as_deref())
    .bind(c.birth_date.as_deref())
    .bind(c.street.as_deref())
    .bind(c.postal_code.as_deref())
    .bind(c.city.as_deref())
    .bind(c.country.as_deref())
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let (status, action) = if existing {
        (StatusCode::OK, "customer.updated")
    } else {
        (StatusCode::CREATED, "customer.created")
    };
    record(&mut tx, key.broker_id, Actor::ApiKey(key.key_id), action, Some(Target("customer", id)), None)
        .await?;
    let out = fetch(&mut tx, key.broker_id, &external_id).await?;
    tx.commit().await?;
    Ok((status, Json(out)).into_response())
}

async fn fetch(conn: &mut sqlx::AnyConnection, broker_id: i64, external_id: &str) -> ApiResult<CustomerOut> {
    let row =
        sqlx::query(&format!("SELECT {COLUMNS} FROM customers WHERE broker_id = $1 AND external_id = $2"))
            .bind(broker_id)
            .bind(external_id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(ApiError(AppError::NotFound))?;
    Ok(customer_of(&row)?)
}

/// The internal id of a customer by external id, within the key's broker.
pub async fn internal_id(
    conn: &mut sqlx::AnyConnection,
    broker_id: i64,
    external_id: &str,
) -> ApiResult<i64> {
    sqlx::query_scalar("SELECT id FROM customers WHERE broker_id = $1 AND external_id = $2")
        .bind(broker_id)
        .bind(external_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(ApiError(AppError::NotFound))
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

/// Customers (with an external id) changed since a moment, oldest change first.
#[utoipa::path(get, path = "/api/v1/customers", params(ListQuery),
    responses((status = 200, body = CustomerPage), (status = 401, body = ProblemDoc), (status = 422, body = ProblemDoc)))]
pub async fn list_customers(
    State(state): State<AppState>,
    key: ApiKey,
    Query(query): Query<ListQuery>,
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
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM customers
         WHERE broker_id = $1 AND external_id IS NOT NULL AND updated_at >= $2
           AND (updated_at > $3 OR (updated_at = $3 AND id > $4))
         ORDER BY updated_at, id LIMIT $5"
    ))
    .bind(key.broker_id)
    .bind(since)
    .bind(after_time)
    .bind(after_id)
    .bind(limit + 1)
    .fetch_all(&state.db.pool)
    .await?;
    let more = rows.len() > usize::try_from(limit).unwrap_or(usize::MAX);
    let rows = &rows[..rows.len().min(usize::try_from(limit).unwrap_or(usize::MAX))];
    let next_cursor = if more {
        rows.last()
            .map(|r| {
                Ok::<_, sqlx::Error>(format!("{}.{}", r.try_get::<i64, _>(11)?, r.try_get::<i64, _>(12)?))
            })
            .transpose()?
    } else {
        None
    };
    let items = rows.iter().map(customer_of).collect::<Result<_, _>>()?;
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
