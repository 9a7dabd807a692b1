//! Account administration: list (masked), create, detail (access-logged), roles, tokens.

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use gajok_app::store::orgs::OrgFilter;
use gajok_app::store::tokens::ApiToken;
use gajok_app::users::{RoleInput, UserDetail, UserInput};
use gajok_app::{AppError, authz};
use gajok_domain::code_list::CodeList;
use gajok_domain::role::Role;
use serde::Deserialize;

use crate::context::Ctx;
use crate::error::{WebError, WebResult};
use crate::extract::{FormBody, Q, opt_i64};
use crate::layout::{FieldBuilder, FieldMessages, FormField, Layout, SelectOption};
use crate::pages::{Pager, render};

pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub name: String,
    pub phone: String,
    pub org: String,
    /// (css class, label)
    pub statuses: Vec<(&'static str, String)>,
    pub last_login: String,
}

#[derive(Template)]
#[template(path = "user_list.html")]
struct ListPage {
    l: Layout,
    q: String,
    rows: Vec<UserRow>,
    pager: Pager,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    q: Option<String>,
    page: Option<String>,
    #[serde(rename = "done")]
    _done: Option<String>,
}

pub async fn list(ctx: Ctx, Q(q): Q<ListQuery>) -> WebResult<Response> {
    let p = ctx.user()?;
    let page = ctx.state.app.list_users(p, q.q.as_deref(), opt_i64("page", &q.page)?.unwrap_or(1)).await?;
    let org_ids: Vec<i64> = page.items.iter().map(|u| u.home_org_id).collect();
    let orgs = gajok_app::store::orgs::many(&ctx.state.app.store, &org_ids).await.map_err(AppError::from)?;
    let l = ctx.layout(&ctx.t("user-list-title"));
    let rows = page
        .items
        .iter()
        .map(|u| {
            let mut statuses = vec![if u.active {
                ("ok", ctx.t("user-status-active"))
            } else {
                ("off", ctx.t("user-status-inactive"))
            }];
            if u.locked {
                statuses.push(("warn", ctx.t("user-status-locked")));
            }
            if u.must_change_password {
                statuses.push(("info", ctx.t("user-status-must-change")));
            }
            UserRow {
                id: u.id,
                username: u.username.clone(),
                name: u.display_name_masked.clone(),
                phone: u.phone_masked.clone().unwrap_or_else(|| "-".into()),
                org: orgs.iter().find(|o| o.id == u.home_org_id).map(|o| o.name.clone()).unwrap_or_default(),
                statuses,
                last_login: l.when_opt(&u.last_login_at),
            }
        })
        .collect();
    let pager = Pager::new("/admin/users", &[("q", q.q.clone().unwrap_or_default())], page.page, page.pages());
    render(&ListPage { l, q: q.q.unwrap_or_default(), rows, pager })
}

#[derive(Template)]
#[template(path = "form.html")]
struct FormPage {
    l: Layout,
    action: String,
    submit: String,
    cancel: String,
    message: Option<String>,
    fields: Vec<FormField>,
}

/// Org units the administrator may place accounts in, as select options.
async fn org_options(ctx: &Ctx, selected: Option<&str>) -> WebResult<Vec<SelectOption>> {
    let p = ctx.user()?;
    let f = OrgFilter { scopes: p.scopes(&[Role::SystemAdmin]), limit: 2000, ..Default::default() };
    let (units, _) = gajok_app::store::orgs::list(&ctx.state.app.store, &f).await.map_err(AppError::from)?;
    let mut opts =
        vec![SelectOption { value: String::new(), label: ctx.t("org-select"), selected: selected.is_none() }];
    opts.extend(units.into_iter().map(|u| {
        let value = u.id.to_string();
        SelectOption {
            selected: selected == Some(value.as_str()),
            label: format!("{} · {}", u.kind.label(ctx.lang), u.name),
            value,
        }
    }));
    Ok(opts)
}

async fn new_page(ctx: &Ctx, v: &UserInput, errors: &FieldMessages, message: Option<String>) -> WebResult<Response> {
    let options = org_options(ctx, v.home_org_id.as_deref()).await?;
    let fields = FieldBuilder::new(ctx, errors)
        .text("username", &v.username, true)
        .text("display_name", &v.display_name, true)
        .input("phone", &v.phone, "tel", false)
        .select_options("home_org_id", options, true)
        .input("initial_password", &None, "password", true)
        .hint("password-rule")
        .build();
    render(&FormPage {
        l: ctx.layout(&ctx.t("user-new")),
        action: "/admin/users".into(),
        submit: ctx.t("org-save"),
        cancel: "/admin/users".into(),
        message,
        fields,
    })
}

pub async fn new_form(ctx: Ctx) -> WebResult<Response> {
    let p = ctx.user()?;
    if !authz::can_open_user_admin(p) {
        return Err(WebError::App(AppError::Forbidden));
    }
    new_page(&ctx, &UserInput::default(), &FieldMessages::default(), None).await
}

pub async fn create(ctx: Ctx, FormBody(input): FormBody<UserInput>) -> WebResult<Response> {
    let p = ctx.user()?;
    match ctx.state.app.create_user(p, &input).await {
        Ok(u) => Ok(Redirect::to(&format!("/admin/users/{}?done=user-created", u.id)).into_response()),
        Err(e @ (AppError::Validation(_) | AppError::Conflict { .. })) => {
            let err = WebError::App(e);
            let msgs = FieldMessages::from(&ctx, &err.fields());
            let mut r = new_page(&ctx, &input, &msgs, Some(ctx.t(&format!("error-{}", err.code())))).await?;
            *r.status_mut() = err.status();
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "user_detail.html")]
struct DetailPage {
    l: Layout,
    d: UserDetail,
    fields: Vec<FormField>,
    role_options: Vec<SelectOption>,
    org_options: Vec<SelectOption>,
    new_token: Option<String>,
}

async fn detail_page(ctx: &Ctx, id: i64, new_token: Option<String>) -> WebResult<Response> {
    let p = ctx.user()?;
    let d = ctx.state.app.user_detail(p, id).await?;
    let v = UserInput {
        display_name: Some(d.user.display_name.clone()),
        phone: d.user.phone.clone(),
        active: Some(d.user.active),
        ..Default::default()
    };
    let fields = FieldBuilder::new(ctx, &FieldMessages::default())
        .text("display_name", &v.display_name, true)
        .input("phone", &v.phone, "tel", false)
        .check("active", v.active)
        .build();
    let role_options = Role::ALL
        .iter()
        .map(|r| SelectOption { value: r.code().into(), label: r.label(ctx.lang).into(), selected: false })
        .collect();
    let org_options = org_options(ctx, None).await?.into_iter().skip(1).collect();
    let title = d.user.username.clone();
    render(&DetailPage { l: ctx.layout(&title), d, fields, role_options, org_options, new_token })
}

pub async fn detail(ctx: Ctx, Path(id): Path<i64>) -> WebResult<Response> {
    detail_page(&ctx, id, None).await
}

pub async fn update(ctx: Ctx, Path(id): Path<i64>, FormBody(mut input): FormBody<UserInput>) -> WebResult<Response> {
    let p = ctx.user()?;
    input.active = Some(input.active.unwrap_or(false));
    ctx.state.app.update_user(p, id, &input).await?;
    Ok(Redirect::to(&format!("/admin/users/{id}?done=user-updated")).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResetForm {
    initial_password: Option<String>,
    #[serde(rename = "_csrf")]
    _csrf: Option<String>,
}

pub async fn reset_password(ctx: Ctx, Path(id): Path<i64>, FormBody(f): FormBody<ResetForm>) -> WebResult<Response> {
    let p = ctx.user()?;
    ctx.state.app.reset_password(p, id, f.initial_password.as_deref().unwrap_or("")).await?;
    Ok(Redirect::to(&format!("/admin/users/{id}?done=user-password-reset")).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsrfOnly {
    #[serde(rename = "_csrf")]
    _csrf: Option<String>,
}

pub async fn unlock(ctx: Ctx, Path(id): Path<i64>, FormBody(_): FormBody<CsrfOnly>) -> WebResult<Response> {
    let p = ctx.user()?;
    ctx.state.app.unlock_user(p, id).await?;
    Ok(Redirect::to(&format!("/admin/users/{id}?done=user-unlocked")).into_response())
}

pub async fn add_role(ctx: Ctx, Path(id): Path<i64>, FormBody(input): FormBody<RoleInput>) -> WebResult<Response> {
    let p = ctx.user()?;
    ctx.state.app.assign_role(p, id, &input).await?;
    Ok(Redirect::to(&format!("/admin/users/{id}?done=user-role-added")).into_response())
}

pub async fn remove_role(
    ctx: Ctx,
    Path((id, rid)): Path<(i64, i64)>,
    FormBody(_): FormBody<CsrfOnly>,
) -> WebResult<Response> {
    let p = ctx.user()?;
    ctx.state.app.revoke_role(p, id, rid).await?;
    Ok(Redirect::to(&format!("/admin/users/{id}?done=user-role-removed")).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenForm {
    name: Option<String>,
    #[serde(rename = "_csrf")]
    _csrf: Option<String>,
}

/// Creates a token and shows it once on the account page (not redirected: it must not
/// end up in a URL or the history).
pub async fn create_token(ctx: Ctx, Path(id): Path<i64>, FormBody(f): FormBody<TokenForm>) -> WebResult<Response> {
    let p = ctx.user()?;
    let (token, _) = ctx.state.app.create_token(p, id, f.name.as_deref().unwrap_or("")).await?;
    detail_page(&ctx, id, Some(token)).await
}

#[derive(Template)]
#[template(path = "token_list.html")]
struct TokensPage {
    l: Layout,
    tokens: Vec<ApiToken>,
}

pub async fn tokens(ctx: Ctx) -> WebResult<Response> {
    let p = ctx.user()?;
    let tokens = ctx.state.app.list_tokens(p).await?;
    render(&TokensPage { l: ctx.layout(&ctx.t("nav-tokens")), tokens })
}

pub async fn revoke_token(ctx: Ctx, Path(id): Path<i64>, FormBody(_): FormBody<CsrfOnly>) -> WebResult<Response> {
    let p = ctx.user()?;
    ctx.state.app.revoke_token(p, id).await?;
    Ok(Redirect::to("/admin/tokens?done=user-token-revoked").into_response())
}
