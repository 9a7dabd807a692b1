//! Simulations attached to a member's family record.

use chrono::Utc;
use gajok_domain::time;
use serde::Serialize;

use crate::db::{Store, Tx};
use crate::error::StoreResult;
use crate::row::RowExt;

#[derive(Debug, Clone, Serialize)]
pub struct Simulation {
    pub id: i64,
    pub member_id: i64,
    pub family_id: Option<i64>,
    pub calculator: String,
    pub status: String,
    pub annual_total: Option<i64>,
    pub created_at: String,
}

pub struct NewSimulation<'a> {
    pub center_id: i64,
    pub member_id: i64,
    pub family_id: Option<i64>,
    pub calculator: &'a str,
    pub status: &'a str,
    pub annual_total: Option<i64>,
    pub input_json: &'a str,
    pub result_json: &'a str,
    pub created_by: i64,
}

pub async fn insert(tx: &mut Tx, s: &NewSimulation<'_>) -> StoreResult<i64> {
    let r = sqlx::query(
        "INSERT INTO simulations (center_id, member_id, family_id, calculator, status, annual_total, input_json, result_json, \
         created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING id",
    )
    .bind(s.center_id)
    .bind(s.member_id)
    .bind(s.family_id)
    .bind(s.calculator.to_string())
    .bind(s.status.to_string())
    .bind(s.annual_total)
    .bind(s.input_json.to_string())
    .bind(s.result_json.to_string())
    .bind(s.created_by)
    .bind(time::to_db(Utc::now()))
    .fetch_one(tx.conn())
    .await?;
    r.int("id")
}

/// Simulations of a member and of their family, newest first.
pub async fn for_member(store: &Store, member_id: i64, family_id: Option<i64>) -> StoreResult<Vec<Simulation>> {
    let rows = sqlx::query(
        "SELECT id, member_id, family_id, calculator, status, annual_total, created_at FROM simulations \
         WHERE member_id = $1 OR (family_id IS NOT NULL AND family_id = $2) ORDER BY id DESC",
    )
    .bind(member_id)
    .bind(family_id.unwrap_or(-1))
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Simulation {
                id: r.int("id")?,
                member_id: r.int("member_id")?,
                family_id: r.int_opt("family_id")?,
                calculator: r.text("calculator")?,
                status: r.text("status")?,
                annual_total: r.int_opt("annual_total")?,
                created_at: r.text("created_at")?,
            })
        })
        .collect()
}
