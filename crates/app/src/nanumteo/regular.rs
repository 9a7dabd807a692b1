//! Regular programs (상시프로그램, CS-06): a space runs programs at least twice a week, each on
//! the same weekday every week; legal holidays are excused and Saturday sessions count (seed
//! 001 L480-484). A regular program is an ordinary center program linked to the space and a
//! weekday: its sessions and attendance are the program's own.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use gajok_domain::time::parse_date;
use gajok_store::audit::{self, NewEvent};
use gajok_store::nanumteo::regular::{self as store, RegularProgram};
use gajok_store::programs;
use serde::Serialize;

use super::refusal::{NtResult, Refusal};
use super::safety::today;
use super::safety_rules::safety_rules_on;
use super::spaces::Level;
use crate::App;
use crate::catalog::catalog;
use crate::error::{AppError, AppResult};
use crate::principal::Principal;

pub const WEEKDAYS_KO: [&str; 7] = ["월", "화", "수", "목", "금", "토", "일"];

#[derive(Debug, Clone, Serialize)]
pub struct RegularLine {
    pub reg: RegularProgram,
    pub weekday_ko: &'static str,
    /// Dates of its weekday so far this month that were not holidays.
    pub expected: usize,
    /// Of those, the dates with a session.
    pub held: usize,
    pub missing: Vec<String>,
    pub excused: Vec<String>,
    /// Sessions this month on another weekday (not regular).
    pub off_day: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct RegularStatus {
    pub month: String,
    pub lines: Vec<RegularLine>,
    /// Weekly slots (program × weekday).
    pub slots: usize,
    pub min_per_week: i64,
    pub rule: String,
    /// Weeks so far with fewer regular sessions than the rule asks.
    pub weeks_short: usize,
    pub level: Level,
    /// `met`, `on-track`, `not-met`
    pub state: &'static str,
}

fn month_bounds(month: &str) -> Option<(NaiveDate, NaiveDate)> {
    let first = parse_date(&format!("{month}-01"))?;
    let next = first.checked_add_months(chrono::Months::new(1))?;
    Some((first, next.pred_opt()?))
}

/// The status of a month from the regular programs and their session dates.
pub fn status(
    month: &str,
    regs: &[(RegularProgram, Vec<NaiveDate>)],
    today: NaiveDate,
    holidays: &BTreeSet<NaiveDate>,
    min_per_week: i64,
    rule: &str,
) -> Option<RegularStatus> {
    let (first, last) = month_bounds(month)?;
    let cutoff = last.min(today);
    let mut lines = Vec::new();
    // For the weekly check: per slot, the dates that count (held or excused) and the
    // dates that were expected.
    let mut slot_dates: Vec<(BTreeSet<NaiveDate>, BTreeSet<NaiveDate>)> = Vec::new();
    for (reg, sessions) in regs {
        let wd = reg.weekday as u32;
        let held_all: BTreeSet<NaiveDate> =
            sessions.iter().copied().filter(|d| d.weekday().number_from_monday() == wd).collect();
        let off_day = sessions.iter().filter(|d| d.weekday().number_from_monday() != wd).count();
        let mut expected = Vec::new();
        let mut excused = Vec::new();
        let mut d = first;
        while d <= cutoff {
            if d.weekday().number_from_monday() == wd {
                if holidays.contains(&d) && !held_all.contains(&d) {
                    excused.push(d);
                } else {
                    expected.push(d);
                }
            }
            d = d.succ_opt()?;
        }
        let missing: Vec<NaiveDate> = expected.iter().copied().filter(|d| !held_all.contains(d)).collect();
        let counts: BTreeSet<NaiveDate> =
            expected.iter().chain(excused.iter()).copied().filter(|d| !missing.contains(d)).collect();
        let all: BTreeSet<NaiveDate> = expected.iter().chain(excused.iter()).copied().collect();
        slot_dates.push((counts, all));
        lines.push(RegularLine {
            weekday_ko: WEEKDAYS_KO.get(wd.saturating_sub(1) as usize).copied().unwrap_or("?"),
            expected: expected.len(),
            held: expected.len() - missing.len(),
            missing: missing.iter().map(|d| d.to_string()).collect(),
            excused: excused.iter().map(|d| d.to_string()).collect(),
            off_day,
            reg: reg.clone(),
        });
    }
    // Each (ISO) week touching the month up to the cutoff: regular sessions that count must
    // reach the rule, or every slot the (partial) week offered.
    let mut weeks_short = 0;
    let mut monday = first - chrono::Days::new(first.weekday().num_days_from_monday() as u64);
    while monday <= cutoff {
        let sunday = monday + chrono::Days::new(6);
        let in_week = |s: &BTreeSet<NaiveDate>| s.iter().filter(|d| **d >= monday && **d <= sunday).count();
        let got: usize = slot_dates.iter().map(|(c, _)| in_week(c)).sum();
        let offered: usize = slot_dates.iter().map(|(_, a)| in_week(a)).sum();
        // Only a full week inside the month is held to the whole rule.
        let full = monday >= first && sunday <= cutoff;
        let need = if full { min_per_week as usize } else { (min_per_week as usize).min(offered) };
        if got < need {
            weeks_short += 1;
        }
        monday = monday + chrono::Days::new(7);
    }
    let slots = regs.len();
    let (level, state) = if slots < min_per_week as usize || weeks_short > 0 {
        (Level::Fail, "not-met")
    } else if cutoff < last {
        (Level::Ok, "on-track")
    } else {
        (Level::Ok, "met")
    };
    Some(RegularStatus {
        month: month.to_string(),
        lines,
        slots,
        min_per_week,
        rule: rule.to_string(),
        weeks_short,
        level,
        state,
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct ProgramChoice {
    pub id: i64,
    pub name: String,
}

impl App {
    /// The regular programs of a space and whether the rule is met in `month` (YYYY-MM).
    pub async fn nts_regular_status(&self, site_id: i64, month: &str) -> AppResult<RegularStatus> {
        let (first, last) = month_bounds(month).ok_or_else(|| AppError::one_field("month", "invalid_date"))?;
        let regs = store::of_space(&self.store, site_id).await?;
        let mut with_dates = Vec::new();
        for r in regs {
            let dates = store::session_dates(&self.store, r.program_id, &first.to_string(), &last.to_string())
                .await?
                .iter()
                .filter_map(|d| parse_date(d))
                .collect();
            with_dates.push((r, dates));
        }
        let rules = safety_rules_on(first);
        let holidays = catalog().holidays(first.year()).cloned().unwrap_or_default();
        status(
            month,
            &with_dates,
            today(),
            &holidays,
            rules.int("regular_min_per_week"),
            rules.rule("regular_min_per_week"),
        )
        .ok_or_else(|| AppError::one_field("month", "invalid_date"))
    }

    /// Programs of the center this year that may be linked as regular programs.
    pub async fn nts_program_choices(&self, center_id: i64) -> AppResult<Vec<ProgramChoice>> {
        let year = today().year() as i64;
        Ok(programs::programs(&self.store, center_id, year)
            .await?
            .into_iter()
            .filter(|p| p.active)
            .map(|p| ProgramChoice { id: p.id, name: p.name })
            .collect())
    }

    /// Links a center program to the space as a regular program on a weekday.
    pub async fn nts_add_regular(
        &self,
        p: &Principal,
        site_id: i64,
        program_id: Option<&str>,
        weekday: Option<&str>,
        start_time: Option<&str>,
    ) -> NtResult<i64> {
        let (site, center) = self.nanumteo_site(p, site_id).await?;
        let program_id: i64 = program_id
            .and_then(|s| s.trim().parse().ok())
            .ok_or_else(|| AppError::one_field("program_id", "invalid_number"))?;
        let program = programs::program(self.store.reader(), program_id).await?.ok_or(AppError::NotFound)?;
        if program.center_id != center.id {
            return Err(AppError::NotFound.into());
        }
        let wd: i64 = weekday
            .and_then(|s| s.trim().parse().ok())
            .filter(|d| (1..=7).contains(d))
            .ok_or_else(|| AppError::one_field("weekday", "invalid_choice"))?;
        let start = gajok_domain::nanumteo::parse_hhmm(start_time.unwrap_or_default().trim())
            .ok_or_else(|| AppError::one_field("start_time", "invalid_time"))?;
        // A regular program runs while the space is open (CS-50, CS-53): not on a closed day.
        if let Some(space) = gajok_store::nanumteo::spaces::get(self.store.reader(), site_id).await?
            && !space.data.open_days.contains(char::from_digit(wd as u32, 10).unwrap_or('0'))
        {
            return Err(Refusal::new("regular-closed-day", "CS-50")
                .arg("weekday", WEEKDAYS_KO[(wd - 1) as usize])
                .into());
        }
        let mut tx = self.store.begin().await?;
        let Some(id) = store::insert(&mut tx, center.id, site_id, program_id, wd, &start).await? else {
            return Err(Refusal::new("regular-exists", "CS-06").arg("weekday", WEEKDAYS_KO[(wd - 1) as usize]).into());
        };
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "create",
                entity_type: "nanumteo_regular_program",
                entity_id: id.to_string(),
                org_unit_id: Some(site.id),
                org_path: site.path.clone(),
                summary: format!(
                    "상시프로그램 지정: {} 매주 {}요일 {start}",
                    program.name,
                    WEEKDAYS_KO[(wd - 1) as usize]
                ),
                before: None,
                after: Some(serde_json::json!({ "program_id": program_id, "weekday": wd, "start_time": start })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    fn reg(id: i64, weekday: i64) -> RegularProgram {
        RegularProgram {
            id,
            space_id: 1,
            program_id: id,
            program_name: format!("p{id}"),
            weekday,
            start_time: "10:00".into(),
        }
    }

    fn every(weekday: u32, month: &str, skip: &[&str]) -> Vec<NaiveDate> {
        let (f, l) = month_bounds(month).unwrap();
        f.iter_days()
            .take_while(|x| *x <= l)
            .filter(|x| x.weekday().number_from_monday() == weekday && !skip.contains(&x.to_string().as_str()))
            .collect()
    }

    #[test]
    fn two_weekly_programs_held_every_week_meet_the_rule() {
        // October 2026: Mondays and Wednesdays; 2026-10-05 (Mon) is no holiday, 10-09 (Fri) 한글날.
        let regs = vec![(reg(1, 1), every(1, "2026-10", &[])), (reg(2, 3), every(3, "2026-10", &[]))];
        let h = BTreeSet::from([d("2026-10-03"), d("2026-10-09")]);
        let s = status("2026-10", &regs, d("2026-11-20"), &h, 2, "CS-06").unwrap();
        assert_eq!((s.state, s.weeks_short, s.slots), ("met", 0, 2), "{s:?}");
        assert_eq!(s.lines[0].weekday_ko, "월");
        assert_eq!(s.lines[0].held, 4);
    }

    #[test]
    fn a_missed_week_or_a_single_program_is_not_met_and_holidays_are_excused() {
        let h = BTreeSet::from([d("2026-10-05")]);
        // Monday 10-05 is (in this test) a holiday: excused, still met.
        let regs = vec![(reg(1, 1), every(1, "2026-10", &["2026-10-05"])), (reg(2, 3), every(3, "2026-10", &[]))];
        let s = status("2026-10", &regs, d("2026-11-20"), &h, 2, "CS-06").unwrap();
        assert_eq!(s.state, "met", "{s:?}");
        assert_eq!(s.lines[0].excused, ["2026-10-05"]);
        // Wednesday 10-14 missed: that week is short.
        let regs = vec![(reg(1, 1), every(1, "2026-10", &[])), (reg(2, 3), every(3, "2026-10", &["2026-10-14"]))];
        let s = status("2026-10", &regs, d("2026-11-20"), &BTreeSet::new(), 2, "CS-06").unwrap();
        assert_eq!((s.state, s.weeks_short), ("not-met", 1));
        assert_eq!(s.lines[1].missing, ["2026-10-14"]);
        let one = vec![(reg(1, 1), every(1, "2026-10", &[]))];
        assert_eq!(status("2026-10", &one, d("2026-11-20"), &BTreeSet::new(), 2, "CS-06").unwrap().state, "not-met");
    }

    #[test]
    fn the_current_month_is_on_track_until_it_ends() {
        let sessions = |wd| every(wd, "2026-11", &[]).into_iter().filter(|x| *x <= d("2026-11-20")).collect();
        let regs = vec![(reg(1, 1), sessions(1)), (reg(2, 3), sessions(3))];
        let s = status("2026-11", &regs, d("2026-11-20"), &BTreeSet::new(), 2, "CS-06").unwrap();
        assert_eq!(s.state, "on-track", "{s:?}");
    }
}
