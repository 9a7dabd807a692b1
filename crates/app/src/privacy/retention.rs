//! Retention rules (rules/privacy/retention.json) and the destruction run: members whose
//! retention period has ended are anonymised irreversibly, each center's batch in one
//! transaction with its line in the destruction register (파기 대장) and an audit event.

use std::sync::OnceLock;

use chrono::{Months, NaiveDate, Utc};
use gajok_domain::time;
use gajok_store::audit::{self, Actor, NewEvent};
use gajok_store::privacy::retention::{self as store, Destruction};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};
use crate::principal::Principal;
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
    pub starts: String,
    /// `anonymise`, `destroy` or `keep_minimum`.
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

fn kind(name: &str) -> AppResult<&'static RetentionKind> {
    rules().kinds.iter().find(|k| k.kind == name).ok_or_else(|| AppError::Internal(format!("no retention rule {name}")))
}

/// One center's share of a run.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CenterBatch {
    pub center_id: i64,
    pub members: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct RetentionRun {
    pub as_of: String,
    /// Service that ended on or before this day is past retention.
    pub last_expired_service_end: String,
    pub applied: bool,
    pub batches: Vec<CenterBatch>,
    pub total: i64,
    pub legal_basis: String,
    pub rules_version: String,
}

impl App {
    /// Finds (and with `approved_by`, anonymises) the members whose retention ended by `as_of`.
    /// Without approval nothing is written: the privacy officer approves the plan before
    /// destruction (model policy: plan → approval → destroy).
    pub async fn retention_run(&self, as_of: NaiveDate, approved_by: Option<&str>) -> AppResult<RetentionRun> {
        let rule = kind("member")?;
        let last = rule
            .last_expired_start(as_of)
            .ok_or_else(|| AppError::Internal("member retention has no period".into()))?;
        let last_s = last.format("%Y-%m-%d").to_string();
        let expired = store::expired_members(&self.store, &last_s).await?;
        let mut run = RetentionRun {
            as_of: as_of.format("%Y-%m-%d").to_string(),
            last_expired_service_end: last_s.clone(),
            applied: approved_by.is_some(),
            batches: Vec::new(),
            total: expired.len() as i64,
            legal_basis: rule.basis_ko.clone(),
            rules_version: rules().version.clone(),
        };
        let actor = Actor { user_id: None, username: "retention-job".into(), client_addr: None };
        for ((center_id, path), ids) in store::by_center(&expired) {
            run.batches.push(CenterBatch { center_id, members: ids.len() as i64 });
            let Some(approver) = approved_by else { continue };
            let now = time::to_db(Utc::now());
            let mut tx = self.store.begin().await?;
            for id in &ids {
                store::anonymise_member(&mut tx, *id, &now).await?;
            }
            store::record(
                &mut tx,
                &Destruction {
                    id: 0,
                    center_id: Some(center_id),
                    center_name: None,
                    org_path: path.clone(),
                    record_kind: rule.kind.clone(),
                    record_count: ids.len() as i64,
                    method: rule.action.clone(),
                    legal_basis: rule.basis_ko.clone(),
                    rules_version: rules().version.clone(),
                    cutoff_date: last_s.clone(),
                    performed_at: now.clone(),
                    performed_by: "gajok retention run".into(),
                    approved_by: approver.to_string(),
                },
            )
            .await?;
            audit::record(
                &mut tx,
                &actor,
                NewEvent {
                    action: "anonymise",
                    entity_type: "destruction_register",
                    entity_id: center_id.to_string(),
                    org_unit_id: Some(center_id),
                    org_path: path,
                    summary: format!("보유기간 경과 이용자 {}명 비식별 처리 (승인: {approver})", ids.len()),
                    before: None,
                    after: None,
                },
            )
            .await?;
            tx.commit().await?;
        }
        Ok(run)
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
        for k in ["member", "counseling_record", "counseling_recording", "access_log", "cctv_viewing_ledger"] {
            assert!(r.kinds.iter().any(|x| x.kind == k), "{k}");
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
