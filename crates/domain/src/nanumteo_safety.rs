//! 공동육아나눔터 safety and membership code lists (seed 001 Ch.5 §3 and forms 3, 12). The
//! checklist item texts, ranges and intervals are rules data (`rules/nanumteo/safety-2018.json`).

use crate::code_list;

code_list! {
    /// 주간별 (20 items) and 분기별 (17 items) 안전관리 점검표 (seed 001 L699-833).
    pub enum ChecklistKind {
        Weekly => ("weekly", "주간별 안전관리 점검표", "Weekly safety checklist"),
        Quarterly => ("quarterly", "분기별 안전관리 점검표", "Quarterly safety checklist"),
    }
}

code_list! {
    /// The result of one checklist item (seed 001 L751-752: □양호 □불량 □해당없음 □기타(  )).
    pub enum ItemResult {
        Good => ("good", "양호", "Good"),
        Poor => ("poor", "불량", "Poor"),
        NotApplicable => ("not_applicable", "해당없음", "Not applicable"),
        Other => ("other", "기타", "Other"),
    }
}

code_list! {
    /// Inspections by outside agencies and contractors (seed 001 L560-562).
    pub enum InspectionKind {
        Electrical => ("electrical", "전기 안전점검", "Electrical inspection"),
        Gas => ("gas", "가스 안전점검", "Gas inspection"),
        Elevator => ("elevator", "승강기 안전점검", "Elevator inspection"),
        PestControl => ("pest_control", "정기방역", "Pest control"),
    }
}

code_list! {
    /// Who may ask to view CCTV footage (seed 001 L601-603: 열람권자).
    pub enum CctvRequester {
        Guardian => ("guardian", "보호자", "Guardian"),
        Official => ("official", "담당공무원", "Responsible official"),
        AgencyStaff => ("agency_staff", "관계기관 직원", "Related-agency staff"),
    }
}

code_list! {
    pub enum CctvStatus {
        Requested => ("requested", "열람 요청", "Requested"),
        Approved => ("approved", "열람 승인", "Approved"),
        Denied => ("denied", "열람 거부", "Denied"),
    }
}

code_list! {
    /// 희망하는 육아형태 on the application (seed 001 L1390-1394).
    pub enum PumasiFrequency {
        Daily => ("daily", "매일", "Daily"),
        Weekly => ("weekly", "주 1회", "Once a week"),
        TwiceWeekly => ("twice_weekly", "주 2~3회", "2–3 times a week"),
        TwiceMonthly => ("twice_monthly", "월 2~3회", "2–3 times a month"),
    }
}

code_list! {
    /// 희망하는 품앗이친구 on the application (seed 001 L1396-1400).
    pub enum PartnerPref {
        Nearby => ("nearby", "가까운 지역", "Nearby"),
        ChildAgeLevel => ("child_age_level", "아이들 나이 및 학습수준", "Children's age and level"),
        ParentAffinity => ("parent_affinity", "엄마들 성격 및 호감도", "Parents' personality and affinity"),
    }
}

code_list! {
    /// 신규로 활동 / 기존그룹에 들어가고 싶다 (seed 001 L1363, 품앗이 applicants only).
    pub enum JoinMode {
        New => ("new", "신규로 활동하고 싶다", "Start a new group"),
        Existing => ("existing", "기존그룹에 들어가고 싶다", "Join an existing group"),
    }
}
