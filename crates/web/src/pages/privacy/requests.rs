//! The list of data subjects' requests (overdue and due soon first), one request with its
//! decision form, and the data export of a 열람 request.

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use gajok_app::AppError;
use gajok_app::privacy::policy::OfficerInput;
use gajok_app::privacy::requests::{DecisionInput, RequestRow};
use gajok_app::privacy::sensitive::GrantInput;
use serde::Deserialize;

use crate::context::Ctx;
use crate::error::WebResult;
use crate::extract::{FormBody, Q};
use crate::layout::Layout;
use crate::pages::render;

use super::kind_label;

pub struct Row {
    pub row: RequestRow,
    pub kind: String,
}

fn rows(ctx: &Ctx, list: Vec<RequestRow>) -> Vec<Row> {
    list.into_iter().map(|row| Row { kind: kind_label(ctx.lang, &row.r.kind), row }).collect()
}

#[derive(Template)]
#[template(path = "privacy_requests.html")]
struct ListPage {
    l: Layout,
    rows: Vec<Row>,
    overdue: usize,
    due_soon: usize,
    pending_only: bool,
    /// The manager's forms (grants, officer) are shown only to who may use them.
    center_admin: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    all: Option<String>,
    #[serde(rename = "done")]
    _done: Option<String>,
}

pub async fn list(ctx: Ctx, Q(q): Q<ListQuery>) -> WebResult<Response> {
    let p = ctx.user()?;
    let pending_only = q.all.is_none();
    let list = ctx.state.app.privacy_requests(p, pending_only).await?;
    let overdue = list.iter().filter(|r| r.overdue).count();
    let due_soon = list.iter().filter(|r| r.due_soon).count();
    let mut center_admin = false;
    for c in gajok_app::authz::member_centers(p) {
        if let Some(u) = gajok_app::store::orgs::get(ctx.state.app.store.reader(), c).await.map_err(AppError::from)? {
            center_admin |= gajok_app::authz::can_grant_sensitive(p, &u);
        }
    }
    render(&ListPage {
        l: ctx.layout(&ctx.t("pv-requests-title")),
        rows: rows(&ctx, list),
        overdue,
        due_soon,
        pending_only,
        center_admin,
    })
}

#[derive(Template)]
#[template(path = "privacy_request.html")]
struct DetailPage {
    l: Layout,
    r: Row,
}

pub async fn detail(ctx: Ctx, Path(id): Path<i64>) -> WebResult<Response> {
    let p = ctx.user()?;
    let row = ctx.state.app.privacy_request(p, id).await?;
    let title = format!("{} #{id}", ctx.t("pv-request"));
    let r = Row { kind: kind_label(ctx.lang, &row.r.kind), row };
    render(&DetailPage { l: ctx.layout(&title), r })
}

pub async fn decide(ctx: Ctx, Path(id): Path<i64>, FormBody(f): FormBody<DecisionInput>) -> WebResult<Response> {
    let p = ctx.user()?;
    ctx.state.app.decide_privacy_request(p, id, &f).await?;
    Ok(Redirect::to(&format!("/privacy/requests/{id}?done=pv-decided")).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    format: Option<String>,
}

/// One line per stored value: section, record number, field, value (the XLSX layout).
fn flatten(doc: &serde_json::Value) -> Vec<Vec<String>> {
    let mut rows = vec![vec!["section".to_string(), "#".to_string(), "field".to_string(), "value".to_string()]];
    if let Some(data) = doc["data"].as_object() {
        for (section, records) in data {
            for (i, rec) in records.as_array().into_iter().flatten().enumerate() {
                for (k, v) in rec.as_object().into_iter().flatten() {
                    let value = match v {
                        serde_json::Value::Null => String::new(),
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    rows.push(vec![section.clone(), (i + 1).to_string(), k.clone(), value]);
                }
            }
        }
    }
    rows
}

/// Everything held about the person, as JSON (default) or XLSX (access-logged by the use case).
pub async fn export(ctx: Ctx, Path(id): Path<i64>, Q(q): Q<ExportQuery>) -> WebResult<Response> {
    let p = ctx.user()?;
    let format = q.format.as_deref().unwrap_or("json");
    if !matches!(format, "json" | "xlsx") {
        return Err(crate::error::WebError::InvalidQuery("format".into()));
    }
    let doc = ctx.state.app.privacy_export(p, id).await?;
    let stem = format!("{}-{id}", ctx.t("pv-export-file"));
    if format == "xlsx" {
        let bytes = gajok_app::export::xlsx("export", &ctx.t("pv-export-title"), &flatten(&doc))?;
        let ct = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        return Ok(crate::export::download(bytes, ct, &format!("privacy-request-{id}.xlsx"), &format!("{stem}.xlsx")));
    }
    let body = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    let name = format!("privacy-request-{id}.json");
    Ok(crate::export::download(body, "application/json; charset=utf-8", &name, &format!("{stem}.json")))
}

pub async fn grant(ctx: Ctx, FormBody(f): FormBody<GrantInput>) -> WebResult<Response> {
    let p = ctx.user()?;
    ctx.state.app.set_sensitive_grant(p, &f).await?;
    let done = if f.action.as_deref() == Some("revoke") { "pv-revoked" } else { "pv-granted" };
    Ok(Redirect::to(&format!("/privacy/requests?done={done}")).into_response())
}

pub async fn officer(ctx: Ctx, FormBody(f): FormBody<OfficerInput>) -> WebResult<Response> {
    let p = ctx.user()?;
    ctx.state.app.set_privacy_officer(p, &f).await?;
    Ok(Redirect::to("/privacy/requests?done=pv-officer-saved").into_response())
}
