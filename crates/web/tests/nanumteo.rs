//! 공동육아나눔터 and 가족품앗이 over HTTP, as the desk and the coordinator use them: the
//! registry's rule checks, refusals that name the rule (and write nothing), loans.

mod common;

use common::{TestServer, servers, signed_in};

async fn member(s: &TestServer, center: i64, name: &str, family: Option<i64>) -> i64 {
    let mut tx = s.app.store.begin().await.unwrap();
    let d = gajok_store::people::MemberData {
        name: name.into(),
        birth_date: "1988-05-06".into(),
        sex: gajok_domain::people::Sex::Female,
        phone: Some("010-2345-6789".into()),
        address: None,
        nationality: "KR".into(),
        single_parent: false,
        grandparent: false,
        multicultural: false,
        dual_income: true,
        low_income: false,
        family_id: family,
        relation: None,
        guardian_id: None,
    };
    let id = gajok_store::people::insert(&mut tx, center, &d, "2026-01-05").await.unwrap().id;
    tx.commit().await.unwrap();
    id
}

async fn family(s: &TestServer, center: i64, name: &str) -> i64 {
    let mut tx = s.app.store.begin().await.unwrap();
    let id = gajok_store::people::insert_family(&mut tx, center, name).await.unwrap().id;
    tx.commit().await.unwrap();
    id
}

#[tokio::test]
async fn a_space_day_at_the_desk_and_the_library() {
    for s in servers().await {
        let b = &s.backend;
        let center = s.org_id("C-11215-01").await;
        let site = s.org_id("S-11215-01-1").await;
        let mut c = signed_in(&s, "staff").await;

        // Registry with a too-small area: saved, and the page says which rule is not met.
        let r = c
            .post_form(
                &format!("/nanumteo/spaces/{site}"),
                &[
                    ("placement", "inside"),
                    ("ownership", "local_government"),
                    ("area_m2", "45"),
                    ("all_day", "on"),
                    ("open_time", "10:00"),
                    ("close_time", "18:00"),
                    ("cctv_units", "1"),
                    ("cctv_megapixels", "1.3"),
                    ("cctv_retention_days", "60"),
                    ("injury_insurance_until", "2099-12-31"),
                    ("fire_insurance_until", "2099-12-31"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let page = c.get(&format!("/nanumteo/spaces/{site}")).await;
        assert!(page.body.contains("면적 45㎡ (기준 50㎡ 이상)"), "[{b}] area check shown");
        assert!(page.body.contains("CS-40"), "[{b}] rule named");
        assert!(page.body.contains("주 40시간 운영 (주 40시간 이상)"), "[{b}] hours check");

        let mom = member(&s, center, "김나눔", None).await;
        let visits_before = s.count("nanumteo_visits").await;
        // 2026-03-01 is a Sunday and 삼일절: closed.
        let r = c
            .post_form(
                &format!("/nanumteo/spaces/{site}/visits"),
                &[
                    ("member_id", &mom.to_string()),
                    ("date", "2026-03-01"),
                    ("time", "11:00"),
                    ("children_ages", "3, 5"),
                ],
            )
            .await;
        assert_eq!(r.status, 409, "[{b}] closed on Sunday");
        assert!(r.body.contains("나눔터 운영시간이 아닙니다") && r.body.contains("공휴일 휴관"), "[{b}] {}", r.body);
        assert_eq!(s.count("nanumteo_visits").await, visits_before, "[{b}] nothing written");

        // The desk finds her by two syllables and checks her in on a Tuesday.
        let desk = c.get(&format!("/nanumteo/spaces/{site}/desk?q=김나&date=2026-03-03")).await;
        assert!(desk.body.contains("김나눔") && desk.body.contains("010-****-6789"), "[{b}] desk search");
        let r = c
            .post_form(
                &format!("/nanumteo/spaces/{site}/visits"),
                &[
                    ("member_id", &mom.to_string()),
                    ("date", "2026-03-03"),
                    ("time", "10:15"),
                    ("children_ages", "3, 5"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let desk = c.get(&format!("/nanumteo/spaces/{site}/desk?date=2026-03-03")).await;
        assert!(desk.body.contains("부모 1명 · 자녀 2명"), "[{b}] today's count");

        // A suspected infectious disease refuses entry; a hepatitis B carrier does not.
        let sick = member(&s, center, "박감기", None).await;
        let r = c
            .post_form(&format!("/nanumteo/members/{sick}/health"), &[("status", "suspected"), ("note", "수두 의심")])
            .await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let r = c
            .post_form(
                &format!("/nanumteo/spaces/{site}/visits"),
                &[("member_id", &sick.to_string()), ("date", "2026-03-03"), ("time", "11:00"), ("children_ages", "2")],
            )
            .await;
        assert_eq!(r.status, 409, "[{b}]");
        assert!(
            r.body.contains("CS-71") && r.body.contains("B형간염 보균자는 제한 대상이 아닙니다"),
            "[{b}] {}",
            r.body
        );
        let carrier = member(&s, center, "이보균", None).await;
        c.post_form(&format!("/nanumteo/members/{carrier}/health"), &[("status", "hepatitis_b_carrier")]).await;
        let r = c
            .post_form(
                &format!("/nanumteo/spaces/{site}/visits"),
                &[
                    ("member_id", &carrier.to_string()),
                    ("date", "2026-03-03"),
                    ("time", "11:00"),
                    ("children_ages", "4"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "[{b}] carrier admitted: {}", r.body);

        // Library: a toy lent once; lending it again is refused by CS-63; a late return
        // costs 100 won a day and suspends after a week.
        let r = c
            .post_form(
                &format!("/nanumteo/spaces/{site}/items"),
                &[("barcode", "TOY-0001"), ("kind", "toy"), ("name", "원목 블록"), ("lendable", "on")],
            )
            .await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let lend = |date: &'static str| [("barcode", "TOY-0001"), ("member_id", ""), ("loaned_on", date)];
        let mut f = lend("2026-03-03");
        let mid = mom.to_string();
        f[1].1 = &mid;
        assert_eq!(c.post_form(&format!("/nanumteo/spaces/{site}/loans"), &f).await.status, 303, "[{b}] lent");
        let loans = s.count("nanumteo_loans").await;
        let r = c.post_form(&format!("/nanumteo/spaces/{site}/loans"), &f).await;
        assert_eq!(r.status, 409, "[{b}]");
        assert!(r.body.contains("이미 대여 중입니다") && r.body.contains("CS-63"), "[{b}] {}", r.body);
        assert_eq!(s.count("nanumteo_loans").await, loans, "[{b}] nothing written");
        let loan = gajok_store::nanumteo::library::open_loans(&s.app.store, site).await.unwrap()[0].clone();
        assert_eq!(loan.due_on, "2026-03-17", "[{b}] 2 weeks");
        let r = c.post_form(&format!("/nanumteo/loans/{}/return", loan.id), &[("on", "2026-03-25")]).await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let lib = c.get(&format!("/nanumteo/spaces/{site}/library")).await;
        assert!(
            lib.body.contains("800원") && lib.body.contains("2026. 4. 25."),
            "[{b}] 8 days late: fee and suspension"
        );
        let mut f2 = lend("2026-04-01");
        f2[1].1 = &mid;
        let r = c.post_form(&format!("/nanumteo/spaces/{site}/loans"), &f2).await;
        assert_eq!(r.status, 409, "[{b}] suspended");
        assert!(r.body.contains("2026-04-25까지"), "[{b}] {}", r.body);
    }
}

#[tokio::test]
async fn the_catalogue_is_paged_and_searchable() {
    for s in servers().await {
        let b = &s.backend;
        let site = s.org_id("S-11215-01-1").await;
        let mut c = signed_in(&s, "staff").await;
        let lib = format!("/nanumteo/spaces/{site}/library");
        let shown = |body: &str| body.matches("<td>toy-").count();
        for i in 1..=55 {
            let (barcode, name) =
                (format!("toy-{i:03}"), if i == 42 { "무지개 실로폰".into() } else { format!("블록 {i}") });
            let r = c
                .post_form(
                    &format!("/nanumteo/spaces/{site}/items"),
                    &[("barcode", &barcode), ("kind", "toy"), ("name", &name)],
                )
                .await;
            assert_eq!(r.status, 303, "[{b}] {}", r.body);
        }
        let p1 = c.get(&lib).await;
        assert_eq!(p1.status, 200, "[{b}]");
        assert!(p1.body.contains("<td>toy-001</td>") && !p1.body.contains("<td>toy-055</td>"), "[{b}] page 1");
        assert!(shown(&p1.body) <= 50, "[{b}] one page of 50 at most");
        assert!(p1.body.contains("library?page=2"), "[{b}] a link to the next page");
        let p2 = c.get(&format!("{lib}?page=2")).await;
        assert!(p2.body.contains("<td>toy-055</td>") && !p2.body.contains("<td>toy-001</td>"), "[{b}] page 2");
        let found = c.get(&format!("{lib}?q=%EC%8B%A4%EB%A1%9C%ED%8F%B0")).await; // 실로폰
        assert_eq!(shown(&found.body), 1, "[{b}] one match by name");
        assert!(found.body.contains("무지개 실로폰"), "[{b}]");
        let by_code = c.get(&format!("{lib}?q=TOY-05")).await;
        assert_eq!(shown(&by_code.body), 6, "[{b}] barcodes match whatever their case: toy-050..055");
        let none = c.get(&format!("{lib}?q=%25%25")).await; // "%%": a literal, not a wildcard
        assert!(none.body.contains("찾는 바코드나 이름이 목록에 없습니다"), "[{b}] {}", none.body);
        let bad = c.get(&format!("{lib}?page=abc")).await;
        assert_eq!(bad.status, 400, "[{b}]");
        assert!(bad.body.contains("page"), "[{b}] names the field: {}", bad.body);
    }
}

#[tokio::test]
async fn pumasi_groups_plans_and_money_refuse_by_rule() {
    for s in servers().await {
        let b = &s.backend;
        let center = s.org_id("C-11215-01").await;
        let mut c = signed_in(&s, "staff").await;
        let f1 = family(&s, center, "김가네").await;
        let f2 = family(&s, center, "이가네").await;
        member(&s, center, "김엄마", Some(f1)).await;
        member(&s, center, "이아빠", Some(f2)).await;

        let groups = s.count("pumasi_groups").await;
        let r = c
            .post_form("/pumasi/groups", &[("name", "혼자놀이"), ("kind", "play"), ("families", &f1.to_string())])
            .await;
        assert_eq!(r.status, 409, "[{b}]");
        assert!(r.body.contains("2가정 이상이어야 합니다") && r.body.contains("PM-09"), "[{b}] {}", r.body);
        assert_eq!(s.count("pumasi_groups").await, groups, "[{b}] nothing written");

        let fams = format!("{f1},{f2}");
        let r = c.post_form("/pumasi/groups", &[("name", "블록놀이방"), ("kind", "play"), ("families", &fams)]).await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let gid: i64 =
            r.location.unwrap().trim_start_matches("/pumasi/groups/").split('?').next().unwrap().parse().unwrap();

        // A plan for a month that has started is refused (PM-12).
        let r = c
            .post_form(
                &format!("/pumasi/groups/{gid}/plans"),
                &[("month", "2026-01"), ("purpose", "놀이"), ("activities", "1주 블록")],
            )
            .await;
        assert_eq!(r.status, 409, "[{b}]");
        assert!(r.body.contains("PM-12") && r.body.contains("그 달이 시작되기 전에"), "[{b}] {}", r.body);

        // Snacks are refused (PM-17); materials without an approved plan are refused (PM-06).
        let exp = |cat: &'static str| {
            [
                ("spent_on", "2026-03-04"),
                ("category", cat),
                ("amount", "10000"),
                ("receipt_no", "R-1"),
                ("description", "간식"),
            ]
        };
        let r = c.post_form(&format!("/pumasi/groups/{gid}/expenses"), &exp("snacks")).await;
        assert_eq!(r.status, 409, "[{b}]");
        assert!(r.body.contains("간식·다과는 품앗이 활동비로 지원할 수 없습니다") && r.body.contains("PM-17"), "[{b}]");
        let r = c.post_form(&format!("/pumasi/groups/{gid}/expenses"), &exp("materials")).await;
        assert_eq!(r.status, 409, "[{b}]");
        assert!(r.body.contains("PM-06"), "[{b}] {}", r.body);
        assert_eq!(s.count("pumasi_expenses").await, 0, "[{b}] nothing written");

        // A plan for a far month goes through the 4 steps; staff cannot sign step 2.
        let r = c
            .post_form(
                &format!("/pumasi/groups/{gid}/plans"),
                &[("month", "2099-03"), ("purpose", "놀이"), ("activities", "1주 블록")],
            )
            .await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let plan = gajok_store::nanumteo::pumasi::plan_for(&s.app.store, gid, "2099-03").await.unwrap().unwrap();
        assert_eq!(c.post_form(&format!("/pumasi/plans/{}/sign", plan.id), &[]).await.status, 403, "[{b}] staff");
        let mut m = signed_in(&s, "manager").await;
        for _ in 0..3 {
            assert_eq!(m.post_form(&format!("/pumasi/plans/{}/sign", plan.id), &[]).await.status, 303, "[{b}]");
        }
        let page = m.get(&format!("/pumasi/groups/{gid}")).await;
        assert!(page.body.contains("결재 완료"), "[{b}] approved");
        // Both families are dual-income: not a mix, so the cap is 30,000 (PM-06).
        assert!(page.body.contains("30,000원") && page.body.contains("PM-06"), "[{b}] cap shown");
        let money = s.app.pumasi_money(center, "2099-03").await.unwrap();
        assert_eq!((money.approved_groups, money.cap), (1, 30_000), "[{b}]");
        let over = [
            ("spent_on", "2099-03-04"),
            ("category", "materials"),
            ("amount", "30001"),
            ("receipt_no", "R-2"),
            ("description", "색종이"),
        ];
        let r = c.post_form(&format!("/pumasi/groups/{gid}/expenses"), &over).await;
        assert_eq!(r.status, 409, "[{b}]");
        assert!(r.body.contains("30,000원") && r.body.contains("남은 금액 30,000원"), "[{b}] {}", r.body);
        let ok = [
            ("spent_on", "2099-03-04"),
            ("category", "materials"),
            ("amount", "25000"),
            ("receipt_no", "R-3"),
            ("description", "색종이"),
        ];
        assert_eq!(c.post_form(&format!("/pumasi/groups/{gid}/expenses"), &ok).await.status, 303, "[{b}]");
    }
}
