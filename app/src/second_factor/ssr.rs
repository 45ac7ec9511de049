//! The tables `totp_factors`, `recovery_codes` and `sign_in_challenges`, and the second
//! factor's server functions. Query functions take their context as arguments; the server
//! functions at the bottom orchestrate them for the browser.

use sqlx::AnyConnection;

use super::{rules, Pending, Policy, SetUp, Status};
use crate::audit::ssr::{record, Actor, Target};
use crate::auth::accounts;
use crate::auth::throttle::{self, Attempt, Key};
use crate::auth::{password, sessions, tokens, Role};
use crate::db::{now, Db};
use crate::error::{AppError, FormErrors, Problem, Result};
use crate::ids::{BrokerId, UserId};
use crate::request::{
    app_state, request_ctx, require_owner_proved, require_recent_proof, require_staff, require_user,
    RequestCtx,
};
use crate::state::AppState;

/// How long the code page behind a right password waits.
pub const CHALLENGE_SECS: i64 = 600;
/// Wrong codes one sign-in may try before the password is asked again.
pub const CHALLENGE_FAILURES: i64 = 5;
/// A set-up nobody finished is forgotten after a day.
const UNFINISHED_SET_UP_SECS: i64 = 86_400;

const COOKIE_SECURE: &str = "__Host-pending";
const COOKIE_LOCAL: &str = "pending";

// ---------------------------------------------------------------------------------------
// The tables

/// Whether an account has a working second factor.
pub async fn active(conn: &mut AnyConnection, broker_id: BrokerId, user_id: UserId) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM totp_factors WHERE broker_id = $1 AND user_id = $2 AND confirmed_at IS NOT NULL",
    )
    .bind(broker_id)
    .bind(user_id)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// What a sign-in needs after the right password.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Needed {
    Nothing,
    /// A code from the app or a recovery code.
    Code,
    /// The broker requires a factor the person has not set up yet.
    SetUp,
    /// The broker requires a factor, and the person's is a passkey: sign in with it.
    Passkey,
}

pub async fn needed(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    user_id: UserId,
    role: Role,
) -> Result<Needed> {
    if active(&mut *conn, broker_id, user_id).await? {
        return Ok(Needed::Code);
    }
    let policy = crate::tenancy::ssr::second_factor_policy(&mut *conn, broker_id).await?;
    Ok(if !policy.requires(role) {
        Needed::Nothing
    } else if crate::passkeys::ssr::any(conn, broker_id, user_id).await? {
        Needed::Passkey
    } else {
        Needed::SetUp
    })
}

#[derive(sqlx::FromRow)]
struct Unfinished {
    secret: String,
    created_at: i64,
}

/// The secret of a set-up in progress: the one begun within the day (a reloaded page shows
/// the same QR code), else a new one. `None` if the account already has a working factor.
async fn begin_set_up(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    user_id: UserId,
    now: i64,
) -> Result<Option<Vec<u8>>> {
    if active(&mut *conn, broker_id, user_id).await? {
        return Ok(None);
    }
    let open: Option<Unfinished> =
        sqlx::query_as("SELECT secret, created_at FROM totp_factors WHERE broker_id = $1 AND user_id = $2")
            .bind(broker_id)
            .bind(user_id)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some(open) = open.filter(|o| now - o.created_at < UNFINISHED_SET_UP_SECS) {
        if let Ok(secret) = hex::decode(open.secret) {
            return Ok(Some(secret));
        }
    }
    let secret = rules::new_secret();
    sqlx::query("DELETE FROM totp_factors WHERE broker_id = $1 AND user_id = $2")
        .bind(broker_id)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO totp_factors (user_id, broker_id, secret, created_at) VALUES ($1, $2, $3, $4)")
        .bind(user_id)
        .bind(broker_id)
        .bind(hex::encode(&secret))
        .bind(now)
        .execute(conn)
        .await?;
    Ok(Some(secret))
}

#[derive(sqlx::FromRow)]
struct Factor {
    secret: String,
    last_step: i64,
}

async fn factor(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    user_id: UserId,
    confirmed: bool,
) -> Result<Option<(Vec<u8>, i64)>> {
    let row: Option<Factor> = sqlx::query_as(if confirmed {
        "SELECT secret, last_step FROM totp_factors WHERE broker_id = $1 AND user_id = $2 AND confirmed_at IS NOT NULL"
    } else {
        "SELECT secret, last_step FROM totp_factors WHERE broker_id = $1 AND user_id = $2 AND confirmed_at IS NULL"
    })
    .bind(broker_id)
    .bind(user_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.and_then(|r| hex::decode(r.secret).ok().map(|s| (s, r.last_step))))
}

/// Takes a step for good, unless a parallel request took it (or a newer one) first.
async fn take_step(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    user_id: UserId,
    step: i64,
    confirm_at: Option<i64>,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE totp_factors SET last_step = $3, confirmed_at = COALESCE(confirmed_at, $4)
         WHERE broker_id = $1 AND user_id = $2 AND last_step < $3",
    )
    .bind(broker_id)
    .bind(user_id)
    .bind(step)
    .bind(confirm_at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Finishes a set-up with the first code from the app. False for a wrong code.
async fn finish_set_up(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    user_id: UserId,
    typed: &str,
    now: i64,
) -> Result<bool> {
    let Some((secret, last_step)) = factor(&mut *conn, broker_id, user_id, false).await? else {
        return Ok(false);
    };
    match rules::accepted_step(&secret, typed, now, last_step) {
        Some(step) => take_step(conn, broker_id, user_id, step, Some(now)).await,
        None => Ok(false),
    }
}

/// How a person proved their second factor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Proof {
    App,
    RecoveryCode,
}

/// Checks a typed code: six digits against the app, anything else against the unused
/// recovery codes (which it then uses up).
pub async fn check(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    user_id: UserId,
    typed: &str,
    now: i64,
) -> Result<Option<Proof>> {
    if rules::looks_like_app_code(typed) {
        let Some((secret, last_step)) = factor(&mut *conn, broker_id, user_id, true).await? else {
            return Ok(None);
        };
        return Ok(match rules::accepted_step(&secret, typed, now, last_step) {
            Some(step) if take_step(conn, broker_id, user_id, step, None).await? => Some(Proof::App),
            _ => None,
        });
    }
    let Some(code) = rules::normalized_recovery_code(typed) else { return Ok(None) };
    let used = sqlx::query(
        "UPDATE recovery_codes SET used_at = $1
         WHERE code_hash = $2 AND broker_id = $3 AND user_id = $4 AND used_at IS NULL",
    )
    .bind(now)
    .bind(recovery_digest(user_id, &code))
    .bind(broker_id)
    .bind(user_id)
    .execute(conn)
    .await?;
    Ok((used.rows_affected() == 1).then_some(Proof::RecoveryCode))
}

fn recovery_digest(user_id: UserId, normalized: &str) -> String {
    tokens::digest(&format!("{}:{normalized}", user_id.0))
}

/// Ten new recovery codes in place of the old ones; only their digests are kept.
async fn replace_recovery_codes(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    user_id: UserId,
    now: i64,
) -> Result<Vec<String>> {
    sqlx::query("DELETE FROM recovery_codes WHERE broker_id = $1 AND user_id = $2")
        .bind(broker_id)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    let codes = rules::new_recovery_codes();
    for code in &codes {
        let normalized = rules::normalized_recovery_code(code).unwrap_or_default();
        sqlx::query(
            "INSERT INTO recovery_codes (code_hash, broker_id, user_id, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(recovery_digest(user_id, &normalized))
        .bind(broker_id)
        .bind(user_id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(codes)
}

async fn recovery_left(conn: &mut AnyConnection, broker_id: BrokerId, user_id: UserId) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM recovery_codes WHERE broker_id = $1 AND user_id = $2 AND used_at IS NULL",
    )
    .bind(broker_id)
    .bind(user_id)
    .fetch_one(conn)
    .await?)
}

/// Removes an account's second factor, its recovery codes and its passkeys; false if it had none.
pub async fn remove_of(conn: &mut AnyConnection, broker_id: BrokerId, user_id: UserId) -> Result<bool> {
    let had = active(&mut *conn, broker_id, user_id).await?
        | crate::passkeys::ssr::remove_all(&mut *conn, broker_id, user_id).await?;
    for table in ["totp_factors", "recovery_codes", "sign_in_challenges"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE broker_id = $1 AND user_id = $2"))
            .bind(broker_id)
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(had)
}

/// Opens the wait for a second factor after a right password; the secret goes into a cookie.
async fn open_challenge(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    user_id: UserId,
    now: i64,
) -> Result<String> {
    let secret = tokens::new_secret();
    sqlx::query(
        "INSERT INTO sign_in_challenges (id_hash, broker_id, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(tokens::digest(&secret))
    .bind(broker_id)
    .bind(user_id)
    .bind(now)
    .bind(now + CHALLENGE_SECS)
    .execute(conn)
    .await?;
    Ok(secret)
}

/// A sign-in waiting for its second factor, with its account.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Challenge {
    pub id_hash: String,
    pub user_id: UserId,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub email: String,
}

async fn challenge(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    secret: &str,
    now: i64,
) -> Result<Option<Challenge>> {
    Ok(sqlx::query_as(
        "SELECT c.id_hash, c.user_id, u.role, u.email FROM sign_in_challenges c
         JOIN users u ON u.id = c.user_id AND u.broker_id = c.broker_id
         WHERE c.id_hash = $1 AND c.broker_id = $2 AND c.expires_at > $3 AND c.failures < $4
           AND u.deactivated_at IS NULL",
    )
    .bind(tokens::digest(secret))
    .bind(broker_id)
    .bind(now)
    .bind(CHALLENGE_FAILURES)
    .fetch_optional(conn)
    .await?)
}

/// Counts a wrong code; true when the sign-in has had its share and is over.
async fn challenge_failed(conn: &mut AnyConnection, broker_id: BrokerId, id_hash: &str) -> Result<bool> {
    let failures: Option<i64> = sqlx::query_scalar(
        "UPDATE sign_in_challenges SET failures = failures + 1 WHERE id_hash = $1 AND broker_id = $2 RETURNING failures",
    )
    .bind(id_hash)
    .bind(broker_id)
    .fetch_optional(conn)
    .await?;
    Ok(failures.is_none_or(|f| f >= CHALLENGE_FAILURES))
}

async fn close_challenge(conn: &mut AnyConnection, broker_id: BrokerId, id_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM sign_in_challenges WHERE id_hash = $1 AND broker_id = $2")
        .bind(id_hash)
        .bind(broker_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Housekeeping: sign-ins nobody finished, and set-ups nobody finished within a day.
pub async fn purge(db: &Db, now: i64) -> Result<u64> {
    let challenges = sqlx::query("DELETE FROM sign_in_challenges WHERE expires_at < $1")
        .bind(now)
        .execute(&db.pool)
        .await?;
    let set_ups = sqlx::query("DELETE FROM totp_factors WHERE confirmed_at IS NULL AND created_at < $1")
        .bind(now - UNFINISHED_SET_UP_SECS)
        .execute(&db.pool)
        .await?;
    let ceremonies = crate::passkeys::ssr::purge(db, now).await?;
    Ok(challenges.rows_affected() + set_ups.rows_affected() + ceremonies)
}

// ---------------------------------------------------------------------------------------
// The sign-in's second step

fn challenge_cookie(secret: &str, local: bool) -> String {
    if local {
        format!("{COOKIE_LOCAL}={secret}; Path=/; HttpOnly; SameSite=Lax; Max-Age={CHALLENGE_SECS}")
    } else {
        format!("{COOKIE_SECURE}={secret}; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age={CHALLENGE_SECS}")
    }
}

fn clear_challenge_cookie(local: bool) {
    crate::auth::ssr::set_cookie(&if local {
        format!("{COOKIE_LOCAL}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
    } else {
        format!("{COOKIE_SECURE}=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0")
    });
}

/// After the right password (or a link) of someone who needs a second factor: opens the
/// wait for it, commits the caller's transaction and sends the person to the code page.
pub async fn ask(
    mut tx: sqlx::Transaction<'_, sqlx::Any>,
    ctx: &RequestCtx,
    user_id: UserId,
    now: i64,
) -> Result<()> {
    let secret = open_challenge(&mut tx, ctx.broker.id, user_id, now).await?;
    tx.commit().await?;
    crate::auth::ssr::set_cookie(&challenge_cookie(&secret, ctx.local));
    leptos_axum::redirect("/login/code");
    Ok(())
}

/// The sign-in waiting for a second factor in this browser, if any.
async fn current_challenge(state: &AppState, ctx: &RequestCtx) -> Result<Option<Challenge>> {
    let name = if ctx.local { COOKIE_LOCAL } else { COOKIE_SECURE };
    let Some(secret) = crate::request::cookie(name) else { return Ok(None) };
    challenge(&mut *state.db.pool.acquire().await?, ctx.broker.id, &secret, now()).await
}

pub async fn pending() -> Result<Pending> {
    let ctx = request_ctx()?;
    let state = app_state()?;
    let found = current_challenge(&state, &ctx).await?.ok_or(AppError::SignInAgain)?;
    let active = active(&mut *state.db.pool.acquire().await?, ctx.broker.id, found.user_id).await?;
    Ok(Pending { email: found.email, must_set_up: !active })
}

pub async fn verify(code: String) -> Result<()> {
    let ctx = request_ctx()?;
    let state = app_state()?;
    let found = current_challenge(&state, &ctx).await?.ok_or(AppError::SignInAgain)?;
    if code.trim().is_empty() {
        return Err(AppError::field("code", Problem::Required));
    }
    let now = now();
    let account_key = Key::account(ctx.broker.id, &found.email);
    let address_key = Key::address(ctx.ip);
    if let Attempt::Refused { retry_after_secs } =
        throttle::count_attempt(&state.db, &account_key, &address_key, now).await?
    {
        return Err(AppError::Throttled { retry_after_secs });
    }
    let mut tx = state.db.begin().await?;
    let Some(proof) = check(&mut tx, ctx.broker.id, found.user_id, &code, now).await? else {
        let over = challenge_failed(&mut tx, ctx.broker.id, &found.id_hash).await?;
        let actor = Actor::user(found.role, found.user_id);
        record(
            &mut tx,
            ctx.broker.id,
            actor,
            "sign_in.code_failed",
            Some(Target::User(found.user_id)),
            ctx.ip,
        )
        .await?;
        tx.commit().await?;
        if over {
            clear_challenge_cookie(ctx.local);
            return Err(AppError::SignInAgain);
        }
        return Err(AppError::field("code", Problem::InvalidCode));
    };
    close_challenge(&mut tx, ctx.broker.id, &found.id_hash).await?;
    throttle::succeeded(&mut tx, &account_key, &address_key, now).await?;
    if proof == Proof::RecoveryCode {
        let actor = Actor::user(found.role, found.user_id);
        record(
            &mut tx,
            ctx.broker.id,
            actor,
            "second_factor.recovery_code_used",
            Some(Target::User(found.user_id)),
            ctx.ip,
        )
        .await?;
    }
    if let Some(old) = &ctx.user {
        sessions::delete(&mut tx, ctx.broker.id, &old.session_hash).await?;
    }
    clear_challenge_cookie(ctx.local);
    crate::auth::ssr::sign_in(tx, &ctx, found.role, found.user_id, now).await
}

/// Who is setting up a factor: the signed-in person, or the one whose sign-in waits for a
/// factor the broker requires.
enum SettingUp {
    SignedIn(crate::auth::SessionUser),
    SigningIn(Challenge),
}

impl SettingUp {
    fn user(&self) -> (UserId, Role, &str) {
        match self {
            SettingUp::SignedIn(u) => (u.id, u.role, &u.email),
            SettingUp::SigningIn(c) => (c.user_id, c.role, &c.email),
        }
    }
}

async fn setting_up(state: &AppState, ctx: &RequestCtx) -> Result<SettingUp> {
    if let Some(user) = &ctx.user {
        return Ok(SettingUp::SignedIn(user.clone()));
    }
    current_challenge(state, ctx).await?.map(SettingUp::SigningIn).ok_or(AppError::SignInAgain)
}

pub async fn set_up() -> Result<SetUp> {
    let ctx = request_ctx()?;
    let state = app_state()?;
    let who = setting_up(&state, &ctx).await?;
    let (user_id, _, email) = who.user();
    let mut tx = state.db.begin().await?;
    let secret = begin_set_up(&mut tx, ctx.broker.id, user_id, now()).await?.ok_or(AppError::Forbidden)?;
    tx.commit().await?;
    let (url, key) = rules::set_up_link(&secret, &ctx.broker.name, email)
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("authenticator link")))?;
    let qr_svg = qrcode::QrCode::new(url.as_bytes())
        .map_err(AppError::internal)?
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build();
    Ok(SetUp { url, qr_svg, key })
}

pub async fn confirm(code: String) -> Result<Vec<String>> {
    let ctx = request_ctx()?;
    let state = app_state()?;
    let who = setting_up(&state, &ctx).await?;
    if let SettingUp::SignedIn(user) = &who {
        // A session left open elsewhere cannot tie the account to a stranger's phone.
        require_recent_proof(user)?;
    }
    let (user_id, role, _) = who.user();
    let now = now();
    let mut tx = state.db.begin().await?;
    if !finish_set_up(&mut tx, ctx.broker.id, user_id, &code, now).await? {
        return Err(AppError::field(
            "code",
            if code.trim().is_empty() { Problem::Required } else { Problem::InvalidCode },
        ));
    }
    let codes = replace_recovery_codes(&mut tx, ctx.broker.id, user_id, now).await?;
    record(
        &mut tx,
        ctx.broker.id,
        Actor::user(role, user_id),
        "second_factor.added",
        Some(Target::User(user_id)),
        ctx.ip,
    )
    .await?;
    match who {
        SettingUp::SignedIn(_) => tx.commit().await?,
        SettingUp::SigningIn(found) => {
            close_challenge(&mut tx, ctx.broker.id, &found.id_hash).await?;
            throttle::clear(&mut tx, &Key::account(ctx.broker.id, &found.email)).await?;
            clear_challenge_cookie(ctx.local);
            // Signed in, but the page stays: the codes are shown before going on.
            crate::auth::ssr::open_session(tx, &ctx, role, user_id, now).await?;
        }
    }
    Ok(codes)
}

pub async fn status() -> Result<Status> {
    let (ctx, user) = require_user()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    let policy = crate::tenancy::ssr::second_factor_policy(&mut conn, ctx.broker.id).await?;
    Ok(Status {
        active: active(&mut conn, ctx.broker.id, user.id).await?,
        required: policy.requires(user.role),
        recovery_left: recovery_left(&mut conn, ctx.broker.id, user.id).await?,
    })
}

pub async fn new_recovery_codes() -> Result<Vec<String>> {
    let (ctx, user) = require_user()?;
    require_recent_proof(&user)?;
    let state = app_state()?;
    let mut tx = state.db.begin().await?;
    if !active(&mut tx, ctx.broker.id, user.id).await? {
        return Err(AppError::NotFound);
    }
    let codes = replace_recovery_codes(&mut tx, ctx.broker.id, user.id, now()).await?;
    let actor = Actor::user(user.role, user.id);
    record(
        &mut tx,
        ctx.broker.id,
        actor,
        "second_factor.recovery_codes_renewed",
        Some(Target::User(user.id)),
        ctx.ip,
    )
    .await?;
    tx.commit().await?;
    Ok(codes)
}

pub async fn remove() -> Result<()> {
    let (ctx, user) = require_user()?;
    require_recent_proof(&user)?;
    let state = app_state()?;
    let mut tx = state.db.begin().await?;
    if crate::tenancy::ssr::second_factor_policy(&mut tx, ctx.broker.id).await?.requires(user.role) {
        return Err(AppError::Forbidden);
    }
    if !remove_of(&mut tx, ctx.broker.id, user.id).await? {
        return Err(AppError::NotFound);
    }
    record(
        &mut tx,
        ctx.broker.id,
        Actor::user(user.role, user.id),
        "second_factor.removed",
        Some(Target::User(user.id)),
        ctx.ip,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether this member of staff may reset that person's factor: anyone on the customer's
/// side, a colleague only for an owner, never one's own (that is the profile's business).
async fn resettable(
    conn: &mut AnyConnection,
    staff: &crate::auth::SessionUser,
    broker_id: BrokerId,
    user_id: UserId,
) -> Result<()> {
    let target = accounts::by_id(conn, broker_id, user_id).await?.ok_or(AppError::NotFound)?;
    if staff.id == user_id || (target.role.is_staff() && staff.role != Role::Owner) {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

pub async fn active_of(user_id: UserId) -> Result<bool> {
    let (ctx, staff) = require_staff()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    resettable(&mut conn, &staff, ctx.broker.id, user_id).await?;
    Ok(active(&mut conn, ctx.broker.id, user_id).await?
        || crate::passkeys::ssr::any(&mut conn, ctx.broker.id, user_id).await?)
}

pub async fn reset(user_id: UserId) -> Result<()> {
    let (ctx, staff) = require_staff()?;
    require_recent_proof(&staff)?;
    let state = app_state()?;
    let mut tx = state.db.begin().await?;
    resettable(&mut tx, &staff, ctx.broker.id, user_id).await?;
    if !remove_of(&mut tx, ctx.broker.id, user_id).await? {
        return Err(AppError::NotFound);
    }
    sessions::delete_all_of_user(&mut tx, ctx.broker.id, user_id).await?;
    record(
        &mut tx,
        ctx.broker.id,
        Actor::Staff(staff.id),
        "second_factor.reset",
        Some(Target::User(user_id)),
        ctx.ip,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn policy() -> Result<Policy> {
    let (ctx, _owner) = crate::request::require_owner()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    Ok(crate::tenancy::ssr::second_factor_policy(&mut conn, ctx.broker.id).await?)
}

pub async fn set_policy(staff: &str, customers: &str) -> Result<()> {
    let (ctx, owner) = require_owner_proved()?;
    let mut errors = FormErrors::default();
    let staff = super::StaffRule::parse(staff);
    if staff.is_none() {
        errors.push("staff", Problem::InvalidChoice);
    }
    let customers = super::CustomerRule::parse(customers);
    if customers.is_none() {
        errors.push("customers", Problem::InvalidChoice);
    }
    let (staff, customers) = errors.finish(staff.zip(customers))?;
    let state = app_state()?;
    let mut tx = state.db.begin().await?;
    crate::tenancy::ssr::set_second_factor_policy(&mut tx, ctx.broker.id, Policy { staff, customers })
        .await?;
    record(&mut tx, ctx.broker.id, Actor::Staff(owner.id), "broker.second_factor_rule_changed", None, ctx.ip)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// A page of this site to go on to; anything else goes home.
fn local_path(next: &str, role: Role) -> String {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control);
    if ok {
        next.to_owned()
    } else {
        role.home().to_owned()
    }
}

pub async fn prove(password: String, code: String, next: &str) -> Result<()> {
    let (ctx, user) = require_user()?;
    let state = app_state()?;
    if password.is_empty() {
        return Err(AppError::field("password", Problem::Required));
    }
    let now = now();
    let account_key = Key::account(ctx.broker.id, &user.email);
    let address_key = Key::address(ctx.ip);
    if let Attempt::Refused { retry_after_secs } =
        throttle::count_attempt(&state.db, &account_key, &address_key, now).await?
    {
        return Err(AppError::Throttled { retry_after_secs });
    }
    let hash = accounts::credentials(&mut *state.db.pool.acquire().await?, ctx.broker.id, &user.email)
        .await?
        .and_then(|c| c.password_hash);
    let password = if password.chars().count() > crate::auth::password_rules::MAX_CHARS {
        String::new()
    } else {
        password
    };
    let mut tx = state.db.begin().await?;
    let actor = Actor::user(user.role, user.id);
    if !password::verify(password, hash).await? {
        record(&mut tx, ctx.broker.id, actor, "identity.failed", Some(Target::User(user.id)), ctx.ip).await?;
        tx.commit().await?;
        return Err(AppError::field("password", Problem::WrongPassword));
    }
    if active(&mut tx, ctx.broker.id, user.id).await?
        && check(&mut tx, ctx.broker.id, user.id, &code, now).await?.is_none()
    {
        record(&mut tx, ctx.broker.id, actor, "identity.failed", Some(Target::User(user.id)), ctx.ip).await?;
        tx.commit().await?;
        let problem = if code.trim().is_empty() { Problem::Required } else { Problem::InvalidCode };
        return Err(AppError::field("code", problem));
    }
    throttle::succeeded(&mut tx, &account_key, &address_key, now).await?;
    sessions::mark_proved(&mut tx, ctx.broker.id, &user.session_hash, now).await?;
    record(&mut tx, ctx.broker.id, actor, "identity.confirmed", Some(Target::User(user.id)), ctx.ip).await?;
    tx.commit().await?;
    leptos_axum::redirect(&local_path(next, user.role));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::local_path;
    use crate::auth::Role;

    #[test]
    fn only_pages_of_this_site_are_gone_on_to() {
        assert_eq!(local_path("/office/settings", Role::Owner), "/office/settings");
        assert_eq!(local_path("//evil.example/x", Role::Owner), "/office/customers");
        assert_eq!(local_path("https://evil.example", Role::Owner), "/office/customers");
        assert_eq!(local_path("/\\evil.example", Role::Customer), "/app");
        assert_eq!(local_path("", Role::Customer), "/app");
    }
}
