//! Separate storage (별도 보관, 개인정보 보호법 제21조제3항): records another law requires to keep
//! once the person's own retention has ended. The retention run copies them here before it
//! anonymises the person and deletes them when their own period ends. Only the privacy
//! officer's pages read this table; no ordinary query joins it.

use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;

use crate::db::{Store, Tx};
use crate::error::{StoreError, StoreResult};
use crate::row::RowExt;
use crate::sql::Sql;

/// The source table of a fee receipt.
pub const LOANS: &str = "nanumteo_loans";

/// What a late-fee receipt keeps as cash-book evidence, and nothing more (the loan record has
/// no phone, so none is kept).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FeeReceipt {
    pub payer_name: String,
    /// The day the fee was received (the return day).
    pub received_on: String,
    pub late_days: i64,
    pub amount_won: i64,
    pub item_barcode: String,
    pub item_name: String,
}

/// A late fee received from a member not yet anonymised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptSource {
    pub loan_id: i64,
    pub center_id: i64,
    pub org_path: String,
    pub member_id: i64,
    pub receipt: FeeReceipt,
}

/// Late fees received on or after `from` (YYYY-MM-DD) from members not yet anonymised, oldest
/// first, of one member when `only_member` says so (a deletion request). The caller picks the
/// payers and the receipts still within their own retention.
pub async fn fee_receipts(store: &Store, from: &str, only_member: Option<i64>) -> StoreResult<Vec<ReceiptSource>> {
    let mut sql = Sql::new(
        "SELECT l.id, l.center_id, o.path, l.member_id, m.name AS payer_name, l.returned_on, l.late_days, l.late_fee, \
         i.barcode, i.name AS item_name FROM nanumteo_loans l JOIN members m ON m.id = l.member_id \
         JOIN nanumteo_items i ON i.id = l.item_id JOIN org_units o ON o.id = l.center_id \
         WHERE l.late_fee > 0 AND l.returned_on IS NOT NULL AND m.anonymised_at IS NULL AND l.returned_on >= ",
    );
    sql.bind(from.to_string());
    if let Some(m) = only_member {
        sql.push(" AND l.member_id = ").bind(m);
    }
    sql.push(" ORDER BY l.returned_on, l.id");
    let rows = sql.query().fetch_all(store.reader()).await?;
    rows.iter()
        .map(|r| {
            Ok(ReceiptSource {
                loan_id: r.int("id")?,
                center_id: r.int("center_id")?,
                org_path: r.text("path")?,
                member_id: r.int("member_id")?,
                receipt: FeeReceipt {
                    payer_name: r.text("payer_name")?,
                    received_on: r.text("returned_on")?,
                    late_days: r.int("late_days")?,
                    amount_won: r.int("late_fee")?,
                    item_barcode: r.text("barcode")?,
                    item_name: r.text("item_name")?,
                },
            })
        })
        .collect()
}

/// One record in separate storage.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Separated {
    pub id: i64,
    pub center_id: i64,
    pub center_name: Option<String>,
    pub org_path: String,
    pub record_kind: String,
    pub source_table: String,
    pub source_id: i64,
    pub payload_json: String,
    pub keep_until: String,
    pub legal_basis: String,
    pub moved_at: String,
    pub moved_by: String,
}

impl Separated {
    /// The payload of a fee receipt.
    pub fn fee_receipt(&self) -> StoreResult<FeeReceipt> {
        serde_json::from_str(&self.payload_json)
            .map_err(|e| StoreError::Corrupt(format!("separated_records {}: {e}", self.id)))
    }
}

fn from_row(r: &AnyRow) -> StoreResult<Separated> {
    Ok(Separated {
        id: r.int("id")?,
        center_id: r.int("center_id")?,
        center_name: r.text_opt("center_name")?,
        org_path: r.text("org_path")?,
        record_kind: r.text("record_kind")?,
        source_table: r.text("source_table")?,
        source_id: r.int("source_id")?,
        payload_json: r.text("payload_json")?,
        keep_until: r.text("keep_until")?,
        legal_basis: r.text("legal_basis")?,
        moved_at: r.text("moved_at")?,
        moved_by: r.text("moved_by")?,
    })
}

/// A record to copy into separate storage.
#[derive(Debug, Clone)]
pub struct NewSeparated<'a> {
    pub center_id: i64,
    pub org_path: &'a str,
    pub record_kind: &'a str,
    pub source_table: &'static str,
    pub source_id: i64,
    pub keep_until: &'a str,
    pub legal_basis: &'a str,
    pub moved_at: &'a str,
    pub moved_by: &'a str,
}

/// Copies a receipt into separate storage in the run's transaction (once per source record:
/// a second copy is skipped).
pub async fn insert_receipt(tx: &mut Tx, n: &NewSeparated<'_>, receipt: &FeeReceipt) -> StoreResult<()> {
    let payload = serde_json::to_string(receipt).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    sqlx::query(
        "INSERT INTO separated_records (center_id, org_path, record_kind, source_table, source_id, payload_json, \
         keep_until, legal_basis, moved_at, moved_by) SELECT $1,$2,$3,$4,$5,$6,$7,$8,$9,$10 WHERE NOT EXISTS \
         (SELECT 1 FROM separated_records WHERE source_table = $4 AND source_id = $5)",
    )
    .bind(n.center_id)
    .bind(n.org_path.to_string())
    .bind(n.record_kind.to_string())
    .bind(n.source_table)
    .bind(n.source_id)
    .bind(payload)
    .bind(n.keep_until.to_string())
    .bind(n.legal_basis.to_string())
    .bind(n.moved_at.to_string())
    .bind(n.moved_by.to_string())
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Records kept through a day before `as_of` (YYYY-MM-DD): (id, center id).
pub async fn expired(store: &Store, as_of: &str) -> StoreResult<Vec<(i64, i64)>> {
    let rows = sqlx::query("SELECT id, center_id FROM separated_records WHERE keep_until < $1 ORDER BY id")
        .bind(as_of.to_string())
        .fetch_all(store.reader())
        .await?;
    rows.iter().map(|r| Ok((r.int("id")?, r.int("center_id")?))).collect()
}

const SELECT: &str = "SELECT s.*, o.name AS center_name FROM separated_records s \
     LEFT JOIN org_units o ON o.id = s.center_id";

/// Records under any of the path prefixes, those kept longest last.
pub async fn list(store: &Store, prefixes: &[String], limit: i64) -> StoreResult<Vec<Separated>> {
    let mut sql = Sql::new(&format!("{SELECT} WHERE "));
    sql.any_prefix("s.org_path", prefixes);
    sql.push(" ORDER BY s.keep_until, s.id LIMIT ").bind(limit);
    let rows = sql.query().fetch_all(store.reader()).await?;
    rows.iter().map(from_row).collect()
}

/// How many records each kind has under the path prefixes.
pub async fn counts(store: &Store, prefixes: &[String]) -> StoreResult<Vec<(String, i64)>> {
    let mut sql = Sql::new("SELECT record_kind, COUNT(*) AS n FROM separated_records WHERE ");
    sql.any_prefix("org_path", prefixes);
    sql.push(" GROUP BY record_kind ORDER BY record_kind");
    let rows = sql.query().fetch_all(store.reader()).await?;
    rows.iter().map(|r| Ok((r.text("record_kind")?, r.int("n")?))).collect()
}

pub async fn get(store: &Store, id: i64) -> StoreResult<Option<Separated>> {
    let r = sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE s.id = $1")))
        .bind(id)
        .fetch_optional(store.reader())
        .await?;
    r.as_ref().map(from_row).transpose()
}
