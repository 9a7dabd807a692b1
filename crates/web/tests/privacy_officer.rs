//! The privacy officer's duties (issue 6): the destruction register page, the monthly
//! access-log review with anomaly flags and sign-off, download reasons, and the per-address
//! login limit. On SQLite and PostgreSQL.

mod common;

use std::net::SocketAddr;

use common::{PW, TestServer, servers, signed_in};
use gajok_app::{App, AppConfig};
use gajok_store::access_log::{self, NewAccess};
use gajok_store::audit::Actor;
use gajok_store::{Store, migrate, testing};
use gajok_web::{AppState, build_router};

async fn member_registered_on(s: &TestServer, center: i64, day: &str) -> i64 {
    named_member_registered_on(s, center, "박오래", day).await
}

async fn named_member_registered_on(s: &TestServer, center: i64, name: &str, day: &str) -> i64 {
    let d = gajok_store::people::MemberData {
        name: name.into(),
        birth_date: "1970-03-04".into(),
        sex: gajok_domain::people::Sex::Female,
        phone: None,
        address: None,
        nationality: "KR".into(),
        single_parent: false,
        grandparent: false,
        multicultural: false,
        dual_income: false,
        low_income: false,
        family_id: None,
        relation: None,
        guardian_id: None,
    };
    let mut tx = s.app.store.begin().await.unwrap();
    let m = gajok_store::people::insert(&mut tx, center, &d, day).await.unwrap();
    tx.commit().await.unwrap();
    m.id
}

#[tokio::test]
async fn destruction_register_page_shows_what_how_many_basis_when_and_approver() {
    for s in servers().await {
        let b = &s.backend;
        let center = s.org_id("C-11215-01").await;
        for _ in 0..2 {
            member_registered_on(&s, center, "2015-02-01").await;
        }
        let today = gajok_domain::time::kst_date(chrono::Utc::now());
        let run = s.app.retention_run(today, Some("개인정보 보호책임자 김센터")).await.unwrap();
        let ours = run.batches.iter().find(|c| c.center_id == center).expect("a batch for 광진").members;
        assert!(ours >= 2, "[{b}] {run:?}");

        let mut manager = signed_in(&s, "manager").await;
        let page = manager.get("/privacy/destructions").await;
        assert_eq!(page.status, 200, "[{b}] {}", page.body);
        let body = &page.body;
        assert!(body.contains("개인정보 파기 대장"), "[{b}] title");
        assert!(body.contains("광진구가족센터"), "[{b}] which center");
        assert!(body.contains("이용자 등록 및 서비스 신청 정보"), "[{b}] what");
        assert!(body.contains(&format!("<td class=\"num\">{ours}</td>")), "[{b}] how many: {ours}");
        assert!(body.contains("비식별 처리(복원 불가)"), "[{b}] method");
        assert!(body.contains("개인정보 보호법 제21조"), "[{b}] legal basis");
        assert!(body.contains("개인정보 보호책임자 김센터"), "[{b}] approved by");
        let cutoff = gajok_web::format::date(gajok_domain::text::Lang::Ko, &run.last_expired_service_end);
        assert!(body.contains(&cutoff), "[{b}] cutoff {cutoff}, written the Korean way");
        assert!(body.contains("gajok retention run"), "[{b}] performed by");

        // Center staff are not privacy officers; Busan's official sees none of Seoul's lines.
        assert_eq!(signed_in(&s, "staff").await.get("/privacy/destructions").await.status, 403, "[{b}]");
        let busan = signed_in(&s, "busan").await.get("/privacy/destructions").await;
        assert_eq!(busan.status, 200, "[{b}]");
        assert!(!busan.body.contains("광진구가족센터") && busan.body.contains("파기 내역이 없습니다"), "[{b}]");
        // The menu offers the page to the officer.
        assert!(manager.get("/").await.body.contains("href=\"/privacy/destructions\""), "[{b}] nav");
    }
}

/// Separate storage: after the run, the officer's list shows the payer masked with the kind,
/// keep-until day and legal basis; the center's officer reads the full receipt, officials above
/// it a masked one, each read access-logged; other scopes and center staff get nothing.
#[tokio::test]
async fn separated_receipts_are_listed_masked_and_read_in_full_by_the_centers_officer_only() {
    for s in servers().await {
        let b = &s.backend;
        let center = s.org_id("C-11215-01").await;
        let payer = named_member_registered_on(&s, center, "박납부", "2015-02-01").await;
        // The last service was a toy returned late on 2020-03-10: on 2025-06-01 the member is past
        // retention while the fee's receipt is kept through 2025-12-31.
        let mut tx = s.app.store.begin().await.unwrap();
        gajok_store::testing::paid_late_fee(&mut tx, center, payer, "2020-03-10", 4, 2000).await.unwrap();
        tx.commit().await.unwrap();
        let as_of = gajok_domain::time::parse_date("2025-06-01").unwrap();
        let run = s.app.retention_run(as_of, Some("개인정보 보호책임자 김센터")).await.unwrap();
        assert_eq!(run.separated, 1, "[{b}] {run:?}");
        let keep_until = "2025. 12. 31.";

        let mut manager = signed_in(&s, "manager").await;
        let register = manager.get("/privacy/destructions").await.body;
        assert!(register.contains("href=\"/privacy/separated\""), "[{b}] linked from the register");
        assert!(register.contains("분리 보관(다른 법령에 따른 보존)"), "[{b}] the move is a register line");
        let list = manager.get("/privacy/separated").await;
        assert_eq!(list.status, 200, "[{b}] {}", list.body);
        let body = &list.body;
        assert!(body.contains("박*부") && !body.contains("박납부"), "[{b}] masked payer");
        assert!(body.contains("장난감·도서 연체료 수납 기록"), "[{b}] kind");
        assert!(body.contains(keep_until), "[{b}] keep until {keep_until}");
        assert!(body.contains("제21조제3항"), "[{b}] legal basis");
        let id: i64 =
            body.split("href=\"/privacy/separated/").nth(1).and_then(|t| t.split('"').next()).unwrap().parse().unwrap();
        let path = format!("/privacy/separated/{id}");

        let logged = |who: &'static str| {
            let store = s.app.store.clone();
            async move {
                use sqlx::Row;
                let r = sqlx::query(
                    "SELECT COUNT(*) AS n FROM access_log WHERE username = $1 AND subject_type = 'separated_record' \
                     AND subject_id = $2",
                )
                .bind(who)
                .bind(id.to_string())
                .fetch_one(store.reader())
                .await
                .unwrap();
                r.get::<i64, _>("n")
            }
        };
        let full = manager.get(&path).await;
        assert_eq!(full.status, 200, "[{b}] {}", full.body);
        let cache = full.headers.get("cache-control").and_then(|v| v.to_str().ok());
        assert_eq!(cache, Some("no-store"), "[{b}] full values are never cached");
        assert!(
            full.body.contains("박납부") && full.body.contains("2,000"),
            "[{b}] full values for the center's officer"
        );
        assert_eq!(logged("manager").await, 1, "[{b}] the read is access-logged");
        // The district official oversees the center: the record, masked (and logged).
        let district = signed_in(&s, "gwangjin").await.get(&path).await;
        assert_eq!(district.status, 200, "[{b}]");
        assert!(district.body.contains("박*부") && !district.body.contains("박납부"), "[{b}] masked for officials");
        assert_eq!(logged("gwangjin").await, 1, "[{b}]");
        // Busan's official: not in scope, neither the record nor the list line.
        let mut busan = signed_in(&s, "busan").await;
        assert_eq!(busan.get(&path).await.status, 404, "[{b}]");
        assert!(!busan.get("/privacy/separated").await.body.contains("박*부"), "[{b}]");
        assert_eq!(signed_in(&s, "staff").await.get(&path).await.status, 403, "[{b}] staff are not officers");
    }
}

fn this_month() -> String {
    gajok_domain::time::kst_date(chrono::Utc::now()).format("%Y-%m").to_string()
}

async fn append(s: &TestServer, actor: &Actor, action: &'static str, subject: &str, unit: i64, detail: &str) {
    let org = gajok_store::orgs::get(s.app.store.reader(), unit).await.unwrap().unwrap();
    let mut tx = s.app.store.begin().await.unwrap();
    access_log::append(
        &mut tx,
        actor,
        NewAccess {
            action,
            subject_type: "member",
            subject_id: subject.into(),
            org_unit_id: Some(org.id),
            org_path: org.path,
            detail: detail.into(),
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn access_review_flags_anomalies_shows_the_chain_and_signs_off_once() {
    for s in servers().await {
        let b = &s.backend;
        let own = s.org_id("C-11215-01").await;
        let busan_center = s.org_id("C-26320-01").await;
        let staff = Actor { user_id: Some(s.user_id("staff").await), username: "staff".into(), client_addr: None };
        let rules = gajok_app::privacy::access_review::rules();
        // Mass views: as many distinct records in one day as the rule's threshold.
        for i in 0..rules.mass_views_per_day.value {
            append(&s, &staff, "view", &format!("{}", 900_000 + i), own, "member detail").await;
        }
        // A large download, and a read of a record in a center the account has no role in.
        let big = format!("{} rows, masked; reason: 구청 요청", rules.large_export_rows.value);
        append(&s, &staff, "export", "-", own, &big).await;
        append(&s, &staff, "view", "777", busan_center, "member detail").await;

        let month = this_month();
        let mut manager = signed_in(&s, "manager").await;
        let page = manager.get(&format!("/privacy/access-review?month={month}")).await;
        assert_eq!(page.status, 200, "[{b}] {}", page.body);
        let body = &page.body;
        assert!(body.contains("개인정보 접속기록 점검"), "[{b}] title");
        assert!(body.contains("대량 조회"), "[{b}] mass views flagged");
        assert!(body.contains("대량 다운로드"), "[{b}] large export flagged");
        assert!(body.contains("위·변조 검증") && body.contains("class=\"alert success\""), "[{b}] chain ok");
        assert!(!body.contains("member #777"), "[{b}] the manager sees only their center's entries");
        // The ministry official reaches both centers and sees the out-of-scope read.
        let mut mogef = signed_in(&s, "mogef").await;
        let wide = mogef.get(&format!("/privacy/access-review?month={month}&flagged=1")).await;
        assert_eq!(wide.status, 200, "[{b}]");
        assert!(wide.body.contains("member #777") && wide.body.contains("담당 범위 밖"), "[{b}] outside scope");

        // The review in numbers, from the use case.
        let (_, p) = s.app.login("manager", PW, None, None).await.unwrap();
        let r = s.app.access_review(&p, None, Some(&month)).await.unwrap();
        let count = |f: &str| r.counts.iter().find(|(fl, _)| fl.code() == f).unwrap().1;
        assert!(count("mass_views") >= rules.mass_views_per_day.value, "[{b}] {:?}", r.counts);
        assert_eq!(count("large_export"), 1, "[{b}]");
        assert_eq!(count("outside_scope"), 0, "[{b}] the 777 read is not in 광진's log");
        assert!(r.chain.ok() && r.sign_off.is_none(), "[{b}]");

        // Sign-off: who, when, note; once per unit and month.
        let signed = manager
            .post_form(
                "/privacy/access-review/sign",
                &[("month", &month), ("note", "대량 조회는 연말 실적 확인으로 확인함")],
            )
            .await;
        assert_eq!(signed.status, 303, "[{b}] {}", signed.body);
        let after = manager.get(signed.location.as_deref().unwrap()).await;
        assert!(after.body.contains("점검 확인을 기록했습니다"), "[{b}] flash");
        assert!(after.body.contains("김센터") || after.body.contains("manager 님이"), "[{b}] who");
        assert!(after.body.contains("대량 조회는 연말 실적 확인으로 확인함"), "[{b}] note");
        let again = manager.post_form("/privacy/access-review/sign", &[("month", &month)]).await;
        assert_eq!(again.status, 303, "[{b}]");
        let dup = manager.get(again.location.as_deref().unwrap()).await;
        assert!(dup.body.contains("이 달의 점검은 이미 확인되었습니다"), "[{b}]");
        assert_eq!(s.count("access_reviews").await, 1, "[{b}]");
        let signoff = gajok_store::privacy::access_review::get(&s.app.store, own, &month).await.unwrap().unwrap();
        assert!(signoff.chain_ok && signoff.entries > rules.mass_views_per_day.value, "[{b}] {signoff:?}");
        assert_eq!(signoff.signed_by, "manager", "[{b}]");

        // Bad input is named, nothing written.
        let bad = manager.post_form("/privacy/access-review/sign", &[("month", "2026-13")]).await;
        assert_eq!(bad.status, 422, "[{b}]");
        assert!(bad.body.contains("기준 월"), "[{b}] the field is named: {}", bad.body);

        // A tampered entry shows on the review page.
        s.exec("UPDATE access_log SET detail = 'edited' WHERE seq = 3").await;
        let broken = manager.get(&format!("/privacy/access-review?month={month}")).await;
        assert!(broken.body.contains("class=\"alert error\""), "[{b}] chain broken shown");

        // Center staff may not open the review.
        assert_eq!(signed_in(&s, "staff").await.get("/privacy/access-review").await.status, 403, "[{b}]");
    }
}

#[tokio::test]
async fn a_download_of_personal_data_needs_a_reason_which_is_logged() {
    for s in servers().await {
        let b = &s.backend;
        let mut staff = signed_in(&s, "staff").await;
        let before = access_log::last_seq(&s.app.store).await.unwrap();
        let refused = staff.get("/members/export?format=csv").await;
        assert_eq!(refused.status, 422, "[{b}]");
        assert!(refused.body.contains("사유") && refused.body.contains("필수 항목입니다"), "[{b}] {}", refused.body);
        let blank = staff.get("/members/export?format=csv&reason=+++").await;
        assert_eq!(blank.status, 422, "[{b}] a blank reason is no reason");
        assert_eq!(access_log::last_seq(&s.app.store).await.unwrap(), before, "[{b}] nothing read, nothing logged");

        let ok = staff.get("/members/export?format=xlsx&reason=%EA%B5%AC%EC%B2%AD%20%EC%A0%9C%EC%B6%9C").await;
        assert_eq!(ok.status, 200, "[{b}]");
        let f = gajok_store::audit::LogFilter {
            scopes: vec!["/".into()],
            from: None,
            to: None,
            actor: Some("staff".into()),
            action: Some("export".into()),
            entity_type: None,
            entity_id: None,
            limit: 1,
            offset: 0,
        };
        let (entries, _) = access_log::search(&s.app.store, &f).await.unwrap();
        assert!(entries[0].detail.ends_with("reason: 구청 제출"), "[{b}] {:?}", entries[0].detail);
        // The list page asks for the reason before the download buttons.
        let list = staff.get("/members").await;
        assert!(list.body.contains("name=\"reason\"") && list.body.contains("required"), "[{b}]");
    }
}

/// A server trusting X-Forwarded-For (as behind the reverse proxy), with a small limit so
/// the test stays fast: 3 failures per address in 2 seconds.
async fn limited_server(url: &str) -> String {
    let store = Store::connect(url).await.unwrap();
    migrate::run(&store).await.unwrap();
    let config =
        AppConfig { ip_max_failed_logins: 3, ip_window: std::time::Duration::from_secs(2), ..AppConfig::for_tests() };
    let app = App::new(store, config);
    app.load_demo().await.unwrap();
    let (router, _) = build_router(AppState::new(app, false, true).unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
    });
    format!("http://{addr}")
}

/// One login attempt from `addr`: (status, body, Retry-After).
async fn attempt(base: &str, addr: &str, username: &str, password: &str) -> (u16, String, Option<String>) {
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let form = http.get(format!("{base}/login")).header("x-forwarded-for", addr).send().await.unwrap();
    let csrf = form
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("gajok_csrf=").map(|v| v.split(';').next().unwrap().to_string()))
        .unwrap();
    let body = serde_urlencoded::to_string([("username", username), ("password", password), ("_csrf", &csrf)]).unwrap();
    let r = http
        .post(format!("{base}/login"))
        .header("x-forwarded-for", addr)
        .header("cookie", format!("gajok_csrf={csrf}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let retry = r.headers().get("retry-after").map(|v| v.to_str().unwrap().to_string());
    (status, r.text().await.unwrap(), retry)
}

#[tokio::test]
async fn failed_logins_from_one_address_are_limited_without_revealing_accounts() {
    for url in testing::urls().await {
        let base = limited_server(&url).await;
        let spray = "203.0.113.7";
        // Password spraying: one wrong guess each at different names, real and not.
        for name in ["staff", "manager", "no-such-user"] {
            let (status, _, _) = attempt(&base, spray, name, "Wrong-guess-1").await;
            assert_eq!(status, 401, "{url}");
        }
        // Now every attempt from the address is refused the same way, even the right password,
        // and whether or not the account exists.
        let (real, real_body, retry) = attempt(&base, spray, "gwangjin", PW).await;
        let (ghost, ghost_body, _) = attempt(&base, spray, "ghost-account", "Whatever-1").await;
        assert_eq!((real, ghost), (429, 429), "{url}");
        let msg = "이 접속지에서 로그인 실패가 너무 많습니다. 1분 후에 다시 시도하세요.";
        assert!(real_body.contains(msg) && ghost_body.contains(msg), "{url}: {real_body}");
        assert!(!real_body.contains("잠겼습니다") && !real_body.contains("맞지 않습니다"), "{url}");
        assert_eq!(retry.as_deref(), Some("60"), "{url}");
        // Another address is not affected, and the accounts themselves are not locked.
        let (other, _, _) = attempt(&base, "198.51.100.9", "gwangjin", PW).await;
        assert_eq!(other, 303, "{url}");
        // After the window the address may try again.
        tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
        let (later, _, _) = attempt(&base, spray, "gwangjin", PW).await;
        assert_eq!(later, 303, "{url}");
    }
}
