//! `/api/v1/contracts`: create or update a contract by the broker system's id, with line and
//! product named as in the broker's catalogue (or by id), and read it back.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use utoipa::ToSchema;

use super::customers::{check_external_id, internal_id};
use super::{fmt_timestamp, ApiError, ApiKey, ApiResult, JsonBody, ProblemDoc};
use app::audit::ssr::Actor;
use app::catalogue::ssr as catalogue;
use app::contracts::ssr::{self as contracts, write};
use app::contracts::{ContractFields, ContractInput, Premium};
use app::error::{AppError, FormErrors, Problem};
use app::ids::{BrokerId, CustomerId, LineId, ProductId};
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
    #[schema(min_length = 1)]
    pub insurer: String,
    pub policy_number: Option<String>,
    #[schema(value_type = app::contracts::Status)]
    pub status: String,
    /// Per payment, in cents.
    pub premium_cents: i64,
    /// ISO 4217, default `EUR`.
    pub currency: Option<String>,
    #[schema(value_type = app::contracts::Interval)]
    pub interval: String,
    /// ISO 8601, e.g. `2024-01-01`.
    #[schema(format = Date)]
    pub start_date: Option<String>,
    #[schema(format = Date)]
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
    #[schema(value_type = app::contracts::Status)]
    pub status: String,
    pub premium_cents: i64,
    pub currency: String,
    #[schema(value_type = app::contracts::Interval)]
    pub interval: String,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub insured: String,
    pub description: String,
    pub updated_at: String,
}

async fn resolve_line(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    line: &CatalogueRef,
) -> ApiResult<Option<LineId>> {
    Ok(match line {
        CatalogueRef::Id(id) => {
            let id = LineId(*id);
            catalogue::line_exists(conn, broker_id, id).await?.then_some(id)
        }
        CatalogueRef::Name(name) => catalogue::line_named(conn, broker_id, name).await?,
    })
}

async fn resolve_product(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    line_id: LineId,
    product: &CatalogueRef,
) -> ApiResult<Option<ProductId>> {
    Ok(match product {
        CatalogueRef::Id(id) => {
            let id = ProductId(*id);
            (catalogue::line_of_product(conn, broker_id, id).await? == Some(line_id)).then_some(id)
        }
        CatalogueRef::Name(name) => catalogue::product_named(conn, broker_id, line_id, name).await?,
    })
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
    let fields = ContractFields {
        customer_id,
        line_id,
        product_id,
        insurer: &input.insurer,
        policy_number: input.policy_number.as_deref().unwrap_or(""),
        status: &input.status,
        premium: Premium::Cents(input.premium_cents),
        currency: input.currency.as_deref().unwrap_or(""),
        interval: &input.interval,
        start_date: input.start_date.as_deref().unwrap_or(""),
        end_date: input.end_date.as_deref().unwrap_or(""),
        insured: input.insured.as_deref().unwrap_or(""),
        description: input.description.as_deref().unwrap_or(""),
    };
    let contract = ContractInput::parse(&fields, errors)?;
    let existing = contracts::by_external_id(&mut tx, key.broker_id, &external_id).await?.map(|(id, _)| id);
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
    broker_id: BrokerId,
    customer_id: Option<CustomerId>,
    external_id: Option<&str>,
) -> ApiResult<Vec<ContractOut>> {
    let rows = contracts::api_rows(conn, broker_id, customer_id, external_id).await?;
    Ok(rows
        .into_iter()
        .map(|r| ContractOut {
            external_id: r.external_id,
            customer_external_id: r.customer_external_id,
            line: r.line,
            line_id: r.line_id.0,
            product: r.product,
            product_id: r.product_id.map(|p| p.0),
            insurer: r.insurer,
            policy_number: r.policy_number,
            status: r.status,
            premium_cents: r.premium_cents,
            currency: r.currency,
            interval: r.payment_interval,
            start_date: r.start_date,
            end_date: r.end_date,
            insured: r.insured,
            description: r.description,
            updated_at: fmt_timestamp(r.updated_at),
        })
        .collect())
}
