//! Running the HTTP server, and stopping it without losing a request.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::routes::build_router;
use crate::state::AppState;

/// How long requests in flight may take to finish after a stop signal before the server
/// stops anyway. systemd's default `TimeoutStopSec` is 90 s and Kubernetes' grace period 30 s:
/// 20 s stays inside both, and no gajok request is meant to take longer than a few seconds.
pub const DEFAULT_STOP_GRACE: Duration = Duration::from_secs(20);

pub struct ServeConfig {
    pub listener: TcpListener,
    /// Bound on finishing the requests in flight once a stop signal came.
    pub stop_grace: Duration,
}

impl ServeConfig {
    pub fn new(listener: TcpListener) -> Self {
        Self { listener, stop_grace: DEFAULT_STOP_GRACE }
    }
}

/// Serves until SIGTERM or SIGINT (Ctrl-C). On either it stops accepting connections,
/// lets the requests in flight finish (for at most `stop_grace`), stops the background tasks
/// and closes the database pools, then returns `Ok`. Idle sessions are purged every minute.
pub async fn serve(state: AppState, cfg: ServeConfig) -> std::io::Result<()> {
    let (stop_tx, stop_rx) = watch::channel(false);
    tokio::spawn(async move {
        let which = stop_signal().await;
        tracing::info!(signal = which, "stop signal received: finishing the requests in flight");
        let _ = stop_tx.send(true);
    });

    let app = state.app.clone();
    let mut purge_stop = stop_rx.clone();
    let purge = tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tokio::select! {
                _ = tick.tick() => {
                    if let Err(e) = app.purge_idle_sessions().await {
                        tracing::warn!(error = %e, "purging idle sessions failed");
                    }
                }
                _ = async { drop(purge_stop.wait_for(|stop| *stop).await) } => break,
            }
        }
    });

    let store = state.app.store.clone();
    let (router, _) = build_router(state);
    let mut graceful_stop = stop_rx.clone();
    let server = axum::serve(cfg.listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async move {
            let _ = graceful_stop.wait_for(|stop| *stop).await;
        });
    let mut deadline_stop = stop_rx;
    let grace = cfg.stop_grace;
    let result = tokio::select! {
        r = server => r,
        _ = async move {
            let _ = deadline_stop.wait_for(|stop| *stop).await;
            tokio::time::sleep(grace).await;
        } => {
            tracing::warn!(grace_seconds = grace.as_secs(), "requests still running after the grace period were cut off");
            Ok(())
        }
    };
    let _ = purge.await;
    store.close().await;
    tracing::info!("stopped");
    result
}

/// Waits for SIGTERM (systemd, containers) or SIGINT (Ctrl-C); names the one that came.
async fn stop_signal() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => tokio::select! {
                _ = term.recv() => "SIGTERM",
                _ = tokio::signal::ctrl_c() => "SIGINT",
            },
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM; only Ctrl-C stops the server gracefully");
                let _ = tokio::signal::ctrl_c().await;
                "SIGINT"
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    }
}
