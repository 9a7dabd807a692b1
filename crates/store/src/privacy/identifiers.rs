//! Storage of a member's encrypted unique identifier (외국인등록번호). The store sees only
//! ciphertext, key ids, keyed hashes and the masked form; encryption is the app's job.

use serde::Serialize;

use crate::db::{Store, Tx};
use crate::error::StoreResult;
use crate::row::RowExt;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Sealed {
    pub member_id: i64,
    /// Hex of nonce || ciphertext (with tag).
    pub ciphertext: String,
    pub key_id: String,
    pub hash: String,
    pub masked: String,
}

pub async fn put(tx: &mut Tx, s: &Sealed) -> StoreResult<()> {
    sqlx::query(
        "UPDATE members SET foreign_id_ct = $1, foreign_id_key = $2, foreign_id_hash = $3, foreign_id_masked = $4 \
         WHERE id = $5",
    )
    .bind(s.ciphertext.clone())
    .bind(s.key_id.clone())
    .bind(s.hash.clone())
    .bind(s.masked.clone())
    .bind(s.member_id)
    .execute(tx.conn())
    .await?;
    Ok(())
}

fn sealed(r: &sqlx::any::AnyRow) -> StoreResult<Sealed> {
    Ok(Sealed {
        member_id: r.int("id")?,
        ciphertext: r.text("foreign_id_ct")?,
        key_id: r.text("foreign_id_key")?,
        hash: r.text("foreign_id_hash")?,
        masked: r.text("foreign_id_masked")?,
    })
}

pub async fn get<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    ex: E,
    member_id: i64,
) -> StoreResult<Option<Sealed>> {
    let r = sqlx::query(
        "SELECT id, foreign_id_ct, foreign_id_key, foreign_id_hash, foreign_id_masked FROM members \
         WHERE id = $1 AND foreign_id_ct IS NOT NULL",
    )
    .bind(member_id)
    .fetch_optional(ex)
    .await?;
    r.as_ref().map(sealed).transpose()
}

/// Masked identifiers of several members (for lists).
pub async fn masked(store: &Store, member_id: i64) -> StoreResult<Option<String>> {
    let r = sqlx::query("SELECT foreign_id_masked FROM members WHERE id = $1")
        .bind(member_id)
        .fetch_optional(store.reader())
        .await?;
    Ok(match r {
        Some(r) => r.text_opt("foreign_id_masked")?,
        None => None,
    })
}

/// Members of the given centers whose keyed hash matches (exact lookup).
pub async fn find_by_hash(store: &Store, center_ids: &[i64], hash: &str) -> StoreResult<Vec<i64>> {
    let rows = sqlx::query("SELECT id, center_id FROM members WHERE foreign_id_hash = $1 ORDER BY id")
        .bind(hash.to_string())
        .fetch_all(store.reader())
        .await?;
    let mut out = Vec::new();
    for r in &rows {
        if center_ids.contains(&r.int("center_id")?) {
            out.push(r.int("id")?);
        }
    }
    Ok(out)
}

/// Every stored identifier not sealed with `key_id` (the rotation's work list), a batch at a time.
pub async fn not_under_key(tx: &mut Tx, key_id: &str, limit: i64) -> StoreResult<Vec<Sealed>> {
    let rows = sqlx::query(
        "SELECT id, foreign_id_ct, foreign_id_key, foreign_id_hash, foreign_id_masked FROM members \
         WHERE foreign_id_ct IS NOT NULL AND foreign_id_key <> $1 ORDER BY id LIMIT $2",
    )
    .bind(key_id.to_string())
    .bind(limit)
    .fetch_all(tx.conn())
    .await?;
    rows.iter().map(sealed).collect()
}

/// Every stored identifier (for re-hashing or verification), a page at a time by id.
pub async fn all_after(store: &Store, after_id: i64, limit: i64) -> StoreResult<Vec<Sealed>> {
    let rows = sqlx::query(
        "SELECT id, foreign_id_ct, foreign_id_key, foreign_id_hash, foreign_id_masked FROM members \
         WHERE foreign_id_ct IS NOT NULL AND id > $1 ORDER BY id LIMIT $2",
    )
    .bind(after_id)
    .bind(limit)
    .fetch_all(store.reader())
    .await?;
    rows.iter().map(sealed).collect()
}
