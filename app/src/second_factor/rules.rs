//! The second factor's pure rules: which typed code counts (RFC 6238, the current 30-second
//! step or one beside it, never one already used), the shape of recovery codes, and the
//! authenticator app's set-up link. No database, no web: unit-tested here.

use rand::Rng;
use subtle::ConstantTimeEq;
use totp_rs::{Algorithm, TOTP};

/// Seconds per code (what every authenticator app uses).
pub const STEP_SECS: i64 = 30;
/// 160 random bits, as RFC 4226 recommends for SHA-1.
pub const SECRET_BYTES: usize = 20;
/// Recovery codes made at once.
pub const RECOVERY_CODES: usize = 10;
/// Letters and digits that cannot be mistaken for one another when copied by hand.
const RECOVERY_ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";

/// The authenticator for a secret: SHA-1, six digits, 30 seconds, the only parameters
/// every app honours. The label is what the app shows (`Broker: e-mail`); a colon in it
/// would break the link, so it becomes a space.
fn authenticator(secret: &[u8], issuer: &str, account: &str) -> Option<TOTP> {
    let clean = |s: &str| s.replace(':', " ").trim().to_owned();
    TOTP::new(Algorithm::SHA1, 6, 1, 30, secret.to_vec(), Some(clean(issuer)), clean(account)).ok()
}

/// A new shared secret.
pub fn new_secret() -> Vec<u8> {
    let mut secret = vec![0u8; SECRET_BYTES];
    rand::rngs::OsRng.fill(&mut secret[..]);
    secret
}

/// The `otpauth://` link the QR code carries, and the key in base32 for typing, in groups of four.
pub fn set_up_link(secret: &[u8], issuer: &str, account: &str) -> Option<(String, String)> {
    let totp = authenticator(secret, issuer, account)?;
    let key = totp.get_secret_base32();
    let grouped =
        key.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>();
    Some((totp.get_url(), grouped.join(" ")))
}

/// The code an app shows for a secret at a time (tests, and nothing else, need this).
pub fn code_at(secret: &[u8], unix_secs: i64) -> String {
    authenticator(secret, "x", "x")
        .map(|t| t.generate(u64::try_from(unix_secs).unwrap_or(0)))
        .unwrap_or_default()
}

/// Six digits, whatever spaces the person typed between them.
fn six_digits(typed: &str) -> Option<String> {
    let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    (digits.len() == 6 && digits.chars().all(|c| c.is_ascii_digit())).then_some(digits)
}

/// Whether the person typed an app's code (six digits) rather than a recovery code.
pub fn looks_like_app_code(typed: &str) -> bool {
    six_digits(typed).is_some()
}

/// The step a typed code proves: the current one or one beside it (a clock a little off, a
/// code typed as it changed), and newer than `last_step`, so a code seen over a shoulder or
/// replayed never counts twice.
pub fn accepted_step(secret: &[u8], typed: &str, now: i64, last_step: i64) -> Option<i64> {
    let code = six_digits(typed)?;
    let current = now.div_euclid(STEP_SECS);
    [current - 1, current, current + 1]
        .into_iter()
        .filter(|step| *step > last_step && *step >= 0)
        .find(|step| bool::from(code_at(secret, step * STEP_SECS).as_bytes().ct_eq(code.as_bytes())))
}

/// Ten codes of ten characters (50 bits each), shown as `abcde-fghij`.
pub fn new_recovery_codes() -> Vec<String> {
    let mut rng = rand::rngs::OsRng;
    (0..RECOVERY_CODES)
        .map(|_| {
            let raw: String = (0..10)
                .map(|_| char::from(RECOVERY_ALPHABET[rng.gen_range(0..RECOVERY_ALPHABET.len())]))
                .collect();
            format!("{}-{}", &raw[..5], &raw[5..])
        })
        .collect()
}

/// A recovery code as typed (any case, with or without the dash or spaces) in the form its
/// digest is taken of; `None` for something that cannot be one.
pub fn normalized_recovery_code(typed: &str) -> Option<String> {
    let code: String =
        typed.chars().filter(|c| !c.is_whitespace() && *c != '-').flat_map(char::to_lowercase).collect();
    (code.len() == 10 && code.bytes().all(|b| RECOVERY_ALPHABET.contains(&b))).then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238, appendix B: the SHA-1 secret "12345678901234567890"; the last six digits.
    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn codes_follow_rfc_6238() {
        assert_eq!(code_at(RFC_SECRET, 59), "287082");
        assert_eq!(code_at(RFC_SECRET, 1_111_111_109), "081804");
        assert_eq!(code_at(RFC_SECRET, 1_234_567_890), "005924");
        assert_eq!(code_at(RFC_SECRET, 2_000_000_000), "279037");
    }

    #[test]
    fn the_current_step_and_its_neighbours_count_once() {
        let now = 1_234_567_890;
        let step = now / STEP_SECS;
        let code = code_at(RFC_SECRET, now);
        assert_eq!(accepted_step(RFC_SECRET, &code, now, 0), Some(step));
        // Typed with spaces, as apps show it.
        assert_eq!(accepted_step(RFC_SECRET, &format!("{} {}", &code[..3], &code[3..]), now, 0), Some(step));
        // The code before and the one after still count (a clock 30 s off).
        assert_eq!(accepted_step(RFC_SECRET, &code_at(RFC_SECRET, now - 30), now, 0), Some(step - 1));
        assert_eq!(accepted_step(RFC_SECRET, &code_at(RFC_SECRET, now + 30), now, 0), Some(step + 1));
        // Two steps away it does not.
        assert_eq!(accepted_step(RFC_SECRET, &code_at(RFC_SECRET, now - 60), now, 0), None);
        // Never the same code twice, nor an older one after a newer one.
        assert_eq!(accepted_step(RFC_SECRET, &code, now, step), None);
        assert_eq!(accepted_step(RFC_SECRET, &code_at(RFC_SECRET, now - 30), now, step), None);
        // Another secret's code, or no code at all.
        assert_eq!(accepted_step(b"another secret of 20", &code, now, 0), None);
        assert_eq!(accepted_step(RFC_SECRET, "12345", now, 0), None);
        assert_eq!(accepted_step(RFC_SECRET, "abcdef", now, 0), None);
    }

    #[test]
    fn the_set_up_link_names_broker_and_account() {
        let (url, key) = set_up_link(RFC_SECRET, "Sommer: Partner", "jana@example.com").unwrap();
        assert!(url.starts_with("otpauth://totp/"), "{url}");
        assert!(url.contains("secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"), "{url}");
        assert!(
            url.contains("issuer=Sommer%20%20Partner") || url.contains("issuer=Sommer  Partner"),
            "{url}"
        );
        assert_eq!(key, "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ");
        assert_eq!(new_secret().len(), SECRET_BYTES);
        assert_ne!(new_secret(), new_secret());
    }

    #[test]
    fn recovery_codes_are_distinct_and_read_back_however_typed() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), RECOVERY_CODES);
        let code = &codes[0];
        assert_eq!(code.len(), 11);
        let plain = code.replace('-', "");
        assert_eq!(normalized_recovery_code(code).as_deref(), Some(plain.as_str()));
        assert_eq!(normalized_recovery_code(&code.to_uppercase()).as_deref(), Some(plain.as_str()));
        assert_eq!(normalized_recovery_code(&format!(" {plain} ")).as_deref(), Some(plain.as_str()));
        assert_eq!(normalized_recovery_code("123456"), None);
        assert_eq!(normalized_recovery_code("abcde-fghi1"), None);
        assert!(looks_like_app_code("123 456"));
        assert!(!looks_like_app_code(code));
    }
}
