//! Who qualifies (R-E01–R-E08): family composition, the single-parent reason and its
//! evidence, the foreigner rule, qualifying children, youth status and the income test,
//! in the status order of §4.1.6a(1).

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

use super::Interps;
use super::input::{ApplicantAge, ChildFacts, FamilyType, MissingEvidence, ReasonCode, Relation, Request};
use crate::money::Won;
use crate::params::Resolved;
use crate::params::single_parent::Params;
use crate::trace::{Outcome, Step, Text, Trace, TraceValue, cmp_sign};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    EligibleGeneral,
    EligibleYouth,
    NotEligible,
    UndefinedThreshold,
    InsufficientData,
}

impl Status {
    pub fn is_eligible(self) -> bool {
        matches!(self, Self::EligibleGeneral | Self::EligibleYouth)
    }
}

#[derive(Debug)]
pub struct Eligibility {
    pub status: Status,
    pub threshold: Option<i64>,
    pub threshold_pct: Option<i64>,
    pub effective_household_size: i64,
    /// Indexes of qualifying children (R-E05).
    pub qualifying: Vec<usize>,
    pub reasons: Vec<Cow<'static, str>>,
}

struct Checks<'t, 'a> {
    trace: &'t mut Trace<'a>,
    failed: Vec<Cow<'static, str>>,
    passed: Vec<Cow<'static, str>>,
}

impl<'a> Checks<'_, 'a> {
    fn record(&mut self, step: Step<'a>, ko: impl Text, en: impl Text) {
        let i = self.trace.push(step, ko, en);
        match step.outcome {
            Outcome::Fail => {
                let reason = self.trace.reason(&self.trace.entries()[i]);
                self.failed.push(Cow::Owned(reason));
            }
            Outcome::Pass => {
                if !self.passed.iter().any(|p| p == step.rule) {
                    self.passed.push(Cow::Borrowed(step.rule));
                }
            }
            Outcome::Info => {}
        }
    }

    fn check(&mut self, rule: &'static str, ok: bool, ko: impl Text, en: impl Text) {
        let outcome = if ok { Outcome::Pass } else { Outcome::Fail };
        self.record(Step::fact(rule, outcome), ko, en);
    }

    fn info(
        &mut self,
        p: &'a Resolved<Params>,
        rule: &'static str,
        name: &'a str,
        value: TraceValue,
        ko: impl Text,
        en: impl Text,
    ) {
        self.trace.push(param_step(p, rule, Outcome::Info, name, value), ko, en);
    }

    #[allow(clippy::too_many_arguments)]
    fn check_param(
        &mut self,
        rule: &'static str,
        ok: bool,
        p: &'a Resolved<Params>,
        name: &'a str,
        value: TraceValue,
        ko: impl Text,
        en: impl Text,
    ) {
        let outcome = if ok { Outcome::Pass } else { Outcome::Fail };
        self.record(param_step(p, rule, outcome, name, value), ko, en);
    }
}

fn param_step<'a>(
    p: &'a Resolved<Params>,
    rule: &'static str,
    outcome: Outcome,
    name: &'a str,
    value: TraceValue,
) -> Step<'a> {
    Step { rule, outcome, parameter: Some(name), value: Some(value), source: Some(p.source(name)) }
}

pub fn determine<'a>(
    req: &Request,
    p: &'a Resolved<Params>,
    children: &[ChildFacts<'_>],
    applicant_age: Option<ApplicantAge>,
    trace: &mut Trace<'a>,
    interps: &mut Interps,
) -> Eligibility {
    let v = &p.values;
    let mut c = Checks { trace, failed: Vec::new(), passed: Vec::new() };
    let size = req.household_size;
    let done = |status, c: Checks<'_, 'a>, qualifying| Eligibility {
        status,
        threshold: None,
        threshold_pct: None,
        effective_household_size: size,
        qualifying,
        reasons: if status.is_eligible() { c.passed } else { c.failed },
    };

    let (Some(applicant), Some(age)) = (&req.applicant, applicant_age) else {
        c.check(
            "R-E01",
            false,
            "신청인(부·모 또는 조부·조모) 정보가 없어 판단할 수 없습니다.",
            "no applicant is given, so eligibility cannot be determined",
        );
        return done(Status::InsufficientData, c, Vec::new());
    };
    let single = req.family_type == FamilyType::SingleParent;
    if single && applicant.reason_code.is_none() {
        c.check(
            "R-E02",
            false,
            "한부모가족 사유(reason_code)가 없어 판단할 수 없습니다.",
            "no single-parent reason (reason_code) is given, so eligibility cannot be determined",
        );
        return done(Status::InsufficientData, c, Vec::new());
    }

    // R-E01 family composition.
    if single {
        let parent = matches!(applicant.relation, Relation::Mother | Relation::Father);
        c.check(
            "R-E01",
            parent,
            format_args!("한부모가족 신청인은 모 또는 부여야 합니다(신청인: {}).", relation_ko(applicant.relation)),
            format_args!(
                "a single-parent applicant must be the mother or father (applicant: {:?})",
                applicant.relation
            ),
        );
        let head = applicant.is_household_head == Some(true);
        c.check(
            "R-E01",
            head,
            if head {
                "신청인은 세대주입니다."
            } else {
                "신청인이 세대주가 아닙니다(세대주인 모 또는 부)."
            },
            if head { "the applicant is the household head" } else { "the applicant is not the household head" },
        );
    } else {
        let grand = matches!(applicant.relation, Relation::Grandfather | Relation::Grandmother);
        c.check(
            "R-E01",
            grand,
            format_args!(
                "조손가족 신청인은 (외)조부 또는 (외)조모여야 합니다(신청인: {}).",
                relation_ko(applicant.relation)
            ),
            format_args!(
                "a grandparent-family applicant must be a grandfather or grandmother (applicant: {})",
                relation_en(applicant.relation)
            ),
        );
        interps.mark(8);
        if v.i8_grandparent_must_be_household_head {
            let head = applicant.is_household_head == Some(true);
            c.check_param(
                "R-E01",
                head,
                p,
                "i8_grandparent_must_be_household_head",
                true.into(),
                format_args!("해석 I8: 조부모도 세대주여야 합니다 — 세대주 여부: {}.", yes_no_ko(head)),
                format_args!("interpretation I8: grandparents must be household heads — household head: {head}"),
            );
        } else {
            c.info(
                p,
                "R-E01",
                "i8_grandparent_must_be_household_head",
                false.into(),
                "해석 I8: 조부모에게는 세대주 요건을 적용하지 않습니다.",
                "interpretation I8: the household-head requirement does not apply to grandparents",
            );
        }
    }

    // R-E05/R-E06 qualifying children.
    let mut qualifying = Vec::with_capacity(children.len());
    for (i, ch) in children.iter().enumerate() {
        let under_limit = ch.age.years < v.child_age_limit;
        let school_limit_months = v.school_child_age_limit * 12 + ch.military_service_months;
        let in_school = ch.enrolled && ch.age.months_total < school_limit_months;
        let mut ok = under_limit || in_school;
        if under_limit {
            c.check_param(
                "R-E05",
                true,
                p,
                "child_age_limit",
                v.child_age_limit.into(),
                format_args!("자녀 {}: 만 {}세 < 만 {}세 — 대상 자녀입니다.", ch.id, ch.age.years, v.child_age_limit),
                format_args!("child {}: age {} < {} — qualifying child", ch.id, ch.age.years, v.child_age_limit),
            );
        } else {
            let step = param_step(
                p,
                "R-E05",
                if in_school { Outcome::Pass } else { Outcome::Info },
                "school_child_age_limit",
                v.school_child_age_limit.into(),
            );
            if !ch.enrolled {
                c.trace.push(
                    step,
                    format_args!(
                        "자녀 {}: 만 {}세 ≥ 만 {}세이고 취학 중이 아닙니다.",
                        ch.id, ch.age.years, v.child_age_limit
                    ),
                    format_args!(
                        "child {}: age {} ≥ {} and not enrolled in school",
                        ch.id, ch.age.years, v.child_age_limit
                    ),
                );
            } else {
                c.trace.push(
                    step,
                    format_args!(
                        "자녀 {}: 취학 중, {}개월 {} 만 {}세 + 병역 {}개월 = {}개월.",
                        ch.id,
                        ch.age.months_total,
                        if in_school { "<" } else { "≥" },
                        v.school_child_age_limit,
                        ch.military_service_months,
                        school_limit_months
                    ),
                    format_args!(
                        "child {}: in school, {} months {} age {} + {} months of military service = {} months",
                        ch.id,
                        ch.age.months_total,
                        if in_school { "<" } else { "≥" },
                        v.school_child_age_limit,
                        ch.military_service_months,
                        school_limit_months
                    ),
                );
            }
            if in_school {
                c.info(
                    p,
                    "R-E06",
                    "child_age_limit",
                    v.child_age_limit.into(),
                    format_args!("자녀 {}: 만 {}세 이상이므로 자격은 유지되나 아동양육비는 지급되지 않습니다.", ch.id, v.child_age_limit),
                    format_args!(
                        "child {}: aged {} or over, so the family keeps its status but no child-rearing allowance is paid for this child",
                        ch.id, v.child_age_limit
                    ),
                );
            }
        }
        if ok && !single && !ch.not_supported_by_parents {
            ok = false;
            c.trace.fact(
                "R-E01",
                Outcome::Info,
                format_args!(
                    "자녀 {}: 부모로부터 부양을 받지 못하는 아동이 아니므로 조손가족 대상 자녀가 아닙니다.",
                    ch.id
                ),
                format_args!(
                    "child {}: not a child without parental support, so not counted for a grandparent family",
                    ch.id
                ),
            );
        }
        if ok {
            qualifying.push(i);
        }
    }
    let any_child = !qualifying.is_empty();
    if any_child {
        c.check(
            "R-E05",
            true,
            format_args!("대상 자녀 {}명.", qualifying.len()),
            format_args!("{} qualifying child(ren)", qualifying.len()),
        );
    } else {
        c.check(
            "R-E05",
            false,
            "대상 자녀(만 18세 미만 또는 취학 중 만 22세 미만)가 없습니다.",
            "no qualifying child (under 18, or under 22 while in school)",
        );
    }

    // R-E02 reason and evidence; R-E03 foreigners.
    if let (true, Some(code)) = (single, applicant.reason_code) {
        reason_check(req, p, code, &mut c, interps);
        if applicant.is_foreigner || code == ReasonCode::Sp10 {
            let korean_child = qualifying.iter().any(|&i| children[i].korean_national);
            let ok =
                applicant.is_foreigner && applicant.foreigner_registered && applicant.married_to_korean && korean_child;
            c.check(
                "R-E03",
                ok,
                format_args!(
                    "외국인 요건(외국인 {}, 외국인 등록 {}, 대한민국 국민과 혼인 {}, 대한민국 국적 아동 양육 {}).",
                    yes_no_ko(applicant.is_foreigner),
                    yes_no_ko(applicant.foreigner_registered),
                    yes_no_ko(applicant.married_to_korean),
                    yes_no_ko(korean_child)
                ),
                format_args!(
                    "foreigner conditions (foreigner {}, registered {}, married to a Korean national {}, raising a Korean child {})",
                    applicant.is_foreigner, applicant.foreigner_registered, applicant.married_to_korean, korean_child
                ),
            );
        }
    }

    // R-E04 youth family.
    let youth = single && age.years <= v.youth_parent_max_age;
    if single {
        c.info(
            p,
            "R-E04",
            "youth_parent_max_age",
            v.youth_parent_max_age.into(),
            format_args!(
                "부·모 만 {}세 {} 만 {}세 — {}.",
                age.years,
                if youth { "≤" } else { ">" },
                v.youth_parent_max_age,
                if youth { "청소년 한부모가족" } else { "청소년 한부모가족 아님" }
            ),
            format_args!(
                "parent aged {} {} {} — {}",
                age.years,
                if youth { "≤" } else { ">" },
                v.youth_parent_max_age,
                if youth { "youth single-parent family" } else { "not a youth family" }
            ),
        );
    }

    if !c.failed.is_empty() {
        return done(Status::NotEligible, c, qualifying);
    }

    // I9: the absent spouse in the household count.
    let mut effective_size = size;
    if let (true, Some(code)) = (single, applicant.reason_code)
        && matches!(code, ReasonCode::Sp04 | ReasonCode::Sp08 | ReasonCode::Sp09)
        && req.spouse_facts.registered_in_household
    {
        interps.mark(9);
        if !v.i9_absent_spouse_counted {
            effective_size -= 1;
        }
        c.info(
            p,
            "R-E08",
            "i9_absent_spouse_counted",
            v.i9_absent_spouse_counted.into(),
            format_args!(
                "해석 I9: 세대에 등록된 배우자를 가구원 수에 {} — 가구원 수 {}인.",
                if v.i9_absent_spouse_counted { "포함합니다" } else { "포함하지 않습니다" },
                effective_size
            ),
            format_args!(
                "interpretation I9: the spouse registered in the household is {} — household size {}",
                if v.i9_absent_spouse_counted { "counted" } else { "not counted" },
                effective_size
            ),
        );
    }

    // R-E08 a row for the household size; R-E07 the income test.
    let (table, table_name, pct) = if youth {
        (&v.income_threshold_youth, "income_threshold_youth", v.income_threshold_youth_pct)
    } else {
        (&v.income_threshold_general, "income_threshold_general", v.income_threshold_general_pct)
    };
    let row = u32::try_from(effective_size).ok().and_then(|s| table.get(&s).copied());
    let Some(threshold) = row else {
        let sizes: Vec<String> = table.keys().map(u32::to_string).collect();
        c.check_param(
            "R-E08",
            false,
            p,
            table_name,
            TraceValue::Null,
            format_args!("{}인 가구의 선정기준이 없습니다(기준표: {}인).", effective_size, sizes.join("·")),
            format_args!(
                "no threshold for a {}-person household (table covers {} persons)",
                effective_size,
                sizes.join(", ")
            ),
        );
        let mut e = done(Status::UndefinedThreshold, c, qualifying);
        e.effective_household_size = effective_size;
        return e;
    };
    let inclusive = if youth {
        true
    } else {
        interps.mark(7);
        v.i7_general_threshold_inclusive
    };
    let income = req.recognized_income_month;
    let ok = if inclusive { income <= threshold } else { income < threshold };
    let group_ko = if youth { "청소년 한부모가족" } else { "한부모·조손가족" };
    let group_en = if youth { "youth single-parent families" } else { "single-parent and grandparent families" };
    let sign = cmp_sign(income, threshold);
    c.check_param(
        "R-E07",
        ok,
        p,
        table_name,
        threshold.into(),
        format_args!(
            "소득인정액 {}원 {} {}인 가구 기준 {}원(기준 중위소득 {}%, {}{}) — {}.",
            Won(income),
            sign,
            effective_size,
            Won(threshold),
            pct,
            group_ko,
            if inclusive { ", 이하" } else { ", 미만" },
            if ok { "충족" } else { "초과" }
        ),
        format_args!(
            "recognized income {} won {} threshold {} won for a {}-person household ({}% of standard median income, {}, {}) — {}",
            Won(income),
            sign,
            Won(threshold),
            effective_size,
            pct,
            group_en,
            if inclusive { "inclusive" } else { "exclusive" },
            if ok { "met" } else { "exceeded" }
        ),
    );
    if !youth {
        // The I7 reading is part of the comparison above; name it in the trace.
        c.info(
            p,
            "R-E07",
            "i7_general_threshold_inclusive",
            inclusive.into(),
            format_args!("해석 I7: 60% 기준은 {}으로 봅니다.", if inclusive { "이하(≤)" } else { "미만(<)" }),
            format_args!(
                "interpretation I7: the 60% threshold is {}",
                if inclusive { "inclusive (≤)" } else { "exclusive (<)" }
            ),
        );
    }
    let status = match (ok, youth) {
        (false, _) => Status::NotEligible,
        (true, true) => Status::EligibleYouth,
        (true, false) => Status::EligibleGeneral,
    };
    let mut e = done(status, c, qualifying);
    e.threshold = Some(threshold);
    e.threshold_pct = Some(pct);
    e.effective_household_size = effective_size;
    e
}

fn reason_check<'a>(
    req: &Request,
    p: &'a Resolved<Params>,
    code: ReasonCode,
    c: &mut Checks<'_, 'a>,
    interps: &mut Interps,
) {
    let Some(a) = &req.applicant else { return };
    let s = &req.spouse_facts;
    let v = &p.values;
    let (label_ko, label_en) = reason_label(code);
    let mut check = |ok: bool, ko: &dyn fmt::Display, en: &dyn fmt::Display| {
        c.check("R-E02", ok, format_args!("사유 {label_ko}: {ko}"), format_args!("reason {label_en}: {en}"));
    };
    match code {
        ReasonCode::Sp01 | ReasonCode::Sp03 => check(true, &"추가 요건 없음.", &"no further condition"),
        ReasonCode::Sp02 => check(
            !a.in_divorce_litigation,
            &if a.in_divorce_litigation {
                "이혼소송 중인 자는 제외됩니다."
            } else {
                "이혼소송 중이 아닙니다."
            },
            &if a.in_divorce_litigation {
                "excluded while divorce litigation is in progress"
            } else {
                "not in divorce litigation"
            },
        ),
        ReasonCode::Sp04 => {
            let months_ok = s.incapacity_months >= i64::from(v.sp04_min_incapacity_months);
            c.check_param(
                "R-E02",
                months_ok,
                p,
                "sp04_min_incapacity_months",
                v.sp04_min_incapacity_months.into(),
                format_args!(
                    "사유 {label_ko}: 배우자 근로능력 상실 {}개월 {} {}개월.",
                    s.incapacity_months,
                    if months_ok { "≥" } else { "<" },
                    v.sp04_min_incapacity_months
                ),
                format_args!(
                    "reason {label_en}: spouse incapacity {} months {} {} months",
                    s.incapacity_months,
                    if months_ok { "≥" } else { "<" },
                    v.sp04_min_incapacity_months
                ),
            );
            c.check(
                "R-E02",
                !s.has_economic_income,
                if s.has_economic_income {
                    "배우자에게 경제활동 소득이 있어 제외됩니다(공적자료)."
                } else {
                    "배우자에게 경제활동 소득이 없습니다."
                },
                if s.has_economic_income {
                    "excluded: the spouse has income from economic activity (public data)"
                } else {
                    "the spouse has no income from economic activity"
                },
            );
        }
        ReasonCode::Sp05 => {
            let ok = a.is_unmarried && !a.in_de_facto_marriage;
            check(
                ok,
                &format_args!(
                    "미혼 {}, 사실혼 {} (사실혼 관계는 제외).",
                    yes_no_ko(a.is_unmarried),
                    yes_no_ko(a.in_de_facto_marriage)
                ),
                &format_args!(
                    "unmarried {}, de facto marriage {} (de facto marriage excluded)",
                    a.is_unmarried, a.in_de_facto_marriage
                ),
            );
        }
        ReasonCode::Sp06 => {
            let ok = s.missing_evidence != MissingEvidence::None;
            check(
                ok,
                &if ok {
                    "실종선고 절차 진행 또는 시군구청장 확인이 있습니다."
                } else {
                    "생사불명을 뒷받침하는 확인(실종선고 절차, 시군구청장 확인)이 없습니다."
                },
                &if ok {
                    "disappearance proceeding or si/gun/gu confirmation given"
                } else {
                    "no evidence (disappearance proceeding or si/gun/gu confirmation)"
                },
            );
        }
        ReasonCode::Sp07 => check(
            s.left_home_due_to_violence_or_discord,
            &format_args!("가정폭력·불화로 인한 가출 {}.", yes_no_ko(s.left_home_due_to_violence_or_discord)),
            &format_args!("left home due to violence or discord: {}", s.left_home_due_to_violence_or_discord),
        ),
        ReasonCode::Sp08 => check(
            s.on_military_service,
            &format_args!("배우자 군복무 {}.", yes_no_ko(s.on_military_service)),
            &format_args!("spouse on military service: {}", s.on_military_service),
        ),
        ReasonCode::Sp09 => check(
            s.long_term_imprisonment,
            &format_args!("배우자 장기 복역 {}.", yes_no_ko(s.long_term_imprisonment)),
            &format_args!("spouse in long-term imprisonment: {}", s.long_term_imprisonment),
        ),
        ReasonCode::Sp10 => check(
            a.is_foreigner,
            &"국내 체류 외국인 사유입니다(사유 1~9 중 하나는 신고된 것으로 봄).",
            &"foreign resident reason (one of SP01-SP09 taken as declared)",
        ),
    }
    if a.in_divorce_litigation && code != ReasonCode::Sp02 {
        interps.mark(10);
        let ok = v.i10_violence_exempt_from_litigation;
        c.check_param(
            "R-E02",
            ok,
            p,
            "i10_violence_exempt_from_litigation",
            ok.into(),
            if ok {
                "해석 I10: 이혼소송 중 제외는 이혼 사유에만 적용됩니다."
            } else {
                "해석 I10: 이혼소송 중인 자는 모든 사유에서 제외됩니다."
            },
            if ok {
                "interpretation I10: the divorce-litigation exclusion applies to the divorce reason only"
            } else {
                "interpretation I10: applicants in divorce litigation are excluded under every reason"
            },
        );
    }
}

pub fn reason_label(code: ReasonCode) -> (&'static str, &'static str) {
    match code {
        ReasonCode::Sp01 => ("사별(SP01)", "widowed (SP01)"),
        ReasonCode::Sp02 => ("이혼(SP02)", "divorced (SP02)"),
        ReasonCode::Sp03 => ("유기(SP03)", "abandoned (SP03)"),
        ReasonCode::Sp04 => ("배우자 장애(SP04)", "spouse incapacitated (SP04)"),
        ReasonCode::Sp05 => ("미혼(SP05)", "unmarried (SP05)"),
        ReasonCode::Sp06 => ("배우자 생사불명(SP06)", "spouse missing (SP06)"),
        ReasonCode::Sp07 => ("가정폭력 등 가출(SP07)", "left home due to violence (SP07)"),
        ReasonCode::Sp08 => ("배우자 군복무(SP08)", "spouse in military service (SP08)"),
        ReasonCode::Sp09 => ("배우자 장기 복역(SP09)", "spouse imprisoned (SP09)"),
        ReasonCode::Sp10 => ("외국인(SP10)", "foreign resident (SP10)"),
    }
}

fn relation_ko(r: Relation) -> &'static str {
    match r {
        Relation::Mother => "모",
        Relation::Father => "부",
        Relation::Grandfather => "조부",
        Relation::Grandmother => "조모",
    }
}

fn relation_en(r: Relation) -> &'static str {
    match r {
        Relation::Mother => "mother",
        Relation::Father => "father",
        Relation::Grandfather => "grandfather",
        Relation::Grandmother => "grandmother",
    }
}

pub fn yes_no_ko(b: bool) -> &'static str {
    if b { "예" } else { "아니오" }
}
