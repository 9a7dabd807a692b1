//! A small builder for dynamic SQL with numbered `$n` placeholders (both backends accept
//! them), used where filters are optional. Static queries use `sqlx::query` directly.

use sqlx::any::AnyArguments;
use sqlx::query::Query;

/// A value to bind. The `Any` driver knows only these kinds.
#[derive(Debug, Clone)]
pub enum Value {
    Int(i64),
    Text(String),
    NullInt,
    NullText,
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}
impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Self {
        v.map_or(Value::NullText, Value::Text)
    }
}
impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Self {
        v.map_or(Value::NullInt, Value::Int)
    }
}

#[derive(Debug, Default, Clone)]
pub struct Sql {
    text: String,
    values: Vec<Value>,
}

impl Sql {
    pub fn new(text: &str) -> Self {
        Self { text: text.to_string(), values: Vec::new() }
    }

    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder for `v`.
    pub fn bind(&mut self, v: impl Into<Value>) -> &mut Self {
        self.values.push(v.into());
        self.text.push('$');
        self.text.push_str(&self.values.len().to_string());
        self
    }

    /// `(col LIKE $a OR col LIKE $b ...)` for scope prefixes; `1=0` when there are none, so an
    /// empty scope matches nothing rather than everything.
    pub fn any_prefix(&mut self, column: &str, prefixes: &[String]) -> &mut Self {
        if prefixes.is_empty() {
            return self.push("1=0");
        }
        self.push("(");
        for (i, p) in prefixes.iter().enumerate() {
            if i > 0 {
                self.push(" OR ");
            }
            self.push(column).push(" LIKE ").bind(format!("{}%", escape_like(p))).push(" ESCAPE '\\'");
        }
        self.push(")")
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn query(&self) -> Query<'_, sqlx::Any, AnyArguments> {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(self.text.clone()));
        for v in &self.values {
            q = match v {
                Value::Int(i) => q.bind(*i),
                Value::Text(s) => q.bind(s.clone()),
                Value::NullInt => q.bind(None::<i64>),
                Value::NullText => q.bind(None::<String>),
            };
        }
        q
    }
}

/// Escapes `%`, `_` and `\` so user text in a LIKE pattern matches literally.
pub fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_placeholders() {
        let mut s = Sql::new("SELECT 1 FROM t WHERE a = ");
        s.bind(1).push(" AND ").any_prefix("path", &["/1/".into(), "/2/".into()]);
        assert_eq!(s.text(), "SELECT 1 FROM t WHERE a = $1 AND (path LIKE $2 ESCAPE '\\' OR path LIKE $3 ESCAPE '\\')");
        assert_eq!(escape_like("50%_a\\"), "50\\%\\_a\\\\");
    }
}
