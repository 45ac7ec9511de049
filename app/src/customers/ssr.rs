//! Customer queries and the invitation, always within the signed-in staff member's broker.

use sqlx::Row;

use super::{Access, CustomerRecord, CustomerRow};
use crate::audit::ssr::{for_targets, record, Actor, Target};
use crate::auth::ssr::{invite_user, send_link_mail, NewUser};
use crate::auth::Role;
use crate::db::{contains_pattern, ilike, now};
use crate::error::{AppError, FormErrors, Result, NAME_MAX_CHARS};
use crate::request::{app_state, require_staff};

fn access(user_id: Option<i64>, has_password: bool) -> Access {
    match (user_id, has_password) {
        (None, _) => Access::None,
        (Some(_), false) => Access::Invited,
        (Some(_), true) => Access::Active,
    }
}

pub async fn list(query: &str, page: u32) -> Result<Vec<CustomerRow>> {
    let (ctx, _staff) = require_staff()?;
    let state = app_state()?;
    let pattern = contains_pattern(query);
    let limit = i64::try_from(super::PAGE_SIZE + 1).unwrap_or(51);
    let offset = i64::from(page.min(10_000)) * i64::try_from(super::PAGE_SIZE).unwrap_or(50);
    let mut conn = state.db.pool.acquire().await?;
    // The page of matches is found first, then joined.
    let like = ilike(&conn);
    let rows = sqlx::query(&format!(
        "SELECT c.id, c.first_name, c.last_name, c.email, u.id,
                CAST(CASE WHEN u.password_hash IS NULL THEN 0 ELSE 1 END AS BIGINT), c.company_name
         FROM (SELECT id, broker_id, first_name, last_name, email, company_name FROM customers
               WHERE broker_id = $1
                 AND ($2 = '%%' OR first_name {like} $2 OR last_name {like} $2 OR email {like} $2
                      OR company_name {like} $2
                      OR id IN (SELECT k.customer_id FROM contracts k
                                WHERE k.broker_id = $1 AND k.policy_number {like} $2))
               ORDER BY last_name, first_name, id LIMIT $3 OFFSET $4) c
         LEFT JOIN users u ON u.customer_id = c.id AND u.broker_id = c.broker_id
         ORDER BY c.last_name, c.first_name, c.id"
    ))
    .bind(ctx.broker.id)
    .bind(pattern)
    .bind(limit)
    .bind(offset)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            let first: String = row.try_get(1)?;
            let last: String = row.try_get(2)?;
            let company: Option<String> = row.try_get(6)?;
            let name = match company.filter(|c| !c.is_empty()) {
                Some(company) => company,
                None => format!("{last}, {first}"),
            };
            Ok(CustomerRow {
                id: row.try_get(0)?,
                name,
                email: row.try_get(3)?,
                access: access(row.try_get(4)?, row.try_get::<i64, _>(5)? == 1),
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(AppError::from)
}

pub async fn detail(id: i64) -> Result<CustomerRecord> {
    let (ctx, staff) = require_staff()?;
    let state = app_state()?;
    let mut tx = state.db.begin().await?;
    let row = sqlx::query(
        "SELECT c.id, c.first_name, c.last_name, c.email, u.id,
                CAST(CASE WHEN u.password_hash IS NULL THEN 0 ELSE 1 END AS BIGINT),
                c.company_name, c.phone, c.birth_date, c.street, c.postal_code, c.city, c.country,
                c.iban, c.account_holder
         FROM customers c LEFT JOIN users u ON u.customer_id = c.id AND u.broker_id = c.broker_id
         WHERE c.id = $1 AND c.broker_id = $2",
    )
    .bind(id)
    .bind(ctx.broker.id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let user_id: Option<i64> = row.try_get(4)?;
    // Looking is recorded too (R1.4).
    record(
        &mut tx,
        ctx.broker.id,
        Actor::Staff(staff.id),
        "customer.viewed",
        Some(Target("customer", id)),
        ctx.ip,
    )
    .await?;
    let mut targets = vec![Target("customer", id)];
    if let Some(user_id) = user_id {
        targets.push(Target("user", user_id));
    }
    let audit = for_targets(&mut tx, ctx.broker.id, &targets, 50).await?;
    tx.commit().await?;
    let street: Option<String> = row.try_get(9)?;
    let postal_code: Option<String> = row.try_get(10)?;
    let city: Option<String> = row.try_get(11)?;
    let country: Option<String> = row.try_get(12)?;
    let town = [postal_code, city].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let address = [street, Some(town), country].into_iter().flatten().filter(|l| !l.is_empty()).collect();
    Ok(CustomerRecord {
        id: row.try_get(0)?,
        first_name: row.try_get(1)?,
        last_name: row.try_get(2)?,
        company_name: row.try_get::<Option<String>, _>(6)?.filter(|c| !c.is_empty()),
        email: row.try_get(3)?,
        phone: row.try_get(7)?,
        birth_date: row.try_get(8)?,
        address,
        iban: row.try_get(13)?,
        account_holder: row.try_get(14)?,
        user_id,
        access: access(user_id, row.try_get::<i64, _>(5)? == 1),
        audit,
    })
}

pub async fn invite(first_name: String, last_name: String, email: String) -> Result<i64> {
    let (ctx, staff) = require_staff()?;
    let state = app_state()?;
    let mut errors = FormErrors::default();
    let first_name = errors.required("first_name", &first_name, NAME_MAX_CHARS);
    let last_name = errors.required("last_name", &last_name, NAME_MAX_CHARS);
    let email = errors.email("email", &email);
    let email = errors.finish(email)?;

    let now = now();
    let mut tx = state.db.begin().await?;
    let customer_id: i64 = sqlx::query_scalar(
        "INSERT INTO customers (broker_id, first_name, last_name, email, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(ctx.broker.id)
    .bind(&first_name)
    .bind(&last_name)
    .bind(email.as_str())
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let actor = Actor::Staff(staff.id);
    record(&mut tx, ctx.broker.id, actor, "customer.created", Some(Target("customer", customer_id)), ctx.ip)
        .await?;
    let display_name = format!("{first_name} {last_name}");
    let person = NewUser {
        display_name: &display_name,
        email: &email,
        role: Role::Customer,
        customer_id: Some(customer_id),
    };
    let (_, link) = invite_user(&mut tx, &ctx.broker, actor, ctx.ip, &ctx.base_url(&state), person).await?;
    tx.commit().await?;
    send_link_mail(&state, &ctx.broker, &link).await?;
    leptos_axum::redirect(&format!("/office/customers/{customer_id}?invited=1"));
    Ok(customer_id)
}
