//! The customer folder: contracts and documents as the customer and the office see them,
//! uploads and downloads over HTTP, and that nobody else reaches any of it.

use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS};
use reqwest::StatusCode;
use serde_json::Value;

use crate::auth::customer_id;
use crate::helpers::*;

const HOST: &str = "demo.localhost";

/// Signs in a second customer of the demo broker (invited by the office).
async fn second_customer(app: &TestApp, staff: &str) -> String {
    let form = [("first_name", "Bernd"), ("last_name", "Neu"), ("email", "bernd.neu@example.com")];
    let res = app.call(HOST, "customers/invite", &form, Some(staff)).await;
    assert!(res.status().is_success(), "{}", res.status());
    let token = token_of(&link_in(&app.last_mail()));
    session_cookie(&app.set_password(HOST, &token, "Bernd-Passwort-2026").await).expect("signed in")
}

fn ids(list: &Value) -> Vec<i64> {
    list.as_array().unwrap().iter().map(|v| v["id"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn the_customer_sees_the_household_grouped_by_line_with_what_it_costs() {
    for backend in backends() {
        let app = spawn(backend).await;
        let anna = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
        let contracts = app.json(HOST, "contracts/mine", &[], &anna).await;
        let all = contracts.as_array().unwrap();
        assert_eq!(all.len(), 15);
        assert_eq!(all.iter().filter(|c| c["status"] == "ended").count(), 2);
        // In the catalogue's order: liability first, survivors' cover last.
        assert_eq!(all[0]["line"], "Haftpflicht");
        assert_eq!(all[0]["product"], "Privathaftpflicht");
        assert_eq!(all[0]["premium_cents"], 690);
        assert_eq!(all[0]["interval"], "monthly");

        let (status, page) = body(app.get(HOST, "/app", Some(&anna)).await).await;
        assert_eq!(status, StatusCode::OK);
        // 13 running contracts cost 5.118,00 € a year, 426,50 € a month.
        assert!(page.contains("426,50 €") && page.contains("5.118,00 €"), "{page}");
        assert!(page.contains("Beendete Verträge (2)"));
        for line in ["Haftpflicht", "Hausrat", "KFZ", "Hinterbliebenenvorsorge"] {
            assert!(page.contains(line), "{line}");
        }
        assert!(page.find("Haftpflicht").unwrap() < page.find("Hinterbliebenenvorsorge").unwrap());

        // The office finds the customer by a policy number, in any case, and pages.
        let staff = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        let found = app.json(HOST, "customers/list", &[("query", "phv-4711")], &staff).await;
        assert_eq!(found.as_array().unwrap().len(), 1);
        assert_eq!(found[0]["name"], "Schneider, Anna");
        let later = app.json(HOST, "customers/list", &[("query", ""), ("page", "1")], &staff).await;
        assert_eq!(later, Value::Array(vec![]));

        // Running `folio demo` again (it signs the demo people out) leaves the household as it is.
        let (ok, _, err) = app.folio(&["demo"]);
        assert!(ok, "{err}");
        let anna = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
        assert_eq!(app.json(HOST, "contracts/mine", &[], &anna).await.as_array().unwrap().len(), 15);
    }
}

#[tokio::test]
async fn a_contract_shows_what_it_is_for_and_its_documents_open_and_download() {
    for backend in backends() {
        let app = spawn(backend).await;
        let anna = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
        let contracts = app.json(HOST, "contracts/mine", &[], &anna).await;
        let id = contracts[0]["id"].as_i64().unwrap().to_string();
        let detail = app.json(HOST, "contracts/mine/detail", &[("id", &id)], &anna).await;
        assert!(detail["what_for"].as_str().unwrap().contains("Alltag"), "{detail}");
        assert_eq!(detail["insured"], "Familie Schneider");
        assert_eq!(detail["start_date"], "2020-01-01");
        let docs = detail["documents"].as_array().unwrap();
        assert!(docs.iter().any(|d| d["kind"] == "policy"), "{detail}");

        let doc = docs[0]["id"].as_i64().unwrap();
        let res = app.get(HOST, &format!("/files/{doc}"), Some(&anna)).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()[CONTENT_TYPE], "application/pdf");
        assert_eq!(res.headers()[X_CONTENT_TYPE_OPTIONS], "nosniff");
        let disposition = res.headers()[CONTENT_DISPOSITION].to_str().unwrap().to_owned();
        assert!(disposition.starts_with("inline; filename=\""), "{disposition}");
        assert!(res.bytes().await.unwrap().starts_with(b"%PDF-"));
        let res = app.get(HOST, &format!("/files/{doc}?download=1"), Some(&anna)).await;
        assert!(res.headers()[CONTENT_DISPOSITION].to_str().unwrap().starts_with("attachment;"));

        // The documents page: all of them, newest first, by type and by title.
        let all = app.json(HOST, "documents/mine", &[("kind", ""), ("query", "")], &anna).await;
        let all = all.as_array().unwrap();
        assert!(all.len() >= 20, "{}", all.len());
        let times: Vec<i64> = all.iter().map(|d| d["created_at"].as_i64().unwrap()).collect();
        assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");
        let invoices = app.json(HOST, "documents/mine", &[("kind", "invoice"), ("query", "")], &anna).await;
        assert!(!invoices.as_array().unwrap().is_empty());
        assert!(invoices.as_array().unwrap().iter().all(|d| d["kind"] == "invoice"));
        let found =
            app.json(HOST, "documents/mine", &[("kind", ""), ("query", "erstinformation")], &anna).await;
        assert_eq!(found.as_array().unwrap().len(), 1);
        assert_eq!(found[0]["contract_id"], Value::Null);
    }
}

#[tokio::test]
async fn nobody_else_reaches_a_customers_contracts_or_documents() {
    for backend in backends() {
        let app = spawn(backend).await;
        let anna = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
        let staff = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        let contract =
            app.json(HOST, "contracts/mine", &[], &anna).await[0]["id"].as_i64().unwrap().to_string();
        let docs = app.json(HOST, "documents/mine", &[("kind", ""), ("query", "")], &anna).await;
        let doc = format!("/files/{}", docs[0]["id"]);
        let anna_id = customer_id(&app, &staff).await;

        // Not signed in.
        assert_eq!(app.get(HOST, &doc, None).await.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(app.call(HOST, "contracts/mine", &[], None).await.status(), StatusCode::UNAUTHORIZED);

        // Another customer of the same broker.
        let bernd = second_customer(&app, &staff).await;
        assert_eq!(app.json(HOST, "contracts/mine", &[], &bernd).await, Value::Array(vec![]));
        let res = app.call(HOST, "contracts/mine/detail", &[("id", &contract)], Some(&bernd)).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.get(HOST, &doc, Some(&bernd)).await.status(), StatusCode::NOT_FOUND);
        let bernd_docs = app.json(HOST, "documents/mine", &[("kind", ""), ("query", "")], &bernd).await;
        assert_eq!(bernd_docs, Value::Array(vec![]));
        // … nor the office's functions.
        let res = app.call(HOST, "contracts/of-customer", &[("customer_id", &anna_id)], Some(&bernd)).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let res = app.call(HOST, "documents/of-customer", &[("customer_id", &anna_id)], Some(&bernd)).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let res =
            app.call(HOST, "documents/delete", &[("id", &docs[0]["id"].to_string())], Some(&bernd)).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);

        // Another broker's office, at its own host and with A's ids.
        let nord = other_broker_staff(&app).await;
        let other = "nord.localhost";
        assert_eq!(app.get(other, &doc, Some(&nord)).await.status(), StatusCode::NOT_FOUND);
        for endpoint in ["contracts/of-customer", "documents/of-customer"] {
            let res = app.call(other, endpoint, &[("customer_id", &anna_id)], Some(&nord)).await;
            assert_eq!(
                res.status(),
                StatusCode::NOT_FOUND,
                "{endpoint}: another broker's folder does not exist"
            );
        }
        let res = app.call(other, "contracts/form", &[("id", &contract)], Some(&nord)).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let res =
            app.call(other, "documents/delete", &[("id", &docs[0]["id"].to_string())], Some(&nord)).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        // A's session means nothing at B's host.
        assert_eq!(app.get(other, &doc, Some(&anna)).await.status(), StatusCode::UNAUTHORIZED);

        // The broker's own office may open it.
        assert_eq!(app.get(HOST, &doc, Some(&staff)).await.status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn the_office_uploads_documents_and_bad_files_are_refused_with_a_reason() {
    for backend in backends() {
        let app = spawn(backend).await;
        let staff = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        let anna = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
        let anna_id = customer_id(&app, &staff).await;
        let contract = app.json(HOST, "contracts/mine", &[], &anna).await[0]["id"].to_string();
        let meta = |title: &'static str, kind: &'static str| {
            vec![("customer_id", anna_id.clone()), ("title", title.to_owned()), ("kind", kind.to_owned())]
        };
        let fields =
            |m: &Vec<(&'static str, String)>| m.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
        let upload =
            |m: Vec<(&'static str, String)>, file: Option<(&'static str, Vec<u8>)>, cookie: String| {
                let app = &app;
                async move {
                    let f = fields(&m);
                    let refs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    app.upload(HOST, Some(&cookie), &refs, file).await
                }
            };

        // A PDF for a contract.
        let mut m = meta("Nachtrag 2027", "amendment");
        m.push(("contract_id", contract.clone()));
        let res = upload(m, Some(("scan.pdf", tiny_pdf("Nachtrag"))), staff.clone()).await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let id = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        let detail = app.json(HOST, "contracts/mine/detail", &[("id", &contract)], &anna).await;
        assert!(detail["documents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["id"] == id && d["title"] == "Nachtrag 2027"));
        let stored = app.get(HOST, &format!("/files/{id}"), Some(&anna)).await.bytes().await.unwrap();
        assert_eq!(stored.as_ref(), tiny_pdf("Nachtrag").as_slice());

        // A photo loses its hidden data on the way in.
        let res =
            upload(meta("Foto Schaden", "other"), Some(("IMG_0001.JPG", jpeg_with_secrets())), staff.clone())
                .await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let id = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        let res = app.get(HOST, &format!("/files/{id}"), Some(&anna)).await;
        assert_eq!(res.headers()[CONTENT_TYPE], "image/jpeg");
        let clean = res.bytes().await.unwrap();
        assert!(clean.starts_with(&[0xFF, 0xD8]));
        for secret in ["Geheim-Kommentar", "xmpmeta", "Kamera-Seriennummer"] {
            assert!(!String::from_utf8_lossy(&clean).contains(secret), "{secret} survived");
        }
        // Its preview is made from the clean image (and exists from here on).
        let preview = app.get(HOST, &format!("/files/{id}/preview"), Some(&anna)).await;
        assert_eq!(preview.status(), StatusCode::OK);
        assert_eq!(preview.headers()[CONTENT_TYPE], "image/jpeg");

        // Refused, each with the reason at its field, and nothing stored.
        assert!(image::load_from_memory(&cut_jpeg()).is_ok(), "a decoder shows the cut photo");
        let before = blob_count(&app);
        let cases: Vec<RefusedUpload> = vec![
            (meta("iPhone", "other"), Some(("IMG_1.jpg", heic())), "file", "file_heic"),
            (
                meta("Text", "other"),
                Some(("brief.pdf", b"Lieber Herr Makler".to_vec())),
                "file",
                "file_unsupported",
            ),
            (
                meta("Kaputt", "other"),
                Some(("kaputt.jpg", vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10])),
                "file",
                "file_invalid",
            ),
            // Cut off in its pixel data yet closed with an end marker: decoders would show
            // the rest grey; Folio refuses it.
            (meta("Halb", "other"), Some(("halb.jpg", cut_jpeg())), "file", "file_invalid"),
            (meta(" ", "policy"), Some(("a.pdf", tiny_pdf("a"))), "title", "required"),
            (meta("Police", "Police"), Some(("a.pdf", tiny_pdf("a"))), "kind", "invalid_choice"),
            (meta("Ohne Datei", "policy"), None, "file", "required"),
        ];
        for (m, file, field, problem) in cases {
            let res = upload(m, file, staff.clone()).await;
            assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
            assert_eq!(res.headers()[CONTENT_TYPE], "application/problem+json");
            let v: Value = res.json().await.unwrap();
            assert_eq!(v["errors"][0]["field"], field, "{v}");
            assert_eq!(v["errors"][0]["problem"], problem, "{v}");
            assert!(!v["errors"][0]["detail"].as_str().unwrap().is_empty());
        }
        // Too large: 25 MB is the limit.
        let mut big = tiny_pdf("big");
        big.resize(25 * 1024 * 1024 + 10, b' ');
        let res = upload(meta("Groß", "other"), Some(("big.pdf", big)), staff.clone()).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(res.json::<Value>().await.unwrap()["errors"][0]["problem"], "file_too_large");
        // A contract of another customer is no choice.
        second_customer(&app, &staff).await;
        let bernd_id =
            app.json(HOST, "customers/list", &[("query", "Neu")], &staff).await[0]["id"].to_string();
        let m = vec![
            ("customer_id", bernd_id),
            ("title", "Falsch".to_owned()),
            ("kind", "other".to_owned()),
            ("contract_id", contract.clone()),
        ];
        let res = upload(m, Some(("a.pdf", tiny_pdf("a"))), staff.clone()).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(res.json::<Value>().await.unwrap()["errors"][0]["field"], "contract_id");
        assert_eq!(blob_count(&app), before, "nothing refused was kept");

        // Only the broker's office and customers may upload, the office only for its customers.
        let res = app.upload(HOST, None, &[("customer_id", &anna_id)], Some(("a.pdf", tiny_pdf("a")))).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        let nord = other_broker_staff(&app).await;
        let f = [("customer_id", anna_id.as_str()), ("title", "Fremd"), ("kind", "other")];
        let res = app.upload("nord.localhost", Some(&nord), &f, Some(("a.pdf", tiny_pdf("a")))).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        assert_eq!(blob_count(&app), before);

        // The quota: a full office is told how much is used and allowed.
        app.sql("UPDATE brokers SET storage_quota_bytes = 1000 WHERE slug = 'demo'").await;
        let res = upload(meta("Zu viel", "other"), Some(("a.pdf", tiny_pdf("a"))), staff.clone()).await;
        assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let v: Value = res.json().await.unwrap();
        assert_eq!(v["quota_bytes"], 1000);
        assert!(v["title"].as_str().unwrap().contains("von 1,0 KB"), "{v}");
        let usage = app.json(HOST, "documents/usage", &[], &staff).await;
        assert_eq!(usage["quota_bytes"], 1000);
        assert!(usage["used_bytes"].as_i64().unwrap() > 1000);

        // Deleting removes the row and the file; the customer no longer gets it.
        let res = app.call(HOST, "documents/delete", &[("id", &id.to_string())], Some(&staff)).await;
        assert!(res.status().is_success());
        assert_eq!(app.get(HOST, &format!("/files/{id}"), Some(&anna)).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(blob_count(&app), before - 2, "the photo and its preview are gone");
        let res = app.call(HOST, "documents/delete", &[("id", &id.to_string())], Some(&staff)).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn customers_send_photos_into_their_own_folder_and_a_retry_stores_nothing_twice() {
    for backend in backends() {
        let app = spawn(backend).await;
        let staff = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        let anna = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
        let anna_id = customer_id(&app, &staff).await;
        let bernd = second_customer(&app, &staff).await;
        let bernd_id =
            app.json(HOST, "customers/list", &[("query", "Neu")], &staff).await[0]["id"].to_string();
        let mine = |cookie: String| {
            let app = &app;
            async move { ids(&app.json(HOST, "documents/mine", &[("kind", ""), ("query", "")], &cookie).await) }
        };
        let anna_before = mine(anna.clone()).await;

        // Without a title, into her own folder, whatever customer it names.
        let key = "4f6c1d2e-9a0b-4c3d-8e7f-112233445566";
        let fields = [("customer_id", bernd_id.as_str()), ("title", ""), ("upload_key", key)];
        let res = app.upload(HOST, Some(&anna), &fields, Some(("image.jpg", rotated_jpeg()))).await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let id = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        let list = app.json(HOST, "documents/mine", &[("kind", ""), ("query", "")], &anna).await;
        let sent = list.as_array().unwrap().iter().find(|d| d["id"] == id).expect("in her folder");
        assert!(sent["title"].as_str().unwrap().starts_with("Foto vom "), "{sent}");
        assert_eq!(sent["kind"], "other");
        assert_eq!(sent["from_customer"], true);
        assert!(!mine(bernd.clone()).await.contains(&id), "not in Bernd's folder");
        let office = app.json(HOST, "documents/of-customer", &[("customer_id", &anna_id)], &staff).await;
        assert!(office.as_array().unwrap().iter().any(|d| d["id"] == id && d["from_customer"] == true));

        // The answer was lost and the phone sends again: the same document, nothing new stored.
        // (The preview is made in the background after the first answer; asking for it waits
        // until it is there, so that the count below does not race it.)
        assert_eq!(
            app.get(HOST, &format!("/files/{id}/preview"), Some(&anna)).await.status(),
            StatusCode::OK
        );
        let blobs = blob_count(&app);
        let res = app.upload(HOST, Some(&anna), &fields, Some(("image.jpg", rotated_jpeg()))).await;
        assert_eq!(res.status(), StatusCode::CREATED);
        assert_eq!(res.json::<Value>().await.unwrap()["id"].as_i64(), Some(id));
        assert_eq!(mine(anna.clone()).await.len(), anna_before.len() + 1);
        // The key is Anna's: Bernd's upload with the same key is his own document.
        let res = app.upload(HOST, Some(&bernd), &fields, Some(("a.pdf", tiny_pdf("Bernd")))).await;
        assert_eq!(res.status(), StatusCode::CREATED);
        assert_ne!(res.json::<Value>().await.unwrap()["id"].as_i64(), Some(id));
        assert_eq!(blob_count(&app), blobs + 1);

        // The preview stands upright, is small, carries no metadata, and only Anna and her
        // broker's office get it.
        let res = app.get(HOST, &format!("/files/{id}/preview"), Some(&anna)).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()[CONTENT_TYPE], "image/jpeg");
        let preview = res.bytes().await.unwrap();
        let decoded = image::load_from_memory(&preview).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (48, 64), "turned as the photo is shown");
        assert!(!preview.windows(4).any(|w| w == b"Exif"));
        assert_eq!(
            app.get(HOST, &format!("/files/{id}/preview"), Some(&staff)).await.status(),
            StatusCode::OK
        );
        assert_eq!(
            app.get(HOST, &format!("/files/{id}/preview"), Some(&bernd)).await.status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.get(HOST, &format!("/files/{id}/preview"), None).await.status(),
            StatusCode::UNAUTHORIZED
        );
        let nord = other_broker_staff(&app).await;
        let res = app.get("nord.localhost", &format!("/files/{id}/preview"), Some(&nord)).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let pdf = mine(bernd.clone()).await[0];
        assert_eq!(
            app.get(HOST, &format!("/files/{pdf}/preview"), Some(&bernd)).await.status(),
            StatusCode::NOT_FOUND,
            "PDFs have no preview"
        );

        // Without JS the form posts itself and the page comes back with a notice.
        for (cookie, back) in [
            (&anna, "/app/documents?uploaded=1".to_owned()),
            (&staff, format!("/office/customers/{anna_id}?uploaded=1")),
        ] {
            let form = reqwest::multipart::Form::new()
                .text("customer_id", anna_id.clone())
                .text("title", "Ohne JavaScript")
                .text("kind", "letter")
                .part("file", reqwest::multipart::Part::bytes(Vec::new()).file_name(""))
                .part("file", reqwest::multipart::Part::bytes(tiny_pdf("plain")).file_name("brief.pdf"));
            let res = app
                .client(HOST)
                .post(app.url(HOST, "/files/upload"))
                .header(reqwest::header::ACCEPT, "text/html")
                .header(reqwest::header::COOKIE, cookie.as_str())
                .multipart(form)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::SEE_OTHER);
            assert_eq!(res.headers()[reqwest::header::LOCATION], back.as_str());
        }
        let office = app.json(HOST, "documents/of-customer", &[("customer_id", &anna_id)], &staff).await;
        let plain: Vec<_> =
            office.as_array().unwrap().iter().filter(|d| d["title"] == "Ohne JavaScript").collect();
        assert_eq!(plain.len(), 2);
        assert!(plain.iter().any(|d| d["from_customer"] == true && d["kind"] == "other"));
        assert!(plain.iter().any(|d| d["from_customer"] == false && d["kind"] == "letter"));
    }
}

#[tokio::test]
async fn the_office_creates_edits_and_ends_contracts_the_customer_sees_at_once() {
    for backend in backends() {
        let app = spawn(backend).await;
        let staff = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        let anna = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
        let anna_id = customer_id(&app, &staff).await;
        let catalogue = app.json(HOST, "catalogue/list", &[], &staff).await;
        assert!(catalogue.as_array().unwrap().len() >= 10);
        let legal = catalogue.as_array().unwrap().iter().find(|l| l["name"] == "Rechtsschutz").unwrap();
        let line = legal["id"].to_string();
        let product = legal["products"][1]["id"].to_string();
        let other_line_product = catalogue[0]["products"][0]["id"].to_string();
        let form = |line: &str, product: &str, premium: &str, status: &str, end: &str| {
            vec![
                ("form[customer_id]", anna_id.clone()),
                ("form[line_id]", line.to_owned()),
                ("form[product_id]", product.to_owned()),
                ("form[insurer]", "Justitia Rechtsschutz AG".to_owned()),
                ("form[policy_number]", "RS-NEU-1".to_owned()),
                ("form[status]", status.to_owned()),
                ("form[premium]", premium.to_owned()),
                ("form[interval]", "yearly".to_owned()),
                ("form[start_date]", "2026-01-01".to_owned()),
                ("form[end_date]", end.to_owned()),
                ("form[insured]", String::new()),
                ("form[description]", "Ihr Schutz im Streit mit dem Arbeitgeber.".to_owned()),
            ]
        };
        let send = |fields: Vec<(&'static str, String)>, cookie: String, host: &'static str| {
            let app = &app;
            async move {
                let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                app.call(host, "contracts/save", &refs, Some(&cookie)).await
            }
        };

        let res = send(form(&line, &product, "120,00", "active", ""), staff.clone(), HOST).await;
        assert!(res.status().is_success(), "{}", res.status());
        let id = res.json::<Value>().await.unwrap().as_i64().unwrap();
        let mine = app.json(HOST, "contracts/mine", &[], &anna).await;
        let added = mine.as_array().unwrap().iter().find(|c| c["id"] == id).unwrap();
        assert_eq!(added["premium_cents"], 12_000);
        assert_eq!(added["product"], "Berufsrechtsschutz");
        let detail = app.json(HOST, "contracts/mine/detail", &[("id", &id.to_string())], &anna).await;
        assert_eq!(detail["what_for"], "Ihr Schutz im Streit mit dem Arbeitgeber.");

        // Bad input: every field with its problem, nothing saved.
        let res = send(form("", &product, "zwölf", "paused", "2025-01-01"), staff.clone(), HOST).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let text = res.text().await.unwrap();
        for field in ["line_id", "premium", "status"] {
            assert!(text.contains(field), "{field}: {text}");
        }
        // A product of another line does not fit.
        let res = send(form(&line, &other_line_product, "1", "active", ""), staff.clone(), HOST).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.text().await.unwrap().contains("product_id"));
        // The end before the start is refused.
        let res = send(form(&line, &product, "1", "ended", "2025-12-31"), staff.clone(), HOST).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

        // Ending it moves it to the customer's ended contracts.
        let mut end = form(&line, &product, "120", "ended", "2026-06-30");
        end.push(("form[id]", id.to_string()));
        let res = send(end.clone(), staff.clone(), HOST).await;
        assert!(res.status().is_success(), "{}", res.status());
        let mine = app.json(HOST, "contracts/mine", &[], &anna).await;
        let ended = mine.as_array().unwrap().iter().find(|c| c["id"] == id).unwrap();
        assert_eq!(ended["status"], "ended");
        assert_eq!(ended["end_date"], "2026-06-30");
        let audit = app.json(HOST, "customers/detail", &[("id", &anna_id)], &staff).await;
        let actions: Vec<&str> =
            audit["audit"].as_array().unwrap().iter().map(|a| a["action"].as_str().unwrap()).collect();
        assert!(
            actions.contains(&"contract.created") && actions.contains(&"contract.updated"),
            "{actions:?}"
        );

        // The customer and another broker may not.
        let res = send(end.clone(), anna.clone(), HOST).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let nord = other_broker_staff(&app).await;
        let res = send(end, nord.clone(), "nord.localhost").await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let res = send(form(&line, &product, "1", "active", ""), nord.clone(), "nord.localhost").await;
        assert!(res.status() == StatusCode::NOT_FOUND || res.status() == StatusCode::UNPROCESSABLE_ENTITY);
        let still = app.json(HOST, "contracts/mine", &[], &anna).await;
        assert_eq!(ids(&still).len(), 16, "nothing was added by the other broker");
        // A new broker starts with the default catalogue of its own.
        let nord_catalogue = app.json("nord.localhost", "catalogue/list", &[], &nord).await;
        assert!(nord_catalogue.as_array().unwrap().len() >= 10);
        assert_ne!(nord_catalogue[0]["id"], catalogue[0]["id"]);
    }
}

/// Form fields, file, and the field and problem the refusal must name.
type RefusedUpload =
    (Vec<(&'static str, String)>, Option<(&'static str, Vec<u8>)>, &'static str, &'static str);

/// Blobs on disk (for SQLite and PostgreSQL alike, they live in the data folder).
fn blob_count(app: &TestApp) -> usize {
    let root = app.dir.path().join("blobs");
    std::fs::read_dir(&root).map_or(0, |dirs| {
        dirs.filter_map(Result::ok)
            .filter(|d| d.file_name() != "tmp")
            .map(|d| std::fs::read_dir(d.path()).map_or(0, Iterator::count))
            .sum()
    })
}

/// A JPEG with a comment and an XMP block carrying things that must not travel.
fn jpeg_with_secrets() -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, y| {
        image::Rgb([u8::try_from(x * 4).unwrap(), u8::try_from(y * 5).unwrap(), 90])
    });
    let mut plain = std::io::Cursor::new(Vec::new());
    img.write_to(&mut plain, image::ImageFormat::Jpeg).unwrap();
    let plain = plain.into_inner();
    let mut out = plain[..2].to_vec();
    let segment = |marker: u8, payload: &[u8]| {
        let len = u16::try_from(payload.len() + 2).unwrap().to_be_bytes();
        [&[0xFF, marker][..], &len, payload].concat()
    };
    out.extend(segment(0xFE, b"Geheim-Kommentar: Kamera-Seriennummer 12345"));
    out.extend(segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>Kamera-Seriennummer</x:xmpmeta>"));
    out.extend_from_slice(&plain[2..]);
    out
}

/// [`jpeg_with_secrets`] cut off two thirds into its pixel data, then closed with an end marker.
fn cut_jpeg() -> Vec<u8> {
    let whole = jpeg_with_secrets();
    let scan = whole.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
    let cut = scan + (whole.len() - scan) * 2 / 3;
    [&whole[..cut], &[0xFF, 0xD9][..]].concat()
}

/// A 64×48 JPEG whose EXIF says "turn 90° clockwise to show": phones store portrait photos so.
fn rotated_jpeg() -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, _| image::Rgb([u8::try_from(x * 3).unwrap(), 120, 40]));
    let mut plain = std::io::Cursor::new(Vec::new());
    img.write_to(&mut plain, image::ImageFormat::Jpeg).unwrap();
    let plain = plain.into_inner();
    // Big-endian TIFF with one IFD entry: Orientation (0x0112), SHORT, 1 value: 6.
    let tiff: &[u8] = b"MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x06\0\0\0\0\0\0";
    let body = [b"Exif\0\0".as_slice(), tiff, b"GPS-Position Kamera"].concat();
    let len = u16::try_from(body.len() + 2).unwrap().to_be_bytes();
    [&plain[..2], &[0xFF, 0xE1], &len, &body, &plain[2..]].concat()
}

/// The start of an iPhone photo (HEIC).
fn heic() -> Vec<u8> {
    let mut bytes = vec![0, 0, 0, 24];
    bytes.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
    bytes.resize(200, 0);
    bytes
}

/// One person's uploads are limited per ten minutes (60 for a customer): past that an upload
/// is refused before it is read, saying when to try again; the office uploads as usual.
#[tokio::test]
async fn a_customer_uploading_without_end_is_stopped_and_others_are_not() {
    let app = spawn(Backend::Sqlite).await;
    let staff = app.sign_in(HOST, STAFF.0, STAFF.1).await;
    let anna = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
    let anna_id = customer_id(&app, &staff).await;
    let before = app.count("SELECT COUNT(*) FROM documents").await;
    for i in 0..60 {
        let res = app.upload(HOST, Some(&anna), &[], Some(("beleg.pdf", tiny_pdf(&i.to_string())))).await;
        assert_eq!(res.status(), StatusCode::CREATED, "upload {i}");
    }
    let res = app.upload(HOST, Some(&anna), &[], Some(("beleg.pdf", tiny_pdf("61")))).await;
    let (status, text) = body(res).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(text.contains("sehr viele Dateien hochgeladen") && text.contains("10 Min."), "{text}");
    assert_eq!(app.count("SELECT COUNT(*) FROM documents").await, before + 60);
    let fields = [("customer_id", anna_id.as_str()), ("title", "Police 2027"), ("kind", "policy")];
    let res = app.upload(HOST, Some(&staff), &fields, Some(("police.pdf", tiny_pdf("Police")))).await;
    assert_eq!(res.status(), StatusCode::CREATED);
}
