//! The privacy officer's pages: the destruction register (파기 대장) and the monthly
//! access-log review with its sign-off.

use askama::Template;
use axum::response::{IntoResponse, Redirect, Response};
use gajok_app::AppError;
use gajok_app::privacy::access_review::{Flag, MonthReview};
use gajok_app::store::privacy::retention::Destruction;
use serde::Deserialize;

use crate::context::Ctx;
use crate::error::{WebError, WebResult};
use crate::extract::{FormBody, Q, opt_i64};
use crate::layout::Layout;
use crate::pages::{Pager, render};

#[derive(Template)]
#[template(path = "privacy_destructions.html")]
struct DestructionsPage {
    l: Layout,
    rows: Vec<DestructionRow>,
}

/// One register line as shown: the record kind and method in words.
struct DestructionRow {
    d: Destruction,
    kind: String,
    method: String,
    center: String,
}

pub async fn destructions(ctx: Ctx) -> WebResult<Response> {
    let p = ctx.user()?;
    let ko = ctx.lang == gajok_domain::text::Lang::Ko;
    let kinds = &gajok_app::privacy::retention::rules().kinds;
    let rows = ctx
        .state
        .app
        .destruction_register(p)
        .await?
        .into_iter()
        .map(|d| {
            let kind = kinds
                .iter()
                .find(|k| k.kind == d.record_kind)
                .map(|k| if ko { k.label_ko.clone() } else { k.label_en.clone() })
                .unwrap_or_else(|| d.record_kind.clone());
            let method = ctx.t(&format!("pr-method-{}", d.method.replace('_', "-")));
            let center = d.center_name.clone().unwrap_or_else(|| d.org_path.clone());
            DestructionRow { d, kind, method, center }
        })
        .collect();
    render(&DestructionsPage { l: ctx.layout(&ctx.t("pr-destructions-title")), rows })
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ReviewQuery {
    unit: Option<String>,
    month: Option<String>,
    /// `1`: only flagged entries.
    flagged: Option<String>,
    page: Option<String>,
    done: Option<String>,
}

/// One row of the entries table, ready to show.
struct EntryRow {
    when: String,
    account: String,
    addr: String,
    action: String,
    subject: String,
    detail: String,
    flags: Vec<String>,
}

#[derive(Template)]
#[template(path = "privacy_access_review.html")]
struct ReviewPage {
    l: Layout,
    r: MonthReview,
    chain_message: String,
    counts: Vec<(String, i64)>,
    thresholds: Vec<String>,
    rows: Vec<EntryRow>,
    shown: i64,
    only_flagged: bool,
    pager: Pager,
    message: Option<String>,
}

const PER_PAGE: usize = 100;

fn flag_label(ctx: &Ctx, f: Flag) -> String {
    ctx.t(&format!("pr-flag-{}", f.code().replace('_', "-")))
}

pub async fn access_review(ctx: Ctx, Q(q): Q<ReviewQuery>) -> WebResult<Response> {
    let p = ctx.user()?;
    let unit = opt_i64("unit", &q.unit)?;
    let page = opt_i64("page", &q.page)?.unwrap_or(1).max(1);
    let r = ctx.state.app.access_review(p, unit, q.month.as_deref()).await?;
    let message = (q.done.as_deref() == Some("already-signed")).then(|| ctx.t("pr-review-already-signed"));
    review_page(&ctx, r, q.flagged.as_deref() == Some("1"), page, message)
}

fn review_page(
    ctx: &Ctx,
    r: MonthReview,
    only_flagged: bool,
    page: i64,
    message: Option<String>,
) -> WebResult<Response> {
    let i18n = &ctx.state.i18n;
    let chain_message = match &r.chain.first_break {
        None => i18n.t(ctx.lang, "log-verify-ok", &[("count", &r.chain.entries.to_string())]),
        Some(b) => i18n.t(ctx.lang, "log-verify-broken", &[("seq", &b.seq.to_string()), ("reason", b.reason)]),
    };
    let counts = r.counts.iter().map(|(f, n)| (flag_label(ctx, *f), *n)).collect();
    let rules = gajok_app::privacy::access_review::rules();
    let thresholds = vec![
        i18n.t(ctx.lang, "pr-rule-mass-views", &[("n", &rules.mass_views_per_day.value.to_string())]),
        i18n.t(
            ctx.lang,
            "pr-rule-working-hours",
            &[
                ("start", &rules.working_hours.start_hour.to_string()),
                ("end", &rules.working_hours.end_hour.to_string()),
            ],
        ),
        ctx.t("pr-rule-outside-scope"),
        i18n.t(ctx.lang, "pr-rule-large-export", &[("n", &rules.large_export_rows.value.to_string())]),
    ];
    let l = ctx.layout(&ctx.t("pr-review-title"));
    let selected: Vec<_> = r.entries.iter().filter(|e| !only_flagged || !e.flags.is_empty()).collect();
    let shown = selected.len() as i64;
    let pages = selected.len().div_ceil(PER_PAGE).max(1) as i64;
    let page = page.min(pages);
    let rows = selected
        .iter()
        .skip((page as usize - 1) * PER_PAGE)
        .take(PER_PAGE)
        .map(|f| {
            let e = &f.entry;
            EntryRow {
                when: l.when(&e.occurred_at),
                account: e.username.clone(),
                addr: e.client_addr.clone().unwrap_or_default(),
                action: e.action.clone(),
                subject: format!("{} #{}", e.subject_type, e.subject_id),
                detail: e.detail.clone(),
                flags: f.flags.iter().map(|fl| flag_label(ctx, *fl)).collect(),
            }
        })
        .collect();
    let mut params = vec![("unit", r.unit.id.to_string()), ("month", r.month.clone())];
    if only_flagged {
        params.push(("flagged", "1".into()));
    }
    let pager = Pager::new("/privacy/access-review", &params, page, pages);
    render(&ReviewPage { l, r, chain_message, counts, thresholds, rows, shown, only_flagged, pager, message })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignForm {
    unit: Option<String>,
    month: Option<String>,
    note: Option<String>,
    #[serde(rename = "_csrf")]
    _csrf: Option<String>,
}

pub async fn sign_review(ctx: Ctx, FormBody(f): FormBody<SignForm>) -> WebResult<Response> {
    let p = ctx.user()?;
    let unit = opt_i64("unit", &f.unit)?;
    let month = f.month.clone().unwrap_or_default();
    let back = |done: &str| {
        let mut s = form_urlencoded::Serializer::new(String::new());
        if let Some(u) = unit {
            s.append_pair("unit", &u.to_string());
        }
        s.append_pair("month", &month).append_pair("done", done);
        Redirect::to(&format!("/privacy/access-review?{}", s.finish())).into_response()
    };
    match ctx.state.app.sign_access_review(p, unit, f.month.as_deref(), f.note.as_deref()).await {
        Ok(_) => Ok(back("pr-review-signed")),
        Err(AppError::Conflict { code: "already_signed", .. }) => Ok(back("already-signed")),
        Err(e) => Err(WebError::App(e)),
    }
}
