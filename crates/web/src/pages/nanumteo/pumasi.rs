//! 품앗이 groups, their monthly plans with the 4-step approval, activity logs and money.

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use gajok_app::nanumteo::pumasi::{ActivityInput, ExpenseInput, GroupInput, GroupView, PlanInput, PumasiIndex};
use gajok_domain::code_list::CodeList;
use gajok_domain::nanumteo::{ExpenseCategory, PLAN_STEPS, PumasiKind};
use serde::Deserialize;

use super::outcome;
use crate::context::Ctx;
use crate::error::WebResult;
use crate::extract::{FormBody, Q};
use crate::layout::Layout;
use crate::pages::render;

#[derive(Template)]
#[template(path = "nanumteo_pumasi.html")]
struct IndexPage {
    l: Layout,
    v: PumasiIndex,
    kinds: Vec<(&'static str, &'static str)>,
    ledger: gajok_app::nanumteo::ledger::Ledger,
}

#[derive(Template)]
#[template(path = "nanumteo_group.html")]
struct GroupPage {
    l: Layout,
    v: GroupView,
    steps: Vec<&'static str>,
    categories: Vec<(&'static str, &'static str)>,
}

#[derive(Deserialize)]
pub struct IndexQuery {
    center: Option<String>,
    month: Option<String>,
    #[serde(rename = "done")]
    _done: Option<String>,
}

pub async fn index(ctx: Ctx, Q(q): Q<IndexQuery>) -> WebResult<Response> {
    let p = ctx.user()?;
    let v = ctx.state.app.pumasi_index(p, q.center.as_deref(), q.month.as_deref()).await?;
    let kinds = PumasiKind::ALL.iter().map(|k| (k.code(), k.label(ctx.lang))).collect();
    let ledger = ctx.state.app.currency_ledger(v.center.id).await?;
    render(&IndexPage { l: ctx.layout(&ctx.t("nt-pumasi-title")), v, kinds, ledger })
}

pub async fn create(ctx: Ctx, FormBody(f): FormBody<GroupInput>) -> WebResult<Response> {
    let p = ctx.user()?;
    let r =
        ctx.state.app.pumasi_create_group(p, &f).await.map(|id| format!("/pumasi/groups/{id}?done=nt-group-created"));
    outcome(&ctx, r, "/pumasi")
}

#[derive(Deserialize)]
pub struct DoneQuery {
    #[serde(rename = "done")]
    _done: Option<String>,
}

pub async fn show(ctx: Ctx, Path(id): Path<i64>, Q(_q): Q<DoneQuery>) -> WebResult<Response> {
    let p = ctx.user()?;
    let v = ctx.state.app.pumasi_group(p, id).await?;
    let steps = PLAN_STEPS.iter().map(|s| if ctx.lang == gajok_domain::text::Lang::Ko { s.0 } else { s.1 }).collect();
    let categories = ExpenseCategory::ALL.iter().map(|c| (c.code(), c.label(ctx.lang))).collect();
    render(&GroupPage {
        l: ctx.layout(&format!("{} · {}", ctx.t("nt-group-title"), v.group.name)),
        v,
        steps,
        categories,
    })
}

pub async fn submit_plan(ctx: Ctx, Path(id): Path<i64>, FormBody(f): FormBody<PlanInput>) -> WebResult<Response> {
    let p = ctx.user()?;
    let back = format!("/pumasi/groups/{id}");
    let r = ctx.state.app.pumasi_submit_plan(p, id, &f).await.map(|_| format!("{back}?done=nt-plan-submitted"));
    outcome(&ctx, r, &back)
}

pub async fn sign_plan(ctx: Ctx, Path(id): Path<i64>) -> WebResult<Response> {
    let p = ctx.user()?;
    let r = ctx.state.app.pumasi_sign_plan(p, id).await.map(|g| format!("/pumasi/groups/{g}?done=nt-plan-signed"));
    outcome(&ctx, r, "/pumasi")
}

pub async fn log_activity(ctx: Ctx, Path(id): Path<i64>, FormBody(f): FormBody<ActivityInput>) -> WebResult<Response> {
    let p = ctx.user()?;
    ctx.state.app.pumasi_log_activity(p, id, &f).await?;
    Ok(Redirect::to(&format!("/pumasi/groups/{id}?done=nt-activity-logged")).into_response())
}

pub async fn add_expense(ctx: Ctx, Path(id): Path<i64>, FormBody(f): FormBody<ExpenseInput>) -> WebResult<Response> {
    let p = ctx.user()?;
    let back = format!("/pumasi/groups/{id}");
    let r = ctx.state.app.pumasi_add_expense(p, id, &f).await.map(|_| format!("{back}?done=nt-expense-added"));
    outcome(&ctx, r, &back)
}
