//! Brokers are kept apart: by host, by session, by every id a request names.

use reqwest::StatusCode;

use crate::auth::customer_user_id;
use crate::helpers::*;

#[tokio::test]
async fn health_answers_on_any_host() {
    let app = spawn(Backend::Sqlite).await;
    let res = app.get("whatever.invalid.localhost", "/healthz", None).await;
    assert_eq!(res.status(), StatusCode::OK);
    let v: serde_json::Value = res.json().await.unwrap();
    assert_eq!(v["status"], "ok");
    assert_eq!(v["database"], true);
    assert!(v["version"].is_string());
}

#[tokio::test]
async fn an_unknown_host_gets_a_neutral_404() {
    let app = spawn(Backend::Sqlite).await;
    for path in ["/", "/login", "/api/auth/login", "/pkg/site.css"] {
        let (status, page) = body(app.get("unbekannt.localhost", path, None).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(!page.contains("Sommer"), "{path}: no tenant data");
    }
}

#[tokio::test]
async fn brokers_answer_at_their_slug_and_their_own_domains() {
    for backend in backends() {
        let app = spawn(backend).await;
        let (ok, out, err) = app.folio(&[
            "broker",
            "add",
            "--slug",
            "nord",
            "--name",
            "Nordlicht Finanz",
            "--domain",
            "portal.nordlicht.localhost",
        ]);
        assert!(ok, "{err}");
        assert!(out.contains("Nordlicht Finanz"));
        for host in ["nord.localhost", "portal.nordlicht.localhost"] {
            let page = body(app.get(host, "/login", None).await).await.1;
            assert!(page.contains("Nordlicht Finanz") && !page.contains("Sommer"), "{host}");
        }
        // `localhost` is the demo broker's own domain.
        assert!(body(app.get("localhost", "/login", None).await).await.1.contains("Sommer"));
        // A domain cannot be taken from another broker.
        let (ok, _, err) = app.folio(&[
            "broker",
            "add",
            "--slug",
            "x",
            "--name",
            "X",
            "--second-factor",
            "optional",
            "--domain",
            "localhost",
        ]);
        assert!(!ok && err.contains("another broker"), "{err}");
    }
}

#[tokio::test]
async fn a_customer_of_one_broker_cannot_sign_in_or_act_at_another() {
    for backend in backends() {
        let app = spawn(backend).await;
        add_nord(&app);
        let other = "nord.localhost";

        let res =
            app.call(other, "auth/login", &[("email", CUSTOMER.0), ("password", CUSTOMER.1)], None).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

        // A session of broker A is no session at broker B.
        let staff = app.sign_in("demo.localhost", STAFF.0, STAFF.1).await;
        let res = app.get(other, "/office/customers", Some(&staff)).await;
        assert_eq!(location(&res), "/login?expired=1");
        let res = app.call(other, "customers/list", &[("query", "")], Some(&staff)).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

        // Staff of B cannot reach A's customer by id.
        let (ok, _, err) = app.folio(&[
            "staff",
            "invite",
            "--broker",
            "nord",
            "--email",
            "chef@nordlicht.example",
            "--role",
            "owner",
        ]);
        assert!(ok, "{err}");
        let token = token_of(&link_in(&app.last_mail()));
        let pw = "Nordlicht-Passwort-1";
        let set = app.set_password(other, &token, pw).await;
        let nord_staff = session_cookie(&set).expect("nord owner signed in");
        let anna = customer_user_id(&app, &staff).await;
        let res = app.call(other, "auth/send-reset", &[("user_id", &anna)], Some(&nord_staff)).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let list = app.call(other, "customers/list", &[("query", "")], Some(&nord_staff)).await;
        assert_eq!(body(list).await.1, "[]");
        let detail = app.call(other, "customers/detail", &[("id", "1")], Some(&nord_staff)).await;
        assert_eq!(detail.status(), StatusCode::NOT_FOUND);

        // A link of broker A does not work at broker B.
        let res = app.call("demo.localhost", "auth/send-reset", &[("user_id", &anna)], Some(&staff)).await;
        assert!(res.status().is_success());
        let token = token_of(&link_in(&app.last_mail()));
        let res = app.set_password(other, &token, pw).await;
        assert_eq!(res.status(), StatusCode::GONE);
    }
}
