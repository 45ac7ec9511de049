//! The `api_keys` table: keys a broker's management system authenticates with
//! (`fk_<prefix>_<secret>`). Only the secret's digest is stored; the key decides the broker.

use sqlx::AnyConnection;

use super::tokens;
use crate::audit::ssr::{record, Actor, Target};
use crate::db::{now, Db};
use crate::error::Result;
use crate::ids::{ApiKeyId, BrokerId};

/// A key that authenticated a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ApiKey {
    pub id: ApiKeyId,
    pub broker_id: BrokerId,
}

/// Creates a key and returns it, once; only its digest stays.
pub async fn create(conn: &mut AnyConnection, broker_id: BrokerId) -> Result<String> {
    let prefix = tokens::short_id();
    let key = format!("fk_{prefix}_{}", tokens::new_secret());
    let id: ApiKeyId = sqlx::query_scalar(
        "INSERT INTO api_keys (broker_id, prefix, key_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(broker_id)
    .bind(&prefix)
    .bind(tokens::digest(&key))
    .bind(now())
    .fetch_one(&mut *conn)
    .await?;
    record(conn, broker_id, Actor::System, "api_key.created", Some(Target::ApiKey(id)), None).await?;
    Ok(key)
}

/// The live key a bearer token names, if it is one.
pub async fn verify(db: &Db, key: &str) -> Result<Option<ApiKey>> {
    let Some(prefix) = key
        .strip_prefix("fk_")
        .and_then(|rest| rest.get(..16).filter(|_| rest.as_bytes().get(16) == Some(&b'_')))
    else {
        return Ok(None);
    };
    #[derive(sqlx::FromRow)]
    struct Stored {
        id: ApiKeyId,
        broker_id: BrokerId,
        key_hash: String,
    }
    let stored: Option<Stored> = sqlx::query_as(
        "SELECT id, broker_id, key_hash FROM api_keys WHERE prefix = $1 AND revoked_at IS NULL",
    )
    .bind(prefix)
    .fetch_optional(&db.pool)
    .await?;
    Ok(stored
        .filter(|s| tokens::same(&s.key_hash, &tokens::digest(key)))
        .map(|s| ApiKey { id: s.id, broker_id: s.broker_id }))
}
