//! A customer's data as it comes in (the office's forms, the REST API, the CLI, a change
//! request in the mailbox), checked in one place: `CustomerInput::parse` for a whole record,
//! `Address::parse` for an address, `country_code` for a country however it is written.

use serde::{Deserialize, Serialize};

use crate::error::{FormErrors, Problem, Result, NAME_MAX_CHARS};

pub const COMPANY_MAX_CHARS: usize = 200;
pub const PHONE_MAX_CHARS: usize = 40;
pub const STREET_MAX_CHARS: usize = 200;
pub const CITY_MAX_CHARS: usize = 100;
pub const POSTAL_CODE_MAX_CHARS: usize = 12;

/// The countries Folio's brokers serve most, by ISO 3166 code, with their names as
/// customers write them (German, English, Dutch, French).
const COUNTRIES: [(&str, &[&str]); 14] = [
    ("DE", &["deutschland", "germany", "duitsland", "allemagne", "bundesrepublik deutschland", "brd"]),
    ("AT", &["österreich", "oesterreich", "austria", "oostenrijk", "autriche"]),
    ("CH", &["schweiz", "switzerland", "zwitserland", "suisse"]),
    ("BE", &["belgien", "belgium", "belgië", "belgie", "belgique"]),
    ("NL", &["niederlande", "netherlands", "the netherlands", "nederland", "pays-bas", "holland"]),
    ("LU", &["luxemburg", "luxembourg"]),
    ("FR", &["frankreich", "france", "frankrijk"]),
    ("IT", &["italien", "italy", "italië", "italie"]),
    ("ES", &["spanien", "spain", "spanje", "espagne"]),
    ("PL", &["polen", "poland", "pologne"]),
    ("DK", &["dänemark", "daenemark", "denmark", "denemarken", "danemark"]),
    ("CZ", &["tschechien", "czechia", "czech republic", "tsjechië", "tchéquie"]),
    (
        "GB",
        &[
            "großbritannien",
            "vereinigtes königreich",
            "united kingdom",
            "uk",
            "verenigd koninkrijk",
            "royaume-uni",
        ],
    ),
    ("US", &["usa", "vereinigte staaten", "united states", "verenigde staten", "états-unis"]),
];

/// The country codes a form offers, in this order.
pub const COUNTRY_CHOICES: [&str; 12] =
    ["DE", "AT", "CH", "BE", "NL", "LU", "FR", "IT", "ES", "PL", "DK", "CZ"];

/// A country as stored: its ISO 3166 alpha-2 code, from a code or a name in one of Folio's
/// languages ("de", "Deutschland", "Germany" → "DE"). Unknown names are `None`.
pub fn country_code(input: &str) -> Option<String> {
    let text = input.trim();
    if text.len() == 2 && text.chars().all(|c| c.is_ascii_alphabetic()) {
        return Some(text.to_ascii_uppercase());
    }
    let lower = text.to_lowercase();
    COUNTRIES.iter().find(|(_, names)| names.contains(&lower.as_str())).map(|(code, _)| (*code).to_owned())
}

/// A country code's name in a language; an unknown code stays as it is.
pub fn country_name(code: &str, locale: crate::i18n::Locale) -> String {
    let pick = |de: &str, en: &str, nl: &str, fr: &str| {
        match locale.code() {
            "en" => en,
            "nl" => nl,
            "fr" => fr,
            _ => de,
        }
        .to_owned()
    };
    match code.to_ascii_uppercase().as_str() {
        "DE" => pick("Deutschland", "Germany", "Duitsland", "Allemagne"),
        "AT" => pick("Österreich", "Austria", "Oostenrijk", "Autriche"),
        "CH" => pick("Schweiz", "Switzerland", "Zwitserland", "Suisse"),
        "BE" => pick("Belgien", "Belgium", "België", "Belgique"),
        "NL" => pick("Niederlande", "Netherlands", "Nederland", "Pays-Bas"),
        "LU" => pick("Luxemburg", "Luxembourg", "Luxemburg", "Luxembourg"),
        "FR" => pick("Frankreich", "France", "Frankrijk", "France"),
        "IT" => pick("Italien", "Italy", "Italië", "Italie"),
        "ES" => pick("Spanien", "Spain", "Spanje", "Espagne"),
        "PL" => pick("Polen", "Poland", "Polen", "Pologne"),
        "DK" => pick("Dänemark", "Denmark", "Denemarken", "Danemark"),
        "CZ" => pick("Tschechien", "Czechia", "Tsjechië", "Tchéquie"),
        "GB" => pick("Vereinigtes Königreich", "United Kingdom", "Verenigd Koninkrijk", "Royaume-Uni"),
        "US" => pick("Vereinigte Staaten", "United States", "Verenigde Staten", "États-Unis"),
        _ => code.to_owned(),
    }
}

/// Whether a postal code has the shape of its country's (where Folio knows the shape).
fn postal_code_fits(country: &str, code: &str) -> bool {
    let digits = |n: usize| code.len() == n && code.bytes().all(|b| b.is_ascii_digit());
    match country {
        "DE" | "FR" | "IT" | "ES" => digits(5),
        "AT" | "CH" | "BE" | "LU" | "DK" => digits(4),
        "NL" => {
            let compact: String = code.chars().filter(|c| !c.is_whitespace()).collect();
            compact.len() == 6
                && compact[..4].bytes().all(|b| b.is_ascii_digit())
                && compact[4..].bytes().all(|b| b.is_ascii_alphabetic())
        }
        "PL" => code.len() == 6 && code.as_bytes()[2] == b'-',
        _ => true,
    }
}

/// A postal address as stored: the country as its code.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub street: String,
    pub postal_code: String,
    pub city: String,
    /// ISO 3166 alpha-2.
    pub country: String,
}

impl Address {
    /// Checks an address; street, postal code and city are needed when `required`, else an
    /// address may be left out altogether (then `None`). A missing country means `default_country`.
    pub fn parse(
        errors: &mut FormErrors,
        street: &str,
        postal_code: &str,
        city: &str,
        country: &str,
        default_country: &str,
        required: bool,
    ) -> Option<Address> {
        let given = [street, postal_code, city].iter().any(|f| !f.trim().is_empty());
        if !required && !given {
            if !country.trim().is_empty() && country_code(country).is_none() {
                errors.push("country", Problem::InvalidChoice);
            }
            return None;
        }
        let street = errors.required("street", street, STREET_MAX_CHARS);
        let postal_code = errors.required("postal_code", postal_code, POSTAL_CODE_MAX_CHARS).to_uppercase();
        let city = errors.required("city", city, CITY_MAX_CHARS);
        let country =
            if country.trim().is_empty() { Some(default_country.to_owned()) } else { country_code(country) };
        match &country {
            None => errors.push("country", Problem::InvalidChoice),
            Some(code) if !postal_code.is_empty() && !postal_code_fits(code, &postal_code) => {
                errors.push("postal_code", Problem::InvalidPostalCode);
            }
            Some(_) => {}
        }
        Some(Address { street, postal_code, city, country: country.unwrap_or_default() })
    }

    /// "Lindenstraße 12", "80331 München", "Deutschland": the lines people read.
    pub fn lines(&self, locale: crate::i18n::Locale) -> Vec<String> {
        let town = format!("{} {}", self.postal_code, self.city).trim().to_owned();
        [self.street.clone(), town, country_name(&self.country, locale)]
            .into_iter()
            .filter(|l| !l.is_empty())
            .collect()
    }
}

/// A customer record as it comes in, every field as typed ("" for not given).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CustomerFields {
    pub first_name: String,
    pub last_name: String,
    /// Set for a company (a legal entity); then the names are its contact person's, if any.
    pub company_name: String,
    pub email: String,
    pub phone: String,
    /// ISO 8601 date.
    pub birth_date: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
}

/// A checked customer record: the only way a customer's data reaches the database.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CustomerInput {
    pub first_name: String,
    pub last_name: String,
    pub company_name: Option<String>,
    pub email: Option<crate::email::Email>,
    pub phone: Option<String>,
    pub birth_date: Option<String>,
    pub address: Option<Address>,
}

impl CustomerInput {
    /// Checks a record, adding to problems the caller found already (so a person sees all at
    /// once). A person needs first and last name, a company its name; e-mail, phone, birth
    /// date and address are optional, but checked when given.
    /// `today` (ISO) bounds the birth date.
    pub fn parse(fields: &CustomerFields, mut errors: FormErrors, today: &str) -> Result<CustomerInput> {
        let company_name = Some(errors.optional("company_name", &fields.company_name, COMPANY_MAX_CHARS))
            .filter(|c| !c.is_empty());
        let (first_name, last_name) = if company_name.is_some() {
            (
                errors.optional("first_name", &fields.first_name, NAME_MAX_CHARS),
                errors.optional("last_name", &fields.last_name, NAME_MAX_CHARS),
            )
        } else {
            (
                errors.required("first_name", &fields.first_name, NAME_MAX_CHARS),
                errors.required("last_name", &fields.last_name, NAME_MAX_CHARS),
            )
        };
        let email = if fields.email.trim().is_empty() { None } else { errors.email("email", &fields.email) };
        let phone = Some(errors.optional("phone", &fields.phone, PHONE_MAX_CHARS)).filter(|p| !p.is_empty());
        let birth_date = errors.date("birth_date", &fields.birth_date);
        if birth_date.as_deref().is_some_and(|d| d > today) {
            errors.push("birth_date", Problem::DateInFuture);
        }
        let address = Address::parse(
            &mut errors,
            &fields.street,
            &fields.postal_code,
            &fields.city,
            &fields.country,
            "DE",
            false,
        );
        errors.finish(Some(CustomerInput {
            first_name,
            last_name,
            company_name,
            email,
            phone,
            birth_date,
            address,
        }))
    }

    /// The company's name, else the person's.
    pub fn display_name(&self) -> String {
        self.company_name.clone().unwrap_or_else(|| format!("{} {}", self.first_name, self.last_name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::AppError;
    use crate::i18n::Locale;

    const TODAY: &str = "2026-11-30";

    fn problems(result: Result<CustomerInput>) -> Vec<(String, Problem)> {
        match result {
            Err(AppError::Invalid(errors)) => errors.into_iter().map(|e| (e.field, e.problem)).collect(),
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    #[test]
    fn countries_are_stored_as_codes_however_they_are_written() {
        for written in ["DE", "de", "Deutschland", " germany ", "Allemagne", "Duitsland"] {
            assert_eq!(country_code(written).as_deref(), Some("DE"), "{written}");
        }
        assert_eq!(country_code("België").as_deref(), Some("BE"));
        assert_eq!(country_code("Atlantis"), None);
        assert_eq!(country_name("BE", Locale::En), "Belgium");
        assert_eq!(country_name("de", Locale::De), "Deutschland");
        assert_eq!(country_name("XK", Locale::De), "XK");
    }

    #[test]
    fn a_person_needs_names_a_company_its_name() {
        let fields = CustomerFields::default();
        assert_eq!(
            problems(CustomerInput::parse(&fields, FormErrors::default(), TODAY)),
            [("first_name".to_owned(), Problem::Required), ("last_name".to_owned(), Problem::Required)]
        );
        let company = CustomerFields { company_name: " Berger Haustechnik GmbH ".into(), ..fields };
        let input = CustomerInput::parse(&company, FormErrors::default(), TODAY).unwrap();
        assert_eq!(input.display_name(), "Berger Haustechnik GmbH");
        assert_eq!(input.address, None);
    }

    #[test]
    fn every_field_is_checked_when_given() {
        let fields = CustomerFields {
            first_name: "Anna".into(),
            last_name: "Schneider".into(),
            email: "keine-adresse".into(),
            birth_date: "1986-02-30".into(),
            street: "Lindenstraße 12".into(),
            postal_code: "8033".into(),
            city: "München".into(),
            country: "Deutschland".into(),
            ..CustomerFields::default()
        };
        assert_eq!(
            problems(CustomerInput::parse(&fields, FormErrors::default(), TODAY)),
            [
                ("email".to_owned(), Problem::InvalidEmail),
                ("birth_date".to_owned(), Problem::InvalidDate),
                ("postal_code".to_owned(), Problem::InvalidPostalCode),
            ]
        );
        let fields = CustomerFields {
            email: "Anna@Example.com".into(),
            birth_date: "1986-04-12".into(),
            postal_code: "80331".into(),
            ..fields
        };
        let input = CustomerInput::parse(&fields, FormErrors::default(), TODAY).unwrap();
        assert_eq!(input.email.unwrap().as_str(), "anna@example.com");
        let address = input.address.unwrap();
        assert_eq!(address.country, "DE");
        assert_eq!(address.lines(Locale::De), ["Lindenstraße 12", "80331 München", "Deutschland"]);
    }

    #[test]
    fn postal_codes_fit_their_country() {
        let mut errors = FormErrors::default();
        let nl = Address::parse(&mut errors, "Damrak 1", "1012 lg", "Amsterdam", "Nederland", "DE", true);
        assert_eq!(nl.unwrap().postal_code, "1012 LG");
        let be = Address::parse(&mut errors, "Rue Neuve 1", "1000", "Bruxelles", "BE", "DE", true);
        assert_eq!(be.unwrap().country, "BE");
        assert!(errors.finish(Some(())).is_ok());
        let mut errors = FormErrors::default();
        Address::parse(&mut errors, "Rue Neuve 1", "10000", "Bruxelles", "Belgique", "DE", true);
        assert!(errors.has("postal_code"));
        let mut errors = FormErrors::default();
        assert_eq!(Address::parse(&mut errors, " ", "", "", "", "DE", false), None);
        assert!(errors.finish(Some(())).is_ok());
    }
}
