//! `gajok eligibility <calculator>`: the rules calculators on the command line. One JSON
//! request in, the result out (pretty-printed); or JSON Lines in and one result per line
//! out with `--batch`, where a bad line becomes `{"error": ..., "line": n}` and the rest go
//! on. Bad input in single mode exits 2 with `{"error": ...}` on stderr.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use gajok_rules::{Calculator, RuleBook, evaluate_json, run_batch};

#[derive(clap::Args)]
pub struct Args {
    /// Which calculator
    #[arg(value_enum)]
    calculator: CalculatorArg,
    /// JSON request (JSON Lines with --batch); `-` reads standard input
    #[arg(long, default_value = "-")]
    input: String,
    /// Read JSON Lines and write one result per line
    #[arg(long)]
    batch: bool,
    /// An extra parameter file (next year's table or an override); repeatable
    #[arg(long = "rules", value_name = "FILE")]
    rules: Vec<PathBuf>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum CalculatorArg {
    /// 한부모가족 eligibility, benefits and payment calendar
    SingleParent,
    /// 가족역량강화지원 eligibility
    FamilyCapacity,
    /// 다문화 방문교육 co-payment type
    VisitingCopay,
}

impl From<CalculatorArg> for Calculator {
    fn from(c: CalculatorArg) -> Self {
        match c {
            CalculatorArg::SingleParent => Calculator::SingleParent,
            CalculatorArg::FamilyCapacity => Calculator::FamilyCapacity,
            CalculatorArg::VisitingCopay => Calculator::VisitingCopay,
        }
    }
}

fn open_input(path: &str) -> anyhow::Result<Box<dyn BufRead>> {
    if path == "-" {
        return Ok(Box::new(BufReader::with_capacity(1 << 16, std::io::stdin().lock())));
    }
    let f = File::open(path).with_context(|| format!("opening {path}"))?;
    Ok(Box::new(BufReader::with_capacity(1 << 16, f)))
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let mut book = RuleBook::embedded().context("loading the embedded parameter files")?;
    for file in &args.rules {
        book = book.with_file(file)?;
    }
    let calc = Calculator::from(args.calculator);
    let mut input = open_input(&args.input)?;
    if args.batch {
        let out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        let stats = run_batch(&book, calc, input, out).context("batch")?;
        eprintln!("{calc}: {} lines, {} ok, {} errors", stats.lines, stats.ok, stats.errors);
        return Ok(ExitCode::SUCCESS);
    }
    let mut text = String::new();
    input.read_to_string(&mut text).with_context(|| format!("reading {}", args.input))?;
    match evaluate_json(&book, calc, &text) {
        Ok(result) => {
            let mut out = std::io::stdout().lock();
            serde_json::to_writer_pretty(&mut out, &result)?;
            writeln!(out)?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("{}", serde_json::to_string_pretty(&serde_json::json!({ "error": e }))?);
            Ok(ExitCode::from(2))
        }
    }
}
