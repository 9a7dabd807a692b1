//! Running the HTTP server.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::TcpListener;

use crate::routes::build_router;
use crate::state::AppState;

pub struct ServeConfig {
    pub listener: TcpListener,
}

/// Serves until ctrl-c (or the future is dropped). Idle sessions are purged every minute.
pub async fn serve(state: AppState, cfg: ServeConfig) -> std::io::Result<()> {
    let app = state.app.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            if let Err(e) = app.purge_idle_sessions().await {
                tracing::warn!(error = %e, "purging idle sessions failed");
            }
        }
    });
    let (router, _) = build_router(state);
    axum::serve(cfg.listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
