//! Signing in and out: passwords (Argon2id), lockout, server-side sessions with an idle
//! timeout, API tokens, and the forced change of an initial password.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use chrono::{Duration as ChronoDuration, Utc};
use gajok_domain::FieldErrors;
use gajok_domain::person::NewPassword;
use gajok_domain::time;
use gajok_store::audit::{self, Actor, NewEvent};
use gajok_store::{login_attempts, orgs, sessions, tokens, users};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::App;
use crate::error::{AppError, AppResult};
use crate::principal::{AuthVia, Principal};

/// A random secret as hex (sessions, CSRF, API tokens).
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    hex::encode(buf)
}

pub fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

impl App {
    fn argon2(&self) -> AppResult<Argon2<'static>> {
        let params = Params::new(self.config.argon2_memory_kib, self.config.argon2_iterations, 1, None)
            .map_err(|e| AppError::Internal(format!("argon2 params: {e}")))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }

    /// PHC string of an Argon2id hash; the parameters travel inside it.
    pub fn hash_password(&self, password: &str) -> AppResult<String> {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        self.argon2()?
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::Internal(format!("hash: {e}")))
    }

    fn verify_password(&self, password: &str, phc: &str) -> bool {
        match PasswordHash::new(phc) {
            Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
            Err(_) => false,
        }
    }

    /// Checks a username and password. On success opens a session and returns its token
    /// (for the cookie) and the principal. Unknown users and wrong passwords get the same
    /// answer and take the same time, so names cannot be probed.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        client_addr: Option<&str>,
        user_agent: Option<&str>,
    ) -> AppResult<(String, Principal)> {
        let uname = username.trim().to_ascii_lowercase();
        let actor = Actor { user_id: None, username: uname.clone(), client_addr: client_addr.map(str::to_string) };
        // Checked before the account is looked up, and answered the same for every name, so
        // the refusal tells nothing about whether the account exists.
        self.check_address_limit(&actor).await?;
        let Some(user) = users::by_username(&self.store, &uname).await? else {
            // Spend the same work as a real check.
            let dummy = self.hash_password("not-a-real-password-0")?;
            let _ = self.verify_password(password, &dummy);
            let mut tx = self.store.begin().await?;
            audit::record(&mut tx, &actor, login_event("login_failed", None, "/", "unknown username")).await?;
            tx.commit().await?;
            return Err(AppError::BadCredentials);
        };
        let home = orgs::get(self.store.reader(), user.home_org_id).await?.ok_or(AppError::NotFound)?;
        let now = Utc::now();
        if user.locked_at(now) {
            let mut tx = self.store.begin().await?;
            audit::record(
                &mut tx,
                &actor,
                login_event("login_refused_locked", Some(user.id), &home.path, "account locked"),
            )
            .await?;
            tx.commit().await?;
            return Err(AppError::Locked { until: user.locked_until.clone().unwrap_or_default() });
        }
        if !self.verify_password(password, &user.password_hash) || !user.active {
            let lock_until = now + chrono_duration(self.config.lockout);
            let mut tx = self.store.begin().await?;
            let (n, locked) =
                users::record_failure(&mut tx, user.id, self.config.max_failed_logins, lock_until).await?;
            let summary =
                if locked { format!("failed attempt {n}: account locked") } else { format!("failed attempt {n}") };
            audit::record(
                &mut tx,
                &actor,
                login_event(
                    if locked { "account_locked" } else { "login_failed" },
                    Some(user.id),
                    &home.path,
                    &summary,
                ),
            )
            .await?;
            tx.commit().await?;
            if locked {
                return Err(AppError::Locked { until: time::to_db(lock_until) });
            }
            return Err(AppError::BadCredentials);
        }
        let token = random_token(32);
        let mut tx = self.store.begin().await?;
        users::record_login(&mut tx, user.id).await?;
        sessions::create(&mut tx, &sha256_hex(&token), user.id, client_addr, user_agent).await?;
        let actor = Actor { user_id: Some(user.id), ..actor };
        audit::record(&mut tx, &actor, login_event("login", Some(user.id), &home.path, "signed in")).await?;
        tx.commit().await?;
        let roles = users::roles(self.store.reader(), user.id).await?;
        let user = users::get(self.store.reader(), user.id).await?.ok_or(AppError::NotFound)?;
        Ok((token, Principal { user, roles, client_addr: client_addr.map(str::to_string), via: AuthVia::Session }))
    }

    /// Refuses a login attempt when its address has failed too often within the window
    /// (`AppConfig::ip_max_failed_logins` / `ip_window`); the refusal is itself audited.
    async fn check_address_limit(&self, actor: &Actor) -> AppResult<()> {
        let Some(addr) = actor.client_addr.as_deref() else { return Ok(()) };
        let since = time::to_db(Utc::now() - chrono_duration(self.config.ip_window));
        let failures = login_attempts::failures_since(&self.store, addr, &since).await?;
        if failures < self.config.ip_max_failed_logins {
            return Ok(());
        }
        let mut tx = self.store.begin().await?;
        let summary = format!("{failures} failed logins from this address in the window");
        audit::record(&mut tx, actor, login_event("login_rate_limited", None, "/", &summary)).await?;
        tx.commit().await?;
        Err(AppError::TooManyAttempts { retry_after_minutes: self.config.ip_window.as_secs().div_ceil(60) })
    }

    /// The principal of a session cookie, or `None` when the session is unknown, idle past
    /// the timeout (it is then removed) or its account is disabled.
    pub async fn session_principal(&self, token: &str, client_addr: Option<&str>) -> AppResult<Option<Principal>> {
        let hash = sha256_hex(token);
        let Some(s) = sessions::get(&self.store, &hash).await? else {
            return Ok(None);
        };
        let now = Utc::now();
        let last = time::from_db(&s.last_seen_at).unwrap_or(now);
        if now - last > chrono_duration(self.config.idle_timeout) {
            let mut tx = self.store.begin().await?;
            sessions::delete(&mut tx, &hash).await?;
            tx.commit().await?;
            return Ok(None);
        }
        let Some(user) = users::get(self.store.reader(), s.user_id).await? else {
            return Ok(None);
        };
        if !user.active {
            return Ok(None);
        }
        // Writing on every request would make reads queue behind the single SQLite writer;
        // a minute's precision is plenty for a 30-minute timeout.
        if now - last > ChronoDuration::seconds(60) {
            sessions::touch(&self.store, &hash).await?;
        }
        let roles = users::roles(self.store.reader(), user.id).await?;
        Ok(Some(Principal { user, roles, client_addr: client_addr.map(str::to_string), via: AuthVia::Session }))
    }

    pub async fn token_principal(&self, bearer: &str, client_addr: Option<&str>) -> AppResult<Option<Principal>> {
        let Some(t) = tokens::by_hash(&self.store, &sha256_hex(bearer)).await? else {
            return Ok(None);
        };
        let Some(user) = users::get(self.store.reader(), t.user_id).await? else {
            return Ok(None);
        };
        if !user.active {
            return Ok(None);
        }
        let stale = t
            .last_used_at
            .as_deref()
            .and_then(time::from_db)
            .is_none_or(|l| Utc::now() - l > ChronoDuration::seconds(60));
        if stale {
            tokens::touch(&self.store, t.id).await?;
        }
        let roles = users::roles(self.store.reader(), user.id).await?;
        Ok(Some(Principal { user, roles, client_addr: client_addr.map(str::to_string), via: AuthVia::ApiToken }))
    }

    pub async fn logout(&self, p: &Principal, token: &str) -> AppResult<()> {
        let home = orgs::get(self.store.reader(), p.user.home_org_id).await?.ok_or(AppError::NotFound)?;
        let mut tx = self.store.begin().await?;
        sessions::delete(&mut tx, &sha256_hex(token)).await?;
        audit::record(&mut tx, &p.actor(), login_event("logout", Some(p.user.id), &home.path, "signed out")).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes one's own password; other sessions of the account are ended.
    pub async fn change_password(&self, p: &Principal, current: &str, new: &str, confirm: &str) -> AppResult<()> {
        let mut errs = FieldErrors::new();
        if !self.verify_password(current, &p.user.password_hash) {
            errs.push(gajok_domain::FieldError::new("current_password", "wrong_password"));
        }
        let parsed = errs.take(NewPassword::parse("new_password", new, &p.user.username));
        if new != confirm {
            errs.push(gajok_domain::FieldError::new("confirm_password", "mismatch"));
        }
        if parsed.is_some() && current == new {
            errs.push(gajok_domain::FieldError::new("new_password", "same_as_current"));
        }
        errs.finish()?;
        let hash = self.hash_password(new)?;
        let home = orgs::get(self.store.reader(), p.user.home_org_id).await?.ok_or(AppError::NotFound)?;
        let mut tx = self.store.begin().await?;
        users::set_password(&mut tx, p.user.id, &hash, false).await?;
        audit::record(
            &mut tx,
            &p.actor(),
            login_event("password_changed", Some(p.user.id), &home.path, "password changed"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Ends idle sessions; run periodically by the server.
    pub async fn purge_idle_sessions(&self) -> AppResult<u64> {
        let cutoff = Utc::now() - chrono_duration(self.config.idle_timeout);
        Ok(sessions::purge_idle(&self.store, &time::to_db(cutoff)).await?)
    }
}

fn login_event(action: &'static str, user_id: Option<i64>, org_path: &str, summary: &str) -> NewEvent {
    NewEvent {
        action,
        entity_type: "user",
        entity_id: user_id.map(|i| i.to_string()).unwrap_or_else(|| "-".into()),
        org_unit_id: None,
        org_path: org_path.to_string(),
        summary: summary.to_string(),
        before: None,
        after: None,
    }
}

pub(crate) fn chrono_duration(d: std::time::Duration) -> ChronoDuration {
    ChronoDuration::from_std(d).unwrap_or(ChronoDuration::MAX)
}
