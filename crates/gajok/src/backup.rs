//! `gajok backup` and `gajok restore`.
//!
//! SQLite: a consistent online copy (`VACUUM INTO`, safe while `gajok serve` runs), and a
//! restore that creates a new instance from it and refuses to touch one that has tables.
//! PostgreSQL: the standard tools do this better than we could (`pg_dump` takes a consistent
//! snapshot without stopping writers), so both commands print the exact commands and exit 2.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use gajok_store::db::{Backend, redact_url};
use gajok_store::{Store, access_log, backup, migrate};

/// Exit code for "refused, nothing done" (as for bad input).
const REFUSED: u8 = 2;

fn refuse(msg: &str) -> anyhow::Result<ExitCode> {
    eprintln!("error: {msg}");
    Ok(ExitCode::from(REFUSED))
}

/// The commands to use for a PostgreSQL instance, with the password hidden.
fn postgres_commands(url: &str, file: &str) -> String {
    let url = redact_url(url);
    format!(
        "PostgreSQL is backed up and restored with its own tools (consistent snapshot while gajok runs):\n\
         \n  backup:   pg_dump --format=custom --no-owner --no-privileges --file={file} '{url}'\n\
         \n  restore into a new, empty database:\n\
         \x20           createdb gajok_restored\n\
         \x20           pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
         --dbname='postgres://USER@HOST/gajok_restored' {file}\n\
         \x20           gajok --database-url 'postgres://USER@HOST/gajok_restored' migrate\n\
         \x20           gajok --database-url 'postgres://USER@HOST/gajok_restored' audit verify\n\
         \nKeep the dump file as protected as the database: it holds every person's data."
    )
}

pub async fn backup(url: &str, output: &str) -> anyhow::Result<ExitCode> {
    if Backend::from_url(url)? == Backend::Postgres {
        return refuse(&format!("gajok backup copies SQLite databases only.\n{}", postgres_commands(url, output)));
    }
    let out = Path::new(output);
    if out.exists() {
        return refuse(&format!("{output} exists; a backup never overwrites a file (choose a new name)"));
    }
    let store = Store::connect(url).await.with_context(|| format!("opening {}", redact_url(url)))?;
    backup::sqlite_backup(&store, out).await.with_context(|| format!("writing {output}"))?;
    let live = backup::inventory(&store).await?;
    store.close().await;

    // Read the copy back: a backup nobody has opened is not a backup.
    let file = backup::inspect_sqlite_file(out).await?;
    if file.integrity != "ok" {
        anyhow::bail!("the backup {output} fails SQLite's integrity check: {}", file.integrity);
    }
    let rows: i64 = live.values().sum();
    println!(
        "backup written: {output} ({} tables, schema {}); {} rows at the time of the copy",
        live.len(),
        file.migrations.last().map(String::as_str).unwrap_or("none"),
        rows
    );
    Ok(ExitCode::SUCCESS)
}

pub async fn restore(url: &str, input: &str) -> anyhow::Result<ExitCode> {
    if Backend::from_url(url)? == Backend::Postgres {
        return refuse(&format!(
            "gajok restore creates SQLite instances only.\n{}",
            postgres_commands(url, "gajok.dump")
        ));
    }
    let Some(target) = backup::sqlite_path(url) else {
        anyhow::bail!("not an SQLite URL: {}", redact_url(url));
    };
    let target = Path::new(target);
    let src = Path::new(input);
    if !src.is_file() {
        return refuse(&format!("{input} is not a file"));
    }
    if let Some(reason) = occupied(url, target).await? {
        return refuse(&format!("the target {} {reason}; restore only into a new, empty instance", target.display()));
    }

    let file = backup::inspect_sqlite_file(src).await.with_context(|| format!("{input} is not an SQLite database"))?;
    if file.integrity != "ok" {
        return refuse(&format!("{input} fails SQLite's integrity check: {}", file.integrity));
    }
    if file.migrations.is_empty() {
        return refuse(&format!("{input} is not a gajok database (no schema_migrations)"));
    }
    let known: Vec<&str> = migrate::known().collect();
    if let Some(v) = file.migrations.iter().find(|v| !known.contains(&v.as_str())) {
        return refuse(&format!("{input} was written by a newer gajok (migration {v}); use that version to restore"));
    }
    // An empty file left by an earlier attempt would make VACUUM INTO fail; it holds nothing.
    if target.exists() {
        std::fs::remove_file(target)?;
    }

    backup::sqlite_restore(src, target).await.with_context(|| format!("restoring into {}", target.display()))?;
    let store = Store::connect(url).await?;
    let upgraded = migrate::run(&store).await.context("bringing the restored schema up to date")?;
    let inv = backup::inventory(&store).await?;
    let chain = access_log::verify(&store).await?;
    store.close().await;
    println!(
        "restored {} tables, {} rows from {input}{}",
        inv.len(),
        inv.values().sum::<i64>(),
        if upgraded.is_empty() { String::new() } else { format!("; upgraded with {}", upgraded.join(", ")) }
    );
    match chain.first_break {
        None => {
            println!("access log intact: {} entries", chain.entries);
            Ok(ExitCode::SUCCESS)
        }
        Some(b) => {
            println!("access log BROKEN at entry {} ({}) in the restored copy", b.seq, b.reason);
            Ok(ExitCode::FAILURE)
        }
    }
}

/// Why the target cannot take a restore, or `None` when it is absent or holds no table.
async fn occupied(url: &str, target: &Path) -> anyhow::Result<Option<String>> {
    if !target.exists() {
        return Ok(None);
    }
    if std::fs::metadata(target)?.len() == 0 {
        return Ok(None);
    }
    let store = Store::connect(url).await?;
    let tables = backup::tables(&store).await?;
    store.close().await;
    Ok((!tables.is_empty()).then(|| format!("already holds {} tables", tables.len())))
}
