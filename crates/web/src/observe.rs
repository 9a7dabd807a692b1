//! Request ids and one log line per request.
//!
//! Every request gets an id: the caller's `X-Request-Id` when it is a plain token (so a
//! proxy's id runs through), else a new random one. It is echoed in the response and is a
//! field of the span every log line of the request is written in. When the request ends one
//! line says what happened: method, route template (`/members/{id}`, never the concrete path or
//! the query string, which can hold a searched name), status, duration and the signed-in
//! user's id. No personal data goes into the line.

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Filled in by the session middleware once it knows who is asking, read back for the log line.
#[derive(Clone, Default)]
pub struct RequestUser(Arc<OnceLock<i64>>);

impl RequestUser {
    pub fn set(&self, user_id: i64) {
        let _ = self.0.set(user_id);
    }
}

/// The request's id, for handlers and error pages that want to show or log it.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// A caller's id is kept only when it is 1–64 characters of letters, digits, `-`, `_`, `.`:
/// anything else could forge log lines or carry data, and is replaced.
fn accepted(v: &HeaderValue) -> Option<String> {
    let s = v.to_str().ok()?;
    let ok = !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
    ok.then(|| s.to_string())
}

fn new_id() -> String {
    gajok_app::auth::random_token(12)
}

pub async fn requests(mut req: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = req.headers().get(REQUEST_ID_HEADER).and_then(accepted).unwrap_or_else(new_id);
    let method = req.method().clone();
    let route = req.extensions().get::<MatchedPath>().map_or("(no route)", |m| m.as_str()).to_string();
    let user = RequestUser::default();
    req.extensions_mut().insert(user.clone());
    req.extensions_mut().insert(RequestId(id.clone()));
    let span = tracing::info_span!("request", request_id = %id);
    let mut res = next.run(req).instrument(span.clone()).await;
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(REQUEST_ID_HEADER, v);
    }
    let status = res.status().as_u16();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let user_id = user.0.get().copied();
    span.in_scope(|| match user_id {
        Some(u) => tracing::info!(target: "gajok::request", %method, %route, status, ms, user_id = u, "request"),
        None => tracing::info!(target: "gajok::request", %method, %route, status, ms, "request"),
    });
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_callers_id_is_kept_only_when_it_is_a_plain_token() {
        assert_eq!(accepted(&HeaderValue::from_static("abc-123_x.y")).as_deref(), Some("abc-123_x.y"));
        assert_eq!(accepted(&HeaderValue::from_static("a b")), None);
        assert_eq!(accepted(&HeaderValue::from_static("")), None);
        assert_eq!(accepted(&HeaderValue::from_str(&"a".repeat(65)).unwrap()), None);
        let id = new_id();
        assert_eq!(id.len(), 24);
        assert!(accepted(&HeaderValue::from_str(&id).unwrap()).is_some());
    }
}
