//! The monthly program plan page.

use std::collections::HashMap;

use askama::Template;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use gajok_app::AppError;
use gajok_app::plans::PlanView;
use serde::Deserialize;

use crate::context::Ctx;
use crate::error::{WebError, WebResult};
use crate::extract::{FormBody, Q};
use crate::layout::{FieldMessages, Layout};
use crate::pages::render;

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    l: Layout,
    v: PlanView,
    message: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanQuery {
    month: Option<String>,
    center: Option<String>,
    #[serde(rename = "done")]
    _done: Option<String>,
}

/// The plan being prepared is next month's.
fn next_month() -> String {
    let t = gajok_domain::time::kst_date(chrono::Utc::now());
    let (y, m) = if t.month() == 12 { (t.year() + 1, 1) } else { (t.year(), t.month() + 1) };
    format!("{y:04}-{m:02}")
}

pub async fn show(ctx: Ctx, Q(q): Q<PlanQuery>) -> WebResult<Response> {
    let p = ctx.user()?;
    let month = q.month.filter(|m| !m.is_empty()).unwrap_or_else(next_month);
    let v = ctx.state.app.monthly_plan(p, q.center.as_deref(), &month).await?;
    render(&PlanPage { l: ctx.layout(&ctx.t("plan-title")), v, message: None })
}

/// The form posts `month`, `note`, and `s_<program>` / `n_<program>` per program.
pub async fn submit(ctx: Ctx, FormBody(form): FormBody<HashMap<String, String>>) -> WebResult<Response> {
    let p = ctx.user()?;
    let month = form.get("month").cloned().unwrap_or_default();
    let mut items: HashMap<i64, (String, String)> = HashMap::new();
    for (k, v) in &form {
        if let Some(id) = k.strip_prefix("s_").and_then(|i| i.parse::<i64>().ok()) {
            items.entry(id).or_default().0 = v.clone();
        } else if let Some(id) = k.strip_prefix("n_").and_then(|i| i.parse::<i64>().ok()) {
            items.entry(id).or_default().1 = v.clone();
        } else if !matches!(k.as_str(), "month" | "note" | "_csrf" | "center") {
            return Err(WebError::UnknownField(k.clone()));
        }
    }
    let mut list: Vec<(i64, String, String)> = items.into_iter().map(|(id, (s, n))| (id, s, n)).collect();
    list.sort_by_key(|x| x.0);
    match ctx
        .state
        .app
        .submit_monthly_plan(
            p,
            form.get("center").map(String::as_str),
            &month,
            &list,
            form.get("note").map(String::as_str),
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/plans/monthly?month={month}&done=plan-saved")).into_response()),
        Err(e @ AppError::Validation(_)) => {
            let err = WebError::App(e);
            let msgs = FieldMessages::from(&ctx, &err.fields());
            let msg = msgs.0.iter().map(|(f, m)| format!("{f}: {m}")).collect::<Vec<_>>().join(" / ");
            let v = ctx.state.app.monthly_plan(p, form.get("center").map(String::as_str), &month).await?;
            let mut r = render(&PlanPage { l: ctx.layout(&ctx.t("plan-title")), v, message: Some(msg) })?;
            *r.status_mut() = err.status();
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}
