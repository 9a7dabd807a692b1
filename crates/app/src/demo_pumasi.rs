//! A year of 공동육아나눔터 and 가족품앗이 activity for the two demo spaces (광진 S-11215-01-1,
//! 도봉 S-11320-01-1), so a new user sees every page of issue 5 filled: 품앗이 families and
//! groups (one family joining mid-year with its own orientation), monthly plans approved
//! through the 4 steps, activity logs with real-name attendees (one father who never comes),
//! reimbursed expenses within the caps, the toy library with loans and returns, the visit log
//! (borrowers who stay 10 or 40 minutes), the obligation events, the local-currency ledger,
//! and 서식13 for past months in every workflow state. Deterministic (a fixed seed).

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use gajok_domain::nanumteo::{ExpenseCategory, ItemKind, Ownership, Placement, PumasiKind, VisitPurpose};
use gajok_domain::people::{Relation, Sex};
use gajok_domain::program::ReportStatus;
use gajok_store::audit::Actor;
use gajok_store::db::Tx;
use gajok_store::nanumteo::report::{NewCurrencyEntry, NewEvent};
use gajok_store::nanumteo::{library, pumasi, report, spaces, visits};
use gajok_store::people::{self, MemberData};
use gajok_store::{orgs, reports, users};

use crate::App;
use crate::catalog::catalog;
use crate::error::{AppError, AppResult};
use crate::reports::NANUMTEO_REPORT;

const MOTHERS: &[&str] = &["김하늘", "이보람", "박소연", "최지혜", "정미경", "강은영", "조수진"];
const FATHERS: &[&str] = &["김준호", "이상민", "박성훈", "최동욱", "정재원", "강태현", "조민석"];
const KIDS: &[&str] = &["서준", "하윤", "도윤", "지아", "시우", "서아", "주원", "하린", "예준", "수아", "지호", "유나"];
const TOYS: &[(&str, ItemKind)] = &[
    ("원목 블록 세트", ItemKind::Toy),
    ("자석 낚시놀이", ItemKind::Toy),
    ("소꿉놀이 주방", ItemKind::Toy),
    ("붕붕카", ItemKind::Toy),
    ("퍼즐 24조각", ItemKind::Toy),
    ("악기 놀이 세트", ItemKind::Toy),
    ("구름빵", ItemKind::Book),
    ("강아지똥", ItemKind::Book),
    ("누가 내 머리에 똥 쌌어?", ItemKind::Book),
    ("사과가 쿵!", ItemKind::Book),
    ("달님 안녕", ItemKind::Book),
    ("괜찮아", ItemKind::Book),
];

/// (kind, month, day, minutes, title, participants, with a 품앗이 briefing, with the leaders)
type DemoEvent = (&'static str, u32, u32, i64, &'static str, i64, bool, bool);

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

/// One demo 품앗이 family: (family id, mother, father if any, children with birth dates).
struct Fam {
    id: i64,
    mother: i64,
    father: Option<i64>,
    children: Vec<(i64, NaiveDate)>,
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

fn ds(x: NaiveDate) -> String {
    x.format("%Y-%m-%d").to_string()
}

/// The n-th `wd` of a month (1-based), if the month has one.
fn nth_weekday(y: i32, m: u32, wd: Weekday, n: u32) -> Option<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(y, m, 1)?;
    let shift = (7 + wd.num_days_from_monday() - first.weekday().num_days_from_monday()) % 7;
    let x = first + Duration::days(i64::from(shift + 7 * (n - 1)));
    (x.month() == m).then_some(x)
}

#[allow(clippy::too_many_arguments)] // one demo person, every field of it named at the call
async fn member(
    tx: &mut Tx,
    center: i64,
    fam: i64,
    name: &str,
    rel: Relation,
    sex: Sex,
    birth: NaiveDate,
    dual: bool,
    registered: &str,
) -> AppResult<i64> {
    let data = MemberData {
        name: name.into(),
        birth_date: ds(birth),
        sex,
        phone: (rel != Relation::Child).then(|| format!("010-{:04}-{:04}", 3000 + fam % 6000, 1000 + birth.ordinal())),
        address: None,
        nationality: "KR".into(),
        single_parent: false,
        grandparent: false,
        multicultural: false,
        dual_income: dual,
        low_income: false,
        family_id: Some(fam),
        relation: Some(rel),
        guardian_id: None,
    };
    Ok(people::insert(tx, center, &data, registered).await?.id)
}

impl App {
    /// Loads the 나눔터 and 품앗이 demo for a center and its space, unless it has groups.
    pub async fn load_demo_pumasi(&self, center_code: &str, space_code: &str, year: i32, seed: u64) -> AppResult<bool> {
        let center = orgs::by_code(&self.store, center_code)
            .await?
            .ok_or_else(|| AppError::Internal(format!("no center {center_code}")))?;
        let space = orgs::by_code(&self.store, space_code)
            .await?
            .ok_or_else(|| AppError::Internal(format!("no space {space_code}")))?;
        if !pumasi::groups(&self.store, center.id).await?.is_empty() {
            return Ok(false);
        }
        let staff_name = if center_code == "C-11215-01" { "staff" } else { "dobong" };
        let staff = users::by_username(&self.store, staff_name).await?.map(|u| (u.id, u.display_name));
        let manager = users::by_username(&self.store, "manager").await?.map(|u| (u.id, u.display_name));
        let (staff_id, staff_nm) = staff.clone().unwrap_or((1, "담당자".into()));
        let (mgr_id, mgr_nm) = manager.or(staff).unwrap_or((1, "센터장".into()));
        let holidays = catalog().holidays(year).cloned().unwrap_or_default();
        let today = gajok_domain::time::kst_date(chrono::Utc::now());
        let last_day = if today.year() == year { today } else { d(year, 12, 31) };
        let mut rng = Rng(seed | 1);
        let mut tx = self.store.begin().await?;

        // The space registry (kept if someone registered it already).
        if spaces::get(tx.conn(), space.id).await?.is_none() {
            let data = spaces::SpaceData {
                placement: Placement::Inside,
                ownership: Ownership::LocalGovernment,
                pledge_until: None,
                area_m2: if center_code == "C-11215-01" { 82 } else { 66 },
                remodelled: center_code != "C-11215-01",
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
                injury_insurance_until: Some(format!("{}-02-28", year + 1)),
                fire_insurance_until: Some(format!("{}-02-28", year + 1)),
                found_on: (center_code == "C-11215-01").then(|| format!("{year}-04-15")),
            };
            spaces::put(&mut tx, space.id, center.id, None, &data).await?;
        }

        // Seven 품앗이 families: the first six form three groups; the seventh joins in June.
        let reg = format!("{year}-01-05");
        let mut fams = Vec::new();
        for i in 0..7 {
            let surname = FATHERS[i].chars().next().unwrap_or('김');
            let fam = people::insert_family(&mut tx, center.id, &format!("{} 가족", FATHERS[i])).await?.id;
            let dual = i % 2 == 0;
            let mother = member(
                &mut tx,
                center.id,
                fam,
                MOTHERS[i],
                Relation::Spouse,
                Sex::Female,
                d(1985 + i as i32, 3, 4 + i as u32),
                dual,
                &reg,
            )
            .await?;
            // Family 1's father never comes (서식4 leaves him out); family 5 has no father on record.
            let father = if i == 5 {
                None
            } else {
                Some(
                    member(
                        &mut tx,
                        center.id,
                        fam,
                        FATHERS[i],
                        Relation::Reference,
                        Sex::Male,
                        d(1983 + i as i32, 7, 9),
                        dual,
                        &reg,
                    )
                    .await?,
                )
            };
            let mut children = Vec::new();
            for k in 0..(1 + i % 2) {
                let birth = d(year - 1 - (rng.below(11) as i32), 1 + rng.below(12) as u32, 1 + rng.below(28) as u32);
                let name = format!("{surname}{}", KIDS[(i * 2 + k) % KIDS.len()]);
                children.push((
                    member(&mut tx, center.id, fam, &name, Relation::Child, Sex::Female, birth, dual, &reg).await?,
                    birth,
                ));
            }
            fams.push(Fam { id: fam, mother, father, children });
        }
        let kinds = [PumasiKind::Play, PumasiKind::Learning, PumasiKind::SmallParenting];
        let names = ["놀이가 좋아", "함께 크는 책놀이", "아장아장 작은육아"];
        let mut groups = Vec::new();
        for g in 0..3 {
            let formed = ds(d(year, 1, 10 + g as u32));
            let ng = pumasi::NewGroup {
                name: names[g],
                kind: kinds[g],
                theme: Some("주 2회 나눔터에서 함께 놀고 배우기"),
                leader_member_id: Some(fams[g * 2].mother),
                formed_on: &formed,
                orientation_on: Some(&formed),
            };
            groups.push(pumasi::insert_group(&mut tx, center.id, &ng, &[fams[g * 2].id, fams[g * 2 + 1].id]).await?);
        }
        if last_day >= d(year, 6, 17) {
            pumasi::add_family(
                &mut tx,
                center.id,
                groups[0],
                fams[6].id,
                &format!("{year}-06-10"),
                Some(&format!("{year}-06-17")),
            )
            .await?;
        }

        // Monthly plans (4 steps signed the month before), activity logs and expenses.
        let steps = gajok_domain::nanumteo::PLAN_STEPS.len() as i64;
        for m in 1..=last_day.month().min(12) {
            let month = format!("{year}-{m:02}");
            for (gi, gid) in groups.iter().enumerate() {
                let np = pumasi::NewPlan {
                    group_id: *gid,
                    month: &month,
                    purpose: "아이들의 사회성 기르기와 부모 돌봄 나누기",
                    activities: "1주 책놀이 / 2주 바깥놀이 / 3주 만들기 / 4주 요리놀이",
                    materials: Some("색종이, 물감, 도화지"),
                };
                let plan_id = pumasi::insert_plan(&mut tx, center.id, &np, staff_id, &staff_nm).await?;
                for step in 1..steps {
                    let plan = pumasi::Plan {
                        id: plan_id,
                        center_id: center.id,
                        group_id: *gid,
                        month: month.clone(),
                        purpose: String::new(),
                        activities: String::new(),
                        materials: None,
                        steps_done: step,
                        submitted_at: String::new(),
                        signatures: Vec::new(),
                    };
                    pumasi::sign_next(&mut tx, &plan, mgr_id, &mgr_nm).await?;
                }
                let members: Vec<&Fam> = match gi {
                    0 if m >= 6 => vec![&fams[0], &fams[1], &fams[6]],
                    g => vec![&fams[g * 2], &fams[g * 2 + 1]],
                };
                for week in [2, 4] {
                    let wd = [Weekday::Tue, Weekday::Wed, Weekday::Thu][gi];
                    let Some(day) = nth_weekday(year, m, wd, week) else { continue };
                    if day > last_day || holidays.contains(&day) {
                        continue;
                    }
                    let mut who = Vec::new();
                    for (fi, f) in members.iter().enumerate() {
                        if rng.below(10) < 8 {
                            who.push(f.mother);
                            who.extend(f.children.iter().map(|c| c.0));
                        }
                        // The second family's father of group 1 never takes part.
                        if let Some(father) = f.father
                            && !(gi == 0 && fi == 1)
                            && rng.below(10) < 3
                        {
                            who.push(father);
                        }
                    }
                    if who.is_empty() {
                        continue;
                    }
                    let na = pumasi::NewActivity {
                        group_id: *gid,
                        activity_date: &ds(day),
                        start_time: "10:30",
                        end_time: "12:30",
                        place: &space.name,
                        content: [
                            "그림책 읽고 역할놀이",
                            "공원 산책과 자연물 모으기",
                            "점토로 동물 만들기",
                            "과일 꼬치 만들기",
                        ][(week as usize + m as usize) % 4],
                    };
                    pumasi::insert_activity(&mut tx, center.id, &na, &who).await?;
                }
                let spent = nth_weekday(year, m, Weekday::Fri, 3).filter(|x| *x <= last_day);
                if let Some(spent) = spent {
                    let ne = pumasi::NewExpense {
                        group_id: *gid,
                        month: &month,
                        spent_on: &ds(spent),
                        category: ExpenseCategory::Materials,
                        amount: 15_000 + 1_000 * rng.below(13) as i64,
                        receipt_no: &format!("R-{month}-{gi}"),
                        description: "만들기 재료(색종이, 점토)",
                    };
                    pumasi::insert_expense(&mut tx, center.id, &ne).await?;
                    if gi == 1 && (m == 5 || m == 10) {
                        let ne = pumasi::NewExpense {
                            category: ExpenseCategory::ExperienceFee,
                            amount: 24_000,
                            receipt_no: &format!("E-{month}"),
                            description: "어린이 과학관 입장료",
                            ..ne
                        };
                        pumasi::insert_expense(&mut tx, center.id, &ne).await?;
                    }
                }
            }
        }

        // The toy library and the visit log.
        let mut items = Vec::new();
        for (i, (name, kind)) in TOYS.iter().enumerate() {
            let code = format!("{}-{:03}", if *kind == ItemKind::Toy { "TOY" } else { "BOOK" }, i + 1);
            let ni = library::NewItem {
                space_id: space.id,
                barcode: &code,
                kind: *kind,
                name,
                lendable: i % 6 != 5,
                acquired_on: &format!("{year}-01-03"),
            };
            if let Some(id) = library::insert_item(&mut tx, center.id, &ni).await? {
                items.push(id);
            }
        }
        let mut day = d(year, 1, 2);
        let mut open: Vec<(i64, NaiveDate)> = Vec::new();
        while day <= last_day {
            let weekday = day.weekday().num_days_from_monday() < 5;
            if weekday && !holidays.contains(&day) {
                for v in 0..(2 + rng.below(4)) {
                    let f = &fams[rng.below(fams.len() as u64) as usize];
                    let loan_only = v == 0 && rng.below(4) == 0;
                    let kids = if loan_only { 0 } else { f.children.len() as i64 };
                    let ages: Vec<String> =
                        f.children.iter().map(|c| gajok_domain::people::age_on(c.1, day).to_string()).collect();
                    let hour = 10 + rng.below(6);
                    let nv = visits::NewVisit {
                        space_id: space.id,
                        visit_date: ds(day),
                        member_id: f.mother,
                        child_only: false,
                        children: kids,
                        children_ages: if loan_only { String::new() } else { ages.join(", ") },
                        purpose: if loan_only { VisitPurpose::Loan } else { VisitPurpose::Use },
                        check_in: format!("{hour:02}:{:02}", 5 * rng.below(6)),
                    };
                    let id = visits::insert(&mut tx, center.id, &nv).await?;
                    let stay = if loan_only { [10, 40][rng.below(2) as usize] } else { 60 + 30 * rng.below(4) as i64 };
                    let out = format!("{:02}:{:02}", hour as i64 + (stay + 25) / 60, (stay + 25) % 60);
                    if day < today {
                        visits::check_out(&mut tx, id, &out).await?;
                    }
                }
                // About two loans a week; returns 7-16 days later (some late).
                if rng.below(5) < 2 && !items.is_empty() {
                    let item = items[rng.below(items.len() as u64) as usize];
                    let f = &fams[rng.below(fams.len() as u64) as usize];
                    let due = day + Duration::days(14);
                    if let Some(loan) =
                        library::insert_loan(&mut tx, center.id, space.id, item, f.mother, &ds(day), &ds(due)).await?
                    {
                        open.push((loan, day + Duration::days(7 + rng.below(10) as i64)));
                    }
                }
                let mut still = Vec::new();
                for (loan, back) in open.drain(..) {
                    if back <= day {
                        library::close_loan(&mut tx, loan, &ds(back), 0, 0, None, None).await?;
                    } else {
                        still.push((loan, back));
                    }
                }
                open = still;
            }
            day += Duration::days(1);
        }

        // Obligation events of the year (what is due after today is left for the user to add).
        let leaders: Vec<i64> = (0..3).map(|g| fams[g * 2].mother).collect();
        let events: &[DemoEvent] = &[
            ("promotion", 3, 14, 180, "나눔터 오픈하우스와 품앗이 설명회", 46, true, false),
            ("regular_meeting", 3, 24, 90, "1분기 품앗이 정례회의", 8, false, false),
            ("committee", 3, 27, 90, "1분기 운영위원회(이용수칙 개정)", 7, false, false),
            ("whole_program", 4, 18, 120, "부모교육 '아이의 마음 읽기'", 24, false, false),
            ("leader_training", 4, 22, 120, "품앗이 리더의 역할과 그룹 운영", 3, false, true),
            ("regular_meeting", 6, 23, 90, "2분기 품앗이 정례회의", 9, false, false),
            ("committee", 6, 26, 90, "2분기 운영위원회(장난감 구입 요청)", 6, false, false),
            ("whole_program", 7, 16, 120, "가족 관계 향상 프로그램 '함께 놀자'", 27, false, false),
            ("leader_training", 9, 9, 120, "갈등 중재와 리더십", 3, false, true),
            ("regular_meeting", 9, 22, 90, "3분기 품앗이 정례회의", 9, false, false),
            ("committee", 9, 25, 90, "3분기 운영위원회", 7, false, false),
            ("whole_program", 10, 15, 120, "아빠와 함께하는 놀이교육", 22, false, false),
            ("whole_gathering", 12, 12, 180, "품앗이 한마당(나눔장터·발표회)", 60, false, false),
        ];
        for (kind, m, dd, minutes, title, n, briefing, with_leaders) in events {
            let held = d(year, *m, *dd);
            if held > last_day {
                continue;
            }
            let ne = NewEvent {
                kind,
                held_on: &ds(held),
                minutes: *minutes,
                title,
                participants: *n,
                pumasi_briefing: *briefing,
                leaders: if *with_leaders { &leaders } else { &[] },
                by: Some(staff_id),
            };
            report::insert_event(&mut tx, center.id, &ne).await?;
        }

        // The local-currency ledger (PM-24).
        for (m, dir, amount, who, what) in [
            (3, "in", 50_000, "나눔장터", "봄 나눔장터 판매 적립"),
            (4, "out", 12_000, MOTHERS[1], "아이 돌봄 2시간"),
            (5, "out", 8_000, MOTHERS[2], "동화책 교환"),
            (9, "in", 30_000, "가을 나눔장터", "판매 적립"),
            (10, "out", 15_000, MOTHERS[3], "등하원 동행 3회"),
        ] {
            let on = d(year, m, 12);
            if on > last_day {
                continue;
            }
            let ne = NewCurrencyEntry {
                entry_on: &ds(on),
                direction: dir,
                amount,
                counterparty: who,
                description: what,
                by: Some(staff_id),
            };
            report::insert_currency(&mut tx, center.id, &ne).await?;
        }
        tx.commit().await?;

        // 서식13 for the past months in every workflow state, the figures frozen as submitted.
        let last_complete = if today.year() > year { 12 } else { today.month().saturating_sub(1) };
        let actor = |id: Option<i64>, name: &str| Actor { user_id: id, username: name.into(), client_addr: None };
        for m in 1..=last_complete {
            let month = format!("{year}-{m:02}");
            let back = last_complete - m;
            if back == 0 && center_code != "C-11215-01" {
                continue; // 도봉 has not submitted last month yet
            }
            let figures = self.form13_figures(center.id, &month).await?;
            let snapshot = serde_json::to_value(&figures).map_err(|e| AppError::Internal(e.to_string()))?;
            let mut path: Vec<(ReportStatus, ReportStatus, &str, Option<&str>)> =
                vec![(ReportStatus::Draft, ReportStatus::Submitted, "manager", None)];
            if back == 1 {
                path.push((
                    ReportStatus::Submitted,
                    ReportStatus::Returned,
                    "gwangjin",
                    Some("홍보건수 근거 자료를 첨부해 주세요"),
                ));
            }
            if back >= 2 {
                path.push((ReportStatus::Submitted, ReportStatus::DistrictApproved, "gwangjin", None));
            }
            if back >= 3 {
                path.push((ReportStatus::DistrictApproved, ReportStatus::ProvinceApproved, "seoul", None));
            }
            if back >= 4 {
                path.push((ReportStatus::ProvinceApproved, ReportStatus::Accepted, "kihf", None));
            }
            let mut tx = self.store.begin().await?;
            for (from, to, who, comment) in path {
                // 도봉 has no demo manager or district account: the steps carry a name only.
                let (uid, who) = match (center_code, who) {
                    ("C-11215-01", _) | (_, "seoul" | "kihf") => {
                        (users::by_username(&self.store, who).await?.map(|u| u.id), who)
                    }
                    (_, "manager") => (None, "도봉구가족센터장"),
                    _ => (None, "도봉구 담당"),
                };
                let step = reports::Step {
                    center_id: center.id,
                    month: &month,
                    from,
                    to,
                    snapshot: (to == ReportStatus::Submitted).then_some(&snapshot),
                    comment,
                };
                reports::transition_kind(&mut tx, NANUMTEO_REPORT.code, &step, &actor(uid, who)).await?;
            }
            tx.commit().await?;
        }
        Ok(true)
    }
}
