//! The secure mailbox (Postfach, R5.5): conversations between a customer and the broker's
//! office. Content stays in Folio; the person's ordinary e-mail only learns that something
//! is waiting (`notices`, R4.2). A customer's change request (address, bank account) stays a
//! request until staff apply it (R2.3); claims and missing contracts carry photos (R2.4),
//! which are documents of the customer's folder attached to a message.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::ids::{ContractId, ConversationId, CustomerId, DocumentId, MessageId, UserId};

pub mod office;
pub mod pages;
pub mod rules;
pub mod texts;

#[cfg(feature = "ssr")]
pub mod drafts;
#[cfg(feature = "ssr")]
pub mod notices;
#[cfg(feature = "ssr")]
pub mod ssr;

pub use rules::{Compose, Details};

/// What a conversation is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    Question,
    Address,
    Bank,
    Claim,
    MissingContract,
    /// Started by the office, with its own subject.
    Office,
}

impl Topic {
    /// What a customer can start, in the order the Postfach offers them.
    pub const CUSTOMER: [Topic; 5] =
        [Topic::Question, Topic::Claim, Topic::Address, Topic::Bank, Topic::MissingContract];
    pub const ALL: [Topic; 6] =
        [Topic::Question, Topic::Claim, Topic::Address, Topic::Bank, Topic::MissingContract, Topic::Office];

    pub fn as_str(self) -> &'static str {
        match self {
            Topic::Question => "question",
            Topic::Address => "address",
            Topic::Bank => "bank",
            Topic::Claim => "claim",
            Topic::MissingContract => "missing_contract",
            Topic::Office => "office",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Topic::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// A request to change the customer's record, which staff apply.
    pub fn is_change(self) -> bool {
        matches!(self, Topic::Address | Topic::Bank)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Nobody in the office has taken it up yet.
    New,
    /// In Bearbeitung.
    Open,
    /// Erledigt.
    Done,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::New, Status::Open, Status::Done];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Open => "open",
            Status::Done => "done",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Status::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// A conversation in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationRow {
    pub id: ConversationId,
    pub topic: Topic,
    /// The office's subject for conversations it started, else empty.
    pub subject: String,
    /// The contract it is about: product or line and policy number.
    pub contract_label: Option<String>,
    pub customer_id: CustomerId,
    pub customer_name: String,
    /// Someone with a grant on the folder who started it (their question, not the holder's).
    pub person_name: Option<String>,
    pub status: Status,
    pub assignee_id: Option<UserId>,
    pub assignee_name: Option<String>,
    pub updated_at: i64,
    /// The other side wrote something this side has not opened yet.
    pub unread: bool,
}

/// A file attached to a message (a document of the customer's folder).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub document_id: DocumentId,
    pub title: String,
    pub media_type: String,
    pub size_bytes: i64,
}

impl Attachment {
    pub fn url(&self) -> String {
        format!("/files/{}", self.document_id)
    }

    pub fn preview_url(&self) -> Option<String> {
        self.media_type.starts_with("image/").then(|| format!("/files/{}/preview", self.document_id))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub id: MessageId,
    pub from_customer: bool,
    pub author_name: String,
    pub body: String,
    pub created_at: i64,
    pub attachments: Vec<Attachment>,
}

/// The customer's record as it is now, beside what a change request asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentRecord {
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub account_holder: String,
    pub iban: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversation {
    pub row: ConversationRow,
    pub contract_id: Option<ContractId>,
    pub details: Details,
    pub health_consent_at: Option<i64>,
    pub health_consent_withdrawn_at: Option<i64>,
    pub applied_at: Option<i64>,
    pub applied_by: Option<String>,
    pub messages: Vec<Message>,
    /// For staff only: the record a change request would change.
    pub current: Option<CurrentRecord>,
}

/// A consent to process health data, given with a message (R4.3).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub conversation: ConversationRow,
    pub given_at: i64,
    pub withdrawn_at: Option<i64>,
}

/// The office's inbox filters, as the form sends them ("" for all).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InboxFilter {
    pub status: String,
    pub topic: String,
    /// A staff member's id, "me", "none" (unassigned) or "".
    pub assignee: String,
    /// Part of a customer's name.
    pub customer: String,
    /// From 0, `INBOX_PAGE` conversations each.
    pub page: u32,
}

/// Conversations on one page of the inbox.
pub const INBOX_PAGE: usize = 100;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbox {
    /// One page of matches, unread first, then the latest activity first.
    pub rows: Vec<ConversationRow>,
    /// There are more matches after this page.
    pub more: bool,
    /// Conversations with something unread, whatever the filter.
    pub unread: i64,
    /// Open conversations per status (new, in progress), whatever the filter.
    pub new: i64,
    pub open: i64,
}

/// A colleague a conversation can be assigned to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Colleague {
    pub id: UserId,
    pub name: String,
}

/// The conversations of the folder the signed-in person looks at that are theirs to see,
/// the latest activity first.
#[server(endpoint = "mailbox/mine")]
pub async fn my_conversations() -> Result<Vec<ConversationRow>, AppError> {
    crate::request::respond(ssr::mine().await)
}

/// The consents the signed-in person gave in the current folder.
#[server(endpoint = "mailbox/consents")]
pub async fn my_consents() -> Result<Vec<Consent>, AppError> {
    crate::request::respond(ssr::consents().await)
}

/// Withdraws one of them; the office sees it on the conversation.
#[server(endpoint = "mailbox/withdraw-consent")]
pub async fn withdraw_consent(id: ConversationId) -> Result<(), AppError> {
    crate::request::respond(ssr::withdraw_consent(id).await)
}

/// How many conversations have something unread for the signed-in person (customer: from
/// the office; staff: from customers).
#[server(endpoint = "mailbox/unread")]
pub async fn unread_count() -> Result<i64, AppError> {
    crate::request::respond(ssr::unread().await)
}

/// One conversation with its messages, for its customer or the broker's office. Reading it
/// changes nothing; see [`mark_read`].
#[server(endpoint = "mailbox/show")]
pub async fn show_conversation(id: ConversationId) -> Result<Conversation, AppError> {
    crate::request::respond(ssr::show(id).await)
}

/// The page has shown a conversation: it is read for that side (and the office's look is in
/// the trail). Sent by the page in the browser, never by following a link.
#[server(endpoint = "mailbox/mark-read")]
pub async fn mark_read(id: ConversationId) -> Result<(), AppError> {
    crate::request::respond(ssr::mark_read(id).await)
}

/// Asks the server, from the browser, to mark a shown conversation read, then updates the
/// navigation's unread count: the first time the page shows it (`marked` remembers), and
/// again whenever it shows something unread.
pub fn mark_shown_read(marked: leptos::prelude::StoredValue<Option<ConversationId>>, row: &ConversationRow) {
    use leptos::prelude::{GetValue, SetValue};
    let id = row.id;
    if !row.unread && marked.get_value() == Some(id) {
        return;
    }
    marked.set_value(Some(id));
    let count = crate::portal::UnreadCount::here();
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        if let (Ok(()), Some(count)) = (mark_read(id).await, count) {
            count.refetch();
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = count;
}

/// The signed-in person's draft of one kind of message (blank if there is none).
#[server(endpoint = "mailbox/draft")]
pub async fn load_draft(topic: Topic) -> Result<Compose, AppError> {
    crate::request::respond(ssr::load_draft(topic).await)
}

/// Keeps what is typed so far; a blank form drops the draft.
#[server(endpoint = "mailbox/save-draft")]
pub async fn save_draft(draft: Compose) -> Result<(), AppError> {
    crate::request::respond(ssr::save_draft(draft).await)
}

/// A customer starts a conversation.
#[server(endpoint = "mailbox/start")]
pub async fn start_conversation(compose: Compose) -> Result<ConversationId, AppError> {
    crate::request::respond(ssr::start(compose).await)
}

/// A reply from either side; `attachments` are document ids, comma-separated.
#[server(endpoint = "mailbox/reply")]
pub async fn reply(
    id: ConversationId,
    body: String,
    #[server(default)] attachments: String,
) -> Result<MessageId, AppError> {
    crate::request::respond(ssr::reply(id, body, attachments).await)
}

/// Staff start a conversation with a customer.
#[server(endpoint = "mailbox/write")]
pub async fn write_to_customer(
    customer_id: CustomerId,
    subject: String,
    body: String,
    #[server(default)] attachments: String,
) -> Result<ConversationId, AppError> {
    crate::request::respond(ssr::write(customer_id, subject, body, attachments).await)
}

#[server(endpoint = "mailbox/inbox")]
pub async fn load_inbox(filter: InboxFilter) -> Result<Inbox, AppError> {
    crate::request::respond(ssr::inbox(filter).await)
}

#[server(endpoint = "mailbox/colleagues")]
pub async fn colleagues() -> Result<Vec<Colleague>, AppError> {
    crate::request::respond(ssr::colleagues().await)
}

/// Assigns a conversation to a colleague ("" for nobody).
#[server(endpoint = "mailbox/assign")]
pub async fn assign(id: ConversationId, assignee: String) -> Result<(), AppError> {
    crate::request::respond(ssr::assign(id, assignee).await)
}

/// Closes (`done`) or reopens (`open`) a conversation.
#[server(endpoint = "mailbox/status")]
pub async fn set_status(id: ConversationId, status: String) -> Result<(), AppError> {
    crate::request::respond(ssr::set_status(id, status).await)
}

/// Takes a change request over into the customer's record, as requested or as staff edited
/// it (`change` carries the fields of the request's topic).
#[server(endpoint = "mailbox/apply")]
pub async fn apply_change(id: ConversationId, change: Compose) -> Result<(), AppError> {
    crate::request::respond(ssr::apply(id, change).await)
}

/// Deletes a file uploaded for a message that has not been sent (taken out again).
#[server(endpoint = "mailbox/discard")]
pub async fn discard_attachment(id: DocumentId) -> Result<(), AppError> {
    crate::request::respond(ssr::discard(id).await)
}
