//! The second factor (R1, ASVS level 2): an authenticator app (TOTP) with ten single-use
//! recovery codes, asked after the password; the broker's rule of who must use one; an
//! office reset; and asking the password again before sensitive owner actions.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::auth::Role;
use crate::error::AppError;
use crate::ids::UserId;

pub mod pages;
#[cfg(feature = "ssr")]
pub mod rules;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod texts;

/// Who on the office's side must use a second factor.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum StaffRule {
    #[default]
    Optional,
    Owners,
    AllStaff,
}

/// Whether customers (and people with a grant) must use a second factor.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CustomerRule {
    #[default]
    Optional,
    Required,
}

impl StaffRule {
    pub const ALL: [StaffRule; 3] = [StaffRule::Optional, StaffRule::Owners, StaffRule::AllStaff];

    pub fn as_str(self) -> &'static str {
        match self {
            StaffRule::Optional => "optional",
            StaffRule::Owners => "owners",
            StaffRule::AllStaff => "staff",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

impl CustomerRule {
    pub const ALL: [CustomerRule; 2] = [CustomerRule::Optional, CustomerRule::Required];

    pub fn as_str(self) -> &'static str {
        match self {
            CustomerRule::Optional => "optional",
            CustomerRule::Required => "required",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

impl TryFrom<String> for StaffRule {
    type Error = String;
    fn try_from(value: String) -> Result<Self, String> {
        StaffRule::parse(&value).ok_or_else(|| format!("unknown rule {value:?}"))
    }
}

impl TryFrom<String> for CustomerRule {
    type Error = String;
    fn try_from(value: String) -> Result<Self, String> {
        CustomerRule::parse(&value).ok_or_else(|| format!("unknown rule {value:?}"))
    }
}

/// A broker's rule of who must sign in with a second factor.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Policy {
    #[cfg_attr(feature = "ssr", sqlx(rename = "staff_second_factor", try_from = "String"))]
    pub staff: StaffRule,
    #[cfg_attr(feature = "ssr", sqlx(rename = "customer_second_factor", try_from = "String"))]
    pub customers: CustomerRule,
}

impl Policy {
    /// Whether a person of this role must use a second factor.
    pub fn requires(self, role: Role) -> bool {
        match role {
            Role::Owner => self.staff != StaffRule::Optional,
            Role::Employee => self.staff == StaffRule::AllStaff,
            Role::Customer => self.customers == CustomerRule::Required,
        }
    }
}

/// What the sign-in page behind the password asks for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    pub email: String,
    /// No factor yet, but the broker requires one: set it up first.
    pub must_set_up: bool,
}

/// An authenticator app being set up: the link its QR code carries, the QR code (SVG) and
/// the key to type instead.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetUp {
    pub url: String,
    pub qr_svg: String,
    pub key: String,
}

/// The second factor of the signed-in person, for their profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    pub active: bool,
    pub required: bool,
    pub recovery_left: i64,
}

/// What the code page behind the password asks for.
#[server(endpoint = "second-factor/pending")]
pub async fn pending_sign_in() -> Result<Pending, AppError> {
    crate::request::respond(ssr::pending().await)
}

/// The second step of a sign-in: a code from the app or a recovery code.
#[server(endpoint = "second-factor/verify")]
pub async fn verify(code: String) -> Result<(), AppError> {
    crate::request::respond(ssr::verify(code).await)
}

/// Starts setting up an authenticator app (from the profile, or during a sign-in the broker
/// requires it for).
#[server(endpoint = "second-factor/set-up")]
pub async fn begin_set_up() -> Result<SetUp, AppError> {
    crate::request::respond(ssr::set_up().await)
}

/// Finishes the set-up with a first code; answers the recovery codes, shown once. During a
/// sign-in it also signs the person in.
#[server(endpoint = "second-factor/confirm")]
pub async fn finish_set_up(code: String) -> Result<Vec<String>, AppError> {
    crate::request::respond(ssr::confirm(code).await)
}

#[server(endpoint = "second-factor/status")]
pub async fn factor_status() -> Result<Status, AppError> {
    crate::request::respond(ssr::status().await)
}

/// Ten new recovery codes; the old ones stop working.
#[server(endpoint = "second-factor/recovery-codes")]
pub async fn new_recovery_codes() -> Result<Vec<String>, AppError> {
    crate::request::respond(ssr::new_recovery_codes().await)
}

/// The person removes their own second factor (not where the broker requires it).
#[server(endpoint = "second-factor/remove")]
pub async fn remove() -> Result<(), AppError> {
    crate::request::respond(ssr::remove().await)
}

/// Whether a person has a second factor: for the office's reset button.
#[server(endpoint = "second-factor/active")]
pub async fn active_of(user_id: UserId) -> Result<bool, AppError> {
    crate::request::respond(ssr::active_of(user_id).await)
}

/// The office resets a person's second factor: staff a customer's, an owner a colleague's.
#[server(endpoint = "second-factor/reset")]
pub async fn reset(user_id: UserId) -> Result<(), AppError> {
    crate::request::respond(ssr::reset(user_id).await)
}

#[server(endpoint = "second-factor/policy")]
pub async fn current_policy() -> Result<Policy, AppError> {
    crate::request::respond(ssr::policy().await)
}

#[server(endpoint = "second-factor/set-policy")]
pub async fn set_policy(staff: String, customers: String) -> Result<(), AppError> {
    crate::request::respond(ssr::set_policy(&staff, &customers).await)
}

/// Proves once more who one is (password, and the code where there is a factor) before a
/// sensitive action; then goes on to `next`, a page of this site.
#[server(endpoint = "second-factor/prove")]
pub async fn prove(password: String, code: Option<String>, next: String) -> Result<(), AppError> {
    crate::request::respond(ssr::prove(password, code.unwrap_or_default(), &next).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_names_who_must() {
        let owners = Policy { staff: StaffRule::Owners, customers: CustomerRule::Optional };
        assert!(owners.requires(Role::Owner));
        assert!(!owners.requires(Role::Employee));
        assert!(!owners.requires(Role::Customer));
        let all = Policy { staff: StaffRule::AllStaff, customers: CustomerRule::Required };
        assert!(all.requires(Role::Owner) && all.requires(Role::Employee) && all.requires(Role::Customer));
        let none = Policy::default();
        assert!(
            !none.requires(Role::Owner) && !none.requires(Role::Employee) && !none.requires(Role::Customer)
        );
        for rule in StaffRule::ALL {
            assert_eq!(StaffRule::parse(rule.as_str()), Some(rule));
        }
        for rule in CustomerRule::ALL {
            assert_eq!(CustomerRule::parse(rule.as_str()), Some(rule));
        }
        assert_eq!(StaffRule::parse("all"), None);
    }
}
