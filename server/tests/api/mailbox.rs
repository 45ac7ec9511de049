//! The secure mailbox: each kind of conversation from the phone to the office and back,
//! change requests applied with their audit entries, the consent gate for health data,
//! notices without content (batched), the REST pull, and that no other customer and no other
//! broker can read, answer, list or download any of it.

use std::time::{Duration, Instant};

use reqwest::header::AUTHORIZATION;
use reqwest::StatusCode;
use serde_json::Value;

use crate::auth::customer_id;
use crate::helpers::*;

const HOST: &str = "demo.localhost";
/// Notices looked for every second, at most one per recipient in three seconds.
const FAST_NOTICES: [(&str, &str); 2] = [("FOLIO_NOTICE_TICK_SECS", "1"), ("FOLIO_NOTICE_WINDOW_SECS", "3")];

/// Starts a conversation as the signed-in customer; the fields go in as `compose[…]`.
async fn start(app: &TestApp, cookie: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let form: Vec<(String, String)> =
        fields.iter().map(|(k, v)| (format!("compose[{k}]"), (*v).to_owned())).collect();
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.call(HOST, "mailbox/start", &form, Some(cookie)).await
}

async fn started(app: &TestApp, cookie: &str, fields: &[(&str, &str)]) -> String {
    let res = start(app, cookie, fields).await;
    let status = res.status();
    let text = res.text().await.unwrap();
    assert!(status.is_success(), "{status} {text}");
    text.trim().to_owned()
}

/// The field problems of a refused call.
async fn problems(res: reqwest::Response) -> Vec<(String, String)> {
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: Value = res.json().await.unwrap();
    v["Invalid"]
        .as_array()
        .unwrap_or_else(|| panic!("{v}"))
        .iter()
        .map(|e| (e["field"].as_str().unwrap().to_owned(), e["problem"].as_str().unwrap().to_owned()))
        .collect()
}

fn contract_of(contracts: &Value, line: &str) -> String {
    contracts
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["line"] == line && c["status"] == "active")
        .unwrap_or_else(|| panic!("no {line} contract"))["id"]
        .as_i64()
        .unwrap()
        .to_string()
}

/// Uploads a file for a message being written; returns its id.
async fn upload_for_message(
    app: &TestApp,
    cookie: &str,
    extra: &[(&str, &str)],
    name: &str,
    bytes: Vec<u8>,
) -> String {
    let mut fields = vec![("for_message", "1")];
    fields.extend_from_slice(extra);
    let res = app.upload(HOST, Some(cookie), &fields, Some((name, bytes))).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let v: Value = res.json().await.unwrap();
    v["id"].as_i64().unwrap().to_string()
}

fn photo() -> Vec<u8> {
    let img = image::RgbImage::from_fn(40, 30, |x, y| {
        image::Rgb([u8::try_from(x * 6).unwrap(), u8::try_from(y * 8).unwrap(), 60])
    });
    let mut plain = std::io::Cursor::new(Vec::new());
    img.write_to(&mut plain, image::ImageFormat::Jpeg).unwrap();
    let plain = plain.into_inner();
    let comment = b"Kamera-Seriennummer 4711";
    let len = u16::try_from(comment.len() + 2).unwrap().to_be_bytes();
    [&plain[..2], &[0xFF, 0xFE], &len, comment, &plain[2..]].concat()
}

/// Waits (at most 15 s) until the outbox holds `n` mails; returns them all, oldest first.
fn wait_for_mails(app: &TestApp, n: usize) -> Vec<String> {
    let started = Instant::now();
    while app.mail_count() < n && started.elapsed() < Duration::from_secs(15) {
        std::thread::sleep(Duration::from_millis(100));
    }
    let outbox = app.dir.path().join("outbox");
    let mut paths: Vec<_> =
        std::fs::read_dir(&outbox).unwrap().filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    paths.iter().map(|p| decode_quoted_printable(&std::fs::read_to_string(p).unwrap())).collect()
}

/// The demo's mailbox starts with a few conversations; these tests count from none.
async fn empty_mailbox(app: &TestApp) {
    app.sql("DELETE FROM messages").await;
    app.sql("DELETE FROM conversations").await;
}

fn mails_to<'a>(mails: &'a [String], address: &str) -> Vec<&'a String> {
    mails.iter().filter(|m| m.contains(&format!("To: {address}"))).collect()
}

#[tokio::test]
async fn a_question_goes_from_the_phone_to_the_office_and_back_and_notices_carry_no_content() {
    for backend in backends() {
        let app = spawn_with(backend, &FAST_NOTICES).await;
        empty_mailbox(&app).await;
        let anna = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
        let staff = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        let mails_before = app.mail_count();
        let contracts = app.json(HOST, "contracts/mine", &[], &anna).await;
        let hausrat = contract_of(&contracts, "Hausrat");

        // A question needs its text.
        let refused = start(&app, &anna, &[("topic", "question"), ("contract_id", &hausrat)]).await;
        assert_eq!(problems(refused).await, [("body".to_owned(), "required".to_owned())]);
        let question = "Ist mein neues E-Bike (3.200 €) in der Hausratversicherung mitversichert?";
        let id =
            started(&app, &anna, &[("topic", "question"), ("contract_id", &hausrat), ("body", question)])
                .await;

        // The office sees it as new and unread, with the contract.
        assert_eq!(app.json(HOST, "mailbox/unread", &[], &staff).await, 1);
        let inbox = app.json(HOST, "mailbox/inbox", &[("filter[status]", "active")], &staff).await;
        let row = &inbox["rows"][0];
        assert_eq!(
            (row["id"].to_string(), row["status"].as_str(), row["unread"].as_bool()),
            (id.clone(), Some("new"), Some(true))
        );
        assert_eq!(row["customer_name"], "Anna Schneider");
        assert!(row["contract_label"].as_str().unwrap().contains("HR-882310"), "{row}");
        let shown = app.json(HOST, "mailbox/show", &[("id", &id)], &staff).await;
        assert_eq!(shown["messages"][0]["body"], question);
        // Reading changes nothing; the page, once it shows it, marks it read.
        assert_eq!(app.json(HOST, "mailbox/unread", &[], &staff).await, 1);
        app.json(HOST, "mailbox/mark-read", &[("id", &id)], &staff).await;
        assert_eq!(app.json(HOST, "mailbox/unread", &[], &staff).await, 0);

        // The office answers; the customer has one unread conversation, now in progress.
        let answer = "Ja, bis 5.000 € ist Ihr E-Bike mitversichert.";
        app.json(HOST, "mailbox/reply", &[("id", &id), ("body", answer)], &staff).await;
        assert_eq!(app.json(HOST, "mailbox/unread", &[], &anna).await, 1);
        let mine = app.json(HOST, "mailbox/mine", &[], &anna).await;
        assert_eq!((mine[0]["status"].as_str(), mine[0]["unread"].as_bool()), (Some("open"), Some(true)));
        let thread = app.json(HOST, "mailbox/show", &[("id", &id)], &anna).await;
        let bodies: Vec<_> =
            thread["messages"].as_array().unwrap().iter().map(|m| m["body"].as_str().unwrap()).collect();
        assert_eq!(bodies, [question, answer]);
        assert_eq!(thread["messages"][1]["author_name"], "Jana Sommer");
        assert_eq!(thread["current"], Value::Null, "the customer never sees the office's view of the record");
        app.json(HOST, "mailbox/mark-read", &[("id", &id)], &anna).await;
        assert_eq!(app.json(HOST, "mailbox/unread", &[], &anna).await, 0);

        // Staff close it; a reply from the customer opens it again.
        app.json(HOST, "mailbox/status", &[("id", &id), ("status", "done")], &staff).await;
        assert_eq!(app.json(HOST, "mailbox/mine", &[], &anna).await[0]["status"], "done");
        app.json(HOST, "mailbox/reply", &[("id", &id), ("body", "Danke!")], &anna).await;
        assert_eq!(app.json(HOST, "mailbox/mine", &[], &anna).await[0]["status"], "open");

        // One notice each way (the office's address from its contact card, the customer's
        // sign-in address), with the broker's name and the way in, and none of the content.
        let mails = wait_for_mails(&app, mails_before + 2);
        let to_anna = mails_to(&mails, CUSTOMER.0);
        assert_eq!(to_anna.len(), 1, "{mails:?}");
        let mail = to_anna[0];
        assert!(mail.contains("Sommer & Partner"), "{mail}");
        assert!(mail.contains("http://localhost:3000/app/messages"), "{mail}");
        let office: Vec<_> = mails.iter().filter(|m| m.contains("/office/messages")).collect();
        assert_eq!(office.len(), 1, "{mails:?}");
        for mail in to_anna.iter().chain(office.iter()) {
            for secret in ["E-Bike", "Hausrat", "HR-882310", "5.000", "Frage", "Danke", "Jana"] {
                assert!(!mail.contains(secret), "a notice gave away {secret:?}: {mail}");
            }
            assert!(!mail.contains("Content-Disposition: attachment"), "{mail}");
        }
    }
}

#[tokio::test]
async fn a_change_request_stays_a_request_until_staff_apply_it_and_the_trail_shows_both() {
    for backend in backends() {
        let app = spawn(backend).await;
        empty_mailbox(&app).await;
        let anna = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
        let staff = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        let anna_id = customer_id(&app, &staff).await;

        let refused = start(
            &app,
            &anna,
            &[
                ("topic", "address"),
                ("street", "Neue Straße 5"),
                ("postal_code", "8033"),
                ("city", "München"),
            ],
        )
        .await;
        assert_eq!(
            problems(refused).await,
            [
                ("postal_code".to_owned(), "invalid_postal_code".to_owned()),
                ("valid_from".to_owned(), "required".to_owned())
            ]
        );
        let fields = [
            ("topic", "address"),
            ("street", "Neue Straße 5"),
            ("postal_code", "80469"),
            ("city", "Muenchen"),
            ("valid_from", "2026-12-01"),
        ];
        let id = started(&app, &anna, &fields).await;
        // Nothing changed yet: the broker stays master of the data (R2.3).
        let record = app.json(HOST, "customers/detail", &[("id", &anna_id)], &staff).await;
        assert!(!record["address"].to_string().contains("Neue Straße"), "{record}");
        let shown = app.json(HOST, "mailbox/show", &[("id", &id)], &staff).await;
        assert_eq!(shown["details"]["street"], "Neue Straße 5");
        assert_eq!(shown["current"]["postal_code"], "80331");

        // The customer cannot apply it; staff apply it, with the city corrected.
        let change = [
            ("id", id.as_str()),
            ("change[topic]", "address"),
            ("change[street]", "Neue Straße 5"),
            ("change[postal_code]", "80469"),
            ("change[city]", "München"),
            ("change[valid_from]", "2026-12-01"),
        ];
        assert_eq!(
            app.call(HOST, "mailbox/apply", &change, Some(&anna)).await.status(),
            StatusCode::FORBIDDEN
        );
        app.json(HOST, "mailbox/apply", &change, &staff).await;
        let record = app.json(HOST, "customers/detail", &[("id", &anna_id)], &staff).await;
        assert_eq!(record["address"]["street"], "Neue Straße 5");
        assert_eq!(record["address"]["postal_code"], "80469");
        assert_eq!(record["address"]["city"], "München");
        let audit: Vec<(String, String)> = record["audit"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (a["action"].as_str().unwrap().to_owned(), a["actor_name"].as_str().unwrap_or("").to_owned())
            })
            .collect();
        assert!(audit.contains(&("change.requested".into(), "Anna Schneider".into())), "{audit:?}");
        assert!(audit.contains(&("change.applied".into(), "Jana Sommer".into())), "{audit:?}");
        let shown = app.json(HOST, "mailbox/show", &[("id", &id)], &anna).await;
        assert_eq!(shown["row"]["status"], "done");
        assert!(shown["applied_at"].is_i64());
        // Once is enough.
        assert_eq!(
            problems(app.call(HOST, "mailbox/apply", &change, Some(&staff)).await).await,
            [("apply".to_owned(), "already_applied".to_owned())]
        );

        // A bank account: the IBAN is checked when sent and when applied.
        let bank = [
            ("topic", "bank"),
            ("account_holder", "Anna Schneider"),
            ("iban", "DE89 3704 0044 0532 0130 01"),
            ("valid_from", "2027-01-01"),
        ];
        assert_eq!(
            problems(start(&app, &anna, &bank).await).await,
            [("iban".to_owned(), "invalid_iban".to_owned())]
        );
        let bank = [
            ("topic", "bank"),
            ("account_holder", "Anna Schneider"),
            ("iban", "de89 3704 0044 0532 0130 00"),
            ("valid_from", "2027-01-01"),
        ];
        let id = started(&app, &anna, &bank).await;
        let change = [
            ("id", id.as_str()),
            ("change[topic]", "bank"),
            ("change[account_holder]", "Anna Schneider"),
            ("change[iban]", "DE89370400440532013000"),
            ("change[valid_from]", "2027-01-01"),
        ];
        app.json(HOST, "mailbox/apply", &change, &staff).await;
        let record = app.json(HOST, "customers/detail", &[("id", &anna_id)], &staff).await;
        assert_eq!(record["iban"], "DE89370400440532013000");
    }
}

#[tokio::test]
async fn a_claim_on_a_health_contract_needs_consent_and_its_photos_arrive_clean() {
    for backend in backends() {
        let app = spawn(backend).await;
        empty_mailbox(&app).await;
        let anna = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
        let staff = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        let contracts = app.json(HOST, "contracts/mine", &[], &anna).await;
        let unfall = contract_of(&contracts, "Unfall");
        let folder_before = app
            .json(HOST, "documents/mine", &[("kind", ""), ("query", "")], &anna)
            .await
            .as_array()
            .unwrap()
            .len();

        // The photo is stored clean and held out of the folder until the claim is sent.
        let photo_id = upload_for_message(&app, &anna, &[], "IMG_0001.jpg", photo()).await;
        let folder = app.json(HOST, "documents/mine", &[("kind", ""), ("query", "")], &anna).await;
        assert_eq!(folder.as_array().unwrap().len(), folder_before);

        let claim = [
            ("topic", "claim"),
            ("contract_id", unfall.as_str()),
            ("claim_date", "2026-11-20"),
            ("place", "Skipiste Garmisch"),
            ("body", "Beim Skifahren gestürzt, Knie verletzt."),
            ("attachments", photo_id.as_str()),
        ];
        // Health data: not without the recorded consent (R4.3).
        assert_eq!(
            problems(start(&app, &anna, &claim).await).await,
            [("health_consent".to_owned(), "consent_required".to_owned())]
        );
        let mut with_consent = claim.to_vec();
        with_consent.push(("health_consent", "on"));
        let id = started(&app, &anna, &with_consent).await;

        let shown = app.json(HOST, "mailbox/show", &[("id", &id)], &staff).await;
        assert!(shown["health_consent_at"].is_i64(), "{shown}");
        assert_eq!(shown["details"]["place"], "Skipiste Garmisch");
        let attachment = &shown["messages"][0]["attachments"][0];
        assert_eq!(attachment["document_id"].to_string(), photo_id);
        assert_eq!(attachment["media_type"], "image/jpeg");
        // The photo is in the folder now, and carries nothing but the picture.
        let folder = app.json(HOST, "documents/mine", &[("kind", ""), ("query", "")], &anna).await;
        assert_eq!(folder.as_array().unwrap().len(), folder_before + 1);
        let res = app.get(HOST, &format!("/files/{photo_id}"), Some(&staff)).await;
        assert_eq!(res.status(), StatusCode::OK);
        let bytes = res.bytes().await.unwrap();
        assert!(!bytes.windows(19).any(|w| w == b"Kamera-Seriennummer"), "metadata survived");
        let preview = app.get(HOST, &format!("/files/{photo_id}/preview"), Some(&staff)).await;
        assert_eq!(preview.status(), StatusCode::OK);
        let trail =
            app.json(HOST, "customers/detail", &[("id", &customer_id(&app, &staff).await)], &staff).await;
        assert!(trail["audit"].to_string().contains("health_consent.given"), "{trail}");

        // A claim on a household contract needs no consent; a claim needs a contract, a date
        // that has been and a place.
        let hausrat = contract_of(&contracts, "Hausrat");
        let bare = [("topic", "claim"), ("claim_date", "2099-01-01"), ("body", "x")];
        assert_eq!(
            problems(start(&app, &anna, &bare).await).await,
            [
                ("contract_id".to_owned(), "required".to_owned()),
                ("claim_date".to_owned(), "date_in_future".to_owned()),
                ("place".to_owned(), "required".to_owned())
            ]
        );
        started(
            &app,
            &anna,
            &[
                ("topic", "claim"),
                ("contract_id", &hausrat),
                ("claim_date", "2026-11-22"),
                ("place", "Küche"),
                ("body", "Wasserschaden"),
            ],
        )
        .await;

        // A missing contract needs at least one photo of it.
        assert_eq!(
            problems(start(&app, &anna, &[("topic", "missing_contract"), ("insurer", "Allianz")]).await)
                .await,
            [("attachments".to_owned(), "photo_required".to_owned())]
        );
        let page = upload_for_message(&app, &anna, &[], "seite1.jpg", photo()).await;
        let id = started(
            &app,
            &anna,
            &[("topic", "missing_contract"), ("insurer", "Allianz"), ("attachments", &page)],
        )
        .await;
        let shown = app.json(HOST, "mailbox/show", &[("id", &id)], &staff).await;
        assert_eq!(shown["details"], serde_json::json!({ "kind": "missing_contract", "insurer": "Allianz" }));
        // A file attaches once.
        let again =
            start(&app, &anna, &[("topic", "question"), ("body", "noch einmal"), ("attachments", &page)])
                .await;
        assert_eq!(problems(again).await, [("attachments".to_owned(), "invalid_choice".to_owned())]);

        // The office's page for it renders, with the way to create the contract.
        let (status, html) = body(app.get(HOST, &format!("/office/messages/{id}"), Some(&staff)).await).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("contracts/new?insurer=Allianz"), "{html}");
    }
}

#[tokio::test]
async fn staff_write_first_assign_and_broker_systems_pull_what_changed() {
    for backend in backends() {
        let app = spawn(backend).await;
        empty_mailbox(&app).await;
        let anna = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
        let staff = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        let anna_id = customer_id(&app, &staff).await;
        let letter = upload_for_message(
            &app,
            &staff,
            &[("customer_id", &anna_id)],
            "Beitragsanpassung 2027.pdf",
            tiny_pdf("Beitrag"),
        )
        .await;
        let refused = app
            .call(
                HOST,
                "mailbox/write",
                &[("customer_id", &anna_id), ("subject", ""), ("body", "")],
                Some(&staff),
            )
            .await;
        assert_eq!(
            problems(refused).await,
            [("subject".to_owned(), "required".to_owned()), ("body".to_owned(), "required".to_owned())]
        );
        let form = [
            ("customer_id", anna_id.as_str()),
            ("subject", "Ihre Beitragsanpassung"),
            ("body", "Anbei das Schreiben."),
            ("attachments", letter.as_str()),
        ];
        let id = app.json(HOST, "mailbox/write", &form, &staff).await.to_string();
        let mine = app.json(HOST, "mailbox/mine", &[], &anna).await;
        assert_eq!(
            (mine[0]["subject"].as_str(), mine[0]["unread"].as_bool()),
            (Some("Ihre Beitragsanpassung"), Some(true))
        );
        let shown = app.json(HOST, "mailbox/show", &[("id", &id)], &anna).await;
        assert_eq!(shown["messages"][0]["attachments"][0]["title"], "Beitragsanpassung 2027");

        // Assigned to a colleague, the inbox filters by that person.
        let colleagues = app.json(HOST, "mailbox/colleagues", &[], &staff).await;
        let jana = colleagues.as_array().unwrap().iter().find(|c| c["name"] == "Jana Sommer").unwrap()["id"]
            .to_string();
        app.json(HOST, "mailbox/assign", &[("id", &id), ("assignee", &jana)], &staff).await;
        let mine_filter = [("filter[assignee]", "me"), ("filter[status]", "all")];
        assert_eq!(
            app.json(HOST, "mailbox/inbox", &mine_filter, &staff).await["rows"].as_array().unwrap().len(),
            1
        );
        let nobody = [("filter[assignee]", "none"), ("filter[status]", "all")];
        assert_eq!(
            app.json(HOST, "mailbox/inbox", &nobody, &staff).await["rows"].as_array().unwrap().len(),
            0
        );
        let claims = [("filter[topic]", "claim"), ("filter[status]", "all")];
        assert_eq!(
            app.json(HOST, "mailbox/inbox", &claims, &staff).await["rows"].as_array().unwrap().len(),
            0
        );
        assert_eq!(
            app.call(HOST, "mailbox/assign", &[("id", &id), ("assignee", "999999")], Some(&staff))
                .await
                .status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );

        // The broker's system pulls conversations and new messages, and their files.
        let (ok, out, err) = app.folio(&["apikey", "create", "--broker", "demo"]);
        assert!(ok, "{err}");
        let key = out.lines().last().unwrap().trim().to_owned();
        let pull = |since: String| {
            let req = app
                .client("api.localhost")
                .get(app.url("127.0.0.1", &format!("/api/v1/messages?since={since}")));
            req.header(AUTHORIZATION, format!("Bearer {key}")).send()
        };
        let page: Value = pull(String::new()).await.unwrap().json().await.unwrap();
        let conversation = &page["conversations"][0];
        assert_eq!(conversation["subject"], "Ihre Beitragsanpassung");
        assert_eq!(conversation["assignee"], "Jana Sommer");
        let url = conversation["messages"][0]["attachments"][0]["url"].as_str().unwrap().to_owned();
        let file = app
            .client("api.localhost")
            .get(app.url("127.0.0.1", &url))
            .header(AUTHORIZATION, format!("Bearer {key}"))
            .send()
            .await
            .unwrap();
        assert_eq!(file.status(), StatusCode::OK);
        assert!(file.bytes().await.unwrap().starts_with(b"%PDF-"));
        let next = page["next_since"].as_i64().unwrap();
        let later: Value = pull((next + 3600).to_string()).await.unwrap().json().await.unwrap();
        assert_eq!(later["conversations"], serde_json::json!([]));
        let bad = pull("gestern".into()).await.unwrap();
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let none =
            app.client("api.localhost").get(app.url("127.0.0.1", "/api/v1/messages")).send().await.unwrap();
        assert_eq!(none.status(), StatusCode::UNAUTHORIZED);

        // A busy office pages through its inbox, 100 at a time.
        app.sql(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 120)
             INSERT INTO conversations (broker_id, customer_id, topic, status, created_at, updated_at)
             SELECT c.broker_id, c.id, 'question', 'new', i, i FROM n, customers c
             WHERE c.email = 'anna.schneider@example.com'",
        )
        .await;
        let first = app.json(HOST, "mailbox/inbox", &[("filter[status]", "all")], &staff).await;
        assert_eq!((first["rows"].as_array().unwrap().len(), first["more"].as_bool()), (100, Some(true)));
        assert_eq!(first["rows"][0]["id"].to_string(), id, "the latest activity comes first");
        let second = app
            .json(HOST, "mailbox/inbox", &[("filter[status]", "all"), ("filter[page]", "1")], &staff)
            .await;
        assert_eq!((second["rows"].as_array().unwrap().len(), second["more"].as_bool()), (21, Some(false)));

        // An unanswered conversation comes before newer ones that are answered, and the
        // counts on the inbox and the badge agree.
        let unread_before = app.json(HOST, "mailbox/unread", &[], &staff).await.as_i64().unwrap();
        app.sql("UPDATE conversations SET last_customer_message = 1 WHERE created_at = 5").await;
        let old = app.count("SELECT id FROM conversations WHERE created_at = 5").await;
        let first = app.json(HOST, "mailbox/inbox", &[("filter[status]", "all")], &staff).await;
        assert_eq!(
            (first["rows"][0]["id"].as_i64(), first["rows"][0]["unread"].as_bool()),
            (Some(old), Some(true))
        );
        assert_eq!(first["unread"].as_i64(), Some(unread_before + 1));
        assert_eq!(app.json(HOST, "mailbox/unread", &[], &staff).await, unread_before + 1);
        let new = app.count("SELECT COUNT(*) FROM conversations WHERE status = 'new'").await;
        assert!(new >= 120, "{new}");
        assert_eq!(first["new"].as_i64(), Some(new));
    }
}

#[tokio::test]
async fn no_other_customer_and_no_other_broker_reads_answers_or_lists_a_conversation() {
    for backend in backends() {
        let app = spawn(backend).await;
        empty_mailbox(&app).await;
        let anna = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
        let staff = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        let photo_id = upload_for_message(&app, &anna, &[], "IMG_0002.jpg", photo()).await;
        let id = started(
            &app,
            &anna,
            &[("topic", "question"), ("body", "Private Frage"), ("attachments", &photo_id)],
        )
        .await;
        let held = upload_for_message(&app, &anna, &[], "IMG_0003.jpg", photo()).await;

        // Another customer of the same broker.
        let form = [("first_name", "Bernd"), ("last_name", "Neu"), ("email", "bernd.neu@example.com")];
        assert!(app.call(HOST, "customers/invite", &form, Some(&staff)).await.status().is_success());
        let token = token_of(&link_in(&app.last_mail()));
        let bernd = session_cookie(&app.set_password(HOST, &token, "Bernd-Passwort-2026").await).unwrap();
        assert_eq!(
            app.call(HOST, "mailbox/show", &[("id", &id)], Some(&bernd)).await.status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.call(HOST, "mailbox/reply", &[("id", &id), ("body", "Hallo")], Some(&bernd)).await.status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.call(HOST, "mailbox/mark-read", &[("id", &id)], Some(&bernd)).await.status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(app.json(HOST, "mailbox/mine", &[], &bernd).await, serde_json::json!([]));
        assert_eq!(app.json(HOST, "mailbox/unread", &[], &bernd).await, 0);
        assert_eq!(
            app.get(HOST, &format!("/files/{photo_id}"), Some(&bernd)).await.status(),
            StatusCode::NOT_FOUND
        );
        // Nor can he take Anna's unsent file, attach it or delete it.
        let stolen =
            start(&app, &bernd, &[("topic", "question"), ("body", "x"), ("attachments", &held)]).await;
        assert_eq!(problems(stolen).await, [("attachments".to_owned(), "invalid_choice".to_owned())]);
        assert_eq!(
            app.call(HOST, "mailbox/discard", &[("id", &held)], Some(&bernd)).await.status(),
            StatusCode::NOT_FOUND
        );
        // Customers have no inbox and change nothing of the office's.
        assert_eq!(
            app.call(HOST, "mailbox/inbox", &[("filter[status]", "")], Some(&anna)).await.status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.call(HOST, "mailbox/assign", &[("id", &id), ("assignee", "")], Some(&anna)).await.status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.call(HOST, "mailbox/status", &[("id", &id), ("status", "done")], Some(&anna)).await.status(),
            StatusCode::FORBIDDEN
        );

        // Another broker's office, on its own host and by its own API key.
        let nord = other_broker_staff(&app).await;
        let call = |endpoint: &'static str, form: Vec<(&'static str, String)>| {
            let form: Vec<(&str, String)> = form;
            let nord = nord.clone();
            let app = &app;
            async move {
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                app.call("nord.localhost", endpoint, &form, Some(&nord)).await.status()
            }
        };
        assert_eq!(call("mailbox/show", vec![("id", id.clone())]).await, StatusCode::NOT_FOUND);
        assert_eq!(call("mailbox/mark-read", vec![("id", id.clone())]).await, StatusCode::NOT_FOUND);
        assert_eq!(
            call("mailbox/reply", vec![("id", id.clone()), ("body", "Hallo".into())]).await,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            call("mailbox/status", vec![("id", id.clone()), ("status", "done".into())]).await,
            StatusCode::NOT_FOUND
        );
        let inbox = app.json("nord.localhost", "mailbox/inbox", &[("filter[status]", "all")], &nord).await;
        assert_eq!(inbox["rows"], serde_json::json!([]));
        // Demo's session means nothing on nord's host.
        assert_eq!(
            app.call("nord.localhost", "mailbox/show", &[("id", &id)], Some(&staff)).await.status(),
            StatusCode::UNAUTHORIZED
        );
        let (ok, out, err) = app.folio(&["apikey", "create", "--broker", "nord"]);
        assert!(ok, "{err}");
        let key = out.lines().last().unwrap().trim().to_owned();
        let get = |path: String| {
            app.client("api.localhost")
                .get(app.url("127.0.0.1", &path))
                .header(AUTHORIZATION, format!("Bearer {key}"))
                .send()
        };
        let page: Value = get("/api/v1/messages".into()).await.unwrap().json().await.unwrap();
        assert_eq!(page["conversations"], serde_json::json!([]));
        let shown = app.json(HOST, "mailbox/show", &[("id", &id)], &staff).await;
        let message = shown["messages"][0]["id"].to_string();
        assert_eq!(
            get(format!("/api/v1/messages/{message}/attachments/1")).await.unwrap().status(),
            StatusCode::NOT_FOUND
        );

        // Anna herself may take her unsent file out again.
        assert!(app.call(HOST, "mailbox/discard", &[("id", &held)], Some(&anna)).await.status().is_success());
    }
}

#[tokio::test]
async fn notices_are_batched_at_most_one_per_recipient_per_window() {
    let app = spawn_with(Backend::Sqlite, &FAST_NOTICES).await;
    empty_mailbox(&app).await;
    let anna = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
    let staff = app.sign_in(HOST, STAFF.0, STAFF.1).await;
    let before = app.mail_count();
    let id = started(&app, &anna, &[("topic", "question"), ("body", "Erste Nachricht")]).await;
    let first = wait_for_mails(&app, before + 1);
    assert_eq!(first.len(), before + 1);
    // Within the window: two more messages, no more mail yet …
    app.json(HOST, "mailbox/reply", &[("id", &id), ("body", "Zweite")], &anna).await;
    app.json(HOST, "mailbox/reply", &[("id", &id), ("body", "Dritte")], &anna).await;
    assert_eq!(app.mail_count(), before + 1, "a second notice inside the window");
    // … then one notice for both when the window has passed, and no third.
    let all = wait_for_mails(&app, before + 2);
    assert_eq!(all.len(), before + 2);
    std::thread::sleep(Duration::from_millis(2500));
    assert_eq!(app.mail_count(), before + 2);
    let _ = staff;
}

#[tokio::test]
async fn a_customer_withdraws_a_health_consent_and_the_office_sees_it() {
    for backend in backends() {
        let app = spawn(backend).await;
        let anna = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
        let staff = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        let contracts = app.json(HOST, "contracts/mine", &[], &anna).await;
        let unfall = contract_of(&contracts, "Unfall");
        let claim = [
            ("topic", "claim"),
            ("contract_id", unfall.as_str()),
            ("claim_date", "2026-11-20"),
            ("place", "Sporthalle"),
            ("body", "Beim Training den Arm gebrochen."),
            ("health_consent", "on"),
        ];
        let id = started(&app, &anna, &claim).await;
        let number: i64 = id.parse().unwrap();
        let consents = app.json(HOST, "mailbox/consents", &[], &anna).await;
        let listed = consents.as_array().unwrap().iter().find(|c| c["conversation"]["id"] == number);
        let listed = listed.unwrap_or_else(|| panic!("{backend:?}: {consents}"));
        assert!(listed["given_at"].is_i64() && listed["withdrawn_at"].is_null(), "{backend:?}");
        // The office has read it; nothing new for it yet.
        app.json(HOST, "mailbox/mark-read", &[("id", &id)], &staff).await;
        let before = app.json(HOST, "mailbox/unread", &[], &staff).await;

        // Nobody else withdraws it: a person with a grant, staff, another broker, nobody signed in.
        let markus = app.sign_in(HOST, "markus.schneider@example.com", "Demo-Partner-2026!").await;
        let nord = other_broker_staff(&app).await;
        for (who, host, cookie) in [
            ("grantee", HOST, Some(markus.as_str())),
            ("staff", HOST, Some(staff.as_str())),
            ("other broker", "nord.localhost", Some(nord.as_str())),
            ("anonymous", HOST, None),
        ] {
            let res = app.call(host, "mailbox/withdraw-consent", &[("id", &id)], cookie).await;
            assert!(res.status().is_client_error(), "{backend:?} {who}: {}", res.status());
        }
        let shown = app.json(HOST, "mailbox/show", &[("id", &id)], &staff).await;
        assert!(shown["health_consent_withdrawn_at"].is_null(), "{backend:?}");

        app.json(HOST, "mailbox/withdraw-consent", &[("id", &id)], &anna).await;
        let consents = app.json(HOST, "mailbox/consents", &[], &anna).await;
        let listed = consents.as_array().unwrap().iter().find(|c| c["conversation"]["id"] == number);
        assert!(listed.is_some_and(|c| c["withdrawn_at"].is_i64()), "{backend:?}: {consents}");
        // The office finds the conversation unread again, with the withdrawal on it and in the trail.
        let after = app.json(HOST, "mailbox/unread", &[], &staff).await;
        assert_eq!(after.as_i64().unwrap(), before.as_i64().unwrap() + 1, "{backend:?}");
        let page = body(app.get(HOST, &format!("/office/messages/{id}"), Some(&staff)).await).await.1;
        assert!(page.contains("Einwilligung widerrufen am"), "{backend:?}");
        let trail =
            app.json(HOST, "customers/detail", &[("id", &customer_id(&app, &staff).await)], &staff).await;
        assert!(trail["audit"].to_string().contains("health_consent.withdrawn"), "{backend:?}: {trail}");
        // Following the link to it changed nothing; the page marks it read.
        assert_eq!(app.json(HOST, "mailbox/unread", &[], &staff).await, after, "{backend:?}");
        app.json(HOST, "mailbox/mark-read", &[("id", &id)], &staff).await;
        // Withdrawing twice changes nothing.
        let seen = app.json(HOST, "mailbox/unread", &[], &staff).await;
        assert_eq!(seen, before, "{backend:?}");
        app.json(HOST, "mailbox/withdraw-consent", &[("id", &id)], &anna).await;
        assert_eq!(app.json(HOST, "mailbox/unread", &[], &staff).await, seen, "{backend:?}");
    }
}
