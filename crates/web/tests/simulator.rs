//! The public simulators (모의계산) and the eligibility API, on the real app: what a parent
//! sees without signing in, what a script gets from the API, and how bad input is answered.

mod common;

use common::{Client, servers};
use serde_json::{Value, json};

fn w1() -> Value {
    json!({
        "evaluation_date": "2023-06-15", "family_type": "single_parent",
        "applicant": { "relation": "mother", "age_years": 40, "is_household_head": true, "reason_code": "sp02" },
        "children": [{ "id": "c1", "age_years": 10, "school_level": "elementary" }],
        "household_size": 2, "recognized_income_month": 2_000_000
    })
}

/// A POST as curl sends it: no cookie, no CSRF token, just JSON.
async fn curl_post(base: &str, path: &str, body: &str) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(format!("{base}{path}"))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}")))
}

/// No translation key may leak into a page (a missing key renders as itself).
fn assert_translated(html: &str) {
    for marker in ["sim-", "field-", "fe-", "nav-simulator"] {
        assert!(
            !html.contains(&format!(">{marker}"))
                && !html.contains(&format!("label=\"{marker}"))
                && !html.contains(&format!("> {marker}")),
            "untranslated key {marker}… in page"
        );
    }
}

#[tokio::test]
async fn api_without_login_or_csrf_returns_results() {
    for s in servers().await {
        let (status, r) = curl_post(&s.base, "/api/v1/eligibility/single-parent", &w1().to_string()).await;
        assert_eq!(status, 200, "{}: {r}", s.backend);
        assert_eq!(r["status"], "eligible_general");
        assert_eq!(r["annual_total"], 2_900_000);
        assert_eq!(r["calendar"][5]["month"], 6);
        assert_eq!(r["calendar"][5]["total"], 200_000);

        let fc = json!({ "evaluation_date": "2018-06-01", "household_size": 3, "monthly_income": 2_652_001,
            "family_types": ["single_parent"], "children": [{ "age_years": 8 }] });
        let (status, r) = curl_post(&s.base, "/api/v1/eligibility/family-capacity", &fc.to_string()).await;
        assert_eq!(status, 200);
        assert_eq!(r["income_test"]["passed"], false, "1 won over 72 %");

        let vc = json!({ "evaluation_date": "2018-06-01", "household_size": 4,
            "health_insurance": { "subscriber_type": "employee", "monthly_premium": 84_887 } });
        let (status, r) = curl_post(&s.base, "/api/v1/eligibility/visiting-copay", &vc.to_string()).await;
        assert_eq!(status, 200);
        assert_eq!(r["copay_type"], "ga");

        // Other POSTs still need the token: the exemption is exactly this prefix.
        let (status, r) = curl_post(&s.base, "/api/v1/orgs", "{}").await;
        assert_eq!(status, 403, "{r}");
        assert_eq!(r["error"]["code"], "csrf_failed");
        // Nothing was written.
        assert_eq!(s.count("audit_events WHERE action LIKE '%eligib%'").await, 0);
    }
}

#[tokio::test]
async fn api_errors_name_the_field_in_the_standard_body() {
    for s in servers().await {
        let mut bad = w1();
        bad["family_type"] = json!("nuclear");
        let (status, r) = curl_post(&s.base, "/api/v1/eligibility/single-parent", &bad.to_string()).await;
        assert_eq!(status, 422, "{r}");
        assert_eq!(r["error"]["code"], "invalid_input");
        let f = &r["error"]["fields"][0];
        assert_eq!(f["field"], "family_type");
        assert_eq!(f["code"], "unknown_enum_value");
        assert_eq!(f["allowed"], json!(["single_parent", "grandparent"]));
        assert_eq!(f["label"], "가족 유형");
        assert!(f["message"].as_str().unwrap().contains("허용값: single_parent, grandparent"), "{f}");

        let mut neg = w1();
        neg["recognized_income_month"] = json!(-5);
        let (status, r) = curl_post(&s.base, "/api/v1/eligibility/single-parent", &neg.to_string()).await;
        assert_eq!(status, 422);
        assert_eq!(r["error"]["fields"][0]["code"], "negative_amount");

        let mut late = w1();
        late["children"][0] = json!({ "birth_date": "2023-07-01" });
        let (status, r) = curl_post(&s.base, "/api/v1/eligibility/single-parent", &late.to_string()).await;
        assert_eq!(status, 422);
        assert_eq!(r["error"]["fields"][0]["field"], "children[0].birth_date");
        assert_eq!(r["error"]["fields"][0]["code"], "birth_date_after_evaluation_date");

        let (status, r) = curl_post(&s.base, "/api/v1/eligibility/visiting-copay", "{\"household_size\": 2}").await;
        assert_eq!(status, 422);
        assert_eq!(r["error"]["fields"][0]["field"], "evaluation_date");
        assert_eq!(r["error"]["fields"][0]["code"], "missing_field");

        let (status, r) = curl_post(&s.base, "/api/v1/eligibility/family-capacity", "{not json").await;
        assert_eq!(status, 400, "{r}");
        assert_eq!(r["error"]["code"], "malformed_json");

        let r = reqwest::Client::new()
            .post(format!("{}/api/v1/eligibility/single-parent", s.base))
            .header("content-type", "text/plain")
            .header("accept-language", "en")
            .body(w1().to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 415);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"]["code"], "unsupported_media_type");
    }
}

#[tokio::test]
async fn openapi_embeds_the_rules_schemas() {
    for s in servers().await {
        let doc = s.client().json("GET", "/api/v1/openapi.json", None).await.json();
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["SingleParentInput"]["properties"]["family_type"]["enum"],
            json!(["single_parent", "grandparent"])
        );
        for name in [
            "SingleParentOutput",
            "FamilyCapacityInput",
            "FamilyCapacityOutput",
            "VisitingCopayInput",
            "VisitingCopayOutput",
        ] {
            assert!(schemas[name]["properties"].is_object(), "{name} embedded");
        }
        let op = &doc["paths"]["/api/v1/eligibility/single-parent"]["post"];
        assert_eq!(op["security"], json!([]), "public");
        assert!(op["responses"]["422"].is_object());
    }
}

#[tokio::test]
async fn anonymous_parent_simulates_single_parent_benefits_in_korean() {
    for s in servers().await {
        let mut c = Client::new(&s.base);
        let login = c.get("/login").await;
        assert!(login.body.contains("href=\"/simulator\""), "link on the login page");
        assert!(login.body.contains("모의계산"));

        let index = c.get("/simulator").await;
        assert_eq!(index.status, 200);
        assert!(index.body.contains("한부모가족 지원 모의계산"));
        assert!(index.body.contains("/simulator/visiting-copay"));
        assert_translated(&index.body);

        let form = c.get("/simulator/single-parent").await;
        assert_eq!(form.status, 200, "{}", form.body);
        assert!(form.body.contains("name=\"child5_birth_date\""), "five child rows");
        assert!(form.body.contains("name=\"_csrf\""));
        assert_translated(&form.body);

        // Divorced mother, 40, one 10-year-old at elementary school, row 2 of the children.
        let r = c
            .post_form(
                "/simulator/single-parent",
                &[
                    ("evaluation_date", "2023-06-15"),
                    ("family_type", "single_parent"),
                    ("household_size", "2"),
                    ("recognized_income_month", "2,000,000"),
                    ("applicant_relation", "mother"),
                    ("applicant_birth_date", "1983-03-02"),
                    ("reason_code", "sp02"),
                    ("is_household_head", "on"),
                    ("child2_birth_date", "2013-01-10"),
                    ("child2_school_level", "elementary"),
                ],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let b = &r.body;
        assert!(b.contains("지원 대상(한부모가족)"), "status shown");
        assert!(b.contains("200,000원"), "monthly allowance in won");
        assert!(b.contains("2,900,000원"), "annual total");
        assert!(b.contains("2,073,693원 (60%)"), "threshold");
        assert!(b.contains("2023년 12개월 지급 달력"));
        assert!(b.contains("<td>10월</td>"), "calendar month row");
        assert!(b.contains("자녀 2"), "the child keeps its row number");
        assert!(b.contains("소득인정액 2,000,000원"), "Korean trace sentence: {b}");
        assert!(b.contains("i7_general_threshold_inclusive"), "interpretation used");
        assert!(b.contains("자동차 정기·종합검사 수수료 80% 감면"), "non-cash benefits");
        assert!(b.contains("시·군·구가 조사를 거쳐 결정합니다"), "simulation disclaimer");
        assert!(b.contains("value=\"2013-01-10\""), "the form keeps what was entered");
        assert_translated(b);

        // The same in English after the language switch.
        c.post_form("/lang", &[("lang", "en"), ("back", "/simulator")]).await;
        let r = c
            .post_form(
                "/simulator/single-parent",
                &[
                    ("evaluation_date", "2023-06-15"),
                    ("family_type", "single_parent"),
                    ("household_size", "2"),
                    ("recognized_income_month", "2000000"),
                    ("applicant_relation", "mother"),
                    ("applicant_birth_date", "1983-03-02"),
                    ("reason_code", "sp02"),
                    ("is_household_head", "on"),
                    ("child1_birth_date", "2013-01-10"),
                    ("child1_school_level", "elementary"),
                ],
            )
            .await;
        assert!(r.body.contains("Eligible (single-parent family)"));
        assert!(r.body.contains("2,900,000 won"));
        assert!(r.body.contains("recognized income 2,000,000 won"), "English trace");
        assert_translated(&r.body);
    }
}

#[tokio::test]
async fn bad_form_input_is_named_next_to_the_field_in_korean() {
    for s in servers().await {
        let mut c = Client::new(&s.base);
        c.get("/simulator/single-parent").await;
        let r = c
            .post_form(
                "/simulator/single-parent",
                &[
                    ("evaluation_date", "2023-06-15"),
                    ("family_type", "single_parent"),
                    ("household_size", "2"),
                    ("recognized_income_month", "이백만"),
                    ("applicant_relation", "mother"),
                    ("applicant_birth_date", "1983-03-02"),
                    ("is_household_head", "on"),
                ],
            )
            .await;
        assert_eq!(r.status, 200);
        assert!(r.body.contains("입력값을 확인해 주세요"));
        assert!(r.body.contains("숫자가 아닙니다"), "{}", r.body);
        assert!(!r.body.contains("계산 결과"));

        let r = c
            .post_form(
                "/simulator/single-parent",
                &[
                    ("evaluation_date", "2023-06-15"),
                    ("family_type", "single_parent"),
                    ("household_size", "2"),
                    ("recognized_income_month", "1000000"),
                    ("applicant_relation", "mother"),
                    ("applicant_birth_date", "1983-03-02"),
                    ("is_household_head", "on"),
                    ("child3_birth_date", "2024-01-01"),
                ],
            )
            .await;
        assert!(r.body.contains("생년월일이 계산 기준일보다 늦습니다"), "{}", r.body);
        assert!(r.body.contains("value=\"2024-01-01\""));

        // Without the form's CSRF field the POST is refused like every other form.
        let r = c.post_form_raw("/simulator/single-parent", &[("household_size".into(), "2".into())]).await;
        assert_eq!(r.status, 403);
    }
}

#[tokio::test]
async fn family_capacity_and_visiting_copay_pages() {
    for s in servers().await {
        let mut c = Client::new(&s.base);
        assert_translated(&c.get("/simulator/family-capacity").await.body);
        let r = c
            .post_form(
                "/simulator/family-capacity",
                &[
                    ("evaluation_date", "2018-06-01"),
                    ("household_size", "3"),
                    ("monthly_income", "2652000"),
                    ("type_single_parent", "on"),
                    ("child1_birth_date", "2010-03-01"),
                    ("child1_school_level", "elementary"),
                ],
            )
            .await;
        assert_eq!(r.status, 200);
        assert!(r.body.contains("지원 대상"), "{}", r.body);
        assert!(r.body.contains("2,652,000원 (72%)"));
        assert!(r.body.contains("취약가족"));
        assert_translated(&r.body);

        assert_translated(&c.get("/simulator/visiting-copay").await.body);
        let r = c
            .post_form(
                "/simulator/visiting-copay",
                &[
                    ("evaluation_date", "2018-06-01"),
                    ("household_size", "4"),
                    ("insurance_type", "employee"),
                    ("monthly_premium", "84887"),
                    ("child1_birth_date", "2011-05-05"),
                ],
            )
            .await;
        assert_eq!(r.status, 200);
        assert!(r.body.contains("가형"), "{}", r.body);
        assert!(r.body.contains("205,200원"), "government support per 4 weeks");
        assert!(r.body.contains("0원"));
        assert_translated(&r.body);
    }
}
