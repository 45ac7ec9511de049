//! Brute-force protection for sign-in: failures are counted per account and per IP; past a
//! few free attempts each failure doubles the wait (capped). A reset link clears the
//! account's count, so the owner can always get back in.

use std::collections::HashMap;
use std::sync::Mutex;

#[derive(Clone, Copy, Debug)]
pub struct Policy {
    pub free_attempts: u32,
    pub max_wait_secs: i64,
    /// Failures older than this are forgotten.
    pub memory_secs: i64,
}

#[derive(Clone, Copy, Debug, Default)]
struct Entry {
    failures: u32,
    blocked_until: i64,
    last_failure: i64,
}

#[derive(Debug)]
pub struct Throttle {
    account: Policy,
    ip: Policy,
    entries: Mutex<HashMap<String, Entry>>,
}

/// A key is either an account (`broker id` + e-mail) or a client IP.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Key {
    Account(String),
    Ip(String),
}

impl Key {
    /// An account is a broker's e-mail address: the same address at two brokers is two accounts.
    pub fn account(broker_id: crate::ids::BrokerId, email: &str) -> Self {
        Key::Account(format!("{broker_id}:{email}"))
    }

    fn id(&self) -> String {
        match self {
            Key::Account(k) => format!("a:{k}"),
            Key::Ip(k) => format!("i:{k}"),
        }
    }
}

impl Default for Throttle {
    fn default() -> Self {
        Throttle::new(
            Policy { free_attempts: 5, max_wait_secs: 15 * 60, memory_secs: 24 * 3600 },
            Policy { free_attempts: 30, max_wait_secs: 15 * 60, memory_secs: 24 * 3600 },
        )
    }
}

impl Throttle {
    pub fn new(account: Policy, ip: Policy) -> Self {
        Throttle { account, ip, entries: Mutex::new(HashMap::new()) }
    }

    fn policy(&self, key: &Key) -> Policy {
        match key {
            Key::Account(_) => self.account,
            Key::Ip(_) => self.ip,
        }
    }

    /// Err(seconds to wait) while any of the keys is blocked.
    pub fn check(&self, keys: &[Key], now: i64) -> Result<(), u64> {
        let entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let wait = keys
            .iter()
            .filter_map(|k| entries.get(&k.id()))
            .map(|e| e.blocked_until - now)
            .max()
            .unwrap_or(0);
        if wait > 0 {
            Err(u64::try_from(wait).unwrap_or(0))
        } else {
            Ok(())
        }
    }

    pub fn fail(&self, keys: &[Key], now: i64) {
        let mut entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if entries.len() > 100_000 {
            let oldest_kept = now - self.account.memory_secs.max(self.ip.memory_secs);
            entries.retain(|_, e| e.last_failure >= oldest_kept || e.blocked_until > now);
        }
        for key in keys {
            let policy = self.policy(key);
            let entry = entries.entry(key.id()).or_default();
            if now - entry.last_failure > policy.memory_secs {
                *entry = Entry::default();
            }
            entry.failures += 1;
            entry.last_failure = now;
            if entry.failures > policy.free_attempts {
                let over = (entry.failures - policy.free_attempts - 1).min(20);
                let wait = (1i64 << over).min(policy.max_wait_secs);
                entry.blocked_until = now + wait;
            }
        }
    }

    /// Forgets an account's failures (after a good sign-in or a reset link).
    pub fn clear(&self, key: &Key) {
        let mut entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        entries.remove(&key.id());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> Vec<Key> {
        vec![Key::Account("1:anna@example.com".into()), Key::Ip("192.0.2.1".into())]
    }

    #[test]
    fn a_few_mistakes_are_free() {
        let t = Throttle::default();
        for _ in 0..5 {
            assert_eq!(t.check(&keys(), 100), Ok(()));
            t.fail(&keys(), 100);
        }
        assert_eq!(t.check(&keys(), 100), Ok(()));
    }

    #[test]
    fn waits_grow_with_each_failure_and_are_capped() {
        let t = Throttle::default();
        let mut now = 1_000;
        let mut waits = Vec::new();
        for _ in 0..20 {
            t.fail(&keys(), now);
            let wait = t.check(&keys(), now).err().unwrap_or(0);
            waits.push(wait);
            now += i64::try_from(wait).unwrap();
        }
        assert_eq!(&waits[..9], &[0, 0, 0, 0, 0, 1, 2, 4, 8]);
        assert_eq!(*waits.last().unwrap(), 900);
    }

    #[test]
    fn one_account_does_not_block_another() {
        let t = Throttle::default();
        for _ in 0..8 {
            t.fail(&[Key::Account("1:a@example.com".into())], 10);
        }
        assert!(t.check(&[Key::Account("1:a@example.com".into())], 10).is_err());
        assert!(t.check(&[Key::Account("1:b@example.com".into())], 10).is_ok());
    }

    #[test]
    fn an_ip_trying_many_accounts_is_slowed_down() {
        let t = Throttle::default();
        for i in 0..31 {
            t.fail(&[Key::Account(format!("1:{i}@example.com")), Key::Ip("192.0.2.9".into())], 10);
        }
        assert!(t
            .check(&[Key::Account("1:new@example.com".into()), Key::Ip("192.0.2.9".into())], 10)
            .is_err());
        assert!(t
            .check(&[Key::Account("1:new@example.com".into()), Key::Ip("192.0.2.10".into())], 10)
            .is_ok());
    }

    #[test]
    fn clearing_lets_the_owner_back_in_and_old_failures_fade() {
        let t = Throttle::default();
        for _ in 0..10 {
            t.fail(&keys()[..1], 10);
        }
        assert!(t.check(&keys()[..1], 10).is_err());
        t.clear(&keys()[0]);
        assert!(t.check(&keys()[..1], 10).is_ok());
        for _ in 0..6 {
            t.fail(&keys()[..1], 10);
        }
        t.fail(&keys()[..1], 10 + 24 * 3600 + 1);
        assert!(t.check(&keys()[..1], 10 + 24 * 3600 + 1).is_ok());
    }
}
