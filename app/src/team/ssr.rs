//! Staff accounts of one broker.

use super::StaffRow;
use crate::audit::ssr::Actor;
use crate::auth::accounts::{self, NewUser};
use crate::auth::ssr::{invite_user, send_link_mail};
use crate::auth::Role;
use crate::error::{FormErrors, Problem, Result, NAME_MAX_CHARS};
use crate::request::{app_state, require_owner, require_staff};

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
    let (ctx, owner) = require_owner()?;
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
