//! `GET /api/v1/me`: who am I, my roles, and the CSRF token for cookie-authenticated writes.

use axum::response::Response;
use serde_json::json;

use crate::api::ok;
use crate::context::Ctx;
use crate::error::WebResult;

pub async fn show(ctx: Ctx) -> WebResult<Response> {
    let p = ctx.user()?;
    let roles: Vec<_> = p
        .roles
        .iter()
        .map(|r| json!({ "id": r.id, "role": r.role, "org_unit_id": r.org_unit_id, "org_name": r.org_name }))
        .collect();
    Ok(ok(json!({
        "id": p.user.id,
        "username": p.user.username,
        "display_name": p.user.display_name,
        "home_org_id": p.user.home_org_id,
        "must_change_password": p.user.must_change_password,
        "roles": roles,
        "csrf_token": ctx.csrf,
    })))
}
