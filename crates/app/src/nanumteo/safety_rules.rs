//! The safety rules data (`rules/nanumteo/safety-*.json`): the weekly and quarterly checklist
//! items in the guide's words with their source lines, the temperature and humidity ranges,
//! inspection intervals, the semi-annual report, the CCTV ledger's retention, the regular
//! program rule and the membership form's requirements. Every number carries rule and source.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::NaiveDate;
use gajok_domain::nanumteo_safety::ChecklistKind;
use serde::{Deserialize, Serialize};

use super::rules::Param;

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ItemDef {
    pub no: i64,
    /// The quarterly form's 점검대상 (안전관리 계획, 화재안전, ...); none on the weekly form.
    pub group: Option<String>,
    pub text: String,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ChecklistDef {
    pub rule: String,
    pub title: String,
    pub source: String,
    pub items: Vec<ItemDef>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SafetyEdition {
    pub kind: String,
    pub edition: String,
    pub effective_from: NaiveDate,
    pub source: String,
    pub note: String,
    pub checklists: BTreeMap<String, ChecklistDef>,
    pub params: BTreeMap<String, Param>,
}

const FILES: &[&str] = &[include_str!("../../../../rules/nanumteo/safety-2018.json")];

fn load() -> Result<Vec<SafetyEdition>, String> {
    let mut v: Vec<SafetyEdition> = FILES
        .iter()
        .map(|f| serde_json::from_str(f).map_err(|e| format!("nanumteo safety rules: {e}")))
        .collect::<Result<_, _>>()?;
    v.sort_by_key(|e| e.effective_from);
    Ok(v)
}

fn editions() -> &'static [SafetyEdition] {
    static E: OnceLock<Vec<SafetyEdition>> = OnceLock::new();
    E.get_or_init(|| load().unwrap_or_else(|e| panic!("rules data is broken: {e}")))
}

/// The edition in force on a date (the oldest before the first one).
pub fn safety_rules_on(date: NaiveDate) -> &'static SafetyEdition {
    let all = editions();
    all.iter().rev().find(|e| e.effective_from <= date).unwrap_or(&all[0])
}

impl SafetyEdition {
    pub fn checklist(&self, kind: ChecklistKind) -> &ChecklistDef {
        use gajok_domain::code_list::CodeList;
        self.checklists
            .get(kind.code())
            .unwrap_or_else(|| panic!("safety rules {}: no checklist {}", self.edition, kind.code()))
    }

    pub fn param(&self, key: &str) -> &Param {
        self.params.get(key).unwrap_or_else(|| panic!("safety rules {}: no {key}", self.edition))
    }

    pub fn int(&self, key: &str) -> i64 {
        self.param(key).value.as_i64().unwrap_or_else(|| panic!("safety rules {}: {key} is not a number", self.edition))
    }

    pub fn rule(&self, key: &str) -> &str {
        &self.param(key).rule
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checklists_have_the_guides_20_and_17_items_with_sources() {
        let r = safety_rules_on(NaiveDate::from_ymd_opt(2026, 6, 1).unwrap());
        let w = r.checklist(ChecklistKind::Weekly);
        let q = r.checklist(ChecklistKind::Quarterly);
        assert_eq!(w.items.len(), 20);
        assert_eq!(q.items.len(), 17);
        for (i, it) in w.items.iter().chain(q.items.iter()).enumerate() {
            assert!(it.source.starts_with("seeds/001_72366e9ec1eba677.txt:L"), "item {i}");
            assert!(!it.text.is_empty());
        }
        assert!((1..=20).eq(w.items.iter().map(|i| i.no)));
        assert!((1..=17).eq(q.items.iter().map(|i| i.no)));
        assert_eq!(w.items[7].text, "실내온도는 18도 이상 28도 이하를 유지하고 있다");
        assert_eq!(q.items[11].text, "CCTV는 잘 작동하며, 영상정보 보관기관이 준수되고 있다");
        assert_eq!(q.items[0].group.as_deref(), Some("안전관리 계획"));
    }

    #[test]
    fn every_number_is_sourced() {
        let r = safety_rules_on(NaiveDate::from_ymd_opt(2026, 6, 1).unwrap());
        for (k, v) in [
            ("temperature_min_c", 18),
            ("temperature_max_c", 28),
            ("humidity_min_pct", 30),
            ("humidity_max_pct", 80),
            ("pest_control_every_months", 3),
            ("electrical_every_months", 12),
            ("gas_every_months", 12),
            ("cctv_ledger_years", 3),
            ("regular_min_per_week", 2),
            ("report_months", 6),
        ] {
            assert_eq!(r.int(k), v, "{k}");
            assert!(r.param(k).source.contains("seeds/"), "{k}");
        }
        assert_eq!(r.rule("temperature_min_c"), "CS-85");
    }
}
