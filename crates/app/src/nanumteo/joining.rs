//! A family joins an existing 품앗이 group with that group's consent (L845-847); its own
//! orientation is mandatory (PM-11) and tracked per joining family — the group's leader may
//! give it (L918-919), so it can be recorded on joining or later.

use gajok_domain::field::{FieldError, FieldErrors};
use gajok_domain::text;
use gajok_domain::time::parse_date;
use gajok_store::audit::{self, NewEvent};
use gajok_store::nanumteo::{joining, pumasi};
use gajok_store::people;
use serde::Deserialize;

use crate::error::{AppError, AppResult};
use crate::principal::Principal;
use crate::{App, authz};

#[derive(Debug, Clone, Default, Deserialize)]
pub struct JoinInput {
    pub family_id: Option<String>,
    pub date: Option<String>,
    pub orientation_on: Option<String>,
    /// The group agreed to take the family in.
    pub consent: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct OrientationInput {
    pub orientation_on: Option<String>,
}

fn s(v: &Option<String>) -> String {
    text::clean(v.as_deref().unwrap_or_default())
}

impl App {
    /// Adds a family of the center to an existing group.
    pub async fn pumasi_join_group(&self, p: &Principal, group_id: i64, input: &JoinInput) -> AppResult<()> {
        let g = pumasi::group(&self.store, group_id).await?.ok_or(AppError::NotFound)?;
        authz::require(authz::can_run_nanumteo(p, g.center_id)).map_err(|_| AppError::NotFound)?;
        let center = gajok_store::orgs::get(self.store.reader(), g.center_id).await?.ok_or(AppError::NotFound)?;
        let mut e = FieldErrors::new();
        let family =
            e.take(s(&input.family_id).parse::<i64>().map_err(|_| FieldError::new("family_id", "invalid_number")));
        let joined = match s(&input.date).as_str() {
            "" => Some(gajok_domain::time::kst_date(chrono::Utc::now())),
            d => e.take(parse_date(d).ok_or(FieldError::new("date", "invalid_date"))),
        };
        let orientation = match s(&input.orientation_on).as_str() {
            "" => None,
            d => e.take(parse_date(d).ok_or(FieldError::new("orientation_on", "invalid_date"))),
        };
        if !matches!(s(&input.consent).as_str(), "on" | "1" | "true" | "yes") {
            e.push(FieldError::new("consent", "required"));
        }
        e.finish()?;
        let (family, joined) = (family.unwrap_or(0), joined.unwrap_or_default());
        let fam = people::family(self.store.reader(), family).await?.filter(|f| f.center_id == g.center_id);
        let Some(fam) = fam else {
            return Err(AppError::one_field("family_id", "not_in_center"));
        };
        let (joined_s, or_s) = (joined.to_string(), orientation.map(|d| d.to_string()));
        let mut tx = self.store.begin().await?;
        if joining::is_member(&mut tx, group_id, family).await? {
            return Err(AppError::one_field("family_id", "duplicate_entry"));
        }
        pumasi::add_family(&mut tx, g.center_id, group_id, family, &joined_s, or_s.as_deref()).await?;
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "update",
                entity_type: "pumasi_group",
                entity_id: group_id.to_string(),
                org_unit_id: Some(g.center_id),
                org_path: center.path.clone(),
                summary: format!("품앗이 그룹 가입: {} ← {}", g.name, fam.name),
                before: None,
                after: Some(serde_json::json!({ "family_id": family, "joined_on": joined_s, "orientation_on": or_s })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records the orientation of a family of the group (PM-11).
    pub async fn pumasi_record_orientation(
        &self,
        p: &Principal,
        group_id: i64,
        family_id: i64,
        input: &OrientationInput,
    ) -> AppResult<()> {
        let g = pumasi::group(&self.store, group_id).await?.ok_or(AppError::NotFound)?;
        authz::require(authz::can_run_nanumteo(p, g.center_id)).map_err(|_| AppError::NotFound)?;
        let center = gajok_store::orgs::get(self.store.reader(), g.center_id).await?.ok_or(AppError::NotFound)?;
        let on = parse_date(&s(&input.orientation_on)).ok_or(AppError::one_field("orientation_on", "invalid_date"))?;
        let on_s = on.to_string();
        let mut tx = self.store.begin().await?;
        if !joining::set_orientation(&mut tx, group_id, family_id, &on_s).await? {
            return Err(AppError::NotFound);
        }
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "update",
                entity_type: "pumasi_group",
                entity_id: group_id.to_string(),
                org_unit_id: Some(g.center_id),
                org_path: center.path.clone(),
                summary: format!("품앗이 오리엔테이션 이수: {} (가정 {family_id})", g.name),
                before: None,
                after: Some(serde_json::json!({ "family_id": family_id, "orientation_on": on_s })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
