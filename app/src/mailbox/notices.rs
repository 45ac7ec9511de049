//! Notices (R4.2): e-mail is an open postcard, so a new message only causes a mail saying
//! that something is waiting, with the broker's name and a link to sign in. No subject, no
//! text, no contract, no attachment, not even whether it is about a claim. At most one per
//! recipient per window (15 minutes): a message in the window after a notice is announced
//! by one notice when the window ends.

use sqlx::AnyConnection;

use crate::auth::accounts;
use crate::i18n::Locale;
use crate::ids::{BrokerId, CustomerId, UserId};
use crate::mail::Mail;
use crate::state::AppState;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    Customer,
    Office,
}

impl Audience {
    fn as_str(self) -> &'static str {
        match self {
            Audience::Customer => "customer",
            Audience::Office => "office",
        }
    }
}

/// Queues a notice for an address: due now, or when the window since the last one ends. A
/// notice already waiting stays as it is (one mail announces both).
pub async fn enqueue(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    recipient: &str,
    audience: Audience,
    locale: Locale,
    now: i64,
    window: i64,
) -> Result<(), sqlx::Error> {
    let last_sent: Option<i64> =
        sqlx::query_scalar("SELECT last_sent_at FROM mail_notices WHERE broker_id = $1 AND recipient = $2")
            .bind(broker_id)
            .bind(recipient)
            .fetch_optional(&mut *conn)
            .await?;
    let due = last_sent.map_or(now, |sent| now.max(sent + window));
    sqlx::query(
        "INSERT INTO mail_notices (broker_id, recipient, audience, locale, pending, due_at, last_sent_at)
         VALUES ($1, $2, $3, $4, 1, $5, 0)
         ON CONFLICT (broker_id, recipient) DO UPDATE
         SET due_at = CASE WHEN mail_notices.pending = 1 THEN mail_notices.due_at ELSE $5 END,
             pending = 1, audience = $3, locale = $4",
    )
    .bind(broker_id)
    .bind(recipient)
    .bind(audience.as_str())
    .bind(locale.code())
    .bind(due)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The customer's side of a conversation gets a notice: the person with a grant who started
/// it (`grantee`), else whoever acts for the folder's holder (the policyholder's own account,
/// a company's legal representatives). Someone without an account cannot read the mailbox
/// yet, and learns of it with the invitation.
/// Forgets a recipient's pending notice (it holds their address): for an erased person.
pub async fn forget(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    recipient: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM mail_notices WHERE broker_id = $1 AND recipient = $2")
        .bind(broker_id)
        .bind(recipient)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn to_customer(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    customer_id: CustomerId,
    grantee: Option<UserId>,
    now: i64,
    window: i64,
) -> crate::error::Result<()> {
    let people: Vec<UserId> = if let Some(user) = grantee {
        vec![user]
    } else {
        let mut people: Vec<UserId> =
            accounts::of_folders(conn, broker_id, &[customer_id]).await?.into_iter().map(|a| a.id).collect();
        people.extend(crate::access::ssr::acting_for_holder(conn, broker_id, customer_id).await?);
        people
    };
    for user in people {
        if let Some(person) = accounts::mail_identity(conn, broker_id, user).await? {
            enqueue(conn, broker_id, &person.email, Audience::Customer, person.locale(), now, window).await?;
        }
    }
    Ok(())
}

/// The office learns of a customer's message: the assignee if there is one, else the office's
/// address from its contact card, else its owners.
pub async fn to_office(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    assignee_id: Option<UserId>,
    now: i64,
    window: i64,
) -> crate::error::Result<()> {
    let mut recipients: Vec<(String, Locale)> = Vec::new();
    if let Some(assignee) = assignee_id {
        if let Some(person) = accounts::mail_identity(conn, broker_id, assignee).await? {
            recipients.push((person.email.clone(), person.locale()));
        }
    }
    if recipients.is_empty() {
        if let Some(office) = crate::tenancy::ssr::office_email(conn, broker_id).await? {
            recipients.push((office, Locale::default()));
        }
    }
    if recipients.is_empty() {
        for owner in accounts::owners(conn, broker_id).await? {
            let locale = owner.locale.as_deref().and_then(Locale::parse).unwrap_or_default();
            recipients.push((owner.email, locale));
        }
    }
    for (email, locale) in recipients {
        enqueue(conn, broker_id, &email, Audience::Office, locale, now, window).await?;
    }
    Ok(())
}

/// The mail itself: who it is from (the broker), that something waits, where to sign in.
pub fn notice_mail(
    broker_name: &str,
    from_address: &str,
    to: &str,
    audience: Audience,
    locale: Locale,
    base_url: &str,
) -> Mail {
    let t = super::texts::texts(locale);
    let (intro, path) = match audience {
        Audience::Customer => (t.notice_customer, "/app/messages"),
        Audience::Office => (t.notice_office, "/office/messages"),
    };
    let body = format!(
        "{greeting}\n\n{intro}\n\n{base_url}{path}\n\n{privacy}\n\n{broker}\n",
        greeting = t.notice_greeting,
        intro = intro.replace("{broker}", broker_name),
        privacy = t.notice_privacy,
        broker = broker_name,
    );
    Mail {
        from_name: broker_name.to_owned(),
        from_address: from_address.to_owned(),
        to: to.to_owned(),
        subject: t.notice_subject.replace("{broker}", broker_name),
        body,
    }
}

/// Sends the notices that are due. Each is claimed before it is sent, so two server
/// processes never send the same one; one that cannot be sent waits for the next round.
pub async fn send_due(state: &AppState) -> anyhow::Result<usize> {
    let now = crate::db::now();
    #[derive(sqlx::FromRow)]
    struct Waiting {
        broker_id: BrokerId,
        recipient: String,
        audience: String,
        locale: String,
        due_at: i64,
    }
    let due: Vec<Waiting> = sqlx::query_as(
        "SELECT broker_id, recipient, audience, locale, due_at
         FROM mail_notices WHERE pending = 1 AND due_at <= $1 ORDER BY due_at LIMIT 200",
    )
    .bind(now)
    .fetch_all(&state.db.pool)
    .await?;
    let mut sent = 0;
    for notice in due {
        let Waiting { broker_id, recipient, due_at, .. } = notice;
        let audience = if notice.audience == "office" { Audience::Office } else { Audience::Customer };
        let locale = Locale::parse(&notice.locale).unwrap_or_default();
        let claimed = sqlx::query(
            "UPDATE mail_notices SET pending = 0, last_sent_at = $1
             WHERE broker_id = $2 AND recipient = $3 AND pending = 1 AND due_at = $4",
        )
        .bind(now)
        .bind(broker_id)
        .bind(&recipient)
        .bind(due_at)
        .execute(&state.db.pool)
        .await?
        .rows_affected();
        if claimed != 1 {
            continue;
        }
        let Some(broker) = crate::tenancy::ssr::find_by_id(&state.db, broker_id).await? else { continue };
        let host = crate::tenancy::ssr::primary_host(&state.db, &broker, &state.config.base_domain).await?;
        let base_url = crate::tenancy::base_url(&host, state.config.local_port);
        let mail =
            notice_mail(&broker.name, &state.config.mail_from, &recipient, audience, locale, &base_url);
        if let Err(error) = state.mailer.send(mail).await {
            tracing::warn!(
                broker = broker_id.0,
                error = format!("{error:#}"),
                "cannot send a mailbox notice; retrying later"
            );
            sqlx::query("UPDATE mail_notices SET pending = 1 WHERE broker_id = $1 AND recipient = $2")
                .bind(broker_id)
                .bind(&recipient)
                .execute(&state.db.pool)
                .await?;
        } else {
            sent += 1;
        }
    }
    Ok(sent)
}

/// Looks for due notices every `notice_tick_secs`.
pub fn spawn(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(state.config.notice_tick_secs));
        loop {
            tick.tick().await;
            if let Err(error) = send_due(&state).await {
                tracing::error!(error = format!("{error:#}"), "mailbox notices failed");
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_names_the_broker_and_the_way_in_and_nothing_else() {
        let mail = notice_mail(
            "Sommer & Partner",
            "no-reply@example.com",
            "anna@example.com",
            Audience::Customer,
            Locale::De,
            "https://sommer.example",
        );
        assert_eq!(mail.from_name, "Sommer & Partner");
        assert!(mail.subject.contains("Sommer & Partner"), "{}", mail.subject);
        assert!(mail.body.contains("https://sommer.example/app/messages"), "{}", mail.body);
        let office =
            notice_mail("S", "n@x.example", "o@x.example", Audience::Office, Locale::En, "https://s.example");
        assert!(office.body.contains("https://s.example/office/messages"), "{}", office.body);
    }

    #[test]
    fn every_language_names_the_broker_and_the_way_in() {
        for locale in Locale::ALL {
            for (audience, path) in
                [(Audience::Customer, "/app/messages"), (Audience::Office, "/office/messages")]
            {
                let mail = notice_mail(
                    "Sommer & Partner",
                    "no-reply@example.com",
                    "anna@example.com",
                    audience,
                    locale,
                    "https://sommer.example",
                );
                assert!(mail.subject.contains("Sommer & Partner"), "{locale:?}: {}", mail.subject);
                assert!(
                    mail.body.contains(&format!("https://sommer.example{path}")),
                    "{locale:?}: {}",
                    mail.body
                );
                assert!(!mail.subject.contains('{') && !mail.body.contains('{'), "{locale:?}: {}", mail.body);
            }
        }
    }
}
