//! The audit log, the personal-data access log, and the chain check.

use askama::Template;
use axum::response::Response;
use gajok_app::AppError;
use gajok_app::logs::LogQuery;

use crate::context::Ctx;
use crate::error::{WebError, WebResult};
use crate::extract::Q;
use crate::layout::{FieldMessages, Layout};
use crate::pages::{Pager, render};

pub struct QueryView {
    pub from: String,
    pub to: String,
    pub actor: String,
    pub action: String,
    pub entity_type: String,
}

#[derive(Template)]
#[template(path = "logs.html")]
struct LogsPage {
    l: Layout,
    action: &'static str,
    q: QueryView,
    message: Option<String>,
    total: i64,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    pager: Pager,
}

fn view(q: &LogQuery) -> QueryView {
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    QueryView {
        from: s(&q.from),
        to: s(&q.to),
        actor: s(&q.actor),
        action: s(&q.action),
        entity_type: s(&q.entity_type),
    }
}

fn params(q: &LogQuery) -> Vec<(&'static str, String)> {
    let v = view(q);
    vec![("from", v.from), ("to", v.to), ("actor", v.actor), ("action", v.action), ("entity_type", v.entity_type)]
}

/// Renders the bad-filter case as the page with the message, not an error page.
fn filter_error(ctx: &Ctx, e: AppError) -> Result<String, WebError> {
    match e {
        AppError::Validation(errs) => {
            let m = FieldMessages::from(ctx, &errs.0);
            Ok(m.0
                .iter()
                .map(|(f, msg)| format!("{}: {msg}", ctx.t(&format!("field-{f}"))))
                .collect::<Vec<_>>()
                .join(" / "))
        }
        other => Err(other.into()),
    }
}

/// One log page: the searched rows as table cells, or the filter error as a message.
fn log_page<T>(
    ctx: &Ctx,
    q: &LogQuery,
    title_key: &str,
    action: &'static str,
    header_keys: [&str; 6],
    result: Result<gajok_app::org::Page<T>, AppError>,
    cells: impl Fn(&Layout, &T) -> Vec<String>,
) -> WebResult<Response> {
    let l = ctx.layout(&ctx.t(title_key));
    let headers = header_keys.iter().map(|k| ctx.t(k)).collect();
    let (rows, total, page, pages, message) = match result {
        Ok(pg) => (pg.items.iter().map(|e| cells(&l, e)).collect(), pg.total, pg.page, pg.pages(), None),
        Err(e) => (Vec::new(), 0, 1, 1, Some(filter_error(ctx, e)?)),
    };
    let pager = Pager::new(action, &params(q), page, pages);
    render(&LogsPage { l, action, q: view(q), message, total, headers, rows, pager })
}

pub async fn events(ctx: Ctx, Q(q): Q<LogQuery>) -> WebResult<Response> {
    let p = ctx.user()?;
    let result = ctx.state.app.search_audit(p, &q).await;
    let headers = ["log-time", "log-actor", "log-addr", "log-action", "log-entity", "log-summary"];
    log_page(&ctx, &q, "log-audit-title", "/audit/events", headers, result, |l, e| {
        vec![
            l.when(&e.occurred_at),
            e.actor_name.clone(),
            e.client_addr.clone().unwrap_or_default(),
            e.action.clone(),
            format!("{} #{}", e.entity_type, e.entity_id),
            e.summary.clone(),
        ]
    })
}

pub async fn access(ctx: Ctx, Q(q): Q<LogQuery>) -> WebResult<Response> {
    let p = ctx.user()?;
    let result = ctx.state.app.search_access(p, &q).await;
    let headers = ["log-time", "log-actor", "log-addr", "log-action", "log-subject", "log-detail"];
    log_page(&ctx, &q, "log-access-title", "/audit/access", headers, result, |l, e| {
        vec![
            l.when(&e.occurred_at),
            e.username.clone(),
            e.client_addr.clone().unwrap_or_default(),
            e.action.clone(),
            format!("{} #{}", e.subject_type, e.subject_id),
            e.detail.clone(),
        ]
    })
}

#[derive(Template)]
#[template(path = "verify.html")]
struct VerifyPage {
    l: Layout,
    ok: bool,
    message: String,
}

pub async fn verify(ctx: Ctx) -> WebResult<Response> {
    let p = ctx.user()?;
    let r = ctx.state.app.verify_access_chain(p).await?;
    let message = match &r.first_break {
        None => ctx.state.i18n.t(ctx.lang, "log-verify-ok", &[("count", &r.entries.to_string())]),
        Some(b) => {
            ctx.state.i18n.t(ctx.lang, "log-verify-broken", &[("seq", &b.seq.to_string()), ("reason", b.reason)])
        }
    };
    render(&VerifyPage { l: ctx.layout(&ctx.t("log-verify-title")), ok: r.ok(), message })
}
