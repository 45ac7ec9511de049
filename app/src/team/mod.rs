//! The office's own people: personal staff accounts (R1.4), invited by the owner, each
//! choosing their own password through a single-use link.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::auth::Role;
use crate::error::AppError;

pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRow {
    pub user_id: crate::ids::UserId,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    /// The invitation was used.
    pub active: bool,
    /// The owner ended this colleague's access.
    pub deactivated: bool,
}

#[server(endpoint = "team/list")]
pub async fn list_staff() -> Result<Vec<StaffRow>, AppError> {
    crate::request::respond(ssr::list().await)
}

#[server(endpoint = "team/invite")]
pub async fn invite_staff(display_name: String, email: String, role: String) -> Result<(), AppError> {
    crate::request::respond(ssr::invite(display_name, email, role).await)
}

/// The owner deletes a colleague's account (never their own); see `ssr::delete`.
#[server(endpoint = "team/delete")]
pub async fn delete_staff(user_id: crate::ids::UserId) -> Result<(), AppError> {
    crate::request::respond(ssr::delete(user_id).await)
}
