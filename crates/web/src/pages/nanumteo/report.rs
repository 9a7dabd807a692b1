//! 서식13 (공동육아나눔터 및 가족품앗이 월간 실적): the page with the same workflow as the
//! center's monthly report (submit, approve or return at each step, reopen) and the XLSX laid
//! out like the form.

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use gajok_app::AppError;
use gajok_app::nanumteo::form13_xlsx::{age_label, form13_xlsx};
use gajok_app::nanumteo::report::{Form13, Form13Report};
use gajok_app::reports::NANUMTEO_REPORT;
use gajok_domain::program::ReportStatus;
use serde::Deserialize;

use crate::context::Ctx;
use crate::error::{WebError, WebResult};
use crate::export;
use crate::extract::{FormBody, Q, opt_i64};
use crate::layout::Layout;
use crate::pages::render;

#[derive(Template)]
#[template(path = "nanumteo_report.html")]
struct ReportPage {
    l: Layout,
    r: Form13Report,
    f: Form13,
    ages: Vec<(String, i64)>,
    status_class: &'static str,
    message: Option<String>,
}

impl ReportPage {
    fn hours(&self, minutes: &i64) -> String {
        gajok_app::reports::hours(*minutes)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    center: Option<String>,
    month: Option<String>,
    #[serde(rename = "done")]
    _done: Option<String>,
}

fn default_month() -> String {
    let today = gajok_domain::time::kst_date(chrono::Utc::now());
    let (y, m) = if today.month() == 1 { (today.year() - 1, 12) } else { (today.year(), today.month() - 1) };
    format!("{y:04}-{m:02}")
}

async fn load(ctx: &Ctx, center: Option<i64>, month: &str) -> WebResult<Form13Report> {
    let p = ctx.user()?;
    let center = match center {
        Some(c) => c,
        None => ctx.state.app.resolve_center(p, None)?,
    };
    Ok(ctx.state.app.form13(p, center, month).await?)
}

fn tr(ctx: &Ctx) -> impl Fn(&str, &[(&str, &str)]) -> String + '_ {
    move |k, a| ctx.state.i18n.t(ctx.lang, k, a)
}

fn page(ctx: &Ctx, r: Form13Report, message: Option<String>) -> WebResult<Response> {
    let f = r.shown().clone();
    let t = tr(ctx);
    let ages = f.age_buckets.iter().map(|(a, b, n)| (age_label(*a, *b, &t), *n)).collect();
    let status_class = match r.state.status {
        ReportStatus::Draft => "info",
        ReportStatus::Returned => "warn",
        _ => "ok",
    };
    let title = format!("{} {}", ctx.t("ntp-report-title"), r.state.month);
    render(&ReportPage { l: ctx.layout(&title), r, f, ages, status_class, message })
}

pub async fn show(ctx: Ctx, Q(q): Q<ReportQuery>) -> WebResult<Response> {
    let month = q.month.clone().filter(|m| !m.is_empty()).unwrap_or_else(default_month);
    let r = load(&ctx, opt_i64("center", &q.center)?, &month).await?;
    page(&ctx, r, None)
}

pub async fn xlsx(ctx: Ctx, Q(q): Q<ReportQuery>) -> WebResult<Response> {
    let month = q.month.clone().filter(|m| !m.is_empty()).unwrap_or_else(default_month);
    let r = load(&ctx, opt_i64("center", &q.center)?, &month).await?;
    let t = tr(&ctx);
    let bytes = form13_xlsx(r.shown(), &r.state.center.name, &r.state.month, &t)?;
    let name = format!("{}_{}_서식13_나눔터품앗이실적.xlsx", r.state.center.name, r.state.month);
    Ok(export::download(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("form13-{}-{}.xlsx", r.state.center.code, r.state.month),
        &name,
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepForm {
    comment: Option<String>,
    decision: Option<String>,
    #[serde(rename = "_csrf")]
    _csrf: Option<String>,
}

async fn after_step(ctx: &Ctx, center: i64, month: &str, res: Result<(), AppError>, done: &str) -> WebResult<Response> {
    match res {
        Ok(()) => {
            Ok(Redirect::to(&format!("/nanumteo/report?center={center}&month={month}&done={done}")).into_response())
        }
        Err(e @ (AppError::Validation(_) | AppError::Conflict { .. })) => {
            let err = WebError::App(e);
            let r = load(ctx, Some(center), month).await?;
            let mut msg = ctx.t(&format!("error-{}", err.code()));
            for f in err.fields() {
                msg.push_str(&format!(" {}", ctx.t(&format!("fe-{}", f.code))));
            }
            let mut resp = page(ctx, r, Some(msg))?;
            *resp.status_mut() = err.status();
            Ok(resp)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn submit(
    ctx: Ctx,
    Path((center, month)): Path<(i64, String)>,
    FormBody(_): FormBody<StepForm>,
) -> WebResult<Response> {
    let p = ctx.user()?;
    let res = ctx.state.app.form13_submit(p, center, &month).await;
    after_step(&ctx, center, &month, res, "ntp-report-submitted").await
}

pub async fn review(
    ctx: Ctx,
    Path((center, month)): Path<(i64, String)>,
    FormBody(f): FormBody<StepForm>,
) -> WebResult<Response> {
    let p = ctx.user()?;
    let approve = match f.decision.as_deref() {
        Some("approve") => true,
        Some("return") => false,
        _ => return Err(WebError::App(AppError::one_field("decision", "required"))),
    };
    let comment = f.comment.as_deref().unwrap_or("");
    let res = ctx.state.app.report_review(p, NANUMTEO_REPORT, center, &month, approve, comment).await;
    after_step(&ctx, center, &month, res, "ntp-report-reviewed").await
}

pub async fn reopen(
    ctx: Ctx,
    Path((center, month)): Path<(i64, String)>,
    FormBody(f): FormBody<StepForm>,
) -> WebResult<Response> {
    let p = ctx.user()?;
    let res = ctx.state.app.report_reopen(p, NANUMTEO_REPORT, center, &month, f.comment.as_deref().unwrap_or("")).await;
    after_step(&ctx, center, &month, res, "ntp-report-reviewed").await
}
