//! The JSON API under `/api/v1`: the same use cases and authorization as the pages.
//! Authenticated by the session cookie (plus `X-CSRF-Token` for writes) or by
//! `Authorization: Bearer <token>`. Errors: `{"error": {"code", "message", "fields"}}`.

pub mod eligibility;
pub mod logs;
pub mod me;
pub mod openapi;
pub mod orgs;
pub mod users;
pub mod work;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

pub fn ok<T: Serialize>(v: T) -> Response {
    Json(v).into_response()
}

pub fn created<T: Serialize>(v: T) -> Response {
    (StatusCode::CREATED, Json(v)).into_response()
}
