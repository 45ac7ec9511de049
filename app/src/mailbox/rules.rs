//! The mailbox's rules without any web or database: what each kind of message needs, the
//! IBAN check, and which contracts touch health data (R4.3). Unit-tested here.

use serde::{Deserialize, Serialize};

use super::Topic;
use crate::error::{FormErrors, Problem, Result};
use crate::ids::{parse_id, ContractId, DocumentId};

/// How long a message may be.
pub const BODY_MAX_CHARS: usize = 5000;
/// How many files one message may carry.
pub const MAX_ATTACHMENTS: usize = 20;
const LINE_MAX_CHARS: usize = 200;

/// A message form as it is sent: every field of every kind, as typed ("" when not shown).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Compose {
    pub topic: String,
    pub contract_id: String,
    pub body: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub valid_from: String,
    pub account_holder: String,
    pub iban: String,
    pub sepa_note: String,
    pub claim_date: String,
    pub place: String,
    pub insurer: String,
    /// Ids of documents uploaded for this message, comma-separated.
    pub attachments: String,
    /// "on" when the customer agreed to health data being processed.
    pub health_consent: String,
}

impl Compose {
    /// The names of the form's fields, in its order; `topic` is not a field.
    pub const FIELDS: [&'static str; 15] = [
        "contract_id",
        "body",
        "street",
        "postal_code",
        "city",
        "country",
        "valid_from",
        "account_holder",
        "iban",
        "sepa_note",
        "claim_date",
        "place",
        "insurer",
        "attachments",
        "health_consent",
    ];

    /// Every field as (name, value), in the order of `FIELDS`.
    pub fn fields(&self) -> [(&'static str, &str); 15] {
        let values = [
            &self.contract_id,
            &self.body,
            &self.street,
            &self.postal_code,
            &self.city,
            &self.country,
            &self.valid_from,
            &self.account_holder,
            &self.iban,
            &self.sepa_note,
            &self.claim_date,
            &self.place,
            &self.insurer,
            &self.attachments,
            &self.health_consent,
        ];
        std::array::from_fn(|i| (Self::FIELDS[i], values[i].as_str()))
    }

    /// The field of this name, to fill in.
    pub fn field_mut(&mut self, name: &str) -> Option<&mut String> {
        Some(match name {
            "contract_id" => &mut self.contract_id,
            "body" => &mut self.body,
            "street" => &mut self.street,
            "postal_code" => &mut self.postal_code,
            "city" => &mut self.city,
            "country" => &mut self.country,
            "valid_from" => &mut self.valid_from,
            "account_holder" => &mut self.account_holder,
            "iban" => &mut self.iban,
            "sepa_note" => &mut self.sepa_note,
            "claim_date" => &mut self.claim_date,
            "place" => &mut self.place,
            "insurer" => &mut self.insurer,
            "attachments" => &mut self.attachments,
            "health_consent" => &mut self.health_consent,
            _ => return None,
        })
    }

    /// Nothing typed, nothing chosen.
    pub fn is_blank(&self) -> bool {
        self.fields().iter().all(|(_, v)| v.trim().is_empty())
    }
}

/// A kind of message a customer may start (not the office's own).
pub fn customer_topic(input: &str) -> Option<Topic> {
    Topic::parse(input.trim()).filter(|t| *t != Topic::Office)
}

/// A draft keeps at most a message's text and its details.
pub const DRAFT_MAX_CHARS: usize = BODY_MAX_CHARS + 2_000;

/// A draft may be incomplete, but not larger than any message could be.
pub fn check_draft(draft: &Compose) -> Result<()> {
    let chars: usize = draft.fields().iter().map(|(_, v)| v.chars().count()).sum();
    if chars > DRAFT_MAX_CHARS {
        return Err(crate::error::AppError::field("body", Problem::TooLong));
    }
    Ok(())
}

/// The structured part of a request, as stored with the conversation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Details {
    #[default]
    None,
    Address {
        street: String,
        postal_code: String,
        city: String,
        country: String,
        valid_from: String,
    },
    Bank {
        account_holder: String,
        /// Normalised: capitals, no spaces.
        iban: String,
        valid_from: String,
        sepa_note: String,
    },
    Claim {
        date: String,
        place: String,
    },
    MissingContract {
        insurer: String,
    },
}

/// A checked message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    pub topic: Topic,
    pub contract_id: Option<ContractId>,
    pub body: String,
    pub details: Details,
    pub attachments: Vec<DocumentId>,
    pub health_consent: bool,
}

/// Checks a customer's new message against what its kind needs; every problem at once.
/// `today` is the ISO date, for a claim's date which cannot lie ahead.
pub fn parse_compose(c: &Compose, today: &str) -> Result<Parsed> {
    let mut errors = FormErrors::default();
    let topic = customer_topic(&c.topic);
    if topic.is_none() {
        errors.push("topic", Problem::InvalidChoice);
    }
    let contract_id = id_field(&mut errors, "contract_id", &c.contract_id);
    let attachments = attachment_ids(&mut errors, &c.attachments);
    let body = match topic {
        Some(Topic::Question | Topic::Claim) => errors.required_lines("body", &c.body, BODY_MAX_CHARS),
        _ => errors.optional_lines("body", &c.body, BODY_MAX_CHARS),
    };
    let details = match topic {
        Some(Topic::Address) => address(&mut errors, c),
        Some(Topic::Bank) => bank(&mut errors, c),
        Some(Topic::Claim) => {
            if contract_id.is_none() && c.contract_id.trim().is_empty() {
                errors.push("contract_id", Problem::Required);
            }
            let date = match errors.date("claim_date", &c.claim_date) {
                None if !errors_for(&errors, "claim_date") => {
                    errors.push("claim_date", Problem::Required);
                    String::new()
                }
                Some(d) if d.as_str() > today => {
                    errors.push("claim_date", Problem::DateInFuture);
                    d
                }
                d => d.unwrap_or_default(),
            };
            Details::Claim { date, place: errors.required("place", &c.place, LINE_MAX_CHARS) }
        }
        Some(Topic::MissingContract) => {
            if attachments.is_empty() && !errors_for(&errors, "attachments") {
                errors.push("attachments", Problem::PhotoRequired);
            }
            Details::MissingContract { insurer: errors.optional("insurer", &c.insurer, LINE_MAX_CHARS) }
        }
        _ => Details::None,
    };
    let health_consent = c.health_consent.trim() == "on";
    errors.finish(topic.map(|topic| Parsed {
        topic,
        contract_id,
        body,
        details,
        attachments,
        health_consent,
    }))
}

/// The fields of a change request as staff apply it (possibly edited): the same checks as
/// when the customer sent it.
pub fn parse_change(topic: Topic, c: &Compose) -> Result<Details> {
    let mut errors = FormErrors::default();
    let details = match topic {
        Topic::Address => address(&mut errors, c),
        Topic::Bank => bank(&mut errors, c),
        _ => {
            errors.push("topic", Problem::InvalidChoice);
            Details::None
        }
    };
    errors.finish(Some(details))
}

fn errors_for(errors: &FormErrors, field: &str) -> bool {
    errors.has(field)
}

fn id_field(errors: &mut FormErrors, field: &str, input: &str) -> Option<ContractId> {
    match input.trim() {
        "" => None,
        s => {
            let id = parse_id(s);
            if id.is_none() {
                errors.push(field, Problem::InvalidChoice);
            }
            id
        }
    }
}

/// "12, 13" → [12, 13]; duplicates go, anything else is a problem.
pub fn attachment_ids(errors: &mut FormErrors, input: &str) -> Vec<DocumentId> {
    let mut ids = Vec::new();
    for part in input.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some(id) = parse_id::<DocumentId>(part) else {
            errors.push("attachments", Problem::InvalidChoice);
            return Vec::new();
        };
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    if ids.len() > MAX_ATTACHMENTS {
        errors.push("attachments", Problem::TooMany);
    }
    ids
}

fn valid_from(errors: &mut FormErrors, c: &Compose) -> String {
    if let Some(d) = errors.date("valid_from", &c.valid_from) {
        return d;
    }
    if !errors.has("valid_from") {
        errors.push("valid_from", Problem::Required);
    }
    String::new()
}

fn address(errors: &mut FormErrors, c: &Compose) -> Details {
    let address =
        crate::customers::Address::parse(errors, &c.street, &c.postal_code, &c.city, &c.country, "DE", true)
            .unwrap_or_default();
    let crate::customers::Address { street, postal_code, city, country } = address;
    Details::Address { street, postal_code, city, country, valid_from: valid_from(errors, c) }
}

fn bank(errors: &mut FormErrors, c: &Compose) -> Details {
    let account_holder = errors.required("account_holder", &c.account_holder, LINE_MAX_CHARS);
    let iban = match normalize_iban(&c.iban) {
        _ if c.iban.trim().is_empty() => {
            errors.push("iban", Problem::Required);
            String::new()
        }
        Some(iban) => iban,
        None => {
            errors.push("iban", Problem::InvalidIban);
            String::new()
        }
    };
    let sepa_note = errors.optional("sepa_note", &c.sepa_note, 500);
    Details::Bank { account_holder, iban, valid_from: valid_from(errors, c), sepa_note }
}

/// The IBAN in capitals without spaces, if it is one: the country's length (for the
/// countries Folio's brokers serve; others 15 to 34 characters) and the ISO 13616 check
/// digits (mod 97).
pub fn normalize_iban(input: &str) -> Option<String> {
    let iban: String =
        input.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>().to_uppercase();
    if !(15..=34).contains(&iban.len()) || !iban.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let (country, rest) = iban.split_at(2);
    if !country.bytes().all(|b| b.is_ascii_uppercase()) || !rest[..2].bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let length = match country {
        "DE" => Some(22),
        "AT" | "LU" => Some(20),
        "CH" | "LI" => Some(21),
        "NL" | "DK" => Some(18),
        "BE" => Some(16),
        "FR" | "IT" | "MC" => Some(27),
        "ES" => Some(24),
        "PL" => Some(28),
        _ => None,
    };
    if length.is_some_and(|l| l != iban.len()) {
        return None;
    }
    // Move the first four characters to the end, letters become 10..35, then mod 97.
    let mut remainder: u32 = 0;
    for b in iban.bytes().skip(4).chain(iban.bytes().take(4)) {
        let value = if b.is_ascii_digit() { u32::from(b - b'0') } else { u32::from(b - b'A') + 10 };
        remainder = if value >= 10 { (remainder * 100 + value) % 97 } else { (remainder * 10 + value) % 97 };
    }
    (remainder == 1).then_some(iban)
}

/// "DE89 3704 0044 0532 0130 00": in groups of four, as people read it.
pub fn format_iban(iban: &str) -> String {
    iban.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
}

/// Whether a contract of this line of insurance (by its name) concerns the person's health,
/// so that a claim on it carries health data (R4.1: strictly confidential): health, accident,
/// disability, care, life and survivors' cover, in German, English, Dutch and French.
pub fn concerns_health(line_name: &str) -> bool {
    const WORDS: [&str; 16] = [
        "kranken",
        "unfall",
        "berufsunf",
        "erwerbsunf",
        "pflege",
        "leben",
        "hinterblieb",
        "health",
        "accident",
        "disab",
        "life",
        "ziekte",
        "ongeval",
        "arbeidsongeschikt",
        "santé",
        "prévoyance",
    ];
    let name = line_name.to_lowercase();
    WORDS.iter().any(|w| name.contains(w)) || name.split_whitespace().any(|w| w == "vie" || w == "leven")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::AppError;

    fn problems(result: Result<Parsed>) -> Vec<(String, Problem)> {
        match result {
            Err(AppError::Invalid(errors)) => errors.into_iter().map(|e| (e.field, e.problem)).collect(),
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    #[test]
    fn a_draft_may_be_incomplete_but_not_larger_than_a_message() {
        let mut draft = Compose { topic: "claim".into(), place: "Garmisch".into(), ..Compose::default() };
        assert!(check_draft(&draft).is_ok());
        assert!(!draft.is_blank());
        *draft.field_mut("body").unwrap() = "x".repeat(DRAFT_MAX_CHARS);
        assert_eq!(
            check_draft(&draft).map_err(|e| match e {
                AppError::Invalid(errors) => errors[0].problem,
                other => panic!("{other:?}"),
            }),
            Err(Problem::TooLong)
        );
        assert!(Compose { topic: "question".into(), ..Compose::default() }.is_blank());
        assert!(draft.field_mut("topic").is_none(), "the kind is not a field of the draft");
        // Each name reaches the field that `fields` lists under it.
        let mut each = Compose::default();
        for (i, name) in Compose::FIELDS.iter().enumerate() {
            *each.field_mut(name).unwrap() = i.to_string();
        }
        let listed: Vec<(&str, String)> = each.fields().iter().map(|(n, v)| (*n, (*v).to_owned())).collect();
        let expected: Vec<(&str, String)> =
            Compose::FIELDS.iter().enumerate().map(|(i, n)| (*n, i.to_string())).collect();
        assert_eq!(listed, expected);
    }

    #[test]
    fn ibans_are_checked_by_length_and_check_digits() {
        assert_eq!(normalize_iban("de89 3704 0044 0532 0130 00").as_deref(), Some("DE89370400440532013000"));
        assert_eq!(normalize_iban("NL91ABNA0417164300").as_deref(), Some("NL91ABNA0417164300"));
        assert_eq!(normalize_iban("AT61 1904 3002 3457 3201").as_deref(), Some("AT611904300234573201"));
        // One digit wrong, two swapped, too short for Germany, not an IBAN at all.
        assert_eq!(normalize_iban("DE89370400440532013001"), None);
        assert_eq!(normalize_iban("DE98370400440532013000"), None);
        assert_eq!(normalize_iban("DE8937040044053201300"), None);
        assert_eq!(normalize_iban("1234567890123456"), None);
        assert_eq!(normalize_iban(""), None);
        assert_eq!(format_iban("DE89370400440532013000"), "DE89 3704 0044 0532 0130 00");
    }

    #[test]
    fn health_lines_are_recognised_by_name() {
        for name in [
            "Kranken",
            "Unfall",
            "Berufsunfähigkeit",
            "Leben & Rente",
            "Hinterbliebenenvorsorge",
            "Pflegezusatz",
        ] {
            assert!(concerns_health(name), "{name}");
        }
        for name in ["Hausrat", "KFZ", "Haftpflicht", "Rechtsschutz", "Wohngebäude"] {
            assert!(!concerns_health(name), "{name}");
        }
    }

    #[test]
    fn a_question_needs_its_text() {
        let c = Compose { topic: "question".into(), ..Compose::default() };
        assert_eq!(problems(parse_compose(&c, "2026-11-24")), [("body".to_owned(), Problem::Required)]);
        let c = Compose { topic: "question".into(), body: " Wann endet mein Vertrag? ".into(), ..c };
        let parsed = parse_compose(&c, "2026-11-24").unwrap();
        assert_eq!(
            (parsed.topic, parsed.body.as_str(), parsed.details),
            (Topic::Question, "Wann endet mein Vertrag?", Details::None)
        );
        let office = Compose { topic: "office".into(), body: "x".into(), ..Compose::default() };
        assert_eq!(
            problems(parse_compose(&office, "2026-11-24")),
            [("topic".to_owned(), Problem::InvalidChoice)]
        );
    }

    #[test]
    fn an_address_change_needs_street_town_and_date() {
        let c = Compose { topic: "address".into(), postal_code: "8033".into(), ..Compose::default() };
        let fields: Vec<_> = problems(parse_compose(&c, "2026-11-24"));
        assert_eq!(
            fields,
            [
                ("street".to_owned(), Problem::Required),
                ("city".to_owned(), Problem::Required),
                ("postal_code".to_owned(), Problem::InvalidPostalCode),
                ("valid_from".to_owned(), Problem::Required),
            ]
        );
        let c = Compose {
            street: "Neue Straße 5".into(),
            postal_code: "80331".into(),
            city: "München".into(),
            valid_from: "2026-12-01".into(),
            ..c
        };
        let Details::Address { country, .. } = parse_compose(&c, "2026-11-24").unwrap().details else {
            panic!()
        };
        assert_eq!(country, "DE");
        // Abroad, postal codes look different; the country is stored as its code.
        let c = Compose { country: "Niederlande".into(), postal_code: "1012 AB".into(), ..c };
        let Details::Address { country, .. } = parse_compose(&c, "2026-11-24").unwrap().details else {
            panic!()
        };
        assert_eq!(country, "NL");
    }

    #[test]
    fn a_bank_change_needs_a_valid_iban() {
        let c = Compose {
            topic: "bank".into(),
            account_holder: "Anna Schneider".into(),
            iban: "DE89 3704 0044 0532 0130 01".into(),
            valid_from: "2026-12-01".into(),
            ..Compose::default()
        };
        assert_eq!(problems(parse_compose(&c, "2026-11-24")), [("iban".to_owned(), Problem::InvalidIban)]);
        let c = Compose { iban: "DE89 3704 0044 0532 0130 00".into(), ..c };
        let Details::Bank { iban, .. } = parse_compose(&c, "2026-11-24").unwrap().details else { panic!() };
        assert_eq!(iban, "DE89370400440532013000");
    }

    #[test]
    fn a_claim_needs_contract_date_place_and_what_happened() {
        let c = Compose { topic: "claim".into(), claim_date: "2026-12-24".into(), ..Compose::default() };
        let fields = problems(parse_compose(&c, "2026-11-24"));
        assert_eq!(
            fields,
            [
                ("body".to_owned(), Problem::Required),
                ("contract_id".to_owned(), Problem::Required),
                ("claim_date".to_owned(), Problem::DateInFuture),
                ("place".to_owned(), Problem::Required),
            ]
        );
        let c = Compose {
            contract_id: "4".into(),
            claim_date: "2026-11-20".into(),
            place: "Küche".into(),
            body: "Wasserschaden".into(),
            attachments: "7, 8,7".into(),
            ..c
        };
        let parsed = parse_compose(&c, "2026-11-24").unwrap();
        assert_eq!(
            (parsed.contract_id, parsed.attachments),
            (Some(ContractId(4)), vec![DocumentId(7), DocumentId(8)])
        );
    }

    #[test]
    fn a_missing_contract_needs_a_photo() {
        let c = Compose { topic: "missing_contract".into(), ..Compose::default() };
        assert_eq!(
            problems(parse_compose(&c, "2026-11-24")),
            [("attachments".to_owned(), Problem::PhotoRequired)]
        );
        let c = Compose { attachments: "x".into(), ..c };
        assert_eq!(
            problems(parse_compose(&c, "2026-11-24")),
            [("attachments".to_owned(), Problem::InvalidChoice)]
        );
        let c = Compose { attachments: "3".into(), insurer: "Hanse".into(), ..c };
        assert!(parse_compose(&c, "2026-11-24").is_ok());
    }
}
