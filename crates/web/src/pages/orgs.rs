//! Institution pages: list with search, detail, create and edit.

use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gajok_app::org::{OrgDetail, OrgInput, OrgQuery, Page};
use gajok_app::store::orgs::{CenterDetails, OrgUnit};
use gajok_app::{AppError, authz};
use gajok_domain::code_list::CodeList;
use gajok_domain::org::*;
use serde::Deserialize;

use crate::context::Ctx;
use crate::error::{WebError, WebResult};
use crate::extract::{FormBody, Q, opt_i64};
use crate::layout::{FieldBuilder, FieldMessages, FormField, Layout, SelectOption};
use crate::pages::{Pager, render};

#[derive(Template)]
#[template(path = "org_list.html")]
struct ListPage {
    l: Layout,
    q: String,
    kinds: Vec<SelectOption>,
    visitation: bool,
    page: Page<OrgUnit>,
    pager: Pager,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    q: Option<String>,
    kind: Option<String>,
    visitation: Option<String>,
    parent: Option<String>,
    page: Option<String>,
    #[serde(rename = "done")]
    _done: Option<String>,
}

pub async fn list(ctx: Ctx, Q(q): Q<ListQuery>) -> WebResult<Response> {
    let p = ctx.user()?;
    let kind = match q.kind.as_deref().filter(|k| !k.is_empty()) {
        None => None,
        Some(k) => Some(OrgKind::parse(k).ok_or_else(|| WebError::InvalidQuery("kind".into()))?),
    };
    let visitation = q.visitation.as_deref() == Some("on");
    let query = OrgQuery {
        kind,
        parent_id: opt_i64("parent", &q.parent)?,
        q: q.q.clone(),
        visitation_service: visitation.then_some(true),
        page: opt_i64("page", &q.page)?.unwrap_or(1),
        per_page: 50,
    };
    let page = ctx.state.app.list_orgs(p, &query).await?;
    let mut kinds =
        vec![SelectOption { value: String::new(), label: ctx.t("org-filter-all"), selected: kind.is_none() }];
    kinds.extend(OrgKind::ALL.iter().map(|k| SelectOption {
        value: k.code().into(),
        label: k.label(ctx.lang).into(),
        selected: Some(*k) == kind,
    }));
    let params = [
        ("q", q.q.clone().unwrap_or_default()),
        ("kind", q.kind.clone().unwrap_or_default()),
        ("visitation", q.visitation.clone().unwrap_or_default()),
    ];
    let pager = Pager::new("/orgs", &params, page.page, page.pages());
    render(&ListPage {
        l: ctx.layout(&ctx.t("org-list-title")),
        q: q.q.unwrap_or_default(),
        kinds,
        visitation,
        page,
        pager,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    format: Option<String>,
    q: Option<String>,
    kind: Option<String>,
    visitation: Option<String>,
}

/// The institutions the list shows, every page, as CSV or XLSX.
pub async fn export(ctx: Ctx, Q(q): Q<ExportQuery>) -> WebResult<Response> {
    let p = ctx.user()?;
    let kind = match q.kind.as_deref().filter(|k| !k.is_empty()) {
        None => None,
        Some(k) => Some(OrgKind::parse(k).ok_or_else(|| WebError::InvalidQuery("kind".into()))?),
    };
    let f = |k: &str| ctx.t(&format!("field-{k}"));
    let mut rows = vec![vec![f("kind"), f("name"), f("code"), f("address"), f("phone"), f("active")]];
    for page in 1..=100 {
        let query = OrgQuery {
            kind,
            parent_id: None,
            q: q.q.clone(),
            visitation_service: (q.visitation.as_deref() == Some("on")).then_some(true),
            page,
            per_page: 200,
        };
        let pg = ctx.state.app.list_orgs(p, &query).await?;
        for u in &pg.items {
            rows.push(vec![
                u.kind.label(ctx.lang).to_string(),
                u.name.clone(),
                u.code.clone(),
                u.address.clone().unwrap_or_default(),
                u.phone.clone().unwrap_or_default(),
                ctx.t(if u.active { "org-yes" } else { "org-no" }),
            ]);
        }
        if page >= pg.pages() {
            break;
        }
    }
    crate::export::table(q.format.as_deref(), "institutions", &ctx.t("org-list-title"), &rows)
}

#[derive(Template)]
#[template(path = "org_detail.html")]
struct DetailPage {
    l: Layout,
    d: OrgDetail,
    registry: Vec<(String, String)>,
    child_label: Option<String>,
}

fn registry_rows(ctx: &Ctx, c: &CenterDetails) -> Vec<(String, String)> {
    let lang = ctx.lang;
    let f = |k: &str| ctx.t(&format!("field-{k}"));
    let code = |v: Option<&'static str>| v.unwrap_or("-").to_string();
    let text = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    let date = |v: &Option<String>| {
        v.as_deref()
            .and_then(gajok_domain::time::parse_date)
            .map(gajok_domain::time::display_date)
            .unwrap_or_else(|| "-".into())
    };
    let yn = |b: bool| ctx.t(if b { "org-yes" } else { "org-no" });
    vec![
        (f("center_type"), c.center_type.label(lang).into()),
        (f("category"), c.category.label(lang).into()),
        (f("parent_provincial_center"), code(c.parent_provincial_center.map(|v| v.label(lang)))),
        (f("center_form"), c.center_form.label(lang).into()),
        (f("operation_form"), c.operation_form.label(lang).into()),
        (f("funding_form"), c.funding_form.label(lang).into()),
        (f("head_name"), text(&c.head_name)),
        (f("head_employment"), code(c.head_employment.map(|v| v.label(lang)))),
        (f("corporation_match"), code(c.corporation_match.map(|v| v.label(lang)))),
        (f("trustee_name"), text(&c.trustee_name)),
        (f("trustee_type"), code(c.trustee_type.map(|v| v.label(lang)))),
        (f("entrustment_start"), date(&c.entrustment_start)),
        (f("entrustment_end"), date(&c.entrustment_end)),
        (f("space_ownership"), code(c.space_ownership.map(|v| v.label(lang)))),
        (f("opened_on"), date(&c.opened_on)),
        (f("license_no"), text(&c.license_no)),
        (f("staff_count"), c.staff_count.map(|n| n.to_string()).unwrap_or_else(|| "-".into())),
        (f("national_funding"), yn(c.national_funding)),
        (f("liability_insurance"), yn(c.liability_insurance)),
        (f("integrated_service"), yn(c.integrated_service)),
        (f("visitation_service"), yn(c.visitation_service)),
    ]
}

pub async fn detail(ctx: Ctx, Path(id): Path<i64>) -> WebResult<Response> {
    let p = ctx.user()?;
    let d = ctx.state.app.org_detail(p, id).await?;
    let registry = d.center.as_ref().map(|c| registry_rows(&ctx, c)).unwrap_or_default();
    let child_label =
        if d.can_add_child { d.unit.kind.child_kind().map(|k| k.label(ctx.lang).to_string()) } else { None };
    render(&DetailPage { l: ctx.layout(&d.unit.name), d, registry, child_label })
}

#[derive(Template)]
#[template(path = "form.html")]
struct FormPage {
    l: Layout,
    action: String,
    submit: String,
    cancel: String,
    message: Option<String>,
    fields: Vec<FormField>,
}

/// The fields of the org form for `kind`, filled with `v`.
fn org_fields(
    ctx: &Ctx,
    kind: OrgKind,
    v: &OrgInput,
    errors: &FieldMessages,
    editing: bool,
    license_readonly: bool,
) -> Vec<FormField> {
    let mut b = FieldBuilder::new(ctx, errors);
    b.heading("org-basic").text("code", &v.code, true).text("name", &v.name, true).text("address", &v.address, false);
    b.input("phone", &v.phone, "tel", false);
    if editing {
        b.check("active", v.active).hidden("version", v.version.clone().unwrap_or_default());
    }
    match kind {
        OrgKind::Center => {
            b.heading("org-registry")
                .select::<CenterType>("center_type", &v.center_type, true)
                .select::<CenterCategory>("category", &v.category, true)
                .select::<ParentProvincialCenter>("parent_provincial_center", &v.parent_provincial_center, false)
                .select::<CenterForm>("center_form", &v.center_form, true)
                .select::<OperationForm>("operation_form", &v.operation_form, true)
                .select::<FundingForm>("funding_form", &v.funding_form, true)
                .text("head_name", &v.head_name, false)
                .select::<Employment>("head_employment", &v.head_employment, false)
                .select::<CorporationMatch>("corporation_match", &v.corporation_match, false)
                .text("trustee_name", &v.trustee_name, false)
                .select::<TrusteeType>("trustee_type", &v.trustee_type, false)
                .input("entrustment_start", &v.entrustment_start, "date", false)
                .input("entrustment_end", &v.entrustment_end, "date", false)
                .select::<SpaceOwnership>("space_ownership", &v.space_ownership, false)
                .input("opened_on", &v.opened_on, "date", false)
                .text("license_no", &v.license_no, false);
            if license_readonly {
                b.readonly().hint("org-license-readonly");
            }
            b.input("staff_count", &v.staff_count, "number", false)
                .check("national_funding", v.national_funding)
                .check("liability_insurance", v.liability_insurance)
                .check("integrated_service", v.integrated_service)
                .check("visitation_service", v.visitation_service);
        }
        OrgKind::Site => {
            b.heading("org-site-info").select::<SiteKind>("site_kind", &v.site_kind, true).text("note", &v.note, false);
        }
        _ => {}
    }
    b.build()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewQuery {
    parent: Option<String>,
}

async fn new_context(ctx: &Ctx, parent_id: i64) -> WebResult<(OrgUnit, OrgKind)> {
    let p = ctx.user()?;
    let parent = ctx.state.app.visible_org(p, parent_id).await?;
    let kind = parent.kind.child_kind().ok_or(WebError::App(AppError::Forbidden))?;
    if !authz::can_create_org(p, &parent, kind) {
        return Err(WebError::App(AppError::Forbidden));
    }
    Ok((parent, kind))
}

fn license_readonly(ctx: &Ctx, unit: &OrgUnit) -> bool {
    ctx.principal.as_deref().is_some_and(|p| !authz::can_edit_license_no(p, unit))
}

pub async fn new_form(ctx: Ctx, Q(q): Q<NewQuery>) -> WebResult<Response> {
    ctx.user()?;
    let parent_id = opt_i64("parent", &q.parent)?.ok_or_else(|| WebError::InvalidQuery("parent".into()))?;
    let (parent, kind) = new_context(&ctx, parent_id).await?;
    let mut v =
        OrgInput { parent_id: Some(parent.id.to_string()), kind: Some(kind.code().into()), ..Default::default() };
    if kind == OrgKind::Center {
        v.center_type = Some(CenterType::FamilyCenter.code().into());
    }
    let fields = new_fields(&ctx, &parent, kind, &v, &FieldMessages::default());
    let title =
        format!("{} · {}", parent.name, ctx.state.i18n.t(ctx.lang, "org-new-child", &[("kind", kind.label(ctx.lang))]));
    render(&FormPage {
        l: ctx.layout(&title),
        action: "/orgs".into(),
        submit: ctx.t("org-save"),
        cancel: format!("/orgs/{}", parent.id),
        message: None,
        fields,
    })
}

fn new_fields(ctx: &Ctx, parent: &OrgUnit, kind: OrgKind, v: &OrgInput, errors: &FieldMessages) -> Vec<FormField> {
    let mut fields = vec![
        FormField::Hidden { name: "parent_id", value: parent.id.to_string() },
        FormField::Hidden { name: "kind", value: kind.code().to_string() },
    ];
    fields.extend(org_fields(ctx, kind, v, errors, false, license_readonly(ctx, parent)));
    fields
}

pub async fn create(ctx: Ctx, FormBody(input): FormBody<OrgInput>) -> WebResult<Response> {
    let p = ctx.user()?;
    // (signed-in check first, so an anonymous request is sent to the login page)
    let parent_id =
        opt_i64("parent_id", &input.parent_id)?.ok_or_else(|| WebError::InvalidQuery("parent_id".into()))?;
    let (parent, kind) = new_context(&ctx, parent_id).await?;
    match ctx.state.app.create_org(p, parent.id, kind, &input).await {
        Ok(u) => Ok(Redirect::to(&format!("/orgs/{}?done=org-created", u.id)).into_response()),
        Err(e @ (AppError::Validation(_) | AppError::Conflict { .. })) => {
            let err = WebError::App(e);
            let msgs = FieldMessages::from(&ctx, &err.fields());
            let fields = new_fields(&ctx, &parent, kind, &input, &msgs);
            let title = format!(
                "{} · {}",
                parent.name,
                ctx.state.i18n.t(ctx.lang, "org-new-child", &[("kind", kind.label(ctx.lang))])
            );
            let page = FormPage {
                l: ctx.layout(&title),
                action: "/orgs".into(),
                submit: ctx.t("org-save"),
                cancel: format!("/orgs/{}", parent.id),
                message: Some(ctx.t(&format!("error-{}", err.code()))),
                fields,
            };
            let mut r = render(&page)?;
            *r.status_mut() = err.status();
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn edit_form(ctx: Ctx, Path(id): Path<i64>) -> WebResult<Response> {
    let p = ctx.user()?;
    let d = ctx.state.app.org_detail(p, id).await?;
    if !d.can_edit {
        return Err(WebError::App(AppError::Forbidden));
    }
    let v = OrgInput::from_stored(&d.unit, d.center.as_ref(), d.site.as_ref());
    edit_page(&ctx, &d.unit, &v, &FieldMessages::default(), None, StatusCode::OK)
}

fn edit_page(
    ctx: &Ctx,
    unit: &OrgUnit,
    v: &OrgInput,
    errors: &FieldMessages,
    message: Option<String>,
    status: StatusCode,
) -> WebResult<Response> {
    let fields = org_fields(ctx, unit.kind, v, errors, true, license_readonly(ctx, unit));
    let title = format!("{} · {}", unit.name, ctx.t("org-edit"));
    let page = FormPage {
        l: ctx.layout(&title),
        action: format!("/orgs/{}", unit.id),
        submit: ctx.t("org-save"),
        cancel: format!("/orgs/{}", unit.id),
        message,
        fields,
    };
    let mut r = render(&page)?;
    *r.status_mut() = status;
    Ok(r)
}

pub async fn update(ctx: Ctx, Path(id): Path<i64>, FormBody(mut input): FormBody<OrgInput>) -> WebResult<Response> {
    let p = ctx.user()?;
    // The form always shows these boxes: absent means unticked.
    input.active = Some(input.active.unwrap_or(false));
    match ctx.state.app.update_org(p, id, &input).await {
        Ok(u) => Ok(Redirect::to(&format!("/orgs/{}?done=org-updated", u.id)).into_response()),
        Err(e @ (AppError::Validation(_) | AppError::Conflict { .. })) => {
            let unit = ctx.state.app.visible_org(p, id).await?;
            let err = WebError::App(e);
            let msgs = FieldMessages::from(&ctx, &err.fields());
            let message = Some(ctx.t(&format!("error-{}", err.code())));
            edit_page(&ctx, &unit, &input, &msgs, message, err.status())
        }
        Err(e) => Err(e.into()),
    }
}
