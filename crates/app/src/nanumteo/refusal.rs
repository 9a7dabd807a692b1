//! A refusal by rule, and the error type of the nanumteo use cases.

use crate::error::AppError;

/// A request the rules refuse. `code` picks the message (`nt-refused-<code>` in the Fluent
/// files); `rule` is the rule's id in `rules/nanumteo/*.json`; `args` fill the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: &'static str,
    pub rule: String,
    pub args: Vec<(&'static str, String)>,
}

impl Refusal {
    pub fn new(code: &'static str, rule: &str) -> Self {
        Self { code, rule: rule.to_string(), args: Vec::new() }
    }

    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, value.to_string()));
        self
    }
}

#[derive(Debug, thiserror::Error)]
pub enum NtError {
    #[error("refused by rule {}: {}", .0.rule, .0.code)]
    Refused(Refusal),
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<gajok_store::StoreError> for NtError {
    fn from(e: gajok_store::StoreError) -> Self {
        NtError::App(e.into())
    }
}

impl From<gajok_domain::FieldErrors> for NtError {
    fn from(e: gajok_domain::FieldErrors) -> Self {
        NtError::App(e.into())
    }
}

impl From<Refusal> for NtError {
    fn from(r: Refusal) -> Self {
        NtError::Refused(r)
    }
}

pub type NtResult<T> = Result<T, NtError>;

/// Money as Koreans write it: 30,000.
pub fn won(n: i64) -> String {
    let s = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    #[test]
    fn won_groups_thousands() {
        assert_eq!(super::won(90_000), "90,000");
        assert_eq!(super::won(100), "100");
        assert_eq!(super::won(1_000_000), "1,000,000");
    }
}
