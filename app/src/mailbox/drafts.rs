//! Message drafts, kept on the server per account and kind of message rather than in the
//! phone's storage: the next person on a shared phone finds none, and the customer finds
//! hers on any device. Sending the message drops its draft; housekeeping drops drafts
//! untouched for 30 days. The form (without its kind) is stored as JSON.

use sqlx::AnyConnection;

use super::rules::Compose;
use super::Topic;
use crate::db::Db;
use crate::error::Result;
use crate::ids::{BrokerId, UserId};

/// How long an untouched draft is kept.
pub const KEPT_SECS: i64 = 30 * 86_400;

#[derive(sqlx::FromRow)]
struct Row {
    fields: String,
}

/// The person's draft of this kind, or a blank form.
pub async fn load(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    user_id: UserId,
    topic: Topic,
) -> Result<Compose> {
    let row: Option<Row> = sqlx::query_as(
        "SELECT fields FROM message_drafts WHERE broker_id = $1 AND user_id = $2 AND topic = $3",
    )
    .bind(broker_id)
    .bind(user_id)
    .bind(topic.as_str())
    .fetch_optional(conn)
    .await?;
    let draft = row.and_then(|r| serde_json::from_str::<Compose>(&r.fields).ok()).unwrap_or_default();
    Ok(Compose { topic: topic.as_str().to_owned(), ..draft })
}

/// Keeps the draft as it is now; a blank one is dropped.
pub async fn save(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    user_id: UserId,
    topic: Topic,
    draft: &Compose,
    now: i64,
) -> Result<()> {
    if draft.is_blank() {
        return discard(conn, broker_id, user_id, topic).await;
    }
    let fields = serde_json::to_string(&Compose { topic: String::new(), ..draft.clone() })
        .map_err(anyhow::Error::from)?;
    sqlx::query(
        "INSERT INTO message_drafts (user_id, broker_id, topic, fields, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (user_id, topic) DO UPDATE SET fields = excluded.fields, updated_at = excluded.updated_at",
    )
    .bind(user_id)
    .bind(broker_id)
    .bind(topic.as_str())
    .bind(fields)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn discard(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    user_id: UserId,
    topic: Topic,
) -> Result<()> {
    sqlx::query("DELETE FROM message_drafts WHERE broker_id = $1 AND user_id = $2 AND topic = $3")
        .bind(broker_id)
        .bind(user_id)
        .bind(topic.as_str())
        .execute(conn)
        .await?;
    Ok(())
}

/// Drops drafts untouched for 30 days (housekeeping).
pub async fn purge(db: &Db, now: i64) -> Result<u64> {
    let done = sqlx::query("DELETE FROM message_drafts WHERE updated_at < $1")
        .bind(now - KEPT_SECS)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}
