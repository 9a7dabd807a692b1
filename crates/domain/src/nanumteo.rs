//! 공동육아나눔터 and 가족품앗이: code lists and the arithmetic of the rules (seed 001 Ch.5,
//! seed 002 Part 2). The numbers themselves are rules data (`rules/nanumteo/*.json`).

use chrono::{Datelike, Months, NaiveDate};

use crate::code_list;

code_list! {
    /// 센터내부형 / 센터외부형 (seed 001 L119, L408).
    pub enum Placement {
        Inside => ("inside", "센터내부형", "Inside the center"),
        Outside => ("outside", "센터외부형", "Outside the center"),
    }
}

code_list! {
    /// Who owns or lends the space (seed 001 L406, L410-419).
    pub enum Ownership {
        LocalGovernment => ("local_government", "지자체", "Local government"),
        ParentCorporation => ("parent_corporation", "법인(모법인 건물)", "Parent corporation"),
        AgreementCorporation => ("agreement_corporation", "법인(기관협약)", "Corporation under agreement"),
        Other => ("other", "기타(도서관·아파트 관리사무소 등)", "Other (library, apartment office, ...)"),
    }
}

code_list! {
    /// An infectious-disease flag on a member (CS-71).
    pub enum HealthStatus {
        Suspected => ("suspected", "전염성 질환 의심", "Suspected infectious disease"),
        Confirmed => ("confirmed", "전염성 질환 확진", "Confirmed infectious disease"),
        /// Recorded, never refused: not transmitted by everyday contact (seed 001 L542-543).
        HepatitisBCarrier => ("hepatitis_b_carrier", "B형간염 보균(출입 제한 없음)", "Hepatitis B carrier (no restriction)"),
    }
}

impl HealthStatus {
    pub fn restricts_entry(self) -> bool {
        !matches!(self, HealthStatus::HepatitisBCarrier)
    }
}

code_list! {
    pub enum VisitPurpose {
        Use => ("use", "이용", "Use of the space"),
        /// Came to borrow or return: counted as a user only after 30 minutes (CS-08).
        Loan => ("loan", "대여·반납", "Borrowing or returning"),
    }
}

code_list! {
    pub enum ItemKind {
        Toy => ("toy", "장난감", "Toy"),
        Book => ("book", "도서", "Book"),
    }
}

code_list! {
    /// The disinfection schedule (CS-60, CS-61).
    pub enum DisinfectionKind {
        OnReturn => ("on_return", "반납 시 소독", "On return"),
        DailySpray => ("daily_spray", "매일 분무 소독", "Daily spray"),
        WeeklyThorough => ("weekly_thorough", "주 1회 철저 소독", "Weekly thorough"),
        MonthlyFull => ("monthly_full", "월 1회 대여 장난감 전체 소독", "Monthly full (lendable toys)"),
    }
}

code_list! {
    /// The 7 품앗이 types (seed 001 L968-1004, form 4 codes 1-7).
    pub enum PumasiKind {
        SchoolEscort => ("school_escort", "① 등하교동행품앗이", "School escort"),
        Experience => ("experience", "② 체험활동품앗이", "Experience activities"),
        Play => ("play", "③ 놀이품앗이", "Play"),
        Learning => ("learning", "④ 학습품앗이", "Learning"),
        ArtsSports => ("arts_sports", "⑤ 예체능취미활동품앗이", "Arts, sports, hobbies"),
        ParentEducation => ("parent_education", "⑥ 부모교육품앗이", "Parent education"),
        SmallParenting => ("small_parenting", "⑦ 작은육아품앗이", "Small parenting"),
    }
}

code_list! {
    /// What a 품앗이 expense was for. Snacks and assets exist only to be refused by name.
    pub enum ExpenseCategory {
        Materials => ("materials", "활동 재료비", "Activity materials"),
        ExperienceFee => ("experience_fee", "체험비·입장료", "Experience or admission fee"),
        Snacks => ("snacks", "간식·다과", "Snacks and refreshments"),
        Asset => ("asset", "자산 구입", "Asset purchase"),
    }
}

/// The steps of the monthly plan's approval box (서식7), 1-based.
pub const PLAN_STEPS: [(&str, &str); 4] = [
    ("담당자", "Staff"),
    ("팀장", "Team leader"),
    ("사무국장(총괄팀장)", "Secretary-general"),
    ("센터장", "Center head"),
];

/// Days late on `returned` (0 when on time).
pub fn late_days(due: NaiveDate, returned: NaiveDate) -> i64 {
    (returned - due).num_days().max(0)
}

/// The day a suspension ends, or None when the lateness does not reach the threshold.
pub fn suspension_until(late: i64, threshold_days: i64, months: u32, returned: NaiveDate) -> Option<NaiveDate> {
    if threshold_days > 0 && late >= threshold_days { returned.checked_add_months(Months::new(months)) } else { None }
}

/// Share of dual-income families in percent, rounded down; (dual, total) families.
pub fn dual_income_percent(dual: i64, total: i64) -> i64 {
    if total <= 0 { 0 } else { dual * 100 / total }
}

/// A group "mixes" dual-income and other families with at least `min_percent` dual-income.
pub fn is_mixed_dual_income(dual: i64, total: i64, min_percent: i64) -> bool {
    dual > 0 && dual < total && dual_income_percent(dual, total) >= min_percent
}

/// 1 for January–June, 2 for July–December.
pub fn half_of(d: NaiveDate) -> u32 {
    if d.month() <= 6 { 1 } else { 2 }
}

/// Minutes between two `HH:MM` times, None when either is malformed.
pub fn minutes_between(from: &str, to: &str) -> Option<i64> {
    let m = |s: &str| -> Option<i64> {
        let (h, mi) = s.split_once(':')?;
        let (h, mi): (i64, i64) = (h.parse().ok()?, mi.parse().ok()?);
        ((0..24).contains(&h) && (0..60).contains(&mi)).then_some(h * 60 + mi)
    };
    Some(m(to)? - m(from)?)
}

/// Parses `HH:MM` strictly.
pub fn parse_hhmm(s: &str) -> Option<String> {
    let t = s.trim();
    minutes_between("00:00", t).filter(|_| t.len() == 5).map(|_| t.to_string())
}

/// Children's ages as typed at the desk ("3, 5") → sorted ages 0..=18.
pub fn parse_ages(raw: &str) -> Option<Vec<i64>> {
    let mut v = Vec::new();
    for part in raw.split([',', ' ', '/']).filter(|p| !p.is_empty()) {
        let a: i64 = part.trim_end_matches('세').parse().ok()?;
        if !(0..=18).contains(&a) {
            return None;
        }
        v.push(a);
    }
    v.sort_unstable();
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn late_fee_arithmetic_of_the_example_rules() {
        assert_eq!(late_days(d("2026-03-15"), d("2026-03-14")), 0);
        assert_eq!(late_days(d("2026-03-15"), d("2026-03-22")), 7);
        assert_eq!(suspension_until(7, 7, 1, d("2026-03-22")), Some(d("2026-04-22")));
        assert_eq!(suspension_until(6, 7, 1, d("2026-03-21")), None);
    }

    #[test]
    fn dual_income_mix() {
        assert_eq!(dual_income_percent(2, 5), 40);
        assert!(is_mixed_dual_income(2, 5, 40));
        assert!(!is_mixed_dual_income(1, 3, 40), "33 % is below 40 %");
        assert!(!is_mixed_dual_income(3, 3, 40), "all dual-income is not a mix");
    }

    #[test]
    fn times_and_ages() {
        assert_eq!(minutes_between("10:00", "10:29"), Some(29));
        assert_eq!(parse_hhmm("9:00"), None);
        assert_eq!(parse_ages("5, 3세"), Some(vec![3, 5]));
        assert_eq!(parse_ages("20"), None);
        assert_eq!(half_of(d("2026-07-01")), 2);
    }
}
