//! Completed ages (만 나이) from birth dates.

use chrono::{Datelike, NaiveDate};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgeAt {
    /// Completed years (만 나이).
    pub years: u32,
    /// Completed months since birth.
    pub months_total: u32,
}

/// Age on `on`. A birthday on 29 February is reached on 1 March in other years. A person
/// born after `on` (possible when the age point is the first of the month) counts as 0.
pub fn age_at(birth: NaiveDate, on: NaiveDate) -> AgeAt {
    if birth >= on {
        return AgeAt { years: 0, months_total: 0 };
    }
    let mut months = (on.year() - birth.year()) * 12 + on.month() as i32 - birth.month() as i32;
    if on.day() < birth.day() {
        months -= 1;
    }
    let months = months.max(0) as u32;
    AgeAt { years: months / 12, months_total: months }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn completed_years_and_months() {
        assert_eq!(age_at(d("2005-06-15"), d("2023-06-14")), AgeAt { years: 17, months_total: 215 });
        assert_eq!(age_at(d("2005-06-15"), d("2023-06-15")), AgeAt { years: 18, months_total: 216 });
        assert_eq!(age_at(d("2020-02-29"), d("2023-02-28")).years, 2);
        assert_eq!(age_at(d("2020-02-29"), d("2023-03-01")).years, 3);
        assert_eq!(age_at(d("2023-06-10"), d("2023-06-01")).months_total, 0);
    }
}
