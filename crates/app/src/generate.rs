//! Synthetic data at any scale (`gajok generate`): Korean names, families' flags, programs in
//! the guide's areas, sessions over a year and attendance, written in bulk and then counted
//! with the same definitions as live writes (`counting::recount`). Deterministic per seed.

use std::time::Instant;

use chrono::{Datelike, NaiveDate};
use gajok_domain::code_list::CodeList;
use gajok_domain::org::{CenterCategory, CenterForm, CenterType, FundingForm, OperationForm, OrgKind};
use gajok_domain::people::initials;
use gajok_store::bulk;
use gajok_store::counting;
use gajok_store::orgs::{self, CenterDetails, NewUnit, OrgFilter};
use gajok_store::sql::Value;

use crate::App;
use crate::catalog::catalog;
use crate::error::{AppError, AppResult};

#[derive(Debug, Clone)]
pub struct GenerateOptions {
    pub centers: usize,
    pub members_per_center: usize,
    pub programs_per_center: usize,
    pub sessions_per_program: usize,
    pub attendees_per_session: usize,
    pub year: i32,
    pub seed: u64,
}

impl GenerateOptions {
    /// `small` for a laptop demo; `national`: 250 centers, 2,000,000 members, 20,000,000
    /// attendance records in one year (issue 3's national-scale preset).
    pub fn preset(name: &str, year: i32) -> Option<GenerateOptions> {
        let (centers, members, programs, sessions, attendees) = match name {
            "small" => (5, 400, 6, 24, 15),
            "medium" => (50, 2_000, 15, 40, 25),
            "national" => (250, 8_000, 25, 64, 50),
            _ => return None,
        };
        Some(GenerateOptions {
            centers,
            members_per_center: members,
            programs_per_center: programs,
            sessions_per_program: sessions,
            attendees_per_session: attendees,
            year,
            seed: 20_260_101,
        })
    }

    pub fn attendance_total(&self) -> usize {
        self.centers * self.programs_per_center * self.sessions_per_program * self.attendees_per_session
    }
}

#[derive(Debug, Clone, Default)]
pub struct GenerateReport {
    pub centers: usize,
    pub members: usize,
    pub sessions: usize,
    pub attendance: usize,
    pub seconds: f64,
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const SURNAMES: &[&str] = &[
    "김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신", "권", "황", "안", "송", "류",
    "홍",
];
const GIVEN: &[&str] = &[
    "민수", "지영", "서연", "도윤", "하은", "준우", "수빈", "지호", "예린", "현우", "유나", "시우", "다은", "건우",
    "채원", "은서", "지민", "태윤", "민지", "서준", "영희", "철수", "미경", "성호", "정민", "혜진", "동현", "수진",
    "재훈", "은지", "상우", "보람", "하준", "지우", "나연", "우진",
];

impl App {
    /// Adds `opts.centers` synthetic centers with their members and a year of activity.
    /// `progress` is called after each center with (done, total).
    pub async fn generate(
        &self,
        opts: &GenerateOptions,
        mut progress: impl FnMut(usize, usize),
    ) -> AppResult<GenerateReport> {
        let started = Instant::now();
        self.ensure_reference_orgs().await?;
        let areas: Vec<String> = catalog()
            .areas_for_year(opts.year)
            .ok_or_else(|| AppError::one_field("year", "no_area_list_for_year"))?
            .areas
            .iter()
            .take(5)
            .map(|a| a.code.clone())
            .collect();
        let provinces = orgs::list(
            &self.store,
            &OrgFilter { scopes: vec!["/".into()], kind: Some(OrgKind::Province), limit: 100, ..Default::default() },
        )
        .await?
        .0;
        if provinces.is_empty() {
            return Err(AppError::Internal("no provinces".into()));
        }
        // Continue numbering after any earlier generated centers.
        let existing = orgs::list(
            &self.store,
            &OrgFilter { scopes: vec!["/".into()], q: Some("G-C-".into()), limit: 1, ..Default::default() },
        )
        .await?
        .1 as usize;
        let mut rng = Rng(opts.seed ^ (existing as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let mut report = GenerateReport::default();
        let now = gajok_domain::time::to_db(chrono::Utc::now());
        let year_start =
            NaiveDate::from_ymd_opt(opts.year, 1, 1).ok_or_else(|| AppError::one_field("year", "invalid_year"))?;
        for k in 0..opts.centers {
            let n = existing + k + 1;
            let mut tx = self.store.begin().await?;
            let province = &provinces[n % provinces.len()];
            let district = orgs::insert(
                &mut tx,
                &NewUnit {
                    parent_id: Some(province.id),
                    kind: OrgKind::District,
                    code: format!("G-D-{n:05}"),
                    name: format!("가상구{n}"),
                    address: None,
                    phone: None,
                },
            )
            .await?;
            let center = orgs::insert(
                &mut tx,
                &NewUnit {
                    parent_id: Some(district.id),
                    kind: OrgKind::Center,
                    code: format!("G-C-{n:05}"),
                    name: format!("가상구{n} 가족센터"),
                    address: Some(format!("{} 가상구{n} 가족로 {}", province.name, 1 + rng.below(300))),
                    phone: Some(format!("02-{:03}-{:04}", 100 + rng.below(900), rng.below(10_000))),
                },
            )
            .await?;
            orgs::put_center(
                &mut tx,
                center.id,
                &CenterDetails {
                    center_type: CenterType::FamilyCenter,
                    category: CenterCategory::General,
                    parent_provincial_center: None,
                    center_form: if n.is_multiple_of(3) { CenterForm::MultiFunction } else { CenterForm::Independent },
                    operation_form: OperationForm::Direct,
                    funding_form: FundingForm::National,
                    head_name: None,
                    head_employment: None,
                    corporation_match: None,
                    trustee_name: None,
                    trustee_type: None,
                    entrustment_start: None,
                    entrustment_end: None,
                    space_ownership: None,
                    opened_on: None,
                    license_no: None,
                    staff_count: Some(8 + (n % 10) as i64),
                    national_funding: true,
                    liability_insurance: true,
                    integrated_service: false,
                    visitation_service: false,
                },
            )
            .await?;
            let c = center.id;
            // Members
            let mut rows = Vec::with_capacity(opts.members_per_center);
            for i in 0..opts.members_per_center {
                let name = format!("{}{}", SURNAMES[rng.below(SURNAMES.len())], GIVEN[rng.below(GIVEN.len())]);
                let birth = NaiveDate::from_ymd_opt(
                    1950 + rng.below(72) as i32,
                    1 + rng.below(12) as u32,
                    1 + rng.below(28) as u32,
                )
                .unwrap_or(year_start);
                let flag = |rng: &mut Rng, pct: usize| Value::Int(i64::from(rng.below(100) < pct));
                rows.push(vec![
                    Value::Int(c),
                    Value::Text(name.clone()),
                    Value::Text(initials(&name)),
                    Value::Text(birth.format("%Y-%m-%d").to_string()),
                    Value::Text(if rng.below(2) == 0 { "female" } else { "male" }.into()),
                    Value::Text(format!("010-{:04}-{:04}", (i * 7 + n) % 10_000, rng.below(10_000))),
                    Value::Text(if rng.below(20) == 0 { "VN" } else { "KR" }.into()),
                    flag(&mut rng, 8),
                    flag(&mut rng, 2),
                    flag(&mut rng, 6),
                    flag(&mut rng, 35),
                    flag(&mut rng, 10),
                    Value::Text("active".into()),
                    Value::Text(year_start.format("%Y-%m-%d").to_string()),
                    Value::Text(now.clone()),
                    Value::Text(now.clone()),
                ]);
            }
            let member_ids = bulk::insert_returning_ids(
                &mut tx,
                "members",
                &[
                    "center_id",
                    "name",
                    "name_initials",
                    "birth_date",
                    "sex",
                    "phone",
                    "nationality",
                    "single_parent",
                    "grandparent",
                    "multicultural",
                    "dual_income",
                    "low_income",
                    "status",
                    "registered_on",
                    "created_at",
                    "updated_at",
                ],
                rows,
            )
            .await?;
            let consents: Vec<Vec<Value>> = member_ids
                .iter()
                .map(|m| {
                    vec![
                        Value::Int(c),
                        Value::Int(*m),
                        Value::Text(gajok_domain::people::ConsentKind::CollectionUse.code().into()),
                        Value::Int(1),
                        Value::Text(crate::people::DEFAULT_FORM_VERSION.into()),
                        Value::Text(year_start.format("%Y-%m-%d").to_string()),
                        Value::Text("(생성 데이터)".into()),
                        Value::Text("self".into()),
                        Value::Text(now.clone()),
                    ]
                })
                .collect();
            bulk::insert_rows(
                &mut tx,
                "consents",
                &[
                    "center_id",
                    "member_id",
                    "kind",
                    "agreed",
                    "form_version",
                    "signed_on",
                    "signer_name",
                    "signer_role",
                    "recorded_at",
                ],
                consents,
            )
            .await?;
            // Programs, sessions, enrolment, attendance.
            for pi in 0..opts.programs_per_center {
                let area = &areas[pi % areas.len()];
                let prog_ids = bulk::insert_returning_ids(
                    &mut tx,
                    "programs",
                    &[
                        "center_id",
                        "year",
                        "area",
                        "name",
                        "target_real",
                        "target_cumulative",
                        "target_sessions",
                        "target_minutes",
                        "active",
                        "version",
                        "created_at",
                        "updated_at",
                    ],
                    vec![vec![
                        Value::Int(c),
                        Value::Int(i64::from(opts.year)),
                        Value::Text(area.clone()),
                        Value::Text(format!(
                            "{} 프로그램 {}",
                            catalog().area(opts.year, area).map(|a| a.ko.as_str()).unwrap_or(area),
                            pi + 1
                        )),
                        Value::Int((opts.attendees_per_session * 3 / 2) as i64),
                        Value::Int((opts.sessions_per_program * opts.attendees_per_session) as i64),
                        Value::Int(opts.sessions_per_program as i64),
                        Value::Int((opts.sessions_per_program * 120) as i64),
                        Value::Int(1),
                        Value::Int(1),
                        Value::Text(now.clone()),
                        Value::Text(now.clone()),
                    ]],
                )
                .await?;
                let p = prog_ids[0];
                let pool_size = (opts.attendees_per_session * 3 / 2).min(member_ids.len()).max(1);
                let start = rng.below(member_ids.len().saturating_sub(pool_size).max(1));
                let pool = &member_ids[start..start + pool_size];
                let enrol: Vec<Vec<Value>> = pool
                    .iter()
                    .map(|m| {
                        vec![
                            Value::Int(c),
                            Value::Int(p),
                            Value::Int(*m),
                            Value::Text(year_start.format("%Y-%m-%d").to_string()),
                        ]
                    })
                    .collect();
                bulk::insert_rows(
                    &mut tx,
                    "enrolments",
                    &["center_id", "program_id", "member_id", "enrolled_on"],
                    enrol,
                )
                .await?;
                let days_step = (360 / opts.sessions_per_program.max(1)).max(1) as u64;
                let sessions: Vec<Vec<Value>> = (0..opts.sessions_per_program)
                    .map(|si| {
                        let d = year_start
                            + chrono::Days::new(
                                (si as u64 * days_step + rng.below(days_step as usize) as u64).min(364),
                            );
                        vec![
                            Value::Int(c),
                            Value::Int(p),
                            Value::Text(d.format("%Y-%m-%d").to_string()),
                            Value::Text("10:00".into()),
                            Value::Int(120),
                            Value::Int(0),
                            Value::Text(now.clone()),
                        ]
                    })
                    .collect();
                let session_ids = bulk::insert_returning_ids(
                    &mut tx,
                    "program_sessions",
                    &["center_id", "program_id", "date", "start_time", "minutes", "open_event", "created_at"],
                    sessions,
                )
                .await?;
                let mut att = Vec::with_capacity(session_ids.len() * opts.attendees_per_session);
                for s in &session_ids {
                    let offset = rng.below(pool.len());
                    for j in 0..opts.attendees_per_session.min(pool.len()) {
                        let m = pool[(offset + j) % pool.len()];
                        let status = if rng.below(10) == 0 { "absent" } else { "present" };
                        att.push(vec![
                            Value::Int(c),
                            Value::Int(*s),
                            Value::Int(m),
                            Value::Text(status.into()),
                            Value::Text(now.clone()),
                        ]);
                    }
                }
                report.sessions += session_ids.len();
                report.attendance += att.len();
                bulk::insert_rows(
                    &mut tx,
                    "attendance",
                    &["center_id", "session_id", "member_id", "status", "recorded_at"],
                    att,
                )
                .await?;
            }
            tx.commit().await?;
            // Fresh statistics before each recount: without them PostgreSQL believes the new
            // center has no rows and plans a nested loop over its whole attendance for each
            // session (seconds per query). Nothing on SQLite.
            self.store.analyze().await?;
            let mut tx = self.store.begin().await?;
            counting::recount(&mut tx, c).await?;
            tx.commit().await?;
            report.centers += 1;
            report.members += member_ids.len();
            progress(k + 1, opts.centers);
        }
        report.seconds = started.elapsed().as_secs_f64();
        let _ = year_start.year();
        Ok(report)
    }
}
