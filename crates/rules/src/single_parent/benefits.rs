//! What an eligible family receives (R-B01–R-B13): monthly allowances per child and the
//! annual items, each with its amount and timing.

use std::fmt;

use serde::Serialize;

use super::Interps;
use super::eligibility::Status;
use super::input::{ApplicantAge, ChildFacts, FamilyType, Request, SchoolLevel};
use crate::money::Won;
use crate::params::Resolved;
use crate::params::single_parent::{Params, Y01Basis};
use crate::trace::{Outcome, Step, Trace};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BenefitCode {
    B01,
    B02a,
    B02b,
    B02c,
    B03,
    B04,
    B05,
    Y01,
    Y02,
    Y03,
}

impl BenefitCode {
    pub fn ko(self) -> &'static str {
        match self {
            Self::B01 => "아동양육비",
            Self::B02a | Self::B02b | Self::B02c => "추가아동양육비",
            Self::B03 => "월동비",
            Self::B04 => "자녀학습지원비",
            Self::B05 => "학용품비",
            Self::Y01 => "청소년 한부모 아동양육비",
            Self::Y02 => "청소년 한부모 검정고시학습비",
            Self::Y03 => "청소년 한부모 자립촉진수당",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            Self::B01 => "child-rearing allowance",
            Self::B02a | Self::B02b | Self::B02c => "additional child-rearing allowance",
            Self::B03 => "winter allowance",
            Self::B04 => "learning support",
            Self::B05 => "school-supplies cost",
            Self::Y01 => "youth child-rearing allowance",
            Self::Y02 => "youth exam-study cost",
            Self::Y03 => "youth independence allowance",
        }
    }
}

/// When an annual item is paid (§4.1.3 T2/T3 timing column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Schedule {
    EndOfOctober,
    TwoInstalments,
    OnceAYear,
    OnApplication,
}

#[derive(Debug, Clone, Serialize)]
pub struct MonthlyItem<'r> {
    pub benefit_code: BenefitCode,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child_id: Option<&'r str>,
    pub amount: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct AnnualItem<'r> {
    pub benefit_code: BenefitCode,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child_id: Option<&'r str>,
    pub amount: i64,
    pub schedule: Schedule,
    pub payments: Vec<Payment>,
}

/// One instalment of an annual item.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Payment {
    pub month: u32,
    pub amount: i64,
}

#[derive(Debug, Default)]
pub struct Benefits<'r> {
    pub monthly: Vec<MonthlyItem<'r>>,
    pub annual: Vec<AnnualItem<'r>>,
}

impl Benefits<'_> {
    pub fn monthly_total(&self) -> i64 {
        self.monthly.iter().map(|m| m.amount).sum()
    }
    pub fn annual_items_total(&self) -> i64 {
        self.annual.iter().map(|a| a.amount).sum()
    }
}

/// Who a grant is for, written into the sentence without an intermediate string.
#[derive(Clone, Copy)]
enum Who<'r> {
    ChildAgeKo(&'r str, u32),
    ChildAgeEn(&'r str, u32),
    PupilKo(&'r str, SchoolLevel),
    PupilEn(&'r str, SchoolLevel),
}

impl fmt::Display for Who<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::ChildAgeKo(id, age) => write!(f, "자녀 {id}(만 {age}세)"),
            Self::ChildAgeEn(id, age) => write!(f, "child {id} (age {age})"),
            Self::PupilKo(id, level) => write!(f, "자녀 {id}({})", level.ko()),
            Self::PupilEn(id, level) => write!(f, "child {id} ({})", level.en()),
        }
    }
}

struct Ctx<'t, 'a> {
    p: &'a Resolved<Params>,
    trace: &'t mut Trace<'a>,
}

impl<'a> Ctx<'_, 'a> {
    #[allow(clippy::too_many_arguments)] // each is one part of the sentence of the trace
    fn grant(
        &mut self,
        rule: &'static str,
        param: &'a str,
        amount: i64,
        who_ko: &dyn fmt::Display,
        who_en: &dyn fmt::Display,
        unit_ko: &str,
        unit_en: &str,
    ) {
        self.trace.push(
            Step {
                rule,
                outcome: Outcome::Pass,
                parameter: Some(param),
                value: Some(amount.into()),
                source: Some(self.p.source(param)),
            },
            format_args!("{who_ko}: {unit_ko} {}원.", Won(amount)),
            format_args!("{who_en}: {unit_en} {} won", Won(amount)),
        );
    }
}

#[allow(clippy::too_many_arguments)] // the facts settled by eligibility, passed on as they are
pub fn compute<'r, 'a>(
    req: &Request,
    status: Status,
    p: &'a Resolved<Params>,
    children: &[ChildFacts<'r>],
    qualifying: &[usize],
    parent_age: Option<ApplicantAge>,
    evaluation_month: u32,
    trace: &mut Trace<'a>,
    interps: &mut Interps,
) -> Benefits<'r> {
    let mut out = Benefits::default();
    if !status.is_eligible() {
        return out;
    }
    let v = &p.values;
    let youth = status == Status::EligibleYouth;
    let grandparent = req.family_type == FamilyType::Grandparent;
    let parent_age = parent_age.map_or(0, |a| a.years);
    let unmarried = req.applicant.as_ref().is_some_and(|a| a.is_unmarried);
    let young_adult =
        !grandparent && (v.young_adult_parent_min_age..=v.young_adult_parent_max_age).contains(&parent_age);
    let b02a_family = grandparent || (unmarried && parent_age >= v.unmarried_extra_parent_min_age);
    let mut cx = Ctx { p, trace };

    let minors: Vec<&ChildFacts<'r>> =
        qualifying.iter().map(|&i| &children[i]).filter(|c| c.age.years < v.child_age_limit).collect();

    // Monthly: B01 and B02* for general families; Y01/Y03 for youth families.
    let pay_b01 = !youth || !v.i2_y01_replaces_b01;
    if youth {
        interps.mark(1);
        interps.mark(2);
    }
    for ch in &minors {
        let id: &'r str = ch.id;
        let (who_ko, who_en) = (Who::ChildAgeKo(id, ch.age.years), Who::ChildAgeEn(id, ch.age.years));
        if pay_b01 {
            cx.grant(
                "R-B01",
                "b01_amount",
                v.b01_amount,
                &who_ko,
                &who_en,
                "아동양육비 월",
                "child-rearing allowance per month",
            );
            out.monthly.push(MonthlyItem { benefit_code: BenefitCode::B01, child_id: Some(id), amount: v.b01_amount });
        }
        if youth {
            if v.i1_y01_basis == Y01Basis::PerChild {
                cx.grant(
                    "R-B09",
                    "y01_amount",
                    v.y01_amount,
                    &who_ko,
                    &who_en,
                    "청소년 한부모 아동양육비 월",
                    "youth child-rearing allowance per month",
                );
                out.monthly.push(MonthlyItem {
                    benefit_code: BenefitCode::Y01,
                    child_id: Some(id),
                    amount: v.y01_amount,
                });
            }
            continue;
        }
        let infant = ch.age.years <= v.extra_infant_max_age;
        if b02a_family && infant {
            cx.grant(
                "R-B03",
                "b02a_amount",
                v.b02a_amount,
                &who_ko,
                &who_en,
                "추가아동양육비(조손·35세 이상 미혼) 월",
                "additional allowance (grandparent / unmarried 35+) per month",
            );
            out.monthly.push(MonthlyItem {
                benefit_code: BenefitCode::B02a,
                child_id: Some(id),
                amount: v.b02a_amount,
            });
        } else if young_adult && infant {
            cx.grant(
                "R-B04",
                "b02b_amount",
                v.b02b_amount,
                &who_ko,
                &who_en,
                "추가아동양육비(청년 한부모, 만 5세 이하) 월",
                "additional allowance (parent 25-34, child ≤5) per month",
            );
            out.monthly.push(MonthlyItem {
                benefit_code: BenefitCode::B02b,
                child_id: Some(id),
                amount: v.b02b_amount,
            });
        } else if young_adult && ch.age.years >= v.extra_child_min_age {
            cx.grant(
                "R-B04",
                "b02c_amount",
                v.b02c_amount,
                &who_ko,
                &who_en,
                "추가아동양육비(청년 한부모, 만 6~17세) 월",
                "additional allowance (parent 25-34, child 6-17) per month",
            );
            out.monthly.push(MonthlyItem {
                benefit_code: BenefitCode::B02c,
                child_id: Some(id),
                amount: v.b02c_amount,
            });
        }
    }
    if youth && v.i1_y01_basis == Y01Basis::PerHousehold && !minors.is_empty() {
        cx.grant(
            "R-B09",
            "y01_amount",
            v.y01_amount,
            &"가구",
            &"household",
            "청소년 한부모 아동양육비 월",
            "youth child-rearing allowance per month",
        );
        out.monthly.push(MonthlyItem { benefit_code: BenefitCode::Y01, child_id: None, amount: v.y01_amount });
    }
    if !youth
        && !grandparent
        && !young_adult
        && !b02a_family
        && minors.iter().any(|c| c.age.years <= v.extra_infant_max_age || c.age.years >= v.extra_child_min_age)
    {
        cx.trace.fact(
            "R-B05",
            Outcome::Info,
            format_args!(
                "부·모 만 {parent_age}세(미혼 35세 이상 또는 청년 25~34세 아님): 추가아동양육비 대상이 아닙니다."
            ),
            format_args!(
                "parent aged {parent_age} (neither unmarried 35+ nor 25-34): no additional child-rearing allowance"
            ),
        );
    }
    if youth {
        let active = req.applicant.as_ref().is_some_and(|a| a.study_or_job_activity);
        if active {
            cx.grant(
                "R-B11",
                "y03_amount",
                v.y03_amount,
                &"부·모(학업·취업활동)",
                &"parent (studying or working)",
                "청소년 한부모 자립촉진수당 월",
                "youth independence allowance per month",
            );
            out.monthly.push(MonthlyItem { benefit_code: BenefitCode::Y03, child_id: None, amount: v.y03_amount });
        }
    }

    // Annual items.
    let extras = !youth || v.i3_youth_gets_general_extras;
    if youth {
        interps.mark(3);
    }
    if extras {
        cx.grant(
            "R-B06",
            "b03_amount",
            v.b03_amount,
            &"가구",
            &"household",
            "월동비(10월 말) 연",
            "winter allowance (end of October) per year",
        );
        out.annual.push(AnnualItem {
            benefit_code: BenefitCode::B03,
            child_id: None,
            amount: v.b03_amount,
            schedule: Schedule::EndOfOctober,
            payments: vec![Payment { month: v.b03_payment_month, amount: v.b03_amount }],
        });
        for &i in qualifying {
            let ch = &children[i];
            if !ch.enrolled {
                continue;
            }
            let id: &'r str = ch.id;
            let b04 = match ch.school_level {
                SchoolLevel::Elementary => Some(v.b04_amount.elementary),
                SchoolLevel::Middle => Some(v.b04_amount.middle),
                SchoolLevel::High => Some(v.b04_amount.high),
                SchoolLevel::None | SchoolLevel::Other => None,
            };
            let (who_ko, who_en) = (Who::PupilKo(id, ch.school_level), Who::PupilEn(id, ch.school_level));
            if let Some(amount) = b04 {
                interps.mark(4);
                let (first, second) = crate::money::split_pct(amount, v.i4_b04_first_instalment_pct);
                let [m1, m2] = v.b04_payment_months;
                cx.grant(
                    "R-B07",
                    "b04_amount",
                    amount,
                    &who_ko,
                    &who_en,
                    "자녀학습지원비(5월·10월 분할) 연",
                    "learning support (May and October instalments) per year",
                );
                out.annual.push(AnnualItem {
                    benefit_code: BenefitCode::B04,
                    child_id: Some(id),
                    amount,
                    schedule: Schedule::TwoInstalments,
                    payments: vec![Payment { month: m1, amount: first }, Payment { month: m2, amount: second }],
                });
            }
            if v.b05_school_levels.contains(&ch.school_level) {
                interps.mark(5);
                cx.grant(
                    "R-B08",
                    "b05_amount",
                    v.b05_amount,
                    &who_ko,
                    &who_en,
                    "학용품비 연",
                    "school-supplies cost per year",
                );
                out.annual.push(AnnualItem {
                    benefit_code: BenefitCode::B05,
                    child_id: Some(id),
                    amount: v.b05_amount,
                    schedule: Schedule::OnceAYear,
                    payments: vec![Payment { month: v.i5_b05_payment_month, amount: v.b05_amount }],
                });
            }
        }
    }
    if youth && let Some(claimed) = req.exam_study_cost_claimed.filter(|c| *c > 0) {
        interps.mark(11);
        let already = if v.i11_y02_cap_cumulative { req.exam_study_cost_granted_this_year.unwrap_or(0) } else { 0 };
        let room = (v.y02_annual_cap - already).max(0);
        let granted = claimed.min(room);
        let step = Step {
            rule: "R-B10",
            outcome: Outcome::Pass,
            parameter: Some("y02_annual_cap"),
            value: Some(v.y02_annual_cap.into()),
            source: Some(p.source("y02_annual_cap")),
        };
        let cap = Won(v.y02_annual_cap);
        if already > 0 {
            cx.trace.push(
                step,
                format_args!(
                    "검정고시학습비: 신청 {}원, 연 한도 {cap}원(올해 기지급 {}원) → 지급 {}원.",
                    Won(claimed),
                    Won(already),
                    Won(granted)
                ),
                format_args!(
                    "exam-study cost: claimed {} won, annual cap {cap} won (already granted {} won this year) → granted {} won",
                    Won(claimed),
                    Won(already),
                    Won(granted)
                ),
            );
        } else {
            cx.trace.push(
                step,
                format_args!("검정고시학습비: 신청 {}원, 연 한도 {cap}원 → 지급 {}원.", Won(claimed), Won(granted)),
                format_args!(
                    "exam-study cost: claimed {} won, annual cap {cap} won → granted {} won",
                    Won(claimed),
                    Won(granted)
                ),
            );
        }
        if granted > 0 {
            out.annual.push(AnnualItem {
                benefit_code: BenefitCode::Y02,
                child_id: None,
                amount: granted,
                schedule: Schedule::OnApplication,
                payments: vec![Payment { month: evaluation_month, amount: granted }],
            });
        }
    }
    out
}
