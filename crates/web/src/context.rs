//! Per-request context: who is asking (session cookie or API token), in which language,
//! from where; CSRF protection for every state-changing request; the forced password
//! change; and the rendering of errors into HTML pages or JSON bodies.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use gajok_app::auth::random_token;
use gajok_app::principal::AuthVia;
use gajok_app::{AppError, Principal};
use gajok_domain::text::Lang;

use crate::error::{ErrorMarker, WebError};
use crate::layout::Layout;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "gajok_session";
pub const CSRF_COOKIE: &str = "gajok_csrf";
pub const LANG_COOKIE: &str = "gajok_lang";
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Public calculators exempt from the CSRF check (see the middleware).
pub const ELIGIBILITY_API_PREFIX: &str = "/api/v1/eligibility/";
/// Largest request body accepted anywhere (the API promises 1 MiB).
pub const BODY_LIMIT: usize = 1024 * 1024;

#[derive(Clone)]
pub struct Ctx {
    pub lang: Lang,
    pub principal: Option<Arc<Principal>>,
    /// The raw session token from the cookie (for logout).
    pub session_token: Option<String>,
    /// The CSRF token that forms of this response must carry.
    pub csrf: String,
    pub client_addr: Option<String>,
    pub path: String,
    pub query: String,
    pub state: AppState,
}

impl Ctx {
    pub fn user(&self) -> Result<&Principal, WebError> {
        self.principal.as_deref().ok_or(WebError::App(AppError::Unauthenticated))
    }

    pub fn layout(&self, title: &str) -> Layout {
        Layout::new(self, title)
    }

    pub fn t(&self, key: &str) -> String {
        self.state.i18n.t(self.lang, key, &[])
    }
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or(WebError::App(AppError::Internal("context middleware missing".into())))
    }
}

pub fn cookies(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('=').map(|(k, v)| (k.trim().to_string(), v.trim().to_string())))
        .collect()
}

fn cookie(jar: &[(String, String)], name: &str) -> Option<String> {
    jar.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).filter(|v| !v.is_empty())
}

/// A `Set-Cookie` value with the attributes every gajok cookie has.
pub fn set_cookie(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> HeaderValue {
    let mut s = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(a) = max_age {
        s.push_str(&format!("; Max-Age={a}"));
    }
    if secure {
        s.push_str("; Secure");
    }
    HeaderValue::from_str(&s).unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Paths a user who must change their password may still use.
fn allowed_before_password_change(path: &str) -> bool {
    path == "/account/password"
        || path == "/logout"
        || path == "/lang"
        || path.starts_with("/static/")
        || path == "/healthz"
}

pub async fn middleware(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let jar = cookies(&parts.headers);
    let path = parts.uri.path().to_string();
    let is_api = path.starts_with("/api/");
    let secure =
        st.secure_cookies || parts.headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()) == Some("https");

    let accept_en = parts
        .headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().starts_with("en"));
    let lang = cookie(&jar, LANG_COOKIE).and_then(|v| Lang::parse(&v)).unwrap_or(if is_api && accept_en {
        Lang::En
    } else {
        Lang::Ko
    });

    let client_addr = client_addr(&parts, st.trust_proxy);

    let bearer = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|v| v.trim().to_string());
    let session_token = cookie(&jar, SESSION_COOKIE);
    let mut session_expired = false;
    let principal = match (&bearer, &session_token) {
        (Some(b), _) => st.app.token_principal(b, client_addr.as_deref()).await,
        (None, Some(s)) => {
            let p = st.app.session_principal(s, client_addr.as_deref()).await;
            session_expired = matches!(p, Ok(None));
            p
        }
        (None, None) => Ok(None),
    };
    let principal = match principal {
        Ok(p) => p.map(Arc::new),
        Err(e) => return finish_error(&st, lang, None, is_api, WebError::App(e)),
    };
    if let (Some(p), Some(slot)) = (principal.as_deref(), parts.extensions.get::<crate::observe::RequestUser>()) {
        slot.set(p.user.id);
    }

    let (csrf, new_csrf) = match cookie(&jar, CSRF_COOKIE) {
        Some(c) if c.len() == 64 && c.bytes().all(|b| b.is_ascii_hexdigit()) => (c, false),
        _ => (random_token(32), true),
    };

    let mut body = body;
    let unsafe_method = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method {
        // A bearer token is not sent by browsers on their own, so it needs no CSRF token.
        // The eligibility API is exempt too: it is public, stateless, writes nothing and
        // ignores the session, so a forged cross-site request can do nothing a stranger
        // could not do directly; callers (scripts, curl) have no cookie to pair a token with.
        if bearer.is_none() && !path.starts_with(ELIGIBILITY_API_PREFIX) {
            let (ok, rebuilt) = check_csrf(&parts, body, if new_csrf { None } else { Some(&csrf) }).await;
            body = rebuilt;
            match ok {
                Ok(true) => {}
                Ok(false) => {
                    return finish_error(&st, lang, principal.as_deref(), is_api, WebError::Csrf);
                }
                Err(e) => return finish_error(&st, lang, principal.as_deref(), is_api, e),
            }
        }
    }

    if let Some(p) = principal.as_deref()
        && p.via == AuthVia::Session
        && p.user.must_change_password
        && !allowed_before_password_change(&path)
    {
        if is_api {
            return finish_error(&st, lang, Some(p), true, WebError::App(AppError::PasswordChangeRequired));
        }
        return Redirect::to("/account/password").into_response();
    }

    let ctx = Ctx {
        lang,
        principal: principal.clone(),
        session_token: session_token.clone(),
        csrf: csrf.clone(),
        client_addr,
        path: path.clone(),
        query: parts.uri.query().unwrap_or("").to_string(),
        state: st.clone(),
    };
    parts.extensions.insert(ctx.clone());
    let req = Request::from_parts(parts, body);
    let mut res = next.run(req).await;

    if let Some(ErrorMarker(err)) = res.extensions().get::<ErrorMarker>().cloned() {
        if !is_api && matches!(&*err, WebError::App(AppError::Unauthenticated)) {
            let to = if session_expired {
                "/login?expired=1".to_string()
            } else {
                format!("/login?next={}", encode_next(&ctx))
            };
            res = Redirect::to(&to).into_response();
        } else {
            let status = res.status();
            let mut rendered = render_error(&ctx, is_api, &err);
            *rendered.status_mut() = status;
            res = rendered;
        }
    }
    if new_csrf {
        res.headers_mut().append(header::SET_COOKIE, set_cookie(CSRF_COOKIE, &csrf, None, secure));
    }
    if session_expired {
        res.headers_mut().append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, "", Some(0), secure));
    }
    res
}

/// Route layer of every non-public route: no principal, no entry.
pub async fn require_user(req: Request, next: Next) -> Response {
    let signed_in = req.extensions().get::<Ctx>().is_some_and(|c| c.principal.is_some());
    if !signed_in {
        return WebError::App(AppError::Unauthenticated).into_response();
    }
    next.run(req).await
}

fn encode_next(ctx: &Ctx) -> String {
    let target = if ctx.query.is_empty() { ctx.path.clone() } else { format!("{}?{}", ctx.path, ctx.query) };
    form_urlencoded::byte_serialize(target.as_bytes()).collect()
}

fn client_addr(parts: &Parts, trust_proxy: bool) -> Option<String> {
    if trust_proxy
        && let Some(xff) = parts.headers.get("x-forwarded-for").and_then(|v| v.to_str().ok())
        && let Some(first) = xff.split(',').next()
    {
        return Some(first.trim().to_string());
    }
    parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ci| ci.0.ip().to_string())
}

/// Compares the CSRF cookie with the `X-CSRF-Token` header or, for a form, its `_csrf`
/// field. The body is read (up to the limit) and handed back for the handler.
async fn check_csrf(parts: &Parts, body: Body, expected: Option<&str>) -> (Result<bool, WebError>, Body) {
    let header_token = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).map(str::to_string);
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let (given, body) = match (header_token, is_form) {
        (Some(t), _) => (Some(t), body),
        (None, true) => match axum::body::to_bytes(body, BODY_LIMIT).await {
            Ok(bytes) => {
                let t = form_urlencoded::parse(&bytes).find(|(k, _)| k == "_csrf").map(|(_, v)| v.into_owned());
                (t, Body::from(bytes))
            }
            Err(_) => return (Err(WebError::PayloadTooLarge), Body::empty()),
        },
        (None, false) => (None, body),
    };
    let ok = matches!((expected, given.as_deref()), (Some(e), Some(g)) if constant_time_eq(e, g));
    (Ok(ok), body)
}

fn finish_error(st: &AppState, lang: Lang, p: Option<&Principal>, is_api: bool, err: WebError) -> Response {
    let status = err.status();
    if matches!(err, WebError::App(AppError::Store(_) | AppError::Internal(_))) {
        tracing::error!(error = %err, "request failed before routing");
    }
    let ctx = Ctx {
        lang,
        principal: p.map(|p| Arc::new(p.clone())),
        session_token: None,
        csrf: String::new(),
        client_addr: None,
        path: String::new(),
        query: String::new(),
        state: st.clone(),
    };
    let mut r = render_error(&ctx, is_api, &err);
    *r.status_mut() = status;
    r
}

/// JSON: `{"error": {"code", "message", "fields": [{"field", "code", "message", "allowed"}]}}`.
/// HTML: the error page in the layout.
pub fn render_error(ctx: &Ctx, is_api: bool, err: &WebError) -> Response {
    let i18n = &ctx.state.i18n;
    let until;
    let args: &[(&str, &str)] = match err {
        WebError::App(AppError::Locked { until: u }) => {
            until = gajok_domain::time::from_db(u).map(gajok_domain::time::display_kst).unwrap_or_else(|| u.clone());
            &[("until", until.as_str())]
        }
        _ => &[],
    };
    let message = i18n.t(ctx.lang, &format!("error-{}", err.code()), args);
    let fields: Vec<serde_json::Value> = err
        .fields()
        .iter()
        .map(|f| {
            let mut msg = i18n.t(ctx.lang, &format!("fe-{}", f.code), &[]);
            if !f.allowed.is_empty() {
                msg = format!("{msg} {}", i18n.t(ctx.lang, "fe-allowed", &[("values", &f.allowed.join(", "))]));
            }
            serde_json::json!({
                "field": f.field,
                "label": i18n.t(ctx.lang, &format!("field-{}", f.field), &[]),
                "code": f.code,
                "message": msg,
                "allowed": f.allowed,
            })
        })
        .collect();
    if is_api {
        let body = serde_json::json!({ "error": { "code": err.code(), "message": message, "fields": fields } });
        return (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response();
    }
    crate::pages::errors::error_page(ctx, err.code(), &message, &fields)
}
