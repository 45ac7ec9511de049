use std::path::PathBuf;

use anyhow::Context;
use lettre::message::header::ContentType;
use lettre::message::{Body, Mailbox, SinglePart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[derive(Clone)]
pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Outbox(AsyncFileTransport<Tokio1Executor>, PathBuf),
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Mailer::Smtp(_) => f.write_str("Mailer::Smtp"),
            Mailer::Outbox(_, dir) => write!(f, "Mailer::Outbox({})", dir.display()),
        }
    }
}

impl Mailer {
    /// `smtp_url` as lettre reads it: `smtp://user:pass@host:587?tls=required` for
    /// STARTTLS, `smtps://…` for implicit TLS, `smtp://host:25` for a local relay.
    pub fn new(smtp_url: Option<&str>, outbox: PathBuf) -> anyhow::Result<Self> {
        match smtp_url {
            Some(url) if !url.is_empty() => {
                let transport =
                    AsyncSmtpTransport::<Tokio1Executor>::from_url(url).context("invalid SMTP URL")?.build();
                Ok(Mailer::Smtp(transport))
            }
            _ => {
                std::fs::create_dir_all(&outbox)
                    .with_context(|| format!("cannot create the outbox {}", outbox.display()))?;
                Ok(Mailer::Outbox(AsyncFileTransport::new(&outbox), outbox))
            }
        }
    }

    pub async fn send(&self, mail: Mail) -> anyhow::Result<()> {
        let message = mail.into_message()?;
        match self {
            Mailer::Smtp(t) => {
                t.send(message).await.context("SMTP delivery failed")?;
            }
            Mailer::Outbox(t, _) => {
                t.send(message).await.context("cannot write to the outbox")?;
            }
        }
        Ok(())
    }
}

/// A plain-text mail from a broker's name.
pub struct Mail {
    pub from_name: String,
    pub from_address: String,
    pub to: String,
    pub subject: String,
    pub body: String,
}

impl Mail {
    fn into_message(self) -> anyhow::Result<Message> {
        let from =
            Mailbox::new(Some(self.from_name), self.from_address.parse().context("invalid sender address")?);
        let to: Mailbox = self.to.parse().context("invalid recipient address")?;
        // lettre picks 7bit or quoted-printable as the text needs; either is plain text.
        let body = Body::new(self.body);
        Message::builder()
            .from(from)
            .to(to)
            .subject(self.subject)
            .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(body))
            .context("cannot build the mail")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mails_are_plain_8bit_text_from_the_broker() {
        let mail = Mail {
            from_name: "Müller & Söhne".into(),
            from_address: "no-reply@example.com".into(),
            to: "anna@example.com".into(),
            subject: "Zugang für Sie".into(),
            body: "Guten Tag,\n\nhttps://x.example/set-password/abc\n".into(),
        };
        let raw = String::from_utf8(mail.into_message().unwrap().formatted()).unwrap();
        assert!(raw.contains("Content-Type: text/plain; charset=utf-8"));
        assert!(raw.contains("\r\nhttps://x.example/set-password/abc\r\n"));
        assert!(raw.contains("no-reply@example.com"));
    }
}
