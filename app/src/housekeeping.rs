//! The hourly jobs: the server runs them every hour, `folio housekeeping` once. Each takes
//! "now" as a parameter, so an operator (or a test) can run them as of another time.
//! (Mailbox notices have their own, faster tick: `mailbox::notices`.)

use std::fmt;

use crate::audit::ssr::{purge_addresses, verify_due};
use crate::auth::{sessions, ssr::purge_links, throttle};
use crate::documents::{ssr::sweep_held, store::BlobStore};
use crate::mailbox::drafts;
use crate::state::AppState;

/// What one run removed; a job that failed is logged and counted as `None`.
#[derive(Debug, Default)]
pub struct Report {
    pub addresses: Option<u64>,
    pub sessions: Option<u64>,
    pub links: Option<u64>,
    pub held_files: Option<u64>,
    pub drafts: Option<u64>,
    pub sign_in_counts: Option<u64>,
    /// Sign-ins that never got their second factor, and set-ups nobody finished.
    pub unfinished_sign_ins: Option<u64>,
    /// Locked folders erased now that their retention period is over.
    pub erased: Option<u64>,
    /// Import files previewed a day ago and never imported, forgotten.
    pub import_files: Option<u64>,
    /// Audit trails checked, and how many of them were found broken.
    pub trails: Option<(usize, usize)>,
}

impl Report {
    pub fn failed(&self) -> bool {
        [
            self.addresses,
            self.sessions,
            self.links,
            self.held_files,
            self.drafts,
            self.sign_in_counts,
            self.unfinished_sign_ins,
            self.erased,
            self.import_files,
        ]
        .iter()
        .any(Option::is_none)
            || self.trails.is_none()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "client addresses older than 7 days deleted: {}; sessions ended: {}; links removed: {}; \
             unsent attachments removed: {}; drafts untouched for 30 days removed: {}; \
             forgotten sign-in failure counts removed: {}; \
             unfinished second-factor sign-ins and set-ups removed: {}; \
             customers erased after their retention period: {}; \
             import files never imported forgotten: {}; \
             audit trails checked: {}",
            count(self.addresses),
            count(self.sessions),
            count(self.links),
            count(self.held_files),
            count(self.drafts),
            count(self.sign_in_counts),
            count(self.unfinished_sign_ins),
            count(self.erased),
            count(self.import_files),
            self.trails.map_or_else(|| "failed".to_owned(), |(n, broken)| format!("{n} (broken: {broken})"))
        )
    }
}

fn count(done: Option<u64>) -> String {
    done.map_or_else(|| "failed".to_owned(), |n| n.to_string())
}

fn logged<T, E: fmt::Display>(job: &str, result: Result<T, E>) -> Option<T> {
    result.map_err(|e| tracing::error!(error = %e, job, "housekeeping job failed")).ok()
}

/// Runs every periodic job once, as of `now` (Unix seconds).
async fn forget_import_files(db: &crate::db::Db, now: i64) -> crate::error::Result<u64> {
    let mut conn = db.pool.acquire().await?;
    crate::imports::ssr::forget_stale(&mut conn, now).await
}

pub async fn run_once(state: &AppState, now: i64) -> Report {
    let c = &state.config;
    BlobStore::new(&c.data_dir).sweep_temp().await;
    Report {
        addresses: logged("addresses", purge_addresses(&state.db, now).await),
        sessions: logged(
            "sessions",
            sessions::purge_expired(&state.db, now, c.session_idle_secs, c.session_absolute_secs).await,
        ),
        links: logged("links", purge_links(&state.db, now).await),
        held_files: logged("held files", sweep_held(state, now).await),
        drafts: logged("drafts", drafts::purge(&state.db, now).await),
        sign_in_counts: logged("sign-in counts", throttle::purge(&state.db, now).await),
        unfinished_sign_ins: logged("second factor", crate::second_factor::ssr::purge(&state.db, now).await),
        erased: logged("erasure", crate::erasure::ssr::erase_due(state, now).await),
        import_files: logged("import files", forget_import_files(&state.db, now).await),
        trails: logged("audit trails", verify_due(&state.db, now).await).map(|(n, broken)| {
            for (broker_id, b) in &broken {
                tracing::error!(%broker_id, at = b.at, reason = b.reason.as_str(), "audit trail broken");
            }
            (n, broken.len())
        }),
    }
}
