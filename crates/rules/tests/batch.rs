//! JSON Lines batches: one output line per input line, bad lines reported by number.

mod common;

use gajok_rules::{BatchStats, Calculator, RuleBook, run_batch};

#[test]
fn bad_lines_do_not_stop_the_batch() {
    let good = r#"{"evaluation_date":"2023-06-15","family_type":"grandparent","applicant":{"relation":"grandfather","age_years":66},"children":[{"age_years":3,"not_supported_by_parents":true}],"household_size":2,"recognized_income_month":0}"#;
    let input = format!("{good}\n{{\"evaluation_date\":\"2023-06-15\"}}\n\n{good}\nnot json\n");
    let book = RuleBook::embedded().expect("embedded");
    let mut out = Vec::new();
    let stats = run_batch(&book, Calculator::SingleParent, input.as_bytes(), &mut out).expect("io");
    assert_eq!(stats, BatchStats { lines: 4, ok: 2, errors: 2 });
    let lines: Vec<serde_json::Value> =
        String::from_utf8(out).expect("utf8").lines().map(|l| serde_json::from_str(l).expect("json line")).collect();
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

/// `run_batch` writes results with a hand-written writer; it must give the same bytes as
/// `serde_json` from the derived `Serialize` impls, for every vector and its overrides.
#[test]
fn batch_output_is_serde_json_byte_for_byte() {
    use gajok_rules::{family_capacity, single_parent, visiting_copay};
    for file in
        ["rules/vectors/single_parent.json", "rules/vectors/family_capacity.json", "rules/vectors/visiting_copay.json"]
    {
        let doc = common::load_json(file);
        let calc: Calculator = doc["calculator"].as_str().expect("calculator").parse().expect("known");
        for case in doc["cases"].as_array().expect("cases") {
            let name = case["name"].as_str().unwrap_or("?");
            let book = common::book_for(calc, case.get("params"));
            let input = common::input_text(&case["input"]);
            let expected =
                match calc {
                    Calculator::SingleParent => {
                        single_parent::parse(&input).map(|r| serde_json::to_string(&single_parent::evaluate(&book, &r)))
                    }
                    Calculator::FamilyCapacity => family_capacity::parse(&input)
                        .map(|r| serde_json::to_string(&family_capacity::evaluate(&book, &r))),
                    Calculator::VisitingCopay => visiting_copay::parse(&input)
                        .map(|r| serde_json::to_string(&visiting_copay::evaluate(&book, &r))),
                };
            let Ok(expected) = expected else { continue };
            let expected = expected.expect("serializes");
            let mut out = Vec::new();
            run_batch(&book, calc, format!("{input}\n").as_bytes(), &mut out).expect("io");
            let got = String::from_utf8(out).expect("utf8");
            assert_eq!(got.trim_end_matches('\n'), expected, "{file}: {name}");
        }
    }
}

/// Strings that need escaping (quotes, backslashes, control characters, Korean) in ids.
#[test]
fn batch_escapes_like_serde_json() {
    use gajok_rules::single_parent;
    let book = RuleBook::embedded().expect("embedded");
    for id in [
        "a\"b",
        "back\\slash",
        "tab\there",
        "nl\n",
        "\u{1}",
        "자녀-한글-아이디",
        "x\u{7f}y",
        "long id with \"quotes\" and more text",
    ] {
        let input = serde_json::json!({
            "evaluation_date": "2023-06-15", "family_type": "single_parent",
            "applicant": {"relation": "mother", "age_years": 30, "is_household_head": true, "reason_code": "sp02"},
            "children": [{"id": id, "age_years": 3}], "household_size": 2, "recognized_income_month": 0
        })
        .to_string();
        let req = single_parent::parse(&input).expect("valid");
        let expected = serde_json::to_string(&single_parent::evaluate(&book, &req)).expect("json");
        let mut out = Vec::new();
        run_batch(&book, Calculator::SingleParent, format!("{input}\n").as_bytes(), &mut out).expect("io");
        assert_eq!(String::from_utf8(out).expect("utf8").trim_end_matches('\n'), expected, "{id:?}");
    }
}
