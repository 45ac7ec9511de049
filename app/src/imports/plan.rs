//! What an import would do, decided before anything is written: for each person of the file
//! a new customer, an update, nothing, or a reason to leave them out; the same for each
//! contract. Pure: the broker's customers, contracts and catalogue are given, so the rules of
//! matching are tested here without a database.

use std::collections::{HashMap, HashSet};

use super::records::{Person, Policy, Records};
use super::{Report, Sample, Skip, SkipReason};
use crate::catalogue::Line;
use crate::contracts::{ContractFields, ContractInput, Interval, Premium, Status};
use crate::customers::CustomerInput;
use crate::error::{AppError, FormErrors};
use crate::ids::{ContractId, CustomerId, LineId, ProductId};

/// How many rows of each group the preview shows.
pub const SAMPLES: usize = 5;

/// A customer of the broker as matching needs them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KnownCustomer {
    pub id: CustomerId,
    pub external_id: Option<String>,
    pub input: CustomerInput,
    pub locked: bool,
}

/// A contract of the broker as matching needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnownContract {
    pub id: ContractId,
    pub customer_id: CustomerId,
    pub insurer: String,
    pub policy_number: String,
    pub status: Status,
    pub premium_cents: i64,
    pub currency: String,
    pub interval: Interval,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub insured: String,
}

/// The broker's data an import is planned against.
#[derive(Default)]
pub struct Known {
    pub customers: Vec<KnownCustomer>,
    /// (issuer, number) → customer.
    pub numbers: HashMap<(String, String), CustomerId>,
    pub contracts: Vec<KnownContract>,
    pub lines: Vec<Line>,
    /// Sparte code → "Line" or "Line / Product".
    pub sparten: HashMap<String, String>,
}

/// Who a person of the file is in Folio.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    New,
    Existing(CustomerId),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PersonStep {
    Create(CustomerInput),
    Update(CustomerId, CustomerInput),
    Keep(CustomerId),
    Skip,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicyStep {
    /// A new contract (its customer_id is set when the person is written).
    Create(ContractInput),
    Update(ContractId, ContractInput),
    Keep,
    Skip,
}

/// The steps, in the file's order, with the report that describes them.
pub struct Plan {
    pub people: Vec<PersonStep>,
    /// The broker's customer number for a new or numberless customer.
    pub external_ids: Vec<Option<String>>,
    /// An insurer's customer number to remember for a person (issuer, number).
    pub numbers: Vec<Option<(String, String)>>,
    pub policies: Vec<(usize, PolicyStep)>,
    pub report: Report,
}

impl Plan {
    /// Rows written by the import: for the progress bar.
    pub fn writes(&self) -> usize {
        let people = self
            .people
            .iter()
            .filter(|s| matches!(s, PersonStep::Create(_) | PersonStep::Update(..)))
            .count();
        let policies = self
            .policies
            .iter()
            .filter(|(_, s)| matches!(s, PolicyStep::Create(_) | PolicyStep::Update(..)))
            .count();
        people + policies
    }
}

fn lower(s: &str) -> String {
    s.trim().to_lowercase()
}

fn name_key(i: &CustomerInput) -> (String, String, String) {
    (lower(i.company_name.as_deref().unwrap_or("")), lower(&i.last_name), lower(&i.first_name))
}

/// The field a person's or contract's first problem is at, for the report.
fn first_field(error: &AppError) -> String {
    match error {
        AppError::Invalid(errors) => errors.first().map(|e| e.field.clone()).unwrap_or_default(),
        _ => String::new(),
    }
}

/// The customer as it would be after the import: what the file gives replaces what is
/// there; what it leaves empty stays; an e-mail address is only ever added, never changed
/// (it may be the customer's sign-in).
fn merged(old: &CustomerInput, new: &CustomerInput) -> CustomerInput {
    let keep = |n: &Option<String>, o: &Option<String>| n.clone().or_else(|| o.clone());
    CustomerInput {
        first_name: if new.first_name.is_empty() { old.first_name.clone() } else { new.first_name.clone() },
        last_name: if new.last_name.is_empty() { old.last_name.clone() } else { new.last_name.clone() },
        company_name: keep(&new.company_name, &old.company_name),
        email: old.email.clone().or_else(|| new.email.clone()),
        phone: keep(&new.phone, &old.phone),
        birth_date: keep(&new.birth_date, &old.birth_date),
        address: new.address.clone().or_else(|| old.address.clone()),
    }
}

fn product_of(line: &Line, name: &str) -> Option<ProductId> {
    let name = lower(name);
    line.products.iter().find(|p| lower(&p.name) == name).map(|p| p.id)
}

struct Catalogue<'a> {
    lines: HashMap<String, &'a Line>,
    products: HashMap<String, Vec<(LineId, ProductId)>>,
    sparten: &'a HashMap<String, String>,
}

impl<'a> Catalogue<'a> {
    fn new(known: &'a Known) -> Self {
        let mut products: HashMap<String, Vec<(LineId, ProductId)>> = HashMap::new();
        for line in &known.lines {
            for p in &line.products {
                products.entry(lower(&p.name)).or_default().push((line.id, p.id));
            }
        }
        Catalogue {
            lines: known.lines.iter().map(|l| (lower(&l.name), l)).collect(),
            products,
            sparten: &known.sparten,
        }
    }

    /// A contract's line and product: a GDV Sparte through the mapping, else a line or a
    /// product of the catalogue by name.
    fn resolve(&self, kind: &str, product: &str) -> Option<(LineId, Option<ProductId>)> {
        let kind = kind.trim();
        let mapped = (kind.len() == 3 && kind.bytes().all(|b| b.is_ascii_digit()))
            .then(|| self.sparten.get(kind))
            .flatten();
        let (line_name, product_name) = match mapped {
            Some(value) => match value.split_once(" / ") {
                Some((l, p)) => (l.trim(), p.trim()),
                None => (value.trim(), ""),
            },
            None => (kind, ""),
        };
        if let Some(line) = self.lines.get(&lower(line_name)) {
            let product = product_of(line, product).or_else(|| product_of(line, product_name));
            return Some((line.id, product));
        }
        match self.products.get(&lower(line_name)).map(Vec::as_slice) {
            Some([(line, product)]) => Some((*line, Some(*product))),
            _ => None,
        }
    }
}

/// Plans an import. `today` (ISO) bounds birth dates.
pub fn plan(records: &Records, known: &Known, today: &str) -> Plan {
    let mut report = Report { encoding: records.encoding.clone(), ..Report::default() };
    report.skipped.clone_from(&records.skipped);
    report.ignored.clone_from(&records.ignored);
    report.errors.clone_from(&records.errors);

    let by_external: HashMap<&str, usize> = known
        .customers
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.external_id.as_deref().map(|e| (e, i)))
        .collect();
    let by_id: HashMap<CustomerId, usize> =
        known.customers.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
    let mut by_name: HashMap<(String, String, String), Vec<usize>> = HashMap::new();
    for (i, c) in known.customers.iter().enumerate() {
        by_name.entry(name_key(&c.input)).or_default().push(i);
    }

    let mut people = Vec::with_capacity(records.people.len());
    let mut targets = Vec::with_capacity(records.people.len());
    let mut external_ids = Vec::with_capacity(records.people.len());
    let mut numbers = Vec::with_capacity(records.people.len());
    for person in &records.people {
        let (step, target) = person_step(person, known, &by_external, &by_id, &by_name, today, &mut report);
        let number = (!person.insurer_number.is_empty())
            .then(|| (person.insurer.clone(), person.insurer_number.clone()))
            .filter(|n| !known.numbers.contains_key(n));
        let external = match &target {
            Some(Target::Existing(id)) => known.customers[by_id[id]]
                .external_id
                .is_none()
                .then(|| person.broker_number.clone())
                .filter(|n| !n.is_empty() && !by_external.contains_key(n.as_str())),
            _ => Some(person.broker_number.clone()).filter(|n| !n.is_empty()),
        };
        // A number to remember, or a customer number to set, is a change of its own.
        let step = match step {
            PersonStep::Keep(id) if number.is_some() || external.is_some() => {
                let input = known.customers[by_id[&id]].input.clone();
                report.customers_unchanged -= 1;
                report.customers_updated += 1;
                sample(&mut report.updated_customers, person.line, input.display_name());
                PersonStep::Update(id, input)
            }
            step => step,
        };
        people.push(step);
        targets.push(target);
        external_ids.push(external);
        numbers.push(number);
    }

    let catalogue = Catalogue::new(known);
    let mut by_policy: HashMap<(String, &str), &KnownContract> = HashMap::new();
    for c in &known.contracts {
        by_policy.insert((lower(&c.insurer), c.policy_number.trim()), c);
    }
    let mut seen = HashSet::new();
    let mut policies = Vec::with_capacity(records.policies.len());
    for policy in &records.policies {
        let step = policy_step(policy, &targets, &catalogue, &by_policy, &mut seen, &mut report);
        policies.push((policy.person, step));
    }
    report.skipped.sort_by_key(|s| s.line);
    Plan { people, external_ids, numbers, policies, report }
}

fn sample(list: &mut Vec<Sample>, line: usize, text: String) {
    if list.len() < SAMPLES {
        list.push(Sample { line, text });
    }
}

fn person_step(
    person: &Person,
    known: &Known,
    by_external: &HashMap<&str, usize>,
    by_id: &HashMap<CustomerId, usize>,
    by_name: &HashMap<(String, String, String), Vec<usize>>,
    today: &str,
    report: &mut Report,
) -> (PersonStep, Option<Target>) {
    let skip = |report: &mut Report, skip: Skip| {
        report.skipped.push(skip);
        (PersonStep::Skip, None)
    };
    // An address that is not one (often cut off by a fixed-width field) is left out, and
    // said; the person still counts.
    let mut fields = person.fields.clone();
    if !fields.email.trim().is_empty() && crate::email::Email::parse(&fields.email).is_err() {
        fields.email.clear();
        report.skipped.push(Skip::invalid(person.line, "email"));
    }
    let input = match CustomerInput::parse(&fields, FormErrors::default(), today) {
        Ok(input) => input,
        Err(e) => return skip(report, Skip::invalid(person.line, &first_field(&e))),
    };
    // By the broker's number, the insurer's, else by name and date of birth.
    let found = if let Some(&i) =
        by_external.get(person.broker_number.as_str()).filter(|_| !person.broker_number.is_empty())
    {
        Some(i)
    } else if let Some(id) = known.numbers.get(&(person.insurer.clone(), person.insurer_number.clone())) {
        by_id.get(id).copied()
    } else {
        let same_name = by_name.get(&name_key(&input)).map_or(&[][..], Vec::as_slice);
        let born = |i: &usize| known.customers[*i].input.birth_date.clone();
        match &input.birth_date {
            Some(birth) => {
                let same: Vec<usize> =
                    same_name.iter().copied().filter(|i| born(i).as_ref() == Some(birth)).collect();
                match same.as_slice() {
                    [one] => Some(*one),
                    [] if same_name.iter().any(|i| born(i).is_none()) => {
                        return skip(report, Skip::new(person.line, SkipReason::Unsafe));
                    }
                    [] => None,
                    _ => return skip(report, Skip::new(person.line, SkipReason::Ambiguous)),
                }
            }
            None if same_name.is_empty() => None,
            None => return skip(report, Skip::new(person.line, SkipReason::Unsafe)),
        }
    };
    let Some(i) = found else {
        report.customers_new += 1;
        if input.email.is_some() {
            report.new_with_email += 1;
        }
        sample(&mut report.new_customers, person.line, input.display_name());
        return (PersonStep::Create(input), Some(Target::New));
    };
    let customer = &known.customers[i];
    // A customer's number that names someone else is not this person.
    if let Some(external) = &customer.external_id {
        if !person.broker_number.is_empty() && *external != person.broker_number {
            return skip(report, Skip::new(person.line, SkipReason::Unsafe));
        }
    }
    if customer.locked {
        return skip(report, Skip::new(person.line, SkipReason::Locked));
    }
    let after = merged(&customer.input, &input);
    if after == customer.input {
        report.customers_unchanged += 1;
        (PersonStep::Keep(customer.id), Some(Target::Existing(customer.id)))
    } else {
        report.customers_updated += 1;
        sample(&mut report.updated_customers, person.line, after.display_name());
        (PersonStep::Update(customer.id, after), Some(Target::Existing(customer.id)))
    }
}

fn policy_step<'a>(
    policy: &'a Policy,
    targets: &[Option<Target>],
    catalogue: &Catalogue<'_>,
    by_policy: &HashMap<(String, &str), &KnownContract>,
    seen: &mut HashSet<(String, &'a str)>,
    report: &mut Report,
) -> PolicyStep {
    let mut skip = |s: Skip| {
        report.skipped.push(s);
        PolicyStep::Skip
    };
    let Some(target) = &targets[policy.person] else {
        return skip(Skip::new(policy.line, SkipReason::CustomerSkipped));
    };
    let key = (lower(&policy.insurer), policy.policy_number.trim());
    if !seen.insert(key.clone()) {
        return skip(Skip::invalid(policy.line, "policy_number"));
    }
    let Some((line_id, product_id)) = catalogue.resolve(&policy.kind, &policy.product) else {
        return skip(Skip { line: policy.line, reason: SkipReason::UnknownLine, field: policy.kind.clone() });
    };
    let existing = by_policy.get(&key).copied();
    let customer_id = match (target, existing) {
        (Target::Existing(id), Some(c)) if c.customer_id != *id => {
            return skip(Skip::new(policy.line, SkipReason::OtherCustomer));
        }
        (Target::New, Some(_)) => return skip(Skip::new(policy.line, SkipReason::OtherCustomer)),
        (Target::Existing(id), _) => *id,
        (Target::New, None) => CustomerId(0),
    };
    let fields = ContractFields {
        customer_id: Some(customer_id),
        line_id: Some(line_id),
        product_id,
        insurer: &policy.insurer,
        policy_number: &policy.policy_number,
        status: policy.status.as_str(),
        premium: Premium::Cents(policy.premium_cents),
        currency: &policy.currency,
        interval: policy.interval.as_str(),
        start_date: policy.start_date.as_deref().unwrap_or(""),
        end_date: policy.end_date.as_deref().unwrap_or(""),
        insured: &policy.insured,
        description: "",
    };
    let input = match ContractInput::parse(&fields, FormErrors::default()) {
        Ok(input) => input,
        Err(e) => return skip(Skip::invalid(policy.line, &first_field(&e))),
    };
    let text = format!("{} {}", input.insurer, input.policy_number);
    let Some(old) = existing else {
        report.contracts_new += 1;
        sample(&mut report.new_contracts, policy.line, text);
        return PolicyStep::Create(input);
    };
    let insured = if input.insured.is_empty() { old.insured.clone() } else { input.insured.clone() };
    let unchanged = old.status == input.status
        && old.premium_cents == input.premium_cents
        && old.currency == input.currency
        && old.interval == input.interval
        && old.start_date == input.start_date
        && old.end_date == input.end_date
        && old.insured == insured;
    if unchanged {
        report.contracts_unchanged += 1;
        return PolicyStep::Keep;
    }
    if old.status == Status::Active && input.status == Status::Ended {
        report.contracts_ended += 1;
        sample(&mut report.ended_contracts, policy.line, text);
    } else {
        report.contracts_changed += 1;
        sample(&mut report.changed_contracts, policy.line, text);
    }
    PolicyStep::Update(old.id, ContractInput { insured, ..input })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Product;
    use crate::customers::CustomerFields;

    const TODAY: &str = "2026-12-02";

    fn known() -> Known {
        let line = |id, name: &str, products: &[(i64, &str)]| Line {
            id: LineId(id),
            name: name.to_owned(),
            description: String::new(),
            hidden: false,
            contracts: 0,
            products: products
                .iter()
                .map(|(id, n)| Product {
                    id: ProductId(*id),
                    name: (*n).to_owned(),
                    description: String::new(),
                    hidden: false,
                    contracts: 0,
                })
                .collect(),
        };
        Known {
            lines: vec![line(1, "Haftpflicht", &[(11, "Privathaftpflicht")]), line(2, "Hausrat", &[])],
            sparten: [("040".to_owned(), "Haftpflicht / Privathaftpflicht".to_owned())].into(),
            ..Known::default()
        }
    }

    fn person(line: usize, number: &str, first: &str, last: &str, birth: &str) -> Person {
        Person {
            line,
            broker_number: number.to_owned(),
            fields: CustomerFields {
                first_name: first.to_owned(),
                last_name: last.to_owned(),
                birth_date: birth.to_owned(),
                ..CustomerFields::default()
            },
            ..Person::default()
        }
    }

    fn policy(line: usize, person: usize, number: &str, kind: &str) -> Policy {
        Policy {
            line,
            person,
            insurer: "Beispiel AG".to_owned(),
            policy_number: number.to_owned(),
            kind: kind.to_owned(),
            product: String::new(),
            status: Status::Active,
            premium_cents: 500,
            currency: "EUR".to_owned(),
            interval: Interval::Monthly,
            start_date: Some("2024-01-01".to_owned()),
            end_date: None,
            insured: String::new(),
        }
    }

    fn existing(
        id: i64,
        external: Option<&str>,
        first: &str,
        last: &str,
        birth: Option<&str>,
    ) -> KnownCustomer {
        KnownCustomer {
            id: CustomerId(id),
            external_id: external.map(str::to_owned),
            input: CustomerInput {
                first_name: first.to_owned(),
                last_name: last.to_owned(),
                birth_date: birth.map(str::to_owned),
                ..CustomerInput::default()
            },
            locked: false,
        }
    }

    #[test]
    fn new_people_and_contracts_through_the_sparte_mapping_and_by_name() {
        let records = Records {
            people: vec![person(2, "K1", "Anna", "Schneider", "1985-03-14")],
            policies: vec![
                policy(3, 0, "PH-1", "040"),
                policy(4, 0, "H-1", "hausrat"),
                policy(5, 0, "X-1", "999"),
            ],
            ..Records::default()
        };
        let plan = plan(&records, &known(), TODAY);
        let r = &plan.report;
        assert_eq!((r.customers_new, r.contracts_new), (1, 2));
        assert_eq!(r.skipped, [Skip { line: 5, reason: SkipReason::UnknownLine, field: "999".to_owned() }]);
        match &plan.policies[0].1 {
            PolicyStep::Create(c) => assert_eq!((c.line_id, c.product_id), (LineId(1), Some(ProductId(11)))),
            other => panic!("{other:?}"),
        }
        assert_eq!(plan.external_ids[0].as_deref(), Some("K1"));
    }

    #[test]
    fn matching_by_name_and_birth_date_is_never_a_guess() {
        let mut k = known();
        k.customers = vec![
            existing(1, None, "Eva", "Meier", Some("1990-01-01")),
            existing(2, None, "Eva", "Meier", Some("1990-01-01")),
            existing(3, None, "Bo", "Kurz", None),
            existing(4, None, "Li", "Lang", Some("1970-05-05")),
        ];
        let records = Records {
            people: vec![
                person(1, "", "Eva", "Meier", "1990-01-01"),
                person(2, "", "Bo", "Kurz", "1980-01-01"),
                person(3, "", "LI", "lang", "1970-05-05"),
                person(4, "", "Li", "Lang", ""),
            ],
            ..Records::default()
        };
        let plan = plan(&records, &k, TODAY);
        let reasons: Vec<(usize, SkipReason)> =
            plan.report.skipped.iter().map(|s| (s.line, s.reason)).collect();
        assert_eq!(reasons, [(1, SkipReason::Ambiguous), (2, SkipReason::Unsafe), (4, SkipReason::Unsafe)]);
        assert_eq!(
            plan.people[2],
            PersonStep::Update(
                CustomerId(4),
                CustomerInput {
                    first_name: "LI".to_owned(),
                    last_name: "lang".to_owned(),
                    birth_date: Some("1970-05-05".to_owned()),
                    ..CustomerInput::default()
                }
            )
        );
    }

    #[test]
    fn the_same_file_twice_changes_nothing_and_an_ended_contract_is_counted_as_ended() {
        let mut k = known();
        k.customers = vec![existing(7, Some("K1"), "Anna", "Schneider", Some("1985-03-14"))];
        k.contracts = vec![KnownContract {
            id: ContractId(9),
            customer_id: CustomerId(7),
            insurer: "Beispiel AG".to_owned(),
            policy_number: "PH-1".to_owned(),
            status: Status::Active,
            premium_cents: 500,
            currency: "EUR".to_owned(),
            interval: Interval::Monthly,
            start_date: Some("2024-01-01".to_owned()),
            end_date: None,
            insured: String::new(),
        }];
        let mut records = Records {
            people: vec![person(1, "K1", "Anna", "Schneider", "1985-03-14")],
            policies: vec![policy(2, 0, "PH-1", "040")],
            ..Records::default()
        };
        let same = plan(&records, &k, TODAY);
        assert_eq!((same.report.customers_unchanged, same.report.contracts_unchanged), (1, 1));
        assert!(!same.report.changes_anything());
        assert_eq!(same.writes(), 0);

        records.policies[0].status = Status::Ended;
        records.policies[0].end_date = Some("2026-06-30".to_owned());
        let ended = plan(&records, &k, TODAY);
        assert_eq!((ended.report.contracts_ended, ended.report.contracts_changed), (1, 0));
        assert!(matches!(ended.policies[0].1, PolicyStep::Update(ContractId(9), _)));

        // A contract of Folio's in another customer's folder is not moved.
        records.people[0].broker_number = "K2".to_owned();
        records.people[0].fields.first_name = "Berta".to_owned();
        let other = plan(&records, &k, TODAY);
        assert_eq!(other.report.customers_new, 1);
        assert_eq!(other.report.skipped[0].reason, SkipReason::OtherCustomer);
    }

    #[test]
    fn an_email_address_is_added_but_never_replaced() {
        let mut old = existing(1, Some("K1"), "Anna", "Schneider", None);
        old.input.email = crate::email::Email::parse("alt@example.org").ok();
        let mut k = known();
        k.customers = vec![old];
        let mut p = person(1, "K1", "Anna", "Schneider", "");
        p.fields.email = "neu@example.org".to_owned();
        let plan = plan(&Records { people: vec![p], ..Records::default() }, &k, TODAY);
        assert_eq!(plan.report.customers_unchanged, 1);
    }
}
