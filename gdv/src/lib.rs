//! Reads GDV-Datensatz files (the German insurers' "VU-Vermittler" exchange format, release
//! 2018) as insurers deliver them: fixed-width records of 256 characters, one per line, in one
//! or more packages from Vorsatz (0001) to Nachsatz (9999).
//!
//! [`read`] is the one entry point. It understands the Vorsatz, the Adressteil (0100), the
//! Allgemeiner Vertragsteil (0200), the Sparten-specific parts listed in `sparten.rs` and the
//! Nachsatz; every other record is skipped and counted. Broken input never panics: it is
//! reported with line, column and the field's German name, up to [`MAX_ERRORS`] per file.

mod fields;
mod reader;
mod records;
mod sparten;

/// A writer of valid GDV files and a deterministic portfolio, for benchmarks and tests.
#[cfg(any(test, feature = "corpus"))]
pub mod corpus;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// How many errors one file reports at most.
pub const MAX_ERRORS: usize = 100;

/// The character set of a file. GDV files are ISO-8859-1 unless agreed otherwise.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Encoding {
    #[default]
    Latin1,
    /// ISO-8859-15: Latin-1 with the euro sign.
    Latin9,
    /// The DOS code page still used by some mainframe exports.
    Cp850,
}

impl FromStr for Encoding {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "latin1" | "iso-8859-1" => Ok(Self::Latin1),
            "latin9" | "iso-8859-15" => Ok(Self::Latin9),
            "cp850" => Ok(Self::Cp850),
            other => Err(format!("unknown encoding {other:?} (latin1, latin9 or cp850)")),
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    pub encoding: Encoding,
}

/// A calendar date. GDV writes TTMMJJJJ; a day or month of "00" (unknown) is read as 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// ISO 8601, e.g. "2024-01-31".
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GdvFile {
    pub packages: Vec<Package>,
    /// Records not understood, by Satzart ("0300") or Satzart.Sparte ("0220.580").
    pub skipped: BTreeMap<String, u64>,
    /// Non-fatal findings: padded short lines, trimmed trailing spaces.
    pub notes: Vec<Note>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub line: usize,
    pub text: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Package {
    /// Line of its Vorsatz (0001).
    pub line: usize,
    pub vu_number: String,
    pub sender: String,
    pub broker_number: String,
    pub period_from: Option<Date>,
    pub period_to: Option<Date>,
    /// Release (Versionsstand) per Satzart, e.g. ("0100", "2.4"), as far as the Vorsatz fills them.
    pub releases: Vec<(String, String)>,
    pub addresses: Vec<Address>,
    pub contracts: Vec<Contract>,
    /// From the Nachsatz, checked against the records read.
    pub record_count: u64,
    /// From the Nachsatz, checked against the sum of the contracts' Gesamtbeitrag (netto).
    pub premium_sum_cents: i64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Salutation {
    #[default]
    None,
    Mr,
    Mrs,
    Company,
    Other,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Address {
    pub line: usize,
    pub vu_number: String,
    pub sparte: String,
    pub policy_number: String,
    /// Adresskennzeichen: "01" = policyholder (Versicherungsnehmer).
    pub kind: String,
    pub salutation: Salutation,
    /// Last name or company.
    pub name1: String,
    pub name2: String,
    /// First name of a natural person, as the description asks.
    pub name3: String,
    pub title: String,
    pub country: String,
    pub postal_code: String,
    pub city: String,
    pub street: String,
    pub birth_date: Option<Date>,
    pub customer_number_insurer: String,
    pub customer_number_broker: String,
    pub phone: String,
    pub email: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Interval {
    Yearly,
    HalfYearly,
    Quarterly,
    Monthly,
    Once,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ContractStatus {
    #[default]
    Running,
    Ended,
    Suspended,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Contract {
    pub line: usize,
    pub vu_number: String,
    /// Three digits, e.g. "010".
    pub sparte: String,
    pub policy_number: String,
    pub status: ContractStatus,
    pub begin: Option<Date>,
    pub end: Option<Date>,
    /// Hauptfälligkeit as (day, month).
    pub main_due: Option<(u8, u8)>,
    pub interval: Option<Interval>,
    pub cancel_reason: String,
    pub cancel_date: Option<Date>,
    /// ISO code, e.g. "EUR".
    pub currency: String,
    /// Gesamtbeitrag (Brutto) per payment, incl. tax; the netto amount when no brutto is given.
    pub premium_cents: i64,
    pub product: String,
    pub customer_number_insurer: String,
    pub customer_number_broker: String,
    /// What a customer recognises: the insured person, the car, the risk address.
    pub insured: Option<String>,
    pub sum_insured_cents: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// 1-based line.
    pub line: usize,
    /// 1-based column of the field's first character.
    pub column: usize,
    /// The field's German name from the GDV description.
    pub field: String,
    /// What was found there.
    pub found: String,
    pub problem: Problem,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Problem {
    LineLength,
    UnknownRecord,
    MissingVorsatz,
    MissingNachsatz,
    NotANumber,
    NotText,
    BadDate,
    BadChoice,
    CountMismatch,
    SumMismatch,
}

impl Problem {
    fn describe(self) -> &'static str {
        match self {
            Self::LineLength => "not 256 characters long",
            Self::UnknownRecord => "not a record type",
            Self::MissingVorsatz => "record before any Vorsatz (0001)",
            Self::MissingNachsatz => "package without Nachsatz (9999)",
            Self::NotANumber => "not a number",
            Self::NotText => "not text",
            Self::BadDate => "not a date",
            Self::BadChoice => "not an allowed value",
            Self::CountMismatch => "record count differs from the records read",
            Self::SumMismatch => "premium sum differs from the contracts read",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {} ({}): {}: {:?}",
            self.line,
            self.column,
            self.field,
            self.problem.describe(),
            self.found
        )
    }
}

impl std::error::Error for Error {}

/// Reads a whole GDV file. Any error makes the result `Err` with all errors found (at most
/// [`MAX_ERRORS`]); a file without errors gives its packages, skipped records and notes.
pub fn read(bytes: &[u8], options: &Options) -> Result<GdvFile, Vec<Error>> {
    reader::read(bytes, options.encoding)
}
