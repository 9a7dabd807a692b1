//! JSON Lines batches: one output line per input line, bad lines reported by number.

use gajok_rules::{BatchStats, Calculator, RuleBook, run_batch};

#[test]
fn bad_lines_do_not_stop_the_batch() {
    let good = r#"{"evaluation_date":"2023-06-15","family_type":"grandparent","applicant":{"relation":"grandfather","age_years":66},"children":[{"age_years":3,"not_supported_by_parents":true}],"household_size":2,"recognized_income_month":0}"#;
    let input = format!("{good}\n{{\"evaluation_date\":\"2023-06-15\"}}\n\n{good}\nnot json\n");
    let book = RuleBook::embedded().expect("embedded");
    let mut out = Vec::new();
    let stats = run_batch(&book, Calculator::SingleParent, input.as_bytes(), &mut out).expect("io");
    assert_eq!(
        stats,
        BatchStats {
            lines: 4,
            ok: 2,
            errors: 2
        }
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out)
        .expect("utf8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["status"], "eligible_general");
    assert_eq!(lines[0]["monthly_total"], 250_000);
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[1]["error"]["code"], "missing_field");
    assert_eq!(lines[1]["error"]["field"], "family_type");
    assert_eq!(lines[2]["status"], "eligible_general");
    assert_eq!(lines[3]["line"], 5);
    assert_eq!(lines[3]["error"]["code"], "invalid_json");
}

#[test]
fn calculator_names_parse() {
    for c in Calculator::ALL {
        assert_eq!(c.as_str().parse::<Calculator>(), Ok(c));
    }
    assert!("single_parent".parse::<Calculator>().is_err());
}
