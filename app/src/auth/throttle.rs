//! Brute-force protection for sign-in, in the `sign_in_failures` table, so every server sees
//! the same counts. Each attempt is counted per account and per address *before* its
//! password is checked, in one transaction, so parallel guesses are each counted.
//!
//! - An address (IPv4, or the /64 of an IPv6 address) gets a few free failures; after that
//!   each one doubles its wait (capped), and while it waits its attempts are refused unchecked.
//! - An account is never locked: after a few failures the right password alone no longer
//!   signs in; a link mailed to the account does. So a flood of guesses slows the attacker
//!   but cannot shut the owner out.
//!
//! A good sign-in (or a reset link) clears the account's count.

use std::net::IpAddr;

use crate::db::{secs_until, Db};
use crate::ids::BrokerId;

/// An account's free failures: past them, its right password needs the mailed link too.
pub const ACCOUNT_FREE_FAILURES: i64 = 5;
/// An address's free failures: past them, waits of 1 s, 2 s, 4 s … up to [`MAX_WAIT_SECS`].
pub const ADDRESS_FREE_FAILURES: i64 = 10;
pub const MAX_WAIT_SECS: i64 = 15 * 60;
/// Failures are forgotten after this long without one.
pub const MEMORY_SECS: i64 = 24 * 3600;

/// What is counted: an account (a broker's e-mail address) or a client address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key(String);

impl Key {
    /// An account is a broker's e-mail address: the same address at two brokers is two accounts.
    pub fn account(broker_id: BrokerId, email: &str) -> Self {
        Key(format!("a:{broker_id}:{email}"))
    }

    /// A client address; an IPv6 address counts by its /64, which one subscriber holds.
    pub fn address(ip: Option<IpAddr>) -> Self {
        let id = match ip.map(|ip| ip.to_canonical()) {
            None => "unknown".to_owned(),
            Some(IpAddr::V4(v4)) => v4.to_string(),
            Some(IpAddr::V6(v6)) => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        };
        Key(format!("i:{id}"))
    }
}

/// An address's wait after its `failures`-th failure: none while free, then doubling up to
/// the cap.
pub fn wait_after(failures: i64) -> i64 {
    if failures <= ADDRESS_FREE_FAILURES {
        return 0;
    }
    let over = (failures - ADDRESS_FREE_FAILURES - 1).min(20);
    (1i64 << over).min(MAX_WAIT_SECS)
}

/// The outcome of counting an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attempt {
    /// The address waits this many seconds: the attempt is refused without a check.
    Refused { retry_after_secs: u64 },
    /// Check the password. `confirm_by_mail`: the account has had too many failures, so a
    /// right password only earns a mailed link.
    Check { confirm_by_mail: bool },
}

#[derive(sqlx::FromRow)]
struct Counted {
    failures: i64,
    blocked_until: i64,
}

/// Counts one more failure for a key (a fresh count once the old one is forgotten). The row
/// stays taken until commit, so parallel attempts are counted one after another.
async fn count(conn: &mut sqlx::AnyConnection, key: &Key, now: i64) -> Result<Counted, sqlx::Error> {
    sqlx::query_as(
        "INSERT INTO sign_in_failures (key, failures, last_at, blocked_until) VALUES ($1, 1, $2, 0)
         ON CONFLICT (key) DO UPDATE SET
             failures = CASE WHEN sign_in_failures.last_at < $3 THEN 1 ELSE sign_in_failures.failures + 1 END,
             blocked_until = CASE WHEN sign_in_failures.last_at < $3 THEN 0 ELSE sign_in_failures.blocked_until END,
             last_at = $2
         RETURNING failures, blocked_until",
    )
    .bind(&key.0)
    .bind(now)
    .bind(now - MEMORY_SECS)
    .fetch_one(conn)
    .await
}

/// Counts an attempt against the account and the address, as a failure until it proves
/// otherwise, and says whether to check it.
pub async fn count_attempt(db: &Db, account: &Key, address: &Key, now: i64) -> Result<Attempt, sqlx::Error> {
    let mut tx = db.begin().await?;
    let of_account = count(&mut tx, account, now).await?;
    let of_address = count(&mut tx, address, now).await?;
    let attempt = if of_address.blocked_until > now {
        Attempt::Refused { retry_after_secs: secs_until(of_address.blocked_until, now) }
    } else {
        let wait = wait_after(of_address.failures);
        if wait > 0 {
            sqlx::query("UPDATE sign_in_failures SET blocked_until = $2 WHERE key = $1")
                .bind(&address.0)
                .bind(now + wait)
                .execute(&mut *tx)
                .await?;
        }
        Attempt::Check { confirm_by_mail: of_account.failures > ACCOUNT_FREE_FAILURES }
    };
    tx.commit().await?;
    Ok(attempt)
}

/// After a good sign-in: the account's count is forgotten, and the address gets back the
/// failure counted for this attempt in advance; an address left without failures is not
/// kept at all.
pub async fn succeeded(
    conn: &mut sqlx::AnyConnection,
    account: &Key,
    address: &Key,
    now: i64,
) -> Result<(), sqlx::Error> {
    clear(&mut *conn, account).await?;
    give_back(conn, address, now).await
}

/// The address gets back the failure counted for this attempt in advance (its password was
/// right); an address left without failures is not kept at all. The account's count stays:
/// a second factor is still to come.
pub async fn give_back(conn: &mut sqlx::AnyConnection, address: &Key, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sign_in_failures SET failures = failures - 1 WHERE key = $1 AND failures > 0")
        .bind(&address.0)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM sign_in_failures WHERE key = $1 AND failures = 0 AND blocked_until <= $2")
        .bind(&address.0)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// Forgets a key's failures (after a good sign-in or a reset link).
pub async fn clear(conn: &mut sqlx::AnyConnection, key: &Key) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sign_in_failures WHERE key = $1").bind(&key.0).execute(conn).await?;
    Ok(())
}

/// Forgets an account's count (its e-mail address is in the key): for an erased person.
pub async fn forget_account(
    conn: &mut sqlx::AnyConnection,
    broker_id: BrokerId,
    email: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sign_in_failures WHERE key = $1")
        .bind(Key::account(broker_id, email).0)
        .execute(conn)
        .await?;
    Ok(())
}

/// Housekeeping: drops counts that are forgotten anyway.
pub async fn purge(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    let forget = now - MEMORY_SECS;
    let done = sqlx::query("DELETE FROM sign_in_failures WHERE last_at < $1 AND blocked_until < $2")
        .bind(forget)
        .bind(now)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_few_mistakes_are_free_then_waits_double_up_to_the_cap() {
        let waits: Vec<i64> = (1..=20).map(wait_after).collect();
        assert_eq!(&waits[..10], &[0; 10]);
        assert_eq!(&waits[10..15], &[1, 2, 4, 8, 16]);
        assert_eq!(wait_after(1_000), 900);
    }

    #[test]
    fn an_ipv6_subscriber_counts_as_one_address() {
        let a = Key::address(Some("2001:db8:1:2:aaaa::1".parse().unwrap()));
        let b = Key::address(Some("2001:db8:1:2:bbbb::9".parse().unwrap()));
        let other = Key::address(Some("2001:db8:1:3::1".parse().unwrap()));
        assert_eq!(a, b);
        assert_ne!(a, other);
        assert_eq!(a, Key("i:2001:db8:1:2::/64".into()));
        // An IPv4 address written as IPv6 is the IPv4 address.
        let mapped = Key::address(Some("::ffff:192.0.2.1".parse().unwrap()));
        assert_eq!(mapped, Key::address(Some("192.0.2.1".parse().unwrap())));
    }

    #[test]
    fn the_same_address_at_two_brokers_is_two_accounts() {
        assert_ne!(Key::account(BrokerId(1), "a@example.com"), Key::account(BrokerId(2), "a@example.com"));
    }
}
