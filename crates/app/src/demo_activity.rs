//! A year of realistic activity for the demo centers, so a new user sees every page filled:
//! members and families with consent, programs in the guide's areas, weekly sessions that
//! skip public holidays, attendance, an open event counted by head count, and surveys.
//! Deterministic (a fixed seed), so screenshots and walkthroughs stay the same.

use chrono::{Datelike, NaiveDate};
use gajok_domain::people::{ConsentKind, Relation, Sex};
use gajok_domain::program::{AttendanceStatus, HeadCountGroup};
use gajok_store::people::{self, MemberData, NewConsent};
use gajok_store::programs::{self, ProgramData, SessionData, SurveyAnswer};
use gajok_store::{orgs, users};

use crate::App;
use crate::catalog::catalog;
use crate::error::{AppError, AppResult};

const SURNAMES: &[&str] =
    &["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신", "권", "황"];
const GIVEN: &[&str] = &[
    "민수", "지영", "서연", "도윤", "하은", "준우", "수빈", "지호", "예린", "현우", "유나", "시우", "다은", "건우",
    "채원", "은서", "지민", "태윤",
];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// (area, common program, name, weekday, hours, target real, target cumulative, target sessions)
type DemoProgram = (&'static str, &'static str, &'static str, chrono::Weekday, i64, i64, i64, i64);
const PROGRAMS: &[DemoProgram] = &[
    ("education", "life_cycle_education", "예비부모교육", chrono::Weekday::Tue, 2, 40, 300, 30),
    ("education", "men_education", "아버지교육 '아빠와 함께'", chrono::Weekday::Sat, 2, 25, 200, 12),
    ("counseling", "family_group_counseling", "가족집단상담", chrono::Weekday::Thu, 2, 12, 120, 10),
    ("culture", "family_love_day", "가족사랑의 날", chrono::Weekday::Wed, 2, 60, 400, 10),
    ("care", "volunteer_corps", "모두가족봉사단", chrono::Weekday::Fri, 3, 20, 160, 12),
];

impl App {
    /// Loads the demo activity into `center_code` for `year`, unless the center has members.
    pub async fn load_demo_activity(&self, center_code: &str, year: i32, seed: u64) -> AppResult<bool> {
        let center = orgs::by_code(&self.store, center_code)
            .await?
            .ok_or_else(|| AppError::Internal(format!("no center {center_code}")))?;
        if people::count_in_center(&self.store, center.id).await? > 0 {
            return Ok(false);
        }
        let staff = users::by_username(&self.store, "staff").await?.map(|u| u.id);
        let holidays = catalog().holidays(year).cloned().unwrap_or_default();
        let today = gajok_domain::time::kst_date(chrono::Utc::now());
        let mut rng = Rng(seed | 1);
        let mut tx = self.store.begin().await?;
        // 12 families of 2–4 people.
        let mut member_ids = Vec::new();
        for f in 0..12 {
            let surname = SURNAMES[rng.below(SURNAMES.len() as u64) as usize];
            let parent_name = format!("{surname}{}", GIVEN[rng.below(GIVEN.len() as u64) as usize]);
            let fam = people::insert_family(&mut tx, center.id, &format!("{parent_name} 가족")).await?;
            let size = 2 + rng.below(3) as usize;
            for k in 0..size {
                let (rel, birth_year, name) = match k {
                    0 => (Relation::Reference, 1978 + rng.below(15) as i32, parent_name.clone()),
                    1 if rng.below(3) > 0 => (
                        Relation::Spouse,
                        1978 + rng.below(15) as i32,
                        format!("{}{}", SURNAMES[rng.below(16) as usize], GIVEN[rng.below(18) as usize]),
                    ),
                    _ => (
                        Relation::Child,
                        year - 3 - rng.below(12) as i32,
                        format!("{surname}{}", GIVEN[rng.below(18) as usize]),
                    ),
                };
                let birth = NaiveDate::from_ymd_opt(birth_year, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32)
                    .unwrap_or(today);
                let data = MemberData {
                    name: name.clone(),
                    birth_date: birth.format("%Y-%m-%d").to_string(),
                    sex: if rng.below(2) == 0 { Sex::Female } else { Sex::Male },
                    phone: if rel == Relation::Child {
                        None
                    } else {
                        Some(format!("010-{:04}-{:04}", 1000 + rng.below(9000), 1000 + rng.below(9000)))
                    },
                    address: Some(
                        center
                            .address
                            .clone()
                            .unwrap_or_default()
                            .split_whitespace()
                            .take(2)
                            .collect::<Vec<_>>()
                            .join(" "),
                    ),
                    nationality: if f % 5 == 3 && k == 1 { "VN".into() } else { "KR".into() },
                    single_parent: f % 6 == 1,
                    grandparent: f % 11 == 7,
                    multicultural: f % 5 == 3,
                    dual_income: f % 3 == 0,
                    low_income: f % 7 == 2,
                    family_id: Some(fam.id),
                    relation: Some(rel),
                    guardian_id: None,
                };
                let m = people::insert(&mut tx, center.id, &data, &format!("{year}-01-0{}", 2 + f % 7)).await?;
                let child = gajok_domain::people::age_on(birth, today) < crate::people::GUARDIAN_CONSENT_UNDER;
                for (kind, recipients) in [
                    (ConsentKind::CollectionUse, vec![]),
                    (ConsentKind::ThirdParty, vec!["mogef".to_string(), "kihf".to_string()]),
                ] {
                    let c = NewConsent {
                        kind,
                        recipients,
                        agreed: true,
                        form_version: crate::people::DEFAULT_FORM_VERSION.into(),
                        signed_on: format!("{year}-01-02"),
                        signer_name: if child { parent_name.clone() } else { name.clone() },
                        signer_role: if child { "guardian" } else { "self" },
                        guardian_relation: child.then(|| "부모".to_string()),
                        guardian_phone: child.then(|| "010-1234-5678".to_string()),
                    };
                    people::insert_consent(&mut tx, center.id, m.id, &c, staff.unwrap_or(0).max(1)).await?;
                }
                member_ids.push(m.id);
            }
        }
        // Programs with weekly sessions from March to the month before today (or November).
        let last_month = if today.year() == year { today.month().saturating_sub(1).max(3) } else { 11 };
        for (i, (area, common, name, wd, hours, t_real, t_cum, t_sess)) in PROGRAMS.iter().enumerate() {
            let data = ProgramData {
                year: i64::from(year),
                area: (*area).into(),
                common_program: Some((*common).into()),
                name: (*name).into(),
                description: None,
                target_real: *t_real,
                target_cumulative: *t_cum,
                target_sessions: *t_sess,
                target_minutes: t_sess * hours * 60,
            };
            let prog = programs::insert_program(&mut tx, center.id, &data).await?;
            let group: Vec<i64> = member_ids.iter().copied().filter(|_| rng.below(10) < 4).collect();
            for m in &group {
                programs::enrol(&mut tx, &prog, *m, &format!("{year}-02-20")).await?;
            }
            // Every other week, so a program has about 2 sessions a month.
            let mut d = NaiveDate::from_ymd_opt(year, 3, 1).unwrap_or(today);
            let end = NaiveDate::from_ymd_opt(year, last_month, 28).unwrap_or(today);
            let mut week = 0;
            while d <= end {
                if d.weekday() == *wd {
                    week += 1;
                    if week % 2 == i as i64 % 2 && !holidays.contains(&d) {
                        let s = programs::insert_session(
                            &mut tx,
                            &prog,
                            &SessionData {
                                series_id: Some(format!("demo-{i}")),
                                date: d.format("%Y-%m-%d").to_string(),
                                start_time: if *wd == chrono::Weekday::Sat { "10:00".into() } else { "19:00".into() },
                                minutes: hours * 60,
                                place: Some("교육실".into()),
                                instructor: Some("(데모) 강사".into()),
                                open_event: *area == "culture",
                            },
                        )
                        .await?;
                        if *area == "culture" {
                            programs::set_head_count(
                                &mut tx,
                                &prog,
                                &s,
                                HeadCountGroup::Adult,
                                8 + rng.below(15) as i64,
                            )
                            .await?;
                            programs::set_head_count(
                                &mut tx,
                                &prog,
                                &s,
                                HeadCountGroup::Child,
                                5 + rng.below(12) as i64,
                            )
                            .await?;
                        }
                        for m in &group {
                            let st = match rng.below(10) {
                                0 => AttendanceStatus::Absent,
                                1 => AttendanceStatus::Excused,
                                _ => AttendanceStatus::Present,
                            };
                            programs::set_attendance(&mut tx, &prog, &s, *m, Some(st), staff).await?;
                        }
                    }
                }
                d = match d.succ_opt() {
                    Some(n) => n,
                    None => break,
                };
            }
            for _ in 0..(3 + rng.below(5)) {
                let mut scores = [0i64; 7];
                for s in scores.iter_mut() {
                    *s = 3 + rng.below(3) as i64;
                }
                let a = SurveyAnswer {
                    answered_on: end.format("%Y-%m-%d").to_string(),
                    scores,
                    sex: None,
                    age: None,
                    helped: None,
                    improve: None,
                };
                programs::insert_survey(&mut tx, &prog, &a).await?;
            }
        }
        tx.commit().await?;
        Ok(true)
    }
}
