//! The monthly performance report (월간사업실적): generated from the counts, never typed;
//! submitted by the center manager, approved or returned by 시·군·구, then 시·도, then received
//! by 한국건강가정진흥원. A submitted month is locked until it is returned or reopened.
//! Officials see the roll-up of their centers.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use gajok_domain::code_list::CodeList;
use gajok_domain::field::FieldError;
use gajok_domain::org::OrgKind;
use gajok_domain::program::ReportStatus;
use gajok_domain::text;
use gajok_store::audit::{self, NewEvent};
use gajok_store::counting::{self, Figures};
use gajok_store::orgs::{self, OrgFilter, OrgUnit};
use gajok_store::programs::{self, Program};
use gajok_store::reports::{self, Report, ReportEvent};
use serde::Serialize;

use crate::catalog::catalog;
use crate::error::{AppError, AppResult};
use crate::principal::Principal;
use crate::{App, authz};
use gajok_store::Tx;

/// `YYYY-MM`, checked.
pub fn parse_month(field: &str, s: &str) -> Result<(i32, u32), FieldError> {
    let bad = || FieldError::new(field, "invalid_month");
    let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
    let y: i32 = y.parse().map_err(|_| bad())?;
    let m: u32 = m.parse().map_err(|_| bad())?;
    if !(2000..=2100).contains(&y) || !(1..=12).contains(&m) || s.trim().len() != 7 {
        return Err(bad());
    }
    Ok((y, m))
}

/// One line of the report: a program, an area subtotal, or the center total.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    /// `program`, `area` or `total`
    pub level: &'static str,
    pub area: String,
    pub area_label: String,
    pub program_id: Option<i64>,
    pub name: String,
    pub month: Figures,
    pub ytd: Figures,
    /// Targets of the year (plan), for programs and their sums.
    pub target_real: i64,
    pub target_cumulative: i64,
    pub target_sessions: i64,
    pub target_minutes: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Deadlines {
    pub first_round: NaiveDate,
    pub second_round: NaiveDate,
    /// `on_time`, `late` (after the 1st round), `overdue` (after the 2nd) or `not_due`.
    pub state: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct MonthlyReport {
    pub center: OrgUnit,
    pub month: String,
    pub status: ReportStatus,
    pub lines: Vec<Line>,
    pub deadlines: Option<Deadlines>,
    pub submitted_at: Option<String>,
    /// The figures as submitted, when submitted (what the approver approves).
    pub snapshot: Option<serde_json::Value>,
    pub events: Vec<ReportEvent>,
    pub can_submit: bool,
    pub can_review: bool,
    pub can_reopen: bool,
}

fn area_label(year: i32, code: &str, lang_ko: bool) -> String {
    catalog()
        .area(year, code)
        .map(|a| if lang_ko { a.ko.clone() } else { a.en.clone() })
        .unwrap_or_else(|| code.to_string())
}

/// The report lines of a center for a month, from `monthly_stats`.
pub fn build_lines(
    year: i32,
    month: u32,
    progs: &[Program],
    figs: &BTreeMap<(i64, String, String), Figures>,
    center_id: i64,
) -> Vec<Line> {
    let key_m = format!("{year:04}-{month:02}");
    let get = |cat: &str| -> (Figures, Figures) {
        let mut m = Figures::default();
        let mut ytd = Figures::default();
        for ((c, mon, k), f) in figs {
            if *c == center_id && k == cat && mon.as_str() <= key_m.as_str() && mon.starts_with(&format!("{year:04}-"))
            {
                ytd.add(f);
                if *mon == key_m {
                    m.add(f);
                }
            }
        }
        (m, ytd)
    };
    let mut lines = Vec::new();
    let mut areas: Vec<String> = progs.iter().map(|p| p.area.clone()).collect();
    areas.sort();
    areas.dedup();
    // Keep the guide's order of areas.
    if let Some(ed) = catalog().areas_for_year(year) {
        areas.sort_by_key(|a| ed.areas.iter().position(|x| &x.code == a).unwrap_or(usize::MAX));
    }
    for area in &areas {
        let (m, ytd) = get(&format!("area:{area}"));
        let in_area: Vec<&Program> = progs.iter().filter(|p| &p.area == area).collect();
        let label = area_label(year, area, true);
        lines.push(Line {
            level: "area",
            area: area.clone(),
            area_label: label.clone(),
            program_id: None,
            name: label.clone(),
            month: m,
            ytd,
            target_real: in_area.iter().map(|p| p.target_real).sum(),
            target_cumulative: in_area.iter().map(|p| p.target_cumulative).sum(),
            target_sessions: in_area.iter().map(|p| p.target_sessions).sum(),
            target_minutes: in_area.iter().map(|p| p.target_minutes).sum(),
        });
        for p in in_area {
            let (m, ytd) = get(&format!("program:{}", p.id));
            lines.push(Line {
                level: "program",
                area: area.clone(),
                area_label: label.clone(),
                program_id: Some(p.id),
                name: p.name.clone(),
                month: m,
                ytd,
                target_real: p.target_real,
                target_cumulative: p.target_cumulative,
                target_sessions: p.target_sessions,
                target_minutes: p.target_minutes,
            });
        }
    }
    let (m, ytd) = get("center");
    lines.push(Line {
        level: "total",
        area: String::new(),
        area_label: String::new(),
        program_id: None,
        name: "합계".into(),
        month: m,
        ytd,
        target_real: progs.iter().map(|p| p.target_real).sum(),
        target_cumulative: progs.iter().map(|p| p.target_cumulative).sum(),
        target_sessions: progs.iter().map(|p| p.target_sessions).sum(),
        target_minutes: progs.iter().map(|p| p.target_minutes).sum(),
    });
    lines
}

/// The due dates of a month's report (rules data) and where `today` stands.
pub fn deadlines(year: i32, month: u32, submitted: bool, today: NaiveDate) -> Option<Deadlines> {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let r = catalog().reporting_for(next)?;
    let first = next.with_day(r.values.performance_first_round_day.value)?;
    let second = next.with_day(r.values.performance_second_round_day.value)?;
    let state = if submitted {
        "on_time"
    } else if today > second {
        "overdue"
    } else if today > first {
        "late"
    } else {
        "not_due"
    };
    Some(Deadlines { first_round: first, second_round: second, state })
}

/// A row of an official's roll-up: one center.
#[derive(Debug, Clone, Serialize)]
pub struct RollupRow {
    pub center: OrgUnit,
    pub status: ReportStatus,
    pub deadline_state: &'static str,
    pub month: Figures,
    pub ytd: Figures,
}

#[derive(Debug, Clone, Serialize)]
pub struct Rollup {
    pub unit: OrgUnit,
    pub month: String,
    pub rows: Vec<RollupRow>,
    /// By area code: (label, month, ytd) summed over the centers.
    pub by_area: Vec<(String, String, Figures, Figures)>,
    pub total_month: Figures,
    pub total_ytd: Figures,
}

/// A kind of monthly report: they share the workflow (manager submits; 시·군·구 → 시·도 →
/// 진흥원 approve or return) and the month lock, and differ in their figures.
#[derive(Debug, Clone, Copy)]
pub struct ReportKind {
    /// The stored kind (`gajok_store::reports::CENTER`, `NANUMTEO`).
    pub code: &'static str,
    /// The audit entity type.
    pub entity: &'static str,
    /// The report's name in audit summaries.
    pub title_ko: &'static str,
}

/// The center's 월간사업실적.
pub const CENTER_REPORT: ReportKind =
    ReportKind { code: reports::CENTER, entity: "monthly_report", title_ko: "월간실적" };
/// 서식13: 공동육아나눔터 및 가족품앗이 사업 실적.
pub const NANUMTEO_REPORT: ReportKind =
    ReportKind {
        code: reports::NANUMTEO, entity: "nanumteo_report", title_ko: "나눔터·품앗이 실적(서식13)"
    };

/// Where a report of some kind stands in the workflow, and what the caller may do with it.
#[derive(Debug, Clone, Serialize)]
pub struct ReportState {
    pub center: OrgUnit,
    pub month: String,
    pub status: ReportStatus,
    pub deadlines: Option<Deadlines>,
    pub submitted_at: Option<String>,
    pub snapshot: Option<serde_json::Value>,
    pub events: Vec<ReportEvent>,
    pub can_submit: bool,
    pub can_review: bool,
    pub can_reopen: bool,
}

impl App {
    async fn center_for_figures(&self, p: &Principal, center_id: i64) -> AppResult<OrgUnit> {
        let c = orgs::get(self.store.reader(), center_id).await?.ok_or(AppError::NotFound)?;
        if c.kind != OrgKind::Center || !authz::can_view_figures(p, &c) {
            return Err(AppError::NotFound);
        }
        Ok(c)
    }

    /// The workflow state of a center's report of `kind` for `month` (`YYYY-MM`).
    pub async fn report_state(
        &self,
        p: &Principal,
        kind: ReportKind,
        center_id: i64,
        month: &str,
    ) -> AppResult<ReportState> {
        let (y, m) =
            parse_month("month", month).map_err(|e| AppError::Validation(gajok_domain::FieldErrors(vec![e])))?;
        let center = self.center_for_figures(p, center_id).await?;
        let month_key = format!("{y:04}-{m:02}");
        let rep: Option<Report> = reports::get_kind(self.store.reader(), kind.code, center_id, &month_key).await?;
        let status = rep.as_ref().map(|r| r.status).unwrap_or(ReportStatus::Draft);
        let events = match &rep {
            Some(r) => reports::events(&self.store, r.id).await?,
            None => Vec::new(),
        };
        let today = gajok_domain::time::kst_date(chrono::Utc::now());
        let submitted = rep.as_ref().and_then(|r| r.submitted_at.clone());
        Ok(ReportState {
            can_submit: authz::can_submit_report(p, &center) && !status.locks_month(),
            can_review: authz::can_review_report(p, &center, status),
            can_reopen: authz::can_reopen_report(p, &center) && status.locks_month(),
            deadlines: deadlines(y, m, status.locks_month() || submitted.is_some(), today),
            snapshot: rep.as_ref().and_then(|r| r.snapshot.clone()),
            center,
            month: month_key,
            status,
            submitted_at: submitted,
            events,
        })
    }

    pub async fn monthly_report(&self, p: &Principal, center_id: i64, month: &str) -> AppResult<MonthlyReport> {
        let st = self.report_state(p, CENTER_REPORT, center_id, month).await?;
        let (y, m) =
            parse_month("month", &st.month).map_err(|e| AppError::Validation(gajok_domain::FieldErrors(vec![e])))?;
        let progs = programs::programs(&self.store, center_id, i64::from(y)).await?;
        let figs =
            counting::figures(&self.store, &[center_id], &format!("{y:04}-01"), &format!("{y:04}-{m:02}")).await?;
        let lines = build_lines(y, m, &progs, &figs, center_id);
        Ok(MonthlyReport {
            can_submit: st.can_submit,
            can_review: st.can_review,
            can_reopen: st.can_reopen,
            deadlines: st.deadlines,
            snapshot: st.snapshot,
            center: st.center,
            month: st.month,
            status: st.status,
            lines,
            submitted_at: st.submitted_at,
            events: st.events,
        })
    }

    async fn step(&self, p: &Principal, kind: ReportKind, st: reports::Step<'_>) -> AppResult<()> {
        let tx = self.store.begin().await?;
        self.step_in(tx, p, kind, st).await
    }

    /// [`App::step`] in a transaction the caller has begun (the submission takes the month's
    /// guard and reads the figures first).
    async fn step_in(&self, mut tx: Tx, p: &Principal, kind: ReportKind, st: reports::Step<'_>) -> AppResult<()> {
        let reports::Step { center_id, month, from, to, comment, .. } = st.clone();
        let center = self.center_for_figures(p, center_id).await?;
        if !reports::transition_kind(&mut tx, kind.code, &st, &p.actor()).await? {
            return Err(AppError::Conflict { code: "report_state_changed", field: "status" });
        }
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "report_step",
                entity_type: kind.entity,
                entity_id: format!("{center_id}:{month}"),
                org_unit_id: Some(center_id),
                org_path: center.path.clone(),
                summary: format!(
                    "{} {} {}: {} → {}",
                    center.name,
                    month,
                    kind.title_ko,
                    from.label_ko(),
                    to.label_ko()
                ),
                before: Some(serde_json::json!({ "status": from })),
                after: Some(serde_json::json!({ "status": to, "comment": comment })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The center manager submits a report of `kind`: the month locks and `figures` (given
    /// the canonical month) are frozen into it. The figures are read after the month's guard is
    /// taken inside the submitting transaction, so every write the lock keeps out of the month
    /// is in them and none that committed before is missing.
    pub async fn report_submit(
        &self,
        p: &Principal,
        kind: ReportKind,
        center_id: i64,
        month: &str,
        figures: impl AsyncFnOnce(&str) -> AppResult<serde_json::Value>,
    ) -> AppResult<()> {
        let r = self.report_state(p, kind, center_id, month).await?;
        authz::require(authz::can_submit_report(p, &r.center))?;
        if r.status.locks_month() {
            return Err(AppError::Conflict { code: "report_state_changed", field: "status" });
        }
        let mut tx = self.store.begin().await?;
        reports::guard_month(&mut tx, kind.code, center_id, &r.month, reports::MonthGuard::Submission).await?;
        let snapshot = figures(&r.month).await?;
        self.step_in(
            tx,
            p,
            kind,
            reports::Step {
                center_id,
                month: &r.month,
                from: r.status,
                to: ReportStatus::Submitted,
                comment: None,
                snapshot: Some(&snapshot),
            },
        )
        .await
    }

    /// The center manager submits: the figures are frozen into the report and the month locks.
    pub async fn submit_report(&self, p: &Principal, center_id: i64, month: &str) -> AppResult<()> {
        self.report_submit(p, CENTER_REPORT, center_id, month, async |_: &str| {
            let r = self.monthly_report(p, center_id, month).await?;
            serde_json::to_value(&r.lines).map_err(|e| AppError::Internal(e.to_string()))
        })
        .await
    }

    /// Approve (to the next step) or return (with a reason) at the caller's step of the chain.
    pub async fn review_report(
        &self,
        p: &Principal,
        center_id: i64,
        month: &str,
        approve: bool,
        comment: &str,
    ) -> AppResult<()> {
        self.report_review(p, CENTER_REPORT, center_id, month, approve, comment).await
    }

    /// [`App::review_report`] for a report of `kind`.
    pub async fn report_review(
        &self,
        p: &Principal,
        kind: ReportKind,
        center_id: i64,
        month: &str,
        approve: bool,
        comment: &str,
    ) -> AppResult<()> {
        let r = self.report_state(p, kind, center_id, month).await?;
        authz::require(authz::can_review_report(p, &r.center, r.status))?;
        let comment = text::clean(comment);
        if !approve && comment.is_empty() {
            return Err(AppError::one_field("comment", "required_when_returning"));
        }
        let to = if !approve {
            ReportStatus::Returned
        } else {
            match r.status {
                ReportStatus::Submitted => ReportStatus::DistrictApproved,
                ReportStatus::DistrictApproved => ReportStatus::ProvinceApproved,
                ReportStatus::ProvinceApproved => ReportStatus::Accepted,
                _ => {
                    return Err(AppError::Conflict { code: "report_state_changed", field: "status" });
                }
            }
        };
        self.step(
            p,
            kind,
            reports::Step {
                center_id,
                month: &r.month,
                from: r.status,
                to,
                comment: if comment.is_empty() { None } else { Some(&comment) },
                snapshot: None,
            },
        )
        .await
    }

    /// Unlocks a submitted month for corrections (audited, with a reason).
    pub async fn reopen_report(&self, p: &Principal, center_id: i64, month: &str, comment: &str) -> AppResult<()> {
        self.report_reopen(p, CENTER_REPORT, center_id, month, comment).await
    }

    /// [`App::reopen_report`] for a report of `kind`.
    pub async fn report_reopen(
        &self,
        p: &Principal,
        kind: ReportKind,
        center_id: i64,
        month: &str,
        comment: &str,
    ) -> AppResult<()> {
        let r = self.report_state(p, kind, center_id, month).await?;
        authz::require(authz::can_reopen_report(p, &r.center))?;
        if !r.status.locks_month() {
            return Err(AppError::Conflict { code: "report_state_changed", field: "status" });
        }
        let comment = text::clean(comment);
        if comment.is_empty() {
            return Err(AppError::one_field("comment", "required_when_returning"));
        }
        self.step(
            p,
            kind,
            reports::Step {
                center_id,
                month: &r.month,
                from: r.status,
                to: ReportStatus::Returned,
                comment: Some(&format!("재개방: {comment}")),
                snapshot: None,
            },
        )
        .await
    }

    /// The sum of the centers below `unit_id` for a month, by center and by area.
    pub async fn rollup(&self, p: &Principal, unit_id: i64, month: &str) -> AppResult<Rollup> {
        let (y, m) =
            parse_month("month", month).map_err(|e| AppError::Validation(gajok_domain::FieldErrors(vec![e])))?;
        let unit = self.visible_org(p, unit_id).await?;
        let f = OrgFilter {
            scopes: vec![unit.path.clone()],
            kind: Some(OrgKind::Center),
            limit: 100_000,
            ..Default::default()
        };
        let (centers, _) = orgs::list(&self.store, &f).await?;
        let ids: Vec<i64> = centers.iter().map(|c| c.id).collect();
        let month_key = format!("{y:04}-{m:02}");
        let figs = counting::figures(&self.store, &ids, &format!("{y:04}-01"), &month_key).await?;
        let reps: BTreeMap<i64, Report> =
            reports::for_month(&self.store, &ids, &month_key).await?.into_iter().map(|r| (r.center_id, r)).collect();
        let today = gajok_domain::time::kst_date(chrono::Utc::now());
        let mut per_center: BTreeMap<i64, (Figures, Figures)> = BTreeMap::new();
        let mut per_area: BTreeMap<String, (Figures, Figures)> = BTreeMap::new();
        for ((c, mon, cat), fg) in &figs {
            let is_month = *mon == month_key;
            if cat == "center" {
                let e = per_center.entry(*c).or_default();
                e.1.add(fg);
                if is_month {
                    e.0.add(fg);
                }
            } else if let Some(a) = cat.strip_prefix("area:") {
                let e = per_area.entry(a.to_string()).or_default();
                e.1.add(fg);
                if is_month {
                    e.0.add(fg);
                }
            }
        }
        let mut total_month = Figures::default();
        let mut total_ytd = Figures::default();
        let rows = centers
            .into_iter()
            .map(|c| {
                let (mf, yf) = per_center.get(&c.id).copied().unwrap_or_default();
                total_month.add(&mf);
                total_ytd.add(&yf);
                let status = reps.get(&c.id).map(|r| r.status).unwrap_or(ReportStatus::Draft);
                let state = deadlines(
                    y,
                    m,
                    status.locks_month() || reps.get(&c.id).is_some_and(|r| r.submitted_at.is_some()),
                    today,
                )
                .map(|d| d.state)
                .unwrap_or("not_due");
                RollupRow { center: c, status, deadline_state: state, month: mf, ytd: yf }
            })
            .collect();
        let mut by_area: Vec<(String, String, Figures, Figures)> =
            per_area.into_iter().map(|(a, (mf, yf))| (a.clone(), area_label(y, &a, true), mf, yf)).collect();
        if let Some(ed) = catalog().areas_for_year(y) {
            by_area.sort_by_key(|(a, ..)| ed.areas.iter().position(|x| &x.code == a).unwrap_or(usize::MAX));
        }
        Ok(Rollup { unit, month: month_key, rows, by_area, total_month, total_ytd })
    }
}

/// Column headers of the report table in Korean (the CLI's default; pages pass their own).
pub const HEADERS_KO: [&str; 12] = [
    "영역",
    "프로그램",
    "이번 달 회기",
    "이번 달 시간",
    "이번 달 실인원(신규)",
    "이번 달 연인원",
    "누계 회기",
    "누계 실인원",
    "누계 연인원",
    "누계 인원집계",
    "연간 목표 실인원",
    "연간 목표 연인원",
];

/// Hours from minutes, without floating point: 90 → "1.50".
pub fn hours(minutes: i64) -> String {
    if minutes % 60 == 0 {
        (minutes / 60).to_string()
    } else {
        format!("{}.{:02}", minutes / 60, (minutes % 60) * 100 / 60)
    }
}

/// The figures of a report line in table order (after the area and program columns).
/// 연인원 includes persons counted by head count at open events.
pub fn line_cells(l: &Line) -> Vec<String> {
    vec![
        l.month.sessions.to_string(),
        hours(l.month.minutes),
        l.month.real_new.to_string(),
        (l.month.cumulative + l.month.open_persons).to_string(),
        l.ytd.sessions.to_string(),
        l.ytd.real_new.to_string(),
        (l.ytd.cumulative + l.ytd.open_persons).to_string(),
        l.ytd.open_persons.to_string(),
        l.target_real.to_string(),
        l.target_cumulative.to_string(),
    ]
}

/// The whole report as rows (header first), for CSV, XLSX and the CLI.
pub fn report_table(r: &MonthlyReport, headers: &[String], total_label: &str) -> Vec<Vec<String>> {
    let mut rows = vec![headers.to_vec()];
    for l in &r.lines {
        let (area, prog) = match l.level {
            "area" => (l.area_label.clone(), String::new()),
            "program" => (l.area_label.clone(), l.name.clone()),
            _ => (total_label.to_string(), String::new()),
        };
        let mut row = vec![area, prog];
        row.extend(line_cells(l));
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_deadlines() {
        assert_eq!(parse_month("m", "2026-05"), Ok((2026, 5)));
        assert!(parse_month("m", "2026-13").is_err());
        assert!(parse_month("m", "2026-5").is_err());
        let d = |s| gajok_domain::time::parse_date(s).unwrap();
        let dl = deadlines(2026, 5, false, d("2026-06-03")).unwrap();
        assert_eq!((dl.first_round, dl.second_round, dl.state), (d("2026-06-01"), d("2026-06-05"), "late"));
        assert_eq!(deadlines(2026, 5, false, d("2026-06-06")).unwrap().state, "overdue");
        assert_eq!(deadlines(2026, 12, false, d("2026-12-20")).unwrap().first_round, d("2027-01-01"));
        assert_eq!(deadlines(2026, 5, true, d("2026-06-30")).unwrap().state, "on_time");
    }
}
