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
            argon2_memory_kib: 19 * 1024,
            argon2_iterations: 2,
            keys: None,
        }
    }
}

impl AppConfig {
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
