//! The request of §4.1.1 as JSON, and its validation into facts the rules can trust.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::age::{AgeAt, age_at};
use crate::error::{InputError, codes};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FamilyType {
    SingleParent,
    Grandparent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    Mother,
    Father,
    Grandfather,
    Grandmother,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    Sp01,
    Sp02,
    Sp03,
    Sp04,
    Sp05,
    Sp06,
    Sp07,
    Sp08,
    Sp09,
    Sp10,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingEvidence {
    #[default]
    None,
    DisappearanceDeclarationInProgress,
    ConfirmedBySigunguHead,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SchoolLevel {
    #[default]
    None,
    Elementary,
    Middle,
    High,
    Other,
}

impl SchoolLevel {
    pub fn ko(self) -> &'static str {
        match self {
            Self::None => "미취학",
            Self::Elementary => "초등학교",
            Self::Middle => "중학교",
            Self::High => "고등학교",
            Self::Other => "기타 학교",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            Self::None => "not enrolled",
            Self::Elementary => "elementary school",
            Self::Middle => "middle school",
            Self::High => "high school",
            Self::Other => "other school",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    #[serde(default)]
    pub criteria_year: Option<i32>,
    pub evaluation_date: NaiveDate,
    pub family_type: FamilyType,
    #[serde(default)]
    pub applicant: Option<Applicant>,
    #[serde(default)]
    pub spouse_facts: SpouseFacts,
    pub children: Vec<Child>,
    pub household_size: i64,
    pub recognized_income_month: i64,
    #[serde(default)]
    pub exam_study_cost_claimed: Option<i64>,
    /// Y02 already granted earlier in the same calendar year (for I11).
    #[serde(default)]
    pub exam_study_cost_granted_this_year: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Applicant {
    pub relation: Relation,
    #[serde(default)]
    pub age_years: Option<i64>,
    #[serde(default)]
    pub birth_date: Option<NaiveDate>,
    #[serde(default)]
    pub is_household_head: Option<bool>,
    #[serde(default)]
    pub reason_code: Option<ReasonCode>,
    #[serde(default)]
    pub is_unmarried: bool,
    #[serde(default)]
    pub in_de_facto_marriage: bool,
    #[serde(default)]
    pub in_divorce_litigation: bool,
    #[serde(default)]
    pub is_foreigner: bool,
    #[serde(default)]
    pub foreigner_registered: bool,
    #[serde(default)]
    pub married_to_korean: bool,
    #[serde(default)]
    pub study_or_job_activity: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpouseFacts {
    #[serde(default)]
    pub incapacity_months: i64,
    #[serde(default)]
    pub has_economic_income: bool,
    #[serde(default)]
    pub missing_evidence: MissingEvidence,
    #[serde(default)]
    pub on_military_service: bool,
    #[serde(default)]
    pub long_term_imprisonment: bool,
    #[serde(default)]
    pub left_home_due_to_violence_or_discord: bool,
    /// Whether the absent spouse is on the household's resident registration (I9).
    #[serde(default)]
    pub registered_in_household: bool,
}

fn default_true() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Child {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub birth_date: Option<NaiveDate>,
    #[serde(default)]
    pub age_years: Option<i64>,
    #[serde(default)]
    pub age_months_total: Option<i64>,
    #[serde(default)]
    pub enrolled_in_school: Option<bool>,
    #[serde(default)]
    pub school_level: SchoolLevel,
    #[serde(default)]
    pub military_service_months: i64,
    #[serde(default = "default_true")]
    pub korean_national: bool,
    #[serde(default)]
    pub not_supported_by_parents: bool,
}

/// A child with its age settled at the age-evaluation point.
#[derive(Debug, Clone)]
pub struct ChildFacts<'r> {
    pub id: &'r str,
    pub age: AgeAt,
    pub from_birth_date: bool,
    pub enrolled: bool,
    pub school_level: SchoolLevel,
    pub military_service_months: u32,
    pub korean_national: bool,
    pub not_supported_by_parents: bool,
}

/// The applicant's age settled at the age-evaluation point.
#[derive(Debug, Clone, Copy)]
pub struct ApplicantAge {
    pub years: u32,
    pub from_birth_date: bool,
}

/// Gives every child an id (`child-1`, ...) so results can refer to it.
pub fn normalize(req: &mut Request) {
    for (i, c) in req.children.iter_mut().enumerate() {
        if c.id.is_none() {
            c.id = Some(format!("child-{}", i + 1));
        }
    }
}

/// Checks what JSON types cannot: signs, ranges, dates in order, agreeing fields.
pub fn validate(req: &Request) -> Result<(), InputError> {
    if !(1..=99).contains(&req.household_size) {
        return Err(InputError::out_of_range("household_size", req.household_size, 1, 99));
    }
    if req.recognized_income_month < 0 {
        return Err(InputError::negative("recognized_income_month", req.recognized_income_month));
    }
    for (field, v) in [
        ("exam_study_cost_claimed", req.exam_study_cost_claimed),
        ("exam_study_cost_granted_this_year", req.exam_study_cost_granted_this_year),
    ] {
        if let Some(v) = v.filter(|v| *v < 0) {
            return Err(InputError::negative(field, v));
        }
    }
    if req.spouse_facts.incapacity_months < 0 {
        return Err(InputError::negative("spouse_facts.incapacity_months", req.spouse_facts.incapacity_months));
    }
    if let Some(a) = &req.applicant {
        check_person_age(&"applicant", a.birth_date, a.age_years, None, req.evaluation_date)?;
        if req.family_type == FamilyType::SingleParent && a.is_household_head.is_none() {
            return Err(InputError::missing("applicant.is_household_head"));
        }
    }
    // Few children: comparing with the earlier ones beats hashing.
    let mut seen = (req.children.len() > 16).then(|| std::collections::HashSet::with_capacity(req.children.len()));
    for (i, c) in req.children.iter().enumerate() {
        // The path is only needed for an error.
        let path = || format!("children[{i}]");
        check_person_age(
            &format_args!("children[{i}]"),
            c.birth_date,
            c.age_years,
            c.age_months_total,
            req.evaluation_date,
        )?;
        if c.military_service_months < 0 {
            return Err(InputError::negative(format!("{}.military_service_months", path()), c.military_service_months));
        }
        if c.enrolled_in_school == Some(false) && c.school_level != SchoolLevel::None {
            return Err(InputError::inconsistent(
                format!("{}.school_level", path()),
                "취학하지 않은 자녀에게 학교급이 지정되었습니다.",
                "a school level is given for a child not enrolled in school.",
            ));
        }
        if let Some(id) = &c.id {
            let duplicate = match &mut seen {
                Some(seen) => !seen.insert(id.as_str()),
                None => req.children[..i].iter().any(|o| o.id.as_deref() == Some(id.as_str())),
            };
            if duplicate {
                return Err(InputError::inconsistent(
                    format!("{}.id", path()),
                    "자녀 id가 중복됩니다.",
                    "child ids must be unique.",
                ));
            }
        }
    }
    Ok(())
}

/// `path` is displayed only when there is an error, so callers pass `format_args!`.
pub(crate) fn check_person_age(
    path: &dyn std::fmt::Display,
    birth: Option<NaiveDate>,
    years: Option<i64>,
    months_total: Option<i64>,
    evaluation_date: NaiveDate,
) -> Result<(), InputError> {
    match (birth, years) {
        (Some(b), _) if b > evaluation_date => Err(InputError::new(
            codes::BIRTH_AFTER_EVALUATION,
            format!("{path}.birth_date"),
            format!("'{path}.birth_date'({b})가 평가일({evaluation_date})보다 늦습니다."),
            format!("'{path}.birth_date' ({b}) is after the evaluation date ({evaluation_date})."),
        )),
        (Some(_), _) => Ok(()),
        (None, None) => Err(InputError::missing(format!("{path}.age_years"))),
        (None, Some(y)) if !(0..=130).contains(&y) => {
            Err(InputError::out_of_range(format!("{path}.age_years"), y, 0, 130))
        }
        (None, Some(y)) => match months_total {
            Some(m) if m < 0 => Err(InputError::negative(format!("{path}.age_months_total"), m)),
            Some(m) if m / 12 != y => Err(InputError::inconsistent(
                format!("{path}.age_months_total"),
                "개월 수가 만 나이와 맞지 않습니다.",
                "the total months do not match the age in years.",
            )),
            _ => Ok(()),
        },
    }
}

pub fn applicant_age(a: &Applicant, point: NaiveDate) -> ApplicantAge {
    match a.birth_date {
        Some(b) => ApplicantAge { years: age_at(b, point).years, from_birth_date: true },
        None => ApplicantAge { years: a.age_years.map_or(0, |y| y as u32), from_birth_date: false },
    }
}

pub fn child_facts(children: &[Child], point: NaiveDate) -> Vec<ChildFacts<'_>> {
    children
        .iter()
        .map(|c| {
            let age = match c.birth_date {
                Some(b) => age_at(b, point),
                None => {
                    let years = c.age_years.unwrap_or(0) as u32;
                    AgeAt { years, months_total: c.age_months_total.map_or(years * 12, |m| m as u32) }
                }
            };
            ChildFacts {
                id: c.id.as_deref().unwrap_or(""),
                age,
                from_birth_date: c.birth_date.is_some(),
                enrolled: c.enrolled_in_school.unwrap_or(c.school_level != SchoolLevel::None),
                school_level: c.school_level,
                military_service_months: c.military_service_months as u32,
                korean_national: c.korean_national,
                not_supported_by_parents: c.not_supported_by_parents,
            }
        })
        .collect()
}
