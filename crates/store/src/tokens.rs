//! API tokens created by an administrator for a user; stored hashed, shown once.

use chrono::Utc;
use gajok_domain::time;
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::db::{Store, Tx};
use crate::error::{StoreResult, classify};
use crate::row::RowExt;

#[derive(Debug, Clone, Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: i64,
    pub username: String,
    pub name: String,
    pub token_prefix: String,
    pub created_by: i64,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

fn from_row(r: &AnyRow) -> StoreResult<ApiToken> {
    Ok(ApiToken {
        id: r.int("id")?,
        user_id: r.int("user_id")?,
        username: r.text("username")?,
        name: r.text("name")?,
        token_prefix: r.text("token_prefix")?,
        created_by: r.int("created_by")?,
        created_at: r.text("created_at")?,
        last_used_at: r.text_opt("last_used_at")?,
        revoked_at: r.text_opt("revoked_at")?,
    })
}

const COLS: &str =
    "t.id, t.user_id, u.username, t.name, t.token_prefix, t.created_by, t.created_at, t.last_used_at, t.revoked_at";

pub async fn insert(tx: &mut Tx, user_id: i64, name: &str, hash: &str, prefix: &str, by: i64) -> StoreResult<i64> {
    let r = sqlx::query(
        "INSERT INTO api_tokens (user_id, name, token_hash, token_prefix, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id",
    )
    .bind(user_id)
    .bind(name.to_string())
    .bind(hash.to_string())
    .bind(prefix.to_string())
    .bind(by)
    .bind(time::to_db(Utc::now()))
    .fetch_one(tx.conn())
    .await
    .map_err(classify)?;
    r.int("id")
}

/// The live (not revoked) token with this hash.
pub async fn by_hash(store: &Store, hash: &str) -> StoreResult<Option<ApiToken>> {
    let sql = format!(
        "SELECT {COLS} FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL"
    );
    let r = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(hash.to_string()).fetch_optional(store.reader()).await?;
    r.as_ref().map(from_row).transpose()
}

pub async fn get<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(ex: E, id: i64) -> StoreResult<Option<ApiToken>> {
    let sql = format!("SELECT {COLS} FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = $1");
    let r = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(ex).await?;
    r.as_ref().map(from_row).transpose()
}

/// Tokens of users whose home org lies in one of `scopes`.
pub async fn list(store: &Store, scopes: &[String]) -> StoreResult<Vec<ApiToken>> {
    let mut sql = crate::sql::Sql::new(&format!(
        "SELECT {COLS} FROM api_tokens t JOIN users u ON u.id = t.user_id JOIN org_units o ON o.id = u.home_org_id WHERE "
    ));
    sql.any_prefix("o.path", scopes).push(" ORDER BY t.id DESC");
    let rows = sql.query().fetch_all(store.reader()).await?;
    rows.iter().map(from_row).collect()
}

pub async fn revoke(tx: &mut Tx, id: i64) -> StoreResult<()> {
    sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
        .bind(time::to_db(Utc::now()))
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

pub async fn touch(store: &Store, id: i64) -> StoreResult<()> {
    let mut tx = store.begin().await?;
    sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
        .bind(time::to_db(Utc::now()))
        .bind(id)
        .execute(tx.conn())
        .await?;
    tx.commit().await
}
