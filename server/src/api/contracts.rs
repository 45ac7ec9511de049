//! `/api/v1/contracts`: create or update a contract by the broker system's id, with line and
//! product named as in the broker's catalogue (or by id), and read it back.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, Row};
use utoipa::ToSchema;

use super::customers::{check_external_id, internal_id};
use super::{fmt_timestamp, ApiError, ApiKey, ApiResult, JsonBody, ProblemDoc};
use app::audit::ssr::Actor;
use app::contracts::ssr::{write, ContractInput, INSURED_MAX_CHARS, INSURER_MAX_CHARS, POLICY_MAX_CHARS};
use app::contracts::{Interval, Status};
use app::error::{AppError, FormErrors, Problem};
use app::state::AppState;

/// A line or product: its name in the broker's catalogue (any case) or its id.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(untagged)]
pub enum CatalogueRef {
    Id(i64),
    Name(String),
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContractIn {
    pub customer_external_id: String,
    pub line: CatalogueRef,
    pub product: Option<CatalogueRef>,
    pub insurer: String,
    pub policy_number: Option<String>,
    /// `active` or `ended`.
    pub status: String,
    /// Per payment, in cents.
    pub premium_cents: i64,
    /// ISO 4217, default `EUR`.
    pub currency: Option<String>,
    /// `monthly`, `quarterly`, `half_yearly`, `yearly` or `once`.
    pub interval: String,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    /// The insured person or object.
    pub insured: Option<String>,
    /// What the contract is for, in the customer's words; empty shows the product's text.
    pub description: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContractOut {
    pub external_id: Option<String>,
    pub customer_external_id: Option<String>,
    pub line: String,
    pub line_id: i64,
    pub product: Option<String>,
    pub product_id: Option<i64>,
    pub insurer: String,
    pub policy_number: String,
    pub status: String,
    pub premium_cents: i64,
    pub currency: String,
    pub interval: String,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub insured: String,
    pub description: String,
    pub updated_at: String,
}

async fn resolve_line(
    conn: &mut AnyConnection,
    broker_id: i64,
    line: &CatalogueRef,
) -> ApiResult<Option<i64>> {
    let id = match line {
        CatalogueRef::Id(id) => {
            sqlx::query_scalar("SELECT id FROM lines WHERE broker_id = $1 AND id = $2")
                .bind(broker_id)
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?
        }
        CatalogueRef::Name(name) => {
            sqlx::query_scalar("SELECT id FROM lines WHERE broker_id = $1 AND LOWER(name) = LOWER($2)")
                .bind(broker_id)
                .bind(name.trim())
                .fetch_optional(&mut *conn)
                .await?
        }
    };
    Ok(id)
}

async fn resolve_product(
    conn: &mut AnyConnection,
    broker_id: i64,
    line_id: i64,
    product: &CatalogueRef,
) -> ApiResult<Option<i64>> {
    let id = match product {
        CatalogueRef::Id(id) => {
            sqlx::query_scalar("SELECT id FROM products WHERE broker_id = $1 AND line_id = $2 AND id = $3")
                .bind(broker_id)
                .bind(line_id)
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?
        }
        CatalogueRef::Name(name) => {
            sqlx::query_scalar(
                "SELECT id FROM products WHERE broker_id = $1 AND line_id = $2 AND LOWER(name) = LOWER($3)",
            )
            .bind(broker_id)
            .bind(line_id)
            .bind(name.trim())
            .fetch_optional(&mut *conn)
            .await?
        }
    };
    Ok(id)
}

#[utoipa::path(put, path = "/api/v1/contracts/{external_id}", request_body = ContractIn,
    params(("external_id" = String, Path, description = "The broker system's id of the contract")),
    responses((status = 201, body = ContractOut, description = "created"), (status = 200, body = ContractOut, description = "updated"),
        (status = 401, body = ProblemDoc), (status = 422, body = ProblemDoc)))]
pub async fn put_contract(
    State(state): State<AppState>,
    key: ApiKey,
    Path(external_id): Path<String>,
    JsonBody(input): JsonBody<ContractIn>,
) -> ApiResult<Response> {
    check_external_id(&external_id)?;
    let mut tx = state.db.begin().await?;
    let mut errors = FormErrors::default();
    let customer_id = match internal_id(&mut tx, key.broker_id, &input.customer_external_id).await {
        Ok(id) => Some(id),
        Err(ApiError(AppError::NotFound)) => {
            errors.push("customer_external_id", Problem::InvalidChoice);
            None
        }
        Err(e) => return Err(e),
    };
    let line_id = resolve_line(&mut tx, key.broker_id, &input.line).await?;
    if line_id.is_none() {
        errors.push("line", Problem::InvalidChoice);
    }
    let product_id = match (line_id, &input.product) {
        (Some(line_id), Some(product)) => {
            let id = resolve_product(&mut tx, key.broker_id, line_id, product).await?;
            if id.is_none() {
                errors.push("product", Problem::InvalidChoice);
            }
            id
        }
        _ => None,
    };
    let insurer = errors.required("insurer", &input.insurer, INSURER_MAX_CHARS);
    let policy_number =
        errors.optional("policy_number", input.policy_number.as_deref().unwrap_or(""), POLICY_MAX_CHARS);
    let status = Status::parse(&input.status);
    if status.is_none() {
        errors.push("status", Problem::InvalidChoice);
    }
    if input.premium_cents < 0 {
        errors.push("premium_cents", Problem::InvalidAmount);
    }
    let currency = input.currency.as_deref().unwrap_or("EUR").trim().to_ascii_uppercase();
    if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_alphabetic()) {
        errors.push("currency", Problem::InvalidChoice);
    }
    let interval = Interval::parse(&input.interval);
    if interval.is_none() {
        errors.push("interval", Problem::InvalidChoice);
    }
    let start_date = errors.date("start_date", input.start_date.as_deref().unwrap_or(""));
    let end_date = errors.date("end_date", input.end_date.as_deref().unwrap_or(""));
    if let (Some(s), Some(e)) = (&start_date, &end_date) {
        if e < s {
            errors.push("end_date", Problem::InvalidDate);
        }
    }
    let insured_text = errors.optional("insured", input.insured.as_deref().unwrap_or(""), INSURED_MAX_CHARS);
    let description = errors.optional(
        "description",
        input.description.as_deref().unwrap_or(""),
        app::contracts::ssr::DESCRIPTION_MAX_CHARS,
    );
    let valid = customer_id.zip(line_id).zip(status).zip(interval);
    let (((customer_id, line_id), status), interval) = errors.finish(valid)?;
    let contract = ContractInput {
        customer_id,
        line_id,
        product_id,
        insurer,
        policy_number,
        status,
        premium_cents: input.premium_cents,
        currency,
        interval,
        start_date,
        end_date,
        insured: insured_text,
        description,
    };
    let existing: Option<i64> =
        sqlx::query_scalar("SELECT id FROM contracts WHERE broker_id = $1 AND external_id = $2")
            .bind(key.broker_id)
            .bind(&external_id)
            .fetch_optional(&mut *tx)
            .await?;
    write(&mut tx, key.broker_id, Actor::ApiKey(key.key_id), None, existing, Some(&external_id), &contract)
        .await?;
    let out = contracts_of(&mut tx, key.broker_id, None, Some(&external_id))
        .await?
        .pop()
        .ok_or(ApiError(AppError::NotFound))?;
    tx.commit().await?;
    let status = if existing.is_some() { StatusCode::OK } else { StatusCode::CREATED };
    Ok((status, Json(out)).into_response())
}

#[utoipa::path(get, path = "/api/v1/contracts/{external_id}", params(("external_id" = String, Path)),
    responses((status = 200, body = ContractOut), (status = 401, body = ProblemDoc), (status = 404, body = ProblemDoc)))]
pub async fn get_contract(
    State(state): State<AppState>,
    key: ApiKey,
    Path(external_id): Path<String>,
) -> ApiResult<Json<ContractOut>> {
    let mut conn = state.db.pool.acquire().await?;
    let out = contracts_of(&mut conn, key.broker_id, None, Some(&external_id)).await?.pop();
    Ok(Json(out.ok_or(ApiError(AppError::NotFound))?))
}

/// Contracts of the broker: of one customer, or the one with an external id.
pub async fn contracts_of(
    conn: &mut AnyConnection,
    broker_id: i64,
    customer_id: Option<i64>,
    external_id: Option<&str>,
) -> ApiResult<Vec<ContractOut>> {
    let rows = sqlx::query(
        "SELECT c.external_id, cu.external_id, l.name, l.id, p.name, p.id, c.insurer, c.policy_number, c.status,
                c.premium_cents, c.currency, c.payment_interval, c.start_date, c.end_date, c.insured, c.description,
                c.updated_at
         FROM contracts c
         JOIN customers cu ON cu.id = c.customer_id AND cu.broker_id = c.broker_id
         JOIN lines l ON l.id = c.line_id AND l.broker_id = c.broker_id
         LEFT JOIN products p ON p.id = c.product_id AND p.broker_id = c.broker_id
         WHERE c.broker_id = $1 AND ($2 = 0 OR c.customer_id = $2) AND ($3 = '' OR c.external_id = $3)
         ORDER BY l.position, c.id",
    )
    .bind(broker_id)
    .bind(customer_id.unwrap_or(0))
    .bind(external_id.unwrap_or(""))
    .fetch_all(&mut *conn)
    .await?;
    let out = rows
        .iter()
        .map(|r| {
            Ok(ContractOut {
                external_id: r.try_get(0)?,
                customer_external_id: r.try_get(1)?,
                line: r.try_get(2)?,
                line_id: r.try_get(3)?,
                product: r.try_get(4)?,
                product_id: r.try_get(5)?,
                insurer: r.try_get(6)?,
                policy_number: r.try_get(7)?,
                status: r.try_get(8)?,
                premium_cents: r.try_get(9)?,
                currency: r.try_get(10)?,
                interval: r.try_get(11)?,
                start_date: r.try_get(12)?,
                end_date: r.try_get(13)?,
                insured: r.try_get(14)?,
                description: r.try_get(15)?,
                updated_at: fmt_timestamp(r.try_get(16)?),
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    Ok(out)
}
