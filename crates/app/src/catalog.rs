//! Rules data the programs and reports need, read from the `rules/` folder at build time:
//! program areas by edition year, public holidays, the reporting calendar.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize)]
pub struct CommonProgram {
    pub code: String,
    pub ko: String,
    pub en: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Area {
    pub code: String,
    pub ko: String,
    pub en: String,
    pub common_programs: Vec<CommonProgram>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AreaEdition {
    pub edition: String,
    pub effective_from: NaiveDate,
    pub source: String,
    pub areas: Vec<Area>,
}

#[derive(Deserialize)]
struct Holidays {
    years: std::collections::BTreeMap<String, Vec<NaiveDate>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Sourced<T> {
    pub value: T,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ReportingValues {
    pub performance_first_round_day: Sourced<u32>,
    pub performance_second_round_day: Sourced<u32>,
    pub monthly_plan_due_day: Sourced<u32>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Reporting {
    pub edition: String,
    pub effective_from: NaiveDate,
    pub values: ReportingValues,
}

pub struct Catalog {
    /// Newest last.
    pub area_editions: Vec<AreaEdition>,
    holidays: std::collections::BTreeMap<i32, BTreeSet<NaiveDate>>,
    pub reporting: Vec<Reporting>,
}

/// Days before the holiday table's last covered date from which the dashboard and
/// `gajok config show` warn that it must be extended. Why 120: a year without a row refuses
/// every weekly series in it, and centers enter next year's series in the autumn (the monthly
/// program plan for January is due on 20 December, `rules/reporting`). 120 days before
/// 31 December is early September: the next year's 월력요항 has been published since June
/// (우주항공청), and there are still about three months to add the row and ship it before the
/// January plans are made.
pub const HOLIDAY_TABLE_WARNING_DAYS: i64 = 120;

/// Where the public-holiday table ends, seen from one date (see [`Catalog::holiday_table_end`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct HolidayTableEnd {
    /// The last year with a row in `rules/calendar/holidays.json`.
    pub last_year: i32,
    /// The last date covered: 31 December of `last_year`.
    pub last_date: NaiveDate,
    /// Days from the given date to `last_date` (negative once the table has run out).
    pub days_left: i64,
    /// `days_left <= HOLIDAY_TABLE_WARNING_DAYS`: the table ends within 120 days of the given
    /// date (or already has) and should be extended.
    pub ends_soon: bool,
}

const AREA_FILES: &[&str] =
    &[include_str!("../../../rules/programs/areas-2017.json"), include_str!("../../../rules/programs/areas-2018.json")];
const HOLIDAYS: &str = include_str!("../../../rules/calendar/holidays.json");
const REPORTING: &[&str] = &[include_str!("../../../rules/reporting/monthly-2017.json")];

fn load() -> Result<Catalog, String> {
    let mut area_editions: Vec<AreaEdition> = AREA_FILES
        .iter()
        .map(|f| serde_json::from_str(f).map_err(|e| format!("program areas: {e}")))
        .collect::<Result<_, _>>()?;
    area_editions.sort_by_key(|e| e.effective_from);
    let h: Holidays = serde_json::from_str(HOLIDAYS).map_err(|e| format!("holidays: {e}"))?;
    let holidays = h
        .years
        .into_iter()
        .map(|(y, days)| {
            Ok((y.parse::<i32>().map_err(|e| format!("holiday year {y}: {e}"))?, days.into_iter().collect()))
        })
        .collect::<Result<_, String>>()?;
    let mut reporting: Vec<Reporting> = REPORTING
        .iter()
        .map(|f| serde_json::from_str(f).map_err(|e| format!("reporting: {e}")))
        .collect::<Result<_, _>>()?;
    reporting.sort_by_key(|r| r.effective_from);
    Ok(Catalog { area_editions, holidays, reporting })
}

/// The catalog, parsed once. A broken data file is a build defect, caught by the tests.
pub fn catalog() -> &'static Catalog {
    static C: OnceLock<Catalog> = OnceLock::new();
    C.get_or_init(|| load().unwrap_or_else(|e| panic!("rules data is broken: {e}")))
}

impl Catalog {
    /// The area list in force for a fiscal year, or None before the first edition.
    pub fn areas_for_year(&self, year: i32) -> Option<&AreaEdition> {
        let jan1 = NaiveDate::from_ymd_opt(year, 1, 1)?;
        self.area_editions.iter().rev().find(|e| e.effective_from <= jan1)
    }

    pub fn area(&self, year: i32, code: &str) -> Option<&Area> {
        self.areas_for_year(year)?.areas.iter().find(|a| a.code == code)
    }

    /// None when the holiday table does not cover the year (a recurring schedule is then
    /// refused rather than silently placed on holidays).
    pub fn holidays(&self, year: i32) -> Option<&BTreeSet<NaiveDate>> {
        self.holidays.get(&year)
    }

    /// When the public-holiday table ends and whether that is within
    /// [`HOLIDAY_TABLE_WARNING_DAYS`] (120) days of `on` (usually today in Korea,
    /// `gajok_domain::time::kst_date(Utc::now())`). The table covers whole years, so the last
    /// covered date is 31 December of the newest year; a later year has no table and weekly
    /// series in it are refused (`no_holiday_table_for_year`). For the dashboard and
    /// `gajok config show` warning. None only when the table is empty.
    pub fn holiday_table_end(&self, on: NaiveDate) -> Option<HolidayTableEnd> {
        let last_year = *self.holidays.keys().next_back()?;
        let last_date = NaiveDate::from_ymd_opt(last_year, 12, 31)?;
        let days_left = (last_date - on).num_days();
        Some(HolidayTableEnd { last_year, last_date, days_left, ends_soon: days_left <= HOLIDAY_TABLE_WARNING_DAYS })
    }

    pub fn reporting_for(&self, date: NaiveDate) -> Option<&Reporting> {
        self.reporting.iter().rev().find(|r| r.effective_from <= date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_loads_and_editions_apply_by_year() {
        let c = load().expect("rules data loads");
        assert_eq!(c.areas_for_year(2017).map(|e| e.edition.as_str()), Some("program-areas-2017"));
        assert_eq!(c.areas_for_year(2026).map(|e| e.edition.as_str()), Some("program-areas-2018"));
        assert!(c.areas_for_year(2016).is_none());
        assert!(c.area(2017, "korean_education").is_none(), "2018 adds the multicultural lines");
        assert!(c.area(2018, "korean_education").is_some());
        let five: Vec<&str> =
            c.areas_for_year(2017).map(|e| e.areas.iter().take(5).map(|a| a.ko.as_str()).collect()).unwrap_or_default();
        assert_eq!(five, ["가족돌봄나눔", "가족교육", "가족상담", "가족문화", "지역사회연계"]);
        let h = c.holidays(2026).expect("2026 table");
        assert!(h.contains(&NaiveDate::from_ymd_opt(2026, 9, 25).unwrap()), "추석");
        assert!(h.contains(&NaiveDate::from_ymd_opt(2026, 7, 17).unwrap()), "제헌절, a public holiday again from 2026");
        assert!(c.holidays(2031).is_none());
        let r = c.reporting_for(NaiveDate::from_ymd_opt(2026, 5, 1).unwrap()).unwrap();
        assert_eq!((r.values.performance_first_round_day.value, r.values.performance_second_round_day.value), (1, 5));
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// Fails at the turn of a year when nobody extended the table: weekly sessions for next
    /// year are planned in this year's autumn and are refused for a year without a row.
    #[test]
    fn holiday_table_reaches_next_year() {
        use chrono::Datelike;
        let today = gajok_domain::time::kst_date(chrono::Utc::now());
        let end = catalog().holiday_table_end(today).expect("holiday table");
        assert!(
            end.last_year > today.year(),
            "rules/calendar/holidays.json ends with {} but today is {today}: add the next year's public holidays",
            end.last_year
        );
        for y in 2024..=end.last_year {
            assert!(catalog().holidays(y).is_some_and(|h| !h.is_empty()), "no holiday row for {y}");
        }
    }

    /// Pinned 2027 dates (한국천문연구원 월력자료; 관공서의 공휴일에 관한 규정 제3조), so a
    /// wrong edit of the lunar or substitute days fails.
    #[test]
    fn holidays_2027_lunar_and_substitute_days() {
        let h = catalog().holidays(2027).expect("2027 table");
        for (date, what) in [
            (d(2027, 2, 6), "설날 전날"),
            (d(2027, 2, 7), "설날"),
            (d(2027, 2, 8), "설날 다음날"),
            (d(2027, 2, 9), "설날 대체공휴일 (설날 on a Sunday)"),
            (d(2027, 5, 13), "부처님오신날"),
            (d(2027, 9, 14), "추석 전날"),
            (d(2027, 9, 15), "추석"),
            (d(2027, 9, 16), "추석 다음날"),
            (d(2027, 7, 17), "제헌절"),
            (d(2027, 7, 19), "제헌절 대체공휴일"),
            (d(2027, 8, 16), "광복절 대체공휴일"),
            (d(2027, 10, 4), "개천절 대체공휴일"),
            (d(2027, 10, 11), "한글날 대체공휴일"),
            (d(2027, 12, 27), "성탄절 대체공휴일"),
        ] {
            assert!(h.contains(&date), "{what} {date}");
        }
        for (date, what) in [(d(2027, 6, 7), "현충일 has no substitute day"), (d(2027, 9, 17), "추석 is Tue–Thu")]
        {
            assert!(!h.contains(&date), "{what}: {date}");
        }
        assert_eq!(h.len(), 22);
    }

    #[test]
    fn holiday_table_end_and_the_120_day_warning() {
        let c = load().expect("rules data loads");
        let last = *c.holidays.keys().next_back().unwrap();
        let end = |on: NaiveDate| c.holiday_table_end(on).unwrap();
        let e = end(d(last, 1, 1));
        assert_eq!((e.last_year, e.last_date, e.days_left, e.ends_soon), (last, d(last, 12, 31), 364, false));
        let last_date = d(last, 12, 31);
        let at_limit = last_date - chrono::Days::new(HOLIDAY_TABLE_WARNING_DAYS as u64);
        assert!(end(at_limit).ends_soon, "exactly 120 days before the end");
        assert!(!end(at_limit - chrono::Days::new(1)).ends_soon, "121 days before");
        assert!(end(last_date).ends_soon);
        let after = end(d(last + 1, 1, 10));
        assert!(after.ends_soon && after.days_left == -10, "a table that has run out still warns");
        let empty = Catalog { area_editions: vec![], holidays: Default::default(), reporting: vec![] };
        assert!(empty.holiday_table_end(d(2027, 1, 1)).is_none());
    }
}
