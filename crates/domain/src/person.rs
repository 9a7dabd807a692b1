//! Values about people that the foundation needs: account names, passwords, phones.
//! Members and families (a later issue) build on the same types.

use crate::field::FieldError;
use crate::text;

/// Login name: 3–32 of `a-z 0-9 . _ -`, starting with a letter, case-folded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let v = raw.trim().to_ascii_lowercase();
        if v.is_empty() {
            return Err(FieldError::new(field, "required"));
        }
        let ok = (3..=32).contains(&v.len())
            && v.starts_with(|c: char| c.is_ascii_lowercase())
            && v.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
        if ok { Ok(Self(v)) } else { Err(FieldError::new(field, "invalid_username")) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A person's name as written: 1–50 characters, NFC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let v = text::clean(raw);
        if v.is_empty() {
            return Err(FieldError::new(field, "required"));
        }
        if text::char_len(&v) > 50 {
            return Err(FieldError::new(field, "too_long"));
        }
        if v.chars().any(|c| c.is_control() || matches!(c, '<' | '>')) {
            return Err(FieldError::new(field, "invalid"));
        }
        Ok(Self(v))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// The password rule of the Korean public sector (KISA password guideline): at least 10
/// characters with two kinds of character, or 8 with three; not containing the username.
/// This is a security policy, not a number of the family-center guides.
pub struct PasswordPolicy {
    pub min_len_two_classes: usize,
    pub min_len_three_classes: usize,
    pub max_len: usize,
}

pub const PASSWORD_POLICY: PasswordPolicy =
    PasswordPolicy { min_len_two_classes: 10, min_len_three_classes: 8, max_len: 128 };

/// A password that passed the policy. Never printed: `Debug` is redacted.
pub struct NewPassword(String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

impl NewPassword {
    pub fn parse(field: &str, raw: &str, username: &str) -> Result<Self, FieldError> {
        let p = &PASSWORD_POLICY;
        let len = raw.chars().count();
        if len == 0 {
            return Err(FieldError::new(field, "required"));
        }
        if len > p.max_len {
            return Err(FieldError::new(field, "too_long"));
        }
        let classes = [
            raw.chars().any(|c| c.is_ascii_lowercase()),
            raw.chars().any(|c| c.is_ascii_uppercase()),
            raw.chars().any(|c| c.is_ascii_digit()),
            raw.chars().any(|c| !c.is_ascii_alphanumeric()),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        let strong = (classes >= 2 && len >= p.min_len_two_classes) || (classes >= 3 && len >= p.min_len_three_classes);
        if !strong {
            return Err(FieldError::new(field, "weak_password"));
        }
        if !username.is_empty() && raw.to_ascii_lowercase().contains(&username.to_ascii_lowercase()) {
            return Err(FieldError::new(field, "password_contains_username"));
        }
        Ok(Self(raw.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// A Korean phone number, stored with hyphens in the usual grouping
/// (02-995-6800, 070-4906-5243, 010-1234-5678, 1577-9337).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(FieldError::new(field, "required"));
        }
        if !trimmed.chars().all(|c| c.is_ascii_digit() || matches!(c, '-' | ' ' | '(' | ')')) {
            return Err(FieldError::new(field, "invalid_phone"));
        }
        let d: String = trimmed.chars().filter(char::is_ascii_digit).collect();
        let formatted = match d.len() {
            8 if d.starts_with('1') => format!("{}-{}", &d[..4], &d[4..]),
            9 if d.starts_with("02") => format!("02-{}-{}", &d[2..5], &d[5..]),
            10 if d.starts_with("02") => format!("02-{}-{}", &d[2..6], &d[6..]),
            10 if d.starts_with('0') => format!("{}-{}-{}", &d[..3], &d[3..6], &d[6..]),
            11 if d.starts_with('0') => format!("{}-{}-{}", &d[..3], &d[3..7], &d[7..]),
            _ => return Err(FieldError::new(field, "invalid_phone")),
        };
        Ok(Self(formatted))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_normalise() {
        let p = |s| Phone::parse("phone", s).map(Phone::into_inner);
        assert_eq!(p("0299568 00"), Ok("02-995-6800".into()));
        assert_eq!(p("070-4906-5243"), Ok("070-4906-5243".into()));
        assert_eq!(p("01012345678"), Ok("010-1234-5678".into()));
        assert_eq!(p("1577-9337"), Ok("1577-9337".into()));
        assert_eq!(p("031-501-0033"), Ok("031-501-0033".into()));
        assert!(p("12345").is_err());
        assert!(p("02-995-680O").is_err());
    }

    #[test]
    fn password_policy() {
        assert!(NewPassword::parse("pw", "short1!", "kim").is_err());
        assert!(NewPassword::parse("pw", "alllowercaseletters", "kim").is_err());
        assert!(NewPassword::parse("pw", "lowercase123", "kim").is_ok());
        assert!(NewPassword::parse("pw", "Ab1!efgh", "kim").is_ok());
        let e = NewPassword::parse("pw", "staff01-Secret", "staff01").unwrap_err();
        assert_eq!(e.code, "password_contains_username");
        assert_eq!(format!("{:?}", NewPassword::parse("pw", "lowercase123", "x").unwrap()), "NewPassword(***)");
    }

    #[test]
    fn usernames() {
        assert!(Username::parse("u", "Kim.Staff").is_ok());
        assert!(Username::parse("u", "1abc").is_err());
        assert!(Username::parse("u", "ab").is_err());
        assert!(Username::parse("u", "김민수").is_err());
    }
}
