//! The optional local-currency ledger of a center (PM-24: introduced with the users'
//! agreement, 1 unit = 1 won): receipts and spending with the running balance. Spending more
//! than the balance is refused; nothing is written.

use gajok_domain::field::{FieldError, FieldErrors};
use gajok_domain::text;
use gajok_domain::time::parse_date;
use gajok_store::audit::{self, NewEvent};
use gajok_store::nanumteo::report::{self as store, CurrencyEntry, NewCurrencyEntry};
use serde::{Deserialize, Serialize};

use super::rules::rules_on;
use crate::error::{AppError, AppResult};
use crate::principal::Principal;
use crate::{App, authz};

#[derive(Debug, Clone, Serialize)]
pub struct LedgerLine {
    pub entry: CurrencyEntry,
    pub balance: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Ledger {
    pub lines: Vec<LedgerLine>,
    pub received: i64,
    pub spent: i64,
    pub balance: i64,
    /// The rule that sets 1 unit = 1 won.
    pub rule: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct CurrencyInput {
    pub date: Option<String>,
    /// `in` or `out`
    pub kind: Option<String>,
    pub amount: Option<String>,
    /// Who gave or received.
    pub name: Option<String>,
    pub description: Option<String>,
    pub center: Option<String>,
}

fn s(v: &Option<String>) -> String {
    text::clean(v.as_deref().unwrap_or_default())
}

/// Running balances, oldest first.
pub fn running(entries: Vec<CurrencyEntry>) -> Ledger {
    let mut balance = 0;
    let (mut received, mut spent) = (0, 0);
    let lines = entries
        .into_iter()
        .map(|e| {
            if e.direction == "in" {
                received += e.amount;
                balance += e.amount;
            } else {
                spent += e.amount;
                balance -= e.amount;
            }
            LedgerLine { entry: e, balance }
        })
        .collect();
    let today = gajok_domain::time::kst_date(chrono::Utc::now());
    Ledger {
        lines,
        received,
        spent,
        balance,
        rule: rules_on(today).rule("pumasi", "currency_won_per_unit").to_string(),
    }
}

impl App {
    pub async fn currency_ledger(&self, center_id: i64) -> AppResult<Ledger> {
        Ok(running(store::currency(&self.store, center_id).await?))
    }

    /// Adds a receipt or a spending to the center's ledger.
    pub async fn add_currency(&self, p: &Principal, input: &CurrencyInput) -> AppResult<i64> {
        let center_id = self.resolve_center(p, input.center.as_deref())?;
        authz::require(authz::can_run_nanumteo(p, center_id))?;
        let center = gajok_store::orgs::get(self.store.reader(), center_id).await?.ok_or(AppError::NotFound)?;
        let mut e = FieldErrors::new();
        let date = e.take(parse_date(&s(&input.date)).ok_or(FieldError::new("date", "invalid_date")));
        let kind = s(&input.kind);
        if kind != "in" && kind != "out" {
            e.push(FieldError::new("kind", "invalid_choice").with_allowed(vec!["in".into(), "out".into()]));
        }
        let amount = e.take(
            s(&input.amount)
                .replace(',', "")
                .parse::<i64>()
                .ok()
                .filter(|a| (1..=100_000_000).contains(a))
                .ok_or(FieldError::new("amount", "invalid_number")),
        );
        let name = s(&input.name);
        if name.is_empty() {
            e.push(FieldError::new("name", "required"));
        }
        let description = s(&input.description);
        if description.is_empty() {
            e.push(FieldError::new("description", "required"));
        }
        e.finish()?;
        let (date, amount) = (date.unwrap_or_default().to_string(), amount.unwrap_or(0));
        let mut tx = self.store.begin().await?;
        if kind == "out" && store::currency_balance(&mut tx, center_id).await? < amount {
            return Err(AppError::one_field("amount", "out_of_range"));
        }
        let ne = NewCurrencyEntry {
            entry_on: &date,
            direction: &kind,
            amount,
            counterparty: &name,
            description: &description,
            by: Some(p.user.id),
        };
        let id = store::insert_currency(&mut tx, center_id, &ne).await?;
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "create",
                entity_type: "nanumteo_currency",
                entity_id: id.to_string(),
                org_unit_id: Some(center_id),
                org_path: center.path.clone(),
                summary: format!("지역화폐 {}: {} {}", if kind == "in" { "적립" } else { "사용" }, amount, description),
                before: None,
                after: Some(serde_json::json!({ "direction": kind, "amount": amount, "entry_on": date })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }
}
