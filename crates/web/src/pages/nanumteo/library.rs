//! The toy and book library page: catalogue, loans, returns, renewals, disinfection log.

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use gajok_app::nanumteo::library::LibraryView;
use gajok_domain::code_list::CodeList as _;
use serde::Deserialize;

use super::outcome;
use crate::context::Ctx;
use crate::error::WebResult;
use crate::extract::{FormBody, Q};
use crate::layout::Layout;
use crate::pages::{Pager, render};

#[derive(Template)]
#[template(path = "nanumteo_library.html")]
struct LibraryPage {
    l: Layout,
    v: LibraryView,
    pager: Pager,
}

#[derive(Deserialize)]
pub struct LibraryQuery {
    #[serde(rename = "done")]
    _done: Option<String>,
    q: Option<String>,
    page: Option<i64>,
}

pub async fn show(ctx: Ctx, Path(id): Path<i64>, Q(q): Q<LibraryQuery>) -> WebResult<Response> {
    let p = ctx.user()?;
    let v = ctx.state.app.nanumteo_library(p, id, q.q.as_deref(), q.page.unwrap_or(1)).await?;
    let pager = Pager::new(
        &format!("/nanumteo/spaces/{id}/library"),
        &[("q", v.item_query.clone())],
        v.items.page,
        v.items.pages(),
    );
    render(&LibraryPage { l: ctx.layout(&format!("{} · {}", ctx.t("nt-library-title"), v.site.name)), v, pager })
}

#[derive(Deserialize)]
pub struct ItemForm {
    barcode: Option<String>,
    kind: Option<String>,
    name: Option<String>,
    lendable: Option<String>,
}

pub async fn add_item(ctx: Ctx, Path(id): Path<i64>, FormBody(f): FormBody<ItemForm>) -> WebResult<Response> {
    let p = ctx.user()?;
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    ctx.state.app.nanumteo_add_item(p, id, &s(&f.barcode), &s(&f.kind), &s(&f.name), f.lendable.is_some()).await?;
    Ok(Redirect::to(&format!("/nanumteo/spaces/{id}/library?done=nt-item-added")).into_response())
}

#[derive(Deserialize)]
pub struct LoanForm {
    barcode: Option<String>,
    member_id: Option<String>,
    loaned_on: Option<String>,
}

pub async fn lend(ctx: Ctx, Path(id): Path<i64>, FormBody(f): FormBody<LoanForm>) -> WebResult<Response> {
    let p = ctx.user()?;
    let back = format!("/nanumteo/spaces/{id}/library");
    let r = ctx
        .state
        .app
        .nanumteo_lend(
            p,
            id,
            f.barcode.as_deref().unwrap_or_default(),
            f.member_id.as_deref().unwrap_or_default(),
            f.loaned_on.as_deref(),
        )
        .await
        .map(|_| format!("{back}?done=nt-lent"));
    outcome(&ctx, r, &back)
}

#[derive(Deserialize)]
pub struct ReturnForm {
    on: Option<String>,
    damage: Option<String>,
}

pub async fn give_back(ctx: Ctx, Path(id): Path<i64>, FormBody(f): FormBody<ReturnForm>) -> WebResult<Response> {
    let p = ctx.user()?;
    let loan = ctx.state.app.nanumteo_return(p, id, f.on.as_deref(), f.damage.as_deref()).await?;
    Ok(Redirect::to(&format!("/nanumteo/spaces/{}/library?done=nt-returned-done", loan.space_id)).into_response())
}

pub async fn renew(ctx: Ctx, Path(id): Path<i64>, FormBody(f): FormBody<ReturnForm>) -> WebResult<Response> {
    let p = ctx.user()?;
    let space = gajok_app::store::nanumteo::library::loan(&ctx.state.app.store, id)
        .await
        .map_err(gajok_app::AppError::from)?
        .map(|l| l.space_id)
        .unwrap_or_default();
    let back = format!("/nanumteo/spaces/{space}/library");
    let r = ctx.state.app.nanumteo_renew(p, id, f.on.as_deref()).await.map(|_| format!("{back}?done=nt-renewed"));
    outcome(&ctx, r, &back)
}

#[derive(Deserialize)]
pub struct DisinfectForm {
    kind: Option<String>,
    done_on: Option<String>,
    note: Option<String>,
}

pub async fn disinfect(ctx: Ctx, Path(id): Path<i64>, FormBody(f): FormBody<DisinfectForm>) -> WebResult<Response> {
    let p = ctx.user()?;
    ctx.state
        .app
        .nanumteo_log_disinfection(
            p,
            id,
            f.kind.as_deref().unwrap_or_default(),
            f.done_on.as_deref(),
            f.note.as_deref(),
        )
        .await?;
    Ok(Redirect::to(&format!("/nanumteo/spaces/{id}/library?done=nt-disinfected")).into_response())
}
