//! Audit events: every write leaves one, in the same transaction as the write.

use gajok_domain::time;
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::db::{Store, Tx};
use crate::error::StoreResult;
use crate::row::RowExt;
use crate::sql::Sql;

/// Who did it, from where. Shared with the access log.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub username: String,
    pub client_addr: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewEvent {
    pub action: &'static str,
    pub entity_type: &'static str,
    pub entity_id: String,
    pub org_unit_id: Option<i64>,
    pub org_path: String,
    pub summary: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

pub async fn record(tx: &mut Tx, actor: &Actor, e: NewEvent) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO audit_events (occurred_at, actor_id, actor_name, client_addr, action, entity_type, entity_id, \
         org_unit_id, org_path, summary, before_json, after_json) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)",
    )
    .bind(time::to_db(chrono::Utc::now()))
    .bind(actor.user_id)
    .bind(actor.username.clone())
    .bind(actor.client_addr.clone())
    .bind(e.action)
    .bind(e.entity_type)
    .bind(e.entity_id)
    .bind(e.org_unit_id)
    .bind(e.org_path)
    .bind(e.summary)
    .bind(e.before.map(|v| v.to_string()))
    .bind(e.after.map(|v| v.to_string()))
    .execute(tx.conn())
    .await?;
    Ok(())
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditEvent {
    pub id: i64,
    pub occurred_at: String,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub client_addr: Option<String>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    pub org_unit_id: Option<i64>,
    pub summary: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

fn from_row(r: &AnyRow) -> StoreResult<AuditEvent> {
    let json = |c: &str| -> StoreResult<Option<serde_json::Value>> {
        Ok(r.text_opt(c)?.and_then(|s| serde_json::from_str(&s).ok()))
    };
    Ok(AuditEvent {
        id: r.int("id")?,
        occurred_at: r.text("occurred_at")?,
        actor_id: r.int_opt("actor_id")?,
        actor_name: r.text("actor_name")?,
        client_addr: r.text_opt("client_addr")?,
        action: r.text("action")?,
        entity_type: r.text("entity_type")?,
        entity_id: r.text("entity_id")?,
        org_unit_id: r.int_opt("org_unit_id")?,
        summary: r.text("summary")?,
        before: json("before_json")?,
        after: json("after_json")?,
    })
}

/// Search filter shared by the audit and access logs.
#[derive(Debug, Clone, Default)]
pub struct LogFilter {
    /// Org paths the searcher may see; events of units outside them are never returned.
    /// Events with no org unit (e.g. a failed login of an unknown name) are under `/`.
    pub scopes: Vec<String>,
    /// Inclusive lower bound, canonical UTC text.
    pub from: Option<String>,
    /// Exclusive upper bound, canonical UTC text.
    pub to: Option<String>,
    /// Exact username of the actor.
    pub actor: Option<String>,
    pub action: Option<String>,
    /// `entity_type` (audit) or `subject_type` (access log).
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

impl LogFilter {
    pub(crate) fn apply(&self, sql: &mut Sql, actor_col: &str, type_col: &str, id_col: &str) {
        sql.push(" WHERE ").any_prefix("org_path", &self.scopes);
        if let Some(v) = &self.from {
            sql.push(" AND occurred_at >= ").bind(v.as_str());
        }
        if let Some(v) = &self.to {
            sql.push(" AND occurred_at < ").bind(v.as_str());
        }
        for (col, v) in [
            (actor_col, &self.actor),
            ("action", &self.action),
            (type_col, &self.entity_type),
            (id_col, &self.entity_id),
        ] {
            if let Some(v) = v {
                sql.push(" AND ").push(col).push(" = ").bind(v.as_str());
            }
        }
    }
}

pub async fn search(store: &Store, f: &LogFilter) -> StoreResult<(Vec<AuditEvent>, i64)> {
    let mut count = Sql::new("SELECT COUNT(*) AS n FROM audit_events");
    f.apply(&mut count, "actor_name", "entity_type", "entity_id");
    let total = count.query().fetch_one(store.reader()).await?.int("n")?;

    let mut sql = Sql::new("SELECT * FROM audit_events");
    f.apply(&mut sql, "actor_name", "entity_type", "entity_id");
    sql.push(" ORDER BY id DESC LIMIT ").bind(f.limit).push(" OFFSET ").bind(f.offset);
    let rows = sql.query().fetch_all(store.reader()).await?;
    Ok((rows.iter().map(from_row).collect::<StoreResult<_>>()?, total))
}

/// Most recent events of one entity, newest first (for a detail page's history).
pub async fn for_entity(store: &Store, entity_type: &str, entity_id: &str, limit: i64) -> StoreResult<Vec<AuditEvent>> {
    let rows =
        sqlx::query("SELECT * FROM audit_events WHERE entity_type = $1 AND entity_id = $2 ORDER BY id DESC LIMIT $3")
            .bind(entity_type.to_string())
            .bind(entity_id.to_string())
            .bind(limit)
            .fetch_all(store.reader())
            .await?;
    rows.iter().map(from_row).collect()
}
