//! Roles. A role is assigned at an org unit and reaches everything below it.

use crate::code_list;
use crate::org::OrgKind;

code_list! {
    pub enum Role {
        CenterStaff => ("center_staff", "센터 실무자", "Center staff"),
        CenterManager => ("center_manager", "센터장·팀장", "Center manager"),
        DistrictOfficial => ("district_official", "시·군·구 담당자", "City/county/district official"),
        ProvinceOfficial => ("province_official", "시·도 담당자", "Province official"),
        AgencyAnalyst => ("agency_analyst", "한국건강가정진흥원 분석가", "National agency analyst"),
        MinistryOfficial => ("ministry_official", "여성가족부 담당자", "Ministry official"),
        SystemAdmin => ("system_admin", "시스템 관리자", "System administrator"),
    }
}

impl Role {
    /// The org-unit kinds at which this role may be assigned. Assigning a center role at a
    /// province, say, would silently widen a center worker's reach, so it is refused.
    pub fn assignable_at(self) -> &'static [OrgKind] {
        match self {
            Role::CenterStaff | Role::CenterManager => &[OrgKind::Center],
            Role::DistrictOfficial => &[OrgKind::District],
            Role::ProvinceOfficial => &[OrgKind::Province],
            Role::AgencyAnalyst => &[OrgKind::Agency],
            Role::MinistryOfficial => &[OrgKind::Ministry],
            Role::SystemAdmin => &[OrgKind::Ministry, OrgKind::Agency, OrgKind::Province, OrgKind::District],
        }
    }

    /// Public-body roles that oversee centers rather than work in one.
    pub fn is_official(self) -> bool {
        matches!(self, Role::DistrictOfficial | Role::ProvinceOfficial | Role::AgencyAnalyst | Role::MinistryOfficial)
    }

    pub fn is_center_role(self) -> bool {
        matches!(self, Role::CenterStaff | Role::CenterManager)
    }
}
