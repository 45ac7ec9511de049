//! The `customers` table: the one place that reads and writes customer records, for the
//! office, the REST API, the CLI and the mailbox's change requests. Every query names the
//! broker; every change goes into the audit trail with the record.

use std::collections::HashMap;
use std::net::IpAddr;

use sqlx::AnyConnection;

use super::{Access, Address, CustomerInput, CustomerRecord, CustomerRow};
use crate::audit::ssr::{for_targets, record, Actor, Target};
use crate::auth::accounts::{self, NewUser};
use crate::auth::ssr::{invite_user, send_link_mail};
use crate::auth::Role;
use crate::db::{contains_pattern, ilike, now, today};
use crate::error::{AppError, FormErrors, Problem, Result};
use crate::ids::{BrokerId, CustomerId};
use crate::request::{app_state, require_staff};

const COLUMNS: &str =
    "id, external_id, first_name, last_name, company_name, email, phone, birth_date, street,
     postal_code, city, country, iban, account_holder, updated_at";

/// A customer record as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Stored {
    pub id: CustomerId,
    pub external_id: Option<String>,
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
    pub iban: Option<String>,
    pub account_holder: Option<String>,
    pub updated_at: i64,
}

impl Stored {
    pub fn company(&self) -> Option<&str> {
        self.company_name.as_deref().filter(|c| !c.is_empty())
    }

    /// The company's name, else the person's.
    pub fn display_name(&self) -> String {
        super::display_name(&self.first_name, &self.last_name, self.company())
    }

    /// "Schneider, Anna" for sorted lists; a company by its name.
    pub fn sort_name(&self) -> String {
        self.company().map_or_else(|| format!("{}, {}", self.last_name, self.first_name), str::to_owned)
    }

    pub fn address(&self) -> Option<Address> {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let address = Address {
            street: text(&self.street),
            postal_code: text(&self.postal_code),
            city: text(&self.city),
            country: text(&self.country),
        };
        (address != Address::default()).then_some(address)
    }
}

pub async fn find(conn: &mut AnyConnection, broker_id: BrokerId, id: CustomerId) -> Result<Option<Stored>> {
    Ok(sqlx::query_as(&format!("SELECT {COLUMNS} FROM customers WHERE id = $1 AND broker_id = $2"))
        .bind(id)
        .bind(broker_id)
        .fetch_optional(conn)
        .await?)
}

/// A customer of the broker, or `NotFound` (another broker's id is simply not there).
pub async fn get(conn: &mut AnyConnection, broker_id: BrokerId, id: CustomerId) -> Result<Stored> {
    find(conn, broker_id, id).await?.ok_or(AppError::NotFound)
}

pub async fn find_external(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    external_id: &str,
) -> Result<Option<Stored>> {
    Ok(sqlx::query_as(&format!("SELECT {COLUMNS} FROM customers WHERE broker_id = $1 AND external_id = $2"))
        .bind(broker_id)
        .bind(external_id)
        .fetch_optional(conn)
        .await?)
}

pub async fn find_by_email(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    email: &str,
) -> Result<Option<Stored>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM customers WHERE broker_id = $1 AND email = $2 ORDER BY id LIMIT 1"
    ))
    .bind(broker_id)
    .bind(email)
    .fetch_optional(conn)
    .await?)
}

/// Customers (with an external id) changed at or after `since`, after the cursor
/// `(updated_at, id)`, oldest change first: the REST API's paging.
pub async fn changed_since(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    since: i64,
    after: (i64, CustomerId),
    limit: i64,
) -> Result<Vec<Stored>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM customers
         WHERE broker_id = $1 AND external_id IS NOT NULL AND updated_at >= $2
           AND (updated_at > $3 OR (updated_at = $3 AND id > $4))
         ORDER BY updated_at, id LIMIT $5"
    ))
    .bind(broker_id)
    .bind(since)
    .bind(after.0)
    .bind(after.1)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// Creates a customer record, or updates the one with the same external id (the REST API's
/// upsert: one statement either way). Returns the id and whether it is new.
pub async fn save(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    actor: Actor,
    ip: Option<IpAddr>,
    external_id: Option<&str>,
    input: &CustomerInput,
) -> Result<(CustomerId, bool)> {
    let existing = match external_id {
        Some(external_id) => find_external(conn, broker_id, external_id).await?.map(|c| c.id),
        None => None,
    };
    let address = input.address.clone().unwrap_or_default();
    let some = |s: String| Some(s).filter(|s| !s.is_empty());
    let id: CustomerId = sqlx::query_scalar(
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
    .bind(broker_id)
    .bind(external_id)
    .bind(&input.first_name)
    .bind(&input.last_name)
    .bind(input.company_name.as_deref())
    .bind(input.email.as_ref().map(crate::email::Email::as_str))
    .bind(input.phone.as_deref())
    .bind(input.birth_date.as_deref())
    .bind(some(address.street))
    .bind(some(address.postal_code))
    .bind(some(address.city))
    .bind(some(address.country))
    .bind(now())
    .fetch_one(&mut *conn)
    .await?;
    let action = if existing.is_some() { "customer.updated" } else { "customer.created" };
    record(conn, broker_id, actor, action, Some(Target::Customer(id)), ip).await?;
    Ok((id, existing.is_none()))
}

/// A new address, as staff take it over from a change request.
pub async fn set_address(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    id: CustomerId,
    address: &Address,
) -> Result<()> {
    sqlx::query(
        "UPDATE customers SET street = $1, postal_code = $2, city = $3, country = $4, updated_at = $5
         WHERE id = $6 AND broker_id = $7",
    )
    .bind(&address.street)
    .bind(&address.postal_code)
    .bind(&address.city)
    .bind(&address.country)
    .bind(now())
    .bind(id)
    .bind(broker_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// A new bank account, as staff take it over from a change request.
pub async fn set_bank(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    id: CustomerId,
    account_holder: &str,
    iban: &str,
) -> Result<()> {
    sqlx::query("UPDATE customers SET account_holder = $1, iban = $2, updated_at = $3 WHERE id = $4 AND broker_id = $5")
        .bind(account_holder)
        .bind(iban)
        .bind(now())
        .bind(id)
        .bind(broker_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A page of the broker's customers matching name, e-mail, company or policy number.
async fn search(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    query: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<Stored>> {
    let like = ilike(conn);
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM customers
         WHERE broker_id = $1
           AND ($2 = '%%' OR first_name {like} $2 OR last_name {like} $2 OR email {like} $2
                OR company_name {like} $2
                OR id IN (SELECT k.customer_id FROM contracts k
                          WHERE k.broker_id = $1 AND k.policy_number {like} $2))
         ORDER BY last_name, first_name, id LIMIT $3 OFFSET $4"
    ))
    .bind(broker_id)
    .bind(contains_pattern(query))
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await?)
}

/// Whether each folder's own account exists and has a password.
async fn logins(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    ids: &[CustomerId],
) -> Result<HashMap<CustomerId, (crate::ids::UserId, bool)>> {
    Ok(accounts::of_folders(conn, broker_id, ids)
        .await?
        .into_iter()
        .filter_map(|a| a.customer_id.map(|c| (c, (a.id, a.active()))))
        .collect())
}

pub async fn list(query: &str, page: u32) -> Result<Vec<CustomerRow>> {
    let (ctx, _staff) = require_staff()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    let limit = i64::try_from(super::PAGE_SIZE + 1).unwrap_or(51);
    let offset = i64::from(page.min(10_000)) * i64::try_from(super::PAGE_SIZE).unwrap_or(50);
    let found = search(&mut conn, ctx.broker.id, query, limit, offset).await?;
    let ids: Vec<CustomerId> = found.iter().map(|c| c.id).collect();
    let logins = logins(&mut conn, ctx.broker.id, &ids).await?;
    Ok(found
        .into_iter()
        .map(|c| CustomerRow {
            id: c.id,
            name: c.sort_name(),
            access: Access::of(logins.get(&c.id).map(|l| l.1)),
            email: c.email,
        })
        .collect())
}

pub async fn detail(id: CustomerId) -> Result<CustomerRecord> {
    let (ctx, staff) = require_staff()?;
    let state = app_state()?;
    let mut tx = state.db.begin().await?;
    let c = get(&mut tx, ctx.broker.id, id).await?;
    let login = logins(&mut tx, ctx.broker.id, &[id]).await?.remove(&id);
    // Looking is recorded too (R1.4).
    record(
        &mut tx,
        ctx.broker.id,
        Actor::Staff(staff.id),
        "customer.viewed",
        Some(Target::Customer(id)),
        ctx.ip,
    )
    .await?;
    let mut targets = vec![Target::Customer(id)];
    if let Some((user_id, _)) = login {
        targets.push(Target::User(user_id));
    }
    let audit = for_targets(&mut tx, ctx.broker.id, &targets, 50).await?;
    tx.commit().await?;
    Ok(CustomerRecord {
        id,
        address: c.address(),
        company_name: c.company().map(str::to_owned),
        first_name: c.first_name,
        last_name: c.last_name,
        email: c.email,
        phone: c.phone,
        birth_date: c.birth_date,
        iban: c.iban,
        account_holder: c.account_holder,
        user_id: login.map(|l| l.0),
        access: Access::of(login.map(|l| l.1)),
        audit,
    })
}

/// The office invites a new customer: the record and an account with an invitation link.
pub async fn invite(first_name: String, last_name: String, email: String) -> Result<CustomerId> {
    let (ctx, staff) = require_staff()?;
    let state = app_state()?;
    let mut errors = FormErrors::default();
    if email.trim().is_empty() {
        errors.push("email", Problem::Required);
    }
    let fields = super::CustomerFields { first_name, last_name, email, ..Default::default() };
    let input = CustomerInput::parse(&fields, errors, &today())?;
    let email = input.email.clone().ok_or_else(|| AppError::field("email", Problem::Required))?;
    let mut tx = state.db.begin().await?;
    let actor = Actor::Staff(staff.id);
    let (customer_id, _) = save(&mut tx, ctx.broker.id, actor, ctx.ip, None, &input).await?;
    let display_name = input.display_name();
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
