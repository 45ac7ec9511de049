//! What an imported file brings, whatever its format: people and their contracts, each with
//! the line of the file it came from. `csv_file` reads the documented CSV columns; the GDV
//! reader's output is turned into the same records in `from_gdv`. Nothing here touches the
//! database: resolving against the broker's data is the plan's work.

use super::{LineError, Skip};
use crate::contracts::{Interval, Status};
use crate::customers::CustomerFields;

/// A customer as a file names them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Person {
    pub line: usize,
    /// The broker's customer number (`customers.external_id`).
    pub broker_number: String,
    /// The insurer's customer number, and the insurer it is of.
    pub insurer_number: String,
    pub insurer: String,
    pub fields: CustomerFields,
}

impl Person {
    /// Who this is within one file: the broker's number, else the insurer's, else name and
    /// date of birth (a file lists a person once per contract).
    pub fn key(&self) -> String {
        if !self.broker_number.is_empty() {
            return format!("b:{}", self.broker_number);
        }
        if !self.insurer_number.is_empty() {
            return format!("i:{}:{}", self.insurer, self.insurer_number);
        }
        let f = &self.fields;
        format!(
            "n:{}|{}|{}|{}",
            f.company_name.trim().to_lowercase(),
            f.last_name.trim().to_lowercase(),
            f.first_name.trim().to_lowercase(),
            f.birth_date.trim()
        )
    }
}

/// A contract as a file names it; `person` is its policyholder's index in `Records::people`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    pub line: usize,
    pub person: usize,
    pub insurer: String,
    pub policy_number: String,
    /// A catalogue line or product by name, or a GDV Sparte ("040"); resolved by the plan.
    pub kind: String,
    pub product: String,
    pub status: Status,
    pub premium_cents: i64,
    pub currency: String,
    pub interval: Interval,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub insured: String,
}

/// A file read: its records, the lines left out with their reasons, and whether it could be
/// read at all (`errors` not empty: nothing of it is imported).
#[derive(Clone, Debug, Default)]
pub struct Records {
    pub people: Vec<Person>,
    pub policies: Vec<Policy>,
    pub skipped: Vec<Skip>,
    pub errors: Vec<LineError>,
    /// Record types left out, with their count ("0300: 12").
    pub ignored: Vec<(String, u64)>,
    pub encoding: String,
}

impl Records {
    /// Adds a person, or finds the one the file named already; returns their index.
    pub fn person(&mut self, person: Person, seen: &mut std::collections::HashMap<String, usize>) -> usize {
        let key = person.key();
        if let Some(&i) = seen.get(&key) {
            // A later line may know more (an e-mail address, a phone number).
            let known = &mut self.people[i].fields;
            for (have, new) in [
                (&mut known.email, &person.fields.email),
                (&mut known.phone, &person.fields.phone),
                (&mut known.birth_date, &person.fields.birth_date),
            ] {
                if have.is_empty() {
                    have.clone_from(new);
                }
            }
            return i;
        }
        self.people.push(person);
        seen.insert(key, self.people.len() - 1);
        self.people.len() - 1
    }
}

/// The CSV columns Folio reads, with the header names it accepts (German and English; case,
/// spaces, dashes and dots do not matter).
const COLUMNS: &[(Column, &[&str])] = &[
    (Column::CustomerNumber, &["kundennummer", "kundennr", "customernumber", "customerno", "customerid"]),
    (Column::FirstName, &["vorname", "firstname", "givenname"]),
    (Column::LastName, &["nachname", "name", "lastname", "surname", "familyname"]),
    (Column::Company, &["firma", "firmenname", "company", "companyname"]),
    (Column::BirthDate, &["geburtsdatum", "birthdate", "dateofbirth"]),
    (Column::Email, &["email", "mail", "emailadresse", "emailaddress"]),
    (Column::Phone, &["telefon", "telefonnummer", "phone", "phonenumber"]),
    (Column::Street, &["strasse", "straße", "street", "address"]),
    (Column::PostalCode, &["plz", "postleitzahl", "postalcode", "zip", "postcode"]),
    (Column::City, &["ort", "wohnort", "stadt", "city", "town"]),
    (Column::Country, &["land", "country"]),
    (Column::Insurer, &["versicherer", "gesellschaft", "insurer", "insurancecompany"]),
    (Column::Kind, &["sparte", "line", "lineofbusiness"]),
    (Column::Product, &["produkt", "tarif", "product"]),
    (
        Column::PolicyNumber,
        &[
            "versicherungsscheinnr",
            "versicherungsscheinnummer",
            "vsnr",
            "vertragsnummer",
            "policennummer",
            "policynumber",
            "policyno",
        ],
    ),
    (Column::Premium, &["beitrag", "prämie", "praemie", "premium"]),
    (Column::Interval, &["zahlweise", "zahlungsweise", "interval", "paymentinterval", "frequency"]),
    (Column::Start, &["beginn", "vertragsbeginn", "start", "startdate"]),
    (Column::End, &["ablauf", "vertragsende", "ende", "end", "enddate"]),
    (Column::Status, &["status", "vertragsstatus"]),
    (Column::Insured, &["versichertepersonoderobjekt", "versichert", "versichertesobjekt", "insured"]),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    CustomerNumber,
    FirstName,
    LastName,
    Company,
    BirthDate,
    Email,
    Phone,
    Street,
    PostalCode,
    City,
    Country,
    Insurer,
    Kind,
    Product,
    PolicyNumber,
    Premium,
    Interval,
    Start,
    End,
    Status,
    Insured,
}

/// The template a broker downloads: the header in German, and one example row.
pub const CSV_TEMPLATE: &str = "Kundennummer;Vorname;Nachname;Firma;Geburtsdatum;E-Mail;Telefon;Straße;PLZ;Ort;Land;\
Versicherer;Sparte;Produkt;Versicherungsschein-Nr;Beitrag;Zahlweise;Beginn;Ablauf;Status;Versicherte Person oder Objekt\r\n\
K-1001;Anna;Schneider;;14.03.1985;anna.schneider@example.org;0221 123456;Lindenallee 5;50667;Köln;DE;\
Beispiel Versicherung AG;Haftpflicht;Privathaftpflicht;PH-123456;7,50;monatlich;01.01.2024;01.01.2025;aktiv;\r\n";

fn normalise_header(name: &str) -> String {
    name.trim()
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_' | '.' | '/' | '\''))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The text of a file: UTF-8 (with or without BOM) when it is valid UTF-8, else Windows-1252
/// (what Excel writes on German Windows). Returns the text and the encoding's name.
pub fn decode_text(bytes: &[u8]) -> (String, &'static str) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        (text.to_owned(), "UTF-8")
    } else {
        let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
        (text.into_owned(), "Windows-1252")
    }
}

/// Reads a CSV file with the documented columns: `;`, `,` or tab as separator (whichever the
/// header line uses most), German or English numbers and dates.
// Counting the line ends between two rows is a few bytes each: no crate for it.
#[allow(clippy::naive_bytecount)]
pub fn csv_file(bytes: &[u8]) -> Records {
    let (text, encoding) = decode_text(bytes);
    let mut records = Records { encoding: encoding.to_owned(), ..Records::default() };
    let header_line = text.lines().next().unwrap_or("");
    let delimiter = [b';', b',', b'\t']
        .into_iter()
        .max_by_key(|d| header_line.bytes().filter(|b| b == d).count())
        .unwrap_or(b';');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            records.errors.push(LineError::new(1, 0, "header", &e.to_string()));
            return records;
        }
    };
    let mut columns: Vec<Option<Column>> = Vec::with_capacity(headers.len());
    for (i, name) in headers.iter().enumerate() {
        let key = normalise_header(name);
        let column = COLUMNS.iter().find(|(_, names)| names.contains(&key.as_str())).map(|(c, _)| *c);
        if column.is_none() && !key.is_empty() {
            records.errors.push(LineError::new(1, i + 1, name, "unknown column"));
        }
        columns.push(column);
    }
    let has = |c: Column| columns.contains(&Some(c));
    if !has(Column::LastName) && !has(Column::Company) {
        records.errors.push(LineError::new(1, 0, "Nachname", "missing column"));
    }
    if !records.errors.is_empty() {
        return records;
    }
    let mut seen = std::collections::HashMap::new();
    let (mut counted_line, mut counted_to) = (1, 0);
    for row in reader.records() {
        let row = match row {
            Ok(row) => row,
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                records.errors.push(LineError::new(
                    usize::try_from(line).unwrap_or(0),
                    0,
                    "",
                    &e.to_string(),
                ));
                if records.errors.len() >= 100 {
                    break;
                }
                continue;
            }
        };
        // The line a row starts on, counted from its byte offset (after CRLF, the reader's
        // offset and line count stop between the CR and the LF).
        let end = row
            .position()
            .map_or(0, |p| usize::try_from(p.byte()).unwrap_or(0))
            .saturating_add(1)
            .min(text.len());
        counted_line += text.as_bytes()[counted_to.min(end)..end].iter().filter(|b| **b == b'\n').count();
        counted_to = end;
        let line = counted_line;
        if row.iter().all(str::is_empty) {
            continue;
        }
        let get = |c: Column| {
            columns.iter().position(|x| *x == Some(c)).and_then(|i| row.get(i)).unwrap_or("").to_owned()
        };
        let mut bad = |field: &str| records.skipped.push(Skip::invalid(line, field));
        let Ok(birth_date) = date(&get(Column::BirthDate)) else {
            bad("Geburtsdatum");
            continue;
        };
        let birth_date = birth_date.unwrap_or_default();
        let person = Person {
            line,
            broker_number: get(Column::CustomerNumber),
            insurer_number: String::new(),
            insurer: String::new(),
            fields: CustomerFields {
                first_name: get(Column::FirstName),
                last_name: get(Column::LastName),
                company_name: get(Column::Company),
                email: get(Column::Email),
                phone: get(Column::Phone),
                birth_date,
                street: get(Column::Street),
                postal_code: get(Column::PostalCode),
                city: get(Column::City),
                country: get(Column::Country),
            },
        };
        let insurer = get(Column::Insurer);
        let policy_number = get(Column::PolicyNumber);
        if insurer.is_empty() && policy_number.is_empty() {
            records.person(person, &mut seen);
            continue;
        }
        // A contract row: checked before its person is taken, so a bad row leaves no trace.
        let (Ok(start), Ok(end)) = (date(&get(Column::Start)), date(&get(Column::End))) else {
            bad(if date(&get(Column::Start)).is_err() { "Beginn" } else { "Ablauf" });
            continue;
        };
        let Some(premium_cents) = amount(&get(Column::Premium)) else {
            bad("Beitrag");
            continue;
        };
        let Some(interval) = interval(&get(Column::Interval)) else {
            bad("Zahlweise");
            continue;
        };
        let Some(status) = status(&get(Column::Status)) else {
            bad("Status");
            continue;
        };
        if insurer.is_empty() || policy_number.is_empty() {
            bad(if insurer.is_empty() { "Versicherer" } else { "Versicherungsschein-Nr" });
            continue;
        }
        let person = records.person(person, &mut seen);
        records.policies.push(Policy {
            line,
            person,
            insurer,
            policy_number,
            kind: get(Column::Kind),
            product: get(Column::Product),
            status,
            premium_cents,
            currency: "EUR".to_owned(),
            interval,
            start_date: start,
            end_date: end,
            insured: get(Column::Insured),
        });
    }
    records
}

/// `31.01.2024`, `2024-01-31` or `31/01/2024` (a four-digit year); empty is none.
#[allow(clippy::result_unit_err)]
pub fn date(input: &str) -> Result<Option<String>, ()> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let iso = if s.len() == 10 && s.as_bytes()[4] == b'-' {
        s.to_owned()
    } else {
        let parts: Vec<&str> = s.split(['.', '/']).collect();
        match parts.as_slice() {
            [d, m, y] if y.len() == 4 && d.len() <= 2 && m.len() <= 2 => {
                let (d, m): (u32, u32) = (d.parse().map_err(|_| ())?, m.parse().map_err(|_| ())?);
                format!("{y}-{m:02}-{d:02}")
            }
            _ => return Err(()),
        }
    };
    crate::i18n::parse_iso_date(&iso).map(|_| Some(iso)).ok_or(())
}

/// "1.234,56", "1,234.56", "7,50", "7.5", "12 €": cents. Empty is 0.
pub fn amount(input: &str) -> Option<i64> {
    let s = input.trim();
    if s.is_empty() {
        return Some(0);
    }
    crate::contracts::money::parse_amount(s)
}

/// "monatlich", "monthly", "12", "M" …
pub fn interval(input: &str) -> Option<Interval> {
    let s = input.trim().to_lowercase();
    Some(match s.as_str() {
        "" | "jährlich" | "jaehrlich" | "yearly" | "annually" | "annual" | "1" | "j" => Interval::Yearly,
        "halbjährlich" | "halbjaehrlich" | "half-yearly" | "half_yearly" | "semi-annually" | "2" | "h" => {
            Interval::HalfYearly
        }
        "vierteljährlich" | "vierteljaehrlich" | "quartalsweise" | "quarterly" | "4" | "v" | "q" => {
            Interval::Quarterly
        }
        "monatlich" | "monthly" | "12" | "m" => Interval::Monthly,
        "einmalig" | "einmalbeitrag" | "once" | "single" | "0" | "e" => Interval::Once,
        _ => return None,
    })
}

/// "aktiv", "beendet", "active", "ended"; empty is running.
pub fn status(input: &str) -> Option<Status> {
    let s = input.trim().to_lowercase();
    Some(match s.as_str() {
        "" | "aktiv" | "lebend" | "laufend" | "active" | "running" => Status::Active,
        "beendet" | "storniert" | "gekündigt" | "abgelaufen" | "ended" | "cancelled" | "canceled" => {
            Status::Ended
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_german_excel_csv_in_windows_1252() {
        let text = "Kundennummer;Vorname;Nachname;Geburtsdatum;E-Mail;Versicherer;Sparte;Versicherungsschein-Nr;Beitrag;Zahlweise;Beginn;Ablauf\r\n\
                    K1;Jörg;Müller;01.02.1970;j@example.org;Allianz;Hausrat;H-1;1.234,56;monatlich;01.01.2020;\r\n\
                    K1;Jörg;Müller;01.02.1970;;HUK;KFZ;A-2;99,00;jährlich;2021-03-01;2022-03-01\r\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
        let r = csv_file(&bytes);
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert_eq!(r.encoding, "Windows-1252");
        assert_eq!(r.people.len(), 1, "one person on two lines");
        assert_eq!(r.people[0].fields.last_name, "Müller");
        assert_eq!(r.people[0].fields.birth_date, "1970-02-01");
        assert_eq!(r.policies.len(), 2);
        assert_eq!(r.policies[0].premium_cents, 123_456);
        assert_eq!(r.policies[0].interval, Interval::Monthly);
        assert_eq!(r.policies[1].start_date.as_deref(), Some("2021-03-01"));
        assert_eq!(r.policies[1].end_date.as_deref(), Some("2022-03-01"));
        assert_eq!((r.policies[0].line, r.policies[1].line), (2, 3));
    }

    #[test]
    fn reads_english_comma_separated_utf8_with_bom() {
        let text = "\u{feff}Customer number,First name,Last name,Date of birth,Insurer,Line,Policy number,Premium,Interval,Start\n\
                    C-7,Ann,O'Neil,31/12/1980,Acme,Liability,P-9,\"1,234.50\",quarterly,2024-01-01\n";
        let r = csv_file(text.as_bytes());
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert_eq!(r.encoding, "UTF-8");
        assert_eq!(r.people[0].broker_number, "C-7");
        assert_eq!(r.people[0].fields.birth_date, "1980-12-31");
        assert_eq!(r.policies[0].premium_cents, 123_450);
        assert_eq!(r.policies[0].interval, Interval::Quarterly);
    }

    #[test]
    fn a_bad_row_is_skipped_with_its_line_and_field_and_an_unknown_column_refuses_the_file() {
        let text = "Nachname;Vorname;Geburtsdatum;Versicherer;Versicherungsschein-Nr;Beitrag\n\
                    Meier;Eva;31.02.1990;X;1;5\n\
                    Kurz;Bo;;X;2;fünf\n\
                    Lang;Li;;X;3;5\n";
        let r = csv_file(text.as_bytes());
        assert!(r.errors.is_empty());
        assert_eq!(r.policies.len(), 1);
        let skipped: Vec<(usize, String)> = r.skipped.iter().map(|s| (s.line, s.field.clone())).collect();
        assert_eq!(skipped, [(2, "Geburtsdatum".to_owned()), (3, "Beitrag".to_owned())]);

        let r = csv_file("Nachname;Lieblingsfarbe\nMeier;blau\n".as_bytes());
        assert_eq!(r.errors.len(), 1);
        assert_eq!((r.errors[0].line, r.errors[0].column), (1, 2));
        let r = csv_file("Vorname\nEva\n".as_bytes());
        assert_eq!(r.errors[0].field, "Nachname");
    }

    #[test]
    fn the_template_reads_back() {
        let r = csv_file(CSV_TEMPLATE.as_bytes());
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert_eq!(r.people.len(), 1);
        assert_eq!(r.policies[0].policy_number, "PH-123456");
        assert_eq!(r.policies[0].premium_cents, 750);
    }

    #[test]
    fn dates_amounts_and_intervals() {
        assert_eq!(date("1.2.2024"), Ok(Some("2024-02-01".to_owned())));
        assert_eq!(date(""), Ok(None));
        assert_eq!(date("2024-02-30"), Err(()));
        assert_eq!(date("1.2.24"), Err(()));
        assert_eq!(amount("7,5"), Some(750));
        assert_eq!(amount("12 €"), Some(1200));
        assert_eq!(amount("abc"), None);
        assert_eq!(interval("Monatlich"), Some(Interval::Monthly));
        assert_eq!(interval("wöchentlich"), None);
        assert_eq!(status("Storniert"), Some(Status::Ended));
    }
}
