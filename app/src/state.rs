//! What every request handler shares: configuration, database, mailer.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use crate::db::Db;
use crate::mail::Mailer;

#[derive(Clone, Debug)]
pub struct Config {
    /// Brokers without a custom domain answer at `<slug>.<base_domain>`.
    pub base_domain: String,
    pub session_idle_secs: i64,
    pub session_absolute_secs: i64,
    /// Port to put into links for loopback hosts (local development).
    pub local_port: u16,
    pub mail_from: String,
    /// Where the SQLite database (by default) and the blob store live.
    pub data_dir: std::path::PathBuf,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// At most one mailbox notice per recipient within this many seconds (R4.2).
    pub notice_window_secs: i64,
    /// How often the notice batch looks for due notices.
    pub notice_tick_secs: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            base_domain: "localhost".into(),
            session_idle_secs: 30 * 60,
            session_absolute_secs: 12 * 60 * 60,
            local_port: 3000,
            mail_from: "no-reply@localhost".into(),
            data_dir: "./data".into(),
            trusted_proxies: Vec::new(),
            notice_window_secs: 15 * 60,
            notice_tick_secs: 20,
        }
    }
}

#[derive(Clone, Debug)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub mailer: Mailer,
    pub config: Arc<Config>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
