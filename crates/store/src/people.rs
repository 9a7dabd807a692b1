//! Members (이용자), families and consent records.

use chrono::Utc;
use gajok_domain::code_list::CodeList;
use gajok_domain::people::{ConsentKind, MemberStatus, Relation, Sex};
use gajok_domain::time;
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::db::{Store, Tx};
use crate::error::{StoreError, StoreResult};
use crate::row::{RowExt, flag};
use crate::sql::{Sql, escape_like};

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Member {
    pub id: i64,
    pub center_id: i64,
    pub name: String,
    pub birth_date: String,
    pub sex: Sex,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub nationality: String,
    pub single_parent: bool,
    pub grandparent: bool,
    pub multicultural: bool,
    pub dual_income: bool,
    pub low_income: bool,
    pub family_id: Option<i64>,
    pub relation: Option<Relation>,
    pub guardian_id: Option<i64>,
    pub status: MemberStatus,
    pub version: i64,
    pub registered_on: String,
    pub created_at: String,
    pub updated_at: String,
}

/// Everything needed to insert or replace a member's data.
#[derive(Debug, Clone)]
pub struct MemberData {
    pub name: String,
    pub birth_date: String,
    pub sex: Sex,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub nationality: String,
    pub single_parent: bool,
    pub grandparent: bool,
    pub multicultural: bool,
    pub dual_income: bool,
    pub low_income: bool,
    pub family_id: Option<i64>,
    pub relation: Option<Relation>,
    pub guardian_id: Option<i64>,
}

fn member_from_row(r: &AnyRow) -> StoreResult<Member> {
    Ok(Member {
        id: r.int("id")?,
        center_id: r.int("center_id")?,
        name: r.text("name")?,
        birth_date: r.text("birth_date")?,
        sex: r.code("sex")?,
        phone: r.text_opt("phone")?,
        address: r.text_opt("address")?,
        nationality: r.text("nationality")?,
        single_parent: r.flag("single_parent")?,
        grandparent: r.flag("grandparent")?,
        multicultural: r.flag("multicultural")?,
        dual_income: r.flag("dual_income")?,
        low_income: r.flag("low_income")?,
        family_id: r.int_opt("family_id")?,
        relation: r.code_opt("relation")?,
        guardian_id: r.int_opt("guardian_id")?,
        status: r.code("status")?,
        version: r.int("version")?,
        registered_on: r.text("registered_on")?,
        created_at: r.text("created_at")?,
        updated_at: r.text("updated_at")?,
    })
}

pub async fn get<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(ex: E, id: i64) -> StoreResult<Option<Member>> {
    let r = sqlx::query("SELECT * FROM members WHERE id = $1").bind(id).fetch_optional(ex).await?;
    r.as_ref().map(member_from_row).transpose()
}

pub async fn insert(tx: &mut Tx, center_id: i64, d: &MemberData, registered_on: &str) -> StoreResult<Member> {
    let now = time::to_db(Utc::now());
    let r = sqlx::query(
        "INSERT INTO members (center_id, name, name_initials, birth_date, sex, phone, address, nationality, single_parent, \
         grandparent, multicultural, dual_income, low_income, family_id, relation, guardian_id, status, version, \
         registered_on, created_at, updated_at) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,'active',1,$17,$18,$18) RETURNING id",
    )
    .bind(center_id)
    .bind(d.name.clone())
    .bind(gajok_domain::people::initials(&d.name))
    .bind(d.birth_date.clone())
    .bind(d.sex.code())
    .bind(d.phone.clone())
    .bind(d.address.clone())
    .bind(d.nationality.clone())
    .bind(flag(d.single_parent))
    .bind(flag(d.grandparent))
    .bind(flag(d.multicultural))
    .bind(flag(d.dual_income))
    .bind(flag(d.low_income))
    .bind(d.family_id)
    .bind(d.relation.map(|r| r.code().to_string()))
    .bind(d.guardian_id)
    .bind(registered_on.to_string())
    .bind(now)
    .fetch_one(tx.conn())
    .await?;
    let id = r.int("id")?;
    get(tx.conn(), id).await?.ok_or_else(|| StoreError::Corrupt(format!("member {id} vanished")))
}

/// Replaces a member's data if the version still matches; false on a stale version.
pub async fn update(tx: &mut Tx, id: i64, expected_version: i64, d: &MemberData) -> StoreResult<bool> {
    let res = sqlx::query(
        "UPDATE members SET name = $1, name_initials = $2, birth_date = $3, sex = $4, phone = $5, address = $6, \
         nationality = $7, single_parent = $8, grandparent = $9, multicultural = $10, dual_income = $11, low_income = $12, \
         family_id = $13, relation = $14, guardian_id = $15, version = version + 1, updated_at = $16 \
         WHERE id = $17 AND version = $18",
    )
    .bind(d.name.clone())
    .bind(gajok_domain::people::initials(&d.name))
    .bind(d.birth_date.clone())
    .bind(d.sex.code())
    .bind(d.phone.clone())
    .bind(d.address.clone())
    .bind(d.nationality.clone())
    .bind(flag(d.single_parent))
    .bind(flag(d.grandparent))
    .bind(flag(d.multicultural))
    .bind(flag(d.dual_income))
    .bind(flag(d.low_income))
    .bind(d.family_id)
    .bind(d.relation.map(|r| r.code().to_string()))
    .bind(d.guardian_id)
    .bind(time::to_db(Utc::now()))
    .bind(id)
    .bind(expected_version)
    .execute(tx.conn())
    .await?;
    Ok(res.rows_affected() == 1)
}

pub async fn set_status(tx: &mut Tx, id: i64, status: MemberStatus) -> StoreResult<()> {
    sqlx::query("UPDATE members SET status = $1, version = version + 1, updated_at = $2 WHERE id = $3")
        .bind(status.code())
        .bind(time::to_db(Utc::now()))
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Members of one center with the same name, birth date and phone (the duplicate check).
pub async fn duplicates(
    store: &Store,
    center_id: i64,
    name: &str,
    birth_date: &str,
    phone: Option<&str>,
) -> StoreResult<Vec<Member>> {
    let rows = sqlx::query(
        "SELECT * FROM members WHERE center_id = $1 AND name = $2 AND birth_date = $3 AND COALESCE(phone, '') = $4",
    )
    .bind(center_id)
    .bind(name.to_string())
    .bind(birth_date.to_string())
    .bind(phone.unwrap_or("").to_string())
    .fetch_all(store.reader())
    .await?;
    rows.iter().map(member_from_row).collect()
}

#[derive(Debug, Clone, Default)]
pub struct MemberFilter {
    pub center_ids: Vec<i64>,
    /// Name fragment (2 syllables are enough), 초성 (ㄱㅁㅅ), or phone digits.
    pub q: Option<String>,
    pub family_id: Option<i64>,
    pub limit: i64,
    pub offset: i64,
}

pub async fn search(store: &Store, f: &MemberFilter) -> StoreResult<(Vec<Member>, i64)> {
    let build = |select: &str| {
        let mut sql = Sql::new(select);
        sql.push(" FROM members WHERE ");
        if f.center_ids.is_empty() {
            sql.push("1=0");
        } else {
            sql.push("center_id IN (");
            for (i, c) in f.center_ids.iter().enumerate() {
                if i > 0 {
                    sql.push(",");
                }
                sql.bind(*c);
            }
            sql.push(")");
        }
        if let Some(fam) = f.family_id {
            sql.push(" AND family_id = ").bind(fam);
        }
        if let Some(q) = f.q.as_deref().filter(|q| !q.is_empty()) {
            let digits: String = q.chars().filter(char::is_ascii_digit).collect();
            let pat = format!("%{}%", escape_like(q));
            if gajok_domain::people::is_initials_query(q) {
                sql.push(" AND name_initials LIKE ").bind(pat).push(" ESCAPE '\\'");
            } else if digits.len() >= 4 && digits.len() == q.chars().filter(|c| *c != '-').count() {
                // Phone numbers are stored hyphenated; match the digits in order.
                let dpat: String = digits.chars().map(|c| c.to_string()).collect::<Vec<_>>().join("%");
                sql.push(" AND phone LIKE ").bind(format!("%{dpat}%"));
            } else {
                sql.push(" AND name LIKE ").bind(pat).push(" ESCAPE '\\'");
            }
        }
        sql
    };
    let total = build("SELECT COUNT(*) AS n").query().fetch_one(store.reader()).await?.int("n")?;
    let mut sql = build("SELECT *");
    sql.push(" ORDER BY name, id LIMIT ").bind(f.limit).push(" OFFSET ").bind(f.offset);
    let rows = sql.query().fetch_all(store.reader()).await?;
    Ok((rows.iter().map(member_from_row).collect::<StoreResult<_>>()?, total))
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Family {
    pub id: i64,
    pub center_id: i64,
    pub name: String,
    pub created_at: String,
}

pub async fn insert_family(tx: &mut Tx, center_id: i64, name: &str) -> StoreResult<Family> {
    let now = time::to_db(Utc::now());
    let r = sqlx::query(
        "INSERT INTO families (center_id, name, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING id",
    )
    .bind(center_id)
    .bind(name.to_string())
    .bind(now.clone())
    .fetch_one(tx.conn())
    .await?;
    Ok(Family { id: r.int("id")?, center_id, name: name.to_string(), created_at: now })
}

pub async fn family<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(ex: E, id: i64) -> StoreResult<Option<Family>> {
    let r = sqlx::query("SELECT id, center_id, name, created_at FROM families WHERE id = $1")
        .bind(id)
        .fetch_optional(ex)
        .await?;
    r.map(|r| {
        Ok(Family {
            id: r.int("id")?,
            center_id: r.int("center_id")?,
            name: r.text("name")?,
            created_at: r.text("created_at")?,
        })
    })
    .transpose()
}

pub async fn family_members(store: &Store, family_id: i64) -> StoreResult<Vec<Member>> {
    let rows = sqlx::query("SELECT * FROM members WHERE family_id = $1 ORDER BY birth_date, id")
        .bind(family_id)
        .fetch_all(store.reader())
        .await?;
    rows.iter().map(member_from_row).collect()
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Consent {
    pub id: i64,
    pub member_id: i64,
    pub kind: ConsentKind,
    pub recipients: Vec<String>,
    pub agreed: bool,
    pub form_version: String,
    pub signed_on: String,
    pub signer_name: String,
    pub signer_role: String,
    pub guardian_relation: Option<String>,
    pub guardian_phone: Option<String>,
    pub recorded_at: String,
    pub withdrawn_at: Option<String>,
    pub withdrawal_reason: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewConsent {
    pub kind: ConsentKind,
    pub recipients: Vec<String>,
    pub agreed: bool,
    pub form_version: String,
    pub signed_on: String,
    pub signer_name: String,
    pub signer_role: &'static str,
    pub guardian_relation: Option<String>,
    pub guardian_phone: Option<String>,
}

pub async fn insert_consent(tx: &mut Tx, center_id: i64, member_id: i64, c: &NewConsent, by: i64) -> StoreResult<i64> {
    let r = sqlx::query(
        "INSERT INTO consents (center_id, member_id, kind, recipients, agreed, form_version, signed_on, signer_name, \
         signer_role, guardian_relation, guardian_phone, recorded_by, recorded_at) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) RETURNING id",
    )
    .bind(center_id)
    .bind(member_id)
    .bind(c.kind.code())
    .bind(if c.recipients.is_empty() { None } else { Some(c.recipients.join(",")) })
    .bind(flag(c.agreed))
    .bind(c.form_version.clone())
    .bind(c.signed_on.clone())
    .bind(c.signer_name.clone())
    .bind(c.signer_role)
    .bind(c.guardian_relation.clone())
    .bind(c.guardian_phone.clone())
    .bind(by)
    .bind(time::to_db(Utc::now()))
    .fetch_one(tx.conn())
    .await?;
    r.int("id")
}

fn consent_from_row(r: &AnyRow) -> StoreResult<Consent> {
    Ok(Consent {
        id: r.int("id")?,
        member_id: r.int("member_id")?,
        kind: r.code("kind")?,
        recipients: r.text_opt("recipients")?.map(|s| s.split(',').map(str::to_string).collect()).unwrap_or_default(),
        agreed: r.flag("agreed")?,
        form_version: r.text("form_version")?,
        signed_on: r.text("signed_on")?,
        signer_name: r.text("signer_name")?,
        signer_role: r.text("signer_role")?,
        guardian_relation: r.text_opt("guardian_relation")?,
        guardian_phone: r.text_opt("guardian_phone")?,
        recorded_at: r.text("recorded_at")?,
        withdrawn_at: r.text_opt("withdrawn_at")?,
        withdrawal_reason: r.text_opt("withdrawal_reason")?,
    })
}

pub async fn consents<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    ex: E,
    member_id: i64,
) -> StoreResult<Vec<Consent>> {
    let rows =
        sqlx::query("SELECT * FROM consents WHERE member_id = $1 ORDER BY id").bind(member_id).fetch_all(ex).await?;
    rows.iter().map(consent_from_row).collect()
}

/// Marks a consent withdrawn. Returns false if it was already withdrawn.
pub async fn withdraw_consent(tx: &mut Tx, consent_id: i64, by: i64, reason: &str) -> StoreResult<bool> {
    let res = sqlx::query(
        "UPDATE consents SET withdrawn_at = $1, withdrawn_by = $2, withdrawal_reason = $3 WHERE id = $4 AND withdrawn_at IS NULL",
    )
    .bind(time::to_db(Utc::now()))
    .bind(by)
    .bind(reason.to_string())
    .bind(consent_id)
    .execute(tx.conn())
    .await?;
    Ok(res.rows_affected() == 1)
}

pub async fn count_in_center(store: &Store, center_id: i64) -> StoreResult<i64> {
    let r = sqlx::query("SELECT COUNT(*) AS n FROM members WHERE center_id = $1")
        .bind(center_id)
        .fetch_one(store.reader())
        .await?;
    r.int("n")
}

/// The ids among `ids` whose member record is not active (e.g. required consent withdrawn).
pub async fn restricted_among(tx: &mut Tx, ids: &[i64]) -> StoreResult<Vec<i64>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new("SELECT id FROM members WHERE status <> 'active' AND id IN (");
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            sql.push(",");
        }
        sql.bind(*id);
    }
    sql.push(")");
    let rows = sql.query().fetch_all(tx.conn()).await?;
    rows.iter().map(|r| r.int("id")).collect()
}
