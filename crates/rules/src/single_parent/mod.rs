//! 한부모가족 eligibility and benefits (domain note §4.1).

pub mod benefits;
pub mod calendar;
pub mod eligibility;
pub mod input;

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::money::Won;
use crate::params::single_parent::AgePoint;
use crate::params::{ParameterInfo, RuleBook};
use crate::trace::{Outcome, Step, Trace, TraceValue};
use benefits::{AnnualItem, MonthlyItem};
use calendar::CalendarMonth;
pub use eligibility::Status;
use input::{FamilyType, Request};

/// Which interpretation defaults (§4.1.5 I1–I11) a result relied on.
#[derive(Debug, Default, Clone, Copy)]
pub struct Interps([bool; 12]);

const INTERP_IDS: [&str; 12] = ["", "i1", "i2", "i3", "i4", "i5", "i6", "i7", "i8", "i9", "i10", "i11"];

impl Interps {
    pub fn mark(&mut self, n: usize) {
        self.0[n] = true;
    }
    pub fn list(&self) -> Vec<&'static str> {
        (1..12).filter(|&n| self.0[n]).map(|n| INTERP_IDS[n]).collect()
    }
}

/// The result of §4.1.2, with its explanation.
#[derive(Debug, Clone, Serialize)]
pub struct Output<'a> {
    pub status: Status,
    pub evaluation_date: NaiveDate,
    pub age_evaluation_date: NaiveDate,
    pub family_type: FamilyType,
    pub household_size: i64,
    pub recognized_income_month: i64,
    pub reasons: Vec<Cow<'static, str>>,
    pub threshold: Option<i64>,
    pub threshold_pct: Option<i64>,
    pub qualifying_children: Vec<&'a str>,
    pub monthly: Vec<MonthlyItem<'a>>,
    pub monthly_total: Option<i64>,
    pub annual: Vec<AnnualItem<'a>>,
    pub annual_total: Option<i64>,
    pub calendar_year: i32,
    pub calendar: Vec<CalendarMonth<'a>>,
    /// Codes of §4.1.8 (`ob01`...); names, contacts and sources are in the parameters
    /// (`RuleBook::single_parent_at(date).values.non_cash_benefits`).
    pub non_cash_benefits: Vec<&'a str>,
    pub interpretations_applied: Vec<&'static str>,
    pub parameters: Option<&'a ParameterInfo>,
    pub trace: Trace<'a>,
}

/// Parses, normalizes and validates one request.
pub fn parse(json: &str) -> Result<Request, crate::InputError> {
    let mut req: Request = crate::parse_json(json)?;
    input::normalize(&mut req);
    input::validate(&req)?;
    Ok(req)
}

/// Evaluates a validated request against the parameters in force on its evaluation date.
pub fn evaluate<'a>(book: &'a RuleBook, req: &'a Request) -> Output<'a> {
    let date = req.evaluation_date;
    let mut trace = Trace::new();
    let mut interps = Interps::default();
    let mut out = Output {
        status: Status::UndefinedThreshold,
        evaluation_date: date,
        age_evaluation_date: date,
        family_type: req.family_type,
        household_size: req.household_size,
        recognized_income_month: req.recognized_income_month,
        reasons: Vec::new(),
        threshold: None,
        threshold_pct: None,
        qualifying_children: Vec::new(),
        monthly: Vec::new(),
        monthly_total: None,
        annual: Vec::new(),
        annual_total: None,
        calendar_year: date.year(),
        calendar: Vec::new(),
        non_cash_benefits: Vec::new(),
        interpretations_applied: Vec::new(),
        parameters: None,
        trace: Trace::new(),
    };

    let Some(p) = book.single_parent_at(date) else {
        trace.fact(
            "P-01",
            Outcome::Fail,
            format!("{date}에 적용되는 한부모가족 선정기준 파라미터가 없습니다."),
            format!("no single-parent parameters are in force on {date}"),
        );
        out.reasons.push(Cow::Owned(format!("P-01 no parameters for {date}")));
        out.trace = trace;
        return out;
    };
    out.parameters = Some(&p.info);
    if let Some(year) = req.criteria_year
        && Some(year) != p.info.criteria_year
    {
        trace.fact(
            "P-01",
            Outcome::Fail,
            format!("{year}년 선정기준이 없습니다({date}에 적용되는 기준: {}).", p.info.edition),
            format!("no parameters for criteria year {year} (the table in force on {date} is {})", p.info.edition),
        );
        out.reasons.push(Cow::Owned(format!("P-01 no parameters for criteria year {year}")));
        out.trace = trace;
        return out;
    }
    let (applied_ko, applied_en) = p.applied_sentences();
    trace.fact("P-01", Outcome::Info, applied_ko, applied_en);

    let v = &p.values;
    let age_point = match v.i6_age_point {
        AgePoint::FirstDayOfPaymentMonth => date.with_day(1).unwrap_or(date),
        AgePoint::PaymentDay => date.with_day(v.monthly_payment_day).unwrap_or(date),
    };
    out.age_evaluation_date = age_point;
    let uses_birth_dates = req.children.iter().any(|c| c.birth_date.is_some())
        || req.applicant.as_ref().is_some_and(|a| a.birth_date.is_some());
    if uses_birth_dates {
        interps.mark(6);
        trace.push(
            Step {
                rule: "R-A05",
                outcome: Outcome::Info,
                parameter: Some("i6_age_point"),
                value: Some(TraceValue::Name(v.i6_age_point.as_str())),
                source: Some(p.source("i6_age_point")),
            },
            format_args!("해석 I6: 나이는 {age_point} 기준 만 나이로 계산합니다."),
            format_args!("interpretation I6: ages are completed ages on {age_point}"),
        );
    }
    let children = input::child_facts(&req.children, age_point);
    let applicant_age = req.applicant.as_ref().map(|a| input::applicant_age(a, age_point));

    let e = eligibility::determine(req, p, &children, applicant_age, &mut trace, &mut interps);
    let b = benefits::compute(
        req,
        e.status,
        p,
        &children,
        &e.qualifying,
        applicant_age,
        date.month(),
        &mut trace,
        &mut interps,
    );

    out.status = e.status;
    out.reasons = e.reasons;
    out.threshold = e.threshold;
    out.threshold_pct = e.threshold_pct;
    out.household_size = e.effective_household_size;
    out.qualifying_children = e.qualifying.iter().map(|&i| children[i].id).collect();
    if e.status != Status::UndefinedThreshold {
        let monthly_total = b.monthly_total();
        let annual_total = 12 * monthly_total + b.annual_items_total();
        out.monthly_total = Some(monthly_total);
        out.annual_total = Some(annual_total);
        out.calendar = calendar::build(&b);
        if e.status.is_eligible() {
            trace.fact(
                "R-B13",
                Outcome::Info,
                format_args!(
                    "월 합계 {}원 × 12개월 + 연간 항목 {}원 = 연 합계 {}원.",
                    Won(monthly_total),
                    Won(b.annual_items_total()),
                    Won(annual_total)
                ),
                format_args!(
                    "monthly total {} won × 12 + annual items {} won = annual total {} won",
                    Won(monthly_total),
                    Won(b.annual_items_total()),
                    Won(annual_total)
                ),
            );
            out.non_cash_benefits = v.non_cash_benefits.iter().map(|n| n.code.as_str()).collect();
        }
    }
    out.monthly = b.monthly;
    out.annual = b.annual;
    out.interpretations_applied = interps.list();
    out.trace = trace;
    out
}
