//! Finding and creating brokers.

use anyhow::{bail, Context};
use sqlx::Row;

use super::{slug_of_host, valid_slug, Broker};
use crate::db::{now, Db};

const BROKER_COLUMNS: &str =
    "b.id, b.slug, b.name, b.primary_color, b.accent_color, b.logo_version, b.imprint_url, b.privacy_url";

fn broker_of(row: &sqlx::any::AnyRow) -> Result<Broker, sqlx::Error> {
    Ok(Broker {
        id: row.try_get(0)?,
        slug: row.try_get(1)?,
        name: row.try_get(2)?,
        primary_color: row.try_get(3)?,
        accent_color: row.try_get(4)?,
        logo_version: row.try_get(5)?,
        imprint_url: row.try_get(6)?,
        privacy_url: row.try_get(7)?,
    })
}

/// The broker a (normalized) host belongs to, if any.
pub async fn find_by_host(db: &Db, host: &str, base_domain: &str) -> Result<Option<Broker>, sqlx::Error> {
    let by_domain = sqlx::query(&format!(
        "SELECT {BROKER_COLUMNS} FROM brokers b JOIN broker_domains d ON d.broker_id = b.id WHERE d.domain = $1"
    ))
    .bind(host)
    .fetch_optional(&db.pool)
    .await?;
    if let Some(row) = by_domain {
        return broker_of(&row).map(Some);
    }
    match slug_of_host(host, base_domain) {
        Some(slug) => find_by_slug(db, slug).await,
        None => Ok(None),
    }
}

pub async fn find_by_slug(db: &Db, slug: &str) -> Result<Option<Broker>, sqlx::Error> {
    sqlx::query(&format!("SELECT {BROKER_COLUMNS} FROM brokers b WHERE b.slug = $1"))
        .bind(slug)
        .fetch_optional(&db.pool)
        .await?
        .map(|row| broker_of(&row))
        .transpose()
}

pub async fn find_by_id(db: &Db, id: i64) -> Result<Option<Broker>, sqlx::Error> {
    sqlx::query(&format!("SELECT {BROKER_COLUMNS} FROM brokers b WHERE b.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .map(|row| broker_of(&row))
        .transpose()
}

/// Creates a broker, or updates its name when the slug exists; adds the domains.
pub async fn upsert(db: &Db, slug: &str, name: &str, domains: &[String]) -> anyhow::Result<Broker> {
    if !valid_slug(slug) {
        bail!("invalid slug {slug:?}: use lower-case letters, digits and hyphens");
    }
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        bail!("the broker's name must have 1 to 120 characters");
    }
    let mut tx = db.begin().await?;
    let row = sqlx::query(
        "INSERT INTO brokers (slug, name, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (slug) DO UPDATE SET name = excluded.name
         RETURNING id, slug, name, primary_color, accent_color, logo_version, imprint_url, privacy_url",
    )
    .bind(slug)
    .bind(name)
    .bind(now())
    .fetch_one(&mut *tx)
    .await
    .context("cannot save the broker")?;
    let broker = broker_of(&row)?;
    crate::catalogue::ssr::seed_default(&mut tx, broker.id).await.context("cannot create the catalogue")?;
    for domain in domains {
        let domain = super::normalize_host(domain);
        if !add_domain(&mut tx, broker.id, &domain).await? {
            bail!("the domain {domain} belongs to another broker");
        }
    }
    tx.commit().await?;
    Ok(broker)
}

/// Adds a custom domain (normalized) to a broker; false when another broker has it. The
/// primary key decides, so two brokers adding the same name at once cannot both get it.
pub async fn add_domain(
    conn: &mut sqlx::AnyConnection,
    broker_id: i64,
    domain: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "INSERT INTO broker_domains (domain, broker_id, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (domain) DO NOTHING",
    )
    .bind(domain)
    .bind(broker_id)
    .bind(now())
    .execute(&mut *conn)
    .await?;
    let owner: i64 = sqlx::query_scalar("SELECT broker_id FROM broker_domains WHERE domain = $1")
        .bind(domain)
        .fetch_one(&mut *conn)
        .await?;
    Ok(owner == broker_id)
}

/// The host people reach a broker at: its first custom domain, else the slug host.
pub async fn primary_host(db: &Db, broker: &Broker, base_domain: &str) -> Result<String, sqlx::Error> {
    let domain: Option<String> = sqlx::query_scalar(
        "SELECT domain FROM broker_domains WHERE broker_id = $1 ORDER BY created_at, domain LIMIT 1",
    )
    .bind(broker.id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(domain.unwrap_or_else(|| format!("{}.{base_domain}", broker.slug)))
}
