//! The privacy officer's monthly access-log review: one sign-off per org unit and month.

use serde::Serialize;

use crate::db::{Store, Tx};
use crate::error::{StoreResult, classify};
use crate::row::RowExt;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SignOff {
    pub id: i64,
    pub org_unit_id: i64,
    pub org_path: String,
    /// YYYY-MM (KST)
    pub month: String,
    pub entries: i64,
    pub flagged: i64,
    pub chain_ok: bool,
    pub chain_entries: i64,
    pub signed_by_id: i64,
    pub signed_by: String,
    pub signed_at: String,
    pub note: String,
}

/// Records a sign-off; a second one for the same unit and month is a duplicate.
pub async fn sign(tx: &mut Tx, s: &SignOff) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO access_reviews (org_unit_id, org_path, month, entries, flagged, chain_ok, chain_entries, \
         signed_by_id, signed_by, signed_at, note) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)",
    )
    .bind(s.org_unit_id)
    .bind(s.org_path.clone())
    .bind(s.month.clone())
    .bind(s.entries)
    .bind(s.flagged)
    .bind(crate::row::flag(s.chain_ok))
    .bind(s.chain_entries)
    .bind(s.signed_by_id)
    .bind(s.signed_by.clone())
    .bind(s.signed_at.clone())
    .bind(s.note.clone())
    .execute(tx.conn())
    .await
    .map_err(classify)?;
    Ok(())
}

pub async fn get(store: &Store, org_unit_id: i64, month: &str) -> StoreResult<Option<SignOff>> {
    let r = sqlx::query("SELECT * FROM access_reviews WHERE org_unit_id = $1 AND month = $2")
        .bind(org_unit_id)
        .bind(month.to_string())
        .fetch_optional(store.reader())
        .await?;
    r.map(|r| {
        Ok(SignOff {
            id: r.int("id")?,
            org_unit_id: r.int("org_unit_id")?,
            org_path: r.text("org_path")?,
            month: r.text("month")?,
            entries: r.int("entries")?,
            flagged: r.int("flagged")?,
            chain_ok: r.flag("chain_ok")?,
            chain_entries: r.int("chain_entries")?,
            signed_by_id: r.int("signed_by_id")?,
            signed_by: r.text("signed_by")?,
            signed_at: r.text("signed_at")?,
            note: r.text("note")?,
        })
    })
    .transpose()
}
