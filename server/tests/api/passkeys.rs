//! Passkeys as far as a script can go without an authenticator (the browser test adds one
//! and signs in with it): the ceremonies' options, their refusals, and who may do what.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

const HOST: &str = "demo.localhost";

#[tokio::test]
async fn passkey_ceremonies_offer_the_right_options_and_refuse_what_they_should() {
    for backend in backends() {
        let app = spawn(backend).await;
        let anna = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
        // Adding one: options for this site, kept on the authenticator, verified by the person.
        let (status, text) = body(app.call(HOST, "passkeys/register-start", &[], Some(&anna)).await).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        let start: Value = serde_json::from_str(&text).unwrap();
        let options: Value = serde_json::from_str(start["options"].as_str().unwrap()).unwrap();
        let key = &options["publicKey"];
        assert_eq!(key["rp"]["id"], "demo.localhost");
        assert_eq!(key["rp"]["name"], "Sommer & Partner Versicherungsmakler");
        assert_eq!(key["user"]["name"], CUSTOMER.0);
        assert_eq!(key["authenticatorSelection"]["residentKey"], "required");
        assert_eq!(key["authenticatorSelection"]["userVerification"], "required");
        // A made-up answer is refused and adds nothing; the ceremony is used up.
        let ceremony = start["ceremony"].as_str().unwrap();
        let forged = [("ceremony", ceremony), ("name", "Telefon"), ("credential", "{\"id\":\"x\"}")];
        let res = app.call(HOST, "passkeys/register-finish", &forged, Some(&anna)).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        assert_eq!(app.count("SELECT COUNT(*) FROM passkeys").await, 0);
        // A stale session must prove itself first.
        app.sql("UPDATE sessions SET proved_at = proved_at - 700").await;
        let stale = app.call(HOST, "passkeys/register-start", &[], Some(&anna)).await;
        assert_eq!(stale.status(), StatusCode::FORBIDDEN);
        // Without a session nothing is listed or added.
        assert_eq!(app.call(HOST, "passkeys/list", &[], None).await.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            app.call(HOST, "passkeys/register-start", &[], None).await.status(),
            StatusCode::UNAUTHORIZED
        );

        // Signing in: a challenge for this site; a made-up answer signs nobody in.
        let (status, text) = body(app.call(HOST, "passkeys/sign-in-start", &[], None).await).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        let start: Value = serde_json::from_str(&text).unwrap();
        let options: Value = serde_json::from_str(start["options"].as_str().unwrap()).unwrap();
        assert_eq!(options["publicKey"]["rpId"], "demo.localhost");
        let ceremony = start["ceremony"].as_str().unwrap().to_owned();
        let answer = r#"{"id":"AAAA","rawId":"AAAA","type":"public-key","response":{"authenticatorData":"AAAA","clientDataJSON":"AAAA","signature":"AAAA","userHandle":"AAAA"}}"#;
        // Another broker's site does not know this ceremony.
        other_broker_staff(&app).await;
        let elsewhere = app
            .call(
                "nord.localhost",
                "passkeys/sign-in-finish",
                &[("ceremony", &ceremony), ("credential", answer)],
                None,
            )
            .await;
        assert_eq!(elsewhere.status(), StatusCode::BAD_REQUEST);
        let res = app
            .call(HOST, "passkeys/sign-in-finish", &[("ceremony", &ceremony), ("credential", answer)], None)
            .await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        assert!(session_cookie(&res).is_none());

        // Nobody removes another person's passkey.
        let markus = app.sign_in(HOST, "markus.schneider@example.com", "Demo-Partner-2026!").await;
        let anna_id = app.count(&format!("SELECT id FROM users WHERE email = '{}'", CUSTOMER.0)).await;
        let broker = app.count("SELECT id FROM brokers WHERE slug = 'demo'").await;
        app.sql(&format!(
            "INSERT INTO passkeys (broker_id, user_id, credential_id, name, passkey, created_at) VALUES ({broker}, {anna_id}, 'abc', 'Telefon', '{{}}', 1)"
        ))
        .await;
        let id = app.count("SELECT id FROM passkeys").await.to_string();
        let res = app.call(HOST, "passkeys/remove", &[("id", &id)], Some(&markus)).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let (_, listed) = body(app.call(HOST, "passkeys/list", &[], Some(&markus)).await).await;
        assert_eq!(listed, "[]");
        assert_eq!(app.count("SELECT COUNT(*) FROM passkeys").await, 1);
        // The office's reset removes passkeys too.
        let jana = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        let (_, active) = body(
            app.call(HOST, "second-factor/active", &[("user_id", &anna_id.to_string())], Some(&jana)).await,
        )
        .await;
        assert_eq!(active, "true");
        let res =
            app.call(HOST, "second-factor/reset", &[("user_id", &anna_id.to_string())], Some(&jana)).await;
        assert!(res.status().is_success(), "{}", res.status());
        assert_eq!(app.count("SELECT COUNT(*) FROM passkeys").await, 0);
    }
}
