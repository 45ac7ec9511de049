//! Accounts, sign-in and sign-out, sessions, and the single-use links that let a person
//! choose a password. Nobody but the account holder ever sees or sets a password (R1.1).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::access::rules::{FolderAccess, Reader};
use crate::error::AppError;
use crate::i18n::Locale;
#[cfg(feature = "ssr")]
use crate::ids::BrokerId;
use crate::ids::{CustomerId, UserId};
use crate::tenancy::BrokerInfo;

#[cfg(feature = "ssr")]
pub mod accounts;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod password;
pub mod password_rules;
#[cfg(feature = "ssr")]
pub mod sessions;
#[cfg(feature = "ssr")]
pub mod ssr;
#[cfg(feature = "ssr")]
pub mod throttle;
#[cfg(feature = "ssr")]
pub mod tokens;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    Owner,
    Employee,
    Customer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Employee => "employee",
            Role::Customer => "customer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "owner" => Some(Role::Owner),
            "employee" => Some(Role::Employee),
            "customer" => Some(Role::Customer),
            _ => None,
        }
    }

    pub fn is_staff(self) -> bool {
        matches!(self, Role::Owner | Role::Employee)
    }

    pub fn is_customer(self) -> bool {
        self == Role::Customer
    }

    /// Where this role lands after signing in.
    pub fn home(self) -> &'static str {
        if self.is_staff() {
            "/office/customers"
        } else {
            "/app"
        }
    }
}

impl TryFrom<String> for Role {
    type Error = String;
    fn try_from(value: String) -> Result<Self, String> {
        Role::parse(&value).ok_or_else(|| format!("unknown role {value:?}"))
    }
}

/// The signed-in person, as the browser may know them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    pub id: UserId,
    pub role: Role,
    pub display_name: String,
    pub email: String,
    /// On the customer's side: the folders this account reaches, its own first, and on what
    /// (R3). Empty for staff. Looked up again on every request, so a revoked grant is gone
    /// at once.
    pub folders: Vec<FolderAccess>,
    /// The folder the person is looking at (one of `folders`).
    pub folder: Option<CustomerId>,
}

impl UserInfo {
    /// The folder looked at now, with what the person may do in it.
    pub fn current_folder(&self) -> Option<&FolderAccess> {
        self.folder.and_then(|id| self.folders.iter().find(|f| f.customer_id == id))
    }

    /// Who is reading, for the access decision.
    pub fn reader(&self) -> Reader {
        if self.role.is_staff() {
            Reader::Staff
        } else {
            Reader::Person { user_id: self.id, folders: self.folders.clone() }
        }
    }
}

/// A live session as the server loaded it for one request.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug)]
pub struct SessionUser {
    pub session_hash: String,
    pub broker_id: BrokerId,
    pub user: UserInfo,
    pub locale: Option<Locale>,
    /// When the person last proved who they are in this session (sign-in or a later proof).
    pub proved_at: i64,
}

#[cfg(feature = "ssr")]
impl SessionUser {
    /// The folder a person on the customer's side looks at now; staff and people without
    /// any folder are refused.
    pub fn folder(&self) -> Result<&FolderAccess, AppError> {
        self.user.current_folder().ok_or(AppError::Forbidden)
    }
}

#[cfg(feature = "ssr")]
impl std::ops::Deref for SessionUser {
    type Target = UserInfo;
    fn deref(&self) -> &UserInfo {
        &self.user
    }
}

/// Who is looking, at which broker, in which language. Computed on the server for each
/// page load and handed to the browser with the page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Viewer {
    pub broker: BrokerInfo,
    pub user: Option<UserInfo>,
    pub locale: Locale,
    pub session_expired: bool,
}

pub fn use_viewer() -> Viewer {
    use_context::<Viewer>().unwrap_or_default()
}

/// The purpose of a single-use link.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkPurpose {
    Invite,
    Reset,
    /// Finishes a sign-in whose right password came after too many wrong ones.
    SignIn,
}

impl LinkPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkPurpose::Invite => "invite",
            LinkPurpose::Reset => "reset",
            LinkPurpose::SignIn => "sign_in",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [LinkPurpose::Invite, LinkPurpose::Reset, LinkPurpose::SignIn].into_iter().find(|p| p.as_str() == s)
    }

    /// The page a link of this purpose opens.
    pub fn page(self) -> &'static str {
        match self {
            LinkPurpose::Invite | LinkPurpose::Reset => "set-password",
            LinkPurpose::SignIn => "sign-in",
        }
    }

    /// How long a link stays valid: 72 h for an invitation, 24 h for a reset (R1.3), 1 h to
    /// finish a sign-in.
    pub fn lifetime_secs(self) -> i64 {
        match self {
            LinkPurpose::Invite => 72 * 3600,
            LinkPurpose::Reset => 24 * 3600,
            LinkPurpose::SignIn => 3600,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkDetails {
    pub email: String,
    pub purpose: LinkPurpose,
}

#[server(endpoint = "auth/login")]
pub async fn login(email: String, password: String) -> Result<(), AppError> {
    crate::request::respond(ssr::login(email, password).await)
}

#[server(endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    crate::request::respond(ssr::logout(false).await)
}

#[server(endpoint = "auth/logout-everywhere")]
pub async fn logout_everywhere() -> Result<(), AppError> {
    crate::request::respond(ssr::logout(true).await)
}

#[server(endpoint = "auth/link")]
pub async fn link_info(token: String) -> Result<LinkDetails, AppError> {
    crate::request::respond(ssr::link_info(&token).await)
}

#[server(endpoint = "auth/set-password")]
pub async fn set_password(token: String, password: String, password_repeat: String) -> Result<(), AppError> {
    crate::request::respond(ssr::set_password(token, password, password_repeat).await)
}

/// Finishes a sign-in with the link mailed after too many failed attempts.
#[server(endpoint = "auth/sign-in-link")]
pub async fn use_sign_in_link(token: String) -> Result<(), AppError> {
    crate::request::respond(ssr::use_sign_in_link(token).await)
}

/// Staff send a customer or colleague a link to choose a new password (R1.3).
#[server(endpoint = "auth/send-reset")]
pub async fn send_reset(user_id: UserId) -> Result<(), AppError> {
    crate::request::respond(ssr::send_reset(user_id).await)
}

/// Staff end or restore a person's access (owners also a colleague's); see `ssr::set_active`.
#[server(endpoint = "accounts/set-active")]
pub async fn set_account_active(user_id: UserId, active: bool) -> Result<(), AppError> {
    crate::request::respond(ssr::set_active(user_id, active).await)
}
