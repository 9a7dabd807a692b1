//! Request extractors that turn bad input into [`WebError`]s naming the field.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::WebError;
use crate::state::AppState;

/// A JSON body: `Content-Type: application/json`, at most 1 MiB, every field known.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !is_json {
            return Err(WebError::UnsupportedMediaType);
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|_| WebError::PayloadTooLarge)?;
        parse_json(&bytes).map(ApiJson)
    }
}

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, WebError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let msg = inner.to_string();
        if let Some(rest) = msg.strip_prefix("unknown field `")
            && let Some(name) = rest.split('`').next()
        {
            return WebError::UnknownField(name.to_string());
        }
        if let Some(rest) = msg.strip_prefix("missing field `")
            && let Some(name) = rest.split('`').next()
        {
            let mut errs = gajok_domain::FieldErrors::new();
            errs.push(gajok_domain::FieldError::new(name, "required"));
            return WebError::App(gajok_app::AppError::Validation(errs));
        }
        let field = if path == "." || path.is_empty() { None } else { Some(path) };
        WebError::MalformedJson { field, detail: msg }
    })
}

/// Query parameters into a struct; a bad value names the parameter.
pub struct Q<T>(pub T);

impl<T: DeserializeOwned> FromRequestParts<AppState> for Q<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        let q = parts.uri.query().unwrap_or("");
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(q.as_bytes()));
        serde_path_to_error::deserialize(de).map(Q).map_err(|e| {
            let msg = e.inner().to_string();
            let field = msg
                .strip_prefix("unknown field `")
                .and_then(|r| r.split('`').next())
                .map(str::to_string)
                .unwrap_or_else(|| e.path().to_string());
            WebError::InvalidQuery(field)
        })
    }
}

/// An HTML form body (`application/x-www-form-urlencoded`).
pub struct FormBody<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for FormBody<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state).await.map_err(|_| WebError::PayloadTooLarge)?;
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(&bytes));
        serde_path_to_error::deserialize(de).map(FormBody).map_err(|e| {
            let msg = e.inner().to_string();
            match msg.strip_prefix("unknown field `").and_then(|r| r.split('`').next()) {
                Some(name) => WebError::UnknownField(name.to_string()),
                None => WebError::MalformedJson { field: Some(e.path().to_string()), detail: msg },
            }
        })
    }
}

/// Parses an optional numeric query value, naming it when it is not a number.
pub fn opt_i64(name: &str, v: &Option<String>) -> Result<Option<i64>, WebError> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|_| WebError::InvalidQuery(name.to_string())),
    }
}
