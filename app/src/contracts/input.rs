//! A contract's data as it comes in (the office's form, the REST API, the demo), checked in
//! one place: `ContractInput::parse`. Which line, product and customer the caller resolved
//! (by id or by catalogue name) it passes as ids; the database checks that they are the
//! broker's and belong together when the contract is written.

use super::money::parse_amount;
use super::{Interval, Status};
use crate::error::{FormErrors, Problem, Result};
use crate::i18n::parse_iso_date;
use crate::ids::{CustomerId, LineId, ProductId};

pub const INSURER_MAX_CHARS: usize = 100;
pub const POLICY_MAX_CHARS: usize = 60;
pub const INSURED_MAX_CHARS: usize = 200;
pub const DESCRIPTION_MAX_CHARS: usize = 4000;

/// The premium per payment: typed by a person ("12,50", field `premium`) or sent by a
/// system in cents (field `premium_cents`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Premium<'a> {
    Typed(&'a str),
    Cents(i64),
}

/// A contract's fields as they came; ids the caller could not resolve are `None` (and the
/// caller has reported why).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContractFields<'a> {
    pub customer_id: Option<CustomerId>,
    pub line_id: Option<LineId>,
    pub product_id: Option<ProductId>,
    pub insurer: &'a str,
    pub policy_number: &'a str,
    pub status: &'a str,
    pub premium: Premium<'a>,
    /// ISO 4217; empty means EUR.
    pub currency: &'a str,
    pub interval: &'a str,
    pub start_date: &'a str,
    pub end_date: &'a str,
    pub insured: &'a str,
    pub description: &'a str,
}

/// A contract's data, checked: the only way a contract reaches the database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContractInput {
    pub customer_id: CustomerId,
    pub line_id: LineId,
    pub product_id: Option<ProductId>,
    pub insurer: String,
    pub policy_number: String,
    pub status: Status,
    pub premium_cents: i64,
    pub currency: String,
    pub interval: Interval,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub insured: String,
    pub description: String,
}

impl ContractInput {
    /// Checks every field, adding to the problems the caller found already, so that all are
    /// reported at once, each at its field.
    pub fn parse(f: &ContractFields<'_>, mut errors: FormErrors) -> Result<ContractInput> {
        let insurer = errors.required("insurer", f.insurer, INSURER_MAX_CHARS);
        let policy_number = errors.optional("policy_number", f.policy_number, POLICY_MAX_CHARS);
        let status = Status::parse(f.status.trim());
        if status.is_none() {
            errors.push("status", Problem::InvalidChoice);
        }
        let premium_cents = match f.premium {
            Premium::Typed(text) => {
                let cents = parse_amount(text);
                if cents.is_none() {
                    let problem =
                        if text.trim().is_empty() { Problem::Required } else { Problem::InvalidAmount };
                    errors.push("premium", problem);
                }
                cents
            }
            Premium::Cents(cents) if cents < 0 => {
                errors.push("premium_cents", Problem::InvalidAmount);
                None
            }
            Premium::Cents(cents) => Some(cents),
        };
        let currency = match f.currency.trim() {
            "" => "EUR".to_owned(),
            c => c.to_ascii_uppercase(),
        };
        if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_alphabetic()) {
            errors.push("currency", Problem::InvalidChoice);
        }
        let interval = Interval::parse(f.interval.trim());
        if interval.is_none() {
            errors.push("interval", Problem::InvalidChoice);
        }
        let start_date = errors.date("start_date", f.start_date);
        let end_date = errors.date("end_date", f.end_date);
        if let (Some(start), Some(end)) = (&start_date, &end_date) {
            if end < start && parse_iso_date(start).is_some() && parse_iso_date(end).is_some() {
                errors.push("end_date", Problem::InvalidDate);
            }
        }
        let insured_text = errors.optional("insured", f.insured, INSURED_MAX_CHARS);
        let description = errors.optional_lines("description", f.description, DESCRIPTION_MAX_CHARS);
        let ids = f.customer_id.zip(f.line_id);
        let values = ids.zip(status).zip(premium_cents).zip(interval).map(
            |((((customer_id, line_id), status), premium_cents), interval)| ContractInput {
                customer_id,
                line_id,
                product_id: f.product_id,
                insurer,
                policy_number,
                status,
                premium_cents,
                currency,
                interval,
                start_date,
                end_date,
                insured: insured_text,
                description,
            },
        );
        errors.finish(values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::AppError;

    fn fields() -> ContractFields<'static> {
        ContractFields {
            customer_id: Some(CustomerId(1)),
            line_id: Some(LineId(2)),
            product_id: None,
            insurer: " Allianz ",
            policy_number: "HV-1",
            status: "active",
            premium: Premium::Typed("12,50"),
            currency: "",
            interval: "monthly",
            start_date: "2024-01-01",
            end_date: "",
            insured: "",
            description: "",
        }
    }

    fn fields_with_problems(result: Result<ContractInput>) -> Vec<(String, Problem)> {
        match result {
            Err(AppError::Invalid(errors)) => errors.into_iter().map(|e| (e.field, e.problem)).collect(),
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    #[test]
    fn a_good_form_becomes_a_contract() {
        let input = ContractInput::parse(&fields(), FormErrors::default()).unwrap();
        assert_eq!(input.insurer, "Allianz");
        assert_eq!(input.premium_cents, 1250);
        assert_eq!(input.currency, "EUR");
        assert_eq!(input.interval, Interval::Monthly);
        assert_eq!(input.start_date.as_deref(), Some("2024-01-01"));
        assert_eq!(input.end_date, None);
        let api = ContractFields { premium: Premium::Cents(999), currency: "chf", ..fields() };
        let input = ContractInput::parse(&api, FormErrors::default()).unwrap();
        assert_eq!((input.premium_cents, input.currency.as_str()), (999, "CHF"));
    }

    #[test]
    fn every_problem_is_reported_at_its_field() {
        let mut known = FormErrors::default();
        known.push("line_id", Problem::Required);
        let bad = ContractFields {
            line_id: None,
            insurer: "",
            status: "paused",
            premium: Premium::Typed("zwölf"),
            interval: "weekly",
            start_date: "2024-02-30",
            end_date: "2023-01-01",
            ..fields()
        };
        let fields_reported = fields_with_problems(ContractInput::parse(&bad, known));
        let names: Vec<_> = fields_reported.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(names, ["line_id", "insurer", "status", "premium", "interval", "start_date"]);

        let backwards = ContractFields { end_date: "2023-12-31", ..fields() };
        assert_eq!(
            fields_with_problems(ContractInput::parse(&backwards, FormErrors::default())),
            [("end_date".to_owned(), Problem::InvalidDate)]
        );
        let api = ContractFields { premium: Premium::Cents(-1), currency: "EURO", ..fields() };
        assert_eq!(
            fields_with_problems(ContractInput::parse(&api, FormErrors::default())),
            [
                ("premium_cents".to_owned(), Problem::InvalidAmount),
                ("currency".to_owned(), Problem::InvalidChoice)
            ]
        );
    }
}
