//! Settings of the app layer, with the defaults the foundation issue asks for.

use std::time::Duration;

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
        }
    }
}

impl AppConfig {
    /// Cheap hashing for test suites that log in hundreds of times; never for real data.
    pub fn for_tests() -> Self {
        Self { argon2_memory_kib: 1024, argon2_iterations: 1, ..Self::default() }
    }
}
