//! Sign-in, sessions, invitations and reset links, as a browser or script sees them.

use reqwest::StatusCode;

use crate::helpers::*;

const HOST: &str = "demo.localhost";

#[tokio::test]
async fn wrong_password_and_unknown_account_get_the_same_answer() {
    for backend in backends() {
        let app = spawn(backend).await;
        let wrong = app
            .call(HOST, "auth/login", &[("email", CUSTOMER.0), ("password", "falsch-falsch-falsch")], None)
            .await;
        let unknown = app
            .call(
                HOST,
                "auth/login",
                &[("email", "niemand@example.com"), ("password", "falsch-falsch-falsch")],
                None,
            )
            .await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
        assert!(session_cookie(&wrong).is_none());
        assert_eq!(body(wrong).await.1, body(unknown).await.1);
    }
}

#[tokio::test]
async fn a_customer_signs_in_and_sees_the_folder_with_a_session_cookie() {
    for backend in backends() {
        let app = spawn(backend).await;
        let res =
            app.call(HOST, "auth/login", &[("email", CUSTOMER.0), ("password", CUSTOMER.1)], None).await;
        assert!(res.status().is_success(), "{}", res.status());
        assert_eq!(location(&res), "/app");
        let set = set_cookie_headers(&res).join("\n");
        assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax"), "{set}");
        assert!(!set.contains("Max-Age") && !set.contains("Expires"), "session cookie only: {set}");
        let cookie = session_cookie(&res).unwrap();

        let (status, page) = body(app.get(HOST, "/app", Some(&cookie)).await).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Anna Schneider"), "{page}");
        assert!(page.contains("Übersicht") && page.contains("Postfach"));

        // Customers are sent away from the office.
        let office = app.get(HOST, "/office/customers", Some(&cookie)).await;
        assert_eq!(location(&office), "/app");
        // Staff-only server functions refuse them.
        let list = app.call(HOST, "customers/list", &[("query", "")], Some(&cookie)).await;
        assert_eq!(list.status(), StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn without_a_session_pages_send_you_to_sign_in() {
    let app = spawn(Backend::Sqlite).await;
    let res = app.get(HOST, "/app", None).await;
    assert!(res.status().is_redirection());
    assert_eq!(location(&res), "/login");
    let (status, page) = body(app.get(HOST, "/login", None).await).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Sommer &amp; Partner Versicherungsmakler") || page.contains("Sommer & Partner"));
    assert!(page.contains("Anmelden"));
    assert!(!page.to_lowercase().contains("folio"), "no vendor name on a broker's page");
}

#[tokio::test]
async fn sign_out_ends_the_session_on_the_server() {
    for backend in backends() {
        let app = spawn(backend).await;
        let cookie = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
        let out = app.call(HOST, "auth/logout", &[], Some(&cookie)).await;
        assert!(set_cookie_headers(&out).iter().any(|c| c.contains("Max-Age=0")));
        // The old cookie no longer works, even if a browser kept it.
        let res = app.get(HOST, "/app", Some(&cookie)).await;
        assert_eq!(location(&res), "/login?expired=1");
    }
}

#[tokio::test]
async fn sign_out_everywhere_ends_every_session_of_the_person() {
    let app = spawn(Backend::Sqlite).await;
    let phone = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
    let laptop = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
    let staff = app.sign_in(HOST, STAFF.0, STAFF.1).await;
    app.call(HOST, "auth/logout-everywhere", &[], Some(&phone)).await;
    assert_eq!(location(&app.get(HOST, "/app", Some(&laptop)).await), "/login?expired=1");
    assert_eq!(app.get(HOST, "/office/customers", Some(&staff)).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn idle_sessions_expire() {
    let app = spawn_with(Backend::Sqlite, &[("FOLIO_SESSION_IDLE_SECS", "1")]).await;
    let cookie = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let res = app.get(HOST, "/app", Some(&cookie)).await;
    assert_eq!(location(&res), "/login?expired=1");
}

/// A sign-in from a client address, as a proxy in front would forward it.
async fn login_from(app: &TestApp, address: &str, email: &str, password: &str) -> reqwest::Response {
    app.client(HOST)
        .post(app.url(HOST, "/api/auth/login"))
        .header(reqwest::header::ACCEPT, "application/json")
        .header("x-forwarded-for", address)
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap()
}

/// 100 parallel wrong passwords from one address: each is counted before it is checked, so
/// only the address's free attempts (and the odd one after a wait) are checked at all. The
/// owner is not locked out: from elsewhere, the right password earns a mailed link that signs
/// them in; a wrong one there hears the same; other accounts are not slowed down.
#[tokio::test]
async fn a_flood_of_guesses_is_counted_before_checking_and_the_owner_gets_in_by_mail() {
    const ATTACKER: &str = "203.0.113.7";
    const OWNER_HOME: &str = "2001:db8:5:6::1";
    for backend in backends() {
        let app = spawn_with(backend, &[("FOLIO_TRUSTED_PROXIES", "127.0.0.1")]).await;
        let guesses: Vec<_> = (0..100)
            .map(|i| {
                let request = app
                    .client(HOST)
                    .post(app.url(HOST, "/api/auth/login"))
                    .header(reqwest::header::ACCEPT, "application/json")
                    .header("x-forwarded-for", ATTACKER)
                    .form(&[("email", STAFF.0), ("password", &format!("Geraten-{i}-falsch"))]);
                tokio::spawn(request.send())
            })
            .collect();
        let mut answers = std::collections::BTreeMap::<u16, usize>::new();
        for guess in guesses {
            *answers.entry(guess.await.unwrap().unwrap().status().as_u16()).or_default() += 1;
        }
        let checked = app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'sign_in.failed'").await;
        assert_eq!(answers.get(&401).copied().unwrap_or(0), usize::try_from(checked).unwrap(), "{answers:?}");
        assert_eq!(
            answers.get(&429).copied().unwrap_or(0) + usize::try_from(checked).unwrap(),
            100,
            "{answers:?}"
        );
        assert!((10..=15).contains(&checked), "10 free attempts and at most a few after waits: {checked}");
        let counted = "SELECT failures FROM sign_in_failures WHERE key = ";
        assert_eq!(app.count(&format!("{counted}'i:{ATTACKER}'")).await, 100);
        assert_eq!(app.count(&format!("{counted}'a:1:{}'", STAFF.0)).await, 100);

        // From the attacker's address even the right password signs nobody in (it waits, or
        // once the wait is over it only earns the owner a mail).
        assert!(session_cookie(&login_from(&app, ATTACKER, STAFF.0, STAFF.1).await).is_none());
        // Another account from elsewhere signs in as always.
        let other = login_from(&app, "198.51.100.9", CUSTOMER.0, CUSTOMER.1).await;
        assert!(session_cookie(&other).is_some(), "{}", other.status());

        // The owner at home: the right password alone does not sign in, it mails a link;
        // a wrong one gets the same answer and no mail.
        let mails = app.mail_count();
        let right = login_from(&app, OWNER_HOME, STAFF.0, STAFF.1).await;
        assert!(session_cookie(&right).is_none());
        let (status, text) = body(right).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(text.contains("ConfirmByMail"), "{text}");
        assert_eq!(app.mail_count(), mails + 1);
        let mail = app.last_mail();
        assert!(mail.contains(STAFF.0) && mail.contains("/sign-in/"), "{mail}");
        let wrong = login_from(&app, OWNER_HOME, STAFF.0, "Nicht-das-Passwort-1").await;
        assert_eq!(body(wrong).await, (StatusCode::UNAUTHORIZED, text.clone()));
        assert_eq!(app.mail_count(), mails + 1);

        // The link's page asks for one click; the click signs in, once.
        let token = token_of(&link_in(&mail));
        let (status, page) = body(app.get(HOST, &format!("/sign-in/{token}"), None).await).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains(STAFF.0), "the page names the account");
        // It is no password link.
        assert_eq!(app.set_password(HOST, &token, "Ein-neues-Passwort-1").await.status(), StatusCode::GONE);
        // Another broker's host does not know it.
        add_nord(&app);
        let elsewhere = app.call("nord.localhost", "auth/sign-in-link", &[("token", &token)], None).await;
        assert_eq!(elsewhere.status(), StatusCode::GONE);
        let used = app.call(HOST, "auth/sign-in-link", &[("token", &token)], None).await;
        let session = session_cookie(&used).expect("signed in by the link");
        assert!(app
            .call(HOST, "customers/list", &[("query", "")], Some(&session))
            .await
            .status()
            .is_success());
        let again = app.call(HOST, "auth/sign-in-link", &[("token", &token)], None).await;
        assert_eq!(again.status(), StatusCode::GONE);
        // Signed in, the account's failures are forgotten: the password alone works again.
        let direct = login_from(&app, OWNER_HOME, STAFF.0, STAFF.1).await;
        assert!(session_cookie(&direct).is_some(), "{}", direct.status());
    }
}

/// An address's own two sides: an IPv6 subscriber's addresses share one count, and a
/// customer's few mistakes are free before the account asks for the mailed link.
#[tokio::test]
async fn a_few_mistakes_are_free_then_the_account_asks_for_the_mailed_link() {
    let app = spawn_with(Backend::Sqlite, &[("FOLIO_TRUSTED_PROXIES", "127.0.0.1")]).await;
    let mut answers = Vec::new();
    for i in 0..7 {
        let res = login_from(&app, &format!("2001:db8:7:7::{i}"), CUSTOMER.0, "falsch-falsch-falsch").await;
        answers.push(body(res).await.1.contains("ConfirmByMail"));
    }
    assert_eq!(answers, [false, false, false, false, false, true, true]);
    assert_eq!(app.count("SELECT failures FROM sign_in_failures WHERE key = 'i:2001:db8:7:7::/64'").await, 7);
    let right = login_from(&app, "192.0.2.50", CUSTOMER.0, CUSTOMER.1).await;
    assert!(body(right).await.1.contains("ConfirmByMail"));
    assert!(app.last_mail().contains("/sign-in/"));
}

#[tokio::test]
async fn staff_invite_a_customer_who_chooses_a_password_once() {
    for backend in backends() {
        let app = spawn(backend).await;
        let staff = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        let bad = app
            .call(
                HOST,
                "customers/invite",
                &[("first_name", ""), ("last_name", "Neu"), ("email", "kein-mail")],
                Some(&staff),
            )
            .await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let text = body(bad).await.1;
        assert!(text.contains("first_name") && text.contains("invalid_email"), "{text}");

        let res = app
            .call(
                HOST,
                "customers/invite",
                &[("first_name", "Bernd"), ("last_name", "Neu"), ("email", "Bernd.Neu@Example.com")],
                Some(&staff),
            )
            .await;
        assert!(res.status().is_success(), "{}", res.status());
        let mail = app.last_mail();
        assert!(mail.contains("To: bernd.neu@example.com"), "{mail}");
        assert!(mail.contains("Sommer & Partner Versicherungsmakler"));
        assert!(!mail.to_lowercase().contains("passwort:"), "no password in a mail");
        let link = link_in(&mail);
        assert!(link.starts_with(&format!("http://{HOST}:")), "{link}");
        let token = token_of(&link);

        // The same address cannot be invited twice.
        let again = app
            .call(
                HOST,
                "customers/invite",
                &[("first_name", "B"), ("last_name", "N"), ("email", "bernd.neu@example.com")],
                Some(&staff),
            )
            .await;
        assert!(body(again).await.1.contains("email_taken"));

        let (status, page) = body(app.get(HOST, &path_of(&link), None).await).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("bernd.neu@example.com"));

        // A too short password keeps the link usable.
        let short = app.set_password(HOST, &token, "kurz").await;
        assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let pw = "mein neues langes Passwort";
        let set = app.set_password(HOST, &token, pw).await;
        assert!(set.status().is_success(), "{}", set.status());
        assert_eq!(location(&set), "/app");
        let cookie = session_cookie(&set).expect("signed in right away");
        let page = body(app.get(HOST, "/app", Some(&cookie)).await).await.1;
        assert!(page.contains("Bernd Neu"));

        let twice = app.set_password(HOST, &token, pw).await;
        assert_eq!(twice.status(), StatusCode::GONE);
        app.sign_in(HOST, "bernd.neu@example.com", pw).await;
    }
}

#[tokio::test]
async fn a_reset_link_works_once_and_ends_old_sessions() {
    for backend in backends() {
        let app = spawn(backend).await;
        let staff = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        let customer = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
        let page = body(app.get(HOST, "/office/customers", Some(&staff)).await).await.1;
        assert!(page.contains("Schneider, Anna"));

        let user_id = customer_user_id(&app, &staff).await;
        let before = app.mail_count();
        let res = app.call(HOST, "auth/send-reset", &[("user_id", &user_id)], Some(&staff)).await;
        assert!(res.status().is_success(), "{}", res.status());
        assert_eq!(app.mail_count(), before + 1);
        let mail = app.last_mail();
        assert!(mail.contains("24 Stunden"));
        let token = token_of(&link_in(&mail));

        let pw = "ganz neues Passwort 2026";
        let set = app.set_password(HOST, &token, pw).await;
        assert!(set.status().is_success());
        assert_eq!(location(&app.get(HOST, "/app", Some(&customer)).await), "/login?expired=1");
        let again = app.set_password(HOST, &token, pw).await;
        assert_eq!(again.status(), StatusCode::GONE);
        let page = body(app.get(HOST, &format!("/set-password/{token}"), None).await).await.1;
        assert!(page.contains("abgelaufen oder wurde bereits verwendet"));
        let old =
            app.call(HOST, "auth/login", &[("email", CUSTOMER.0), ("password", CUSTOMER.1)], None).await;
        assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
        app.sign_in(HOST, CUSTOMER.0, pw).await;

        // The customer's page shows who did what.
        let id = customer_id(&app, &staff).await;
        let page = body(app.get(HOST, &format!("/office/customers/{id}"), Some(&staff)).await).await.1;
        assert!(
            page.contains("Link zum Zurücksetzen gesendet") && page.contains("Passwort neu festgelegt"),
            "{page}"
        );
    }
}

#[tokio::test]
async fn customers_cannot_send_reset_links() {
    let app = spawn(Backend::Sqlite).await;
    let staff = app.sign_in(HOST, STAFF.0, STAFF.1).await;
    let customer = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
    let user_id = customer_user_id(&app, &staff).await;
    let res = app.call(HOST, "auth/send-reset", &[("user_id", &user_id)], Some(&customer)).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let anonymous = app.call(HOST, "auth/send-reset", &[("user_id", &user_id)], None).await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn customers_cannot_reach_the_office() {
    let app = spawn(Backend::Sqlite).await;
    let staff = app.sign_in(HOST, STAFF.0, STAFF.1).await;
    let customer = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
    let own_record = customer_id(&app, &staff).await;
    let calls: [(&str, &[(&str, &str)]); 3] = [
        ("customers/list", &[("query", "")]),
        ("customers/detail", &[("id", &own_record)]),
        ("customers/invite", &[("first_name", "X"), ("last_name", "Y"), ("email", "x.y@example.com")]),
    ];
    for (endpoint, form) in calls {
        let res = app.call(HOST, endpoint, form, Some(&customer)).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{endpoint}");
    }
    let page = app.get(HOST, "/office/customers", Some(&customer)).await;
    let (_, html) = body(page).await;
    assert!(!html.contains("Schneider, Anna"), "no customer list for a customer");
}

#[tokio::test]
async fn pages_carry_security_headers_and_a_script_nonce() {
    let app = spawn(Backend::Sqlite).await;
    let res = app.get(HOST, "/login", None).await;
    let h = res.headers().clone();
    let csp = h.get("content-security-policy").unwrap().to_str().unwrap().to_owned();
    assert!(csp.contains("script-src 'self' 'nonce-") && csp.contains("frame-ancestors 'self'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
    assert_eq!(h.get("referrer-policy").unwrap(), "same-origin");
    let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap().to_owned();
    let page = res.text().await.unwrap();
    assert!(page.contains(&format!("nonce=\"{nonce}\"")), "the hydration script carries the nonce");
}

#[tokio::test]
async fn the_language_follows_the_browser_and_the_profile() {
    let app = spawn(Backend::Sqlite).await;
    let en = app
        .client(HOST)
        .get(app.url(HOST, "/login"))
        .header("accept-language", "en-GB,en;q=0.9")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(en.contains("Sign in") && en.contains("lang=\"en\""));
    let cookie = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
    app.call(HOST, "profile/locale", &[("locale", "en")], Some(&cookie)).await;
    let page = body(app.get(HOST, "/app", Some(&cookie)).await).await.1;
    assert!(page.contains("Overview") && page.contains("Mailbox"), "{page}");
    let bad = app.call(HOST, "profile/locale", &[("locale", "xx")], Some(&cookie)).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

/// The demo customer's user id, read from the staff's customer page.
pub async fn customer_user_id(app: &TestApp, staff: &str) -> String {
    let id = customer_id(app, staff).await;
    let res = app.call(HOST, "customers/detail", &[("id", &id)], Some(staff)).await;
    let v: serde_json::Value = res.json().await.unwrap();
    v["user_id"].as_i64().unwrap().to_string()
}

pub async fn customer_id(app: &TestApp, staff: &str) -> String {
    let res = app.call(HOST, "customers/list", &[("query", "Schneider")], Some(staff)).await;
    let v: serde_json::Value = res.json().await.unwrap();
    v[0]["id"].as_i64().unwrap().to_string()
}

#[tokio::test]
async fn owners_invite_colleagues_and_nobody_else_may() {
    for backend in backends() {
        let app = spawn(backend).await;
        let owner = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        let customer = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
        let invite = |name: &'static str, email: &'static str, role: &'static str| {
            [("display_name", name), ("email", email), ("role", role)]
        };

        let bad = app.call(HOST, "team/invite", &invite(" ", "kein-mail", "customer"), Some(&owner)).await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let problems = body(bad).await.1;
        for field in ["display_name", "email", "role"] {
            assert!(problems.contains(field), "{field} is named: {problems}");
        }

        let before = app.mail_count();
        let tom = invite("Tom Team", "tom.team@sommer-partner.example", "employee");
        let res = app.call(HOST, "team/invite", &tom, Some(&owner)).await;
        assert!(res.status().is_success(), "{}", res.status());
        assert_eq!(app.mail_count(), before + 1);
        let mail = app.last_mail();
        assert!(mail.contains("tom.team@sommer-partner.example") && !mail.contains("Passwort:"));
        let token = token_of(&link_in(&mail));
        let set = app.set_password(HOST, &token, "Toms eigenes Passwort").await;
        assert_eq!(location(&set), "/office/customers");
        let employee = session_cookie(&set).expect("signed in right away");
        let list = body(app.call(HOST, "team/list", &[], Some(&owner)).await).await.1;
        assert!(list.contains("Tom Team"), "{list}");

        let again = app.call(HOST, "team/invite", &tom, Some(&owner)).await;
        assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY, "the address is taken");
        let other = invite("Eva Extra", "eva@sommer-partner.example", "owner");
        for (who, cookie, status) in
            [("employee", &employee, StatusCode::FORBIDDEN), ("customer", &customer, StatusCode::FORBIDDEN)]
        {
            let res = app.call(HOST, "team/invite", &other, Some(cookie)).await;
            assert_eq!(res.status(), status, "{who}");
        }
        let res = app.call(HOST, "team/list", &[], Some(&customer)).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert_eq!(app.mail_count(), before + 1, "no further mail");

        // The owner's session means nothing at another broker's host.
        add_nord(&app);
        let res = app.call("nord.localhost", "team/list", &[], Some(&owner)).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        let res = app.call("nord.localhost", "team/invite", &other, Some(&owner)).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
}

async fn sign_ins_from(app: &TestApp, ip: &str) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM audit_log a JOIN audit_addresses x ON x.audit_id = a.id
         WHERE a.action = 'sign_in' AND x.ip = '{ip}'"
    ))
    .await
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_client_address_counts_and_nowhere_else() {
    // Without a trusted proxy the header is the client's own words and is ignored.
    let app = spawn(Backend::Sqlite).await;
    sign_in_forwarded(&app, HOST, "203.0.113.7").await;
    assert_eq!(sign_ins_from(&app, "203.0.113.7").await, 0);
    assert_eq!(sign_ins_from(&app, "127.0.0.1").await, 1);

    let app = spawn_with(Backend::Sqlite, &[("FOLIO_TRUSTED_PROXIES", "127.0.0.1,::1")]).await;
    sign_in_forwarded(&app, HOST, "203.0.113.7").await;
    // What a client writes itself stands left of what the proxy adds.
    sign_in_forwarded(&app, HOST, "198.51.100.99, 203.0.113.8").await;
    assert_eq!(sign_ins_from(&app, "203.0.113.7").await, 1);
    assert_eq!(sign_ins_from(&app, "203.0.113.8").await, 1);
    assert_eq!(sign_ins_from(&app, "198.51.100.99").await, 0);
}

#[tokio::test]
async fn state_changing_requests_from_another_site_are_refused() {
    let app = spawn(Backend::Sqlite).await;
    let url = |path: &str| app.url(HOST, path);
    let own = url("");
    let login = [("email", STAFF.0), ("password", STAFF.1)];
    let post = |path: &str, headers: &[(&str, &str)]| {
        let mut req = app.client(HOST).post(url(path)).header("accept", "application/json");
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        req
    };

    // The attack of the issue: a sign-in posted from evil.example is refused, and sets no cookie.
    for headers in [
        vec![("origin", "https://evil.example")],
        vec![("origin", "https://evil.example"), ("sec-fetch-site", "cross-site")],
        vec![("sec-fetch-site", "same-site")],
        vec![("origin", "null")],
    ] {
        let res = post("/api/auth/login", &headers).form(&login).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{headers:?}");
        assert!(res.headers().get("set-cookie").is_none(), "{headers:?}");
    }
    // From the portal itself (what a browser sends), and from a client that is no browser.
    let res = post("/api/auth/login", &[("origin", &own), ("sec-fetch-site", "same-origin")])
        .form(&login)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let staff = app.sign_in(HOST, STAFF.0, STAFF.1).await;

    // Signing out, an upload and a server function from elsewhere change nothing.
    let res = post("/api/auth/logout", &[("origin", "https://evil.example")])
        .header("cookie", &staff)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get(HOST, "/office/customers", Some(&staff)).await.status(), StatusCode::OK);
    let upload = reqwest::multipart::Form::new().text("title", "Fremd");
    let res = post("/files/upload", &[("origin", "https://evil.example")])
        .header("cookie", &staff)
        .multipart(upload)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = post("/api/team/invite", &[("sec-fetch-site", "cross-site")])
        .header("cookie", &staff)
        .form(&[("display_name", "Eve"), ("email", "eve@evil.example"), ("role", "owner")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let team = app.json(HOST, "team/list", &[], &staff).await.to_string();
    assert!(!team.contains("eve@evil.example"), "{team}");

    // Reading from elsewhere is as before; the broker API (keys, no cookies) is outside the rule.
    let res =
        app.client(HOST).get(url("/login")).header("origin", "https://evil.example").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let key = api_key(&app, "demo");
    let res = app
        .client(HOST)
        .put(url("/api/v1/customers/K-ORIGIN"))
        .header("origin", "https://evil.example")
        .bearer_auth(key)
        .json(&serde_json::json!({ "first_name": "Petra", "last_name": "Krause" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn hosts_served_over_https_tell_the_browser_to_stay_on_https() {
    let app = spawn(Backend::Sqlite).await;
    for (host, path) in [("folio.example.com", "/healthz"), ("portal.makler.example", "/login")] {
        let res = app.get(host, path, None).await;
        assert_eq!(res.headers().get("strict-transport-security").unwrap(), "max-age=31536000", "{host}");
    }
    // Loopback is plain http (development, the tests): no promise of https there.
    let res = app.get(HOST, "/login", None).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers().get("strict-transport-security").is_none());
}

/// Link mails are limited: five per person and hour, 200 per broker and hour. Past the limit
/// the office hears when to try again, no link is made and no mail goes; another broker's
/// share is its own.
#[tokio::test]
async fn link_mails_are_limited_per_person_and_per_broker_and_hour() {
    for backend in backends() {
        let app = spawn(backend).await;
        let staff = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        let anna = customer_user_id(&app, &staff).await;
        // The demo sent its own invitations this hour; Anna's count starts from them.
        let sent_to_anna =
            app.count(&format!("SELECT COUNT(*) FROM auth_tokens WHERE user_id = {anna}")).await;
        for _ in sent_to_anna..5 {
            let res = app.call(HOST, "auth/send-reset", &[("user_id", &anna)], Some(&staff)).await;
            assert!(res.status().is_success(), "{}", res.status());
        }
        let (mails, links) = (app.mail_count(), app.count("SELECT COUNT(*) FROM auth_tokens").await);
        let res = app.call(HOST, "auth/send-reset", &[("user_id", &anna)], Some(&staff)).await;
        let (status, text) = body(res).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert!(text.contains("TooManyMails"), "{text}");
        assert_eq!((app.mail_count(), app.count("SELECT COUNT(*) FROM auth_tokens").await), (mails, links));

        // The broker's hour is full: no more invitations either.
        let broker_links = app.count("SELECT COUNT(*) FROM auth_tokens WHERE broker_id = 1").await;
        let now = app.count("SELECT MAX(created_at) FROM auth_tokens").await;
        app.sql(&format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {})
             INSERT INTO auth_tokens (token_hash, broker_id, user_id, purpose, created_at, expires_at)
             SELECT 'filler-' || i, 1, u.id, 'reset', {now}, {now} FROM n, users u WHERE u.email = '{}'",
            200 - broker_links,
            STAFF.0
        ))
        .await;
        let form = [("first_name", "Bernd"), ("last_name", "Neu"), ("email", "bernd.neu@example.com")];
        let res = app.call(HOST, "customers/invite", &form, Some(&staff)).await;
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
        let listed = app.call(HOST, "customers/list", &[("query", "Bernd")], Some(&staff)).await;
        assert_eq!(body(listed).await.1, "[]", "no half-made customer");
        // Another broker invites as usual.
        other_broker_staff(&app).await;
        assert!(app.last_mail().contains("chef@nordlicht.example"));
    }
}
