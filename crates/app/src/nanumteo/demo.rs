//! Demo data for a space's safety, membership and regular programs: a year of weekly and
//! quarterly checklists (a few 불량 items with their follow-up), readings three times a week
//! (a few out of range), outside inspections, CCTV viewing requests, member families with their
//! applications, and two regular programs with ordinary sessions and attendance.
//! Deterministic (a fixed seed). Runs after the center's demo activity (members, consents).

use chrono::{Datelike, Days, NaiveDate, Weekday};
use gajok_domain::nanumteo::{Ownership, Placement};
use gajok_domain::nanumteo_safety::{
    CctvRequester, CctvStatus, ChecklistKind, InspectionKind, ItemResult, JoinMode, PumasiFrequency,
};
use gajok_domain::people::{ConsentKind, Relation, age_on};
use gajok_domain::program::AttendanceStatus;
use gajok_domain::time::parse_date;
use gajok_store::nanumteo::membership::{self, FormChild, NewMembership};
use gajok_store::nanumteo::safety::{self as st, ItemEntry, NewCctvRequest, NewChecklist};
use gajok_store::nanumteo::{regular, spaces};
use gajok_store::programs::{self, ProgramData, SessionData};
use gajok_store::{orgs, people, users};

use super::safety::today;
use super::safety_rules::safety_rules_on;
use crate::App;
use crate::catalog::catalog;
use crate::error::{AppError, AppResult};

struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

fn registry(found: NaiveDate) -> spaces::SpaceData {
    spaces::SpaceData {
        placement: Placement::Inside,
        ownership: Ownership::LocalGovernment,
        pledge_until: None,
        area_m2: 72,
        remodelled: false,
        all_day: true,
        military_housing: false,
        open_time: "10:00".into(),
        close_time: "18:00".into(),
        open_days: "12345".into(),
        saturday_open: None,
        saturday_close: None,
        saturday_approved_on: None,
        cctv_units: 2,
        cctv_megapixels_x10: 20,
        cctv_retention_days: 60,
        injury_insurance_until: Some(format!("{}-12-31", found.year() + 1)),
        fire_insurance_until: Some(format!("{}-12-31", found.year() + 1)),
        found_on: None,
    }
}

/// A plausible indoor temperature (tenths of ℃) for the month: heated in winter, cooled in summer.
fn seasonal(month: u32, rng: &mut Rng) -> i64 {
    let base = match month {
        12 | 1 | 2 => 200,
        6..=8 => 255,
        _ => 225,
    };
    base + rng.below(31) as i64 - 15
}

impl App {
    /// Loads the demo records into a space of `center_code`, unless it has checklists already.
    pub async fn load_nanumteo_safety_demo(&self, center_code: &str, site_code: &str, seed: u64) -> AppResult<bool> {
        let missing = |c: &str| AppError::Internal(format!("no demo unit {c}"));
        let center = orgs::by_code(&self.store, center_code).await?.ok_or_else(|| missing(center_code))?;
        let site = orgs::by_code(&self.store, site_code).await?.ok_or_else(|| missing(site_code))?;
        let today = today();
        if !st::checklists(&self.store, site.id, "0000-01-01", "9999-12-31").await?.is_empty() {
            return Ok(false);
        }
        // The center's accounts: the inspector (staff) and, where the center has one, the head.
        let mut staff = None;
        let mut head = None;
        for name in ["staff", "manager", "dobong"] {
            if let Some(u) = users::by_username(&self.store, name).await?
                && u.home_org_id == center.id
            {
                if name == "manager" {
                    head = Some(u);
                } else {
                    staff = Some(u);
                }
            }
        }
        let Some(staff) = staff else { return Ok(false) };
        let mut rng = Rng(seed | 1);
        let rules = safety_rules_on(today);
        let mut tx = self.store.begin().await?;
        if spaces::get(tx.conn(), site.id).await?.is_none() {
            spaces::put(&mut tx, site.id, center.id, None, &registry(today)).await?;
        }

        // A year of weekly checklists (Mondays, or the next day after a holiday), quarterly
        // ones in the last week of each quarter.
        let holidays = |y: i32| catalog().holidays(y).cloned().unwrap_or_default();
        let start = today - Days::new(364);
        let mut d = start;
        let mut open_poor_left = 1;
        while d <= today {
            let hol = holidays(d.year());
            let is_check_day = d.weekday() == Weekday::Mon && !hol.contains(&d)
                || d.weekday() == Weekday::Tue && hol.contains(&(d - Days::new(1)));
            let quarter_end = matches!(d.month(), 3 | 6 | 9 | 12)
                && d.day() >= 22
                && d.weekday() == Weekday::Wed
                && (d + Days::new(7)).month() != d.month();
            for (kind, due) in [(ChecklistKind::Weekly, is_check_day), (ChecklistKind::Quarterly, quarter_end)] {
                if !due {
                    continue;
                }
                let def = rules.checklist(kind);
                let poor_item = (rng.below(9) == 0).then(|| def.items[rng.below(def.items.len() as u64) as usize].no);
                let items: Vec<ItemEntry> = def
                    .items
                    .iter()
                    .map(|it| {
                        let poor = Some(it.no) == poor_item;
                        ItemEntry {
                            item_no: it.no,
                            result: if poor {
                                ItemResult::Poor
                            } else if kind == ChecklistKind::Quarterly && it.no == 13 {
                                // 승강기: the demo spaces are on the ground floor.
                                ItemResult::NotApplicable
                            } else {
                                ItemResult::Good
                            },
                            other_text: None,
                            action_taken: poor.then(|| "담당자 확인 후 수리 요청".to_string()),
                            followed_up_on: None,
                            follow_up: None,
                        }
                    })
                    .collect();
                let id = st::insert_checklist(
                    &mut tx,
                    center.id,
                    &NewChecklist {
                        space_id: site.id,
                        kind,
                        checked_on: &d.to_string(),
                        rules_edition: &rules.edition,
                        inspector_id: staff.id,
                        inspector_name: &staff.display_name,
                    },
                    &items,
                )
                .await?;
                // The head confirms within the week; the newest one waits.
                if let Some(h) = &head
                    && (today - d).num_days() > 3
                {
                    st::confirm(&mut tx, id, h.id, &h.display_name).await?;
                }
                if let Some(no) = poor_item {
                    // Followed up a few days later, except the most recent one.
                    if (today - d).num_days() > 30 || open_poor_left == 0 {
                        let on = (d + Days::new(2 + rng.below(5))).min(today);
                        st::follow_up(&mut tx, id, no, &on.to_string(), "수리·교체 완료").await?;
                    } else {
                        open_poor_left -= 1;
                    }
                }
            }
            // Readings on Monday, Wednesday and Friday mornings.
            if matches!(d.weekday(), Weekday::Mon | Weekday::Wed | Weekday::Fri) && !hol.contains(&d) {
                let mut t = seasonal(d.month(), &mut rng);
                let mut h = 40 + rng.below(30) as i64;
                // A few days out of range: a heat wave, a cold Monday, a wet July.
                match (d.month(), d.day(), d.weekday()) {
                    (8, 1..=7, Weekday::Wed) => t = 294,
                    (1, 8..=14, Weekday::Mon) => t = 171,
                    (7, 15..=21, Weekday::Fri) => h = 84,
                    _ => {}
                }
                let at = format!("10:{:02}", rng.below(30));
                let r =
                    st::NewReading { space_id: site.id, on: &d.to_string(), at: &at, temperature_x10: t, humidity: h };
                st::insert_reading(&mut tx, center.id, &r, staff.id).await?;
            }
            d = d + Days::new(1);
        }

        // Outside inspections: electrical and gas yearly, pest control every quarter (the
        // second space's last one is overdue, so a reminder shows).
        let yearly = today - Days::new(200 + rng.below(60));
        for (kind, agency) in
            [(InspectionKind::Electrical, "한국전기안전공사"), (InspectionKind::Gas, "한국가스안전공사")]
        {
            let n = st::NewInspection {
                space_id: site.id,
                kind,
                on: &yearly.to_string(),
                agency: Some(agency),
                note: None,
            };
            st::insert_inspection(&mut tx, center.id, &n, staff.id).await?;
        }
        let last_pest = if seed.is_multiple_of(2) { 40 } else { 100 };
        for k in 0..4u64 {
            let on = today - Days::new(last_pest + 91 * k);
            let note = (k == 0).then_some("바퀴벌레·모기 방역");
            let n = st::NewInspection {
                space_id: site.id,
                kind: InspectionKind::PestControl,
                on: &on.to_string(),
                agency: Some("(데모) 방역업체"),
                note,
            };
            st::insert_inspection(&mut tx, center.id, &n, staff.id).await?;
        }

        // CCTV viewing requests: approved and deleted, denied, and one waiting for the head.
        let requests = [
            (150u64, CctvRequester::Guardian, "아이 팔의 멍 확인", Some(CctvStatus::Approved), true),
            (75, CctvRequester::Official, "안전사고 경위 확인", Some(CctvStatus::Denied), true),
            (5, CctvRequester::Guardian, "놀이 중 다툼 확인", None, false),
        ];
        for (ago, kind, purpose, decision, deleted) in requests {
            let on = today - Days::new(ago);
            let day = (on - Days::new(1)).to_string();
            let id = st::insert_cctv(
                &mut tx,
                center.id,
                &NewCctvRequest {
                    space_id: site.id,
                    requested_on: &on.to_string(),
                    requester_kind: kind,
                    requester_name: if kind == CctvRequester::Guardian {
                        "(데모) 보호자"
                    } else {
                        "(데모) 담당공무원"
                    },
                    requester_contact: Some("010-0000-0000"),
                    purpose,
                    file_name: "CAM1 놀이실",
                    footage_from: &day,
                    footage_to: &day,
                },
                staff.id,
            )
            .await?;
            if let (Some(status), Some(h)) = (decision, &head) {
                st::decide_cctv(&mut tx, id, status, &on.to_string(), None, h.id).await?;
                if deleted {
                    let del = (on + Days::new(61)).min(today);
                    st::confirm_cctv_deletion(&mut tx, id, &del.to_string(), h.id).await?;
                }
            }
        }

        // Member families: the families of the center's demo members whose reference person
        // gave the required consent apply, with their children on the form.
        let (members, _) = people::search(
            &self.store,
            &people::MemberFilter { center_ids: vec![center.id], q: None, family_id: None, limit: 1000, offset: 0 },
        )
        .await?;
        let mut applied = 0;
        for m in members.iter().filter(|m| m.relation == Some(Relation::Reference)) {
            let Some(family_id) = m.family_id else { continue };
            let consents = people::consents(tx.conn(), m.id).await?;
            if !consents.iter().any(|c| c.kind == ConsentKind::CollectionUse && c.agreed && c.withdrawn_at.is_none()) {
                continue;
            }
            let children: Vec<FormChild> = members
                .iter()
                .filter(|c| c.family_id == Some(family_id) && c.relation == Some(Relation::Child))
                .map(|c| FormChild {
                    member_id: c.id,
                    name: c.name.clone(),
                    sex: gajok_domain::code_list::CodeList::label_ko(c.sex).to_string(),
                    age: parse_date(&c.birth_date).map(|b| age_on(b, today) as i64).unwrap_or(0),
                    school: None,
                })
                .collect();
            let pumasi = applied % 2 == 0;
            let kinds = ["play", "learning", "experience", "school_escort"];
            let on = (today - Days::new(300 - 20 * applied as u64))
                .max(NaiveDate::from_ymd_opt(today.year(), 1, 2).unwrap_or(today));
            membership::insert(
                &mut tx,
                center.id,
                &NewMembership {
                    space_id: site.id,
                    family_id,
                    applicant_id: m.id,
                    applied_on: on.to_string(),
                    use_space: true,
                    join_pumasi: pumasi,
                    join_mode: pumasi.then_some(JoinMode::New),
                    pumasi_kinds: if pumasi { vec![kinds[applied % 4].to_string()] } else { Vec::new() },
                    frequency: pumasi.then_some(PumasiFrequency::Weekly),
                    partner_pref: if pumasi { vec!["nearby".into()] } else { Vec::new() },
                    pumasi_experienced: applied % 3 == 0,
                    email_news: applied % 2 == 1,
                    occupation: None,
                    children,
                    rules_explained: true,
                    fee_paid: 10_000,
                    note: None,
                },
                staff.id,
            )
            .await?;
            applied += 1;
        }

        // Two regular programs (CS-06): Monday storytelling and Wednesday sensory play, with
        // sessions every week this year except holidays, and attendance of member families.
        let year = today.year();
        let regulars = [("동화구연 상시프로그램", 1i64, "14:00"), ("오감놀이 상시프로그램", 3, "10:30")];
        let attendees: Vec<i64> =
            members.iter().filter(|m| m.relation == Some(Relation::Child)).map(|m| m.id).take(8).collect();
        for (name, weekday, start) in regulars {
            let prog = programs::insert_program(
                &mut tx,
                center.id,
                &ProgramData {
                    year: year as i64,
                    area: "culture".into(),
                    common_program: None,
                    name: format!("{} ({})", name, site.name),
                    description: Some("공동육아나눔터 상시프로그램".into()),
                    target_real: 20,
                    target_cumulative: 300,
                    target_sessions: 45,
                    target_minutes: 45 * 60,
                },
            )
            .await?;
            regular::insert(&mut tx, center.id, site.id, prog.id, weekday, start).await?;
            for m in &attendees {
                programs::enrol(&mut tx, &prog, *m, &format!("{year}-01-02")).await?;
            }
            let hol = holidays(year);
            let mut d = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
            while d <= today {
                if i64::from(d.weekday().number_from_monday()) == weekday && !hol.contains(&d) {
                    let s = programs::insert_session(
                        &mut tx,
                        &prog,
                        &SessionData {
                            series_id: Some(format!("nts-demo-{weekday}")),
                            date: d.to_string(),
                            start_time: start.into(),
                            minutes: 60,
                            place: Some(site.name.clone()),
                            instructor: Some("(데모) 자원봉사자".into()),
                            open_event: false,
                        },
                    )
                    .await?;
                    for m in &attendees {
                        let status =
                            if rng.below(4) == 0 { AttendanceStatus::Absent } else { AttendanceStatus::Present };
                        programs::set_attendance(&mut tx, &prog, &s, *m, Some(status), Some(staff.id)).await?;
                    }
                }
                d = d + Days::new(1);
            }
        }
        tx.commit().await?;
        Ok(true)
    }
}
