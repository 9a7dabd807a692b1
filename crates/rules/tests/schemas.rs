//! The JSON Schemas in docs/rules describe exactly what the Rust types read and write: every
//! test-vector input validates against its input schema and every result (or error) against
//! its output schema, with no unknown or missing properties.

mod common;

use gajok_rules::{Calculator, evaluate_json};
use serde_json::Value;

/// A small validator for the subset of JSON Schema the hand-written schemas use.
fn validate(schema: &Value, v: &Value, path: &str, errors: &mut Vec<String>) {
    if let Some(any) = schema.get("anyOf").and_then(Value::as_array) {
        let mut best = None;
        for s in any {
            let mut e = Vec::new();
            validate(s, v, path, &mut e);
            if e.is_empty() {
                return;
            }
            best.get_or_insert(e);
        }
        errors.extend(best.unwrap_or_default());
        return;
    }
    if let Some(ty) = schema.get("type").and_then(Value::as_str) {
        let ok = match ty {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "integer" => v.is_i64() || v.is_u64(),
            "boolean" => v.is_boolean(),
            "null" => v.is_null(),
            _ => true,
        };
        if !ok {
            errors.push(format!("{path}: expected {ty}, got {v}"));
            return;
        }
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array)
        && !values.contains(v)
    {
        errors.push(format!("{path}: {v} not in enum"));
    }
    if let (Some(min), Some(n)) = (schema.get("minimum").and_then(Value::as_i64), v.as_i64())
        && n < min
    {
        errors.push(format!("{path}: {n} < minimum {min}"));
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
        for (i, item) in arr.iter().enumerate() {
            validate(items, item, &format!("{path}[{i}]"), errors);
        }
    }
    if let Some(obj) = v.as_object() {
        let props = schema.get("properties").and_then(Value::as_object);
        for (k, val) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(s) => validate(s, val, &format!("{path}.{k}"), errors),
                None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    errors.push(format!("{path}: property {k} is not in the schema"));
                }
                None => {}
            }
        }
        for r in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
            if let Some(r) = r.as_str()
                && !obj.contains_key(r)
            {
                errors.push(format!("{path}: required {r} missing"));
            }
        }
    }
}

fn check(calc: Calculator) {
    let name = calc.as_str();
    let vectors = common::load_json(&format!("rules/vectors/{}.json", name.replace('-', "_")));
    let input_schema = common::load_json(&format!("docs/rules/{name}.input.schema.json"));
    let output_schema = common::load_json(&format!("docs/rules/{name}.output.schema.json"));
    let error_schema = common::load_json("docs/rules/input-error.schema.json");
    let mut errors = Vec::new();
    let mut seen_props = std::collections::BTreeSet::new();
    for case in vectors["cases"].as_array().expect("cases") {
        let book = common::book_for(calc, case.get("params"));
        let input = &case["input"];
        let case_name = case["name"].as_str().unwrap_or("?");
        match evaluate_json(&book, calc, &common::input_text(input)) {
            Ok(out) => {
                validate(&input_schema, input, case_name, &mut errors);
                validate(&output_schema, &out, case_name, &mut errors);
                seen_props.extend(out.as_object().expect("object").keys().cloned());
            }
            Err(e) => validate(&error_schema, &serde_json::to_value(e).expect("error"), case_name, &mut errors),
        }
    }
    // Every output property the schema documents is produced by some vector.
    for k in output_schema["properties"].as_object().expect("properties").keys() {
        if !seen_props.contains(k) {
            errors.push(format!("{name}: schema property {k} never produced"));
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn single_parent_schema_matches() {
    check(Calculator::SingleParent);
}

#[test]
fn family_capacity_schema_matches() {
    check(Calculator::FamilyCapacity);
}

#[test]
fn visiting_copay_schema_matches() {
    check(Calculator::VisitingCopay);
}

#[test]
fn the_validator_rejects_an_unknown_property() {
    let schema = common::load_json("docs/rules/single-parent.input.schema.json");
    let mut errors = Vec::new();
    validate(&schema, &serde_json::json!({"evaluation_date": "2023-01-01", "nonsense": 1}), "x", &mut errors);
    assert!(errors.iter().any(|e| e.contains("nonsense")), "{errors:?}");
    assert!(errors.iter().any(|e| e.contains("required family_type")), "{errors:?}");
}
