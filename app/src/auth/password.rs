//! Password hashing: argon2id (m = 19456 KiB, t = 2, p = 1) on the blocking pool.
//! Unknown accounts are verified against a dummy hash so both paths cost the same.

use std::sync::OnceLock;

use anyhow::Context;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash as Phc, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

/// A PHC hash string. Never printed, never sent to a client.
#[derive(Clone)]
pub struct PasswordHash(pub String);

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash(<redacted>)")
    }
}

fn argon2() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("constant argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_blocking(password: &str) -> anyhow::Result<PasswordHash> {
    let salt = SaltString::generate(&mut OsRng);
    let hash =
        argon2().hash_password(password.as_bytes(), &salt).map_err(|e| anyhow::anyhow!("argon2: {e}"))?;
    Ok(PasswordHash(hash.to_string()))
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY
        .get_or_init(|| hash_blocking("dummy password that matches nothing").map(|h| h.0).unwrap_or_default())
}

pub async fn hash(password: String) -> anyhow::Result<PasswordHash> {
    tokio::task::spawn_blocking(move || hash_blocking(&password)).await.context("hashing task failed")?
}

/// True when `password` matches `hash`. With no hash (unknown account, or no password
/// chosen yet) the dummy hash is checked, and the answer is false.
pub async fn verify(password: String, hash: Option<String>) -> anyhow::Result<bool> {
    tokio::task::spawn_blocking(move || {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| dummy_hash().to_owned());
        let parsed = Phc::new(&hash).map_err(|e| anyhow::anyhow!("stored hash unreadable: {e}"))?;
        let matches = argon2().verify_password(password.as_bytes(), &parsed).is_ok();
        Ok(known && matches)
    })
    .await
    .context("verification task failed")?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let h = hash("richtiges Passwort".into()).await.unwrap();
        assert!(h.0.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("richtiges Passwort".into(), Some(h.0.clone())).await.unwrap());
        assert!(!verify("falsches Passwort".into(), Some(h.0)).await.unwrap());
    }

    #[tokio::test]
    async fn no_hash_never_verifies() {
        assert!(!verify("dummy password that matches nothing".into(), None).await.unwrap());
    }

    #[test]
    fn debug_does_not_show_the_hash() {
        assert_eq!(format!("{:?}", PasswordHash("secret".into())), "PasswordHash(<redacted>)");
    }
}
