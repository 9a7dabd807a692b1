//! The web layer: server-rendered Korean pages and the JSON API (`/api/v1`) over the same
//! use cases. Handlers are thin: they parse, call `gajok-app`, and render.

#![recursion_limit = "256"]

pub mod api;
pub mod assets;
pub mod charts;
pub mod context;
pub mod error;
pub mod export;
pub mod extract;
pub mod format;
pub mod i18n;
pub mod layout;
pub mod observe;
pub mod pages;
pub mod routes;
pub mod security;
pub mod server;
pub mod state;

pub use routes::{RouteInfo, build_router};
pub use server::{ServeConfig, serve};
pub use state::AppState;
