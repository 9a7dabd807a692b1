//! Rule-parameter files read at run time (`RuleBook::with_json`, e.g. next year's table given
//! with `--rules`): a bad file is refused with an error, never a panic.
#![no_main]

use gajok_rules::RuleBook;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let book = RuleBook::embedded().expect("embedded rules load");
    let _ = book.with_json("fuzz.json", text);
});
