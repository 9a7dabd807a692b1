//! Membership pages: the member families of a space, the combined application (서식3) for a
//! family, and the 나눔터 panel of the member page (health flag form, applications).

use std::collections::HashMap;

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use gajok_app::nanumteo::membership::{ApplyForm, MemberPanel, MembersView};
use gajok_app::nanumteo::visits::DeskMatch;
use gajok_domain::code_list::CodeList;
use gajok_domain::nanumteo::{HealthStatus, PumasiKind};
use gajok_domain::nanumteo_safety::{JoinMode, PartnerPref, PumasiFrequency};
use serde::Deserialize;

use super::safety::outcome;
use crate::context::Ctx;
use crate::error::{WebError, WebResult};
use crate::extract::{FormBody, Q};
use crate::layout::Layout;
use crate::pages::render;

type Opts = Vec<(&'static str, &'static str)>;

fn opts<T: CodeList>(ctx: &Ctx) -> Opts {
    T::ALL.iter().map(|x| (x.code(), x.label(ctx.lang))).collect()
}

#[derive(Template)]
#[template(path = "nts_members.html")]
struct MembersPage {
    l: Layout,
    v: MembersView,
    q: String,
    matches: Vec<DeskMatch>,
}

#[derive(Deserialize)]
pub struct MembersQuery {
    q: Option<String>,
    #[serde(rename = "done")]
    _done: Option<String>,
}

/// The member families of a space, with a name or phone search to start an application.
pub async fn members(ctx: Ctx, Path(id): Path<i64>, Q(q): Q<MembersQuery>) -> WebResult<Response> {
    let p = ctx.user()?;
    let v = ctx.state.app.nts_members(p, id).await?;
    let q = q.q.unwrap_or_default();
    // The desk's search (access-logged) finds the family in a few keystrokes.
    let matches = if q.trim().is_empty() {
        Vec::new()
    } else {
        ctx.state.app.nanumteo_desk(p, id, Some(&q), None).await?.matches
    };
    render(&MembersPage { l: ctx.layout(&format!("{} · {}", ctx.t("nts-members-title"), v.site.name)), v, q, matches })
}

#[derive(Template)]
#[template(path = "nts_apply.html")]
struct ApplyPage {
    l: Layout,
    v: ApplyForm,
    kinds: Opts,
    frequencies: Opts,
    prefs: Opts,
    modes: Opts,
}

#[derive(Deserialize)]
pub struct ApplyQuery {
    member: Option<String>,
}

pub async fn apply_form(ctx: Ctx, Path(id): Path<i64>, Q(q): Q<ApplyQuery>) -> WebResult<Response> {
    let p = ctx.user()?;
    let member =
        crate::extract::opt_i64("member", &q.member)?.ok_or_else(|| WebError::InvalidQuery("member".into()))?;
    let v = ctx.state.app.nts_apply_form(p, id, member).await?;
    render(&ApplyPage {
        l: ctx.layout(&format!("{} · {}", ctx.t("nts-apply-title"), v.site.name)),
        kinds: opts::<PumasiKind>(&ctx),
        frequencies: opts::<PumasiFrequency>(&ctx),
        prefs: opts::<PartnerPref>(&ctx),
        modes: opts::<JoinMode>(&ctx),
        v,
    })
}

/// Repeated checkboxes (품앗이 types, partner wishes) arrive as repeated keys: joined by commas.
pub async fn apply(ctx: Ctx, Path(id): Path<i64>, FormBody(f): FormBody<Vec<(String, String)>>) -> WebResult<Response> {
    let p = ctx.user()?;
    let mut input: HashMap<String, String> = HashMap::new();
    for (k, v) in f {
        match input.get_mut(&k) {
            Some(x) => {
                x.push(',');
                x.push_str(&v);
            }
            None => {
                input.insert(k, v);
            }
        }
    }
    let back = format!("/nanumteo/spaces/{id}/members");
    let r = ctx.state.app.nts_apply(p, id, &input).await.map(|_| format!("{back}?done=nts-saved"));
    outcome(&ctx, r, &back)
}

#[derive(Template)]
#[template(path = "nts_member_panel.html")]
struct PanelTemplate {
    l: Layout,
    v: MemberPanel,
    statuses: Opts,
}

/// The 나눔터 part of the member page as HTML (empty for callers who do not run spaces).
pub async fn member_panel(ctx: &Ctx, member_id: i64) -> WebResult<String> {
    let p = ctx.user()?;
    let Some(v) = ctx.state.app.nts_member_panel(p, member_id).await? else { return Ok(String::new()) };
    let t = PanelTemplate { l: ctx.layout(""), statuses: opts::<HealthStatus>(ctx), v };
    t.render().map_err(|e| WebError::App(gajok_app::AppError::Internal(format!("template: {e}"))))
}
