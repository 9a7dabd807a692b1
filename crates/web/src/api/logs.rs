//! `/api/v1/audit/...`.

use axum::response::Response;
use gajok_app::logs::LogQuery;

use crate::api::ok;
use crate::context::Ctx;
use crate::error::WebResult;
use crate::extract::Q;

pub async fn events(ctx: Ctx, Q(q): Q<LogQuery>) -> WebResult<Response> {
    let p = ctx.user()?;
    Ok(ok(ctx.state.app.search_audit(p, &q).await?))
}

pub async fn access(ctx: Ctx, Q(q): Q<LogQuery>) -> WebResult<Response> {
    let p = ctx.user()?;
    Ok(ok(ctx.state.app.search_access(p, &q).await?))
}

pub async fn verify(ctx: Ctx) -> WebResult<Response> {
    let p = ctx.user()?;
    let r = ctx.state.app.verify_access_chain(p).await?;
    Ok(ok(serde_json::json!({ "ok": r.ok(), "entries": r.entries, "first_break": r.first_break })))
}
