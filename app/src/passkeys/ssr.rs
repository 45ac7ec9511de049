//! The tables `passkeys` and `webauthn_ceremonies` (and the account's `webauthn_handle`),
//! and the passkey ceremonies. A `Webauthn` is built per request for the host the person
//! uses, since every broker has its own domains: a passkey belongs to the domain it was made on.

use sqlx::AnyConnection;
use webauthn_rs::prelude::{
    CreationChallengeResponse, DiscoverableAuthentication, DiscoverableKey, Passkey, PasskeyRegistration,
    PublicKeyCredential, RegisterPublicKeyCredential, Url, Uuid, Webauthn, WebauthnBuilder,
};

use super::{Ceremony, PasskeyRow};
use crate::audit::ssr::{record, Actor, Target};
use crate::auth::tokens;
use crate::db::{now, Db};
use crate::error::{AppError, FormErrors, Result, NAME_MAX_CHARS};
use crate::ids::{BrokerId, PasskeyId, UserId};
use crate::request::{app_state, request_ctx, require_recent_proof, require_user, RequestCtx};
use crate::state::AppState;

/// How long a ceremony waits for the browser.
const CEREMONY_SECS: i64 = 300;

fn webauthn(ctx: &RequestCtx, state: &AppState) -> Result<Webauthn> {
    let origin = Url::parse(&ctx.base_url(state)).map_err(AppError::internal)?;
    WebauthnBuilder::new(&ctx.host, &origin)
        .and_then(|b| b.rp_name(&ctx.broker.name).allow_any_port(true).build())
        .map_err(AppError::internal)
}

/// Refused by the browser's authenticator or not a valid answer: the person hears "did not
/// work", the log says why.
fn refused(error: impl std::fmt::Display) -> AppError {
    tracing::info!(%error, "passkey ceremony refused");
    AppError::PasskeyFailed
}

// ---------------------------------------------------------------------------------------
// The tables

/// The account's handle for authenticators, made at its first passkey.
async fn handle_of(conn: &mut AnyConnection, broker_id: BrokerId, user_id: UserId) -> Result<Uuid> {
    let stored: Option<String> =
        sqlx::query_scalar("SELECT webauthn_handle FROM users WHERE id = $1 AND broker_id = $2")
            .bind(user_id)
            .bind(broker_id)
            .fetch_one(&mut *conn)
            .await?;
    if let Some(handle) = stored.and_then(|s| Uuid::parse_str(&s).ok()) {
        return Ok(handle);
    }
    let handle = Uuid::new_v4();
    sqlx::query("UPDATE users SET webauthn_handle = $1 WHERE id = $2 AND broker_id = $3")
        .bind(handle.to_string())
        .bind(user_id)
        .bind(broker_id)
        .execute(conn)
        .await?;
    Ok(handle)
}

async fn rows_of(conn: &mut AnyConnection, broker_id: BrokerId, user_id: UserId) -> Result<Vec<PasskeyRow>> {
    Ok(sqlx::query_as(
        "SELECT id, name, created_at, last_used_at FROM passkeys WHERE broker_id = $1 AND user_id = $2 ORDER BY created_at, id",
    )
    .bind(broker_id)
    .bind(user_id)
    .fetch_all(conn)
    .await?)
}

#[derive(sqlx::FromRow)]
struct Stored {
    id: PasskeyId,
    passkey: String,
}

async fn stored_of(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    user_id: UserId,
) -> Result<Vec<(PasskeyId, Passkey)>> {
    let rows: Vec<Stored> =
        sqlx::query_as("SELECT id, passkey FROM passkeys WHERE broker_id = $1 AND user_id = $2")
            .bind(broker_id)
            .bind(user_id)
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().filter_map(|r| serde_json::from_str(&r.passkey).ok().map(|p| (r.id, p))).collect())
}

/// Whether an account has a passkey (a second factor of its own kind).
pub async fn any(conn: &mut AnyConnection, broker_id: BrokerId, user_id: UserId) -> Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM passkeys WHERE broker_id = $1 AND user_id = $2")
        .bind(broker_id)
        .bind(user_id)
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

/// Removes every passkey of an account (an office reset, a deleted colleague).
pub async fn remove_all(conn: &mut AnyConnection, broker_id: BrokerId, user_id: UserId) -> Result<bool> {
    let done = sqlx::query("DELETE FROM passkeys WHERE broker_id = $1 AND user_id = $2")
        .bind(broker_id)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

async fn open_ceremony(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    user_id: Option<UserId>,
    kind: &str,
    state: &str,
) -> Result<String> {
    let secret = tokens::new_secret();
    sqlx::query(
        "INSERT INTO webauthn_ceremonies (id_hash, broker_id, user_id, kind, state, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(tokens::digest(&secret))
    .bind(broker_id)
    .bind(user_id)
    .bind(kind)
    .bind(state)
    .bind(now() + CEREMONY_SECS)
    .execute(conn)
    .await?;
    Ok(secret)
}

#[derive(sqlx::FromRow)]
struct Open {
    user_id: Option<UserId>,
    state: String,
}

/// Takes a live ceremony of this kind for good (each is finished once).
async fn take_ceremony(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    secret: &str,
    kind: &str,
) -> Result<Open> {
    sqlx::query_as(
        "DELETE FROM webauthn_ceremonies WHERE id_hash = $1 AND broker_id = $2 AND kind = $3 AND expires_at > $4
         RETURNING user_id, state",
    )
    .bind(tokens::digest(secret))
    .bind(broker_id)
    .bind(kind)
    .bind(now())
    .fetch_optional(conn)
    .await?
    .ok_or(AppError::PasskeyFailed)
}

/// Housekeeping: ceremonies nobody finished.
pub async fn purge(db: &Db, now: i64) -> Result<u64> {
    let done = sqlx::query("DELETE FROM webauthn_ceremonies WHERE expires_at < $1")
        .bind(now)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}

// ---------------------------------------------------------------------------------------
// The ceremonies

pub async fn list() -> Result<Vec<PasskeyRow>> {
    let (ctx, user) = require_user()?;
    rows_of(&mut *app_state()?.db.pool.acquire().await?, ctx.broker.id, user.id).await
}

pub async fn register_start() -> Result<Ceremony> {
    let (ctx, user) = require_user()?;
    require_recent_proof(&user)?;
    let state = app_state()?;
    let webauthn = webauthn(&ctx, &state)?;
    let mut tx = state.db.begin().await?;
    let handle = handle_of(&mut tx, ctx.broker.id, user.id).await?;
    let existing: Vec<_> = stored_of(&mut tx, ctx.broker.id, user.id)
        .await?
        .into_iter()
        .map(|(_, p)| p.cred_id().clone())
        .collect();
    let (options, registration): (CreationChallengeResponse, PasskeyRegistration) = webauthn
        .start_passkey_registration(handle, &user.email, &user.display_name, Some(existing))
        .map_err(AppError::internal)?;
    let saved = serde_json::to_string(&registration).map_err(AppError::internal)?;
    let ceremony = open_ceremony(&mut tx, ctx.broker.id, Some(user.id), "register", &saved).await?;
    tx.commit().await?;
    // Kept on the authenticator, so that signing in needs no e-mail address first.
    let mut options = serde_json::to_value(&options).map_err(AppError::internal)?;
    if let Some(selection) =
        options.pointer_mut("/publicKey/authenticatorSelection").and_then(|v| v.as_object_mut())
    {
        selection.insert("residentKey".into(), "required".into());
        selection.insert("requireResidentKey".into(), true.into());
    }
    Ok(Ceremony { ceremony, options: options.to_string() })
}

pub async fn register_finish(ceremony: &str, name: &str, credential: &str) -> Result<()> {
    let (ctx, user) = require_user()?;
    require_recent_proof(&user)?;
    let mut errors = FormErrors::default();
    let name = errors.required("name", name, NAME_MAX_CHARS);
    errors.finish(Some(()))?;
    let state = app_state()?;
    let webauthn = webauthn(&ctx, &state)?;
    let credential: RegisterPublicKeyCredential = serde_json::from_str(credential).map_err(refused)?;
    let mut tx = state.db.begin().await?;
    let open = take_ceremony(&mut tx, ctx.broker.id, ceremony, "register").await?;
    if open.user_id != Some(user.id) {
        return Err(AppError::PasskeyFailed);
    }
    let registration: PasskeyRegistration = serde_json::from_str(&open.state).map_err(AppError::internal)?;
    let passkey = webauthn.finish_passkey_registration(&credential, &registration).map_err(refused)?;
    let credential_id = base64_url(passkey.cred_id().as_ref());
    sqlx::query(
        "INSERT INTO passkeys (broker_id, user_id, credential_id, name, passkey, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(ctx.broker.id)
    .bind(user.id)
    .bind(credential_id)
    .bind(&name)
    .bind(serde_json::to_string(&passkey).map_err(AppError::internal)?)
    .bind(now())
    .execute(&mut *tx)
    .await
    .map_err(|_| AppError::PasskeyFailed)?;
    record(
        &mut tx,
        ctx.broker.id,
        Actor::user(user.role, user.id),
        "passkey.added",
        Some(Target::User(user.id)),
        ctx.ip,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn base64_url(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub async fn remove(id: PasskeyId) -> Result<()> {
    let (ctx, user) = require_user()?;
    require_recent_proof(&user)?;
    let state = app_state()?;
    let mut tx = state.db.begin().await?;
    let done = sqlx::query("DELETE FROM passkeys WHERE id = $1 AND broker_id = $2 AND user_id = $3")
        .bind(id)
        .bind(ctx.broker.id)
        .bind(user.id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::NotFound);
    }
    record(
        &mut tx,
        ctx.broker.id,
        Actor::user(user.role, user.id),
        "passkey.removed",
        Some(Target::User(user.id)),
        ctx.ip,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn sign_in_start() -> Result<Ceremony> {
    let ctx = request_ctx()?;
    let state = app_state()?;
    let webauthn = webauthn(&ctx, &state)?;
    let (options, authentication) =
        webauthn.start_discoverable_authentication().map_err(AppError::internal)?;
    let saved = serde_json::to_string(&authentication).map_err(AppError::internal)?;
    let mut tx = state.db.begin().await?;
    let ceremony = open_ceremony(&mut tx, ctx.broker.id, None, "sign_in", &saved).await?;
    tx.commit().await?;
    Ok(Ceremony { ceremony, options: serde_json::to_string(&options).map_err(AppError::internal)? })
}

#[derive(sqlx::FromRow)]
struct Holder {
    id: UserId,
    #[sqlx(try_from = "String")]
    role: crate::auth::Role,
    email: String,
}

pub async fn sign_in_finish(ceremony: &str, credential: &str) -> Result<String> {
    let ctx = request_ctx()?;
    let state = app_state()?;
    let webauthn = webauthn(&ctx, &state)?;
    let credential: PublicKeyCredential = serde_json::from_str(credential).map_err(refused)?;
    let mut tx = state.db.begin().await?;
    let open = take_ceremony(&mut tx, ctx.broker.id, ceremony, "sign_in").await?;
    let authentication: DiscoverableAuthentication =
        serde_json::from_str(&open.state).map_err(AppError::internal)?;
    let (handle, _) = webauthn.identify_discoverable_authentication(&credential).map_err(refused)?;
    // The account behind the handle, at this broker, still allowed in.
    let holder: Holder = sqlx::query_as(
        "SELECT id, role, email FROM users WHERE broker_id = $1 AND webauthn_handle = $2 AND deactivated_at IS NULL AND deleted_at IS NULL",
    )
    .bind(ctx.broker.id)
    .bind(handle.to_string())
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::PasskeyFailed)?;
    let keys = stored_of(&mut tx, ctx.broker.id, holder.id).await?;
    let known: Vec<DiscoverableKey> = keys.iter().map(|(_, p)| p.into()).collect();
    let result =
        webauthn.finish_discoverable_authentication(&credential, authentication, &known).map_err(refused)?;
    // The signature counter moves on (a cloned authenticator would fall behind).
    for (id, mut passkey) in keys {
        if passkey.update_credential(&result).is_some() {
            sqlx::query(
                "UPDATE passkeys SET passkey = $1, last_used_at = $2 WHERE id = $3 AND broker_id = $4",
            )
            .bind(serde_json::to_string(&passkey).map_err(AppError::internal)?)
            .bind(now())
            .bind(id)
            .bind(ctx.broker.id)
            .execute(&mut *tx)
            .await?;
        }
    }
    crate::auth::throttle::clear(&mut tx, &crate::auth::throttle::Key::account(ctx.broker.id, &holder.email))
        .await?;
    if let Some(old) = &ctx.user {
        crate::auth::sessions::delete(&mut tx, ctx.broker.id, &old.session_hash).await?;
    }
    record(
        &mut tx,
        ctx.broker.id,
        Actor::user(holder.role, holder.id),
        "sign_in.passkey",
        Some(Target::User(holder.id)),
        ctx.ip,
    )
    .await?;
    crate::auth::ssr::open_session(tx, &ctx, holder.role, holder.id, now()).await?;
    Ok(holder.role.home().to_owned())
}
