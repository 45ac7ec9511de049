//! The `brokers` and `broker_domains` tables: finding a broker by host, creating one, its
//! brand columns (name, colours, contact card, links, logo), its custom domains and its
//! storage quota. The brand feature checks what it stores; the SQL is here.

use anyhow::{bail, Context};
use sqlx::AnyConnection;

use super::{slug_of_host, valid_slug, Broker};
use crate::db::{now, Db};
use crate::ids::BrokerId;

const BROKER_COLUMNS: &str =
    "b.id, b.slug, b.name, b.primary_color, b.accent_color, b.logo_version, b.imprint_url, b.privacy_url";

/// The broker a (normalized) host belongs to, if any.
pub async fn find_by_host(db: &Db, host: &str, base_domain: &str) -> Result<Option<Broker>, sqlx::Error> {
    let by_domain = sqlx::query_as(&format!(
        "SELECT {BROKER_COLUMNS} FROM brokers b JOIN broker_domains d ON d.broker_id = b.id WHERE d.domain = $1"
    ))
    .bind(host)
    .fetch_optional(&db.pool)
    .await?;
    if by_domain.is_some() {
        return Ok(by_domain);
    }
    match slug_of_host(host, base_domain) {
        Some(slug) => find_by_slug(db, slug).await,
        None => Ok(None),
    }
}

pub async fn find_by_slug(db: &Db, slug: &str) -> Result<Option<Broker>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {BROKER_COLUMNS} FROM brokers b WHERE b.slug = $1"))
        .bind(slug)
        .fetch_optional(&db.pool)
        .await
}

/// Every broker, by slug.
pub async fn all(db: &Db) -> Result<Vec<Broker>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {BROKER_COLUMNS} FROM brokers b ORDER BY b.slug"))
        .fetch_all(&db.pool)
        .await
}

pub async fn find_by_id(db: &Db, id: BrokerId) -> Result<Option<Broker>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {BROKER_COLUMNS} FROM brokers b WHERE b.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

/// Creates a broker, or updates its name when the slug exists; adds the domains. A new
/// broker's owners sign in with a second factor (the owner can change that).
pub async fn upsert(db: &Db, slug: &str, name: &str, domains: &[String]) -> anyhow::Result<Broker> {
    if !valid_slug(slug) {
        bail!("invalid slug {slug:?}: use lower-case letters, digits and hyphens");
    }
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        bail!("the broker's name must have 1 to 120 characters");
    }
    let mut tx = db.begin().await?;
    let broker: Broker = sqlx::query_as(
        "INSERT INTO brokers (slug, name, created_at, staff_second_factor) VALUES ($1, $2, $3, 'owners')
         ON CONFLICT (slug) DO UPDATE SET name = excluded.name
         RETURNING id, slug, name, primary_color, accent_color, logo_version, imprint_url, privacy_url",
    )
    .bind(slug)
    .bind(name)
    .bind(now())
    .fetch_one(&mut *tx)
    .await
    .context("cannot save the broker")?;
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
    conn: &mut AnyConnection,
    broker_id: BrokerId,
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
    let owner: BrokerId = sqlx::query_scalar("SELECT broker_id FROM broker_domains WHERE domain = $1")
        .bind(domain)
        .fetch_one(&mut *conn)
        .await?;
    Ok(owner == broker_id)
}

/// Removes a custom domain of the broker; false when it had no such domain.
pub async fn remove_domain(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    domain: &str,
) -> Result<bool, sqlx::Error> {
    let removed = sqlx::query("DELETE FROM broker_domains WHERE broker_id = $1 AND domain = $2")
        .bind(broker_id)
        .bind(domain)
        .execute(conn)
        .await?
        .rows_affected();
    Ok(removed > 0)
}

/// The broker's custom domains, oldest first.
pub async fn domains(db: &Db, broker_id: BrokerId) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT domain FROM broker_domains WHERE broker_id = $1 ORDER BY created_at, domain")
        .bind(broker_id)
        .fetch_all(&db.pool)
        .await
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

/// The brand columns of a broker, as stored (`None` where nothing is given).
#[derive(Clone, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct BrandRow {
    pub name: String,
    pub primary_color: String,
    pub accent_color: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub opening_hours: Option<String>,
    pub imprint_url: Option<String>,
    pub privacy_url: Option<String>,
}

pub async fn brand(conn: &mut AnyConnection, broker_id: BrokerId) -> Result<Option<BrandRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT name, primary_color, accent_color, phone, email, address, opening_hours, imprint_url, privacy_url
         FROM brokers WHERE id = $1",
    )
    .bind(broker_id)
    .fetch_optional(conn)
    .await
}

/// Stores a brand the brand feature has checked.
pub async fn set_brand(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    brand: &BrandRow,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE brokers SET name = $2, primary_color = $3, accent_color = $4, phone = $5, email = $6,
             address = $7, opening_hours = $8, imprint_url = $9, privacy_url = $10
         WHERE id = $1",
    )
    .bind(broker_id)
    .bind(&brand.name)
    .bind(&brand.primary_color)
    .bind(&brand.accent_color)
    .bind(&brand.phone)
    .bind(&brand.email)
    .bind(&brand.address)
    .bind(&brand.opening_hours)
    .bind(&brand.imprint_url)
    .bind(&brand.privacy_url)
    .execute(conn)
    .await?;
    Ok(())
}

/// The office's contact card, only where none has been given yet (the demo's first run).
pub async fn set_contact_if_missing(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    phone: &str,
    email: &str,
    address: &str,
    opening_hours: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE brokers SET phone = $2, email = $3, address = $4, opening_hours = $5 WHERE id = $1 AND phone IS NULL",
    )
    .bind(broker_id)
    .bind(phone)
    .bind(email)
    .bind(address)
    .bind(opening_hours)
    .execute(conn)
    .await?;
    Ok(())
}

/// Stores a logo PNG (or removes it with `None`); its version goes into the icons' URLs.
pub async fn set_logo(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    png: Option<Vec<u8>>,
) -> Result<(), sqlx::Error> {
    let version = if png.is_some() { now().max(1) } else { 0 };
    sqlx::query("UPDATE brokers SET logo_png = $2, logo_version = $3 WHERE id = $1")
        .bind(broker_id)
        .bind(png)
        .bind(version)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn logo(db: &Db, broker_id: BrokerId) -> Result<Option<Vec<u8>>, sqlx::Error> {
    let png: Option<Option<Vec<u8>>> = sqlx::query_scalar("SELECT logo_png FROM brokers WHERE id = $1")
        .bind(broker_id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(png.flatten())
}

/// The office's own address from the contact card, if given.
pub async fn office_email(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
) -> Result<Option<String>, sqlx::Error> {
    let email: Option<Option<String>> = sqlx::query_scalar("SELECT email FROM brokers WHERE id = $1")
        .bind(broker_id)
        .fetch_optional(conn)
        .await?;
    Ok(email.flatten().filter(|e| !e.is_empty()))
}

/// How many bytes of documents the broker may store.
pub async fn storage_quota(conn: &mut AnyConnection, broker_id: BrokerId) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT storage_quota_bytes FROM brokers WHERE id = $1")
        .bind(broker_id)
        .fetch_one(conn)
        .await
}

/// How many years after a customer's last contract ended their documents must be kept
/// (0: none); erasing a customer locks their folder for that long.
pub async fn retention_years(conn: &mut AnyConnection, broker_id: BrokerId) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT retention_years FROM brokers WHERE id = $1")
        .bind(broker_id)
        .fetch_one(conn)
        .await
}

pub async fn set_retention_years(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    years: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE brokers SET retention_years = $2 WHERE id = $1")
        .bind(broker_id)
        .bind(years)
        .execute(conn)
        .await?;
    Ok(())
}

/// Who must sign in with a second factor at this broker.
pub async fn second_factor_policy(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
) -> Result<crate::second_factor::Policy, sqlx::Error> {
    sqlx::query_as("SELECT staff_second_factor, customer_second_factor FROM brokers WHERE id = $1")
        .bind(broker_id)
        .fetch_one(conn)
        .await
}

pub async fn set_second_factor_policy(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    policy: crate::second_factor::Policy,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE brokers SET staff_second_factor = $2, customer_second_factor = $3 WHERE id = $1")
        .bind(broker_id)
        .bind(policy.staff.as_str())
        .bind(policy.customers.as_str())
        .execute(conn)
        .await?;
    Ok(())
}
