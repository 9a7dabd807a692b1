//! Shared helpers for the data-driven tests.
#![allow(dead_code)] // each test binary uses a different subset

use std::path::PathBuf;

use gajok_rules::{Calculator, RuleBook};
use serde_json::Value;

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn load_json(rel: &str) -> Value {
    let path = repo_root().join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The embedded book, with the case's parameter overrides applied as an override file.
pub fn book_for(calc: Calculator, params: Option<&Value>) -> RuleBook {
    let book = RuleBook::embedded().expect("embedded parameters load");
    let Some(Value::Object(params)) = params else {
        return book;
    };
    let tag = match calc {
        Calculator::SingleParent => "single_parent",
        Calculator::FamilyCapacity => "family_capacity",
        Calculator::VisitingCopay => "visiting_copay",
    };
    let values: serde_json::Map<String, Value> = params
        .iter()
        .map(|(k, v)| (k.clone(), serde_json::json!({"value": v, "source": "domain/test-vector"})))
        .collect();
    let file = serde_json::json!({
        "calculator": tag, "kind": "override", "edition": "vector",
        "effective_from": "1900-01-01", "effective_until": "2999-12-31", "values": values
    });
    book.with_json("vector override", &file.to_string()).expect("override loads")
}

pub fn input_text(input: &Value) -> String {
    match input {
        Value::String(raw) => raw.clone(),
        other => other.to_string(),
    }
}
