//! Explanation traces: every rule a calculator applied, with the parameter, its value and
//! source, the comparison made, in Korean and English.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pass,
    Fail,
    Info,
}

/// One step of an explanation. Parameter name and source borrow from the rule book so a
/// trace costs no allocation beyond its two sentences.
#[derive(Debug, Clone, Serialize)]
pub struct TraceEntry<'a> {
    pub rule: &'static str,
    pub outcome: Outcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<&'a str>,
    pub ko: String,
    pub en: String,
}

#[derive(Debug, Default, Clone, Serialize)]
#[serde(transparent)]
pub struct Trace<'a> {
    entries: Vec<TraceEntry<'a>>,
}

impl<'a> Trace<'a> {
    pub fn new() -> Self {
        Self {
            entries: Vec::with_capacity(24),
        }
    }

    pub fn push(&mut self, entry: TraceEntry<'a>) {
        self.entries.push(entry);
    }

    /// A rule outcome without a parameter (e.g. an input fact).
    pub fn fact(&mut self, rule: &'static str, outcome: Outcome, ko: String, en: String) {
        self.push(TraceEntry {
            rule,
            outcome,
            parameter: None,
            value: None,
            source: None,
            ko,
            en,
        });
    }

    pub fn entries(&self) -> &[TraceEntry<'a>] {
        &self.entries
    }

    pub fn failed_rules(&self) -> impl Iterator<Item = &TraceEntry<'a>> {
        self.entries.iter().filter(|e| e.outcome == Outcome::Fail)
    }
}

/// Korean comparison sign and English words for `value <= limit`-style tests.
pub fn cmp_sign(value: i64, limit: i64) -> &'static str {
    match value.cmp(&limit) {
        std::cmp::Ordering::Less => "<",
        std::cmp::Ordering::Equal => "=",
        std::cmp::Ordering::Greater => ">",
    }
}
