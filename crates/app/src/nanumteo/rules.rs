//! The nanumteo rules data (`rules/nanumteo/<year>.json`), by edition: every number carries
//! its rule id, its source (seed file and line) and the edition's effective date. 2017 and
//! 2018 differ only in data (for example the 2017 user targets, deleted in 2018).

use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Clone, Deserialize)]
pub struct Param {
    pub rule: String,
    pub value: Value,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Edition {
    pub edition: String,
    pub effective_from: NaiveDate,
    pub source: String,
    pub space: std::collections::BTreeMap<String, Param>,
    pub visits: std::collections::BTreeMap<String, Param>,
    pub library: std::collections::BTreeMap<String, Param>,
    pub pumasi: std::collections::BTreeMap<String, Param>,
    pub obligations: std::collections::BTreeMap<String, Param>,
    /// How the monthly report (서식13) counts: age buckets, cumulative members, fathers.
    #[serde(default)]
    pub report: std::collections::BTreeMap<String, Param>,
}

const FILES: &[&str] =
    &[include_str!("../../../../rules/nanumteo/2017.json"), include_str!("../../../../rules/nanumteo/2018.json")];

fn load() -> Result<Vec<Edition>, String> {
    let mut v: Vec<Edition> = FILES
        .iter()
        .map(|f| serde_json::from_str(f).map_err(|e| format!("nanumteo rules: {e}")))
        .collect::<Result<_, _>>()?;
    v.sort_by_key(|e| e.effective_from);
    Ok(v)
}

fn editions() -> &'static [Edition] {
    static E: OnceLock<Vec<Edition>> = OnceLock::new();
    E.get_or_init(|| load().unwrap_or_else(|e| panic!("rules data is broken: {e}")))
}

/// The edition in force on a date (the newest whose effective date has come); the oldest
/// before that, so a date before 2017 still gets an answer.
pub fn rules_on(date: NaiveDate) -> &'static Edition {
    let all = editions();
    all.iter().rev().find(|e| e.effective_from <= date).unwrap_or(&all[0])
}

impl Edition {
    fn section(&self, section: &str) -> &std::collections::BTreeMap<String, Param> {
        match section {
            "space" => &self.space,
            "visits" => &self.visits,
            "library" => &self.library,
            "pumasi" => &self.pumasi,
            "report" => &self.report,
            _ => &self.obligations,
        }
    }

    /// A parameter; a missing one is a defect of the data files, caught by the tests below.
    pub fn param(&self, section: &str, key: &str) -> &Param {
        self.section(section).get(key).unwrap_or_else(|| panic!("rules {}: no {section}.{key}", self.edition))
    }

    /// An integer parameter, None when the edition has no such rule (`null`).
    pub fn int(&self, section: &str, key: &str) -> Option<i64> {
        self.param(section, key).value.as_i64()
    }

    pub fn flag(&self, section: &str, key: &str) -> bool {
        self.param(section, key).value.as_bool().unwrap_or(false)
    }

    pub fn text(&self, section: &str, key: &str) -> &str {
        self.param(section, key).value.as_str().unwrap_or_default()
    }

    pub fn rule(&self, section: &str, key: &str) -> &str {
        &self.param(section, key).rule
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    const INTS: &[(&str, &str)] = &[
        ("space", "min_area_m2"),
        ("space", "min_area_remodelled_m2"),
        ("space", "min_weekly_hours"),
        ("space", "pledge_years"),
        ("space", "min_cctv_units"),
        ("space", "min_cctv_megapixels_x10"),
        ("space", "min_cctv_retention_days"),
        ("space", "insurance_warn_days"),
        ("visits", "loan_user_min_minutes"),
        ("library", "loan_days"),
        ("library", "late_fee_per_day_won"),
        ("library", "suspension_after_late_days"),
        ("library", "suspension_months"),
        ("library", "max_renewals"),
        ("library", "renewal_days"),
        ("pumasi", "min_families"),
        ("pumasi", "monthly_per_group_won"),
        ("pumasi", "experience_fee_per_half_won"),
        ("pumasi", "experience_fee_times_per_half"),
        ("obligations", "min_groups"),
    ];

    #[test]
    fn both_editions_load_with_every_number_sourced() {
        let all = load().unwrap();
        assert_eq!(all.len(), 2);
        for e in &all {
            for (s, k) in INTS {
                assert!(e.int(s, k).is_some(), "{} {s}.{k}", e.edition);
                assert!(e.param(s, k).source.contains("seeds/") || e.param(s, k).source.starts_with("reading"));
            }
        }
    }

    #[test]
    fn years_differ_as_the_guides_do() {
        let y17 = rules_on(d("2017-06-01"));
        let y18 = rules_on(d("2026-06-01"));
        assert_eq!(y17.int("obligations", "user_target_all_day"), Some(6000));
        assert_eq!(y18.int("obligations", "user_target_all_day"), None, "deleted in 2018");
        assert_eq!(y17.int("pumasi", "mixed_dual_income_per_group_won"), None, "new in 2018");
        assert_eq!(y18.int("pumasi", "mixed_dual_income_per_group_won"), Some(60_000));
        assert!(!y17.flag("visits", "infectious_restriction"));
        assert!(y18.flag("visits", "infectious_restriction"));
        assert_eq!(y18.int("space", "min_area_remodelled_m2"), Some(66));
        assert_eq!(y18.rule("pumasi", "monthly_per_group_won"), "PM-06");
        assert_eq!(y18.int("library", "late_fee_per_day_won"), Some(100));
    }
}
