//! Monthly performance reports: status, the submitted snapshot, and the history of steps.
//! A report has a kind: [`CENTER`] (the center's 월간사업실적) or [`NANUMTEO`] (서식13, the
//! 공동육아나눔터 and 가족품앗이 monthly report); both share the workflow and the month lock.

use chrono::Utc;
use gajok_domain::code_list::CodeList;
use gajok_domain::program::ReportStatus;
use gajok_domain::time;
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::audit::Actor;
use crate::db::{Store, Tx};
use crate::error::StoreResult;
use crate::row::RowExt;

/// The center's monthly performance report.
pub const CENTER: &str = "center";
/// 서식13: the 공동육아나눔터 and 가족품앗이 monthly report.
pub const NANUMTEO: &str = "nanumteo";

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub id: i64,
    pub center_id: i64,
    pub kind: String,
    pub month: String,
    pub status: ReportStatus,
    pub snapshot: Option<serde_json::Value>,
    pub version: i64,
    pub submitted_at: Option<String>,
    pub updated_at: String,
}

fn from_row(r: &AnyRow) -> StoreResult<Report> {
    Ok(Report {
        id: r.int("id")?,
        center_id: r.int("center_id")?,
        kind: r.text("kind")?,
        month: r.text("month")?,
        status: r.code("status")?,
        snapshot: r.text_opt("snapshot")?.and_then(|s| serde_json::from_str(&s).ok()),
        version: r.int("version")?,
        submitted_at: r.text_opt("submitted_at")?,
        updated_at: r.text("updated_at")?,
    })
}

pub async fn get<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    ex: E,
    center_id: i64,
    month: &str,
) -> StoreResult<Option<Report>> {
    get_kind(ex, CENTER, center_id, month).await
}

/// The report of one kind for a center's month.
pub async fn get_kind<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    ex: E,
    kind: &str,
    center_id: i64,
    month: &str,
) -> StoreResult<Option<Report>> {
    let r = sqlx::query("SELECT * FROM monthly_reports WHERE center_id = $1 AND month = $2 AND kind = $3")
        .bind(center_id)
        .bind(month.to_string())
        .bind(kind.to_string())
        .fetch_optional(ex)
        .await?;
    r.as_ref().map(from_row).transpose()
}

/// The status of a center's report of `kind` for a month, `Draft` when none exists yet.
pub async fn status_kind<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    ex: E,
    kind: &str,
    center_id: i64,
    month: &str,
) -> StoreResult<ReportStatus> {
    Ok(get_kind(ex, kind, center_id, month).await?.map(|r| r.status).unwrap_or(ReportStatus::Draft))
}

/// The status of a center's month, `Draft` when no report exists yet.
pub async fn status<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    ex: E,
    center_id: i64,
    month: &str,
) -> StoreResult<ReportStatus> {
    Ok(get(ex, center_id, month).await?.map(|r| r.status).unwrap_or(ReportStatus::Draft))
}

/// How a transaction holds a month's guard (see [`guard_month`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonthGuard {
    /// A write of a record dated in the month: many may run at once.
    Writer,
    /// The submission that freezes the month's figures: waits for the writers in flight and
    /// keeps new ones out until it commits.
    Submission,
}

/// Serialises the writes into a center's month against the submission of its report of
/// `kind`, so the figures frozen on submission are exactly the records the month lock covers.
/// Held to the end of the transaction. Without it, on PostgreSQL an attendance write that had
/// checked the lock before the submission committed could land in the locked month after the
/// figures were read. On SQLite every write transaction already runs alone (one writer
/// connection, `BEGIN IMMEDIATE`), so there is nothing to take.
pub async fn guard_month(tx: &mut Tx, kind: &str, center_id: i64, month: &str, mode: MonthGuard) -> StoreResult<()> {
    if tx.backend() != crate::db::Backend::Postgres {
        return Ok(());
    }
    // A transaction-scoped advisory lock on a key derived from (kind, center, month); the
    // function returns void, which the Any driver cannot decode, hence the count around it.
    let sql = match mode {
        MonthGuard::Writer => {
            "SELECT COUNT(*) AS n FROM (SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))) AS g"
        }
        MonthGuard::Submission => {
            "SELECT COUNT(*) AS n FROM (SELECT pg_advisory_xact_lock(hashtextextended($1, 0))) AS g"
        }
    };
    sqlx::query(sql).bind(format!("month-lock:{kind}:{center_id}:{month}")).fetch_one(tx.conn()).await?;
    Ok(())
}

/// One step of the workflow.
#[derive(Debug, Clone)]
pub struct Step<'a> {
    pub center_id: i64,
    pub month: &'a str,
    pub from: ReportStatus,
    pub to: ReportStatus,
    /// The figures to freeze (on submission).
    pub snapshot: Option<&'a serde_json::Value>,
    pub comment: Option<&'a str>,
}

/// Moves a report from `from` to `to` (creating it as a draft first if needed), storing the
/// snapshot when given. Returns false if the report was not in `from` (someone else acted).
pub async fn transition(tx: &mut Tx, step: &Step<'_>, actor: &Actor) -> StoreResult<bool> {
    transition_kind(tx, CENTER, step, actor).await
}

/// [`transition`] for a report of `kind`.
pub async fn transition_kind(tx: &mut Tx, kind: &str, step: &Step<'_>, actor: &Actor) -> StoreResult<bool> {
    let Step { center_id, month, from, to, snapshot, comment } = step.clone();
    let now = time::to_db(Utc::now());
    sqlx::query(
        "INSERT INTO monthly_reports (center_id, kind, month, status, version, updated_at) \
         VALUES ($1, $2, $3, 'draft', 1, $4) ON CONFLICT (center_id, kind, month) DO NOTHING",
    )
    .bind(center_id)
    .bind(kind.to_string())
    .bind(month.to_string())
    .bind(now.clone())
    .execute(tx.conn())
    .await?;
    let submitted = to == ReportStatus::Submitted;
    let res = sqlx::query(
        "UPDATE monthly_reports SET status = $1, snapshot = COALESCE($2, snapshot), version = version + 1, updated_at = $3, \
         submitted_at = CASE WHEN $4 = 1 THEN $3 ELSE submitted_at END \
         WHERE center_id = $5 AND month = $6 AND status = $7 AND kind = $8",
    )
    .bind(to.code())
    .bind(snapshot.map(|s| s.to_string()))
    .bind(now.clone())
    .bind(i64::from(submitted))
    .bind(center_id)
    .bind(month.to_string())
    .bind(from.code())
    .bind(kind.to_string())
    .execute(tx.conn())
    .await?;
    if res.rows_affected() != 1 {
        return Ok(false);
    }
    let report = get_kind(tx.conn(), kind, center_id, month).await?.map(|r| r.id).unwrap_or(0);
    sqlx::query(
        "INSERT INTO report_events (report_id, center_id, action, from_status, to_status, comment, actor_id, actor_name, occurred_at) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)",
    )
    .bind(report)
    .bind(center_id)
    .bind(format!("{}->{}", from.code(), to.code()))
    .bind(from.code())
    .bind(to.code())
    .bind(comment.map(str::to_string))
    .bind(actor.user_id)
    .bind(actor.username.clone())
    .bind(now)
    .execute(tx.conn())
    .await?;
    Ok(true)
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportEvent {
    pub from_status: ReportStatus,
    pub to_status: ReportStatus,
    pub comment: Option<String>,
    pub actor_name: String,
    pub occurred_at: String,
}

pub async fn events(store: &Store, report_id: i64) -> StoreResult<Vec<ReportEvent>> {
    let rows = sqlx::query("SELECT * FROM report_events WHERE report_id = $1 ORDER BY id")
        .bind(report_id)
        .fetch_all(store.reader())
        .await?;
    rows.iter()
        .map(|r| {
            Ok(ReportEvent {
                from_status: r.code("from_status")?,
                to_status: r.code("to_status")?,
                comment: r.text_opt("comment")?,
                actor_name: r.text("actor_name")?,
                occurred_at: r.text("occurred_at")?,
            })
        })
        .collect()
}

/// Reports of many centers for one month.
pub async fn for_month(store: &Store, center_ids: &[i64], month: &str) -> StoreResult<Vec<Report>> {
    let mut out = Vec::new();
    for chunk in center_ids.chunks(500) {
        let mut sql = crate::sql::Sql::new("SELECT * FROM monthly_reports WHERE kind = 'center' AND month = ");
        sql.bind(month).push(" AND center_id IN (");
        for (i, c) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(",");
            }
            sql.bind(*c);
        }
        sql.push(")");
        for r in sql.query().fetch_all(store.reader()).await? {
            out.push(from_row(&r)?);
        }
    }
    Ok(out)
}
