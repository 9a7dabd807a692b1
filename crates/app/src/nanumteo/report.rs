//! The 나눔터 monthly report (서식13, [ ]월 공동육아나눔터 및 가족품앗이 사업 실적): generated
//! from the records, never typed, and submitted through the same workflow and month lock as
//! the center's monthly report ([`crate::reports::NANUMTEO_REPORT`]).
//!
//! Counting rules: users are 연인원 from the visit log, a visit made only to borrow counting
//! when the borrower stayed 30 minutes or more (CS-08); loans are counted apart from users;
//! 품앗이 members are cumulative from January (a family counts from the day it joined) and a
//! father counts as a member only once he took part in an activity (PM-23); active persons are
//! 연인원 (one person at five activities counts five); children by age are real persons.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use gajok_domain::field::FieldErrors;
use gajok_domain::people::age_on;
use gajok_domain::time::parse_date;
use gajok_store::nanumteo::report::{self as store, Attendance};
use gajok_store::nanumteo::{library, pumasi, spaces, visits};
use gajok_store::people::{self, Member};
use serde::{Deserialize, Serialize};

use super::rules::rules_on;
use super::visits::count_users;
use crate::error::{AppError, AppResult};
use crate::principal::Principal;
use crate::reports::{NANUMTEO_REPORT, ReportState, parse_month};
use crate::{App, authz};
use gajok_store::Tx;

/// Kinds of obligation events (the event log); `promotion` is the publicity count of 서식13.
pub const EVENT_KINDS: &[&str] =
    &["regular_meeting", "whole_program", "whole_gathering", "leader_training", "committee", "promotion"];

/// A space of the installation status table (규모, 운영시간, 주소).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct SpaceRow {
    pub name: String,
    pub area_m2: i64,
    pub hours: String,
    pub address: String,
}

/// A month's and the year-to-date value of a figure.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Pair {
    pub month: i64,
    pub ytd: i64,
}

/// One leader-training session of the month (품앗이 교육 세부내용).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct TrainingRow {
    pub date: String,
    pub title: String,
    pub minutes: i64,
    pub leaders: i64,
}

/// The figures of 서식13; also the snapshot frozen on submission.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Form13 {
    pub spaces: Vec<SpaceRow>,
    pub spaces_used: i64,
    pub spaces_found: Pair,
    pub users_parents: Pair,
    pub users_children: Pair,
    pub loans: Pair,
    pub publicity: Pair,
    pub regular_sessions: Pair,
    pub regular_minutes: Pair,
    pub regular_participants: Pair,
    /// 가입인원, cumulative from January to the end of the month.
    pub member_groups: i64,
    pub member_families: i64,
    pub member_persons: i64,
    /// 활동인원 of the month, 연인원.
    pub active_families: i64,
    pub active_grandparents: i64,
    pub active_parents: i64,
    pub active_children: i64,
    pub whole_programs: Pair,
    pub whole_gatherings: Pair,
    pub leader_trainings: Pair,
    pub leader_training_minutes: Pair,
    /// Children who took part in the month, real persons, by the guide's buckets: (from, to, n).
    pub age_buckets: Vec<(i64, i64, i64)>,
    pub age_total: i64,
    pub trainings: Vec<TrainingRow>,
}

/// The report page: the workflow state, the live figures and, once submitted, what was sent.
#[derive(Debug, Clone, Serialize)]
pub struct Form13Report {
    pub state: ReportState,
    pub figures: Form13,
    /// The figures as submitted (what an approver approves), when there is a snapshot.
    pub submitted: Option<Form13>,
}

impl Form13Report {
    /// What the page shows: the submitted figures once the month is locked, else the live ones.
    pub fn shown(&self) -> &Form13 {
        match (&self.submitted, self.state.status.locks_month()) {
            (Some(s), true) => s,
            _ => &self.figures,
        }
    }
}

/// Who a person is for the counts of 서식4 and 서식13.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Child,
    Grandparent,
    Father,
    Mother,
}

/// A child by relation (자녀, 손자녀) or, for any other relation, by age under 19; a
/// grandparent by relation (조부모, or 부모 of the reference person, who is a parent); every
/// other adult is a parent, a father when male.
pub fn role_of(relation: Option<&str>, sex: &str, birth: &str, on: NaiveDate) -> Role {
    let age = parse_date(birth).map(|b| age_on(b, on)).unwrap_or(30);
    match relation {
        Some("child" | "grandchild") => Role::Child,
        Some("grandparent" | "parent") => Role::Grandparent,
        _ if age < 19 => Role::Child,
        _ if sex == "male" => Role::Father,
        _ => Role::Mother,
    }
}

fn member_role(m: &Member, on: NaiveDate) -> Role {
    role_of(m.relation.map(gajok_domain::code_list::CodeList::code), sex_code(m), &m.birth_date, on)
}

fn sex_code(m: &Member) -> &'static str {
    gajok_domain::code_list::CodeList::code(m.sex)
}

fn attendance_role(a: &Attendance, on: NaiveDate) -> Role {
    role_of(a.relation.as_deref(), &a.sex, &a.birth_date, on)
}

pub(crate) fn month_bounds(month: &str) -> AppResult<(i32, u32, NaiveDate, NaiveDate)> {
    let (y, m) = parse_month("month", month).map_err(|e| AppError::Validation(FieldErrors(vec![e])))?;
    let first = NaiveDate::from_ymd_opt(y, m, 1).ok_or_else(|| AppError::one_field("month", "invalid_month"))?;
    let next = if m == 12 { NaiveDate::from_ymd_opt(y + 1, 1, 1) } else { NaiveDate::from_ymd_opt(y, m + 1, 1) };
    let last = next.and_then(|d| d.pred_opt()).ok_or_else(|| AppError::one_field("month", "invalid_month"))?;
    Ok((y, m, first, last))
}

fn in_month(date: &str, first: NaiveDate) -> bool {
    date.get(..7) == Some(first.format("%Y-%m").to_string().as_str())
}

/// The age buckets of the rules in force, as (from, to).
fn buckets(on: NaiveDate) -> Vec<(i64, i64)> {
    rules_on(on)
        .param("report", "child_age_buckets")
        .value
        .as_array()
        .map(|a| a.iter().filter_map(|b| Some((b.get(0)?.as_i64()?, b.get(1)?.as_i64()?))).collect::<Vec<(i64, i64)>>())
        .unwrap_or_default()
}

impl App {
    /// The figures of 서식13 for a center's month, from the records.
    pub async fn form13_figures(&self, center_id: i64, month: &str) -> AppResult<Form13> {
        let (y, _m, first, last) = month_bounds(month)?;
        let jan1 = NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or(first);
        let (f, l, j) = (first.to_string(), last.to_string(), jan1.to_string());
        let rules = rules_on(first);
        let mut out = Form13::default();

        // Part A: spaces, users, loans, publicity, regular programs.
        let all_spaces = spaces::of_center(&self.store, center_id).await?;
        out.spaces = all_spaces
            .iter()
            .map(|s| SpaceRow {
                name: s.name.clone(),
                area_m2: s.data.area_m2,
                hours: format!("{}~{}", s.data.open_time, s.data.close_time),
                address: s.address.clone().unwrap_or_default(),
            })
            .collect();
        let found = |from: &str| {
            all_spaces
                .iter()
                .filter(|s| s.data.found_on.as_deref().is_some_and(|d| d >= from && d <= l.as_str()))
                .count() as i64
        };
        out.spaces_found = Pair { month: found(&f), ytd: found(&j) };
        let min = rules.int("visits", "loan_user_min_minutes").unwrap_or(30);
        let year_visits = visits::between(&self.store, center_id, &j, &l).await?;
        let month_visits: Vec<_> = year_visits.iter().filter(|v| v.visit_date >= f).cloned().collect();
        out.spaces_used = month_visits.iter().map(|v| v.space_id).collect::<BTreeSet<_>>().len() as i64;
        let (pm, cm) = count_users(&month_visits, min);
        let (py, cy) = count_users(&year_visits, min);
        out.users_parents = Pair { month: pm, ytd: py };
        out.users_children = Pair { month: cm, ytd: cy };
        out.loans = Pair {
            month: library::count_loans(&self.store, center_id, &f, &l).await?,
            ytd: library::count_loans(&self.store, center_id, &j, &l).await?,
        };
        let events = store::events(&self.store, center_id, &j, &l).await?;
        let count = |kind: &str| Pair {
            month: events.iter().filter(|e| e.kind == kind && in_month(&e.held_on, first)).count() as i64,
            ytd: events.iter().filter(|e| e.kind == kind).count() as i64,
        };
        out.publicity = count("promotion");
        out.whole_programs = count("whole_program");
        out.whole_gatherings = count("whole_gathering");
        out.leader_trainings = count("leader_training");
        let minutes = |month_only: bool| {
            events
                .iter()
                .filter(|e| e.kind == "leader_training" && (!month_only || in_month(&e.held_on, first)))
                .map(|e| e.minutes)
                .sum()
        };
        out.leader_training_minutes = Pair { month: minutes(true), ytd: minutes(false) };
        out.trainings = events
            .iter()
            .filter(|e| e.kind == "leader_training" && in_month(&e.held_on, first))
            .map(|e| TrainingRow {
                date: e.held_on.clone(),
                title: e.title.clone(),
                minutes: e.minutes,
                leaders: e.leaders.len() as i64,
            })
            .collect();
        let sessions = store::space_sessions(&self.store, center_id, &j, &l).await?;
        let sum = |pick: &dyn Fn(&store::SpaceSession) -> i64| Pair {
            month: sessions.iter().filter(|s| s.date >= f).map(pick).sum(),
            ytd: sessions.iter().map(pick).sum(),
        };
        out.regular_sessions = sum(&|_| 1);
        out.regular_minutes = sum(&|s| s.minutes);
        out.regular_participants = sum(&|s| s.participants);

        // Part B: 품앗이 members (cumulative), active persons (연인원), children by age.
        let year_att = store::attendance(&self.store, center_id, &j, &l).await?;
        let took_part: BTreeSet<i64> = year_att.iter().map(|a| a.member_id).collect();
        let fathers_rule = rules.flag("report", "father_counts_if_took_part");
        let joined: Vec<(i64, i64, String)> =
            store::memberships(&self.store, center_id).await?.into_iter().filter(|m| m.2 <= l).collect();
        out.member_groups = joined.iter().map(|m| m.0).collect::<BTreeSet<_>>().len() as i64;
        let families: BTreeSet<i64> = joined.iter().map(|m| m.1).collect();
        out.member_families = families.len() as i64;
        for fam in &families {
            for m in people::family_members(&self.store, *fam).await? {
                let counts = match member_role(&m, last) {
                    Role::Father if fathers_rule => took_part.contains(&m.id),
                    _ => true,
                };
                out.member_persons += i64::from(counts);
            }
        }
        let month_att: Vec<&Attendance> = year_att.iter().filter(|a| a.activity_date >= f).collect();
        let mut family_visits: BTreeSet<(i64, i64)> = BTreeSet::new();
        let mut children: BTreeMap<i64, i64> = BTreeMap::new();
        for a in &month_att {
            if let Some(fam) = a.family_id {
                family_visits.insert((a.activity_id, fam));
            }
            match attendance_role(a, last) {
                Role::Child => {
                    out.active_children += 1;
                    let age = parse_date(&a.birth_date).map(|b| i64::from(age_on(b, last))).unwrap_or(0);
                    children.insert(a.member_id, age);
                }
                Role::Grandparent => out.active_grandparents += 1,
                Role::Father | Role::Mother => out.active_parents += 1,
            }
        }
        out.active_families = family_visits.len() as i64;
        out.age_buckets = buckets(first)
            .into_iter()
            .map(|(from, to)| (from, to, children.values().filter(|a| **a >= from && **a <= to).count() as i64))
            .collect();
        out.age_total = out.age_buckets.iter().map(|b| b.2).sum();
        Ok(out)
    }

    /// 서식13 of a center's month with its workflow state.
    pub async fn form13(&self, p: &Principal, center_id: i64, month: &str) -> AppResult<Form13Report> {
        let state = self.report_state(p, NANUMTEO_REPORT, center_id, month).await?;
        let figures = self.form13_figures(center_id, &state.month).await?;
        let submitted = state.snapshot.clone().and_then(|s| serde_json::from_value(s).ok());
        Ok(Form13Report { state, figures, submitted })
    }

    /// The center manager submits 서식13: the figures are frozen and the month locks.
    pub async fn form13_submit(&self, p: &Principal, center_id: i64, month: &str) -> AppResult<()> {
        self.report_submit(p, NANUMTEO_REPORT, center_id, month, async |month: &str| {
            let figures = self.form13_figures(center_id, month).await?;
            serde_json::to_value(&figures).map_err(|e| AppError::Internal(e.to_string()))
        })
        .await
    }

    /// Refuses a 나눔터 record dated in a month whose 서식13 is submitted (the month lock).
    /// Checked inside the writing transaction, under the month's guard, so a submission cannot
    /// freeze the figures between this check and the write.
    pub(crate) async fn ensure_nanumteo_month_open(&self, tx: &mut Tx, center_id: i64, date: &str) -> AppResult<()> {
        let month = date.get(..7).unwrap_or(date);
        let code = NANUMTEO_REPORT.code;
        gajok_store::reports::guard_month(tx, code, center_id, month, gajok_store::reports::MonthGuard::Writer).await?;
        let status = gajok_store::reports::status_kind(tx.conn(), code, center_id, month).await?;
        if status.locks_month() {
            return Err(AppError::Conflict { code: "month_locked", field: "date" });
        }
        Ok(())
    }

    /// 서식4 (가족품앗이 월별 그룹현황) of a center's month: per group, the parents and children
    /// of its families, a father only if he took part in that month's activities (PM-23).
    pub async fn pumasi_group_status(
        &self,
        p: &Principal,
        center: Option<&str>,
        month: &str,
    ) -> AppResult<GroupStatus> {
        let center_id = self.resolve_center(p, center)?;
        authz::require(authz::can_run_nanumteo(p, center_id))?;
        let center = gajok_store::orgs::get(self.store.reader(), center_id).await?.ok_or(AppError::NotFound)?;
        let (_y, _m, first, last) = month_bounds(month)?;
        let (f, l) = (first.to_string(), last.to_string());
        let att = store::attendance(&self.store, center_id, &f, &l).await?;
        let fathers_rule = rules_on(first).flag("report", "father_counts_if_took_part");
        let mut rows = Vec::new();
        for g in pumasi::groups(&self.store, center_id).await? {
            let fams: Vec<_> =
                pumasi::group_families(&self.store, g.id).await?.into_iter().filter(|x| x.joined_on <= l).collect();
            if fams.is_empty() {
                continue;
            }
            let acts: Vec<_> = pumasi::activities(&self.store, g.id)
                .await?
                .into_iter()
                .filter(|a| in_month(&a.activity_date, first))
                .collect();
            let present: BTreeSet<i64> = att.iter().filter(|a| a.group_id == g.id).map(|a| a.member_id).collect();
            let mut row = GroupStatusRow {
                group_id: g.id,
                name: g.name.clone(),
                kind: g.kind,
                families: fams.len() as i64,
                activities: acts.len() as i64,
                dates: acts
                    .iter()
                    .rev()
                    .map(|a| format!("{} {}~{}", a.activity_date, a.start_time, a.end_time))
                    .collect(),
                places: acts.iter().map(|a| a.place.clone()).collect::<BTreeSet<_>>().into_iter().collect(),
                contents: acts.iter().rev().map(|a| a.content.clone()).collect(),
                fathers: 0,
                fathers_absent: 0,
                mothers: 0,
                grandparents: 0,
                children: 0,
            };
            for fam in &fams {
                for m in people::family_members(&self.store, fam.family_id).await? {
                    match member_role(&m, last) {
                        Role::Father if fathers_rule && !present.contains(&m.id) => row.fathers_absent += 1,
                        Role::Father => row.fathers += 1,
                        Role::Mother => row.mothers += 1,
                        Role::Grandparent => row.grandparents += 1,
                        Role::Child => row.children += 1,
                    }
                }
            }
            rows.push(row);
        }
        let total = |pick: fn(&GroupStatusRow) -> i64| rows.iter().map(pick).sum::<i64>();
        Ok(GroupStatus {
            fathers: total(|r| r.fathers),
            mothers: total(|r| r.mothers),
            grandparents: total(|r| r.grandparents),
            children: total(|r| r.children),
            fathers_absent: total(|r| r.fathers_absent),
            center,
            month: first.format("%Y-%m").to_string(),
            rows,
        })
    }
}

/// One row of 서식4.
#[derive(Debug, Clone, Serialize)]
pub struct GroupStatusRow {
    pub group_id: i64,
    pub name: String,
    pub kind: gajok_domain::nanumteo::PumasiKind,
    pub families: i64,
    pub fathers: i64,
    /// Fathers of the group's families who did not take part this month (not counted).
    pub fathers_absent: i64,
    pub mothers: i64,
    pub grandparents: i64,
    pub children: i64,
    pub activities: i64,
    pub dates: Vec<String>,
    pub places: Vec<String>,
    pub contents: Vec<String>,
}

impl GroupStatusRow {
    pub fn parents(&self) -> i64 {
        self.fathers + self.mothers
    }
    pub fn total(&self) -> i64 {
        self.fathers + self.mothers + self.grandparents + self.children
    }
}

/// 서식4 of a month.
#[derive(Debug, Clone, Serialize)]
pub struct GroupStatus {
    pub center: gajok_store::orgs::OrgUnit,
    pub month: String,
    pub rows: Vec<GroupStatusRow>,
    pub fathers: i64,
    pub mothers: i64,
    pub grandparents: i64,
    pub children: i64,
    pub fathers_absent: i64,
}

impl GroupStatus {
    /// 총 활동인원 = 부 + 모 + 자녀 (+ 조부모).
    pub fn total(&self) -> i64 {
        self.fathers + self.mothers + self.grandparents + self.children
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn roles_by_relation_then_age() {
        let on = d("2026-05-31");
        assert_eq!(role_of(Some("child"), "male", "2020-01-01", on), Role::Child);
        assert_eq!(role_of(Some("reference"), "male", "1985-01-01", on), Role::Father);
        assert_eq!(role_of(Some("spouse"), "female", "1986-01-01", on), Role::Mother);
        assert_eq!(role_of(Some("grandparent"), "female", "1955-01-01", on), Role::Grandparent);
        assert_eq!(role_of(None, "female", "2015-01-01", on), Role::Child);
        assert_eq!(role_of(Some("sibling"), "male", "2016-01-01", on), Role::Child);
        assert_eq!(role_of(Some("parent"), "male", "1950-01-01", on), Role::Grandparent);
        assert_eq!(role_of(None, "male", "1980-01-01", on), Role::Father);
    }

    #[test]
    fn the_guide_buckets_come_from_rules() {
        let b = buckets(d("2026-05-01"));
        assert_eq!(b.len(), 10);
        assert_eq!(b[0], (0, 1));
        assert_eq!(b[7], (8, 10));
        assert_eq!(b[9], (14, 19));
    }

    #[test]
    fn month_bounds_end_on_the_last_day() {
        assert_eq!(month_bounds("2026-02").unwrap().3, d("2026-02-28"));
        assert_eq!(month_bounds("2026-12").unwrap().3, d("2026-12-31"));
    }
}
