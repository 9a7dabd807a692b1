//! The 12-month payment calendar (R-P01–R-P05). Ages stay as at the evaluation point for the
//! whole year (§4.1.6a(8)), so the calendar always adds up to `annual_total`.

use serde::Serialize;

use super::benefits::{BenefitCode, Benefits};

#[derive(Debug, Clone, Serialize)]
pub struct CalendarItem<'r> {
    pub benefit_code: BenefitCode,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child_id: Option<&'r str>,
    pub amount: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CalendarMonth<'r> {
    pub month: u32,
    pub items: Vec<CalendarItem<'r>>,
    pub total: i64,
}

pub fn build<'r>(benefits: &Benefits<'r>) -> Vec<CalendarMonth<'r>> {
    (1..=12)
        .map(|month| {
            let mut items: Vec<CalendarItem<'r>> = benefits
                .monthly
                .iter()
                .map(|m| CalendarItem { benefit_code: m.benefit_code, child_id: m.child_id, amount: m.amount })
                .collect();
            for a in &benefits.annual {
                for pay in a.payments.iter().filter(|p| p.month == month && p.amount != 0) {
                    items.push(CalendarItem { benefit_code: a.benefit_code, child_id: a.child_id, amount: pay.amount });
                }
            }
            let total = items.iter().map(|i| i.amount).sum();
            CalendarMonth { month, items, total }
        })
        .collect()
}
