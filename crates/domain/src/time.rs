//! Time conventions: instants are UTC and stored in one canonical text form (so they sort
//! and compare the same on SQLite and PostgreSQL); service dates are Korean local dates.

use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat, SubsecRound, Utc};

/// Canonical stored form of an instant: RFC 3339, UTC, microseconds, `Z`.
pub fn to_db(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Reads an instant at the stored precision: anything finer than a microsecond is dropped,
/// so a value read here is exactly the value `to_db` writes back (and compares equal to it
/// after a round trip through the database).
pub fn from_db(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s).ok().map(|t| t.with_timezone(&Utc).trunc_subsecs(6))
}

/// Korea has no daylight saving time: a fixed +09:00 offset is exact.
pub fn kst() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).expect("+09:00 is a valid offset")
}

/// The service date (Asia/Seoul) of an instant.
pub fn kst_date(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&kst()).date_naive()
}

/// Display form used in the Korean UI: `2024. 5. 3. 14:05`.
pub fn display_kst(t: DateTime<Utc>) -> String {
    t.with_timezone(&kst()).format("%Y. %-m. %-d. %H:%M").to_string()
}

pub fn display_date(d: NaiveDate) -> String {
    d.format("%Y. %-m. %-d.").to_string()
}

pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn canonical_form_sorts_as_time() {
        let a = Utc.with_ymd_and_hms(2024, 5, 3, 1, 2, 3).single().map(to_db);
        let b = Utc.with_ymd_and_hms(2024, 12, 1, 0, 0, 0).single().map(to_db);
        assert!(a < b);
        assert_eq!(a.as_deref(), Some("2024-05-03T01:02:03.000000Z"));
    }

    #[test]
    fn reading_keeps_the_stored_precision() {
        // Found by the domain_values fuzz target: nanoseconds did not survive a round trip.
        let t = from_db("2026-11-22T01:02:03.00000260Z").expect("valid RFC 3339");
        assert_eq!(to_db(t), "2026-11-22T01:02:03.000002Z");
        assert_eq!(from_db(&to_db(t)), Some(t));
        let kst = from_db("2026-11-22T10:02:03+09:00").map(to_db);
        assert_eq!(kst.as_deref(), Some("2026-11-22T01:02:03.000000Z"));
    }

    #[test]
    fn kst_date_crosses_midnight() {
        let t = Utc.with_ymd_and_hms(2024, 5, 3, 15, 30, 0).single().map(kst_date);
        assert_eq!(t, NaiveDate::from_ymd_opt(2024, 5, 4));
        let t = Utc.with_ymd_and_hms(2024, 5, 3, 5, 6, 0).single().map(display_kst);
        assert_eq!(t.as_deref(), Some("2024. 5. 3. 14:06"));
    }
}
