//! Staff accounts of one broker.

use sqlx::{AnyConnection, Row};

use super::StaffRow;
use crate::audit::ssr::{record, Actor, Target};
use crate::auth::ssr::{issue_link, parse_email, send_link_mail, IssuedLink};
use crate::auth::{LinkPurpose, Role};
use crate::db::now;
use crate::email::Email;
use crate::error::{AppError, FieldError, Problem, Result};
use crate::request::{app_state, require_owner, require_staff};
use crate::tenancy::Broker;

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

/// Who is being invited to the team.
pub struct NewStaff<'a> {
    pub display_name: &'a str,
    pub email: &'a Email,
    pub role: Role,
}

/// Creates a staff account without password and a 72-hour invitation link for it.
pub async fn create_invited(
    conn: &mut AnyConnection,
    broker: &Broker,
    actor: Actor,
    ip: Option<std::net::IpAddr>,
    base_url: &str,
    person: NewStaff<'_>,
) -> Result<IssuedLink> {
    let NewStaff { display_name, email, role } = person;
    let user_id: i64 = sqlx::query_scalar(
        "INSERT INTO users (broker_id, email, role, display_name, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(broker.id)
    .bind(email.as_str())
    .bind(role.as_str())
    .bind(display_name)
    .bind(now())
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| match e {
        sqlx::Error::Database(d) if d.is_unique_violation() => AppError::field("email", Problem::EmailTaken),
        other => AppError::from(other),
    })?;
    let link = issue_link(conn, broker, user_id, LinkPurpose::Invite, base_url).await?;
    record(conn, broker.id, actor, "user.invited", Some(Target("user", user_id)), ip).await?;
    Ok(link)
}

pub async fn invite(display_name: String, email: String, role: String) -> Result<()> {
    let (ctx, owner) = require_owner()?;
    let state = app_state()?;
    let mut errors: Vec<FieldError> = Vec::new();
    let display_name = crate::customers::ssr::parse_name("display_name", &display_name, &mut errors);
    let role = match Role::parse(&role) {
        Some(role) if role.is_staff() => Some(role),
        _ => {
            errors.push(FieldError { field: "role".into(), problem: Problem::InvalidChoice });
            None
        }
    };
    let email = match parse_email("email", &email) {
        Ok(email) => Some(email),
        Err(AppError::Invalid(mut e)) => {
            errors.append(&mut e);
            None
        }
        Err(other) => return Err(other),
    };
    let (Some(email), Some(role), true) = (email, role, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let mut tx = state.db.pool.begin().await?;
    let person = NewStaff { display_name: &display_name, email: &email, role };
    let link =
        create_invited(&mut tx, &ctx.broker, Actor::Staff(owner.id), ctx.ip, &ctx.base_url(&state), person)
            .await?;
    tx.commit().await?;
    send_link_mail(&state, &ctx.broker, &link).await
}
