//! The error page.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};

use crate::context::Ctx;
use crate::layout::Layout;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    l: Layout,
    code: String,
    message: String,
    fields: Vec<(String, String)>,
}

pub fn error_page(ctx: &Ctx, code: &str, message: &str, fields: &[serde_json::Value]) -> Response {
    let fields = fields
        .iter()
        .map(|f| {
            let s = |k: &str| f.get(k).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            (s("label"), s("message"))
        })
        .collect();
    let page = ErrorPage {
        l: Layout::new(ctx, &ctx.t("error-title")),
        code: code.to_string(),
        message: message.to_string(),
        fields,
    };
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(_) => message.to_string().into_response(),
    }
}
