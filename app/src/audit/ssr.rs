//! The `audit_log` table and its `audit_addresses`: writing an entry and reading the trail
//! about some records. The trail is append-only and keeps no address; the address of an
//! entry is technical data (R5.3) that housekeeping deletes after [`ADDRESS_RETENTION_SECS`].

use std::net::IpAddr;

use sqlx::AnyConnection;

use super::AuditEntry;
use crate::auth::Role;
use crate::db::{now, Db};
use crate::ids::{ApiKeyId, BrokerId, CustomerId, UserId};

/// Who acted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    Staff(UserId),
    /// A person on the customer's side: the policyholder or someone with a grant.
    Customer(UserId),
    ApiKey(ApiKeyId),
    System,
    Anonymous,
}

impl Actor {
    pub fn user(role: Role, user_id: UserId) -> Self {
        if role.is_staff() {
            Actor::Staff(user_id)
        } else {
            Actor::Customer(user_id)
        }
    }

    fn parts(self) -> (&'static str, Option<i64>) {
        match self {
            Actor::Staff(id) => ("staff", Some(id.0)),
            Actor::Customer(id) => ("customer", Some(id.0)),
            Actor::ApiKey(id) => ("api_key", Some(id.0)),
            Actor::System => ("system", None),
            Actor::Anonymous => ("anonymous", None),
        }
    }
}

/// The record an action was about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Broker(BrokerId),
    /// A customer's folder: everything in it (contracts, documents, conversations, grants).
    Customer(CustomerId),
    User(UserId),
    ApiKey(ApiKeyId),
}

impl Target {
    fn parts(self) -> (&'static str, i64) {
        match self {
            Target::Broker(id) => ("broker", id.0),
            Target::Customer(id) => ("customer", id.0),
            Target::User(id) => ("user", id.0),
            Target::ApiKey(id) => ("api_key", id.0),
        }
    }
}

/// How long the client address of an entry is kept: 7 days.
pub const ADDRESS_RETENTION_SECS: i64 = 7 * 24 * 3600;

pub async fn record(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    actor: Actor,
    action: &str,
    target: Option<Target>,
    ip: Option<IpAddr>,
) -> Result<(), sqlx::Error> {
    let (actor_kind, actor_id) = actor.parts();
    let target = target.map(Target::parts);
    let at = now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO audit_log (broker_id, at, actor_kind, actor_id, action, target_kind, target_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(broker_id)
    .bind(at)
    .bind(actor_kind)
    .bind(actor_id)
    .bind(action)
    .bind(target.map(|t| t.0))
    .bind(target.map(|t| t.1))
    .fetch_one(&mut *conn)
    .await?;
    if let Some(ip) = ip {
        sqlx::query("INSERT INTO audit_addresses (audit_id, broker_id, at, ip) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(broker_id)
            .bind(at)
            .bind(ip.to_string())
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Deletes the addresses of entries older than [`ADDRESS_RETENTION_SECS`]; the entries stay.
pub async fn purge_addresses(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM audit_addresses WHERE at < $1")
        .bind(now - ADDRESS_RETENTION_SECS)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    at: i64,
    actor_kind: String,
    actor_name: Option<String>,
    action: String,
    ip: Option<String>,
}

/// The trail about some records, newest first, with the acting person's name.
pub async fn for_targets(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    targets: &[Target],
    limit: i64,
) -> Result<Vec<AuditEntry>, sqlx::Error> {
    let mut entries = Vec::new();
    for target in targets {
        let (kind, id) = target.parts();
        let rows: Vec<EntryRow> = sqlx::query_as(
            "SELECT a.at, a.actor_kind, u.display_name AS actor_name, a.action, x.ip
             FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id AND u.broker_id = a.broker_id
                  AND a.actor_kind IN ('staff', 'customer')
             LEFT JOIN audit_addresses x ON x.audit_id = a.id
             WHERE a.broker_id = $1 AND a.target_kind = $2 AND a.target_id = $3
             ORDER BY a.at DESC, a.id DESC LIMIT $4",
        )
        .bind(broker_id)
        .bind(kind)
        .bind(id)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
        entries.extend(rows.into_iter().map(|r| AuditEntry {
            at: r.at,
            actor_name: r.actor_name,
            actor_kind: r.actor_kind,
            action: r.action,
            ip: r.ip,
        }));
    }
    entries.sort_by_key(|e| std::cmp::Reverse(e.at));
    entries.truncate(usize::try_from(limit).unwrap_or(0));
    Ok(entries)
}
