//! Privacy duties: client addresses leave after 7 days while the trail stays (R5.3); API
//! keys are listed, replaced and revoked; the office deactivates and reactivates accounts.

use reqwest::{Method, StatusCode};

use crate::auth::{customer_id, customer_user_id};
use crate::helpers::*;

const HOST: &str = "demo.localhost";
const ADDRESS: &str = "203.0.113.7";
const DAY: i64 = 86_400;

fn unix_now() -> i64 {
    i64::try_from(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs())
        .unwrap()
}

#[tokio::test]
async fn client_addresses_are_gone_after_seven_days_and_the_trail_stays() {
    for backend in backends() {
        // Behind a trusted proxy, so the sign-in comes from a documentation address.
        let app = spawn_with(backend, &[("FOLIO_TRUSTED_PROXIES", "127.0.0.1")]).await;
        sign_in_forwarded(&app, HOST, ADDRESS).await;
        let now = unix_now();

        // Within 7 days the office sees where the sign-in came from; only the technical table holds it.
        let staff = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        let id = customer_id(&app, &staff).await;
        let page = body(app.get(HOST, &format!("/office/customers/{id}"), Some(&staff)).await).await.1;
        assert!(page.contains("Angemeldet") && page.contains(ADDRESS), "{backend:?}: {page}");
        assert_eq!(app.columns_holding(ADDRESS).await, ["audit_addresses.ip"], "{backend:?}");
        let trail = app.count("SELECT COUNT(*) FROM audit_log").await;

        let six_days = (now + 6 * DAY).to_string();
        let (ok, out, err) = app.folio(&["housekeeping", "--now", &six_days]);
        assert!(ok, "{backend:?}: {err}");
        assert!(out.contains("client addresses older than 7 days deleted: 0"), "{backend:?}: {out}");
        assert_eq!(app.columns_holding(ADDRESS).await, ["audit_addresses.ip"], "{backend:?}");

        // After 7 days and a housekeeping run no table holds the address; the trail is whole.
        let eight_days = (now + 8 * DAY).to_string();
        let (ok, out, err) = app.folio(&["housekeeping", "--now", &eight_days]);
        assert!(ok, "{backend:?}: {err}");
        assert!(!out.contains("older than 7 days deleted: 0;"), "{backend:?}: {out}");
        assert_eq!(app.columns_holding(ADDRESS).await, Vec::<String>::new(), "{backend:?}");
        assert!(app.count("SELECT COUNT(*) FROM audit_log").await >= trail, "{backend:?}");
        // Sessions idle for 8 days were ended by the same run, so staff sign in again to look.
        let old = app.get(HOST, "/office/customers", Some(&staff)).await;
        assert!(location(&old).starts_with("/login"), "{backend:?}");
        let staff = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        let page = body(app.get(HOST, &format!("/office/customers/{id}"), Some(&staff)).await).await.1;
        assert!(page.contains("Angemeldet") && !page.contains(ADDRESS), "{backend:?}");
    }
}

#[tokio::test]
async fn owners_list_rotate_and_revoke_api_keys_and_a_revoked_key_is_refused_at_once() {
    for backend in backends() {
        let app = spawn(backend).await;
        let owner = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        let made = app.json(HOST, "api_keys/create", &[("name", "Maklerprogramm")], &owner).await;
        let key = made["key"].as_str().unwrap().to_owned();
        assert_eq!(made["name"], "Maklerprogramm");
        assert_eq!(send(&app, Method::GET, "/customers", Some(&key), None).await.0, StatusCode::OK);
        let list = app.json(HOST, "api_keys/list", &[], &owner).await;
        let listed = &list[0];
        assert_eq!(listed["name"], "Maklerprogramm", "{backend:?}");
        assert!(key.contains(listed["prefix"].as_str().unwrap()), "{backend:?}");
        assert!(listed["last_used_at"].is_i64() && listed["revoked_at"].is_null(), "{backend:?}: {list}");
        // `fk_<16 hex>_<secret>`; the secret is URL-safe base64 and may itself hold a `_`.
        let secret = &key["fk_".len() + 16 + 1..];
        assert!(!list.to_string().contains(secret), "the secret is never listed");
        let id = listed["id"].to_string();

        // A name is required; employees, customers and another broker's owner get nowhere.
        let unnamed = app.call(HOST, "api_keys/create", &[("name", " ")], Some(&owner)).await;
        assert_eq!(unnamed.status(), StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}");
        let tom = employee(&app).await;
        let customer = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
        for cookie in [&tom, &customer] {
            for (endpoint, form) in [
                ("api_keys/list", vec![]),
                ("api_keys/create", vec![("name", "Fremd")]),
                ("api_keys/revoke", vec![("id", id.as_str())]),
                ("api_keys/rotate", vec![("id", id.as_str())]),
            ] {
                let res = app.call(HOST, endpoint, &form, Some(cookie)).await;
                assert_eq!(res.status(), StatusCode::FORBIDDEN, "{backend:?} {endpoint}");
            }
        }
        let nord = other_broker_staff(&app).await;
        for endpoint in ["api_keys/revoke", "api_keys/rotate"] {
            let res = app.call("nord.localhost", endpoint, &[("id", id.as_str())], Some(&nord)).await;
            assert_eq!(res.status(), StatusCode::NOT_FOUND, "{backend:?} {endpoint}");
        }
        let theirs = app.json("nord.localhost", "api_keys/list", &[], &nord).await;
        assert_eq!(theirs, serde_json::json!([]), "{backend:?}");
        assert_eq!(send(&app, Method::GET, "/customers", Some(&key), None).await.0, StatusCode::OK);

        // Replacing gives a new key under the same name; the old one is refused at once.
        let rotated = app.json(HOST, "api_keys/rotate", &[("id", id.as_str())], &owner).await;
        let new_key = rotated["key"].as_str().unwrap().to_owned();
        assert_eq!(rotated["name"], "Maklerprogramm");
        assert_eq!(send(&app, Method::GET, "/customers", Some(&key), None).await.0, StatusCode::UNAUTHORIZED);
        assert_eq!(send(&app, Method::GET, "/customers", Some(&new_key), None).await.0, StatusCode::OK);

        // Revoked on the settings page: 401 on the next request.
        let list = app.json(HOST, "api_keys/list", &[], &owner).await;
        assert!(list[1]["revoked_at"].is_i64(), "{backend:?}: the old key is listed as revoked");
        let new_id = list[0]["id"].to_string();
        app.json(HOST, "api_keys/revoke", &[("id", new_id.as_str())], &owner).await;
        let again = app.call(HOST, "api_keys/revoke", &[("id", new_id.as_str())], Some(&owner)).await;
        assert_eq!(again.status(), StatusCode::NOT_FOUND, "{backend:?}: an ended key cannot end twice");
        assert_eq!(
            send(&app, Method::GET, "/customers", Some(&new_key), None).await.0,
            StatusCode::UNAUTHORIZED
        );

        // And from the command line, by the prefix the list shows.
        let cli_key = api_key(&app, "demo");
        let (ok, out, err) = app.folio(&["apikey", "list", "--broker", "demo"]);
        let prefix = format!("fk_{}", cli_key.split('_').nth(1).unwrap());
        assert!(
            ok && out.contains(&prefix) && out.contains("Maklerprogramm") && out.contains("revoked"),
            "{err}{out}"
        );
        let (ok, _, err) = app.folio(&["apikey", "revoke", "--broker", "nord", &prefix]);
        assert!(!ok && err.contains("no live API key"), "{backend:?}: {err}");
        assert_eq!(send(&app, Method::GET, "/customers", Some(&cli_key), None).await.0, StatusCode::OK);
        let (ok, _, err) = app.folio(&["apikey", "revoke", "--broker", "demo", &prefix]);
        assert!(ok, "{err}");
        assert_eq!(
            send(&app, Method::GET, "/customers", Some(&cli_key), None).await.0,
            StatusCode::UNAUTHORIZED
        );
    }
}

async fn login(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    app.call(HOST, "auth/login", &[("email", email), ("password", password)], None).await
}

#[tokio::test]
async fn the_office_deactivates_and_reactivates_a_customer_login() {
    for backend in backends() {
        let app = spawn(backend).await;
        let tom = employee(&app).await;
        let anna = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
        let user_id = customer_user_id(&app, &tom).await;
        // A reset link sent before the deactivation must not work after it.
        app.json(HOST, "auth/send-reset", &[("user_id", user_id.as_str())], &tom).await;
        let token = token_of(&link_in(&app.last_mail()));

        // Another customer, another broker's owner and nobody signed in get nowhere.
        let markus = app.sign_in(HOST, "markus.schneider@example.com", "Demo-Partner-2026!").await;
        let off = [("user_id", user_id.as_str()), ("active", "false")];
        let res = app.call(HOST, "accounts/set-active", &off, Some(&markus)).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{backend:?}");
        let nord = other_broker_staff(&app).await;
        let res = app.call("nord.localhost", "accounts/set-active", &off, Some(&nord)).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{backend:?}");
        let res = app.call(HOST, "accounts/set-active", &off, None).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{backend:?}");
        assert_eq!(app.get(HOST, "/app", Some(&anna)).await.status(), StatusCode::OK, "{backend:?}");

        // An employee may end a customer's access: her session, sign-in and links end at once.
        app.json(HOST, "accounts/set-active", &off, &tom).await;
        let ended = app.get(HOST, "/app", Some(&anna)).await;
        assert!(location(&ended).starts_with("/login"), "{backend:?}");
        // The phone forgets what the app kept in it (drafts).
        assert_eq!(ended.headers()["clear-site-data"], "\"storage\"", "{backend:?}");
        let refused = login(&app, CUSTOMER.0, CUSTOMER.1).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{backend:?}");
        let wrong = login(&app, CUSTOMER.0, "falsch-falsch-falsch").await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED, "{backend:?}: a wrong password learns nothing");
        let link = app.set_password(HOST, &token, "Ein-neues-Passwort-1").await;
        assert_eq!(link.status(), StatusCode::GONE, "{backend:?}");
        let res = app.call(HOST, "auth/send-reset", &[("user_id", user_id.as_str())], Some(&tom)).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{backend:?}");
        let id = customer_id(&app, &tom).await;
        let page = body(app.get(HOST, &format!("/office/customers/{id}"), Some(&tom)).await).await.1;
        assert!(
            page.contains("Zugang deaktiviert") && page.contains("Zugang wieder aktivieren"),
            "{backend:?}"
        );

        // Reactivated: she signs in with her own password again.
        let on = [("user_id", user_id.as_str()), ("active", "true")];
        app.json(HOST, "accounts/set-active", &on, &tom).await;
        let anna = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
        let page = body(app.get(HOST, &format!("/office/customers/{id}"), Some(&tom)).await).await.1;
        assert!(page.contains("Zugang deaktivieren"), "{backend:?}");
        let signed_out = app.call(HOST, "auth/logout", &[], Some(&anna)).await;
        assert_eq!(signed_out.headers()["clear-site-data"], "\"storage\"", "{backend:?}");
        // Only then: a visit without a session keeps its storage.
        assert!(app.get(HOST, "/login", None).await.headers().get("clear-site-data").is_none());
    }
}

#[tokio::test]
async fn only_an_owner_deactivates_a_colleague_and_never_themself() {
    let app = spawn(Backend::Sqlite).await;
    let owner = app.sign_in(HOST, STAFF.0, STAFF.1).await;
    let tom = employee(&app).await;
    let team = app.json(HOST, "team/list", &[], &owner).await;
    let id_of = |email: &str| {
        team.as_array().unwrap().iter().find(|s| s["email"] == email).unwrap()["user_id"].to_string()
    };
    let (owner_id, tom_id) = (id_of(STAFF.0), id_of("tom@sommer-partner.example"));
    for (who, cookie, target) in [("employee", &tom, &owner_id), ("owner", &owner, &owner_id)] {
        let res = app
            .call(HOST, "accounts/set-active", &[("user_id", target), ("active", "false")], Some(cookie))
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{who}");
    }
    app.json(HOST, "accounts/set-active", &[("user_id", tom_id.as_str()), ("active", "false")], &owner).await;
    assert!(location(&app.get(HOST, "/office/customers", Some(&tom)).await).starts_with("/login"));
    assert_eq!(
        login(&app, "tom@sommer-partner.example", "Tom-Passwort-2026!").await.status(),
        StatusCode::FORBIDDEN
    );
    let team = app.json(HOST, "team/list", &[], &owner).await;
    assert!(team.to_string().contains("\"deactivated\":true"), "{team}");
    app.json(HOST, "accounts/set-active", &[("user_id", tom_id.as_str()), ("active", "true")], &owner).await;
    app.sign_in(HOST, "tom@sommer-partner.example", "Tom-Passwort-2026!").await;
}

#[tokio::test]
async fn an_owner_deletes_a_colleague_whose_deeds_stay_named_and_whose_address_is_free_again() {
    for backend in backends() {
        let app = spawn(backend).await;
        let owner = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        let tom = employee(&app).await;
        let team = app.json(HOST, "team/list", &[], &owner).await;
        let member =
            |email: &str| team.as_array().unwrap().iter().find(|s| s["email"] == email).unwrap().clone();
        let (owner_id, tom_row) =
            (member(STAFF.0)["user_id"].to_string(), member("tom@sommer-partner.example"));
        let (tom_id, tom_name) =
            (tom_row["user_id"].to_string(), tom_row["display_name"].as_str().unwrap().to_owned());

        // Tom writes to Anna: the conversation is his, and the trail says he sent it.
        let anna_id = customer_id(&app, &tom).await;
        let letter = [
            ("customer_id", anna_id.as_str()),
            ("subject", "Ihr Vertrag"),
            ("body", "Bitte rufen Sie mich an."),
        ];
        let conversation = app.json(HOST, "mailbox/write", &letter, &tom).await.to_string();
        let mine = [("filter[assignee]", "me"), ("filter[status]", "all")];
        assert_eq!(app.json(HOST, "mailbox/inbox", &mine, &tom).await["rows"].as_array().unwrap().len(), 1);

        // An employee, the owner on herself, another broker, a customer and nobody get nowhere.
        let anna = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
        let delete = |id: &str| vec![("user_id", id.to_owned())];
        let refused = [
            ("employee", HOST, delete(&owner_id), Some(tom.as_str()), StatusCode::FORBIDDEN),
            ("owner herself", HOST, delete(&owner_id), Some(owner.as_str()), StatusCode::FORBIDDEN),
            ("customer", HOST, delete(&tom_id), Some(anna.as_str()), StatusCode::FORBIDDEN),
            ("nobody", HOST, delete(&tom_id), None, StatusCode::UNAUTHORIZED),
        ];
        for (who, host, form, cookie, status) in refused {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            assert_eq!(
                app.call(host, "team/delete", &form, cookie).await.status(),
                status,
                "{backend:?}: {who}"
            );
        }
        let nord = other_broker_staff(&app).await;
        let res =
            app.call("nord.localhost", "team/delete", &[("user_id", tom_id.as_str())], Some(&nord)).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{backend:?}: another broker");
        assert_eq!(
            app.get(HOST, "/office/customers", Some(&tom)).await.status(),
            StatusCode::OK,
            "{backend:?}"
        );

        // Deleted: his session ends, he cannot sign in, he leaves the team and the colleague picker.
        app.json(HOST, "team/delete", &[("user_id", tom_id.as_str())], &owner).await;
        assert!(
            location(&app.get(HOST, "/office/customers", Some(&tom)).await).starts_with("/login"),
            "{backend:?}"
        );
        let refused = login(&app, "tom@sommer-partner.example", "Tom-Passwort-2026!").await;
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED, "{backend:?}");
        let team = app.json(HOST, "team/list", &[], &owner).await.to_string();
        assert!(!team.contains("tom@sommer-partner.example"), "{backend:?}: {team}");
        let colleagues = app.json(HOST, "mailbox/colleagues", &[], &owner).await.to_string();
        assert!(!colleagues.contains(&tom_name), "{backend:?}: {colleagues}");
        let res = app.call(HOST, "team/delete", &[("user_id", tom_id.as_str())], Some(&owner)).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{backend:?}: deleted once");
        let res = app
            .call(
                HOST,
                "accounts/set-active",
                &[("user_id", tom_id.as_str()), ("active", "true")],
                Some(&owner),
            )
            .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{backend:?}: a deleted account is not reactivated");

        // His conversation is back in the shared inbox; his letter and the trail still name him.
        let unassigned = [("filter[assignee]", "none"), ("filter[status]", "all")];
        let rows = app.json(HOST, "mailbox/inbox", &unassigned, &owner).await["rows"].to_string();
        assert!(rows.contains("Ihr Vertrag"), "{backend:?}: {rows}");
        let shown = app.json(HOST, "mailbox/show", &[("id", conversation.as_str())], &owner).await;
        assert_eq!(shown["messages"][0]["author_name"], tom_name.as_str(), "{backend:?}");
        let page = body(app.get(HOST, &format!("/office/customers/{anna_id}"), Some(&owner)).await).await.1;
        assert!(page.contains(&tom_name), "{backend:?}");
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'user.deleted'").await,
            1,
            "{backend:?}"
        );

        // The address is free: the owner can invite someone under it again.
        let again =
            [("display_name", "Tom Neu"), ("email", "tom@sommer-partner.example"), ("role", "employee")];
        app.json(HOST, "team/invite", &again, &owner).await;
        let team = app.json(HOST, "team/list", &[], &owner).await.to_string();
        assert!(team.contains("Tom Neu"), "{backend:?}: {team}");
    }
}

#[tokio::test]
async fn drafts_are_kept_per_account_on_the_server_and_go_when_sent_or_untouched_for_30_days() {
    for backend in backends() {
        let app = spawn(backend).await;
        let anna = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
        let draft = [("draft[topic]", "question"), ("draft[body]", "Bin ich beim Umzug versichert?")];
        app.json(HOST, "mailbox/save-draft", &draft, &anna).await;
        let mine = app.json(HOST, "mailbox/draft", &[("topic", "question")], &anna).await;
        assert_eq!(mine["body"], "Bin ich beim Umzug versichert?", "{backend:?}");
        // Another kind of message has its own (empty) draft; so has everybody else.
        let claim = app.json(HOST, "mailbox/draft", &[("topic", "claim")], &anna).await;
        assert_eq!(claim["body"], "", "{backend:?}");
        let markus = app.sign_in(HOST, "markus.schneider@example.com", "Demo-Partner-2026!").await;
        let his = app.json(HOST, "mailbox/draft", &[("topic", "question")], &markus).await;
        assert_eq!(his["body"], "", "{backend:?}: another person on the same phone");
        let nord = other_broker_staff(&app).await;
        let res = app.call(HOST, "mailbox/draft", &[("topic", "question")], Some(&nord)).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{backend:?}: another broker's session");
        let staff = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        let res = app.call(HOST, "mailbox/save-draft", &draft, Some(&staff)).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{backend:?}: staff keep no drafts");
        let res = app.call(HOST, "mailbox/draft", &[("topic", "question")], None).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{backend:?}");

        // Too much or an unknown kind is refused, and the draft stays as it was.
        let long = "x".repeat(8_000);
        let res = app
            .call(
                HOST,
                "mailbox/save-draft",
                &[("draft[topic]", "question"), ("draft[body]", &long)],
                Some(&anna),
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}");
        let res = app
            .call(
                HOST,
                "mailbox/save-draft",
                &[("draft[topic]", "office"), ("draft[body]", "x")],
                Some(&anna),
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}");
        let mine = app.json(HOST, "mailbox/draft", &[("topic", "question")], &anna).await;
        assert_eq!(mine["body"], "Bin ich beim Umzug versichert?", "{backend:?}");

        // Sent: the draft is gone.
        let message = [("compose[topic]", "question"), ("compose[body]", "Bin ich beim Umzug versichert?")];
        let sent = app.call(HOST, "mailbox/start", &message, Some(&anna)).await;
        assert!(!sent.status().is_client_error() && !sent.status().is_server_error(), "{backend:?}");
        let mine = app.json(HOST, "mailbox/draft", &[("topic", "question")], &anna).await;
        assert_eq!(mine["body"], "", "{backend:?}");

        // Untouched for 30 days: housekeeping removes it.
        app.json(
            HOST,
            "mailbox/save-draft",
            &[("draft[topic]", "claim"), ("draft[place]", "Garmisch")],
            &anna,
        )
        .await;
        let now = unix_now();
        let (ok, out, err) = app.folio(&["housekeeping", "--now", &(now + 29 * DAY).to_string()]);
        assert!(ok && out.contains("drafts untouched for 30 days removed: 0"), "{backend:?}: {out} {err}");
        let (ok, out, err) = app.folio(&["housekeeping", "--now", &(now + 31 * DAY).to_string()]);
        assert!(ok && out.contains("drafts untouched for 30 days removed: 1"), "{backend:?}: {out} {err}");
        assert_eq!(app.count("SELECT COUNT(*) FROM message_drafts").await, 0, "{backend:?}");
    }
}
