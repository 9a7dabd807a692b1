//! The monthly program plan (월간 사업계획), due by the 20th of the month before (the due day
//! is rules data). A late plan is accepted and marked late, so the city sees it.

use chrono::NaiveDate;
use gajok_domain::field::{FieldError, FieldErrors};
use gajok_domain::text;
use gajok_store::audit::{self, NewEvent};
use gajok_store::orgs::{self, OrgUnit};
use gajok_store::plans::{self, Plan};
use gajok_store::programs::{self, Program};
use serde::Serialize;

use crate::catalog::catalog;
use crate::error::{AppError, AppResult};
use crate::principal::Principal;
use crate::reports::parse_month;
use crate::{App, authz};

#[derive(Debug, Clone, Serialize)]
pub struct PlanRow {
    pub program: Program,
    /// Sessions already scheduled in the month (a suggestion for the plan).
    pub scheduled: i64,
    pub planned_sessions: Option<i64>,
    pub planned_persons: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    pub center: OrgUnit,
    pub month: String,
    pub due: NaiveDate,
    pub overdue_now: bool,
    pub rows: Vec<PlanRow>,
    pub submitted: Option<Plan>,
}

/// The due date of a month's plan: the configured day of the month before.
pub fn due_date(year: i32, month: u32) -> Option<NaiveDate> {
    let (py, pm) = if month == 1 { (year - 1, 12) } else { (year, month - 1) };
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let day = catalog().reporting_for(first)?.values.monthly_plan_due_day.value;
    NaiveDate::from_ymd_opt(py, pm, day)
}

impl App {
    pub async fn monthly_plan(&self, p: &Principal, center: Option<&str>, month: &str) -> AppResult<PlanView> {
        let (y, m) = parse_month("month", month).map_err(|e| AppError::Validation(FieldErrors(vec![e])))?;
        let center_id = self.resolve_center(p, center)?;
        let center = orgs::get(self.store.reader(), center_id).await?.ok_or(AppError::NotFound)?;
        let month = format!("{y:04}-{m:02}");
        let progs = programs::programs(&self.store, center_id, i64::from(y)).await?;
        let scheduled = programs::sessions_in_month(&self.store, center_id, &month).await?;
        let submitted = plans::get(&self.store, center_id, &month).await?;
        let rows = progs
            .into_iter()
            .map(|pr| {
                let item = submitted.as_ref().and_then(|s| s.items.iter().find(|i| i.0 == pr.id));
                PlanRow {
                    scheduled: scheduled.iter().find(|(id, _)| *id == pr.id).map(|(_, n)| *n).unwrap_or(0),
                    planned_sessions: item.map(|i| i.1),
                    planned_persons: item.map(|i| i.2),
                    program: pr,
                }
            })
            .collect();
        let due = due_date(y, m).ok_or_else(|| AppError::one_field("month", "invalid_month"))?;
        let today = gajok_domain::time::kst_date(chrono::Utc::now());
        Ok(PlanView { center, month, due, overdue_now: today > due, rows, submitted })
    }

    /// Submits (or resubmits) the plan: `items` are (program id, sessions, persons) as typed.
    pub async fn submit_monthly_plan(
        &self,
        p: &Principal,
        center: Option<&str>,
        month: &str,
        items: &[(i64, String, String)],
        note: Option<&str>,
    ) -> AppResult<bool> {
        let view = self.monthly_plan(p, center, month).await?;
        authz::require(authz::can_work_in_center(p, view.center.id))?;
        let mut e = FieldErrors::new();
        let mut parsed = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (pid, s, n) in items {
            if !view.rows.iter().any(|r| r.program.id == *pid) {
                e.push(FieldError::new(format!("s_{pid}"), "not_in_center"));
                continue;
            }
            if !seen.insert(*pid) {
                e.push(FieldError::new(format!("s_{pid}"), "duplicate_entry"));
                continue;
            }
            let num = |field: String, v: &str| -> Result<i64, FieldError> {
                match v.trim() {
                    "" => Ok(0),
                    t => t
                        .parse::<i64>()
                        .ok()
                        .filter(|x| (0..=10_000).contains(x))
                        .ok_or(FieldError::new(field, "invalid_number")),
                }
            };
            let ss = e.take(num(format!("s_{pid}"), s));
            let nn = e.take(num(format!("n_{pid}"), n));
            if let (Some(ss), Some(nn)) = (ss, nn) {
                parsed.push((*pid, ss, nn));
            }
        }
        e.finish()?;
        let note = text::clean_opt(note);
        let mut tx = self.store.begin().await?;
        plans::put(&mut tx, view.center.id, &view.month, note.as_deref(), view.overdue_now, p.user.id, &parsed).await?;
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "submit",
                entity_type: "monthly_plan",
                entity_id: format!("{}:{}", view.center.id, view.month),
                org_unit_id: Some(view.center.id),
                org_path: view.center.path.clone(),
                summary: format!(
                    "{} 월간 사업계획 제출{}",
                    view.month,
                    if view.overdue_now { " (기한 후)" } else { "" }
                ),
                before: None,
                after: Some(serde_json::json!({ "items": parsed, "late": view.overdue_now })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(view.overdue_now)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn due_the_20th_of_the_month_before() {
        let d = |s| gajok_domain::time::parse_date(s).unwrap();
        assert_eq!(super::due_date(2026, 6), Some(d("2026-05-20")));
        assert_eq!(super::due_date(2026, 1), Some(d("2025-12-20")));
    }
}
