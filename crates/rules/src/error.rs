//! Errors: `RulesError` for parameter files (a deployment problem), `InputError` for a bad
//! request (the caller's problem, reported with a stable code and the field at fault).

use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    #[error("cannot read parameter file {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("parameter file {origin} is not valid: {message}")]
    Format { origin: String, message: String },
    #[error("parameters for {calculator} from {from} to {until} are incomplete or invalid: {message}")]
    Incomplete { calculator: &'static str, from: String, until: String, message: String },
}

/// A request the calculators refuse, naming the field (dotted path, e.g.
/// `children[1].birth_date`) and, for an enum, the values it accepts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{code} at {field}: {message_en}")]
pub struct InputError {
    pub code: String,
    pub field: String,
    pub allowed: Vec<String>,
    pub message_ko: String,
    pub message_en: String,
}

/// Stable error codes; the strings are part of the public API.
pub mod codes {
    pub const INVALID_JSON: &str = "invalid_json";
    pub const MISSING_FIELD: &str = "missing_field";
    pub const UNKNOWN_FIELD: &str = "unknown_field";
    pub const UNKNOWN_ENUM_VALUE: &str = "unknown_enum_value";
    pub const INVALID_TYPE: &str = "invalid_type";
    pub const INVALID_DATE: &str = "invalid_date";
    pub const NEGATIVE_AMOUNT: &str = "negative_amount";
    pub const OUT_OF_RANGE: &str = "out_of_range";
    pub const BIRTH_AFTER_EVALUATION: &str = "birth_date_after_evaluation_date";
    pub const INCONSISTENT_FIELDS: &str = "inconsistent_fields";
}

impl InputError {
    pub fn new(code: &str, field: impl Into<String>, message_ko: String, message_en: String) -> Self {
        Self { code: code.to_owned(), field: field.into(), allowed: Vec::new(), message_ko, message_en }
    }

    pub fn missing(field: impl Into<String>) -> Self {
        let field = field.into();
        Self::new(
            codes::MISSING_FIELD,
            field.clone(),
            format!("필수 항목 '{field}'이(가) 없습니다."),
            format!("Required field '{field}' is missing."),
        )
    }

    pub fn negative(field: impl Into<String>, value: i64) -> Self {
        let field = field.into();
        Self::new(
            codes::NEGATIVE_AMOUNT,
            field.clone(),
            format!("'{field}'은(는) 0 이상이어야 합니다(입력값 {value})."),
            format!("'{field}' must not be negative (got {value})."),
        )
    }

    pub fn out_of_range(field: impl Into<String>, value: i64, min: i64, max: i64) -> Self {
        let field = field.into();
        Self::new(
            codes::OUT_OF_RANGE,
            field.clone(),
            format!("'{field}'은(는) {min} 이상 {max} 이하여야 합니다(입력값 {value})."),
            format!("'{field}' must be between {min} and {max} (got {value})."),
        )
    }

    pub fn inconsistent(field: impl Into<String>, ko: &str, en: &str) -> Self {
        let field = field.into();
        Self::new(codes::INCONSISTENT_FIELDS, field.clone(), format!("'{field}': {ko}"), format!("'{field}': {en}"))
    }

    /// Translates a serde error (with the path where it happened) into the public shape.
    pub(crate) fn from_serde(path: &str, err: &serde_json::Error) -> Self {
        let msg = err.to_string();
        let path = if path == "." { "" } else { path };
        let join = |name: &str| {
            if path.is_empty() || path.ends_with(name) {
                if path.is_empty() { name.to_owned() } else { path.to_owned() }
            } else {
                format!("{path}.{name}")
            }
        };
        if let Some(name) = between_backticks(&msg, "missing field `") {
            return Self::missing(join(name));
        }
        if let Some(name) = between_backticks(&msg, "unknown field `") {
            let field = join(name);
            let mut e = Self::new(
                codes::UNKNOWN_FIELD,
                field.clone(),
                format!("알 수 없는 항목 '{field}'이(가) 있습니다."),
                format!("Unknown field '{field}'."),
            );
            e.allowed = expected_list(&msg);
            return e;
        }
        if let Some(value) = between_backticks(&msg, "unknown variant `") {
            let field = path.to_owned();
            let allowed = expected_list(&msg);
            let list = allowed.join(", ");
            let mut e = Self::new(
                codes::UNKNOWN_ENUM_VALUE,
                field.clone(),
                format!("'{field}'의 값 '{value}'은(는) 허용되지 않습니다. 허용값: {list}"),
                format!("'{field}' does not accept '{value}'. Allowed: {list}"),
            );
            e.allowed = allowed;
            return e;
        }
        if msg.starts_with("invalid type") || msg.starts_with("invalid value") || msg.starts_with("invalid length") {
            let detail = msg.split(" at line").next().unwrap_or(&msg).to_owned();
            return Self::new(
                codes::INVALID_TYPE,
                path.to_owned(),
                format!("'{path}'의 형식이 올바르지 않습니다: {detail}"),
                format!("'{path}' has the wrong type: {detail}"),
            );
        }
        if msg.starts_with("input contains invalid characters")
            || msg.contains("premature end of input")
            || msg.contains("trailing")
        {
            return Self::invalid_date_or_json(path, &msg);
        }
        if err.is_data() {
            return Self::invalid_date_or_json(path, &msg);
        }
        Self::new(
            codes::INVALID_JSON,
            path.to_owned(),
            format!("JSON 형식이 올바르지 않습니다: {msg}"),
            format!("The input is not valid JSON: {msg}"),
        )
    }

    fn invalid_date_or_json(path: &str, msg: &str) -> Self {
        if path.ends_with("date") {
            return Self::new(
                codes::INVALID_DATE,
                path.to_owned(),
                format!("'{path}'은(는) YYYY-MM-DD 형식의 날짜여야 합니다."),
                format!("'{path}' must be a date in YYYY-MM-DD form."),
            );
        }
        Self::new(
            codes::INVALID_TYPE,
            path.to_owned(),
            format!("'{path}'의 값이 올바르지 않습니다: {msg}"),
            format!("'{path}' has an invalid value: {msg}"),
        )
    }
}

fn between_backticks<'m>(msg: &'m str, prefix: &str) -> Option<&'m str> {
    let rest = &msg[msg.find(prefix)? + prefix.len()..];
    rest.split('`').next()
}

/// Values listed after "expected" in serde's messages: "expected one of `a`, `b`" or
/// "expected `a` or `b`".
fn expected_list(msg: &str) -> Vec<String> {
    let Some(pos) = msg.find("expected") else {
        return Vec::new();
    };
    msg[pos..].split('`').skip(1).step_by(2).map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_expected_values() {
        assert_eq!(expected_list("unknown variant `x`, expected one of `a`, `b`, `c` at line 1"), vec!["a", "b", "c"]);
        assert_eq!(expected_list("unknown variant `x`, expected `a` or `b`"), vec!["a", "b"]);
        assert!(expected_list("no list").is_empty());
    }
}
