//! Adding next year's table is a data change: an extra parameter file loaded at run time
//! gives new values for its dates and leaves earlier years alone.

mod common;

use gajok_rules::{Calculator, RuleBook, evaluate_json};
use serde_json::{Value, json};

fn next_year_file() -> std::path::PathBuf {
    let text = std::fs::read_to_string(common::repo_root().join("rules/single_parent/2023.json")).expect("2023 table");
    let mut doc: Value = serde_json::from_str(&text).expect("json");
    doc["edition"] = json!("single-parent-2024-test");
    doc["criteria_year"] = json!(2024);
    doc["effective_from"] = json!("2024-01-01");
    doc["effective_until"] = json!("2024-12-31");
    // Made-up values for the test: a new 2-person threshold and a higher allowance.
    doc["values"]["income_threshold_general"]["value"]["2"] = json!(2_213_863);
    doc["values"]["b01_amount"]["value"] = json!(210_000);
    let path = std::env::temp_dir().join(format!("gajok-rules-2024-{}.json", std::process::id()));
    std::fs::write(&path, doc.to_string()).expect("write");
    path
}

fn request(date: &str, income: i64) -> String {
    json!({
        "evaluation_date": date, "family_type": "single_parent",
        "applicant": {"relation": "father", "age_years": 45, "is_household_head": true, "reason_code": "sp01"},
        "children": [{"id": "c1", "age_years": 9}], "household_size": 2, "recognized_income_month": income
    })
    .to_string()
}

#[test]
fn a_date_without_a_table_is_undefined_not_a_fallback() {
    let book = RuleBook::embedded().expect("embedded");
    let out = evaluate_json(&book, Calculator::SingleParent, &request("2024-05-01", 2_100_000)).expect("valid");
    assert_eq!(out["status"], "undefined_threshold");
    assert!(out["parameters"].is_null());
    assert!(out["trace"][0]["en"].as_str().unwrap_or("").contains("no single-parent parameters"));
}

#[test]
fn an_extra_file_adds_next_year() {
    let path = next_year_file();
    let book = RuleBook::embedded().expect("embedded").with_file(&path).expect("2024 file loads");
    std::fs::remove_file(&path).ok();

    let out = evaluate_json(&book, Calculator::SingleParent, &request("2024-05-01", 2_100_000)).expect("valid");
    assert_eq!(out["status"], "eligible_general");
    assert_eq!(out["threshold"], 2_213_863);
    assert_eq!(out["monthly_total"], 210_000);
    assert_eq!(out["parameters"]["edition"], "single-parent-2024-test");

    // 2023 is unchanged: 2,100,000 is over that year's 2,073,693.
    let out = evaluate_json(&book, Calculator::SingleParent, &request("2023-05-01", 2_100_000)).expect("valid");
    assert_eq!(out["status"], "not_eligible");
    assert_eq!(out["threshold"], 2_073_693);
}

#[test]
fn a_missing_file_is_an_error() {
    let err =
        RuleBook::embedded().expect("embedded").with_file(std::path::Path::new("/nonexistent/2030.json")).unwrap_err();
    assert!(err.to_string().contains("/nonexistent/2030.json"));
}
