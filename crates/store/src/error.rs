//! Storage errors. Constraint violations are told apart so the app can answer 409, not 500.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    /// A unique constraint refused the write; carries the constraint or column text.
    #[error("duplicate value: {0}")]
    Duplicate(String),
    /// A row holds a value this version cannot read (e.g. an unknown code).
    #[error("stored data is not readable: {0}")]
    Corrupt(String),
    #[error("database url not supported: {0}")]
    UnsupportedUrl(String),
    #[error("migration {version} failed: {source}")]
    Migration { version: String, source: sqlx::Error },
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Maps a unique violation to [`StoreError::Duplicate`]; everything else stays a db error.
pub(crate) fn classify(e: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &e
        && db.is_unique_violation()
    {
        return StoreError::Duplicate(db.constraint().map(str::to_string).unwrap_or_else(|| db.message().to_string()));
    }
    StoreError::Db(e)
}
