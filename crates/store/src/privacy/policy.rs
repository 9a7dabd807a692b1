//! The privacy officer of a center and the versions of its published privacy policy.

use chrono::Utc;
use gajok_domain::time;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;

use crate::db::{Store, Tx};
use crate::error::StoreResult;
use crate::row::RowExt;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Officer {
    pub name: String,
    pub title: String,
    pub phone: String,
    pub email: Option<String>,
}

pub async fn officer<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    ex: E,
    center_id: i64,
) -> StoreResult<Option<Officer>> {
    let r = sqlx::query("SELECT name, title, phone, email FROM privacy_officers WHERE center_id = $1")
        .bind(center_id)
        .fetch_optional(ex)
        .await?;
    r.map(|r| {
        Ok(Officer {
            name: r.text("name")?,
            title: r.text("title")?,
            phone: r.text("phone")?,
            email: r.text_opt("email")?,
        })
    })
    .transpose()
}

pub async fn put_officer(tx: &mut Tx, center_id: i64, o: &Officer, by: i64) -> StoreResult<()> {
    let now = time::to_db(Utc::now());
    let res = sqlx::query(
        "UPDATE privacy_officers SET name = $1, title = $2, phone = $3, email = $4, updated_by = $5, updated_at = $6 \
         WHERE center_id = $7",
    )
    .bind(o.name.clone())
    .bind(o.title.clone())
    .bind(o.phone.clone())
    .bind(o.email.clone())
    .bind(by)
    .bind(now.clone())
    .bind(center_id)
    .execute(tx.conn())
    .await?;
    if res.rows_affected() == 0 {
        sqlx::query(
            "INSERT INTO privacy_officers (center_id, name, title, phone, email, updated_by, updated_at) \
             VALUES ($1,$2,$3,$4,$5,$6,$7)",
        )
        .bind(center_id)
        .bind(o.name.clone())
        .bind(o.title.clone())
        .bind(o.phone.clone())
        .bind(o.email.clone())
        .bind(by)
        .bind(now)
        .execute(tx.conn())
        .await?;
    }
    Ok(())
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Version {
    pub version: i64,
    pub inputs_hash: String,
    pub content: String,
    pub created_at: String,
}

fn version_from_row(r: &AnyRow) -> StoreResult<Version> {
    Ok(Version {
        version: r.int("version")?,
        inputs_hash: r.text("inputs_hash")?,
        content: r.text("content")?,
        created_at: r.text("created_at")?,
    })
}

pub async fn latest<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    ex: E,
    center_id: i64,
) -> StoreResult<Option<Version>> {
    let r = sqlx::query(
        "SELECT version, inputs_hash, content, created_at FROM privacy_policies WHERE center_id = $1 \
         ORDER BY version DESC LIMIT 1",
    )
    .bind(center_id)
    .fetch_optional(ex)
    .await?;
    r.as_ref().map(version_from_row).transpose()
}

pub async fn version(store: &Store, center_id: i64, version: i64) -> StoreResult<Option<Version>> {
    let r = sqlx::query(
        "SELECT version, inputs_hash, content, created_at FROM privacy_policies WHERE center_id = $1 AND version = $2",
    )
    .bind(center_id)
    .bind(version)
    .fetch_optional(store.reader())
    .await?;
    r.as_ref().map(version_from_row).transpose()
}

/// (version, created_at) of every version, newest first.
pub async fn versions(store: &Store, center_id: i64) -> StoreResult<Vec<(i64, String)>> {
    let rows =
        sqlx::query("SELECT version, created_at FROM privacy_policies WHERE center_id = $1 ORDER BY version DESC")
            .bind(center_id)
            .fetch_all(store.reader())
            .await?;
    rows.iter().map(|r| Ok((r.int("version")?, r.text("created_at")?))).collect()
}

/// Stores a new version unless the newest one has the same inputs hash; returns the newest.
/// A concurrent insert of the same version number fails on the unique key and is retried
/// by the caller reading the latest again.
pub async fn publish(tx: &mut Tx, center_id: i64, inputs_hash: &str, content: &str) -> StoreResult<i64> {
    let cur = latest(tx.conn(), center_id).await?;
    if let Some(v) = &cur
        && v.inputs_hash == inputs_hash
    {
        return Ok(v.version);
    }
    let next = cur.map(|v| v.version + 1).unwrap_or(1);
    sqlx::query(
        "INSERT INTO privacy_policies (center_id, version, inputs_hash, content, created_at) VALUES ($1,$2,$3,$4,$5)",
    )
    .bind(center_id)
    .bind(next)
    .bind(inputs_hash.to_string())
    .bind(content.to_string())
    .bind(time::to_db(Utc::now()))
    .execute(tx.conn())
    .await
    .map_err(crate::error::classify)?;
    Ok(next)
}

/// What a center actually holds, for its privacy policy.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Facts {
    pub members: i64,
    pub foreign_ids: i64,
    pub counseling_notes: i64,
    pub nanumteo_visits: i64,
    /// Records kept in separate storage because another law requires it.
    pub separated_records: i64,
    /// Recipient codes in agreed, unwithdrawn third-party consents.
    pub recipients: Vec<String>,
    pub cctv_units: i64,
    pub cctv_retention_days: i64,
}

pub async fn facts(store: &Store, center_id: i64) -> StoreResult<Facts> {
    let count = |sql: &'static str| async move {
        sqlx::query(sql).bind(center_id).fetch_one(store.reader()).await.map_err(crate::StoreError::from)?.int("n")
    };
    let mut f = Facts {
        members: count("SELECT COUNT(*) AS n FROM members WHERE center_id = $1 AND anonymised_at IS NULL").await?,
        foreign_ids: count("SELECT COUNT(*) AS n FROM members WHERE center_id = $1 AND foreign_id_ct IS NOT NULL")
            .await?,
        counseling_notes: count("SELECT COUNT(*) AS n FROM counseling_notes WHERE center_id = $1").await?,
        nanumteo_visits: count("SELECT COUNT(*) AS n FROM nanumteo_visits WHERE center_id = $1").await?,
        separated_records: count("SELECT COUNT(*) AS n FROM separated_records WHERE center_id = $1").await?,
        cctv_units: count(
            "SELECT CAST(COALESCE(SUM(cctv_units), 0) AS BIGINT) AS n FROM nanumteo_spaces WHERE center_id = $1",
        )
        .await?,
        cctv_retention_days: count(
            "SELECT COALESCE(MAX(cctv_retention_days), 0) AS n FROM nanumteo_spaces WHERE center_id = $1",
        )
        .await?,
        recipients: Vec::new(),
    };
    let rows = sqlx::query(
        "SELECT DISTINCT recipients FROM consents WHERE center_id = $1 AND kind = 'third_party' AND agreed = 1 \
         AND withdrawn_at IS NULL AND recipients IS NOT NULL",
    )
    .bind(center_id)
    .fetch_all(store.reader())
    .await?;
    let mut set = std::collections::BTreeSet::new();
    for r in &rows {
        for code in r.text("recipients")?.split(',') {
            if !code.is_empty() {
                set.insert(code.to_string());
            }
        }
    }
    f.recipients = set.into_iter().collect();
    Ok(f)
}
