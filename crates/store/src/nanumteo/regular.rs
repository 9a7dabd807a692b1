//! Regular programs (상시프로그램): a center program run in a space on a fixed weekday. Their
//! sessions and attendance are the program's ordinary sessions.

use chrono::Utc;
use gajok_domain::time;
use serde::Serialize;

use crate::db::{Store, Tx};
use crate::error::StoreResult;
use crate::row::RowExt;

#[derive(Debug, Clone, Serialize)]
pub struct RegularProgram {
    pub id: i64,
    pub space_id: i64,
    pub program_id: i64,
    pub program_name: String,
    /// ISO weekday, 1 = Monday.
    pub weekday: i64,
    pub start_time: String,
}

/// Links a program to a space on a weekday; None when that link exists already.
pub async fn insert(
    tx: &mut Tx,
    center_id: i64,
    space_id: i64,
    program_id: i64,
    weekday: i64,
    start_time: &str,
) -> StoreResult<Option<i64>> {
    let exists = sqlx::query(
        "SELECT id FROM nanumteo_regular_programs WHERE space_id = $1 AND program_id = $2 AND weekday = $3",
    )
    .bind(space_id)
    .bind(program_id)
    .bind(weekday)
    .fetch_optional(tx.conn())
    .await?;
    if exists.is_some() {
        return Ok(None);
    }
    let r = sqlx::query(
        "INSERT INTO nanumteo_regular_programs (center_id, space_id, program_id, weekday, start_time, created_at) \
         VALUES ($1,$2,$3,$4,$5,$6) RETURNING id",
    )
    .bind(center_id)
    .bind(space_id)
    .bind(program_id)
    .bind(weekday)
    .bind(start_time.to_string())
    .bind(time::to_db(Utc::now()))
    .fetch_one(tx.conn())
    .await?;
    Ok(Some(r.int("id")?))
}

pub async fn of_space(store: &Store, space_id: i64) -> StoreResult<Vec<RegularProgram>> {
    let rows = sqlx::query(
        "SELECT r.*, p.name AS program_name FROM nanumteo_regular_programs r JOIN programs p ON p.id = r.program_id \
         WHERE r.space_id = $1 AND r.active = 1 ORDER BY r.weekday, r.start_time, r.id",
    )
    .bind(space_id)
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(RegularProgram {
                id: r.int("id")?,
                space_id: r.int("space_id")?,
                program_id: r.int("program_id")?,
                program_name: r.text("program_name")?,
                weekday: r.int("weekday")?,
                start_time: r.text("start_time")?,
            })
        })
        .collect()
}

/// Session dates of a program between two dates (inclusive).
pub async fn session_dates(store: &Store, program_id: i64, from: &str, to: &str) -> StoreResult<Vec<String>> {
    let rows = sqlx::query(
        "SELECT date FROM program_sessions WHERE program_id = $1 AND date >= $2 AND date <= $3 ORDER BY date",
    )
    .bind(program_id)
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_all(store.reader())
    .await?;
    rows.iter().map(|r| r.text("date")).collect()
}
