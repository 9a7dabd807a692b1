//! The `gajok` binary: one program for the server and every administrative task.

mod backup;
mod eligibility;

mod load;
mod ops;
mod privacy;

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use gajok_app::privacy::crypto::Keyring;
use gajok_app::{App, AppConfig, AppError};
use gajok_store::{Store, migrate};
use gajok_web::{AppState, ServeConfig};

/// Default database: an SQLite file next to where gajok is started.
const DEFAULT_DB: &str = "sqlite://./gajok-data/gajok.db";

#[derive(Parser)]
#[command(name = "gajok", version, about = "gajok (가족): information system for Korean family support centers")]
struct Cli {
    /// Database URL: sqlite://PATH (default) or postgres://USER@HOST/DB
    #[arg(long, global = true, env = "GAJOK_DATABASE_URL", default_value = DEFAULT_DB)]
    database_url: String,

    /// Key file for encrypting kept unique identifiers (lines `hmac <base64>` and
    /// `aes <id> <base64>`, the last aes key encrypts); or put the same text in GAJOK_KEYS
    #[arg(long, global = true, env = "GAJOK_KEY_FILE")]
    key_file: Option<String>,

    /// Log lines as plain text (for a terminal) or one JSON object a line (for a log collector)
    #[arg(long, global = true, env = "GAJOK_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,

    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

/// Logs go to standard error, so the commands' own output on standard out stays clean.
fn init_logs(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("GAJOK_LOG").unwrap_or_else(|_| "info".into());
    let logs = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match format {
        LogFormat::Text => logs.with_target(false).init(),
        LogFormat::Json => logs.json().with_current_span(true).with_span_list(false).init(),
    }
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (creates and migrates the database first)
    Serve {
        /// Address to listen on
        #[arg(long, env = "GAJOK_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
        /// Load demo institutions and one account per role on first start, and print them
        #[arg(long)]
        demo: bool,
        /// Mark cookies Secure (set when a proxy serves gajok over HTTPS)
        #[arg(long, env = "GAJOK_SECURE_COOKIES")]
        secure_cookies: bool,
        /// Take the client address from X-Forwarded-For (only behind a trusted proxy)
        #[arg(long, env = "GAJOK_TRUST_PROXY")]
        trust_proxy: bool,
    },
    /// Create or upgrade the database schema
    Migrate,
    /// Load the demo data into the database and print the demo accounts
    Demo,
    /// Administrative tasks
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Create synthetic centers, members and a year of activity (presets: small, medium, national)
    Generate {
        #[arg(long, default_value = "small")]
        preset: String,
        /// Fiscal year of the generated activity
        #[arg(long, default_value_t = 2026)]
        year: i32,
        /// Override the preset's number of centers
        #[arg(long)]
        centers: Option<usize>,
    },
    /// Measure report, roll-up and search speed on the data in the database
    Bench {
        /// Month to report, YYYY-MM
        #[arg(long, default_value = "2026-06")]
        month: String,
        #[arg(long, default_value_t = 30)]
        runs: usize,
    },
    /// Load test a running gajok over loopback (scenarios: mixed, attendance, month-end)
    Load {
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        url: String,
        #[arg(long, default_value = "admin")]
        admin: String,
        #[arg(long, default_value = "gajok-demo-2026")]
        password: String,
        #[arg(long, default_value_t = 50)]
        users: usize,
        #[arg(long, default_value_t = 30)]
        seconds: u64,
        #[arg(long, default_value = "mixed")]
        scenario: String,
        #[arg(long, default_value = "2026-06")]
        month: String,
        /// Sample the server's resident memory (Linux /proc) during the run
        #[arg(long)]
        server_pid: Option<u32>,
        /// Pause of each virtual user between actions, in ms (0 = flat out)
        #[arg(long, default_value_t = 1000)]
        think_ms: u64,
    },
    /// Reports from the command line (same numbers as the pages)
    #[command(subcommand)]
    Report(ReportCommand),
    /// Audit and access-log tasks
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Evaluate eligibility and benefits from JSON (one request, or JSON Lines with --batch)
    Eligibility(eligibility::Args),
    // Privacy and data safety (PIPA): backup, restore.
    /// Consistent online copy of an SQLite database (PostgreSQL: prints the pg_dump command, exit 2)
    Backup {
        /// File to write; must not exist
        #[arg(long)]
        output: String,
    },
    /// Create the instance at --database-url from a backup (the target must be new or empty)
    Restore {
        /// Backup file written by `gajok backup`
        #[arg(long)]
        input: String,
    },
    /// Records past their retention period (rules/privacy/retention.json) and their destruction
    #[command(subcommand)]
    Retention(RetentionCommand),
    /// Keys for the encrypted unique identifiers: generate key lines, rotate to the newest key
    #[command(subcommand)]
    Keys(KeysCommand),
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Print a new random key line for the key file (`aes <ID> ...`, or `hmac ...` with --hmac)
    Generate {
        /// Id of the new encryption key (e.g. 2026-11)
        #[arg(long, required_unless_present = "hmac")]
        id: Option<String>,
        /// Generate the lookup (HMAC) key instead
        #[arg(long)]
        hmac: bool,
    },
    /// Re-encrypt every stored identifier with the newest (last) aes key in the key file
    Rotate,
}

#[derive(Subcommand)]
enum RetentionCommand {
    /// List (--dry-run) or act on (--apply) records past retention: anonymise members (their
    /// late-fee receipts to separate storage first), delete expired separated records and CCTV
    /// ledger lines
    Run {
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        apply: bool,
        /// The privacy officer who approved the destruction plan (required with --apply)
        #[arg(long)]
        approved_by: Option<String>,
        /// Plan ahead: what will have expired by this date (YYYY-MM-DD; --dry-run only)
        #[arg(long)]
        as_of: Option<String>,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create a system administrator at the ministry (must change the password at first sign-in)
    CreateAdmin {
        #[arg(long)]
        username: String,
        #[arg(long)]
        name: String,
        /// Initial password (or set GAJOK_ADMIN_PASSWORD)
        #[arg(long, env = "GAJOK_ADMIN_PASSWORD", hide_env_values = true)]
        password: String,
    },
}

#[derive(Subcommand)]
enum ReportCommand {
    /// A center's monthly performance report, or with --scope the roll-up of a 시·군·구/시·도
    Monthly {
        /// Center code (e.g. C-11215-01)
        #[arg(long)]
        center: Option<String>,
        /// 시·군·구 or 시·도 code for a roll-up (e.g. 11)
        #[arg(long)]
        scope: Option<String>,
        /// YYYY-MM
        #[arg(long)]
        month: String,
        /// json, csv or xlsx
        #[arg(long, default_value = "json")]
        format: String,
        /// Write to this file instead of standard output
        #[arg(long)]
        output: Option<String>,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Verify the access-log hash chain; exits 1 when it is broken
    Verify,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logs(cli.log_format);
    match run(cli).await {
        Ok(code) => code,
        Err(e) => {
            // Bad input names the field and exits 2; anything else is a failure (1).
            if let Some(AppError::Validation(errs)) = e.downcast_ref::<AppError>() {
                for f in &errs.0 {
                    eprintln!("error: {}: {}", f.field, f.code);
                }
                return ExitCode::from(2);
            }
            if let Some(AppError::Conflict { code, field }) = e.downcast_ref::<AppError>() {
                eprintln!("error: {field}: {code}");
                return ExitCode::from(2);
            }
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn open(url: &str) -> anyhow::Result<App> {
    open_keyed(url, None).await
}

/// The identifier keys from --key-file / GAJOK_KEY_FILE, else the text in GAJOK_KEYS; none
/// configured is allowed (the identifier field is then refused), a broken file is an error.
fn load_keys(key_file: Option<&str>) -> anyhow::Result<Option<Arc<Keyring>>> {
    let text = match key_file {
        Some(path) => std::fs::read_to_string(path).with_context(|| format!("reading key file {path}"))?,
        None => match std::env::var("GAJOK_KEYS") {
            Ok(t) if !t.trim().is_empty() => t,
            _ => return Ok(None),
        },
    };
    Ok(Some(Arc::new(Keyring::parse(&text).context("identifier keys")?)))
}

async fn open_keyed(url: &str, keys: Option<Arc<Keyring>>) -> anyhow::Result<App> {
    let store = Store::connect(url).await.with_context(|| format!("opening {}", gajok_store::db::redact_url(url)))?;
    let applied = migrate::run(&store).await.context("migrating the database")?;
    for v in applied {
        tracing::info!(migration = %v, "applied");
    }
    let app = App::new(store, AppConfig { keys, ..AppConfig::from_env().map_err(anyhow::Error::msg)? });
    app.ensure_reference_orgs().await?;
    Ok(app)
}

/// A year of activity in the two demo centers whose staff accounts exist.
async fn load_demo_activity(app: &App) -> anyhow::Result<()> {
    use chrono::Datelike;
    let year = gajok_domain::time::kst_date(chrono::Utc::now()).year();
    for (code, seed) in [("C-11215-01", 11215u64), ("C-11320-01", 11320)] {
        app.load_demo_activity(code, year, seed).await?;
        app.load_nanumteo_safety_demo(code, &format!("S-{}-1", &code[2..]), seed).await?;
    }
    app.load_demo_nanumteo(year).await?;
    app.load_demo_privacy("C-11215-01", "S-11215-01-1").await?;
    Ok(())
}

fn print_demo_accounts(accounts: &[gajok_app::seed::DemoAccount]) {
    println!("Demo accounts (password for all: {}):", gajok_app::seed::DEMO_PASSWORD);
    for a in accounts {
        println!(
            "  {:<10} {:<28} {}",
            a.username,
            format!(
                "{} ({})",
                gajok_domain::code_list::CodeList::label_en(a.role),
                gajok_domain::code_list::CodeList::code(a.role)
            ),
            a.org_name
        );
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        // Pure computation: no database is opened.
        Command::Eligibility(args) => eligibility::run(&args),
        Command::Serve { listen, demo, secure_cookies, trust_proxy } => {
            let mut keys = load_keys(cli.key_file.as_deref())?;
            if keys.is_none() && demo {
                // Demo data only: a key that dies with the process (never use for real records).
                println!("identifier encryption: ephemeral demo key (set GAJOK_KEY_FILE for real data)");
                keys = Some(Arc::new(Keyring::ephemeral()));
            }
            let app = open_keyed(&cli.database_url, keys).await?;
            if demo {
                let accounts = app.load_demo().await?;
                load_demo_activity(&app).await?;
                print_demo_accounts(&accounts);
            }
            let state = AppState::new(app, secure_cookies, trust_proxy).map_err(anyhow::Error::msg)?;
            let listener =
                tokio::net::TcpListener::bind(&listen).await.with_context(|| format!("listening on {listen}"))?;
            let addr = listener.local_addr()?;
            println!(
                "gajok is running at http://{addr}/  (database: {})",
                gajok_store::db::redact_url(&cli.database_url)
            );
            gajok_web::serve(state, ServeConfig::new(listener)).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate => {
            open(&cli.database_url).await?;
            println!("database is up to date");
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo => {
            let app = open(&cli.database_url).await?;
            let accounts = app.load_demo().await?;
            load_demo_activity(&app).await?;
            print_demo_accounts(&accounts);
            Ok(ExitCode::SUCCESS)
        }
        Command::Admin(AdminCommand::CreateAdmin { username, name, password }) => {
            let app = open(&cli.database_url).await?;
            app.create_admin(&username, &name, &password).await?;
            println!("administrator {username} created; the password must be changed at first sign-in");
            Ok(ExitCode::SUCCESS)
        }
        Command::Generate { preset, year, centers } => {
            let app = open(&cli.database_url).await?;
            ops::generate(&app, &preset, year, centers).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench { month, runs } => {
            let app = open(&cli.database_url).await?;
            ops::bench(&app, &month, runs).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Load { url, admin, password, users, seconds, scenario, month, server_pid, think_ms } => {
            load::run(load::LoadOptions {
                url,
                admin,
                password,
                users,
                seconds,
                scenario,
                month,
                server_pid,
                think_ms,
            })
            .await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Report(ReportCommand::Monthly { center, scope, month, format, output }) => {
            let app = open(&cli.database_url).await?;
            ops::report_monthly(&app, center.as_deref(), scope.as_deref(), &month, &format, output.as_deref()).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Backup { output } => backup::backup(&cli.database_url, &output).await,
        Command::Restore { input } => backup::restore(&cli.database_url, &input).await,
        Command::Retention(RetentionCommand::Run { dry_run, apply, approved_by, as_of }) => {
            let app = open(&cli.database_url).await?;
            privacy::retention_run(&app, dry_run, apply, approved_by.as_deref(), as_of.as_deref()).await
        }
        Command::Keys(KeysCommand::Generate { id, hmac }) => {
            println!("{}", Keyring::generate_line(if hmac { None } else { id.as_deref() }));
            Ok(ExitCode::SUCCESS)
        }
        Command::Keys(KeysCommand::Rotate) => {
            let Some(keys) = load_keys(cli.key_file.as_deref())? else {
                eprintln!("error: key_file: no keys configured (give --key-file or set GAJOK_KEY_FILE)");
                return Ok(ExitCode::from(2));
            };
            let current = keys.current_id().to_string();
            let app = open_keyed(&cli.database_url, Some(keys)).await?;
            let n = app.rotate_identifier_keys().await?;
            println!(
                "{n} identifiers re-encrypted with key {current}; older keys may now be removed from the key file"
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit(AuditCommand::Verify) => {
            let store = Store::connect(&cli.database_url).await?;
            migrate::run(&store).await?;
            let r = gajok_store::access_log::verify(&store).await?;
            match r.first_break {
                None => {
                    println!("access log intact: {} entries", r.entries);
                    Ok(ExitCode::SUCCESS)
                }
                Some(b) => {
                    println!("access log BROKEN at entry {} ({}) after {} good entries", b.seq, b.reason, r.entries);
                    Ok(ExitCode::FAILURE)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}
