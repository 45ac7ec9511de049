//! Premiums: payment intervals, what a customer pays per month and per year, and amounts
//! as people write them ("12,50 €"). Money is integer cents throughout.

use serde::{Deserialize, Serialize};

use super::{ContractCard, Status};
use crate::i18n::Locale;

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(as = PaymentInterval))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Interval {
    Monthly,
    Quarterly,
    HalfYearly,
    Yearly,
    /// A single premium (e.g. a travel policy): not part of the running costs.
    Once,
}

impl Interval {
    pub const ALL: [Interval; 5] =
        [Interval::Monthly, Interval::Quarterly, Interval::HalfYearly, Interval::Yearly, Interval::Once];

    pub fn as_str(self) -> &'static str {
        match self {
            Interval::Monthly => "monthly",
            Interval::Quarterly => "quarterly",
            Interval::HalfYearly => "half_yearly",
            Interval::Yearly => "yearly",
            Interval::Once => "once",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Interval::ALL.into_iter().find(|i| i.as_str() == s)
    }

    /// Payments per year; none for a single premium.
    pub fn per_year(self) -> Option<i64> {
        match self {
            Interval::Monthly => Some(12),
            Interval::Quarterly => Some(4),
            Interval::HalfYearly => Some(2),
            Interval::Yearly => Some(1),
            Interval::Once => None,
        }
    }
}

/// What the active contracts in one currency cost.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub currency: String,
    pub yearly_cents: i64,
    /// The yearly total spread over twelve months, rounded to the cent.
    pub monthly_cents: i64,
}

/// Running costs of the active contracts, one entry per currency (EUR first).
pub fn totals(contracts: &[ContractCard]) -> Vec<Totals> {
    let mut out: Vec<Totals> = Vec::new();
    for c in contracts.iter().filter(|c| c.status == Status::Active) {
        let Some(per_year) = c.interval.per_year() else { continue };
        let yearly = c.premium_cents.saturating_mul(per_year);
        match out.iter_mut().find(|t| t.currency == c.currency) {
            Some(t) => t.yearly_cents = t.yearly_cents.saturating_add(yearly),
            None => out.push(Totals { currency: c.currency.clone(), yearly_cents: yearly, monthly_cents: 0 }),
        }
    }
    for t in &mut out {
        t.monthly_cents = (t.yearly_cents + 6).div_euclid(12);
    }
    out.sort_by_key(|t| (t.currency != "EUR", t.currency.clone()));
    out
}

/// "1.234,50 €" (German), "€1,234.50" (English), "€ 1.234,50" (Dutch, Belgium) or
/// "1 234,50 €" (French, Belgium: a narrow no-break space groups thousands). The space between
/// amount and symbol is a no-break space in Dutch and French, so the two never part.
pub fn fmt_money(cents: i64, currency: &str, locale: Locale) -> String {
    let negative = cents < 0;
    let abs = cents.unsigned_abs();
    let (units, rest) = (abs / 100, abs % 100);
    let decimal = if locale == Locale::En { '.' } else { ',' };
    let grouped = crate::i18n::fmt_count(units, locale);
    let sign = if negative { "-" } else { "" };
    let symbol = match currency {
        "EUR" => "€",
        "CHF" => "CHF",
        "USD" => "$",
        "GBP" => "£",
        other => other,
    };
    match locale {
        Locale::De => format!("{sign}{grouped}{decimal}{rest:02} {symbol}"),
        Locale::En if symbol.len() > 1 && symbol.is_ascii() => {
            format!("{sign}{symbol} {grouped}{decimal}{rest:02}")
        }
        Locale::En => format!("{sign}{symbol}{grouped}{decimal}{rest:02}"),
        Locale::Nl => format!("{symbol}\u{a0}{sign}{grouped}{decimal}{rest:02}"),
        Locale::Fr => format!("{sign}{grouped}{decimal}{rest:02}\u{a0}{symbol}"),
    }
}

/// Reads an amount as people type it ("12,50", "1.234,5", "12.50", "12", "€ 12,50",
/// "1 234,50 €") into cents.
/// Refuses negatives, more than two decimals and anything that is not a number.
pub fn parse_amount(input: &str) -> Option<i64> {
    let s: String = input
        .trim()
        .trim_end_matches('€')
        .trim()
        .trim_start_matches('€')
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if s.is_empty() || s.starts_with('-') {
        return None;
    }
    // The last ',' or '.' followed by one or two digits is the decimal separator; other
    // separators group thousands.
    let split = s.rfind([',', '.']).filter(|&i| (1..=2).contains(&(s.len() - i - 1)));
    let (whole, fraction) = match split {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s.as_str(), ""),
    };
    // Thousands groups must be groups: "1.234.567", not "1,2,3".
    let mut groups = whole.split([',', '.']);
    let first_ok = groups.next().is_some_and(|g| g.len() <= 3 || !whole.contains([',', '.']));
    if !first_ok || groups.any(|g| g.len() != 3) {
        return None;
    }
    let whole: String = whole.chars().filter(|c| *c != '.' && *c != ',').collect();
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    if !whole.chars().all(|c| c.is_ascii_digit()) || !fraction.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let units: i64 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let cents: i64 = match fraction.len() {
        0 => 0,
        1 => fraction.parse::<i64>().ok()? * 10,
        _ => fraction.parse().ok()?,
    };
    units.checked_mul(100)?.checked_add(cents)
}

/// Cents as the form shows them again ("12,50").
pub fn amount_input(cents: i64, locale: Locale) -> String {
    let decimal = if locale == Locale::En { '.' } else { ',' };
    format!("{}{decimal}{:02}", cents / 100, cents % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(premium_cents: i64, interval: Interval, status: Status, currency: &str) -> ContractCard {
        ContractCard {
            id: crate::ids::ContractId(1),
            line_id: crate::ids::LineId(1),
            line: "Haftpflicht".into(),
            product: None,
            insurer: "X".into(),
            policy_number: String::new(),
            status,
            premium_cents,
            currency: currency.into(),
            interval,
            end_date: None,
        }
    }

    #[test]
    fn totals_count_active_running_premiums_only() {
        let contracts = [
            card(1000, Interval::Monthly, Status::Active, "EUR"), // 120,00 a year
            card(3000, Interval::Quarterly, Status::Active, "EUR"), // 120,00
            card(5000, Interval::HalfYearly, Status::Active, "EUR"), // 100,00
            card(7777, Interval::Yearly, Status::Active, "EUR"),  // 77,77
            card(9999, Interval::Once, Status::Active, "EUR"),    // not running
            card(5000, Interval::Monthly, Status::Ended, "EUR"),  // ended
            card(1200, Interval::Yearly, Status::Active, "CHF"),
        ];
        let t = totals(&contracts);
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].currency, "EUR");
        assert_eq!(t[0].yearly_cents, 41_777);
        assert_eq!(t[0].monthly_cents, 3_481); // 417,77 / 12 = 34,814…
        assert_eq!(t[1], Totals { currency: "CHF".into(), yearly_cents: 1200, monthly_cents: 100 });
        assert!(totals(&[]).is_empty());
    }

    #[test]
    fn money_reads_as_people_write_it() {
        assert_eq!(fmt_money(123_456, "EUR", Locale::De), "1.234,56 €");
        assert_eq!(fmt_money(5, "EUR", Locale::De), "0,05 €");
        assert_eq!(fmt_money(123_456_789, "EUR", Locale::En), "€1,234,567.89");
        assert_eq!(fmt_money(1000, "CHF", Locale::En), "CHF 10.00");
        assert_eq!(fmt_money(-250, "EUR", Locale::De), "-2,50 €");
    }

    #[test]
    fn amounts_parse_in_german_and_english_notation() {
        assert_eq!(parse_amount("12,50"), Some(1250));
        assert_eq!(parse_amount("12.5"), Some(1250));
        assert_eq!(parse_amount("1.234,56 €"), Some(123_456));
        assert_eq!(parse_amount("1,234.56"), Some(123_456));
        assert_eq!(parse_amount("1.234"), Some(123_400)); // a thousands group, not decimals
        assert_eq!(parse_amount("42"), Some(4200));
        assert_eq!(parse_amount(",5"), Some(50));
        for bad in ["", "-3", "abc", "12,345,6x", "1e5", "12,5,", "1,2,3", "1234.567,5"] {
            assert_eq!(parse_amount(bad), None, "{bad}");
        }
        assert_eq!(amount_input(1250, Locale::De), "12,50");
    }

    #[test]
    fn money_reads_as_people_in_belgium_write_it() {
        assert_eq!(fmt_money(123_456, "EUR", Locale::Nl), "€\u{a0}1.234,56");
        assert_eq!(fmt_money(5, "EUR", Locale::Nl), "€\u{a0}0,05");
        assert_eq!(fmt_money(-250, "EUR", Locale::Nl), "€\u{a0}-2,50");
        assert_eq!(fmt_money(123_456, "EUR", Locale::Fr), "1\u{202f}234,56\u{a0}€");
        assert_eq!(fmt_money(123_456_789, "EUR", Locale::Fr), "1\u{202f}234\u{202f}567,89\u{a0}€");
        assert_eq!(fmt_money(99_999, "EUR", Locale::Fr), "999,99\u{a0}€");
        assert_eq!(fmt_money(-250, "EUR", Locale::Fr), "-2,50\u{a0}€");
        assert_eq!(fmt_money(1000, "CHF", Locale::Fr), "10,00\u{a0}CHF");
        assert_eq!(amount_input(1250, Locale::Nl), "12,50");
        assert_eq!(amount_input(1250, Locale::Fr), "12,50");
        assert_eq!(amount_input(1250, Locale::En), "12.50");
    }

    #[test]
    fn amounts_typed_in_belgium_parse() {
        assert_eq!(parse_amount("€ 1.234,56"), Some(123_456));
        assert_eq!(parse_amount("€12,50"), Some(1250));
        assert_eq!(parse_amount("1 234,56 €"), Some(123_456));
        assert_eq!(parse_amount("1\u{202f}234,56\u{a0}€"), Some(123_456));
        assert_eq!(parse_amount("1\u{a0}234,5"), Some(123_450));
        assert_eq!(parse_amount("€ -2,50"), None);
        // What the form shows and what the overview shows both read back.
        for locale in Locale::ALL {
            for cents in [0, 5, 1250, 99_999, 123_456, 123_456_789] {
                assert_eq!(parse_amount(&amount_input(cents, locale)), Some(cents), "{locale:?} {cents}");
                assert_eq!(parse_amount(&fmt_money(cents, "EUR", locale)), Some(cents), "{locale:?} {cents}");
            }
        }
    }
}
