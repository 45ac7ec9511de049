//! Gathering a person's data for their copy (Art. 15). Every table is read through its owner
//! module; this module only decides whose data goes in and what each datum's origin says.

use std::collections::HashMap;

use serde::Serialize;
use sqlx::AnyConnection;

use super::texts::{texts, MyDataTexts};
use crate::access::rules::{Basis, Item, Reader};
use crate::audit::ssr::{for_targets, Actor, Source, Target};
use crate::auth::accounts::{self, Account};
use crate::contracts::money::fmt_money;
use crate::contracts::{Interval, Status};
use crate::documents::ssr::Stored as StoredDocument;
use crate::error::Result;
use crate::i18n::{fmt_datetime, Locale};
use crate::ids::{ApiKeyId, BrokerId, ConversationId, CustomerId, DocumentId, ImportId, UserId};
use crate::mailbox::Conversation;
use crate::tenancy::Broker;

/// Whose copy it is: a person's own account and folder (self-service), or a folder and its
/// holder's account (the office, the REST API).
pub struct Subject {
    pub folder: Option<CustomerId>,
    pub account: Option<UserId>,
    /// What this person may read of the folder: their own access, or the holder's for staff.
    pub reader: Reader,
    /// Folders the person reaches through grants (their conversations there are theirs).
    pub grant_folders: Vec<CustomerId>,
}

impl Subject {
    /// A signed-in person on the customer's side, about themselves.
    pub fn person(user: &crate::auth::UserInfo) -> Self {
        let own = user.folders.iter().find(|f| f.basis == Basis::Own).map(|f| f.customer_id);
        let grant_folders = user
            .folders
            .iter()
            .filter(|f| matches!(f.basis, Basis::Grant { .. }))
            .map(|f| f.customer_id)
            .collect();
        Subject { folder: own, account: Some(user.id), reader: user.reader(), grant_folders }
    }

    /// A folder as the office and broker systems ask for it: everything in it except files
    /// held for messages not sent yet, and its holder's account.
    pub fn of_folder(folder: CustomerId, holder: Option<UserId>) -> Self {
        Subject { folder: Some(folder), account: holder, reader: Reader::Staff, grant_folders: Vec::new() }
    }
}

/// The holder's account of a folder, if they have one.
pub async fn holder_of(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    folder: CustomerId,
) -> Result<Option<Account>> {
    Ok(accounts::of_folders(conn, broker_id, &[folder]).await?.into_iter().find(|a| a.role.is_customer()))
}

/// Where a datum came from, for people (`text`) and for programs (`kind`, `by`).
#[derive(Clone, Debug, Serialize)]
pub struct Origin {
    /// `customer`, `staff`, `api_key`, `system`, `change_request` or `not_recorded`.
    pub kind: &'static str,
    /// The staff member's or the API key's name.
    pub by: Option<String>,
    /// For `change_request`: the conversation that asked for it.
    pub conversation: Option<ConversationId>,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct Export {
    pub format: &'static str,
    pub produced_at: i64,
    pub broker: String,
    pub language: &'static str,
    pub account: Option<AccountOut>,
    pub contact: Option<ContactOut>,
    pub contracts: Vec<ContractOut>,
    pub documents: Vec<DocumentOut>,
    pub conversations: Vec<ConversationOut>,
    pub consents: Vec<ConsentOut>,
    pub grants_on_folder: Vec<GrantOut>,
    pub grants_used: Vec<FolderOut>,
    pub sessions: Vec<crate::auth::sessions::Seen>,
    pub trail: Vec<TrailOut>,
    #[serde(skip)]
    pub locale: Locale,
}

#[derive(Debug, Serialize)]
pub struct AccountOut {
    pub name: String,
    pub email: String,
    pub language: Option<String>,
    pub deactivated_at: Option<i64>,
}

#[derive(Debug, Serialize)]
pub struct ContactOut {
    pub customer_number: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub company_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub birth_date: Option<String>,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub iban: Option<String>,
    pub account_holder: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub origin: Origin,
    pub changed: Option<Origin>,
}

#[derive(Debug, Serialize)]
pub struct ContractOut {
    pub line: String,
    pub product: Option<String>,
    pub insurer: String,
    pub policy_number: String,
    pub status: String,
    pub premium: String,
    pub premium_cents: i64,
    pub currency: String,
    pub payment_interval: String,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub insured: String,
    pub description: String,
    pub origin: Origin,
    pub changed: Option<Origin>,
}

#[derive(Debug, Serialize)]
pub struct DocumentOut {
    pub id: DocumentId,
    pub title: String,
    pub kind: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub created_at: i64,
    /// Its path inside the ZIP.
    pub file: String,
    pub origin: Origin,
    #[serde(skip)]
    pub blob: String,
}

#[derive(Debug, Serialize)]
pub struct ConversationOut {
    pub id: ConversationId,
    pub topic: String,
    pub subject: String,
    pub contract: Option<String>,
    pub status: String,
    /// What a change request asked for (address, bank account), a claim's date and place.
    pub details: crate::mailbox::Details,
    pub applied_at: Option<i64>,
    pub applied_by: Option<String>,
    pub health_consent_at: Option<i64>,
    pub health_consent_withdrawn_at: Option<i64>,
    pub messages: Vec<MessageOut>,
}

#[derive(Debug, Serialize)]
pub struct MessageOut {
    pub at: i64,
    pub from_customer: bool,
    pub author: String,
    pub body: String,
    /// Paths inside the ZIP.
    pub attachments: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ConsentOut {
    pub conversation: ConversationId,
    pub given_at: i64,
    pub withdrawn_at: Option<i64>,
}

#[derive(Debug, Serialize)]
pub struct GrantOut {
    pub person: String,
    pub email: String,
    pub role: String,
    pub contracts: Vec<String>,
    pub all_contracts: bool,
    pub requested_on: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

#[derive(Debug, Serialize)]
pub struct FolderOut {
    pub folder: String,
    pub role: String,
    pub requested_on: String,
}

#[derive(Debug, Serialize)]
pub struct TrailOut {
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub action_code: String,
    pub ip: Option<String>,
}

/// Everything about the subject, read through each table's owner.
pub async fn collect(
    conn: &mut AnyConnection,
    broker: &Broker,
    subject: &Subject,
    locale: Locale,
    now: i64,
) -> Result<Export> {
    let t = texts(locale);
    let broker_id = broker.id;
    let account = match subject.account {
        Some(id) => accounts::by_ids(conn, broker_id, &[id]).await?.into_iter().next(),
        None => None,
    };
    let mut conversations: Vec<Conversation> = Vec::new();
    let mut record = None;
    let mut contracts = Vec::new();
    let mut stored_documents: Vec<StoredDocument> = Vec::new();
    let mut grants = Vec::new();
    if let Some(folder) = subject.folder {
        record = Some(crate::customers::ssr::get(conn, broker_id, folder).await?);
        contracts = crate::contracts::ssr::api_rows(conn, broker_id, Some(folder), None).await?;
        contracts.retain(|c| subject.reader.may_read(folder, Item::Contract(c.id)));
        stored_documents = crate::documents::ssr::all_of_folder(conn, broker_id, folder).await?;
        stored_documents.retain(|d| d.held == 0 && subject.reader.may_read(folder, d.item()));
        conversations =
            crate::mailbox::ssr::whole_of_folder(conn, broker_id, &subject.reader, folder, None).await?;
        grants = crate::access::ssr::of_folder(conn, broker_id, folder).await?;
    }
    // On folders reached through a grant: the conversations this person started or wrote in
    // there, and the files in them.
    if let Some(user) = subject.account {
        for &folder in &subject.grant_folders {
            let theirs =
                crate::mailbox::ssr::whole_of_folder(conn, broker_id, &subject.reader, folder, Some(user))
                    .await?;
            let attached: std::collections::HashSet<DocumentId> = theirs
                .iter()
                .flat_map(|c| c.messages.iter().flat_map(|m| m.attachments.iter().map(|a| a.document_id)))
                .collect();
            if !attached.is_empty() {
                let mut files = crate::documents::ssr::all_of_folder(conn, broker_id, folder).await?;
                files.retain(|d| attached.contains(&d.id));
                stored_documents.extend(files);
            }
            conversations.extend(theirs);
        }
    }
    let sessions = match subject.account {
        Some(user) => crate::auth::sessions::of_user(conn, broker_id, user).await?,
        None => Vec::new(),
    };
    let mut targets = Vec::new();
    targets.extend(subject.folder.map(Target::Customer));
    targets.extend(subject.account.map(Target::User));
    let trail = for_targets(conn, broker_id, &targets, 100_000).await?;

    // The names origins speak of.
    let stored = record.iter().flat_map(|r| [&r.created_by, &r.changed_by]);
    let stored = stored.chain(contracts.iter().flat_map(|c| [&c.created_by, &c.changed_by]));
    let stored = stored.chain(stored_documents.iter().map(|d| &d.created_by));
    let sources: Vec<Source> = stored.filter_map(|s| s.as_deref().and_then(Source::parse)).collect();
    let people_ids: Vec<UserId> = sources
        .iter()
        .filter_map(|s| match s {
            Source::By(Actor::Staff(id) | Actor::Customer(id)) => Some(*id),
            _ => None,
        })
        .collect();
    let people: HashMap<UserId, String> = accounts::by_ids(conn, broker_id, &people_ids)
        .await?
        .into_iter()
        .map(|a| (a.id, a.display_name))
        .collect();
    let keys: HashMap<ApiKeyId, String> = if sources.iter().any(|s| matches!(s, Source::By(Actor::ApiKey(_))))
    {
        crate::api_keys::ssr::list(conn, broker_id).await?.into_iter().map(|k| (k.id, k.name)).collect()
    } else {
        HashMap::new()
    };
    let started: HashMap<ConversationId, i64> =
        conversations.iter().filter_map(|c| c.messages.first().map(|m| (c.row.id, m.created_at))).collect();
    let import_ids: Vec<ImportId> = sources
        .iter()
        .filter_map(|s| match s {
            Source::Import(id) => Some(*id),
            _ => None,
        })
        .collect();
    let imports = crate::imports::ssr::files(conn, broker_id, &import_ids).await?;
    let names = Names { t, locale, people: &people, keys: &keys, started: &started, imports: &imports };

    let mut documents: Vec<DocumentOut> = stored_documents
        .into_iter()
        .map(|d| DocumentOut {
            file: file_name(d.id, &d.title, &d.media_type),
            // Before origins were kept, the side that uploaded is still known.
            origin: names
                .origin(d.created_by.as_deref())
                .unwrap_or_else(|| names.unrecorded(d.uploaded_by == "customer")),
            id: d.id,
            title: d.title,
            kind: d.kind,
            media_type: d.media_type,
            size_bytes: d.size_bytes,
            created_at: d.created_at,
            blob: d.blob,
        })
        .collect();
    documents.sort_by_key(|d| (d.created_at, d.id));
    documents.dedup_by_key(|d| d.id);
    let file_of: HashMap<DocumentId, String> = documents.iter().map(|d| (d.id, d.file.clone())).collect();

    let contract_texts = crate::contracts::texts::texts(locale);
    let mailbox_texts = crate::mailbox::texts::texts(locale);
    let access_texts = crate::access::texts::texts(locale);
    let consents = conversations
        .iter()
        .filter_map(|c| {
            c.health_consent_at.map(|given_at| ConsentOut {
                conversation: c.row.id,
                given_at,
                withdrawn_at: c.health_consent_withdrawn_at,
            })
        })
        .collect();
    Ok(Export {
        format: "folio-my-data/1",
        produced_at: now,
        broker: broker.name.clone(),
        language: locale.code(),
        account: account.map(|a| AccountOut {
            name: a.display_name,
            email: a.email,
            language: a.locale,
            deactivated_at: a.deactivated_at,
        }),
        contact: record.map(|r| ContactOut {
            origin: names.created(r.created_by.as_deref()),
            changed: names.changed(r.created_by.as_deref(), r.changed_by.as_deref()),
            customer_number: r.external_id,
            first_name: r.first_name,
            last_name: r.last_name,
            company_name: r.company_name,
            email: r.email,
            phone: r.phone,
            birth_date: r.birth_date,
            street: r.street,
            postal_code: r.postal_code,
            city: r.city,
            country: r.country,
            iban: r.iban,
            account_holder: r.account_holder,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }),
        contracts: contracts
            .into_iter()
            .map(|c| ContractOut {
                origin: names.created(c.created_by.as_deref()),
                changed: names.changed(c.created_by.as_deref(), c.changed_by.as_deref()),
                premium: fmt_money(c.premium_cents, &c.currency, locale),
                status: Status::parse(&c.status)
                    .map_or(c.status.clone(), |s| contract_texts.status(s).to_owned()),
                payment_interval: Interval::parse(&c.payment_interval)
                    .map_or(c.payment_interval.clone(), |i| contract_texts.interval(i).to_owned()),
                line: c.line,
                product: c.product,
                insurer: c.insurer,
                policy_number: c.policy_number,
                premium_cents: c.premium_cents,
                currency: c.currency,
                start_date: c.start_date,
                end_date: c.end_date,
                insured: c.insured,
                description: c.description,
            })
            .collect(),
        conversations: conversations
            .into_iter()
            .map(|c| ConversationOut {
                id: c.row.id,
                topic: mailbox_texts.topic(c.row.topic).to_owned(),
                subject: c.row.subject,
                contract: c.row.contract_label,
                status: mailbox_texts.status(c.row.status).to_owned(),
                details: c.details,
                applied_at: c.applied_at,
                applied_by: c.applied_by,
                health_consent_at: c.health_consent_at,
                health_consent_withdrawn_at: c.health_consent_withdrawn_at,
                messages: c
                    .messages
                    .into_iter()
                    .map(|m| MessageOut {
                        at: m.created_at,
                        from_customer: m.from_customer,
                        author: if m.author_name.is_empty() {
                            (if m.from_customer { t.you } else { t.office }).to_owned()
                        } else {
                            m.author_name
                        },
                        body: m.body,
                        attachments: m
                            .attachments
                            .iter()
                            .filter_map(|a| file_of.get(&a.document_id).cloned())
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
        documents,
        consents,
        grants_on_folder: grants
            .into_iter()
            .map(|g| GrantOut {
                person: g.person.name(),
                email: g.email,
                role: access_texts.role(g.role).to_owned(),
                contracts: g.contracts.into_iter().map(|(_, label)| label).collect(),
                all_contracts: g.all_contracts,
                requested_on: g.requested_on,
                created_at: g.created_at,
                revoked_at: g.revoked_at,
            })
            .collect(),
        grants_used: match &subject.reader {
            Reader::Person { folders, .. } => folders
                .iter()
                .filter_map(|f| match &f.basis {
                    Basis::Grant { role, requested_on, .. } => Some(FolderOut {
                        folder: f.name.clone(),
                        role: access_texts.role(*role).to_owned(),
                        requested_on: requested_on.clone(),
                    }),
                    Basis::Own => None,
                })
                .collect(),
            Reader::Staff => Vec::new(),
        },
        sessions,
        trail: trail
            .into_iter()
            .map(|e| TrailOut {
                at: e.at,
                actor: e.actor_name.unwrap_or_else(|| t.actor(&e.actor_kind).to_owned()),
                action: locale.texts().audit_action(&e.action),
                action_code: e.action,
                ip: e.ip,
            })
            .collect(),
        locale,
    })
}

/// What origins need to name people, keys and requests.
struct Names<'a> {
    t: &'static MyDataTexts,
    locale: Locale,
    people: &'a HashMap<UserId, String>,
    keys: &'a HashMap<ApiKeyId, String>,
    started: &'a HashMap<ConversationId, i64>,
    /// Imported files: their name and when they were imported.
    imports: &'a HashMap<ImportId, (String, i64)>,
}

impl Names<'_> {
    fn origin(&self, stored: Option<&str>) -> Option<Origin> {
        let source = Source::parse(stored?)?;
        let t = self.t;
        let (kind, by, conversation, text) = match source {
            Source::By(Actor::Customer(_)) => ("customer", None, None, t.by_customer.to_owned()),
            Source::By(Actor::Staff(id)) => {
                let name = self.people.get(&id).cloned().unwrap_or_default();
                ("staff", Some(name.clone()), None, t.by_staff.replace("{name}", &name))
            }
            Source::By(Actor::ApiKey(id)) => {
                let name = self.keys.get(&id).cloned().unwrap_or_default();
                ("api_key", Some(name.clone()), None, t.by_api_key.replace("{name}", &name))
            }
            Source::By(Actor::System | Actor::Anonymous) => ("system", None, None, t.by_system.to_owned()),
            Source::ChangeRequest(id) => {
                let date = self
                    .started
                    .get(&id)
                    .map_or_else(|| format!("#{id}"), |at| fmt_datetime(*at, self.locale));
                ("change_request", None, Some(id), t.by_change_request.replace("{date}", &date))
            }
            Source::Import(id) => {
                let (file, at) = self.imports.get(&id).cloned().unwrap_or_default();
                let text =
                    t.by_import.replace("{file}", &file).replace("{date}", &fmt_datetime(at, self.locale));
                ("import", Some(file), None, text)
            }
        };
        Some(Origin { kind, by, conversation, text })
    }

    /// Where a record came from; "not recorded" for records older than origins.
    fn created(&self, created_by: Option<&str>) -> Origin {
        self.origin(created_by).unwrap_or_else(|| self.unrecorded(false))
    }

    /// What changed a record last, where that is not what made it.
    fn changed(&self, created_by: Option<&str>, changed_by: Option<&str>) -> Option<Origin> {
        self.origin(changed_by.filter(|c| Some(*c) != created_by))
    }

    /// An origin from before origins were kept: only whether the customer's side stored it.
    fn unrecorded(&self, by_customer: bool) -> Origin {
        let (kind, text) = if by_customer {
            ("customer", self.t.by_customer)
        } else {
            ("not_recorded", self.t.not_recorded)
        };
        Origin { kind, by: None, conversation: None, text: text.to_owned() }
    }
}

/// A document's path in the ZIP: its id (titles repeat) and its title as a safe file name.
pub fn file_name(id: DocumentId, title: &str, media_type: &str) -> String {
    let extension = crate::documents::http::extension_of(media_type);
    let stem: String = title
        .chars()
        .map(|c| if c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.') { c } else { '_' })
        .take(80)
        .collect();
    let stem = stem.trim().trim_matches('.');
    format!("documents/{id} {stem}.{extension}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_keep_the_title_readable_and_never_leave_their_folder() {
        assert_eq!(
            file_name(DocumentId(7), "Police Hausrat 2026", "application/pdf"),
            "documents/7 Police Hausrat 2026.pdf"
        );
        assert_eq!(
            file_name(DocumentId(8), "../../etc/passwd", "image/jpeg"),
            "documents/8 _.._etc_passwd.jpg"
        );
        assert_eq!(
            file_name(DocumentId(9), "Schaden: Küche/Wasser", "image/png"),
            "documents/9 Schaden_ Küche_Wasser.png"
        );
    }

    #[test]
    fn sources_read_back_as_written() {
        for source in [
            Source::By(Actor::Staff(UserId(3))),
            Source::By(Actor::Customer(UserId(4))),
            Source::By(Actor::ApiKey(ApiKeyId(5))),
            Source::By(Actor::System),
            Source::ChangeRequest(ConversationId(6)),
            Source::Import(ImportId(7)),
        ] {
            assert_eq!(Source::parse(&source.column()), Some(source));
        }
        assert_eq!(Source::parse("staff"), None);
        assert_eq!(Source::parse("staff:x"), None);
        assert_eq!(Source::parse("upload:1"), None);
    }
}
