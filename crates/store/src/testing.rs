//! Fresh, migrated databases for tests of every layer: SQLite always, PostgreSQL when
//! `GAJOK_TEST_POSTGRES_URL` is set (each test gets its own database there).

use std::sync::atomic::{AtomicU64, Ordering};

use crate::db::{Store, Tx};
use crate::error::{StoreError, StoreResult};
use crate::migrate;
use crate::nanumteo::library;
use crate::orgs;

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn unique_name(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("{prefix}_{}_{}_{}", std::process::id(), nanos % 1_000_000_000, COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// URL of a new empty SQLite file in the temp folder.
pub fn sqlite_url() -> String {
    let path = std::env::temp_dir().join("gajok-tests").join(format!("{}.db", unique_name("t")));
    format!("sqlite://{}", path.display())
}

/// URL of a new empty PostgreSQL database, or `None` when no server is configured.
pub async fn postgres_url() -> StoreResult<Option<String>> {
    let Ok(base) = std::env::var("GAJOK_TEST_POSTGRES_URL") else {
        return Ok(None);
    };
    if base.trim().is_empty() {
        return Ok(None);
    }
    sqlx::any::install_default_drivers();
    let name = unique_name("gajok_test");
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&base).await?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut conn).await?;
    Ok(Some(replace_db_name(&base, &name)))
}

fn replace_db_name(url: &str, name: &str) -> String {
    let (head, query) = match url.split_once('?') {
        Some((h, q)) => (h, Some(q)),
        None => (url, None),
    };
    let after_scheme = head.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match head[after_scheme..].find('/') {
        Some(i) => &head[..after_scheme + i],
        None => head,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// One migrated store per available backend, labelled for assertion messages.
pub async fn stores() -> Vec<(String, Store)> {
    let mut out = Vec::new();
    for url in urls().await {
        let store = Store::connect(&url).await.unwrap_or_else(|e| panic!("connect {url}: {e}"));
        migrate::run(&store).await.unwrap_or_else(|e| panic!("migrate {url}: {e}"));
        out.push((store.backend().name().to_string(), store));
    }
    out
}

/// The URLs [`stores`] would use, unmigrated (for tests that start the binary).
pub async fn urls() -> Vec<String> {
    let mut v = vec![sqlite_url()];
    match postgres_url().await {
        Ok(Some(u)) => v.push(u),
        Ok(None) => {}
        Err(e) => panic!("GAJOK_TEST_POSTGRES_URL is set but PostgreSQL is unreachable: {e}"),
    }
    v
}

/// A toy loan of `member_id` returned on `returned_on` with a late fee (retention tests): a
/// site and an item are made for it. Returns the loan id.
pub async fn paid_late_fee(
    tx: &mut Tx,
    center_id: i64,
    member_id: i64,
    returned_on: &str,
    late_days: i64,
    fee: i64,
) -> StoreResult<i64> {
    let code = unique_name("S-FEE");
    let unit = orgs::NewUnit {
        parent_id: Some(center_id),
        kind: gajok_domain::org::OrgKind::Site,
        code: code.clone(),
        name: "나눔터".into(),
        address: None,
        phone: None,
    };
    let site = orgs::insert(tx, &unit).await?.id;
    let item = library::NewItem {
        space_id: site,
        barcode: &code,
        kind: gajok_domain::nanumteo::ItemKind::Toy,
        name: "블록 놀이",
        lendable: true,
        acquired_on: "2015-01-02",
    };
    let item = library::insert_item(tx, center_id, &item).await?.ok_or(StoreError::Corrupt("barcode".into()))?;
    let loan = library::insert_loan(tx, center_id, site, item, member_id, returned_on, returned_on)
        .await?
        .ok_or(StoreError::Corrupt("item on loan".into()))?;
    library::close_loan(tx, loan, returned_on, late_days, fee, None, None).await?;
    Ok(loan)
}

#[cfg(test)]
mod tests {
    #[test]
    fn replaces_database_name() {
        assert_eq!(
            super::replace_db_name("postgres://postgres@127.0.0.1:5432/postgres", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(super::replace_db_name("postgres://h:5432", "x"), "postgres://h:5432/x");
        assert_eq!(super::replace_db_name("postgres://h/db?sslmode=disable", "x"), "postgres://h/x?sslmode=disable");
    }
}
