//! Imports from broker systems (R2.10): a GDV-Datensatz from an insurer or a CSV from any
//! broker management system. A file is read, planned against the broker's customers and
//! contracts (a preview: nothing written), then imported whole in one transaction, or not
//! at all. The office, the CLI and the REST API share the same plan and report.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::ids::ImportId;

#[cfg(feature = "ssr")]
pub mod from_gdv;
#[cfg(feature = "ssr")]
pub mod http;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod plan;
#[cfg(feature = "ssr")]
pub mod records;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod texts;

/// The formats Folio reads.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(as = ImportFormat))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Gdv,
    Csv,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Gdv => "gdv",
            Format::Csv => "csv",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "gdv" => Some(Format::Gdv),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }

    /// By the file's name: `.csv` / `.txt` with separators is CSV, everything else GDV
    /// (insurers name their files freely: `.gdv`, `.dat`, none).
    pub fn of_file(name: &str, bytes: &[u8]) -> Self {
        let csv = std::path::Path::new(name).extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or(&[]);
        if csv || (!first_line.starts_with(b"0001") && first_line.contains(&b';')) {
            Format::Csv
        } else {
            Format::Gdv
        }
    }
}

/// Why a file cannot be read: its line, column (0: the whole line) and field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineError {
    pub line: usize,
    pub column: usize,
    pub field: String,
    /// What was wrong, in English (from the reader).
    pub detail: String,
}

impl LineError {
    pub fn new(line: usize, column: usize, field: &str, detail: &str) -> Self {
        LineError { line, column, field: field.to_owned(), detail: detail.to_owned() }
    }
}

/// Why a line of a readable file was left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// A field of the line is not valid (`field` names it).
    Invalid,
    /// Several customers of the broker fit (the same name and date of birth).
    Ambiguous,
    /// A customer of the same name without a date of birth on one side: not guessed.
    Unsafe,
    /// The contract's Sparte or line has no place in the broker's catalogue.
    UnknownLine,
    /// The contract's customer was left out.
    CustomerSkipped,
    /// The contract is in another customer's folder in Folio.
    OtherCustomer,
    /// A contract without a policyholder's address in the file.
    NoPolicyholder,
    /// The customer's folder is locked for erasure.
    Locked,
}

/// A line left out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skip {
    pub line: usize,
    pub reason: SkipReason,
    /// The field (for `Invalid`), the Sparte (for `UnknownLine`), else empty.
    pub field: String,
}

impl Skip {
    pub fn new(line: usize, reason: SkipReason) -> Self {
        Skip { line, reason, field: String::new() }
    }

    pub fn invalid(line: usize, field: &str) -> Self {
        Skip { line, reason: SkipReason::Invalid, field: field.to_owned() }
    }
}

/// One row of the preview: what will happen to a customer or contract.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sample {
    pub line: usize,
    pub text: String,
}

/// Counts and examples of what an import does (or did).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub id: Option<ImportId>,
    pub format: Option<Format>,
    pub file_name: String,
    pub encoding: String,
    /// `previewed` (nothing written), `running`, `done` or `failed`.
    pub state: String,
    pub customers_new: u32,
    pub customers_updated: u32,
    pub customers_unchanged: u32,
    pub contracts_new: u32,
    pub contracts_changed: u32,
    pub contracts_unchanged: u32,
    /// Contracts that the file ends (counted here, not under changed).
    pub contracts_ended: u32,
    /// New customers with an e-mail address (whom "invite all" would invite).
    pub new_with_email: u32,
    pub skipped: Vec<Skip>,
    /// Record types left out as not needed ("0300" → 12).
    pub ignored: Vec<(String, u64)>,
    /// Set when the file cannot be read: nothing of it is imported.
    pub errors: Vec<LineError>,
    /// The first rows of each group, for the preview (not kept after the import).
    pub new_customers: Vec<Sample>,
    pub updated_customers: Vec<Sample>,
    pub new_contracts: Vec<Sample>,
    pub changed_contracts: Vec<Sample>,
    pub ended_contracts: Vec<Sample>,
}

impl Report {
    pub fn readable(&self) -> bool {
        self.errors.is_empty()
    }

    /// Whether importing would change anything.
    pub fn changes_anything(&self) -> bool {
        self.customers_new
            + self.customers_updated
            + self.contracts_new
            + self.contracts_changed
            + self.contracts_ended
            > 0
    }
}

/// How far a running import is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub done: u32,
    pub total: u32,
}

/// An import as the office lists and follows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportStatus {
    pub report: Report,
    pub progress: Option<Progress>,
    pub created_at: i64,
}

/// The office's recent imports, newest first.
#[server(endpoint = "imports/list")]
pub async fn list_imports() -> Result<Vec<ImportStatus>, AppError> {
    crate::request::respond(ssr::recent().await)
}

/// One import: its report and, while it runs, its progress.
#[server(endpoint = "imports/follow")]
pub async fn follow_import(id: ImportId) -> Result<ImportStatus, AppError> {
    crate::request::respond(ssr::status(id).await)
}

/// Imports a previewed file: starts it and returns at once; the office follows the progress.
#[server(endpoint = "imports/confirm")]
pub async fn confirm_import(id: ImportId) -> Result<(), AppError> {
    crate::request::respond(ssr::confirm(id).await)
}

/// Invites the customers an import created who have an e-mail address and no account yet.
#[server(endpoint = "imports/invite")]
pub async fn invite_imported(id: ImportId) -> Result<u32, AppError> {
    crate::request::respond(ssr::invite_new(id).await)
}

/// A Sparte's place in the broker's catalogue, or a VU number's name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    /// `sparte` or `insurer`.
    pub kind: String,
    pub code: String,
    pub value: String,
}

/// The broker's Sparte mapping (defaults included) and its names for VU numbers.
#[server(endpoint = "imports/mappings")]
pub async fn import_mappings() -> Result<Vec<Mapping>, AppError> {
    crate::request::respond(ssr::list_mappings().await)
}

/// Sets where a Sparte goes ("Hausrat" or "Hausrat / Hausratversicherung") or what a VU
/// number is called.
#[server(endpoint = "imports/set-mapping")]
pub async fn set_import_mapping(kind: String, code: String, value: String) -> Result<(), AppError> {
    crate::request::respond(ssr::save_mapping(&kind, &code, &value).await)
}
