//! Rules as code: dated parameters, calculators and explanation traces.
//!
//! Three calculators read JSON and answer JSON: 한부모가족 eligibility and benefits
//! (`single-parent`), 가족역량강화지원 eligibility (`family-capacity`) and the 다문화
//! 방문교육 co-payment type (`visiting-copay`). Every number they use comes from a dated
//! parameter file under `rules/` with its source; every result carries a Korean and English
//! trace of the rules applied.

pub mod age;
pub mod error;
pub mod family_capacity;
pub mod insurance;
mod json;
mod json_out;
pub mod money;
pub mod params;
pub mod single_parent;
pub mod trace;
pub mod visiting_copay;

use std::io::{BufRead, Write};
use std::str::FromStr;

use serde::de::DeserializeOwned;

pub use error::{InputError, RulesError};
pub use params::{ParameterInfo, RuleBook};

/// The calculators, named as in the CLI and the HTTP API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Calculator {
    SingleParent,
    FamilyCapacity,
    VisitingCopay,
}

impl Calculator {
    pub const ALL: [Calculator; 3] = [Self::SingleParent, Self::FamilyCapacity, Self::VisitingCopay];

    /// The kebab-case name used in URLs and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SingleParent => "single-parent",
            Self::FamilyCapacity => "family-capacity",
            Self::VisitingCopay => "visiting-copay",
        }
    }
}

impl std::fmt::Display for Calculator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown calculator '{0}' (expected single-parent, family-capacity or visiting-copay)")]
pub struct UnknownCalculator(pub String);

impl FromStr for Calculator {
    type Err = UnknownCalculator;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|c| c.as_str() == s).ok_or_else(|| UnknownCalculator(s.to_owned()))
    }
}

/// Deserializes with the path of the failing field kept for the error.
pub(crate) fn parse_json<T: DeserializeOwned>(input: &str) -> Result<T, InputError> {
    // Fast path: tracking the path costs a third of the parse, and only a failing document
    // needs it, so that one is parsed a second time (same result, same error).
    if let Ok(value) = serde_json::from_str(input) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_str(input);
    let value: T = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| InputError::from_serde(&e.path().to_string(), e.inner()))?;
    de.end().map_err(|e| InputError::from_serde("", &e))?;
    Ok(value)
}

/// Writes `value` as compact JSON: the fast writer, or `serde_json` for what it refuses.
fn write_json<T: serde::Serialize>(out: &mut Vec<u8>, value: &T) -> Result<(), serde_json::Error> {
    let start = out.len();
    if json::write(out, value).is_ok() {
        return Ok(());
    }
    out.truncate(start);
    serde_json::to_writer(out, value)
}

/// Writes a result with its hand-written writer (the same bytes as `serde_json`), or with
/// `serde_json` for what that refuses.
fn write_result<T: serde::Serialize + json_out::WriteJson>(
    out: &mut Vec<u8>,
    value: &T,
) -> Result<(), serde_json::Error> {
    let start = out.len();
    if value.write_json(out).is_ok() {
        return Ok(());
    }
    out.truncate(start);
    serde_json::to_writer(out, value)
}

/// Evaluates one request and writes its result as JSON, or returns the input error.
fn evaluate_into(
    book: &RuleBook,
    calc: Calculator,
    input: &str,
    out: &mut Vec<u8>,
) -> Result<Result<(), serde_json::Error>, InputError> {
    Ok(match calc {
        Calculator::SingleParent => {
            let req = single_parent::parse(input)?;
            write_result(out, &single_parent::evaluate(book, &req))
        }
        Calculator::FamilyCapacity => {
            let req = family_capacity::parse(input)?;
            write_result(out, &family_capacity::evaluate(book, &req))
        }
        Calculator::VisitingCopay => {
            let req = visiting_copay::parse(input)?;
            write_result(out, &visiting_copay::evaluate(book, &req))
        }
    })
}

/// Parses and evaluates one JSON document. `Ok` is the result (with its trace); `Err` is
/// bad input, naming the field.
pub fn evaluate_json(book: &RuleBook, calc: Calculator, input: &str) -> Result<serde_json::Value, InputError> {
    fn to_value<T: serde::Serialize>(v: &T) -> serde_json::Value {
        // Results are plain data (strings, integers, dates); serializing them cannot fail.
        serde_json::to_value(v).unwrap_or_default()
    }
    Ok(match calc {
        Calculator::SingleParent => to_value(&single_parent::evaluate(book, &single_parent::parse(input)?)),
        Calculator::FamilyCapacity => to_value(&family_capacity::evaluate(book, &family_capacity::parse(input)?)),
        Calculator::VisitingCopay => to_value(&visiting_copay::evaluate(book, &visiting_copay::parse(input)?)),
    })
}

/// Counts of a batch run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct BatchStats {
    pub lines: u64,
    pub ok: u64,
    pub errors: u64,
}

#[derive(serde::Serialize)]
struct BatchError<'e> {
    error: &'e InputError,
    line: u64,
}

/// JSON Lines in, one JSON result per line out; a bad line yields
/// `{"error": InputError, "line": n}` (1-based) and the batch goes on. Blank lines are
/// skipped but counted in line numbers.
pub fn run_batch(
    book: &RuleBook,
    calc: Calculator,
    mut input: impl BufRead,
    mut output: impl Write,
) -> std::io::Result<BatchStats> {
    let mut stats = BatchStats::default();
    let mut line = String::with_capacity(4096);
    let mut buf: Vec<u8> = Vec::with_capacity(16 * 1024);
    let mut number = 0u64;
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            break;
        }
        number += 1;
        let text = line.trim();
        if text.is_empty() {
            continue;
        }
        stats.lines += 1;
        buf.clear();
        match evaluate_into(book, calc, text, &mut buf) {
            Ok(written) => {
                written.map_err(std::io::Error::other)?;
                stats.ok += 1;
            }
            Err(e) => {
                buf.clear();
                write_json(&mut buf, &BatchError { error: &e, line: number }).map_err(std::io::Error::other)?;
                stats.errors += 1;
            }
        }
        buf.push(b'\n');
        output.write_all(&buf)?;
    }
    output.flush()?;
    Ok(stats)
}
