//! Staff accounts of one broker.

use sqlx::Row;

use super::StaffRow;
use crate::audit::ssr::Actor;
use crate::auth::ssr::{invite_user, send_link_mail, NewUser};
use crate::auth::Role;
use crate::error::{AppError, FormErrors, Problem, Result, NAME_MAX_CHARS};
use crate::request::{app_state, require_owner, require_staff};

pub async fn list() -> Result<Vec<StaffRow>> {
    let (ctx, _staff) = require_staff()?;
    let state = app_state()?;
    let rows = sqlx::query(
        "SELECT id, display_name, email, role, CAST(CASE WHEN password_hash IS NULL THEN 0 ELSE 1 END AS BIGINT)
         FROM users WHERE broker_id = $1 AND role IN ('owner', 'employee') ORDER BY display_name, id",
    )
    .bind(ctx.broker.id)
    .fetch_all(&state.db.pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(StaffRow {
                user_id: row.try_get(0)?,
                display_name: row.try_get(1)?,
                email: row.try_get(2)?,
                role: Role::parse(&row.try_get::<String, _>(3)?).unwrap_or(Role::Employee),
                active: row.try_get::<i64, _>(4)? == 1,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(AppError::from)
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
