//! Splits a file into 256-character records and walks its packages: Vorsatz, records,
//! Nachsatz. Line-level problems (length, record order) are found here; field-level ones in
//! `records.rs` and `sparten.rs`.

use std::collections::HashMap;

use crate::fields::{digits, trim, Errors, Rec, LINE, SATZART, SATZNUMMER};
use crate::records::{self, ANZAHL_SAETZE, GESAMTBEITRAG_9999};
use crate::{sparten, Encoding, Error, GdvFile, Note, Package, Problem};

/// VU-Nummer, Sparte and Versicherungsschein-Nummer (columns 5-9 and 11-30): what ties a
/// record to its contract.
type Key = [u8; 25];

fn key(bytes: &[u8; LINE]) -> Key {
    let mut key = [0; 25];
    key[..5].copy_from_slice(&bytes[4..9]);
    key[5..].copy_from_slice(&bytes[10..30]);
    key
}

/// The package between its Vorsatz and its Nachsatz.
struct Open {
    package: Package,
    /// Records other than Vorsatz and Nachsatz.
    records: u64,
    vorsatz_lines: u64,
    netto_sum: i64,
    contracts: HashMap<Key, usize>,
    last_address: Option<Key>,
}

impl Open {
    fn new(line: usize) -> Self {
        Self {
            package: Package { line, ..Package::default() },
            records: 0,
            vorsatz_lines: 0,
            netto_sum: 0,
            contracts: HashMap::new(),
            last_address: None,
        }
    }
}

pub(crate) fn read(bytes: &[u8], encoding: Encoding) -> Result<GdvFile, Vec<Error>> {
    let mut file = GdvFile::default();
    let mut errors = Errors::default();
    let mut open: Option<Open> = None;
    let mut outside_reported = false;
    let mut buffer = [b' '; LINE];
    let mut line = 0;
    let mut last_record = 0;
    for raw in bytes.split(|&b| b == b'\n') {
        line += 1;
        if errors.full() {
            break;
        }
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if trim(raw).is_empty() {
            continue;
        }
        last_record = line;
        let content = if raw.len() > LINE {
            if raw[LINE..].iter().all(|&b| b == b' ') {
                file.notes.push(Note { line, text: format!("{} trailing spaces trimmed", raw.len() - LINE) });
                &raw[..LINE]
            } else {
                errors.push(Error {
                    line,
                    column: LINE + 1,
                    field: "Satzlänge".to_owned(),
                    found: format!("{} characters", raw.len()),
                    problem: Problem::LineLength,
                });
                continue;
            }
        } else {
            raw
        };
        if content.len() < LINE {
            file.notes.push(Note {
                line,
                text: format!("short line of {} characters padded with spaces", content.len()),
            });
        }
        buffer.fill(b' ');
        buffer[..content.len()].copy_from_slice(content);
        let mut rec = Rec { line, bytes: &buffer, encoding, errors: &mut errors };

        let Some(satzart) = digits(rec.raw(SATZART)) else {
            rec.error(SATZART, Problem::UnknownRecord);
            continue;
        };
        if satzart == 1 {
            let part = rec.raw(SATZNUMMER)[0];
            if part == b'1' || part == b' ' || open.is_none() {
                if open.take().is_some() {
                    missing_nachsatz(rec.errors, line, "0001");
                }
                open = Some(Open::new(line));
                outside_reported = false;
            }
            if let Some(current) = open.as_mut() {
                current.vorsatz_lines += 1;
                records::vorsatz(&mut rec, &mut current.package);
            }
            continue;
        }
        let Some(current) = open.as_mut() else {
            if !outside_reported {
                rec.error(SATZART, Problem::MissingVorsatz);
                outside_reported = true;
            }
            continue;
        };
        if satzart == 9999 {
            let finished = open.take().map(|current| nachsatz(&mut rec, current));
            file.packages.extend(finished);
            continue;
        }
        current.records += 1;
        record(&mut rec, satzart, current, &mut file);
    }
    if open.take().is_some() {
        missing_nachsatz(&mut errors, last_record + 1, "");
    }
    if errors.0.is_empty() {
        Ok(file)
    } else {
        Err(errors.0)
    }
}

/// The open package is dropped: its records are incomplete.
fn missing_nachsatz(errors: &mut Errors, line: usize, found: &str) {
    errors.push(Error {
        line,
        column: 1,
        field: "Satzart".to_owned(),
        found: found.to_owned(),
        problem: Problem::MissingNachsatz,
    });
}

/// One record inside a package.
fn record(rec: &mut Rec, satzart: u64, open: &mut Open, file: &mut GdvFile) {
    let part = rec.raw(SATZNUMMER)[0];
    let key = key(rec.bytes);
    match satzart {
        100 => match part {
            b'2' | b'3' => {
                if open.last_address == Some(key) {
                    if let Some(address) = open.package.addresses.last_mut() {
                        if part == b'2' {
                            records::address_part2(rec, address);
                        } else {
                            records::address_part3(rec, address);
                        }
                    }
                }
            }
            b'1' | b' ' => {
                open.package.addresses.push(records::address(rec));
                open.last_address = Some(key);
            }
            // Teildatensätze 4 and later: bank details and the like.
            _ => {}
        },
        200 => match part {
            b'2' => {
                if let Some(&index) = open.contracts.get(&key) {
                    records::contract_part2(rec, &mut open.package.contracts[index]);
                }
            }
            b'1' | b' ' => {
                let (contract, netto) = records::contract(rec);
                open.netto_sum = open.netto_sum.saturating_add(netto);
                open.contracts.insert(key, open.package.contracts.len());
                open.package.contracts.push(contract);
            }
            _ => {}
        },
        210 | 220 => {
            let sparte: [u8; 3] = [rec.bytes[10], rec.bytes[11], rec.bytes[12]];
            match sparten::read(rec, satzart == 220, &sparte) {
                Some(found) => {
                    if let Some(contract) = open.contracts.get(&key).map(|&i| &mut open.package.contracts[i])
                    {
                        if contract.insured.is_none() {
                            contract.insured = found.insured;
                        }
                        if contract.sum_insured_cents.is_none() {
                            contract.sum_insured_cents = found.sum_insured_cents;
                        }
                    }
                }
                None => skip(file, rec, satzart, Some(&sparte)),
            }
        }
        _ if (200..300).contains(&satzart) => {
            let sparte: [u8; 3] = [rec.bytes[10], rec.bytes[11], rec.bytes[12]];
            skip(file, rec, satzart, Some(&sparte));
        }
        _ => skip(file, rec, satzart, None),
    }
}

fn skip(file: &mut GdvFile, rec: &Rec, satzart: u64, sparte: Option<&[u8; 3]>) {
    let name = match sparte {
        Some(sparte) => format!("{satzart:04}.{}", crate::fields::decode(sparte, rec.encoding)),
        None => format!("{satzart:04}"),
    };
    *file.skipped.entry(name).or_insert(0) += 1;
}

/// Checks the Nachsatz against the package and closes it.
fn nachsatz(rec: &mut Rec, open: Open) -> Package {
    let (count, sum) = records::nachsatz(rec);
    let mut package = open.package;
    if let Some(count) = count {
        // Some insurers count Vorsatz and Nachsatz too; both readings are accepted.
        let with_frame = open.records + open.vorsatz_lines + 1;
        if count != open.records && count != with_frame {
            rec.error(ANZAHL_SAETZE, Problem::CountMismatch);
        }
        package.record_count = count;
    }
    if let Some(sum) = sum {
        if sum != open.netto_sum {
            rec.error(GESAMTBEITRAG_9999, Problem::SumMismatch);
        }
        package.premium_sum_cents = sum;
    }
    package
}
