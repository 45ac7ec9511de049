//! White label: each broker's host is its own installable app (manifest, icons, service
//! worker, offline page) with its own name and colours and nowhere the vendor's; the owner
//! changes the brand, the logo and the domains, and nobody else may.

use reqwest::header::{CACHE_CONTROL, CONTENT_ENCODING, CONTENT_SECURITY_POLICY, CONTENT_TYPE, COOKIE};
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

const HOST: &str = "demo.localhost";
const NORD: &str = "nord.localhost";

async fn manifest(app: &TestApp, host: &str) -> Value {
    let res = app.get(host, "/manifest.webmanifest", None).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[CONTENT_TYPE], "application/manifest+json");
    serde_json::from_str(&res.text().await.unwrap()).unwrap()
}

async fn png(app: &TestApp, host: &str, path: &str) -> image::RgbaImage {
    let res = app.get(host, path, None).await;
    assert_eq!(res.status(), StatusCode::OK, "{host}{path}");
    assert_eq!(res.headers()[CONTENT_TYPE], "image/png");
    let bytes = res.bytes().await.unwrap();
    image::load_from_memory_with_format(&bytes, image::ImageFormat::Png).unwrap().to_rgba8()
}

/// The vendor's name must not appear in anything a broker's customers see.
fn assert_no_vendor(what: &str, text: &str) {
    assert!(!text.to_lowercase().contains("folio"), "{what} names the vendor: {text}");
}

/// A broker "nord" in its own colours, made from the command line.
fn add_nord(app: &TestApp) {
    let (ok, _, err) = app.folio(&[
        "broker",
        "add",
        "--slug",
        "nord",
        "--name",
        "Nordlicht Finanz",
        "--primary-color",
        "#0F766E",
        "--accent-color",
        "#fde047",
    ]);
    assert!(ok, "{err}");
}

#[tokio::test]
async fn each_broker_host_is_its_own_app_in_its_own_colours() {
    for backend in backends() {
        let app = spawn(backend).await;
        add_nord(&app);
        for (host, name, short, color, rgb) in [
            (HOST, "Sommer & Partner Versicherungsmakler", "Sommer", "#1d4ed8", [29, 78, 216]),
            (NORD, "Nordlicht Finanz", "Nordlicht", "#0f766e", [15, 118, 110]),
        ] {
            let m = manifest(&app, host).await;
            assert_eq!(m["name"], name);
            assert_eq!(m["short_name"], short);
            assert_eq!(m["theme_color"], color);
            assert_eq!(
                (m["display"].as_str(), m["start_url"].as_str(), m["scope"].as_str()),
                (Some("standalone"), Some("/"), Some("/"))
            );
            assert_no_vendor("manifest", &m.to_string());
            let icons = m["icons"].as_array().unwrap();
            let purposes: Vec<_> = icons
                .iter()
                .map(|i| (i["sizes"].as_str().unwrap(), i["purpose"].as_str().unwrap()))
                .collect();
            assert_eq!(purposes, [("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")]);
            for icon in icons {
                let size: u32 = icon["sizes"].as_str().unwrap().split('x').next().unwrap().parse().unwrap();
                let image = png(&app, host, icon["src"].as_str().unwrap()).await;
                assert_eq!(image.dimensions(), (size, size));
                // No logo yet: the initials on the primary colour.
                assert_eq!(image.get_pixel(0, 0).0[..3], rgb, "{host} {icon}");
            }
            assert_eq!(png(&app, host, "/brand/apple-touch-icon.png").await.dimensions(), (180, 180));
            assert_eq!(png(&app, host, "/brand/favicon-32.png").await.dimensions(), (32, 32));

            let (status, login) = body(app.get(host, "/login", None).await).await;
            assert_eq!(status, StatusCode::OK);
            assert!(login.contains(&format!("<meta name=\"theme-color\" content=\"{color}\"")), "{login}");
            assert!(login.contains("rel=\"manifest\" href=\"/manifest.webmanifest\""));
            assert!(login.contains("rel=\"apple-touch-icon\""));
            let title =
                login.split("<title>").nth(1).and_then(|t| t.split("</title>").next()).unwrap_or_default();
            assert_eq!(title.replace("&amp;", "&"), name);
            assert_no_vendor("sign-in page", &login);

            let css = body(app.get(host, "/brand.css", None).await).await.1;
            assert!(css.contains(&format!("--color-brand:{color}")), "{css}");

            let (status, offline) = body(app.get(host, "/offline", None).await).await;
            assert_eq!(status, StatusCode::OK);
            assert!(
                offline.contains(&name.replace('&', "&amp;")) && offline.contains("Keine Internetverbindung")
            );
            assert_no_vendor("offline page", &offline);
        }
        // Each name only under its own host.
        assert!(!body(app.get(NORD, "/login", None).await).await.1.contains("Sommer"));
        assert!(!body(app.get(HOST, "/login", None).await).await.1.contains("Nordlicht"));
        // Mails carry the broker's name, not the vendor's: here the owner's invitation.
        other_broker_staff(&app).await;
        let mail = app.last_mail();
        assert!(mail.contains("Nordlicht Finanz"), "{mail}");
        assert_no_vendor("mail", &mail.replace("no-reply@localhost", ""));
    }
}

#[tokio::test]
async fn the_service_worker_keeps_nothing_private() {
    for backend in backends() {
        let app = spawn(backend).await;
        let res = app.get(HOST, "/sw.js", None).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()[CONTENT_TYPE], "text/javascript; charset=utf-8");
        assert_eq!(res.headers()[CACHE_CONTROL], "no-cache");
        assert_eq!(res.headers()[CONTENT_SECURITY_POLICY], "default-src 'self'");
        let script = res.text().await.unwrap();
        let shell = script.lines().find(|l| l.starts_with("const SHELL = ")).unwrap();
        let list: Vec<String> =
            serde_json::from_str(shell.trim_start_matches("const SHELL = ").trim_end_matches(';')).unwrap();
        assert_eq!(list[..2], ["/offline", "/brand.css"]);
        for url in &list[2..] {
            assert!(url.starts_with("/assets/"), "only the app's own files are kept: {url}");
        }
        assert!(script.contains("caches.match('/offline')"));
        // The same service worker on every host; each host's browser keeps its own copy.
        add_nord(&app);
        assert_eq!(body(app.get(NORD, "/sw.js", None).await).await.1, script);
    }
}

/// The service worker's version and its list of files, as a browser reads them.
async fn service_worker_of(site_root: &std::path::Path) -> (String, Vec<String>) {
    let app = spawn_with(Backend::Sqlite, &[("LEPTOS_SITE_ROOT", site_root.to_str().unwrap())]).await;
    let script = body(app.get(HOST, "/sw.js", None).await).await.1;
    let line = |prefix: &str| {
        script.lines().find_map(|l| l.strip_prefix(prefix)).unwrap().trim_end_matches(';').to_owned()
    };
    (
        line("const VERSION = ").trim_matches('\'').to_owned(),
        serde_json::from_str(&line("const SHELL = ")).unwrap(),
    )
}

#[tokio::test]
async fn a_new_build_brings_a_new_service_worker() {
    let site = tempfile::tempdir().unwrap();
    let pkg = site.path().join("pkg");
    std::fs::create_dir(&pkg).unwrap();
    std::fs::write(pkg.join("site.js"), "one").unwrap();
    std::fs::write(pkg.join("site.wasm"), "one").unwrap();
    std::fs::write(pkg.join("site.d.ts"), "types").unwrap();
    let (first, files) = service_worker_of(site.path()).await;
    let under = |file: &str| format!("/assets/{first}/pkg/{file}");
    assert_eq!(files, ["/offline".to_owned(), "/brand.css".to_owned(), under("site.js"), under("site.wasm")]);
    // The same build, the same worker: browsers keep it.
    assert_eq!(service_worker_of(site.path()).await.0, first);
    // A changed front end, a new worker, which replaces the old one's cache when it activates.
    std::fs::write(pkg.join("site.wasm"), "two").unwrap();
    let (second, _) = service_worker_of(site.path()).await;
    assert_ne!(second, first);
    // The office's bundle is part of the build, but a customer's worker never fetches it.
    std::fs::create_dir(pkg.join("office")).unwrap();
    std::fs::write(pkg.join("office/site.wasm"), "office").unwrap();
    let (third, files) = service_worker_of(site.path()).await;
    assert_ne!(third, second, "a changed office bundle is a new build");
    assert!(files.iter().all(|f| !f.contains("office")), "{files:?}");
}

#[tokio::test]
async fn the_owner_changes_the_brand_and_customers_see_it_at_once() {
    for backend in backends() {
        let app = spawn(backend).await;
        let owner = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        let anna = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;

        let settings = app.json(HOST, "brand/settings", &[], &owner).await;
        assert_eq!(settings["name"], "Sommer & Partner Versicherungsmakler");
        assert_eq!(settings["slug_host"], "demo.localhost");
        assert_eq!(settings["login_url"], "http://localhost:3000/login");

        let bad = [
            ("broker_name", " "),
            ("primary_color", "blau"),
            ("accent_color", "#f59e0b"),
            ("contact_phone", ""),
            ("contact_email", "kein-mail"),
            ("address", ""),
            ("opening_hours", ""),
            ("imprint_url", "javascript:alert(1)"),
            ("privacy_url", ""),
        ];
        let res = app.call(HOST, "brand/save", &bad, Some(&owner)).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let problems = body(res).await.1;
        for field in ["\"broker_name\"", "\"primary_color\"", "\"contact_email\"", "\"imprint_url\""] {
            assert!(problems.contains(field), "{field}: {problems}");
        }
        assert!(
            body(app.get(HOST, "/brand.css", None).await).await.1.contains("#1d4ed8"),
            "nothing was saved"
        );

        let good = [
            ("broker_name", "Sommer & Partner"),
            ("primary_color", "#7C2D12"),
            ("accent_color", "#fde047"),
            ("contact_phone", "+49 89 555 0100"),
            ("contact_email", "service@sommer-partner.example"),
            ("address", "Marienplatz 1\n80331 München"),
            ("opening_hours", "Mo–Fr 9–17 Uhr"),
            ("imprint_url", "https://www.sommer-partner.example/impressum"),
            ("privacy_url", "https://www.sommer-partner.example/datenschutz"),
        ];
        for (who, cookie) in [("customer", &anna)] {
            let res = app.call(HOST, "brand/save", &good, Some(cookie)).await;
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{who}");
        }
        assert_eq!(app.call(HOST, "brand/save", &good, None).await.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(app.call(HOST, "brand/settings", &[], Some(&anna)).await.status(), StatusCode::FORBIDDEN);
        // Another broker's owner has no session here.
        let nord = other_broker_staff(&app).await;
        assert_eq!(app.call(HOST, "brand/save", &good, Some(&nord)).await.status(), StatusCode::UNAUTHORIZED);

        let res = app.call(HOST, "brand/save", &good, Some(&owner)).await;
        assert!(res.status().is_success(), "{}", res.status());
        let css = body(app.get(HOST, "/brand.css", None).await).await.1;
        assert!(css.contains("--color-brand:#7c2d12") && css.contains("--color-on-accent:#0f172a"), "{css}");
        assert_eq!(manifest(&app, HOST).await["name"], "Sommer & Partner");
        let login = body(app.get(HOST, "/login", None).await).await.1;
        assert!(login.contains("href=\"https://www.sommer-partner.example/impressum\""), "{login}");
        let contact = app.json(HOST, "brand/contact", &[], &anna).await;
        assert_eq!(contact["phone"], "+49 89 555 0100");
        assert_eq!(contact["opening_hours"], "Mo–Fr 9–17 Uhr");
        // The other broker is untouched.
        assert!(body(app.get(NORD, "/brand.css", None).await).await.1.contains("#1d4ed8"));
        assert_eq!(manifest(&app, NORD).await["name"], "Nordlicht Finanz");

        let audited = "SELECT COUNT(*) FROM audit_log a JOIN brokers b ON b.id = a.broker_id
                       WHERE b.slug = 'demo' AND a.action = 'brand.updated' AND a.actor_kind = 'staff'";
        assert_eq!(app.count(audited).await, 1, "one change, recorded as the owner's");
    }
}

/// Uploads a logo as the settings page's form does.
async fn upload_logo(app: &TestApp, cookie: Option<&str>, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .part("logo", reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()));
    let mut req = app.client(HOST).post(app.url(HOST, "/brand/logo")).multipart(form);
    if let Some(c) = cookie {
        req = req.header(COOKIE, c);
    }
    req.send().await.unwrap()
}

fn red_png_with_secret() -> Vec<u8> {
    let image = image::RgbaImage::from_pixel(600, 200, image::Rgba([200, 0, 0, 255]));
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgba8(image)
        .write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    let text = b"tEXtAuthor\0Max Mustermann, 48.1374 11.5755";
    let mut chunk = u32::try_from(text.len() - 4).unwrap().to_be_bytes().to_vec();
    chunk.extend_from_slice(text);
    chunk.extend_from_slice(&crc32fast::hash(text).to_be_bytes());
    bytes.splice(33..33, chunk);
    bytes
}

#[tokio::test]
async fn logos_are_cleaned_and_svgs_become_pixels() {
    for backend in backends() {
        let app = spawn(backend).await;
        let owner = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        let anna = app.sign_in(HOST, CUSTOMER.0, CUSTOMER.1).await;
        assert_eq!(app.get(HOST, "/brand/logo.png", None).await.status(), StatusCode::NOT_FOUND);

        assert_eq!(
            upload_logo(&app, Some(&anna), "logo.png", red_png_with_secret()).await.status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            upload_logo(&app, None, "logo.png", red_png_with_secret()).await.status(),
            StatusCode::UNAUTHORIZED
        );

        let res = upload_logo(&app, Some(&owner), "logo.png", red_png_with_secret()).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&res), "/office/settings?logo=saved#logo");
        let stored = app.get(HOST, "/brand/logo.png", None).await.bytes().await.unwrap();
        assert!(!stored.windows(10).any(|w| w == b"Mustermann"), "the text chunk is gone");
        let logo = image::load_from_memory(&stored).unwrap();
        assert_eq!((logo.width(), logo.height()), (512, 171));
        // The icons now show the logo on white, and the pages show the logo.
        let icon = png(&app, HOST, "/brand/icon-512.png").await;
        assert_eq!(icon.get_pixel(0, 0).0, [255, 255, 255, 255]);
        assert_eq!(icon.get_pixel(256, 256).0, [200, 0, 0, 255]);
        let login = body(app.get(HOST, "/login", None).await).await.1;
        assert!(login.contains("src=\"/brand/logo.png?v="), "{login}");

        // A hostile SVG is stored as harmless pixels.
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="100" onload="alert(1)">
            <script>alert(document.cookie)</script>
            <rect width="100" height="100" fill="#00ff00"/>
            <image href="https://evil.example/pixel.png" width="10" height="10"/>
            <image xlink:href="/etc/passwd" width="10" height="10"/>
        </svg>"##;
        let res = upload_logo(&app, Some(&owner), "logo.svg", svg.as_bytes().to_vec()).await;
        assert_eq!(location(&res), "/office/settings?logo=saved#logo");
        let res = app.get(HOST, "/brand/logo.png", None).await;
        assert_eq!(res.headers()[CONTENT_TYPE], "image/png");
        let stored = res.bytes().await.unwrap();
        for needle in [&b"script"[..], b"onload", b"evil", b"<svg"] {
            assert!(!stored.windows(needle.len()).any(|w| w == needle));
        }
        let logo = image::load_from_memory(&stored).unwrap().to_rgba8();
        assert_eq!(logo.dimensions(), (512, 512));
        assert_eq!(logo.get_pixel(256, 256).0, [0, 255, 0, 255]);

        // What is not an image is refused with its reason, and the logo stays.
        let res = upload_logo(&app, Some(&owner), "logo.pdf", tiny_pdf("x")).await;
        assert_eq!(location(&res), "/office/settings?logo_error=file_unsupported#logo");
        let (_, page) =
            body(app.get(HOST, "/office/settings?logo_error=file_unsupported", Some(&owner)).await).await;
        assert!(page.contains("Dieses Dateiformat wird nicht unterstützt"), "{page}");
        assert_eq!(app.get(HOST, "/brand/logo.png", None).await.status(), StatusCode::OK);
        // An SVG with entities is refused before it is parsed.
        let laughs = r#"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "lol">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>"#;
        let res = upload_logo(&app, Some(&owner), "logo.svg", laughs.as_bytes().to_vec()).await;
        assert_eq!(location(&res), "/office/settings?logo_error=svg_unsafe#logo");
        let (_, page) =
            body(app.get(HOST, "/office/settings?logo_error=svg_unsafe", Some(&owner)).await).await;
        assert!(page.contains("DOCTYPE-Angabe oder Entitäten"), "{page}");

        // Removing needs the owner; then the initials come back.
        assert_eq!(
            app.call(HOST, "brand/remove-logo", &[], Some(&anna)).await.status(),
            StatusCode::FORBIDDEN
        );
        assert!(app.call(HOST, "brand/remove-logo", &[], Some(&owner)).await.status().is_success());
        assert_eq!(app.get(HOST, "/brand/logo.png", None).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(png(&app, HOST, "/brand/icon-192.png").await.get_pixel(0, 0).0, [29, 78, 216, 255]);
    }
}

#[tokio::test]
async fn custom_domains_reach_the_broker_and_only_that_broker() {
    for backend in backends() {
        let app = spawn(backend).await;
        let owner = app.sign_in(HOST, STAFF.0, STAFF.1).await;
        let nord = other_broker_staff(&app).await;
        const PORTAL: &str = "portal.sommer-partner.example";
        assert_eq!(app.get(PORTAL, "/login", None).await.status(), StatusCode::NOT_FOUND);
        let ask = |domain: &str| {
            app.client("localhost").get(app.url("localhost", &format!("/tls/ask?domain={domain}"))).send()
        };
        assert_eq!(ask(PORTAL).await.unwrap().status(), StatusCode::NOT_FOUND);

        let res = app
            .call(
                HOST,
                "brand/add-domain",
                &[("domain", "https://Portal.Sommer-Partner.example/")],
                Some(&owner),
            )
            .await;
        assert!(res.status().is_success(), "{}", res.status());
        let page = body(app.get(PORTAL, "/login", None).await).await.1;
        assert!(page.contains("Sommer &amp; Partner"), "{page}");
        assert_eq!(ask(PORTAL).await.unwrap().status(), StatusCode::OK);
        assert_eq!(ask("nord.localhost").await.unwrap().status(), StatusCode::OK);
        assert_eq!(ask("unknown.example").await.unwrap().status(), StatusCode::NOT_FOUND);

        let settings = app.json(HOST, "brand/settings", &[], &owner).await;
        let domains: Vec<_> = settings["domains"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| (d["domain"].as_str().unwrap(), d["dns"].as_str().unwrap()))
            .collect();
        // `localhost` came first (the demo's), the new one follows; nothing resolves it.
        assert_eq!(domains[0].0, "localhost");
        assert_eq!(domains[1], (PORTAL, "Missing"));

        // Nobody takes another broker's domain or slug host.
        for (domain, problem) in [
            (PORTAL, "domain_taken"),
            ("demo.localhost", "invalid_domain"),
            ("localhost", "invalid_domain"),
            ("not a domain", "invalid_domain"),
        ] {
            let res = app.call(NORD, "brand/add-domain", &[("domain", domain)], Some(&nord)).await;
            assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{domain}");
            assert!(body(res).await.1.contains(problem), "{domain}");
        }
        // Nor removes it.
        let res = app.call(NORD, "brand/remove-domain", &[("domain", PORTAL)], Some(&nord)).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.get(PORTAL, "/login", None).await.status(), StatusCode::OK);

        // The address the owner is using right now stays.
        let at_portal = app.sign_in(PORTAL, STAFF.0, STAFF.1).await;
        let res = app.call(PORTAL, "brand/remove-domain", &[("domain", PORTAL)], Some(&at_portal)).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body(res).await.1.contains("domain_in_use"));
        assert_eq!(app.get(PORTAL, "/login", None).await.status(), StatusCode::OK);

        let res = app.call(HOST, "brand/remove-domain", &[("domain", PORTAL)], Some(&owner)).await;
        assert!(res.status().is_success(), "{}", res.status());
        assert_eq!(app.get(PORTAL, "/login", None).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(ask(PORTAL).await.unwrap().status(), StatusCode::NOT_FOUND);
    }
}

#[test]
fn broker_set_covers_what_the_settings_page_does() {
    let dir = tempfile::tempdir().unwrap();
    let logo = dir.path().join("logo.png");
    std::fs::write(&logo, red_png_with_secret()).unwrap();
    let run = |args: &[&str]| folio(dir.path(), None, args);
    let (ok, _, err) =
        run(&["broker", "add", "--slug", "ost", "--name", "Makler Ost", "--second-factor", "optional"]);
    assert!(ok, "{err}");
    let (ok, out, err) = run(&[
        "broker",
        "set",
        "ost",
        "--primary-color",
        "#123456",
        "--domain",
        "portal.makler-ost.example",
        "--logo",
        logo.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("Makler Ost") && out.contains("https://portal.makler-ost.example"), "{out}");
    let (ok, _, err) = run(&["broker", "set", "ost", "--accent-color", "gelb"]);
    assert!(!ok && err.contains("accent_color"), "{err}");
    let (ok, _, err) = run(&["broker", "set", "west", "--name", "X"]);
    assert!(!ok && err.contains("no broker"), "{err}");
    let (ok, _, err) = run(&["broker", "add", "--slug", "sued"]);
    assert!(!ok && err.contains("--name"), "{err}");
    let bad = dir.path().join("logo.pdf");
    std::fs::write(&bad, tiny_pdf("x")).unwrap();
    let (ok, _, err) = run(&["broker", "set", "ost", "--logo", bad.to_str().unwrap()]);
    assert!(!ok && err.contains("not supported"), "{err}");
}

#[tokio::test]
async fn the_front_end_is_served_compressed_under_its_version_and_kept_for_a_year() {
    let site = tempfile::tempdir().unwrap();
    let pkg = site.path().join("pkg");
    std::fs::create_dir(&pkg).unwrap();
    for (name, content) in [
        ("site.js", "plain script"),
        ("site.js.br", "brotli script"),
        ("site.js.gz", "gzip script"),
        ("site.css", "plain style"),
    ] {
        std::fs::write(pkg.join(name), content).unwrap();
    }
    let app = spawn_with(Backend::Sqlite, &[("LEPTOS_SITE_ROOT", site.path().to_str().unwrap())]).await;
    let (_, script) = body(app.get(HOST, "/sw.js", None).await).await;
    let version =
        script.lines().find_map(|l| l.strip_prefix("const VERSION = '")).unwrap().trim_end_matches("';");
    let root = format!("/assets/{version}/pkg");

    // The pages ask for the files under the version.
    let (_, page) = body(app.get(HOST, "/login", None).await).await;
    assert!(
        page.contains(&format!("{root}/site.css")) && page.contains(&format!("{root}/site.js")),
        "{page}"
    );
    assert!(!page.contains("/pkg/office/"), "no office code on a customer's page: {page}");
    // The office's pages start the office's bundle (with the same styles).
    let staff = app.sign_in(HOST, STAFF.0, STAFF.1).await;
    let (_, office) = body(app.get(HOST, "/office/customers", Some(&staff)).await).await;
    assert!(
        office.contains(&format!("{root}/office/site.js")) && !office.contains(&format!("{root}/site.js")),
        "{office}"
    );
    assert!(office.contains(&format!("{root}/site.css")), "{office}");
    let (_, offline) = body(app.get(HOST, "/offline", None).await).await;
    assert!(offline.contains(&format!("{root}/site.css")), "{offline}");

    let fetch = |path: String, encoding: Option<&'static str>| {
        let mut req = app.client(HOST).get(app.url(HOST, &path));
        if let Some(encoding) = encoding {
            req = req.header(reqwest::header::ACCEPT_ENCODING, encoding);
        }
        req.send()
    };
    for (encoding, expected, content_encoding) in [
        (Some("gzip, deflate, br"), "brotli script", Some("br")),
        (Some("gzip"), "gzip script", Some("gzip")),
        (None, "plain script", None),
    ] {
        let res = fetch(format!("{root}/site.js"), encoding).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let h = res.headers().clone();
        assert_eq!(h.get(CONTENT_ENCODING).map(|v| v.to_str().unwrap()), content_encoding, "{encoding:?}");
        assert_eq!(h[CACHE_CONTROL], "public, max-age=31536000, immutable");
        assert_eq!(h[reqwest::header::VARY], "accept-encoding");
        assert!(h[CONTENT_TYPE].to_str().unwrap().starts_with("text/javascript"), "{h:?}");
        assert_eq!(res.text().await.unwrap(), expected);
    }
    // A file without a compressed copy comes as it is.
    let res = fetch(format!("{root}/site.css"), Some("br")).await.unwrap();
    assert!(res.headers().get(CONTENT_ENCODING).is_none());
    assert_eq!(res.text().await.unwrap(), "plain style");
    // An older build's page gets today's file, but no promise to keep it.
    let res = fetch("/assets/0123456789abcdef/pkg/site.js".to_owned(), None).await.unwrap();
    assert_eq!((res.status(), res.headers()[CACHE_CONTROL].to_str().unwrap()), (StatusCode::OK, "no-cache"));
    // Nothing outside the folder, nothing missing.
    for path in [format!("{root}/..%2f..%2f..%2fCargo.toml"), format!("{root}/nope.js")] {
        let res = fetch(path.clone(), None).await.unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        assert_eq!(res.headers()[CACHE_CONTROL], "no-cache", "{path}");
    }
}
