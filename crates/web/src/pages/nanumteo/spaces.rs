//! The spaces of a center and the registry page of one space with its rule checks.

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use gajok_app::nanumteo::spaces::{Check, SpaceInput, SpaceView, SpacesIndex};
use gajok_domain::nanumteo::{Ownership, Placement};
use serde::Deserialize;

use crate::context::Ctx;
use crate::error::WebResult;
use crate::extract::{FormBody, Q};
use crate::layout::Layout;
use crate::pages::render;

#[derive(Template)]
#[template(path = "nanumteo_index.html")]
struct IndexPage {
    l: Layout,
    v: SpacesIndex,
}

#[derive(Template)]
#[template(path = "nanumteo_space.html")]
struct SpacePage {
    l: Layout,
    v: SpaceView,
    checks: Vec<(String, String, String)>,
    placements: Vec<(&'static str, &'static str, bool)>,
    ownerships: Vec<(&'static str, &'static str, bool)>,
    nts_panel: String,
}

#[derive(Deserialize)]
pub struct CenterQuery {
    center: Option<String>,
    #[serde(rename = "done")]
    _done: Option<String>,
}

pub async fn index(ctx: Ctx, Q(q): Q<CenterQuery>) -> WebResult<Response> {
    let p = ctx.user()?;
    let v = ctx.state.app.nanumteo_index(p, q.center.as_deref()).await?;
    render(&IndexPage { l: ctx.layout(&ctx.t("nt-title")), v })
}

/// (css level, rule, sentence)
pub fn check_rows(ctx: &Ctx, checks: &[Check]) -> Vec<(String, String, String)> {
    checks
        .iter()
        .map(|c| {
            let args: Vec<(&str, &str)> = c.args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let text = ctx.state.i18n.t(ctx.lang, &format!("nt-check-{}", c.code), &args);
            (c.level.css().to_string(), c.rule.clone(), text)
        })
        .collect()
}

fn page(ctx: &Ctx, v: SpaceView) -> SpacePage {
    use gajok_domain::code_list::CodeList;
    let lang = ctx.lang;
    let pl = v.input.placement.clone().unwrap_or_default();
    let ow = v.input.ownership.clone().unwrap_or_default();
    SpacePage {
        checks: check_rows(ctx, &v.checks),
        placements: Placement::ALL.iter().map(|x| (x.code(), x.label(lang), x.code() == pl)).collect(),
        ownerships: Ownership::ALL.iter().map(|x| (x.code(), x.label(lang), x.code() == ow)).collect(),
        l: ctx.layout(&format!("{} · {}", ctx.t("nt-space-title"), v.site.name)),
        nts_panel: String::new(),
        v,
    }
}

pub async fn show(ctx: Ctx, Path(id): Path<i64>) -> WebResult<Response> {
    let p = ctx.user()?;
    let v = ctx.state.app.nanumteo_space(p, id).await?;
    let days = v.space.as_ref().map(|s| s.data.open_days.clone());
    let nts_panel = super::safety::space_panel(&ctx, id, v.center.id, days.as_deref()).await?;
    render(&SpacePage { nts_panel, ..page(&ctx, v) })
}

pub async fn save(ctx: Ctx, Path(id): Path<i64>, FormBody(input): FormBody<SpaceInput>) -> WebResult<Response> {
    let p = ctx.user()?;
    ctx.state.app.save_nanumteo_space(p, id, &input).await?;
    Ok(Redirect::to(&format!("/nanumteo/spaces/{id}?done=nt-saved")).into_response())
}
