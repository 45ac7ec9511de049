//! Contracts: what the customer sees at a glance (grouped by line, with what they pay per
//! month and year), a contract's page, and the office's create / edit / end.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::documents::DocumentRow;
use crate::error::AppError;
use crate::ids::{ContractId, CustomerId, LineId};

pub mod input;
pub mod money;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod texts;

pub use input::{ContractFields, ContractInput, Premium};
pub use money::{totals, Interval, Totals};

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(as = ContractStatus))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Active,
    Ended,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Ended => "ended",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "active" => Some(Status::Active),
            "ended" => Some(Status::Ended),
            _ => None,
        }
    }
}

/// A contract as a line in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractCard {
    pub id: ContractId,
    pub line_id: LineId,
    pub line: String,
    pub product: Option<String>,
    pub insurer: String,
    pub policy_number: String,
    pub status: Status,
    pub premium_cents: i64,
    pub currency: String,
    pub interval: Interval,
    pub end_date: Option<String>,
}

impl ContractCard {
    /// The product's name, else the line's: what a person calls the contract.
    pub fn title(&self) -> &str {
        self.product.as_deref().unwrap_or(&self.line)
    }
}

/// Contracts of one line, in the broker's catalogue order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineGroup {
    pub line: String,
    pub contracts: Vec<ContractCard>,
}

/// Groups contracts by line, keeping the order they come in (catalogue order).
pub fn group_by_line(contracts: &[ContractCard]) -> Vec<LineGroup> {
    let mut groups: Vec<LineGroup> = Vec::new();
    for contract in contracts {
        match groups.iter_mut().find(|g| g.line == contract.line) {
            Some(group) => group.contracts.push(contract.clone()),
            None => groups.push(LineGroup { line: contract.line.clone(), contracts: vec![contract.clone()] }),
        }
    }
    groups
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractDetail {
    pub card: ContractCard,
    /// The broker's text for this contract, else the product's, else the line's.
    pub what_for: String,
    pub insured: String,
    pub start_date: Option<String>,
    pub documents: Vec<DocumentRow>,
}

/// What the office edits; `id` is `None` for a new contract.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractForm {
    pub id: Option<ContractId>,
    pub customer_id: CustomerId,
    /// Ids as the form's selects send them ("" for none).
    pub line_id: String,
    pub product_id: String,
    pub insurer: String,
    pub policy_number: String,
    pub status: String,
    /// As typed, e.g. "12,50".
    pub premium: String,
    pub interval: String,
    pub start_date: String,
    pub end_date: String,
    pub insured: String,
    pub description: String,
}

/// The contracts of the folder the signed-in person looks at that they may see, active and
/// ended, in catalogue order.
#[server(endpoint = "contracts/mine")]
pub async fn my_contracts() -> Result<Vec<ContractCard>, AppError> {
    crate::request::respond(ssr::mine().await)
}

#[server(endpoint = "contracts/mine/detail")]
pub async fn my_contract(id: ContractId) -> Result<ContractDetail, AppError> {
    crate::request::respond(ssr::my_detail(id).await)
}

/// A customer's contracts, for the office.
#[server(endpoint = "contracts/of-customer")]
pub async fn customer_contracts(customer_id: CustomerId) -> Result<Vec<ContractCard>, AppError> {
    crate::request::respond(ssr::of_customer(customer_id).await)
}

/// A contract as the office's form shows it.
#[server(endpoint = "contracts/form")]
pub async fn load_contract_form(id: ContractId) -> Result<ContractForm, AppError> {
    crate::request::respond(ssr::form(id).await)
}

#[server(endpoint = "contracts/save")]
pub async fn save_contract(form: ContractForm) -> Result<ContractId, AppError> {
    crate::request::respond(ssr::save(form).await)
}
