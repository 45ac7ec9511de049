//! Reading and shaping the catalogue, and giving a new broker the default one. Every
//! change is the office's, within its broker, and goes into the audit trail.

use sqlx::AnyConnection;

use super::{defaults, Line, Product, NAME_MAX_CHARS, TEXT_MAX_CHARS};
use crate::audit::ssr::{record, Actor, Target};
use crate::contracts::ssr as contracts;
use crate::error::{AppError, FormErrors, Problem, Result};
use crate::ids::{BrokerId, LineId, ProductId, UserId};
use crate::request::{app_state, require_staff};

/// Fills an empty catalogue with the default lines and products; a broker that already
/// has lines keeps them.
pub async fn seed_default(conn: &mut AnyConnection, broker_id: BrokerId) -> Result<(), sqlx::Error> {
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM lines WHERE broker_id = $1")
        .bind(broker_id)
        .fetch_one(&mut *conn)
        .await?;
    if existing > 0 {
        return Ok(());
    }
    for (line_pos, line) in (1_i64..).zip(defaults::LINES) {
        let line_id: LineId = sqlx::query_scalar(
            "INSERT INTO lines (broker_id, name, description, position) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(broker_id)
        .bind(line.name)
        .bind(line.description)
        .bind(line_pos * 10)
        .fetch_one(&mut *conn)
        .await?;
        for (product_pos, (name, description)) in (1_i64..).zip(line.products) {
            sqlx::query(
                "INSERT INTO products (broker_id, line_id, name, description, position) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(broker_id)
            .bind(line_id)
            .bind(*name)
            .bind(*description)
            .bind(product_pos * 10)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct LineRow {
    id: LineId,
    name: String,
    description: String,
    hidden: i64,
    contracts: i64,
}

#[derive(sqlx::FromRow)]
struct ProductRow {
    line_id: LineId,
    id: ProductId,
    name: String,
    description: String,
    hidden: i64,
    contracts: i64,
}

pub async fn lines(conn: &mut AnyConnection, broker_id: BrokerId) -> Result<Vec<Line>, sqlx::Error> {
    let line_rows: Vec<LineRow> = sqlx::query_as(
        "SELECT l.id, l.name, l.description, l.hidden,
                (SELECT COUNT(*) FROM contracts c WHERE c.broker_id = l.broker_id AND c.line_id = l.id) AS contracts
         FROM lines l WHERE l.broker_id = $1 ORDER BY l.position, l.id",
    )
    .bind(broker_id)
    .fetch_all(&mut *conn)
    .await?;
    let product_rows: Vec<ProductRow> = sqlx::query_as(
        "SELECT p.line_id, p.id, p.name, p.description, p.hidden,
                (SELECT COUNT(*) FROM contracts c WHERE c.broker_id = p.broker_id AND c.product_id = p.id) AS contracts
         FROM products p JOIN lines l ON l.id = p.line_id AND l.broker_id = p.broker_id
         WHERE p.broker_id = $1 ORDER BY l.position, p.position, p.id",
    )
    .bind(broker_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut lines: Vec<Line> = line_rows
        .into_iter()
        .map(|r| Line {
            id: r.id,
            name: r.name,
            description: r.description,
            hidden: r.hidden != 0,
            contracts: r.contracts,
            products: Vec::new(),
        })
        .collect();
    for r in product_rows {
        if let Some(line) = lines.iter_mut().find(|l| l.id == r.line_id) {
            line.products.push(Product {
                id: r.id,
                name: r.name,
                description: r.description,
                hidden: r.hidden != 0,
                contracts: r.contracts,
            });
        }
    }
    Ok(lines)
}

/// Whether a line is the broker's.
pub async fn line_exists(conn: &mut AnyConnection, broker_id: BrokerId, id: LineId) -> Result<bool> {
    let found: Option<LineId> = sqlx::query_scalar("SELECT id FROM lines WHERE id = $1 AND broker_id = $2")
        .bind(id)
        .bind(broker_id)
        .fetch_optional(conn)
        .await?;
    Ok(found.is_some())
}

/// The line a product of the broker belongs to.
pub async fn line_of_product(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    id: ProductId,
) -> Result<Option<LineId>> {
    Ok(sqlx::query_scalar("SELECT line_id FROM products WHERE id = $1 AND broker_id = $2")
        .bind(id)
        .bind(broker_id)
        .fetch_optional(conn)
        .await?)
}

/// A line of the broker by its name (any case).
pub async fn line_named(conn: &mut AnyConnection, broker_id: BrokerId, name: &str) -> Result<Option<LineId>> {
    Ok(sqlx::query_scalar("SELECT id FROM lines WHERE broker_id = $1 AND LOWER(name) = LOWER($2)")
        .bind(broker_id)
        .bind(name.trim())
        .fetch_optional(conn)
        .await?)
}

/// A product of a line by its name (any case).
pub async fn product_named(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    line_id: LineId,
    name: &str,
) -> Result<Option<ProductId>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM products WHERE broker_id = $1 AND line_id = $2 AND LOWER(name) = LOWER($3)",
    )
    .bind(broker_id)
    .bind(line_id)
    .bind(name.trim())
    .fetch_optional(conn)
    .await?)
}

pub async fn list() -> Result<Vec<Line>> {
    let (ctx, _staff) = require_staff()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    lines(&mut conn, ctx.broker.id).await.map_err(AppError::from)
}

fn check(name: &str, description: &str) -> Result<(String, String)> {
    let mut errors = FormErrors::default();
    let name = errors.required("name", name, NAME_MAX_CHARS);
    let description = description.trim().to_owned();
    if description.chars().count() > TEXT_MAX_CHARS {
        errors.push("description", Problem::TooLong);
    }
    errors.finish(Some((name, description)))
}

/// A name already used in the same list is a field error, not a failure.
fn taken(error: sqlx::Error) -> AppError {
    let unique = error.as_database_error().is_some_and(sqlx::error::DatabaseError::is_unique_violation);
    if unique {
        AppError::field("name", Problem::NameTaken)
    } else {
        AppError::from(error)
    }
}

async fn audit(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    staff: UserId,
    action: &str,
    ip: Option<std::net::IpAddr>,
) -> Result<()> {
    record(conn, broker_id, Actor::Staff(staff), action, Some(Target::Broker(broker_id)), ip).await?;
    Ok(())
}

pub async fn save_line(id: Option<LineId>, name: &str, description: &str, hidden: bool) -> Result<LineId> {
    let (ctx, staff) = require_staff()?;
    let (name, description) = check(name, description)?;
    let state = app_state()?;
    let mut tx = state.db.begin().await?;
    let hidden = i64::from(hidden);
    let id = match id {
        Some(id) => sqlx::query_scalar(
            "UPDATE lines SET name = $3, description = $4, hidden = $5 WHERE id = $1 AND broker_id = $2 RETURNING id",
        )
        .bind(id)
        .bind(ctx.broker.id)
        .bind(&name)
        .bind(&description)
        .bind(hidden)
        .fetch_optional(&mut *tx)
        .await
        .map_err(taken)?
        .ok_or(AppError::NotFound)?,
        None => sqlx::query_scalar(
            "INSERT INTO lines (broker_id, name, description, hidden, position)
             VALUES ($1, $2, $3, $4, (SELECT COALESCE(MAX(position), 0) + 10 FROM lines WHERE broker_id = $1))
             RETURNING id",
        )
        .bind(ctx.broker.id)
        .bind(&name)
        .bind(&description)
        .bind(hidden)
        .fetch_one(&mut *tx)
        .await
        .map_err(taken)?,
    };
    audit(&mut tx, ctx.broker.id, staff.id, "catalogue.line_saved", ctx.ip).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn save_product(
    id: Option<ProductId>,
    line_id: LineId,
    name: &str,
    description: &str,
    hidden: bool,
) -> Result<ProductId> {
    let (ctx, staff) = require_staff()?;
    let (name, description) = check(name, description)?;
    let state = app_state()?;
    let mut tx = state.db.begin().await?;
    if !line_exists(&mut tx, ctx.broker.id, line_id).await? {
        return Err(AppError::NotFound);
    }
    let hidden = i64::from(hidden);
    let id = match id {
        // A product stays in its line (contracts of the line rely on it).
        Some(id) => sqlx::query_scalar(
            "UPDATE products SET name = $4, description = $5, hidden = $6
             WHERE id = $1 AND broker_id = $2 AND line_id = $3 RETURNING id",
        )
        .bind(id)
        .bind(ctx.broker.id)
        .bind(line_id)
        .bind(&name)
        .bind(&description)
        .bind(hidden)
        .fetch_optional(&mut *tx)
        .await
        .map_err(taken)?
        .ok_or(AppError::NotFound)?,
        None => sqlx::query_scalar(
            "INSERT INTO products (broker_id, line_id, name, description, hidden, position)
             VALUES ($1, $2, $3, $4, $5, (SELECT COALESCE(MAX(position), 0) + 10 FROM products WHERE line_id = $2))
             RETURNING id",
        )
        .bind(ctx.broker.id)
        .bind(line_id)
        .bind(&name)
        .bind(&description)
        .bind(hidden)
        .fetch_one(&mut *tx)
        .await
        .map_err(taken)?,
    };
    audit(&mut tx, ctx.broker.id, staff.id, "catalogue.product_saved", ctx.ip).await?;
    tx.commit().await?;
    Ok(id)
}

/// Swaps an entry with its neighbour; at either end nothing happens.
pub async fn move_entry(kind: &str, id: i64, direction: &str) -> Result<()> {
    let (ctx, staff) = require_staff()?;
    let (table, scope) = match kind {
        "line" => ("lines", "broker_id"),
        "product" => ("products", "line_id"),
        _ => return Err(AppError::field("kind", Problem::InvalidChoice)),
    };
    let (compare, order) = match direction {
        "up" => ("<", "DESC"),
        "down" => (">", "ASC"),
        _ => return Err(AppError::field("direction", Problem::InvalidChoice)),
    };
    let state = app_state()?;
    let mut tx = state.db.begin().await?;
    #[derive(sqlx::FromRow)]
    struct Place {
        id: i64,
        position: i64,
    }
    #[derive(sqlx::FromRow)]
    struct Mine {
        position: i64,
        scope_id: i64,
    }
    let me: Mine = sqlx::query_as(&format!(
        "SELECT position, {scope} AS scope_id FROM {table} WHERE id = $1 AND broker_id = $2"
    ))
    .bind(id)
    .bind(ctx.broker.id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let (position, scope_id) = (me.position, me.scope_id);
    let neighbour: Option<Place> = sqlx::query_as(&format!(
        "SELECT id, position FROM {table}
         WHERE broker_id = $1 AND {scope} = $2 AND (position {compare} $3 OR (position = $3 AND id {compare} $4))
         ORDER BY position {order}, id {order} LIMIT 1"
    ))
    .bind(ctx.broker.id)
    .bind(scope_id)
    .bind(position)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(n) = neighbour {
        let (other, other_position) = (n.id, n.position);
        // Equal positions (never from here, but possible in old data) still end up ordered.
        let (mine, theirs) = if other_position == position {
            if direction == "up" {
                (position - 1, position)
            } else {
                (position + 1, position)
            }
        } else {
            (other_position, position)
        };
        for (row, pos) in [(id, mine), (other, theirs)] {
            sqlx::query(&format!("UPDATE {table} SET position = $3 WHERE id = $1 AND broker_id = $2"))
                .bind(row)
                .bind(ctx.broker.id)
                .bind(pos)
                .execute(&mut *tx)
                .await?;
        }
        audit(&mut tx, ctx.broker.id, staff.id, "catalogue.reordered", ctx.ip).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn delete_line(id: LineId, move_to: Option<LineId>) -> Result<()> {
    let (ctx, staff) = require_staff()?;
    let state = app_state()?;
    let mut tx = state.db.begin().await?;
    if !line_exists(&mut tx, ctx.broker.id, id).await? {
        return Err(AppError::NotFound);
    }
    if contracts::count_in_line(&mut tx, ctx.broker.id, id).await? > 0 {
        let target = move_to.filter(|t| *t != id).ok_or(AppError::field("move_to", Problem::Required))?;
        if !line_exists(&mut tx, ctx.broker.id, target).await? {
            return Err(AppError::field("move_to", Problem::InvalidChoice));
        }
        // The products belong to the old line; moved contracts keep their line only.
        contracts::move_line(&mut tx, ctx.broker.id, id, target).await?;
    }
    sqlx::query("DELETE FROM products WHERE broker_id = $1 AND line_id = $2")
        .bind(ctx.broker.id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM lines WHERE broker_id = $1 AND id = $2")
        .bind(ctx.broker.id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit(&mut tx, ctx.broker.id, staff.id, "catalogue.line_deleted", ctx.ip).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete_product(id: ProductId, move_to: Option<ProductId>) -> Result<()> {
    let (ctx, staff) = require_staff()?;
    let state = app_state()?;
    let mut tx = state.db.begin().await?;
    let line_id = line_of_product(&mut tx, ctx.broker.id, id).await?.ok_or(AppError::NotFound)?;
    if let Some(target) = move_to {
        let same_line =
            target != id && line_of_product(&mut tx, ctx.broker.id, target).await? == Some(line_id);
        if !same_line {
            return Err(AppError::field("move_to", Problem::InvalidChoice));
        }
    }
    contracts::move_product(&mut tx, ctx.broker.id, id, move_to).await?;
    sqlx::query("DELETE FROM products WHERE broker_id = $1 AND id = $2")
        .bind(ctx.broker.id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit(&mut tx, ctx.broker.id, staff.id, "catalogue.product_deleted", ctx.ip).await?;
    tx.commit().await?;
    Ok(())
}
