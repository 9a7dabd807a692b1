//! Backup and restore of an SQLite instance, and the table inventory a restore drill compares.
//!
//! A backup is `VACUUM INTO`: SQLite copies the database inside one read transaction, so the
//! copy is consistent while the server keeps writing (WAL readers do not block the writer), and
//! the copy is compacted and holds no WAL. PostgreSQL is backed up with `pg_dump`, which takes
//! the same kind of snapshot; this module does not try to replace it.

use std::collections::BTreeMap;
use std::path::Path;

use sqlx::{Connection, Row};

use crate::db::{Backend, Store};
use crate::error::{StoreError, StoreResult};

/// Rows per table, in table-name order (`schema_migrations` included: it is part of the data).
pub type Inventory = BTreeMap<String, i64>;

/// Names of the tables of the instance (not SQLite's own), sorted.
pub async fn tables(store: &Store) -> StoreResult<Vec<String>> {
    let sql = match store.backend() {
        Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        }
        Backend::Postgres => {
            "SELECT CAST(table_name AS TEXT) AS name FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
        }
    };
    let rows = sqlx::query(sql).fetch_all(store.reader()).await?;
    rows.iter().map(|r| r.try_get::<String, _>("name").map_err(StoreError::Db)).collect()
}

/// Row count of every table.
pub async fn inventory(store: &Store) -> StoreResult<Inventory> {
    let mut out = Inventory::new();
    for t in tables(store).await? {
        // Table names come from the catalogue, not from input; quoted all the same.
        let sql = format!("SELECT COUNT(*) AS n FROM \"{}\"", t.replace('"', "\"\""));
        let n: i64 = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_one(store.reader()).await?.try_get("n")?;
        out.insert(t, n);
    }
    Ok(out)
}

/// Writes a consistent copy of the SQLite database behind `store` to `output`, which must not
/// exist yet (SQLite refuses to overwrite a non-empty file, and so do we, earlier and clearer).
pub async fn sqlite_backup(store: &Store, output: &Path) -> StoreResult<()> {
    if store.backend() != Backend::Sqlite {
        return Err(StoreError::UnsupportedUrl("backup by copy is for SQLite; use pg_dump for PostgreSQL".into()));
    }
    let target = path_text(output)?;
    sqlx::query("VACUUM INTO $1").bind(target).execute(store.reader()).await?;
    restrict_permissions(output)?;
    Ok(())
}

/// What a backup file holds, read without changing it.
#[derive(Debug, Clone)]
pub struct BackupFile {
    /// `ok` when SQLite's integrity check passes; otherwise its first complaint.
    pub integrity: String,
    /// Migrations recorded in the file, in order.
    pub migrations: Vec<String>,
}

/// Opens `path` read-only and checks it is an intact gajok database.
pub async fn inspect_sqlite_file(path: &Path) -> StoreResult<BackupFile> {
    sqlx::any::install_default_drivers();
    let url = format!("sqlite://{}?mode=ro", path_text(path)?);
    let mut conn = sqlx::AnyConnection::connect(&url).await?;
    let integrity: String = sqlx::query("PRAGMA integrity_check").fetch_one(&mut conn).await?.try_get(0)?;
    let has_migrations: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
            .fetch_one(&mut conn)
            .await?
            .try_get("n")?;
    let migrations = if has_migrations == 1 {
        let rows = sqlx::query("SELECT version FROM schema_migrations ORDER BY version").fetch_all(&mut conn).await?;
        rows.iter().map(|r| r.try_get::<String, _>("version")).collect::<Result<_, _>>()?
    } else {
        Vec::new()
    };
    conn.close().await?;
    Ok(BackupFile { integrity, migrations })
}

/// Copies the backup at `input` into a new database file at `target` (which must not exist).
/// The copy goes through SQLite (`VACUUM INTO` from a read-only connection), never a byte copy
/// of a file that might have a WAL beside it.
pub async fn sqlite_restore(input: &Path, target: &Path) -> StoreResult<()> {
    sqlx::any::install_default_drivers();
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let url = format!("sqlite://{}?mode=ro", path_text(input)?);
    let mut conn = sqlx::AnyConnection::connect(&url).await?;
    sqlx::query("VACUUM INTO $1").bind(path_text(target)?).execute(&mut conn).await?;
    conn.close().await?;
    restrict_permissions(target)?;
    Ok(())
}

/// The file path in an `sqlite:` URL (without query), for commands that work on the file.
pub fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    Some(rest.split_once('?').map_or(rest, |(p, _)| p))
}

fn path_text(p: &Path) -> StoreResult<&str> {
    p.to_str().ok_or_else(|| StoreError::UnsupportedUrl(format!("path is not UTF-8: {}", p.display())))
}

/// A backup holds every person's data: readable by the owner only.
fn restrict_permissions(path: &Path) -> StoreResult<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn sqlite_path_from_url() {
        assert_eq!(super::sqlite_path("sqlite://./a/b.db?mode=rwc"), Some("./a/b.db"));
        assert_eq!(super::sqlite_path("sqlite:x.db"), Some("x.db"));
        assert_eq!(super::sqlite_path("postgres://h/db"), None);
    }
}
