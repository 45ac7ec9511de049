//! Reading and changing a broker's brand, custom domains and logo. Only the owner changes
//! them; every change is in the audit trail.

use std::net::IpAddr;
use std::time::Duration;

use super::{
    parse_color, valid_domain, valid_link, BrandFields, BrandSettings, Contact, DnsStatus, DomainRow,
};
use crate::audit::ssr::{record, Actor};
use crate::db::Db;
use crate::error::{AppError, FormErrors, Problem, Result};
use crate::ids::BrokerId;
use crate::request::{app_state, require_owner, require_owner_proved, require_user};
use crate::tenancy::{self, normalize_host};

/// A checked brand, as stored (the brokers table's brand columns).
pub use crate::tenancy::ssr::BrandRow as Brand;

/// The longest broker name (as `folio broker add` allows).
const BROKER_NAME_MAX_CHARS: usize = 120;

impl BrandFields {
    /// Every problem at once, each at its field.
    pub fn validate(&self) -> Result<Brand> {
        let mut errors = FormErrors::default();
        let name = errors.required("broker_name", &self.name, BROKER_NAME_MAX_CHARS);
        let mut color = |field: &str, input: &str| {
            let color = parse_color(input);
            if color.is_none() {
                errors.push(field, Problem::InvalidColor);
            }
            color
        };
        let primary_color = color("primary_color", &self.primary_color);
        let accent_color = color("accent_color", &self.accent_color);
        let text = |errors: &mut FormErrors, field: &str, input: &str, max: usize| {
            Some(errors.optional(field, input, max)).filter(|v| !v.is_empty())
        };
        let phone = text(&mut errors, "contact_phone", &self.phone, 40);
        let email = if self.email.trim().is_empty() {
            None
        } else {
            errors.email("contact_email", &self.email).map(|e| e.as_str().to_owned())
        };
        let address = Some(errors.optional_lines("address", &self.address, 300)).filter(|v| !v.is_empty());
        let opening_hours =
            Some(errors.optional_lines("opening_hours", &self.opening_hours, 300)).filter(|v| !v.is_empty());
        let mut link = |field: &str, input: &str| {
            let url = text(&mut errors, field, input, 500);
            if url.as_deref().is_some_and(|u| !valid_link(u)) {
                errors.push(field, Problem::InvalidUrl);
            }
            url
        };
        let imprint_url = link("imprint_url", &self.imprint_url);
        let privacy_url = link("privacy_url", &self.privacy_url);
        let (primary_color, accent_color) = errors.finish(primary_color.zip(accent_color))?;
        Ok(Brand {
            name,
            primary_color,
            accent_color,
            phone,
            email,
            address,
            opening_hours,
            imprint_url,
            privacy_url,
        })
    }
}

/// The broker's brand as the form shows it.
pub async fn form_of(db: &Db, broker_id: BrokerId) -> Result<BrandFields> {
    let mut conn = db.pool.acquire().await?;
    let row = tenancy::ssr::brand(&mut conn, broker_id).await?.ok_or(AppError::NotFound)?;
    Ok(BrandFields {
        name: row.name,
        primary_color: row.primary_color,
        accent_color: row.accent_color,
        phone: row.phone.unwrap_or_default(),
        email: row.email.unwrap_or_default(),
        address: row.address.unwrap_or_default(),
        opening_hours: row.opening_hours.unwrap_or_default(),
        imprint_url: row.imprint_url.unwrap_or_default(),
        privacy_url: row.privacy_url.unwrap_or_default(),
    })
}

/// Saves a checked brand and records who did it.
pub async fn store(
    db: &Db,
    broker_id: BrokerId,
    brand: &Brand,
    actor: Actor,
    ip: Option<IpAddr>,
) -> Result<()> {
    let mut tx = db.begin().await?;
    tenancy::ssr::set_brand(&mut tx, broker_id, brand).await?;
    record(&mut tx, broker_id, actor, "brand.updated", None, ip).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn save(form: BrandFields) -> Result<()> {
    let (ctx, owner) = require_owner_proved()?;
    let brand = form.validate()?;
    store(&app_state()?.db, ctx.broker.id, &brand, Actor::Staff(owner.id), ctx.ip).await
}

pub async fn settings() -> Result<BrandSettings> {
    let (ctx, _owner) = require_owner()?;
    let state = app_state()?;
    let form = form_of(&state.db, ctx.broker.id).await?;
    let domains = tenancy::ssr::domains(&state.db, ctx.broker.id).await?;
    let slug_host = format!("{}.{}", ctx.broker.slug, state.config.base_domain);
    let primary = tenancy::ssr::primary_host(&state.db, &ctx.broker, &state.config.base_domain).await?;
    let login_url = format!("{}/login", tenancy::base_url(&primary, state.config.local_port));
    let statuses = dns_statuses(&slug_host, &domains).await;
    Ok(BrandSettings {
        fields: form,
        has_logo: ctx.broker.logo_version > 0,
        slug_host,
        login_url,
        domains: domains.into_iter().zip(statuses).map(|(domain, dns)| DomainRow { domain, dns }).collect(),
    })
}

/// Whether each domain resolves to where the broker's own host resolves. The look-ups run
/// side by side and give up after two seconds, so a slow resolver never blocks the page.
async fn dns_statuses(own_host: &str, domains: &[String]) -> Vec<DnsStatus> {
    async fn addresses(host: String) -> Vec<IpAddr> {
        let lookup = tokio::time::timeout(Duration::from_secs(2), tokio::net::lookup_host((host, 443))).await;
        match lookup {
            Ok(Ok(addrs)) => addrs.map(|a| a.ip()).collect(),
            _ => Vec::new(),
        }
    }
    let own = tokio::spawn(addresses(own_host.to_owned()));
    let lookups: Vec<_> = domains.iter().map(|d| tokio::spawn(addresses(d.clone()))).collect();
    let own = own.await.unwrap_or_default();
    let mut statuses = Vec::with_capacity(lookups.len());
    for lookup in lookups {
        let found = lookup.await.unwrap_or_default();
        statuses.push(if found.is_empty() {
            DnsStatus::Missing
        } else if found.iter().any(|ip| own.contains(ip)) {
            DnsStatus::PointsHere
        } else {
            DnsStatus::Elsewhere
        });
    }
    statuses
}

/// A domain as people type it: `https://Portal.Makler.de/` → `portal.makler.de`.
pub fn clean_domain(input: &str) -> String {
    let trimmed = input.trim();
    let without_scheme =
        trimmed.strip_prefix("https://").or_else(|| trimmed.strip_prefix("http://")).unwrap_or(trimmed);
    normalize_host(without_scheme.split('/').next().unwrap_or_default())
}

/// Adds a custom domain: a DNS name outside Folio's own base domain that no other broker has.
pub async fn add_domain_to(
    db: &Db,
    broker_id: BrokerId,
    base_domain: &str,
    input: &str,
    actor: Actor,
    ip: Option<IpAddr>,
) -> Result<String> {
    let domain = clean_domain(input);
    if domain.is_empty() {
        return Err(AppError::field("domain", Problem::Required));
    }
    // A slug host under Folio's base domain belongs to that slug's broker.
    let folios_own = domain == base_domain || tenancy::slug_of_host(&domain, base_domain).is_some();
    if !valid_domain(&domain) || folios_own {
        return Err(AppError::field("domain", Problem::InvalidDomain));
    }
    let mut tx = db.begin().await?;
    if !tenancy::ssr::add_domain(&mut tx, broker_id, &domain).await? {
        return Err(AppError::field("domain", Problem::DomainTaken));
    }
    record(&mut tx, broker_id, actor, "domain.added", None, ip).await?;
    tx.commit().await?;
    Ok(domain)
}

pub async fn add_domain(domain: String) -> Result<()> {
    let (ctx, owner) = require_owner_proved()?;
    let state = app_state()?;
    add_domain_to(
        &state.db,
        ctx.broker.id,
        &state.config.base_domain,
        &domain,
        Actor::Staff(owner.id),
        ctx.ip,
    )
    .await
    .map(drop)
}

pub async fn remove_domain(domain: String) -> Result<()> {
    let (ctx, owner) = require_owner_proved()?;
    let state = app_state()?;
    let domain = clean_domain(&domain);
    // Removing the address the owner is using would end the page under their feet.
    if domain == ctx.host {
        return Err(AppError::field("domain", Problem::DomainInUse));
    }
    let mut tx = state.db.begin().await?;
    if !tenancy::ssr::remove_domain(&mut tx, ctx.broker.id, &domain).await? {
        return Err(AppError::NotFound);
    }
    record(&mut tx, ctx.broker.id, Actor::Staff(owner.id), "domain.removed", None, ctx.ip).await?;
    tx.commit().await?;
    Ok(())
}

/// Stores a logo (already made into Folio's PNG) or removes it.
pub async fn set_logo(
    db: &Db,
    broker_id: BrokerId,
    png: Option<Vec<u8>>,
    actor: Actor,
    ip: Option<IpAddr>,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let action = if png.is_some() { "logo.updated" } else { "logo.removed" };
    tenancy::ssr::set_logo(&mut tx, broker_id, png).await?;
    record(&mut tx, broker_id, actor, action, None, ip).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove_logo() -> Result<()> {
    let (ctx, owner) = require_owner_proved()?;
    set_logo(&app_state()?.db, ctx.broker.id, None, Actor::Staff(owner.id), ctx.ip).await
}

/// The stored logo PNG, if the broker has one.
pub async fn logo(db: &Db, broker_id: BrokerId) -> Result<Option<Vec<u8>>> {
    Ok(tenancy::ssr::logo(db, broker_id).await?)
}

pub async fn contact() -> Result<Contact> {
    let (ctx, _user) = require_user()?;
    let form = form_of(&app_state()?.db, ctx.broker.id).await?;
    let some = |s: String| Some(s).filter(|s| !s.is_empty());
    Ok(Contact {
        name: form.name,
        phone: some(form.phone),
        email: some(form.email),
        address: some(form.address),
        opening_hours: some(form.opening_hours),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> BrandFields {
        BrandFields {
            name: "Makler Müller".into(),
            primary_color: "#0F766E".into(),
            accent_color: "#f59e0b".into(),
            ..BrandFields::default()
        }
    }

    #[test]
    fn a_valid_form_is_normalized() {
        let brand =
            BrandFields { email: " Info@Makler.de ".into(), phone: " ".into(), ..form() }.validate().unwrap();
        assert_eq!(brand.primary_color, "#0f766e");
        assert_eq!(brand.phone, None);
        assert_eq!(brand.email.as_deref(), Some("info@makler.de"));
    }

    #[test]
    fn every_problem_is_reported_at_its_field() {
        let bad = BrandFields {
            name: String::new(),
            primary_color: "blau".into(),
            accent_color: "#12".into(),
            email: "kein-mail".into(),
            imprint_url: "javascript:alert(1)".into(),
            privacy_url: "www.makler.de/datenschutz".into(),
            ..form()
        };
        let Err(AppError::Invalid(errors)) = bad.validate() else { panic!("expected field errors") };
        let fields: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.problem)).collect();
        assert_eq!(
            fields,
            [
                ("broker_name", Problem::Required),
                ("primary_color", Problem::InvalidColor),
                ("accent_color", Problem::InvalidColor),
                ("contact_email", Problem::InvalidEmail),
                ("imprint_url", Problem::InvalidUrl),
                ("privacy_url", Problem::InvalidUrl),
            ]
        );
    }

    #[test]
    fn domains_are_cleaned_as_people_type_them() {
        assert_eq!(clean_domain(" https://Portal.Makler-Mueller.de/login "), "portal.makler-mueller.de");
        assert_eq!(clean_domain("kunden.example."), "kunden.example");
    }
}
