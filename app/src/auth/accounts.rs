//! The `users` table: accounts that sign in, one e-mail address per broker. Staff accounts
//! (owner, employee) and accounts on the customer's side, which reach their own folder
//! (`customer_id`) and others through grants. Nobody but the person sets a password.

use sqlx::AnyConnection;

use super::Role;
use crate::email::Email;
use crate::error::{AppError, Problem, Result};
use crate::i18n::Locale;
use crate::ids::{BrokerId, CustomerId, UserId};

/// What a session loads about its account (selected as `u.…` in a join).
/// With the own folder's name from `customers own` (joined on `u.customer_id`).
pub const SESSION_COLUMNS: &str = "u.id AS user_id, u.role, u.display_name, u.email, u.customer_id AS own_folder,
     u.locale, own.first_name AS own_first_name, own.last_name AS own_last_name, own.company_name AS own_company_name";

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SessionAccount {
    pub user_id: UserId,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub display_name: String,
    pub email: String,
    pub own_folder: Option<CustomerId>,
    pub locale: Option<String>,
    pub own_first_name: Option<String>,
    pub own_last_name: Option<String>,
    pub own_company_name: Option<String>,
}

impl SessionAccount {
    /// The account's own folder and its name.
    pub fn own(&self) -> Option<(CustomerId, String)> {
        self.own_folder.map(|id| {
            let name = crate::customers::display_name(
                self.own_first_name.as_deref().unwrap_or_default(),
                self.own_last_name.as_deref().unwrap_or_default(),
                self.own_company_name.as_deref(),
            );
            (id, name)
        })
    }
}

/// An account as sign-in checks it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Credentials {
    pub id: UserId,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub password_hash: Option<String>,
    pub deactivated_at: Option<i64>,
}

pub async fn credentials(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    email: &str,
) -> Result<Option<Credentials>> {
    Ok(sqlx::query_as(
        "SELECT id, role, password_hash, deactivated_at FROM users WHERE broker_id = $1 AND email = $2",
    )
    .bind(broker_id)
    .bind(email)
    .fetch_optional(conn)
    .await?)
}

/// Where mails to an account go, and in which language.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MailIdentity {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub locale: Option<String>,
}

impl MailIdentity {
    pub fn locale(&self) -> Locale {
        self.locale.as_deref().and_then(Locale::parse).unwrap_or_default()
    }
}

pub async fn mail_identity(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    user_id: UserId,
) -> Result<Option<MailIdentity>> {
    Ok(sqlx::query_as(
        "SELECT id, email, display_name, locale FROM users WHERE id = $1 AND broker_id = $2 AND deleted_at IS NULL",
    )
        .bind(user_id)
        .bind(broker_id)
        .fetch_optional(conn)
        .await?)
}

/// The account with this e-mail address at the broker, if any.
pub async fn by_email(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    email: &Email,
) -> Result<Option<Account>> {
    Ok(sqlx::query_as(&format!("SELECT {ACCOUNT_COLUMNS} FROM users WHERE broker_id = $1 AND email = $2"))
        .bind(broker_id)
        .bind(email.as_str())
        .fetch_optional(conn)
        .await?)
}

pub async fn by_id(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    user_id: UserId,
) -> Result<Option<Account>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {ACCOUNT_COLUMNS} FROM users WHERE broker_id = $1 AND id = $2 AND deleted_at IS NULL"
    ))
    .bind(broker_id)
    .bind(user_id)
    .fetch_optional(conn)
    .await?)
}

const ACCOUNT_COLUMNS: &str = "id, role, display_name, email, customer_id, locale, deactivated_at,
     CAST(CASE WHEN password_hash IS NULL THEN 0 ELSE 1 END AS BIGINT) AS has_password";

/// An account as lists show it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Account {
    pub id: UserId,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub display_name: String,
    pub email: String,
    pub customer_id: Option<CustomerId>,
    pub locale: Option<String>,
    /// 1 once the person has chosen a password (the invitation was used).
    pub has_password: i64,
    pub deactivated_at: Option<i64>,
}

impl Account {
    /// The person has chosen a password (the invitation was used).
    pub fn active(&self) -> bool {
        self.has_password == 1
    }

    pub fn deactivated(&self) -> bool {
        self.deactivated_at.is_some()
    }
}

/// The broker's staff, by name.
pub async fn staff(conn: &mut AnyConnection, broker_id: BrokerId) -> Result<Vec<Account>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {ACCOUNT_COLUMNS} FROM users
         WHERE broker_id = $1 AND role IN ('owner', 'employee') AND deleted_at IS NULL
         ORDER BY display_name, id"
    ))
    .bind(broker_id)
    .fetch_all(conn)
    .await?)
}

/// The owners, who hear of everything nobody else is named for.
pub async fn owners(conn: &mut AnyConnection, broker_id: BrokerId) -> Result<Vec<Account>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {ACCOUNT_COLUMNS} FROM users WHERE broker_id = $1 AND role = 'owner' AND deleted_at IS NULL
         ORDER BY id"
    ))
    .bind(broker_id)
    .fetch_all(conn)
    .await?)
}

/// The own accounts of some folders (the policyholders'), for lists.
pub async fn of_folders(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    folders: &[CustomerId],
) -> Result<Vec<Account>> {
    if folders.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (0..folders.len()).map(|i| format!("${}", i + 2)).collect();
    let sql = format!(
        "SELECT {ACCOUNT_COLUMNS} FROM users WHERE broker_id = $1 AND customer_id IN ({}) ORDER BY id",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as(&sql).bind(broker_id);
    for folder in folders {
        query = query.bind(*folder);
    }
    Ok(query.fetch_all(conn).await?)
}

/// Some accounts of the broker by id.
pub async fn by_ids(conn: &mut AnyConnection, broker_id: BrokerId, ids: &[UserId]) -> Result<Vec<Account>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 2)).collect();
    let sql = format!(
        "SELECT {ACCOUNT_COLUMNS} FROM users WHERE broker_id = $1 AND id IN ({}) ORDER BY id",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as(&sql).bind(broker_id);
    for id in ids {
        query = query.bind(*id);
    }
    Ok(query.fetch_all(conn).await?)
}

/// Who an account is: staff, or on the customer's side with or without a folder of its own.
pub struct NewUser<'a> {
    pub display_name: &'a str,
    pub email: &'a Email,
    pub role: Role,
    pub customer_id: Option<CustomerId>,
}

/// Creates an account without a password. An e-mail address already used at this broker is
/// a field error (`email`).
pub async fn create(conn: &mut AnyConnection, broker_id: BrokerId, person: &NewUser<'_>) -> Result<UserId> {
    sqlx::query_scalar(
        "INSERT INTO users (broker_id, email, role, display_name, customer_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(broker_id)
    .bind(person.email.as_str())
    .bind(person.role.as_str())
    .bind(person.display_name)
    .bind(person.customer_id)
    .bind(crate::db::now())
    .fetch_one(conn)
    .await
    .map_err(|e| on_unique(e, "email", Problem::EmailTaken))
}

/// A unique constraint's violation as a field error; anything else stays an internal error.
pub fn on_unique(error: sqlx::Error, field: &str, problem: Problem) -> AppError {
    match error {
        sqlx::Error::Database(d) if d.is_unique_violation() => AppError::field(field, problem),
        other => AppError::from(other),
    }
}

/// Creates or refreshes an account with a known password (the demo and the first owner).
pub async fn upsert_with_password(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    person: &NewUser<'_>,
    password_hash: &str,
) -> Result<UserId> {
    Ok(sqlx::query_scalar(
        "INSERT INTO users (broker_id, email, role, display_name, customer_id, password_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (broker_id, email) DO UPDATE SET password_hash = excluded.password_hash,
             role = excluded.role, customer_id = excluded.customer_id
         RETURNING id",
    )
    .bind(broker_id)
    .bind(person.email.as_str())
    .bind(person.role.as_str())
    .bind(person.display_name)
    .bind(person.customer_id)
    .bind(password_hash)
    .bind(crate::db::now())
    .fetch_one(conn)
    .await?)
}

/// Stores a new password hash; the account's role and address, if it exists.
pub async fn set_password_hash(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    user_id: UserId,
    hash: &str,
) -> Result<Option<(Role, String)>> {
    #[derive(sqlx::FromRow)]
    struct Changed {
        #[sqlx(try_from = "String")]
        role: Role,
        email: String,
    }
    let changed: Option<Changed> = sqlx::query_as(
        "UPDATE users SET password_hash = $1 WHERE id = $2 AND broker_id = $3 AND deactivated_at IS NULL
         RETURNING role, email",
    )
    .bind(hash)
    .bind(user_id)
    .bind(broker_id)
    .fetch_optional(conn)
    .await?;
    Ok(changed.map(|c| (c.role, c.email)))
}

pub async fn set_locale(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    user_id: UserId,
    locale: Locale,
) -> Result<()> {
    sqlx::query("UPDATE users SET locale = $1 WHERE id = $2 AND broker_id = $3")
        .bind(locale.code())
        .bind(user_id)
        .bind(broker_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Deactivates an account of this broker (`Some(now)`) or reactivates it (`None`).
pub async fn set_deactivated(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    user_id: UserId,
    at: Option<i64>,
) -> Result<()> {
    sqlx::query("UPDATE users SET deactivated_at = $1 WHERE id = $2 AND broker_id = $3")
        .bind(at)
        .bind(user_id)
        .bind(broker_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Deletes a staff account of this broker. The row stays with its name, so the trail and
/// the messages still say who acted; the address (free again for an invitation), the
/// password and the language go, and the account can never sign in. False if there was no
/// such colleague.
pub async fn delete_staff(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    user_id: UserId,
    now: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE users SET deleted_at = $1, deactivated_at = COALESCE(deactivated_at, $2), email = $3,
             password_hash = NULL, locale = NULL
         WHERE id = $4 AND broker_id = $5 AND role IN ('owner', 'employee') AND deleted_at IS NULL",
    )
    .bind(now)
    .bind(now)
    .bind(format!("deleted-{}@invalid", user_id.0))
    .bind(user_id)
    .bind(broker_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
