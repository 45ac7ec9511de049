//! `/api/v1/customers/{customer_external_id}/grants`: access to a customer's folder for
//! someone else, on a signed mandate (R3), set up by the broker's system. The same checks as
//! the office's form: the role fits the folder, the contracts fit the role, and no grant
//! without its signed form (a document of the folder, kind `mandate`).

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::customers::{check_external_id, internal_id};
use super::{fmt_timestamp, ApiError, ApiKey, ApiResult, JsonBody, ProblemDoc};
use app::access::ssr::{self as access, Origin};
use app::access::{FormRef, GrantFields, GrantView, Person, PersonFields};
use app::audit::ssr::Actor;
use app::customers::Access;
use app::error::{AppError, FormErrors, Problem};
use app::ids::{BrokerId, ContractId, CustomerId, DocumentId};
use app::state::AppState;

/// A person as the mandate names them (R3.3).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonIn {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// ISO 8601, e.g. `1984-07-01`.
    #[schema(format = Date)]
    pub birth_date: Option<String>,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    /// ISO 3166 alpha-2, e.g. `DE` (default) or `BE`.
    pub country: Option<String>,
    /// The person given access: the address that activates it (an invitation goes there;
    /// an existing account with it keeps its password). Not for the requester.
    pub email: Option<String>,
}

impl PersonIn {
    fn fields(&self) -> PersonFields {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        PersonFields {
            first_name: text(&self.first_name),
            last_name: text(&self.last_name),
            birth_date: text(&self.birth_date),
            street: text(&self.street),
            postal_code: text(&self.postal_code),
            city: text(&self.city),
            country: text(&self.country),
            email: text(&self.email),
        }
    }
}

/// `"all"` (every contract, also future ones: a legal representative) or the contracts'
/// external ids.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(untagged)]
pub enum ContractsIn {
    All(String),
    Listed(Vec<String>),
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantIn {
    /// `insured` (natural person; exactly one contract), `other` (natural person; a listed
    /// set), `legal_representative` (company; all contracts), `other_for_entity` (company; a
    /// listed set).
    #[schema(value_type = app::access::rules::GrantRole)]
    pub role: String,
    pub person: PersonIn,
    pub contracts: ContractsIn,
    /// The date of the written request, ISO 8601.
    #[schema(format = Date)]
    pub requested_on: String,
    /// Who signed the request: the policyholder, or the company's representative.
    pub requester: PersonIn,
    #[schema(value_type = app::access::rules::Signature)]
    pub signature: String,
    /// The signed form: a document of this customer uploaded with kind `mandate`.
    pub form_document_id: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonOut {
    pub first_name: String,
    pub last_name: String,
    pub birth_date: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub email: Option<String>,
}

impl PersonOut {
    fn of(p: Person, email: Option<String>) -> Self {
        PersonOut {
            first_name: p.first_name,
            last_name: p.last_name,
            birth_date: p.birth_date,
            street: p.address.street,
            postal_code: p.address.postal_code,
            city: p.address.city,
            country: p.address.country,
            email,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GrantOut {
    pub grant_id: Option<String>,
    pub customer_external_id: String,
    #[schema(value_type = app::access::rules::GrantRole)]
    pub role: String,
    pub person: PersonOut,
    /// `"all"` or the contracts' external ids.
    pub contracts: ContractsIn,
    pub requested_on: String,
    pub requester: PersonOut,
    #[schema(value_type = app::access::rules::Signature)]
    pub signature: String,
    pub form_document_id: i64,
    /// `active` or `revoked`.
    pub status: String,
    /// `invited` until the person has chosen a password, then `active`.
    pub account: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

/// What the API says of a grant: contracts by their external ids.
fn out(
    grant: GrantView,
    customer_external_id: &str,
    external: &HashMap<ContractId, Option<String>>,
) -> GrantOut {
    let contracts = if grant.all_contracts {
        ContractsIn::All("all".into())
    } else {
        ContractsIn::Listed(
            grant.contracts.iter().filter_map(|(id, _)| external.get(id).cloned().flatten()).collect(),
        )
    };
    GrantOut {
        grant_id: grant.external_id,
        customer_external_id: customer_external_id.to_owned(),
        role: grant.role.as_str().to_owned(),
        person: PersonOut::of(grant.person, Some(grant.email)),
        contracts,
        requested_on: grant.requested_on,
        requester: PersonOut::of(grant.requester, None),
        signature: grant.signature.as_str().to_owned(),
        form_document_id: grant.form.0,
        status: if grant.revoked_at.is_some() { "revoked" } else { "active" }.to_owned(),
        account: if grant.account == Access::Active { "active" } else { "invited" }.to_owned(),
        created_at: fmt_timestamp(grant.created_at),
        revoked_at: grant.revoked_at.map(fmt_timestamp),
    }
}

/// The folder's contracts by id, with their external ids.
async fn external_ids(
    conn: &mut sqlx::AnyConnection,
    broker_id: BrokerId,
    customer_id: CustomerId,
) -> ApiResult<HashMap<ContractId, Option<String>>> {
    let rows = app::contracts::ssr::api_rows(conn, broker_id, Some(customer_id), None).await?;
    Ok(rows.into_iter().map(|r| (r.id, r.external_id)).collect())
}

/// Creates or changes the grant with this id on the customer's folder. A new person gets an
/// invitation; the person's account decides nothing else. 422 names the field: a missing
/// form, a contract of another customer, `"all"` where the role allows a list only, …
#[utoipa::path(put, path = "/api/v1/customers/{customer_external_id}/grants/{grant_id}", request_body = GrantIn,
    params(("customer_external_id" = String, Path), ("grant_id" = String, Path, description = "The broker system's id of the grant")),
    responses((status = 201, body = GrantOut, description = "created"), (status = 200, body = GrantOut, description = "updated"),
        (status = 401, body = ProblemDoc), (status = 404, body = ProblemDoc), (status = 422, body = ProblemDoc)))]
pub async fn put_grant(
    State(state): State<AppState>,
    key: ApiKey,
    Path((customer_external_id, grant_id)): Path<(String, String)>,
    JsonBody(input): JsonBody<GrantIn>,
) -> ApiResult<Response> {
    check_external_id(&grant_id)
        .map_err(|_| ApiError(AppError::field("grant_id", Problem::InvalidChoice)))?;
    let broker =
        app::tenancy::ssr::find_by_id(&state.db, key.broker_id).await?.ok_or(ApiError(AppError::NotFound))?;
    let host = app::tenancy::ssr::primary_host(&state.db, &broker, &state.config.base_domain).await?;
    let base_url = app::tenancy::base_url(&host, state.config.local_port);
    let mut tx = state.db.begin().await?;
    let customer_id = internal_id(&mut tx, key.broker_id, &customer_external_id).await?;
    let mut errors = FormErrors::default();
    let contracts = match &input.contracts {
        ContractsIn::All(all) if all == "all" => None,
        ContractsIn::All(_) => {
            errors.push("contracts", Problem::InvalidChoice);
            Some(Vec::new())
        }
        ContractsIn::Listed(ids) => {
            let mut found = Vec::with_capacity(ids.len());
            for id in ids {
                match app::contracts::ssr::by_external_id(&mut tx, key.broker_id, id).await? {
                    Some((contract, owner)) if owner == customer_id => found.push(contract),
                    _ => {
                        errors.push("contracts", Problem::NotInFolder);
                        break;
                    }
                }
            }
            Some(found)
        }
    };
    let fields = GrantFields {
        role: input.role.clone(),
        contracts,
        requested_on: input.requested_on.clone(),
        requester: input.requester.fields(),
        person: input.person.fields(),
        signature: input.signature.clone(),
        form: match input.form_document_id {
            Some(id) => FormRef::Document(DocumentId(id)),
            None => FormRef::Missing,
        },
    };
    let checked = access::check(&mut tx, key.broker_id, customer_id, &fields, errors).await?;
    let existing =
        access::by_external_id(&mut tx, key.broker_id, customer_id, &grant_id).await?.map(|g| g.id);
    let origin = Origin { broker: &broker, actor: Actor::ApiKey(key.key_id), ip: None, base_url: &base_url };
    let (_, link) = access::save(&mut tx, &origin, customer_id, existing, Some(&grant_id), &checked).await?;
    let view = access::by_external_id(&mut tx, key.broker_id, customer_id, &grant_id)
        .await?
        .ok_or(ApiError(AppError::NotFound))?;
    let external = external_ids(&mut tx, key.broker_id, customer_id).await?;
    tx.commit().await?;
    access::send_invitation(&state, &broker, link).await?;
    let status = if existing.is_some() { StatusCode::OK } else { StatusCode::CREATED };
    Ok((status, Json(out(view, &customer_external_id, &external))).into_response())
}

#[utoipa::path(get, path = "/api/v1/customers/{customer_external_id}/grants/{grant_id}",
    params(("customer_external_id" = String, Path), ("grant_id" = String, Path)),
    responses((status = 200, body = GrantOut), (status = 401, body = ProblemDoc), (status = 404, body = ProblemDoc)))]
pub async fn get_grant(
    State(state): State<AppState>,
    key: ApiKey,
    Path((customer_external_id, grant_id)): Path<(String, String)>,
) -> ApiResult<Json<GrantOut>> {
    let mut conn = state.db.pool.acquire().await?;
    let customer_id = internal_id(&mut conn, key.broker_id, &customer_external_id).await?;
    let view = access::by_external_id(&mut conn, key.broker_id, customer_id, &grant_id)
        .await?
        .ok_or(ApiError(AppError::NotFound))?;
    let external = external_ids(&mut conn, key.broker_id, customer_id).await?;
    Ok(Json(out(view, &customer_external_id, &external)))
}

/// The grants on a customer's folder, live ones first, then the revoked (for the record).
#[utoipa::path(get, path = "/api/v1/customers/{customer_external_id}/grants",
    params(("customer_external_id" = String, Path)),
    responses((status = 200, body = Vec<GrantOut>), (status = 401, body = ProblemDoc), (status = 404, body = ProblemDoc)))]
pub async fn list_grants(
    State(state): State<AppState>,
    key: ApiKey,
    Path(customer_external_id): Path<String>,
) -> ApiResult<Json<Vec<GrantOut>>> {
    let mut conn = state.db.pool.acquire().await?;
    let customer_id = internal_id(&mut conn, key.broker_id, &customer_external_id).await?;
    let views = access::of_folder(&mut conn, key.broker_id, customer_id).await?;
    let external = external_ids(&mut conn, key.broker_id, customer_id).await?;
    Ok(Json(views.into_iter().map(|v| out(v, &customer_external_id, &external)).collect()))
}

/// Revokes a live grant: it takes effect with the person's next request. The record stays.
#[utoipa::path(delete, path = "/api/v1/customers/{customer_external_id}/grants/{grant_id}",
    params(("customer_external_id" = String, Path), ("grant_id" = String, Path)),
    responses((status = 204, description = "revoked"), (status = 401, body = ProblemDoc),
        (status = 404, body = ProblemDoc, description = "no live grant with this id")))]
pub async fn delete_grant(
    State(state): State<AppState>,
    key: ApiKey,
    Path((customer_external_id, grant_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let mut tx = state.db.begin().await?;
    let customer_id = internal_id(&mut tx, key.broker_id, &customer_external_id).await?;
    let id = access::live_id(&mut tx, key.broker_id, customer_id, &grant_id)
        .await?
        .ok_or(ApiError(AppError::NotFound))?;
    access::revoke(&mut tx, key.broker_id, Actor::ApiKey(key.key_id), None, id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
