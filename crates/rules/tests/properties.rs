//! Invariants of the single-parent calculator over generated households.

use std::sync::OnceLock;

use gajok_rules::{Calculator, RuleBook, evaluate_json};
use proptest::prelude::*;
use serde_json::{Value, json};

fn book() -> &'static RuleBook {
    static BOOK: OnceLock<RuleBook> = OnceLock::new();
    BOOK.get_or_init(|| RuleBook::embedded().expect("embedded parameters"))
}

const LEVELS: [&str; 5] = ["none", "elementary", "middle", "high", "other"];
const REASONS: [&str; 3] = ["sp01", "sp02", "sp05"];

fn child() -> impl Strategy<Value = Value> {
    (0u32..24, 0usize..5, prop::bool::ANY).prop_map(|(age, level, nsp)| {
        let level = if age < 6 { "none" } else { LEVELS[level] };
        json!({"age_years": age, "school_level": level, "not_supported_by_parents": nsp})
    })
}

fn household() -> impl Strategy<Value = Value> {
    (
        prop::bool::weighted(0.85),
        18u32..80,
        0usize..3,
        prop::bool::ANY,
        prop::collection::vec(child(), 0..5),
        1i64..9,
        0i64..6_000_000,
        prop::bool::ANY,
        prop::option::of(0i64..3_000_000),
    )
        .prop_map(|(single, age, reason, unmarried, children, size, income, active, claim)| {
            let applicant = if single {
                json!({"relation": "mother", "age_years": age, "is_household_head": true,
                       "reason_code": REASONS[reason], "is_unmarried": unmarried || reason == 2,
                       "study_or_job_activity": active})
            } else {
                json!({"relation": "grandmother", "age_years": age + 30})
            };
            json!({
                "evaluation_date": "2023-06-15",
                "family_type": if single { "single_parent" } else { "grandparent" },
                "applicant": applicant,
                "children": children,
                "household_size": size,
                "recognized_income_month": income,
                "exam_study_cost_claimed": claim,
            })
        })
}

fn eval(input: &Value) -> Value {
    evaluate_json(book(), Calculator::SingleParent, &input.to_string()).expect("generated input is valid")
}

fn annual(v: &Value) -> i64 {
    v["annual_total"].as_i64().unwrap_or(0)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn annual_total_is_the_calendar_sum(h in household()) {
        let out = eval(&h);
        let months = out["calendar"].as_array().expect("calendar");
        if out["status"] == "undefined_threshold" {
            prop_assert!(months.is_empty());
            prop_assert!(out["annual_total"].is_null());
        } else {
            prop_assert_eq!(months.len(), 12);
            let mut sum = 0;
            for m in months {
                let items: i64 = m["items"].as_array().expect("items").iter().map(|i| i["amount"].as_i64().unwrap_or(0)).sum();
                prop_assert_eq!(items, m["total"].as_i64().unwrap_or(-1));
                sum += items;
            }
            prop_assert_eq!(sum, annual(&out));
            let monthly: i64 = out["monthly"].as_array().expect("monthly").iter().map(|i| i["amount"].as_i64().unwrap_or(0)).sum();
            prop_assert_eq!(monthly, out["monthly_total"].as_i64().unwrap_or(-1));
        }
    }

    #[test]
    fn more_income_never_increases_benefits(h in household(), extra in 1i64..3_000_000) {
        let base = eval(&h);
        let mut richer = h.clone();
        richer["recognized_income_month"] = json!(h["recognized_income_month"].as_i64().unwrap_or(0) + extra);
        let richer = eval(&richer);
        prop_assert!(annual(&richer) <= annual(&base), "{} > {}", annual(&richer), annual(&base));
        prop_assert!(richer["monthly_total"].as_i64().unwrap_or(0) <= base["monthly_total"].as_i64().unwrap_or(0));
    }

    #[test]
    fn an_extra_qualifying_child_never_decreases_benefits(h in household(), age in 0u32..18, level in 0usize..4) {
        let base = eval(&h);
        let mut bigger = h.clone();
        let level = if age < 6 { "none" } else { LEVELS[level] };
        // The household grows with the child, and the income stays the same.
        bigger["children"].as_array_mut().expect("children").push(json!({"age_years": age, "school_level": level, "not_supported_by_parents": true}));
        bigger["household_size"] = json!(h["household_size"].as_i64().unwrap_or(1) + 1);
        let bigger = eval(&bigger);
        if bigger["status"] != "undefined_threshold" {
            prop_assert!(annual(&bigger) >= annual(&base), "{} < {}", annual(&bigger), annual(&base));
        }
    }
}
