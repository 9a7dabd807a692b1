//! Shared state of the web layer.

use std::sync::Arc;

use gajok_app::App;

use crate::i18n::I18n;

#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub i18n: Arc<I18n>,
    /// Always mark cookies `Secure` (set when the site is served over HTTPS by a proxy).
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_proxy: bool,
}

impl AppState {
    pub fn new(app: App, secure_cookies: bool, trust_proxy: bool) -> Result<Self, String> {
        Ok(Self { app, i18n: Arc::new(I18n::load()?), secure_cookies, trust_proxy })
    }
}
