//! Public benefit simulators (모의계산): a form a parent can fill in, and the result on the
//! same page — eligibility, amounts, the payment calendar, the explanation, the readings
//! used — computed by `gajok-rules` exactly as `POST /api/v1/eligibility/...` computes it.
//! Nothing is stored and nobody needs to sign in.

mod family_capacity;
mod form;
mod single_parent;
mod view;
mod visiting_copay;

use askama::Template;
use axum::body::Bytes;
use axum::response::Response;
use chrono::{Datelike, NaiveDate, Utc};
use gajok_rules::{Calculator, RuleBook, evaluate_json};

use crate::api::eligibility::book;
use crate::context::Ctx;
use crate::error::WebResult;
use crate::layout::{FieldMessages, FormField, Layout};
use crate::pages::render;
use form::{ChildRow, FormData};
use view::ResultView;

#[derive(Template)]
#[template(path = "simulator.html")]
struct IndexPage {
    l: Layout,
    calculators: Vec<CalcCard>,
}

struct CalcCard {
    href: String,
    title: String,
    summary: String,
    coverage: String,
}

#[derive(Template)]
#[template(path = "simulator_calc.html")]
struct CalcPage {
    l: Layout,
    action: String,
    intro: String,
    coverage: String,
    message: Option<String>,
    fields: Vec<FormField>,
    child_title: String,
    child_headers: Vec<String>,
    child_rows: Vec<ChildRow>,
    result: Option<ResultView>,
    /// For center staff: the request to attach to a member's record, and the calculator.
    attach: Option<(String, String)>,
}

fn title_key(calc: Calculator) -> &'static str {
    match calc {
        Calculator::SingleParent => "sim-sp-title",
        Calculator::FamilyCapacity => "sim-fc-title",
        Calculator::VisitingCopay => "sim-vc-title",
    }
}

fn summary_key(calc: Calculator) -> &'static str {
    match calc {
        Calculator::SingleParent => "sim-sp-summary",
        Calculator::FamilyCapacity => "sim-fc-summary",
        Calculator::VisitingCopay => "sim-vc-summary",
    }
}

/// The periods the shipped parameter tables cover, e.g. "2023-01-01 ~ 2023-12-31".
fn coverage(ctx: &Ctx, book: &RuleBook, calc: Calculator) -> String {
    let spans: Vec<String> =
        book.coverage(calc).iter().map(|i| format!("{} ~ {}", i.effective_from, i.effective_until)).collect();
    ctx.state.i18n.t(ctx.lang, "sim-coverage", &[("periods", &spans.join(", "))])
}

/// Today (Korean time) when a table covers it; otherwise the same day in the latest year
/// that has one, kept inside that table's period — so a first look gives an answer rather
/// than "no parameters", and the page says which year it used.
fn default_date(book: &RuleBook, calc: Calculator) -> NaiveDate {
    let today = gajok_domain::time::kst_date(Utc::now());
    let spans = book.coverage(calc);
    if spans.iter().any(|s| s.effective_from <= today && today <= s.effective_until) {
        return today;
    }
    let Some(last) = spans.last() else {
        return today;
    };
    let year = last.effective_until.year();
    let same_day = NaiveDate::from_ymd_opt(year, today.month(), today.day().min(28)).unwrap_or(last.effective_until);
    same_day.clamp(last.effective_from, last.effective_until)
}

pub async fn index(ctx: Ctx) -> WebResult<Response> {
    let book = book()?;
    let calculators = Calculator::ALL
        .into_iter()
        .map(|c| CalcCard {
            href: format!("/simulator/{c}"),
            title: ctx.t(title_key(c)),
            summary: ctx.t(summary_key(c)),
            coverage: coverage(&ctx, book, c),
        })
        .collect();
    render(&IndexPage { l: ctx.layout(&ctx.t("sim-title")), calculators })
}

/// What a calculator page needs to know about its form.
struct FormSpec {
    fields: Vec<FormField>,
    child_title: String,
    child_headers: Vec<String>,
    child_rows: Vec<ChildRow>,
}

fn spec(ctx: &Ctx, calc: Calculator, data: &FormData, errors: &FieldMessages) -> FormSpec {
    match calc {
        Calculator::SingleParent => single_parent::form(ctx, data, errors),
        Calculator::FamilyCapacity => family_capacity::form(ctx, data, errors),
        Calculator::VisitingCopay => visiting_copay::form(ctx, data, errors),
    }
}

fn page(
    ctx: &Ctx,
    calc: Calculator,
    data: &FormData,
    errors: &FieldMessages,
    message: Option<String>,
    result: Option<ResultView>,
    attach: Option<String>,
) -> WebResult<Response> {
    let FormSpec { fields, child_title, child_headers, child_rows } = spec(ctx, calc, data, errors);
    render(&CalcPage {
        l: ctx.layout(&ctx.t(title_key(calc))),
        action: format!("/simulator/{calc}"),
        intro: ctx.t(summary_key(calc)),
        coverage: coverage(ctx, book()?, calc),
        message,
        fields,
        child_title,
        child_headers,
        child_rows,
        result,
        attach: attach
            .filter(|_| ctx.principal.as_deref().is_some_and(|p| !gajok_app::authz::member_centers(p).is_empty()))
            .map(|json| (calc.to_string(), json)),
    })
}

async fn show_form(ctx: Ctx, calc: Calculator) -> WebResult<Response> {
    let mut data = FormData::default();
    data.set("evaluation_date", default_date(book()?, calc).to_string().as_str());
    page(&ctx, calc, &data, &FieldMessages::default(), None, None, None)
}

/// Form → request JSON → the same evaluation as the API → the result under the form, or
/// the form again with the fields at fault named.
async fn submit(ctx: Ctx, calc: Calculator, body: Bytes) -> WebResult<Response> {
    let data = FormData::parse(&body);
    let built = match calc {
        Calculator::SingleParent => single_parent::request(&data),
        Calculator::FamilyCapacity => family_capacity::request(&data),
        Calculator::VisitingCopay => visiting_copay::request(&data),
    };
    let (request, rows) = match built {
        Ok(r) => r,
        Err(errs) => {
            let msgs = FieldMessages::from(&ctx, &errs);
            return page(&ctx, calc, &data, &msgs, Some(ctx.t("sim-fix-errors")), None, None);
        }
    };
    let book = book()?;
    match evaluate_json(book, calc, &request.to_string()) {
        Ok(result) => {
            let view = match calc {
                Calculator::SingleParent => single_parent::result(&ctx, book, &result),
                Calculator::FamilyCapacity => family_capacity::result(&ctx, &result),
                Calculator::VisitingCopay => visiting_copay::result(&ctx, &result),
            };
            page(&ctx, calc, &data, &FieldMessages::default(), None, Some(view), Some(request.to_string()))
        }
        Err(e) => {
            let field = form::form_field(&e.field, &rows);
            let fe = gajok_domain::FieldError::new(field.clone(), crate::error::rules_code(&e.code))
                .with_allowed(e.allowed.clone());
            let msgs = FieldMessages::from(&ctx, std::slice::from_ref(&fe));
            let mut message = ctx.t("sim-fix-errors");
            // A field the form does not show (should not happen) is named in the banner.
            if !form::shown(&field) {
                message = format!("{message} ({})", msgs.get(&field).unwrap_or_default());
            }
            page(&ctx, calc, &data, &msgs, Some(message), None, None)
        }
    }
}

pub async fn single_parent_form(ctx: Ctx) -> WebResult<Response> {
    show_form(ctx, Calculator::SingleParent).await
}
pub async fn single_parent_submit(ctx: Ctx, body: Bytes) -> WebResult<Response> {
    submit(ctx, Calculator::SingleParent, body).await
}
pub async fn family_capacity_form(ctx: Ctx) -> WebResult<Response> {
    show_form(ctx, Calculator::FamilyCapacity).await
}
pub async fn family_capacity_submit(ctx: Ctx, body: Bytes) -> WebResult<Response> {
    submit(ctx, Calculator::FamilyCapacity, body).await
}
pub async fn visiting_copay_form(ctx: Ctx) -> WebResult<Response> {
    show_form(ctx, Calculator::VisitingCopay).await
}
pub async fn visiting_copay_submit(ctx: Ctx, body: Bytes) -> WebResult<Response> {
    submit(ctx, Calculator::VisitingCopay, body).await
}

#[cfg(test)]
mod tests {
    use gajok_domain::text::Lang;

    use super::*;
    use crate::i18n::I18n;

    /// Keys built at run time (`sim-status-{status}`...) escape the marker scan of
    /// `i18n.rs`; this lists them from the same code lists the pages use.
    #[test]
    fn every_generated_key_exists_in_both_languages() {
        let groups: &[(&str, &[&str])] = &[
            ("sim-status-", view::STATUSES),
            ("sim-outcome-", &["pass", "fail", "info"]),
            ("sim-family-", single_parent::FAMILY_TYPES),
            ("sim-relation-", single_parent::RELATIONS),
            ("sim-reason-", single_parent::REASONS),
            ("sim-school-", single_parent::SCHOOL_LEVELS),
            ("sim-benefit-", single_parent::BENEFITS),
            ("sim-schedule-", single_parent::SCHEDULES),
            ("sim-insurance-", family_capacity::INSURANCE_TYPES),
            ("sim-crisis-", family_capacity::CRISES),
            ("sim-category-", family_capacity::CATEGORIES),
            ("sim-priority-", family_capacity::PRIORITIES),
            ("sim-excluded-", family_capacity::EXCLUDED),
            ("sim-measure-", family_capacity::MEASURES),
            ("sim-copay-", visiting_copay::COPAY_TYPES),
            ("sim-free-", visiting_copay::FREE_REASONS),
        ];
        let mut keys: Vec<String> =
            groups.iter().flat_map(|(prefix, codes)| codes.iter().map(move |c| format!("{prefix}{c}"))).collect();
        keys.extend(view::INTERPRETATIONS.iter().map(|(id, _)| format!("sim-interp-{id}")));
        for c in Calculator::ALL {
            keys.push(title_key(c).into());
            keys.push(summary_key(c).into());
        }
        let i = I18n::load().expect("bundles load");
        for k in keys {
            assert!(i.has(Lang::Ko, &k), "{k} missing in ko.ftl");
            assert!(i.has(Lang::En, &k), "{k} missing in en.ftl");
        }
    }

    #[test]
    fn default_date_has_parameters() {
        let book = RuleBook::embedded().unwrap();
        for c in Calculator::ALL {
            let d = default_date(&book, c);
            assert!(book.coverage(c).iter().any(|s| s.effective_from <= d && d <= s.effective_until), "{c}: {d}");
        }
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachForm {
    member_id: Option<String>,
    calculator: Option<String>,
    request_json: Option<String>,
    #[serde(rename = "_csrf")]
    _csrf: Option<String>,
}

/// Staff attach the simulation they just ran to a member's family record (audited).
pub async fn attach(
    ctx: Ctx,
    crate::extract::FormBody(f): crate::extract::FormBody<AttachForm>,
) -> WebResult<Response> {
    use axum::response::IntoResponse;
    let p = ctx.user()?;
    let member: i64 =
        f.member_id.as_deref().map(str::trim).and_then(|m| m.parse().ok()).ok_or_else(|| {
            crate::error::WebError::App(gajok_app::AppError::one_field("member_id", "invalid_number"))
        })?;
    ctx.state
        .app
        .attach_simulation(p, member, f.calculator.as_deref().unwrap_or(""), f.request_json.as_deref().unwrap_or(""))
        .await?;
    Ok(axum::response::Redirect::to(&format!("/members/{member}?done=sim-attached")).into_response())
}
