//! Data loaded on first start: the national skeleton (ministry, agency, 17 provinces) always;
//! demo institutions and one account per role with `--demo`; the first administrator.

use gajok_domain::code_list::CodeList;
use gajok_domain::org::{
    CenterCategory, CenterForm, CenterType, Employment, FundingForm, OperationForm, OrgKind, SiteKind, SpaceOwnership,
    TrusteeType,
};
use gajok_domain::person::{NewPassword, PersonName, Username};
use gajok_domain::role::Role;
use gajok_store::audit::{self, Actor, NewEvent};
use gajok_store::orgs::{self, CenterDetails, NewUnit, OrgUnit, SiteDetails};
use gajok_store::{Tx, users};
use serde::Deserialize;

use crate::App;
use crate::error::{AppError, AppResult};

#[derive(Deserialize)]
struct Named {
    code: String,
    name: String,
    address: Option<String>,
    phone: Option<String>,
}

#[derive(Deserialize)]
struct Reference {
    ministry: Named,
    agency: Named,
    provinces: Vec<Named>,
}

#[derive(Deserialize)]
struct Demo {
    districts: Vec<DemoDistrict>,
    centers: Vec<DemoCenter>,
    sites: Vec<DemoSite>,
    accounts: Vec<DemoAccountSpec>,
}

#[derive(Deserialize)]
struct DemoDistrict {
    province: String,
    code: String,
    name: String,
}

#[derive(Deserialize)]
struct DemoCenter {
    district: String,
    code: String,
    name: String,
    #[serde(rename = "type")]
    center_type: String,
    address: Option<String>,
    phone: Option<String>,
    visitation: bool,
    #[serde(default)]
    demo_only: bool,
}

#[derive(Deserialize)]
struct DemoSite {
    center: String,
    code: String,
    name: String,
    kind: String,
}

#[derive(Deserialize)]
struct DemoAccountSpec {
    username: String,
    name: String,
    role: String,
    at: String,
}

/// A demo account as printed at start-up.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub username: String,
    pub password: String,
    pub role: Role,
    pub org_name: String,
}

/// The one password of every demo account; printed by `gajok serve --demo`.
pub const DEMO_PASSWORD: &str = "gajok-demo-2026";

fn system_actor() -> Actor {
    Actor { user_id: None, username: "system".into(), client_addr: None }
}

fn bad_data(what: &str) -> AppError {
    AppError::Internal(format!("embedded seed data: {what}"))
}

async fn add_unit(tx: &mut Tx, parent: Option<&OrgUnit>, kind: OrgKind, n: &Named) -> AppResult<OrgUnit> {
    let u = orgs::insert(
        tx,
        &NewUnit {
            parent_id: parent.map(|p| p.id),
            kind,
            code: n.code.clone(),
            name: n.name.clone(),
            address: n.address.clone(),
            phone: n.phone.clone(),
        },
    )
    .await?;
    audit::record(
        tx,
        &system_actor(),
        NewEvent {
            action: "create",
            entity_type: "org_unit",
            entity_id: u.id.to_string(),
            org_unit_id: Some(u.id),
            org_path: u.path.clone(),
            summary: format!("{} {} 등록 (초기 데이터)", kind.label_ko(), u.name),
            before: None,
            after: Some(serde_json::json!({ "unit": u })),
        },
    )
    .await?;
    Ok(u)
}

impl App {
    /// Creates the ministry, the national agency and the 17 provinces if the database has
    /// no institutions yet. Returns whether it created them.
    pub async fn ensure_reference_orgs(&self) -> AppResult<bool> {
        if !orgs::is_empty(&self.store).await? {
            return Ok(false);
        }
        let r: Reference =
            serde_json::from_str(include_str!("../data/reference_orgs.json")).map_err(|e| bad_data(&e.to_string()))?;
        let mut tx = self.store.begin().await?;
        let m = add_unit(&mut tx, None, OrgKind::Ministry, &r.ministry).await?;
        let a = add_unit(&mut tx, Some(&m), OrgKind::Agency, &r.agency).await?;
        for p in &r.provinces {
            add_unit(&mut tx, Some(&a), OrgKind::Province, p).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Loads the demo institutions and accounts unless they are there already (the
    /// `admin` account marks a loaded demo). Returns the accounts to print.
    pub async fn load_demo(&self) -> AppResult<Vec<DemoAccount>> {
        self.ensure_reference_orgs().await?;
        let d: Demo =
            serde_json::from_str(include_str!("../data/demo_orgs.json")).map_err(|e| bad_data(&e.to_string()))?;
        let already = users::by_username(&self.store, "admin").await?.is_some();
        let mut tx = self.store.begin().await?;
        if !already {
            for dist in &d.districts {
                let p = orgs::by_code(&self.store, &dist.province).await?.ok_or_else(|| bad_data(&dist.province))?;
                let named = Named { code: dist.code.clone(), name: dist.name.clone(), address: None, phone: None };
                add_unit(&mut tx, Some(&p), OrgKind::District, &named).await?;
            }
            for c in &d.centers {
                let dist = orgs::by_code_tx(&mut tx, &c.district).await?.ok_or_else(|| bad_data(&c.district))?;
                let named = Named {
                    code: c.code.clone(),
                    name: c.name.clone(),
                    address: c.address.clone(),
                    phone: c.phone.clone(),
                };
                let u = add_unit(&mut tx, Some(&dist), OrgKind::Center, &named).await?;
                let center_type = CenterType::parse(&c.center_type).ok_or_else(|| bad_data(&c.center_type))?;
                orgs::put_center(&mut tx, u.id, &demo_center(center_type, c.visitation, c.demo_only)).await?;
            }
            for s in &d.sites {
                let center = orgs::by_code_tx(&mut tx, &s.center).await?.ok_or_else(|| bad_data(&s.center))?;
                let named = Named { code: s.code.clone(), name: s.name.clone(), address: None, phone: None };
                let u = add_unit(&mut tx, Some(&center), OrgKind::Site, &named).await?;
                let kind = SiteKind::parse(&s.kind).ok_or_else(|| bad_data(&s.kind))?;
                orgs::put_site(&mut tx, u.id, &SiteDetails { site_kind: kind, note: None }).await?;
            }
        }
        let hash = self.hash_password(DEMO_PASSWORD)?;
        let mut out = Vec::new();
        for a in &d.accounts {
            let role = Role::parse(&a.role).ok_or_else(|| bad_data(&a.role))?;
            let at = orgs::by_code_tx(&mut tx, &a.at).await?.ok_or_else(|| bad_data(&a.at))?;
            if !already {
                let u = users::insert(
                    &mut tx,
                    &users::NewUser {
                        username: a.username.clone(),
                        display_name: a.name.clone(),
                        phone: None,
                        home_org_id: at.id,
                        password_hash: hash.clone(),
                        must_change_password: false,
                    },
                )
                .await?;
                users::add_role(&mut tx, u.id, role, at.id, None).await?;
            }
            out.push(DemoAccount {
                username: a.username.clone(),
                password: DEMO_PASSWORD.into(),
                role,
                org_name: at.name.clone(),
            });
        }
        tx.commit().await?;
        Ok(out)
    }

    /// The 나눔터 and 품앗이 demo (`demo_pumasi.rs`) for the two demo spaces; run after the
    /// centers' demo activity.
    pub async fn load_demo_nanumteo(&self, year: i32) -> AppResult<()> {
        for (center, space, seed) in
            [("C-11215-01", "S-11215-01-1", 5_11215u64), ("C-11320-01", "S-11320-01-1", 5_11320)]
        {
            self.load_demo_pumasi(center, space, year, seed).await?;
        }
        Ok(())
    }

    /// Creates a system administrator at the ministry (first start of a real installation).
    /// The password must be changed at first sign-in.
    pub async fn create_admin(&self, username: &str, display_name: &str, password: &str) -> AppResult<()> {
        self.ensure_reference_orgs().await?;
        let mut e = gajok_domain::FieldErrors::new();
        let u = e.take(Username::parse("username", username));
        let n = e.take(PersonName::parse("display_name", display_name));
        let p = e.take(NewPassword::parse("password", password, username));
        e.finish()?;
        let (Some(u), Some(n), Some(p)) = (u, n, p) else {
            return Err(AppError::Internal("validated input incomplete".into()));
        };
        let root = orgs::by_code(&self.store, "MOGEF").await?.ok_or_else(|| bad_data("MOGEF"))?;
        let hash = self.hash_password(p.expose())?;
        let mut tx = self.store.begin().await?;
        let user = users::insert(
            &mut tx,
            &users::NewUser {
                username: u.into_inner(),
                display_name: n.into_inner(),
                phone: None,
                home_org_id: root.id,
                password_hash: hash,
                must_change_password: true,
            },
        )
        .await
        .map_err(|err| match err {
            gajok_store::StoreError::Duplicate(_) => {
                AppError::Conflict { code: "duplicate_username", field: "username" }
            }
            other => other.into(),
        })?;
        users::add_role(&mut tx, user.id, Role::SystemAdmin, root.id, None).await?;
        audit::record(
            &mut tx,
            &system_actor(),
            NewEvent {
                action: "create",
                entity_type: "user",
                entity_id: user.id.to_string(),
                org_unit_id: Some(root.id),
                org_path: root.path.clone(),
                summary: format!("시스템 관리자 생성: {}", user.username),
                before: None,
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

fn demo_center(center_type: CenterType, visitation: bool, demo_only: bool) -> CenterDetails {
    CenterDetails {
        center_type,
        category: if center_type == CenterType::FamilyCenter {
            CenterCategory::Integrated
        } else {
            CenterCategory::General
        },
        parent_provincial_center: None,
        center_form: CenterForm::Independent,
        operation_form: OperationForm::Outsourced,
        funding_form: FundingForm::National,
        head_name: None,
        head_employment: Some(Employment::FullTime),
        corporation_match: None,
        trustee_name: Some(if demo_only { "(예시) 사단법인 가족" } else { "(데모) 위탁법인" }.into()),
        trustee_type: Some(TrusteeType::Association),
        entrustment_start: Some("2024-01-01".into()),
        entrustment_end: Some("2026-12-31".into()),
        space_ownership: Some(SpaceOwnership::LocalGovOwned),
        opened_on: None,
        license_no: None,
        staff_count: None,
        national_funding: true,
        liability_insurance: true,
        integrated_service: center_type == CenterType::FamilyCenter,
        visitation_service: visitation,
    }
}
