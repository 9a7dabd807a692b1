//! The 한부모가족 simulator: applicant, reason, household, income and up to five children.

use gajok_domain::text::Lang;
use gajok_rules::RuleBook;
use serde_json::{Map, Value};

use super::FormSpec;
use super::form::{Built, CHILD_ROWS, Column, FormData, RequestBuilder, child_rows, labelled, options};
use super::view::{ResultView, TableView, base, int_of, list_of, str_of, won, won_opt};
use crate::context::Ctx;
use crate::layout::{FieldBuilder, FieldMessages};

pub const FAMILY_TYPES: &[&str] = &["single_parent", "grandparent"];
pub const RELATIONS: &[&str] = &["mother", "father", "grandmother", "grandfather"];
pub const REASONS: &[&str] = &["sp01", "sp02", "sp03", "sp04", "sp05", "sp06", "sp07", "sp08", "sp09", "sp10"];
pub const SCHOOL_LEVELS: &[&str] = &["none", "elementary", "middle", "high", "other"];
/// Codes whose labels are looked up by building the key (checked by a test).
#[cfg(test)]
pub const BENEFITS: &[&str] = &["b01", "b02a", "b02b", "b02c", "b03", "b04", "b05", "y01", "y02", "y03"];
/// Codes whose labels are looked up by building the key (checked by a test).
#[cfg(test)]
pub const SCHEDULES: &[&str] = &["end_of_october", "two_instalments", "once_a_year", "on_application"];

pub fn form(ctx: &Ctx, data: &FormData, errors: &FieldMessages) -> FormSpec {
    let mut b = FieldBuilder::new(ctx, errors);
    b.heading("sim-section-household");
    b.input("evaluation_date", &data.value("evaluation_date"), "date", true).hint("sim-hint-evaluation_date");
    b.select_options(
        "family_type",
        options(ctx, data.get("family_type"), &labelled(ctx, "sim-family-", FAMILY_TYPES)),
        true,
    );
    b.input("household_size", &data.value("household_size"), "number", true).hint("sim-hint-household_size");
    b.input("recognized_income_month", &data.value("recognized_income_month"), "number", true)
        .hint("sim-hint-recognized_income_month");
    b.heading("sim-section-applicant");
    b.select_options(
        "applicant_relation",
        options(ctx, data.get("applicant_relation"), &labelled(ctx, "sim-relation-", RELATIONS)),
        true,
    );
    b.input("applicant_birth_date", &data.value("applicant_birth_date"), "date", true);
    b.select_options(
        "reason_code",
        options(ctx, data.get("reason_code"), &labelled(ctx, "sim-reason-", REASONS)),
        false,
    );
    for name in [
        "is_household_head",
        "is_unmarried",
        "in_de_facto_marriage",
        "in_divorce_litigation",
        "is_foreigner",
        "study_or_job_activity",
    ] {
        b.check(name, Some(data.checked(name)));
    }
    b.heading("sim-section-spouse");
    b.input("spouse_incapacity_months", &data.value("spouse_incapacity_months"), "number", false);
    for name in [
        "spouse_missing_confirmed",
        "spouse_left_home",
        "spouse_on_military_service",
        "spouse_long_term_imprisonment",
        "spouse_registered_in_household",
    ] {
        b.check(name, Some(data.checked(name)));
    }
    b.heading("sim-section-youth");
    b.input("exam_study_cost_claimed", &data.value("exam_study_cost_claimed"), "number", false);
    let school = labelled(ctx, "sim-school-", SCHOOL_LEVELS);
    let (child_headers, child_rows) = child_rows(
        ctx,
        data,
        errors,
        CHILD_ROWS,
        &[
            Column { suffix: "birth_date", label_key: "sim-child-birth_date", kind: "date", options: Vec::new() },
            Column { suffix: "school_level", label_key: "sim-child-school_level", kind: "select", options: school },
            Column {
                suffix: "military_months",
                label_key: "sim-child-military_months",
                kind: "number",
                options: Vec::new(),
            },
        ],
    );
    FormSpec { fields: b.build(), child_title: ctx.t("sim-children-title"), child_headers, child_rows }
}

pub fn request(data: &FormData) -> Built {
    let mut b = RequestBuilder::new(data);
    let mut req = Map::new();
    b.put_str(&mut req, "evaluation_date", "evaluation_date");
    b.put_str(&mut req, "family_type", "family_type");
    b.put_int(&mut req, "household_size", "household_size");
    b.put_int(&mut req, "recognized_income_month", "recognized_income_month");
    b.put_int(&mut req, "exam_study_cost_claimed", "exam_study_cost_claimed");

    let mut applicant = Map::new();
    b.put_str(&mut applicant, "relation", "applicant_relation");
    b.put_str(&mut applicant, "birth_date", "applicant_birth_date");
    b.put_str(&mut applicant, "reason_code", "reason_code");
    if data.get("family_type") != Some("grandparent") {
        applicant.insert("is_household_head".into(), data.checked("is_household_head").into());
    } else {
        b.put_flag(&mut applicant, "is_household_head", "is_household_head");
    }
    for name in
        ["is_unmarried", "in_de_facto_marriage", "in_divorce_litigation", "is_foreigner", "study_or_job_activity"]
    {
        b.put_flag(&mut applicant, name, name);
    }
    if data.checked("is_foreigner") {
        applicant.insert("foreigner_registered".into(), true.into());
    }
    req.insert("applicant".into(), Value::Object(applicant));

    let mut spouse = Map::new();
    b.put_int(&mut spouse, "incapacity_months", "spouse_incapacity_months");
    if data.checked("spouse_missing_confirmed") {
        spouse.insert("missing_evidence".into(), "confirmed_by_sigungu_head".into());
    }
    b.put_flag(&mut spouse, "left_home_due_to_violence_or_discord", "spouse_left_home");
    b.put_flag(&mut spouse, "on_military_service", "spouse_on_military_service");
    b.put_flag(&mut spouse, "long_term_imprisonment", "spouse_long_term_imprisonment");
    b.put_flag(&mut spouse, "registered_in_household", "spouse_registered_in_household");
    req.insert("spouse_facts".into(), Value::Object(spouse));

    let mut children = Vec::new();
    let mut rows = Vec::new();
    for n in 1..=CHILD_ROWS {
        let birth = format!("child{n}_birth_date");
        let level = format!("child{n}_school_level");
        let months = format!("child{n}_military_months");
        if data.get(&birth).is_none() && data.get(&level).is_none() && data.get(&months).is_none() {
            continue;
        }
        let mut c = Map::new();
        c.insert("id".into(), n.to_string().into());
        b.put_str(&mut c, "birth_date", &birth);
        b.put_str(&mut c, "school_level", &level);
        b.put_int(&mut c, "military_service_months", &months);
        // A row without a birth date is reported on that row by the calculator.
        children.push(Value::Object(c));
        rows.push(n);
    }
    req.insert("children".into(), Value::Array(children));
    b.finish(Value::Object(req)).map(|v| (v, rows))
}

fn benefit_name(ctx: &Ctx, code: &str) -> String {
    ctx.t(&format!("sim-benefit-{code}"))
}

fn child_label(ctx: &Ctx, item: &Value) -> String {
    match item.get("child_id").and_then(Value::as_str) {
        Some(id) => ctx.state.i18n.t(ctx.lang, "sim-child-n", &[("n", id)]),
        None => ctx.t("sim-household"),
    }
}

pub fn result(ctx: &Ctx, book: &RuleBook, v: &Value) -> ResultView {
    let mut view = base(ctx, v);
    let pct = int_of(v, "threshold_pct");
    view.figures = vec![
        (
            ctx.t("sim-fig-household_size"),
            ctx.state.i18n.t(ctx.lang, "sim-persons", &[("n", &int_of(v, "household_size").unwrap_or(0).to_string())]),
        ),
        (ctx.t("sim-fig-income"), won_opt(ctx, int_of(v, "recognized_income_month"))),
        (
            ctx.t("sim-fig-threshold"),
            match (int_of(v, "threshold"), pct) {
                (Some(t), Some(p)) => format!("{} ({p}%)", won(ctx, t)),
                _ => "-".into(),
            },
        ),
        (
            ctx.t("sim-fig-qualifying_children"),
            list_of(v, "qualifying_children")
                .iter()
                .filter_map(Value::as_str)
                .map(|id| ctx.state.i18n.t(ctx.lang, "sim-child-n", &[("n", id)]))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (ctx.t("sim-fig-monthly_total"), won_opt(ctx, int_of(v, "monthly_total"))),
        (ctx.t("sim-fig-annual_total"), won_opt(ctx, int_of(v, "annual_total"))),
    ];

    let mut items = Vec::new();
    for m in list_of(v, "monthly") {
        items.push(vec![
            benefit_name(ctx, str_of(m, "benefit_code")),
            child_label(ctx, m),
            ctx.t("sim-every-month"),
            won(ctx, int_of(m, "amount").unwrap_or(0)),
        ]);
    }
    for a in list_of(v, "annual") {
        items.push(vec![
            benefit_name(ctx, str_of(a, "benefit_code")),
            child_label(ctx, a),
            ctx.t(&format!("sim-schedule-{}", str_of(a, "schedule"))),
            won(ctx, int_of(a, "amount").unwrap_or(0)),
        ]);
    }
    if !items.is_empty() {
        view.tables.push(TableView {
            title: ctx.t("sim-benefits-title"),
            headers: vec![
                ctx.t("sim-col-benefit"),
                ctx.t("sim-col-for"),
                ctx.t("sim-col-when"),
                ctx.t("sim-col-amount"),
            ],
            rows: items,
            amounts_last: true,
        });
    }

    let calendar: Vec<Vec<String>> = list_of(v, "calendar")
        .iter()
        .map(|m| {
            let month = int_of(m, "month").unwrap_or(0).to_string();
            let items = list_of(m, "items")
                .iter()
                .map(|i| {
                    format!(
                        "{} · {} {}",
                        benefit_name(ctx, str_of(i, "benefit_code")),
                        child_label(ctx, i),
                        won(ctx, int_of(i, "amount").unwrap_or(0))
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            vec![
                ctx.state.i18n.t(ctx.lang, "sim-month", &[("month", &month)]),
                if items.is_empty() { "-".into() } else { items },
                won(ctx, int_of(m, "total").unwrap_or(0)),
            ]
        })
        .collect();
    if !calendar.is_empty() {
        view.tables.push(TableView {
            title: ctx.state.i18n.t(
                ctx.lang,
                "sim-calendar-title",
                &[("year", &int_of(v, "calendar_year").unwrap_or(0).to_string())],
            ),
            headers: vec![ctx.t("sim-col-month"), ctx.t("sim-col-items"), ctx.t("sim-col-total")],
            rows: calendar,
            amounts_last: true,
        });
    }

    // Names and contacts of the non-cash benefits come from the parameters in force.
    let codes: Vec<&str> = list_of(v, "non_cash_benefits").iter().filter_map(Value::as_str).collect();
    if let Some(p) = str_of(v, "evaluation_date").parse().ok().and_then(|d| book.single_parent_at(d)) {
        view.non_cash = p
            .values
            .non_cash_benefits
            .iter()
            .filter(|n| codes.contains(&n.code.as_str()))
            .map(|n| super::view::NonCash {
                name: match ctx.lang {
                    Lang::Ko => n.name_ko.clone(),
                    Lang::En => n.name_en.clone(),
                },
                contact: n.contact.clone().unwrap_or_default(),
            })
            .collect();
    }
    view
}
