//! The `api_keys` table: keys a broker's management system authenticates with
//! (`fk_<prefix>_<secret>`). Only the secret's digest is stored; the key decides the broker.

use std::net::IpAddr;

use sqlx::AnyConnection;

use super::{ApiKeyRow, NewApiKey};
use crate::audit::ssr::{record, Actor, Target};
use crate::auth::tokens;
use crate::db::{now, Db};
use crate::error::{AppError, FormErrors, Result, NAME_MAX_CHARS};
use crate::ids::{ApiKeyId, BrokerId};
use crate::request::{app_state, require_owner, require_owner_proved};

/// A key that authenticated a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ApiKey {
    pub id: ApiKeyId,
    pub broker_id: BrokerId,
}

/// The last use is written at most this often, so API traffic does not write on every request.
const LAST_USE_STEP_SECS: i64 = 60;

/// Creates a key and returns it, once; only its digest stays.
pub async fn create(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    name: &str,
    actor: Actor,
    ip: Option<IpAddr>,
) -> Result<String> {
    let prefix = tokens::short_id();
    let key = format!("fk_{prefix}_{}", tokens::new_secret());
    let id: ApiKeyId = sqlx::query_scalar(
        "INSERT INTO api_keys (broker_id, name, prefix, key_hash, created_at) VALUES ($1, $2, $3, $4, $5)
         RETURNING id",
    )
    .bind(broker_id)
    .bind(name)
    .bind(&prefix)
    .bind(tokens::digest(&key))
    .bind(now())
    .fetch_one(&mut *conn)
    .await?;
    record(conn, broker_id, actor, "api_key.created", Some(Target::ApiKey(id)), ip).await?;
    Ok(key)
}

/// The prefix a key, `fk_<prefix>` or a bare prefix names (as the key list shows it).
pub fn prefix_of(input: &str) -> &str {
    let input = input.trim();
    let rest = input.strip_prefix("fk_").unwrap_or(input);
    rest.split('_').next().unwrap_or_default()
}

/// A live key of this broker by the prefix the list shows.
pub async fn find_live(conn: &mut AnyConnection, broker_id: BrokerId, prefix: &str) -> Result<ApiKeyId> {
    sqlx::query_scalar("SELECT id FROM api_keys WHERE broker_id = $1 AND prefix = $2 AND revoked_at IS NULL")
        .bind(broker_id)
        .bind(prefix)
        .fetch_optional(conn)
        .await?
        .ok_or(AppError::NotFound)
}

/// Every key of a broker, live ones first, newest first.
pub async fn list(conn: &mut AnyConnection, broker_id: BrokerId) -> Result<Vec<ApiKeyRow>> {
    Ok(sqlx::query_as(
        "SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM api_keys WHERE broker_id = $1
         ORDER BY revoked_at IS NOT NULL, created_at DESC, id DESC",
    )
    .bind(broker_id)
    .fetch_all(conn)
    .await?)
}

/// Ends a live key of this broker at once and returns its name; another broker's key or an
/// ended one is not found.
pub async fn revoke(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    id: ApiKeyId,
    actor: Actor,
    ip: Option<IpAddr>,
) -> Result<String> {
    let name: String = sqlx::query_scalar(
        "UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND broker_id = $3 AND revoked_at IS NULL
         RETURNING name",
    )
    .bind(now())
    .bind(id)
    .bind(broker_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    record(conn, broker_id, actor, "api_key.revoked", Some(Target::ApiKey(id)), ip).await?;
    Ok(name)
}

/// Replaces a live key by a new one under the same name: the old one ends at once.
pub async fn rotate(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    id: ApiKeyId,
    actor: Actor,
    ip: Option<IpAddr>,
) -> Result<NewApiKey> {
    let name = revoke(conn, broker_id, id, actor, ip).await?;
    let key = create(conn, broker_id, &name, actor, ip).await?;
    Ok(NewApiKey { name, key })
}

/// The live key a bearer token names, if it is one; notes its use.
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
        last_used_at: Option<i64>,
    }
    let stored: Option<Stored> = sqlx::query_as(
        "SELECT id, broker_id, key_hash, last_used_at FROM api_keys WHERE prefix = $1 AND revoked_at IS NULL",
    )
    .bind(prefix)
    .fetch_optional(&db.pool)
    .await?;
    let Some(stored) = stored.filter(|s| tokens::same(&s.key_hash, &tokens::digest(key))) else {
        return Ok(None);
    };
    let now = now();
    if stored.last_used_at.is_none_or(|at| now - at >= LAST_USE_STEP_SECS) {
        sqlx::query("UPDATE api_keys SET last_used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(stored.id)
            .execute(&db.pool)
            .await?;
    }
    Ok(Some(ApiKey { id: stored.id, broker_id: stored.broker_id }))
}

/// The settings page: the owner's view of the keys.
pub async fn list_for_owner() -> Result<Vec<ApiKeyRow>> {
    let (ctx, _owner) = require_owner()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    list(&mut conn, ctx.broker.id).await
}

pub async fn create_for_owner(name: String) -> Result<NewApiKey> {
    let (ctx, owner) = require_owner_proved()?;
    let mut errors = FormErrors::default();
    let name = errors.required("name", &name, NAME_MAX_CHARS);
    errors.finish(Some(()))?;
    let mut tx = app_state()?.db.begin().await?;
    let key = create(&mut tx, ctx.broker.id, &name, Actor::Staff(owner.id), ctx.ip).await?;
    tx.commit().await?;
    Ok(NewApiKey { name, key })
}

pub async fn revoke_for_owner(id: ApiKeyId) -> Result<()> {
    let (ctx, owner) = require_owner_proved()?;
    let mut tx = app_state()?.db.begin().await?;
    revoke(&mut tx, ctx.broker.id, id, Actor::Staff(owner.id), ctx.ip).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn rotate_for_owner(id: ApiKeyId) -> Result<NewApiKey> {
    let (ctx, owner) = require_owner_proved()?;
    let mut tx = app_state()?.db.begin().await?;
    let new = rotate(&mut tx, ctx.broker.id, id, Actor::Staff(owner.id), ctx.ip).await?;
    tx.commit().await?;
    Ok(new)
}

#[cfg(test)]
mod tests {
    use super::prefix_of;

    #[test]
    fn a_key_or_its_shown_prefix_names_the_same_key() {
        assert_eq!(prefix_of("fk_abcdefgh12345678_secretsecret"), "abcdefgh12345678");
        assert_eq!(prefix_of(" fk_abcdefgh12345678 "), "abcdefgh12345678");
        assert_eq!(prefix_of("abcdefgh12345678"), "abcdefgh12345678");
        assert_eq!(prefix_of(""), "");
    }
}
