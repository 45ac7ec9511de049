//! Erasing and locking folders: the decision ([`super::rules`]) applied through each table's
//! owner; the server functions for owners; housekeeping's erasure of folders whose period is
//! over.

use std::net::IpAddr;

use sqlx::AnyConnection;

use super::rules::{plan, ContractState, Plan};
use super::{Preview, RETENTION_CHOICES};
use crate::audit::ssr::{record, Actor, Target};
use crate::auth::accounts;
use crate::documents::ssr::Files;
use crate::error::{AppError, Problem, Result};
use crate::ids::{BrokerId, CustomerId};
use crate::request::{app_state, require_owner, require_owner_proved};
use crate::state::AppState;

/// What erasing the folder would do as of `now`, and the broker's period.
pub async fn preview(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    id: CustomerId,
    now: i64,
) -> Result<Preview> {
    crate::customers::ssr::get(conn, broker_id, id).await?;
    let years = crate::tenancy::ssr::retention_years(conn, broker_id).await?;
    let contracts = crate::contracts::ssr::api_rows(conn, broker_id, Some(id), None).await?;
    let states: Vec<ContractState<'_>> = contracts
        .iter()
        .map(|c| ContractState { running: c.status == "active", end_date: c.end_date.as_deref() })
        .collect();
    Ok(Preview { plan: plan(&states, years, &crate::db::date_of(now)), retention_years: years })
}

/// Erases the folder or locks it, as the rule says today. Files are removed once the rows
/// are gone for good.
pub async fn erase_or_lock(
    state: &AppState,
    broker_id: BrokerId,
    id: CustomerId,
    actor: Actor,
    ip: Option<IpAddr>,
    now: i64,
) -> Result<Plan> {
    let mut tx = state.db.begin().await?;
    let Preview { plan, .. } = preview(&mut tx, broker_id, id, now).await?;
    let files = match &plan {
        Plan::EraseNow => erase(&mut tx, broker_id, id).await?,
        Plan::KeepUntil(_) | Plan::KeepWhileRunning => {
            crate::customers::ssr::lock(&mut tx, broker_id, id, plan.erase_on(), now).await?;
            for holder in holders(&mut tx, broker_id, id).await? {
                accounts::set_deactivated(&mut tx, broker_id, holder.id, Some(now)).await?;
                crate::auth::ssr::end_access(&mut tx, broker_id, holder.id).await?;
            }
            crate::access::ssr::revoke_all(&mut tx, broker_id, actor, ip, id).await?;
            crate::mailbox::ssr::close_folder(&mut tx, broker_id, id).await?;
            Vec::new()
        }
    };
    let action = if plan == Plan::EraseNow { "customer.erased" } else { "customer.locked" };
    record(&mut tx, broker_id, actor, action, Some(Target::Customer(id)), ip).await?;
    tx.commit().await?;
    crate::documents::ssr::remove_all(state, &files).await;
    Ok(plan)
}

/// The folder's own accounts (the policyholder's).
async fn holders(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    id: CustomerId,
) -> Result<Vec<accounts::Account>> {
    Ok(accounts::of_folders(conn, broker_id, &[id])
        .await?
        .into_iter()
        .filter(|a| a.role.is_customer())
        .collect())
}

/// Deletes the folder and everything of its holder, table by table through their owners;
/// returns the files to remove after the commit. The trail keeps its entries, which name
/// records by number only.
async fn erase(conn: &mut AnyConnection, broker_id: BrokerId, id: CustomerId) -> Result<Vec<Files>> {
    for holder in holders(conn, broker_id, id).await? {
        crate::mailbox::notices::forget(conn, broker_id, &holder.email).await?;
        crate::auth::throttle::forget_account(conn, broker_id, &holder.email).await?;
        crate::mailbox::ssr::erase_started_by(conn, broker_id, holder.id).await?;
    }
    crate::access::ssr::erase_folder(conn, broker_id, id).await?;
    let files = crate::documents::ssr::erase_folder(conn, broker_id, id).await?;
    crate::customers::ssr::erase(conn, broker_id, id).await?;
    Ok(files)
}

/// Housekeeping: erases locked folders whose period is over (their contracts may have ended
/// since), and keeps each lock's date current. Returns how many were erased.
pub async fn erase_due(state: &AppState, now: i64) -> Result<u64> {
    let locked = crate::customers::ssr::locked(&mut *state.db.pool.acquire().await?).await?;
    let mut erased = 0;
    for (broker_id, id) in locked {
        let mut conn = state.db.pool.acquire().await?;
        match preview(&mut conn, broker_id, id, now).await?.plan {
            Plan::EraseNow => {
                drop(conn);
                erase_or_lock(state, broker_id, id, Actor::System, None, now).await?;
                erased += 1;
            }
            kept => crate::customers::ssr::lock(&mut conn, broker_id, id, kept.erase_on(), now).await?,
        }
    }
    Ok(erased)
}

pub async fn preview_for_owner(id: CustomerId) -> Result<Preview> {
    let (ctx, _owner) = require_owner()?;
    preview(&mut *app_state()?.db.pool.acquire().await?, ctx.broker.id, id, crate::db::now()).await
}

pub async fn erase_for_owner(id: CustomerId) -> Result<Plan> {
    let (ctx, owner) = require_owner_proved()?;
    let state = app_state()?;
    let plan =
        erase_or_lock(&state, ctx.broker.id, id, Actor::Staff(owner.id), ctx.ip, crate::db::now()).await?;
    leptos_axum::redirect(&if plan == Plan::EraseNow {
        "/office/customers".to_owned()
    } else {
        format!("/office/customers/{id}")
    });
    Ok(plan)
}

pub async fn retention_for_owner() -> Result<i64> {
    let (ctx, _owner) = require_owner()?;
    Ok(crate::tenancy::ssr::retention_years(&mut *app_state()?.db.pool.acquire().await?, ctx.broker.id)
        .await?)
}

pub async fn set_retention_for_owner(years: &str) -> Result<()> {
    let (ctx, owner) = require_owner_proved()?;
    let years: i64 = years
        .trim()
        .parse()
        .ok()
        .filter(|y| RETENTION_CHOICES.contains(y))
        .ok_or(AppError::field("years", Problem::InvalidChoice))?;
    let state = app_state()?;
    let mut tx = state.db.begin().await?;
    crate::tenancy::ssr::set_retention_years(&mut tx, ctx.broker.id, years).await?;
    record(
        &mut tx,
        ctx.broker.id,
        Actor::Staff(owner.id),
        "retention.changed",
        Some(Target::Broker(ctx.broker.id)),
        ctx.ip,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
