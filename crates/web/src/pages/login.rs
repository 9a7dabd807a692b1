//! Sign in, sign out, and the language switch.

use askama::Template;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use gajok_app::AppError;
use serde::Deserialize;

use crate::context::{Ctx, LANG_COOKIE, SESSION_COOKIE, set_cookie};
use crate::error::{WebError, WebResult};
use crate::extract::{FormBody, Q};
use crate::layout::Layout;
use crate::pages::render;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    l: Layout,
    username: String,
    next: String,
    message: Option<String>,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct LoginQuery {
    expired: Option<String>,
    next: Option<String>,
    done: Option<String>,
}

/// Only same-site paths may be a post-login target.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}

pub async fn form(ctx: Ctx, Q(q): Q<LoginQuery>) -> WebResult<Response> {
    if ctx.principal.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    let notice = if q.expired.is_some() {
        Some(ctx.t("login-expired"))
    } else if q.done.as_deref() == Some("login-logged-out") {
        Some(ctx.t("login-logged-out"))
    } else {
        None
    };
    render(&LoginPage {
        l: ctx.layout(&ctx.t("login-title")),
        username: String::new(),
        next: safe_next(q.next.as_deref()),
        message: None,
        notice,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginForm {
    username: Option<String>,
    password: Option<String>,
    next: Option<String>,
    #[serde(rename = "_csrf")]
    _csrf: Option<String>,
}

pub async fn submit(ctx: Ctx, headers: axum::http::HeaderMap, FormBody(f): FormBody<LoginForm>) -> WebResult<Response> {
    let username = f.username.unwrap_or_default();
    let agent = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok());
    match ctx.state.app.login(&username, f.password.as_deref().unwrap_or(""), ctx.client_addr.as_deref(), agent).await {
        Ok((token, p)) => {
            let secure = ctx.state.secure_cookies
                || headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()) == Some("https");
            let to = if p.user.must_change_password {
                "/account/password".to_string()
            } else {
                safe_next(f.next.as_deref())
            };
            let mut r = Redirect::to(&to).into_response();
            r.headers_mut().append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, &token, None, secure));
            Ok(r)
        }
        Err(e @ (AppError::BadCredentials | AppError::Locked { .. } | AppError::TooManyAttempts { .. })) => {
            let err = WebError::App(e);
            let message = match &err {
                WebError::App(AppError::Locked { until }) => {
                    let shown =
                        gajok_domain::time::from_db(until).map(gajok_domain::time::display_kst).unwrap_or_default();
                    ctx.state.i18n.t(ctx.lang, "error-account_locked", &[("until", &shown)])
                }
                WebError::App(AppError::TooManyAttempts { retry_after_minutes }) => ctx.state.i18n.t(
                    ctx.lang,
                    "pr-login-rate-limited",
                    &[("minutes", &retry_after_minutes.to_string())],
                ),
                _ => ctx.t("error-bad_credentials"),
            };
            let page = LoginPage {
                l: ctx.layout(&ctx.t("login-title")),
                username,
                next: safe_next(f.next.as_deref()),
                message: Some(message),
                notice: None,
            };
            let mut r = render(&page)?;
            *r.status_mut() = err.status();
            if let WebError::App(AppError::TooManyAttempts { retry_after_minutes }) = &err {
                r.headers_mut().insert(header::RETRY_AFTER, (retry_after_minutes * 60).into());
            }
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogoutForm {
    #[serde(rename = "_csrf")]
    _csrf: Option<String>,
}

pub async fn logout(ctx: Ctx, FormBody(_): FormBody<LogoutForm>) -> WebResult<Response> {
    let p = ctx.user()?;
    if let Some(token) = &ctx.session_token {
        ctx.state.app.logout(p, token).await?;
    }
    let mut r = Redirect::to("/login?done=login-logged-out").into_response();
    r.headers_mut().append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, "", Some(0), ctx.state.secure_cookies));
    Ok(r)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LangForm {
    lang: String,
    back: Option<String>,
    #[serde(rename = "_csrf")]
    _csrf: Option<String>,
}

pub async fn set_lang(ctx: Ctx, FormBody(f): FormBody<LangForm>) -> WebResult<Response> {
    let lang = gajok_domain::text::Lang::parse(&f.lang).ok_or_else(|| WebError::InvalidQuery("lang".into()))?;
    let mut r = Redirect::to(&safe_next(f.back.as_deref())).into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(LANG_COOKIE, lang.code(), Some(365 * 24 * 3600), ctx.state.secure_cookies),
    );
    Ok(r)
}
