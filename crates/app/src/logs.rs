//! Searching the audit and access logs within one's scope, and verifying the access-log
//! chain. Reading the logs is itself recorded in the access log (they name people).

use chrono::{NaiveDate, TimeZone};
use gajok_domain::field::{FieldError, FieldErrors};
use gajok_domain::{text, time};
use gajok_store::access_log::{self, AccessEntry, ChainReport, NewAccess};
use gajok_store::audit::{self, AuditEvent, LogFilter};
use serde::Deserialize;

use crate::error::AppResult;
use crate::org::Page;
use crate::principal::Principal;
use crate::{App, authz};

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogQuery {
    /// First day, `YYYY-MM-DD` (Korean date).
    pub from: Option<String>,
    /// Last day, inclusive.
    pub to: Option<String>,
    pub actor: Option<String>,
    pub action: Option<String>,
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub page: Option<i64>,
}

fn day_start_utc(field: &str, s: &str) -> Result<String, FieldError> {
    let d: NaiveDate = time::parse_date(s).ok_or_else(|| FieldError::new(field, "invalid_date"))?;
    let start = d.and_hms_opt(0, 0, 0).ok_or_else(|| FieldError::new(field, "invalid_date"))?;
    let t = time::kst().from_local_datetime(&start).single().ok_or_else(|| FieldError::new(field, "invalid_date"))?;
    Ok(time::to_db(t.with_timezone(&chrono::Utc)))
}

impl LogQuery {
    fn filter(&self, p: &Principal, per_page: i64) -> Result<LogFilter, FieldErrors> {
        let mut e = FieldErrors::new();
        let nonblank = |v: &Option<String>| v.as_deref().map(text::clean).filter(|s| !s.is_empty());
        let from = nonblank(&self.from).and_then(|s| e.take(day_start_utc("from", &s)));
        let to = nonblank(&self.to).and_then(|s| {
            let next = time::parse_date(&s).and_then(|d| d.succ_opt()).map(|d| d.format("%Y-%m-%d").to_string());
            match next {
                Some(n) => e.take(day_start_utc("to", &n)),
                None => {
                    e.push(FieldError::new("to", "invalid_date"));
                    None
                }
            }
        });
        e.finish()?;
        let page = self.page.unwrap_or(1).max(1);
        Ok(LogFilter {
            scopes: authz::log_scopes(p),
            from,
            to,
            actor: nonblank(&self.actor).map(|s| s.to_ascii_lowercase()),
            action: nonblank(&self.action),
            entity_type: nonblank(&self.entity_type),
            entity_id: nonblank(&self.entity_id),
            limit: per_page,
            offset: crate::org::page_offset(page, per_page),
        })
    }
}

impl App {
    /// Records one read or download of personal data in the access log, in its own transaction
    /// (the page shows the data after the entry is safely written).
    pub(crate) async fn log_access(&self, p: &Principal, a: NewAccess) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        access_log::append(&mut tx, &p.actor(), a).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn log_read(&self, p: &Principal, subject_type: &'static str, detail: String) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        let path = authz::log_scopes(p).first().cloned().unwrap_or_else(|| "/".into());
        access_log::append(
            &mut tx,
            &p.actor(),
            NewAccess {
                action: "search",
                subject_type,
                subject_id: "-".into(),
                org_unit_id: None,
                org_path: path,
                detail,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn search_audit(&self, p: &Principal, q: &LogQuery) -> AppResult<Page<AuditEvent>> {
        authz::require(authz::can_search_logs(p))?;
        let per_page = 50;
        let f = q.filter(p, per_page)?;
        let (items, total) = audit::search(&self.store, &f).await?;
        self.log_read(p, "audit_log", format!("page {} ({} rows)", q.page.unwrap_or(1), items.len())).await?;
        Ok(Page { items, total, page: q.page.unwrap_or(1).max(1), per_page })
    }

    pub async fn search_access(&self, p: &Principal, q: &LogQuery) -> AppResult<Page<AccessEntry>> {
        authz::require(authz::can_search_logs(p))?;
        let per_page = 50;
        let f = q.filter(p, per_page)?;
        let (items, total) = access_log::search(&self.store, &f).await?;
        self.log_read(p, "access_log", format!("page {} ({} rows)", q.page.unwrap_or(1), items.len())).await?;
        Ok(Page { items, total, page: q.page.unwrap_or(1).max(1), per_page })
    }

    pub async fn verify_access_chain(&self, p: &Principal) -> AppResult<ChainReport> {
        authz::require(authz::can_verify_chain(p))?;
        Ok(access_log::verify(&self.store).await?)
    }
}
