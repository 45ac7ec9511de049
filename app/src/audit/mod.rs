//! The audit trail (R1.2, R1.4): who did what to which record, when, and for 7 days from where.
//! Append-only (the database refuses updates and deletes); written in the same
//! transaction as the change it records.

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod chain;
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

/// The outcome of the last check of a broker's chain (`folio audit verify`, housekeeping).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainCheck {
    pub checked_at: i64,
    /// Entries found whole.
    pub count: i64,
    pub broken: Option<Broken>,
}

/// How a chain was found broken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Break {
    /// The entry's content or hash is not what was written.
    Changed,
    /// The entry does not follow the one before it: an entry before it was removed or
    /// replaced.
    Missing,
    /// An entry without a place in the chain, written past it (its row id is given).
    Unchained,
    /// The newest entries are gone: the chain ends before its recorded end.
    Truncated,
}

impl Break {
    pub fn as_str(self) -> &'static str {
        match self {
            Break::Changed => "changed",
            Break::Missing => "missing",
            Break::Unchained => "unchained",
            Break::Truncated => "truncated",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Break::Changed, Break::Missing, Break::Unchained, Break::Truncated]
            .into_iter()
            .find(|b| b.as_str() == s)
    }
}

/// Where a chain breaks first: the place of the entry (for [`Break::Unchained`] its row id;
/// for [`Break::Truncated`] the place of the last entry found).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Broken {
    pub at: i64,
    pub reason: Break,
}
