//! 가족역량강화지원 eligibility: the vulnerable-family income test (기준 중위소득 72%, or its
//! health-insurance premium equivalent), emergency-crisis and divorce-filing families, the
//! Family Happiness Dream (가족행복드림) target, priorities and exclusions
//! (seeds/001:L2333-L2426; seeds/002:L5509-L5536, L7520-L7547).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::age::age_at;
use crate::error::InputError;
use crate::insurance::{HealthInsurance, MeasureUsed};
use crate::money::Won;
use crate::params::family_capacity::{Measure, Params};
use crate::params::{ParameterInfo, Resolved, RuleBook};
use crate::single_parent::input::{SchoolLevel, check_person_age};
use crate::trace::{Outcome, Step, Trace, TraceValue, cmp_sign};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FamilyKind {
    SingleParent,
    Grandparent,
    UnmarriedParent,
    Multicultural,
    NorthKoreanDefector,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CrisisEvent {
    DomesticViolence,
    Divorce,
    Suicide,
    Death,
    Accident,
    EconomicOrSocialCrisis,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FamilyRisk {
    FamilyBreakdown,
    RelationshipBreakdown,
    DomesticViolence,
    ChildAbuse,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Child {
    #[serde(default)]
    pub birth_date: Option<NaiveDate>,
    #[serde(default)]
    pub age_years: Option<i64>,
    #[serde(default)]
    pub school_level: SchoolLevel,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    pub evaluation_date: NaiveDate,
    pub household_size: i64,
    #[serde(default)]
    pub monthly_income: Option<i64>,
    #[serde(default)]
    pub health_insurance: Option<HealthInsurance>,
    #[serde(default)]
    pub family_types: Vec<FamilyKind>,
    /// (Grand)children living with the family.
    pub children: Vec<Child>,
    #[serde(default)]
    pub crisis_event: Option<CrisisEvent>,
    #[serde(default)]
    pub divorce_filed_in_court: bool,
    #[serde(default)]
    pub family_risks: Vec<FamilyRisk>,
    #[serde(default)]
    pub non_custodial_parent: bool,
    #[serde(default)]
    pub dual_income: bool,
    #[serde(default)]
    pub child_abuse_signs: bool,
    #[serde(default)]
    pub basic_livelihood_recipient: bool,
    #[serde(default)]
    pub self_reliance_will: bool,
    #[serde(default)]
    pub receives_similar_government_service: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Eligible,
    NotEligible,
    UndefinedThreshold,
    InsufficientData,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    VulnerableFamily,
    EmergencyCrisis,
    DivorceFiling,
    FamilyHappinessDream,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PriorityReason {
    NonRecipientSelfReliant,
    IncomeWithinThreshold,
    SingleParentOrGrandparent,
    ThreeOrMoreChildren,
    DualIncome,
    ChildAbuseSigns,
}

#[derive(Debug, Clone, Serialize)]
pub struct CategoryResult {
    pub category: Category,
    pub status: Status,
    pub priority_reasons: Vec<PriorityReason>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IncomeTest {
    pub measure: MeasureUsed,
    pub value: i64,
    pub threshold: i64,
    pub threshold_pct: i64,
    pub passed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExcludedService {
    LearningSupport,
    LivingSupport,
}

#[derive(Debug, Clone, Serialize)]
pub struct Output<'a> {
    pub status: Status,
    pub evaluation_date: NaiveDate,
    pub household_size: i64,
    pub reasons: Vec<String>,
    pub income_test: Option<IncomeTest>,
    pub categories: Vec<CategoryResult>,
    pub excluded_services: Vec<ExcludedService>,
    pub interpretations_applied: Vec<&'static str>,
    pub parameters: Option<&'a ParameterInfo>,
    pub trace: Trace<'a>,
}

pub fn parse(json: &str) -> Result<Request, InputError> {
    let req: Request = crate::parse_json(json)?;
    validate(&req)?;
    Ok(req)
}

fn validate(req: &Request) -> Result<(), InputError> {
    if !(1..=99).contains(&req.household_size) {
        return Err(InputError::out_of_range("household_size", req.household_size, 1, 99));
    }
    if let Some(v) = req.monthly_income.filter(|v| *v < 0) {
        return Err(InputError::negative("monthly_income", v));
    }
    if let Some(h) = &req.health_insurance {
        h.validate("health_insurance")?;
    }
    for (i, c) in req.children.iter().enumerate() {
        check_person_age(&format_args!("children[{i}]"), c.birth_date, c.age_years, None, req.evaluation_date)?;
    }
    Ok(())
}

fn entry<'a>(
    p: &'a Resolved<Params>,
    rule: &'static str,
    outcome: Outcome,
    name: &'a str,
    value: TraceValue,
) -> Step<'a> {
    Step { rule, outcome, parameter: Some(name), value: Some(value), source: Some(p.source(name)) }
}

fn pass_fail(ok: bool) -> Outcome {
    if ok { Outcome::Pass } else { Outcome::Fail }
}

pub fn evaluate<'a>(book: &'a RuleBook, req: &Request) -> Output<'a> {
    let date = req.evaluation_date;
    let mut trace = Trace::new();
    let mut out = Output {
        status: Status::UndefinedThreshold,
        evaluation_date: date,
        household_size: req.household_size,
        reasons: Vec::new(),
        income_test: None,
        categories: Vec::new(),
        excluded_services: Vec::new(),
        interpretations_applied: Vec::new(),
        parameters: None,
        trace: Trace::new(),
    };
    let Some(p) = book.family_capacity_at(date) else {
        trace.fact(
            "P-01",
            Outcome::Fail,
            format_args!("{date}에 적용되는 가족역량강화지원 선정기준 파라미터가 없습니다."),
            format_args!("no family-capacity parameters are in force on {date}"),
        );
        out.reasons.push(format!("P-01 no parameters for {date}"));
        out.trace = trace;
        return out;
    };
    out.parameters = Some(&p.info);
    let (applied_ko, applied_en) = p.applied_sentences();
    trace.fact("P-01", Outcome::Info, applied_ko, applied_en);
    let v = &p.values;
    let mut interps: Vec<&'static str> = Vec::new();
    let size = u32::try_from(req.household_size).unwrap_or(0);

    // FC-20/FC-24: vulnerable family with (grand)children at ≤72% of median income.
    let vulnerable = {
        let has_children = !req.children.is_empty();
        trace.fact(
            "FC-20",
            pass_fail(has_children),
            format_args!("(손)자녀 {}명.", req.children.len()),
            format_args!("{} (grand)child(ren)", req.children.len()),
        );
        let listed = req.family_types.iter().any(|k| *k != FamilyKind::Other);
        let type_ok = listed || !v.fc_i2_requires_listed_family_type;
        if !listed {
            interps.push("fc_i2");
            trace.push(
                entry(
                    p,
                    "FC-20",
                    pass_fail(type_ok),
                    "fc_i2_requires_listed_family_type",
                    v.fc_i2_requires_listed_family_type.into(),
                ),
                format_args!(
                    "해석 FC-I2: 열거된 가족유형(한부모·조손·미혼모부자·다문화·북한이탈)이 {}.",
                    if type_ok {
                        "아니어도 대상이 될 수 있습니다"
                    } else {
                        "아니므로 대상이 아닙니다"
                    }
                ),
                format_args!(
                    "interpretation FC-I2: not one of the listed family types, {}",
                    if type_ok { "which is not required" } else { "which is required" }
                ),
            );
        }
        let test = income_test(req, p, size, &mut trace, &mut interps);
        out.income_test = test.as_ref().ok().cloned().flatten();
        let status = match test {
            Err(s) => s,
            Ok(None) => Status::InsufficientData,
            Ok(Some(t)) if t.passed && has_children && type_ok => Status::Eligible,
            Ok(Some(_)) => Status::NotEligible,
        };
        let status = if !has_children || !type_ok { Status::NotEligible } else { status };
        let mut pr = Vec::new();
        if status == Status::Eligible && !req.basic_livelihood_recipient && req.self_reliance_will {
            pr.push(PriorityReason::NonRecipientSelfReliant);
            trace.fact(
                "FC-21",
                Outcome::Info,
                "자립의지가 있는 비수급 가구로 우선 지원 대상입니다.",
                "non-recipient household with the will to be self-reliant: priority",
            );
        }
        CategoryResult { category: Category::VulnerableFamily, status, priority_reasons: pr }
    };

    // Emergency crisis and divorce-filing families have no income test.
    let crisis = CategoryResult {
        category: Category::EmergencyCrisis,
        status: if req.crisis_event.is_some() { Status::Eligible } else { Status::NotEligible },
        priority_reasons: Vec::new(),
    };
    if let Some(ev) = req.crisis_event {
        trace.fact(
            "FC-28",
            Outcome::Pass,
            format_args!("긴급위기가족: 위기사건({}) — 소득기준 없이 대상입니다.", crisis_ko(ev)),
            format_args!("emergency crisis family: crisis event ({ev:?}) — eligible without an income test"),
        );
    }
    let divorce = CategoryResult {
        category: Category::DivorceFiling,
        status: if req.divorce_filed_in_court { Status::Eligible } else { Status::NotEligible },
        priority_reasons: Vec::new(),
    };
    if req.divorce_filed_in_court {
        trace.fact(
            "FC-29",
            Outcome::Pass,
            "이혼 신청 중인 가족(선택사업) — 사업을 운영하는 기관에서 지원합니다.",
            "family that filed for divorce (optional programme, where the centre runs it)",
        );
    }

    // FC-25/FC-26 Family Happiness Dream.
    let dream = family_happiness_dream(req, p, &out.income_test, &mut trace);

    if req.receives_similar_government_service {
        out.excluded_services = vec![ExcludedService::LearningSupport, ExcludedService::LivingSupport];
        trace.fact(
            "F10",
            Outcome::Info,
            "유사한 정부 서비스를 받고 있어 학습·정서지원과 생활도움지원에서 제외됩니다.",
            "receives similar government services: excluded from learning and living support",
        );
    }

    let cats = [vulnerable, crisis, divorce, dream];
    out.status = if cats.iter().any(|c| c.status == Status::Eligible) {
        Status::Eligible
    } else if cats[0].status == Status::UndefinedThreshold {
        Status::UndefinedThreshold
    } else if cats[0].status == Status::InsufficientData {
        Status::InsufficientData
    } else {
        Status::NotEligible
    };
    out.reasons = trace
        .entries()
        .iter()
        .filter(|e| e.outcome == if out.status == Status::Eligible { Outcome::Pass } else { Outcome::Fail })
        .map(|e| trace.reason(e))
        .collect();
    if out.status == Status::Eligible {
        trace.fact(
            "FC-20",
            Outcome::Info,
            "최종 선정은 초기상담·사례회의·사례선정위원회를 거쳐 기관이 결정합니다.",
            "final selection is made by the centre through initial counselling, case conference and selection committee",
        );
    }
    out.categories = cats.into();
    out.interpretations_applied = interps;
    out.trace = trace;
    out
}

/// `Err(status)` when the test cannot be made (no row); `Ok(None)` when no measure is given.
fn income_test<'a>(
    req: &Request,
    p: &'a Resolved<Params>,
    size: u32,
    trace: &mut Trace<'a>,
    interps: &mut Vec<&'static str>,
) -> Result<Option<IncomeTest>, Status> {
    let v = &p.values;
    let use_premium = match (&req.health_insurance, req.monthly_income) {
        (None, None) => {
            trace.fact(
                "FC-24",
                Outcome::Fail,
                "소득(월 소득 또는 건강보험료)이 입력되지 않아 소득기준을 판단할 수 없습니다.",
                "neither monthly income nor health-insurance premium is given",
            );
            return Ok(None);
        }
        (Some(_), Some(_)) => {
            interps.push("fc_i1");
            trace.push(
                entry(
                    p,
                    "FC-24",
                    Outcome::Info,
                    "fc_i1_measure_precedence",
                    TraceValue::Name(v.fc_i1_measure_precedence.as_str()),
                ),
                format_args!(
                    "해석 FC-I1: 소득과 건강보험료가 모두 있으면 {}(으)로 판단합니다.",
                    if v.fc_i1_measure_precedence == Measure::Premium { "건강보험료" } else { "소득" }
                ),
                format_args!(
                    "interpretation FC-I1: with both given, the {} decides",
                    if v.fc_i1_measure_precedence == Measure::Premium { "premium" } else { "income" }
                ),
            );
            v.fc_i1_measure_precedence == Measure::Premium
        }
        (Some(_), None) => true,
        (None, Some(_)) => false,
    };
    let (measure, value, limit, name, label_ko, label_en) = match (&req.health_insurance, use_premium) {
        (Some(h), true) => (
            MeasureUsed::HealthInsurancePremium,
            h.monthly_premium,
            h.limit(&v.premium_threshold, &v.premium_threshold_with_ltc, size),
            if h.includes_long_term_care { "premium_threshold_with_ltc" } else { "premium_threshold" },
            h.label_ko(),
            h.label_en(),
        ),
        _ => (
            MeasureUsed::MonthlyIncome,
            req.monthly_income.unwrap_or(0),
            v.income_threshold.get(&size).copied(),
            "income_threshold",
            "월 소득".to_owned(),
            "monthly income".to_owned(),
        ),
    };
    let Some(limit) = limit else {
        trace.push(
            entry(p, "FC-24", Outcome::Fail, name, TraceValue::Null),
            format_args!("{size}인 가구의 기준(기준 중위소득 {}%)이 없습니다.", v.income_threshold_pct),
            format_args!("no {}% threshold for a {size}-person household", v.income_threshold_pct),
        );
        return Err(Status::UndefinedThreshold);
    };
    let passed = value <= limit;
    trace.push(
        entry(p, "FC-24", pass_fail(passed), name, limit.into()),
        format_args!(
            "{label_ko} {}원 {} {size}인 가구 기준 {}원(기준 중위소득 {}% 이하) — {}.",
            Won(value),
            cmp_sign(value, limit),
            Won(limit),
            v.income_threshold_pct,
            if passed { "충족" } else { "초과" }
        ),
        format_args!(
            "{label_en} {} won {} threshold {} won for a {size}-person household (≤{}% of standard median income) — {}",
            Won(value),
            cmp_sign(value, limit),
            Won(limit),
            v.income_threshold_pct,
            if passed { "met" } else { "exceeded" }
        ),
    );
    Ok(Some(IncomeTest { measure, value, threshold: limit, threshold_pct: v.income_threshold_pct, passed }))
}

fn family_happiness_dream<'a>(
    req: &Request,
    p: &'a Resolved<Params>,
    income: &Option<IncomeTest>,
    trace: &mut Trace<'a>,
) -> CategoryResult {
    let v = &p.values;
    let mut result = CategoryResult {
        category: Category::FamilyHappinessDream,
        status: Status::NotEligible,
        priority_reasons: Vec::new(),
    };
    if !v.family_happiness_dream_available || req.family_risks.is_empty() {
        return result;
    }
    let limit = v.family_happiness_dream_child_age_limit;
    let child_ok = req.children.iter().any(|c| {
        let years = match c.birth_date {
            Some(b) => age_at(b, req.evaluation_date).years,
            None => c.age_years.unwrap_or(0) as u32,
        };
        years < limit || matches!(c.school_level, SchoolLevel::Elementary | SchoolLevel::Middle | SchoolLevel::High)
    });
    trace.push(
        entry(p, "FC-25", pass_fail(child_ok), "family_happiness_dream_child_age_limit", limit.into()),
        format_args!(
            "가족행복드림: 만 {limit}세 미만 또는 고등학교 재학 이하 자녀 {}.",
            if child_ok { "있음" } else { "없음" }
        ),
        format_args!("Family Happiness Dream: child under {limit} or in high school or below: {child_ok}"),
    );
    trace.fact(
        "FC-26",
        pass_fail(!req.non_custodial_parent),
        if req.non_custodial_parent {
            "비양육부모는 가족행복드림 대상에서 제외됩니다."
        } else {
            "자녀와 동거하는 (조)부모입니다."
        },
        if req.non_custodial_parent {
            "non-custodial parents are excluded from Family Happiness Dream"
        } else {
            "(grand)parent living with the child"
        },
    );
    if !child_ok || req.non_custodial_parent {
        return result;
    }
    result.status = Status::Eligible;
    let mut pr = Vec::new();
    if income.as_ref().is_some_and(|t| t.passed) {
        pr.push(PriorityReason::IncomeWithinThreshold);
    }
    if req
        .family_types
        .iter()
        .any(|k| matches!(k, FamilyKind::SingleParent | FamilyKind::Grandparent | FamilyKind::UnmarriedParent))
    {
        pr.push(PriorityReason::SingleParentOrGrandparent);
    }
    let many = req.children.len() >= v.multi_child_min_children as usize;
    if many {
        pr.push(PriorityReason::ThreeOrMoreChildren);
        trace.push(
            entry(p, "FC-25", Outcome::Info, "multi_child_min_children", v.multi_child_min_children.into()),
            format_args!("다자녀 가정: 자녀 {}명 ≥ {}명 — 우선지원.", req.children.len(), v.multi_child_min_children),
            format_args!(
                "multi-child family: {} children ≥ {} — priority",
                req.children.len(),
                v.multi_child_min_children
            ),
        );
    }
    if req.dual_income {
        pr.push(PriorityReason::DualIncome);
    }
    if req.child_abuse_signs {
        pr.push(PriorityReason::ChildAbuseSigns);
    }
    if !pr.is_empty() {
        trace.fact(
            "FC-25",
            Outcome::Info,
            format_args!("가족행복드림 우선지원 사유 {}개.", pr.len()),
            format_args!("Family Happiness Dream priority reasons: {pr:?}"),
        );
    }
    result.priority_reasons = pr;
    result
}

fn crisis_ko(e: CrisisEvent) -> &'static str {
    match e {
        CrisisEvent::DomesticViolence => "가정폭력",
        CrisisEvent::Divorce => "이혼",
        CrisisEvent::Suicide => "자살",
        CrisisEvent::Death => "사망",
        CrisisEvent::Accident => "사고",
        CrisisEvent::EconomicOrSocialCrisis => "경제·사회적 위기",
    }
}
