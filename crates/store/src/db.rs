//! Connecting, pools and write transactions.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

use crate::error::{StoreError, StoreResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> StoreResult<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::UnsupportedUrl(redact_url(url)))
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// Hides a password in a database URL before it is shown or logged.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// The database. Reads go to `read`; writes to `write`, which on SQLite is a single
/// connection so that writers queue in the process instead of failing with "database is
/// locked", and every write transaction starts with `BEGIN IMMEDIATE`.
#[derive(Clone)]
pub struct Store {
    read: AnyPool,
    write: AnyPool,
    backend: Backend,
}

/// Per-connection SQLite settings (pragmas are per connection, so they go in `after_connect`).
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA temp_store = MEMORY;";

impl Store {
    /// Opens (and for SQLite creates) the database at `url`. Does not migrate.
    pub async fn connect(url: &str) -> StoreResult<Store> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        match backend {
            Backend::Sqlite => {
                let url = sqlite_url_with_create(url)?;
                let opts = AnyConnectOptions::from_str(&url)?;
                let read = AnyPoolOptions::new()
                    .max_connections(8)
                    .after_connect(|conn, _| Box::pin(async move { conn.execute(SQLITE_PRAGMAS).await.map(|_| ()) }))
                    .connect_with(opts.clone())
                    .await?;
                let write = AnyPoolOptions::new()
                    .max_connections(1)
                    .acquire_timeout(Duration::from_secs(30))
                    .after_connect(|conn, _| Box::pin(async move { conn.execute(SQLITE_PRAGMAS).await.map(|_| ()) }))
                    .connect_with(opts)
                    .await?;
                Ok(Store { read, write, backend })
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect(url)
                    .await?;
                Ok(Store { read: pool.clone(), write: pool, backend })
            }
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Pool for reads outside a transaction.
    pub fn reader(&self) -> &AnyPool {
        &self.read
    }

    /// Starts a write transaction. Commit with [`Tx::commit`]; dropping it rolls back.
    pub async fn begin(&self) -> StoreResult<Tx> {
        let inner = match self.backend {
            Backend::Sqlite => self.write.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.write.begin().await?,
        };
        Ok(Tx { inner, backend: self.backend })
    }

    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }
}

/// A write transaction.
pub struct Tx {
    pub(crate) inner: sqlx::Transaction<'static, sqlx::Any>,
    pub(crate) backend: Backend,
}

impl Tx {
    pub async fn commit(self) -> StoreResult<()> {
        self.inner.commit().await.map_err(StoreError::Db)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn conn(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.inner
    }
}

/// Makes sure the folder of a SQLite file exists and asks sqlx to create the file.
fn sqlite_url_with_create(url: &str) -> StoreResult<String> {
    let rest = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (rest, None),
    };
    if path.is_empty() || path == ":memory:" {
        return Err(StoreError::UnsupportedUrl(
            "in-memory SQLite is not supported: the app uses several connections".into(),
        ));
    }
    if let Some(dir) = Path::new(path).parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let query = match query {
        Some(q) if q.contains("mode=") => q.to_string(),
        Some(q) => format!("{q}&mode=rwc"),
        None => "mode=rwc".to_string(),
    };
    Ok(format!("sqlite://{path}?{query}"))
}

impl Store {
    /// Refreshes the planner's statistics after a bulk load (PostgreSQL plans joins from them;
    /// with none it can pick nested scans over a large table). A no-op on SQLite.
    pub async fn analyze(&self) -> crate::error::StoreResult<()> {
        if self.backend == Backend::Postgres {
            sqlx::raw_sql(
                "ANALYZE attendance, program_sessions, programs, members, first_participation, monthly_stats",
            )
            .execute(&self.write)
            .await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_password() {
        assert_eq!(redact_url("postgres://u:secret@h:5432/db"), "postgres://u:***@h:5432/db");
        assert_eq!(redact_url("postgres://h/db"), "postgres://h/db");
    }

    #[test]
    fn backend_from_url() {
        assert_eq!(Backend::from_url("sqlite://x.db").ok(), Some(Backend::Sqlite));
        assert_eq!(Backend::from_url("postgresql://h/db").ok(), Some(Backend::Postgres));
        assert!(Backend::from_url("mysql://h/db").is_err());
    }
}
