//! Customers: each is a folder (a person or a company). The office searches and invites
//! them and sees a customer's page with the reset-link button, who has access and the audit
//! trail; broker systems, the CLI and the mailbox's change requests write them through the
//! one owner of the table (`ssr`), with the one check of their data (`input`).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::audit::{AuditEntry, ChainCheck};
use crate::error::AppError;
use crate::ids::{CustomerId, UserId};

pub mod input;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

pub use input::{Address, CustomerFields, CustomerInput};

/// Whether a customer can sign in yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Access {
    /// No account (a record from the broker's system, not invited).
    None,
    /// Invited, no password chosen yet.
    Invited,
    Active,
    /// The office ended the access; it can restore it.
    Deactivated,
}

impl Access {
    /// The state of an existing account (no account: `Access::None`).
    #[cfg(feature = "ssr")]
    pub fn of_account(account: &crate::auth::accounts::Account) -> Self {
        if account.deactivated() {
            Access::Deactivated
        } else if account.active() {
            Access::Active
        } else {
            Access::Invited
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerRow {
    pub id: CustomerId,
    pub name: String,
    pub email: Option<String>,
    pub access: Access,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerRecord {
    pub id: CustomerId,
    pub first_name: String,
    pub last_name: String,
    /// Set for a company; then the names are its contact person's, if any.
    pub company_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// ISO date.
    pub birth_date: Option<String>,
    pub address: Option<Address>,
    /// The bank account, as staff took it over from a change request.
    pub iban: Option<String>,
    pub account_holder: Option<String>,
    pub user_id: Option<UserId>,
    pub access: Access,
    pub audit: Vec<AuditEntry>,
    /// The last check of the broker's trail, if there was one.
    pub trail_check: Option<ChainCheck>,
    /// Locked on erasure while documents must be kept (only owners open it).
    pub locked: Option<Lock>,
}

/// A folder locked on erasure: since when, and when housekeeping erases it (none while
/// contracts still run).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lock {
    pub at: i64,
    /// ISO date.
    pub erase_on: Option<String>,
}

impl CustomerRecord {
    /// The company's name, else the person's.
    pub fn display_name(&self) -> String {
        self.company_name.clone().unwrap_or_else(|| format!("{} {}", self.first_name, self.last_name))
    }

    pub fn is_company(&self) -> bool {
        self.company_name.is_some()
    }
}

/// A folder's name: the company's, else the person's.
pub fn display_name(first_name: &str, last_name: &str, company_name: Option<&str>) -> String {
    match company_name.filter(|c| !c.is_empty()) {
        Some(company) => company.to_owned(),
        None => format!("{first_name} {last_name}"),
    }
}

/// Customers on one page of the office's list.
pub const PAGE_SIZE: usize = 50;

/// A page (from 0) of the broker's customers matching name, e-mail or policy number, by
/// name. Up to `PAGE_SIZE + 1` rows: an extra row means there is a next page.
#[server(endpoint = "customers/list")]
pub async fn list_customers(
    query: String,
    #[server(default)] page: u32,
) -> Result<Vec<CustomerRow>, AppError> {
    crate::request::respond(ssr::list(&query, page).await)
}

#[server(endpoint = "customers/detail")]
pub async fn customer_detail(id: CustomerId) -> Result<CustomerRecord, AppError> {
    crate::request::respond(ssr::detail(id).await)
}

#[server(endpoint = "customers/invite")]
pub async fn invite_customer(
    first_name: String,
    last_name: String,
    email: String,
) -> Result<CustomerId, AppError> {
    crate::request::respond(ssr::invite(first_name, last_name, email).await)
}
