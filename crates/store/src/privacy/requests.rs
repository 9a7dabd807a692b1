//! Data subjects' requests (열람 / 정정·삭제 / 처리정지) and the data export for a 열람.

use chrono::Utc;
use gajok_domain::time;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::{Store, Tx};
use crate::error::StoreResult;
use crate::row::RowExt;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Request {
    pub id: i64,
    pub center_id: i64,
    pub member_id: i64,
    pub kind: String,
    pub received_on: String,
    pub due_on: String,
    pub requester: String,
    pub details: String,
    pub status: String,
    pub decision: Option<String>,
    pub reason: Option<String>,
    pub decided_on: Option<String>,
    pub created_at: String,
}

pub struct NewRequest<'a> {
    pub center_id: i64,
    pub member_id: i64,
    pub kind: &'a str,
    pub received_on: &'a str,
    pub due_on: &'a str,
    pub requester: &'a str,
    pub details: &'a str,
}

fn from_row(r: &AnyRow) -> StoreResult<Request> {
    Ok(Request {
        id: r.int("id")?,
        center_id: r.int("center_id")?,
        member_id: r.int("member_id")?,
        kind: r.text("kind")?,
        received_on: r.text("received_on")?,
        due_on: r.text("due_on")?,
        requester: r.text("requester")?,
        details: r.text("details")?,
        status: r.text("status")?,
        decision: r.text_opt("decision")?,
        reason: r.text_opt("reason")?,
        decided_on: r.text_opt("decided_on")?,
        created_at: r.text("created_at")?,
    })
}

pub async fn insert(tx: &mut Tx, n: &NewRequest<'_>, by: i64) -> StoreResult<i64> {
    let now = time::to_db(Utc::now());
    let r = sqlx::query(
        "INSERT INTO privacy_requests (center_id, member_id, kind, received_on, due_on, requester, details, status, \
         recorded_by, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,'pending',$8,$9,$9) RETURNING id",
    )
    .bind(n.center_id)
    .bind(n.member_id)
    .bind(n.kind.to_string())
    .bind(n.received_on.to_string())
    .bind(n.due_on.to_string())
    .bind(n.requester.to_string())
    .bind(n.details.to_string())
    .bind(by)
    .bind(now)
    .fetch_one(tx.conn())
    .await?;
    r.int("id")
}

pub async fn get<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(ex: E, id: i64) -> StoreResult<Option<Request>> {
    let r = sqlx::query("SELECT * FROM privacy_requests WHERE id = $1").bind(id).fetch_optional(ex).await?;
    r.as_ref().map(from_row).transpose()
}

/// Records the decision if the request is still pending; false if it was decided already.
pub async fn decide(
    tx: &mut Tx,
    id: i64,
    decision: &str,
    reason: &str,
    decided_on: &str,
    by: i64,
) -> StoreResult<bool> {
    let res = sqlx::query(
        "UPDATE privacy_requests SET status = 'decided', decision = $1, reason = $2, decided_on = $3, decided_by = $4, \
         updated_at = $5 WHERE id = $6 AND status = 'pending'",
    )
    .bind(decision.to_string())
    .bind(reason.to_string())
    .bind(decided_on.to_string())
    .bind(by)
    .bind(time::to_db(Utc::now()))
    .bind(id)
    .execute(tx.conn())
    .await?;
    Ok(res.rows_affected() == 1)
}

/// The requests of the given centers: pending ones first by deadline, then the decided ones.
pub async fn list(store: &Store, center_ids: &[i64], pending_only: bool, limit: i64) -> StoreResult<Vec<Request>> {
    if center_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = crate::sql::Sql::new("SELECT * FROM privacy_requests WHERE center_id IN (");
    for (i, c) in center_ids.iter().enumerate() {
        if i > 0 {
            sql.push(",");
        }
        sql.bind(*c);
    }
    sql.push(")");
    if pending_only {
        sql.push(" AND status = 'pending'");
    }
    sql.push(" ORDER BY CASE WHEN status = 'pending' THEN 0 ELSE 1 END, due_on, id LIMIT ").bind(limit);
    let rows = sql.query().fetch_all(store.reader()).await?;
    rows.iter().map(from_row).collect()
}

pub async fn for_member<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    ex: E,
    member_id: i64,
) -> StoreResult<Vec<Request>> {
    let rows = sqlx::query("SELECT * FROM privacy_requests WHERE member_id = $1 ORDER BY id")
        .bind(member_id)
        .fetch_all(ex)
        .await?;
    rows.iter().map(from_row).collect()
}

/// A row as a JSON object, whatever its columns (the `Any` driver carries only integers and
/// text in this schema). Columns in `skip` are left out.
fn row_json(r: &AnyRow, skip: &[&str]) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    for c in r.columns() {
        let name = sqlx::Column::name(c);
        if skip.contains(&name) {
            continue;
        }
        let v = if let Ok(v) = r.try_get::<Option<i64>, _>(name) {
            serde_json::json!(v)
        } else if let Ok(v) = r.try_get::<Option<String>, _>(name) {
            serde_json::json!(v)
        } else {
            serde_json::Value::Null
        };
        m.insert(name.to_string(), v);
    }
    serde_json::Value::Object(m)
}

/// Columns never exported: the ciphertext and keyed hash of a unique identifier (its masked
/// form is exported), and the search helper.
const MEMBER_SKIP: &[&str] = &["foreign_id_ct", "foreign_id_key", "foreign_id_hash", "name_initials"];

/// Everything gajok holds about one person, section by section. Sensitive sections
/// (counseling notes, health flags) only when `sensitive` is true.
pub async fn export(
    store: &Store,
    member_id: i64,
    sensitive: bool,
) -> StoreResult<Vec<(&'static str, Vec<serde_json::Value>)>> {
    let mut q: Vec<(&'static str, &'static str)> = vec![
        ("member", "SELECT * FROM members WHERE id = $1"),
        (
            "family",
            "SELECT f.id, f.name, f.created_at FROM families f JOIN members m ON m.family_id = f.id WHERE m.id = $1",
        ),
        ("consents", "SELECT * FROM consents WHERE member_id = $1 ORDER BY id"),
        (
            "enrolments",
            "SELECT e.program_id, p.name AS program, p.year, e.enrolled_on FROM enrolments e \
             JOIN programs p ON p.id = e.program_id WHERE e.member_id = $1 ORDER BY p.year, e.program_id",
        ),
        (
            "attendance",
            "SELECT s.date, p.name AS program, a.status, a.recorded_at FROM attendance a \
             JOIN program_sessions s ON s.id = a.session_id JOIN programs p ON p.id = s.program_id \
             WHERE a.member_id = $1 ORDER BY s.date, s.id",
        ),
        ("simulations", "SELECT * FROM simulations WHERE member_id = $1 ORDER BY id"),
        ("nanumteo_visits", "SELECT * FROM nanumteo_visits WHERE member_id = $1 ORDER BY id"),
        ("nanumteo_loans", "SELECT * FROM nanumteo_loans WHERE member_id = $1 ORDER BY id"),
        (
            "pumasi_activities",
            "SELECT a.* FROM pumasi_activities a JOIN pumasi_attendees t ON t.activity_id = a.id \
             WHERE t.member_id = $1 ORDER BY a.id",
        ),
        ("privacy_requests", "SELECT * FROM privacy_requests WHERE member_id = $1 ORDER BY id"),
    ];
    if sensitive {
        q.push(("nanumteo_health_flags", "SELECT * FROM nanumteo_health_flags WHERE member_id = $1 ORDER BY id"));
        q.push(("counseling_notes", "SELECT * FROM counseling_notes WHERE member_id = $1 ORDER BY id"));
    }
    let mut out = Vec::new();
    for (section, sql) in q {
        let rows = sqlx::query(sql).bind(member_id).fetch_all(store.reader()).await?;
        let skip: &[&str] = if section == "member" { MEMBER_SKIP } else { &[] };
        out.push((section, rows.iter().map(|r| row_json(r, skip)).collect()));
    }
    Ok(out)
}
