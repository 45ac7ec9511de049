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
                    // secure_delete: a deleted row (an address past its 7 days, an erased
                    // folder) is overwritten in the file, not only unlinked.
                    conn.execute(
                        "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA secure_delete = ON;",
                    )
                    .await?;
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

    /// Begins a transaction, which in Folio is always one that writes. On SQLite it takes the
    /// write lock at once (`BEGIN IMMEDIATE`): a transaction that reads first and writes later
    /// cannot get the lock once another connection has written since its first read, and SQLite
    /// then fails at once with "database is locked" instead of waiting (`busy_timeout` does not
    /// help there). This way the second writer waits instead.
    pub async fn begin(&self) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Any>> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
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

/// Today's date (UTC) as ISO 8601.
pub fn today() -> String {
    date_of(now())
}

/// The date (UTC) of a moment in Unix seconds, as ISO 8601.
pub fn date_of(unix: i64) -> String {
    let (y, m, d) = crate::i18n::date_of_days(unix.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Whole seconds from `now` until `at`, at least one: what a "try again in" says.
pub fn secs_until(at: i64, now: i64) -> u64 {
    u64::try_from(at - now).unwrap_or(0).max(1)
}

/// Now, in Unix seconds.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// How many rows one statement writes when many are written at once. Not more: SQLite
/// finds each of a statement's `$N` parameters by walking the list of its names, so binding
/// costs grow with the square of the parameters (at 500 rows of 17, binding took 90 % of an
/// import); 40 rows save nearly all the per-statement cost.
pub const ROWS_PER_STATEMENT: usize = 40;

/// The VALUES of a statement that writes `rows` rows at once: `row`, one row's placeholders
/// `$1` to `$per_row` (a placeholder may appear twice), once per row with each row's
/// placeholders numbered after the previous rows'.
pub fn values_for_rows(row: &str, per_row: usize, rows: usize) -> String {
    let mut out = String::with_capacity((row.len() + 16) * rows);
    for r in 0..rows {
        if r > 0 {
            out.push_str(", ");
        }
        let mut rest = row;
        while let Some(at) = rest.find('$') {
            out.push_str(&rest[..=at]);
            rest = &rest[at + 1..];
            let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
            if let Ok(n) = rest[..digits].parse::<usize>() {
                out.push_str(&(r * per_row + n).to_string());
            }
            rest = &rest[digits..];
        }
        out.push_str(rest);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_for_rows_numbers_each_rows_placeholders_after_the_previous_rows() {
        assert_eq!(values_for_rows("($1, $2, $2)", 2, 1), "($1, $2, $2)");
        assert_eq!(values_for_rows("($1, $2, $2)", 2, 3), "($1, $2, $2), ($3, $4, $4), ($5, $6, $6)");
        assert_eq!(values_for_rows("($1, '$', 0)", 1, 2), "($1, '$', 0), ($2, '$', 0)");
    }

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

    /// A request that reads and then writes, while another request writes in between: the
    /// other one waits, and both writes land (with a plain BEGIN the first failed with
    /// "database is locked", which a browser test met as a 500).
    #[tokio::test]
    async fn a_transaction_that_reads_first_still_writes_when_another_request_writes_meanwhile() {
        let dir = tempfile::tempdir().unwrap();
        let db =
            Db::connect(&format!("sqlite:{}?mode=rwc", dir.path().join("t.db").display())).await.unwrap();
        db.pool.execute("CREATE TABLE t (n BIGINT NOT NULL)").await.unwrap();
        let mut tx = db.begin().await.unwrap();
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM t").fetch_one(&mut *tx).await.unwrap();
        let pool = db.pool.clone();
        let other =
            tokio::spawn(async move { sqlx::query("INSERT INTO t (n) VALUES (1)").execute(&pool).await });
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        sqlx::query("INSERT INTO t (n) VALUES ($1)").bind(count + 10).execute(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
        other.await.unwrap().unwrap();
        let rows: Vec<i64> =
            sqlx::query_scalar("SELECT n FROM t ORDER BY rowid").fetch_all(&db.pool).await.unwrap();
        assert_eq!(rows, [10, 1]);
    }
}
