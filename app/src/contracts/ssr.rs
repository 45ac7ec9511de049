//! Contract queries and changes. A customer reaches only their own contracts, the office
//! only its broker's; a change checks that customer, line and product are the broker's.

use std::net::IpAddr;

use sqlx::{AnyConnection, Row};

use super::money::{amount_input, parse_amount};
use super::{ContractCard, ContractDetail, ContractForm, Interval, Status};
use crate::audit::ssr::{record, Actor, Target};
use crate::db::now;
use crate::error::{AppError, FormErrors, Problem, Result};
use crate::i18n::parse_iso_date;
use crate::request::{app_state, require_staff, require_user};

const CARD_COLUMNS: &str = "c.id, c.line_id, l.name, p.name, c.insurer, c.policy_number, c.status,
     c.premium_cents, c.currency, c.payment_interval, c.end_date";
const CARD_JOINS: &str = "FROM contracts c
     JOIN lines l ON l.id = c.line_id AND l.broker_id = c.broker_id
     LEFT JOIN products p ON p.id = c.product_id AND p.broker_id = c.broker_id";

fn card_of(row: &sqlx::any::AnyRow) -> Result<ContractCard, sqlx::Error> {
    let status: String = row.try_get(6)?;
    let interval: String = row.try_get(9)?;
    Ok(ContractCard {
        id: row.try_get(0)?,
        line_id: row.try_get(1)?,
        line: row.try_get(2)?,
        product: row.try_get(3)?,
        insurer: row.try_get(4)?,
        policy_number: row.try_get(5)?,
        status: Status::parse(&status).unwrap_or(Status::Active),
        premium_cents: row.try_get(7)?,
        currency: row.try_get(8)?,
        interval: Interval::parse(&interval).unwrap_or(Interval::Yearly),
        end_date: row.try_get(10)?,
    })
}

/// A customer's contracts in the broker's catalogue order.
pub async fn cards(conn: &mut AnyConnection, broker_id: i64, customer_id: i64) -> Result<Vec<ContractCard>> {
    let rows = sqlx::query(&format!(
        "SELECT {CARD_COLUMNS} {CARD_JOINS}
         WHERE c.broker_id = $1 AND c.customer_id = $2
         ORDER BY l.position, l.id, COALESCE(p.position, 0), c.id"
    ))
    .bind(broker_id)
    .bind(customer_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(card_of).collect::<Result<_, _>>().map_err(AppError::from)
}

pub async fn mine() -> Result<Vec<ContractCard>> {
    let (ctx, user) = require_user()?;
    let customer_id = user.customer_id.ok_or(AppError::Forbidden)?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    cards(&mut conn, ctx.broker.id, customer_id).await
}

pub async fn my_detail(id: i64) -> Result<ContractDetail> {
    let (ctx, user) = require_user()?;
    let customer_id = user.customer_id.ok_or(AppError::Forbidden)?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    let row = sqlx::query(&format!(
        "SELECT {CARD_COLUMNS}, c.description, p.description, l.description, c.insured, c.start_date
         {CARD_JOINS}
         WHERE c.id = $1 AND c.broker_id = $2 AND c.customer_id = $3"
    ))
    .bind(id)
    .bind(ctx.broker.id)
    .bind(customer_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let own: String = row.try_get(11)?;
    let product_text: Option<String> = row.try_get(12)?;
    let line_text: String = row.try_get(13)?;
    let what_for = [Some(own), product_text, Some(line_text)]
        .into_iter()
        .flatten()
        .find(|t| !t.trim().is_empty())
        .unwrap_or_default();
    let documents =
        crate::documents::ssr::list(&mut conn, ctx.broker.id, customer_id, Some(id), None, "").await?;
    Ok(ContractDetail {
        card: card_of(&row)?,
        what_for,
        insured: row.try_get(14)?,
        start_date: row.try_get(15)?,
        documents,
    })
}

pub async fn of_customer(customer_id: i64) -> Result<Vec<ContractCard>> {
    let (ctx, _staff) = require_staff()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    cards(&mut conn, ctx.broker.id, customer_id).await
}

pub async fn form(id: i64) -> Result<ContractForm> {
    let (ctx, _staff) = require_staff()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    let row = sqlx::query(
        "SELECT customer_id, line_id, product_id, insurer, policy_number, status, premium_cents,
                payment_interval, start_date, end_date, insured, description
         FROM contracts WHERE id = $1 AND broker_id = $2",
    )
    .bind(id)
    .bind(ctx.broker.id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(ContractForm {
        id: Some(id),
        customer_id: row.try_get(0)?,
        line_id: row.try_get::<i64, _>(1)?.to_string(),
        product_id: row.try_get::<Option<i64>, _>(2)?.map(|id| id.to_string()).unwrap_or_default(),
        insurer: row.try_get(3)?,
        policy_number: row.try_get(4)?,
        status: row.try_get(5)?,
        premium: amount_input(row.try_get(6)?, ctx.locale),
        interval: row.try_get(7)?,
        start_date: row.try_get::<Option<String>, _>(8)?.unwrap_or_default(),
        end_date: row.try_get::<Option<String>, _>(9)?.unwrap_or_default(),
        insured: row.try_get(10)?,
        description: row.try_get(11)?,
    })
}

/// A contract's data, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContractInput {
    pub customer_id: i64,
    pub line_id: i64,
    pub product_id: Option<i64>,
    pub insurer: String,
    pub policy_number: String,
    pub status: Status,
    pub premium_cents: i64,
    pub currency: String,
    pub interval: Interval,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub insured: String,
    pub description: String,
}

pub const INSURER_MAX_CHARS: usize = 100;
pub const POLICY_MAX_CHARS: usize = 60;
pub const INSURED_MAX_CHARS: usize = 200;
pub const DESCRIPTION_MAX_CHARS: usize = 4000;

/// Checks the office's form; every problem is reported at its field.
pub fn parse_form(form: &ContractForm) -> Result<ContractInput> {
    let mut errors = FormErrors::default();
    let line_id = form.line_id.trim().parse::<i64>().ok().filter(|id| *id > 0);
    if line_id.is_none() {
        errors.push(
            "line_id",
            if form.line_id.trim().is_empty() { Problem::Required } else { Problem::InvalidChoice },
        );
    }
    let product_id = match form.product_id.trim() {
        "" => Some(None),
        s => s.parse::<i64>().ok().filter(|id| *id > 0).map(Some),
    };
    if product_id.is_none() {
        errors.push("product_id", Problem::InvalidChoice);
    }
    let insurer = errors.required("insurer", &form.insurer, INSURER_MAX_CHARS);
    let policy_number = errors.optional("policy_number", &form.policy_number, POLICY_MAX_CHARS);
    let status = Status::parse(form.status.trim());
    if status.is_none() {
        errors.push("status", Problem::InvalidChoice);
    }
    let premium_cents = parse_amount(&form.premium);
    if premium_cents.is_none() {
        errors.push(
            "premium",
            if form.premium.trim().is_empty() { Problem::Required } else { Problem::InvalidAmount },
        );
    }
    let interval = Interval::parse(form.interval.trim());
    if interval.is_none() {
        errors.push("interval", Problem::InvalidChoice);
    }
    let start_date = errors.date("start_date", &form.start_date);
    let end_date = errors.date("end_date", &form.end_date);
    if let (Some(start), Some(end)) = (&start_date, &end_date) {
        if end < start && parse_iso_date(start).is_some() && parse_iso_date(end).is_some() {
            errors.push("end_date", Problem::InvalidDate);
        }
    }
    let insured_text = errors.optional("insured", &form.insured, INSURED_MAX_CHARS);
    let description = errors.optional("description", &form.description, DESCRIPTION_MAX_CHARS);
    let ids = line_id.zip(product_id);
    let values = ids.zip(status).zip(premium_cents).zip(interval).map(
        |((((line_id, product_id), status), premium_cents), interval)| ContractInput {
            customer_id: form.customer_id,
            line_id,
            product_id,
            insurer,
            policy_number,
            status,
            premium_cents,
            currency: "EUR".into(),
            interval,
            start_date,
            end_date,
            insured: insured_text,
            description,
        },
    );
    errors.finish(values)
}

/// Creates (`id` = None) or updates a contract of the broker, with its audit entry.
pub async fn write(
    conn: &mut AnyConnection,
    broker_id: i64,
    actor: Actor,
    ip: Option<IpAddr>,
    id: Option<i64>,
    external_id: Option<&str>,
    input: &ContractInput,
) -> Result<i64> {
    let customer: Option<i64> =
        sqlx::query_scalar("SELECT id FROM customers WHERE id = $1 AND broker_id = $2")
            .bind(input.customer_id)
            .bind(broker_id)
            .fetch_optional(&mut *conn)
            .await?;
    if customer.is_none() {
        return Err(AppError::NotFound);
    }
    let line: Option<i64> = sqlx::query_scalar("SELECT id FROM lines WHERE id = $1 AND broker_id = $2")
        .bind(input.line_id)
        .bind(broker_id)
        .fetch_optional(&mut *conn)
        .await?;
    if line.is_none() {
        return Err(AppError::field("line_id", Problem::InvalidChoice));
    }
    if let Some(product_id) = input.product_id {
        let product_line: Option<i64> =
            sqlx::query_scalar("SELECT line_id FROM products WHERE id = $1 AND broker_id = $2")
                .bind(product_id)
                .bind(broker_id)
                .fetch_optional(&mut *conn)
                .await?;
        if product_line != Some(input.line_id) {
            return Err(AppError::field("product_id", Problem::InvalidChoice));
        }
    }
    // Both statements take the contract's fields as $3 to $16, so one binding serves both.
    let (statement, action) = match id {
        None => (
            "INSERT INTO contracts (broker_id, external_id, customer_id, line_id, product_id, insurer, policy_number,
                 status, premium_cents, currency, payment_interval, start_date, end_date, insured, description,
                 updated_at, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) RETURNING id",
            "contract.created",
        ),
        Some(_) => (
            "UPDATE contracts SET customer_id = $3, line_id = $4, product_id = $5, insurer = $6, policy_number = $7,
                 status = $8, premium_cents = $9, currency = $10, payment_interval = $11, start_date = $12,
                 end_date = $13, insured = $14, description = $15, updated_at = $16
             WHERE broker_id = $1 AND id = $2 RETURNING id",
            "contract.updated",
        ),
    };
    let key = match id {
        None => sqlx::query_scalar(statement).bind(broker_id).bind(external_id),
        Some(id) => sqlx::query_scalar(statement).bind(broker_id).bind(id),
    };
    let id: i64 = key
        .bind(input.customer_id)
        .bind(input.line_id)
        .bind(input.product_id)
        .bind(&input.insurer)
        .bind(&input.policy_number)
        .bind(input.status.as_str())
        .bind(input.premium_cents)
        .bind(&input.currency)
        .bind(input.interval.as_str())
        .bind(input.start_date.as_deref())
        .bind(input.end_date.as_deref())
        .bind(&input.insured)
        .bind(&input.description)
        .bind(now())
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(AppError::NotFound)?;
    record(conn, broker_id, actor, action, Some(Target("customer", input.customer_id)), ip).await?;
    Ok(id)
}

pub async fn save(form: ContractForm) -> Result<i64> {
    let (ctx, staff) = require_staff()?;
    let input = parse_form(&form)?;
    let state = app_state()?;
    let mut tx = state.db.begin().await?;
    if let Some(id) = form.id {
        // A contract stays with its customer: the form cannot move it to someone else.
        let owner: Option<i64> =
            sqlx::query_scalar("SELECT customer_id FROM contracts WHERE id = $1 AND broker_id = $2")
                .bind(id)
                .bind(ctx.broker.id)
                .fetch_optional(&mut *tx)
                .await?;
        if owner != Some(input.customer_id) {
            return Err(AppError::NotFound);
        }
    }
    let id = write(&mut tx, ctx.broker.id, Actor::Staff(staff.id), ctx.ip, form.id, None, &input).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/office/customers/{}?contract_saved=1", input.customer_id));
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ContractForm {
        ContractForm {
            id: None,
            customer_id: 1,
            line_id: "2".into(),
            product_id: String::new(),
            insurer: " Allianz ".into(),
            policy_number: "HV-1".into(),
            status: "active".into(),
            premium: "12,50".into(),
            interval: "monthly".into(),
            start_date: "2024-01-01".into(),
            end_date: String::new(),
            insured: String::new(),
            description: String::new(),
        }
    }

    #[test]
    fn a_good_form_becomes_a_contract() {
        let input = parse_form(&form()).unwrap();
        assert_eq!(input.insurer, "Allianz");
        assert_eq!(input.premium_cents, 1250);
        assert_eq!(input.product_id, None);
        assert_eq!(input.interval, Interval::Monthly);
        assert_eq!(input.start_date.as_deref(), Some("2024-01-01"));
        assert_eq!(input.end_date, None);
    }

    #[test]
    fn every_problem_is_reported_at_its_field() {
        let bad = ContractForm {
            line_id: String::new(),
            insurer: String::new(),
            status: "paused".into(),
            premium: "zwölf".into(),
            interval: "weekly".into(),
            start_date: "2024-02-30".into(),
            end_date: "2023-01-01".into(),
            ..form()
        };
        let Err(AppError::Invalid(errors)) = parse_form(&bad) else { panic!("must fail") };
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["line_id", "insurer", "status", "premium", "interval", "start_date"]);

        let backwards = ContractForm { end_date: "2023-12-31".into(), ..form() };
        let Err(AppError::Invalid(errors)) = parse_form(&backwards) else { panic!("must fail") };
        assert_eq!(errors[0].field, "end_date");
    }
}
