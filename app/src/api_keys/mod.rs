//! API keys for broker systems: the owner creates, names, rotates and revokes them on the
//! settings page (or with `folio apikey`); a revoked key gets 401 at once.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::ids::ApiKeyId;

pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod texts;

/// A key as the owner sees it: never the secret, only the prefix that names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ApiKeyRow {
    pub id: ApiKeyId,
    pub name: String,
    pub prefix: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// A key just made: shown once, then only its digest is kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApiKey {
    pub name: String,
    pub key: String,
}

#[server(endpoint = "api_keys/list")]
pub async fn list_api_keys() -> Result<Vec<ApiKeyRow>, AppError> {
    crate::request::respond(ssr::list_for_owner().await)
}

#[server(endpoint = "api_keys/create")]
pub async fn create_api_key(name: String) -> Result<NewApiKey, AppError> {
    crate::request::respond(ssr::create_for_owner(name).await)
}

#[server(endpoint = "api_keys/revoke")]
pub async fn revoke_api_key(id: ApiKeyId) -> Result<(), AppError> {
    crate::request::respond(ssr::revoke_for_owner(id).await)
}

#[server(endpoint = "api_keys/rotate")]
pub async fn rotate_api_key(id: ApiKeyId) -> Result<NewApiKey, AppError> {
    crate::request::respond(ssr::rotate_for_owner(id).await)
}
