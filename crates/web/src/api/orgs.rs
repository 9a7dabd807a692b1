//! `/api/v1/orgs`.

use axum::extract::Path;
use axum::response::Response;
use gajok_app::org::{OrgInput, OrgQuery};
use gajok_domain::code_list::CodeList;
use gajok_domain::org::OrgKind;
use serde::Deserialize;

use crate::api::{created, ok};
use crate::context::Ctx;
use crate::error::{WebError, WebResult};
use crate::extract::{ApiJson, Q, opt_i64};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    q: Option<String>,
    kind: Option<String>,
    parent_id: Option<String>,
    visitation_service: Option<String>,
    page: Option<String>,
    per_page: Option<String>,
}

pub async fn list(ctx: Ctx, Q(q): Q<ListQuery>) -> WebResult<Response> {
    let p = ctx.user()?;
    let kind = match q.kind.as_deref().filter(|k| !k.is_empty()) {
        None => None,
        Some(k) => Some(OrgKind::parse(k).ok_or_else(|| WebError::InvalidQuery("kind".into()))?),
    };
    let visitation_service = match q.visitation_service.as_deref() {
        None | Some("") => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(_) => return Err(WebError::InvalidQuery("visitation_service".into())),
    };
    let query = OrgQuery {
        kind,
        parent_id: opt_i64("parent_id", &q.parent_id)?,
        q: q.q,
        visitation_service,
        page: opt_i64("page", &q.page)?.unwrap_or(1),
        per_page: opt_i64("per_page", &q.per_page)?.unwrap_or(50),
    };
    Ok(ok(ctx.state.app.list_orgs(p, &query).await?))
}

pub async fn show(ctx: Ctx, Path(id): Path<i64>) -> WebResult<Response> {
    let p = ctx.user()?;
    Ok(ok(ctx.state.app.org_detail(p, id).await?))
}

pub async fn create(ctx: Ctx, ApiJson(input): ApiJson<OrgInput>) -> WebResult<Response> {
    let p = ctx.user()?;
    let mut e = gajok_domain::FieldErrors::new();
    let parent_id = match input.parent_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            e.push(gajok_domain::FieldError::new("parent_id", "required"));
            None
        }
        Some(s) => e.take(s.parse::<i64>().map_err(|_| gajok_domain::FieldError::new("parent_id", "invalid_number"))),
    };
    let kind = e.take(gajok_domain::org::parse_code::<OrgKind>("kind", input.kind.as_deref().unwrap_or("")));
    e.finish().map_err(gajok_app::AppError::from)?;
    let (Some(parent_id), Some(kind)) = (parent_id, kind) else {
        return Err(WebError::InvalidQuery("parent_id".into()));
    };
    let unit = ctx.state.app.create_org(p, parent_id, kind, &input).await?;
    Ok(created(ctx.state.app.org_detail(p, unit.id).await?))
}

/// Replaces the unit's fields; `version` must be the one read (optimistic locking).
pub async fn update(ctx: Ctx, Path(id): Path<i64>, ApiJson(input): ApiJson<OrgInput>) -> WebResult<Response> {
    let p = ctx.user()?;
    ctx.state.app.update_org(p, id, &input).await?;
    Ok(ok(ctx.state.app.org_detail(p, id).await?))
}

/// The kinds, for clients building forms.
pub fn kind_codes() -> Vec<&'static str> {
    OrgKind::codes()
}
