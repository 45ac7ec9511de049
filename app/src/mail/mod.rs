//! Outgoing mail. With SMTP configured it goes over SMTP (STARTTLS when the URL asks for
//! it); without, each mail is written as an .eml file into `<data-dir>/outbox/`.
//! Mails carry links and greetings only, never content (R4.2).

#[cfg(feature = "ssr")]
mod ssr;
#[cfg(feature = "ssr")]
pub use ssr::*;
