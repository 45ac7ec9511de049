//! The audit trail (R1.2, R1.4): who did what to which record, when, and for 7 days from where.
//! Append-only (the database refuses updates and deletes); written in the same
//! transaction as the change it records.

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod ssr;

/// One line of the trail as staff see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: i64,
    /// The person's name, or `None` for the system, an API key or someone not signed in.
    pub actor_name: Option<String>,
    /// `staff`, `customer`, `api_key`, `system` or `anonymous`.
    pub actor_kind: String,
    pub action: String,
    /// The client's address, for 7 days (R5.3).
    pub ip: Option<String>,
}
