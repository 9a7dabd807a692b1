//! 공동육아나눔터 safety records: checklists with their items, temperature and humidity
//! readings, outside inspections, and the CCTV viewing-request ledger.

use chrono::Utc;
use gajok_domain::code_list::CodeList;
use gajok_domain::nanumteo_safety::{CctvRequester, CctvStatus, ChecklistKind, InspectionKind, ItemResult};
use gajok_domain::time;
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::db::{Store, Tx};
use crate::error::StoreResult;
use crate::row::RowExt;

// --- Checklists -------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize)]
pub struct Checklist {
    pub id: i64,
    pub center_id: i64,
    pub space_id: i64,
    pub kind: ChecklistKind,
    pub checked_on: String,
    pub rules_edition: String,
    pub inspector_id: i64,
    pub inspector_name: String,
    pub confirmer_id: Option<i64>,
    pub confirmer_name: Option<String>,
    pub confirmed_at: Option<String>,
    /// Items marked 불량 (filled by list queries).
    pub poor: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemEntry {
    pub item_no: i64,
    pub result: ItemResult,
    pub other_text: Option<String>,
    pub action_taken: Option<String>,
    pub followed_up_on: Option<String>,
    pub follow_up: Option<String>,
}

fn checklist_from_row(r: &AnyRow) -> StoreResult<Checklist> {
    Ok(Checklist {
        id: r.int("id")?,
        center_id: r.int("center_id")?,
        space_id: r.int("space_id")?,
        kind: r.code("kind")?,
        checked_on: r.text("checked_on")?,
        rules_edition: r.text("rules_edition")?,
        inspector_id: r.int("inspector_id")?,
        inspector_name: r.text("inspector_name")?,
        confirmer_id: r.int_opt("confirmer_id")?,
        confirmer_name: r.text_opt("confirmer_name")?,
        confirmed_at: r.text_opt("confirmed_at")?,
        poor: r.int("poor")?,
    })
}

fn item_from_row(r: &AnyRow) -> StoreResult<ItemEntry> {
    Ok(ItemEntry {
        item_no: r.int("item_no")?,
        result: r.code("result")?,
        other_text: r.text_opt("other_text")?,
        action_taken: r.text_opt("action_taken")?,
        followed_up_on: r.text_opt("followed_up_on")?,
        follow_up: r.text_opt("follow_up")?,
    })
}

const CHECKLIST_SELECT: &str = "SELECT c.*, (SELECT COUNT(*) FROM nanumteo_checklist_items i \
     WHERE i.checklist_id = c.id AND i.result = 'poor') AS poor FROM nanumteo_checklists c";

pub struct NewChecklist<'a> {
    pub space_id: i64,
    pub kind: ChecklistKind,
    pub checked_on: &'a str,
    pub rules_edition: &'a str,
    pub inspector_id: i64,
    pub inspector_name: &'a str,
}

/// Inserts a checklist with its items in the caller's transaction.
pub async fn insert_checklist(
    tx: &mut Tx,
    center_id: i64,
    c: &NewChecklist<'_>,
    items: &[ItemEntry],
) -> StoreResult<i64> {
    let r = sqlx::query(
        "INSERT INTO nanumteo_checklists (center_id, space_id, kind, checked_on, rules_edition, inspector_id, \
         inspector_name, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id",
    )
    .bind(center_id)
    .bind(c.space_id)
    .bind(c.kind.code())
    .bind(c.checked_on.to_string())
    .bind(c.rules_edition.to_string())
    .bind(c.inspector_id)
    .bind(c.inspector_name.to_string())
    .bind(time::to_db(Utc::now()))
    .fetch_one(tx.conn())
    .await?;
    let id = r.int("id")?;
    for it in items {
        sqlx::query(
            "INSERT INTO nanumteo_checklist_items (checklist_id, center_id, item_no, result, other_text, action_taken) \
             VALUES ($1,$2,$3,$4,$5,$6)",
        )
        .bind(id)
        .bind(center_id)
        .bind(it.item_no)
        .bind(it.result.code())
        .bind(it.other_text.clone())
        .bind(it.action_taken.clone())
        .execute(tx.conn())
        .await?;
    }
    Ok(id)
}

pub async fn checklist(store: &Store, id: i64) -> StoreResult<Option<(Checklist, Vec<ItemEntry>)>> {
    let sql = format!("{CHECKLIST_SELECT} WHERE c.id = $1");
    let Some(r) = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(store.reader()).await? else {
        return Ok(None);
    };
    let c = checklist_from_row(&r)?;
    let rows = sqlx::query("SELECT * FROM nanumteo_checklist_items WHERE checklist_id = $1 ORDER BY item_no")
        .bind(id)
        .fetch_all(store.reader())
        .await?;
    let items = rows.iter().map(item_from_row).collect::<StoreResult<Vec<_>>>()?;
    Ok(Some((c, items)))
}

/// Checklists of a space between two dates (inclusive), newest first.
pub async fn checklists(store: &Store, space_id: i64, from: &str, to: &str) -> StoreResult<Vec<Checklist>> {
    let sql = format!(
        "{CHECKLIST_SELECT} WHERE c.space_id = $1 AND c.checked_on >= $2 AND c.checked_on <= $3 \
         ORDER BY c.checked_on DESC, c.id DESC"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(space_id)
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(store.reader())
        .await?;
    rows.iter().map(checklist_from_row).collect()
}

/// The newest checklist of a kind in a space, if any.
pub async fn last_checklist(store: &Store, space_id: i64, kind: ChecklistKind) -> StoreResult<Option<Checklist>> {
    let sql = format!(
        "{CHECKLIST_SELECT} WHERE c.space_id = $1 AND c.kind = $2 ORDER BY c.checked_on DESC, c.id DESC LIMIT 1"
    );
    let r =
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(space_id).bind(kind.code()).fetch_optional(store.reader()).await?;
    r.as_ref().map(checklist_from_row).transpose()
}

/// The confirmer signs; false when already confirmed.
pub async fn confirm(tx: &mut Tx, id: i64, user_id: i64, name: &str) -> StoreResult<bool> {
    let n = sqlx::query(
        "UPDATE nanumteo_checklists SET confirmer_id = $1, confirmer_name = $2, confirmed_at = $3 \
         WHERE id = $4 AND confirmer_id IS NULL",
    )
    .bind(user_id)
    .bind(name.to_string())
    .bind(time::to_db(Utc::now()))
    .bind(id)
    .execute(tx.conn())
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Records the follow-up of a 불량 item; false when there is no such poor item.
pub async fn follow_up(tx: &mut Tx, checklist_id: i64, item_no: i64, on: &str, text: &str) -> StoreResult<bool> {
    let n = sqlx::query(
        "UPDATE nanumteo_checklist_items SET followed_up_on = $1, follow_up = $2 \
         WHERE checklist_id = $3 AND item_no = $4 AND result = 'poor'",
    )
    .bind(on.to_string())
    .bind(text.to_string())
    .bind(checklist_id)
    .bind(item_no)
    .execute(tx.conn())
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// 불량 items of a space's checklists between two dates: (checklist, item), oldest first.
pub async fn poor_items(
    store: &Store,
    space_id: i64,
    from: &str,
    to: &str,
) -> StoreResult<Vec<(Checklist, ItemEntry)>> {
    let sql = format!(
        "{CHECKLIST_SELECT} WHERE c.space_id = $1 AND c.checked_on >= $2 AND c.checked_on <= $3 \
         AND EXISTS (SELECT 1 FROM nanumteo_checklist_items x WHERE x.checklist_id = c.id AND x.result = 'poor') \
         ORDER BY c.checked_on, c.id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(space_id)
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(store.reader())
        .await?;
    let mut out = Vec::new();
    for r in &rows {
        let c = checklist_from_row(r)?;
        let items = sqlx::query(
            "SELECT * FROM nanumteo_checklist_items WHERE checklist_id = $1 AND result = 'poor' ORDER BY item_no",
        )
        .bind(c.id)
        .fetch_all(store.reader())
        .await?;
        for i in &items {
            out.push((c.clone(), item_from_row(i)?));
        }
    }
    Ok(out)
}

// --- Readings ---------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize)]
pub struct Reading {
    pub id: i64,
    pub space_id: i64,
    pub read_on: String,
    pub read_at: String,
    pub temperature_x10: i64,
    pub humidity: i64,
}

/// A temperature and humidity reading as recorded.
pub struct NewReading<'a> {
    pub space_id: i64,
    pub on: &'a str,
    pub at: &'a str,
    pub temperature_x10: i64,
    pub humidity: i64,
}

pub async fn insert_reading(tx: &mut Tx, center_id: i64, n: &NewReading<'_>, by: i64) -> StoreResult<i64> {
    let r = sqlx::query(
        "INSERT INTO nanumteo_readings (center_id, space_id, read_on, read_at, temperature_x10, humidity, recorded_by, \
         created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id",
    )
    .bind(center_id)
    .bind(n.space_id)
    .bind(n.on.to_string())
    .bind(n.at.to_string())
    .bind(n.temperature_x10)
    .bind(n.humidity)
    .bind(by)
    .bind(time::to_db(Utc::now()))
    .fetch_one(tx.conn())
    .await?;
    r.int("id")
}

/// Readings of a space between two dates, newest first.
pub async fn readings(store: &Store, space_id: i64, from: &str, to: &str) -> StoreResult<Vec<Reading>> {
    let rows = sqlx::query(
        "SELECT * FROM nanumteo_readings WHERE space_id = $1 AND read_on >= $2 AND read_on <= $3 \
         ORDER BY read_on DESC, read_at DESC, id DESC",
    )
    .bind(space_id)
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Reading {
                id: r.int("id")?,
                space_id: r.int("space_id")?,
                read_on: r.text("read_on")?,
                read_at: r.text("read_at")?,
                temperature_x10: r.int("temperature_x10")?,
                humidity: r.int("humidity")?,
            })
        })
        .collect()
}

// --- Inspections ------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize)]
pub struct Inspection {
    pub id: i64,
    pub space_id: i64,
    pub kind: InspectionKind,
    pub done_on: String,
    pub agency: Option<String>,
    pub note: Option<String>,
}

/// An outside inspection as recorded.
pub struct NewInspection<'a> {
    pub space_id: i64,
    pub kind: InspectionKind,
    pub on: &'a str,
    pub agency: Option<&'a str>,
    pub note: Option<&'a str>,
}

pub async fn insert_inspection(tx: &mut Tx, center_id: i64, n: &NewInspection<'_>, by: i64) -> StoreResult<i64> {
    let r = sqlx::query(
        "INSERT INTO nanumteo_inspections (center_id, space_id, kind, done_on, agency, note, recorded_by, created_at) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id",
    )
    .bind(center_id)
    .bind(n.space_id)
    .bind(n.kind.code())
    .bind(n.on.to_string())
    .bind(n.agency.map(str::to_string))
    .bind(n.note.map(str::to_string))
    .bind(by)
    .bind(time::to_db(Utc::now()))
    .fetch_one(tx.conn())
    .await?;
    r.int("id")
}

/// Inspections of a space, newest first.
pub async fn inspections(store: &Store, space_id: i64) -> StoreResult<Vec<Inspection>> {
    let rows = sqlx::query("SELECT * FROM nanumteo_inspections WHERE space_id = $1 ORDER BY done_on DESC, id DESC")
        .bind(space_id)
        .fetch_all(store.reader())
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Inspection {
                id: r.int("id")?,
                space_id: r.int("space_id")?,
                kind: r.code("kind")?,
                done_on: r.text("done_on")?,
                agency: r.text_opt("agency")?,
                note: r.text_opt("note")?,
            })
        })
        .collect()
}

// --- CCTV viewing ledger ----------------------------------------------------------------

#[derive(Debug, Clone, Serialize)]
pub struct CctvRequest {
    pub id: i64,
    pub center_id: i64,
    pub space_id: i64,
    pub requested_on: String,
    pub requester_kind: CctvRequester,
    pub requester_name: String,
    pub requester_contact: Option<String>,
    pub purpose: String,
    pub file_name: String,
    pub footage_from: String,
    pub footage_to: String,
    pub status: CctvStatus,
    pub decided_on: Option<String>,
    pub decision_note: Option<String>,
    pub deletion_confirmed_on: Option<String>,
    pub deletion_confirmer: Option<String>,
}

pub struct NewCctvRequest<'a> {
    pub space_id: i64,
    pub requested_on: &'a str,
    pub requester_kind: CctvRequester,
    pub requester_name: &'a str,
    pub requester_contact: Option<&'a str>,
    pub purpose: &'a str,
    pub file_name: &'a str,
    pub footage_from: &'a str,
    pub footage_to: &'a str,
}

fn cctv_from_row(r: &AnyRow) -> StoreResult<CctvRequest> {
    Ok(CctvRequest {
        id: r.int("id")?,
        center_id: r.int("center_id")?,
        space_id: r.int("space_id")?,
        requested_on: r.text("requested_on")?,
        requester_kind: r.code("requester_kind")?,
        requester_name: r.text("requester_name")?,
        requester_contact: r.text_opt("requester_contact")?,
        purpose: r.text("purpose")?,
        file_name: r.text("file_name")?,
        footage_from: r.text("footage_from")?,
        footage_to: r.text("footage_to")?,
        status: r.code("status")?,
        decided_on: r.text_opt("decided_on")?,
        decision_note: r.text_opt("decision_note")?,
        deletion_confirmed_on: r.text_opt("deletion_confirmed_on")?,
        deletion_confirmer: r.text_opt("confirmer_name")?,
    })
}

const CCTV_SELECT: &str = "SELECT r.*, u.display_name AS confirmer_name FROM nanumteo_cctv_requests r \
     LEFT JOIN users u ON u.id = r.deletion_confirmed_by";

pub async fn insert_cctv(tx: &mut Tx, center_id: i64, n: &NewCctvRequest<'_>, by: i64) -> StoreResult<i64> {
    let r = sqlx::query(
        "INSERT INTO nanumteo_cctv_requests (center_id, space_id, requested_on, requester_kind, requester_name, \
         requester_contact, purpose, file_name, footage_from, footage_to, status, recorded_by, created_at) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,'requested',$11,$12) RETURNING id",
    )
    .bind(center_id)
    .bind(n.space_id)
    .bind(n.requested_on.to_string())
    .bind(n.requester_kind.code())
    .bind(n.requester_name.to_string())
    .bind(n.requester_contact.map(str::to_string))
    .bind(n.purpose.to_string())
    .bind(n.file_name.to_string())
    .bind(n.footage_from.to_string())
    .bind(n.footage_to.to_string())
    .bind(by)
    .bind(time::to_db(Utc::now()))
    .fetch_one(tx.conn())
    .await?;
    r.int("id")
}

pub async fn cctv(store: &Store, id: i64) -> StoreResult<Option<CctvRequest>> {
    let sql = format!("{CCTV_SELECT} WHERE r.id = $1");
    let r = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(store.reader()).await?;
    r.as_ref().map(cctv_from_row).transpose()
}

pub async fn cctv_of_space(store: &Store, space_id: i64) -> StoreResult<Vec<CctvRequest>> {
    let sql = format!("{CCTV_SELECT} WHERE r.space_id = $1 ORDER BY r.requested_on DESC, r.id DESC");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(space_id).fetch_all(store.reader()).await?;
    rows.iter().map(cctv_from_row).collect()
}

/// Approves or denies a pending request; false when it was already decided.
pub async fn decide_cctv(
    tx: &mut Tx,
    id: i64,
    status: CctvStatus,
    on: &str,
    note: Option<&str>,
    by: i64,
) -> StoreResult<bool> {
    let n = sqlx::query(
        "UPDATE nanumteo_cctv_requests SET status = $1, decided_on = $2, decision_note = $3, decided_by = $4 \
         WHERE id = $5 AND status = 'requested'",
    )
    .bind(status.code())
    .bind(on.to_string())
    .bind(note.map(str::to_string))
    .bind(by)
    .bind(id)
    .execute(tx.conn())
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// The head confirms the footage was deleted; false when already confirmed.
pub async fn confirm_cctv_deletion(tx: &mut Tx, id: i64, on: &str, by: i64) -> StoreResult<bool> {
    let n = sqlx::query(
        "UPDATE nanumteo_cctv_requests SET deletion_confirmed_on = $1, deletion_confirmed_by = $2 \
         WHERE id = $3 AND deletion_confirmed_on IS NULL",
    )
    .bind(on.to_string())
    .bind(by)
    .bind(id)
    .execute(tx.conn())
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Ledger lines recorded on or before `cutoff` (their 3 years are over), per center: the
/// retention run destroys them.
pub async fn expired_cctv(store: &Store, cutoff: &str) -> StoreResult<Vec<(i64, i64)>> {
    let rows = sqlx::query("SELECT id, center_id FROM nanumteo_cctv_requests WHERE requested_on <= $1 ORDER BY id")
        .bind(cutoff.to_string())
        .fetch_all(store.reader())
        .await?;
    rows.iter().map(|r| Ok((r.int("id")?, r.int("center_id")?))).collect()
}
