//! Membership applications (서식3, the combined 나눔터 + 품앗이 form) of families.

use chrono::Utc;
use gajok_domain::code_list::CodeList;
use gajok_domain::nanumteo_safety::{JoinMode, PumasiFrequency};
use gajok_domain::time;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;

use crate::db::{Store, Tx};
use crate::error::{StoreError, StoreResult};
use crate::row::{RowExt, flag};

/// A child as written on the form (seed 001 L1375-1376: 이름, 성별, 나이, 학년/학교).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FormChild {
    pub member_id: i64,
    pub name: String,
    pub sex: String,
    pub age: i64,
    pub school: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NewMembership {
    pub space_id: i64,
    pub family_id: i64,
    pub applicant_id: i64,
    pub applied_on: String,
    pub use_space: bool,
    pub join_pumasi: bool,
    pub join_mode: Option<JoinMode>,
    /// 품앗이 type codes (PumasiKind), comma-separated.
    pub pumasi_kinds: Vec<String>,
    pub frequency: Option<PumasiFrequency>,
    pub partner_pref: Vec<String>,
    pub pumasi_experienced: bool,
    pub email_news: bool,
    pub occupation: Option<String>,
    pub children: Vec<FormChild>,
    pub rules_explained: bool,
    pub fee_paid: i64,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Membership {
    pub id: i64,
    pub center_id: i64,
    pub space_id: i64,
    pub family_id: i64,
    pub family_name: String,
    pub applicant_id: i64,
    pub applicant_name: String,
    pub data: NewMembership,
}

fn list(s: &str) -> Vec<String> {
    s.split(',').map(str::trim).filter(|x| !x.is_empty()).map(str::to_string).collect()
}

fn from_row(r: &AnyRow) -> StoreResult<Membership> {
    let children: Vec<FormChild> = serde_json::from_str(&r.text("children_json")?)
        .map_err(|e| StoreError::Corrupt(format!("children_json: {e}")))?;
    Ok(Membership {
        id: r.int("id")?,
        center_id: r.int("center_id")?,
        space_id: r.int("space_id")?,
        family_id: r.int("family_id")?,
        family_name: r.text("family_name")?,
        applicant_id: r.int("applicant_id")?,
        applicant_name: r.text("applicant_name")?,
        data: NewMembership {
            space_id: r.int("space_id")?,
            family_id: r.int("family_id")?,
            applicant_id: r.int("applicant_id")?,
            applied_on: r.text("applied_on")?,
            use_space: r.flag("use_space")?,
            join_pumasi: r.flag("join_pumasi")?,
            join_mode: r.code_opt("join_mode")?,
            pumasi_kinds: list(&r.text("pumasi_kinds")?),
            frequency: r.code_opt("frequency")?,
            partner_pref: list(&r.text("partner_pref")?),
            pumasi_experienced: r.flag("pumasi_experienced")?,
            email_news: r.flag("email_news")?,
            occupation: r.text_opt("occupation")?,
            children,
            rules_explained: r.flag("rules_explained")?,
            fee_paid: r.int("fee_paid")?,
            note: r.text_opt("note")?,
        },
    })
}

const SELECT: &str = "SELECT a.*, f.name AS family_name, m.name AS applicant_name FROM nanumteo_memberships a \
     JOIN families f ON f.id = a.family_id JOIN members m ON m.id = a.applicant_id";

pub async fn insert(tx: &mut Tx, center_id: i64, n: &NewMembership, by: i64) -> StoreResult<i64> {
    let children = serde_json::to_string(&n.children).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let r = sqlx::query(
        "INSERT INTO nanumteo_memberships (center_id, space_id, family_id, applicant_id, applied_on, use_space, \
         join_pumasi, join_mode, pumasi_kinds, frequency, partner_pref, pumasi_experienced, email_news, occupation, \
         children_json, rules_explained, fee_paid, note, created_by, created_at) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20) RETURNING id",
    )
    .bind(center_id)
    .bind(n.space_id)
    .bind(n.family_id)
    .bind(n.applicant_id)
    .bind(n.applied_on.clone())
    .bind(flag(n.use_space))
    .bind(flag(n.join_pumasi))
    .bind(n.join_mode.map(|m| m.code().to_string()))
    .bind(n.pumasi_kinds.join(","))
    .bind(n.frequency.map(|f| f.code().to_string()))
    .bind(n.partner_pref.join(","))
    .bind(flag(n.pumasi_experienced))
    .bind(flag(n.email_news))
    .bind(n.occupation.clone())
    .bind(children)
    .bind(flag(n.rules_explained))
    .bind(n.fee_paid)
    .bind(n.note.clone())
    .bind(by)
    .bind(time::to_db(Utc::now()))
    .fetch_one(tx.conn())
    .await?;
    r.int("id")
}

/// Applications to a space, newest first.
pub async fn of_space(store: &Store, space_id: i64) -> StoreResult<Vec<Membership>> {
    let sql = format!("{SELECT} WHERE a.space_id = $1 ORDER BY a.applied_on DESC, a.id DESC");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(space_id).fetch_all(store.reader()).await?;
    rows.iter().map(from_row).collect()
}

/// Applications of a family (any space), newest first.
pub async fn of_family(store: &Store, family_id: i64) -> StoreResult<Vec<Membership>> {
    let sql = format!("{SELECT} WHERE a.family_id = $1 ORDER BY a.applied_on DESC, a.id DESC");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(family_id).fetch_all(store.reader()).await?;
    rows.iter().map(from_row).collect()
}
