//! Sensitive records (PIPA Art. 23: health; and counseling notes with abuse and suicide-risk
//! flags): readable only with a per-account grant for the center on top of working there.
//! Grants are given and revoked by the center manager or an administrator, audited; every
//! read is access-logged.

use gajok_domain::field::{FieldError, FieldErrors};
use gajok_domain::text;
use gajok_store::access_log::NewAccess;
use gajok_store::audit::{self, NewEvent};
use gajok_store::privacy::sensitive::{self as store, NewNote, Note};
use gajok_store::{orgs, users};
use serde::Deserialize;

use crate::error::{AppError, AppResult};
use crate::input::{flag, past_day, required_text};
use crate::principal::Principal;
use crate::{App, authz};

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteInput {
    pub noted_on: Option<String>,
    pub body: Option<String>,
    #[serde(default, deserialize_with = "flag")]
    pub risk_abuse: Option<bool>,
    #[serde(default, deserialize_with = "flag")]
    pub risk_suicide: Option<bool>,
    #[serde(default, deserialize_with = "flag")]
    pub risk_health: Option<bool>,
    #[serde(rename = "_csrf", default)]
    pub csrf: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrantInput {
    pub username: Option<String>,
    #[serde(default, deserialize_with = "crate::input::text_or_number")]
    pub center_id: Option<String>,
    /// `grant` (default) or `revoke`.
    pub action: Option<String>,
    #[serde(rename = "_csrf", default)]
    pub csrf: Option<String>,
}

impl App {
    /// Whether the caller may read sensitive records of the center.
    pub async fn can_read_sensitive(&self, p: &Principal, center_id: i64) -> AppResult<bool> {
        if !authz::can_work_in_center(p, center_id) {
            return Ok(false);
        }
        let grants = store::granted_centers(self.store.reader(), p.user.id).await?;
        Ok(authz::can_read_sensitive(p, center_id, &grants))
    }

    async fn require_sensitive(&self, p: &Principal, center_id: i64) -> AppResult<()> {
        authz::require(self.can_read_sensitive(p, center_id).await?)
    }

    /// Grants or revokes the sensitive-records permission of an account in a center.
    pub async fn set_sensitive_grant(&self, p: &Principal, input: &GrantInput) -> AppResult<bool> {
        let center_id = match input.center_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => s.parse().map_err(|_| AppError::one_field("center_id", "invalid_number"))?,
            None => *authz::member_centers(p).first().ok_or(AppError::Forbidden)?,
        };
        let center = orgs::get(self.store.reader(), center_id).await?.ok_or(AppError::NotFound)?;
        if !authz::can_grant_sensitive(p, &center) {
            return Err(if authz::can_view_org(p, &center) { AppError::Forbidden } else { AppError::NotFound });
        }
        let revoke = match input.action.as_deref().map(str::trim) {
            None | Some("") | Some("grant") => false,
            Some("revoke") => true,
            Some(_) => {
                return Err(AppError::Validation(FieldErrors(vec![
                    FieldError::new("action", "unknown_value").with_allowed(vec!["grant".into(), "revoke".into()]),
                ])));
            }
        };
        let username = text::clean(input.username.as_deref().unwrap_or(""));
        if username.is_empty() {
            return Err(AppError::one_field("username", "required"));
        }
        let user = users::by_username(&self.store, &username)
            .await?
            .ok_or_else(|| AppError::one_field("username", "unknown_user"))?;
        // Only someone who works in the center can use the grant; refuse a pointless one.
        let roles = users::roles(self.store.reader(), user.id).await?;
        if !revoke && !roles.iter().any(|r| r.role.is_center_role() && r.org_unit_id == center_id) {
            return Err(AppError::one_field("username", "not_in_center"));
        }
        let mut tx = self.store.begin().await?;
        let changed = if revoke {
            store::revoke(&mut tx, user.id, center_id, p.user.id).await?
        } else {
            store::grant(&mut tx, user.id, center_id, p.user.id).await?
        };
        if changed {
            audit::record(
                &mut tx,
                &p.actor(),
                NewEvent {
                    action: if revoke { "revoke_sensitive" } else { "grant_sensitive" },
                    entity_type: "user",
                    entity_id: user.id.to_string(),
                    org_unit_id: Some(center.id),
                    org_path: center.path.clone(),
                    summary: format!(
                        "민감정보 열람 권한 {}: {} ({})",
                        if revoke { "회수" } else { "부여" },
                        user.username,
                        center.name
                    ),
                    before: None,
                    after: None,
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(changed)
    }

    /// A member's counseling notes: an access-logged read that needs the grant.
    pub async fn counseling_notes(&self, p: &Principal, member_id: i64) -> AppResult<Vec<Note>> {
        let m = self.member_in_scope(p, member_id).await?;
        self.require_sensitive(p, m.center_id).await?;
        let notes = store::notes(&self.store, member_id).await?;
        let center = orgs::get(self.store.reader(), m.center_id).await?.ok_or(AppError::NotFound)?;
        self.log_access(
            p,
            NewAccess {
                action: "view",
                subject_type: "member",
                subject_id: member_id.to_string(),
                org_unit_id: Some(center.id),
                org_path: center.path,
                detail: format!("counseling notes (sensitive), {} notes", notes.len()),
            },
        )
        .await?;
        Ok(notes)
    }

    pub async fn add_counseling_note(&self, p: &Principal, member_id: i64, input: &NoteInput) -> AppResult<i64> {
        let m = self.member_in_scope(p, member_id).await?;
        self.require_sensitive(p, m.center_id).await?;
        let today = self.today();
        let mut e = FieldErrors::new();
        let noted_on = e.take(past_day("noted_on", input.noted_on.as_deref(), today));
        let body = e.take(required_text("body", input.body.as_deref(), 10_000));
        e.finish()?;
        let (Some(noted_on), Some(body)) = (noted_on, body) else {
            return Err(AppError::Internal("validated input incomplete".into()));
        };
        let center = orgs::get(self.store.reader(), m.center_id).await?.ok_or(AppError::NotFound)?;
        let mut tx = self.store.begin().await?;
        let id = store::insert_note(
            &mut tx,
            &NewNote {
                center_id: m.center_id,
                member_id,
                noted_on: &noted_on.format("%Y-%m-%d").to_string(),
                body: &body,
                risk_abuse: input.risk_abuse.unwrap_or(false),
                risk_suicide: input.risk_suicide.unwrap_or(false),
                risk_health: input.risk_health.unwrap_or(false),
            },
            p.user.id,
        )
        .await?;
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "create",
                entity_type: "counseling_note",
                entity_id: id.to_string(),
                org_unit_id: Some(center.id),
                org_path: center.path,
                // Neither the text nor the risk flags: the audit trail is searched by officials.
                summary: format!("상담기록 작성 #{id} (이용자 #{member_id})"),
                before: None,
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }
}
