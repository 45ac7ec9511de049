//! The office's routes that carry files for access: `POST /office/grants` (a grant with its
//! signed form, one multipart form) and `POST /office/mandate-form` (the form to print,
//! filled with what was entered so far, as a PDF). Both for the broker's staff only.

use std::collections::HashMap;

use axum::extract::{Multipart, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;

use super::form::{mandate_pdf, MandateDoc};
use super::ssr::{check, save, send_invitation, Origin};
use super::{FormRef, GrantFields, GrantRole, PersonFields};
use crate::audit::ssr::Actor;
use crate::documents::http::{accepts_html, receive, text, Received};
use crate::documents::ssr::{insert, take_back, NewDocument};
use crate::documents::Kind;
use crate::error::{AppError, FormErrors, Problem, Result};
use crate::i18n::Locale;
use crate::ids::{parse_id, ContractId, CustomerId, GrantId};
use crate::request::RequestCtx;
use crate::state::AppState;

/// The grant form as sent: its text fields (some repeated) and the signed form's file.
struct Posted {
    fields: HashMap<String, Vec<String>>,
    file: Option<Received>,
}

impl Posted {
    fn one(&self, name: &str) -> String {
        self.fields.get(name).and_then(|v| v.first()).cloned().unwrap_or_default()
    }

    fn person(&self, prefix: &str) -> PersonFields {
        let f = |field: &str| self.one(&format!("{prefix}.{field}"));
        PersonFields {
            first_name: f("first_name"),
            last_name: f("last_name"),
            birth_date: f("birth_date"),
            street: f("street"),
            postal_code: f("postal_code"),
            city: f("city"),
            country: f("country"),
            email: f("email"),
        }
    }

    /// The chosen contracts; a legal representative's grant covers all of them.
    fn contracts(&self, errors: &mut FormErrors) -> Option<Vec<ContractId>> {
        if GrantRole::parse(&self.one("role")).is_some_and(GrantRole::sees_all) {
            return None;
        }
        let chosen = self.fields.get("contracts").cloned().unwrap_or_default();
        let ids: Vec<ContractId> = chosen.iter().filter_map(|c| parse_id(c)).collect();
        if ids.len() != chosen.len() {
            errors.push("contracts", Problem::InvalidChoice);
        }
        Some(ids)
    }
}

async fn read(state: &AppState, mut multipart: Multipart, with_file: bool) -> Result<Posted> {
    let mut posted = Posted { fields: HashMap::new(), file: None };
    while let Some(field) =
        multipart.next_field().await.map_err(|_| AppError::field("form_document_id", Problem::FileInvalid))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            // A file input nothing was chosen in still sends an empty part.
            "form" if field.file_name() == Some("") || !with_file => {}
            "form" => {
                let received =
                    receive(state, field).await.map_err(|e| rename(e, "file", "form_document_id"))?;
                posted.file = Some(received);
            }
            _ if posted.fields.values().map(Vec::len).sum::<usize>() > 200 => {
                return Err(AppError::field(&name, Problem::TooMany));
            }
            _ => {
                let value = text(field).await?;
                posted.fields.entry(name).or_default().push(value);
            }
        }
    }
    Ok(posted)
}

/// A problem reported at one field, reported at another.
fn rename(error: AppError, from: &str, to: &str) -> AppError {
    match error {
        AppError::Invalid(mut errors) => {
            for e in &mut errors {
                if e.field == from {
                    to.clone_into(&mut e.field);
                }
            }
            AppError::Invalid(errors)
        }
        other => other,
    }
}

fn staff_role(ctx: &RequestCtx) -> Result<crate::auth::Role> {
    Ok(ctx.user.as_ref().ok_or(AppError::Unauthenticated)?.role)
}

fn staff(ctx: &RequestCtx) -> Result<Actor> {
    let user = ctx.user.as_ref().ok_or(AppError::Unauthenticated)?;
    if user.role.is_staff() {
        Ok(Actor::Staff(user.id))
    } else {
        Err(AppError::Forbidden)
    }
}

/// `POST /office/grants`: checks the grant first, then stores the signed form (through the
/// sanitizer, like every upload) and the grant, and invites a new person. 201 with the id,
/// a problem document naming the fields, or for a form posted without JS a redirect back.
pub async fn create(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestCtx>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let plain_form = accepts_html(&headers);
    let mut customer = None::<CustomerId>;
    let result = async {
        let actor = staff(&ctx)?;
        let posted = read(&state, multipart, true).await?;
        let customer_id = parse_id::<CustomerId>(&posted.one("customer_id")).ok_or(AppError::NotFound)?;
        customer = Some(customer_id);
        let mut errors = FormErrors::default();
        let contracts = posted.contracts(&mut errors);
        let fields = GrantFields {
            role: posted.one("role"),
            contracts,
            requested_on: posted.one("requested_on"),
            requester: posted.person("requester"),
            person: posted.person("person"),
            signature: posted.one("signature"),
            form: if posted.file.is_some() { FormRef::Upload } else { FormRef::Missing },
        };
        let mut conn = state.db.pool.acquire().await?;
        crate::customers::ssr::staff_may_open(&mut conn, ctx.broker.id, staff_role(&ctx)?, customer_id)
            .await?;
        let mut input = check(&mut conn, ctx.broker.id, customer_id, &fields, errors).await?;
        drop(conn);
        let file = posted.file.ok_or_else(|| AppError::field("form_document_id", Problem::FormRequired))?;
        let title = format!("{} – {}", super::texts::texts(ctx.locale).mandate, input.person.name());
        let document = NewDocument::filed(customer_id, None, &title, Kind::Mandate, file.media_type);
        input.form = insert(&state, ctx.broker.id, actor, ctx.ip, document, file.blob).await?;
        let origin = Origin { broker: &ctx.broker, actor, ip: ctx.ip, base_url: &ctx.base_url(&state) };
        let saved = async {
            let mut tx = state.db.begin().await?;
            let (id, link) = save(&mut tx, &origin, customer_id, None, None, &input).await?;
            tx.commit().await?;
            Ok::<(GrantId, _), AppError>((id, link))
        }
        .await;
        let (id, link) = match saved {
            Ok(saved) => saved,
            Err(error) => {
                take_back(&state, ctx.broker.id, input.form).await?;
                return Err(error);
            }
        };
        send_invitation(&state, &ctx.broker, link).await?;
        Ok::<_, AppError>(id)
    }
    .await;
    let back = customer.map_or_else(|| "/office/customers".to_owned(), |c| format!("/office/customers/{c}"));
    match result {
        Ok(_) if plain_form => Redirect::to(&format!("{back}?grant_saved=1#access")).into_response(),
        Ok(id) => (StatusCode::CREATED, axum::Json(serde_json::json!({ "id": id }))).into_response(),
        Err(AppError::Invalid(_)) if plain_form => {
            Redirect::to(&format!("{back}?grant_error=1#access")).into_response()
        }
        Err(error) => error.problem(ctx.locale),
    }
}

/// `POST /office/mandate-form`: the mandate form for what has been entered so far (empty
/// fields become lines to fill in by hand), in the language chosen, as a PDF.
pub async fn mandate_form(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestCtx>,
    multipart: Multipart,
) -> Response {
    let result = async {
        staff(&ctx)?;
        let posted = read(&state, multipart, false).await?;
        let customer_id = parse_id::<CustomerId>(&posted.one("customer_id")).ok_or(AppError::NotFound)?;
        let mut conn = state.db.pool.acquire().await?;
        let folder =
            crate::customers::ssr::staff_may_open(&mut conn, ctx.broker.id, staff_role(&ctx)?, customer_id)
                .await?;
        let mut ignored = FormErrors::default();
        let contracts = match posted.contracts(&mut ignored) {
            None => None,
            Some(chosen) => {
                let cards = crate::contracts::ssr::cards(&mut conn, ctx.broker.id, customer_id).await?;
                Some(
                    cards
                        .iter()
                        .filter(|c| chosen.contains(&c.id))
                        .map(|c| match c.policy_number.as_str() {
                            "" => format!("{} ({})", c.title(), c.insurer),
                            policy => format!("{} ({}, {policy})", c.title(), c.insurer),
                        })
                        .collect(),
                )
            }
        };
        let locale = Locale::parse(&posted.one("locale")).unwrap_or(ctx.locale);
        let requester = posted.person("requester");
        let person = posted.person("person");
        let doc = MandateDoc {
            broker: &ctx.broker.name,
            company: folder.company(),
            role: GrantRole::parse(&posted.one("role")),
            contracts,
            requested_on: &posted.one("requested_on"),
            requester: &requester,
            person: &person,
            locale,
            today: &crate::db::today(),
        };
        let pdf = mandate_pdf(&doc);
        let title = format!("{} {}", super::texts::texts(locale).mandate, person.last_name.trim());
        let mut response = pdf.into_response();
        let h = response.headers_mut();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
        if let Ok(v) = HeaderValue::from_str(&crate::documents::http::content_disposition(
            title.trim(),
            "application/pdf",
            false,
        )) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
        Ok::<_, AppError>(response)
    }
    .await;
    result.unwrap_or_else(|error| error.problem(ctx.locale))
}
