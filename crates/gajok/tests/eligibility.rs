//! `gajok eligibility` as a caseworker's script uses it: one request from a file or stdin,
//! JSON Lines with --batch (a bad line answered in place, the rest go on), an extra
//! parameter file with --rules, and exit 2 with the field named on bad input.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

fn gajok(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gajok"))
        .args(args)
        .env("GAJOK_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run gajok");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout_json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!("stdout is not JSON ({e}): {}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
    })
}

/// W1 of the vectors: divorced mother, one elementary child, income under 60 %.
fn w1() -> Value {
    json!({
        "evaluation_date": "2023-06-15", "family_type": "single_parent",
        "applicant": { "relation": "mother", "age_years": 40, "is_household_head": true, "reason_code": "sp02" },
        "children": [{ "id": "c1", "age_years": 10, "school_level": "elementary" }],
        "household_size": 2, "recognized_income_month": 2_000_000
    })
}

#[test]
fn single_parent_from_stdin_and_from_a_file() {
    let o = gajok(&["eligibility", "single-parent", "--input", "-"], &w1().to_string());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r = stdout_json(&o);
    assert_eq!(r["status"], "eligible_general");
    assert_eq!(r["monthly_total"], 200_000);
    assert_eq!(r["annual_total"], 2_900_000);
    assert_eq!(r["calendar"].as_array().unwrap().len(), 12);
    let trace = r["trace"].as_array().unwrap();
    assert!(trace.iter().any(|t| t["ko"].as_str().unwrap().contains("2,073,693원")), "{trace:?}");

    let dir = std::env::temp_dir().join(format!("gajok-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("w1.json");
    std::fs::write(&file, w1().to_string()).unwrap();
    let o = gajok(&["eligibility", "single-parent", "--input", file.to_str().unwrap()], "");
    assert!(o.status.success());
    assert_eq!(stdout_json(&o)["annual_total"], 2_900_000);
}

#[test]
fn bad_input_exits_2_naming_the_field_and_allowed_values() {
    let mut bad = w1();
    bad["family_type"] = json!("nuclear");
    let o = gajok(&["eligibility", "single-parent"], &bad.to_string());
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty(), "nothing on stdout for bad input");
    let e: Value = serde_json::from_slice(&o.stderr).expect("error JSON on stderr");
    assert_eq!(e["error"]["code"], "unknown_enum_value");
    assert_eq!(e["error"]["field"], "family_type");
    assert_eq!(e["error"]["allowed"], json!(["single_parent", "grandparent"]));

    let mut neg = w1();
    neg["recognized_income_month"] = json!(-1);
    let o = gajok(&["eligibility", "single-parent"], &neg.to_string());
    assert_eq!(o.status.code(), Some(2));
    let e: Value = serde_json::from_slice(&o.stderr).unwrap();
    assert_eq!(e["error"]["code"], "negative_amount");
    assert_eq!(e["error"]["field"], "recognized_income_month");

    let o = gajok(&["eligibility", "visiting-copay"], "{\"household_size\": 3}");
    assert_eq!(o.status.code(), Some(2));
    let e: Value = serde_json::from_slice(&o.stderr).unwrap();
    assert_eq!(e["error"]["code"], "missing_field");
    assert_eq!(e["error"]["field"], "evaluation_date");
}

#[test]
fn batch_answers_every_line_in_order_and_survives_a_bad_one() {
    let mut young = w1();
    young["recognized_income_month"] = json!(2_073_694);
    let input = format!("{}\n{{\"evaluation_date\": \"2023-13-01\"}}\n\n{}\n", w1(), young);
    let o = gajok(&["eligibility", "single-parent", "--batch"], &input);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let lines: Vec<Value> =
        String::from_utf8(o.stdout.clone()).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 3, "one result per non-blank line");
    assert_eq!(lines[0]["status"], "eligible_general");
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[1]["error"]["field"], "evaluation_date");
    assert_eq!(lines[2]["status"], "not_eligible", "1 won over the threshold");
    let summary = String::from_utf8_lossy(&o.stderr);
    assert!(summary.contains("3 lines, 2 ok, 1 errors"), "summary on stderr: {summary}");
}

#[test]
fn family_capacity_and_visiting_copay() {
    let fc = json!({
        "evaluation_date": "2018-06-01", "household_size": 3, "monthly_income": 2_652_000,
        "family_types": ["single_parent"], "children": [{ "age_years": 8, "school_level": "elementary" }]
    });
    let o = gajok(&["eligibility", "family-capacity"], &fc.to_string());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r = stdout_json(&o);
    assert_eq!(r["status"], "eligible");
    assert_eq!(r["income_test"]["threshold"], 2_652_000);

    let vc = json!({
        "evaluation_date": "2018-06-01", "household_size": 4,
        "health_insurance": { "subscriber_type": "employee", "monthly_premium": 84_887 }
    });
    let o = gajok(&["eligibility", "visiting-copay"], &vc.to_string());
    assert!(o.status.success());
    let r = stdout_json(&o);
    assert_eq!(r["copay_type"], "ga");
    assert_eq!(r["free"], true);

    let lines = format!("{vc}\n{vc}\n");
    let o = gajok(&["eligibility", "visiting-copay", "--batch"], &lines);
    assert_eq!(String::from_utf8_lossy(&o.stdout).lines().count(), 2);
}

#[test]
fn extra_rules_file_covers_next_year() {
    let mut next = w1();
    next["evaluation_date"] = json!("2024-06-15");
    let o = gajok(&["eligibility", "single-parent"], &next.to_string());
    assert!(o.status.success());
    assert_eq!(stdout_json(&o)["status"], "undefined_threshold", "no 2024 table is shipped");

    // Next year's table: the 2023 edition with new dates and a new B01 amount.
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules/single_parent/2023.json");
    let mut table: Value = serde_json::from_str(&std::fs::read_to_string(root).unwrap()).unwrap();
    table["edition"] = json!("single-parent-2024-test");
    table["criteria_year"] = json!(2024);
    table["effective_from"] = json!("2024-01-01");
    table["effective_until"] = json!("2024-12-31");
    table["values"]["b01_amount"]["value"] = json!(210_000);
    let dir = std::env::temp_dir().join(format!("gajok-cli-rules-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("2024.json");
    std::fs::write(&file, table.to_string()).unwrap();
    let o = gajok(&["eligibility", "single-parent", "--rules", file.to_str().unwrap()], &next.to_string());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r = stdout_json(&o);
    assert_eq!(r["status"], "eligible_general");
    assert_eq!(r["monthly_total"], 210_000);
    assert_eq!(r["parameters"]["edition"], "single-parent-2024-test");

    let o = gajok(&["eligibility", "single-parent", "--rules", "/nonexistent/x.json"], &next.to_string());
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("/nonexistent/x.json"));
}
