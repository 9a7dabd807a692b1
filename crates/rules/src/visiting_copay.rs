//! 다문화가족 방문교육서비스(자녀생활) co-payment: the income type 가/나/다/라 from the
//! health-insurance premium (or monthly income) by household size, the hourly and 4-week
//! amounts, and the free-of-charge exemptions (seeds/001:L7350-L7446, L7686-L7911, L8089-L8101).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::age::age_at;
use crate::error::InputError;
use crate::insurance::{HealthInsurance, MeasureUsed};
use crate::money::Won;
use crate::params::family_capacity::Measure;
use crate::params::visiting_copay::Params;
use crate::params::{ParameterInfo, Resolved, RuleBook};
use crate::single_parent::input::check_person_age;
use crate::trace::{Outcome, Step, Trace, TraceValue, cmp_sign};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Child {
    #[serde(default)]
    pub birth_date: Option<NaiveDate>,
    #[serde(default)]
    pub age_years: Option<i64>,
    #[serde(default)]
    pub enrolled_in_elementary: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    pub evaluation_date: NaiveDate,
    pub household_size: i64,
    #[serde(default)]
    pub health_insurance: Option<HealthInsurance>,
    #[serde(default)]
    pub monthly_income: Option<i64>,
    #[serde(default)]
    pub island_or_remote_area: bool,
    #[serde(default)]
    pub basic_livelihood_recipient: bool,
    #[serde(default)]
    pub near_poverty_copay_reduction: bool,
    #[serde(default)]
    pub child: Option<Child>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Eligible,
    NotEligible,
    UndefinedThreshold,
    InsufficientData,
}

/// Income types 가/나/다/라.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CopayType {
    Ga,
    Na,
    Da,
    Ra,
}

impl CopayType {
    pub fn ko(self) -> &'static str {
        match self {
            Self::Ga => "가형",
            Self::Na => "나형",
            Self::Da => "다형",
            Self::Ra => "라형",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FreeReason {
    IncomeTypeGa,
    IslandOrRemoteArea,
    BasicLivelihoodRecipient,
    NearPovertyCopayReduction,
}

#[derive(Debug, Clone, Serialize)]
pub struct Output<'a> {
    pub status: Status,
    pub evaluation_date: NaiveDate,
    pub household_size: i64,
    pub reasons: Vec<String>,
    pub copay_type: Option<CopayType>,
    pub copay_type_ko: Option<&'static str>,
    pub free: bool,
    pub free_reasons: Vec<FreeReason>,
    pub measure: Option<MeasureUsed>,
    pub measure_value: Option<i64>,
    pub child_in_target_group: Option<bool>,
    pub hourly_rate: Option<i64>,
    pub government_support_per_hour: Option<i64>,
    pub copay_per_hour: Option<i64>,
    pub sessions_per_4_weeks: Option<i64>,
    pub hours_per_4_weeks: Option<i64>,
    pub government_support_per_4_weeks: Option<i64>,
    pub copay_per_4_weeks: Option<i64>,
    pub interpretations_applied: Vec<&'static str>,
    pub parameters: Option<&'a ParameterInfo>,
    pub trace: Trace<'a>,
}

pub fn parse(json: &str) -> Result<Request, InputError> {
    let req: Request = crate::parse_json(json)?;
    if !(1..=99).contains(&req.household_size) {
        return Err(InputError::out_of_range("household_size", req.household_size, 1, 99));
    }
    if let Some(v) = req.monthly_income.filter(|v| *v < 0) {
        return Err(InputError::negative("monthly_income", v));
    }
    if let Some(h) = &req.health_insurance {
        h.validate("health_insurance")?;
    }
    if let Some(c) = &req.child {
        check_person_age(&"child", c.birth_date, c.age_years, None, req.evaluation_date)?;
    }
    Ok(req)
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

pub fn evaluate<'a>(book: &'a RuleBook, req: &Request) -> Output<'a> {
    let date = req.evaluation_date;
    let mut trace = Trace::new();
    let mut out = Output {
        status: Status::UndefinedThreshold,
        evaluation_date: date,
        household_size: req.household_size,
        reasons: Vec::new(),
        copay_type: None,
        copay_type_ko: None,
        free: false,
        free_reasons: Vec::new(),
        measure: None,
        measure_value: None,
        child_in_target_group: None,
        hourly_rate: None,
        government_support_per_hour: None,
        copay_per_hour: None,
        sessions_per_4_weeks: None,
        hours_per_4_weeks: None,
        government_support_per_4_weeks: None,
        copay_per_4_weeks: None,
        interpretations_applied: Vec::new(),
        parameters: None,
        trace: Trace::new(),
    };
    let Some(p) = book.visiting_copay_at(date) else {
        trace.fact(
            "P-01",
            Outcome::Fail,
            format_args!("{date}에 적용되는 방문교육 본인부담금 파라미터가 없습니다."),
            format_args!("no visiting-education co-payment parameters are in force on {date}"),
        );
        out.reasons.push(format!("P-01 no parameters for {date}"));
        out.trace = trace;
        return out;
    };
    out.parameters = Some(&p.info);
    let (applied_ko, applied_en) = p.applied_sentences();
    trace.fact("P-01", Outcome::Info, applied_ko, applied_en);
    let v = &p.values;

    // CP-02 target child.
    if let Some(c) = &req.child {
        let years = match c.birth_date {
            Some(b) => age_at(b, date).years,
            None => c.age_years.unwrap_or(0) as u32,
        };
        let in_range = (v.child_min_age..=v.child_max_age).contains(&years);
        let pupil = !in_range && years > v.child_max_age && c.enrolled_in_elementary && v.elementary_pupil_beyond_age;
        let ok = in_range || pupil;
        out.child_in_target_group = Some(ok);
        trace.push(
            entry(
                p,
                "CP-02",
                if ok { Outcome::Pass } else { Outcome::Fail },
                if pupil { "elementary_pupil_beyond_age" } else { "child_max_age" },
                if pupil { true.into() } else { v.child_max_age.into() },
            ),
            format_args!(
                "자녀 만 {years}세: 대상 연령 만 {}~{}세{} — {}.",
                v.child_min_age,
                v.child_max_age,
                if pupil { ", 초과하나 초등학교 재학 중" } else { "" },
                if ok { "대상" } else { "대상 아님" }
            ),
            format_args!(
                "child aged {years}: target ages {}-{}{} — {}",
                v.child_min_age,
                v.child_max_age,
                if pupil { ", older but in elementary school" } else { "" },
                if ok { "in the target group" } else { "not in the target group" }
            ),
        );
    }

    // CP-09: free of charge whatever the income.
    let mut free_reasons = Vec::new();
    for (flag, reason, ko, en) in [
        (
            req.island_or_remote_area,
            FreeReason::IslandOrRemoteArea,
            "도서·벽지 지역 거주자",
            "resident of an island or remote area",
        ),
        (
            req.basic_livelihood_recipient,
            FreeReason::BasicLivelihoodRecipient,
            "기초생활수급자",
            "basic livelihood recipient",
        ),
        (
            req.near_poverty_copay_reduction,
            FreeReason::NearPovertyCopayReduction,
            "차상위본인부담경감 대상자",
            "near-poverty co-payment reduction recipient",
        ),
    ] {
        if flag {
            free_reasons.push(reason);
            trace.fact(
                "CP-09",
                Outcome::Pass,
                format_args!("{ko}: 소득과 관계없이 가형(무상)입니다."),
                format_args!("{en}: type ga (free) regardless of income"),
            );
        }
    }

    let copay_type = if free_reasons.is_empty() {
        match classify(req, p, &mut trace, &mut out) {
            Ok(t) => t,
            Err(status) => {
                out.status = status;
                out.reasons = failed(&trace);
                out.trace = trace;
                return out;
            }
        }
    } else {
        CopayType::Ga
    };
    if copay_type == CopayType::Ga && free_reasons.is_empty() {
        free_reasons.push(FreeReason::IncomeTypeGa);
    }
    let (gov, copay) = match copay_type {
        CopayType::Ga => (v.government_support_per_hour.ga, v.copay_per_hour.ga),
        CopayType::Na => (v.government_support_per_hour.na, v.copay_per_hour.na),
        CopayType::Da => (v.government_support_per_hour.da, v.copay_per_hour.da),
        CopayType::Ra => (v.government_support_per_hour.ra, v.copay_per_hour.ra),
    };
    let hours = v.sessions_per_block * v.hours_per_session;
    out.copay_type = Some(copay_type);
    out.copay_type_ko = Some(copay_type.ko());
    out.free = copay == 0;
    out.free_reasons = free_reasons;
    out.hourly_rate = Some(v.hourly_rate);
    out.government_support_per_hour = Some(gov);
    out.copay_per_hour = Some(copay);
    out.sessions_per_4_weeks = Some(v.sessions_per_block);
    out.hours_per_4_weeks = Some(hours);
    out.government_support_per_4_weeks = Some(gov * hours);
    out.copay_per_4_weeks = Some(copay * hours);
    trace.push(
 entry(
        p,
        "CP-08",
        Outcome::Info,
        "copay_per_hour",
        copay.into()),
        format_args!(
            "{}: 시간당 단가 {}원 = 정부지원 {}원 + 본인부담 {}원; 4주({}회, {}시간) 본인부담금 {}원.",
            copay_type.ko(),
            Won(v.hourly_rate),
            Won(gov),
            Won(copay),
            v.sessions_per_block,
            hours,
            Won(copay * hours)
        ),
        format_args!(
            "type {:?}: hourly rate {} won = government {} won + co-payment {} won; per 4 weeks ({} sessions, {} hours) co-payment {} won",
            copay_type,
            Won(v.hourly_rate),
            Won(gov),
            Won(copay),
            v.sessions_per_block,
            hours,
            Won(copay * hours)
        ),
);
    out.status = if out.child_in_target_group == Some(false) { Status::NotEligible } else { Status::Eligible };
    out.reasons =
        if out.status == Status::Eligible { vec![format!("type {}", copay_type.ko())] } else { failed(&trace) };
    out.trace = trace;
    out
}

fn failed(trace: &Trace<'_>) -> Vec<String> {
    trace.failed_rules().map(|e| trace.reason(e)).collect()
}

/// The lowest type whose limit the measure does not exceed; above 다 is 라.
fn classify<'a>(
    req: &Request,
    p: &'a Resolved<Params>,
    trace: &mut Trace<'a>,
    out: &mut Output<'a>,
) -> Result<CopayType, Status> {
    let v = &p.values;
    let size = u32::try_from(req.household_size).unwrap_or(0);
    let use_premium = match (&req.health_insurance, req.monthly_income) {
        (None, None) => {
            trace.fact(
                "CP-17",
                Outcome::Fail,
                "건강보험료(또는 월 소득)가 없어 소득유형을 판정할 수 없습니다.",
                "no health-insurance premium (or monthly income) is given",
            );
            return Err(Status::InsufficientData);
        }
        (Some(_), Some(_)) => {
            out.interpretations_applied.push("vc_i1");
            trace.push(
                entry(
                    p,
                    "CP-17",
                    Outcome::Info,
                    "vc_i1_measure_precedence",
                    TraceValue::Name(v.vc_i1_measure_precedence.as_str()),
                ),
                format_args!(
                    "해석 VC-I1: 건강보험료와 소득이 모두 있으면 {}(으)로 판정합니다.",
                    if v.vc_i1_measure_precedence == Measure::Premium { "건강보험료" } else { "소득" }
                ),
                format_args!(
                    "interpretation VC-I1: with both given, the {} decides",
                    if v.vc_i1_measure_precedence == Measure::Premium { "premium" } else { "income" }
                ),
            );
            v.vc_i1_measure_precedence == Measure::Premium
        }
        (Some(_), None) => true,
        (None, Some(_)) => false,
    };
    let (value, limits, name, label_ko, label_en, measure) = match (&req.health_insurance, use_premium) {
        (Some(h), true) => {
            let (plain, ltc) = (&v.premium_threshold, &v.premium_threshold_with_ltc);
            (
                h.monthly_premium,
                [
                    h.limit(&plain.ga, &ltc.ga, size),
                    h.limit(&plain.na, &ltc.na, size),
                    h.limit(&plain.da, &ltc.da, size),
                ],
                if h.includes_long_term_care { "premium_threshold_with_ltc" } else { "premium_threshold" },
                h.label_ko(),
                h.label_en(),
                MeasureUsed::HealthInsurancePremium,
            )
        }
        _ => (
            req.monthly_income.unwrap_or(0),
            [
                v.income_threshold.ga.get(&size).copied(),
                v.income_threshold.na.get(&size).copied(),
                v.income_threshold.da.get(&size).copied(),
            ],
            "income_threshold",
            "월 소득".to_owned(),
            "monthly income".to_owned(),
            MeasureUsed::MonthlyIncome,
        ),
    };
    out.measure = Some(measure);
    out.measure_value = Some(value);
    let types = [(CopayType::Ga, v.median_pct.ga), (CopayType::Na, v.median_pct.na), (CopayType::Da, v.median_pct.da)];
    if let Some(top) = limits[2]
        && value > top
    {
        trace.push(
            entry(p, "CP-08", Outcome::Pass, name, top.into()),
            format_args!(
                "{label_ko} {}원 > {size}인 가구 다형 기준 {}원(기준 중위소득 {}%) — 라형.",
                Won(value),
                Won(top),
                v.median_pct.da
            ),
            format_args!(
                "{label_en} {} won > {size}-person type da limit {} won ({}% of median) — type ra",
                Won(value),
                Won(top),
                v.median_pct.da
            ),
        );
        return Ok(CopayType::Ra);
    }
    for (limit, (t, pct)) in limits.iter().zip(types) {
        let Some(limit) = *limit else {
            trace.push(
                entry(p, "CP-08", Outcome::Fail, name, TraceValue::Null),
                format_args!("{size}인 가구의 {} 기준(기준 중위소득 {pct}%)이 없습니다.", t.ko()),
                format_args!("no type {t:?} limit ({pct}% of median) for a {size}-person household"),
            );
            return Err(Status::UndefinedThreshold);
        };
        let within = value <= limit;
        trace.push(
            entry(p, "CP-08", if within { Outcome::Pass } else { Outcome::Info }, name, limit.into()),
            format_args!(
                "{label_ko} {}원 {} {size}인 가구 {} 기준 {}원(기준 중위소득 {pct}% 이하){}{}.",
                Won(value),
                cmp_sign(value, limit),
                t.ko(),
                Won(limit),
                if within { " — " } else { "" },
                if within { t.ko() } else { "" },
            ),
            format_args!(
                "{label_en} {} won {} {size}-person type {t:?} limit {} won (≤{pct}% of median){}",
                Won(value),
                cmp_sign(value, limit),
                Won(limit),
                if within { " — this type" } else { "" }
            ),
        );
        if within {
            return Ok(t);
        }
    }
    Ok(CopayType::Ra)
}
