//! The audit trail proves itself: `folio audit verify` passes on an untouched trail, also
//! while many requests write to it at once, and names the first entry that was changed,
//! removed or written outside the chain; the office's trail shows the last check.

use crate::auth::customer_id;
use crate::helpers::*;

const HOST: &str = "demo.localhost";

/// Lets this test do what only someone with the database in hand can: rewrite the trail.
async fn lift_append_only(app: &TestApp) {
    if app.database_url.is_some() {
        app.sql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change").await;
    } else {
        app.sql("DROP TRIGGER audit_log_no_update").await;
        app.sql("DROP TRIGGER audit_log_no_delete").await;
    }
}

fn verify(app: &TestApp, broker: &str) -> (bool, String) {
    let (ok, out, err) = app.folio(&["audit", "verify", "--broker", broker]);
    (ok, format!("{out}{err}"))
}

#[tokio::test]
async fn the_trail_is_verified_and_a_changed_removed_or_inserted_entry_is_named() {
    for backend in backends() {
        let app = spawn(backend).await;
        let staff = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        // Parallel requests each append an entry (a look at the folder is recorded); the chain
        // stays one line.
        let id = customer_id(&app, &staff).await;
        let looks: Vec<_> = (0..12)
            .map(|_| {
                let request = app
                    .client(HOST)
                    .post(app.url(HOST, "/api/customers/detail"))
                    .header(reqwest::header::ACCEPT, "application/json")
                    .header(reqwest::header::COOKIE, &staff)
                    .form(&[("id", &id)]);
                tokio::spawn(request.send())
            })
            .collect();
        for look in looks {
            assert!(look.await.unwrap().unwrap().status().is_success());
        }
        let (ok, out) = verify(&app, "demo");
        assert!(ok && out.contains("demo: audit trail whole"), "{out}");
        let entries: i64 = app.count("SELECT COUNT(*) FROM audit_log WHERE broker_id = 1").await;
        assert!(out.contains(&format!("{entries} entries")), "{entries}: {out}");
        assert!(entries > 12, "{entries}");

        // The database itself refuses to rewrite a chained entry.
        let refused = app.try_sql("UPDATE audit_log SET action = 'x' WHERE seq = 2").await;
        assert!(refused.is_err_and(|e| e.contains("append-only")));
        assert!(app.try_sql("DELETE FROM audit_log WHERE seq = 2").await.is_err());

        // Someone with the database in hand changes entry 3.
        lift_append_only(&app).await;
        app.sql("UPDATE audit_log SET actor_id = 99 WHERE broker_id = 1 AND seq = 3").await;
        let (ok, out) = verify(&app, "demo");
        assert!(!ok && out.contains("entry 3 was changed"), "{out}");
        // The office's trail shows the outcome of the last check.
        let detail = app.json(HOST, "customers/detail", &[("id", &id)], &staff).await;
        assert_eq!(detail["trail_check"]["broken"]["at"], 3, "{detail}");
        assert_eq!(detail["trail_check"]["broken"]["reason"], "Changed");

        // Another broker: its own chain, whole; removing its newest entry is found.
        other_broker_staff(&app).await;
        let (ok, out) = verify(&app, "nord");
        assert!(ok && out.contains("nord: audit trail whole"), "{out}");
        let nord = "(SELECT id FROM brokers WHERE slug = 'nord')";
        let last: i64 = app.count(&format!("SELECT MAX(seq) FROM audit_log WHERE broker_id = {nord}")).await;
        let newest = format!("broker_id = {nord} AND seq = {last}");
        app.sql(&format!(
            "DELETE FROM audit_addresses WHERE audit_id = (SELECT id FROM audit_log WHERE {newest})"
        ))
        .await;
        app.sql(&format!("DELETE FROM audit_log WHERE {newest}")).await;
        let (ok, out) = verify(&app, "nord");
        assert!(!ok && out.contains(&format!("the entries after entry {} were removed", last - 1)), "{out}");

        // A broker whose entries predate the chain: they get their places when it begins;
        // an entry slipped in later without one is named by its row id.
        app.folio(&[
            "broker",
            "add",
            "--slug",
            "sued",
            "--name",
            "Süd Makler",
            "--second-factor",
            "optional",
        ]);
        let sued = "(SELECT id FROM brokers WHERE slug = 'sued')";
        let legacy = "INSERT INTO audit_log (broker_id, at, actor_kind, action)
                      SELECT id, 1700000000, 'system', 'broker.created' FROM brokers WHERE slug = 'sued'";
        app.sql(legacy).await;
        let args = ["staff", "invite", "--broker", "sued", "--email", "chef@sued.example", "--role", "owner"];
        assert!(app.folio(&args).0);
        let (ok, out) = verify(&app, "sued");
        assert!(ok && out.contains("sued: audit trail whole, 2 entries"), "{out}");
        app.sql(legacy).await;
        let slipped: i64 =
            app.count(&format!("SELECT MAX(id) FROM audit_log WHERE broker_id = {sued}")).await;
        let (ok, out) = verify(&app, "sued");
        assert!(!ok && out.contains(&format!("row id {slipped} was written outside the chain")), "{out}");

        // All brokers at once: the broken ones are named, and the command fails.
        let (ok, out, _) = app.folio(&["audit", "verify"]);
        assert!(
            !ok && out.contains("demo: audit trail BROKEN") && out.contains("nord: audit trail BROKEN"),
            "{out}"
        );
        let (ok, out) = verify(&app, "nobody");
        assert!(!ok && out.contains("no broker"), "{out}");
    }
}
