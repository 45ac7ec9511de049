//! The `documents` table: lists for the customer's side (as far as the access decision
//! allows) and the office, recording an upload, attaching files to messages, deleting, the
//! broker's storage usage. Every query names the broker.

use std::net::IpAddr;

use sqlx::AnyConnection;

use super::store::{BlobStore, TempBlob};
use super::{DocumentRow, Kind, Usage};
use crate::access::rules::{ConversationOwner, Item, Reader};
use crate::audit::ssr::{record, Actor, Source, Target};
use crate::db::{contains_pattern, ilike, now};
use crate::error::{AppError, Problem, Result};
use crate::ids::{BrokerId, ContractId, ConversationId, CustomerId, DocumentId, MessageId, UserId};
use crate::request::{app_state, require_staff, require_user};

const ROW_COLUMNS: &str = "d.id, d.title, d.kind, d.media_type, d.size_bytes, d.created_at,
     d.contract_id, COALESCE(p.name, l.name) AS contract_label, c.policy_number, d.uploaded_by,
     d.message_id, v.grantee_id";
const ROW_JOINS: &str = "FROM documents d
     LEFT JOIN contracts c ON c.id = d.contract_id AND c.broker_id = d.broker_id
     LEFT JOIN lines l ON l.id = c.line_id AND l.broker_id = d.broker_id
     LEFT JOIN products p ON p.id = c.product_id AND p.broker_id = d.broker_id
     LEFT JOIN messages m ON m.id = d.message_id AND m.broker_id = d.broker_id
     LEFT JOIN conversations v ON v.id = m.conversation_id AND v.broker_id = d.broker_id";

#[derive(sqlx::FromRow)]
struct Row {
    id: DocumentId,
    title: String,
    kind: String,
    media_type: String,
    size_bytes: i64,
    created_at: i64,
    contract_id: Option<ContractId>,
    contract_label: Option<String>,
    policy_number: Option<String>,
    uploaded_by: String,
    message_id: Option<MessageId>,
    grantee_id: Option<UserId>,
}

impl Row {
    /// What the access decision needs to know about this document.
    fn item(&self) -> Item {
        Item::Document { id: self.id, contract: self.contract_id, conversation: self.conversation() }
    }

    /// Whose conversation the document is attached to, if it is attached to one.
    fn conversation(&self) -> Option<ConversationOwner> {
        self.message_id.map(|_| self.grantee_id)
    }

    fn into_document(self) -> DocumentRow {
        DocumentRow {
            id: self.id,
            title: self.title,
            kind: Kind::parse(&self.kind).unwrap_or(Kind::Other),
            media_type: self.media_type,
            size_bytes: self.size_bytes,
            created_at: self.created_at,
            contract_id: self.contract_id,
            contract_label: self.contract_label.map(|l| match self.policy_number.filter(|p| !p.is_empty()) {
                Some(p) => format!("{l} · {p}"),
                None => l,
            }),
            from_customer: self.uploaded_by == "customer",
        }
    }
}

/// A folder's documents (not those held for a message not yet sent), newest first.
async fn rows(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    customer_id: CustomerId,
    contract_id: Option<ContractId>,
    kind: Option<Kind>,
    query: &str,
) -> Result<Vec<Row>> {
    let like = ilike(conn);
    Ok(sqlx::query_as(&format!(
        "SELECT {ROW_COLUMNS} {ROW_JOINS}
         WHERE d.broker_id = $1 AND d.customer_id = $2 AND d.held = 0
           AND ($3 = 0 OR d.contract_id = $3)
           AND ($4 = '' OR d.kind = $4)
           AND d.title {like} $5
         ORDER BY d.created_at DESC, d.id DESC LIMIT 500"
    ))
    .bind(broker_id)
    .bind(customer_id)
    .bind(contract_id.map_or(0, |c| c.0))
    .bind(kind.map_or("", Kind::as_str))
    .bind(contains_pattern(query))
    .fetch_all(conn)
    .await?)
}

/// A folder's documents that the reader may see, newest first.
pub async fn readable_list(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    reader: &Reader,
    customer_id: CustomerId,
    contract_id: Option<ContractId>,
    kind: Option<Kind>,
    query: &str,
) -> Result<Vec<DocumentRow>> {
    let rows = rows(conn, broker_id, customer_id, contract_id, kind, query).await?;
    Ok(rows.into_iter().filter(|r| reader.may_read(customer_id, r.item())).map(Row::into_document).collect())
}

pub async fn mine(kind: Option<Kind>, query: &str) -> Result<Vec<DocumentRow>> {
    let (ctx, user) = require_user()?;
    let folder = user.folder()?.customer_id;
    let mut conn = app_state()?.db.pool.acquire().await?;
    readable_list(&mut conn, ctx.broker.id, &user.reader(), folder, None, kind, query).await
}

pub async fn of_customer(customer_id: CustomerId) -> Result<Vec<DocumentRow>> {
    let (ctx, staff) = require_staff()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    crate::customers::ssr::staff_may_open(&mut conn, ctx.broker.id, staff.role, customer_id).await?;
    readable_list(&mut conn, ctx.broker.id, &crate::access::rules::Reader::Staff, customer_id, None, None, "")
        .await
}

/// What a new document is.
pub struct NewDocument<'a> {
    pub customer_id: CustomerId,
    pub contract_id: Option<ContractId>,
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
        customer_id: CustomerId,
        contract_id: Option<ContractId>,
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
    broker_id: BrokerId,
    customer_id: CustomerId,
    key: Option<&str>,
) -> Result<Option<DocumentId>> {
    let Some(key) = key else { return Ok(None) };
    Ok(sqlx::query_scalar(
        "SELECT id FROM documents WHERE broker_id = $1 AND customer_id = $2 AND upload_key = $3",
    )
    .bind(broker_id)
    .bind(customer_id)
    .bind(key)
    .fetch_optional(conn)
    .await?)
}

/// Records a complete file as a document of the broker's customer: checks that the customer
/// and contract are the broker's (and belong together) and that the quota allows it, then
/// moves the file into place and commits the row with its audit entry. Returns the id.
///
/// A second attempt with the same upload key (a retry after the answer to the first was
/// lost) stores nothing and returns the document of the first.
pub async fn insert(
    state: &crate::state::AppState,
    broker_id: BrokerId,
    actor: Actor,
    ip: Option<IpAddr>,
    doc: NewDocument<'_>,
    blob: TempBlob,
) -> Result<DocumentId> {
    let mut tx = state.db.begin().await?;
    crate::customers::ssr::get(&mut tx, broker_id, doc.customer_id).await?;
    if let Some(id) = earlier_attempt(&mut tx, broker_id, doc.customer_id, doc.upload_key).await? {
        return Ok(id);
    }
    if let Some(contract_id) = doc.contract_id {
        if crate::contracts::ssr::owner(&mut tx, broker_id, contract_id).await? != Some(doc.customer_id) {
            return Err(AppError::field("contract_id", Problem::InvalidChoice));
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
        let id: DocumentId = sqlx::query_scalar(
            "INSERT INTO documents (broker_id, customer_id, contract_id, title, kind, media_type, size_bytes, blob,
                 created_at, upload_key, uploaded_by, held, created_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
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
        .bind(Source::By(actor).column())
        .fetch_one(&mut *tx)
        .await?;
        record(&mut tx, broker_id, actor, "document.uploaded", Some(Target::Customer(doc.customer_id)), ip).await?;
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

/// A document's files, as a `DELETE … RETURNING` hands them back for removal.
#[derive(sqlx::FromRow)]
pub struct Files {
    blob: String,
    preview_blob: Option<String>,
}

/// Removes the files of rows that are gone (after the transaction that deleted them committed).
pub async fn remove_all(state: &crate::state::AppState, files: &[Files]) {
    for f in files {
        remove_files(state, &f.blob, f.preview_blob.as_deref()).await;
    }
}

/// Removes a document's files once its row is gone.
async fn remove_files(state: &crate::state::AppState, blob: &str, preview: Option<&str>) {
    let blobs = BlobStore::new(&state.config.data_dir);
    blobs.remove(blob).await;
    if let Some(preview) = preview {
        blobs.remove(preview).await;
    }
}

/// Takes back a document stored a moment ago for something that then failed (a signed form
/// whose grant could not be saved).
pub async fn take_back(state: &crate::state::AppState, broker_id: BrokerId, id: DocumentId) -> Result<()> {
    let removed: Option<Removed> = sqlx::query_as(
        "DELETE FROM documents WHERE id = $1 AND broker_id = $2 RETURNING customer_id, blob, preview_blob",
    )
    .bind(id)
    .bind(broker_id)
    .fetch_optional(&state.db.pool)
    .await?;
    if let Some(removed) = removed {
        remove_files(state, &removed.blob, removed.preview_blob.as_deref()).await;
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Removed {
    customer_id: CustomerId,
    blob: String,
    preview_blob: Option<String>,
}

pub async fn delete(id: DocumentId) -> Result<()> {
    let (ctx, staff) = require_staff()?;
    let state = app_state()?;
    let mut tx = state.db.begin().await?;
    let doc = stored(&mut tx, ctx.broker.id, id).await?.ok_or(AppError::NotFound)?;
    crate::customers::ssr::staff_opens(staff.role, doc.folder_locked_at)?;
    // A signed mandate form stays as long as its grant's record does (R3.4).
    if crate::access::ssr::is_form(&mut tx, ctx.broker.id, id).await? {
        return Err(AppError::field("document", Problem::InUse));
    }
    let removed: Removed = sqlx::query_as(
        "DELETE FROM documents WHERE id = $1 AND broker_id = $2 RETURNING customer_id, blob, preview_blob",
    )
    .bind(id)
    .bind(ctx.broker.id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let target = Some(Target::Customer(removed.customer_id));
    record(&mut tx, ctx.broker.id, Actor::Staff(staff.id), "document.deleted", target, ctx.ip).await?;
    tx.commit().await?;
    remove_files(&state, &removed.blob, removed.preview_blob.as_deref()).await;
    Ok(())
}

pub async fn usage_of(conn: &mut AnyConnection, broker_id: BrokerId) -> Result<Usage> {
    let used_bytes: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(size_bytes), 0) AS BIGINT) FROM documents WHERE broker_id = $1",
    )
    .bind(broker_id)
    .fetch_one(&mut *conn)
    .await?;
    let quota_bytes = crate::tenancy::ssr::storage_quota(conn, broker_id).await?;
    Ok(Usage { used_bytes, quota_bytes })
}

pub async fn usage() -> Result<Usage> {
    let (ctx, _staff) = require_staff()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    usage_of(&mut conn, ctx.broker.id).await
}

/// What the download handler needs to serve a file, and to decide who may have it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Stored {
    pub id: DocumentId,
    pub customer_id: CustomerId,
    pub contract_id: Option<ContractId>,
    pub kind: String,
    pub title: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub created_at: i64,
    pub blob: String,
    /// The small copy of a photo for lists, once it has been made.
    pub preview_blob: Option<String>,
    pub message_id: Option<MessageId>,
    /// Held for a message not sent yet: only its uploader's side sees it.
    pub held: i64,
    pub uploaded_by: String,
    /// Who stored it ([`Source`], stored form); none for files stored before this was kept.
    pub created_by: Option<String>,
    /// The customer-side owner of the conversation the file is attached to.
    pub grantee_id: Option<UserId>,
    /// The folder's lock on erasure ([`crate::customers::ssr::staff_opens`]).
    pub folder_locked_at: Option<i64>,
}

impl Stored {
    /// What the access decision needs to know about this document.
    pub fn item(&self) -> Item {
        if self.held == 1 {
            return Item::Draft { office: self.uploaded_by == "office" };
        }
        Item::Document {
            id: self.id,
            contract: self.contract_id,
            conversation: self.message_id.map(|_| self.grantee_id),
        }
    }
}

/// A document of the broker, if it exists.
pub async fn stored(conn: &mut AnyConnection, broker_id: BrokerId, id: DocumentId) -> Result<Option<Stored>> {
    Ok(sqlx::query_as(&format!("{STORED_SELECT} WHERE d.id = $1 AND d.broker_id = $2"))
        .bind(id)
        .bind(broker_id)
        .fetch_optional(conn)
        .await?)
}

const STORED_SELECT: &str =
    "SELECT d.id, d.customer_id, d.contract_id, d.kind, d.title, d.media_type, d.size_bytes, d.created_at, d.blob,
            d.preview_blob, d.message_id, d.held, d.uploaded_by, d.created_by, v.grantee_id,
            f.locked_at AS folder_locked_at
     FROM documents d
     JOIN customers f ON f.id = d.customer_id AND f.broker_id = d.broker_id
     LEFT JOIN messages m ON m.id = d.message_id AND m.broker_id = d.broker_id
     LEFT JOIN conversations v ON v.id = m.conversation_id AND v.broker_id = d.broker_id";

/// Every document of a folder, oldest first, files held for unsent messages included: callers
/// filter with the access decision ([`Stored::item`]).
pub async fn all_of_folder(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    customer_id: CustomerId,
) -> Result<Vec<Stored>> {
    Ok(sqlx::query_as(&format!(
        "{STORED_SELECT} WHERE d.customer_id = $1 AND d.broker_id = $2 ORDER BY d.created_at, d.id"
    ))
    .bind(customer_id)
    .bind(broker_id)
    .fetch_all(conn)
    .await?)
}

/// Deletes every document row of a folder and returns their files, to remove once the
/// transaction is committed ([`remove_all`]): for erasing a customer.
pub async fn erase_folder(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    customer_id: CustomerId,
) -> Result<Vec<Files>> {
    Ok(sqlx::query_as(
        "DELETE FROM documents WHERE customer_id = $1 AND broker_id = $2 RETURNING blob, preview_blob",
    )
    .bind(customer_id)
    .bind(broker_id)
    .fetch_all(conn)
    .await?)
}

/// Records the preview made for a document.
pub async fn set_preview(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    id: DocumentId,
    preview: &str,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE documents SET preview_blob = $1 WHERE id = $2 AND broker_id = $3 AND preview_blob IS NULL",
    )
    .bind(preview)
    .bind(id)
    .bind(broker_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Attaches files uploaded for a message: only files held for a message, of this folder,
/// sent by the writer's side (`uploaded_by`), and not attached elsewhere. All or none.
pub async fn attach(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    customer_id: CustomerId,
    message_id: MessageId,
    ids: &[DocumentId],
    uploaded_by: &str,
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
    let mut query = sqlx::query(&sql).bind(message_id).bind(broker_id).bind(customer_id).bind(uploaded_by);
    for id in ids {
        query = query.bind(*id);
    }
    let attached = query.execute(&mut *conn).await?.rows_affected();
    if attached != ids.len() as u64 {
        return Err(AppError::field("attachments", Problem::InvalidChoice));
    }
    Ok(())
}

/// A file attached to a message, as a conversation shows it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AttachmentRow {
    pub message_id: MessageId,
    pub id: DocumentId,
    pub title: String,
    pub media_type: String,
    pub size_bytes: i64,
}

/// The files attached to messages of one conversation (or all of the broker's), of messages
/// written from `since` on.
pub async fn attachments(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    conversation: Option<ConversationId>,
    since: i64,
) -> Result<Vec<AttachmentRow>> {
    Ok(sqlx::query_as(
        "SELECT d.message_id, d.id, d.title, d.media_type, d.size_bytes
         FROM documents d JOIN messages m ON m.id = d.message_id AND m.broker_id = d.broker_id
         WHERE d.broker_id = $1 AND ($2 = 0 OR m.conversation_id = $2) AND m.created_at >= $3
         ORDER BY d.id",
    )
    .bind(broker_id)
    .bind(conversation.map_or(0, |c| c.0))
    .bind(since)
    .fetch_all(conn)
    .await?)
}

/// The n-th file (from 1) of a message.
pub async fn nth_attachment(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    message_id: MessageId,
    n: i64,
) -> Result<Option<DocumentId>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM documents WHERE broker_id = $1 AND message_id = $2 ORDER BY id LIMIT 1 OFFSET $3",
    )
    .bind(broker_id)
    .bind(message_id)
    .bind(n - 1)
    .fetch_optional(conn)
    .await?)
}

/// Removes a file uploaded for a message that was not sent (the person took it out again):
/// only one of the folder (`customer_id`, or any of the broker's for the office) that the
/// same side uploaded.
pub async fn discard_held(
    state: &crate::state::AppState,
    broker_id: BrokerId,
    id: DocumentId,
    uploaded_by: &str,
    customer_id: Option<CustomerId>,
) -> Result<()> {
    let files: Files = sqlx::query_as(
        "DELETE FROM documents
         WHERE id = $1 AND broker_id = $2 AND held = 1 AND message_id IS NULL AND uploaded_by = $3
           AND ($4 = 0 OR customer_id = $4)
         RETURNING blob, preview_blob",
    )
    .bind(id)
    .bind(broker_id)
    .bind(uploaded_by)
    .bind(customer_id.map_or(0, |c| c.0))
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    remove_files(state, &files.blob, files.preview_blob.as_deref()).await;
    Ok(())
}

/// Files uploaded for messages and never sent are removed after a day.
pub async fn sweep_held(state: &crate::state::AppState, now: i64) -> Result<u64> {
    let swept: Vec<Files> = sqlx::query_as(
        "DELETE FROM documents WHERE held = 1 AND message_id IS NULL AND created_at < $1 RETURNING blob, preview_blob",
    )
    .bind(now - 86_400)
    .fetch_all(&state.db.pool)
    .await?;
    remove_all(state, &swept).await;
    Ok(swept.len() as u64)
}
