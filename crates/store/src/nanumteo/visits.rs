//! The visit log (서식8).

use chrono::Utc;
use gajok_domain::code_list::CodeList;
use gajok_domain::nanumteo::VisitPurpose;
use gajok_domain::time;
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::db::{Store, Tx};
use crate::error::StoreResult;
use crate::row::{RowExt, flag};

#[derive(Debug, Clone, Serialize)]
pub struct NewVisit {
    pub space_id: i64,
    pub visit_date: String,
    pub member_id: i64,
    pub child_only: bool,
    pub children: i64,
    pub children_ages: String,
    pub purpose: VisitPurpose,
    pub check_in: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Visit {
    pub id: i64,
    pub center_id: i64,
    pub space_id: i64,
    pub visit_date: String,
    pub member_id: i64,
    pub member_name: String,
    pub child_only: bool,
    pub children: i64,
    pub children_ages: String,
    pub purpose: VisitPurpose,
    pub check_in: String,
    pub check_out: Option<String>,
}

fn from_row(r: &AnyRow) -> StoreResult<Visit> {
    Ok(Visit {
        id: r.int("id")?,
        center_id: r.int("center_id")?,
        space_id: r.int("space_id")?,
        visit_date: r.text("visit_date")?,
        member_id: r.int("member_id")?,
        member_name: r.text("member_name")?,
        child_only: r.flag("child_only")?,
        children: r.int("children")?,
        children_ages: r.text("children_ages")?,
        purpose: r.code("purpose")?,
        check_in: r.text("check_in")?,
        check_out: r.text_opt("check_out")?,
    })
}

const SELECT: &str = "SELECT v.*, m.name AS member_name FROM nanumteo_visits v JOIN members m ON m.id = v.member_id";

pub async fn insert(tx: &mut Tx, center_id: i64, v: &NewVisit) -> StoreResult<i64> {
    let r = sqlx::query(
        "INSERT INTO nanumteo_visits (center_id, space_id, visit_date, member_id, child_only, children, children_ages, \
         purpose, check_in, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING id",
    )
    .bind(center_id)
    .bind(v.space_id)
    .bind(v.visit_date.clone())
    .bind(v.member_id)
    .bind(flag(v.child_only))
    .bind(v.children)
    .bind(v.children_ages.clone())
    .bind(v.purpose.code())
    .bind(v.check_in.clone())
    .bind(time::to_db(Utc::now()))
    .fetch_one(tx.conn())
    .await?;
    r.int("id")
}

pub async fn get(store: &Store, id: i64) -> StoreResult<Option<Visit>> {
    let sql = format!("{SELECT} WHERE v.id = $1");
    let r = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(store.reader()).await?;
    r.as_ref().map(from_row).transpose()
}

pub async fn check_out(tx: &mut Tx, id: i64, at: &str) -> StoreResult<bool> {
    let n = sqlx::query("UPDATE nanumteo_visits SET check_out = $1 WHERE id = $2 AND check_out IS NULL")
        .bind(at.to_string())
        .bind(id)
        .execute(tx.conn())
        .await?
        .rows_affected();
    Ok(n == 1)
}

pub async fn on_day(store: &Store, space_id: i64, date: &str) -> StoreResult<Vec<Visit>> {
    let sql = format!("{SELECT} WHERE v.space_id = $1 AND v.visit_date = $2 ORDER BY v.check_in DESC, v.id DESC");
    let rows =
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(space_id).bind(date.to_string()).fetch_all(store.reader()).await?;
    rows.iter().map(from_row).collect()
}

/// Visits of a center between two dates (inclusive), oldest first.
pub async fn between(store: &Store, center_id: i64, from: &str, to: &str) -> StoreResult<Vec<Visit>> {
    let sql = format!(
        "{SELECT} WHERE v.center_id = $1 AND v.visit_date >= $2 AND v.visit_date <= $3 ORDER BY v.visit_date, v.check_in"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(center_id)
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(store.reader())
        .await?;
    rows.iter().map(from_row).collect()
}

/// Whether the member is already checked in (and not out) in the space on the day.
pub async fn open_visit(store: &Store, space_id: i64, member_id: i64, date: &str) -> StoreResult<Option<i64>> {
    let r = sqlx::query(
        "SELECT id FROM nanumteo_visits WHERE space_id = $1 AND member_id = $2 AND visit_date = $3 AND check_out IS NULL",
    )
    .bind(space_id)
    .bind(member_id)
    .bind(date.to_string())
    .fetch_optional(store.reader())
    .await?;
    r.map(|r| r.int("id")).transpose()
}
