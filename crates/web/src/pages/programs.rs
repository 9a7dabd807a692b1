//! Program pages: the year's programs with figures, registration, sessions (one-off or
//! weekly), enrolment, the survey, and the attendance sheet of a session.

use std::collections::HashMap;

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use gajok_app::AppError;
use gajok_app::catalog::catalog;
use gajok_app::programs::{ProgramDetail, ProgramInput, SessionInput, Sheet, SurveyInput};
use gajok_domain::code_list::CodeList;
use gajok_domain::program::HeadCountGroup;
use serde::Deserialize;

use crate::context::Ctx;
use crate::error::{WebError, WebResult};
use crate::extract::{FormBody, Q, opt_i64};
use crate::layout::{FieldBuilder, FieldMessages, FormField, Layout, SelectOption};
use crate::pages::render;

fn hours(minutes: i64) -> String {
    if minutes % 60 == 0 {
        (minutes / 60).to_string()
    } else {
        format!("{}.{:02}", minutes / 60, (minutes % 60) * 100 / 60)
    }
}

fn area_name(ctx: &Ctx, year: i64, code: &str) -> String {
    catalog()
        .area(year as i32, code)
        .map(|a| if ctx.lang == gajok_domain::text::Lang::Ko { a.ko.clone() } else { a.en.clone() })
        .unwrap_or_else(|| code.to_string())
}

pub struct Row {
    pub id: i64,
    pub area: String,
    pub name: String,
    pub sessions: i64,
    pub hours: String,
    pub real: i64,
    pub cumulative: i64,
    pub open: i64,
}

#[derive(Template)]
#[template(path = "program_list.html")]
struct ListPage {
    l: Layout,
    center_name: String,
    year: i64,
    rows: Vec<Row>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    year: Option<String>,
    center: Option<String>,
    #[serde(rename = "done")]
    _done: Option<String>,
}

fn this_year() -> i64 {
    i64::from(gajok_domain::time::kst_date(chrono::Utc::now()).year())
}

pub async fn list(ctx: Ctx, Q(q): Q<ListQuery>) -> WebResult<Response> {
    let p = ctx.user()?;
    let year = opt_i64("year", &q.year)?.unwrap_or_else(this_year);
    let (center, list) = ctx.state.app.list_programs(p, q.center.as_deref(), year).await?;
    let rows = list
        .into_iter()
        .map(|(prog, f)| Row {
            id: prog.id,
            area: area_name(&ctx, prog.year, &prog.area),
            name: prog.name,
            sessions: f.year.sessions,
            hours: hours(f.year.minutes),
            real: f.real,
            cumulative: f.year.cumulative,
            open: f.year.open_persons,
        })
        .collect();
    render(&ListPage { l: ctx.layout(&ctx.t("program-list-title")), center_name: center.name, year, rows })
}

#[derive(Template)]
#[template(path = "member_form.html")]
struct FormPage {
    l: Layout,
    action: String,
    cancel: String,
    message: Option<String>,
    show_consent: bool,
    fields: Vec<FormField>,
}

fn program_fields(ctx: &Ctx, v: &ProgramInput, errors: &FieldMessages) -> Vec<FormField> {
    let year: i64 = v.year.as_deref().and_then(|y| y.parse().ok()).unwrap_or_else(this_year);
    let ko = ctx.lang == gajok_domain::text::Lang::Ko;
    let mut areas = vec![SelectOption { value: String::new(), label: ctx.t("org-select"), selected: v.area.is_none() }];
    let mut commons =
        vec![SelectOption { value: String::new(), label: ctx.t("org-none"), selected: v.common_program.is_none() }];
    if let Some(ed) = catalog().areas_for_year(year as i32) {
        for a in &ed.areas {
            areas.push(SelectOption {
                value: a.code.clone(),
                label: if ko { a.ko.clone() } else { a.en.clone() },
                selected: v.area.as_deref() == Some(&a.code),
            });
            for c in &a.common_programs {
                let label = format!("{} · {}", if ko { &a.ko } else { &a.en }, if ko { &c.ko } else { &c.en });
                commons.push(SelectOption {
                    value: c.code.clone(),
                    label,
                    selected: v.common_program.as_deref() == Some(&c.code),
                });
            }
        }
    }
    FieldBuilder::new(ctx, errors)
        .input("year", &Some(year.to_string()), "number", true)
        .select_options("area", areas, true)
        .select_options("common_program", commons, false)
        .text("name", &v.name, true)
        .text("description", &v.description, false)
        .input("target_real", &v.target_real, "number", false)
        .input("target_cumulative", &v.target_cumulative, "number", false)
        .input("target_sessions", &v.target_sessions, "number", false)
        .text("target_hours", &v.target_hours, false)
        .build()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewQuery {
    year: Option<String>,
}

pub async fn new_form(ctx: Ctx, Q(q): Q<NewQuery>) -> WebResult<Response> {
    let p = ctx.user()?;
    ctx.state.app.resolve_center(p, None)?;
    let v = ProgramInput { year: q.year, ..Default::default() };
    let fields = program_fields(&ctx, &v, &FieldMessages::default());
    render(&FormPage {
        l: ctx.layout(&ctx.t("program-new")),
        action: "/programs".into(),
        cancel: "/programs".into(),
        message: None,
        show_consent: false,
        fields,
    })
}

pub async fn create(ctx: Ctx, FormBody(input): FormBody<ProgramInput>) -> WebResult<Response> {
    let p = ctx.user()?;
    match ctx.state.app.create_program(p, &input).await {
        Ok(prog) => Ok(Redirect::to(&format!("/programs/{}?done=program-created", prog.id)).into_response()),
        Err(e @ AppError::Validation(_)) => {
            let err = WebError::App(e);
            let fields = program_fields(&ctx, &input, &FieldMessages::from(&ctx, &err.fields()));
            let page = FormPage {
                l: ctx.layout(&ctx.t("program-new")),
                action: "/programs".into(),
                cancel: "/programs".into(),
                message: Some(ctx.t("error-validation_failed")),
                show_consent: false,
                fields,
            };
            let mut r = render(&page)?;
            *r.status_mut() = err.status();
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}

pub struct SessionView {
    pub id: i64,
    pub date: String,
    pub time: String,
    pub hours: String,
    pub present: i64,
}

#[derive(Template)]
#[template(path = "program_detail.html")]
struct DetailPage {
    l: Layout,
    d: ProgramDetail,
    area: String,
    figures: Vec<(String, String, String)>,
    sessions: Vec<SessionView>,
    survey: Vec<(String, String)>,
    questions: Vec<(String, String)>,
    fields: Vec<FormField>,
    message: Option<String>,
    notice: Option<String>,
}

fn session_fields(ctx: &Ctx, v: &SessionInput, errors: &FieldMessages) -> Vec<FormField> {
    let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let mut wd = vec![SelectOption { value: String::new(), label: ctx.t("org-select"), selected: v.weekday.is_none() }];
    wd.extend(weekdays.iter().map(|w| SelectOption {
        value: (*w).into(),
        label: ctx.t(&format!("weekday-{w}")),
        selected: v.weekday.as_deref() == Some(w),
    }));
    FieldBuilder::new(ctx, errors)
        .heading("program-one-off")
        .input("date", &v.date, "date", false)
        .heading("program-recurring")
        .input("start_date", &v.start_date, "date", false)
        .input("end_date", &v.end_date, "date", false)
        .select_options("weekday", wd, false)
        .heading("program-sessions")
        .input("start_time", &v.start_time.clone().or(Some("10:00".into())), "time", true)
        .text("hours", &v.hours.clone().or(Some("2".into())), true)
        .text("place", &v.place, false)
        .text("instructor", &v.instructor, false)
        .check("open_event", v.open_event)
        .build()
}

async fn detail_page(
    ctx: &Ctx,
    id: i64,
    v: &SessionInput,
    errors: &FieldMessages,
    message: Option<String>,
    notice: Option<String>,
) -> WebResult<Response> {
    let p = ctx.user()?;
    let d = ctx.state.app.program_detail(p, id).await?;
    let f = &d.figures;
    let pr = &d.program;
    let n = crate::format::num;
    let figures = vec![
        (ctx.t("measure-sessions"), n(f.year.sessions), n(pr.target_sessions)),
        (ctx.t("measure-hours"), hours(f.year.minutes), hours(pr.target_minutes)),
        (ctx.t("measure-real"), n(f.real), n(pr.target_real)),
        (ctx.t("measure-cumulative"), n(f.year.cumulative + f.year.open_persons), n(pr.target_cumulative)),
    ];
    let sessions = d
        .sessions
        .iter()
        .map(|s| SessionView {
            id: s.session.id,
            date: s.session.date.clone(),
            time: s.session.start_time.clone(),
            hours: hours(s.session.minutes),
            present: s.present + s.open_persons,
        })
        .collect();
    let questions: Vec<(String, String)> = (1..=7).map(|i| (format!("q{i}"), ctx.t(&format!("survey-q{i}")))).collect();
    let survey = questions
        .iter()
        .zip(f.survey_avg_x100.iter())
        .map(|((_, q), a)| (q.clone(), format!("{}.{:02}", a / 100, a % 100)))
        .collect();
    let area = area_name(ctx, pr.year, &pr.area);
    let fields = session_fields(ctx, v, errors);
    let title = pr.name.clone();
    let mut r = render(&DetailPage {
        l: ctx.layout(&title),
        d,
        area,
        figures,
        sessions,
        survey,
        questions,
        fields,
        message,
        notice,
    })?;
    if errors.0.iter().any(|_| true) {
        *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

pub async fn detail(ctx: Ctx, Path(id): Path<i64>) -> WebResult<Response> {
    detail_page(&ctx, id, &SessionInput::default(), &FieldMessages::default(), None, None).await
}

pub async fn create_sessions(
    ctx: Ctx,
    Path(id): Path<i64>,
    FormBody(input): FormBody<SessionInput>,
) -> WebResult<Response> {
    let p = ctx.user()?;
    match ctx.state.app.create_sessions(p, id, &input).await {
        Ok((made, _)) => {
            let notice = ctx.state.i18n.t(ctx.lang, "program-sessions-created", &[("count", &made.len().to_string())]);
            detail_page(&ctx, id, &SessionInput::default(), &FieldMessages::default(), None, Some(notice)).await
        }
        Err(e @ (AppError::Validation(_) | AppError::Conflict { .. })) => {
            let err = WebError::App(e);
            let msgs = FieldMessages::from(&ctx, &err.fields());
            let message = Some(ctx.t(&format!("error-{}", err.code())));
            let mut r = detail_page(&ctx, id, &input, &msgs, message, None).await?;
            *r.status_mut() = err.status();
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrolForm {
    member_ids: Option<String>,
    #[serde(rename = "_csrf")]
    _csrf: Option<String>,
}

/// "12, 15 18" → [12, 15, 18]; a non-number names the field.
pub fn parse_ids(field: &str, s: &str) -> Result<Vec<i64>, WebError> {
    s.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .map(|t| t.parse::<i64>().map_err(|_| WebError::App(AppError::one_field(field, "invalid_number"))))
        .collect()
}

pub async fn enrol(ctx: Ctx, Path(id): Path<i64>, FormBody(f): FormBody<EnrolForm>) -> WebResult<Response> {
    let p = ctx.user()?;
    let ids = parse_ids("member_ids", f.member_ids.as_deref().unwrap_or(""))?;
    ctx.state.app.enrol(p, id, &ids).await?;
    Ok(Redirect::to(&format!("/programs/{id}?done=program-enrolled-done")).into_response())
}

pub async fn add_survey(ctx: Ctx, Path(id): Path<i64>, FormBody(input): FormBody<SurveyInput>) -> WebResult<Response> {
    let p = ctx.user()?;
    ctx.state.app.add_survey(p, id, &input).await?;
    Ok(Redirect::to(&format!("/programs/{id}?done=program-survey-added")).into_response())
}

#[derive(Template)]
#[template(path = "attendance.html")]
struct SheetPage {
    l: Layout,
    s: Sheet,
    adult: i64,
    child: i64,
    message: Option<String>,
}

async fn sheet_page(ctx: &Ctx, id: i64, message: Option<String>) -> WebResult<Response> {
    let p = ctx.user()?;
    let s = ctx.state.app.attendance_sheet(p, id).await?;
    let count = |g: HeadCountGroup| s.head_counts.iter().find(|(x, _)| *x == g).map(|(_, n)| *n).unwrap_or(0);
    let (adult, child) = (count(HeadCountGroup::Adult), count(HeadCountGroup::Child));
    let title = format!("{} {}", ctx.t("att-title"), s.session.date);
    render(&SheetPage { l: ctx.layout(&title), s, adult, child, message })
}

pub async fn sheet(ctx: Ctx, Path(id): Path<i64>) -> WebResult<Response> {
    sheet_page(&ctx, id, None).await
}

/// The attendance form posts `a_<member id>=present|absent|excused|` for every row.
pub async fn save_attendance(
    ctx: Ctx,
    Path(id): Path<i64>,
    FormBody(form): FormBody<HashMap<String, String>>,
) -> WebResult<Response> {
    let p = ctx.user()?;
    let mut entries = Vec::new();
    for (k, v) in &form {
        if k == "_csrf" {
            continue;
        }
        let member = k
            .strip_prefix("a_")
            .and_then(|m| m.parse::<i64>().ok())
            .ok_or_else(|| WebError::UnknownField(k.clone()))?;
        entries.push((k.clone(), member, Some(v.clone()).filter(|s| !s.is_empty())));
    }
    entries.sort_by_key(|e| e.1);
    match ctx.state.app.record_attendance(p, id, &entries).await {
        Ok(_) => Ok(Redirect::to(&format!("/sessions/{id}?done=att-saved")).into_response()),
        Err(e @ (AppError::Validation(_) | AppError::Conflict { .. })) => {
            let err = WebError::App(e);
            let msgs = FieldMessages::from(&ctx, &err.fields());
            let mut m = ctx.t(&format!("error-{}", err.code()));
            for (f, msg) in &msgs.0 {
                m.push_str(&format!(" {f}: {msg}"));
            }
            let mut r = sheet_page(&ctx, id, Some(m)).await?;
            *r.status_mut() = err.status();
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeadForm {
    head_adult: Option<String>,
    head_child: Option<String>,
    #[serde(rename = "_csrf")]
    _csrf: Option<String>,
}

pub async fn save_head_counts(ctx: Ctx, Path(id): Path<i64>, FormBody(f): FormBody<HeadForm>) -> WebResult<Response> {
    let p = ctx.user()?;
    ctx.state
        .app
        .record_head_counts(p, id, &[(HeadCountGroup::Adult, f.head_adult), (HeadCountGroup::Child, f.head_child)])
        .await?;
    Ok(Redirect::to(&format!("/sessions/{id}?done=att-saved")).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsrfOnly {
    #[serde(rename = "_csrf")]
    _csrf: Option<String>,
}

pub async fn delete_session(ctx: Ctx, Path(id): Path<i64>, FormBody(_): FormBody<CsrfOnly>) -> WebResult<Response> {
    let p = ctx.user()?;
    let program = ctx.state.app.delete_session(p, id).await?;
    Ok(Redirect::to(&format!("/programs/{program}?done=program-session-deleted")).into_response())
}

/// Codes of the head-count groups (for the API documentation).
pub fn head_groups() -> Vec<&'static str> {
    HeadCountGroup::codes()
}
