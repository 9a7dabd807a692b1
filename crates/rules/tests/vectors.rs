//! Runs the test vectors in `rules/vectors/*.json`: each case gives an input, optional
//! parameter overrides, and either the expected values of some result fields or the expected
//! input error.

mod common;

use gajok_rules::{Calculator, evaluate_json};
use serde_json::Value;

fn run(file: &str) -> usize {
    let doc = common::load_json(file);
    let calc: Calculator = doc["calculator"].as_str().expect("calculator").parse().expect("known calculator");
    let cases = doc["cases"].as_array().expect("cases");
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap_or("?");
        let book = common::book_for(calc, case.get("params"));
        let result = evaluate_json(&book, calc, &common::input_text(&case["input"]));
        match (result, case.get("expect"), case.get("expect_error")) {
            (Ok(out), Some(Value::Object(expect)), None) => {
                for (key, want) in expect {
                    let got = out.get(key).unwrap_or(&Value::Null);
                    if got != want {
                        failures.push(format!("{name}: {key} = {got}, expected {want}"));
                    }
                }
                check_calendar_sum(name, &out, &mut failures);
            }
            (Err(err), None, Some(Value::Object(expect))) => {
                let err = serde_json::to_value(&err).expect("error serializes");
                for (key, want) in expect {
                    if &err[key] != want {
                        failures.push(format!("{name}: error {key} = {}, expected {want}", err[key]));
                    }
                }
                for lang in ["message_ko", "message_en"] {
                    if err[lang].as_str().is_none_or(str::is_empty) {
                        failures.push(format!("{name}: error has no {lang}"));
                    }
                }
            }
            (Ok(out), _, Some(_)) => failures.push(format!("{name}: expected an error, got status {}", out["status"])),
            (Err(err), Some(_), _) => failures.push(format!("{name}: unexpected error {err}")),
            _ => failures.push(format!("{name}: case needs exactly one of expect / expect_error")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases in {file} failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    cases.len()
}

/// Wherever a result has a calendar, its months add up to the annual total.
fn check_calendar_sum(name: &str, out: &Value, failures: &mut Vec<String>) {
    let Some(months) = out.get("calendar").and_then(Value::as_array) else {
        return;
    };
    if months.is_empty() {
        return;
    }
    let sum: i64 = months.iter().map(|m| m["total"].as_i64().unwrap_or(0)).sum();
    if Some(sum) != out["annual_total"].as_i64() {
        failures.push(format!("{name}: calendar sums to {sum}, annual_total is {}", out["annual_total"]));
    }
}

#[test]
fn single_parent_vectors() {
    assert!(run("rules/vectors/single_parent.json") >= 100);
}

#[test]
fn family_capacity_vectors() {
    assert!(run("rules/vectors/family_capacity.json") >= 30);
}

#[test]
fn visiting_copay_vectors() {
    assert!(run("rules/vectors/visiting_copay.json") >= 30);
}
