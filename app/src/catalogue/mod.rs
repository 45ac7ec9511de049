//! The broker's catalogue of lines (Sparten) and their products, with the plain-language
//! text customers read for each (R2.6). A default catalogue ships with every new broker;
//! the office renames, reorders, hides, adds and deletes, and contracts follow at once.
//! Hidden entries are not offered for new contracts; existing contracts keep showing them.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::ids::{LineId, ProductId};

pub mod defaults;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod texts;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    pub id: ProductId,
    pub name: String,
    pub description: String,
    pub hidden: bool,
    /// How many contracts use it.
    pub contracts: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub id: LineId,
    pub name: String,
    pub description: String,
    pub hidden: bool,
    pub contracts: i64,
    pub products: Vec<Product>,
}

/// How long names and texts of the catalogue may be.
pub const NAME_MAX_CHARS: usize = 80;
pub const TEXT_MAX_CHARS: usize = 2000;

/// The whole catalogue in the broker's order, for the office.
#[server(endpoint = "catalogue/list")]
pub async fn catalogue() -> Result<Vec<Line>, AppError> {
    crate::request::respond(ssr::list().await)
}

/// Creates (no `id`) or changes a line. `hidden` is a checkbox: present means hidden.
#[server(endpoint = "catalogue/save-line")]
pub async fn save_line(
    #[server(default)] id: String,
    name: String,
    description: String,
    #[server(default)] hidden: Option<String>,
) -> Result<LineId, AppError> {
    crate::request::respond(ssr::save_line(optional_id(&id)?, &name, &description, hidden.is_some()).await)
}

#[server(endpoint = "catalogue/save-product")]
pub async fn save_product(
    #[server(default)] id: String,
    line_id: LineId,
    name: String,
    description: String,
    #[server(default)] hidden: Option<String>,
) -> Result<ProductId, AppError> {
    crate::request::respond(
        ssr::save_product(optional_id(&id)?, line_id, &name, &description, hidden.is_some()).await,
    )
}

/// Moves a line or product (`kind` = `line` | `product`) one place `up` or `down`.
#[server(endpoint = "catalogue/move")]
pub async fn move_entry(kind: String, id: i64, direction: String) -> Result<(), AppError> {
    crate::request::respond(ssr::move_entry(&kind, id, &direction).await)
}

/// Deletes a line; its contracts move to `move_to` (required when there are any).
#[server(endpoint = "catalogue/delete-line")]
pub async fn delete_line(id: LineId, #[server(default)] move_to: String) -> Result<(), AppError> {
    crate::request::respond(ssr::delete_line(id, optional_id(&move_to)?).await)
}

/// Deletes a product; its contracts move to product `move_to` of the same line, or keep
/// their line without a product when `move_to` is empty.
#[server(endpoint = "catalogue/delete-product")]
pub async fn delete_product(id: ProductId, #[server(default)] move_to: String) -> Result<(), AppError> {
    crate::request::respond(ssr::delete_product(id, optional_id(&move_to)?).await)
}

/// An id from a form field that may be empty.
pub fn optional_id<T: std::str::FromStr>(value: &str) -> Result<Option<T>, AppError> {
    match value.trim() {
        "" => Ok(None),
        s => crate::ids::parse_id(s)
            .map(Some)
            .ok_or_else(|| AppError::field("move_to", crate::error::Problem::InvalidChoice)),
    }
}
