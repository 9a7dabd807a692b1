//! The result as a parent reads it: status, key figures, tables (benefits, the payment
//! calendar), the explanation in the page's language, the readings and parameters used.
//! Built from the result JSON — the public contract the API returns — not from internals.

use gajok_domain::text::Lang;
use gajok_rules::money::format_won;
use serde_json::Value;

use crate::context::Ctx;

pub struct TableView {
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// The last column holds amounts (right-aligned).
    pub amounts_last: bool,
}

pub struct TraceRow {
    pub rule: String,
    pub outcome: String,
    pub class: &'static str,
    pub text: String,
}

pub struct InterpRow {
    pub id: String,
    pub parameter: String,
    pub value: String,
    pub meaning: String,
}

pub struct NonCash {
    pub name: String,
    pub contact: String,
}

pub struct ResultView {
    pub status: String,
    pub status_class: &'static str,
    pub eligible: bool,
    pub figures: Vec<(String, String)>,
    pub tables: Vec<TableView>,
    pub non_cash: Vec<NonCash>,
    pub trace: Vec<TraceRow>,
    pub interps: Vec<InterpRow>,
    pub parameters: String,
}

/// Every status a calculator answers (for the translation-completeness test).
/// Codes whose labels are looked up by building the key (checked by a test).
#[cfg(test)]
pub const STATUSES: &[&str] =
    &["eligible", "eligible_general", "eligible_youth", "not_eligible", "undefined_threshold", "insufficient_data"];

/// Interpretation id → parameter name (docs/rules/README.md, "Interpretation parameters").
pub const INTERPRETATIONS: &[(&str, &str)] = &[
    ("i1", "i1_y01_basis"),
    ("i2", "i2_y01_replaces_b01"),
    ("i3", "i3_youth_gets_general_extras"),
    ("i4", "i4_b04_first_instalment_pct"),
    ("i5", "i5_b05_payment_month"),
    ("i6", "i6_age_point"),
    ("i7", "i7_general_threshold_inclusive"),
    ("i8", "i8_grandparent_must_be_household_head"),
    ("i9", "i9_absent_spouse_counted"),
    ("i10", "i10_violence_exempt_from_litigation"),
    ("i11", "i11_y02_cap_cumulative"),
    ("fc_i1", "fc_i1_measure_precedence"),
    ("fc_i2", "fc_i2_requires_listed_family_type"),
    ("vc_i1", "vc_i1_measure_precedence"),
];

pub fn str_of<'v>(v: &'v Value, key: &str) -> &'v str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

pub fn int_of(v: &Value, key: &str) -> Option<i64> {
    v.get(key).and_then(Value::as_i64)
}

pub fn list_of<'v>(v: &'v Value, key: &str) -> &'v [Value] {
    v.get(key).and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// `1,234,000원` (ko) or `1,234,000 won` (en).
pub fn won(ctx: &Ctx, amount: i64) -> String {
    ctx.state.i18n.t(ctx.lang, "sim-won", &[("amount", &format_won(amount))])
}

pub fn won_opt(ctx: &Ctx, amount: Option<i64>) -> String {
    amount.map_or_else(|| "-".to_owned(), |a| won(ctx, a))
}

pub fn yes_no(ctx: &Ctx, b: bool) -> String {
    ctx.t(if b { "sim-yes" } else { "sim-no" })
}

/// The parts every calculator's result shares; the caller adds figures and tables.
pub fn base(ctx: &Ctx, v: &Value) -> ResultView {
    let status = str_of(v, "status");
    let eligible = status.starts_with("eligible");
    ResultView {
        status: ctx.t(&format!("sim-status-{status}")),
        status_class: match status {
            s if s.starts_with("eligible") => "ok",
            "not_eligible" => "warn",
            _ => "off",
        },
        eligible,
        figures: Vec::new(),
        tables: Vec::new(),
        non_cash: Vec::new(),
        trace: trace(ctx, v),
        interps: interpretations(ctx, v),
        parameters: parameters(ctx, v),
    }
}

fn trace(ctx: &Ctx, v: &Value) -> Vec<TraceRow> {
    let lang_key = match ctx.lang {
        Lang::Ko => "ko",
        Lang::En => "en",
    };
    list_of(v, "trace")
        .iter()
        .map(|t| {
            let outcome = str_of(t, "outcome");
            TraceRow {
                rule: str_of(t, "rule").to_owned(),
                outcome: ctx.t(&format!("sim-outcome-{outcome}")),
                class: match outcome {
                    "pass" => "ok",
                    "fail" => "warn",
                    _ => "info",
                },
                text: str_of(t, lang_key).to_owned(),
            }
        })
        .collect()
}

/// The readings the answer depended on, with the value in force (taken from the trace
/// entry that used it) and what the reading means.
fn interpretations(ctx: &Ctx, v: &Value) -> Vec<InterpRow> {
    list_of(v, "interpretations_applied")
        .iter()
        .filter_map(Value::as_str)
        .map(|id| {
            let parameter = INTERPRETATIONS.iter().find(|(i, _)| *i == id).map_or(id, |(_, p)| p);
            let value = list_of(v, "trace")
                .iter()
                .find(|t| str_of(t, "parameter") == parameter)
                .and_then(|t| t.get("value"))
                .map_or_else(
                    || "-".to_owned(),
                    |val| match val {
                        Value::Bool(b) => yes_no(ctx, *b),
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    },
                );
            InterpRow {
                id: id.to_owned(),
                parameter: parameter.to_owned(),
                value,
                meaning: ctx.t(&format!("sim-interp-{id}")),
            }
        })
        .collect()
}

fn parameters(ctx: &Ctx, v: &Value) -> String {
    match v.get("parameters").filter(|p| !p.is_null()) {
        Some(p) => ctx.state.i18n.t(
            ctx.lang,
            "sim-parameters-used",
            &[
                ("edition", str_of(p, "edition")),
                ("period", &format!("{} ~ {}", str_of(p, "effective_from"), str_of(p, "effective_until"))),
            ],
        ),
        None => ctx.t("sim-parameters-none"),
    }
}
