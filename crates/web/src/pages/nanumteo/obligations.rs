//! The yearly obligations of the 나눔터 and 품앗이 (met / on track / at risk / missed) and the
//! event log that counts them.

use askama::Template;
use axum::response::{IntoResponse, Redirect, Response};
use gajok_app::nanumteo::obligations::{EventInput, ObligationsPage};
use gajok_app::nanumteo::report::EVENT_KINDS;
use serde::Deserialize;

use crate::context::Ctx;
use crate::error::WebResult;
use crate::extract::{FormBody, Q};
use crate::layout::Layout;
use crate::pages::render;

#[derive(Template)]
#[template(path = "nanumteo_obligations.html")]
struct Page {
    l: Layout,
    v: ObligationsPage,
    kinds: Vec<(&'static str, String)>,
}

impl Page {
    fn verdict_class(&self, code: &str) -> &'static str {
        match code {
            "met" => "ok",
            "on_track" => "info",
            "at_risk" => "warn",
            "missed" => "danger",
            _ => "muted",
        }
    }
    fn hours(&self, minutes: &i64) -> String {
        gajok_app::reports::hours(*minutes)
    }
    fn kind_label(&self, kind: &str) -> String {
        self.kinds.iter().find(|k| k.0 == kind).map(|k| k.1.clone()).unwrap_or_else(|| kind.to_string())
    }
}

#[derive(Deserialize)]
pub struct PageQuery {
    center: Option<String>,
    year: Option<String>,
    #[serde(rename = "done")]
    _done: Option<String>,
}

pub async fn show(ctx: Ctx, Q(q): Q<PageQuery>) -> WebResult<Response> {
    let p = ctx.user()?;
    let year = q.year.as_deref().and_then(|y| y.trim().parse().ok());
    let v = ctx.state.app.obligations_page(p, q.center.as_deref(), year).await?;
    let kinds = EVENT_KINDS.iter().map(|k| (*k, ctx.t(&format!("ntp-event-{k}")))).collect();
    render(&Page { l: ctx.layout(&ctx.t("ntp-obligations-title")), v, kinds })
}

pub async fn record(ctx: Ctx, FormBody(f): FormBody<EventInput>) -> WebResult<Response> {
    let p = ctx.user()?;
    ctx.state.app.record_nanumteo_event(p, &f).await?;
    let center = f.center.clone().unwrap_or_default();
    Ok(Redirect::to(&format!("/nanumteo/obligations?center={center}&done=ntp-event-recorded")).into_response())
}
