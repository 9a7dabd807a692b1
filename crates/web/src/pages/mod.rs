//! Server-rendered pages, one module per business area.

pub mod account;
pub mod dashboard;
pub mod errors;
pub mod login;
pub mod logs;
pub mod members;
pub mod nanumteo;
pub mod orgs;
pub mod plans;
pub mod privacy;
pub mod privacy_officer;
pub mod programs;
pub mod report_workflow;
pub mod reports;
pub mod simulator;
pub mod users;

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use gajok_app::AppError;

use crate::error::{WebError, WebResult};

pub fn render<T: Template>(t: &T) -> WebResult<Response> {
    t.render()
        .map(|html| Html(html).into_response())
        .map_err(|e| WebError::App(AppError::Internal(format!("template: {e}"))))
}

/// Previous/next links that keep the other query parameters.
pub struct Pager {
    pub page: i64,
    pub pages: i64,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    pub fn new(base: &str, params: &[(&str, String)], page: i64, pages: i64) -> Pager {
        let link = |p: i64| {
            let mut s = form_urlencoded::Serializer::new(String::new());
            for (k, v) in params.iter().filter(|(_, v)| !v.is_empty()) {
                s.append_pair(k, v);
            }
            s.append_pair("page", &p.to_string());
            format!("{base}?{}", s.finish())
        };
        Pager { page, pages, prev: (page > 1).then(|| link(page - 1)), next: (page < pages).then(|| link(page + 1)) }
    }
}
