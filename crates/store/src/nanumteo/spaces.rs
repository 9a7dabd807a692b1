//! The registry of a space (a site of kind `nanumteo`) and the members' health flags.

use chrono::Utc;
use gajok_domain::code_list::CodeList;
use gajok_domain::nanumteo::{HealthStatus, Ownership, Placement};
use gajok_domain::time;
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::db::{Store, Tx};
use crate::error::StoreResult;
use crate::row::{RowExt, flag};

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SpaceData {
    pub placement: Placement,
    pub ownership: Ownership,
    pub pledge_until: Option<String>,
    pub area_m2: i64,
    pub remodelled: bool,
    pub all_day: bool,
    pub military_housing: bool,
    pub open_time: String,
    pub close_time: String,
    /// ISO weekday digits, e.g. "12345" or "23456".
    pub open_days: String,
    pub saturday_open: Option<String>,
    pub saturday_close: Option<String>,
    pub saturday_approved_on: Option<String>,
    pub cctv_units: i64,
    pub cctv_megapixels_x10: i64,
    pub cctv_retention_days: i64,
    pub injury_insurance_until: Option<String>,
    pub fire_insurance_until: Option<String>,
    pub found_on: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Space {
    pub org_unit_id: i64,
    pub center_id: i64,
    pub name: String,
    pub code: String,
    pub address: Option<String>,
    pub version: i64,
    pub data: SpaceData,
}

fn from_row(r: &AnyRow) -> StoreResult<Space> {
    Ok(Space {
        org_unit_id: r.int("org_unit_id")?,
        center_id: r.int("center_id")?,
        name: r.text("name")?,
        code: r.text("code")?,
        address: r.text_opt("address")?,
        version: r.int("version")?,
        data: SpaceData {
            placement: r.code("placement")?,
            ownership: r.code("ownership")?,
            pledge_until: r.text_opt("pledge_until")?,
            area_m2: r.int("area_m2")?,
            remodelled: r.flag("remodelled")?,
            all_day: r.flag("all_day")?,
            military_housing: r.flag("military_housing")?,
            open_time: r.text("open_time")?,
            close_time: r.text("close_time")?,
            open_days: r.text("open_days")?,
            saturday_open: r.text_opt("saturday_open")?,
            saturday_close: r.text_opt("saturday_close")?,
            saturday_approved_on: r.text_opt("saturday_approved_on")?,
            cctv_units: r.int("cctv_units")?,
            cctv_megapixels_x10: r.int("cctv_megapixels_x10")?,
            cctv_retention_days: r.int("cctv_retention_days")?,
            injury_insurance_until: r.text_opt("injury_insurance_until")?,
            fire_insurance_until: r.text_opt("fire_insurance_until")?,
            found_on: r.text_opt("found_on")?,
        },
    })
}

const SELECT: &str =
    "SELECT s.*, o.name, o.code, o.address FROM nanumteo_spaces s JOIN org_units o ON o.id = s.org_unit_id";

pub async fn get<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(ex: E, site_id: i64) -> StoreResult<Option<Space>> {
    let sql = format!("{SELECT} WHERE s.org_unit_id = $1");
    let r = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(site_id).fetch_optional(ex).await?;
    r.as_ref().map(from_row).transpose()
}

pub async fn of_center(store: &Store, center_id: i64) -> StoreResult<Vec<Space>> {
    let sql = format!("{SELECT} WHERE s.center_id = $1 ORDER BY o.code");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(center_id).fetch_all(store.reader()).await?;
    rows.iter().map(from_row).collect()
}

/// Nanumteo sites of a center that have no registry row yet (shown with a "register" form).
pub async fn unregistered_sites(store: &Store, center_id: i64) -> StoreResult<Vec<(i64, String)>> {
    let rows = sqlx::query(
        "SELECT o.id, o.name FROM org_units o JOIN sites s ON s.org_unit_id = o.id \
         WHERE o.parent_id = $1 AND s.site_kind = 'nanumteo' \
         AND NOT EXISTS (SELECT 1 FROM nanumteo_spaces n WHERE n.org_unit_id = o.id) ORDER BY o.code",
    )
    .bind(center_id)
    .fetch_all(store.reader())
    .await?;
    rows.iter().map(|r| Ok((r.int("id")?, r.text("name")?))).collect()
}

/// Inserts or replaces the registry row; `expected_version` None inserts. False on a stale version.
pub async fn put(
    tx: &mut Tx,
    site_id: i64,
    center_id: i64,
    expected_version: Option<i64>,
    d: &SpaceData,
) -> StoreResult<bool> {
    let now = time::to_db(Utc::now());
    if let Some(v) = expected_version {
        let n = sqlx::query("DELETE FROM nanumteo_spaces WHERE org_unit_id = $1 AND version = $2")
            .bind(site_id)
            .bind(v)
            .execute(tx.conn())
            .await?
            .rows_affected();
        if n == 0 {
            return Ok(false);
        }
    }
    let version = expected_version.map_or(1, |v| v + 1);
    sqlx::query(
        "INSERT INTO nanumteo_spaces (org_unit_id, center_id, placement, ownership, pledge_until, area_m2, remodelled, \
         all_day, military_housing, open_time, close_time, open_days, saturday_open, saturday_close, saturday_approved_on, \
         cctv_units, cctv_megapixels_x10, cctv_retention_days, injury_insurance_until, fire_insurance_until, found_on, \
         version, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23)",
    )
    .bind(site_id)
    .bind(center_id)
    .bind(d.placement.code())
    .bind(d.ownership.code())
    .bind(d.pledge_until.clone())
    .bind(d.area_m2)
    .bind(flag(d.remodelled))
    .bind(flag(d.all_day))
    .bind(flag(d.military_housing))
    .bind(d.open_time.clone())
    .bind(d.close_time.clone())
    .bind(d.open_days.clone())
    .bind(d.saturday_open.clone())
    .bind(d.saturday_close.clone())
    .bind(d.saturday_approved_on.clone())
    .bind(d.cctv_units)
    .bind(d.cctv_megapixels_x10)
    .bind(d.cctv_retention_days)
    .bind(d.injury_insurance_until.clone())
    .bind(d.fire_insurance_until.clone())
    .bind(d.found_on.clone())
    .bind(version)
    .bind(now)
    .execute(tx.conn())
    .await?;
    Ok(true)
}

#[derive(Debug, Clone, Serialize)]
pub struct HealthFlag {
    pub id: i64,
    pub member_id: i64,
    pub status: HealthStatus,
    pub note: Option<String>,
    pub flagged_on: String,
    pub cleared_on: Option<String>,
}

fn flag_from_row(r: &AnyRow) -> StoreResult<HealthFlag> {
    Ok(HealthFlag {
        id: r.int("id")?,
        member_id: r.int("member_id")?,
        status: r.code("status")?,
        note: r.text_opt("note")?,
        flagged_on: r.text("flagged_on")?,
        cleared_on: r.text_opt("cleared_on")?,
    })
}

pub async fn insert_flag(
    tx: &mut Tx,
    center_id: i64,
    member_id: i64,
    status: HealthStatus,
    note: Option<&str>,
    on: &str,
    by: i64,
) -> StoreResult<i64> {
    let r = sqlx::query(
        "INSERT INTO nanumteo_health_flags (center_id, member_id, status, note, flagged_on, created_by) \
         VALUES ($1,$2,$3,$4,$5,$6) RETURNING id",
    )
    .bind(center_id)
    .bind(member_id)
    .bind(status.code())
    .bind(note.map(str::to_string))
    .bind(on.to_string())
    .bind(by)
    .fetch_one(tx.conn())
    .await?;
    r.int("id")
}

pub async fn clear_flag(tx: &mut Tx, id: i64, on: &str) -> StoreResult<bool> {
    let n = sqlx::query("UPDATE nanumteo_health_flags SET cleared_on = $1 WHERE id = $2 AND cleared_on IS NULL")
        .bind(on.to_string())
        .bind(id)
        .execute(tx.conn())
        .await?
        .rows_affected();
    Ok(n == 1)
}

pub async fn flag_by_id(store: &Store, id: i64) -> StoreResult<Option<(i64, HealthFlag)>> {
    let r = sqlx::query("SELECT * FROM nanumteo_health_flags WHERE id = $1")
        .bind(id)
        .fetch_optional(store.reader())
        .await?;
    r.map(|r| Ok((r.int("center_id")?, flag_from_row(&r)?))).transpose()
}

/// Open flags of the given members.
pub async fn open_flags(store: &Store, member_ids: &[i64]) -> StoreResult<Vec<HealthFlag>> {
    let mut out = Vec::new();
    for id in member_ids {
        let rows =
            sqlx::query("SELECT * FROM nanumteo_health_flags WHERE member_id = $1 AND cleared_on IS NULL ORDER BY id")
                .bind(*id)
                .fetch_all(store.reader())
                .await?;
        for r in &rows {
            out.push(flag_from_row(r)?);
        }
    }
    Ok(out)
}
