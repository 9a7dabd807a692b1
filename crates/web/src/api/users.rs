//! `/api/v1/users` and `/api/v1/tokens`.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gajok_app::users::{RoleInput, UserInput};
use serde::Deserialize;
use serde_json::json;

use crate::api::{created, ok};
use crate::context::Ctx;
use crate::error::WebResult;
use crate::extract::{ApiJson, Q, opt_i64};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    q: Option<String>,
    page: Option<String>,
}

pub async fn list(ctx: Ctx, Q(q): Q<ListQuery>) -> WebResult<Response> {
    let p = ctx.user()?;
    Ok(ok(ctx.state.app.list_users(p, q.q.as_deref(), opt_i64("page", &q.page)?.unwrap_or(1)).await?))
}

pub async fn show(ctx: Ctx, Path(id): Path<i64>) -> WebResult<Response> {
    let p = ctx.user()?;
    Ok(ok(ctx.state.app.user_detail(p, id).await?))
}

pub async fn create(ctx: Ctx, ApiJson(input): ApiJson<UserInput>) -> WebResult<Response> {
    let p = ctx.user()?;
    let u = ctx.state.app.create_user(p, &input).await?;
    Ok(created(u))
}

pub async fn add_role(ctx: Ctx, Path(id): Path<i64>, ApiJson(input): ApiJson<RoleInput>) -> WebResult<Response> {
    let p = ctx.user()?;
    let rid = ctx.state.app.assign_role(p, id, &input).await?;
    Ok(created(json!({ "id": rid })))
}

pub async fn remove_role(ctx: Ctx, Path((id, rid)): Path<(i64, i64)>) -> WebResult<Response> {
    let p = ctx.user()?;
    ctx.state.app.revoke_role(p, id, rid).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenInput {
    user_id: i64,
    name: String,
}

pub async fn create_token(ctx: Ctx, ApiJson(input): ApiJson<TokenInput>) -> WebResult<Response> {
    let p = ctx.user()?;
    let (token, id) = ctx.state.app.create_token(p, input.user_id, &input.name).await?;
    Ok(created(json!({ "id": id, "token": token })))
}

pub async fn revoke_token(ctx: Ctx, Path(id): Path<i64>) -> WebResult<Response> {
    let p = ctx.user()?;
    ctx.state.app.revoke_token(p, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
