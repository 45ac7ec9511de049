//! The demo broker, so that a first look at Folio shows what it is for: its owner; Anna
//! Schneider's household (a dozen contracts across the catalogue, two ended ones, generated
//! documents); her partner Markus, who has a folder of his own and sees two of hers on a
//! signed mandate; a small company with its legal representative and a bookkeeper who sees a
//! listed set; and a mailbox with conversations in different states. Passwords are reset to
//! the published demo ones on every run; everything else is written once and then kept.

use anyhow::Context;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};

use app::access::form::{mandate_pdf, MandateDoc};
use app::access::ssr::{self as access, Origin};
use app::access::{FormRef, GrantFields, PersonFields};
use app::audit::ssr::{record, Actor, Target};
use app::auth::accounts::{self, NewUser};
use app::auth::{password, Role};
use app::catalogue::ssr as catalogue;
use app::contracts::ssr::write;
use app::contracts::{ContractInput, Interval, Status};
use app::customers::ssr as customers;
use app::customers::{CustomerFields, CustomerInput};
use app::documents::ssr::{insert, NewDocument};
use app::documents::store::BlobStore;
use app::documents::Kind;
use app::email::Email;
use app::error::FormErrors;
use app::ids::{BrokerId, ContractId, CustomerId, UserId};
use app::mailbox::ssr::{seed, Seed};
use app::mailbox::{Details, Status as Conversation, Topic};
use app::state::AppState;
use app::tenancy::{self, Broker};

/// A person of the demo who signs in: name, e-mail, password.
pub struct DemoPerson {
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub email: &'static str,
    pub password: &'static str,
}

pub const STAFF: DemoPerson = DemoPerson {
    first_name: "Jana",
    last_name: "Sommer",
    email: "jana.sommer@sommer-partner.example",
    password: "Demo-Makler-2026!",
};
pub const ANNA: DemoPerson = DemoPerson {
    first_name: "Anna",
    last_name: "Schneider",
    email: "anna.schneider@example.com",
    password: "Demo-Kunde-2026!",
};
pub const MARKUS: DemoPerson = DemoPerson {
    first_name: "Markus",
    last_name: "Schneider",
    email: "markus.schneider@example.com",
    password: "Demo-Partner-2026!",
};
pub const THOMAS: DemoPerson = DemoPerson {
    first_name: "Thomas",
    last_name: "Berger",
    email: "thomas.berger@example.com",
    password: "Demo-Firma-2026!",
};
pub const SABINE: DemoPerson = DemoPerson {
    first_name: "Sabine",
    last_name: "Koch",
    email: "sabine.koch@example.com",
    password: "Demo-Buchhaltung-2026!",
};

impl DemoPerson {
    fn name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

const COMPANY: &str = "Berger Haustechnik GmbH";

struct DemoContract {
    line: &'static str,
    product: &'static str,
    insurer: &'static str,
    policy: &'static str,
    premium_cents: i64,
    interval: Interval,
    start: &'static str,
    end: Option<&'static str>,
    covers: &'static str,
}

#[allow(clippy::too_many_arguments)] // one row of the household table
const fn active(
    line: &'static str,
    product: &'static str,
    insurer: &'static str,
    policy: &'static str,
    premium_cents: i64,
    interval: Interval,
    start: &'static str,
    covers: &'static str,
) -> DemoContract {
    DemoContract { line, product, insurer, policy, premium_cents, interval, start, end: None, covers }
}

const HOUSEHOLD: &[DemoContract] = &[
    active(
        "Haftpflicht",
        "Privathaftpflicht",
        "Hanse Allgemeine Versicherung AG",
        "PHV-4711-2020",
        690,
        Interval::Monthly,
        "2020-01-01",
        "Familie Schneider",
    ),
    active(
        "Haftpflicht",
        "Tierhalterhaftpflicht",
        "Hanse Allgemeine Versicherung AG",
        "THV-2291-2022",
        7_980,
        Interval::Yearly,
        "2022-04-01",
        "Hund „Bruno“, Labrador",
    ),
    active(
        "Hausrat",
        "Hausratversicherung",
        "Hanse Allgemeine Versicherung AG",
        "HR-882310",
        14_820,
        Interval::Yearly,
        "2019-07-01",
        "Wohnung Lindenstraße 12, 80331 München",
    ),
    active(
        "Hausrat",
        "Fahrradversicherung",
        "VeloSchutz Versicherung AG",
        "FV-20931",
        750,
        Interval::Monthly,
        "2023-03-15",
        "E-Bike, Rahmennummer WAC123456",
    ),
    active(
        "KFZ",
        "KFZ-Haftpflicht",
        "Nordstern Versicherung AG",
        "KH-558120",
        3_840,
        Interval::Monthly,
        "2021-10-01",
        "VW Golf, M-AS 2024",
    ),
    active(
        "KFZ",
        "Vollkasko",
        "Nordstern Versicherung AG",
        "VK-558121",
        12_330,
        Interval::Quarterly,
        "2021-10-01",
        "VW Golf, M-AS 2024",
    ),
    active(
        "Rechtsschutz",
        "Privatrechtsschutz",
        "Justitia Rechtsschutz AG",
        "RS-300455",
        2_480,
        Interval::Monthly,
        "2018-01-01",
        "Anna und Markus Schneider",
    ),
    active(
        "Unfall",
        "Private Unfallversicherung",
        "Alpina Versicherung AG",
        "UV-71002",
        8_760,
        Interval::HalfYearly,
        "2017-05-01",
        "Anna Schneider",
    ),
    active(
        "Unfall",
        "Kinderunfallversicherung",
        "Alpina Versicherung AG",
        "UV-71003",
        820,
        Interval::Monthly,
        "2016-09-01",
        "Lena Schneider",
    ),
    active(
        "Berufsunfähigkeit",
        "Berufsunfähigkeitsversicherung",
        "Rheinland Lebensversicherung AG",
        "BU-1200987",
        7_835,
        Interval::Monthly,
        "2015-02-01",
        "Anna Schneider, Rente 1.500 € monatlich",
    ),
    active(
        "Kranken",
        "Zahnzusatzversicherung",
        "Alpina Krankenversicherung AG",
        "ZZ-445566",
        2_190,
        Interval::Monthly,
        "2020-06-01",
        "Anna Schneider",
    ),
    active(
        "Leben & Rente",
        "Private Rentenversicherung",
        "Rheinland Lebensversicherung AG",
        "RV-9981-22",
        15_000,
        Interval::Monthly,
        "2022-01-01",
        "Anna Schneider",
    ),
    active(
        "Hinterbliebenenvorsorge",
        "Risikolebensversicherung",
        "Rheinland Lebensversicherung AG",
        "RL-77120",
        18_900,
        Interval::Yearly,
        "2019-11-01",
        "Anna Schneider; begünstigt: Markus Schneider",
    ),
    DemoContract {
        line: "Kranken",
        product: "Auslandsreisekrankenversicherung",
        insurer: "Alpina Krankenversicherung AG",
        policy: "AR-2019-1",
        premium_cents: 1_200,
        interval: Interval::Yearly,
        start: "2019-01-01",
        end: Some("2024-12-31"),
        covers: "Familie Schneider",
    },
    DemoContract {
        line: "KFZ",
        product: "Teilkasko",
        insurer: "Nordstern Versicherung AG",
        policy: "TK-330012",
        premium_cents: 2_150,
        interval: Interval::Monthly,
        start: "2016-04-01",
        end: Some("2021-09-30"),
        covers: "Opel Corsa, M-AS 1990",
    },
];

/// Contract (none for a letter), title, type, bytes, media type.
type DemoDocument = (Option<ContractId>, String, Kind, Vec<u8>, &'static str);

/// Creates or refreshes the demo broker and prints how to sign in.
pub async fn run(state: &AppState) -> anyhow::Result<()> {
    let db = &state.db;
    let fresh = tenancy::ssr::find_by_slug(db, "demo").await?.is_none();
    let broker =
        tenancy::ssr::upsert(db, "demo", "Sommer & Partner Versicherungsmakler", &["localhost".into()])
            .await?;
    let b = broker.id;
    let mut tx = db.begin().await?;
    if fresh {
        // So that a first look needs no authenticator app; Einstellungen → Anmeldung turns it on.
        tenancy::ssr::set_second_factor_policy(&mut tx, b, app::second_factor::Policy::default()).await?;
    }
    let anna_folder = folder(&mut tx, b, "demo-anna", &anna_fields(), Some(ANNA.email)).await?;
    let markus_folder = folder(&mut tx, b, "demo-markus", &markus_fields(), Some(MARKUS.email)).await?;
    let company = folder(&mut tx, b, "demo-berger", &company_fields(), None).await?;
    tenancy::ssr::set_contact_if_missing(
        &mut tx,
        b,
        "+49 89 2345 6780",
        "service@sommer-partner.example",
        "Sendlinger Straße 7\n80331 München",
        "Mo–Do 9–17 Uhr, Fr 9–14 Uhr",
    )
    .await?;
    tx.commit().await?;
    let people = [
        (&STAFF, Role::Owner, None),
        (&ANNA, Role::Customer, Some(anna_folder)),
        (&MARKUS, Role::Customer, Some(markus_folder)),
        (&THOMAS, Role::Customer, None),
        (&SABINE, Role::Customer, None),
    ];
    let mut users = Vec::new();
    for (person, role, own) in people {
        let hash = password::hash(person.password.into()).await?;
        let email = Email::parse(person.email).map_err(|p| anyhow::anyhow!("demo address: {p:?}"))?;
        let name = person.name();
        let new = NewUser { display_name: &name, email: &email, role, customer_id: own };
        let mut tx = db.begin().await?;
        let id = accounts::upsert_with_password(&mut tx, b, &new, &hash.0).await.map_err(app_error)?;
        app::auth::sessions::delete_all_of_user(&mut tx, b, id).await?;
        record(&mut tx, b, Actor::System, "demo.refreshed", Some(Target::User(id)), None).await?;
        tx.commit().await?;
        users.push(id);
    }
    let (jana, markus, thomas, sabine) = (users[0], users[2], users[3], users[4]);
    household(state, b, anna_folder, &anna_fields(), HOUSEHOLD).await?;
    household(state, b, markus_folder, &markus_fields(), MARKUS_CONTRACTS).await?;
    household(state, b, company, &company_fields(), COMPANY_CONTRACTS).await?;
    let host = tenancy::ssr::primary_host(db, &broker, &state.config.base_domain).await?;
    let url = tenancy::base_url(&host, state.config.local_port);
    grants(state, &broker, &url, anna_folder, company).await?;
    mailbox(state, b, anna_folder, jana, markus).await?;
    let _ = (thomas, sabine);
    println!("Demo broker \"{}\" at {url}", broker.name);
    println!("  Kunde (customer):               {} / {}", ANNA.email, ANNA.password);
    println!("  Partner (sees 2 of Anna's):     {} / {}", MARKUS.email, MARKUS.password);
    println!("  {COMPANY}, Geschäftsführer: {} / {}", THOMAS.email, THOMAS.password);
    println!("  {COMPANY}, Buchhaltung:     {} / {}", SABINE.email, SABINE.password);
    println!("  Makler (staff):                 {} / {}", STAFF.email, STAFF.password);
    Ok(())
}

fn app_error(error: app::error::AppError) -> anyhow::Error {
    anyhow::anyhow!("{error}: {error:?}")
}

fn anna_fields() -> CustomerFields {
    CustomerFields {
        first_name: ANNA.first_name.into(),
        last_name: ANNA.last_name.into(),
        email: ANNA.email.into(),
        phone: "+49 89 1234567".into(),
        birth_date: "1986-04-12".into(),
        street: "Lindenstraße 12".into(),
        postal_code: "80331".into(),
        city: "München".into(),
        country: "DE".into(),
        ..CustomerFields::default()
    }
}

fn markus_fields() -> CustomerFields {
    CustomerFields {
        first_name: MARKUS.first_name.into(),
        last_name: MARKUS.last_name.into(),
        email: MARKUS.email.into(),
        birth_date: "1984-09-23".into(),
        ..anna_fields()
    }
}

fn company_fields() -> CustomerFields {
    CustomerFields {
        company_name: COMPANY.into(),
        first_name: THOMAS.first_name.into(),
        last_name: THOMAS.last_name.into(),
        email: "info@berger-haustechnik.example".into(),
        phone: "+49 89 3210 450".into(),
        street: "Industriestraße 5".into(),
        postal_code: "85748".into(),
        city: "Garching".into(),
        country: "DE".into(),
        ..CustomerFields::default()
    }
}

fn person(p: &DemoPerson, birth_date: &str, street: &str, postal_code: &str, city: &str) -> PersonFields {
    PersonFields {
        first_name: p.first_name.into(),
        last_name: p.last_name.into(),
        birth_date: birth_date.into(),
        street: street.into(),
        postal_code: postal_code.into(),
        city: city.into(),
        country: "DE".into(),
        email: p.email.into(),
    }
}

/// A demo folder: found by its demo id (or, for folders from before, by e-mail), else created.
async fn folder(
    conn: &mut sqlx::AnyConnection,
    broker_id: BrokerId,
    external_id: &str,
    fields: &CustomerFields,
    email: Option<&str>,
) -> anyhow::Result<CustomerId> {
    if let Some(found) = customers::find_external(conn, broker_id, external_id).await.map_err(app_error)? {
        return Ok(found.id);
    }
    if let Some(email) = email {
        if let Some(found) = customers::find_by_email(conn, broker_id, email).await.map_err(app_error)? {
            return Ok(found.id);
        }
    }
    let input = CustomerInput::parse(fields, FormErrors::default(), &app::db::today()).map_err(app_error)?;
    let (id, _) = customers::save(conn, broker_id, Actor::System, None, Some(external_id), &input)
        .await
        .map_err(app_error)?;
    Ok(id)
}

/// Fills a demo folder with its contracts and their documents, unless it has contracts.
async fn household(
    state: &AppState,
    broker_id: BrokerId,
    customer_id: CustomerId,
    holder: &CustomerFields,
    contracts: &'static [DemoContract],
) -> anyhow::Result<()> {
    let db = &state.db;
    let mut conn = db.pool.acquire().await?;
    if !app::contracts::ssr::cards(&mut conn, broker_id, customer_id).await.map_err(app_error)?.is_empty() {
        return Ok(());
    }
    drop(conn);
    let mut tx = db.begin().await?;
    let mut created = Vec::new();
    for c in contracts {
        let line_id = catalogue::line_named(&mut tx, broker_id, c.line)
            .await
            .map_err(app_error)?
            .with_context(|| format!("the catalogue has no line {}", c.line))?;
        let product_id = match c.product {
            "" => None,
            product => {
                catalogue::product_named(&mut tx, broker_id, line_id, product).await.map_err(app_error)?
            }
        };
        let input = ContractInput {
            customer_id,
            line_id,
            product_id,
            insurer: c.insurer.into(),
            policy_number: c.policy.into(),
            status: if c.end.is_some() { Status::Ended } else { Status::Active },
            premium_cents: c.premium_cents,
            currency: "EUR".into(),
            interval: c.interval,
            start_date: Some(c.start.into()),
            end_date: c.end.map(Into::into),
            insured: c.covers.into(),
            description: String::new(),
        };
        let external = format!("demo-{}", c.policy);
        let id = write(&mut tx, broker_id, Actor::System, None, None, Some(&external), &input)
            .await
            .map_err(|e| anyhow::anyhow!("cannot create a demo contract: {e}"))?;
        created.push((id, c));
    }
    tx.commit().await?;

    let holder_line = match holder.company_name.as_str() {
        "" => format!(
            "Versicherungsnehmer: {} {}, {}, {} {}",
            holder.first_name, holder.last_name, holder.street, holder.postal_code, holder.city
        ),
        company => format!(
            "Versicherungsnehmerin: {company}, {}, {} {}",
            holder.street, holder.postal_code, holder.city
        ),
    };
    let blobs = BlobStore::new(&state.config.data_dir);
    let mut documents: Vec<DemoDocument> = Vec::new();
    for (id, c) in &created {
        let title = if c.product.is_empty() { c.line } else { c.product };
        let body = [
            format!("Versicherer: {}", c.insurer),
            format!("Produkt: {title}"),
            format!("Versicherungsscheinnummer: {}", c.policy),
            holder_line.clone(),
            format!("Versichert: {}", c.covers),
            format!("Beginn: {}", c.start),
            format!(
                "Beitrag: {},{:02} EUR ({})",
                c.premium_cents / 100,
                c.premium_cents % 100,
                c.interval.as_str()
            ),
        ];
        documents.push((
            Some(*id),
            format!("Versicherungsschein {title}"),
            Kind::Policy,
            pdf("Versicherungsschein", &body),
            "application/pdf",
        ));
    }
    // The household's extras: invoices, an amendment, letters and a photo.
    if holder.first_name == ANNA.first_name && holder.company_name.is_empty() {
        extras(&created, &mut documents)?;
    }
    for (contract_id, title, kind, bytes, media_type) in documents {
        let blob = blobs.temp_from_bytes(&bytes).await?;
        let doc = NewDocument::filed(customer_id, contract_id, &title, kind, media_type);
        insert(state, broker_id, Actor::System, None, doc, blob)
            .await
            .map_err(|e| anyhow::anyhow!("cannot store a demo document: {e}"))?;
    }
    Ok(())
}

fn extras(created: &[(ContractId, &DemoContract)], documents: &mut Vec<DemoDocument>) -> anyhow::Result<()> {
    for (id, c) in created.iter().take(4) {
        let body = [
            format!("Beitragsrechnung 2026 zu {} {}", c.product, c.policy),
            "Der Beitrag wird wie vereinbart abgebucht.".to_owned(),
        ];
        documents.push((
            Some(*id),
            format!("Beitragsrechnung 2026 {}", c.product),
            Kind::Invoice,
            pdf("Beitragsrechnung", &body),
            "application/pdf",
        ));
    }
    if let Some((id, _)) = created.iter().find(|(_, c)| c.product == "Hausratversicherung") {
        let body = ["Die Versicherungssumme wird ab 01.01.2026 auf 85.000 EUR angehoben.".to_owned()];
        documents.push((
            Some(*id),
            "Nachtrag Versicherungssumme".into(),
            Kind::Amendment,
            pdf("Nachtrag", &body),
            "application/pdf",
        ));
    }
    documents.push((
        None,
        "Erstinformation nach § 15 VersVermV".into(),
        Kind::Letter,
        pdf(
            "Erstinformation",
            &[
                "Sommer & Partner Versicherungsmakler, Musterstraße 1, 80331 München".to_owned(),
                "Registrierung als Versicherungsmakler nach § 34d Abs. 1 GewO.".to_owned(),
            ],
        ),
        "application/pdf",
    ));
    documents.push((
        None,
        "Willkommen in Ihrem digitalen Kundenordner".into(),
        Kind::Letter,
        pdf(
            "Willkommen",
            &[
                "Liebe Frau Schneider,".to_owned(),
                "ab heute finden Sie alle Verträge und Dokumente in Ihrem digitalen Ordner.".to_owned(),
            ],
        ),
        "application/pdf",
    ));
    let photo = sanitizer::sanitize(&photo()?, &sanitizer::Limits::default())
        .map_err(|e| anyhow::anyhow!("demo photo: {e}"))?;
    if let Some((id, _)) = created.iter().find(|(_, c)| c.product == "Fahrradversicherung") {
        documents.push((
            Some(*id),
            "Foto E-Bike mit Rahmennummer".into(),
            Kind::Other,
            photo.bytes,
            "image/jpeg",
        ));
    }
    Ok(())
}

/// The demo's mandates: Markus sees two of Anna's contracts; Thomas Berger represents his
/// company; Sabine Koch, its bookkeeper, sees the company's liability and fleet contracts.
/// Each rests on the form Folio makes, "signed".
async fn grants(
    state: &AppState,
    broker: &Broker,
    base_url: &str,
    anna: CustomerId,
    company: CustomerId,
) -> anyhow::Result<()> {
    let anna_person = person(&ANNA, "1986-04-12", "Lindenstraße 12", "80331", "München");
    let markus_person = person(&MARKUS, "1984-09-23", "Lindenstraße 12", "80331", "München");
    let thomas_person = person(&THOMAS, "1971-02-14", "Am Anger 3", "85748", "Garching");
    let sabine_person = person(&SABINE, "1990-06-30", "Lindenweg 8", "85386", "Eching");
    let plan = [
        (
            "demo-markus",
            anna,
            "other",
            Some(&["HR-882310", "RS-300455"][..]),
            "2026-03-02",
            &anna_person,
            &markus_person,
            "handwritten",
        ),
        (
            "demo-thomas",
            company,
            "legal_representative",
            None,
            "2026-01-15",
            &thomas_person,
            &thomas_person,
            "qualified",
        ),
        (
            "demo-sabine",
            company,
            "other_for_entity",
            Some(&["BHV-100200", "KF-77001"][..]),
            "2026-02-03",
            &thomas_person,
            &sabine_person,
            "eid",
        ),
    ];
    for (external_id, folder, role, policies, requested_on, requester, grantee, signature) in plan {
        let mut conn = state.db.pool.acquire().await?;
        if access::by_external_id(&mut conn, broker.id, folder, external_id)
            .await
            .map_err(app_error)?
            .is_some()
        {
            continue;
        }
        let contracts = match policies {
            None => None,
            Some(policies) => {
                let mut ids = Vec::new();
                for policy in policies {
                    let found =
                        app::contracts::ssr::by_external_id(&mut conn, broker.id, &format!("demo-{policy}"))
                            .await
                            .map_err(app_error)?
                            .with_context(|| format!("no demo contract {policy}"))?;
                    ids.push(found.0);
                }
                Some(ids)
            }
        };
        let cards = app::contracts::ssr::cards(&mut conn, broker.id, folder).await.map_err(app_error)?;
        let labels = contracts.as_ref().map(|ids| {
            cards
                .iter()
                .filter(|c| ids.contains(&c.id))
                .map(|c| format!("{} ({}, {})", c.title(), c.insurer, c.policy_number))
                .collect()
        });
        drop(conn);
        let form = mandate_pdf(&MandateDoc {
            broker: &broker.name,
            company: (folder != anna).then_some(COMPANY),
            role: app::access::GrantRole::parse(role),
            contracts: labels,
            requested_on,
            requester,
            person: grantee,
            locale: app::i18n::Locale::De,
            today: requested_on,
        });
        let title = format!("Vollmacht – {} {} (unterschrieben)", grantee.first_name, grantee.last_name);
        let blob = BlobStore::new(&state.config.data_dir).temp_from_bytes(&form).await?;
        let doc = NewDocument::filed(folder, None, &title, Kind::Mandate, "application/pdf");
        let form_id = insert(state, broker.id, Actor::System, None, doc, blob).await.map_err(app_error)?;
        let fields = GrantFields {
            role: role.into(),
            contracts,
            requested_on: requested_on.into(),
            requester: requester.clone(),
            person: grantee.clone(),
            signature: signature.into(),
            form: FormRef::Document(form_id),
        };
        let mut tx = state.db.begin().await?;
        let input = access::check(&mut tx, broker.id, folder, &fields, FormErrors::default())
            .await
            .map_err(app_error)?;
        let origin = Origin { broker, actor: Actor::System, ip: None, base_url };
        access::save(&mut tx, &origin, folder, None, Some(external_id), &input).await.map_err(app_error)?;
        tx.commit().await?;
    }
    Ok(())
}

/// A mailbox that is not empty: a settled claim, a question the office has just answered, a
/// new bank account waiting to be taken over, and Markus's own question about a contract he sees.
async fn mailbox(
    state: &AppState,
    broker_id: BrokerId,
    anna_folder: CustomerId,
    jana: UserId,
    markus: UserId,
) -> anyhow::Result<()> {
    let mut tx = state.db.begin().await?;
    if app::mailbox::ssr::any_in_folder(&mut tx, broker_id, anna_folder).await.map_err(app_error)? {
        return Ok(());
    }
    let anna = accounts::by_email(
        &mut tx,
        broker_id,
        &Email::parse(ANNA.email).map_err(|p| anyhow::anyhow!("{p:?}"))?,
    )
    .await
    .map_err(app_error)?
    .context("no demo customer account")?
    .id;
    let contract = |policy: &str| {
        let external = format!("demo-{policy}");
        async move {
            app::contracts::ssr::by_external_id(&mut *state.db.pool.acquire().await?, broker_id, &external)
                .await
                .map_err(app_error)
                .map(|c| c.map(|c| c.0))
        }
    };
    let household = contract("HR-882310").await?;
    let liability = contract("PHV-4711-2020").await?;
    let now = app::db::now();
    let day = 86_400;
    let (y, m, d) = app::i18n::date_of_days((now - 45 * day).div_euclid(day));
    let claim = Details::Claim { date: format!("{y:04}-{m:02}-{d:02}"), place: "Küche".into() };
    let (y, m, d) = app::i18n::date_of_days((now + 14 * day).div_euclid(day));
    let bank = Details::Bank {
        account_holder: "Anna Schneider".into(),
        iban: "DE02120300000000202051".into(),
        valid_from: format!("{y:04}-{m:02}-{d:02}"),
        sepa_note: String::new(),
    };
    let seeds = [
        Seed {
            customer_id: anna_folder,
            topic: Topic::Claim,
            subject: "",
            contract_id: household,
            details: &claim,
            status: Conversation::Done,
            grantee: None,
            assignee: Some(jana),
            messages: &[
                (true, anna, "In der Küche ist die Spülmaschine ausgelaufen, der Boden ist nass und wölbt sich.", now - 45 * day),
                (false, jana, "Danke für die Meldung und die Fotos. Ich habe den Schaden an die Hanse gemeldet; ein Gutachter meldet sich bei Ihnen.", now - 44 * day),
                (true, anna, "Der Gutachter war da und hat alles aufgenommen.", now - 31 * day),
                (false, jana, "Die Zahlung ist angewiesen. Ich schließe den Vorgang – melden Sie sich gern, wenn noch etwas ist.", now - 30 * day),
            ],
            customer_read: true,
            office_read: true,
        },
        Seed {
            customer_id: anna_folder,
            topic: Topic::Question,
            subject: "",
            contract_id: liability,
            details: &Details::None,
            status: Conversation::Open,
            grantee: None,
            assignee: Some(jana),
            messages: &[
                (true, anna, "Bin ich über die Privathaftpflicht auch abgesichert, wenn ich mir ein Lastenrad leihe?", now - 3 * day),
                (false, jana, "Ja: Schäden, die Sie mit einem geliehenen Fahrrad anderen zufügen, sind mitversichert. Schäden am Lastenrad selbst nicht – dafür gibt es eine Zusatzdeckung.", now - day),
            ],
            customer_read: false,
            office_read: true,
        },
        Seed {
            customer_id: anna_folder,
            topic: Topic::Bank,
            subject: "",
            contract_id: None,
            details: &bank,
            status: Conversation::New,
            grantee: None,
            assignee: None,
            messages: &[(true, anna, "Ab nächstem Monat bitte über mein neues Konto abbuchen.", now - 2 * 3600)],
            customer_read: true,
            office_read: false,
        },
        Seed {
            customer_id: anna_folder,
            topic: Topic::Question,
            subject: "",
            contract_id: household,
            details: &Details::None,
            status: Conversation::New,
            grantee: Some(markus),
            assignee: None,
            messages: &[(true, markus, "Ist mein Fahrrad im Kellerabteil über die Hausratversicherung mitversichert?", now - 5 * 3600)],
            customer_read: true,
            office_read: false,
        },
    ];
    for s in &seeds {
        seed(&mut tx, broker_id, s).await.map_err(app_error)?;
    }
    tx.commit().await?;
    Ok(())
}

const MARKUS_CONTRACTS: &[DemoContract] = &[
    active(
        "Berufsunfähigkeit",
        "Berufsunfähigkeitsversicherung",
        "Rheinland Lebensversicherung AG",
        "BU-1200990",
        6_920,
        Interval::Monthly,
        "2016-08-01",
        "Markus Schneider, Rente 1.800 € monatlich",
    ),
    active(
        "Rechtsschutz",
        "Berufsrechtsschutz",
        "Justitia Rechtsschutz AG",
        "RS-300871",
        1_390,
        Interval::Monthly,
        "2021-05-01",
        "Markus Schneider",
    ),
];

const COMPANY_CONTRACTS: &[DemoContract] = &[
    active(
        "Haftpflicht",
        "Betriebshaftpflicht",
        "Hanse Allgemeine Versicherung AG",
        "BHV-100200",
        185_000,
        Interval::Yearly,
        "2018-01-01",
        "Berger Haustechnik GmbH, Sanitär- und Heizungsbau, 12 Mitarbeiter",
    ),
    active(
        "KFZ",
        "KFZ-Haftpflicht",
        "Nordstern Versicherung AG",
        "KF-77001",
        42_000,
        Interval::Quarterly,
        "2020-03-01",
        "Flotte: 3 Transporter (FS-BH 101 bis 103)",
    ),
    active(
        "Hausrat",
        "Glasversicherung",
        "Hanse Allgemeine Versicherung AG",
        "GL-50012",
        29_000,
        Interval::Yearly,
        "2019-06-01",
        "Ausstellungsraum Industriestraße 5",
    ),
    active(
        "Rechtsschutz",
        "",
        "Justitia Rechtsschutz AG",
        "FRS-5521",
        4_900,
        Interval::Monthly,
        "2022-01-01",
        "Firmen-Rechtsschutz für Berger Haustechnik GmbH",
    ),
];

/// A one-page A4 letter in Helvetica.
fn pdf(heading: &str, lines: &[String]) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let (catalog, tree, page_id, font, content_id) =
        (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4), Ref::new(5));
    let font_name = Name(b"F1");
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids([page_id]).count(1);
    let mut page = pdf.page(page_id);
    page.media_box(Rect::new(0.0, 0.0, 595.0, 842.0));
    page.parent(tree);
    page.contents(content_id);
    page.resources().fonts().pair(font_name, font);
    page.finish();
    pdf.type1_font(font).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
    let mut content = Content::new();
    content.begin_text();
    content.set_font(font_name, 10.0);
    content.next_line(72.0, 790.0);
    content.show(Str(&win_ansi("Sommer & Partner Versicherungsmakler · Demo")));
    content.set_font(font_name, 20.0);
    content.next_line(0.0, -48.0);
    content.show(Str(&win_ansi(heading)));
    content.set_font(font_name, 11.0);
    for line in lines {
        content.next_line(0.0, -22.0);
        content.show(Str(&win_ansi(line)));
    }
    content.end_text();
    pdf.stream(content_id, &content.finish());
    pdf.finish()
}

/// Latin-1 covers the German letters; the few others become '?'.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '€' => 0x80,
            '·' => 0xB7,
            '„' => 0x84,
            '“' => 0x93,
            c => u8::try_from(u32::from(c)).unwrap_or(b'?'),
        })
        .collect()
}

/// A picture for the demo: a gradient, as a JPEG.
fn photo() -> anyhow::Result<Vec<u8>> {
    let img = image::RgbImage::from_fn(480, 320, |x, y| {
        let r = u8::try_from(60 + x * 120 / 480).unwrap_or(255);
        let g = u8::try_from(110 + y * 80 / 320).unwrap_or(255);
        image::Rgb([r, g, 170])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).context("cannot encode the demo photo")?;
    Ok(out.into_inner())
}
