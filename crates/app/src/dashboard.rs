//! The first page after sign-in, shaped by role: what the caller is responsible for.

use gajok_domain::org::OrgKind;
use gajok_store::audit::{self, AuditEvent, LogFilter};
use gajok_store::orgs::{self, CenterDetails, OrgUnit};
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
    /// For center workers of a center running a 나눔터 or 품앗이: this year's obligations.
    pub nanumteo: Vec<crate::nanumteo::obligations::Obligation>,
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
        let nanumteo = match &my_center {
            Some((c, _, _)) => self.dashboard_obligations(c.id).await?,
            None => Vec::new(),
        };
        Ok(Dashboard { assignments, counts, visitation_centers, my_center, recent_changes, compliance, nanumteo })
    }
}
