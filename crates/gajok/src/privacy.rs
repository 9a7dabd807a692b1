//! `gajok retention run`: the destruction job for records past their retention period.

use std::process::ExitCode;

use anyhow::bail;
use gajok_app::App;

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
    let run = app.retention_run(as_of, if apply { approver } else { None }).await?;
    println!(
        "retention rules {}; as of {}: member records whose service ended on or before {} are past retention",
        run.rules_version, run.as_of, run.last_expired_service_end
    );
    for b in &run.batches {
        let code = gajok_store::orgs::get(app.store.reader(), b.center_id).await?.map(|o| o.code).unwrap_or_default();
        println!("  {code}: {} members", b.members);
    }
    if apply {
        println!("anonymised {} members; {} lines written to the destruction register", run.total, run.batches.len());
    } else {
        println!("dry run: {} members would be anonymised; nothing was changed", run.total);
    }
    crate::privacy_cctv::print(app, as_of, if apply { approver } else { None }).await?;
    Ok(ExitCode::SUCCESS)
}
