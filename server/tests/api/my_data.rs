//! "Meine Daten" (Art. 15): a person downloads everything stored about them as a ZIP with a
//! report and JSON, each datum with its origin; the office and broker systems make the same
//! copy for a customer; nobody else gets one.

use std::io::Read;

use reqwest::header::{ACCEPT, COOKIE};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::auth::customer_id;
use crate::helpers::*;

const HOST: &str = "demo.localhost";

/// Posts the profile's or the office's download form.
async fn download(app: &TestApp, host: &str, path: &str, cookie: Option<&str>) -> reqwest::Response {
    let mut req = app.client(host).post(app.url(host, path)).header(ACCEPT, "text/html");
    if let Some(c) = cookie {
        req = req.header(COOKIE, c);
    }
    req.send().await.unwrap()
}

/// The files of a ZIP by name.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a whole ZIP");
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut content = Vec::new();
            file.read_to_end(&mut content).unwrap();
            (file.name().to_owned(), content)
        })
        .collect()
}

fn file<'a>(files: &'a [(String, Vec<u8>)], name: &str) -> &'a [u8] {
    &files.iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("{name} in the ZIP")).1
}

#[tokio::test]
async fn a_person_downloads_their_data_with_its_origins_and_nobody_else_gets_it() {
    for backend in backends() {
        let app = spawn(backend).await;
        let staff = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        // Signed in from Firefox on Linux: the session keeps that much of the browser, no more.
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
        let res = app
            .client(HOST)
            .post(app.url(HOST, "/api/auth/login"))
            .header(ACCEPT, "application/json")
            .header("user-agent", firefox)
            .form(&[("email", CUSTOMER.0), ("password", CUSTOMER.1)])
            .send()
            .await
            .unwrap();
        let anna = session_cookie(&res).expect("signed in");
        let anna_id = customer_id(&app, &staff).await;

        // Data from every origin: a broker system, staff, the customer, a change request.
        let key = api_key(&app, "demo");
        let contract = json!({
            "customer_external_id": "demo-anna", "line": "hausrat", "product": "Hausratversicherung",
            "insurer": "Hanse Allgemeine", "policy_number": "HR-EXPORT-1", "status": "active",
            "premium_cents": 1234, "currency": "EUR", "interval": "monthly", "start_date": "2025-01-01"
        });
        let (status, answer) =
            send(&app, Method::PUT, "/contracts/V-EXPORT", Some(&key), Some(contract)).await;
        assert_eq!(status, StatusCode::CREATED, "{backend:?}: {answer}");
        let fields = [("customer_id", anna_id.as_str()), ("title", "Police Export 2027"), ("kind", "policy")];
        let res =
            app.upload(HOST, Some(&staff), &fields, Some(("police.pdf", tiny_pdf("Police Export")))).await;
        assert_eq!(res.status(), StatusCode::CREATED, "{backend:?}");
        let res = app.upload(HOST, Some(&anna), &[], Some(("beleg.pdf", tiny_pdf("Beleg von Anna")))).await;
        assert_eq!(res.status(), StatusCode::CREATED, "{backend:?}");
        // The new address's confirmation goes along as an attachment.
        let res = app
            .upload(
                HOST,
                Some(&anna),
                &[("for_message", "1")],
                Some(("meldung.pdf", tiny_pdf("Meldebestaetigung"))),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED, "{backend:?}");
        let attachment = res.json::<Value>().await.unwrap()["id"].to_string();
        let compose = [
            ("compose[topic]", "address"),
            ("compose[body]", "Wir sind umgezogen <b>endlich</b>."),
            ("compose[attachments]", attachment.as_str()),
            ("compose[street]", "Exportweg 7"),
            ("compose[postal_code]", "80469"),
            ("compose[city]", "München"),
            ("compose[valid_from]", "2026-12-01"),
        ];
        let started = app.call(HOST, "mailbox/start", &compose, Some(&anna)).await;
        let (status, conversation) = body(started).await;
        assert!(status.is_success(), "{backend:?}: {status} {conversation}");
        let conversation = conversation.trim().to_owned();
        let change = [
            ("id", conversation.as_str()),
            ("change[topic]", "address"),
            ("change[street]", "Exportweg 7"),
            ("change[postal_code]", "80469"),
            ("change[city]", "München"),
            ("change[valid_from]", "2026-12-01"),
        ];
        app.json(HOST, "mailbox/apply", &change, &staff).await;

        // Anna's copy: a ZIP with the report, the JSON and the files.
        let res = download(&app, HOST, "/app/profile/my-data", Some(&anna)).await;
        assert_eq!(res.status(), StatusCode::OK, "{backend:?}");
        assert_eq!(res.headers()["content-type"], "application/zip");
        let disposition = res.headers()["content-disposition"].to_str().unwrap().to_owned();
        assert!(disposition.starts_with("attachment; filename=\"meine-daten-"), "{disposition}");
        let files = unzip(&res.bytes().await.unwrap());
        let data: Value = serde_json::from_slice(file(&files, "data.json")).unwrap();
        let report = String::from_utf8(file(&files, "report.html").to_vec()).unwrap();

        assert_eq!(data["account"]["email"], CUSTOMER.0, "{backend:?}");
        assert_eq!(data["contact"]["street"], "Exportweg 7", "{backend:?}");
        assert_eq!(data["contact"]["changed"]["kind"], "change_request", "{backend:?}: {}", data["contact"]);
        assert_eq!(data["contact"]["changed"]["conversation"].to_string(), conversation);
        assert_eq!(data["contact"]["origin"]["kind"], "system", "{backend:?}: the demo made the folder");
        let from_api =
            data["contracts"].as_array().unwrap().iter().find(|c| c["policy_number"] == "HR-EXPORT-1");
        let from_api = from_api.unwrap_or_else(|| panic!("{backend:?}: {}", data["contracts"]));
        assert_eq!(from_api["origin"]["kind"], "api_key", "{backend:?}");
        let documents = data["documents"].as_array().unwrap();
        let police = documents.iter().find(|d| d["title"] == "Police Export 2027").unwrap();
        assert_eq!(
            (police["origin"]["kind"].as_str(), police["origin"]["by"].as_str()),
            (Some("staff"), Some("Jana Sommer"))
        );
        let beleg = documents.iter().find(|d| d["origin"]["kind"] == "customer").unwrap();
        let beleg_file = beleg["file"].as_str().unwrap();
        assert!(String::from_utf8_lossy(file(&files, beleg_file)).contains("Beleg von Anna"), "{backend:?}");
        assert!(
            String::from_utf8_lossy(file(&files, police["file"].as_str().unwrap())).contains("Police Export")
        );
        let asked = data["conversations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == json!(conversation.parse::<i64>().unwrap()));
        let asked = asked.unwrap_or_else(|| panic!("{backend:?}: {}", data["conversations"]));
        assert_eq!(asked["messages"][0]["body"], "Wir sind umgezogen <b>endlich</b>.");
        let attached =
            asked["messages"][0]["attachments"][0].as_str().unwrap_or_else(|| panic!("{backend:?}: {asked}"));
        assert!(String::from_utf8_lossy(file(&files, attached)).contains("Meldebestaetigung"), "{backend:?}");
        assert_eq!(asked["applied_by"], "Jana Sommer");
        assert_eq!(data["sessions"][0]["device"], "Firefox · Linux", "{backend:?}: {}", data["sessions"]);
        assert!(!data.to_string().contains("Gecko/20100101"), "{backend:?}: never the user agent itself");
        assert!(data["trail"].as_array().unwrap().iter().any(|e| e["action_code"] == "change.applied"));
        // The report says the same in German, with every text escaped.
        assert!(report.starts_with("<!DOCTYPE html><html lang=\"de\">"), "{backend:?}");
        for text in [
            "Ihre Daten bei",
            "Exportweg 7",
            "aus Ihrem Änderungsauftrag vom",
            "erfasst von Jana Sommer",
            "Schnittstelle",
            "von Ihnen eingegeben",
            "Wir sind umgezogen &lt;b&gt;endlich&lt;/b&gt;.",
        ] {
            assert!(report.contains(text), "{backend:?}: {text} missing from the report");
        }
        assert!(!report.contains("<b>endlich"), "{backend:?}");
        // Making the copy is in the trail.
        let record = app.json(HOST, "customers/detail", &[("id", &anna_id)], &staff).await;
        assert!(record["audit"].to_string().contains("data.exported"), "{backend:?}");

        // The office's copy of Anna's folder, and the broker system's, hold the same.
        let res = download(&app, HOST, &format!("/office/customers/{anna_id}/my-data"), Some(&staff)).await;
        assert_eq!(res.status(), StatusCode::OK, "{backend:?}");
        let office = unzip(&res.bytes().await.unwrap());
        let office_data: Value = serde_json::from_slice(file(&office, "data.json")).unwrap();
        assert_eq!(office_data["contact"], data["contact"], "{backend:?}");
        assert_eq!(office_data["account"]["email"], CUSTOMER.0, "{backend:?}");
        let res = app
            .client("api.localhost")
            .get(app.url("127.0.0.1", "/api/v1/customers/demo-anna/export"))
            .header("authorization", format!("Bearer {key}"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{backend:?}");
        let api = unzip(&res.bytes().await.unwrap());
        let api_data: Value = serde_json::from_slice(file(&api, "data.json")).unwrap();
        assert_eq!(api_data["contracts"], office_data["contracts"], "{backend:?}");

        // Nobody else: not signed in, staff on the customer's route, a customer on the office's,
        // another broker, another broker's key, an unknown customer.
        let res = download(&app, HOST, "/app/profile/my-data", None).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{backend:?}");
        let res = download(&app, HOST, "/app/profile/my-data", Some(&staff)).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{backend:?}");
        let res = download(&app, HOST, &format!("/office/customers/{anna_id}/my-data"), Some(&anna)).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{backend:?}");
        let nord = other_broker_staff(&app).await;
        let res =
            download(&app, "nord.localhost", &format!("/office/customers/{anna_id}/my-data"), Some(&nord))
                .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{backend:?}");
        let nord_key = api_key(&app, "nord");
        let (status, _) = send(&app, Method::GET, "/customers/demo-anna/export", Some(&nord_key), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{backend:?}");
        let (status, _) = send(&app, Method::GET, "/customers/demo-anna/export", None, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{backend:?}");
        // Anna's session is for demo.localhost only.
        let res = download(&app, "nord.localhost", "/app/profile/my-data", Some(&anna)).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{backend:?}");
    }
}

#[tokio::test]
async fn a_person_with_a_grant_gets_their_account_but_not_the_folder_they_see() {
    for backend in backends() {
        let app = spawn(backend).await;
        // Sabine keeps the books of Thomas's company on a grant (demo data) and has no folder.
        let sabine = app.sign_in(HOST, "sabine.koch@example.com", "Demo-Buchhaltung-2026!").await;
        let res = download(&app, HOST, "/app/profile/my-data", Some(&sabine)).await;
        assert_eq!(res.status(), StatusCode::OK, "{backend:?}");
        let files = unzip(&res.bytes().await.unwrap());
        let data: Value = serde_json::from_slice(file(&files, "data.json")).unwrap();
        assert_eq!(data["account"]["email"], "sabine.koch@example.com", "{backend:?}");
        assert_eq!(data["contact"], Value::Null, "{backend:?}: the company's record is not hers");
        assert_eq!(data["contracts"], json!([]), "{backend:?}");
        assert!(!data["grants_used"].as_array().unwrap().is_empty(), "{backend:?}: {}", data["grants_used"]);
    }
}

#[tokio::test]
async fn a_person_with_a_grant_gets_what_they_wrote_in_the_folder_they_see_with_its_files() {
    for backend in backends() {
        let app = spawn(backend).await;
        // Thomas represents Berger Haustechnik GmbH on a grant (demo data) and has no folder of
        // his own. He asks the office something in the company's folder, with a file.
        let thomas = app.sign_in(HOST, "thomas.berger@example.com", "Demo-Firma-2026!").await;
        let res = app
            .upload(
                HOST,
                Some(&thomas),
                &[("for_message", "1")],
                Some(("angebot.pdf", tiny_pdf("Angebot Dach"))),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED, "{backend:?}");
        let attachment = res.json::<Value>().await.unwrap()["id"].to_string();
        let compose = [
            ("compose[topic]", "question"),
            ("compose[body]", "Deckt die Betriebshaftpflicht Arbeiten auf dem Dach?"),
            ("compose[attachments]", attachment.as_str()),
        ];
        let (status, text) = body(app.call(HOST, "mailbox/start", &compose, Some(&thomas)).await).await;
        assert!(status.is_success(), "{backend:?}: {status} {text}");

        let res = download(&app, HOST, "/app/profile/my-data", Some(&thomas)).await;
        assert_eq!(res.status(), StatusCode::OK, "{backend:?}");
        let files = unzip(&res.bytes().await.unwrap());
        let data: Value = serde_json::from_slice(file(&files, "data.json")).unwrap();
        assert_eq!(data["contact"], Value::Null, "{backend:?}: the company's record is not his");
        let conversations = data["conversations"].as_array().unwrap();
        assert_eq!(conversations.len(), 1, "{backend:?}: only what he started: {conversations:?}");
        let message = &conversations[0]["messages"][0];
        assert_eq!(message["body"], "Deckt die Betriebshaftpflicht Arbeiten auf dem Dach?");
        let attached = message["attachments"][0].as_str().unwrap_or_else(|| panic!("{backend:?}: {message}"));
        assert!(String::from_utf8_lossy(file(&files, attached)).contains("Angebot Dach"), "{backend:?}");
        assert_eq!(
            data["documents"].as_array().unwrap().len(),
            1,
            "{backend:?}: no other file of the company"
        );
    }
}
