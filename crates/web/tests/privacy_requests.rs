//! Privacy duties over HTTP on every backend: data subjects' requests with their 10-day
//! deadline, the record frozen by a pending correction, the person's data export (their data
//! and nobody else's, access-logged), an accepted suspension restricting the member, the
//! encrypted foreigner registration number, counseling notes behind the sensitive-records
//! grant, and the public, versioned privacy policy of a center.

mod common;

use std::net::SocketAddr;

use chrono::Days;
use common::{Client, TestServer, servers, signed_in};
use gajok_app::{App, AppConfig};
use gajok_store::people::MemberData;
use sqlx::Row;

fn person(name: &str, phone: &str) -> MemberData {
    MemberData {
        name: name.into(),
        birth_date: "1984-05-06".into(),
        sex: gajok_domain::people::Sex::Female,
        phone: Some(phone.into()),
        address: Some("서울 광진구 자양로 1".into()),
        nationality: "KR".into(),
        single_parent: true,
        grandparent: false,
        multicultural: false,
        dual_income: false,
        low_income: false,
        family_id: None,
        relation: None,
        guardian_id: None,
    }
}

/// Two members of 광진구가족센터 (the staff account's center).
async fn two_members(s: &TestServer) -> (i64, i64) {
    let center = s.org_id("C-11215-01").await;
    let mut tx = s.app.store.begin().await.unwrap();
    let a =
        gajok_store::people::insert(&mut tx, center, &person("정보람", "010-1111-2222"), "2026-01-05").await.unwrap();
    let b =
        gajok_store::people::insert(&mut tx, center, &person("타인희", "010-9999-8888"), "2026-01-05").await.unwrap();
    tx.commit().await.unwrap();
    (a.id, b.id)
}

fn today() -> chrono::NaiveDate {
    gajok_domain::time::kst_date(chrono::Utc::now())
}

fn ymd(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn id_after(location: &Option<String>, prefix: &str) -> i64 {
    let l = location.as_deref().unwrap_or_default();
    l.trim_start_matches(prefix)
        .split(['?', '/'])
        .next()
        .unwrap_or_default()
        .parse()
        .unwrap_or_else(|_| panic!("no id in {l}"))
}

async fn record(c: &mut Client, member: i64, kind: &str, received: &str, details: &str) -> i64 {
    let r = c
        .post_form(
            &format!("/members/{member}/privacy-requests"),
            &[("kind", kind), ("received_on", received), ("requester", "self"), ("details", details)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    id_after(&r.location, "/privacy/requests/")
}

#[tokio::test]
async fn access_request_deadline_decision_and_the_persons_export() {
    for s in servers().await {
        let b = &s.backend;
        let (a, other) = two_members(&s).await;
        let mut c = signed_in(&s, "staff").await;

        // Bad input names the field, writes nothing.
        let before = s.count("privacy_requests").await;
        let r = c.post_form(&format!("/members/{a}/privacy-requests"), &[("kind", "access"), ("details", " ")]).await;
        assert_eq!(r.status, 422, "[{b}]");
        assert!(r.body.contains("요구 내용"), "[{b}] names the field: {}", r.body);
        let r =
            c.post_form(&format!("/members/{a}/privacy-requests"), &[("kind", "forget-me"), ("details", "x")]).await;
        assert_eq!(r.status, 422, "[{b}]");
        assert_eq!(s.count("privacy_requests").await, before, "[{b}]");

        // Received 12 days ago: the 10-day deadline passed 2 days ago.
        let received = today().checked_sub_days(Days::new(12)).unwrap();
        let due = received.checked_add_days(Days::new(10)).unwrap();
        let id = record(&mut c, a, "access", &ymd(received), "본인 정보 전체 열람 요청").await;
        let r = c.get(&format!("/privacy/requests/{id}")).await;
        assert_eq!(r.status, 200, "[{b}]");
        let shown = gajok_web::format::date(gajok_domain::text::Lang::Ko, &ymd(due));
        assert!(r.body.contains(&shown), "[{b}] deadline shown as {shown}");
        assert!(r.body.contains("기한 2일 경과"), "[{b}] overdue shown: {}", r.body);
        let r = c.get("/privacy/requests").await;
        assert!(r.body.contains("처리기한이 지난 요구 1건"), "[{b}] {}", r.body);
        assert!(r.body.contains("열람"), "[{b}]");
        // Received today: 10 days left, not overdue.
        let fresh = record(&mut c, a, "access", "", "사본 요청").await;
        assert!(c.get(&format!("/privacy/requests/{fresh}")).await.body.contains("10일 남음"), "[{b}]");
        // A future receipt date is refused.
        let tomorrow = ymd(today().checked_add_days(Days::new(1)).unwrap());
        let r = c
            .post_form(
                &format!("/members/{a}/privacy-requests"),
                &[("kind", "access"), ("received_on", &tomorrow), ("details", "x")],
            )
            .await;
        assert_eq!(r.status, 422, "[{b}]");

        // The export: everything about the person, nothing about anyone else, access-logged.
        let r = c.get(&format!("/privacy/requests/{id}/export")).await;
        assert_eq!(r.status, 200, "[{b}] {}", r.body);
        assert!(r.headers.get("content-disposition").unwrap().to_str().unwrap().contains("attachment"));
        let doc = r.json();
        assert_eq!(doc["data"]["member"][0]["name"], "정보람", "[{b}]");
        assert_eq!(doc["data"]["member"][0]["phone"], "010-1111-2222", "[{b}]");
        assert!(doc["data"]["privacy_requests"].as_array().unwrap().len() >= 2, "[{b}]");
        assert!(doc["data"]["member"][0].get("foreign_id_ct").is_none(), "[{b}] no ciphertext in exports");
        assert!(!r.body.contains("타인희") && !r.body.contains("010-9999-8888"), "[{b}] another person's data leaked");
        let logged = sqlx::query("SELECT COUNT(*) AS n FROM access_log WHERE action = 'export' AND subject_type = 'member' AND subject_id = $1")
            .bind(a.to_string())
            .fetch_one(s.app.store.reader())
            .await
            .unwrap()
            .get::<i64, _>("n");
        assert_eq!(logged, 1, "[{b}] export access-logged");
        let r = c.get(&format!("/privacy/requests/{id}/export?format=xlsx")).await;
        assert_eq!(r.status, 200, "[{b}]");
        assert!(r.headers.get("content-type").unwrap().to_str().unwrap().contains("spreadsheetml"), "[{b}]");
        assert_eq!(c.get(&format!("/privacy/requests/{id}/export?format=pdf")).await.status, 400, "[{b}]");
        let logged_twice = s.count(&format!("access_log WHERE action = 'export' AND subject_id = '{a}'")).await;
        assert_eq!(logged_twice, 2, "[{b}] every download logged");
        // Only a 열람 request has an export; another center's staff cannot see the request.
        let corr = record(&mut c, other, "correction", "", "주소 정정").await;
        assert_eq!(c.get(&format!("/privacy/requests/{corr}/export")).await.status, 409, "[{b}]");
        let mut dobong = signed_in(&s, "dobong").await;
        assert_eq!(dobong.get(&format!("/privacy/requests/{id}")).await.status, 404, "[{b}]");
        assert_eq!(dobong.get(&format!("/privacy/requests/{id}/export")).await.status, 404, "[{b}]");

        // The decision needs a reason; then the request is decided and off the pending list.
        let r =
            c.post_form(&format!("/privacy/requests/{id}/decide"), &[("decision", "accepted"), ("reason", "")]).await;
        assert_eq!(r.status, 422, "[{b}]");
        let r = c
            .post_form(
                &format!("/privacy/requests/{id}/decide"),
                &[("decision", "accepted"), ("reason", "전체 자료 제공")],
            )
            .await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let r = c.get(&format!("/privacy/requests/{id}")).await;
        assert!(r.body.contains("수용") && r.body.contains("전체 자료 제공"), "[{b}]");
        let r =
            c.post_form(&format!("/privacy/requests/{id}/decide"), &[("decision", "refused"), ("reason", "x")]).await;
        assert_eq!(r.status, 409, "[{b}] decided once");
        assert!(!c.get("/privacy/requests").await.body.contains("처리기한이 지난 요구"), "[{b}]");
        let audited = s.count("audit_events WHERE entity_type = 'privacy_request'").await;
        assert!(audited >= 4, "[{b}] requests and decisions audited: {audited}");
    }
}

#[tokio::test]
async fn a_pending_correction_freezes_the_record_until_decided() {
    for s in servers().await {
        let b = &s.backend;
        let (a, _) = two_members(&s).await;
        let mut c = signed_in(&s, "staff").await;
        let edit = |version: i64| {
            vec![
                ("name".to_string(), "정보람".to_string()),
                ("birth_date".to_string(), "1984-05-06".to_string()),
                ("sex".to_string(), "female".to_string()),
                ("phone".to_string(), "010-3333-4444".to_string()),
                ("version".to_string(), version.to_string()),
            ]
        };
        let id = record(&mut c, a, "correction", "", "전화번호 정정 요청").await;
        let m = gajok_store::people::get(s.app.store.reader(), a).await.unwrap().unwrap();
        let mut f = edit(m.version);
        f.push(("_csrf".into(), c.csrf()));
        let r = c.post_form_raw(&format!("/members/{a}"), &f).await;
        assert_eq!(r.status, 409, "[{b}]");
        assert!(r.body.contains(&format!("정정·삭제 요구 #{id}(정정,")), "[{b}] names the request: {}", r.body);
        assert!(r.body.contains("처리 중이어서 이 이용자 정보를 수정할 수 없습니다"), "[{b}]");
        let after = gajok_store::people::get(s.app.store.reader(), a).await.unwrap().unwrap();
        assert_eq!(after, m, "[{b}] nothing written");
        assert!(c.get(&format!("/members/{a}/privacy")).await.body.contains(&format!("#{id}(정정,")), "[{b}]");

        // Decided: edits work again.
        let r = c
            .post_form(&format!("/privacy/requests/{id}/decide"), &[("decision", "accepted"), ("reason", "정정함")])
            .await;
        assert_eq!(r.status, 303, "[{b}]");
        let r = c.post_form_raw(&format!("/members/{a}"), &f).await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let after = gajok_store::people::get(s.app.store.reader(), a).await.unwrap().unwrap();
        assert_eq!(after.phone.as_deref(), Some("010-3333-4444"), "[{b}]");
    }
}

#[tokio::test]
async fn an_accepted_suspension_restricts_the_member() {
    for s in servers().await {
        let b = &s.backend;
        let (a, other) = two_members(&s).await;
        let mut c = signed_in(&s, "staff").await;
        let refused = record(&mut c, other, "suspension", "", "처리정지 요청").await;
        c.post_form(
            &format!("/privacy/requests/{refused}/decide"),
            &[("decision", "refused"), ("reason", "법령상 의무 이행에 필요")],
        )
        .await;
        let id = record(&mut c, a, "suspension", "", "처리정지 요청").await;
        let r = c
            .post_form(
                &format!("/privacy/requests/{id}/decide"),
                &[("decision", "accepted"), ("reason", "요청대로 정지")],
            )
            .await;
        assert_eq!(r.status, 303, "[{b}]");
        let m = gajok_store::people::get(s.app.store.reader(), a).await.unwrap().unwrap();
        assert_eq!(m.status, gajok_domain::people::MemberStatus::Restricted, "[{b}]");
        assert!(c.get(&format!("/members/{a}")).await.body.contains("이용 제한"), "[{b}]");
        let o = gajok_store::people::get(s.app.store.reader(), other).await.unwrap().unwrap();
        assert_eq!(o.status, gajok_domain::people::MemberStatus::Active, "[{b}] a refusal changes nothing");
    }
}

#[tokio::test]
async fn an_accepted_deletion_anonymises_at_once_and_separates_what_another_law_keeps() {
    for s in servers().await {
        let b = &s.backend;
        let (a, other) = two_members(&s).await;
        let center = s.org_id("C-11215-01").await;
        // A late fee paid today: cash-book evidence for 5 more years whatever the person asks.
        let mut tx = s.app.store.begin().await.unwrap();
        gajok_store::testing::paid_late_fee(&mut tx, center, a, &ymd(today()), 2, 200).await.unwrap();
        tx.commit().await.unwrap();
        let mut c = signed_in(&s, "staff").await;
        let partly = record(&mut c, other, "deletion", "", "주소 삭제 요청").await;
        let r = c
            .post_form(
                &format!("/privacy/requests/{partly}/decide"),
                &[("decision", "partly"), ("reason", "주소만 삭제")],
            )
            .await;
        assert_eq!(r.status, 303, "[{b}]");
        let id = record(&mut c, a, "deletion", "", "제 정보를 모두 지워 주세요").await;
        let page = c.get(&format!("/privacy/requests/{id}")).await;
        assert!(page.body.contains("바로 비식별 처리합니다"), "[{b}] the form says what accepting does");
        let r = c
            .post_form(
                &format!("/privacy/requests/{id}/decide"),
                &[("decision", "accepted"), ("reason", "요구대로 삭제")],
            )
            .await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);

        let m = gajok_store::people::get(s.app.store.reader(), a).await.unwrap().unwrap();
        assert_eq!((m.name.as_str(), m.phone.as_deref()), ("(파기)", None), "[{b}] anonymised at once");
        let o = gajok_store::people::get(s.app.store.reader(), other).await.unwrap().unwrap();
        assert_eq!(o.name, "타인희", "[{b}] a partly accepted deletion is left to the staff");
        assert!(c.get(&format!("/members/{a}")).await.body.contains("(파기)"), "[{b}]");
        let kept = sqlx::query("SELECT payload_json, keep_until FROM separated_records")
            .fetch_all(s.app.store.reader())
            .await
            .unwrap();
        assert_eq!(kept.len(), 1, "[{b}] the receipt is kept apart");
        assert!(kept[0].get::<String, _>("payload_json").contains("정보람"), "[{b}] with the payer's name");
        let lines = |method: &str, kind: &str, basis: &str| {
            let store = s.app.store.clone();
            let sql = format!(
                "SELECT COUNT(*) AS n FROM destruction_register WHERE method = '{method}' AND record_kind = '{kind}' \
                 AND performed_by = 'staff' AND legal_basis LIKE '%{basis}%'"
            );
            async move { sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_one(store.reader()).await.unwrap().get::<i64, _>("n") }
        };
        assert_eq!(
            lines("anonymise", "member", "제36조").await,
            1,
            "[{b}] in the register, under Art. 36, by who decided"
        );
        assert_eq!(lines("separate", "fee_receipt", "제21조제3항").await, 1, "[{b}]");
        assert_eq!(s.count("nanumteo_loans WHERE late_fee = 200").await, 1, "[{b}] the loan stays for the counts");
        // The published policy now lists the separately kept file (PIPA Art. 30).
        let policy = s.client().get("/privacy-policy/C-11215-01").await;
        assert!(policy.body.contains("분리 보관: 장난감·도서 연체료 수납 기록"), "[{b}] {}", policy.body);
    }
}

#[tokio::test]
async fn sensitive_records_and_the_full_identifier_need_the_grant() {
    for s in servers().await {
        let b = &s.backend;
        let (a, _) = two_members(&s).await;
        let mut staff = signed_in(&s, "staff").await;
        let mut manager = signed_in(&s, "manager").await;

        // The identifier: validated, stored encrypted, shown masked.
        let r = staff.post_form(&format!("/members/{a}/foreign-id"), &[("foreign_id", "900101-1234567")]).await;
        assert_eq!(r.status, 422, "[{b}]");
        assert!(r.body.contains("외국인등록번호 형식이 아닙니다"), "[{b}]");
        let r = staff.post_form(&format!("/members/{a}/foreign-id"), &[("foreign_id", "900101-5123456")]).await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let row = sqlx::query("SELECT foreign_id_ct, foreign_id_masked FROM members WHERE id = $1")
            .bind(a)
            .fetch_one(s.app.store.reader())
            .await
            .unwrap();
        let ct: String = row.get("foreign_id_ct");
        assert!(!ct.contains("5123456") && !ct.contains("9001015123456"), "[{b}] encrypted at rest");
        let page = staff.get(&format!("/members/{a}/privacy")).await.body;
        assert!(page.contains("900101-5******") && !page.contains("5123456"), "[{b}] masked");
        let r = staff.post_form("/members/foreign-id/lookup", &[("foreign_id", "9001015123456")]).await;
        assert!(r.body.contains(&format!("/members/{a}\"")), "[{b}] exact lookup: {}", r.body);

        // Without the grant: no notes, no full value.
        for path in [format!("/members/{a}/counseling"), format!("/members/{a}/foreign-id")] {
            assert_eq!(staff.get(&path).await.status, 403, "[{b}] {path}");
        }
        let r = staff.post_form(&format!("/members/{a}/counseling"), &[("body", "상담")]).await;
        assert_eq!(r.status, 403, "[{b}]");
        // Staff cannot grant themselves; the manager can.
        assert_eq!(staff.post_form("/privacy/grants", &[("username", "staff")]).await.status, 403, "[{b}]");
        let r = manager.post_form("/privacy/grants", &[("username", "nobody-here")]).await;
        assert_eq!(r.status, 422, "[{b}]");
        let r = manager.post_form("/privacy/grants", &[("username", "dobong")]).await;
        assert_eq!(r.status, 422, "[{b}] not a worker of this center");
        let r = manager.post_form("/privacy/grants", &[("username", "staff")]).await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        assert_eq!(s.count("audit_events WHERE action = 'grant_sensitive'").await, 1, "[{b}] audited");

        // With it: notes written and read (access-logged), full value shown (access-logged).
        let r = staff
            .post_form(
                &format!("/members/{a}/counseling"),
                &[("body", "<b>위기</b> 상담 & 연계"), ("risk_suicide", "on")],
            )
            .await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let r = staff.get(&format!("/members/{a}/counseling")).await;
        assert_eq!(r.status, 200, "[{b}]");
        assert!(!r.body.contains("<b>위기"), "[{b}] escaped, not markup");
        assert!(r.body.contains("위기") && r.body.contains("상담") && r.body.contains("연계"), "[{b}] round trip");
        assert!(r.body.contains("자살 위험"), "[{b}]");
        let r = staff.get(&format!("/members/{a}/foreign-id")).await;
        assert_eq!(r.status, 200, "[{b}]");
        assert!(r.body.contains("900101-5123456"), "[{b}]");
        let logged = s
            .count(&format!(
                "access_log WHERE subject_id = '{a}' AND (detail LIKE 'counseling notes%' OR detail LIKE 'foreign registration number%')"
            ))
            .await;
        assert_eq!(logged, 2, "[{b}] both reads access-logged");
        // The audit trail holds neither the note nor the number.
        let leaked = s.count("audit_events WHERE summary LIKE '%위기%' OR after_json LIKE '%5123456%'").await;
        assert_eq!(leaked, 0, "[{b}]");

        // A value whose key is gone is named as such, not a server error.
        s.exec(&format!("UPDATE members SET foreign_id_key = 'retired' WHERE id = {a}")).await;
        let r = staff.get(&format!("/members/{a}/foreign-id")).await;
        assert_eq!(r.status, 409, "[{b}]");
        assert!(r.body.contains("이 값을 암호화한 키가 키 파일에 없습니다"), "[{b}] {}", r.body);

        // The manager's forms are shown to the manager only.
        assert!(manager.get("/privacy/requests").await.body.contains("action=\"/privacy/grants\""), "[{b}]");
        assert!(!staff.get("/privacy/requests").await.body.contains("action=\"/privacy/grants\""), "[{b}]");

        // Revoked: denied again.
        let r = manager.post_form("/privacy/grants", &[("username", "staff"), ("action", "revoke")]).await;
        assert_eq!(r.status, 303, "[{b}]");
        assert_eq!(staff.get(&format!("/members/{a}/counseling")).await.status, 403, "[{b}]");
    }
}

/// The app without identifier keys: the field is refused, never stored in plain text.
#[tokio::test]
async fn without_keys_the_identifier_is_refused() {
    let url = gajok_store::testing::sqlite_url();
    let store = gajok_store::Store::connect(&url).await.unwrap();
    gajok_store::migrate::run(&store).await.unwrap();
    let app = App::new(store, AppConfig { keys: None, ..AppConfig::for_tests() });
    app.load_demo().await.unwrap();
    let state = gajok_web::AppState::new(app.clone(), false, false).unwrap();
    let (router, routes) = gajok_web::build_router(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
    });
    let s = TestServer { backend: "sqlite".into(), base: format!("http://{addr}"), app, routes };
    let (a, _) = two_members(&s).await;
    let mut c = signed_in(&s, "staff").await;
    let r = c.post_form(&format!("/members/{a}/foreign-id"), &[("foreign_id", "900101-5123456")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("암호화 키가 설정되지 않아 고유식별정보를 저장할 수 없습니다"), "{}", r.body);
    assert_eq!(s.count("members WHERE foreign_id_ct IS NOT NULL OR foreign_id_masked IS NOT NULL").await, 0);
    assert!(c.get(&format!("/members/{a}/privacy")).await.body.contains("암호화 키가 설정되지 않아"));
}

#[tokio::test]
async fn the_privacy_policy_is_public_generated_and_versioned() {
    for s in servers().await {
        let b = &s.backend;
        let mut anon = s.client();
        let r = anon.get("/privacy-policy/C-11215-01").await;
        assert_eq!(r.status, 200, "[{b}] public: {}", r.body);
        for section in [
            "개인정보의 처리 목적",
            "개인정보의 처리 및 보유 기간",
            "처리하는 개인정보의 항목",
            "개인정보의 제3자 제공",
            "정보주체와 법정대리인의 권리·의무 및 행사방법",
            "개인정보의 파기",
            "개인정보의 안전성 확보조치",
            "개인정보 보호책임자",
            "권익침해 구제방법",
            "제1판",
        ] {
            assert!(r.body.contains(section), "[{b}] {section}");
        }
        assert!(
            r.body.contains("이용자 등록 및 관리, 서비스 신청") && r.body.contains("5년"),
            "[{b}] register and retention"
        );
        assert!(r.body.contains("열람: 요구를 받은 날부터 10일 이내 처리"), "[{b}]");
        assert!(r.body.contains("개인정보 보호책임자가 아직 지정되지 않았습니다"), "[{b}]");
        assert!(!r.body.contains("상담 내용"), "[{b}] no counseling file while the center holds none");
        // Same inputs, same version.
        assert!(anon.get("/privacy-policy/C-11215-01").await.body.contains("제1판"), "[{b}]");

        // A member agreeing to provision to MOGEF, and a named officer: new versions.
        let mut staff = signed_in(&s, "staff").await;
        let r = staff
            .post_form(
                "/members",
                &[
                    ("name", "제공동의"),
                    ("birth_date", "1980-01-02"),
                    ("sex", "male"),
                    ("consent_collection", "agree"),
                    ("consent_third_party", "agree"),
                    ("tp_mogef", "on"),
                    ("confirm_new", "on"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let r = anon.get("/privacy-policy/C-11215-01").await;
        assert!(r.body.contains("제2판") && r.body.contains("여성가족부"), "[{b}] recipients from consents");
        assert_eq!(
            staff
                .post_form("/privacy/officer", &[("name", "김보호"), ("title", "팀장"), ("phone", "02-123-4567")])
                .await
                .status,
            403,
            "[{b}]"
        );
        let mut manager = signed_in(&s, "manager").await;
        let r = manager.post_form("/privacy/officer", &[("name", "김보호"), ("title", "팀장"), ("phone", "bad")]).await;
        assert_eq!(r.status, 422, "[{b}]");
        let r = manager
            .post_form(
                "/privacy/officer",
                &[("name", "김보호"), ("title", "사무국장"), ("phone", "02-123-4567"), ("email", "privacy@example.kr")],
            )
            .await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let r = anon.get("/privacy-policy/C-11215-01").await;
        assert!(r.body.contains("제3판") && r.body.contains("김보호 (사무국장)"), "[{b}]");
        // Old versions stay readable as they were.
        let r = anon.get("/privacy-policy/C-11215-01/v/1").await;
        assert_eq!(r.status, 200, "[{b}]");
        assert!(
            r.body.contains("제1판") && r.body.contains("아직 지정되지 않았습니다") && !r.body.contains("여성가족부"),
            "[{b}]"
        );
        assert!(r.body.contains("현행 처리방침 보기"), "[{b}]");
        assert_eq!(anon.get("/privacy-policy/C-11215-01/v/99").await.status, 404, "[{b}]");
        assert_eq!(anon.get("/privacy-policy/NO-SUCH").await.status, 404, "[{b}]");
        // Only centers have a policy.
        assert_eq!(anon.get("/privacy-policy/11").await.status, 404, "[{b}]");
    }
}

/// The 나눔터 desk: everyone at the desk sees that entry is restricted; which health condition
/// is recorded (here a hepatitis B carrier, never restricted) only with the grant.
#[tokio::test]
async fn the_desk_shows_health_conditions_only_with_the_grant() {
    for s in servers().await {
        let b = &s.backend;
        let center = s.org_id("C-11215-01").await;
        let mut tx = s.app.store.begin().await.unwrap();
        let site = gajok_store::orgs::insert(
            &mut tx,
            &gajok_store::orgs::NewUnit {
                parent_id: Some(center),
                kind: gajok_domain::org::OrgKind::Site,
                code: "S-PV-1".into(),
                name: "나눔터".into(),
                address: None,
                phone: None,
            },
        )
        .await
        .unwrap()
        .id;
        let sd = gajok_store::orgs::SiteDetails { site_kind: gajok_domain::org::SiteKind::Nanumteo, note: None };
        gajok_store::orgs::put_site(&mut tx, site, &sd).await.unwrap();
        let m = gajok_store::people::insert(&mut tx, center, &person("보균자", "010-5555-6666"), "2026-01-05")
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let mut staff = signed_in(&s, "staff").await;
        let r =
            staff.post_form(&format!("/nanumteo/members/{}/health", m.id), &[("status", "hepatitis_b_carrier")]).await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let desk = format!("/nanumteo/spaces/{site}/desk?q=보균자");
        let r = staff.get(&desk).await;
        assert_eq!(r.status, 200, "[{b}] {}", r.body);
        assert!(r.body.contains("보균자") && !r.body.contains("B형간염 보균"), "[{b}] hidden without the grant");
        let mut manager = signed_in(&s, "manager").await;
        assert_eq!(manager.post_form("/privacy/grants", &[("username", "staff")]).await.status, 303, "[{b}]");
        assert!(staff.get(&desk).await.body.contains("B형간염 보균"), "[{b}] shown with the grant");
    }
}

/// Many first visitors at once publish one version, and every one of them gets the page.
#[tokio::test]
async fn concurrent_first_visits_publish_one_version() {
    for s in servers().await {
        let b = &s.backend;
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..8 {
            let mut c = s.client();
            set.spawn(async move { c.get("/privacy-policy/C-11320-01").await.status });
        }
        while let Some(st) = set.join_next().await {
            assert_eq!(st.unwrap(), 200, "[{b}]");
        }
        let center = s.org_id("C-11320-01").await;
        assert_eq!(s.count(&format!("privacy_policies WHERE center_id = {center}")).await, 1, "[{b}]");
    }
}
