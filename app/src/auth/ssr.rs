//! Sign-in, sign-out, single-use links and the mails that carry them.

use http::header::{HeaderValue, SET_COOKIE};
use sqlx::AnyConnection;

use super::accounts::{self, NewUser};
use super::throttle::{self, Attempt, Key};
use super::{password, password_rules, sessions, tokens, LinkDetails, LinkPurpose, Role};
use crate::audit::ssr::{record, Actor, Target};
use crate::db::{now, secs_until, Db};
use crate::error::{AppError, FormErrors, Problem, Result};
use crate::i18n::Locale;
use crate::ids::{BrokerId, UserId};
use crate::mail::Mail;
use crate::request::{app_state, request_ctx, require_staff, RequestCtx};
use crate::second_factor::{self, ssr::Needed};
use crate::state::AppState;
use crate::tenancy::Broker;

/// Adds a `Set-Cookie` to this request's response.
pub(crate) fn set_cookie(value: &str) {
    if let (Some(options), Ok(value)) =
        (leptos::prelude::use_context::<leptos_axum::ResponseOptions>(), HeaderValue::from_str(value))
    {
        options.append_header(SET_COOKIE, value);
    }
}

/// Tells the browser to forget what the app kept in it (message drafts in `localStorage`),
/// so the next person on a shared phone finds nothing.
fn clear_site_storage() {
    if let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        options.insert_header(sessions::CLEAR_SITE_DATA, HeaderValue::from_static(sessions::CLEAR_STORAGE));
    }
}

/// Password checks for accounts past their free failures, one at a time (see [`login`]).
static UNDER_ATTACK: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

pub async fn login(email: String, password: String) -> Result<()> {
    let ctx = request_ctx()?;
    let state = app_state()?;
    let email = email.trim().to_lowercase();
    let mut errors = FormErrors::default();
    if email.is_empty() {
        errors.push("email", Problem::Required);
    }
    if password.is_empty() {
        errors.push("password", Problem::Required);
    }
    errors.finish(Some(()))?;
    let now = now();
    let account_key = Key::account(ctx.broker.id, &email);
    let address_key = Key::address(ctx.ip);
    let confirm_by_mail = match throttle::count_attempt(&state.db, &account_key, &address_key, now).await? {
        Attempt::Refused { retry_after_secs } => return Err(AppError::Throttled { retry_after_secs }),
        Attempt::Check { confirm_by_mail } => confirm_by_mail,
    };

    let account = accounts::credentials(&mut *state.db.pool.acquire().await?, ctx.broker.id, &email).await?;
    let (user_id, role, hash, deactivated) = match account {
        Some(a) => (Some(a.id), Some(a.role), a.password_hash, a.deactivated_at.is_some()),
        None => (None, None, None, false),
    };
    let password =
        if password.chars().count() > password_rules::MAX_CHARS { String::new() } else { password };
    let matches = {
        // Checks for accounts under attack take turns on one core; everybody else's
        // sign-in keeps the rest.
        let _turn = if confirm_by_mail {
            Some(UNDER_ATTACK.acquire().await.map_err(AppError::internal)?)
        } else {
            None
        };
        password::verify(password, hash).await?
    };

    let mut tx = state.db.begin().await?;
    let (Some(user_id), Some(role), true) = (user_id, role, matches) else {
        record(&mut tx, ctx.broker.id, Actor::Anonymous, "sign_in.failed", user_id.map(Target::User), ctx.ip)
            .await?;
        tx.commit().await?;
        // Under too many failures a wrong password hears what a right one hears.
        return Err(if confirm_by_mail { AppError::ConfirmByMail } else { AppError::BadCredentials });
    };
    let factor = if deactivated {
        Needed::Nothing
    } else {
        second_factor::ssr::needed(&mut tx, ctx.broker.id, user_id, role).await?
    };
    // Under attack, a second factor confirms the sign-in instead of a mailed link.
    if confirm_by_mail && !deactivated && factor != Needed::Code {
        // The right password, after many wrong ones: the account's own mailbox decides. Past
        // the hour's mail limit the answer stays the same, and no mail goes.
        let link = match issue_link(&mut tx, &ctx.broker, user_id, LinkPurpose::SignIn, &ctx.base_url(&state))
            .await
        {
            Err(AppError::TooManyMails { .. }) => return Err(AppError::ConfirmByMail),
            issued => issued?,
        };
        record(
            &mut tx,
            ctx.broker.id,
            Actor::Anonymous,
            "sign_in.link_sent",
            Some(Target::User(user_id)),
            ctx.ip,
        )
        .await?;
        tx.commit().await?;
        send_link_mail(&state, &ctx.broker, &link).await?;
        return Err(AppError::ConfirmByMail);
    }
    if factor != Needed::Nothing {
        // The password was right: the address gets its failure back, but the account's count
        // stays until the second factor is proved too.
        throttle::give_back(&mut tx, &address_key, now).await?;
        return finish_sign_in(tx, &ctx, role, user_id, factor, now).await;
    }
    throttle::succeeded(&mut tx, &account_key, &address_key, now).await?;
    if deactivated {
        // Only someone who knows the password learns that the office ended this access.
        record(
            &mut tx,
            ctx.broker.id,
            Actor::Anonymous,
            "sign_in.deactivated",
            Some(Target::User(user_id)),
            ctx.ip,
        )
        .await?;
        tx.commit().await?;
        return Err(AppError::Deactivated);
    }
    finish_sign_in(tx, &ctx, role, user_id, Needed::Nothing, now).await
}

/// After the password or a link: ends the session this browser had, then asks the second
/// factor where one is `needed`, else signs the person in.
async fn finish_sign_in(
    mut tx: sqlx::Transaction<'_, sqlx::Any>,
    ctx: &RequestCtx,
    role: Role,
    user_id: UserId,
    needed: Needed,
    now: i64,
) -> Result<()> {
    if let Some(old) = &ctx.user {
        sessions::delete(&mut tx, ctx.broker.id, &old.session_hash).await?;
    }
    match needed {
        Needed::Nothing => sign_in(tx, ctx, role, user_id, now).await,
        Needed::Code | Needed::SetUp => second_factor::ssr::ask(tx, ctx, user_id, now).await,
        Needed::Passkey => {
            tx.commit().await?;
            Err(AppError::UsePasskey)
        }
    }
}

/// Opens a session for someone who just proved who they are, records it, commits the
/// caller's transaction and sends them, with the new cookie, to their home page.
pub(crate) async fn sign_in(
    tx: sqlx::Transaction<'_, sqlx::Any>,
    ctx: &RequestCtx,
    role: Role,
    user_id: UserId,
    now: i64,
) -> Result<()> {
    open_session(tx, ctx, role, user_id, now).await?;
    leptos_axum::redirect(role.home());
    Ok(())
}

/// Like [`sign_in`], but the page stays where it is (it has something to show first).
pub(crate) async fn open_session(
    mut tx: sqlx::Transaction<'_, sqlx::Any>,
    ctx: &RequestCtx,
    role: Role,
    user_id: UserId,
    now: i64,
) -> Result<()> {
    let device = crate::request::device();
    let secret = sessions::create(&mut tx, ctx.broker.id, user_id, now, device.as_deref()).await?;
    record(
        &mut tx,
        ctx.broker.id,
        Actor::user(role, user_id),
        "sign_in",
        Some(Target::User(user_id)),
        ctx.ip,
    )
    .await?;
    tx.commit().await?;
    set_cookie(&sessions::cookie(&secret, ctx.local));
    Ok(())
}

pub async fn logout(everywhere: bool) -> Result<()> {
    let ctx = request_ctx()?;
    let state = app_state()?;
    if let Some(user) = &ctx.user {
        let mut tx = state.db.begin().await?;
        if everywhere {
            sessions::delete_all_of_user(&mut tx, ctx.broker.id, user.id).await?;
        } else {
            sessions::delete(&mut tx, ctx.broker.id, &user.session_hash).await?;
        }
        let action = if everywhere { "sign_out.everywhere" } else { "sign_out" };
        record(
            &mut tx,
            ctx.broker.id,
            Actor::user(user.role, user.id),
            action,
            Some(Target::User(user.id)),
            ctx.ip,
        )
        .await?;
        tx.commit().await?;
    }
    set_cookie(&sessions::clearing_cookie(ctx.local));
    clear_site_storage();
    leptos_axum::redirect("/login?signed_out=1");
    Ok(())
}

pub async fn link_info(token: &str) -> Result<LinkDetails> {
    let ctx = request_ctx()?;
    let state = app_state()?;
    #[derive(sqlx::FromRow)]
    struct Live {
        email: String,
        purpose: String,
    }
    let live: Live = sqlx::query_as(
        "SELECT u.email, t.purpose FROM auth_tokens t JOIN users u ON u.id = t.user_id AND u.broker_id = t.broker_id
         WHERE t.token_hash = $1 AND t.broker_id = $2 AND t.used_at IS NULL AND t.expires_at > $3
           AND u.deactivated_at IS NULL",
    )
    .bind(tokens::digest(token))
    .bind(ctx.broker.id)
    .bind(now())
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or(AppError::LinkInvalid)?;
    let purpose = LinkPurpose::parse(&live.purpose).ok_or(AppError::LinkInvalid)?;
    Ok(LinkDetails { email: live.email, purpose })
}

/// Uses a link: checks the new password first (a typo must not burn the link), then
/// consumes the token, stores the hash, ends every other session and signs the person in.
pub async fn set_password(token: String, password: String, password_repeat: String) -> Result<()> {
    let ctx = request_ctx()?;
    let state = app_state()?;
    password_rules::check(&password, &password_repeat)
        .map_err(|(field, problem)| AppError::field(field, problem))?;
    link_info(&token).await?;
    let hash = password::hash(password).await?;
    let now = now();
    let mut tx = state.db.begin().await?;
    let (user_id, purpose) = consume_link(&mut tx, ctx.broker.id, &token, now).await?;
    if purpose == LinkPurpose::SignIn {
        return Err(AppError::LinkInvalid);
    }
    let (role, email) = accounts::set_password_hash(&mut tx, ctx.broker.id, user_id, &hash.0)
        .await?
        .ok_or(AppError::LinkInvalid)?;
    sessions::delete_all_of_user(&mut tx, ctx.broker.id, user_id).await?;
    let action = if purpose == LinkPurpose::Invite { "password.set_from_invite" } else { "password.reset" };
    record(&mut tx, ctx.broker.id, Actor::user(role, user_id), action, Some(Target::User(user_id)), ctx.ip)
        .await?;
    // The owner of the account gets back in, however many wrong guesses others made.
    throttle::clear(&mut tx, &Key::account(ctx.broker.id, &email)).await?;
    let needed = second_factor::ssr::needed(&mut tx, ctx.broker.id, user_id, role).await?;
    finish_sign_in(tx, &ctx, role, user_id, needed, now).await
}

/// Uses up a live link: whose it is and what for. A caller that finds the purpose wrong
/// returns an error, and with its transaction the link is given back.
async fn consume_link(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    token: &str,
    now: i64,
) -> Result<(UserId, LinkPurpose)> {
    #[derive(sqlx::FromRow)]
    struct Consumed {
        user_id: UserId,
        purpose: String,
    }
    let consumed: Consumed = sqlx::query_as(
        "UPDATE auth_tokens SET used_at = $1
         WHERE token_hash = $2 AND broker_id = $3 AND used_at IS NULL AND expires_at > $1
         RETURNING user_id, purpose",
    )
    .bind(now)
    .bind(tokens::digest(token))
    .bind(broker_id)
    .fetch_optional(conn)
    .await?
    .ok_or(AppError::LinkInvalid)?;
    Ok((consumed.user_id, LinkPurpose::parse(&consumed.purpose).ok_or(AppError::LinkInvalid)?))
}

/// Uses a mailed sign-in link (sent when the right password came after too many wrong ones):
/// consumes it, forgets the account's failures and signs the person in.
pub async fn use_sign_in_link(token: String) -> Result<()> {
    let ctx = request_ctx()?;
    let state = app_state()?;
    let now = now();
    let mut tx = state.db.begin().await?;
    let (user_id, purpose) = consume_link(&mut tx, ctx.broker.id, &token, now).await?;
    if purpose != LinkPurpose::SignIn {
        return Err(AppError::LinkInvalid);
    }
    let user = accounts::by_id(&mut tx, ctx.broker.id, user_id).await?.ok_or(AppError::LinkInvalid)?;
    if user.deactivated() {
        return Err(AppError::LinkInvalid);
    }
    throttle::clear(&mut tx, &Key::account(ctx.broker.id, &user.email)).await?;
    let needed = second_factor::ssr::needed(&mut tx, ctx.broker.id, user_id, user.role).await?;
    finish_sign_in(tx, &ctx, user.role, user_id, needed, now).await
}

/// Staff send a reset link. Owners may reset anyone; employees customers and themselves.
pub async fn send_reset(user_id: UserId) -> Result<()> {
    let (ctx, staff) = require_staff()?;
    let state = app_state()?;
    let target = accounts::by_id(&mut *state.db.pool.acquire().await?, ctx.broker.id, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let target_role = target.role;
    let allowed = staff.role == Role::Owner || target_role == Role::Customer || staff.id == user_id;
    if !allowed {
        return Err(AppError::Forbidden);
    }
    if target.deactivated() {
        return Err(AppError::Deactivated);
    }
    let mut tx = state.db.begin().await?;
    let link = issue_link(&mut tx, &ctx.broker, user_id, LinkPurpose::Reset, &ctx.base_url(&state)).await?;
    record(
        &mut tx,
        ctx.broker.id,
        Actor::Staff(staff.id),
        "password.reset_link_sent",
        Some(Target::User(user_id)),
        ctx.ip,
    )
    .await?;
    tx.commit().await?;
    send_link_mail(&state, &ctx.broker, &link).await?;
    Ok(())
}

/// The office ends (`active = false`) or restores a person's access. Staff may do it for
/// the customer side; staff accounts only an owner, and never their own. Ending it ends
/// every session and unused link at once.
pub async fn set_active(user_id: UserId, active: bool) -> Result<()> {
    let (ctx, staff) = require_staff()?;
    let state = app_state()?;
    let mut tx = state.db.begin().await?;
    let target = accounts::by_id(&mut tx, ctx.broker.id, user_id).await?.ok_or(AppError::NotFound)?;
    if target.role.is_staff() && (staff.role != Role::Owner || staff.id == user_id) {
        return Err(AppError::Forbidden);
    }
    accounts::set_deactivated(&mut tx, ctx.broker.id, user_id, (!active).then(now)).await?;
    if !active {
        end_access(&mut tx, ctx.broker.id, user_id).await?;
    }
    let action = if active { "user.reactivated" } else { "user.deactivated" };
    record(&mut tx, ctx.broker.id, Actor::Staff(staff.id), action, Some(Target::User(user_id)), ctx.ip)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Ends every session and unused single-use link of an account at once.
pub async fn end_access(conn: &mut AnyConnection, broker_id: BrokerId, user_id: UserId) -> Result<()> {
    sessions::delete_all_of_user(&mut *conn, broker_id, user_id).await?;
    sqlx::query("DELETE FROM auth_tokens WHERE broker_id = $1 AND user_id = $2 AND used_at IS NULL")
        .bind(broker_id)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A link ready to be mailed.
pub struct IssuedLink {
    pub to: String,
    pub greeting_name: String,
    pub locale: Locale,
    pub url: String,
    pub purpose: LinkPurpose,
}

/// Creates a single-use link for a user; older unused links of the same purpose die.
pub async fn issue_link(
    conn: &mut AnyConnection,
    broker: &Broker,
    user_id: UserId,
    purpose: LinkPurpose,
    base_url: &str,
) -> Result<IssuedLink> {
    let now = now();
    let user = accounts::mail_identity(conn, broker.id, user_id).await?.ok_or(AppError::NotFound)?;
    within_mail_limits(conn, broker.id, user_id, now).await?;
    sqlx::query(
        "UPDATE auth_tokens SET used_at = $1 WHERE broker_id = $2 AND user_id = $3 AND used_at IS NULL",
    )
    .bind(now)
    .bind(broker.id)
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    let secret = tokens::new_secret();
    sqlx::query(
        "INSERT INTO auth_tokens (token_hash, broker_id, user_id, purpose, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(tokens::digest(&secret))
    .bind(broker.id)
    .bind(user_id)
    .bind(purpose.as_str())
    .bind(now)
    .bind(now + purpose.lifetime_secs())
    .execute(&mut *conn)
    .await?;
    Ok(IssuedLink {
        locale: user.locale(),
        to: user.email,
        greeting_name: user.display_name,
        url: format!("{base_url}/{}/{secret}", purpose.page()),
        purpose,
    })
}

/// Link mails (invitations, resets, sign-in links) a broker may send per hour: plenty for an
/// office, a ceiling for a script run wild or a taken-over account.
pub const LINKS_PER_BROKER_HOUR: i64 = 200;
/// Link mails one person may receive per hour: nobody's mailbox is flooded through Folio.
pub const LINKS_PER_PERSON_HOUR: i64 = 5;

#[derive(sqlx::FromRow)]
struct RecentLinks {
    of_broker: i64,
    oldest_of_broker: Option<i64>,
    of_person: i64,
    oldest_of_person: Option<i64>,
}

/// Refuses another link mail while the broker or the person has had their hour's share;
/// says when the oldest of them leaves the hour.
async fn within_mail_limits(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    user_id: UserId,
    now: i64,
) -> Result<()> {
    let recent: RecentLinks = sqlx::query_as(
        "SELECT COUNT(*) AS of_broker, MIN(created_at) AS oldest_of_broker,
                COALESCE(SUM(CASE WHEN user_id = $2 THEN 1 ELSE 0 END), 0) AS of_person,
                MIN(CASE WHEN user_id = $2 THEN created_at END) AS oldest_of_person
         FROM auth_tokens WHERE broker_id = $1 AND created_at > $3",
    )
    .bind(broker_id)
    .bind(user_id)
    .bind(now - 3600)
    .fetch_one(conn)
    .await?;
    let full = [
        (recent.of_broker, recent.oldest_of_broker, LINKS_PER_BROKER_HOUR),
        (recent.of_person, recent.oldest_of_person, LINKS_PER_PERSON_HOUR),
    ];
    match full.into_iter().find(|(n, _, limit)| n >= limit) {
        Some((_, oldest, _)) => {
            Err(AppError::TooManyMails { retry_after_secs: secs_until(oldest.unwrap_or(now) + 3600, now) })
        }
        None => Ok(()),
    }
}

/// Links used or expired a week ago go (housekeeping).
pub async fn purge_links(db: &Db, now: i64) -> Result<u64> {
    let done = sqlx::query("DELETE FROM auth_tokens WHERE expires_at < $1")
        .bind(now - 7 * 86_400)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}

/// Creates an account without password and a 72-hour invitation link for it. An e-mail
/// address already used at this broker is a field error.
pub async fn invite_user(
    conn: &mut AnyConnection,
    broker: &Broker,
    actor: Actor,
    ip: Option<std::net::IpAddr>,
    base_url: &str,
    person: NewUser<'_>,
) -> Result<(UserId, IssuedLink)> {
    let user_id = accounts::create(conn, broker.id, &person).await?;
    let link = issue_link(conn, broker, user_id, LinkPurpose::Invite, base_url).await?;
    record(conn, broker.id, actor, "user.invited", Some(Target::User(user_id)), ip).await?;
    Ok((user_id, link))
}

/// The mail for a link: a greeting, the link, its lifetime. Nothing else about the person.
pub async fn send_link_mail(state: &AppState, broker: &Broker, link: &IssuedLink) -> Result<()> {
    let t = link.locale.texts();
    let hours = (link.purpose.lifetime_secs() / 3600).to_string();
    let (subject, intro, validity, ignore) = match link.purpose {
        LinkPurpose::Invite => {
            (t.mail_invite_subject, t.mail_invite_intro, t.mail_link_validity, t.mail_ignore)
        }
        LinkPurpose::Reset => (t.mail_reset_subject, t.mail_reset_intro, t.mail_link_validity, t.mail_ignore),
        LinkPurpose::SignIn => {
            (t.mail_sign_in_subject, t.mail_sign_in_intro, t.mail_sign_in_validity, t.mail_sign_in_ignore)
        }
    };
    let body = format!(
        "{greeting}\n\n{intro}\n\n{url}\n\n{validity}\n\n{ignore}\n\n{broker}\n",
        greeting = t.mail_greeting.replace("{name}", &link.greeting_name),
        intro = intro.replace("{broker}", &broker.name),
        url = link.url,
        validity = validity.replace("{hours}", &hours),
        broker = broker.name,
    );
    let mail = Mail {
        from_name: broker.name.clone(),
        from_address: state.config.mail_from.clone(),
        to: link.to.clone(),
        subject: subject.replace("{broker}", &broker.name),
        body,
    };
    state.mailer.send(mail).await.map_err(AppError::internal)
}
