//! A center's daily work end to end on every backend: registering members with consent,
//! searching, programs and weekly sessions, attendance for a whole session, the counts on
//! the monthly report, its workflow up the chain, the locked month, the roll-up, CSV.

mod common;

use common::{Client, TestServer, servers, signed_in};

async fn register(c: &mut Client, fields: &[(&str, &str)]) -> common::Resp {
    let mut all: Vec<(&str, &str)> = fields.to_vec();
    for (k, v) in [("sex", "female"), ("consent_collection", "agree")] {
        if !fields.iter().any(|(f, _)| *f == k) {
            all.push((k, v));
        }
    }
    c.post_form("/members", &all).await
}

fn id_from(location: &Option<String>, prefix: &str) -> i64 {
    let l = location.as_deref().unwrap_or_default();
    l.trim_start_matches(prefix)
        .split(['?', '/'])
        .next()
        .unwrap_or_default()
        .parse()
        .unwrap_or_else(|_| panic!("no id in {l}"))
}

#[tokio::test]
async fn registration_consent_duplicates_search_and_masking() {
    for s in servers().await {
        let b = &s.backend;
        let mut c = signed_in(&s, "staff").await;
        // Refusing the required consent blocks registration, and says why.
        let before = s.count("members").await;
        let r = c
            .post_form(
                "/members",
                &[
                    ("name", "김민수"),
                    ("birth_date", "1985-04-02"),
                    ("sex", "male"),
                    ("consent_collection", "disagree"),
                ],
            )
            .await;
        assert_eq!(r.status, 422, "[{b}]");
        assert!(r.body.contains("필수 항목(개인정보 수집·이용)에 동의하지 않으면 등록할 수 없습니다"), "[{b}]");
        assert_eq!(s.count("members").await, before, "[{b}] nothing written");

        // A child under 14 needs the guardian's consent.
        let r = register(&mut c, &[("name", "김하늘"), ("birth_date", "2019-06-01")]).await;
        assert_eq!(r.status, 422, "[{b}]");
        assert_eq!(
            r.body.matches("만 14세 미만은 법정대리인 정보가 필요합니다").count(),
            2,
            "[{b}] relation and phone"
        );
        let r = register(
            &mut c,
            &[
                ("name", "김하늘"),
                ("birth_date", "2019-06-01"),
                ("guardian_name", "김민수"),
                ("guardian_relation", "부"),
                ("guardian_phone", "010-2222-3333"),
                ("new_family", "on"),
            ],
        )
        .await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let child = id_from(&r.location, "/members/");
        let page = c.get(&format!("/members/{child}")).await;
        assert!(page.body.contains("법정대리인 서명") && page.body.contains("김하늘 가족"), "[{b}]");

        // An adult with third-party provision to the ministry and the agency.
        let r = register(
            &mut c,
            &[
                ("name", "김민수"),
                ("birth_date", "1985-04-02"),
                ("sex", "male"),
                ("phone", "01055556666"),
                ("consent_third_party", "agree"),
                ("tp_mogef", "on"),
                ("tp_kihf", "on"),
            ],
        )
        .await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let adult = id_from(&r.location, "/members/");
        // The same person again: the duplicate choice, nothing written yet.
        let n = s.count("members").await;
        let r = register(
            &mut c,
            &[("name", "김민수"), ("birth_date", "1985-04-02"), ("sex", "male"), ("phone", "010-5555-6666")],
        )
        .await;
        assert_eq!(r.status, 409, "[{b}]");
        assert!(
            r.body.contains("이미 등록된 이용자일 수 있습니다") && r.body.contains(&format!("/members/{adult}")),
            "[{b}]"
        );
        assert_eq!(s.count("members").await, n, "[{b}]");
        // "Someone else": registered with confirm_new.
        let r = register(
            &mut c,
            &[
                ("name", "김민수"),
                ("birth_date", "1985-04-02"),
                ("sex", "male"),
                ("phone", "010-5555-6666"),
                ("confirm_new", "on"),
            ],
        )
        .await;
        assert_eq!(r.status, 303, "[{b}]");

        // Search: a 2-syllable fragment, initials, phone digits; the list is masked.
        let list = c.get("/members?q=민수").await;
        assert!(list.body.contains("김*수") && !list.body.contains("김민수"), "[{b}] masked");
        assert!(list.body.contains("총 2명"), "[{b}]");
        assert!(c.get("/members?q=ㄱㅎㄴ").await.body.contains("김*늘"), "[{b}] 초성");
        assert!(c.get("/members?q=5566").await.body.contains("총 2명"), "[{b}] phone");
        // The detail is an access-logged read.
        let seq = gajok_store::access_log::last_seq(&s.app.store).await.unwrap();
        let page = c.get(&format!("/members/{adult}")).await;
        assert!(page.body.contains("김민수") && page.body.contains("010-5555-6666"), "[{b}]");
        assert!(page.body.contains("mogef, kihf"), "[{b}] recipients shown");
        assert_eq!(gajok_store::access_log::last_seq(&s.app.store).await.unwrap(), seq + 1, "[{b}]");

        // Another center's staff cannot open it.
        let mut other = signed_in(&s, "dobong").await;
        assert_eq!(other.get(&format!("/members/{adult}")).await.status, 404, "[{b}]");

        // Withdrawal of the required consent: recorded, member restricted, not deleted.
        let cid: i64 = gajok_store::people::consents(s.app.store.reader(), adult).await.unwrap()[0].id;
        let r = c.post_form(&format!("/members/{adult}/consents/{cid}/withdraw"), &[("reason", "본인 요청")]).await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let page = c.get(&format!("/members/{adult}")).await;
        assert!(
            page.body.contains("철회됨") && page.body.contains("새 프로그램 참여와 출석 기록이 제한됩니다"),
            "[{b}]"
        );
        let consents = gajok_store::people::consents(s.app.store.reader(), adult).await.unwrap();
        assert!(
            consents[0].withdrawn_at.is_some() && consents[0].withdrawal_reason.as_deref() == Some("본인 요청"),
            "[{b}]"
        );
    }
}

async fn setup_program(s: &TestServer, c: &mut Client) -> (i64, Vec<i64>) {
    let r = c
        .post_form(
            "/programs",
            &[
                ("year", "2026"),
                ("area", "education"),
                ("name", "부모교육"),
                ("target_real", "10"),
                ("target_cumulative", "40"),
                ("target_sessions", "4"),
                ("target_hours", "8"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "[{}] {}", s.backend, r.body);
    let program = id_from(&r.location, "/programs/");
    let mut members = Vec::new();
    for (i, name) in ["박서연", "최도윤", "정하은"].iter().enumerate() {
        let birth = format!("198{i}-01-01");
        let r = register(c, &[("name", name), ("birth_date", &birth), ("confirm_new", "on")]).await;
        assert_eq!(r.status, 303, "[{}] {}", s.backend, r.body);
        members.push(id_from(&r.location, "/members/"));
    }
    let ids = members.iter().map(|m| m.to_string()).collect::<Vec<_>>().join(", ");
    let r = c.post_form(&format!("/programs/{program}/enrol"), &[("member_ids", &ids)]).await;
    assert_eq!(r.status, 303, "[{}] {}", s.backend, r.body);
    (program, members)
}

#[tokio::test]
async fn sessions_attendance_counts_and_the_report_workflow() {
    for s in servers().await {
        let b = &s.backend;
        let center = s.org_id("C-11215-01").await;
        let mut staff = signed_in(&s, "staff").await;
        let (program, m) = setup_program(&s, &mut staff).await;

        // Weekly on Thursdays in September 2026: 추석 (24th) is skipped.
        let r = staff
            .post_form(
                &format!("/programs/{program}/sessions"),
                &[
                    ("start_date", "2026-09-01"),
                    ("end_date", "2026-09-30"),
                    ("weekday", "thu"),
                    ("start_time", "19:00"),
                    ("hours", "2"),
                ],
            )
            .await;
        assert_eq!(r.status, 200, "[{b}] {}", r.body);
        assert!(r.body.contains("회기 3건을 등록했습니다"), "[{b}]");
        // A date outside the fiscal year is refused with the field named.
        let r =
            staff.post_form(&format!("/programs/{program}/sessions"), &[("date", "2025-12-30"), ("hours", "2")]).await;
        assert_eq!(r.status, 422, "[{b}]");
        assert!(r.body.contains("프로그램의 회계연도(1월~12월) 밖의 날짜입니다"), "[{b}]");

        let sessions = gajok_store::programs::sessions(&s.app.store, program).await.unwrap();
        assert_eq!(
            sessions.iter().map(|x| x.date.as_str()).collect::<Vec<_>>(),
            ["2026-09-03", "2026-09-10", "2026-09-17"],
            "[{b}]"
        );
        let (s1, s2) = (sessions[0].id, sessions[1].id);

        // The whole room at once.
        let sheet = staff.get(&format!("/sessions/{s1}")).await;
        assert!(sheet.body.contains("박서연") && sheet.body.contains("모두 출석"), "[{b}]");
        let a = |i: usize| format!("a_{}", m[i]);
        let r = staff
            .post_form(
                &format!("/sessions/{s1}/attendance"),
                &[(&a(0), "present"), (&a(1), "present"), (&a(2), "absent")],
            )
            .await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let r = staff
            .post_form(
                &format!("/sessions/{s2}/attendance"),
                &[(&a(0), "present"), (&a(1), "excused"), (&a(2), "present")],
            )
            .await;
        assert_eq!(r.status, 303, "[{b}]");
        // A member not enrolled is refused, nothing written.
        let stranger =
            register(&mut staff, &[("name", "이방인"), ("birth_date", "1970-01-01"), ("confirm_new", "on")]).await;
        let stranger = id_from(&stranger.location, "/members/");
        let before = s.count("attendance").await;
        let r = staff
            .post_form(
                &format!("/sessions/{s1}/attendance"),
                &[(&format!("a_{stranger}"), "present"), (&a(2), "present")],
            )
            .await;
        assert_eq!(r.status, 422, "[{b}]");
        assert!(r.body.contains("이 프로그램에 등록되지 않은 이용자입니다"), "[{b}]");
        assert_eq!(s.count("attendance").await, before, "[{b}]");
        // Open event head count on the third session.
        let r = staff
            .post_form(
                &format!("/sessions/{}/head-counts", sessions[2].id),
                &[("head_adult", "7"), ("head_child", "5")],
            )
            .await;
        assert_eq!(r.status, 303, "[{b}]");

        // The report: 3 real persons (all new in September), 연인원 4 named + 12 counted.
        let rep = staff.json("GET", "/api/v1/me", None).await;
        assert_eq!(rep.status, 200);
        let page = staff.get(&format!("/reports/monthly?center={center}&month=2026-09")).await;
        assert!(page.body.contains("부모교육") && page.body.contains("가족교육"), "[{b}]");
        let report = s.app.monthly_report(&principal(&s, "manager").await, center, "2026-09").await.unwrap();
        let total = report.lines.iter().find(|l| l.level == "total").unwrap();
        assert_eq!((total.month.sessions, total.month.minutes), (3, 360), "[{b}]");
        assert_eq!(total.month.real_new, 3, "[{b}]");
        assert_eq!(total.month.cumulative, 4, "[{b}]");
        assert_eq!(total.month.open_persons, 12, "[{b}]");
        // Correction: s2's attendance of m[2] is removed; 실인원 drops to 2 (m[2] only attended s2).
        let r = staff.post_form(&format!("/sessions/{s2}/attendance"), &[(&a(2), "")]).await;
        assert_eq!(r.status, 303, "[{b}]");
        let report = s.app.monthly_report(&principal(&s, "manager").await, center, "2026-09").await.unwrap();
        let total = report.lines.iter().find(|l| l.level == "total").unwrap();
        assert_eq!((total.month.real_new, total.month.cumulative), (2, 3), "[{b}]");

        // CSV with a BOM, Korean headers.
        let csv = staff.get(&format!("/reports/monthly.csv?center={center}&month=2026-09")).await;
        assert!(csv.body.starts_with('\u{feff}'), "[{b}] BOM");
        assert!(csv.body.contains("부모교육") && csv.body.contains("실인원"), "[{b}]");
        assert!(csv.headers["content-disposition"].to_str().unwrap().contains("filename*=UTF-8''"), "[{b}]");

        // Staff cannot submit; the manager can, and the month locks.
        let r = staff.post_form(&format!("/reports/monthly/{center}/2026-09/submit"), &[]).await;
        assert_eq!(r.status, 403, "[{b}]");
        let mut manager = signed_in(&s, "manager").await;
        let r = manager.post_form(&format!("/reports/monthly/{center}/2026-09/submit"), &[]).await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let r = staff.post_form(&format!("/sessions/{s1}/attendance"), &[(&a(2), "present")]).await;
        assert_eq!(r.status, 409, "[{b}] locked month refuses edits");
        assert!(r.body.contains("월간실적이 제출되어"), "[{b}]");
        let sheet = staff.get(&format!("/sessions/{s1}")).await;
        assert!(sheet.body.contains("제출되어 수정할 수 없습니다"), "[{b}]");

        // The district official returns it with a reason; staff can correct again.
        let mut district = signed_in(&s, "gwangjin").await;
        let r =
            district.post_form(&format!("/reports/monthly/{center}/2026-09/review"), &[("decision", "return")]).await;
        assert_eq!(r.status, 422, "[{b}] a return needs a reason");
        let r = district
            .post_form(
                &format!("/reports/monthly/{center}/2026-09/review"),
                &[("decision", "return"), ("comment", "연인원 확인 바랍니다")],
            )
            .await;
        assert_eq!(r.status, 303, "[{b}]");
        let r = staff.post_form(&format!("/sessions/{s1}/attendance"), &[(&a(2), "present")]).await;
        assert_eq!(r.status, 303, "[{b}] returned month is open again");
        // Resubmitted, then approved along the chain.
        assert_eq!(manager.post_form(&format!("/reports/monthly/{center}/2026-09/submit"), &[]).await.status, 303);
        let mut province = signed_in(&s, "seoul").await;
        let r =
            province.post_form(&format!("/reports/monthly/{center}/2026-09/review"), &[("decision", "approve")]).await;
        assert_eq!(r.status, 403, "[{b}] the province waits for the district");
        assert_eq!(
            district
                .post_form(&format!("/reports/monthly/{center}/2026-09/review"), &[("decision", "approve")])
                .await
                .status,
            303
        );
        assert_eq!(
            province
                .post_form(&format!("/reports/monthly/{center}/2026-09/review"), &[("decision", "approve")])
                .await
                .status,
            303
        );
        let mut agency = signed_in(&s, "kihf").await;
        assert_eq!(
            agency
                .post_form(&format!("/reports/monthly/{center}/2026-09/review"), &[("decision", "approve")])
                .await
                .status,
            303
        );
        let page = agency.get(&format!("/reports/monthly?center={center}&month=2026-09")).await;
        assert!(page.body.contains("진흥원 접수") && page.body.contains("연인원 확인 바랍니다"), "[{b}] history shown");

        // The province's roll-up shows the center with its figures and status.
        let seoul = s.org_id("11").await;
        let roll = province.get(&format!("/reports/rollup?unit={seoul}&month=2026-09")).await;
        assert!(roll.body.contains("광진구가족센터") && roll.body.contains("진흥원 접수"), "[{b}]");
        let r = s.app.rollup(&principal(&s, "seoul").await, seoul, "2026-09").await.unwrap();
        assert_eq!(r.total_month.real_new, 3, "[{b}] roll-up equals the center");
        assert_eq!(r.total_month.cumulative, 4, "[{b}]");
        // Busan's official does not see Seoul.
        let mut busan = signed_in(&s, "busan").await;
        assert_eq!(busan.get(&format!("/reports/rollup?unit={seoul}&month=2026-09")).await.status, 404, "[{b}]");
        assert_eq!(busan.get(&format!("/reports/monthly?center={center}&month=2026-09")).await.status, 404, "[{b}]");
    }
}

async fn principal(s: &TestServer, username: &str) -> gajok_app::Principal {
    let user = gajok_store::users::by_username(&s.app.store, username).await.unwrap().unwrap();
    let roles = gajok_store::users::roles(s.app.store.reader(), user.id).await.unwrap();
    gajok_app::Principal { user, roles, client_addr: None, via: gajok_app::principal::AuthVia::Session }
}

#[tokio::test]
async fn survey_averages() {
    for s in servers().await {
        let b = &s.backend;
        let mut staff = signed_in(&s, "staff").await;
        let (program, _) = setup_program(&s, &mut staff).await;
        for scores in [[5, 4, 3, 5, 4, 5, 5], [4, 4, 4, 4, 4, 4, 3]] {
            let mut f: Vec<(String, String)> =
                scores.iter().enumerate().map(|(i, v)| (format!("q{}", i + 1), v.to_string())).collect();
            f.push(("_csrf".into(), staff.csrf()));
            assert_eq!(staff.post_form_raw(&format!("/programs/{program}/surveys"), &f).await.status, 303, "[{b}]");
        }
        let mut bad: Vec<(String, String)> = (1..=7).map(|i| (format!("q{i}"), "6".to_string())).collect();
        bad.push(("_csrf".into(), staff.csrf()));
        let r = staff.post_form_raw(&format!("/programs/{program}/surveys"), &bad).await;
        assert_eq!(r.status, 422, "[{b}]");
        let page = staff.get(&format!("/programs/{program}")).await;
        assert!(page.body.contains("응답 2건"), "[{b}]");
        assert!(page.body.contains("4.50") && page.body.contains("3.50"), "[{b}] averages of items 1 and 3");
    }
}

#[tokio::test]
async fn monthly_plan_and_compliance_on_the_dashboard() {
    for s in servers().await {
        let b = &s.backend;
        let mut staff = signed_in(&s, "staff").await;
        let (program, _) = setup_program(&s, &mut staff).await;
        // A plan for October 2026 is due 20 September; submitted now it is late but kept.
        let page = staff.get("/plans/monthly?month=2026-10").await;
        assert!(page.body.contains("2026. 9. 20.") && page.body.contains("부모교육"), "[{b}]");
        let r = staff
            .post_form(
                "/plans/monthly",
                &[("month", "2026-10"), (&format!("s_{program}"), "x"), (&format!("n_{program}"), "10")],
            )
            .await;
        assert_eq!(r.status, 422, "[{b}]");
        let r = staff
            .post_form(
                "/plans/monthly",
                &[("month", "2026-10"), (&format!("s_{program}"), "4"), (&format!("n_{program}"), "12")],
            )
            .await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let page = staff.get("/plans/monthly?month=2026-10").await;
        assert!(page.body.contains("기한 후 제출") && page.body.contains("value=\"12\""), "[{b}]");

        // Family Love Day: Wednesdays from January to mid-March, 2 hours: 10+ sessions, 20+ hours.
        let r = staff
            .post_form(
                "/programs",
                &[
                    ("year", "2026"),
                    ("area", "culture"),
                    ("common_program", "family_love_day"),
                    ("name", "가족사랑의 날"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let flday = id_from(&r.location, "/programs/");
        let before = staff.get("/").await;
        assert!(before.body.contains("공통사업 이행 점검"), "[{b}]");
        let r = staff
            .post_form(
                &format!("/programs/{flday}/sessions"),
                &[("start_date", "2026-01-07"), ("end_date", "2026-03-18"), ("weekday", "wed"), ("hours", "2")],
            )
            .await;
        assert_eq!(r.status, 200, "[{b}]");
        let out = gajok_app::compliance::evaluate(
            &s.app.store,
            s.org_id("C-11215-01").await,
            2026,
            gajok_domain::time::parse_date("2026-11-21").unwrap(),
        )
        .await
        .unwrap();
        let fl = out.iter().find(|o| o.id == "family_love_day").unwrap();
        assert_eq!(fl.verdict, gajok_app::compliance::Verdict::Met, "[{b}] {}", fl.detail_ko);
        let men = out.iter().find(|o| o.id == "men_education").unwrap();
        assert_eq!(men.verdict, gajok_app::compliance::Verdict::AtRisk, "[{b}] {}", men.detail_ko);
        let areas = out.iter().find(|o| o.id == "areas").unwrap();
        assert!(areas.detail_ko.contains("care") && areas.detail_ko.contains("community"), "[{b}] {}", areas.detail_ko);
        // After the year ends, the same shortfall is missed.
        let out = gajok_app::compliance::evaluate(
            &s.app.store,
            s.org_id("C-11215-01").await,
            2026,
            gajok_domain::time::parse_date("2027-01-05").unwrap(),
        )
        .await
        .unwrap();
        assert_eq!(
            out.iter().find(|o| o.id == "men_education").unwrap().verdict,
            gajok_app::compliance::Verdict::Missed,
            "[{b}]"
        );
        let page = staff.get("/").await;
        assert!(page.body.contains("충족") && page.body.contains("미달 위험"), "[{b}]");
    }
}

#[tokio::test]
async fn staff_attach_a_simulation_to_a_family_record() {
    for s in servers().await {
        let b = &s.backend;
        let mut staff = signed_in(&s, "staff").await;
        let r = register(&mut staff, &[("name", "한부모"), ("birth_date", "1983-02-02"), ("new_family", "on")]).await;
        let member = id_from(&r.location, "/members/");
        let input = r#"{"evaluation_date": "2023-06-15", "family_type": "single_parent", "applicant": {"relation": "mother", "age_years": 40, "is_household_head": true, "reason_code": "sp02"}, "children": [{"id": "c1", "age_years": 10, "school_level": "elementary"}], "household_size": 2, "recognized_income_month": 2000000}"#;
        let events = s.count("audit_events").await;
        let r = staff
            .post_form(
                "/simulations",
                &[("member_id", &member.to_string()), ("calculator", "single-parent"), ("request_json", input)],
            )
            .await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        assert_eq!(s.count("audit_events").await, events + 1, "[{b}] audited");
        let page = staff.get(&format!("/members/{member}")).await;
        assert!(
            page.body.contains("모의계산 기록")
                && page.body.contains("eligible_general")
                && page.body.contains("2,900,000원"),
            "[{b}]"
        );
        // The result is recomputed on the server: a tampered input is refused, nothing stored.
        let bad = input.replace("2000000", "-5");
        let n = s.count("simulations").await;
        let r = staff
            .post_form(
                "/simulations",
                &[("member_id", &member.to_string()), ("calculator", "single-parent"), ("request_json", &bad)],
            )
            .await;
        assert_eq!(r.status, 422, "[{b}]");
        assert_eq!(s.count("simulations").await, n, "[{b}]");
        // Another center's staff cannot attach to this member.
        let mut other = signed_in(&s, "dobong").await;
        let r = other
            .post_form(
                "/simulations",
                &[("member_id", &member.to_string()), ("calculator", "single-parent"), ("request_json", input)],
            )
            .await;
        assert_eq!(r.status, 404, "[{b}]");
        // The simulator page offers the attach form to staff, not to anonymous visitors.
        let form = staff.get("/simulator/visiting-copay").await;
        assert_eq!(form.status, 200);
    }
}

#[tokio::test]
async fn list_exports_are_masked_and_logged() {
    for s in servers().await {
        let b = &s.backend;
        let mut staff = signed_in(&s, "staff").await;
        register(&mut staff, &[("name", "김민수"), ("birth_date", "1985-04-02"), ("phone", "010-5555-6666")]).await;
        let seq = gajok_store::access_log::last_seq(&s.app.store).await.unwrap();
        let csv = staff.get("/members/export?format=csv&reason=%EA%B5%AC%EC%B2%AD+%EC%A0%9C%EC%B6%9C").await;
        assert_eq!(csv.status, 200, "[{b}]");
        assert!(
            csv.body.starts_with('\u{feff}') && csv.body.contains("김*수") && !csv.body.contains("김민수"),
            "[{b}] masked"
        );
        assert!(!csv.body.contains("5555"), "[{b}] phone masked");
        assert_eq!(gajok_store::access_log::last_seq(&s.app.store).await.unwrap(), seq + 1, "[{b}] export logged");
        let xlsx = staff.get("/orgs/export?format=xlsx").await;
        assert_eq!(xlsx.status, 200, "[{b}]");
        assert!(xlsx.body.starts_with("PK"), "[{b}] a zip");
        let bad = staff.get("/orgs/export?format=pdf").await;
        assert_eq!(bad.status, 422, "[{b}]");
        let mut mogef = signed_in(&s, "mogef").await;
        let orgs = mogef.get("/orgs/export?format=csv&kind=province").await;
        assert_eq!(orgs.body.lines().count(), 18, "[{b}] header and 17 provinces");
        assert_eq!(mogef.get("/members/export").await.status, 403, "[{b}] officials do not download people");
    }
}
