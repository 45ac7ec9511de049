//! The operator's commands.

use crate::helpers::*;

#[tokio::test]
async fn api_keys_are_printed_once_and_stored_hashed() {
    let app = spawn(Backend::Sqlite).await;
    let (ok, out, err) = app.folio(&["apikey", "create", "--broker", "demo"]);
    assert!(ok, "{err}");
    let key = out.lines().last().unwrap().trim().to_owned();
    assert!(key.starts_with("fk_") && key.len() > 40, "{key}");
    let db = std::fs::read(app.dir.path().join("folio.db")).unwrap();
    let wal = std::fs::read(app.dir.path().join("folio.db-wal")).unwrap_or_default();
    let secret = key.rsplit('_').next().unwrap().as_bytes();
    for bytes in [&db, &wal] {
        assert!(!bytes.windows(secret.len()).any(|w| w == secret), "the key is not stored in clear");
    }
    let (ok, _, err) = app.folio(&["apikey", "create", "--broker", "nobody"]);
    assert!(!ok && err.contains("no broker"), "{err}");
}

#[tokio::test]
async fn demo_is_idempotent() {
    let app = spawn(Backend::Sqlite).await;
    let (ok, out, _) = app.folio(&["demo"]);
    assert!(ok);
    assert!(out.contains(CUSTOMER.0) && out.contains(STAFF.0));
    app.sign_in("localhost", CUSTOMER.0, CUSTOMER.1).await;
}

#[test]
fn a_malformed_database_url_is_an_error_not_a_new_file() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) = folio(dir.path(), Some("data/folio.db"), &["migrate"]);
    assert!(!ok && err.contains("unsupported database URL"), "{err}");
    let missing = dir.path().join("nope.db");
    let (ok, _, _) = folio(dir.path(), Some(&format!("sqlite:{}", missing.display())), &["migrate"]);
    assert!(!ok);
    assert!(!missing.exists());
}

#[test]
fn invalid_slugs_and_roles_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) = folio(dir.path(), None, &["broker", "add", "--slug", "Groß", "--name", "X"]);
    assert!(!ok && err.contains("invalid slug"), "{err}");
    let (ok, _, _) = folio(
        dir.path(),
        None,
        &["staff", "invite", "--broker", "demo", "--email", "a@b.de", "--role", "king"],
    );
    assert!(!ok);
}
