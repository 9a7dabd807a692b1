//! Safety of a space (seed 001 Ch.5 §3): the weekly and quarterly checklists with inspector
//! and confirmer, the semi-annual report, temperature and humidity readings with alerts,
//! reminders of outside inspections, and the CCTV viewing-request ledger.

use std::collections::HashMap;

use chrono::{Datelike, Months, NaiveDate};
use gajok_domain::code_list::CodeList;
use gajok_domain::field::{FieldError, FieldErrors};
use gajok_domain::nanumteo::parse_hhmm;
use gajok_domain::nanumteo_safety::{CctvRequester, CctvStatus, ChecklistKind, InspectionKind, ItemResult};
use gajok_domain::role::Role;
use gajok_domain::text;
use gajok_domain::time::parse_date;
use gajok_store::audit::{self, NewEvent};
use gajok_store::nanumteo::safety::{
    self as store, CctvRequest, Checklist, Inspection, ItemEntry, NewCctvRequest, NewChecklist, Reading,
};
use gajok_store::orgs::OrgUnit;
use serde::Serialize;

use super::refusal::{NtResult, Refusal};
use super::safety_rules::{ItemDef, SafetyEdition, safety_rules_on};
use super::spaces::Level;
use crate::error::{AppError, AppResult};
use crate::principal::Principal;
use crate::{App, authz};

pub fn today() -> NaiveDate {
    gajok_domain::time::kst_date(chrono::Utc::now())
}

fn date_or_today(field: &'static str, v: Option<&str>) -> AppResult<NaiveDate> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        Some(d) => parse_date(d).ok_or_else(|| AppError::one_field(field, "invalid_date")),
        None => Ok(today()),
    }
}

/// Whether a reading is inside the guide's ranges; the alert codes for what is outside.
pub fn reading_alerts(r: &SafetyEdition, temperature_x10: i64, humidity: i64) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let (tmin, tmax) = (r.int("temperature_min_c") * 10, r.int("temperature_max_c") * 10);
    if temperature_x10 < tmin {
        out.push(("temp-low", r.rule("temperature_min_c").to_string()));
    } else if temperature_x10 > tmax {
        out.push(("temp-high", r.rule("temperature_max_c").to_string()));
    }
    if humidity < r.int("humidity_min_pct") {
        out.push(("humidity-low", r.rule("humidity_min_pct").to_string()));
    } else if humidity > r.int("humidity_max_pct") {
        out.push(("humidity-high", r.rule("humidity_max_pct").to_string()));
    }
    out
}

/// `23.5` from tenths.
pub fn tenths(x: i64) -> String {
    format!("{}{}.{}", if x < 0 { "-" } else { "" }, x.abs() / 10, x.abs() % 10)
}

/// The weekly checklist's items on temperature and humidity (seed 001 L719-720).
pub const WEEKLY_TEMPERATURE_ITEM: i64 = 8;
pub const WEEKLY_HUMIDITY_ITEM: i64 = 9;

/// A reminder: something due by a date, from the last record (or never recorded).
#[derive(Debug, Clone, Serialize)]
pub struct Reminder {
    /// `weekly`, `quarterly`, or an inspection kind code.
    pub what: &'static str,
    pub rule: String,
    pub last: Option<String>,
    pub due: Option<String>,
    pub level: Level,
    /// `ok`, `due-soon`, `overdue`, `never`
    pub state: &'static str,
}

fn reminder(
    what: &'static str,
    rule: &str,
    last: Option<NaiveDate>,
    due: Option<NaiveDate>,
    warn: i64,
    today: NaiveDate,
) -> Reminder {
    let (level, state) = match due {
        None => (Level::Fail, "never"),
        Some(d) if d < today => (Level::Fail, "overdue"),
        Some(d) if (d - today).num_days() <= warn => (Level::Warn, "due-soon"),
        Some(_) => (Level::Ok, "ok"),
    };
    Reminder {
        what,
        rule: rule.to_string(),
        last: last.map(|d| d.to_string()),
        due: due.map(|d| d.to_string()),
        level,
        state,
    }
}

fn inspection_key(k: InspectionKind) -> &'static str {
    match k {
        InspectionKind::Electrical => "electrical_every_months",
        InspectionKind::Gas => "gas_every_months",
        InspectionKind::Elevator => "elevator_every_months",
        InspectionKind::PestControl => "pest_control_every_months",
    }
}

/// The reminders of a space on `today`: checklists (weekly, quarterly) and inspections.
pub fn reminders(
    r: &SafetyEdition,
    last_weekly: Option<NaiveDate>,
    last_quarterly: Option<NaiveDate>,
    inspections: &[Inspection],
    today: NaiveDate,
) -> Vec<Reminder> {
    let warn = r.int("inspection_warn_days");
    let mut out = Vec::new();
    let wd = r.int("weekly_checklist_days");
    out.push(reminder(
        "weekly",
        r.rule("weekly_checklist_days"),
        last_weekly,
        last_weekly.map(|d| d + chrono::Days::new(wd as u64)),
        1,
        today,
    ));
    let qm = r.int("quarterly_checklist_months") as u32;
    out.push(reminder(
        "quarterly",
        r.rule("quarterly_checklist_months"),
        last_quarterly,
        last_quarterly.and_then(|d| d.checked_add_months(Months::new(qm))),
        14,
        today,
    ));
    for k in InspectionKind::ALL {
        let key = inspection_key(*k);
        let last = inspections.iter().filter(|i| i.kind == *k).filter_map(|i| parse_date(&i.done_on)).max();
        let months = r.int(key) as u32;
        let mut rem = reminder(
            k.code(),
            r.rule(key),
            last,
            last.and_then(|d| d.checked_add_months(Months::new(months))),
            warn,
            today,
        );
        // Not every space has an elevator: never recorded is a question, not a failure.
        if *k == InspectionKind::Elevator && rem.state == "never" {
            rem.level = Level::Warn;
        }
        out.push(rem);
    }
    out
}

/// A checklist line: the guide's item with what was recorded.
#[derive(Debug, Clone, Serialize)]
pub struct ItemLine {
    pub def: ItemDef,
    pub entry: Option<ItemEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChecklistView {
    pub site: OrgUnit,
    pub checklist: Checklist,
    pub title: String,
    pub rule: String,
    pub source: String,
    pub lines: Vec<ItemLine>,
    /// The caller may confirm: not confirmed yet and not the inspector.
    pub can_confirm: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChecklistForm {
    pub site: OrgUnit,
    pub kind: ChecklistKind,
    pub title: String,
    pub rule: String,
    pub source: String,
    pub items: Vec<ItemDef>,
    pub today: String,
    /// Items the last week's readings put in doubt (weekly items 8 and 9, temperature and
    /// humidity): the form proposes 불량 for them.
    pub suggest_poor: Vec<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReadingLine {
    pub reading: Reading,
    pub temperature: String,
    pub alerts: Vec<(&'static str, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SafetyView {
    pub site: OrgUnit,
    pub center: OrgUnit,
    pub reminders: Vec<Reminder>,
    pub checklists: Vec<Checklist>,
    pub readings: Vec<ReadingLine>,
    /// Alerts of the newest reading (the banner).
    pub latest_alerts: Vec<(&'static str, String)>,
    pub inspections: Vec<Inspection>,
    pub cctv: Vec<CctvRequest>,
    pub is_head: bool,
    pub today: String,
    /// Half-years that have checklists, for the report links: ("2026-H1", "2026년 상반기").
    pub halves: Vec<String>,
    pub ranges: (i64, i64, i64, i64),
}

/// A 불량 item with its follow-up, for the semi-annual report.
#[derive(Debug, Clone, Serialize)]
pub struct PoorLine {
    pub checklist_id: i64,
    pub checked_on: String,
    pub kind: ChecklistKind,
    pub item_no: i64,
    pub text: String,
    pub action_taken: Option<String>,
    pub followed_up_on: Option<String>,
    pub follow_up: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SafetyReport {
    pub site: OrgUnit,
    pub center: OrgUnit,
    pub half: String,
    pub from: String,
    pub to: String,
    pub rule: String,
    pub weekly_done: i64,
    pub weekly_expected: i64,
    pub quarterly_done: i64,
    pub quarterly_expected: i64,
    pub unconfirmed: i64,
    pub poor: Vec<PoorLine>,
    pub open_poor: i64,
    pub readings: i64,
    pub readings_out: i64,
    pub inspections: Vec<Inspection>,
    pub cctv_requests: i64,
    pub checklists: Vec<Checklist>,
}

/// "2026-H1" → (2026-01-01, 2026-06-30).
pub fn half_range(half: &str) -> Option<(NaiveDate, NaiveDate)> {
    let (y, h) = half.split_once("-H")?;
    let y: i32 = y.parse().ok()?;
    match h {
        "1" => Some((NaiveDate::from_ymd_opt(y, 1, 1)?, NaiveDate::from_ymd_opt(y, 6, 30)?)),
        "2" => Some((NaiveDate::from_ymd_opt(y, 7, 1)?, NaiveDate::from_ymd_opt(y, 12, 31)?)),
        _ => None,
    }
}

pub fn half_of(d: NaiveDate) -> String {
    format!("{}-H{}", d.year(), if d.month() <= 6 { 1 } else { 2 })
}

/// Weekly and quarterly checklists due in a half-year by `today`: one a week so far, and one
/// for each quarter that has ended.
pub fn expected_checks(from: NaiveDate, to: NaiveDate, today: NaiveDate) -> (i64, i64) {
    let upto = to.min(today);
    let weeks = if upto < from { 0 } else { ((upto - from).num_days() + 1) / 7 };
    let quarters = [3u32, 6, 9, 12]
        .iter()
        .filter_map(|m| NaiveDate::from_ymd_opt(from.year(), *m, 1)?.checked_add_months(Months::new(1))?.pred_opt())
        .filter(|end| *end >= from && *end <= upto)
        .count() as i64;
    (weeks, quarters)
}

fn is_head(p: &Principal, center_id: i64) -> bool {
    p.roles.iter().any(|r| r.role == Role::CenterManager && r.org_unit_id == center_id)
}

/// The form of a checklist as typed: `kind`, `checked_on`, and per item `r_<no>` (result),
/// `o_<no>` (기타 text), `a_<no>` (조치사항).
pub type ChecklistInput = HashMap<String, String>;

pub fn parse_checklist(def_items: &[ItemDef], input: &ChecklistInput) -> Result<Vec<ItemEntry>, FieldErrors> {
    let mut e = FieldErrors::new();
    let mut out = Vec::new();
    for it in def_items {
        let get = |p: &str| text::clean_opt(input.get(&format!("{p}_{}", it.no)).map(String::as_str));
        let field = format!("r_{}", it.no);
        let result = match get("r").as_deref().map(ItemResult::parse) {
            Some(Some(r)) => r,
            Some(None) => {
                e.push(
                    FieldError::new(field, "invalid_choice")
                        .with_allowed(ItemResult::codes().iter().map(|c| c.to_string()).collect()),
                );
                continue;
            }
            None => {
                e.push(FieldError::new(field, "required"));
                continue;
            }
        };
        let other = get("o");
        if result == ItemResult::Other && other.is_none() {
            e.push(FieldError::new(format!("o_{}", it.no), "required"));
        }
        out.push(ItemEntry {
            item_no: it.no,
            result,
            other_text: other,
            action_taken: get("a"),
            followed_up_on: None,
            follow_up: None,
        });
    }
    e.finish()?;
    Ok(out)
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct CctvInput {
    pub requested_on: Option<String>,
    pub requester_kind: Option<String>,
    pub requester_name: Option<String>,
    pub requester_contact: Option<String>,
    pub purpose: Option<String>,
    pub file_name: Option<String>,
    pub footage_from: Option<String>,
    pub footage_to: Option<String>,
}

impl App {
    async fn space_of(&self, p: &Principal, site_id: i64) -> AppResult<(OrgUnit, OrgUnit)> {
        self.nanumteo_site(p, site_id).await
    }

    #[allow(clippy::too_many_arguments)] // the parts of one audit event of a space, each named at the call
    async fn audit_space(
        &self,
        tx: &mut gajok_store::Tx,
        p: &Principal,
        site: &OrgUnit,
        action: &'static str,
        entity_type: &'static str,
        id: i64,
        summary: String,
        after: serde_json::Value,
    ) -> AppResult<()> {
        audit::record(
            tx,
            &p.actor(),
            NewEvent {
                action,
                entity_type,
                entity_id: id.to_string(),
                org_unit_id: Some(site.id),
                org_path: site.path.clone(),
                summary,
                before: None,
                after: Some(after),
            },
        )
        .await?;
        Ok(())
    }

    /// The reminders of a space (checklists and inspections), for the space page.
    pub async fn nts_reminders(&self, site_id: i64, today: NaiveDate) -> AppResult<Vec<Reminder>> {
        let r = safety_rules_on(today);
        let lw = store::last_checklist(&self.store, site_id, ChecklistKind::Weekly).await?;
        let lq = store::last_checklist(&self.store, site_id, ChecklistKind::Quarterly).await?;
        let ins = store::inspections(&self.store, site_id).await?;
        Ok(reminders(
            r,
            lw.and_then(|c| parse_date(&c.checked_on)),
            lq.and_then(|c| parse_date(&c.checked_on)),
            &ins,
            today,
        ))
    }

    /// Alerts of the newest reading of a space in the last week, for the space page.
    pub async fn nts_latest_reading(&self, site_id: i64, today: NaiveDate) -> AppResult<Option<ReadingLine>> {
        let from = (today - chrono::Days::new(7)).to_string();
        let list = store::readings(&self.store, site_id, &from, &today.to_string()).await?;
        let r = safety_rules_on(today);
        Ok(list.into_iter().next().map(|x| ReadingLine {
            temperature: tenths(x.temperature_x10),
            alerts: reading_alerts(r, x.temperature_x10, x.humidity),
            reading: x,
        }))
    }

    pub async fn nts_safety(&self, p: &Principal, site_id: i64) -> AppResult<SafetyView> {
        let (site, center) = self.space_of(p, site_id).await?;
        let today = today();
        let r = safety_rules_on(today);
        let year_ago = (today - chrono::Days::new(366)).to_string();
        let checklists = store::checklists(&self.store, site_id, &year_ago, &today.to_string()).await?;
        let from = (today - chrono::Days::new(60)).to_string();
        let readings: Vec<ReadingLine> = store::readings(&self.store, site_id, &from, &today.to_string())
            .await?
            .into_iter()
            .map(|x| ReadingLine {
                temperature: tenths(x.temperature_x10),
                alerts: reading_alerts(r, x.temperature_x10, x.humidity),
                reading: x,
            })
            .collect();
        let latest_alerts = readings.first().map(|x| x.alerts.clone()).unwrap_or_default();
        let inspections = store::inspections(&self.store, site_id).await?;
        let cctv = store::cctv_of_space(&self.store, site_id).await?;
        let mut halves: Vec<String> =
            checklists.iter().filter_map(|c| parse_date(&c.checked_on)).map(half_of).collect();
        halves.push(half_of(today));
        halves.sort();
        halves.dedup();
        halves.reverse();
        Ok(SafetyView {
            reminders: self.nts_reminders(site_id, today).await?,
            is_head: is_head(p, center.id),
            site,
            center,
            checklists,
            readings,
            latest_alerts,
            inspections,
            cctv,
            today: today.to_string(),
            halves,
            ranges: (
                r.int("temperature_min_c"),
                r.int("temperature_max_c"),
                r.int("humidity_min_pct"),
                r.int("humidity_max_pct"),
            ),
        })
    }

    pub async fn nts_checklist_form(&self, p: &Principal, site_id: i64, kind: &str) -> AppResult<ChecklistForm> {
        let (site, _) = self.space_of(p, site_id).await?;
        let kind = ChecklistKind::parse(kind.trim()).ok_or_else(|| AppError::one_field("kind", "invalid_choice"))?;
        let today = today();
        let def = safety_rules_on(today).checklist(kind);
        let mut suggest_poor = Vec::new();
        if kind == ChecklistKind::Weekly
            && let Some(r) = self.nts_latest_reading(site_id, today).await?
        {
            for (code, _) in &r.alerts {
                suggest_poor.push(if code.starts_with("temp") {
                    WEEKLY_TEMPERATURE_ITEM
                } else {
                    WEEKLY_HUMIDITY_ITEM
                });
            }
        }
        Ok(ChecklistForm {
            suggest_poor,
            site,
            kind,
            title: def.title.clone(),
            rule: def.rule.clone(),
            source: def.source.clone(),
            items: def.items.clone(),
            today: today.to_string(),
        })
    }

    /// Records a checklist as inspected by the caller; the confirmer signs later.
    pub async fn nts_save_checklist(&self, p: &Principal, site_id: i64, input: &ChecklistInput) -> AppResult<i64> {
        let (site, center) = self.space_of(p, site_id).await?;
        let kind = ChecklistKind::parse(input.get("kind").map(|s| s.trim()).unwrap_or_default())
            .ok_or_else(|| AppError::one_field("kind", "invalid_choice"))?;
        let on = date_or_today("date", input.get("date").map(String::as_str))?;
        if on > today() {
            return Err(AppError::one_field("date", "invalid_date"));
        }
        let r = safety_rules_on(on);
        let def = r.checklist(kind);
        let items = parse_checklist(&def.items, input)?;
        let mut tx = self.store.begin().await?;
        let id = store::insert_checklist(
            &mut tx,
            center.id,
            &NewChecklist {
                space_id: site_id,
                kind,
                checked_on: &on.to_string(),
                rules_edition: &r.edition,
                inspector_id: p.user.id,
                inspector_name: &p.user.display_name,
            },
            &items,
        )
        .await?;
        let poor = items.iter().filter(|i| i.result == ItemResult::Poor).count();
        self.audit_space(
            &mut tx,
            p,
            &site,
            "create",
            "nanumteo_checklist",
            id,
            format!("{} {} (불량 {poor}건)", kind.label_ko(), on),
            serde_json::json!({ "kind": kind.code(), "date": on.to_string(), "poor": poor }),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn nts_checklist(&self, p: &Principal, id: i64) -> AppResult<ChecklistView> {
        let (c, entries) = store::checklist(&self.store, id).await?.ok_or(AppError::NotFound)?;
        let (site, _) = self.space_of(p, c.space_id).await.map_err(|_| AppError::NotFound)?;
        let r = safety_rules_on(parse_date(&c.checked_on).unwrap_or_else(today));
        let def = r.checklist(c.kind);
        let lines = def
            .items
            .iter()
            .map(|d| ItemLine { def: d.clone(), entry: entries.iter().find(|e| e.item_no == d.no).cloned() })
            .collect();
        Ok(ChecklistView {
            site,
            can_confirm: c.confirmer_id.is_none() && c.inspector_id != p.user.id,
            title: def.title.clone(),
            rule: def.rule.clone(),
            source: def.source.clone(),
            lines,
            checklist: c,
        })
    }

    /// The confirmer (확인자) signs: a different account from the inspector (점검자).
    pub async fn nts_confirm_checklist(&self, p: &Principal, id: i64) -> NtResult<i64> {
        let (c, _) = store::checklist(&self.store, id).await?.ok_or(AppError::NotFound)?;
        let (site, _) = self.space_of(p, c.space_id).await.map_err(|_| AppError::NotFound)?;
        if c.inspector_id == p.user.id {
            return Err(Refusal::new("confirmer-same", &safety_rules_on(today()).checklist(c.kind).rule)
                .arg("inspector", &c.inspector_name)
                .into());
        }
        let mut tx = self.store.begin().await?;
        if !store::confirm(&mut tx, id, p.user.id, &p.user.display_name).await? {
            return Err(Refusal::new("already-confirmed", "CS-75")
                .arg("confirmer", c.confirmer_name.unwrap_or_default())
                .into());
        }
        self.audit_space(
            &mut tx,
            p,
            &site,
            "update",
            "nanumteo_checklist",
            id,
            format!("{} {} 확인", c.kind.label_ko(), c.checked_on),
            serde_json::json!({ "confirmed_by": p.user.id }),
        )
        .await?;
        tx.commit().await?;
        Ok(c.id)
    }

    /// Records what was done about a 불량 item.
    pub async fn nts_follow_up(
        &self,
        p: &Principal,
        id: i64,
        item_no: &str,
        on: Option<&str>,
        what: Option<&str>,
    ) -> AppResult<i64> {
        let (c, _) = store::checklist(&self.store, id).await?.ok_or(AppError::NotFound)?;
        let (site, _) = self.space_of(p, c.space_id).await.map_err(|_| AppError::NotFound)?;
        let no: i64 = item_no.trim().parse().map_err(|_| AppError::one_field("item", "invalid_number"))?;
        let on = date_or_today("date", on)?;
        let what = text::clean_opt(what).ok_or_else(|| AppError::one_field("content", "required"))?;
        let mut tx = self.store.begin().await?;
        if !store::follow_up(&mut tx, id, no, &on.to_string(), &what).await? {
            return Err(AppError::one_field("item", "invalid_choice"));
        }
        self.audit_space(
            &mut tx,
            p,
            &site,
            "update",
            "nanumteo_checklist",
            id,
            format!("불량 항목 {no} 조치 {on}"),
            serde_json::json!({ "item": no, "on": on.to_string() }),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records a temperature and humidity reading; returns the alerts it raises.
    pub async fn nts_add_reading(
        &self,
        p: &Principal,
        site_id: i64,
        on: Option<&str>,
        at: Option<&str>,
        temperature: Option<&str>,
        humidity: Option<&str>,
    ) -> AppResult<Vec<(&'static str, String)>> {
        let (site, center) = self.space_of(p, site_id).await?;
        let mut e = FieldErrors::new();
        let on = e.take(date_or_today("date", on).map_err(|_| FieldError::new("date", "invalid_date")));
        let at = match at.map(str::trim).filter(|s| !s.is_empty()) {
            Some(t) => e.take(parse_hhmm(t).ok_or(FieldError::new("time", "invalid_time"))),
            None => Some(chrono::Utc::now().with_timezone(&gajok_domain::time::kst()).format("%H:%M").to_string()),
        };
        // Plausible instrument range; the guide's range is what raises an alert, not this.
        let t = e.take(
            temperature
                .map(str::trim)
                .and_then(|s| s.parse::<f64>().ok())
                .filter(|t| (-20.0..=60.0).contains(t))
                .map(|t| (t * 10.0).round() as i64)
                .ok_or(FieldError::new("temperature", "invalid_number")),
        );
        let h = e.take(
            humidity
                .map(str::trim)
                .and_then(|s| s.parse::<i64>().ok())
                .filter(|h| (0..=100).contains(h))
                .ok_or(FieldError::new("humidity", "invalid_number")),
        );
        e.finish()?;
        let (Some(on), Some(at), Some(t), Some(h)) = (on, at, t, h) else {
            return Err(AppError::Internal("reading parse".into()));
        };
        let alerts = reading_alerts(safety_rules_on(on), t, h);
        let mut tx = self.store.begin().await?;
        let reading =
            store::NewReading { space_id: site_id, on: &on.to_string(), at: &at, temperature_x10: t, humidity: h };
        let id = store::insert_reading(&mut tx, center.id, &reading, p.user.id).await?;
        self.audit_space(
            &mut tx,
            p,
            &site,
            "create",
            "nanumteo_reading",
            id,
            format!("온도 {}℃ 습도 {h}%", tenths(t)),
            serde_json::json!({ "t_x10": t, "h": h, "alerts": alerts.len() }),
        )
        .await?;
        tx.commit().await?;
        Ok(alerts)
    }

    pub async fn nts_add_inspection(
        &self,
        p: &Principal,
        site_id: i64,
        kind: Option<&str>,
        on: Option<&str>,
        agency: Option<&str>,
        note: Option<&str>,
    ) -> AppResult<i64> {
        let (site, center) = self.space_of(p, site_id).await?;
        let kind = InspectionKind::parse(kind.unwrap_or_default().trim()).ok_or_else(|| {
            AppError::Validation(FieldErrors(vec![
                FieldError::new("kind", "invalid_choice")
                    .with_allowed(InspectionKind::codes().iter().map(|c| c.to_string()).collect()),
            ]))
        })?;
        let on = date_or_today("date", on)?;
        if on > today() {
            return Err(AppError::one_field("date", "invalid_date"));
        }
        let agency = text::clean_opt(agency);
        let note = text::clean_opt(note);
        let mut tx = self.store.begin().await?;
        let n = store::NewInspection {
            space_id: site_id,
            kind,
            on: &on.to_string(),
            agency: agency.as_deref(),
            note: note.as_deref(),
        };
        let id = store::insert_inspection(&mut tx, center.id, &n, p.user.id).await?;
        self.audit_space(
            &mut tx,
            p,
            &site,
            "create",
            "nanumteo_inspection",
            id,
            format!("{} {on}", kind.label_ko()),
            serde_json::json!({ "kind": kind.code(), "on": on.to_string() }),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A CCTV viewing request enters the ledger (열람 관리대장).
    pub async fn nts_add_cctv(&self, p: &Principal, site_id: i64, i: &CctvInput) -> AppResult<i64> {
        let (site, center) = self.space_of(p, site_id).await?;
        let mut e = FieldErrors::new();
        let on = e.take(
            date_or_today("date", i.requested_on.as_deref()).map_err(|_| FieldError::new("date", "invalid_date")),
        );
        let kind =
            e.take(CctvRequester::parse(i.requester_kind.as_deref().unwrap_or_default().trim()).ok_or_else(|| {
                FieldError::new("requester_kind", "invalid_choice")
                    .with_allowed(CctvRequester::codes().iter().map(|c| c.to_string()).collect())
            }));
        let req = |field: &'static str, v: &Option<String>, e: &mut FieldErrors| {
            e.take(text::clean_opt(v.as_deref()).ok_or(FieldError::new(field, "required")))
        };
        let name = req("name", &i.requester_name, &mut e);
        let purpose = req("purpose", &i.purpose, &mut e);
        let file = req("file_name", &i.file_name, &mut e);
        let from = e.take(
            i.footage_from.as_deref().and_then(|s| parse_date(s.trim())).ok_or(FieldError::new("from", "invalid_date")),
        );
        let to = e.take(
            i.footage_to.as_deref().and_then(|s| parse_date(s.trim())).ok_or(FieldError::new("to", "invalid_date")),
        );
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            e.push(FieldError::new("to", "invalid_date"));
        }
        e.finish()?;
        let (Some(on), Some(kind), Some(name), Some(purpose), Some(file), Some(from), Some(to)) =
            (on, kind, name, purpose, file, from, to)
        else {
            return Err(AppError::Internal("cctv parse".into()));
        };
        let contact = text::clean_opt(i.requester_contact.as_deref());
        let mut tx = self.store.begin().await?;
        let id = store::insert_cctv(
            &mut tx,
            center.id,
            &NewCctvRequest {
                space_id: site_id,
                requested_on: &on.to_string(),
                requester_kind: kind,
                requester_name: &name,
                requester_contact: contact.as_deref(),
                purpose: &purpose,
                file_name: &file,
                footage_from: &from.to_string(),
                footage_to: &to.to_string(),
            },
            p.user.id,
        )
        .await?;
        // No requester name in the audit summary: the ledger itself is the record.
        self.audit_space(
            &mut tx,
            p,
            &site,
            "create",
            "nanumteo_cctv_request",
            id,
            format!("CCTV 열람 요청 ({})", kind.label_ko()),
            serde_json::json!({ "kind": kind.code(), "from": from.to_string(), "to": to.to_string() }),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn cctv_in_scope(&self, p: &Principal, id: i64) -> AppResult<(CctvRequest, OrgUnit)> {
        let c = store::cctv(&self.store, id).await?.ok_or(AppError::NotFound)?;
        let (site, _) = self.space_of(p, c.space_id).await.map_err(|_| AppError::NotFound)?;
        Ok((c, site))
    }

    /// The head (센터장) approves or denies a viewing request.
    pub async fn nts_decide_cctv(&self, p: &Principal, id: i64, decision: &str, note: Option<&str>) -> NtResult<i64> {
        let (c, site) = self.cctv_in_scope(p, id).await?;
        authz::require(is_head(p, c.center_id))?;
        let status = match decision.trim() {
            "approve" => CctvStatus::Approved,
            "deny" => CctvStatus::Denied,
            _ => return Err(AppError::one_field("decision", "invalid_choice").into()),
        };
        let note = text::clean_opt(note);
        let today = today();
        let mut tx = self.store.begin().await?;
        if !store::decide_cctv(&mut tx, id, status, &today.to_string(), note.as_deref(), p.user.id).await? {
            return Err(Refusal::new("cctv-decided", "CS-79").into());
        }
        self.audit_space(
            &mut tx,
            p,
            &site,
            "update",
            "nanumteo_cctv_request",
            id,
            format!("CCTV 열람 {}", status.label_ko()),
            serde_json::json!({ "status": status.code() }),
        )
        .await?;
        tx.commit().await?;
        Ok(c.space_id)
    }

    /// The head confirms the footage was deleted after its retention (seed 001 L608-609).
    pub async fn nts_confirm_cctv_deletion(&self, p: &Principal, id: i64) -> NtResult<i64> {
        let (c, site) = self.cctv_in_scope(p, id).await?;
        authz::require(is_head(p, c.center_id))?;
        if c.status == CctvStatus::Requested {
            return Err(Refusal::new("cctv-undecided", "CS-79").into());
        }
        let today = today();
        let mut tx = self.store.begin().await?;
        if !store::confirm_cctv_deletion(&mut tx, id, &today.to_string(), p.user.id).await? {
            return Err(Refusal::new("cctv-deleted", "CS-79").into());
        }
        self.audit_space(
            &mut tx,
            p,
            &site,
            "update",
            "nanumteo_cctv_request",
            id,
            "CCTV 영상 삭제 확인(기관장)".into(),
            serde_json::json!({ "deletion_confirmed_on": today.to_string() }),
        )
        .await?;
        tx.commit().await?;
        Ok(c.space_id)
    }

    /// The semi-annual report (안전점검 실시결과 보고, 반기별) of a space.
    pub async fn nts_safety_report(&self, p: &Principal, site_id: i64, half: Option<&str>) -> AppResult<SafetyReport> {
        let (site, center) = self.space_of(p, site_id).await?;
        let today = today();
        let half = half.map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).unwrap_or_else(|| half_of(today));
        let (from, to) = half_range(&half).ok_or_else(|| AppError::one_field("half", "invalid_choice"))?;
        let r = safety_rules_on(from);
        let (fs, ts) = (from.to_string(), to.to_string());
        let checklists = store::checklists(&self.store, site_id, &fs, &ts).await?;
        let (weeks, quarters) = expected_checks(from, to, today);
        let mut poor = Vec::new();
        for (c, it) in store::poor_items(&self.store, site_id, &fs, &ts).await? {
            let def = r.checklist(c.kind);
            poor.push(PoorLine {
                checklist_id: c.id,
                checked_on: c.checked_on.clone(),
                kind: c.kind,
                item_no: it.item_no,
                text: def.items.iter().find(|d| d.no == it.item_no).map(|d| d.text.clone()).unwrap_or_default(),
                action_taken: it.action_taken,
                followed_up_on: it.followed_up_on,
                follow_up: it.follow_up,
            });
        }
        let readings = store::readings(&self.store, site_id, &fs, &ts).await?;
        let readings_out =
            readings.iter().filter(|x| !reading_alerts(r, x.temperature_x10, x.humidity).is_empty()).count() as i64;
        let inspections: Vec<Inspection> = store::inspections(&self.store, site_id)
            .await?
            .into_iter()
            .filter(|i| i.done_on >= fs && i.done_on <= ts)
            .collect();
        let cctv_requests = store::cctv_of_space(&self.store, site_id)
            .await?
            .iter()
            .filter(|c| c.requested_on >= fs && c.requested_on <= ts)
            .count() as i64;
        Ok(SafetyReport {
            site,
            center,
            half,
            from: fs,
            to: ts,
            rule: r.rule("report_months").to_string(),
            weekly_done: checklists.iter().filter(|c| c.kind == ChecklistKind::Weekly).count() as i64,
            weekly_expected: weeks,
            quarterly_done: checklists.iter().filter(|c| c.kind == ChecklistKind::Quarterly).count() as i64,
            quarterly_expected: quarters,
            unconfirmed: checklists.iter().filter(|c| c.confirmer_id.is_none()).count() as i64,
            open_poor: poor.iter().filter(|x| x.followed_up_on.is_none()).count() as i64,
            poor,
            readings: readings.len() as i64,
            readings_out,
            inspections,
            cctv_requests,
            checklists,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn readings_outside_the_guides_ranges_raise_alerts() {
        let r = safety_rules_on(d("2026-06-01"));
        assert!(reading_alerts(r, 180, 30).is_empty(), "18.0 ℃ and 30 % are inside");
        assert!(reading_alerts(r, 280, 80).is_empty(), "28.0 ℃ and 80 % are inside");
        assert_eq!(reading_alerts(r, 179, 50)[0].0, "temp-low");
        assert_eq!(reading_alerts(r, 291, 50)[0], ("temp-high", "CS-85".to_string()));
        assert_eq!(reading_alerts(r, 220, 85)[0], ("humidity-high", "CS-86".to_string()));
        assert_eq!(reading_alerts(r, 220, 25)[0].0, "humidity-low");
        assert_eq!(tenths(235), "23.5");
    }

    #[test]
    fn reminders_from_the_last_record() {
        let r = safety_rules_on(d("2026-06-01"));
        let today = d("2026-11-20");
        let ins = vec![
            Inspection {
                id: 1,
                space_id: 1,
                kind: InspectionKind::PestControl,
                done_on: "2026-07-01".into(),
                agency: None,
                note: None,
            },
            Inspection {
                id: 2,
                space_id: 1,
                kind: InspectionKind::Electrical,
                done_on: "2026-01-05".into(),
                agency: None,
                note: None,
            },
        ];
        let rem = reminders(r, Some(d("2026-11-17")), Some(d("2026-09-30")), &ins, today);
        let get = |w: &str| rem.iter().find(|x| x.what == w).unwrap();
        assert_eq!(get("weekly").state, "ok");
        assert_eq!(get("quarterly").due.as_deref(), Some("2026-12-30"));
        assert_eq!((get("pest_control").state, get("pest_control").due.as_deref()), ("overdue", Some("2026-10-01")));
        assert_eq!(get("electrical").due.as_deref(), Some("2027-01-05"));
        assert_eq!(get("gas").state, "never");
        assert_eq!(get("gas").level, Level::Fail);
        assert_eq!(get("elevator").level, Level::Warn, "a space without an elevator is not failing");
    }

    #[test]
    fn a_checklist_needs_every_item_and_a_text_for_other() {
        let r = safety_rules_on(d("2026-06-01"));
        let items = &r.checklist(ChecklistKind::Quarterly).items;
        let mut input: ChecklistInput = (1..=17).map(|n| (format!("r_{n}"), "good".to_string())).collect();
        assert_eq!(parse_checklist(items, &input).unwrap().len(), 17);
        input.remove("r_5");
        input.insert("r_6".into(), "other".into());
        let e = parse_checklist(items, &input).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["r_5", "o_6"]);
    }

    #[test]
    fn a_half_year_expects_a_check_a_week_and_one_per_ended_quarter() {
        let (from, to) = half_range("2026-H2").unwrap();
        assert_eq!(expected_checks(from, to, d("2026-11-22")), (20, 1), "Q4 has not ended");
        assert_eq!(expected_checks(from, to, d("2027-02-01")), (26, 2));
        assert_eq!(expected_checks(from, to, d("2026-05-01")), (0, 0));
    }

    #[test]
    fn half_years() {
        assert_eq!(half_range("2026-H2"), Some((d("2026-07-01"), d("2026-12-31"))));
        assert_eq!(half_range("2026-H3"), None);
        assert_eq!(half_of(d("2026-06-30")), "2026-H1");
    }
}
