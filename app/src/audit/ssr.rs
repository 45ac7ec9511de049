//! The `audit_log` table and its `audit_addresses`: writing an entry and reading the trail
//! about some records. The trail is append-only and keeps no address; the address of an
//! entry is technical data (R5.3) that housekeeping deletes after [`ADDRESS_RETENTION_SECS`].

use std::net::IpAddr;

use sqlx::AnyConnection;

use super::chain::{self, Content, Link, Walk};
use super::{AuditEntry, Break, Broken, ChainCheck};
use crate::auth::Role;
use crate::db::{now, Db};
use crate::ids::{ApiKeyId, BrokerId, ConversationId, CustomerId, ImportId, UserId};

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

/// Where a record's values came from, kept on the record itself (`created_by`, `changed_by`)
/// so a person's copy of their data can say it for every datum (Art. 15).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Entered by this actor directly: a staff member, the customer, a broker system.
    By(Actor),
    /// A change the customer asked for in this conversation, applied by staff.
    ChangeRequest(ConversationId),
    /// A file imported from a broker system (the `imports` row names file and date).
    Import(ImportId),
}

impl Source {
    /// The stored form: `staff:7`, `customer:9`, `api_key:2`, `system`, `change_request:4`.
    pub fn column(self) -> String {
        match self {
            Source::ChangeRequest(id) => format!("change_request:{}", id.0),
            Source::Import(id) => format!("import:{}", id.0),
            Source::By(actor) => match actor.parts() {
                (kind, Some(id)) => format!("{kind}:{id}"),
                (kind, None) => kind.to_owned(),
            },
        }
    }

    pub fn parse(stored: &str) -> Option<Self> {
        let (kind, id) = match stored.split_once(':') {
            Some((kind, id)) => (kind, Some(id.parse::<i64>().ok()?)),
            None => (stored, None),
        };
        Some(match (kind, id) {
            ("staff", Some(id)) => Source::By(Actor::Staff(UserId(id))),
            ("customer", Some(id)) => Source::By(Actor::Customer(UserId(id))),
            ("api_key", Some(id)) => Source::By(Actor::ApiKey(ApiKeyId(id))),
            ("change_request", Some(id)) => Source::ChangeRequest(ConversationId(id)),
            ("import", Some(id)) => Source::Import(ImportId(id)),
            ("system", None) => Source::By(Actor::System),
            ("anonymous", None) => Source::By(Actor::Anonymous),
            _ => return None,
        })
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
    let content = Content {
        broker_id,
        at: now(),
        actor_kind: actor_kind.to_owned(),
        actor_id,
        action: action.to_owned(),
        target_kind: target.map(|t| t.0.to_owned()),
        target_id: target.map(|t| t.1),
        detail: None,
    };
    let (seq, prev) = next_place(conn, broker_id).await?;
    let hash = chain::hash(seq, &prev, &content);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO audit_log (broker_id, at, actor_kind, actor_id, action, target_kind, target_id, detail,
                                seq, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(content.broker_id)
    .bind(content.at)
    .bind(&content.actor_kind)
    .bind(content.actor_id)
    .bind(&content.action)
    .bind(&content.target_kind)
    .bind(content.target_id)
    .bind(&content.detail)
    .bind(seq)
    .bind(&prev)
    .bind(&hash)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("UPDATE audit_chain SET last_hash = $2 WHERE broker_id = $1")
        .bind(broker_id)
        .bind(&hash)
        .execute(&mut *conn)
        .await?;
    let at = content.at;
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

/// The place of the next entry of a broker's chain and the hash before it. Takes the chain's
/// row for the rest of the transaction, so entries are chained one at a time. A broker's
/// first chained entry begins the chain, giving the entries written before chains existed
/// their places first.
async fn next_place(conn: &mut AnyConnection, broker_id: BrokerId) -> Result<(i64, String), sqlx::Error> {
    const TAKE: &str =
        "UPDATE audit_chain SET last_seq = last_seq + 1 WHERE broker_id = $1 RETURNING last_seq, last_hash";
    if let Some(place) = sqlx::query_as(TAKE).bind(broker_id).fetch_optional(&mut *conn).await? {
        return Ok(place);
    }
    let begun = sqlx::query(
        "INSERT INTO audit_chain (broker_id, last_seq, last_hash) VALUES ($1, 0, $2)
         ON CONFLICT (broker_id) DO NOTHING",
    )
    .bind(broker_id)
    .bind(chain::GENESIS)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if begun {
        seal_earlier_entries(conn, broker_id).await?;
    }
    sqlx::query_as(TAKE).bind(broker_id).fetch_one(conn).await
}

#[derive(sqlx::FromRow)]
struct UnchainedRow {
    id: i64,
    #[sqlx(flatten)]
    content: Content,
}

const CONTENT_COLUMNS: &str = "broker_id, at, actor_kind, actor_id, action, target_kind, target_id, detail";

/// Chains a broker's entries from before the chain existed, oldest first.
async fn seal_earlier_entries(conn: &mut AnyConnection, broker_id: BrokerId) -> Result<(), sqlx::Error> {
    let rows: Vec<UnchainedRow> = sqlx::query_as(&format!(
        "SELECT id, {CONTENT_COLUMNS} FROM audit_log WHERE broker_id = $1 AND seq IS NULL ORDER BY id"
    ))
    .bind(broker_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut prev = chain::GENESIS.to_owned();
    let mut seq = 0;
    for row in rows {
        seq += 1;
        let hash = chain::hash(seq, &prev, &row.content);
        sqlx::query("UPDATE audit_log SET seq = $2, prev_hash = $3, hash = $4 WHERE id = $1")
            .bind(row.id)
            .bind(seq)
            .bind(&prev)
            .bind(&hash)
            .execute(&mut *conn)
            .await?;
        prev = hash;
    }
    sqlx::query("UPDATE audit_chain SET last_seq = $2, last_hash = $3 WHERE broker_id = $1")
        .bind(broker_id)
        .bind(seq)
        .bind(&prev)
        .execute(conn)
        .await?;
    Ok(())
}

/// Entries read at a time by [`verify`].
const VERIFY_PAGE: usize = 5_000;

#[derive(sqlx::FromRow)]
struct ChainRow {
    last_seq: i64,
    last_hash: String,
}

/// Checks a broker's chain from its first entry to its recorded end, and keeps the outcome
/// for the office's trail. A broker whose chain has not begun has nothing to check, unless
/// entries were written past it.
pub async fn verify(db: &Db, broker_id: BrokerId, now: i64) -> Result<ChainCheck, sqlx::Error> {
    let mut conn = db.pool.acquire().await?;
    let end: Option<ChainRow> =
        sqlx::query_as("SELECT last_seq, last_hash FROM audit_chain WHERE broker_id = $1")
            .bind(broker_id)
            .fetch_optional(&mut *conn)
            .await?;
    let begun = end.is_some();
    let end = end.unwrap_or(ChainRow { last_seq: 0, last_hash: chain::GENESIS.to_owned() });
    let mut walk = Walk::default();
    let mut after = i64::MIN;
    loop {
        let links: Vec<Link> = sqlx::query_as(&format!(
            "SELECT seq, COALESCE(prev_hash, '') AS prev_hash, COALESCE(hash, '') AS hash, {CONTENT_COLUMNS}
             FROM audit_log WHERE broker_id = $1 AND seq > $2 ORDER BY seq LIMIT {VERIFY_PAGE}"
        ))
        .bind(broker_id)
        .bind(after)
        .fetch_all(&mut *conn)
        .await?;
        let Some(last) = links.last() else { break };
        after = last.seq;
        if !links.iter().all(|link| walk.step(link)) || links.len() < VERIFY_PAGE {
            break;
        }
    }
    let count = walk.whole();
    let mut broken = walk.finish(end.last_seq, &end.last_hash);
    // Once a chain has begun, every entry has a place in it.
    if broken.is_none() && begun {
        let unchained: Option<i64> =
            sqlx::query_scalar("SELECT MIN(id) FROM audit_log WHERE broker_id = $1 AND seq IS NULL")
                .bind(broker_id)
                .fetch_one(&mut *conn)
                .await?;
        broken = unchained.map(|id| Broken { at: id, reason: Break::Unchained });
    }
    let check = ChainCheck { checked_at: now, count, broken };
    sqlx::query(
        "UPDATE audit_chain SET checked_at = $2, checked_count = $3, broken_at = $4, broken_reason = $5
         WHERE broker_id = $1",
    )
    .bind(broker_id)
    .bind(now)
    .bind(count)
    .bind(broken.map(|b| b.at))
    .bind(broken.map(|b| b.reason.as_str()))
    .execute(&mut *conn)
    .await?;
    Ok(check)
}

/// A chain checked this recently is not checked again by housekeeping: several servers (and
/// restarts, which run housekeeping at once) share the hourly check.
const RECHECK_AFTER_SECS: i64 = 30 * 60;

/// Housekeeping: checks every broker's chain not checked in the last half hour (see
/// [`verify`]); how many were checked, and the brokers whose chain is broken.
pub async fn verify_due(db: &Db, now: i64) -> Result<(usize, Vec<(BrokerId, Broken)>), sqlx::Error> {
    let brokers: Vec<BrokerId> = sqlx::query_scalar(
        "SELECT broker_id FROM audit_chain WHERE checked_at IS NULL OR checked_at <= $1 ORDER BY broker_id",
    )
    .bind(now - RECHECK_AFTER_SECS)
    .fetch_all(&db.pool)
    .await?;
    let mut broken = Vec::new();
    for &broker_id in &brokers {
        if let Some(b) = verify(db, broker_id, now).await?.broken {
            broken.push((broker_id, b));
        }
    }
    Ok((brokers.len(), broken))
}

#[derive(sqlx::FromRow)]
struct CheckRow {
    checked_at: Option<i64>,
    checked_count: Option<i64>,
    broken_at: Option<i64>,
    broken_reason: Option<String>,
}

/// The outcome of the last check of a broker's chain, if it was ever checked.
pub async fn last_check(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
) -> Result<Option<ChainCheck>, sqlx::Error> {
    let row: Option<CheckRow> = sqlx::query_as(
        "SELECT checked_at, checked_count, broken_at, broken_reason FROM audit_chain WHERE broker_id = $1",
    )
    .bind(broker_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.and_then(|r| {
        let broken = match (r.broken_at, r.broken_reason.as_deref().and_then(Break::parse)) {
            (Some(at), Some(reason)) => Some(Broken { at, reason }),
            _ => None,
        };
        Some(ChainCheck { checked_at: r.checked_at?, count: r.checked_count.unwrap_or(0), broken })
    }))
}

/// How often a person did `action` since `since`, and when the oldest of those was (for
/// limits that count from the trail).
pub async fn recent(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    actor: Actor,
    action: &str,
    since: i64,
) -> Result<(i64, Option<i64>), sqlx::Error> {
    let (kind, id) = actor.parts();
    sqlx::query_as(
        "SELECT COUNT(*), MIN(at) FROM audit_log
         WHERE broker_id = $1 AND actor_id = $2 AND actor_kind = $3 AND action = $4 AND at > $5",
    )
    .bind(broker_id)
    .bind(id)
    .bind(kind)
    .bind(action)
    .bind(since)
    .fetch_one(conn)
    .await
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
