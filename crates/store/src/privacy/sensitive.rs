//! Sensitive records: the per-center grant to read them, and counseling notes.

use chrono::Utc;
use gajok_domain::time;
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::db::{Store, Tx};
use crate::error::StoreResult;
use crate::row::{RowExt, flag};

/// The centers where `user_id` holds an unrevoked grant.
pub async fn granted_centers<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    ex: E,
    user_id: i64,
) -> StoreResult<Vec<i64>> {
    let rows = sqlx::query("SELECT DISTINCT center_id FROM sensitive_grants WHERE user_id = $1 AND revoked_at IS NULL")
        .bind(user_id)
        .fetch_all(ex)
        .await?;
    rows.iter().map(|r| r.int("center_id")).collect()
}

/// Grants unless an unrevoked grant exists; false if it did.
pub async fn grant(tx: &mut Tx, user_id: i64, center_id: i64, by: i64) -> StoreResult<bool> {
    let exists =
        sqlx::query("SELECT id FROM sensitive_grants WHERE user_id = $1 AND center_id = $2 AND revoked_at IS NULL")
            .bind(user_id)
            .bind(center_id)
            .fetch_optional(tx.conn())
            .await?;
    if exists.is_some() {
        return Ok(false);
    }
    sqlx::query("INSERT INTO sensitive_grants (user_id, center_id, granted_by, granted_at) VALUES ($1,$2,$3,$4)")
        .bind(user_id)
        .bind(center_id)
        .bind(by)
        .bind(time::to_db(Utc::now()))
        .execute(tx.conn())
        .await?;
    Ok(true)
}

/// Revokes the user's grant in the center; false if there was none.
pub async fn revoke(tx: &mut Tx, user_id: i64, center_id: i64, by: i64) -> StoreResult<bool> {
    let res = sqlx::query(
        "UPDATE sensitive_grants SET revoked_at = $1, revoked_by = $2 \
         WHERE user_id = $3 AND center_id = $4 AND revoked_at IS NULL",
    )
    .bind(time::to_db(Utc::now()))
    .bind(by)
    .bind(user_id)
    .bind(center_id)
    .execute(tx.conn())
    .await?;
    Ok(res.rows_affected() > 0)
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Note {
    pub id: i64,
    pub center_id: i64,
    pub member_id: i64,
    pub noted_on: String,
    pub body: String,
    pub risk_abuse: bool,
    pub risk_suicide: bool,
    pub risk_health: bool,
    pub created_at: String,
}

pub struct NewNote<'a> {
    pub center_id: i64,
    pub member_id: i64,
    pub noted_on: &'a str,
    pub body: &'a str,
    pub risk_abuse: bool,
    pub risk_suicide: bool,
    pub risk_health: bool,
}

fn note_from_row(r: &AnyRow) -> StoreResult<Note> {
    Ok(Note {
        id: r.int("id")?,
        center_id: r.int("center_id")?,
        member_id: r.int("member_id")?,
        noted_on: r.text("noted_on")?,
        body: r.text("body")?,
        risk_abuse: r.flag("risk_abuse")?,
        risk_suicide: r.flag("risk_suicide")?,
        risk_health: r.flag("risk_health")?,
        created_at: r.text("created_at")?,
    })
}

pub async fn insert_note(tx: &mut Tx, n: &NewNote<'_>, by: i64) -> StoreResult<i64> {
    let r = sqlx::query(
        "INSERT INTO counseling_notes (center_id, member_id, noted_on, body, risk_abuse, risk_suicide, risk_health, \
         created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id",
    )
    .bind(n.center_id)
    .bind(n.member_id)
    .bind(n.noted_on.to_string())
    .bind(n.body.to_string())
    .bind(flag(n.risk_abuse))
    .bind(flag(n.risk_suicide))
    .bind(flag(n.risk_health))
    .bind(by)
    .bind(time::to_db(Utc::now()))
    .fetch_one(tx.conn())
    .await?;
    r.int("id")
}

pub async fn notes(store: &Store, member_id: i64) -> StoreResult<Vec<Note>> {
    let rows = sqlx::query("SELECT * FROM counseling_notes WHERE member_id = $1 ORDER BY noted_on DESC, id DESC")
        .bind(member_id)
        .fetch_all(store.reader())
        .await?;
    rows.iter().map(note_from_row).collect()
}
