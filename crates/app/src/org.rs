//! Institutions: list, view, create and edit org units and the center registry, within the
//! caller's scope; every change audited with before and after.

use gajok_domain::code_list::CodeList;
use gajok_domain::field::{FieldError, FieldErrors};
use gajok_domain::org::{
    CenterCategory, CenterForm, CenterType, FundingForm, OperationForm, OrgCode, OrgKind, OrgName, SiteKind,
    parse_code, parse_code_opt,
};
use gajok_domain::person::Phone;
use gajok_domain::text;
use gajok_store::StoreError;
use gajok_store::audit::{self, AuditEvent, NewEvent};
use gajok_store::orgs::{self, CenterDetails, NewUnit, OrgFilter, OrgUnit, SiteDetails, UnitChanges};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};
use crate::input::{flag, opt_text, text_or_number};
use crate::principal::Principal;
use crate::{App, authz};

/// The fields of an org unit as sent by a form or a JSON body. Everything is optional text
/// here; [`OrgInput::parse`] turns it into checked values and reports every bad field.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OrgInput {
    /// Create only: the parent unit and the kind of the new unit.
    #[serde(default, deserialize_with = "text_or_number")]
    pub parent_id: Option<String>,
    pub kind: Option<String>,
    pub code: Option<String>,
    pub name: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    #[serde(default, deserialize_with = "flag")]
    pub active: Option<bool>,
    /// The version the editor saw (optimistic locking); required when editing.
    #[serde(default, deserialize_with = "text_or_number")]
    pub version: Option<String>,
    pub center_type: Option<String>,
    pub category: Option<String>,
    pub parent_provincial_center: Option<String>,
    pub center_form: Option<String>,
    pub operation_form: Option<String>,
    pub funding_form: Option<String>,
    pub head_name: Option<String>,
    pub head_employment: Option<String>,
    pub corporation_match: Option<String>,
    pub trustee_name: Option<String>,
    pub trustee_type: Option<String>,
    pub entrustment_start: Option<String>,
    pub entrustment_end: Option<String>,
    pub space_ownership: Option<String>,
    pub opened_on: Option<String>,
    pub license_no: Option<String>,
    #[serde(default, deserialize_with = "text_or_number")]
    pub staff_count: Option<String>,
    #[serde(default, deserialize_with = "flag")]
    pub national_funding: Option<bool>,
    #[serde(default, deserialize_with = "flag")]
    pub liability_insurance: Option<bool>,
    #[serde(default, deserialize_with = "flag")]
    pub integrated_service: Option<bool>,
    #[serde(default, deserialize_with = "flag")]
    pub visitation_service: Option<bool>,
    pub site_kind: Option<String>,
    pub note: Option<String>,
    /// The CSRF field of HTML forms; checked by the web layer, ignored here.
    #[serde(rename = "_csrf", default, skip_serializing)]
    pub csrf: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ParsedOrg {
    pub code: String,
    pub name: String,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub active: bool,
    pub center: Option<CenterDetails>,
    pub site: Option<SiteDetails>,
}

fn opt_date(field: &str, v: &Option<String>) -> Result<Option<String>, FieldError> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => gajok_domain::time::parse_date(s)
            .map(|d| Some(d.format("%Y-%m-%d").to_string()))
            .ok_or_else(|| FieldError::new(field, "invalid_date")),
    }
}

fn required<T: CodeList>(field: &str, v: &Option<String>) -> Result<T, FieldError> {
    parse_code(field, v.as_deref().unwrap_or(""))
}

impl OrgInput {
    pub fn parse(&self, kind: OrgKind) -> Result<ParsedOrg, FieldErrors> {
        let mut e = FieldErrors::new();
        let code = e.take(OrgCode::parse("code", self.code.as_deref().unwrap_or("")));
        let name = e.take(OrgName::parse("name", self.name.as_deref().unwrap_or("")));
        let address = e.take(opt_text("address", &self.address, 200)).flatten();
        let phone = match self.phone.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(p) => e.take(Phone::parse("phone", p)).map(Phone::into_inner),
        };
        let center = if kind == OrgKind::Center { self.parse_center(&mut e) } else { None };
        let site = if kind == OrgKind::Site {
            let site_kind = e.take(required::<SiteKind>("site_kind", &self.site_kind));
            let note = e.take(opt_text("note", &self.note, 500)).flatten();
            site_kind.map(|site_kind| SiteDetails { site_kind, note })
        } else {
            None
        };
        e.finish()?;
        match (code, name) {
            (Some(code), Some(name)) => Ok(ParsedOrg {
                code: code.into_inner(),
                name: name.into_inner(),
                address,
                phone,
                active: self.active.unwrap_or(true),
                center,
                site,
            }),
            // Unreachable: a missing value recorded an error above.
            _ => Err(FieldErrors(vec![FieldError::new("name", "required")])),
        }
    }

    fn parse_center(&self, e: &mut FieldErrors) -> Option<CenterDetails> {
        let center_type = e.take(required::<CenterType>("center_type", &self.center_type));
        let category = e.take(required::<CenterCategory>("category", &self.category));
        let center_form = e.take(required::<CenterForm>("center_form", &self.center_form));
        let operation_form = e.take(required::<OperationForm>("operation_form", &self.operation_form));
        let funding_form = e.take(required::<FundingForm>("funding_form", &self.funding_form));
        let parent_provincial_center =
            e.take(parse_code_opt("parent_provincial_center", self.parent_provincial_center.as_deref())).flatten();
        let head_employment = e.take(parse_code_opt("head_employment", self.head_employment.as_deref())).flatten();
        let corporation_match =
            e.take(parse_code_opt("corporation_match", self.corporation_match.as_deref())).flatten();
        let trustee_type = e.take(parse_code_opt("trustee_type", self.trustee_type.as_deref())).flatten();
        let space_ownership = e.take(parse_code_opt("space_ownership", self.space_ownership.as_deref())).flatten();
        let head_name = e.take(opt_text("head_name", &self.head_name, 50)).flatten();
        let trustee_name = e.take(opt_text("trustee_name", &self.trustee_name, 100)).flatten();
        let license_no = e.take(opt_text("license_no", &self.license_no, 50)).flatten();
        let entrustment_start = e.take(opt_date("entrustment_start", &self.entrustment_start)).flatten();
        let entrustment_end = e.take(opt_date("entrustment_end", &self.entrustment_end)).flatten();
        let opened_on = e.take(opt_date("opened_on", &self.opened_on)).flatten();
        let staff_count = match self.staff_count.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => match s.parse::<i64>() {
                Ok(n) if (0..=10_000).contains(&n) => Some(n),
                _ => {
                    e.push(FieldError::new("staff_count", "invalid_number"));
                    None
                }
            },
        };
        // An outsourced center has a trustee and an entrustment period (seed 002 L1410–1411).
        if operation_form == Some(OperationForm::Outsourced) {
            if trustee_name.is_none() {
                e.push(FieldError::new("trustee_name", "required_when_outsourced"));
            }
            if entrustment_start.is_none() {
                e.push(FieldError::new("entrustment_start", "required_when_outsourced"));
            }
            if entrustment_end.is_none() {
                e.push(FieldError::new("entrustment_end", "required_when_outsourced"));
            }
        }
        if let (Some(s), Some(t)) = (&entrustment_start, &entrustment_end)
            && t <= s
        {
            e.push(FieldError::new("entrustment_end", "end_before_start"));
        }
        Some(CenterDetails {
            center_type: center_type?,
            category: category?,
            parent_provincial_center,
            center_form: center_form?,
            operation_form: operation_form?,
            funding_form: funding_form?,
            head_name,
            head_employment,
            corporation_match,
            trustee_name,
            trustee_type,
            entrustment_start,
            entrustment_end,
            space_ownership,
            opened_on,
            license_no,
            staff_count,
            national_funding: self.national_funding.unwrap_or(false),
            liability_insurance: self.liability_insurance.unwrap_or(false),
            integrated_service: self.integrated_service.unwrap_or(false),
            visitation_service: self.visitation_service.unwrap_or(false),
        })
    }

    /// The input that reproduces a stored unit (to fill an edit form).
    pub fn from_stored(u: &OrgUnit, c: Option<&CenterDetails>, s: Option<&SiteDetails>) -> Self {
        let code = |v: Option<&'static str>| v.map(str::to_string);
        let mut i = OrgInput {
            code: Some(u.code.clone()),
            name: Some(u.name.clone()),
            address: u.address.clone(),
            phone: u.phone.clone(),
            active: Some(u.active),
            version: Some(u.version.to_string()),
            ..Default::default()
        };
        if let Some(c) = c {
            i.center_type = code(Some(c.center_type.code()));
            i.category = code(Some(c.category.code()));
            i.parent_provincial_center = code(c.parent_provincial_center.map(CodeList::code));
            i.center_form = code(Some(c.center_form.code()));
            i.operation_form = code(Some(c.operation_form.code()));
            i.funding_form = code(Some(c.funding_form.code()));
            i.head_name = c.head_name.clone();
            i.head_employment = code(c.head_employment.map(CodeList::code));
            i.corporation_match = code(c.corporation_match.map(CodeList::code));
            i.trustee_name = c.trustee_name.clone();
            i.trustee_type = code(c.trustee_type.map(CodeList::code));
            i.entrustment_start = c.entrustment_start.clone();
            i.entrustment_end = c.entrustment_end.clone();
            i.space_ownership = code(c.space_ownership.map(CodeList::code));
            i.opened_on = c.opened_on.clone();
            i.license_no = c.license_no.clone();
            i.staff_count = c.staff_count.map(|n| n.to_string());
            i.national_funding = Some(c.national_funding);
            i.liability_insurance = Some(c.liability_insurance);
            i.integrated_service = Some(c.integrated_service);
            i.visitation_service = Some(c.visitation_service);
        }
        if let Some(s) = s {
            i.site_kind = Some(s.site_kind.code().to_string());
            i.note = s.note.clone();
        }
        i
    }
}

#[derive(Debug, Clone, Default)]
pub struct OrgQuery {
    pub kind: Option<OrgKind>,
    pub parent_id: Option<i64>,
    pub q: Option<String>,
    pub visitation_service: Option<bool>,
    pub page: i64,
    pub per_page: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// Rows to skip for a 1-based page. Saturating: a page number from the query string may be
/// anything up to i64::MAX, and an overflow would abort the request (found by Schemathesis).
pub fn page_offset(page: i64, per_page: i64) -> i64 {
    page.max(1).saturating_sub(1).saturating_mul(per_page)
}

impl<T> Page<T> {
    pub fn pages(&self) -> i64 {
        if self.per_page <= 0 { 1 } else { ((self.total + self.per_page - 1) / self.per_page).max(1) }
    }
}

/// A unit with everything its page shows.
#[derive(Debug, Clone, Serialize)]
pub struct OrgDetail {
    pub unit: OrgUnit,
    pub center: Option<CenterDetails>,
    pub site: Option<SiteDetails>,
    /// Root first; only those the caller may see.
    pub ancestors: Vec<OrgUnit>,
    pub children: Vec<OrgUnit>,
    /// Recent changes, for those who may read the audit log.
    pub history: Vec<AuditEvent>,
    pub can_edit: bool,
    pub can_add_child: bool,
}

fn snapshot(u: &OrgUnit, c: Option<&CenterDetails>, s: Option<&SiteDetails>) -> serde_json::Value {
    serde_json::json!({ "unit": u, "center": c, "site": s })
}

impl App {
    pub async fn list_orgs(&self, p: &Principal, q: &OrgQuery) -> AppResult<Page<OrgUnit>> {
        let per_page = q.per_page.clamp(1, 200);
        let page = q.page.max(1);
        let f = OrgFilter {
            scopes: p.scopes(&[]),
            kind: q.kind,
            parent_id: q.parent_id,
            q: q.q.as_deref().map(text::clean).filter(|s| !s.is_empty()),
            visitation_service: q.visitation_service,
            limit: per_page,
            offset: page_offset(page, per_page),
        };
        let (items, total) = orgs::list(&self.store, &f).await?;
        Ok(Page { items, total, page, per_page })
    }

    /// A unit the caller may see, or NotFound.
    pub async fn visible_org(&self, p: &Principal, id: i64) -> AppResult<OrgUnit> {
        let unit = orgs::get(self.store.reader(), id).await?.ok_or(AppError::NotFound)?;
        authz::require_visible(p, &unit)?;
        Ok(unit)
    }

    pub async fn org_detail(&self, p: &Principal, id: i64) -> AppResult<OrgDetail> {
        let unit = self.visible_org(p, id).await?;
        let center = orgs::center(self.store.reader(), id).await?;
        let site = orgs::site(self.store.reader(), id).await?;
        let ancestors = orgs::many(&self.store, &unit.ancestor_ids())
            .await?
            .into_iter()
            .filter(|a| authz::can_view_org(p, a))
            .collect();
        let children = orgs::children(&self.store, id).await?;
        let history = if authz::can_search_logs(p) {
            audit::for_entity(&self.store, "org_unit", &id.to_string(), 20).await?
        } else {
            Vec::new()
        };
        let can_add_child = unit.kind.child_kind().is_some_and(|k| authz::can_create_org(p, &unit, k));
        Ok(OrgDetail {
            can_edit: authz::can_edit_org(p, &unit),
            can_add_child,
            unit,
            center,
            site,
            ancestors,
            children,
            history,
        })
    }

    pub async fn create_org(
        &self,
        p: &Principal,
        parent_id: i64,
        kind: OrgKind,
        input: &OrgInput,
    ) -> AppResult<OrgUnit> {
        let parent = self.visible_org(p, parent_id).await?;
        if kind.parent_kind() != Some(parent.kind) {
            return Err(AppError::one_field("kind", "wrong_parent_kind"));
        }
        authz::require(authz::can_create_org(p, &parent, kind))?;
        let parsed = input.parse(kind)?;
        if let Some(c) = &parsed.center
            && c.license_no.is_some()
            && !p.reaches(
                &parent.path,
                &[
                    gajok_domain::role::Role::SystemAdmin,
                    gajok_domain::role::Role::ProvinceOfficial,
                    gajok_domain::role::Role::DistrictOfficial,
                ],
            )
        {
            return Err(AppError::one_field("license_no", "not_allowed"));
        }
        let mut tx = self.store.begin().await?;
        let new = NewUnit {
            parent_id: Some(parent.id),
            kind,
            code: parsed.code.clone(),
            name: parsed.name.clone(),
            address: parsed.address.clone(),
            phone: parsed.phone.clone(),
        };
        let unit = orgs::insert(&mut tx, &new).await.map_err(duplicate_code)?;
        if let Some(c) = &parsed.center {
            orgs::put_center(&mut tx, unit.id, c).await?;
        }
        if let Some(s) = &parsed.site {
            orgs::put_site(&mut tx, unit.id, s).await?;
        }
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "create",
                entity_type: "org_unit",
                entity_id: unit.id.to_string(),
                org_unit_id: Some(unit.id),
                org_path: unit.path.clone(),
                summary: format!("{} {} 등록", kind.label_ko(), unit.name),
                before: None,
                after: Some(snapshot(&unit, parsed.center.as_ref(), parsed.site.as_ref())),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(unit)
    }

    pub async fn update_org(&self, p: &Principal, id: i64, input: &OrgInput) -> AppResult<OrgUnit> {
        let unit = self.visible_org(p, id).await?;
        authz::require(authz::can_edit_org(p, &unit))?;
        let mut parsed = input.parse(unit.kind)?;
        let version = input
            .version
            .as_deref()
            .and_then(|v| v.trim().parse::<i64>().ok())
            .ok_or_else(|| AppError::one_field("version", "required"))?;
        let before_center = orgs::center(self.store.reader(), id).await?;
        let before_site = orgs::site(self.store.reader(), id).await?;
        // The license number is issued by the city: a center manager's edit keeps it.
        if let Some(c) = parsed.center.as_mut()
            && !authz::can_edit_license_no(p, &unit)
        {
            let old = before_center.as_ref().and_then(|b| b.license_no.clone());
            if c.license_no.is_some() && c.license_no != old {
                return Err(AppError::one_field("license_no", "not_allowed"));
            }
            c.license_no = old;
        }
        let changes = UnitChanges {
            code: parsed.code.clone(),
            name: parsed.name.clone(),
            address: parsed.address.clone(),
            phone: parsed.phone.clone(),
            active: parsed.active,
        };
        let mut tx = self.store.begin().await?;
        if !orgs::update(&mut tx, id, version, &changes).await.map_err(duplicate_code)? {
            return Err(AppError::Conflict { code: "stale_version", field: "version" });
        }
        if let Some(c) = &parsed.center {
            orgs::put_center(&mut tx, id, c).await?;
        }
        if let Some(s) = &parsed.site {
            orgs::put_site(&mut tx, id, s).await?;
        }
        let after = orgs::get(tx.conn(), id).await?.ok_or(AppError::NotFound)?;
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "update",
                entity_type: "org_unit",
                entity_id: id.to_string(),
                org_unit_id: Some(id),
                org_path: unit.path.clone(),
                summary: format!("{} {} 수정", unit.kind.label_ko(), after.name),
                before: Some(snapshot(&unit, before_center.as_ref(), before_site.as_ref())),
                after: Some(snapshot(&after, parsed.center.as_ref(), parsed.site.as_ref())),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}

fn duplicate_code(e: StoreError) -> AppError {
    match e {
        StoreError::Duplicate(_) => AppError::Conflict { code: "duplicate_code", field: "code" },
        other => other.into(),
    }
}
