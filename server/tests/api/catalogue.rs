//! The broker's catalogue: the office renames, reorders, hides, adds and deletes; contracts
//! follow; deleting what contracts use asks where they go; nobody else may touch it.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

const HOST: &str = "demo.localhost";

fn line<'a>(catalogue: &'a Value, name: &str) -> &'a Value {
    catalogue
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == name)
        .unwrap_or_else(|| panic!("no line {name}"))
}

fn names(catalogue: &Value) -> Vec<String> {
    catalogue.as_array().unwrap().iter().map(|l| l["name"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn the_office_shapes_the_catalogue_and_the_customer_sees_it_at_once() {
    for backend in backends() {
        let app = spawn(backend).await;
        let staff = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        let anna = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
        let cat = app.json(HOST, "catalogue/list", &[], &staff).await;
        let liability = line(&cat, "Haftpflicht");
        // Anna's two and the demo company's business liability.
        assert_eq!(liability["contracts"], 3);
        let private = &liability["products"][0];
        assert_eq!(private["name"], "Privathaftpflicht");
        let (line_id, product_id) = (liability["id"].to_string(), private["id"].to_string());

        // Rename a product and rewrite its text: the customer's contract follows.
        let form = [
            ("id", product_id.as_str()),
            ("line_id", line_id.as_str()),
            ("name", "Privat-Haftpflicht Plus"),
            ("description", "Schützt Sie, wenn Sie anderen einen Schaden zufügen."),
        ];
        let res = app.call(HOST, "catalogue/save-product", &form, Some(&staff)).await;
        assert!(res.status().is_success(), "{}", res.status());
        let contracts = app.json(HOST, "contracts/mine", &[], &anna).await;
        assert_eq!(contracts[0]["product"], "Privat-Haftpflicht Plus");
        let id = contracts[0]["id"].to_string();
        let detail = app.json(HOST, "contracts/mine/detail", &[("id", &id)], &anna).await;
        assert_eq!(detail["what_for"], "Schützt Sie, wenn Sie anderen einen Schaden zufügen.");

        // A name twice in the same line is a field error.
        let twin = [("line_id", line_id.as_str()), ("name", "Tierhalterhaftpflicht"), ("description", "")];
        let res = app.call(HOST, "catalogue/save-product", &twin, Some(&staff)).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.text().await.unwrap().contains("name_taken"));

        // Move Hausrat up: it now comes first, for the customer too.
        let household = line(&cat, "Hausrat")["id"].to_string();
        let res = app
            .call(
                HOST,
                "catalogue/move",
                &[("kind", "line"), ("id", &household), ("direction", "up")],
                Some(&staff),
            )
            .await;
        assert!(res.status().is_success());
        let cat = app.json(HOST, "catalogue/list", &[], &staff).await;
        assert_eq!(&names(&cat)[..2], ["Hausrat", "Haftpflicht"]);
        assert_eq!(app.json(HOST, "contracts/mine", &[], &anna).await[0]["line"], "Hausrat");
        // At the top, up does nothing.
        app.call(
            HOST,
            "catalogue/move",
            &[("kind", "line"), ("id", &household), ("direction", "up")],
            Some(&staff),
        )
        .await;
        assert_eq!(names(&app.json(HOST, "catalogue/list", &[], &staff).await)[0], "Hausrat");

        // Hide a line; add one of the broker's own.
        let legal = line(&cat, "Rechtsschutz");
        let form = [
            ("id", legal["id"].to_string()),
            ("name", "Rechtsschutz".into()),
            ("description", "x".into()),
            ("hidden", "on".into()),
        ];
        let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert!(app.call(HOST, "catalogue/save-line", &fields, Some(&staff)).await.status().is_success());
        let res = app
            .call(
                HOST,
                "catalogue/save-line",
                &[("name", "Cyber"), ("description", "Hilft nach einem Hackerangriff.")],
                Some(&staff),
            )
            .await;
        assert!(res.status().is_success());
        let cat = app.json(HOST, "catalogue/list", &[], &staff).await;
        assert_eq!(line(&cat, "Rechtsschutz")["hidden"], true);
        assert_eq!(names(&cat).last().unwrap(), "Cyber");
        let res =
            app.call(HOST, "catalogue/save-line", &[("name", " "), ("description", "")], Some(&staff)).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
}

#[tokio::test]
async fn deleting_what_contracts_use_asks_where_they_go() {
    for backend in backends() {
        let app = spawn(backend).await;
        let staff = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        let anna = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
        let cat = app.json(HOST, "catalogue/list", &[], &staff).await;
        let motor = line(&cat, "KFZ");
        let full = motor["products"].as_array().unwrap().iter().find(|p| p["name"] == "Vollkasko").unwrap();
        let partial =
            motor["products"].as_array().unwrap().iter().find(|p| p["name"] == "Teilkasko").unwrap();
        assert_eq!(full["contracts"], 1);

        // A product: its contracts move to another product of the line …
        let res = app
            .call(
                HOST,
                "catalogue/delete-product",
                &[("id", &full["id"].to_string()), ("move_to", &partial["id"].to_string())],
                Some(&staff),
            )
            .await;
        assert!(res.status().is_success(), "{}", res.status());
        let contracts = app.json(HOST, "contracts/mine", &[], &anna).await;
        let moved = contracts.as_array().unwrap().iter().filter(|c| c["product"] == "Teilkasko").count();
        assert_eq!(moved, 2, "the Vollkasko contract is now Teilkasko");
        // … or keep their line without a product.
        let res = app
            .call(
                HOST,
                "catalogue/delete-product",
                &[("id", &partial["id"].to_string()), ("move_to", "")],
                Some(&staff),
            )
            .await;
        assert!(res.status().is_success());
        let contracts = app.json(HOST, "contracts/mine", &[], &anna).await;
        assert_eq!(contracts.as_array().unwrap().len(), 15, "no contract lost");
        assert!(contracts.as_array().unwrap().iter().any(|c| c["line"] == "KFZ" && c["product"].is_null()));

        // A line with contracts needs a destination; a line without goes at once.
        let res =
            app.call(HOST, "catalogue/delete-line", &[("id", &motor["id"].to_string())], Some(&staff)).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.text().await.unwrap().contains("move_to"));
        let other = line(&cat, "Unfall")["id"].to_string();
        let res = app
            .call(
                HOST,
                "catalogue/delete-line",
                &[("id", &motor["id"].to_string()), ("move_to", &other)],
                Some(&staff),
            )
            .await;
        assert!(res.status().is_success());
        let contracts = app.json(HOST, "contracts/mine", &[], &anna).await;
        assert_eq!(contracts.as_array().unwrap().len(), 15);
        assert!(!contracts.as_array().unwrap().iter().any(|c| c["line"] == "KFZ"));
        let pv = line(&cat, "Wohngebäude")["id"].to_string();
        assert!(app
            .call(HOST, "catalogue/delete-line", &[("id", &pv)], Some(&staff))
            .await
            .status()
            .is_success());
        let cat = app.json(HOST, "catalogue/list", &[], &staff).await;
        assert!(!names(&cat).iter().any(|n| n == "KFZ" || n == "Wohngebäude"));
    }
}

#[tokio::test]
async fn only_the_brokers_office_may_change_its_catalogue() {
    for backend in backends() {
        let app = spawn(backend).await;
        let staff = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        let anna = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
        let cat = app.json(HOST, "catalogue/list", &[], &staff).await;
        let first = cat[0]["id"].to_string();
        let product = cat[0]["products"][0]["id"].to_string();

        let res = app.call(HOST, "catalogue/list", &[], Some(&anna)).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let res = app
            .call(
                HOST,
                "catalogue/save-line",
                &[("id", &first), ("name", "Gekapert"), ("description", "")],
                Some(&anna),
            )
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            app.call(HOST, "catalogue/delete-line", &[("id", &first)], None).await.status(),
            StatusCode::UNAUTHORIZED
        );

        add_nord(&app);
        let (ok, _, err) = app.folio(&[
            "staff",
            "invite",
            "--broker",
            "nord",
            "--email",
            "chef@nordlicht.example",
            "--role",
            "owner",
        ]);
        assert!(ok, "{err}");
        let token = token_of(&link_in(&app.last_mail()));
        let nord = session_cookie(&app.set_password("nord.localhost", &token, "Nordlicht-Passwort-1").await)
            .unwrap();
        let other = "nord.localhost";
        let res = app
            .call(
                other,
                "catalogue/save-line",
                &[("id", &first), ("name", "Gekapert"), ("description", "")],
                Some(&nord),
            )
            .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let res = app
            .call(
                other,
                "catalogue/save-product",
                &[("id", &product), ("line_id", &first), ("name", "X"), ("description", "")],
                Some(&nord),
            )
            .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let res = app
            .call(
                other,
                "catalogue/move",
                &[("kind", "line"), ("id", &first), ("direction", "down")],
                Some(&nord),
            )
            .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let res = app.call(other, "catalogue/delete-line", &[("id", &first)], Some(&nord)).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let res = app.call(other, "catalogue/delete-product", &[("id", &product)], Some(&nord)).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.json(HOST, "catalogue/list", &[], &staff).await, cat, "A's catalogue is untouched");
    }
}
