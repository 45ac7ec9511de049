//! Reading the catalogue and giving a new broker the default one.

use sqlx::{AnyConnection, Row};

use super::{defaults, Line, Product};
use crate::error::{AppError, Result};
use crate::request::{app_state, require_staff};

/// Fills an empty catalogue with the default lines and products; a broker that already
/// has lines keeps them.
pub async fn seed_default(conn: &mut AnyConnection, broker_id: i64) -> Result<(), sqlx::Error> {
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM lines WHERE broker_id = $1")
        .bind(broker_id)
        .fetch_one(&mut *conn)
        .await?;
    if existing > 0 {
        return Ok(());
    }
    for (line_pos, line) in (1_i64..).zip(defaults::LINES) {
        let line_id: i64 = sqlx::query_scalar(
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

pub async fn lines(conn: &mut AnyConnection, broker_id: i64) -> Result<Vec<Line>, sqlx::Error> {
    let line_rows = sqlx::query(
        "SELECT id, name, description, hidden FROM lines WHERE broker_id = $1 ORDER BY position, id",
    )
    .bind(broker_id)
    .fetch_all(&mut *conn)
    .await?;
    let product_rows = sqlx::query(
        "SELECT p.line_id, p.id, p.name, p.description, p.hidden
         FROM products p JOIN lines l ON l.id = p.line_id AND l.broker_id = p.broker_id
         WHERE p.broker_id = $1 ORDER BY l.position, p.position, p.id",
    )
    .bind(broker_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut lines = line_rows
        .iter()
        .map(|r| {
            Ok(Line {
                id: r.try_get(0)?,
                name: r.try_get(1)?,
                description: r.try_get(2)?,
                hidden: r.try_get::<i64, _>(3)? != 0,
                products: Vec::new(),
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    for r in &product_rows {
        let line_id: i64 = r.try_get(0)?;
        if let Some(line) = lines.iter_mut().find(|l| l.id == line_id) {
            line.products.push(Product {
                id: r.try_get(1)?,
                name: r.try_get(2)?,
                description: r.try_get(3)?,
                hidden: r.try_get::<i64, _>(4)? != 0,
            });
        }
    }
    Ok(lines)
}

pub async fn list() -> Result<Vec<Line>> {
    let (ctx, _staff) = require_staff()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    lines(&mut conn, ctx.broker.id).await.map_err(AppError::from)
}
