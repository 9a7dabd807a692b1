//! Safety pages of a space: checklists (weekly 20 items, quarterly 17 items) with inspector and
//! confirmer, readings with alerts, inspections due, the CCTV viewing ledger, and the printable
//! semi-annual report. Also the small panel the space page shows (reminders, regular programs).

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use gajok_app::nanumteo::NtError;
use gajok_app::nanumteo::regular::{ProgramChoice, RegularStatus};
use gajok_app::nanumteo::safety::{
    CctvInput, ChecklistForm, ChecklistInput, ChecklistView, ReadingLine, Reminder, SafetyReport, SafetyView,
};
use gajok_domain::code_list::CodeList;
use gajok_domain::nanumteo_safety::{CctvRequester, InspectionKind, ItemResult};
use serde::Deserialize;

use crate::context::Ctx;
use crate::error::{WebError, WebResult};
use crate::extract::{FormBody, Q};
use crate::layout::Layout;
use crate::pages::render;

/// A refusal by rule is a 409 page naming the rule, in this part's sentences (`nts-refused-*`).
pub fn outcome(ctx: &Ctx, r: Result<String, NtError>, back: &str) -> WebResult<Response> {
    super::outcome_in(ctx, "nts-refused-", r, back)
}

/// (css, text) of a reminder.
fn reminder_rows(ctx: &Ctx, list: &[Reminder]) -> Vec<(String, String, String)> {
    list.iter()
        .map(|r| {
            let what = ctx.t(&format!("nts-what-{}", r.what));
            let text = ctx.state.i18n.t(
                ctx.lang,
                &format!("nts-reminder-{}", r.state),
                &[
                    ("what", what.as_str()),
                    ("last", r.last.as_deref().unwrap_or("-")),
                    ("due", r.due.as_deref().unwrap_or("-")),
                ],
            );
            (r.level.css().to_string(), r.rule.clone(), text)
        })
        .collect()
}

fn alert_rows(ctx: &Ctx, alerts: &[(&'static str, String)], ranges: (i64, i64, i64, i64)) -> Vec<(String, String)> {
    let (tmin, tmax, hmin, hmax) =
        (ranges.0.to_string(), ranges.1.to_string(), ranges.2.to_string(), ranges.3.to_string());
    alerts
        .iter()
        .map(|(code, rule)| {
            let text = ctx.state.i18n.t(
                ctx.lang,
                &format!("nts-alert-{code}"),
                &[("tmin", tmin.as_str()), ("tmax", tmax.as_str()), ("hmin", hmin.as_str()), ("hmax", hmax.as_str())],
            );
            (rule.clone(), text)
        })
        .collect()
}

fn ranges() -> (i64, i64, i64, i64) {
    let r = gajok_app::nanumteo::safety_rules::safety_rules_on(gajok_app::nanumteo::safety::today());
    (r.int("temperature_min_c"), r.int("temperature_max_c"), r.int("humidity_min_pct"), r.int("humidity_max_pct"))
}

// --- The space page panel ---------------------------------------------------------------

#[derive(Template)]
#[template(path = "nts_space_panel.html")]
struct SpacePanel {
    l: Layout,
    site_id: i64,
    reminders: Vec<(String, String, String)>,
    latest: Option<ReadingLine>,
    alerts: Vec<(String, String)>,
    regular: RegularStatus,
    regular_text: String,
    /// "every Monday" per regular program, in the page's language.
    every: Vec<String>,
    programs: Vec<ProgramChoice>,
    /// (ISO weekday digit, its name) of the days the space is open.
    open_days: Vec<(char, String)>,
}

/// The safety reminders, the newest reading and the regular programs of a space, as HTML
/// for the space page. Empty for a space without a registry entry.
pub async fn space_panel(ctx: &Ctx, site_id: i64, center_id: i64, open_days: Option<&str>) -> WebResult<String> {
    let Some(open_days) = open_days else { return Ok(String::new()) };
    let app = &ctx.state.app;
    let today = gajok_app::nanumteo::safety::today();
    let month = today.format("%Y-%m").to_string();
    let regular = app.nts_regular_status(site_id, &month).await?;
    let latest = app.nts_latest_reading(site_id, today).await?;
    let alerts = latest.as_ref().map(|x| alert_rows(ctx, &x.alerts, ranges())).unwrap_or_default();
    let regular_text = ctx.state.i18n.t(
        ctx.lang,
        &format!("nts-regular-{}", regular.state),
        &[
            ("slots", regular.slots.to_string().as_str()),
            ("min", regular.min_per_week.to_string().as_str()),
            ("short", regular.weeks_short.to_string().as_str()),
            ("month", month.as_str()),
        ],
    );
    let every = regular
        .lines
        .iter()
        .map(|x| {
            ctx.state.i18n.t(
                ctx.lang,
                "nts-every-weekday",
                &[("day", ctx.t(&format!("nts-wd-{}", x.reg.weekday)).as_str())],
            )
        })
        .collect();
    let panel = SpacePanel {
        every,
        l: ctx.layout(""),
        site_id,
        reminders: reminder_rows(ctx, &app.nts_reminders(site_id, today).await?),
        latest,
        alerts,
        regular,
        regular_text,
        programs: app.nts_program_choices(center_id).await?,
        open_days: open_days.chars().map(|d| (d, ctx.t(&format!("nts-wd-{d}")))).collect(),
    };
    panel.render().map_err(|e| WebError::App(gajok_app::AppError::Internal(format!("template: {e}"))))
}

// --- Safety overview --------------------------------------------------------------------

#[derive(Template)]
#[template(path = "nts_safety.html")]
struct SafetyPage {
    l: Layout,
    v: SafetyView,
    reminders: Vec<(String, String, String)>,
    alerts: Vec<(String, String)>,
    requesters: Vec<(&'static str, &'static str)>,
    inspection_kinds: Vec<(&'static str, &'static str)>,
    t_range: String,
    h_range: String,
}

impl SafetyPage {
    fn alert_count(&self, r: &ReadingLine) -> usize {
        r.alerts.len()
    }
}

#[derive(Deserialize)]
pub struct DoneQuery {
    #[serde(rename = "done")]
    _done: Option<String>,
}

pub async fn show(ctx: Ctx, Path(id): Path<i64>, Q(_q): Q<DoneQuery>) -> WebResult<Response> {
    let p = ctx.user()?;
    let v = ctx.state.app.nts_safety(p, id).await?;
    let lang = ctx.lang;
    render(&SafetyPage {
        l: ctx.layout(&format!("{} · {}", ctx.t("nts-safety-title"), v.site.name)),
        reminders: reminder_rows(&ctx, &v.reminders),
        alerts: alert_rows(&ctx, &v.latest_alerts, v.ranges),
        requesters: CctvRequester::ALL.iter().map(|x| (x.code(), x.label(lang))).collect(),
        inspection_kinds: InspectionKind::ALL.iter().map(|x| (x.code(), x.label(lang))).collect(),
        t_range: format!("{}–{}", v.ranges.0, v.ranges.1),
        h_range: format!("{}–{}", v.ranges.2, v.ranges.3),
        v,
    })
}

// --- Checklists -------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "nts_checklist_form.html")]
struct ChecklistFormPage {
    l: Layout,
    v: ChecklistForm,
    results: Vec<(&'static str, &'static str)>,
}

#[derive(Deserialize)]
pub struct KindQuery {
    kind: Option<String>,
}

pub async fn new_checklist(ctx: Ctx, Path(id): Path<i64>, Q(q): Q<KindQuery>) -> WebResult<Response> {
    let p = ctx.user()?;
    let v = ctx.state.app.nts_checklist_form(p, id, q.kind.as_deref().unwrap_or("weekly")).await?;
    let lang = ctx.lang;
    render(&ChecklistFormPage {
        l: ctx.layout(&format!("{} · {}", v.title, v.site.name)),
        results: ItemResult::ALL.iter().map(|x| (x.code(), x.label(lang))).collect(),
        v,
    })
}

pub async fn save_checklist(
    ctx: Ctx,
    Path(id): Path<i64>,
    FormBody(f): FormBody<ChecklistInput>,
) -> WebResult<Response> {
    let p = ctx.user()?;
    let cid = ctx.state.app.nts_save_checklist(p, id, &f).await?;
    Ok(Redirect::to(&format!("/nanumteo/checklists/{cid}?done=nts-saved")).into_response())
}

#[derive(Template)]
#[template(path = "nts_checklist.html")]
struct ChecklistPage {
    l: Layout,
    v: ChecklistView,
}

pub async fn show_checklist(ctx: Ctx, Path(id): Path<i64>, Q(_q): Q<DoneQuery>) -> WebResult<Response> {
    let p = ctx.user()?;
    let v = ctx.state.app.nts_checklist(p, id).await?;
    render(&ChecklistPage { l: ctx.layout(&format!("{} · {}", v.title, v.checklist.checked_on)), v })
}

pub async fn confirm_checklist(ctx: Ctx, Path(id): Path<i64>) -> WebResult<Response> {
    let p = ctx.user()?;
    let back = format!("/nanumteo/checklists/{id}");
    let r = ctx.state.app.nts_confirm_checklist(p, id).await.map(|_| format!("{back}?done=nts-saved"));
    outcome(&ctx, r, &back)
}

#[derive(Deserialize)]
pub struct FollowUpForm {
    item: Option<String>,
    date: Option<String>,
    content: Option<String>,
}

pub async fn follow_up(ctx: Ctx, Path(id): Path<i64>, FormBody(f): FormBody<FollowUpForm>) -> WebResult<Response> {
    let p = ctx.user()?;
    ctx.state
        .app
        .nts_follow_up(p, id, f.item.as_deref().unwrap_or_default(), f.date.as_deref(), f.content.as_deref())
        .await?;
    Ok(Redirect::to(&format!("/nanumteo/checklists/{id}?done=nts-saved")).into_response())
}

// --- Readings, inspections, CCTV --------------------------------------------------------

#[derive(Deserialize)]
pub struct ReadingForm {
    date: Option<String>,
    time: Option<String>,
    temperature: Option<String>,
    humidity: Option<String>,
}

pub async fn add_reading(ctx: Ctx, Path(id): Path<i64>, FormBody(f): FormBody<ReadingForm>) -> WebResult<Response> {
    let p = ctx.user()?;
    ctx.state
        .app
        .nts_add_reading(p, id, f.date.as_deref(), f.time.as_deref(), f.temperature.as_deref(), f.humidity.as_deref())
        .await?;
    Ok(Redirect::to(&format!("/nanumteo/spaces/{id}/safety?done=nts-saved")).into_response())
}

#[derive(Deserialize)]
pub struct InspectionForm {
    kind: Option<String>,
    date: Option<String>,
    agency: Option<String>,
    note: Option<String>,
}

pub async fn add_inspection(
    ctx: Ctx,
    Path(id): Path<i64>,
    FormBody(f): FormBody<InspectionForm>,
) -> WebResult<Response> {
    let p = ctx.user()?;
    ctx.state
        .app
        .nts_add_inspection(p, id, f.kind.as_deref(), f.date.as_deref(), f.agency.as_deref(), f.note.as_deref())
        .await?;
    Ok(Redirect::to(&format!("/nanumteo/spaces/{id}/safety?done=nts-saved")).into_response())
}

pub async fn add_cctv(ctx: Ctx, Path(id): Path<i64>, FormBody(f): FormBody<CctvInput>) -> WebResult<Response> {
    let p = ctx.user()?;
    ctx.state.app.nts_add_cctv(p, id, &f).await?;
    Ok(Redirect::to(&format!("/nanumteo/spaces/{id}/safety?done=nts-saved#cctv")).into_response())
}

#[derive(Deserialize)]
pub struct DecideForm {
    decision: Option<String>,
    note: Option<String>,
}

pub async fn decide_cctv(ctx: Ctx, Path(id): Path<i64>, FormBody(f): FormBody<DecideForm>) -> WebResult<Response> {
    let p = ctx.user()?;
    let r = ctx
        .state
        .app
        .nts_decide_cctv(p, id, f.decision.as_deref().unwrap_or_default(), f.note.as_deref())
        .await
        .map(|space| format!("/nanumteo/spaces/{space}/safety?done=nts-saved#cctv"));
    outcome(&ctx, r, "/nanumteo")
}

pub async fn confirm_cctv_deletion(ctx: Ctx, Path(id): Path<i64>) -> WebResult<Response> {
    let p = ctx.user()?;
    let r = ctx
        .state
        .app
        .nts_confirm_cctv_deletion(p, id)
        .await
        .map(|space| format!("/nanumteo/spaces/{space}/safety?done=nts-saved#cctv"));
    outcome(&ctx, r, "/nanumteo")
}

// --- The semi-annual report -------------------------------------------------------------

#[derive(Template)]
#[template(path = "nts_report.html")]
struct ReportPage {
    l: Layout,
    v: SafetyReport,
}

#[derive(Deserialize)]
pub struct HalfQuery {
    half: Option<String>,
}

pub async fn report(ctx: Ctx, Path(id): Path<i64>, Q(q): Q<HalfQuery>) -> WebResult<Response> {
    let p = ctx.user()?;
    let v = ctx.state.app.nts_safety_report(p, id, q.half.as_deref()).await?;
    render(&ReportPage { l: ctx.layout(&format!("{} · {} · {}", ctx.t("nts-report-title"), v.site.name, v.half)), v })
}

// --- Regular programs -------------------------------------------------------------------

#[derive(Deserialize)]
pub struct RegularForm {
    program_id: Option<String>,
    weekday: Option<String>,
    start_time: Option<String>,
}

pub async fn add_regular(ctx: Ctx, Path(id): Path<i64>, FormBody(f): FormBody<RegularForm>) -> WebResult<Response> {
    let p = ctx.user()?;
    let back = format!("/nanumteo/spaces/{id}");
    let r = ctx
        .state
        .app
        .nts_add_regular(p, id, f.program_id.as_deref(), f.weekday.as_deref(), f.start_time.as_deref())
        .await
        .map(|_| format!("{back}?done=nts-saved#regular"));
    outcome(&ctx, r, &back)
}
