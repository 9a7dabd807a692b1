//! Annual programs by business area, sessions (one-off or weekly, skipping public holidays),
//! enrolment, attendance for a whole session, head counts for open events, and the
//! satisfaction survey. Every write checks the month is not locked by a submitted report.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate, Weekday};
use gajok_domain::code_list::CodeList;
use gajok_domain::field::{FieldError, FieldErrors};
use gajok_domain::people::MemberStatus;
use gajok_domain::program::{AttendanceStatus, HeadCountGroup};
use gajok_domain::text;
use gajok_store::access_log::NewAccess;
use gajok_store::audit::{self, NewEvent};
use gajok_store::counting::{self, Figures};
use gajok_store::orgs::{self, OrgUnit};
use gajok_store::people;
use gajok_store::programs::{self, Program, ProgramData, Session, SessionData, SurveyAnswer};
use gajok_store::{Tx, reports};
use serde::{Deserialize, Serialize};

use crate::catalog::catalog;
use crate::error::{AppError, AppResult};
use crate::input::{flag, text_or_number};
use crate::principal::Principal;
use crate::{App, authz};

/// Most sessions one recurring schedule may create (a year of weekly sessions and then some).
pub const MAX_SERIES: usize = 60;

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgramInput {
    #[serde(default, deserialize_with = "text_or_number")]
    pub center_id: Option<String>,
    #[serde(default, deserialize_with = "text_or_number")]
    pub year: Option<String>,
    pub area: Option<String>,
    pub common_program: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    #[serde(default, deserialize_with = "text_or_number")]
    pub target_real: Option<String>,
    #[serde(default, deserialize_with = "text_or_number")]
    pub target_cumulative: Option<String>,
    #[serde(default, deserialize_with = "text_or_number")]
    pub target_sessions: Option<String>,
    #[serde(default, deserialize_with = "text_or_number")]
    pub target_hours: Option<String>,
    #[serde(rename = "_csrf", default)]
    pub csrf: Option<String>,
}

fn count(field: &str, v: &Option<String>, max: i64) -> Result<i64, FieldError> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(0),
        Some(s) => match s.replace(',', "").parse::<i64>() {
            Ok(n) if (0..=max).contains(&n) => Ok(n),
            _ => Err(FieldError::new(field, "invalid_number")),
        },
    }
}

/// Hours as "12", "12.5" or "1:30" → minutes, without floating point.
pub fn parse_hours(field: &str, v: &str) -> Result<i64, FieldError> {
    let s = v.trim();
    let bad = || FieldError::new(field, "invalid_hours");
    let minutes = if let Some((h, m)) = s.split_once(':') {
        let h: i64 = h.parse().map_err(|_| bad())?;
        let m: i64 = m.parse().map_err(|_| bad())?;
        if !(0..60).contains(&m) {
            return Err(bad());
        }
        h * 60 + m
    } else if let Some((h, frac)) = s.split_once('.') {
        let h: i64 = if h.is_empty() { 0 } else { h.parse().map_err(|_| bad())? };
        let frac = format!("{:0<2}", frac);
        let f: i64 = frac.get(..2).ok_or_else(bad)?.parse().map_err(|_| bad())?;
        h * 60 + f * 60 / 100
    } else {
        s.parse::<i64>().map_err(|_| bad())? * 60
    };
    if minutes < 0 { Err(bad()) } else { Ok(minutes) }
}

impl ProgramInput {
    fn parse(&self, e: &mut FieldErrors, today: NaiveDate) -> Option<ProgramData> {
        let year = match self.year.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Some(i64::from(today.year())),
            Some(s) => match s.parse::<i64>() {
                Ok(y) if (2000..=2100).contains(&y) => Some(y),
                _ => {
                    e.push(FieldError::new("year", "invalid_year"));
                    None
                }
            },
        };
        let area = match (year, self.area.as_deref().map(str::trim).filter(|s| !s.is_empty())) {
            (_, None) => {
                e.push(FieldError::new("area", "required"));
                None
            }
            (Some(y), Some(a)) => match catalog().areas_for_year(y as i32) {
                None => {
                    e.push(FieldError::new("year", "no_area_list_for_year"));
                    None
                }
                Some(ed) => match ed.areas.iter().find(|x| x.code == a) {
                    Some(x) => Some(x.clone()),
                    None => {
                        e.push(
                            FieldError::new("area", "unknown_value")
                                .with_allowed(ed.areas.iter().map(|x| x.code.clone()).collect()),
                        );
                        None
                    }
                },
            },
            (None, Some(_)) => None,
        };
        let common = match (&area, self.common_program.as_deref().map(str::trim).filter(|s| !s.is_empty())) {
            (_, None) => None,
            (Some(a), Some(c)) => {
                if a.common_programs.iter().any(|cp| cp.code == c) {
                    Some(c.to_string())
                } else {
                    e.push(
                        FieldError::new("common_program", "unknown_value")
                            .with_allowed(a.common_programs.iter().map(|cp| cp.code.clone()).collect()),
                    );
                    None
                }
            }
            (None, Some(_)) => None,
        };
        let name = match text::clean_opt(self.name.as_deref()) {
            None => {
                e.push(FieldError::new("name", "required"));
                None
            }
            Some(n) if text::char_len(&n) > 100 => {
                e.push(FieldError::new("name", "too_long"));
                None
            }
            Some(n) => Some(n),
        };
        let description = text::clean_opt(self.description.as_deref());
        if description.as_deref().is_some_and(|d| text::char_len(d) > 2000) {
            e.push(FieldError::new("description", "too_long"));
        }
        let target_real = e.take(count("target_real", &self.target_real, 1_000_000));
        let target_cumulative = e.take(count("target_cumulative", &self.target_cumulative, 10_000_000));
        let target_sessions = e.take(count("target_sessions", &self.target_sessions, 100_000));
        let target_minutes = match self.target_hours.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Some(0),
            Some(h) => e.take(parse_hours("target_hours", h)),
        };
        Some(ProgramData {
            year: year?,
            area: area?.code,
            common_program: common,
            name: name?,
            description,
            target_real: target_real?,
            target_cumulative: target_cumulative?,
            target_sessions: target_sessions?,
            target_minutes: target_minutes?,
        })
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionInput {
    /// One-off: the date. Recurring: leave empty and give start/end/weekday.
    pub date: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    /// mon, tue, wed, thu, fri, sat, sun
    pub weekday: Option<String>,
    pub start_time: Option<String>,
    #[serde(default, deserialize_with = "text_or_number")]
    pub hours: Option<String>,
    pub place: Option<String>,
    pub instructor: Option<String>,
    #[serde(default, deserialize_with = "flag")]
    pub open_event: Option<bool>,
    #[serde(rename = "_csrf", default)]
    pub csrf: Option<String>,
}

const WEEKDAYS: &[(&str, Weekday)] = &[
    ("mon", Weekday::Mon),
    ("tue", Weekday::Tue),
    ("wed", Weekday::Wed),
    ("thu", Weekday::Thu),
    ("fri", Weekday::Fri),
    ("sat", Weekday::Sat),
    ("sun", Weekday::Sun),
];

fn date_field(e: &mut FieldErrors, field: &str, v: &Option<String>) -> Option<NaiveDate> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            e.push(FieldError::new(field, "required"));
            None
        }
        Some(s) => e.take(gajok_domain::time::parse_date(s).ok_or_else(|| FieldError::new(field, "invalid_date"))),
    }
}

/// The dates of a schedule: one date, or every `weekday` from start to end without holidays.
/// Returns the dates and the holidays skipped.
pub fn schedule(input: &SessionInput, year: i32, e: &mut FieldErrors) -> (Vec<NaiveDate>, Vec<NaiveDate>) {
    let one = input.date.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if one.is_some() {
        let d = date_field(e, "date", &input.date);
        if let Some(d) = d
            && d.year() != year
        {
            e.push(FieldError::new("date", "outside_fiscal_year"));
        }
        return (d.into_iter().collect(), Vec::new());
    }
    let start = date_field(e, "start_date", &input.start_date);
    let end = date_field(e, "end_date", &input.end_date);
    let wd = match input.weekday.as_deref().map(str::trim) {
        Some(w) => match WEEKDAYS.iter().find(|(c, _)| *c == w) {
            Some((_, d)) => Some(*d),
            None => {
                e.push(
                    FieldError::new("weekday", "unknown_value")
                        .with_allowed(WEEKDAYS.iter().map(|(c, _)| (*c).to_string()).collect()),
                );
                None
            }
        },
        None => {
            e.push(FieldError::new("weekday", "required"));
            None
        }
    };
    let (Some(start), Some(end), Some(wd)) = (start, end, wd) else {
        return (Vec::new(), Vec::new());
    };
    for (f, d) in [("start_date", start), ("end_date", end)] {
        if d.year() != year {
            e.push(FieldError::new(f, "outside_fiscal_year"));
        }
    }
    if end < start {
        e.push(FieldError::new("end_date", "end_before_start"));
    }
    let Some(holidays) = catalog().holidays(year) else {
        e.push(FieldError::new("start_date", "no_holiday_table_for_year"));
        return (Vec::new(), Vec::new());
    };
    if !e.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let mut dates = Vec::new();
    let mut skipped = Vec::new();
    let mut d = start;
    while d <= end {
        if d.weekday() == wd {
            if holidays.contains(&d) {
                skipped.push(d);
            } else {
                dates.push(d);
            }
        }
        d = match d.succ_opt() {
            Some(n) => n,
            None => break,
        };
    }
    if dates.is_empty() {
        e.push(FieldError::new("weekday", "no_dates_in_range"));
    }
    if dates.len() > MAX_SERIES {
        e.push(FieldError::new("end_date", "too_many_sessions"));
    }
    (dates, skipped)
}

fn parse_time(e: &mut FieldErrors, v: &Option<String>) -> Option<String> {
    let s = v.as_deref().map(str::trim).filter(|s| !s.is_empty()).unwrap_or("10:00");
    match chrono::NaiveTime::parse_from_str(s, "%H:%M") {
        Ok(t) => Some(t.format("%H:%M").to_string()),
        Err(_) => {
            e.push(FieldError::new("start_time", "invalid_time"));
            None
        }
    }
}

/// Enrolment and attendance input from the JSON API.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttendanceEntry {
    pub member_id: i64,
    /// present / absent / excused, or null to clear.
    pub status: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyInput {
    #[serde(default, deserialize_with = "text_or_number")]
    pub q1: Option<String>,
    #[serde(default, deserialize_with = "text_or_number")]
    pub q2: Option<String>,
    #[serde(default, deserialize_with = "text_or_number")]
    pub q3: Option<String>,
    #[serde(default, deserialize_with = "text_or_number")]
    pub q4: Option<String>,
    #[serde(default, deserialize_with = "text_or_number")]
    pub q5: Option<String>,
    #[serde(default, deserialize_with = "text_or_number")]
    pub q6: Option<String>,
    #[serde(default, deserialize_with = "text_or_number")]
    pub q7: Option<String>,
    pub answered_on: Option<String>,
    pub sex: Option<String>,
    #[serde(default, deserialize_with = "text_or_number")]
    pub age: Option<String>,
    pub helped: Option<String>,
    pub improve: Option<String>,
    #[serde(rename = "_csrf", default)]
    pub csrf: Option<String>,
}

/// Year figures of a program with its targets and survey averages.
#[derive(Debug, Clone, Serialize)]
pub struct ProgramFigures {
    pub year: Figures,
    /// 실인원 of the year (sum of new-per-month).
    pub real: i64,
    pub survey_responses: i64,
    /// Average score per item ×100 (e.g. 425 = 4.25), to stay in integers.
    pub survey_avg_x100: [i64; 7],
}

#[derive(Debug, Clone, Serialize)]
pub struct SessionRow {
    pub session: Session,
    pub present: i64,
    pub recorded: i64,
    pub open_persons: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProgramDetail {
    pub program: Program,
    pub center: OrgUnit,
    pub area_label: (String, String),
    pub sessions: Vec<SessionRow>,
    pub enrolled: Vec<(i64, String)>,
    pub figures: ProgramFigures,
    pub can_edit: bool,
}

/// An attendance sheet: the session and every enrolled member with their status.
#[derive(Debug, Clone, Serialize)]
pub struct Sheet {
    pub program: Program,
    pub session: Session,
    pub rows: Vec<SheetRow>,
    pub head_counts: Vec<(HeadCountGroup, i64)>,
    pub locked: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct SheetRow {
    pub member_id: i64,
    pub name: String,
    pub birth_year: String,
    pub status: Option<AttendanceStatus>,
    pub restricted: bool,
}

impl App {
    /// Refuses a write into a month whose report is submitted and not returned or reopened.
    pub(crate) async fn ensure_month_open(&self, tx: &mut Tx, center_id: i64, date: &str) -> AppResult<()> {
        let month = date.get(..7).unwrap_or(date);
        reports::guard_month(tx, reports::CENTER, center_id, month, reports::MonthGuard::Writer).await?;
        if reports::status(tx.conn(), center_id, month).await?.locks_month() {
            return Err(AppError::Conflict { code: "month_locked", field: "date" });
        }
        Ok(())
    }

    async fn program_for_work(&self, p: &Principal, id: i64) -> AppResult<Program> {
        let prog = programs::program(self.store.reader(), id).await?.ok_or(AppError::NotFound)?;
        if !authz::can_work_in_center(p, prog.center_id) {
            return Err(AppError::NotFound);
        }
        Ok(prog)
    }

    /// Programs of the caller's center for a year, with their year figures.
    pub async fn list_programs(
        &self,
        p: &Principal,
        center: Option<&str>,
        year: i64,
    ) -> AppResult<(OrgUnit, Vec<(Program, ProgramFigures)>)> {
        let center_id = self.resolve_center(p, center)?;
        let unit = orgs::get(self.store.reader(), center_id).await?.ok_or(AppError::NotFound)?;
        let list = programs::programs(&self.store, center_id, year).await?;
        let figs =
            counting::figures(&self.store, &[center_id], &format!("{year:04}-01"), &format!("{year:04}-12")).await?;
        let mut out = Vec::new();
        for prog in list {
            let f = self.program_figures(&prog, &figs).await?;
            out.push((prog, f));
        }
        Ok((unit, out))
    }

    async fn program_figures(
        &self,
        prog: &Program,
        figs: &BTreeMap<(i64, String, String), Figures>,
    ) -> AppResult<ProgramFigures> {
        let key = format!("program:{}", prog.id);
        let mut year = Figures::default();
        for ((_, _, cat), f) in figs.iter() {
            if *cat == key {
                year.add(f);
            }
        }
        let (n, sums) = programs::survey_sums(&self.store, prog.id).await?;
        let mut avg = [0i64; 7];
        if n > 0 {
            for (a, s) in avg.iter_mut().zip(sums) {
                *a = (s * 100 + n / 2) / n;
            }
        }
        Ok(ProgramFigures { real: year.real_new, year, survey_responses: n, survey_avg_x100: avg })
    }

    pub async fn create_program(&self, p: &Principal, input: &ProgramInput) -> AppResult<Program> {
        let center_id = self.resolve_center(p, input.center_id.as_deref())?;
        let center = orgs::get(self.store.reader(), center_id).await?.ok_or(AppError::NotFound)?;
        let mut e = FieldErrors::new();
        let data = input.parse(&mut e, self.today());
        e.finish()?;
        let data = data.ok_or_else(|| AppError::Internal("validated input incomplete".into()))?;
        let mut tx = self.store.begin().await?;
        let prog = programs::insert_program(&mut tx, center_id, &data).await?;
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "create",
                entity_type: "program",
                entity_id: prog.id.to_string(),
                org_unit_id: Some(center_id),
                org_path: center.path.clone(),
                summary: format!("프로그램 등록: {} ({}년)", prog.name, prog.year),
                before: None,
                after: serde_json::to_value(&prog).ok(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(prog)
    }

    pub async fn program_detail(&self, p: &Principal, id: i64) -> AppResult<ProgramDetail> {
        let prog = self.program_for_work(p, id).await?;
        let center = orgs::get(self.store.reader(), prog.center_id).await?.ok_or(AppError::NotFound)?;
        let sessions = programs::sessions(&self.store, id).await?;
        let mut rows = Vec::new();
        for s in sessions {
            let att = programs::attendance(self.store.reader(), s.id).await?;
            let present = att.iter().filter(|(_, st)| *st == AttendanceStatus::Present).count() as i64;
            let open_persons = programs::head_counts(self.store.reader(), s.id).await?.iter().map(|(_, n)| n).sum();
            rows.push(SessionRow { session: s, present, recorded: att.len() as i64, open_persons });
        }
        let ids = programs::enrolled_ids(self.store.reader(), id).await?;
        let mut enrolled = Vec::new();
        for mid in ids {
            if let Some(m) = people::get(self.store.reader(), mid).await? {
                enrolled.push((m.id, gajok_domain::mask::name(&m.name)));
            }
        }
        let figs = counting::figures(
            &self.store,
            &[prog.center_id],
            &format!("{:04}-01", prog.year),
            &format!("{:04}-12", prog.year),
        )
        .await?;
        let figures = self.program_figures(&prog, &figs).await?;
        let area = catalog().area(prog.year as i32, &prog.area);
        let area_label =
            area.map(|a| (a.ko.clone(), a.en.clone())).unwrap_or_else(|| (prog.area.clone(), prog.area.clone()));
        Ok(ProgramDetail { can_edit: true, program: prog, center, area_label, sessions: rows, enrolled, figures })
    }

    /// Creates one session or a weekly series; returns the sessions and the holidays skipped.
    pub async fn create_sessions(
        &self,
        p: &Principal,
        program_id: i64,
        input: &SessionInput,
    ) -> AppResult<(Vec<Session>, Vec<NaiveDate>)> {
        let prog = self.program_for_work(p, program_id).await?;
        let mut e = FieldErrors::new();
        let (dates, skipped) = schedule(input, prog.year as i32, &mut e);
        let start_time = parse_time(&mut e, &input.start_time);
        let minutes = match input.hours.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => {
                e.push(FieldError::new("hours", "required"));
                None
            }
            Some(h) => match parse_hours("hours", h) {
                Ok(m) if (1..=720).contains(&m) => Some(m),
                Ok(_) => {
                    e.push(FieldError::new("hours", "invalid_hours"));
                    None
                }
                Err(err) => {
                    e.push(err);
                    None
                }
            },
        };
        let place = text::clean_opt(input.place.as_deref()).map(|s| s.chars().take(100).collect());
        let instructor = text::clean_opt(input.instructor.as_deref()).map(|s| s.chars().take(50).collect());
        e.finish()?;
        let (Some(start_time), Some(minutes)) = (start_time, minutes) else {
            return Err(AppError::Internal("validated input incomplete".into()));
        };
        let center = orgs::get(self.store.reader(), prog.center_id).await?.ok_or(AppError::NotFound)?;
        let series = if dates.len() > 1 { Some(crate::auth::random_token(8)) } else { None };
        let mut tx = self.store.begin().await?;
        let mut made = Vec::new();
        for d in &dates {
            let ds = d.format("%Y-%m-%d").to_string();
            self.ensure_month_open(&mut tx, prog.center_id, &ds).await?;
            let data = SessionData {
                series_id: series.clone(),
                date: ds,
                start_time: start_time.clone(),
                minutes,
                place: place.clone(),
                instructor: instructor.clone(),
                open_event: input.open_event.unwrap_or(false),
            };
            made.push(programs::insert_session(&mut tx, &prog, &data).await?);
        }
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "create",
                entity_type: "program_session",
                entity_id: made.first().map(|s| s.id.to_string()).unwrap_or_default(),
                org_unit_id: Some(prog.center_id),
                org_path: center.path.clone(),
                summary: format!("회기 {}건 등록: {} (공휴일 {}일 제외)", made.len(), prog.name, skipped.len()),
                before: None,
                after: Some(serde_json::json!({ "program_id": prog.id, "dates": dates, "skipped_holidays": skipped })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok((made, skipped))
    }

    pub async fn delete_session(&self, p: &Principal, session_id: i64) -> AppResult<i64> {
        let s = programs::session(self.store.reader(), session_id).await?.ok_or(AppError::NotFound)?;
        let prog = self.program_for_work(p, s.program_id).await?;
        let center = orgs::get(self.store.reader(), prog.center_id).await?.ok_or(AppError::NotFound)?;
        let mut tx = self.store.begin().await?;
        self.ensure_month_open(&mut tx, prog.center_id, &s.date).await?;
        programs::delete_session(&mut tx, &prog, &s).await?;
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "delete",
                entity_type: "program_session",
                entity_id: s.id.to_string(),
                org_unit_id: Some(prog.center_id),
                org_path: center.path.clone(),
                summary: format!("회기 삭제: {} {}", prog.name, s.date),
                before: serde_json::to_value(&s).ok(),
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(prog.id)
    }

    /// Enrols members of the program's center; refuses restricted members.
    pub async fn enrol(&self, p: &Principal, program_id: i64, member_ids: &[i64]) -> AppResult<usize> {
        let prog = self.program_for_work(p, program_id).await?;
        let mut e = FieldErrors::new();
        let mut ok = Vec::new();
        for (i, id) in member_ids.iter().enumerate() {
            match people::get(self.store.reader(), *id).await? {
                Some(m) if m.center_id == prog.center_id && m.status == MemberStatus::Active => ok.push(m.id),
                Some(m) if m.center_id == prog.center_id => {
                    e.push(FieldError::new(format!("member_ids[{i}]"), "member_restricted"))
                }
                _ => e.push(FieldError::new(format!("member_ids[{i}]"), "not_in_center")),
            }
        }
        if member_ids.is_empty() {
            e.push(FieldError::new("member_ids", "required"));
        }
        e.finish()?;
        let center = orgs::get(self.store.reader(), prog.center_id).await?.ok_or(AppError::NotFound)?;
        let today = self.today().format("%Y-%m-%d").to_string();
        let mut tx = self.store.begin().await?;
        let mut n = 0;
        for id in &ok {
            if programs::enrol(&mut tx, &prog, *id, &today).await? {
                n += 1;
            }
        }
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "enrol",
                entity_type: "program",
                entity_id: prog.id.to_string(),
                org_unit_id: Some(prog.center_id),
                org_path: center.path.clone(),
                summary: format!("참여자 {n}명 등록: {}", prog.name),
                before: None,
                after: Some(serde_json::json!({ "member_ids": ok })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(n)
    }

    /// The attendance sheet of a session (names shown: an access-logged read).
    pub async fn attendance_sheet(&self, p: &Principal, session_id: i64) -> AppResult<Sheet> {
        let s = programs::session(self.store.reader(), session_id).await?.ok_or(AppError::NotFound)?;
        let prog = self.program_for_work(p, s.program_id).await?;
        let ids = programs::enrolled_ids(self.store.reader(), prog.id).await?;
        let att: HashMap<i64, AttendanceStatus> =
            programs::attendance(self.store.reader(), s.id).await?.into_iter().collect();
        let mut rows = Vec::new();
        for id in ids {
            if let Some(m) = people::get(self.store.reader(), id).await? {
                rows.push(SheetRow {
                    member_id: m.id,
                    birth_year: m.birth_date.get(..4).unwrap_or("").to_string(),
                    status: att.get(&m.id).copied(),
                    restricted: m.status != MemberStatus::Active,
                    name: m.name,
                });
            }
        }
        rows.sort_by(|a, b| a.name.cmp(&b.name));
        let head_counts = programs::head_counts(self.store.reader(), s.id).await?;
        let month = s.date.get(..7).unwrap_or("");
        let locked = reports::status(self.store.reader(), prog.center_id, month).await?.locks_month();
        let center = orgs::get(self.store.reader(), prog.center_id).await?.ok_or(AppError::NotFound)?;
        self.log_access(
            p,
            NewAccess {
                action: "view",
                subject_type: "attendance_sheet",
                subject_id: s.id.to_string(),
                org_unit_id: Some(center.id),
                org_path: center.path,
                detail: format!("{} members", rows.len()),
            },
        )
        .await?;
        Ok(Sheet { program: prog, session: s, rows, head_counts, locked })
    }

    /// Records the attendance of a whole session at once (one transaction). `entries` are
    /// (field name for errors, member id, status or None to clear).
    pub async fn record_attendance(
        &self,
        p: &Principal,
        session_id: i64,
        entries: &[(String, i64, Option<String>)],
    ) -> AppResult<usize> {
        let s = programs::session(self.store.reader(), session_id).await?.ok_or(AppError::NotFound)?;
        let prog = self.program_for_work(p, s.program_id).await?;
        let enrolled: Vec<i64> = programs::enrolled_ids(self.store.reader(), prog.id).await?;
        let mut e = FieldErrors::new();
        let mut seen = std::collections::HashSet::new();
        let mut parsed = Vec::new();
        for (field, member_id, status) in entries {
            if !seen.insert(*member_id) {
                e.push(FieldError::new(field.clone(), "duplicate_entry"));
                continue;
            }
            if !enrolled.contains(member_id) {
                e.push(FieldError::new(field.clone(), "not_enrolled"));
                continue;
            }
            let st = match status.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                None => None,
                Some(v) => match AttendanceStatus::parse(v) {
                    Some(st) => Some(st),
                    None => {
                        e.push(
                            FieldError::new(field.clone(), "unknown_value")
                                .with_allowed(AttendanceStatus::codes().iter().map(|c| c.to_string()).collect()),
                        );
                        continue;
                    }
                },
            };
            parsed.push((*member_id, st));
        }
        e.finish()?;
        let center = orgs::get(self.store.reader(), prog.center_id).await?.ok_or(AppError::NotFound)?;
        let mut tx = self.store.begin().await?;
        self.ensure_month_open(&mut tx, prog.center_id, &s.date).await?;
        // People whose required consent was withdrawn cannot be marked present.
        let present: Vec<i64> =
            parsed.iter().filter(|(_, st)| *st == Some(AttendanceStatus::Present)).map(|(m, _)| *m).collect();
        let restricted = people::restricted_among(&mut tx, &present).await?;
        let changed = if restricted.is_empty() {
            programs::set_attendance_many(&mut tx, &prog, &s, &parsed, Some(p.user.id)).await?
        } else {
            0
        };
        if !restricted.is_empty() {
            let errs = restricted.iter().map(|m| FieldError::new(format!("a_{m}"), "member_restricted")).collect();
            return Err(AppError::Validation(FieldErrors(errs)));
        }
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "attendance",
                entity_type: "program_session",
                entity_id: s.id.to_string(),
                org_unit_id: Some(prog.center_id),
                org_path: center.path.clone(),
                summary: format!("출석 {changed}건 기록: {} {}", prog.name, s.date),
                before: None,
                after: Some(serde_json::json!({ "entries": parsed.iter().map(|(m, st)| serde_json::json!({"member_id": m, "status": st})).collect::<Vec<_>>() })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(changed)
    }

    pub async fn record_head_counts(
        &self,
        p: &Principal,
        session_id: i64,
        counts: &[(HeadCountGroup, Option<String>)],
    ) -> AppResult<()> {
        let s = programs::session(self.store.reader(), session_id).await?.ok_or(AppError::NotFound)?;
        let prog = self.program_for_work(p, s.program_id).await?;
        let mut e = FieldErrors::new();
        let mut parsed = Vec::new();
        for (g, v) in counts {
            let field = format!("head_{}", g.code());
            if let Some(n) = e.take(count(&field, v, 100_000)) {
                parsed.push((*g, n));
            }
        }
        e.finish()?;
        let center = orgs::get(self.store.reader(), prog.center_id).await?.ok_or(AppError::NotFound)?;
        let mut tx = self.store.begin().await?;
        self.ensure_month_open(&mut tx, prog.center_id, &s.date).await?;
        for (g, n) in &parsed {
            programs::set_head_count(&mut tx, &prog, &s, *g, *n).await?;
        }
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "head_count",
                entity_type: "program_session",
                entity_id: s.id.to_string(),
                org_unit_id: Some(prog.center_id),
                org_path: center.path.clone(),
                summary: format!("인원 집계 기록: {} {}", prog.name, s.date),
                before: None,
                after: Some(serde_json::json!(parsed.iter().map(|(g, n)| (g.code(), n)).collect::<BTreeMap<_, _>>())),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn add_survey(&self, p: &Principal, program_id: i64, input: &SurveyInput) -> AppResult<i64> {
        let prog = self.program_for_work(p, program_id).await?;
        let mut e = FieldErrors::new();
        let qs = [&input.q1, &input.q2, &input.q3, &input.q4, &input.q5, &input.q6, &input.q7];
        let mut scores = [0i64; 7];
        for (i, q) in qs.iter().enumerate() {
            let field = format!("q{}", i + 1);
            match q.as_deref().map(str::trim).and_then(|s| s.parse::<i64>().ok()) {
                Some(v) if (1..=5).contains(&v) => scores[i] = v,
                Some(_) | None if q.as_deref().is_some_and(|s| !s.trim().is_empty()) => {
                    e.push(FieldError::new(field, "score_out_of_range"))
                }
                _ => e.push(FieldError::new(field, "required")),
            }
        }
        let answered_on = match input.answered_on.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => self.today(),
            Some(s) => match gajok_domain::time::parse_date(s) {
                Some(d) => d,
                None => {
                    e.push(FieldError::new("answered_on", "invalid_date"));
                    self.today()
                }
            },
        };
        let age = match input.age.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => match s.parse::<i64>() {
                Ok(a) if (0..=120).contains(&a) => Some(a),
                _ => {
                    e.push(FieldError::new("age", "invalid_number"));
                    None
                }
            },
        };
        let sex = e
            .take(gajok_domain::org::parse_code_opt::<gajok_domain::people::Sex>("sex", input.sex.as_deref()))
            .flatten();
        e.finish()?;
        let center = orgs::get(self.store.reader(), prog.center_id).await?.ok_or(AppError::NotFound)?;
        let mut tx = self.store.begin().await?;
        let id = programs::insert_survey(
            &mut tx,
            &prog,
            &SurveyAnswer {
                answered_on: answered_on.format("%Y-%m-%d").to_string(),
                scores,
                sex: sex.map(|s| s.code().to_string()),
                age,
                helped: text::clean_opt(input.helped.as_deref()),
                improve: text::clean_opt(input.improve.as_deref()),
            },
        )
        .await?;
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "create",
                entity_type: "survey_response",
                entity_id: id.to_string(),
                org_unit_id: Some(prog.center_id),
                org_path: center.path.clone(),
                summary: format!("만족도 조사 입력: {}", prog.name),
                before: None,
                after: Some(serde_json::json!({ "program_id": prog.id, "scores": scores })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }
}

impl SheetRow {
    /// The status as the form value (`""` when not entered).
    pub fn status_code(&self) -> &'static str {
        self.status.map(|s| s.code()).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours() {
        assert_eq!(parse_hours("h", "2"), Ok(120));
        assert_eq!(parse_hours("h", "1.5"), Ok(90));
        assert_eq!(parse_hours("h", "1:20"), Ok(80));
        assert!(parse_hours("h", "1:75").is_err());
        assert!(parse_hours("h", "two").is_err());
    }

    #[test]
    fn weekly_schedule_skips_holidays() {
        // Thursdays of September 2026: 3, 10, 17, 24 (추석), so three sessions.
        let input = SessionInput {
            start_date: Some("2026-09-01".into()),
            end_date: Some("2026-09-30".into()),
            weekday: Some("thu".into()),
            ..Default::default()
        };
        let mut e = FieldErrors::new();
        let (dates, skipped) = schedule(&input, 2026, &mut e);
        assert!(e.is_empty(), "{e}");
        assert_eq!(dates.len(), 3);
        assert_eq!(skipped, vec![NaiveDate::from_ymd_opt(2026, 9, 24).unwrap()]);
        let mut e = FieldErrors::new();
        let _ = schedule(&SessionInput { date: Some("2025-12-31".into()), ..Default::default() }, 2026, &mut e);
        assert_eq!(e.0[0].code, "outside_fiscal_year");
        let mut e = FieldErrors::new();
        let _ = schedule(
            &SessionInput {
                start_date: Some("2031-01-01".into()),
                end_date: Some("2031-02-01".into()),
                weekday: Some("mon".into()),
                ..Default::default()
            },
            2031,
            &mut e,
        );
        assert_eq!(e.0[0].code, "no_holiday_table_for_year");
    }
}
