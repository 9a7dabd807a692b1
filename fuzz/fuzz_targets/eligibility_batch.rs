//! The batch file format of `gajok eligibility --batch` (JSON Lines from a file): every
//! non-blank line yields exactly one output line, good or bad, and nothing panics.
#![no_main]

use std::sync::OnceLock;

use gajok_rules::{Calculator, RuleBook, run_batch};
use libfuzzer_sys::fuzz_target;

fn book() -> &'static RuleBook {
    static B: OnceLock<RuleBook> = OnceLock::new();
    B.get_or_init(|| RuleBook::embedded().expect("embedded rules load"))
}

fuzz_target!(|data: &[u8]| {
    let Some((first, rest)) = data.split_first() else { return };
    let calc = Calculator::ALL[*first as usize % Calculator::ALL.len()];
    let mut out = Vec::new();
    let Ok(stats) = run_batch(book(), calc, rest, &mut out) else { return };
    assert_eq!(stats.ok + stats.errors, out.iter().filter(|b| **b == b'\n').count() as u64);
    for line in out.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
        serde_json::from_slice::<serde_json::Value>(line).expect("every output line is JSON");
    }
});
