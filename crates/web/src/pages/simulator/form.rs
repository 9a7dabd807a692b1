//! The simulator forms: submitted values, child rows (a fixed number; empty rows ignored),
//! and the translation between form names and the request's JSON paths.

use gajok_domain::FieldError;
use serde_json::{Map, Value};

use crate::context::Ctx;
use crate::layout::{FieldMessages, SelectOption};

/// Child rows on a form; a family with more children is rare enough for a simulator.
pub const CHILD_ROWS: usize = 5;

/// The submitted form, in order. Unknown names are ignored: this form writes nothing.
#[derive(Default)]
pub struct FormData(Vec<(String, String)>);

impl FormData {
    pub fn parse(body: &[u8]) -> FormData {
        FormData(form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
    }

    pub fn set(&mut self, name: &str, value: &str) {
        self.0.push((name.to_owned(), value.to_owned()));
    }

    /// The trimmed value, `None` when absent or blank.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
    }

    pub fn value(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_owned)
    }

    pub fn checked(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
}

/// Builds a request object from form values, collecting the errors the form can see itself
/// (a number that is not one); everything else is the calculator's to judge.
pub struct RequestBuilder<'a> {
    pub data: &'a FormData,
    pub errors: Vec<FieldError>,
}

impl<'a> RequestBuilder<'a> {
    pub fn new(data: &'a FormData) -> Self {
        Self { data, errors: Vec::new() }
    }

    /// An integer; thousands separators, spaces and a trailing 원 are accepted.
    pub fn int(&mut self, name: &str) -> Option<i64> {
        let raw = self.data.get(name)?;
        let cleaned: String = raw.trim_end_matches('원').chars().filter(|c| !matches!(c, ',' | ' ')).collect();
        match cleaned.parse() {
            Ok(n) => Some(n),
            Err(_) => {
                self.errors.push(FieldError::new(name.to_owned(), "invalid_number"));
                None
            }
        }
    }

    pub fn put_int(&mut self, obj: &mut Map<String, Value>, key: &str, name: &str) {
        if let Some(n) = self.int(name) {
            obj.insert(key.into(), n.into());
        }
    }

    pub fn put_str(&self, obj: &mut Map<String, Value>, key: &str, name: &str) {
        if let Some(v) = self.data.get(name) {
            obj.insert(key.into(), v.into());
        }
    }

    pub fn put_flag(&self, obj: &mut Map<String, Value>, key: &str, name: &str) {
        if self.data.checked(name) {
            obj.insert(key.into(), true.into());
        }
    }

    pub fn finish(self, v: Value) -> Result<Value, Vec<FieldError>> {
        if self.errors.is_empty() { Ok(v) } else { Err(self.errors) }
    }
}

/// A request and, per child in it, the form row it came from (1-based).
pub type Built = Result<(Value, Vec<usize>), Vec<FieldError>>;

/// The form field a calculator's error path refers to (`children[1].birth_date` is the
/// birth date of the second non-empty row, which may be row 3).
pub fn form_field(path: &str, rows: &[usize]) -> String {
    let child_part = |rest: &str| {
        match rest {
            "birth_date" | "age_years" | "age_months_total" => "birth_date",
            "military_service_months" => "military_months",
            "enrolled_in_elementary" => "enrolled",
            other => other,
        }
        .to_owned()
    };
    if let Some(rest) = path.strip_prefix("children[")
        && let Some((idx, field)) = rest.split_once("].")
        && let Ok(i) = idx.parse::<usize>()
    {
        let row = rows.get(i).copied().unwrap_or(i + 1);
        return format!("child{row}_{}", child_part(field));
    }
    if let Some(field) = path.strip_prefix("child.") {
        return format!("child1_{}", child_part(field));
    }
    match path {
        "applicant.birth_date" | "applicant.age_years" => "applicant_birth_date".into(),
        "applicant.relation" => "applicant_relation".into(),
        "dual_income" => "dual_income_household".into(),
        "spouse_facts.incapacity_months" => "spouse_incapacity_months".into(),
        "health_insurance.monthly_premium" => "monthly_premium".into(),
        "health_insurance.subscriber_type" => "insurance_type".into(),
        p => p.strip_prefix("applicant.").unwrap_or(p).to_owned(),
    }
}

/// Whether a (mapped) field name is one the form shows next to an input.
pub fn shown(field: &str) -> bool {
    !field.contains(['.', '['])
}

/// One input of a child row.
pub struct Cell {
    pub name: String,
    pub label: String,
    /// `date`, `number`, `select` or `checkbox`.
    pub kind: &'static str,
    pub value: String,
    pub checked: bool,
    pub options: Vec<SelectOption>,
    pub error: Option<String>,
}

pub struct ChildRow {
    pub n: usize,
    pub cells: Vec<Cell>,
}

/// A column of the child table: form-name suffix, label key, input kind, select options.
pub struct Column {
    pub suffix: &'static str,
    pub label_key: &'static str,
    pub kind: &'static str,
    pub options: Vec<(String, String)>,
}

pub fn child_rows(
    ctx: &Ctx,
    data: &FormData,
    errors: &FieldMessages,
    rows: usize,
    columns: &[Column],
) -> (Vec<String>, Vec<ChildRow>) {
    let headers = columns.iter().map(|c| ctx.t(c.label_key)).collect();
    let rows = (1..=rows)
        .map(|n| ChildRow {
            n,
            cells: columns
                .iter()
                .map(|c| {
                    let name = format!("child{n}_{}", c.suffix);
                    let value = data.value(&name).unwrap_or_default();
                    let options = c
                        .options
                        .iter()
                        .map(|(v, label)| SelectOption {
                            value: v.clone(),
                            label: label.clone(),
                            selected: *v == value,
                        })
                        .collect();
                    Cell {
                        label: ctx.state.i18n.t(
                            ctx.lang,
                            "sim-child-cell",
                            &[("n", &n.to_string()), ("column", &ctx.t(c.label_key))],
                        ),
                        checked: data.checked(&name),
                        error: errors.get(&name),
                        name,
                        kind: c.kind,
                        value,
                        options,
                    }
                })
                .collect(),
        })
        .collect();
    (headers, rows)
}

/// Select options with an empty first choice ("선택").
pub fn options(ctx: &Ctx, value: Option<&str>, items: &[(String, String)]) -> Vec<SelectOption> {
    let mut out = vec![SelectOption { value: String::new(), label: ctx.t("org-select"), selected: value.is_none() }];
    out.extend(items.iter().map(|(v, l)| SelectOption {
        value: v.clone(),
        label: l.clone(),
        selected: value == Some(v.as_str()),
    }));
    out
}

/// `(code, translated label)` pairs from a key prefix: `sim-reason-` + `sp01`...
pub fn labelled(ctx: &Ctx, prefix: &str, codes: &[&str]) -> Vec<(String, String)> {
    codes.iter().map(|c| ((*c).to_owned(), ctx.t(&format!("{prefix}{c}")))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_paths_map_to_form_rows() {
        assert_eq!(form_field("children[1].birth_date", &[1, 3]), "child3_birth_date");
        assert_eq!(form_field("children[0].age_years", &[2]), "child2_birth_date");
        assert_eq!(form_field("child.birth_date", &[1]), "child1_birth_date");
        assert_eq!(form_field("applicant.reason_code", &[]), "reason_code");
        assert_eq!(form_field("household_size", &[]), "household_size");
        assert_eq!(form_field("health_insurance.monthly_premium", &[]), "monthly_premium");
        assert!(!shown("spouse_facts.missing_evidence"));
    }

    #[test]
    fn numbers_accept_separators_and_won() {
        let data = FormData::parse(b"a=2%2C000%2C000%EC%9B%90&b=abc&c=");
        let mut b = RequestBuilder::new(&data);
        assert_eq!(b.int("a"), Some(2_000_000));
        assert_eq!(b.int("b"), None);
        assert_eq!(b.int("c"), None);
        assert_eq!(b.errors.len(), 1);
        assert_eq!(b.errors[0].field, "b");
    }
}
