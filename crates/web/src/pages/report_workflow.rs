//! The steps every monthly report goes through — the manager submits, each official approves or
//! returns, a returned or submitted month is reopened — shared by the center's report (월간실적)
//! and the 나눔터·품앗이 report (서식13). One set of handlers; the report decides only how it is
//! submitted (its own snapshot) and which page shows the result.

use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use gajok_app::AppError;
use gajok_app::principal::Principal;
use gajok_app::reports::{CENTER_REPORT, Deadlines, NANUMTEO_REPORT, ReportKind};
use serde::Deserialize;

use crate::context::Ctx;
use crate::error::{WebError, WebResult};
use crate::extract::FormBody;

/// Which report a step belongs to.
#[derive(Debug, Clone, Copy)]
pub enum Workflow {
    Center,
    Nanumteo,
}

impl Workflow {
    fn kind(self) -> ReportKind {
        match self {
            Workflow::Center => CENTER_REPORT,
            Workflow::Nanumteo => NANUMTEO_REPORT,
        }
    }

    /// The report's page; its steps post under `{page}/{center}/{month}/`.
    fn page(self) -> &'static str {
        match self {
            Workflow::Center => "/reports/monthly",
            Workflow::Nanumteo => "/nanumteo/report",
        }
    }

    /// Message ids shown after a step: (submitted, reviewed or reopened).
    fn done(self) -> (&'static str, &'static str) {
        match self {
            Workflow::Center => ("report-submitted", "report-reviewed"),
            Workflow::Nanumteo => ("ntp-report-submitted", "ntp-report-reviewed"),
        }
    }

    async fn submit(self, ctx: &Ctx, p: &Principal, center: i64, month: &str) -> Result<(), AppError> {
        match self {
            Workflow::Center => ctx.state.app.submit_report(p, center, month).await,
            Workflow::Nanumteo => ctx.state.app.form13_submit(p, center, month).await,
        }
    }

    /// The report's page again, with the refusal in words and its status code.
    async fn refused(self, ctx: &Ctx, center: i64, month: &str, err: WebError) -> WebResult<Response> {
        let mut msg = ctx.t(&format!("error-{}", err.code()));
        for f in err.fields() {
            msg.push_str(&format!(" {}", ctx.t(&format!("fe-{}", f.code))));
        }
        let mut resp = match self {
            Workflow::Center => super::reports::page_with(ctx, center, month, msg).await?,
            Workflow::Nanumteo => super::nanumteo::report::page_with(ctx, center, month, msg).await?,
        };
        *resp.status_mut() = err.status();
        Ok(resp)
    }

    async fn after(
        self,
        ctx: &Ctx,
        center: i64,
        month: &str,
        res: Result<(), AppError>,
        done: &str,
    ) -> WebResult<Response> {
        match res {
            Ok(()) => {
                let to = format!("{}?center={center}&month={month}&done={done}", self.page());
                Ok(Redirect::to(&to).into_response())
            }
            // A refusal the person can act on stays on the report, with the reason.
            Err(e @ (AppError::Validation(_) | AppError::Conflict { .. })) => {
                self.refused(ctx, center, month, WebError::App(e)).await
            }
            Err(e) => Err(e.into()),
        }
    }

    pub fn steps(self, center: i64, month: &str, deadlines: Option<Deadlines>, can: [bool; 3]) -> Steps {
        let [can_submit, can_review, can_reopen] = can;
        Steps { path: format!("{}/{center}/{month}", self.page()), deadlines, can_submit, can_review, can_reopen }
    }
}

/// What the status card of a report offers: its deadlines and the steps the viewer may take.
pub struct Steps {
    /// `/reports/monthly/{center}/{month}`: the step forms post to `{path}/submit` and so on.
    pub path: String,
    pub deadlines: Option<Deadlines>,
    pub can_submit: bool,
    pub can_review: bool,
    pub can_reopen: bool,
}

/// The report being worked on is last month's.
pub fn default_month() -> String {
    let today = gajok_domain::time::kst_date(chrono::Utc::now());
    let (y, m) = if today.month() == 1 { (today.year() - 1, 12) } else { (today.year(), today.month() - 1) };
    format!("{y:04}-{m:02}")
}

/// The form of every step (the comment is the reason when returning or reopening).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepForm {
    comment: Option<String>,
    decision: Option<String>,
    #[serde(rename = "_csrf")]
    _csrf: Option<String>,
}

impl StepForm {
    fn comment(&self) -> &str {
        self.comment.as_deref().unwrap_or("")
    }
}

pub type StepPath = Path<(i64, String)>;

pub async fn submit(w: Workflow, ctx: Ctx, Path((center, month)): StepPath) -> WebResult<Response> {
    let p = ctx.user()?;
    let res = w.submit(&ctx, p, center, &month).await;
    w.after(&ctx, center, &month, res, w.done().0).await
}

pub async fn review(w: Workflow, ctx: Ctx, Path((center, month)): StepPath, f: StepForm) -> WebResult<Response> {
    let p = ctx.user()?;
    let approve = match f.decision.as_deref() {
        Some("approve") => true,
        Some("return") => false,
        _ => return Err(WebError::App(AppError::one_field("decision", "required"))),
    };
    let res = ctx.state.app.report_review(p, w.kind(), center, &month, approve, f.comment()).await;
    w.after(&ctx, center, &month, res, w.done().1).await
}

pub async fn reopen(w: Workflow, ctx: Ctx, Path((center, month)): StepPath, f: StepForm) -> WebResult<Response> {
    let p = ctx.user()?;
    let res = ctx.state.app.report_reopen(p, w.kind(), center, &month, f.comment()).await;
    w.after(&ctx, center, &month, res, w.done().1).await
}

/// The handlers of one report's steps, for its routes (the form body is checked like any other).
pub mod handlers {
    use super::*;

    pub async fn center_submit(ctx: Ctx, path: StepPath, FormBody(_): FormBody<StepForm>) -> WebResult<Response> {
        submit(Workflow::Center, ctx, path).await
    }
    pub async fn center_review(ctx: Ctx, path: StepPath, FormBody(f): FormBody<StepForm>) -> WebResult<Response> {
        review(Workflow::Center, ctx, path, f).await
    }
    pub async fn center_reopen(ctx: Ctx, path: StepPath, FormBody(f): FormBody<StepForm>) -> WebResult<Response> {
        reopen(Workflow::Center, ctx, path, f).await
    }
    pub async fn nanumteo_submit(ctx: Ctx, path: StepPath, FormBody(_): FormBody<StepForm>) -> WebResult<Response> {
        submit(Workflow::Nanumteo, ctx, path).await
    }
    pub async fn nanumteo_review(ctx: Ctx, path: StepPath, FormBody(f): FormBody<StepForm>) -> WebResult<Response> {
        review(Workflow::Nanumteo, ctx, path, f).await
    }
    pub async fn nanumteo_reopen(ctx: Ctx, path: StepPath, FormBody(f): FormBody<StepForm>) -> WebResult<Response> {
        reopen(Workflow::Nanumteo, ctx, path, f).await
    }
}
