//! The database: one pool that speaks SQLite (embedded default) or PostgreSQL (scale-out),
//! the migrations of each, and the clock. SQL elsewhere sticks to what both run:
//! `$1` placeholders, `RETURNING`, `ON CONFLICT`, integers for time.

use anyhow::{bail, Context};
use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Which backend a URL names; anything else is refused rather than guessed.
    pub fn of_url(url: &str) -> anyhow::Result<Self> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            bail!("unsupported database URL: expected sqlite:… or postgres://…")
        }
    }
}

#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
}

impl Db {
    /// Connects without creating anything the URL does not ask for
    /// (an SQLite file is only created with `mode=rwc`).
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        install_default_drivers();
        let backend = Backend::of_url(url)?;
        let mut options = AnyPoolOptions::new().max_connections(8);
        if backend == Backend::Sqlite {
            options = options.after_connect(|conn, _meta| {
                Box::pin(async move {
                    conn.execute("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;").await?;
                    Ok(())
                })
            });
        }
        let pool = options.connect(url).await.context("cannot open the database")?;
        if backend == Backend::Sqlite {
            pool.execute("PRAGMA journal_mode = WAL;").await.context("cannot switch SQLite to WAL")?;
        }
        Ok(Db { pool, backend })
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.pool).await.context("cannot migrate the database")
    }

    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }
}

/// The case-insensitive LIKE of a connection: SQLite's LIKE already ignores (ASCII) case,
/// PostgreSQL has ILIKE. Cheaper than LOWER() on every row.
pub fn ilike(conn: &sqlx::AnyConnection) -> &'static str {
    if conn.backend_name() == "PostgreSQL" {
        "ILIKE"
    } else {
        "LIKE"
    }
}

/// A search text as a `%…%` pattern; `%`, `_` and `\\` lose their special meaning by
/// being dropped.
pub fn contains_pattern(query: &str) -> String {
    format!("%{}%", query.trim().replace(['\\', '%', '_'], ""))
}

/// Now, in Unix seconds.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_unknown_database_urls() {
        assert!(Backend::of_url("sqlite:data/folio.db").is_ok());
        assert!(Backend::of_url("postgres://localhost/test").is_ok());
        assert!(Backend::of_url("data/folio.db").is_err());
        assert!(Backend::of_url("mysql://localhost/x").is_err());
    }

    #[tokio::test]
    async fn a_missing_sqlite_file_is_not_created_silently() {
        let dir = std::env::temp_dir().join(format!("folio-db-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("missing.db");
        let url = format!("sqlite:{}", file.display());
        assert!(Db::connect(&url).await.is_err());
        assert!(!file.exists());
        let created = Db::connect(&format!("{url}?mode=rwc")).await.unwrap();
        created.migrate().await.unwrap();
        assert!(created.ping().await);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
