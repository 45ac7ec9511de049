//! Document rows: lists for the customer and the office, recording an upload, deleting,
//! and the broker's storage usage. Every query names the broker; customers only reach
//! their own rows.

use std::net::IpAddr;

use sqlx::{AnyConnection, Row};

use super::store::{BlobStore, TempBlob};
use super::{DocumentRow, Kind, Usage};
use crate::audit::ssr::{record, Actor, Target};
use crate::db::{contains_pattern, ilike, now};
use crate::error::{AppError, Result};
use crate::request::{app_state, require_staff, require_user};

const ROW_COLUMNS: &str = "d.id, d.title, d.kind, d.media_type, d.size_bytes, d.created_at, d.contract_id,
     COALESCE(p.name, l.name), c.policy_number, d.uploaded_by";
const ROW_JOINS: &str = "FROM documents d
     LEFT JOIN contracts c ON c.id = d.contract_id AND c.broker_id = d.broker_id
     LEFT JOIN lines l ON l.id = c.line_id AND l.broker_id = d.broker_id
     LEFT JOIN products p ON p.id = c.product_id AND p.broker_id = d.broker_id";

fn row_of(row: &sqlx::any::AnyRow) -> Result<DocumentRow, sqlx::Error> {
    let kind: String = row.try_get(2)?;
    let label: Option<String> = row.try_get(7)?;
    let policy: Option<String> = row.try_get(8)?;
    let uploaded_by: String = row.try_get(9)?;
    Ok(DocumentRow {
        id: row.try_get(0)?,
        title: row.try_get(1)?,
        kind: Kind::parse(&kind).unwrap_or(Kind::Other),
        media_type: row.try_get(3)?,
        size_bytes: row.try_get(4)?,
        created_at: row.try_get(5)?,
        contract_id: row.try_get(6)?,
        contract_label: label.map(|l| match policy.filter(|p| !p.is_empty()) {
            Some(p) => format!("{l} · {p}"),
            None => l,
        }),
        from_customer: uploaded_by == "customer",
    })
}

/// A customer's documents, newest first.
pub async fn list(
    conn: &mut AnyConnection,
    broker_id: i64,
    customer_id: i64,
    contract_id: Option<i64>,
    kind: Option<Kind>,
    query: &str,
) -> Result<Vec<DocumentRow>> {
    let like = ilike(conn);
    let rows = sqlx::query(&format!(
        "SELECT {ROW_COLUMNS} {ROW_JOINS}
         WHERE d.broker_id = $1 AND d.customer_id = $2 AND d.held = 0
           AND ($3 = 0 OR d.contract_id = $3)
           AND ($4 = '' OR d.kind = $4)
           AND d.title {like} $5
         ORDER BY d.created_at DESC, d.id DESC LIMIT 500"
    ))
    .bind(broker_id)
    .bind(customer_id)
    .bind(contract_id.unwrap_or(0))
    .bind(kind.map_or("", Kind::as_str))
    .bind(contains_pattern(query))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(row_of).collect::<Result<_, _>>().map_err(AppError::from)
}

pub async fn mine(kind: Option<Kind>, query: &str) -> Result<Vec<DocumentRow>> {
    let (ctx, user) = require_user()?;
    let customer_id = user.customer_id.ok_or(AppError::Forbidden)?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    list(&mut conn, ctx.broker.id, customer_id, None, kind, query).await
}

pub async fn of_customer(customer_id: i64) -> Result<Vec<DocumentRow>> {
    let (ctx, _staff) = require_staff()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    list(&mut conn, ctx.broker.id, customer_id, None, None, "").await
}

/// What a new document is.
pub struct NewDocument<'a> {
    pub customer_id: i64,
    pub contract_id: Option<i64>,
    pub title: &'a str,
    pub kind: Kind,
    pub media_type: &'a str,
    /// Sent by the browser with every attempt at the same file (see `upload_key`).
    pub upload_key: Option<&'a str>,
    pub from_customer: bool,
    /// Uploaded for a message not sent yet: kept out of the folder until it is.
    pub held: bool,
}

impl<'a> NewDocument<'a> {
    /// A document the office (or its systems) files: no upload key.
    pub fn filed(
        customer_id: i64,
        contract_id: Option<i64>,
        title: &'a str,
        kind: Kind,
        media_type: &'a str,
    ) -> Self {
        NewDocument {
            customer_id,
            contract_id,
            title,
            kind,
            media_type,
            upload_key: None,
            from_customer: false,
            held: false,
        }
    }
}

/// An upload key as the browser makes it: 8 to 64 letters, digits and dashes. Anything else
/// is treated as no key.
pub fn upload_key(raw: &str) -> Option<&str> {
    let key = raw.trim();
    (8..=64)
        .contains(&key.len())
        .then_some(key)
        .filter(|k| k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
}

/// The document an earlier attempt at the same upload stored, if any.
async fn earlier_attempt(
    conn: &mut AnyConnection,
    broker_id: i64,
    customer_id: i64,
    key: Option<&str>,
) -> Result<Option<i64>> {
    let Some(key) = key else { return Ok(None) };
    let id = sqlx::query_scalar(
        "SELECT id FROM documents WHERE broker_id = $1 AND customer_id = $2 AND upload_key = $3",
    )
    .bind(broker_id)
    .bind(customer_id)
    .bind(key)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(id)
}

/// Records a complete file as a document of the broker's customer: checks that the customer
/// and contract are the broker's (and belong together) and that the quota allows it, then
/// moves the file into place and commits the row with its audit entry. Returns the id.
///
/// A second attempt with the same upload key (a retry after the answer to the first was
/// lost) stores nothing and returns the document of the first.
pub async fn insert(
    state: &crate::state::AppState,
    broker_id: i64,
    actor: Actor,
    ip: Option<IpAddr>,
    doc: NewDocument<'_>,
    blob: TempBlob,
) -> Result<i64> {
    let mut tx = state.db.begin().await?;
    let customer: Option<i64> =
        sqlx::query_scalar("SELECT id FROM customers WHERE id = $1 AND broker_id = $2")
            .bind(doc.customer_id)
            .bind(broker_id)
            .fetch_optional(&mut *tx)
            .await?;
    if customer.is_none() {
        return Err(AppError::NotFound);
    }
    if let Some(id) = earlier_attempt(&mut tx, broker_id, doc.customer_id, doc.upload_key).await? {
        return Ok(id);
    }
    if let Some(contract_id) = doc.contract_id {
        let owner: Option<i64> =
            sqlx::query_scalar("SELECT customer_id FROM contracts WHERE id = $1 AND broker_id = $2")
                .bind(contract_id)
                .bind(broker_id)
                .fetch_optional(&mut *tx)
                .await?;
        if owner != Some(doc.customer_id) {
            return Err(AppError::field("contract_id", crate::error::Problem::InvalidChoice));
        }
    }
    let size = i64::try_from(blob.size).unwrap_or(i64::MAX);
    let usage = usage_of(&mut tx, broker_id).await?;
    if usage.used_bytes.saturating_add(size) > usage.quota_bytes {
        return Err(AppError::QuotaExceeded { used_bytes: usage.used_bytes, quota_bytes: usage.quota_bytes });
    }
    let blobs = BlobStore::new(&state.config.data_dir);
    let name = blobs.commit(blob).await?;
    let inserted = async {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO documents (broker_id, customer_id, contract_id, title, kind, media_type, size_bytes, blob,
                 created_at, upload_key, uploaded_by, held)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(broker_id)
        .bind(doc.customer_id)
        .bind(doc.contract_id)
        .bind(doc.title)
        .bind(doc.kind.as_str())
        .bind(doc.media_type)
        .bind(size)
        .bind(&name)
        .bind(now())
        .bind(doc.upload_key)
        .bind(if doc.from_customer { "customer" } else { "office" })
        .bind(i64::from(doc.held))
        .fetch_one(&mut *tx)
        .await?;
        record(&mut tx, broker_id, actor, "document.uploaded", Some(Target("customer", doc.customer_id)), ip)
            .await?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(id)
    }
    .await;
    match inserted {
        Ok(id) => Ok(id),
        Err(e) => {
            blobs.remove(&name).await;
            // Two attempts at once with the same key: the other one won, and its row is the answer.
            let mut conn = state.db.pool.acquire().await?;
            match earlier_attempt(&mut conn, broker_id, doc.customer_id, doc.upload_key).await? {
                Some(id) => Ok(id),
                None => Err(e.into()),
            }
        }
    }
}

pub async fn delete(id: i64) -> Result<()> {
    let (ctx, staff) = require_staff()?;
    let state = app_state()?;
    let mut tx = state.db.begin().await?;
    let row = sqlx::query(
        "DELETE FROM documents WHERE id = $1 AND broker_id = $2 RETURNING customer_id, blob, preview_blob",
    )
    .bind(id)
    .bind(ctx.broker.id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let customer_id: i64 = row.try_get(0)?;
    let blob: String = row.try_get(1)?;
    let preview: Option<String> = row.try_get(2)?;
    let target = Some(Target("customer", customer_id));
    record(&mut tx, ctx.broker.id, Actor::Staff(staff.id), "document.deleted", target, ctx.ip).await?;
    tx.commit().await?;
    let blobs = BlobStore::new(&state.config.data_dir);
    blobs.remove(&blob).await;
    if let Some(preview) = preview {
        blobs.remove(&preview).await;
    }
    Ok(())
}

pub async fn usage_of(conn: &mut AnyConnection, broker_id: i64) -> Result<Usage> {
    let row = sqlx::query(
        "SELECT CAST(COALESCE((SELECT SUM(size_bytes) FROM documents WHERE broker_id = $1), 0) AS BIGINT),
                storage_quota_bytes
         FROM brokers WHERE id = $1",
    )
    .bind(broker_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Usage { used_bytes: row.try_get(0)?, quota_bytes: row.try_get(1)? })
}

pub async fn usage() -> Result<Usage> {
    let (ctx, _staff) = require_staff()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    usage_of(&mut conn, ctx.broker.id).await
}

/// What the download handler needs to serve a file.
pub struct Stored {
    pub customer_id: i64,
    pub title: String,
    pub media_type: String,
    pub blob: String,
    /// The small copy of a photo for lists, once it has been made.
    pub preview_blob: Option<String>,
}

/// A document of the broker, if it exists.
pub async fn stored(conn: &mut AnyConnection, broker_id: i64, id: i64) -> Result<Option<Stored>> {
    let row = sqlx::query(
        "SELECT customer_id, title, media_type, blob, preview_blob FROM documents WHERE id = $1 AND broker_id = $2",
    )
    .bind(id)
    .bind(broker_id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|row| {
        Ok(Stored {
            customer_id: row.try_get(0)?,
            title: row.try_get(1)?,
            media_type: row.try_get(2)?,
            blob: row.try_get(3)?,
            preview_blob: row.try_get(4)?,
        })
    })
    .transpose()
    .map_err(|e: sqlx::Error| AppError::from(e))
}
