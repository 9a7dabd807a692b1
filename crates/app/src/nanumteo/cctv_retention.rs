//! The CCTV viewing ledger's retention (3 years, rules/privacy/retention.json kind
//! `cctv_viewing_ledger`): `gajok retention run` destroys the lines whose period has ended,
//! each center's batch in one transaction with its line in the destruction register.

use std::collections::BTreeMap;

use chrono::{NaiveDate, Utc};
use gajok_domain::time;
use gajok_store::audit::{self, Actor, NewEvent};
use gajok_store::nanumteo::safety as st;
use gajok_store::orgs;
use gajok_store::privacy::retention::{self as reg, Destruction};
use serde::Serialize;

use crate::App;
use crate::error::{AppError, AppResult};
use crate::privacy::retention::rules;

pub const KIND: &str = "cctv_viewing_ledger";

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CctvRetention {
    /// Lines requested on or before this day are past retention.
    pub last_expired: String,
    pub period: String,
    /// (center id, lines)
    pub batches: Vec<(i64, i64)>,
    pub total: i64,
}

impl App {
    /// Finds (and with `approved_by`, destroys) the ledger lines past retention on `as_of`.
    pub async fn retention_run_cctv(&self, as_of: NaiveDate, approved_by: Option<&str>) -> AppResult<CctvRetention> {
        let rule = rules()
            .kinds
            .iter()
            .find(|k| k.kind == KIND)
            .ok_or_else(|| AppError::Internal(format!("no retention rule {KIND}")))?;
        let last = rule.last_expired_start(as_of).ok_or_else(|| AppError::Internal(format!("{KIND} has no period")))?;
        let last_s = last.to_string();
        let mut by_center: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
        for (id, center) in st::expired_cctv(&self.store, &last_s).await? {
            by_center.entry(center).or_default().push(id);
        }
        let mut out = CctvRetention {
            last_expired: last_s.clone(),
            period: rule.period_ko(),
            batches: by_center.iter().map(|(c, ids)| (*c, ids.len() as i64)).collect(),
            total: by_center.values().map(|v| v.len() as i64).sum(),
        };
        let Some(approver) = approved_by else { return Ok(out) };
        let actor = Actor { user_id: None, username: "retention-job".into(), client_addr: None };
        for (center_id, ids) in by_center {
            let path = orgs::get(self.store.reader(), center_id).await?.map(|o| o.path).unwrap_or_default();
            let now = time::to_db(Utc::now());
            let mut tx = self.store.begin().await?;
            for id in &ids {
                st::delete_cctv(&mut tx, *id).await?;
            }
            reg::record(
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
                    action: "destroy",
                    entity_type: "destruction_register",
                    entity_id: center_id.to_string(),
                    org_unit_id: Some(center_id),
                    org_path: path,
                    summary: format!("보유기간 경과 CCTV 열람 대장 {}건 파기 (승인: {approver})", ids.len()),
                    before: None,
                    after: None,
                },
            )
            .await?;
            tx.commit().await?;
        }
        out.total = out.batches.iter().map(|b| b.1).sum();
        Ok(out)
    }
}
