//! What erasing a customer means today (Art. 17 GDPR against the broker's duty to keep
//! documents): erased at once, or locked until the retention period after the last contract
//! ended is over. Pure, so every case is tested here.

use serde::{Deserialize, Serialize};

use crate::i18n::parse_iso_date;

/// The outcome of asking to erase a folder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Plan {
    /// No retention period runs: the folder goes completely, now.
    EraseNow,
    /// Documents must be kept: the folder is locked and erased on this ISO date.
    KeepUntil(String),
    /// Contracts still run: the folder is locked and erased once the period after their end
    /// is over.
    KeepWhileRunning,
}

impl Plan {
    /// When a locked folder is erased: the date, or none while contracts run (and for
    /// [`Plan::EraseNow`], which locks nothing).
    pub fn erase_on(&self) -> Option<&str> {
        match self {
            Plan::KeepUntil(date) => Some(date),
            Plan::EraseNow | Plan::KeepWhileRunning => None,
        }
    }
}

/// A contract as the rule sees it.
#[derive(Clone, Copy, Debug)]
pub struct ContractState<'a> {
    pub running: bool,
    /// ISO date the contract ended (or ends), if known.
    pub end_date: Option<&'a str>,
}

/// The plan for a folder with these contracts, `years` of retention after the last contract
/// ended, on ISO date `today`. An ended contract without an end date counts as ended today.
pub fn plan(contracts: &[ContractState<'_>], years: i64, today: &str) -> Plan {
    if years <= 0 || contracts.is_empty() {
        return Plan::EraseNow;
    }
    if contracts.iter().any(|c| c.running) {
        return Plan::KeepWhileRunning;
    }
    let last_end = contracts
        .iter()
        .map(|c| c.end_date.filter(|d| parse_iso_date(d).is_some()).unwrap_or(today))
        .max()
        .unwrap_or(today);
    let until = add_years(last_end, years);
    if until.as_str() <= today {
        Plan::EraseNow
    } else {
        Plan::KeepUntil(until)
    }
}

/// An ISO date `years` later; 29 February becomes 28 February in a common year.
pub fn add_years(iso: &str, years: i64) -> String {
    let Some((y, m, d)) = parse_iso_date(iso) else { return iso.to_owned() };
    let y = y + years;
    let d = if m == 2 && d == 29 && parse_iso_date(&format!("{y:04}-02-29")).is_none() { 28 } else { d };
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ended(date: &str) -> ContractState<'_> {
        ContractState { running: false, end_date: Some(date) }
    }

    #[test]
    fn without_contracts_or_retention_the_folder_goes_at_once() {
        assert_eq!(plan(&[], 10, "2026-12-02"), Plan::EraseNow);
        assert_eq!(plan(&[ended("2026-01-01")], 0, "2026-12-02"), Plan::EraseNow);
    }

    #[test]
    fn a_running_contract_keeps_the_folder_until_it_has_ended() {
        let running = ContractState { running: true, end_date: None };
        assert_eq!(plan(&[ended("2001-01-01"), running], 10, "2026-12-02"), Plan::KeepWhileRunning);
    }

    #[test]
    fn the_period_runs_from_the_last_contract_that_ended() {
        let contracts = [ended("2019-06-30"), ended("2021-03-31")];
        assert_eq!(plan(&contracts, 10, "2026-12-02"), Plan::KeepUntil("2031-03-31".into()));
        assert_eq!(plan(&contracts, 10, "2031-03-30"), Plan::KeepUntil("2031-03-31".into()));
        assert_eq!(plan(&contracts, 10, "2031-03-31"), Plan::EraseNow);
        assert_eq!(plan(&[ended("2010-05-01")], 10, "2026-12-02"), Plan::EraseNow);
    }

    #[test]
    fn an_ended_contract_without_a_date_counts_as_ended_today() {
        let unknown = ContractState { running: false, end_date: None };
        assert_eq!(plan(&[unknown], 10, "2026-12-02"), Plan::KeepUntil("2036-12-02".into()));
        let garbled = ContractState { running: false, end_date: Some("31.12.2020") };
        assert_eq!(plan(&[garbled], 10, "2026-12-02"), Plan::KeepUntil("2036-12-02".into()));
    }

    #[test]
    fn years_are_added_on_the_calendar() {
        assert_eq!(add_years("2024-02-29", 10), "2034-02-28");
        assert_eq!(add_years("2024-02-29", 4), "2028-02-29");
        assert_eq!(add_years("2026-12-31", 10), "2036-12-31");
    }
}
