//! Use cases of gajok. The only layer that decides who may do what: every use case takes
//! the acting [`Principal`] and asks [`authz`] before it reads or writes.

pub mod auth;
pub mod authz;
pub mod catalog;
pub mod compliance;
pub mod config;
pub mod dashboard;
pub mod demo_activity;
pub mod demo_privacy;
pub mod demo_pumasi;
pub mod error;
pub mod export;
pub mod generate;
pub mod input;
pub mod logs;
pub mod nanumteo;
pub mod org;
pub mod people;
pub mod plans;
pub mod principal;
pub mod privacy;
pub mod programs;
pub mod reports;
pub mod seed;
pub mod simulations;
pub mod tokens;
pub mod users;

pub use config::AppConfig;
pub use error::{AppError, AppResult};
pub use principal::Principal;

pub use gajok_store as store;
use gajok_store::Store;

/// Everything a use case needs; cheap to clone (the store is a pool handle).
#[derive(Clone)]
pub struct App {
    pub store: Store,
    pub config: AppConfig,
}

impl App {
    pub fn new(store: Store, config: AppConfig) -> Self {
        Self { store, config }
    }
}
