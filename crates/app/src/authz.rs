//! Who may do what. Every permission is one function here; use cases call them and nothing
//! else decides access. The route × role × scope matrix test in `gajok-web` exercises them
//! through every route.
//!
//! | permission | granted to |
//! |---|---|
//! | view an org unit | any role assigned at the unit or above it |
//! | create a unit of kind K under P | admin reaching P; province official for districts and centers; district official for centers; center manager for sites |
//! | edit a unit | admin reaching it; province official for districts, centers and sites below; district official for centers and sites; center manager for their center and its sites |
//! | edit a center's license number (인허가번호) | admin and officials (the city issues it, seed 002 L574) |
//! | manage accounts and roles | system administrator reaching the account's home org |
//! | manage API tokens | system administrator |
//! | search the audit and access logs | system administrators and officials, within their scope |

use gajok_domain::org::OrgKind;
use gajok_domain::role::Role;
use gajok_store::orgs::OrgUnit;

use crate::error::{AppError, AppResult};
use crate::principal::Principal;

const OFFICIALS_AND_ADMIN: &[Role] =
    &[Role::SystemAdmin, Role::DistrictOfficial, Role::ProvinceOfficial, Role::AgencyAnalyst, Role::MinistryOfficial];

/// Turns a yes/no into the error a use case returns.
pub fn require(allowed: bool) -> AppResult<()> {
    if allowed { Ok(()) } else { Err(AppError::Forbidden) }
}

/// Reading a unit outside one's scope is answered as "not found".
pub fn require_visible(p: &Principal, unit: &OrgUnit) -> AppResult<()> {
    if can_view_org(p, unit) { Ok(()) } else { Err(AppError::NotFound) }
}

pub fn can_view_org(p: &Principal, unit: &OrgUnit) -> bool {
    p.reaches(&unit.path, &[])
}

pub fn can_create_org(p: &Principal, parent: &OrgUnit, kind: OrgKind) -> bool {
    if kind.parent_kind() != Some(parent.kind) {
        return false;
    }
    let roles: &[Role] = match kind {
        OrgKind::Ministry | OrgKind::Agency | OrgKind::Province => &[Role::SystemAdmin],
        OrgKind::District => &[Role::SystemAdmin, Role::ProvinceOfficial],
        OrgKind::Center => &[Role::SystemAdmin, Role::ProvinceOfficial, Role::DistrictOfficial],
        OrgKind::Site => &[Role::SystemAdmin, Role::ProvinceOfficial, Role::DistrictOfficial, Role::CenterManager],
    };
    p.reaches(&parent.path, roles)
}

pub fn can_edit_org(p: &Principal, unit: &OrgUnit) -> bool {
    let roles: &[Role] = match unit.kind {
        OrgKind::Ministry | OrgKind::Agency | OrgKind::Province => &[Role::SystemAdmin],
        OrgKind::District => &[Role::SystemAdmin, Role::ProvinceOfficial],
        OrgKind::Center | OrgKind::Site => {
            &[Role::SystemAdmin, Role::ProvinceOfficial, Role::DistrictOfficial, Role::CenterManager]
        }
    };
    // An official edits units below their own, not the unit they are assigned at.
    p.roles.iter().any(|r| {
        roles.contains(&r.role)
            && unit.path.starts_with(r.org_path.as_str())
            && (r.org_unit_id != unit.id || r.role == Role::SystemAdmin || r.role == Role::CenterManager)
    })
}

pub fn can_edit_license_no(p: &Principal, unit: &OrgUnit) -> bool {
    can_edit_org(p, unit) && p.reaches(&unit.path, OFFICIALS_AND_ADMIN)
}

pub fn can_manage_users(p: &Principal, home_org: &OrgUnit) -> bool {
    p.reaches(&home_org.path, &[Role::SystemAdmin])
}

/// Any user-management page at all (the list is then cut to the scope).
pub fn can_open_user_admin(p: &Principal) -> bool {
    p.has_role(Role::SystemAdmin)
}

pub fn can_assign_role(p: &Principal, role: Role, at: &OrgUnit) -> bool {
    role.assignable_at().contains(&at.kind) && p.reaches(&at.path, &[Role::SystemAdmin])
}

pub fn can_manage_tokens(p: &Principal) -> bool {
    p.has_role(Role::SystemAdmin)
}

/// The scopes in which the caller may search the audit and access logs; empty = no access.
pub fn log_scopes(p: &Principal) -> Vec<String> {
    p.scopes(OFFICIALS_AND_ADMIN)
}

pub fn can_search_logs(p: &Principal) -> bool {
    !log_scopes(p).is_empty()
}

pub fn can_verify_chain(p: &Principal) -> bool {
    p.has_role(Role::SystemAdmin)
}

/// Centers where the caller works (center staff or manager): the only places where personal
/// records of members may be read or written. Officials and administrators see figures, not
/// people (least privilege; seed 002 §7.6 gives them query functions over performance).
pub fn member_centers(p: &Principal) -> Vec<i64> {
    let mut v: Vec<i64> = p.roles.iter().filter(|r| r.role.is_center_role()).map(|r| r.org_unit_id).collect();
    v.sort_unstable();
    v.dedup();
    v
}

pub fn can_work_in_center(p: &Principal, center_id: i64) -> bool {
    member_centers(p).contains(&center_id)
}

/// Submitting a center's monthly report is the center manager's act (센터장·팀장).
pub fn can_submit_report(p: &Principal, center: &OrgUnit) -> bool {
    p.roles.iter().any(|r| r.role == Role::CenterManager && r.org_unit_id == center.id)
}

/// Which approval step a role takes in the chain 시·군·구 → 시·도 → 진흥원.
pub fn review_role_for(status: gajok_domain::program::ReportStatus) -> Option<Role> {
    use gajok_domain::program::ReportStatus as S;
    match status {
        S::Submitted => Some(Role::DistrictOfficial),
        S::DistrictApproved => Some(Role::ProvinceOfficial),
        S::ProvinceApproved => Some(Role::AgencyAnalyst),
        _ => None,
    }
}

pub fn can_review_report(p: &Principal, center: &OrgUnit, status: gajok_domain::program::ReportStatus) -> bool {
    review_role_for(status).is_some_and(|role| p.reaches(&center.path, &[role]))
}

/// Reopening a locked month for corrections: the 시·군·구 official (or above in the chain).
pub fn can_reopen_report(p: &Principal, center: &OrgUnit) -> bool {
    p.reaches(&center.path, &[Role::DistrictOfficial, Role::ProvinceOfficial, Role::AgencyAnalyst])
}

/// Aggregate figures of a unit: anyone whose scope contains it.
pub fn can_view_figures(p: &Principal, unit: &OrgUnit) -> bool {
    p.reaches(&unit.path, &[])
}

/// Running a 공동육아나눔터 and its 품앗이 groups (desk, library, registry, groups, money):
/// the center's own workers, since every one of these touches members' records.
pub fn can_run_nanumteo(p: &Principal, center_id: i64) -> bool {
    can_work_in_center(p, center_id)
}

/// Signing step `step` (1-based) of a 품앗이 monthly plan (서식7: 담당자 → 팀장 →
/// 사무국장(총괄팀장) → 센터장). Staff sign step 1; steps 2–4 are the center manager's role
/// (gajok has one role for 센터장·팀장; one manager may sign several steps in a small center).
pub fn can_sign_pumasi_plan(p: &Principal, center_id: i64, step: i64) -> bool {
    if step <= 1 {
        return can_work_in_center(p, center_id);
    }
    p.roles.iter().any(|r| r.role == Role::CenterManager && r.org_unit_id == center_id)
}

// --- Privacy duties (PIPA): the privacy officer's pages. ---

/// Where the caller acts as privacy officer (개인정보 보호책임자·취급자 감독): the center
/// manager for their center, officials and administrators within their scope. The pages hold
/// no personal data (counts, dates, approvals), so officials may inspect them; center staff may not.
pub fn privacy_officer_scopes(p: &Principal) -> Vec<String> {
    p.scopes(PRIVACY_OFFICER_ROLES)
}

/// Whether the caller acts as privacy officer over the unit at `path`.
pub fn is_privacy_officer_at(p: &Principal, path: &str) -> bool {
    p.reaches(path, PRIVACY_OFFICER_ROLES)
}

const PRIVACY_OFFICER_ROLES: &[Role] = &[
    Role::CenterManager,
    Role::SystemAdmin,
    Role::DistrictOfficial,
    Role::ProvinceOfficial,
    Role::AgencyAnalyst,
    Role::MinistryOfficial,
];

/// The full values of a record in separate storage (별도 보관, e.g. a late-fee receipt with the
/// payer's name): the center's own privacy officer — its manager, or an administrator reaching
/// it. Officials above the center see the record masked.
pub fn can_read_separated(p: &Principal, center: &OrgUnit) -> bool {
    can_grant_sensitive(p, center)
}

// --- Sensitive records (counseling notes, health, abuse, suicide risk). ---

/// Reading or writing sensitive records of a center: working there AND holding the
/// per-account grant for that center (`grants`: the centers the account is granted in).
pub fn can_read_sensitive(p: &Principal, center_id: i64, grants: &[i64]) -> bool {
    can_work_in_center(p, center_id) && grants.contains(&center_id)
}

/// Granting or revoking that permission: the center manager of the center, or a system
/// administrator reaching it. Every grant and revocation is audited.
pub fn can_grant_sensitive(p: &Principal, center: &OrgUnit) -> bool {
    p.roles.iter().any(|r| r.role == Role::CenterManager && r.org_unit_id == center.id)
        || p.reaches(&center.path, &[Role::SystemAdmin])
}

/// Publishing a center's privacy officer (the policy's contact): its manager or an administrator.
pub fn can_edit_privacy_policy(p: &Principal, center: &OrgUnit) -> bool {
    can_grant_sensitive(p, center)
}
