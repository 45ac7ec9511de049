//! The tables `imports`, `import_mappings` and `customer_numbers`, and the import itself:
//! read → plan (the preview) → write everything in one transaction. The office, the CLI and
//! the REST API call `preview`, `store` and `run`; each entry point checks who may import.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use sqlx::AnyConnection;

use super::plan::{plan, Known, KnownContract, KnownCustomer, PersonStep, Plan, PolicyStep};
use super::records;
use super::{from_gdv, Format, ImportStatus, Progress, Report};
use crate::audit::ssr::{record, Actor, Source};
use crate::contracts::{Interval, Status};
use crate::db::{now, today, Db};
use crate::error::{AppError, Result};
use crate::ids::{BrokerId, CustomerId, ImportId};
use crate::request::{app_state, require_staff};

/// The largest file an import takes: a portfolio of about 200,000 contracts in GDV.
pub const MAX_FILE_BYTES: usize = 100 * 1024 * 1024;

/// How the standard GDV Sparten land in the default catalogue ("Line / Product"). A broker
/// maps other Sparten, or these elsewhere, in `import_mappings`.
pub const DEFAULT_SPARTEN: &[(&str, &str)] = &[
    ("010", "Leben & Rente"),
    ("020", "Kranken"),
    ("030", "Unfall / Private Unfallversicherung"),
    ("040", "Haftpflicht / Privathaftpflicht"),
    ("050", "KFZ"),
    ("051", "KFZ / KFZ-Haftpflicht"),
    ("052", "KFZ / Vollkasko"),
    ("053", "KFZ / Teilkasko"),
    ("054", "KFZ"),
    ("055", "KFZ / Schutzbrief"),
    ("070", "Rechtsschutz"),
    ("130", "Hausrat / Hausratversicherung"),
    ("140", "Wohngebäude / Wohngebäudeversicherung"),
];

/// Imports running in this process: how far they are.
static RUNNING: LazyLock<Mutex<HashMap<ImportId, Progress>>> = LazyLock::new(Mutex::default);

fn set_progress(id: ImportId, progress: Option<Progress>) {
    if let Ok(mut running) = RUNNING.lock() {
        match progress {
            Some(p) => running.insert(id, p),
            None => running.remove(&id),
        };
    }
}

fn progress_of(id: ImportId) -> Option<Progress> {
    RUNNING.lock().ok().and_then(|r| r.get(&id).copied())
}

/// The broker's names for VU numbers, and its Sparte mapping over the defaults.
pub async fn mappings(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
) -> Result<(HashMap<String, String>, HashMap<String, String>)> {
    #[derive(sqlx::FromRow)]
    struct Row {
        kind: String,
        code: String,
        value: String,
    }
    let rows: Vec<Row> = sqlx::query_as("SELECT kind, code, value FROM import_mappings WHERE broker_id = $1")
        .bind(broker_id)
        .fetch_all(conn)
        .await?;
    let mut insurers = HashMap::new();
    let mut sparten: HashMap<String, String> =
        DEFAULT_SPARTEN.iter().map(|(c, v)| ((*c).to_owned(), (*v).to_owned())).collect();
    for r in rows {
        match r.kind.as_str() {
            "insurer" => insurers.insert(r.code, r.value),
            _ => sparten.insert(r.code, r.value),
        };
    }
    Ok((insurers, sparten))
}

/// Sets the broker's name for a VU number or its line for a Sparte (`kind`: insurer, sparte).
/// A code is three digits (a Sparte) or up to five (a VU number).
pub async fn set_mapping(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    kind: &str,
    code: &str,
    value: &str,
) -> Result<()> {
    use crate::error::{FormErrors, Problem};
    let mut errors = FormErrors::default();
    let code = code.trim();
    let digits = code.bytes().all(|b| b.is_ascii_digit());
    match kind {
        "sparte" if code.len() == 3 && digits => {}
        "insurer" if (1..=5).contains(&code.len()) && digits => {}
        "sparte" | "insurer" => errors.push("code", Problem::InvalidChoice),
        _ => errors.push("kind", Problem::InvalidChoice),
    }
    let value = errors.required("value", value, 120);
    errors.finish(Some(()))?;
    sqlx::query(
        "INSERT INTO import_mappings (broker_id, kind, code, value) VALUES ($1, $2, $3, $4)
         ON CONFLICT (broker_id, kind, code) DO UPDATE SET value = excluded.value",
    )
    .bind(broker_id)
    .bind(kind)
    .bind(code)
    .bind(value)
    .execute(conn)
    .await?;
    Ok(())
}

/// The broker's customers, contracts, catalogue and mappings, as a plan needs them.
async fn known(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    sparten: HashMap<String, String>,
) -> Result<Known> {
    #[derive(sqlx::FromRow)]
    struct NumberRow {
        customer_id: CustomerId,
        issuer: String,
        number: String,
    }
    let customers = crate::customers::ssr::all(conn, broker_id)
        .await?
        .into_iter()
        .map(|c| KnownCustomer {
            id: c.id,
            external_id: c.external_id.clone(),
            input: c.input(),
            locked: c.locked_at.is_some(),
        })
        .collect();
    let numbers: Vec<NumberRow> =
        sqlx::query_as("SELECT customer_id, issuer, number FROM customer_numbers WHERE broker_id = $1")
            .bind(broker_id)
            .fetch_all(&mut *conn)
            .await?;
    let contracts = crate::contracts::ssr::all(conn, broker_id)
        .await?
        .into_iter()
        .map(|c| KnownContract {
            id: c.id,
            customer_id: c.customer_id,
            insurer: c.insurer,
            policy_number: c.policy_number,
            status: Status::parse(&c.status).unwrap_or(Status::Active),
            premium_cents: c.premium_cents,
            currency: c.currency,
            interval: Interval::parse(&c.payment_interval).unwrap_or(Interval::Yearly),
            start_date: c.start_date,
            end_date: c.end_date,
            insured: c.insured,
        })
        .collect();
    Ok(Known {
        customers,
        numbers: numbers.into_iter().map(|n| ((n.issuer, n.number), n.customer_id)).collect(),
        contracts,
        lines: crate::catalogue::ssr::lines(conn, broker_id).await?,
        sparten,
    })
}

/// Reads a file and plans it against the broker's data: nothing is written.
pub async fn prepare(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    format: Format,
    encoding: gdv::Encoding,
    bytes: &[u8],
) -> Result<Plan> {
    let (insurers, sparten) = mappings(conn, broker_id).await?;
    let records = match format {
        Format::Gdv => from_gdv::read(bytes, encoding, &insurers),
        Format::Csv => records::csv_file(bytes),
    };
    let known = known(conn, broker_id, sparten).await?;
    let mut plan = plan(&records, &known, &today());
    plan.report.format = Some(format);
    Ok(plan)
}

/// Keeps a previewed file with its report (the file itself only with `keep_file`, for `run`
/// to import it later).
#[allow(clippy::too_many_arguments)]
pub async fn store(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    actor: Actor,
    format: Format,
    encoding: gdv::Encoding,
    file_name: &str,
    bytes: &[u8],
    keep_file: bool,
    report: &mut Report,
) -> Result<ImportId> {
    use sha2::Digest as _;
    file_name.clone_into(&mut report.file_name);
    "previewed".clone_into(&mut report.state);
    let id: ImportId = sqlx::query_scalar(
        "INSERT INTO imports (broker_id, format, file_name, sha256, encoding, content, state, report, created_by,
             created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'previewed', $7, $8, $9) RETURNING id",
    )
    .bind(broker_id)
    .bind(format.as_str())
    .bind(file_name)
    .bind(hex::encode(sha2::Sha256::digest(bytes)))
    .bind(encoding_name(encoding))
    .bind(keep_file.then_some(bytes))
    .bind(serde_json::to_string(&*report).map_err(AppError::internal)?)
    .bind(Source::By(actor).column())
    .bind(now())
    .fetch_one(conn)
    .await?;
    report.id = Some(id);
    Ok(id)
}

fn encoding_name(encoding: gdv::Encoding) -> &'static str {
    match encoding {
        gdv::Encoding::Latin1 => "latin1",
        gdv::Encoding::Latin9 => "latin9",
        gdv::Encoding::Cp850 => "cp850",
    }
}

#[derive(sqlx::FromRow)]
struct ImportRow {
    id: ImportId,
    format: String,
    file_name: String,
    encoding: String,
    state: String,
    report: String,
    created_at: i64,
}

impl ImportRow {
    fn report(&self) -> Report {
        let mut report: Report = serde_json::from_str(&self.report).unwrap_or_default();
        report.id = Some(self.id);
        report.format = Format::parse(&self.format);
        report.file_name.clone_from(&self.file_name);
        report.state.clone_from(&self.state);
        report
    }
}

const ROW_COLUMNS: &str = "id, format, file_name, encoding, state, report, created_at";

async fn find(conn: &mut AnyConnection, broker_id: BrokerId, id: ImportId) -> Result<ImportRow> {
    sqlx::query_as(&format!("SELECT {ROW_COLUMNS} FROM imports WHERE id = $1 AND broker_id = $2"))
        .bind(id)
        .bind(broker_id)
        .fetch_optional(conn)
        .await?
        .ok_or(AppError::NotFound)
}

/// Imports a stored file: reads and plans it again (the broker's data may have changed since
/// the preview), writes all of it in one transaction, and keeps the report. A file that
/// cannot be read, or a failure half-way, writes nothing.
pub async fn run(db: &Db, broker_id: BrokerId, actor: Actor, id: ImportId) -> Result<Report> {
    let result = run_inner(db, broker_id, actor, id).await;
    set_progress(id, None);
    if result.as_ref().map_or(true, |r| r.state == "failed") {
        sqlx::query("UPDATE imports SET state = 'failed' WHERE id = $1 AND broker_id = $2")
            .bind(id)
            .bind(broker_id)
            .execute(&db.pool)
            .await?;
    }
    result
}

async fn run_inner(db: &Db, broker_id: BrokerId, actor: Actor, id: ImportId) -> Result<Report> {
    let mut tx = db.begin().await?;
    let row = find(&mut tx, broker_id, id).await?;
    let content: Option<Vec<u8>> =
        sqlx::query_scalar("SELECT content FROM imports WHERE id = $1 AND broker_id = $2")
            .bind(id)
            .bind(broker_id)
            .fetch_one(&mut *tx)
            .await?;
    let (Some(content), Some(format)) = (content, Format::parse(&row.format)) else {
        return Err(AppError::NotFound);
    };
    let encoding = row.encoding.parse().unwrap_or_default();
    let plan = prepare(&mut tx, broker_id, format, encoding, &content).await?;
    let mut report = plan.report.clone();
    report.file_name.clone_from(&row.file_name);
    report.id = Some(id);
    if !report.readable() {
        "failed".clone_into(&mut report.state);
        return Ok(report);
    }
    write(&mut tx, broker_id, actor, id, &plan, &mut report).await?;
    tx.commit().await?;
    Ok(report)
}

/// Writes a plan, with its trail entry, and keeps the report of import `id` as done.
async fn write(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    actor: Actor,
    id: ImportId,
    plan: &Plan,
    report: &mut Report,
) -> Result<()> {
    apply(conn, broker_id, id, plan).await?;
    record(conn, broker_id, actor, "import.applied", None, None).await?;
    "done".clone_into(&mut report.state);
    // What is kept names no one: counts and line numbers.
    let kept = Report {
        new_customers: Vec::new(),
        updated_customers: Vec::new(),
        new_contracts: Vec::new(),
        changed_contracts: Vec::new(),
        ended_contracts: Vec::new(),
        ..report.clone()
    };
    sqlx::query(
        "UPDATE imports SET state = 'done', content = NULL, report = $3, applied_at = $4
         WHERE id = $1 AND broker_id = $2",
    )
    .bind(id)
    .bind(broker_id)
    .bind(serde_json::to_string(&kept).map_err(AppError::internal)?)
    .bind(now())
    .execute(conn)
    .await?;
    Ok(())
}

/// Writes a plan: people first (new contracts need their customer's id), then contracts,
/// new records many to a statement.
async fn apply(conn: &mut AnyConnection, broker_id: BrokerId, id: ImportId, plan: &Plan) -> Result<()> {
    use crate::db::ROWS_PER_STATEMENT;
    let source = Source::Import(id);
    let total = u32::try_from(plan.writes()).unwrap_or(u32::MAX);
    let mut done = 0_u32;
    let mut advance = |rows: usize| {
        let before = done;
        done = done.saturating_add(u32::try_from(rows).unwrap_or(u32::MAX));
        if before / 200 != done / 200 || done == total {
            set_progress(id, Some(Progress { done, total }));
        }
    };
    set_progress(id, Some(Progress { done: 0, total }));
    let mut customer_of: Vec<Option<CustomerId>> = plan
        .people
        .iter()
        .map(|step| match step {
            PersonStep::Update(customer, _) | PersonStep::Keep(customer) => Some(*customer),
            PersonStep::Create(_) | PersonStep::Skip => None,
        })
        .collect();
    let created: Vec<(usize, &crate::customers::CustomerInput)> = plan
        .people
        .iter()
        .enumerate()
        .filter_map(|(i, step)| match step {
            PersonStep::Create(input) => Some((i, input)),
            _ => None,
        })
        .collect();
    for chunk in created.chunks(ROWS_PER_STATEMENT) {
        let people: Vec<_> =
            chunk.iter().map(|(i, input)| (plan.external_ids[*i].as_deref(), *input)).collect();
        let ids = crate::customers::ssr::create_imported(conn, broker_id, &people, source).await?;
        for ((i, _), id) in chunk.iter().zip(ids) {
            customer_of[*i] = Some(id);
        }
        advance(chunk.len());
    }
    for (i, step) in plan.people.iter().enumerate() {
        if let PersonStep::Update(customer, input) = step {
            let external = plan.external_ids[i].as_deref();
            crate::customers::ssr::update_imported(conn, broker_id, *customer, external, input, source)
                .await?;
            advance(1);
        }
    }
    let numbers: Vec<(CustomerId, &str, &str)> = plan
        .numbers
        .iter()
        .zip(&customer_of)
        .filter_map(|(number, customer)| {
            let (issuer, number) = number.as_ref()?;
            Some(((*customer)?, issuer.as_str(), number.as_str()))
        })
        .collect();
    for chunk in numbers.chunks(ROWS_PER_STATEMENT) {
        remember_numbers(conn, broker_id, chunk).await?;
    }
    let mut new_contracts = Vec::new();
    for (person, step) in &plan.policies {
        let Some(customer_id) = customer_of[*person] else { continue };
        match step {
            PolicyStep::Create(input) => {
                new_contracts.push(crate::contracts::ContractInput { customer_id, ..input.clone() });
            }
            PolicyStep::Update(contract, input) => {
                crate::contracts::ssr::update_imported(conn, broker_id, *contract, input, source).await?;
                advance(1);
            }
            PolicyStep::Keep | PolicyStep::Skip => {}
        }
    }
    for chunk in new_contracts.chunks(ROWS_PER_STATEMENT) {
        crate::contracts::ssr::create_imported(conn, broker_id, chunk, source).await?;
        advance(chunk.len());
    }
    Ok(())
}

/// Remembers insurers' customer numbers of the broker's customers (a number known already
/// stays with its customer).
async fn remember_numbers(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    numbers: &[(CustomerId, &str, &str)],
) -> Result<()> {
    use sqlx::Arguments as _;
    if numbers.is_empty() {
        return Ok(());
    }
    let mut args = sqlx::any::AnyArguments::default();
    for (customer, issuer, number) in numbers {
        let mut add = || -> std::result::Result<(), sqlx::error::BoxDynError> {
            args.add(broker_id)?;
            args.add(*customer)?;
            args.add(*issuer)?;
            args.add(*number)
        };
        add().map_err(sqlx::Error::Encode)?;
    }
    let values = crate::db::values_for_rows("($1, $2, $3, $4)", 4, numbers.len());
    sqlx::query_with(
        &format!(
            "INSERT INTO customer_numbers (broker_id, customer_id, issuer, number) VALUES {values}
             ON CONFLICT (broker_id, issuer, number) DO NOTHING"
        ),
        args,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Previews and (unless `dry_run`) imports a file at once, as planned, in one transaction:
/// the CLI and the REST API. The file itself is not kept.
#[allow(clippy::too_many_arguments)]
pub async fn import_now(
    db: &Db,
    broker_id: BrokerId,
    actor: Actor,
    format: Format,
    encoding: gdv::Encoding,
    file_name: &str,
    bytes: &[u8],
    dry_run: bool,
) -> Result<Report> {
    let mut tx = db.begin().await?;
    let plan = prepare(&mut tx, broker_id, format, encoding, bytes).await?;
    let mut report = plan.report.clone();
    file_name.clone_into(&mut report.file_name);
    if dry_run || !report.readable() {
        let state = if report.readable() { "previewed" } else { "failed" };
        state.clone_into(&mut report.state);
        return Ok(report);
    }
    let id = store(&mut tx, broker_id, actor, format, encoding, file_name, bytes, false, &mut report).await?;
    let written = write(&mut tx, broker_id, actor, id, &plan, &mut report).await;
    set_progress(id, None);
    written?;
    tx.commit().await?;
    Ok(report)
}

/// Names and dates of imported files, for origins in "Meine Daten".
pub async fn files(
    conn: &mut AnyConnection,
    broker_id: BrokerId,
    ids: &[ImportId],
) -> Result<HashMap<ImportId, (String, i64)>> {
    let mut files = HashMap::new();
    for id in ids {
        if files.contains_key(id) {
            continue;
        }
        if let Ok(row) = find(conn, broker_id, *id).await {
            files.insert(*id, (row.file_name, row.created_at));
        }
    }
    Ok(files)
}

/// Forgets files previewed and never imported after a day (they may hold anyone's data).
pub async fn forget_stale(conn: &mut AnyConnection, now: i64) -> Result<u64> {
    Ok(sqlx::query("UPDATE imports SET content = NULL WHERE state = 'previewed' AND content IS NOT NULL AND created_at < $1")
        .bind(now - 24 * 3600)
        .execute(conn)
        .await?
        .rows_affected())
}

// The office's server functions.

pub async fn recent() -> Result<Vec<ImportStatus>> {
    let (ctx, _) = require_staff()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    let rows: Vec<ImportRow> = sqlx::query_as(&format!(
        "SELECT {ROW_COLUMNS} FROM imports WHERE broker_id = $1 ORDER BY created_at DESC, id DESC LIMIT 20"
    ))
    .bind(ctx.broker.id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ImportStatus { report: r.report(), progress: progress_of(r.id), created_at: r.created_at })
        .collect())
}

/// An import of the broker with its progress while it runs here.
pub async fn status_of(conn: &mut AnyConnection, broker_id: BrokerId, id: ImportId) -> Result<ImportStatus> {
    let row = find(conn, broker_id, id).await?;
    Ok(ImportStatus { report: row.report(), progress: progress_of(id), created_at: row.created_at })
}

pub async fn status(id: ImportId) -> Result<ImportStatus> {
    let (ctx, _) = require_staff()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    status_of(&mut conn, ctx.broker.id, id).await
}

pub async fn confirm(id: ImportId) -> Result<()> {
    let (ctx, staff) = require_staff()?;
    let state = app_state()?;
    let broker_id = ctx.broker.id;
    let row = find(&mut *state.db.pool.acquire().await?, broker_id, id).await?;
    if !row.report().readable() {
        sqlx::query("UPDATE imports SET state = 'failed', content = NULL WHERE id = $1 AND broker_id = $2")
            .bind(id)
            .bind(broker_id)
            .execute(&state.db.pool)
            .await?;
        return Err(AppError::field("file", crate::error::Problem::FileInvalid));
    }
    // Claimed by one statement: a second click (or a second server) finds it running.
    let claimed = sqlx::query(
        "UPDATE imports SET state = 'running' WHERE id = $1 AND broker_id = $2 AND state = 'previewed'",
    )
    .bind(id)
    .bind(broker_id)
    .execute(&state.db.pool)
    .await?
    .rows_affected();
    if claimed == 0 {
        return Ok(());
    }
    set_progress(id, Some(Progress::default()));
    let actor = Actor::Staff(staff.id);
    tokio::spawn(async move {
        if let Err(error) = run(&state.db, broker_id, actor, id).await {
            tracing::error!(%error, import = id.0, "import failed");
        }
    });
    Ok(())
}

pub async fn list_mappings() -> Result<Vec<super::Mapping>> {
    let (ctx, _) = require_staff()?;
    let mut conn = app_state()?.db.pool.acquire().await?;
    let (insurers, sparten) = mappings(&mut conn, ctx.broker.id).await?;
    let mut list: Vec<super::Mapping> = sparten
        .into_iter()
        .map(|(code, value)| super::Mapping { kind: "sparte".to_owned(), code, value })
        .chain(insurers.into_iter().map(|(code, value)| super::Mapping {
            kind: "insurer".to_owned(),
            code,
            value,
        }))
        .collect();
    list.sort_by(|a, b| (&b.kind, &a.code).cmp(&(&a.kind, &b.code)));
    Ok(list)
}

pub async fn save_mapping(kind: &str, code: &str, value: &str) -> Result<()> {
    let (ctx, staff) = require_staff()?;
    let state = app_state()?;
    let mut tx = state.db.begin().await?;
    set_mapping(&mut tx, ctx.broker.id, kind, code, value).await?;
    record(&mut tx, ctx.broker.id, Actor::Staff(staff.id), "import.mapping_changed", None, ctx.ip).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn invite_new(id: ImportId) -> Result<u32> {
    let (ctx, staff) = require_staff()?;
    let state = app_state()?;
    let mut conn = state.db.pool.acquire().await?;
    find(&mut conn, ctx.broker.id, id).await?;
    let origin = Source::Import(id).column();
    let customers = crate::customers::ssr::uninvited_from(&mut conn, ctx.broker.id, &origin).await?;
    drop(conn);
    let mut invited = 0;
    for customer in &customers {
        if crate::customers::ssr::invite_holder(&state, &ctx, Actor::Staff(staff.id), customer).await? {
            invited += 1;
        }
    }
    Ok(invited)
}
