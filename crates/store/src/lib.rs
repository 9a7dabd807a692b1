//! Persistence for gajok: one code path for SQLite and PostgreSQL.
//!
//! Queries are written once, with `$1`-style placeholders that both backends accept, and run
//! through sqlx's `Any` driver. That driver carries only integers, floats, text and blobs,
//! which is all this schema uses: dates are `YYYY-MM-DD` text, instants canonical UTC text
//! (`gajok_domain::time::to_db`), flags 0/1 integers. The few DDL differences (identity
//! columns) are tokens in the one migration set, filled in per backend (`migrate.rs`).

pub mod access_log;
pub mod audit;
pub mod backup;
pub mod bulk;
pub mod counting;
pub mod db;
pub mod error;
pub mod login_attempts;
pub mod migrate;
pub mod nanumteo;
pub mod orgs;
pub mod people;
pub mod plans;
pub mod privacy;
pub mod programs;
pub mod reports;
pub mod row;
pub mod sessions;
pub mod simulations;
pub mod sql;
pub mod testing;
pub mod tokens;
pub mod users;

pub use db::{Backend, Store, Tx};
pub use error::{StoreError, StoreResult};
