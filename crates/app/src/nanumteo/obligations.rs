//! The yearly obligations of a 나눔터 center (rules data `obligations`, by year): at least 10
//! groups (PM-01), 4 regular meetings (PM-02), 3 whole programs (PM-18), 1 whole gathering
//! (PM-03), 4 hours of leader training per leader (PM-04), a quarterly operating committee
//! (CS-11), a promotion event with a 품앗이 briefing (CS-07), a new space found (CS-10), and in
//! 2017 only the user targets (CS-01). Each is met / on track / at risk / missed, with the
//! projection of [`crate::compliance::judge`]. The event log records what they count.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use gajok_domain::field::{FieldError, FieldErrors};
use gajok_domain::text;
use gajok_domain::time::parse_date;
use gajok_store::audit::{self, NewEvent as AuditEvent};
use gajok_store::nanumteo::report::{self as store, Event, NewEvent};
use gajok_store::nanumteo::{pumasi, spaces, visits};
use gajok_store::orgs::{self, OrgUnit};
use serde::Serialize;

use super::report::EVENT_KINDS;
use super::rules::{Edition, rules_on};
use super::visits::count_users;
use crate::compliance::{Verdict, judge};
use crate::error::{AppError, AppResult};
use crate::principal::Principal;
use crate::{App, authz};

/// One obligation and where the center stands.
#[derive(Debug, Clone, Serialize)]
pub struct Obligation {
    /// The key in the rules data (`min_groups`, ...), also the label key suffix.
    pub key: &'static str,
    pub rule: String,
    pub source: String,
    pub done: i64,
    pub target: i64,
    pub verdict: Verdict,
    /// Extra numbers for the detail line (leaders still short of their hours, quarters...).
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ObligationsPage {
    pub center: OrgUnit,
    pub year: i32,
    pub obligations: Vec<Obligation>,
    pub events: Vec<Event>,
    /// Group leaders (member id, name, minutes of training this year).
    pub leaders: Vec<(i64, String, i64)>,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct EventInput {
    pub kind: Option<String>,
    pub date: Option<String>,
    /// Hours, e.g. `2` or `1.5`.
    pub hours: Option<String>,
    pub content: Option<String>,
    /// Number of participants.
    pub attendees: Option<String>,
    /// A promotion event that included a 품앗이 briefing (CS-07).
    pub briefing: Option<String>,
    /// Leaders who attended a leader training: member ids, comma-separated.
    pub member_ids: Option<String>,
    pub center: Option<String>,
}

fn s(v: &Option<String>) -> String {
    text::clean(v.as_deref().unwrap_or_default())
}

fn minutes_of(hours: &str) -> Option<i64> {
    let (h, frac) = hours.split_once('.').unwrap_or((hours, ""));
    let h: i64 = h.parse().ok()?;
    let tenths: i64 = match frac {
        "" => 0,
        f if f.len() <= 2 => format!("{f:0<2}").parse::<i64>().ok()?,
        _ => return None,
    };
    let m = h * 60 + tenths * 60 / 100;
    (1..=24 * 60).contains(&m).then_some(m)
}

/// A count against its target, judged on `today` with what is dated after today as scheduled.
fn count_judged(key: &'static str, r: &Edition, dates: &[&str], year: i32, today: NaiveDate) -> Option<Obligation> {
    let target = r.int("obligations", key)?;
    let t = today.to_string();
    let done = dates.iter().filter(|d| **d <= t.as_str()).count() as i64;
    let later = dates.len() as i64 - done;
    let (verdict, _) = judge(done, later, target, year, today);
    let p = r.param("obligations", key);
    Some(Obligation { key, rule: p.rule.clone(), source: p.source.clone(), done, target, verdict, note: String::new() })
}

/// A standing count (groups running): met when reached, missed after the year, else at risk.
fn stock(done: i64, target: i64, year: i32, today: NaiveDate) -> Verdict {
    if done >= target {
        Verdict::Met
    } else if today.year() > year {
        Verdict::Missed
    } else {
        Verdict::AtRisk
    }
}

impl App {
    /// The obligations of a center's year as of `today`.
    pub async fn nanumteo_obligations(
        &self,
        center_id: i64,
        year: i32,
        today: NaiveDate,
    ) -> AppResult<Vec<Obligation>> {
        let jan1 = NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(|| AppError::one_field("year", "invalid_year"))?;
        let dec31 = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(jan1);
        let r = rules_on(jan1);
        let (j, d) = (jan1.to_string(), dec31.to_string());
        let events = store::events(&self.store, center_id, &j, &d).await?;
        let dates = |kind: &str, pred: &dyn Fn(&Event) -> bool| -> Vec<String> {
            events.iter().filter(|e| e.kind == kind && pred(e)).map(|e| e.held_on.clone()).collect()
        };
        let mut out = Vec::new();

        // PM-01: groups of at least the minimum number of families, formed by the end of the year.
        let min_fam = r.int("pumasi", "min_families").unwrap_or(2) as usize;
        let groups = pumasi::groups(&self.store, center_id).await?;
        let mut running = 0;
        let mut leaders = BTreeSet::new();
        for g in &groups {
            if g.formed_on.as_str() > d.as_str() {
                continue;
            }
            if pumasi::group_families(&self.store, g.id).await?.len() >= min_fam {
                running += 1;
                if let Some(l) = g.leader_member_id {
                    leaders.insert(l);
                }
            }
        }
        if let Some(target) = r.int("obligations", "min_groups") {
            let p = r.param("obligations", "min_groups");
            out.push(Obligation {
                key: "min_groups",
                rule: p.rule.clone(),
                source: p.source.clone(),
                done: running,
                target,
                verdict: stock(running, target, year, today),
                note: String::new(),
            });
        }
        for (key, kind) in [
            ("regular_meetings", "regular_meeting"),
            ("whole_programs", "whole_program"),
            ("whole_gatherings", "whole_gathering"),
        ] {
            let ds = dates(kind, &|_| true);
            let refs: Vec<&str> = ds.iter().map(String::as_str).collect();
            out.extend(count_judged(key, r, &refs, year, today));
        }

        // PM-04: every leader 4 hours; the shortfall is summed so one leader's extra hours do
        // not cover another's.
        if let Some(per_leader) = r.int("obligations", "leader_training_minutes") {
            let p = r.param("obligations", "leader_training_minutes");
            let mut mins: BTreeMap<i64, (i64, i64)> = leaders.iter().map(|l| (*l, (0, 0))).collect();
            let t = today.to_string();
            for e in events.iter().filter(|e| e.kind == "leader_training") {
                for (m, _) in &e.leaders {
                    if let Some(x) = mins.get_mut(m) {
                        if e.held_on <= t { x.0 += e.minutes } else { x.1 += e.minutes }
                    }
                }
            }
            let target = per_leader * mins.len() as i64;
            let done: i64 = mins.values().map(|x| x.0.min(per_leader)).sum();
            let later: i64 = mins.values().map(|x| (x.0 + x.1).min(per_leader) - x.0.min(per_leader)).sum();
            let short = mins.values().filter(|x| x.0 < per_leader).count();
            let verdict =
                if mins.is_empty() { Verdict::NotApplicable } else { judge(done, later, target, year, today).0 };
            out.push(Obligation {
                key: "leader_training_minutes",
                rule: p.rule.clone(),
                source: p.source.clone(),
                done,
                target,
                verdict,
                note: format!("{}/{}", mins.len() - short, mins.len()),
            });
        }

        // CS-11: a committee meeting in every quarter.
        if let Some(per_q) = r.int("obligations", "committee_per_quarter") {
            let p = r.param("obligations", "committee_per_quarter");
            let mut per = [0i64; 4];
            for e in events.iter().filter(|e| e.kind == "committee") {
                if let Some(dt) = parse_date(&e.held_on) {
                    per[(dt.month0() / 3) as usize] += 1;
                }
            }
            let held = per.iter().filter(|n| **n >= per_q).count() as i64;
            let current_q = if today.year() == year { (today.month0() / 3) as usize } else { 4 };
            let past_missing = (0..current_q.min(4)).any(|q| per[q] < per_q);
            let verdict = if held == 4 {
                Verdict::Met
            } else if past_missing || today.year() > year {
                Verdict::Missed
            } else if current_q < 4 && per[current_q] < per_q {
                Verdict::AtRisk
            } else {
                Verdict::OnTrack
            };
            out.push(Obligation {
                key: "committee_per_quarter",
                rule: p.rule.clone(),
                source: p.source.clone(),
                done: held,
                target: 4,
                verdict,
                note: per.iter().map(|n| n.to_string()).collect::<Vec<_>>().join("/"),
            });
        }

        // CS-07: only a promotion event with a 품앗이 briefing counts.
        let promo = dates("promotion", &|e| e.pumasi_briefing);
        let refs: Vec<&str> = promo.iter().map(String::as_str).collect();
        out.extend(count_judged("promotion_events", r, &refs, year, today));

        // CS-10: spaces found in the year.
        let found: Vec<String> = spaces::of_center(&self.store, center_id)
            .await?
            .into_iter()
            .filter_map(|s| s.data.found_on)
            .filter(|f| f.as_str() >= j.as_str() && f.as_str() <= d.as_str())
            .collect();
        let refs: Vec<&str> = found.iter().map(String::as_str).collect();
        out.extend(count_judged("new_spaces", r, &refs, year, today));

        // CS-01 (2017 only; deleted in 2018, where the values are null): 연인원 of the year
        // against last year's, +5 % at or above the baseline, +30 % below it.
        if let (Some(all_day), Some(part_time), Some(up), Some(below)) = (
            r.int("obligations", "user_target_all_day"),
            r.int("obligations", "user_target_part_time"),
            r.int("obligations", "user_growth_at_or_above_percent"),
            r.int("obligations", "user_growth_below_percent"),
        ) {
            let p = r.param("obligations", "user_target_all_day");
            let min = r.int("visits", "loan_user_min_minutes").unwrap_or(30);
            let any_all_day = spaces::of_center(&self.store, center_id).await?.iter().any(|s| s.data.all_day);
            let baseline = if any_all_day { all_day } else { part_time };
            let prev =
                visits::between(&self.store, center_id, &format!("{}-01-01", year - 1), &format!("{}-12-31", year - 1))
                    .await?;
            let (pp, pc) = count_users(&prev, min);
            let last_year = pp + pc;
            let target = if last_year == 0 {
                baseline
            } else if last_year >= baseline {
                (last_year * (100 + up) + 99) / 100
            } else {
                (last_year * (100 + below) + 99) / 100
            };
            let now = visits::between(&self.store, center_id, &j, &today.min(dec31).to_string()).await?;
            let (np, nc) = count_users(&now, min);
            let (verdict, _) = judge(np + nc, 0, target, year, today);
            out.push(Obligation {
                key: "user_target",
                rule: p.rule.clone(),
                source: p.source.clone(),
                done: np + nc,
                target,
                verdict,
                note: format!("{last_year}/{baseline}"),
            });
        }
        Ok(out)
    }

    /// The obligations for the dashboard, when the center runs a space or a 품앗이 group.
    pub async fn dashboard_obligations(&self, center_id: i64) -> AppResult<Vec<Obligation>> {
        let runs = !spaces::of_center(&self.store, center_id).await?.is_empty()
            || !pumasi::groups(&self.store, center_id).await?.is_empty();
        if !runs {
            return Ok(Vec::new());
        }
        let today = gajok_domain::time::kst_date(chrono::Utc::now());
        self.nanumteo_obligations(center_id, today.year(), today).await
    }

    async fn nanumteo_center(&self, p: &Principal, center: Option<&str>) -> AppResult<OrgUnit> {
        let center_id = self.resolve_center(p, center)?;
        authz::require(authz::can_run_nanumteo(p, center_id))?;
        orgs::get(self.store.reader(), center_id).await?.ok_or(AppError::NotFound)
    }

    /// The obligations page of a center: verdicts, the year's events, the leaders' hours.
    pub async fn obligations_page(
        &self,
        p: &Principal,
        center: Option<&str>,
        year: Option<i32>,
    ) -> AppResult<ObligationsPage> {
        let center = self.nanumteo_center(p, center).await?;
        let today = gajok_domain::time::kst_date(chrono::Utc::now());
        let year = year.filter(|y| (2017..=2100).contains(y)).unwrap_or(today.year());
        let obligations = self.nanumteo_obligations(center.id, year, today).await?;
        let events = store::events(&self.store, center.id, &format!("{year}-01-01"), &format!("{year}-12-31")).await?;
        let mut leaders = Vec::new();
        for g in pumasi::groups(&self.store, center.id).await? {
            if let Some(l) = g.leader_member_id
                && !leaders.iter().any(|x: &(i64, String, i64)| x.0 == l)
            {
                let name = gajok_store::people::get(self.store.reader(), l).await?.map(|m| m.name).unwrap_or_default();
                let mins = events
                    .iter()
                    .filter(|e| e.kind == "leader_training" && e.leaders.iter().any(|x| x.0 == l))
                    .map(|e| e.minutes)
                    .sum();
                leaders.push((l, name, mins));
            }
        }
        Ok(ObligationsPage { center, year, obligations, events, leaders })
    }

    /// Records an obligation event. Leaders must lead a group of the center; a month whose
    /// 서식13 is submitted is locked.
    pub async fn record_nanumteo_event(&self, p: &Principal, input: &EventInput) -> AppResult<i64> {
        let center = self.nanumteo_center(p, input.center.as_deref()).await?;
        let mut e = FieldErrors::new();
        let kind = s(&input.kind);
        let kind = e.take(EVENT_KINDS.iter().find(|k| **k == kind).copied().ok_or(
            FieldError::new("kind", "invalid_choice").with_allowed(EVENT_KINDS.iter().map(|k| k.to_string()).collect()),
        ));
        let date = e.take(parse_date(&s(&input.date)).ok_or(FieldError::new("date", "invalid_date")));
        let minutes = e.take(minutes_of(&s(&input.hours)).ok_or(FieldError::new("hours", "invalid_hours")));
        let title = s(&input.content);
        if title.is_empty() || title.chars().count() > 200 {
            e.push(FieldError::new("content", "required"));
        }
        let participants = match s(&input.attendees).as_str() {
            "" => Some(0),
            n => e.take(
                n.parse::<i64>()
                    .ok()
                    .filter(|n| (0..=100_000).contains(n))
                    .ok_or(FieldError::new("attendees", "invalid_number")),
            ),
        };
        let mut leaders = Vec::new();
        for part in s(&input.member_ids).split([',', ' ']).filter(|x| !x.is_empty()) {
            match part.parse::<i64>() {
                Ok(id) if !leaders.contains(&id) => leaders.push(id),
                Ok(_) => {}
                Err(_) => e.push(FieldError::new("member_ids", "invalid_number")),
            }
        }
        e.finish()?;
        let (kind, date, minutes) = (kind.unwrap_or("committee"), date.unwrap_or_default(), minutes.unwrap_or(0));
        if kind != "leader_training" {
            leaders.clear();
        } else {
            let group_leaders: BTreeSet<i64> =
                pumasi::groups(&self.store, center.id).await?.iter().filter_map(|g| g.leader_member_id).collect();
            if leaders.is_empty() || leaders.iter().any(|l| !group_leaders.contains(l)) {
                return Err(AppError::one_field("member_ids", "not_in_group"));
            }
        }
        let date_s = date.to_string();
        let briefing = kind == "promotion" && matches!(s(&input.briefing).as_str(), "on" | "1" | "true" | "yes");
        let ne = NewEvent {
            kind,
            held_on: &date_s,
            minutes,
            title: &title,
            participants: participants.unwrap_or(0),
            pumasi_briefing: briefing,
            leaders: &leaders,
            by: Some(p.user.id),
        };
        let mut tx = self.store.begin().await?;
        self.ensure_nanumteo_month_open(&mut tx, center.id, &date_s).await?;
        let id = store::insert_event(&mut tx, center.id, &ne).await?;
        audit::record(
            &mut tx,
            &p.actor(),
            AuditEvent {
                action: "create",
                entity_type: "nanumteo_event",
                entity_id: id.to_string(),
                org_unit_id: Some(center.id),
                org_path: center.path.clone(),
                summary: format!("나눔터·품앗이 의무 실적 기록: {kind} {date_s} {title}"),
                before: None,
                after: Some(
                    serde_json::json!({ "kind": kind, "held_on": date_s, "minutes": minutes, "leaders": leaders }),
                ),
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

    #[test]
    fn hours_to_minutes() {
        assert_eq!(minutes_of("2"), Some(120));
        assert_eq!(minutes_of("1.5"), Some(90));
        assert_eq!(minutes_of("0.25"), Some(15));
        assert_eq!(minutes_of("0"), None);
        assert_eq!(minutes_of("x"), None);
    }

    #[test]
    fn a_standing_count_is_not_projected() {
        let d = |s| parse_date(s).unwrap();
        assert_eq!(stock(8, 10, 2026, d("2026-06-30")), Verdict::AtRisk);
        assert_eq!(stock(10, 10, 2026, d("2026-01-30")), Verdict::Met);
        assert_eq!(stock(9, 10, 2026, d("2027-01-02")), Verdict::Missed);
    }
}
