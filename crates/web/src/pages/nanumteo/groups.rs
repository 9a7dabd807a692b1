//! 품앗이 beyond forming a group: the monthly group status (서식4), a family joining an
//! existing group with its own orientation, and the local-currency ledger.

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use gajok_app::nanumteo::joining::{JoinInput, OrientationInput};
use gajok_app::nanumteo::ledger::CurrencyInput;
use gajok_app::nanumteo::report::GroupStatus;
use serde::Deserialize;

use crate::context::Ctx;
use crate::error::WebResult;
use crate::extract::{FormBody, Q};
use crate::layout::Layout;
use crate::pages::render;

#[derive(Template)]
#[template(path = "nanumteo_group_status.html")]
struct StatusPage {
    l: Layout,
    v: GroupStatus,
}

#[derive(Deserialize)]
pub struct StatusQuery {
    center: Option<String>,
    month: Option<String>,
}

pub async fn status(ctx: Ctx, Q(q): Q<StatusQuery>) -> WebResult<Response> {
    let p = ctx.user()?;
    let month = q.month.clone().filter(|m| !m.trim().is_empty()).unwrap_or_else(|| {
        let t = gajok_domain::time::kst_date(chrono::Utc::now());
        format!("{:04}-{:02}", t.year(), t.month())
    });
    let v = ctx.state.app.pumasi_group_status(p, q.center.as_deref(), &month).await?;
    render(&StatusPage { l: ctx.layout(&format!("{} {}", ctx.t("ntp-status-title"), v.month)), v })
}

pub async fn join(ctx: Ctx, Path(id): Path<i64>, FormBody(f): FormBody<JoinInput>) -> WebResult<Response> {
    let p = ctx.user()?;
    ctx.state.app.pumasi_join_group(p, id, &f).await?;
    Ok(Redirect::to(&format!("/pumasi/groups/{id}?done=ntp-family-joined")).into_response())
}

pub async fn orientation(
    ctx: Ctx,
    Path((id, family)): Path<(i64, i64)>,
    FormBody(f): FormBody<OrientationInput>,
) -> WebResult<Response> {
    let p = ctx.user()?;
    ctx.state.app.pumasi_record_orientation(p, id, family, &f).await?;
    Ok(Redirect::to(&format!("/pumasi/groups/{id}?done=ntp-orientation-recorded")).into_response())
}

pub async fn currency(ctx: Ctx, FormBody(f): FormBody<CurrencyInput>) -> WebResult<Response> {
    let p = ctx.user()?;
    ctx.state.app.add_currency(p, &f).await?;
    let center = f.center.clone().unwrap_or_default();
    Ok(Redirect::to(&format!("/pumasi?center={center}&done=ntp-currency-added#currency")).into_response())
}
