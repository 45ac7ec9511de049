//! Documents in the customer's folder: listed with filters for the customer, uploaded and
//! deleted by the office. The bytes live in the blob store (`store`), arrive through the
//! streaming upload handler and leave through the download handler (`http`), both of
//! which check who is asking.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::ids::{ContractId, CustomerId, DocumentId};

pub mod pages;
pub mod texts;
pub mod upload;

#[cfg(feature = "ssr")]
pub mod http;
#[cfg(feature = "ssr")]
pub mod preview;
#[cfg(feature = "ssr")]
pub mod ssr;
#[cfg(feature = "ssr")]
pub mod store;

/// How long a document's title may be.
pub const TITLE_MAX_CHARS: usize = 200;

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(as = DocumentKind))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Policy,
    Amendment,
    Invoice,
    Letter,
    /// A signed mandate form (R3.4): what someone's access to the folder rests on.
    Mandate,
    Other,
}

impl Kind {
    pub const ALL: [Kind; 6] =
        [Kind::Policy, Kind::Amendment, Kind::Invoice, Kind::Letter, Kind::Mandate, Kind::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Policy => "policy",
            Kind::Amendment => "amendment",
            Kind::Invoice => "invoice",
            Kind::Letter => "letter",
            Kind::Mandate => "mandate",
            Kind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRow {
    pub id: DocumentId,
    pub title: String,
    pub kind: Kind,
    pub media_type: String,
    pub size_bytes: i64,
    pub created_at: i64,
    pub contract_id: Option<ContractId>,
    /// The contract's product or line and policy number, for lists that mix contracts.
    pub contract_label: Option<String>,
    /// Sent by the customer (from the phone), not filed by the office.
    pub from_customer: bool,
}

impl DocumentRow {
    /// Where the browser shows the file (inline) …
    pub fn view_url(&self) -> String {
        format!("/files/{}", self.id)
    }

    /// … and where it saves it.
    pub fn download_url(&self) -> String {
        format!("/files/{}?download=1", self.id)
    }

    /// A small copy for lists, for photos only.
    pub fn preview_url(&self) -> Option<String> {
        self.media_type.starts_with("image/").then(|| format!("/files/{}/preview", self.id))
    }
}

/// How much of the broker's storage is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    pub used_bytes: i64,
    pub quota_bytes: i64,
}

/// The documents of the folder the signed-in person looks at that they may see, newest
/// first; a kind (`policy` …, empty for all) and a title search narrow it.
#[server(endpoint = "documents/mine")]
pub async fn my_documents(kind: String, query: String) -> Result<Vec<DocumentRow>, AppError> {
    crate::request::respond(ssr::mine(Kind::parse(&kind), &query).await)
}

/// A customer's documents, for the office.
#[server(endpoint = "documents/of-customer")]
pub async fn customer_documents(customer_id: CustomerId) -> Result<Vec<DocumentRow>, AppError> {
    crate::request::respond(ssr::of_customer(customer_id).await)
}

#[server(endpoint = "documents/delete")]
pub async fn delete_document(id: DocumentId) -> Result<(), AppError> {
    crate::request::respond(ssr::delete(id).await)
}

#[server(endpoint = "documents/usage")]
pub async fn storage_usage() -> Result<Usage, AppError> {
    crate::request::respond(ssr::usage().await)
}

/// How people read a file's size (lives with the other formats in `i18n`).
pub use crate::i18n::fmt_size;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(fmt_size(0, Locale::De), "0 Bytes");
        assert_eq!(fmt_size(999, Locale::De), "999 Bytes");
        assert_eq!(fmt_size(1536, Locale::De), "1,5 KB");
        assert_eq!(fmt_size(5 * 1024 * 1024, Locale::En), "5.0 MB");
        assert_eq!(fmt_size(1024 * 1024 * 1024, Locale::De), "1,0 GB");
    }

    #[test]
    fn sizes_read_naturally_in_belgium() {
        assert_eq!(fmt_size(999, Locale::Nl), "999 bytes");
        assert_eq!(fmt_size(1536, Locale::Nl), "1,5 KB");
        assert_eq!(fmt_size(25 * 1024 * 1024, Locale::Nl), "25,0 MB");
        assert_eq!(fmt_size(999, Locale::Fr), "999 octets");
        assert_eq!(fmt_size(1536, Locale::Fr), "1,5 Ko");
        assert_eq!(fmt_size(5 * 1024 * 1024, Locale::Fr), "5,0 Mo");
        assert_eq!(fmt_size(1024 * 1024 * 1024, Locale::Fr), "1,0 Go");
    }

    #[test]
    fn kinds_round_trip() {
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(Kind::parse("Police"), None);
    }
}
