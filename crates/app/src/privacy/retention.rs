//! Retention rules (rules/privacy/retention.json) and the destruction run: members whose
//! retention period has ended are anonymised irreversibly, each center's batch in one
//! transaction with its line in the destruction register (파기 대장) and an audit event. Their
//! late-fee receipts still within the accounting retention are first copied to separate
//! storage in the same transaction (`privacy::separated`), and separated records whose own
//! period has ended are destroyed by the same run.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::{Datelike, Months, NaiveDate, Utc};
use gajok_domain::time;
use gajok_store::audit::{self, Actor, NewEvent};
use gajok_store::db::Tx;
use gajok_store::orgs;
use gajok_store::orgs::OrgUnit;
use gajok_store::privacy::retention::{self as store, Destruction, Expired, Purge};
use gajok_store::privacy::separated as sep;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};
use crate::principal::Principal;
use crate::privacy::separated::{FEE_RECEIPT, Moving};
use crate::{App, authz};

const RULES: &str = include_str!("../../../../rules/privacy/retention.json");

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionRules {
    pub version: String,
    pub note: String,
    pub interpretations: Vec<Interpretation>,
    pub kinds: Vec<RetentionKind>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Interpretation {
    pub id: String,
    pub text_ko: String,
    pub text_en: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionKind {
    pub kind: String,
    pub label_ko: String,
    pub label_en: String,
    /// `None` (with `months` `None`): kept semi-permanently (준영구) or with no end.
    pub years: Option<u32>,
    pub months: Option<u32>,
    /// `service_end`, `recorded`, `collected`, `case_closed` or `fiscal_year_end` (the
    /// 31 December of the year the record was made).
    pub starts: String,
    /// `anonymise`, `destroy`, `keep_minimum` or `separate` (see the file's note).
    pub action: String,
    pub automated: bool,
    pub basis_ko: String,
    pub source: String,
}

impl RetentionKind {
    fn period(&self) -> Option<Months> {
        match (self.years, self.months) {
            (None, None) => None,
            (y, m) => Some(Months::new(y.unwrap_or(0) * 12 + m.unwrap_or(0))),
        }
    }

    /// The last day a retention start may fall on for the record to be expired on `as_of`:
    /// retention runs through the whole anniversary day, so expiry is the day after it.
    pub fn last_expired_start(&self, as_of: NaiveDate) -> Option<NaiveDate> {
        as_of.checked_sub_months(self.period()?)?.pred_opt()
    }

    /// The last day a record is kept when its retention starts on `start` (the anniversary
    /// day: expired from the day after, as in [`Self::last_expired_start`]).
    pub fn keep_until(&self, start: NaiveDate) -> Option<NaiveDate> {
        start.checked_add_months(self.period()?)
    }

    /// The day the retention of a record made on `made` starts, for the kinds gajok computes
    /// from a record's own date.
    pub fn start_of(&self, made: NaiveDate) -> AppResult<NaiveDate> {
        match self.starts.as_str() {
            "recorded" | "collected" => Ok(made),
            "fiscal_year_end" => NaiveDate::from_ymd_opt(made.year(), 12, 31)
                .ok_or_else(|| AppError::Internal(format!("no year end for {made}"))),
            other => Err(AppError::Internal(format!("{}: retention start {other} needs more than a date", self.kind))),
        }
    }

    /// "5년", "6개월", "준영구" for the pages.
    pub fn period_ko(&self) -> String {
        match (self.years.unwrap_or(0), self.months.unwrap_or(0), self.period()) {
            (_, _, None) => "준영구".into(),
            (y, 0, _) => format!("{y}년"),
            (0, m, _) => format!("{m}개월"),
            (y, m, _) => format!("{y}년 {m}개월"),
        }
    }
}

/// The rules shipped with this binary (checked by a test, so a broken file never ships).
pub fn rules() -> &'static RetentionRules {
    static R: OnceLock<RetentionRules> = OnceLock::new();
    R.get_or_init(|| serde_json::from_str(RULES).expect("rules/privacy/retention.json is valid (tested)"))
}

pub(crate) fn kind(name: &str) -> AppResult<&'static RetentionKind> {
    rules().kinds.iter().find(|k| k.kind == name).ok_or_else(|| AppError::Internal(format!("no retention rule {name}")))
}

/// One center's share of a run.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CenterBatch {
    pub center_id: i64,
    pub members: i64,
    /// Their late-fee receipts copied to separate storage first.
    pub separated: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct RetentionRun {
    pub as_of: String,
    /// Service that ended on or before this day is past retention.
    pub last_expired_service_end: String,
    pub applied: bool,
    pub batches: Vec<CenterBatch>,
    pub total: i64,
    /// Receipts copied to separate storage (all centers).
    pub separated: i64,
    /// Separated records whose own retention has ended, destroyed by the run.
    pub separated_destroyed: DestroyRun,
    pub legal_basis: String,
    pub rules_version: String,
}

/// A destruction of whole rows of one kind past retention: what was (or would be) deleted.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct DestroyRun {
    /// Records whose retention started on or before this day are past retention.
    pub last_expired: String,
    pub period: String,
    /// (center id, records)
    pub batches: Vec<(i64, i64)>,
    pub total: i64,
}

/// Where, from which cutoff and under whose approval a center's batches of a run are done.
pub(crate) struct BatchAt<'a> {
    pub center_id: i64,
    pub org_path: &'a str,
    pub cutoff: &'a str,
    pub approver: &'a str,
    pub now: &'a str,
    /// The staff member who did it; `None` for the scheduled run (`gajok retention run`).
    pub by: Option<&'a Actor>,
    /// The legal basis when it is not the retention rule's (a data subject's deletion request).
    pub basis: Option<&'a str>,
}

impl BatchAt<'_> {
    fn actor(&self) -> Actor {
        self.by.cloned().unwrap_or(Actor { user_id: None, username: "retention-job".into(), client_addr: None })
    }
}

/// Writes a batch's line in the destruction register and its audit event in the batch's
/// transaction. `method` (`anonymise`, `destroy` or `separate`) is also the audit action; the
/// summary holds no personal data.
pub(crate) async fn register_batch(
    tx: &mut Tx,
    at: &BatchAt<'_>,
    rule: &RetentionKind,
    method: &'static str,
    count: i64,
    summary: String,
) -> AppResult<()> {
    store::record(
        tx,
        &Destruction {
            id: 0,
            center_id: Some(at.center_id),
            center_name: None,
            org_path: at.org_path.to_string(),
            record_kind: rule.kind.clone(),
            record_count: count,
            method: method.to_string(),
            legal_basis: at.basis.unwrap_or(&rule.basis_ko).to_string(),
            rules_version: rules().version.clone(),
            cutoff_date: at.cutoff.to_string(),
            performed_at: at.now.to_string(),
            performed_by: at.by.map_or_else(|| "gajok retention run".into(), |a| a.username.clone()),
            approved_by: at.approver.to_string(),
        },
    )
    .await?;
    audit::record(
        tx,
        &at.actor(),
        NewEvent {
            action: method,
            entity_type: "destruction_register",
            entity_id: at.center_id.to_string(),
            org_unit_id: Some(at.center_id),
            org_path: at.org_path.to_string(),
            summary,
            before: None,
            after: None,
        },
    )
    .await?;
    Ok(())
}

/// Copies late-fee receipts to separate storage, with their register line, in the batch's
/// transaction (before their payer is anonymised).
async fn separate_receipts(tx: &mut Tx, at: &BatchAt<'_>, fee: &RetentionKind, moving: &[Moving]) -> AppResult<()> {
    if moving.is_empty() {
        return Ok(());
    }
    // Kept under the law that requires keeping it, whatever ended the person's own retention.
    let at = &BatchAt { basis: None, ..*at };
    for m in moving {
        sep::insert_receipt(tx, &m.row(fee, at.now, at.approver), &m.source.receipt).await?;
    }
    let n = moving.len();
    let summary = format!("비식별 전 연체료 수납 기록 {n}건 분리 보관 (승인: {})", at.approver);
    register_batch(tx, at, fee, "separate", n as i64, summary).await
}

/// A member erased at their own request: what [`App::erasure_plan`] found to keep elsewhere.
pub(crate) struct Erasure {
    member: Expired,
    moving: Vec<Moving>,
}

impl App {
    /// Plans erasing one member now (a deletion request accepted): their receipts that another
    /// law still requires to keep. Read before the deciding transaction, like the run's plan.
    pub(crate) async fn erasure_plan(&self, member_id: i64, center: &OrgUnit, today: NaiveDate) -> AppResult<Erasure> {
        let member = Expired { member_id, center_id: center.id, org_path: center.path.clone() };
        let moving = self.receipts_to_separate(today, std::slice::from_ref(&member)).await?.remove(&member_id);
        Ok(Erasure { member, moving: moving.unwrap_or_default() })
    }

    /// Erases a member in the caller's transaction exactly as the retention run does — receipts
    /// to separate storage, then anonymisation — with register lines naming the person who
    /// decided and the request's legal basis. Returns how many receipts were separated.
    pub(crate) async fn erase_in(
        &self,
        tx: &mut Tx,
        plan: &Erasure,
        by: &Actor,
        decided_by: &str,
        basis: &str,
        today: &str,
    ) -> AppResult<i64> {
        let now = time::to_db(Utc::now());
        let m = &plan.member;
        let at = BatchAt {
            center_id: m.center_id,
            org_path: &m.org_path,
            cutoff: today,
            approver: decided_by,
            now: &now,
            by: Some(by),
            basis: Some(basis),
        };
        separate_receipts(tx, &at, kind(FEE_RECEIPT)?, &plan.moving).await?;
        store::anonymise_member(tx, m.member_id, &now).await?;
        let summary = format!("정보주체 삭제 요구에 따라 이용자 1명 비식별 처리 (결정: {decided_by})");
        register_batch(tx, &at, kind("member")?, "anonymise", 1, summary).await?;
        Ok(plan.moving.len() as i64)
    }

    /// Finds (and with `approved_by`, anonymises) the members whose retention ended by `as_of`,
    /// copying their late-fee receipts still within the accounting retention to separate
    /// storage first, and destroys the separated records whose own retention has ended.
    /// Without approval nothing is written: the privacy officer approves the plan before
    /// destruction (model policy: plan → approval → destroy).
    pub async fn retention_run(&self, as_of: NaiveDate, approved_by: Option<&str>) -> AppResult<RetentionRun> {
        let rule = kind("member")?;
        let fee = kind(FEE_RECEIPT)?;
        let last = rule
            .last_expired_start(as_of)
            .ok_or_else(|| AppError::Internal("member retention has no period".into()))?;
        let last_s = last.format("%Y-%m-%d").to_string();
        let expired = store::expired_members(&self.store, &last_s).await?;
        let mut receipts = self.receipts_to_separate(as_of, &expired).await?;
        let mut run = RetentionRun {
            as_of: as_of.format("%Y-%m-%d").to_string(),
            last_expired_service_end: last_s.clone(),
            applied: approved_by.is_some(),
            batches: Vec::new(),
            total: expired.len() as i64,
            separated: receipts.values().map(|v| v.len() as i64).sum(),
            separated_destroyed: DestroyRun::default(),
            legal_basis: rule.basis_ko.clone(),
            rules_version: rules().version.clone(),
        };
        for ((center_id, path), ids) in store::by_center(&expired) {
            let moving: Vec<_> = ids.iter().flat_map(|id| receipts.remove(id).unwrap_or_default()).collect();
            run.batches.push(CenterBatch { center_id, members: ids.len() as i64, separated: moving.len() as i64 });
            let Some(approver) = approved_by else { continue };
            let now = time::to_db(Utc::now());
            let at =
                BatchAt { center_id, org_path: &path, cutoff: &last_s, approver, now: &now, by: None, basis: None };
            let mut tx = self.store.begin().await?;
            separate_receipts(&mut tx, &at, fee, &moving).await?;
            for id in &ids {
                store::anonymise_member(&mut tx, *id, &now).await?;
            }
            let summary = format!("보유기간 경과 이용자 {}명 비식별 처리 (승인: {approver})", ids.len());
            register_batch(&mut tx, &at, rule, "anonymise", ids.len() as i64, summary).await?;
            tx.commit().await?;
        }
        let gone = sep::expired(&self.store, &run.as_of).await?;
        run.separated_destroyed =
            self.destroy_expired(fee, as_of, gone, Purge::Separated, approved_by, "분리 보관 연체료 수납 기록").await?;
        Ok(run)
    }

    /// Destroys (with `approved_by`; otherwise only counts) whole rows of one kind past
    /// retention on `as_of` — `rows` as (id, center id) — each center's batch in one
    /// transaction with its register line and audit event.
    pub(crate) async fn destroy_expired(
        &self,
        rule: &RetentionKind,
        as_of: NaiveDate,
        rows: Vec<(i64, i64)>,
        what: Purge,
        approved_by: Option<&str>,
        noun_ko: &str,
    ) -> AppResult<DestroyRun> {
        let last = rule
            .last_expired_start(as_of)
            .ok_or_else(|| AppError::Internal(format!("{} has no period", rule.kind)))?
            .to_string();
        let mut by_center: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
        for (id, center) in rows {
            by_center.entry(center).or_default().push(id);
        }
        let out = DestroyRun {
            last_expired: last.clone(),
            period: rule.period_ko(),
            batches: by_center.iter().map(|(c, ids)| (*c, ids.len() as i64)).collect(),
            total: by_center.values().map(|v| v.len() as i64).sum(),
        };
        let Some(approver) = approved_by else { return Ok(out) };
        for (center_id, ids) in by_center {
            let path = orgs::get(self.store.reader(), center_id).await?.map(|o| o.path).unwrap_or_default();
            let now = time::to_db(Utc::now());
            let at = BatchAt { center_id, org_path: &path, cutoff: &last, approver, now: &now, by: None, basis: None };
            let mut tx = self.store.begin().await?;
            store::purge(&mut tx, what, &ids).await?;
            let summary = format!("보유기간 경과 {noun_ko} {}건 파기 (승인: {approver})", ids.len());
            register_batch(&mut tx, &at, rule, "destroy", ids.len() as i64, summary).await?;
            tx.commit().await?;
        }
        Ok(out)
    }

    /// The destruction register within the caller's scope, newest first.
    pub async fn destruction_register(&self, p: &Principal) -> AppResult<Vec<Destruction>> {
        let scopes = authz::privacy_officer_scopes(p);
        authz::require(!scopes.is_empty())?;
        Ok(store::register(&self.store, &scopes, 500).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rules_file_parses_and_names_its_sources() {
        let r = rules();
        assert!(r.kinds.iter().all(|k| !k.basis_ko.is_empty() && !k.source.is_empty()));
        for k in
            ["member", "counseling_record", "counseling_recording", "access_log", "cctv_viewing_ledger", "fee_receipt"]
        {
            assert!(r.kinds.iter().any(|x| x.kind == k), "{k}");
        }
        // Every action is one the file's note documents.
        for k in &r.kinds {
            assert!(["anonymise", "destroy", "keep_minimum", "separate"].contains(&k.action.as_str()), "{}", k.kind);
        }
        let m = kind("member").unwrap();
        assert_eq!(m.period_ko(), "5년");
        assert_eq!(kind("counseling_recording").unwrap().period_ko(), "6개월");
        assert_eq!(kind("performance_statistics").unwrap().period_ko(), "준영구");
    }

    #[test]
    fn retention_runs_through_the_anniversary_day() {
        let m = kind("member").unwrap();
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        // Service ended 2026-06-01: kept through 2031-06-01, expired from 2031-06-02.
        assert_eq!(m.last_expired_start(d("2031-06-01")), Some(d("2026-05-31")));
        assert_eq!(m.last_expired_start(d("2031-06-02")), Some(d("2026-06-01")));
    }
}
