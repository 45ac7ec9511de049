//! The record types every package carries: Vorsatz (0001), Adressteil (0100), Allgemeiner
//! Vertragsteil (0200) and Nachsatz (9999), with the positions of the 2018 description.

use crate::fields::{field, Field, Rec, SATZNUMMER, SPARTE, VS_NUMMER, VU_NUMMER};
use crate::{Address, Contract, ContractStatus, Interval, Package, Problem, Salutation};

// 0001 Vorsatz, the same head in all three Teildatensätze.
const ABSENDER: Field = field("Absender", 10, 30);
const ZEITRAUM_VOM: Field = field("Erstellungs-Datum Zeitraum vom", 70, 8);
const ZEITRAUM_BIS: Field = field("Erstellungs-Datum Zeitraum bis", 78, 8);
const VERMITTLER: Field = field("Geschäftsstelle / Vermittler", 86, 10);

/// Versionsstände from column 96 on, three characters each, per Teildatensatz.
const RELEASES_1: &[&str] = &[
    "0001", "0100", "0200", "0210.050", "0220.051", "0220.052", "0220.053", "0220.054", "0220.059",
    "0210.040", "0220.040", "0210.030", "0220.030", "0210.010", "0220.010", "0210.130", "0220.130",
    "0210.110", "0220.110", "0210.140", "0220.140", "0210.020", "0220.020", "0210.070", "0220.070",
    "0210.080", "0220.080", "0210.510", "0220.510", "0210.170", "0220.170", "0210.190", "0220.190",
    "0250.190", "0260.190", "0210.000", "0220.000", "0220.055", "0300", "0400", "0410", "0430", "0500",
    "9999", "0420", "0450", "0550",
];
const RELEASES_2: &[&str] = &[
    "0211.050", "0221.051", "0221.052", "0221.053", "0221.054", "0221.059", "0221.055", "0211.040",
    "0221.040", "0221.030", "0211.010", "0221.010", "0211.130", "0221.130", "0211.110", "0221.110",
    "0211.140", "0221.140", "0221.070", "0211.080", "0221.080", "0221.510", "0211.170", "0221.170",
    "0211.190", "0221.190", "0251.190", "0211.000", "0221.000", "0210.550", "0220.550", "0270.550",
    "0280.550", "0291.550", "0292.550", "0293.550", "0294.550", "0295.550", "0052", "0102", "0212.050",
    "0352", "0362", "0382", "9950", "9952", "0210.580", "0220.580", "0372", "0600",
];
const RELEASES_3: &[&str] = &[
    "0392", "0230.010", "0202", "0222.030", "0230.030", "0390", "0342", "9951", "0210.560", "0220.560",
    "0210.570", "0220.570", "0210.684", "0220.684", "0230.050", "0230.140", "0225.010",
];
/// Teildatensatz 1 also has the Klausel-Datensatz 0350 at 243-245.
const RELEASE_0350: Field = field("Klausel-Datensatz Satzart 0350", 243, 3);

pub(crate) fn vorsatz(rec: &mut Rec, package: &mut Package) {
    let part = rec.flag(SATZNUMMER);
    if part == b'1' || part == 0 {
        package.vu_number = rec.code(VU_NUMMER);
        package.sender = rec.text(ABSENDER);
        package.period_from = rec.date(ZEITRAUM_VOM);
        package.period_to = rec.date(ZEITRAUM_BIS);
        package.broker_number = rec.text(VERMITTLER);
    }
    let names = match part {
        b'2' => RELEASES_2,
        b'3' => RELEASES_3,
        _ => RELEASES_1,
    };
    for (i, name) in names.iter().enumerate() {
        let f = field("Versionsstand", 96 + 3 * i, 3);
        push_release(rec, package, name, f);
    }
    if names.len() == RELEASES_1.len() {
        push_release(rec, package, "0350", RELEASE_0350);
    }
}

/// The release as written, e.g. "2.4"; blank means the Satzart is not delivered.
fn push_release(rec: &mut Rec, package: &mut Package, name: &str, f: Field) {
    let value = rec.text(f);
    if !value.is_empty() {
        package.releases.push((name.to_owned(), value));
    }
}

// 0100 Adressteil.
const ANREDE: Field = field("Anredeschlüssel", 43, 1);
const NAME1: Field = field("Name 1", 44, 30);
const NAME2: Field = field("Name 2", 74, 30);
const NAME3: Field = field("Name 3", 104, 30);
const TITEL: Field = field("Titel", 134, 20);
const LAENDERKENNZEICHEN: Field = field("Länderkennzeichen", 154, 3);
const POSTLEITZAHL: Field = field("Postleitzahl", 157, 6);
const ORT: Field = field("Ort", 163, 25);
const STRASSE: Field = field("Straße", 188, 30);
const GEBURTSDATUM: Field = field("Geburtsdatum", 226, 8);
const ADRESSKENNZEICHEN: Field = field("Adresskennzeichen", 237, 2);
// 0100 Teildatensatz 2.
const KUNDENNR_VU: Field = field("Personen-/Kundennummer des Versicherers", 43, 17);
const KUNDENNR_VM: Field = field("Personen-/Kundennummer des Vermittlers", 60, 17);
/// Kommunikationstyp / -nummer pairs: four short ones in Teildatensatz 2, three long in 3.
const KOMMUNIKATION_2: [(usize, usize); 4] = [(157, 20), (179, 20), (201, 20), (223, 20)];
const KOMMUNIKATION_3: [(usize, usize); 3] = [(43, 60), (105, 60), (167, 60)];

pub(crate) fn address(rec: &mut Rec) -> Address {
    let salutation = match rec.flag(ANREDE) {
        0 | b'0' => Salutation::None,
        b'1' => Salutation::Mr,
        b'2' => Salutation::Mrs,
        b'3' => Salutation::Company,
        _ => Salutation::Other,
    };
    Address {
        line: rec.line,
        vu_number: rec.code(VU_NUMMER),
        sparte: rec.code(SPARTE),
        policy_number: rec.code(VS_NUMMER),
        kind: rec.code(ADRESSKENNZEICHEN),
        salutation,
        name1: rec.text(NAME1),
        name2: rec.text(NAME2),
        name3: rec.text(NAME3),
        title: rec.text(TITEL),
        country: rec.text(LAENDERKENNZEICHEN),
        postal_code: rec.text(POSTLEITZAHL),
        city: rec.text(ORT),
        street: rec.text(STRASSE),
        birth_date: rec.date(GEBURTSDATUM),
        ..Address::default()
    }
}

pub(crate) fn address_part2(rec: &mut Rec, address: &mut Address) {
    address.customer_number_insurer = rec.text(KUNDENNR_VU);
    address.customer_number_broker = rec.text(KUNDENNR_VM);
    communication(rec, address, &KOMMUNIKATION_2);
}

pub(crate) fn address_part3(rec: &mut Rec, address: &mut Address) {
    communication(rec, address, &KOMMUNIKATION_3);
}

/// Kommunikationstyp (Anlage 76): 10-19 and 30-39 telephone, 40-49 e-mail; an untyped number
/// holding an '@' is taken as e-mail too. The first of each kind wins.
fn communication(rec: &mut Rec, address: &mut Address, pairs: &[(usize, usize)]) {
    for &(column, len) in pairs {
        let kind = rec.code(field("Kommunikationstyp", column, 2));
        let number = rec.text(field("Kommunikationsnummer", column + 2, len));
        if number.is_empty() {
            continue;
        }
        let is_mail = kind.starts_with('4') || (kind.is_empty() && number.contains('@'));
        let is_phone = kind.starts_with('1') || kind.starts_with('3');
        if is_mail && address.email.is_empty() {
            address.email = number;
        } else if is_phone && address.phone.is_empty() {
            address.phone = number;
        }
    }
}

// 0200 Allgemeiner Vertragsteil, Teildatensatz 1.
const BEGINN: Field = field("Vertragsbeginn", 44, 8);
const ABLAUF: Field = field("Vertragsablauf", 52, 8);
const HAUPTFAELLIGKEIT: Field = field("Hauptfälligkeit", 60, 8);
const ZAHLUNGSWEISE: Field = field("Zahlungsweise", 68, 1);
const VERTRAGSSTATUS: Field = field("Vertragsstatus", 69, 1);
const ABGANGSGRUND: Field = field("Abgangsgrund", 70, 2);
const ABGANGSDATUM: Field = field("Abgangsdatum", 72, 8);
const WAEHRUNG: Field = field("Währungsschlüssel", 113, 3);
pub(crate) const GESAMTBEITRAG_NETTO: Field = field("Gesamtbeitrag (Netto) in Währungseinheiten", 116, 12);
const KUNDENNR_VU_0200: Field = field("Personen-/Kundennummer des Versicherers", 159, 17);
const KUNDENNR_VM_0200: Field = field("Personen-/Kundennummer des Vermittlers", 176, 17);
// Teildatensatz 2.
const PRODUKTFORM: Field = field("Produktform", 61, 5);
const GESAMTBEITRAG_BRUTTO: Field = field("Gesamtbeitrag (Brutto) in Währungseinheiten", 72, 12);
const PRODUKTNAME: Field = field("Produktname", 114, 20);

/// Teildatensatz 1 of a 0200; returns the contract and its netto premium for the Nachsatz check.
pub(crate) fn contract(rec: &mut Rec) -> (Contract, i64) {
    let status = match rec.flag(VERTRAGSSTATUS) {
        b'1' => ContractStatus::Running,
        b'2' => ContractStatus::Ended,
        b'3' => ContractStatus::Suspended,
        _ => {
            rec.error(VERTRAGSSTATUS, Problem::BadChoice);
            ContractStatus::Running
        }
    };
    let interval = match rec.flag(ZAHLUNGSWEISE) {
        0 => None,
        b'1' => Some(Interval::Yearly),
        b'2' => Some(Interval::HalfYearly),
        b'4' => Some(Interval::Quarterly),
        b'8' => Some(Interval::Monthly),
        b'6' => Some(Interval::Once),
        _ => {
            rec.error(ZAHLUNGSWEISE, Problem::BadChoice);
            None
        }
    };
    let netto = rec.cents(GESAMTBEITRAG_NETTO, 2);
    let contract = Contract {
        line: rec.line,
        vu_number: rec.code(VU_NUMMER),
        sparte: rec.code(SPARTE),
        policy_number: rec.code(VS_NUMMER),
        status,
        begin: rec.date(BEGINN),
        end: rec.date(ABLAUF),
        main_due: rec.date(HAUPTFAELLIGKEIT).map(|d| (d.day, d.month)),
        interval,
        cancel_reason: rec.text(ABGANGSGRUND),
        cancel_date: rec.date(ABGANGSDATUM),
        currency: rec.code(WAEHRUNG),
        premium_cents: netto,
        customer_number_insurer: rec.text(KUNDENNR_VU_0200),
        customer_number_broker: rec.text(KUNDENNR_VM_0200),
        ..Contract::default()
    };
    (contract, netto)
}

pub(crate) fn contract_part2(rec: &mut Rec, contract: &mut Contract) {
    if !crate::fields::trim(rec.raw(GESAMTBEITRAG_BRUTTO)).is_empty() {
        contract.premium_cents = rec.cents(GESAMTBEITRAG_BRUTTO, 2);
    }
    let name = rec.text(PRODUKTNAME);
    contract.product = if name.is_empty() { rec.text(PRODUKTFORM) } else { name };
}

// 9999 Nachsatz.
pub(crate) const ANZAHL_SAETZE: Field = field("Anzahl der Sätze", 5, 10);
pub(crate) const GESAMTBEITRAG_9999: Field = field("Gesamtbeitrag", 25, 15);

/// The Nachsatz's count and premium sum; `None` where a field is unreadable (already reported).
pub(crate) fn nachsatz(rec: &mut Rec) -> (Option<u64>, Option<i64>) {
    let count = rec.number(ANZAHL_SAETZE);
    let raw_sum = crate::fields::trim(rec.raw(GESAMTBEITRAG_9999));
    let sum = if raw_sum.is_empty() {
        Some(0)
    } else {
        rec.number(GESAMTBEITRAG_9999).map(|n| i64::try_from(n).unwrap_or(i64::MAX))
    };
    (count, sum)
}
