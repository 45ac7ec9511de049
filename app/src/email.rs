//! E-mail addresses, parsed once: trimmed, lower-cased, plausibly deliverable.

use crate::error::Problem;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Self, Problem> {
        let s = input.trim().to_lowercase();
        if s.is_empty() {
            return Err(Problem::Required);
        }
        if s.len() > 254 {
            return Err(Problem::TooLong);
        }
        let Some((local, domain)) = s.rsplit_once('@') else { return Err(Problem::InvalidEmail) };
        let plausible = !local.is_empty()
            && local.len() <= 64
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !s
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"'))
            && !domain.contains('@');
        if plausible {
            Ok(Email(s))
        } else {
            Err(Problem::InvalidEmail)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_normalized() {
        assert_eq!(Email::parse("  Anna.Schmidt@Example.DE ").unwrap().as_str(), "anna.schmidt@example.de");
    }

    #[test]
    fn implausible_addresses_are_refused() {
        assert_eq!(Email::parse(""), Err(Problem::Required));
        for bad in ["anna", "anna@", "@example.de", "anna@example", "an na@example.de", "a@b.de>", "a@.de"] {
            assert_eq!(Email::parse(bad), Err(Problem::InvalidEmail), "{bad}");
        }
        assert_eq!(Email::parse(&format!("{}@example.de", "a".repeat(250))), Err(Problem::TooLong));
    }
}
