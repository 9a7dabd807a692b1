//! Institutions (org units) and the center registry's code lists
//! (domain/2017-healthy-family-centers-part1.md §2.2 and §8.2, seed 002 L1399–1417).

use crate::code_list;
use crate::code_list::CodeList;
use crate::field::FieldError;
use crate::text;

code_list! {
    /// Level in the hierarchy 여성가족부 → 한국건강가정진흥원 → 시·도 → 시·군·구 → 센터 → 공간.
    pub enum OrgKind {
        Ministry => ("ministry", "여성가족부", "Ministry"),
        Agency => ("agency", "한국건강가정진흥원", "National agency"),
        Province => ("province", "시·도", "Province"),
        District => ("district", "시·군·구", "City/county/district"),
        Center => ("center", "센터", "Center"),
        Site => ("site", "공간", "Site"),
    }
}

impl OrgKind {
    /// The kind a unit of this kind may have as its parent; `None` for the root.
    pub fn parent_kind(self) -> Option<OrgKind> {
        match self {
            OrgKind::Ministry => None,
            OrgKind::Agency => Some(OrgKind::Ministry),
            OrgKind::Province => Some(OrgKind::Agency),
            OrgKind::District => Some(OrgKind::Province),
            OrgKind::Center => Some(OrgKind::District),
            OrgKind::Site => Some(OrgKind::Center),
        }
    }

    /// The kind a child of this kind has, if any.
    pub fn child_kind(self) -> Option<OrgKind> {
        OrgKind::ALL.iter().copied().find(|k| k.parent_kind() == Some(self))
    }
}

code_list! {
    /// The center's designation as it appears in its name (가족센터 since 2021).
    pub enum CenterType {
        FamilyCenter => ("family_center", "가족센터", "Family center"),
        HealthyFamily => ("healthy_family", "건강가정지원센터", "Healthy family support center"),
        Multicultural => ("multicultural", "다문화가족지원센터", "Multicultural family support center"),
        Integrated => ("integrated", "건강가정·다문화가족지원센터", "Integrated HFSC·MFSC"),
    }
}

code_list! {
    /// 센터구분 (L1402).
    pub enum CenterCategory {
        Kihf => ("kihf", "한가원", "National agency (KIHF)"),
        Provincial => ("provincial", "광역센터", "Provincial center"),
        General => ("general", "일반센터", "General (local) center"),
        Integrated => ("integrated", "통합센터", "Integrated center"),
    }
}

code_list! {
    /// 소속광역센터 (L1403). Daejeon is absent in the guide: it does local-center work (L1094).
    pub enum ParentProvincialCenter {
        Kihf => ("kihf", "한가원", "KIHF"),
        Seoul => ("seoul", "서울", "Seoul"),
        Busan => ("busan", "부산", "Busan"),
        Gyeonggi => ("gyeonggi", "경기", "Gyeonggi"),
        Gyeongnam => ("gyeongnam", "경남", "Gyeongnam"),
    }
}

code_list! {
    /// 센터유형 (L1405, L355–366).
    pub enum CenterForm {
        Independent => ("independent", "독립형", "Independent"),
        MultiFunction => ("multi_function", "다기능화", "Multi-function"),
    }
}

code_list! {
    /// 운영형태 (L1406).
    pub enum OperationForm {
        Outsourced => ("outsourced", "위탁", "Outsourced"),
        Direct => ("direct", "직영", "Directly operated"),
        Designated => ("designated", "지정", "Designated"),
    }
}

code_list! {
    /// 재원형태 (L1407).
    pub enum FundingForm {
        National => ("national", "국비", "National and local funds"),
        Local => ("local", "지방비", "Local funds only"),
    }
}

code_list! {
    /// 위탁법인 형태 (L1410).
    pub enum TrusteeType {
        Association => ("association", "사단법인", "Incorporated association"),
        SocialWelfare => ("social_welfare", "사회복지법인", "Social welfare corporation"),
        Foundation => ("foundation", "재단법인", "Foundation"),
        School => ("school", "학교법인", "School corporation"),
        LocalGovernment => ("local_government", "지자체직영", "Local government (direct)"),
        Other => ("other", "기타", "Other"),
    }
}

code_list! {
    /// 공간 소유현황 (L1412).
    pub enum SpaceOwnership {
        LocalGovOwned => ("local_gov_owned", "지자체소유", "Owned by local government"),
        LocalGovLeased => ("local_gov_leased", "지자체임대", "Leased by local government"),
        TrusteeOwned => ("trustee_owned", "위탁법인 소유", "Owned by trustee"),
        TrusteeLeased => ("trustee_leased", "위탁법인 임대", "Leased by trustee"),
    }
}

code_list! {
    /// 법인일치여부 (L1409). The guide does not explain it; kept as entered.
    pub enum CorporationMatch {
        Match => ("match", "일치", "Match"),
        Mismatch => ("mismatch", "불일치", "Mismatch"),
    }
}

code_list! {
    /// 센터장 상근여부 (L1408).
    pub enum Employment {
        FullTime => ("full_time", "상근", "Full-time"),
        PartTime => ("part_time", "비상근", "Part-time"),
    }
}

code_list! {
    /// What a site (a room or space of a center) is used for.
    pub enum SiteKind {
        Nanumteo => ("nanumteo", "공동육아나눔터", "Co-parenting sharing space"),
        CounselingRoom => ("counseling_room", "상담실", "Counseling room"),
        EducationRoom => ("education_room", "교육실", "Education room"),
        VisitationRoom => ("visitation_room", "면접교섭실", "Visitation room"),
        Other => ("other", "기타", "Other"),
    }
}

/// An org unit's display name: 1–100 characters after trimming and NFC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgName(String);

impl OrgName {
    pub const MAX: usize = 100;

    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let v = text::clean(raw);
        if v.is_empty() {
            return Err(FieldError::new(field, "required"));
        }
        if text::char_len(&v) > Self::MAX {
            return Err(FieldError::new(field, "too_long"));
        }
        if v.chars().any(char::is_control) {
            return Err(FieldError::new(field, "invalid"));
        }
        Ok(Self(v))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A stable institution code: administrative codes for provinces and districts
/// (e.g. `11`, `11215`), an assigned code for centers (e.g. `C-11215-01`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgCode(String);

impl OrgCode {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let v = raw.trim().to_ascii_uppercase();
        if v.is_empty() {
            return Err(FieldError::new(field, "required"));
        }
        let ok = v.len() <= 32
            && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            && v.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
        if ok { Ok(Self(v)) } else { Err(FieldError::new(field, "invalid_code")) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// Parses a code-list value from a form/JSON string, naming the field and the allowed codes.
pub fn parse_code<T: CodeList>(field: &str, raw: &str) -> Result<T, FieldError> {
    let v = raw.trim();
    if v.is_empty() {
        return Err(FieldError::new(field, "required"));
    }
    T::parse(v).ok_or_else(|| {
        FieldError::new(field, "unknown_value").with_allowed(T::codes().into_iter().map(String::from).collect())
    })
}

/// Optional code-list value: blank means "not entered".
pub fn parse_code_opt<T: CodeList>(field: &str, raw: Option<&str>) -> Result<Option<T>, FieldError> {
    match raw.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => parse_code(field, v).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hierarchy_is_a_chain() {
        let mut k = OrgKind::Ministry;
        let mut seen = vec![k];
        while let Some(c) = k.child_kind() {
            assert_eq!(c.parent_kind(), Some(k));
            seen.push(c);
            k = c;
        }
        assert_eq!(seen, OrgKind::ALL);
    }

    #[test]
    fn codes_and_names() {
        assert_eq!(OrgCode::parse("code", " c-11215-01 ").map(OrgCode::into_inner), Ok("C-11215-01".into()));
        assert!(OrgCode::parse("code", "a b").is_err());
        assert!(OrgName::parse("name", "  ").is_err());
        assert!(OrgName::parse("name", &"가".repeat(101)).is_err());
        assert_eq!(OrgName::parse("name", "광진구가족센터").map(OrgName::into_inner), Ok("광진구가족센터".into()));
        let e = parse_code::<OperationForm>("operation_form", "leased").unwrap_err();
        assert_eq!(e.code, "unknown_value");
        assert_eq!(e.allowed, vec!["outsourced", "direct", "designated"]);
    }
}
