//! Failed sign-ins per client address, read from the audit trail (every failed attempt is
//! already an audit event with the address), so the limit holds across restarts and across
//! several server processes sharing one database.

use crate::db::Store;
use crate::error::StoreResult;
use crate::row::RowExt;

/// Audit actions that count as a failed attempt from an address. A refusal by the limit
/// itself (`login_rate_limited`) does not count, so the window ends on time.
pub const FAILURE_ACTIONS: [&str; 3] = ["login_failed", "account_locked", "login_refused_locked"];

/// Failed attempts from `client_addr` at or after `since` (canonical UTC text).
pub async fn failures_since(store: &Store, client_addr: &str, since: &str) -> StoreResult<i64> {
    let r = sqlx::query(
        "SELECT COUNT(*) AS n FROM audit_events WHERE client_addr = $1 AND occurred_at >= $2 \
         AND action IN ($3, $4, $5)",
    )
    .bind(client_addr.to_string())
    .bind(since.to_string())
    .bind(FAILURE_ACTIONS[0])
    .bind(FAILURE_ACTIONS[1])
    .bind(FAILURE_ACTIONS[2])
    .fetch_one(store.reader())
    .await?;
    r.int("n")
}
