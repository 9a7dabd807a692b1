//! The value types every form and JSON body goes through (names, phones, codes, dates,
//! times, ages, code lists) and the masking of what they store. Each parser either refuses
//! with an error naming the field or returns a value that parses again to itself.
#![no_main]

use chrono::NaiveDate;
use gajok_domain::code_list::CodeList;
use gajok_domain::org::{OrgCode, OrgKind, OrgName, parse_code};
use gajok_domain::person::{NewPassword, PersonName, Phone, Username};
use gajok_domain::{mask, nanumteo, people, text, time};
use libfuzzer_sys::fuzz_target;

fn idempotent<T: PartialEq + std::fmt::Debug>(
    first: Result<T, gajok_domain::FieldError>,
    again: impl Fn(&T) -> Result<T, gajok_domain::FieldError>,
) {
    match first {
        Ok(v) => assert_eq!(again(&v).as_ref(), Ok(&v), "a parsed value parses again to itself"),
        Err(e) => assert_eq!(e.field, "f", "the error names the field"),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    idempotent(Username::parse("f", s), |v| Username::parse("f", v.as_str()));
    idempotent(PersonName::parse("f", s), |v| PersonName::parse("f", v.as_str()));
    idempotent(Phone::parse("f", s), |v| Phone::parse("f", v.as_str()));
    idempotent(OrgCode::parse("f", s), |v| OrgCode::parse("f", v.as_str()));
    idempotent(OrgName::parse("f", s), |v| OrgName::parse("f", v.as_str()));
    if let Err(e) = NewPassword::parse("f", s, "staff") {
        assert_eq!(e.field, "f");
    }
    if let Ok(k) = parse_code::<OrgKind>("f", s) {
        assert_eq!(OrgKind::parse(k.code()), Some(k));
    }
    let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    if let Ok(d) = people::parse_birth_date("f", s, today) {
        assert!(d <= today);
    }
    if let Some(d) = time::parse_date(s) {
        assert_eq!(time::parse_date(&d.format("%Y-%m-%d").to_string()), Some(d));
    }
    if let Some(t) = time::from_db(s) {
        assert_eq!(time::from_db(&time::to_db(t)), Some(t));
    }
    if let Some(t) = nanumteo::parse_hhmm(s) {
        assert_eq!(nanumteo::parse_hhmm(&t), Some(t.clone()));
    }
    if let Some(ages) = nanumteo::parse_ages(s) {
        assert!(ages.iter().all(|a| (0..=18).contains(a)));
    }
    let _ = nanumteo::minutes_between(s, s);
    let cleaned = text::clean(s);
    assert_eq!(text::clean(&cleaned), cleaned, "cleaning is idempotent");
    let _ = people::initials(s);
    let _ = people::is_initials_query(s);
    let _ = (mask::name(s), mask::phone(s), mask::address(s));
});
