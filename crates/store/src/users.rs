//! Accounts and their role assignments.

use chrono::{DateTime, Utc};
use gajok_domain::code_list::CodeList;
use gajok_domain::role::Role;
use gajok_domain::time;
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::db::{Store, Tx};
use crate::error::{StoreError, StoreResult, classify};
use crate::row::{RowExt, flag};
use crate::sql::{Sql, escape_like};

#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub phone: Option<String>,
    pub home_org_id: i64,
    #[serde(skip)]
    pub password_hash: String,
    pub must_change_password: bool,
    pub failed_attempts: i64,
    pub locked_until: Option<String>,
    pub active: bool,
    pub created_at: String,
    pub updated_at: String,
    pub password_changed_at: Option<String>,
    pub last_login_at: Option<String>,
}

impl User {
    pub fn locked_at(&self, now: DateTime<Utc>) -> bool {
        self.locked_until.as_deref().and_then(time::from_db).is_some_and(|t| t > now)
    }
}

fn from_row(r: &AnyRow) -> StoreResult<User> {
    Ok(User {
        id: r.int("id")?,
        username: r.text("username")?,
        display_name: r.text("display_name")?,
        phone: r.text_opt("phone")?,
        home_org_id: r.int("home_org_id")?,
        password_hash: r.text("password_hash")?,
        must_change_password: r.flag("must_change_password")?,
        failed_attempts: r.int("failed_attempts")?,
        locked_until: r.text_opt("locked_until")?,
        active: r.flag("active")?,
        created_at: r.text("created_at")?,
        updated_at: r.text("updated_at")?,
        password_changed_at: r.text_opt("password_changed_at")?,
        last_login_at: r.text_opt("last_login_at")?,
    })
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RoleAssignment {
    pub id: i64,
    pub user_id: i64,
    pub role: Role,
    pub org_unit_id: i64,
    pub org_path: String,
    pub org_name: String,
}

pub async fn get<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(ex: E, id: i64) -> StoreResult<Option<User>> {
    let r = sqlx::query("SELECT * FROM users WHERE id = $1").bind(id).fetch_optional(ex).await?;
    r.as_ref().map(from_row).transpose()
}

pub async fn by_username(store: &Store, username: &str) -> StoreResult<Option<User>> {
    let r = sqlx::query("SELECT * FROM users WHERE username = $1")
        .bind(username.to_string())
        .fetch_optional(store.reader())
        .await?;
    r.as_ref().map(from_row).transpose()
}

pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub phone: Option<String>,
    pub home_org_id: i64,
    pub password_hash: String,
    pub must_change_password: bool,
}

pub async fn insert(tx: &mut Tx, u: &NewUser) -> StoreResult<User> {
    let now = time::to_db(Utc::now());
    let r = sqlx::query(
        "INSERT INTO users (username, display_name, phone, home_org_id, password_hash, must_change_password, \
         failed_attempts, active, created_at, updated_at, password_changed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 0, 1, $7, $7, $7) RETURNING id",
    )
    .bind(u.username.clone())
    .bind(u.display_name.clone())
    .bind(u.phone.clone())
    .bind(u.home_org_id)
    .bind(u.password_hash.clone())
    .bind(flag(u.must_change_password))
    .bind(now)
    .fetch_one(tx.conn())
    .await
    .map_err(classify)?;
    let id = r.int("id")?;
    get(tx.conn(), id).await?.ok_or_else(|| StoreError::Corrupt(format!("user {id} vanished")))
}

pub async fn set_password(tx: &mut Tx, id: i64, hash: &str, must_change: bool) -> StoreResult<()> {
    let now = time::to_db(Utc::now());
    sqlx::query(
        "UPDATE users SET password_hash = $1, must_change_password = $2, password_changed_at = $3, updated_at = $3, \
         failed_attempts = 0, locked_until = NULL WHERE id = $4",
    )
    .bind(hash.to_string())
    .bind(flag(must_change))
    .bind(now)
    .bind(id)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Counts a failed login and locks the account once `max_attempts` is reached.
/// Returns the attempts now recorded and whether the account is now locked.
pub async fn record_failure(
    tx: &mut Tx,
    id: i64,
    max_attempts: i64,
    lock_until: DateTime<Utc>,
) -> StoreResult<(i64, bool)> {
    let r =
        sqlx::query("UPDATE users SET failed_attempts = failed_attempts + 1 WHERE id = $1 RETURNING failed_attempts")
            .bind(id)
            .fetch_one(tx.conn())
            .await?;
    let n = r.int("failed_attempts")?;
    if n >= max_attempts {
        sqlx::query("UPDATE users SET locked_until = $1, failed_attempts = 0 WHERE id = $2")
            .bind(time::to_db(lock_until))
            .bind(id)
            .execute(tx.conn())
            .await?;
        return Ok((n, true));
    }
    Ok((n, false))
}

pub async fn record_login(tx: &mut Tx, id: i64) -> StoreResult<()> {
    sqlx::query("UPDATE users SET failed_attempts = 0, locked_until = NULL, last_login_at = $1 WHERE id = $2")
        .bind(time::to_db(Utc::now()))
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

pub async fn unlock(tx: &mut Tx, id: i64) -> StoreResult<()> {
    sqlx::query("UPDATE users SET failed_attempts = 0, locked_until = NULL, updated_at = $1 WHERE id = $2")
        .bind(time::to_db(Utc::now()))
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

pub async fn update_profile(
    tx: &mut Tx,
    id: i64,
    display_name: &str,
    phone: Option<&str>,
    active: bool,
) -> StoreResult<()> {
    sqlx::query("UPDATE users SET display_name = $1, phone = $2, active = $3, updated_at = $4 WHERE id = $5")
        .bind(display_name.to_string())
        .bind(phone.map(str::to_string))
        .bind(flag(active))
        .bind(time::to_db(Utc::now()))
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

fn role_from_row(r: &AnyRow) -> StoreResult<RoleAssignment> {
    Ok(RoleAssignment {
        id: r.int("id")?,
        user_id: r.int("user_id")?,
        role: r.code("role")?,
        org_unit_id: r.int("org_unit_id")?,
        org_path: r.text("path")?,
        org_name: r.text("name")?,
    })
}

pub async fn roles<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    ex: E,
    user_id: i64,
) -> StoreResult<Vec<RoleAssignment>> {
    let rows = sqlx::query(
        "SELECT ra.id, ra.user_id, ra.role, ra.org_unit_id, o.path, o.name FROM role_assignments ra \
         JOIN org_units o ON o.id = ra.org_unit_id WHERE ra.user_id = $1 ORDER BY ra.id",
    )
    .bind(user_id)
    .fetch_all(ex)
    .await?;
    rows.iter().map(role_from_row).collect()
}

pub async fn add_role(tx: &mut Tx, user_id: i64, role: Role, org_unit_id: i64, by: Option<i64>) -> StoreResult<i64> {
    let r = sqlx::query(
        "INSERT INTO role_assignments (user_id, role, org_unit_id, created_at, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(user_id)
    .bind(role.code())
    .bind(org_unit_id)
    .bind(time::to_db(Utc::now()))
    .bind(by)
    .fetch_one(tx.conn())
    .await
    .map_err(classify)?;
    r.int("id")
}

pub async fn remove_role(tx: &mut Tx, assignment_id: i64) -> StoreResult<()> {
    sqlx::query("DELETE FROM role_assignments WHERE id = $1").bind(assignment_id).execute(tx.conn()).await?;
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    /// Path prefixes: users whose home org is inside them.
    pub scopes: Vec<String>,
    pub q: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

pub async fn list(store: &Store, f: &UserFilter) -> StoreResult<(Vec<User>, i64)> {
    let build = |select: &str| {
        let mut sql = Sql::new(select);
        sql.push(" FROM users u JOIN org_units o ON o.id = u.home_org_id WHERE ").any_prefix("o.path", &f.scopes);
        if let Some(q) = f.q.as_deref().filter(|q| !q.is_empty()) {
            let pat = format!("%{}%", escape_like(q));
            sql.push(" AND (u.username LIKE ").bind(pat.as_str()).push(" ESCAPE '\\' OR u.display_name LIKE ");
            sql.bind(pat).push(" ESCAPE '\\')");
        }
        sql
    };
    let total = build("SELECT COUNT(*) AS n").query().fetch_one(store.reader()).await?.int("n")?;
    let mut sql = build("SELECT u.*");
    sql.push(" ORDER BY u.username LIMIT ").bind(f.limit).push(" OFFSET ").bind(f.offset);
    let rows = sql.query().fetch_all(store.reader()).await?;
    Ok((rows.iter().map(from_row).collect::<StoreResult<_>>()?, total))
}

pub fn role_codes() -> Vec<&'static str> {
    Role::codes()
}
