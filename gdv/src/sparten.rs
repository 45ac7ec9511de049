//! The Sparten-specific parts (Satzart 0210 and 0220) that carry what a customer recognises:
//! the insured person, the car, the risk address, and a sum insured. Positions from the 2018
//! description; several of these records keep their Teildatensatz number elsewhere than in
//! column 256, noted per layout.

use crate::fields::{field, Field, Rec};

/// What one record adds to its contract.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Part {
    pub insured: Option<String>,
    pub sum_insured_cents: Option<i64>,
}

// 0210.040 Haftpflicht: one Teildatensatz.
const HAFTPFLICHT_DECKUNGSSUMME: Field = field("Deckungssumme 1 in Tausend Währungseinheiten", 72, 9);

// 0210.050 Kraftfahrt, Satznummer in 256.
const KFZ_HERSTELLER: Field = field("Herstellername", 50, 15);
const KFZ_MODELL: Field = field("Modellname", 65, 25);
const KFZ_KENNZEICHEN: Field = field("Amtl. Kennzeichen", 114, 12);

// 0210.130 Hausrat, Satznummer in 251 (252-256 is the Objektnummer).
const HAUSRAT_SATZNUMMER: Field = field("Satznummer", 251, 1);
const HAUSRAT_PLZ: Field = field("Postleitzahl der Risikoanschrift", 81, 6);
const HAUSRAT_ORT: Field = field("Risikoort", 87, 25);
const HAUSRAT_STRASSE: Field = field("Risikostraße", 112, 30);
const HAUSRAT_SUMME: Field = field("Gesamtversicherungssumme in Währungseinheiten", 169, 12);

// 0220.010 Leben, Wagnisart 0 (versicherte Person), Satznummer in 256.
const LEBEN_WAGNISART: Field = field("Wagnisart", 60, 1);
const LEBEN_NAME: Field = field("Name der versicherten Person (VP)", 62, 30);
const LEBEN_VORNAME: Field = field("Vorname der versicherten Person (VP)", 92, 30);

// 0220.030 Unfall, Satznummer in 49.
const UNFALL_SATZNUMMER: Field = field("Satznummer", 49, 1);
const UNFALL_NAME: Field = field("Name der VP", 86, 30);
const UNFALL_VORNAME: Field = field("Vorname der VP", 116, 30);
const UNFALL_INVALIDITAET: Field = field("Invalidität", 66, 9);

// 0220.140 Wohngebäude, Satznummer in 51.
const GEBAEUDE_SATZNUMMER: Field = field("Satznummer", 51, 1);
const GEBAEUDE_PLZ: Field = field("Postleitzahl zur Risikoanschrift", 79, 6);
const GEBAEUDE_ORT: Field = field("Risikoort", 85, 25);
const GEBAEUDE_STRASSE: Field = field("Risikostraße", 110, 30);
const GEBAEUDE_SUMME: Field = field("Versicherungssumme aktuell in Währungseinheiten", 116, 12);

const SATZNUMMER_256: Field = field("Satznummer", 256, 1);

/// Reads a 0210 (`detail == false`) or 0220 record of `sparte`; `None` when this crate does not
/// understand that Satzart and Sparte (the caller counts it as skipped).
pub(crate) fn read(rec: &mut Rec, detail: bool, sparte: &[u8]) -> Option<Part> {
    let mut part = Part::default();
    match (detail, sparte) {
        (false, b"040") => {
            part.sum_insured_cents = rec.number(HAFTPFLICHT_DECKUNGSSUMME).map(|n| cents(n, 1000));
        }
        (false, b"050") => {
            if rec.flag(SATZNUMMER_256) == b'1' {
                let plate = rec.text(KFZ_KENNZEICHEN);
                let make = rec.text(KFZ_HERSTELLER);
                let model = rec.text(KFZ_MODELL);
                part.insured = join(&[&plate, &make, &model], " ");
            }
        }
        (false, b"070") | (true, b"010" | b"030" | b"140") => {}
        (false, b"130") => {
            if rec.flag(HAUSRAT_SATZNUMMER) == b'1' {
                part.insured = risk_address(rec, HAUSRAT_STRASSE, HAUSRAT_PLZ, HAUSRAT_ORT);
                part.sum_insured_cents = rec.number(HAUSRAT_SUMME).map(|n| cents(n, 1));
            }
        }
        _ => return None,
    }
    if detail {
        match sparte {
            b"010" => {
                if rec.flag(LEBEN_WAGNISART) == b'0' && rec.flag(SATZNUMMER_256) == b'1' {
                    part.insured = person(rec, LEBEN_VORNAME, LEBEN_NAME);
                }
            }
            b"030" => match rec.flag(UNFALL_SATZNUMMER) {
                b'1' => part.insured = person(rec, UNFALL_VORNAME, UNFALL_NAME),
                b'2' => part.sum_insured_cents = rec.number(UNFALL_INVALIDITAET).map(|n| cents(n, 1)),
                _ => {}
            },
            _ => match rec.flag(GEBAEUDE_SATZNUMMER) {
                b'1' => part.insured = risk_address(rec, GEBAEUDE_STRASSE, GEBAEUDE_PLZ, GEBAEUDE_ORT),
                b'2' => part.sum_insured_cents = rec.number(GEBAEUDE_SUMME).map(|n| cents(n, 1)),
                _ => {}
            },
        }
    }
    Some(part)
}

/// Whole currency units times `factor`, in cents.
fn cents(units: u64, factor: i64) -> i64 {
    i64::try_from(units).unwrap_or(i64::MAX).saturating_mul(factor).saturating_mul(100)
}

fn person(rec: &mut Rec, first: Field, last: Field) -> Option<String> {
    let first = rec.text(first);
    let last = rec.text(last);
    join(&[&first, &last], " ")
}

/// "Hauptstr. 1, 12345 Berlin".
fn risk_address(rec: &mut Rec, street: Field, postal_code: Field, city: Field) -> Option<String> {
    let street = rec.text(street);
    let place = join(&[&rec.text(postal_code), &rec.text(city)], " ").unwrap_or_default();
    join(&[&street, &place], ", ")
}

fn join(parts: &[&str], separator: &str) -> Option<String> {
    let parts: Vec<&str> = parts.iter().copied().filter(|p| !p.is_empty()).collect();
    (!parts.is_empty()).then(|| parts.join(separator))
}
