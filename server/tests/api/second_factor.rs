//! The second factor: an authenticator app set up in the profile and asked after the
//! password, recovery codes, the broker's rule, the office's reset, and the password asked
//! again before sensitive owner actions.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

const HOST: &str = "demo.localhost";

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs().cast_signed()
}

/// `name=value` of the cookie that holds a sign-in waiting for its second factor.
fn pending_cookie(res: &reqwest::Response) -> Option<String> {
    set_cookie_headers(res)
        .iter()
        .filter_map(|v| v.split(';').next())
        .find(|kv| kv.starts_with("pending=") && !kv.ends_with('='))
        .map(str::to_owned)
}

impl TestApp {
    async fn user_id(&self, email: &str) -> i64 {
        self.count(&format!("SELECT id FROM users WHERE email = '{email}'")).await
    }

    /// The code an authenticator app shows for this account `offset` seconds from now.
    async fn app_code(&self, email: &str, offset: i64) -> String {
        let pool = self.pool().await;
        let user = self.user_id(email).await;
        let secret: String =
            sqlx::query_scalar(&format!("SELECT secret FROM totp_factors WHERE user_id = {user}"))
                .fetch_one(&pool)
                .await
                .unwrap();
        let bytes: Vec<u8> = (0..secret.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&secret[i..i + 2], 16).unwrap())
            .collect();
        app::second_factor::rules::code_at(&bytes, now() + offset)
    }

    /// Sets up an authenticator app for a signed-in person; the recovery codes.
    async fn set_up_factor(&self, host: &str, cookie: &str, email: &str) -> Vec<String> {
        let res = self.call(host, "second-factor/set-up", &[], Some(cookie)).await;
        assert_eq!(res.status(), StatusCode::OK);
        let code = self.app_code(email, 0).await;
        let res = self.call(host, "second-factor/confirm", &[("code", &code)], Some(cookie)).await;
        let (status, text) = body(res).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        serde_json::from_str(&text).unwrap()
    }

    /// Signs in with the password; the cookie of the sign-in now waiting for its second factor.
    async fn password_step(&self, host: &str, email: &str, password: &str) -> String {
        let res = self.call(host, "auth/login", &[("email", email), ("password", password)], None).await;
        assert!(res.status().is_success() || res.status().is_redirection(), "{}", res.status());
        assert_eq!(location(&res), "/login/code");
        assert!(session_cookie(&res).is_none(), "no session before the second factor");
        pending_cookie(&res).expect("a pending sign-in")
    }
}

#[tokio::test]
async fn an_app_set_up_in_the_profile_is_asked_after_the_password_each_code_once() {
    for backend in backends() {
        let app = spawn(backend).await;
        let anna = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
        let (_, status) = body(app.call(HOST, "second-factor/status", &[], Some(&anna)).await).await;
        assert!(status.contains("\"active\":false"), "{status}");

        // The set-up shows a QR code of the otpauth link and the key to type.
        let (code, text) = body(app.call(HOST, "second-factor/set-up", &[], Some(&anna)).await).await;
        assert_eq!(code, StatusCode::OK);
        let set_up: Value = serde_json::from_str(&text).unwrap();
        assert!(set_up["url"].as_str().unwrap().starts_with("otpauth://totp/"), "{text}");
        assert!(set_up["qr_svg"].as_str().unwrap().contains("<svg"), "{text}");
        // A wrong first code sets nothing up.
        let wrong = app.call(HOST, "second-factor/confirm", &[("code", "000000")], Some(&anna)).await;
        assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let right = app.app_code(CUSTOMER.0, 0).await;
        let (status, text) =
            body(app.call(HOST, "second-factor/confirm", &[("code", &right)], Some(&anna)).await).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        let recovery: Vec<String> = serde_json::from_str(&text).unwrap();
        assert_eq!(recovery.len(), 10);
        assert_eq!(app.count("SELECT COUNT(*) FROM recovery_codes WHERE used_at IS NULL").await, 10);
        assert!(
            app.columns_holding(&recovery[0]).await.is_empty(),
            "recovery codes are kept as digests only"
        );

        // The password alone no longer signs in.
        let pending = app.password_step(HOST, CUSTOMER.0, CUSTOMER.1).await;
        let (status, text) = body(app.call(HOST, "second-factor/pending", &[], Some(&pending)).await).await;
        assert_eq!(status, StatusCode::OK);
        assert!(text.contains(CUSTOMER.0) && text.contains("\"must_set_up\":false"), "{text}");
        // The code that set it up does not count a second time.
        let replay = app.call(HOST, "second-factor/verify", &[("code", &right)], Some(&pending)).await;
        assert_eq!(replay.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(session_cookie(&replay).is_none());
        // The next one does (a clock 30 s ahead), once.
        let next = app.app_code(CUSTOMER.0, 30).await;
        let res = app.call(HOST, "second-factor/verify", &[("code", &next)], Some(&pending)).await;
        assert!(res.status().is_success() || res.status().is_redirection(), "{}", res.status());
        assert_eq!(location(&res), "/app");
        let session = session_cookie(&res).expect("signed in");
        assert_eq!(app.get(HOST, "/app", Some(&session)).await.status(), StatusCode::OK);
        // The waiting sign-in is over.
        let again = app.call(HOST, "second-factor/verify", &[("code", &next)], Some(&pending)).await;
        assert_eq!(again.status(), StatusCode::UNAUTHORIZED);

        // A recovery code, however typed, signs in once.
        let pending = app.password_step(HOST, CUSTOMER.0, CUSTOMER.1).await;
        let typed = recovery[3].to_uppercase().replace('-', " ");
        let res = app.call(HOST, "second-factor/verify", &[("code", &typed)], Some(&pending)).await;
        assert!(session_cookie(&res).is_some(), "{}", res.status());
        let pending = app.password_step(HOST, CUSTOMER.0, CUSTOMER.1).await;
        let used = app.call(HOST, "second-factor/verify", &[("code", &recovery[3])], Some(&pending)).await;
        assert_eq!(used.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(app.count("SELECT COUNT(*) FROM recovery_codes WHERE used_at IS NULL").await, 9);

        // Five wrong codes (the used recovery code was the first) end the waiting sign-in:
        // the password is asked again.
        for _ in 0..3 {
            let res = app.call(HOST, "second-factor/verify", &[("code", "123456")], Some(&pending)).await;
            assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        }
        let over = app.call(HOST, "second-factor/verify", &[("code", "123456")], Some(&pending)).await;
        assert_eq!(over.status(), StatusCode::UNAUTHORIZED);
        let code = app.app_code(CUSTOMER.0, 0).await;
        let late = app.call(HOST, "second-factor/verify", &[("code", &code)], Some(&pending)).await;
        assert_eq!(late.status(), StatusCode::UNAUTHORIZED);
        assert!(session_cookie(&late).is_none());

        // Under a flood of wrong passwords the factor, not a mailed link, confirms the right one.
        let broker = app.count("SELECT id FROM brokers WHERE slug = 'demo'").await;
        app.sql(&format!("DELETE FROM sign_in_failures WHERE key = 'a:{broker}:{}'", CUSTOMER.0)).await;
        app.sql(&format!(
            "INSERT INTO sign_in_failures (key, failures, last_at, blocked_until) VALUES ('a:{broker}:{}', 50, {}, 0)",
            CUSTOMER.0,
            now()
        ))
        .await;
        let mails = app.mail_count();
        let wrong =
            app.call(HOST, "auth/login", &[("email", CUSTOMER.0), ("password", "falsch-falsch")], None).await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
        let pending = app.password_step(HOST, CUSTOMER.0, CUSTOMER.1).await;
        assert_eq!(app.mail_count(), mails, "no link mailed to an account with a factor");
        // (The app's codes of these 30 seconds are used up; a recovery code will do.)
        let res = app.call(HOST, "second-factor/verify", &[("code", &recovery[5])], Some(&pending)).await;
        assert!(session_cookie(&res).is_some(), "{}", res.status());
        let flood = format!("SELECT COUNT(*) FROM sign_in_failures WHERE key = 'a:{broker}:{}'", CUSTOMER.0);
        assert_eq!(app.count(&flood).await, 0, "the count is forgotten after the factor");

        // Another broker's site knows nothing of this waiting sign-in.
        other_broker_staff(&app).await;
        let pending = app.password_step(HOST, CUSTOMER.0, CUSTOMER.1).await;
        let elsewhere = app.call("nord.localhost", "second-factor/pending", &[], Some(&pending)).await;
        assert_eq!(elsewhere.status(), StatusCode::UNAUTHORIZED);

        let trail = "SELECT COUNT(*) FROM audit_log WHERE action IN ('second_factor.added', 'second_factor.recovery_code_used', 'sign_in.code_failed')";
        assert!(app.count(trail).await >= 3);
    }
}

#[tokio::test]
async fn a_new_brokers_owner_sets_up_a_factor_before_getting_in_and_the_rule_is_the_owners() {
    for backend in backends() {
        let app = spawn(backend).await;
        let (ok, _, err) = app.folio(&["broker", "add", "--slug", "nord", "--name", "Nordlicht Finanz"]);
        assert!(ok, "{err}");
        let invite =
            ["staff", "invite", "--broker", "nord", "--email", "chef@nordlicht.example", "--role", "owner"];
        assert!(app.folio(&invite).0);
        let token = token_of(&link_in(&app.last_mail()));
        // Choosing the password does not sign the owner in: a factor must be set up first.
        let res = app.set_password("nord.localhost", &token, "Nordlicht-Passwort-1").await;
        assert_eq!(location(&res), "/login/code");
        assert!(session_cookie(&res).is_none());
        let pending = pending_cookie(&res).expect("waiting for the set-up");
        let (_, text) =
            body(app.call("nord.localhost", "second-factor/pending", &[], Some(&pending)).await).await;
        assert!(text.contains("\"must_set_up\":true"), "{text}");
        // Without the set-up the office stays closed.
        let verify =
            app.call("nord.localhost", "second-factor/verify", &[("code", "123456")], Some(&pending)).await;
        assert!(session_cookie(&verify).is_none());
        let res = app.call("nord.localhost", "second-factor/set-up", &[], Some(&pending)).await;
        assert_eq!(res.status(), StatusCode::OK);
        let code = app.app_code("chef@nordlicht.example", 0).await;
        let res =
            app.call("nord.localhost", "second-factor/confirm", &[("code", &code)], Some(&pending)).await;
        let owner = session_cookie(&res).expect("signed in with the set-up");
        let (status, text) = body(res).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(serde_json::from_str::<Vec<String>>(&text).unwrap().len(), 10);
        assert_eq!(
            app.get("nord.localhost", "/office/customers", Some(&owner)).await.status(),
            StatusCode::OK
        );

        // An employee may go without (the default rule is for owners) …
        let invite =
            ["staff", "invite", "--broker", "nord", "--email", "tom@nordlicht.example", "--role", "employee"];
        assert!(app.folio(&invite).0);
        let token = token_of(&link_in(&app.last_mail()));
        let res = app.set_password("nord.localhost", &token, "Tom-Passwort-2026!").await;
        let tom = session_cookie(&res).expect("an employee signs in with the password");
        // … and cannot change the rule; the owner can.
        let rule = [("staff", "staff"), ("customers", "required")];
        let refused = app.call("nord.localhost", "second-factor/set-policy", &rule, Some(&tom)).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        let bad = app
            .call(
                "nord.localhost",
                "second-factor/set-policy",
                &[("staff", "all"), ("customers", "x")],
                Some(&owner),
            )
            .await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let saved = app.call("nord.localhost", "second-factor/set-policy", &rule, Some(&owner)).await;
        assert!(saved.status().is_success(), "{}", saved.status());
        // Now the employee, too, sets one up at the next sign-in; the owner is asked the code.
        let res = app
            .call(
                "nord.localhost",
                "auth/login",
                &[("email", "tom@nordlicht.example"), ("password", "Tom-Passwort-2026!")],
                None,
            )
            .await;
        assert_eq!(location(&res), "/login/code");
        let pending = pending_cookie(&res).unwrap();
        let (_, text) =
            body(app.call("nord.localhost", "second-factor/pending", &[], Some(&pending)).await).await;
        assert!(text.contains("\"must_set_up\":true"), "{text}");
        let pending =
            app.password_step("nord.localhost", "chef@nordlicht.example", "Nordlicht-Passwort-1").await;
        let (_, text) =
            body(app.call("nord.localhost", "second-factor/pending", &[], Some(&pending)).await).await;
        assert!(text.contains("\"must_set_up\":false"), "{text}");
        // Where the broker requires it, the factor cannot be removed.
        let removed = app.call("nord.localhost", "second-factor/remove", &[], Some(&owner)).await;
        assert_eq!(removed.status(), StatusCode::FORBIDDEN);
        // The demo broker's rule is its own.
        let jana = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        let (_, text) = body(app.call(HOST, "second-factor/policy", &[], Some(&jana)).await).await;
        assert!(
            text.contains("\"staff\":\"Optional\"") && text.contains("\"customers\":\"Optional\""),
            "{text}"
        );
    }
}

#[tokio::test]
async fn sensitive_owner_actions_ask_for_the_password_again_after_ten_minutes() {
    for backend in backends() {
        let app = spawn(backend).await;
        let jana = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        // Freshly signed in: a new API key is made at once.
        let made = app.call(HOST, "api_keys/create", &[("name", "Maklerprogramm")], Some(&jana)).await;
        assert_eq!(made.status(), StatusCode::OK);
        app.sql("UPDATE sessions SET proved_at = proved_at - 700").await;
        for (endpoint, form) in [
            ("api_keys/create", vec![("name", "Zweites Programm")]),
            (
                "team/invite",
                vec![("display_name", "Tom"), ("email", "tom@sommer-partner.example"), ("role", "employee")],
            ),
            ("brand/add-domain", vec![("domain", "portal.sommer-partner.example")]),
            ("second-factor/set-policy", vec![("staff", "owners"), ("customers", "optional")]),
        ] {
            let (status, text) = body(app.call(HOST, endpoint, &form, Some(&jana)).await).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{endpoint}: {text}");
            assert!(text.contains("ProofNeeded"), "{endpoint}: {text}");
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM api_keys").await, 1);
        // A wrong password proves nothing; the right one does, and the page goes on.
        let next = ("next", "/office/settings");
        let wrong =
            app.call(HOST, "second-factor/prove", &[("password", "falsch-falsch"), next], Some(&jana)).await;
        assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let res = app.call(HOST, "second-factor/prove", &[("password", STAFF.1), next], Some(&jana)).await;
        assert_eq!(location(&res), "/office/settings");
        let made = app.call(HOST, "api_keys/create", &[("name", "Zweites Programm")], Some(&jana)).await;
        assert_eq!(made.status(), StatusCode::OK);
        // Somewhere else is never gone on to.
        let res = app
            .call(
                HOST,
                "second-factor/prove",
                &[("password", STAFF.1), ("next", "//evil.example/")],
                Some(&jana),
            )
            .await;
        assert_eq!(location(&res), "/office/customers");
        // With a factor, the code is asked too.
        app.set_up_factor(HOST, &jana, STAFF.0).await;
        let no_code =
            app.call(HOST, "second-factor/prove", &[("password", STAFF.1), next], Some(&jana)).await;
        assert_eq!(no_code.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let code = app.app_code(STAFF.0, 30).await;
        let res = app
            .call(HOST, "second-factor/prove", &[("password", STAFF.1), ("code", &code), next], Some(&jana))
            .await;
        assert_eq!(location(&res), "/office/settings");
        assert!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'identity.confirmed'").await >= 2);
        // A session left open long ago cannot tie the account to another phone.
        let anna = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
        app.sql("UPDATE sessions SET proved_at = proved_at - 700").await;
        assert_eq!(app.call(HOST, "second-factor/set-up", &[], Some(&anna)).await.status(), StatusCode::OK);
        let code = app.app_code(CUSTOMER.0, 0).await;
        let stale = app.call(HOST, "second-factor/confirm", &[("code", &code)], Some(&anna)).await;
        assert_eq!(stale.status(), StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn the_office_resets_a_factor_staff_a_customers_an_owner_a_colleagues_nobody_else() {
    for backend in backends() {
        let app = spawn(backend).await;
        let anna = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
        app.set_up_factor(HOST, &anna, CUSTOMER.0).await;
        let anna_id = app.user_id(CUSTOMER.0).await.to_string();
        let jana_id = app.user_id(STAFF.0).await.to_string();
        let target = [("user_id", anna_id.as_str())];

        // Another customer, another broker and Anna herself cannot.
        let markus = app.sign_in(HOST, "markus.schneider@example.com", "Demo-Partner-2026!").await;
        assert_eq!(
            app.call(HOST, "second-factor/reset", &target, Some(&markus)).await.status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.call(HOST, "second-factor/active", &target, Some(&markus)).await.status(),
            StatusCode::FORBIDDEN
        );
        let nord = other_broker_staff(&app).await;
        assert_eq!(
            app.call("nord.localhost", "second-factor/reset", &target, Some(&nord)).await.status(),
            StatusCode::NOT_FOUND
        );
        // An employee resets a customer's, not the owner's.
        let tom = employee(&app).await;
        let (_, active) = body(app.call(HOST, "second-factor/active", &target, Some(&tom)).await).await;
        assert_eq!(active, "true");
        let jana_target = [("user_id", jana_id.as_str())];
        assert_eq!(
            app.call(HOST, "second-factor/reset", &jana_target, Some(&tom)).await.status(),
            StatusCode::FORBIDDEN
        );
        let res = app.call(HOST, "second-factor/reset", &target, Some(&tom)).await;
        assert!(res.status().is_success(), "{}", res.status());
        // Anna's sessions ended; her password alone signs her in again.
        assert_ne!(app.get(HOST, "/app", Some(&anna)).await.status(), StatusCode::OK);
        let res =
            app.call(HOST, "auth/login", &[("email", CUSTOMER.0), ("password", CUSTOMER.1)], None).await;
        assert!(session_cookie(&res).is_some());
        assert_eq!(app.count("SELECT COUNT(*) FROM recovery_codes").await, 0);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'second_factor.reset'").await, 1);
        // Nothing left to reset.
        assert_eq!(
            app.call(HOST, "second-factor/reset", &target, Some(&tom)).await.status(),
            StatusCode::NOT_FOUND
        );
        // A deleted colleague's factor goes with the account.
        app.set_up_factor(HOST, &tom, "tom@sommer-partner.example").await;
        let tom_id = app.user_id("tom@sommer-partner.example").await.to_string();
        let jana = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        let deleted = app.call(HOST, "team/delete", &[("user_id", &tom_id)], Some(&jana)).await;
        assert!(deleted.status().is_success(), "{}", deleted.status());
        assert_eq!(
            app.count(&format!("SELECT COUNT(*) FROM totp_factors WHERE user_id = {tom_id}")).await,
            0
        );
        assert_eq!(
            app.count(&format!("SELECT COUNT(*) FROM recovery_codes WHERE user_id = {tom_id}")).await,
            0
        );
    }
}
