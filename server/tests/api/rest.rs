//! The REST API for broker systems: `/api/v1` with API keys, idempotent PUTs, problem
//! documents, documents in and out, and one broker's key reaching nothing of another's.

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::*;

fn customer() -> Value {
    json!({
        "first_name": "Petra", "last_name": "Krause", "email": "petra.krause@example.com",
        "birth_date": "1979-03-02", "street": "Am Markt 3", "postal_code": "20095", "city": "Hamburg", "country": "de"
    })
}

fn contract(customer: &str) -> Value {
    json!({
        "customer_external_id": customer, "line": "hausrat", "product": "Hausratversicherung",
        "insurer": "Hanse Allgemeine", "policy_number": "HR-API-1", "status": "active",
        "premium_cents": 1234, "currency": "EUR", "interval": "monthly", "start_date": "2025-01-01"
    })
}

#[tokio::test]
async fn a_broker_system_keeps_customers_and_contracts_in_sync() {
    for backend in backends() {
        let app = spawn(backend).await;
        let key = api_key(&app, "demo");
        let k = Some(key.as_str());

        let (status, created) = send(&app, Method::PUT, "/customers/K-1001", k, Some(customer())).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        assert_eq!(created["country"], "DE");
        assert_eq!(created["external_id"], "K-1001");
        // The same PUT again changes nothing but the answer's status.
        let (status, again) = send(&app, Method::PUT, "/customers/K-1001", k, Some(customer())).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(again["first_name"], "Petra");
        let (status, got) = send(&app, Method::GET, "/customers/K-1001", k, None).await;
        assert_eq!((status, got["city"].clone()), (StatusCode::OK, json!("Hamburg")));

        // The office sees what the broker system sent.
        let staff = app.sign_in("demo.localhost", STAFF.0, STAFF.1).await;
        let found = app.json("demo.localhost", "customers/list", &[("query", "krause")], &staff).await;
        let id = found[0]["id"].to_string();
        let record = app.json("demo.localhost", "customers/detail", &[("id", &id)], &staff).await;
        assert_eq!(
            record["address"],
            json!({"street": "Am Markt 3", "postal_code": "20095", "city": "Hamburg", "country": "DE"})
        );
        assert_eq!(record["birth_date"], "1979-03-02");

        // A company needs no person's name.
        let company = json!({"company_name": "Krause Bau GmbH", "email": "info@krause-bau.example"});
        let (status, _) = send(&app, Method::PUT, "/customers/K-1002", k, Some(company)).await;
        assert_eq!(status, StatusCode::CREATED);

        // Paged by change time, with a cursor.
        let (_, page) =
            send(&app, Method::GET, "/customers?updated_since=2020-01-01T00:00:00Z&limit=1", k, None).await;
        assert_eq!(page["items"].as_array().unwrap().len(), 1);
        let cursor = page["next_cursor"].as_str().unwrap().to_owned();
        let (_, next) =
            send(&app, Method::GET, &format!("/customers?limit=1&cursor={cursor}"), k, None).await;
        assert_eq!(next["items"].as_array().unwrap().len(), 1);
        assert_ne!(next["items"][0]["external_id"], page["items"][0]["external_id"]);
        let (_, last) = send(&app, Method::GET, "/customers?updated_since=2999-01-01", k, None).await;
        assert_eq!(last["items"], json!([]));
        assert_eq!(last["next_cursor"], Value::Null);

        // Contracts name their line and product as the catalogue does.
        let (status, c) = send(&app, Method::PUT, "/contracts/V-1", k, Some(contract("K-1001"))).await;
        assert_eq!(status, StatusCode::CREATED, "{c}");
        assert_eq!(c["line"], "Hausrat");
        assert_eq!(c["product"], "Hausratversicherung");
        let mut ended = contract("K-1001");
        ended["status"] = json!("ended");
        ended["end_date"] = json!("2026-12-31");
        let (status, c) = send(&app, Method::PUT, "/contracts/V-1", k, Some(ended)).await;
        assert_eq!((status, c["status"].clone()), (StatusCode::OK, json!("ended")));
        let (_, contracts) = send(&app, Method::GET, "/customers/K-1001/contracts", k, None).await;
        assert_eq!(contracts.as_array().unwrap().len(), 1);
        let (status, _) = send(&app, Method::GET, "/contracts/V-1", k, None).await;
        assert_eq!(status, StatusCode::OK);
    }
}

#[tokio::test]
async fn bad_requests_get_problem_documents_with_every_field() {
    let app = spawn(Backend::Sqlite).await;
    let key = api_key(&app, "demo");
    let k = Some(key.as_str());

    let (status, v) = send(
        &app,
        Method::PUT,
        "/customers/K-1",
        k,
        Some(json!({"email": "kaputt", "birth_date": "1980-02-30"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> =
        v["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["first_name", "last_name", "email", "birth_date"], "{v}");

    let (status, v) = send(&app, Method::PUT, "/customers/K-1", k, Some(json!({"first_name": 5}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["errors"][0]["field"], "first_name");
    let (status, _) = send(&app, Method::PUT, "/customers/K-1", k, Some(json!({"shoe_size": 42}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // JSON sent as something else, and a body that is no JSON at all.
    for (content_type, body) in
        [("text/plain", customer().to_string()), ("application/json", "{kaputt".to_owned())]
    {
        let res = app
            .client("api.localhost")
            .put(app.url("127.0.0.1", "/api/v1/customers/K-1"))
            .header(AUTHORIZATION, format!("Bearer {key}"))
            .header(CONTENT_TYPE, content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{content_type}");
        assert_eq!(res.headers()[CONTENT_TYPE], "application/problem+json");
    }
    let (status, _) = send(&app, Method::GET, "/customers/K-1", k, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "nothing was created");
    let (status, v) = send(&app, Method::PUT, "/customers/bad%20id", k, Some(customer())).await;
    assert_eq!(
        (status, v["errors"][0]["field"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("external_id"))
    );

    let bad = json!({
        "customer_external_id": "nobody", "line": "Raumfahrt", "insurer": "", "status": "paused",
        "premium_cents": -1, "currency": "EURO", "interval": "weekly", "start_date": "gestern"
    });
    let (status, v) = send(&app, Method::PUT, "/contracts/V-9", k, Some(bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> =
        v["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(
        fields,
        [
            "customer_external_id",
            "line",
            "insurer",
            "status",
            "premium_cents",
            "currency",
            "interval",
            "start_date"
        ],
        "{v}"
    );
    let (status, v) = send(&app, Method::PUT, "/contracts/V-9", k, Some(json!({"line": "Hausrat"}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (status, _) = send(&app, Method::GET, "/customers?updated_since=neulich", k, None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // Unreadable query parameters and bodies are problem documents naming what is wrong,
    // never plain-text 400s.
    for (method, path, field) in [
        (Method::GET, "/customers?limit=abc", "limit"),
        (Method::GET, "/customers?limit=0", "limit"),
        (Method::GET, "/messages?since=gestern", "since"),
        (Method::POST, "/imports", "body"),
        (Method::POST, "/customers/K-1/documents", "body"),
    ] {
        let (status, v) = send(&app, method, path, k, Some(json!({}))).await;
        assert_eq!(
            (status, v["errors"][0]["field"].clone()),
            (StatusCode::UNPROCESSABLE_ENTITY, json!(field)),
            "{path}"
        );
    }
    let (status, v) = send(&app, Method::GET, "/nothing-here", k, None).await;
    assert_eq!((status, v["status"].clone()), (StatusCode::NOT_FOUND, json!(404)));
}

#[tokio::test]
async fn documents_go_in_and_come_out_of_the_api() {
    for backend in backends() {
        let app = spawn(backend).await;
        let key = api_key(&app, "demo");
        let k = Some(key.as_str());
        send(&app, Method::PUT, "/customers/K-1001", k, Some(customer())).await;
        send(&app, Method::PUT, "/contracts/V-1", k, Some(contract("K-1001"))).await;
        let upload =
            |path: &str, file: Option<(&'static str, Vec<u8>)>, title: &'static str, kind: &'static str| {
                let mut form = reqwest::multipart::Form::new().text("title", title).text("kind", kind);
                if let Some((name, bytes)) = file {
                    form = form.part("file", reqwest::multipart::Part::bytes(bytes).file_name(name));
                }
                app.client("api.localhost")
                    .post(app.url("127.0.0.1", &format!("/api/v1{path}")))
                    .header(AUTHORIZATION, format!("Bearer {key}"))
                    .multipart(form)
                    .send()
            };

        let res = upload(
            "/contracts/V-1/documents",
            Some(("police.pdf", tiny_pdf("Police"))),
            "Police 2026",
            "policy",
        )
        .await
        .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
        let doc: Value = res.json().await.unwrap();
        assert_eq!(doc["contract_external_id"], "V-1");
        assert_eq!(doc["customer_external_id"], "K-1001");
        assert_eq!(doc["media_type"], "application/pdf");
        let res =
            upload("/customers/K-1001/documents", Some(("brief.pdf", tiny_pdf("Brief"))), "Brief", "letter")
                .await
                .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
        let letter: Value = res.json().await.unwrap();
        assert_eq!(letter["contract_external_id"], Value::Null);

        let (status, meta) = send(&app, Method::GET, &format!("/documents/{}", doc["id"]), k, None).await;
        assert_eq!((status, meta["title"].clone()), (StatusCode::OK, json!("Police 2026")));
        let res = app
            .client("api.localhost")
            .get(app.url("127.0.0.1", &format!("/api/v1/documents/{}/content", doc["id"])))
            .header(AUTHORIZATION, format!("Bearer {key}"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.headers()[CONTENT_TYPE], "application/pdf");
        assert_eq!(res.bytes().await.unwrap().as_ref(), tiny_pdf("Police").as_slice());

        // Wrong type, missing file, unknown kind, unknown contract.
        let res = upload("/contracts/V-1/documents", Some(("x.pdf", b"GIF89a....".to_vec())), "X", "other")
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(res.json::<Value>().await.unwrap()["errors"][0]["problem"], "file_unsupported");
        let res = upload("/contracts/V-1/documents", None, "X", "other").await.unwrap();
        assert_eq!(res.json::<Value>().await.unwrap()["errors"][0]["field"], "file");
        let res =
            upload("/contracts/V-1/documents", Some(("a.pdf", tiny_pdf("a"))), "X", "Police").await.unwrap();
        assert_eq!(res.json::<Value>().await.unwrap()["errors"][0]["field"], "kind");
        let res =
            upload("/contracts/V-404/documents", Some(("a.pdf", tiny_pdf("a"))), "X", "other").await.unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        // Over 25 MB: refused at the file.
        let mut big = tiny_pdf("big");
        big.resize(25 * 1024 * 1024 + 10, b' ');
        let res = upload("/contracts/V-1/documents", Some(("big.pdf", big)), "Groß", "other").await.unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(res.json::<Value>().await.unwrap()["errors"][0]["problem"], "file_too_large");

        // Another broker's key does not reach the contract to file into.
        add_nord(&app);
        let nord = api_key(&app, "nord");
        let form = reqwest::multipart::Form::new()
            .text("title", "Fremd")
            .text("kind", "other")
            .part("file", reqwest::multipart::Part::bytes(tiny_pdf("Fremd")).file_name("fremd.pdf"));
        let res = app
            .client("api.localhost")
            .post(app.url("127.0.0.1", "/api/v1/contracts/V-1/documents"))
            .header(AUTHORIZATION, format!("Bearer {nord}"))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn without_a_key_or_with_another_brokers_key_nothing_is_reached() {
    for backend in backends() {
        let app = spawn(backend).await;
        let key = api_key(&app, "demo");
        send(&app, Method::PUT, "/customers/K-1001", Some(&key), Some(customer())).await;
        let (_, c) = send(&app, Method::PUT, "/contracts/V-1", Some(&key), Some(contract("K-1001"))).await;
        assert_eq!(c["external_id"], "V-1");
        let docs = app
            .json(
                "demo.localhost",
                "documents/mine",
                &[("kind", ""), ("query", "")],
                &app.sign_in("demo.localhost", CUSTOMER.0, CUSTOMER.1).await,
            )
            .await;
        let demo_doc = docs[0]["id"].to_string();

        for bad in [None, Some("fk_0000000000000000_nope"), Some("Basic abc"), Some(&key[..key.len() - 1])] {
            let (status, v) = send(&app, Method::GET, "/customers/K-1001", bad, None).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{bad:?}: {v}");
        }

        add_nord(&app);
        let nord = api_key(&app, "nord");
        let n = Some(nord.as_str());
        for path in [
            "/customers/K-1001",
            "/contracts/V-1",
            "/customers/K-1001/contracts",
            &format!("/documents/{demo_doc}"),
            &format!("/documents/{demo_doc}/content"),
        ] {
            let (status, _) = send(&app, Method::GET, path, n, None).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        }
        let (_, list) = send(&app, Method::GET, "/customers", n, None).await;
        assert_eq!(list["items"], json!([]));
        // B's PUT with A's ids makes B's own records; A's stay untouched.
        let (status, _) = send(
            &app,
            Method::PUT,
            "/customers/K-1001",
            n,
            Some(json!({"first_name": "Fremd", "last_name": "Fremd"})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
        let (_, mine) = send(&app, Method::GET, "/customers/K-1001", Some(&key), None).await;
        assert_eq!(mine["first_name"], "Petra");

        // The OpenAPI document describes every path.
        let (status, doc) = send(&app, Method::GET, "/openapi.json", None, None).await;
        assert_eq!(status, StatusCode::OK);
        for path in [
            "/api/v1/customers/{external_id}",
            "/api/v1/contracts/{external_id}",
            "/api/v1/contracts/{external_id}/documents",
            "/api/v1/documents/{id}/content",
        ] {
            assert!(doc["paths"][path].is_object(), "{path}");
        }
        // It says what the API does: query parameters in the query, errors as problem
        // documents, the values an enumeration takes.
        let list = &doc["paths"]["/api/v1/customers"]["get"];
        let limit = list["parameters"].as_array().unwrap().iter().find(|p| p["name"] == "limit").unwrap();
        assert_eq!((limit["in"].clone(), limit["schema"]["maximum"].clone()), (json!("query"), json!(500)));
        assert!(list["responses"]["401"]["content"]["application/problem+json"].is_object(), "{list}");
        assert_eq!(doc["components"]["schemas"]["ContractStatus"]["enum"], json!(["active", "ended"]));
    }
}

/// The names the office's customer search answers with.
async fn search(app: &TestApp, staff: &str, host: &str, query: &str) -> Vec<String> {
    let found = app.json(host, "customers/list", &[("query", query)], staff).await;
    found.as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn the_office_finds_customers_by_any_part_of_a_name_in_any_case_and_only_its_own() {
    for backend in backends() {
        let app = spawn(backend).await;
        let key = api_key(&app, "demo");
        let k = Some(key.as_str());
        for (id, body) in [
            ("K-2001", json!({"first_name": "Hans", "last_name": "Müller", "email": "hm@example.com"})),
            ("K-2002", json!({"company_name": "Praxis der Ärzte am Markt", "email": "praxis@example.com"})),
            ("K-2003", json!({"first_name": "Li", "last_name": "Wu"})),
        ] {
            let (status, answer) = send(&app, Method::PUT, &format!("/customers/{id}"), k, Some(body)).await;
            assert_eq!(status, StatusCode::CREATED, "{answer}");
        }
        let mut policy = contract("K-2001");
        policy["policy_number"] = json!("XY-998877");
        let (status, answer) = send(&app, Method::PUT, "/contracts/C-2001", k, Some(policy)).await;
        assert_eq!(status, StatusCode::CREATED, "{answer}");

        let host = "demo.localhost";
        let staff = app.sign_in(host, STAFF.0, STAFF.1).await;
        for query in ["müller", "MÜLLER", "Müller", "ülle", "hans müller", "MÜLLER  Hans", "998877", "xy-99"]
        {
            assert_eq!(search(&app, &staff, host, query).await, ["Müller, Hans"], "{query}");
        }
        let company = search(&app, &staff, host, "ärzte").await;
        assert_eq!(company.len(), 1, "{company:?}");
        assert!(company[0].contains("Ärzte"), "{company:?}");
        assert_eq!(search(&app, &staff, host, "li wu").await, ["Wu, Li"]);
        assert!(search(&app, &staff, host, "müller schneider").await.is_empty());
        assert!(search(&app, &staff, host, "%").await.len() > 3, "a % is no pattern: everyone");

        // A new name is found at once, the old one no more.
        let renamed = json!({"first_name": "Hans", "last_name": "Maier", "email": "hm@example.com"});
        let (status, _) = send(&app, Method::PUT, "/customers/K-2001", k, Some(renamed)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(search(&app, &staff, host, "müller").await.is_empty());
        assert_eq!(search(&app, &staff, host, "MAIER").await, ["Maier, Hans"]);

        // Another broker's office finds none of it.
        let nord = other_broker_staff(&app).await;
        for query in ["maier", "ärzte", "998877", "li"] {
            assert!(search(&app, &nord, "nord.localhost", query).await.is_empty(), "{query}");
        }
    }
}

#[tokio::test]
async fn a_line_break_in_a_one_line_field_is_refused_naming_the_field() {
    let app = spawn(Backend::Sqlite).await;
    let key = api_key(&app, "demo");
    let k = Some(key.as_str());
    let injected = json!({ "first_name": "Petra", "last_name": "Krause\r\nBcc: eve@evil.example" });
    let (status, problem) = send(&app, Method::PUT, "/customers/K-CRLF", k, Some(injected)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert!(
        problem.to_string().contains("last_name") && problem.to_string().contains("line_break"),
        "{problem}"
    );
    assert_eq!(send(&app, Method::GET, "/customers/K-CRLF", k, None).await.0, StatusCode::NOT_FOUND);
    // A contract's description may have several lines.
    let (status, _) = send(&app, Method::PUT, "/customers/K-CRLF", k, Some(customer())).await;
    assert_eq!(status, StatusCode::CREATED);
    let mut with_lines = contract("K-CRLF");
    with_lines["description"] = json!("Zeile eins\nZeile zwei");
    let (status, saved) = send(&app, Method::PUT, "/contracts/HR-CRLF", k, Some(with_lines)).await;
    assert!(status.is_success(), "{saved}");
}
