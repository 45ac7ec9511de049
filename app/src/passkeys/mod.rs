//! Passkeys (WebAuthn, through `webauthn-rs`): added in *Profil*, several per account, named
//! and removable; signing in with one replaces the password and the second factor (the
//! authenticator verifies the person). The browser's part is `public/passkeys.js`.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::ids::PasskeyId;

pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod texts;

/// A passkey as its owner sees it in the profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PasskeyRow {
    pub id: PasskeyId,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

/// The first half of a ceremony: its id (to finish it) and the options for the browser's
/// `navigator.credentials`, as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ceremony {
    pub ceremony: String,
    pub options: String,
}

#[server(endpoint = "passkeys/list")]
pub async fn list_passkeys() -> Result<Vec<PasskeyRow>, AppError> {
    crate::request::respond(ssr::list().await)
}

#[server(endpoint = "passkeys/register-start")]
pub async fn register_start() -> Result<Ceremony, AppError> {
    crate::request::respond(ssr::register_start().await)
}

#[server(endpoint = "passkeys/register-finish")]
pub async fn register_finish(ceremony: String, name: String, credential: String) -> Result<(), AppError> {
    crate::request::respond(ssr::register_finish(&ceremony, &name, &credential).await)
}

#[server(endpoint = "passkeys/remove")]
pub async fn remove_passkey(id: PasskeyId) -> Result<(), AppError> {
    crate::request::respond(ssr::remove(id).await)
}

#[server(endpoint = "passkeys/sign-in-start")]
pub async fn sign_in_start() -> Result<Ceremony, AppError> {
    crate::request::respond(ssr::sign_in_start().await)
}

/// Finishes a sign-in with a passkey; answers the page to go to.
#[server(endpoint = "passkeys/sign-in-finish")]
pub async fn sign_in_finish(ceremony: String, credential: String) -> Result<String, AppError> {
    crate::request::respond(ssr::sign_in_finish(&ceremony, &credential).await)
}
