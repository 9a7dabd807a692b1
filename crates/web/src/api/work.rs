//! The JSON API of a center's daily work and its reports: members, programs, attendance,
//! the monthly report workflow and the roll-up. Same use cases and permissions as the pages.

use axum::extract::Path;
use axum::response::Response;
use gajok_app::AppError;
use gajok_app::people::{MemberInput, Registered};
use gajok_app::programs::AttendanceEntry;
use serde::Deserialize;
use serde_json::json;

use crate::api::{created, ok};
use crate::context::Ctx;
use crate::error::{WebError, WebResult};
use crate::extract::{ApiJson, Q, opt_i64};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberQuery {
    q: Option<String>,
    family_id: Option<String>,
    page: Option<String>,
}

pub async fn members(ctx: Ctx, Q(q): Q<MemberQuery>) -> WebResult<Response> {
    let p = ctx.user()?;
    let page = ctx
        .state
        .app
        .list_members(p, q.q.as_deref(), opt_i64("family_id", &q.family_id)?, opt_i64("page", &q.page)?.unwrap_or(1))
        .await?;
    Ok(ok(page))
}

pub async fn member(ctx: Ctx, Path(id): Path<i64>) -> WebResult<Response> {
    let p = ctx.user()?;
    Ok(ok(ctx.state.app.member_detail(p, id).await?))
}

/// Registers a member; 409 with the candidates when the person may already be registered
/// (send `"confirm_new": true` to register anyway).
pub async fn register(ctx: Ctx, ApiJson(input): ApiJson<MemberInput>) -> WebResult<Response> {
    let p = ctx.user()?;
    match ctx.state.app.register_member(p, &input).await? {
        Registered::Created(m) => Ok(created(m)),
        Registered::PossibleDuplicates(d) => {
            let mut r = ok(
                json!({ "error": { "code": "possible_duplicate", "message": ctx.t("error-possible_duplicate"), "fields": [], "candidates": d } }),
            );
            *r.status_mut() = axum::http::StatusCode::CONFLICT;
            Ok(r)
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearQuery {
    year: Option<String>,
    center: Option<String>,
}

pub async fn programs(ctx: Ctx, Q(q): Q<YearQuery>) -> WebResult<Response> {
    let p = ctx.user()?;
    let year = opt_i64("year", &q.year)?.ok_or_else(|| WebError::InvalidQuery("year".into()))?;
    let (center, list) = ctx.state.app.list_programs(p, q.center.as_deref(), year).await?;
    let items: Vec<_> =
        list.into_iter().map(|(program, figures)| json!({ "program": program, "figures": figures })).collect();
    Ok(ok(json!({ "center": center, "year": year, "items": items })))
}

pub async fn program(ctx: Ctx, Path(id): Path<i64>) -> WebResult<Response> {
    let p = ctx.user()?;
    Ok(ok(ctx.state.app.program_detail(p, id).await?))
}

pub async fn attendance(ctx: Ctx, Path(id): Path<i64>) -> WebResult<Response> {
    let p = ctx.user()?;
    Ok(ok(ctx.state.app.attendance_sheet(p, id).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttendanceInput {
    entries: Vec<AttendanceEntry>,
}

/// Records the attendance of a session at once; `status: null` clears an entry.
pub async fn record_attendance(
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<AttendanceInput>,
) -> WebResult<Response> {
    let p = ctx.user()?;
    let entries: Vec<(String, i64, Option<String>)> =
        input.entries.into_iter().enumerate().map(|(i, e)| (format!("entries[{i}]"), e.member_id, e.status)).collect();
    let changed = ctx.state.app.record_attendance(p, id, &entries).await?;
    Ok(ok(json!({ "changed": changed })))
}

pub async fn report(ctx: Ctx, Path((center, month)): Path<(i64, String)>) -> WebResult<Response> {
    let p = ctx.user()?;
    Ok(ok(ctx.state.app.monthly_report(p, center, &month).await?))
}

pub async fn submit(ctx: Ctx, Path((center, month)): Path<(i64, String)>) -> WebResult<Response> {
    let p = ctx.user()?;
    ctx.state.app.submit_report(p, center, &month).await?;
    Ok(ok(ctx.state.app.monthly_report(p, center, &month).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewInput {
    /// `approve` or `return`
    decision: String,
    comment: Option<String>,
}

pub async fn review(
    ctx: Ctx,
    Path((center, month)): Path<(i64, String)>,
    ApiJson(input): ApiJson<ReviewInput>,
) -> WebResult<Response> {
    let p = ctx.user()?;
    let approve = match input.decision.as_str() {
        "approve" => true,
        "return" => false,
        _ => {
            let e = gajok_domain::FieldError::new("decision", "unknown_value")
                .with_allowed(vec!["approve".into(), "return".into()]);
            return Err(WebError::App(AppError::Validation(gajok_domain::FieldErrors(vec![e]))));
        }
    };
    ctx.state.app.review_report(p, center, &month, approve, input.comment.as_deref().unwrap_or("")).await?;
    Ok(ok(ctx.state.app.monthly_report(p, center, &month).await?))
}

pub async fn rollup(ctx: Ctx, Path((unit, month)): Path<(i64, String)>) -> WebResult<Response> {
    let p = ctx.user()?;
    Ok(ok(ctx.state.app.rollup(p, unit, &month).await?))
}
