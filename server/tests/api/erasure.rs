//! Erasing a customer (Art. 17): without a retention period the folder goes completely, files
//! included; while documents must be kept it is locked (login and grants end, only owners open
//! it) and housekeeping erases it when the period is over. Only owners may.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::auth::customer_id;
use crate::helpers::*;

const HOST: &str = "demo.localhost";
const YEAR: i64 = 365 * 86_400;

fn unix_now() -> i64 {
    i64::try_from(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs())
        .unwrap()
}

fn blob_path(app: &TestApp, blob: &str) -> std::path::PathBuf {
    app.dir.path().join("blobs").join(&blob[..2]).join(blob)
}

#[tokio::test]
async fn a_customer_without_a_retention_period_is_erased_completely_by_an_owner_only() {
    for backend in backends() {
        let app = spawn(backend).await;
        let owner = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        let form =
            [("first_name", "Erika"), ("last_name", "Löschbar"), ("email", "erika.loeschbar@example.com")];
        let id = app.json(HOST, "customers/invite", &form, &owner).await.to_string();
        let token = token_of(&link_in(&app.last_mail()));
        let erika = session_cookie(&app.set_password(HOST, &token, "Erikas langes Passwort").await).unwrap();
        let res = app.upload(HOST, Some(&erika), &[], Some(("beleg.pdf", tiny_pdf("Erikas Beleg")))).await;
        assert_eq!(res.status(), StatusCode::CREATED, "{backend:?}");
        let fields = [("customer_id", id.as_str()), ("title", "Police Erika"), ("kind", "policy")];
        let res = app.upload(HOST, Some(&owner), &fields, Some(("police.pdf", tiny_pdf("Police")))).await;
        assert_eq!(res.status(), StatusCode::CREATED, "{backend:?}");
        let blob: String = {
            let pool = app.pool().await;
            let blob = sqlx::query_scalar(&format!(
                "SELECT blob FROM documents WHERE customer_id = {id} ORDER BY id"
            ))
            .fetch_one(&pool)
            .await
            .unwrap();
            pool.close().await;
            blob
        };
        assert!(blob_path(&app, &blob).exists(), "{backend:?}");

        // Nobody but an owner of this broker sees the plan or erases.
        let tom = employee(&app).await;
        let nord = other_broker_staff(&app).await;
        for endpoint in ["erasure/preview", "erasure/erase"] {
            for (host, cookie, status) in [
                (HOST, &tom, StatusCode::FORBIDDEN),
                (HOST, &erika, StatusCode::FORBIDDEN),
                ("nord.localhost", &nord, StatusCode::NOT_FOUND),
            ] {
                let res = app.call(host, endpoint, &[("customer_id", &id)], Some(cookie)).await;
                assert_eq!(res.status(), status, "{backend:?} {endpoint} on {host}");
            }
        }
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM customers WHERE id = {id}")).await, 1);

        // No contract, so no retention period: the owner is told it all goes, then it does.
        let preview = app.json(HOST, "erasure/preview", &[("customer_id", &id)], &owner).await;
        assert_eq!(preview, json!({"plan": "EraseNow", "retention_years": 10}), "{backend:?}");
        let plan = app.json(HOST, "erasure/erase", &[("customer_id", &id)], &owner).await;
        assert_eq!(plan, json!("EraseNow"), "{backend:?}");
        assert_eq!(
            app.columns_holding("erika.loeschbar@example.com").await,
            Vec::<String>::new(),
            "{backend:?}"
        );
        assert_eq!(app.columns_holding("Löschbar").await, Vec::<String>::new(), "{backend:?}");
        assert!(!blob_path(&app, &blob).exists(), "{backend:?}: the file is gone from the disk");
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM documents WHERE customer_id = {id}")).await, 0);
        let erased = app
            .count(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'customer.erased' AND target_kind = 'customer' AND target_id = {id}"
            ))
            .await;
        assert_eq!(erased, 1, "{backend:?}: the trail keeps an entry without personal data");
        let res = app.call(HOST, "customers/detail", &[("id", &id)], Some(&owner)).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{backend:?}");
        let res = app.get(HOST, "/app", Some(&erika)).await;
        assert!(location(&res).starts_with("/login"), "{backend:?}: her session ended");
        let login = app
            .call(
                HOST,
                "auth/login",
                &[("email", "erika.loeschbar@example.com"), ("password", "Erikas langes Passwort")],
                None,
            )
            .await;
        assert_eq!(login.status(), StatusCode::UNAUTHORIZED, "{backend:?}");
        let again = app.call(HOST, "erasure/erase", &[("customer_id", &id)], Some(&owner)).await;
        assert_eq!(again.status(), StatusCode::NOT_FOUND, "{backend:?}");
    }
}

#[tokio::test]
async fn while_documents_must_be_kept_the_folder_is_locked_then_erased_when_the_period_is_over() {
    for backend in backends() {
        let app = spawn(backend).await;
        let owner = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        let anna = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
        let tom = employee(&app).await;
        let id = customer_id(&app, &owner).await;
        let document: i64 =
            app.count(&format!("SELECT MIN(id) FROM documents WHERE customer_id = {id}")).await;

        // Anna's contracts run: her folder is locked, not erased.
        let preview = app.json(HOST, "erasure/preview", &[("customer_id", &id)], &owner).await;
        assert_eq!(preview["plan"], "KeepWhileRunning", "{backend:?}");
        let plan = app.json(HOST, "erasure/erase", &[("customer_id", &id)], &owner).await;
        assert_eq!(plan, json!("KeepWhileRunning"), "{backend:?}");
        let res = app.get(HOST, "/app", Some(&anna)).await;
        assert!(location(&res).starts_with("/login"), "{backend:?}: her session ended");
        let login =
            app.call(HOST, "auth/login", &[("email", CUSTOMER.0), ("password", CUSTOMER.1)], None).await;
        assert_eq!(login.status(), StatusCode::FORBIDDEN, "{backend:?}: her login is closed");
        let live = format!("SELECT COUNT(*) FROM grants WHERE customer_id = {id} AND revoked_at IS NULL");
        assert_eq!(app.count(&live).await, 0, "{backend:?}: every grant on it ended");
        // Only owners open it.
        for (endpoint, field) in [
            ("customers/detail", "id"),
            ("contracts/of-customer", "customer_id"),
            ("documents/of-customer", "customer_id"),
            ("access/of-customer", "customer_id"),
        ] {
            let res = app.call(HOST, endpoint, &[(field, &id)], Some(&tom)).await;
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{backend:?} {endpoint}");
        }
        assert_eq!(
            app.get(HOST, &format!("/files/{document}"), Some(&tom)).await.status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(app.get(HOST, &format!("/files/{document}"), Some(&owner)).await.status(), StatusCode::OK);
        // Nor anything else of it an employee could reach by its ids: a contract's form, saving
        // it, a conversation, writing to the customer, uploading, deleting a document, the
        // printed mandate form, the office's copy of the data. The owner still may.
        let contract =
            app.count(&format!("SELECT MIN(id) FROM contracts WHERE customer_id = {id}")).await.to_string();
        let conversation = app
            .count(&format!("SELECT MIN(id) FROM conversations WHERE customer_id = {id}"))
            .await
            .to_string();
        let form = app.json(HOST, "contracts/form", &[("id", &contract)], &owner).await;
        let saved: Vec<(String, String)> = form
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (format!("form[{k}]"), v.as_str().map_or_else(|| v.to_string(), str::to_owned)))
            .collect();
        let saved: Vec<(&str, &str)> = saved.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let write = [
            ("customer_id", id.as_str()),
            ("subject", "Ihre Police"),
            ("body", "Anbei."),
            ("attachments", ""),
        ];
        for (endpoint, form) in [
            ("contracts/form", vec![("id", contract.as_str())]),
            ("contracts/save", saved.clone()),
            ("mailbox/show", vec![("id", conversation.as_str())]),
            ("mailbox/write", write.to_vec()),
            ("documents/delete", vec![("id", &*document.to_string())]),
        ] {
            let res = app.call(HOST, endpoint, &form, Some(&tom)).await;
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{backend:?} {endpoint}");
        }
        let fields = [("customer_id", id.as_str()), ("title", "Nachtrag"), ("kind", "letter")];
        let res = app.upload(HOST, Some(&tom), &fields, Some(("nachtrag.pdf", tiny_pdf("Nachtrag")))).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{backend:?}: upload");
        let post = |path: String, cookie: &str| {
            let form = reqwest::multipart::Form::new().text("customer_id", id.clone());
            app.client(HOST)
                .post(app.url(HOST, &path))
                .header("cookie", cookie.to_owned())
                .multipart(form)
                .send()
        };
        let mandate = post("/office/mandate-form".to_owned(), &tom).await.unwrap();
        assert_eq!(mandate.status(), StatusCode::FORBIDDEN, "{backend:?}: the printed mandate form");
        let copy = post(format!("/office/customers/{id}/my-data"), &tom).await.unwrap();
        assert_eq!(copy.status(), StatusCode::FORBIDDEN, "{backend:?}: the office's copy");
        let copy = post(format!("/office/customers/{id}/my-data"), &owner).await.unwrap();
        assert_eq!(copy.status(), StatusCode::OK, "{backend:?}: the owner's copy");
        assert_eq!(
            app.json(HOST, "mailbox/show", &[("id", &conversation)], &owner).await["row"]["id"].to_string(),
            conversation
        );
        assert!(
            app.call(HOST, "contracts/save", &saved, Some(&owner)).await.status().is_success(),
            "{backend:?}"
        );
        // Nor does its mail wait in an employee's inbox; owners still find it, closed.
        let anna_in = |inbox: &Value| {
            inbox["rows"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["customer_id"] == json!(id.parse::<i64>().unwrap()))
        };
        let all = [("filter[status]", "all")];
        assert!(!anna_in(&app.json(HOST, "mailbox/inbox", &all, &tom).await), "{backend:?}");
        assert!(anna_in(&app.json(HOST, "mailbox/inbox", &all, &owner).await), "{backend:?}");
        let active = app.json(HOST, "mailbox/inbox", &[("filter[status]", "active")], &owner).await;
        assert!(!anna_in(&active), "{backend:?}: its conversations are closed");
        let record = app.json(HOST, "customers/detail", &[("id", &id)], &owner).await;
        assert!(
            record["locked"]["at"].is_i64() && record["locked"]["erase_on"].is_null(),
            "{backend:?}: {}",
            record["locked"]
        );

        // Housekeeping keeps it while contracts run; once they ended, until the period is over.
        let now = unix_now();
        let (ok, out, err) = app.folio(&["housekeeping", "--now", &now.to_string()]);
        assert!(
            ok && out.contains("customers erased after their retention period: 0"),
            "{backend:?}: {err}{out}"
        );
        app.sql(&format!(
            "UPDATE contracts SET status = 'ended', end_date = '2025-01-31' WHERE customer_id = {id}"
        ))
        .await;
        let (ok, out, err) = app.folio(&["housekeeping", "--now", &now.to_string()]);
        assert!(
            ok && out.contains("customers erased after their retention period: 0"),
            "{backend:?}: {err}{out}"
        );
        let record = app.json(HOST, "customers/detail", &[("id", &id)], &owner).await;
        assert_eq!(record["locked"]["erase_on"], "2035-01-31", "{backend:?}");
        let later = (now + 10 * YEAR).to_string();
        let (ok, out, err) = app.folio(&["housekeeping", "--now", &later]);
        assert!(
            ok && out.contains("customers erased after their retention period: 1"),
            "{backend:?}: {err}{out}"
        );
        assert_eq!(app.columns_holding(CUSTOMER.0).await, Vec::<String>::new(), "{backend:?}");
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM customers WHERE id = {id}")).await, 0);
    }
}

#[tokio::test]
async fn the_owner_sets_the_retention_period() {
    for backend in backends() {
        let app = spawn(backend).await;
        let owner = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        assert_eq!(app.json(HOST, "erasure/retention", &[], &owner).await, json!(10), "{backend:?}");
        let bad = app.call(HOST, "erasure/set-retention", &[("years", "7")], Some(&owner)).await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}");
        let tom = employee(&app).await;
        let refused = app.call(HOST, "erasure/set-retention", &[("years", "0")], Some(&tom)).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{backend:?}");
        app.json(HOST, "erasure/set-retention", &[("years", "6")], &owner).await;
        assert_eq!(app.json(HOST, "erasure/retention", &[], &owner).await, json!(6), "{backend:?}");
        // Contracts that ended long ago no longer keep a folder.
        let id = customer_id(&app, &owner).await;
        app.sql(&format!(
            "UPDATE contracts SET status = 'ended', end_date = '2015-06-30' WHERE customer_id = {id}"
        ))
        .await;
        let preview: Value = app.json(HOST, "erasure/preview", &[("customer_id", &id)], &owner).await;
        assert_eq!(preview, json!({"plan": "EraseNow", "retention_years": 6}), "{backend:?}");
    }
}
