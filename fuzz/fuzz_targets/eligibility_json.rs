//! JSON bodies of the public eligibility API (`POST /api/v1/eligibility/*`): any input either
//! evaluates or is refused with an error naming a field; nothing panics. The first byte picks
//! the calculator.
#![no_main]

use std::sync::OnceLock;

use gajok_rules::{Calculator, RuleBook, evaluate_json};
use libfuzzer_sys::fuzz_target;

fn book() -> &'static RuleBook {
    static B: OnceLock<RuleBook> = OnceLock::new();
    B.get_or_init(|| RuleBook::embedded().expect("embedded rules load"))
}

fuzz_target!(|data: &[u8]| {
    let Some((first, rest)) = data.split_first() else { return };
    let calc = Calculator::ALL[*first as usize % Calculator::ALL.len()];
    let Ok(text) = std::str::from_utf8(rest) else { return };
    match evaluate_json(book(), calc, text) {
        Ok(v) => assert!(v.is_object(), "a result is a JSON object"),
        Err(e) => assert!(!e.code.is_empty() && !e.message_ko.is_empty(), "an error has a code and a message"),
    }
});
