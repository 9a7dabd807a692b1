//! The CCTV viewing ledger's retention (3 years, rules/privacy/retention.json kind
//! `cctv_viewing_ledger`): `gajok retention run` destroys the lines whose period has ended,
//! each center's batch in one transaction with its line in the destruction register.

use chrono::NaiveDate;
use gajok_store::nanumteo::safety as st;
use gajok_store::privacy::retention::Purge;

use crate::App;
use crate::error::{AppError, AppResult};
use crate::privacy::retention::{DestroyRun, kind};

pub const KIND: &str = "cctv_viewing_ledger";

impl App {
    /// Finds (and with `approved_by`, destroys) the ledger lines past retention on `as_of`.
    pub async fn retention_run_cctv(&self, as_of: NaiveDate, approved_by: Option<&str>) -> AppResult<DestroyRun> {
        let rule = kind(KIND)?;
        let last = rule.last_expired_start(as_of).ok_or_else(|| AppError::Internal(format!("{KIND} has no period")))?;
        let rows = st::expired_cctv(&self.store, &last.to_string()).await?;
        self.destroy_expired(rule, as_of, rows, Purge::CctvLedger, approved_by, "CCTV 열람 대장").await
    }
}
