//! The toy and book library: catalogue, loans, disinfection log.

use gajok_domain::code_list::CodeList;
use gajok_domain::nanumteo::{DisinfectionKind, ItemKind};
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::db::{Store, Tx};
use crate::error::StoreResult;
use crate::row::{RowExt, flag};
use crate::sql::{Sql, escape_like};

#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub id: i64,
    pub center_id: i64,
    pub space_id: i64,
    pub barcode: String,
    pub kind: ItemKind,
    pub name: String,
    pub lendable: bool,
    pub acquired_on: String,
    /// The open loan, if the item is out.
    pub on_loan: Option<i64>,
}

fn item_from_row(r: &AnyRow) -> StoreResult<Item> {
    Ok(Item {
        id: r.int("id")?,
        center_id: r.int("center_id")?,
        space_id: r.int("space_id")?,
        barcode: r.text("barcode")?,
        kind: r.code("kind")?,
        name: r.text("name")?,
        lendable: r.flag("lendable")?,
        acquired_on: r.text("acquired_on")?,
        on_loan: r.int_opt("on_loan")?,
    })
}

const ITEM_SELECT: &str = "SELECT i.*, (SELECT l.id FROM nanumteo_loans l WHERE l.item_id = i.id AND l.returned_on IS NULL) AS on_loan FROM nanumteo_items i";

pub struct NewItem<'a> {
    pub space_id: i64,
    pub barcode: &'a str,
    pub kind: ItemKind,
    pub name: &'a str,
    pub lendable: bool,
    pub acquired_on: &'a str,
}

/// None when the barcode is already used in the center (checked first: a failed insert would
/// abort the whole transaction on PostgreSQL).
pub async fn insert_item(tx: &mut Tx, center_id: i64, n: &NewItem<'_>) -> StoreResult<Option<i64>> {
    let taken = sqlx::query("SELECT id FROM nanumteo_items WHERE center_id = $1 AND barcode = $2")
        .bind(center_id)
        .bind(n.barcode.to_string())
        .fetch_optional(tx.conn())
        .await?;
    if taken.is_some() {
        return Ok(None);
    }
    let r = sqlx::query(
        "INSERT INTO nanumteo_items (center_id, space_id, barcode, kind, name, lendable, acquired_on) \
         VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id",
    )
    .bind(center_id)
    .bind(n.space_id)
    .bind(n.barcode.to_string())
    .bind(n.kind.code())
    .bind(n.name.to_string())
    .bind(flag(n.lendable))
    .bind(n.acquired_on.to_string())
    .fetch_one(tx.conn())
    .await?;
    Ok(Some(r.int("id")?))
}

/// One page of a space's catalogue in barcode order, narrowed to barcodes or names containing
/// `q` when it is not empty, and the number of items that match.
pub async fn items(store: &Store, space_id: i64, q: &str, limit: i64, offset: i64) -> StoreResult<(Vec<Item>, i64)> {
    let filter = |sql: &mut Sql| {
        sql.bind(space_id).push(" AND i.active = 1");
        if !q.is_empty() {
            let pat = format!("%{}%", escape_like(q));
            sql.push(" AND (UPPER(i.barcode) LIKE ").bind(pat.to_uppercase()).push(" ESCAPE '\\' OR i.name LIKE ");
            sql.bind(pat).push(" ESCAPE '\\')");
        }
    };
    let mut count = Sql::new("SELECT COUNT(*) AS n FROM nanumteo_items i WHERE i.space_id = ");
    filter(&mut count);
    let total = count.query().fetch_one(store.reader()).await?.int("n")?;
    let mut sql = Sql::new(&format!("{ITEM_SELECT} WHERE i.space_id = "));
    filter(&mut sql);
    sql.push(" ORDER BY i.barcode LIMIT ").bind(limit).push(" OFFSET ").bind(offset);
    let rows = sql.query().fetch_all(store.reader()).await?;
    Ok((rows.iter().map(item_from_row).collect::<StoreResult<_>>()?, total))
}

pub async fn item_by_barcode(store: &Store, center_id: i64, barcode: &str) -> StoreResult<Option<Item>> {
    let sql = format!("{ITEM_SELECT} WHERE i.center_id = $1 AND i.barcode = $2");
    let r = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(center_id)
        .bind(barcode.to_string())
        .fetch_optional(store.reader())
        .await?;
    r.as_ref().map(item_from_row).transpose()
}

#[derive(Debug, Clone, Serialize)]
pub struct Loan {
    pub id: i64,
    pub center_id: i64,
    pub space_id: i64,
    pub item_id: i64,
    pub item_name: String,
    pub barcode: String,
    pub member_id: i64,
    pub member_name: String,
    pub loaned_on: String,
    pub due_on: String,
    pub renewals: i64,
    pub returned_on: Option<String>,
    pub late_days: i64,
    pub late_fee: i64,
    pub suspended_until: Option<String>,
}

fn loan_from_row(r: &AnyRow) -> StoreResult<Loan> {
    Ok(Loan {
        id: r.int("id")?,
        center_id: r.int("center_id")?,
        space_id: r.int("space_id")?,
        item_id: r.int("item_id")?,
        item_name: r.text("item_name")?,
        barcode: r.text("barcode")?,
        member_id: r.int("member_id")?,
        member_name: r.text("member_name")?,
        loaned_on: r.text("loaned_on")?,
        due_on: r.text("due_on")?,
        renewals: r.int("renewals")?,
        returned_on: r.text_opt("returned_on")?,
        late_days: r.int("late_days")?,
        late_fee: r.int("late_fee")?,
        suspended_until: r.text_opt("suspended_until")?,
    })
}

const LOAN_SELECT: &str = "SELECT l.*, i.name AS item_name, i.barcode, m.name AS member_name FROM nanumteo_loans l \
     JOIN nanumteo_items i ON i.id = l.item_id JOIN members m ON m.id = l.member_id";

/// Inserts a loan only if the item has no open loan (checked in the same statement, so two
/// desks cannot lend one toy twice). None when it is already out.
pub async fn insert_loan(
    tx: &mut Tx,
    center_id: i64,
    space_id: i64,
    item_id: i64,
    member_id: i64,
    loaned_on: &str,
    due_on: &str,
) -> StoreResult<Option<i64>> {
    let r = sqlx::query(
        "INSERT INTO nanumteo_loans (center_id, space_id, item_id, member_id, loaned_on, due_on) \
         SELECT $1,$2,$3,$4,$5,$6 WHERE NOT EXISTS \
         (SELECT 1 FROM nanumteo_loans WHERE item_id = $3 AND returned_on IS NULL) RETURNING id",
    )
    .bind(center_id)
    .bind(space_id)
    .bind(item_id)
    .bind(member_id)
    .bind(loaned_on.to_string())
    .bind(due_on.to_string())
    .fetch_optional(tx.conn())
    .await?;
    r.map(|r| r.int("id")).transpose()
}

pub async fn loan(store: &Store, id: i64) -> StoreResult<Option<Loan>> {
    let sql = format!("{LOAN_SELECT} WHERE l.id = $1");
    let r = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(store.reader()).await?;
    r.as_ref().map(loan_from_row).transpose()
}

pub async fn open_loans(store: &Store, space_id: i64) -> StoreResult<Vec<Loan>> {
    let sql = format!("{LOAN_SELECT} WHERE l.space_id = $1 AND l.returned_on IS NULL ORDER BY l.due_on, l.id");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(space_id).fetch_all(store.reader()).await?;
    rows.iter().map(loan_from_row).collect()
}

pub async fn recent_returns(store: &Store, space_id: i64, limit: i64) -> StoreResult<Vec<Loan>> {
    let sql = format!(
        "{LOAN_SELECT} WHERE l.space_id = $1 AND l.returned_on IS NOT NULL ORDER BY l.returned_on DESC, l.id DESC LIMIT $2"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(space_id).bind(limit).fetch_all(store.reader()).await?;
    rows.iter().map(loan_from_row).collect()
}

/// The latest suspension end of a member, if any.
pub async fn suspended_until(store: &Store, member_id: i64) -> StoreResult<Option<String>> {
    let r = sqlx::query("SELECT MAX(suspended_until) AS s FROM nanumteo_loans WHERE member_id = $1")
        .bind(member_id)
        .fetch_one(store.reader())
        .await?;
    r.text_opt("s")
}

pub async fn close_loan(
    tx: &mut Tx,
    id: i64,
    returned_on: &str,
    late_days: i64,
    late_fee: i64,
    suspended_until: Option<&str>,
    damage_note: Option<&str>,
) -> StoreResult<bool> {
    let n = sqlx::query(
        "UPDATE nanumteo_loans SET returned_on = $1, late_days = $2, late_fee = $3, suspended_until = $4, damage_note = $5 \
         WHERE id = $6 AND returned_on IS NULL",
    )
    .bind(returned_on.to_string())
    .bind(late_days)
    .bind(late_fee)
    .bind(suspended_until.map(str::to_string))
    .bind(damage_note.map(str::to_string))
    .bind(id)
    .execute(tx.conn())
    .await?
    .rows_affected();
    Ok(n == 1)
}

pub async fn renew(tx: &mut Tx, id: i64, new_due: &str, expected_renewals: i64) -> StoreResult<bool> {
    let n = sqlx::query(
        "UPDATE nanumteo_loans SET due_on = $1, renewals = renewals + 1 WHERE id = $2 AND renewals = $3 AND returned_on IS NULL",
    )
    .bind(new_due.to_string())
    .bind(id)
    .bind(expected_renewals)
    .execute(tx.conn())
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Loans made by a center between two dates (the 대여건수 of the monthly report).
pub async fn count_loans(store: &Store, center_id: i64, from: &str, to: &str) -> StoreResult<i64> {
    let r = sqlx::query(
        "SELECT COUNT(*) AS n FROM nanumteo_loans WHERE center_id = $1 AND loaned_on >= $2 AND loaned_on <= $3",
    )
    .bind(center_id)
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_one(store.reader())
    .await?;
    r.int("n")
}

#[derive(Debug, Clone, Serialize)]
pub struct Disinfection {
    pub id: i64,
    pub done_on: String,
    pub kind: DisinfectionKind,
    pub item_name: Option<String>,
    pub note: Option<String>,
}

/// One disinfection: on return (with the item), daily, weekly or monthly.
pub struct NewDisinfection<'a> {
    pub space_id: i64,
    pub done_on: &'a str,
    pub kind: DisinfectionKind,
    pub item_id: Option<i64>,
    pub note: Option<&'a str>,
    pub by: Option<i64>,
}

pub async fn insert_disinfection(tx: &mut Tx, center_id: i64, d: &NewDisinfection<'_>) -> StoreResult<i64> {
    let r = sqlx::query(
        "INSERT INTO nanumteo_disinfections (center_id, space_id, done_on, kind, item_id, note, done_by) \
         VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id",
    )
    .bind(center_id)
    .bind(d.space_id)
    .bind(d.done_on.to_string())
    .bind(d.kind.code())
    .bind(d.item_id)
    .bind(d.note.map(str::to_string))
    .bind(d.by)
    .fetch_one(tx.conn())
    .await?;
    r.int("id")
}

pub async fn disinfections(store: &Store, space_id: i64, limit: i64) -> StoreResult<Vec<Disinfection>> {
    let rows = sqlx::query(
        "SELECT d.*, i.name AS item_name FROM nanumteo_disinfections d LEFT JOIN nanumteo_items i ON i.id = d.item_id \
         WHERE d.space_id = $1 ORDER BY d.done_on DESC, d.id DESC LIMIT $2",
    )
    .bind(space_id)
    .bind(limit)
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Disinfection {
                id: r.int("id")?,
                done_on: r.text("done_on")?,
                kind: r.code("kind")?,
                item_name: r.text_opt("item_name")?,
                note: r.text_opt("note")?,
            })
        })
        .collect()
}

/// The last day each kind of disinfection was done in the space.
pub async fn last_disinfection(store: &Store, space_id: i64, kind: DisinfectionKind) -> StoreResult<Option<String>> {
    let r = sqlx::query("SELECT MAX(done_on) AS d FROM nanumteo_disinfections WHERE space_id = $1 AND kind = $2")
        .bind(space_id)
        .bind(kind.code())
        .fetch_one(store.reader())
        .await?;
    r.text_opt("d")
}
