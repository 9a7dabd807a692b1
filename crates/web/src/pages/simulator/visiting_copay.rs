//! The 다문화 방문교육(자녀생활) co-payment simulator: household, premium or income,
//! exemptions, and the child to be taught.

use serde_json::{Map, Value};

use super::FormSpec;
use super::family_capacity::{insurance_fields, insurance_request, measure_figure};
use super::form::{Built, Column, FormData, RequestBuilder, child_rows};
use super::view::{ResultView, TableView, base, int_of, list_of, str_of, won, won_opt, yes_no};
use crate::context::Ctx;
use crate::layout::{FieldBuilder, FieldMessages};

/// Codes whose labels are looked up by building the key (checked by a test).
#[cfg(test)]
pub const COPAY_TYPES: &[&str] = &["ga", "na", "da", "ra"];
/// Codes whose labels are looked up by building the key (checked by a test).
#[cfg(test)]
pub const FREE_REASONS: &[&str] =
    &["income_type_ga", "island_or_remote_area", "basic_livelihood_recipient", "near_poverty_copay_reduction"];
const FLAGS: &[&str] = &["island_or_remote_area", "basic_livelihood_recipient", "near_poverty_copay_reduction"];

pub fn form(ctx: &Ctx, data: &FormData, errors: &FieldMessages) -> FormSpec {
    let mut b = FieldBuilder::new(ctx, errors);
    b.heading("sim-section-household");
    b.input("evaluation_date", &data.value("evaluation_date"), "date", true).hint("sim-hint-evaluation_date");
    b.input("household_size", &data.value("household_size"), "number", true).hint("sim-hint-household_size");
    insurance_fields(ctx, &mut b, data);
    b.heading("sim-section-exemptions");
    for f in FLAGS {
        b.check(f, Some(data.checked(f)));
    }
    let (child_headers, child_rows) = child_rows(
        ctx,
        data,
        errors,
        1,
        &[
            Column { suffix: "birth_date", label_key: "sim-child-birth_date", kind: "date", options: Vec::new() },
            Column {
                suffix: "enrolled",
                label_key: "sim-child-enrolled_in_elementary",
                kind: "checkbox",
                options: Vec::new(),
            },
        ],
    );
    FormSpec { fields: b.build(), child_title: ctx.t("sim-vc-child-title"), child_headers, child_rows }
}

pub fn request(data: &FormData) -> Built {
    let mut b = RequestBuilder::new(data);
    let mut req = Map::new();
    b.put_str(&mut req, "evaluation_date", "evaluation_date");
    b.put_int(&mut req, "household_size", "household_size");
    b.put_int(&mut req, "monthly_income", "monthly_income");
    insurance_request(&mut b, &mut req);
    for f in FLAGS {
        b.put_flag(&mut req, f, f);
    }
    let mut rows = Vec::new();
    if data.get("child1_birth_date").is_some() || data.checked("child1_enrolled") {
        let mut c = Map::new();
        b.put_str(&mut c, "birth_date", "child1_birth_date");
        b.put_flag(&mut c, "enrolled_in_elementary", "child1_enrolled");
        req.insert("child".into(), Value::Object(c));
        rows.push(1);
    }
    b.finish(Value::Object(req)).map(|v| (v, rows))
}

pub fn result(ctx: &Ctx, v: &Value) -> ResultView {
    let mut view = base(ctx, v);
    let copay_type = str_of(v, "copay_type");
    if !copay_type.is_empty() {
        view.figures.push((ctx.t("sim-fig-copay_type"), ctx.t(&format!("sim-copay-{copay_type}"))));
    }
    if !str_of(v, "measure").is_empty() {
        view.figures.push(measure_figure(ctx, str_of(v, "measure"), int_of(v, "measure_value")));
    }
    view.figures.push((ctx.t("sim-fig-free"), yes_no(ctx, v["free"].as_bool().unwrap_or(false))));
    let free: Vec<String> =
        list_of(v, "free_reasons").iter().filter_map(Value::as_str).map(|r| ctx.t(&format!("sim-free-{r}"))).collect();
    if !free.is_empty() {
        view.figures.push((ctx.t("sim-fig-free_reasons"), free.join(", ")));
    }
    if let Some(b) = v.get("child_in_target_group").and_then(Value::as_bool) {
        view.figures.push((ctx.t("sim-fig-child_in_target_group"), yes_no(ctx, b)));
    }
    if int_of(v, "hourly_rate").is_some() {
        let hours = int_of(v, "hours_per_4_weeks").unwrap_or(0).to_string();
        let sessions = int_of(v, "sessions_per_4_weeks").unwrap_or(0).to_string();
        view.tables.push(TableView {
            title: ctx.state.i18n.t(ctx.lang, "sim-vc-amounts-title", &[("sessions", &sessions), ("hours", &hours)]),
            headers: vec![ctx.t("sim-col-item"), ctx.t("sim-col-per_hour"), ctx.t("sim-col-per_4_weeks")],
            rows: vec![
                vec![
                    ctx.t("sim-vc-hourly_rate"),
                    won_opt(ctx, int_of(v, "hourly_rate")),
                    won(ctx, int_of(v, "hourly_rate").unwrap_or(0) * int_of(v, "hours_per_4_weeks").unwrap_or(0)),
                ],
                vec![
                    ctx.t("sim-vc-government_support"),
                    won_opt(ctx, int_of(v, "government_support_per_hour")),
                    won_opt(ctx, int_of(v, "government_support_per_4_weeks")),
                ],
                vec![
                    ctx.t("sim-vc-copay"),
                    won_opt(ctx, int_of(v, "copay_per_hour")),
                    won_opt(ctx, int_of(v, "copay_per_4_weeks")),
                ],
            ],
            amounts_last: true,
        });
    }
    view
}
