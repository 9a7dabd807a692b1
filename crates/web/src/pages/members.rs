//! Member pages: search (masked), registration with consent and the duplicate choice,
//! the access-logged record, corrections, consent withdrawal.

use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gajok_app::AppError;
use gajok_app::org::Page;
use gajok_app::people::{MemberDetail, MemberInput, MemberSummary, Registered};
use gajok_domain::code_list::CodeList;
use gajok_domain::people::{Relation, Sex};
use serde::Deserialize;

use crate::context::Ctx;
use crate::error::{WebError, WebResult};
use crate::extract::{FormBody, Q, opt_i64};
use crate::layout::{FieldBuilder, FieldMessages, FormField, Layout, SelectOption};
use crate::pages::{Pager, render};

#[derive(Template)]
#[template(path = "member_list.html")]
struct ListPage {
    l: Layout,
    q: String,
    page: Page<MemberSummary>,
    pager: Pager,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    q: Option<String>,
    page: Option<String>,
    #[serde(rename = "done")]
    _done: Option<String>,
}

pub async fn list(ctx: Ctx, Q(q): Q<ListQuery>) -> WebResult<Response> {
    let p = ctx.user()?;
    let page = ctx.state.app.list_members(p, q.q.as_deref(), None, opt_i64("page", &q.page)?.unwrap_or(1)).await?;
    let pager = Pager::new("/members", &[("q", q.q.clone().unwrap_or_default())], page.page, page.pages());
    render(&ListPage { l: ctx.layout(&ctx.t("member-list-title")), q: q.q.unwrap_or_default(), page, pager })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    format: Option<String>,
    q: Option<String>,
    /// Why the list is downloaded; required, kept in the access log.
    reason: Option<String>,
}

/// The member list as CSV or XLSX, masked like the page; the download is access-logged.
pub async fn export(ctx: Ctx, Q(q): Q<ExportQuery>) -> WebResult<Response> {
    let p = ctx.user()?;
    // Refused before anything is read: no permission or no reason, no download.
    gajok_app::authz::require(!gajok_app::authz::member_centers(p).is_empty())?;
    let reason = gajok_app::privacy::access_review::download_reason(q.reason.as_deref())?;
    let f = |k: &str| ctx.t(&format!("field-{k}"));
    let mut rows =
        vec![vec!["#".to_string(), f("name"), f("birth_date"), f("sex"), f("phone"), ctx.t("member-family")]];
    for page in 1..=200 {
        let pg = ctx.state.app.list_members(p, q.q.as_deref(), None, page).await?;
        for m in &pg.items {
            rows.push(vec![
                m.id.to_string(),
                m.name_masked.clone(),
                m.birth_year.clone(),
                m.sex.label(ctx.lang).to_string(),
                m.phone_masked.clone().unwrap_or_default(),
                m.flags.iter().map(|fl| ctx.t(&format!("flag-{fl}"))).collect::<Vec<_>>().join(" "),
            ]);
        }
        if page >= pg.pages() {
            break;
        }
    }
    ctx.state.app.log_export(p, "member_list", rows.len() - 1, &reason).await?;
    crate::export::table(q.format.as_deref(), "members", &ctx.t("member-list-title"), &rows)
}

#[derive(Template)]
#[template(path = "member_form.html")]
struct FormPage {
    l: Layout,
    action: String,
    cancel: String,
    message: Option<String>,
    show_consent: bool,
    fields: Vec<FormField>,
}

fn consent_options(ctx: &Ctx, value: &Option<String>, required: bool) -> Vec<SelectOption> {
    let mut v = Vec::new();
    if !required {
        v.push(SelectOption { value: String::new(), label: ctx.t("org-select"), selected: value.is_none() });
    }
    for (code, key) in [("agree", "consent-agree"), ("disagree", "consent-disagree")] {
        v.push(SelectOption { value: code.into(), label: ctx.t(key), selected: value.as_deref() == Some(code) });
    }
    v
}

fn person_fields(b: &mut FieldBuilder<'_>, v: &MemberInput) {
    b.heading("member-person")
        .text("name", &v.name, true)
        .input("birth_date", &v.birth_date, "date", true)
        .select::<Sex>("sex", &v.sex, true)
        .input("phone", &v.phone, "tel", false)
        .text("address", &v.address, false)
        .text("nationality", &v.nationality, false)
        .heading("member-family")
        .select::<Relation>("family_relation", &v.relation, false)
        .input("family_id", &v.family_id, "number", false)
        .input("guardian_id", &v.guardian_id, "number", false)
        .check("single_parent", v.single_parent)
        .check("grandparent", v.grandparent)
        .check("multicultural", v.multicultural)
        .check("dual_income", v.dual_income)
        .check("low_income", v.low_income);
}

fn register_fields(ctx: &Ctx, v: &MemberInput, errors: &FieldMessages) -> Vec<FormField> {
    let mut b = FieldBuilder::new(ctx, errors);
    person_fields(&mut b, v);
    b.check("new_family", v.new_family.or(Some(v.family_id.is_none())));
    b.heading("member-consent")
        .select_options("consent_collection", consent_options(ctx, &v.consent_collection, true), true)
        .select_options("consent_optional", consent_options(ctx, &v.consent_optional, false), false)
        .select_options("consent_third_party", consent_options(ctx, &v.consent_third_party, false), false)
        .check("tp_mogef", v.tp_mogef)
        .check("tp_kihf", v.tp_kihf)
        .check("tp_local_government", v.tp_local_government)
        .check("tp_other_centers", v.tp_other_centers)
        .input("signed_on", &v.signed_on, "date", false)
        .text(
            "form_version",
            &v.form_version.clone().or_else(|| Some(gajok_app::people::DEFAULT_FORM_VERSION.to_string())),
            false,
        )
        .text("guardian_name", &v.guardian_name, false)
        .text("guardian_relation", &v.guardian_relation, false)
        .input("guardian_phone", &v.guardian_phone, "tel", false);
    b.build()
}

pub async fn new_form(ctx: Ctx) -> WebResult<Response> {
    let p = ctx.user()?;
    ctx.state.app.resolve_center(p, None)?;
    let v = MemberInput { consent_collection: Some("agree".into()), ..Default::default() };
    let fields = register_fields(&ctx, &v, &FieldMessages::default());
    render(&FormPage {
        l: ctx.layout(&ctx.t("member-new")),
        action: "/members".into(),
        cancel: "/members".into(),
        message: None,
        show_consent: true,
        fields,
    })
}

#[derive(Template)]
#[template(path = "member_duplicates.html")]
struct DuplicatesPage {
    l: Layout,
    dups: Vec<MemberSummary>,
    resubmit: Vec<(String, String)>,
}

/// The submitted form as hidden fields, so "register anyway" resends exactly it.
fn resubmit_fields(v: &MemberInput) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut push = |k: &str, val: &Option<String>| {
        if let Some(x) = val {
            out.push((k.to_string(), x.clone()));
        }
    };
    push("center_id", &v.center_id);
    push("name", &v.name);
    push("birth_date", &v.birth_date);
    push("sex", &v.sex);
    push("phone", &v.phone);
    push("address", &v.address);
    push("nationality", &v.nationality);
    push("family_id", &v.family_id);
    push("family_relation", &v.relation);
    push("guardian_id", &v.guardian_id);
    push("consent_collection", &v.consent_collection);
    push("consent_optional", &v.consent_optional);
    push("consent_third_party", &v.consent_third_party);
    push("form_version", &v.form_version);
    push("signed_on", &v.signed_on);
    push("guardian_name", &v.guardian_name);
    push("guardian_relation", &v.guardian_relation);
    push("guardian_phone", &v.guardian_phone);
    for (k, f) in [
        ("single_parent", v.single_parent),
        ("grandparent", v.grandparent),
        ("multicultural", v.multicultural),
        ("dual_income", v.dual_income),
        ("low_income", v.low_income),
        ("new_family", v.new_family),
        ("tp_mogef", v.tp_mogef),
        ("tp_kihf", v.tp_kihf),
        ("tp_local_government", v.tp_local_government),
        ("tp_other_centers", v.tp_other_centers),
    ] {
        if f == Some(true) {
            out.push((k.to_string(), "on".to_string()));
        }
    }
    out
}

pub async fn create(ctx: Ctx, FormBody(input): FormBody<MemberInput>) -> WebResult<Response> {
    let p = ctx.user()?;
    match ctx.state.app.register_member(p, &input).await {
        Ok(Registered::Created(m)) => {
            Ok(Redirect::to(&format!("/members/{}?done=member-created", m.id)).into_response())
        }
        Ok(Registered::PossibleDuplicates(dups)) => {
            let mut r = render(&DuplicatesPage {
                l: ctx.layout(&ctx.t("member-duplicate-title")),
                dups,
                resubmit: resubmit_fields(&input),
            })?;
            *r.status_mut() = StatusCode::CONFLICT;
            Ok(r)
        }
        Err(e @ (AppError::Validation(_) | AppError::Conflict { .. })) => {
            let err = WebError::App(e);
            let msgs = FieldMessages::from(&ctx, &err.fields());
            let fields = register_fields(&ctx, &input, &msgs);
            let refused = err.fields().iter().any(|f| f.code == "required_consent_refused");
            let message =
                if refused { ctx.t("fe-required_consent_refused") } else { ctx.t(&format!("error-{}", err.code())) };
            let page = FormPage {
                l: ctx.layout(&ctx.t("member-new")),
                action: "/members".into(),
                cancel: "/members".into(),
                message: Some(message),
                show_consent: true,
                fields,
            };
            let mut r = render(&page)?;
            *r.status_mut() = err.status();
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "member_detail.html")]
struct DetailPage {
    l: Layout,
    d: MemberDetail,
    sims: Vec<gajok_app::store::simulations::Simulation>,
    birth: Option<String>,
    flags: Vec<&'static str>,
    nts_panel: String,
}

pub async fn detail(ctx: Ctx, Path(id): Path<i64>) -> WebResult<Response> {
    let p = ctx.user()?;
    let d = ctx.state.app.member_detail(p, id).await?;
    let m = &d.member;
    let flags = [
        (m.single_parent, "single_parent"),
        (m.grandparent, "grandparent"),
        (m.multicultural, "multicultural"),
        (m.dual_income, "dual_income"),
        (m.low_income, "low_income"),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .map(|(_, f)| *f)
    .collect();
    let birth = Some(m.birth_date.clone());
    let title = format!("{} #{}", m.name, m.id);
    let sims = ctx.state.app.member_simulations(p, id).await?;
    let nts_panel = crate::pages::nanumteo::membership::member_panel(&ctx, id).await?;
    render(&DetailPage { l: ctx.layout(&title), d, sims, birth, flags, nts_panel })
}

fn edit_page(
    ctx: &Ctx,
    id: i64,
    v: &MemberInput,
    errors: &FieldMessages,
    message: Option<String>,
    status: StatusCode,
) -> WebResult<Response> {
    let mut b = FieldBuilder::new(ctx, errors);
    person_fields(&mut b, v);
    b.hidden("version", v.version.clone().unwrap_or_default());
    let fields = b.build();
    let title = format!("#{id} · {}", ctx.t("org-edit"));
    let page = FormPage {
        l: ctx.layout(&title),
        action: format!("/members/{id}"),
        cancel: format!("/members/{id}"),
        message,
        show_consent: false,
        fields,
    };
    let mut r = render(&page)?;
    *r.status_mut() = status;
    Ok(r)
}

pub async fn edit_form(ctx: Ctx, Path(id): Path<i64>) -> WebResult<Response> {
    let p = ctx.user()?;
    let m = ctx.state.app.member_in_scope(p, id).await?;
    let b = |x: bool| Some(x);
    let v = MemberInput {
        name: Some(m.name.clone()),
        birth_date: Some(m.birth_date.clone()),
        sex: Some(m.sex.code().into()),
        phone: m.phone.clone(),
        address: m.address.clone(),
        nationality: Some(m.nationality.clone()),
        single_parent: b(m.single_parent),
        grandparent: b(m.grandparent),
        multicultural: b(m.multicultural),
        dual_income: b(m.dual_income),
        low_income: b(m.low_income),
        family_id: m.family_id.map(|f| f.to_string()),
        relation: m.relation.map(|r| r.code().to_string()),
        guardian_id: m.guardian_id.map(|g| g.to_string()),
        version: Some(m.version.to_string()),
        ..Default::default()
    };
    edit_page(&ctx, id, &v, &FieldMessages::default(), None, StatusCode::OK)
}

pub async fn update(ctx: Ctx, Path(id): Path<i64>, FormBody(mut input): FormBody<MemberInput>) -> WebResult<Response> {
    let p = ctx.user()?;
    for f in [
        &mut input.single_parent,
        &mut input.grandparent,
        &mut input.multicultural,
        &mut input.dual_income,
        &mut input.low_income,
    ] {
        *f = Some(f.unwrap_or(false));
    }
    match ctx.state.app.update_member(p, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/members/{id}?done=member-updated")).into_response()),
        Err(e @ (AppError::Validation(_) | AppError::Conflict { .. })) => {
            let err = WebError::App(e);
            let msgs = FieldMessages::from(&ctx, &err.fields());
            // A frozen record names the pending request that froze it.
            let frozen = match err.code() {
                "member_frozen" => crate::pages::privacy::member::frozen_message(&ctx, id).await?,
                _ => None,
            };
            let message = frozen.unwrap_or_else(|| ctx.t(&format!("error-{}", err.code())));
            edit_page(&ctx, id, &input, &msgs, Some(message), err.status())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WithdrawForm {
    reason: Option<String>,
    #[serde(rename = "_csrf")]
    _csrf: Option<String>,
}

pub async fn withdraw_consent(
    ctx: Ctx,
    Path((id, cid)): Path<(i64, i64)>,
    FormBody(f): FormBody<WithdrawForm>,
) -> WebResult<Response> {
    let p = ctx.user()?;
    ctx.state.app.withdraw_consent(p, id, cid, f.reason.as_deref().unwrap_or("")).await?;
    Ok(Redirect::to(&format!("/members/{id}?done=member-consent-withdrawn-done")).into_response())
}
