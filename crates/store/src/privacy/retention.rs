//! Finding members whose retention period has ended, anonymising them irreversibly, and the
//! destruction register (파기 대장).
//!
//! Anonymising keeps the member row and its attendance (so every count stays as it was) and
//! removes what identifies the person: name, initials, day and month of birth, phone, address,
//! the names and phones on the consent forms, free text, the before/after copies in the audit
//! trail, attached benefit simulations (their inputs describe the household), and the 나눔터
//! health flags and loan and application notes.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use sqlx::Row;

use crate::db::{Store, Tx};
use crate::error::StoreResult;
use crate::row::RowExt;
use crate::sql::Sql;

/// What replaces a name. Not a valid registration name (it has parentheses), so it can never
/// be mistaken for, or merged with, a real person.
pub const ANONYMISED_NAME: &str = "(파기)";

/// A member whose service ended on or before the cutoff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expired {
    pub member_id: i64,
    pub center_id: i64,
    pub org_path: String,
}

/// Members not yet anonymised whose service ended on or before `cutoff` (YYYY-MM-DD): their
/// registration, every attended session, 나눔터 visit, membership application and 품앗이 activity,
/// and every toy or book loan (returned; an open loan is service still going on) are on or before it. A
/// guardian stays while a ward of theirs is still within retention: the child's record needs the
/// guardian's contact.
pub async fn expired_members(store: &Store, cutoff: &str) -> StoreResult<Vec<Expired>> {
    let rows = sqlx::query(
        "SELECT m.id, m.center_id, o.path FROM members m JOIN org_units o ON o.id = m.center_id \
         WHERE m.anonymised_at IS NULL AND m.registered_on <= $1 \
         AND NOT EXISTS (SELECT 1 FROM attendance a JOIN program_sessions s ON s.id = a.session_id \
           WHERE a.member_id = m.id AND s.date > $1) \
         AND NOT EXISTS (SELECT 1 FROM nanumteo_visits v WHERE v.member_id = m.id AND v.visit_date > $1) \
         AND NOT EXISTS (SELECT 1 FROM nanumteo_loans l WHERE l.member_id = m.id \
           AND (l.returned_on IS NULL OR l.returned_on > $1)) \
         AND NOT EXISTS (SELECT 1 FROM nanumteo_memberships n WHERE n.applicant_id = m.id AND n.applied_on > $1) \
         AND NOT EXISTS (SELECT 1 FROM pumasi_attendees pa JOIN pumasi_activities x ON x.id = pa.activity_id \
           WHERE pa.member_id = m.id AND x.activity_date > $1) \
         ORDER BY m.id",
    )
    .bind(cutoff.to_string())
    .fetch_all(store.reader())
    .await?;
    let mut out = rows
        .iter()
        .map(|r| Ok(Expired { member_id: r.int("id")?, center_id: r.int("center_id")?, org_path: r.text("path")? }))
        .collect::<StoreResult<Vec<_>>>()?;
    let expired: BTreeSet<i64> = out.iter().map(|e| e.member_id).collect();
    let wards =
        sqlx::query("SELECT id, guardian_id FROM members WHERE guardian_id IS NOT NULL AND anonymised_at IS NULL")
            .fetch_all(store.reader())
            .await?;
    let mut keep = BTreeSet::new();
    for w in &wards {
        if !expired.contains(&w.int("id")?) {
            keep.insert(w.int("guardian_id")?);
        }
    }
    out.retain(|e| !keep.contains(&e.member_id));
    Ok(out)
}

/// Anonymises one member in the caller's transaction. Irreversible by design: nothing is kept
/// elsewhere that would let the values come back.
pub async fn anonymise_member(tx: &mut Tx, member_id: i64, now: &str) -> StoreResult<()> {
    sqlx::query(
        "UPDATE members SET name = $1, name_initials = '', birth_date = substr(birth_date, 1, 4) || '-01-01', \
         phone = NULL, address = NULL, status = 'restricted', anonymised_at = $2, \
         version = version + 1, updated_at = $2 WHERE id = $3",
    )
    .bind(ANONYMISED_NAME)
    .bind(now.to_string())
    .bind(member_id)
    .execute(tx.conn())
    .await?;
    sqlx::query(
        "UPDATE consents SET signer_name = $1, guardian_relation = NULL, guardian_phone = NULL, \
         withdrawal_reason = NULL WHERE member_id = $2",
    )
    .bind(ANONYMISED_NAME)
    .bind(member_id)
    .execute(tx.conn())
    .await?;
    sqlx::query(
        "UPDATE audit_events SET before_json = NULL, after_json = NULL WHERE entity_type = 'member' AND entity_id = $1",
    )
    .bind(member_id.to_string())
    .execute(tx.conn())
    .await?;
    sqlx::query("DELETE FROM simulations WHERE member_id = $1").bind(member_id).execute(tx.conn()).await?;
    // The encrypted identifier, counseling notes and the texts of data subjects' requests go
    // too (migration 0011).
    sqlx::query(
        "UPDATE members SET foreign_id_ct = NULL, foreign_id_key = NULL, foreign_id_hash = NULL, \
         foreign_id_masked = NULL WHERE id = $1",
    )
    .bind(member_id)
    .execute(tx.conn())
    .await?;
    sqlx::query("DELETE FROM counseling_notes WHERE member_id = $1").bind(member_id).execute(tx.conn()).await?;
    // 나눔터: the health flags (health data, of no use once the person is gone) and the free-text
    // notes on loans and applications; the visits and loans themselves stay for the counts.
    sqlx::query("DELETE FROM nanumteo_health_flags WHERE member_id = $1").bind(member_id).execute(tx.conn()).await?;
    sqlx::query("UPDATE nanumteo_loans SET damage_note = NULL WHERE member_id = $1")
        .bind(member_id)
        .execute(tx.conn())
        .await?;
    sqlx::query("UPDATE nanumteo_memberships SET note = NULL WHERE applicant_id = $1")
        .bind(member_id)
        .execute(tx.conn())
        .await?;
    sqlx::query("UPDATE privacy_requests SET details = $1, reason = NULL WHERE member_id = $2")
        .bind(ANONYMISED_NAME)
        .bind(member_id)
        .execute(tx.conn())
        .await?;
    // A family named after its people loses the name once none of them is left identifiable.
    sqlx::query(
        "UPDATE families SET name = $1, updated_at = $2 WHERE id = (SELECT family_id FROM members WHERE id = $3) \
         AND NOT EXISTS (SELECT 1 FROM members x WHERE x.family_id = families.id AND x.anonymised_at IS NULL)",
    )
    .bind(ANONYMISED_NAME)
    .bind(now.to_string())
    .bind(member_id)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Whether a member was anonymised already (by a run or a carried-out deletion).
pub async fn is_anonymised(store: &Store, member_id: i64) -> StoreResult<bool> {
    let r = sqlx::query("SELECT anonymised_at FROM members WHERE id = $1")
        .bind(member_id)
        .fetch_optional(store.reader())
        .await?;
    Ok(r.map(|r| r.text_opt("anonymised_at")).transpose()?.flatten().is_some())
}

/// One line of the destruction register.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Destruction {
    pub id: i64,
    pub center_id: Option<i64>,
    pub center_name: Option<String>,
    pub org_path: String,
    pub record_kind: String,
    pub record_count: i64,
    pub method: String,
    pub legal_basis: String,
    pub rules_version: String,
    pub cutoff_date: String,
    pub performed_at: String,
    pub performed_by: String,
    pub approved_by: String,
}

/// Writes one register line (in the destruction's own transaction).
pub async fn record(tx: &mut Tx, d: &Destruction) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO destruction_register (center_id, org_path, record_kind, record_count, method, legal_basis, \
         rules_version, cutoff_date, performed_at, performed_by, approved_by) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)",
    )
    .bind(d.center_id)
    .bind(d.org_path.clone())
    .bind(d.record_kind.clone())
    .bind(d.record_count)
    .bind(d.method.clone())
    .bind(d.legal_basis.clone())
    .bind(d.rules_version.clone())
    .bind(d.cutoff_date.clone())
    .bind(d.performed_at.clone())
    .bind(d.performed_by.clone())
    .bind(d.approved_by.clone())
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Register lines under any of the path prefixes, newest first.
pub async fn register(store: &Store, prefixes: &[String], limit: i64) -> StoreResult<Vec<Destruction>> {
    let mut sql = Sql::new(
        "SELECT d.*, o.name AS center_name FROM destruction_register d LEFT JOIN org_units o ON o.id = d.center_id \
         WHERE ",
    );
    sql.any_prefix("d.org_path", prefixes);
    sql.push(" ORDER BY d.id DESC LIMIT ").bind(limit);
    let rows = sql.query().fetch_all(store.reader()).await?;
    rows.iter()
        .map(|r| {
            Ok(Destruction {
                id: r.int("id")?,
                center_id: r.int_opt("center_id")?,
                center_name: r.text_opt("center_name")?,
                org_path: r.text("org_path")?,
                record_kind: r.text("record_kind")?,
                record_count: r.int("record_count")?,
                method: r.text("method")?,
                legal_basis: r.text("legal_basis")?,
                rules_version: r.text("rules_version")?,
                cutoff_date: r.text("cutoff_date")?,
                performed_at: r.text("performed_at")?,
                performed_by: r.text("performed_by")?,
                approved_by: r.text("approved_by")?,
            })
        })
        .collect()
}

/// Tables whose expired rows a retention run deletes whole, by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purge {
    /// The 나눔터 CCTV viewing ledger (`nanumteo_cctv_requests`).
    CctvLedger,
    /// Separate storage (`separated_records`).
    Separated,
}

/// Deletes the rows in the caller's transaction; returns how many went.
pub async fn purge(tx: &mut Tx, what: Purge, ids: &[i64]) -> StoreResult<u64> {
    let sql = match what {
        Purge::CctvLedger => "DELETE FROM nanumteo_cctv_requests WHERE id = $1",
        Purge::Separated => "DELETE FROM separated_records WHERE id = $1",
    };
    let mut n = 0;
    for id in ids {
        n += sqlx::query(sql).bind(*id).execute(tx.conn()).await?.rows_affected();
    }
    Ok(n)
}

/// Expired members per center: (center id, path) → ids.
pub fn by_center(expired: &[Expired]) -> BTreeMap<(i64, String), Vec<i64>> {
    let mut m: BTreeMap<(i64, String), Vec<i64>> = BTreeMap::new();
    for e in expired {
        m.entry((e.center_id, e.org_path.clone())).or_default().push(e.member_id);
    }
    m
}

/// Members anonymised so far (for tests and the page's summary).
pub async fn anonymised_count(store: &Store) -> StoreResult<i64> {
    let r = sqlx::query("SELECT COUNT(*) AS n FROM members WHERE anonymised_at IS NOT NULL").fetch_one(store.reader());
    Ok(r.await?.try_get::<i64, _>("n")?)
}
