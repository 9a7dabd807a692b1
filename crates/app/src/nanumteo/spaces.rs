//! The space registry: a site of kind `nanumteo` with its placement, ownership, area, hours,
//! Saturday extension, CCTV and insurance, and the checks of the rules on them.

use chrono::{Datelike, NaiveDate};
use gajok_domain::code_list::CodeList;
use gajok_domain::field::{FieldError, FieldErrors};
use gajok_domain::nanumteo::{Ownership, Placement, minutes_between, parse_hhmm};
use gajok_domain::org::SiteKind;
use gajok_domain::time::parse_date;
use gajok_store::audit::{self, NewEvent};
use gajok_store::nanumteo::spaces::{self, Space, SpaceData};
use gajok_store::orgs::{self, OrgUnit};
use serde::Serialize;

use super::rules::{Edition, rules_on};
use crate::error::{AppError, AppResult};
use crate::principal::Principal;
use crate::{App, authz};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Level {
    Ok,
    Warn,
    Fail,
}

impl Level {
    pub fn css(&self) -> &'static str {
        match self {
            Level::Ok => "ok",
            Level::Warn => "warn",
            Level::Fail => "danger",
        }
    }
}

/// One rule checked against the registry; `code` picks the sentence (`nt-check-<code>`).
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub rule: String,
    pub code: &'static str,
    pub level: Level,
    pub args: Vec<(&'static str, String)>,
}

fn check(r: &Edition, key: &str, code: &'static str, level: Level, args: Vec<(&'static str, String)>) -> Check {
    Check { rule: r.rule("space", key).to_string(), code, level, args }
}

fn ok_if(b: bool) -> Level {
    if b { Level::Ok } else { Level::Fail }
}

/// Weekly opening minutes: weekdays in `open_days` at basic hours, Saturday at its hours.
pub fn weekly_minutes(d: &SpaceData) -> i64 {
    let day = minutes_between(&d.open_time, &d.close_time).unwrap_or(0).max(0);
    let sat = match (&d.saturday_open, &d.saturday_close) {
        (Some(o), Some(c)) => minutes_between(o, c).unwrap_or(0).max(0),
        _ => 0,
    };
    d.open_days
        .chars()
        .map(|c| {
            if c == '6' {
                sat
            } else if ('1'..='5').contains(&c) {
                day
            } else {
                0
            }
        })
        .sum()
}

/// The rule checks shown on the space page, in force on `today`.
pub fn checks(d: &SpaceData, center_all_day: i64, today: NaiveDate) -> Vec<Check> {
    let r = rules_on(today);
    let mut out = Vec::new();
    let (min, key) = if d.remodelled {
        (r.int("space", "min_area_remodelled_m2").unwrap_or(0), "min_area_remodelled_m2")
    } else {
        (r.int("space", "min_area_m2").unwrap_or(0), "min_area_m2")
    };
    out.push(check(
        r,
        key,
        "area",
        ok_if(d.area_m2 >= min),
        vec![("area", d.area_m2.to_string()), ("min", min.to_string())],
    ));
    let basic_open = r.text("space", "basic_open");
    let basic_close = r.text("space", "basic_close");
    let covers = d.open_time.as_str() <= basic_open && d.close_time.as_str() >= basic_close;
    out.push(check(
        r,
        "basic_open",
        "basic-hours",
        ok_if(covers),
        vec![
            ("open", d.open_time.clone()),
            ("close", d.close_time.clone()),
            ("bopen", basic_open.into()),
            ("bclose", basic_close.into()),
        ],
    ));
    let hours = weekly_minutes(d) / 60;
    let min_h = r.int("space", "min_weekly_hours").unwrap_or(0);
    out.push(check(
        r,
        "min_weekly_hours",
        "weekly-hours",
        ok_if(hours >= min_h),
        vec![("hours", hours.to_string()), ("min", min_h.to_string())],
    ));
    let min_all_day = r.int("space", "min_all_day_spaces").unwrap_or(1);
    out.push(check(
        r,
        "min_all_day_spaces",
        "all-day",
        ok_if(center_all_day >= min_all_day),
        vec![("n", center_all_day.to_string()), ("min", min_all_day.to_string())],
    ));
    if d.open_days.contains('6') {
        let approved = d.saturday_approved_on.is_some();
        let monday_closed = !d.open_days.contains('1');
        out.push(check(
            r,
            "max_extension_hours",
            "saturday",
            ok_if(approved && monday_closed),
            vec![
                ("approved", if approved { "1" } else { "0" }.into()),
                ("monday", if monday_closed { "1" } else { "0" }.into()),
            ],
        ));
    }
    if d.ownership == Ownership::AgreementCorporation {
        let years = r.int("space", "pledge_years").unwrap_or(0);
        let until = d.pledge_until.as_deref().and_then(parse_date);
        let need = today.with_year(today.year() + years as i32);
        let level = match (until, need) {
            (Some(u), Some(n)) if u >= n => Level::Ok,
            (Some(u), _) if u >= today => Level::Warn,
            _ => Level::Fail,
        };
        out.push(check(
            r,
            "pledge_years",
            "pledge",
            level,
            vec![("years", years.to_string()), ("until", d.pledge_until.clone().unwrap_or_else(|| "-".into()))],
        ));
    }
    let (units, mp, days) = (
        r.int("space", "min_cctv_units").unwrap_or(1),
        r.int("space", "min_cctv_megapixels_x10").unwrap_or(0),
        r.int("space", "min_cctv_retention_days").unwrap_or(0),
    );
    let cctv_ok = d.cctv_units >= units && d.cctv_megapixels_x10 >= mp && d.cctv_retention_days >= days;
    out.push(check(
        r,
        "min_cctv_units",
        "cctv",
        ok_if(cctv_ok),
        vec![
            ("units", d.cctv_units.to_string()),
            ("mp", format!("{:.1}", d.cctv_megapixels_x10 as f64 / 10.0)),
            ("days", d.cctv_retention_days.to_string()),
            ("munits", units.to_string()),
            ("mmp", format!("{:.1}", mp as f64 / 10.0)),
            ("mdays", days.to_string()),
        ],
    ));
    let warn = r.int("space", "insurance_warn_days").unwrap_or(30);
    for (code, until) in [("injury-insurance", &d.injury_insurance_until), ("fire-insurance", &d.fire_insurance_until)]
    {
        let u = until.as_deref().and_then(parse_date);
        let level = match u {
            Some(u) if u < today => Level::Fail,
            Some(u) if (u - today).num_days() <= warn => Level::Warn,
            Some(_) => Level::Ok,
            None => Level::Fail,
        };
        out.push(check(
            r,
            "insurance_warn_days",
            code,
            level,
            vec![("until", until.clone().unwrap_or_else(|| "-".into()))],
        ));
    }
    out
}

/// The registry form as typed.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct SpaceInput {
    pub placement: Option<String>,
    pub ownership: Option<String>,
    pub pledge_until: Option<String>,
    pub area_m2: Option<String>,
    pub remodelled: Option<String>,
    pub all_day: Option<String>,
    pub military_housing: Option<String>,
    pub open_time: Option<String>,
    pub close_time: Option<String>,
    pub saturday: Option<String>,
    pub saturday_open: Option<String>,
    pub saturday_close: Option<String>,
    pub saturday_approved_on: Option<String>,
    pub cctv_units: Option<String>,
    pub cctv_megapixels: Option<String>,
    pub cctv_retention_days: Option<String>,
    pub injury_insurance_until: Option<String>,
    pub fire_insurance_until: Option<String>,
    pub found_on: Option<String>,
    pub version: Option<String>,
}

fn s(v: &Option<String>) -> &str {
    v.as_deref().map(str::trim).unwrap_or_default()
}

fn on(v: &Option<String>) -> bool {
    matches!(s(v), "on" | "true" | "1")
}

fn code<T: CodeList>(e: &mut FieldErrors, field: &'static str, v: &Option<String>) -> Option<T> {
    let r = T::parse(s(v)).ok_or_else(|| {
        FieldError::new(field, if s(v).is_empty() { "required" } else { "invalid_choice" })
            .with_allowed(T::codes().iter().map(|c| c.to_string()).collect())
    });
    e.take(r)
}

fn int(e: &mut FieldErrors, field: &'static str, v: &Option<String>, max: i64) -> Option<i64> {
    e.take(s(v).parse::<i64>().ok().filter(|n| (0..=max).contains(n)).ok_or(FieldError::new(field, "invalid_number")))
}

fn date_opt(e: &mut FieldErrors, field: &'static str, v: &Option<String>) -> Option<String> {
    match s(v) {
        "" => None,
        t => e.take(parse_date(t).map(|d| d.to_string()).ok_or(FieldError::new(field, "invalid_date"))),
    }
}

fn hhmm(e: &mut FieldErrors, field: &'static str, v: &Option<String>) -> Option<String> {
    e.take(parse_hhmm(s(v)).ok_or(FieldError::new(field, "invalid_time")))
}

impl SpaceInput {
    pub fn from_data(d: &SpaceData, version: i64) -> Self {
        let yes = |b: bool| b.then(|| "on".to_string());
        SpaceInput {
            placement: Some(d.placement.code().into()),
            ownership: Some(d.ownership.code().into()),
            pledge_until: d.pledge_until.clone(),
            area_m2: Some(d.area_m2.to_string()),
            remodelled: yes(d.remodelled),
            all_day: yes(d.all_day),
            military_housing: yes(d.military_housing),
            open_time: Some(d.open_time.clone()),
            close_time: Some(d.close_time.clone()),
            saturday: yes(d.open_days.contains('6')),
            saturday_open: d.saturday_open.clone(),
            saturday_close: d.saturday_close.clone(),
            saturday_approved_on: d.saturday_approved_on.clone(),
            cctv_units: Some(d.cctv_units.to_string()),
            cctv_megapixels: Some(format!("{:.1}", d.cctv_megapixels_x10 as f64 / 10.0)),
            cctv_retention_days: Some(d.cctv_retention_days.to_string()),
            injury_insurance_until: d.injury_insurance_until.clone(),
            fire_insurance_until: d.fire_insurance_until.clone(),
            found_on: d.found_on.clone(),
            version: Some(version.to_string()),
        }
    }

    pub fn parse(&self) -> Result<SpaceData, FieldErrors> {
        let mut e = FieldErrors::new();
        let placement = code::<Placement>(&mut e, "placement", &self.placement);
        let ownership = code::<Ownership>(&mut e, "ownership", &self.ownership);
        let area = int(&mut e, "area_m2", &self.area_m2, 100_000);
        let open = hhmm(&mut e, "open_time", &self.open_time);
        let close = hhmm(&mut e, "close_time", &self.close_time);
        let saturday = on(&self.saturday);
        let (sat_open, sat_close) = if saturday {
            (hhmm(&mut e, "saturday_open", &self.saturday_open), hhmm(&mut e, "saturday_close", &self.saturday_close))
        } else {
            (None, None)
        };
        let units = int(&mut e, "cctv_units", &self.cctv_units, 100);
        let mp = e.take(
            s(&self.cctv_megapixels)
                .parse::<f64>()
                .ok()
                .filter(|m| (0.0..=100.0).contains(m))
                .map(|m| (m * 10.0).round() as i64)
                .ok_or(FieldError::new("cctv_megapixels", "invalid_number")),
        );
        let days = int(&mut e, "cctv_retention_days", &self.cctv_retention_days, 3650);
        let pledge = date_opt(&mut e, "pledge_until", &self.pledge_until);
        let approved =
            if saturday { date_opt(&mut e, "saturday_approved_on", &self.saturday_approved_on) } else { None };
        let injury = date_opt(&mut e, "injury_insurance_until", &self.injury_insurance_until);
        let fire = date_opt(&mut e, "fire_insurance_until", &self.fire_insurance_until);
        let found = date_opt(&mut e, "found_on", &self.found_on);
        if let (Some(o), Some(c)) = (&open, &close)
            && o >= c
        {
            e.push(FieldError::new("close_time", "invalid_time"));
        }
        e.clone().finish()?;
        // An approved Saturday extension closes the space on Monday (CS-53).
        let open_days = if saturday && approved.is_some() {
            "23456"
        } else if saturday {
            "123456"
        } else {
            "12345"
        };
        Ok(SpaceData {
            placement: placement.unwrap_or(Placement::Inside),
            ownership: ownership.unwrap_or(Ownership::Other),
            pledge_until: pledge,
            area_m2: area.unwrap_or(0),
            remodelled: on(&self.remodelled),
            all_day: on(&self.all_day),
            military_housing: on(&self.military_housing),
            open_time: open.unwrap_or_default(),
            close_time: close.unwrap_or_default(),
            open_days: open_days.into(),
            saturday_open: sat_open,
            saturday_close: sat_close,
            saturday_approved_on: approved,
            cctv_units: units.unwrap_or(0),
            cctv_megapixels_x10: mp.unwrap_or(0),
            cctv_retention_days: days.unwrap_or(0),
            injury_insurance_until: injury,
            fire_insurance_until: fire,
            found_on: found,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SpaceView {
    pub site: OrgUnit,
    pub center: OrgUnit,
    pub space: Option<Space>,
    pub checks: Vec<Check>,
    pub input: SpaceInput,
}

#[derive(Debug, Clone, Serialize)]
pub struct SpaceSummary {
    pub space: Space,
    pub failing: usize,
    pub warning: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct SpacesIndex {
    pub center: OrgUnit,
    pub spaces: Vec<SpaceSummary>,
    /// Nanumteo sites without a registry entry yet: (site id, name).
    pub unregistered: Vec<(i64, String)>,
}

impl App {
    /// A nanumteo site the caller works in, with its center; NotFound otherwise.
    pub async fn nanumteo_site(&self, p: &Principal, site_id: i64) -> AppResult<(OrgUnit, OrgUnit)> {
        let site = orgs::get(self.store.reader(), site_id).await?.ok_or(AppError::NotFound)?;
        let center_id = site.parent_id.ok_or(AppError::NotFound)?;
        if !authz::can_run_nanumteo(p, center_id) {
            return Err(AppError::NotFound);
        }
        let kind = orgs::site(self.store.reader(), site_id).await?.map(|s| s.site_kind);
        if kind != Some(SiteKind::Nanumteo) {
            return Err(AppError::NotFound);
        }
        let center = orgs::get(self.store.reader(), center_id).await?.ok_or(AppError::NotFound)?;
        Ok((site, center))
    }

    pub async fn nanumteo_index(&self, p: &Principal, center: Option<&str>) -> AppResult<SpacesIndex> {
        let center_id = self.resolve_center(p, center)?;
        authz::require(authz::can_run_nanumteo(p, center_id))?;
        let center = orgs::get(self.store.reader(), center_id).await?.ok_or(AppError::NotFound)?;
        let list = spaces::of_center(&self.store, center_id).await?;
        let all_day = list.iter().filter(|s| s.data.all_day).count() as i64;
        let today = gajok_domain::time::kst_date(chrono::Utc::now());
        let spaces = list
            .into_iter()
            .map(|s| {
                let c = checks(&s.data, all_day, today);
                SpaceSummary {
                    failing: c.iter().filter(|c| c.level == Level::Fail).count(),
                    warning: c.iter().filter(|c| c.level == Level::Warn).count(),
                    space: s,
                }
            })
            .collect();
        let unregistered = spaces::unregistered_sites(&self.store, center_id).await?;
        Ok(SpacesIndex { center, spaces, unregistered })
    }

    pub async fn nanumteo_space(&self, p: &Principal, site_id: i64) -> AppResult<SpaceView> {
        let (site, center) = self.nanumteo_site(p, site_id).await?;
        let space = spaces::get(self.store.reader(), site_id).await?;
        let today = gajok_domain::time::kst_date(chrono::Utc::now());
        let (checks, input) = match &space {
            Some(s) => {
                let others = spaces::of_center(&self.store, center.id).await?;
                let all_day = others.iter().filter(|o| o.data.all_day).count() as i64;
                (checks(&s.data, all_day, today), SpaceInput::from_data(&s.data, s.version))
            }
            None => (
                Vec::new(),
                SpaceInput {
                    open_time: Some("10:00".into()),
                    close_time: Some("18:00".into()),
                    all_day: Some("on".into()),
                    cctv_units: Some("1".into()),
                    cctv_megapixels: Some("1.3".into()),
                    cctv_retention_days: Some("60".into()),
                    ..SpaceInput::default()
                },
            ),
        };
        Ok(SpaceView { site, center, space, checks, input })
    }

    /// Registers or updates the registry of a space; returns the checks now in force.
    pub async fn save_nanumteo_space(&self, p: &Principal, site_id: i64, input: &SpaceInput) -> AppResult<Vec<Check>> {
        let (site, center) = self.nanumteo_site(p, site_id).await?;
        let data = input.parse()?;
        let before = spaces::get(self.store.reader(), site_id).await?;
        let expected = match (&before, s(&input.version)) {
            (None, _) => None,
            (Some(_), v) => Some(v.parse::<i64>().map_err(|_| AppError::one_field("version", "invalid_number"))?),
        };
        let mut tx = self.store.begin().await?;
        if !spaces::put(&mut tx, site_id, center.id, expected, &data).await? {
            return Err(AppError::Conflict { code: "stale_version", field: "version" });
        }
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: if before.is_some() { "update" } else { "create" },
                entity_type: "nanumteo_space",
                entity_id: site_id.to_string(),
                org_unit_id: Some(site_id),
                org_path: site.path.clone(),
                summary: format!("공동육아나눔터 등록정보 저장: {}", site.name),
                before: before.as_ref().map(|b| serde_json::json!(b.data)),
                after: Some(serde_json::json!(data)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(self.nanumteo_space(p, site_id).await?.checks)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            open_days: "12345".into(),
            saturday_open: None,
            saturday_close: None,
            saturday_approved_on: None,
            cctv_units: 2,
            cctv_megapixels_x10: 20,
            cctv_retention_days: 60,
            injury_insurance_until: Some("2027-03-31".into()),
            fire_insurance_until: Some("2026-12-01".into()),
            found_on: None,
        }
    }

    fn level(c: &[Check], code: &str) -> Level {
        c.iter().find(|c| c.code == code).map(|c| c.level).unwrap()
    }

    #[test]
    fn a_good_space_passes_and_insurance_near_expiry_warns() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let c = checks(&data(), 1, today);
        assert_eq!(weekly_minutes(&data()), 40 * 60);
        for code in ["area", "basic-hours", "weekly-hours", "all-day", "cctv", "injury-insurance"] {
            assert_eq!(level(&c, code), Level::Ok, "{code}");
        }
        assert_eq!(level(&c, "fire-insurance"), Level::Warn, "expires in 11 days");
    }

    #[test]
    fn remodelled_spaces_need_66_square_metres_from_2018() {
        let mut d = data();
        d.area_m2 = 60;
        d.remodelled = true;
        let c = checks(&d, 1, NaiveDate::from_ymd_opt(2026, 5, 1).unwrap());
        let a = c.iter().find(|c| c.code == "area").unwrap();
        assert_eq!((a.level, a.rule.as_str()), (Level::Fail, "CS-41"));
        let c17 = checks(&d, 1, NaiveDate::from_ymd_opt(2017, 5, 1).unwrap());
        assert_eq!(level(&c17, "area"), Level::Ok, "2017 asks 50 m² of every space");
    }

    #[test]
    fn saturday_without_approval_fails_and_approval_closes_monday() {
        let input = SpaceInput {
            placement: Some("inside".into()),
            ownership: Some("local_government".into()),
            area_m2: Some("72".into()),
            open_time: Some("10:00".into()),
            close_time: Some("18:00".into()),
            saturday: Some("on".into()),
            saturday_open: Some("09:00".into()),
            saturday_close: Some("15:00".into()),
            saturday_approved_on: Some("2026-03-02".into()),
            cctv_units: Some("1".into()),
            cctv_megapixels: Some("1.3".into()),
            cctv_retention_days: Some("60".into()),
            ..SpaceInput::default()
        };
        let d = input.parse().unwrap();
        assert_eq!(d.open_days, "23456");
        let today = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
        assert_eq!(level(&checks(&d, 1, today), "saturday"), Level::Ok);
        assert_eq!(
            level(&checks(&d, 1, today), "weekly-hours"),
            Level::Fail,
            "Tue–Fri 32 h + Saturday 6 h = 38 h < 40 h"
        );
    }
}
