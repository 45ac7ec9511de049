//! The `grants` and `grant_contracts` tables: what an account reaches (read on every request
//! of the customer's side, so a revoked grant is gone at once), the grants on a folder, and
//! creating, changing and revoking them for the office, the REST API and the demo.

use std::collections::HashMap;
use std::net::IpAddr;

use sqlx::AnyConnection;

use super::{Basis, FolderAccess, GrantFields, GrantInput, GrantRole, GrantView, Person, Scope, Signature};
use crate::audit::ssr::{record, Actor, Target};
use crate::auth::accounts::{self, NewUser};
use crate::auth::ssr::{invite_user, send_link_mail, IssuedLink};
use crate::auth::{sessions, Role};
use crate::customers::{Access, Address};
use crate::db::now;
use crate::error::{AppError, FormErrors, Problem, Result};
use crate::ids::{BrokerId, ContractId, ConversationId, CustomerId, DocumentId, GrantId, UserId};
use crate::request::{app_state, require_staff, require_user};
use crate::tenancy::Broker;

#[derive(sqlx::FromRow)]
struct ReachRow {
    id: GrantId,
    customer_id: CustomerId,
    #[sqlx(try_from = "String")]
    role: GrantRole,
    all_contracts: i64,
    requested_on: String,
    form_document_id: DocumentId,
    contract_id: Option<ContractId>,
    first_name: String,
    last_name: String,
    company_name: Option<String>,
}

impl TryFrom<String> for GrantRole {
    type Error = String;
    fn try_from(value: String) -> std::result::Result<Self, String> {
        GrantRole::parse(&value).ok_or_else(|| format!("unknown grant role {value:?}"))
    }
}

impl TryFrom<String> for Signature {
    type Error = String;
    fn try_from(value: String) -> std::result::Result<Self, String> {
        Signature::parse(&value).ok_or_else(|| format!("unknown signature {value:?}"))
    }
}

/// The folders an account on the customer's side reaches now: its own (id and name, as the
/// session loaded them) first, then those of its live grants (two grants on one folder add
/// up). One query, on every request of the customer's side.
pub async fn folders_of(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    user_id: UserId,
    own: Option<(CustomerId, String)>,
) -> Result<Vec<FolderAccess>> {
    let rows: Vec<ReachRow> = sqlx::query_as(
        "SELECT g.id, g.customer_id, g.role, g.all_contracts, g.requested_on, g.form_document_id, gc.contract_id,
                c.first_name, c.last_name, c.company_name
         FROM grants g
         JOIN customers c ON c.id = g.customer_id AND c.broker_id = g.broker_id
         LEFT JOIN grant_contracts gc ON gc.grant_id = g.id AND gc.broker_id = g.broker_id
         WHERE g.broker_id = $1 AND g.user_id = $2 AND g.revoked_at IS NULL
         ORDER BY g.created_at, g.id, gc.contract_id",
    )
    .bind(broker_id)
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut folders: Vec<FolderAccess> = Vec::new();
    if let Some((own, name)) = own {
        folders.push(FolderAccess::own(own, name));
    }
    for row in rows {
        let scope = if row.all_contracts == 1 { Scope::All } else { Scope::Contracts(Vec::new()) };
        let index = if let Some(index) = folders.iter().position(|f| f.customer_id == row.customer_id) {
            index
        } else {
            folders.push(FolderAccess {
                customer_id: row.customer_id,
                name: crate::customers::display_name(
                    &row.first_name,
                    &row.last_name,
                    row.company_name.as_deref(),
                ),
                basis: Basis::Grant {
                    id: row.id,
                    role: row.role,
                    requested_on: row.requested_on,
                    form: Some(row.form_document_id),
                },
                scope: scope.clone(),
            });
            folders.len() - 1
        };
        let folder = &mut folders[index];
        match (&mut folder.scope, scope, row.contract_id) {
            (Scope::All, _, _) => {}
            (current, Scope::All, _) => *current = Scope::All,
            (Scope::Contracts(set), _, Some(contract)) if !set.contains(&contract) => set.push(contract),
            _ => {}
        }
    }
    Ok(folders)
}

/// The accounts that act for a company's folder (its legal representatives with live grants).
pub async fn acting_for_holder(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    customer_id: CustomerId,
) -> Result<Vec<UserId>> {
    Ok(sqlx::query_scalar(
        "SELECT user_id FROM grants
         WHERE broker_id = $1 AND customer_id = $2 AND role = 'legal_representative' AND revoked_at IS NULL
         ORDER BY id",
    )
    .bind(broker_id)
    .bind(customer_id)
    .fetch_all(conn)
    .await?)
}

/// Whether a document is the signed form of a grant (current or ended): it stays.
pub async fn is_form(conn: &mut AnyConnection, broker_id: BrokerId, document: DocumentId) -> Result<bool> {
    let found: Option<GrantId> =
        sqlx::query_scalar("SELECT id FROM grants WHERE broker_id = $1 AND form_document_id = $2 LIMIT 1")
            .bind(broker_id)
            .bind(document)
            .fetch_optional(conn)
            .await?;
    Ok(found.is_some())
}

const GRANT_COLUMNS: &str =
    "id, external_id, customer_id, user_id, role, all_contracts, requested_on, signature,
     form_document_id, requester_first_name, requester_last_name, requester_birth_date, requester_street,
     requester_postal_code, requester_city, requester_country, person_first_name, person_last_name,
     person_birth_date, person_street, person_postal_code, person_city, person_country, person_email,
     created_at, revoked_at";

#[derive(sqlx::FromRow)]
struct GrantRow {
    id: GrantId,
    external_id: Option<String>,
    customer_id: CustomerId,
    user_id: UserId,
    #[sqlx(try_from = "String")]
    role: GrantRole,
    all_contracts: i64,
    requested_on: String,
    #[sqlx(try_from = "String")]
    signature: Signature,
    form_document_id: DocumentId,
    requester_first_name: String,
    requester_last_name: String,
    requester_birth_date: Option<String>,
    requester_street: String,
    requester_postal_code: String,
    requester_city: String,
    requester_country: String,
    person_first_name: String,
    person_last_name: String,
    person_birth_date: Option<String>,
    person_street: String,
    person_postal_code: String,
    person_city: String,
    person_country: String,
    person_email: String,
    created_at: i64,
    revoked_at: Option<i64>,
}

impl GrantRow {
    fn requester(&self) -> Person {
        Person {
            first_name: self.requester_first_name.clone(),
            last_name: self.requester_last_name.clone(),
            birth_date: self.requester_birth_date.clone().unwrap_or_default(),
            address: Address {
                street: self.requester_street.clone(),
                postal_code: self.requester_postal_code.clone(),
                city: self.requester_city.clone(),
                country: self.requester_country.clone(),
            },
        }
    }

    fn person(&self) -> Person {
        Person {
            first_name: self.person_first_name.clone(),
            last_name: self.person_last_name.clone(),
            birth_date: self.person_birth_date.clone().unwrap_or_default(),
            address: Address {
                street: self.person_street.clone(),
                postal_code: self.person_postal_code.clone(),
                city: self.person_city.clone(),
                country: self.person_country.clone(),
            },
        }
    }
}

/// Grants of the broker: of one folder, or the one with an id or a broker system's id.
async fn grant_rows(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    customer_id: Option<CustomerId>,
    id: Option<GrantId>,
    external_id: Option<&str>,
) -> Result<Vec<GrantRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {GRANT_COLUMNS} FROM grants
         WHERE broker_id = $1 AND ($2 = 0 OR customer_id = $2) AND ($3 = 0 OR id = $3) AND ($4 = '' OR external_id = $4)
         ORDER BY CASE WHEN revoked_at IS NULL THEN 0 ELSE 1 END, created_at DESC, id DESC"
    ))
    .bind(broker_id)
    .bind(customer_id.map_or(0, |c| c.0))
    .bind(id.map_or(0, |g| g.0))
    .bind(external_id.unwrap_or(""))
    .fetch_all(conn)
    .await?)
}

/// The grants as people see them: with the listed contracts' names and whether the person
/// has signed in yet.
async fn views(conn: &mut AnyConnection, broker_id: BrokerId, rows: Vec<GrantRow>) -> Result<Vec<GrantView>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (0..rows.len()).map(|i| format!("${}", i + 2)).collect();
    let sql = format!(
        "SELECT grant_id, contract_id FROM grant_contracts WHERE broker_id = $1 AND grant_id IN ({}) ORDER BY contract_id",
        placeholders.join(", ")
    );
    #[derive(sqlx::FromRow)]
    struct Listed {
        grant_id: GrantId,
        contract_id: ContractId,
    }
    let mut query = sqlx::query_as::<_, Listed>(&sql).bind(broker_id);
    for row in &rows {
        query = query.bind(row.id);
    }
    let listed = query.fetch_all(&mut *conn).await?;
    let mut labels: HashMap<ContractId, String> = HashMap::new();
    let mut folders: Vec<CustomerId> = rows.iter().map(|r| r.customer_id).collect();
    folders.dedup();
    for folder in folders {
        for card in crate::contracts::ssr::cards(conn, broker_id, folder).await? {
            let label = match card.policy_number.as_str() {
                "" => card.title().to_owned(),
                policy => format!("{} · {policy}", card.title()),
            };
            labels.insert(card.id, label);
        }
    }
    let users: Vec<UserId> = rows.iter().map(|r| r.user_id).collect();
    let accounts: HashMap<UserId, Access> = accounts::by_ids(conn, broker_id, &users)
        .await?
        .into_iter()
        .map(|a| (a.id, Access::of_account(&a)))
        .collect();
    Ok(rows
        .into_iter()
        .map(|row| GrantView {
            id: row.id,
            external_id: row.external_id.clone(),
            customer_id: row.customer_id,
            role: row.role,
            all_contracts: row.all_contracts == 1,
            contracts: listed
                .iter()
                .filter(|l| l.grant_id == row.id)
                .map(|l| (l.contract_id, labels.get(&l.contract_id).cloned().unwrap_or_default()))
                .collect(),
            requested_on: row.requested_on.clone(),
            signature: row.signature,
            form: row.form_document_id,
            requester: row.requester(),
            person: row.person(),
            email: row.person_email.clone(),
            created_at: row.created_at,
            revoked_at: row.revoked_at,
            account: accounts.get(&row.user_id).copied().unwrap_or(Access::None),
        })
        .collect())
}

/// The grants on a folder, live ones first.
pub async fn of_folder(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    customer_id: CustomerId,
) -> Result<Vec<GrantView>> {
    let rows = grant_rows(conn, broker_id, Some(customer_id), None, None).await?;
    views(conn, broker_id, rows).await
}

/// A grant of a folder by its broker system's id.
pub async fn by_external_id(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    customer_id: CustomerId,
    external_id: &str,
) -> Result<Option<GrantView>> {
    let rows = grant_rows(conn, broker_id, Some(customer_id), None, Some(external_id)).await?;
    Ok(views(conn, broker_id, rows).await?.pop())
}

/// Checks a grant against its folder: the folder is the broker's, the role fits it (a
/// company's or a person's), the contracts are the folder's, and the signed form is a
/// mandate document of the same folder.
pub async fn check(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    customer_id: CustomerId,
    fields: &GrantFields,
    mut errors: FormErrors,
) -> Result<GrantInput> {
    let folder = crate::customers::ssr::get(conn, broker_id, customer_id).await?;
    if let Some(contracts) = &fields.contracts {
        for contract in contracts {
            if crate::contracts::ssr::owner(conn, broker_id, *contract).await? != Some(customer_id) {
                errors.push("contracts", Problem::NotInFolder);
                break;
            }
        }
    }
    if let super::FormRef::Document(form) = fields.form {
        let document = crate::documents::ssr::stored(conn, broker_id, form).await?;
        match document {
            Some(d) if d.customer_id == customer_id && d.kind == "mandate" && d.held == 0 => {}
            Some(d) if d.customer_id == customer_id => {
                errors.push("form_document_id", Problem::InvalidChoice);
            }
            _ => errors.push("form_document_id", Problem::NotInFolder),
        }
    }
    GrantInput::parse(fields, folder.company().is_some(), errors, &crate::db::today())
}

/// Where a new grant came from, for the audit trail and the invitation mail.
pub struct Origin<'a> {
    pub broker: &'a Broker,
    pub actor: Actor,
    pub ip: Option<IpAddr>,
    /// The base URL of the invitation link.
    pub base_url: &'a str,
}

/// Creates (`existing` = None) or changes a checked grant on a folder. The person's account
/// is the one with their e-mail address at this broker (they keep their password), else a
/// new one with an invitation link, which the caller mails after committing.
pub async fn save(
    conn: &mut AnyConnection,
    origin: &Origin<'_>,
    customer_id: CustomerId,
    existing: Option<GrantId>,
    external_id: Option<&str>,
    input: &GrantInput,
) -> Result<(GrantId, Option<IssuedLink>)> {
    let broker_id = origin.broker.id;
    if let Some(id) = existing {
        let current = grant_rows(conn, broker_id, Some(customer_id), Some(id), None).await?;
        match current.first() {
            None => return Err(AppError::NotFound),
            Some(row) if row.revoked_at.is_some() => {
                return Err(AppError::field("external_id", Problem::InUse))
            }
            Some(_) => {}
        }
    }
    let (user_id, link) = match accounts::by_email(conn, broker_id, &input.email).await? {
        Some(account) if account.role.is_staff() || account.customer_id == Some(customer_id) => {
            return Err(AppError::field("person.email", Problem::AccountNotEligible));
        }
        Some(account) => (account.id, None),
        None => {
            let name = input.person.name();
            let new =
                NewUser { display_name: &name, email: &input.email, role: Role::Customer, customer_id: None };
            let (id, link) =
                invite_user(conn, origin.broker, origin.actor, origin.ip, origin.base_url, new).await?;
            (id, Some(link))
        }
    };
    let now = now();
    let (requester, person) = (&input.requester, &input.person);
    let opt = |s: &str| Some(s.to_owned()).filter(|s| !s.is_empty());
    let all = i64::from(input.scope == Scope::All);
    // Both statements take the grant's fields as $3 to $26.
    let statement = match existing {
        None => {
            "INSERT INTO grants (broker_id, external_id, customer_id, user_id, role, all_contracts, requested_on, signature,
                 form_document_id, requester_first_name, requester_last_name, requester_birth_date, requester_street,
                 requester_postal_code, requester_city, requester_country, person_first_name, person_last_name,
                 person_birth_date, person_street, person_postal_code, person_city, person_country, person_email,
                 created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
                 $22, $23, $24, $25, $25) RETURNING id"
        }
        Some(_) => {
            "UPDATE grants SET customer_id = $3, user_id = $4, role = $5, all_contracts = $6, requested_on = $7,
                 signature = $8, form_document_id = $9, requester_first_name = $10, requester_last_name = $11,
                 requester_birth_date = $12, requester_street = $13, requester_postal_code = $14, requester_city = $15,
                 requester_country = $16, person_first_name = $17, person_last_name = $18, person_birth_date = $19,
                 person_street = $20, person_postal_code = $21, person_city = $22, person_country = $23,
                 person_email = $24, updated_at = $25
             WHERE broker_id = $1 AND id = $2 AND revoked_at IS NULL RETURNING id"
        }
    };
    let key = match existing {
        None => sqlx::query_scalar(statement).bind(broker_id).bind(external_id),
        Some(id) => sqlx::query_scalar(statement).bind(broker_id).bind(id),
    };
    let id: GrantId = key
        .bind(customer_id)
        .bind(user_id)
        .bind(input.role.as_str())
        .bind(all)
        .bind(&input.requested_on)
        .bind(input.signature.as_str())
        .bind(input.form)
        .bind(&requester.first_name)
        .bind(&requester.last_name)
        .bind(opt(&requester.birth_date))
        .bind(&requester.address.street)
        .bind(&requester.address.postal_code)
        .bind(&requester.address.city)
        .bind(&requester.address.country)
        .bind(&person.first_name)
        .bind(&person.last_name)
        .bind(opt(&person.birth_date))
        .bind(&person.address.street)
        .bind(&person.address.postal_code)
        .bind(&person.address.city)
        .bind(&person.address.country)
        .bind(input.email.as_str())
        .bind(now)
        .fetch_optional(&mut *conn)
        .await
        .map_err(|e| accounts::on_unique(e, "external_id", Problem::InUse))?
        .ok_or(AppError::NotFound)?;
    sqlx::query("DELETE FROM grant_contracts WHERE broker_id = $1 AND grant_id = $2")
        .bind(broker_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    if let Scope::Contracts(contracts) = &input.scope {
        for contract in contracts {
            sqlx::query("INSERT INTO grant_contracts (grant_id, broker_id, contract_id) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(broker_id)
                .bind(*contract)
                .execute(&mut *conn)
                .await?;
        }
    }
    let action = if existing.is_some() { "grant.updated" } else { "grant.created" };
    record(conn, broker_id, origin.actor, action, Some(Target::Customer(customer_id)), origin.ip).await?;
    record(conn, broker_id, origin.actor, action, Some(Target::User(user_id)), origin.ip).await?;
    Ok((id, link))
}

/// Ends a live grant of a folder; every session of its account loses it with its next
/// request. The grant's record and its form stay.
pub async fn revoke(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    actor: Actor,
    ip: Option<IpAddr>,
    id: GrantId,
) -> Result<()> {
    #[derive(sqlx::FromRow)]
    struct Revoked {
        customer_id: CustomerId,
        user_id: UserId,
    }
    let revoked: Revoked = sqlx::query_as(
        "UPDATE grants SET revoked_at = $1, updated_at = $1 WHERE broker_id = $2 AND id = $3 AND revoked_at IS NULL
         RETURNING customer_id, user_id",
    )
    .bind(now())
    .bind(broker_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    record(conn, broker_id, actor, "grant.revoked", Some(Target::Customer(revoked.customer_id)), ip).await?;
    record(conn, broker_id, actor, "grant.revoked", Some(Target::User(revoked.user_id)), ip).await?;
    Ok(())
}

/// Ends every live grant on a folder (a folder locked on erasure): nobody on the customer's
/// side sees it any more.
pub async fn revoke_all(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    actor: Actor,
    ip: Option<IpAddr>,
    customer_id: CustomerId,
) -> Result<()> {
    let live: Vec<GrantId> = sqlx::query_scalar(
        "SELECT id FROM grants WHERE broker_id = $1 AND customer_id = $2 AND revoked_at IS NULL ORDER BY id",
    )
    .bind(broker_id)
    .bind(customer_id)
    .fetch_all(&mut *conn)
    .await?;
    for id in live {
        revoke(conn, broker_id, actor, ip, id).await?;
    }
    Ok(())
}

/// Deletes every grant on a folder (before its documents: a grant names its signed form).
pub async fn erase_folder(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    customer_id: CustomerId,
) -> Result<()> {
    sqlx::query("DELETE FROM grants WHERE broker_id = $1 AND customer_id = $2")
        .bind(broker_id)
        .bind(customer_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The grant with this id on this folder, if live (for the API's DELETE).
pub async fn live_id(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    customer_id: CustomerId,
    external_id: &str,
) -> Result<Option<GrantId>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM grants WHERE broker_id = $1 AND customer_id = $2 AND external_id = $3 AND revoked_at IS NULL",
    )
    .bind(broker_id)
    .bind(customer_id)
    .bind(external_id)
    .fetch_optional(conn)
    .await?)
}

/// Mails an invitation a new grant made, after its transaction committed.
pub async fn send_invitation(
    state: &crate::state::AppState,
    broker: &Broker,
    link: Option<IssuedLink>,
) -> Result<()> {
    match link {
        Some(link) => send_link_mail(state, broker, &link).await,
        None => Ok(()),
    }
}

pub async fn of_customer(customer_id: CustomerId) -> Result<Vec<GrantView>> {
    let (ctx, staff) = require_staff()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    crate::customers::ssr::staff_may_open(&mut conn, ctx.broker.id, staff.role, customer_id).await?;
    of_folder(&mut conn, ctx.broker.id, customer_id).await
}

pub async fn revoke_by_staff(id: GrantId) -> Result<()> {
    let (ctx, staff) = require_staff()?;
    let state = app_state()?;
    let mut tx = state.db.begin().await?;
    revoke(&mut tx, ctx.broker.id, Actor::Staff(staff.id), ctx.ip, id).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn switch(customer_id: CustomerId) -> Result<()> {
    let (ctx, user) = require_user()?;
    if !user.folders.iter().any(|f| f.customer_id == customer_id) {
        return Err(AppError::NotFound);
    }
    let state = app_state()?;
    let mut conn = state.db.pool.acquire().await?;
    sessions::set_folder(&mut conn, ctx.broker.id, &user.session_hash, customer_id).await?;
    leptos_axum::redirect("/app");
    Ok(())
}

/// The grants on the folder the signed-in person looks at, if they act for its holder.
pub async fn on_my_folder() -> Result<Vec<GrantView>> {
    let (ctx, user) = require_user()?;
    let folder = user.folder()?;
    if !folder.acts_for_holder() {
        return Err(AppError::Forbidden);
    }
    let mut conn = app_state()?.db.pool.acquire().await?;
    of_folder(&mut conn, ctx.broker.id, folder.customer_id).await
}

/// The holder asks the broker to end a grant: a question in the mailbox, in the holder's
/// words, which the office acts on (the broker stays master of the data, R2.3).
pub async fn request_end(id: GrantId) -> Result<ConversationId> {
    let (ctx, user) = require_user()?;
    let folder = user.folder()?.clone();
    if !folder.acts_for_holder() {
        return Err(AppError::Forbidden);
    }
    let state = app_state()?;
    let mut tx = state.db.begin().await?;
    let grant = grant_rows(&mut tx, ctx.broker.id, Some(folder.customer_id), Some(id), None)
        .await?
        .into_iter()
        .find(|g| g.revoked_at.is_none())
        .ok_or(AppError::NotFound)?;
    let t = super::texts::texts(ctx.locale);
    let body = t
        .end_request_body
        .replace("{name}", &format!("{} {}", grant.person_first_name, grant.person_last_name))
        .replace("{date}", &crate::i18n::fmt_date(&grant.requested_on, ctx.locale));
    let conversation = crate::mailbox::ssr::open_question(&mut tx, &ctx, &user, &folder, &body).await?;
    record(
        &mut tx,
        ctx.broker.id,
        Actor::Customer(user.id),
        "grant.end_requested",
        Some(Target::Customer(folder.customer_id)),
        ctx.ip,
    )
    .await?;
    tx.commit().await?;
    Ok(conversation)
}
