//! The privacy officer's pages: the destruction register (파기 대장), separate storage (분리
//! 보관) of records another law requires to keep, and the monthly access-log review with its
//! sign-off.

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use gajok_app::AppError;
use gajok_app::privacy::access_review::{Flag, MonthReview};
use gajok_app::privacy::separated::SeparatedView;
use gajok_app::store::privacy::retention::Destruction;
use gajok_domain::text::Lang;
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

/// The label of a retention kind in the page language (from the rules data).
fn kind_label(lang: Lang, code: &str) -> String {
    let kinds = &gajok_app::privacy::retention::rules().kinds;
    match (kinds.iter().find(|k| k.kind == code), lang) {
        (Some(k), Lang::Ko) => k.label_ko.clone(),
        (Some(k), Lang::En) => k.label_en.clone(),
        (None, _) => code.to_string(),
    }
}

pub async fn destructions(ctx: Ctx) -> WebResult<Response> {
    let p = ctx.user()?;
    let rows = ctx
        .state
        .app
        .destruction_register(p)
        .await?
        .into_iter()
        .map(|d| {
            let kind = kind_label(ctx.lang, &d.record_kind);
            let method = ctx.t(&format!("pr-method-{}", d.method.replace('_', "-")));
            let center = d.center_name.clone().unwrap_or_else(|| d.org_path.clone());
            DestructionRow { d, kind, method, center }
        })
        .collect();
    render(&DestructionsPage { l: ctx.layout(&ctx.t("pr-destructions-title")), rows })
}

/// One record of separate storage as shown.
struct SeparatedRow {
    v: SeparatedView,
    kind: String,
    center: String,
}

fn separated_row(lang: Lang, v: SeparatedView) -> SeparatedRow {
    let kind = kind_label(lang, &v.record.record_kind);
    let center = v.record.center_name.clone().unwrap_or_else(|| v.record.org_path.clone());
    SeparatedRow { v, kind, center }
}

#[derive(Template)]
#[template(path = "privacy_separated.html")]
struct SeparatedPage {
    l: Layout,
    counts: Vec<(String, i64)>,
    total: i64,
    rows: Vec<SeparatedRow>,
}

/// Separate storage in the officer's scope: payers masked, kind, keep-until, legal basis.
pub async fn separated(ctx: Ctx) -> WebResult<Response> {
    let p = ctx.user()?;
    let list = ctx.state.app.separated_records(p).await?;
    let counts = list.counts.iter().map(|(k, n)| (kind_label(ctx.lang, k), *n)).collect();
    let total = list.counts.iter().map(|(_, n)| n).sum();
    let rows = list.rows.into_iter().map(|v| separated_row(ctx.lang, v)).collect();
    render(&SeparatedPage { l: ctx.layout(&ctx.t("pr-separated-title")), counts, total, rows })
}

#[derive(Template)]
#[template(path = "privacy_separated_record.html")]
struct SeparatedRecordPage {
    l: Layout,
    r: SeparatedRow,
}

/// One record: full values for the center's privacy officer, masked for officials above it;
/// access-logged by the use case (never cached, like every page: `security::headers`).
pub async fn separated_record(ctx: Ctx, Path(id): Path<i64>) -> WebResult<Response> {
    let p = ctx.user()?;
    let v = ctx.state.app.separated_record(p, id).await?;
    render(&SeparatedRecordPage { l: ctx.layout(&ctx.t("pr-separated-detail-title")), r: separated_row(ctx.lang, v) })
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
