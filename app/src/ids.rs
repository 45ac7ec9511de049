//! Ids of the things Folio stores, one type each: a contract's id cannot be passed where a
//! customer's is expected, and the compiler says so. On the wire and in the database they are
//! plain integers.

use serde::{Deserialize, Serialize};

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(transparent))]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.trim().parse().map($name)
            }
        }
    )*};
}

ids! {
    /// A broker: a tenant.
    BrokerId,
    /// An account that signs in (staff or a person on the customer side).
    UserId,
    /// A customer's folder: a policyholder, a person or a company.
    CustomerId,
    ContractId,
    DocumentId,
    ConversationId,
    MessageId,
    /// A grant of access to someone else's folder (R3).
    GrantId,
    LineId,
    ProductId,
    ApiKeyId,
    /// A passkey (WebAuthn credential) of an account.
    PasskeyId,
    /// A file imported from a broker system (GDV-Datensatz or CSV).
    ImportId,
}

/// An id typed in a form or a path: a positive number, else `None`.
pub fn parse_id<T: std::str::FromStr>(input: &str) -> Option<T> {
    let trimmed = input.trim();
    if trimmed.starts_with('-') || trimmed.starts_with('0') {
        return None;
    }
    trimmed.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_positive_numbers_only() {
        assert_eq!(parse_id::<ContractId>(" 42 "), Some(ContractId(42)));
        assert_eq!(parse_id::<ContractId>("0"), None);
        assert_eq!(parse_id::<ContractId>("-3"), None);
        assert_eq!(parse_id::<ContractId>("x"), None);
        assert_eq!(parse_id::<ContractId>(""), None);
        assert_eq!(serde_json::to_string(&CustomerId(7)).unwrap(), "7");
        assert_eq!(serde_json::from_str::<CustomerId>("7").unwrap(), CustomerId(7));
    }
}
