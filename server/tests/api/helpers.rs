use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use reqwest::header::{ACCEPT, AUTHORIZATION, COOKIE, SET_COOKIE};
use reqwest::redirect::Policy;
use reqwest::Method;
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;

pub const CUSTOMER: (&str, &str) = ("anna.schneider@example.com", "Demo-Kunde-2026!");
pub const STAFF: (&str, &str) = ("jana.sommer@sommer-partner.example", "Demo-Makler-2026!");

/// Which database a test app uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The backends to run a test against: SQLite always, PostgreSQL when configured.
pub fn backends() -> Vec<Backend> {
    if std::env::var("FOLIO_TEST_POSTGRES_URL").is_ok_and(|v| !v.is_empty()) {
        vec![Backend::Sqlite, Backend::Postgres]
    } else {
        eprintln!("PostgreSQL tests skipped: FOLIO_TEST_POSTGRES_URL is not set");
        vec![Backend::Sqlite]
    }
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub dir: tempfile::TempDir,
    pub database_url: Option<String>,
    child: Child,
    pg_cleanup: Option<(String, String)>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some((admin_url, name)) = self.pg_cleanup.take() {
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                rt.block_on(async {
                    if let Ok(pool) = sqlx::PgPool::connect(&admin_url).await {
                        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                            .execute(&pool)
                            .await;
                    }
                });
            })
            .join();
        }
    }
}

pub fn folio_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_folio"))
}

/// Runs a `folio` subcommand against this app's data; returns stdout.
pub fn folio(dir: &Path, database_url: Option<&str>, args: &[&str]) -> (bool, String, String) {
    let mut cmd = Command::new(folio_bin());
    cmd.args(args).env("FOLIO_DATA_DIR", dir).env_remove("FOLIO_SMTP_URL");
    match database_url {
        Some(url) => cmd.env("FOLIO_DATABASE_URL", url),
        None => cmd.env_remove("FOLIO_DATABASE_URL"),
    };
    let out = cmd.output().expect("folio runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

async fn fresh_postgres() -> (String, String, String) {
    let admin = std::env::var("FOLIO_TEST_POSTGRES_URL").unwrap();
    let name = format!("folio_test_{}", rand::random::<u64>());
    let pool = sqlx::PgPool::connect(&admin).await.expect("PostgreSQL reachable");
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&pool).await.unwrap();
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b).to_owned();
    (admin, name.clone(), format!("{base}/{name}"))
}

/// Starts a server with the demo broker; extra env vars for the serve process.
pub async fn spawn_with(backend: Backend, env: &[(&str, &str)]) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let (database_url, pg_cleanup) = match backend {
        Backend::Sqlite => (None, None),
        Backend::Postgres => {
            let (admin, name, url) = fresh_postgres().await;
            (Some(url), Some((admin, name)))
        }
    };
    let (ok, _, err) = folio(dir.path(), database_url.as_deref(), &["demo"]);
    assert!(ok, "folio demo failed: {err}");
    let mut cmd = Command::new(folio_bin());
    cmd.args(["serve", "--addr", "127.0.0.1:0"])
        .env("FOLIO_DATA_DIR", dir.path())
        .env_remove("FOLIO_SMTP_URL")
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if let Some(url) = &database_url {
        cmd.env("FOLIO_DATABASE_URL", url);
    } else {
        cmd.env_remove("FOLIO_DATABASE_URL");
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("folio serve starts");
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut sent = false;
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if !sent {
                if let Some(addr) = line.split("listening on http://").nth(1) {
                    let _ = tx.send(addr.trim().to_owned());
                    sent = true;
                }
            }
        }
    });
    let addr: SocketAddr =
        rx.recv_timeout(Duration::from_secs(30)).expect("server announced its address").parse().unwrap();
    TestApp { addr, dir, database_url, child, pg_cleanup }
}

pub async fn spawn(backend: Backend) -> TestApp {
    spawn_with(backend, &[]).await
}

impl TestApp {
    /// A client that reaches `host` (any *.localhost name) at this server, keeps no cookie
    /// jar (tests pass cookies explicitly) and follows no redirects.
    pub fn client(&self, host: &str) -> Client {
        Client::builder().resolve(host, self.addr).redirect(Policy::none()).build().unwrap()
    }

    pub fn url(&self, host: &str, path: &str) -> String {
        format!("http://{host}:{}{path}", self.addr.port())
    }

    pub fn folio(&self, args: &[&str]) -> (bool, String, String) {
        folio(self.dir.path(), self.database_url.as_deref(), args)
    }

    pub async fn get(&self, host: &str, path: &str, cookie: Option<&str>) -> Response {
        let mut req = self.client(host).get(self.url(host, path)).header(ACCEPT, "text/html");
        if let Some(c) = cookie {
            req = req.header(COOKIE, c);
        }
        req.send().await.unwrap()
    }

    /// Calls a server function as the wasm client does (JSON answers).
    pub async fn call(
        &self,
        host: &str,
        endpoint: &str,
        form: &[(&str, &str)],
        cookie: Option<&str>,
    ) -> Response {
        let mut req = self
            .client(host)
            .post(self.url(host, &format!("/api/{endpoint}")))
            .header(ACCEPT, "application/json")
            .form(form);
        if let Some(c) = cookie {
            req = req.header(COOKIE, c);
        }
        req.send().await.unwrap()
    }

    /// Uses a single-use link's token to choose a password (typed twice, the same).
    pub async fn set_password(&self, host: &str, token: &str, password: &str) -> Response {
        let form = [("token", token), ("password", password), ("password_repeat", password)];
        self.call(host, "auth/set-password", &form, None).await
    }

    /// Signs in; returns the `name=value` of the session cookie.
    pub async fn sign_in(&self, host: &str, email: &str, password: &str) -> String {
        let res = self.call(host, "auth/login", &[("email", email), ("password", password)], None).await;
        assert!(
            res.status().is_success() || res.status().is_redirection(),
            "sign-in failed: {}",
            res.status()
        );
        session_cookie(&res).expect("a session cookie")
    }

    /// The newest mail in the outbox, as text.
    pub fn last_mail(&self) -> String {
        let outbox = self.dir.path().join("outbox");
        let mut mails: Vec<_> = std::fs::read_dir(&outbox)
            .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        mails.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
        let last = mails.last().expect("a mail in the outbox");
        decode_quoted_printable(&std::fs::read_to_string(last).unwrap())
    }

    pub fn mail_count(&self) -> usize {
        std::fs::read_dir(self.dir.path().join("outbox")).map_or(0, Iterator::count)
    }
}

/// `name=value` of the session cookie a response sets, if it sets one with a value.
pub fn session_cookie(res: &Response) -> Option<String> {
    res.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find(|kv| (kv.starts_with("sid=") || kv.starts_with("__Host-sid=")) && !kv.ends_with('='))
        .map(str::to_owned)
}

pub fn set_cookie_headers(res: &Response) -> Vec<String> {
    res.headers().get_all(SET_COOKIE).iter().filter_map(|v| v.to_str().ok().map(str::to_owned)).collect()
}

/// The single-use link in a mail.
pub fn link_in(mail: &str) -> String {
    mail.split_whitespace()
        .find(|w| w.contains("/set-password/") || w.contains("/sign-in/"))
        .expect("a link in the mail")
        .to_owned()
}

/// The path of a URL (`http://host:port/path` → `/path`).
pub fn path_of(url: &str) -> String {
    let rest = url.split("://").nth(1).unwrap_or(url);
    rest.find('/').map_or("/".into(), |i| rest[i..].to_owned())
}

pub fn token_of(link: &str) -> String {
    link.rsplit('/').next().unwrap().to_owned()
}

pub fn location(res: &Response) -> String {
    res.headers().get(reqwest::header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

pub async fn body(res: Response) -> (StatusCode, String) {
    let status = res.status();
    (status, res.text().await.unwrap())
}

/// Mail text as a person reads it: soft line breaks joined, `=XX` bytes decoded.
pub fn decode_quoted_printable(raw: &str) -> String {
    let joined = raw.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl TestApp {
    pub async fn pool(&self) -> sqlx::AnyPool {
        let url = self
            .database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite:{}", self.dir.path().join("folio.db").display()));
        sqlx::any::install_default_drivers();
        sqlx::AnyPool::connect(&url).await.unwrap()
    }

    /// Every `table.column` of this app's database in which `needle` occurs as text.
    pub async fn columns_holding(&self, needle: &str) -> Vec<String> {
        let pool = self.pool().await;
        let columns: Vec<(String, String)> = if self.database_url.is_some() {
            sqlx::query_as(
                "SELECT table_name::text, column_name::text FROM information_schema.columns
                 WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying')",
            )
        } else {
            sqlx::query_as(
                "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
            )
        }
        .fetch_all(&pool)
        .await
        .unwrap();
        let mut holding = Vec::new();
        for (table, column) in columns {
            let n: i64 = sqlx::query_scalar(&format!(
                "SELECT COUNT(*) FROM \"{table}\" WHERE CAST(\"{column}\" AS TEXT) LIKE $1"
            ))
            .bind(format!("%{needle}%"))
            .fetch_one(&pool)
            .await
            .unwrap();
            if n > 0 {
                holding.push(format!("{table}.{column}"));
            }
        }
        pool.close().await;
        holding
    }

    /// Runs one SQL statement against this app's database (to set up what has no UI yet).
    pub async fn sql(&self, statement: &str) {
        self.try_sql(statement).await.unwrap();
    }

    /// Runs one SQL statement; the database's refusal as text.
    pub async fn try_sql(&self, statement: &str) -> Result<(), String> {
        let pool = self.pool().await;
        let done = sqlx::query(statement).execute(&pool).await.map(drop).map_err(|e| e.to_string());
        pool.close().await;
        done
    }

    /// Runs one query that answers with a single number (to check what has no UI).
    pub async fn count(&self, query: &str) -> i64 {
        let pool = self.pool().await;
        let n: i64 = sqlx::query_scalar(query).fetch_one(&pool).await.unwrap();
        pool.close().await;
        n
    }

    /// Uploads a file as the office's uploader does (one multipart request, JSON answer).
    pub async fn upload(
        &self,
        host: &str,
        cookie: Option<&str>,
        fields: &[(&str, &str)],
        file: Option<(&str, Vec<u8>)>,
    ) -> Response {
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in fields {
            form = form.text((*name).to_owned(), (*value).to_owned());
        }
        if let Some((name, bytes)) = file {
            form = form.part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()));
        }
        let mut req = self
            .client(host)
            .post(self.url(host, "/files/upload"))
            .header(ACCEPT, "application/json")
            .multipart(form);
        if let Some(c) = cookie {
            req = req.header(COOKIE, c);
        }
        req.send().await.unwrap()
    }

    /// Calls a server function with JSON answers and decodes them.
    pub async fn json(
        &self,
        host: &str,
        endpoint: &str,
        form: &[(&str, &str)],
        cookie: &str,
    ) -> serde_json::Value {
        let res = self.call(host, endpoint, form, Some(cookie)).await;
        let status = res.status();
        let text = res.text().await.unwrap();
        assert!(status.is_success(), "{endpoint}: {status} {text}");
        serde_json::from_str(&text).unwrap()
    }
}

/// Signs the demo customer in with an `X-Forwarded-For` header, as through a reverse proxy.
pub async fn sign_in_forwarded(app: &TestApp, host: &str, forwarded_for: &str) {
    let res = app
        .client(host)
        .post(app.url(host, "/api/auth/login"))
        .header(ACCEPT, "application/json")
        .header("x-forwarded-for", forwarded_for)
        .form(&[("email", CUSTOMER.0), ("password", CUSTOMER.1)])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.status());
}

/// Adds broker "nord" (its owners may sign in without a second factor, as the tests here do).
pub fn add_nord(app: &TestApp) {
    let args =
        ["broker", "add", "--slug", "nord", "--name", "Nordlicht Finanz", "--second-factor", "optional"];
    let (ok, _, err) = app.folio(&args);
    assert!(ok, "{err}");
}

/// Adds broker "nord" with an owner; returns the owner's session at nord.localhost.
pub async fn other_broker_staff(app: &TestApp) -> String {
    add_nord(app);
    let args =
        ["staff", "invite", "--broker", "nord", "--email", "chef@nordlicht.example", "--role", "owner"];
    let (ok, _, err) = app.folio(&args);
    assert!(ok, "{err}");
    let token = token_of(&link_in(&app.last_mail()));
    session_cookie(&app.set_password("nord.localhost", &token, "Nordlicht-Passwort-1").await)
        .expect("signed in")
}

/// A minimal one-page PDF.
pub fn tiny_pdf(text: &str) -> Vec<u8> {
    format!("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% {text}\ntrailer << /Root 1 0 R >>\n%%EOF\n")
        .into_bytes()
}

/// A new API key of a broker.
pub fn api_key(app: &TestApp, broker: &str) -> String {
    let (ok, out, err) = app.folio(&["apikey", "create", "--broker", broker]);
    assert!(ok, "{err}");
    out.lines().last().unwrap().trim().to_owned()
}

/// A REST API call with an optional key and JSON body; the answer as JSON (or a string).
pub async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    key: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req =
        app.client("api.localhost").request(method, app.url("127.0.0.1", &format!("/api/v1{path}")));
    if let Some(key) = key {
        req = req.header(AUTHORIZATION, format!("Bearer {key}"));
    }
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

/// An employee of the demo broker, signed in.
pub async fn employee(app: &TestApp) -> String {
    let args = [
        "staff",
        "invite",
        "--broker",
        "demo",
        "--email",
        "tom@sommer-partner.example",
        "--role",
        "employee",
    ];
    let (ok, _, err) = app.folio(&args);
    assert!(ok, "{err}");
    let token = token_of(&link_in(&app.last_mail()));
    session_cookie(&app.set_password("demo.localhost", &token, "Tom-Passwort-2026!").await)
        .expect("signed in")
}
