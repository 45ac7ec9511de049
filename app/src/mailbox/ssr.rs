//! The `conversations` and `messages` tables. Every query names the broker; on the customer's
//! side a conversation exists only for whom `Reader::may_read` allows (the folder's holder,
//! or the person with a grant who started it). A message, its attachments, its audit entries
//! and the notice it causes are written in one transaction.

use sqlx::AnyConnection;

use super::rules::{
    attachment_ids, check_draft, concerns_health, customer_topic, parse_change, parse_compose, BODY_MAX_CHARS,
};
use super::{drafts, notices};
use super::{
    Attachment, Colleague, Compose, Consent, Conversation, ConversationRow, CurrentRecord, Details, Inbox,
    InboxFilter, Message, Status, Topic, INBOX_PAGE,
};
use crate::access::rules::{FolderAccess, Item};
use crate::audit::ssr::{record, Actor, Source, Target};
use crate::auth::{accounts, SessionUser};
use crate::db::{contains_pattern, ilike, now, today};
use crate::error::{AppError, FormErrors, Problem, Result};
use crate::ids::{BrokerId, ContractId, ConversationId, CustomerId, DocumentId, MessageId, UserId};
use crate::request::{app_state, require_staff, require_user, RequestCtx};

/// How long an office's subject may be.
pub const SUBJECT_MAX_CHARS: usize = 200;

/// The office's unanswered conversations of broker `$1`, written as the index
/// `conversations_office_queue` (migration 0007) has it, so the count is read off that index.
const OFFICE_UNREAD: &str = "broker_id = $1 AND (last_customer_message > office_read) = TRUE";

const ROW_SELECT: &str = "SELECT v.id, v.topic, v.subject, COALESCE(p.name, l.name) AS contract_label,
        k.policy_number, v.customer_id, c.first_name, c.last_name, c.company_name, v.status, v.assignee_id,
        u.display_name AS assignee_name, v.updated_at, v.last_customer_message, v.last_office_message,
        v.customer_read, v.office_read, v.contract_id, v.details, c.external_id AS customer_external_id,
        k.external_id AS contract_external_id, v.health_consent_at, v.health_consent_withdrawn_at, v.applied_at, a.display_name AS applied_by_name,
        v.grantee_id, g.display_name AS grantee_name, c.locked_at
     FROM conversations v
     JOIN customers c ON c.id = v.customer_id AND c.broker_id = v.broker_id
     LEFT JOIN contracts k ON k.id = v.contract_id AND k.broker_id = v.broker_id
     LEFT JOIN lines l ON l.id = k.line_id AND l.broker_id = v.broker_id
     LEFT JOIN products p ON p.id = k.product_id AND p.broker_id = v.broker_id
     LEFT JOIN users u ON u.id = v.assignee_id AND u.broker_id = v.broker_id
     LEFT JOIN users a ON a.id = v.applied_by AND a.broker_id = v.broker_id
     LEFT JOIN users g ON g.id = v.grantee_id AND g.broker_id = v.broker_id";

#[derive(sqlx::FromRow)]
struct Row {
    id: ConversationId,
    topic: String,
    subject: String,
    contract_label: Option<String>,
    policy_number: Option<String>,
    customer_id: CustomerId,
    first_name: String,
    last_name: String,
    company_name: Option<String>,
    status: String,
    assignee_id: Option<UserId>,
    assignee_name: Option<String>,
    updated_at: i64,
    last_customer_message: i64,
    last_office_message: i64,
    customer_read: i64,
    office_read: i64,
    contract_id: Option<ContractId>,
    details: String,
    customer_external_id: Option<String>,
    contract_external_id: Option<String>,
    health_consent_at: Option<i64>,
    health_consent_withdrawn_at: Option<i64>,
    applied_at: Option<i64>,
    applied_by_name: Option<String>,
    grantee_id: Option<UserId>,
    grantee_name: Option<String>,
    /// The folder's lock on erasure ([`crate::customers::ssr::staff_opens`]).
    locked_at: Option<i64>,
}

/// Which side reads: the customer's or the office.
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

    fn uploaded_by(self) -> &'static str {
        match self {
            Side::Office => "office",
            Side::Customer => "customer",
        }
    }
}

impl Row {
    fn item(&self) -> Item {
        Item::Conversation(self.grantee_id)
    }

    fn details(&self) -> Details {
        serde_json::from_str(&self.details).unwrap_or_default()
    }

    /// The conversation with its messages, as a side sees it.
    fn whole(
        self,
        row: ConversationRow,
        messages: Vec<Message>,
        current: Option<CurrentRecord>,
    ) -> Conversation {
        Conversation {
            row,
            contract_id: self.contract_id,
            details: self.details(),
            health_consent_at: self.health_consent_at,
            health_consent_withdrawn_at: self.health_consent_withdrawn_at,
            applied_at: self.applied_at,
            applied_by: self.applied_by_name,
            messages,
            current,
        }
    }

    fn to_row(&self, side: Side) -> ConversationRow {
        ConversationRow {
            id: self.id,
            topic: Topic::parse(&self.topic).unwrap_or(Topic::Question),
            subject: self.subject.clone(),
            contract_label: self.contract_label.clone().map(|l| match self.policy_number.as_deref() {
                Some(p) if !p.is_empty() => format!("{l} · {p}"),
                _ => l,
            }),
            customer_id: self.customer_id,
            customer_name: self
                .company_name
                .clone()
                .filter(|c| !c.is_empty())
                .unwrap_or_else(|| format!("{} {}", self.first_name, self.last_name)),
            person_name: self.grantee_name.clone(),
            status: Status::parse(&self.status).unwrap_or(Status::Open),
            assignee_id: self.assignee_id,
            assignee_name: self.assignee_name.clone(),
            updated_at: self.updated_at,
            unread: match side {
                Side::Customer => self.last_office_message > self.customer_read,
                Side::Office => self.last_customer_message > self.office_read,
            },
        }
    }
}

/// The conversations of a folder, the latest activity first.
async fn of_folder(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    customer_id: CustomerId,
) -> Result<Vec<Row>> {
    Ok(sqlx::query_as(&format!(
        "{ROW_SELECT} WHERE v.broker_id = $1 AND v.customer_id = $2 ORDER BY v.updated_at DESC, v.id DESC LIMIT 500"
    ))
    .bind(broker_id)
    .bind(customer_id)
    .fetch_all(conn)
    .await?)
}

async fn one(conn: &mut AnyConnection, broker_id: BrokerId, id: ConversationId) -> Result<Option<Row>> {
    Ok(sqlx::query_as(&format!("{ROW_SELECT} WHERE v.id = $1 AND v.broker_id = $2"))
        .bind(id)
        .bind(broker_id)
        .fetch_optional(conn)
        .await?)
}

/// The conversation, if the signed-in person may see it: the broker's office any of the
/// broker's, someone on the customer's side what the access decision allows. To everyone
/// else it does not exist.
async fn readable(
    conn: &mut AnyConnection,
    ctx: &RequestCtx,
    user: &SessionUser,
    id: ConversationId,
) -> Result<Row> {
    let row = one(conn, ctx.broker.id, id).await?.ok_or(AppError::NotFound)?;
    if !user.reader().may_read(row.customer_id, row.item()) {
        return Err(AppError::NotFound);
    }
    if user.role.is_staff() {
        crate::customers::ssr::staff_opens(user.role, row.locked_at)?;
    }
    Ok(row)
}

pub async fn mine() -> Result<Vec<ConversationRow>> {
    let (ctx, user) = require_user()?;
    let folder = user.folder()?.customer_id;
    let reader = user.reader();
    let mut conn = app_state()?.db.pool.acquire().await?;
    let rows = of_folder(&mut conn, ctx.broker.id, folder).await?;
    Ok(rows.iter().filter(|r| reader.may_read(folder, r.item())).map(|r| r.to_row(Side::Customer)).collect())
}

/// Whether this person gave the consent of a conversation: they started it on a grant, or
/// it is the holder's and they act for the holder.
fn gave_consent(user: &SessionUser, row: &Row) -> bool {
    match row.grantee_id {
        Some(grantee) => grantee == user.id,
        None => user.reader().folder(row.customer_id).is_some_and(FolderAccess::acts_for_holder),
    }
}

/// The consents this person gave in the current folder, newest first (R4.3).
pub async fn consents() -> Result<Vec<Consent>> {
    let (ctx, user) = require_user()?;
    let folder = user.folder()?.customer_id;
    let mut conn = app_state()?.db.pool.acquire().await?;
    let rows = of_folder(&mut conn, ctx.broker.id, folder).await?;
    let mut consents: Vec<Consent> = rows
        .iter()
        .filter(|r| gave_consent(&user, r))
        .filter_map(|r| {
            r.health_consent_at.map(|given_at| Consent {
                conversation: r.to_row(Side::Customer),
                given_at,
                withdrawn_at: r.health_consent_withdrawn_at,
            })
        })
        .collect();
    consents.sort_by_key(|c| std::cmp::Reverse(c.given_at));
    Ok(consents)
}

/// Withdraws a consent this person gave. The office finds the conversation unread again, with
/// the withdrawal on it; the trail records it.
pub async fn withdraw_consent(id: ConversationId) -> Result<()> {
    let (ctx, user) = require_user()?;
    let mut tx = app_state()?.db.begin().await?;
    let row = readable(&mut tx, &ctx, &user, id).await?;
    // Staff gave no consent: they read every folder but act for none.
    if !gave_consent(&user, &row) || row.health_consent_at.is_none() {
        return Err(AppError::NotFound);
    }
    let now = now();
    let done = sqlx::query(
        "UPDATE conversations SET health_consent_withdrawn_at = $1, last_customer_message = $1, updated_at = $1
         WHERE id = $2 AND broker_id = $3 AND health_consent_withdrawn_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .bind(ctx.broker.id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 1 {
        record(
            &mut tx,
            ctx.broker.id,
            Actor::Customer(user.id),
            "health_consent.withdrawn",
            Some(Target::Customer(row.customer_id)),
            ctx.ip,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn unread() -> Result<i64> {
    let (ctx, user) = require_user()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    if Side::of(&user) == Side::Office {
        return Ok(sqlx::query_scalar(&format!("SELECT COUNT(*) FROM conversations WHERE {OFFICE_UNREAD}"))
            .bind(ctx.broker.id)
            .fetch_one(&mut *conn)
            .await?);
    }
    #[derive(sqlx::FromRow)]
    struct Unread {
        grantee_id: Option<UserId>,
    }
    let folder = user.folder()?.customer_id;
    let reader = user.reader();
    let unread: Vec<Unread> = sqlx::query_as(
        "SELECT grantee_id FROM conversations
         WHERE broker_id = $1 AND customer_id = $2 AND last_office_message > customer_read",
    )
    .bind(ctx.broker.id)
    .bind(folder)
    .fetch_all(&mut *conn)
    .await?;
    let visible = unread.iter().filter(|u| reader.may_read(folder, Item::Conversation(u.grantee_id))).count();
    Ok(i64::try_from(visible).unwrap_or(i64::MAX))
}

/// One conversation as its side sees it. Reading changes nothing: marking it read (and, for
/// the office, recording the look) is [`mark_read`], which the page asks for once it shows it,
/// so a mere link-follow or prefetch leaves no trace.
pub async fn show(id: ConversationId) -> Result<Conversation> {
    let (ctx, user) = require_user()?;
    let side = Side::of(&user);
    let state = app_state()?;
    let mut tx = state.db.pool.begin().await?;
    let found = readable(&mut tx, &ctx, &user, id).await?;
    let row = found.to_row(side);
    let messages = messages_of(&mut tx, ctx.broker.id, id).await?;
    let current = match side {
        Side::Office => Some(current_record(&mut tx, ctx.broker.id, row.customer_id).await?),
        Side::Customer => None,
    };
    tx.commit().await?;
    Ok(found.whole(row, messages, current))
}

/// A folder's conversations as `reader` may see them, each whole (messages with attachments,
/// change request, consent), oldest first: for a person's copy of their data (Art. 15).
/// With `took_part`, only those that person started on a grant or wrote in.
pub async fn whole_of_folder(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    reader: &crate::access::rules::Reader,
    customer_id: CustomerId,
    took_part: Option<UserId>,
) -> Result<Vec<Conversation>> {
    let mut rows = of_folder(conn, broker_id, customer_id).await?;
    let wrote_in: Vec<ConversationId> = match took_part {
        Some(user) => {
            sqlx::query_scalar(
                "SELECT DISTINCT m.conversation_id FROM messages m
             JOIN conversations v ON v.id = m.conversation_id AND v.broker_id = m.broker_id
             WHERE m.broker_id = $1 AND v.customer_id = $2 AND m.author_id = $3",
            )
            .bind(broker_id)
            .bind(customer_id)
            .bind(user)
            .fetch_all(&mut *conn)
            .await?
        }
        None => Vec::new(),
    };
    rows.retain(|r| {
        reader.may_read(customer_id, r.item())
            && took_part.is_none_or(|u| r.grantee_id == Some(u) || wrote_in.contains(&r.id))
    });
    rows.reverse();
    let mut whole = Vec::with_capacity(rows.len());
    for found in rows {
        let messages = messages_of(conn, broker_id, found.id).await?;
        let row = found.to_row(Side::Customer);
        whole.push(found.whole(row, messages, None));
    }
    Ok(whole)
}

/// Closes every conversation of a folder locked on erasure and marks it read for the office,
/// so nothing of it waits in the inbox or its counts.
pub async fn close_folder(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    customer_id: CustomerId,
) -> Result<()> {
    sqlx::query(
        "UPDATE conversations SET status = 'done', office_read = last_customer_message
         WHERE broker_id = $1 AND customer_id = $2",
    )
    .bind(broker_id)
    .bind(customer_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes the conversations a person started on other people's folders through a grant
/// (their own questions), for erasing that person.
pub async fn erase_started_by(conn: &mut AnyConnection, broker_id: BrokerId, user_id: UserId) -> Result<()> {
    sqlx::query("DELETE FROM conversations WHERE broker_id = $1 AND grantee_id = $2")
        .bind(broker_id)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The page has shown a conversation: everything in it up to now is read for this side, and
/// the office's look is in the trail (R1.4).
pub async fn mark_read(id: ConversationId) -> Result<()> {
    let (ctx, user) = require_user()?;
    let side = Side::of(&user);
    let state = app_state()?;
    let mut tx = state.db.begin().await?;
    let found = readable(&mut tx, &ctx, &user, id).await?;
    let mark = match side {
        Side::Customer => {
            "UPDATE conversations SET customer_read = last_office_message WHERE id = $1 AND broker_id = $2"
        }
        Side::Office => {
            "UPDATE conversations SET office_read = last_customer_message WHERE id = $1 AND broker_id = $2"
        }
    };
    sqlx::query(mark).bind(id).bind(ctx.broker.id).execute(&mut *tx).await?;
    if side == Side::Office {
        let target = Some(Target::Customer(found.to_row(side).customer_id));
        record(&mut tx, ctx.broker.id, Actor::Staff(user.id), "conversation.opened", target, ctx.ip).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A conversation's messages, oldest first, with their attachments.
pub async fn messages_of(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    id: ConversationId,
) -> Result<Vec<Message>> {
    Ok(load_messages(conn, broker_id, Some(id), 0).await?.into_iter().map(|(_, m)| m).collect())
}

/// Messages written from `since` on, of one conversation or of all the broker's, oldest
/// first, with their attachments and the conversation's id.
async fn load_messages(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    conversation: Option<ConversationId>,
    since: i64,
) -> Result<Vec<(ConversationId, Message)>> {
    #[derive(sqlx::FromRow)]
    struct MessageRow {
        id: MessageId,
        sender: String,
        author_name: Option<String>,
        body: String,
        created_at: i64,
        conversation_id: ConversationId,
    }
    let rows: Vec<MessageRow> = sqlx::query_as(
        "SELECT m.id, m.sender, u.display_name AS author_name, m.body, m.created_at, m.conversation_id
         FROM messages m LEFT JOIN users u ON u.id = m.author_id AND u.broker_id = m.broker_id
         WHERE m.broker_id = $1 AND ($2 = 0 OR m.conversation_id = $2) AND m.created_at >= $3
         ORDER BY m.id LIMIT 5000",
    )
    .bind(broker_id)
    .bind(conversation.map_or(0, |c| c.0))
    .bind(since)
    .fetch_all(&mut *conn)
    .await?;
    let files = crate::documents::ssr::attachments(conn, broker_id, conversation, since).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let message = Message {
                id: r.id,
                from_customer: r.sender == "customer",
                author_name: r.author_name.unwrap_or_default(),
                body: r.body,
                created_at: r.created_at,
                attachments: files
                    .iter()
                    .filter(|f| f.message_id == r.id)
                    .map(|f| Attachment {
                        document_id: f.id,
                        title: f.title.clone(),
                        media_type: f.media_type.clone(),
                        size_bytes: f.size_bytes,
                    })
                    .collect(),
            };
            (r.conversation_id, message)
        })
        .collect())
}

async fn current_record(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    customer_id: CustomerId,
) -> Result<CurrentRecord> {
    let c = crate::customers::ssr::get(conn, broker_id, customer_id).await?;
    let address = c.address().unwrap_or_default();
    Ok(CurrentRecord {
        street: address.street,
        postal_code: address.postal_code,
        city: address.city,
        country: address.country,
        account_holder: c.account_holder.unwrap_or_default(),
        iban: c.iban.unwrap_or_default(),
    })
}

/// A new conversation on the customer's side, checked already.
struct Opening<'a> {
    topic: Topic,
    contract_id: Option<ContractId>,
    details: &'a Details,
    health_consent: bool,
    body: &'a str,
    attachments: &'a [DocumentId],
}

/// Opens a conversation in the folder the person looks at: the holder's (the policyholder
/// or a company's legal representative acting for it) or, for someone with a grant for some
/// contracts, their own, about those contracts, and only questions.
async fn open(
    conn: &mut AnyConnection,
    ctx: &RequestCtx,
    user: &SessionUser,
    folder: &FolderAccess,
    opening: Opening<'_>,
) -> Result<ConversationId> {
    let holder = folder.acts_for_holder();
    if !holder && opening.topic != Topic::Question {
        return Err(AppError::field("topic", Problem::InvalidChoice));
    }
    if !holder && !opening.attachments.is_empty() {
        return Err(AppError::field("attachments", Problem::InvalidChoice));
    }
    let customer_id = folder.customer_id;
    let mut health = false;
    if let Some(contract_id) = opening.contract_id {
        let line = crate::contracts::ssr::line_name(conn, ctx.broker.id, customer_id, contract_id)
            .await?
            .filter(|_| user.reader().may_read(customer_id, Item::Contract(contract_id)))
            .ok_or_else(|| AppError::field("contract_id", Problem::InvalidChoice))?;
        health = opening.topic == Topic::Claim && concerns_health(&line);
    }
    // A claim on a health, accident, disability or life contract carries health data: only
    // with the customer's recorded consent (R4.3).
    if health && !opening.health_consent {
        return Err(AppError::field("health_consent", Problem::ConsentRequired));
    }
    let now = now();
    let details = match opening.details {
        Details::None => String::new(),
        d => serde_json::to_string(d).map_err(AppError::internal)?,
    };
    let grantee = (!holder).then_some(user.id);
    let id: ConversationId = sqlx::query_scalar(
        "INSERT INTO conversations (broker_id, customer_id, topic, contract_id, status, details, health_consent_at,
             grantee_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 'new', $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(ctx.broker.id)
    .bind(customer_id)
    .bind(opening.topic.as_str())
    .bind(opening.contract_id)
    .bind(&details)
    .bind(health.then_some(now))
    .bind(grantee)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    let actor = Actor::Customer(user.id);
    let target = Some(Target::Customer(customer_id));
    record(conn, ctx.broker.id, actor, "conversation.started", target, ctx.ip).await?;
    if opening.topic.is_change() {
        record(conn, ctx.broker.id, actor, "change.requested", target, ctx.ip).await?;
    }
    if health {
        record(conn, ctx.broker.id, actor, "health_consent.given", target, ctx.ip).await?;
    }
    let message = NewMessage { body: opening.body, attachments: opening.attachments };
    let place = Place { id, customer_id, grantee, assignee_id: None };
    post(conn, ctx, user, &place, message).await?;
    Ok(id)
}

/// The draft of the person who writes for their current folder; staff keep none.
pub async fn load_draft(topic: Topic) -> Result<Compose> {
    let (ctx, user) = require_user()?;
    user.folder()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    drafts::load(&mut conn, ctx.broker.id, user.id, topic).await
}

pub async fn save_draft(draft: Compose) -> Result<()> {
    let (ctx, user) = require_user()?;
    user.folder()?;
    let topic =
        customer_topic(&draft.topic).ok_or_else(|| AppError::field("topic", Problem::InvalidChoice))?;
    check_draft(&draft)?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    drafts::save(&mut conn, ctx.broker.id, user.id, topic, &draft, now()).await
}

pub async fn start(compose: Compose) -> Result<ConversationId> {
    let (ctx, user) = require_user()?;
    let folder = user.folder()?.clone();
    let state = app_state()?;
    let parsed = parse_compose(&compose, &today())?;
    let mut tx = state.db.begin().await?;
    let opening = Opening {
        topic: parsed.topic,
        contract_id: parsed.contract_id,
        details: &parsed.details,
        health_consent: parsed.health_consent,
        body: &parsed.body,
        attachments: &parsed.attachments,
    };
    let id = open(&mut tx, &ctx, &user, &folder, opening).await?;
    drafts::discard(&mut tx, ctx.broker.id, user.id, parsed.topic).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/app/messages/{id}?sent=1"));
    Ok(id)
}

/// A question in the person's own words, opened for them (asking to end an access).
pub async fn open_question(
    conn: &mut AnyConnection,
    ctx: &RequestCtx,
    user: &SessionUser,
    folder: &FolderAccess,
    body: &str,
) -> Result<ConversationId> {
    let opening = Opening {
        topic: Topic::Question,
        contract_id: None,
        details: &Details::None,
        health_consent: false,
        body,
        attachments: &[],
    };
    open(conn, ctx, user, folder, opening).await
}

struct NewMessage<'a> {
    body: &'a str,
    attachments: &'a [DocumentId],
}

/// The conversation a message goes into, and who is on either side of it.
struct Place {
    id: ConversationId,
    customer_id: CustomerId,
    /// The person with a grant whose conversation it is, if not the holder's.
    grantee: Option<UserId>,
    assignee_id: Option<UserId>,
}

/// Writes a message into a conversation: attaches its files, moves the conversation on,
/// records it and lets the other side know. Inside the caller's transaction.
async fn post(
    conn: &mut AnyConnection,
    ctx: &RequestCtx,
    user: &SessionUser,
    place: &Place,
    message: NewMessage<'_>,
) -> Result<MessageId> {
    let side = Side::of(user);
    let now = now();
    let message_id: MessageId = sqlx::query_scalar(
        "INSERT INTO messages (broker_id, conversation_id, sender, author_id, body, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(ctx.broker.id)
    .bind(place.id)
    .bind(side.uploaded_by())
    .bind(user.id)
    .bind(message.body)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    crate::documents::ssr::attach(
        conn,
        ctx.broker.id,
        place.customer_id,
        message_id,
        message.attachments,
        side.uploaded_by(),
    )
    .await?;
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
    sqlx::query(update)
        .bind(now)
        .bind(message_id)
        .bind(place.id)
        .bind(ctx.broker.id)
        .execute(&mut *conn)
        .await?;
    let actor = Actor::user(user.role, user.id);
    record(conn, ctx.broker.id, actor, "message.sent", Some(Target::Customer(place.customer_id)), ctx.ip)
        .await?;
    let window = app_state()?.config.notice_window_secs;
    match side {
        Side::Office => {
            notices::to_customer(conn, ctx.broker.id, place.customer_id, place.grantee, now, window).await?;
        }
        Side::Customer => notices::to_office(conn, ctx.broker.id, place.assignee_id, now, window).await?,
    }
    Ok(message_id)
}

pub async fn reply(id: ConversationId, body: String, attachments: String) -> Result<MessageId> {
    let (ctx, user) = require_user()?;
    let state = app_state()?;
    let mut errors = FormErrors::default();
    let ids = attachment_ids(&mut errors, &attachments);
    let body = if ids.is_empty() {
        errors.required_lines("body", &body, BODY_MAX_CHARS)
    } else {
        errors.optional_lines("body", &body, BODY_MAX_CHARS)
    };
    let (body, ids) = errors.finish(Some((body, ids)))?;
    let mut tx = state.db.begin().await?;
    let row = readable(&mut tx, &ctx, &user, id).await?;
    // Only whoever may send files into the folder attaches them.
    let sends_files = user.role.is_staff()
        || user.reader().folder(row.customer_id).is_some_and(FolderAccess::acts_for_holder);
    if !ids.is_empty() && !sends_files {
        return Err(AppError::field("attachments", Problem::InvalidChoice));
    }
    let place =
        Place { id, customer_id: row.customer_id, grantee: row.grantee_id, assignee_id: row.assignee_id };
    let message_id =
        post(&mut tx, &ctx, &user, &place, NewMessage { body: &body, attachments: &ids }).await?;
    tx.commit().await?;
    Ok(message_id)
}

pub async fn write(
    customer_id: CustomerId,
    subject: String,
    body: String,
    attachments: String,
) -> Result<ConversationId> {
    let (ctx, staff) = require_staff()?;
    let state = app_state()?;
    let mut errors = FormErrors::default();
    let subject = errors.required("subject", &subject, SUBJECT_MAX_CHARS);
    let body = errors.required_lines("body", &body, BODY_MAX_CHARS);
    let ids = attachment_ids(&mut errors, &attachments);
    let (subject, body, ids) = errors.finish(Some((subject, body, ids)))?;
    let mut tx = state.db.begin().await?;
    crate::customers::ssr::staff_may_open(&mut tx, ctx.broker.id, staff.role, customer_id).await?;
    let now = now();
    let id: ConversationId = sqlx::query_scalar(
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
    let target = Some(Target::Customer(customer_id));
    record(&mut tx, ctx.broker.id, Actor::Staff(staff.id), "conversation.started", target, ctx.ip).await?;
    let place = Place { id, customer_id, grantee: None, assignee_id: Some(staff.id) };
    post(&mut tx, &ctx, &staff, &place, NewMessage { body: &body, attachments: &ids }).await?;
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
        "me" => staff.id.0,
        s => s.parse().map_err(|_| AppError::field("assignee", Problem::InvalidChoice))?,
    };
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{ROW_SELECT}
         WHERE v.broker_id = $1
           AND ($2 = '' OR v.status = $2 OR ($2 = 'active' AND v.status <> 'done'))
           AND ($3 = '' OR v.topic = $3)
           AND ($4 = 0 OR ($4 = -1 AND v.assignee_id IS NULL) OR v.assignee_id = $4)
           AND ($5 = '%%' OR c.first_name {like} $5 OR c.last_name {like} $5 OR c.company_name {like} $5
                OR (c.first_name || ' ' || c.last_name) {like} $5)
           AND (c.locked_at IS NULL OR $8 = 1)
         ORDER BY (v.last_customer_message > v.office_read) DESC, v.updated_at DESC, v.id DESC
         LIMIT $6 OFFSET $7"
    ))
    .bind(ctx.broker.id)
    .bind(&status)
    .bind(topic)
    .bind(assignee)
    .bind(contains_pattern(&filter.customer))
    .bind(i64::try_from(INBOX_PAGE + 1).unwrap_or(101))
    .bind(i64::from(filter.page.min(10_000)) * i64::try_from(INBOX_PAGE).unwrap_or(100))
    // A folder locked on erasure is for owners only, its conversations too.
    .bind(i64::from(staff.role == crate::auth::Role::Owner))
    .fetch_all(&mut *conn)
    .await?;
    let mut rows: Vec<ConversationRow> = rows.iter().map(|r| r.to_row(Side::Office)).collect();
    let more = rows.len() > INBOX_PAGE;
    rows.truncate(INBOX_PAGE);
    #[derive(sqlx::FromRow)]
    struct Counts {
        unread: i64,
        new: i64,
        open: i64,
    }
    // Each count is read off an index instead of every conversation.
    let counts: Counts = sqlx::query_as(&format!(
        "SELECT (SELECT COUNT(*) FROM conversations WHERE {OFFICE_UNREAD}) AS unread,
                (SELECT COUNT(*) FROM conversations WHERE broker_id = $1 AND status = 'new') AS new,
                (SELECT COUNT(*) FROM conversations WHERE broker_id = $1 AND status = 'open') AS open"
    ))
    .bind(ctx.broker.id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Inbox { rows, more, unread: counts.unread, new: counts.new, open: counts.open })
}

pub async fn colleagues() -> Result<Vec<Colleague>> {
    let (ctx, _staff) = require_staff()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    let staff = accounts::staff(&mut conn, ctx.broker.id).await?;
    Ok(staff.into_iter().map(|a| Colleague { id: a.id, name: a.display_name }).collect())
}

pub async fn assign(id: ConversationId, assignee: String) -> Result<()> {
    let (ctx, staff) = require_staff()?;
    let state = app_state()?;
    let mut tx = state.db.begin().await?;
    let row = readable(&mut tx, &ctx, &staff, id).await?;
    let assignee_id = match assignee.trim() {
        "" => None,
        s => {
            let colleague = match crate::ids::parse_id::<UserId>(s) {
                Some(user) => {
                    accounts::by_id(&mut tx, ctx.broker.id, user).await?.filter(|a| a.role.is_staff())
                }
                None => None,
            };
            Some(colleague.ok_or_else(|| AppError::field("assignee", Problem::InvalidChoice))?.id)
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
    let target = Some(Target::Customer(row.customer_id));
    record(&mut tx, ctx.broker.id, Actor::Staff(staff.id), "conversation.assigned", target, ctx.ip).await?;
    tx.commit().await?;
    Ok(())
}

/// A colleague leaves: what was assigned to them goes back to the shared inbox.
pub async fn unassign_all(conn: &mut AnyConnection, broker_id: BrokerId, user_id: UserId) -> Result<()> {
    sqlx::query("UPDATE conversations SET assignee_id = NULL WHERE broker_id = $1 AND assignee_id = $2")
        .bind(broker_id)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_status(id: ConversationId, status: String) -> Result<()> {
    let (ctx, staff) = require_staff()?;
    let state = app_state()?;
    let (status, action) = match status.as_str() {
        "done" => (Status::Done, "conversation.closed"),
        "open" => (Status::Open, "conversation.reopened"),
        _ => return Err(AppError::field("status", Problem::InvalidChoice)),
    };
    let mut tx = state.db.begin().await?;
    let row = readable(&mut tx, &ctx, &staff, id).await?;
    if Status::parse(&row.status) != Some(status) {
        sqlx::query("UPDATE conversations SET status = $1, updated_at = $2 WHERE id = $3 AND broker_id = $4")
            .bind(status.as_str())
            .bind(now())
            .bind(id)
            .bind(ctx.broker.id)
            .execute(&mut *tx)
            .await?;
        let target = Some(Target::Customer(row.customer_id));
        record(&mut tx, ctx.broker.id, Actor::Staff(staff.id), action, target, ctx.ip).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Takes a change request over into the customer's record. The trail then shows the request
/// by the customer and its application by this staff member (R1.2).
pub async fn apply(id: ConversationId, change: Compose) -> Result<()> {
    let (ctx, staff) = require_staff()?;
    let state = app_state()?;
    let mut tx = state.db.begin().await?;
    let row = readable(&mut tx, &ctx, &staff, id).await?;
    let topic = Topic::parse(&row.topic).unwrap_or(Topic::Question);
    if !topic.is_change() {
        return Err(AppError::field("topic", Problem::InvalidChoice));
    }
    if row.applied_at.is_some() {
        return Err(AppError::field("apply", Problem::AlreadyApplied));
    }
    match parse_change(topic, &change)? {
        Details::Address { street, postal_code, city, country, .. } => {
            let address = crate::customers::Address { street, postal_code, city, country };
            let source = Source::ChangeRequest(id);
            crate::customers::ssr::set_address(&mut tx, ctx.broker.id, row.customer_id, &address, source)
                .await?;
        }
        Details::Bank { account_holder, iban, .. } => {
            let source = Source::ChangeRequest(id);
            crate::customers::ssr::set_bank(
                &mut tx,
                ctx.broker.id,
                row.customer_id,
                &account_holder,
                &iban,
                source,
            )
            .await?;
        }
        _ => return Err(AppError::field("topic", Problem::InvalidChoice)),
    }
    let now = now();
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
    let target = Some(Target::Customer(row.customer_id));
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
pub async fn changed_since(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    since: i64,
) -> Result<Vec<Changed>> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{ROW_SELECT} WHERE v.broker_id = $1 AND v.updated_at >= $2 ORDER BY v.updated_at, v.id LIMIT 1000"
    ))
    .bind(broker_id)
    .bind(since)
    .fetch_all(&mut *conn)
    .await?;
    let mut messages = load_messages(conn, broker_id, None, since).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let conversation = row.to_row(Side::Office);
        let (mine, rest): (Vec<_>, Vec<_>) = messages.into_iter().partition(|(c, _)| *c == conversation.id);
        messages = rest;
        out.push(Changed {
            details: row.details(),
            customer_external_id: row.customer_external_id,
            contract_external_id: row.contract_external_id,
            messages: mine.into_iter().map(|(_, m)| m).collect(),
            row: conversation,
        });
    }
    Ok(out)
}

/// A conversation as the demo (or an import) brings it: written in the past, by people who
/// exist, with its read state.
pub struct Seed<'a> {
    pub customer_id: CustomerId,
    pub topic: Topic,
    pub subject: &'a str,
    pub contract_id: Option<ContractId>,
    pub details: &'a Details,
    pub status: Status,
    pub grantee: Option<UserId>,
    pub assignee: Option<UserId>,
    /// From the customer's side (`true`) or the office, who, what, when (Unix seconds).
    pub messages: &'a [(bool, UserId, &'a str, i64)],
    /// Whether each side has read everything so far.
    pub customer_read: bool,
    pub office_read: bool,
}

/// Writes a whole conversation at once, without notices (nobody needs telling about the past).
pub async fn seed(conn: &mut AnyConnection, broker_id: BrokerId, seed: &Seed<'_>) -> Result<ConversationId> {
    let created = seed.messages.first().map_or_else(now, |m| m.3);
    let details = match seed.details {
        Details::None => String::new(),
        d => serde_json::to_string(d).map_err(AppError::internal)?,
    };
    let id: ConversationId = sqlx::query_scalar(
        "INSERT INTO conversations (broker_id, customer_id, topic, subject, contract_id, status, details, grantee_id,
             assignee_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(broker_id)
    .bind(seed.customer_id)
    .bind(seed.topic.as_str())
    .bind(seed.subject)
    .bind(seed.contract_id)
    .bind(seed.status.as_str())
    .bind(&details)
    .bind(seed.grantee)
    .bind(seed.assignee)
    .bind(created)
    .fetch_one(&mut *conn)
    .await?;
    let (mut last_customer, mut last_office, mut updated) = (0_i64, 0_i64, created);
    for (from_customer, author, body, at) in seed.messages {
        let message: MessageId = sqlx::query_scalar(
            "INSERT INTO messages (broker_id, conversation_id, sender, author_id, body, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(broker_id)
        .bind(id)
        .bind(if *from_customer { "customer" } else { "office" })
        .bind(*author)
        .bind(*body)
        .bind(*at)
        .fetch_one(&mut *conn)
        .await?;
        if *from_customer {
            last_customer = message.0;
        } else {
            last_office = message.0;
        }
        updated = *at;
    }
    sqlx::query(
        "UPDATE conversations SET last_customer_message = $1, last_office_message = $2, customer_read = $3,
             office_read = $4, updated_at = $5
         WHERE id = $6 AND broker_id = $7",
    )
    .bind(last_customer)
    .bind(last_office)
    .bind(if seed.customer_read { last_office } else { 0 })
    .bind(if seed.office_read { last_customer } else { 0 })
    .bind(updated)
    .bind(id)
    .bind(broker_id)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// Whether a folder has any conversation yet.
pub async fn any_in_folder(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    customer_id: CustomerId,
) -> Result<bool> {
    let found: Option<ConversationId> =
        sqlx::query_scalar("SELECT id FROM conversations WHERE broker_id = $1 AND customer_id = $2 LIMIT 1")
            .bind(broker_id)
            .bind(customer_id)
            .fetch_optional(conn)
            .await?;
    Ok(found.is_some())
}

/// Removes a file uploaded for a message that was not sent (the person took it out again).
pub async fn discard(document_id: DocumentId) -> Result<()> {
    let (ctx, user) = require_user()?;
    let state = app_state()?;
    let (side, folder) = match Side::of(&user) {
        Side::Customer => (Side::Customer, Some(user.folder()?.customer_id)),
        Side::Office => (Side::Office, None),
    };
    crate::documents::ssr::discard_held(&state, ctx.broker.id, document_id, side.uploaded_by(), folder).await
}
