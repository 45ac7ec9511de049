//! The `contracts` table: the one place that reads and writes contracts, for the office,
//! the customer's side, the REST API, the catalogue (moving contracts between lines) and the
//! mailbox. A person on the customer's side reads only what `Reader::may_read` allows.

use std::net::IpAddr;

use sqlx::any::AnyArguments;
use sqlx::{AnyConnection, Arguments as _};

use super::money::amount_input;
use super::{
    ContractCard, ContractDetail, ContractFields, ContractForm, ContractInput, Interval, Premium, Status,
};
use crate::access::rules::Item;
use crate::audit::ssr::{record, Actor, Source, Target};
use crate::catalogue::ssr as catalogue;
use crate::db::now;
use crate::error::{AppError, FormErrors, Problem, Result};
use crate::ids::{parse_id, BrokerId, ContractId, CustomerId, LineId, ProductId};
use crate::request::{app_state, require_staff, require_user};

const CARD_COLUMNS: &str = "c.id, c.customer_id, c.line_id, l.name AS line, p.name AS product, c.insurer,
     c.policy_number, c.status, c.premium_cents, c.currency, c.payment_interval, c.end_date";
const CARD_JOINS: &str = "FROM contracts c
     JOIN lines l ON l.id = c.line_id AND l.broker_id = c.broker_id
     LEFT JOIN products p ON p.id = c.product_id AND p.broker_id = c.broker_id";

#[derive(sqlx::FromRow)]
struct CardRow {
    id: ContractId,
    customer_id: CustomerId,
    line_id: LineId,
    line: String,
    product: Option<String>,
    insurer: String,
    policy_number: String,
    status: String,
    premium_cents: i64,
    currency: String,
    payment_interval: String,
    end_date: Option<String>,
}

impl From<CardRow> for ContractCard {
    fn from(r: CardRow) -> Self {
        ContractCard {
            id: r.id,
            line_id: r.line_id,
            line: r.line,
            product: r.product,
            insurer: r.insurer,
            policy_number: r.policy_number,
            status: Status::parse(&r.status).unwrap_or(Status::Active),
            premium_cents: r.premium_cents,
            currency: r.currency,
            interval: Interval::parse(&r.payment_interval).unwrap_or(Interval::Yearly),
            end_date: r.end_date,
        }
    }
}

/// A customer's contracts in the broker's catalogue order (all of them: callers on the
/// customer's side filter with the access decision).
pub async fn cards(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    customer_id: CustomerId,
) -> Result<Vec<ContractCard>> {
    let rows: Vec<CardRow> = sqlx::query_as(&format!(
        "SELECT {CARD_COLUMNS} {CARD_JOINS}
         WHERE c.broker_id = $1 AND c.customer_id = $2
         ORDER BY l.position, l.id, COALESCE(p.position, 0), c.id"
    ))
    .bind(broker_id)
    .bind(customer_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(ContractCard::from).collect())
}

/// The folder a contract of the broker belongs to.
pub async fn owner(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    id: ContractId,
) -> Result<Option<CustomerId>> {
    Ok(sqlx::query_scalar("SELECT customer_id FROM contracts WHERE id = $1 AND broker_id = $2")
        .bind(id)
        .bind(broker_id)
        .fetch_optional(conn)
        .await?)
}

/// The contract with a broker system's id: its own id and its folder.
pub async fn by_external_id(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    external_id: &str,
) -> Result<Option<(ContractId, CustomerId)>> {
    #[derive(sqlx::FromRow)]
    struct Found {
        id: ContractId,
        customer_id: CustomerId,
    }
    let found: Option<Found> =
        sqlx::query_as("SELECT id, customer_id FROM contracts WHERE broker_id = $1 AND external_id = $2")
            .bind(broker_id)
            .bind(external_id)
            .fetch_optional(conn)
            .await?;
    Ok(found.map(|f| (f.id, f.customer_id)))
}

/// The name of a contract's line, if the contract is in this folder (to know whether a
/// claim on it concerns health).
pub async fn line_name(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    customer_id: CustomerId,
    id: ContractId,
) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT l.name FROM contracts k JOIN lines l ON l.id = k.line_id AND l.broker_id = k.broker_id
         WHERE k.id = $1 AND k.broker_id = $2 AND k.customer_id = $3",
    )
    .bind(id)
    .bind(broker_id)
    .bind(customer_id)
    .fetch_optional(conn)
    .await?)
}

/// How many contracts use a line (the catalogue asks before deleting it).
pub async fn count_in_line(conn: &mut AnyConnection, broker_id: BrokerId, line: LineId) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM contracts WHERE broker_id = $1 AND line_id = $2")
        .bind(broker_id)
        .bind(line)
        .fetch_one(conn)
        .await?)
}

/// Moves the contracts of a line to another (a deleted line's); they lose their product,
/// which belonged to the old line.
pub async fn move_line(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    from: LineId,
    to: LineId,
) -> Result<()> {
    sqlx::query("UPDATE contracts SET line_id = $3, product_id = NULL WHERE broker_id = $1 AND line_id = $2")
        .bind(broker_id)
        .bind(from)
        .bind(to)
        .execute(conn)
        .await?;
    Ok(())
}

/// Moves the contracts of a product to another of the same line (or to none).
pub async fn move_product(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    from: ProductId,
    to: Option<ProductId>,
) -> Result<()> {
    sqlx::query("UPDATE contracts SET product_id = $3 WHERE broker_id = $1 AND product_id = $2")
        .bind(broker_id)
        .bind(from)
        .bind(to)
        .execute(conn)
        .await?;
    Ok(())
}

/// A contract as the REST API reports it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ApiRow {
    pub id: ContractId,
    pub external_id: Option<String>,
    pub customer_external_id: Option<String>,
    pub line: String,
    pub line_id: LineId,
    pub product: Option<String>,
    pub product_id: Option<ProductId>,
    pub insurer: String,
    pub policy_number: String,
    pub status: String,
    pub premium_cents: i64,
    pub currency: String,
    pub payment_interval: String,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub insured: String,
    pub description: String,
    pub updated_at: i64,
    /// Where the contract came from and what changed it last ([`Source`], stored form).
    pub created_by: Option<String>,
    pub changed_by: Option<String>,
}

/// Contracts of the broker: of one customer, or the one with an external id.
pub async fn api_rows(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    customer_id: Option<CustomerId>,
    external_id: Option<&str>,
) -> Result<Vec<ApiRow>> {
    Ok(sqlx::query_as(
        "SELECT c.id, c.external_id, cu.external_id AS customer_external_id, l.name AS line, l.id AS line_id,
                p.name AS product, p.id AS product_id, c.insurer, c.policy_number, c.status, c.premium_cents,
                c.currency, c.payment_interval, c.start_date, c.end_date, c.insured, c.description, c.updated_at,
                c.created_by, c.changed_by
         FROM contracts c
         JOIN customers cu ON cu.id = c.customer_id AND cu.broker_id = c.broker_id
         JOIN lines l ON l.id = c.line_id AND l.broker_id = c.broker_id
         LEFT JOIN products p ON p.id = c.product_id AND p.broker_id = c.broker_id
         WHERE c.broker_id = $1 AND ($2 = 0 OR c.customer_id = $2) AND ($3 = '' OR c.external_id = $3)
         ORDER BY l.position, c.id",
    )
    .bind(broker_id)
    .bind(customer_id.map_or(0, |c| c.0))
    .bind(external_id.unwrap_or(""))
    .fetch_all(conn)
    .await?)
}

/// A contract as the statements below write it: `$1` broker, `$2` external id (or the id),
/// `$3` to `$15` the contract, `$16` the time, `$17` the origin (`add_contract` binds `$3` on).
const WRITE_COLUMNS: &str =
    "broker_id, external_id, customer_id, line_id, product_id, insurer, policy_number,
     status, premium_cents, currency, payment_interval, start_date, end_date, insured, description,
     updated_at, created_at, changed_by, created_by";
const WRITE_VALUES: &str =
    "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $17, $17)";

/// Adds a contract's `$3` to `$17` (see `WRITE_VALUES`) to a statement's arguments.
fn add_contract<'q>(
    args: &mut AnyArguments<'q>,
    input: &'q ContractInput,
    at: i64,
    origin: &'q str,
) -> Result<()> {
    let mut add = || -> std::result::Result<(), sqlx::error::BoxDynError> {
        args.add(input.customer_id)?;
        args.add(input.line_id)?;
        args.add(input.product_id)?;
        args.add(input.insurer.as_str())?;
        args.add(input.policy_number.as_str())?;
        args.add(input.status.as_str())?;
        args.add(input.premium_cents)?;
        args.add(input.currency.as_str())?;
        args.add(input.interval.as_str())?;
        args.add(input.start_date.as_deref())?;
        args.add(input.end_date.as_deref())?;
        args.add(input.insured.as_str())?;
        args.add(input.description.as_str())?;
        args.add(at)?;
        args.add(origin)
    };
    add().map_err(|e| AppError::from(sqlx::Error::Encode(e)))
}

/// Creates (`id` = None) or updates a contract of the broker, with its audit entry, after
/// checking that customer, line and product are the broker's and belong together.
pub async fn write(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    actor: Actor,
    ip: Option<IpAddr>,
    id: Option<ContractId>,
    external_id: Option<&str>,
    input: &ContractInput,
) -> Result<ContractId> {
    crate::customers::ssr::get(conn, broker_id, input.customer_id).await?;
    if !catalogue::line_exists(conn, broker_id, input.line_id).await? {
        return Err(AppError::field("line_id", Problem::InvalidChoice));
    }
    if let Some(product_id) = input.product_id {
        if catalogue::line_of_product(conn, broker_id, product_id).await? != Some(input.line_id) {
            return Err(AppError::field("product_id", Problem::InvalidChoice));
        }
    }
    // Both statements take the contract's fields as $3 to $17, so one binding serves both.
    let (statement, action) = match id {
        None => (format!("INSERT INTO contracts ({WRITE_COLUMNS}) VALUES {WRITE_VALUES} RETURNING id"), "contract.created"),
        Some(_) => (
            "UPDATE contracts SET customer_id = $3, line_id = $4, product_id = $5, insurer = $6, policy_number = $7,
                 status = $8, premium_cents = $9, currency = $10, payment_interval = $11, start_date = $12,
                 end_date = $13, insured = $14, description = $15, updated_at = $16, changed_by = $17
             WHERE broker_id = $1 AND id = $2 RETURNING id"
                .to_owned(),
            "contract.updated",
        ),
    };
    let origin = Source::By(actor).column();
    let mut args = AnyArguments::default();
    args.add(broker_id).map_err(sqlx::Error::Encode)?;
    match id {
        None => args.add(external_id),
        Some(id) => args.add(id),
    }
    .map_err(sqlx::Error::Encode)?;
    add_contract(&mut args, input, now(), &origin)?;
    let id: ContractId = sqlx::query_scalar_with(&statement, args)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(AppError::NotFound)?;
    record(conn, broker_id, actor, action, Some(Target::Customer(input.customer_id)), ip).await?;
    Ok(id)
}

/// A contract as an import compares it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ImportRow {
    pub id: ContractId,
    pub customer_id: CustomerId,
    pub insurer: String,
    pub policy_number: String,
    pub status: String,
    pub premium_cents: i64,
    pub currency: String,
    pub payment_interval: String,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub insured: String,
}

/// Every contract of the broker, for matching an import against.
pub async fn all(conn: &mut AnyConnection, broker_id: BrokerId) -> Result<Vec<ImportRow>> {
    Ok(sqlx::query_as(
        "SELECT id, customer_id, insurer, policy_number, status, premium_cents, currency, payment_interval,
                start_date, end_date, insured
         FROM contracts WHERE broker_id = $1 ORDER BY id",
    )
    .bind(broker_id)
    .fetch_all(conn)
    .await?)
}

/// Creates the contracts of an import (each input names its customer), many in one
/// statement, with their origin `source`. The import makes one trail entry for all it writes.
pub async fn create_imported(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    inputs: &[ContractInput],
    source: Source,
) -> Result<()> {
    let (at, origin) = (now(), source.column());
    for chunk in inputs.chunks(crate::db::ROWS_PER_STATEMENT) {
        let mut args = AnyArguments::default();
        for input in chunk {
            args.add(broker_id).map_err(sqlx::Error::Encode)?;
            args.add(None::<&str>).map_err(sqlx::Error::Encode)?;
            add_contract(&mut args, input, at, &origin)?;
        }
        let values = crate::db::values_for_rows(WRITE_VALUES, 17, chunk.len());
        sqlx::query_with(&format!("INSERT INTO contracts ({WRITE_COLUMNS}) VALUES {values}"), args)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Updates a contract from an import, its origin `source`. It keeps the contract's line,
/// product and text, which the broker may have set by hand.
pub async fn update_imported(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    id: ContractId,
    input: &ContractInput,
    source: Source,
) -> Result<()> {
    sqlx::query_scalar::<_, ContractId>(
        "UPDATE contracts SET status = $4, premium_cents = $5, currency = $6, payment_interval = $7,
             start_date = $8, end_date = $9, insured = $10, updated_at = $11, changed_by = $12
         WHERE broker_id = $1 AND id = $2 AND customer_id = $3 RETURNING id",
    )
    .bind(broker_id)
    .bind(id)
    .bind(input.customer_id)
    .bind(input.status.as_str())
    .bind(input.premium_cents)
    .bind(&input.currency)
    .bind(input.interval.as_str())
    .bind(input.start_date.as_deref())
    .bind(input.end_date.as_deref())
    .bind(&input.insured)
    .bind(now())
    .bind(source.column())
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(())
}

/// The contracts of the folder the person looks at, as far as they may see them.
pub async fn mine() -> Result<Vec<ContractCard>> {
    let (ctx, user) = require_user()?;
    let folder = user.folder()?.customer_id;
    let reader = user.reader();
    let mut conn = app_state()?.db.pool.acquire().await?;
    let cards = cards(&mut conn, ctx.broker.id, folder).await?;
    Ok(cards.into_iter().filter(|c| reader.may_read(folder, Item::Contract(c.id))).collect())
}

pub async fn my_detail(id: ContractId) -> Result<ContractDetail> {
    #[derive(sqlx::FromRow)]
    struct DetailRow {
        #[sqlx(flatten)]
        card: CardRow,
        own_text: String,
        product_text: Option<String>,
        line_text: String,
        insured: String,
        start_date: Option<String>,
    }
    let (ctx, user) = require_user()?;
    let reader = user.reader();
    let mut conn = app_state()?.db.pool.acquire().await?;
    let row: DetailRow = sqlx::query_as(&format!(
        "SELECT {CARD_COLUMNS}, c.description AS own_text, p.description AS product_text,
                l.description AS line_text, c.insured, c.start_date
         {CARD_JOINS}
         WHERE c.id = $1 AND c.broker_id = $2"
    ))
    .bind(id)
    .bind(ctx.broker.id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    // Someone else's contract does not exist for this person.
    let folder = row.card.customer_id;
    if user.role.is_staff() || !reader.may_read(folder, Item::Contract(id)) {
        return Err(AppError::NotFound);
    }
    let what_for = [Some(row.own_text), row.product_text, Some(row.line_text)]
        .into_iter()
        .flatten()
        .find(|t| !t.trim().is_empty())
        .unwrap_or_default();
    let documents =
        crate::documents::ssr::readable_list(&mut conn, ctx.broker.id, &reader, folder, Some(id), None, "")
            .await?;
    Ok(ContractDetail {
        card: row.card.into(),
        what_for,
        insured: row.insured,
        start_date: row.start_date,
        documents,
    })
}

pub async fn of_customer(customer_id: CustomerId) -> Result<Vec<ContractCard>> {
    let (ctx, staff) = require_staff()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    crate::customers::ssr::staff_may_open(&mut conn, ctx.broker.id, staff.role, customer_id).await?;
    cards(&mut conn, ctx.broker.id, customer_id).await
}

pub async fn form(id: ContractId) -> Result<ContractForm> {
    #[derive(sqlx::FromRow)]
    struct FormRow {
        customer_id: CustomerId,
        line_id: LineId,
        product_id: Option<ProductId>,
        insurer: String,
        policy_number: String,
        status: String,
        premium_cents: i64,
        payment_interval: String,
        start_date: Option<String>,
        end_date: Option<String>,
        insured: String,
        description: String,
    }
    let (ctx, staff) = require_staff()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    let row: FormRow = sqlx::query_as(
        "SELECT customer_id, line_id, product_id, insurer, policy_number, status, premium_cents,
                payment_interval, start_date, end_date, insured, description
         FROM contracts WHERE id = $1 AND broker_id = $2",
    )
    .bind(id)
    .bind(ctx.broker.id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    crate::customers::ssr::staff_may_open(&mut conn, ctx.broker.id, staff.role, row.customer_id).await?;
    Ok(ContractForm {
        id: Some(id),
        customer_id: row.customer_id,
        line_id: row.line_id.to_string(),
        product_id: row.product_id.map(|id| id.to_string()).unwrap_or_default(),
        insurer: row.insurer,
        policy_number: row.policy_number,
        status: row.status,
        premium: amount_input(row.premium_cents, ctx.locale),
        interval: row.payment_interval,
        start_date: row.start_date.unwrap_or_default(),
        end_date: row.end_date.unwrap_or_default(),
        insured: row.insured,
        description: row.description,
    })
}

/// Checks the office's form; every problem is reported at its field.
pub fn parse_form(form: &ContractForm) -> Result<ContractInput> {
    let mut errors = FormErrors::default();
    let line_id = parse_id::<LineId>(&form.line_id);
    if line_id.is_none() {
        let problem = if form.line_id.trim().is_empty() { Problem::Required } else { Problem::InvalidChoice };
        errors.push("line_id", problem);
    }
    let product_id = match form.product_id.trim() {
        "" => None,
        s => {
            let id = parse_id::<ProductId>(s);
            if id.is_none() {
                errors.push("product_id", Problem::InvalidChoice);
            }
            id
        }
    };
    let fields = ContractFields {
        customer_id: Some(form.customer_id),
        line_id,
        product_id,
        insurer: &form.insurer,
        policy_number: &form.policy_number,
        status: &form.status,
        premium: Premium::Typed(&form.premium),
        currency: "EUR",
        interval: &form.interval,
        start_date: &form.start_date,
        end_date: &form.end_date,
        insured: &form.insured,
        description: &form.description,
    };
    ContractInput::parse(&fields, errors)
}

pub async fn save(form: ContractForm) -> Result<ContractId> {
    let (ctx, staff) = require_staff()?;
    let input = parse_form(&form)?;
    let state = app_state()?;
    let mut tx = state.db.begin().await?;
    crate::customers::ssr::staff_may_open(&mut tx, ctx.broker.id, staff.role, input.customer_id).await?;
    if let Some(id) = form.id {
        // A contract stays with its customer: the form cannot move it to someone else.
        if owner(&mut tx, ctx.broker.id, id).await? != Some(input.customer_id) {
            return Err(AppError::NotFound);
        }
    }
    let id = write(&mut tx, ctx.broker.id, Actor::Staff(staff.id), ctx.ip, form.id, None, &input).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/office/customers/{}?contract_saved=1", input.customer_id));
    Ok(id)
}
