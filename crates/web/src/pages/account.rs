//! Changing one's own password (also the forced change of an initial password).

use askama::Template;
use axum::response::{IntoResponse, Redirect, Response};
use gajok_app::AppError;
use serde::Deserialize;

use crate::context::Ctx;
use crate::error::WebResult;
use crate::extract::FormBody;
use crate::layout::{FieldBuilder, FieldMessages, FormField, Layout};
use crate::pages::render;

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    l: Layout,
    forced: bool,
    fields: Vec<FormField>,
}

fn page(ctx: &Ctx, errors: &FieldMessages) -> WebResult<Response> {
    let forced = ctx.principal.as_deref().is_some_and(|p| p.user.must_change_password);
    let fields = FieldBuilder::new(ctx, errors)
        .input("current_password", &None, "password", true)
        .input("new_password", &None, "password", true)
        .input("confirm_password", &None, "password", true)
        .build();
    render(&PasswordPage { l: ctx.layout(&ctx.t("password-title")), forced, fields })
}

pub async fn form(ctx: Ctx) -> WebResult<Response> {
    ctx.user()?;
    page(&ctx, &FieldMessages::default())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordForm {
    current_password: Option<String>,
    new_password: Option<String>,
    confirm_password: Option<String>,
    #[serde(rename = "_csrf")]
    _csrf: Option<String>,
}

pub async fn submit(ctx: Ctx, FormBody(f): FormBody<PasswordForm>) -> WebResult<Response> {
    let p = ctx.user()?;
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    match ctx.state.app.change_password(p, &s(&f.current_password), &s(&f.new_password), &s(&f.confirm_password)).await
    {
        Ok(()) => Ok(Redirect::to("/?done=password-changed").into_response()),
        Err(AppError::Validation(errs)) => {
            let mut r = page(&ctx, &FieldMessages::from(&ctx, &errs.0))?;
            *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}
