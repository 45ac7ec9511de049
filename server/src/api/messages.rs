//! The mailbox for broker systems: what changed since the last pull (conversations and their
//! new messages), and a message's attachments.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{fmt_timestamp, ApiError, ApiKey, ApiResult, ProblemDoc, QueryParams};
use app::documents::http::file_response;
use app::documents::ssr::stored;
use app::error::{AppError, Problem};
use app::mailbox::ssr::changed_since;
use app::mailbox::Details;
use app::state::AppState;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SinceQuery {
    /// Unix seconds or an RFC 3339 time in UTC (`2026-11-24T09:30:00Z`); everything changed at
    /// or after it. Without it, everything.
    #[param(schema_with = super::since_schema)]
    since: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct MessagesPage {
    pub conversations: Vec<ConversationOut>,
    /// Pass this as `since` next time (Unix seconds; the same change may come twice, never
    /// not at all).
    pub next_since: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ConversationOut {
    pub id: i64,
    pub customer_id: i64,
    pub customer_external_id: Option<String>,
    pub contract_external_id: Option<String>,
    /// `question`, `address`, `bank`, `claim`, `missing_contract` or `office`.
    pub topic: String,
    pub subject: String,
    /// `new`, `open` or `done`.
    pub status: String,
    pub assignee: Option<String>,
    /// Someone with a grant on the customer's folder who started the conversation (their own
    /// question); absent for the customer's own.
    pub person: Option<String>,
    /// The structured request: a new address, bank account, claim date and place, insurer.
    #[schema(value_type = Object)]
    pub details: Details,
    pub updated_at: String,
    /// The messages written since `since`.
    pub messages: Vec<MessageOut>,
}

#[derive(Serialize, ToSchema)]
pub struct MessageOut {
    pub id: i64,
    /// `customer` or `office`.
    pub sender: String,
    pub author: String,
    pub body: String,
    pub created_at: String,
    pub attachments: Vec<AttachmentOut>,
}

#[derive(Serialize, ToSchema)]
pub struct AttachmentOut {
    /// From 1, for `/api/v1/messages/{id}/attachments/{n}`.
    pub n: usize,
    pub title: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub url: String,
}

/// "1700000000" or an RFC 3339 time, "2026-11-24T09:30:00Z".
fn parse_since(raw: &str) -> Option<i64> {
    let raw = raw.trim();
    if let Ok(secs) = raw.parse::<i64>() {
        return (secs >= 0).then_some(secs);
    }
    raw.contains('T').then(|| super::parse_timestamp(raw)).flatten()
}

#[utoipa::path(get, path = "/api/v1/messages", params(SinceQuery),
    responses((status = 200, body = MessagesPage), (status = 401, body = ProblemDoc), (status = 422, body = ProblemDoc)))]
pub async fn list_messages(
    State(state): State<AppState>,
    key: ApiKey,
    QueryParams(query): QueryParams<SinceQuery>,
) -> ApiResult<Json<MessagesPage>> {
    let since = match query.since.as_deref() {
        None | Some("") => 0,
        Some(raw) => {
            parse_since(raw).ok_or_else(|| ApiError(AppError::field("since", Problem::InvalidDate)))?
        }
    };
    let next_since = app::db::now();
    let mut conn = state.db.pool.acquire().await?;
    let changed = changed_since(&mut conn, key.broker_id, since).await?;
    let conversations = changed
        .into_iter()
        .map(|c| ConversationOut {
            id: c.row.id.0,
            customer_id: c.row.customer_id.0,
            customer_external_id: c.customer_external_id,
            contract_external_id: c.contract_external_id,
            topic: c.row.topic.as_str().to_owned(),
            subject: c.row.subject,
            status: c.row.status.as_str().to_owned(),
            assignee: c.row.assignee_name,
            person: c.row.person_name,
            details: c.details,
            updated_at: fmt_timestamp(c.row.updated_at),
            messages: c
                .messages
                .into_iter()
                .map(|m| MessageOut {
                    attachments: m
                        .attachments
                        .iter()
                        .enumerate()
                        .map(|(i, a)| AttachmentOut {
                            n: i + 1,
                            title: a.title.clone(),
                            media_type: a.media_type.clone(),
                            size_bytes: a.size_bytes,
                            url: format!("/api/v1/messages/{}/attachments/{}", m.id, i + 1),
                        })
                        .collect(),
                    id: m.id.0,
                    sender: if m.from_customer { "customer" } else { "office" }.to_owned(),
                    author: m.author_name,
                    body: m.body,
                    created_at: fmt_timestamp(m.created_at),
                })
                .collect(),
        })
        .collect();
    Ok(Json(MessagesPage { conversations, next_since }))
}

#[utoipa::path(get, path = "/api/v1/messages/{id}/attachments/{n}",
    params(("id" = i64, Path, description = "the message"), ("n" = usize, Path, description = "from 1")),
    responses((status = 200, description = "the file (images without metadata)"),
        (status = 401, body = ProblemDoc), (status = 404, body = ProblemDoc)))]
pub async fn get_attachment(
    State(state): State<AppState>,
    key: ApiKey,
    Path((id, n)): Path<(String, String)>,
) -> ApiResult<Response> {
    let not_found = || ApiError(AppError::NotFound);
    let id = app::ids::parse_id::<app::ids::MessageId>(&id).ok_or_else(not_found)?;
    let n = n.parse::<i64>().ok().filter(|n| *n >= 1).ok_or_else(not_found)?;
    let mut conn = state.db.pool.acquire().await?;
    let document =
        app::documents::ssr::nth_attachment(&mut conn, key.broker_id, id, n).await?.ok_or_else(not_found)?;
    let doc = stored(&mut conn, key.broker_id, document).await?.ok_or_else(not_found)?;
    Ok(file_response(&state, &doc, true).await?)
}

#[cfg(test)]
mod tests {
    use super::parse_since;

    #[test]
    fn since_reads_seconds_and_utc_times() {
        assert_eq!(parse_since("0"), Some(0));
        assert_eq!(parse_since("1764000000"), Some(1_764_000_000));
        assert_eq!(parse_since("1970-01-02T00:00:01Z"), Some(86_401));
        assert_eq!(parse_since("2026-11-24T09:30:00Z"), Some(1_795_512_600));
        assert_eq!(parse_since("gestern"), None);
        assert_eq!(parse_since("2026-11-24T25:00:00Z"), None);
        assert_eq!(parse_since("-5"), None);
    }
}
