//! Institutions: the org-unit tree, the center registry and sites.

use chrono::Utc;
use gajok_domain::code_list::CodeList;
use gajok_domain::org::{
    CenterCategory, CenterForm, CenterType, CorporationMatch, Employment, FundingForm, OperationForm, OrgKind,
    ParentProvincialCenter, SiteKind, SpaceOwnership, TrusteeType,
};
use gajok_domain::time;
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::db::{Store, Tx};
use crate::error::{StoreError, StoreResult, classify};
use crate::row::{RowExt, flag};
use crate::sql::{Sql, escape_like};

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct OrgUnit {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub kind: OrgKind,
    pub code: String,
    pub name: String,
    pub path: String,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub active: bool,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl OrgUnit {
    /// Ids of the ancestors, root first, from the materialised path.
    pub fn ancestor_ids(&self) -> Vec<i64> {
        self.path.split('/').filter_map(|p| p.parse().ok()).filter(|id| *id != self.id).collect()
    }
}

/// The center registry's master fields (seed 002 L1399–1417).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CenterDetails {
    pub center_type: CenterType,
    pub category: CenterCategory,
    pub parent_provincial_center: Option<ParentProvincialCenter>,
    pub center_form: CenterForm,
    pub operation_form: OperationForm,
    pub funding_form: FundingForm,
    pub head_name: Option<String>,
    pub head_employment: Option<Employment>,
    pub corporation_match: Option<CorporationMatch>,
    pub trustee_name: Option<String>,
    pub trustee_type: Option<TrusteeType>,
    /// `YYYY-MM-DD`
    pub entrustment_start: Option<String>,
    pub entrustment_end: Option<String>,
    pub space_ownership: Option<SpaceOwnership>,
    pub opened_on: Option<String>,
    /// 인허가번호, issued by the city/province so the center may use the system.
    pub license_no: Option<String>,
    pub staff_count: Option<i64>,
    pub national_funding: bool,
    pub liability_insurance: bool,
    pub integrated_service: bool,
    /// 면접교섭서비스 지원기관 (seed 000).
    pub visitation_service: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SiteDetails {
    pub site_kind: SiteKind,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewUnit {
    pub parent_id: Option<i64>,
    pub kind: OrgKind,
    pub code: String,
    pub name: String,
    pub address: Option<String>,
    pub phone: Option<String>,
}

fn unit_from_row(r: &AnyRow) -> StoreResult<OrgUnit> {
    Ok(OrgUnit {
        id: r.int("id")?,
        parent_id: r.int_opt("parent_id")?,
        kind: r.code("kind")?,
        code: r.text("code")?,
        name: r.text("name")?,
        path: r.text("path")?,
        address: r.text_opt("address")?,
        phone: r.text_opt("phone")?,
        active: r.flag("active")?,
        version: r.int("version")?,
        created_at: r.text("created_at")?,
        updated_at: r.text("updated_at")?,
    })
}

const UNIT_COLS: &str =
    "id, parent_id, kind, code, name, path, address, phone, active, version, created_at, updated_at";

pub async fn get<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(ex: E, id: i64) -> StoreResult<Option<OrgUnit>> {
    let sql = format!("SELECT {UNIT_COLS} FROM org_units WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(ex).await?;
    row.as_ref().map(unit_from_row).transpose()
}

pub async fn by_code(store: &Store, code: &str) -> StoreResult<Option<OrgUnit>> {
    let sql = format!("SELECT {UNIT_COLS} FROM org_units WHERE code = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(code.to_string()).fetch_optional(store.reader()).await?;
    row.as_ref().map(unit_from_row).transpose()
}

/// Looks a code up inside a write transaction (seeding reads what it just wrote).
pub async fn by_code_tx(tx: &mut Tx, code: &str) -> StoreResult<Option<OrgUnit>> {
    let sql = format!("SELECT {UNIT_COLS} FROM org_units WHERE code = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(code.to_string()).fetch_optional(tx.conn()).await?;
    row.as_ref().map(unit_from_row).transpose()
}

/// Units by id, in the order of `ids` (missing ids are skipped).
pub async fn many(store: &Store, ids: &[i64]) -> StoreResult<Vec<OrgUnit>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new(&format!("SELECT {UNIT_COLS} FROM org_units WHERE id IN ("));
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            sql.push(",");
        }
        sql.bind(*id);
    }
    sql.push(")");
    let rows = sql.query().fetch_all(store.reader()).await?;
    let mut units: Vec<OrgUnit> = rows.iter().map(unit_from_row).collect::<StoreResult<_>>()?;
    units.sort_by_key(|u| ids.iter().position(|i| *i == u.id));
    Ok(units)
}

#[derive(Debug, Clone, Default)]
pub struct OrgFilter {
    /// Path prefixes the caller may see.
    pub scopes: Vec<String>,
    pub kind: Option<OrgKind>,
    pub parent_id: Option<i64>,
    /// Substring of name, code or address.
    pub q: Option<String>,
    pub visitation_service: Option<bool>,
    pub limit: i64,
    pub offset: i64,
}

pub async fn list(store: &Store, f: &OrgFilter) -> StoreResult<(Vec<OrgUnit>, i64)> {
    let build = |select: &str| {
        let mut sql = Sql::new(select);
        sql.push(" FROM org_units u LEFT JOIN centers c ON c.org_unit_id = u.id WHERE ");
        sql.any_prefix("u.path", &f.scopes);
        if let Some(k) = f.kind {
            sql.push(" AND u.kind = ").bind(k.code());
        }
        if let Some(p) = f.parent_id {
            sql.push(" AND u.parent_id = ").bind(p);
        }
        if let Some(v) = f.visitation_service {
            sql.push(" AND c.visitation_service = ").bind(flag(v));
        }
        if let Some(q) = f.q.as_deref().filter(|q| !q.is_empty()) {
            let pat = format!("%{}%", escape_like(q));
            sql.push(" AND (u.name LIKE ").bind(pat.as_str()).push(" ESCAPE '\\' OR u.code LIKE ");
            sql.bind(pat.to_uppercase()).push(" ESCAPE '\\' OR u.address LIKE ").bind(pat).push(" ESCAPE '\\')");
        }
        sql
    };
    let total = build("SELECT COUNT(*) AS n").query().fetch_one(store.reader()).await?.int("n")?;
    let cols: Vec<String> = UNIT_COLS.split(", ").map(|c| format!("u.{c}")).collect();
    let mut sql = build(&format!("SELECT {}", cols.join(", ")));
    sql.push(" ORDER BY u.path LIMIT ").bind(f.limit).push(" OFFSET ").bind(f.offset);
    let rows = sql.query().fetch_all(store.reader()).await?;
    Ok((rows.iter().map(unit_from_row).collect::<StoreResult<_>>()?, total))
}

pub async fn children(store: &Store, parent_id: i64) -> StoreResult<Vec<OrgUnit>> {
    let sql = format!("SELECT {UNIT_COLS} FROM org_units WHERE parent_id = $1 ORDER BY kind, name");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(parent_id).fetch_all(store.reader()).await?;
    rows.iter().map(unit_from_row).collect()
}

/// Number of units per kind below (and including) each prefix, for dashboards.
pub async fn count_by_kind(store: &Store, scopes: &[String]) -> StoreResult<Vec<(OrgKind, i64)>> {
    let mut sql = Sql::new("SELECT kind, COUNT(*) AS n FROM org_units WHERE ");
    sql.any_prefix("path", scopes).push(" GROUP BY kind");
    let rows = sql.query().fetch_all(store.reader()).await?;
    let mut out: Vec<(OrgKind, i64)> =
        rows.iter().map(|r| Ok((r.code("kind")?, r.int("n")?))).collect::<StoreResult<_>>()?;
    out.sort();
    Ok(out)
}

/// Inserts a unit under its parent and fills its path. The caller has checked the kinds.
pub async fn insert(tx: &mut Tx, u: &NewUnit) -> StoreResult<OrgUnit> {
    let parent_path = match u.parent_id {
        Some(pid) => get(tx.conn(), pid)
            .await?
            .map(|p| p.path)
            .ok_or_else(|| StoreError::Corrupt(format!("parent {pid} missing")))?,
        None => "/".to_string(),
    };
    let now = time::to_db(Utc::now());
    let row = sqlx::query(
        "INSERT INTO org_units (parent_id, kind, code, name, path, address, phone, active, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, '', $5, $6, 1, 1, $7, $7) RETURNING id",
    )
    .bind(u.parent_id)
    .bind(u.kind.code())
    .bind(u.code.clone())
    .bind(u.name.clone())
    .bind(u.address.clone())
    .bind(u.phone.clone())
    .bind(now)
    .fetch_one(tx.conn())
    .await
    .map_err(classify)?;
    let id = row.int("id")?;
    sqlx::query("UPDATE org_units SET path = $1 WHERE id = $2")
        // Zero-padded so that sorting by path lists the tree in order (parents before
        // children, siblings in creation order) on both backends.
        .bind(format!("{parent_path}{id:010}/"))
        .bind(id)
        .execute(tx.conn())
        .await?;
    get(tx.conn(), id).await?.ok_or_else(|| StoreError::Corrupt(format!("org unit {id} vanished")))
}

#[derive(Debug, Clone)]
pub struct UnitChanges {
    pub code: String,
    pub name: String,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub active: bool,
}

/// Updates a unit if it still has `expected_version` (optimistic locking: two officials
/// editing the same record do not overwrite each other silently). Returns false on a
/// version mismatch.
pub async fn update(tx: &mut Tx, id: i64, expected_version: i64, c: &UnitChanges) -> StoreResult<bool> {
    let res = sqlx::query(
        "UPDATE org_units SET code = $1, name = $2, address = $3, phone = $4, active = $5, version = version + 1, \
         updated_at = $6 WHERE id = $7 AND version = $8",
    )
    .bind(c.code.clone())
    .bind(c.name.clone())
    .bind(c.address.clone())
    .bind(c.phone.clone())
    .bind(flag(c.active))
    .bind(time::to_db(Utc::now()))
    .bind(id)
    .bind(expected_version)
    .execute(tx.conn())
    .await
    .map_err(classify)?;
    Ok(res.rows_affected() == 1)
}

fn opt_code<T: CodeList>(v: Option<T>) -> Option<String> {
    v.map(|c| c.code().to_string())
}

pub async fn put_center(tx: &mut Tx, id: i64, c: &CenterDetails) -> StoreResult<()> {
    sqlx::query("DELETE FROM centers WHERE org_unit_id = $1").bind(id).execute(tx.conn()).await?;
    sqlx::query(
        "INSERT INTO centers (org_unit_id, center_type, category, parent_provincial_center, center_form, operation_form, \
         funding_form, head_name, head_employment, corporation_match, trustee_name, trustee_type, entrustment_start, \
         entrustment_end, space_ownership, opened_on, license_no, staff_count, national_funding, liability_insurance, \
         integrated_service, visitation_service) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22)",
    )
    .bind(id)
    .bind(c.center_type.code())
    .bind(c.category.code())
    .bind(opt_code(c.parent_provincial_center))
    .bind(c.center_form.code())
    .bind(c.operation_form.code())
    .bind(c.funding_form.code())
    .bind(c.head_name.clone())
    .bind(opt_code(c.head_employment))
    .bind(opt_code(c.corporation_match))
    .bind(c.trustee_name.clone())
    .bind(opt_code(c.trustee_type))
    .bind(c.entrustment_start.clone())
    .bind(c.entrustment_end.clone())
    .bind(opt_code(c.space_ownership))
    .bind(c.opened_on.clone())
    .bind(c.license_no.clone())
    .bind(c.staff_count)
    .bind(flag(c.national_funding))
    .bind(flag(c.liability_insurance))
    .bind(flag(c.integrated_service))
    .bind(flag(c.visitation_service))
    .execute(tx.conn())
    .await?;
    Ok(())
}

pub async fn center<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    ex: E,
    id: i64,
) -> StoreResult<Option<CenterDetails>> {
    let Some(r) = sqlx::query("SELECT * FROM centers WHERE org_unit_id = $1").bind(id).fetch_optional(ex).await? else {
        return Ok(None);
    };
    Ok(Some(CenterDetails {
        center_type: r.code("center_type")?,
        category: r.code("category")?,
        parent_provincial_center: r.code_opt("parent_provincial_center")?,
        center_form: r.code("center_form")?,
        operation_form: r.code("operation_form")?,
        funding_form: r.code("funding_form")?,
        head_name: r.text_opt("head_name")?,
        head_employment: r.code_opt("head_employment")?,
        corporation_match: r.code_opt("corporation_match")?,
        trustee_name: r.text_opt("trustee_name")?,
        trustee_type: r.code_opt("trustee_type")?,
        entrustment_start: r.text_opt("entrustment_start")?,
        entrustment_end: r.text_opt("entrustment_end")?,
        space_ownership: r.code_opt("space_ownership")?,
        opened_on: r.text_opt("opened_on")?,
        license_no: r.text_opt("license_no")?,
        staff_count: r.int_opt("staff_count")?,
        national_funding: r.flag("national_funding")?,
        liability_insurance: r.flag("liability_insurance")?,
        integrated_service: r.flag("integrated_service")?,
        visitation_service: r.flag("visitation_service")?,
    }))
}

pub async fn put_site(tx: &mut Tx, id: i64, s: &SiteDetails) -> StoreResult<()> {
    sqlx::query("DELETE FROM sites WHERE org_unit_id = $1").bind(id).execute(tx.conn()).await?;
    sqlx::query("INSERT INTO sites (org_unit_id, site_kind, note) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(s.site_kind.code())
        .bind(s.note.clone())
        .execute(tx.conn())
        .await?;
    Ok(())
}

pub async fn site<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(ex: E, id: i64) -> StoreResult<Option<SiteDetails>> {
    let Some(r) = sqlx::query("SELECT * FROM sites WHERE org_unit_id = $1").bind(id).fetch_optional(ex).await? else {
        return Ok(None);
    };
    Ok(Some(SiteDetails { site_kind: r.code("site_kind")?, note: r.text_opt("note")? }))
}

/// True when no org unit exists yet (first start).
pub async fn is_empty(store: &Store) -> StoreResult<bool> {
    let r = sqlx::query("SELECT COUNT(*) AS n FROM org_units").fetch_one(store.reader()).await?;
    Ok(r.int("n")? == 0)
}
