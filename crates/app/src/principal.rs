//! The signed-in user as the app sees them: account, role assignments, where they came from.

use gajok_domain::role::Role;
use gajok_store::audit::Actor;
use gajok_store::users::{RoleAssignment, User};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthVia {
    Session,
    ApiToken,
}

#[derive(Debug, Clone)]
pub struct Principal {
    pub user: User,
    pub roles: Vec<RoleAssignment>,
    pub client_addr: Option<String>,
    pub via: AuthVia,
}

impl Principal {
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: Some(self.user.id),
            username: self.user.username.clone(),
            client_addr: self.client_addr.clone(),
        }
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.roles.iter().any(|r| r.role == role)
    }

    /// Path prefixes reached by any of `roles` (all roles when empty).
    pub fn scopes(&self, roles: &[Role]) -> Vec<String> {
        let mut v: Vec<String> = self
            .roles
            .iter()
            .filter(|r| roles.is_empty() || roles.contains(&r.role))
            .map(|r| r.org_path.clone())
            .collect();
        v.sort();
        v.dedup();
        // A prefix inside another adds nothing; keep the outermost ones.
        let outer: Vec<String> =
            v.iter().filter(|p| !v.iter().any(|q| q != *p && p.starts_with(q.as_str()))).cloned().collect();
        outer
    }

    /// Whether a role in `roles` (any role when empty) is assigned at `path` or above it.
    pub fn reaches(&self, path: &str, roles: &[Role]) -> bool {
        self.roles
            .iter()
            .any(|r| (roles.is_empty() || roles.contains(&r.role)) && path.starts_with(r.org_path.as_str()))
    }

    pub fn role_list(&self) -> Vec<Role> {
        let mut v: Vec<Role> = self.roles.iter().map(|r| r.role).collect();
        v.sort();
        v.dedup();
        v
    }
}

impl Principal {
    /// A principal for command-line tasks run by the operator (reports, benchmarks): a role
    /// at one unit, not backed by a stored account. Never used for HTTP requests.
    pub fn operator(role: Role, unit_id: i64, unit_path: &str, unit_name: &str) -> Principal {
        let now = gajok_domain::time::to_db(chrono::Utc::now());
        Principal {
            user: User {
                id: 0,
                username: "operator".into(),
                display_name: "operator".into(),
                phone: None,
                home_org_id: unit_id,
                password_hash: String::new(),
                must_change_password: false,
                failed_attempts: 0,
                locked_until: None,
                active: true,
                created_at: now.clone(),
                updated_at: now,
                password_changed_at: None,
                last_login_at: None,
            },
            roles: vec![RoleAssignment {
                id: 0,
                user_id: 0,
                role,
                org_unit_id: unit_id,
                org_path: unit_path.to_string(),
                org_name: unit_name.to_string(),
            }],
            client_addr: None,
            via: AuthVia::ApiToken,
        }
    }
}
