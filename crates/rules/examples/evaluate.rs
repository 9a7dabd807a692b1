//! Evaluates one JSON request from stdin and prints the result:
//! `cargo run -p gajok-rules --example evaluate -- single-parent < request.json`

use std::io::Read;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let calc: gajok_rules::Calculator = std::env::args().nth(1).unwrap_or_else(|| "single-parent".into()).parse()?;
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input)?;
    let book = gajok_rules::RuleBook::embedded()?;
    match gajok_rules::evaluate_json(&book, calc, &input) {
        Ok(v) => println!("{}", serde_json::to_string_pretty(&v)?),
        Err(e) => {
            println!("{}", serde_json::to_string_pretty(&e)?);
            std::process::exit(2);
        }
    }
    Ok(())
}
