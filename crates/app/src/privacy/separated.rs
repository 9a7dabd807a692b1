//! Separate storage (별도 보관, 개인정보 보호법 제21조제3항): the toy library's late fees are money
//! received, so each receipt with the payer's name is kept 5 years from the end of its fiscal
//! year as cash-book evidence (rules/privacy/retention.json kind `fee_receipt`), even when the
//! member's own retention has ended. The retention run copies such receipts here before it
//! anonymises the member (`privacy::retention`); this module picks them and shows them to the
//! privacy officer: a masked list, and a detail read (access-logged) with the full values for
//! the center's own privacy officer.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use gajok_domain::{mask, time};
use gajok_store::access_log::NewAccess;
use gajok_store::orgs;
use gajok_store::privacy::retention::Expired;
use gajok_store::privacy::separated::{self as store, FeeReceipt, NewSeparated, ReceiptSource, Separated};
use serde::Serialize;

use crate::error::{AppError, AppResult};
use crate::principal::Principal;
use crate::privacy::retention::{RetentionKind, kind};
use crate::{App, authz};

/// The retention kind of late-fee receipts.
pub const FEE_RECEIPT: &str = "fee_receipt";

/// A receipt the run copies to separate storage, with the last day it is kept.
#[derive(Debug, Clone)]
pub(crate) struct Moving {
    pub source: ReceiptSource,
    pub keep_until: String,
}

impl Moving {
    /// The row copied into separate storage by a run approved by `approver` at `now`.
    pub(crate) fn row<'a>(&'a self, rule: &'a RetentionKind, now: &'a str, approver: &'a str) -> NewSeparated<'a> {
        NewSeparated {
            center_id: self.source.center_id,
            org_path: &self.source.org_path,
            record_kind: &rule.kind,
            source_table: store::LOANS,
            source_id: self.source.loan_id,
            keep_until: &self.keep_until,
            legal_basis: &rule.basis_ko,
            moved_at: now,
            moved_by: approver,
        }
    }
}

/// One record of separate storage as shown: the payer masked unless the full values were asked
/// for and allowed.
#[derive(Debug, Clone, Serialize)]
pub struct SeparatedView {
    pub record: Separated,
    /// The fee receipt (kind `fee_receipt`), the payer's name masked or not as `full` says.
    pub receipt: Option<FeeReceipt>,
    pub full: bool,
}

/// The privacy officer's list: the records in scope and how many of each kind.
#[derive(Debug, Clone, Serialize)]
pub struct SeparatedList {
    pub rows: Vec<SeparatedView>,
    pub counts: Vec<(String, i64)>,
}

fn view(record: Separated, full: bool) -> AppResult<SeparatedView> {
    let receipt = match record.record_kind.as_str() {
        FEE_RECEIPT => {
            let mut r = record.fee_receipt()?;
            if !full {
                r.payer_name = mask::name(&r.payer_name);
            }
            Some(r)
        }
        _ => None,
    };
    Ok(SeparatedView { record, receipt, full })
}

const LIST_LIMIT: i64 = 1000;

impl App {
    /// The late-fee receipts of the `expired` members whose accounting retention still runs on
    /// `as_of`, per member.
    pub(crate) async fn receipts_to_separate(
        &self,
        as_of: NaiveDate,
        expired: &[Expired],
    ) -> AppResult<BTreeMap<i64, Vec<Moving>>> {
        let mut out: BTreeMap<i64, Vec<Moving>> = BTreeMap::new();
        if expired.is_empty() {
            return Ok(out);
        }
        let rule = kind(FEE_RECEIPT)?;
        let last =
            rule.last_expired_start(as_of).ok_or_else(|| AppError::Internal(format!("{FEE_RECEIPT} has no period")))?;
        // A receipt still kept starts after `last`, and it starts no earlier than received:
        // nothing received before that year can still be kept.
        let from = format!("{}-01-01", last.format("%Y"));
        let members: BTreeSet<i64> = expired.iter().map(|e| e.member_id).collect();
        // One person (a deletion request) is read by member, not from every center's receipts.
        let only = match expired {
            [one] => Some(one.member_id),
            _ => None,
        };
        for source in store::fee_receipts(&self.store, &from, only).await? {
            if !members.contains(&source.member_id) {
                continue;
            }
            let received = time::parse_date(&source.receipt.received_on)
                .ok_or_else(|| AppError::Internal(format!("loan {}: bad return date", source.loan_id)))?;
            let until = rule
                .keep_until(rule.start_of(received)?)
                .ok_or_else(|| AppError::Internal(format!("{FEE_RECEIPT} has no period")))?;
            if until >= as_of {
                let m = Moving { keep_until: until.to_string(), source };
                out.entry(m.source.member_id).or_default().push(m);
            }
        }
        Ok(out)
    }

    /// The records in separate storage within the caller's privacy-officer scope, payers
    /// masked, those kept longest last.
    pub async fn separated_records(&self, p: &Principal) -> AppResult<SeparatedList> {
        let scopes = authz::privacy_officer_scopes(p);
        authz::require(!scopes.is_empty())?;
        let rows = store::list(&self.store, &scopes, LIST_LIMIT).await?;
        Ok(SeparatedList {
            rows: rows.into_iter().map(|r| view(r, false)).collect::<AppResult<_>>()?,
            counts: store::counts(&self.store, &scopes).await?,
        })
    }

    /// One record: the full values for the center's own privacy officer, masked for the
    /// officials above it; out of scope it does not exist. Every read is access-logged.
    pub async fn separated_record(&self, p: &Principal, id: i64) -> AppResult<SeparatedView> {
        authz::require(!authz::privacy_officer_scopes(p).is_empty())?;
        let record = store::get(&self.store, id).await?.ok_or(AppError::NotFound)?;
        if !authz::is_privacy_officer_at(p, &record.org_path) {
            return Err(AppError::NotFound);
        }
        let center = orgs::get(self.store.reader(), record.center_id).await?.ok_or(AppError::NotFound)?;
        let full = authz::can_read_separated(p, &center);
        self.log_access(
            p,
            NewAccess {
                action: "view",
                subject_type: "separated_record",
                subject_id: id.to_string(),
                org_unit_id: Some(center.id),
                org_path: center.path,
                detail: format!(
                    "separate storage, {}, {}",
                    record.record_kind,
                    if full { "full values" } else { "masked" }
                ),
            },
        )
        .await?;
        view(record, full)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        time::parse_date(s).unwrap()
    }

    #[test]
    fn a_fee_is_kept_five_years_from_the_end_of_its_fiscal_year() {
        let rule = kind(FEE_RECEIPT).unwrap();
        assert_eq!(rule.action, "separate");
        let start = rule.start_of(d("2026-03-10")).unwrap();
        assert_eq!(start, d("2026-12-31"));
        assert_eq!(rule.keep_until(start), Some(d("2031-12-31")));
        // The run's cutoff agrees: on 2031-12-31 the 2026 year end is still kept, the next
        // day it has expired.
        assert!(rule.last_expired_start(d("2031-12-31")).unwrap() < start);
        assert_eq!(rule.last_expired_start(d("2032-01-01")), Some(start));
    }
}
