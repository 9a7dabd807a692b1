//! 서식13 (공동육아나눔터 및 가족품앗이 월간 실적): the page with the same workflow as the
//! center's monthly report (submit, approve or return at each step, reopen) and the XLSX laid
//! out like the form.

use askama::Template;
use axum::response::Response;
use gajok_app::nanumteo::form13_xlsx::{age_label, form13_xlsx};
use gajok_app::nanumteo::report::{Form13, Form13Report};
use gajok_domain::program::ReportStatus;
use serde::Deserialize;

use crate::context::Ctx;
use crate::error::WebResult;
use crate::export;
use crate::extract::{Q, opt_i64};
use crate::layout::Layout;
use crate::pages::render;
use crate::pages::report_workflow::{Steps, Workflow, default_month};

#[derive(Template)]
#[template(path = "nanumteo_report.html")]
struct ReportPage {
    l: Layout,
    r: Form13Report,
    f: Form13,
    ages: Vec<(String, i64)>,
    status_class: &'static str,
    message: Option<String>,
    steps: Steps,
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
    let st = &r.state;
    let steps = Workflow::Nanumteo.steps(
        st.center.id,
        &st.month,
        st.deadlines.clone(),
        [st.can_submit, st.can_review, st.can_reopen],
    );
    render(&ReportPage { l: ctx.layout(&title), r, f, ages, status_class, message, steps })
}

/// The report with a message (a refused step), for the shared workflow handlers.
pub(in crate::pages) async fn page_with(ctx: &Ctx, center: i64, month: &str, message: String) -> WebResult<Response> {
    let r = load(ctx, Some(center), month).await?;
    page(ctx, r, Some(message))
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
