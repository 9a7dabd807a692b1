//! The 2017 common-program rules as executable checks (R-PRG-01, 02, 04, 05, 07, 08), each
//! answered as met / on track / at risk / missed with the projection that decides it. The
//! numbers come from `rules/compliance/`.

use chrono::{Datelike, NaiveDate};
use gajok_domain::org::CenterForm;
use gajok_store::{Store, counting, orgs};
use serde::{Deserialize, Serialize};

use crate::catalog::Sourced;
use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, Deserialize)]
struct Check {
    id: String,
    common_program: String,
    min_sessions: Option<Sourced<i64>>,
    min_minutes: Option<Sourced<i64>>,
    #[serde(default)]
    only_if_program_exists: bool,
    applies_if_counseling_real_at_most: Option<Sourced<i64>>,
}

#[derive(Debug, Clone, Deserialize)]
struct AreaRule {
    required: Vec<String>,
    one_of: Vec<String>,
    source: String,
}

#[derive(Debug, Clone, Deserialize)]
struct Areas {
    independent: AreaRule,
    multi_function: AreaRule,
}

#[derive(Debug, Clone, Deserialize)]
struct CareSharing {
    common_programs: Vec<String>,
    min_distinct: Sourced<usize>,
}

#[derive(Debug, Clone, Deserialize)]
struct Rules {
    effective_from: NaiveDate,
    checks: Vec<Check>,
    areas: Areas,
    care_sharing: CareSharing,
}

const FILES: &[&str] = &[include_str!("../../../rules/compliance/common-programs-2017.json")];

fn rules_for(year: i32) -> AppResult<Rules> {
    let mut all: Vec<Rules> = FILES
        .iter()
        .map(|f| serde_json::from_str(f).map_err(|e| AppError::Internal(format!("compliance rules: {e}"))))
        .collect::<Result<_, _>>()?;
    all.sort_by_key(|r| r.effective_from);
    let jan1 = NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(|| AppError::one_field("year", "invalid_year"))?;
    all.into_iter()
        .rev()
        .find(|r| r.effective_from <= jan1)
        .ok_or_else(|| AppError::one_field("year", "no_area_list_for_year"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Met,
    OnTrack,
    AtRisk,
    Missed,
    NotApplicable,
}

impl Verdict {
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Met => "met",
            Verdict::OnTrack => "on_track",
            Verdict::AtRisk => "at_risk",
            Verdict::Missed => "missed",
            Verdict::NotApplicable => "not_applicable",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub id: String,
    pub verdict: Verdict,
    /// What was counted and the projection, e.g. "회기 6 / 10 (예정 포함 9, 진도 기준 9.0)".
    pub detail_ko: String,
    pub detail_en: String,
    pub source: String,
}

/// Decides a quantity against its target on `today` within `year`.
/// `done` is what happened up to today, `scheduled` what is planned after today.
pub fn judge(done: i64, scheduled: i64, target: i64, year: i32, today: NaiveDate) -> (Verdict, f64) {
    let start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
    let end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today);
    let elapsed = if today < start {
        0.0
    } else if today >= end {
        1.0
    } else {
        f64::from((today - start).num_days() as i32 + 1) / f64::from((end - start).num_days() as i32 + 1)
    };
    let pace = if elapsed > 0.0 { done as f64 / elapsed } else { 0.0 };
    let projection = pace.max((done + scheduled) as f64);
    let verdict = if done >= target {
        Verdict::Met
    } else if today > end {
        Verdict::Missed
    } else if projection >= target as f64 {
        Verdict::OnTrack
    } else {
        Verdict::AtRisk
    };
    (verdict, projection)
}

struct Usage {
    programs: i64,
    done_sessions: i64,
    done_minutes: i64,
    later_sessions: i64,
    later_minutes: i64,
}

async fn usage(store: &Store, center: i64, year: i32, common: &str, today: &str) -> AppResult<Usage> {
    let rows = gajok_store::programs::common_program_usage(store, center, i64::from(year), common, today).await?;
    Ok(Usage {
        programs: rows.0,
        done_sessions: rows.1,
        done_minutes: rows.2,
        later_sessions: rows.3,
        later_minutes: rows.4,
    })
}

/// All checks for a center's year, as of `today`.
pub async fn evaluate(store: &Store, center_id: i64, year: i32, today: NaiveDate) -> AppResult<Vec<Outcome>> {
    let rules = rules_for(year)?;
    let center = orgs::center(store.reader(), center_id).await?;
    let form = center.map(|c| c.center_form).unwrap_or(CenterForm::Independent);
    let today_s = today.format("%Y-%m-%d").to_string();
    let mut out = Vec::new();
    // Counseling real persons of the year (for R-PRG-07).
    let figs = counting::figures(store, &[center_id], &format!("{year:04}-01"), &format!("{year:04}-12")).await?;
    let counseling_real: i64 =
        figs.iter().filter(|((_, _, c), _)| c == "area:counseling").map(|(_, f)| f.real_new).sum();
    for ch in &rules.checks {
        let u = usage(store, center_id, year, &ch.common_program, &today_s).await?;
        if ch.only_if_program_exists && u.programs == 0 {
            continue;
        }
        if let Some(limit) = &ch.applies_if_counseling_real_at_most
            && counseling_real > limit.value
        {
            out.push(Outcome {
                id: ch.id.clone(),
                verdict: Verdict::NotApplicable,
                detail_ko: format!("상담 실인원 {counseling_real}명 > {}명: 적용 대상 아님", limit.value),
                detail_en: format!("counseling real persons {counseling_real} > {}: does not apply", limit.value),
                source: limit.source.clone(),
            });
            continue;
        }
        let mut worst: Option<(Verdict, String, String, String)> = None;
        let rank = |v: Verdict| match v {
            Verdict::Missed => 0,
            Verdict::AtRisk => 1,
            Verdict::OnTrack => 2,
            Verdict::Met => 3,
            Verdict::NotApplicable => 4,
        };
        if let Some(t) = &ch.min_sessions {
            let (v, proj) = judge(u.done_sessions, u.later_sessions, t.value, year, today);
            let ko = format!(
                "회기 {} / {} (예정 포함 {}, 진도 기준 예상 {:.1})",
                u.done_sessions,
                t.value,
                u.done_sessions + u.later_sessions,
                proj
            );
            let en = format!(
                "sessions {} / {} (with scheduled {}, projected {:.1})",
                u.done_sessions,
                t.value,
                u.done_sessions + u.later_sessions,
                proj
            );
            worst = Some((v, ko, en, t.source.clone()));
        }
        if let Some(t) = &ch.min_minutes {
            let (v, proj) = judge(u.done_minutes, u.later_minutes, t.value, year, today);
            let h = |m: f64| m / 60.0;
            let ko = format!(
                "시간 {:.1} / {:.0} (예정 포함 {:.1}, 진도 기준 예상 {:.1})",
                h(u.done_minutes as f64),
                h(t.value as f64),
                h((u.done_minutes + u.later_minutes) as f64),
                h(proj)
            );
            let en = format!(
                "hours {:.1} / {:.0} (with scheduled {:.1}, projected {:.1})",
                h(u.done_minutes as f64),
                h(t.value as f64),
                h((u.done_minutes + u.later_minutes) as f64),
                h(proj)
            );
            worst = match worst {
                Some(w) if rank(w.0) <= rank(v) => Some((w.0, format!("{}; {ko}", w.1), format!("{}; {en}", w.2), w.3)),
                Some(w) => Some((v, format!("{}; {ko}", w.1), format!("{}; {en}", w.2), t.source.clone())),
                None => Some((v, ko, en, t.source.clone())),
            };
        }
        if let Some((verdict, detail_ko, detail_en, source)) = worst {
            out.push(Outcome { id: ch.id.clone(), verdict, detail_ko, detail_en, source });
        }
    }
    // Areas covered by the year's programs (R-PRG-01).
    let areas = gajok_store::programs::areas_with_programs(store, center_id, i64::from(year)).await?;
    let rule = if form == CenterForm::MultiFunction { &rules.areas.multi_function } else { &rules.areas.independent };
    let missing: Vec<&String> = rule.required.iter().filter(|a| !areas.contains(a)).collect();
    let one_of_ok = rule.one_of.is_empty() || rule.one_of.iter().any(|a| areas.contains(a));
    let ok = missing.is_empty() && one_of_ok;
    let year_over = today > NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today);
    let verdict = if ok {
        Verdict::Met
    } else if year_over {
        Verdict::Missed
    } else {
        Verdict::AtRisk
    };
    let mut gaps: Vec<String> = missing.iter().map(|s| s.to_string()).collect();
    if !one_of_ok {
        gaps.push(rule.one_of.join("|"));
    }
    out.push(Outcome {
        id: "areas".into(),
        verdict,
        detail_ko: if ok {
            format!("운영 영역 {}개 충족", areas.len())
        } else {
            format!("빠진 영역: {}", gaps.join(", "))
        },
        detail_en: if ok {
            format!("{} areas covered", areas.len())
        } else {
            format!("missing areas: {}", gaps.join(", "))
        },
        source: rule.source.clone(),
    });
    // Care sharing: 2 of 3 common programs, independent centers (R-PRG-02).
    if form == CenterForm::Independent {
        let mut distinct = 0;
        for c in &rules.care_sharing.common_programs {
            if usage(store, center_id, year, c, &today_s).await?.programs > 0 {
                distinct += 1;
            }
        }
        let need = rules.care_sharing.min_distinct.value;
        let verdict = if distinct >= need {
            Verdict::Met
        } else if year_over {
            Verdict::Missed
        } else {
            Verdict::AtRisk
        };
        out.push(Outcome {
            id: "care_sharing".into(),
            verdict,
            detail_ko: format!("가족돌봄나눔 공통사업 {distinct} / {need}개"),
            detail_en: format!("care-sharing common programs {distinct} / {need}"),
            source: rules.care_sharing.min_distinct.source.clone(),
        });
    }
    let _ = today.year();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_with_projection() {
        let d = |s| gajok_domain::time::parse_date(s).unwrap();
        // 10 Family Love Days a year: 10 done → met.
        assert_eq!(judge(10, 0, 10, 2026, d("2026-06-30")).0, Verdict::Met);
        // Half the year gone, 4 done, 6 scheduled → on track.
        assert_eq!(judge(4, 6, 10, 2026, d("2026-07-01")).0, Verdict::OnTrack);
        // Half the year gone, 3 done, nothing scheduled: pace 6 → at risk.
        assert_eq!(judge(3, 0, 10, 2026, d("2026-07-01")).0, Verdict::AtRisk);
        // Year over, 9 done → missed.
        assert_eq!(judge(9, 0, 10, 2026, d("2027-01-02")).0, Verdict::Missed);
        // Early in the year a good pace counts: 1 done by 10 January.
        assert_eq!(judge(1, 0, 10, 2026, d("2026-01-10")).0, Verdict::OnTrack);
    }

    #[test]
    fn rules_load() {
        let r = rules_for(2026).unwrap();
        assert_eq!(r.checks.len(), 4);
        assert_eq!(r.care_sharing.min_distinct.value, 2);
        assert!(rules_for(2016).is_err());
    }
}
