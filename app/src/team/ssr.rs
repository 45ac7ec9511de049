//! Staff accounts of one broker.

use super::StaffRow;
use crate::audit::ssr::{record, Actor, Target};
use crate::auth::accounts::{self, NewUser};
use crate::auth::ssr::{end_access, invite_user, send_link_mail};
use crate::auth::Role;
use crate::db::now;
use crate::error::{AppError, FormErrors, Problem, Result, NAME_MAX_CHARS};
use crate::ids::UserId;
use crate::request::{app_state, require_owner_proved, require_staff};

pub async fn list() -> Result<Vec<StaffRow>> {
    let (ctx, _staff) = require_staff()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    let staff = accounts::staff(&mut conn, ctx.broker.id).await?;
    Ok(staff
        .into_iter()
        .map(|a| StaffRow {
            active: a.active(),
            deactivated: a.deactivated(),
            user_id: a.id,
            display_name: a.display_name,
            email: a.email,
            role: a.role,
        })
        .collect())
}

pub async fn invite(display_name: String, email: String, role: String) -> Result<()> {
    let (ctx, owner) = require_owner_proved()?;
    let state = app_state()?;
    let mut errors = FormErrors::default();
    let display_name = errors.required("display_name", &display_name, NAME_MAX_CHARS);
    let role = Role::parse(&role).filter(|role| role.is_staff());
    if role.is_none() {
        errors.push("role", Problem::InvalidChoice);
    }
    let email = errors.email("email", &email);
    let (email, role) = errors.finish(email.zip(role))?;
    let mut tx = state.db.begin().await?;
    let person = NewUser { display_name: &display_name, email: &email, role, customer_id: None };
    let (_, link) =
        invite_user(&mut tx, &ctx.broker, Actor::Staff(owner.id), ctx.ip, &ctx.base_url(&state), person)
            .await?;
    tx.commit().await?;
    send_link_mail(&state, &ctx.broker, &link).await
}

/// The owner deletes a colleague's account: every session and link ends, what was assigned
/// to them returns to the shared inbox, and the trail keeps their name on what they did.
/// An owner cannot delete their own account, so a broker always keeps one.
pub async fn delete(user_id: UserId) -> Result<()> {
    let (ctx, owner) = require_owner_proved()?;
    if owner.id == user_id {
        return Err(AppError::Forbidden);
    }
    let state = app_state()?;
    let mut tx = state.db.begin().await?;
    if !accounts::delete_staff(&mut tx, ctx.broker.id, user_id, now()).await? {
        return Err(AppError::NotFound);
    }
    end_access(&mut tx, ctx.broker.id, user_id).await?;
    crate::second_factor::ssr::remove_of(&mut tx, ctx.broker.id, user_id).await?;
    crate::mailbox::ssr::unassign_all(&mut tx, ctx.broker.id, user_id).await?;
    record(
        &mut tx,
        ctx.broker.id,
        Actor::Staff(owner.id),
        "user.deleted",
        Some(Target::User(user_id)),
        ctx.ip,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
