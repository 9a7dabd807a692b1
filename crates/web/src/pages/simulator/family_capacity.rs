//! The 가족역량강화지원 simulator: household, income or health-insurance premium, family
//! types, crisis and risks, and up to five (grand)children.

use serde_json::{Map, Value};

use super::FormSpec;
use super::form::{Built, CHILD_ROWS, Column, FormData, RequestBuilder, child_rows, labelled, options};
use super::single_parent::SCHOOL_LEVELS;
use super::view::{ResultView, TableView, base, list_of, str_of, won, yes_no};
use crate::context::Ctx;
use crate::layout::{FieldBuilder, FieldMessages};

pub const INSURANCE_TYPES: &[&str] = &["employee", "regional", "mixed"];
pub const FAMILY_KINDS: &[&str] =
    &["single_parent", "grandparent", "unmarried_parent", "multicultural", "north_korean_defector", "other"];
pub const CRISES: &[&str] =
    &["domestic_violence", "divorce", "suicide", "death", "accident", "economic_or_social_crisis"];
pub const RISKS: &[&str] = &["family_breakdown", "relationship_breakdown", "domestic_violence", "child_abuse"];
/// Codes whose labels are looked up by building the key (checked by a test).
#[cfg(test)]
pub const CATEGORIES: &[&str] = &["vulnerable_family", "emergency_crisis", "divorce_filing", "family_happiness_dream"];
/// Codes whose labels are looked up by building the key (checked by a test).
#[cfg(test)]
pub const PRIORITIES: &[&str] = &[
    "non_recipient_self_reliant",
    "income_within_threshold",
    "single_parent_or_grandparent",
    "three_or_more_children",
    "dual_income",
    "child_abuse_signs",
];
/// Codes whose labels are looked up by building the key (checked by a test).
#[cfg(test)]
pub const EXCLUDED: &[&str] = &["learning_support", "living_support"];
/// Codes whose labels are looked up by building the key (checked by a test).
#[cfg(test)]
pub const MEASURES: &[&str] = &["health_insurance_premium", "monthly_income"];

/// Yes/no facts whose form name is the request's field name (`dual_income` is
/// `dual_income_household` on the form; its label key is taken by another page).
const FLAGS: &[&str] = &[
    "divorce_filed_in_court",
    "non_custodial_parent",
    "child_abuse_signs",
    "basic_livelihood_recipient",
    "self_reliance_will",
    "receives_similar_government_service",
];

/// The health-insurance fields shared with the co-payment simulator.
pub fn insurance_fields(ctx: &Ctx, b: &mut FieldBuilder<'_>, data: &FormData) {
    b.heading("sim-section-income");
    b.input("monthly_income", &data.value("monthly_income"), "number", false).hint("sim-hint-monthly_income");
    b.select_options(
        "insurance_type",
        options(ctx, data.get("insurance_type"), &labelled(ctx, "sim-insurance-", INSURANCE_TYPES)),
        false,
    );
    b.input("monthly_premium", &data.value("monthly_premium"), "number", false).hint("sim-hint-monthly_premium");
    b.check("includes_long_term_care", Some(data.checked("includes_long_term_care")));
}

/// `health_insurance` from the form: only when a subscriber type or a premium is given.
pub fn insurance_request(b: &mut RequestBuilder<'_>, req: &mut Map<String, Value>) {
    let data = b.data;
    if data.get("insurance_type").is_none() && data.get("monthly_premium").is_none() {
        return;
    }
    let mut h = Map::new();
    b.put_str(&mut h, "subscriber_type", "insurance_type");
    b.put_int(&mut h, "monthly_premium", "monthly_premium");
    b.put_flag(&mut h, "includes_long_term_care", "includes_long_term_care");
    req.insert("health_insurance".into(), Value::Object(h));
}

pub fn form(ctx: &Ctx, data: &FormData, errors: &FieldMessages) -> FormSpec {
    let mut b = FieldBuilder::new(ctx, errors);
    b.heading("sim-section-household");
    b.input("evaluation_date", &data.value("evaluation_date"), "date", true).hint("sim-hint-evaluation_date");
    b.input("household_size", &data.value("household_size"), "number", true).hint("sim-hint-household_size");
    insurance_fields(ctx, &mut b, data);
    b.heading("sim-section-family_types");
    for k in FAMILY_KINDS {
        b.check(type_field(k), Some(data.checked(type_field(k))));
    }
    b.heading("sim-section-crisis");
    b.select_options(
        "crisis_event",
        options(ctx, data.get("crisis_event"), &labelled(ctx, "sim-crisis-", CRISES)),
        false,
    );
    for r in RISKS {
        b.check(risk_field(r), Some(data.checked(risk_field(r))));
    }
    for f in FLAGS {
        b.check(f, Some(data.checked(f)));
    }
    b.check("dual_income_household", Some(data.checked("dual_income_household")));
    let (child_headers, child_rows) = child_rows(
        ctx,
        data,
        errors,
        CHILD_ROWS,
        &[
            Column { suffix: "birth_date", label_key: "sim-child-birth_date", kind: "date", options: Vec::new() },
            Column {
                suffix: "school_level",
                label_key: "sim-child-school_level",
                kind: "select",
                options: labelled(ctx, "sim-school-", SCHOOL_LEVELS),
            },
        ],
    );
    FormSpec { fields: b.build(), child_title: ctx.t("sim-children-title"), child_headers, child_rows }
}

/// Form names of the family-type checkboxes (`type_single_parent`...).
fn type_field(kind: &str) -> &'static str {
    match kind {
        "single_parent" => "type_single_parent",
        "grandparent" => "type_grandparent",
        "unmarried_parent" => "type_unmarried_parent",
        "multicultural" => "type_multicultural",
        "north_korean_defector" => "type_north_korean_defector",
        _ => "type_other",
    }
}

fn risk_field(risk: &str) -> &'static str {
    match risk {
        "family_breakdown" => "risk_family_breakdown",
        "relationship_breakdown" => "risk_relationship_breakdown",
        "domestic_violence" => "risk_domestic_violence",
        _ => "risk_child_abuse",
    }
}

pub fn request(data: &FormData) -> Built {
    let mut b = RequestBuilder::new(data);
    let mut req = Map::new();
    b.put_str(&mut req, "evaluation_date", "evaluation_date");
    b.put_int(&mut req, "household_size", "household_size");
    b.put_int(&mut req, "monthly_income", "monthly_income");
    insurance_request(&mut b, &mut req);
    let types: Vec<Value> =
        FAMILY_KINDS.iter().filter(|k| data.checked(type_field(k))).map(|k| Value::from(*k)).collect();
    req.insert("family_types".into(), Value::Array(types));
    b.put_str(&mut req, "crisis_event", "crisis_event");
    let risks: Vec<Value> = RISKS.iter().filter(|r| data.checked(risk_field(r))).map(|r| Value::from(*r)).collect();
    req.insert("family_risks".into(), Value::Array(risks));
    for f in FLAGS {
        b.put_flag(&mut req, f, f);
    }
    b.put_flag(&mut req, "dual_income", "dual_income_household");
    let mut children = Vec::new();
    let mut rows = Vec::new();
    for n in 1..=CHILD_ROWS {
        let birth = format!("child{n}_birth_date");
        let level = format!("child{n}_school_level");
        if data.get(&birth).is_none() && data.get(&level).is_none() {
            continue;
        }
        let mut c = Map::new();
        b.put_str(&mut c, "birth_date", &birth);
        b.put_str(&mut c, "school_level", &level);
        children.push(Value::Object(c));
        rows.push(n);
    }
    req.insert("children".into(), Value::Array(children));
    b.finish(Value::Object(req)).map(|v| (v, rows))
}

/// The income-test figures shared with the co-payment simulator.
pub fn measure_figure(ctx: &Ctx, measure: &str, value: Option<i64>) -> (String, String) {
    (ctx.t(&format!("sim-measure-{measure}")), value.map_or_else(|| "-".into(), |v| won(ctx, v)))
}

pub fn result(ctx: &Ctx, v: &Value) -> ResultView {
    let mut view = base(ctx, v);
    if let Some(t) = v.get("income_test").filter(|t| !t.is_null()) {
        let measure = str_of(t, "measure");
        view.figures.push(measure_figure(ctx, measure, t.get("value").and_then(Value::as_i64)));
        view.figures.push((
            ctx.t("sim-fig-threshold"),
            format!(
                "{} ({}%)",
                won(ctx, t.get("threshold").and_then(Value::as_i64).unwrap_or(0)),
                t.get("threshold_pct").and_then(Value::as_i64).unwrap_or(0)
            ),
        ));
        view.figures.push((
            ctx.t("sim-fig-income_test_passed"),
            yes_no(ctx, t.get("passed").and_then(Value::as_bool).unwrap_or(false)),
        ));
    }
    let rows: Vec<Vec<String>> = list_of(v, "categories")
        .iter()
        .map(|c| {
            vec![
                ctx.t(&format!("sim-category-{}", str_of(c, "category"))),
                ctx.t(&format!("sim-status-{}", str_of(c, "status"))),
                list_of(c, "priority_reasons")
                    .iter()
                    .filter_map(Value::as_str)
                    .map(|p| ctx.t(&format!("sim-priority-{p}")))
                    .collect::<Vec<_>>()
                    .join(", "),
            ]
        })
        .collect();
    if !rows.is_empty() {
        view.tables.push(TableView {
            title: ctx.t("sim-categories-title"),
            headers: vec![ctx.t("sim-col-category"), ctx.t("sim-col-result"), ctx.t("sim-col-priority")],
            rows,
            amounts_last: false,
        });
    }
    let excluded: Vec<String> = list_of(v, "excluded_services")
        .iter()
        .filter_map(Value::as_str)
        .map(|e| ctx.t(&format!("sim-excluded-{e}")))
        .collect();
    if !excluded.is_empty() {
        view.figures.push((ctx.t("sim-fig-excluded_services"), excluded.join(", ")));
    }
    view
}
