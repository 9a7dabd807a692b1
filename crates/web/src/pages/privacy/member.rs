//! A member's privacy page: their requests and the form to record a new one, the masked
//! foreigner registration number (set, look up, reveal with the grant), and counseling notes.

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use gajok_app::privacy::requests::RequestInput;
use gajok_app::privacy::sensitive::NoteInput;
use gajok_app::store::privacy::sensitive::Note;
use serde::Deserialize;

use crate::context::Ctx;
use crate::error::WebResult;
use crate::extract::FormBody;
use crate::layout::Layout;
use crate::pages::render;

use super::kind_label;
use super::requests::Row;

pub struct KindOption {
    pub code: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "privacy_member.html")]
struct MemberPage {
    l: Layout,
    member_id: i64,
    name: String,
    rows: Vec<Row>,
    kinds: Vec<KindOption>,
    frozen: Option<String>,
    foreign_id: Option<String>,
    keys_configured: bool,
    sensitive: bool,
}

/// The sentence naming the pending request that freezes a member record.
pub async fn frozen_message(ctx: &Ctx, member_id: i64) -> WebResult<Option<String>> {
    Ok(ctx.state.app.freezing_request(member_id).await?.map(|r| {
        let kind = kind_label(ctx.lang, &r.kind);
        ctx.state.i18n.t(
            ctx.lang,
            "pv-frozen",
            &[("id", &r.id.to_string()), ("kind", &kind), ("received", &r.received_on), ("due", &r.due_on)],
        )
    }))
}

pub async fn show(ctx: Ctx, Path(id): Path<i64>) -> WebResult<Response> {
    let p = ctx.user()?;
    let m = ctx.state.app.member_in_scope(p, id).await?;
    let list = ctx.state.app.member_privacy_requests(p, id).await?;
    let rows = list.into_iter().map(|row| Row { kind: kind_label(ctx.lang, &row.r.kind), row }).collect();
    let kinds = gajok_app::privacy::requests::rules()
        .kinds
        .iter()
        .map(|k| KindOption { code: k.kind.clone(), label: kind_label(ctx.lang, &k.kind) })
        .collect();
    let page = MemberPage {
        l: ctx.layout(&format!("{} · {}", gajok_domain::mask::name(&m.name), ctx.t("pv-member-title"))),
        member_id: id,
        name: gajok_domain::mask::name(&m.name),
        rows,
        kinds,
        frozen: frozen_message(&ctx, id).await?,
        foreign_id: ctx.state.app.foreign_id_masked(p, id).await?,
        keys_configured: ctx.state.app.config.keys.is_some(),
        sensitive: ctx.state.app.can_read_sensitive(p, m.center_id).await?,
    };
    render(&page)
}

pub async fn record(ctx: Ctx, Path(id): Path<i64>, FormBody(f): FormBody<RequestInput>) -> WebResult<Response> {
    let p = ctx.user()?;
    let r = ctx.state.app.record_privacy_request(p, id, &f).await?;
    Ok(Redirect::to(&format!("/privacy/requests/{}?done=pv-recorded", r.id)).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForeignIdForm {
    foreign_id: Option<String>,
    #[serde(rename = "_csrf")]
    _csrf: Option<String>,
}

pub async fn set_foreign_id(
    ctx: Ctx,
    Path(id): Path<i64>,
    FormBody(f): FormBody<ForeignIdForm>,
) -> WebResult<Response> {
    let p = ctx.user()?;
    ctx.state.app.set_foreign_id(p, id, f.foreign_id.as_deref().unwrap_or("")).await?;
    Ok(Redirect::to(&format!("/members/{id}/privacy?done=pv-foreign-id-saved")).into_response())
}

#[derive(Template)]
#[template(path = "privacy_value.html")]
struct ValuePage {
    l: Layout,
    member_id: i64,
    value: String,
}

/// The full identifier (grant needed; access-logged by the use case; never cached, like every
/// page: `security::headers`).
pub async fn reveal_foreign_id(ctx: Ctx, Path(id): Path<i64>) -> WebResult<Response> {
    let p = ctx.user()?;
    let value = ctx.state.app.reveal_foreign_id(p, id).await?;
    render(&ValuePage { l: ctx.layout(&ctx.t("pv-foreign-id")), member_id: id, value })
}

#[derive(Template)]
#[template(path = "privacy_lookup.html")]
struct LookupPage {
    l: Layout,
    found: Vec<i64>,
}

pub async fn lookup(ctx: Ctx, FormBody(f): FormBody<ForeignIdForm>) -> WebResult<Response> {
    let p = ctx.user()?;
    let found = ctx.state.app.find_by_foreign_id(p, f.foreign_id.as_deref().unwrap_or("")).await?;
    render(&LookupPage { l: ctx.layout(&ctx.t("pv-lookup-title")), found })
}

#[derive(Template)]
#[template(path = "privacy_counseling.html")]
struct CounselingPage {
    l: Layout,
    member_id: i64,
    notes: Vec<Note>,
}

pub async fn counseling(ctx: Ctx, Path(id): Path<i64>) -> WebResult<Response> {
    let p = ctx.user()?;
    let notes = ctx.state.app.counseling_notes(p, id).await?;
    render(&CounselingPage { l: ctx.layout(&ctx.t("pv-counseling-title")), member_id: id, notes })
}

pub async fn add_note(ctx: Ctx, Path(id): Path<i64>, FormBody(f): FormBody<NoteInput>) -> WebResult<Response> {
    let p = ctx.user()?;
    ctx.state.app.add_counseling_note(p, id, &f).await?;
    Ok(Redirect::to(&format!("/members/{id}/counseling?done=pv-note-saved")).into_response())
}
