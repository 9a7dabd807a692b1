//! The public privacy policy of a center (개인정보 처리방침): current and earlier versions.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use gajok_app::privacy::policy::PublishedPolicy;

use crate::context::Ctx;
use crate::error::WebResult;
use crate::layout::Layout;
use crate::pages::render;

#[derive(Template)]
#[template(path = "privacy_policy.html")]
struct PolicyPage {
    l: Layout,
    p: PublishedPolicy,
}

pub async fn current(ctx: Ctx, Path(code): Path<String>) -> WebResult<Response> {
    let p = ctx.state.app.privacy_policy(&code, None).await?;
    let title = format!("{} {}", p.content.center_name, ctx.t("pv-policy-title"));
    render(&PolicyPage { l: ctx.layout(&title), p })
}

pub async fn version(ctx: Ctx, Path((code, version)): Path<(String, i64)>) -> WebResult<Response> {
    let p = ctx.state.app.privacy_policy(&code, Some(version)).await?;
    let title = format!("{} {}", p.content.center_name, ctx.t("pv-policy-title"));
    render(&PolicyPage { l: ctx.layout(&title), p })
}
