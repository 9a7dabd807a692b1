//! A family joining an existing 품앗이 group (with the group's consent) and the orientation
//! every joining family owes (PM-11).

use crate::db::Tx;
use crate::error::StoreResult;
use crate::row::RowExt;

/// Whether the family is already in the group.
pub async fn is_member(tx: &mut Tx, group_id: i64, family_id: i64) -> StoreResult<bool> {
    let r = sqlx::query("SELECT COUNT(*) AS n FROM pumasi_group_families WHERE group_id = $1 AND family_id = $2")
        .bind(group_id)
        .bind(family_id)
        .fetch_one(tx.conn())
        .await?;
    Ok(r.int("n")? > 0)
}

/// Records the family's orientation; false when the family is not in the group.
pub async fn set_orientation(tx: &mut Tx, group_id: i64, family_id: i64, on: &str) -> StoreResult<bool> {
    let n = sqlx::query("UPDATE pumasi_group_families SET orientation_on = $1 WHERE group_id = $2 AND family_id = $3")
        .bind(on.to_string())
        .bind(group_id)
        .bind(family_id)
        .execute(tx.conn())
        .await?
        .rows_affected();
    Ok(n == 1)
}
