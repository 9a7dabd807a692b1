//! 서식13 (the 나눔터 and 품앗이 monthly report) over HTTP for a known set of records: a
//! borrower who stayed 40 minutes counts as a user and one who stayed 10 does not, loans are
//! counted apart; a father who never took part is not a member, one who did is; children by age
//! as real persons. Then the workflow (submit, return, resubmit, the three approvals), the
//! month lock, 서식4, the obligations and the local-currency ledger.

mod common;

use common::{Client, TestServer, servers, signed_in};
use gajok_domain::people::{Relation, Sex};

async fn family(s: &TestServer, center: i64, name: &str) -> i64 {
    let mut tx = s.app.store.begin().await.unwrap();
    let id = gajok_store::people::insert_family(&mut tx, center, name).await.unwrap().id;
    tx.commit().await.unwrap();
    id
}

async fn person(s: &TestServer, center: i64, fam: i64, name: &str, rel: Relation, sex: Sex, birth: &str) -> i64 {
    let mut tx = s.app.store.begin().await.unwrap();
    let d = gajok_store::people::MemberData {
        name: name.into(),
        birth_date: birth.into(),
        sex,
        phone: None,
        address: None,
        nationality: "KR".into(),
        single_parent: false,
        grandparent: false,
        multicultural: false,
        dual_income: false,
        low_income: false,
        family_id: Some(fam),
        relation: Some(rel),
        guardian_id: None,
    };
    let id = gajok_store::people::insert(&mut tx, center, &d, "2026-01-05").await.unwrap().id;
    tx.commit().await.unwrap();
    id
}

/// The text of the cell marked `data-k="<key>"` (the first one after `after`, if given).
fn cell(body: &str, key: &str) -> String {
    let marker = format!("data-k=\"{key}\">");
    let start = body.find(&marker).map(|i| i + marker.len()).unwrap_or_else(|| panic!("no cell {key}"));
    body[start..].split('<').next().unwrap_or_default().trim().to_string()
}

async fn activity(c: &mut Client, group: i64, date: &str, who: &[i64]) {
    let ids = who.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",");
    let r = c
        .post_form(
            &format!("/pumasi/groups/{group}/activities"),
            &[
                ("date", date),
                ("start_time", "10:00"),
                ("end_time", "12:00"),
                ("place", "광진 공동육아나눔터 1호점"),
                ("content", "그림책 함께 읽기"),
                ("attendees", &ids),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "activity {date}: {}", r.body);
}

#[tokio::test]
async fn form13_counts_the_records_and_goes_through_the_workflow() {
    for s in servers().await {
        let b = &s.backend;
        let center = s.org_id("C-11215-01").await;
        let site = s.org_id("S-11215-01-1").await;
        let mut c = signed_in(&s, "staff").await;

        // The space, found in May (a 발굴나눔터).
        let r = c
            .post_form(
                &format!("/nanumteo/spaces/{site}"),
                &[
                    ("placement", "inside"),
                    ("ownership", "local_government"),
                    ("area_m2", "72"),
                    ("all_day", "on"),
                    ("open_time", "10:00"),
                    ("close_time", "18:00"),
                    ("cctv_units", "1"),
                    ("cctv_megapixels", "1.3"),
                    ("cctv_retention_days", "60"),
                    ("found_on", "2026-05-11"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);

        // Family A: a father who never takes part, a mother, a child of 4.
        let fa = family(&s, center, "김가네").await;
        let a_father = person(&s, center, fa, "김아빠", Relation::Reference, Sex::Male, "1984-02-02").await;
        let a_mother = person(&s, center, fa, "이엄마", Relation::Spouse, Sex::Female, "1986-03-03").await;
        let a_child = person(&s, center, fa, "김아이", Relation::Child, Sex::Female, "2022-03-01").await;
        // Family B: a mother, a child of 8, a grandmother.
        let fb = family(&s, center, "박가네").await;
        let b_mother = person(&s, center, fb, "박엄마", Relation::Reference, Sex::Female, "1983-04-04").await;
        let b_child = person(&s, center, fb, "박아이", Relation::Child, Sex::Male, "2017-06-01").await;
        let b_gran = person(&s, center, fb, "최할머니", Relation::Grandparent, Sex::Female, "1955-05-05").await;
        // Family C joins in May: a father who takes part and a child of 1.
        let fc = family(&s, center, "정가네").await;
        let c_father = person(&s, center, fc, "정아빠", Relation::Reference, Sex::Male, "1988-06-06").await;
        let c_child = person(&s, center, fc, "정아이", Relation::Child, Sex::Male, "2025-01-10").await;

        let fams = format!("{fa},{fb}");
        let r = c
            .post_form(
                "/pumasi/groups",
                &[
                    ("center", &center.to_string()),
                    ("name", "책읽는 품앗이"),
                    ("kind", "learning"),
                    ("families", &fams),
                    ("formed_on", "2026-04-01"),
                    ("orientation_on", "2026-04-01"),
                    ("leader_member_id", &a_mother.to_string()),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let group: i64 =
            r.location.unwrap().trim_start_matches("/pumasi/groups/").split('?').next().unwrap().parse().unwrap();

        // Joining without the group's consent is refused; with it, the family joins and owes
        // its orientation until recorded.
        let r = c
            .post_form(
                &format!("/pumasi/groups/{group}/families"),
                &[("family_id", &fc.to_string()), ("date", "2026-05-20")],
            )
            .await;
        assert_eq!(r.status, 422, "[{b}] consent required: {}", r.body);
        let r = c
            .post_form(
                &format!("/pumasi/groups/{group}/families"),
                &[("family_id", &fc.to_string()), ("date", "2026-05-20"), ("consent", "on")],
            )
            .await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let page = c.get(&format!("/pumasi/groups/{group}")).await;
        assert!(page.body.contains("정가네") && page.body.contains("2026-05-20 가입"), "[{b}] joined");
        assert!(page.body.contains("오리엔테이션 미이수 가정(PM-11): 정가네"), "[{b}] orientation owed");
        let r = c
            .post_form(
                &format!("/pumasi/groups/{group}/families/{fc}/orientation"),
                &[("orientation_on", "2026-05-21")],
            )
            .await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let page = c.get(&format!("/pumasi/groups/{group}")).await;
        assert!(
            !page.body.contains("오리엔테이션 미이수") && page.body.contains("2026-05-21"),
            "[{b}] orientation done"
        );

        activity(&mut c, group, "2026-04-15", &[a_mother, a_child]).await;
        activity(&mut c, group, "2026-05-06", &[a_mother, a_child, b_mother, b_child, b_gran]).await;
        activity(&mut c, group, "2026-05-13", &[a_mother, a_child]).await;
        activity(&mut c, group, "2026-05-27", &[c_father, c_child, b_mother, b_child]).await;

        // Visits: a use visit; a borrower who stays 40 minutes (a user) and one who stays 10.
        let visit = |m: i64, date: &'static str, time: &'static str, ages: &'static str, purpose: &'static str| {
            (m.to_string(), date, time, ages, purpose)
        };
        for (m, date, time, ages, purpose) in [
            visit(a_mother, "2026-05-06", "10:00", "4", "use"),
            visit(b_mother, "2026-05-07", "11:00", "8", "loan"),
            visit(a_father, "2026-05-08", "14:00", "", "loan"),
        ] {
            let r = c
                .post_form(
                    &format!("/nanumteo/spaces/{site}/visits"),
                    &[("member_id", &m), ("date", date), ("time", time), ("children_ages", ages), ("purpose", purpose)],
                )
                .await;
            assert_eq!(r.status, 303, "[{b}] visit {date}: {}", r.body);
        }
        for (date, out) in [("2026-05-07", "11:40"), ("2026-05-08", "14:10")] {
            let v = gajok_store::nanumteo::visits::on_day(&s.app.store, site, date).await.unwrap()[0].id;
            let r = c.post_form(&format!("/nanumteo/visits/{v}/checkout"), &[("time", out)]).await;
            assert_eq!(r.status, 303, "[{b}] {}", r.body);
        }
        // Two loans, counted apart from users.
        for (code, m, date) in [("TOY-1", b_mother, "2026-05-07"), ("TOY-2", a_father, "2026-05-08")] {
            let r = c
                .post_form(
                    &format!("/nanumteo/spaces/{site}/items"),
                    &[("barcode", code), ("kind", "toy"), ("name", "원목 기차"), ("lendable", "on")],
                )
                .await;
            assert_eq!(r.status, 303, "[{b}] {}", r.body);
            let r = c
                .post_form(
                    &format!("/nanumteo/spaces/{site}/loans"),
                    &[("barcode", code), ("member_id", &m.to_string()), ("loaned_on", date)],
                )
                .await;
            assert_eq!(r.status, 303, "[{b}] {}", r.body);
        }

        // Obligation events: a promotion with a briefing, a whole program, leader training.
        let ctr = center.to_string();
        let leader = a_mother.to_string();
        for f in [
            vec![
                ("kind", "promotion"),
                ("date", "2026-05-15"),
                ("hours", "3"),
                ("content", "나눔터 홍보 및 품앗이 설명회"),
                ("briefing", "on"),
                ("attendees", "40"),
            ],
            vec![
                ("kind", "whole_program"),
                ("date", "2026-05-20"),
                ("hours", "2"),
                ("content", "부모교육 '함께 크는 아이'"),
                ("attendees", "18"),
            ],
            vec![
                ("kind", "leader_training"),
                ("date", "2026-05-22"),
                ("hours", "2"),
                ("content", "품앗이 리더의 역할"),
                ("member_ids", leader.as_str()),
            ],
        ] {
            let mut f = f.clone();
            f.push(("center", &ctr));
            let r = c.post_form("/nanumteo/events", &f).await;
            assert_eq!(r.status, 303, "[{b}] {}", r.body);
        }
        // Leader training for someone who leads no group is refused, nothing written.
        let events = s.count("nanumteo_events").await;
        let r = c
            .post_form(
                "/nanumteo/events",
                &[
                    ("center", &ctr),
                    ("kind", "leader_training"),
                    ("date", "2026-05-22"),
                    ("hours", "2"),
                    ("content", "x"),
                    ("member_ids", &b_mother.to_string()),
                ],
            )
            .await;
        assert_eq!(r.status, 422, "[{b}]");
        assert_eq!(s.count("nanumteo_events").await, events, "[{b}] nothing written");

        // 서식13 for May.
        let p = c.get(&format!("/nanumteo/report?center={center}&month=2026-05")).await;
        assert_eq!(p.status, 200, "[{b}] {}", p.body);
        let f = &p.body;
        assert!(f.contains("나눔터·품앗이 월간 실적(서식13)") && f.contains("작성 중"), "[{b}]");
        assert_eq!(cell(f, "users-parents"), "2", "[{b}] the 10-minute borrower is not a user");
        assert_eq!(cell(f, "users-children"), "2", "[{b}] children of the counted visits");
        assert_eq!(cell(f, "loans"), "2", "[{b}] loans apart from users");
        assert_eq!(cell(f, "publicity"), "1", "[{b}]");
        assert_eq!(cell(f, "member-groups"), "1", "[{b}]");
        assert_eq!(cell(f, "member-families"), "3", "[{b}]");
        assert_eq!(cell(f, "member-persons"), "7", "[{b}] 김아빠 never took part: not counted; 정아빠 did");
        assert_eq!(cell(f, "active-families"), "5", "[{b}] 연인원 of families");
        assert_eq!(cell(f, "active-grandparents"), "1", "[{b}]");
        assert_eq!(cell(f, "active-parents"), "5", "[{b}]");
        assert_eq!(cell(f, "active-children"), "5", "[{b}]");
        assert_eq!(cell(f, "whole-programs"), "1", "[{b}]");
        assert_eq!(cell(f, "leader-trainings"), "1", "[{b}]");
        assert_eq!(cell(f, "age-1"), "1", "[{b}] 정아이, 1세");
        assert_eq!(cell(f, "age-4"), "1", "[{b}] 김아이, 4세");
        assert_eq!(cell(f, "age-8"), "1", "[{b}] 박아이, 8~10세");
        assert_eq!(cell(f, "age-total"), "3", "[{b}] real persons");
        assert!(f.contains("8~10세") && f.contains("품앗이 리더의 역할"), "[{b}]");
        // April: two families, the father still not counted.
        let apr = c.get(&format!("/nanumteo/report?center={center}&month=2026-04")).await;
        assert_eq!(cell(&apr.body, "member-persons"), "5", "[{b}]");
        assert_eq!(cell(&apr.body, "member-families"), "2", "[{b}]");
        let x = c.get(&format!("/nanumteo/report.xlsx?center={center}&month=2026-05")).await;
        assert_eq!(x.status, 200, "[{b}]");
        assert!(x.body.starts_with("PK"), "[{b}] an xlsx");

        // 서식4 for May: the absent father is left out, the one who came is counted.
        let st = c.get(&format!("/pumasi/status?center={center}&month=2026-05")).await;
        assert_eq!(cell(&st.body, "fathers"), "1", "[{b}] {}", st.body);
        assert!(st.body.contains("불참 아버지 1명 제외"), "[{b}]");
        assert_eq!(cell(&st.body, "mothers"), "2", "[{b}]");
        assert_eq!(cell(&st.body, "children"), "3", "[{b}]");
        assert!(st.body.contains("총 활동인원 7명"), "[{b}]");

        // Obligations of the year.
        let ob = c.get(&format!("/nanumteo/obligations?center={center}&year=2026")).await;
        assert_eq!(ob.status, 200, "[{b}] {}", ob.body);
        let row = |key: &str| {
            let at = ob.body.find(&format!("data-key=\"{key}\"")).unwrap_or_else(|| panic!("[{b}] no {key}"));
            ob.body[at..].split("</tr>").next().unwrap().to_string()
        };
        assert!(row("promotion_events").contains("달성") && row("promotion_events").contains("CS-07"), "[{b}]");
        assert!(row("min_groups").contains("PM-01"), "[{b}]");
        assert!(
            row("leader_training_minutes").contains(">2<") && row("leader_training_minutes").contains(">4<"),
            "[{b}] 2 of 4 hours"
        );
        assert!(!ob.body.contains("data-key=\"user_target\""), "[{b}] the 2017 target is gone in 2026");

        // The workflow: the manager submits; the month locks for the activity log.
        let mut mgr = signed_in(&s, "manager").await;
        let r = mgr.post_form(&format!("/nanumteo/report/{center}/2026-05/submit"), &[]).await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let acts = s.count("pumasi_activities").await;
        let r = c
            .post_form(
                &format!("/pumasi/groups/{group}/activities"),
                &[
                    ("date", "2026-05-28"),
                    ("start_time", "10:00"),
                    ("end_time", "11:00"),
                    ("place", "나눔터"),
                    ("content", "늦은 기록"),
                    ("attendees", &a_mother.to_string()),
                ],
            )
            .await;
        assert_eq!(r.status, 409, "[{b}] locked month");
        assert!(r.body.contains("제출되어 기록을 바꿀 수 없습니다"), "[{b}] {}", r.body);
        assert_eq!(s.count("pumasi_activities").await, acts, "[{b}] nothing written");
        let r = c
            .post_form(
                &format!("/nanumteo/spaces/{site}/visits"),
                &[
                    ("member_id", &a_mother.to_string()),
                    ("date", "2026-05-29"),
                    ("time", "10:00"),
                    ("children_ages", "4"),
                ],
            )
            .await;
        assert_eq!(r.status, 409, "[{b}] a late visit in the locked month: {}", r.body);
        // The center's own monthly report of May is a separate kind and still a draft.
        let center_report = mgr.get(&format!("/reports/monthly?center={center}&month=2026-05")).await;
        assert!(center_report.body.contains("작성 중"), "[{b}]");
        // Both kinds of report of one center and month live side by side.
        let r = mgr.post_form(&format!("/reports/monthly/{center}/2026-05/submit"), &[]).await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        assert_eq!(s.count("monthly_reports").await, 2, "[{b}] one report of each kind");

        // 시·군·구 returns it (a reason is required), the manager resubmits, three approvals.
        let mut gu = signed_in(&s, "gwangjin").await;
        // The official finds 서식13 from the center's monthly report.
        let via = gu.get(&format!("/reports/monthly?center={center}&month=2026-05")).await;
        assert!(via.body.contains(&format!("/nanumteo/report?center={center}&amp;month=2026-05")), "[{b}] linked");
        let r = gu.post_form(&format!("/nanumteo/report/{center}/2026-05/review"), &[("decision", "return")]).await;
        assert_eq!(r.status, 422, "[{b}] reason required");
        let r = gu
            .post_form(
                &format!("/nanumteo/report/{center}/2026-05/review"),
                &[("decision", "return"), ("comment", "홍보건수 확인")],
            )
            .await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let p = mgr.get(&format!("/nanumteo/report?center={center}&month=2026-05")).await;
        assert!(p.body.contains("반려") && p.body.contains("홍보건수 확인"), "[{b}]");
        let r = mgr.post_form(&format!("/nanumteo/report/{center}/2026-05/submit"), &[]).await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let r = gu.post_form(&format!("/nanumteo/report/{center}/2026-05/review"), &[("decision", "approve")]).await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let mut si = signed_in(&s, "seoul").await;
        let r = si.post_form(&format!("/nanumteo/report/{center}/2026-05/review"), &[("decision", "approve")]).await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let mut kihf = signed_in(&s, "kihf").await;
        let r = kihf.post_form(&format!("/nanumteo/report/{center}/2026-05/review"), &[("decision", "approve")]).await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let p = kihf.get(&format!("/nanumteo/report?center={center}&month=2026-05")).await;
        assert!(p.body.contains("진흥원 접수"), "[{b}]");
        assert_eq!(cell(&p.body, "member-persons"), "7", "[{b}] the submitted figures");
        // An approver cannot submit; the staff cannot approve.
        let r = c.post_form(&format!("/nanumteo/report/{center}/2026-04/submit"), &[]).await;
        assert!(matches!(r.status, 403 | 404), "[{b}] staff may not submit");
    }
}

#[tokio::test]
async fn the_local_currency_ledger_keeps_a_running_balance() {
    for s in servers().await {
        let b = &s.backend;
        let center = s.org_id("C-11215-01").await;
        let mut c = signed_in(&s, "staff").await;
        let ctr = center.to_string();
        for (kind, amount, name) in [("in", "30000", "나눔장터"), ("out", "12000", "김엄마")] {
            let r = c
                .post_form(
                    "/pumasi/currency",
                    &[
                        ("center", &ctr),
                        ("date", "2026-05-09"),
                        ("kind", kind),
                        ("amount", amount),
                        ("name", name),
                        ("description", "장난감 교환"),
                    ],
                )
                .await;
            assert_eq!(r.status, 303, "[{b}] {}", r.body);
        }
        // Spending more than the balance is refused, nothing written.
        let n = s.count("nanumteo_currency").await;
        let r = c
            .post_form(
                "/pumasi/currency",
                &[
                    ("center", &ctr),
                    ("date", "2026-05-10"),
                    ("kind", "out"),
                    ("amount", "20000"),
                    ("name", "이엄마"),
                    ("description", "돌봄"),
                ],
            )
            .await;
        assert_eq!(r.status, 422, "[{b}] {}", r.body);
        assert_eq!(s.count("nanumteo_currency").await, n, "[{b}]");
        let p = c.get(&format!("/pumasi?center={center}&month=2026-05")).await;
        assert_eq!(cell(&p.body, "balance"), "18,000", "[{b}]");
        assert!(p.body.contains("1단위 = 1원(PM-24)"), "[{b}]");

        // The 2017 user targets (CS-01) apply to 2017 only: 6,000 for an all-day space.
        let r = c
            .post_form(
                &format!("/nanumteo/spaces/{}", s.org_id("S-11215-01-1").await),
                &[
                    ("placement", "inside"),
                    ("ownership", "local_government"),
                    ("area_m2", "72"),
                    ("all_day", "on"),
                    ("open_time", "10:00"),
                    ("close_time", "18:00"),
                    ("cctv_units", "1"),
                    ("cctv_megapixels", "1.3"),
                    ("cctv_retention_days", "60"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let ob = c.get(&format!("/nanumteo/obligations?center={center}&year=2017")).await;
        let at = ob.body.find("data-key=\"user_target\"").unwrap_or_else(|| panic!("[{b}] 2017 target shown"));
        let row = ob.body[at..].split("</tr>").next().unwrap();
        assert!(row.contains("6000") && row.contains("CS-01") && row.contains("미달"), "[{b}] {row}");
        let ob = c.get(&format!("/nanumteo/obligations?center={center}&year=2018")).await;
        assert!(!ob.body.contains("data-key=\"user_target\""), "[{b}] deleted in 2018");
        // The dashboard shows the obligations of a center running a 나눔터.
        let dash = c.get("/").await;
        assert!(dash.body.contains("나눔터·품앗이 연간 의무실적") && dash.body.contains("PM-01"), "[{b}]");
    }
}
