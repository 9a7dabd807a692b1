//! Lenient deserializers shared by HTML forms and JSON bodies: a form sends every value as
//! text ("on" for a ticked box, "" for an empty number), JSON sends typed values.

use chrono::NaiveDate;
use gajok_domain::FieldError;
use gajok_domain::text;
use serde::{Deserialize, Deserializer};

#[derive(Deserialize)]
#[serde(untagged)]
enum Loose {
    Bool(bool),
    Int(i64),
    Text(String),
}

/// `true`, `"on"`, `"true"`, `"1"` → true; `false`, `""`, `"off"`, `"0"` → false.
pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    let v = Option::<Loose>::deserialize(d)?;
    Ok(match v {
        None => None,
        Some(Loose::Bool(b)) => Some(b),
        Some(Loose::Int(i)) => Some(i != 0),
        Some(Loose::Text(s)) => match s.trim() {
            "on" | "true" | "1" | "yes" => Some(true),
            "" | "off" | "false" | "0" | "no" => Some(false),
            _ => {
                return Err(serde::de::Error::custom(format!("not a yes/no value: {s:?}")));
            }
        },
    })
}

/// A number given as a JSON number or as form text; blank is `None`. Kept as text so the use
/// case can report "not a number" against the field instead of failing the whole body.
pub fn text_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = Option::<Loose>::deserialize(d)?;
    Ok(match v {
        None => None,
        Some(Loose::Int(i)) => Some(i.to_string()),
        Some(Loose::Text(s)) => Some(s),
        Some(Loose::Bool(_)) => return Err(serde::de::Error::custom("expected a number")),
    })
}

/// Optional free text: trimmed and NFC, blank is `None`, at most `max` characters, no
/// control characters.
pub(crate) fn opt_text(field: &str, v: &Option<String>, max: usize) -> Result<Option<String>, FieldError> {
    match text::clean_opt(v.as_deref()) {
        Some(s) if text::char_len(&s) > max => Err(FieldError::new(field, "too_long")),
        Some(s) if s.chars().any(char::is_control) => Err(FieldError::new(field, "invalid")),
        other => Ok(other),
    }
}

/// Required free text (trimmed, NFC) of at most `max` characters.
pub(crate) fn required_text(field: &str, v: Option<&str>, max: usize) -> Result<String, FieldError> {
    let s = text::clean(v.unwrap_or(""));
    if s.is_empty() {
        Err(FieldError::new(field, "required"))
    } else if s.chars().count() > max {
        Err(FieldError::new(field, "too_long"))
    } else {
        Ok(s)
    }
}

/// The day something already happened (a form signed, a request received, a note written):
/// today when blank, never after today.
pub(crate) fn past_day(field: &str, v: Option<&str>, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(today),
        Some(s) => match gajok_domain::time::parse_date(s) {
            Some(d) if d <= today => Ok(d),
            Some(_) => Err(FieldError::new(field, "date_in_future")),
            None => Err(FieldError::new(field, "invalid_date")),
        },
    }
}
