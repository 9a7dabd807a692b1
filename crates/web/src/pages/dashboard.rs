//! The dashboard.

use askama::Template;
use axum::response::Response;
use gajok_app::store::audit::AuditEvent;
use gajok_domain::code_list::CodeList;

use crate::charts;
use crate::context::Ctx;
use crate::error::WebResult;
use crate::layout::Layout;
use crate::pages::render;

pub struct KindCount {
    pub code: &'static str,
    pub label: &'static str,
    pub count: i64,
}

pub struct CenterCard {
    pub id: i64,
    pub name: String,
    pub address: String,
    pub phone: String,
    pub center_type: String,
    pub sites: Vec<(i64, String)>,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    l: Layout,
    welcome: String,
    counts: Vec<KindCount>,
    visitation: i64,
    /// (role label, org id, org name)
    assignments: Vec<(String, i64, String)>,
    center: Option<CenterCard>,
    recent: Vec<AuditEvent>,
    /// (label, verdict code, verdict label, detail, source)
    compliance: Vec<(String, &'static str, String, String, String)>,
    charts: Option<ChartsView>,
    /// The 나눔터·품앗이 obligations, in the same shape.
    nanumteo: Vec<(String, &'static str, String, String, String)>,
}

/// The center's charts, drawn as SVG on the server, with the figures again as tables.
struct ChartsView {
    plan_svg: String,
    trend_svg: String,
    /// (program, target, actual, percent or "-")
    plan_rows: Vec<(String, i64, i64, String)>,
    /// (month label, 연인원, 실인원 new)
    trend_rows: Vec<(String, i64, i64)>,
}

fn charts_view(ctx: &Ctx, c: &gajok_app::dashboard::CenterCharts) -> ChartsView {
    let year = c.year.to_string();
    let plan_title = ctx.state.i18n.t(ctx.lang, "dash-chart-plan", &[("year", &year)]);
    let trend_title = ctx.state.i18n.t(ctx.lang, "dash-chart-trend", &[("year", &year)]);
    let month_label = |ym: &str| {
        let m = ym.rsplit('-').next().and_then(|m| m.parse::<u32>().ok()).unwrap_or(0);
        ctx.t(&format!("month-short-{m}"))
    };
    let trend_rows: Vec<(String, i64, i64)> = c.trend.iter().map(|(ym, n, r)| (month_label(ym), *n, *r)).collect();
    let points: Vec<(String, i64)> = trend_rows.iter().map(|(l, n, _)| (l.clone(), *n)).collect();
    ChartsView {
        plan_svg: charts::plan_vs_actual(&plan_title, &c.plan_vs_actual, &ctx.t("program-target")),
        trend_svg: charts::monthly_bars(&trend_title, &points),
        plan_rows: c
            .plan_vs_actual
            .iter()
            .map(|(n, t, a)| (n.clone(), *t, *a, if *t > 0 { format!("{}%", a * 100 / t) } else { "-".into() }))
            .collect(),
        trend_rows,
    }
}

pub async fn show(ctx: Ctx) -> WebResult<Response> {
    let p = ctx.user()?;
    let d = ctx.state.app.dashboard(p).await?;
    let counts =
        d.counts.iter().map(|(k, n)| KindCount { code: k.code(), label: k.label(ctx.lang), count: *n }).collect();
    let assignments =
        p.roles.iter().map(|r| (r.role.label(ctx.lang).to_string(), r.org_unit_id, r.org_name.clone())).collect();
    let center = d.my_center.map(|(u, details, sites)| CenterCard {
        id: u.id,
        name: u.name,
        address: u.address.unwrap_or_else(|| "-".into()),
        phone: u.phone.unwrap_or_else(|| "-".into()),
        center_type: details
            .map(|c| c.center_type.label(ctx.lang).to_string())
            .unwrap_or_else(|| ctx.t("dash-registry-missing")),
        sites: sites.into_iter().map(|s| (s.id, s.name)).collect(),
    });
    let welcome = ctx.state.i18n.t(ctx.lang, "dash-welcome", &[("name", &p.user.display_name)]);
    render(&DashboardPage {
        l: ctx.layout(&ctx.t("dash-title")),
        welcome,
        counts,
        visitation: d.visitation_centers,
        assignments,
        center,
        nanumteo: d
            .nanumteo
            .iter()
            .map(|o| {
                (
                    ctx.t(&format!("ntp-ob-{}", o.key)),
                    o.verdict.code(),
                    ctx.t(&format!("ntp-verdict-{}", o.verdict.code())),
                    if o.key == "leader_training_minutes" {
                        let h = gajok_app::reports::hours;
                        format!("{} / {}h", h(o.done), h(o.target))
                    } else {
                        format!("{} / {}", o.done, o.target)
                    },
                    o.rule.clone(),
                )
            })
            .collect(),
        compliance: d
            .compliance
            .iter()
            .map(|o| {
                let detail =
                    if ctx.lang == gajok_domain::text::Lang::Ko { o.detail_ko.clone() } else { o.detail_en.clone() };
                (
                    ctx.t(&format!("check-{}", o.id)),
                    o.verdict.code(),
                    ctx.t(&format!("verdict-{}", o.verdict.code())),
                    detail,
                    o.source.clone(),
                )
            })
            .collect(),
        charts: d.charts.as_ref().map(|c| charts_view(&ctx, c)),
        recent: d.recent_changes,
    })
}
