//! 공동육아나눔터 and 가족품앗이 pages: spaces and their rule checks, the desk, the library,
//! and 품앗이 groups with plans, activity logs and money.

pub mod desk;
pub mod groups;
pub mod library;
pub mod membership;
pub mod obligations;
pub mod pumasi;
pub mod report;
pub mod safety;
pub mod spaces;

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gajok_app::nanumteo::{NtError, Refusal};

use crate::context::Ctx;
use crate::error::{WebError, WebResult};
use crate::layout::Layout;
use crate::pages::render;

#[derive(Template)]
#[template(path = "nanumteo_refused.html")]
struct RefusedPage {
    l: Layout,
    message: String,
    rule: String,
    back: String,
}

/// The Korean (or English) sentence of a refusal, with the rule id and the numbers.
pub fn refusal_message(ctx: &Ctx, r: &Refusal) -> String {
    refusal_message_in(ctx, "nt-refused-", r)
}

/// A refusal's sentence from the message family `prefix` (each part of 나눔터 has its own).
pub fn refusal_message_in(ctx: &Ctx, prefix: &str, r: &Refusal) -> String {
    let mut args: Vec<(&str, &str)> = r.args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    args.push(("rule", r.rule.as_str()));
    ctx.state.i18n.t(ctx.lang, &format!("{prefix}{}", r.code), &args)
}

/// A refusal by rule is a 409 page that names the rule; other errors go the usual way.
pub fn outcome(ctx: &Ctx, r: Result<String, NtError>, back: &str) -> WebResult<Response> {
    outcome_in(ctx, "nt-refused-", r, back)
}

/// [`outcome`] with the refusal sentences of the message family `prefix`.
pub fn outcome_in(ctx: &Ctx, prefix: &str, r: Result<String, NtError>, back: &str) -> WebResult<Response> {
    match r {
        Ok(to) => Ok(Redirect::to(&to).into_response()),
        Err(NtError::Refused(refusal)) => {
            let page = RefusedPage {
                l: ctx.layout(&ctx.t("nt-refused-title")),
                message: refusal_message_in(ctx, prefix, &refusal),
                rule: refusal.rule.clone(),
                back: back.to_string(),
            };
            let mut resp = render(&page)?;
            *resp.status_mut() = StatusCode::CONFLICT;
            Ok(resp)
        }
        Err(NtError::App(e)) => Err(WebError::App(e)),
    }
}
