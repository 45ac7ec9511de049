//! Files from the corpus writer and hand-written records, read back; every oddity insurers
//! deliver, and every kind of broken input with its line, column and field.

use crate::corpus::{ContractSpec, CustomerSpec, File};
use crate::{read, ContractStatus, Date, Encoding, GdvFile, Interval, Options, Problem, Salutation};

fn latin1(s: &str) -> Vec<u8> {
    s.chars().map(|c| u8::try_from(u32::from(c)).expect("latin-1 text")).collect()
}

/// Hand-written fixed-width pieces joined into one record; checks the length.
fn record(parts: &[&str]) -> String {
    let line: String = parts.concat();
    assert_eq!(line.chars().count(), 256, "record {line:?}");
    line
}

fn vorsatz() -> String {
    let pad = " ".repeat(256 - 95 - 1);
    record(&[
        "0001",
        "12345",
        &format!("{:<30}", "Muster Versicherung AG"),
        &" ".repeat(30),
        "0101202431122024",
        "4711      ",
        &pad,
        "1",
    ])
}

/// 0100 Teildatensatz 1, field by field as the 2018 description places them.
fn address_literal() -> String {
    record(&[
        "0100",
        "12345",
        " ",
        "040",
        "       HV-0000001",
        "  ",
        "4711      ",                 // 1-42
        "2",                          // 43 Anredeschlüssel
        &format!("{:<30}", "Müller"), // 44-73 Name 1
        &" ".repeat(30),              // 74-103 Name 2
        &format!("{:<30}", "Anna"),   // 104-133 Name 3
        &format!("{:<20}", "Dr."),    // 134-153 Titel
        "D  ",
        "10115 ",                            // 154-156, 157-162
        &format!("{:<25}", "Berlin"),        // 163-187 Ort
        &format!("{:<30}", "Hauptstraße 5"), // 188-217 Straße
        &" ".repeat(8),                      // 218-225 Postfach
        "15031980",                          // 226-233 Geburtsdatum
        "D  ",
        "01", // 234-236, 237-238 Adresskennzeichen
        &" ".repeat(17),
        "1", // 239-255, 256 Satznummer
    ])
}

/// 0200 Teildatensatz 1 with the given Zahlungsweise (68) and Beginn (44-51).
fn contract_literal(zahlungsweise: &str, beginn: &str) -> String {
    record(&[
        "0200",
        "12345",
        " ",
        "040",
        "       HV-0000001",
        "  ",
        "4711      ", // 1-42
        "1",
        beginn,
        "01012030",
        "01012025", // 43 Inkassoart, 44-51, 52-59, 60-67
        zahlungsweise,
        "1",
        "  ",
        "00000000", // 68, 69 Vertragsstatus, 70-71, 72-79
        &" ".repeat(33),
        "EUR",
        "000000010000", // 80-112, 113-115, 116-127 Gesamtbeitrag
        &" ".repeat(31),
        &format!("{:>17}", "K1"),
        &format!("{:>17}", "1"), // 128-158, 159-192
        &" ".repeat(63),
        "1",
    ])
}

fn nachsatz(count: u64, sum_cents: u64) -> String {
    record(&[
        "9999",
        &format!("{count:010}"),
        "4711      ",
        &format!("{sum_cents:015}"),
        &" ".repeat(256 - 39),
    ])
}

fn file_of(lines: &[String]) -> Vec<u8> {
    latin1(&(lines.join("\n") + "\n"))
}

fn ok(bytes: &[u8]) -> GdvFile {
    read(bytes, &Options::default()).unwrap_or_else(|e| panic!("errors: {e:#?}"))
}

fn errors(bytes: &[u8]) -> Vec<crate::Error> {
    read(bytes, &Options::default()).expect_err("the file must be refused")
}

fn customer() -> CustomerSpec {
    CustomerSpec {
        number: "1001".to_owned(),
        salutation: Salutation::Mrs,
        last_name: "Schneider".to_owned(),
        first_name: "Anna".to_owned(),
        birth_date: Some(Date { year: 1985, month: 4, day: 12 }),
        street: "Lindenweg 3".to_owned(),
        postal_code: "50667".to_owned(),
        city: "Köln".to_owned(),
        email: "anna@example.org".to_owned(),
        phone: "0221 123456".to_owned(),
    }
}

fn contract(sparte: &str, insured: Option<&str>, sum: Option<i64>) -> ContractSpec {
    ContractSpec {
        policy_number: format!("P-{sparte}"),
        sparte: sparte.to_owned(),
        begin: Some(Date { year: 2020, month: 7, day: 1 }),
        interval: Interval::Monthly,
        premium_cents: 2_380,
        product: "Komfort".to_owned(),
        insured: insured.map(str::to_owned),
        sum_insured_cents: sum,
        ..ContractSpec::default()
    }
}

#[test]
fn hand_written_records_are_read_at_the_description_positions() {
    let file =
        ok(&file_of(&[vorsatz(), address_literal(), contract_literal("8", "01012020"), nachsatz(2, 10_000)]));
    let package = &file.packages[0];
    assert_eq!((package.vu_number.as_str(), package.sender.as_str()), ("12345", "Muster Versicherung AG"));
    assert_eq!(package.broker_number, "4711");
    assert_eq!(package.period_to.map(|d| d.iso()).as_deref(), Some("2024-12-31"));
    let address = &package.addresses[0];
    assert_eq!(
        (address.name1.as_str(), address.name3.as_str(), address.title.as_str()),
        ("Müller", "Anna", "Dr.")
    );
    assert_eq!((address.postal_code.as_str(), address.city.as_str()), ("10115", "Berlin"));
    assert_eq!(address.street, "Hauptstraße 5");
    assert_eq!(address.birth_date.map(|d| d.iso()).as_deref(), Some("1980-03-15"));
    assert_eq!((address.kind.as_str(), address.salutation), ("01", Salutation::Mrs));
    assert_eq!(address.policy_number, "HV-0000001");
    let c = &package.contracts[0];
    assert_eq!(
        (c.sparte.as_str(), c.policy_number.as_str(), c.currency.as_str()),
        ("040", "HV-0000001", "EUR")
    );
    assert_eq!(
        (c.interval, c.status, c.premium_cents),
        (Some(Interval::Monthly), ContractStatus::Running, 10_000)
    );
    assert_eq!(c.main_due, Some((1, 1)));
    assert_eq!((c.customer_number_insurer.as_str(), c.customer_number_broker.as_str()), ("K1", "1"));
    assert_eq!((package.record_count, package.premium_sum_cents), (2, 10_000));
}

#[test]
fn every_sparte_of_the_writer_reads_back() {
    let mut file = File::new("99999");
    file.customer(customer());
    for (sparte, insured, sum) in [
        ("010", Some("Anna Schneider"), None),
        ("020", None, None),
        ("030", Some("Anna Schneider"), Some(20_000_000)),
        ("040", None, Some(1_000_000_000)),
        ("050", Some("B-AB 123 VW Golf"), None),
        ("070", None, None),
        ("130", None, Some(6_500_000)),
        ("140", None, Some(40_000_000)),
    ] {
        file.contract(contract(sparte, insured, sum));
    }
    let read = ok(&file.finish());
    let package = &read.packages[0];
    let address = &package.addresses[0];
    assert_eq!((address.email.as_str(), address.phone.as_str()), ("anna@example.org", "0221 123456"));
    assert_eq!(
        (address.customer_number_insurer.as_str(), address.customer_number_broker.as_str()),
        ("K1001", "1001")
    );
    let by = |sparte: &str| package.contracts.iter().find(|c| c.sparte == sparte).expect("contract");
    assert_eq!(by("010").insured.as_deref(), Some("Anna Schneider"));
    assert_eq!(by("030").insured.as_deref(), Some("Anna Schneider"));
    assert_eq!(by("030").sum_insured_cents, Some(20_000_000));
    assert_eq!(by("040").sum_insured_cents, Some(1_000_000_000));
    assert_eq!(by("050").insured.as_deref(), Some("B-AB 123 VW Golf"));
    assert_eq!(by("130").insured.as_deref(), Some("Lindenweg 3, 50667 Köln"));
    assert_eq!(by("130").sum_insured_cents, Some(6_500_000));
    assert_eq!(by("140").insured.as_deref(), Some("Lindenweg 3, 50667 Köln"));
    assert_eq!(by("140").sum_insured_cents, Some(40_000_000));
    assert_eq!((by("020").insured.clone(), by("070").product.as_str()), (None, "Komfort"));
    assert!(package.contracts.iter().all(|c| c.premium_cents == 2_380));
    assert_eq!(package.premium_sum_cents, 8 * (2_380 * 100 / 119));
}

#[test]
fn encodings_are_selectable() {
    assert_eq!("ISO-8859-15".parse::<Encoding>(), Ok(Encoding::Latin9));
    assert_eq!("latin1".parse::<Encoding>(), Ok(Encoding::Latin1));
    assert_eq!("cp850".parse::<Encoding>(), Ok(Encoding::Cp850));
    assert!("utf-8".parse::<Encoding>().is_err());
    // Name 2 (74) gets a byte that differs between the three.
    let mut bytes = file_of(&[vorsatz(), address_literal(), nachsatz(1, 0)]);
    let name2 = 257 + 73;
    bytes[name2] = 0xA4;
    let name = |bytes: &[u8], encoding| {
        read(bytes, &Options { encoding }).expect("readable").packages[0].addresses[0].name2.clone()
    };
    assert_eq!(name(&bytes, Encoding::Latin1), "¤");
    assert_eq!(name(&bytes, Encoding::Latin9), "€");
    assert_eq!(name(&bytes, Encoding::Cp850), "ñ");
    // CP850 0x81 is ü; in Latin-1 it is a control character.
    bytes[name2] = 0x81;
    assert_eq!(name(&bytes, Encoding::Cp850), "ü");
    let e = read(&bytes, &Options::default()).expect_err("C1 control in latin-1");
    assert_eq!(
        (e[0].line, e[0].column, e[0].field.as_str(), e[0].problem),
        (2, 74, "Name 2", Problem::NotText)
    );
}

#[test]
fn cp850_table_has_the_german_letters() {
    let decoded = crate::fields::decode(&[0x84, 0x94, 0x81, 0x8E, 0x99, 0x9A, 0xE1, 0x41], Encoding::Cp850);
    assert_eq!(decoded, "äöüÄÖÜßA");
}

#[test]
fn crlf_short_and_overlong_lines() {
    let mut text = [vorsatz(), address_literal(), nachsatz(1, 0)].join("\r\n");
    text.push_str("\r\n\r\n\n");
    let file = ok(&latin1(&text));
    assert_eq!(file.packages[0].addresses[0].name1, "Müller");
    assert!(file.notes.is_empty());

    let short = address_literal().trim_end_matches(['1', ' ']).to_owned();
    let long = address_literal() + "    ";
    let file = ok(&file_of(&[vorsatz(), short, long, nachsatz(2, 0)]));
    assert_eq!(file.notes.len(), 2);
    assert_eq!((file.notes[0].line, file.notes[1].line), (2, 3));
    assert!(file.notes[0].text.contains("padded"), "{}", file.notes[0].text);
    assert!(file.notes[1].text.contains("trimmed"), "{}", file.notes[1].text);

    let e = errors(&file_of(&[vorsatz(), address_literal() + "xx", nachsatz(1, 0)]));
    assert_eq!((e[0].line, e[0].column, e[0].problem), (2, 257, Problem::LineLength));
}

#[test]
fn several_packages_and_skipped_records() {
    let other = record(&["0300", &" ".repeat(252)]);
    let fund = record(&["0220", "12345", " ", "580", &" ".repeat(243)]);
    let kfz = record(&["0220", "12345", " ", "051", &" ".repeat(243)]);
    let file = ok(&file_of(&[
        vorsatz(),
        address_literal(),
        other.clone(),
        nachsatz(2, 0),
        vorsatz(),
        contract_literal("1", "01012020"),
        fund,
        kfz,
        other,
        nachsatz(4, 10_000),
    ]));
    assert_eq!(file.packages.len(), 2);
    assert_eq!((file.packages[0].line, file.packages[1].line), (1, 5));
    assert_eq!(file.packages[1].contracts[0].interval, Some(Interval::Yearly));
    assert_eq!(file.skipped.get("0300"), Some(&2));
    assert_eq!(file.skipped.get("0220.580"), Some(&1));
    assert_eq!(file.skipped.get("0220.051"), Some(&1));
}

#[test]
fn counts_with_vorsatz_and_nachsatz_are_accepted_too() {
    ok(&file_of(&[vorsatz(), address_literal(), nachsatz(3, 0)]));
}

#[test]
fn teildatensaetze_attach_to_their_record() {
    let mut file = File::new("12345");
    file.customer(customer()).contract(contract("040", None, None));
    let bytes = file.finish();
    let read = ok(&bytes);
    assert_eq!(read.packages[0].record_count, 5);
    assert_eq!(read.packages[0].addresses.len(), 1);
    assert_eq!(read.packages[0].contracts.len(), 1);
    assert_eq!(read.packages[0].contracts[0].product, "Komfort");
}

#[test]
fn record_order_problems() {
    let e = errors(&file_of(&[address_literal(), vorsatz(), address_literal(), nachsatz(1, 0)]));
    assert_eq!((e[0].line, e[0].problem), (1, Problem::MissingVorsatz));
    let e = errors(&file_of(&[vorsatz(), address_literal(), vorsatz(), nachsatz(0, 0)]));
    assert_eq!((e[0].line, e[0].problem, e[0].found.as_str()), (3, Problem::MissingNachsatz, "0001"));
    let e = errors(&file_of(&[vorsatz(), address_literal()]));
    assert_eq!((e[0].line, e[0].problem), (3, Problem::MissingNachsatz));
    let e = errors(&file_of(&[vorsatz(), record(&["01X0", &" ".repeat(252)]), nachsatz(1, 0)]));
    assert_eq!((e[0].line, e[0].column, e[0].problem), (2, 1, Problem::UnknownRecord));
}

#[test]
fn bad_fields_name_line_column_and_field() {
    let bad_date = address_literal().replace("15031980", "31022024");
    let bad_month = contract_literal("1", "00132020");
    let bad_interval = contract_literal("3", "01012020");
    let letters = contract_literal("1", "01012020").replace("000000010000", "0000000100AB");
    let e = errors(&file_of(&[vorsatz(), bad_date, bad_month, bad_interval, letters, nachsatz(4, 30_000)]));
    let found: Vec<_> = e.iter().map(|e| (e.line, e.column, e.field.as_str(), e.problem)).collect();
    assert!(found.contains(&(2, 226, "Geburtsdatum", Problem::BadDate)), "{found:?}");
    assert!(found.contains(&(3, 44, "Vertragsbeginn", Problem::BadDate)), "{found:?}");
    assert!(found.contains(&(4, 68, "Zahlungsweise", Problem::BadChoice)), "{found:?}");
    assert!(
        found.contains(&(5, 116, "Gesamtbeitrag (Netto) in Währungseinheiten", Problem::NotANumber)),
        "{found:?}"
    );
    let date = e.iter().find(|e| e.column == 226).expect("date error");
    assert_eq!(date.to_string(), "line 2, column 226 (Geburtsdatum): not a date: \"31022024\"");
}

#[test]
fn nachsatz_is_checked() {
    let e = errors(&file_of(&[vorsatz(), contract_literal("1", "01012020"), nachsatz(7, 10_000)]));
    assert_eq!(
        (e[0].line, e[0].column, e[0].field.as_str(), e[0].problem),
        (3, 5, "Anzahl der Sätze", Problem::CountMismatch)
    );
    let e = errors(&file_of(&[vorsatz(), contract_literal("1", "01012020"), nachsatz(1, 9_999)]));
    assert_eq!(
        (e[0].line, e[0].column, e[0].field.as_str(), e[0].problem),
        (3, 25, "Gesamtbeitrag", Problem::SumMismatch)
    );
}

#[test]
fn errors_are_collected_up_to_a_hundred() {
    let mut lines = vec![vorsatz()];
    lines.extend((0..150).map(|_| contract_literal("3", "01012020")));
    lines.push(nachsatz(150, 1_500_000));
    assert_eq!(errors(&file_of(&lines)).len(), crate::MAX_ERRORS);
}

#[test]
fn the_portfolio_is_deterministic_and_valid() {
    let a = crate::corpus::portfolio(20, 4, 7);
    assert_eq!(a, crate::corpus::portfolio(20, 4, 7));
    let file = ok(&a);
    assert_eq!(file.packages[0].contracts.len(), 80);
    assert_eq!(file.packages[0].addresses.len(), 20);
    assert!(file.packages[0].addresses.iter().any(|a| a.name1 == "Müller" || a.name1 == "Weiß"));
}

#[test]
fn garbage_never_panics() {
    let mut state = 1_u64;
    let base = crate::corpus::portfolio(3, 3, 1);
    for _ in 0..2_000 {
        let mut bytes = base.clone();
        for _ in 0..8 {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let at = usize::try_from(state >> 33).unwrap_or(0) % bytes.len();
            bytes[at] = u8::try_from(state >> 56).unwrap_or(0);
        }
        for encoding in [Encoding::Latin1, Encoding::Latin9, Encoding::Cp850] {
            let _ = read(&bytes, &Options { encoding });
        }
    }
    let _ = read(&[], &Options::default());
    let _ = read(b"0001", &Options::default());
}
