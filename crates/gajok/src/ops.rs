//! Operator commands over the data: synthetic data, the speed benchmark, reports.

use std::time::Instant;

use anyhow::{Context, bail};
use gajok_app::generate::GenerateOptions;
use gajok_app::{App, Principal};
use gajok_domain::role::Role;
use gajok_store::orgs::{self, OrgFilter};

pub async fn generate(app: &App, preset: &str, year: i32, centers: Option<usize>) -> anyhow::Result<()> {
    let Some(mut opts) = GenerateOptions::preset(preset, year) else {
        bail!("unknown preset {preset:?} (small, medium, national)");
    };
    if let Some(c) = centers {
        opts.centers = c;
    }
    eprintln!(
        "generating {} centers x {} members, {} attendance records ({}) ...",
        opts.centers,
        opts.members_per_center,
        opts.attendance_total(),
        preset
    );
    let r = app
        .generate(&opts, |done, total| {
            if done % 10 == 0 || done == total {
                eprintln!("  {done}/{total} centers");
            }
        })
        .await?;
    println!(
        "generated {} centers, {} members, {} sessions, {} attendance records in {:.1} s",
        r.centers, r.members, r.sessions, r.attendance, r.seconds
    );
    Ok(())
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

async fn timed<F, Fut, T>(runs: usize, mut f: F) -> anyhow::Result<Vec<f64>>
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<T>>,
{
    let mut v = Vec::with_capacity(runs);
    for i in 0..runs {
        let t = Instant::now();
        f(i).await?;
        v.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    v.sort_by(|a, b| a.total_cmp(b));
    Ok(v)
}

fn line(name: &str, target_ms: f64, v: &[f64]) {
    let p50 = percentile(v, 0.5);
    let p95 = percentile(v, 0.95);
    let verdict = if p95 <= target_ms { "met" } else { "MISSED" };
    println!(
        "| {name} | {} | {p50:.1} | {p95:.1} | {:.1} | < {target_ms} | {verdict} |",
        v.len(),
        v.last().copied().unwrap_or(0.0)
    );
}

/// Measures the three figures of issue 3 on whatever data is in the database.
pub async fn bench(app: &App, month: &str, runs: usize) -> anyhow::Result<()> {
    let all = OrgFilter {
        scopes: vec!["/".into()],
        kind: Some(gajok_domain::org::OrgKind::Center),
        limit: 100_000,
        ..Default::default()
    };
    let (centers, total) = orgs::list(&app.store, &all).await?;
    if centers.is_empty() {
        bail!("no centers: run `gajok generate --preset national` first");
    }
    let members: i64 = {
        let mut n = 0;
        for c in centers.iter().take(3) {
            n += gajok_store::people::count_in_center(&app.store, c.id).await?;
        }
        n
    };
    let root = orgs::by_code(&app.store, "MOGEF").await?.context("no ministry")?;
    println!("database: {} ({} centers; first centers hold {} members)", app.store.backend().name(), total, members);
    println!();
    println!("| measurement | runs | p50 ms | p95 ms | max ms | target ms | |");
    println!("|---|---|---|---|---|---|---|");
    let pick = |i: usize| &centers[(i * 7919) % centers.len()];

    // Warm up the caches once, as a server that has been running would be.
    let c0 = pick(0);
    let p0 = Principal::operator(Role::CenterManager, c0.id, &c0.path, &c0.name);
    app.monthly_report(&p0, c0.id, month).await?;

    let v = timed(runs, |i| {
        let c = pick(i).clone();
        async move {
            let p = Principal::operator(Role::CenterManager, c.id, &c.path, &c.name);
            Ok(app.monthly_report(&p, c.id, month).await?)
        }
    })
    .await?;
    line("one center's monthly report", 100.0, &v);

    let v = timed(runs.min(10), |_| {
        let p = Principal::operator(Role::MinistryOfficial, root.id, &root.path, &root.name);
        let root_id = root.id;
        async move { Ok(app.rollup(&p, root_id, month).await?) }
    })
    .await?;
    line("national roll-up for one month", 2000.0, &v);

    let v = timed(runs, |i| {
        let c = pick(i).clone();
        async move {
            let p = Principal::operator(Role::CenterStaff, c.id, &c.path, &c.name);
            Ok(app.list_members(&p, Some("민수"), None, 1).await?)
        }
    })
    .await?;
    line("member search '민수' in one center", 30.0, &v);
    let v = timed(runs, |i| {
        let c = pick(i).clone();
        async move {
            let p = Principal::operator(Role::CenterStaff, c.id, &c.path, &c.name);
            Ok(app.list_members(&p, Some("ㄱㅁㅅ"), None, 1).await?)
        }
    })
    .await?;
    line("member search 'ㄱㅁㅅ' (초성) in one center", 30.0, &v);
    Ok(())
}

/// `gajok report monthly`: the same table as the page and its downloads.
pub async fn report_monthly(
    app: &App,
    center: Option<&str>,
    scope: Option<&str>,
    month: &str,
    format: &str,
    output: Option<&str>,
) -> anyhow::Result<()> {
    let root = orgs::by_code(&app.store, "MOGEF").await?.context("no ministry")?;
    let op = Principal::operator(Role::MinistryOfficial, root.id, &root.path, &root.name);
    let (title, rows, json) = match (center, scope) {
        (Some(code), None) => {
            let c =
                orgs::by_code(&app.store, code).await?.with_context(|| format!("no institution with code {code}"))?;
            let r = app.monthly_report(&op, c.id, month).await?;
            let headers: Vec<String> = gajok_app::reports::HEADERS_KO.iter().map(|h| h.to_string()).collect();
            let rows = gajok_app::reports::report_table(&r, &headers, "합계");
            (format!("월간사업실적 · {} · {}", c.name, r.month), rows, serde_json::to_value(&r)?)
        }
        (None, Some(code)) => {
            let u =
                orgs::by_code(&app.store, code).await?.with_context(|| format!("no institution with code {code}"))?;
            let r = app.rollup(&op, u.id, month).await?;
            let mut rows = vec![vec![
                "센터".to_string(),
                "상태".into(),
                "이번 달 회기".into(),
                "이번 달 실인원(신규)".into(),
                "이번 달 연인원".into(),
                "누계 실인원".into(),
                "누계 연인원".into(),
            ]];
            for row in &r.rows {
                rows.push(vec![
                    row.center.name.clone(),
                    gajok_domain::code_list::CodeList::label_ko(row.status).to_string(),
                    row.month.sessions.to_string(),
                    row.month.real_new.to_string(),
                    (row.month.cumulative + row.month.open_persons).to_string(),
                    row.ytd.real_new.to_string(),
                    (row.ytd.cumulative + row.ytd.open_persons).to_string(),
                ]);
            }
            (format!("실적 집계 · {} · {}", u.name, r.month), rows, serde_json::to_value(&r)?)
        }
        _ => bail!("give exactly one of --center or --scope"),
    };
    let bytes = match format {
        "json" => serde_json::to_vec_pretty(&json)?,
        "csv" => gajok_app::export::csv(&rows),
        "xlsx" => gajok_app::export::xlsx(month, &title, &rows)?,
        other => bail!("unknown format {other:?} (json, csv, xlsx)"),
    };
    match output {
        Some(path) => std::fs::write(path, bytes).with_context(|| format!("writing {path}"))?,
        None => {
            use std::io::Write;
            std::io::stdout().write_all(&bytes)?;
        }
    }
    Ok(())
}
