//! Attaching a benefit simulation (모의계산) to a member's family record. The result is
//! computed again on the server from the input, so what is stored is what the rules say.

use std::sync::OnceLock;

use gajok_rules::{Calculator, RuleBook, evaluate_json};
use gajok_store::audit::{self, NewEvent};
use gajok_store::orgs;
use gajok_store::simulations::{self, NewSimulation, Simulation};

use crate::App;
use crate::error::{AppError, AppResult};
use crate::principal::Principal;

fn book() -> AppResult<&'static RuleBook> {
    static BOOK: OnceLock<Result<RuleBook, String>> = OnceLock::new();
    BOOK.get_or_init(|| RuleBook::embedded().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| AppError::Internal(format!("rule book: {e}")))
}

impl App {
    pub async fn attach_simulation(
        &self,
        p: &Principal,
        member_id: i64,
        calculator: &str,
        input_json: &str,
    ) -> AppResult<i64> {
        let m = self.member_in_scope(p, member_id).await?;
        let calc: Calculator = calculator.parse().map_err(|_| AppError::one_field("calculator", "unknown_value"))?;
        let result = evaluate_json(book()?, calc, input_json).map_err(|e| {
            let mut errs = gajok_domain::FieldErrors::new();
            errs.push(gajok_domain::FieldError::new(format!("input.{}", e.field), "invalid").with_allowed(e.allowed));
            AppError::Validation(errs)
        })?;
        let status = result.get("status").and_then(|v| v.as_str()).unwrap_or("unknown").to_string();
        let annual_total = result.get("annual_total").and_then(|v| v.as_i64());
        let center = orgs::get(self.store.reader(), m.center_id).await?.ok_or(AppError::NotFound)?;
        let mut tx = self.store.begin().await?;
        let id = simulations::insert(
            &mut tx,
            &NewSimulation {
                center_id: m.center_id,
                member_id,
                family_id: m.family_id,
                calculator: calc.as_str(),
                status: &status,
                annual_total,
                input_json,
                result_json: &result.to_string(),
                created_by: p.user.id,
            },
        )
        .await?;
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "attach_simulation",
                entity_type: "member",
                entity_id: member_id.to_string(),
                org_unit_id: Some(m.center_id),
                org_path: center.path.clone(),
                summary: format!("모의계산 첨부 ({}, {status}) 이용자 #{member_id}", calc.as_str()),
                before: None,
                after: Some(serde_json::json!({ "simulation_id": id, "calculator": calc.as_str(), "status": status, "annual_total": annual_total })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn member_simulations(&self, p: &Principal, member_id: i64) -> AppResult<Vec<Simulation>> {
        let m = self.member_in_scope(p, member_id).await?;
        Ok(simulations::for_member(&self.store, member_id, m.family_id).await?)
    }
}
