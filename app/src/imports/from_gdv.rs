//! A GDV-Datensatz as import records: customers from the policyholders' addresses (0100),
//! contracts from the general contract parts (0200) with what the Sparten parts add. The
//! insurer is named by the broker's mapping of its VU number, else by the package's sender.

use std::collections::HashMap;

use super::records::{Person, Policy, Records};
use super::{LineError, Skip, SkipReason};
use crate::contracts::{Interval, Status};
use crate::customers::CustomerFields;

/// Reads the file; `insurers` maps VU numbers to the broker's names for them.
pub fn read<S: std::hash::BuildHasher>(
    bytes: &[u8],
    encoding: gdv::Encoding,
    insurers: &HashMap<String, String, S>,
) -> Records {
    let encoding_name = match encoding {
        gdv::Encoding::Latin1 => "ISO-8859-1",
        gdv::Encoding::Latin9 => "ISO-8859-15",
        gdv::Encoding::Cp850 => "CP850",
    };
    let mut records = Records { encoding: encoding_name.to_owned(), ..Records::default() };
    let file = match gdv::read(bytes, &gdv::Options { encoding }) {
        Ok(file) => file,
        Err(errors) => {
            records.errors = errors
                .iter()
                .map(|e| LineError {
                    line: e.line,
                    column: e.column,
                    field: e.field.clone(),
                    detail: e.to_string(),
                })
                .collect();
            return records;
        }
    };
    records.ignored = file.skipped.into_iter().collect();
    let mut seen = HashMap::new();
    for package in file.packages {
        let sender = package.sender.trim();
        let insurer_of = |vu: &str| {
            insurers.get(vu.trim()).cloned().unwrap_or_else(|| {
                if sender.is_empty() {
                    format!("VU {}", vu.trim())
                } else {
                    sender.to_owned()
                }
            })
        };
        // The policyholder of each contract: the address marked as such (01), else the first.
        let mut holders: HashMap<(String, String), usize> = HashMap::new();
        // An insurer lists a customer's address with each contract, or once: then a contract
        // finds its policyholder by the customer number it carries.
        let mut by_number: HashMap<(String, String), usize> = HashMap::new();
        for address in &package.addresses {
            let key = (address.vu_number.trim().to_owned(), address.policy_number.trim().to_owned());
            let is_holder = matches!(address.kind.trim(), "01" | "1" | "");
            if !is_holder && holders.contains_key(&key) {
                continue;
            }
            if !is_holder
                && package.addresses.iter().any(|a| {
                    a.kind.trim() == "01" && a.vu_number.trim() == key.0 && a.policy_number.trim() == key.1
                })
            {
                continue;
            }
            let index = records.person(person(address, &insurer_of(&address.vu_number)), &mut seen);
            for number in [&address.customer_number_broker, &address.customer_number_insurer] {
                if !number.trim().is_empty() {
                    by_number.insert((key.0.clone(), number.trim().to_owned()), index);
                }
            }
            holders.insert(key, index);
        }
        for contract in package.contracts {
            let key = (contract.vu_number.trim().to_owned(), contract.policy_number.trim().to_owned());
            let numbered = |n: &str| by_number.get(&(key.0.clone(), n.trim().to_owned())).copied();
            let holder = holders
                .get(&key)
                .copied()
                .or_else(|| numbered(&contract.customer_number_broker))
                .or_else(|| numbered(&contract.customer_number_insurer));
            let Some(person) = holder else {
                records.skipped.push(Skip::new(contract.line, SkipReason::NoPolicyholder));
                continue;
            };
            let status = match contract.status {
                gdv::ContractStatus::Ended => Status::Ended,
                gdv::ContractStatus::Running | gdv::ContractStatus::Suspended => Status::Active,
            };
            let interval = match contract.interval {
                Some(gdv::Interval::Monthly) => Interval::Monthly,
                Some(gdv::Interval::Quarterly) => Interval::Quarterly,
                Some(gdv::Interval::HalfYearly) => Interval::HalfYearly,
                Some(gdv::Interval::Once) => Interval::Once,
                Some(gdv::Interval::Yearly) | None => Interval::Yearly,
            };
            // An ended contract ends on its Abgangsdatum where the file gives one.
            let end = match status {
                Status::Ended => contract.cancel_date.or(contract.end),
                Status::Active => contract.end,
            };
            let insurer = insurer_of(&contract.vu_number);
            let holder = &mut records.people[person];
            if holder.insurer_number.is_empty() && !contract.customer_number_insurer.trim().is_empty() {
                contract.customer_number_insurer.trim().clone_into(&mut holder.insurer_number);
                holder.insurer.clone_from(&insurer);
            }
            records.policies.push(Policy {
                line: contract.line,
                person,
                insurer,
                policy_number: contract.policy_number.trim().to_owned(),
                kind: contract.sparte.trim().to_owned(),
                product: contract.product.trim().to_owned(),
                status,
                premium_cents: contract.premium_cents.max(0),
                currency: if contract.currency.trim().is_empty() {
                    "EUR".to_owned()
                } else {
                    contract.currency.trim().to_owned()
                },
                interval,
                start_date: contract.begin.map(|d| d.iso()),
                end_date: end.map(|d| d.iso()),
                insured: contract.insured.unwrap_or_default(),
            });
        }
    }
    records
}

/// A customer from an address: Name 1 is the family name (or the company's name), Name 3
/// the first name, Name 2 an addition to the name (the title is part of neither).
fn person(a: &gdv::Address, insurer: &str) -> Person {
    let company = matches!(a.salutation, gdv::Salutation::Company);
    let join = |parts: &[&str]| {
        parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ")
    };
    let (first_name, last_name, company_name) = if company {
        (String::new(), String::new(), join(&[&a.name1, &a.name2, &a.name3]))
    } else {
        let first = if a.name3.trim().is_empty() { a.name2.trim() } else { a.name3.trim() };
        (first.to_owned(), a.name1.trim().to_owned(), String::new())
    };
    let country = match a.country.trim() {
        "" | "D" | "DE" | "DEU" => "DE".to_owned(),
        other => other.to_owned(),
    };
    Person {
        line: a.line,
        broker_number: a.customer_number_broker.trim().to_owned(),
        insurer_number: a.customer_number_insurer.trim().to_owned(),
        insurer: if a.customer_number_insurer.trim().is_empty() { String::new() } else { insurer.to_owned() },
        fields: CustomerFields {
            first_name,
            last_name,
            company_name,
            email: a.email.trim().to_owned(),
            phone: a.phone.trim().to_owned(),
            birth_date: a.birth_date.map(|d| d.iso()).unwrap_or_default(),
            street: a.street.trim().to_owned(),
            postal_code: a.postal_code.trim().to_owned(),
            city: a.city.trim().to_owned(),
            country,
        },
    }
}
