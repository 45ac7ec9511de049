//! Writing and reading the audit trail.

use std::net::IpAddr;

use sqlx::{AnyConnection, Row};

use super::AuditEntry;
use crate::auth::Role;
use crate::db::now;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    Staff(i64),
    Customer(i64),
    ApiKey(i64),
    System,
    Anonymous,
}

impl Actor {
    pub fn user(role: Role, user_id: i64) -> Self {
        if role.is_staff() {
            Actor::Staff(user_id)
        } else {
            Actor::Customer(user_id)
        }
    }

    fn parts(self) -> (&'static str, Option<i64>) {
        match self {
            Actor::Staff(id) => ("staff", Some(id)),
            Actor::Customer(id) => ("customer", Some(id)),
            Actor::ApiKey(id) => ("api_key", Some(id)),
            Actor::System => ("system", None),
            Actor::Anonymous => ("anonymous", None),
        }
    }
}

/// The record an action was about.
#[derive(Clone, Copy, Debug)]
pub struct Target<'a>(pub &'a str, pub i64);

pub async fn record(
    conn: &mut AnyConnection,
    broker_id: i64,
    actor: Actor,
    action: &str,
    target: Option<Target<'_>>,
    ip: Option<IpAddr>,
) -> Result<(), sqlx::Error> {
    let (actor_kind, actor_id) = actor.parts();
    sqlx::query(
        "INSERT INTO audit_log (broker_id, at, actor_kind, actor_id, action, target_kind, target_id, ip)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(broker_id)
    .bind(now())
    .bind(actor_kind)
    .bind(actor_id)
    .bind(action)
    .bind(target.map(|t| t.0))
    .bind(target.map(|t| t.1))
    .bind(ip.map(|ip| ip.to_string()))
    .execute(conn)
    .await?;
    Ok(())
}

/// The trail about some records, newest first, with the acting person's name.
pub async fn for_targets(
    conn: &mut AnyConnection,
    broker_id: i64,
    targets: &[Target<'_>],
    limit: i64,
) -> Result<Vec<AuditEntry>, sqlx::Error> {
    let mut entries = Vec::new();
    for target in targets {
        let rows = sqlx::query(
            "SELECT a.at, a.actor_kind, u.display_name, a.action
             FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id AND u.broker_id = a.broker_id
                  AND a.actor_kind IN ('staff', 'customer')
             WHERE a.broker_id = $1 AND a.target_kind = $2 AND a.target_id = $3
             ORDER BY a.at DESC, a.id DESC LIMIT $4",
        )
        .bind(broker_id)
        .bind(target.0)
        .bind(target.1)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
        for row in rows {
            entries.push(AuditEntry {
                at: row.try_get(0)?,
                actor_kind: row.try_get(1)?,
                actor_name: row.try_get(2)?,
                action: row.try_get(3)?,
            });
        }
    }
    entries.sort_by_key(|e| std::cmp::Reverse(e.at));
    entries.truncate(usize::try_from(limit).unwrap_or(0));
    Ok(entries)
}
