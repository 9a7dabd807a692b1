//! HTTP tests against the real app on port 0, on every available backend: sign-in and
//! lockout, idle expiry, CSRF, forced password change, institutions, the access log and its
//! chain, API input errors, headers and language.

mod common;

use common::{PW, servers, signed_in};
use serde_json::json;

#[tokio::test]
async fn login_lockout_after_five_failures_and_unlock() {
    for s in servers().await {
        let b = &s.backend;
        let mut c = s.client();
        c.get("/login").await;
        for i in 1..=4 {
            let r = c.post_form("/login", &[("username", "staff"), ("password", "wrong-password-1")]).await;
            assert_eq!(r.status, 401, "[{b}] attempt {i}");
            assert!(r.body.contains("아이디 또는 비밀번호가 맞지 않습니다"), "[{b}] {}", r.body);
        }
        let r = c.post_form("/login", &[("username", "staff"), ("password", "wrong-password-1")]).await;
        assert_eq!(r.status, 423, "[{b}] fifth failure locks");
        assert!(r.body.contains("계정이 잠겼습니다"), "[{b}] {}", r.body);
        // Even the right password is refused while locked.
        let r = c.post_form("/login", &[("username", "staff"), ("password", PW)]).await;
        assert_eq!(r.status, 423, "[{b}] locked account refuses the right password");
        assert!(!c.cookies.contains_key("gajok_session"));

        // The administrator sees it locked and unlocks it.
        let mut admin = signed_in(&s, "admin").await;
        let uid = s.user_id("staff").await;
        let page = admin.get(&format!("/admin/users/{uid}")).await;
        assert!(page.body.contains("잠금 해제"), "[{b}] unlock button shown");
        let r = admin.post_form(&format!("/admin/users/{uid}/unlock"), &[]).await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let r = c.post_form("/login", &[("username", "staff"), ("password", PW)]).await;
        assert_eq!(r.status, 303, "[{b}] login after unlock");

        // The failures and the lock are in the audit log.
        let log = admin.get("/audit/events?entity_type=user&action=account_locked").await;
        assert!(log.body.contains("account locked"), "[{b}] {}", log.body);
    }
}

#[tokio::test]
async fn unknown_user_gets_the_same_answer() {
    for s in servers().await {
        let mut c = s.client();
        let r = c.login("nobody", "whatever-123").await;
        assert_eq!(r.status, 401, "[{}]", s.backend);
        assert!(r.body.contains("아이디 또는 비밀번호가 맞지 않습니다"));
    }
}

#[tokio::test]
async fn idle_session_expires() {
    for s in servers().await {
        let b = &s.backend;
        let mut c = signed_in(&s, "staff").await;
        assert_eq!(c.get("/").await.status, 200, "[{b}]");
        let token = c.cookies.get("gajok_session").cloned().unwrap();
        let hash = gajok_app::auth::sha256_hex(&token);
        let past = gajok_domain::time::to_db(chrono::Utc::now() - chrono::Duration::minutes(31));
        gajok_store::sessions::set_last_seen(&s.app.store, &hash, &past).await.unwrap();
        let r = c.get("/").await;
        assert_eq!(r.status, 303, "[{b}]");
        assert_eq!(r.location.as_deref(), Some("/login?expired=1"), "[{b}]");
        assert!(!c.cookies.contains_key("gajok_session"), "[{b}] cookie cleared");
        let page = c.get("/login?expired=1").await;
        assert!(page.body.contains("오랫동안 사용하지 않아 로그아웃되었습니다"), "[{b}]");
        // 29 minutes idle is still fine.
        let mut c = signed_in(&s, "staff").await;
        let token = c.cookies.get("gajok_session").cloned().unwrap();
        let recent = gajok_domain::time::to_db(chrono::Utc::now() - chrono::Duration::minutes(29));
        gajok_store::sessions::set_last_seen(&s.app.store, &gajok_app::auth::sha256_hex(&token), &recent)
            .await
            .unwrap();
        assert_eq!(c.get("/").await.status, 200, "[{b}]");
    }
}

#[tokio::test]
async fn logout_ends_the_session() {
    for s in servers().await {
        let mut c = signed_in(&s, "staff").await;
        let old = c.cookies.get("gajok_session").cloned().unwrap();
        let r = c.post_form("/logout", &[]).await;
        assert_eq!(r.status, 303);
        // Replaying the old cookie does not work.
        c.cookies.insert("gajok_session".into(), old);
        let r = c.get("/").await;
        assert_eq!(r.status, 303, "[{}]", s.backend);
    }
}

#[tokio::test]
async fn csrf_is_required_for_every_state_change() {
    for s in servers().await {
        let b = &s.backend;
        let center = s.org_id("C-11215-01").await;
        let mut c = signed_in(&s, "manager").await;
        let mut c2 = signed_in(&s, "manager").await;
        let before = s.count("audit_events").await;
        // No token.
        let r = c.post_form_raw(&format!("/orgs/{center}"), &[("name".into(), "바뀐이름".into())]).await;
        assert_eq!(r.status, 403, "[{b}]");
        assert!(r.body.contains("보안 토큰이 맞지 않습니다"), "[{b}] {}", r.body);
        // Wrong token.
        let r = c
            .post_form_raw(&format!("/orgs/{center}"), &[("name".into(), "x".into()), ("_csrf".into(), "0".repeat(64))])
            .await;
        assert_eq!(r.status, 403, "[{b}]");
        // JSON with the session cookie but no header.
        c2.cookies.remove("gajok_csrf");
        let r = c2.json("PUT", &format!("/api/v1/orgs/{center}"), Some(&json!({"name": "x"}))).await;
        assert_eq!(r.status, 403, "[{b}]");
        assert_eq!(r.json()["error"]["code"], "csrf_failed", "[{b}]");
        // Login itself needs the token too.
        let mut anon = s.client();
        let r =
            anon.post_form_raw("/login", &[("username".into(), "staff".into()), ("password".into(), PW.into())]).await;
        assert_eq!(r.status, 403, "[{b}]");
        assert_eq!(s.count("audit_events").await, before, "[{b}] nothing written");
    }
}

#[tokio::test]
async fn initial_password_must_be_changed() {
    for s in servers().await {
        let b = &s.backend;
        let mut admin = signed_in(&s, "admin").await;
        let center = s.org_id("C-11215-01").await.to_string();
        let r = admin
            .post_form(
                "/admin/users",
                &[
                    ("username", "newstaff"),
                    ("display_name", "박신입"),
                    ("phone", "010-1234-5678"),
                    ("home_org_id", &center),
                    ("initial_password", "Welcome-2026"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let uid = s.user_id("newstaff").await;
        let r = admin
            .post_form(&format!("/admin/users/{uid}/roles"), &[("role", "center_staff"), ("org_unit_id", &center)])
            .await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);

        let mut u = s.client();
        let r = u.login("newstaff", "Welcome-2026").await;
        assert_eq!(r.location.as_deref(), Some("/account/password"), "[{b}]");
        let r = u.get("/orgs").await;
        assert_eq!(r.location.as_deref(), Some("/account/password"), "[{b}] every page redirects first");
        let r = u.json("GET", "/api/v1/me", None).await;
        assert_eq!(r.status, 403, "[{b}]");
        assert_eq!(r.json()["error"]["code"], "password_change_required");
        let page = u.get("/account/password").await;
        assert!(page.body.contains("처음 발급된 비밀번호는 바꾼 뒤에 사용할 수 있습니다"), "[{b}]");
        // A weak one is refused with the field named.
        let r = u
            .post_form(
                "/account/password",
                &[("current_password", "Welcome-2026"), ("new_password", "short"), ("confirm_password", "short")],
            )
            .await;
        assert_eq!(r.status, 422, "[{b}]");
        assert!(r.body.contains("비밀번호 규칙에 맞지 않습니다"), "[{b}]");
        let r = u
            .post_form(
                "/account/password",
                &[
                    ("current_password", "Welcome-2026"),
                    ("new_password", "Better-pass-77"),
                    ("confirm_password", "Better-pass-77"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let r = u.get("/").await;
        assert_eq!(r.status, 200, "[{b}]");
        assert!(r.body.contains("박신입님, 안녕하세요"), "[{b}]");
    }
}

#[tokio::test]
async fn manager_edits_own_center_and_the_change_is_audited() {
    for s in servers().await {
        let b = &s.backend;
        let center = s.org_id("C-11215-01").await;
        let mut m = signed_in(&s, "manager").await;
        let form = m.get(&format!("/orgs/{center}/edit")).await;
        assert_eq!(form.status, 200, "[{b}]");
        assert!(form.body.contains("인허가번호는 시·군·구가 발급합니다"), "[{b}] license read-only for a manager");
        let d = s.app.store.clone();
        let unit = gajok_store::orgs::get(d.reader(), center).await.unwrap().unwrap();
        let fields = [
            ("code", "C-11215-01"),
            ("name", "광진구가족센터"),
            ("address", "서울 광진구 능동로 30길 23 2층"),
            ("phone", "07049065243"),
            ("active", "on"),
            ("version", &unit.version.to_string()),
            ("center_type", "family_center"),
            ("category", "integrated"),
            ("center_form", "independent"),
            ("operation_form", "outsourced"),
            ("funding_form", "national"),
            ("head_name", "김센터"),
            ("trustee_name", "(데모) 위탁법인"),
            ("entrustment_start", "2024-01-01"),
            ("entrustment_end", "2026-12-31"),
            ("staff_count", "15"),
            ("visitation_service", "on"),
        ];
        let r = m.post_form(&format!("/orgs/{center}"), &fields).await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let page = m.get(r.location.as_deref().unwrap()).await;
        assert!(page.body.contains("저장했습니다"), "[{b}]");
        assert!(page.body.contains("김센터"), "[{b}]");
        assert!(page.body.contains("070-4906-5243"), "[{b}] phone normalised");

        // Saving the same stale version again is a conflict, with nothing written.
        let r = m.post_form(&format!("/orgs/{center}"), &fields).await;
        assert_eq!(r.status, 409, "[{b}]");
        assert!(r.body.contains("다른 사람이 먼저 수정했습니다"), "[{b}]");

        // An outsourced center without its trustee: every missing field is named.
        let mut bad: Vec<(&str, &str)> = fields
            .iter()
            .filter(|(k, _)| !k.starts_with("trustee") && !k.starts_with("entrustment"))
            .copied()
            .collect();
        let v = (unit.version + 1).to_string();
        bad.retain(|(k, _)| *k != "version");
        bad.push(("version", &v));
        let r = m.post_form(&format!("/orgs/{center}"), &bad).await;
        assert_eq!(r.status, 422, "[{b}]");
        assert_eq!(r.body.matches("위탁 운영 센터는 반드시 입력해야 합니다").count(), 3, "[{b}]");

        // The district official sees before and after in the history.
        let mut off = signed_in(&s, "gwangjin").await;
        let page = off.get(&format!("/orgs/{center}")).await;
        assert!(page.body.contains("센터 광진구가족센터 수정"), "[{b}] {}", page.body);
        let api = off
            .json("GET", &format!("/api/v1/audit/events?entity_type=org_unit&entity_id={center}&action=update"), None)
            .await;
        let item = &api.json()["items"][0];
        assert_eq!(item["before"]["center"]["staff_count"], serde_json::Value::Null, "[{b}]");
        assert_eq!(item["after"]["center"]["staff_count"], 15, "[{b}]");
        assert_eq!(item["actor_name"], "manager", "[{b}]");
    }
}

#[tokio::test]
async fn district_official_registers_a_center() {
    for s in servers().await {
        let b = &s.backend;
        let district = s.org_id("11215").await;
        let mut off = signed_in(&s, "gwangjin").await;
        let form = off.get(&format!("/orgs/new?parent={district}")).await;
        assert_eq!(form.status, 200, "[{b}]");
        assert!(form.body.contains("센터구분"), "[{b}]");
        let r = off
            .post_form(
                "/orgs",
                &[
                    ("parent_id", &district.to_string()),
                    ("kind", "center"),
                    ("code", "c-11215-09"),
                    ("name", "광진구 새가족센터"),
                    ("center_type", "family_center"),
                    ("category", "general"),
                    ("center_form", "independent"),
                    ("operation_form", "direct"),
                    ("funding_form", "local"),
                    ("license_no", "광진-2026-001"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let page = off.get(r.location.as_deref().unwrap()).await;
        assert!(
            page.body.contains("등록했습니다")
                && page.body.contains("C-11215-09")
                && page.body.contains("광진-2026-001"),
            "[{b}]"
        );
        // Same code again: a conflict naming the code.
        let r = off
            .post_form(
                "/orgs",
                &[
                    ("parent_id", &district.to_string()),
                    ("kind", "center"),
                    ("code", "C-11215-09"),
                    ("name", "중복"),
                    ("center_type", "family_center"),
                    ("category", "general"),
                    ("center_form", "independent"),
                    ("operation_form", "direct"),
                    ("funding_form", "local"),
                ],
            )
            .await;
        assert_eq!(r.status, 409, "[{b}]");
        assert!(r.body.contains("이미 쓰이는 기관 코드입니다"), "[{b}]");
    }
}

#[tokio::test]
async fn lists_mask_and_details_are_access_logged() {
    for s in servers().await {
        let b = &s.backend;
        let mut admin = signed_in(&s, "admin").await;
        let list = admin.get("/admin/users?q=staff").await;
        assert!(list.body.contains("이*무"), "[{b}] masked name in list");
        assert!(!list.body.contains("이실무"), "[{b}] full name not in list");
        let before = gajok_store::access_log::last_seq(&s.app.store).await.unwrap();
        let uid = s.user_id("staff").await;
        let page = admin.get(&format!("/admin/users/{uid}")).await;
        assert!(page.body.contains("이실무"), "[{b}] full name on detail");
        let after = gajok_store::access_log::last_seq(&s.app.store).await.unwrap();
        assert_eq!(after, before + 1, "[{b}] one access-log entry");
        let log = admin.json("GET", &format!("/api/v1/audit/access?entity_type=user&entity_id={uid}"), None).await;
        let e = &log.json()["items"][0];
        assert_eq!(e["username"], "admin", "[{b}]");
        assert_eq!(e["action"], "view", "[{b}]");
        assert_eq!(e["client_addr"], "127.0.0.1", "[{b}]");
    }
}

#[tokio::test]
async fn access_log_tampering_is_detected_on_the_page_and_api() {
    for s in servers().await {
        let b = &s.backend;
        let mut admin = signed_in(&s, "admin").await;
        let uid = s.user_id("staff").await;
        for _ in 0..3 {
            admin.get(&format!("/admin/users/{uid}")).await;
        }
        let ok = admin.get("/audit/verify").await;
        assert!(ok.body.contains("해시 체인이 온전합니다"), "[{b}] {}", ok.body);
        s.exec("UPDATE access_log SET username = 'someone-else' WHERE seq = 2").await;
        let broken = admin.get("/audit/verify").await;
        assert!(broken.body.contains("2번째 기록에서 끊겼습니다"), "[{b}] {}", broken.body);
        let api = admin.json("GET", "/api/v1/audit/verify", None).await.json();
        assert_eq!(api["ok"], false, "[{b}]");
        assert_eq!(api["first_break"]["reason"], "hash_mismatch", "[{b}]");
    }
}

#[tokio::test]
async fn api_bad_input_names_the_field_and_writes_nothing() {
    for s in servers().await {
        let b = &s.backend;
        let mut c = signed_in(&s, "gwangjin").await;
        let district = s.org_id("11215").await;
        let units = s.count("org_units").await;
        let events = s.count("audit_events").await;

        let r = c.raw("POST", "/api/v1/orgs", "application/json", b"{\"name\": ".to_vec()).await;
        assert_eq!(r.status, 400, "[{b}]");
        assert_eq!(r.json()["error"]["code"], "malformed_json");

        let r = c
            .json(
                "POST",
                "/api/v1/orgs",
                Some(&json!({"parent_id": district, "kind": "center", "code": "X1", "name": "x", "colour": "red"})),
            )
            .await;
        assert_eq!(r.status, 400, "[{b}]");
        assert_eq!(r.json()["error"]["code"], "unknown_field");
        assert_eq!(r.json()["error"]["fields"][0]["field"], "colour");

        let r = c.json("POST", "/api/v1/orgs", Some(&json!({"parent_id": district, "kind": "center", "code": "X1", "name": "", "center_type": "castle", "category": "general", "center_form": "independent", "operation_form": "direct", "funding_form": "local", "phone": "12"}))).await;
        assert_eq!(r.status, 422, "[{b}]");
        let body = r.json();
        let fields: Vec<&str> =
            body["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
        assert!(
            fields.contains(&"name") && fields.contains(&"center_type") && fields.contains(&"phone"),
            "[{b}] {fields:?}"
        );
        let ct =
            body["error"]["fields"].as_array().unwrap().iter().find(|f| f["field"] == "center_type").unwrap().clone();
        assert_eq!(ct["allowed"], json!(["family_center", "healthy_family", "multicultural", "integrated"]), "[{b}]");
        assert_eq!(ct["label"], "센터 종류", "[{b}]");

        let r = c.raw("POST", "/api/v1/orgs", "text/plain", b"{}".to_vec()).await;
        assert_eq!(r.status, 415, "[{b}]");

        let big = format!("{{\"name\": \"{}\"}}", "가".repeat(400_000));
        let r = c.raw("POST", "/api/v1/orgs", "application/json", big.into_bytes()).await;
        assert_eq!(r.status, 413, "[{b}]");
        assert_eq!(r.json()["error"]["code"], "payload_too_large");

        let r = c.json("GET", "/api/v1/orgs?page=abc", None).await;
        assert_eq!(r.status, 400, "[{b}]");
        assert_eq!(r.json()["error"]["fields"][0]["field"], "page");

        assert_eq!(s.count("org_units").await, units, "[{b}] nothing written");
        assert_eq!(s.count("audit_events").await, events, "[{b}] nothing audited");

        // The valid request works and answers 201.
        let r = c.json("POST", "/api/v1/orgs", Some(&json!({"parent_id": district, "kind": "center", "code": "C-11215-77", "name": "API센터", "center_type": "multicultural", "category": "general", "center_form": "independent", "operation_form": "direct", "funding_form": "local", "national_funding": true, "staff_count": 7}))).await;
        assert_eq!(r.status, 201, "[{b}] {}", r.body);
        assert_eq!(r.json()["center"]["staff_count"], 7);
        assert_eq!(r.json()["center"]["national_funding"], true);
    }
}

#[tokio::test]
async fn api_token_works_without_csrf_and_can_be_revoked() {
    for s in servers().await {
        let b = &s.backend;
        let mut admin = signed_in(&s, "admin").await;
        let uid = s.user_id("gwangjin").await;
        let r = admin.json("POST", "/api/v1/tokens", Some(&json!({"user_id": uid, "name": "통계 연동"}))).await;
        assert_eq!(r.status, 201, "[{b}] {}", r.body);
        let token = r.json()["token"].as_str().unwrap().to_string();
        let tid = r.json()["id"].as_i64().unwrap();
        assert!(token.starts_with("gjk_"));

        let mut bot = s.client();
        bot.bearer = Some(token.clone());
        let me = bot.json("GET", "/api/v1/me", None).await;
        assert_eq!(me.status, 200, "[{b}]");
        assert_eq!(me.json()["username"], "gwangjin");
        let district = s.org_id("11215").await;
        let r = bot.raw("POST", "/api/v1/orgs", "application/json", json!({"parent_id": district, "kind": "center", "code": "C-11215-55", "name": "토큰센터", "center_type": "family_center", "category": "general", "center_form": "independent", "operation_form": "direct", "funding_form": "local"}).to_string().into_bytes()).await;
        assert_eq!(r.status, 201, "[{b}] bearer writes need no CSRF: {}", r.body);

        let r = admin.json("DELETE", &format!("/api/v1/tokens/{tid}"), None).await;
        assert_eq!(r.status, 204, "[{b}]");
        let me = bot.json("GET", "/api/v1/me", None).await;
        assert_eq!(me.status, 401, "[{b}]");
        assert_eq!(me.json()["error"]["code"], "unauthenticated");
    }
}

#[tokio::test]
async fn security_headers_language_and_errors() {
    for s in servers().await {
        let b = &s.backend;
        let mut c = s.client();
        let r = c.get("/login").await;
        for h in ["content-security-policy", "x-frame-options", "x-content-type-options", "referrer-policy"] {
            assert!(r.headers.contains_key(h), "[{b}] {h}");
        }
        assert_eq!(r.headers["x-frame-options"], "DENY");
        let set = r
            .headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect::<Vec<_>>()
            .join("\n");
        assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax"), "[{b}] {set}");
        let r = c.login("staff", PW).await;
        let sc = r.headers.get("set-cookie").unwrap().to_str().unwrap();
        assert!(
            sc.starts_with("gajok_session=") && sc.contains("HttpOnly") && sc.contains("SameSite=Lax"),
            "[{b}] {sc}"
        );

        let ko = c.get("/").await;
        assert!(ko.body.contains("대시보드") && ko.body.contains("<html lang=\"ko\">"), "[{b}]");
        let r = c.post_form("/lang", &[("lang", "en"), ("back", "/")]).await;
        assert_eq!(r.status, 303);
        let en = c.get("/").await;
        assert!(en.body.contains("Dashboard") && en.body.contains("Institutions"), "[{b}]");

        let nf = c.get("/no/such/page").await;
        assert_eq!(nf.status, 404, "[{b}]");
        assert!(nf.body.contains("No such address"), "[{b}]");
        let nf = c.json("GET", "/api/v1/nothing", None).await;
        assert_eq!(nf.json()["error"]["code"], "route_not_found");
        let anon = s.client().json("GET", "/api/v1/orgs", None).await;
        assert_eq!(anon.status, 401);
        assert_eq!(anon.json()["error"]["message"], "로그인이 필요합니다.");
    }
}

#[tokio::test]
async fn openapi_documents_every_api_route() {
    for s in servers().await {
        let doc = s.client().json("GET", "/api/v1/openapi.json", None).await.json();
        assert_eq!(doc["openapi"], "3.1.0");
        let paths = doc["paths"].as_object().unwrap();
        for r in s.routes.iter().filter(|r| r.path.starts_with("/api/")) {
            let m = r.method.as_str().to_ascii_lowercase();
            assert!(
                paths.get(r.path).and_then(|p| p.get(&m)).is_some(),
                "{} {} missing in openapi.json",
                r.method,
                r.path
            );
        }
        for (path, ops) in paths {
            for m in ops.as_object().unwrap().keys() {
                assert!(
                    s.routes.iter().any(|r| r.path == path && r.method.as_str().eq_ignore_ascii_case(m)),
                    "openapi.json documents {m} {path}, which is not served"
                );
            }
        }
        assert_eq!(
            doc["components"]["schemas"]["CenterDetails"]["properties"]["operation_form"]["enum"],
            json!(["outsourced", "direct", "designated"])
        );
    }
}

#[tokio::test]
async fn dashboard_by_role() {
    for s in servers().await {
        let b = &s.backend;
        let mut staff = signed_in(&s, "staff").await;
        let d = staff.get("/").await;
        assert!(d.body.contains("우리 센터") && d.body.contains("광진 공동육아나눔터 1호점"), "[{b}]");
        assert!(!d.body.contains("사용자·권한"), "[{b}] staff has no admin menu");
        let mut mogef = signed_in(&s, "mogef").await;
        let d = mogef.get("/").await;
        assert!(d.body.contains("면접교섭서비스 지원기관"), "[{b}]");
        // 14 visitation institutions nationwide in the demo.
        assert!(d.body.contains("<span class=\"stat-value\">14</span>"), "[{b}] {}", d.body);
        let list = mogef.get("/orgs?visitation=on").await;
        assert!(list.body.contains("총 14곳"), "[{b}]");
        assert!(list.body.contains("제주시가족센터") && list.body.contains("064-725-8030"), "[{b}]");
        let prov = mogef.get("/orgs?kind=province").await;
        assert!(prov.body.contains("총 17곳"), "[{b}]");
    }
}
