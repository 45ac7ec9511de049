//! The `customers` table: the one place that reads and writes customer records, for the
//! office, the REST API, the CLI and the mailbox's change requests. Every query names the
//! broker; every change goes into the audit trail with the record.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::net::IpAddr;

use sqlx::any::AnyArguments;
use sqlx::{AnyConnection, Arguments as _};

use super::{Access, Address, CustomerInput, CustomerRecord, CustomerRow};
use crate::audit::ssr::{for_targets, last_check, record, Actor, Source, Target};
use crate::auth::accounts::{self, NewUser};
use crate::auth::ssr::{invite_user, send_link_mail};
use crate::auth::Role;
use crate::db::{now, today};
use crate::error::{AppError, FormErrors, Problem, Result};
use crate::ids::{BrokerId, CustomerId};
use crate::request::{app_state, require_staff};

const COLUMNS: &str =
    "id, external_id, first_name, last_name, company_name, email, phone, birth_date, street,
     postal_code, city, country, iban, account_holder, created_at, updated_at, created_by, changed_by,
     locked_at, erase_on";

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
    pub created_at: i64,
    pub updated_at: i64,
    /// Where the record came from and what changed it last ([`Source`], stored form).
    pub created_by: Option<String>,
    pub changed_by: Option<String>,
    /// Locked on erasure while the retention period runs: only owners open it.
    pub locked_at: Option<i64>,
    /// The ISO date housekeeping erases a locked folder; none while contracts run.
    pub erase_on: Option<String>,
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

/// A record as the statements below write it: `$1` broker, `$2` external id, `$3` to `$12`
/// the person, `$13` the time, `$14` the origin, bound in this order by `add_record`.
const WRITE_COLUMNS: &str = "broker_id, external_id, first_name, last_name, company_name, email, phone,
     birth_date, street, postal_code, city, country, created_at, updated_at, created_by, changed_by";
const WRITE_VALUES: &str = "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14, $14)";

/// Adds a record's `$1` to `$14` (see `WRITE_VALUES`) to a statement's arguments.
fn add_record<'q>(
    args: &mut AnyArguments<'q>,
    broker_id: BrokerId,
    external_id: Option<&'q str>,
    input: &'q CustomerInput,
    at: i64,
    origin: &'q str,
) -> Result<()> {
    let address = input.address.clone().unwrap_or_default();
    let some = |s: String| Some(s).filter(|s| !s.is_empty());
    let add = || -> std::result::Result<(), sqlx::error::BoxDynError> {
        args.add(broker_id)?;
        args.add(external_id)?;
        args.add(input.first_name.as_str())?;
        args.add(input.last_name.as_str())?;
        args.add(input.company_name.as_deref())?;
        args.add(input.email.as_ref().map(crate::email::Email::as_str))?;
        args.add(input.phone.as_deref())?;
        args.add(input.birth_date.as_deref())?;
        args.add(some(address.street))?;
        args.add(some(address.postal_code))?;
        args.add(some(address.city))?;
        args.add(some(address.country))?;
        args.add(at)?;
        args.add(origin)
    };
    add().map_err(|e| AppError::from(sqlx::Error::Encode(e)))
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
    let origin = Source::By(actor).column();
    let mut args = AnyArguments::default();
    add_record(&mut args, broker_id, external_id, input, now(), &origin)?;
    let id: CustomerId = sqlx::query_scalar_with(
        &format!(
            "INSERT INTO customers ({WRITE_COLUMNS}) VALUES {WRITE_VALUES}
             ON CONFLICT (broker_id, external_id) DO UPDATE SET first_name = excluded.first_name,
                 last_name = excluded.last_name, company_name = excluded.company_name, email = excluded.email,
                 phone = excluded.phone, birth_date = excluded.birth_date, street = excluded.street,
                 postal_code = excluded.postal_code, city = excluded.city, country = excluded.country,
                 updated_at = excluded.updated_at, changed_by = excluded.changed_by
             RETURNING id"
        ),
        args,
    )
    .fetch_one(&mut *conn)
    .await?;
    let action = if existing.is_some() { "customer.updated" } else { "customer.created" };
    record(conn, broker_id, actor, action, Some(Target::Customer(id)), ip).await?;
    Ok((id, existing.is_none()))
}

/// Every customer of the broker, for matching an import against.
pub async fn all(conn: &mut AnyConnection, broker_id: BrokerId) -> Result<Vec<Stored>> {
    Ok(sqlx::query_as(&format!("SELECT {COLUMNS} FROM customers WHERE broker_id = $1 ORDER BY id"))
        .bind(broker_id)
        .fetch_all(conn)
        .await?)
}

impl Stored {
    /// The record as an input, to compare an import's values with.
    pub fn input(&self) -> CustomerInput {
        CustomerInput {
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            company_name: self.company_name.clone().filter(|c| !c.is_empty()),
            email: self.email.as_deref().and_then(|e| crate::email::Email::parse(e).ok()),
            phone: self.phone.clone().filter(|p| !p.is_empty()),
            birth_date: self.birth_date.clone().filter(|b| !b.is_empty()),
            address: self.address(),
        }
    }
}

/// Creates the customers of an import, many in one statement, with their origin `source`;
/// answers their ids in the order given. The import makes one trail entry for all it writes.
pub async fn create_imported(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    people: &[(Option<&str>, &CustomerInput)],
    source: Source,
) -> Result<Vec<CustomerId>> {
    let (at, origin) = (now(), source.column());
    let mut ids = Vec::with_capacity(people.len());
    for chunk in people.chunks(crate::db::ROWS_PER_STATEMENT) {
        let mut args = AnyArguments::default();
        for (external_id, input) in chunk {
            add_record(&mut args, broker_id, *external_id, input, at, &origin)?;
        }
        let values = crate::db::values_for_rows(WRITE_VALUES, 14, chunk.len());
        let mut created: Vec<CustomerId> = sqlx::query_scalar_with(
            &format!("INSERT INTO customers ({WRITE_COLUMNS}) VALUES {values} RETURNING id"),
            args,
        )
        .fetch_all(&mut *conn)
        .await?;
        // RETURNING promises no order; the ids rise in the order the rows were inserted.
        created.sort_unstable();
        ids.extend(created);
    }
    Ok(ids)
}

/// Updates a customer from an import, its origin `source`; an external id it had stays.
pub async fn update_imported(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    id: CustomerId,
    external_id: Option<&str>,
    input: &CustomerInput,
    source: Source,
) -> Result<()> {
    let origin = source.column();
    let mut args = AnyArguments::default();
    add_record(&mut args, broker_id, external_id, input, now(), &origin)?;
    args.add(id).map_err(sqlx::Error::Encode)?;
    sqlx::query_scalar_with::<_, CustomerId, _>(
        "UPDATE customers SET external_id = COALESCE(external_id, $2), first_name = $3, last_name = $4,
             company_name = $5, email = $6, phone = $7, birth_date = $8, street = $9, postal_code = $10,
             city = $11, country = $12, updated_at = $13, changed_by = $14
         WHERE broker_id = $1 AND id = $15 RETURNING id",
        args,
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(())
}

/// A new address, as staff take it over from a change request (`source`).
pub async fn set_address(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    id: CustomerId,
    address: &Address,
    source: Source,
) -> Result<()> {
    sqlx::query(
        "UPDATE customers SET street = $1, postal_code = $2, city = $3, country = $4, updated_at = $5,
             changed_by = $8
         WHERE id = $6 AND broker_id = $7",
    )
    .bind(&address.street)
    .bind(&address.postal_code)
    .bind(&address.city)
    .bind(&address.country)
    .bind(now())
    .bind(id)
    .bind(broker_id)
    .bind(source.column())
    .execute(conn)
    .await?;
    Ok(())
}

/// A new bank account, as staff take it over from a change request (`source`).
pub async fn set_bank(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    id: CustomerId,
    account_holder: &str,
    iban: &str,
    source: Source,
) -> Result<()> {
    sqlx::query(
        "UPDATE customers SET account_holder = $1, iban = $2, updated_at = $3, changed_by = $6
         WHERE id = $4 AND broker_id = $5",
    )
    .bind(account_holder)
    .bind(iban)
    .bind(now())
    .bind(id)
    .bind(broker_id)
    .bind(source.column())
    .execute(conn)
    .await?;
    Ok(())
}

/// The one rule for staff and a folder locked on erasure (`locked_at`): only owners open it
/// while it is kept for the retention period. Where a row already carries the folder's
/// `locked_at`, callers ask here; where they hold only the folder's id, [`staff_may_open`].
pub fn staff_opens(role: Role, locked_at: Option<i64>) -> Result<()> {
    if locked_at.is_some() && role != Role::Owner {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

/// The folder, if this staff member may open it ([`staff_opens`]).
pub async fn staff_may_open(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    role: Role,
    id: CustomerId,
) -> Result<Stored> {
    let found = get(conn, broker_id, id).await?;
    staff_opens(role, found.locked_at)?;
    Ok(found)
}

/// Locks a folder for its retention period; `erase_on` is when housekeeping erases it.
pub async fn lock(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    id: CustomerId,
    erase_on: Option<&str>,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE customers SET locked_at = COALESCE(locked_at, $1), erase_on = $2 WHERE id = $3 AND broker_id = $4",
    )
    .bind(now)
    .bind(erase_on)
    .bind(id)
    .bind(broker_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Every locked folder of every broker, for housekeeping.
pub async fn locked(conn: &mut AnyConnection) -> Result<Vec<(BrokerId, CustomerId)>> {
    #[derive(sqlx::FromRow)]
    struct Locked {
        broker_id: BrokerId,
        id: CustomerId,
    }
    let rows: Vec<Locked> =
        sqlx::query_as("SELECT broker_id, id FROM customers WHERE locked_at IS NOT NULL ORDER BY id")
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().map(|r| (r.broker_id, r.id)).collect())
}

/// Deletes the customer's record; the database takes what hangs on it along (contracts,
/// conversations and messages, the holder's account with its sessions, links and drafts).
/// Documents and grants go first, through their owners ([`crate::erasure`]).
pub async fn erase(conn: &mut AnyConnection, broker_id: BrokerId, id: CustomerId) -> Result<()> {
    sqlx::query("DELETE FROM customers WHERE id = $1 AND broker_id = $2")
        .bind(id)
        .bind(broker_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A page of the broker's customers whose name, company and e-mail hold every word of the
/// query (in any case), or with a policy number holding it. Read off trigram indexes (FTS5 on
/// SQLite, pg_trgm on PostgreSQL), so it stays quick at 100,000 customers.
async fn search(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    query: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<Stored>> {
    let postgres = conn.backend_name() == "PostgreSQL";
    let (from, binds) = Search::parse(query).from(postgres);
    let sql = format!(
        "SELECT {COLUMNS} {from} ORDER BY last_name, first_name, id LIMIT ${} OFFSET ${}",
        binds.len() + 2,
        binds.len() + 3
    );
    let mut statement = sqlx::query_as(&sql).bind(broker_id);
    for bind in binds {
        statement = statement.bind(bind);
    }
    Ok(statement.bind(limit).bind(offset).fetch_all(conn).await?)
}

/// What the office typed into the customer search.
#[derive(Debug, PartialEq, Eq)]
struct Search {
    /// Each must be found in the name, the company or the e-mail address.
    words: Vec<String>,
    /// The whole text, looked for in policy numbers.
    policy: String,
}

impl Search {
    /// Characters that would mean something to LIKE or to FTS5 are dropped; at most 8 words.
    fn parse(query: &str) -> Self {
        let clean = |s: &str| s.replace(['\\', '%', '_', '"'], "");
        let words = query.split_whitespace().map(clean).filter(|w| !w.is_empty()).take(8).collect();
        Search { words, policy: clean(query.trim()) }
    }

    /// The `FROM … WHERE …` of the search, with `customers`' columns unqualified, and its
    /// values, bound from `$2` on (`$1` is the broker).
    fn from(&self, postgres: bool) -> (String, Vec<String>) {
        if self.words.is_empty() {
            return ("FROM customers WHERE broker_id = $1".to_owned(), Vec::new());
        }
        let mut binds = Vec::new();
        let mut next = |value: String| {
            binds.push(value);
            format!("${}", binds.len() + 1)
        };
        if postgres {
            // The expressions of the indexes of migration 0007, word by word.
            let mut names = Vec::new();
            for word in &self.words {
                let p = next(format!("%{}%", word.to_lowercase()));
                names.push(format!(
                    "lower(first_name || ' ' || last_name || ' ' || COALESCE(company_name, '') || ' ' || \
                     COALESCE(email, '')) LIKE {p}"
                ));
            }
            let p = next(format!("%{}%", self.policy.to_lowercase()));
            let from = format!(
                "FROM customers WHERE broker_id = $1 AND id IN (
                     SELECT id FROM customers WHERE broker_id = $1 AND {}
                     UNION SELECT customer_id FROM contracts WHERE broker_id = $1 AND lower(policy_number) LIKE {p})",
                names.join(" AND ")
            );
            return (from, binds);
        }
        // SQLite: the matches first, then their rows (CROSS JOIN keeps that order), so a rare
        // name costs a few lookups, not a walk through every customer in name order.
        // Trigrams need three letters; shorter words are checked on the rows found.
        let (long, short): (Vec<&String>, Vec<&String>) =
            self.words.iter().partition(|w| w.chars().count() >= 3);
        let mut names = if long.is_empty() {
            "SELECT id AS hit FROM customers WHERE broker_id = $1".to_owned()
        } else {
            let phrases: Vec<String> = long.iter().map(|w| format!("\"{w}\"")).collect();
            let p = next(phrases.join(" AND "));
            format!("SELECT rowid AS hit FROM customers_search WHERE customers_search MATCH {p}")
        };
        for word in short {
            let p = next(format!("%{word}%"));
            let _ = write!(
                names,
                " AND (first_name LIKE {p} OR last_name LIKE {p} OR company_name LIKE {p} OR email LIKE {p})"
            );
        }
        let policy = if self.policy.chars().count() >= 3 {
            let p = next(format!("\"{}\"", self.policy));
            format!(
                "SELECT k.customer_id AS hit FROM contracts_search s CROSS JOIN contracts k ON k.id = s.rowid
                 WHERE contracts_search MATCH {p} AND k.broker_id = $1"
            )
        } else {
            let p = next(format!("%{}%", self.policy));
            format!(
                "SELECT customer_id AS hit FROM contracts WHERE broker_id = $1 AND policy_number LIKE {p}"
            )
        };
        let from = format!(
            "FROM ({names} UNION {policy}) m CROSS JOIN customers c ON c.id = m.hit WHERE c.broker_id = $1"
        );
        (from, binds)
    }
}

/// Each folder's own account and its state (invited, active, deactivated).
async fn logins(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    ids: &[CustomerId],
) -> Result<HashMap<CustomerId, (crate::ids::UserId, Access)>> {
    Ok(accounts::of_folders(conn, broker_id, ids)
        .await?
        .into_iter()
        .filter_map(|a| a.customer_id.map(|c| (c, (a.id, Access::of_account(&a)))))
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
            access: logins.get(&c.id).map_or(Access::None, |l| l.1),
            email: c.email,
        })
        .collect())
}

pub async fn detail(id: CustomerId) -> Result<CustomerRecord> {
    let (ctx, staff) = require_staff()?;
    let state = app_state()?;
    let mut tx = state.db.begin().await?;
    let c = staff_may_open(&mut tx, ctx.broker.id, staff.role, id).await?;
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
    let trail_check = last_check(&mut tx, ctx.broker.id).await?;
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
        access: login.map_or(Access::None, |l| l.1),
        audit,
        trail_check,
        locked: c.locked_at.map(|at| super::Lock { at, erase_on: c.erase_on }),
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

/// Customers whose record came from `origin` (an import) with an e-mail address and no
/// account yet: whom "invite all new customers" invites.
pub async fn uninvited_from(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    origin: &str,
) -> Result<Vec<Stored>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM customers
         WHERE broker_id = $1 AND created_by = $2 AND email IS NOT NULL AND locked_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM users u WHERE u.broker_id = customers.broker_id AND u.customer_id = customers.id)
         ORDER BY id"
    ))
    .bind(broker_id)
    .bind(origin)
    .fetch_all(conn)
    .await?)
}

/// Invites the holder of a customer record to their folder, at the record's e-mail address.
/// `false` when the address belongs to an account already (nothing is sent).
pub async fn invite_holder(
    state: &crate::state::AppState,
    ctx: &crate::request::RequestCtx,
    actor: Actor,
    customer: &Stored,
) -> Result<bool> {
    let Some(email) = customer.email.as_deref().and_then(|e| crate::email::Email::parse(e).ok()) else {
        return Ok(false);
    };
    let mut tx = state.db.begin().await?;
    let display_name = customer.display_name();
    let person = NewUser {
        display_name: &display_name,
        email: &email,
        role: Role::Customer,
        customer_id: Some(customer.id),
    };
    let link = match invite_user(&mut tx, &ctx.broker, actor, ctx.ip, &ctx.base_url(state), person).await {
        Ok((_, link)) => link,
        Err(AppError::Invalid(e)) if e.iter().any(|e| e.problem == Problem::EmailTaken) => return Ok(false),
        Err(e) => return Err(e),
    };
    tx.commit().await?;
    send_link_mail(state, &ctx.broker, &link).await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::Search;

    #[test]
    fn a_search_is_split_into_words_without_characters_that_mean_something_to_sql() {
        let search = Search::parse("  Anna   Schn%ei_der\"  ");
        assert_eq!(search.words, ["Anna", "Schneider"]);
        assert_eq!(search.policy, "Anna   Schneider");
        assert!(Search::parse(" % _ ").words.is_empty());
        assert_eq!(Search::parse("a b c d e f g h i j").words.len(), 8);
    }

    #[test]
    fn on_sqlite_long_words_go_to_the_trigram_index_and_short_ones_are_checked_on_what_it_found() {
        let (sql, binds) = Search::parse("Müller ab").from(false);
        assert!(sql.contains("customers_search MATCH $2 AND (first_name LIKE $3"), "{sql}");
        assert!(sql.contains("contracts_search MATCH $4"), "{sql}");
        assert_eq!(binds, ["\"Müller\"", "%ab%", "\"Müller ab\""]);
        let (sql, binds) = Search::parse("ab").from(false);
        assert!(!sql.contains("_search") && sql.contains("policy_number LIKE $3"), "{sql}");
        assert_eq!(binds, ["%ab%", "%ab%"]);
    }

    #[test]
    fn on_postgres_every_word_is_lowercased_for_the_index_expression() {
        let (sql, binds) = Search::parse("MÜLLER Ärzte").from(true);
        assert_eq!(binds, ["%müller%", "%ärzte%", "%müller ärzte%"]);
        assert!(sql.contains("LIKE $2 AND lower(") && sql.contains("lower(policy_number) LIKE $4"), "{sql}");
    }

    #[test]
    fn an_empty_search_lists_everyone() {
        assert_eq!(
            Search::parse("   ").from(false),
            ("FROM customers WHERE broker_id = $1".to_owned(), Vec::new())
        );
    }
}
