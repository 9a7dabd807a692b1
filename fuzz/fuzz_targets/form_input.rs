//! The lenient form/JSON deserializers shared by every HTML form and JSON body
//! (`crates/app/src/input.rs`, compiled in here directly so the fuzz build does not pull the
//! storage layer): URL-encoded forms and query strings, and JSON, either deserialize or are
//! refused with an error; nothing panics.
#![no_main]

#[allow(dead_code)]
#[path = "../../crates/app/src/input.rs"]
mod input;

use libfuzzer_sys::fuzz_target;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Form {
    #[serde(default, deserialize_with = "input::flag")]
    active: Option<bool>,
    #[serde(default, deserialize_with = "input::text_or_number")]
    amount: Option<String>,
    name: Option<String>,
    note: Option<String>,
    page: Option<String>,
}

fuzz_target!(|data: &[u8]| {
    if let Ok(f) = serde_urlencoded::from_bytes::<Form>(data) {
        let _ = input::opt_text("note", &f.note, 200);
        let _ = input::opt_text("name", &f.name, 50);
    }
    if let Ok(f) = serde_json::from_slice::<Form>(data)
        && let Ok(Some(t)) = input::opt_text("note", &f.note, 200)
    {
        assert!(t.chars().count() <= 200 && !t.chars().any(char::is_control));
    }
});
