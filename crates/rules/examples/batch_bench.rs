//! Batch throughput: generates N realistic households as JSON Lines in memory, runs
//! `run_batch` on one thread, and prints households per second.
//!
//! `cargo run --release -p gajok-rules --example batch_bench -- [N] [calculator]`

use std::time::Instant;

use gajok_rules::{Calculator, RuleBook, run_batch};

/// A small deterministic generator so runs are comparable.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

const LEVELS: [&str; 5] = ["none", "elementary", "middle", "high", "other"];
const REASONS: [&str; 9] = ["sp01", "sp02", "sp02", "sp02", "sp03", "sp05", "sp05", "sp06", "sp07"];

fn single_parent(r: &mut Lcg) -> String {
    let grand = r.next(10) == 0;
    let kids = 1 + r.next(3);
    let mut children = Vec::new();
    for i in 0..kids {
        let age = r.next(21);
        let level = match age {
            0..=6 => "none",
            7..=12 => "elementary",
            13..=15 => "middle",
            16..=18 => "high",
            _ => LEVELS[r.next(5) as usize],
        };
        let birth = format!("{}-{:02}-{:02}", 2022 - age as i32, 1 + r.next(12), 1 + r.next(28));
        children.push(format!(
            r#"{{"id":"c{}","birth_date":"{birth}","school_level":"{level}","not_supported_by_parents":{}}}"#,
            i + 1,
            grand
        ));
    }
    let applicant = if grand {
        format!(r#"{{"relation":"grandmother","age_years":{}}}"#, 55 + r.next(25))
    } else {
        format!(
            r#"{{"relation":"{}","age_years":{},"is_household_head":true,"reason_code":"{}","is_unmarried":{},"study_or_job_activity":{}}}"#,
            if r.next(5) == 0 { "father" } else { "mother" },
            19 + r.next(35),
            REASONS[r.next(9) as usize],
            r.next(3) == 0,
            r.next(2) == 0
        )
    };
    format!(
        r#"{{"evaluation_date":"2023-{:02}-15","family_type":"{}","applicant":{applicant},"children":[{}],"household_size":{},"recognized_income_month":{}}}"#,
        1 + r.next(12),
        if grand { "grandparent" } else { "single_parent" },
        children.join(","),
        1 + kids + r.next(2),
        r.next(4_000_000)
    )
}

fn family_capacity(r: &mut Lcg) -> String {
    format!(
        r#"{{"evaluation_date":"2018-05-01","household_size":{},"health_insurance":{{"subscriber_type":"employee","monthly_premium":{}}},"family_types":["single_parent"],"children":[{{"age_years":{}}}],"family_risks":["family_breakdown"]}}"#,
        1 + r.next(6),
        r.next(200_000),
        r.next(18)
    )
}

fn visiting_copay(r: &mut Lcg) -> String {
    format!(
        r#"{{"evaluation_date":"2018-05-01","household_size":{},"health_insurance":{{"subscriber_type":"regional","monthly_premium":{}}},"child":{{"age_years":{}}}}}"#,
        2 + r.next(6),
        r.next(300_000),
        3 + r.next(10)
    )
}

/// Stands in for stdout: takes every byte, keeps none, so the figure measures the
/// calculator and not the growth of a gigabyte buffer.
struct CountingSink(usize);

impl std::io::Write for CountingSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(200_000);
    let calc: Calculator = args.next().unwrap_or_else(|| "single-parent".into()).parse()?;
    let book = RuleBook::embedded()?;
    let mut rng = Lcg(0x5eed);
    let mut input = String::with_capacity(n * 600);
    for _ in 0..n {
        input.push_str(&match calc {
            Calculator::SingleParent => single_parent(&mut rng),
            Calculator::FamilyCapacity => family_capacity(&mut rng),
            Calculator::VisitingCopay => visiting_copay(&mut rng),
        });
        input.push('\n');
    }
    let mut output = CountingSink(0);
    let start = Instant::now();
    let stats = run_batch(&book, calc, input.as_bytes(), &mut output)?;
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{calc}: {} households ({} ok, {} errors) in {secs:.3} s = {:.0} households/second on one thread; {:.1} MB in, {:.1} MB out",
        stats.lines,
        stats.ok,
        stats.errors,
        stats.lines as f64 / secs,
        input.len() as f64 / 1e6,
        output.0 as f64 / 1e6
    );
    Ok(())
}
