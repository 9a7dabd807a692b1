//! `gajok retention run`: the destruction job for records past their retention period.

use std::process::ExitCode;

use anyhow::bail;
use gajok_app::App;
use gajok_app::privacy::retention::DestroyRun;

pub async fn retention_run(
    app: &App,
    dry_run: bool,
    apply: bool,
    approved_by: Option<&str>,
    as_of: Option<&str>,
) -> anyhow::Result<ExitCode> {
    if dry_run == apply {
        eprintln!("error: give exactly one of --dry-run (list what has expired) and --apply (anonymise it)");
        return Ok(ExitCode::from(2));
    }
    let approver = approved_by.map(str::trim).filter(|s| !s.is_empty());
    if apply && approver.is_none() {
        // The model policy: plan → the privacy officer approves → destroy.
        eprintln!("error: --apply needs --approved-by NAME (the privacy officer who approved the destruction plan)");
        return Ok(ExitCode::from(2));
    }
    let today = gajok_domain::time::kst_date(chrono::Utc::now());
    // A later date only plans ahead; applying always uses today, so nothing is destroyed early.
    let as_of = match as_of {
        None => today,
        Some(_) if apply => bail!("--as-of is for --dry-run only: --apply always uses today's date"),
        Some(s) => gajok_domain::time::parse_date(s).ok_or_else(|| anyhow::anyhow!("--as-of must be YYYY-MM-DD"))?,
    };
    let approver = if apply { approver } else { None };
    let run = app.retention_run(as_of, approver).await?;
    println!(
        "retention rules {}; as of {}: member records whose service ended on or before {} are past retention",
        run.rules_version, run.as_of, run.last_expired_service_end
    );
    for b in &run.batches {
        let code = center_code(app, b.center_id).await?;
        match b.separated {
            0 => println!("  {code}: {} members", b.members),
            n => println!("  {code}: {} members ({n} late-fee receipts to separate storage first)", b.members),
        }
    }
    let moving_centers = run.batches.iter().filter(|b| b.separated > 0).count();
    if apply {
        println!("anonymised {} members; {} lines written to the destruction register", run.total, run.batches.len());
        println!(
            "copied {} late-fee receipts to separate storage before anonymising; {moving_centers} lines written to the destruction register",
            run.separated
        );
    } else {
        println!("dry run: {} members would be anonymised; nothing was changed", run.total);
        println!("dry run: {} late-fee receipts would be copied to separate storage first", run.separated);
    }
    let r = &run.separated_destroyed;
    let heading = format!(
        "separate storage, late-fee receipts ({}): fiscal years ending on or before {} are past retention",
        r.period, r.last_expired
    );
    print_destroyed(app, r, &heading, "separated records", "separated late-fee receipts", approver).await?;
    let r = app.retention_run_cctv(as_of, approver).await?;
    let heading = format!(
        "CCTV viewing ledger ({}): lines recorded on or before {} are past retention",
        r.period, r.last_expired
    );
    print_destroyed(app, &r, &heading, "ledger lines", "CCTV ledger lines", approver).await?;
    Ok(ExitCode::SUCCESS)
}

async fn center_code(app: &App, id: i64) -> anyhow::Result<String> {
    Ok(gajok_store::orgs::get(app.store.reader(), id).await?.map(|o| o.code).unwrap_or_default())
}

/// One destruction of whole rows: per center, then the total.
async fn print_destroyed(
    app: &App,
    r: &DestroyRun,
    heading: &str,
    row_noun: &str,
    total_noun: &str,
    approved_by: Option<&str>,
) -> anyhow::Result<()> {
    println!("{heading}");
    for (center, n) in &r.batches {
        println!("  {}: {n} {row_noun}", center_code(app, *center).await?);
    }
    if approved_by.is_some() {
        println!("deleted {} {total_noun}; {} lines written to the destruction register", r.total, r.batches.len());
    } else {
        println!("dry run: {} {total_noun} would be deleted; nothing was changed", r.total);
    }
    Ok(())
}
