//! The access log: every read of personal data, chained by SHA-256 so that an edited,
//! removed or appended-out-of-band row is detected by [`verify`].

use gajok_domain::time;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{Actor, LogFilter};
use crate::db::{Store, Tx};
use crate::error::StoreResult;
use crate::row::RowExt;
use crate::sql::Sql;

const CHAIN: &str = "access_log";

/// Hash of the chain's start, before any entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone)]
pub struct NewAccess {
    /// `view`, `search`, `export`, `print`, ...
    pub action: &'static str,
    /// Whose data: the kind of record (`user`, `member`, ...) and its id.
    pub subject_type: &'static str,
    pub subject_id: String,
    pub org_unit_id: Option<i64>,
    pub org_path: String,
    /// What was shown, without personal data (e.g. `detail`, `page 2 of results`).
    pub detail: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AccessEntry {
    pub seq: i64,
    pub occurred_at: String,
    pub user_id: Option<i64>,
    pub username: String,
    pub client_addr: Option<String>,
    pub action: String,
    pub subject_type: String,
    pub subject_id: String,
    pub org_unit_id: Option<i64>,
    pub org_path: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The hashed content of an entry: every field but the hash itself, JSON-encoded so that
/// field boundaries are unambiguous.
fn entry_hash(e: &AccessEntry) -> String {
    let payload = serde_json::json!([
        e.seq,
        e.occurred_at,
        e.user_id,
        e.username,
        e.client_addr,
        e.action,
        e.subject_type,
        e.subject_id,
        e.org_unit_id,
        e.org_path,
        e.detail,
    ]);
    let mut h = Sha256::new();
    h.update(e.prev_hash.as_bytes());
    h.update(payload.to_string().as_bytes());
    hex::encode(h.finalize())
}

/// Appends one entry inside `tx`. The first statement updates the chain head, which takes
/// its row lock on PostgreSQL (SQLite's single writer serialises anyway), so concurrent
/// appenders line up and the chain never forks.
pub async fn append(tx: &mut Tx, actor: &Actor, a: NewAccess) -> StoreResult<i64> {
    let head = sqlx::query("UPDATE chain_heads SET seq = seq + 1 WHERE name = $1 RETURNING seq, hash")
        .bind(CHAIN)
        .fetch_one(tx.conn())
        .await?;
    let mut e = AccessEntry {
        seq: head.int("seq")?,
        occurred_at: time::to_db(chrono::Utc::now()),
        user_id: actor.user_id,
        username: actor.username.clone(),
        client_addr: actor.client_addr.clone(),
        action: a.action.to_string(),
        subject_type: a.subject_type.to_string(),
        subject_id: a.subject_id,
        org_unit_id: a.org_unit_id,
        org_path: a.org_path,
        detail: a.detail,
        prev_hash: head.text("hash")?,
        hash: String::new(),
    };
    e.hash = entry_hash(&e);
    sqlx::query(
        "INSERT INTO access_log (seq, occurred_at, user_id, username, client_addr, action, subject_type, subject_id, \
         org_unit_id, org_path, detail, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)",
    )
    .bind(e.seq)
    .bind(e.occurred_at.clone())
    .bind(e.user_id)
    .bind(e.username.clone())
    .bind(e.client_addr.clone())
    .bind(e.action.clone())
    .bind(e.subject_type.clone())
    .bind(e.subject_id.clone())
    .bind(e.org_unit_id)
    .bind(e.org_path.clone())
    .bind(e.detail.clone())
    .bind(e.prev_hash.clone())
    .bind(e.hash.clone())
    .execute(tx.conn())
    .await?;
    sqlx::query("UPDATE chain_heads SET hash = $1 WHERE name = $2").bind(e.hash).bind(CHAIN).execute(tx.conn()).await?;
    Ok(e.seq)
}

fn from_row(r: &AnyRow) -> StoreResult<AccessEntry> {
    Ok(AccessEntry {
        seq: r.int("seq")?,
        occurred_at: r.text("occurred_at")?,
        user_id: r.int_opt("user_id")?,
        username: r.text("username")?,
        client_addr: r.text_opt("client_addr")?,
        action: r.text("action")?,
        subject_type: r.text("subject_type")?,
        subject_id: r.text("subject_id")?,
        org_unit_id: r.int_opt("org_unit_id")?,
        org_path: r.text("org_path")?,
        detail: r.text("detail")?,
        prev_hash: r.text("prev_hash")?,
        hash: r.text("hash")?,
    })
}

pub async fn search(store: &Store, f: &LogFilter) -> StoreResult<(Vec<AccessEntry>, i64)> {
    let mut count = Sql::new("SELECT COUNT(*) AS n FROM access_log");
    f.apply(&mut count, "username", "subject_type", "subject_id");
    let total = count.query().fetch_one(store.reader()).await?.int("n")?;
    let mut sql = Sql::new("SELECT * FROM access_log");
    f.apply(&mut sql, "username", "subject_type", "subject_id");
    sql.push(" ORDER BY seq DESC LIMIT ").bind(f.limit).push(" OFFSET ").bind(f.offset);
    let rows = sql.query().fetch_all(store.reader()).await?;
    Ok((rows.iter().map(from_row).collect::<StoreResult<_>>()?, total))
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ChainReport {
    pub entries: i64,
    /// `None` when the whole chain checks out.
    pub first_break: Option<ChainBreak>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ChainBreak {
    pub seq: i64,
    pub reason: &'static str,
}

impl ChainReport {
    pub fn ok(&self) -> bool {
        self.first_break.is_none()
    }
}

/// Walks the whole chain in order and reports the first entry that does not fit: a changed
/// field (`hash_mismatch`), a removed or reordered entry (`sequence_gap`, `prev_hash_mismatch`),
/// or a truncated tail (`head_mismatch`).
pub async fn verify(store: &Store) -> StoreResult<ChainReport> {
    const PAGE: i64 = 5000;
    let mut prev_hash = GENESIS.to_string();
    let mut expected_seq = 1;
    let mut entries = 0;
    loop {
        let rows = sqlx::query("SELECT * FROM access_log WHERE seq >= $1 ORDER BY seq LIMIT $2")
            .bind(expected_seq)
            .bind(PAGE)
            .fetch_all(store.reader())
            .await?;
        let n = rows.len();
        for r in &rows {
            let e = from_row(r)?;
            let brk = |reason| Ok(ChainReport { entries, first_break: Some(ChainBreak { seq: e.seq, reason }) });
            if e.seq != expected_seq {
                return brk("sequence_gap");
            }
            if e.prev_hash != prev_hash {
                return brk("prev_hash_mismatch");
            }
            if entry_hash(&e) != e.hash {
                return brk("hash_mismatch");
            }
            prev_hash = e.hash;
            expected_seq += 1;
            entries += 1;
        }
        if (n as i64) < PAGE {
            break;
        }
    }
    let head =
        sqlx::query("SELECT seq, hash FROM chain_heads WHERE name = $1").bind(CHAIN).fetch_one(store.reader()).await?;
    if head.int("seq")? != entries || head.text("hash")? != prev_hash {
        return Ok(ChainReport {
            entries,
            first_break: Some(ChainBreak { seq: entries + 1, reason: "head_mismatch" }),
        });
    }
    Ok(ChainReport { entries, first_break: None })
}

/// Reads the `seq` column of the newest entry (used by tests and the review page).
pub async fn last_seq(store: &Store) -> StoreResult<i64> {
    let r = sqlx::query("SELECT seq FROM chain_heads WHERE name = $1").bind(CHAIN).fetch_one(store.reader()).await?;
    Ok(r.try_get::<i64, _>("seq")?)
}
