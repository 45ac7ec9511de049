//! Builds valid GDV files (ISO-8859-1, LF) from simple structs, and a deterministic portfolio
//! for tests and benchmarks. Nothing here reads input; a panic means a bug in the generator.
//!
//! Per customer one Adressteil (0100, Teildatensätze 1 and 2) is written, tied to the
//! customer's first contract; per contract a 0200 (Teildatensätze 1 and 2) and the Sparte's
//! part: 0220.010 and 0220.030 take `insured` as "First Last", 0210.050 as "PLATE PLATE MAKE
//! MODEL" (two words of plate), 0210.130 and 0220.140 use the customer's address as the risk
//! address. The Nachsatz gets the right count and premium sum.

use crate::{ContractStatus, Date, Interval, Salutation};

/// A customer as the writer takes it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CustomerSpec {
    /// Kundennummer beim Vermittler; also written as the insurer's number with a "K" before it.
    pub number: String,
    pub salutation: Salutation,
    pub last_name: String,
    pub first_name: String,
    pub birth_date: Option<Date>,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub email: String,
    pub phone: String,
}

/// A contract of the last customer given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContractSpec {
    pub policy_number: String,
    /// "010", "020", "030", "040", "050", "070", "130", "140" or any other three digits.
    pub sparte: String,
    pub status: ContractStatus,
    pub begin: Option<Date>,
    pub end: Option<Date>,
    pub interval: Interval,
    /// Gesamtbeitrag (Brutto) per payment; the netto amount is written as brutto / 1.19.
    pub premium_cents: i64,
    pub product: String,
    pub insured: Option<String>,
    pub sum_insured_cents: Option<i64>,
}

impl Default for ContractSpec {
    fn default() -> Self {
        Self {
            policy_number: String::new(),
            sparte: "040".to_owned(),
            status: ContractStatus::Running,
            begin: None,
            end: None,
            interval: Interval::Yearly,
            premium_cents: 0,
            product: String::new(),
            insured: None,
            sum_insured_cents: None,
        }
    }
}

/// One package (Vorsatz to Nachsatz) being written.
#[derive(Clone, Debug)]
pub struct File {
    vu_number: String,
    body: Vec<u8>,
    records: u64,
    netto_sum: i64,
    customer: Option<CustomerSpec>,
    customer_written: bool,
}

impl File {
    pub fn new(vu_number: &str) -> Self {
        Self {
            vu_number: vu_number.to_owned(),
            body: Vec::new(),
            records: 0,
            netto_sum: 0,
            customer: None,
            customer_written: false,
        }
    }

    pub fn customer(&mut self, spec: CustomerSpec) -> &mut Self {
        self.customer = Some(spec);
        self.customer_written = false;
        self
    }

    pub fn contract(&mut self, spec: ContractSpec) -> &mut Self {
        let customer = self.customer.clone().unwrap_or_default();
        if !self.customer_written {
            self.address(&customer, &spec);
            self.customer_written = true;
        }
        let mut one = self.record("0200", &spec);
        one.date(44, spec.begin);
        one.date(52, spec.end);
        one.date(60, spec.begin.map(|d| Date { year: d.year + 1, ..d }));
        one.text(68, 1, interval_code(spec.interval));
        one.text(69, 1, status_code(spec.status));
        one.text(113, 3, "EUR");
        let netto = spec.premium_cents * 100 / 119;
        one.number(116, 12, netto.unsigned_abs());
        one.text(159, 17, &format!("K{}", customer.number));
        one.text(176, 17, &customer.number);
        one.text(256, 1, "1");
        self.push(&one);
        self.netto_sum += netto;
        let mut two = self.record("0200", &spec);
        two.number(72, 12, spec.premium_cents.unsigned_abs());
        two.text(114, 20, &spec.product);
        two.text(256, 1, "2");
        self.push(&two);
        self.sparte_part(&customer, &spec);
        self
    }

    /// The whole file: Vorsatz, the records, Nachsatz.
    pub fn finish(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.body.len() + 3 * 257);
        let mut vorsatz = Line::new("0001");
        vorsatz.text(5, 5, &self.vu_number);
        vorsatz.text(10, 30, "Corpus Versicherung AG");
        vorsatz.text(40, 30, "Maklerbüro Beispiel");
        vorsatz.date(70, Some(Date { year: 2024, month: 1, day: 1 }));
        vorsatz.date(78, Some(Date { year: 2024, month: 12, day: 31 }));
        vorsatz.text(86, 10, "4711");
        for column in [96, 99, 102] {
            vorsatz.text(column, 3, "2.4");
        }
        vorsatz.text(256, 1, "1");
        vorsatz.write(&mut out);
        out.extend_from_slice(&self.body);
        let mut nachsatz = Line::new("9999");
        nachsatz.number(5, 10, self.records);
        nachsatz.text(15, 10, "4711");
        nachsatz.number(25, 15, self.netto_sum.unsigned_abs());
        nachsatz.write(&mut out);
        out
    }

    fn record(&self, satzart: &str, spec: &ContractSpec) -> Line {
        let mut line = Line::new(satzart);
        line.text(5, 5, &self.vu_number);
        line.text(11, 3, &spec.sparte);
        line.right(14, 17, &spec.policy_number);
        line.text(33, 10, "4711");
        line
    }

    fn push(&mut self, line: &Line) {
        line.write(&mut self.body);
        self.records += 1;
    }

    fn address(&mut self, customer: &CustomerSpec, spec: &ContractSpec) {
        let mut one = self.record("0100", spec);
        one.text(43, 1, salutation_code(customer.salutation));
        one.text(44, 30, &customer.last_name);
        one.text(104, 30, &customer.first_name);
        one.text(154, 3, "D");
        one.text(157, 6, &customer.postal_code);
        one.text(163, 25, &customer.city);
        one.text(188, 30, &customer.street);
        one.date(226, customer.birth_date);
        one.text(237, 2, "01");
        one.text(256, 1, "1");
        self.push(&one);
        let mut two = self.record("0100", spec);
        two.right(43, 17, &format!("K{}", customer.number));
        two.right(60, 17, &customer.number);
        if !customer.phone.is_empty() {
            two.text(157, 2, "10");
            two.text(159, 20, &customer.phone);
        }
        if !customer.email.is_empty() {
            two.text(179, 2, "40");
            two.text(181, 20, &customer.email);
        }
        two.text(256, 1, "2");
        self.push(&two);
    }

    fn sparte_part(&mut self, customer: &CustomerSpec, spec: &ContractSpec) {
        let insured = spec.insured.clone().unwrap_or_default();
        let sum = spec.sum_insured_cents.unwrap_or(0).unsigned_abs();
        match spec.sparte.as_str() {
            "010" => {
                let (first, last) = split_name(&insured);
                let mut line = self.record("0220", spec);
                line.text(60, 1, "0");
                line.text(62, 30, last);
                line.text(92, 30, first);
                line.text(256, 1, "1");
                self.push(&line);
            }
            "030" => {
                let (first, last) = split_name(&insured);
                let mut one = self.record("0220", spec);
                one.number(43, 6, 1);
                one.text(49, 1, "1");
                one.text(86, 30, last);
                one.text(116, 30, first);
                self.push(&one);
                let mut two = self.record("0220", spec);
                two.number(43, 6, 1);
                two.text(49, 1, "2");
                two.number(66, 9, sum / 100);
                self.push(&two);
            }
            "040" => {
                let mut line = self.record("0210", spec);
                line.text(43, 1, status_code(spec.status));
                line.text(68, 1, "3");
                line.text(69, 3, "EUR");
                line.number(72, 9, sum / 100_000);
                self.push(&line);
            }
            "050" => {
                let words: Vec<&str> = insured.split_whitespace().collect();
                let plate = words.iter().take(2).copied().collect::<Vec<_>>().join(" ");
                let make = words.get(2).copied().unwrap_or("");
                let model = words.get(3..).map(|w| w.join(" ")).unwrap_or_default();
                let mut line = self.record("0210", spec);
                line.text(50, 15, make);
                line.text(65, 25, &model);
                line.text(114, 12, &plate);
                line.text(256, 1, "1");
                self.push(&line);
            }
            "070" => {
                let mut line = self.record("0210", spec);
                line.text(127, 20, &spec.product);
                self.push(&line);
            }
            "130" => {
                let mut line = self.record("0210", spec);
                line.text(43, 1, status_code(spec.status));
                line.text(78, 3, "D");
                line.text(81, 6, &customer.postal_code);
                line.text(87, 25, &customer.city);
                line.text(112, 30, &customer.street);
                line.text(142, 3, "EUR");
                line.number(169, 12, sum / 100);
                line.text(251, 1, "1");
                line.number(252, 5, 1);
                self.push(&line);
            }
            "140" => {
                let mut one = self.record("0220", spec);
                one.text(43, 4, "0001");
                one.text(51, 1, "1");
                one.text(76, 3, "D");
                one.text(79, 6, &customer.postal_code);
                one.text(85, 25, &customer.city);
                one.text(110, 30, &customer.street);
                self.push(&one);
                let mut two = self.record("0220", spec);
                two.text(43, 4, "0001");
                two.text(51, 1, "2");
                two.number(116, 12, sum / 100);
                self.push(&two);
            }
            _ => {}
        }
    }
}

/// "Anna Maria Schneider" → ("Anna Maria", "Schneider").
fn split_name(name: &str) -> (&str, &str) {
    let name = name.trim();
    match name.rsplit_once(' ') {
        Some((first, last)) => (first, last),
        None => ("", name),
    }
}

fn interval_code(interval: Interval) -> &'static str {
    match interval {
        Interval::Yearly => "1",
        Interval::HalfYearly => "2",
        Interval::Quarterly => "4",
        Interval::Monthly => "8",
        Interval::Once => "6",
    }
}

fn status_code(status: ContractStatus) -> &'static str {
    match status {
        ContractStatus::Running => "1",
        ContractStatus::Ended => "2",
        ContractStatus::Suspended => "3",
    }
}

fn salutation_code(salutation: Salutation) -> &'static str {
    match salutation {
        Salutation::None => "0",
        Salutation::Mr => "1",
        Salutation::Mrs => "2",
        Salutation::Company => "3",
        Salutation::Other => "9",
    }
}

/// One record of 256 ISO-8859-1 bytes.
pub(crate) struct Line([u8; 256]);

impl Line {
    pub(crate) fn new(satzart: &str) -> Self {
        let mut line = Self([b' '; 256]);
        line.text(1, 4, satzart);
        line
    }

    /// Left-aligned text, cut to `len`; characters outside Latin-1 become '?'.
    pub(crate) fn text(&mut self, column: usize, len: usize, value: &str) {
        for (i, c) in value.chars().take(len).enumerate() {
            self.0[column - 1 + i] = u8::try_from(u32::from(c)).unwrap_or(b'?');
        }
    }

    /// Right-aligned text (policy and customer numbers).
    pub(crate) fn right(&mut self, column: usize, len: usize, value: &str) {
        let count = value.chars().count().min(len);
        self.text(column + len - count, count, value);
    }

    /// Zero-padded digits.
    pub(crate) fn number(&mut self, column: usize, len: usize, value: u64) {
        let digits = format!("{value:0len$}");
        self.text(column, len, &digits[digits.len() - len..]);
    }

    pub(crate) fn date(&mut self, column: usize, date: Option<Date>) {
        if let Some(d) = date {
            self.text(column, 8, &format!("{:02}{:02}{:04}", d.day, d.month, d.year));
        }
    }

    pub(crate) fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.0);
        out.push(b'\n');
    }
}

const LAST_NAMES: &[&str] =
    &["Müller", "Schneider", "Fischer", "Weiß", "Schäfer", "Köhler", "Groß", "Wagner"];
const FIRST_NAMES: &[&str] = &["Anna", "Jürgen", "Sören", "Maria", "Lukas", "Zoë", "Björn", "Greta"];
const CITIES: &[(&str, &str)] =
    &[("10115", "Berlin"), ("80331", "München"), ("50667", "Köln"), ("20095", "Hamburg")];
const SPARTEN: &[&str] = &["010", "020", "030", "040", "050", "070", "130", "140"];

/// A deterministic package of `customers`, each with `contracts_per_customer` contracts
/// cycling through the Sparten above.
pub fn portfolio(customers: usize, contracts_per_customer: usize, seed: u64) -> Vec<u8> {
    let mut state = seed ^ 0x9e37_79b9_7f4a_7c15;
    let mut next = move |n: usize| {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(state >> 33).unwrap_or(0) % n.max(1)
    };
    let mut file = File::new("12345");
    for c in 0..customers {
        let last = LAST_NAMES[next(LAST_NAMES.len())];
        let first = FIRST_NAMES[next(FIRST_NAMES.len())];
        let (postal_code, city) = CITIES[next(CITIES.len())];
        let day = u8::try_from(1 + next(28)).unwrap_or(1);
        let month = u8::try_from(1 + next(12)).unwrap_or(1);
        let year = u16::try_from(1940 + next(60)).unwrap_or(1980);
        file.customer(CustomerSpec {
            number: format!("{:08}", c + 1),
            salutation: if next(2) == 0 { Salutation::Mrs } else { Salutation::Mr },
            last_name: last.to_owned(),
            first_name: first.to_owned(),
            birth_date: Some(Date { year, month, day }),
            street: format!("Hauptstraße {}", 1 + next(200)),
            postal_code: postal_code.to_owned(),
            city: city.to_owned(),
            email: format!("kunde{}@example.org", c + 1),
            phone: format!("030 {:07}", next(10_000_000)),
        });
        for k in 0..contracts_per_customer {
            let sparte = SPARTEN[(c + k) % SPARTEN.len()];
            let insured = match sparte {
                "010" | "030" => Some(format!("{first} {last}")),
                "050" => Some(format!("B-AB {} VW Golf", 1 + next(9_999))),
                _ => None,
            };
            let sum = match sparte {
                "030" => Some(i64::try_from(100_000 + next(400_000)).unwrap_or(0) * 100),
                "040" => Some(10_000_000 * 100),
                "130" | "140" => Some(i64::try_from(50_000 + next(500_000)).unwrap_or(0) * 100),
                _ => None,
            };
            file.contract(ContractSpec {
                policy_number: format!("{}-{:06}-{k}", sparte, c + 1),
                sparte: sparte.to_owned(),
                status: if next(10) == 0 { ContractStatus::Ended } else { ContractStatus::Running },
                begin: Some(Date { year: u16::try_from(2000 + next(24)).unwrap_or(2010), month: 1, day: 1 }),
                end: None,
                interval: [Interval::Yearly, Interval::Monthly, Interval::Quarterly][next(3)],
                premium_cents: i64::try_from(1_000 + next(200_000)).unwrap_or(0),
                product: format!("Tarif {sparte}"),
                insured,
                sum_insured_cents: sum,
            });
        }
    }
    file.finish()
}
