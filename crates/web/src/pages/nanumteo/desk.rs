//! The front desk: search a family by name, 초성 or phone, check in and out, health flags.

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use gajok_app::nanumteo::visits::{CheckIn, DeskView};
use serde::Deserialize;

use super::outcome;
use crate::context::Ctx;
use crate::error::WebResult;
use crate::extract::{FormBody, Q};
use crate::layout::Layout;
use crate::pages::render;

#[derive(Template)]
#[template(path = "nanumteo_desk.html")]
struct DeskPage {
    l: Layout,
    v: DeskView,
}

#[derive(Deserialize)]
pub struct DeskQuery {
    q: Option<String>,
    date: Option<String>,
    #[serde(rename = "done")]
    _done: Option<String>,
}

pub async fn show(ctx: Ctx, Path(id): Path<i64>, Q(q): Q<DeskQuery>) -> WebResult<Response> {
    let p = ctx.user()?;
    let v = ctx.state.app.nanumteo_desk(p, id, q.q.as_deref(), q.date.as_deref()).await?;
    render(&DeskPage { l: ctx.layout(&format!("{} · {}", ctx.t("nt-desk-title"), v.site.name)), v })
}

pub async fn check_in(ctx: Ctx, Path(id): Path<i64>, FormBody(c): FormBody<CheckIn>) -> WebResult<Response> {
    let p = ctx.user()?;
    let back = format!("/nanumteo/spaces/{id}/desk");
    // Back to the day the desk was showing, so the visit just recorded is in the log.
    let day = date_query(c.date.as_deref());
    let r = ctx.state.app.nanumteo_check_in(p, id, &c).await.map(|_| format!("{back}?done=nt-checked-in{day}"));
    outcome(&ctx, r, &back)
}

#[derive(Deserialize)]
pub struct OutForm {
    time: Option<String>,
    /// The day the desk was showing (only used to return there).
    date: Option<String>,
}

/// `&date=YYYY-MM-DD` for a valid date, nothing otherwise (never echoes arbitrary input).
fn date_query(date: Option<&str>) -> String {
    date.and_then(gajok_domain::time::parse_date).map(|d| format!("&date={d}")).unwrap_or_default()
}

pub async fn check_out(ctx: Ctx, Path(id): Path<i64>, FormBody(f): FormBody<OutForm>) -> WebResult<Response> {
    let p = ctx.user()?;
    let space = ctx.state.app.nanumteo_check_out(p, id, f.time.as_deref()).await?;
    let day = date_query(f.date.as_deref());
    Ok(Redirect::to(&format!("/nanumteo/spaces/{space}/desk?done=nt-checked-out{day}")).into_response())
}

#[derive(Deserialize)]
pub struct FlagForm {
    status: Option<String>,
    note: Option<String>,
    flagged_on: Option<String>,
}

pub async fn flag(ctx: Ctx, Path(member): Path<i64>, FormBody(f): FormBody<FlagForm>) -> WebResult<Response> {
    let p = ctx.user()?;
    ctx.state
        .app
        .nanumteo_flag_member(
            p,
            member,
            f.status.as_deref().unwrap_or_default(),
            f.note.as_deref(),
            f.flagged_on.as_deref(),
        )
        .await?;
    Ok(Redirect::to(&format!("/members/{member}?done=nt-flag-saved")).into_response())
}

pub async fn clear_flag(ctx: Ctx, Path(id): Path<i64>) -> WebResult<Response> {
    let p = ctx.user()?;
    let member = ctx.state.app.nanumteo_clear_flag(p, id).await?;
    Ok(Redirect::to(&format!("/members/{member}?done=nt-flag-cleared")).into_response())
}
