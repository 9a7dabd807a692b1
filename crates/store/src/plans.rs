//! Monthly program plans: per program, the sessions and persons planned for a month.

use chrono::Utc;
use gajok_domain::time;
use serde::Serialize;

use crate::db::{Store, Tx};
use crate::error::StoreResult;
use crate::row::{RowExt, flag};

#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub id: i64,
    pub center_id: i64,
    pub month: String,
    pub note: Option<String>,
    pub submitted_at: String,
    pub late: bool,
    /// (program id, planned sessions, planned persons)
    pub items: Vec<(i64, i64, i64)>,
}

pub async fn get(store: &Store, center_id: i64, month: &str) -> StoreResult<Option<Plan>> {
    let Some(r) = sqlx::query("SELECT * FROM monthly_plans WHERE center_id = $1 AND month = $2")
        .bind(center_id)
        .bind(month.to_string())
        .fetch_optional(store.reader())
        .await?
    else {
        return Ok(None);
    };
    let id = r.int("id")?;
    let items = sqlx::query("SELECT program_id, planned_sessions, planned_persons FROM monthly_plan_items WHERE plan_id = $1 ORDER BY program_id")
        .bind(id)
        .fetch_all(store.reader())
        .await?
        .iter()
        .map(|i| Ok((i.int("program_id")?, i.int("planned_sessions")?, i.int("planned_persons")?)))
        .collect::<StoreResult<_>>()?;
    Ok(Some(Plan {
        id,
        center_id,
        month: r.text("month")?,
        note: r.text_opt("note")?,
        submitted_at: r.text("submitted_at")?,
        late: r.flag("late")?,
        items,
    }))
}

/// Replaces the plan of a month (a corrected plan is submitted again).
pub async fn put(
    tx: &mut Tx,
    center_id: i64,
    month: &str,
    note: Option<&str>,
    late: bool,
    by: i64,
    items: &[(i64, i64, i64)],
) -> StoreResult<i64> {
    let old = sqlx::query("SELECT id FROM monthly_plans WHERE center_id = $1 AND month = $2")
        .bind(center_id)
        .bind(month.to_string())
        .fetch_optional(tx.conn())
        .await?;
    if let Some(o) = old {
        let id = o.int("id")?;
        sqlx::query("DELETE FROM monthly_plan_items WHERE plan_id = $1").bind(id).execute(tx.conn()).await?;
        sqlx::query("DELETE FROM monthly_plans WHERE id = $1").bind(id).execute(tx.conn()).await?;
    }
    let r = sqlx::query("INSERT INTO monthly_plans (center_id, month, note, submitted_at, submitted_by, late) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id")
        .bind(center_id)
        .bind(month.to_string())
        .bind(note.map(str::to_string))
        .bind(time::to_db(Utc::now()))
        .bind(by)
        .bind(flag(late))
        .fetch_one(tx.conn())
        .await?;
    let id = r.int("id")?;
    for (p, s, n) in items {
        sqlx::query("INSERT INTO monthly_plan_items (plan_id, center_id, program_id, planned_sessions, planned_persons) VALUES ($1,$2,$3,$4,$5)")
            .bind(id)
            .bind(center_id)
            .bind(*p)
            .bind(*s)
            .bind(*n)
            .execute(tx.conn())
            .await?;
    }
    Ok(id)
}
