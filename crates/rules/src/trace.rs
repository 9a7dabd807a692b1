//! Explanation traces: every rule a calculator applied, with the parameter, its value and
//! source, the comparison made, in Korean and English.
//!
//! Entries are structured data (rule, outcome, parameter, value, source); their two sentences
//! are written straight into one text buffer per trace, so a trace costs two allocations
//! however many entries it has, and nothing is formatted twice.

use std::fmt::{self, Write as _};

use serde::Serialize;
use serde::ser::{SerializeSeq, SerializeStruct};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pass,
    Fail,
    Info,
}

/// The parameter value a trace entry names: a number, a flag, a named choice, or `null` when
/// the table has no value for the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TraceValue {
    Int(i64),
    Bool(bool),
    Name(&'static str),
    Null,
}

impl Serialize for TraceValue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match *self {
            Self::Int(v) => s.serialize_i64(v),
            Self::Bool(v) => s.serialize_bool(v),
            Self::Name(v) => s.serialize_str(v),
            Self::Null => s.serialize_unit(),
        }
    }
}

impl From<i64> for TraceValue {
    fn from(v: i64) -> Self {
        Self::Int(v)
    }
}

impl From<u32> for TraceValue {
    fn from(v: u32) -> Self {
        Self::Int(v.into())
    }
}

impl From<bool> for TraceValue {
    fn from(v: bool) -> Self {
        Self::Bool(v)
    }
}

/// What a trace entry is about; its sentences are passed next to it to [`Trace::push`].
#[derive(Debug, Clone, Copy)]
pub struct Step<'a> {
    pub rule: &'static str,
    pub outcome: Outcome,
    pub parameter: Option<&'a str>,
    pub value: Option<TraceValue>,
    pub source: Option<&'a str>,
}

impl Step<'_> {
    /// A rule outcome without a parameter (e.g. an input fact).
    pub fn fact(rule: &'static str, outcome: Outcome) -> Self {
        Step { rule, outcome, parameter: None, value: None, source: None }
    }
}

/// One step of an explanation. Parameter name and source borrow from the rule book; the
/// sentences are ranges of the trace's text.
#[derive(Debug, Clone, Copy)]
pub struct TraceEntry<'a> {
    pub step: Step<'a>,
    ko: (u32, u32),
    en: (u32, u32),
}

impl<'a> std::ops::Deref for TraceEntry<'a> {
    type Target = Step<'a>;
    fn deref(&self) -> &Step<'a> {
        &self.step
    }
}

/// A sentence: static text, an owned string, or `format_args!` written in place.
pub trait Text {
    fn write_to(self, out: &mut String);
}

impl Text for &str {
    fn write_to(self, out: &mut String) {
        out.push_str(self);
    }
}

impl Text for String {
    fn write_to(self, out: &mut String) {
        out.push_str(&self);
    }
}

impl Text for fmt::Arguments<'_> {
    fn write_to(self, out: &mut String) {
        match self.as_str() {
            Some(s) => out.push_str(s),
            // Writing into a String cannot fail.
            None => {
                let _ = out.write_fmt(self);
            }
        }
    }
}

#[derive(Debug, Default, Clone)]
pub struct Trace<'a> {
    entries: Vec<TraceEntry<'a>>,
    text: String,
}

impl<'a> Trace<'a> {
    pub fn new() -> Self {
        Self { entries: Vec::with_capacity(32), text: String::with_capacity(4096) }
    }

    fn write(&mut self, sentence: impl Text) -> (u32, u32) {
        let start = self.text.len();
        sentence.write_to(&mut self.text);
        // Offsets fit: a trace is a few kilobytes.
        (start as u32, self.text.len() as u32)
    }

    /// Adds an entry with its Korean and English sentences; returns its index.
    pub fn push(&mut self, step: Step<'a>, ko: impl Text, en: impl Text) -> usize {
        let ko = self.write(ko);
        let en = self.write(en);
        self.entries.push(TraceEntry { step, ko, en });
        self.entries.len() - 1
    }

    /// A rule outcome without a parameter (e.g. an input fact).
    pub fn fact(&mut self, rule: &'static str, outcome: Outcome, ko: impl Text, en: impl Text) {
        self.push(Step::fact(rule, outcome), ko, en);
    }

    pub fn entries(&self) -> &[TraceEntry<'a>] {
        &self.entries
    }

    /// The Korean sentence of an entry of this trace.
    pub fn ko(&self, entry: &TraceEntry<'_>) -> &str {
        &self.text[entry.ko.0 as usize..entry.ko.1 as usize]
    }

    /// The English sentence of an entry of this trace.
    pub fn en(&self, entry: &TraceEntry<'_>) -> &str {
        &self.text[entry.en.0 as usize..entry.en.1 as usize]
    }

    pub fn failed_rules(&self) -> impl Iterator<Item = &TraceEntry<'a>> {
        self.entries.iter().filter(|e| e.outcome == Outcome::Fail)
    }

    /// `"<rule> <English sentence>"`, the form of a reason in a result.
    pub fn reason(&self, entry: &TraceEntry<'_>) -> String {
        let en = self.en(entry);
        let mut r = String::with_capacity(entry.rule.len() + 1 + en.len());
        r.push_str(entry.rule);
        r.push(' ');
        r.push_str(en);
        r
    }
}

/// Serialized as a list of `{rule, outcome, parameter?, value?, source?, ko, en}`.
impl Serialize for Trace<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.entries.len()))?;
        for e in &self.entries {
            seq.serialize_element(&EntryView { entry: e, trace: self })?;
        }
        seq.end()
    }
}

struct EntryView<'t, 'a> {
    entry: &'t TraceEntry<'a>,
    trace: &'t Trace<'a>,
}

impl Serialize for EntryView<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let e = &self.entry.step;
        let mut st = s.serialize_struct("TraceEntry", 7)?;
        st.serialize_field("rule", e.rule)?;
        st.serialize_field("outcome", &e.outcome)?;
        match e.parameter {
            Some(p) => st.serialize_field("parameter", p)?,
            None => st.skip_field("parameter")?,
        }
        match &e.value {
            Some(v) => st.serialize_field("value", v)?,
            None => st.skip_field("value")?,
        }
        match e.source {
            Some(src) => st.serialize_field("source", src)?,
            None => st.skip_field("source")?,
        }
        st.serialize_field("ko", self.trace.ko(self.entry))?;
        st.serialize_field("en", self.trace.en(self.entry))?;
        st.end()
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
