//! The one mapping from errors to responses. Handlers return [`WebError`]; its response
//! carries the error as an extension, and the context middleware renders it as an HTML
//! page or a JSON body in the caller's language (it knows the language and the user).

use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gajok_app::AppError;
use gajok_domain::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error(transparent)]
    App(#[from] AppError),
    #[error("csrf token missing or wrong")]
    Csrf,
    #[error("body too large")]
    PayloadTooLarge,
    #[error("malformed json: {detail}")]
    MalformedJson { field: Option<String>, detail: String },
    #[error("unknown field {0}")]
    UnknownField(String),
    #[error("content type must be application/json")]
    UnsupportedMediaType,
    #[error("invalid query parameter {0}")]
    InvalidQuery(String),
    #[error("no such route")]
    RouteNotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    /// A request the eligibility calculators refuse (`gajok_rules::InputError`).
    #[error("{0}")]
    Rules(gajok_rules::InputError),
}

impl WebError {
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::App(e) => match e {
                AppError::Unauthenticated | AppError::BadCredentials => StatusCode::UNAUTHORIZED,
                AppError::PasswordChangeRequired | AppError::Forbidden => StatusCode::FORBIDDEN,
                AppError::NotFound => StatusCode::NOT_FOUND,
                AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
                AppError::Conflict { .. } => StatusCode::CONFLICT,
                AppError::Locked { .. } => StatusCode::LOCKED,
                AppError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
                AppError::Store(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            },
            WebError::Csrf => StatusCode::FORBIDDEN,
            WebError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            WebError::MalformedJson { .. } | WebError::UnknownField(_) | WebError::InvalidQuery(_) => {
                StatusCode::BAD_REQUEST
            }
            WebError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            WebError::RouteNotFound => StatusCode::NOT_FOUND,
            WebError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            WebError::Rules(e) if e.code == gajok_rules::error::codes::INVALID_JSON => StatusCode::BAD_REQUEST,
            WebError::Rules(_) => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }

    /// Stable error code (JSON `error.code`, translation key `error-<code>`).
    pub fn code(&self) -> &'static str {
        match self {
            WebError::App(e) => e.code(),
            WebError::Csrf => "csrf_failed",
            WebError::PayloadTooLarge => "payload_too_large",
            WebError::MalformedJson { .. } => "malformed_json",
            WebError::UnknownField(_) => "unknown_field",
            WebError::UnsupportedMediaType => "unsupported_media_type",
            WebError::InvalidQuery(_) => "invalid_query",
            WebError::RouteNotFound => "route_not_found",
            WebError::MethodNotAllowed => "method_not_allowed",
            WebError::Rules(e) if e.code == gajok_rules::error::codes::INVALID_JSON => "malformed_json",
            WebError::Rules(_) => "invalid_input",
        }
    }

    /// The fields to name in the response.
    pub fn fields(&self) -> Vec<FieldError> {
        match self {
            WebError::App(AppError::Validation(errs)) => errs.0.clone(),
            WebError::App(AppError::Conflict { code, field }) => {
                vec![FieldError::new(*field, code)]
            }
            WebError::MalformedJson { field: Some(f), .. } => {
                vec![FieldError::new(f.clone(), "malformed")]
            }
            WebError::UnknownField(f) => vec![FieldError::new(f.clone(), "unknown_field")],
            WebError::InvalidQuery(f) => vec![FieldError::new(f.clone(), "malformed")],
            WebError::Rules(e) if !e.field.is_empty() => {
                vec![FieldError::new(e.field.clone(), rules_code(&e.code)).with_allowed(e.allowed.clone())]
            }
            _ => Vec::new(),
        }
    }
}

/// The rules crate's stable field-error codes as the `&'static str` a [`FieldError`] holds.
pub fn rules_code(code: &str) -> &'static str {
    use gajok_rules::error::codes::*;
    [
        INVALID_JSON,
        MISSING_FIELD,
        UNKNOWN_FIELD,
        UNKNOWN_ENUM_VALUE,
        INVALID_TYPE,
        INVALID_DATE,
        NEGATIVE_AMOUNT,
        OUT_OF_RANGE,
        BIRTH_AFTER_EVALUATION,
        INCONSISTENT_FIELDS,
    ]
    .into_iter()
    .find(|c| *c == code)
    .unwrap_or("invalid")
}

/// Marker put on an error response for the context middleware to render.
#[derive(Clone)]
pub struct ErrorMarker(pub Arc<WebError>);

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        if let WebError::App(AppError::Store(e)) = &self {
            tracing::error!(error = %e, "storage error");
        }
        if let WebError::App(AppError::Internal(e)) = &self {
            tracing::error!(error = %e, "internal error");
        }
        let mut r = self.status().into_response();
        r.extensions_mut().insert(ErrorMarker(Arc::new(self)));
        r
    }
}

pub type WebResult<T> = Result<T, WebError>;
