//! `POST /api/v1/eligibility/{single-parent,family-capacity,visiting-copay}`: the rules
//! calculators over HTTP, with the same JSON as `gajok eligibility`. Public: nothing is
//! stored and no personal data is read, so neither a session nor a CSRF token is needed.

use std::sync::OnceLock;

use axum::body::Bytes;
use axum::http::{HeaderMap, header};
use axum::response::Response;
use gajok_app::AppError;
use gajok_rules::{Calculator, RuleBook, evaluate_json};

use crate::api::ok;
use crate::error::{WebError, WebResult};

/// The parameter files compiled into the binary, loaded once per process.
pub fn book() -> WebResult<&'static RuleBook> {
    static BOOK: OnceLock<Result<RuleBook, String>> = OnceLock::new();
    BOOK.get_or_init(|| RuleBook::embedded().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| WebError::App(AppError::Internal(format!("rule book: {e}"))))
}

/// Checks the content type and evaluates; the body's own bad input names its field.
fn evaluate(calc: Calculator, headers: &HeaderMap, body: &[u8]) -> WebResult<Response> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !is_json {
        return Err(WebError::UnsupportedMediaType);
    }
    let text = std::str::from_utf8(body).map_err(|e| WebError::MalformedJson { field: None, detail: e.to_string() })?;
    let result = evaluate_json(book()?, calc, text).map_err(WebError::Rules)?;
    Ok(ok(result))
}

pub async fn single_parent(headers: HeaderMap, body: Bytes) -> WebResult<Response> {
    evaluate(Calculator::SingleParent, &headers, &body)
}

pub async fn family_capacity(headers: HeaderMap, body: Bytes) -> WebResult<Response> {
    evaluate(Calculator::FamilyCapacity, &headers, &body)
}

pub async fn visiting_copay(headers: HeaderMap, body: Bytes) -> WebResult<Response> {
    evaluate(Calculator::VisitingCopay, &headers, &body)
}
