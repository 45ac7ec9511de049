//! Imports of portfolio files: the office's preview, confirm and report; the same file again
//! changing nothing; a newer file updating and ending contracts; a broken file named by line
//! and field; the REST API and the CLI; and nobody outside the broker's office reaching any
//! of it.

use gdv::corpus::{ContractSpec, CustomerSpec, File};
use gdv::{ContractStatus, Date, Interval, Salutation};
use reqwest::header::{ACCEPT, AUTHORIZATION, COOKIE};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::*;

#[allow(clippy::unnecessary_wraps)]
fn date(year: u16, month: u8, day: u8) -> Option<Date> {
    Some(Date { year, month, day })
}

/// Two customers with three contracts from one insurer; `later` is the next year's file: one
/// contract ended, one premium raised.
fn gdv_file(later: bool) -> Vec<u8> {
    let mut file = File::new("09999");
    file.customer(CustomerSpec {
        number: "GDV-1".to_owned(),
        salutation: Salutation::Mrs,
        last_name: "Müller".to_owned(),
        first_name: "Käthe".to_owned(),
        birth_date: date(1961, 4, 12),
        street: "Rosenweg 4".to_owned(),
        postal_code: "80331".to_owned(),
        city: "München".to_owned(),
        email: "kaethe@example.org".to_owned(),
        phone: String::new(),
    });
    file.contract(ContractSpec {
        policy_number: "PHV-100".to_owned(),
        sparte: "040".to_owned(),
        begin: date(2020, 1, 1),
        interval: Interval::Yearly,
        premium_cents: if later { 9_900 } else { 8_900 },
        ..ContractSpec::default()
    });
    file.contract(ContractSpec {
        policy_number: "HR-200".to_owned(),
        sparte: "130".to_owned(),
        status: if later { ContractStatus::Ended } else { ContractStatus::Running },
        begin: date(2019, 7, 1),
        end: if later { date(2026, 7, 1) } else { None },
        interval: Interval::Monthly,
        premium_cents: 1_250,
        sum_insured_cents: Some(6_500_000),
        ..ContractSpec::default()
    });
    file.customer(CustomerSpec {
        number: "GDV-2".to_owned(),
        salutation: Salutation::Mr,
        last_name: "Özdemir".to_owned(),
        first_name: "Can".to_owned(),
        birth_date: date(1990, 12, 24),
        street: "Hafenstraße 1".to_owned(),
        postal_code: "20457".to_owned(),
        city: "Hamburg".to_owned(),
        ..CustomerSpec::default()
    });
    file.contract(ContractSpec {
        policy_number: "KFZ-300".to_owned(),
        sparte: "051".to_owned(),
        begin: date(2024, 3, 1),
        interval: Interval::Quarterly,
        premium_cents: 15_000,
        insured: Some("HH-CO 123".to_owned()),
        ..ContractSpec::default()
    });
    file.finish()
}

async fn preview(app: &TestApp, cookie: &str, name: &str, bytes: Vec<u8>) -> (StatusCode, Value) {
    let form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()));
    let res = app
        .client("demo.localhost")
        .post(app.url("demo.localhost", "/office/imports"))
        .header(ACCEPT, "application/json")
        .header(COOKIE, cookie)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

/// Confirms a previewed import and waits for its end; returns its final report.
async fn confirm(app: &TestApp, cookie: &str, id: &Value) -> Value {
    let id = id.to_string();
    app.json("demo.localhost", "imports/confirm", &[("id", &id)], cookie).await;
    for _ in 0..200 {
        let status = app.json("demo.localhost", "imports/follow", &[("id", &id)], cookie).await;
        if status["report"]["state"] != "running" {
            return status["report"].clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("import {id} did not end");
}

fn counts(r: &Value) -> [u64; 7] {
    [
        "customers_new",
        "customers_updated",
        "customers_unchanged",
        "contracts_new",
        "contracts_changed",
        "contracts_ended",
        "contracts_unchanged",
    ]
    .map(|k| r[k].as_u64().unwrap_or_else(|| panic!("{k} in {r}")))
}

#[tokio::test]
async fn the_office_previews_imports_and_reimports_a_gdv_file() {
    for backend in backends() {
        let app = spawn(backend).await;
        let staff = app.sign_in("demo.localhost", STAFF.0, STAFF.1).await;
        let customers_before = app.count("SELECT COUNT(*) FROM customers").await;

        // The preview writes nothing.
        let (status, report) = preview(&app, &staff, "bestand-2025.gdv", gdv_file(false)).await;
        assert_eq!(status, StatusCode::CREATED, "{report}");
        assert_eq!(counts(&report), [2, 0, 0, 3, 0, 0, 0], "{report}");
        assert_eq!(report["new_with_email"], 1);
        assert_eq!(report["new_customers"][0]["text"], "Käthe Müller");
        assert_eq!(app.count("SELECT COUNT(*) FROM customers").await, customers_before);

        let done = confirm(&app, &staff, &report["id"]).await;
        assert_eq!(done["state"], "done", "{done}");
        assert_eq!(app.count("SELECT COUNT(*) FROM customers").await, customers_before + 2);
        let key = api_key(&app, "demo");
        let (status, kaethe) = send(&app, Method::GET, "/customers/GDV-1", Some(&key), None).await;
        assert_eq!(status, StatusCode::OK, "{kaethe}");
        assert_eq!(
            (kaethe["last_name"].as_str(), kaethe["city"].as_str()),
            (Some("Müller"), Some("München"))
        );
        assert_eq!(kaethe["birth_date"], "1961-04-12");
        let (_, contracts) = send(&app, Method::GET, "/customers/GDV-1/contracts", Some(&key), None).await;
        let lines: Vec<&str> =
            contracts.as_array().unwrap().iter().map(|c| c["line"].as_str().unwrap()).collect();
        assert_eq!(lines, ["Haftpflicht", "Hausrat"], "{contracts}");
        assert_eq!(contracts[0]["premium_cents"], 8_900);
        assert_eq!(contracts[0]["product"], "Privathaftpflicht");
        assert_eq!(contracts[1]["interval"], "monthly");
        // Nobody was mailed: inviting is a deliberate step.
        assert_eq!(app.mail_count(), 0);

        // The same file again changes nothing.
        let (_, again) = preview(&app, &staff, "bestand-2025.gdv", gdv_file(false)).await;
        assert_eq!(counts(&again), [0, 0, 2, 0, 0, 0, 3], "{again}");

        // Next year's file: one premium raised, one contract ended.
        let (_, newer) = preview(&app, &staff, "bestand-2026.gdv", gdv_file(true)).await;
        assert_eq!(counts(&newer), [0, 0, 2, 0, 1, 1, 1], "{newer}");
        assert_eq!(
            newer["ended_contracts"][0]["text"].as_str().unwrap().split(' ').next_back(),
            Some("HR-200")
        );
        let done = confirm(&app, &staff, &newer["id"]).await;
        assert_eq!(done["state"], "done");
        let (_, contracts) = send(&app, Method::GET, "/customers/GDV-1/contracts", Some(&key), None).await;
        assert_eq!(contracts[0]["premium_cents"], 9_900);
        assert_eq!(
            (contracts[1]["status"].as_str(), contracts[1]["end_date"].as_str()),
            (Some("ended"), Some("2026-07-01"))
        );

        // One click invites the new customers with an address (one here); then none are left.
        let first = app.json("demo.localhost", "imports/list", &[], &staff).await;
        let first_id = first.as_array().unwrap().last().unwrap()["report"]["id"].to_string();
        let invited = app.json("demo.localhost", "imports/invite", &[("id", &first_id)], &staff).await;
        assert_eq!(invited, 1);
        assert!(app.last_mail().contains("kaethe@example.org"));
        let invited = app.json("demo.localhost", "imports/invite", &[("id", &first_id)], &staff).await;
        assert_eq!(invited, 0);

        // The customer's copy of their data says where the record came from.
        let origin: String = {
            let pool = app.pool().await;
            let o = sqlx::query_scalar("SELECT created_by FROM customers WHERE external_id = 'GDV-1'")
                .fetch_one(&pool)
                .await
                .unwrap();
            pool.close().await;
            o
        };
        assert_eq!(origin, format!("import:{first_id}"));

        // A broken file: its line and field, and nothing can be confirmed.
        let mut broken = gdv_file(false);
        let second_line = broken.iter().position(|b| *b == b'\n').unwrap() + 1;
        // Geburtsdatum of the first address (0100, columns 226 to 233 of its first record).
        broken[second_line + 225..second_line + 233].copy_from_slice(b"31022024");
        let (status, bad) = preview(&app, &staff, "kaputt.gdv", broken).await;
        assert_eq!(status, StatusCode::CREATED, "{bad}");
        assert_eq!(bad["errors"][0]["line"], 2, "{bad}");
        assert_eq!(bad["errors"][0]["field"], "Geburtsdatum", "{bad}");
        let refused = app
            .call("demo.localhost", "imports/confirm", &[("id", &bad["id"].to_string())], Some(&staff))
            .await;
        let code = refused.status();
        assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.text().await.unwrap());
        let after =
            app.json("demo.localhost", "imports/follow", &[("id", &bad["id"].to_string())], &staff).await;
        assert_eq!(after["report"]["state"], "failed", "{after}");
        assert_eq!(app.count("SELECT COUNT(*) FROM customers").await, customers_before + 2);

        // A customer, and another broker's office, reach none of it.
        let customer = app.sign_in("demo.localhost", CUSTOMER.0, CUSTOMER.1).await;
        let (status, _) = preview(&app, &customer, "x.gdv", gdv_file(false)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let res = app.call("demo.localhost", "imports/follow", &[("id", &first_id)], Some(&customer)).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let nord = other_broker_staff(&app).await;
        let res = app.call("nord.localhost", "imports/follow", &[("id", &first_id)], Some(&nord)).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let res = app
            .call("nord.localhost", "imports/confirm", &[("id", &newer["id"].to_string())], Some(&nord))
            .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let list = app.json("nord.localhost", "imports/list", &[], &nord).await;
        assert_eq!(list, Value::Array(Vec::new()));
        let res = app
            .client("nord.localhost")
            .get(app.url("nord.localhost", &format!("/office/imports/{first_id}/report.txt")))
            .header(COOKIE, &nord)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let res = app
            .client("demo.localhost")
            .get(app.url("demo.localhost", &format!("/office/imports/{first_id}/report.txt")))
            .header(COOKIE, &staff)
            .send()
            .await
            .unwrap();
        let report = res.text().await.unwrap();
        assert!(report.contains("Neue Kunden: 2"), "{report}");

        // The mappings are the broker's own: staff name a VU number, a bad code is refused
        // naming the field, a customer cannot change them, another broker neither sees nor
        // changes them.
        let named = |list: &Value, code: &str| {
            list.as_array()
                .unwrap()
                .iter()
                .find(|m| m["kind"] == "insurer" && m["code"] == code)
                .map(|m| m["value"].clone())
        };
        let set = [("kind", "insurer"), ("code", "9001"), ("value", "Hanse Allgemeine Versicherung AG")];
        assert_eq!(
            app.call("demo.localhost", "imports/set-mapping", &set, Some(&staff)).await.status(),
            StatusCode::OK
        );
        let mine = app.json("demo.localhost", "imports/mappings", &[], &staff).await;
        assert_eq!(named(&mine, "9001"), Some(json!("Hanse Allgemeine Versicherung AG")));
        let bad = [("kind", "insurer"), ("code", "VU-1"), ("value", "x")];
        let res = app.call("demo.localhost", "imports/set-mapping", &bad, Some(&staff)).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.text().await.unwrap().contains("code"));
        let theirs = [("kind", "insurer"), ("code", "9001"), ("value", "Fremd")];
        let res = app.call("demo.localhost", "imports/set-mapping", &theirs, Some(&customer)).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert_eq!(named(&app.json("nord.localhost", "imports/mappings", &[], &nord).await, "9001"), None);
        app.call("nord.localhost", "imports/set-mapping", &theirs, Some(&nord)).await;
        let mine = app.json("demo.localhost", "imports/mappings", &[], &staff).await;
        assert_eq!(named(&mine, "9001"), Some(json!("Hanse Allgemeine Versicherung AG")));
    }
}

const CSV: &str = "Kundennummer;Vorname;Nachname;Geburtsdatum;E-Mail;Versicherer;Sparte;Produkt;Versicherungsschein-Nr;Beitrag;Zahlweise;Beginn;Ablauf\n\
K-77;Jörg;Weiß;03.05.1977;;Hanse Allgemeine;Rechtsschutz;Privatrechtsschutz;RS-77;21,50;monatlich;01.02.2023;\n\
K-77;Jörg;Weiß;03.05.1977;;Hanse Allgemeine;Sternenflug;;XX-1;1;jährlich;;\n\
K-78;Ida;;01.01.1980;;Hanse Allgemeine;Hausrat;;HR-78;5;jährlich;;\n";

async fn post_import(
    app: &TestApp,
    key: Option<&str>,
    fields: &[(&str, &str)],
    file: &[u8],
) -> (StatusCode, Value) {
    let mut form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(file.to_vec()).file_name("bestand.csv"));
    for (name, value) in fields {
        form = form.text((*name).to_owned(), (*value).to_owned());
    }
    let mut req = app.client("api.localhost").post(app.url("127.0.0.1", "/api/v1/imports")).multipart(form);
    if let Some(key) = key {
        req = req.header(AUTHORIZATION, format!("Bearer {key}"));
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

#[tokio::test]
async fn broker_systems_import_csv_through_the_api_and_the_cli() {
    for backend in backends() {
        let app = spawn(backend).await;
        let key = api_key(&app, "demo");
        let k = Some(key.as_str());
        let before = app.count("SELECT COUNT(*) FROM contracts").await;

        let (status, dry) =
            post_import(&app, k, &[("format", "csv"), ("dry_run", "true")], CSV.as_bytes()).await;
        assert_eq!(status, StatusCode::OK, "{dry}");
        assert_eq!(
            (dry["state"].as_str(), dry["customers_new"].as_u64(), dry["contracts_new"].as_u64()),
            (Some("previewed"), Some(1), Some(1))
        );
        let skipped: Vec<(u64, &str)> = dry["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s["line"].as_u64().unwrap(), s["reason"].as_str().unwrap()))
            .collect();
        assert_eq!(skipped, [(3, "unknown_line"), (4, "invalid"), (4, "customer_skipped")], "{dry}");
        assert_eq!(app.count("SELECT COUNT(*) FROM contracts").await, before);

        let (status, done) = post_import(&app, k, &[("format", "csv")], CSV.as_bytes()).await;
        assert_eq!((status, done["state"].as_str()), (StatusCode::OK, Some("done")), "{done}");
        let (_, contracts) = send(&app, Method::GET, "/customers/K-77/contracts", k, None).await;
        assert_eq!(contracts[0]["premium_cents"], 2_150, "{contracts}");
        assert_eq!(contracts[0]["product"], "Privatrechtsschutz");

        // A file that cannot be read: 422 with its line and field; nothing written.
        let broken = b"0001Kaputt\n";
        let (status, bad) = post_import(&app, k, &[("format", "gdv")], broken).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(
            (bad["errors"][0]["line"].as_u64(), bad["errors"][0]["field"].as_str()),
            (Some(2), Some("Satzart")),
            "{bad}"
        );
        let (status, bad) = post_import(&app, k, &[("format", "xls")], CSV.as_bytes()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(bad["errors"][0]["field"], "format");

        // Without a key, or with another broker's, nothing of it is reached.
        let (status, _) = post_import(&app, None, &[("format", "csv")], CSV.as_bytes()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        add_nord(&app);
        let nord = api_key(&app, "nord");
        let (status, _) = send(&app, Method::GET, "/customers/K-77", Some(&nord), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // The CLI: the same report, as JSON too; a broken file fails naming its line.
        let path = app.dir.path().join("bestand.csv");
        std::fs::write(&path, CSV).unwrap();
        let file = path.to_str().unwrap();
        let (ok, out, err) = app.folio(&["import", "csv", file, "--broker", "demo", "--dry-run", "--json"]);
        assert!(ok, "{err}");
        let report: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            (report["customers_unchanged"].as_u64(), report["contracts_unchanged"].as_u64()),
            (Some(1), Some(1)),
            "{out}"
        );
        let (ok, out, err) = app.folio(&["import", "csv", file, "--broker", "nord"]);
        assert!(ok, "{err}");
        assert!(out.contains("New customers: 1"), "{out}");
        let gdv_path = app.dir.path().join("kaputt.gdv");
        let mut broken = gdv_file(false);
        let second_line = broken.iter().position(|b| *b == b'\n').unwrap() + 1;
        broken[second_line + 225..second_line + 233].copy_from_slice(b"15132020");
        std::fs::write(&gdv_path, broken).unwrap();
        let (ok, _, err) = app.folio(&["import", "gdv", gdv_path.to_str().unwrap(), "--broker", "demo"]);
        assert!(!ok);
        assert!(err.contains("line 2, column 226 (Geburtsdatum)"), "{err}");
    }
}
