//! Accounts: administrators create users at an org unit, give them roles, reset and unlock.
//! Lists are masked; opening one account is an access-logged read of personal data.

use gajok_domain::code_list::CodeList;
use gajok_domain::field::{FieldError, FieldErrors};
use gajok_domain::mask;
use gajok_domain::org::parse_code;
use gajok_domain::person::{NewPassword, PersonName, Phone, Username};
use gajok_domain::role::Role;
use gajok_store::access_log::NewAccess;
use gajok_store::audit::{self, NewEvent};
use gajok_store::users::{self, NewUser, RoleAssignment, User, UserFilter};
use gajok_store::{StoreError, orgs, sessions, tokens};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};
use crate::input::{flag, text_or_number};
use crate::org::Page;
use crate::principal::Principal;
use crate::{App, authz};

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserInput {
    pub username: Option<String>,
    pub display_name: Option<String>,
    pub phone: Option<String>,
    #[serde(default, deserialize_with = "text_or_number")]
    pub home_org_id: Option<String>,
    pub initial_password: Option<String>,
    #[serde(default, deserialize_with = "flag")]
    pub active: Option<bool>,
    #[serde(rename = "_csrf", default)]
    pub csrf: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleInput {
    pub role: Option<String>,
    #[serde(default, deserialize_with = "text_or_number")]
    pub org_unit_id: Option<String>,
    #[serde(rename = "_csrf", default)]
    pub csrf: Option<String>,
}

/// A row of the account list: personal data masked.
#[derive(Debug, Clone, Serialize)]
pub struct UserSummary {
    pub id: i64,
    pub username: String,
    pub display_name_masked: String,
    pub phone_masked: Option<String>,
    pub home_org_id: i64,
    pub active: bool,
    pub locked: bool,
    pub must_change_password: bool,
    pub last_login_at: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UserDetail {
    pub user: User,
    pub home_org: orgs::OrgUnit,
    pub roles: Vec<RoleAssignment>,
    pub locked: bool,
    pub tokens: Vec<tokens::ApiToken>,
}

fn parse_id(field: &str, v: &Option<String>) -> Result<i64, FieldError> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Err(FieldError::new(field, "required")),
        Some(s) => s.parse().map_err(|_| FieldError::new(field, "invalid_number")),
    }
}

fn opt_phone(v: &Option<String>) -> Result<Option<String>, FieldError> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(p) => Phone::parse("phone", p).map(|p| Some(p.into_inner())),
    }
}

impl App {
    pub async fn list_users(&self, p: &Principal, q: Option<&str>, page: i64) -> AppResult<Page<UserSummary>> {
        authz::require(authz::can_open_user_admin(p))?;
        let per_page = 50;
        let page = page.max(1);
        let f = UserFilter {
            scopes: p.scopes(&[Role::SystemAdmin]),
            q: q.map(gajok_domain::text::clean).filter(|s| !s.is_empty()),
            limit: per_page,
            offset: crate::org::page_offset(page, per_page),
        };
        let (list, total) = users::list(&self.store, &f).await?;
        let now = chrono::Utc::now();
        let items = list
            .into_iter()
            .map(|u| UserSummary {
                id: u.id,
                username: u.username.clone(),
                display_name_masked: mask::name(&u.display_name),
                phone_masked: u.phone.as_deref().map(mask::phone),
                home_org_id: u.home_org_id,
                active: u.active,
                locked: u.locked_at(now),
                must_change_password: u.must_change_password,
                last_login_at: u.last_login_at,
            })
            .collect();
        Ok(Page { items, total, page, per_page })
    }

    /// The account and its home org, if the caller manages it; NotFound otherwise.
    async fn managed_user(&self, p: &Principal, id: i64) -> AppResult<(User, orgs::OrgUnit)> {
        let user = users::get(self.store.reader(), id).await?.ok_or(AppError::NotFound)?;
        let home = orgs::get(self.store.reader(), user.home_org_id).await?.ok_or(AppError::NotFound)?;
        if !authz::can_manage_users(p, &home) {
            return Err(AppError::NotFound);
        }
        Ok((user, home))
    }

    /// Opens one account: an access-logged read of the person's data.
    pub async fn user_detail(&self, p: &Principal, id: i64) -> AppResult<UserDetail> {
        let (user, home_org) = self.managed_user(p, id).await?;
        let roles = users::roles(self.store.reader(), id).await?;
        let all_tokens = tokens::list(&self.store, std::slice::from_ref(&home_org.path)).await?;
        let tokens = all_tokens.into_iter().filter(|t| t.user_id == id).collect();
        self.log_access(
            p,
            NewAccess {
                action: "view",
                subject_type: "user",
                subject_id: id.to_string(),
                org_unit_id: Some(home_org.id),
                org_path: home_org.path.clone(),
                detail: "account detail".into(),
            },
        )
        .await?;
        let locked = user.locked_at(chrono::Utc::now());
        Ok(UserDetail { user, home_org, roles, locked, tokens })
    }

    pub async fn create_user(&self, p: &Principal, input: &UserInput) -> AppResult<User> {
        authz::require(authz::can_open_user_admin(p))?;
        let mut e = FieldErrors::new();
        let username = e.take(Username::parse("username", input.username.as_deref().unwrap_or("")));
        let name = e.take(PersonName::parse("display_name", input.display_name.as_deref().unwrap_or("")));
        let phone = e.take(opt_phone(&input.phone)).flatten();
        let home_id = e.take(parse_id("home_org_id", &input.home_org_id));
        let uname = username.as_ref().map(|u| u.as_str().to_string()).unwrap_or_default();
        let password =
            e.take(NewPassword::parse("initial_password", input.initial_password.as_deref().unwrap_or(""), &uname));
        // An org outside the administrator's scope is refused outright, not as a field error:
        // a write outside one's scope is always 403/404.
        let home = match home_id {
            Some(id) => match orgs::get(self.store.reader(), id).await? {
                Some(h) if authz::can_manage_users(p, &h) => Some(h),
                _ => return Err(AppError::Forbidden),
            },
            None => None,
        };
        e.finish()?;
        let (Some(username), Some(name), Some(home), Some(password)) = (username, name, home, password) else {
            return Err(AppError::Internal("validated input incomplete".into()));
        };
        let hash = self.hash_password(password.expose())?;
        let mut tx = self.store.begin().await?;
        let user = users::insert(
            &mut tx,
            &NewUser {
                username: username.into_inner(),
                display_name: name.into_inner(),
                phone,
                home_org_id: home.id,
                password_hash: hash,
                must_change_password: true,
            },
        )
        .await
        .map_err(|err| match err {
            StoreError::Duplicate(_) => AppError::Conflict { code: "duplicate_username", field: "username" },
            other => other.into(),
        })?;
        audit::record(&mut tx, &p.actor(), user_event("create", &user, &home.path, "계정 생성", None, Some(&user)))
            .await?;
        tx.commit().await?;
        Ok(user)
    }

    pub async fn update_user(&self, p: &Principal, id: i64, input: &UserInput) -> AppResult<User> {
        let (before, home) = self.managed_user(p, id).await?;
        let mut e = FieldErrors::new();
        let name = e.take(PersonName::parse("display_name", input.display_name.as_deref().unwrap_or("")));
        let phone = e.take(opt_phone(&input.phone)).flatten();
        e.finish()?;
        let name = name.ok_or_else(|| AppError::one_field("display_name", "required"))?;
        let active = input.active.unwrap_or(false);
        if id == p.user.id && !active {
            return Err(AppError::one_field("active", "cannot_disable_self"));
        }
        let mut tx = self.store.begin().await?;
        users::update_profile(&mut tx, id, name.as_str(), phone.as_deref(), active).await?;
        if !active {
            sessions::delete_for_user(&mut tx, id).await?;
        }
        let after = users::get(tx.conn(), id).await?.ok_or(AppError::NotFound)?;
        audit::record(
            &mut tx,
            &p.actor(),
            user_event("update", &after, &home.path, "계정 수정", Some(&before), Some(&after)),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Sets a new initial password the user must change at next sign-in; ends their sessions.
    pub async fn reset_password(&self, p: &Principal, id: i64, initial: &str) -> AppResult<()> {
        let (user, home) = self.managed_user(p, id).await?;
        let pw = NewPassword::parse("initial_password", initial, &user.username)
            .map_err(|e| AppError::Validation(FieldErrors(vec![e])))?;
        let hash = self.hash_password(pw.expose())?;
        let mut tx = self.store.begin().await?;
        users::set_password(&mut tx, id, &hash, true).await?;
        sessions::delete_for_user(&mut tx, id).await?;
        audit::record(
            &mut tx,
            &p.actor(),
            user_event("reset_password", &user, &home.path, "비밀번호 초기화", None, None),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn unlock_user(&self, p: &Principal, id: i64) -> AppResult<()> {
        let (user, home) = self.managed_user(p, id).await?;
        let mut tx = self.store.begin().await?;
        users::unlock(&mut tx, id).await?;
        audit::record(&mut tx, &p.actor(), user_event("unlock", &user, &home.path, "잠금 해제", None, None)).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn assign_role(&self, p: &Principal, user_id: i64, input: &RoleInput) -> AppResult<i64> {
        let (user, home) = self.managed_user(p, user_id).await?;
        let mut e = FieldErrors::new();
        let role = e.take(parse_code::<Role>("role", input.role.as_deref().unwrap_or("")));
        let org_id = e.take(parse_id("org_unit_id", &input.org_unit_id));
        e.finish()?;
        let (Some(role), Some(org_id)) = (role, org_id) else {
            return Err(AppError::Internal("validated input incomplete".into()));
        };
        let at = match orgs::get(self.store.reader(), org_id).await? {
            Some(u) if authz::can_view_org(p, &u) => u,
            _ => return Err(AppError::Forbidden),
        };
        if !role.assignable_at().contains(&at.kind) {
            let allowed = role.assignable_at().iter().map(|k| k.code().to_string()).collect();
            return Err(AppError::Validation(FieldErrors(vec![
                FieldError::new("org_unit_id", "role_not_assignable_here").with_allowed(allowed),
            ])));
        }
        authz::require(authz::can_assign_role(p, role, &at))?;
        let mut tx = self.store.begin().await?;
        let id = users::add_role(&mut tx, user_id, role, at.id, Some(p.user.id)).await.map_err(|err| match err {
            StoreError::Duplicate(_) => AppError::Conflict { code: "duplicate_role", field: "role" },
            other => other.into(),
        })?;
        let summary = format!("역할 부여: {} @ {}", role.label_ko(), at.name);
        let after = serde_json::json!({ "role": role, "org_unit_id": at.id });
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent { after: Some(after), ..user_event("assign_role", &user, &home.path, &summary, None, None) },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn revoke_role(&self, p: &Principal, user_id: i64, assignment_id: i64) -> AppResult<()> {
        let (user, home) = self.managed_user(p, user_id).await?;
        let roles = users::roles(self.store.reader(), user_id).await?;
        let ra = roles.into_iter().find(|r| r.id == assignment_id).ok_or(AppError::NotFound)?;
        if !p.reaches(&ra.org_path, &[Role::SystemAdmin]) {
            return Err(AppError::Forbidden);
        }
        if user_id == p.user.id && ra.role == Role::SystemAdmin {
            return Err(AppError::one_field("role", "cannot_revoke_own_admin"));
        }
        let mut tx = self.store.begin().await?;
        users::remove_role(&mut tx, assignment_id).await?;
        let summary = format!("역할 회수: {} @ {}", ra.role.label_ko(), ra.org_name);
        let before = serde_json::json!({ "role": ra.role, "org_unit_id": ra.org_unit_id });
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent { before: Some(before), ..user_event("revoke_role", &user, &home.path, &summary, None, None) },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Audit event for an account change. Password hashes are never serialised (`#[serde(skip)]`).
fn user_event(
    action: &'static str,
    u: &User,
    path: &str,
    summary: &str,
    before: Option<&User>,
    after: Option<&User>,
) -> NewEvent {
    NewEvent {
        action,
        entity_type: "user",
        entity_id: u.id.to_string(),
        org_unit_id: Some(u.home_org_id),
        org_path: path.to_string(),
        summary: format!("{summary}: {}", u.username),
        before: before.and_then(|b| serde_json::to_value(b).ok()),
        after: after.and_then(|a| serde_json::to_value(a).ok()),
    }
}
