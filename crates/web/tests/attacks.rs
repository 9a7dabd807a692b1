//! SQL injection and stored XSS: every free-text field that is shown again takes hostile
//! values and gives them back unchanged as text — HTML-escaped on pages, exact in JSON — and
//! the database stays intact. On SQLite and PostgreSQL.
//!
//! A field whose rule refuses `<` and `>` (a person's name) must refuse the markup payloads
//! with a message naming the field, and write nothing.

mod common;

use common::{TestServer, servers, signed_in};
use serde_json::json;

const PAYLOADS: [&str; 4] =
    ["'); DROP TABLE members;--", "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "홍길동 & <b>"];

/// What askama's HTML escaper makes of a value.
fn escaped(s: &str) -> String {
    s.replace('&', "&#38;").replace('<', "&#60;").replace('>', "&#62;").replace('"', "&#34;").replace('\'', "&#39;")
}

/// The page shows the value as text: escaped present, the raw markup absent.
fn shown_as_text(b: &str, what: &str, page: &common::Resp, value: &str) {
    assert_eq!(page.status, 200, "[{b}] {what}: {}", page.body);
    assert!(page.body.contains(&escaped(value)), "[{b}] {what}: {value:?} not shown escaped");
    assert!(!page.body.contains(value), "[{b}] {what}: {value:?} shown raw");
}

fn id_after(r: &common::Resp, prefix: &str) -> i64 {
    let l = r.location.as_deref().unwrap_or_else(|| panic!("no redirect: {} {}", r.status, r.body));
    l.trim_start_matches(prefix).split(['?', '/']).next().unwrap().parse().unwrap_or_else(|_| panic!("no id in {l}"))
}

/// The tables the payloads name still exist and hold what they held.
async fn intact(s: &TestServer, counts: &[(&str, i64)]) {
    for (table, n) in counts {
        assert_eq!(s.count(table).await, *n, "[{}] {table} intact", s.backend);
    }
}

/// A family with one member: (family id, member id).
async fn family(s: &TestServer, center: i64) -> (i64, i64) {
    let mut tx = s.app.store.begin().await.unwrap();
    let id = gajok_store::people::insert_family(&mut tx, center, "가족").await.unwrap().id;
    let d = gajok_store::people::MemberData {
        name: "가족원".into(),
        birth_date: "1988-05-06".into(),
        sex: gajok_domain::people::Sex::Female,
        phone: None,
        address: None,
        nationality: "KR".into(),
        single_parent: false,
        grandparent: false,
        multicultural: false,
        dual_income: true,
        low_income: false,
        family_id: Some(id),
        relation: None,
        guardian_id: None,
    };
    let m = gajok_store::people::insert(&mut tx, center, &d, "2026-01-05").await.unwrap().id;
    tx.commit().await.unwrap();
    (id, m)
}

#[tokio::test]
async fn member_names_and_addresses() {
    for s in servers().await {
        let b = &s.backend;
        let mut staff = signed_in(&s, "staff").await;
        for (i, p) in PAYLOADS.iter().enumerate() {
            let before = s.count("members").await;
            let address = format!("서울 {p}");
            let r = staff
                .post_form(
                    "/members",
                    &[
                        ("name", p),
                        ("birth_date", "1990-02-03"),
                        ("sex", "female"),
                        ("address", &address),
                        ("consent_collection", "agree"),
                        ("confirm_new", "on"),
                    ],
                )
                .await;
            if p.contains('<') {
                // A name never holds markup: refused, the field named, nothing written.
                assert_eq!(r.status, 422, "[{b}] {p}");
                assert!(r.body.contains("쓸 수 없는 문자가 있습니다"), "[{b}] {}", r.body);
                intact(&s, &[("members", before)]).await;
                continue;
            }
            assert_eq!(r.status, 303, "[{b}] {p}: {}", r.body);
            let id = id_after(&r, "/members/");
            intact(&s, &[("members", before + 1)]).await;
            let page = staff.get(&format!("/members/{id}")).await;
            shown_as_text(b, "member name", &page, p);
            shown_as_text(b, "member address", &page, &address);
            let api = staff.json("GET", &format!("/api/v1/members/{id}"), None).await.json();
            let m = if api.get("member").is_some() { &api["member"] } else { &api };
            assert_eq!(m["name"], json!(p), "[{b}] exact in JSON: {api}");
            assert_eq!(m["address"], json!(address), "[{b}] exact in JSON");
            // And through the JSON API, the same value in, the same value out.
            let r = staff
                .json(
                    "POST",
                    "/api/v1/members",
                    Some(&json!({"name": p, "birth_date": "1991-02-03", "sex": "male", "address": address,
                        "consent_collection": "agree", "confirm_new": true})),
                )
                .await;
            assert!(r.status == 201 || r.status == 200, "[{b}] {i} {}", r.body);
            assert_eq!(r.json()["name"], json!(p), "[{b}] exact in the JSON answer: {}", r.body);
        }
        intact(&s, &[("org_units", s.count("org_units").await)]).await;
    }
}

#[tokio::test]
async fn program_titles_and_descriptions() {
    for s in servers().await {
        let b = &s.backend;
        let center = s.org_id("C-11215-01").await.to_string();
        let mut staff = signed_in(&s, "staff").await;
        for p in PAYLOADS {
            let before = s.count("programs").await;
            let members = s.count("members").await;
            let desc = format!("설명: {p}");
            let r = staff
                .post_form(
                    "/programs",
                    &[
                        ("center_id", &center),
                        ("year", "2026"),
                        ("area", "culture"),
                        ("name", p),
                        ("description", &desc),
                    ],
                )
                .await;
            assert_eq!(r.status, 303, "[{b}] {p}: {}", r.body);
            let id = id_after(&r, "/programs/");
            intact(&s, &[("programs", before + 1), ("members", members)]).await;
            let page = staff.get(&format!("/programs/{id}")).await;
            shown_as_text(b, "program name", &page, p);
            shown_as_text(b, "program list", &staff.get("/programs?year=2026").await, p);
            let api = staff.json("GET", &format!("/api/v1/programs/{id}"), None).await.json();
            let prog = if api.get("program").is_some() { &api["program"] } else { &api };
            assert_eq!(prog["name"], json!(p), "[{b}] exact in JSON: {api}");
            assert_eq!(prog["description"], json!(desc), "[{b}] exact in JSON: {api}");
        }
    }
}

#[tokio::test]
async fn org_names_and_addresses() {
    for s in servers().await {
        let b = &s.backend;
        let center = s.org_id("C-11215-01").await.to_string();
        let mut manager = signed_in(&s, "manager").await;
        for (i, p) in PAYLOADS.iter().enumerate() {
            let before = s.count("org_units").await;
            let code = format!("S-ATK-{i}");
            let address = format!("능동로 {p}");
            let r = manager
                .post_form(
                    "/orgs",
                    &[
                        ("parent_id", &center),
                        ("kind", "site"),
                        ("code", &code),
                        ("name", p),
                        ("site_kind", "other"),
                        ("address", &address),
                    ],
                )
                .await;
            assert_eq!(r.status, 303, "[{b}] {p}: {}", r.body);
            let id = id_after(&r, "/orgs/");
            intact(&s, &[("org_units", before + 1)]).await;
            let page = manager.get(&format!("/orgs/{id}")).await;
            shown_as_text(b, "org name", &page, p);
            shown_as_text(b, "org address", &page, &address);
            let api = manager.json("GET", &format!("/api/v1/orgs/{id}"), None).await.json();
            assert_eq!(api["unit"]["name"], json!(p), "[{b}] exact in JSON: {api}");
            assert_eq!(api["unit"]["address"], json!(address), "[{b}] exact in JSON: {api}");
        }
    }
}

#[tokio::test]
async fn account_names_and_token_names() {
    for s in servers().await {
        let b = &s.backend;
        let center = s.org_id("C-11215-01").await.to_string();
        let mut admin = signed_in(&s, "admin").await;
        for (i, p) in PAYLOADS.iter().enumerate() {
            let before = s.count("users").await;
            let username = format!("atk{i}");
            let r = admin
                .post_form(
                    "/admin/users",
                    &[
                        ("username", &username),
                        ("display_name", p),
                        ("home_org_id", &center),
                        ("initial_password", "Initial-pass-1"),
                    ],
                )
                .await;
            if p.contains('<') {
                // A display name is a person's name: markup is refused, the field named.
                assert_eq!(r.status, 422, "[{b}] {p}");
                assert!(r.body.contains("쓸 수 없는 문자가 있습니다"), "[{b}] {}", r.body);
                intact(&s, &[("users", before)]).await;
                continue;
            }
            assert_eq!(r.status, 303, "[{b}] {p}: {}", r.body);
            let id = id_after(&r, "/admin/users/");
            intact(&s, &[("users", before + 1)]).await;
            shown_as_text(b, "display name", &admin.get(&format!("/admin/users/{id}")).await, p);
            let api = admin.json("GET", &format!("/api/v1/users/{id}"), None).await.json();
            assert_eq!(api["user"]["display_name"], json!(p), "[{b}] exact in JSON: {api}");
            let t = admin.post_form(&format!("/admin/users/{id}/tokens"), &[("name", p)]).await;
            assert!(t.status == 200 || t.status == 303, "[{b}] token: {} {}", t.status, t.body);
            shown_as_text(b, "token name", &admin.get("/admin/tokens").await, p);
        }
    }
}

#[tokio::test]
async fn pumasi_group_names_and_plan_texts() {
    for s in servers().await {
        let b = &s.backend;
        let center = s.org_id("C-11215-01").await;
        let mut staff = signed_in(&s, "staff").await;
        for (i, p) in PAYLOADS.iter().enumerate() {
            let (f1, m1) = family(&s, center).await;
            let (f2, _) = family(&s, center).await;
            let fams = format!("{f1},{f2}");
            let before = s.count("pumasi_groups").await;
            let r = staff.post_form("/pumasi/groups", &[("name", p), ("kind", "play"), ("families", &fams)]).await;
            assert_eq!(r.status, 303, "[{b}] {p}: {}", r.body);
            let gid = id_after(&r, "/pumasi/groups/");
            intact(&s, &[("pumasi_groups", before + 1)]).await;
            let purpose = format!("목적 {p}");
            let activities = format!("1주 {p}");
            let month = format!("2099-0{}", i + 1);
            let r = staff
                .post_form(
                    &format!("/pumasi/groups/{gid}/plans"),
                    &[("month", &month), ("purpose", &purpose), ("activities", &activities)],
                )
                .await;
            assert_eq!(r.status, 303, "[{b}] plan {p}: {}", r.body);
            let place = format!("나눔터 {p}");
            let content = format!("블록놀이 {p}");
            let r = staff
                .post_form(
                    &format!("/pumasi/groups/{gid}/activities"),
                    &[
                        ("date", "2026-03-04"),
                        ("start_time", "10:00"),
                        ("end_time", "12:00"),
                        ("place", &place),
                        ("content", &content),
                        ("attendees", &m1.to_string()),
                    ],
                )
                .await;
            assert_eq!(r.status, 303, "[{b}] activity {p}: {}", r.body);
            let page = staff.get(&format!("/pumasi/groups/{gid}")).await;
            shown_as_text(b, "group name", &page, p);
            shown_as_text(b, "plan purpose", &page, &purpose);
            shown_as_text(b, "activity place", &page, &place);
            shown_as_text(b, "activity content", &page, &content);
            shown_as_text(b, "group list", &staff.get("/pumasi").await, p);
        }
    }
}

#[tokio::test]
async fn report_comments_and_consent_withdrawal_reasons() {
    for s in servers().await {
        let b = &s.backend;
        let center = s.org_id("C-11215-01").await;
        let mut staff = signed_in(&s, "staff").await;
        let r = staff
            .post_form(
                "/members",
                &[
                    ("name", "김철수"),
                    ("birth_date", "1980-01-02"),
                    ("sex", "male"),
                    ("consent_collection", "agree"),
                    ("consent_optional", "agree"),
                    ("confirm_new", "on"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let member = id_after(&r, "/members/");
        let consents = gajok_store::people::consents(s.app.store.reader(), member).await.unwrap();
        let optional = consents
            .iter()
            .find(|c| c.withdrawn_at.is_none() && c.kind != gajok_domain::people::ConsentKind::CollectionUse)
            .map(|c| c.id);
        let cid = optional.expect("an optional consent to withdraw");
        let p = PAYLOADS[3];
        let r = staff.post_form(&format!("/members/{member}/consents/{cid}/withdraw"), &[("reason", p)]).await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let page = staff.get(&format!("/members/{member}")).await;
        assert!(!page.body.contains(p), "[{b}] reason never shown raw");
        let stored = gajok_store::people::consents(s.app.store.reader(), member).await.unwrap();
        let c = stored.iter().find(|c| c.id == cid).unwrap();
        assert_eq!(c.withdrawal_reason.as_deref(), Some(p), "[{b}] stored exactly");
        // A report comment (reopening a month) is shown on the report page.
        let mut manager = signed_in(&s, "manager").await;
        let r = manager.post_form(&format!("/reports/monthly/{center}/2026-05/submit"), &[]).await;
        assert!(r.status == 303 || r.status == 409, "[{b}] submit: {}", r.body);
        let mut district = signed_in(&s, "gwangjin").await;
        for p in PAYLOADS {
            let r = district
                .post_form(
                    &format!("/reports/monthly/{center}/2026-05/review"),
                    &[("decision", "return"), ("comment", p)],
                )
                .await;
            assert_eq!(r.status, 303, "[{b}] return with {p}: {}", r.body);
            let page = district.get(&format!("/reports/monthly?center={center}&month=2026-05")).await;
            shown_as_text(b, "report comment", &page, p);
            let r = manager.post_form(&format!("/reports/monthly/{center}/2026-05/submit"), &[]).await;
            assert_eq!(r.status, 303, "[{b}] resubmit: {}", r.body);
        }
    }
}

/// Page numbers come from the query string and may be anything; the largest once overflowed
/// the offset and aborted the request (found by Schemathesis). Every list answers normally.
#[tokio::test]
async fn huge_page_numbers_are_not_server_errors() {
    for s in servers().await {
        let b = &s.backend;
        let big = i64::MAX.to_string();
        let mut admin = signed_in(&s, "admin").await;
        let mut staff = signed_in(&s, "staff").await;
        for path in ["/api/v1/users", "/api/v1/orgs", "/api/v1/audit/events", "/api/v1/audit/access"] {
            let r = admin.json("GET", &format!("{path}?page={big}"), None).await;
            assert_eq!(r.status, 200, "[{b}] {path}: {}", r.body);
            assert_eq!(r.json()["items"], json!([]), "[{b}] {path}: an empty page");
        }
        for path in ["/admin/users", "/orgs", "/audit/access"] {
            assert_eq!(admin.get(&format!("{path}?page={big}")).await.status, 200, "[{b}] {path}");
        }
        let r = staff.json("GET", &format!("/api/v1/members?page={big}"), None).await;
        assert_eq!(r.status, 200, "[{b}] members: {}", r.body);
        assert_eq!(staff.get(&format!("/members?page={big}")).await.status, 200, "[{b}] member list");
    }
}

/// 공동육아나눔터 library: item names are shown in the open-loans table.
#[tokio::test]
async fn library_item_names() {
    for s in servers().await {
        let b = &s.backend;
        let center = s.org_id("C-11215-01").await;
        let site = s.org_id("S-11215-01-1").await;
        let mut staff = signed_in(&s, "staff").await;
        for (i, p) in PAYLOADS.iter().enumerate() {
            let (_, member) = family(&s, center).await;
            let before = s.count("nanumteo_items").await;
            let barcode = format!("ATK-{i}");
            let r = staff
                .post_form(
                    &format!("/nanumteo/spaces/{site}/items"),
                    &[("barcode", &barcode), ("kind", "toy"), ("name", p), ("lendable", "on")],
                )
                .await;
            assert_eq!(r.status, 303, "[{b}] {p}: {}", r.body);
            intact(&s, &[("nanumteo_items", before + 1)]).await;
            let r = staff
                .post_form(
                    &format!("/nanumteo/spaces/{site}/loans"),
                    &[("barcode", &barcode), ("member_id", &member.to_string()), ("loaned_on", "2026-03-03")],
                )
                .await;
            assert_eq!(r.status, 303, "[{b}] lend {p}: {}", r.body);
            shown_as_text(b, "item name", &staff.get(&format!("/nanumteo/spaces/{site}/library")).await, p);
        }
    }
}

/// Control characters in search text: PostgreSQL cannot hold a NUL in text, and a member
/// search carrying one was a server error there (found by Schemathesis). Every search and
/// filter answers normally on both backends, and a NUL in a saved text is dropped, not stored.
#[tokio::test]
async fn control_characters_in_searches_are_not_server_errors() {
    for s in servers().await {
        let b = &s.backend;
        let site = s.org_id("S-11215-01-1").await;
        let mut admin = signed_in(&s, "admin").await;
        let mut staff = signed_in(&s, "staff").await;
        let q = "%00%C3%88%1B%7F";
        for path in ["/api/v1/users", "/api/v1/orgs"] {
            let r = admin.json("GET", &format!("{path}?q={q}"), None).await;
            assert_eq!(r.status, 200, "[{b}] {path}: {}", r.body);
        }
        for path in ["/api/v1/audit/events", "/api/v1/audit/access"] {
            let r =
                admin.json("GET", &format!("{path}?actor={q}&action={q}&entity_type={q}&entity_id={q}"), None).await;
            assert_eq!(r.status, 200, "[{b}] {path}: {}", r.body);
        }
        for path in ["/admin/users", "/orgs"] {
            assert_eq!(admin.get(&format!("{path}?q={q}")).await.status, 200, "[{b}] {path}");
        }
        assert_eq!(admin.get(&format!("/audit/access?actor={q}")).await.status, 200, "[{b}] access log page");
        let r = staff.json("GET", &format!("/api/v1/members?q={q}"), None).await;
        assert_eq!(r.status, 200, "[{b}] members: {}", r.body);
        assert_eq!(staff.get(&format!("/members?q={q}")).await.status, 200, "[{b}] member list");
        let desk = staff.get(&format!("/nanumteo/spaces/{site}/desk?q={q}")).await;
        assert_eq!(desk.status, 200, "[{b}] desk search");
        let lib = staff.get(&format!("/nanumteo/spaces/{site}/library?q={q}")).await;
        assert_eq!(lib.status, 200, "[{b}] catalogue search");

        let r = staff
            .post_form(
                &format!("/nanumteo/spaces/{site}/items"),
                &[("barcode", "NUL-1"), ("kind", "toy"), ("name", "블록\u{0} 세트\u{1b}"), ("lendable", "on")],
            )
            .await;
        assert_eq!(r.status, 303, "[{b}] a name with a NUL: {}", r.body);
        let lib = staff.get(&format!("/nanumteo/spaces/{site}/library?q=NUL-1")).await;
        assert!(lib.body.contains("블록 세트"), "[{b}] the name without its control characters");
    }
}
