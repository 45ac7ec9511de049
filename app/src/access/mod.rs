//! Who sees what (R3): an account reaches its own folder and, through grants on signed
//! mandates, parts of others' folders. `rules` holds the one access decision every read path
//! of the customer's side asks; `ssr` the grants and their contracts; `pages` the office's
//! section *Zugänge*, the folder switcher, *Wer hat Zugriff?* and what an access rests on;
//! `form` the mandate form as a PDF; `http` the routes that carry files (the signed form in,
//! the printable form out).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::customers::Access;
use crate::error::{AppError, FormErrors, Problem, Result};
use crate::ids::{ContractId, ConversationId, CustomerId, DocumentId, GrantId};

#[cfg(feature = "ssr")]
pub mod form;
#[cfg(feature = "ssr")]
pub mod http;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod texts;

pub use rules::{Basis, FolderAccess, GrantRole, Item, Reader, Scope, Signature};

/// A person as a mandate names them (R3.3), every field as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PersonFields {
    pub first_name: String,
    pub last_name: String,
    /// ISO 8601.
    pub birth_date: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    /// A code or a name ("DE", "Deutschland"); empty means Germany.
    pub country: String,
    /// Only for the person given access: the address that activates it.
    pub email: String,
}

/// A person as a mandate names them, checked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub first_name: String,
    pub last_name: String,
    pub birth_date: String,
    pub address: crate::customers::Address,
}

impl Person {
    pub fn name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    /// Checks a person's fields; problems are reported as `<prefix>.<field>`.
    fn parse(errors: &mut FormErrors, prefix: &str, f: &PersonFields, today: &str) -> Person {
        let name = |field: &str| format!("{prefix}.{field}");
        let first_name = errors.required(&name("first_name"), &f.first_name, crate::error::NAME_MAX_CHARS);
        let last_name = errors.required(&name("last_name"), &f.last_name, crate::error::NAME_MAX_CHARS);
        let birth_date = match errors.date(&name("birth_date"), &f.birth_date) {
            None if !errors.has(&name("birth_date")) => {
                errors.push(&name("birth_date"), Problem::Required);
                String::new()
            }
            Some(date) if date.as_str() > today => {
                errors.push(&name("birth_date"), Problem::DateInFuture);
                date
            }
            date => date.unwrap_or_default(),
        };
        // The address's own field names, under the prefix.
        let mut inner = FormErrors::default();
        let address = crate::customers::Address::parse(
            &mut inner,
            &f.street,
            &f.postal_code,
            &f.city,
            &f.country,
            "DE",
            true,
        )
        .unwrap_or_default();
        for problem in inner.into_problems() {
            errors.push(&name(&problem.field), problem.problem);
        }
        Person { first_name, last_name, birth_date, address }
    }
}

/// A grant as it comes in from the office's form or a broker system, before checking.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GrantFields {
    /// `insured`, `other`, `legal_representative`, `other_for_entity`.
    pub role: String,
    /// `None` for "all" (also future contracts), else the chosen ones.
    pub contracts: Option<Vec<ContractId>>,
    /// ISO date of the written request.
    pub requested_on: String,
    /// Who signed the request: the policyholder, or the company's representative.
    pub requester: PersonFields,
    /// Who gets access, with the address that activates it.
    pub person: PersonFields,
    /// `qualified`, `eid`, `handwritten`.
    pub signature: String,
    /// The signed form.
    pub form: FormRef,
}

/// Where a grant's signed form is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FormRef {
    /// None came: no grant (R3.2).
    #[default]
    Missing,
    /// A document of the folder, uploaded before (the REST API's `form_document_id`).
    Document(DocumentId),
    /// The file comes with this request; it is stored once everything else checks out.
    Upload,
}

/// A grant, checked against the rows of R3.2.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GrantInput {
    pub role: GrantRole,
    pub scope: Scope,
    pub requested_on: String,
    pub requester: Person,
    pub person: Person,
    pub email: crate::email::Email,
    pub signature: Signature,
    pub form: DocumentId,
}

impl GrantInput {
    /// Checks a grant for a folder (a company's, or a person's), adding to the problems the
    /// caller found already: the role fits the folder, the contracts fit the role ("all"
    /// only for a legal representative, exactly one for an insured person), and every grant
    /// rests on a signed form.
    pub fn parse(f: &GrantFields, company: bool, mut errors: FormErrors, today: &str) -> Result<GrantInput> {
        let role = GrantRole::parse(&f.role);
        match role {
            None if f.role.trim().is_empty() => errors.push("role", Problem::Required),
            None => errors.push("role", Problem::InvalidChoice),
            Some(role) if role.for_company() != company => errors.push("role", Problem::WrongFolderKind),
            Some(_) => {}
        }
        let scope = match (role, &f.contracts) {
            // The caller named what is wrong with the contracts already.
            _ if errors.has("contracts") => None,
            (Some(role), None) if !role.sees_all() => {
                errors.push("contracts", Problem::OnlyListed);
                None
            }
            (Some(role), Some(_)) if role.sees_all() => {
                errors.push("contracts", Problem::OnlyAll);
                None
            }
            (_, None) => Some(Scope::All),
            (_, Some(list)) if list.is_empty() => {
                errors.push("contracts", Problem::Required);
                None
            }
            (Some(GrantRole::Insured), Some(list)) if list.len() != 1 => {
                errors.push("contracts", Problem::OneContract);
                None
            }
            (_, Some(list)) => {
                let mut list = list.clone();
                list.sort_unstable();
                list.dedup();
                Some(Scope::Contracts(list))
            }
        };
        let requested_on = match errors.date("requested_on", &f.requested_on) {
            None if !errors.has("requested_on") => {
                errors.push("requested_on", Problem::Required);
                String::new()
            }
            Some(date) if date.as_str() > today => {
                errors.push("requested_on", Problem::DateInFuture);
                date
            }
            date => date.unwrap_or_default(),
        };
        let requester = Person::parse(&mut errors, "requester", &f.requester, today);
        let person = Person::parse(&mut errors, "person", &f.person, today);
        let email = if f.person.email.trim().is_empty() {
            errors.push("person.email", Problem::Required);
            None
        } else {
            errors.email("person.email", &f.person.email)
        };
        let signature = Signature::parse(&f.signature);
        if signature.is_none() {
            let problem =
                if f.signature.trim().is_empty() { Problem::Required } else { Problem::InvalidChoice };
            errors.push("signature", problem);
        }
        let form = match f.form {
            FormRef::Document(id) => Some(id),
            // Stored by the caller, who then puts its id here.
            FormRef::Upload => Some(DocumentId(0)),
            FormRef::Missing => {
                if !errors.has("form_document_id") {
                    errors.push("form_document_id", Problem::FormRequired);
                }
                None
            }
        };
        let checked = role.zip(scope).zip(email).zip(signature).zip(form);
        let ((((role, scope), email), signature), form) = errors.finish(checked)?;
        Ok(GrantInput { role, scope, requested_on, requester, person, email, signature, form })
    }
}

/// A grant as the office and the folder's holder see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantView {
    pub id: GrantId,
    pub external_id: Option<String>,
    pub customer_id: CustomerId,
    pub role: GrantRole,
    /// Every contract, also future ones; else `contracts`.
    pub all_contracts: bool,
    /// The listed contracts, by what people call them ("Hausrat · HR-1").
    pub contracts: Vec<(ContractId, String)>,
    pub requested_on: String,
    pub signature: Signature,
    pub form: DocumentId,
    pub requester: Person,
    pub person: Person,
    pub email: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
    /// Whether the person has set a password yet.
    pub account: Access,
}

impl GrantView {
    pub fn active(&self) -> bool {
        self.revoked_at.is_none()
    }

    pub fn form_url(&self) -> String {
        format!("/files/{}", self.form)
    }
}

/// The grants on a customer's folder, current and ended, for the office.
#[server(endpoint = "access/of-customer")]
pub async fn customer_grants(customer_id: CustomerId) -> Result<Vec<GrantView>, AppError> {
    crate::request::respond(ssr::of_customer(customer_id).await)
}

/// Ends a grant (staff, after confirming). It takes effect with the person's next request.
#[server(endpoint = "access/revoke")]
pub async fn revoke_grant(id: GrantId) -> Result<(), AppError> {
    crate::request::respond(ssr::revoke_by_staff(id).await)
}

/// Looks at another of the folders the signed-in person reaches.
#[server(endpoint = "access/switch")]
pub async fn switch_folder(customer_id: CustomerId) -> Result<(), AppError> {
    crate::request::respond(ssr::switch(customer_id).await)
}

/// Who can see parts of the folder the signed-in person holds (R3.4), with their forms.
#[server(endpoint = "access/on-my-folder")]
pub async fn grants_on_my_folder() -> Result<Vec<GrantView>, AppError> {
    crate::request::respond(ssr::on_my_folder().await)
}

/// The holder asks the broker to end a grant: a message in the mailbox.
#[server(endpoint = "access/request-end")]
pub async fn request_end(id: GrantId) -> Result<ConversationId, AppError> {
    crate::request::respond(ssr::request_end(id).await)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::AppError;

    const TODAY: &str = "2026-11-30";

    fn person(email: &str) -> PersonFields {
        PersonFields {
            first_name: "Max".into(),
            last_name: "Schneider".into(),
            birth_date: "1984-07-01".into(),
            street: "Lindenstraße 12".into(),
            postal_code: "80331".into(),
            city: "München".into(),
            country: String::new(),
            email: email.into(),
        }
    }

    fn fields(role: &str, contracts: Option<Vec<ContractId>>) -> GrantFields {
        GrantFields {
            role: role.into(),
            contracts,
            requested_on: "2026-03-01".into(),
            requester: person(""),
            person: person("max@example.com"),
            signature: "handwritten".into(),
            form: FormRef::Document(DocumentId(9)),
        }
    }

    fn problems(result: Result<GrantInput>) -> Vec<(String, Problem)> {
        match result {
            Err(AppError::Invalid(errors)) => errors.into_iter().map(|e| (e.field, e.problem)).collect(),
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    fn parse(f: &GrantFields, company: bool) -> Result<GrantInput> {
        GrantInput::parse(f, company, FormErrors::default(), TODAY)
    }

    #[test]
    fn each_row_of_the_table_gets_its_contracts() {
        let one = Some(vec![ContractId(1)]);
        let two = Some(vec![ContractId(2), ContractId(1), ContractId(2)]);
        assert_eq!(
            parse(&fields("insured", one.clone()), false).unwrap().scope,
            Scope::Contracts(vec![ContractId(1)])
        );
        assert_eq!(
            parse(&fields("other", two.clone()), false).unwrap().scope,
            Scope::Contracts(vec![ContractId(1), ContractId(2)])
        );
        assert_eq!(parse(&fields("legal_representative", None), true).unwrap().scope, Scope::All);
        assert_eq!(
            parse(&fields("other_for_entity", two.clone()), true).unwrap().scope,
            Scope::Contracts(vec![ContractId(1), ContractId(2)])
        );
        // "All" only where the row says so; one contract for an insured person.
        assert_eq!(
            problems(parse(&fields("other", None), false)),
            [("contracts".to_owned(), Problem::OnlyListed)]
        );
        assert_eq!(
            problems(parse(&fields("insured", two), false)),
            [("contracts".to_owned(), Problem::OneContract)]
        );
        assert_eq!(
            problems(parse(&fields("legal_representative", one.clone()), true)),
            [("contracts".to_owned(), Problem::OnlyAll)]
        );
        assert_eq!(
            problems(parse(&fields("other", Some(vec![])), false)),
            [("contracts".to_owned(), Problem::Required)]
        );
        // A company's roles on a person's folder, and the other way round.
        assert_eq!(
            problems(parse(&fields("insured", one.clone()), true)),
            [("role".to_owned(), Problem::WrongFolderKind)]
        );
        assert_eq!(
            problems(parse(&fields("legal_representative", None), false)),
            [("role".to_owned(), Problem::WrongFolderKind)]
        );
        assert_eq!(
            problems(parse(&fields("policyholder", one), false)),
            [("role".to_owned(), Problem::InvalidChoice)]
        );
    }

    #[test]
    fn no_grant_without_its_signed_form_and_the_mandates_data() {
        let mut f = fields("other", Some(vec![ContractId(1)]));
        f.form = FormRef::Missing;
        assert_eq!(problems(parse(&f, false)), [("form_document_id".to_owned(), Problem::FormRequired)]);
        let f = GrantFields {
            requested_on: "2027-01-01".into(),
            requester: PersonFields { birth_date: String::new(), ..person("") },
            person: PersonFields { street: String::new(), email: "kaputt".into(), ..person("") },
            signature: "fax".into(),
            ..fields("other", Some(vec![ContractId(1)]))
        };
        assert_eq!(
            problems(parse(&f, false)),
            [
                ("requested_on".to_owned(), Problem::DateInFuture),
                ("requester.birth_date".to_owned(), Problem::Required),
                ("person.street".to_owned(), Problem::Required),
                ("person.email".to_owned(), Problem::InvalidEmail),
                ("signature".to_owned(), Problem::InvalidChoice),
            ]
        );
        let ok = parse(&fields("other", Some(vec![ContractId(1)])), false).unwrap();
        assert_eq!((ok.email.as_str(), ok.person.address.country.as_str()), ("max@example.com", "DE"));
    }
}
