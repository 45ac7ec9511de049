//! Mail over a real SMTP server process (Python's aiosmtpd), when it is installed.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::helpers::*;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A real SMTP server (aiosmtpd) on a free loopback port that prints what it receives.
struct SmtpServer {
    port: u16,
    child: std::process::Child,
}

impl SmtpServer {
    /// `None` (and a note that the test was skipped) where aiosmtpd is not installed.
    fn start() -> Option<Self> {
        // scripts/test.sh provides a Python with aiosmtpd; elsewhere the test says it was skipped.
        let python = std::env::var("FOLIO_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
        let available =
            Command::new(&python).args(["-c", "import aiosmtpd.smtp"]).status().is_ok_and(|s| s.success());
        if !available {
            eprintln!("SMTP test skipped: {python} with aiosmtpd is not installed");
            return None;
        }
        let port = free_port();
        let child = Command::new(&python)
            .args([
                "-u",
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Debugging",
                "stdout",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Python starts slowly on a busy machine: wait up to 30 s for the port.
        let listening = (0..300).any(|_| {
            let up = std::net::TcpStream::connect(("127.0.0.1", port)).is_ok();
            if !up {
                std::thread::sleep(Duration::from_millis(100));
            }
            up
        });
        assert!(listening, "the SMTP server did not start");
        Some(SmtpServer { port, child })
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Stops the server; returns everything it received, decoded.
    fn received(mut self) -> String {
        std::thread::sleep(Duration::from_millis(300));
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut printed = String::new();
        let mut stdout = BufReader::new(self.child.stdout.take().unwrap());
        let mut line = String::new();
        while stdout.read_line(&mut line).unwrap_or(0) > 0 {
            printed.push_str(&line);
            line.clear();
        }
        let _ = stdout.read_to_string(&mut printed);
        decode_quoted_printable(&printed)
    }
}

#[tokio::test]
async fn invitations_go_out_over_smtp_with_the_link_and_nothing_else() {
    let Some(smtp) = SmtpServer::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    folio(
        dir.path(),
        None,
        &["broker", "add", "--slug", "nord", "--name", "Nordlicht Finanz", "--second-factor", "optional"],
    );
    let out = Command::new(folio_bin())
        .args([
            "staff",
            "invite",
            "--broker",
            "nord",
            "--email",
            "neu@nordlicht.example",
            "--role",
            "employee",
        ])
        .env("FOLIO_DATA_DIR", dir.path())
        .env("FOLIO_SMTP_URL", smtp.url())
        .env("FOLIO_MAIL_FROM", "portal@nordlicht.example")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        !dir.path().join("outbox").exists()
            || std::fs::read_dir(dir.path().join("outbox")).unwrap().count() == 0
    );
    let printed = smtp.received();
    assert!(printed.contains("neu@nordlicht.example"), "{printed}");
    assert!(printed.contains("Nordlicht Finanz") && printed.contains("/set-password/"), "{printed}");
    assert!(printed.contains("http://nord.localhost:3000/set-password/"), "{printed}");
}

#[tokio::test]
async fn mailbox_notices_go_out_over_smtp_without_the_message() {
    let Some(smtp) = SmtpServer::start() else { return };
    let app =
        spawn_with(Backend::Sqlite, &[("FOLIO_SMTP_URL", &smtp.url()), ("FOLIO_NOTICE_TICK_SECS", "1")])
            .await;
    let host = "demo.localhost";
    let staff = app.sign_in(host, STAFF.0, STAFF.1).await;
    let anna = crate::auth::customer_id(&app, &staff).await;
    let form = [
        ("customer_id", anna.as_str()),
        ("subject", "Ihre Kündigung"),
        ("body", "Geheimer Inhalt: IBAN DE89"),
    ];
    app.json(host, "mailbox/write", &form, &staff).await;
    // Delivered within a few ticks.
    std::thread::sleep(Duration::from_secs(3));
    let printed = smtp.received();
    assert!(printed.contains(CUSTOMER.0), "{printed}");
    assert!(printed.contains("/app/messages") && printed.contains("Sommer & Partner"), "{printed}");
    for secret in ["Kündigung", "Geheimer", "DE89"] {
        assert!(!printed.contains(secret), "the notice gave away {secret:?}: {printed}");
    }
}
