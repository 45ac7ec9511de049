//! The broker's catalogue of lines (Sparten) and their products, with the plain-language
//! text customers read for each (R2.6). A default catalogue ships with every new broker.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

pub mod defaults;
#[cfg(feature = "ssr")]
pub mod ssr;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub hidden: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub hidden: bool,
    pub products: Vec<Product>,
}

/// The whole catalogue in the broker's order, for the office.
#[server(endpoint = "catalogue/list")]
pub async fn catalogue() -> Result<Vec<Line>, AppError> {
    crate::request::respond(ssr::list().await)
}
