//! Server-side sessions. The browser holds a random id in a session cookie (no expiry,
//! so it dies with the browser session, R5.4); the database holds its digest.
//! Idle and absolute timeouts are enforced on every load.

use sqlx::AnyConnection;

use super::accounts::{SessionAccount, SESSION_COLUMNS};
use super::tokens::{digest, new_secret};
use super::{SessionUser, UserInfo};
use crate::db::Db;
use crate::i18n::Locale;
use crate::ids::{BrokerId, CustomerId, UserId};

/// Cookie name where the browser guarantees a secure origin, and the plain-http
/// loopback fallback (`__Host-` requires Secure).
pub const COOKIE_SECURE: &str = "__Host-sid";
pub const COOKIE_LOCAL: &str = "sid";

/// Starts a session; returns the secret for the cookie. `device` names the browser coarsely
/// ([`crate::request::device_label`]).
pub async fn create(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    user_id: UserId,
    now: i64,
    device: Option<&str>,
) -> Result<String, sqlx::Error> {
    let secret = new_secret();
    sqlx::query(
        "INSERT INTO sessions (id_hash, broker_id, user_id, created_at, last_seen_at, device, proved_at)
         VALUES ($1, $2, $3, $4, $4, $5, $4)",
    )
    .bind(digest(&secret))
    .bind(broker_id)
    .bind(user_id)
    .bind(now)
    .bind(device)
    .execute(conn)
    .await?;
    Ok(secret)
}

#[derive(sqlx::FromRow)]
struct Loaded {
    created_at: i64,
    last_seen_at: i64,
    proved_at: i64,
    /// The folder the person chose last in this session.
    folder_id: Option<CustomerId>,
    #[sqlx(flatten)]
    account: SessionAccount,
}

/// The live session for a cookie secret at this broker, touching its idle clock, with the
/// folders its account reaches now (a grant revoked a moment ago is gone).
pub async fn load(
    db: &Db,
    broker_id: BrokerId,
    secret: &str,
    now: i64,
    idle_secs: i64,
    absolute_secs: i64,
) -> crate::error::Result<Option<SessionUser>> {
    let hash = digest(secret);
    let mut conn = db.pool.acquire().await?;
    let loaded: Option<Loaded> = sqlx::query_as(&format!(
        "SELECT s.created_at, s.last_seen_at, COALESCE(s.proved_at, s.created_at) AS proved_at, s.folder_id, {SESSION_COLUMNS}
         FROM sessions s JOIN users u ON u.id = s.user_id AND u.broker_id = s.broker_id
         LEFT JOIN customers own ON own.id = u.customer_id AND own.broker_id = u.broker_id
         WHERE s.id_hash = $1 AND s.broker_id = $2 AND u.deactivated_at IS NULL"
    ))
    .bind(&hash)
    .bind(broker_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(loaded) = loaded else { return Ok(None) };
    if now - loaded.last_seen_at > idle_secs || now - loaded.created_at > absolute_secs {
        delete(&mut conn, broker_id, &hash).await?;
        return Ok(None);
    }
    if now - loaded.last_seen_at >= 30 {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2 AND broker_id = $3")
            .bind(now)
            .bind(&hash)
            .bind(broker_id)
            .execute(&mut *conn)
            .await?;
    }
    let account = loaded.account;
    let folders = if account.role.is_customer() {
        crate::access::ssr::folders_of(&mut conn, broker_id, account.user_id, account.own()).await?
    } else {
        Vec::new()
    };
    // The chosen folder while it is still reachable, else the own one, else the first.
    let folder = loaded
        .folder_id
        .filter(|id| folders.iter().any(|f| f.customer_id == *id))
        .or_else(|| folders.first().map(|f| f.customer_id));
    Ok(Some(SessionUser {
        session_hash: hash,
        broker_id,
        locale: account.locale.as_deref().and_then(Locale::parse),
        proved_at: loaded.proved_at,
        user: UserInfo {
            id: account.user_id,
            role: account.role,
            display_name: account.display_name,
            email: account.email,
            folders,
            folder,
        },
    }))
}

/// Remembers which folder the session looks at.
pub async fn set_folder(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    hash: &str,
    folder: CustomerId,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET folder_id = $1 WHERE id_hash = $2 AND broker_id = $3")
        .bind(folder)
        .bind(hash)
        .bind(broker_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The person proved again who they are (before a sensitive action).
pub async fn mark_proved(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    hash: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET proved_at = $1 WHERE id_hash = $2 AND broker_id = $3")
        .bind(now)
        .bind(hash)
        .bind(broker_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn delete(conn: &mut AnyConnection, broker_id: BrokerId, hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1 AND broker_id = $2")
        .bind(hash)
        .bind(broker_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn delete_all_of_user(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    user_id: UserId,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE broker_id = $1 AND user_id = $2")
        .bind(broker_id)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A session as its person sees it in their copy of their data.
#[derive(Clone, Debug, sqlx::FromRow, serde::Serialize)]
pub struct Seen {
    pub created_at: i64,
    pub last_seen_at: i64,
    /// Browser and system, coarsely ("Chrome · Android").
    pub device: Option<String>,
}

/// An account's sessions, newest first: for the person's copy of their data.
pub async fn of_user(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    user_id: UserId,
) -> Result<Vec<Seen>, sqlx::Error> {
    sqlx::query_as(
        "SELECT created_at, last_seen_at, device FROM sessions WHERE broker_id = $1 AND user_id = $2
         ORDER BY created_at DESC",
    )
    .bind(broker_id)
    .bind(user_id)
    .fetch_all(conn)
    .await
}

/// Removes sessions past their absolute lifetime (the hourly housekeeping).
pub async fn purge_expired(
    db: &Db,
    now: i64,
    idle_secs: i64,
    absolute_secs: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
        .bind(now - idle_secs)
        .bind(now - absolute_secs)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}

/// Sent with sign-out and with the first answer after a session ended: the browser drops
/// the site's storage (drafts, the service worker, which registers itself again).
pub const CLEAR_SITE_DATA: http::HeaderName = http::HeaderName::from_static("clear-site-data");
pub const CLEAR_STORAGE: &str = "\"storage\"";

/// The Set-Cookie value for a new session.
pub fn cookie(secret: &str, local: bool) -> String {
    if local {
        format!("{COOKIE_LOCAL}={secret}; Path=/; HttpOnly; SameSite=Lax")
    } else {
        format!("{COOKIE_SECURE}={secret}; Path=/; HttpOnly; Secure; SameSite=Lax")
    }
}

/// The Set-Cookie value that removes the session cookie.
pub fn clearing_cookie(local: bool) -> String {
    if local {
        format!("{COOKIE_LOCAL}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
    } else {
        format!("{COOKIE_SECURE}=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0")
    }
}

/// The session secret in a Cookie header, if any.
pub fn secret_from_cookie_header(header: &str, local: bool) -> Option<&str> {
    let wanted = if local { COOKIE_LOCAL } else { COOKIE_SECURE };
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == wanted && !value.is_empty())
        .map(|(_, value)| value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_session_cookies() {
        let c = cookie("abc", false);
        assert!(c.starts_with("__Host-sid=abc;"));
        assert!(c.contains("HttpOnly") && c.contains("Secure") && c.contains("SameSite=Lax"));
        assert!(!c.contains("Max-Age") && !c.contains("Expires"));
        assert!(!cookie("abc", true).contains("Secure"));
    }

    #[test]
    fn the_right_cookie_is_read() {
        assert_eq!(secret_from_cookie_header("a=1; sid=xyz; b=2", true), Some("xyz"));
        assert_eq!(secret_from_cookie_header("sid=xyz", false), None);
        assert_eq!(secret_from_cookie_header("__Host-sid=q", false), Some("q"));
        assert_eq!(secret_from_cookie_header("sid=", true), None);
    }
}
