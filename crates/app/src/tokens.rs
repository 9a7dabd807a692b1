//! API tokens: created by an administrator for an account, shown once, revocable.

use gajok_domain::text;
use gajok_store::audit::{self, NewEvent};
use gajok_store::{orgs, tokens, users};

use crate::auth::{random_token, sha256_hex};
use crate::error::{AppError, AppResult};
use crate::principal::Principal;
use crate::{App, authz};

/// Prefix that makes a leaked token recognisable in logs and secret scanners.
const TOKEN_PREFIX: &str = "gjk_";

impl App {
    /// Returns the token (shown to the administrator once) and its id.
    pub async fn create_token(&self, p: &Principal, user_id: i64, name: &str) -> AppResult<(String, i64)> {
        authz::require(authz::can_manage_tokens(p))?;
        let user = users::get(self.store.reader(), user_id).await?.ok_or(AppError::NotFound)?;
        let home = orgs::get(self.store.reader(), user.home_org_id).await?.ok_or(AppError::NotFound)?;
        if !authz::can_manage_users(p, &home) {
            return Err(AppError::NotFound);
        }
        let name = text::clean(name);
        if name.is_empty() || text::char_len(&name) > 100 {
            return Err(AppError::one_field("name", if name.is_empty() { "required" } else { "too_long" }));
        }
        let token = format!("{TOKEN_PREFIX}{}", random_token(32));
        let shown_prefix: String = token.chars().take(TOKEN_PREFIX.len() + 6).collect();
        let mut tx = self.store.begin().await?;
        let id = tokens::insert(&mut tx, user.id, &name, &sha256_hex(&token), &shown_prefix, p.user.id).await?;
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "create",
                entity_type: "api_token",
                entity_id: id.to_string(),
                org_unit_id: Some(home.id),
                org_path: home.path.clone(),
                summary: format!("API 토큰 발급: {} ({})", name, user.username),
                before: None,
                after: Some(serde_json::json!({ "user_id": user.id, "name": name, "prefix": shown_prefix })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok((token, id))
    }

    pub async fn list_tokens(&self, p: &Principal) -> AppResult<Vec<tokens::ApiToken>> {
        authz::require(authz::can_manage_tokens(p))?;
        Ok(tokens::list(&self.store, &p.scopes(&[gajok_domain::role::Role::SystemAdmin])).await?)
    }

    pub async fn revoke_token(&self, p: &Principal, id: i64) -> AppResult<()> {
        authz::require(authz::can_manage_tokens(p))?;
        let t = tokens::get(self.store.reader(), id).await?.ok_or(AppError::NotFound)?;
        let user = users::get(self.store.reader(), t.user_id).await?.ok_or(AppError::NotFound)?;
        let home = orgs::get(self.store.reader(), user.home_org_id).await?.ok_or(AppError::NotFound)?;
        if !authz::can_manage_users(p, &home) {
            return Err(AppError::NotFound);
        }
        let mut tx = self.store.begin().await?;
        tokens::revoke(&mut tx, id).await?;
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "revoke",
                entity_type: "api_token",
                entity_id: id.to_string(),
                org_unit_id: Some(home.id),
                org_path: home.path.clone(),
                summary: format!("API 토큰 폐기: {} ({})", t.name, t.username),
                before: None,
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
