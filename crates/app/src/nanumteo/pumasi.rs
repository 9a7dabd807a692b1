//! 가족품앗이: groups of at least two families (PM-09), the monthly plan (서식7) with its
//! 4-step approval before the month starts (PM-12), activity logs with real-name attendees
//! (서식5), and reimbursed expenses within the caps (PM-05, PM-06, PM-08, PM-15, PM-17).

use chrono::{Datelike, NaiveDate};
use gajok_domain::code_list::CodeList;
use gajok_domain::field::{FieldError, FieldErrors};
use gajok_domain::nanumteo::{
    ExpenseCategory, PLAN_STEPS, PumasiKind, dual_income_percent, half_of, is_mixed_dual_income, minutes_between,
    parse_hhmm,
};
use gajok_domain::text;
use gajok_domain::time::parse_date;
use gajok_store::audit::{self, NewEvent};
use gajok_store::nanumteo::pumasi::{
    self, Activity, Expense, Group, GroupFamily, NewActivity, NewExpense, NewGroup, NewPlan, Plan,
};
use gajok_store::orgs::{self, OrgUnit};
use gajok_store::people::{self, Member};
use serde::Serialize;

use super::refusal::{NtResult, Refusal, won};
use super::rules::rules_on;
use crate::error::{AppError, AppResult};
use crate::principal::Principal;
use crate::reports::parse_month;
use crate::{App, authz};

fn today() -> NaiveDate {
    gajok_domain::time::kst_date(chrono::Utc::now())
}

fn first_of(month: &str) -> Option<NaiveDate> {
    parse_date(&format!("{month}-01"))
}

#[derive(Debug, Clone, Serialize)]
pub struct FamilyRow {
    pub family: GroupFamily,
    pub members: Vec<Member>,
    pub dual_income: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupView {
    pub group: Group,
    pub center: OrgUnit,
    pub families: Vec<FamilyRow>,
    pub dual_percent: i64,
    pub mixed: bool,
    /// The group's monthly cap and its rule id.
    pub cap: i64,
    pub cap_rule: String,
    pub plans: Vec<Plan>,
    pub activities: Vec<Activity>,
    pub next_month: String,
    /// Families still owing their orientation (PM-11).
    pub missing_orientation: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupSummary {
    pub group: Group,
    pub families: usize,
    pub dual_percent: i64,
    pub plan_steps: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct MoneyMonth {
    pub month: String,
    pub approved_groups: i64,
    pub cap: i64,
    pub spent: i64,
    pub expenses: Vec<Expense>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PumasiIndex {
    pub center: OrgUnit,
    pub groups: Vec<GroupSummary>,
    pub month: String,
    pub money: MoneyMonth,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct GroupInput {
    pub name: Option<String>,
    pub kind: Option<String>,
    pub theme: Option<String>,
    /// Family ids, comma-separated or repeated.
    pub families: Option<String>,
    pub leader_member_id: Option<String>,
    pub formed_on: Option<String>,
    pub orientation_on: Option<String>,
    pub center: Option<String>,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct PlanInput {
    pub month: Option<String>,
    pub purpose: Option<String>,
    pub activities: Option<String>,
    pub materials: Option<String>,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ActivityInput {
    pub date: Option<String>,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub place: Option<String>,
    pub content: Option<String>,
    /// Member ids of the attendees, comma-separated.
    pub attendees: Option<String>,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ExpenseInput {
    pub spent_on: Option<String>,
    pub category: Option<String>,
    pub amount: Option<String>,
    pub receipt_no: Option<String>,
    pub description: Option<String>,
}

fn s(v: &Option<String>) -> String {
    text::clean(v.as_deref().unwrap_or_default())
}

fn ids(v: &Option<String>) -> Option<Vec<i64>> {
    let mut out = Vec::new();
    for p in v.as_deref().unwrap_or_default().split([',', ' ']).filter(|p| !p.is_empty()) {
        out.push(p.parse().ok()?);
    }
    out.sort_unstable();
    out.dedup();
    Some(out)
}

impl App {
    async fn family_rows(&self, families: Vec<GroupFamily>) -> AppResult<Vec<FamilyRow>> {
        let mut out = Vec::new();
        for f in families {
            let members = people::family_members(&self.store, f.family_id).await?;
            // A family is dual-income when its record says so on any adult member.
            let dual_income = members.iter().any(|m| m.dual_income);
            out.push(FamilyRow { family: f, members, dual_income });
        }
        Ok(out)
    }

    /// The group's monthly cap: 30,000, or 60,000 for a group mixing dual-income and other
    /// families with at least 40 % dual-income (2018 on); with the rule that set it.
    fn group_cap(on: NaiveDate, dual: i64, total: i64) -> (i64, String, bool) {
        let r = rules_on(on);
        let base = r.int("pumasi", "monthly_per_group_won").unwrap_or(0);
        match (r.int("pumasi", "mixed_dual_income_per_group_won"), r.int("pumasi", "mixed_dual_income_min_percent")) {
            (Some(mixed), Some(min)) if is_mixed_dual_income(dual, total, min) => {
                (mixed, r.rule("pumasi", "mixed_dual_income_per_group_won").to_string(), true)
            }
            _ => (base, r.rule("pumasi", "monthly_per_group_won").to_string(), false),
        }
    }

    async fn group_in_scope(&self, p: &Principal, id: i64) -> AppResult<(Group, OrgUnit)> {
        let g = pumasi::group(&self.store, id).await?.ok_or(AppError::NotFound)?;
        if !authz::can_run_nanumteo(p, g.center_id) {
            return Err(AppError::NotFound);
        }
        let center = orgs::get(self.store.reader(), g.center_id).await?.ok_or(AppError::NotFound)?;
        Ok((g, center))
    }

    async fn mix_of(&self, group_id: i64) -> AppResult<(i64, i64)> {
        let fams = self.family_rows(pumasi::group_families(&self.store, group_id).await?).await?;
        Ok((fams.iter().filter(|f| f.dual_income).count() as i64, fams.len() as i64))
    }

    pub async fn pumasi_money(&self, center_id: i64, month: &str) -> AppResult<MoneyMonth> {
        let on = first_of(month).unwrap_or_else(today);
        let steps = PLAN_STEPS.len() as i64;
        let approved = pumasi::approved_groups(&self.store, center_id, month, steps).await?;
        let mut cap = 0;
        for g in &approved {
            let (dual, total) = self.mix_of(*g).await?;
            cap += Self::group_cap(on, dual, total).0;
        }
        let expenses = pumasi::expenses(&self.store, center_id, month, month).await?;
        let spent = expenses.iter().filter(|e| e.category == ExpenseCategory::Materials).map(|e| e.amount).sum();
        Ok(MoneyMonth { month: month.to_string(), approved_groups: approved.len() as i64, cap, spent, expenses })
    }

    pub async fn pumasi_index(
        &self,
        p: &Principal,
        center: Option<&str>,
        month: Option<&str>,
    ) -> AppResult<PumasiIndex> {
        let center_id = self.resolve_center(p, center)?;
        authz::require(authz::can_run_nanumteo(p, center_id))?;
        let center = orgs::get(self.store.reader(), center_id).await?.ok_or(AppError::NotFound)?;
        let month = match month.map(str::trim).filter(|m| !m.is_empty()) {
            Some(m) => {
                let (y, mo) = parse_month("month", m).map_err(|e| AppError::Validation(FieldErrors(vec![e])))?;
                format!("{y:04}-{mo:02}")
            }
            None => today().format("%Y-%m").to_string(),
        };
        let mut groups = Vec::new();
        for g in pumasi::groups(&self.store, center_id).await? {
            let (dual, total) = self.mix_of(g.id).await?;
            let plan_steps = pumasi::plan_for(&self.store, g.id, &month).await?.map_or(0, |p| p.steps_done);
            groups.push(GroupSummary {
                families: total as usize,
                dual_percent: dual_income_percent(dual, total),
                plan_steps,
                group: g,
            });
        }
        let money = self.pumasi_money(center_id, &month).await?;
        Ok(PumasiIndex { center, groups, month, money })
    }

    pub async fn pumasi_group(&self, p: &Principal, id: i64) -> AppResult<GroupView> {
        let (group, center) = self.group_in_scope(p, id).await?;
        let families = self.family_rows(pumasi::group_families(&self.store, id).await?).await?;
        let dual = families.iter().filter(|f| f.dual_income).count() as i64;
        let total = families.len() as i64;
        let t = today();
        let (cap, cap_rule, mixed) = Self::group_cap(t, dual, total);
        let next =
            if t.month() == 12 { format!("{}-01", t.year() + 1) } else { format!("{}-{:02}", t.year(), t.month() + 1) };
        let missing_orientation = families
            .iter()
            .filter(|f| f.family.orientation_on.is_none())
            .map(|f| f.family.family_name.clone())
            .collect();
        Ok(GroupView {
            plans: pumasi::plans_of_group(&self.store, id).await?,
            activities: pumasi::activities(&self.store, id).await?,
            dual_percent: dual_income_percent(dual, total),
            mixed,
            cap,
            cap_rule,
            families,
            group,
            center,
            next_month: next,
            missing_orientation,
        })
    }

    /// Forms a group. Refused (PM-09) below the minimum number of families.
    pub async fn pumasi_create_group(&self, p: &Principal, input: &GroupInput) -> NtResult<i64> {
        let center_id = self.resolve_center(p, input.center.as_deref())?;
        authz::require(authz::can_run_nanumteo(p, center_id))?;
        let center = orgs::get(self.store.reader(), center_id).await?.ok_or(AppError::NotFound)?;
        let mut e = FieldErrors::new();
        let name = s(&input.name);
        if name.is_empty() || name.chars().count() > 60 {
            e.push(FieldError::new("name", "required"));
        }
        let kind = e.take(
            PumasiKind::parse(s(&input.kind).as_str()).ok_or(
                FieldError::new("kind", "invalid_choice")
                    .with_allowed(PumasiKind::codes().iter().map(|c| c.to_string()).collect()),
            ),
        );
        let families = e.take(ids(&input.families).ok_or(FieldError::new("families", "invalid_number")));
        let formed = match s(&input.formed_on).as_str() {
            "" => Some(today()),
            d => e.take(parse_date(d).ok_or(FieldError::new("formed_on", "invalid_date"))),
        };
        let orientation = match s(&input.orientation_on).as_str() {
            "" => None,
            d => e.take(parse_date(d).ok_or(FieldError::new("orientation_on", "invalid_date"))),
        };
        let leader = match s(&input.leader_member_id).as_str() {
            "" => None,
            l => e.take(l.parse::<i64>().map_err(|_| FieldError::new("leader_member_id", "invalid_number"))),
        };
        e.finish()?;
        let (families, formed) = (families.unwrap_or_default(), formed.unwrap_or_else(today));
        let r = rules_on(formed);
        let min = r.int("pumasi", "min_families").unwrap_or(2);
        if (families.len() as i64) < min {
            return Err(Refusal::new("group-too-small", r.rule("pumasi", "min_families"))
                .arg("n", families.len())
                .arg("min", min)
                .into());
        }
        for f in &families {
            let fam = people::family(self.store.reader(), *f).await?.filter(|x| x.center_id == center_id);
            if fam.is_none() {
                return Err(AppError::one_field("families", "not_in_center").into());
            }
        }
        if let Some(l) = leader {
            let m = people::get(self.store.reader(), l).await?;
            if !m.is_some_and(|m| m.family_id.is_some_and(|f| families.contains(&f))) {
                return Err(AppError::one_field("leader_member_id", "not_in_group").into());
            }
        }
        let orientation_s = orientation.map(|d| d.to_string());
        let theme = text::clean_opt(input.theme.as_deref());
        let formed_s = formed.to_string();
        let g = NewGroup {
            name: &name,
            kind: kind.unwrap_or(PumasiKind::Play),
            theme: theme.as_deref(),
            leader_member_id: leader,
            formed_on: &formed_s,
            orientation_on: orientation_s.as_deref(),
        };
        let mut tx = self.store.begin().await?;
        let id = pumasi::insert_group(&mut tx, center_id, &g, &families).await?;
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "create",
                entity_type: "pumasi_group",
                entity_id: id.to_string(),
                org_unit_id: Some(center_id),
                org_path: center.path.clone(),
                summary: format!("품앗이 그룹 구성: {name} ({}가정)", families.len()),
                before: None,
                after: Some(serde_json::json!({ "name": name, "kind": g.kind.code(), "families": families })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Submits the monthly plan (서식7, step 1 of 4). Refused (PM-12) once the month started.
    pub async fn pumasi_submit_plan(&self, p: &Principal, group_id: i64, input: &PlanInput) -> NtResult<i64> {
        let (group, center) = self.group_in_scope(p, group_id).await?;
        let mut e = FieldErrors::new();
        let month = e.take(parse_month("month", &s(&input.month)));
        let purpose = s(&input.purpose);
        let activities = input.activities.as_deref().map(text::clean).unwrap_or_default();
        if purpose.is_empty() {
            e.push(FieldError::new("purpose", "required"));
        }
        if activities.is_empty() {
            e.push(FieldError::new("activities", "required"));
        }
        e.finish()?;
        let (y, m) = month.unwrap_or((2000, 1));
        let month = format!("{y:04}-{m:02}");
        let start = first_of(&month).unwrap_or_else(today);
        let r = rules_on(start);
        let t = today();
        if r.flag("pumasi", "plan_before_month") && t >= start {
            return Err(Refusal::new("plan-late", r.rule("pumasi", "plan_before_month"))
                .arg("month", &month)
                .arg("today", t)
                .into());
        }
        if pumasi::plan_for(&self.store, group_id, &month).await?.is_some() {
            return Err(AppError::Conflict { code: "nt_plan_exists", field: "month" }.into());
        }
        let materials = text::clean_opt(input.materials.as_deref());
        let mut tx = self.store.begin().await?;
        let np = NewPlan {
            group_id,
            month: &month,
            purpose: &purpose,
            activities: &activities,
            materials: materials.as_deref(),
        };
        let id = pumasi::insert_plan(&mut tx, center.id, &np, p.user.id, &p.user.display_name).await?;
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "submit",
                entity_type: "pumasi_plan",
                entity_id: id.to_string(),
                org_unit_id: Some(center.id),
                org_path: center.path.clone(),
                summary: format!("품앗이 월별 계획서 제출: {} {month}", group.name),
                before: None,
                after: Some(serde_json::json!({ "month": month, "purpose": purpose })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Signs the next approval step (팀장, 사무국장, 센터장). Refused once the month started.
    pub async fn pumasi_sign_plan(&self, p: &Principal, plan_id: i64) -> NtResult<i64> {
        let plan = pumasi::plan(&self.store, plan_id).await?.ok_or(AppError::NotFound)?;
        let (group, center) = self.group_in_scope(p, plan.group_id).await?;
        let step = plan.steps_done + 1;
        if step > PLAN_STEPS.len() as i64 {
            return Err(AppError::Conflict { code: "nt_plan_approved", field: "plan" }.into());
        }
        authz::require(authz::can_sign_pumasi_plan(p, center.id, step))?;
        let start = first_of(&plan.month).unwrap_or_else(today);
        let r = rules_on(start);
        let t = today();
        if r.flag("pumasi", "plan_before_month") && t >= start {
            return Err(Refusal::new("plan-late", r.rule("pumasi", "plan_before_month"))
                .arg("month", &plan.month)
                .arg("today", t)
                .into());
        }
        let mut tx = self.store.begin().await?;
        if !pumasi::sign_next(&mut tx, &plan, p.user.id, &p.user.display_name).await? {
            return Err(AppError::Conflict { code: "stale_version", field: "plan" }.into());
        }
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "approve",
                entity_type: "pumasi_plan",
                entity_id: plan.id.to_string(),
                org_unit_id: Some(center.id),
                org_path: center.path.clone(),
                summary: format!(
                    "품앗이 계획서 결재 {}단계({}): {} {}",
                    step,
                    PLAN_STEPS[(step - 1) as usize].0,
                    group.name,
                    plan.month
                ),
                before: Some(serde_json::json!({ "steps_done": plan.steps_done })),
                after: Some(serde_json::json!({ "steps_done": step })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(group.id)
    }

    /// Writes an activity log (서식5); attendees must belong to the group's families.
    pub async fn pumasi_log_activity(&self, p: &Principal, group_id: i64, input: &ActivityInput) -> AppResult<i64> {
        let (group, center) = self.group_in_scope(p, group_id).await?;
        let mut e = FieldErrors::new();
        let date = e.take(parse_date(&s(&input.date)).ok_or(FieldError::new("date", "invalid_date")));
        let start = e.take(parse_hhmm(&s(&input.start_time)).ok_or(FieldError::new("start_time", "invalid_time")));
        let end = e.take(parse_hhmm(&s(&input.end_time)).ok_or(FieldError::new("end_time", "invalid_time")));
        let place = s(&input.place);
        let content = s(&input.content);
        if place.is_empty() {
            e.push(FieldError::new("place", "required"));
        }
        if content.is_empty() {
            e.push(FieldError::new("content", "required"));
        }
        let attendees =
            e.take(ids(&input.attendees).filter(|v| !v.is_empty()).ok_or(FieldError::new("attendees", "required")));
        if let (Some(a), Some(b)) = (&start, &end)
            && minutes_between(a, b).is_none_or(|m| m <= 0)
        {
            e.push(FieldError::new("end_time", "invalid_time"));
        }
        e.finish()?;
        let attendees = attendees.unwrap_or_default();
        let fams: Vec<i64> = pumasi::group_families(&self.store, group_id).await?.iter().map(|f| f.family_id).collect();
        for a in &attendees {
            let ok = people::get(self.store.reader(), *a)
                .await?
                .is_some_and(|m| m.family_id.is_some_and(|f| fams.contains(&f)));
            if !ok {
                return Err(AppError::one_field("attendees", "not_in_group"));
            }
        }
        let (date, start, end) =
            (date.unwrap_or_default().to_string(), start.unwrap_or_default(), end.unwrap_or_default());
        // A month whose 서식13 is submitted is locked (the same lock as the center's report).
        let na = NewActivity {
            group_id,
            activity_date: &date,
            start_time: &start,
            end_time: &end,
            place: &place,
            content: &content,
        };
        let mut tx = self.store.begin().await?;
        self.ensure_nanumteo_month_open(&mut tx, center.id, &date).await?;
        let id = pumasi::insert_activity(&mut tx, center.id, &na, &attendees).await?;
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "create",
                entity_type: "pumasi_activity",
                entity_id: id.to_string(),
                org_unit_id: Some(center.id),
                org_path: center.path.clone(),
                summary: format!("품앗이 활동일지: {} {date} ({}명)", group.name, attendees.len()),
                before: None,
                after: Some(serde_json::json!({ "date": date, "attendees": attendees })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records a reimbursed expense with its receipt. Every refusal names its rule.
    pub async fn pumasi_add_expense(&self, p: &Principal, group_id: i64, input: &ExpenseInput) -> NtResult<i64> {
        let (group, center) = self.group_in_scope(p, group_id).await?;
        let mut e = FieldErrors::new();
        let spent = e.take(parse_date(&s(&input.spent_on)).ok_or(FieldError::new("spent_on", "invalid_date")));
        let cat = e.take(
            ExpenseCategory::parse(&s(&input.category)).ok_or(
                FieldError::new("category", "invalid_choice")
                    .with_allowed(ExpenseCategory::codes().iter().map(|c| c.to_string()).collect()),
            ),
        );
        let amount = e.take(
            s(&input.amount)
                .replace(',', "")
                .parse::<i64>()
                .ok()
                .filter(|a| (1..=10_000_000).contains(a))
                .ok_or(FieldError::new("amount", "invalid_number")),
        );
        let receipt = s(&input.receipt_no);
        if receipt.is_empty() {
            e.push(FieldError::new("receipt_no", "required"));
        }
        let description = s(&input.description);
        if description.is_empty() {
            e.push(FieldError::new("description", "required"));
        }
        e.finish()?;
        let (spent, cat, amount) =
            (spent.unwrap_or_else(today), cat.unwrap_or(ExpenseCategory::Materials), amount.unwrap_or(0));
        let r = rules_on(spent);
        match cat {
            ExpenseCategory::Snacks if !r.flag("pumasi", "snacks_allowed") => {
                return Err(Refusal::new("snacks", r.rule("pumasi", "snacks_allowed")).into());
            }
            ExpenseCategory::Asset if !r.flag("pumasi", "assets_allowed") => {
                return Err(Refusal::new("asset", r.rule("pumasi", "assets_allowed")).into());
            }
            _ => {}
        }
        let month = spent.format("%Y-%m").to_string();
        let steps = PLAN_STEPS.len() as i64;
        let approved = pumasi::plan_for(&self.store, group_id, &month).await?.is_some_and(|pl| pl.steps_done >= steps);
        if !approved {
            return Err(Refusal::new("no-approved-plan", r.rule("pumasi", "monthly_per_group_won"))
                .arg("month", &month)
                .into());
        }
        let (dual, total) = self.mix_of(group_id).await?;
        if cat == ExpenseCategory::ExperienceFee {
            let half = half_of(spent);
            let year = spent.year();
            let (from, to) = if half == 1 {
                (format!("{year}-01"), format!("{year}-06"))
            } else {
                (format!("{year}-07"), format!("{year}-12"))
            };
            let used = pumasi::expenses(&self.store, center.id, &from, &to)
                .await?
                .iter()
                .filter(|x| x.group_id == group_id && x.category == ExpenseCategory::ExperienceFee)
                .count() as i64;
            let times = r.int("pumasi", "experience_fee_times_per_half").unwrap_or(1);
            if used >= times {
                return Err(Refusal::new("experience-once", r.rule("pumasi", "experience_fee_times_per_half"))
                    .arg("half", half)
                    .arg("times", times)
                    .into());
            }
            let mixed_cap =
                r.int("pumasi", "mixed_dual_income_min_percent").filter(|m| is_mixed_dual_income(dual, total, *m));
            let (cap, rule) = match (mixed_cap, r.int("pumasi", "experience_fee_mixed_per_half_won")) {
                (Some(_), Some(c)) => (c, r.rule("pumasi", "experience_fee_mixed_per_half_won")),
                _ => (
                    r.int("pumasi", "experience_fee_per_half_won").unwrap_or(0),
                    r.rule("pumasi", "experience_fee_per_half_won"),
                ),
            };
            if amount > cap {
                return Err(Refusal::new("experience-cap", rule)
                    .arg("amount", won(amount))
                    .arg("cap", won(cap))
                    .into());
            }
        } else {
            let money = self.pumasi_money(center.id, &month).await?;
            if money.spent + amount > money.cap {
                return Err(Refusal::new("monthly-cap", r.rule("pumasi", "monthly_per_group_won"))
                    .arg("month", &month)
                    .arg("groups", money.approved_groups)
                    .arg("cap", won(money.cap))
                    .arg("spent", won(money.spent))
                    .arg("amount", won(amount))
                    .arg("left", won((money.cap - money.spent).max(0)))
                    .into());
            }
        }
        let ne = NewExpense {
            group_id,
            month: &month,
            spent_on: &spent.to_string(),
            category: cat,
            amount,
            receipt_no: &receipt,
            description: &description,
        };
        let mut tx = self.store.begin().await?;
        let id = pumasi::insert_expense(&mut tx, center.id, &ne).await?;
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "create",
                entity_type: "pumasi_expense",
                entity_id: id.to_string(),
                org_unit_id: Some(center.id),
                org_path: center.path.clone(),
                summary: format!("품앗이 활동비 정산: {} {}원 ({})", group.name, won(amount), cat.label_ko()),
                before: None,
                after: Some(serde_json::json!({ "amount": amount, "category": cat.code(), "receipt_no": receipt, "spent_on": spent.to_string() })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }
}
