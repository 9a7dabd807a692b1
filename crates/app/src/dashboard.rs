//! The first page after sign-in, shaped by role: what the caller is responsible for.

use gajok_domain::org::OrgKind;
use gajok_domain::program::Category;
use gajok_store::audit::{self, AuditEvent, LogFilter};
use gajok_store::counting::{self, Figures};
use gajok_store::orgs::{self, CenterDetails, OrgUnit};
use gajok_store::programs;
use serde::Serialize;

use crate::error::AppResult;
use crate::principal::Principal;
use crate::{App, authz};

#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    /// The units the caller's roles are assigned at.
    pub assignments: Vec<OrgUnit>,
    /// Units in scope by kind.
    pub counts: Vec<(OrgKind, i64)>,
    /// Visitation-service institutions in scope (seed 000).
    pub visitation_centers: i64,
    /// For center staff and managers: their center and its registry record.
    pub my_center: Option<(OrgUnit, Option<CenterDetails>, Vec<OrgUnit>)>,
    /// For those who may read the audit log: the latest changes in scope.
    pub recent_changes: Vec<AuditEvent>,
    /// For center staff and managers: the common-program rules of this year for their center.
    pub compliance: Vec<crate::compliance::Outcome>,
    /// For center staff and managers: this year's figures for the dashboard charts.
    pub charts: Option<CenterCharts>,
    /// For center workers of a center running a 나눔터 or 품앗이: this year's obligations.
    pub nanumteo: Vec<crate::nanumteo::obligations::Obligation>,
}

/// What the center dashboard draws: each program's 연인원 against its yearly target, and the
/// center's month-by-month trend of the current year.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CenterCharts {
    pub year: i32,
    /// (program name, target 연인원, 연인원 so far this year)
    pub plan_vs_actual: Vec<(String, i64, i64)>,
    /// (`YYYY-MM`, 연인원, 실인원 new that month), January to the current month.
    pub trend: Vec<(String, i64, i64)>,
}

impl App {
    pub async fn dashboard(&self, p: &Principal) -> AppResult<Dashboard> {
        let scopes = p.scopes(&[]);
        let ids: Vec<i64> = p.roles.iter().map(|r| r.org_unit_id).collect();
        let assignments = orgs::many(&self.store, &ids).await?;
        let counts = orgs::count_by_kind(&self.store, &scopes).await?;
        let f =
            orgs::OrgFilter { scopes: scopes.clone(), visitation_service: Some(true), limit: 1, ..Default::default() };
        let visitation_centers = orgs::list(&self.store, &f).await?.1;
        let my_center = match assignments.iter().find(|u| u.kind == OrgKind::Center) {
            Some(c) => {
                let details = orgs::center(self.store.reader(), c.id).await?;
                let sites = orgs::children(&self.store, c.id).await?;
                Some((c.clone(), details, sites))
            }
            None => None,
        };
        let recent_changes = if authz::can_search_logs(p) {
            let f = LogFilter { scopes: authz::log_scopes(p), limit: 8, ..Default::default() };
            audit::search(&self.store, &f).await?.0
        } else {
            Vec::new()
        };
        let compliance = match &my_center {
            Some((c, _, _)) => {
                use chrono::Datelike;
                let today = gajok_domain::time::kst_date(chrono::Utc::now());
                crate::compliance::evaluate(&self.store, c.id, today.year(), today).await?
            }
            None => Vec::new(),
        };
        let charts = match &my_center {
            Some((c, _, _)) => Some(self.center_charts(c.id).await?),
            None => None,
        };
        let nanumteo = match &my_center {
            Some((c, _, _)) => self.dashboard_obligations(c.id).await?,
            None => Vec::new(),
        };
        Ok(Dashboard {
            assignments,
            counts,
            visitation_centers,
            my_center,
            recent_changes,
            compliance,
            charts,
            nanumteo,
        })
    }

    /// Read from the month figures kept at write time (`monthly_stats`): one query, no recount.
    async fn center_charts(&self, center_id: i64) -> AppResult<CenterCharts> {
        use chrono::Datelike;
        let today = gajok_domain::time::kst_date(chrono::Utc::now());
        let (year, month) = (today.year(), today.month());
        let progs = programs::programs(&self.store, center_id, i64::from(year)).await?;
        let figs =
            counting::figures(&self.store, &[center_id], &format!("{year:04}-01"), &format!("{year:04}-12")).await?;
        let persons = |f: &Figures| f.cumulative + f.open_persons;
        let plan_vs_actual = progs
            .iter()
            .map(|pr| {
                let key = Category::Program(pr.id).key();
                let done: i64 = figs.iter().filter(|((_, _, c), _)| *c == key).map(|(_, f)| persons(f)).sum();
                (pr.name.clone(), pr.target_cumulative, done)
            })
            .collect();
        let center = Category::Center.key();
        let trend = (1..=month)
            .map(|m| {
                let ym = format!("{year:04}-{m:02}");
                let f = figs.get(&(center_id, ym.clone(), center.clone())).cloned().unwrap_or_default();
                (ym, persons(&f), f.real_new)
            })
            .collect();
        Ok(CenterCharts { year, plan_vs_actual, trend })
    }
}
