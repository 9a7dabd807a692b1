//! Dated parameter files and the rule book that resolves them.
//!
//! A file holds the values of one calculator for a period (`effective_from` ..=
//! `effective_until`), each value with its source. An `edition` is a complete table (a
//! guide's year); an `override` replaces some values of the editions it overlaps. For any
//! date the book knows exactly one resolved parameter set per calculator, or none: a date no
//! edition covers has no parameters, never the nearest year's.

pub mod family_capacity;
pub mod single_parent;
pub mod visiting_copay;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::Calculator;
use crate::error::RulesError;

const EMBEDDED: &[(&str, &str)] = &[
    ("rules/single_parent/2023.json", include_str!("../../../../rules/single_parent/2023.json")),
    ("rules/family_capacity/2017.json", include_str!("../../../../rules/family_capacity/2017.json")),
    ("rules/family_capacity/2018.json", include_str!("../../../../rules/family_capacity/2018.json")),
    ("rules/visiting_copay/2018.json", include_str!("../../../../rules/visiting_copay/2018.json")),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Kind {
    Edition,
    Override,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourcedValue {
    value: serde_json::Value,
    source: String,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ParamFile {
    calculator: CalculatorTag,
    #[serde(default = "default_kind")]
    kind: Kind,
    edition: String,
    #[serde(default)]
    criteria_year: Option<i32>,
    effective_from: NaiveDate,
    effective_until: NaiveDate,
    #[serde(default)]
    #[allow(dead_code)]
    title_ko: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    title_en: Option<String>,
    values: HashMap<String, SourcedValue>,
}

fn default_kind() -> Kind {
    Kind::Edition
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum CalculatorTag {
    SingleParent,
    FamilyCapacity,
    VisitingCopay,
}

impl From<CalculatorTag> for Calculator {
    fn from(t: CalculatorTag) -> Self {
        match t {
            CalculatorTag::SingleParent => Calculator::SingleParent,
            CalculatorTag::FamilyCapacity => Calculator::FamilyCapacity,
            CalculatorTag::VisitingCopay => Calculator::VisitingCopay,
        }
    }
}

/// Where the values in force on a date came from, reported with every result.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ParameterInfo {
    /// Edition id, with `+override` ids appended when an override file changed values.
    pub edition: String,
    pub criteria_year: Option<i32>,
    pub effective_from: NaiveDate,
    pub effective_until: NaiveDate,
}

/// The resolved parameters of one calculator for a span of dates.
#[derive(Debug)]
pub struct Resolved<P> {
    pub info: ParameterInfo,
    pub values: P,
    sources: HashMap<String, String>,
    /// The P-01 sentences naming these parameters, written once instead of per request.
    applied: (String, String),
}

impl<P> Resolved<P> {
    /// Source (seed file and line) of a parameter; every resolved name has one.
    pub fn source(&self, name: &str) -> &str {
        self.sources.get(name).map_or("", String::as_str)
    }

    /// "적용 기준: <edition> (<from>~<until>)." and its English, for the P-01 trace entry.
    pub fn applied_sentences(&self) -> (&str, &str) {
        (&self.applied.0, &self.applied.1)
    }
}

#[derive(Debug)]
struct Timeline<P> {
    spans: Vec<Arc<Resolved<P>>>,
}

impl<P> Default for Timeline<P> {
    fn default() -> Self {
        Self { spans: Vec::new() }
    }
}

impl<P> Timeline<P> {
    fn at(&self, date: NaiveDate) -> Option<&Resolved<P>> {
        let idx = self.spans.partition_point(|s| s.info.effective_from <= date);
        let span = self.spans.get(idx.checked_sub(1)?)?;
        (date <= span.info.effective_until).then_some(span.as_ref())
    }
}

/// All parameter files known to a process, resolved by calculator and date.
#[derive(Debug)]
pub struct RuleBook {
    files: Vec<(String, ParamFile)>,
    single_parent: Timeline<single_parent::Params>,
    family_capacity: Timeline<family_capacity::Params>,
    visiting_copay: Timeline<visiting_copay::Params>,
}

impl RuleBook {
    /// The parameter files shipped in the binary.
    pub fn embedded() -> Result<RuleBook, RulesError> {
        let mut files = Vec::with_capacity(EMBEDDED.len());
        for (origin, text) in EMBEDDED {
            files.push(((*origin).to_owned(), parse_file(origin, text)?));
        }
        Self::build(files)
    }

    /// Adds a parameter file read at run time (next year's table, or an override).
    pub fn with_file(self, path: &Path) -> Result<RuleBook, RulesError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| RulesError::Io { path: path.display().to_string(), source })?;
        self.with_json(&path.display().to_string(), &text)
    }

    /// Adds a parameter file given as text; `origin` names it in error messages.
    pub fn with_json(self, origin: &str, text: &str) -> Result<RuleBook, RulesError> {
        let mut files = self.files;
        files.push((origin.to_owned(), parse_file(origin, text)?));
        Self::build(files)
    }

    pub fn single_parent_at(&self, date: NaiveDate) -> Option<&Resolved<single_parent::Params>> {
        self.single_parent.at(date)
    }

    pub fn family_capacity_at(&self, date: NaiveDate) -> Option<&Resolved<family_capacity::Params>> {
        self.family_capacity.at(date)
    }

    pub fn visiting_copay_at(&self, date: NaiveDate) -> Option<&Resolved<visiting_copay::Params>> {
        self.visiting_copay.at(date)
    }

    /// Periods with parameters, per calculator, for documentation and diagnostics.
    pub fn coverage(&self, calc: Calculator) -> Vec<ParameterInfo> {
        fn infos<P>(t: &Timeline<P>) -> Vec<ParameterInfo> {
            t.spans.iter().map(|s| s.info.clone()).collect()
        }
        match calc {
            Calculator::SingleParent => infos(&self.single_parent),
            Calculator::FamilyCapacity => infos(&self.family_capacity),
            Calculator::VisitingCopay => infos(&self.visiting_copay),
        }
    }

    fn build(files: Vec<(String, ParamFile)>) -> Result<RuleBook, RulesError> {
        let single_parent = timeline(&files, CalculatorTag::SingleParent, "single_parent")?;
        let family_capacity = timeline(&files, CalculatorTag::FamilyCapacity, "family_capacity")?;
        let visiting_copay = timeline(&files, CalculatorTag::VisitingCopay, "visiting_copay")?;
        Ok(RuleBook { files, single_parent, family_capacity, visiting_copay })
    }
}

fn parse_file(origin: &str, text: &str) -> Result<ParamFile, RulesError> {
    let file: ParamFile = serde_json::from_str(text)
        .map_err(|e| RulesError::Format { origin: origin.to_owned(), message: e.to_string() })?;
    if file.effective_until < file.effective_from {
        return Err(RulesError::Format {
            origin: origin.to_owned(),
            message: "effective_until is before effective_from".to_owned(),
        });
    }
    Ok(file)
}

/// Cuts the calendar at every file boundary; inside each piece the same files apply and win
/// value by value in this order: editions, then overrides; within each, later
/// `effective_from`, then later loading.
fn timeline<P: DeserializeOwned>(
    files: &[(String, ParamFile)],
    tag: CalculatorTag,
    name: &'static str,
) -> Result<Timeline<P>, RulesError> {
    let mine: Vec<(usize, &ParamFile)> =
        files.iter().enumerate().filter(|(_, (_, f))| f.calculator == tag).map(|(i, (_, f))| (i, f)).collect();
    let mut cuts = BTreeSet::new();
    for (_, f) in &mine {
        cuts.insert(f.effective_from);
        if let Some(next) = f.effective_until.succ_opt() {
            cuts.insert(next);
        }
    }
    let cuts: Vec<NaiveDate> = cuts.into_iter().collect();
    let mut spans = Vec::new();
    for w in cuts.windows(2) {
        let (from, until) = (w[0], w[1].pred_opt().unwrap_or(w[1]));
        let mut covering: Vec<(usize, &ParamFile)> =
            mine.iter().copied().filter(|(_, f)| f.effective_from <= from && f.effective_until >= from).collect();
        if !covering.iter().any(|(_, f)| f.kind == Kind::Edition) {
            continue;
        }
        covering.sort_by_key(|(i, f)| (f.kind == Kind::Override, f.effective_from, *i));
        let mut values = serde_json::Map::new();
        let mut sources = HashMap::new();
        let mut edition = String::new();
        let mut criteria_year = None;
        for (_, f) in &covering {
            match f.kind {
                Kind::Edition => {
                    edition.clone_from(&f.edition);
                    if f.criteria_year.is_some() {
                        criteria_year = f.criteria_year;
                    }
                }
                Kind::Override => {
                    edition.push('+');
                    edition.push_str(&f.edition);
                }
            }
            for (k, v) in &f.values {
                values.insert(k.clone(), v.value.clone());
                sources.insert(k.clone(), v.source.clone());
            }
        }
        let parsed: P =
            serde_json::from_value(serde_json::Value::Object(values)).map_err(|e| RulesError::Incomplete {
                calculator: name,
                from: from.to_string(),
                until: until.to_string(),
                message: e.to_string(),
            })?;
        let applied =
            (format!("적용 기준: {edition} ({from}~{until})."), format!("parameters: {edition} ({from} to {until})"));
        spans.push(Arc::new(Resolved {
            info: ParameterInfo { edition, criteria_year, effective_from: from, effective_until: until },
            values: parsed,
            sources,
            applied,
        }));
    }
    Ok(Timeline { spans })
}

/// A table keyed by household size; sizes are JSON object keys.
pub type BySize<T> = std::collections::BTreeMap<u32, T>;

/// Health-insurance subscriber types of the premium tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InsuranceType {
    Employee,
    Regional,
    Mixed,
}

impl InsuranceType {
    pub fn ko(self) -> &'static str {
        match self {
            Self::Employee => "직장가입자",
            Self::Regional => "지역가입자",
            Self::Mixed => "혼합(직장+지역)",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            Self::Employee => "employee subscriber",
            Self::Regional => "regional subscriber",
            Self::Mixed => "mixed subscriber",
        }
    }
}

/// One premium row: the monthly premium limit per subscriber type.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PremiumRow {
    pub employee: i64,
    pub regional: i64,
    pub mixed: i64,
}

impl PremiumRow {
    pub fn get(&self, t: InsuranceType) -> i64 {
        match t {
            InsuranceType::Employee => self.employee,
            InsuranceType::Regional => self.regional,
            InsuranceType::Mixed => self.mixed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn embedded_files_resolve() {
        let book = RuleBook::embedded().unwrap();
        assert!(book.single_parent_at(d("2023-06-01")).is_some());
        assert!(book.single_parent_at(d("2022-12-31")).is_none());
        assert!(book.single_parent_at(d("2024-01-01")).is_none());
        assert_eq!(book.family_capacity_at(d("2017-03-01")).unwrap().info.criteria_year, Some(2017));
        assert_eq!(book.family_capacity_at(d("2018-03-01")).unwrap().info.criteria_year, Some(2018));
        assert!(book.visiting_copay_at(d("2018-01-31")).is_none());
        assert!(book.visiting_copay_at(d("2018-02-01")).is_some());
    }

    #[test]
    fn every_value_has_a_source() {
        for (origin, text) in EMBEDDED {
            let f = parse_file(origin, text).unwrap();
            for (k, v) in &f.values {
                assert!(
                    v.source.starts_with("seeds/") || v.source.starts_with("domain/"),
                    "{origin}: {k} has no seed or domain source"
                );
            }
        }
    }

    #[test]
    fn override_replaces_only_its_values_and_period() {
        let over = r#"{"calculator":"single_parent","kind":"override","edition":"what-if",
            "effective_from":"2023-07-01","effective_until":"2023-12-31",
            "values":{"b01_amount":{"value":210000,"source":"domain/test"}}}"#;
        let book = RuleBook::embedded().unwrap().with_json("test", over).unwrap();
        let june = book.single_parent_at(d("2023-06-30")).unwrap();
        let july = book.single_parent_at(d("2023-07-01")).unwrap();
        assert_eq!(june.values.b01_amount, 200_000);
        assert_eq!(july.values.b01_amount, 210_000);
        assert_eq!(july.values.b03_amount, 300_000);
        assert_eq!(july.info.edition, "single-parent-2023+what-if");
        assert_eq!(july.source("b01_amount"), "domain/test");
    }

    #[test]
    fn override_alone_gives_no_parameters() {
        let over = r#"{"calculator":"single_parent","kind":"override","edition":"x",
            "effective_from":"2030-01-01","effective_until":"2030-12-31",
            "values":{"b01_amount":{"value":1,"source":"domain/test"}}}"#;
        let book = RuleBook::embedded().unwrap().with_json("test", over).unwrap();
        assert!(book.single_parent_at(d("2030-06-01")).is_none());
    }

    #[test]
    fn incomplete_edition_is_rejected() {
        let bad = r#"{"calculator":"single_parent","edition":"x","effective_from":"2031-01-01",
            "effective_until":"2031-12-31","values":{"b01_amount":{"value":1,"source":"seeds/x"}}}"#;
        let err = RuleBook::embedded().unwrap().with_json("bad", bad).unwrap_err();
        assert!(matches!(err, RulesError::Incomplete { .. }), "{err}");
    }
}
