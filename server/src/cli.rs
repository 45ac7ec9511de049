//! Command line: flags first, then `FOLIO_…` environment variables, then defaults.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::{Args, Parser, Subcommand, ValueEnum};

use app::audit::ssr::Actor;
use app::audit::Break;
use app::auth::Role;
use app::brand;
use app::db::Db;
use app::email::Email;
use app::mail::Mailer;
use app::state::{AppState, Config};
use app::tenancy;

#[derive(Parser, Debug)]
#[command(name = "folio", version, about = "The digital customer folder for insurance brokers")]
pub struct Cli {
    /// Folder for the SQLite database and all stored files.
    #[arg(long, env = "FOLIO_DATA_DIR", default_value = "./data", global = true)]
    data_dir: PathBuf,
    /// Database URL (`sqlite:…` or `postgres://…`); default: SQLite in the data folder.
    #[arg(long, env = "FOLIO_DATABASE_URL", global = true)]
    database_url: Option<String>,
    /// Brokers without a custom domain answer at `<slug>.<base domain>`.
    #[arg(long, env = "FOLIO_BASE_DOMAIN", default_value = "localhost", global = true)]
    base_domain: String,
    /// SMTP server, e.g. `smtp://user:pass@mail.example.com:587?tls=required`.
    /// Without it mails are written to `<data-dir>/outbox/`.
    #[arg(long, env = "FOLIO_SMTP_URL", global = true, hide_env_values = true)]
    smtp_url: Option<String>,
    /// Sender address of all mails (the display name is the broker's).
    #[arg(long, env = "FOLIO_MAIL_FROM", default_value = "no-reply@localhost", global = true)]
    mail_from: String,
    /// Port used in links for `localhost` hosts.
    #[arg(long, env = "FOLIO_PUBLIC_PORT", default_value_t = 3000, global = true)]
    public_port: u16,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve Folio over HTTP.
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate,
    /// Run every periodic job once and exit: delete client addresses older than 7 days,
    /// end expired sessions, remove old links and unsent attachments, send due notices.
    /// `serve` runs them by itself: notices every few seconds, the rest every hour.
    Housekeeping(HousekeepingArgs),
    /// Create or refresh the demo broker with its demo accounts.
    Demo,
    /// Manage brokers (tenants).
    Broker {
        #[command(subcommand)]
        command: BrokerCommand,
    },
    /// Manage a broker's staff.
    Staff {
        #[command(subcommand)]
        command: StaffCommand,
    },
    /// Manage API keys for broker systems.
    Apikey {
        #[command(subcommand)]
        command: ApikeyCommand,
    },
    /// Check the audit trail's hash chain.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Import a portfolio file: a GDV-Datensatz from an insurer or a CSV with the documented
    /// columns. Prints the report; `--dry-run` only shows what would change.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Strip an image's metadata exactly as uploads are stripped (JPEG, PNG, WebP). On
    /// error OUT is not written.
    Sanitize { input: PathBuf, output: PathBuf },
}

/// How long a session lasts: `serve` signs out by it, `housekeeping` ends sessions by it.
#[derive(Args, Debug)]
struct SessionArgs {
    /// Sign out after this many seconds without activity.
    #[arg(long, env = "FOLIO_SESSION_IDLE_SECS", default_value_t = 30 * 60)]
    session_idle_secs: i64,
    /// Sign out this many seconds after signing in, whatever the activity.
    #[arg(long, env = "FOLIO_SESSION_ABSOLUTE_SECS", default_value_t = 12 * 3600)]
    session_absolute_secs: i64,
}

#[derive(Args, Debug)]
struct HousekeepingArgs {
    #[command(flatten)]
    sessions: SessionArgs,
    /// Run as of this time (Unix seconds) instead of now.
    #[arg(long)]
    now: Option<i64>,
}

#[derive(Args, Debug)]
struct ServeArgs {
    #[arg(long, env = "FOLIO_ADDR", default_value = "127.0.0.1:3000")]
    addr: SocketAddr,
    #[command(flatten)]
    sessions: SessionArgs,
    /// A reverse proxy in front (e.g. 127.0.0.1 for Caddy on the same host) whose
    /// X-Forwarded-For names the client; may be repeated, or comma-separated in the variable.
    #[arg(long = "trusted-proxy", env = "FOLIO_TRUSTED_PROXIES", value_delimiter = ',')]
    trusted_proxies: Vec<std::net::IpAddr>,
    /// Mailbox notices: at most one mail per recipient within this many seconds.
    #[arg(long, env = "FOLIO_NOTICE_WINDOW_SECS", default_value_t = 15 * 60)]
    notice_window_secs: i64,
    /// How often waiting mailbox notices are looked for, in seconds.
    #[arg(long, env = "FOLIO_NOTICE_TICK_SECS", default_value_t = 20)]
    notice_tick_secs: u64,
}

#[derive(Subcommand, Debug)]
enum BrokerCommand {
    /// Add a broker (or change an existing one), with its brand and custom domains.
    Add {
        #[arg(long)]
        slug: String,
        #[command(flatten)]
        brand: BrandFlags,
    },
    /// Change a broker's name, colours, logo or domains (what its settings page does).
    Set {
        slug: String,
        #[command(flatten)]
        brand: BrandFlags,
    },
}

/// What `broker add` and `broker set` change; what is not given stays as it is.
#[derive(Args, Debug)]
struct BrandFlags {
    /// The name customers see (required for a new broker).
    #[arg(long)]
    name: Option<String>,
    /// A custom domain; may be repeated.
    #[arg(long = "domain")]
    domains: Vec<String>,
    /// For header, buttons and links, e.g. '#0f766e'.
    #[arg(long)]
    primary_color: Option<String>,
    /// For highlights, e.g. '#f59e0b'.
    #[arg(long)]
    accent_color: Option<String>,
    /// A logo file: PNG, SVG, JPEG or WebP (stored as a clean PNG).
    #[arg(long)]
    logo: Option<PathBuf>,
    /// Who on the office's side must sign in with a second factor: optional, owners (a new
    /// broker's default) or staff (everybody).
    #[arg(long, value_parser = ["optional", "owners", "staff"])]
    second_factor: Option<String>,
    /// Whether customers must sign in with a second factor: optional (default) or required.
    #[arg(long, value_parser = ["optional", "required"])]
    customer_second_factor: Option<String>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum StaffRole {
    Owner,
    Employee,
}

#[derive(Subcommand, Debug)]
enum StaffCommand {
    /// Invite a staff member: they get a single-use link to choose their password.
    Invite {
        #[arg(long)]
        broker: String,
        #[arg(long)]
        email: String,
        #[arg(long, value_enum)]
        role: StaffRole,
        /// Display name; defaults to the part of the address before the @.
        #[arg(long)]
        name: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
enum ApikeyCommand {
    /// Create an API key; it is printed once, as the last line, and stored only hashed.
    Create {
        #[arg(long)]
        broker: String,
        /// A name to recognise it by, e.g. the system that uses it.
        #[arg(long, default_value = "")]
        name: String,
    },
    /// List a broker's keys (prefix, name, created, last used, revoked).
    List {
        #[arg(long)]
        broker: String,
    },
    /// Revoke a key at once, named by its prefix as `list` shows it (or the whole key).
    Revoke {
        #[arg(long)]
        broker: String,
        key: String,
    },
}

#[derive(Subcommand, Debug)]
enum ImportCommand {
    /// A GDV-Datensatz (VU-Vermittler, 256 characters per record).
    Gdv {
        file: PathBuf,
        #[command(flatten)]
        args: ImportArgs,
        /// The file's character set.
        #[arg(long, default_value = "latin1", value_parser = ["latin1", "latin9", "cp850"])]
        encoding: String,
    },
    /// A CSV file (`;` or `,`, UTF-8 or Windows-1252), columns as in the README.
    Csv {
        file: PathBuf,
        #[command(flatten)]
        args: ImportArgs,
    },
}

#[derive(Args, Debug)]
struct ImportArgs {
    #[arg(long)]
    broker: String,
    /// Show what the import would change, and write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand, Debug)]
enum AuditCommand {
    /// Check that no entry of the trail was changed, removed or inserted: every broker's, or
    /// one. Names the first broken entry and fails if there is one.
    Verify {
        #[arg(long)]
        broker: Option<String>,
    },
}

impl Cli {
    fn database_url(&self) -> anyhow::Result<String> {
        if let Some(url) = &self.database_url {
            return Ok(url.clone());
        }
        std::fs::create_dir_all(&self.data_dir)
            .with_context(|| format!("cannot create the data folder {}", self.data_dir.display()))?;
        Ok(format!("sqlite:{}?mode=rwc", self.data_dir.join("folio.db").display()))
    }

    async fn open(&self) -> anyhow::Result<Db> {
        let db = Db::connect(&self.database_url()?).await?;
        db.migrate().await?;
        Ok(db)
    }

    fn state(&self, db: Db, serve: Option<&ServeArgs>) -> anyhow::Result<AppState> {
        self.state_with(db, serve, serve.map(|s| &s.sessions))
    }

    fn state_with(
        &self,
        db: Db,
        serve: Option<&ServeArgs>,
        sessions: Option<&SessionArgs>,
    ) -> anyhow::Result<AppState> {
        let mut options = leptos::config::get_configuration(None)
            .context("cannot read the Leptos configuration")?
            .leptos_options;
        if options.output_name.is_empty() {
            options.output_name = "site".into();
        }
        let mut config = Config {
            base_domain: self.base_domain.to_ascii_lowercase(),
            local_port: self.public_port,
            mail_from: self.mail_from.clone(),
            data_dir: self.data_dir.clone(),
            ..Config::default()
        };
        if let Some(sessions) = sessions {
            config.session_idle_secs = sessions.session_idle_secs;
            config.session_absolute_secs = sessions.session_absolute_secs;
        }
        if let Some(serve) = serve {
            config.trusted_proxies.clone_from(&serve.trusted_proxies);
            config.notice_window_secs = serve.notice_window_secs.max(0);
            config.notice_tick_secs = serve.notice_tick_secs.max(1);
        }
        Ok(AppState {
            leptos_options: options,
            db,
            mailer: Mailer::new(self.smtp_url.as_deref(), self.data_dir.join("outbox"))?,
            config: Arc::new(config),
        })
    }
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match &cli.command {
        Command::Serve(args) => {
            let db = cli.open().await?;
            let state = cli.state(db, Some(args))?;
            crate::web::serve(state, args.addr).await
        }
        Command::Migrate => {
            cli.open().await?;
            println!("Database is up to date.");
            Ok(())
        }
        Command::Housekeeping(args) => {
            let state = cli.state_with(cli.open().await?, None, Some(&args.sessions))?;
            let report = app::housekeeping::run_once(&state, args.now.unwrap_or_else(app::db::now)).await;
            let notices = app::mailbox::notices::send_due(&state).await;
            println!(
                "Housekeeping done: {report}; mailbox notices sent: {}.",
                notices.as_ref().map_or_else(|_| "failed".to_owned(), usize::to_string)
            );
            anyhow::ensure!(!report.failed(), "a housekeeping job failed (see the log above)");
            notices.context("cannot send mailbox notices")?;
            Ok(())
        }
        Command::Demo => crate::demo::run(&cli.state(cli.open().await?, None)?).await,
        Command::Broker { command } => {
            let db = cli.open().await?;
            let (slug, flags, create) = match command {
                BrokerCommand::Add { slug, brand } => (slug, brand, true),
                BrokerCommand::Set { slug, brand } => (slug, brand, false),
            };
            let broker = set_broker(&db, slug, flags, create).await?;
            let host = tenancy::ssr::primary_host(&db, &broker, &cli.base_domain).await?;
            println!(
                "Broker {} ({}) is served at {}",
                broker.name,
                broker.slug,
                tenancy::base_url(&host, cli.public_port)
            );
            Ok(())
        }
        Command::Staff { command: StaffCommand::Invite { broker, email, role, name } } => {
            let state = cli.state(cli.open().await?, None)?;
            invite_staff(&state, broker, email, *role, name.as_deref()).await
        }
        Command::Apikey { command } => api_key_command(&cli.open().await?, command).await,
        Command::Audit { command: AuditCommand::Verify { broker } } => {
            verify_trails(&cli.open().await?, broker.as_deref()).await
        }
        Command::Import { command } => import_file(&cli.open().await?, command).await,
        Command::Sanitize { input, output } => {
            let clean = sanitizer::sanitize_file(input, output, &sanitizer::Limits::default())?;
            println!(
                "{}: {} × {} px, {}",
                output.display(),
                clean.width,
                clean.height,
                clean.media_type.mime()
            );
            Ok(())
        }
    }
}

/// `folio import gdv|csv FILE`: the report on stdout; a file that cannot be read fails with
/// its lines and fields on stderr.
async fn import_file(db: &Db, command: &ImportCommand) -> anyhow::Result<()> {
    use app::imports::Format;
    let (format, file, args, encoding) = match command {
        ImportCommand::Gdv { file, args, encoding } => {
            (Format::Gdv, file, args, encoding.parse().unwrap_or_default())
        }
        ImportCommand::Csv { file, args } => (Format::Csv, file, args, gdv::Encoding::default()),
    };
    let broker = find_broker(db, &args.broker).await?;
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let name = file.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let report = app::imports::ssr::import_now(
        db,
        broker.id,
        Actor::System,
        format,
        encoding,
        &name,
        &bytes,
        args.dry_run,
    )
    .await
    .map_err(explain)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", app::imports::texts::report_text(&report, app::i18n::Locale::En));
    }
    for e in &report.errors {
        eprintln!("{}: line {}, column {} ({}): {}", file.display(), e.line, e.column, e.field, e.detail);
    }
    anyhow::ensure!(report.readable(), "{} cannot be read; nothing was imported", file.display());
    Ok(())
}

/// `folio audit verify`: one line per broker, and an error if any chain is broken.
async fn verify_trails(db: &Db, slug: Option<&str>) -> anyhow::Result<()> {
    let brokers = match slug {
        Some(slug) => vec![find_broker(db, slug).await?],
        None => tenancy::ssr::all(db).await?,
    };
    let mut broken = 0;
    for broker in brokers {
        let check = app::audit::ssr::verify(db, broker.id, app::db::now()).await?;
        match check.broken {
            None => println!("{}: audit trail whole, {} entries", broker.slug, check.count),
            Some(b) => {
                broken += 1;
                let what = match b.reason {
                    Break::Changed => format!("entry {} was changed", b.at),
                    Break::Missing => {
                        format!("entry {} does not follow the one before it (removed or replaced)", b.at)
                    }
                    Break::Unchained => {
                        format!("the entry with row id {} was written outside the chain", b.at)
                    }
                    Break::Truncated => format!("the entries after entry {} were removed", b.at),
                };
                println!(
                    "{}: audit trail BROKEN: {what} ({} entries whole before it)",
                    broker.slug, check.count
                );
            }
        }
    }
    anyhow::ensure!(broken == 0, "{broken} audit trail(s) broken");
    Ok(())
}

/// Creates or changes a broker from the command line, checked as the settings page checks.
async fn set_broker(
    db: &Db,
    slug: &str,
    flags: &BrandFlags,
    create: bool,
) -> anyhow::Result<tenancy::Broker> {
    let existing = if create { None } else { Some(find_broker(db, slug).await?) };
    let name =
        flags.name.clone().or(existing.map(|b| b.name)).context("--name is required for a new broker")?;
    let broker = tenancy::ssr::upsert(db, slug, &name, &flags.domains).await?;
    if flags.primary_color.is_some() || flags.accent_color.is_some() {
        let mut form = brand::ssr::form_of(db, broker.id).await.map_err(explain)?;
        form.primary_color = flags.primary_color.clone().unwrap_or(form.primary_color);
        form.accent_color = flags.accent_color.clone().unwrap_or(form.accent_color);
        let checked = form.validate().map_err(explain)?;
        brand::ssr::store(db, broker.id, &checked, Actor::System, None).await.map_err(explain)?;
    }
    if let Some(path) = &flags.logo {
        let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let png = brand::icons::logo_from_upload(&bytes)
            .map_err(|problem| explain(app::error::AppError::field("logo", problem)))
            .with_context(|| format!("logo {}", path.display()))?;
        brand::ssr::set_logo(db, broker.id, Some(png), Actor::System, None).await.map_err(explain)?;
    }
    if flags.second_factor.is_some() || flags.customer_second_factor.is_some() {
        let mut tx = db.begin().await?;
        let mut policy = tenancy::ssr::second_factor_policy(&mut tx, broker.id).await?;
        if let Some(rule) = flags.second_factor.as_deref().and_then(app::second_factor::StaffRule::parse) {
            policy.staff = rule;
        }
        if let Some(rule) =
            flags.customer_second_factor.as_deref().and_then(app::second_factor::CustomerRule::parse)
        {
            policy.customers = rule;
        }
        tenancy::ssr::set_second_factor_policy(&mut tx, broker.id, policy).await?;
        tx.commit().await?;
    }
    find_broker(db, slug).await
}

/// An error of the application as an operator reads it: each field with its problem.
fn explain(error: app::error::AppError) -> anyhow::Error {
    let locale = app::i18n::Locale::En;
    match &error {
        app::error::AppError::Invalid(fields) => anyhow::anyhow!(
            "{}",
            fields
                .iter()
                .map(|f| format!("{}: {}", f.field, error.for_field(&f.field, locale).unwrap_or_default()))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        _ => anyhow::anyhow!("{}", error.summary(locale)),
    }
}

async fn find_broker(db: &Db, slug: &str) -> anyhow::Result<tenancy::Broker> {
    tenancy::ssr::find_by_slug(db, slug).await?.with_context(|| format!("no broker with slug {slug:?}"))
}

async fn invite_staff(
    state: &AppState,
    slug: &str,
    email: &str,
    role: StaffRole,
    name: Option<&str>,
) -> anyhow::Result<()> {
    let broker = find_broker(&state.db, slug).await?;
    let email = Email::parse(email).map_err(|p| anyhow::anyhow!("invalid e-mail address ({p:?})"))?;
    let name =
        name.map_or_else(|| email.as_str().split('@').next().unwrap_or_default().to_owned(), str::to_owned);
    let role = match role {
        StaffRole::Owner => Role::Owner,
        StaffRole::Employee => Role::Employee,
    };
    let host = tenancy::ssr::primary_host(&state.db, &broker, &state.config.base_domain).await?;
    let base_url = tenancy::base_url(&host, state.config.local_port);
    let mut tx = state.db.begin().await?;
    let person = app::auth::accounts::NewUser { display_name: &name, email: &email, role, customer_id: None };
    let (_, link) = app::auth::ssr::invite_user(&mut tx, &broker, Actor::System, None, &base_url, person)
        .await
        .map_err(|e| explain(e).context(format!("cannot invite {email}")))?;
    tx.commit().await?;
    app::auth::ssr::send_link_mail(state, &broker, &link).await.map_err(explain)?;
    println!("Invitation for {email} sent ({:?}).", state.mailer);
    Ok(())
}

async fn api_key_command(db: &Db, command: &ApikeyCommand) -> anyhow::Result<()> {
    use app::api_keys::ssr as keys;
    match command {
        ApikeyCommand::Create { broker, name } => {
            let broker = find_broker(db, broker).await?;
            let mut tx = db.begin().await?;
            let name = name.trim();
            let key = keys::create(&mut tx, broker.id, name, Actor::System, None).await.map_err(explain)?;
            tx.commit().await?;
            println!("API key for {} (shown only now; store it in the broker system):", broker.slug);
            println!("{key}");
        }
        ApikeyCommand::List { broker } => {
            let broker = find_broker(db, broker).await?;
            let mut conn = db.pool.acquire().await?;
            let rows = keys::list(&mut conn, broker.id).await.map_err(explain)?;
            if rows.is_empty() {
                println!("{} has no API keys.", broker.slug);
            }
            let when = |at: Option<i64>, none: &str| {
                at.map_or_else(|| none.to_owned(), |at| app::i18n::fmt_datetime(at, app::i18n::Locale::En))
            };
            for k in rows {
                println!(
                    "fk_{}  {:<24}  created {}  last used {}  {}",
                    k.prefix,
                    if k.name.is_empty() { "(no name)" } else { &k.name },
                    when(Some(k.created_at), ""),
                    when(k.last_used_at, "never"),
                    k.revoked_at
                        .map_or_else(|| "live".to_owned(), |at| format!("revoked {}", when(Some(at), ""))),
                );
            }
        }
        ApikeyCommand::Revoke { broker, key } => {
            let broker = find_broker(db, broker).await?;
            let prefix = keys::prefix_of(key);
            let mut tx = db.begin().await?;
            let id = keys::find_live(&mut tx, broker.id, prefix)
                .await
                .map_err(|_| anyhow::anyhow!("{} has no live API key fk_{prefix}", broker.slug))?;
            keys::revoke(&mut tx, broker.id, id, Actor::System, None).await.map_err(explain)?;
            tx.commit().await?;
            println!("API key fk_{prefix} of {} is revoked.", broker.slug);
        }
    }
    Ok(())
}
