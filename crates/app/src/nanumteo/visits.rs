//! The desk: finding a family in a few keystrokes, checking in and out (서식8), and the
//! infectious-disease entry restriction with its hepatitis B carrier exception (CS-71).

use chrono::{Datelike, NaiveDate};
use gajok_domain::code_list::CodeList;
use gajok_domain::field::{FieldError, FieldErrors};
use gajok_domain::nanumteo::{HealthStatus, VisitPurpose, minutes_between, parse_ages, parse_hhmm};
use gajok_domain::people::{Relation, age_on};
use gajok_domain::time::parse_date;
use gajok_domain::{mask, text};
use gajok_store::access_log::NewAccess;
use gajok_store::audit::{self, NewEvent};
use gajok_store::nanumteo::spaces::{self, HealthFlag, SpaceData};
use gajok_store::nanumteo::visits::{self, NewVisit, Visit};
use gajok_store::orgs::OrgUnit;
use gajok_store::people::{self, Member, MemberFilter};
use serde::Serialize;

use super::refusal::{NtResult, Refusal};
use super::rules::rules_on;
use crate::error::{AppError, AppResult};
use crate::principal::Principal;
use crate::{App, authz};

/// Why the space is closed at a moment, or None when it is open.
pub fn closed_reason(d: &SpaceData, date: NaiveDate, time: &str, is_holiday: bool) -> Option<&'static str> {
    if is_holiday {
        return Some("holiday");
    }
    let wd = date.weekday().number_from_monday();
    let digit = char::from_digit(wd, 10).unwrap_or('0');
    if !d.open_days.contains(digit) {
        return Some(if wd == 1 && d.open_days.contains('6') { "monday-after-saturday" } else { "closed-day" });
    }
    let (open, close) = if wd == 6 {
        (d.saturday_open.as_deref().unwrap_or("99:99"), d.saturday_close.as_deref().unwrap_or("00:00"))
    } else {
        (d.open_time.as_str(), d.close_time.as_str())
    };
    if time < open || time >= close { Some("outside-hours") } else { None }
}

#[derive(Debug, Clone, Serialize)]
pub struct DeskMatch {
    pub member_id: i64,
    pub name: String,
    pub phone: String,
    pub age: i32,
    /// Ages of the children in the member's family (prefilled at check-in).
    pub children_ages: String,
    pub flags: Vec<HealthFlag>,
    pub restricted: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeskView {
    pub site: OrgUnit,
    pub center: OrgUnit,
    pub registered: bool,
    pub date: String,
    pub now: String,
    pub q: String,
    pub matches: Vec<DeskMatch>,
    pub visits: Vec<Visit>,
    pub parents_today: i64,
    pub children_today: i64,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct CheckIn {
    pub member_id: Option<String>,
    pub children_ages: Option<String>,
    pub child_only: Option<String>,
    pub purpose: Option<String>,
    pub date: Option<String>,
    pub time: Option<String>,
}

fn children_of(family: &[Member], on: NaiveDate) -> Vec<&Member> {
    family
        .iter()
        .filter(|m| {
            m.relation == Some(Relation::Child)
                || parse_date(&m.birth_date).is_some_and(|b| age_on(b, on) < 18) && m.relation != Some(Relation::Parent)
        })
        .collect()
}

impl App {
    async fn family_of(&self, m: &Member) -> AppResult<Vec<Member>> {
        Ok(match m.family_id {
            Some(f) => people::family_members(&self.store, f).await?,
            None => vec![m.clone()],
        })
    }

    /// The desk screen: today's log and, with `q`, the matching members (name fragment,
    /// 초성 or phone digits). A search is a read of personal data: access-logged.
    pub async fn nanumteo_desk(
        &self,
        p: &Principal,
        site_id: i64,
        q: Option<&str>,
        date: Option<&str>,
    ) -> AppResult<DeskView> {
        let (site, center) = self.nanumteo_site(p, site_id).await?;
        let now = chrono::Utc::now().with_timezone(&gajok_domain::time::kst());
        let day = match date.map(str::trim).filter(|d| !d.is_empty()) {
            Some(d) => parse_date(d).ok_or_else(|| AppError::one_field("date", "invalid_date"))?,
            None => now.date_naive(),
        };
        let q = text::clean(q.unwrap_or_default());
        let mut matches = Vec::new();
        // Health is sensitive data (PIPA Art. 23): without the grant the desk sees only whether
        // entry is restricted, not which condition (e.g. a hepatitis B carrier) is recorded.
        let sensitive = self.can_read_sensitive(p, center.id).await?;
        if q.chars().count() >= 2 {
            let f =
                MemberFilter { center_ids: vec![center.id], q: Some(q.clone()), family_id: None, limit: 10, offset: 0 };
            let (found, _) = people::search(&self.store, &f).await?;
            for m in &found {
                let family = self.family_of(m).await?;
                let kids = children_of(&family, day);
                let mut ids: Vec<i64> = kids.iter().map(|k| k.id).collect();
                ids.push(m.id);
                let flags = spaces::open_flags(&self.store, &ids).await?;
                let ages: Vec<String> = kids
                    .iter()
                    .filter(|k| k.id != m.id)
                    .filter_map(|k| parse_date(&k.birth_date).map(|b| age_on(b, day).to_string()))
                    .collect();
                matches.push(DeskMatch {
                    member_id: m.id,
                    name: m.name.clone(),
                    phone: m.phone.as_deref().map(mask::phone).unwrap_or_default(),
                    age: parse_date(&m.birth_date).map(|b| age_on(b, day)).unwrap_or(0),
                    children_ages: ages.join(", "),
                    restricted: flags.iter().any(|f| f.status.restricts_entry()),
                    flags: if sensitive { flags } else { Vec::new() },
                });
            }
            self.log_access(
                p,
                NewAccess {
                    action: "search",
                    subject_type: "member",
                    subject_id: matches.iter().map(|m| m.member_id.to_string()).collect::<Vec<_>>().join(","),
                    org_unit_id: Some(center.id),
                    org_path: center.path.clone(),
                    detail: format!("공동육아나눔터 접수 검색 ({}건)", matches.len()),
                },
            )
            .await?;
        }
        let visits = visits::on_day(&self.store, site_id, &day.to_string()).await?;
        let parents_today = visits.iter().filter(|v| !v.child_only).count() as i64;
        let children_today = visits.iter().map(|v| v.children).sum();
        let registered = spaces::get(self.store.reader(), site_id).await?.is_some();
        Ok(DeskView {
            site,
            center,
            registered,
            date: day.to_string(),
            now: now.format("%H:%M").to_string(),
            q,
            matches,
            visits,
            parents_today,
            children_today,
        })
    }

    /// Checks a member in. Refused, with the rule named, when the space is closed at that
    /// moment or when the member or a child of the family carries an infectious-disease
    /// flag (a hepatitis B carrier is never refused).
    pub async fn nanumteo_check_in(&self, p: &Principal, site_id: i64, c: &CheckIn) -> NtResult<i64> {
        let (site, center) = self.nanumteo_site(p, site_id).await?;
        let mut e = FieldErrors::new();
        let member_id = e.take(
            c.member_id
                .as_deref()
                .and_then(|s| s.trim().parse::<i64>().ok())
                .ok_or(FieldError::new("member_id", "required")),
        );
        let date =
            e.take(c.date.as_deref().and_then(|d| parse_date(d.trim())).ok_or(FieldError::new("date", "invalid_date")));
        let time = e.take(c.time.as_deref().and_then(parse_hhmm).ok_or(FieldError::new("time", "invalid_time")));
        let ages = e.take(
            parse_ages(c.children_ages.as_deref().unwrap_or_default())
                .ok_or(FieldError::new("children_ages", "invalid_ages")),
        );
        let purpose = match c.purpose.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Some(VisitPurpose::Use),
            Some(s) => e.take(VisitPurpose::parse(s).ok_or(FieldError::new("purpose", "invalid_choice"))),
        };
        e.finish()?;
        let (member_id, date, time, ages, purpose) = (
            member_id.unwrap_or(0),
            date.unwrap_or_default(),
            time.unwrap_or_default(),
            ages.unwrap_or_default(),
            purpose.unwrap_or(VisitPurpose::Use),
        );
        let member = people::get(self.store.reader(), member_id).await?.filter(|m| m.center_id == center.id);
        let member = member.ok_or_else(|| AppError::one_field("member_id", "not_in_center"))?;
        let space = spaces::get(self.store.reader(), site_id)
            .await?
            .ok_or_else(|| Refusal::new("space-unregistered", "CS-50"))?;
        let r = rules_on(date);
        let holiday = crate::catalog::catalog().holidays(date.year()).is_some_and(|h| h.contains(&date));
        if let Some(why) = closed_reason(&space.data, date, &time, holiday) {
            let rule = if why == "monday-after-saturday" { "CS-53" } else { r.rule("space", "min_weekly_hours") };
            return Err(Refusal::new("space-closed", rule)
                .arg("why", why)
                .arg("date", date)
                .arg("time", &time)
                .arg("open", &space.data.open_time)
                .arg("close", &space.data.close_time)
                .into());
        }
        if r.flag("visits", "infectious_restriction") {
            let family = self.family_of(&member).await?;
            let mut ids = vec![member.id];
            if r.flag("visits", "check_family_children") {
                ids.extend(children_of(&family, date).iter().map(|k| k.id));
            }
            let flags = spaces::open_flags(&self.store, &ids).await?;
            if let Some(f) = flags.iter().find(|f| f.status.restricts_entry()) {
                return Err(Refusal::new("infectious", r.rule("visits", "infectious_restriction"))
                    .arg("status", f.status.label_ko())
                    .arg("since", &f.flagged_on)
                    .into());
            }
        }
        if visits::open_visit(&self.store, site_id, member.id, &date.to_string()).await?.is_some() {
            return Err(AppError::Conflict { code: "nt_already_checked_in", field: "member_id" }.into());
        }
        let child_only = matches!(c.child_only.as_deref(), Some("on" | "true" | "1"));
        let (children, ages_text) = if child_only {
            let a = parse_date(&member.birth_date).map(|b| age_on(b, date)).unwrap_or(0);
            (1, a.to_string())
        } else {
            (ages.len() as i64, ages.iter().map(i64::to_string).collect::<Vec<_>>().join(","))
        };
        let v = NewVisit {
            space_id: site_id,
            visit_date: date.to_string(),
            member_id: member.id,
            child_only,
            children,
            children_ages: ages_text,
            purpose,
            check_in: time.clone(),
        };
        // A month whose 서식13 is submitted is locked.
        let mut tx = self.store.begin().await?;
        self.ensure_nanumteo_month_open(&mut tx, center.id, &v.visit_date).await?;
        let id = visits::insert(&mut tx, center.id, &v).await?;
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "create",
                entity_type: "nanumteo_visit",
                entity_id: id.to_string(),
                org_unit_id: Some(site_id),
                org_path: site.path.clone(),
                summary: format!("나눔터 입실 {} {}", v.visit_date, v.check_in),
                before: None,
                after: Some(serde_json::json!(v)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn nanumteo_check_out(&self, p: &Principal, visit_id: i64, time: Option<&str>) -> AppResult<i64> {
        let v = visits::get(&self.store, visit_id).await?.ok_or(AppError::NotFound)?;
        let (site, _) = self.nanumteo_site(p, v.space_id).await?;
        let now = chrono::Utc::now().with_timezone(&gajok_domain::time::kst()).format("%H:%M").to_string();
        let t = match time.map(str::trim).filter(|t| !t.is_empty()) {
            Some(t) => parse_hhmm(t).ok_or_else(|| AppError::one_field("time", "invalid_time"))?,
            None => now,
        };
        if minutes_between(&v.check_in, &t).is_none_or(|m| m < 0) {
            return Err(AppError::one_field("time", "invalid_time"));
        }
        let mut tx = self.store.begin().await?;
        if !visits::check_out(&mut tx, visit_id, &t).await? {
            return Err(AppError::Conflict { code: "nt_already_checked_out", field: "time" });
        }
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "update",
                entity_type: "nanumteo_visit",
                entity_id: visit_id.to_string(),
                org_unit_id: Some(v.space_id),
                org_path: site.path.clone(),
                summary: format!("나눔터 퇴실 {t}"),
                before: None,
                after: Some(serde_json::json!({ "check_out": t })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(v.space_id)
    }

    /// Records an infectious-disease flag (or a hepatitis B carrier note) on a member.
    pub async fn nanumteo_flag_member(
        &self,
        p: &Principal,
        member_id: i64,
        status: &str,
        note: Option<&str>,
        on: Option<&str>,
    ) -> AppResult<i64> {
        let m = self.member_in_scope(p, member_id).await?;
        authz::require(authz::can_run_nanumteo(p, m.center_id))?;
        let status = HealthStatus::parse(status.trim()).ok_or_else(|| {
            AppError::Validation(FieldErrors(vec![
                FieldError::new("status", "invalid_choice")
                    .with_allowed(HealthStatus::codes().iter().map(|c| c.to_string()).collect()),
            ]))
        })?;
        let today = gajok_domain::time::kst_date(chrono::Utc::now());
        let on = match on.map(str::trim).filter(|s| !s.is_empty()) {
            Some(d) => parse_date(d).ok_or_else(|| AppError::one_field("flagged_on", "invalid_date"))?,
            None => today,
        };
        let note = text::clean_opt(note);
        let center = gajok_store::orgs::get(self.store.reader(), m.center_id).await?.ok_or(AppError::NotFound)?;
        let mut tx = self.store.begin().await?;
        let id = spaces::insert_flag(&mut tx, m.center_id, m.id, status, note.as_deref(), &on.to_string(), p.user.id)
            .await?;
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "create",
                entity_type: "nanumteo_health_flag",
                entity_id: id.to_string(),
                org_unit_id: Some(m.center_id),
                org_path: center.path.clone(),
                summary: format!("이용자 건강 표시: {}", status.label_ko()),
                before: None,
                after: Some(serde_json::json!({ "member_id": m.id, "status": status.code(), "on": on.to_string() })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn nanumteo_clear_flag(&self, p: &Principal, flag_id: i64) -> AppResult<i64> {
        let (center_id, f) = spaces::flag_by_id(&self.store, flag_id).await?.ok_or(AppError::NotFound)?;
        if !authz::can_run_nanumteo(p, center_id) {
            return Err(AppError::NotFound);
        }
        let center = gajok_store::orgs::get(self.store.reader(), center_id).await?.ok_or(AppError::NotFound)?;
        let today = gajok_domain::time::kst_date(chrono::Utc::now()).to_string();
        let mut tx = self.store.begin().await?;
        if !spaces::clear_flag(&mut tx, flag_id, &today).await? {
            return Err(AppError::Conflict { code: "nt_flag_cleared", field: "flag" });
        }
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "update",
                entity_type: "nanumteo_health_flag",
                entity_id: flag_id.to_string(),
                org_unit_id: Some(center_id),
                org_path: center.path.clone(),
                summary: "이용자 건강 표시 해제".into(),
                before: Some(serde_json::json!({ "cleared_on": null })),
                after: Some(serde_json::json!({ "cleared_on": today })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(f.member_id)
    }
}

/// Users of the space on record (CS-08): visits to use the space, plus visits made only to
/// borrow or return that lasted at least `min_minutes`. (parents, children), 연인원.
pub fn count_users(list: &[Visit], min_minutes: i64) -> (i64, i64) {
    let counts = |v: &&Visit| {
        v.purpose == VisitPurpose::Use
            || v.check_out.as_deref().and_then(|o| minutes_between(&v.check_in, o)).is_some_and(|m| m >= min_minutes)
    };
    let users: Vec<&Visit> = list.iter().filter(counts).collect();
    (users.iter().filter(|v| !v.child_only).count() as i64, users.iter().map(|v| v.children).sum())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gajok_domain::nanumteo::{Ownership, Placement};

    fn data() -> SpaceData {
        SpaceData {
            placement: Placement::Inside,
            ownership: Ownership::LocalGovernment,
            pledge_until: None,
            area_m2: 72,
            remodelled: false,
            all_day: true,
            military_housing: false,
            open_time: "10:00".into(),
            close_time: "18:00".into(),
            open_days: "23456".into(),
            saturday_open: Some("09:00".into()),
            saturday_close: Some("15:00".into()),
            saturday_approved_on: Some("2026-03-02".into()),
            cctv_units: 1,
            cctv_megapixels_x10: 13,
            cctv_retention_days: 60,
            injury_insurance_until: None,
            fire_insurance_until: None,
            found_on: None,
        }
    }

    #[test]
    fn opening_hours_and_the_monday_after_a_saturday() {
        let d = |s: &str| parse_date(s).unwrap();
        assert_eq!(closed_reason(&data(), d("2026-11-23"), "11:00", false), Some("monday-after-saturday"));
        assert_eq!(closed_reason(&data(), d("2026-11-24"), "11:00", false), None);
        assert_eq!(closed_reason(&data(), d("2026-11-24"), "18:00", false), Some("outside-hours"));
        assert_eq!(closed_reason(&data(), d("2026-11-28"), "09:30", false), None, "Saturday 09:00-15:00");
        assert_eq!(closed_reason(&data(), d("2026-11-29"), "11:00", false), Some("closed-day"));
        assert_eq!(closed_reason(&data(), d("2026-11-24"), "11:00", true), Some("holiday"));
    }

    fn visit(purpose: VisitPurpose, check_in: &str, out: Option<&str>, children: i64) -> Visit {
        Visit {
            id: 1,
            center_id: 1,
            space_id: 1,
            visit_date: "2026-11-24".into(),
            member_id: 1,
            member_name: "김엄마".into(),
            child_only: false,
            children,
            children_ages: String::new(),
            purpose,
            check_in: check_in.into(),
            check_out: out.map(str::to_string),
        }
    }

    #[test]
    fn a_borrower_counts_as_a_user_after_30_minutes() {
        let list = [
            visit(VisitPurpose::Use, "10:00", None, 2),
            visit(VisitPurpose::Loan, "10:00", Some("10:29"), 1),
            visit(VisitPurpose::Loan, "11:00", Some("11:30"), 1),
        ];
        assert_eq!(count_users(&list, 30), (2, 3));
    }
}
