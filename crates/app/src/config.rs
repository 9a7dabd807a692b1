//! Settings of the app layer, with the defaults the foundation issue asks for.

use std::sync::Arc;
use std::time::Duration;

use crate::privacy::crypto::Keyring;

#[derive(Debug, Clone)]
pub struct AppConfig {
    /// A session unused this long is ended (default 30 minutes).
    pub idle_timeout: Duration,
    /// Failed logins in a row that lock an account (default 5).
    pub max_failed_logins: i64,
    /// How long a locked account stays locked (default 10 minutes).
    pub lockout: Duration,
    /// Failed logins from one client address within `ip_window` after which further attempts
    /// from it are refused (429) whatever the account (default 20 in 15 minutes: four accounts'
    /// worth of lockouts, far above a busy center's typos behind one NAT address, far below
    /// what a password-spraying script needs).
    pub ip_max_failed_logins: i64,
    pub ip_window: Duration,
    /// Argon2id cost. Production uses the crate's recommended default; tests may lower it.
    pub argon2_memory_kib: u32,
    pub argon2_iterations: u32,
    /// Keys for kept unique identifiers; without them such fields are refused.
    pub keys: Option<Arc<Keyring>>,
}

impl Default for AppConfig {
    fn default() -> Self {
        Self {
            idle_timeout: Duration::from_secs(30 * 60),
            max_failed_logins: 5,
            lockout: Duration::from_secs(10 * 60),
            ip_max_failed_logins: 20,
            ip_window: Duration::from_secs(15 * 60),
            argon2_memory_kib: 19 * 1024,
            argon2_iterations: 2,
            keys: None,
        }
    }
}

impl AppConfig {
    /// The defaults with the per-address login limit taken from the environment when set:
    /// `GAJOK_LOGIN_IP_MAX_FAILURES` (count) and `GAJOK_LOGIN_IP_WINDOW_MINUTES`. A value that
    /// is not a positive whole number is an error, so a typo never silently disables the limit.
    pub fn from_env() -> Result<Self, String> {
        let mut c = Self::default();
        let read = |name: &str| -> Result<Option<u64>, String> {
            match std::env::var(name) {
                Err(_) => Ok(None),
                Ok(v) => match v.trim().parse::<u64>() {
                    Ok(n) if n > 0 => Ok(Some(n)),
                    _ => Err(format!("{name} must be a positive whole number, not {v:?}")),
                },
            }
        };
        if let Some(n) = read("GAJOK_LOGIN_IP_MAX_FAILURES")? {
            c.ip_max_failed_logins = i64::try_from(n).map_err(|e| e.to_string())?;
        }
        if let Some(m) = read("GAJOK_LOGIN_IP_WINDOW_MINUTES")? {
            c.ip_window = Duration::from_secs(m.saturating_mul(60));
        }
        Ok(c)
    }

    /// Cheap hashing for test suites that log in hundreds of times; never for real data.
    pub fn for_tests() -> Self {
        Self {
            argon2_memory_kib: 1024,
            argon2_iterations: 1,
            keys: Some(Arc::new(Keyring::ephemeral())),
            ..Self::default()
        }
    }
}
