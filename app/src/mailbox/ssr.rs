//! Conversations and messages in the database. Every query names the broker; a customer
//! reaches only their own conversations, and to everyone else a conversation does not exist.
//! A message, its attachments, its audit entries and the notice it causes are written in one
//! transaction.

use sqlx::{AnyConnection, Row};

use super::notices;
use super::rules::{attachment_ids, concerns_health, parse_change, parse_compose, BODY_MAX_CHARS};
use super::{
    Attachment, Colleague, Compose, Conversation, ConversationRow, CurrentRecord, Details, Inbox,
    InboxFilter, Message, Status, Topic, INBOX_PAGE,
};
use crate::audit::ssr::{record, Actor, Target};
use crate::auth::SessionUser;
use crate::db::{contains_pattern, ilike, now};
use crate::error::{AppError, FormErrors, Problem, Result};
use crate::request::{app_state, require_staff, require_user, RequestCtx};

/// How long an office's subject may be.
pub const SUBJECT_MAX_CHARS: usize = 200;

const ROW_SELECT: &str = "SELECT v.id, v.topic, v.subject, COALESCE(p.name, l.name), k.policy_number, v.customer_id,
        c.first_name, c.last_name, c.company_name, v.status, v.assignee_id, u.display_name, v.updated_at,
        v.last_customer_message, v.last_office_message, v.customer_read, v.office_read, v.contract_id, v.details,
        c.external_id, k.external_id, v.health_consent_at, v.applied_at, a.display_name
     FROM conversations v
     JOIN customers c ON c.id = v.customer_id AND c.broker_id = v.broker_id
     LEFT JOIN contracts k ON k.id = v.contract_id AND k.broker_id = v.broker_id
     LEFT JOIN lines l ON l.id = k.line_id AND l.broker_id = v.broker_id
     LEFT JOIN products p ON p.id = k.product_id AND p.broker_id = v.broker_id
     LEFT JOIN users u ON u.id = v.assignee_id AND u.broker_id = v.broker_id
     LEFT JOIN users a ON a.id = v.applied_by AND a.broker_id = v.broker_id";

/// Which side reads: the customer or the office.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Customer,
    Office,
}

impl Side {
    fn of(user: &SessionUser) -> Self {
        if user.role.is_staff() {
            Side::Office
        } else {
            Side::Customer
        }
    }
}

fn row_of(row: &sqlx::any::AnyRow, side: Side) -> Result<ConversationRow, sqlx::Error> {
    let topic: String = row.try_get(1)?;
    let label: Option<String> = row.try_get(3)?;
    let policy: Option<String> = row.try_get(4)?;
    let first: String = row.try_get(6)?;
    let last: String = row.try_get(7)?;
    let company: Option<String> = row.try_get(8)?;
    let status: String = row.try_get(9)?;
    let (last_customer, last_office, customer_read, office_read): (i64, i64, i64, i64) =
        (row.try_get(13)?, row.try_get(14)?, row.try_get(15)?, row.try_get(16)?);
    Ok(ConversationRow {
        id: row.try_get(0)?,
        topic: Topic::parse(&topic).unwrap_or(Topic::Question),
        subject: row.try_get(2)?,
        contract_label: label.map(|l| match policy.filter(|p| !p.is_empty()) {
            Some(p) => format!("{l} · {p}"),
            None => l,
        }),
        customer_id: row.try_get(5)?,
        customer_name: company.filter(|c| !c.is_empty()).unwrap_or_else(|| format!("{first} {last}")),
        status: Status::parse(&status).unwrap_or(Status::Open),
        assignee_id: row.try_get(10)?,
        assignee_name: row.try_get(11)?,
        updated_at: row.try_get(12)?,
        unread: match side {
            Side::Customer => last_office > customer_read,
            Side::Office => last_customer > office_read,
        },
    })
}

fn customer_of(user: &SessionUser) -> Result<i64> {
    user.customer_id.ok_or(AppError::Forbidden)
}

pub async fn mine() -> Result<Vec<ConversationRow>> {
    let (ctx, user) = require_user()?;
    let customer_id = customer_of(&user)?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    let rows = sqlx::query(&format!(
        "{ROW_SELECT} WHERE v.broker_id = $1 AND v.customer_id = $2 ORDER BY v.updated_at DESC, v.id DESC LIMIT 500"
    ))
    .bind(ctx.broker.id)
    .bind(customer_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| row_of(r, Side::Customer)).collect::<Result<_, _>>().map_err(AppError::from)
}

pub async fn unread() -> Result<i64> {
    let (ctx, user) = require_user()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    let count = match Side::of(&user) {
        Side::Customer => {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM conversations
                 WHERE broker_id = $1 AND customer_id = $2 AND last_office_message > customer_read",
            )
            .bind(ctx.broker.id)
            .bind(customer_of(&user)?)
            .fetch_one(&mut *conn)
            .await?
        }
        Side::Office => sqlx::query_scalar(
            "SELECT COUNT(*) FROM conversations WHERE broker_id = $1 AND last_customer_message > office_read",
        )
        .bind(ctx.broker.id)
        .fetch_one(&mut *conn)
        .await?,
    };
    Ok(count)
}

/// What the access check learns about a conversation.
struct Meta {
    customer_id: i64,
    topic: Topic,
    status: Status,
    assignee_id: Option<i64>,
    applied_at: Option<i64>,
}

/// The conversation, if the signed-in person may see it: the broker's office any of the
/// broker's, a customer only their own. To everyone else it does not exist.
async fn meta(conn: &mut AnyConnection, ctx: &RequestCtx, user: &SessionUser, id: i64) -> Result<Meta> {
    let row = sqlx::query(
        "SELECT customer_id, topic, status, assignee_id, applied_at FROM conversations WHERE id = $1 AND broker_id = $2",
    )
    .bind(id)
    .bind(ctx.broker.id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let customer_id: i64 = row.try_get(0)?;
    if !user.role.is_staff() && user.customer_id != Some(customer_id) {
        return Err(AppError::NotFound);
    }
    let topic: String = row.try_get(1)?;
    let status: String = row.try_get(2)?;
    Ok(Meta {
        customer_id,
        topic: Topic::parse(&topic).unwrap_or(Topic::Question),
        status: Status::parse(&status).unwrap_or(Status::Open),
        assignee_id: row.try_get(3)?,
        applied_at: row.try_get(4)?,
    })
}

pub async fn show(id: i64) -> Result<Conversation> {
    let (ctx, user) = require_user()?;
    let side = Side::of(&user);
    let state = app_state()?;
    let mut tx = state.db.begin().await?;
    let found = sqlx::query(&format!("{ROW_SELECT} WHERE v.id = $1 AND v.broker_id = $2"))
        .bind(id)
        .bind(ctx.broker.id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut row = row_of(&found, side)?;
    // A customer sees only their own; to everyone else it does not exist.
    if side == Side::Customer && user.customer_id != Some(row.customer_id) {
        return Err(AppError::NotFound);
    }
    // Opening it marks everything up to now as read for this side.
    let mark = match side {
        Side::Customer => {
            "UPDATE conversations SET customer_read = last_office_message WHERE id = $1 AND broker_id = $2"
        }
        Side::Office => {
            "UPDATE conversations SET office_read = last_customer_message WHERE id = $1 AND broker_id = $2"
        }
    };
    sqlx::query(mark).bind(id).bind(ctx.broker.id).execute(&mut *tx).await?;
    row.unread = false;
    let messages = messages_of(&mut tx, ctx.broker.id, id).await?;
    let current = match side {
        Side::Office => Some(current_record(&mut tx, ctx.broker.id, row.customer_id).await?),
        Side::Customer => None,
    };
    if side == Side::Office {
        // Looking is recorded too (R1.4).
        let target = Some(Target("customer", row.customer_id));
        record(&mut tx, ctx.broker.id, Actor::Staff(user.id), "conversation.opened", target, ctx.ip).await?;
    }
    tx.commit().await?;
    let details: String = found.try_get(18)?;
    Ok(Conversation {
        row,
        contract_id: found.try_get(17)?,
        details: serde_json::from_str(&details).unwrap_or_default(),
        health_consent_at: found.try_get(21)?,
        applied_at: found.try_get(22)?,
        applied_by: found.try_get(23)?,
        messages,
        current,
    })
}

/// A conversation's messages, oldest first, with their attachments.
pub async fn messages_of(conn: &mut AnyConnection, broker_id: i64, id: i64) -> Result<Vec<Message>> {
    Ok(load_messages(conn, broker_id, id, 0).await?.into_iter().map(|(_, m)| m).collect())
}

/// Messages written from `since` on, of one conversation (`conversation` > 0) or of all the
/// broker's, oldest first, with their attachments and the conversation's id.
async fn load_messages(
    conn: &mut AnyConnection,
    broker_id: i64,
    conversation: i64,
    since: i64,
) -> Result<Vec<(i64, Message)>> {
    let rows = sqlx::query(
        "SELECT m.id, m.sender, u.display_name, m.body, m.created_at, m.conversation_id
         FROM messages m LEFT JOIN users u ON u.id = m.author_id AND u.broker_id = m.broker_id
         WHERE m.broker_id = $1 AND ($2 = 0 OR m.conversation_id = $2) AND m.created_at >= $3
         ORDER BY m.id LIMIT 5000",
    )
    .bind(broker_id)
    .bind(conversation)
    .bind(since)
    .fetch_all(&mut *conn)
    .await?;
    let files = sqlx::query(
        "SELECT d.message_id, d.id, d.title, d.media_type, d.size_bytes
         FROM documents d JOIN messages m ON m.id = d.message_id AND m.broker_id = d.broker_id
         WHERE d.broker_id = $1 AND ($2 = 0 OR m.conversation_id = $2) AND m.created_at >= $3
         ORDER BY d.id",
    )
    .bind(broker_id)
    .bind(conversation)
    .bind(since)
    .fetch_all(&mut *conn)
    .await?;
    let mut attachments: Vec<(i64, Attachment)> = Vec::with_capacity(files.len());
    for f in &files {
        attachments.push((
            f.try_get(0)?,
            Attachment {
                document_id: f.try_get(1)?,
                title: f.try_get(2)?,
                media_type: f.try_get(3)?,
                size_bytes: f.try_get(4)?,
            },
        ));
    }
    rows.iter()
        .map(|r| {
            let id: i64 = r.try_get(0)?;
            let sender: String = r.try_get(1)?;
            let message = Message {
                id,
                from_customer: sender == "customer",
                author_name: r.try_get::<Option<String>, _>(2)?.unwrap_or_default(),
                body: r.try_get(3)?,
                created_at: r.try_get(4)?,
                attachments: attachments.iter().filter(|(m, _)| *m == id).map(|(_, a)| a.clone()).collect(),
            };
            Ok((r.try_get(5)?, message))
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(AppError::from)
}

async fn current_record(conn: &mut AnyConnection, broker_id: i64, customer_id: i64) -> Result<CurrentRecord> {
    let row = sqlx::query(
        "SELECT street, postal_code, city, country, account_holder, iban FROM customers WHERE id = $1 AND broker_id = $2",
    )
    .bind(customer_id)
    .bind(broker_id)
    .fetch_one(&mut *conn)
    .await?;
    let text = |i: usize| row.try_get::<Option<String>, _>(i).map(Option::unwrap_or_default);
    Ok(CurrentRecord {
        street: text(0)?,
        postal_code: text(1)?,
        city: text(2)?,
        country: text(3)?,
        account_holder: text(4)?,
        iban: text(5)?,
    })
}

/// Today's date (UTC) as ISO 8601.
fn today() -> String {
    let (y, m, d) = crate::i18n::date_of_days(now().div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// The contract's line, if it is the customer's.
async fn contract_line(
    conn: &mut AnyConnection,
    broker_id: i64,
    customer_id: i64,
    contract_id: i64,
) -> Result<Option<String>> {
    let line = sqlx::query_scalar(
        "SELECT l.name FROM contracts k JOIN lines l ON l.id = k.line_id AND l.broker_id = k.broker_id
         WHERE k.id = $1 AND k.broker_id = $2 AND k.customer_id = $3",
    )
    .bind(contract_id)
    .bind(broker_id)
    .bind(customer_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(line)
}

pub async fn start(compose: Compose) -> Result<i64> {
    let (ctx, user) = require_user()?;
    let customer_id = customer_of(&user)?;
    let state = app_state()?;
    let parsed = parse_compose(&compose, &today())?;
    let mut tx = state.db.begin().await?;
    let mut health = false;
    if let Some(contract_id) = parsed.contract_id {
        let line = contract_line(&mut tx, ctx.broker.id, customer_id, contract_id)
            .await?
            .ok_or_else(|| AppError::field("contract_id", Problem::InvalidChoice))?;
        health = parsed.topic == Topic::Claim && concerns_health(&line);
    }
    // A claim on a health, accident, disability or life contract carries health data: only
    // with the customer's recorded consent (R4.3).
    if health && !parsed.health_consent {
        return Err(AppError::field("health_consent", Problem::ConsentRequired));
    }
    let now = now();
    let details = match &parsed.details {
        Details::None => String::new(),
        d => serde_json::to_string(d).map_err(AppError::internal)?,
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO conversations (broker_id, customer_id, topic, contract_id, status, details, health_consent_at,
             created_at, updated_at)
         VALUES ($1, $2, $3, $4, 'new', $5, $6, $7, $7) RETURNING id",
    )
    .bind(ctx.broker.id)
    .bind(customer_id)
    .bind(parsed.topic.as_str())
    .bind(parsed.contract_id)
    .bind(&details)
    .bind(health.then_some(now))
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let actor = Actor::Customer(user.id);
    let target = Some(Target("customer", customer_id));
    record(&mut tx, ctx.broker.id, actor, "conversation.started", target, ctx.ip).await?;
    if parsed.topic.is_change() {
        record(&mut tx, ctx.broker.id, actor, "change.requested", target, ctx.ip).await?;
    }
    if health {
        record(&mut tx, ctx.broker.id, actor, "health_consent.given", target, ctx.ip).await?;
    }
    let message = NewMessage { body: &parsed.body, attachments: &parsed.attachments };
    post(&mut tx, &ctx, &user, id, customer_id, None, message).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/app/messages/{id}?sent=1"));
    Ok(id)
}

struct NewMessage<'a> {
    body: &'a str,
    attachments: &'a [i64],
}

/// Writes a message into a conversation: attaches its files, moves the conversation on,
/// records it and lets the other side know. Inside the caller's transaction.
async fn post(
    conn: &mut AnyConnection,
    ctx: &RequestCtx,
    user: &SessionUser,
    id: i64,
    customer_id: i64,
    assignee_id: Option<i64>,
    message: NewMessage<'_>,
) -> Result<i64> {
    let side = Side::of(user);
    let now = now();
    let message_id: i64 = sqlx::query_scalar(
        "INSERT INTO messages (broker_id, conversation_id, sender, author_id, body, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(ctx.broker.id)
    .bind(id)
    .bind(if side == Side::Office { "office" } else { "customer" })
    .bind(user.id)
    .bind(message.body)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    attach(conn, ctx.broker.id, customer_id, message_id, message.attachments, side).await?;
    // The writer has read their own message; the other side has something new. The office
    // writing takes a new conversation up; the customer writing reopens a closed one.
    let update = match side {
        Side::Office => {
            "UPDATE conversations SET updated_at = $1, last_office_message = $2, office_read = $2,
                 status = CASE WHEN status = 'new' THEN 'open' ELSE status END
             WHERE id = $3 AND broker_id = $4"
        }
        Side::Customer => {
            "UPDATE conversations SET updated_at = $1, last_customer_message = $2, customer_read = $2,
                 status = CASE WHEN status = 'done' THEN 'open' ELSE status END
             WHERE id = $3 AND broker_id = $4"
        }
    };
    sqlx::query(update).bind(now).bind(message_id).bind(id).bind(ctx.broker.id).execute(&mut *conn).await?;
    let actor = Actor::user(user.role, user.id);
    record(conn, ctx.broker.id, actor, "message.sent", Some(Target("customer", customer_id)), ctx.ip).await?;
    let window = app_state()?.config.notice_window_secs;
    match side {
        Side::Office => notices::to_customer(conn, ctx.broker.id, customer_id, now, window).await?,
        Side::Customer => notices::to_office(conn, ctx.broker.id, assignee_id, now, window).await?,
    }
    Ok(message_id)
}

/// Attaches files uploaded for this message: only files held for a message, of this
/// customer's folder, sent by the writer's side, and not attached elsewhere.
async fn attach(
    conn: &mut AnyConnection,
    broker_id: i64,
    customer_id: i64,
    message_id: i64,
    ids: &[i64],
    side: Side,
) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let placeholders: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 5)).collect();
    let sql = format!(
        "UPDATE documents SET message_id = $1, held = 0
         WHERE broker_id = $2 AND customer_id = $3 AND uploaded_by = $4 AND held = 1 AND message_id IS NULL
           AND id IN ({})",
        placeholders.join(", ")
    );
    let mut query = sqlx::query(&sql)
        .bind(message_id)
        .bind(broker_id)
        .bind(customer_id)
        .bind(if side == Side::Office { "office" } else { "customer" });
    for id in ids {
        query = query.bind(*id);
    }
    let attached = query.execute(&mut *conn).await?.rows_affected();
    if attached != ids.len() as u64 {
        return Err(AppError::field("attachments", Problem::InvalidChoice));
    }
    Ok(())
}

pub async fn reply(id: i64, body: String, attachments: String) -> Result<i64> {
    let (ctx, user) = require_user()?;
    let state = app_state()?;
    let mut errors = FormErrors::default();
    let ids = attachment_ids(&mut errors, &attachments);
    let body = if ids.is_empty() {
        errors.required("body", &body, BODY_MAX_CHARS)
    } else {
        errors.optional("body", &body, BODY_MAX_CHARS)
    };
    let (body, ids) = errors.finish(Some((body, ids)))?;
    let mut tx = state.db.begin().await?;
    let meta = meta(&mut tx, &ctx, &user, id).await?;
    let message = NewMessage { body: &body, attachments: &ids };
    let message_id = post(&mut tx, &ctx, &user, id, meta.customer_id, meta.assignee_id, message).await?;
    tx.commit().await?;
    Ok(message_id)
}

pub async fn write(customer_id: i64, subject: String, body: String, attachments: String) -> Result<i64> {
    let (ctx, staff) = require_staff()?;
    let state = app_state()?;
    let mut errors = FormErrors::default();
    let subject = errors.required("subject", &subject, SUBJECT_MAX_CHARS);
    let body = errors.required("body", &body, BODY_MAX_CHARS);
    let ids = attachment_ids(&mut errors, &attachments);
    let (subject, body, ids) = errors.finish(Some((subject, body, ids)))?;
    let mut tx = state.db.begin().await?;
    let known: Option<i64> = sqlx::query_scalar("SELECT id FROM customers WHERE id = $1 AND broker_id = $2")
        .bind(customer_id)
        .bind(ctx.broker.id)
        .fetch_optional(&mut *tx)
        .await?;
    if known.is_none() {
        return Err(AppError::NotFound);
    }
    let now = now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO conversations (broker_id, customer_id, topic, subject, status, assignee_id, created_at, updated_at)
         VALUES ($1, $2, 'office', $3, 'open', $4, $5, $5) RETURNING id",
    )
    .bind(ctx.broker.id)
    .bind(customer_id)
    .bind(&subject)
    .bind(staff.id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let target = Some(Target("customer", customer_id));
    record(&mut tx, ctx.broker.id, Actor::Staff(staff.id), "conversation.started", target, ctx.ip).await?;
    let message = NewMessage { body: &body, attachments: &ids };
    post(&mut tx, &ctx, &staff, id, customer_id, Some(staff.id), message).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/office/messages/{id}"));
    Ok(id)
}

pub async fn inbox(filter: InboxFilter) -> Result<Inbox> {
    let (ctx, staff) = require_staff()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    let like = ilike(&conn);
    let status = match filter.status.as_str() {
        "" | "all" => String::new(),
        "active" => "active".to_owned(),
        s => Status::parse(s)
            .ok_or_else(|| AppError::field("status", Problem::InvalidChoice))?
            .as_str()
            .to_owned(),
    };
    let topic = match filter.topic.as_str() {
        "" => "",
        s => Topic::parse(s).ok_or_else(|| AppError::field("topic", Problem::InvalidChoice))?.as_str(),
    };
    // 0: anyone, -1: nobody, else the colleague's id.
    let assignee: i64 = match filter.assignee.as_str() {
        "" => 0,
        "none" => -1,
        "me" => staff.id,
        s => s.parse().map_err(|_| AppError::field("assignee", Problem::InvalidChoice))?,
    };
    let rows = sqlx::query(&format!(
        "{ROW_SELECT}
         WHERE v.broker_id = $1
           AND ($2 = '' OR v.status = $2 OR ($2 = 'active' AND v.status <> 'done'))
           AND ($3 = '' OR v.topic = $3)
           AND ($4 = 0 OR ($4 = -1 AND v.assignee_id IS NULL) OR v.assignee_id = $4)
           AND ($5 = '%%' OR c.first_name {like} $5 OR c.last_name {like} $5 OR c.company_name {like} $5
                OR (c.first_name || ' ' || c.last_name) {like} $5)
         ORDER BY CASE WHEN v.last_customer_message > v.office_read THEN 0 ELSE 1 END, v.updated_at DESC, v.id DESC
         LIMIT $6 OFFSET $7"
    ))
    .bind(ctx.broker.id)
    .bind(&status)
    .bind(topic)
    .bind(assignee)
    .bind(contains_pattern(&filter.customer))
    .bind(i64::try_from(INBOX_PAGE + 1).unwrap_or(101))
    .bind(i64::from(filter.page.min(10_000)) * i64::try_from(INBOX_PAGE).unwrap_or(100))
    .fetch_all(&mut *conn)
    .await?;
    let mut rows = rows.iter().map(|r| row_of(r, Side::Office)).collect::<Result<Vec<_>, _>>()?;
    let more = rows.len() > INBOX_PAGE;
    rows.truncate(INBOX_PAGE);
    let counts = sqlx::query(
        "SELECT CAST(COALESCE(SUM(CASE WHEN last_customer_message > office_read THEN 1 ELSE 0 END), 0) AS BIGINT),
                CAST(COALESCE(SUM(CASE WHEN status = 'new' THEN 1 ELSE 0 END), 0) AS BIGINT),
                CAST(COALESCE(SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END), 0) AS BIGINT)
         FROM conversations WHERE broker_id = $1",
    )
    .bind(ctx.broker.id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Inbox { rows, more, unread: counts.try_get(0)?, new: counts.try_get(1)?, open: counts.try_get(2)? })
}

pub async fn colleagues() -> Result<Vec<Colleague>> {
    let (ctx, _staff) = require_staff()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    let rows = sqlx::query(
        "SELECT id, display_name FROM users WHERE broker_id = $1 AND role IN ('owner', 'employee')
         ORDER BY display_name, id",
    )
    .bind(ctx.broker.id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| Ok(Colleague { id: r.try_get(0)?, name: r.try_get(1)? }))
        .collect::<Result<_, sqlx::Error>>()
        .map_err(AppError::from)
}

pub async fn assign(id: i64, assignee: String) -> Result<()> {
    let (ctx, staff) = require_staff()?;
    let state = app_state()?;
    let mut tx = state.db.begin().await?;
    let meta = meta(&mut tx, &ctx, &staff, id).await?;
    let assignee_id = match assignee.trim() {
        "" => None,
        s => {
            let id = s.parse::<i64>().ok();
            let colleague: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM users WHERE id = $1 AND broker_id = $2 AND role IN ('owner', 'employee')",
            )
            .bind(id.unwrap_or(0))
            .bind(ctx.broker.id)
            .fetch_optional(&mut *tx)
            .await?;
            Some(colleague.ok_or_else(|| AppError::field("assignee", Problem::InvalidChoice))?)
        }
    };
    sqlx::query(
        "UPDATE conversations SET assignee_id = $1, status = CASE WHEN status = 'new' THEN 'open' ELSE status END
         WHERE id = $2 AND broker_id = $3",
    )
    .bind(assignee_id)
    .bind(id)
    .bind(ctx.broker.id)
    .execute(&mut *tx)
    .await?;
    let target = Some(Target("customer", meta.customer_id));
    record(&mut tx, ctx.broker.id, Actor::Staff(staff.id), "conversation.assigned", target, ctx.ip).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn set_status(id: i64, status: String) -> Result<()> {
    let (ctx, staff) = require_staff()?;
    let state = app_state()?;
    let (status, action) = match status.as_str() {
        "done" => (Status::Done, "conversation.closed"),
        "open" => (Status::Open, "conversation.reopened"),
        _ => return Err(AppError::field("status", Problem::InvalidChoice)),
    };
    let mut tx = state.db.begin().await?;
    let meta = meta(&mut tx, &ctx, &staff, id).await?;
    if meta.status != status {
        sqlx::query("UPDATE conversations SET status = $1, updated_at = $2 WHERE id = $3 AND broker_id = $4")
            .bind(status.as_str())
            .bind(now())
            .bind(id)
            .bind(ctx.broker.id)
            .execute(&mut *tx)
            .await?;
        let target = Some(Target("customer", meta.customer_id));
        record(&mut tx, ctx.broker.id, Actor::Staff(staff.id), action, target, ctx.ip).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Takes a change request over into the customer's record. The trail then shows the request
/// by the customer and its application by this staff member (R1.2).
pub async fn apply(id: i64, change: Compose) -> Result<()> {
    let (ctx, staff) = require_staff()?;
    let state = app_state()?;
    let mut tx = state.db.begin().await?;
    let meta = meta(&mut tx, &ctx, &staff, id).await?;
    if !meta.topic.is_change() {
        return Err(AppError::field("topic", Problem::InvalidChoice));
    }
    if meta.applied_at.is_some() {
        return Err(AppError::field("apply", Problem::AlreadyApplied));
    }
    let now = now();
    match parse_change(meta.topic, &change)? {
        Details::Address { street, postal_code, city, country, .. } => {
            sqlx::query(
                "UPDATE customers SET street = $1, postal_code = $2, city = $3, country = $4, updated_at = $5
                 WHERE id = $6 AND broker_id = $7",
            )
            .bind(street)
            .bind(postal_code)
            .bind(city)
            .bind(country)
            .bind(now)
            .bind(meta.customer_id)
            .bind(ctx.broker.id)
            .execute(&mut *tx)
            .await?;
        }
        Details::Bank { account_holder, iban, .. } => {
            sqlx::query(
                "UPDATE customers SET account_holder = $1, iban = $2, updated_at = $3 WHERE id = $4 AND broker_id = $5",
            )
            .bind(account_holder)
            .bind(iban)
            .bind(now)
            .bind(meta.customer_id)
            .bind(ctx.broker.id)
            .execute(&mut *tx)
            .await?;
        }
        _ => return Err(AppError::field("topic", Problem::InvalidChoice)),
    }
    sqlx::query(
        "UPDATE conversations SET applied_at = $1, applied_by = $2, status = 'done', updated_at = $1
         WHERE id = $3 AND broker_id = $4",
    )
    .bind(now)
    .bind(staff.id)
    .bind(id)
    .bind(ctx.broker.id)
    .execute(&mut *tx)
    .await?;
    let target = Some(Target("customer", meta.customer_id));
    record(&mut tx, ctx.broker.id, Actor::Staff(staff.id), "change.applied", target, ctx.ip).await?;
    tx.commit().await?;
    Ok(())
}

/// A conversation as the REST API reports it: its row, contract, details and the messages
/// written since the moment asked for.
pub struct Changed {
    pub row: ConversationRow,
    pub customer_external_id: Option<String>,
    pub contract_external_id: Option<String>,
    pub details: Details,
    pub messages: Vec<Message>,
}

/// Conversations changed since a moment, with the messages written since, for the REST API.
pub async fn changed_since(conn: &mut AnyConnection, broker_id: i64, since: i64) -> Result<Vec<Changed>> {
    let rows = sqlx::query(&format!(
        "{ROW_SELECT} WHERE v.broker_id = $1 AND v.updated_at >= $2 ORDER BY v.updated_at, v.id LIMIT 1000"
    ))
    .bind(broker_id)
    .bind(since)
    .fetch_all(&mut *conn)
    .await?;
    let mut messages = load_messages(conn, broker_id, 0, since).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let details: String = row.try_get(18)?;
        let conversation = row_of(row, Side::Office)?;
        let (mine, rest): (Vec<_>, Vec<_>) = messages.into_iter().partition(|(c, _)| *c == conversation.id);
        messages = rest;
        out.push(Changed {
            customer_external_id: row.try_get(19)?,
            contract_external_id: row.try_get(20)?,
            details: serde_json::from_str(&details).unwrap_or_default(),
            messages: mine.into_iter().map(|(_, m)| m).collect(),
            row: conversation,
        });
    }
    Ok(out)
}

/// Removes a file uploaded for a message that was not sent (the person took it out again).
pub async fn discard(document_id: i64) -> Result<()> {
    let (ctx, user) = require_user()?;
    let state = app_state()?;
    let (customer_filter, uploaded_by) = match Side::of(&user) {
        Side::Customer => (customer_of(&user)?, "customer"),
        Side::Office => (0, "office"),
    };
    let row = sqlx::query(
        "DELETE FROM documents
         WHERE id = $1 AND broker_id = $2 AND held = 1 AND message_id IS NULL AND uploaded_by = $3
           AND ($4 = 0 OR customer_id = $4)
         RETURNING blob, preview_blob",
    )
    .bind(document_id)
    .bind(ctx.broker.id)
    .bind(uploaded_by)
    .bind(customer_filter)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let blobs = crate::documents::store::BlobStore::new(&state.config.data_dir);
    blobs.remove(&row.try_get::<String, _>(0)?).await;
    if let Some(preview) = row.try_get::<Option<String>, _>(1)? {
        blobs.remove(&preview).await;
    }
    Ok(())
}

/// Files uploaded for messages and never sent are removed after a day.
pub async fn sweep_held(state: &crate::state::AppState) -> Result<()> {
    let rows = sqlx::query(
        "DELETE FROM documents WHERE held = 1 AND message_id IS NULL AND created_at < $1 RETURNING blob, preview_blob",
    )
    .bind(now() - 86_400)
    .fetch_all(&state.db.pool)
    .await?;
    let blobs = crate::documents::store::BlobStore::new(&state.config.data_dir);
    for row in rows {
        blobs.remove(&row.try_get::<String, _>(0)?).await;
        if let Some(preview) = row.try_get::<Option<String>, _>(1)? {
            blobs.remove(&preview).await;
        }
    }
    Ok(())
}
