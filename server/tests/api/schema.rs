//! SQLite and PostgreSQL keep the same schema: after every migration of each folder, the same
//! tables with the same columns, each nullable or not alike. A column added to one folder and
//! forgotten in the other fails here.

use std::collections::BTreeMap;

use crate::helpers::*;

/// Table → column → whether it may be NULL.
type Schema = BTreeMap<String, BTreeMap<String, bool>>;

async fn sqlite_schema() -> Schema {
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) = folio(dir.path(), None, &["migrate"]);
    assert!(ok, "{err}");
    let url = format!("sqlite:{}", dir.path().join("folio.db").display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    let tables: Vec<String> = sqlx::query_scalar(
        // The search indexes are each backend's own: FTS5 tables here (and their shadow
        // tables), pg_trgm indexes there.
        "SELECT t.name FROM sqlite_master t WHERE t.type = 'table' AND t.name NOT LIKE 'sqlite_%'
           AND t.name <> '_sqlx_migrations'
           AND NOT EXISTS (SELECT 1 FROM sqlite_master v WHERE v.sql LIKE 'CREATE VIRTUAL TABLE%'
                           AND (t.name = v.name OR t.name LIKE v.name || '_%'))",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for table in tables {
        let columns: Vec<(String, i64, i64)> =
            sqlx::query_as(&format!("SELECT name, \"notnull\", pk FROM pragma_table_info('{table}')"))
                .fetch_all(&pool)
                .await
                .unwrap();
        // An INTEGER PRIMARY KEY is never NULL, whatever the pragma says.
        let columns =
            columns.into_iter().map(|(name, not_null, pk)| (name, not_null == 0 && pk == 0)).collect();
        schema.insert(table, columns);
    }
    schema
}

async fn postgres_schema(admin: &str) -> Schema {
    let name = format!("folio_schema_{}", rand::random::<u32>());
    let admin_pool = sqlx::PgPool::connect(admin).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin_pool).await.unwrap();
    let url = format!("{}/{name}", admin.rsplit_once('/').map_or(admin, |(base, _)| base));
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) = folio(dir.path(), Some(&url), &["migrate"]);
    assert!(ok, "{err}");
    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    let columns: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, is_nullable::text FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    pool.close().await;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&admin_pool).await.unwrap();
    let mut schema = Schema::new();
    for (table, column, nullable) in columns {
        schema.entry(table).or_default().insert(column, nullable == "YES");
    }
    schema
}

#[tokio::test]
async fn both_backends_have_the_same_tables_and_columns() {
    let sqlite = sqlite_schema().await;
    assert!(sqlite.contains_key("grants") && sqlite["documents"].contains_key("message_id"));
    let Some(admin) = std::env::var("FOLIO_TEST_POSTGRES_URL").ok().filter(|v| !v.is_empty()) else {
        eprintln!("schema comparison skipped: FOLIO_TEST_POSTGRES_URL is not set");
        return;
    };
    let postgres = postgres_schema(&admin).await;
    assert_eq!(sqlite.keys().collect::<Vec<_>>(), postgres.keys().collect::<Vec<_>>(), "the same tables");
    for (table, columns) in &sqlite {
        assert_eq!(columns, &postgres[table], "the columns of {table}, and whether they may be NULL");
    }
}
