//! Server-side sessions. The cookie carries a random token; only its hash is stored, so a
//! copy of the database does not hand out live sessions.

use chrono::Utc;
use gajok_domain::time;

use crate::db::{Store, Tx};
use crate::error::StoreResult;
use crate::row::RowExt;

#[derive(Debug, Clone)]
pub struct Session {
    pub token_hash: String,
    pub user_id: i64,
    pub created_at: String,
    pub last_seen_at: String,
}

pub async fn create(
    tx: &mut Tx,
    token_hash: &str,
    user_id: i64,
    addr: Option<&str>,
    agent: Option<&str>,
) -> StoreResult<()> {
    let now = time::to_db(Utc::now());
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, client_addr, user_agent) VALUES ($1, $2, $3, $3, $4, $5)",
    )
    .bind(token_hash.to_string())
    .bind(user_id)
    .bind(now)
    .bind(addr.map(str::to_string))
    .bind(agent.map(|a| a.chars().take(200).collect::<String>()))
    .execute(tx.conn())
    .await?;
    Ok(())
}

pub async fn get(store: &Store, token_hash: &str) -> StoreResult<Option<Session>> {
    let r = sqlx::query("SELECT token_hash, user_id, created_at, last_seen_at FROM sessions WHERE token_hash = $1")
        .bind(token_hash.to_string())
        .fetch_optional(store.reader())
        .await?;
    r.map(|r| {
        Ok(Session {
            token_hash: r.text("token_hash")?,
            user_id: r.int("user_id")?,
            created_at: r.text("created_at")?,
            last_seen_at: r.text("last_seen_at")?,
        })
    })
    .transpose()
}

pub async fn touch(store: &Store, token_hash: &str) -> StoreResult<()> {
    let mut tx = store.begin().await?;
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
        .bind(time::to_db(Utc::now()))
        .bind(token_hash.to_string())
        .execute(tx.conn())
        .await?;
    tx.commit().await
}

pub async fn delete(tx: &mut Tx, token_hash: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash.to_string()).execute(tx.conn()).await?;
    Ok(())
}

pub async fn delete_for_user(tx: &mut Tx, user_id: i64) -> StoreResult<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(tx.conn()).await?;
    Ok(())
}

/// Removes sessions idle since before `cutoff` (canonical UTC text). Returns how many.
pub async fn purge_idle(store: &Store, cutoff: &str) -> StoreResult<u64> {
    let mut tx = store.begin().await?;
    let n = sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1")
        .bind(cutoff.to_string())
        .execute(tx.conn())
        .await?
        .rows_affected();
    tx.commit().await?;
    Ok(n)
}

/// Test hook: moves a session's last activity into the past.
pub async fn set_last_seen(store: &Store, token_hash: &str, at: &str) -> StoreResult<()> {
    let mut tx = store.begin().await?;
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
        .bind(at.to_string())
        .bind(token_hash.to_string())
        .execute(tx.conn())
        .await?;
    tx.commit().await
}
