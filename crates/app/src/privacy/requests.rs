//! Data subjects' requests (열람 / 정정·삭제 / 처리정지, PIPA Art. 35–37): recorded on receipt
//! with the legal deadline from rules/privacy/requests.json, decided by staff with a reason,
//! and for 열람 a data export of everything gajok holds about the person (access-logged).
//! A pending correction or deletion freezes the member record (see [`App::update_member`]);
//! an accepted suspension restricts the member like a withdrawn consent does.

use std::sync::OnceLock;

use chrono::{Days, NaiveDate};
use gajok_domain::field::{FieldError, FieldErrors};
use gajok_domain::people::MemberStatus;
use gajok_store::Tx;
use gajok_store::access_log::NewAccess;
use gajok_store::audit::{self, NewEvent};
use gajok_store::orgs;
use gajok_store::people;
use gajok_store::privacy::requests::{self as store, NewRequest, Request};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};
use crate::input::{past_day, required_text};
use crate::principal::Principal;
use crate::{App, authz};

const RULES: &str = include_str!("../../../../rules/privacy/requests.json");

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestRules {
    pub version: String,
    pub note: String,
    pub due_soon_days: i64,
    pub kinds: Vec<RequestKind>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestKind {
    pub kind: String,
    pub label_ko: String,
    pub label_en: String,
    pub days: u64,
    pub freezes_record: bool,
    pub basis_ko: String,
    pub source: String,
}

pub fn rules() -> &'static RequestRules {
    static R: OnceLock<RequestRules> = OnceLock::new();
    R.get_or_init(|| serde_json::from_str(RULES).expect("rules/privacy/requests.json is valid (tested)"))
}

pub fn kind(code: &str) -> Option<&'static RequestKind> {
    rules().kinds.iter().find(|k| k.kind == code)
}

pub const DECISIONS: &[&str] = &["accepted", "partly", "refused"];
pub const REQUESTERS: &[&str] = &["self", "representative"];

/// The legal deadline of a request received on `received`.
pub fn due_on(k: &RequestKind, received: NaiveDate) -> NaiveDate {
    received.checked_add_days(Days::new(k.days)).unwrap_or(received)
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestInput {
    pub kind: Option<String>,
    pub received_on: Option<String>,
    pub requester: Option<String>,
    pub details: Option<String>,
    #[serde(rename = "_csrf", default)]
    pub csrf: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionInput {
    pub decision: Option<String>,
    pub reason: Option<String>,
    #[serde(rename = "_csrf", default)]
    pub csrf: Option<String>,
}

/// A request as listed: with days left (negative = overdue).
#[derive(Debug, Clone, Serialize)]
pub struct RequestRow {
    pub r: Request,
    pub days_left: i64,
    pub overdue: bool,
    pub due_soon: bool,
}

fn one_of(field: &str, v: &Option<String>, allowed: &[&str]) -> Result<String, FieldError> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Err(FieldError::new(field, "required")),
        Some(s) if allowed.contains(&s) => Ok(s.to_string()),
        Some(_) => {
            Err(FieldError::new(field, "unknown_value").with_allowed(allowed.iter().map(|s| s.to_string()).collect()))
        }
    }
}

/// The pending request, if any, whose kind freezes the record (정정·삭제 under way).
fn freezing(list: Vec<Request>) -> Option<Request> {
    list.into_iter().find(|r| r.status == "pending" && kind(&r.kind).is_some_and(|k| k.freezes_record))
}

impl App {
    fn request_row(&self, r: Request) -> RequestRow {
        let today = self.today();
        let due = gajok_domain::time::parse_date(&r.due_on).unwrap_or(today);
        let days_left = (due - today).num_days();
        let pending = r.status == "pending";
        RequestRow {
            overdue: pending && days_left < 0,
            due_soon: pending && (0..=rules().due_soon_days).contains(&days_left),
            days_left,
            r,
        }
    }

    /// Records a request as received (by letter, phone, e-mail, fax or in person).
    pub async fn record_privacy_request(
        &self,
        p: &Principal,
        member_id: i64,
        input: &RequestInput,
    ) -> AppResult<Request> {
        let m = self.member_in_scope(p, member_id).await?;
        let today = self.today();
        let mut e = FieldErrors::new();
        let codes: Vec<&str> = rules().kinds.iter().map(|k| k.kind.as_str()).collect();
        let kind_code = e.take(one_of("kind", &input.kind, &codes));
        let requester = match input.requester.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Some("self".to_string()),
            Some(_) => e.take(one_of("requester", &input.requester, REQUESTERS)),
        };
        let received = e.take(past_day("received_on", input.received_on.as_deref(), today));
        let details = e.take(required_text("details", input.details.as_deref(), 2000));
        e.finish()?;
        let (Some(kind_code), Some(requester), Some(received), Some(details)) =
            (kind_code, requester, received, details)
        else {
            return Err(AppError::Internal("validated input incomplete".into()));
        };
        let k = kind(&kind_code).ok_or_else(|| AppError::Internal("kind vanished".into()))?;
        let due = due_on(k, received);
        let center = orgs::get(self.store.reader(), m.center_id).await?.ok_or(AppError::NotFound)?;
        let mut tx = self.store.begin().await?;
        let id = store::insert(
            &mut tx,
            &NewRequest {
                center_id: m.center_id,
                member_id,
                kind: &k.kind,
                received_on: &received.format("%Y-%m-%d").to_string(),
                due_on: &due.format("%Y-%m-%d").to_string(),
                requester: &requester,
                details: &details,
            },
            p.user.id,
        )
        .await?;
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "create",
                entity_type: "privacy_request",
                entity_id: id.to_string(),
                org_unit_id: Some(center.id),
                org_path: center.path.clone(),
                // No personal data: the request's own text stays in its table.
                summary: format!("정보주체 {} 요구 접수 #{id} (이용자 #{member_id}, 기한 {due})", k.label_ko),
                before: None,
                after: Some(
                    serde_json::json!({ "kind": k.kind, "received_on": received, "due_on": due, "basis": k.basis_ko }),
                ),
            },
        )
        .await?;
        tx.commit().await?;
        store::get(self.store.reader(), id).await?.ok_or(AppError::NotFound)
    }

    /// A request the caller may handle, or NotFound.
    pub async fn privacy_request(&self, p: &Principal, id: i64) -> AppResult<RequestRow> {
        let r = store::get(self.store.reader(), id).await?.ok_or(AppError::NotFound)?;
        if !authz::can_work_in_center(p, r.center_id) {
            return Err(AppError::NotFound);
        }
        Ok(self.request_row(r))
    }

    /// Decides a pending request. A reason is required (a refusal must tell the person why,
    /// and the privacy officer reviews every decision). An accepted or partly accepted
    /// 처리정지 restricts the member.
    pub async fn decide_privacy_request(&self, p: &Principal, id: i64, input: &DecisionInput) -> AppResult<Request> {
        let row = self.privacy_request(p, id).await?;
        let r = row.r;
        let mut e = FieldErrors::new();
        let decision = e.take(one_of("decision", &input.decision, DECISIONS));
        let reason = e.take(required_text("reason", input.reason.as_deref(), 2000));
        e.finish()?;
        let (Some(decision), Some(reason)) = (decision, reason) else {
            return Err(AppError::Internal("validated input incomplete".into()));
        };
        let day = self.today();
        let today = day.format("%Y-%m-%d").to_string();
        let center = orgs::get(self.store.reader(), r.center_id).await?.ok_or(AppError::NotFound)?;
        // An accepted deletion is carried out at once, the way the retention run would (what
        // another law keeps goes to separate storage first); a partly accepted one is left to
        // the staff, who decide what goes.
        let erase = r.kind == "deletion"
            && decision == "accepted"
            && !gajok_store::privacy::retention::is_anonymised(&self.store, r.member_id).await?;
        let erasure = if erase { Some(self.erasure_plan(r.member_id, &center, day).await?) } else { None };
        let mut tx = self.store.begin().await?;
        if !store::decide(&mut tx, id, &decision, &reason, &today, p.user.id).await? {
            return Err(AppError::Conflict { code: "already_decided", field: "decision" });
        }
        let restrict = r.kind == "suspension" && decision != "refused";
        if restrict {
            people::set_status(&mut tx, r.member_id, MemberStatus::Restricted).await?;
        }
        let basis = kind(&r.kind).map(|k| k.basis_ko.as_str()).unwrap_or_default();
        let separated = match &erasure {
            Some(plan) => Some(self.erase_in(&mut tx, plan, &p.actor(), &p.user.display_name, basis, &today).await?),
            None => None,
        };
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "decide",
                entity_type: "privacy_request",
                entity_id: id.to_string(),
                org_unit_id: Some(center.id),
                org_path: center.path.clone(),
                summary: format!("정보주체 요구 #{id} 결정: {decision} (이용자 #{})", r.member_id),
                before: Some(serde_json::json!({ "status": r.status })),
                after: Some(
                    serde_json::json!({ "status": "decided", "decision": decision, "member_restricted": restrict,
                        "member_anonymised": separated.is_some(), "receipts_separated": separated.unwrap_or(0) }),
                ),
            },
        )
        .await?;
        tx.commit().await?;
        store::get(self.store.reader(), id).await?.ok_or(AppError::NotFound)
    }

    /// Requests in the caller's centers: pending first by deadline (overdue on top).
    pub async fn privacy_requests(&self, p: &Principal, pending_only: bool) -> AppResult<Vec<RequestRow>> {
        let centers = authz::member_centers(p);
        authz::require(!centers.is_empty())?;
        let list = store::list(&self.store, &centers, pending_only, 500).await?;
        Ok(list.into_iter().map(|r| self.request_row(r)).collect())
    }

    pub async fn member_privacy_requests(&self, p: &Principal, member_id: i64) -> AppResult<Vec<RequestRow>> {
        self.member_in_scope(p, member_id).await?;
        let list = store::for_member(self.store.reader(), member_id).await?;
        Ok(list.into_iter().map(|r| self.request_row(r)).collect())
    }

    /// The pending request that freezes a member record, if any.
    pub async fn freezing_request(&self, member_id: i64) -> AppResult<Option<Request>> {
        let list = store::for_member(self.store.reader(), member_id).await?;
        Ok(freezing(list))
    }

    /// Refuses a change to a member frozen by a pending request, checked inside the change's own
    /// transaction so a request recorded a moment earlier cannot slip between check and write.
    pub(crate) async fn ensure_not_frozen(&self, tx: &mut Tx, member_id: i64, field: &'static str) -> AppResult<()> {
        match freezing(store::for_member(tx.conn(), member_id).await?) {
            Some(_) => Err(AppError::Conflict { code: "member_frozen", field }),
            None => Ok(()),
        }
    }

    /// Everything gajok holds about the person of a 열람 request, as one JSON document. The
    /// download is access-logged with the request it answers. Sensitive sections (counseling
    /// notes, health) are included only for a caller with the sensitive-records grant; the
    /// document says when they were left out.
    pub async fn privacy_export(&self, p: &Principal, request_id: i64) -> AppResult<serde_json::Value> {
        let row = self.privacy_request(p, request_id).await?;
        let r = row.r;
        if r.kind != "access" {
            return Err(AppError::Conflict { code: "not_an_access_request", field: "kind" });
        }
        let sensitive = self.can_read_sensitive(p, r.center_id).await?;
        let sections = store::export(&self.store, r.member_id, sensitive).await?;
        let center = orgs::get(self.store.reader(), r.center_id).await?.ok_or(AppError::NotFound)?;
        let mut data = serde_json::Map::new();
        let mut rows = 0;
        for (name, list) in sections {
            rows += list.len();
            data.insert(name.to_string(), serde_json::Value::Array(list));
        }
        let doc = serde_json::json!({
            "format": "gajok-data-subject-export/1",
            "center": { "code": center.code, "name": center.name },
            "request": { "id": r.id, "kind": r.kind, "received_on": r.received_on, "due_on": r.due_on },
            "exported_at": gajok_domain::time::to_db(chrono::Utc::now()),
            "sensitive_sections_included": sensitive,
            "data": data,
        });
        self.log_access(
            p,
            NewAccess {
                action: "export",
                subject_type: "member",
                subject_id: r.member_id.to_string(),
                org_unit_id: Some(center.id),
                org_path: center.path.clone(),
                detail: format!("정보주체 열람 요구 #{} 자료 제공 ({rows} rows, sensitive={sensitive})", r.id),
            },
        )
        .await?;
        Ok(doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rules_file_parses_and_every_kind_has_ten_days_and_a_source() {
        let r = rules();
        for k in ["access", "correction", "deletion", "suspension"] {
            let x = kind(k).unwrap_or_else(|| panic!("{k}"));
            assert_eq!(x.days, 10, "{k}");
            assert!(x.basis_ko.contains("시행령") && !x.source.is_empty(), "{k}");
        }
        assert!(kind("correction").unwrap().freezes_record && !kind("access").unwrap().freezes_record);
        assert!(r.due_soon_days > 0);
        let d = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        assert_eq!(due_on(kind("access").unwrap(), d), NaiveDate::from_ymd_opt(2026, 12, 5).unwrap());
    }
}
