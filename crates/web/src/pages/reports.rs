//! The monthly report page with its workflow, the CSV export, and the officials' roll-up.

use askama::Template;
use axum::response::Response;
use gajok_app::AppError;
use gajok_app::reports::{MonthlyReport, Rollup};
use gajok_domain::program::ReportStatus;
use serde::Deserialize;

use crate::context::Ctx;
use crate::error::{WebError, WebResult};
use crate::export;
use crate::extract::{Q, opt_i64};
use crate::layout::Layout;
use crate::pages::render;
use crate::pages::report_workflow::{Steps, Workflow, default_month};

pub struct LineView {
    pub level: &'static str,
    pub name: String,
    pub cells: Vec<String>,
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    l: Layout,
    r: MonthlyReport,
    lines: Vec<LineView>,
    status_class: &'static str,
    message: Option<String>,
    steps: Steps,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    center: Option<String>,
    month: Option<String>,
    #[serde(rename = "done")]
    _done: Option<String>,
}

async fn load(ctx: &Ctx, q: &ReportQuery) -> WebResult<MonthlyReport> {
    let p = ctx.user()?;
    let center = match opt_i64("center", &q.center)? {
        Some(c) => c,
        None => ctx.state.app.resolve_center(p, None)?,
    };
    let month = q.month.clone().filter(|m| !m.is_empty()).unwrap_or_else(default_month);
    Ok(ctx.state.app.monthly_report(p, center, &month).await?)
}

pub async fn show(ctx: Ctx, Q(q): Q<ReportQuery>) -> WebResult<Response> {
    let r = load(&ctx, &q).await?;
    report_page(&ctx, r, None)
}

/// The report with a message (a refused step), for the shared workflow handlers.
pub(super) async fn page_with(ctx: &Ctx, center: i64, month: &str, message: String) -> WebResult<Response> {
    let r = ctx.state.app.monthly_report(ctx.user()?, center, month).await?;
    report_page(ctx, r, Some(message))
}

fn report_page(ctx: &Ctx, r: MonthlyReport, message: Option<String>) -> WebResult<Response> {
    let lines = r
        .lines
        .iter()
        .map(|x| LineView {
            level: x.level,
            name: x.name.clone(),
            cells: gajok_app::reports::line_cells(x)
                .into_iter()
                // Whole counts get thousands separators; hours ("36.0") stay as they are.
                .map(|c| c.parse::<i64>().map(crate::format::num).unwrap_or(c))
                .collect(),
        })
        .collect();
    let status_class = match r.status {
        ReportStatus::Draft => "info",
        ReportStatus::Returned => "warn",
        ReportStatus::Accepted => "ok",
        _ => "ok",
    };
    let title = format!("{} {}", ctx.t("report-title"), r.month);
    let steps =
        Workflow::Center.steps(r.center.id, &r.month, r.deadlines.clone(), [r.can_submit, r.can_review, r.can_reopen]);
    render(&ReportPage { l: ctx.layout(&title), r, lines, status_class, message, steps })
}

fn table(ctx: &Ctx, r: &MonthlyReport) -> Vec<Vec<String>> {
    let m = ctx.t("report-this-month");
    let y = ctx.t("report-ytd");
    let p = ctx.t("report-plan");
    let t = |k: &str| ctx.t(k);
    let headers = vec![
        t("report-line-area"),
        t("report-line-program"),
        format!("{m} {}", t("measure-sessions")),
        format!("{m} {}", t("measure-hours")),
        format!("{m} {}", t("measure-real-new")),
        format!("{m} {}", t("measure-cumulative")),
        format!("{y} {}", t("measure-sessions")),
        format!("{y} {}", t("measure-real-ytd")),
        format!("{y} {}", t("measure-cumulative")),
        format!("{y} {}", t("measure-open")),
        format!("{p} {}", t("measure-real")),
        format!("{p} {}", t("measure-cumulative")),
    ];
    gajok_app::reports::report_table(r, &headers, &t("report-line-total"))
}

pub async fn csv(ctx: Ctx, Q(q): Q<ReportQuery>) -> WebResult<Response> {
    let r = load(&ctx, &q).await?;
    let name = format!("{}_{}_월간실적.csv", r.center.name, r.month);
    let bytes = gajok_app::export::csv(&table(&ctx, &r));
    Ok(export::download(bytes, "text/csv; charset=utf-8", &format!("monthly-{}-{}.csv", r.center.code, r.month), &name))
}

pub async fn xlsx(ctx: Ctx, Q(q): Q<ReportQuery>) -> WebResult<Response> {
    let r = load(&ctx, &q).await?;
    let title = format!("{} · {} · {}", ctx.t("report-title"), r.center.name, r.month);
    let bytes = gajok_app::export::xlsx(&r.month, &title, &table(&ctx, &r))?;
    let name = format!("{}_{}_월간실적.xlsx", r.center.name, r.month);
    Ok(export::download(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("monthly-{}-{}.xlsx", r.center.code, r.month),
        &name,
    ))
}

#[derive(Template)]
#[template(path = "rollup.html")]
struct RollupPage {
    l: Layout,
    r: Rollup,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RollupQuery {
    unit: Option<String>,
    month: Option<String>,
}

pub async fn rollup(ctx: Ctx, Q(q): Q<RollupQuery>) -> WebResult<Response> {
    let p = ctx.user()?;
    let unit = match opt_i64("unit", &q.unit)? {
        Some(u) => u,
        None => p.roles.first().map(|r| r.org_unit_id).ok_or(WebError::App(AppError::Forbidden))?,
    };
    let month = q.month.clone().filter(|m| !m.is_empty()).unwrap_or_else(default_month);
    let r = ctx.state.app.rollup(p, unit, &month).await?;
    let title = format!("{} {}", ctx.t("rollup-title"), r.month);
    render(&RollupPage { l: ctx.layout(&title), r })
}
