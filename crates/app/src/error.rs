//! Use-case errors. The web layer maps each to one status and one stable code
//! (`gajok_web::error`), so HTML pages and the JSON API agree.

use gajok_domain::FieldErrors;
use gajok_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not signed in")]
    Unauthenticated,
    #[error("the password must be changed first")]
    PasswordChangeRequired,
    #[error("not allowed")]
    Forbidden,
    /// Also returned for records outside the caller's scope, so their existence is not leaked.
    #[error("not found")]
    NotFound,
    #[error("invalid input: {0}")]
    Validation(FieldErrors),
    /// A uniqueness or state conflict; `field` names the input that clashed.
    #[error("conflict on {field}: {code}")]
    Conflict { code: &'static str, field: &'static str },
    #[error("wrong username or password")]
    BadCredentials,
    #[error("account locked until {until}")]
    Locked { until: String },
    /// Too many failed logins from the caller's address; says nothing about the account.
    #[error("too many failed logins from this address; retry in {retry_after_minutes} minutes")]
    TooManyAttempts { retry_after_minutes: u64 },
    #[error("storage: {0}")]
    Store(#[from] StoreError),
    #[error("internal: {0}")]
    Internal(String),
}

impl AppError {
    /// Stable machine code for the JSON error body and the translation key.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated => "unauthenticated",
            AppError::PasswordChangeRequired => "password_change_required",
            AppError::Forbidden => "forbidden",
            AppError::NotFound => "not_found",
            AppError::Validation(_) => "validation_failed",
            AppError::Conflict { code, .. } => code,
            AppError::BadCredentials => "bad_credentials",
            AppError::Locked { .. } => "account_locked",
            AppError::TooManyAttempts { .. } => "too_many_attempts",
            AppError::Store(_) | AppError::Internal(_) => "internal_error",
        }
    }

    pub fn one_field(field: &str, code: &'static str) -> Self {
        let mut e = FieldErrors::new();
        e.push(gajok_domain::FieldError::new(field, code));
        AppError::Validation(e)
    }
}

impl From<FieldErrors> for AppError {
    fn from(e: FieldErrors) -> Self {
        AppError::Validation(e)
    }
}

pub type AppResult<T> = Result<T, AppError>;
