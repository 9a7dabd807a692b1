//! `gajok retention run`, continued: the 공동육아나눔터 CCTV viewing ledger (kept 3 years).

use chrono::NaiveDate;
use gajok_app::App;

pub async fn print(app: &App, as_of: NaiveDate, approved_by: Option<&str>) -> anyhow::Result<()> {
    let r = app.retention_run_cctv(as_of, approved_by).await?;
    println!("CCTV viewing ledger ({}): lines recorded on or before {} are past retention", r.period, r.last_expired);
    for (center, n) in &r.batches {
        let code = gajok_store::orgs::get(app.store.reader(), *center).await?.map(|o| o.code).unwrap_or_default();
        println!("  {code}: {n} ledger lines");
    }
    if approved_by.is_some() {
        println!(
            "deleted {} CCTV ledger lines; {} lines written to the destruction register",
            r.total,
            r.batches.len()
        );
    } else {
        println!("dry run: {} CCTV ledger lines would be deleted; nothing was changed", r.total);
    }
    Ok(())
}
