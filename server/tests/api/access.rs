//! Who sees what (R3): each row of the practice sheet's table through the REST API, the
//! office's form with its signed file and printable form, switching folders with one
//! password, revoking, and a sweep of ids that a person with a grant for one contract must
//! not reach, through pages, server functions, file routes and another broker's key.

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, COOKIE};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::*;

const HOST: &str = "demo.localhost";

/// A folder from the broker system: a person (K-1) with three contracts, or a company (F-1).
async fn folder(app: &TestApp, key: &str, id: &str, company: bool, contracts: &[&str]) {
    let body = if company {
        json!({"company_name": "Weber Dach GmbH", "street": "Hafenstraße 2", "postal_code": "20457", "city": "Hamburg"})
    } else {
        json!({"first_name": "Petra", "last_name": "Krause", "birth_date": "1979-03-02",
               "street": "Am Markt 3", "postal_code": "20095", "city": "Hamburg"})
    };
    let (status, out) = send(app, Method::PUT, &format!("/customers/{id}"), Some(key), Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{out}");
    for contract in contracts {
        add_contract(app, key, id, contract).await;
    }
}

async fn add_contract(app: &TestApp, key: &str, customer: &str, id: &str) {
    let body = json!({
        "customer_external_id": customer, "line": "Hausrat", "insurer": "Hanse Allgemeine",
        "policy_number": format!("P-{id}"), "status": "active", "premium_cents": 1000, "interval": "monthly"
    });
    let (status, out) = send(app, Method::PUT, &format!("/contracts/{id}"), Some(key), Some(body)).await;
    assert!(status.is_success(), "{out}");
}

/// Uploads a file to a folder or a contract with the REST API; its document id.
async fn upload(app: &TestApp, key: &str, path: &str, title: &str, kind: &str) -> i64 {
    let form = reqwest::multipart::Form::new()
        .text("title", title.to_owned())
        .text("kind", kind.to_owned())
        .part("file", reqwest::multipart::Part::bytes(tiny_pdf(title)).file_name("scan.pdf"));
    let res = app
        .client("api.localhost")
        .post(app.url("127.0.0.1", &format!("/api/v1{path}/documents")))
        .header(AUTHORIZATION, format!("Bearer {key}"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let (status, text) = body(res).await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    serde_json::from_str::<Value>(&text).unwrap()["id"].as_i64().unwrap()
}

fn person(first: &str, email: &str) -> Value {
    json!({"first_name": first, "last_name": "Krause", "birth_date": "2008-05-01", "street": "Am Markt 3",
           "postal_code": "20095", "city": "Hamburg", "country": "DE", "email": email})
}

fn requester() -> Value {
    json!({"first_name": "Petra", "last_name": "Krause", "birth_date": "1979-03-02", "street": "Am Markt 3",
           "postal_code": "20095", "city": "Hamburg"})
}

fn grant(role: &str, contracts: Value, email: &str, form: i64) -> Value {
    json!({"role": role, "person": person("Lena", email), "contracts": contracts, "requested_on": "2026-03-01",
           "requester": requester(), "signature": "handwritten", "form_document_id": form})
}

/// The invitation the last mail carries: a password is chosen, the session comes back.
async fn accept_invitation(app: &TestApp, to: &str, password: &str) -> String {
    let mail = app.last_mail();
    assert!(mail.contains(to), "the invitation goes to {to}: {mail}");
    let token = token_of(&link_in(&mail));
    session_cookie(&app.set_password(HOST, &token, password).await).expect("signed in")
}

/// The policy numbers of the contracts the person sees in the folder they look at.
async fn visible(app: &TestApp, cookie: &str) -> Vec<String> {
    let list = app.json(HOST, "contracts/mine", &[], cookie).await;
    let mut numbers: Vec<String> =
        list.as_array().unwrap().iter().map(|c| c["policy_number"].as_str().unwrap().to_owned()).collect();
    numbers.sort();
    numbers
}

fn problems(out: &Value) -> Vec<(String, String)> {
    out["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| (e["field"].as_str().unwrap().to_owned(), e["problem"].as_str().unwrap().to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn the_policyholder_sees_every_contract_also_later_ones_without_any_form() {
    for backend in backends() {
        let app = spawn(backend).await;
        let key = api_key(&app, "demo");
        let anna = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
        let before = visible(&app, &anna).await.len();
        assert_eq!(before, 15);
        add_contract(&app, &key, "demo-anna", "A-NEW").await;
        let after = visible(&app, &anna).await;
        assert_eq!(after.len(), 16);
        assert!(after.contains(&"P-A-NEW".to_owned()));
    }
}

#[tokio::test]
async fn an_insured_person_sees_that_one_contract_and_nothing_that_comes_later() {
    for backend in backends() {
        let app = spawn(backend).await;
        let key = api_key(&app, "demo");
        let k = Some(key.as_str());
        folder(&app, &key, "K-1", false, &["C-1", "C-2"]).await;
        let form = upload(&app, &key, "/customers/K-1", "Vollmacht Lena", "mandate").await;

        // The rows' rules, each named at its field.
        let path = "/customers/K-1/grants/G-1";
        let cases = [
            (
                grant("insured", json!(["C-1", "C-2"]), "lena@example.com", form),
                ("contracts", "one_contract"),
            ),
            (grant("insured", json!("all"), "lena@example.com", form), ("contracts", "only_listed")),
            (
                grant("legal_representative", json!("all"), "lena@example.com", form),
                ("role", "wrong_folder_kind"),
            ),
            (grant("insured", json!(["A-1"]), "lena@example.com", form), ("contracts", "not_in_folder")),
        ];
        for (body, expected) in cases {
            let (status, out) = send(&app, Method::PUT, path, k, Some(body)).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{out}");
            assert_eq!(problems(&out), [(expected.0.to_owned(), expected.1.to_owned())], "{out}");
        }
        let mut without_form = grant("insured", json!(["C-1"]), "lena@example.com", form);
        without_form.as_object_mut().unwrap().remove("form_document_id");
        let (status, out) = send(&app, Method::PUT, path, k, Some(without_form)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(problems(&out), [("form_document_id".to_owned(), "form_required".to_owned())]);
        // A form that is not a mandate, or another customer's, is no form.
        let letter = upload(&app, &key, "/customers/K-1", "Brief", "letter").await;
        let (status, out) = send(
            &app,
            Method::PUT,
            path,
            k,
            Some(grant("insured", json!(["C-1"]), "lena@example.com", letter)),
        )
        .await;
        assert_eq!(
            (status, problems(&out)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![("form_document_id".to_owned(), "invalid_choice".to_owned())]
            )
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM grants").await, 3, "only the demo's grants");

        let mails = app.mail_count();
        let (status, created) = send(
            &app,
            Method::PUT,
            path,
            k,
            Some(grant("insured", json!(["C-1"]), "lena@example.com", form)),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        assert_eq!(created["contracts"], json!(["C-1"]));
        assert_eq!(
            (created["status"].as_str(), created["account"].as_str()),
            (Some("active"), Some("invited"))
        );
        assert_eq!(app.mail_count(), mails + 1, "a new person is invited");
        let lena = accept_invitation(&app, "lena@example.com", "Lena-Passwort-2026").await;
        assert_eq!(visible(&app, &lena).await, ["P-C-1"]);
        // A listed set does not grow by itself.
        add_contract(&app, &key, "K-1", "C-3").await;
        assert_eq!(visible(&app, &lena).await, ["P-C-1"]);
        // What the access rests on travels with it.
        let (_, got) = send(&app, Method::GET, path, k, None).await;
        assert_eq!((got["role"].as_str(), got["form_document_id"].as_i64()), (Some("insured"), Some(form)));
        assert_eq!(got["account"], "active");
        let res = app.get(HOST, &format!("/files/{form}"), Some(&lena)).await;
        assert_eq!(res.status(), StatusCode::OK, "the person sees the form their access rests on");
        assert_eq!(
            app.get(HOST, &format!("/files/{letter}"), Some(&lena)).await.status(),
            StatusCode::NOT_FOUND
        );
    }
}

#[tokio::test]
async fn someone_else_sees_a_listed_set_and_an_existing_account_keeps_its_password() {
    for backend in backends() {
        let app = spawn(backend).await;
        let key = api_key(&app, "demo");
        let k = Some(key.as_str());
        folder(&app, &key, "K-1", false, &["C-1", "C-2", "C-3"]).await;
        let form = upload(&app, &key, "/customers/K-1", "Vollmacht Anna", "mandate").await;
        let mails = app.mail_count();
        let body = grant("other", json!(["C-1", "C-3"]), CUSTOMER.0, form);
        let (status, created) = send(&app, Method::PUT, "/customers/K-1/grants/G-ANNA", k, Some(body)).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        assert_eq!(app.mail_count(), mails, "no invitation: Anna has an account");
        assert_eq!(created["account"], "active");

        // Anna signs in with her one password and reaches two folders.
        let anna = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
        assert_eq!(visible(&app, &anna).await.len(), 15, "her own folder first");
        let page = app.get(HOST, "/app", Some(&anna)).await.text().await.unwrap();
        assert!(page.contains("folder-switcher"), "a switcher for two folders");
        let petra = app.count("SELECT id FROM customers WHERE external_id = 'K-1'").await;
        let res = app.call(HOST, "access/switch", &[("customer_id", &petra.to_string())], Some(&anna)).await;
        assert!(res.status().is_success() || res.status().is_redirection(), "{}", res.status());
        assert_eq!(visible(&app, &anna).await, ["P-C-1", "P-C-3"]);
        let page = app.get(HOST, "/app", Some(&anna)).await.text().await.unwrap();
        assert!(page.contains("access-basis") && page.contains("01.03.2026"), "what the access rests on");

        // Updating the grant to one contract takes effect at once; a PUT answers 200.
        let body = grant("other", json!(["C-2"]), CUSTOMER.0, form);
        let (status, _) = send(&app, Method::PUT, "/customers/K-1/grants/G-ANNA", k, Some(body)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(visible(&app, &anna).await, ["P-C-2"]);

        // Someone with a listed set asks questions, but changes no record and sends no file.
        let change = [
            ("compose[topic]", "address"),
            ("compose[street]", "Neue Straße 1"),
            ("compose[postal_code]", "20095"),
            ("compose[city]", "Hamburg"),
            ("compose[valid_from]", "2026-12-01"),
        ];
        let res = app.call(HOST, "mailbox/start", &change, Some(&anna)).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let upload = app.upload(HOST, Some(&anna), &[], Some(("x.pdf", tiny_pdf("x")))).await;
        assert_eq!(upload.status(), StatusCode::FORBIDDEN);
        let c2 = app.count("SELECT id FROM contracts WHERE external_id = 'C-2'").await.to_string();
        let question = [
            ("compose[topic]", "question"),
            ("compose[contract_id]", c2.as_str()),
            ("compose[body]", "Wann endet der Vertrag?"),
        ];
        let res = app.call(HOST, "mailbox/start", &question, Some(&anna)).await;
        assert!(res.status().is_success() || res.status().is_redirection(), "{}", res.status());
        // The question is hers, not the folder holder's: the office sees who wrote.
        let staff = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        let inbox = app.json(HOST, "mailbox/inbox", &[("filter[status]", "")], &staff).await;
        let asked =
            inbox["rows"].as_array().unwrap().iter().find(|r| r["customer_name"] == "Petra Krause").unwrap();
        assert_eq!(asked["person_name"], "Anna Schneider");
    }
}

#[tokio::test]
async fn a_companys_legal_representative_sees_all_and_acts_for_it_a_bookkeeper_a_listed_set() {
    for backend in backends() {
        let app = spawn(backend).await;
        let key = api_key(&app, "demo");
        let k = Some(key.as_str());
        folder(&app, &key, "F-1", true, &["W-1", "W-2"]).await;
        let form = upload(&app, &key, "/customers/F-1", "Vollmacht Geschäftsführer", "mandate").await;
        // A representative sees everything: a list is refused, as is a person's role.
        for (role, contracts, expected) in [
            ("legal_representative", json!(["W-1"]), ("contracts", "only_all")),
            ("other", json!(["W-1"]), ("role", "wrong_folder_kind")),
            ("other_for_entity", json!("all"), ("contracts", "only_listed")),
        ] {
            let (status, out) = send(
                &app,
                Method::PUT,
                "/customers/F-1/grants/G-X",
                k,
                Some(grant(role, contracts, "x@example.com", form)),
            )
            .await;
            assert_eq!(
                (status, problems(&out)),
                (StatusCode::UNPROCESSABLE_ENTITY, vec![(expected.0.to_owned(), expected.1.to_owned())])
            );
        }
        let rep = grant("legal_representative", json!("all"), "chefin@weber-dach.example", form);
        let (status, out) = send(&app, Method::PUT, "/customers/F-1/grants/G-REP", k, Some(rep)).await;
        assert_eq!(status, StatusCode::CREATED, "{out}");
        assert_eq!(out["contracts"], "all");
        let chefin = accept_invitation(&app, "chefin@weber-dach.example", "Chefin-Passwort-2026").await;
        let form2 = upload(&app, &key, "/customers/F-1", "Vollmacht Buchhaltung", "mandate").await;
        let bookkeeper = grant("other_for_entity", json!(["W-2"]), "buchhaltung@weber-dach.example", form2);
        let (status, _) = send(&app, Method::PUT, "/customers/F-1/grants/G-BH", k, Some(bookkeeper)).await;
        assert_eq!(status, StatusCode::CREATED);
        let books =
            accept_invitation(&app, "buchhaltung@weber-dach.example", "Buchhaltung-Passwort-2026").await;

        assert_eq!(visible(&app, &chefin).await, ["P-W-1", "P-W-2"]);
        assert_eq!(visible(&app, &books).await, ["P-W-2"]);
        add_contract(&app, &key, "F-1", "W-3").await;
        assert_eq!(visible(&app, &chefin).await, ["P-W-1", "P-W-2", "P-W-3"], "all includes future ones");
        assert_eq!(visible(&app, &books).await, ["P-W-2"]);
        // The representative acts for the company: a change of address, a file.
        let change = [
            ("compose[topic]", "address"),
            ("compose[street]", "Kaistraße 9"),
            ("compose[postal_code]", "20457"),
            ("compose[city]", "Hamburg"),
            ("compose[valid_from]", "2026-12-01"),
        ];
        let res = app.call(HOST, "mailbox/start", &change, Some(&chefin)).await;
        assert!(res.status().is_success() || res.status().is_redirection(), "{}", res.status());
        let res = app.call(HOST, "mailbox/start", &change, Some(&books)).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        // Both see the forms their access rests on; the bookkeeper not the other's.
        assert_eq!(app.get(HOST, &format!("/files/{form}"), Some(&chefin)).await.status(), StatusCode::OK);
        assert_eq!(app.get(HOST, &format!("/files/{form2}"), Some(&books)).await.status(), StatusCode::OK);
        assert_eq!(
            app.get(HOST, &format!("/files/{form}"), Some(&books)).await.status(),
            StatusCode::NOT_FOUND
        );

        // Revoking: the bookkeeper's very next request has no folder.
        let (status, _) = send(&app, Method::DELETE, "/customers/F-1/grants/G-BH", k, None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let res = app.call(HOST, "contracts/mine", &[], Some(&books)).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let page = app.get(HOST, "/app", Some(&books)).await.text().await.unwrap();
        assert!(page.contains("no-folder"));
        let (status, _) = send(&app, Method::DELETE, "/customers/F-1/grants/G-BH", k, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "nothing live left to revoke");
        let (_, listed) = send(&app, Method::GET, "/customers/F-1/grants", k, None).await;
        let statuses: Vec<&str> =
            listed.as_array().unwrap().iter().map(|g| g["status"].as_str().unwrap()).collect();
        assert_eq!(statuses, ["active", "revoked"], "the record stays");
    }
}

#[tokio::test]
async fn the_office_adds_a_grant_with_its_signed_form_prints_the_form_and_revokes() {
    for backend in backends() {
        let app = spawn(backend).await;
        let staff = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        let anna_folder =
            app.count("SELECT customer_id FROM users WHERE email = 'anna.schneider@example.com'").await;
        let contract = app.count("SELECT id FROM contracts WHERE external_id = 'demo-UV-71003'").await;
        let (id, c) = (anna_folder.to_string(), contract.to_string());
        let fields = |with_form: bool| {
            let mut form = reqwest::multipart::Form::new()
                .text("customer_id", id.clone())
                .text("role", "insured")
                .text("contracts", c.clone())
                .text("requested_on", "2026-11-02")
                .text("signature", "handwritten")
                .text("locale", "nl");
            for (prefix, first, email) in
                [("person", "Lena", "lena.schneider@example.com"), ("requester", "Anna", "")]
            {
                for (field, value) in [
                    ("first_name", first),
                    ("last_name", "Schneider"),
                    ("birth_date", "2012-09-01"),
                    ("street", "Lindenstraße 12"),
                    ("postal_code", "80331"),
                    ("city", "München"),
                    ("country", "DE"),
                    ("email", email),
                ] {
                    form = form.text(format!("{prefix}.{field}"), value.to_owned());
                }
            }
            if with_form {
                form = form.part(
                    "form",
                    reqwest::multipart::Part::bytes(tiny_pdf("unterschrieben")).file_name("vollmacht.pdf"),
                );
            }
            form
        };
        let post = |path: &str, cookie: &str, form: reqwest::multipart::Form| {
            app.client(HOST)
                .post(app.url(HOST, path))
                .header(ACCEPT, "application/json")
                .header(COOKIE, cookie.to_owned())
                .multipart(form)
                .send()
        };
        // The printable form, in the language chosen, with what was entered.
        let res = post("/office/mandate-form", &staff, fields(false)).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()[CONTENT_TYPE], "application/pdf");
        let pdf = res.bytes().await.unwrap();
        let text = String::from_utf8_lossy(&pdf);
        assert!(
            pdf.starts_with(b"%PDF-") && text.contains("(Lena Schneider)") && text.contains("(02/11/2026)")
        );
        // Without the signed form, no grant.
        let res = post("/office/grants", &staff, fields(false)).await.unwrap();
        let (status, out) = body(res).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(out.contains("form_document_id") && out.contains("form_required"), "{out}");
        // A customer and another broker's office cannot use the office's routes.
        // (Without the file: refused before the body is read, a large body could still be on its
        // way when the answer closes the connection.)
        // (An empty form: a refusal answered while a body is still being written can reach the
        // client as a broken pipe.)
        let anna = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
        for path in ["/office/grants", "/office/mandate-form"] {
            let res = app
                .client(HOST)
                .post(app.url(HOST, path))
                .header(ACCEPT, "application/json")
                .header(COOKIE, anna.clone())
                .multipart(reqwest::multipart::Form::new())
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{path}");
        }
        let nord = other_broker_staff(&app).await;
        let res = app
            .client("nord.localhost")
            .post(app.url("nord.localhost", "/office/grants"))
            .header(ACCEPT, "application/json")
            .header(COOKIE, nord.clone())
            .multipart(fields(true))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "another broker's customer does not exist there");
        let res =
            app.call("nord.localhost", "access/of-customer", &[("customer_id", &id)], Some(&nord)).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);

        let res = post("/office/grants", &staff, fields(true)).await.unwrap();
        let (status, out) = body(res).await;
        assert_eq!(status, StatusCode::CREATED, "{out}");
        let grants = app.json(HOST, "access/of-customer", &[("customer_id", &id)], &staff).await;
        let lena =
            grants.as_array().unwrap().iter().find(|g| g["email"] == "lena.schneider@example.com").unwrap();
        assert_eq!(lena["role"], "insured");
        let form = lena["form"].as_i64().unwrap();
        assert_eq!(
            app.count(&format!("SELECT COUNT(*) FROM documents WHERE id = {form} AND kind = 'mandate'"))
                .await,
            1
        );
        // A signed form stays as long as the grant's record.
        let res = app.call(HOST, "documents/delete", &[("id", &form.to_string())], Some(&staff)).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        // Anna sees who has access to her folder, with the form, and can ask to end it.
        let on_mine = app.json(HOST, "access/on-my-folder", &[], &anna).await;
        let names: Vec<&str> =
            on_mine.as_array().unwrap().iter().map(|g| g["person"]["first_name"].as_str().unwrap()).collect();
        assert_eq!(names, ["Lena", "Markus"]);
        assert_eq!(app.get(HOST, &format!("/files/{form}"), Some(&anna)).await.status(), StatusCode::OK);
        let grant_id = lena["id"].to_string();
        let asked = app.json(HOST, "access/request-end", &[("id", &grant_id)], &anna).await;
        let conversation = app.json(HOST, "mailbox/show", &[("id", &asked.to_string())], &anna).await;
        assert!(conversation["messages"][0]["body"].as_str().unwrap().contains("Lena Schneider"));

        let lena_session = accept_invitation(&app, "lena.schneider@example.com", "Lena-Passwort-2026").await;
        assert_eq!(visible(&app, &lena_session).await, ["UV-71003"]);
        let res = app.call(HOST, "access/revoke", &[("id", &grant_id)], Some(&staff)).await;
        assert!(res.status().is_success(), "{}", res.status());
        assert_eq!(
            app.call(HOST, "contracts/mine", &[], Some(&lena_session)).await.status(),
            StatusCode::FORBIDDEN
        );
        let trail = app.json(HOST, "customers/detail", &[("id", &id)], &staff).await;
        let actions: Vec<&str> =
            trail["audit"].as_array().unwrap().iter().map(|a| a["action"].as_str().unwrap()).collect();
        for action in ["grant.created", "grant.revoked", "grant.end_requested"] {
            assert!(actions.contains(&action), "{action} in the trail: {actions:?}");
        }
    }
}

/// Everything a person with a grant for one contract must not reach answers 404 (or 401/403
/// where that is the route's rule), never the data.
#[tokio::test]
async fn a_person_with_one_contract_reaches_nothing_else_by_any_id() {
    for backend in backends() {
        let app = spawn(backend).await;
        let key = api_key(&app, "demo");
        let k = Some(key.as_str());
        folder(&app, &key, "K-1", false, &["C-1", "C-2"]).await;
        let letter = upload(&app, &key, "/customers/K-1", "Brief", "letter").await;
        let other_policy = upload(&app, &key, "/contracts/C-2", "Police C-2", "policy").await;
        let own_policy = upload(&app, &key, "/contracts/C-1", "Police C-1", "policy").await;
        let form = upload(&app, &key, "/customers/K-1", "Vollmacht", "mandate").await;
        let (status, _) = send(
            &app,
            Method::PUT,
            "/customers/K-1/grants/G-1",
            k,
            Some(grant("insured", json!(["C-1"]), "lena@example.com", form)),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
        let lena = accept_invitation(&app, "lena@example.com", "Lena-Passwort-2026").await;
        // The office writes to the folder's holder, with a file: not Lena's.
        let staff = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        let petra = app.count("SELECT id FROM customers WHERE external_id = 'K-1'").await.to_string();
        let holders = app
            .json(
                HOST,
                "mailbox/write",
                &[("customer_id", &petra), ("subject", "Ihr Vertrag"), ("body", "Guten Tag")],
                &staff,
            )
            .await;
        let c1 = app.count("SELECT id FROM contracts WHERE external_id = 'C-1'").await.to_string();
        let c2 = app.count("SELECT id FROM contracts WHERE external_id = 'C-2'").await.to_string();
        // Anna's folder, another customer's: her contracts, documents, conversations.
        let anna_contract =
            app.count("SELECT MIN(id) FROM contracts WHERE external_id LIKE 'demo-%'").await.to_string();
        let anna_document = app.count("SELECT MIN(d.id) FROM documents d JOIN customers c ON c.id = d.customer_id WHERE c.external_id = 'demo-anna'").await;
        let anna_conversation = app.count("SELECT MIN(v.id) FROM conversations v JOIN customers c ON c.id = v.customer_id WHERE c.external_id = 'demo-anna'").await.to_string();
        let anna_photo =
            app.count("SELECT id FROM documents WHERE media_type = 'image/jpeg' ORDER BY id LIMIT 1").await;

        // What she may see, she sees.
        assert_eq!(
            app.call(HOST, "contracts/mine/detail", &[("id", &c1)], Some(&lena)).await.status(),
            StatusCode::OK
        );
        assert_eq!(
            app.get(HOST, &format!("/files/{own_policy}"), Some(&lena)).await.status(),
            StatusCode::OK
        );
        let documents = app.json(HOST, "documents/mine", &[("kind", ""), ("query", "")], &lena).await;
        let ids: Vec<i64> = documents.as_array().unwrap().iter().map(|d| d["id"].as_i64().unwrap()).collect();
        assert_eq!(ids, [form, own_policy], "the documents of her contract and the form her access rests on");
        assert_eq!(app.json(HOST, "mailbox/mine", &[], &lena).await, json!([]), "not the holder's mail");

        // Nothing else, by any id.
        for id in [c2.as_str(), anna_contract.as_str()] {
            let res = app.call(HOST, "contracts/mine/detail", &[("id", id)], Some(&lena)).await;
            assert_eq!(res.status(), StatusCode::NOT_FOUND, "contract {id}");
        }
        for id in [letter, other_policy, anna_document, anna_photo] {
            for path in
                [format!("/files/{id}"), format!("/files/{id}?download=1"), format!("/files/{id}/preview")]
            {
                assert_eq!(app.get(HOST, &path, Some(&lena)).await.status(), StatusCode::NOT_FOUND, "{path}");
            }
        }
        for id in [holders.to_string(), anna_conversation.clone()] {
            let res = app.call(HOST, "mailbox/show", &[("id", &id)], Some(&lena)).await;
            assert_eq!(res.status(), StatusCode::NOT_FOUND, "conversation {id}");
            let res = app.call(HOST, "mailbox/reply", &[("id", &id), ("body", "Hallo")], Some(&lena)).await;
            assert_eq!(res.status(), StatusCode::NOT_FOUND, "reply to {id}");
        }
        let res = app.call(HOST, "access/switch", &[("customer_id", "1")], Some(&lena)).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "a folder she does not reach");
        for endpoint in
            ["customers/detail", "contracts/of-customer", "documents/of-customer", "access/of-customer"]
        {
            let field = if endpoint == "customers/detail" { "id" } else { "customer_id" };
            let res = app.call(HOST, endpoint, &[(field, &petra)], Some(&lena)).await;
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{endpoint} is the office's");
        }
        let res = app.call(HOST, "access/on-my-folder", &[], Some(&lena)).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "who has access is the holder's to see");
        // Another broker's key reaches none of it.
        let nord_key = {
            other_broker_staff(&app).await;
            api_key(&app, "nord")
        };
        let n = Some(nord_key.as_str());
        for (method, path) in [
            (Method::GET, "/customers/K-1/grants"),
            (Method::GET, "/customers/K-1/grants/G-1"),
            (Method::DELETE, "/customers/K-1/grants/G-1"),
            (Method::GET, &*format!("/documents/{form}")),
            (Method::GET, &*format!("/documents/{form}/content")),
        ] {
            let (status, _) = send(&app, method, path, n, None).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        }
        let (status, _) = send(
            &app,
            Method::PUT,
            "/customers/K-1/grants/G-2",
            n,
            Some(grant("insured", json!(["C-1"]), "x@example.com", form)),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = send(&app, Method::GET, "/customers/K-1/grants", None, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        // And Lena still has what she had.
        assert_eq!(visible(&app, &lena).await, ["P-C-1"]);
    }
}
